/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writes a trace as JSON in the formats docs/trace-format.md describes:
 * "heapscope-trace-2" (what each step changed, with a full snapshot every
 * HS_TRACE_SNAPSHOT_EVERY steps; the default) or "heapscope-trace-1"
 * (every step expanded).  Both are streamed through one buffered writer:
 * no tree of the trace or of a step is ever built.
 */
#pragma once

#include <gio/gio.h>

#include "hs-trace.h"

G_BEGIN_DECLS

#define HS_TRACE_FORMAT "heapscope-trace-2"
#define HS_TRACE_FORMAT_SNAPSHOTS "heapscope-trace-1"

/* Rebuilding a step replays at most this many deltas, or more in a trace
 * whose stack grows deeper than this many frames: there snapshots come
 * every this many steps per thousand frames of its deepest stack, so
 * that copying the whole stack stays a small part of the output. */
#define HS_TRACE_SNAPSHOT_EVERY 1000

guint    hs_trace_json_snapshot_every (HsTrace          *trace);

typedef enum
{
  HS_TRACE_JSON_DELTAS,
  HS_TRACE_JSON_SNAPSHOTS,
} HsTraceJsonFormat;

gboolean hs_trace_write_json        (HsTrace            *trace,
                                     GOutputStream      *stream,
                                     GError            **error);
gboolean hs_trace_write_json_format (HsTrace            *trace,
                                     GOutputStream      *stream,
                                     HsTraceJsonFormat   format,
                                     GError            **error);
gboolean hs_trace_write_json_source (HsTrace            *trace,
                                     GOutputStream      *stream,
                                     HsTraceJsonFormat   format,
                                     const char         *source,
                                     GError            **error);

G_END_DECLS
