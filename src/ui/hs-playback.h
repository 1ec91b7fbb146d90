/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Moving through a recorded run: the step where the program next (or
 * last) reaches a breakpoint, or where a watched object changes or is
 * freed.  The trace is complete, so going backward is a search of the
 * same history, not a re-run.
 */
#pragma once

#include <gio/gio.h>

#include "hs-trace.h"

G_BEGIN_DECLS

typedef enum
{
  HS_STOP_NONE,
  HS_STOP_BREAKPOINT,
  HS_STOP_MUTATED,
  HS_STOP_FREED,
} HsStopReason;

/* A line of the program's own file (file NULL), or of one of its
 * modules, named as frames name their file. */
typedef struct
{
  const char *file;
  guint       line;
} HsBreakpoint;

typedef struct
{
  guint        step;
  HsStopReason reason;
  guint        line;   /* of the step */
  HsFreeCause  cause;  /* when reason is HS_STOP_FREED */
} HsStop;

gboolean hs_playback_find        (HsTrace              *trace,
                                  guint                 from,
                                  gboolean              forward,
                                  guint                 bound,
                                  const HsBreakpoint   *breakpoints,
                                  guint                 n_breakpoints,
                                  guint32               watch_ref,
                                  GCancellable         *cancellable,
                                  HsStop               *stop);
void     hs_playback_find_async  (HsTrace              *trace,
                                  guint                 from,
                                  gboolean              forward,
                                  const HsBreakpoint   *breakpoints,
                                  guint                 n_breakpoints,
                                  guint32               watch_ref,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
gboolean hs_playback_find_finish (GAsyncResult         *result,
                                  HsStop               *stop,
                                  GError              **error);

G_END_DECLS
