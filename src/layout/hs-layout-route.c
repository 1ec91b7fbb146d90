/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hs-layout-path.h"
#include "hs-layout-private.h"

/*
 * Routing: one arrow per drawn reference, from its slot to a side of its
 * target, as cubic Béziers through the columns of the ranks and the gaps
 * between them (hs-layout-layers.c).  Across a column an arrow runs
 * level: out of its own box, along the lane a placeholder kept for it in
 * a column it passes, or through the gap above or below its box.  In a
 * gap between columns it turns smoothly, level at both ends, so two
 * arrows through one gap cross only where their ends stand in the other
 * order, which the order within the ranks minimises.  Forward arrows
 * enter their target's left side; arrows back, or within one column,
 * turn around in the gap on the right and enter its right side.  The
 * arrows into one side of a box enter at points of their own, in the
 * order they arrive, ENTRY_SPACING apart where the box has room.
 */

/* How far a turn around bulges into the gap on the right of its column */
#define TURN_BULGE (COLUMN_GAP / 2.5)
/* Turns through a gap keep this far from its sides, and round their
 * corners this much */
#define LANE_INSET 8.0
#define CORNER     8.0
/* and pass boxes this far off */
#define CLEAR      3.0

typedef struct
{
  double   arrive;   /* the level the arrow comes from, before it enters */
  double   entry;    /* where it enters, along the target's side */
  gboolean right;    /* enters the right side */
} Route;

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

/* Across a gap, level where it leaves and where it arrives */
static void
turn_to (GArray *path,
         double  x,
         double  y)
{
  HsPoint p = hs_layout_path_end (path);

  if (fabs (p.y - y) < 0.01)
    {
      hs_layout_path_line_to (path, x, y);
      return;
    }
  hs_layout_path_curve_to (path, p.x + (x - p.x) / 2, p.y, x - (x - p.x) / 2, y, x, y);
}

/* Out rightward and back, to y at the same x: the longer the turn, the
 * further out, so that turns into one side nest (spread_entries()) */
static void
turn_around (GArray *path,
             double  y,
             double  lane)
{
  HsPoint p = hs_layout_path_end (path);
  double sign = y > p.y ? 1 : -1;
  double r = MIN (CORNER, fabs (y - p.y) / 2);

  lane = MAX (lane, p.x + r);
  hs_layout_path_line_to (path, lane - r, p.y);
  hs_layout_path_corner_to (path, lane, p.y, lane, p.y + sign * r);
  hs_layout_path_line_to (path, lane, y - sign * r);
  hs_layout_path_corner_to (path, lane, y, lane - r, y);
  hs_layout_path_line_to (path, p.x, y);
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

/* One stretch of a path: level to (x, y), a turn across a gap to it, or
 * a turn around to y */
typedef enum
{
  STEP_LINE,
  STEP_TURN,
  STEP_AROUND,
} StepKind;

typedef struct
{
  StepKind kind;
  double   x, y;
  double   lane;   /* turns: the x the turn runs down at */
} Step;

static void
step (GArray   *steps,
      StepKind  kind,
      double    x,
      double    y)
{
  Step st = { kind, x, y, 0 };

  g_array_append_val (steps, st);
}

/* A level near `want` at which a line across column k meets no box */
static double
free_level (HsLayout *self,
            guint     k,
            double    want)
{
  double level = want;

  for (guint pass = 0; pass < 8; pass++)
    {
      gboolean clear = TRUE;

      for (guint b = 0; b < self->boxes->len && clear; b++)
        {
          const HsLayoutBox *box = box_at (self, b);
          double bottom = box->rect.y + box->rect.height;

          if (box->column != k || level < box->rect.y - CLEAR || level > bottom + CLEAR)
            continue;
          clear = FALSE;
          level = level - box->rect.y < bottom - level ? box->rect.y - GAP_Y / 2 : bottom + GAP_Y / 2;
        }
      if (clear)
        break;
    }
  return level;
}

/* The stretches of an arrow's path, after its start */
static void
trace (HsLayout     *self,
       HsLayoutEdge *e,
       const Route  *route,
       GArray       *steps,
       guint        *budget)
{
  const HsLayoutBox *s = box_at (self, e->source), *t = box_at (self, e->target_box);
  GArray *lanes = lanes_of (self, e);
  guint n_lanes = lanes != NULL ? lanes->len : 0;
  double sx, sy;

  slot_point (self, e, &sx, &sy);
  step (steps, STEP_LINE, right_of (self, s), sy);
  if (!e->back && n_lanes == 0)
    {
      /* No placeholders (an arrow out of the garbage zone, or to what
       * stands beside it): across each column between, through the gap
       * between its boxes nearest the way */
      double from = right_of (self, s);

      for (guint k = 0; k < self->columns->len; k++)
        {
          const Column *c = &g_array_index (self->columns, Column, k);
          double y;

          if (c->x <= from || c->x + c->width >= t->rect.x || *budget == 0)
            continue;
          (*budget)--;
          y = free_level (self, k, sy + (route->entry - sy) * (c->x - from) / (t->rect.x - from));
          step (steps, STEP_TURN, c->x, y);
          step (steps, STEP_LINE, c->x + c->width, y);
        }
      step (steps, STEP_TURN, t->rect.x, route->entry);
    }
  else if (!e->back)
    {
      for (guint k = 0; k < n_lanes && s->column + 1 + k < self->columns->len; k++)
        {
          const Column *c = &g_array_index (self->columns, Column, s->column + 1 + k);
          double y = g_array_index (lanes, double, k);

          step (steps, STEP_TURN, c->x, y);
          step (steps, STEP_LINE, c->x + c->width, y);
        }
      step (steps, STEP_TURN, t->rect.x, route->entry);
    }
  else if (turns_into_own_column (self, e))
    {
      step (steps, STEP_AROUND, right_of (self, s), route->entry);
      step (steps, STEP_LINE, t->rect.x + t->rect.width, route->entry);
    }
  else
    {
      const Column *own = column_of (self, s);
      double lane = n_lanes == 0 ? route->arrive : g_array_index (lanes, double, n_lanes - 1);

      /* the last lane crosses the source's own column */
      step (steps, STEP_AROUND, right_of (self, s), lane);
      step (steps, STEP_LINE, own != NULL ? own->x : s->rect.x, lane);
      for (guint k = n_lanes > 0 ? n_lanes - 1 : 0; k-- > 0;)
        {
          guint column = t->column + 1 + k;
          const Column *c = &g_array_index (self->columns, Column, MIN (column, self->columns->len - 1));
          double y = g_array_index (lanes, double, k);

          step (steps, STEP_TURN, c->x + c->width, y);
          step (steps, STEP_LINE, c->x, y);
        }
      step (steps, STEP_TURN, right_of (self, t), route->entry);
      step (steps, STEP_LINE, t->rect.x + t->rect.width, route->entry);
    }
}

/* A turn across a gap: level, down (or up) its lane, level again, with
 * rounded corners; a short one as one smooth curve */
static void
turn_at (GArray *path,
         double  x,
         double  y,
         double  lane)
{
  HsPoint p = hs_layout_path_end (path);
  double dir = x > p.x ? 1 : -1, sign = y > p.y ? 1 : -1;
  double r = MIN (CORNER, fabs (y - p.y) / 2);

  if (fabs (p.y - y) < 0.01)
    {
      hs_layout_path_line_to (path, x, y);
      return;
    }
  /* the lane, kept within the gap with room for its corners */
  lane = dir > 0 ? CLAMP (lane, p.x + r, MAX (p.x + r, x - r)) : CLAMP (lane, MIN (p.x - r, x + r), p.x - r);
  if (fabs (y - p.y) < 2 * CORNER)
    {
      hs_layout_path_line_to (path, lane - dir * r, p.y);
      turn_to (path, lane + dir * r, y);
      hs_layout_path_line_to (path, x, y);
      return;
    }
  hs_layout_path_line_to (path, lane - dir * r, p.y);
  hs_layout_path_corner_to (path, lane, p.y, lane, p.y + sign * r);
  hs_layout_path_line_to (path, lane, y - sign * r);
  hs_layout_path_corner_to (path, lane, y, lane + dir * r, y);
  hs_layout_path_line_to (path, x, y);
}

static void
draw (HsLayout     *self,
      HsLayoutEdge *e,
      const Step   *steps,
      guint         n_steps,
      GArray       *path)
{
  HsPoint start;

  slot_point (self, e, &start.x, &start.y);
  g_array_set_size (path, 0);
  g_array_append_val (path, start);
  for (guint i = 0; i < n_steps; i++)
    {
      const Step *st = &steps[i];

      if (st->kind == STEP_LINE)
        hs_layout_path_line_to (path, st->x, hs_layout_path_end (path).y);
      else if (st->kind == STEP_TURN)
        turn_at (path, st->x, st->y, st->lane);
      else
        turn_around (path, st->y, st->lane);
    }
  set_path (self, e, (const HsPoint *) path->data, path->len);
}

/* A turn across a gap, while lanes are given out */
typedef struct
{
  double gap;       /* the gap's left side */
  double order;     /* lanes stand in this order, from the gap's left side */
  guint  step;
  double from_x, to_x;
  double left, right; /* its levels on the gap's left and right sides */
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
  return x->step < y->step ? -1 : x->step > y->step;
}

/*
 * Each turn through a gap runs down (or up) at a lane of its own, and
 * the lanes stand in one order from the gap's left side, whichever way
 * the arrows run: a turn joins a level on the gap's left to one on its
 * right.  Of two turns whose right end is lower than their left, the
 * one whose left end is higher turns further right; of two whose right
 * end is higher, the one whose left end is lower.  Then neither crosses
 * the other's level stretches unless their ends stand in the other order
 * on the two sides.  Turns around, both ends on the left, nest innermost.
 */
static void
give_lanes (GArray *steps,
            GArray *starts)
{
  g_autoptr(GArray) turns = g_array_new (FALSE, FALSE, sizeof (Turn));

  for (guint i = 0; i < steps->len; i++)
    {
      Step *st = &g_array_index (steps, Step, i);
      const Step *before = i > 0 ? st - 1 : NULL;
      double left, right;
      Turn turn;

      if (st->kind == STEP_LINE || before == NULL || g_array_index (starts, guint, i) == G_MAXUINT)
        continue;
      /* where the turn starts: the step before ends there */
      turn.from_x = before->x;
      turn.to_x = st->x;
      st->lane = st->kind == STEP_AROUND ? turn.from_x + TURN_BULGE : (turn.from_x + turn.to_x) / 2;
      if (fabs (st->y - before->y) < 0.01)
        continue;
      turn.gap = round (MIN (turn.from_x, turn.to_x));
      left = turn.to_x >= turn.from_x ? before->y : st->y;
      right = turn.to_x >= turn.from_x ? st->y : before->y;
      /* the shortest turn around innermost */
      if (st->kind == STEP_AROUND)
        turn.order = -3e9 + fabs (st->y - before->y);
      else
        turn.order = right > left ? 1e9 - left : -1e9 + left;
      turn.left = left;
      turn.right = right;
      turn.step = i;
      g_array_append_val (turns, turn);
    }
  g_array_sort (turns, compare_turns);
  for (guint i = 0, j; i < turns->len; i = j)
    {
      const Turn *first = &g_array_index (turns, Turn, i);
      double gap = 0;

      for (j = i; j < turns->len && g_array_index (turns, Turn, j).gap == first->gap; j++)
        gap = MAX (gap, fabs (g_array_index (turns, Turn, j).to_x - g_array_index (turns, Turn, j).from_x));
      part_near_levels (&g_array_index (turns, Turn, i), j - i);
      if (gap == 0)
        gap = COLUMN_GAP;
      for (guint k = i; k < j; k++)
        {
          const Turn *turn = &g_array_index (turns, Turn, k);
          double width = turn->to_x != turn->from_x ? fabs (turn->to_x - turn->from_x) : gap;
          double inset = MIN (LANE_INSET, width / 4);
          double room = width - 2 * inset;

          g_array_index (steps, Step, turn->step).lane = MIN (turn->from_x, turn->to_x) + inset + room * (k - i + 0.5) / (j - i);
        }
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

/* The arrows into one side of a box, in the order they arrive: each as
 * level as it can be with where it comes from, ENTRY_SPACING apart, or
 * spread evenly where the side is too short */
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

/* Routes every arrow */
void
hs_layout_route_all_edges (HsLayout *self)
{
  g_autofree Route *routes = NULL;
  g_autoptr(GArray) arrivals = g_array_new (FALSE, FALSE, sizeof (Arrival));
  g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (Step));
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree guint *first_step = NULL;
  g_autoptr(GArray) passing = g_array_new (FALSE, FALSE, sizeof (Passing));
  g_autofree Loops *loops = NULL;
  GArray *lanes;
  /* Levels looked for across columns, each a pass over the boxes: a
   * bounded number, for heaps of any size */
  guint budget = MAX (16, 4000000 / MAX (self->boxes->len, 1));

  g_return_if_fail (self != NULL);

  routes = g_new0 (Route, self->edges->len + 1);
  first_step = g_new (guint, self->edges->len + 1);
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
  /* Every path's stretches, then lanes for their turns, then curves */
  for (guint i = 0; i < self->edges->len; i++)
    {
      guint first = steps->len;

      first_step[i] = first;
      trace (self, &g_array_index (self->edges, HsLayoutEdge, i), &routes[i], steps, &budget);
      for (guint k = first; k < steps->len; k++)
        {
          guint before = k > first ? k - 1 : G_MAXUINT;

          g_array_append_val (starts, before);
        }
    }
  first_step[self->edges->len] = steps->len;
  give_lanes (steps, starts);
  for (guint i = 0; i < self->edges->len; i++)
    {
      HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, i);

      e->alpha = 1;
      draw (self, e, &g_array_index (steps, Step, first_step[i]), first_step[i + 1] - first_step[i], path);
    }
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
