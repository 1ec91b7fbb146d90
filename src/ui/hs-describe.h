/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Sentences about the heap, shared by the inspector, the graph's tooltips
 * and the toasts.
 */
#pragma once

#include "hs-format.h"
#include "hs-snapshot.h"
#include "hs-trace-compare.h"

G_BEGIN_DECLS

char *hs_describe_flags       (const char  *python_version,
                               guint32      flags);
char *hs_describe_size        (const HsObject *object);
char *hs_describe_object      (HsSnapshot  *snapshot,
                               guint32      ref);
GPtrArray *hs_describe_referrers (HsSnapshot  *snapshot,
                                  guint32      ref);
/* Why an object's refcount is what it is: every reference the graph
 * draws (variables, container slots, the return value), each hidden
 * reference the runtime names, and the remainder.
 * drawn->len + the sum of named_counts + other == refcount, always. */
typedef struct
{
  gint64     refcount;
  gboolean   immortal;     /* the count is a marker, not a count of references */
  GPtrArray *drawn;        /* char *: who holds it, e.g. "a", "a[0]", "list …3f0[2]" */
  GPtrArray *named;        /* char *: hidden holders the runtime names */
  GArray    *named_counts; /* guint: how many references each of them holds */
  gint64     n_named;      /* their sum */
  gint64     other;        /* other internal references */
} HsRefcountBreakdown;

HsRefcountBreakdown *hs_describe_refcount_breakdown (HsSnapshot *snapshot,
                                                     guint32     ref);
void                 hs_refcount_breakdown_free     (HsRefcountBreakdown *breakdown);
/* The rule of the interpreter that ran (python_version, "3.12.1") that
 * makes this object's refcount what it is, when it is not a plain count
 * of references: static objects in 3.11, immortal ones (PEP 683) in 3.12
 * and later, interned strings mortal again in 3.13.  NULL otherwise. */
char *hs_describe_refcount_rule (const char     *python_version,
                                 const HsObject *object);
char *hs_describe_flag_tooltip (const char *python_version,
                                guint32     flags,
                                guint32     flag);
char *hs_describe_a_type      (const char  *type);
/* The compare view's word for a kind of difference.  flagged_version is
 * the version ("3.11.2") of the run whose object carries
 * HS_OBJECT_IMMORTAL, for HS_TRACE_DIFF_IMMORTAL; NULL otherwise. */
const char *hs_describe_diff_kind (HsTraceDiffKind  kind,
                                   const char      *flagged_version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsRefcountBreakdown, hs_refcount_breakdown_free)

/* The ways from a live name to an object that a program could spell:
 * "orders[1]['items']", "Order.items", "self.items". */
typedef struct
{
  char        *text;
  const char  *function;  /* the frame of its name, borrowed from the snapshot */
  guint        frame;     /* that frame's index, outermost 0 */
  guint        n_refs;
  guint32     *refs;      /* the objects it passes, the name's first, the object last */
} HsObjectPath;

typedef struct
{
  GPtrArray *paths;       /* HsObjectPath *, shortest first */
  gboolean   more;        /* cut at max_paths or max_depth: there are more */
} HsObjectPaths;

/* What the inspector lists and Select All Holders highlights */
#define HS_DESCRIBE_MAX_PATHS      8
#define HS_DESCRIBE_MAX_PATH_DEPTH 6

HsObjectPaths *hs_describe_paths   (HsSnapshot    *snapshot,
                                    guint32        ref,
                                    guint          max_paths,
                                    guint          max_depth);
void           hs_object_paths_free (HsObjectPaths *paths);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsObjectPaths, hs_object_paths_free)

char *hs_describe_gc_collect  (HsSnapshot  *before,
                               GPtrArray   *steps);

G_END_DECLS
