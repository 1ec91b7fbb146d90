/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include "hs-layout-private.h"

/*
 * Columns.  Frames stand in column 0.  A survivor keeps its column; a new
 * object goes one column right of the furthest referrer that is not
 * downstream of it (a longest path over the graph with its back edges
 * removed), so arrows run rightward.  Columns are kept from step to step:
 * they only widen, and later columns move right with them, until a step
 * where no object survives (hs_layout_assign_columns ()).
 */

static double
column_end (const Column *c)
{
  return c->x + c->width;
}

double
hs_layout_column_x (HsLayout *self,
                    int       column)
{
  g_assert (self != NULL);
  g_assert (column >= 0);

  while ((guint) column >= self->columns->len)
    {
      Column c = { MARGIN, MIN_FRAME_W, FALSE };

      if (self->columns->len > 0)
        {
          c.x = column_end (&g_array_index (self->columns, Column, self->columns->len - 1)) + COLUMN_GAP;
          c.width = 60;
        }
      g_array_append_val (self->columns, c);
    }
  return g_array_index (self->columns, Column, column).x;
}

/* Columns from `from` on move right of their left neighbour, unless new
 * objects already stand in them.  Survivors keep the x they were given. */
void
hs_layout_settle_columns (HsLayout *self,
                          guint     from)
{
  g_assert (self != NULL);

  for (guint c = MAX (from, 1); c < self->columns->len; c++)
    {
      const Column *prev = &g_array_index (self->columns, Column, c - 1);
      Column *col = &g_array_index (self->columns, Column, c);

      if (!col->fixed)
        col->x = MAX (col->x, column_end (prev) + COLUMN_GAP);
    }
}

void
hs_layout_grow_column (HsLayout *self,
                       int       column,
                       double    width)
{
  Column *c;

  g_assert (self != NULL);

  hs_layout_column_x (self, column);
  c = &g_array_index (self->columns, Column, column);
  c->width = MAX (c->width, width);
}

/* Who references whom, by box */
void
hs_layout_index_referrers (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;

  g_assert (builder != NULL);

  for (guint b = 0; b < self->boxes->len; b++)
    {
      const HsLayoutBox *box = box_at (self, b);

      for (guint r = 0; r < box->n_rows; r++)
        for (guint k = 0; k < 2; k++)
          {
            guint32 ref = k ? box->rows[r].key_target : box->rows[r].target;
            GPtrArray *list;

            if (ref == 0)
              continue;
            list = g_hash_table_lookup (builder->referrers, GUINT_TO_POINTER (ref));
            if (list == NULL)
              {
                list = g_ptr_array_new ();
                g_hash_table_insert (builder->referrers, GUINT_TO_POINTER (ref), list);
              }
            g_ptr_array_add (list, GUINT_TO_POINTER (b));
          }
    }
}

/* Survivors keep their columns; objects that turned into garbage are new
 * to the garbage zone, and so are those it left, and values that stood
 * beside it and that something alive references again (stepping back
 * over `del a, b`, the freeing lesson's strings stayed where the zone
 * had been, 909 units right).  Returns whether any object survives. */
static gboolean
find_survivors (HsLayoutBuilder *builder)
{
  gboolean any_survivor = FALSE;

  g_assert (builder != NULL);

  if (builder->previous == NULL)
    return FALSE;
  for (guint i = 0; i < builder->items->len; i++)
    {
      Item *it = item_at (builder, i);
      int prev_box = lookup_box (builder->previous->box_by_ref, it->object->ref);
      const HsLayoutBox *pb;

      if (prev_box < 0)
        continue;
      pb = box_at (builder->previous, prev_box);
      if (pb->garbage == box_at (builder->self, it->box)->garbage
          && (!pb->beside_zone || box_at (builder->self, it->box)->beside_zone))
        {
          it->survivor = TRUE;
          it->column = pb->column;
          any_survivor = TRUE;
        }
    }
  return any_survivor;
}

static guint
item_index (HsLayoutBuilder *builder,
            guint32          ref)
{
  g_assert (builder != NULL);

  return ref == 0 ? 0 : GPOINTER_TO_UINT (g_hash_table_lookup (builder->items_by_ref, GUINT_TO_POINTER (ref)));
}

static gint64 *
edge_key (guint from,
          guint to)
{
  gint64 *key = g_new (gint64, 1);

  *key = ((gint64) from << 32) | to;
  return key;
}

/* An iterative DFS over new objects marks the edges that close cycles */
static GHashTable *
find_back_edges (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;
  GHashTable *back = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) state = g_array_sized_new (FALSE, TRUE, sizeof (guint8), builder->items->len);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint64));

  g_assert (builder != NULL);

  g_array_set_size (state, builder->items->len);
  for (guint start = 0; start < builder->items->len; start++)
    {
      guint64 frame_entry;

      if (g_array_index (state, guint8, start) != 0 || item_at (builder, start)->survivor)
        continue;
      frame_entry = (guint64) start << 32;
      g_array_append_val (stack, frame_entry);
      g_array_index (state, guint8, start) = 1;
      while (stack->len > 0)
        {
          guint64 *top = &g_array_index (stack, guint64, stack->len - 1);
          guint node = *top >> 32, next = *top & 0xffffffff;
          const HsLayoutBox *box = box_at (self, item_at (builder, node)->box);
          const HsLayoutRow *row;
          guint child;

          if (next >= box->n_rows * 2)
            {
              g_array_index (state, guint8, node) = 2;
              g_array_set_size (stack, stack->len - 1);
              continue;
            }
          (*top)++;
          row = &box->rows[next / 2];
          child = item_index (builder, next % 2 ? row->target : row->key_target);
          if (child == 0 || item_at (builder, child - 1)->survivor)
            continue;
          child--;
          if (g_array_index (state, guint8, child) == 1)
            g_hash_table_add (back, edge_key (node, child));
          else if (g_array_index (state, guint8, child) == 0)
            {
              guint64 entry = (guint64) child << 32;

              g_array_index (state, guint8, child) = 1;
              g_array_append_val (stack, entry);
            }
        }
    }
  return back;
}

/* Kahn's algorithm over the remaining edges between new objects: each
 * goes one column right of its furthest referrer */
static void
rank_new_objects (HsLayoutBuilder *builder,
                  GHashTable      *back)
{
  HsLayout *self = builder->self;
  g_autoptr(GArray) indegree = g_array_sized_new (FALSE, TRUE, sizeof (guint), builder->items->len);
  g_autoptr(GQueue) ready = g_queue_new ();

  g_assert (builder != NULL);
  g_assert (back != NULL);

  g_array_set_size (indegree, builder->items->len);
  for (guint i = 0; i < builder->items->len; i++)
    {
      Item *it = item_at (builder, i);
      GPtrArray *list = g_hash_table_lookup (builder->referrers, GUINT_TO_POINTER (it->object->ref));

      if (it->survivor)
        continue;
      it->column = 1;
      for (guint k = 0; list && k < list->len; k++)
        {
          const HsLayoutBox *s = box_at (self, GPOINTER_TO_UINT (g_ptr_array_index (list, k)));
          guint source_item;

          if (s->kind == HS_LAYOUT_BOX_FRAME)
            continue;
          source_item = item_index (builder, s->ref) - 1;
          if (item_at (builder, source_item)->survivor)
            it->column = MAX (it->column, item_at (builder, source_item)->column + 1);
          else if (source_item != i)
            {
              gint64 key = ((gint64) source_item << 32) | i;

              if (!g_hash_table_contains (back, &key))
                {
                  g_array_index (indegree, guint, i)++;
                  if (it->preds == NULL)
                    it->preds = g_array_new (FALSE, FALSE, sizeof (guint));
                  g_array_append_val (it->preds, source_item);
                }
            }
        }
      it->base = it->column;
      if (g_array_index (indegree, guint, i) == 0)
        g_queue_push_tail (ready, GUINT_TO_POINTER (i));
    }
  while (!g_queue_is_empty (ready))
    {
      guint i = GPOINTER_TO_UINT (g_queue_pop_head (ready));
      const Item *it = item_at (builder, i);
      const HsLayoutBox *box = box_at (self, it->box);

      for (guint r = 0; r < box->n_rows; r++)
        for (guint k = 0; k < 2; k++)
          {
            guint child = item_index (builder, k ? box->rows[r].key_target : box->rows[r].target);
            gint64 key;
            Item *c;

            if (child == 0)
              continue;
            child--;
            c = item_at (builder, child);
            key = ((gint64) i << 32) | child;
            if (c->survivor || child == i || g_hash_table_contains (back, &key))
              continue;
            c->column = MAX (c->column, it->column + 1);
            if (--g_array_index (indegree, guint, child) == 0)
              g_queue_push_tail (ready, GUINT_TO_POINTER (child));
          }
    }
}

void
hs_layout_assign_columns (HsLayoutBuilder *builder)
{
  g_autoptr(GHashTable) back = NULL;

  g_assert (builder != NULL);

  /* Columns carry over so that survivors keep their places.  Where no
   * object survives (the first step shown after any other, the step after
   * one that drew no object, a step after every object was freed), they
   * start afresh: kept, they held the widest box of every step shown
   * before, and the same step was drawn one way or another depending on
   * which steps a window happened to show while the program ran. */
  if (!find_survivors (builder))
    g_array_set_size (builder->self->columns, 0);
  back = find_back_edges (builder);
  rank_new_objects (builder, back);

  for (guint i = 0; i < builder->items->len; i++)
    {
      const Item *it = item_at (builder, i);
      HsLayoutBox *box = box_at (builder->self, it->box);

      box->column = it->column;
      /* A value that only garbage references stands beside the garbage
       * zone, not in the column it ranks in: a long key string there
       * would push every column on its right further right */
      if (!it->survivor && !box->beside_zone)
        hs_layout_grow_column (builder->self, it->column, box->rect.width);
    }
}

/*
 * Survivors keep their x while their columns move right, and a new box
 * may be wider than the column it joins: either way a new box can reach
 * into the gap before the next column.  The router finds its channels
 * between the boxes' extents across the whole picture, so one such box,
 * however far up or down, closes a channel for every arrow: arrows into
 * the next column then ran level over the boxes they should have turned
 * around (a range iterator wider than the lists beside it, in the
 * geometry test's grid.py).  So where the new box of the columns left of
 * a column that reaches furthest comes nearer than NARROW_CHANNEL to the
 * boxes of that column and the columns right of it, those
 * columns move right, with all that stands in them, until the gap is
 * COLUMN_GAP again, as in a fresh layout, and the widget animates the
 * move.  Columns further right move by as much again for each gap opened
 * on the way.  Where survivors stand out of their columns' order, a box
 * that moves can meet one that moves less: then no column moves at this
 * step (shifts_clash()).
 *
 * Only new boxes: the columns of a long run can hold survivors at
 * several x each, reaching over one another (the tree of bench-window
 * --objects), and opening every such gap at once moved columns thousands
 * of units and doubled that program's layout time.  Only narrower than
 * NARROW_CHANNEL: a gap a little narrower than COLUMN_GAP still holds a
 * channel's lanes, and opening it too moved boxes a few units out of one
 * view with what the line made (the alias_bugs lesson, step 25).
 */
#define NARROW_CHANNEL (COLUMN_GAP / 2)

typedef struct
{
  HsRect rect;    /* moved */
  double shift;
} Moved;

static int
compare_moved_tops (gconstpointer a,
                    gconstpointer b)
{
  double ya = ((const Moved *) a)->rect.y, yb = ((const Moved *) b)->rect.y;

  return ya < yb ? -1 : ya > yb;
}

/* Whether, moved by shift[] column by column, two placed boxes that move
 * by different amounts would clash: a sweep down the boxes sorted by top
 * compares each only with those beside it in height */
static gboolean
shifts_clash (HsLayoutBuilder *builder,
              const double    *shift)
{
  HsLayout *self = builder->self;
  g_autoptr(GArray) moved = g_array_new (FALSE, FALSE, sizeof (Moved));

  for (guint b = 0; b < self->boxes->len; b++)
    {
      const HsLayoutBox *box = box_at (self, b);
      Moved m = { box->rect, shift[box->column] };

      if (!g_hash_table_contains (builder->placed, GUINT_TO_POINTER (b)))
        continue;
      m.rect.x += m.shift;
      g_array_append_val (moved, m);
    }
  g_array_sort (moved, compare_moved_tops);
  for (guint i = 0; i < moved->len; i++)
    {
      const Moved *a = &g_array_index (moved, Moved, i);

      for (guint j = i + 1; j < moved->len; j++)
        {
          const Moved *b = &g_array_index (moved, Moved, j);

          if (b->rect.y >= a->rect.y + a->rect.height + GAP_Y)
            break;
          if (a->shift != b->shift && rects_clash (&a->rect, &b->rect))
            return TRUE;
        }
    }
  return FALSE;
}

void
hs_layout_open_channels (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;
  guint n;
  g_autofree double *left = NULL, *right = NULL, *start = NULL, *shift = NULL, *reached = NULL;
  double reach = -G_MAXDOUBLE, reach_start = 0, total = 0;

  g_assert (builder != NULL);

  n = self->columns->len;
  for (guint b = 0; b < self->boxes->len; b++)
    n = MAX (n, box_at (self, b)->column + 1);
  left = g_new (double, n + 1);
  right = g_new (double, n);
  start = g_new (double, n);
  shift = g_new0 (double, n);
  reached = g_new (double, n);
  for (guint c = 0; c <= n; c++)
    left[c] = G_MAXDOUBLE;
  for (guint c = 0; c < n; c++)
    right[c] = -G_MAXDOUBLE;
  for (guint b = 0; b < self->boxes->len; b++)
    {
      const HsLayoutBox *box = box_at (self, b);

      if (g_hash_table_contains (builder->placed, GUINT_TO_POINTER (b)))
        left[box->column] = MIN (left[box->column], box->rect.x);
    }
  /* right[c]: the new box of column c that reaches furthest, starting at
   * start[c] */
  for (guint i = 0; i < builder->items->len; i++)
    {
      const Item *it = item_at (builder, i);
      const HsLayoutBox *box = box_at (self, it->box);

      if (it->survivor || !g_hash_table_contains (builder->placed, GUINT_TO_POINTER (it->box))
          || box->rect.x + box->rect.width <= right[box->column])
        continue;
      right[box->column] = box->rect.x + box->rect.width;
      start[box->column] = box->rect.x;
    }
  /* left[c]: the leftmost box in column c or any right of it */
  for (guint c = n; c-- > 0;)
    left[c] = MIN (left[c], left[c + 1]);

  for (guint c = 0; c < n; c++)
    {
      double gap = left[c] + total - reach;

      /* reach: the right edge of the new boxes left of column c, moved.
       * A column whose boxes stand left of that box's own start is
       * already tangled with it, and is left as it is. */
      if (reach > -G_MAXDOUBLE && left[c] < G_MAXDOUBLE && gap < NARROW_CHANNEL && left[c] + total > reach_start)
        total += COLUMN_GAP - gap;
      shift[c] = total;
      reached[c] = reach;
      if (right[c] > -G_MAXDOUBLE && right[c] + shift[c] > reach)
        {
          reach = right[c] + shift[c];
          reach_start = start[c] + shift[c];
        }
    }
  if (total == 0 || shifts_clash (builder, shift))
    return;

  for (guint b = 0; b < self->boxes->len; b++)
    {
      HsLayoutBox *box = box_at (self, b);

      if (g_hash_table_contains (builder->placed, GUINT_TO_POINTER (b)))
        box->rect.x += shift[box->column];
    }
  /* New objects in a moved column go right of the channel too; a column
   * settled further right than its survivors keeps its place */
  for (guint c = 1; c < self->columns->len; c++)
    if (shift[c] > 0)
      {
        Column *col = &g_array_index (self->columns, Column, c);

        col->x = MAX (col->x, reached[c] + COLUMN_GAP);
      }
}
