/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include <math.h>

#include "hs-layout-path.h"
#include "hs-layout-route-search.h"

/* A turn costs as much as this much length: few turns read best */
#define BEND_COST   30.0
/* A run another arrow takes already costs this many times more */
#define SHARED_COST 10.0
/* Runs nearer than this look like one */
#define NEAR        3.0

enum { RIGHT = HS_ROUTE_RIGHT, DOWN = HS_ROUTE_DOWN, LEFT = HS_ROUTE_LEFT, UP = HS_ROUTE_UP };

/* The lines of the grid, and which nodes and runs between neighbours no
 * area blocks */
struct _HsRouteGrid
{
  GArray *xs;
  GArray *ys;
  guint   nx, ny;
  guint8 *node_blocked;
  guint8 *h_blocked;    /* (i, j) to (i + 1, j) */
  guint8 *v_blocked;    /* (i, j) to (i, j + 1) */
  guint8 *h_used;       /* how many arrows run there */
  guint8 *v_used;
  /* A search's cost and way to each state (node × direction), valid
   * where stamp holds that search's number: no search clears them */
  double *cost;
  guint  *from;
  guint  *stamp;
  guint   searches;
};

typedef HsRouteGrid Grid;
typedef HsRouteArea Area;

typedef struct
{
  double f;
  double g;
  guint  state;
} Open;

/* The index of the first line at or after v */
static guint
first_line_from (GArray *values,
                 double  v)
{
  guint lo = 0, hi = values->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (values, double, mid) < v)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The index of the line at v, which the grid has */
static guint
line_at (GArray *values,
         double  v)
{
  g_assert (values != NULL && values->len > 0);

  return MIN (first_line_from (values, v - 0.01), values->len - 1);
}

static void
grid_block (Grid       *grid,
            const Area *a)
{
  guint ix0, ix1, iy0, iy1;

  g_assert (grid != NULL && a != NULL);

  ix0 = line_at (grid->xs, a->x0);
  ix1 = line_at (grid->xs, a->x1);
  iy0 = line_at (grid->ys, a->y0);
  iy1 = line_at (grid->ys, a->y1);
  /* Strictly inside: the cleared outline itself stays open */
  for (guint j = iy0; j <= iy1 && j < grid->ny; j++)
    for (guint i = ix0; i <= ix1 && i < grid->nx; i++)
      {
        guint n = j * grid->nx + i;
        gboolean in_x = i > ix0 && i < ix1, in_y = j > iy0 && j < iy1;

        if (in_x && in_y)
          grid->node_blocked[n] = 1;
        if (in_y && i < ix1)
          grid->h_blocked[n] = 1;
        if (in_x && j < iy1)
          grid->v_blocked[n] = 1;
      }
}

static void
heap_push (GArray *heap,
           double  f,
           double  g,
           guint   state)
{
  Open item = { f, g, state };
  guint i;

  g_array_append_val (heap, item);
  for (i = heap->len - 1; i > 0; )
    {
      guint parent = (i - 1) / 2;
      Open *a = &g_array_index (heap, Open, parent), *b = &g_array_index (heap, Open, i);

      if (a->f <= b->f)
        break;
      item = *a, *a = *b, *b = item;
      i = parent;
    }
}

static Open
heap_pop (GArray *heap)
{
  Open top = g_array_index (heap, Open, 0), item;
  guint i = 0;

  g_array_index (heap, Open, 0) = g_array_index (heap, Open, heap->len - 1);
  g_array_set_size (heap, heap->len - 1);
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;

      if (l < heap->len && g_array_index (heap, Open, l).f < g_array_index (heap, Open, m).f)
        m = l;
      if (r < heap->len && g_array_index (heap, Open, r).f < g_array_index (heap, Open, m).f)
        m = r;
      if (m == i)
        break;
      item = g_array_index (heap, Open, m);
      g_array_index (heap, Open, m) = g_array_index (heap, Open, i);
      g_array_index (heap, Open, i) = item;
      i = m;
    }
  return top;
}

/* The neighbour of node n in direction dir, and the run's length and
 * how many arrows take it; FALSE when a box blocks the way */
static gboolean
step_from (const Grid *grid,
           guint       n,
           int         dir,
           guint      *next,
           double     *length,
           guint      *used)
{
  guint i = n % grid->nx, j = n / grid->nx, e;

  g_assert (grid != NULL);

  switch (dir)
    {
    case RIGHT:
      if (i + 1 >= grid->nx || grid->h_blocked[e = n])
        return FALSE;
      *next = n + 1;
      break;
    case LEFT:
      if (i == 0 || grid->h_blocked[e = n - 1])
        return FALSE;
      *next = n - 1;
      break;
    case DOWN:
      if (j + 1 >= grid->ny || grid->v_blocked[e = n])
        return FALSE;
      *next = n + grid->nx;
      break;
    case UP:
    default:
      if (j == 0 || grid->v_blocked[e = n - grid->nx])
        return FALSE;
      *next = n - grid->nx;
      break;
    }
  if (grid->node_blocked[*next])
    return FALSE;
  if (dir == RIGHT || dir == LEFT)
    {
      *length = fabs (g_array_index (grid->xs, double, *next % grid->nx) - g_array_index (grid->xs, double, i));
      *used = grid->h_used[e];
    }
  else
    {
      *length = fabs (g_array_index (grid->ys, double, *next / grid->nx) - g_array_index (grid->ys, double, j));
      *used = grid->v_used[e];
    }
  return TRUE;
}

static double
node_x (const Grid *grid,
        guint       n)
{
  return g_array_index (grid->xs, double, n % grid->nx);
}

static double
node_y (const Grid *grid,
        guint       n)
{
  return g_array_index (grid->ys, double, n / grid->nx);
}

/* The cheapest way from start, left moving start_dir, to one of the
 * arrivals (at nodes[k]); returns the nodes in order and sets *arrival,
 * or NULL */
static GArray *
search (Grid                 *grid,
        guint                 start,
        int                   start_dir,
        const HsRouteArrival *arrivals,
        const guint          *nodes_of,
        guint                 n_arrivals,
        guint                *arrival)
{
  double *cost = grid->cost;
  guint *from = grid->from, *stamp = grid->stamp, now = ++grid->searches;
  g_autoptr(GArray) heap = g_array_new (FALSE, FALSE, sizeof (Open));
  double best = INFINITY;
  guint best_state = G_MAXUINT;
  GArray *nodes;

  g_assert (grid != NULL && arrivals != NULL && arrival != NULL);

  stamp[start * 4 + start_dir] = now;
  cost[start * 4 + start_dir] = 0;
  from[start * 4 + start_dir] = G_MAXUINT;
  heap_push (heap, 0, 0, start * 4 + start_dir);

  while (heap->len > 0)
    {
      Open top = heap_pop (heap);
      guint n = top.state / 4;
      int dir = top.state % 4;
      double g = top.g;

      if (top.f >= best)
        break;
      /* a cheaper way here was found after this one was queued */
      if (g > cost[top.state])
        continue;
      for (guint k = 0; k < n_arrivals; k++)
        if (nodes_of[k] == n)
          {
            double total = g + arrivals[k].cost + (dir != (int) arrivals[k].dir ? BEND_COST : 0);

            if (total < best)
              {
                best = total;
                best_state = top.state;
                *arrival = k;
              }
          }
      for (int d = 0; d < 4; d++)
        {
          guint next, used;
          double length, h = INFINITY, c;

          if (d == (dir + 2) % 4 || !step_from (grid, n, d, &next, &length, &used))
            continue;
          c = g + length * (1 + SHARED_COST * used) + (d != dir ? BEND_COST : 0);
          if (stamp[next * 4 + d] == now && c >= cost[next * 4 + d])
            continue;
          stamp[next * 4 + d] = now;
          cost[next * 4 + d] = c;
          from[next * 4 + d] = top.state;
          for (guint k = 0; k < n_arrivals; k++)
            h = MIN (h, fabs (arrivals[k].outside.x - node_x (grid, next)) +
                        fabs (arrivals[k].outside.y - node_y (grid, next)));
          heap_push (heap, c + h, c, next * 4 + d);
        }
    }
  if (best_state == G_MAXUINT)
    return NULL;

  /* from the arrival back to the start, then turned round */
  nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint s = best_state; s != G_MAXUINT; s = from[s])
    {
      guint n = s / 4;

      g_array_append_val (nodes, n);
    }
  for (guint a = 0, b = nodes->len - 1; a < b; a++, b--)
    {
      guint t = g_array_index (nodes, guint, a);

      g_array_index (nodes, guint, a) = g_array_index (nodes, guint, b);
      g_array_index (nodes, guint, b) = t;
    }
  return nodes;
}

void
hs_route_grid_take (HsRouteGrid   *grid,
                    const HsPoint *corners,
                    guint          n_corners)
{
  g_return_if_fail (grid != NULL);
  g_return_if_fail (n_corners == 0 || corners != NULL);

  for (guint k = 0; k + 1 < n_corners; k++)
    {
      const HsPoint *a = &corners[k], *b = &corners[k + 1];
      gboolean level = fabs (a->y - b->y) < 0.01;
      /* along the run: the lines it spans; across it: those nearer than NEAR */
      GArray *along = level ? grid->xs : grid->ys, *across = level ? grid->ys : grid->xs;
      double from = level ? MIN (a->x, b->x) : MIN (a->y, b->y), to = level ? MAX (a->x, b->x) : MAX (a->y, b->y);
      double at = level ? a->y : a->x;
      guint n_along = level ? grid->nx : grid->ny;

      if (!level && fabs (a->x - b->x) >= 0.01)
        continue;
      for (guint m = first_line_from (across, at - NEAR + 0.01);
           m < across->len && g_array_index (across, double, m) < at + NEAR - 0.01; m++)
        /* every run between neighbouring lines that the stretch overlaps */
        for (guint l = MAX (first_line_from (along, from + 0.01), 1) - 1;
             l + 1 < n_along && g_array_index (along, double, l) < to - 0.01; l++)
          {
            guint n = level ? m * grid->nx + l : l * grid->nx + m;
            guint8 *used = level ? grid->h_used : grid->v_used;

            used[n] = MIN (used[n] + 1, 200);
          }
    }
}

HsRouteGrid *
hs_route_grid_new (const HsRouteArea *areas,
                   guint              n_areas,
                   GArray            *xs,
                   GArray            *ys)
{
  Grid *grid;

  g_return_val_if_fail (n_areas == 0 || areas != NULL, NULL);
  g_return_val_if_fail (xs != NULL && ys != NULL, NULL);

  grid = g_new0 (Grid, 1);
  grid->xs = g_array_copy (xs);
  grid->ys = g_array_copy (ys);
  for (guint i = 0; i < n_areas; i++)
    {
      g_array_append_vals (grid->xs, (double[]) { areas[i].x0, areas[i].x1 }, 2);
      g_array_append_vals (grid->ys, (double[]) { areas[i].y0, areas[i].y1 }, 2);
    }
  if (grid->xs->len == 0 || grid->ys->len == 0)
    {
      double zero = 0;

      g_array_append_val (grid->xs, zero);
      g_array_append_val (grid->ys, zero);
    }
  hs_layout_sort_unique (grid->xs, 0.01);
  hs_layout_sort_unique (grid->ys, 0.01);
  grid->nx = grid->xs->len;
  grid->ny = grid->ys->len;
  grid->node_blocked = g_new0 (guint8, grid->nx * grid->ny);
  grid->h_blocked = g_new0 (guint8, grid->nx * grid->ny);
  grid->v_blocked = g_new0 (guint8, grid->nx * grid->ny);
  grid->h_used = g_new0 (guint8, grid->nx * grid->ny);
  grid->v_used = g_new0 (guint8, grid->nx * grid->ny);
  grid->cost = g_new (double, grid->nx * grid->ny * 4);
  grid->from = g_new (guint, grid->nx * grid->ny * 4);
  grid->stamp = g_new0 (guint, grid->nx * grid->ny * 4);
  for (guint i = 0; i < n_areas; i++)
    grid_block (grid, &areas[i]);
  return grid;
}

void
hs_route_grid_free (HsRouteGrid *grid)
{
  if (grid == NULL)
    return;
  g_clear_pointer (&grid->xs, g_array_unref);
  g_clear_pointer (&grid->ys, g_array_unref);
  g_free (grid->node_blocked);
  g_free (grid->h_blocked);
  g_free (grid->v_blocked);
  g_free (grid->h_used);
  g_free (grid->v_used);
  g_free (grid->cost);
  g_free (grid->from);
  g_free (grid->stamp);
  g_free (grid);
}

int
hs_route_grid_search (HsRouteGrid          *grid,
                      const HsPoint        *slot,
                      const HsPoint        *start,
                      HsRouteDir            dir,
                      const HsRouteArrival *arrivals,
                      guint                 n_arrivals,
                      GArray               *corners)
{
  g_autofree guint *nodes_of = NULL;
  g_autoptr(GArray) nodes = NULL;
  guint from, arrival = 0, first;

  g_return_val_if_fail (grid != NULL && slot != NULL && start != NULL, -1);
  g_return_val_if_fail (n_arrivals == 0 || arrivals != NULL, -1);
  g_return_val_if_fail (corners != NULL, -1);

  if (n_arrivals == 0)
    return -1;
  from = line_at (grid->ys, start->y) * grid->nx + line_at (grid->xs, start->x);
  if (grid->node_blocked[from])
    return -1;
  nodes_of = g_new (guint, n_arrivals);
  for (guint k = 0; k < n_arrivals; k++)
    nodes_of[k] = line_at (grid->ys, arrivals[k].outside.y) * grid->nx + line_at (grid->xs, arrivals[k].outside.x);
  nodes = search (grid, from, dir, arrivals, nodes_of, n_arrivals, &arrival);
  if (nodes == NULL)
    return -1;
  first = corners->len;
  g_array_append_val (corners, *slot);
  for (guint k = 0; k < nodes->len; k++)
    {
      guint n = g_array_index (nodes, guint, k);
      HsPoint q = { node_x (grid, n), node_y (grid, n) };

      hs_layout_corners_add (corners, &q, first);
    }
  hs_layout_corners_add (corners, &arrivals[arrival].at, first);
  return arrival;
}

void
hs_route_free_span (const HsRouteArea *areas,
                    guint              n_areas,
                    gboolean           level,
                    double             at,
                    double             from,
                    double             to,
                    double            *lo,
                    double            *hi)
{
  double start = MIN (from, to), end = MAX (from, to);

  g_return_if_fail (n_areas == 0 || areas != NULL);
  g_return_if_fail (lo != NULL && hi != NULL);

  *lo = -G_MAXDOUBLE;
  *hi = G_MAXDOUBLE;
  for (guint i = 0; i < n_areas; i++)
    {
      /* seen along the run: its extent, and across it */
      double a0 = level ? areas[i].x0 : areas[i].y0, a1 = level ? areas[i].x1 : areas[i].y1;
      double c0 = level ? areas[i].y0 : areas[i].x0, c1 = level ? areas[i].y1 : areas[i].x1;

      /* An area the run's ends only touch leaves it free, as the grid
       * keeps outlines open */
      if (a1 <= start + 0.01 || a0 >= end - 0.01)
        continue;
      if (c1 <= at + 0.01)
        *lo = MAX (*lo, c1);
      else if (c0 >= at - 0.01)
        *hi = MIN (*hi, c0);
    }
  *lo = MIN (*lo, at);
  *hi = MAX (*hi, at);
}
