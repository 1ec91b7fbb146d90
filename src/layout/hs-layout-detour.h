/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Detours: arrows from a box drawn over the layout, which is not one of
 * its boxes, to objects where the layout places them, routed around
 * every box in view and around the source itself.  A path is horizontal
 * and vertical runs along the gaps between boxes, found by A* on a
 * sparse grid through the boxes' cleared outlines, with rounded turns.
 * The layout's own router (hs-layout-route.c) cannot serve, since these
 * sources stand where no box of the layout is: the frame the view pins
 * over its corner, which moves with the view, and the boxes of hidden
 * holders under the picture (hs-layout-holders.c).
 */
#pragma once

#include <glib.h>

#include "hs-layout.h"

G_BEGIN_DECLS

typedef struct _HsLayoutDetour HsLayoutDetour;

/* Routes the arrows of frame, a box of layout, drawn with its top left
 * corner at (x, y); view is what is in sight, in layout units.  A name
 * whose object has no side free to arrive at, because the copy or other
 * boxes cover it, gets no arrow. */
HsLayoutDetour      *hs_layout_detour_new_from_frame       (HsLayout            *layout,
                                               const HsLayoutBox   *frame,
                                               double               x,
                                               double               y,
                                               const HsRect        *view);
/* Routes arrows the same way from a box drawn over the layout that is
 * not one of its boxes (source), from each of starts, on source's
 * outline and leaving it straight out, to the object targets[i];
 * others are more such boxes to keep clear of.  Each edge's row is the
 * index of its start; from_frame is FALSE and source G_MAXUINT. */
HsLayoutDetour      *hs_layout_detour_new_from_box (HsLayout        *layout,
                                                  const HsRect    *source,
                                                  const HsPoint   *starts,
                                                  const guint32   *targets,
                                                  guint            n_starts,
                                                  const HsRect    *others,
                                                  guint            n_others,
                                                  const HsRect    *view);
void                hs_layout_detour_free      (HsLayoutDetour       *self);

/* Whether self was routed for these arguments */
gboolean            hs_layout_detour_matches   (const HsLayoutDetour *self,
                                               HsLayout            *layout,
                                               double               x,
                                               double               y,
                                               const HsRect        *view);

/* One arrow per routed name: from_frame, source the frame's box, row the
 * name's row, and path the whole way from the pinned slot. */
const HsLayoutEdge *hs_layout_detour_get_edges (const HsLayoutDetour *self,
                                               guint               *n_edges);

/* The pinned copy's rectangle, as the arrows avoid it */
void                hs_layout_detour_get_rect  (const HsLayoutDetour *self,
                                               HsRect              *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsLayoutDetour, hs_layout_detour_free)

G_END_DECLS
