/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a learner sees of a lesson at 1024x600 and 1280x800, under Xvfb
 * (issue 51): the heap buttons add no module to the picture, Fit shows
 * the whole picture.
 */
#define G_LOG_DOMAIN "heapscope-test-lesson-view"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hs-graph-view-private.h"
#include "hs-test-run.h"

static HsApplication *app;

static const HsObject *
var_object (HsSnapshot *snapshot,
            const char *name)
{
  guint n_frames;
  const HsFrame *frames = hs_snapshot_get_frames (snapshot, &n_frames);

  for (guint i = 0; n_frames > 0 && i < frames[0].n_vars; i++)
    if (g_str_equal (frames[0].vars[i].name, name))
      return hs_snapshot_lookup (snapshot, frames[0].vars[i].ref);
  return NULL;
}

/* Copy, Deepcopy and gc.collect() on a program that imported neither
 * copy nor gc: the module names no variable of the learner's, draws no
 * box, and a variable of the learner's named copy keeps its object. */
static void
test_buttons_add_no_module (void)
{
  static const char * const commands[] = { "copy", "deepcopy", "gc-collect" };
  HsWindow *window = hs_test_window_new_run ("copy = 'mine'\na = [1, [2]]\n", "buttons");
  HsTrace *trace = hs_window_get_trace (window);

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      guint n_steps = hs_trace_get_n_steps (trace);
      g_autoptr(HsSnapshot) last = NULL;
      const HsObject *objects, *mine;
      guint n_objects;
      HsCommandDialog *dialog;

      hs_window_show_step (window, n_steps - 1, FALSE);
      hs_test_settle (window);
      g_assert_true (hs_graph_view_select_variable (hs_window_get_graph_view (window), "a", FALSE));
      hs_test_activate (window, commands[c]);
      dialog = hs_window_get_command_dialog (window);
      g_assert_nonnull (dialog);
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "run");
      hs_test_settle (window);
      trace = hs_window_get_trace (window);
      g_assert_cmpuint (hs_trace_get_n_steps (trace), >, n_steps);

      last = hs_trace_get_snapshot (trace, hs_trace_get_n_steps (trace) - 1);
      mine = var_object (last, "copy");
      g_test_message ("%s: copy is a %s", commands[c], mine ? mine->type : "(none)");
      g_assert_nonnull (mine);
      g_assert_cmpstr (mine->type, ==, "str");
      objects = hs_snapshot_get_objects (last, &n_objects);
      for (guint i = 0; i < n_objects; i++)
        g_assert_cmpstr (objects[i].type, !=, "module");
    }
  hs_test_window_close (window);
}

static gboolean
at_first_step (gpointer data)
{
  return hs_window_get_step (data) == 0;
}

/* A window of width x height with lesson id open, at its first step */
static HsWindow *
lesson_window (const char *id,
               int         width,
               int         height)
{
  HsWindow *window = hs_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-lesson", g_variant_new_string (id));
  hs_test_wait_idle (window);
  g_assert_true (hs_test_wait_until (at_first_step, window));
  hs_test_wait_idle (window);
  hs_test_settle (window);
  return window;
}

static void
save_shot (HsWindow   *window,
           const char *name)
{
  if (g_getenv ("HS_TEST_SHOTS") == NULL)
    return;
  hs_test_wait_frames (GTK_WIDGET (window), 3);
  hs_test_save_shot (GTK_WIDGET (window), name);
}

/* Fit shows the whole picture, every box of it whole, at the largest
 * zoom that does (issue 51: at 1024x600 the buffers lesson's bytearray
 * stayed off-screen to the right after Fit). */
static void
test_fit_shows_all (gconstpointer data)
{
  const int *size = data;
  HsWindow *window = lesson_window ("buffers", size[0], size[1]);
  HsGraphView *graph = hs_window_get_graph_view (window);
  guint n_steps = hs_trace_get_n_steps (hs_window_get_trace (window));
  guint n_out_before = 0;

  for (guint step = 0; step < n_steps; step++)
    {
      const HsLayoutBox *boxes;
      guint n_boxes;
      HsRect view;
      double width, height, zoom;

      hs_window_show_step (window, step, FALSE);
      hs_graph_view_frame_step (graph);
      hs_test_settle (window);
      boxes = hs_layout_get_boxes (hs_graph_view_get_layout (graph), &n_boxes);
      hs_graph_view_get_visible_rect (graph, &view);
      for (guint i = 0; i < n_boxes; i++)
        n_out_before += boxes[i].alpha > 0 && !hs_test_rect_inside (&boxes[i].rect, &view);
      if (step + 1 == n_steps)
        {
          g_autofree char *shot = g_strdup_printf ("fit-buffers-%dx%d-before", size[0], size[1]);

          save_shot (window, shot);
        }

      hs_test_activate (window, "zoom-fit");
      hs_test_settle (window);
      boxes = hs_layout_get_boxes (hs_graph_view_get_layout (graph), &n_boxes);
      hs_graph_view_get_visible_rect (graph, &view);
      for (guint i = 0; i < n_boxes; i++)
        if (boxes[i].alpha > 0 && !hs_test_rect_inside (&boxes[i].rect, &view))
          g_error ("buffers at %dx%d, step %u: after Fit, box %u (%.0f, %.0f, %.0fx%.0f) is outside the view "
                   "(%.0f, %.0f, %.0fx%.0f)", size[0], size[1], step, i, boxes[i].rect.x, boxes[i].rect.y,
                   boxes[i].rect.width, boxes[i].rect.height, view.x, view.y, view.width, view.height);
      /* As large as it can be: a quarter closer, its boxes would not fit */
      {
        double x1 = G_MAXDOUBLE, y1 = G_MAXDOUBLE, x2 = -G_MAXDOUBLE, y2 = -G_MAXDOUBLE;

        for (guint i = 0; i < n_boxes; i++)
          if (boxes[i].alpha > 0)
            {
              x1 = MIN (x1, boxes[i].rect.x);
              y1 = MIN (y1, boxes[i].rect.y);
              x2 = MAX (x2, boxes[i].rect.x + boxes[i].rect.width);
              y2 = MAX (y2, boxes[i].rect.y + boxes[i].rect.height);
            }
        width = x2 - x1;
        height = y2 - y1;
      }
      zoom = hs_graph_view_get_zoom (graph);
      g_assert_true (width * zoom * 1.25 > view.width * zoom - 2 * MARGIN ||
                     height * zoom * 1.25 > view.height * zoom - 2 * MARGIN ||
                     zoom >= hs_graph_view_get_max_follow_zoom (graph) - 1e-6);
      if (step + 1 == n_steps)
        {
          g_autofree char *shot = g_strdup_printf ("fit-buffers-%dx%d", size[0], size[1]);

          save_shot (window, shot);
        }
    }
  g_test_message ("buffers at %dx%d: %u boxes out of the followed view over %u steps, none after Fit",
                  size[0], size[1], n_out_before, n_steps);
  hs_test_window_close (window);
}

static gboolean
inspector_at_rest (gpointer data)
{
  HsWindow *window = data;

  return adw_flap_get_reveal_progress (window->inspector_flap) >= 1;
}

/* With the inspector open after Copy or Deepcopy, the pinned copy of
 * the current frame covers no object box, and the view cuts no box at
 * its left edge (issue 51: after Copy in the copies lesson at 1280x800,
 * the pinned <module> frame covered boxes and the graph was clipped at
 * its left). */
static void
test_pinned_frame_covers_nothing (gconstpointer data)
{
  static const char * const commands[] = { "copy", "deepcopy" };
  static const char * const names[] = { "a", "pair", "loop" };
  const int *size = data;
  HsWindow *window = lesson_window ("copies", size[0], size[1]);
  HsGraphView *graph = hs_window_get_graph_view (window);
  guint n_pinned = 0;

  hs_window_show_step (window, window->n_steps - 1, FALSE);
  if (!adw_flap_get_reveal_flap (window->inspector_flap))
    hs_test_activate (window, "show-inspector");
  g_assert_true (hs_test_wait_until (inspector_at_rest, window));
  hs_test_settle (window);

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    for (guint n = 0; n < G_N_ELEMENTS (names); n++)
      {
        g_autofree char *shot = g_strdup_printf ("pinned-%s-%s-%dx%d", commands[c], names[n], size[0], size[1]);
        guint n_steps = window->n_steps;
        HsCommandDialog *dialog;
        const HsLayoutBox *boxes;
        guint n_boxes;
        HsRect view, copy;
        gboolean pinned;

        g_assert_true (hs_graph_view_select_variable (graph, names[n], FALSE));
        hs_test_activate (window, commands[c]);
        dialog = hs_window_get_command_dialog (window);
        g_assert_nonnull (dialog);
        adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "run");
        hs_test_wait_idle (window);
        hs_test_settle (window);
        g_assert_cmpuint (window->n_steps, >, n_steps);
        g_assert_true (adw_flap_get_reveal_flap (window->inspector_flap));
        save_shot (window, shot);

        boxes = hs_layout_get_boxes (hs_graph_view_get_layout (graph), &n_boxes);
        hs_graph_view_get_visible_rect (graph, &view);
        pinned = hs_graph_view_get_pinned_frame (graph, &copy);
        n_pinned += pinned;
        g_test_message ("%s %s at %dx%d: view (%.0f, %.0f, %.0fx%.0f), %s", commands[c], names[n], size[0], size[1],
                        view.x, view.y, view.width, view.height, pinned ? "frame pinned" : "no frame pinned");
        for (guint i = 0; i < n_boxes; i++)
          {
            const HsRect *r = &boxes[i].rect;

            if (boxes[i].alpha <= 0)
              continue;
            if (pinned && boxes[i].kind == HS_LAYOUT_BOX_OBJECT &&
                r->x < copy.x + copy.width && copy.x < r->x + r->width &&
                r->y < copy.y + copy.height && copy.y < r->y + r->height &&
                r->x < view.x + view.width && view.x < r->x + r->width &&
                r->y < view.y + view.height && view.y < r->y + r->height)
              g_error ("%s %s at %dx%d: the pinned frame (%.0f, %.0f, %.0fx%.0f) covers box %u "
                       "(%.0f, %.0f, %.0fx%.0f)", commands[c], names[n], size[0], size[1],
                       copy.x, copy.y, copy.width, copy.height, i, r->x, r->y, r->width, r->height);
            /* cut by the view's left edge: part in, part out */
            if (r->x < view.x - 1 && r->x + r->width > view.x + 1 &&
                r->y < view.y + view.height && view.y < r->y + r->height)
              g_error ("%s %s at %dx%d: the view's left edge (%.0f) cuts box %u (%.0f, %.0f, %.0fx%.0f)",
                       commands[c], names[n], size[0], size[1], view.x, i, r->x, r->y, r->width, r->height);
          }
      }
  g_test_message ("copies at %dx%d: a frame pinned after %u of %u commands", size[0], size[1], n_pinned,
                  (guint) (G_N_ELEMENTS (commands) * G_N_ELEMENTS (names)));
  hs_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  static const int small[] = { 1024, 600 }, medium[] = { 1280, 800 };

  app = hs_test_init (&argc, &argv);

  g_test_add_func ("/ui/lesson-view/buttons-add-no-module", test_buttons_add_no_module);
  g_test_add_data_func ("/ui/lesson-view/fit-shows-all/1024x600", small, test_fit_shows_all);
  g_test_add_data_func ("/ui/lesson-view/fit-shows-all/1280x800", medium, test_fit_shows_all);

  g_test_add_data_func ("/ui/lesson-view/pinned-frame-covers-nothing/1280x800", medium,
                        test_pinned_frame_covers_nothing);

  return hs_test_run (app);
}
