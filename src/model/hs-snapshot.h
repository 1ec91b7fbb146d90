/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The state of the heap at one step, materialised from a trace's deltas.
 * Snapshots are immutable and shared by reference.
 */
#pragma once

#include <glib.h>

#include "hs-protocol.h"

G_BEGIN_DECLS

typedef struct
{
  HsEdgeKind  kind;
  const char *label;      /* owned by the trace's string table */
  guint32     target;
  guint32     count;      /* HS_EDGE_HELD_*: how many references the holder
                           * makes to target, the edge's owner; else 1 */
} HsEdge;

typedef enum
{
  HS_CHANGE_NEW     = 1 << 0,  /* first seen at this step */
  HS_CHANGE_MUTATED = 1 << 1,  /* its references changed at this step */
  HS_CHANGE_RETURNED = 1 << 2, /* seen before, back in the snapshot at this step */
  HS_CHANGE_CREATED  = 1 << 3, /* the runtime saw it allocated by this step's line */
} HsChangeFlags;

typedef struct
{
  guint32     ref;
  guint64     id;
  const char *type;
  const char *repr;
  gint64      refcount;
  gint64      size;       /* -1 when only user code could tell */
  guint32     flags;      /* HsObjectFlags */
  guint32     length;
  guint32     omitted;
  guint32     changes;    /* HsChangeFlags */
  guint32     n_referrers;/* references drawn to it: variables, edges and the return value */
  guint       n_edges;
  HsEdge     *edges;
  const char *module;     /* the module that defines a function or a class,
                           * as its __module__ says; NULL for other objects,
                           * or when the trace does not say */
} HsObject;

/* References to an object that the graph does not draw but the runtime
 * names (HS_EDGE_HELD_*): count references by holder, e.g. 2 constants of
 * the code of "f". */
typedef struct
{
  guint32     target;
  HsEdgeKind  kind;
  const char *holder;     /* a code object's or frame's qualified name, a module's name */
  guint       count;
} HsHiddenRef;

#define HS_EDGE_KIND_IS_HELD(kind) ((kind) >= HS_EDGE_HELD_CONSTANT && (kind) <= HS_EDGE_HELD_MODULE_INDEX)

/* A name bound as its frame began (an argument, or any name of the first
 * step that shows the frame) */
#define HS_VAR_BOUND_WITH_FRAME G_MAXUINT

typedef struct
{
  const char *name;
  guint32     ref;
  guint       bound_at;   /* the step at which the name came to point at ref,
                           * read from the trace's deltas however this step
                           * was reached; or HS_VAR_BOUND_WITH_FRAME */
} HsVar;

typedef struct
{
  const char  *function;
  guint        line;
  guint        n_vars;
  HsVar       *vars;
  /* Names the frame's code owns that hold no value at this step, as the
   * runtime read them: a function's locals, cells and free variables not
   * yet bound (or deleted; at a call event under 3.11 also its cells
   * and free variables, which the first instructions fill), and a class
   * body's names (its namespace is not drawn).  Such a name is the frame's own: it never reads a global.
   * Empty for the module. */
  guint        n_unbound;
  const char **unbound;
  /* the file the frame runs, relative to the program's folder (the
   * program's own file in a trace from before frames named theirs) */
  const char  *file;
} HsFrame;

typedef struct
{
  guint32      ref;
  HsFreeCause  cause;
  const char  *type;      /* last known, for drawing its ghost */
  const char  *repr;
} HsFreed;

typedef struct
{
  guint generation;
  guint collections;
  guint collected;
  guint uncollectable;
} HsGcRun;

typedef struct _HsSnapshot HsSnapshot;

HsSnapshot     *hs_snapshot_ref          (HsSnapshot *self);
void            hs_snapshot_unref        (HsSnapshot *self);
guint           hs_snapshot_get_index    (HsSnapshot *self);
HsEvent         hs_snapshot_get_event    (HsSnapshot *self);
guint           hs_snapshot_get_line     (HsSnapshot *self);
const HsFrame  *hs_snapshot_get_frames   (HsSnapshot *self,
                                          guint      *n_frames);
const HsObject *hs_snapshot_get_objects  (HsSnapshot *self,
                                          guint      *n_objects);
const HsObject *hs_snapshot_lookup       (HsSnapshot *self,
                                          guint32     ref);
const HsFreed  *hs_snapshot_get_freed    (HsSnapshot *self,
                                          guint      *n_freed);
const HsGcRun  *hs_snapshot_get_gc_runs  (HsSnapshot *self,
                                          guint      *n_runs);
GBytes         *hs_snapshot_get_stdout   (HsSnapshot *self);
GBytes         *hs_snapshot_get_stderr   (HsSnapshot *self);
guint32         hs_snapshot_get_return_ref (HsSnapshot *self);
/* Whether the return value's arrow holds no reference yet: the return
 * of a constant, which CPython 3.12 and later report before they take
 * the return's reference to it. */
gboolean        hs_snapshot_get_return_borrowed (HsSnapshot *self);
gboolean        hs_snapshot_get_yielded (HsSnapshot *self);
guint           hs_snapshot_count_references (HsSnapshot *self,
                                              guint32     ref);
const HsHiddenRef *hs_snapshot_get_hidden_refs (HsSnapshot *self,
                                                guint      *n_refs);
/* The interpreter that ran the step, as its worker introduced itself
 * ("3.11.2"); NULL when not known.  Its words differ: 3.11's static
 * objects are 3.12's immortal ones. */
const char     *hs_snapshot_get_python_version (HsSnapshot *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsSnapshot, hs_snapshot_unref)

G_END_DECLS
