/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include "hs-layout-private.h"

/*
 * Routing: one arrow per drawn reference, from its slot to the target's
 * header, with back edges (targets to the left) around the right-hand side.
 */

static void
route_edge (HsLayoutEdge      *edge,
            const HsLayoutBox *source,
            const HsLayoutBox *target)
{
  const HsLayoutRow *row = &source->rows[edge->row];
  double sx = source->rect.x + (edge->from_key ? row->key_slot_x : row->slot_x);
  double sy = source->rect.y + (edge->from_key ? row->key_slot_y : row->slot_y);
  const HsRect *t = &target->rect;
  double top = t->y + MIN (10, t->height / 2);
  double bottom = t->y + MAX (t->height / 2, MIN (target->header_height, t->height) - 6);

  g_assert (edge != NULL);

  edge->x[0] = sx;
  edge->y[0] = sy;
  edge->back = t->x < sx + GAP_X;

  if (!edge->back)
    {
      /* Enter the header from the left, level with the slot if possible */
      double ex = t->x, ey = CLAMP (sy, top, bottom);
      double dx = (ex - sx) / 2;

      edge->x[1] = sx + dx;
      edge->y[1] = sy;
      edge->x[2] = ex - dx;
      edge->y[2] = ey;
      edge->x[3] = ex;
      edge->y[3] = ey;
    }
  else
    {
      /* Around the right-hand side, into the target's right edge */
      double ex = t->x + t->width, ey = t->y + MIN (target->header_height, t->height) / 2;
      double side = MAX (source->rect.x + source->rect.width, ex) + 28 + 6 * (edge->row % 4);

      edge->x[1] = side;
      edge->y[1] = sy;
      edge->x[2] = side;
      edge->y[2] = ey;
      edge->x[3] = ex;
      edge->y[3] = ey;
    }
}

void
hs_layout_route_all_edges (HsLayout *self)
{
  for (guint i = 0; i < self->edges->len; i++)
    {
      HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, i);
      const HsLayoutBox *s = box_at (self, e->source);
      const HsLayoutBox *t = box_at (self, e->target_box);

      route_edge (e, s, t);
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
