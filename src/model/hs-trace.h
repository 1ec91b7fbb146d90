/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A trace: the steps of one run of a program, kept as the deltas the
 * runtime sent, with full snapshots every so often to step back quickly.
 * Appending validates each delta against the state it applies to.
 */
#pragma once

#include <glib-object.h>

#include "hs-snapshot.h"

G_BEGIN_DECLS

#define HS_TYPE_TRACE (hs_trace_get_type ())

G_DECLARE_FINAL_TYPE (HsTrace, hs_trace, HS, TRACE, GObject)

typedef struct
{
  const char *type;
  const char *message;
  guint       line;
  const char *traceback;
} HsTraceError;

HsTrace            *hs_trace_new                (void);
gboolean            hs_trace_append_batch       (HsTrace      *self,
                                                 GVariant     *batch,
                                                 GError      **error);
guint               hs_trace_get_n_steps        (HsTrace      *self);
HsSnapshot         *hs_trace_get_snapshot       (HsTrace      *self,
                                                 guint         index);
/* The output of one step, NULL for a stream it did not write to. */
void                hs_trace_get_step_output    (HsTrace      *self,
                                                 guint         index,
                                                 GBytes      **out,
                                                 GBytes      **err);
void                hs_trace_set_python_version (HsTrace      *self,
                                                 const char   *version);
const char         *hs_trace_get_python_version (HsTrace      *self);
GPtrArray          *hs_trace_list_files         (HsTrace      *self);
const char         *hs_trace_get_main_file      (HsTrace      *self);
void                hs_trace_set_file_source    (HsTrace      *self,
                                                 const char   *file,
                                                 const char   *text);
const char         *hs_trace_get_file_source    (HsTrace      *self,
                                                 const char   *file);
void                hs_trace_set_program_input  (HsTrace      *self,
                                                 const char * const *args,
                                                 const char   *input);
const char * const *hs_trace_get_args           (HsTrace      *self);
const char         *hs_trace_get_input          (HsTrace      *self);
void                hs_trace_read_sources       (HsTrace      *self,
                                                 const char   *folder,
                                                 gsize         max_bytes);
void                hs_trace_finish             (HsTrace      *self,
                                                 const char   *status,
                                                 int           exit_code,
                                                 int           signal_number,
                                                 const HsTraceError *error);
gboolean            hs_trace_is_finished        (HsTrace      *self);
const char         *hs_trace_get_status         (HsTrace      *self);
int                 hs_trace_get_exit_code      (HsTrace      *self);
gboolean            hs_trace_has_exit_code      (HsTrace      *self);
int                 hs_trace_get_signal         (HsTrace      *self);
const HsTraceError *hs_trace_get_error          (HsTrace      *self);
void                hs_trace_set_final_output   (HsTrace      *self,
                                                 GBytes       *out,
                                                 GBytes       *err);
GBytes             *hs_trace_dup_stdout         (HsTrace      *self);
GBytes             *hs_trace_dup_stderr         (HsTrace      *self);
GBytes             *hs_trace_get_trailing_stdout(HsTrace      *self);
GBytes             *hs_trace_get_trailing_stderr(HsTrace      *self);
gsize               hs_trace_get_history_bytes  (HsTrace      *self);
guint               hs_trace_get_max_frames     (HsTrace      *self);
GHashTable         *hs_trace_ref_growing        (HsTrace      *self);

/* Walking a finished trace step by step at the cost of each delta, for
 * writers that store what changed (heapscope-trace-2). */
typedef struct _HsTraceCursor HsTraceCursor;

typedef struct
{
  guint           index;
  HsEvent         event;
  guint           line;
  guint32         return_ref;
  gboolean        return_borrowed; /* the return arrow holds no reference yet */
  gboolean        yielded;        /* the return is a generator's yield */
  GBytes         *out;            /* owned by the cursor until the next step */
  GBytes         *err;
  gboolean        frames_changed; /* else only the innermost frame's line moved */
  guint           frames_keep;    /* with frames_changed: the outer frames kept as they were */
  const guint32  *touched;        /* refs entering or changing (record or edges), present after the step */
  guint           n_touched;
  const guint32  *refcounts;      /* refs of which only the refcount changed */
  guint           n_refcounts;
  const guint32  *removed;        /* refs that left alive; the freed are in freed */
  guint           n_removed;
  const HsFreed  *freed;
  guint           n_freed;
  const HsGcRun  *gc;
  guint           n_gc;
} HsTraceDelta;

HsTraceCursor      *hs_trace_cursor_new         (HsTrace       *trace);
HsTraceCursor      *hs_trace_cursor_new_at      (HsTrace       *trace,
                                                 guint          from);
void                hs_trace_cursor_free        (HsTraceCursor *cursor);
gboolean            hs_trace_cursor_next        (HsTraceCursor *cursor,
                                                 HsTraceDelta  *delta);
const HsObject     *hs_trace_cursor_lookup      (HsTraceCursor *cursor,
                                                 guint32        ref);
const HsFrame      *hs_trace_cursor_get_frames  (HsTraceCursor *cursor,
                                                 guint         *n_frames);
GPtrArray          *hs_trace_cursor_list_objects(HsTraceCursor *cursor);
/* The cursor's step in full, as hs_trace_get_snapshot() gives it. */
HsSnapshot         *hs_trace_cursor_dup_snapshot(HsTraceCursor *cursor);

/* A trace that keeps no history, for writers that stream the steps out
 * as they come (`heapscope trace`): each step, once validated and
 * applied, goes to func with a cursor standing at it, and is then
 * forgotten.  Only the state after the newest step is kept, with what
 * validation needs (the string table, what is known of objects not yet
 * freed); hs_trace_get_snapshot(), hs_trace_get_step_output() and new
 * cursors have no steps to give.  func runs with the trace locked: it may
 * use the cursor, not the trace.  When it fails, the batch fails with
 * its error.  Call before the first batch. */
typedef gboolean  (*HsTraceStepFunc)            (HsTraceCursor      *at,
                                                 const HsTraceDelta *delta,
                                                 gpointer            user_data,
                                                 GError            **error);
void                hs_trace_stream_steps       (HsTrace         *self,
                                                 HsTraceStepFunc  func,
                                                 gpointer         user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTraceCursor, hs_trace_cursor_free)

G_END_DECLS
