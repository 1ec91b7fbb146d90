/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include <math.h>

#include "hs-layout-detour.h"
#include "hs-layout-path.h"

/* Kept free around every box, so a run passes beside it, not on it:
 * less than half the layout's gap between boxes, so the gap stays open.
 * Where that leaves a name no way, a narrower one is tried. */
#define CLEARANCE   5.0
#define NARROW      2.5
/* The pinned copy's shadow, below and right of it */
#define SHADOW      5.0
/* Kept free beside the copy's right side and below it */
#define PIN_CLEARANCE 1.5
/* Runs beside the copy's right side, one per name, this far apart */
#define LANE        4.0
/* A turn costs as much as this much length: few turns read best */
#define BEND_COST   30.0
/* A run another arrow takes already costs this many times more */
#define SHARED_COST 3.0
/* Arriving at an object other than at its left side, as the layout's
 * arrows do */
#define SIDE_COST   80.0
/* The radius of a turn, as a share of the clearance: a turn cuts no box */
#define CORNER      0.9

enum { RIGHT, DOWN, LEFT, UP };

typedef struct
{
  double x0, y0, x1, y1;
} Area;

/* Where one arrow leaves its source, the way it leaves, and its object */
typedef struct
{
  HsPoint slot;
  int     dir;
  guint32 target;
} Start;

struct _HsLayoutDetour
{
  HsLayout *layout;
  double    x;
  double    y;
  HsRect    view;
  HsRect    pin;
  gboolean  pinned;   /* from a pinned frame's names, else from a box of the view's own */
  guint     source;   /* the pinned frame's index in the layout */
  GArray   *starts;   /* Start */
  GArray   *others;   /* Area: boxes of the view's own, not the layout's */
  GArray   *edges;    /* HsLayoutEdge */
  GArray   *points;   /* HsPoint: the edges' paths */
  GArray   *offsets;  /* guint: where each edge's path starts in points */
};

/* Where an arrow may arrive at its object: the point on its side, the
 * grid node just outside, the way it moves there, and what that costs */
typedef struct
{
  double x, y;
  double ax, ay;
  int    dir;
  double cost;
  guint  node;
} Entry;

/* The lines of a sparse grid through every box's cleared outline, and
 * which nodes and runs between neighbours no box blocks */
typedef struct
{
  GArray *xs;
  GArray *ys;
  guint   nx, ny;
  guint8 *node_blocked;
  guint8 *h_blocked;    /* (i, j) to (i + 1, j) */
  guint8 *v_blocked;    /* (i, j) to (i, j + 1) */
  guint8 *h_used;       /* how many arrows run there */
  guint8 *v_used;
} Grid;

typedef struct
{
  double f;
  double g;
  guint  state;
} Open;

/* The index of the line at v, which the grid has */
static guint
line_at (GArray *values,
         double  v)
{
  guint lo = 0, hi = values->len;

  g_assert (values != NULL && values->len > 0);

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (values, double, mid) < v - 0.01)
        lo = mid + 1;
      else
        hi = mid;
    }
  return MIN (lo, values->len - 1);
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
grid_clear (Grid *grid)
{
  g_clear_pointer (&grid->xs, g_array_unref);
  g_clear_pointer (&grid->ys, g_array_unref);
  g_clear_pointer (&grid->node_blocked, g_free);
  g_clear_pointer (&grid->h_blocked, g_free);
  g_clear_pointer (&grid->v_blocked, g_free);
  g_clear_pointer (&grid->h_used, g_free);
  g_clear_pointer (&grid->v_used, g_free);
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

/* The cheapest way from start, left moving start_dir, to one of the entries;
 * returns the nodes in order and sets *entry, or NULL */
static GArray *
search (const Grid  *grid,
        guint        start,
        int          start_dir,
        const Entry *entries,
        guint        n_entries,
        guint       *entry)
{
  guint n_states = grid->nx * grid->ny * 4;
  g_autofree double *cost = g_new (double, n_states);
  g_autofree guint *from = g_new (guint, n_states);
  g_autoptr(GArray) heap = g_array_new (FALSE, FALSE, sizeof (Open));
  double best = INFINITY;
  guint best_state = G_MAXUINT;
  GArray *nodes;

  g_assert (grid != NULL && entries != NULL && entry != NULL);

  for (guint s = 0; s < n_states; s++)
    cost[s] = INFINITY;
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
      for (guint k = 0; k < n_entries; k++)
        if (entries[k].node == n)
          {
            double total = g + entries[k].cost + (dir != entries[k].dir ? BEND_COST : 0);

            if (total < best)
              {
                best = total;
                best_state = top.state;
                *entry = k;
              }
          }
      for (int d = 0; d < 4; d++)
        {
          guint next, used;
          double length, h = INFINITY, c;

          if (d == (dir + 2) % 4 || !step_from (grid, n, d, &next, &length, &used))
            continue;
          c = g + length * (1 + SHARED_COST * used) + (d != dir ? BEND_COST : 0);
          if (c >= cost[next * 4 + d])
            continue;
          cost[next * 4 + d] = c;
          from[next * 4 + d] = top.state;
          for (guint k = 0; k < n_entries; k++)
            h = MIN (h, fabs (entries[k].ax - node_x (grid, next)) + fabs (entries[k].ay - node_y (grid, next)));
          heap_push (heap, c + h, c, next * 4 + d);
        }
    }
  if (best_state == G_MAXUINT)
    return NULL;

  nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint s = best_state; s != G_MAXUINT; s = from[s])
    {
      guint n = s / 4;

      g_array_prepend_val (nodes, n);
    }
  return nodes;
}

/* Counts the runs of the path as taken, so the next arrow keeps apart */
static void
mark_used (Grid   *grid,
           GArray *nodes)
{
  g_assert (grid != NULL && nodes != NULL);

  for (guint k = 0; k + 1 < nodes->len; k++)
    {
      guint a = g_array_index (nodes, guint, k), b = g_array_index (nodes, guint, k + 1);
      guint lo = MIN (a, b);

      if (b == a + 1 || a == b + 1)
        grid->h_used[lo] = MIN (grid->h_used[lo] + 1, 200);
      else
        grid->v_used[lo] = MIN (grid->v_used[lo] + 1, 200);
    }
}

/* The corners of a path through nodes, straight runs merged */
static GArray *
corners_of (const Grid    *grid,
            const HsPoint *slot,
            GArray        *nodes,
            const Entry   *entry)
{
  GArray *corners = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  HsPoint last = { entry->x, entry->y };

  g_assert (grid != NULL && nodes != NULL && entry != NULL);

  g_array_append_val (corners, *slot);
  for (guint k = 0; k <= nodes->len; k++)
    {
      HsPoint q = k < nodes->len ? (HsPoint) { node_x (grid, g_array_index (nodes, guint, k)),
                                               node_y (grid, g_array_index (nodes, guint, k)) } : last;
      guint len = corners->len;

      if (len >= 1)
        {
          const HsPoint *a = &g_array_index (corners, HsPoint, len - 1);

          if (fabs (a->x - q.x) < 0.01 && fabs (a->y - q.y) < 0.01)
            continue;
        }
      if (len >= 2)
        {
          const HsPoint *a = &g_array_index (corners, HsPoint, len - 2);
          HsPoint *b = &g_array_index (corners, HsPoint, len - 1);

          /* b on the straight run from a to q: drop it */
          if ((fabs (a->x - b->x) < 0.01 && fabs (b->x - q.x) < 0.01) ||
              (fabs (a->y - b->y) < 0.01 && fabs (b->y - q.y) < 0.01))
            {
              *b = q;
              continue;
            }
        }
      g_array_append_val (corners, q);
    }
  return corners;
}

static void
add_entries (GArray       *entries,
             const HsRect *t,
             const Area   *pin,
             double        clearance)
{
  double ly = t->y + MIN (t->height / 2, 14), cx = t->x + t->width / 2;
  const Entry sides[] = {
    { t->x, ly, t->x - clearance, ly, RIGHT, 0 },
    { cx, t->y, cx, t->y - clearance, DOWN, SIDE_COST },
    { cx, t->y + t->height, cx, t->y + t->height + clearance, UP, SIDE_COST },
    { t->x + t->width, ly, t->x + t->width + clearance, ly, LEFT, 1.5 * SIDE_COST },
  };

  g_assert (entries != NULL && t != NULL && pin != NULL);

  /* A side under the pinned copy cannot be seen to be arrived at */
  for (guint k = 0; k < G_N_ELEMENTS (sides); k++)
    if (!(sides[k].ax >= pin->x0 && sides[k].ax <= pin->x1 && sides[k].ay >= pin->y0 && sides[k].ay <= pin->y1) &&
        !(sides[k].x >= pin->x0 && sides[k].x <= pin->x1 && sides[k].y >= pin->y0 && sides[k].y <= pin->y1))
      g_array_append_val (entries, sides[k]);
}

static gboolean
meets (const HsRect *r,
       const Area   *a)
{
  return r->x < a->x1 && a->x0 < r->x + r->width && r->y < a->y1 && a->y0 < r->y + r->height;
}

/* Adds the parts of r that the pinned copy (cover) leaves in sight,
 * cleared: a box mostly under the copy must not bar the way out of it */
static void
add_visible_parts (GArray       *obstacles,
                   const HsRect *r,
                   const Area   *cover,
                   double        clearance)
{
  Area box = { r->x, r->y, r->x + r->width, r->y + r->height };
  Area parts[4];
  guint n = 0;

  g_assert (obstacles != NULL && r != NULL && cover != NULL);

  if (box.x1 <= cover->x0 || box.x0 >= cover->x1 || box.y1 <= cover->y0 || box.y0 >= cover->y1)
    parts[n++] = box;
  else
    {
      /* left and right of the copy, whole height; above and below it */
      if (box.x0 < cover->x0)
        parts[n++] = (Area) { box.x0, box.y0, cover->x0, box.y1 };
      if (box.x1 > cover->x1)
        parts[n++] = (Area) { cover->x1, box.y0, box.x1, box.y1 };
      if (box.y0 < cover->y0)
        parts[n++] = (Area) { MAX (box.x0, cover->x0), box.y0, MIN (box.x1, cover->x1), cover->y0 };
      if (box.y1 > cover->y1)
        parts[n++] = (Area) { MAX (box.x0, cover->x0), cover->y1, MIN (box.x1, cover->x1), box.y1 };
    }
  for (guint k = 0; k < n; k++)
    {
      Area a = { parts[k].x0 - clearance, parts[k].y0 - clearance, parts[k].x1 + clearance, parts[k].y1 + clearance };

      g_array_append_val (obstacles, a);
    }
}

/* The grid node an arrow leaves its source by: a pinned frame's names
 * by the copy's right side, one lane apart, others straight out */
static HsPoint
exit_of (const HsLayoutDetour *self,
         const Start         *start,
         double               clearance)
{
  static const double dx[] = { 1, 0, -1, 0 }, dy[] = { 0, 1, 0, -1 };

  g_assert (self != NULL && start != NULL);

  if (self->pinned)
    return (HsPoint) { self->pin.x + self->pin.width + PIN_CLEARANCE, start->slot.y };
  return (HsPoint) { start->slot.x + dx[start->dir] * clearance, start->slot.y + dy[start->dir] * clearance };
}

/* Routes the starts not yet routed (done) with this clearance */
static void
route (HsLayoutDetour *self,
       double         clearance,
       gboolean      *done)
{
  static const double dx[] = { 1, 0, -1, 0 }, dy[] = { 0, 1, 0, -1 };
  const HsLayoutBox *boxes;
  guint n_boxes;
  g_autoptr(GArray) obstacles = g_array_new (FALSE, FALSE, sizeof (Area));
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_autoptr(GArray) first_entry = g_array_new (FALSE, FALSE, sizeof (guint));
  Grid grid = { 0 };
  /* Nowhere, for arrows that leave no pinned copy */
  Area pin = { -G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE }, seen, cover = pin;

  g_assert (self != NULL);

  boxes = hs_layout_get_boxes (self->layout, &n_boxes);
  if (self->pinned)
    {
      /* Runs may pass over the copy's shadow, close beside it: the camera
       * may pin it next to a box, and the way out is between them */
      pin = (Area) { self->pin.x - clearance, self->pin.y - clearance,
                     self->pin.x + self->pin.width + PIN_CLEARANCE,
                     self->pin.y + self->pin.height + PIN_CLEARANCE };
      cover = (Area) { self->pin.x, self->pin.y, self->pin.x + self->pin.width + SHADOW,
                       self->pin.y + self->pin.height + SHADOW };
      g_array_append_val (obstacles, pin);
    }
  else
    {
      Area source = { self->pin.x - clearance, self->pin.y - clearance,
                      self->pin.x + self->pin.width + clearance, self->pin.y + self->pin.height + clearance };

      g_array_append_val (obstacles, source);
    }
  seen = (Area) { self->view.x - clearance, self->view.y - clearance,
                  self->view.x + self->view.width + clearance, self->view.y + self->view.height + clearance };

  /* What an arrow must not cross is what can be seen crossed */
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].alpha > 0 && meets (&boxes[i].rect, &seen))
      add_visible_parts (obstacles, &boxes[i].rect, &cover, clearance);
  for (guint i = 0; i < self->others->len; i++)
    {
      const Area *o = &g_array_index (self->others, Area, i);
      Area a = { o->x0 - clearance, o->y0 - clearance, o->x1 + clearance, o->y1 + clearance };

      g_array_append_val (obstacles, a);
    }

  grid.xs = g_array_new (FALSE, FALSE, sizeof (double));
  grid.ys = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < obstacles->len; i++)
    {
      const Area *a = &g_array_index (obstacles, Area, i);

      g_array_append_vals (grid.xs, (double[]) { a->x0, a->x1 }, 2);
      g_array_append_vals (grid.ys, (double[]) { a->y0, a->y1 }, 2);
    }
  for (guint r = 0; r < self->starts->len; r++)
    {
      const Start *s = &g_array_index (self->starts, Start, r);
      HsRect t = { 0 };
      guint at = entries->len;
      HsPoint out = exit_of (self, s, clearance);
      /* Runs one lane apart, so that arrows leaving side by side keep apart */
      double lane_x = out.x + LANE * r * dx[s->dir], lane_y = out.y + LANE * r * dy[s->dir];

      g_array_append_val (first_entry, at);
      g_array_append_vals (grid.xs, (double[]) { out.x, lane_x }, 2);
      g_array_append_vals (grid.ys, (double[]) { out.y, lane_y }, 2);
      if (s->target != 0)
        hs_layout_get_object_bounds (self->layout, s->target, &t);
      if (t.width > 0)
        add_entries (entries, &t, &pin, clearance);
      for (guint k = at; k < entries->len; k++)
        {
          g_array_append_val (grid.xs, g_array_index (entries, Entry, k).ax);
          g_array_append_val (grid.ys, g_array_index (entries, Entry, k).ay);
        }
    }
  g_array_append_val (first_entry, entries->len);
  hs_layout_sort_unique (grid.xs, 0.01);
  hs_layout_sort_unique (grid.ys, 0.01);
  grid.nx = grid.xs->len;
  grid.ny = grid.ys->len;
  grid.node_blocked = g_new0 (guint8, grid.nx * grid.ny);
  grid.h_blocked = g_new0 (guint8, grid.nx * grid.ny);
  grid.v_blocked = g_new0 (guint8, grid.nx * grid.ny);
  grid.h_used = g_new0 (guint8, grid.nx * grid.ny);
  grid.v_used = g_new0 (guint8, grid.nx * grid.ny);
  for (guint i = 0; i < obstacles->len; i++)
    grid_block (&grid, &g_array_index (obstacles, Area, i));
  for (guint k = 0; k < entries->len; k++)
    {
      Entry *e = &g_array_index (entries, Entry, k);

      e->node = line_at (grid.ys, e->ay) * grid.nx + line_at (grid.xs, e->ax);
    }

  for (guint r = 0; r < self->starts->len; r++)
    {
      const Start *s = &g_array_index (self->starts, Start, r);
      guint from = g_array_index (first_entry, guint, r), to = g_array_index (first_entry, guint, r + 1);
      HsPoint out = exit_of (self, s, clearance);
      guint start = line_at (grid.ys, out.y) * grid.nx + line_at (grid.xs, out.x);
      g_autoptr(GArray) nodes = NULL;
      g_autoptr(GArray) corners = NULL;
      HsLayoutEdge edge = { 0 };
      guint chosen = 0, first = self->points->len;

      if (done[r] || from == to || grid.node_blocked[start] ||
          (nodes = search (&grid, start, s->dir, &g_array_index (entries, Entry, from), to - from, &chosen)) == NULL)
        {
          continue;
        }
      mark_used (&grid, nodes);
      corners = corners_of (&grid, &s->slot, nodes, &g_array_index (entries, Entry, from + chosen));
      if (corners->len < 2)
        continue;

      edge.source = self->source;
      edge.row = r;
      edge.from_frame = self->pinned;
      edge.target = s->target;
      edge.target_box = G_MAXUINT;
      for (guint i = 0; i < n_boxes; i++)
        if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT && boxes[i].ref == s->target)
          edge.target_box = i;
      edge.alpha = 0.8;
      g_array_append_val (self->offsets, first);
      done[r] = TRUE;
      hs_layout_path_round (self->points, (const HsPoint *) corners->data, corners->len, CORNER * clearance);
      edge.n_curves = (self->points->len - first - 1) / 3;
      g_array_append_val (self->edges, edge);
    }

  grid_clear (&grid);
}

/* The paths' points are in place once the array grows no more */
static void
set_paths (HsLayoutDetour *self)
{
  g_assert (self != NULL);

  for (guint k = 0; k < self->edges->len; k++)
    {
      HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, k);

      hs_layout_edge_set_curves (e, &g_array_index (self->points, HsPoint, g_array_index (self->offsets, guint, k)),
                                 1 + 3 * e->n_curves);
    }
}

static HsLayoutDetour *
route_new (HsLayout     *layout,
           double        x,
           double        y,
           const HsRect *view)
{
  HsLayoutDetour *self = g_new0 (HsLayoutDetour, 1);

  g_assert (layout != NULL && view != NULL);

  self->layout = hs_layout_ref (layout);
  self->x = x;
  self->y = y;
  self->view = *view;
  self->source = G_MAXUINT;
  self->starts = g_array_new (FALSE, FALSE, sizeof (Start));
  self->others = g_array_new (FALSE, FALSE, sizeof (Area));
  self->edges = g_array_new (FALSE, FALSE, sizeof (HsLayoutEdge));
  self->points = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  self->offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  return self;
}

/* Routes every start, where it can with a narrower clearance */
static HsLayoutDetour *
route_all (HsLayoutDetour *self)
{
  g_autofree gboolean *done = NULL;

  g_assert (self != NULL);

  done = g_new0 (gboolean, MAX (self->starts->len, 1));
  route (self, CLEARANCE, done);
  route (self, NARROW, done);
  set_paths (self);
  return self;
}

HsLayoutDetour *
hs_layout_detour_new_from_frame (HsLayout          *layout,
                     const HsLayoutBox *frame,
                     double             x,
                     double             y,
                     const HsRect      *view)
{
  HsLayoutDetour *self;
  const HsLayoutBox *boxes;
  guint n_boxes;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (frame != NULL && frame->kind == HS_LAYOUT_BOX_FRAME, NULL);
  g_return_val_if_fail (view != NULL, NULL);

  self = route_new (layout, x, y, view);
  self->pin = (HsRect) { x, y, frame->rect.width, frame->rect.height };
  self->pinned = TRUE;
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  self->source = frame - boxes;
  for (guint r = 0; r < frame->n_rows; r++)
    {
      Start s = { { x + frame->rows[r].slot_x, y + frame->rows[r].slot_y }, RIGHT, frame->rows[r].target };

      g_array_append_val (self->starts, s);
    }
  return route_all (self);
}

HsLayoutDetour *
hs_layout_detour_new_from_box (HsLayout           *layout,
                              const HsRect       *source,
                              const HsPoint      *starts,
                              const guint32      *targets,
                              guint               n_starts,
                              const HsRect       *others,
                              guint               n_others,
                              const HsRect       *view)
{
  HsLayoutDetour *self;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (source != NULL && view != NULL, NULL);
  g_return_val_if_fail (n_starts == 0 || (starts != NULL && targets != NULL), NULL);
  g_return_val_if_fail (n_others == 0 || others != NULL, NULL);

  self = route_new (layout, source->x, source->y, view);
  self->pin = *source;
  for (guint i = 0; i < n_others; i++)
    {
      Area a = { others[i].x, others[i].y, others[i].x + others[i].width, others[i].y + others[i].height };

      g_array_append_val (self->others, a);
    }
  for (guint i = 0; i < n_starts; i++)
    {
      Start s = { starts[i], RIGHT, targets[i] };

      /* Out through the side it lies on */
      if (starts[i].y <= source->y + 0.01)
        s.dir = UP;
      else if (starts[i].y >= source->y + source->height - 0.01)
        s.dir = DOWN;
      else if (starts[i].x <= source->x + 0.01)
        s.dir = LEFT;
      g_array_append_val (self->starts, s);
    }
  return route_all (self);
}

void
hs_layout_detour_free (HsLayoutDetour *self)
{
  if (self == NULL)
    return;
  hs_layout_unref (self->layout);
  g_array_unref (self->starts);
  g_array_unref (self->others);
  g_array_unref (self->edges);
  g_array_unref (self->points);
  g_array_unref (self->offsets);
  g_free (self);
}

gboolean
hs_layout_detour_matches (const HsLayoutDetour *self,
                         HsLayout            *layout,
                         double               x,
                         double               y,
                         const HsRect        *view)
{
  g_return_val_if_fail (view != NULL, FALSE);

  return self != NULL && self->layout == layout && self->x == x && self->y == y &&
         self->view.x == view->x && self->view.y == view->y &&
         self->view.width == view->width && self->view.height == view->height;
}

const HsLayoutEdge *
hs_layout_detour_get_edges (const HsLayoutDetour *self,
                           guint               *n_edges)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_edges != NULL)
    *n_edges = self->edges->len;
  return (const HsLayoutEdge *) self->edges->data;
}

void
hs_layout_detour_get_rect (const HsLayoutDetour *self,
                          HsRect              *out)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);

  *out = self->pin;
}
