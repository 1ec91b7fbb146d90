/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reads a trace that `heapscope trace` (or the window's Save Run) wrote,
 * in either format of docs/trace-format.md, back into an HsTrace: each
 * step becomes the delta the runtime would have sent, and goes through
 * the same validation as a live run's.  What the JSON does not hold (the
 * hidden holders of each object) a loaded trace does not have either.
 */
#pragma once

#include <gio/gio.h>

#include "hs-trace.h"

G_BEGIN_DECLS

#define HS_TRACE_READER_ERROR (hs_trace_reader_error_quark ())

typedef enum
{
  HS_TRACE_READER_ERROR_NOT_JSON,     /* not JSON at all, or cut short */
  HS_TRACE_READER_ERROR_NOT_A_TRACE,  /* JSON, but no Heapscope trace */
  HS_TRACE_READER_ERROR_INVALID,      /* a trace whose steps do not add up */
} HsTraceReaderError;

GQuark   hs_trace_reader_error_quark (void);

/* source, when not NULL, receives the program's text if the trace holds
 * it (the window's Save Run and `heapscope trace` write it), else NULL:
 * such a trace opens all the same. */
HsTrace *hs_trace_read_json          (GInputStream  *stream,
                                      char         **source,
                                      GCancellable  *cancellable,
                                      GError       **error);
/* Also the program's file name (its base name), when the trace holds
 * it (`heapscope trace` writes it), else NULL. */
HsTrace *hs_trace_read_json_program  (GInputStream  *stream,
                                      char         **file,
                                      char         **source,
                                      GCancellable  *cancellable,
                                      GError       **error);
HsTrace *hs_trace_read_json_file     (GFile         *file,
                                      char         **source,
                                      GCancellable  *cancellable,
                                      GError       **error);

G_END_DECLS
