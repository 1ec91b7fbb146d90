/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What test-playback.c and test-presentation.c share: a window with a
 * snippet, run to the end and shown at its first step.
 */
#pragma once

#include "hs-application.h"
#include "hs-window-private.h"

G_BEGIN_DECLS

#define HS_TEST_TIMEOUT_MS 60000

typedef gboolean (*HsTestCondition) (gpointer data);

static inline gboolean
hs_test_wait_until (HsTestCondition condition,
                    gpointer        data)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) HS_TEST_TIMEOUT_MS * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

static inline gboolean
hs_test_window_is_idle (gpointer data)
{
  return !hs_window_get_busy (data) && !hs_graph_view_get_busy (hs_window_get_graph_view (data));
}

static inline gboolean
hs_test_widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 100;
}

/* A new window holding SOURCE, run to the end and shown at step 0. */
static inline HsWindow *
hs_test_window_new_run (HsApplication *app,
                        const char    *source,
                        const char    *title)
{
  HsWindow *window = hs_window_new (app);

  hs_window_set_text (window, source, NULL, title);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (hs_test_wait_until (hs_test_window_is_idle, window));
  g_assert_cmpstr (hs_trace_get_status (hs_window_get_trace (window)), ==, "finished");
  hs_window_show_step (window, 0, FALSE);
  return window;
}

/* Closes WINDOW and checks that nothing kept it alive. */
static inline void
hs_test_window_close (HsWindow *window)
{
  g_assert_true (hs_test_wait_until (hs_test_window_is_idle, window));
  hs_runner_close (window->runner);
  hs_window_discard_draft (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (window);
}

G_END_DECLS
