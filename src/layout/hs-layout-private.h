/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the files of the layout share: the layout itself, its columns, and
 * the builder that hs_layout_new() runs its phases over.  Not installed,
 * not for callers outside src/layout.
 *
 *   hs-layout.c          the object, the phases in order, interpolation, queries
 *   hs-layout-boxes.c    which objects are drawn, and each box's text and size
 *   hs-layout-columns.c  which column each object stands in
 *   hs-layout-place.c    where each box goes in its column, and the garbage zone
 *   hs-layout-compact.c  closing the gaps that freed objects leave
 *   hs-layout-route.c    the arrows
 *   hs-layout-text.c     fonts, measuring, and the shaped text a layout keeps
 */
#pragma once

#include <glib.h>

#include "hs-layout.h"

G_BEGIN_DECLS

/* The most a surviving box moves along one axis at one step while the
 * layout closes gaps: small enough for the eye to follow as the widget
 * animates from step to step. */
#define HS_LAYOUT_COMPACT_STEP 240.0

#define MARGIN        24.0
#define PAD           8.0
#define GAP_X         16.0
#define GAP_Y         14.0
#define COLUMN_GAP    72.0
#define MIN_FRAME_W   210.0

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
  HsLayoutTextSet *text;         /* every box's text, shaped */
  HsLayout        *from;         /* interpolated layouts keep their ends alive */
  HsLayout        *to;
  double           width;
  double           height;
  gboolean         has_garbage;
  HsRect           garbage_zone;
};

/* Boxes already placed, indexed by horizontal bands for the free-space search */
typedef struct
{
  GArray     *rects;   /* HsRect, with the room kept below */
  GArray     *bodies;  /* HsRect, each rect's box as drawn at this step */
  GHashTable *bands;   /* band -> GArray of guint rect indices */
} Occupancy;

/* An object that is drawn, while its layout is built */
typedef struct
{
  const HsObject *object;
  guint           box;
  int             column;
  guint           order;     /* discovery order, from the frames down */
  guint           shown;     /* arrows drawn to it */
  gboolean        survivor;  /* placed where the previous step had it */
  double          want_y;
  GArray         *rows;      /* the references that get a row (private to hs-layout-boxes.c) */
  int             base;      /* new objects: the column survivors and frames allow */
  GArray         *preds;     /* new objects: new referrers on its left (item indices) */
  gboolean        done;      /* placed */
  gboolean        past_values; /* new objects: placed right of surviving values they reference */
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
  GPtrArray             *survivors;      /* Item *, in their old top-down order */
  Occupancy              occ;
  double                 reachable_bottom;
  double                 reachable_right;
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

/* Whether two boxes overlap or come closer than the gaps placement keeps */
static inline gboolean
rects_clash (const HsRect *a,
             const HsRect *b)
{
  return a->x < b->x + b->width + GAP_X && b->x < a->x + a->width + GAP_X
         && a->y < b->y + b->height + GAP_Y && b->y < a->y + a->height + GAP_Y;
}

static inline int
lookup_box (GHashTable *table,
            guint32     ref)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (table, GUINT_TO_POINTER (ref))) - 1;
}

/* hs-layout-boxes.c */
double hs_layout_row_height          (void);
void   hs_layout_discover            (HsLayoutBuilder *builder);
void   hs_layout_count_arrows        (HsLayoutBuilder *builder);
void   hs_layout_add_frame_boxes     (HsLayoutBuilder *builder);
void   hs_layout_add_object_boxes    (HsLayoutBuilder *builder);
void   hs_layout_add_ghost_boxes     (HsLayoutBuilder *builder);

/* hs-layout-columns.c */
double hs_layout_column_x            (HsLayout        *self,
                                      int              column);
void   hs_layout_settle_columns      (HsLayout        *self,
                                      guint            from);
void   hs_layout_grow_column         (HsLayout        *self,
                                      int              column,
                                      double           width);
void   hs_layout_index_referrers     (HsLayoutBuilder *builder);
void   hs_layout_assign_columns      (HsLayoutBuilder *builder);
void   hs_layout_open_channels       (HsLayoutBuilder *builder);

/* hs-layout-place.c */
void   hs_layout_place_frames        (HsLayoutBuilder *builder);
void   hs_layout_place_survivors     (HsLayoutBuilder *builder);
void   hs_layout_place_ghosts        (HsLayoutBuilder *builder);
void   hs_layout_place_new_objects   (HsLayoutBuilder *builder);
void   hs_layout_frame_garbage_zone  (HsLayoutBuilder *builder);
void   hs_layout_mark_beside_zone    (HsLayoutBuilder *builder);
void   hs_layout_place_beside_zone   (HsLayoutBuilder *builder);
void   hs_layout_place_lost_ghosts   (HsLayoutBuilder *builder);
void   hs_layout_place_clear         (HsLayoutBuilder *builder);
double hs_layout_garbage_head        (void);

/* hs-layout-compact.c */

/* Everything from `at` on, across or down, moves back by `shift` (on,
 * where it is negative) */
typedef struct
{
  double at;
  double shift;
} HsLayoutCut;

void   hs_layout_move_bands          (HsLayout        *self,
                                      GArray          *cuts,
                                      gboolean         vertical,
                                      GHashTable      *placed);
void   hs_layout_compact             (HsLayout        *self,
                                      GHashTable      *placed);

/* hs-layout-route.c */
void   hs_layout_add_edges_for_box   (HsLayout        *self,
                                      guint            index);
void   hs_layout_route_all_edges     (HsLayout        *self,
                                      GArray          *narrow);
gboolean hs_layout_forward_curve     (guint            i,
                                     double           sx,
                                     double           sy,
                                     double           ex,
                                     double           ey,
                                     double           x[4],
                                     double           y[4]);
void   hs_layout_bezier_point        (const double    *x,
                                      const double    *y,
                                      double           t,
                                      double          *px,
                                      double          *py);
void   hs_layout_move_edges          (HsLayout        *self,
                                      HsLayout        *to);

G_END_DECLS
