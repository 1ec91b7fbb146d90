/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the graph marks as the last line's doing, against the real worker:
 * the slot a line changed in a container (and not its other slots), the
 * "new" tag only on what the line created, and the semantic zoom's scale.
 */
#define G_LOG_DOMAIN "heapscope-test-change-marks"

#include "config.h"

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
      /* The middle of the third line: title, facts, then badges */
      y = box->rect.y + 4 + hs_layout_text_height (HS_LAYOUT_FONT_TITLE)
          + hs_layout_text_height (HS_LAYOUT_FONT_SMALL) * 1.5;
      hs_layout_text_unlock ();
      g_assert_cmpint (hs_renderer_hit_box (layout, box, box->rect.x + 12, y), ==, HS_RENDERER_HIT_MARKS);
      /* The title is not a badge */
      g_assert_cmpint (hs_renderer_hit_box (layout, box, box->rect.x + 12, box->rect.y + 6), ==, HS_RENDERER_HIT_NONE);
      n_seen++;
    }
  g_assert_cmpuint (n_seen, >, 0);
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

  g_test_add ("/ui/change-marks/changed-slot", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_changed_slot, hs_trace_fixture_teardown);
  g_test_add ("/ui/change-marks/new-only-when-created", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_tags, hs_trace_fixture_teardown);
  g_test_add ("/ui/change-marks/badge-line", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_badge_line, hs_trace_fixture_teardown);
  g_test_add_func ("/ui/change-marks/readable-scale", test_readable_scale);

  return g_test_run ();
}
