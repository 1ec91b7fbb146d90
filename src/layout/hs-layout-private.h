/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the files of the layout share: the layout itself, its columns, and
 * the builder that hs_layout_new() runs its phases over.  Not installed,
 * not for callers outside src/layout.
 *
 *   hs-layout.c          the object, the phases in order, interpolation, queries
 *   hs-layout-boxes.c    which objects are drawn, and each box's text and size
 *   hs-layout-layers.c   ranks, order within ranks, and places; the garbage zone
 *   hs-layout-route.c    the arrows
 *   hs-layout-text.c     fonts, measuring, and the shaped text a layout keeps
 */
#pragma once

#include <glib.h>

#include "hs-layout.h"

G_BEGIN_DECLS

#define MARGIN        24.0
#define PAD           8.0
#define GAP_X         16.0
#define GAP_Y         14.0
#define COLUMN_GAP    40.0
#define MIN_FRAME_W   140.0
/* The room a placeholder keeps in a rank for an arrow passing it */
#define HS_LAYOUT_LANE_HEIGHT 6.0

/* Arrowheads entering one side of a box stand ENTRY_SPACING apart where
 * it has room, and at least ENTRY_CORNER from its corners
 * (hs-layout-route.c); a box is made tall enough for the arrows into it
 * to stand ENTRY_ROOM apart, up to ENTRY_ROOM_MAX of them
 * (hs-layout-boxes.c).  Not ENTRY_SPACING: the int that the alias_bugs
 * lesson's grids share grew so tall that a curve at step 25 clipped a
 * box. */
#define ENTRY_SPACING 8.0
#define ENTRY_CORNER  3.0
#define ENTRY_ROOM    6.0
#define ENTRY_ROOM_MAX 32

/* A rank's column: its boxes stand at x, none wider than width */
typedef struct
{
  double x;
  double width;
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
  GArray          *columns;      /* Column, by rank */
  /* The levels an arrow runs at across the columns it passes
   * (hs_layout_lane_key () -> GArray of double, by column) */
  GHashTable      *lanes;
  HsLayoutTextSet *text;         /* every box's text, shaped */
  HsLayout        *from;         /* interpolated layouts keep their ends alive */
  HsLayout        *to;
  double           width;
  double           height;
  gboolean         has_garbage;
  HsRect           garbage_zone;
  /* The extent of its boxes as a fresh layout places them, which the
   * next step's layout weighs keeping places against */
  double           fresh_width;
  double           fresh_height;
};

/* An object that is drawn, while its layout is built */
typedef struct
{
  const HsObject *object;
  guint           box;
  guint           order;     /* discovery order, from the frames down */
  guint           shown;     /* arrows drawn to it */
  GArray         *rows;      /* the references that get a row (private to hs-layout-boxes.c) */
} Item;

/* The state of one hs_layout_new() call, shared by its phases */
typedef struct
{
  HsLayout              *self;
  HsLayout              *previous;       /* may be NULL */
  HsSnapshot            *snapshot;
  HsSnapshot            *prev_snapshot;  /* may be NULL */
  const HsLayoutOptions *options;
  GArray                *items;          /* Item */
  GHashTable            *items_by_ref;   /* ref -> Item index + 1 */
  GHashTable            *referrers;      /* ref -> GPtrArray of box indices */
  GHashTable            *placed;         /* box indices placed so far */
} HsLayoutBuilder;

static inline HsLayoutBox *
box_at (HsLayout *self,
        guint     i)
{
  return &g_array_index (self->boxes, HsLayoutBox, i);
}

static inline Item *
item_at (HsLayoutBuilder *builder,
         guint            i)
{
  return &g_array_index (builder->items, Item, i);
}

static inline gint64
hs_layout_lane_key (guint    source,
                    guint    row,
                    gboolean key)
{
  return ((gint64) source << 32) | ((gint64) row << 1) | (key ? 1 : 0);
}

static inline int
lookup_box (GHashTable *table,
            guint32     ref)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (table, GUINT_TO_POINTER (ref))) - 1;
}

/* hs-layout-boxes.c */
double hs_layout_row_height          (void);
void   hs_layout_lay_box_flat        (HsLayoutBox     *box);
void   hs_layout_discover            (HsLayoutBuilder *builder);
void   hs_layout_count_arrows        (HsLayoutBuilder *builder);
void   hs_layout_add_frame_boxes     (HsLayoutBuilder *builder);
void   hs_layout_add_object_boxes    (HsLayoutBuilder *builder);
void   hs_layout_add_ghost_boxes     (HsLayoutBuilder *builder);

/* hs-layout-layers.c */
void   hs_layout_index_referrers     (HsLayoutBuilder *builder);
void   hs_layout_mark_beside_zone    (HsLayoutBuilder *builder);
void   hs_layout_place               (HsLayoutBuilder *builder);
double hs_layout_garbage_head        (void);

/* hs-layout-route.c */
void   hs_layout_add_edges_for_box   (HsLayout        *self,
                                      guint            index);
void   hs_layout_route_all_edges     (HsLayout        *self);
void   hs_layout_move_edges          (HsLayout        *self,
                                      HsLayout        *to);

G_END_DECLS
