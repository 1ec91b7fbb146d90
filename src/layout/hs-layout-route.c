/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hs-layout-path.h"
#include "hs-layout-private.h"
#include "hs-layout-route.h"
#include "hs-layout-route-search.h"

/*
 * The router: every arrow drawn, from the layout's boxes, from the copy
 * of the current frame that the view pins over its corner, and from the
 * boxes of hidden holders under the picture (hs-layout-holders.c), is
 * routed here, one way, in three steps.
 *
 * Ways.  An arrow is an orthogonal path from its slot to a side of its
 * object: level runs, and upright runs between them.  Where the layered
 * layout (hs-layout-layers.c) kept lanes for an arrow, as Sugiyama's
 * framework keeps dummy nodes for a long edge, its way is decided there:
 * level out of its box, along its lanes across the columns it passes,
 * turning in the gaps between, into its target's left side, or, going
 * back, around into its right side.  Every other way is searched
 * (hs-layout-route-search.c): the cheapest in length, turns, and runs
 * along those already taken, around the boxes in view.  That is the
 * pinned copy's and the holders' arrows, which leave boxes standing where
 * no rank is, and the few arrows of the layout that pass a column where
 * no lane was kept for them.  Taken are the layout's arrows in view and,
 * of the arrows searched before, the runs lanes cannot part from others:
 * their first and last, and those with no room beside them.  Searched
 * without lanes, the arrows of the readability corpus cross 173 times
 * where the lanes cross 46 (docs/performance.md): the lanes carry the
 * order within the ranks.
 *
 * Lanes.  The runs through one channel, upright through a gap between
 * columns, or either way through the room a searched run stands in,
 * stand in one order: a turn joins a level on the channel's left to one
 * on its right; of two whose right end is lower, the one whose left end
 * is higher turns further right, and of two whose right end is higher,
 * the one whose left end is lower.  Turns around nest, the shortest
 * innermost.  Then two arrows through a channel cross only where their
 * ends stand in the other order on its two sides, which the order within
 * the ranks minimises.  A gap of the layout shares its width out among
 * its lanes; a searched channel keeps its runs beside where the search
 * put them, LANE apart and off the runs that cannot move, within each
 * one's room.  The arrows into one side of a box of the layout enter at
 * points of their own, in the order they arrive, ENTRY_SPACING apart
 * where the box has room.
 *
 * Drawing.  Every corner is rounded, by CORNER, or less where its runs
 * are short or a searched way's clearance is narrow; an upright shorter
 * than two corners, between level runs the same way, is one smooth S.
 */

/* Turns through a gap keep this far from its sides, and round their
 * corners this much */
#define LANE_INSET 8.0
#define CORNER     8.0
/* Searched runs through one channel stand this far apart */
#define LANE       4.0

/* A searched way keeps this far from every box, so a run passes beside
 * it, not on it: less than half the layout's gap between boxes, so the
 * gap stays open.  Where that leaves an arrow no way, a narrower one is
 * tried. */
#define CLEARANCE  5.0
#define NARROW     2.5
/* A searched way's corners are rounded by this share of its clearance:
 * a corner cuts no box */
#define CORNER_SHARE 0.9
/* The pinned copy's shadow, below and right of it */
#define SHADOW     5.0
/* Kept free beside the copy's right side and below it */
#define PIN_CLEARANCE 1.5
/* Arriving at an object other than at its left side, as the layout's
 * arrows do, costs as much as this much length */
#define SIDE_COST  80.0
/* The layout's arrows searched, each a pass over the boxes, at most:
 * a bounded number, for heaps of any size; and the boxes one may go
 * around */
#define SEARCH_BUDGET 400000
#define MAX_SEARCHED_BOXES 300

typedef struct
{
  double   arrive;   /* the level the arrow comes from, before it enters */
  double   entry;    /* where it enters, along the target's side */
  gboolean right;    /* enters the right side */
} Route;

/* A run of a way that lanes may move: corners corner and corner + 1
 * share x (an upright), or for a searched way's level run, y */
typedef struct
{
  guint    corner;
  double   lo, hi;   /* a searched run's room: where it may stand */
  gboolean level;
  gboolean searched; /* kept beside where it stands, LANE apart */
  gboolean around;   /* both runs beside it on one side: a turn around */
} Run;

/* Ways as they are routed: each a list of corners, from its slot to
 * where it arrives */
typedef struct
{
  GArray *corners;   /* HsPoint: every way's, one after another */
  GArray *firsts;    /* guint: each way's first corner, then the end */
  GArray *radii;     /* double: each way's corner radius */
  GArray *runs;      /* Run */
} Ways;

static void
ways_init (Ways *w)
{
  w->corners = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  w->firsts = g_array_new (FALSE, FALSE, sizeof (guint));
  w->radii = g_array_new (FALSE, FALSE, sizeof (double));
  w->runs = g_array_new (FALSE, FALSE, sizeof (Run));
}

static void
ways_clear (Ways *w)
{
  g_clear_pointer (&w->corners, g_array_unref);
  g_clear_pointer (&w->firsts, g_array_unref);
  g_clear_pointer (&w->radii, g_array_unref);
  g_clear_pointer (&w->runs, g_array_unref);
}

/* The corners of way i: from *first up to *end */
static void
way_span (const Ways *w,
          guint       i,
          guint      *first,
          guint      *end)
{
  *first = g_array_index (w->firsts, guint, i);
  *end = i + 1 < w->firsts->len ? g_array_index (w->firsts, guint, i + 1) : w->corners->len;
}

static void
way_begin (Ways   *w,
           double  x,
           double  y,
           double  radius)
{
  HsPoint p = { x, y };

  g_array_append_val (w->firsts, w->corners->len);
  g_array_append_val (w->radii, radius);
  g_array_append_val (w->corners, p);
}

static HsPoint
way_end (const Ways *w)
{
  return g_array_index (w->corners, HsPoint, w->corners->len - 1);
}

static void
way_add (Ways   *w,
         double  x,
         double  y)
{
  HsPoint p = { x, y };

  g_array_append_val (w->corners, p);
}

/* Level from where the way is to x */
static void
way_level_to (Ways   *w,
              double  x)
{
  HsPoint p = way_end (w);

  if (fabs (p.x - x) >= 0.01)
    way_add (w, x, p.y);
}

/* An upright of the layout's, from the corner added next, in a gap */
static void
way_upright (Ways     *w,
             gboolean  around)
{
  Run u = { w->corners->len, 0, 0, FALSE, FALSE, around };

  g_array_append_val (w->runs, u);
}

/* Across a gap of the layout to (x, y), level where it leaves and where
 * it arrives, turning at a lane of its own in between */
static void
way_turn_to (Ways   *w,
             double  x,
             double  y)
{
  HsPoint p = way_end (w);

  if (fabs (p.y - y) < 0.01)
    {
      way_level_to (w, x);
      return;
    }
  way_upright (w, FALSE);
  way_add (w, (p.x + x) / 2, p.y);
  way_add (w, (p.x + x) / 2, y);
  way_add (w, x, y);
}

/* Out rightward and back, to y at the same x: the longer the turn, the
 * further out, so that turns into one side nest (spread_entries()) */
static void
way_around_to (Ways   *w,
               double  y)
{
  HsPoint p = way_end (w);

  if (fabs (p.y - y) < 0.01)
    return;
  way_upright (w, TRUE);
  way_add (w, p.x, p.y);
  way_add (w, p.x, y);
  way_add (w, p.x, y);
}

/* The coordinate a run of this direction stands at, and the one along it */
static inline double
across_of (const HsPoint *p,
           gboolean       level)
{
  return level ? p->y : p->x;
}

static inline double
along_of (const HsPoint *p,
          gboolean       level)
{
  return level ? p->x : p->y;
}

static inline void
move_run (HsPoint  *b,
          gboolean  level,
          double    to)
{
  if (level)
    b->y = b[1].y = to;
  else
    b->x = b[1].x = to;
}

/* Adds a searched way's corners, after its first, which is where the way
 * is.  Its runs may stand where areas leave them free, but those that
 * leave its source or reach its object's side, which stand there. */
static void
way_add_searched (Ways              *w,
                  const HsPoint     *corners,
                  guint              n_corners,
                  const HsRouteArea *areas,
                  guint              n_areas)
{
  guint first;

  g_assert (n_corners >= 1);

  first = w->corners->len - 1;
  for (guint k = 1; k < n_corners; k++)
    way_add (w, corners[k].x, corners[k].y);
  for (guint k = first; k + 1 < w->corners->len; k++)
    {
      const HsPoint *b = &g_array_index (w->corners, HsPoint, k), *c = b + 1;
      gboolean level = fabs (b->y - c->y) < 0.01;
      Run u = { k, across_of (b, level), across_of (b, level), level, TRUE, FALSE };

      if (fabs (along_of (b, level) - along_of (c, level)) < 0.01)
        continue;
      if (k > first && k + 2 < w->corners->len)
        {
          const HsPoint *a = b - 1, *d = c + 1;

          hs_route_free_span (areas, n_areas, level, across_of (b, level), along_of (b, level),
                              along_of (c, level), &u.lo, &u.hi);
          u.around = (across_of (a, level) - across_of (b, level)) * (across_of (d, level) - across_of (c, level)) > 0;
        }
      g_array_append_val (w->runs, u);
    }
}

/* Keeps the path as the edge's own, in memory the layout owns */
static void
set_path (HsLayout      *self,
          HsLayoutEdge  *e,
          const HsPoint *points,
          guint          n_points)
{
  HsPoint *path;

  g_assert (self != NULL);
  g_assert (n_points >= 4 && (n_points - 1) % 3 == 0);

  path = g_memdup2 (points, n_points * sizeof (HsPoint));
  g_ptr_array_add (self->row_arrays, path);
  hs_layout_edge_set_curves (e, path, n_points);
}

static const Column *
column_of (HsLayout          *self,
           const HsLayoutBox *box)
{
  g_assert (self != NULL && box != NULL);

  return box->column < self->columns->len ? &g_array_index (self->columns, Column, box->column) : NULL;
}

static double
right_of (HsLayout          *self,
          const HsLayoutBox *box)
{
  const Column *c = column_of (self, box);

  return c != NULL ? MAX (c->x + c->width, box->rect.x + box->rect.width) : box->rect.x + box->rect.width;
}

static GArray *
lanes_of (HsLayout           *self,
          const HsLayoutEdge *e)
{
  gint64 key = hs_layout_lane_key (e->source, e->row, e->from_key);

  return g_hash_table_lookup (self->lanes, &key);
}

static void
slot_point (HsLayout           *self,
            const HsLayoutEdge *e,
            double             *x,
            double             *y)
{
  const HsLayoutBox *s = box_at (self, e->source);
  const HsLayoutRow *row = &s->rows[e->row];

  *x = s->rect.x + (e->from_key ? row->key_slot_x : row->slot_x);
  *y = s->rect.y + (e->from_key ? row->key_slot_y : row->slot_y);
}

/* Where the arrow turns around to go back: in the gap above its box, or
 * below it, whichever lies towards the target */
static double
back_lane (HsLayout           *self,
           const HsLayoutEdge *e)
{
  const HsLayoutBox *s = box_at (self, e->source), *t = box_at (self, e->target_box);

  if (t->rect.y + t->rect.height / 2 < s->rect.y + s->rect.height / 2)
    return s->rect.y - GAP_Y / 2;
  return s->rect.y + MAX (s->rect.height, s->reserved_height) + GAP_Y / 2;
}

static gboolean
goes_forward (HsLayout           *self,
              const HsLayoutEdge *e)
{
  const HsLayoutBox *s = box_at (self, e->source), *t = box_at (self, e->target_box);

  return t->rect.x >= right_of (self, s) - 0.01 || t->rect.x + t->rect.width <= s->rect.x
         ? t->rect.x >= right_of (self, s) - 0.01
         : t->rect.x > s->rect.x;
}

/* An arrow back that turns around straight into its target, which stands
 * in its own column or overlaps it, rather than running back along lanes */
static gboolean
turns_into_own_column (HsLayout           *self,
                       const HsLayoutEdge *e)
{
  const HsLayoutBox *s, *t;
  GArray *lanes;

  g_assert (self != NULL && e != NULL);

  s = box_at (self, e->source);
  t = box_at (self, e->target_box);
  lanes = lanes_of (self, e);
  return t->column == s->column || ((lanes == NULL || lanes->len == 0) && t->rect.x + t->rect.width > s->rect.x);
}

static void
plan (HsLayout     *self,
      HsLayoutEdge *e,
      Route        *route)
{
  const HsLayoutBox *s = box_at (self, e->source), *t = box_at (self, e->target_box);
  GArray *lanes = lanes_of (self, e);
  double sx, sy;

  slot_point (self, e, &sx, &sy);
  e->back = !goes_forward (self, e);
  route->right = e->back;
  if (lanes != NULL && lanes->len > 0)
    route->arrive = g_array_index (lanes, double, e->back ? 0 : lanes->len - 1);
  else if (e->back && t->column != s->column)
    route->arrive = back_lane (self, e);
  else
    route->arrive = sy;
  /* Turns around within a column nest when the one from furthest enters
   * furthest: their order is the other way round */
  if (e->back && turns_into_own_column (self, e))
    route->arrive = -route->arrive;
}


/* A run, while lanes are given out */
typedef struct
{
  double gap;       /* its channel: a gap's left side, or a searched channel */
  double order;     /* lanes stand in this order, from the channel's left side */
  double left, right; /* its levels on the channel's left and right sides */
  double from_x, to_x; /* where the runs beside it start and end */
  guint  run;
} Turn;

/* Lanes ordered from a gap's left side: of an up turn standing left of
 * a down turn, the up turn's right level runs on from its lane and the
 * down turn's left level up to its lane, along each other where the two
 * levels nearly meet (an entry level with a slot of the column before).
 * Such a down turn moves just left of the up turn; then neither runs
 * along the other.  It does not move past a down turn whose left level
 * it would cross on its way down: running along is better than crossing. */
static gboolean
passes_down_turn (const Turn *turns,
                  guint       a,
                  guint       b)
{
  for (guint d = a + 1; d < b; d++)
    if (turns[d].right > turns[d].left && turns[d].left > turns[b].left && turns[d].left < turns[b].right)
      return TRUE;
  return FALSE;
}

static void
part_near_levels (Turn  *turns,
                  guint  n)
{
  for (guint b = 1; b < n; b++)
    {
      if (turns[b].right <= turns[b].left)
        continue;
      for (guint a = 0; a < b; a++)
        if (turns[a].right < turns[a].left && fabs (turns[a].right - turns[b].left) < LANE_INSET
            && !passes_down_turn (turns, a, b))
          {
            Turn down = turns[b];

            memmove (&turns[a + 1], &turns[a], (b - a) * sizeof (Turn));
            turns[a] = down;
            break;
          }
    }
}

static int
compare_turns (gconstpointer a,
               gconstpointer b)
{
  const Turn *x = a, *y = b;

  if (x->gap != y->gap)
    return x->gap < y->gap ? -1 : 1;
  if (x->order != y->order)
    return x->order < y->order ? -1 : 1;
  return x->run < y->run ? -1 : x->run > y->run;
}

/* Where the lanes of the layout's gap stand: shared out across it */
static void
share_gap (Ways       *w,
           const Turn *turns,
           guint       n)
{
  double gap = 0;

  for (guint k = 0; k < n; k++)
    gap = MAX (gap, fabs (turns[k].to_x - turns[k].from_x));
  if (gap == 0)
    gap = COLUMN_GAP;
  for (guint k = 0; k < n; k++)
    {
      const Turn *turn = &turns[k];
      const Run *u = &g_array_index (w->runs, Run, turn->run);
      HsPoint *b = &g_array_index (w->corners, HsPoint, u->corner), *c = b + 1;
      double width = turn->to_x != turn->from_x ? fabs (turn->to_x - turn->from_x) : gap;
      double inset = MIN (LANE_INSET, width / 4);
      double room = width - 2 * inset;
      double lane = MIN (turn->from_x, turn->to_x) + inset + room * (k + 0.5) / n;
      double r = MIN (CORNER, fabs (c->y - b->y) / 2), from = turn->from_x, to = turn->to_x;

      /* with room for its corners */
      if (u->around)
        lane = MAX (lane, from + r);
      else if (to > from)
        lane = CLAMP (lane, from + r, MAX (from + r, to - r));
      else
        lane = CLAMP (lane, MIN (from - r, to + r), from - r);
      b->x = c->x = lane;
    }
}

/* Where the runs of a searched channel stand: beside the side the search
 * put them by, LANE apart in their order, off those that stand where they
 * leave or arrive, each within its room */
static void
pack_channel (Ways       *w,
              const Turn *turns,
              guint       n)
{
  g_autoptr(GArray) movable = g_array_new (FALSE, FALSE, sizeof (const Run *));
  g_autoptr(GArray) fixed = g_array_new (FALSE, FALSE, sizeof (double));
  double lo = -G_MAXDOUBLE, hi = G_MAXDOUBLE, least = G_MAXDOUBLE, most = -G_MAXDOUBLE, sum = 0, at;
  gboolean up;

  for (guint k = 0; k < n; k++)
    {
      const Run *u = &g_array_index (w->runs, Run, turns[k].run);
      double x = across_of (&g_array_index (w->corners, HsPoint, u->corner), u->level);

      if (u->lo == u->hi)
        {
          g_array_append_val (fixed, x);
          continue;
        }
      g_array_append_val (movable, u);
      lo = MAX (lo, u->lo);
      hi = MIN (hi, u->hi);
      least = MIN (least, x);
      most = MAX (most, x);
      sum += x;
    }
  if (movable->len == 0)
    return;
  /* from the side nearer where they stand, outward */
  up = sum / movable->len - lo <= hi - sum / movable->len;
  at = up ? least : most;
  for (guint i = 0; i < movable->len; i++)
    {
      const Run *u = g_array_index (movable, const Run *, up ? i : movable->len - 1 - i);
      gboolean moved = TRUE;

      while (moved)
        {
          moved = FALSE;
          for (guint f = 0; f < fixed->len; f++)
            if (fabs (at - g_array_index (fixed, double, f)) < LANE - 0.01)
              {
                at = g_array_index (fixed, double, f) + (up ? LANE : -LANE);
                moved = TRUE;
              }
        }
      move_run (&g_array_index (w->corners, HsPoint, u->corner), u->level, CLAMP (at, u->lo, u->hi));
      at += up ? LANE : -LANE;
    }
}

static guint
find_root (guint *parent,
           guint  i)
{
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

static int
compare_across (gconstpointer a,
                gconstpointer b)
{
  const double *x = a, *y = b;

  return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* The channels of searched runs: those of one direction nearer than
 * LANE to each other along a stretch, which would seem one, are one
 * channel, into channel[] by run */
static void
find_channels (const Ways *w,
               guint      *channel)
{
  /* (where it stands across, its index), by where it stands across */
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, 2 * sizeof (double));

  for (guint i = 0; i < w->runs->len; i++)
    {
      const Run *u = &g_array_index (w->runs, Run, i);
      double item[2] = { across_of (&g_array_index (w->corners, HsPoint, u->corner), u->level), i };

      channel[i] = i;
      if (u->searched)
        g_array_append_val (order, item);
    }
  g_array_sort (order, compare_across);
  for (guint a = 0; a < order->len; a++)
    {
      const double *p = (const double *) order->data + 2 * a;
      const Run *u = &g_array_index (w->runs, Run, (guint) p[1]);
      const HsPoint *ub = &g_array_index (w->corners, HsPoint, u->corner);

      for (guint b = a + 1; b < order->len; b++)
        {
          const double *q = (const double *) order->data + 2 * b;
          const Run *v = &g_array_index (w->runs, Run, (guint) q[1]);
          const HsPoint *vb = &g_array_index (w->corners, HsPoint, v->corner);
          gboolean level = u->level;

          if (q[0] - p[0] >= LANE - 0.01)
            break;
          if (v->level == level &&
              MIN (MAX (along_of (ub, level), along_of (ub + 1, level)), MAX (along_of (vb, level), along_of (vb + 1, level))) >
              MAX (MIN (along_of (ub, level), along_of (ub + 1, level)), MIN (along_of (vb, level), along_of (vb + 1, level))) + 0.01)
            channel[find_root (channel, (guint) p[1])] = find_root (channel, (guint) q[1]);
        }
    }
  for (guint i = 0; i < w->runs->len; i++)
    channel[i] = find_root (channel, i);
}

/* Gives every run its lane (the file's comment) */
static void
give_lanes (Ways *w)
{
  g_autoptr(GArray) turns = g_array_new (FALSE, FALSE, sizeof (Turn));
  g_autofree guint *channel = g_new (guint, w->runs->len + 1);

  find_channels (w, channel);
  for (guint i = 0; i < w->runs->len; i++)
    {
      const Run *u = &g_array_index (w->runs, Run, i);
      const HsPoint *b = &g_array_index (w->corners, HsPoint, u->corner), *c = b + 1;
      gboolean level = u->level;
      Turn turn;

      turn.run = i;
      /* a searched channel, numbered past any gap of the layout */
      turn.gap = u->searched ? 1e12 + channel[i] : 0;
      /* one that leaves or reaches a side stands there: the channel's
       * other runs keep off it */
      if (u->searched && u->lo == u->hi)
        {
          turn.order = 0;
          g_array_append_val (turns, turn);
          continue;
        }
      /* where the runs before and after it stand */
      turn.from_x = across_of (b - 1, level);
      turn.to_x = across_of (c + 1, level);
      if (!u->searched)
        turn.gap = round (MIN (turn.from_x, turn.to_x));
      turn.left = turn.to_x >= turn.from_x ? along_of (b, level) : along_of (c, level);
      turn.right = turn.to_x >= turn.from_x ? along_of (c, level) : along_of (b, level);
      /* the shortest turn around innermost */
      if (u->around && turn.from_x <= across_of (b, level))
        turn.order = -3e9 + fabs (along_of (c, level) - along_of (b, level));
      else if (u->around)
        turn.order = 3e9 - fabs (along_of (c, level) - along_of (b, level));
      else
        turn.order = turn.right > turn.left ? 1e9 - turn.left : -1e9 + turn.left;
      g_array_append_val (turns, turn);
    }
  g_array_sort (turns, compare_turns);
  for (guint i = 0, j; i < turns->len; i = j)
    {
      const Turn *first = &g_array_index (turns, Turn, i);

      for (j = i; j < turns->len && g_array_index (turns, Turn, j).gap == first->gap; j++)
        ;
      if (g_array_index (w->runs, Run, first->run).searched)
        pack_channel (w, &g_array_index (turns, Turn, i), j - i);
      else
        {
          part_near_levels (&g_array_index (turns, Turn, i), j - i);
          share_gap (w, &g_array_index (turns, Turn, i), j - i);
        }
    }
}

/* Way i drawn: its corners rounded (the file's comment) into path; q
 * holds the corners where it turns, meanwhile */
static void
draw_way (const Ways *w,
          guint       i,
          GArray     *q,
          GArray     *path)
{
  double radius = g_array_index (w->radii, double, i);
  guint first, end, m;

  way_span (w, i, &first, &end);
  g_array_set_size (q, 0);
  /* the corners where the way turns, and its ends */
  for (guint k = first; k < end; k++)
    hs_layout_corners_add (q, &g_array_index (w->corners, HsPoint, k), 0);

  g_array_set_size (path, 0);
  g_array_append_val (path, g_array_index (q, HsPoint, 0));
  m = q->len;
  for (guint k = 1; k + 1 < m; k++)
    {
      const HsPoint *a = &g_array_index (q, HsPoint, k - 1), *b = a + 1, *c = a + 2;
      /* a run between two corners is shared by their roundings */
      double in = hypot (b->x - a->x, b->y - a->y) / (k > 1 ? 2 : 1);
      double out = hypot (c->x - b->x, c->y - b->y) / (k + 2 < m ? 2 : 1);
      double r = MIN (radius, MIN (in, out));

      /* An upright shorter than two corners, between level runs the same
       * way: one S */
      if (k + 2 < m && fabs (b->x - c->x) < 0.01 && fabs (c->y - b->y) < 2 * radius)
        {
          const HsPoint *d = a + 3;
          double dir = b->x > a->x ? 1 : -1;

          if ((d->x - c->x) * dir > 0)
            {
              double s = MIN (fabs (c->y - b->y) / 2, MIN (fabs (b->x - a->x) / (k > 1 ? 2 : 1),
                                                          fabs (d->x - c->x) / (k + 3 < m ? 2 : 1)));
              double x0 = b->x - dir * s, x1 = b->x + dir * s;

              hs_layout_path_line_to (path, x0, b->y);
              hs_layout_path_curve_to (path, x0 + (x1 - x0) / 2, b->y, x1 - (x1 - x0) / 2, c->y, x1, c->y);
              k++;
              continue;
            }
        }
      hs_layout_path_line_to (path, b->x - (b->x - a->x) / hypot (b->x - a->x, b->y - a->y) * r,
                              b->y - (b->y - a->y) / hypot (b->x - a->x, b->y - a->y) * r);
      hs_layout_path_corner_to (path, b->x, b->y, b->x + (c->x - b->x) / hypot (c->x - b->x, c->y - b->y) * r,
                                b->y + (c->y - b->y) / hypot (c->x - b->x, c->y - b->y) * r);
    }
  if (m >= 2)
    hs_layout_path_line_to (path, g_array_index (q, HsPoint, m - 1).x, g_array_index (q, HsPoint, m - 1).y);
  /* a way that goes nowhere is still one curve */
  if (path->len < 4)
    {
      HsPoint p = g_array_index (path, HsPoint, 0);

      hs_layout_path_curve_to (path, p.x, p.y, p.x, p.y, p.x, p.y);
    }
}

/* r grown by clearance on every side: what a searched way keeps out of */
static HsRouteArea
cleared (const HsRect *r,
         double        clearance)
{
  return (HsRouteArea) { r->x - clearance, r->y - clearance,
                         r->x + r->width + clearance, r->y + r->height + clearance };
}

/* The boxes a searched way keeps clear of, each cleared by clearance,
 * into areas: those of the layout standing between x0 and x1, but for
 * skip */
static void
areas_between (HsLayout *self,
               double    x0,
               double    x1,
               guint     skip,
               double    clearance,
               GArray   *areas)
{
  for (guint b = 0; b < self->boxes->len; b++)
    {
      const HsLayoutBox *box = box_at (self, b);
      HsRouteArea a = cleared (&box->rect, clearance);

      if (b == skip || box->alpha <= 0 || box->rect.x + box->rect.width <= x0 || box->rect.x >= x1)
        continue;
      g_array_append_val (areas, a);
    }
}

/* A forward arrow with no lanes, across the columns between its box and
 * its target: searched, from its column's right side to its entry.
 * FALSE where there is no way, the budget is spent, or more than
 * MAX_SEARCHED_BOXES boxes stand between: the search's grid grows with
 * the square of their number. */
static gboolean
search_way (HsLayout           *self,
            const HsLayoutEdge *e,
            const Route        *route,
            Ways               *ways,
            guint              *budget)
{
  const HsLayoutBox *t = box_at (self, e->target_box);
  HsPoint start = way_end (ways);

  for (guint pass = 0; pass < 2 && *budget > 0; pass++)
    {
      double clearance = pass == 0 ? CLEARANCE : NARROW;
      g_autoptr(GArray) areas = g_array_new (FALSE, FALSE, sizeof (HsRouteArea));
      g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) ys = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) corners = g_array_new (FALSE, FALSE, sizeof (HsPoint));
      g_autoptr(HsRouteGrid) grid = NULL;
      HsRouteArrival arrival = { { t->rect.x, route->entry }, { t->rect.x - clearance, route->entry },
                                 HS_ROUTE_RIGHT, 0 };

      (*budget)--;
      areas_between (self, start.x, t->rect.x, e->source, clearance, areas);
      if (areas->len > MAX_SEARCHED_BOXES)
        return FALSE;
      g_array_append_vals (xs, (double[]) { start.x, arrival.outside.x }, 2);
      g_array_append_vals (ys, (double[]) { start.y, arrival.outside.y }, 2);
      grid = hs_route_grid_new ((const HsRouteArea *) areas->data, areas->len, xs, ys);
      if (hs_route_grid_search (grid, &start, &start, HS_ROUTE_RIGHT, &arrival, 1, corners) < 0)
        continue;
      way_add_searched (ways, (const HsPoint *) corners->data, corners->len,
                        (const HsRouteArea *) areas->data, areas->len);
      return TRUE;
    }
  return FALSE;
}

/* The way of an arrow of the layout, after its start */
static void
trace (HsLayout     *self,
       HsLayoutEdge *e,
       const Route  *route,
       Ways         *ways,
       guint        *budget)
{
  const HsLayoutBox *s = box_at (self, e->source), *t = box_at (self, e->target_box);
  GArray *lanes = lanes_of (self, e);
  guint n_lanes = lanes != NULL ? lanes->len : 0;
  double sx, sy;

  slot_point (self, e, &sx, &sy);
  way_begin (ways, sx, sy, CORNER);
  way_level_to (ways, right_of (self, s));
  if (!e->back && n_lanes == 0)
    {
      /* No lanes (an arrow out of the garbage zone, or to what stands
       * beside it): where a column stands between, searched */
      gboolean between = FALSE;

      for (guint k = 0; k < self->columns->len && !between; k++)
        {
          const Column *c = &g_array_index (self->columns, Column, k);

          between = c->x > right_of (self, s) && c->x + c->width < t->rect.x;
        }
      if (!between || !search_way (self, e, route, ways, budget))
        way_turn_to (ways, t->rect.x, route->entry);
    }
  else if (!e->back)
    {
      for (guint k = 0; k < n_lanes && s->column + 1 + k < self->columns->len; k++)
        {
          const Column *c = &g_array_index (self->columns, Column, s->column + 1 + k);

          way_turn_to (ways, c->x, g_array_index (lanes, double, k));
          way_level_to (ways, c->x + c->width);
        }
      way_turn_to (ways, t->rect.x, route->entry);
    }
  else if (turns_into_own_column (self, e))
    {
      way_around_to (ways, route->entry);
      way_level_to (ways, t->rect.x + t->rect.width);
    }
  else
    {
      const Column *own = column_of (self, s);
      double lane = n_lanes == 0 ? route->arrive : g_array_index (lanes, double, n_lanes - 1);

      /* the last lane crosses the source's own column */
      way_around_to (ways, lane);
      way_level_to (ways, own != NULL ? own->x : s->rect.x);
      for (guint k = n_lanes > 0 ? n_lanes - 1 : 0; k-- > 0;)
        {
          guint column = t->column + 1 + k;
          const Column *c = &g_array_index (self->columns, Column, MIN (column, self->columns->len - 1));

          way_turn_to (ways, c->x + c->width, g_array_index (lanes, double, k));
          way_level_to (ways, c->x);
        }
      way_turn_to (ways, right_of (self, t), route->entry);
      way_level_to (ways, t->rect.x + t->rect.width);
    }
}

typedef struct
{
  guint  target;
  guint  right;
  double arrive;
  guint  edge;
} Arrival;

static int
compare_arrivals (gconstpointer a,
                  gconstpointer b)
{
  const Arrival *x = a, *y = b;

  if (x->target != y->target)
    return x->target < y->target ? -1 : 1;
  if (x->right != y->right)
    return x->right < y->right ? -1 : 1;
  if (x->arrive != y->arrive)
    return x->arrive < y->arrive ? -1 : 1;
  return x->edge < y->edge ? -1 : x->edge > y->edge;
}

/* A level stretch along a placeholder's lane, as it leaves its column */
typedef struct
{
  guint  column;
  double y;
} Passing;

static int
compare_passing (gconstpointer a,
                 gconstpointer b)
{
  const Passing *x = a, *y = b;

  if (x->column != y->column)
    return x->column < y->column ? -1 : 1;
  return x->y < y->y ? -1 : x->y > y->y;
}

/* Moves an entry into a left side off the level of an arrow that leaves
 * the column before it along a lane, by as much as keeps it clear of
 * its neighbours: the two would run along each other between their
 * turns */
static void
clear_of_passing (const HsLayoutBox *t,
                  GArray            *passing,
                  double             own,
                  double            *entry,
                  double             above,
                  double             below,
                  double             lo,
                  double             hi)
{
  guint lo_k = 0, hi_k = passing->len;

  if (t->column == 0)
    return;
  /* the first at or after (t->column − 1, *entry − ENTRY_SPACING): they are sorted */
  while (lo_k < hi_k)
    {
      guint mid = lo_k + (hi_k - lo_k) / 2;
      const Passing *p = &g_array_index (passing, Passing, mid);

      if (p->column + 1 < t->column || (p->column + 1 == t->column && p->y <= *entry - ENTRY_SPACING))
        lo_k = mid + 1;
      else
        hi_k = mid;
    }
  for (guint k = lo_k; k < passing->len; k++)
    {
      const Passing *p = &g_array_index (passing, Passing, k);

      if (p->column + 1 != t->column || p->y >= *entry + ENTRY_SPACING)
        break;
      /* its own lane, which it enters level with */
      if (fabs (p->y - own) < 0.01)
        continue;
      for (int side = -1; side <= 1; side += 2)
        {
          double y = p->y + side * ENTRY_SPACING;

          if (y >= lo && y <= hi && y - above >= ENTRY_SPACING - 0.01 && below - y >= ENTRY_SPACING - 0.01)
            {
              *entry = y;
              break;
            }
        }
    }
}

/* The levels a box's own turns around span, on its right: an arrow
 * that entered its right side between a turn's slot and its lane would
 * cross the turn */
typedef struct
{
  double down_from;  /* the top of the highest row turning down, or +∞ */
  double up_from;    /* the bottom of the lowest row turning up, or −∞ */
} Loops;

static void
add_loop (HsLayout           *self,
          const HsLayoutEdge *e,
          double              lane,
          Loops              *loops)
{
  const HsLayoutBox *s;
  const HsLayoutRow *row;
  double sx, sy;

  g_assert (self != NULL && e != NULL && loops != NULL);

  s = box_at (self, e->source);
  row = &s->rows[e->row];
  slot_point (self, e, &sx, &sy);
  if (lane > sy)
    loops[e->source].down_from = MIN (loops[e->source].down_from, s->rect.y + row->y);
  else
    loops[e->source].up_from = MAX (loops[e->source].up_from, s->rect.y + row->y + row->height);
}

/* The arrows into one side of a box, in the order they arrive: each as
 * level as it can be with where it comes from, ENTRY_SPACING apart, or
 * spread evenly where the side is too short */
static void
spread_entries (HsLayout      *self,
                const Arrival *group,
                guint          n,
                Route         *routes,
                GArray        *passing,
                const Loops   *loops)
{
  const HsLayoutBox *t = box_at (self, group[0].target);
  double lo = t->rect.y + ENTRY_CORNER, hi = t->rect.y + t->rect.height - ENTRY_CORNER;
  double spacing, y = -G_MAXDOUBLE;

  /* Into the right side: outside the box's own turns around, where
   * there is room for them all */
  if (group[0].right)
    {
      double below = MAX (lo, loops[group[0].target].up_from), above = MIN (hi, loops[group[0].target].down_from);

      if (above - below >= (n - 1) * ENTRY_ROOM)
        lo = below, hi = above;
      else if (above - lo >= (n - 1) * ENTRY_ROOM)
        hi = above;
    }
  spacing = n > 1 ? MIN (ENTRY_SPACING, (hi - lo) / (n - 1)) : 0;

  for (guint i = 0; i < n; i++)
    {
      y = MAX (group[i].arrive < 0 ? lo : CLAMP (group[i].arrive, lo, hi), y + spacing);
      routes[group[i].edge].entry = y;
    }
  for (guint i = n; i-- > 0;)
    {
      y = i + 1 == n ? hi : routes[group[i + 1].edge].entry - spacing;
      routes[group[i].edge].entry = MAX (lo, MIN (routes[group[i].edge].entry, y));
    }
  if (!group[0].right)
    {
      for (guint i = 0; i < n; i++)
        clear_of_passing (t, passing, group[i].arrive, &routes[group[i].edge].entry,
                          i > 0 ? routes[group[i - 1].edge].entry : -G_MAXDOUBLE,
                          i + 1 < n ? routes[group[i + 1].edge].entry : G_MAXDOUBLE, lo, hi);
      return;
    }
  /* Into the right side, off the level of the arrows that leave the box
   * there: between two rows */
  for (guint i = 0; i < n; i++)
    for (guint r = 0; r < t->n_rows; r++)
      {
        const HsLayoutRow *row = &t->rows[r];
        double *entry = &routes[group[i].edge].entry;

        if ((row->target == 0 || lookup_box (self->box_by_ref, row->target) < 0)
            && (row->key_target == 0 || lookup_box (self->box_by_ref, row->key_target) < 0))
          continue;
        if (fabs (*entry - (t->rect.y + row->y + row->height / 2)) < ENTRY_SPACING)
          *entry = t->rect.y + row->y + (*entry < t->rect.y + row->y + row->height / 2 ? 0 : row->height);
      }
}


/* Routes every arrow of the layout */
void
hs_layout_route_all_edges (HsLayout *self)
{
  g_autofree Route *routes = NULL;
  g_autoptr(GArray) arrivals = g_array_new (FALSE, FALSE, sizeof (Arrival));
  g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  g_autoptr(GArray) corners = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  g_autoptr(GArray) passing = g_array_new (FALSE, FALSE, sizeof (Passing));
  g_autofree Loops *loops = NULL;
  GArray *lanes;
  Ways ways;
  guint budget = MAX (16, SEARCH_BUDGET / MAX (self->boxes->len, 1));

  g_return_if_fail (self != NULL);

  routes = g_new0 (Route, self->edges->len + 1);
  loops = g_new (Loops, self->boxes->len + 1);
  for (guint b = 0; b < self->boxes->len; b++)
    loops[b] = (Loops) { G_MAXDOUBLE, -G_MAXDOUBLE };
  for (guint i = 0; i < self->edges->len; i++)
    {
      HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, i);
      Arrival a;

      plan (self, e, &routes[i]);
      if (e->back && !turns_into_own_column (self, e))
        add_loop (self, e, (lanes = lanes_of (self, e)) != NULL && lanes->len > 0
                           ? g_array_index (lanes, double, lanes->len - 1) : routes[i].arrive, loops);
      if (!e->back && (lanes = lanes_of (self, e)) != NULL)
        for (guint k = 0; k < lanes->len; k++)
          {
            Passing p = { box_at (self, e->source)->column + 1 + k, g_array_index (lanes, double, k) };

            g_array_append_val (passing, p);
          }
      a = (Arrival) { e->target_box, routes[i].right, routes[i].arrive, i };
      g_array_append_val (arrivals, a);
    }
  g_array_sort (arrivals, compare_arrivals);
  g_array_sort (passing, compare_passing);
  for (guint i = 0, j; i < arrivals->len; i = j)
    {
      const Arrival *first = &g_array_index (arrivals, Arrival, i);

      for (j = i + 1; j < arrivals->len; j++)
        {
          const Arrival *a = &g_array_index (arrivals, Arrival, j);

          if (a->target != first->target || a->right != first->right)
            break;
        }
      spread_entries (self, first, j - i, routes, passing, loops);
    }
  /* Every way, then lanes for its uprights, then curves */
  ways_init (&ways);
  for (guint i = 0; i < self->edges->len; i++)
    trace (self, &g_array_index (self->edges, HsLayoutEdge, i), &routes[i], &ways, &budget);
  give_lanes (&ways);
  for (guint i = 0; i < self->edges->len; i++)
    {
      HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, i);

      e->alpha = 1;
      draw_way (&ways, i, corners, path);
      set_path (self, e, (const HsPoint *) path->data, path->len);
    }
  ways_clear (&ways);
}

/*
 * Arrows between two steps' layouts: each end of each path moves with the
 * box it belongs to, and the points between with both, in proportion, so
 * the paths glide with the boxes and are, at the end, those of the later
 * step.
 */
void
hs_layout_move_edges (HsLayout *self,
                      HsLayout *to)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (to != NULL);

  for (guint i = 0; i < self->edges->len; i++)
    {
      HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, i);
      const HsLayoutBox *s = box_at (self, e->source), *t = box_at (self, e->target_box);
      const HsLayoutBox *s_to = box_at (to, e->source), *t_to = box_at (to, e->target_box);
      double sdx = s->rect.x - s_to->rect.x, sdy = s->rect.y - s_to->rect.y;
      double tdx = t->rect.x - t_to->rect.x, tdy = t->rect.y - t_to->rect.y;
      guint n = 1 + 3 * e->n_curves;
      g_autofree HsPoint *points = g_memdup2 (e->path, n * sizeof (HsPoint));

      for (guint k = 0; k < n; k++)
        {
          /* The first curve's start and control move with the source,
           * the last curve's with the target */
          double f = k < 2 ? 0 : k + 2 >= n ? 1 : (double) k / (n - 1);

          points[k].x += sdx + (tdx - sdx) * f;
          points[k].y += sdy + (tdy - sdy) * f;
        }
      set_path (self, e, points, n);
      e->alpha = MIN (s->alpha, t->alpha);
    }
}

void
hs_layout_add_edges_for_box (HsLayout *self,
                             guint     index)
{
  const HsLayoutBox *box = box_at (self, index);

  g_assert (self != NULL);

  for (guint r = 0; r < box->n_rows; r++)
    {
      const HsLayoutRow *row = &box->rows[r];

      for (guint k = 0; k < 2; k++)
        {
          guint32 ref = k == 0 ? row->key_target : row->target;
          HsLayoutEdge edge = { 0 };
          int target;

          if (ref == 0 || (target = lookup_box (self->box_by_ref, ref)) < 0)
            continue;
          edge.source = index;
          edge.row = r;
          edge.from_key = k == 0;
          edge.from_frame = box->kind == HS_LAYOUT_BOX_FRAME;
          edge.target = ref;
          edge.target_box = target;
          edge.alpha = 1;
          g_array_append_val (self->edges, edge);
        }
    }
}

/*
 * Arrows from a box drawn over the layout that is none of its boxes:
 * the pinned copy of the current frame, or a holder's box.  Their ways
 * are searched, around every box in view and around the source itself.
 */

/* Where one arrow leaves its source, the way it leaves, its object, its
 * source's index and its own among the source's */
typedef struct
{
  HsPoint    slot;
  HsRouteDir dir;
  guint32    target;
  guint      source;
  guint      index;
} Start;

struct _HsLayoutOverlayArrows
{
  HsLayout *layout;
  double    x;
  double    y;
  HsRect    view;
  HsRect    pin;      /* the pinned copy, or the first source */
  gboolean  pinned;   /* from a pinned frame's names, else from boxes of the view's own */
  guint     frame;    /* the pinned frame's index in the layout */
  GArray   *sources;  /* HsRect: the boxes the arrows leave */
  GArray   *starts;   /* Start */
  GArray   *others;   /* HsRect: boxes of the view's own, not the layout's */
  GArray   *edges;    /* HsLayoutEdge */
  GArray   *points;   /* HsPoint: the edges' paths */
  GArray   *offsets;  /* guint: where each edge's path starts in points */
};

/* The sides of t an arrow may arrive at, where the pinned copy (pin)
 * leaves them in sight */
static void
add_arrivals (GArray            *arrivals,
              const HsRect      *t,
              const HsRouteArea *pin,
              double             clearance)
{
  double ly = t->y + MIN (t->height / 2, 14), cx = t->x + t->width / 2;
  const HsRouteArrival sides[] = {
    { { t->x, ly }, { t->x - clearance, ly }, HS_ROUTE_RIGHT, 0 },
    { { cx, t->y }, { cx, t->y - clearance }, HS_ROUTE_DOWN, SIDE_COST },
    { { cx, t->y + t->height }, { cx, t->y + t->height + clearance }, HS_ROUTE_UP, SIDE_COST },
    { { t->x + t->width, ly }, { t->x + t->width + clearance, ly }, HS_ROUTE_LEFT, 1.5 * SIDE_COST },
  };

  g_assert (arrivals != NULL && t != NULL && pin != NULL);

  for (guint k = 0; k < G_N_ELEMENTS (sides); k++)
    {
      const HsPoint *at = &sides[k].at, *out = &sides[k].outside;

      if (!(out->x >= pin->x0 && out->x <= pin->x1 && out->y >= pin->y0 && out->y <= pin->y1) &&
          !(at->x >= pin->x0 && at->x <= pin->x1 && at->y >= pin->y0 && at->y <= pin->y1))
        g_array_append_val (arrivals, sides[k]);
    }
}

static gboolean
meets (const HsRect      *r,
       const HsRouteArea *a)
{
  return r->x < a->x1 && a->x0 < r->x + r->width && r->y < a->y1 && a->y0 < r->y + r->height;
}

/* Adds the parts of r that the pinned copy (cover) leaves in sight,
 * cleared: a box mostly under the copy must not bar the way out of it */
static void
add_visible_parts (GArray            *areas,
                   const HsRect      *r,
                   const HsRouteArea *cover,
                   double             clearance)
{
  HsRouteArea box = { r->x, r->y, r->x + r->width, r->y + r->height };
  HsRouteArea parts[4];
  guint n = 0;

  g_assert (areas != NULL && r != NULL && cover != NULL);

  if (box.x1 <= cover->x0 || box.x0 >= cover->x1 || box.y1 <= cover->y0 || box.y0 >= cover->y1)
    parts[n++] = box;
  else
    {
      /* left and right of the copy, whole height; above and below it */
      if (box.x0 < cover->x0)
        parts[n++] = (HsRouteArea) { box.x0, box.y0, cover->x0, box.y1 };
      if (box.x1 > cover->x1)
        parts[n++] = (HsRouteArea) { cover->x1, box.y0, box.x1, box.y1 };
      if (box.y0 < cover->y0)
        parts[n++] = (HsRouteArea) { MAX (box.x0, cover->x0), box.y0, MIN (box.x1, cover->x1), cover->y0 };
      if (box.y1 > cover->y1)
        parts[n++] = (HsRouteArea) { MAX (box.x0, cover->x0), cover->y1, MIN (box.x1, cover->x1), box.y1 };
    }
  for (guint k = 0; k < n; k++)
    {
      HsRect part = { parts[k].x0, parts[k].y0, parts[k].x1 - parts[k].x0, parts[k].y1 - parts[k].y0 };
      HsRouteArea a = cleared (&part, clearance);

      g_array_append_val (areas, a);
    }
}

/* A step one unit long each way, by HsRouteDir */
static const double step_x[] = { 1, 0, -1, 0 }, step_y[] = { 0, 1, 0, -1 };

/* Where an arrow leaves its source, on the grid: a pinned frame's names
 * by the copy's right side, others straight out */
static HsPoint
exit_of (const HsLayoutOverlayArrows *self,
         const Start                 *start,
         double                       clearance)
{
  g_assert (self != NULL && start != NULL);

  if (self->pinned)
    return (HsPoint) { self->pin.x + self->pin.width + PIN_CLEARANCE, start->slot.y };
  return (HsPoint) { start->slot.x + step_x[start->dir] * clearance, start->slot.y + step_y[start->dir] * clearance };
}

/* Counts the straight runs of arrows that meet seen as taken on grid */
static void
take_arrows (HsRouteGrid        *grid,
             const HsLayoutEdge *edges,
             guint               n_edges,
             const HsRouteArea  *seen)
{
  for (guint i = 0; i < n_edges; i++)
    for (guint k = 0; k < edges[i].n_curves; k++)
      {
        const HsPoint *q = &edges[i].path[3 * k];
        gboolean level = fabs (q[0].y - q[3].y) < 0.01 && fabs (q[1].y - q[0].y) < 0.01 && fabs (q[2].y - q[0].y) < 0.01;
        gboolean upright = fabs (q[0].x - q[3].x) < 0.01 && fabs (q[1].x - q[0].x) < 0.01 && fabs (q[2].x - q[0].x) < 0.01;
        HsPoint run[2] = { q[0], q[3] };

        if ((level || upright) && MAX (q[0].x, q[3].x) > seen->x0 && MIN (q[0].x, q[3].x) < seen->x1 &&
            MAX (q[0].y, q[3].y) > seen->y0 && MIN (q[0].y, q[3].y) < seen->y1)
          hs_route_grid_take (grid, run, 2);
      }
}

/* Counts the searched runs of ways from run first on that lanes cannot
 * part from others as taken: those that leave a source or reach an
 * object where they stand, and those with no room for a lane beside
 * them.  Lanes part the rest (give_lanes()). */
static void
take_fixed_runs (HsRouteGrid *grid,
                 const Ways  *ways,
                 guint        first)
{
  for (guint i = first; i < ways->runs->len; i++)
    {
      const Run *u = &g_array_index (ways->runs, Run, i);

      if (u->searched && u->hi - u->lo < 2 * LANE)
        hs_route_grid_take (grid, &g_array_index (ways->corners, HsPoint, u->corner), 2);
    }
}

/* Searches the ways of the starts not yet routed (done) with this
 * clearance, into ways and, for each, its edge into edges */
static void
search_ways (HsLayoutOverlayArrows *self,
             double                 clearance,
             gboolean              *done,
             Ways                  *ways,
             GArray                *edges)
{
  const HsLayoutBox *boxes;
  guint n_boxes;
  g_autoptr(GArray) areas = g_array_new (FALSE, FALSE, sizeof (HsRouteArea));
  g_autoptr(GArray) arrivals = g_array_new (FALSE, FALSE, sizeof (HsRouteArrival));
  g_autoptr(GArray) first_arrival = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) corners = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  g_autoptr(HsRouteGrid) grid = NULL;
  HsRect title;
  /* Nowhere, for arrows that leave no pinned copy */
  HsRouteArea pin = { -G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE }, seen, cover = pin;

  g_assert (self != NULL);

  boxes = hs_layout_get_boxes (self->layout, &n_boxes);
  if (self->pinned)
    {
      /* Runs may pass over the copy's shadow, close beside it: the camera
       * may pin it next to a box, and the way out is between them */
      pin = (HsRouteArea) { self->pin.x - clearance, self->pin.y - clearance,
                            self->pin.x + self->pin.width + PIN_CLEARANCE,
                            self->pin.y + self->pin.height + PIN_CLEARANCE };
      cover = (HsRouteArea) { self->pin.x, self->pin.y, self->pin.x + self->pin.width + SHADOW,
                              self->pin.y + self->pin.height + SHADOW };
      g_array_append_val (areas, pin);
    }
  else
    for (guint i = 0; i < self->sources->len; i++)
      {
        HsRouteArea source = cleared (&g_array_index (self->sources, HsRect, i), clearance);

        g_array_append_val (areas, source);
      }
  seen = cleared (&self->view, clearance);

  /* What an arrow must not cross is what can be seen crossed */
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].alpha > 0 && meets (&boxes[i].rect, &seen))
      add_visible_parts (areas, &boxes[i].rect, &cover, clearance);
  /* the garbage zone's title, which is drawn over arrows */
  if (hs_layout_get_garbage_title (self->layout, &title) && meets (&title, &seen))
    {
      HsRouteArea a = cleared (&title, clearance);

      g_array_append_val (areas, a);
    }
  for (guint i = 0; i < self->others->len; i++)
    {
      HsRouteArea a = cleared (&g_array_index (self->others, HsRect, i), clearance);

      g_array_append_val (areas, a);
    }

  for (guint r = 0; r < self->starts->len; r++)
    {
      const Start *s = &g_array_index (self->starts, Start, r);
      HsRect t = { 0 };
      guint at = arrivals->len;
      HsPoint out = exit_of (self, s, clearance);
      /* Runs one lane apart, so that arrows leaving side by side may keep
       * apart */
      double lane_x = out.x + LANE * s->index * step_x[s->dir], lane_y = out.y + LANE * s->index * step_y[s->dir];

      g_array_append_val (first_arrival, at);
      g_array_append_vals (xs, (double[]) { out.x, lane_x }, 2);
      g_array_append_vals (ys, (double[]) { out.y, lane_y }, 2);
      if (s->target != 0)
        hs_layout_get_object_bounds (self->layout, s->target, &t);
      if (t.width > 0)
        add_arrivals (arrivals, &t, &pin, clearance);
      for (guint k = at; k < arrivals->len; k++)
        {
          g_array_append_val (xs, g_array_index (arrivals, HsRouteArrival, k).outside.x);
          g_array_append_val (ys, g_array_index (arrivals, HsRouteArrival, k).outside.y);
        }
    }
  g_array_append_val (first_arrival, arrivals->len);
  grid = hs_route_grid_new ((const HsRouteArea *) areas->data, areas->len, xs, ys);
  /* the layout's arrows in view are taken, and the ways a wider
   * clearance found */
  take_arrows (grid, (const HsLayoutEdge *) self->layout->edges->data, self->layout->edges->len, &seen);
  take_fixed_runs (grid, ways, 0);

  /* Each way in turn, around the runs of those found before that lanes
   * cannot part */
  for (guint r = 0; r < self->starts->len; r++)
    {
      const Start *s = &g_array_index (self->starts, Start, r);
      guint from = g_array_index (first_arrival, guint, r), to = g_array_index (first_arrival, guint, r + 1);
      HsPoint out = exit_of (self, s, clearance);
      HsLayoutEdge edge = { 0 };
      guint first_run;

      g_array_set_size (corners, 0);
      if (done[r] || from == to ||
          hs_route_grid_search (grid, &s->slot, &out, s->dir, &g_array_index (arrivals, HsRouteArrival, from),
                                to - from, corners) < 0 || corners->len < 2)
        continue;
      first_run = ways->runs->len;
      way_begin (ways, s->slot.x, s->slot.y, CORNER_SHARE * clearance);
      way_add_searched (ways, (const HsPoint *) corners->data, corners->len,
                        (const HsRouteArea *) areas->data, areas->len);
      take_fixed_runs (grid, ways, first_run);
      edge.source = self->pinned ? self->frame : s->source;
      edge.row = s->index;
      edge.from_frame = self->pinned;
      edge.target = s->target;
      edge.target_box = G_MAXUINT;
      for (guint i = 0; i < n_boxes; i++)
        if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT && boxes[i].ref == s->target)
          edge.target_box = i;
      edge.alpha = 0.8;
      g_array_append_val (edges, edge);
      done[r] = TRUE;
    }
}

static HsLayoutOverlayArrows *
overlay_new (HsLayout     *layout,
             double        x,
             double        y,
             const HsRect *view)
{
  HsLayoutOverlayArrows *self = g_new0 (HsLayoutOverlayArrows, 1);

  g_assert (layout != NULL && view != NULL);

  self->layout = hs_layout_ref (layout);
  self->x = x;
  self->y = y;
  self->view = *view;
  self->frame = G_MAXUINT;
  self->starts = g_array_new (FALSE, FALSE, sizeof (Start));
  self->others = g_array_new (FALSE, FALSE, sizeof (HsRect));
  self->sources = g_array_new (FALSE, FALSE, sizeof (HsRect));
  self->edges = g_array_new (FALSE, FALSE, sizeof (HsLayoutEdge));
  self->points = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  self->offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  return self;
}

/* Routes every start, where it can with a narrower clearance; then the
 * lanes and curves, as for the layout's arrows */
static HsLayoutOverlayArrows *
overlay_route (HsLayoutOverlayArrows *self)
{
  g_autofree gboolean *done = NULL;
  g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  g_autoptr(GArray) corners = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  Ways ways;

  g_assert (self != NULL);

  ways_init (&ways);
  done = g_new0 (gboolean, MAX (self->starts->len, 1));
  search_ways (self, CLEARANCE, done, &ways, self->edges);
  search_ways (self, NARROW, done, &ways, self->edges);
  give_lanes (&ways);
  for (guint k = 0; k < self->edges->len; k++)
    {
      guint first = self->points->len;

      draw_way (&ways, k, corners, path);
      g_array_append_val (self->offsets, first);
      g_array_append_vals (self->points, path->data, path->len);
    }
  ways_clear (&ways);
  /* The paths' points are in place once the array grows no more */
  for (guint k = 0; k < self->edges->len; k++)
    {
      HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, k);
      guint first = g_array_index (self->offsets, guint, k);
      guint end = k + 1 < self->edges->len ? g_array_index (self->offsets, guint, k + 1) : self->points->len;

      hs_layout_edge_set_curves (e, &g_array_index (self->points, HsPoint, first), end - first);
    }
  return self;
}

HsLayoutOverlayArrows *
hs_layout_overlay_arrows_new_from_frame (HsLayout          *layout,
                                         const HsLayoutBox *frame,
                                         double             x,
                                         double             y,
                                         const HsRect      *view)
{
  HsLayoutOverlayArrows *self;
  const HsLayoutBox *boxes;
  guint n_boxes;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (frame != NULL && frame->kind == HS_LAYOUT_BOX_FRAME, NULL);
  g_return_val_if_fail (view != NULL, NULL);

  self = overlay_new (layout, x, y, view);
  self->pin = (HsRect) { x, y, frame->rect.width, frame->rect.height };
  self->pinned = TRUE;
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  self->frame = frame - boxes;
  g_array_append_val (self->sources, self->pin);
  for (guint r = 0; r < frame->n_rows; r++)
    {
      Start s = { { x + frame->rows[r].slot_x, y + frame->rows[r].slot_y }, HS_ROUTE_RIGHT, frame->rows[r].target,
                  0, r };

      g_array_append_val (self->starts, s);
    }
  return overlay_route (self);
}

HsLayoutOverlayArrows *
hs_layout_overlay_arrows_new_from_boxes (HsLayout                    *layout,
                                         const HsLayoutOverlaySource *sources,
                                         guint                        n_sources,
                                         const HsRect                *others,
                                         guint                        n_others,
                                         const HsRect                *view)
{
  HsLayoutOverlayArrows *self;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (n_sources > 0 && sources != NULL && view != NULL, NULL);
  g_return_val_if_fail (n_others == 0 || others != NULL, NULL);

  self = overlay_new (layout, sources[0].rect.x, sources[0].rect.y, view);
  self->pin = sources[0].rect;
  g_array_append_vals (self->others, others, n_others);
  for (guint b = 0; b < n_sources; b++)
    {
      const HsRect *r = &sources[b].rect;

      g_return_val_if_fail (sources[b].n_starts == 0 || (sources[b].starts != NULL && sources[b].targets != NULL),
                            overlay_route (self));
      g_array_append_val (self->sources, *r);
      for (guint i = 0; i < sources[b].n_starts; i++)
        {
          const HsPoint *p = &sources[b].starts[i];
          Start s = { *p, HS_ROUTE_RIGHT, sources[b].targets[i], b, i };

          /* Out through the side it lies on */
          if (p->y <= r->y + 0.01)
            s.dir = HS_ROUTE_UP;
          else if (p->y >= r->y + r->height - 0.01)
            s.dir = HS_ROUTE_DOWN;
          else if (p->x <= r->x + 0.01)
            s.dir = HS_ROUTE_LEFT;
          g_array_append_val (self->starts, s);
        }
    }
  return overlay_route (self);
}

void
hs_layout_overlay_arrows_free (HsLayoutOverlayArrows *self)
{
  if (self == NULL)
    return;
  hs_layout_unref (self->layout);
  g_array_unref (self->starts);
  g_array_unref (self->others);
  g_array_unref (self->sources);
  g_array_unref (self->edges);
  g_array_unref (self->points);
  g_array_unref (self->offsets);
  g_free (self);
}

gboolean
hs_layout_overlay_arrows_matches (const HsLayoutOverlayArrows *self,
                                  HsLayout                    *layout,
                                  double                       x,
                                  double                       y,
                                  const HsRect                *view)
{
  g_return_val_if_fail (view != NULL, FALSE);

  return self != NULL && self->layout == layout && self->x == x && self->y == y &&
         self->view.x == view->x && self->view.y == view->y &&
         self->view.width == view->width && self->view.height == view->height;
}

const HsLayoutEdge *
hs_layout_overlay_arrows_get_edges (const HsLayoutOverlayArrows *self,
                                    guint                       *n_edges)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_edges != NULL, NULL);

  *n_edges = self->edges->len;
  return (const HsLayoutEdge *) self->edges->data;
}

void
hs_layout_overlay_arrows_get_rect (const HsLayoutOverlayArrows *self,
                                   HsRect                      *out)
{
  g_return_if_fail (self != NULL && out != NULL);

  *out = self->pin;
}
