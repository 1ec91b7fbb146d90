/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>
#include <gio/gunixoutputstream.h>

#include "hs-cli.h"
#include "hs-cli-common.h"
#include "hs-runner.h"
#include "hs-trace-json.h"

int
hs_cli_trace (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRunner) runner = NULL;
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autofree char *output = NULL;
  gboolean snapshots = FALSE;
  HsRunOptions options;
  HsCliRunArgs run_args = { 0 };
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the trace to OUT instead of standard output"), N_("OUT") },
    { "snapshots", 0, 0, G_OPTION_ARG_NONE, &snapshots, N_("Write every step in full (format version 1) instead of what each step changed"), NULL },
    { NULL }
  };

  context = hs_cli_context_new (_("FILE.py — write the trace of a Python program as JSON"), entries, &run_args);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return hs_cli_usage_error (context, error->message);
  if (argc != 2)
    return hs_cli_usage_error (context, _("Expected exactly one Python file"));
  if (!hs_cli_resolve_run_options (&run_args, &options, &error))
    return hs_cli_usage_error (context, error->message);
  if (!hs_cli_check_readable (argv[1]))
    return 1;

  runner = hs_cli_runner_new (&run_args, &error);
  if (runner == NULL)
    return hs_cli_usage_error (context, error->message);
  trace = hs_runner_run_sync (runner, argv[1], &options, &error);
  if (trace == NULL)
    {
      g_printerr (_("heapscope: cannot start the Python runtime: %s\n"), error->message);
      return 3;
    }

  if (output != NULL)
    {
      /* open(2) rather than GFile, so that /dev/null and pipes work too */
      int fd = g_open (output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

      if (fd < 0)
        {
          int saved = errno;

          g_printerr (_("heapscope: cannot write %s: %s\n"), output, g_strerror (saved));
          return 1;
        }
      stream = g_unix_output_stream_new (fd, TRUE);
    }
  else
    stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  if (!hs_trace_write_json_format (trace, stream, snapshots ? HS_TRACE_JSON_SNAPSHOTS : HS_TRACE_JSON_DELTAS, &error) || !g_output_stream_close (stream, NULL, &error))
    {
      g_printerr (_("heapscope: cannot write the trace: %s\n"), error->message);
      return 1;
    }
  return 0;
}
