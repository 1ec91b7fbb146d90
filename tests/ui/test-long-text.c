/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Program text of a million characters on one line, under Xvfb (issue
 * 48): an exception's message must not size a label past what GTK and
 * the X server take (the app ended with BadAlloc), and a line printed
 * must not hold the window for seconds while the output pane lays it
 * out.  What the window shows of either is bounded; the toast can copy
 * the whole message.
 */
#define G_LOG_DOMAIN "heapscope-test-long-text"

#include "config.h"

#include <string.h>

#include "hs-test-run.h"

static HsApplication *app;

/* Far below the million characters the programs write, far above what
 * a label or the pane shows of one line */
#define SHOWN_MAX 100000

static gboolean
label_too_long (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_utf8_strlen (gtk_label_get_label (GTK_LABEL (widget)), -1) > SHOWN_MAX;
}

static HsWindow *
run_program (const char *source,
             gint64     *elapsed_us)
{
  HsWindow *window = hs_window_new (app);
  gint64 start;

  hs_window_set_text (window, source, NULL, "long.py");
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  start = g_get_monotonic_time ();
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  hs_test_wait_idle (window);
  hs_test_wait_frames (GTK_WIDGET (window), 10);
  *elapsed_us = g_get_monotonic_time () - start;
  return window;
}

static void
test_exception_in_child (void)
{
  gint64 elapsed;
  HsWindow *window = run_program ("raise ValueError('z' * 1_000_000)\n", &elapsed);
  GtkWidget *long_label;

  g_assert_cmpstr (hs_trace_get_status (hs_window_get_trace (window)), ==, "exception");
  long_label = hs_test_find_widget (GTK_WIDGET (window), label_too_long, NULL);
  if (long_label != NULL)
    g_error ("a %s shows %ld characters", G_OBJECT_TYPE_NAME (long_label),
             g_utf8_strlen (gtk_label_get_label (GTK_LABEL (long_label)), -1));
  /* the whole message is still the window's to copy */
  g_assert_cmpuint (strlen (window->last_toast), >, 1000000);
  g_test_message ("ran and drew in %.1f s", elapsed / 1e6);
  hs_test_save_shot (GTK_WIDGET (window), "long-exception");
  hs_test_window_close (window);
}

/* Before the fix the X server refused the window's surface and the app
 * ended: the window runs in a process of its own. */
static void
test_exception (void)
{
  g_test_trap_subprocess ("/ui/long-text/exception/subprocess", 120 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_print (void)
{
  gint64 elapsed;
  HsWindow *window = run_program ("print('o' * 1_000_000)\nprint('end')\n", &elapsed);
  gboolean shown_elided = FALSE;

  g_assert_cmpstr (hs_trace_get_status (hs_window_get_trace (window)), ==, "finished");
  /* every step, as a student steps through: one of them shows the line */
  for (guint step = 0; step < window->n_steps; step++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autofree char *pane = NULL;

      hs_window_show_step (window, step, FALSE);
      hs_test_wait_frames (GTK_WIDGET (window), 10);
      elapsed += g_get_monotonic_time () - start;
      pane = hs_window_dup_output (window);
      g_assert_cmpint (g_utf8_strlen (pane, -1), <, SHOWN_MAX);
      shown_elided |= strstr (pane, "more characters") != NULL;
    }
  g_test_message ("ran, drew and stepped through in %.1f s", elapsed / 1e6);
  /* the copy action gives the line whole */
  {
    g_autofree char *whole = hs_window_dup_whole_output (window);
    g_autofree char *line = g_strnfill (1000000, 'o');

    g_assert_nonnull (strstr (whole, line));
    hs_test_activate (window, "copy-output");
  }
  hs_window_show_step (window, 1, FALSE);
  hs_test_wait_frames (GTK_WIDGET (window), 10);
  hs_test_save_shot (GTK_WIDGET (window), "long-line");
  g_assert_true (shown_elided);
  /* a run of a few steps is idle within seconds, not the 15 s and more
   * the pane took to lay out a line of a million characters */
  g_assert_cmpint (elapsed, <, 10 * G_USEC_PER_SEC);
  hs_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  app = hs_test_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/ui/long-text/exception", test_exception);
  g_test_add_func ("/ui/long-text/exception/subprocess", test_exception_in_child);
  g_test_add_func ("/ui/long-text/print", test_print);

  return hs_test_run (app);
}
