/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

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

#define ENTRY_SPACING 8.0   /* between arrowheads entering one side */
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

typedef struct
{
  HsLayout   *self;
  GHashTable *bands;   /* band -> GArray of box indices */
} Obstacles;

static void
obstacles_init (Obstacles *obs,
                HsLayout  *self)
{
  g_assert (obs != NULL);

  obs->self = self;
  obs->bands = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
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

static void
bezier_point (const double *x,
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

/* How many boxes the curve passes over, besides its two ends; stops
 * counting past `enough` */
static guint
count_crossings (Obstacles          *obs,
                 const HsLayoutEdge *edge,
                 const double       *x,
                 const double       *y,
                 guint               enough)
{
  double hull = 0, px, py;
  guint n, crossings = 0;
  guint seen[MAX_SEEN];

  g_assert (obs != NULL);
  g_assert (edge != NULL);

  if (hull_is_clear (obs, edge, x, y))
    return 0;
  for (guint i = 0; i < 3; i++)
    hull += fabs (x[i + 1] - x[i]) + fabs (y[i + 1] - y[i]);
  n = CLAMP ((guint) (hull / SEGMENT), 8, 256);
  px = x[0];
  py = y[0];
  for (guint i = 1; i <= n && crossings < enough; i++)
    {
      double qx, qy;
      int first, last;

      bezier_point (x, y, (double) i / n, &qx, &qy);
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
  return crossings;
}

/* Tries one curve; keeps it if it crosses fewer boxes than the best so far */
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
  if (crossings < *best)
    {
      *best = crossings;
      memcpy (edge->x, x, sizeof edge->x);
      memcpy (edge->y, y, sizeof edge->y);
    }
  return *best == 0;
}

static void
route_forward (Obstacles    *obs,
               HsLayoutEdge *edge,
               double        sx,
               double        sy,
               double        ex,
               double        ey)
{
  /* Where the curve turns (fractions of the way across), then arches */
  static const double turns[][2] = { { 0.5, 0.5 }, { 0.92, 0.04 }, { 0.04, 0.92 }, { 0.75, 0.2 }, { 0.2, 0.75 } };
  static const double arches[] = { 60, 120, 240 };
  double w = ex - sx;
  guint best = G_MAXUINT;

  g_assert (edge != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (turns); i++)
    {
      double x[4] = { sx, sx + w * turns[i][0], ex - w * turns[i][1], ex };
      double y[4] = { sy, sy, ey, ey };

      if (try_curve (obs, edge, x, y, &best) || obs == NULL || best > MAX_TRIED)
        return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (arches); i++)
    for (int side = -1; side <= 1; side += 2)
      {
        double level = side < 0 ? MIN (sy, ey) - arches[i] : MAX (sy, ey) + arches[i];
        /* Steep near the ends, so that it leaves its neighbours' arrows
         * at a wide angle */
        double reach = MIN (w * 0.45, 2 * fabs (level - sy) + 40);
        double x[4] = { sx, sx + reach, ex - reach, ex };
        double y[4] = { sy, level, level, ey };

        if (try_curve (obs, edge, x, y, &best))
          return;
      }
}

static void
route_back (Obstacles         *obs,
            HsLayoutEdge      *edge,
            const HsLayoutBox *source,
            double             sx,
            double             sy,
            double             ex,
            double             ey)
{
  double side = MAX (source->rect.x + source->rect.width, ex) + 28 + 6 * (edge->row % 4);
  guint best = G_MAXUINT;

  g_assert (edge != NULL);

  /* Around the right-hand side, further out until it clears every box */
  for (guint i = 0; i < 10; i++)
    {
      double x[4] = { sx, side + 80 * i, side + 80 * i, ex };
      double y[4] = { sy, sy, ey, ey };

      if (try_curve (obs, edge, x, y, &best) || obs == NULL || best > MAX_TRIED)
        return;
    }
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

/*
 * Entry points on one side of a box for the arrows in `edges` (indices),
 * each as near as it can be to `wanted`, in order, ENTRY_SPACING apart
 * where the box is tall enough, written to `entry`.
 */
static void
spread_entries (GArray       *edges,
                const double *wanted,
                double       *entry,
                double        top,
                double        bottom)
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
}

/* Where each arrow enters its target: x in entry_x, y in entry_y */
static void
assign_entries (HsLayout *self,
                double   *entry_x,
                double   *entry_y)
{
  g_autofree double *wanted = g_new (double, MAX (self->edges->len, 1));
  g_autoptr(GHashTable) sides = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  GHashTableIter iter;
  gpointer key, value;

  g_assert (self != NULL);

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
    }

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

      if (side_key % 2 == 1)
        {
          /* Back edges: level with the header's middle, one under another */
          for (guint i = 0; i < list->len; i++)
            wanted[g_array_index (list, guint, i)] = r->y + header / 2;
        }
      /* More arrows than the header has room for use the whole side */
      if (list->len > 1 && (bottom - top) / (list->len - 1) < ENTRY_SPACING)
        bottom = MAX (bottom, r->y + r->height - 6);
      spread_entries (list, wanted, entry_y, top, bottom);
      for (guint i = 0; i < list->len; i++)
        entry_x[g_array_index (list, guint, i)] = side_key % 2 == 1 ? r->x + r->width : r->x;
    }
}

/* Routes every arrow; obs NULL routes the plain curves only */
static void
route_edges (HsLayout  *self,
             Obstacles *obs)
{
  g_autofree double *entry_x = g_new (double, MAX (self->edges->len, 1));
  g_autofree double *entry_y = g_new (double, MAX (self->edges->len, 1));

  g_assert (self != NULL);

  assign_entries (self, entry_x, entry_y);
  for (guint i = 0; i < self->edges->len; i++)
    {
      HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, i);
      const HsLayoutBox *s = box_at (self, e->source);
      const HsLayoutBox *t = box_at (self, e->target_box);
      gboolean far = fabs (entry_x[i] - e->x[0]) + fabs (entry_y[i] - e->y[0]) > MAX_CHECKED;

      if (e->back)
        route_back (far ? NULL : obs, e, s, e->x[0], e->y[0], entry_x[i], entry_y[i]);
      else
        route_forward (far ? NULL : obs, e, e->x[0], e->y[0], entry_x[i], entry_y[i]);
      e->alpha = MIN (s->alpha, t->alpha);
    }
}

void
hs_layout_route_all_edges (HsLayout *self)
{
  Obstacles obs;

  g_return_if_fail (self != NULL);

  obstacles_init (&obs, self);
  route_edges (self, &obs);
  obstacles_clear (&obs);
}

/*
 * Arrows between two steps' layouts: each end of each curve moves with the
 * box it belongs to, so the curves glide with the boxes and are, at the
 * end, those of the later step.
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

      for (guint k = 0; k < 2; k++)
        {
          e->x[k] += sdx;
          e->y[k] += sdy;
          e->x[k + 2] += tdx;
          e->y[k + 2] += tdy;
        }
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
