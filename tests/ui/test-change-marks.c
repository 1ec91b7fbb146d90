/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the graph marks as the last line's doing, against the real worker:
 * the slot a line changed in a container (and not its other slots), the
 * "new" tag only on what the line created, and the semantic zoom's scale.
 */
#define G_LOG_DOMAIN "heapscope-test-change-marks"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hs-layout.h"
#include "hs-renderer.h"
#include "hs-test-trace.h"

static const char copies[] =
  "import copy\n"
  "grid = [[0, 0], [0, 0]]\n"
  "deep = copy.deepcopy(grid)\n"
  "deep[1][1] = 2\n"
  "x = 0\n";

/* deep[1][1] = 2 changes slot 1 of deep[1]: marked, with its arrow's
 * target; slot 0 still points where it did: not marked. */
static void
test_changed_slot (HsTraceFixture *f,
                   gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, copies);
  g_autoptr(HsSnapshot) after = hs_test_step_at_line (trace, 5, 0);
  g_autoptr(HsSnapshot) before = hs_trace_get_snapshot (trace, hs_snapshot_get_index (after) - 1);
  g_autoptr(HsRenderMarks) marks = hs_render_marks_new (before, after);
  g_autoptr(HsRenderMarks) none = hs_render_marks_new (NULL, after);
  const HsObject *deep = hs_test_var (after, NULL, "deep");
  const HsObject *row = hs_test_edge (after, deep, HS_EDGE_ITEM, "1");
  const HsObject *two = hs_test_edge (after, row, HS_EDGE_ITEM, "1");
  const HsObject *zero = hs_test_edge (after, row, HS_EDGE_ITEM, "0");

  g_assert_cmpstr (two->repr, ==, "2");
  g_assert_true (hs_snapshot_lookup (after, row->ref)->changes & HS_CHANGE_MUTATED);
  g_assert_true (hs_render_marks_lookup (marks, row->ref, two->ref, "1"));
  g_assert_true (hs_render_marks_lookup (marks, row->ref, two->ref, NULL));
  g_assert_false (hs_render_marks_lookup (marks, row->ref, two->ref, "0"));
  g_assert_false (hs_render_marks_lookup (marks, row->ref, zero->ref, "0"));
  /* deep itself still holds the same two rows */
  g_assert_false (hs_render_marks_lookup (marks, deep->ref, row->ref, NULL));
  g_assert_cmpuint (hs_render_marks_get_size (marks), ==, 1);
  g_assert_cmpuint (hs_render_marks_get_size (none), ==, 0);
}

/* Only what the line did is marked changed: a function whose call
 * returned loses its running frame's hold, and a class that gains an
 * instance its hold, but neither was mutated ("changed" showed on shift
 * after its call).  A list the line appends to is. */
static void
test_holders_alone_unchanged (HsTraceFixture *f,
                              gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f,
    "class Point:\n"          /* 1 */
    "    pass\n"              /* 2 */
    "def shift(p):\n"         /* 3 */
    "    return p\n"          /* 4 */
    "a = shift([])\n"         /* 5 */
    "b = Point()\n"           /* 6 */
    "a.append(1)\n"           /* 7 */
    "pass\n");                /* 8 */
  g_autoptr(HsSnapshot) at6 = hs_test_step_at_line (trace, 6, 0);
  g_autoptr(HsSnapshot) at7 = hs_test_step_at_line (trace, 7, 0);
  g_autoptr(HsSnapshot) at8 = hs_test_step_at_line (trace, 8, 0);
  const HsObject *shift = hs_test_var (at6, NULL, "shift");
  const HsObject *point = hs_test_var (at7, NULL, "Point");
  const HsObject *a = hs_test_var (at8, NULL, "a");

  g_assert_false (shift->changes & HS_CHANGE_MUTATED);
  g_assert_false (point->changes & HS_CHANGE_MUTATED);
  g_assert_true (a->changes & HS_CHANGE_MUTATED);
}

/* copies' layout after line 5, where deep and its rows exist. */
static HsLayout *
copies_layout (HsTraceFixture  *f,
               HsSnapshot     **after)
{
  HsTrace *trace = hs_trace_fixture_run (f, copies);
  HsLayoutOptions options;

  g_assert (f != NULL && after != NULL);

  *after = hs_test_step_at_line (trace, 5, 0);
  hs_layout_options_init (&options);
  /* the marks on arrows into values: each value a box */
  options.every_object = TRUE;
  return hs_layout_new (*after, NULL, &options);
}

/* The tag over a box's top right corner says "new" only when the runtime
 * saw the line allocate the object, "changed" for a mutated container,
 * and nothing for a cached int that merely came into view. */
static void
test_tags (HsTraceFixture *f,
           gconstpointer   data)
{
  g_autoptr(HsSnapshot) after = NULL;
  g_autoptr(HsLayout) layout = copies_layout (f, &after);
  const HsObject *deep = hs_test_var (after, NULL, "deep");
  const HsObject *row = hs_test_edge (after, deep, HS_EDGE_ITEM, "1");
  const HsObject *two = hs_test_edge (after, row, HS_EDGE_ITEM, "1");
  const HsLayoutBox *boxes;
  guint n_boxes, n_seen = 0;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      const HsLayoutBox *box = &boxes[i];
      const HsObject *object;
      /* Just left of the box's right edge, on its top edge: where the tag sits */
      double x = box->rect.x + box->rect.width - 8, y = box->rect.y;
      HsRendererHit hit;

      if (box->kind != HS_LAYOUT_BOX_OBJECT)
        continue;
      object = hs_snapshot_lookup (after, box->ref);
      hit = hs_renderer_hit_box (layout, box, x, y);
      if (box->ref == row->ref)
        {
          g_assert_cmpint (hit, ==, HS_RENDERER_HIT_TAG);
          n_seen++;
        }
      else if (box->ref == two->ref)
        {
          /* First seen, but a small int: CPython made it at start-up */
          g_assert_true (object->changes & HS_CHANGE_NEW);
          g_assert_false (object->changes & HS_CHANGE_CREATED);
          g_assert_cmpint (hit, ==, HS_RENDERER_HIT_NONE);
          n_seen++;
        }
      else if (object->changes & HS_CHANGE_CREATED)
        g_assert_cmpint (hit, ==, HS_RENDERER_HIT_TAG);
    }
  g_assert_cmpuint (n_seen, ==, 2);
}

/* The badges' line answers hover with HS_RENDERER_HIT_MARKS. */
static void
test_badge_line (HsTraceFixture *f,
                 gconstpointer   data)
{
  g_autoptr(HsSnapshot) after = NULL;
  g_autoptr(HsLayout) layout = copies_layout (f, &after);
  const HsLayoutBox *boxes;
  guint n_boxes, n_seen = 0;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      const HsLayoutBox *box = &boxes[i];
      double y;

      if (box->kind != HS_LAYOUT_BOX_OBJECT || box->marks == NULL || box->facts == NULL)
        continue;
      hs_layout_text_lock ();
      /* The middle of the badges' line: under the title's line, and
       * under the facts where they have a line of their own */
      y = box->rect.y + 4 + hs_layout_text_height (HS_LAYOUT_FONT_TITLE)
          + hs_layout_text_height (HS_LAYOUT_FONT_SMALL) * (box->facts_below ? 1.5 : 0.5);
      hs_layout_text_unlock ();
      g_assert_cmpint (hs_renderer_hit_box (layout, box, box->rect.x + 12, y), ==, HS_RENDERER_HIT_MARKS);
      /* The title is not a badge */
      g_assert_cmpint (hs_renderer_hit_box (layout, box, box->rect.x + 12, box->rect.y + 6), ==, HS_RENDERER_HIT_NONE);
      n_seen++;
    }
  g_assert_cmpuint (n_seen, >, 0);
}

static const char ages[] =
  "ages = {'al': [1], 'bo': [2]}\n"
  "ages['cy'] = ages['bo']\n"
  "x = 0\n";

/* Device pixels per layout unit when an arrow is drawn to be looked at */
#define ARROW_SCALE 4.0

/* Whether the renderer draws edge e of layout in the colour of changed
 * arrows: layout drawn with e alone and with no arrow, and the pixels
 * that differ counted where they show that colour whole. */
static gboolean
edge_drawn_changed (HsLayout            *layout,
                    guint                e,
                    const HsRenderMarks *marks)
{
  HsLayoutEdge *edges;
  guint n_edges, n_points, differ = 0, coloured = 0;
  g_autofree double *alphas = NULL;
  double rgb[3], background[3], width;
  double x1 = G_MAXDOUBLE, y1 = G_MAXDOUBLE, x2 = -G_MAXDOUBLE, y2 = -G_MAXDOUBLE;
  cairo_surface_t *surfaces[2];
  guint8 want[3];

  /* The test owns this layout: hiding arrows changes no one else's */
  edges = (HsLayoutEdge *) hs_layout_get_edges (layout, &n_edges);
  g_assert_cmpuint (e, <, n_edges);
  n_points = edges[e].path != NULL ? 1 + 3 * edges[e].n_curves : 0;
  for (guint i = 0; i < 4; i++)
    {
      x1 = MIN (x1, edges[e].x[i]), x2 = MAX (x2, edges[e].x[i]);
      y1 = MIN (y1, edges[e].y[i]), y2 = MAX (y2, edges[e].y[i]);
    }
  for (guint i = 0; i < n_points; i++)
    {
      x1 = MIN (x1, edges[e].path[i].x), x2 = MAX (x2, edges[e].path[i].x);
      y1 = MIN (y1, edges[e].path[i].y), y2 = MAX (y2, edges[e].path[i].y);
    }
  x1 -= 12, y1 -= 12, x2 += 12, y2 += 12;

  alphas = g_new (double, n_edges);
  for (guint i = 0; i < n_edges; i++)
    alphas[i] = edges[i].alpha, edges[i].alpha = 0;
  for (guint k = 0; k < 2; k++)
    {
      HsRenderOptions options;
      cairo_t *cr;

      edges[e].alpha = k == 0 ? 0 : alphas[e];
      surfaces[k] = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil ((x2 - x1) * ARROW_SCALE),
                                                (int) ceil ((y2 - y1) * ARROW_SCALE));
      cr = cairo_create (surfaces[k]);
      cairo_translate (cr, -x1 * ARROW_SCALE, -y1 * ARROW_SCALE);
      hs_render_options_init (&options);
      options.scale = ARROW_SCALE;
      options.marks = marks;
      hs_renderer_draw (cr, layout, &options);
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
      cairo_destroy (cr);
      cairo_surface_flush (surfaces[k]);
    }
  for (guint i = 0; i < n_edges; i++)
    edges[i].alpha = alphas[i];

  hs_renderer_get_arrow_rgb (HS_RENDER_PALETTE_LIGHT, HS_RENDERER_ARROW_CHANGED, rgb, background, &width);
  for (guint c = 0; c < 3; c++)
    want[c] = (guint8) round (rgb[c] * 255);
  for (int y = 0; y < cairo_image_surface_get_height (surfaces[0]); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surfaces[0]); x++)
      {
        const guint32 *rows[2];
        guint32 px;

        for (guint k = 0; k < 2; k++)
          rows[k] = (const guint32 *) (gconstpointer) (cairo_image_surface_get_data (surfaces[k]) +
                                                       (gsize) y * cairo_image_surface_get_stride (surfaces[k]));
        if (rows[0][x] == rows[1][x])
          continue;
        differ++;
        px = rows[1][x];
        if ((px >> 24) == 0xff && ABS ((int) ((px >> 16) & 0xff) - want[0]) <= 2 &&
            ABS ((int) ((px >> 8) & 0xff) - want[1]) <= 2 && ABS ((int) (px & 0xff) - want[2]) <= 2)
          coloured++;
      }
  cairo_surface_destroy (surfaces[0]);
  cairo_surface_destroy (surfaces[1]);
  /* The arrow was drawn at all */
  g_assert_cmpuint (differ, >, 20);
  g_test_message ("edge %u: %u pixels, %u in the changed colour", e, differ, coloured);
  return coloured > 20;
}

/* Which rows of box the renderer tints as changed: their text lies on
 * another colour with marks than without (a bit per row) */
static guint
rows_drawn_changed (HsLayout            *layout,
                    const HsLayoutBox   *box,
                    const HsRenderMarks *marks)
{
  HsRenderOptions options;
  g_autoptr(GArray) plain = NULL;
  g_autoptr(GArray) marked = NULL;
  guint changed = 0;

  hs_render_options_init (&options);
  plain = hs_renderer_get_box_texts (layout, box, &options);
  options.marks = marks;
  marked = hs_renderer_get_box_texts (layout, box, &options);
  g_assert_cmpuint (plain->len, ==, marked->len);
  g_assert_cmpuint (box->n_rows, <, 32);
  for (guint i = 0; i < marked->len; i++)
    {
      const HsRendererText *a = &g_array_index (plain, HsRendererText, i);
      const HsRendererText *b = &g_array_index (marked, HsRendererText, i);

      if (b->role == HS_RENDERER_TEXT_LABEL && memcmp (a->under_rgb, b->under_rgb, sizeof a->under_rgb) != 0)
        changed |= 1u << b->row;
    }
  return changed;
}

/* ages['cy'] = ages['bo'] adds the entry 'cy', pointing at the list 'bo'
 * points at: only the 'cy' row and its arrows are drawn changed, not the
 * 'bo' row, whose reference to that list the line left as it was. */
static void
test_dict_entry (HsTraceFixture *f,
                 gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, ages);
  g_autoptr(HsSnapshot) after = hs_test_step_at_line (trace, 3, 0);
  g_autoptr(HsSnapshot) before = hs_trace_get_snapshot (trace, hs_snapshot_get_index (after) - 1);
  g_autoptr(HsRenderMarks) marks = hs_render_marks_new (before, after);
  g_autoptr(HsLayout) layout = NULL;
  const HsObject *dict = hs_test_var (after, NULL, "ages");
  const HsLayoutBox *boxes, *box = NULL;
  const HsLayoutEdge *edges;
  HsLayoutOptions options;
  guint n_boxes, n_edges, source = 0, cy = G_MAXUINT, n_cy_edges = 0, n_other_edges = 0;

  hs_layout_options_init (&options);
  /* the marks on arrows into values: each value a box */
  options.every_object = TRUE;
  options.step_before = before;
  layout = hs_layout_new (after, NULL, &options);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT && boxes[i].ref == dict->ref)
      box = &boxes[i], source = i;
  g_assert_nonnull (box);
  g_assert_cmpuint (box->n_rows, ==, 3);
  for (guint r = 0; r < box->n_rows; r++)
    {
      g_assert_cmpint (box->rows[r].kind, ==, HS_LAYOUT_ROW_PAIR);
      if (g_strcmp0 (box->rows[r].value, "'cy'") == 0)
        cy = r;
    }
  g_assert_cmpuint (cy, <, 3);
  /* 'bo' and 'cy' name the same list */
  g_assert_cmpuint (box->rows[cy].target, ==, box->rows[(cy + 2) % 3].target);

  g_assert_cmphex (rows_drawn_changed (layout, box, marks), ==, 1u << cy);

  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint e = 0; e < n_edges; e++)
    {
      if (edges[e].from_frame || edges[e].source != source)
        continue;
      if (edges[e].row == cy)
        {
          g_assert_true (edge_drawn_changed (layout, e, marks));
          n_cy_edges++;
        }
      else
        {
          if (edge_drawn_changed (layout, e, marks))
            g_error ("the arrow from row %u (%s), %s, is drawn changed", edges[e].row,
                     box->rows[edges[e].row].value, edges[e].from_key ? "its key" : "its value");
          n_other_edges++;
        }
    }
  /* key and value arrows: 'cy''s two, and 'al''s and 'bo''s four */
  g_assert_cmpuint (n_cy_edges, ==, 2);
  g_assert_cmpuint (n_other_edges, ==, 4);
}

/* The rows of variable var's box the renderer draws changed at the step
 * of line `line` of program, by what they show (a dict's keys, a set's
 * members), in row order, joined by spaces; "" for none */
static char *
changed_rows (HsTraceFixture *f,
              const char     *program,
              guint           line,
              const char     *var)
{
  HsTrace *trace = hs_trace_fixture_run (f, program);
  g_autoptr(HsSnapshot) after = hs_test_step_at_line (trace, line, 0);
  g_autoptr(HsSnapshot) before = hs_trace_get_snapshot (trace, hs_snapshot_get_index (after) - 1);
  g_autoptr(HsRenderMarks) marks = hs_render_marks_new (before, after);
  g_autoptr(HsLayout) layout = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const HsLayoutBox *box;
  HsLayoutOptions options;
  guint changed;

  hs_layout_options_init (&options);
  /* the marks on arrows into values: each value a box */
  options.every_object = TRUE;
  options.step_before = before;
  layout = hs_layout_new (after, NULL, &options);
  box = hs_layout_get_object_box (layout, hs_test_var_ref (after, NULL, var));
  g_assert_nonnull (box);
  changed = rows_drawn_changed (layout, box, marks);
  for (guint r = 0; r < box->n_rows; r++)
    if (changed & (1u << r))
      g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", box->rows[r].value);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* d['a'] = 5 where 'a' was there: its row, and no other; the same value
 * stored again changes no reference, and marks nothing */
static void
test_dict_rebind (HsTraceFixture *f,
                  gconstpointer   data)
{
  g_autofree char *rebound = changed_rows (f, "d = {'a': [1], 'b': [2]}\nd['a'] = 5\nx = 0\n", 3, "d");
  g_autofree char *same = changed_rows (f, "d = {'x': [1], 'y': 2}\nd['x'] = d['x']\nx = 0\n", 3, "d");
  g_autofree char *added = changed_rows (f, "d = {'a': 1, 'b': 1}\nd['c'] = 1\nx = 0\n", 3, "d");

  g_assert_cmpstr (rebound, ==, "'a'");
  g_assert_cmpstr (same, ==, "");
  g_assert_cmpstr (added, ==, "'c'");
}

/* del d['a'] leaves the other entries as they were, though each now
 * stands one place earlier in the dict: no row is marked */
static void
test_dict_delete (HsTraceFixture *f,
                  gconstpointer   data)
{
  g_autofree char *deleted = changed_rows (f, "d = {'a': [1], 'b': [2], 'c': 3}\ndel d['a']\nx = 0\n", 3, "d");

  g_assert_cmpstr (deleted, ==, "");
}

/* s.add(40) adds one member: only its row is marked */
static void
test_set_member (HsTraceFixture *f,
                 gconstpointer   data)
{
  g_autofree char *added = changed_rows (f, "s = {10, 20, 30}\ns.add(40)\nx = 0\n", 3, "s");

  g_assert_cmpstr (added, ==, "40");
}

/* d['x'] = 'x' stores as the value the very object that is the key: the
 * value's arrow is drawn changed, the key's, which the line left as it
 * was, not */
static void
test_key_is_value (HsTraceFixture *f,
                   gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, "d = {'x': 1, 'y': 2}\nd['x'] = 'x'\nx = 0\n");
  g_autoptr(HsSnapshot) after = hs_test_step_at_line (trace, 3, 0);
  g_autoptr(HsSnapshot) before = hs_trace_get_snapshot (trace, hs_snapshot_get_index (after) - 1);
  g_autoptr(HsRenderMarks) marks = hs_render_marks_new (before, after);
  g_autoptr(HsLayout) layout = NULL;
  const HsLayoutBox *boxes, *box = NULL;
  const HsLayoutEdge *edges;
  HsLayoutOptions options;
  guint n_boxes, n_edges, source = 0, n_seen = 0;

  hs_layout_options_init (&options);
  /* the marks on arrows into values: each value a box */
  options.every_object = TRUE;
  options.step_before = before;
  layout = hs_layout_new (after, NULL, &options);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT && boxes[i].ref == hs_test_var_ref (after, NULL, "d"))
      box = &boxes[i], source = i;
  g_assert_nonnull (box);
  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint e = 0; e < n_edges; e++)
    {
      const HsLayoutRow *row;

      if (edges[e].from_frame || edges[e].source != source)
        continue;
      row = &box->rows[edges[e].row];
      if (g_strcmp0 (row->value, "'x'") != 0)
        continue;
      /* one object, key and value */
      g_assert_cmpuint (row->key_target, ==, row->target);
      g_assert_cmpint (edge_drawn_changed (layout, e, marks), ==, !edges[e].from_key);
      n_seen++;
    }
  g_assert_cmpuint (n_seen, ==, 2);
}

/* Boxes collapse exactly below the scale where their smallest text would
 * be under 9 px. */
static void
test_readable_scale (void)
{
  double scale = hs_renderer_get_readable_scale ();

  g_assert_cmpfloat (scale, >, 0.3);
  g_assert_cmpfloat (scale, <, 1.5);
  /* Exports at scale 1 never collapse */
  g_assert_cmpfloat (scale, <=, 1.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ui/change-marks/holders-alone-unchanged", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_holders_alone_unchanged, hs_trace_fixture_teardown);
  g_test_add ("/ui/change-marks/changed-slot", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_changed_slot, hs_trace_fixture_teardown);
  g_test_add ("/ui/change-marks/new-only-when-created", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_tags, hs_trace_fixture_teardown);
  g_test_add ("/ui/change-marks/badge-line", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_badge_line, hs_trace_fixture_teardown);
  g_test_add ("/ui/change-marks/dict-entry", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_dict_entry, hs_trace_fixture_teardown);
  g_test_add ("/ui/change-marks/dict-rebind", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_dict_rebind, hs_trace_fixture_teardown);
  g_test_add ("/ui/change-marks/dict-delete", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_dict_delete, hs_trace_fixture_teardown);
  g_test_add ("/ui/change-marks/set-member", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_set_member, hs_trace_fixture_teardown);
  g_test_add ("/ui/change-marks/key-is-value", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_key_is_value, hs_trace_fixture_teardown);
  g_test_add_func ("/ui/change-marks/readable-scale", test_readable_scale);

  return g_test_run ();
}
