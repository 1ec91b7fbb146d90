/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The arrows of a frame pinned over the view's corner, from its names to
 * their objects where the layout places them, routed around every box in
 * view and around the pinned copy itself: a path of horizontal and
 * vertical runs along the gaps between boxes, with rounded turns.  The
 * layout's own router cannot serve, since the copy stands where no box of
 * the layout is, and moves with the view.  The boxes of hidden holders,
 * which the view draws under the picture, route their arrows here too.
 */
#pragma once

#include <glib.h>

#include "hs-layout.h"

G_BEGIN_DECLS

typedef struct _HsPinnedRoute HsPinnedRoute;

/* Routes the arrows of frame, a box of layout, drawn with its top left
 * corner at (x, y); view is what is in sight, in layout units.  A name
 * whose object has no side free to arrive at, because the copy or other
 * boxes cover it, gets no arrow. */
HsPinnedRoute      *hs_pinned_route_new       (HsLayout            *layout,
                                               const HsLayoutBox   *frame,
                                               double               x,
                                               double               y,
                                               const HsRect        *view);
/* Routes arrows the same way from a box drawn over the layout that is
 * not one of its boxes (source), from each of starts, on source's
 * outline and leaving it straight out, to the object targets[i];
 * others are more such boxes to keep clear of.  Each edge's row is the
 * index of its start; from_frame is FALSE and source G_MAXUINT. */
HsPinnedRoute      *hs_pinned_route_new_from_box (HsLayout        *layout,
                                                  const HsRect    *source,
                                                  const HsPoint   *starts,
                                                  const guint32   *targets,
                                                  guint            n_starts,
                                                  const HsRect    *others,
                                                  guint            n_others,
                                                  const HsRect    *view);
void                hs_pinned_route_free      (HsPinnedRoute       *self);

/* Whether self was routed for these arguments */
gboolean            hs_pinned_route_matches   (const HsPinnedRoute *self,
                                               HsLayout            *layout,
                                               double               x,
                                               double               y,
                                               const HsRect        *view);

/* One arrow per routed name: from_frame, source the frame's box, row the
 * name's row, and path the whole way from the pinned slot. */
const HsLayoutEdge *hs_pinned_route_get_edges (const HsPinnedRoute *self,
                                               guint               *n_edges);

/* The pinned copy's rectangle, as the arrows avoid it */
void                hs_pinned_route_get_rect  (const HsPinnedRoute *self,
                                               HsRect              *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsPinnedRoute, hs_pinned_route_free)

G_END_DECLS
