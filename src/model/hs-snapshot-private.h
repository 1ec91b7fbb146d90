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
  GArray         *frames;    /* HsFrame, vars owned */
  GArray         *objects;   /* HsObject, edges owned, sorted by ref */
  GArray         *freed;     /* HsFreed */
  GArray         *gc_runs;   /* HsGcRun */
  GBytes         *out;
  GBytes         *err;
};

HsSnapshot *hs_snapshot_new (void);

G_END_DECLS
