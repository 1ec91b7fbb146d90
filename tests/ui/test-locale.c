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

static void
check_listed (const char  *path,
              const char  *relative,
              GHashTable  *listed,
              guint       *n_checked)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert (path != NULL && relative != NULL && listed != NULL);

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *child_relative = g_build_filename (relative, name, NULL);
      g_autofree char *text = NULL;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          check_listed (child, child_relative, listed, n_checked);
          continue;
        }
      if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".ui"))
        continue;
      g_assert_true (g_file_get_contents (child, &text, NULL, NULL));
      if (strstr (text, "_(\"") == NULL && strstr (text, "ngettext (") == NULL &&
          strstr (text, "translatable=\"yes\"") == NULL)
        continue;
      (*n_checked)++;
      if (!g_hash_table_contains (listed, child_relative))
        g_error ("%s has strings to translate but is not in po/POTFILES.in", child_relative);
    }
}

/* Every file of src/ with a string to translate is in po/POTFILES.in,
 * or its strings stay English in every language (as the graph's box
 * facts did when the layout was split into files). */
static void
test_potfiles_complete (void)
{
  g_autofree char *potfiles = g_build_filename (HS_TEST_SOURCE_ROOT, "po", "POTFILES.in", NULL);
  g_autofree char *src = g_build_filename (HS_TEST_SOURCE_ROOT, "src", NULL);
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_checked = 0;

  g_assert_true (g_file_get_contents (potfiles, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0' && lines[i][0] != '#')
      g_hash_table_add (listed, g_strdup (g_strstrip (lines[i])));

  check_listed (src, "src", listed, &n_checked);
  g_test_message ("%u files of src/ translate strings", n_checked);
  g_assert_cmpuint (n_checked, >, 30);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/locale/hindi-uninstalled", test_hindi_uninstalled);
  g_test_add_func ("/ui/locale/potfiles-complete", test_potfiles_complete);
  return g_test_run ();
}
