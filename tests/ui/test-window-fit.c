/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window at the sizes issue 8 names, under Xvfb: the graph keeps the
 * room at the default size as on a small screen, a folded editor still
 * says what the current line does, no tooltip pops up while the camera
 * glides, and a click lands on what is drawn.
 */
#define G_LOG_DOMAIN "heapscope-test-window-fit"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hs-graph-view-private.h"
#include "hs-test-run.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

static HsApplication *app;

/* A window of width x height with the copies example, run to its end. */
static HsWindow *
sized_window (int width,
              int height)
{
  HsWindow *window = hs_test_window_new_sized (width, height, "copies");

  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  hs_test_wait_idle (window);
  g_assert_cmpstr (hs_trace_get_status (hs_window_get_trace (window)), ==, "finished");
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, hs_window_get_graph_view (window)));
  hs_test_wait_frames (GTK_WIDGET (window), 10);
  return window;
}

static int
screen_width (void)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;

  gdk_monitor_get_geometry (monitor, &geometry);
  return geometry.width;
}

/* Issue 8: the graph keeps the room.  At the default 1200x760 the
 * inspector folded away and the graph was 889 px wide, but at 1280x800
 * the inspector came beside it and left it 708 px: a bigger window gave
 * the graph less room.  Across the screens people have, the graph never
 * narrows as the window widens; the editor stays beside the graph down
 * to 1024, and folds at 800. */
static void
test_graph_room (void)
{
  static const struct
  {
    int width, height;
  } sizes[] = {
    { 1024, 600 }, { 1100, 700 }, { 1200, 760 }, { 1280, 800 },
    { 1366, 768 }, { 1440, 900 }, { 1600, 900 }, { 1920, 1080 },
  };
  int last_width = 0, last_graph = 0;
  HsWindow *window;

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int graph;

      if (sizes[s].width > screen_width ())
        {
          g_test_message ("the screen is %d px wide: %dx%d needs more", screen_width (),
                          sizes[s].width, sizes[s].height);
          continue;
        }
      /* the screen's height at most: Xvfb's may be less than the size's */
      window = sized_window (sizes[s].width, MIN (sizes[s].height, 760));
      graph = gtk_widget_get_width (GTK_WIDGET (hs_window_get_graph_view (window)));
      g_test_message ("%dx%d: graph %d px wide, editor %s, inspector %s", sizes[s].width, sizes[s].height,
                      graph,
                      adw_flap_get_folded (window->editor_flap) ? "folded" : "beside",
                      adw_flap_get_folded (window->inspector_flap) ? "folded" : "beside");
      g_assert_false (adw_flap_get_folded (window->editor_flap));
      /* Unfolded, a pane shows; folded, it waits for its header toggle
       * or a selection, and the toggle shows it. */
      g_assert_cmpint (adw_flap_get_reveal_flap (window->inspector_flap), ==,
                       !adw_flap_get_folded (window->inspector_flap));
      if (adw_flap_get_folded (window->inspector_flap))
        {
          hs_test_activate (window, "show-inspector");
          g_assert_true (adw_flap_get_reveal_flap (window->inspector_flap));
          hs_test_activate (window, "show-inspector");
          g_assert_false (adw_flap_get_reveal_flap (window->inspector_flap));
        }
      hs_test_window_close (window);
      if (last_width > 0 && graph < last_graph)
        g_error ("the graph is %d px wide at %d px, narrower than the %d px it has at %d px",
                 graph, sizes[s].width, last_graph, last_width);
      last_width = sizes[s].width;
      last_graph = graph;
    }

  /* On a small laptop's screen the editor folds away */
  window = sized_window (800, 600);
  g_assert_true (adw_flap_get_folded (window->editor_flap));
  g_assert_true (adw_flap_get_folded (window->inspector_flap));
  hs_test_window_close (window);
}

static gboolean
window_is_1024 (gpointer data)
{
  return ABS (gtk_widget_get_width (GTK_WIDGET (data)) - 1024) <= 20;
}

/* Presenting on a 1024x768 projector, the large snippet stays beside the
 * graph: the graph's least width, which folds the editor below about
 * 990 px at a desk, is lowered while the inspector is put away; leaving
 * presentation brings it back, with the inspector folded at 1200 px. */
static void
test_presenting_keeps_editor (void)
{
  HsWindow *window;

  /* The snippet takes a third of the monitor, which stands for the
   * projector here: a wider one is not a 1024 px projector */
  if (screen_width () > 1280)
    {
      g_test_skip ("a 1024 px projector needs a screen at most 1280 px wide");
      return;
    }
  window = sized_window (1200, 760);
  g_assert_true (adw_flap_get_folded (window->inspector_flap));
  g_action_group_change_action_state (G_ACTION_GROUP (window), "presentation", g_variant_new_boolean (TRUE));
  /* Xvfb has no window manager to make it full screen: the projector's size */
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 768);
  g_assert_true (hs_test_wait_until (window_is_1024, window));
  hs_test_wait_frames (GTK_WIDGET (window), 6);
  g_assert_true (adw_flap_get_reveal_flap (window->editor_flap));
  g_assert_false (adw_flap_get_folded (window->editor_flap));

  g_action_group_change_action_state (G_ACTION_GROUP (window), "presentation", g_variant_new_boolean (FALSE));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  hs_test_wait_frames (GTK_WIDGET (window), 6);
  g_assert_true (adw_flap_get_folded (window->inspector_flap));
  hs_test_window_close (window);
}

typedef struct
{
  GtkLabel   *label;
  const char *suffix;
} LabelEnds;

static gboolean
label_ends (gpointer data)
{
  LabelEnds *ends = data;

  return g_str_has_suffix (gtk_label_get_label (ends->label), ends->suffix);
}

/* Issue 8: at 800x600 the editor folds away, and the step bar said
 * "line 9" without saying what line 9 is: it gives the statement too,
 * stripped and cut short, while the editor is folded; beside the editor,
 * which marks the line, the number is enough. */
static void
test_folded_statement (void)
{
  HsWindow *window = sized_window (800, 600);
  const char *label;
  GtkTextIter end;

  g_assert_true (adw_flap_get_folded (window->editor_flap));
  hs_window_show_step (window, hs_test_line_step (window, 9), FALSE);
  label = gtk_label_get_label (window->step_label);
  g_test_message ("800x600: %s", label);
  g_assert_true (g_str_has_suffix (label, " · line 9 · deep[1][1] = 2"));
  /* the label gives way to the timeline, not the other way round */
  g_assert_cmpint (gtk_label_get_ellipsize (window->step_label), ==, PANGO_ELLIPSIZE_END);

  /* it follows the steps */
  hs_window_show_step (window, hs_test_line_step (window, 6), FALSE);
  g_assert_true (g_str_has_suffix (gtk_label_get_label (window->step_label), " · line 6 · shallow = copy.copy(grid)"));

  /* Widened, the editor unfolds and marks the line itself; narrowed
   * again, the statement comes back (the fold is followed, not only the
   * steps). */
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  g_assert_true (hs_test_wait_until (hs_test_flap_unfolded, window->editor_flap));
  g_assert_true (hs_test_wait_until (label_ends, &(LabelEnds) { window->step_label, " · line 6" }));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  g_assert_true (hs_test_wait_until (hs_test_flap_folded, window->editor_flap));
  g_assert_true (hs_test_wait_until (label_ends, &(LabelEnds) { window->step_label,
                                                                " · line 6 · shallow = copy.copy(grid)" }));

  /* Edited since the run, line 6 may no longer be what ran: the number
   * alone, as the trace has it */
  gtk_text_buffer_get_end_iter (GTK_TEXT_BUFFER (window->buffer), &end);
  gtk_text_buffer_insert (GTK_TEXT_BUFFER (window->buffer), &end, "# edited\n", -1);
  g_assert_true (g_str_has_suffix (gtk_label_get_label (window->step_label), " · line 6"));
  hs_window_discard_draft (window);
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (window->buffer), FALSE);
  hs_test_window_close (window);

  /* A long statement is cut, on a character, with an ellipsis */
  window = hs_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  hs_window_set_text (window,
                      "numbers = [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]\n"
                      "total = 0\n", NULL, "long.py");
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  hs_test_wait_idle (window);
  hs_window_show_step (window, hs_test_line_step (window, 1), FALSE);
  label = gtk_label_get_label (window->step_label);
  g_test_message ("800x600: %s", label);
  /* 39 characters and the ellipsis */
  g_assert_true (g_str_has_suffix (label, " · line 1 · numbers = [1000, 2000, 3000, 4000, 5000…"));
  hs_window_discard_draft (window);
  hs_test_window_close (window);
}

/* The first object box of graph's layout */
static const HsLayoutBox *
first_object_box (HsGraphView *graph)
{
  const HsLayoutBox *boxes;
  guint n_boxes;

  boxes = hs_layout_get_boxes (hs_graph_view_get_layout (graph), &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT)
      return &boxes[i];
  g_assert_not_reached ();
  return NULL;
}

/* WINDOW's graph once its animations are done, and the first object
 * box of its layout */
static HsGraphView *
graph_at_rest (HsWindow           *window,
               const HsLayoutBox **box)
{
  HsGraphView *graph = hs_window_get_graph_view (window);

  hs_graph_view_finish_animations (graph);
  hs_test_wait_frames (GTK_WIDGET (graph), 3);
  g_assert_false (hs_graph_view_camera_is_moving (graph));
  *box = first_object_box (graph);
  return graph;
}

static gboolean
boxes_moving (gpointer data)
{
  return ((HsGraphView *) data)->from != NULL;
}

/* Whether GTK, asking the view at (x, y), would get a tooltip to show */
static gboolean
would_show_tooltip (HsGraphView *graph,
                    double       x,
                    double       y)
{
  g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);

  return GTK_WIDGET_GET_CLASS (graph)->query_tooltip (GTK_WIDGET (graph), (int) x, (int) y, FALSE, tooltip);
}

/* The middle of box in widget pixels, where it is drawn now */
static void
box_middle (HsGraphView       *graph,
            const HsLayoutBox *box,
            double            *x,
            double            *y)
{
  *x = round (graph->offset_x) + (box->rect.x + box->rect.width / 2) * graph->zoom;
  *y = round (graph->offset_y) + (box->rect.y + box->rect.height / 2) * graph->zoom;
}

/* The pointer moves to (x, y), from a pixel left of it: a motion event
 * to where the pointer already is does not count as moving, and a glide
 * back to the framing before a pan ends with the box where it was. */
static void
move_pointer_to (GtkEventController *motion,
                 double              x,
                 double              y)
{
  g_assert (GTK_IS_EVENT_CONTROLLER_MOTION (motion));

  g_signal_emit_by_name (motion, "motion", x - 1, y);
  g_signal_emit_by_name (motion, "motion", x, y);
}

/* Issue 8: a tooltip popped up over the graph while the camera glided
 * under a pointer at rest.  While it glides there is none, and the
 * hover outline goes; after the glide, none until the pointer moves. */
static void
test_no_tooltip_while_gliding (void)
{
  HsWindow *window = sized_window (1200, 760);
  const HsLayoutBox *box;
  HsGraphView *graph = graph_at_rest (window, &box);
  GtkEventController *motion = hs_test_find_controller (GTK_WIDGET (graph), GTK_TYPE_EVENT_CONTROLLER_MOTION);
  double x, y;

  /* At rest, the pointer over a box shows what it is */
  box_middle (graph, box, &x, &y);
  g_signal_emit_by_name (motion, "motion", x, y);
  g_assert_cmpuint (graph->hover, ==, box->ref);
  g_assert_true (would_show_tooltip (graph, x, y));

  /* Panned away by hand, then following again: the camera glides back */
  hs_graph_view_set_follow (graph, FALSE);
  graph->offset_x += 150;
  graph->offset_y += 90;
  hs_graph_view_set_follow (graph, TRUE);
  g_assert_true (hs_graph_view_camera_is_moving (graph));
  g_assert_cmpuint (graph->hover, ==, 0);
  box_middle (graph, box, &x, &y);
  g_assert_false (would_show_tooltip (graph, x, y));
  /* what it would say is still there, for the pointer that moves */
  {
    g_autofree char *markup = hs_graph_view_get_tooltip_markup (graph, x, y);

    g_assert_nonnull (markup);
  }

  /* The glide ends under the pointer, which has not moved */
  hs_graph_view_finish_animations (graph);
  g_assert_false (hs_graph_view_camera_is_moving (graph));
  box_middle (graph, box, &x, &y);
  g_assert_false (would_show_tooltip (graph, x, y));

  /* It moves onto the box: the tooltip and the outline come back */
  move_pointer_to (motion, x, y);
  g_assert_cmpuint (graph->hover, ==, box->ref);
  g_assert_true (would_show_tooltip (graph, x, y));

  /* Not following, a step back moves the boxes, not the camera: the
   * same once they have moved */
  hs_graph_view_set_follow (graph, FALSE);
  hs_window_show_step (window, hs_window_get_step (window) - 1, TRUE);
  g_assert_true (hs_test_wait_until (boxes_moving, graph));
  g_assert_cmpuint (graph->hover, ==, 0);
  hs_graph_view_finish_animations (graph);
  box = first_object_box (graph);
  box_middle (graph, box, &x, &y);
  g_assert_false (would_show_tooltip (graph, x, y));
  move_pointer_to (motion, x, y);
  g_assert_true (would_show_tooltip (graph, x, y));
  hs_test_window_close (window);
}

/* Issue 8: the picture is drawn on whole pixels (the camera's offset
 * rounded), and hit testing used the exact offset: a click could land
 * half a pixel away from what is drawn.  A click just inside the drawn
 * edge of a box selects it, and one just outside does not, whichever
 * way the offset is rounded. */
static void
test_click_on_drawn_edge (void)
{
  HsWindow *window = sized_window (1200, 760);
  const HsLayoutBox *box;
  HsGraphView *graph = graph_at_rest (window, &box);
  GtkGesture *click = hs_test_find_controller (GTK_WIDGET (graph), GTK_TYPE_GESTURE_CLICK);
  HsLayoutHit kind;
  guint32 refs[2];
  double base_x, base_y, edge;

  /* by hand: no pinned frame, no glide */
  hs_graph_view_set_follow (graph, FALSE);
  /* nothing just left of the box to click instead */
  g_assert_cmpuint (hs_layout_hit_test (hs_graph_view_get_layout (graph), box->rect.x - 1 / graph->zoom,
                                        box->rect.y + box->rect.height / 2, &kind), !=, box->ref);

  /* the box's left edge at about the middle of the view, on a whole pixel */
  base_x = floor (gtk_widget_get_width (GTK_WIDGET (graph)) / 2.0 - box->rect.x * graph->zoom);
  base_y = floor (gtk_widget_get_height (GTK_WIDGET (graph)) / 2.0 - (box->rect.y + box->rect.height / 2) * graph->zoom);

  /* drawn 0.4 px left of the exact offset: a click in the box's first
   * drawn column of pixels selects it */
  graph->offset_x = base_x + 0.4;
  graph->offset_y = base_y + 0.4;
  gtk_widget_queue_draw (GTK_WIDGET (graph));
  edge = round (graph->offset_x) + box->rect.x * graph->zoom;
  hs_graph_view_unselect_all (graph);
  g_signal_emit_by_name (click, "released", 1, edge + 0.25, gtk_widget_get_height (GTK_WIDGET (graph)) / 2.0);
  g_assert_cmpuint (hs_graph_view_get_selection (graph, refs, NULL), ==, 1);
  g_assert_cmpuint (refs[0], ==, box->ref);

  /* drawn 0.4 px right of it: a click just left of the drawn edge is
   * beside the box */
  graph->offset_x = base_x + 1 - 0.4;
  gtk_widget_queue_draw (GTK_WIDGET (graph));
  edge = round (graph->offset_x) + box->rect.x * graph->zoom;
  g_signal_emit_by_name (click, "released", 1, edge - 0.25, gtk_widget_get_height (GTK_WIDGET (graph)) / 2.0);
  g_assert_true (hs_graph_view_get_selection (graph, refs, NULL) == 0 || refs[0] != box->ref);
  hs_test_window_close (window);
}

static gboolean
inspector_open (gpointer data)
{
  return adw_flap_get_reveal_progress (data) >= 1;
}

static gboolean
camera_at_rest (gpointer data)
{
  return !hs_graph_view_camera_is_moving (data);
}

/* The object box of graph's layout drawn furthest right */
static const HsLayoutBox *
rightmost_object_box (HsGraphView *graph)
{
  const HsLayoutBox *boxes, *right = NULL;
  guint n_boxes;

  boxes = hs_layout_get_boxes (hs_graph_view_get_layout (graph), &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT &&
        (right == NULL || boxes[i].rect.x + boxes[i].rect.width > right->rect.x + right->rect.width))
      right = &boxes[i];
  g_assert_nonnull (right);
  return right;
}

/* A click on box, at its middle as drawn, by the view's click gesture */
static void
click_box (HsGraphView       *graph,
           const HsLayoutBox *box)
{
  GtkGesture *click = hs_test_find_controller (GTK_WIDGET (graph), GTK_TYPE_GESTURE_CLICK);
  double x, y;

  box_middle (graph, box, &x, &y);
  g_signal_emit_by_name (click, "released", 1, x, y);
}

/* The key controller the window puts a folded pane away with */
static GtkEventController *
escape_controller (HsWindow *window)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "flap-escape") == 0)
        return controller;
    }
  g_assert_not_reached ();
  return NULL;
}

typedef struct
{
  GtkEventController *controller;
  gboolean            reached;   /* Escape came to the window's controller */
  gboolean            passed;    /* and its handler let it go on */
} EscapeWatch;

static gboolean
escape_reached_hook (GSignalInvocationHint *hint,
                     guint                  n_params,
                     const GValue          *params,
                     gpointer               data)
{
  EscapeWatch *watch = data;

  if (g_value_get_object (&params[0]) == (gpointer) watch->controller &&
      g_value_get_uint (&params[1]) == GDK_KEY_Escape)
    watch->reached = TRUE;
  return TRUE;
}

static gboolean
escape_passed_cb (GtkEventControllerKey *controller,
                  guint                  keyval,
                  guint                  keycode,
                  GdkModifierType        state,
                  EscapeWatch           *watch)
{
  if (keyval == GDK_KEY_Escape)
    watch->passed = TRUE;
  return GDK_EVENT_PROPAGATE;
}

/* Presses Escape for real (hs_test_press_keys()): GTK gives it to the
 * focused widget first, then up to the window, as it gives a person's.
 * Whether the window's controller put a pane away with it: it was
 * emitted there, and a handler connected after the window's, which runs
 * only when the window's let the key go on, was not reached.  (This
 * emitted the controller's signal itself, where no widget under the
 * focus had the chance to take Escape first.) */
static gboolean
press_escape (HsWindow *window)
{
  EscapeWatch watch = { escape_controller (window), FALSE, FALSE };
  guint signal_id = g_signal_lookup ("key-pressed", GTK_TYPE_EVENT_CONTROLLER_KEY);
  gulong hook, handler;

  hook = g_signal_add_emission_hook (signal_id, 0, escape_reached_hook, &watch, NULL);
  handler = g_signal_connect_after (watch.controller, "key-pressed", G_CALLBACK (escape_passed_cb), &watch);
  g_assert_true (hs_test_press_keys (GTK_WINDOW (window), "Escape"));
  g_signal_handler_disconnect (watch.controller, handler);
  g_signal_remove_emission_hook (signal_id, hook);
  return watch.reached && !watch.passed;
}

/* Whether keys can be pressed for real here: an X11 display, xdotool */
static gboolean
can_press_keys (void)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");

#ifdef GDK_WINDOWING_X11
  if (xdotool != NULL && GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    return TRUE;
#endif
  g_test_skip ("no X11 display or no xdotool to press keys with");
  return FALSE;
}

typedef struct
{
  HsWindow          *window;
  const HsLayoutBox *box;
} ClearCheck;

/* The inspector rests open, the camera too, and the box lies in the part
 * of the graph the inspector leaves clear */
static gboolean
box_is_clear (gpointer data)
{
  ClearCheck *check = data;
  HsGraphView *graph = hs_window_get_graph_view (check->window);
  HsRect visible;

  if (!inspector_open (check->window->inspector_flap) || !camera_at_rest (graph))
    return FALSE;
  hs_graph_view_get_visible_rect (graph, &visible);
  return hs_test_rect_inside (&check->box->rect, &visible);
}

/* Waits until box is clear of the opened inspector.  The window moves it
 * once the inspector has rested and an idle has run, which frames asked
 * for back to back (hs_test_wait_frames()) can hold off on a loaded
 * machine: a fixed count of frames failed there, so this waits for the
 * outcome, up to HS_TEST_TIMEOUT_MS. */
static void
assert_box_clear (HsWindow          *window,
                  const HsLayoutBox *box)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  ClearCheck check = { window, box };
  gboolean clear = hs_test_wait_until (box_is_clear, &check);
  HsRect visible;

  hs_graph_view_get_visible_rect (graph, &visible);
  g_test_message ("box x %.0f..%.0f y %.0f..%.0f, clear of the inspector x %.0f..%.0f y %.0f..%.0f (layout units)",
                  box->rect.x, box->rect.x + box->rect.width, box->rect.y, box->rect.y + box->rect.height,
                  visible.x, visible.x + visible.width, visible.y, visible.y + visible.height);
  g_assert_true (clear);
  /* and it stays there: on a loaded machine the inspector's slide can
   * end after the view first rests, and the view then frames the room it
   * leaves once more; wherever it comes to rest, the box is clear */
  hs_test_wait_frames (GTK_WIDGET (window), 4);
  g_assert_true (hs_test_wait_until (box_is_clear, &check));
}


static gboolean
inspector_shut (gpointer data)
{
  return adw_flap_get_reveal_progress (data) <= 0;
}

/* Where the view rests, or will once its glide ends */
static HsCamera
camera_target (HsGraphView *graph)
{
  if (hs_graph_view_camera_is_moving (graph))
    return graph->camera_to;
  return (HsCamera) { graph->zoom, graph->offset_x, graph->offset_y };
}

/* Each place the view was sent to, frame by frame, the first being
 * where it rested */
static gboolean
log_target_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  GArray *targets = data;
  HsCamera now = camera_target ((HsGraphView *) widget);
  const HsCamera *last = &g_array_index (targets, HsCamera, targets->len - 1);

  if (!G_APPROX_VALUE (now.zoom, last->zoom, 1e-6) || !G_APPROX_VALUE (now.offset_x, last->offset_x, 0.5) ||
      !G_APPROX_VALUE (now.offset_y, last->offset_y, 0.5))
    g_array_append_val (targets, now);
  return G_SOURCE_CONTINUE;
}

/* The middle of the row of the current frame that names `name`, in
 * widget pixels, and the object it names */
static guint32
variable_middle (HsGraphView *graph,
                 const char  *name,
                 double      *x,
                 double      *y)
{
  const HsLayoutBox *frame = hs_graph_view_current_frame (hs_graph_view_get_layout (graph));

  g_assert_nonnull (frame);
  for (guint r = 0; r < frame->n_rows; r++)
    if (g_strcmp0 (frame->rows[r].label, name) == 0)
      {
        *x = round (graph->offset_x) + (frame->rect.x + frame->rect.width / 2) * graph->zoom;
        *y = round (graph->offset_y) + (frame->rect.y + frame->rows[r].y + frame->rows[r].height / 2) * graph->zoom;
        return frame->rows[r].target;
      }
  g_assert_not_reached ();
  return 0;
}

/* The object box of graph's layout that lies furthest from what the
 * view shows */
static const HsLayoutBox *
farthest_object_box (HsGraphView *graph)
{
  const HsLayoutBox *boxes, *far = NULL;
  double most = -1;
  guint n_boxes;
  HsRect view;

  hs_graph_view_get_visible_rect (graph, &view);
  boxes = hs_layout_get_boxes (hs_graph_view_get_layout (graph), &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      double d = hypot (boxes[i].rect.x + boxes[i].rect.width / 2 - view.x - view.width / 2,
                        boxes[i].rect.y + boxes[i].rect.height / 2 - view.y - view.height / 2);

      if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT && d > most)
        {
          most = d;
          far = &boxes[i];
        }
    }
  g_assert_nonnull (far);
  return far;
}

typedef enum
{
  PICK_RIGHTMOST,  /* a click on the box drawn furthest right */
  PICK_SCALAR,     /* a click on a variable that holds an int */
  PICK_SEARCH,     /* a search for the id of the box furthest from the view */
  N_PICKS
} Pick;

/*
 * Issue 47: the inspector's cover is a term of the camera's cost.  A
 * click or a search that selects an object opens the folded inspector
 * over the graph's right; the camera frames for the room the inspector
 * will leave, so the view moves once, straight to where the selected box
 * is clear of it.  It had moved twice when the selection laid the step
 * out again (a scalar drawn in its slot becomes a box once selected), and
 * when a search framed what it found before the inspector opened: once
 * with the inspector not yet over the view, then again for it once it
 * rested.  Tried on a picture wider and taller than the view, at three
 * window sizes.
 */
static void
test_inspector_moves_once (void)
{
  static const int sizes[][2] = { { 1024, 600 }, { 1200, 760 }, { 800, 600 } };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (Pick pick = 0; pick < N_PICKS; pick++)
      {
        HsWindow *window = hs_test_window_new_run (
          "rows = [{'name': 'u%d' % i, 'tags': ['a', 'b'], 'score': i} for i in range(12)]\n"
          "node = None\n"
          "for i in range(8):\n"
          "    node = [i, node]\n"
          "x = 7\n", "inspector.py");
        HsGraphView *graph = hs_window_get_graph_view (window);
        g_autoptr(GArray) targets = g_array_new (FALSE, FALSE, sizeof (HsCamera));
        const HsLayoutBox *box;
        ClearCheck check;
        HsCamera now;
        HsRect visible;
        guint32 ref;
        guint tick;
        double x, y;

        gtk_window_set_default_size (GTK_WINDOW (window), sizes[s][0], sizes[s][1]);
        hs_window_show_step (window, hs_trace_get_n_steps (hs_window_get_trace (window)) - 1, FALSE);
        hs_test_wait_frames (GTK_WIDGET (window), 10);
        graph_at_rest (window, &box);
        g_assert_true (adw_flap_get_folded (window->inspector_flap));
        g_assert_false (adw_flap_get_reveal_flap (window->inspector_flap));

        now = camera_target (graph);
        g_array_append_val (targets, now);
        tick = gtk_widget_add_tick_callback (GTK_WIDGET (graph), log_target_cb, targets, NULL);
        if (pick == PICK_SEARCH)
          {
            g_autofree char *id = NULL;

            box = farthest_object_box (graph);
            ref = box->ref;
            id = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                  hs_snapshot_lookup (hs_graph_view_get_snapshot (graph), ref)->id);
            g_assert_true (hs_window_find (window, id));
          }
        else
          {
            if (pick == PICK_SCALAR)
              ref = variable_middle (graph, "x", &x, &y);
            else
              {
                box = rightmost_object_box (graph);
                ref = box->ref;
                box_middle (graph, box, &x, &y);
              }
            g_signal_emit_by_name (hs_test_find_controller (GTK_WIDGET (graph), GTK_TYPE_GESTURE_CLICK),
                                   "released", 1, x, y);
          }
        g_assert_true (adw_flap_get_reveal_flap (window->inspector_flap));
        g_assert_true (hs_test_wait_until (inspector_open, window->inspector_flap));
        /* what a glide or a refit still to come would do, done */
        hs_test_wait_idle (window);
        hs_test_wait_frames (GTK_WIDGET (window), 10);
        g_assert_true (hs_test_wait_until (camera_at_rest, graph));
        gtk_widget_remove_tick_callback (GTK_WIDGET (graph), tick);

        box = hs_layout_get_object_box (hs_graph_view_get_layout (graph), ref);
        g_assert_nonnull (box);
        check = (ClearCheck) { window, box };
        hs_graph_view_get_visible_rect (graph, &visible);
        g_test_message ("%dx%d, %s: the view went to %u places; box x %.0f..%.0f y %.0f..%.0f, clear area x %.0f..%.0f y %.0f..%.0f",
                        sizes[s][0], sizes[s][1],
                        pick == PICK_SEARCH ? "found by search" : pick == PICK_SCALAR ? "an int's variable" : "the rightmost box",
                        targets->len - 1,
                        box->rect.x, box->rect.x + box->rect.width, box->rect.y, box->rect.y + box->rect.height,
                        visible.x, visible.x + visible.width, visible.y, visible.y + visible.height);
        g_assert_true (box_is_clear (&check));
        /* once: where it went first was already clear of the inspector */
        g_assert_cmpuint (targets->len - 1, <=, 1);
        hs_test_window_close (window);
      }
}

/* Moves the view by hand so that box lies where the folded inspector
 * comes over the graph's side, 100 px from its right edge */
static void
move_under_inspector (HsWindow          *window,
                      const HsLayoutBox *box)
{
  HsGraphView *graph = hs_window_get_graph_view (window);

  hs_graph_view_set_follow (graph, FALSE);
  hs_graph_view_finish_animations (graph);
  graph->offset_x = gtk_widget_get_width (GTK_WIDGET (graph)) - 100 - (box->rect.x + box->rect.width / 2) * graph->zoom;
  gtk_widget_queue_draw (GTK_WIDGET (graph));
  hs_test_wait_frames (GTK_WIDGET (window), 2);
}

/* Issue 8: at the default 1200x760 the inspector is folded, and
 * selecting an object did not open it: why its refcount is what it is
 * took a press of a header toggle a new user will not find.  A click
 * on a box opens it over the graph's side, not modal, with the box out
 * from under it; Escape, or a click on nothing, puts it away; neither a
 * step nor a selection the program makes brings it back. */
static void
test_select_shows_inspector (void)
{
  HsWindow *window = sized_window (1200, 760);
  HsGraphView *graph = hs_window_get_graph_view (window);
  const HsLayoutBox *box;
  guint32 refs[2];
  double x, y;
  guint step;

  if (!can_press_keys ())
    {
      hs_test_window_close (window);
      return;
    }

  g_assert_true (adw_flap_get_folded (window->inspector_flap));
  g_assert_false (adw_flap_get_reveal_flap (window->inspector_flap));
  graph_at_rest (window, &box);

  /* Following the program, the box drawn furthest right, which the
   * inspector comes over */
  box = rightmost_object_box (graph);
  box_middle (graph, box, &x, &y);
  g_test_message ("box %u's middle at x = %.0f of %d px", box->ref, x, gtk_widget_get_width (GTK_WIDGET (graph)));
  click_box (graph, box);
  g_assert_cmpuint (hs_graph_view_get_selection (graph, refs, NULL), ==, 1);
  g_assert_cmpuint (refs[0], ==, box->ref);
  g_assert_true (adw_flap_get_reveal_flap (window->inspector_flap));
  /* the graph stays in use beside it */
  g_assert_false (adw_flap_get_modal (window->inspector_flap));
  assert_box_clear (window, box);

  /* Escape puts it away */
  g_assert_true (press_escape (window));
  g_assert_false (adw_flap_get_reveal_flap (window->inspector_flap));
  g_assert_false (press_escape (window));

  /* Steps, and the program selecting, leave it away */
  step = hs_window_get_step (window);
  hs_window_show_step (window, step - 1, FALSE);
  hs_test_wait_frames (GTK_WIDGET (window), 3);
  hs_window_show_step (window, step, FALSE);
  hs_test_wait_frames (GTK_WIDGET (window), 3);
  g_assert_false (adw_flap_get_reveal_flap (window->inspector_flap));
  /* the steps laid the graph out anew */
  box = hs_layout_get_object_box (hs_graph_view_get_layout (graph), refs[0]);
  g_assert_nonnull (box);
  hs_graph_view_select_object (graph, box->ref, FALSE);
  g_assert_false (adw_flap_get_reveal_flap (window->inspector_flap));

  move_under_inspector (window, box);
  box_middle (graph, box, &x, &y);
  g_test_message ("box %u's middle at x = %.0f of %d px", box->ref, x, gtk_widget_get_width (GTK_WIDGET (graph)));
  click_box (graph, box);
  g_assert_cmpuint (hs_graph_view_get_selection (graph, refs, NULL), ==, 1);
  g_assert_cmpuint (refs[0], ==, box->ref);
  g_assert_true (adw_flap_get_reveal_flap (window->inspector_flap));
  assert_box_clear (window, box);

  /* A click on nothing unselects, and puts it away */
  {
    graphene_rect_t clear;
    HsLayoutHit kind;
    double lx = 0, ly = 0;

    /* The first point from the clear area's top left corner that no
     * box is drawn at: the view may show a box at the corner itself */
    hs_graph_view_camera_get_clear_area (graph, &clear);
    for (y = 2; y < clear.size.height; y += 8)
      {
        for (x = clear.origin.x + 2; x < clear.origin.x + clear.size.width; x += 8)
          {
            lx = (x - round (graph->offset_x)) / graph->zoom;
            ly = (y - round (graph->offset_y)) / graph->zoom;
            if (hs_layout_hit_test (hs_graph_view_get_layout (graph), lx, ly, &kind) == 0)
              break;
          }
        if (x < clear.origin.x + clear.size.width)
          break;
      }
    g_assert_cmpfloat (y, <, clear.size.height);
    g_assert_cmpuint (hs_layout_hit_test (hs_graph_view_get_layout (graph), lx, ly, &kind), ==, 0);
    g_signal_emit_by_name (hs_test_find_controller (GTK_WIDGET (graph), GTK_TYPE_GESTURE_CLICK),
                           "released", 1, x, y);
  }
  g_assert_cmpuint (hs_graph_view_get_selection (graph, NULL, NULL), ==, 0);
  g_assert_false (adw_flap_get_reveal_flap (window->inspector_flap));
  hs_test_window_close (window);
}

/* Issue 8: "Why is the refcount N?" is what a learner selects an object
 * for.  At 1024x600 it came under size, len(), facts and Watch, below
 * the inspector's fold: reading it took a scroll.  It comes right under
 * the count now, with its first reference in sight. */
static void
test_why_in_sight (void)
{
  HsWindow *window = sized_window (1024, 600);
  HsGraphView *graph = hs_window_get_graph_view (window);
  const HsLayoutBox *box;
  GtkWidget *heading;
  graphene_rect_t bounds;

  graph_at_rest (window, &box);
  box = rightmost_object_box (graph);
  click_box (graph, box);
  g_assert_true (hs_test_wait_until (inspector_open, window->inspector_flap));
  hs_test_wait_frames (GTK_WIDGET (window), 3);
  heading = hs_test_find_label (GTK_WIDGET (window->inspector), "Why is the refcount");
  g_assert_nonnull (heading);
  g_assert_true (gtk_widget_compute_bounds (heading, GTK_WIDGET (window->inspector), &bounds));
  g_test_message ("\"%s\" at y %.0f..%.0f of an inspector %d px high", gtk_label_get_label (GTK_LABEL (heading)),
                  bounds.origin.y, bounds.origin.y + bounds.size.height,
                  gtk_widget_get_height (GTK_WIDGET (window->inspector)));
  /* the heading, and room for the first reference's row under it */
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height + 50, <=, gtk_widget_get_height (GTK_WIDGET (window->inspector)));
  hs_test_window_close (window);
}


/* A click that opens the inspector again right after it was put away,
 * while the window's check of the flaps is still to run, keeps the box
 * clear.  On a loaded machine CI once saw the box left under the
 * inspector; one way there is that check running before the slide
 * begins, seeing the inspector shut and forgetting the box.  Here the
 * check is pending at the click, but the frame clock runs first on this
 * machine, so this did not fail before the fix to that check: it guards
 * the reopening path, not that exact order. */
static void
test_reopen_keeps_clear (void)
{
  HsWindow *window = sized_window (1200, 760);
  HsGraphView *graph = hs_window_get_graph_view (window);
  const HsLayoutBox *box;

  if (!can_press_keys ())
    {
      hs_test_window_close (window);
      return;
    }

  graph_at_rest (window, &box);
  box = rightmost_object_box (graph);
  click_box (graph, box);
  assert_box_clear (window, box);
  g_assert_true (press_escape (window));
  g_assert_true (hs_test_wait_until (inspector_shut, window->inspector_flap));
  hs_test_wait_idle (window);

  move_under_inspector (window, box);
  /* the flaps' check is pending when the click comes */
  g_object_notify (G_OBJECT (window->inspector_flap), "folded");
  click_box (graph, box);
  g_assert_true (adw_flap_get_reveal_flap (window->inspector_flap));
  assert_box_clear (window, box);
  hs_test_window_close (window);
}

/* The colour of the pixel at x, y of what drawn alone draws now (what
 * lies over it left out), with its window's renderer */
static guint32
drawn_pixel (GtkWidget *drawn,
             double     x,
             double     y)
{
  int width = gtk_widget_get_width (drawn), height = gtk_widget_get_height (drawn);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (drawn);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  guint32 pixel;

  g_assert_true (x >= 0 && y >= 0 && x < width && y < height);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (drawn)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  memcpy (&pixel, pixels + ((gsize) y * width + (gsize) x) * 4, sizeof pixel);
  return pixel;
}

/* The colour of the window's pixel at x, y of widget, as the window
 * draws it now */
static guint32
window_pixel (HsWindow  *window,
              GtkWidget *widget,
              double     x,
              double     y)
{
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (window), &GRAPHENE_POINT_INIT (x, y), &point));
  return drawn_pixel (GTK_WIDGET (window), point.x, point.y);
}

/* Issue 8: at 1024x600 the inspector, opened over the graph's side by a
 * click on a box, covered the right end of the step bar under the graph,
 * "Step N of M" with it: a learner stepping with it open could not see
 * where they were.  It comes over the graph only.  And AdwFlap dimmed
 * the graph beside it as if it were modal, though the graph stays in use
 * there: the graph is drawn as it is with the inspector put away. */
static void
test_inspector_over_graph_only (void)
{
  HsWindow *window = sized_window (1024, 600);
  HsGraphView *graph = hs_window_get_graph_view (window);
  GtkWidget *root = GTK_WIDGET (window);
  const HsLayoutBox *box;
  graphene_rect_t label, pane, zoom, clash;
  guint32 shut_pixel, open_pixel;
  double corner_y;

  g_assert_true (adw_flap_get_folded (window->inspector_flap));
  graph_at_rest (window, &box);
  /* the graph's bottom left corner, where copies draws nothing */
  corner_y = gtk_widget_get_height (GTK_WIDGET (graph)) - 8;
  shut_pixel = window_pixel (window, GTK_WIDGET (graph), 8, corner_y);

  box = rightmost_object_box (graph);
  click_box (graph, box);
  g_assert_true (hs_test_wait_until (inspector_open, window->inspector_flap));
  hs_test_wait_frames (root, 3);

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window->step_label), root, &label));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window->inspector), root, &pane));
  g_test_message ("1024x600: \"%s\" at x %.0f..%.0f y %.0f..%.0f, the inspector at x %.0f..%.0f y %.0f..%.0f",
                  gtk_label_get_label (window->step_label),
                  label.origin.x, label.origin.x + label.size.width,
                  label.origin.y, label.origin.y + label.size.height,
                  pane.origin.x, pane.origin.x + pane.size.width,
                  pane.origin.y, pane.origin.y + pane.size.height);
  g_assert_cmpfloat (label.size.width, >, 0);
  g_assert_false (graphene_rect_intersection (&label, &pane, &clash));
  /* the whole label shows: "Step N of M" is its start */
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (window->step_label)));
  /* the zoom buttons in the graph's corner move out from under it */
  g_assert_true (gtk_widget_compute_bounds (window->zoom_box, root, &zoom));
  g_test_message ("the zoom buttons at x %.0f..%.0f y %.0f..%.0f",
                  zoom.origin.x, zoom.origin.x + zoom.size.width, zoom.origin.y, zoom.origin.y + zoom.size.height);
  g_assert_false (graphene_rect_intersection (&zoom, &pane, &clash));

  open_pixel = window_pixel (window, GTK_WIDGET (graph), 8, corner_y);
  g_test_message ("the graph's corner: %08x shut, %08x with the inspector open", shut_pixel, open_pixel);
  g_assert_cmphex (open_pixel, ==, shut_pixel);
  hs_test_window_close (window);
}

/* Whether a click at the middle of widget, as GTK picks the widget a
 * pointer event goes to, lands on widget (or a part of it) */
static gboolean
click_lands_on (HsWindow  *window,
                GtkWidget *widget,
                double     x,
                double     y)
{
  GtkWidget *root = GTK_WIDGET (window);
  graphene_point_t point;
  GtkWidget *picked;

  g_assert_true (gtk_widget_compute_point (widget, root, &GRAPHENE_POINT_INIT (x, y), &point));
  picked = gtk_widget_pick (root, point.x, point.y, GTK_PICK_DEFAULT);
  g_test_message ("a click at %.0f, %.0f lands on a %s", point.x, point.y,
                  picked != NULL ? G_OBJECT_TYPE_NAME (picked) : "(nothing)");
  return picked != NULL && (picked == widget || gtk_widget_is_ancestor (picked, widget));
}

static gboolean
editor_open (gpointer data)
{
  return adw_flap_get_reveal_progress (data) >= 1;
}

/* Issue 8: at 800x600 the editor is folded, and opened (its header
 * toggle, F9) it came over the whole height of the window's middle: over
 * the step bar's left end, the step buttons and "Step N of M"'s slider
 * with it, so a learner reading the snippet could not step through it.
 * And it was modal: it dimmed the graph, and a click anywhere beside it
 * only put it away.  It comes over the graph only now, not modal: the
 * step buttons take clicks while it is open, the graph beside it is
 * drawn as it is with the editor away, and Escape puts it away, its
 * toggle with it.  Widened, it comes beside the graph again, with the
 * step bar under the graph. */
/* Where the editor and the step bar are, once the window is at rest */
static void
measure_panes (HsWindow        *window,
               GtkWidget       *editor,
               GtkWidget       *step_bar,
               const char      *size,
               graphene_rect_t *pane,
               graphene_rect_t *bar)
{
  GtkWidget *root = GTK_WIDGET (window);

  hs_test_wait_idle (window);
  hs_test_wait_frames (root, 3);
  g_assert_true (gtk_widget_compute_bounds (editor, root, pane));
  g_assert_true (gtk_widget_compute_bounds (step_bar, root, bar));
  g_test_message ("%s: the editor at x %.0f..%.0f y %.0f..%.0f, the step bar at x %.0f..%.0f y %.0f..%.0f", size,
                  pane->origin.x, pane->origin.x + pane->size.width, pane->origin.y, pane->origin.y + pane->size.height,
                  bar->origin.x, bar->origin.x + bar->size.width, bar->origin.y, bar->origin.y + bar->size.height);
}

static void
test_editor_over_graph_only (void)
{
  HsWindow *window = sized_window (800, 600);
  HsGraphView *graph = hs_window_get_graph_view (window);
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *editor = adw_flap_get_flap (window->editor_flap);
  GtkWidget *step_bar = gtk_widget_get_parent (GTK_WIDGET (window->step_label));
  GtkWidget *forward = hs_test_find_action (step_bar, "win.step-forward");
  g_autoptr(GVariant) shown = NULL;
  const HsLayoutBox *box;
  graphene_rect_t pane, bar, clash;
  guint32 shut_pixel, open_pixel;
  double corner_x;
  guint step;

  if (!can_press_keys ())
    {
      hs_test_window_close (window);
      return;
    }

  g_assert_nonnull (forward);
  g_assert_true (adw_flap_get_folded (window->editor_flap));
  g_assert_false (adw_flap_get_reveal_flap (window->editor_flap));
  /* a step back, so that there is one to step forward to */
  step = hs_window_get_step (window);
  hs_window_show_step (window, step - 1, FALSE);
  hs_test_wait_idle (window);
  graph_at_rest (window, &box);
  /* the graph's top right corner, where copies draws nothing */
  corner_x = gtk_widget_get_width (GTK_WIDGET (graph)) - 8;
  shut_pixel = window_pixel (window, GTK_WIDGET (graph), corner_x, 8);

  hs_test_activate (window, "show-editor");
  g_assert_true (hs_test_wait_until (editor_open, window->editor_flap));
  measure_panes (window, editor, step_bar, "800x600", &pane, &bar);
  g_assert_cmpfloat (pane.size.width, >, 0);
  g_assert_false (graphene_rect_intersection (&pane, &bar, &clash));
  /* the step bar spans the window under the editor and the graph */
  g_assert_cmpfloat (bar.origin.x, <=, pane.origin.x);

  /* the step buttons take clicks, and the graph beside the editor too */
  g_assert_true (click_lands_on (window, forward, gtk_widget_get_width (forward) / 2.0,
                                 gtk_widget_get_height (forward) / 2.0));
  g_assert_true (click_lands_on (window, GTK_WIDGET (graph), corner_x, 8));
  g_signal_emit_by_name (forward, "clicked");
  hs_test_wait_idle (window);
  g_assert_cmpuint (hs_window_get_step (window), ==, step);
  g_assert_true (adw_flap_get_reveal_flap (window->editor_flap));

  open_pixel = window_pixel (window, GTK_WIDGET (graph), corner_x, 8);
  g_test_message ("the graph's corner: %08x with the editor away, %08x with it open", shut_pixel, open_pixel);
  g_assert_cmphex (open_pixel, ==, shut_pixel);

  /* The editor's own rows are drawn on the window's background, not on
   * the graph under them: the output pane's heading row was see-through,
   * and the boxes under it showed between its words */
  {
    GtkWidget *heading = gtk_widget_get_parent (GTK_WIDGET (window->output_status));
    GtkWidget *commands = window->command_bar;
    guint32 row_pixel = window_pixel (window, heading, 2, 2);
    guint32 window_bg = window_pixel (window, commands, 2, 2);
    guint32 under_pixel;
    graphene_point_t under;

    /* what the graph itself draws under that corner: were it the
     * window's colour, a see-through row would look right */
    g_assert_true (gtk_widget_compute_point (heading, GTK_WIDGET (graph), &GRAPHENE_POINT_INIT (2, 2), &under));
    under_pixel = drawn_pixel (GTK_WIDGET (graph), under.x, under.y);
    g_test_message ("the output heading's corner %08x, the window's background %08x, the graph's under it %08x",
                    row_pixel, window_bg, under_pixel);
    g_assert_cmphex (under_pixel, !=, window_bg);
    g_assert_cmphex (row_pixel, ==, window_bg);
  }

  /* Escape puts it away, and its header toggle says so */
  g_assert_true (press_escape (window));
  g_assert_false (adw_flap_get_reveal_flap (window->editor_flap));
  shown = g_action_group_get_action_state (G_ACTION_GROUP (window), "show-editor");
  g_assert_false (g_variant_get_boolean (shown));
  g_assert_false (press_escape (window));

  /* Put away with the keyboard in the snippet, the keyboard goes back to
   * the header toggle it was opened from: GTK gave it to First Step */
  hs_test_activate (window, "show-editor");
  g_assert_true (hs_test_wait_until (editor_open, window->editor_flap));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (window->source_view)));
  g_assert_true (press_escape (window));
  g_assert_true (hs_test_wait_until (inspector_shut, window->editor_flap));
  hs_test_wait_frames (root, 2);
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

    g_test_message ("the focus, the editor put away: %s %s", focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "(none)",
                    GTK_IS_ACTIONABLE (focus) ? gtk_actionable_get_action_name (GTK_ACTIONABLE (focus)) : "");
  }
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == window->editor_toggle);

  /* Widened, it comes beside the graph, and the step bar stays under
   * the graph */
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 700);
  g_assert_true (hs_test_wait_until (hs_test_flap_unfolded, window->editor_flap));
  g_assert_true (hs_test_wait_until (editor_open, window->editor_flap));
  measure_panes (window, editor, step_bar, "1200x700", &pane, &bar);
  g_assert_cmpfloat (bar.origin.x, >=, pane.origin.x + pane.size.width);
  /* and the editor beside goes down to the heap buttons, as before */
  g_assert_cmpfloat (pane.origin.y + pane.size.height, >, bar.origin.y + bar.size.height - 1);
  hs_test_window_close (window);
}

/* Issue 8: the inspector comes beside the graph from 1,860 px of the
 * window's width (INSPECTOR_BESIDE_WIDTH in hs-window.c).  It came at
 * 1,870 px under Xvfb: the window's allocation, which leaves out the
 * shadow (or the resize border GTK draws without a compositor, 5 px a
 * side there), had that shadow taken off once more, so a window with a
 * real shadow kept the inspector folded some 50 px further.  Measured
 * from 1,780 to 1,900 px: the inspector is folded below 1,860 px and
 * beside from there; on each side of the fold the graph widens with the
 * window; across it, the graph gives the inspector its column and
 * nothing more, so the room of graph and inspector together never
 * narrows. */
static void
test_graph_room_at_fold (void)
{
  static const int widths[] = { 1780, 1800, 1830, 1859, 1860, 1870, 1900 };
  int last_window = 0, last_graph = 0, last_room = 0;
  gboolean last_folded = TRUE;

  if (screen_width () < 1920)
    {
      g_test_skip ("the fold at 1,860 px needs a screen at least 1,920 px wide");
      return;
    }
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      HsWindow *window = sized_window (widths[w], 760);
      int width = gtk_widget_get_width (GTK_WIDGET (window));
      int graph = gtk_widget_get_width (GTK_WIDGET (hs_window_get_graph_view (window)));
      gboolean folded = adw_flap_get_folded (window->inspector_flap);
      /* the inspector's column: the pane and its separator */
      int column = gtk_widget_get_width (GTK_WIDGET (window->inspector)) +
                   gtk_widget_get_width (adw_flap_get_separator (window->inspector_flap));
      int room = graph + (folded ? 0 : column);

      g_test_message ("asked for %d px: window %d px, graph %d px wide, inspector %s (its column %d px)",
                      widths[w], width, graph, folded ? "folded" : "beside", column);
      g_assert_cmpint (folded, ==, width < 1860);
      if (last_window > 0 && width > last_window)
        {
          g_assert_cmpint (room, >=, last_room);
          if (folded == last_folded)
            g_assert_cmpint (graph, >=, last_graph);
        }
      hs_test_window_close (window);
      last_window = width;
      last_graph = graph;
      last_room = room;
      last_folded = folded;
    }
}

static const char *
focus_name (HsWindow *window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "(none)";
}

static gboolean
editor_shut (gpointer data)
{
  return adw_flap_get_reveal_progress (data) <= 0;
}

/* F9, pressed for real: the editor it shows takes the keyboard, so that
 * the learner can type in the snippet at once (it stayed where it was,
 * on the graph); put away with the keyboard in it, the keyboard goes to
 * the graph, the window's main content (GTK gave it to the First Step
 * button, or to nothing).  Beside the graph (1280x800) and folded over
 * it (800x600). */
static void
test_f9_focus (gconstpointer data)
{
  const int *size = data;
  HsWindow *window = sized_window (size[0], size[1]);
  GtkWidget *graph = GTK_WIDGET (hs_window_get_graph_view (window));

  g_assert_true (gtk_widget_grab_focus (graph));
  if (adw_flap_get_reveal_flap (window->editor_flap))
    {
      if (!hs_test_press_keys (GTK_WINDOW (window), "F9"))
        {
          g_test_skip ("no X11 display or no xdotool to press keys with");
          hs_test_window_close (window);
          return;
        }
      g_assert_true (hs_test_wait_until (editor_shut, window->editor_flap));
      g_assert_true (gtk_widget_has_focus (graph));
    }

  if (!hs_test_press_keys (GTK_WINDOW (window), "F9"))
    {
      g_test_skip ("no X11 display or no xdotool to press keys with");
      hs_test_window_close (window);
      return;
    }
  g_assert_true (hs_test_wait_until (editor_open, window->editor_flap));
  hs_test_wait_frames (GTK_WIDGET (window), 2);
  g_test_message ("%dx%d: the focus, the editor shown by F9: %s", size[0], size[1], focus_name (window));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (window->source_view)));
  /* typed keys go into the snippet */
  {
    g_autofree char *before = hs_window_dup_text (window);
    g_autofree char *after = NULL;

    hs_test_press_keys (GTK_WINDOW (window), "z");
    after = hs_window_dup_text (window);
    g_assert_cmpuint (strlen (after), ==, strlen (before) + 1);
    hs_test_press_keys (GTK_WINDOW (window), "BackSpace");
  }

  hs_test_press_keys (GTK_WINDOW (window), "F9");
  g_assert_true (hs_test_wait_until (editor_shut, window->editor_flap));
  hs_test_wait_frames (GTK_WIDGET (window), 2);
  g_test_message ("%dx%d: the focus, the editor put away by F9: %s", size[0], size[1], focus_name (window));
  g_assert_true (gtk_widget_has_focus (graph));

  hs_test_window_close (window);
}

static gboolean
at_first_step (gpointer data)
{
  return hs_window_get_step (data) == 0;
}

static void
log_bounds (const char            *what,
            const graphene_rect_t *r)
{
  g_test_message ("%s at x %.0f..%.0f y %.0f..%.0f", what, r->origin.x, r->origin.x + r->size.width,
                  r->origin.y, r->origin.y + r->size.height);
}

/* Whether a and b overlap by more than a pixel's edge */
static gboolean
overlap (const graphene_rect_t *a,
         const graphene_rect_t *b)
{
  graphene_rect_t both;

  return graphene_rect_intersection (a, b, &both) && both.size.width > 0.5 && both.size.height > 0.5;
}

/* The zoom buttons lie clear of both folded panes.  The window moves
 * them in an idle after the flaps move, which frames asked for back to
 * back can hold off: this is waited for, not a count of frames. */
static gboolean
zoom_is_clear (gpointer data)
{
  HsWindow *window = data;
  GtkWidget *root = GTK_WIDGET (window);
  graphene_rect_t zoom, pane, side;

  return gtk_widget_compute_bounds (window->zoom_box, root, &zoom) &&
         gtk_widget_compute_bounds (adw_flap_get_flap (window->editor_flap), root, &pane) &&
         gtk_widget_compute_bounds (adw_flap_get_flap (window->inspector_flap), root, &side) &&
         !overlap (&zoom, &pane) && !overlap (&zoom, &side);
}

static gboolean
zoom_in_a_row (gpointer data)
{
  HsWindow *window = data;

  return gtk_orientable_get_orientation (GTK_ORIENTABLE (window->zoom_box)) == GTK_ORIENTATION_HORIZONTAL &&
         gtk_widget_get_margin_start (window->zoom_box) == 0;
}

/* At 800x600 a lesson open, the editor shown (folded, over the graph's
 * left) and then the inspector (folded, over its right): both together
 * left the graph a strip of 130 px, where a frame's box did not fit at a
 * zoom whose text can be read.  The pane opened last puts the other
 * away, and the graph keeps the room beside it (530 px beside the
 * inspector, 390 beside the editor); the
 * zoom buttons stand in a row clear of the pane open, and the lesson's
 * note clear of it too.  Opened again, the editor puts the inspector
 * away in turn. */
static void
test_one_pane_at_800 (void)
{
  HsWindow *window = sized_window (800, 600);
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *editor = adw_flap_get_flap (window->editor_flap);
  GtkWidget *inspector = adw_flap_get_flap (window->inspector_flap);
  GtkWidget *notes = GTK_WIDGET (hs_window_get_lesson_panel (window));
  GtkWidget *graph = GTK_WIDGET (hs_window_get_graph_view (window));
  graphene_rect_t pane, side, zoom, note, view;

  g_action_group_activate_action (G_ACTION_GROUP (window), "open-lesson", g_variant_new_string ("copies"));
  hs_test_wait_idle (window);
  g_assert_true (hs_test_wait_until (at_first_step, window));
  hs_test_wait_idle (window);
  g_assert_true (gtk_widget_get_visible (notes));
  g_assert_true (adw_flap_get_folded (window->editor_flap));
  g_assert_true (adw_flap_get_folded (window->inspector_flap));

  hs_test_activate (window, "show-editor");
  g_assert_true (hs_test_wait_until (editor_open, window->editor_flap));
  hs_test_activate (window, "show-inspector");
  g_assert_true (hs_test_wait_until (inspector_open, window->inspector_flap));
  g_assert_true (hs_test_wait_until (inspector_shut, window->editor_flap));
  g_assert_false (adw_flap_get_reveal_flap (window->editor_flap));
  hs_test_wait_idle (window);
  hs_test_wait_frames (root, 4);
  g_assert_true (hs_test_wait_until (zoom_in_a_row, window));
  hs_test_save_shot (root, "inspector-over-editor-800x600");

  g_assert_true (gtk_widget_compute_bounds (inspector, root, &side));
  g_assert_true (gtk_widget_compute_bounds (window->zoom_box, root, &zoom));
  g_assert_true (gtk_widget_compute_bounds (notes, root, &note));
  g_assert_true (gtk_widget_compute_bounds (graph, root, &view));
  log_bounds ("the inspector", &side);
  log_bounds ("the zoom buttons", &zoom);
  log_bounds ("the lesson's note", &note);
  log_bounds ("the graph", &view);
  g_assert_cmpfloat (side.size.width, >, 0);
  g_assert_cmpfloat (side.origin.x - view.origin.x, >=, 400);
  g_assert_true (gtk_widget_get_mapped (window->zoom_box));
  g_assert_false (overlap (&zoom, &side));
  g_assert_true (graphene_rect_contains_rect (&view, &zoom));
  g_assert_false (overlap (&note, &side));

  /* The editor again: the inspector goes, the editor keeps the keyboard */
  hs_test_activate (window, "show-editor");
  g_assert_true (hs_test_wait_until (editor_open, window->editor_flap));
  g_assert_true (hs_test_wait_until (inspector_shut, window->inspector_flap));
  g_assert_false (adw_flap_get_reveal_flap (window->inspector_flap));
  hs_test_wait_idle (window);
  hs_test_wait_frames (root, 4);
  g_assert_true (hs_test_wait_until (zoom_is_clear, window));
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (window->zoom_box)), ==,
                   GTK_ORIENTATION_HORIZONTAL);
  hs_test_save_shot (root, "editor-over-inspector-800x600");

  g_assert_true (gtk_widget_compute_bounds (editor, root, &pane));
  g_assert_true (gtk_widget_compute_bounds (window->zoom_box, root, &zoom));
  g_assert_true (gtk_widget_compute_bounds (notes, root, &note));
  log_bounds ("the editor", &pane);
  log_bounds ("the zoom buttons", &zoom);
  log_bounds ("the lesson's note", &note);
  /* the editor, 400 px wide, leaves 390: a frame's box (177 px at a
   * zoom whose text can be read) and a column beside it */
  g_assert_cmpfloat (view.origin.x + view.size.width - (pane.origin.x + pane.size.width), >=, 380);
  g_assert_false (overlap (&zoom, &pane));
  g_assert_false (overlap (&note, &pane));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), editor));

  /* Put away, what it made room for goes back */
  hs_test_activate (window, "show-editor");
  g_assert_true (hs_test_wait_until (inspector_shut, window->editor_flap));
  hs_test_wait_idle (window);
  hs_test_wait_frames (root, 4);
  hs_test_wait_until (zoom_in_a_row, window);
  {
    graphene_rect_t zoom_after;

    g_assert_true (gtk_widget_compute_bounds (window->zoom_box, root, &zoom_after));
    log_bounds ("the zoom buttons, both panes away", &zoom_after);
    g_assert_cmpfloat (fabs (zoom_after.origin.x + zoom_after.size.width - (view.origin.x + view.size.width)), <=, 13);
    g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (window->zoom_box)), ==,
                     GTK_ORIENTATION_HORIZONTAL);
  }

  /* Widened, the editor comes beside the graph, and the note goes back
   * above the graph alone */
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 700);
  g_assert_true (hs_test_wait_until (hs_test_flap_unfolded, window->editor_flap));
  g_assert_true (hs_test_wait_until (editor_open, window->editor_flap));
  hs_test_wait_idle (window);
  hs_test_wait_frames (root, 4);
  g_assert_true (gtk_widget_compute_bounds (editor, root, &pane));
  g_assert_true (gtk_widget_compute_bounds (notes, root, &note));
  g_assert_true (gtk_widget_compute_bounds (graph, root, &view));
  log_bounds ("1200x700: the editor", &pane);
  log_bounds ("1200x700: the lesson's note", &note);
  g_assert_cmpfloat (note.origin.x, >=, pane.origin.x + pane.size.width);
  g_assert_cmpfloat (fabs (note.origin.x - view.origin.x), <=, 0.5);
  g_assert_cmpfloat (pane.origin.y, <, note.origin.y + note.size.height);

  hs_test_window_close (window);
}

/* Where rect (layout units) is drawn in graph's pixels */
static graphene_rect_t
drawn_rect (HsGraphView  *graph,
            const HsRect *rect)
{
  return GRAPHENE_RECT_INIT (round (graph->offset_x) + rect->x * graph->zoom,
                             round (graph->offset_y) + rect->y * graph->zoom,
                             rect->width * graph->zoom, rect->height * graph->zoom);
}

/* Whether r lies whole in clear, the part of the graph no pane covers,
 * and clear of the zoom buttons; a border on clear's edge is in sight */
static gboolean
drawn_in_sight (const graphene_rect_t *r,
                const graphene_rect_t *clear,
                const graphene_rect_t *zoom)
{
  graphene_rect_t inside = *clear;

  graphene_rect_inset (&inside, -1, -1);
  return graphene_rect_contains_rect (&inside, r) && !overlap (r, zoom);
}

/* The camera rests at a zoom whose text can be read, and the current
 * frame (its pinned copy when pinned) lies whole in the part of the
 * graph neither pane covers, clear of the zoom buttons, or where it is
 * wider than that part, its name does, up to the part's right edge.
 * Of what the step's line made, one at least lies there too (the strip
 * has no room for more, a new list and its items side by side), and
 * none under the buttons.  Logs where each is when log is set. */
static gboolean
step_in_sight (HsWindow *window,
               gboolean  log)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsLayout *layout = hs_graph_view_get_layout (graph);
  HsSnapshot *snapshot;
  graphene_rect_t clear, zoom;
  const HsLayoutBox *boxes;
  HsRect pin;
  guint n_boxes, made = 0, shown = 0;
  gboolean pinned, ok = TRUE;

  if (layout == NULL || hs_graph_view_get_busy (graph) || hs_graph_view_camera_is_moving (graph) ||
      !zoom_is_clear (window) ||
      !gtk_widget_compute_bounds (window->zoom_box, GTK_WIDGET (graph), &zoom))
    return FALSE;
  hs_graph_view_camera_get_clear_area (graph, &clear);
  if (log)
    {
      log_bounds ("the graph clear of the panes", &clear);
      log_bounds ("the zoom buttons", &zoom);
      g_test_message ("zoom %.3f, readable from %.3f", graph->zoom, hs_graph_view_get_readable_zoom (graph));
    }
  if (graph->zoom < hs_graph_view_get_readable_zoom (graph) - 1e-6)
    return FALSE;

  snapshot = hs_layout_get_snapshot (layout);
  pinned = hs_graph_view_get_pinned_frame (graph, &pin);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      const HsObject *object;
      graphene_rect_t r;

      if (boxes[i].kind == HS_LAYOUT_BOX_FRAME && boxes[i].current)
        {
          r = drawn_rect (graph, pinned ? &pin : &boxes[i].rect);
          if (log)
            log_bounds (pinned ? "the current frame, pinned," : "the current frame", &r);
          /* its name, from its left edge to the part's right edge */
          if (r.origin.x + r.size.width > clear.origin.x + clear.size.width)
            r = GRAPHENE_RECT_INIT (r.origin.x, r.origin.y, clear.origin.x + clear.size.width - r.origin.x,
                                    boxes[i].header_height * graph->zoom);
          ok &= drawn_in_sight (&r, &clear, &zoom);
        }
      else if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT &&
               (object = hs_snapshot_lookup (snapshot, boxes[i].ref)) != NULL &&
               (object->changes & HS_CHANGE_CREATED))
        {
          r = drawn_rect (graph, &boxes[i].rect);
          if (log)
            log_bounds ("an object the line made", &r);
          made++;
          shown += drawn_in_sight (&r, &clear, &zoom);
          ok &= !overlap (&r, &zoom);
        }
    }
  return ok && (made == 0 || shown > 0);
}

/* The camera rests with the whole width clear, and the current frame
 * (its pinned copy when pinned) and every object the step's line made
 * lie whole in view */
static gboolean
all_in_view (gpointer data)
{
  HsGraphView *graph = data;
  HsLayout *layout = hs_graph_view_get_layout (graph);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  graphene_rect_t clear;
  const HsLayoutBox *boxes;
  HsRect visible, pin;
  guint n_boxes;
  gboolean pinned;

  hs_graph_view_camera_get_clear_area (graph, &clear);
  /* busy: a refit waits for its frame too */
  if (hs_graph_view_get_busy (graph) || hs_graph_view_camera_is_moving (graph) ||
      clear.size.width < gtk_widget_get_width (GTK_WIDGET (graph)))
    return FALSE;
  pinned = hs_graph_view_get_pinned_frame (graph, &pin);
  hs_graph_view_get_visible_rect (graph, &visible);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      const HsObject *object = hs_snapshot_lookup (snapshot, boxes[i].ref);

      if (boxes[i].kind == HS_LAYOUT_BOX_FRAME && boxes[i].current &&
          !hs_test_rect_inside (pinned ? &pin : &boxes[i].rect, &visible))
        return FALSE;
      if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT && object != NULL && (object->changes & HS_CHANGE_CREATED) &&
          !hs_test_rect_inside (&boxes[i].rect, &visible))
        return FALSE;
    }
  return TRUE;
}

static gboolean
step_in_sight_cb (gpointer data)
{
  return step_in_sight (data, FALSE);
}

/* At 800x600 with a pane open over the graph (the editor, then the
 * inspector), the camera frames each step in the part of the graph the
 * pane leaves, clear of the zoom buttons as they stand once they moved
 * out from under the pane: with both panes open, the graph was a strip
 * 130 px wide, the buttons in a column at its right, and the camera kept
 * the framing it made for them in a row along the bottom, the current
 * frame's name under the column.  Both put away, the view frames the
 * step across its whole width. */
static void
test_pane_frame_at_800 (void)
{
  HsWindow *window = sized_window (800, 600);
  GtkWidget *root = GTK_WIDGET (window);
  HsGraphView *graph = hs_window_get_graph_view (window);
  static const char *const panes[] = { "show-editor", "show-inspector" };

  g_action_group_activate_action (G_ACTION_GROUP (window), "open-lesson", g_variant_new_string ("copies"));
  hs_test_wait_idle (window);
  g_assert_true (hs_test_wait_until (at_first_step, window));
  hs_test_wait_idle (window);

  for (guint p = 0; p < G_N_ELEMENTS (panes); p++)
    {
      AdwFlap *flap = p == 0 ? window->editor_flap : window->inspector_flap;

      g_test_message ("%s", panes[p]);
      hs_test_activate (window, panes[p]);
      g_assert_true (hs_test_wait_until (editor_open, flap));
      hs_test_wait_idle (window);
      g_assert_true (hs_test_wait_until (zoom_is_clear, window));
      for (guint step = 0; step < 3; step++)
        {
          g_test_message ("step %u", step);
          hs_window_show_step (window, step, TRUE);
          hs_test_wait_idle (window);
          hs_test_wait_frames (root, 4);
          hs_test_wait_until (step_in_sight_cb, window);
          hs_test_wait_frames (root, 4);
          hs_test_save_shot (root, p == 0 ? "editor-frame-800x600" : "inspector-frame-800x600");
          g_assert_true (step_in_sight (window, TRUE));
        }
      hs_test_activate (window, panes[p]);
      g_assert_true (hs_test_wait_until (inspector_shut, flap));
    }

  /* Both put away, the view frames the step across its whole width:
   * the frame and all three lists the line made are in view */
  g_assert_true (hs_test_wait_until (zoom_in_a_row, window));
  g_assert_true (hs_test_wait_until (all_in_view, graph));
  hs_test_wait_frames (root, 4);
  g_assert_true (all_in_view (graph));

  hs_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  app = hs_test_init (&argc, &argv);

  g_test_add_func ("/ui/window-fit/graph-room", test_graph_room);
  g_test_add_func ("/ui/window-fit/presenting-keeps-editor", test_presenting_keeps_editor);
  g_test_add_func ("/ui/window-fit/folded-statement", test_folded_statement);
  g_test_add_func ("/ui/window-fit/no-tooltip-while-gliding", test_no_tooltip_while_gliding);
  g_test_add_func ("/ui/window-fit/click-on-drawn-edge", test_click_on_drawn_edge);
  g_test_add_func ("/ui/window-fit/select-shows-inspector", test_select_shows_inspector);
  g_test_add_func ("/ui/window-fit/inspector-moves-once", test_inspector_moves_once);
  g_test_add_func ("/ui/window-fit/why-in-sight", test_why_in_sight);
  g_test_add_func ("/ui/window-fit/reopen-keeps-clear", test_reopen_keeps_clear);
  g_test_add_func ("/ui/window-fit/inspector-over-graph-only", test_inspector_over_graph_only);
  g_test_add_func ("/ui/window-fit/graph-room-at-fold", test_graph_room_at_fold);
  g_test_add_func ("/ui/window-fit/editor-over-graph-only", test_editor_over_graph_only);
  g_test_add_func ("/ui/window-fit/one-pane-at-800", test_one_pane_at_800);
  g_test_add_func ("/ui/window-fit/pane-frame-at-800", test_pane_frame_at_800);
  {
    static const int beside[] = { 1280, 800 }, folded[] = { 800, 600 };

    g_test_add_data_func ("/ui/window-fit/f9-focus/1280x800", beside, test_f9_focus);
    g_test_add_data_func ("/ui/window-fit/f9-focus/800x600", folded, test_f9_focus);
  }

  return hs_test_run (app);
}
