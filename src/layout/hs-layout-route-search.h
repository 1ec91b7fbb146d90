/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The router's search (hs-layout-route.c): the cheapest orthogonal way
 * from where an arrow leaves its source to one of the points where it
 * may arrive, around areas it must keep out of.  A* on a sparse grid
 * through the areas' outlines: a way costs its length, BEND_COST for
 * each turn, and SHARED_COST times the length it runs along a run taken
 * before, or nearer to one than NEAR, where it would seem the same.  Not
 * installed, not for callers outside src/layout.
 */
#pragma once

#include <glib.h>

#include "hs-layout.h"

G_BEGIN_DECLS

/* Ways out of a node, and into an arrival */
typedef enum
{
  HS_ROUTE_RIGHT,
  HS_ROUTE_DOWN,
  HS_ROUTE_LEFT,
  HS_ROUTE_UP,
} HsRouteDir;

/* An area a way keeps out of, its clearance included: a way may run
 * along its outline, not inside it */
typedef struct
{
  double x0, y0, x1, y1;
} HsRouteArea;

/* Where a way may end: the point on the object's outline (at), the
 * point just outside it the way reaches first (outside), the way it
 * then moves, and what arriving there costs beyond the way's length */
typedef struct
{
  HsPoint    at;
  HsPoint    outside;
  HsRouteDir dir;
  double     cost;
} HsRouteArrival;

typedef struct _HsRouteGrid HsRouteGrid;

/* A grid through the outlines of areas, and through the extra levels
 * (ys) and uprights (xs) given: every way out and in must lie on it */
HsRouteGrid *hs_route_grid_new         (const HsRouteArea    *areas,
                                        guint                 n_areas,
                                        GArray               *xs,
                                        GArray               *ys);
void         hs_route_grid_free        (HsRouteGrid          *grid);

/* The cheapest way from start, reached from slot moving dir, to one of
 * arrivals: its corners, slot first and the arrival's point last, into
 * corners; the arrival's index, or -1 where there is none. */
int          hs_route_grid_search      (HsRouteGrid          *grid,
                                        const HsPoint        *slot,
                                        const HsPoint        *start,
                                        HsRouteDir            dir,
                                        const HsRouteArrival *arrivals,
                                        guint                 n_arrivals,
                                        GArray               *corners);

/* Counts the runs through corners as taken, so the ways searched after
 * keep apart from them */
void         hs_route_grid_take        (HsRouteGrid          *grid,
                                        const HsPoint        *corners,
                                        guint                 n_corners);

/* How far a run may move across itself before it meets one of areas:
 * an upright one (level FALSE) at x = at from y = from to to, or a level
 * one at y = at from x = from to to; into *lo and *hi, at included */
void         hs_route_free_span        (const HsRouteArea    *areas,
                                        guint                 n_areas,
                                        gboolean              level,
                                        double                at,
                                        double                from,
                                        double                to,
                                        double               *lo,
                                        double               *hi);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsRouteGrid, hs_route_grid_free)

G_END_DECLS
