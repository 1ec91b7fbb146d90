/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target for what the app trusts least: the byte stream a worker
 * sends.  The input is that stream, exactly as the app reads it from the
 * pipe; it is cut into frames by the app's rule, each goes through the
 * app's decoder (hs_protocol_parse_frame), and every
 * "steps" message through hs_trace_append_batch(), as HsRunner does.
 * Then every step is rebuilt as a snapshot and walked, since a delta the
 * trace accepted must be one it can replay.
 *
 * Built with libFuzzer under clang (-Dfuzzing=true); under gcc the same
 * entry point is linked with a replay main that runs the committed seeds.
 */
#define G_LOG_DOMAIN "heapscope-fuzz"

#include "config.h"

#include <stdint.h>
#include <string.h>
#include <glib.h>

#include "hs-protocol.h"
#include "hs-trace.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Walks one rebuilt step the way the window and the JSON writer do. */
static void
visit_snapshot (HsSnapshot *snap)
{
  guint n_frames, n_objects, n_freed, n_gc;
  const HsFrame *frames = hs_snapshot_get_frames (snap, &n_frames);
  const HsObject *objects = hs_snapshot_get_objects (snap, &n_objects);
  GBytes *out = hs_snapshot_get_stdout (snap);
  GBytes *err = hs_snapshot_get_stderr (snap);
  gsize total = 0;

  g_assert (snap != NULL);

  for (guint i = 0; i < n_frames; i++)
    {
      for (guint v = 0; v < frames[i].n_vars; v++)
        hs_snapshot_lookup (snap, frames[i].vars[v].ref);
      for (guint u = 0; u < frames[i].n_unbound; u++)
        total += strlen (frames[i].unbound[u]);
    }
  for (guint i = 0; i < n_objects; i++)
    hs_snapshot_lookup (snap, objects[i].ref);
  hs_snapshot_get_freed (snap, &n_freed);
  hs_snapshot_get_gc_runs (snap, &n_gc);
  total += (out ? g_bytes_get_size (out) : 0) + (err ? g_bytes_get_size (err) : 0);
  (void) total;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(HsTrace) trace = hs_trace_new ();
  gsize pos = 0;
  guint n_steps;

  /* Frames are cut as the app cuts them: a little-endian guint32 length,
   * neither 0 nor over HS_PROTOCOL_MAX_FRAME, then that many bytes; any
   * other header ends the session. */
  while (size - pos >= 4)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) frame = NULL;
      g_autoptr(GVariant) payload = NULL;
      const char *name;
      guint32 len;

      memcpy (&len, data + pos, 4);
      len = GUINT32_FROM_LE (len);
      pos += 4;
      if (len == 0 || len > HS_PROTOCOL_MAX_FRAME || len > size - pos)
        break;
      /* a g_malloc'd copy, aligned as the app's read buffer is */
      frame = g_bytes_new (data + pos, len);
      pos += len;

      payload = hs_protocol_parse_frame (frame, &name, &error);
      if (payload == NULL)
        break;
      if (g_str_equal (name, HS_MSG_STEPS))
        {
          if (!hs_trace_append_batch (trace, payload, &error))
            break;
        }
      else if (g_str_equal (name, HS_MSG_HELLO)
               && g_variant_is_of_type (payload, G_VARIANT_TYPE ("(us)")))
        {
          const char *python;
          guint32 version;

          g_variant_get (payload, "(u&s)", &version, &python);
          hs_trace_set_python_version (trace, python);
        }
      else
        break;   /* "done", or anything the app would not expect here */
    }

  n_steps = hs_trace_get_n_steps (trace);
  for (guint i = 0; i < n_steps; i++)
    {
      HsSnapshot *snap = hs_trace_get_snapshot (trace, i);

      visit_snapshot (snap);
      hs_snapshot_unref (snap);
    }
  return 0;
}
