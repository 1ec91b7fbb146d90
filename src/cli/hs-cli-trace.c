/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>
#include <gio/gunixoutputstream.h>

#include "hs-cli.h"
#include "hs-cli-common.h"
#include "hs-runner.h"
#include "hs-trace-json.h"
#include "hs-trace-reader.h"

typedef struct
{
  HsTraceWriter *writer;
  GError        *error;   /* the first write that failed */
} Stream;

/* Each step goes out as it arrives: the trace keeps none of them, so a
 * run of a million steps takes the memory of one. */
static gboolean
write_step (HsTraceCursor      *at,
            const HsTraceDelta *delta,
            gpointer            user_data,
            GError            **error)
{
  Stream *stream = user_data;

  g_assert (stream != NULL);

  if (!hs_trace_writer_step (stream->writer, at, delta, error))
    {
      /* the size cap ends the run, and the trace says so (size-limit) */
      if (stream->error == NULL && error != NULL && *error != NULL &&
          !g_error_matches (*error, HS_TRACE_WRITER_ERROR, HS_TRACE_WRITER_ERROR_SIZE_LIMIT))
        stream->error = g_error_copy (*error);
      return FALSE;
    }
  return TRUE;
}

int
hs_cli_trace (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRunner) runner = NULL;
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(HsTraceWriter) writer = NULL;
  g_autofree char *output = NULL;
  g_autofree char *source = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *file = NULL;
  gsize source_len = 0;
  gboolean snapshots = FALSE;
  HsRunOptions options;
  HsCliRunArgs run_args = { 0 };
  Stream stream = { 0 };
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the trace to OUT instead of standard output"), N_("OUT") },
    { "snapshots", 0, 0, G_OPTION_ARG_NONE, &snapshots, N_("Write every step in full (format version 3) instead of what each step changed"), NULL },
    { NULL }
  };

  /* Each batch the worker sends is a few hundred kilobytes, freed once
   * its steps are written: with glibc's defaults, freeing it returned
   * the top of the heap to the kernel every time (brk, and a TLB
   * shootdown on every core), 10% of the app's time in the profile. */
  mallopt (M_TRIM_THRESHOLD, 64 * 1024 * 1024);
  mallopt (M_MMAP_THRESHOLD, 16 * 1024 * 1024);

  context = hs_cli_context_new (_("FILE.py [--] [ARGUMENT…] — write the trace of a Python program as JSON"), entries, &run_args);

  hs_cli_split_dashes (&run_args, &argc, argv);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return hs_cli_usage_error (context, error->message);
  if (!hs_cli_take_program (&run_args, argc, argv))
    return hs_cli_usage_error (context, _("Expected a Python file, then its arguments"));
  if (!hs_cli_resolve_run_options (&run_args, &options, &error))
    return hs_cli_usage_error (context, error->message);
  /* the trace carries the program's text, so that it opens with its code */
  if (!hs_cli_read_program (run_args.program, &source, &source_len))
    return 1;
  if (!g_utf8_validate_len (source, source_len, NULL))
    {
      /* JSON holds UTF-8 only; Python reads such a file as a syntax error
       * unless it declares its encoding */
      valid = g_utf8_make_valid (source, source_len);
      source_len = strlen (valid);
    }
  file = g_filename_display_basename (run_args.program);

  runner = hs_cli_runner_new (&run_args, &error);
  if (runner == NULL)
    return hs_cli_usage_error (context, error->message);

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
      out = g_unix_output_stream_new (fd, TRUE);
    }
  else
    out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  writer = hs_trace_writer_new (out, snapshots ? HS_TRACE_JSON_SNAPSHOTS : HS_TRACE_JSON_DELTAS, 0,
                                file, valid != NULL ? valid : source, source_len);
  hs_trace_writer_set_max_bytes (writer, (guint64) options.max_trace_mb << 20);
  stream.writer = writer;
  trace = hs_runner_run_streaming (runner, run_args.program, &options, write_step, &stream, &error);
  if (trace == NULL)
    {
      g_clear_error (&stream.error);
      g_printerr (_("heapscope: cannot start the Python runtime: %s\n"), error->message);
      return 3;
    }
  if (stream.error != NULL)
    {
      /* the run was ended there: what was written is no whole trace */
      g_printerr (_("heapscope: cannot write the trace: %s\n"), stream.error->message);
      g_clear_error (&stream.error);
      return 1;
    }

  {
    g_autofree char *absolute = g_canonicalize_filename (run_args.program, NULL);
    g_autofree char *folder = g_path_get_dirname (absolute);

    hs_trace_read_sources (trace, folder, HS_TRACE_READER_MAX_SOURCE);
  }
  if (!hs_trace_writer_finish (writer, trace, &error) || !g_output_stream_close (out, NULL, &error))
    {
      g_printerr (_("heapscope: cannot write the trace: %s\n"), error->message);
      return 1;
    }
  return 0;
}
