/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Two traces of the same snippet, usually run under two interpreters, put
 * side by side: their steps aligned by their line events, and for each
 * pair of steps what differs between them that Python lets a program see
 * (the values names are bound to, refcounts, immortality, small-int and
 * interning caches, which names share one object, what was freed, what
 * was printed).  Raw id()s are never compared: they differ in every run.
 */
#pragma once

#include "hs-trace.h"

G_BEGIN_DECLS

#define HS_TRACE_COMPARE_NONE G_MAXUINT

typedef enum
{
  HS_TRACE_DIFF_STEP,       /* a step one run has and the other has not */
  HS_TRACE_DIFF_MISSING,    /* a name bound in one run only */
  HS_TRACE_DIFF_VALUE,      /* a name bound to a different type or value */
  HS_TRACE_DIFF_REFCOUNT,
  HS_TRACE_DIFF_IMMORTAL,
  HS_TRACE_DIFF_CACHED,     /* a small int or interned string in one run only */
  HS_TRACE_DIFF_IDENTITY,   /* `a is b` holds in one run only */
  HS_TRACE_DIFF_FREED,      /* freed at this step in one run only */
  HS_TRACE_DIFF_OUTPUT,     /* the step printed something else */
} HsTraceDiffKind;

typedef struct
{
  HsTraceDiffKind  kind;
  char            *subject;   /* "x", "a is b", "int 257" */
  char            *left;      /* what the left run shows */
  char            *right;
  guint32          left_ref;  /* the object concerned in each run, or 0 */
  guint32          right_ref;
} HsTraceDiff;

/* A step's place in the alignment: its event, line and frame depth. */
typedef struct
{
  HsEvent event;
  guint   line;
  guint   depth;
} HsStepKey;

typedef struct
{
  guint left;   /* a step index, or HS_TRACE_COMPARE_NONE */
  guint right;
} HsStepPair;

typedef struct _HsTraceComparison HsTraceComparison;

HsTraceComparison *hs_trace_comparison_new          (HsTrace            *left,
                                                     HsTrace            *right);
void               hs_trace_comparison_free         (HsTraceComparison  *self);
HsTrace           *hs_trace_comparison_get_left     (HsTraceComparison  *self);
HsTrace           *hs_trace_comparison_get_right    (HsTraceComparison  *self);
guint              hs_trace_comparison_get_n_pairs  (HsTraceComparison  *self);
HsStepPair         hs_trace_comparison_get_pair     (HsTraceComparison  *self,
                                                     guint               pair);
/* The differences at a pair of steps (HsTraceDiff), computed once. */
GPtrArray         *hs_trace_comparison_get_diffs    (HsTraceComparison  *self,
                                                     guint               pair);
/* The next pair after from (or before it, backwards) with a difference,
 * or HS_TRACE_COMPARE_NONE. */
guint              hs_trace_comparison_find_diff    (HsTraceComparison  *self,
                                                     guint               from,
                                                     gboolean            backwards);

/* The parts, for tests: aligning keys (HsStepPair), and comparing two
 * steps, either of them NULL when only one run has it. */
GArray            *hs_trace_align_steps             (const HsStepKey    *left,
                                                     guint               n_left,
                                                     const HsStepKey    *right,
                                                     guint               n_right);
GPtrArray         *hs_trace_compare_snapshots       (HsSnapshot         *left,
                                                     HsSnapshot         *right);
void               hs_trace_diff_free               (HsTraceDiff        *diff);
const char        *hs_trace_diff_kind_to_string     (HsTraceDiffKind     kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTraceComparison, hs_trace_comparison_free)

G_END_DECLS
