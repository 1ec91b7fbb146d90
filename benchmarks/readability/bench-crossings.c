/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-bench-crossings"

#include "config.h"

#include <math.h>

#include "bench-crossings.h"

/* How far outside a shared end box two arrows may still meet "at it":
 * an arrowhead's tip lies on the box's border, give or take rounding */
#define TOUCH 1.0

typedef struct
{
  double x0, y0, x1, y1;
} Bounds;

void
bench_path_init (BenchPath *path,
                 guint      source,
                 guint      target)
{
  g_return_if_fail (path != NULL);

  path->source = source;
  path->target = target;
  path->points = g_array_new (FALSE, FALSE, sizeof (BenchPoint));
}

void
bench_path_clear (BenchPath *path)
{
  g_return_if_fail (path != NULL);

  g_clear_pointer (&path->points, g_array_unref);
}

void
bench_path_add_point (BenchPath  *path,
                      BenchPoint  p)
{
  g_return_if_fail (path != NULL && path->points != NULL);

  g_array_append_val (path->points, p);
}

void
bench_path_break (BenchPath *path)
{
  BenchPoint gap = { NAN, NAN };

  g_return_if_fail (path != NULL && path->points != NULL);

  if (path->points->len > 0 && !isnan (g_array_index (path->points, BenchPoint, path->points->len - 1).x))
    g_array_append_val (path->points, gap);
}

void
bench_path_add_cubic (BenchPath  *path,
                      BenchPoint  p0,
                      BenchPoint  c1,
                      BenchPoint  c2,
                      BenchPoint  p3)
{
  GArray *points;
  guint len;

  g_return_if_fail (path != NULL && path->points != NULL);

  points = path->points;
  len = points->len;
  if (len == 0 || g_array_index (points, BenchPoint, len - 1).x != p0.x
      || g_array_index (points, BenchPoint, len - 1).y != p0.y)
    g_array_append_val (points, p0);
  for (guint i = 1; i <= BENCH_CURVE_SEGMENTS; i++)
    {
      double t = (double) i / BENCH_CURVE_SEGMENTS, u = 1 - t;
      BenchPoint p;

      if (i == BENCH_CURVE_SEGMENTS)
        p = p3;   /* exactly, so that the next curve joins it */
      else
        {
          p.x = u * u * u * p0.x + 3 * u * u * t * c1.x + 3 * u * t * t * c2.x + t * t * t * p3.x;
          p.y = u * u * u * p0.y + 3 * u * u * t * c1.y + 3 * u * t * t * c2.y + t * t * t * p3.y;
        }
      g_array_append_val (points, p);
    }
}

static double
orient (BenchPoint a,
        BenchPoint b,
        BenchPoint c)
{
  return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

/* p, collinear with a and b, lies between them */
static gboolean
between (BenchPoint a,
         BenchPoint b,
         BenchPoint p)
{
  return p.x >= MIN (a.x, b.x) && p.x <= MAX (a.x, b.x)
         && p.y >= MIN (a.y, b.y) && p.y <= MAX (a.y, b.y);
}

static gboolean
inside_any (BenchPoint       p,
            const BenchRect *shared[],
            guint            n_shared)
{
  for (guint k = 0; k < n_shared; k++)
    {
      const BenchRect *r = shared[k];

      if (p.x >= r->x - TOUCH && p.x <= r->x + r->width + TOUCH
          && p.y >= r->y - TOUCH && p.y <= r->y + r->height + TOUCH)
        return TRUE;
    }
  return FALSE;
}

/* Whether segments ab and cd have a point in common outside the shared
 * boxes.  Touching and overlapping count as meeting: arrows that run
 * along one another cannot be told apart either. */
static gboolean
segments_meet (BenchPoint       a,
               BenchPoint       b,
               BenchPoint       c,
               BenchPoint       d,
               const BenchRect *shared[],
               guint            n_shared)
{
  double d1 = orient (c, d, a), d2 = orient (c, d, b);
  double d3 = orient (a, b, c), d4 = orient (a, b, d);
  BenchPoint touch[5];
  guint n_touch = 0;

  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
    {
      double t = d1 / (d1 - d2);
      BenchPoint p = { a.x + t * (b.x - a.x), a.y + t * (b.y - a.y) };

      return !inside_any (p, shared, n_shared);
    }

  if (d1 == 0 && between (c, d, a))
    touch[n_touch++] = a;
  if (d2 == 0 && between (c, d, b))
    touch[n_touch++] = b;
  if (d3 == 0 && between (a, b, c))
    touch[n_touch++] = c;
  if (d4 == 0 && between (a, b, d))
    touch[n_touch++] = d;
  /* An overlap may leave one shared box and enter the other */
  if (n_touch >= 2)
    touch[n_touch++] = (BenchPoint) { (touch[0].x + touch[1].x) / 2, (touch[0].y + touch[1].y) / 2 };
  for (guint k = 0; k < n_touch; k++)
    if (!inside_any (touch[k], shared, n_shared))
      return TRUE;
  return FALSE;
}

static Bounds
segment_bounds (BenchPoint a,
                BenchPoint b)
{
  return (Bounds) { MIN (a.x, b.x), MIN (a.y, b.y), MAX (a.x, b.x), MAX (a.y, b.y) };
}

static gboolean
bounds_overlap (const Bounds *p,
                const Bounds *q)
{
  return p->x0 <= q->x1 && q->x0 <= p->x1 && p->y0 <= q->y1 && q->y0 <= p->y1;
}

static gboolean
paths_meet (const BenchPath *p,
            const BenchPath *q,
            const Bounds    *q_bounds,
            const BenchRect *boxes,
            guint            n_boxes)
{
  const BenchRect *shared[2];
  guint n_shared = 0;
  const BenchPoint *pp = (const BenchPoint *) p->points->data;
  const BenchPoint *qp = (const BenchPoint *) q->points->data;

  g_assert (p != NULL && q != NULL);

  if (p->source < n_boxes && (p->source == q->source || p->source == q->target))
    shared[n_shared++] = &boxes[p->source];
  if (p->target < n_boxes && p->target != p->source && (p->target == q->source || p->target == q->target))
    shared[n_shared++] = &boxes[p->target];

  for (guint i = 0; i + 1 < p->points->len; i++)
    {
      Bounds s;

      if (isnan (pp[i].x) || isnan (pp[i + 1].x))
        continue;
      s = segment_bounds (pp[i], pp[i + 1]);
      if (!bounds_overlap (&s, q_bounds))
        continue;
      for (guint j = 0; j + 1 < q->points->len; j++)
        {
          Bounds t;

          if (isnan (qp[j].x) || isnan (qp[j + 1].x))
            continue;
          t = segment_bounds (qp[j], qp[j + 1]);
          if (bounds_overlap (&s, &t) && segments_meet (pp[i], pp[i + 1], qp[j], qp[j + 1], shared, n_shared))
            return TRUE;
        }
    }
  return FALSE;
}

static int
compare_left (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const Bounds *bounds = data;
  double x = bounds[*(const guint *) a].x0, y = bounds[*(const guint *) b].x0;

  return x < y ? -1 : x > y;
}

guint
bench_count_crossings (const BenchPath *paths,
                       guint            n_paths,
                       const BenchRect *boxes,
                       guint            n_boxes)
{
  g_autofree Bounds *bounds = g_new (Bounds, n_paths);
  g_autofree guint *order = g_new (guint, n_paths);
  guint count = 0;

  g_return_val_if_fail (paths != NULL || n_paths == 0, 0);
  g_return_val_if_fail (boxes != NULL || n_boxes == 0, 0);

  for (guint i = 0; i < n_paths; i++)
    {
      bounds[i] = (Bounds) { INFINITY, INFINITY, -INFINITY, -INFINITY };
      for (guint k = 0; k < paths[i].points->len; k++)
        {
          BenchPoint p = g_array_index (paths[i].points, BenchPoint, k);

          if (isnan (p.x))
            continue;
          bounds[i].x0 = MIN (bounds[i].x0, p.x);
          bounds[i].y0 = MIN (bounds[i].y0, p.y);
          bounds[i].x1 = MAX (bounds[i].x1, p.x);
          bounds[i].y1 = MAX (bounds[i].y1, p.y);
        }
      order[i] = i;
    }
  /* Sweep left to right: only paths whose spans overlap can meet */
  g_qsort_with_data (order, n_paths, sizeof (guint), compare_left, bounds);
  for (guint a = 0; a < n_paths; a++)
    for (guint b = a + 1; b < n_paths && bounds[order[b]].x0 <= bounds[order[a]].x1; b++)
      {
        guint i = order[a], j = order[b];

        if (bounds_overlap (&bounds[i], &bounds[j])
            && paths_meet (&paths[i], &paths[j], &bounds[j], boxes, n_boxes))
          count++;
      }
  return count;
}
