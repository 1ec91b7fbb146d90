/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target for the other input from strangers: a saved run, as
 * `heapscope FILE.json` and `heapscope render FILE.json` read it (issue
 * 48).  The input is the file, in either format of docs/trace-format.md.
 * A trace the reader accepts has every step rebuilt and walked, and is
 * written again and read back: what the reader accepted, the writer must
 * be able to save, and the reader to open again.
 *
 * Built with libFuzzer under clang (-Dfuzzing=true); under gcc the same
 * entry point is linked with a replay main that runs the committed seeds.
 */
#define G_LOG_DOMAIN "heapscope-fuzz"

#include "config.h"

#include <stdint.h>
#include <string.h>
#include <gio/gio.h>

#include "hs-trace-json.h"
#include "hs-trace-reader.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
visit_step (HsTrace *trace,
            guint    index)
{
  g_autoptr(HsSnapshot) snap = hs_trace_get_snapshot (trace, index);
  guint n_frames, n_objects;
  const HsFrame *frames = hs_snapshot_get_frames (snap, &n_frames);
  const HsObject *objects = hs_snapshot_get_objects (snap, &n_objects);

  g_assert (HS_IS_TRACE (trace));

  for (guint i = 0; i < n_frames; i++)
    for (guint v = 0; v < frames[i].n_vars; v++)
      hs_snapshot_lookup (snap, frames[i].vars[v].ref);
  for (guint i = 0; i < n_objects; i++)
    for (guint e = 0; e < objects[i].n_edges; e++)
      hs_snapshot_lookup (snap, objects[i].edges[e].target);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(GInputStream) again = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(HsTrace) reread = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;

  trace = hs_trace_read_json (input, &source, NULL, &error);
  if (trace == NULL)
    {
      g_assert (error != NULL && error->domain == HS_TRACE_READER_ERROR && error->message[0] != '\0');
      return 0;
    }
  for (guint i = 0; i < hs_trace_get_n_steps (trace); i++)
    visit_step (trace, i);

  output = g_memory_output_stream_new_resizable ();
  if (!hs_trace_write_json_source (trace, output, HS_TRACE_JSON_DELTAS, source, &error))
    g_error ("an accepted trace cannot be written: %s", error->message);
  g_output_stream_close (output, NULL, NULL);
  written = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));
  again = g_memory_input_stream_new_from_bytes (written);
  reread = hs_trace_read_json (again, NULL, NULL, &error);
  if (reread == NULL)
    g_error ("an accepted trace, written again, is refused: %s", error->message);
  g_assert (hs_trace_get_n_steps (reread) == hs_trace_get_n_steps (trace));
  return 0;
}
