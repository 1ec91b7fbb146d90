/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Arrows from a box drawn over the layout that is none of its boxes,
 * routed by the layout's router (hs-layout-route.c) to objects where
 * the layout places them: the frame the view pins over its corner, which
 * moves with the view, and the boxes of hidden holders under the picture
 * (hs-layout-holders.c).  Their ways are searched around every box in
 * view and around the source itself; their lanes and corners are the
 * layout's arrows'.
 */
#pragma once

#include <glib.h>

#include "hs-layout.h"

G_BEGIN_DECLS

typedef struct _HsLayoutOverlayArrows HsLayoutOverlayArrows;

/* Routes the arrows of frame, a box of layout, drawn with its top left
 * corner at (x, y); view is what is in sight, in layout units.  A name
 * whose object has no side free to arrive at, because the copy or other
 * boxes cover it, gets no arrow. */
HsLayoutOverlayArrows *hs_layout_overlay_arrows_new_from_frame (HsLayout                    *layout,
                                                                const HsLayoutBox           *frame,
                                                                double                       x,
                                                                double                       y,
                                                                const HsRect                *view);
/* A box drawn over the layout that is none of its boxes, and the arrows
 * it draws: from each of starts, on its outline, leaving it straight
 * out, to the object targets[i] */
typedef struct
{
  HsRect         rect;
  const HsPoint *starts;
  const guint32 *targets;
  guint          n_starts;
} HsLayoutOverlaySource;

/* Routes the arrows of sources the same way, all together, so that they
 * keep apart; others are more such boxes to keep clear of.  Each edge's
 * source is the index of its source, and its row the index of its start
 * there; from_frame is FALSE. */
HsLayoutOverlayArrows *hs_layout_overlay_arrows_new_from_boxes (HsLayout                    *layout,
                                                                const HsLayoutOverlaySource *sources,
                                                                guint                        n_sources,
                                                                const HsRect                *others,
                                                                guint                        n_others,
                                                                const HsRect                *view);
void                   hs_layout_overlay_arrows_free           (HsLayoutOverlayArrows       *self);

/* Whether self was routed for these arguments */
gboolean               hs_layout_overlay_arrows_matches        (const HsLayoutOverlayArrows *self,
                                                                HsLayout                    *layout,
                                                                double                       x,
                                                                double                       y,
                                                                const HsRect                *view);

/* One arrow per routed start: for a frame, from_frame, source the
 * frame's box, row the name's row, and path the whole way from the
 * pinned slot */
const HsLayoutEdge    *hs_layout_overlay_arrows_get_edges      (const HsLayoutOverlayArrows *self,
                                                                guint                       *n_edges);

/* The pinned copy's rectangle, or the first source's, as the arrows
 * avoid it */
void                   hs_layout_overlay_arrows_get_rect       (const HsLayoutOverlayArrows *self,
                                                                HsRect                      *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsLayoutOverlayArrows, hs_layout_overlay_arrows_free)

G_END_DECLS
