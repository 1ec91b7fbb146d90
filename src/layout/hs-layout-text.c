/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout-text"

#include "config.h"

#include <string.h>

#include "hs-layout-text.h"

/* Past this many entries a cache starts again rather than grow forever. */
#define MAX_ENTRIES 50000

/* One run of glyphs in one font, with the clusters that map them back to
 * their text, so that PDF and SVG keep text that can be searched. */
typedef struct
{
  cairo_scaled_font_t  *font;
  cairo_glyph_t        *glyphs;
  int                   n_glyphs;
  cairo_text_cluster_t *clusters;
  int                   n_clusters;
  char                 *utf8;
  int                   utf8_len;
} GlyphRun;

/* A text shaped once: immutable, shared by reference between layouts */
typedef struct
{
  gatomicrefcount    ref_count;
  double             width;
  cairo_rectangle_t  ink;       /* from the point it is drawn at */
  cairo_rectangle_t  logical;
  GlyphRun          *runs;
  guint              n_runs;
  GArray            *missing;   /* double x, y, w, h per glyph no font has */
} Shaped;

/* A Pango context with our fonts, and what it shaped */
typedef struct
{
  char                 *ui_family;
  char                 *mono_family;
  PangoFontMap         *font_map;
  PangoContext         *context;
  PangoFontDescription *fonts[HS_LAYOUT_N_FONTS];
  double                line_height[HS_LAYOUT_N_FONTS];
  double                baseline[HS_LAYOUT_N_FONTS];
  GHashTable           *layouts[HS_LAYOUT_N_FONTS];   /* text -> PangoLayout */
  GHashTable           *shaped[HS_LAYOUT_N_FONTS];    /* text -> Shaped */
} TextContext;

struct _HsLayoutTextSet
{
  gatomicrefcount  ref_count;
  GHashTable      *shaped[HS_LAYOUT_N_FONTS];   /* text -> Shaped */
  double           line_height[HS_LAYOUT_N_FONTS];
  char            *ui_family;
  char            *mono_family;
  HsLayoutTextSet *reuse;       /* only while built: where shaped text may come from */
  HsLayoutTextSet *parents[2];  /* unions: the sets they unite */
};

static GMutex text_mutex;
static TextContext *shared;    /* under text_mutex */
static char *ui_family_name;   /* under text_mutex */
static char *mono_family_name;
static GPrivate drawing;       /* the HsLayoutTextSet this thread draws */

static void text_context_free (gpointer data);
static GPrivate local_context = G_PRIVATE_INIT (text_context_free);

/* ------------------------------------------------------------------ */
/* Shaped text                                                         */

static Shaped *
shaped_ref (Shaped *shaped)
{
  g_atomic_ref_count_inc (&shaped->ref_count);
  return shaped;
}

static void
shaped_unref (gpointer data)
{
  Shaped *shaped = data;

  if (!g_atomic_ref_count_dec (&shaped->ref_count))
    return;
  for (guint i = 0; i < shaped->n_runs; i++)
    {
      GlyphRun *run = &shaped->runs[i];

      cairo_scaled_font_destroy (run->font);
      g_free (run->glyphs);
      g_free (run->clusters);
      g_free (run->utf8);
    }
  g_free (shaped->runs);
  g_clear_pointer (&shaped->missing, g_array_unref);
  g_free (shaped);
}

/* The glyphs of one run, left to right from x, on the baseline y */
static void
fill_run (GlyphRun             *run,
          Shaped               *shaped,
          PangoGlyphItem       *item,
          const char           *text,
          const PangoRectangle *logical,
          double                y)
{
  double x = (double) logical->x / PANGO_SCALE;
  double top = (double) logical->y / PANGO_SCALE, height = (double) logical->height / PANGO_SCALE;

  PangoGlyphString *glyphs = item->glyphs;
  gboolean rtl = item->item->analysis.level % 2 != 0;
  PangoGlyphItemIter iter;
  int position = 0;
  GArray *clusters;

  g_assert (run != NULL);
  g_assert (item != NULL);

  run->font = cairo_scaled_font_reference (pango_cairo_font_get_scaled_font (PANGO_CAIRO_FONT (item->item->analysis.font)));
  run->glyphs = g_new (cairo_glyph_t, MAX (glyphs->num_glyphs, 1));
  for (int i = 0; i < glyphs->num_glyphs; i++)
    {
      const PangoGlyphInfo *gi = &glyphs->glyphs[i];
      double gx = x + (double) (position + gi->geometry.x_offset) / PANGO_SCALE;
      double gy = y + (double) gi->geometry.y_offset / PANGO_SCALE;

      position += gi->geometry.width;
      if (gi->glyph == PANGO_GLYPH_EMPTY)
        continue;
      if (gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG)
        {
          /* No font has it: a box where it would be, as Pango draws */
          double box[4] = { gx + 1, top + 2, (double) gi->geometry.width / PANGO_SCALE - 2, height - 4 };

          if (gi->glyph == (0x20 | PANGO_GLYPH_UNKNOWN_FLAG) || box[2] <= 0)
            continue;
          if (shaped->missing == NULL)
            shaped->missing = g_array_new (FALSE, FALSE, sizeof (double));
          g_array_append_vals (shaped->missing, box, 4);
          continue;
        }
      run->glyphs[run->n_glyphs].index = gi->glyph;
      run->glyphs[run->n_glyphs].x = gx;
      run->glyphs[run->n_glyphs].y = gy;
      run->n_glyphs++;
    }

  /* Clusters only for left-to-right runs; the rest draw as plain glyphs */
  if (rtl || run->n_glyphs != glyphs->num_glyphs || glyphs->num_glyphs == 0)
    return;
  clusters = g_array_new (FALSE, FALSE, sizeof (cairo_text_cluster_t));
  for (gboolean more = pango_glyph_item_iter_init_start (&iter, item, text);
       more;
       more = pango_glyph_item_iter_next_cluster (&iter))
    {
      cairo_text_cluster_t c = { iter.end_index - iter.start_index, iter.end_glyph - iter.start_glyph };

      g_array_append_val (clusters, c);
    }
  run->utf8_len = item->item->length;
  run->utf8 = g_strndup (text + item->item->offset, item->item->length);
  run->n_clusters = clusters->len;
  run->clusters = (cairo_text_cluster_t *) g_array_free (clusters, FALSE);
}

/* Shapes layout with its baseline at `baseline` below the point it is
 * drawn at: every text of a font on the same baseline, whichever fonts
 * Pango fell back to for some of its characters. */
static Shaped *
shape (PangoLayout *layout,
       double       baseline)
{
  Shaped *shaped = g_new0 (Shaped, 1);
  g_autoptr(GArray) runs = g_array_new (FALSE, TRUE, sizeof (GlyphRun));
  PangoLayoutIter *iter;
  PangoRectangle ink, logical;
  const char *text = pango_layout_get_text (layout);
  double dy;

  g_assert (PANGO_IS_LAYOUT (layout));

  g_atomic_ref_count_init (&shaped->ref_count);
  pango_layout_get_extents (layout, &ink, &logical);
  dy = baseline - (double) pango_layout_get_baseline (layout) / PANGO_SCALE;
  shaped->width = (double) logical.width / PANGO_SCALE;
  shaped->ink = (cairo_rectangle_t) { (double) ink.x / PANGO_SCALE, (double) ink.y / PANGO_SCALE + dy,
                                      (double) ink.width / PANGO_SCALE, (double) ink.height / PANGO_SCALE };
  shaped->logical = (cairo_rectangle_t) { (double) logical.x / PANGO_SCALE, (double) logical.y / PANGO_SCALE + dy,
                                          shaped->width, (double) logical.height / PANGO_SCALE };

  iter = pango_layout_get_iter (layout);
  do
    {
      PangoGlyphItem *item = pango_layout_iter_get_run_readonly (iter);
      PangoRectangle run_logical;
      GlyphRun run = { 0 };

      if (item == NULL)
        continue;
      pango_layout_iter_get_run_extents (iter, NULL, &run_logical);
      run_logical.y += (int) (dy * PANGO_SCALE);
      fill_run (&run, shaped, item, text, &run_logical, baseline);
      g_array_append_val (runs, run);
    }
  while (pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);

  shaped->n_runs = runs->len;
  shaped->runs = (GlyphRun *) g_array_free (g_steal_pointer (&runs), FALSE);
  return shaped;
}

static void
shaped_draw (const Shaped *shaped,
             cairo_t      *cr,
             double        x,
             double        y)
{
  cairo_surface_t *target = cairo_get_target (cr);
  gboolean clusters = cairo_surface_has_show_text_glyphs (target);

  g_assert (shaped != NULL);

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_new_path (cr);
  for (guint i = 0; i < shaped->n_runs; i++)
    {
      const GlyphRun *run = &shaped->runs[i];

      if (run->n_glyphs == 0)
        continue;
      cairo_set_scaled_font (cr, run->font);
      if (clusters && run->clusters != NULL)
        cairo_show_text_glyphs (cr, run->utf8, run->utf8_len, run->glyphs, run->n_glyphs,
                                run->clusters, run->n_clusters, 0);
      else
        cairo_show_glyphs (cr, run->glyphs, run->n_glyphs);
    }
  for (guint i = 0; shaped->missing != NULL && i < shaped->missing->len; i += 4)
    {
      const double *box = &g_array_index (shaped->missing, double, i);

      cairo_rectangle (cr, box[0] + 0.5, box[1] + 0.5, box[2] - 1, box[3] - 1);
    }
  if (shaped->missing != NULL)
    {
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

/* ------------------------------------------------------------------ */
/* Contexts                                                            */

/* Point sizes of the fonts, by HsLayoutFont */
static const double sizes[HS_LAYOUT_N_FONTS] = { 10, 10.5, 10, 10 };
/* The resolution of a new Pango cairo font map, which ours keep */
#define TEXT_DPI 96.0

/* The em size of a font, in layout units: from the fonts' descriptions
 * rather than the glyphs, so the same on every machine, and without the
 * lock, so the renderer may ask while drawing. */
double
hs_layout_text_font_size (HsLayoutFont font)
{
  g_return_val_if_fail (font < HS_LAYOUT_N_FONTS, 0);

  return sizes[font] * TEXT_DPI / 72.0;
}

double
hs_layout_text_smallest_size (void)
{
  double smallest = G_MAXDOUBLE;

  for (guint i = 0; i < HS_LAYOUT_N_FONTS; i++)
    smallest = MIN (smallest, hs_layout_text_font_size (i));
  return smallest;
}

/* Words in the language the program speaks, as gettext chose it
 * (LANGUAGE first): its translations fill the boxes. */
static const char *
language_sample (void)
{
  const char * const *names = g_get_language_names ();
  g_autofree char *name = g_strdup (names[0]);

  /* "hi_IN.UTF-8" and "sr@latin" name a language before the '.' or '@' */
  name[strcspn (name, ".@")] = '\0';
  if (name[0] == '\0' || g_str_equal (name, "C") || g_str_equal (name, "POSIX"))
    return "";
  return pango_language_get_sample_string (pango_language_from_string (name));
}

static TextContext *
text_context_new (const char *ui_family,
                  const char *mono_family)
{
  TextContext *tc = g_new0 (TextContext, 1);
  g_autofree char *probe_text = g_strconcat ("Ag", language_sample (), NULL);
  cairo_font_options_t *options;

  tc->ui_family = g_strdup (ui_family);
  tc->mono_family = g_strdup (mono_family);

  /* Our own font map, not the per-thread default: the shared context's
   * text is used by whichever thread holds text_mutex. */
  tc->font_map = pango_cairo_font_map_new ();
  tc->context = pango_font_map_create_context (tc->font_map);

  /* Unhinted metrics keep widths independent of the scale we draw at, so
   * text measured once fits its box at any zoom or HiDPI factor. */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (tc->context, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (tc->context, FALSE);

  for (guint i = 0; i < HS_LAYOUT_N_FONTS; i++)
    {
      g_autoptr(PangoLayout) probe = NULL;
      PangoRectangle logical;
      const char *family = i == HS_LAYOUT_FONT_MONO
                           ? (mono_family ? mono_family : "Monospace")
                           : (ui_family ? ui_family : "Sans");

      tc->fonts[i] = pango_font_description_new ();
      pango_font_description_set_family (tc->fonts[i], family);
      pango_font_description_set_size (tc->fonts[i], sizes[i] * PANGO_SCALE);
      if (i == HS_LAYOUT_FONT_TITLE)
        pango_font_description_set_weight (tc->fonts[i], PANGO_WEIGHT_BOLD);
      tc->layouts[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      tc->shaped[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, shaped_unref);

      /* A line is as tall as Latin text, or as the language's own
       * script, which Pango may draw with a taller font (Devanagari's
       * reach above and below Latin's): the lines of a box are stacked
       * this far apart, each on the same baseline. */
      probe = pango_layout_new (tc->context);
      pango_layout_set_font_description (probe, tc->fonts[i]);
      pango_layout_set_single_paragraph_mode (probe, TRUE);
      pango_layout_set_text (probe, probe_text, -1);
      pango_layout_get_extents (probe, NULL, &logical);
      tc->line_height[i] = (double) logical.height / PANGO_SCALE;
      tc->baseline[i] = (double) pango_layout_get_baseline (probe) / PANGO_SCALE;
    }
  return tc;
}

static void
text_context_free (gpointer data)
{
  TextContext *tc = data;

  if (tc == NULL)
    return;
  for (guint i = 0; i < HS_LAYOUT_N_FONTS; i++)
    {
      g_clear_pointer (&tc->layouts[i], g_hash_table_unref);
      g_clear_pointer (&tc->shaped[i], g_hash_table_unref);
      g_clear_pointer (&tc->fonts[i], pango_font_description_free);
    }
  g_clear_object (&tc->context);
  g_clear_object (&tc->font_map);
  g_free (tc->ui_family);
  g_free (tc->mono_family);
  g_free (tc);
}

static PangoLayout *
text_context_layout (TextContext  *tc,
                     HsLayoutFont  font,
                     const char   *text)
{
  PangoLayout *layout;

  g_assert (tc != NULL);
  g_assert (text != NULL);

  layout = g_hash_table_lookup (tc->layouts[font], text);
  if (layout != NULL)
    return layout;

  if (g_hash_table_size (tc->layouts[font]) >= MAX_ENTRIES)
    g_hash_table_remove_all (tc->layouts[font]);

  layout = pango_layout_new (tc->context);
  pango_layout_set_font_description (layout, tc->fonts[font]);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  /* Reprs can be cut anywhere by the runtime's length cap */
  if (g_utf8_validate (text, -1, NULL))
    pango_layout_set_text (layout, text, -1);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      pango_layout_set_text (layout, valid, -1);
    }
  g_hash_table_insert (tc->layouts[font], g_strdup (text), layout);
  return layout;
}

static Shaped *
text_context_shaped (TextContext  *tc,
                     HsLayoutFont  font,
                     const char   *text)
{
  Shaped *shaped;

  g_assert (tc != NULL);
  g_assert (text != NULL);

  shaped = g_hash_table_lookup (tc->shaped[font], text);
  if (shaped != NULL)
    return shaped;
  if (g_hash_table_size (tc->shaped[font]) >= MAX_ENTRIES)
    g_hash_table_remove_all (tc->shaped[font]);
  shaped = shape (text_context_layout (tc, font, text), tc->baseline[font]);
  g_hash_table_insert (tc->shaped[font], g_strdup (text), shaped);
  return shaped;
}

/* ------------------------------------------------------------------ */
/* The shared context, under the lock                                  */

void
hs_layout_text_lock (void)
{
  g_mutex_lock (&text_mutex);
  if (shared == NULL)
    shared = text_context_new (ui_family_name, mono_family_name);
}

void
hs_layout_text_unlock (void)
{
  g_mutex_unlock (&text_mutex);
}

PangoLayout *
hs_layout_text_get (HsLayoutFont  font,
                    const char   *text)
{
  g_return_val_if_fail (font < HS_LAYOUT_N_FONTS, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (shared != NULL, NULL);

  return text_context_layout (shared, font, text);
}

/* ------------------------------------------------------------------ */
/* Sets                                                                */

HsLayoutTextSet *
hs_layout_text_set_new (HsLayoutTextSet *reuse)
{
  HsLayoutTextSet *self = g_new0 (HsLayoutTextSet, 1);

  g_return_val_if_fail (shared != NULL, NULL);

  g_atomic_ref_count_init (&self->ref_count);
  for (guint i = 0; i < HS_LAYOUT_N_FONTS; i++)
    {
      self->shaped[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, shaped_unref);
      self->line_height[i] = shared->line_height[i];
    }
  self->ui_family = g_strdup (shared->ui_family);
  self->mono_family = g_strdup (shared->mono_family);
  /* Text shaped with other fonts must not be reused */
  if (reuse != NULL && g_strcmp0 (reuse->ui_family, self->ui_family) == 0
      && g_strcmp0 (reuse->mono_family, self->mono_family) == 0)
    self->reuse = reuse;
  return self;
}

HsLayoutTextSet *
hs_layout_text_set_union (HsLayoutTextSet *first,
                          HsLayoutTextSet *second)
{
  HsLayoutTextSet *self;

  g_return_val_if_fail (first != NULL, NULL);
  g_return_val_if_fail (second != NULL, NULL);

  self = g_new0 (HsLayoutTextSet, 1);
  g_atomic_ref_count_init (&self->ref_count);
  memcpy (self->line_height, first->line_height, sizeof self->line_height);
  self->ui_family = g_strdup (first->ui_family);
  self->mono_family = g_strdup (first->mono_family);
  self->parents[0] = hs_layout_text_set_ref (first);
  self->parents[1] = hs_layout_text_set_ref (second);
  return self;
}

void
hs_layout_text_set_add (HsLayoutTextSet *self,
                        HsLayoutFont     font,
                        const char      *text)
{
  Shaped *shaped = NULL;

  g_return_if_fail (self != NULL && self->shaped[0] != NULL);
  g_return_if_fail (font < HS_LAYOUT_N_FONTS);
  g_return_if_fail (shared != NULL);

  if (text == NULL || g_hash_table_contains (self->shaped[font], text))
    return;
  if (self->reuse != NULL)
    shaped = g_hash_table_lookup (self->reuse->shaped[font], text);
  if (shaped == NULL)
    shaped = text_context_shaped (shared, font, text);
  g_hash_table_insert (self->shaped[font], g_strdup (text), shaped_ref (shaped));
}

/* The set is complete: it no longer looks at the set it reused */
void
hs_layout_text_set_seal (HsLayoutTextSet *self)
{
  g_return_if_fail (self != NULL);
  self->reuse = NULL;
}

HsLayoutTextSet *
hs_layout_text_set_ref (HsLayoutTextSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
hs_layout_text_set_unref (HsLayoutTextSet *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  for (guint i = 0; i < HS_LAYOUT_N_FONTS; i++)
    g_clear_pointer (&self->shaped[i], g_hash_table_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->parents); i++)
    g_clear_pointer (&self->parents[i], hs_layout_text_set_unref);
  g_free (self->ui_family);
  g_free (self->mono_family);
  g_free (self);
}

static Shaped *
set_lookup (HsLayoutTextSet *self,
            HsLayoutFont     font,
            const char      *text)
{
  Shaped *shaped = NULL;

  g_assert (self != NULL);

  if (self->shaped[font] != NULL)
    shaped = g_hash_table_lookup (self->shaped[font], text);
  for (guint i = 0; shaped == NULL && i < G_N_ELEMENTS (self->parents); i++)
    if (self->parents[i] != NULL)
      shaped = set_lookup (self->parents[i], font, text);
  return shaped;
}

gboolean
hs_layout_text_set_has (HsLayoutTextSet *self,
                        HsLayoutFont     font,
                        const char      *text)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (font < HS_LAYOUT_N_FONTS, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  return set_lookup (self, font, text) != NULL;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */

void
hs_layout_text_begin_draw (HsLayoutTextSet *set)
{
  g_return_if_fail (set != NULL);
  g_return_if_fail (g_private_get (&drawing) == NULL);

  g_private_set (&drawing, set);
}

void
hs_layout_text_end_draw (void)
{
  g_return_if_fail (g_private_get (&drawing) != NULL);

  g_private_set (&drawing, NULL);
}

/* Text of the set being drawn, or shaped on this thread if it lacks it */
static Shaped *
draw_lookup (HsLayoutTextSet *set,
             HsLayoutFont     font,
             const char      *text)
{
  Shaped *shaped = set_lookup (set, font, text);
  TextContext *tc;

  g_assert (set != NULL);

  if (shaped != NULL)
    return shaped;
  tc = g_private_get (&local_context);
  if (tc == NULL || g_strcmp0 (tc->ui_family, set->ui_family) != 0
      || g_strcmp0 (tc->mono_family, set->mono_family) != 0)
    {
      tc = text_context_new (set->ui_family, set->mono_family);
      g_private_replace (&local_context, tc);
    }
  return text_context_shaped (tc, font, text);
}

void
hs_layout_text_draw (cairo_t      *cr,
                     HsLayoutFont  font,
                     const char   *text,
                     double        x,
                     double        y)
{
  HsLayoutTextSet *set = g_private_get (&drawing);

  g_return_if_fail (cr != NULL);
  g_return_if_fail (font < HS_LAYOUT_N_FONTS);
  g_return_if_fail (text != NULL);
  g_return_if_fail (set != NULL);

  shaped_draw (draw_lookup (set, font, text), cr, x, y);
}

double
hs_layout_text_width (HsLayoutFont  font,
                      const char   *text)
{
  HsLayoutTextSet *set = g_private_get (&drawing);

  g_return_val_if_fail (font < HS_LAYOUT_N_FONTS, 0);
  g_return_val_if_fail (text != NULL, 0);

  if (set != NULL)
    return draw_lookup (set, font, text)->width;
  g_return_val_if_fail (shared != NULL, 0);
  return text_context_shaped (shared, font, text)->width;
}

/* The longest start of text that, with an ellipsis, is at most width
 * wide, cut only where a cursor may stand: never inside a grapheme, such
 * as a Devanagari consonant and its vowel sign.  Lock only. */
char *
hs_layout_text_ellipsize (HsLayoutFont  font,
                          const char   *text,
                          double        width)
{
  g_autofree char *valid = NULL;
  g_autofree PangoLogAttr *attrs = NULL;
  g_autoptr(GArray) cuts = NULL;
  char *best = NULL;
  guint low = 0, high;
  int n_attrs = 0;

  g_return_val_if_fail (font < HS_LAYOUT_N_FONTS, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (shared != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  if (text_context_shaped (shared, font, valid)->width <= width)
    return g_steal_pointer (&valid);

  /* A copy: measuring the starts below may empty the layout cache */
  pango_layout_get_log_attrs (text_context_layout (shared, font, valid), &attrs, &n_attrs);
  cuts = g_array_new (FALSE, FALSE, sizeof (int));
  for (int i = 1; i + 1 < n_attrs; i++)
    if (attrs[i].is_cursor_position)
      g_array_append_val (cuts, i);

  /* Wider as it gets longer: the longest start that fits, by bisection */
  high = cuts->len;
  while (low < high)
    {
      guint mid = (low + high + 1) / 2;
      const char *end = g_utf8_offset_to_pointer (valid, g_array_index (cuts, int, mid - 1));
      g_autofree char *head = g_strndup (valid, end - valid);
      g_autofree char *joined = g_strconcat (g_strchomp (head), "…", NULL);

      if (text_context_shaped (shared, font, joined)->width <= width)
        {
          low = mid;
          g_free (best);
          best = g_steal_pointer (&joined);
        }
      else
        high = mid - 1;
    }
  return best != NULL ? best : g_strdup ("…");
}

void
hs_layout_text_get_extents (HsLayoutFont       font,
                            const char        *text,
                            cairo_rectangle_t *ink,
                            cairo_rectangle_t *logical)
{
  HsLayoutTextSet *set = g_private_get (&drawing);
  Shaped *shaped;

  g_return_if_fail (font < HS_LAYOUT_N_FONTS);
  g_return_if_fail (text != NULL);

  if (set != NULL)
    shaped = draw_lookup (set, font, text);
  else
    {
      g_return_if_fail (shared != NULL);
      shaped = text_context_shaped (shared, font, text);
    }
  if (ink != NULL)
    *ink = shaped->ink;
  if (logical != NULL)
    *logical = shaped->logical;
}

double
hs_layout_text_height (HsLayoutFont font)
{
  HsLayoutTextSet *set = g_private_get (&drawing);

  g_return_val_if_fail (font < HS_LAYOUT_N_FONTS, 0);

  if (set != NULL)
    return set->line_height[font];
  g_return_val_if_fail (shared != NULL, 0);
  return shared->line_height[font];
}
