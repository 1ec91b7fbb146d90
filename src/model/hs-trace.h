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
void                hs_trace_set_python_version (HsTrace      *self,
                                                 const char   *version);
const char         *hs_trace_get_python_version (HsTrace      *self);
void                hs_trace_finish             (HsTrace      *self,
                                                 const char   *status,
                                                 int           exit_code,
                                                 int           signal_number,
                                                 const HsTraceError *error);
gboolean            hs_trace_is_finished        (HsTrace      *self);
const char         *hs_trace_get_status         (HsTrace      *self);
int                 hs_trace_get_exit_code      (HsTrace      *self);
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

G_END_DECLS
