/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include "hs-layout-private.h"

/*
 * Compaction.  Survivors keep their places, so the room that freed objects
 * leave stays empty, and a picture that keeps its objects in place grew to
 * three times the area of a fresh layout of the same step.  Here, every
 * band of the picture that no box crosses, wider than the gap boxes keep
 * anyway, is narrowed, and what lies beyond it moves back by as much.
 * Moving whole bands keeps every box's neighbours where they were relative
 * to it, so nothing comes to overlap, and arrows keep their directions.
 * A step narrows bands by at most HS_LAYOUT_COMPACT_STEP per axis, so the
 * picture closes up over a few steps, which the widget animates.
 */

/* The gaps boxes keep without compaction: a column gap across, a few rows
 * of breathing room down. */
#define KEEP_X 72.0
#define KEEP_Y 28.0

typedef struct
{
  double lo;
  double hi;
} Span;

static int
compare_span (gconstpointer a,
              gconstpointer b)
{
  const Span *x = a, *y = b;

  if (x->lo != y->lo)
    return x->lo < y->lo ? -1 : 1;
  return x->hi < y->hi ? -1 : x->hi > y->hi;
}

/* How far back what stands at position moves: by each cut at or before
 * it (the cuts are sorted) */
static double
shift_at (GArray *cuts,
          double  position)
{
  double shift = 0;

  g_assert (cuts != NULL);

  for (guint i = 0; i < cuts->len; i++)
    {
      const HsLayoutCut *c = &g_array_index (cuts, HsLayoutCut, i);

      if (position < c->at)
        break;
      shift += c->shift;
    }
  return shift;
}

/* The cuts that close the empty bands along one axis */
static GArray *
find_cuts (HsLayout   *self,
           GHashTable *placed,
           gboolean    vertical)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  GArray *cuts = g_array_new (FALSE, FALSE, sizeof (HsLayoutCut));
  double keep = vertical ? KEEP_Y : KEEP_X;
  double budget = HS_LAYOUT_COMPACT_STEP, end;
  double zone_top = G_MAXDOUBLE;

  g_assert (self != NULL);
  g_assert (placed != NULL);

  for (guint b = 0; b < self->boxes->len; b++)
    {
      const HsLayoutBox *box = &g_array_index (self->boxes, HsLayoutBox, b);
      Span span;

      if (!g_hash_table_contains (placed, GUINT_TO_POINTER (b)))
        continue;
      if (vertical)
        {
          /* A container's room to grow is kept as if it were filled */
          span.lo = box->rect.y;
          span.hi = box->rect.y + MAX (box->rect.height, box->reserved_height);
          if (box->garbage)
            zone_top = MIN (zone_top, box->rect.y);
        }
      else
        {
          span.lo = box->rect.x;
          span.hi = box->rect.x + box->rect.width;
        }
      g_array_append_val (spans, span);
    }
  /* The garbage zone's gap and title above its top row, as if they were
   * a box: closing that band ran the zone's frame over the reachable
   * boxes above it.  Only above the top row: the rows of the zone below
   * it stand KEEP_Y apart, as other boxes do, and not a title apart. */
  if (vertical && zone_top < G_MAXDOUBLE)
    {
      Span head = { zone_top - hs_layout_garbage_head (), zone_top };

      g_array_append_val (spans, head);
    }
  if (spans->len == 0)
    return cuts;
  g_array_sort (spans, compare_span);

  end = g_array_index (spans, Span, 0).hi;
  for (guint i = 1; i < spans->len && budget > 0; i++)
    {
      const Span *s = &g_array_index (spans, Span, i);

      if (s->lo - end > keep)
        {
          HsLayoutCut cut = { s->lo, MIN (s->lo - end - keep, budget) };

          budget -= cut.shift;
          g_array_append_val (cuts, cut);
        }
      end = MAX (end, s->hi);
    }
  return cuts;
}

/* Moves back what stands from each cut on, across or down, by the cuts
 * at or before it: the boxes (only those in `placed`, if not NULL), the
 * columns, with what stands in them, so that the next step places new
 * objects where they now are, and the garbage zone's sides.  A negative
 * shift moves on: hs_layout_new() widens a channel so. */
void
hs_layout_move_bands (HsLayout   *self,
                      GArray     *cuts,
                      gboolean    vertical,
                      GHashTable *placed)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (cuts != NULL);

  for (guint b = 0; b < self->boxes->len; b++)
    {
      HsLayoutBox *box = &g_array_index (self->boxes, HsLayoutBox, b);

      if (placed != NULL && !g_hash_table_contains (placed, GUINT_TO_POINTER (b)))
        continue;
      if (vertical)
        box->rect.y -= shift_at (cuts, box->rect.y);
      else
        box->rect.x -= shift_at (cuts, box->rect.x);
    }
  if (!vertical)
    for (guint c = 1; c < self->columns->len; c++)
      {
        Column *col = &g_array_index (self->columns, Column, c);

        col->x -= shift_at (cuts, col->x);
      }
  if (self->has_garbage)
    {
      HsRect *z = &self->garbage_zone;
      double *at = vertical ? &z->y : &z->x, *size = vertical ? &z->height : &z->width;
      double end = *at + *size;

      *at -= shift_at (cuts, *at);
      *size = end - shift_at (cuts, end) - *at;
    }
}

void
hs_layout_compact (HsLayout   *self,
                   GHashTable *placed)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (placed != NULL);

  for (guint axis = 0; axis < 2; axis++)
    {
      gboolean vertical = axis == 1;
      g_autoptr(GArray) cuts = find_cuts (self, placed, vertical);

      if (cuts->len > 0)
        hs_layout_move_bands (self, cuts, vertical, placed);
    }
}
