/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The path primitives the router of src/layout draws with: an arrow's
 * path is cubic Béziers one after another in a GArray of HsPoint (the
 * start, then each curve's two controls and its end), with straight
 * runs as curves too and quarter turns rounded.  Not installed, not for
 * callers outside src/layout.
 */
#pragma once

#include <glib.h>

#include "hs-layout.h"

G_BEGIN_DECLS

void    hs_layout_path_curve_to  (GArray        *path,
                                  double         x1,
                                  double         y1,
                                  double         x2,
                                  double         y2,
                                  double         x,
                                  double         y);
/* A straight run from the path's end, unless it has no length */
void    hs_layout_path_line_to   (GArray        *path,
                                  double         x,
                                  double         y);
HsPoint hs_layout_path_end       (GArray        *path);
/* A quarter turn from the path's end, about the corner (cx, cy), to
 * (x, y): the controls stand 0.45 of the way from the corner */
void    hs_layout_path_corner_to (GArray        *path,
                                  double         cx,
                                  double         cy,
                                  double         x,
                                  double         y);
/* Appends q to corners, an orthogonal polyline from corners[first] on:
 * nothing where q is the last corner, and in place of the last where
 * that stands on the straight run to q */
void    hs_layout_corners_add    (GArray        *corners,
                                  const HsPoint *q,
                                  guint          first);
/* Makes points, 1 + 3 * n points, edge's path, and sets its ends and
 * their tangents from it; points must outlive edge */
void    hs_layout_edge_set_curves (HsLayoutEdge  *edge,
                                   const HsPoint *points,
                                   guint          n_points);

G_END_DECLS
