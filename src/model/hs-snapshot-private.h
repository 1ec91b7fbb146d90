/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-snapshot.h"

G_BEGIN_DECLS

struct _HsSnapshot
{
  gatomicrefcount ref_count;
  guint           index;
  HsEvent         event;
  guint           line;
  guint32         return_ref;
  gboolean        return_borrowed; /* the return arrow holds no reference yet */
  gboolean        yielded;         /* the return is a generator's yield */
  GArray         *frames;    /* HsFrame, vars owned */
  GArray         *objects;   /* HsObject, edges owned, sorted by ref */
  GArray         *freed;     /* HsFreed */
  GArray         *gc_runs;   /* HsGcRun */
  GArray         *hidden;    /* HsHiddenRef, by target as objects are */
  GArray         *reported;  /* hidden as the runtime reported it, when
                              * hs_snapshot_settle_held () changed it, or NULL */
  GBytes         *out;
  GBytes         *err;
  const char     *python_version; /* interned: "3.11.2", or NULL when not known */
  GPtrArray      *strings;   /* the trace's string table, which every
                              * const char* above points into: held so that
                              * a snapshot may outlive its trace */
};

HsSnapshot *hs_snapshot_new (GPtrArray *strings);
void        hs_hidden_refs_add (GArray       *hidden,
                                const HsEdge *edge);
void        hs_snapshot_settle_held (HsSnapshot *self);
const HsHiddenRef *hs_snapshot_get_reported_holders (HsSnapshot *self,
                                                     guint      *n_refs);

G_END_DECLS
