/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every number on screen adds up with "Show hidden holders" on: for every
 * object the graph draws, at every step of every lesson and example, the
 * arrows drawn to it, the references its holder boxes draw and its
 * "+N other" mark make its refcount, and "+N other" is never negative.
 * Each holder box draws only what the runtime named (the snapshot's
 * hidden references), and a literal kept alive by the constants of
 * <module> has its box.  The holders' dashed arrows go around the boxes:
 * none crosses a box other than its two ends.  Traced with the real
 * worker; no display.
 */
#define G_LOG_DOMAIN "heapscope-test-holders-add-up"

#include "config.h"

#include <math.h>
#include <string.h>
#include <gio/gio.h>

#include "hs-describe.h"
#include "hs-graph-view-private.h"
#include "hs-ui-resources.h"
#include "hs-test-trace.h"

#define EXAMPLES "/io/github/heapscope/Heapscope/examples"

/* The arrows the layout draws to ref */
/* The holders of values are drawn beside their boxes: every object a box */
static HsLayout *
every_object_layout (HsSnapshot *snapshot)
{
  HsLayoutOptions options;

  hs_layout_options_init (&options);
  options.every_object = TRUE;
  return hs_layout_new (snapshot, NULL, &options);
}

static guint
arrows_to (HsLayout *layout,
           guint32   ref)
{
  const HsLayoutEdge *arrows;
  guint n_arrows, n = 0;

  arrows = hs_layout_get_edges (layout, &n_arrows);
  for (guint a = 0; a < n_arrows; a++)
    n += arrows[a].target == ref;
  return n;
}

/* The references the runtime names from holders to ref */
static guint
named_to (HsSnapshot *snapshot,
          guint32     ref)
{
  const HsHiddenRef *hidden;
  guint n_hidden, n = 0;

  hidden = hs_snapshot_get_hidden_refs (snapshot, &n_hidden);
  for (guint h = 0; h < n_hidden; h++)
    n += hidden[h].target == ref ? hidden[h].count : 0;
  return n;
}

static gboolean
inside (const HsRect *r,
        double        x,
        double        y)
{
  return x > r->x && x < r->x + r->width && y > r->y && y < r->y + r->height;
}

/* The arrow's path as straight segments, as cairo draws it */
static cairo_path_t *
flatten (const HsLayoutEdge *e)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (surface);
  cairo_path_t *path;

  cairo_set_tolerance (cr, 0.05);
  cairo_move_to (cr, e->path[0].x, e->path[0].y);
  for (guint k = 0; k < e->n_curves; k++)
    cairo_curve_to (cr, e->path[3 * k + 1].x, e->path[3 * k + 1].y, e->path[3 * k + 2].x, e->path[3 * k + 2].y,
                    e->path[3 * k + 3].x, e->path[3 * k + 3].y);
  path = cairo_copy_path_flat (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return path;
}

/* Every holder arrow leaves its box, ends on its object's outline, and
 * on the way enters no box of the layout nor another holder's; returns
 * how many arrows were checked */
static guint
check_holder_arrows (const char *name,
                     guint       step,
                     HsLayout   *layout,
                     GPtrArray  *holders)
{
  const HsLayoutBox *boxes;
  guint n_boxes, n_arrows = 0;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint h = 0; h < holders->len; h++)
    {
      const HsHolderBox *box = g_ptr_array_index (holders, h);
      guint n = hs_holder_box_get_n_held (box, NULL, NULL, 0);
      const char *title;
      HsRect source;

      title = hs_holder_box_get_title (box, &source);
      for (guint i = 0; i < n; i++)
        {
          const HsLayoutEdge *e = hs_holder_box_get_arrow (box, i);
          const HsPoint *end;
          cairo_path_t *path;
          double x = 0, y = 0;
          HsRect target;

          g_assert_nonnull (e);
          g_assert_true (hs_layout_get_object_bounds (layout, e->target, &target));
          g_assert_cmpuint (e->n_curves, >=, 1);
          /* From the holder's outline to its object's */
          g_assert_false (inside (&source, e->path[0].x, e->path[0].y));
          g_assert_true (inside (&(HsRect) { source.x - 0.01, source.y - 0.01, source.width + 0.02, source.height + 0.02 },
                                 e->path[0].x, e->path[0].y));
          end = &e->path[3 * e->n_curves];
          if (inside (&target, end->x, end->y) ||
              !inside (&(HsRect) { target.x - 0.01, target.y - 0.01, target.width + 0.02, target.height + 0.02 },
                       end->x, end->y))
            g_error ("%s, step %u: the arrow of %s ends at (%.1f, %.1f), off its object's outline",
                     name, step, title, end->x, end->y);

          path = flatten (e);
          for (int k = 0; k < path->num_data; k += path->data[k].header.length)
            {
              const cairo_path_data_t *p = &path->data[k];
              double x1, y1, length;

              if (p->header.type != CAIRO_PATH_LINE_TO)
                {
                  x = p[1].point.x, y = p[1].point.y;
                  continue;
                }
              x1 = p[1].point.x, y1 = p[1].point.y;
              length = hypot (x1 - x, y1 - y);
              /* Every half unit along the segment */
              for (guint t = 0; t <= length * 2; t++)
                {
                  double px = x + (x1 - x) * t / MAX (length * 2, 1), py = y + (y1 - y) * t / MAX (length * 2, 1);

                  for (guint b = 0; b < n_boxes; b++)
                    if (boxes[b].alpha > 0 && inside (&boxes[b].rect, px, py) &&
                        !(boxes[b].kind == HS_LAYOUT_BOX_OBJECT && boxes[b].ref == e->target))
                      g_error ("%s, step %u: the arrow of %s to %s crosses the %s at (%.0f, %.0f)",
                               name, step, title, hs_snapshot_lookup (hs_layout_get_snapshot (layout), e->target)->repr,
                               boxes[b].title, px, py);
                  for (guint o = 0; o < holders->len; o++)
                    {
                      HsRect other;

                      hs_holder_box_get_title (g_ptr_array_index (holders, o), &other);
                      /* cairo's path is in fixed point: an arrow that starts
                       * on its holder's outline may start 1/256 inside */
                      other = (HsRect) { other.x + 0.01, other.y + 0.01, other.width - 0.02, other.height - 0.02 };
                      if (inside (&other, px, py))
                        g_error ("%s, step %u: the arrow of %s crosses the holder %s at (%.0f, %.0f)",
                                 name, step, title, hs_holder_box_get_title (g_ptr_array_index (holders, o), NULL), px, py);
                    }
                }
              x = x1, y = y1;
            }
          cairo_path_destroy (path);
          n_arrows++;
        }
    }
  return n_arrows;
}

static void
check_trace (const char *name,
             HsTrace    *trace)
{
  guint n_held = 0, n_boxes_checked = 0, n_arrows = 0;

  for (guint step = 0; step < hs_trace_get_n_steps (trace); step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, step);
      g_autoptr(HsLayout) layout = every_object_layout (snapshot);
      g_autoptr(HsLayoutHolders) placed = hs_layout_holders_new (layout);
      GPtrArray *holders = hs_layout_holders_get_boxes (placed);
      const HsLayoutBox *boxes;
      guint n_boxes;
      double width, height;

      hs_layout_get_size (layout, &width, &height);
      boxes = hs_layout_get_boxes (layout, &n_boxes);
      for (guint b = 0; b < n_boxes; b++)
        {
          const HsObject *o;
          guint arrows, held;
          gint64 other;

          if (boxes[b].kind != HS_LAYOUT_BOX_OBJECT || !(o = hs_snapshot_lookup (snapshot, boxes[b].ref)))
            continue;
          arrows = arrows_to (layout, o->ref);
          held = hs_layout_holders_count_held (placed, o->ref);
          other = hs_layout_holders_count_other (placed, o->ref);
          /* the mark counts what the inspector's breakdown leaves unnamed or undrawn */
          {
            g_autoptr(HsRefcountBreakdown) breakdown = hs_describe_refcount_breakdown (snapshot, o->ref);

            g_assert_cmpint (other, ==, breakdown->immortal ? 0 : breakdown->other + breakdown->n_named - held);
          }
          /* A holder box draws no more than the runtime named */
          g_assert_cmpuint (held, <=, named_to (snapshot, o->ref));
          n_held += held;
          n_boxes_checked++;
          if (o->flags & HS_OBJECT_IMMORTAL)
            {
              g_assert_cmpuint (held, ==, 0);
              g_assert_cmpint (other, ==, 0);
              continue;
            }
          if (other < 0 || (gint64) arrows + held + other != o->refcount)
            g_error ("%s, step %u: %s %s has refcount %" G_GINT64_FORMAT
                     " but %u arrows + %u held + %" G_GINT64_FORMAT " other",
                     name, step, o->type, o->repr, o->refcount, arrows, held, other);
        }

      /* Every holder box lies under the picture and holds drawn objects */
      for (guint h = 0; h < holders->len; h++)
        {
          const HsHolderBox *box = g_ptr_array_index (holders, h);
          HsRect rect, bounds;
          guint32 refs[256];
          guint n = hs_holder_box_get_n_held (box, refs, NULL, G_N_ELEMENTS (refs));

          hs_holder_box_get_title (box, &rect);
          g_assert_cmpfloat (rect.y, >=, height);
          g_assert_cmpuint (n, >, 0);
          for (guint i = 0; i < MIN (n, G_N_ELEMENTS (refs)); i++)
            g_assert_true (hs_layout_get_object_bounds (layout, refs[i], &bounds));
          /* side by side, or in the next row, never overlapping */
          if (h > 0)
            {
              HsRect previous;

              hs_holder_box_get_title (g_ptr_array_index (holders, h - 1), &previous);
              if (rect.y == previous.y)
                g_assert_cmpfloat (rect.x, >=, previous.x + previous.width);
              else
                g_assert_cmpfloat (rect.y, >=, previous.y + previous.height);
            }
        }
      n_arrows += check_holder_arrows (name, step, layout, holders);
    }
  g_assert_cmpuint (n_boxes_checked, >, 0);
  g_test_message ("%s: %u references drawn from holder boxes, %u arrows checked", name, n_held, n_arrows);
}

static void
test_lesson (HsTraceFixture *f,
             gconstpointer   data)
{
  g_autofree char *path = g_build_filename (HS_TEST_LESSONS, data, NULL);
  g_autofree char *source = NULL;

  g_assert_true (g_file_get_contents (path, &source, NULL, NULL));
  check_trace (data, hs_trace_fixture_run (f, source));
}

static void
test_example (HsTraceFixture *f,
              gconstpointer   data)
{
  g_autofree char *path = g_build_path ("/", EXAMPLES, data, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
  g_autofree char *source = NULL;

  g_assert_nonnull (bytes);
  source = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  check_trace (data, hs_trace_fixture_run (f, source));
}

/* How many references to ref the holder boxes titled title hold */
static guint
count_held_by (GPtrArray  *holders,
               guint32     ref,
               const char *title)
{
  guint total = 0;

  for (guint h = 0; h < holders->len; h++)
    {
      const HsHolderBox *box = g_ptr_array_index (holders, h);
      guint32 refs[64];
      guint counts[64];
      guint n = hs_holder_box_get_n_held (box, refs, counts, G_N_ELEMENTS (refs));

      for (guint i = 0; i < MIN (n, G_N_ELEMENTS (refs)); i++)
        if (refs[i] == ref && g_str_equal (hs_holder_box_get_title (box, NULL), title))
          total += counts[i];
    }
  return total;
}

/* x = 1000: the literal's box has one arrow from the constants of <module>
 * and one from the parser's arena, which python3 counts too while the
 * script runs (sys.getrefcount() prints 4 at line 3); at the end the
 * arena is freed and draws nothing. */
static void
test_literal_held (HsTraceFixture *f,
                   gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, "import sys\nx = 1000\ny = x\nprint(sys.getrefcount(x))\n");
  g_autoptr(HsSnapshot) snapshot = hs_test_step_at_line (trace, 4, 0);
  g_autoptr(HsSnapshot) last = hs_test_last_step (trace);
  g_autoptr(HsLayout) layout = every_object_layout (snapshot);
  g_autoptr(HsLayout) last_layout = every_object_layout (last);
  g_autoptr(HsLayoutHolders) placed = hs_layout_holders_new (layout);
  GPtrArray *holders = hs_layout_holders_get_boxes (placed);
  g_autoptr(HsLayoutHolders) last_placed = hs_layout_holders_new (last_layout);
  guint32 thousand = hs_test_var_ref (snapshot, NULL, "x");
  guint32 thousand_at_end = hs_test_var_ref (last, NULL, "x");

  g_assert_cmpint (hs_test_var (snapshot, NULL, "x")->refcount, ==, 4);
  g_assert_cmpuint (count_held_by (holders, thousand, "constants of <module>"), ==, 1);
  g_assert_cmpuint (count_held_by (holders, thousand, "the parser's arena"), ==, 1);
  g_assert_cmpuint (hs_layout_holders_count_held (placed, thousand), ==, 2);

  g_assert_cmpint (hs_test_var (last, NULL, "x")->refcount, ==, 2);
  g_assert_cmpuint (hs_layout_holders_count_held (last_placed, thousand_at_end), ==, 0);
}

/* The AST optimiser folds `not 0` and `__debug__` to a bool, which it
 * keeps in the arena too: the arena is still found, and 1000 still
 * named as held by it. */
static void
test_arena_with_folded_bool (HsTraceFixture *f,
                             gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, "x = 1000\nok = not 0\nif __debug__:\n    pass\n");
  g_autoptr(HsSnapshot) snapshot = hs_test_step_at_line (trace, 3, 0);
  g_autoptr(HsLayout) layout = every_object_layout (snapshot);
  g_autoptr(HsLayoutHolders) placed = hs_layout_holders_new (layout);
  GPtrArray *holders = hs_layout_holders_get_boxes (placed);

  g_assert_cmpuint (count_held_by (holders, hs_test_var_ref (snapshot, NULL, "x"), "the parser's arena"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) examples = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) lessons = g_ptr_array_new_with_free_func (g_free);   /* the tests' data */
  const char *name;

  g_test_init (&argc, &argv, NULL);
  hs_ui_register_resource ();

  dir = g_dir_open (HS_TEST_LESSONS, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".py"))
      {
        g_autofree char *path = g_strdup_printf ("/ui/holders-add-up/lesson/%s", name);

        g_ptr_array_add (lessons, g_strdup (name));
        g_test_add (path, HsTraceFixture, g_ptr_array_index (lessons, lessons->len - 1),
                    hs_trace_fixture_setup, test_lesson, hs_trace_fixture_teardown);
      }
  examples = g_resources_enumerate_children (EXAMPLES, 0, NULL);
  g_assert_nonnull (examples);
  for (guint i = 0; examples[i]; i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/holders-add-up/example/%s", examples[i]);

      g_test_add (path, HsTraceFixture, examples[i],
                  hs_trace_fixture_setup, test_example, hs_trace_fixture_teardown);
    }
  g_test_add ("/ui/holders-add-up/literal-held", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_literal_held, hs_trace_fixture_teardown);
  g_test_add ("/ui/holders-add-up/arena-with-folded-bool", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_arena_with_folded_bool, hs_trace_fixture_teardown);

  return g_test_run ();
}
