/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test-run"

#include "config.h"

#include "hs-graph-view-private.h"
#include "hs-test-files.h"
#include "hs-test-run.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>

/* GLib leaks its first array of quark names on purpose (gquark.c: "This
 * leaks the old quarks array ... lockless lookup") once a process has more
 * than 2,048 quarks, which GTK's types, properties and signals make in
 * any window test.  That array is allocated in GLib's library constructor,
 * before main(), and LeakSanitizer reports it at exit (16,384 bytes in 1
 * block).  A suppression by stack cannot name it: GLib has no frame
 * pointers, so the stack that ASan records on malloc stops in g_malloc.
 * So what the libraries' constructors allocate before main() is not
 * checked: leak checking starts on the main thread, in hs_test_init(),
 * before any of Heapscope's code runs.  .preinit_array runs before every
 * shared library's constructor. */
static void
leak_checks_off (void)
{
  __lsan_disable ();
}

__attribute__ ((section (".preinit_array"), used))
static void (*const leak_checks_off_early) (void) = leak_checks_off;
#endif

static HsApplication *test_app;   /* hs_test_init()'s, until hs_test_run() ends */
static char *test_state_dir;      /* XDG_STATE_HOME, removed when hs_test_run() ends */

/* Initializes GTK's tests, with a state folder of their own (drafts),
 * and returns an application that windows can be opened in without
 * running it: not unique, so that tests run side by side, and
 * registered, as g_application_run() would have done. */
HsApplication *
hs_test_init (int    *argc,
              char ***argv)
{
  g_autoptr(GError) error = NULL;
  HsApplication *app;

#ifdef __SANITIZE_ADDRESS__
  __lsan_enable ();
#endif
  test_state_dir = g_dir_make_tmp ("heapscope-test-state-XXXXXX", NULL);
  g_return_val_if_fail (test_state_dir != NULL, NULL);

  g_setenv ("XDG_STATE_HOME", test_state_dir, TRUE);
  gtk_test_init (argc, argv, NULL);
  app = hs_application_new ();

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("Cannot register the application: %s", error->message);
  test_app = app;
  return app;
}

gboolean
hs_test_in_shard (guint index)
{
  const char *shard = g_getenv ("HS_TEST_SHARD");
  guint64 k, n;
  char *end;

  if (shard == NULL || *shard == '\0')
    return TRUE;
  k = g_ascii_strtoull (shard, &end, 10);
  if (*end != '/' || (n = g_ascii_strtoull (end + 1, &end, 10)) == 0 || *end != '\0' || k >= n)
    g_error ("HS_TEST_SHARD is “%s”, not K/N with K < N", shard);
  return index % n == k;
}

/* Runs the tests, then ends APP, drops the reference hs_test_init()
 * gave and removes the state folder; returns g_test_run()'s status. */
int
hs_test_run (HsApplication *app)
{
  int status;

  g_return_val_if_fail (HS_IS_APPLICATION (app), 1);

  status = g_test_run ();
  g_application_quit (G_APPLICATION (app));
  test_app = NULL;
  g_object_unref (app);
  hs_test_remove_tree (test_state_dir);
  g_clear_pointer (&test_state_dir, g_free);
  return status;
}

/* Turns the main loop until CONDITION holds; FALSE after
 * HS_TEST_TIMEOUT_MS. */
gboolean
hs_test_wait_until (HsTestCondition condition,
                    gpointer        data)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) HS_TEST_TIMEOUT_MS * 1000;

  g_return_val_if_fail (condition != NULL, FALSE);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

/* Waits until WINDOW is idle, and fails if it never is. */
void
hs_test_wait_idle (HsWindow *window)
{
  g_assert_true (hs_test_wait_until (hs_test_window_is_idle, window));
}

/* Neither the window nor its graph has work under way. */
gboolean
hs_test_window_is_idle (gpointer data)
{
  HsWindow *window = data;

  g_return_val_if_fail (HS_IS_WINDOW (window), FALSE);

  return !hs_window_get_busy (window) && !hs_graph_view_get_busy (hs_window_get_graph_view (window));
}

gboolean
hs_test_widget_is_mapped (gpointer data)
{
  g_return_val_if_fail (GTK_IS_WIDGET (data), FALSE);

  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 100;
}

/* Conditions on an AdwFlap, for hs_test_wait_until() */
gboolean
hs_test_flap_folded (gpointer flap)
{
  g_return_val_if_fail (ADW_IS_FLAP (flap), FALSE);

  return adw_flap_get_folded (flap);
}

gboolean
hs_test_flap_unfolded (gpointer flap)
{
  g_return_val_if_fail (ADW_IS_FLAP (flap), FALSE);

  return !adw_flap_get_folded (flap);
}

/* Activates ACTION, which must be enabled, as a click on its button does. */
void
hs_test_activate (HsWindow   *window,
                  const char *action)
{
  g_return_if_fail (HS_IS_WINDOW (window));

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), action));
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
}

/* The first widget at or under WIDGET, depth first, that MATCH says
 * yes to; NULL if there is none. */
GtkWidget *
hs_test_find_widget (GtkWidget          *widget,
                     HsTestWidgetMatch   match,
                     gconstpointer       data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = hs_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_named (GtkWidget     *widget,
          gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

/* The widget named NAME (gtk_widget_set_name(), or name= in a .ui
 * file) at or under WIDGET; NULL if there is none. */
GtkWidget *
hs_test_find_named (GtkWidget  *widget,
                    const char *name)
{
  return hs_test_find_widget (widget, is_named, name);
}

static gboolean
label_starts_with (GtkWidget     *widget,
                   gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix);
}

/* The first label at or under WIDGET whose text starts with PREFIX;
 * NULL if there is none. */
GtkWidget *
hs_test_find_label (GtkWidget  *widget,
                    const char *prefix)
{
  return hs_test_find_widget (widget, label_starts_with, prefix);
}

static gboolean
has_action (GtkWidget     *widget,
            gconstpointer  action)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

/* The widget at or under WIDGET that activates ACTION ("win.step-forward"):
 * a button, a toggle; NULL if there is none. */
GtkWidget *
hs_test_find_action (GtkWidget  *widget,
                     const char *action)
{
  return hs_test_find_widget (widget, has_action, action);
}

/* WIDGET's event controller of TYPE; the widget keeps it. */
gpointer
hs_test_find_controller (GtkWidget *widget,
                         GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;
    }
  g_assert_not_reached ();
  return NULL;
}

/* The first step of WINDOW's trace that is about to run LINE */
guint
hs_test_line_step (HsWindow *window,
                   guint     line)
{
  HsTrace *trace = hs_window_get_trace (window);

  for (guint i = 0; i < hs_trace_get_n_steps (trace); i++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, i);

      if (hs_snapshot_get_event (snapshot) == HS_EVENT_LINE && hs_snapshot_get_line (snapshot) == line)
        return i;
    }
  g_assert_not_reached ();
  return 0;
}

/* A new window of WIDTH x HEIGHT, as a small screen gives it, holding
 * EXAMPLE, shown and laid out. */
HsWindow *
hs_test_window_new_sized (int         width,
                          int         height,
                          const char *example)
{
  HsWindow *window;

  g_return_val_if_fail (HS_IS_APPLICATION (test_app), NULL);

  window = hs_window_new (test_app);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  hs_window_load_example (window, example);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  hs_test_wait_frames (GTK_WIDGET (window), 10);
  return window;
}

static void
run_saved_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (HS_IS_WINDOW (object));

  g_assert_true (hs_window_save_run_finish (HS_WINDOW (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Saves the run WINDOW shows to FILE, as Save Run does, and waits until
 * it is written; fails if it cannot be. */
void
hs_test_save_run (HsWindow *window,
                  GFile    *file)
{
  gboolean done = FALSE;

  g_return_if_fail (HS_IS_WINDOW (window));
  g_return_if_fail (G_IS_FILE (file));

  hs_window_save_run_async (window, file, run_saved_cb, &done);
  g_assert_true (hs_test_wait_until (is_true, &done));
}

/* A new window of hs_test_init()'s application holding SOURCE, run to
 * the end and shown at step 0. */
HsWindow *
hs_test_window_new_run (const char *source,
                        const char *title)
{
  HsWindow *window;

  g_return_val_if_fail (HS_IS_APPLICATION (test_app), NULL);

  window = hs_window_new (test_app);
  hs_window_set_text (window, source, NULL, title);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  hs_test_wait_idle (window);
  g_assert_cmpstr (hs_trace_get_status (hs_window_get_trace (window)), ==, "finished");
  hs_window_show_step (window, 0, FALSE);
  return window;
}

/* Stops what WINDOW runs, closes it and checks that nothing kept it
 * alive. */
void
hs_test_window_close (HsWindow *window)
{
  g_return_if_fail (HS_IS_WINDOW (window));

  hs_window_stop (window);
  hs_test_wait_idle (window);
  hs_runner_close (window->runner);
  hs_window_discard_draft (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (window);
}

/* A fixture's setup and teardown for g_test_add(): a window that ran
 * PROGRAM, an HsTestProgram, to its end. */
void
hs_test_window_run_setup (HsTestFixture *f,
                          gconstpointer  program)
{
  const HsTestProgram *p = program;

  g_return_if_fail (p != NULL);

  f->window = hs_test_window_new_run (p->source, p->title);
}

void
hs_test_window_run_teardown (HsTestFixture *f,
                             gconstpointer  program)
{
  hs_test_window_close (f->window);
}

static gboolean
count_tick (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  guint ticks;
  guint wanted;
} Ticks;

static gboolean
ticked_enough (gpointer data)
{
  Ticks *t = data;

  return t->ticks >= t->wanted;
}

/* Turns the main loop until WIDGET's frame clock has ticked N times:
 * the graph view's camera picks its target on the frame clock. */
void
hs_test_wait_frames (GtkWidget *widget,
                     guint      n)
{
  Ticks t = { 0, n };
  guint id;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  id = gtk_widget_add_tick_callback (widget, count_tick, &t.ticks, NULL);
  g_assert_true (hs_test_wait_until (ticked_enough, &t));
  gtk_widget_remove_tick_callback (widget, id);
}

/* Whether inner lies inside outer, to half a unit: what is in view */
gboolean
hs_test_rect_inside (const HsRect *inner,
                     const HsRect *outer)
{
  g_return_val_if_fail (inner != NULL && outer != NULL, FALSE);

  return inner->x >= outer->x - 0.5 && inner->y >= outer->y - 0.5 &&
         inner->x + inner->width <= outer->x + outer->width + 0.5 &&
         inner->y + inner->height <= outer->y + outer->height + 0.5;
}

/* With HS_TEST_SHOTS set to a folder, saves what WIDGET shows there as
 * NAME.png, for a person to look at; without it, does nothing. */
void
hs_test_save_shot (GtkWidget  *widget,
                   const char *name)
{
  const char *folder = g_getenv ("HS_TEST_SHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  int width, height;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (folder == NULL || folder[0] == '\0')
    return;
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (folder, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* Idle, and the graph shows the step the window shows. */
static gboolean
window_shows_its_step (gpointer data)
{
  HsWindow *window = data;
  HsGraphView *graph = hs_window_get_graph_view (window);

  if (!hs_test_window_is_idle (window))
    return FALSE;
  return hs_window_get_trace (window) == NULL ||
         (hs_graph_view_get_snapshot (graph) != NULL &&
          hs_snapshot_get_index (hs_graph_view_get_snapshot (graph)) == hs_window_get_step (window));
}

/* Whether graph has nothing under way that would move what it shows:
 * no boxes moving, no glide, no refit waiting for the frame clock, and
 * a following view framed for the size it has */
static gboolean
graph_is_at_rest (HsGraphView *graph)
{
  GtkWidget *widget = GTK_WIDGET (graph);

  if (hs_graph_view_get_busy (graph) || graph->from != NULL || hs_graph_view_camera_is_moving (graph) ||
      graph->refit_tick != 0)
    return FALSE;
  /* Framed only once there is a layout and room for it */
  if (!gtk_widget_get_mapped (widget) || graph->layout == NULL)
    return TRUE;
  if (graph->frame_pending)
    return FALSE;
  return !graph->follow || (graph->framed_width == gtk_widget_get_width (widget) &&
                            graph->framed_height == gtk_widget_get_height (widget));
}

/*
 * Waits until WINDOW's graph shows the window's step and rests there:
 * idle, its animations ended, at the same size over HS_TEST_SETTLED_FRAMES
 * frames in a row, and nothing under way.  A step resizes the graph in a
 * later frame than it is shown (a lesson's notes pane above the graph
 * changes height with the note, and GTK lays out in the frame clock's
 * layout phase, which the main loop runs only when the frame is due):
 * the main loop running dry is not the end of it.
 */
void
hs_test_settle (HsWindow *window)
{
  HsGraphView *graph;
  guint stable = 0;
  int width, height;
  /* A view that never rests (a size that flips, a glide that never
   * ends) fails here, saying so, not at the test's timeout */
  gint64 deadline = g_get_monotonic_time () + (gint64) HS_TEST_TIMEOUT_MS * 1000;

  g_return_if_fail (HS_IS_WINDOW (window));

  graph = hs_window_get_graph_view (window);
  g_assert_true (hs_test_wait_until (window_shows_its_step, window));
  /* The first frame's tick comes before its layout: compared with the
   * size before it, the sizes its layout and the next give */
  width = gtk_widget_get_width (GTK_WIDGET (graph));
  height = gtk_widget_get_height (GTK_WIDGET (graph));
  while (stable < HS_TEST_SETTLED_FRAMES)
    {
      hs_graph_view_finish_animations (graph);
      hs_test_wait_frames (GTK_WIDGET (window), 1);
      g_assert_true (hs_test_wait_until (window_shows_its_step, window));
      hs_graph_view_finish_animations (graph);
      if (graph_is_at_rest (graph) && gtk_widget_get_width (GTK_WIDGET (graph)) == width &&
          gtk_widget_get_height (GTK_WIDGET (graph)) == height)
        stable++;
      else
        stable = 0;
      width = gtk_widget_get_width (GTK_WIDGET (graph));
      height = gtk_widget_get_height (GTK_WIDGET (graph));
      if (stable == 0 && g_get_monotonic_time () > deadline)
        g_error ("the graph did not rest within %d ms: %dx%d px, %s, %s", HS_TEST_TIMEOUT_MS, width, height,
                 graph_is_at_rest (graph) ? "at rest" : "moving or about to frame",
                 hs_graph_view_get_follow (graph) ? "following" : "not following");
    }
}

/* Presses KEYS (xdotool's names: "alt+Right", "Escape") as a person
 * would: xdotool gives WINDOW the X server's keyboard focus and sends
 * the keys through the XTEST extension, so GTK receives real key events
 * and delivers them as it does any other, through the capture, target
 * and bubble phases from the focused widget and the application's
 * accelerators.  Returns once they have been handled, or FALSE, having
 * pressed nothing, when the display is not X11 or xdotool is missing
 * (the caller skips). */
gboolean
hs_test_press_keys (GtkWindow  *window,
                    const char *keys)
{
#ifdef GDK_WINDOWING_X11
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  g_autofree char *xid = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  GdkSurface *surface;
  int status;

  g_return_val_if_fail (GTK_IS_WINDOW (window), FALSE);
  g_return_val_if_fail (keys != NULL, FALSE);

  surface = gtk_native_get_surface (GTK_NATIVE (window));
  if (xdotool == NULL || surface == NULL || !GDK_IS_X11_SURFACE (surface))
    return FALSE;
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  {
    const char *argv[] = { xdotool, "windowfocus", "--sync", xid, "key", "--delay", "20", keys, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                  NULL, &err, &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("xdotool %s: %s", keys, err);
  /* the keys are in GDK's queue after a round trip; GTK delivers them
   * as the frame clock flushes events */
  gdk_display_sync (gtk_widget_get_display (GTK_WIDGET (window)));
  hs_test_wait_frames (GTK_WIDGET (window), 3);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return TRUE;
#else
  return FALSE;
#endif
}
