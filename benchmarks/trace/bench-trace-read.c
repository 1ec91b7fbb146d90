/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Opening a saved run (issue 48): reads TRACE.json as the window does and
 * prints its steps, the time it took and the process's peak resident
 * memory.  Run it under /usr/bin/time -v for the kernel's own figure.
 */
#define G_LOG_DOMAIN "heapscope-bench-trace-read"

#include "config.h"

#include <sys/resource.h>

#include "hs-trace-reader.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTrace) trace = NULL;
  struct rusage usage;
  gint64 start;

  if (argc != 2)
    {
      g_printerr ("usage: bench-trace-read TRACE.json\n");
      return 2;
    }
  file = g_file_new_for_commandline_arg (argv[1]);
  start = g_get_monotonic_time ();
  trace = hs_trace_read_json_file (file, NULL, NULL, &error);
  if (trace == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  getrusage (RUSAGE_SELF, &usage);
  g_print ("%u steps read in %.2f s, peak RSS %ld MB\n", hs_trace_get_n_steps (trace),
           (g_get_monotonic_time () - start) / 1e6, usage.ru_maxrss / 1024);
  return 0;
}
