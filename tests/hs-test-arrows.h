/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the tests of arrows share: whether two arrows run along each
 * other, so that a reader cannot tell them apart.
 */
#pragma once

#include <math.h>

#include "hs-layout.h"

G_BEGIN_DECLS

/* Whether curve q is a straight run: upright (TRUE into *upright) or
 * level, its ends into *a and *b */
static inline gboolean
hs_test_straight_run (const HsPoint *q,
                      gboolean      *upright,
                      HsPoint       *a,
                      HsPoint       *b)
{
  *a = q[0];
  *b = q[3];
  if (fabs (q[0].x - q[3].x) < 0.01 && fabs (q[1].x - q[0].x) < 0.01 && fabs (q[2].x - q[0].x) < 0.01)
    *upright = TRUE;
  else if (fabs (q[0].y - q[3].y) < 0.01 && fabs (q[1].y - q[0].y) < 0.01 && fabs (q[2].y - q[0].y) < 0.01)
    *upright = FALSE;
  else
    return FALSE;
  return TRUE;
}

static inline gboolean
hs_test_point_within (const HsRect  *r,
                      const HsPoint *p)
{
  return p->x >= r->x && p->x <= r->x + r->width && p->y >= r->y && p->y <= r->y + r->height;
}

/* The longest stretch along which straight runs of ea and eb stand less
 * than a unit apart, other than within cover (or NULL), into *from and
 * *to; its length.  Arrows that run along each other for more than a gap
 * between boxes (14 units) read as one. */
static inline double
hs_test_arrows_run_along (const HsLayoutEdge *ea,
                          const HsLayoutEdge *eb,
                          const HsRect       *cover,
                          HsPoint            *from,
                          HsPoint            *to)
{
  double longest = 0;

  for (guint k = 0; k < ea->n_curves; k++)
    for (guint l = 0; l < eb->n_curves; l++)
      {
        HsPoint a0, a1, b0, b1, f = { 0 }, t = { 0 };
        gboolean ua, ub;
        double overlap = 0;

        if (!hs_test_straight_run (&ea->path[3 * k], &ua, &a0, &a1) ||
            !hs_test_straight_run (&eb->path[3 * l], &ub, &b0, &b1) || ua != ub)
          continue;
        if (ua && fabs (a0.x - b0.x) < 1)
          {
            f = (HsPoint) { a0.x, MAX (MIN (a0.y, a1.y), MIN (b0.y, b1.y)) };
            t = (HsPoint) { a0.x, MIN (MAX (a0.y, a1.y), MAX (b0.y, b1.y)) };
            overlap = t.y - f.y;
          }
        else if (!ua && fabs (a0.y - b0.y) < 1)
          {
            f = (HsPoint) { MAX (MIN (a0.x, a1.x), MIN (b0.x, b1.x)), a0.y };
            t = (HsPoint) { MIN (MAX (a0.x, a1.x), MAX (b0.x, b1.x)), a0.y };
            overlap = t.x - f.x;
          }
        if (overlap <= longest || (cover != NULL && hs_test_point_within (cover, &f) && hs_test_point_within (cover, &t)))
          continue;
        longest = overlap;
        *from = f;
        *to = t;
      }
  return longest;
}

G_END_DECLS
