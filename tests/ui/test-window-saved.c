/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Saved runs opened in the window, under Xvfb: one opens as it was
 * saved, not marked modified (issue 51, item 7), and the saved runs of
 * programs that wrote a million characters on one line open without
 * ending or holding the app (issue 48, items 2 and 3).
 */
#define G_LOG_DOMAIN "heapscope-test-window-saved"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "hs-test-run.h"

static HsApplication *app;

static gboolean
has_trace (gpointer data)
{
  return hs_window_get_trace (data) != NULL;
}

/* Runs SOURCE, saves the run and opens it in a new window, which it
 * returns with the time opening took. */
static HsWindow *
save_and_open (const char *source,
               gint64     *open_us)
{
  HsWindow *live = hs_window_new (app);
  HsWindow *other;
  g_autofree char *dir = g_dir_make_tmp ("heapscope-saved-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run1.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gint64 start;

  hs_window_set_text (live, source, NULL, "run1");
  gtk_window_present (GTK_WINDOW (live));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, live));
  g_action_group_activate_action (G_ACTION_GROUP (live), "run", NULL);
  hs_test_wait_idle (live);
  hs_test_save_run (live, file);
  hs_test_window_close (live);

  other = hs_window_new (app);
  gtk_window_present (GTK_WINDOW (other));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, other));
  start = g_get_monotonic_time ();
  hs_window_open_trace (other, file);
  g_assert_true (hs_test_wait_until (has_trace, other));
  for (guint step = 0; step < other->n_steps; step++)
    {
      hs_window_show_step (other, step, FALSE);
      hs_test_wait_frames (GTK_WIDGET (other), 5);
    }
  *open_us = g_get_monotonic_time () - start;
  g_unlink (path);
  g_rmdir (dir);
  return other;
}

static void
test_not_modified (void)
{
  gint64 elapsed;
  HsWindow *window = save_and_open ("a = [1]\nb = a\nprint(a)\n", &elapsed);
  const char *title = adw_window_title_get_title (window->window_title);

  g_assert_false (gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (window->buffer)));
  if (g_str_has_prefix (title, "•"))
    g_error ("a saved run just opened is titled \"%s\", as if modified", title);
  hs_test_window_close (window);
}

static gboolean
label_too_long (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_utf8_strlen (gtk_label_get_label (GTK_LABEL (widget)), -1) > 100000;
}

static void
test_long_exception_in_child (void)
{
  gint64 elapsed;
  HsWindow *window = save_and_open ("raise ValueError('z' * 1_000_000)\n", &elapsed);

  g_assert_null (hs_test_find_widget (GTK_WIDGET (window), label_too_long, NULL));
  g_test_message ("opened and stepped through in %.1f s", elapsed / 1e6);
  hs_test_window_close (window);
}

/* The saving window would end the app before the fix: a process of its own */
static void
test_long_exception (void)
{
  g_test_trap_subprocess ("/ui/saved/long-exception/subprocess", 120 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_long_line (void)
{
  gint64 elapsed;
  HsWindow *window = save_and_open ("print('o' * 1_000_000)\nprint('end')\n", &elapsed);
  g_autofree char *pane = hs_window_dup_output (window);

  g_test_message ("opened and stepped through in %.1f s", elapsed / 1e6);
  g_assert_cmpint (g_utf8_strlen (pane, -1), <, 100000);
  g_assert_cmpint (elapsed, <, 10 * G_USEC_PER_SEC);
  hs_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  app = hs_test_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/ui/saved/not-modified", test_not_modified);
  g_test_add_func ("/ui/saved/long-exception", test_long_exception);
  g_test_add_func ("/ui/saved/long-exception/subprocess", test_long_exception_in_child);
  g_test_add_func ("/ui/saved/long-line", test_long_line);

  return hs_test_run (app);
}
