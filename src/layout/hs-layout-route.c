/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"
#define _GNU_SOURCE   /* memrchr */

#include "config.h"

#include <math.h>
#include <string.h>

#include "hs-layout-private.h"

/*
 * Routing: one arrow per drawn reference, from its slot to the target's
 * side, each a cubic Bézier.  Forward arrows enter the target's left side,
 * back edges (targets to the left) go around the right-hand side and enter
 * its right side.
 *
 * Arrows into one box enter it at points of their own, in the order of
 * their slots, so that two never share a path (a default argument and the
 * name bound to the same object did).  An arrow whose plain curve passes
 * over a box it does not start or end at tries other curves: turning late,
 * turning early, arching over or under, or going further round; it takes
 * the first that passes over nothing, else the one that passes over least.
 */

#define BAND          64.0  /* height of the bands boxes are indexed by */
#define SEGMENT       20.0  /* curves are checked as chords about this long */
/* Arrows longer than this (about a window) keep their plain curve: no
 * single curve finds a way across a whole picture, and checking them all
 * would cost more than the rest of the layout at 1,000 objects. */
#define MAX_CHECKED   960.0
#define MAX_SEEN      16
/* A plain curve over more boxes than this crosses a crowd that no other
 * single curve clears either: trying them all only costs time */
#define MAX_TRIED     2
/* Routing through gaps: how far an arrow keeps from the boxes it passes,
 * how far apart arrows crossing one gap run, and how narrow a channel
 * between two boxes is not one */
#define CLEAR         3.0
#define LANE          6.0
#define MERGE         (2 * CLEAR + 4)
#define UNBOUNDED     1e7
/* Lanes down a channel: the first this far from the boxes on its left,
 * then this far apart; corners this round.  An arrow turning more
 * steeply than STEEP takes a lane. */
#define LANE_INSET    8.0
#define LANE_X        6.0
#define LANE_CLOSE    4.5
#define LANE_CROWD    2.5
/* Lanes closer than this read as one line at the smallest zoom (the
 * geometry test's NEAR) */
#define NEAR_LANES    4.0
/* and the lanes of a crowded channel, spread once every arrow is routed,
 * keep this much more: corners and sampling bring two lanes NEAR_LANES
 * apart a hair closer */
#define LANE_SPREAD   (NEAR_LANES + 0.25)
/* and the turns beside those, and beside them, are found in at most this
 * many rounds, else the whole channel is spread */
#define MAX_SPAN_ROUNDS 8
#define MAX_LANES     64
#define CORNER        8.0
#define STEEP         1.0
/* Two curves run along each other where they come this near for this
 * long, as sampled at this many points */
#define RUN_NEAR      4.0
#define RUN_ALONG     12.0
#define RUN_SAMPLES   24
/* A stretch of a curve this shallow (dy / dx, 14 degrees) runs along a
 * level run beside it, if near enough */
#define SHALLOW       0.25
/* The most levels a path through the gaps tries across one cluster
 * for one whose runs on lie along no other */
#define MAX_LEVEL_TRIES 3
/* The most levels a slanting curve takes across one cluster */
#define MAX_CURVE_LEVELS 16

typedef struct
{
  HsLayout   *self;
  GHashTable *bands;   /* band -> GArray of box indices */
  guint       edge;    /* the arrow being routed */
  /* 2 * target box + back + 1 -> GArray of the arrows (indices) that
   * entered that side of it as single curves so far */
  GHashTable *curves_into;
} Obstacles;

static void
obstacles_init (Obstacles *obs,
                HsLayout  *self)
{
  g_assert (obs != NULL);

  obs->self = self;
  obs->bands = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  obs->curves_into = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  for (guint b = 0; b < self->boxes->len; b++)
    {
      const HsRect *r = &box_at (self, b)->rect;
      int first = (int) floor (r->y / BAND), last = (int) floor ((r->y + r->height) / BAND);

      if (box_at (self, b)->alpha <= 0)
        continue;
      for (int band = first; band <= last; band++)
        {
          GArray *list = g_hash_table_lookup (obs->bands, GINT_TO_POINTER (band));

          if (list == NULL)
            {
              list = g_array_new (FALSE, FALSE, sizeof (guint));
              g_hash_table_insert (obs->bands, GINT_TO_POINTER (band), list);
            }
          g_array_append_val (list, b);
        }
    }
}

static void
obstacles_clear (Obstacles *obs)
{
  g_assert (obs != NULL);
  g_clear_pointer (&obs->bands, g_hash_table_unref);
  g_clear_pointer (&obs->curves_into, g_hash_table_unref);
}

/* Liang-Barsky: whether the segment enters the rectangle's interior */
static gboolean
segment_meets_rect (double        x0,
                    double        y0,
                    double        x1,
                    double        y1,
                    const HsRect *r)
{
  double p[4] = { -(x1 - x0), x1 - x0, -(y1 - y0), y1 - y0 };
  double q[4] = { x0 - r->x - 0.5, r->x + r->width - 0.5 - x0, y0 - r->y - 0.5, r->y + r->height - 0.5 - y0 };
  double t0 = 0, t1 = 1;

  g_assert (r != NULL);

  for (guint i = 0; i < 4; i++)
    {
      if (p[i] == 0)
        {
          if (q[i] <= 0)
            return FALSE;
          continue;
        }
      if (p[i] < 0)
        t0 = MAX (t0, q[i] / p[i]);
      else
        t1 = MIN (t1, q[i] / p[i]);
      if (t0 >= t1)
        return FALSE;
    }
  return TRUE;
}

void
hs_layout_bezier_point (const double *x,
                        const double *y,
                        double        t,
                        double       *px,
                        double       *py)
{
  double u = 1 - t;

  *px = u * u * u * x[0] + 3 * u * u * t * x[1] + 3 * u * t * t * x[2] + t * t * t * x[3];
  *py = u * u * u * y[0] + 3 * u * u * t * y[1] + 3 * u * t * t * y[2] + t * t * t * y[3];
}

/* Whether any box but the two ends meets the curve's control hull: most
 * arrows run between neighbours, and this settles them at once */
static gboolean
hull_is_clear (Obstacles          *obs,
               const HsLayoutEdge *edge,
               const double       *x,
               const double       *y)
{
  double x1 = MIN (MIN (x[0], x[1]), MIN (x[2], x[3])), x2 = MAX (MAX (x[0], x[1]), MAX (x[2], x[3]));
  double y1 = MIN (MIN (y[0], y[1]), MIN (y[2], y[3])), y2 = MAX (MAX (y[0], y[1]), MAX (y[2], y[3]));

  g_assert (obs != NULL);

  for (int band = (int) floor (y1 / BAND); band <= (int) floor (y2 / BAND); band++)
    {
      GArray *list = g_hash_table_lookup (obs->bands, GINT_TO_POINTER (band));

      for (guint k = 0; list != NULL && k < list->len; k++)
        {
          guint b = g_array_index (list, guint, k);
          const HsRect *r = &box_at (obs->self, b)->rect;

          if (b != edge->source && b != edge->target_box
              && r->x < x2 && x1 < r->x + r->width && r->y < y2 && y1 < r->y + r->height)
            return FALSE;
        }
    }
  return TRUE;
}

/* Adds the boxes the curve passes over, besides its two ends, to
 * *crossings (each once, as far as `seen` reaches); stops counting past
 * `enough` */
static void
add_crossings (Obstacles          *obs,
               const HsLayoutEdge *edge,
               const double       *x,
               const double       *y,
               guint               enough,
               guint              *seen,
               guint              *n_crossings)
{
  double hull = 0, px, py;
  guint n, crossings = *n_crossings;

  g_assert (obs != NULL);
  g_assert (edge != NULL);

  if (hull_is_clear (obs, edge, x, y))
    return;
  for (guint i = 0; i < 3; i++)
    hull += fabs (x[i + 1] - x[i]) + fabs (y[i + 1] - y[i]);
  n = CLAMP ((guint) (hull / SEGMENT), 8, 256);
  px = x[0];
  py = y[0];
  for (guint i = 1; i <= n && crossings < enough; i++)
    {
      double qx, qy;
      int first, last;

      hs_layout_bezier_point (x, y, (double) i / n, &qx, &qy);
      first = (int) floor (MIN (py, qy) / BAND);
      last = (int) floor (MAX (py, qy) / BAND);
      for (int band = first; band <= last; band++)
        {
          GArray *list = g_hash_table_lookup (obs->bands, GINT_TO_POINTER (band));

          for (guint k = 0; list != NULL && k < list->len; k++)
            {
              guint b = g_array_index (list, guint, k);

              if (b == edge->source || b == edge->target_box
                  || !segment_meets_rect (px, py, qx, qy, &box_at (obs->self, b)->rect))
                continue;
              /* Each box once, as far as the short list reaches */
              for (guint m = 0; m < MIN (crossings, MAX_SEEN) && b != G_MAXUINT; m++)
                if (seen[m] == b)
                  b = G_MAXUINT;
              if (b == G_MAXUINT)
                continue;
              if (crossings < MAX_SEEN)
                seen[crossings] = b;
              crossings++;
            }
        }
      px = qx;
      py = qy;
    }
  *n_crossings = crossings;
}

static guint
count_crossings (Obstacles          *obs,
                 const HsLayoutEdge *edge,
                 const double       *x,
                 const double       *y,
                 guint               enough)
{
  guint seen[MAX_SEEN], crossings = 0;

  add_crossings (obs, edge, x, y, enough, seen, &crossings);
  return crossings;
}

/* The same over a path of curves */
static guint
count_path_crossings (Obstacles          *obs,
                      const HsLayoutEdge *edge,
                      GArray             *path,
                      guint               enough)
{
  guint seen[MAX_SEEN], crossings = 0;

  g_assert (path != NULL);

  for (guint c = 0; c + 3 < path->len && crossings < enough; c += 3)
    {
      const HsPoint *p = &g_array_index (path, HsPoint, c);
      double x[4] = { p[0].x, p[1].x, p[2].x, p[3].x };
      double y[4] = { p[0].y, p[1].y, p[2].y, p[3].y };

      add_crossings (obs, edge, x, y, enough, seen, &crossings);
    }
  return crossings;
}

/* Whether curve a comes within RUN_NEAR of curve b for longer than
 * RUN_ALONG: two arrows that cross at a shallow angle look like one */
static gboolean
curve_runs_along (const double *ax,
                  const double *ay,
                  const double *bx,
                  const double *by)
{
  double px[RUN_SAMPLES + 1], py[RUN_SAMPLES + 1], qx[RUN_SAMPLES + 1], qy[RUN_SAMPLES + 1];
  double run = 0;

  g_assert (ax != NULL && ay != NULL && bx != NULL && by != NULL);

  for (guint i = 0; i <= RUN_SAMPLES; i++)
    {
      hs_layout_bezier_point (ax, ay, (double) i / RUN_SAMPLES, &px[i], &py[i]);
      hs_layout_bezier_point (bx, by, (double) i / RUN_SAMPLES, &qx[i], &qy[i]);
    }
  for (guint i = 0; i <= RUN_SAMPLES; i++)
    {
      gboolean near = FALSE;

      for (guint j = 0; j < RUN_SAMPLES && !near; j++)
        {
          double dx = qx[j + 1] - qx[j], dy = qy[j + 1] - qy[j], len = dx * dx + dy * dy;
          double t = len > 0 ? CLAMP (((px[i] - qx[j]) * dx + (py[i] - qy[j]) * dy) / len, 0, 1) : 0;

          near = hypot (px[i] - (qx[j] + t * dx), py[i] - (qy[j] + t * dy)) <= RUN_NEAR;
        }
      if (!near)
        run = 0;
      else if (i > 0 && (run += hypot (px[i] - px[i - 1], py[i] - py[i - 1])) > RUN_ALONG)
        return TRUE;
    }
  return FALSE;
}

static gpointer
side_key (const HsLayoutEdge *edge)
{
  g_assert (edge != NULL);

  return GUINT_TO_POINTER (2 * edge->target_box + (edge->back ? 1 : 0) + 1);
}

/* Whether the curve runs along an arrow routed before it from the same
 * box to the same box, such as a default argument and the name bound to
 * it: those start and end close together, and curves of different shapes
 * between them cross at a shallow angle.  Or along a single curve routed
 * before it into the same side of the box from elsewhere: their ends are
 * ENTRY_SPACING apart, and two that come level slowly into them, one
 * from further left, cross at a shallow angle or close in on each other
 * (examples/functions.py at step 16, the return value and the list's
 * item into one int, 0.47 units apart for 38).  The later one tries its
 * other shapes, and failing them goes through the gaps, whose level run
 * in keeps ENTRY_SPACING off the other's. */
static gboolean
runs_along_sibling (Obstacles    *obs,
                    HsLayoutEdge *edge,
                    const double *x,
                    const double *y)
{
  GArray *into;

  g_assert (obs != NULL && edge != NULL);

  /* A box's arrows stand one after another */
  for (guint j = obs->edge; j-- > 0;)
    {
      const HsLayoutEdge *other = &g_array_index (obs->self->edges, HsLayoutEdge, j);

      if (other->source != edge->source)
        break;
      if (other->target_box == edge->target_box && curve_runs_along (x, y, other->x, other->y))
        return TRUE;
    }
  into = g_hash_table_lookup (obs->curves_into, side_key (edge));
  for (guint k = 0; into != NULL && k < into->len; k++)
    {
      const HsLayoutEdge *other = &g_array_index (obs->self->edges, HsLayoutEdge, g_array_index (into, guint, k));

      if (curve_runs_along (x, y, other->x, other->y))
        return TRUE;
    }
  return FALSE;
}

/* Appends index to the GArray of guint lists holds at key, made on
 * first use: the arrows that enter one side of one box */
static void
index_list_add (GHashTable *lists,
                gpointer    key,
                guint       index)
{
  GArray *list;

  g_assert (lists != NULL);

  list = g_hash_table_lookup (lists, key);
  if (list == NULL)
    {
      list = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (lists, key, list);
    }
  g_array_append_val (list, index);
}

/* Tries one curve; keeps it if it crosses fewer boxes than the best so
 * far, counting a run along a sibling arrow as one more */
static gboolean
try_curve (Obstacles    *obs,
           HsLayoutEdge *edge,
           const double  x[4],
           const double  y[4],
           guint        *best)
{
  guint crossings;

  g_assert (edge != NULL);
  g_assert (best != NULL);

  crossings = obs != NULL ? count_crossings (obs, edge, x, y, *best) : 0;
  if (crossings < *best && obs != NULL && runs_along_sibling (obs, edge, x, y))
    crossings++;
  if (crossings < *best)
    {
      *best = crossings;
      memcpy (edge->x, x, sizeof edge->x);
      memcpy (edge->y, y, sizeof edge->y);
    }
  return *best == 0;
}

/* The i-th of the curves tried first for a forward arrow from (sx, sy)
 * to (ex, ey), into x and y (control points); FALSE past the last.
 * Placement asks the same curves whether a place can be reached. */
gboolean
hs_layout_forward_curve (guint   i,
                         double  sx,
                         double  sy,
                         double  ex,
                         double  ey,
                         double  x[4],
                         double  y[4])
{
  /* Where the curve turns (fractions of the way across) */
  static const double turns[][2] = { { 0.5, 0.5 }, { 0.92, 0.04 }, { 0.04, 0.92 }, { 0.75, 0.2 }, { 0.2, 0.75 } };
  double w = ex - sx;

  if (i >= G_N_ELEMENTS (turns))
    return FALSE;
  x[0] = sx, x[1] = sx + w * turns[i][0], x[2] = ex - w * turns[i][1], x[3] = ex;
  y[0] = sy, y[1] = sy, y[2] = ey, y[3] = ey;
  return TRUE;
}

/* Returns how many boxes the curve it keeps passes over */
static guint
route_forward (Obstacles    *obs,
               HsLayoutEdge *edge,
               double        sx,
               double        sy,
               double        ex,
               double        ey)
{
  double x[4], y[4];
  guint best = G_MAXUINT;

  g_assert (edge != NULL);

  for (guint i = 0; hs_layout_forward_curve (i, sx, sy, ex, ey, x, y); i++)
    if (try_curve (obs, edge, x, y, &best) || obs == NULL || best > MAX_TRIED)
      break;
  return best;
}

static guint
route_back (Obstacles         *obs,
            HsLayoutEdge      *edge,
            const HsLayoutBox *source,
            double             sx,
            double             sy,
            double             ex,
            double             ey)
{
  double side = MAX (source->rect.x + source->rect.width, ex) + 28 + 6 * (edge->row % 4);
  double x[4] = { sx, side, side, ex };
  double y[4] = { sy, sy, ey, ey };
  guint best = G_MAXUINT;

  g_assert (edge != NULL);

  /* Around the right-hand side; an arrow this does not clear goes
   * through the gaps */
  try_curve (obs, edge, x, y, &best);
  return best;
}

/* ------------------------------------------------------------------ */
/* Paths through the gaps between boxes                                */

/* Room down a cluster between two boxes (or above or below them all),
 * with the levels arrows already cross it at, top-down */
typedef struct
{
  double  lo;
  double  hi;
  GArray *used;   /* double */
  /* guint8 per level k, 1 where a search down the gap from LANE below
   * level k steps straight on to LANE below level k + 1 (up: from LANE
   * above level k + 1 to LANE above level k), so that a search skips a
   * run of levels packed LANE apart in one memchr */
  GArray *down;
  GArray *up;
  /* No level is free in it: levels are only added, so it stays full, and
   * take_level() passes it by (a crowded column's small gaps fill, and
   * each arrow after would search them all again) */
  gboolean full;
} Gap;

/* Boxes whose extents across overlap, or nearly: a column, mostly */
typedef struct
{
  double  lo;
  double  hi;
  GArray *gaps;    /* Gap, top-down */
  GArray *downs;   /* Extent: its boxes' extents down, top-down */
  double  tallest; /* the tallest of them */
  GArray *lanes;   /* Lane: the lanes turns were taken down in the
                    * channel on its right, by x */
  GArray *leg_ys;  /* double: the y of each of legs, top-down */
  GArray *legs;    /* Leg: the level runs across the channel on its
                    * right, in leg_ys' order */
  GArray *slots;   /* double: the y of every slot an arrow leaves its
                    * boxes from rightwards, top-down */
} Cluster;

/* A level run across a channel, from x lo to x hi: a turn's run in to
 * its lane or out of it, or an S's */
typedef struct
{
  double lo;
  double hi;
} Leg;

/* The turns taken down one lane, each its extent down, sorted by top.  A
 * lane is taken only where no turn within a lane's spacing of it runs, so
 * two turns down one lane never overlap, and their bottoms are sorted
 * too: one search finds whether a run meets any of them. */
typedef struct
{
  double  x;
  GArray *runs;    /* Extent: lo, hi and the turn (box) */
  /* Where the last search of runs ended, the bottom of the run before
   * it, and the bottom and top of the run there: a search for much the
   * same y again is answered here, without reading runs */
  guint   hint;
  double  hint_prev_hi;
  double  hint_hi;
  double  hint_lo;
} Lane;

typedef struct
{
  double lo;
  double hi;
  guint  box;     /* a lane's runs: the turn's index in Channels' turns */
  double right;   /* extents down: the box's right edge */
} Extent;

typedef struct
{
  GArray *clusters;     /* Cluster, left to right */
  guint  *cluster_of;   /* box index -> cluster index */
  GByteArray *blocked;  /* take_lane()'s, per lane it looks at */
  GArray *turns;        /* Turn: every turn taken, as taken */
  Extent *crowded;      /* per cluster: from the top of the first turn
                         * down the channel on its right that took a lane
                         * of the crowded grid (the only lanes closer than
                         * NEAR_LANES) to the bottom of the last; lo > hi
                         * where none did */
} Channels;

/* A turn down a lane (its run down is in the lane's runs, whose `box`
 * is the turn's index), as path_turn_to() drew it into an arrow's path:
 * enough to draw it again down another lane */
typedef struct
{
  guint  edge;      /* whose path; G_MAXUINT where no path kept it */
  guint  at;        /* the path's point the turn's curves follow */
  double lo;        /* the x range its lane may take, clear of boxes */
  double hi;
  double x1;        /* where the turn ends, level, out of the lane */
  double y1;
} Turn;

static int
compare_extents (gconstpointer a,
                 gconstpointer b)
{
  const Extent *x = a, *y = b;

  if (x->lo != y->lo)
    return x->lo < y->lo ? -1 : 1;
  return x->box < y->box ? -1 : x->box > y->box;
}

static void
add_gap (GArray *gaps,
         double  lo,
         double  hi)
{
  Gap gap = { lo, hi, g_array_new (FALSE, FALSE, sizeof (double)),
              g_array_new (FALSE, FALSE, sizeof (guint8)), g_array_new (FALSE, FALSE, sizeof (guint8)), FALSE };

  g_assert (gaps != NULL);
  g_array_append_val (gaps, gap);
}

/* The gaps down one cluster, from its boxes' extents down */
static void
find_gaps (Cluster *cluster,
           GArray  *downs)
{
  double end = -UNBOUNDED;

  g_assert (cluster != NULL);

  cluster->gaps = g_array_new (FALSE, FALSE, sizeof (Gap));
  g_array_sort (downs, compare_extents);
  for (guint i = 0; i < downs->len; i++)
    {
      const Extent *d = &g_array_index (downs, Extent, i);

      if (d->lo - CLEAR > end)
        add_gap (cluster->gaps, end, d->lo - CLEAR);
      end = MAX (end, d->hi + CLEAR);
    }
  add_gap (cluster->gaps, end, UNBOUNDED);
}

static void
channels_init (Channels *ch,
               HsLayout *self)
{
  g_autoptr(GArray) across = g_array_new (FALSE, FALSE, sizeof (Extent));
  g_autoptr(GArray) downs = g_array_new (FALSE, FALSE, sizeof (Extent));

  g_assert (ch != NULL);

  ch->clusters = g_array_new (FALSE, FALSE, sizeof (Cluster));
  ch->cluster_of = g_new0 (guint, MAX (self->boxes->len, 1));
  ch->blocked = g_byte_array_new ();
  ch->turns = g_array_new (FALSE, FALSE, sizeof (Turn));
  for (guint b = 0; b < self->boxes->len; b++)
    {
      const HsRect *r = &box_at (self, b)->rect;
      Extent e = { r->x, r->x + r->width, b };

      if (box_at (self, b)->alpha > 0)
        g_array_append_val (across, e);
    }
  g_array_sort (across, compare_extents);
  for (guint i = 0; i < across->len;)
    {
      Cluster cluster = { 0 };

      cluster.lo = g_array_index (across, Extent, i).lo;
      cluster.hi = g_array_index (across, Extent, i).hi;
      g_array_set_size (downs, 0);
      for (; i < across->len && g_array_index (across, Extent, i).lo < cluster.hi + MERGE; i++)
        {
          const Extent *e = &g_array_index (across, Extent, i);
          const HsRect *r = &box_at (self, e->box)->rect;
          Extent down = { r->y, r->y + r->height, e->box, r->x + r->width };

          cluster.hi = MAX (cluster.hi, e->hi);
          ch->cluster_of[e->box] = ch->clusters->len;
          g_array_append_val (downs, down);
        }
      find_gaps (&cluster, downs);
      cluster.downs = g_array_copy (downs);
      for (guint d = 0; d < downs->len; d++)
        cluster.tallest = MAX (cluster.tallest, g_array_index (downs, Extent, d).hi - g_array_index (downs, Extent, d).lo);
      cluster.lanes = g_array_new (FALSE, FALSE, sizeof (Lane));
      cluster.leg_ys = g_array_new (FALSE, FALSE, sizeof (double));
      cluster.legs = g_array_new (FALSE, FALSE, sizeof (Leg));
      cluster.slots = g_array_new (FALSE, FALSE, sizeof (double));
      g_array_append_val (ch->clusters, cluster);
    }
  ch->crowded = g_new (Extent, MAX (ch->clusters->len, 1));
  for (guint c = 0; c < ch->clusters->len; c++)
    ch->crowded[c] = (Extent) { G_MAXDOUBLE, -G_MAXDOUBLE, 0, 0 };
}

static void
channels_clear (Channels *ch)
{
  g_assert (ch != NULL);

  for (guint c = 0; c < ch->clusters->len; c++)
    {
      Cluster *cluster = &g_array_index (ch->clusters, Cluster, c);

      for (guint g = 0; g < cluster->gaps->len; g++)
        {
          g_array_unref (g_array_index (cluster->gaps, Gap, g).used);
          g_array_unref (g_array_index (cluster->gaps, Gap, g).down);
          g_array_unref (g_array_index (cluster->gaps, Gap, g).up);
        }
      g_array_unref (cluster->gaps);
      g_array_unref (cluster->downs);
      for (guint l = 0; l < cluster->lanes->len; l++)
        g_array_unref (g_array_index (cluster->lanes, Lane, l).runs);
      g_array_unref (cluster->lanes);
      g_array_unref (cluster->leg_ys);
      g_array_unref (cluster->legs);
      g_array_unref (cluster->slots);
    }
  g_clear_pointer (&ch->clusters, g_array_unref);
  g_clear_pointer (&ch->cluster_of, g_free);
  g_clear_pointer (&ch->blocked, g_byte_array_unref);
  g_clear_pointer (&ch->turns, g_array_unref);
  g_clear_pointer (&ch->crowded, g_free);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static Cluster *
cluster_at (Channels *ch,
            guint     c)
{
  return &g_array_index (ch->clusters, Cluster, c);
}

/* The first of the sorted values at or above y */
static guint
lower_bound (const double *values,
             guint         n,
             double        y)
{
  guint lo = 0, hi = n;

  g_assert (values != NULL || n == 0);

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (values[mid] < y)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The level gap_level_towards() steps past next when it stands LANE past
 * level k, in direction dir; G_MAXUINT where it stops there */
static guint
next_step (const double *used,
           guint         n,
           guint         k,
           int           dir)
{
  double y;
  guint i;
  gboolean clash_next, clash_prev;

  g_assert (used != NULL && k < n);

  /* The same test as gap_level_towards() makes.  The first level at or
   * above y is one or two from k: a step or two finds it, as a search of
   * every level would. */
  y = used[k] + dir * LANE;
  i = k;
  while (i < n && used[i] < y)
    i++;
  while (i > 0 && used[i - 1] >= y)
    i--;
  clash_next = i < n && used[i] - y < LANE - 0.001;
  clash_prev = i > 0 && y - used[i - 1] < LANE - 0.001;
  if (!clash_next && !clash_prev)
    return G_MAXUINT;
  if (dir > 0)
    return clash_next ? i : i - 1;
  return clash_prev ? i - 1 : i;
}

/* Inserts a level in use at index i, and keeps the gap's steps */
static void
gap_insert (Gap    *gap,
            guint   i,
            double  level)
{
  const double *used;
  guint8 none = 0;
  guint n;

  g_assert (gap != NULL);

  g_array_insert_val (gap->used, i, level);
  g_array_insert_val (gap->down, i, none);
  g_array_insert_val (gap->up, i, none);
  used = (const double *) gap->used->data;
  n = gap->used->len;
  /* A step from level k depends only on the levels within 2 LANE of it:
   * only those near the new one change.  The last level's entries stay
   * 0, which ends every skip. */
  i = lower_bound (used, n, level - 3 * LANE);
  for (guint k = i > 0 ? i - 1 : 0; k + 1 < n && used[k] <= level + 3 * LANE; k++)
    {
      g_array_index (gap->down, guint8, k) = next_step (used, n, k, 1) == k + 1;
      g_array_index (gap->up, guint8, k) = next_step (used, n, k + 1, -1) == k;
    }
}

/* The level nearest `want` in the gap, LANE from every level in use
 * there, searching in direction `dir` (-1 up, +1 down); FALSE if none */
static gboolean
gap_level_towards (const Gap *gap,
                   double     want,
                   int        dir,
                   double    *out)
{
  const double *used = (const double *) gap->used->data;
  guint n = gap->used->len;
  double y = CLAMP (want, gap->lo, gap->hi);
  guint i;

  g_assert (gap != NULL);

  /* y only moves in direction dir, so the first level at or above it
   * does too: step i along instead of searching afresh each time round
   * (a crowd of arrows into one box packs hundreds of levels LANE apart,
   * and each search walks past them all) */
  i = lower_bound (used, n, y);
  for (;;)
    {
      /* A hair less than LANE: a level LANE past another, as set below,
       * may round to just under it */
      gboolean clash_next = i < n && used[i] - y < LANE - 0.001;
      gboolean clash_prev = i > 0 && y - used[i - 1] < LANE - 0.001;

      if (!clash_next && !clash_prev)
        break;
      /* Past every level it clashes with, in its direction, and on past
       * the run of levels each LANE past the one before: the steps this
       * loop would take one at a time */
      if (dir > 0)
        {
          guint j = clash_next ? i : i - 1;
          const guint8 *end = memchr ((const guint8 *) gap->down->data + j, 0, n - j);

          j = end - (const guint8 *) gap->down->data;
          y = used[j] + LANE;
          i = MAX (i, j + 1);
        }
      else
        {
          guint j = clash_prev ? i - 1 : i;
          const guint8 *end = j > 0 ? memrchr (gap->up->data, 0, j) : NULL;

          j = end != NULL ? (guint) (end - (const guint8 *) gap->up->data) + 1 : 0;
          y = used[j] - LANE;
          i = MIN (i, j);
        }
      if (y < gap->lo || y > gap->hi)
        return FALSE;
      if (dir > 0)
        while (i < n && used[i] < y)
          i++;
      else
        while (i > 0 && used[i - 1] >= y)
          i--;
    }
  *out = y;
  return TRUE;
}

/* Chooses, and takes, the free level across cluster c nearest `want` */
static double
take_level (Cluster *cluster,
            double   want)
{
  GArray *gaps = cluster->gaps;
  double best = want, best_distance = G_MAXDOUBLE;
  Gap *best_gap = NULL;
  guint first = 0, last;

  g_assert (cluster != NULL);

  /* The gap at or just above want, then outwards both ways.  Gaps stand
   * top-down, so a search finds it: a column of thousands of boxes has
   * thousands of gaps. */
  last = gaps->len > 0 ? gaps->len - 1 : 0;
  while (first < last)
    {
      guint mid = first + (last - first + 1) / 2;

      if (g_array_index (gaps, Gap, mid).lo <= want)
        first = mid;
      else
        last = mid - 1;
    }
  for (int dir = -1; dir <= 1; dir += 2)
    for (int g = dir < 0 ? (int) first : (int) first + 1; g >= 0 && g < (int) gaps->len; g += dir)
      {
        Gap *gap = &g_array_index (gaps, Gap, g);
        double y;

        if ((dir < 0 ? want - gap->hi : gap->lo - want) >= best_distance)
          break;
        if (gap->full)
          continue;
        for (int d = -1; d <= 1; d += 2)
          if (gap_level_towards (gap, want, d, &y) && fabs (y - want) < best_distance)
            {
              best = y;
              best_distance = fabs (y - want);
              best_gap = gap;
            }
        /* The search down from its top finds the first free level in it,
         * if there is one */
        gap->full = !gap_level_towards (gap, gap->lo, 1, &y);
      }
  if (best_gap != NULL)
    {
      guint i = lower_bound ((const double *) best_gap->used->data, best_gap->used->len, best);

      gap_insert (best_gap, i, best);
    }
  return best;
}

static void
path_add (GArray *path,
          double  x1,
          double  y1,
          double  x2,
          double  y2,
          double  x3,
          double  y3)
{
  HsPoint p[3] = { { x1, y1 }, { x2, y2 }, { x3, y3 } };

  g_assert (path != NULL);
  g_array_append_vals (path, p, 3);
}

static void
path_line_to (GArray *path,
              double  x,
              double  y)
{
  HsPoint *last;
  double x0, y0;

  g_assert (path != NULL && path->len > 0);

  last = &g_array_index (path, HsPoint, path->len - 1);
  x0 = last->x;
  y0 = last->y;
  /* Too short for a segment of its own, the curve before ends there
   * instead: skipped, it left an arrow 0.32 units off its box (churn.py,
   * step 15).  The path's first point is the slot, and stays. */
  if (fabs (x - x0) + fabs (y - y0) < 0.5)
    {
      if (path->len > 1)
        *last = (HsPoint) { x, y };
      return;
    }
  path_add (path, x0 + (x - x0) / 3, y0 + (y - y0) / 3, x0 + 2 * (x - x0) / 3, y0 + 2 * (y - y0) / 3, x, y);
}

/* An S across a channel: leaves and arrives level */
static void
path_s_to (GArray *path,
           double  x,
           double  y)
{
  const HsPoint *last;
  double x0, y0, mid;

  g_assert (path != NULL && path->len > 0);

  last = &g_array_index (path, HsPoint, path->len - 1);
  x0 = last->x;
  y0 = last->y;
  mid = (x0 + x) / 2;
  if (fabs (y - y0) < 0.5)
    path_line_to (path, x, y);
  else
    path_add (path, mid, y0, mid, y, x, y);
}

/* The right edge of cluster c's boxes level with a run down from y1 to
 * y2, and at least `from`: a wide box above or below leaves the channel
 * wider at other heights */
static double
local_right (const Cluster *c,
             double         y1,
             double         y2,
             double         from)
{
  const GArray *downs;
  guint lo = 0, hi;
  double right = from;

  g_assert (c != NULL);

  downs = c->downs;
  hi = downs->len;
  /* The first box that may reach down to y1 */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (downs, Extent, mid).lo < y1 - c->tallest)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < downs->len && g_array_index (downs, Extent, i).lo < y2; i++)
    {
      const Extent *d = &g_array_index (downs, Extent, i);

      if (d->hi > y1)
        right = MAX (right, d->right);
    }
  return MIN (right, c->hi);
}

/* The first of the lanes, sorted by x, at or right of x */
static guint
lane_at_or_right (const GArray *lanes,
                  double        x)
{
  guint lo = 0, hi;

  g_assert (lanes != NULL);

  hi = lanes->len;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (lanes, Lane, mid).x < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Notes that the lane's last search ended at run i */
static void
lane_remember (Lane  *lane,
               guint  i)
{
  const Extent *runs;
  guint n;

  g_assert (lane != NULL);

  runs = (const Extent *) lane->runs->data;
  n = lane->runs->len;
  g_assert (i <= n);
  lane->hint = i;
  lane->hint_prev_hi = i > 0 ? runs[i - 1].hi : -G_MAXDOUBLE;
  lane->hint_hi = i < n ? runs[i].hi : G_MAXDOUBLE;
  lane->hint_lo = i < n ? runs[i].lo : G_MAXDOUBLE;
}

/* The first of a lane's runs, sorted and apart, whose bottom is below
 * y.  Arrows are routed from the top down, mostly, so a lane is asked
 * about much the same y again and again: the search gallops out from
 * where the last one ended, rather than halving all its runs each time
 * (thousands, down a column of thousands of boxes). */
static guint
run_ending_below (Lane   *lane,
                  double  y)
{
  const Extent *runs;
  guint n, lo, hi, step = 1;

  g_assert (lane != NULL);

  if (lane->hint_prev_hi <= y && y < lane->hint_hi)
    return lane->hint;
  runs = (const Extent *) lane->runs->data;
  n = lane->runs->len;
  lo = 0;
  hi = n;
  if (lane->hint < n && runs[lane->hint].hi <= y)
    {
      /* Below the hint: out downwards */
      for (lo = lane->hint + 1; lo < n; step *= 2)
        {
          guint probe = MIN (lo + step - 1, n - 1);

          if (runs[probe].hi > y)
            {
              hi = probe;
              break;
            }
          lo = probe + 1;
        }
    }
  else
    {
      /* At or above it: out upwards */
      for (hi = MIN (lane->hint, n); hi > 0; step *= 2)
        {
          guint probe = hi >= step ? hi - step : 0;

          if (runs[probe].hi <= y)
            {
              lo = probe + 1;
              break;
            }
          hi = probe;
        }
    }
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (runs[mid].hi <= y)
        lo = mid + 1;
      else
        hi = mid;
    }
  lane_remember (lane, lo);
  return lo;
}

/* Lanes free or blocked from top to bottom, as far as found */
enum { UNKNOWN, FREE, BLOCKED };

/* Moves *l to the first lane at or right of x, and not left of lane
 * `first`, from where it stands: the lanes asked about are mostly each
 * beside the last, so this is a step or two, and a search only where
 * it is not */
static void
lane_move_to (const Cluster *c,
              guint          first,
              guint         *l,
              double         x)
{
  guint steps = 0;

  g_assert (c != NULL && l != NULL && *l >= first);

  while (*l < c->lanes->len && g_array_index (c->lanes, Lane, *l).x < x && steps++ < 4)
    (*l)++;
  while (*l > first && g_array_index (c->lanes, Lane, *l - 1).x >= x && steps++ < 4)
    (*l)--;
  if (steps >= 4)
    *l = MAX (first, lane_at_or_right (c->lanes, x));
}

/* Whether a turn runs down the channel nearer than `spacing` (a hair
 * less) to x, somewhere from top to bottom.  *l is the first lane the
 * search may need, moved on from where the last search left it.
 * Whether lane l is blocked is found once, in blocked[l - first]. */
static gboolean
lane_is_taken (const Cluster *c,
               guint8        *blocked,
               guint          first,
               guint         *l,
               double         x,
               double         spacing,
               double         top,
               double         bottom)
{
  g_assert (c != NULL && blocked != NULL && l != NULL);

  lane_move_to (c, first, l, x - spacing);
  for (guint m = *l; m < c->lanes->len; m++)
    {
      Lane *lane = &g_array_index (c->lanes, Lane, m);
      guint8 *state = &blocked[m - first];

      if (lane->x > x + spacing)
        break;
      if (!(fabs (x - lane->x) < spacing - 0.001))
        continue;
      if (*state == UNKNOWN)
        {
          /* The run found is the one remembered: its top is at hand */
          run_ending_below (lane, top);
          *state = lane->hint_lo < bottom ? BLOCKED : FREE;
        }
      if (*state == BLOCKED)
        return TRUE;
    }
  return FALSE;
}

/* Notes turn `turn` (an index of Channels' turns), from y1 to y2, down
 * the lane at x */
static void
add_turn (Cluster *c,
          double   x,
          double   y1,
          double   y2,
          guint    turn)
{
  guint l = lane_at_or_right (c->lanes, x), i;
  Extent run = { y1, y2, turn, 0 };
  Lane *lane;

  g_assert (c != NULL);

  if (l == c->lanes->len || g_array_index (c->lanes, Lane, l).x != x)
    {
      Lane added = { x, g_array_new (FALSE, FALSE, sizeof (Extent)), 0, -G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE };

      g_array_insert_val (c->lanes, l, added);
    }
  lane = &g_array_index (c->lanes, Lane, l);
  i = run_ending_below (lane, y1);
  g_array_insert_val (lane->runs, i, run);
  lane_remember (lane, i);
}

/* Notes a level run across the channel right of c at y, from x1 to x2 */
static void
add_leg (Cluster *c,
         double   y,
         double   x1,
         double   x2)
{
  guint i;
  Leg leg = { MIN (x1, x2), MAX (x1, x2) };

  g_assert (c != NULL);

  i = lower_bound ((const double *) c->leg_ys->data, c->leg_ys->len, y);
  g_array_insert_val (c->leg_ys, i, y);
  g_array_insert_val (c->legs, i, leg);
}

/* The level runs noted in the channel right of c within a level's
 * spacing of y: legs from *from up to *to */
static void
legs_near (const Cluster *c,
           double         y,
           guint         *from,
           guint         *to)
{
  const double *ys;
  guint n, i;

  g_assert (c != NULL && from != NULL && to != NULL);

  ys = (const double *) c->leg_ys->data;
  n = c->leg_ys->len;
  *from = i = lower_bound (ys, n, y - LANE + 0.001);
  while (i < n && ys[i] < y + LANE - 0.001)
    i++;
  *to = i;
}

/* How long a level run from x1 to x2 lies along the legs from `from` up
 * to `to` */
static double
legs_overlap (const Cluster *c,
              guint          from,
              guint          to,
              double         x1,
              double         x2)
{
  double lo = MIN (x1, x2), hi = MAX (x1, x2), along = 0;

  g_assert (c != NULL);

  for (guint i = from; i < to; i++)
    {
      const Leg *leg = &g_array_index (c->legs, Leg, i);

      along += MAX (0, MIN (hi, leg->hi) - MAX (lo, leg->lo));
    }
  return along;
}

/* How long a level run at y from x1 to x2 would lie along the level runs
 * noted in the channel right of c, within a level's spacing of it */
static double
legs_along (const Cluster *c,
            double         y,
            double         x1,
            double         x2)
{
  guint from, to;

  legs_near (c, y, &from, &to);
  return legs_overlap (c, from, to, x1, x2);
}

/* Whether a level run at y across the whole channel right of cluster k
 * would lie along one noted there */
static gboolean
channel_has_leg (Channels *ch,
                 guint     k,
                 double    y)
{
  Cluster *c;
  double right;

  g_assert (ch != NULL);

  c = cluster_at (ch, k);
  right = k + 1 < ch->clusters->len ? cluster_at (ch, k + 1)->lo : c->hi + COLUMN_GAP;
  return legs_along (c, y, c->hi, right) > 0;
}

/* Takes the free level across cluster k nearest `want` whose runs on
 * into the channels either side (lo and hi, channel indices, G_MAXUINT
 * for none) lie along no level run noted there, if one of the first few
 * tried does: those runs are fixed once the level is, and no lane the
 * path turns down then keeps them apart.  The levels passed over stay
 * taken, as other paths' would. */
static double
take_clear_level (Channels *ch,
                  guint     k,
                  double    want,
                  guint     lo,
                  guint     hi)
{
  double first = NAN;

  g_assert (ch != NULL);

  for (guint tries = 0; tries < MAX_LEVEL_TRIES; tries++)
    {
      double level = take_level (cluster_at (ch, k), want);

      if (isnan (first))
        first = level;
      if ((lo == G_MAXUINT || !channel_has_leg (ch, lo, level))
          && (hi == G_MAXUINT || !channel_has_leg (ch, hi, level)))
        return level;
    }
  return first;
}

/* Whether an arrow leaves cluster c rightwards from a slot within LANE
 * of level y */
static gboolean
slot_level_with (const Cluster *c,
                 double         y)
{
  guint i;

  g_assert (c != NULL);

  i = lower_bound ((const double *) c->slots->data, c->slots->len, y - LANE);
  return i < c->slots->len && g_array_index (c->slots, double, i) <= y + LANE;
}

/* Whether a path or curve crosses cluster c within LANE of level y */
static gboolean
level_is_taken (const Cluster *c,
                double         y)
{
  guint lo = 0, hi;

  g_assert (c != NULL);

  /* The last gap whose top is at or above y */
  hi = c->gaps->len;
  while (lo + 1 < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (c->gaps, Gap, mid).lo <= y)
        lo = mid;
      else
        hi = mid;
    }
  for (guint g = lo > 0 ? lo - 1 : 0; g < MIN (lo + 2, c->gaps->len); g++)
    {
      const Gap *gap = &g_array_index (c->gaps, Gap, g);
      const double *used = (const double *) gap->used->data;
      guint i = lower_bound (used, gap->used->len, y - LANE + 0.001);

      if (i < gap->used->len && used[i] < y + LANE - 0.001)
        return TRUE;
    }
  return FALSE;
}

/* One search of take_lane()'s for a lane down a channel.  The lanes and
 * legs stay as they are until it ends, so what it needs of them near the
 * run is found once, not for each lane it tries. */
typedef struct
{
  const Cluster *c;
  guint8        *blocked;      /* lane_is_taken()'s, from lane `first` on */
  guint          first;
  guint          l;            /* lane_is_taken()'s */
  double         top;          /* the run down, turns and all */
  double         bottom;
  double         x0;           /* the level runs in, from x0, */
  double         x1;           /* and out, to x1 (their levels are in legs_near()'s ranges) */
  guint          in_from;      /* legs_near() y1 */
  guint          in_to;
  guint          out_from;     /* legs_near() y2 */
  guint          out_to;
  gboolean       out_crosses;  /* level_is_taken() at y2 */
  gboolean       any_free;     /* a free lane was found in a grid before */
  double         least;        /* how far fallback's runs lie along */
  double         fallback;     /* the x of the free lane whose runs lie along the least */
  double         fallback_spacing;   /* and the spacing of its grid */
  double         clear_lo;     /* the lanes whose runs lie along none: x from clear_lo */
  double         clear_hi;     /* to clear_hi, both included; none when clear_lo > clear_hi */
} LaneSearch;

/* How far the level runs to and from the lane at `at` would lie along
 * other arrows' */
static double
lane_runs_along (const LaneSearch *s,
                 double            at)
{
  const Cluster *c;
  double along;

  g_assert (s != NULL);

  c = s->c;
  along = legs_overlap (c, s->in_from, s->in_to, s->x0, at) + legs_overlap (c, s->out_from, s->out_to, at, s->x1);
  /* A lane left of the cluster's widest box runs out level over the
   * cluster: along the paths that cross it near that level */
  if (at < c->hi && s->out_crosses)
    along += c->hi - at;
  return along;
}

/* Whether the runs to and from the lane at `at` lie along no other
 * arrow's (legs_clear_range()) */
static gboolean
lane_in_clear_range (const LaneSearch *s,
                     double            at)
{
  g_assert (s != NULL);

  return s->clear_lo <= at && at <= s->clear_hi;
}

/* Narrows *lo and *hi to the lanes whose level run to or from x lies
 * along none of the legs from `from` up to `to`: a run right from x
 * meets a leg once it passes the leg's left end (or x), a run left
 * once it passes the right end.  These are the lanes where
 * legs_overlap() finds 0, compared, not summed. */
static void
legs_clear_range (const Cluster *c,
                  guint          from,
                  guint          to,
                  double         x,
                  double        *lo,
                  double        *hi)
{
  g_assert (c != NULL && lo != NULL && hi != NULL);

  for (guint i = from; i < to; i++)
    {
      const Leg *leg = &g_array_index (c->legs, Leg, i);
      double left = MAX (x, leg->lo), right = MIN (x, leg->hi);

      if (leg->hi > left)
        *hi = MIN (*hi, left);
      if (leg->lo < right)
        *lo = MAX (*lo, right);
    }
}

/* Whether the lane at `at` is free and its runs lie along no other
 * arrow's: the lane to take, the first of them in a grid's order */
static gboolean
lane_is_clear (LaneSearch *s,
               double      at,
               double      spacing)
{
  g_assert (s != NULL);

  return lane_in_clear_range (s, at)
         && !lane_is_taken (s->c, s->blocked, s->first, &s->l, at, spacing, s->top, s->bottom);
}

/* The x of the lane-th of a grid's n lanes from `start` `spacing` apart,
 * counted from the left or from the right */
static double
grid_lane_at (double   start,
              double   spacing,
              guint    n,
              guint    lane,
              gboolean from_right)
{
  return start + spacing * (from_right ? n - 1 - lane : lane);
}

/* The x of the first of a grid's n lanes, from `start` `spacing` apart,
 * that is clear (lane_is_clear()), from the left or from the right; NAN
 * if none is */
static double
first_clear_lane (LaneSearch *s,
                  double      start,
                  double      spacing,
                  guint       n,
                  gboolean    from_right)
{
  g_assert (s != NULL);

  for (guint lane = 0; lane < n; lane++)
    {
      double at = grid_lane_at (start, spacing, n, lane, from_right);

      if (lane_is_clear (s, at, spacing))
        return at;
    }
  return NAN;
}

/* The first grid with a free lane takes the first free lane whose runs
 * lie along none, else falls back on the free lane whose runs lie along
 * the least, the first of those.  The x of the lane taken, or NAN, with
 * the fallback noted. */
static double
first_free_lane (LaneSearch *s,
                 double      start,
                 double      spacing,
                 guint       n,
                 gboolean    from_right)
{
  double x;

  g_assert (s != NULL);

  /* The lanes whose runs lie along none come first, and one of them is
   * most often free */
  if (!isnan (x = first_clear_lane (s, start, spacing, n, from_right)))
    return x;
  /* Then the others: in a full channel every lane is taken, and whether
   * it is costs less to find than how far its runs would lie along */
  for (guint lane = 0; lane < n; lane++)
    {
      double at = grid_lane_at (start, spacing, n, lane, from_right);
      double along;

      if (lane_in_clear_range (s, at))
        continue;
      if (lane_is_taken (s->c, s->blocked, s->first, &s->l, at, spacing, s->top, s->bottom))
        continue;
      along = lane_runs_along (s, at);
      if (along < s->least)
        {
          s->least = along;
          s->fallback = at;
          s->fallback_spacing = spacing;
        }
    }
  return NAN;
}

/* Off the grids: a close lane's spacing beside a lane taken, where the
 * grids' lanes fall too near the lanes of the other grid, or of the
 * boxes' edge, to be free.  The x of the first clear one
 * (lane_is_clear()), from the left or from the right, or NAN.  Only the
 * lanes taken near the clear range can have a clear one beside them. */
static double
lane_beside_taken (LaneSearch *s,
                   double      left,
                   double      right,
                   gboolean    from_right)
{
  const GArray *lanes;
  guint lo, hi;
  int dir = from_right ? -1 : 1;

  g_assert (s != NULL);

  if (s->clear_lo > s->clear_hi)
    return NAN;
  lanes = s->c->lanes;
  lo = MAX (s->first, lane_at_or_right (lanes, s->clear_lo - LANE_CLOSE - 1));
  hi = MAX (lo, lane_at_or_right (lanes, s->clear_hi + LANE_CLOSE + 1));
  for (guint m = 0; m < hi - lo; m++)
    {
      double taken = g_array_index (lanes, Lane, from_right ? hi - 1 - m : lo + m).x;

      for (int side = -1; side <= 1; side += 2)
        {
          double at = taken + side * dir * LANE_CLOSE;

          if (at < left + CLEAR || at > right - CLEAR)
            continue;
          if (lane_is_clear (s, at, LANE_CLOSE))
            return at;
        }
    }
  return NAN;
}

/* The x of a free lane in the channel right of cluster k for a run down
 * from y1 to y2, which it then takes; NAN if every lane is taken there.
 * Lanes stand LANE_X apart, LANE_INSET in; where those are all taken (a
 * narrow channel, or a crowded one), closer lanes between and beside
 * them, rather than one run down another's lane.  With `from` a number,
 * the lanes begin right of the boxes level with the run (and of `from`),
 * not of the cluster's widest box.  Thousands of arrows may turn down one
 * channel: each candidate lane looks only at the turns taken near its x,
 * one search each.  The turn is noted as one that path_turn_to() draws
 * into `path` next, out to (x1, y2). */
static double
take_lane (Channels *ch,
           GArray   *path,
           guint     k,
           double    y1,
           double    y2,
           double    from,
           double    x0,
           double    x1)
{
  Cluster *c = cluster_at (ch, k);
  double right = k + 1 < ch->clusters->len ? cluster_at (ch, k + 1)->lo : c->hi + COLUMN_GAP;
  double top = MIN (y1, y2) - LANE, bottom = top + (fabs (y2 - y1) + 2 * LANE);
  double left = isnan (from) ? c->hi : local_right (c, top, bottom, from);
  guint n_lanes = (guint) CLAMP ((right - left - 2 * LANE_INSET) / LANE_X + 1, 1, MAX_LANES);
  guint n_close = (guint) CLAMP ((right - left - 2 * CLEAR) / LANE_CLOSE + 1, 1, MAX_LANES);
  guint n_crowd = (guint) CLAMP ((right - left - 2 * CLEAR) / LANE_CROWD + 1, 1, MAX_LANES);
  double x = NAN;
  LaneSearch s = { .c = c, .top = top, .bottom = bottom, .x0 = x0, .x1 = x1,
                   .least = G_MAXDOUBLE, .fallback = NAN };
  gboolean from_right, crowd = FALSE;

  g_assert (ch != NULL);

  /* A run out level with another arrow's run in from its slot lies along
   * it unless it turns down a lane right of that one's: take the
   * rightmost free lane, and leave the others to the arrow from the slot */
  from_right = !isnan (from) && slot_level_with (c, y2);

  /* Every lane either pass may look at, each found blocked or free at
   * most once: the lanes LANE_X apart and the close ones share most */
  s.first = lane_at_or_right (c->lanes, MIN (left + LANE_INSET - LANE_X, left + CLEAR - LANE_CLOSE));
  /* lane_move_to() moves on from a lane at or after the first */
  s.l = s.first;
  g_byte_array_set_size (ch->blocked, c->lanes->len - s.first + 1);
  s.blocked = ch->blocked->data;
  memset (s.blocked, UNKNOWN, c->lanes->len - s.first);
  legs_near (c, y1, &s.in_from, &s.in_to);
  legs_near (c, y2, &s.out_from, &s.out_to);
  s.out_crosses = level_is_taken (c, y2);
  s.clear_lo = s.out_crosses ? c->hi : -G_MAXDOUBLE;
  s.clear_hi = G_MAXDOUBLE;
  legs_clear_range (c, s.in_from, s.in_to, x0, &s.clear_lo, &s.clear_hi);
  legs_clear_range (c, s.out_from, s.out_to, x1, &s.clear_lo, &s.clear_hi);
  /* A lane whose level runs keep off the other turns' if there is one,
   * else, in the first grid with a free lane, the free lane whose runs
   * lie along theirs the least: that is better than an S down the middle
   * of the channel, along every lane.  first_free_lane() finds both. */
  for (guint grid = 0; grid < 4 && isnan (x); grid++)
    {
      double inset = grid == 0 ? LANE_INSET : CLEAR;
      double spacing = grid == 0 ? LANE_X : grid < 3 ? LANE_CLOSE : LANE_CROWD;
      /* On a grid of the channel's own, not of the boxes beside each
       * run: turns whose lanes start from different boxes share lanes,
       * and the channel keeps a few lanes, not one per turn */
      double start = ceil ((left + inset) / spacing) * spacing;
      guint n = grid == 0 ? n_lanes : grid < 3 ? n_close : n_crowd;

      s.any_free = !isnan (s.fallback);
      if (start + spacing * (n - 1) > right - inset)
        n = start > right - inset ? 0 : (guint) ((right - inset - start) / spacing) + 1;
      /* Lanes closer than NEAR_LANES run down as one: a free lane of
       * the wider grids is better, however its level runs lie */
      if (spacing < NEAR_LANES && s.any_free)
        break;

      if (grid == 2)
        {
          /* Only where a free lane's runs would lie along others': where
           * no lane is free, the channel is full, and looking beside each
           * of its lanes would cost more than all the rest of the routing */
          if (s.any_free)
            x = lane_beside_taken (&s, left, right, from_right);
          continue;
        }

      s.l = MAX (s.first, lane_at_or_right (c->lanes, start - spacing));
      if (s.any_free)
        x = first_clear_lane (&s, start, spacing, n, from_right);
      else
        x = first_free_lane (&s, start, spacing, n, from_right);
      crowd = spacing < NEAR_LANES && !isnan (x);
    }
  if (isnan (x))
    {
      x = s.fallback;
      crowd = s.fallback_spacing < NEAR_LANES;
    }
  if (!isnan (x))
    {
      Turn turn = { G_MAXUINT, path->len, left + CLEAR, right - CLEAR, x1, y2 };

      add_turn (c, x, top, bottom, ch->turns->len);
      add_leg (c, y1, x0, x);
      add_leg (c, y2, x, x1);
      g_array_append_val (ch->turns, turn);
      /* Only the crowded grid's lanes stand closer than NEAR_LANES */
      if (crowd)
        {
          ch->crowded[k].lo = MIN (ch->crowded[k].lo, top);
          ch->crowded[k].hi = MAX (ch->crowded[k].hi, bottom);
        }
    }
  return x;
}

/* Across to lane x, down it, and across to (x1, y1), with round corners */
static void
path_turn_to (GArray *path,
              double  lane,
              double  x1,
              double  y1)
{
  const HsPoint *last = &g_array_index (path, HsPoint, path->len - 1);
  double x0 = last->x, y0 = last->y;
  double in = lane >= x0 ? 1 : -1, out = x1 >= lane ? 1 : -1, down = y1 >= y0 ? 1 : -1;
  double r = MIN (MIN (CORNER, fabs (y1 - y0) / 2), MIN (fabs (lane - x0), fabs (x1 - lane)));
  double k = 0.45 * r;   /* a quarter circle's controls, nearly */

  path_line_to (path, lane - in * r, y0);
  path_add (path, lane - in * (r - k), y0, lane, y0 + down * (r - k), lane, y0 + down * r);
  path_line_to (path, lane, y1 - down * r);
  path_add (path, lane, y1 - down * (r - k), lane + out * (r - k), y1, lane + out * r, y1);
  path_line_to (path, x1, y1);
}

/* Out of a cluster at `exit` and across channel k to (x, y): an S where
 * it is short, else down a lane of its own, so that arrows running down
 * one channel do not run along each other.  Rightwards, the lane may
 * stand left of `exit`, beside the boxes level with its run: a wide box
 * elsewhere in the cluster does not narrow the channel for all. */
static void
path_channel_to (Channels *ch,
                 GArray   *path,
                 guint     k,
                 double    exit,
                 double    x,
                 double    y)
{
  const HsPoint *last = &g_array_index (path, HsPoint, path->len - 1);
  double y0 = last->y, from = x > exit ? last->x : NAN, lane;

  g_assert (ch != NULL);

  if (fabs (y - y0) > LANE && !isnan (lane = take_lane (ch, path, k, y0, y, from, last->x, x)))
    path_turn_to (path, lane, x, y);
  else
    {
      /* Its level halves, which turns keep off */
      add_leg (cluster_at (ch, k), y0, last->x, (exit + x) / 2);
      add_leg (cluster_at (ch, k), y, (exit + x) / 2, x);
      path_line_to (path, exit, y0);
      path_s_to (path, x, y);
    }
}

/*
 * A path of several curves from (sx, sy) to (ex, ey) through the gaps:
 * level across the clusters between the two ends, turning in the
 * channels.  Returns FALSE where the ends' clusters give it no way.
 */
static gboolean
route_through_gaps (Channels           *ch,
                    const HsLayoutEdge *edge,
                    double              sx,
                    double              sy,
                    double              ex,
                    double              ey,
                    GArray             *path)
{
  guint a = ch->cluster_of[edge->source], b = ch->cluster_of[edge->target_box];
  HsPoint start = { sx, sy };
  double y = sy;

  g_assert (ch != NULL);
  g_assert (path != NULL);

  g_array_set_size (path, 0);
  g_array_append_val (path, start);
  if (!edge->back && b > a)
    {
      /* Out of its own cluster, then level across each one between */
      for (guint k = a + 1; k < b; k++)
        {
          Cluster *c = cluster_at (ch, k);
          double level = take_clear_level (ch, k, y + (ey - y) / (b - k + 1), k - 1, k);

          path_channel_to (ch, path, k - 1, cluster_at (ch, k - 1)->hi, c->lo, level);
          y = level;
        }
      path_channel_to (ch, path, b - 1, cluster_at (ch, b - 1)->hi, cluster_at (ch, b)->lo, ey);
      path_line_to (path, ex, ey);
      return TRUE;
    }
  if (edge->back && b <= a)
    {
      Cluster *own = cluster_at (ch, a);
      double side = own->hi, level = ey, lane;

      /* Out to the right, and round: to the target's side when it stands
       * in the same cluster, else to a level across this one */
      path_line_to (path, side, sy);
      if (b < a)
        level = take_clear_level (ch, a, y + (ey - y) / (a - b + 1), a - 1, a);
      lane = take_lane (ch, path, a, sy, level, NAN, side, side);
      if (isnan (lane))
        lane = side + LANE_INSET;
      path_turn_to (path, lane, side, level);
      y = level;
      if (b < a)
        {
          path_line_to (path, own->lo, level);
          for (guint k = a - 1; k > b; k--)
            {
              Cluster *c = cluster_at (ch, k);

              level = take_clear_level (ch, k, y + (ey - y) / (k - b + 1), k - 1, k);
              path_channel_to (ch, path, k, cluster_at (ch, k + 1)->lo, c->hi, level);
              path_line_to (path, c->lo, level);
              y = level;
            }
          path_channel_to (ch, path, b, cluster_at (ch, b + 1)->lo, cluster_at (ch, b)->hi, ey);
        }
      path_line_to (path, ex, ey);
      return TRUE;
    }
  return FALSE;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const double *keys = user_data;
  double x = keys[*(const guint *) a], y = keys[*(const guint *) b];

  if (x != y)
    return x < y ? -1 : 1;
  return *(const guint *) a < *(const guint *) b ? -1 : 1;
}

/* The least y at or below `y` at least LANE from each of the sorted ys */
static double
below_entries (const double *ys,
               guint         n,
               double        y)
{
  g_assert (ys != NULL || n == 0);

  for (guint j = lower_bound (ys, n, y - LANE + 0.001); j < n && ys[j] < y + LANE - 0.001; j++)
    y = ys[j] + LANE;
  return y;
}

/* Whether the entry at y of arrow e is level with its own slot across
 * the channel (see spread_entries()) */
static gboolean
straight_entry (const gboolean *own_slot,
                const double   *wanted,
                guint           e,
                double          y)
{
  return own_slot != NULL && own_slot[e] && fabs (y - wanted[e]) < 0.001;
}

/* The greatest y at or above `y` at least LANE from each of the sorted ys */
static double
above_entries (const double *ys,
               guint         n,
               double        y)
{
  g_assert (ys != NULL || n == 0);

  for (guint j = lower_bound (ys, n, y + LANE - 0.001); j-- > 0 && ys[j] > y - LANE + 0.001;)
    y = ys[j] - LANE;
  return y;
}

/*
 * Entry points on one side of a box for the arrows in `edges` (indices),
 * each as near as it can be to `wanted`, in order, ENTRY_SPACING apart
 * where the box is tall enough, written to `entry`.  With `avoid` (n_avoid
 * sorted ys), each keeps LANE off those where the side has room below:
 * its run in would lie along theirs.  `avoid` is either the entries
 * across the channel (own_slot NULL), or the slots arrows leave across
 * it (own_slot, per edge, whether its own slot is among them); then an
 * entry level with its own slot, a straight arrow, keeps its place, and
 * an entry with no room below goes up, with those above it, where they
 * fit.
 */
static void
spread_entries (GArray         *edges,
                const double   *wanted,
                double         *entry,
                double          top,
                double          bottom,
                const double   *avoid,
                guint           n_avoid,
                const gboolean *own_slot)
{
  double spacing = ENTRY_SPACING, y;
  guint n = edges->len;

  g_assert (edges != NULL);

  if (n == 0)
    return;
  g_array_sort_with_data (edges, compare_entries, (gpointer) wanted);
  if (n > 1)
    spacing = MIN (spacing, (bottom - top) / (n - 1));
  y = -G_MAXDOUBLE;
  for (guint i = 0; i < n; i++)
    {
      guint e = g_array_index (edges, guint, i);

      y = MAX (CLAMP (wanted[e], top, bottom), y + spacing);
      if (n_avoid > 0 && !straight_entry (own_slot, wanted, e, y))
        {
          double clear = below_entries (avoid, n_avoid, y);

          if (clear <= bottom)
            y = clear;
        }
      entry[e] = y;
    }
  /* Past the bottom: move the lowest up, keeping them apart */
  y = bottom;
  for (guint i = n; i-- > 0;)
    {
      guint e = g_array_index (edges, guint, i);

      if (entry[e] <= y)
        break;
      entry[e] = y;
      y -= spacing;
    }
  /* Arrows in from below pile up at the bottom, where one came level
   * with a slot across the channel: up, with those above it, where the
   * side has room and no straight arrow above it would move */
  for (guint i = n; own_slot != NULL && n_avoid > 0 && i-- > 0;)
    {
      guint e = g_array_index (edges, guint, i);
      double clear = above_entries (avoid, n_avoid, entry[e]), need = clear;
      gboolean fits = clear >= top;
      guint moved = i;

      if (clear == entry[e] || straight_entry (own_slot, wanted, e, entry[e]))
        continue;
      /* entries from `moved` up to i move */
      for (; fits && moved > 0; moved--)
        {
          guint above = g_array_index (edges, guint, moved - 1);

          need -= spacing;
          if (entry[above] <= need)
            break;
          fits = need >= top && !straight_entry (own_slot, wanted, above, entry[above]);
        }
      if (!fits)
        continue;
      entry[e] = need = clear;
      for (guint j = i; j-- > moved;)
        entry[g_array_index (edges, guint, j)] = need -= spacing;
    }
}

/* The y from top to bottom nearest want at least LANE from each of the
 * sorted ys, or want where there is none */
static double
clear_of_entries (const double *ys,
                  guint         n,
                  double        want,
                  double        top,
                  double        bottom)
{
  guint first = lower_bound (ys, n, top - LANE), last = lower_bound (ys, n, bottom + LANE);
  double best = want, distance = G_MAXDOUBLE;

  g_assert (ys != NULL || n == 0);

  /* want itself, or LANE past one of the entries near it */
  for (guint i = first; i <= last && i <= n; i++)
    for (int side = -1; side <= 1; side += 2)
      {
        double y = i == last ? want : ys[i] + side * LANE;
        guint j;

        if (y < top || y > bottom || fabs (y - want) >= distance)
          continue;
        j = lower_bound (ys, n, y);
        if ((j < n && ys[j] - y < LANE - 0.001) || (j > 0 && y - ys[j - 1] < LANE - 0.001))
          continue;
        best = y;
        distance = fabs (y - want);
      }
  return best;
}

/* Where each arrow enters its target: x in entry_x, y in entry_y */
static void
assign_entries (HsLayout *self,
                Channels *ch,
                double   *entry_x,
                double   *entry_y)
{
  g_autofree double *wanted = g_new (double, MAX (self->edges->len, 1));
  g_autofree gboolean *own_slot = g_new0 (gboolean, MAX (self->edges->len, 1));
  g_autoptr(GHashTable) sides = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  /* cluster + 1 -> GArray of the y of every arrow entering one of its
   * boxes' left sides, sorted */
  g_autoptr(GHashTable) fronts = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  GHashTableIter iter;
  gpointer key, value;

  g_assert (self != NULL);
  g_assert (ch != NULL);

  for (guint i = 0; i < self->edges->len; i++)
    {
      HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, i);
      const HsLayoutBox *s = box_at (self, e->source);
      const HsLayoutRow *row = &s->rows[e->row];
      double sx = s->rect.x + (e->from_key ? row->key_slot_x : row->slot_x);
      guint side_key = e->target_box * 2;
      GArray *list;

      e->x[0] = sx;
      e->y[0] = s->rect.y + (e->from_key ? row->key_slot_y : row->slot_y);
      e->back = box_at (self, e->target_box)->rect.x < sx + GAP_X;
      side_key += e->back ? 1 : 0;
      /* Ordered by where they come from, so that they do not cross */
      wanted[i] = e->y[0] + (e->back ? 0 : 1e-6 * sx);
      list = g_hash_table_lookup (sides, GUINT_TO_POINTER (side_key + 1));
      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (sides, GUINT_TO_POINTER (side_key + 1), list);
        }
      g_array_append_val (list, i);
      /* Every slot an arrow leaves rightwards, for take_lane() and for
       * the entries across the channel.  Back arrows' too: they leave
       * their slots rightwards, level across the rest of the cluster to
       * its right side, before they turn.  A path routed before one of
       * them, whose lane stands left of that side (beside narrower
       * boxes), ran out level 2.3 units from it for 92
       * (programs/generators.py at step 25, with DejaVu Sans Mono): its
       * slot was not one take_lane() kept the run clear of. */
      g_array_append_val (cluster_at (ch, ch->cluster_of[e->source])->slots, e->y[0]);
    }
  for (guint c = 0; c < ch->clusters->len; c++)
    g_array_sort (cluster_at (ch, c)->slots, compare_doubles);

  /* Left sides first, then right sides, which keep off the left sides'
   * entries across the channel */
  for (guint back = 0; back < 2; back++)
    {
      g_hash_table_iter_init (&iter, sides);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          guint side_key = GPOINTER_TO_UINT (key) - 1;
          const HsLayoutBox *t = box_at (self, side_key / 2);
          const HsRect *r = &t->rect;
          GArray *list = value;
          double header = MIN (t->header_height, r->height);
          double top = r->y + MIN (10, r->height / 2);
          double bottom = r->y + MAX (r->height / 2, header - 6);
          GArray *across = NULL;

          if (side_key % 2 != back)
            continue;
          if (side_key % 2 == 1)
            {
              /* The cluster right of the box's */
              double level = r->y + header / 2;

              across = g_hash_table_lookup (fronts, GUINT_TO_POINTER (ch->cluster_of[side_key / 2] + 1 + 1));

              /* Back edges: level with the header's middle, one under
               * another; off the level of an arrow entering a box across the
               * channel, whose run in would lie along theirs out */
              if (across != NULL)
                level = clear_of_entries ((const double *) across->data, across->len, level,
                                          r->y + MIN (ENTRY_CORNER, r->height / 2),
                                          r->y + r->height - MIN (ENTRY_CORNER, r->height / 2));
              for (guint i = 0; i < list->len; i++)
                wanted[g_array_index (list, guint, i)] = level;
            }
          /* More arrows than the header has room for use the whole side */
          if (list->len > 1 && (bottom - top) / (list->len - 1) < ENTRY_SPACING)
            bottom = MAX (bottom, r->y + r->height - 6);
          /* and more than the whole side has room for at ENTRY_SPACING come
           * up to its corners, rather than in closer together */
          if (list->len > 1 && (bottom - top) / (list->len - 1) < ENTRY_SPACING)
            {
              top = MIN (top, r->y + MIN (ENTRY_CORNER, r->height / 2));
              bottom = MAX (bottom, r->y + r->height - MIN (ENTRY_CORNER, r->height / 2));
            }
          if (side_key % 2 == 0)
            {
              /* Arrows in to a left side keep off the slots across the
               * channel, whose runs out lie level with them: in
               * bigdict.py two arrows turned up a lane and ran in to ints
               * level with other rows' slots, along those rows' runs out
               * (with DejaVu Sans Mono, at steps 557 and 558) */
              guint k = ch->cluster_of[side_key / 2];

              across = k > 0 ? cluster_at (ch, k - 1)->slots : NULL;
              for (guint i = 0; i < list->len; i++)
                {
                  guint e = g_array_index (list, guint, i);

                  own_slot[e] = k > 0 && ch->cluster_of[g_array_index (self->edges, HsLayoutEdge, e).source] == k - 1;
                }
            }
          spread_entries (list, wanted, entry_y, top, bottom,
                          across != NULL ? (const double *) across->data : NULL, across != NULL ? across->len : 0,
                          side_key % 2 == 0 ? own_slot : NULL);
          for (guint i = 0; i < list->len; i++)
            entry_x[g_array_index (list, guint, i)] = side_key % 2 == 1 ? r->x + r->width : r->x;
          if (side_key % 2 == 0)
            {
              gpointer cluster = GUINT_TO_POINTER (ch->cluster_of[side_key / 2] + 1);
              GArray *ys = g_hash_table_lookup (fronts, cluster);

              if (ys == NULL)
                {
                  ys = g_array_new (FALSE, FALSE, sizeof (double));
                  g_hash_table_insert (fronts, cluster, ys);
                }
              for (guint i = 0; i < list->len; i++)
                g_array_append_val (ys, entry_y[g_array_index (list, guint, i)]);
            }
        }
      if (back == 0)
        {
          g_hash_table_iter_init (&iter, fronts);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            g_array_sort (value, compare_doubles);
        }
    }
}

/* Keeps the path as the edge's own, in memory the layout owns */
static void
set_path (HsLayout     *self,
          HsLayoutEdge *e,
          const HsPoint *points,
          guint          n_points)
{
  HsPoint *path;

  g_assert (self != NULL);
  g_assert (n_points >= 4 && (n_points - 1) % 3 == 0);

  path = g_memdup2 (points, n_points * sizeof (HsPoint));
  g_ptr_array_add (self->row_arrays, path);
  e->path = path;
  e->n_curves = (n_points - 1) / 3;
  e->x[0] = path[0].x, e->y[0] = path[0].y;
  e->x[1] = path[1].x, e->y[1] = path[1].y;
  e->x[2] = path[n_points - 2].x, e->y[2] = path[n_points - 2].y;
  e->x[3] = path[n_points - 1].x, e->y[3] = path[n_points - 1].y;
}

/* The curve's y where it is x across, for a curve that only moves
 * rightwards */
static double
curve_y_at (const double *x,
            const double *y,
            double        at)
{
  double lo = 0, hi = 1, px, py;

  g_assert (x != NULL && y != NULL);

  for (guint i = 0; i < 30; i++)
    {
      double t = (lo + hi) / 2;

      hs_layout_bezier_point (x, y, t, &px, &py);
      if (px < at)
        lo = t;
      else
        hi = t;
    }
  hs_layout_bezier_point (x, y, (lo + hi) / 2, &px, &py);
  return py;
}

/* A single curve across clusters takes the levels it crosses them at, so
 * that paths through the gaps keep clear of it */
static void
take_curve_levels (Channels           *ch,
                   const HsLayoutEdge *e)
{
  guint a = ch->cluster_of[e->source], b = ch->cluster_of[e->target_box];

  g_assert (ch != NULL);

  if (e->back)
    return;
  /* Across each channel on its way, its nearly level stretches as level
   * runs: a path through the gaps turning there keeps its own level runs
   * off them, as it does off the other paths' */
  for (guint k = a; k < b; k++)
    {
      double lo = cluster_at (ch, k)->hi, hi = cluster_at (ch, k + 1)->lo;
      guint n = (guint) ceil ((hi - lo) / LANE);
      double px = lo, py = curve_y_at (e->x, e->y, lo);

      for (guint j = 1; j <= n; j++)
        {
          double qx = lo + (hi - lo) * j / n, qy = curve_y_at (e->x, e->y, qx);

          if (fabs (qy - py) < SHALLOW * (qx - px))
            add_leg (cluster_at (ch, k), (py + qy) / 2, px, qx);
          px = qx;
          py = qy;
        }
    }
  for (guint k = a + 1; k < b; k++)
    {
      Cluster *c = cluster_at (ch, k);
      double at_lo = curve_y_at (e->x, e->y, c->lo), at_hi = curve_y_at (e->x, e->y, c->hi);
      double top = MIN (at_lo, at_hi), bottom = MAX (at_lo, at_hi);
      guint n = (guint) MIN (ceil ((bottom - top) / LANE), MAX_CURVE_LEVELS);

      /* Where it crosses the cluster, and the levels between: a level
       * there would cross it at a slant, along it for a while */
      for (guint j = 0; j <= n; j++)
        {
          double level = n > 0 ? top + (bottom - top) * j / n : top;
          Gap *nearest = NULL;
          double distance = G_MAXDOUBLE;

          /* In the gap it passes, or the nearest: it may pass a box
           * closer than CLEAR, and still keeps levels off its path */
          for (guint g = 0; g < c->gaps->len; g++)
            {
              Gap *gap = &g_array_index (c->gaps, Gap, g);
              double d = level < gap->lo ? gap->lo - level : level > gap->hi ? level - gap->hi : 0;

              if (d < distance)
                {
                  distance = d;
                  nearest = gap;
                }
            }
          if (nearest != NULL)
            {
              guint i = lower_bound ((const double *) nearest->used->data, nearest->used->len, level);

              gap_insert (nearest, i, level);
            }
        }
    }
}

/* How long the curve lies along the level run at y from x1 to x2: within
 * NEAR_LANES of it, and as shallow as it (SHALLOW) */
static double
curve_along_run (const double *x,
                 const double *y,
                 double        level,
                 double        x1,
                 double        x2)
{
  double px, py, along = 0;

  g_assert (x != NULL && y != NULL);

  hs_layout_bezier_point (x, y, 0, &px, &py);
  for (guint i = 1; i <= 2 * RUN_SAMPLES; i++)
    {
      double qx, qy;

      hs_layout_bezier_point (x, y, (double) i / (2 * RUN_SAMPLES), &qx, &qy);
      if (MIN (px, qx) >= x1 && MAX (px, qx) <= x2
          && fabs (py - level) <= NEAR_LANES && fabs (qy - level) <= NEAR_LANES
          && fabs (qy - py) <= SHALLOW * fabs (qx - px))
        along += hypot (qx - px, qy - py);
      px = qx;
      py = qy;
    }
  return along;
}

/* A path through the gaps runs into its target level, across the
 * target's cluster from its left: a single curve into the same box that
 * comes down beside that run, to an entry ENTRY_SPACING away, lies along
 * it (a curve into a box comes level slowly, over much of the way).
 * Such curves go through the gaps too, and run in level, apart. */
static void
leave_runs_in (HsLayout     *self,
               Channels     *ch,
               const double *entry_x,
               const double *entry_y)
{
  /* target box + 1 -> GArray of the arrows (indices) that go through
   * the gaps into its left side */
  g_autoptr(GHashTable) paths_into = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);

  g_assert (self != NULL && ch != NULL);

  for (guint j = 0; j < self->edges->len; j++)
    {
      const HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, j);

      if (e->path != NULL || e->back || ch->cluster_of[e->source] >= ch->cluster_of[e->target_box])
        continue;
      index_list_add (paths_into, GUINT_TO_POINTER (e->target_box + 1), j);
    }
  if (g_hash_table_size (paths_into) == 0)
    return;
  for (guint i = 0; i < self->edges->len; i++)
    {
      HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, i);
      GArray *list;
      double lo;

      if (e->path == NULL || e->back || e->n_curves != 1
          || (list = g_hash_table_lookup (paths_into, GUINT_TO_POINTER (e->target_box + 1))) == NULL)
        continue;
      lo = cluster_at (ch, ch->cluster_of[e->target_box])->lo;
      for (guint k = 0; k < list->len; k++)
        {
          guint j = g_array_index (list, guint, k);

          if (curve_along_run (e->x, e->y, entry_y[j], lo, entry_x[j]) > RUN_ALONG)
            {
              e->path = NULL;
              e->n_curves = 0;
              break;
            }
        }
    }
}

/* Routes every arrow: a single curve where one clears every box and is
 * not steep, first, then the others through the gaps */
static void
route_edges (HsLayout  *self,
             Obstacles *obs,
             Channels  *ch)
{
  g_autofree double *entry_x = g_new (double, MAX (self->edges->len, 1));
  g_autofree double *entry_y = g_new (double, MAX (self->edges->len, 1));
  g_autofree guint *crossings = g_new (guint, MAX (self->edges->len, 1));
  /* Whether pass 0 kept the arrow's single curve, for now */
  g_autofree gboolean *single = g_new0 (gboolean, MAX (self->edges->len, 1));
  g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (HsPoint));

  g_assert (self != NULL);

  assign_entries (self, ch, entry_x, entry_y);
  for (guint pass = 0; pass < 2; pass++)
    {
      /* Which curves go through the gaps after all; those that stay
       * single take the levels they cross the clusters at, now, and only
       * they: a curve that leaves would keep levels and lanes no arrow
       * runs along, which the paths, its own among them, turn away from.
       * Nothing in pass 0 reads the channels, so the levels taken are
       * those taken curve by curve there. */
      if (pass == 1)
        {
          leave_runs_in (self, ch, entry_x, entry_y);
          for (guint i = 0; i < self->edges->len; i++)
            if (single[i] && g_array_index (self->edges, HsLayoutEdge, i).path != NULL)
              take_curve_levels (ch, &g_array_index (self->edges, HsLayoutEdge, i));
        }
      for (guint i = 0; i < self->edges->len; i++)
        {
          HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, i);
          const HsLayoutBox *s = box_at (self, e->source);
          const HsLayoutBox *t = box_at (self, e->target_box);
          /* Long arrows cross a crowd that no single curve clears: they go
           * through the gaps unchecked, which is cheap */
          gboolean far = fabs (entry_x[i] - e->x[0]) + fabs (entry_y[i] - e->y[0]) > MAX_CHECKED;
          /* Steep curves into one column run along each other */
          gboolean steep = fabs (entry_y[i] - e->y[0]) > STEEP * fabs (entry_x[i] - e->x[0]);
          HsPoint plain[4];

          if (pass == 0)
            {
              obs->edge = i;
              if (e->back)
                crossings[i] = route_back (far ? NULL : obs, e, s, e->x[0], e->y[0], entry_x[i], entry_y[i]);
              else
                crossings[i] = route_forward (far ? NULL : obs, e, e->x[0], e->y[0], entry_x[i], entry_y[i]);
              e->alpha = MIN (s->alpha, t->alpha);
              /* A back edge round another cluster crosses its levels,
               * which no path through the gaps knows of: it goes through
               * them too */
              if (far || steep || crossings[i] > 0
                  || (e->back && ch->cluster_of[e->target_box] != ch->cluster_of[e->source]))
                continue;
              single[i] = TRUE;
              index_list_add (obs->curves_into, side_key (e), obs->edge);
            }
          else if (e->path != NULL)
            continue;
          else
            {
              guint first_turn = ch->turns->len;

              if (route_through_gaps (ch, e, e->x[0], e->y[0], entry_x[i], entry_y[i], path)
                  && (far || count_path_crossings (obs, e, path, crossings[i] + 1) <= crossings[i]))
                {
                  set_path (self, e, (const HsPoint *) path->data, path->len);
                  for (guint t = first_turn; t < ch->turns->len; t++)
                    g_array_index (ch->turns, Turn, t).edge = i;
                  continue;
                }
              /* A curve that left keeps its curve after all where the
               * gaps pass over a box: the paths routed after it keep
               * off it.  The turns of the path not kept stay no arrow's:
               * their lanes stay taken, and no arrow runs down them. */
              if (single[i])
                take_curve_levels (ch, e);
            }
          for (guint k = 0; k < 4; k++)
            plain[k] = (HsPoint) { e->x[k], e->y[k] };
          set_path (self, e, plain, 4);
        }
    }
}

/* The lane m of cluster c pushes turn `run` (a run down another lane) to
 * `at` or further, right (dir 1) or left (-1), where one of its turns
 * runs beside it: turn k's lane is at x[k] */
static double
push_off_lane (Cluster      *c,
               guint         m,
               const Extent *run,
               const double *x,
               double        at,
               int           dir)
{
  Lane *lane = &g_array_index (c->lanes, Lane, m);
  const Extent *runs = (const Extent *) lane->runs->data;

  for (guint k = run_ending_below (lane, run->lo); k < lane->runs->len && runs[k].lo < run->hi; k++)
    at = dir > 0 ? MAX (at, x[runs[k].box] + LANE_SPREAD) : MIN (at, x[runs[k].box] - LANE_SPREAD);
  return at;
}

/* The runs down a lane that overlap span: from *from up to *to (the
 * first that begins below it: the runs' tops are sorted too) */
static void
runs_within (Lane         *lane,
             const Extent *span,
             guint        *from,
             guint        *to)
{
  const Extent *runs = (const Extent *) lane->runs->data;
  guint lo, hi;

  lo = *from = run_ending_below (lane, span->lo);
  hi = lane->runs->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (runs[mid].lo < span->hi)
        lo = mid + 1;
      else
        hi = mid;
    }
  *to = lo;
}

/* Widens span, the heights of the channel right of c where turns took
 * lanes too close, over every turn that runs beside one in it, and beside
 * those: the turns that may move, which no turn outside it runs beside.
 * Where that takes more than a few rounds, the whole channel. */
static void
close_span (Cluster *c,
            Extent  *span)
{
  for (guint round = 0; round < MAX_SPAN_ROUNDS; round++)
    {
      Extent grown = *span;

      for (guint l = 0; l < c->lanes->len; l++)
        {
          Lane *lane = &g_array_index (c->lanes, Lane, l);
          guint from, to;

          runs_within (lane, span, &from, &to);
          if (from < to)
            {
              grown.lo = MIN (grown.lo, g_array_index (lane->runs, Extent, from).lo);
              grown.hi = MAX (grown.hi, g_array_index (lane->runs, Extent, to - 1).hi);
            }
        }
      if (grown.lo == span->lo && grown.hi == span->hi)
        return;
      *span = grown;
    }
  span->lo = -G_MAXDOUBLE;
  span->hi = G_MAXDOUBLE;
}

/* New lanes, into x (by turn), for the turns down the channel right of
 * cluster c within span (close_span()): the same order, LANE_SPREAD apart
 * wherever two run down beside each other, each as little right of its
 * lane as the turns left of it allow, then as little left as the turns
 * right of it and the channel's right side allow.  FALSE where they do
 * not fit between the boxes, with *short_by how much further right the
 * channel's right side would have to stand for them to fit, as the
 * turns packed from the left reach past it.  Thousands of turns may share a few lanes:
 * each looks only at the lanes whose turns, as moved, could come near
 * its own (`reach`, per lane: the rightmost turn down it and the lanes
 * left of it, then the leftmost down it and the lanes right of it), and
 * down each only at the turns beside it. */
static gboolean
spread_turns (Cluster      *c,
              const Extent *span,
              const Turn   *turns,
              double       *x,
              double       *short_by)
{
  guint n = c->lanes->len;
  g_autofree double *reach = g_new (double, MAX (n, 1));
  double past = 0;

  for (guint l = 0; l < n; l++)
    {
      Lane *lane = &g_array_index (c->lanes, Lane, l);
      guint from, to;

      reach[l] = l > 0 ? reach[l - 1] : -G_MAXDOUBLE;
      runs_within (lane, span, &from, &to);
      for (guint r = from; r < to; r++)
        {
          const Extent *run = &g_array_index (lane->runs, Extent, r);
          guint i = run->box;

          x[i] = MAX (lane->x, turns[i].lo);
          for (guint m = l; m-- > 0 && reach[m] + LANE_SPREAD > x[i];)
            x[i] = push_off_lane (c, m, run, x, x[i], 1);
          reach[l] = MAX (reach[l], x[i]);
          past = MAX (past, x[i] - turns[i].hi);
        }
    }
  /* At least a lane: a widening always opens room for one more */
  *short_by = MAX (past, LANE_SPREAD);
  for (guint l = n; l-- > 0;)
    {
      Lane *lane = &g_array_index (c->lanes, Lane, l);
      double leftmost = G_MAXDOUBLE;
      guint from, to;

      runs_within (lane, span, &from, &to);
      for (guint r = from; r < to; r++)
        {
          const Extent *run = &g_array_index (lane->runs, Extent, r);
          guint i = run->box;

          x[i] = MIN (x[i], turns[i].hi);
          for (guint m = l + 1; m < n && reach[m] - LANE_SPREAD < x[i]; m++)
            x[i] = push_off_lane (c, m, run, x, x[i], -1);
          if (x[i] < turns[i].lo)
            return FALSE;
          leftmost = MIN (leftmost, x[i]);
        }
      reach[l] = l + 1 < n ? MIN (reach[l + 1], leftmost) : leftmost;
    }
  return TRUE;
}

/* Draws turn t of a path again, down the lane at x instead of `from`:
 * its curves, from the point before them to where it ends, level out of
 * the lane */
static void
path_turn_again (GArray     *path,
                 const Turn *t,
                 double      from,
                 double      x)
{
  g_autoptr(GArray) was = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  g_autoptr(GArray) now = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  HsPoint start;

  g_assert (path != NULL && t != NULL);
  g_assert (t->at > 0 && t->at <= path->len);

  start = g_array_index (path, HsPoint, t->at - 1);
  g_array_append_val (was, start);
  path_turn_to (was, from, t->x1, t->y1);
  g_array_append_val (now, start);
  path_turn_to (now, x, t->x1, t->y1);
  g_assert (t->at + was->len - 1 <= path->len);
  g_array_remove_range (path, t->at, was->len - 1);
  g_array_insert_vals (path, t->at, &g_array_index (now, HsPoint, 1), now->len - 1);
}

/* A turn to draw again down another lane */
typedef struct
{
  Turn   turn;
  double from;
  double x;
} Move;

static int
compare_turns_along_paths (gconstpointer a,
                           gconstpointer b)
{
  const Turn *s = &((const Move *) a)->turn, *t = &((const Move *) b)->turn;

  if (s->edge != t->edge)
    return s->edge < t->edge ? -1 : 1;
  return s->at > t->at ? -1 : s->at < t->at;   /* the last first */
}

/* Where a channel had more turns at one height than its lanes NEAR_LANES
 * apart held, take_lane() put the rest between them, closer: spreads the
 * channel's turns there, and beside them, once every arrow is routed, to
 * lanes LANE_SPREAD apart where they fit, and draws the turns that moved
 * again.  Routing every arrow again with a denser grid in that channel
 * cost a fresh layout of 1,000 objects 1.5x; this costs it about 4%
 * (docs/rendering.md).  Where they do not fit between the boxes, the
 * channel is left as it was, and added to `narrow` as a cut that moves
 * what stands right of it on by as much as it lacks. */
static void
spread_crowded_lanes (HsLayout *self,
                      Channels *ch,
                      GArray   *narrow)
{
  g_autoptr(GArray) moved = g_array_new (FALSE, FALSE, sizeof (Move));
  g_autoptr(GArray) path = NULL;
  g_autofree double *x = NULL;
  const Turn *turns = (const Turn *) ch->turns->data;

  g_assert (self != NULL && ch != NULL);

  for (guint k = 0; k < ch->clusters->len; k++)
    {
      Cluster *c = cluster_at (ch, k);
      Extent span;
      double short_by;

      if (ch->crowded[k].lo > ch->crowded[k].hi)
        continue;
      if (x == NULL)
        x = g_new (double, ch->turns->len);
      span = ch->crowded[k];
      close_span (c, &span);
      if (!spread_turns (c, &span, turns, x, &short_by))
        {
          /* The last channel has no boxes on its right to move */
          if (k + 1 < ch->clusters->len)
            {
              /* From the channel's left side: what stands in it (a
               * column's start, a garbage zone's edge) moves too */
              HsLayoutCut channel = { c->hi, -ceil (short_by + LANE_X) };

              g_array_append_val (narrow, channel);
            }
          continue;
        }
      for (guint l = 0; l < c->lanes->len; l++)
        {
          Lane *lane = &g_array_index (c->lanes, Lane, l);
          guint from, to;

          runs_within (lane, &span, &from, &to);
          for (guint r = from; r < to; r++)
            {
              guint i = g_array_index (lane->runs, Extent, r).box;
              Move move = { turns[i], lane->x, x[i] };

              if (x[i] != lane->x && turns[i].edge != G_MAXUINT)
                g_array_append_val (moved, move);
            }
        }
    }
  if (moved->len == 0)
    return;

  g_array_sort (moved, compare_turns_along_paths);
  path = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  for (guint i = 0; i < moved->len;)
    {
      guint edge = g_array_index (moved, Move, i).turn.edge;
      HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, edge);

      g_array_set_size (path, 0);
      g_array_append_vals (path, e->path, 3 * e->n_curves + 1);
      /* The last turn first: the turns before it keep their places */
      for (; i < moved->len && g_array_index (moved, Move, i).turn.edge == edge; i++)
        {
          const Move *move = &g_array_index (moved, Move, i);

          path_turn_again (path, &move->turn, move->from, move->x);
        }
      set_path (self, e, (const HsPoint *) path->data, path->len);
    }
}

/* Routes every arrow; `narrow` gets the channels too narrow for their
 * turns to stand apart, as cuts (HsLayoutCut) that widen them */
void
hs_layout_route_all_edges (HsLayout *self,
                           GArray   *narrow)
{
  Obstacles obs;
  Channels ch;

  g_return_if_fail (self != NULL);
  g_return_if_fail (narrow != NULL);
  obstacles_init (&obs, self);
  channels_init (&ch, self);
  route_edges (self, &obs, &ch);
  spread_crowded_lanes (self, &ch, narrow);
  channels_clear (&ch);
  obstacles_clear (&obs);
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
