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
  /* what holds it unseen is no change to it (as the trace marks changes) */
  for (guint i = 0; i < object->n_edges; i++)
    if (!HS_EDGE_KIND_IS_HELD (object->edges[i].kind))
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

/* A breakpoint without a file is on a line of the program's own file,
 * whatever name the run gave it; one with a file is on that module's. */
static gboolean
is_breakpoint (HsTraceCursor      *cursor,
               const HsTraceDelta *delta,
               const HsBreakpoint *breakpoints,
               guint               n_breakpoints)
{
  const HsFrame *frames;
  const char *file;
  guint n_frames = 0;

  g_assert (cursor != NULL);
  g_assert (delta != NULL);

  /* A breakpoint stops before its line runs, as in a debugger: at the
   * line event, not at a call or return that happens on the same line. */
  if (delta->event != HS_EVENT_LINE)
    return FALSE;
  frames = hs_trace_cursor_get_frames (cursor, &n_frames);
  file = n_frames > 0 ? frames[n_frames - 1].file : NULL;
  for (guint i = 0; i < n_breakpoints; i++)
    {
      if (breakpoints[i].line != delta->line)
        continue;
      if (breakpoints[i].file == NULL ? n_frames == 0 || g_strcmp0 (file, frames[0].file) == 0
                                      : g_strcmp0 (file, breakpoints[i].file) == 0)
        return TRUE;
    }
  return FALSE;
}

/* What a walk over some steps of the trace found. */
typedef struct
{
  const HsBreakpoint *breakpoints;
  guint               n_breakpoints;
  guint32             watch_ref;
  gboolean            watch_alive;
  char               *last_print;
} Walk;

/* Why DELTA stops the walk, if it does; it also follows the watched
 * object, so every delta of the walk goes through here in order. */
static HsStopReason
check_delta (Walk               *walk,
             HsTraceCursor      *cursor,
             const HsTraceDelta *delta,
             HsFreeCause        *cause)
{
  HsStopReason reason = HS_STOP_NONE;

  g_assert (walk != NULL);
  g_assert (cursor != NULL);
  g_assert (delta != NULL);

  if (walk->watch_ref != 0 && walk->watch_alive)
    {
      const HsObject *object;

      for (guint i = 0; i < delta->n_freed; i++)
        if (delta->freed[i].ref == walk->watch_ref)
          {
            reason = HS_STOP_FREED;
            *cause = delta->freed[i].cause;
            walk->watch_alive = FALSE;
          }
      object = hs_trace_cursor_lookup (cursor, walk->watch_ref);
      /* The first sight of it is what later changes are measured from. */
      if (reason == HS_STOP_NONE && object != NULL &&
          (walk->last_print == NULL || contains (delta->touched, delta->n_touched, walk->watch_ref)))
        {
          g_autofree char *print = fingerprint (object);

          if (walk->last_print != NULL && strcmp (print, walk->last_print) != 0)
            reason = HS_STOP_MUTATED;
          g_free (walk->last_print);
          walk->last_print = g_steal_pointer (&print);
        }
    }
  if (reason == HS_STOP_NONE && is_breakpoint (cursor, delta, walk->breakpoints, walk->n_breakpoints))
    reason = HS_STOP_BREAKPOINT;
  return reason;
}

/* Walks the steps first..last; the step before FIRST is read too (not
 * checked) so that a change at FIRST is seen.  Forward, the first hit
 * wins; backward, the last one. */
static gboolean
walk_range (HsTrace            *trace,
            const HsBreakpoint *breakpoints,
            guint               n_breakpoints,
            guint32             watch_ref,
            guint               first,
            guint               last,
            gboolean            forward,
            GCancellable       *cancellable,
            HsStop             *stop)
{
  g_autoptr(HsTraceCursor) cursor = hs_trace_cursor_new_at (trace, first > 0 ? first - 1 : 0);
  Walk walk = { breakpoints, n_breakpoints, watch_ref, TRUE, NULL };
  gboolean found = FALSE;
  HsTraceDelta delta;

  g_assert (HS_IS_TRACE (trace));
  g_assert (stop != NULL);

  while (hs_trace_cursor_next (cursor, &delta) && delta.index <= last)
    {
      HsFreeCause cause = 0;
      HsStopReason reason;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      reason = check_delta (&walk, cursor, &delta, &cause);
      if (reason == HS_STOP_NONE || delta.index < first)
        continue;

      stop->step = delta.index;
      stop->reason = reason;
      stop->line = delta.line;
      stop->cause = cause;
      found = TRUE;
      if (forward)
        break;
    }
  g_free (walk.last_print);
  return found;
}

/* The steps a backward search reads at once: a few checkpoints' worth. */
#define BACKWARD_WINDOW 1024

/* The next stop after FROM, at most at BOUND (forward), or the last one
 * before FROM, at least at BOUND (backward).  Both start from the
 * trace's checkpoint nearest FROM, so the cost follows the distance to
 * the stop, not the position in the trace; backward reads windows of
 * steps, each from its start, nearest first. */
gboolean
hs_playback_find (HsTrace            *trace,
                  guint               from,
                  gboolean            forward,
                  guint               bound,
                  const HsBreakpoint *breakpoints,
                  guint               n_breakpoints,
                  guint32             watch_ref,
                  GCancellable       *cancellable,
                  HsStop             *stop)
{
  guint n_steps;

  g_return_val_if_fail (HS_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (breakpoints != NULL || n_breakpoints == 0, FALSE);
  g_return_val_if_fail (stop != NULL, FALSE);

  memset (stop, 0, sizeof *stop);
  n_steps = hs_trace_get_n_steps (trace);
  if (n_steps == 0)
    return FALSE;

  if (forward)
    {
      bound = MIN (bound, n_steps - 1);
      if (from >= bound)
        return FALSE;
      return walk_range (trace, breakpoints, n_breakpoints, watch_ref, from + 1, bound, TRUE, cancellable, stop);
    }

  from = MIN (from, n_steps);
  while (from > bound && !g_cancellable_is_cancelled (cancellable))
    {
      guint first = from - bound > BACKWARD_WINDOW ? from - BACKWARD_WINDOW : bound;

      if (walk_range (trace, breakpoints, n_breakpoints, watch_ref, first, from - 1, FALSE, cancellable, stop))
        return TRUE;
      from = first;
    }
  return FALSE;
}

typedef struct
{
  HsTrace  *trace;
  guint     from;
  gboolean  forward;
  GArray   *breakpoints;  /* HsBreakpoint, each file its own copy */
  guint32   watch_ref;
} FindData;

static void
find_data_free (FindData *data)
{
  for (guint i = 0; i < data->breakpoints->len; i++)
    g_free ((char *) g_array_index (data->breakpoints, HsBreakpoint, i).file);
  g_object_unref (data->trace);
  g_array_unref (data->breakpoints);
  g_free (data);
}

static void
find_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FindData *data = task_data;
  HsStop stop;
  gboolean found;

  g_assert (G_IS_TASK (task));

  found = hs_playback_find (data->trace, data->from, data->forward,
                            data->forward ? G_MAXUINT : 0,
                            (const HsBreakpoint *) (gpointer) data->breakpoints->data, data->breakpoints->len,
                            data->watch_ref, cancellable, &stop);
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, found ? g_memdup2 (&stop, sizeof stop) : NULL, g_free);
}

/* The same search in a thread, so that a long trace never blocks the
 * main loop.  The trace must be finished: nothing appends to it while the
 * thread reads it. */
void
hs_playback_find_async (HsTrace             *trace,
                        guint                from,
                        gboolean             forward,
                        const HsBreakpoint  *breakpoints,
                        guint                n_breakpoints,
                        guint32              watch_ref,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FindData *data;

  g_return_if_fail (HS_IS_TRACE (trace));
  g_return_if_fail (breakpoints != NULL || n_breakpoints == 0);

  data = g_new0 (FindData, 1);
  data->trace = g_object_ref (trace);
  data->from = from;
  data->forward = forward;
  data->breakpoints = g_array_sized_new (FALSE, FALSE, sizeof (HsBreakpoint), n_breakpoints);
  for (guint i = 0; i < n_breakpoints; i++)
    {
      HsBreakpoint copy = { g_strdup (breakpoints[i].file), breakpoints[i].line };

      g_array_append_val (data->breakpoints, copy);
    }
  data->watch_ref = watch_ref;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_playback_find_async);
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);
  g_task_run_in_thread (task, find_thread);
}

/* TRUE with STOP filled when a stop was found; FALSE with no error when
 * there is none in that direction. */
gboolean
hs_playback_find_finish (GAsyncResult  *result,
                         HsStop        *stop,
                         GError       **error)
{
  g_autofree HsStop *found = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (stop != NULL, FALSE);

  memset (stop, 0, sizeof *stop);
  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return FALSE;
  *stop = *found;
  return TRUE;
}
