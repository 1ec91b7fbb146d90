/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include <math.h>

#include "hs-layout-path.h"

/* Where a quarter turn's controls stand, as a share of the way from
 * its ends to its corner: close to a circle's arc */
#define CORNER_PULL 0.55

void
hs_layout_path_curve_to (GArray *path,
                         double  x1,
                         double  y1,
                         double  x2,
                         double  y2,
                         double  x,
                         double  y)
{
  HsPoint p[3] = { { x1, y1 }, { x2, y2 }, { x, y } };

  g_return_if_fail (path != NULL);

  g_array_append_vals (path, p, 3);
}

HsPoint
hs_layout_path_end (GArray *path)
{
  g_assert (path != NULL && path->len > 0);

  return g_array_index (path, HsPoint, path->len - 1);
}

void
hs_layout_path_line_to (GArray *path,
                        double  x,
                        double  y)
{
  HsPoint p = hs_layout_path_end (path);

  if (fabs (p.x - x) < 0.01 && fabs (p.y - y) < 0.01)
    return;
  hs_layout_path_curve_to (path, p.x + (x - p.x) / 3, p.y + (y - p.y) / 3,
                           p.x + 2 * (x - p.x) / 3, p.y + 2 * (y - p.y) / 3, x, y);
}

void
hs_layout_path_corner_to (GArray *path,
                          double  cx,
                          double  cy,
                          double  x,
                          double  y)
{
  HsPoint p = hs_layout_path_end (path);

  hs_layout_path_curve_to (path, p.x + (cx - p.x) * CORNER_PULL, p.y + (cy - p.y) * CORNER_PULL,
                           x + (cx - x) * CORNER_PULL, y + (cy - y) * CORNER_PULL, x, y);
}

void
hs_layout_corners_add (GArray        *corners,
                       const HsPoint *q,
                       guint          first)
{
  guint len;

  g_return_if_fail (corners != NULL && q != NULL);

  len = corners->len;
  if (len > first)
    {
      const HsPoint *a = &g_array_index (corners, HsPoint, len - 1);

      if (fabs (a->x - q->x) < 0.01 && fabs (a->y - q->y) < 0.01)
        return;
    }
  if (len >= first + 2)
    {
      const HsPoint *a = &g_array_index (corners, HsPoint, len - 2);
      HsPoint *b = &g_array_index (corners, HsPoint, len - 1);

      if ((fabs (a->x - b->x) < 0.01 && fabs (b->x - q->x) < 0.01) ||
          (fabs (a->y - b->y) < 0.01 && fabs (b->y - q->y) < 0.01))
        {
          *b = *q;
          return;
        }
    }
  g_array_append_val (corners, *q);
}

void
hs_layout_edge_set_curves (HsLayoutEdge  *edge,
                           const HsPoint *points,
                           guint          n_points)
{
  g_return_if_fail (edge != NULL && points != NULL);
  g_return_if_fail (n_points >= 4 && (n_points - 1) % 3 == 0);

  edge->path = points;
  edge->n_curves = (n_points - 1) / 3;
  edge->x[0] = points[0].x, edge->y[0] = points[0].y;
  edge->x[1] = points[1].x, edge->y[1] = points[1].y;
  edge->x[2] = points[n_points - 2].x, edge->y[2] = points[n_points - 2].y;
  edge->x[3] = points[n_points - 1].x, edge->y[3] = points[n_points - 1].y;
}
