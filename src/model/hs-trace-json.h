/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writes a trace as JSON in the formats docs/trace-format.md describes:
 * "heapscope-trace-4" (what each step changed, with a full snapshot every
 * HS_TRACE_SNAPSHOT_EVERY steps; the default) or "heapscope-trace-3"
 * (every step expanded).  Both are streamed through one buffered writer:
 * no tree of the trace or of a step is ever built.
 */
#pragma once

#include <gio/gio.h>

#include "hs-trace.h"

G_BEGIN_DECLS

/* Versions 3 and 4 are 1 and 2 with the output written once, at the top
 * level, each frame's file named and the text of every file stepped kept;
 * the reader reads all four (frames of 1 and 2 all ran the program's own
 * file). */
#define HS_TRACE_FORMAT "heapscope-trace-4"
#define HS_TRACE_FORMAT_SNAPSHOTS "heapscope-trace-3"
#define HS_TRACE_FORMAT_V2 "heapscope-trace-2"
#define HS_TRACE_FORMAT_V1 "heapscope-trace-1"

/* Rebuilding a step replays at most this many deltas, or more in a trace
 * whose stack grows deeper than this many frames: there snapshots come
 * every this many steps times the power of two that covers the
 * thousands of frames of its deepest stack, so that copying the whole
 * stack stays a small part of the output. */
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

/* A writer fed one step at a time, for a trace that streams its steps
 * (hs_trace_stream_steps()) or a walk of a finished one: new writes the
 * members known before the run, step each step, finish what the run's
 * end told.  snapshot_every 0 picks the snapshot steps as the stack
 * deepens (each says "snapshot": true), and writes the figure the
 * deepest stack gave at the end.  file and source may be NULL: the
 * program's file name and text (source_len bytes, or up to its NUL when
 * negative), both UTF-8. */
typedef struct _HsTraceWriter HsTraceWriter;

#define HS_TRACE_WRITER_ERROR (hs_trace_writer_error_quark ())

typedef enum
{
  /* the trace reached the writer's cap: the step written is its last */
  HS_TRACE_WRITER_ERROR_SIZE_LIMIT,
} HsTraceWriterError;

GQuark         hs_trace_writer_error_quark (void);

HsTraceWriter *hs_trace_writer_new    (GOutputStream      *stream,
                                       HsTraceJsonFormat   format,
                                       guint               snapshot_every,
                                       const char         *file,
                                       const char         *source,
                                       gssize              source_len);
gboolean       hs_trace_writer_step   (HsTraceWriter      *self,
                                       HsTraceCursor      *at,
                                       const HsTraceDelta *delta,
                                       GError            **error);
gboolean       hs_trace_writer_finish (HsTraceWriter      *self,
                                       HsTrace            *trace,
                                       GError            **error);
void           hs_trace_writer_free   (HsTraceWriter      *self);
/* Past max_bytes (0: no cap), hs_trace_writer_step() writes its step
 * and fails with HS_TRACE_WRITER_ERROR_SIZE_LIMIT; finish still closes
 * the trace. */
void           hs_trace_writer_set_max_bytes (HsTraceWriter *self,
                                              guint64        max_bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTraceWriter, hs_trace_writer_free)

G_END_DECLS
