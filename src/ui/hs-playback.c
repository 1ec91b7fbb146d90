/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-playback"

#include "config.h"

#include <string.h>

#include "hs-playback.h"

/* What a mutation changes: the object's record and its references.  Its
 * refcount alone is not a mutation (another name took it). */
static char *
fingerprint (const HsObject *object)
{
  GString *string = g_string_new (NULL);

  g_assert (object != NULL);

  g_string_append_printf (string, "%s\x1f%u\x1f%u\x1f%" G_GINT64_FORMAT "\x1f",
                          object->repr ? object->repr : "", object->length,
                          object->omitted, object->size);
  for (guint i = 0; i < object->n_edges; i++)
    g_string_append_printf (string, "%d:%s:%u\x1f", object->edges[i].kind,
                            object->edges[i].label ? object->edges[i].label : "",
                            object->edges[i].target);
  return g_string_free (string, FALSE);
}

static gboolean
contains (const guint32 *refs,
          guint          n_refs,
          guint32        ref)
{
  for (guint i = 0; i < n_refs; i++)
    if (refs[i] == ref)
      return TRUE;
  return FALSE;
}

static gboolean
is_breakpoint (const HsTraceDelta *delta,
               const guint        *lines,
               guint               n_lines)
{
  g_assert (delta != NULL);

  /* A breakpoint stops before its line runs, as in a debugger: at the
   * line event, not at a call or return that happens on the same line. */
  if (delta->event != HS_EVENT_LINE)
    return FALSE;
  for (guint i = 0; i < n_lines; i++)
    if (lines[i] == delta->line)
      return TRUE;
  return FALSE;
}

/* The cursor builds each step from the one before, so both directions
 * walk the history from its start: forward stops at the first hit after
 * FROM, backward keeps the last hit before it. */
gboolean
hs_playback_find (HsTrace     *trace,
                  guint        from,
                  gboolean     forward,
                  const guint *lines,
                  guint        n_lines,
                  guint32      watch_ref,
                  HsStop      *stop)
{
  g_autoptr(HsTraceCursor) cursor = NULL;
  g_autofree char *last_print = NULL;
  gboolean watch_alive = TRUE;
  gboolean found = FALSE;
  HsTraceDelta delta;

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (lines != NULL || n_lines == 0, FALSE);
  g_return_val_if_fail (stop != NULL, FALSE);

  memset (stop, 0, sizeof *stop);
  if (!forward && from == 0)
    return FALSE;

  cursor = hs_trace_cursor_new (trace);
  while (hs_trace_cursor_next (cursor, &delta))
    {
      HsStopReason reason = HS_STOP_NONE;
      HsFreeCause cause = 0;

      if (!forward && delta.index >= from)
        break;

      if (watch_ref != 0 && watch_alive)
        {
          for (guint i = 0; i < delta.n_freed; i++)
            if (delta.freed[i].ref == watch_ref)
              {
                reason = HS_STOP_FREED;
                cause = delta.freed[i].cause;
                watch_alive = FALSE;
              }
          if (reason == HS_STOP_NONE && contains (delta.touched, delta.n_touched, watch_ref))
            {
              const HsObject *object = hs_trace_cursor_lookup (cursor, watch_ref);
              g_autofree char *print = object ? fingerprint (object) : NULL;

              if (print != NULL)
                {
                  if (last_print != NULL && strcmp (print, last_print) != 0)
                    reason = HS_STOP_MUTATED;
                  g_free (last_print);
                  last_print = g_steal_pointer (&print);
                }
            }
        }
      if (reason == HS_STOP_NONE && is_breakpoint (&delta, lines, n_lines))
        reason = HS_STOP_BREAKPOINT;

      if (reason == HS_STOP_NONE || (forward && delta.index <= from))
        continue;

      stop->step = delta.index;
      stop->reason = reason;
      stop->line = delta.line;
      stop->cause = cause;
      found = TRUE;
      if (forward)
        break;
    }

  return found;
}
