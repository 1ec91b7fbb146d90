/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cli"

#include "config.h"

#include <string.h>
#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "hs-cli-handout.h"
#include "hs-layout.h"

/* A4, in points: landscape, or portrait for a step whose picture is
 * drawn larger so (page_for_step ()) */
#define PAGE_LONG    842.0
#define PAGE_SHORT   595.0
#define MARGIN        28.0
#define GAP           16.0
#define CODE_SHARE     0.34  /* of the width between the margins */
#define CODE_MAX_PT   10.0
#define CODE_MIN_PT    5.0
#define NOTE_HEIGHT   84.0
#define TITLE_HEIGHT  24.0
/* Paper is read up close: box text down to this size (points) is read
 * whole, refcounts and all, where the window collapses boxes below 9 px
 * on a screen.  It is the code column's least size, near enough: at it
 * every lesson's every step is drawn whole. */
#define GRAPH_MIN_PT   4.5

HsLesson *
hs_cli_handout_find_lesson (const char  *program,
                            const char  *source,
                            GError     **error)
{
  g_autofree char *base = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  g_autofree char *xml = NULL;
  gsize length;

  g_return_val_if_fail (program != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  if (!g_str_has_suffix (program, ".py"))
    return NULL;
  base = g_strndup (program, strlen (program) - strlen (".py"));
  path = g_strconcat (base, ".lesson", NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  if (!g_file_get_contents (path, &xml, &length, error))
    return NULL;
  id = g_path_get_basename (base);
  return hs_lesson_new_from_data (id, xml, length, source, error);
}

static void
set_font (PangoLayout *layout,
          const char  *family,
          double       size,
          gboolean     bold)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();

  g_assert (PANGO_IS_LAYOUT (layout));

  pango_font_description_set_family (font, family);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
}

static void
draw_title (cairo_t    *cr,
            const char *title,
            guint       step,
            guint       n_steps,
            guint       line,
            double      width)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autofree char *text = NULL;

  g_assert (cr != NULL);

  if (line > 0)
    /* Translators: a handout page's title, e.g. "copies.py · step 3 of 12 · line 5" */
    text = g_strdup_printf (_("%s · step %u of %u · line %u"), title, step + 1, n_steps, line);
  else
    text = g_strdup_printf (_("%s · step %u of %u · end"), title, step + 1, n_steps);
  set_font (layout, "Sans", 13, TRUE);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_MIDDLE);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_move_to (cr, MARGIN, MARGIN);
  pango_cairo_show_layout (cr, layout);
}

/* The program, one row per line, the current one on a tinted bar with a
 * triangle in the margin: a printout in grey keeps the mark. */
static void
draw_code (cairo_t     *cr,
           char       **lines,
           guint        n_lines,
           guint        current,
           double       x,
           double       y,
           double       width,
           double       height)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  double size = CLAMP (height / (MAX (n_lines, 1) * 1.25), CODE_MIN_PT, CODE_MAX_PT);
  double row = size * 1.25;
  double gutter = size * 3.2;
  guint first = 0, shown = MAX (1, (guint) (height / row));

  g_assert (cr != NULL);

  /* A long program shows the rows around the current line. */
  if (n_lines > shown && current > 0)
    first = MIN (current - 1 > shown / 2 ? current - 1 - shown / 2 : 0, n_lines - shown);

  cairo_save (cr);
  cairo_rectangle (cr, x, y, width, height);
  cairo_clip (cr);
  set_font (layout, "Monospace", size, FALSE);
  pango_layout_set_width (layout, (int) ((width - gutter) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  for (guint i = first; i < n_lines && i < first + shown; i++)
    {
      double top = y + (i - first) * row;
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      gboolean is_current = i + 1 == current;

      if (is_current)
        {
          cairo_set_source_rgb (cr, 1.0, 0.93, 0.6);
          cairo_rectangle (cr, x, top, width, row);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 0.75, 0.45, 0.0);
          cairo_move_to (cr, x + 1, top + row * 0.2);
          cairo_line_to (cr, x + 1 + row * 0.5, top + row * 0.5);
          cairo_line_to (cr, x + 1, top + row * 0.8);
          cairo_close_path (cr);
          cairo_fill (cr);
        }
      pango_layout_set_text (layout, number, -1);
      pango_layout_set_width (layout, -1);
      cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
      cairo_move_to (cr, x + gutter - size * 0.6 - (double) strlen (number) * size * 0.6, top);
      pango_cairo_show_layout (cr, layout);

      pango_layout_set_width (layout, (int) ((width - gutter) * PANGO_SCALE));
      pango_layout_set_text (layout, lines[i], -1);
      if (is_current)
        set_font (layout, "Monospace", size, TRUE);
      cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
      cairo_move_to (cr, x + gutter, top);
      pango_cairo_show_layout (cr, layout);
      if (is_current)
        set_font (layout, "Monospace", size, FALSE);
    }
  cairo_restore (cr);

  cairo_set_source_rgb (cr, 0.8, 0.8, 0.8);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, x + width + GAP / 2, y);
  cairo_line_to (cr, x + width + GAP / 2, y + height);
  cairo_stroke (cr);
}

/* The picture fitted to a box of that size, and never blown up past one
 * and a half */
static double
fitted_scale (HsLayout *layout,
              double    width,
              double    height)
{
  double w, h;

  hs_layout_get_size (layout, &w, &h);
  if (!(w > 0 && h > 0))
    return 1;
  return MIN (MIN (width / w, height / h), 1.5);
}

static void
draw_graph (cairo_t               *cr,
            HsLayout              *layout,
            const HsRenderOptions *options,
            double                 x,
            double                 y,
            double                 width,
            double                 height)
{
  HsRenderOptions opts = *options;
  double w, h;

  g_assert (cr != NULL);
  g_assert (layout != NULL);

  hs_layout_get_size (layout, &w, &h);
  if (!(w > 0 && h > 0))
    return;
  opts.scale = fitted_scale (layout, width, height);
  opts.readable_px = GRAPH_MIN_PT;
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  hs_renderer_draw (cr, layout, &opts);
  cairo_restore (cr);
}

/* The scale draw_graph () gives the picture on a page of that size */
static double
graph_scale (HsLayout *layout,
             double    page_width,
             double    page_height,
             gboolean  note)
{
  double inner = page_width - 2 * MARGIN;
  double width = inner - inner * CODE_SHARE - GAP;
  double height = page_height - 2 * MARGIN - TITLE_HEIGHT - (note ? NOTE_HEIGHT + GAP / 2 : 0);

  return fitted_scale (layout, width, height);
}

/* Each page is A4 in the orientation that draws its step's picture the
 * larger: landscape, unless the picture is so tall that portrait's
 * height lets it be read (a layered picture stacks a rank's boxes). */
static void
page_for_step (HsLayout *layout,
               gboolean  note,
               double   *width,
               double   *height)
{
  gboolean portrait = graph_scale (layout, PAGE_SHORT, PAGE_LONG, note) > graph_scale (layout, PAGE_LONG, PAGE_SHORT, note);

  *width = portrait ? PAGE_SHORT : PAGE_LONG;
  *height = portrait ? PAGE_LONG : PAGE_SHORT;
}

/* Draws the note in a band at the bottom, at most NOTE_HEIGHT high, and
 * returns the band's height. */
static double
draw_note (cairo_t    *cr,
           const char *note,
           double      x,
           double      bottom,
           double      width)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autofree char *markup = hs_lesson_markup (note);
  int text_height;
  double height;

  g_assert (cr != NULL);

  set_font (layout, "Sans", 10.5, FALSE);
  pango_layout_set_markup (layout, markup, -1);
  pango_layout_set_width (layout, (int) ((width - 16) * PANGO_SCALE));
  pango_layout_set_height (layout, (int) ((NOTE_HEIGHT - 12) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, NULL, &text_height);
  height = MIN (NOTE_HEIGHT, text_height + 12);

  cairo_set_source_rgb (cr, 0.93, 0.95, 0.98);
  cairo_rectangle (cr, x, bottom - height, width, height);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.15);
  cairo_move_to (cr, x + 8, bottom - height + 6);
  pango_cairo_show_layout (cr, layout);
  return height;
}

/* Each step is laid out after the one before it, so objects keep their
 * places from page to page, as on screen. */
gboolean
hs_cli_handout_write (HsTrace               *trace,
                      const char            *title,
                      const char            *source,
                      HsLesson              *lesson,
                      const HsRenderOptions *options,
                      gboolean               every_object,
                      const char            *filename,
                      GError               **error)
{
  g_auto(GStrv) lines = NULL;
  g_autoptr(HsSnapshot) previous = NULL;
  HsLayout *layout = NULL;
  g_autoptr(GHashTable) growing = NULL;
  HsLayoutOptions layout_options;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  guint n_steps, n_lines;
  int note = -1;

  g_return_val_if_fail (HS_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  lines = g_strsplit (source, "\n", -1);
  n_lines = g_strv_length (lines);
  /* The split's last piece after a final newline is no line. */
  if (n_lines > 0 && *lines[n_lines - 1] == '\0')
    n_lines--;
  n_steps = hs_trace_get_n_steps (trace);

  surface = cairo_pdf_surface_create (filename, PAGE_LONG, PAGE_SHORT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Heapscope");
  cr = cairo_create (surface);

  /* The run is over: only objects that grow keep room to grow into */
  hs_layout_options_init (&layout_options);
  layout_options.growing = growing = hs_trace_ref_growing (trace);
  /* a lesson whose subject is identity is taught with every object a box */
  layout_options.every_object = every_object || (lesson != NULL && hs_lesson_get_every_object (lesson));
  for (guint i = 0; i < n_steps && cairo_status (cr) == CAIRO_STATUS_SUCCESS; i++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, i);
      HsLayout *next = hs_layout_new (snapshot, layout, &layout_options);
      double top = MARGIN + TITLE_HEIGHT;
      double page_width, page_height, bottom, inner, code_width;
      guint line = hs_snapshot_get_event (snapshot) == HS_EVENT_END ? 0 : hs_snapshot_get_line (snapshot);

      g_clear_pointer (&layout, hs_layout_unref);
      layout = next;

      if (lesson != NULL)
        {
          int match = hs_lesson_match (lesson, previous, snapshot);

          note = match >= 0 ? match : note;
        }

      page_for_step (layout, note >= 0, &page_width, &page_height);
      cairo_pdf_surface_set_size (surface, page_width, page_height);
      bottom = page_height - MARGIN;
      inner = page_width - 2 * MARGIN;
      code_width = inner * CODE_SHARE;

      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      draw_title (cr, title, i, n_steps, line, inner);
      if (note >= 0)
        {
          bottom -= draw_note (cr, hs_lesson_get_note (lesson, note, NULL, NULL), MARGIN, bottom, inner);
          bottom -= GAP / 2;
        }
      draw_code (cr, lines, n_lines, line, MARGIN, top, code_width, bottom - top);
      draw_graph (cr, layout, options, MARGIN + code_width + GAP, top,
                  inner - code_width - GAP, bottom - top);
      cairo_show_page (cr);

      g_clear_pointer (&previous, hs_snapshot_unref);
      previous = g_steal_pointer (&snapshot);
    }
  g_clear_pointer (&layout, hs_layout_unref);

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, HS_RENDERER_ERROR, HS_RENDERER_ERROR_FAILED,
                   _("Cannot write %s: %s"), filename, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
