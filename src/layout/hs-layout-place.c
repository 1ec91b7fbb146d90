/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include <math.h>

#include "hs-layout-private.h"

/*
 * Placement: where each box goes in its column.  Frames stack down column
 * 0; survivors stay where they were and ghosts where their object was;
 * new objects go column by column, level with the slot that first
 * references them, in the first free place at or below it; garbage goes
 * to a zone below everything reachable.
 *
 * A new object that would slide more than MAX_DRIFT below the slot that
 * references it goes to a column further right instead, and what it
 * references moves right with it: a list of many lists would otherwise
 * push its grandchildren ever further down, tens of thousands of units
 * from their parents.
 */

#define ZONE_GAP      48.0
#define ZONE_PAD      16.0
#define BAND          64.0
#define MAX_DRIFT     720.0
#define MAX_SHIFT     64

static void
occupancy_init (Occupancy *occ)
{
  occ->rects = g_array_new (FALSE, FALSE, sizeof (HsRect));
  occ->bands = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
}

static void
occupancy_clear (Occupancy *occ)
{
  g_array_unref (occ->rects);
  g_hash_table_unref (occ->bands);
}

static void
occupancy_add (Occupancy    *occ,
               const HsRect *r)
{
  guint index = occ->rects->len;
  int first = (int) floor (r->y / BAND);
  int last = (int) floor ((r->y + r->height) / BAND);

  g_array_append_val (occ->rects, *r);
  for (int b = first; b <= last; b++)
    {
      GArray *list = g_hash_table_lookup (occ->bands, GINT_TO_POINTER (b));

      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (occ->bands, GINT_TO_POINTER (b), list);
        }
      g_array_append_val (list, index);
    }
}

/* The first y at or below y where a box of this size touches nothing, or
 * some y past limit if there is none up to it. */
static double
occupancy_find_y (Occupancy *occ,
                  double     x,
                  double     y,
                  double     width,
                  double     height,
                  double     limit)
{
  gboolean moved = TRUE;

  while (moved && y <= limit)
    {
      int first = (int) floor ((y - GAP_Y) / BAND);
      int last = (int) floor ((y + height + GAP_Y) / BAND);

      moved = FALSE;
      for (int b = first; b <= last && !moved; b++)
        {
          GArray *list = g_hash_table_lookup (occ->bands, GINT_TO_POINTER (b));

          for (guint i = 0; list != NULL && i < list->len; i++)
            {
              const HsRect *r = &g_array_index (occ->rects, HsRect, g_array_index (list, guint, i));

              if (x < r->x + r->width + GAP_X && r->x < x + width + GAP_X
                  && y < r->y + r->height + GAP_Y && r->y < y + height + GAP_Y)
                {
                  y = r->y + r->height + GAP_Y;
                  moved = TRUE;
                  break;
                }
            }
        }
    }
  return y;
}

/*
 * Mutable containers keep two rows of room below them when they are first
 * placed, so that an append does not push their neighbours down: objects
 * keep their places while they live.  The room is kept from step to step.
 */
static void
reserve (HsLayoutBox       *box,
         const HsLayoutBox *previous)
{
  gboolean grows = box->kind == HS_LAYOUT_BOX_OBJECT && (box->flags & HS_OBJECT_MUTABLE)
                   && box->shape != HS_LAYOUT_SHAPE_VALUE;

  box->reserved_height = box->rect.height;
  if (previous != NULL)
    box->reserved_height = MAX (box->rect.height, previous->reserved_height);
  else if (grows)
    box->reserved_height = ceil (box->reserved_height + 2 * hs_layout_row_height () + PAD / 2);
}

static void
occupy (Occupancy         *occ,
        const HsLayoutBox *box)
{
  HsRect r = box->rect;

  r.height = MAX (box->reserved_height, r.height);
  occupancy_add (occ, &r);
}

static int
compare_want_y (gconstpointer a,
                gconstpointer b)
{
  const Item *x = *(const Item * const *) a;
  const Item *y = *(const Item * const *) b;

  if (x->column != y->column)
    return x->column < y->column ? -1 : 1;
  if (x->want_y != y->want_y)
    return x->want_y < y->want_y ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static int
compare_old_y (gconstpointer a,
               gconstpointer b)
{
  const Item *x = *(const Item * const *) a;
  const Item *y = *(const Item * const *) b;

  if (x->want_y != y->want_y)
    return x->want_y < y->want_y ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * A free place for a new box no higher than want, in the first column from
 * `column` to `last` where it lands within MAX_DRIFT of want; failing that,
 * in `column`, however far down.  Returns the column.
 */
static int
place_new (HsLayout    *self,
           Occupancy   *occ,
           HsLayoutBox *box,
           int          column,
           int          last,
           double       want)
{
  double limit = want + MAX_DRIFT, y = G_MAXDOUBLE;
  int shift;
  Column *c;

  g_assert (box != NULL);

  last = MIN (last, column + MAX_SHIFT - 1);
  for (shift = 0; column + shift <= last; shift++)
    {
      hs_layout_column_x (self, column + shift);
      hs_layout_settle_columns (self, column + shift);
      y = occupancy_find_y (occ, hs_layout_column_x (self, column + shift), want,
                            box->rect.width, box->reserved_height, limit);
      if (y <= limit)
        break;
    }
  if (column + shift > last)
    {
      shift = 0;
      y = occupancy_find_y (occ, hs_layout_column_x (self, column), want, box->rect.width, box->reserved_height, G_MAXDOUBLE);
    }
  column += shift;
  c = &g_array_index (self->columns, Column, column);
  c->fixed = TRUE;
  c->width = MAX (c->width, box->rect.width);
  box->rect.x = c->x;
  box->rect.y = y;
  box->column = column;
  return column;
}


/* The y a new object would like: level with the first placed slot that
 * references it, so that the arrow runs straight. */
static double
wanted_y (HsLayout    *self,
          GHashTable  *placed,
          const Item  *item,
          GPtrArray   *referrers)
{
  g_assert (self != NULL);

  for (guint i = 0; referrers != NULL && i < referrers->len; i++)
    {
      guint source = GPOINTER_TO_UINT (g_ptr_array_index (referrers, i));
      const HsLayoutBox *s = box_at (self, source);

      if (!g_hash_table_contains (placed, GUINT_TO_POINTER (source)))
        continue;
      for (guint r = 0; r < s->n_rows; r++)
        if (s->rows[r].target == item->object->ref || s->rows[r].key_target == item->object->ref)
          {
            const HsLayoutBox *me = box_at (self, item->box);
            double slot_y = s->rows[r].key_target == item->object->ref ? s->rows[r].key_slot_y : s->rows[r].slot_y;

            return s->rect.y + slot_y - MIN (me->header_height, me->rect.height) / 2;
          }
    }
  return -1;
}

/* ------------------------------------------------------------------ */
/* Phases                                                              */

/* Frames, stacked top-down in column 0, outermost first */
void
hs_layout_place_frames (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;
  guint n_frames;
  double y = MARGIN;

  g_assert (builder != NULL);

  occupancy_init (&builder->occ);
  builder->reachable_bottom = MARGIN;
  hs_snapshot_get_frames (builder->snapshot, &n_frames);
  for (guint f = 0; f < n_frames; f++)
    {
      HsLayoutBox *box = box_at (self, f);

      hs_layout_grow_column (self, 0, box->rect.width);
      box->rect.x = MARGIN;
      box->rect.y = y;
      y += box->rect.height + GAP_Y;
      occupancy_add (&builder->occ, &box->rect);
      g_hash_table_add (builder->placed, GUINT_TO_POINTER (f));
      builder->reachable_bottom = MAX (builder->reachable_bottom, box->rect.y + box->rect.height);
    }
  /* The frame column can only widen; later columns move right with it */
  hs_layout_settle_columns (self, 1);
}

static const HsLayoutBox *
previous_box (HsLayoutBuilder *builder,
              const Item      *it)
{
  g_assert (builder != NULL);
  g_assert (it != NULL);

  return box_at (builder->previous, lookup_box (builder->previous->box_by_ref, it->object->ref));
}

/* The leftmost column a survivor may stand in: one right of its
 * referrers on the left.  Freed referrers leave objects far right of what
 * still references them, and a picture that once needed many columns
 * kept them all. */
static int
leftmost_column (HsLayoutBuilder *builder,
                 const Item      *it)
{
  GPtrArray *list = g_hash_table_lookup (builder->referrers, GUINT_TO_POINTER (it->object->ref));
  int want = 1;
  gboolean any = FALSE;

  g_assert (builder != NULL);
  g_assert (it != NULL);

  if (it->column <= 1 || list == NULL)
    return it->column;
  for (guint k = 0; k < list->len; k++)
    {
      const HsLayoutBox *r = box_at (builder->self, GPOINTER_TO_UINT (g_ptr_array_index (list, k)));
      int c = r->kind == HS_LAYOUT_BOX_FRAME ? 0 : (int) r->column;

      /* Referrers level with it or right of it point back: they do not
       * hold it where it is */
      if (c >= it->column)
        continue;
      any = TRUE;
      want = MAX (want, c + 1);
    }
  return any ? want : it->column;
}

static gboolean
rects_clash (const HsRect *a,
             const HsRect *b)
{
  g_assert (a != NULL && b != NULL);

  return a->x < b->x + b->width + GAP_X && b->x < a->x + a->width + GAP_X
         && a->y < b->y + b->height + GAP_Y && b->y < a->y + a->height + GAP_Y;
}

#define TALL_BOX 256.0

/* The previous step's boxes, top-down, for room_at() to look only at
 * those level with a rectangle */
typedef struct
{
  HsLayout *previous;
  guint    *order;     /* box indices by rect.y */
  double   *tops;      /* their rect.y, in that order */
  guint     n;
  double    tallest;   /* the greatest of their heights and room kept, */
  guint    *tall;      /* but for these taller ones, looked at always */
  guint     n_tall;
} OldBoxes;

static int
compare_box_tops (gconstpointer a,
                  gconstpointer b,
                  gpointer      previous)
{
  const HsLayoutBox *x = box_at (previous, *(const guint *) a);
  const HsLayoutBox *y = box_at (previous, *(const guint *) b);

  if (x->rect.y != y->rect.y)
    return x->rect.y < y->rect.y ? -1 : 1;
  return *(const guint *) a < *(const guint *) b ? -1 : *(const guint *) a > *(const guint *) b;
}

static void
old_boxes_init (OldBoxes *old,
                HsLayout *previous)
{
  g_assert (old != NULL && previous != NULL);

  old->previous = previous;
  old->n = previous->boxes->len;
  old->order = g_new (guint, MAX (old->n, 1));
  old->tops = g_new (double, MAX (old->n, 1));
  old->tall = g_new (guint, MAX (old->n, 1));
  old->tallest = 0;
  old->n_tall = 0;
  /* One long list's box would widen every search: such boxes stand
   * apart */
  for (guint b = 0, n = 0; b < previous->boxes->len; b++)
    {
      const HsLayoutBox *pb = box_at (previous, b);
      double height = MAX (pb->rect.height, pb->reserved_height);

      if (height > TALL_BOX)
        old->tall[old->n_tall++] = b;
      else
        {
          old->order[n++] = b;
          old->tallest = MAX (old->tallest, height);
        }
    }
  old->n -= old->n_tall;
  g_qsort_with_data (old->order, old->n, sizeof (guint), compare_box_tops, previous);
  for (guint k = 0; k < old->n; k++)
    old->tops[k] = box_at (previous, old->order[k])->rect.y;
}

static void
old_boxes_clear (OldBoxes *old)
{
  g_assert (old != NULL);

  g_free (old->order);
  g_free (old->tops);
  g_free (old->tall);
}

/* Whether r clashes with the previous step's box pb, unless pb is the
 * object's own, a ghost, or an object gone at this step */
static gboolean
clashes_with_old (HsLayoutBuilder   *builder,
                  const HsRect      *r,
                  guint32            ref,
                  const HsLayoutBox *pb)
{
  HsRect other = pb->rect;

  g_assert (builder != NULL && r != NULL && pb != NULL);

  if (pb->kind == HS_LAYOUT_BOX_GHOST || (pb->kind == HS_LAYOUT_BOX_OBJECT && pb->ref == ref))
    return FALSE;
  /* The cheap test first: this runs for many boxes per survivor, and the
   * lookups below cost more than it */
  other.height = MAX (other.height, pb->reserved_height);
  if (!rects_clash (r, &other))
    return FALSE;
  /* Objects gone at this step, without a ghost, leave their room: the
   * gaps they leave are what moving left closes */
  return pb->kind != HS_LAYOUT_BOX_OBJECT
         || lookup_box (builder->items_by_ref, pb->ref) >= 0
         || lookup_box (builder->self->ghost_by_ref, pb->ref) >= 0;
}

/* Whether r is clear of every box of the previous step but the object
 * itself, and of the survivors that moved before it, so that moving there
 * pushes nothing */
static gboolean
room_at (HsLayoutBuilder *builder,
         const OldBoxes  *old,
         const HsRect    *r,
         guint32          ref,
         GArray          *moved)
{
  HsLayout *previous = builder->previous;
  guint lo = 0, hi = old->n;

  g_assert (builder != NULL);
  g_assert (old != NULL);

  /* Only boxes whose tops stand within the tallest box above r's top can
   * reach it; the first of them, by a search */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (old->tops[mid] < r->y - old->tallest - GAP_Y)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint k = 0; k < old->n_tall; k++)
    if (clashes_with_old (builder, r, ref, box_at (previous, old->tall[k])))
      return FALSE;
  for (guint k = lo; k < old->n && old->tops[k] < r->y + r->height + GAP_Y; k++)
    if (clashes_with_old (builder, r, ref, box_at (previous, old->order[k])))
      return FALSE;
  for (guint m = 0; m < moved->len; m++)
    if (rects_clash (r, &g_array_index (moved, HsRect, m)))
      return FALSE;
  return TRUE;
}

/* Moves a survivor left, as far as leftmost_column() allows and there is
 * room level with where it stood, by at most two compaction steps: the
 * widget animates the move */
static void
move_left (HsLayoutBuilder *builder,
           const OldBoxes  *old,
           Item            *it,
           HsLayoutBox     *box,
           GArray          *moved)
{
  g_assert (builder != NULL);
  g_assert (it != NULL && box != NULL && moved != NULL);

  for (int column = leftmost_column (builder, it); column < it->column; column++)
    {
      const Column *c;
      HsRect r;

      hs_layout_column_x (builder->self, column);
      c = &g_array_index (builder->self->columns, Column, column);
      if (box->rect.width > c->width || box->rect.x - c->x > 3 * HS_LAYOUT_COMPACT_STEP)
        continue;
      r = (HsRect) { c->x, it->want_y, box->rect.width, MAX (box->rect.height, box->reserved_height) };
      if (!room_at (builder, old, &r, it->object->ref, moved))
        continue;
      g_array_append_val (moved, r);
      box->rect.x = c->x;
      box->column = column;
      it->column = column;
      return;
    }
}

/* Survivors keep x and only move down, in their old top-down order, if
 * growing made them collide.  Garbage survivors wait for the zone. */
void
hs_layout_place_survivors (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;
  g_autoptr(GArray) moved = g_array_new (FALSE, FALSE, sizeof (HsRect));
  OldBoxes old = { 0 };

  g_assert (builder != NULL);

  if (builder->previous != NULL)
    old_boxes_init (&old, builder->previous);
  builder->survivors = g_ptr_array_new ();
  for (guint i = 0; i < builder->items->len; i++)
    {
      Item *it = item_at (builder, i);

      if (it->survivor)
        {
          it->want_y = previous_box (builder, it)->rect.y;
          g_ptr_array_add (builder->survivors, it);
        }
    }
  g_ptr_array_sort (builder->survivors, compare_old_y);
  for (guint i = 0; i < builder->survivors->len; i++)
    {
      Item *it = g_ptr_array_index (builder->survivors, i);
      HsLayoutBox *box = box_at (self, it->box);
      const HsLayoutBox *pb;

      if (box->garbage)
        continue;
      pb = previous_box (builder, it);
      box->rect.x = pb->rect.x;
      reserve (box, pb);
      move_left (builder, &old, it, box, moved);
      box->rect.y = occupancy_find_y (&builder->occ, box->rect.x, it->want_y, box->rect.width, box->rect.height, G_MAXDOUBLE);
      occupy (&builder->occ, box);
      g_hash_table_add (builder->placed, GUINT_TO_POINTER (it->box));
      builder->reachable_bottom = MAX (builder->reachable_bottom, box->rect.y + box->rect.height);
    }
  old_boxes_clear (&old);
}

/* Ghosts stay where their object was */
void
hs_layout_place_ghosts (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self, *previous = builder->previous;

  g_assert (builder != NULL);

  if (previous == NULL)
    return;
  for (guint b = 0; b < self->boxes->len; b++)
    {
      HsLayoutBox *box = box_at (self, b);
      const HsLayoutBox *pb;
      int pb_index;

      if (box->kind != HS_LAYOUT_BOX_GHOST)
        continue;
      pb_index = lookup_box (previous->box_by_ref, box->ref);
      if (pb_index < 0)
        pb_index = lookup_box (previous->ghost_by_ref, box->ref);
      if (pb_index < 0)
        continue;
      pb = box_at (previous, pb_index);
      box->rect.x = pb->rect.x;
      box->rect.y = occupancy_find_y (&builder->occ, box->rect.x, pb->rect.y, box->rect.width, box->rect.height, G_MAXDOUBLE);
      box->column = pb->column;
      occupancy_add (&builder->occ, &box->rect);
      g_hash_table_add (builder->placed, GUINT_TO_POINTER (b));
    }
}

/* Garbage survivors: where they were, if that is still inside the zone */
static void
place_garbage_survivors (HsLayoutBuilder *builder,
                         double           zone_top)
{
  HsLayout *self = builder->self;

  g_assert (builder != NULL);

  for (guint i = 0; i < builder->survivors->len; i++)
    {
      Item *it = g_ptr_array_index (builder->survivors, i);
      HsLayoutBox *box = box_at (self, it->box);
      const HsLayoutBox *pb;

      if (!box->garbage)
        continue;
      pb = previous_box (builder, it);
      box->rect.x = pb->rect.x;
      reserve (box, pb);
      box->rect.y = occupancy_find_y (&builder->occ, box->rect.x, MAX (it->want_y, zone_top),
                                      box->rect.width, box->rect.height, G_MAXDOUBLE);
      occupy (&builder->occ, box);
      g_hash_table_add (builder->placed, GUINT_TO_POINTER (it->box));
    }
}

/* The objects whose referrers on the left all stand, at least one column
 * right of them; they leave `group`. */
static GPtrArray *
next_wave (HsLayoutBuilder *builder,
           GPtrArray       *group,
           int              column,
           int              last)
{
  HsLayout *self = builder->self;
  GPtrArray *wave = g_ptr_array_new ();
  guint kept = 0;

  g_assert (builder != NULL);
  g_assert (group != NULL);

  for (guint i = 0; i < group->len; i++)
    {
      Item *it = g_ptr_array_index (group, i);
      gboolean ready = TRUE;
      int need = it->base;

      for (guint k = 0; it->preds != NULL && k < it->preds->len; k++)
        {
          const Item *p = item_at (builder, g_array_index (it->preds, guint, k));

          /* Garbage may reference the living, never the reverse */
          if (box_at (self, p->box)->garbage != box_at (self, it->box)->garbage)
            continue;
          ready &= p->done;
          need = MAX (need, p->column + 1);
        }
      /* Far past every placed column, a wait can only be a cycle the DFS
       * did not see: place what is left */
      if ((ready && need <= column) || column > last + 1)
        {
          it->column = column;
          g_ptr_array_add (wave, it);
        }
      else
        group->pdata[kept++] = it;
    }
  g_ptr_array_set_size (group, kept);
  return wave;
}

/* The last column a new box may move right to: one left of the nearest
 * placed object it references.  Moving right past what it references
 * would turn its arrows backwards: drifting down reads better. */
static int
last_column_for (HsLayoutBuilder   *builder,
                 const HsLayoutBox *box)
{
  HsLayout *self = builder->self;
  int last_column = G_MAXINT / 2;

  g_assert (builder != NULL);
  g_assert (box != NULL);

  for (guint r = 0; r < box->n_rows; r++)
    for (guint k = 0; k < 2; k++)
      {
        guint32 ref = k ? box->rows[r].key_target : box->rows[r].target;
        int target = ref != 0 ? lookup_box (self->box_by_ref, ref) : -1;

        if (target >= 0 && g_hash_table_contains (builder->placed, GUINT_TO_POINTER (target)))
          last_column = MIN (last_column, (int) box_at (self, target)->column - 1);
      }
  return last_column;
}

/* Column by column, so a referrer is placed before what it references:
 * an object waits until its referrers on the left stand, and goes at
 * least one column right of them. */
static void
place_group (HsLayoutBuilder *builder,
             GPtrArray       *group,
             gboolean         garbage,
             double           zone_top)
{
  HsLayout *self = builder->self;

  g_assert (builder != NULL);
  g_assert (group != NULL);

  for (int column = 1, last = 1; group->len > 0; column++)
    {
      g_autoptr(GPtrArray) wave = next_wave (builder, group, column, last);

      for (guint i = 0; i < wave->len; i++)
        {
          Item *it = g_ptr_array_index (wave, i);

          it->want_y = wanted_y (self, builder->placed, it,
                                 g_hash_table_lookup (builder->referrers, GUINT_TO_POINTER (it->object->ref)));
        }
      g_ptr_array_sort (wave, compare_want_y);
      for (guint i = 0; i < wave->len; i++)
        {
          Item *it = g_ptr_array_index (wave, i);
          HsLayoutBox *box = box_at (self, it->box);
          double top = garbage ? zone_top : MARGIN;
          int last_column = last_column_for (builder, box);

          reserve (box, NULL);
          it->column = place_new (self, &builder->occ, box, it->column, MAX (last_column, it->column),
                                  MAX (top, round (it->want_y)));
          it->done = TRUE;
          last = MAX (last, it->column);
          occupy (&builder->occ, box);
          g_hash_table_add (builder->placed, GUINT_TO_POINTER (it->box));
          if (!garbage)
            builder->reachable_bottom = MAX (builder->reachable_bottom, box->rect.y + box->rect.height);
        }
    }
}

/* New objects, reachable ones first; then the garbage zone, below
 * everything reachable: garbage survivors, then new garbage */
void
hs_layout_place_new_objects (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;

  g_assert (builder != NULL);

  for (guint pass = 0; pass < 3; pass++)
    {
      g_autoptr(GPtrArray) group = g_ptr_array_new ();
      double zone_top = builder->reachable_bottom + ZONE_GAP + ZONE_PAD + hs_layout_text_height (HS_LAYOUT_FONT_TITLE);

      if (pass == 1)
        {
          place_garbage_survivors (builder, zone_top);
          continue;
        }
      for (guint i = 0; i < builder->items->len; i++)
        {
          Item *it = item_at (builder, i);

          if (!it->survivor && box_at (self, it->box)->garbage == (pass == 2))
            g_ptr_array_add (group, it);
        }
      place_group (builder, group, pass == 2, zone_top);
    }
}

/* The garbage zone frames every garbage box */
void
hs_layout_frame_garbage_zone (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;
  HsRect *z = &self->garbage_zone;
  double label;

  g_assert (builder != NULL);

  for (guint b = 0; b < self->boxes->len; b++)
    {
      const HsLayoutBox *box = box_at (self, b);

      if (!box->garbage)
        continue;
      if (!self->has_garbage)
        {
          *z = box->rect;
          self->has_garbage = TRUE;
        }
      else
        {
          double x2 = MAX (z->x + z->width, box->rect.x + box->rect.width);
          double y2 = MAX (z->y + z->height, box->rect.y + box->rect.height);

          z->x = MIN (z->x, box->rect.x);
          z->y = MIN (z->y, box->rect.y);
          z->width = x2 - z->x;
          z->height = y2 - z->y;
        }
    }
  if (!self->has_garbage)
    return;
  label = hs_layout_text_height (HS_LAYOUT_FONT_TITLE);
  z->x -= ZONE_PAD;
  z->y -= ZONE_PAD + label;
  z->width += 2 * ZONE_PAD + 60;
  z->height += 2 * ZONE_PAD + label;
  hs_layout_text_lock ();
  z->width = MAX (z->width, hs_layout_text_width (HS_LAYOUT_FONT_TITLE, HS_LAYOUT_GARBAGE_LABEL) + 2 * ZONE_PAD);
  hs_layout_text_set_add (self->text, HS_LAYOUT_FONT_TITLE, HS_LAYOUT_GARBAGE_LABEL);
  hs_layout_text_unlock ();
}

/* Ghosts with nowhere to be go along the bottom */
void
hs_layout_place_lost_ghosts (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;
  double x, y = MARGIN;

  g_assert (builder != NULL);

  for (guint b = 0; b < self->boxes->len; b++)
    y = MAX (y, box_at (self, b)->rect.y + box_at (self, b)->rect.height);
  if (self->has_garbage)
    y = MAX (y, self->garbage_zone.y + self->garbage_zone.height);
  x = hs_layout_column_x (self, 1);
  y += ZONE_GAP;
  for (guint b = 0; b < self->boxes->len; b++)
    {
      HsLayoutBox *box = box_at (self, b);

      if (box->kind != HS_LAYOUT_BOX_GHOST || g_hash_table_contains (builder->placed, GUINT_TO_POINTER (b)))
        continue;
      box->rect.x = x;
      box->rect.y = y;
      x += box->rect.width + GAP_X;
    }
}

void
hs_layout_place_clear (HsLayoutBuilder *builder)
{
  g_assert (builder != NULL);

  if (builder->occ.rects != NULL)
    occupancy_clear (&builder->occ);
  builder->occ = (Occupancy) { 0 };
  g_clear_pointer (&builder->survivors, g_ptr_array_unref);
}
