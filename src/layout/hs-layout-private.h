/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the files of the layout share: the layout itself and its columns.
 * Not installed, not for callers outside src/layout.
 */
#pragma once

#include <glib.h>

#include "hs-layout.h"

G_BEGIN_DECLS

/* The most a surviving box moves along one axis at one step while the
 * layout closes gaps: small enough for the eye to follow as the widget
 * animates from step to step. */
#define HS_LAYOUT_COMPACT_STEP 240.0

typedef struct
{
  double   x;
  double   width;
  gboolean fixed;   /* a new object was placed in it at this step */
} Column;

struct _HsLayout
{
  gatomicrefcount  ref_count;
  HsSnapshot      *snapshot;
  GStringChunk    *strings;
  GArray          *boxes;        /* HsLayoutBox */
  GPtrArray       *row_arrays;   /* owned rows, NULL for borrowed */
  GArray          *edges;        /* HsLayoutEdge */
  GHashTable      *box_by_ref;   /* live objects: ref -> box index + 1 */
  GHashTable      *ghost_by_ref; /* ghosts: ref -> box index + 1 */
  GArray          *columns;      /* Column, kept for the next step */
  HsLayout        *from;         /* interpolated layouts keep their ends alive */
  HsLayout        *to;
  double           width;
  double           height;
  gboolean         has_garbage;
  HsRect           garbage_zone;
};

#define GAP_X 16.0

static inline HsLayoutBox *
box_at (HsLayout *self,
        guint     i)
{
  return &g_array_index (self->boxes, HsLayoutBox, i);
}

static inline int
lookup_box (GHashTable *table,
            guint32     ref)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (table, GUINT_TO_POINTER (ref))) - 1;
}

void hs_layout_add_edges_for_box (HsLayout   *self,
                                  guint       index);
void hs_layout_route_all_edges   (HsLayout   *self);
void hs_layout_compact (HsLayout   *self,
                        GHashTable *placed);

G_END_DECLS
