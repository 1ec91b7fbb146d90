/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Run from the build folder, heapscope speaks the language asked for,
 * from the translations compiled next to it, without being installed.
 */
#define G_LOG_DOMAIN "heapscope-test-locale"

#include "config.h"

#include <string.h>
#include <glib.h>

static void
test_hindi_uninstalled (void)
{
  const char *argv[] = { HS_TEST_HEAPSCOPE, "trace", "/nonexistent-heapscope-test.py", NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* C.UTF-8 lets LANGUAGE choose the catalogue without a Hindi locale. */
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "hi", TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  /* "Cannot read %s" in Hindi. */
  if (strstr (err, "पढ़ी नहीं जा सकी") == NULL)
    g_error ("not in Hindi: %s", err);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/locale/hindi-uninstalled", test_hindi_uninstalled);
  return g_test_run ();
}
