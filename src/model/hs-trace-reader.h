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
  HS_TRACE_READER_ERROR_LIMIT,        /* beyond one of the limits below */
} HsTraceReaderError;

/* A saved run is a file from anyone: each dimension has a limit, far
 * beyond what a run of `heapscope trace` makes (its defaults: a million
 * steps, a thousand objects a step, Python's stack of a thousand frames),
 * and a file beyond one is refused with a message that names it. */
#define HS_TRACE_READER_MAX_DEPTH    64              /* lists and objects inside each other */
#define HS_TRACE_READER_MAX_STRING   (256u << 20)    /* bytes of one string or number */
#define HS_TRACE_READER_MAX_SOURCE   (32u << 20)     /* bytes of the program's text */
#define HS_TRACE_READER_MAX_STEPS    10000000u
#define HS_TRACE_READER_MAX_OBJECTS  1000000u        /* in one step */
#define HS_TRACE_READER_MAX_EDGES    1000000u        /* from one object */
#define HS_TRACE_READER_MAX_FRAMES   100000u         /* in one step */
#define HS_TRACE_READER_MAX_ITEMS    1000000u        /* in any other list or object */
#define HS_TRACE_READER_MAX_FILES    10000u          /* files the frames run, and in "sources" */
#define HS_TRACE_READER_MAX_PATH     4096u           /* bytes of a frame's file */

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
