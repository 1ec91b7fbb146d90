/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include <math.h>

#include "hs-layout.h"
#include "hs-layout-private.h"

/*
 * The layout object: hs_layout_new() runs the phases of a step's layout in
 * order over a builder (see hs-layout-private.h for which file does what),
 * and the result is immutable; then interpolation and queries.
 */
G_DEFINE_BOXED_TYPE (HsLayout, hs_layout, hs_layout_ref, hs_layout_unref)

void
hs_layout_options_init (HsLayoutOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (HsLayoutOptions) { 0 };
  options->max_cells = 10;
  options->tail_cells = 3;
}

static HsLayout *
layout_alloc (void)
{
  HsLayout *self = g_new0 (HsLayout, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->strings = g_string_chunk_new (4096);
  self->boxes = g_array_new (FALSE, TRUE, sizeof (HsLayoutBox));
  self->row_arrays = g_ptr_array_new_with_free_func (g_free);
  self->edges = g_array_new (FALSE, TRUE, sizeof (HsLayoutEdge));
  self->box_by_ref = g_hash_table_new (NULL, NULL);
  self->ghost_by_ref = g_hash_table_new (NULL, NULL);
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  self->lanes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_array_unref);
  return self;
}

HsLayout *
hs_layout_ref (HsLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
hs_layout_unref (HsLayout *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->snapshot, hs_snapshot_unref);
  g_string_chunk_free (self->strings);
  g_array_unref (self->boxes);
  g_ptr_array_unref (self->row_arrays);
  g_array_unref (self->edges);
  g_hash_table_unref (self->box_by_ref);
  g_hash_table_unref (self->ghost_by_ref);
  g_array_unref (self->columns);
  g_hash_table_unref (self->lanes);
  g_clear_pointer (&self->text, hs_layout_text_set_unref);
  g_clear_pointer (&self->from, hs_layout_unref);
  g_clear_pointer (&self->to, hs_layout_unref);
  g_free (self);
}

/* An arrow for every reference a box's rows draw */
static void
add_edges (HsLayout *self)
{
  for (guint b = 0; b < self->boxes->len; b++)
    hs_layout_add_edges_for_box (self, b);
}

static void
compute_size (HsLayout *self)
{
  double w = 0, h = 0;

  g_assert (self != NULL);

  for (guint i = 0; i < self->boxes->len; i++)
    {
      const HsRect *r = &box_at (self, i)->rect;

      w = MAX (w, r->x + r->width);
      h = MAX (h, r->y + r->height);
    }
  for (guint i = 0; i < self->edges->len; i++)
    {
      const HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, i);

      /* The curves, not their control points, which reach further out */
      for (guint c = 0; c < e->n_curves; c++)
        {
          const HsPoint *p = &e->path[3 * c];

          /* A curve stays within its control points: one well inside the
           * size so far (by more than rounding could reach) changes
           * nothing, and most do, so only the rest are sampled */
          if (MAX (MAX (p[0].x, p[1].x), MAX (p[2].x, p[3].x)) + 5 < w
              && MAX (MAX (p[0].y, p[1].y), MAX (p[2].y, p[3].y)) + 5 < h)
            continue;
          for (guint k = 0; k <= 16; k++)
            {
              double t = k / 16.0, u = 1 - t;

              w = MAX (w, u * u * u * p[0].x + 3 * u * u * t * p[1].x + 3 * u * t * t * p[2].x + t * t * t * p[3].x + 4);
              h = MAX (h, u * u * u * p[0].y + 3 * u * u * t * p[1].y + 3 * u * t * t * p[2].y + t * t * t * p[3].y + 4);
            }
        }
    }
  if (self->has_garbage)
    {
      w = MAX (w, self->garbage_zone.x + self->garbage_zone.width);
      h = MAX (h, self->garbage_zone.y + self->garbage_zone.height);
    }
  self->width = ceil (w + MARGIN);
  self->height = ceil (h + MARGIN);
}

static void
builder_init (HsLayoutBuilder       *builder,
              HsLayout              *self,
              HsSnapshot            *snapshot,
              HsLayout              *previous,
              const HsLayoutOptions *options)
{
  guint n_objects;

  g_assert (builder != NULL);

  *builder = (HsLayoutBuilder) { 0 };
  builder->self = self;
  builder->snapshot = snapshot;
  builder->previous = previous;
  builder->prev_snapshot = previous ? previous->snapshot : NULL;
  builder->options = options;
  hs_snapshot_get_objects (snapshot, &n_objects);
  builder->items = g_array_sized_new (FALSE, TRUE, sizeof (Item), n_objects);
  builder->items_by_ref = g_hash_table_new (NULL, NULL);
  builder->referrers = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  builder->placed = g_hash_table_new (NULL, NULL);
}

static void
builder_clear (HsLayoutBuilder *builder)
{
  g_assert (builder != NULL);

  for (guint i = 0; i < builder->items->len; i++)
    g_clear_pointer (&item_at (builder, i)->rows, g_array_unref);
  g_clear_pointer (&builder->items, g_array_unref);
  g_clear_pointer (&builder->items_by_ref, g_hash_table_unref);
  g_clear_pointer (&builder->referrers, g_hash_table_unref);
  g_clear_pointer (&builder->placed, g_hash_table_unref);
}

static gboolean
unwanted (const HsLayoutOptions *options)
{
  g_assert (options != NULL);

  return options->cancellable != NULL && g_cancellable_is_cancelled (options->cancellable);
}

/* Returns NULL only when options->cancellable was cancelled: a stepping
 * view moves on faster than a large heap is laid out, and a layout it no
 * longer wants must not keep a core, nor the text lock the main thread
 * lays out small heaps with. */
HsLayout *
hs_layout_new (HsSnapshot            *snapshot,
               HsLayout              *previous,
               const HsLayoutOptions *options)
{
  HsLayout *self;
  HsLayoutBuilder builder;
  HsLayoutOptions defaults;

  g_return_val_if_fail (snapshot != NULL, NULL);

  if (options == NULL)
    {
      hs_layout_options_init (&defaults);
      options = &defaults;
    }

  self = layout_alloc ();
  self->snapshot = hs_snapshot_ref (snapshot);
  builder_init (&builder, self, snapshot, previous, options);

  /* What is drawn, and the boxes it is drawn in */
  hs_layout_discover (&builder);
  hs_layout_count_arrows (&builder);
  if (unwanted (options))
    goto unwanted;
  hs_layout_text_lock ();
  self->text = hs_layout_text_set_new (previous ? previous->text : NULL);
  hs_layout_add_frame_boxes (&builder);
  if (!unwanted (options))
    hs_layout_add_object_boxes (&builder);
  if (!unwanted (options))
    hs_layout_add_ghost_boxes (&builder);
  hs_layout_text_unlock ();
  if (unwanted (options))
    goto unwanted;

  /* Ranks, order within them, places */
  hs_layout_index_referrers (&builder);
  hs_layout_place (&builder);
  hs_layout_text_set_seal (self->text);
  builder_clear (&builder);
  if (unwanted (options))
    {
      hs_layout_unref (self);
      return NULL;
    }

  add_edges (self);
  hs_layout_route_all_edges (self);
  compute_size (self);

  return self;

unwanted:
  builder_clear (&builder);
  hs_layout_unref (self);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Animation                                                           */

static double
lerp (double a,
      double b,
      double t)
{
  return a + (b - a) * t;
}

HsLayout *
hs_layout_interpolate (HsLayout *from,
                       HsLayout *to,
                       double    t)
{
  HsLayout *self;

  g_return_val_if_fail (to != NULL, NULL);

  if (from == NULL || t >= 1)
    return hs_layout_ref (to);
  t = CLAMP (t, 0, 1);

  self = layout_alloc ();
  self->snapshot = hs_snapshot_ref (to->snapshot);
  self->from = hs_layout_ref (from);
  self->to = hs_layout_ref (to);
  self->has_garbage = to->has_garbage;
  self->garbage_zone = to->garbage_zone;
  self->text = hs_layout_text_set_union (to->text, from->text);
  g_array_append_vals (self->columns, to->columns->data, to->columns->len);

  for (guint b = 0; b < to->boxes->len; b++)
    {
      HsLayoutBox box = *box_at (to, b);
      int old = -1;

      if (box.kind == HS_LAYOUT_BOX_OBJECT)
        old = lookup_box (from->box_by_ref, box.ref);
      else if (box.kind == HS_LAYOUT_BOX_GHOST)
        old = lookup_box (from->box_by_ref, box.ref);
      else if (box.frame < from->boxes->len && box_at (from, box.frame)->kind == HS_LAYOUT_BOX_FRAME)
        old = box.frame;

      if (old >= 0)
        {
          const HsRect *a = &box_at (from, old)->rect;

          box.rect.x = lerp (a->x, box.rect.x, t);
          box.rect.y = lerp (a->y, box.rect.y, t);
          if (box.kind == HS_LAYOUT_BOX_GHOST)
            box.alpha = lerp (1, box.alpha, t);
        }
      else
        box.alpha *= t;

      g_array_append_val (self->boxes, box);
      if (box.kind == HS_LAYOUT_BOX_OBJECT)
        g_hash_table_insert (self->box_by_ref, GUINT_TO_POINTER (box.ref), GUINT_TO_POINTER (self->boxes->len));
    }

  /* Objects that left without being freed fade out where they were */
  for (guint b = 0; b < from->boxes->len; b++)
    {
      HsLayoutBox box = *box_at (from, b);

      if (box.kind != HS_LAYOUT_BOX_OBJECT
          || lookup_box (to->box_by_ref, box.ref) >= 0
          || lookup_box (to->ghost_by_ref, box.ref) >= 0)
        continue;
      box.alpha *= 1 - t;
      box.n_rows = 0;
      box.rows = NULL;
      g_array_append_val (self->boxes, box);
    }

  for (guint e = 0; e < to->edges->len; e++)
    {
      HsLayoutEdge edge = g_array_index (to->edges, HsLayoutEdge, e);

      g_array_append_val (self->edges, edge);
    }
  hs_layout_move_edges (self, to);
  self->width = MAX (from->width, to->width);
  self->height = MAX (from->height, to->height);
  return self;
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

HsLayoutTextSet *
hs_layout_get_text (HsLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text;
}

HsSnapshot *
hs_layout_get_snapshot (HsLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->snapshot;
}

void
hs_layout_get_size (HsLayout *self,
                    double   *width,
                    double   *height)
{
  g_return_if_fail (self != NULL);
  if (width)
    *width = self->width;
  if (height)
    *height = self->height;
}

const HsLayoutBox *
hs_layout_get_boxes (HsLayout *self,
                     guint    *n_boxes)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_boxes != NULL, NULL);
  *n_boxes = self->boxes->len;
  return (const HsLayoutBox *) self->boxes->data;
}

const HsLayoutEdge *
hs_layout_get_edges (HsLayout *self,
                     guint    *n_edges)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_edges != NULL, NULL);
  *n_edges = self->edges->len;
  return (const HsLayoutEdge *) self->edges->data;
}

gboolean
hs_layout_get_garbage_zone (HsLayout *self,
                            HsRect   *out)
{
  g_return_val_if_fail (self != NULL, FALSE);
  if (self->has_garbage && out != NULL)
    *out = self->garbage_zone;
  return self->has_garbage;
}

gboolean
hs_layout_get_garbage_title (HsLayout *self,
                             HsRect   *out)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->has_garbage && out != NULL)
    *out = (HsRect) { self->garbage_zone.x + 10 - 1, self->garbage_zone.y + 6,
                      hs_layout_text_width (HS_LAYOUT_FONT_TITLE, HS_LAYOUT_GARBAGE_LABEL) + 2,
                      hs_layout_text_height (HS_LAYOUT_FONT_TITLE) };
  return self->has_garbage;
}

gboolean
hs_layout_get_object_bounds (HsLayout *self,
                             guint32   ref,
                             HsRect   *out)
{
  int index;

  g_return_val_if_fail (self != NULL, FALSE);

  index = lookup_box (self->box_by_ref, ref);
  if (index < 0)
    return FALSE;
  if (out != NULL)
    *out = box_at (self, index)->rect;
  return TRUE;
}

static gboolean
rect_contains (const HsRect *r,
               double        x,
               double        y)
{
  return x >= r->x && x < r->x + r->width && y >= r->y && y < r->y + r->height;
}

const HsLayoutBox *
hs_layout_get_object_box (HsLayout *self,
                          guint32   ref)
{
  int index;

  g_return_val_if_fail (self != NULL, NULL);

  index = lookup_box (self->box_by_ref, ref);
  return index >= 0 ? box_at (self, index) : NULL;
}

const HsLayoutBox *
hs_layout_hit_test_row (HsLayout *self,
                        double    x,
                        double    y,
                        guint    *row)
{
  g_return_val_if_fail (self != NULL, NULL);

  /* Topmost first: later boxes are drawn over earlier ones */
  for (guint b = self->boxes->len; b-- > 0;)
    {
      const HsLayoutBox *box = box_at (self, b);

      if (box->kind == HS_LAYOUT_BOX_GHOST || box->alpha <= 0 || !rect_contains (&box->rect, x, y))
        continue;
      if (row != NULL)
        {
          *row = G_MAXUINT;
          for (guint r = 0; r < box->n_rows; r++)
            if (y >= box->rect.y + box->rows[r].y && y < box->rect.y + box->rows[r].y + box->rows[r].height
                && x >= box->rect.x + box->rows[r].x && x < box->rect.x + box->rows[r].x + box->rows[r].width)
              *row = r;
        }
      return box;
    }
  return NULL;
}

guint32
hs_layout_hit_test_variable (HsLayout     *self,
                             double        x,
                             double        y,
                             HsLayoutHit  *kind,
                             guint        *frame,
                             const char  **name)
{
  g_return_val_if_fail (self != NULL, 0);

  if (kind)
    *kind = HS_LAYOUT_HIT_NOTHING;
  if (name)
    *name = NULL;

  /* Topmost first: later boxes are drawn over earlier ones */
  for (guint b = self->boxes->len; b-- > 0;)
    {
      const HsLayoutBox *box = box_at (self, b);

      if (box->kind == HS_LAYOUT_BOX_GHOST || box->alpha <= 0 || !rect_contains (&box->rect, x, y))
        continue;
      if (box->kind == HS_LAYOUT_BOX_OBJECT)
        {
          if (kind)
            *kind = HS_LAYOUT_HIT_OBJECT;
          return box->ref;
        }
      for (guint r = 0; r < box->n_rows; r++)
        {
          const HsLayoutRow *row = &box->rows[r];
          double top = box->rect.y + row->y;

          if (y >= top && y < top + row->height)
            {
              if (kind)
                *kind = HS_LAYOUT_HIT_VARIABLE;
              if (frame)
                *frame = box->frame;
              if (name)
                *name = row->label;
              return row->target;
            }
        }
      return 0;
    }
  return 0;
}

guint32
hs_layout_hit_test (HsLayout    *self,
                    double       x,
                    double       y,
                    HsLayoutHit *kind)
{
  g_return_val_if_fail (self != NULL, 0);
  return hs_layout_hit_test_variable (self, x, y, kind, NULL, NULL);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

void
hs_layout_sort_unique (GArray *values,
                       double  tolerance)
{
  guint k = 0;

  g_return_if_fail (values != NULL);

  g_array_sort (values, compare_doubles);
  for (guint i = 0; i < values->len; i++)
    if (k == 0 || g_array_index (values, double, i) - g_array_index (values, double, k - 1) > tolerance)
      g_array_index (values, double, k++) = g_array_index (values, double, i);
  g_array_set_size (values, k);
}
