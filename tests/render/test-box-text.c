/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test-box-text"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "hs-format.h"
#include "hs-renderer.h"
#include "render-test-util.h"

/*
 * Every text of every box, at every step of every example, lesson and
 * test program, as the renderer draws it (issue 8): inside its box (the
 * tag on its top edge), clear of the box's other texts, ink and line
 * alike, at least HS_RENDERER_READABLE_PX high on screen at the scale the
 * view never follows below, and in every palette in a colour that
 * contrasts at least 4.5:1 with what is under it (WCAG AA for small
 * text), 7:1 in the small font.  Run again with LANGUAGE=hi: Devanagari
 * reaches higher and lower than Latin.
 *
 * Arrows contrast at least 3:1 with the background (WCAG's non-text
 * contrast), twice that when they are thinner than 2 layout units.
 */

#define MIN_CONTRAST 4.5
/* At 9 px a stroke of the small font is about a pixel wide, and
 * antialiasing spreads it over two: on screen its brightest pixel showed
 * 4.1:1 where its colours contrast 4.9:1 (dark subtitles and indices).
 * Colours at 7:1 (WCAG AAA) keep what shows above 4.5:1. */
#define MIN_SMALL_CONTRAST 7.0
#define MIN_ARROW_CONTRAST 3.0
/* A dashed key arrow 1.2 units wide showed 2.3:1 where its colour
 * contrasts 4.7:1 with the background: thin lines need twice the ratio */
#define THIN_ARROW_WIDTH 2.0
/* Rounding of the text's extents, in layout units */
#define SLACK 1e-6
/* A dict whose keys are a str, an int, a tuple, an instance, and two too
 * long for a row; a set of a str, an int and a tuple */
#define DICT_KEYS HS_TEST_PROGRAMS "/../dict-keys/keys.py"
/* A garbage dict that references a list a variable names */
#define GARBAGE_TITLE HS_TEST_PROGRAMS "/../garbage-title/title.py"
/* The room the layout leaves between a dict's key and its slot */
#define PAD_BEFORE_SLOT 8.0

static const struct
{
  HsRenderPalette palette;
  const char     *name;
} palettes[] = {
  { HS_RENDER_PALETTE_LIGHT, "light" },
  { HS_RENDER_PALETTE_DARK, "dark" },
  { HS_RENDER_PALETTE_HIGH_CONTRAST, "high contrast" },
};

static const char * const roles[] = {
  "title", "facts", "marks", "value", "note", "label", "elision", "tag", "slot",
};
G_STATIC_ASSERT (G_N_ELEMENTS (roles) == HS_RENDERER_TEXT_SLOT + 1);

/* WCAG 2's relative luminance of an sRGB colour */
static double
luminance (const double rgb[3])
{
  double linear[3];

  for (guint k = 0; k < 3; k++)
    linear[k] = rgb[k] <= 0.04045 ? rgb[k] / 12.92 : pow ((rgb[k] + 0.055) / 1.055, 2.4);
  return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
}

static double
contrast (const double a[3],
          const double b[3])
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

static gboolean
overlap (const HsRect *a,
         const HsRect *b)
{
  return a->x < b->x + b->width - SLACK && b->x < a->x + a->width - SLACK &&
         a->y < b->y + b->height - SLACK && b->y < a->y + a->height - SLACK;
}

static gboolean
inside (const HsRect *inner,
        const HsRect *outer)
{
  return inner->x >= outer->x - SLACK && inner->y >= outer->y - SLACK &&
         inner->x + inner->width <= outer->x + outer->width + SLACK &&
         inner->y + inner->height <= outer->y + outer->height + SLACK;
}

static char *
describe (const char           *program,
          guint                 step,
          const HsLayoutBox    *box,
          const HsRendererText *t)
{
  return g_strdup_printf ("%s step %u, box \"%s\" at (%.1f, %.1f) %.1f×%.1f: %s \"%s\" "
                          "(line %.1f, %.1f %.1f×%.1f; ink %.1f, %.1f %.1f×%.1f)",
                          program, step, box->title, box->rect.x, box->rect.y,
                          box->rect.width, box->rect.height, roles[t->role], t->text,
                          t->logical.x, t->logical.y, t->logical.width, t->logical.height,
                          t->ink.x, t->ink.y, t->ink.width, t->ink.height);
}

/* The slots of a row, where its arrows start: a key slot above the
 * value slot in a dict's entry */
static guint
row_slots (const HsLayoutBox *box,
           const HsLayoutRow *row,
           HsRect             slots[2])
{
  double height = row->kind == HS_LAYOUT_ROW_PAIR ? row->height / 2 : row->height;
  guint n = 0;

  g_assert (box != NULL && row != NULL && slots != NULL);

  if (row->kind == HS_LAYOUT_ROW_ELISION)
    return 0;
  /* a set's scalar member is its row's label, with no slot */
  if (row->slot_width > 0)
    slots[n++] = (HsRect) { box->rect.x + row->slot_x - row->slot_width / 2,
                            box->rect.y + row->slot_y - height / 2, row->slot_width, height };
  if (row->kind == HS_LAYOUT_ROW_PAIR)
    slots[n++] = (HsRect) { box->rect.x + row->key_slot_x - HS_LAYOUT_SLOT_WIDTH / 2,
                            box->rect.y + row->key_slot_y - height / 2, HS_LAYOUT_SLOT_WIDTH, height };
  return n;
}

/* Whether a row's label runs into a slot of its row */
static gboolean
label_on_slot (const HsLayoutBox    *box,
               const HsRendererText *t)
{
  HsRect slots[2];
  guint n;

  g_assert (box != NULL && t != NULL);

  if (t->role != HS_RENDERER_TEXT_LABEL || t->row >= box->n_rows)
    return FALSE;
  n = row_slots (box, &box->rows[t->row], slots);
  for (guint i = 0; i < n; i++)
    if (overlap (&t->logical, &slots[i]) || overlap (&t->ink, &slots[i]))
      return TRUE;
  return FALSE;
}

/* Where the texts lie: the same in every palette */
static guint
check_places (const char        *program,
              guint              step,
              const HsLayoutBox *box,
              GArray            *texts)
{
  double readable = hs_renderer_get_readable_scale ();
  guint failures = 0;

  for (guint i = 0; i < texts->len; i++)
    {
      const HsRendererText *t = &g_array_index (texts, HsRendererText, i);
      g_autofree char *what = describe (program, step, box, t);

      if (t->em * readable < HS_RENDERER_READABLE_PX - SLACK)
        {
          g_test_message ("%s: %.2f px at the readable scale", what, t->em * readable);
          failures++;
        }

      if (t->role == HS_RENDERER_TEXT_TAG)
        {
          /* Standing on the top edge, within the box's width */
          HsRect band = { box->rect.x, t->logical.y, box->rect.width, t->logical.height };

          if (!inside (&t->logical, &band) || !inside (&t->ink, &band) ||
              !(t->logical.y < box->rect.y && box->rect.y < t->logical.y + t->logical.height))
            {
              g_test_message ("%s: not on the box's top edge", what);
              failures++;
            }
        }
      else if (!inside (&t->logical, &box->rect) || !inside (&t->ink, &box->rect))
        {
          g_test_message ("%s: not inside its box", what);
          failures++;
        }
      if (label_on_slot (box, t))
        {
          g_test_message ("%s: runs into a slot of its row", what);
          failures++;
        }

      for (guint j = 0; j < i; j++)
        {
          const HsRendererText *u = &g_array_index (texts, HsRendererText, j);

          if (overlap (&t->logical, &u->logical) || overlap (&t->ink, &u->ink))
            {
              g_autofree char *other = describe (program, step, box, u);

              g_test_message ("%s overlaps %s", what, other);
              failures++;
            }
        }
    }
  return failures;
}

static guint
check_contrast (const char        *program,
                guint              step,
                const HsLayoutBox *box,
                GArray            *texts,
                const char        *palette)
{
  guint failures = 0;

  for (guint i = 0; i < texts->len; i++)
    {
      const HsRendererText *t = &g_array_index (texts, HsRendererText, i);
      double ratio = contrast (t->ink_rgb, t->under_rgb);

      if (ratio < (t->font == HS_LAYOUT_FONT_SMALL ? MIN_SMALL_CONTRAST : MIN_CONTRAST))
        {
          g_autofree char *what = describe (program, step, box, t);

          g_test_message ("%s: contrast %.2f:1 in the %s palette", what, ratio, palette);
          failures++;
        }
    }
  return failures;
}

static void
test_program (RenderFixture *fixture,
              gconstpointer  data)
{
  g_autofree char *program = g_path_get_basename (data);
  guint failures = 0, n_texts = 0;
  guint seen[G_N_ELEMENTS (roles)] = { 0 };

  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      HsLayout *layout = g_ptr_array_index (fixture->layouts, s);
      HsLayout *previous = s > 0 ? g_ptr_array_index (fixture->layouts, s - 1) : NULL;
      g_autoptr(HsRenderMarks) marks = hs_render_marks_new (previous ? hs_layout_get_snapshot (previous) : NULL,
                                                            hs_layout_get_snapshot (layout));
      const HsLayoutBox *boxes;
      guint n_boxes;

      boxes = hs_layout_get_boxes (layout, &n_boxes);
      for (guint b = 0; b < n_boxes; b++)
        for (guint p = 0; p < G_N_ELEMENTS (palettes); p++)
          {
            g_autoptr(GArray) texts = NULL;
            HsRenderOptions options;

            hs_render_options_init (&options);
            options.palette = palettes[p].palette;
            options.marks = marks;
            texts = hs_renderer_get_box_texts (layout, &boxes[b], &options);
            if (p == 0)
              {
                failures += check_places (program, s, &boxes[b], texts);
                n_texts += texts->len;
                for (guint i = 0; i < texts->len; i++)
                  seen[g_array_index (texts, HsRendererText, i).role]++;
              }
            failures += check_contrast (program, s, &boxes[b], texts, palettes[p].name);
          }
    }

  g_test_message ("%s: %u texts in %u steps", program, n_texts, fixture->layouts->len);
  /* Every box has a title; with every object a box, every object its
   * facts and marks (values in slots name them only where the arrows do
   * not: /render/inline-values/header) */
  g_assert_cmpuint (seen[HS_RENDERER_TEXT_TITLE], >, 0);
  if (fixture->every_object)
    {
      g_assert_cmpuint (seen[HS_RENDERER_TEXT_FACTS], >, 0);
      g_assert_cmpuint (seen[HS_RENDERER_TEXT_MARKS], >, 0);
    }
  g_assert_cmpuint (failures, ==, 0);
}

/* Device pixels per layout unit for the garbage zone's title */
#define LABEL_SCALE 2.0

/* The region r of layout as drawn, with its arrows or without them */
static cairo_surface_t *
render_region (HsLayout     *layout,
               const HsRect *r,
               gboolean      arrows)
{
  HsLayoutEdge *edges;
  g_autofree double *alpha = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint n_edges;

  /* The test hides arrows by their alpha, as test-badges.c does */
  edges = (HsLayoutEdge *) hs_layout_get_edges (layout, &n_edges);
  alpha = g_new (double, MAX (n_edges, 1));
  for (guint i = 0; i < n_edges; i++)
    {
      alpha[i] = edges[i].alpha;
      edges[i].alpha = arrows ? alpha[i] : 0;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (r->width * LABEL_SCALE),
                                        (int) ceil (r->height * LABEL_SCALE));
  cr = cairo_create (surface);
  cairo_scale (cr, LABEL_SCALE, LABEL_SCALE);
  cairo_translate (cr, -r->x, -r->y);
  hs_renderer_draw (cr, layout, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  for (guint i = 0; i < n_edges; i++)
    edges[i].alpha = alpha[i];
  return surface;
}

/* Whether the pixels of a and b differ at least `inset` pixels inside */
static gboolean
regions_differ (cairo_surface_t *a,
                cairo_surface_t *b,
                int              inset)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  int stride = cairo_image_surface_get_stride (a);
  const guchar *pa = cairo_image_surface_get_data (a), *pb = cairo_image_surface_get_data (b);

  for (int y = inset; y < h - inset; y++)
    if (memcmp (pa + y * stride + 4 * inset, pb + y * stride + 4 * inset, 4 * (w - 2 * inset)) != 0)
      return TRUE;
  return FALSE;
}

/* The garbage zone's title is drawn over the arrows: a garbage dict's
 * arrow runs up through it to the list a variable names.  Inside the
 * title the picture is the same with the arrows and without; around it,
 * some arrow shows.  (The cycles example's key arrows no longer cross
 * it: their strings stand beside the zone.) */
static void
test_garbage_title (RenderFixture *fixture,
                    gconstpointer  data)
{
  guint n_zones = 0, n_crossed = 0;

  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      HsLayout *layout = g_ptr_array_index (fixture->layouts, s);
      HsRect zone, title, around;

      if (!hs_layout_get_garbage_zone (layout, &zone))
        continue;
      n_zones++;
      hs_layout_text_begin_draw (hs_layout_get_text (layout));
      /* where the renderer writes it: 10 in from the zone's corner, 6 down */
      title = (HsRect) { zone.x + 10, zone.y + 6,
                         hs_layout_text_width (HS_LAYOUT_FONT_TITLE, HS_LAYOUT_GARBAGE_LABEL),
                         hs_layout_text_height (HS_LAYOUT_FONT_TITLE) };
      hs_layout_text_end_draw ();
      around = (HsRect) { title.x - 4, title.y - 4, title.width + 8, title.height + 8 };

      {
        cairo_surface_t *with = render_region (layout, &around, TRUE);
        cairo_surface_t *without = render_region (layout, &around, FALSE);

        if (regions_differ (with, without, 0))
          n_crossed++;
        if (regions_differ (with, without, (int) (5 * LABEL_SCALE)))
          g_test_fail_printf ("%s step %u: an arrow shows through the garbage zone's title",
                              (const char *) data, s);
        cairo_surface_destroy (with);
        cairo_surface_destroy (without);
      }
    }
  g_test_message ("%s: %u steps with garbage, %u with an arrow across its title",
                  (const char *) data, n_zones, n_crossed);
  g_assert_cmpuint (n_crossed, >, 0);
}

/* Every arrow's colour against the background, in every palette */
static void
test_arrow_contrast (void)
{
  static const char * const arrows[] = { "plain", "back", "key", "changed" };

  G_STATIC_ASSERT (G_N_ELEMENTS (arrows) == HS_RENDERER_N_ARROWS);

  for (guint p = 0; p < G_N_ELEMENTS (palettes); p++)
    for (guint a = 0; a < HS_RENDERER_N_ARROWS; a++)
      {
        double rgb[3], background[3], width, ratio, needed;

        hs_renderer_get_arrow_rgb (palettes[p].palette, a, rgb, background, &width);
        ratio = contrast (rgb, background);
        needed = width < THIN_ARROW_WIDTH ? 2 * MIN_ARROW_CONTRAST : MIN_ARROW_CONTRAST;
        g_test_message ("%s arrow, %s palette: %.2f:1, %.1f wide", arrows[a], palettes[p].name, ratio, width);
        if (ratio < needed)
          g_test_fail_printf ("the %s arrow contrasts %.2f:1 in the %s palette, less than %.1f:1",
                              arrows[a], ratio, palettes[p].name, needed);
      }
}

/* Zoomed out past reading (semantic zoom), a box keeps its type and a
 * short value: a value's repr, cut to a glance, and a container's number
 * of items, as the runtime counted them rather than the rows drawn. */
static void
test_collapsed_value (RenderFixture *fixture,
                      gconstpointer  data)
{
  guint n_containers = 0, n_values = 0;

  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      HsLayout *layout = g_ptr_array_index (fixture->layouts, s);
      HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
      const HsLayoutBox *boxes;
      guint n_boxes;

      boxes = hs_layout_get_boxes (layout, &n_boxes);
      for (guint b = 0; b < n_boxes; b++)
        {
          g_autofree char *value = hs_renderer_get_collapsed_value (layout, &boxes[b]);
          const HsObject *object = boxes[b].ref != 0 ? hs_snapshot_lookup (snapshot, boxes[b].ref) : NULL;

          if (boxes[b].value != NULL)
            {
              g_autofree char *head = g_utf8_substring (boxes[b].value, 0, 11);

              g_assert_nonnull (value);
              g_assert_true (g_str_has_prefix (value, head));
              g_assert_cmpint (g_utf8_strlen (value, -1), <=, 12);
              n_values++;
            }
          else if (object != NULL && (boxes[b].shape == HS_LAYOUT_SHAPE_SEQUENCE ||
                                      boxes[b].shape == HS_LAYOUT_SHAPE_MAPPING ||
                                      boxes[b].shape == HS_LAYOUT_SHAPE_SET))
            {
              g_autofree char *count = hs_format_count (object->length);
              g_autofree char *expected = g_strdup_printf (ngettext ("%s item", "%s items", object->length), count);

              g_assert_cmpstr (value, ==, expected);
              n_containers++;
            }
          else
            g_assert_null (value);
        }
      /* and the renderer draws them so, too far out to read */
      {
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 200);
        cairo_t *cr = cairo_create (surface);
        HsRenderOptions options;

        hs_render_options_init (&options);
        options.scale = hs_renderer_get_readable_scale () / 2;
        hs_renderer_draw (cr, layout, &options);
        g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
        cairo_destroy (cr);
        cairo_surface_destroy (surface);
      }
    }
  g_test_message ("%u containers and %u values collapsed", n_containers, n_values);
  g_assert_cmpuint (n_containers, >, 0);
  g_assert_cmpuint (n_values, >, 0);
}

static const HsLayoutBox *
box_of_variable (HsLayout   *layout,
                 const char *name)
{
  const HsFrame *frames;
  guint n_frames;

  g_assert (layout != NULL && name != NULL);

  frames = hs_snapshot_get_frames (hs_layout_get_snapshot (layout), &n_frames);
  for (guint f = 0; f < n_frames; f++)
    for (guint v = 0; v < frames[f].n_vars; v++)
      if (g_str_equal (frames[f].vars[v].name, name))
        return hs_layout_get_object_box (layout, frames[f].vars[v].ref);
  return NULL;
}

/* The last step's box of variable name, which has shape, and its texts */
static GArray *
texts_of_variable (RenderFixture      *fixture,
                   const char         *name,
                   HsLayoutShape       shape,
                   HsLayout          **layout,
                   const HsLayoutBox **box)
{
  g_assert (fixture != NULL && name != NULL && layout != NULL && box != NULL);

  *layout = g_ptr_array_index (fixture->layouts, fixture->layouts->len - 1);
  *box = box_of_variable (*layout, name);
  g_assert_nonnull (*box);
  g_assert_cmpint ((*box)->shape, ==, shape);
  return hs_renderer_get_box_texts (*layout, *box, NULL);
}

/* A dict's row names its key as list rows name their index: by the key
 * object's repr, as the runtime recorded it, whole where it fits before
 * the row's first slot (the key's, when the key is a box), else cut with
 * an ellipsis, and clear of the row's slots. */
static void
test_dict_keys (RenderFixture *fixture,
                gconstpointer  data)
{
  HsLayout *layout;
  const HsLayoutBox *box;
  g_autoptr(GArray) texts = texts_of_variable (fixture, "d", HS_LAYOUT_SHAPE_MAPPING, &layout, &box);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  g_autoptr(GHashTable) whole = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_pairs = 0, n_cut = 0;

  hs_layout_text_begin_draw (hs_layout_get_text (layout));
  for (guint r = 0; r < box->n_rows; r++)
    {
      const HsLayoutRow *row = &box->rows[r];
      const HsObject *key;
      const HsRendererText *drawn = NULL;
      /* A key drawn as a box has a slot of its own; a scalar key, drawn
       * as the row's label, stands before the value's slot */
      gboolean key_slot = row->kind == HS_LAYOUT_ROW_PAIR;
      double slot_left = box->rect.x + (key_slot ? row->key_slot_x : row->slot_x) - row->slot_width / 2;

      if (!key_slot && row->key_ref == 0)
        continue;
      n_pairs++;
      key = hs_snapshot_lookup (snapshot, key_slot ? row->key_target : row->key_ref);
      for (guint i = 0; i < texts->len; i++)
        if (g_array_index (texts, HsRendererText, i).role == HS_RENDERER_TEXT_LABEL &&
            g_array_index (texts, HsRendererText, i).row == r)
          drawn = &g_array_index (texts, HsRendererText, i);
      g_assert_nonnull (key);
      g_assert_nonnull (row->value);
      g_assert_nonnull (drawn);
      if (key == NULL || key->repr == NULL || row->value == NULL || drawn == NULL)
        continue;
      g_assert_cmpstr (drawn->text, ==, row->value);
      g_assert_false (label_on_slot (box, drawn));

      if (g_str_equal (row->value, key->repr))
        g_hash_table_add (whole, (gpointer) row->value);
      else
        {
          g_autofree char *head = g_strndup (row->value, strlen (row->value) - strlen ("…"));

          g_test_message ("key %s drawn as %s", key->repr, row->value);
          g_assert_true (g_str_has_suffix (row->value, "…"));
          g_assert_cmpuint (strlen (head), >, 0);
          g_assert_true (g_str_has_prefix (key->repr, head));
          /* cut only when the whole key would come near its slot */
          g_assert_cmpfloat (drawn->logical.x + hs_layout_text_width (drawn->font, key->repr), >,
                             slot_left - PAD_BEFORE_SLOT);
          n_cut++;
        }
    }
  hs_layout_text_end_draw ();

  g_assert_cmpuint (n_pairs, ==, 6);
  /* The short keys are whole in any font; the two long ones cut in any */
  g_assert_true (g_hash_table_contains (whole, "'a'"));
  g_assert_true (g_hash_table_contains (whole, "7"));
  g_assert_cmpuint (g_hash_table_size (whole) + n_cut, ==, 6);
  g_assert_cmpuint (n_cut, >=, 2);
}

/* A set's rows say which member each is, as a dict's say their key */
static void
test_set_members (RenderFixture *fixture,
                  gconstpointer  data)
{
  HsLayout *layout;
  const HsLayoutBox *box;
  g_autoptr(GArray) texts = texts_of_variable (fixture, "s", HS_LAYOUT_SHAPE_SET, &layout, &box);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  g_autoptr(GHashTable) drawn = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < texts->len; i++)
    {
      const HsRendererText *t = &g_array_index (texts, HsRendererText, i);
      const HsObject *member;

      if (t->role != HS_RENDERER_TEXT_LABEL)
        continue;
      g_assert_cmpuint (t->row, <, box->n_rows);
      member = hs_snapshot_lookup (snapshot, box->rows[t->row].target);
      g_assert_nonnull (member);
      g_assert_cmpstr (t->text, ==, member->repr);
      g_assert_false (label_on_slot (box, t));
      g_hash_table_add (drawn, (gpointer) t->text);
    }
  g_assert_cmpuint (g_hash_table_size (drawn), ==, 3);
  g_assert_true (g_hash_table_contains (drawn, "'b'"));
  g_assert_true (g_hash_table_contains (drawn, "8"));
}

/* The test data points at these paths: freed after the run */
static GPtrArray *paths;

/* Run with LANGUAGE=hi, the boxes must really speak Hindi */
static void
test_language (void)
{
  const char *language = g_getenv ("LANGUAGE");

  if (language == NULL || !g_str_has_prefix (language, "hi"))
    {
      g_test_skip ("not run in Hindi");
      return;
    }
  g_assert_cmpstr (_("refcount %s"), !=, "refcount %s");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, HS_TEST_LOCALE_DIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  /* Report every program's failures, not only the first */
  g_test_set_nonfatal_assertions ();

  paths = g_ptr_array_new_with_free_func (g_free);
  g_test_add_func ("/render/box-text/language", test_language);
  g_test_add_func ("/render/box-text/arrow-contrast", test_arrow_contrast);
  g_test_add ("/render/box-text/garbage-title", RenderFixture, GARBAGE_TITLE,
              render_fixture_setup, test_garbage_title, render_fixture_teardown);
  g_ptr_array_add (paths, g_build_filename (HS_TEST_EXAMPLES, "copies.py", NULL));
  g_test_add ("/render/box-text/collapsed-value", RenderFixture, g_ptr_array_index (paths, paths->len - 1),
              render_fixture_setup, test_collapsed_value, render_fixture_teardown);
  g_test_add ("/render/box-text/dict-keys", RenderFixture, DICT_KEYS,
              render_fixture_setup, test_dict_keys, render_fixture_teardown);
  g_test_add ("/render/box-text/set-members", RenderFixture, DICT_KEYS,
              render_fixture_setup, test_set_members, render_fixture_teardown);
  render_test_add_programs (paths, "/render/box-text", HS_TEST_EXAMPLES, "examples", test_program);
  render_test_add_programs (paths, "/render/box-text", HS_TEST_LESSONS, "lessons", test_program);
  render_test_add_programs (paths, "/render/box-text", HS_TEST_PROGRAMS, "programs", test_program);

  status = g_test_run ();
  g_ptr_array_unref (paths);
  return status;
}
