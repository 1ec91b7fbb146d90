/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the graph view hands GTK from one frame to the next.  GTK's
 * renderer draws again only the nodes that differ from the frame before,
 * and a cairo node that is a new one differs whatever it draws: a frame
 * that changes nothing in the view (the window painting for its slider,
 * or while a step is laid out) must hand over the very cairo nodes of
 * the frame before, the picture's and the pinned copy's of the current
 * frame, or the whole view is drawn again.  What it keeps must still draw
 * what a fresh drawing draws, also after the view moved.
 */
#define G_LOG_DOMAIN "heapscope-test-graph-view-paint"

#include "config.h"

#include "hs-graph-view-private.h"
#include "hs-test-run.h"

/* A call whose frame stands far from what its line changes: the camera
 * frames the change, and pins a copy of the frame at the view's corner */
static const char source[] =
  "def fill(rows):\n"
  "    for k in range(60):\n"
  "        rows[k % 12][k // 12 % 5][0] = k\n"
  "    return rows\n"
  "\n"
  "rows = [[[None] for j in range(5)] for i in range(12)]\n"
  "fill(rows)\n";

static HsApplication *app;

static void
collect_cairo_nodes (GskRenderNode *node,
                     GPtrArray     *out)
{
  if (node == NULL)
    return;
  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_CAIRO_NODE:
      g_ptr_array_add (out, node);
      break;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        collect_cairo_nodes (gsk_container_node_get_child (node, i), out);
      break;
    case GSK_CLIP_NODE:
      collect_cairo_nodes (gsk_clip_node_get_child (node), out);
      break;
    case GSK_ROUNDED_CLIP_NODE:
      collect_cairo_nodes (gsk_rounded_clip_node_get_child (node), out);
      break;
    case GSK_TRANSFORM_NODE:
      collect_cairo_nodes (gsk_transform_node_get_child (node), out);
      break;
    case GSK_OPACITY_NODE:
      collect_cairo_nodes (gsk_opacity_node_get_child (node), out);
      break;
    default:
      break;
    }
}

/* What the view draws for one frame: its snapshot, made afresh as GTK
 * makes it when the widget was queued for drawing */
static GskRenderNode *
snapshot_view (HsGraphView *graph)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  GTK_WIDGET_GET_CLASS (graph)->snapshot (GTK_WIDGET (graph), snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

static cairo_surface_t *
draw_node (HsGraphView   *graph,
           GskRenderNode *node)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                         gtk_widget_get_width (GTK_WIDGET (graph)),
                                                         gtk_widget_get_height (GTK_WIDGET (graph)));
  cairo_t *cr = cairo_create (surface);

  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static guint
count_differing_pixels (cairo_surface_t *a,
                        cairo_surface_t *b)
{
  int width = cairo_image_surface_get_width (a), height = cairo_image_surface_get_height (a);
  int stride = cairo_image_surface_get_stride (a);
  const guchar *pa = cairo_image_surface_get_data (a), *pb = cairo_image_surface_get_data (b);
  guint n = 0;

  g_assert_cmpint (width, ==, cairo_image_surface_get_width (b));
  g_assert_cmpint (height, ==, cairo_image_surface_get_height (b));
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      n += memcmp (pa + y * stride + 4 * x, pb + y * stride + 4 * x, 4) != 0;
  return n;
}

static gboolean
contains_all (GPtrArray *kept,
              GPtrArray *nodes)
{
  for (guint i = 0; i < nodes->len; i++)
    if (!g_ptr_array_find (kept, g_ptr_array_index (nodes, i), NULL))
      return FALSE;
  return TRUE;
}

static gboolean
shares_any (GPtrArray *a,
            GPtrArray *b)
{
  for (guint i = 0; i < b->len; i++)
    if (g_ptr_array_find (a, g_ptr_array_index (b, i), NULL))
      return TRUE;
  return FALSE;
}

/* Drops every node the view keeps, the way a new palette does, and
 * returns what a fresh drawing of the same view draws */
static cairo_surface_t *
draw_afresh (HsGraphView *graph,
             GPtrArray   *kept)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  gboolean contrast = graph->high_contrast;

  /* another style and back: the same style again keeps the picture */
  hs_graph_view_set_presentation (graph, graph->line_scale, !contrast, graph->hide_changes);
  hs_graph_view_set_presentation (graph, graph->line_scale, contrast, graph->hide_changes);
  node = snapshot_view (graph);
  collect_cairo_nodes (node, nodes);
  g_assert_false (shares_any (kept, nodes));
  return draw_node (graph, node);
}

/* A window of 900x560 that ran the snippet to its end */
static HsWindow *
paint_window (void)
{
  HsWindow *window = hs_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 560);
  hs_window_set_text (window, source, NULL, "paint.py");
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  hs_test_wait_idle (window);
  g_assert_cmpstr (hs_trace_get_status (hs_window_get_trace (window)), ==, "finished");
  return window;
}

/* What node, made of the cairo nodes in nodes, draws is what a fresh
 * drawing of the view draws */
static void
assert_draws_as_fresh (HsGraphView   *graph,
                       GskRenderNode *node,
                       GPtrArray     *nodes)
{
  cairo_surface_t *kept = draw_node (graph, node);
  cairo_surface_t *fresh = draw_afresh (graph, nodes);

  g_assert_cmpuint (count_differing_pixels (kept, fresh), ==, 0);
  cairo_surface_destroy (kept);
  cairo_surface_destroy (fresh);
}

/* Snapshots the view twice, as two frames that change nothing; returns
 * the second, its cairo nodes in nodes, and asserts that it hands GTK
 * the first's cairo nodes again, no others, at least `least` of them */
static GskRenderNode *
snapshot_twice_keeps (HsGraphView *graph,
                      GPtrArray   *nodes,
                      guint        least)
{
  g_autoptr(GskRenderNode) first = snapshot_view (graph);
  g_autoptr(GPtrArray) first_nodes = g_ptr_array_new ();
  GskRenderNode *second = snapshot_view (graph);

  collect_cairo_nodes (first, first_nodes);
  collect_cairo_nodes (second, nodes);
  g_assert_cmpuint (nodes->len, >=, least);
  g_assert_cmpuint (nodes->len, ==, first_nodes->len);
  g_assert_true (contains_all (first_nodes, nodes));
  return second;
}

static void
test_unchanged_frame_keeps_nodes (void)
{
  HsWindow *window = paint_window ();
  HsGraphView *graph = hs_window_get_graph_view (window);
  g_autoptr(GskRenderNode) second = NULL;
  g_autoptr(GskRenderNode) moved = NULL;
  g_autoptr(GPtrArray) second_nodes = g_ptr_array_new ();
  g_autoptr(GPtrArray) moved_nodes = g_ptr_array_new ();
  guint n_steps, step;
  gboolean pinned = FALSE;

  n_steps = hs_trace_get_n_steps (hs_window_get_trace (window));

  /* The first step, from the end, whose view pins the current frame */
  for (step = n_steps; step-- > 0 && !pinned;)
    {
      hs_window_show_step (window, step, FALSE);
      hs_test_settle (window);
      pinned = hs_graph_view_get_pinned_frame (graph, NULL);
    }
  g_assert_true (pinned);

  /* the picture and the pinned copy, the same nodes again */
  second = snapshot_twice_keeps (graph, second_nodes, 2);

  /* What was kept draws what a fresh drawing draws */
  assert_draws_as_fresh (graph, second, second_nodes);

  /* The view moved by a few pixels, the copy still pinned: nothing kept
   * from before may be drawn where it no longer belongs */
  g_clear_pointer (&second, gsk_render_node_unref);
  g_ptr_array_set_size (second_nodes, 0);
  second = snapshot_view (graph);
  collect_cairo_nodes (second, second_nodes);
  graph->offset_x -= 37;
  graph->offset_y -= 23;
  g_assert_true (hs_graph_view_get_pinned_frame (graph, NULL));
  moved = snapshot_view (graph);
  collect_cairo_nodes (moved, moved_nodes);
  assert_draws_as_fresh (graph, moved, moved_nodes);

  hs_test_window_close (window);
}

/* A picture too large to keep whole is kept in part, around the view.
 * A view at the picture's corner, its margin in view as the camera
 * leaves it when a run of a large heap starts, showed more than that
 * part held, past the picture's edge where there is nothing to draw:
 * the part was dropped and the same picture recorded again at every
 * frame (1121x841 pixels at each frame of bench-window --objects). */
static void
test_corner_of_large_picture_keeps_nodes (void)
{
  HsWindow *window = paint_window ();
  HsGraphView *graph = hs_window_get_graph_view (window);
  g_autoptr(GskRenderNode) second = NULL;
  g_autoptr(GPtrArray) second_nodes = g_ptr_array_new ();
  double width, height;

  hs_test_settle (window);

  /* close enough that the picture is too large to keep whole, at its
   * top left corner with a margin of nothing in view */
  hs_graph_view_set_follow (graph, FALSE);
  hs_graph_view_finish_animations (graph);
  hs_graph_view_get_extent (graph, hs_graph_view_get_layout (graph), &width, &height);
  graph->zoom = MIN (MAX_ZOOM, ceil (4096 / MIN (width, height)) + 1);
  graph->offset_x = MARGIN;
  graph->offset_y = MARGIN;
  g_test_message ("the picture %.0fx%.0f at zoom %.0f", width, height, graph->zoom);
  g_assert_cmpfloat (width * height * graph->zoom * graph->zoom, >, MAX_CACHE_PIXELS);
  g_assert_false (hs_graph_view_get_pinned_frame (graph, NULL));

  second = snapshot_twice_keeps (graph, second_nodes, 1);
  /* kept in part */
  g_assert_cmpfloat (graph->cache_rect.size.width * graph->cache_rect.size.height, <=, MAX_CACHE_PIXELS);

  /* What was kept draws what a fresh drawing draws */
  assert_draws_as_fresh (graph, second, second_nodes);

  hs_test_window_close (window);
}

/* Presentation mode sets the graph's style at every press of the
 * clicker, mostly to the style it already has: that keeps the picture,
 * and a new style draws a new one. */
static void
test_same_style_keeps_nodes (void)
{
  HsWindow *window = paint_window ();
  HsGraphView *graph = hs_window_get_graph_view (window);
  g_autoptr(GskRenderNode) first = NULL;
  g_autoptr(GskRenderNode) second = NULL;
  g_autoptr(GskRenderNode) third = NULL;
  g_autoptr(GPtrArray) first_nodes = g_ptr_array_new ();
  g_autoptr(GPtrArray) second_nodes = g_ptr_array_new ();
  g_autoptr(GPtrArray) third_nodes = g_ptr_array_new ();

  hs_test_settle (window);
  hs_graph_view_set_presentation (graph, 1.5, FALSE, FALSE);
  first = snapshot_view (graph);
  collect_cairo_nodes (first, first_nodes);
  g_assert_cmpuint (first_nodes->len, >, 0);

  hs_graph_view_set_presentation (graph, 1.5, FALSE, FALSE);
  second = snapshot_view (graph);
  collect_cairo_nodes (second, second_nodes);
  g_assert_cmpuint (second_nodes->len, ==, first_nodes->len);
  g_assert_true (contains_all (first_nodes, second_nodes));

  hs_graph_view_set_presentation (graph, 1.5, TRUE, FALSE);
  third = snapshot_view (graph);
  collect_cairo_nodes (third, third_nodes);
  g_assert_false (shares_any (first_nodes, third_nodes));
  assert_draws_as_fresh (graph, third, third_nodes);

  hs_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  app = hs_test_init (&argc, &argv);

  g_test_add_func ("/ui/graph-view-paint/unchanged-frame-keeps-nodes", test_unchanged_frame_keeps_nodes);
  g_test_add_func ("/ui/graph-view-paint/corner-of-large-picture-keeps-nodes", test_corner_of_large_picture_keeps_nodes);
  g_test_add_func ("/ui/graph-view-paint/same-style-keeps-nodes", test_same_style_keeps_nodes);
  return hs_test_run (app);
}
