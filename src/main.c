/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "hs-cli.h"
#ifdef HS_HAVE_GUI
# include "hs-application.h"
#endif

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* `heapscope trace …` and the other verbs never touch the display. */
  if ((status = hs_cli_main (argc, argv)) >= 0)
    return status;

#ifdef HS_HAVE_GUI
  {
    g_autoptr(HsApplication) app = hs_application_new ();

    return g_application_run (G_APPLICATION (app), argc, argv);
  }
#else
  g_printerr (_("Usage:\n"
                "  heapscope trace FILE.py [--max-steps N] [--timeout S] [--stdin F] [-o OUT]\n"));
  return argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")) ? 0 : 2;
#endif
}
