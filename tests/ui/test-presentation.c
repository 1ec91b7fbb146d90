/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Presentation mode under Xvfb: the action sets the lecture layout and
 * style, the clicker's keys step, and with the hold on a step forward
 * first leaves what the step made or changed blank, then reveals it.
 * The renderer's presentation knobs are checked on real pixels.
 */
#define G_LOG_DOMAIN "heapscope-test-presentation"

#include "config.h"

#include <string.h>

#include "hs-graph-view-private.h"
#include "hs-renderer.h"
#include "hs-test-run.h"

static HsApplication *app;

static const char program[] =
  "a = [1, 2]\n"
  "b = a\n"
  "a.append(3)\n"
  "c = 'x' * 3\n";

static const HsTestProgram test_program = { program, "present.py" };

static void
set_state (HsWindow   *window,
           const char *action,
           gboolean    on)
{
  g_action_group_change_action_state (G_ACTION_GROUP (window), action, g_variant_new_boolean (on));
}

static void
test_layout (HsTestFixture *f,
             gconstpointer  data)
{
  HsWindow *w = f->window;

  /* Outside presentation the clicker's keys belong to the editor. */
  g_assert_false (hs_window_presentation_key (w, GDK_KEY_Page_Down));
  g_assert_cmpuint (hs_window_get_step (w), ==, 0);

  adw_flap_set_reveal_flap (w->inspector_flap, TRUE);
  set_state (w, "presentation", TRUE);
  g_assert_true (hs_window_get_presenting (w));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (w), "presentation"));
  g_assert_true (adw_flap_get_reveal_flap (w->editor_flap));
  g_assert_false (adw_flap_get_reveal_flap (w->inspector_flap));
  g_assert_false (gtk_widget_get_visible (w->command_bar));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (w->source_view)));
  /* The camera keeps text larger for the room, up to 1.6 times on a
   * 1080-line projector, and may zoom in further */
  g_assert_cmpfloat (hs_graph_view_get_readable_text_px (w->graph_view), >, HS_RENDERER_READABLE_PX * 1.05);
  g_assert_cmpfloat (hs_graph_view_get_readable_text_px (w->graph_view), <=, HS_RENDERER_READABLE_PX * 1.6 + 1e-9);
  g_assert_cmpfloat_with_epsilon (hs_graph_view_get_max_follow_zoom (w->graph_view), 2.0, 1e-9);

  /* Escape leaves it, and the window is as it was. */
  g_assert_true (hs_window_presentation_key (w, GDK_KEY_Escape));
  g_assert_false (hs_window_get_presenting (w));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (w), "presentation"));
  g_assert_true (adw_flap_get_reveal_flap (w->inspector_flap));
  g_assert_true (gtk_widget_get_visible (w->command_bar));
  g_assert_true (gtk_text_view_get_editable (GTK_TEXT_VIEW (w->source_view)));
  g_assert_cmpfloat_with_epsilon (hs_graph_view_get_readable_text_px (w->graph_view),
                                  HS_RENDERER_READABLE_PX, 1e-9);
  g_assert_cmpfloat_with_epsilon (hs_graph_view_get_max_follow_zoom (w->graph_view), 1.0, 1e-9);
}

static void
test_keys (HsTestFixture *f,
           gconstpointer  data)
{
  HsWindow *w = f->window;
  HsGraphView *graph = hs_window_get_graph_view (w);
  static const guint forward[] = { GDK_KEY_Page_Down, GDK_KEY_Right, GDK_KEY_space, GDK_KEY_Down };
  static const guint back[] = { GDK_KEY_Page_Up, GDK_KEY_Left, GDK_KEY_BackSpace, GDK_KEY_Up };

  set_state (w, "presentation", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (forward); i++)
    {
      g_assert_true (hs_window_presentation_key (w, forward[i]));
      g_assert_cmpuint (hs_window_get_step (w), ==, 1);
      g_assert_false (hs_graph_view_get_hide_changes (graph));
      g_assert_true (hs_window_presentation_key (w, back[i]));
      g_assert_cmpuint (hs_window_get_step (w), ==, 0);
    }
  g_assert_true (hs_window_presentation_key (w, GDK_KEY_End));
  g_assert_cmpuint (hs_window_get_step (w), ==, hs_trace_get_n_steps (hs_window_get_trace (w)) - 1);
  g_assert_true (hs_window_presentation_key (w, GDK_KEY_Home));
  g_assert_cmpuint (hs_window_get_step (w), ==, 0);
  g_assert_false (hs_window_presentation_key (w, GDK_KEY_a));
}

static void
test_hold (HsTestFixture *f,
           gconstpointer  data)
{
  HsWindow *w = f->window;
  HsGraphView *graph = hs_window_get_graph_view (w);

  set_state (w, "presentation", TRUE);
  set_state (w, "hold-changes", TRUE);

  /* Each press first shows the step held, then reveals it. */
  for (guint step = 1; step < 3; step++)
    {
      g_assert_true (hs_window_presentation_key (w, GDK_KEY_Page_Down));
      g_assert_cmpuint (hs_window_get_step (w), ==, step);
      g_assert_true (hs_graph_view_get_hide_changes (graph));
      g_action_group_activate_action (G_ACTION_GROUP (w), "presentation-next", NULL);
      g_assert_cmpuint (hs_window_get_step (w), ==, step);
      g_assert_false (hs_graph_view_get_hide_changes (graph));
    }

  /* Back shows the earlier step whole. */
  g_assert_true (hs_window_presentation_key (w, GDK_KEY_Page_Down));
  g_assert_true (hs_graph_view_get_hide_changes (graph));
  g_assert_true (hs_window_presentation_key (w, GDK_KEY_Page_Up));
  g_assert_cmpuint (hs_window_get_step (w), ==, 2);
  g_assert_false (hs_graph_view_get_hide_changes (graph));

  /* Turning the hold off reveals, and leaving the mode drops the style. */
  g_assert_true (hs_window_presentation_key (w, GDK_KEY_Page_Down));
  set_state (w, "hold-changes", FALSE);
  g_assert_false (hs_graph_view_get_hide_changes (graph));
  g_assert_true (hs_window_presentation_key (w, GDK_KEY_Page_Down));
  g_assert_false (hs_graph_view_get_hide_changes (graph));
  set_state (w, "hold-changes", TRUE);
  g_assert_true (hs_window_presentation_key (w, GDK_KEY_Page_Up));
  g_assert_true (hs_window_presentation_key (w, GDK_KEY_Page_Down));
  g_assert_true (hs_graph_view_get_hide_changes (graph));
  set_state (w, "presentation", FALSE);
  g_assert_false (hs_graph_view_get_hide_changes (graph));
}

/* Renders LAYOUT and returns the image. */
static cairo_surface_t *
render (HsLayout              *layout,
        const HsRenderOptions *options)
{
  double width, height;
  cairo_surface_t *surface;
  cairo_t *cr;

  hs_layout_get_size (layout, &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width + 1, (int) height + 1);
  cr = cairo_create (surface);
  hs_renderer_draw (cr, layout, options);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static gboolean
same_pixels (cairo_surface_t *x,
             cairo_surface_t *y,
             const HsRect    *rect)
{
  int stride = cairo_image_surface_get_stride (x);
  const guchar *px = cairo_image_surface_get_data (x);
  const guchar *py = cairo_image_surface_get_data (y);
  int x0 = MAX (0, (int) rect->x), y0 = MAX (0, (int) rect->y);
  int x1 = MIN (cairo_image_surface_get_width (x), (int) (rect->x + rect->width));
  int y1 = MIN (cairo_image_surface_get_height (x), (int) (rect->y + rect->height));

  for (int row = y0; row < y1; row++)
    if (memcmp (px + row * stride + x0 * 4, py + row * stride + x0 * 4, (x1 - x0) * 4) != 0)
      return FALSE;
  return TRUE;
}

/* The step after a.append(3): the list is changed, the int 1 is not. */
static void
test_renderer_knobs (HsTestFixture *f,
                     gconstpointer  data)
{
  HsTrace *trace = hs_window_get_trace (f->window);
  g_autoptr(HsLayout) layout = NULL;
  cairo_surface_t *normal, *hidden, *thick, *contrast;
  HsRenderOptions options;
  const HsLayoutBox *boxes;
  const HsLayoutBox *changed = NULL, *unchanged = NULL;
  guint n_boxes;

  for (guint i = 0; i < hs_trace_get_n_steps (trace) && changed == NULL; i++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, i);

      HsLayoutOptions layout_options;

      g_clear_pointer (&layout, hs_layout_unref);
      /* values as boxes too: one that the step left unchanged */
      hs_layout_options_init (&layout_options);
      layout_options.every_object = TRUE;
      layout = hs_layout_new (snapshot, NULL, &layout_options);
      boxes = hs_layout_get_boxes (layout, &n_boxes);
      unchanged = NULL;
      for (guint b = 0; b < n_boxes; b++)
        if (boxes[b].kind == HS_LAYOUT_BOX_OBJECT && (boxes[b].changes & HS_CHANGE_MUTATED) &&
            g_strcmp0 (boxes[b].title, "list") == 0)
          changed = &boxes[b];
        else if (boxes[b].kind == HS_LAYOUT_BOX_OBJECT && boxes[b].changes == 0)
          unchanged = &boxes[b];
    }
  g_assert_nonnull (changed);
  g_assert_nonnull (unchanged);

  hs_render_options_init (&options);
  normal = render (layout, &options);
  options.hide_changes = TRUE;
  hidden = render (layout, &options);
  options.hide_changes = FALSE;
  options.line_scale = 3;
  thick = render (layout, &options);
  options.line_scale = 1;
  options.palette = HS_RENDER_PALETTE_HIGH_CONTRAST;
  contrast = render (layout, &options);

  /* The hold blanks the changed list and leaves the untouched int. */
  g_assert_false (same_pixels (normal, hidden, &changed->rect));
  g_assert_true (same_pixels (normal, hidden, &unchanged->rect));
  /* Thick lines and the palette change the picture. */
  g_assert_false (same_pixels (normal, thick, &unchanged->rect));
  g_assert_false (same_pixels (normal, contrast, &unchanged->rect));

  cairo_surface_destroy (normal);
  cairo_surface_destroy (hidden);
  cairo_surface_destroy (thick);
  cairo_surface_destroy (contrast);
}

/* Presenting, a small graph grows past the follow camera's usual cap
 * (zoom 1, or the larger readable size) to fill the pane for the room. */
static void
test_fills_pane (void)
{
  HsWindow *w = hs_test_window_new_run ("n = 7\n", "small.py");
  HsGraphView *graph = hs_window_get_graph_view (w);
  double usual_cap;

  set_state (w, "presentation", TRUE);
  usual_cap = MAX (hs_graph_view_get_readable_zoom (graph) *
                   hs_graph_view_get_readable_text_px (graph) / HS_RENDERER_READABLE_PX, 1.0);
  hs_window_show_step (w, hs_trace_get_n_steps (hs_window_get_trace (w)) - 1, FALSE);
  hs_test_wait_idle (w);
  hs_test_wait_frames (GTK_WIDGET (graph), 3);
  hs_graph_view_finish_animations (graph);

  g_assert_cmpfloat (hs_graph_view_get_zoom (graph), >, usual_cap * 1.05);
  set_state (w, "presentation", FALSE);
  hs_test_window_close (w);
}

/* The camera's bounds are the view's properties, whoever sets them: out
 * of presentation, a larger max-follow-zoom lets a small graph grow, and
 * a larger readable-text-px keeps the zoom up; the defaults come back. */
static void
test_camera_bounds (void)
{
  HsWindow *w = hs_test_window_new_run ("n = 7\n", "small.py");
  HsGraphView *graph = hs_window_get_graph_view (w);
  double readable = hs_graph_view_get_readable_zoom (graph);

  hs_test_wait_frames (GTK_WIDGET (graph), 3);
  hs_graph_view_finish_animations (graph);
  g_assert_true (hs_graph_view_get_follow (graph));
  g_assert_cmpfloat (hs_graph_view_get_zoom (graph), <=, MAX (readable, 1.0) + 1e-6);

  g_object_set (graph, "max-follow-zoom", 3.0, NULL);
  hs_graph_view_finish_animations (graph);
  g_assert_cmpfloat (hs_graph_view_get_zoom (graph), >, MAX (readable, 1.0) * 1.05);
  g_assert_cmpfloat (hs_graph_view_get_zoom (graph), <=, 3.0 + 1e-6);

  g_object_set (graph, "max-follow-zoom", 0.2, "readable-text-px", HS_RENDERER_READABLE_PX * 2, NULL);
  hs_graph_view_finish_animations (graph);
  g_assert_cmpfloat (hs_graph_view_get_zoom (graph), >=, readable * 2 - 1e-6);

  g_object_set (graph, "max-follow-zoom", 1.0, "readable-text-px", HS_RENDERER_READABLE_PX, NULL);
  hs_graph_view_finish_animations (graph);
  g_assert_cmpfloat (hs_graph_view_get_zoom (graph), <=, MAX (readable, 1.0) + 1e-6);
  hs_test_window_close (w);
}

typedef struct
{
  HsWindow *window;
  int       width;
  int       height;
} Projector;

static gboolean
graph_has_size (gpointer data)
{
  const Projector *p = data;
  GtkWidget *graph = GTK_WIDGET (hs_window_get_graph_view (p->window));

  /* The window's size leaves out its frame's few pixels */
  return hs_test_window_is_idle (p->window) && gtk_widget_get_width (graph) > 100 &&
         ABS (gtk_widget_get_width (GTK_WIDGET (p->window)) - p->width) <= 20 &&
         ABS (gtk_widget_get_height (GTK_WIDGET (p->window)) - p->height) <= 20;
}

/* Presenting the copies lesson on a 1024x768 (or 1920x1080) projector:
 * at every step, what the line created or changed is in view and not
 * under the pinned frame, at the room's text size. */
static void
test_lesson_in_view (gconstpointer data)
{
  const int *size = data;
  HsWindow *w = hs_window_new (app);
  HsGraphView *graph = hs_window_get_graph_view (w);
  Projector projector = { w, size[0], size[1] };
  GdkMonitor *monitor;
  GdkRectangle screen;
  guint n_steps;

  gtk_window_present (GTK_WINDOW (w));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, w));
  /* A window grows no larger than its screen */
  monitor = gdk_display_get_monitor_at_surface (gdk_display_get_default (),
                                                gtk_native_get_surface (GTK_NATIVE (w)));
  gdk_monitor_get_geometry (monitor, &screen);
  if (screen.width < size[0] || screen.height < size[1])
    {
      g_test_skip ("the screen is smaller than this projector");
      hs_test_window_close (w);
      return;
    }
  g_action_group_activate_action (G_ACTION_GROUP (w), "open-lesson", g_variant_new_string ("copies"));
  hs_test_wait_idle (w);
  set_state (w, "presentation", TRUE);
  /* Xvfb has no window manager to make it full screen: the projector's size */
  gtk_window_set_default_size (GTK_WINDOW (w), size[0], size[1]);
  g_assert_true (hs_test_wait_until (graph_has_size, &projector));
  hs_test_wait_frames (GTK_WIDGET (graph), 6);
  n_steps = hs_trace_get_n_steps (hs_window_get_trace (w));

  for (guint step = 0; step < n_steps; step++)
    {
      HsSnapshot *snapshot;
      const HsLayoutBox *boxes;
      guint n_boxes;
      HsRect view, pin;
      gboolean pinned;

      hs_window_show_step (w, step, TRUE);
      hs_test_wait_idle (w);
      hs_test_wait_frames (GTK_WIDGET (graph), 3);
      hs_graph_view_finish_animations (graph);
      if (step == n_steps - 1 || step == n_steps / 2)
        {
          g_autofree char *name = g_strdup_printf ("presentation-copies-%dx%d-step%u", size[0], size[1], step);

          hs_test_save_shot (GTK_WIDGET (w), name);
        }
      g_assert_cmpfloat (hs_graph_view_get_zoom (graph), >=,
                         hs_graph_view_get_readable_zoom (graph) *
                         hs_graph_view_get_readable_text_px (graph) / HS_RENDERER_READABLE_PX - 1e-6);
      snapshot = hs_layout_get_snapshot (hs_graph_view_get_layout (graph));
      g_assert_cmpuint (hs_snapshot_get_index (snapshot), ==, step);
      hs_graph_view_get_visible_rect (graph, &view);
      pinned = hs_graph_view_get_pinned_frame (graph, &pin);
      boxes = hs_layout_get_boxes (hs_graph_view_get_layout (graph), &n_boxes);
      for (guint i = 0; i < n_boxes; i++)
        {
          const HsObject *o = boxes[i].kind == HS_LAYOUT_BOX_OBJECT ? hs_snapshot_lookup (snapshot, boxes[i].ref) : NULL;

          if (o == NULL || !((o->changes & HS_CHANGE_CREATED) ||
                             ((o->changes & HS_CHANGE_MUTATED) && (o->flags & HS_OBJECT_MUTABLE))))
            continue;
          if (!hs_test_rect_inside (&boxes[i].rect, &view))
            g_error ("step %u: the %s the line made or changed, at (%.0f, %.0f), is out of the view (%.0f, %.0f, %.0f×%.0f)",
                     step, boxes[i].title, boxes[i].rect.x, boxes[i].rect.y, view.x, view.y, view.width, view.height);
          if (pinned && boxes[i].rect.x < pin.x + pin.width && pin.x < boxes[i].rect.x + boxes[i].rect.width &&
              boxes[i].rect.y < pin.y + pin.height && pin.y < boxes[i].rect.y + boxes[i].rect.height)
            g_error ("step %u: the %s the line made or changed, at (%.0f, %.0f, %.0f×%.0f), is under the pinned frame (%.0f, %.0f, %.0f×%.0f); view (%.0f, %.0f, %.0f×%.0f)",
                     step, boxes[i].title, boxes[i].rect.x, boxes[i].rect.y, boxes[i].rect.width, boxes[i].rect.height,
                     pin.x, pin.y, pin.width, pin.height, view.x, view.y, view.width, view.height);
        }
    }
  set_state (w, "presentation", FALSE);
  hs_test_window_close (w);
}

/* In full screen the header bar hides, and the pointer at the top edge
 * brings it back until it moves down into the picture. */
static void
test_header (HsTestFixture *f,
             gconstpointer  data)
{
  HsWindow *w = f->window;

  g_assert_true (gtk_revealer_get_reveal_child (w->header_revealer));
  hs_window_presentation_pointer (w, 0);
  g_assert_true (gtk_revealer_get_reveal_child (w->header_revealer));

  set_state (w, "presentation", TRUE);
  g_assert_false (gtk_revealer_get_reveal_child (w->header_revealer));
  hs_window_presentation_pointer (w, 300);
  g_assert_false (gtk_revealer_get_reveal_child (w->header_revealer));
  hs_window_presentation_pointer (w, 0);
  g_assert_true (gtk_revealer_get_reveal_child (w->header_revealer));
  /* On the bar it stays */
  hs_window_presentation_pointer (w, 20);
  g_assert_true (gtk_revealer_get_reveal_child (w->header_revealer));
  hs_window_presentation_pointer (w, 400);
  g_assert_false (gtk_revealer_get_reveal_child (w->header_revealer));

  set_state (w, "presentation", FALSE);
  g_assert_true (gtk_revealer_get_reveal_child (w->header_revealer));
}

int
main (int   argc,
      char *argv[])
{
  app = hs_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, HsTestFixture, &test_program, hs_test_window_run_setup, func, hs_test_window_run_teardown)

  ADD ("/ui/presentation/layout", test_layout);
  ADD ("/ui/presentation/keys", test_keys);
  ADD ("/ui/presentation/hold", test_hold);
  ADD ("/ui/presentation/renderer-knobs", test_renderer_knobs);
  ADD ("/ui/presentation/header", test_header);
  g_test_add_func ("/ui/presentation/fills-pane", test_fills_pane);
  {
    static const int small[] = { 1024, 768 }, large[] = { 1920, 1080 };

    g_test_add_data_func ("/ui/presentation/lesson-in-view/1024x768", small, test_lesson_in_view);
    g_test_add_data_func ("/ui/presentation/lesson-in-view/1920x1080", large, test_lesson_in_view);
  }
  g_test_add_func ("/ui/presentation/camera-bounds", test_camera_bounds);

#undef ADD

  return hs_test_run (app);
}
