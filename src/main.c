/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "hs-cli.h"
#ifdef HS_HAVE_GUI
# include "hs-application.h"
#endif

/* Run from the build folder, the translations are the ones meson compiled
 * next to it (BUILD/po/LANG/LC_MESSAGES), not the installed ones, which
 * may be missing or older. */
static char *
find_locale_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *build_po = NULL;
  g_autofree char *marker = NULL;

  if (exe == NULL)
    return g_strdup (LOCALEDIR);
  dir = g_path_get_dirname (exe);
  build_po = g_build_filename (dir, "..", "po", NULL);
  marker = g_build_filename (dir, "..", "build.ninja", NULL);
  if (g_file_test (marker, G_FILE_TEST_EXISTS) && g_file_test (build_po, G_FILE_TEST_IS_DIR))
    return g_canonicalize_filename (build_po, NULL);
  return g_strdup (LOCALEDIR);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *locale_dir = find_locale_dir ();
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* `heapscope trace …` and the other verbs never touch the display. */
  if ((status = hs_cli_main (argc, argv)) >= 0)
    return status;

#ifdef HS_HAVE_GUI
  {
    g_autoptr(HsApplication) app = hs_application_new ();
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
    gboolean program_args = FALSE;

    /* `heapscope FILE.py -- ARGS…`: what follows "--" is the program's,
     * word for word; it reaches the running instance as --arg=ARG */
    for (int i = 0; i < argc; i++)
      {
        if (!program_args && i > 0 && g_str_equal (argv[i], "--"))
          program_args = TRUE;
        else
          g_ptr_array_add (args, program_args ? g_strconcat ("--arg=", argv[i], NULL) : g_strdup (argv[i]));
      }
    g_ptr_array_add (args, NULL);

    g_signal_connect (app, "startup", G_CALLBACK (hs_application_end_on_signals), NULL);
    return g_application_run (G_APPLICATION (app), (int) args->len - 1, (char **) args->pdata);
  }
#else
  g_printerr (_("Usage:\n"
                "  heapscope trace FILE.py [--max-steps N] [--timeout S] [--stdin F] [-o OUT]\n"));
  return argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")) ? 0 : 2;
#endif
}
