/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writes a trace as JSON in the format docs/trace-format.md describes
 * ("heapscope-trace-1").  Steps are generated one at a time, so a long trace
 * never needs its whole document in memory.
 */
#pragma once

#include <gio/gio.h>

#include "hs-trace.h"

G_BEGIN_DECLS

#define HS_TRACE_FORMAT "heapscope-trace-1"

gboolean hs_trace_write_json (HsTrace        *trace,
                              GOutputStream  *stream,
                              GError        **error);

G_END_DECLS
