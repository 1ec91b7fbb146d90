/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Big containers in the real window, under Xvfb (issue 8): a click on
 * "… N more" shows more of that container and of no other, what the row
 * counts adds up with what is drawn, the container stays shown so across
 * steps, and when the snapshot holds no more (the runtime's element cap
 * left the rest out) the click raises the cap and runs again.  The
 * keyboard reaches all of it through the action win.show-more.
 */
#define G_LOG_DOMAIN "heapscope-test-show-more"

#include "config.h"

#include <string.h>

#include "hs-graph-view-private.h"
#include "hs-test-run.h"
#include "hs-test-trace.h"

static HsApplication *app;

/* C-level builders: no comprehension frame stepping through 500 entries */
static const char program[] =
  "xs = list(range(1000))\n"
  "d = dict(zip(range(500), range(500)))\n"
  "ys = list(range(40))\n"
  "n = 0\n";

static gboolean
graph_is_settled (gpointer data)
{
  HsWindow *window = data;
  HsGraphView *graph = hs_window_get_graph_view (window);

  return hs_test_window_is_idle (window) && !hs_graph_view_get_busy (graph) &&
         hs_graph_view_get_snapshot (graph) != NULL &&
         hs_snapshot_get_index (hs_graph_view_get_snapshot (graph)) == hs_window_get_step (window);
}

static void
settle (HsWindow *window)
{
  HsGraphView *graph = hs_window_get_graph_view (window);

  g_assert_true (hs_test_wait_until (graph_is_settled, window));
  hs_graph_view_finish_animations (graph);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  hs_graph_view_finish_animations (graph);
  g_assert_true (hs_test_wait_until (graph_is_settled, window));
}

static void
show_last_step (HsWindow *window)
{
  hs_window_show_step (window, hs_trace_get_n_steps (hs_window_get_trace (window)) - 1, FALSE);
  settle (window);
}

static const HsLayoutBox *
box_of (HsGraphView *graph,
        const char  *name)
{
  HsLayout *layout = hs_graph_view_get_layout (graph);
  const HsLayoutBox *box = hs_layout_get_object_box (layout, hs_test_var_ref (hs_layout_get_snapshot (layout), NULL, name));

  g_assert_nonnull (box);
  return box;
}

static guint
elision_row (const HsLayoutBox *box)
{
  for (guint r = 0; r < box->n_rows; r++)
    if (box->rows[r].kind == HS_LAYOUT_ROW_ELISION)
      return r;
  g_assert_not_reached ();
  return 0;
}

/* Every container the graph draws: its drawn entries and what its "… N
 * more" rows count make its len() */
static void
assert_counts_add_up (HsGraphView *graph)
{
  HsLayout *layout = hs_graph_view_get_layout (graph);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  const HsLayoutBox *boxes;
  guint n, checked = 0;

  boxes = hs_layout_get_boxes (layout, &n);
  for (guint i = 0; i < n; i++)
    {
      const HsObject *o = hs_snapshot_lookup (snapshot, boxes[i].ref);
      guint64 total = 0;

      if (boxes[i].kind != HS_LAYOUT_BOX_OBJECT || o == NULL || !(o->flags & HS_OBJECT_CONTAINER)
          || boxes[i].n_rows == 0)
        continue;
      for (guint r = 0; r < boxes[i].n_rows; r++)
        total += boxes[i].rows[r].kind == HS_LAYOUT_ROW_ELISION ? boxes[i].rows[r].hidden : 1;
      g_assert_cmpuint (total, ==, o->length);
      checked++;
    }
  g_assert_cmpuint (checked, >=, 3);
}

static gpointer
find_click (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        return controller;   /* the widget keeps it */
    }
  g_assert_not_reached ();
  return NULL;
}

/* Clicks the middle of row r of box, with the view moved so that it is
 * in the middle of the widget (away from a pinned frame's corner) */
static void
click_row (HsWindow          *window,
           const HsLayoutBox *box,
           guint              r)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  double lx = box->rect.x + box->rows[r].x + box->rows[r].width / 2;
  double ly = box->rect.y + box->rows[r].y + box->rows[r].height / 2;
  double wx = gtk_widget_get_width (GTK_WIDGET (graph)) / 2.0;
  double wy = gtk_widget_get_height (GTK_WIDGET (graph)) / 2.0;

  hs_graph_view_set_follow (graph, FALSE);
  graph->offset_x = wx - lx * graph->zoom;
  graph->offset_y = wy - ly * graph->zoom;
  gtk_widget_queue_draw (GTK_WIDGET (graph));
  g_signal_emit_by_name (find_click (GTK_WIDGET (graph)), "released", 1, wx, wy);
}

/* A click on "… N more" shows 50 more of that list, and of nothing else;
 * it stays so at the step before and after */
static void
test_click (void)
{
  HsWindow *window = hs_test_window_new_run (program, "show-more-click");
  HsGraphView *graph = hs_window_get_graph_view (window);
  guint32 xs, d, ys;
  guint last;
  const HsLayoutBox *box;

  show_last_step (window);
  last = hs_window_get_step (window);
  assert_counts_add_up (graph);
  xs = hs_test_var_ref (hs_graph_view_get_snapshot (graph), NULL, "xs");
  d = hs_test_var_ref (hs_graph_view_get_snapshot (graph), NULL, "d");
  ys = hs_test_var_ref (hs_graph_view_get_snapshot (graph), NULL, "ys");
  box = box_of (graph, "xs");
  g_assert_cmpuint (box->n_rows, ==, 10 + 1 + 3);
  g_assert_cmpstr (box->rows[10].label, ==, "… 987 more");

  click_row (window, box, elision_row (box));
  settle (window);
  g_assert_cmpuint (hs_graph_view_get_more_cells (graph, xs), ==, 50);
  g_assert_cmpuint (hs_graph_view_get_more_cells (graph, d), ==, 0);
  g_assert_cmpuint (hs_graph_view_get_more_cells (graph, ys), ==, 0);
  /* the click selected the list too */
  {
    guint32 refs[2];

    g_assert_cmpuint (hs_graph_view_get_selection (graph, refs, NULL), ==, 1);
    g_assert_cmpuint (refs[0], ==, xs);
  }
  box = box_of (graph, "xs");
  g_assert_cmpuint (box->n_rows, ==, 60 + 1 + 3);
  g_assert_cmpstr (box->rows[59].label, ==, "59");
  g_assert_cmpstr (box->rows[60].label, ==, "… 937 more");
  g_assert_cmpuint (box_of (graph, "d")->n_rows, ==, 10 + 1);
  g_assert_cmpuint (box_of (graph, "ys")->n_rows, ==, 10 + 1 + 3);
  assert_counts_add_up (graph);

  /* Stepping keeps it */
  hs_window_show_step (window, last - 1, FALSE);
  settle (window);
  g_assert_cmpuint (box_of (graph, "xs")->n_rows, ==, 60 + 1 + 3);
  assert_counts_add_up (graph);
  hs_window_show_step (window, last, FALSE);
  settle (window);
  g_assert_cmpuint (box_of (graph, "xs")->n_rows, ==, 60 + 1 + 3);

  /* Once more: the 37 the snapshot still holds, then the row says what
   * the runtime did not record */
  box = box_of (graph, "xs");
  click_row (window, box, elision_row (box));
  settle (window);
  box = box_of (graph, "xs");
  g_assert_cmpuint (box->n_rows, ==, 97 + 1 + 3);
  g_assert_cmpuint (box->rows[97].held, ==, 0);
  g_assert_cmpuint (box->rows[97].rerun_cap, ==, 1000);
  g_assert_cmpstr (box->rows[97].label, ==, "… 900 more, not recorded");
  assert_counts_add_up (graph);

  hs_test_window_close (window);
}

/* Run again keeps what "… N more" showed: the new trace's list under
 * the same name shows as much of itself, and the other containers stay
 * folded */
static void
test_run_again (void)
{
  HsWindow *window = hs_test_window_new_run (program, "show-more-run-again");
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsTrace *first;
  const HsLayoutBox *box;
  guint32 xs;

  show_last_step (window);
  box = box_of (graph, "xs");
  click_row (window, box, elision_row (box));
  settle (window);
  g_assert_cmpuint (box_of (graph, "xs")->n_rows, ==, 60 + 1 + 3);

  first = g_object_ref (hs_window_get_trace (window));
  hs_test_activate (window, "run");
  hs_test_wait_idle (window);
  g_assert_true (hs_window_get_trace (window) != first);
  g_object_unref (first);
  show_last_step (window);
  xs = hs_test_var_ref (hs_graph_view_get_snapshot (graph), NULL, "xs");
  g_assert_cmpuint (hs_graph_view_get_more_cells (graph, xs), ==, 50);
  box = box_of (graph, "xs");
  g_assert_cmpuint (box->n_rows, ==, 60 + 1 + 3);
  g_assert_cmpstr (box->rows[60].label, ==, "… 937 more");
  g_assert_cmpuint (box_of (graph, "d")->n_rows, ==, 10 + 1);
  g_assert_cmpuint (box_of (graph, "ys")->n_rows, ==, 10 + 1 + 3);
  assert_counts_add_up (graph);

  /* and the run after that too */
  hs_test_activate (window, "run");
  hs_test_wait_idle (window);
  show_last_step (window);
  g_assert_cmpuint (box_of (graph, "xs")->n_rows, ==, 60 + 1 + 3);

  hs_test_window_close (window);
}

static guint
entries_at_end (HsWindow   *window,
                const char *name,
                guint      *omitted)
{
  HsTrace *trace = hs_window_get_trace (window);
  g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, hs_trace_get_n_steps (trace) - 1);
  const HsObject *o = hs_snapshot_lookup (snapshot, hs_test_var_ref (snapshot, NULL, name));
  guint n = 0;

  g_assert_nonnull (o);
  for (guint i = 0; i < o->n_edges; i++)
    n += o->edges[i].kind != HS_EDGE_VALUE;
  *omitted = o->omitted;
  return n;
}

/* The keyboard: win.show-more on the selected dict shows its first 100
 * entries (what the runtime sent); then a click on the row, or the action
 * again, raises the element cap and runs again, and the new run records
 * the whole container */
static void
test_keyboard_and_rerun (void)
{
  HsWindow *window = hs_test_window_new_run (program, "show-more-rerun");
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsTrace *first;
  const HsLayoutBox *box;
  guint omitted;

  g_assert_cmpuint (g_settings_get_uint (window->settings, "element-cap"), ==, 100);
  g_assert_cmpuint (entries_at_end (window, "d", &omitted), ==, 100);
  g_assert_cmpuint (omitted, ==, 400);

  show_last_step (window);
  hs_graph_view_select_object (graph, hs_test_var_ref (hs_graph_view_get_snapshot (graph), NULL, "d"), FALSE);
  hs_test_activate (window, "show-more");
  settle (window);
  g_assert_cmpuint (box_of (graph, "d")->n_rows, ==, 60 + 1);
  hs_test_activate (window, "show-more");
  settle (window);
  box = box_of (graph, "d");
  g_assert_cmpuint (box->n_rows, ==, 100 + 1);
  g_assert_cmpuint (box->rows[100].rerun_cap, ==, 500);
  g_assert_cmpstr (box->rows[100].label, ==, "… 400 more, not recorded");
  assert_counts_add_up (graph);

  /* The click runs again with a cap of 500: a new trace, new ids */
  first = g_object_ref (hs_window_get_trace (window));
  click_row (window, box, 100);
  hs_test_wait_idle (window);
  g_assert_true (hs_window_get_trace (window) != first);
  g_object_unref (first);
  g_assert_cmpuint (g_settings_get_uint (window->settings, "element-cap"), ==, 500);
  g_assert_nonnull (strstr (hs_window_get_last_toast (window), "new ids"));
  g_assert_cmpuint (entries_at_end (window, "d", &omitted), ==, 500);
  g_assert_cmpuint (omitted, ==, 0);
  /* the new run recorded all 500: the dict keeps the 100 entries it
   * showed (the run kept them, by its name), then its true last 3 */
  show_last_step (window);
  g_assert_cmpuint (box_of (graph, "d")->n_rows, ==, 100 + 1 + 3);
  g_assert_cmpstr (box_of (graph, "d")->rows[100].label, ==, "… 397 more");
  assert_counts_add_up (graph);

  /* The list of 1,000 by the keyboard alone: shown up to the 500 now
   * recorded (3 at its end), then the action runs again with 1,000 */
  g_assert_cmpuint (entries_at_end (window, "xs", &omitted), ==, 500);
  hs_graph_view_select_object (graph, hs_test_var_ref (hs_graph_view_get_snapshot (graph), NULL, "xs"), FALSE);
  for (guint i = 0; i < 10; i++)
    {
      hs_test_activate (window, "show-more");
      settle (window);
    }
  box = box_of (graph, "xs");
  g_assert_cmpuint (box->n_rows, ==, 497 + 1 + 3);
  g_assert_cmpuint (box->rows[497].rerun_cap, ==, 1000);
  first = g_object_ref (hs_window_get_trace (window));
  hs_test_activate (window, "show-more");
  hs_test_wait_idle (window);
  g_assert_true (hs_window_get_trace (window) != first);
  g_object_unref (first);
  g_assert_cmpuint (g_settings_get_uint (window->settings, "element-cap"), ==, 1000);
  /* the element cap cuts nothing now; the runtime's cap on the objects
   * of a step (1,000) may still keep a few of the 1,000 ints out, and
   * then the row says so, with no run to offer: the cap is 1,000 now */
  g_assert_cmpuint (entries_at_end (window, "xs", &omitted), >, 900);
  show_last_step (window);
  box = box_of (graph, "xs");
  for (guint r = 0; r < box->n_rows; r++)
    if (box->rows[r].kind == HS_LAYOUT_ROW_ELISION)
      g_assert_cmpuint (box->rows[r].rerun_cap, ==, 0);

  g_settings_reset (window->settings, "element-cap");
  hs_test_window_close (window);
}

/* With nothing selected, or nothing more to show, the action says so */
static void
test_nothing_more (void)
{
  HsWindow *window = hs_test_window_new_run (program, "show-more-nothing");
  HsGraphView *graph = hs_window_get_graph_view (window);

  show_last_step (window);
  hs_graph_view_unselect_all (graph);
  hs_test_activate (window, "show-more");
  g_assert_cmpstr (hs_window_get_last_toast (window), ==, "Select a container in the graph first");
  hs_graph_view_select_object (graph, hs_test_var_ref (hs_graph_view_get_snapshot (graph), NULL, "n"), FALSE);
  hs_test_activate (window, "show-more");
  g_assert_cmpstr (hs_window_get_last_toast (window), ==, "All of this container that was recorded is shown");
  g_assert_null (graph->more_cells);

  hs_test_window_close (window);
}

/* Two variables of one name in one frame: while a comprehension inlined
 * in the module's code runs (3.12 on, PEP 709), the module frame lists
 * the comprehension's x, then the global x.  Each keeps what "… N more"
 * showed of its own list across Run again: the global's is not given the
 * comprehension's, nor the other way round. */
static guint
step_with_two_x (HsTrace  *trace,
                 guint32  *hidden,
                 guint32  *global)
{
  for (guint s = 0; s < hs_trace_get_n_steps (trace); s++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, s);
      const HsFrame *frames;
      guint n_frames, n_x = 0;

      frames = hs_snapshot_get_frames (snapshot, &n_frames);
      g_assert_cmpuint (n_frames, >=, 1);
      for (guint v = 0; v < frames[n_frames - 1].n_vars; v++)
        if (g_str_equal (frames[n_frames - 1].vars[v].name, "x"))
          *(n_x++ == 0 ? hidden : global) = frames[n_frames - 1].vars[v].ref;
      if (n_x == 2)
        return s;
    }
  g_assert_not_reached ();
  return 0;
}

static void
test_comprehension_shadows (gconstpointer data)
{
  const char *version = data;
  const char *source =
    "x = list(range(1000))\n"
    "rows = [list(range(300))]\n"
    "lens = [len(x) for x in rows]\n"
    "n = 0\n";
  HsWindow *window;
  HsGraphView *graph;
  guint step, hidden_cells, global_cells;
  guint32 hidden = 0, global = 0;

  if (!hs_test_require_python (version))
    return;
  window = hs_window_new (app);
  graph = hs_window_get_graph_view (window);
  hs_window_set_text (window, source, NULL, "show-more-comprehension");
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "python", g_variant_new_string (version));
  g_assert_true (hs_test_wait_until (hs_test_window_is_idle, window));
  g_assert_cmpstr (hs_window_get_python (window), ==, version);
  hs_test_activate (window, "run");
  hs_test_wait_idle (window);
  g_assert_cmpstr (hs_trace_get_status (hs_window_get_trace (window)), ==, "finished");

  /* the comprehension's list grows once, the global's twice */
  step = step_with_two_x (hs_window_get_trace (window), &hidden, &global);
  g_assert_cmpuint (hidden, !=, global);
  hs_window_show_step (window, step, FALSE);
  settle (window);
  g_assert_true (hs_graph_view_show_more (graph, hidden));
  settle (window);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (hs_graph_view_show_more (graph, global));
      settle (window);
    }
  hidden_cells = hs_graph_view_get_more_cells (graph, hidden);
  global_cells = hs_graph_view_get_more_cells (graph, global);
  g_assert_cmpuint (hidden_cells, ==, 50);
  g_assert_cmpuint (global_cells, >, hidden_cells);

  /* Run again: the first step that binds each name grows its own list */
  hs_test_activate (window, "run");
  hs_test_wait_idle (window);
  hs_window_show_step (window, 0, FALSE);
  settle (window);
  step = step_with_two_x (hs_window_get_trace (window), &hidden, &global);
  for (guint s = 1; s <= step; s++)
    {
      hs_window_show_step (window, s, FALSE);
      settle (window);
    }
  g_assert_cmpuint (hs_graph_view_get_more_cells (graph, global), ==, global_cells);
  g_assert_cmpuint (hs_graph_view_get_more_cells (graph, hidden), ==, hidden_cells);

  hs_test_window_close (window);
}

static gboolean
graph_not_busy (gpointer data)
{
  return !hs_graph_view_get_busy (data);
}

/* Issue 8: search finds and frames an object at 10,000 objects too,
 * where it stands in a container's "… N more": its id (or repr) finds
 * it in the snapshot (xs[60] here), the list grows just far enough to
 * draw it, and the view shows its box.  Before, the inspector described the object
 * while the graph had no box for it. */
static void
test_find_elided (void)
{
  HsWindow *window = hs_test_window_new_run (program, "show-more-find");
  HsGraphView *graph = hs_window_get_graph_view (window);
  const HsObject *list;
  g_autofree char *id = NULL;
  guint32 xs, target = 0, refs[2];
  HsRect view, bounds;

  show_last_step (window);
  xs = hs_test_var_ref (hs_graph_view_get_snapshot (graph), NULL, "xs");
  list = hs_snapshot_lookup (hs_graph_view_get_snapshot (graph), xs);
  g_assert_nonnull (list);
  target = hs_test_edge (hs_graph_view_get_snapshot (graph), list, HS_EDGE_ITEM, "60")->ref;
  g_assert_cmpuint (target, !=, 0);
  g_assert_null (hs_layout_get_object_box (hs_graph_view_get_layout (graph), target));

  id = g_strdup_printf ("%" G_GUINT64_FORMAT, hs_snapshot_lookup (hs_graph_view_get_snapshot (graph), target)->id);
  g_assert_true (hs_window_find (window, id));
  settle (window);
  g_assert_cmpuint (hs_graph_view_get_selection (graph, refs, NULL), ==, 1);
  g_assert_cmpuint (refs[0], ==, target);
  /* entries 0 to 60 of the list (the runtime's cap holds its first
   * 97): 51 beyond the first ten */
  g_assert_cmpuint (hs_graph_view_get_more_cells (graph, xs), ==, 51);
  g_assert_true (hs_layout_get_object_bounds (hs_graph_view_get_layout (graph), target, &bounds));
  hs_graph_view_get_visible_rect (graph, &view);
  g_test_message ("int 60 at (%.0f, %.0f), the view (%.0f, %.0f, %.0f×%.0f)",
                  bounds.x, bounds.y, view.x, view.y, view.width, view.height);
  g_assert_true (bounds.x >= view.x && bounds.y >= view.y &&
                 bounds.x + bounds.width <= view.x + view.width && bounds.y + bounds.height <= view.y + view.height);

  hs_test_window_close (window);
}

/* An elided object revealed while its step is still being laid out in a
 * thread (a heap of over 128 objects), as a search can, twice, with the
 * view not following: the view grows the list once that layout comes,
 * stays busy until the step is laid out again with the entry drawn, and
 * then frames it */
static void
test_find_elided_while_laying_out (void)
{
  HsWindow *window = hs_test_window_new_run ("xs = list(range(1000, 2000))\n"
                                             "ys = list(range(3000, 4000))\n"
                                             "n = 0\n", "show-more-find-pending");
  HsGraphView *graph = hs_window_get_graph_view (window);
  g_autoptr(HsSnapshot) step = NULL;
  const HsObject *list;
  guint32 xs, target = 0;
  guint n_objects;
  HsRect view, bounds;

  show_last_step (window);
  /* the very snapshot shown: the view lays the same step out again */
  step = hs_snapshot_ref (hs_graph_view_get_snapshot (graph));
  hs_snapshot_get_objects (step, &n_objects);
  g_assert_cmpuint (n_objects, >, 128);
  xs = hs_test_var_ref (step, NULL, "xs");
  list = hs_snapshot_lookup (step, xs);
  g_assert_nonnull (list);
  target = hs_test_edge (step, list, HS_EDGE_ITEM, "80")->ref;
  g_assert_cmpuint (target, !=, 0);
  g_assert_null (hs_layout_get_object_box (hs_graph_view_get_layout (graph), target));

  hs_graph_view_set_step (graph, hs_window_get_trace (window), step, FALSE);
  g_assert_true (hs_graph_view_get_busy (graph));
  /* as after a pan by hand: only the reveal moves the view */
  hs_graph_view_set_follow (graph, FALSE);
  hs_graph_view_select_object (graph, target, FALSE);
  hs_graph_view_reveal_object (graph, target);
  /* and again, as Enter pressed twice, while the grown step is laid
   * out: the reveal still waits for that layout */
  g_assert_true (hs_graph_view_get_busy (graph));
  hs_graph_view_reveal_object (graph, target);
  g_assert_cmpuint (graph->reveal_pending, ==, target);
  g_assert_true (hs_test_wait_until (graph_not_busy, graph));
  g_assert_nonnull (hs_layout_get_object_box (hs_graph_view_get_layout (graph), target));
  g_assert_cmpuint (hs_graph_view_get_more_cells (graph, xs), ==, 71);
  settle (window);
  g_assert_true (hs_layout_get_object_bounds (hs_graph_view_get_layout (graph), target, &bounds));
  hs_graph_view_get_visible_rect (graph, &view);
  g_assert_true (bounds.x >= view.x && bounds.y >= view.y &&
                 bounds.x + bounds.width <= view.x + view.width && bounds.y + bounds.height <= view.y + view.height);
  hs_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  app = hs_test_init (&argc, &argv);

  g_test_add_func ("/ui/show-more/click", test_click);
  g_test_add_func ("/ui/show-more/keyboard-and-rerun", test_keyboard_and_rerun);
  g_test_add_func ("/ui/show-more/run-again", test_run_again);
  g_test_add_func ("/ui/show-more/nothing-more", test_nothing_more);
  g_test_add_func ("/ui/show-more/find-elided", test_find_elided);
  g_test_add_func ("/ui/show-more/find-elided-while-laying-out", test_find_elided_while_laying_out);
  g_test_add_data_func ("/ui/show-more/comprehension-shadows/3.12", "3.12", test_comprehension_shadows);
  g_test_add_data_func ("/ui/show-more/comprehension-shadows/3.13", "3.13", test_comprehension_shadows);

  return hs_test_run (app);
}
