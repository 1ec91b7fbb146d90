/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * "Show hidden holders": the references the runtime names but the graph
 * does not draw (hs-holders.c in the worker) get boxes of their own, in
 * rows under the picture, with a dashed arrow, routed around the boxes
 * (hs-layout-route.h), up to every object each one holds: "constants
 * of <module>" keeps the literal 1000 alive after the last name lets go
 * of it.  What no holder explains is marked on the object as "+N other",
 * so that the arrows drawn, the holders' arrows and that mark add up to
 * the refcount, as in the inspector.
 *
 * Laid out here, as data, for the renderer to draw in the window and in
 * `heapscope render --holders` alike.
 */
#pragma once

#include "hs-layout.h"

G_BEGIN_DECLS

/* A holder box's title, then its subtitle, stand this far inside it */
#define HS_LAYOUT_HOLDER_PAD 6.0

typedef struct _HsLayoutHolders HsLayoutHolders;
typedef struct _HsHolderBox     HsHolderBox;

/* What no arrow and no holder box accounts for, on an object's top right
 * corner: "+3 other" */
typedef struct
{
  guint32     ref;
  gint64      count;
  const char *text;
  HsRect      rect;
  double      alpha;   /* the object box's */
} HsLayoutHolderMark;

/* Places the holder boxes of layout under its picture and routes their
 * arrows: one box per holder the snapshot names, holding objects the
 * layout draws and whose count is a count (not an immortal's marker). */
HsLayoutHolders          *hs_layout_holders_new         (HsLayout              *layout);
void                      hs_layout_holders_free        (HsLayoutHolders       *self);
HsLayout                 *hs_layout_holders_get_layout  (const HsLayoutHolders *self);
/* HsHolderBox *, in rows, left to right */
GPtrArray                *hs_layout_holders_get_boxes   (const HsLayoutHolders *self);
const HsLayoutHolderMark *hs_layout_holders_get_marks   (const HsLayoutHolders *self,
                                                         guint                 *n_marks);
/* The size of the layout's picture with the holders' rows */
void                      hs_layout_holders_get_extent  (const HsLayoutHolders *self,
                                                         double                *width,
                                                         double                *height);
/* How many references to ref the holder boxes draw */
guint                     hs_layout_holders_count_held  (const HsLayoutHolders *self,
                                                         guint32                ref);
/* The references to ref that neither an arrow nor a holder box draws:
 * the inspector's "other internal references" and the named holders of
 * objects no box is drawn for; 0 for an immortal */
gint64                    hs_layout_holders_count_other (const HsLayoutHolders *self,
                                                         guint32                ref);
/* "+1,234 other", and by a holder's arrow "×1,234" */
char                     *hs_layout_holders_other_text  (gint64                 other);
char                     *hs_layout_holders_times_text  (guint                  count);

/* The box's title, and its rectangle into rect */
const char               *hs_holder_box_get_title       (const HsHolderBox     *box,
                                                         HsRect                *rect);
const char               *hs_holder_box_get_subtitle    (const HsHolderBox     *box);
HsEdgeKind                hs_holder_box_get_kind        (const HsHolderBox     *box);
/* The names of what box stands for, "math": more than one where the
 * boxes of several modules' globals were made one */
const char * const       *hs_holder_box_get_holders     (const HsHolderBox     *box,
                                                         guint                 *n);
/* How many objects box holds; their refs and how often it holds each
 * into refs and counts, up to n of them */
guint                     hs_holder_box_get_n_held      (const HsHolderBox     *box,
                                                         guint32               *refs,
                                                         guint                 *counts,
                                                         guint                  n);
/* The arrow to the i-th object held, or NULL when it has none */
const HsLayoutEdge       *hs_holder_box_get_arrow       (const HsHolderBox     *box,
                                                         guint                  i);
/* The "×N" beside that arrow's head, and where; NULL when the box holds
 * the object once or the arrow is not drawn */
const char               *hs_holder_box_get_times       (const HsHolderBox     *box,
                                                         guint                  i,
                                                         HsRect                *rect);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsLayoutHolders, hs_layout_holders_free)

G_END_DECLS
