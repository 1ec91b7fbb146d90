/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * At 800x600 the editor and its Output pane are folded away: the newest
 * line the program printed stays in sight in the step bar (issue 51,
 * item 10), under Xvfb.
 */
#define G_LOG_DOMAIN "heapscope-test-last-output"

#include "config.h"

#include <string.h>

#include "hs-test-run.h"

static HsApplication *app;

static gboolean
shows_printed (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         strstr (gtk_label_get_label (GTK_LABEL (widget)), data) != NULL;
}

static gboolean
run_is_shown (gpointer data)
{
  HsWindow *window = data;

  return !hs_window_get_busy (window) && hs_window_get_trace (window) != NULL && window->n_steps > 0;
}

static void
test_punchline (void)
{
  HsWindow *window = hs_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  hs_window_set_text (window, "a = [1]\nb = a\nprint(a is b, a is not b)\nc = 2\n", NULL, "punchline.py");
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  hs_test_wait_idle (window);
  g_assert_true (hs_test_wait_until (run_is_shown, window));
  g_assert_true (adw_flap_get_folded (window->editor_flap));
  adw_flap_set_reveal_flap (window->editor_flap, FALSE);
  hs_window_show_step (window, window->n_steps - 1, FALSE);
  hs_test_wait_frames (GTK_WIDGET (window), 10);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (window->output_view)));
  hs_test_save_shot (GTK_WIDGET (window), "last-output-800x600");
  if (hs_test_find_widget (GTK_WIDGET (window), shows_printed, "True False") == NULL)
    g_error ("at 800x600 nothing in sight shows the line printed, \"True False\"");

  /* before the print, nothing printed is shown */
  hs_window_show_step (window, 0, FALSE);
  hs_test_wait_frames (GTK_WIDGET (window), 5);
  g_assert_null (hs_test_find_widget (GTK_WIDGET (window), shows_printed, "True False"));
  hs_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  app = hs_test_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/ui/last-output/punchline", test_punchline);

  return hs_test_run (app);
}
