/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * gc.collect() typed in the console says what it collected, as the
 * button does, also when it collects nothing (issue 51, item 8), under
 * Xvfb.
 */
#define G_LOG_DOMAIN "heapscope-test-gc-console"

#include "config.h"

#include <string.h>

#include "hs-test-run.h"

static HsApplication *app;

static void
collect_in_console (HsWindow   *window,
                    const char *statement)
{
  g_free (window->last_toast);
  window->last_toast = NULL;
  hs_window_set_console_text (window, statement);
  hs_window_console_activate (window);
  hs_test_wait_idle (window);
  hs_test_wait_frames (GTK_WIDGET (window), 5);
}

static void
test_console (void)
{
  HsWindow *window = hs_test_window_new_run ("a = [1]\nimport gc\n", "gc.py");
  const char *toast;

  /* nothing to free: it says so, where it says what it freed */
  collect_in_console (window, "gc.collect()");
  toast = hs_window_get_last_toast (window);
  if (toast == NULL || strstr (toast, "gc.collect()") == NULL)
    g_error ("gc.collect() typed in the console with nothing to free showed no report (toast: %s)",
             toast ? toast : "none");

  collect_in_console (window, "x = []; x.append(x); del x; gc.collect()");
  toast = hs_window_get_last_toast (window);
  g_assert_nonnull (toast);
  g_assert_nonnull (strstr (toast, "freed"));

  /* a statement that runs no collection reports none */
  collect_in_console (window, "b = 2");
  g_assert_null (hs_window_get_last_toast (window));
  hs_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  app = hs_test_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/ui/gc-console/collect", test_console);

  return hs_test_run (app);
}
