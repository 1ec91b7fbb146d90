/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include <math.h>

#include "hs-layout-private.h"

/*
 * Placement: where each box goes in its column.  Frames stack down column
 * 0; survivors stay where they were and ghosts where their object was;
 * new objects go column by column, near the slot that first references
 * them and near what they reference, in the free place, above or below,
 * that keeps what one line made within the smallest rectangle; garbage
 * goes to a zone below everything reachable, and values that only
 * garbage references stand beside it.
 *
 * What one line makes and binds should fit one view at a readable zoom
 * (about 800 by 420 units on a 1024x600 window): so a new box counts
 * the room that it and what it stands near take, down twice as dear as
 * across (place_cost()), and a value that a line points at anew from far
 * away moves next to the slot (move_near_new_referrers()).  A new box
 * that a function's running frame names (a variable, or the value it
 * returns) stands in one view with that frame where a place allows
 * (out_of_frame_view()), even a column or two further right.
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
/* Lost ghosts' rows wrap here: at 1024x600 the view beside the pinned
 * frame shows 640 units at the least readable zoom */
#define LOST_ROW_WIDTH 480.0

static void
occupancy_init (Occupancy *occ)
{
  occ->rects = g_array_new (FALSE, FALSE, sizeof (HsRect));
  occ->bodies = g_array_new (FALSE, FALSE, sizeof (HsRect));
  occ->bands = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
}

static void
occupancy_clear (Occupancy *occ)
{
  g_array_unref (occ->rects);
  g_array_unref (occ->bodies);
  g_hash_table_unref (occ->bands);
}

/* Reserves r, the room a box takes with what it keeps free below it;
 * body is the box itself (NULL: r) */
static void
occupancy_add (Occupancy    *occ,
               const HsRect *r,
               const HsRect *body)
{
  guint index = occ->rects->len;
  int first = (int) floor (r->y / BAND);
  int last = (int) floor ((r->y + r->height) / BAND);

  g_array_append_val (occ->rects, *r);
  g_array_append_vals (occ->bodies, body != NULL ? body : r, 1);
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

/* The first placed rect that a box of this size at (x, y) touches, or
 * NULL */
static const HsRect *
occupancy_clash (Occupancy *occ,
                 double     x,
                 double     y,
                 double     width,
                 double     height)
{
  int first = (int) floor ((y - GAP_Y) / BAND);
  int last = (int) floor ((y + height + GAP_Y) / BAND);

  g_assert (occ != NULL);

  for (int b = first; b <= last; b++)
    {
      GArray *list = g_hash_table_lookup (occ->bands, GINT_TO_POINTER (b));

      for (guint i = 0; list != NULL && i < list->len; i++)
        {
          const HsRect *r = &g_array_index (occ->rects, HsRect, g_array_index (list, guint, i));

          if (x < r->x + r->width + GAP_X && r->x < x + width + GAP_X
              && y < r->y + r->height + GAP_Y && r->y < y + height + GAP_Y)
            return r;
        }
    }
  return NULL;
}

/* The first y at or below y (down) or at or above it (up) where a box of
 * this size touches nothing, or some y past limit if there is none up to
 * it. */
static double
occupancy_search (Occupancy *occ,
                  double     x,
                  double     y,
                  double     width,
                  double     height,
                  double     limit,
                  gboolean   down)
{
  const HsRect *r;

  while ((down ? y <= limit : y >= limit) && (r = occupancy_clash (occ, x, y, width, height)) != NULL)
    y = down ? r->y + r->height + GAP_Y : r->y - GAP_Y - height;
  return y;
}

/* The first x at or left of x where a box of this size touches nothing,
 * or some x left of limit if there is none down to it */
static double
occupancy_search_left (Occupancy *occ,
                       double     x,
                       double     y,
                       double     width,
                       double     height,
                       double     limit)
{
  const HsRect *r;

  while (x >= limit && (r = occupancy_clash (occ, x, y, width, height)) != NULL)
    x = r->x - GAP_X - width;
  return x;
}

static double
occupancy_find_y (Occupancy *occ,
                  double     x,
                  double     y,
                  double     width,
                  double     height,
                  double     limit)
{
  return occupancy_search (occ, x, y, width, height, limit, TRUE);
}

/*
 * Whether the object of a box may gain rows after this step: a mutable
 * container (list, dict, set, instance), or an empty cell, which gets its
 * one row when the name it holds is first bound.  Functions, classes,
 * modules and full cells are mutable too, but their rows (closure cells,
 * defaults) are made with them; room kept below each of a program's
 * functions stood empty all run, and pushed what the running frame names
 * half a view further down the column the functions fill.
 *
 * Where the trace tells which objects grow (options->growing), only those
 * may, and only until the last step they grow at: the room kept below
 * lists that never grew made the copies example 814 units tall, and a
 * 1024x600 window shows 532 at a readable zoom; the room kept below the
 * aliasing example's `a` once b.append (5) had filled it pushed `c` down,
 * and list `a` was cut at the top of that window at the last step.
 */
static gboolean
may_grow (HsLayoutBuilder   *builder,
          const HsObject    *object,
          const HsLayoutBox *box)
{
  GHashTable *growing = builder->options->growing;

  g_assert (object != NULL && box != NULL);

  if (box->kind != HS_LAYOUT_BOX_OBJECT || !(box->flags & HS_OBJECT_MUTABLE) || box->shape == HS_LAYOUT_SHAPE_VALUE)
    return FALSE;
  /* 1 + the last step it grows at, 0 if none */
  if (growing != NULL
      && GPOINTER_TO_UINT (g_hash_table_lookup (growing, GUINT_TO_POINTER (object->ref)))
         <= hs_snapshot_get_index (builder->snapshot) + 1)
    return FALSE;
  if (box->shape == HS_LAYOUT_SHAPE_COMPACT)
    return g_strcmp0 (object->type, "cell") == 0 && object->n_edges == 0;
  return TRUE;
}

/*
 * Objects that may grow keep two rows of room below them when they are
 * first placed (previous is NULL), so that an append does not push their
 * neighbours down: objects keep their places while they live.  The room
 * is kept from step to step while they may grow, and let go of once they
 * no longer may, for what comes later to stand in.
 */
static double
reserved_room (const HsLayoutBox *box,
               const HsLayoutBox *previous,
               gboolean           grows)
{
  g_assert (box != NULL);

  if (previous != NULL)
    return grows ? MAX (box->rect.height, previous->reserved_height) : box->rect.height;
  if (grows)
    return ceil (box->rect.height + 2 * hs_layout_row_height () + PAD / 2);
  return box->rect.height;
}

static void
reserve (HsLayoutBox       *box,
         const HsLayoutBox *previous,
         gboolean           grows)
{
  box->reserved_height = reserved_room (box, previous, grows);
}

static void
occupy (Occupancy         *occ,
        const HsLayoutBox *box)
{
  HsRect r = box->rect;

  r.height = MAX (box->reserved_height, r.height);
  occupancy_add (occ, &r, &box->rect);
}

static gboolean
movable_value (const HsLayoutBox *box)
{
  g_assert (box != NULL);

  return box->kind == HS_LAYOUT_BOX_OBJECT && box->shape == HS_LAYOUT_SHAPE_VALUE && box->n_rows == 0
         && !(box->flags & HS_OBJECT_MUTABLE) && !box->garbage;
}

/*
 * Marks the values that, as drawn, only garbage references (beside_zone):
 * a static str that a garbage dict has for a key, a cached int in a
 * garbage list.  What keeps them alive is hidden, so they are no garbage,
 * and stand outside the zone (hs_layout_place_beside_zone()); every
 * phase before that leaves them be.  Placed with the reachable boxes,
 * they kept the zone below them: the cycles example's key strings stood
 * where the dict had been, and the dict went 350 units down past them
 * into the zone; laid out afresh they stood at the top of column 1, their
 * arrows running back up the picture.
 */
void
hs_layout_mark_beside_zone (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;

  g_assert (builder != NULL);

  for (guint b = 0; b < self->boxes->len; b++)
    {
      HsLayoutBox *box = box_at (self, b);
      GPtrArray *list = g_hash_table_lookup (builder->referrers, GUINT_TO_POINTER (box->ref));

      box->beside_zone = movable_value (box) && list != NULL && list->len > 0;
      for (guint k = 0; box->beside_zone && k < list->len; k++)
        box->beside_zone = box_at (self, GPOINTER_TO_UINT (g_ptr_array_index (list, k)))->garbage;
    }
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
 * What a new box should stand near, so that what one line makes and binds
 * fits one view: the slot that first references it, unless a frame's (the
 * view pins the frame at its corner), and the placed boxes that it, or
 * the new objects it references, reference: a cached int or a shared
 * list the line points a new container at.
 */
typedef struct
{
  double   want;       /* level with the referrer's slot */
  gboolean have;       /* anything below to stand near */
  double   x1, y1;     /* the bounds of all that */
  double   x2, y2;
  gboolean made_with;  /* new, in a new container's slot: drifts less */
  const HsRect *frame; /* the current frame, when its slot is the referrer's */
  gboolean named;      /* the slot it stands level with is a frame's: a variable names it, and
                        * no placed container does (an object's slot comes first) */
  const HsLayoutBox *element; /* the first new box made with this one, not placed yet */
  double   element_dy;     /* how far below this box's top the element wants to be */
  double   element_height; /* the room the element takes */
} Anchors;

#define MAX_ANCHOR_ROWS 32
#define REACH           480.0

static void
anchors_add (Anchors      *a,
             double        x1,
             double        y1,
             double        x2,
             double        y2)
{
  g_assert (a != NULL);

  if (!a->have)
    {
      a->have = TRUE;
      a->x1 = x1;
      a->y1 = y1;
      a->x2 = x2;
      a->y2 = y2;
      return;
    }
  a->x1 = MIN (a->x1, x1);
  a->y1 = MIN (a->y1, y1);
  a->x2 = MAX (a->x2, x2);
  a->y2 = MAX (a->y2, y2);
}

/* The placed boxes box references, and through new boxes not yet placed,
 * those they reference, depth levels down */
static void
anchor_targets (HsLayoutBuilder   *builder,
                const HsLayoutBox *box,
                guint              depth,
                Anchors           *a)
{
  HsLayout *self = builder->self;

  g_assert (builder != NULL && box != NULL && a != NULL);

  for (guint r = 0; r < box->n_rows && r < MAX_ANCHOR_ROWS; r++)
    for (guint k = 0; k < 2; k++)
      {
        guint32 ref = k ? box->rows[r].key_target : box->rows[r].target;
        int target = ref != 0 && ref != box->ref ? lookup_box (self->box_by_ref, ref) : -1;
        const HsLayoutBox *t;

        if (target < 0)
          continue;
        t = box_at (self, target);
        if (g_hash_table_contains (builder->placed, GUINT_TO_POINTER (target)))
          {
            /* Only what the line changed too, or what this step places
             * anew (objects back from the garbage zone): the line did not
             * bind the rest.  What stands further than a view from the
             * slot cannot share one with it anyway. */
            int item = lookup_box (builder->items_by_ref, ref);
            gboolean anew = item >= 0 && !item_at (builder, item)->survivor;

            if (!t->garbage && (anew || (t->changes & (HS_CHANGE_NEW | HS_CHANGE_CREATED | HS_CHANGE_MUTATED)))
                && (a->want < 0 || fabs (t->rect.y - a->want) <= REACH))
              anchors_add (a, t->rect.x, t->rect.y, t->rect.x + t->rect.width, t->rect.y + t->rect.height);
          }
        else if (depth > 1)
          anchor_targets (builder, t, depth - 1, a);
      }
}

/* How far below the top of s a box referenced from row r of s (from its
 * key, if key) wants its top: level with the slot, so that the arrow runs
 * straight into its header */
static double
slot_level (const HsLayoutBox *s,
            guint              r,
            gboolean           key,
            const HsLayoutBox *box)
{
  g_assert (s != NULL && box != NULL && r < s->n_rows);

  return (key ? s->rows[r].key_slot_y : s->rows[r].slot_y) - MIN (box->header_height, box->rect.height) / 2;
}

/* Whether the new object of box, in a slot of container, was made with
 * it by one line (a new mutable object in a new container): the two must
 * share a view */
static gboolean
made_together (const HsLayoutBox *container,
               const HsLayoutBox *box)
{
  g_assert (container != NULL && box != NULL);

  return (container->changes & (HS_CHANGE_NEW | HS_CHANGE_CREATED))
         && (box->changes & (HS_CHANGE_NEW | HS_CHANGE_CREATED))
         && (box->flags & HS_OBJECT_MUTABLE);
}

/* The first new box that the box of item holds and was made with, not
 * placed yet: it goes a column right, level with its slot */
static void
find_element (HsLayoutBuilder *builder,
              const Item      *item,
              Anchors         *a)
{
  HsLayout *self = builder->self;
  const HsLayoutBox *me = box_at (self, item->box);

  g_assert (builder != NULL && item != NULL && a != NULL);

  for (guint r = 0; r < me->n_rows; r++)
    for (guint k = 0; k < 2; k++)
      {
        guint32 ref = k ? me->rows[r].key_target : me->rows[r].target;
        int index = ref != 0 && ref != me->ref ? lookup_box (builder->items_by_ref, ref) : -1;
        const Item *element;
        const HsLayoutBox *e;

        if (index < 0)
          continue;
        element = item_at (builder, index);
        e = box_at (self, element->box);
        if (element->survivor || e->garbage != me->garbage
            || g_hash_table_contains (builder->placed, GUINT_TO_POINTER (element->box))
            || !made_together (me, e))
          continue;
        a->element = e;
        a->element_dy = slot_level (me, r, k, e);
        a->element_height = reserved_room (e, NULL, may_grow (builder, element->object, e));
        return;
      }
}

/* The y a new object would like: level with the first placed slot that
 * references it, so that the arrow runs straight; and what it should
 * stand near. */
static void
find_anchors (HsLayoutBuilder *builder,
              const Item      *item,
              Anchors         *a)
{
  HsLayout *self = builder->self;
  GPtrArray *referrers = g_hash_table_lookup (builder->referrers, GUINT_TO_POINTER (item->object->ref));
  const HsLayoutBox *me = box_at (self, item->box);

  g_assert (builder != NULL);
  g_assert (item != NULL && a != NULL);

  /* An object's slot before a frame's: the view pins the frame aside,
   * and the object may be what the line changed */
  *a = (Anchors) { -1, FALSE, 0, 0, 0, 0, FALSE, NULL, FALSE, NULL, 0, 0 };
  for (guint i = 0; referrers != NULL && i < 2 * referrers->len && a->want < 0; i++)
    {
      guint source = GPOINTER_TO_UINT (g_ptr_array_index (referrers, i % referrers->len));
      const HsLayoutBox *s = box_at (self, source);

      if ((s->kind == HS_LAYOUT_BOX_FRAME) != (i >= referrers->len)
          || !g_hash_table_contains (builder->placed, GUINT_TO_POINTER (source)))
        continue;
      for (guint r = 0; r < s->n_rows; r++)
        if (s->rows[r].target == item->object->ref || s->rows[r].key_target == item->object->ref)
          {
            gboolean key = s->rows[r].key_target == item->object->ref;
            double slot_x = s->rect.x + (key ? s->rows[r].key_slot_x : s->rows[r].slot_x);
            double slot_y = s->rect.y + (key ? s->rows[r].key_slot_y : s->rows[r].slot_y);

            a->want = s->rect.y + slot_level (s, r, key, me);
            /* A function's frame, not the module's (the first): what
             * the module names fills the picture, which no one view
             * holds */
            if (s->kind == HS_LAYOUT_BOX_FRAME && s->current && source > 0)
              a->frame = &s->rect;
            a->named = s->kind == HS_LAYOUT_BOX_FRAME;
            int source_item = s->kind == HS_LAYOUT_BOX_FRAME ? -1 : lookup_box (builder->items_by_ref, s->ref);

            /* A slot of a container that was there before: the line
             * changed it.  New boxes' children keep to want alone, as
             * a fresh layout places them. */
            if (source_item >= 0 && item_at (builder, source_item)->survivor)
              anchors_add (a, slot_x, slot_y, slot_x, slot_y);
            /* What a new container and its new elements, made by one
             * line, must share a view */
            a->made_with = source_item >= 0 && made_together (s, me);
            break;
          }
    }
  anchor_targets (builder, me, 2, a);
  find_element (builder, item, a);
}

/* How much room the box at (x, y) and its anchors take, down counting
 * twice across (a view is wider than tall), and how far it stands from
 * its referrer's slot */
static double
place_cost (const Anchors *a,
            double         x,
            double         y,
            double         width,
            double         height)
{
  double cost = 0;

  g_assert (a != NULL);

  if (a->have)
    cost += MAX (a->x2, x + width) - MIN (a->x1, x) - (a->x2 - a->x1)
            + 2 * (MAX (a->y2, y + height) - MIN (a->y1, y) - (a->y2 - a->y1));
  if (a->want >= 0)
    cost += fabs (y - a->want) / 2;
  return cost;
}

/* What moving one column right costs, beyond the room it takes: a box
 * drifts down this far in its own column rather than go right, where
 * what it references must follow */
#define SHIFT_COST 360.0

/* What a new box made with its new container may drift from its slot
 * before it goes right: one view's height less the container's */
#define MADE_DRIFT 240.0

/* What the graph shows at a readable zoom in the smallest window, 1024x600
 * with a lesson's notes beside it (box text of 9 px: 0.84 px a unit), in
 * layout units; tests/render/test-layout-geometry.c measures with the
 * same (TOGETHER_W, TOGETHER_H) */
#define VIEW_W 788.0
#define VIEW_H 333.0

/* What standing out of one view with the current frame that names a new
 * box costs: more than going two columns right, so that a value the
 * frame makes or returns (a new list, True first drawn as a return value)
 * stands beside or below the frame rather than at the foot of a full
 * column, where the camera could not show the frame's arrow and its end
 * at a readable zoom */
#define VIEW_COST (2 * SHIFT_COST)

/* How near a placed box an arrow may pass */
#define CLEAR 2.0

/* Whether a point lies on a placed box, or within CLEAR of it */
static gboolean
occupied_at (Occupancy *occ,
             double     x,
             double     y)
{
  for (int b = (int) floor ((y - CLEAR) / BAND); b <= (int) floor ((y + CLEAR) / BAND); b++)
    {
      GArray *list = g_hash_table_lookup (occ->bands, GINT_TO_POINTER (b));

      for (guint i = 0; list != NULL && i < list->len; i++)
        {
          /* The room kept below a box is clear at this step */
          const HsRect *r = &g_array_index (occ->bodies, HsRect, g_array_index (list, guint, i));

          if (x > r->x - CLEAR && x < r->x + r->width + CLEAR && y > r->y - CLEAR && y < r->y + r->height + CLEAR)
            return TRUE;
        }
    }
  return FALSE;
}

/* Whether one of the curves the router tries first for an arrow from
 * (x1, y1) to (x2, y2) (hs_layout_forward_curve()) passes over no placed
 * box, between its ends */
static gboolean
curve_is_clear (Occupancy *occ,
                double     x1,
                double     y1,
                double     x2,
                double     y2)
{
  guint n = (guint) CLAMP ((x2 - x1) / 4, 16, 256);
  double cx[4], cy[4];

  for (guint i = 0; hs_layout_forward_curve (i, x1, y1, x2, y2, cx, cy); i++)
    {
      gboolean clear = TRUE;

      for (guint k = 1; k < n && clear; k++)
        {
          double x, y;

          hs_layout_bezier_point (cx, cy, (double) k / n, &x, &y);
          clear = x <= x1 + CLEAR || x >= x2 - CLEAR || !occupied_at (occ, x, y);
        }
      if (clear)
        return TRUE;
    }
  return FALSE;
}

/* Whether a level run from (x1, y) to (x2, y) passes over no placed box:
 * an arrow that turns in the channel right of the frames to run on level
 * with the box it enters */
static gboolean
level_is_clear (Occupancy *occ,
                double     x1,
                double     x2,
                double     y)
{
  for (double x = x1 + CLEAR; x < x2 - CLEAR; x += 4)
    if (occupied_at (occ, x, y))
      return FALSE;
  return TRUE;
}

/* How far the header of a box at (x, y) in column stands out of one
 * view with the current frame of its anchors: the header is where the
 * frame's arrow ends, and tells what the box is.  2: out of the view's
 * span.  1: beyond the first column, the arrow from the frame's slot
 * (half a header below want) to the header crosses the boxes between:
 * unless one of its plain curves passes them by, or it can turn in the
 * channel beside the frames and run on level with the header, that place
 * does not count as in view (a level arrow over a full column, from the
 * add() frame of the scopes lesson to its int, passed over a function: no
 * path through the gaps found a way round).  Counted as less out than a
 * place out of the span: the identity lesson's True, returned by
 * Agreeable.__eq__, went 416 units down the first column rather than
 * beside it in the ints' column, where the arrow has to find its way
 * between list b and None.  0: in view. */
static guint
out_of_frame_view (Occupancy         *occ,
                   const Anchors     *a,
                   const HsLayoutBox *box,
                   int                column,
                   double             x,
                   double             y,
                   double             want)
{
  const HsRect *f = a->frame;
  double header = MIN (box->rect.height, MAX (box->header_height, hs_layout_row_height ()));

  if (f == NULL)
    return 0;
  if (MAX (f->x + f->width, x + box->rect.width) - MIN (f->x, x) > VIEW_W
      || MAX (f->y + f->height, y + header) - MIN (f->y, y) > VIEW_H)
    return 2;
  return column > 1 && !level_is_clear (occ, f->x + f->width, x, y + header / 2)
         && !curve_is_clear (occ, f->x + f->width, want + MIN (box->header_height, box->rect.height) / 2,
                             x, y + header / 2);
}

/* Whether the first new box made with a box at y in `column`
 * (anchors->element) finds room level with its slot, within MADE_DRIFT,
 * in a column to the right that still stands in one view with the box
 * (VIEW_W); TRUE if there is none.  *element_y (if not NULL): where the
 * first room for it lies in the next column, however far down. */
static gboolean
element_fits (HsLayout      *self,
              Occupancy     *occ,
              int            column,
              double         y,
              const Anchors *anchors,
              double        *element_y)
{
  double x = hs_layout_column_x (self, column);

  g_assert (anchors != NULL);

  if (anchors->element == NULL)
    return TRUE;
  for (int c = column + 1; c < column + MAX_SHIFT; c++)
    {
      double want = y + anchors->element_dy, element_x, found;

      hs_layout_column_x (self, c);
      hs_layout_settle_columns (self, c);
      element_x = hs_layout_column_x (self, c);
      if (c > column + 1 && element_x + anchors->element->rect.width - x > VIEW_W)
        break;
      found = occupancy_find_y (occ, element_x, want, anchors->element->rect.width, anchors->element_height,
                                want + MADE_DRIFT);
      if (c == column + 1 && element_y != NULL)
        *element_y = found;
      if (found <= want + MADE_DRIFT)
        return TRUE;
    }
  return FALSE;
}

/*
 * Where a new box goes in `column` when no column has room near its slot:
 * down to the first room, and on down to where the first new box made with
 * it (anchors->element) finds room level with its slot, within MADE_DRIFT,
 * in a column within one view of it (element_fits()), or, failing that,
 * level with the first room in the next column.  Far from its slot anyway,
 * the box takes what it
 * holds along: left at the first room, beside a full column, a deep copy's
 * outer list had its new inner list go six columns right, some 1,200 units
 * away, where no view at a readable zoom showed both.
 */
static double
first_room_down (HsLayout          *self,
                 Occupancy         *occ,
                 const HsLayoutBox *box,
                 int                column,
                 double             want,
                 double             height,
                 const Anchors     *anchors)
{
  double x = hs_layout_column_x (self, column), y = want;

  g_assert (box != NULL && anchors != NULL);

  for (;;)
    {
      double element_y;

      y = occupancy_find_y (occ, x, y, box->rect.width, height, G_MAXDOUBLE);
      if (element_fits (self, occ, column, y, anchors, &element_y))
        return y;
      /* Level with that room, which lies more than MADE_DRIFT lower: the
       * search ends, below all there is at the latest */
      y = element_y - anchors->element_dy;
    }
}

/* The room the graph has at a readable zoom (box text of 9 px) in the
 * smallest window, 1024x600, beside the editor, in layout units: what
 * the picture should keep the shape of */
#define FIT_W 850.0
#define FIT_H 530.0

/* What growing the picture past that room costs a new box, for each
 * whole room of growth, across or down: 5% costs as much as a column
 * right (SHIFT_COST), where fit_cost() stops.  So a box goes a column
 * right rather than down a column that already runs off the bottom (the
 * identity example's seven values stood in one column 637 units deep,
 * beside 400 free units across), and down rather than right past the
 * room's width */
#define FIT_COST 8000.0

/* Grows the picture's reach by a reachable box */
static void
reach (HsLayoutBuilder   *builder,
       const HsLayoutBox *box)
{
  builder->reachable_bottom = MAX (builder->reachable_bottom, box->rect.y + box->rect.height);
  builder->reachable_right = MAX (builder->reachable_right, box->rect.x + box->rect.width);
}

/* The narrowest box a column right of a container takes: an int's */
#define LEAF_W 110.0

/* Whether a box references anything but itself: what it references
 * stands a column right of it */
static gboolean
references_others (const HsLayoutBox *box)
{
  for (guint r = 0; r < box->n_rows; r++)
    if ((box->rows[r].target != 0 && box->rows[r].target != box->ref)
        || (box->rows[r].key_target != 0 && box->rows[r].key_target != box->ref))
      return TRUE;
  return FALSE;
}

/* What a box at (x, y) costs for making the picture need a smaller zoom
 * to fit one view (FIT_W by FIT_H): nothing while it fits.  Counted with
 * the column its references take on its right: a deep copy's inner list
 * that went right for room took its int, then the ints it shares, one
 * column further, 1,059 units across. */
static double
fit_cost (const HsLayoutBuilder *builder,
          const HsLayoutBox     *box,
          double                 x,
          double                 y)
{
  double right = builder->reachable_right + MARGIN, bottom = builder->reachable_bottom + MARGIN;
  double reach_x = x + box->rect.width + MARGIN + (references_others (box) ? COLUMN_GAP + LEAF_W : 0);
  double before = MAX (1.0, MAX (right / FIT_W, bottom / FIT_H));
  double after = MAX (1.0, MAX (MAX (right, reach_x) / FIT_W,
                                MAX (bottom, y + box->rect.height + MARGIN) / FIT_H));

  /* No more than a column right: a box that would grow the picture goes
   * beside its column, level with its slot, never far from it (a linked
   * list's new node went 300 units up the next column, out of one view
   * with the node that held it) */
  return MIN ((after - before) * FIT_COST, SHIFT_COST);
}

/*
 * A free place for a new box, no higher than top: in the first MAX_SHIFT
 * columns from `column` to `last`, the free place up or down within
 * MAX_DRIFT of want that costs least (place_cost()); failing that, in
 * `column`, however far down (first_room_down()).  Returns the column.
 *
 * A box made with its new container (anchors->made_with) first looks
 * within MADE_DRIFT, then within MADE_DRIFT up to `last_past`, right past
 * the surviving values it references (which then move right of it:
 * *went_past says so), and only then within MAX_DRIFT.
 */
static int
place_new (HsLayoutBuilder *builder,
           HsLayoutBox     *box,
           int              column,
           int              last,
           int              last_past,
           double           want,
           double           top,
           const Anchors   *anchors,
           gboolean        *went_past)
{
  HsLayout *self = builder->self;
  Occupancy *occ = &builder->occ;
  const struct { double drift; gboolean past; } tries[] = {
    { MADE_DRIFT, FALSE }, { MADE_DRIFT, TRUE }, { MAX_DRIFT, FALSE },
  };
  double best = G_MAXDOUBLE, y = 0, height = box->reserved_height;
  int best_column = -1;
  Column *c;

  g_assert (box != NULL && anchors != NULL);

  if (went_past != NULL)
    *went_past = FALSE;
  for (guint t = anchors->made_with ? 0 : 2; t < G_N_ELEMENTS (tries) && best_column < 0; t++)
    {
      double drift = tries[t].drift;
      int end = MIN (tries[t].past ? last_past : last, column + MAX_SHIFT - 1);

      /* Only columns the try before could not reach */
      for (int shift = tries[t].past ? last - column + 1 : 0;
           column + shift <= end && shift * SHIFT_COST < best; shift++)
        {
          double x, candidates[2];
          guint out_of_view[2];

          hs_layout_column_x (self, column + shift);
          hs_layout_settle_columns (self, column + shift);
          x = hs_layout_column_x (self, column + shift);
          candidates[0] = occupancy_find_y (occ, x, want, box->rect.width, height, want + drift);
          out_of_view[0] = out_of_frame_view (occ, anchors, box, column + shift, x, candidates[0], want);
          /* Above want only to stand nearer what lies up there, or in
           * one view with the frame that names it when below is out of
           * it: siblings stay in their slots' order */
          candidates[1] = (anchors->have && anchors->y1 < want) || out_of_view[0]
                          ? occupancy_search (occ, x, want, box->rect.width, height, MAX (top, want - drift), FALSE)
                          : -G_MAXDOUBLE;
          out_of_view[1] = candidates[1] > -G_MAXDOUBLE
                           ? out_of_frame_view (occ, anchors, box, column + shift, x, candidates[1], want) : 0;
          for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
            {
              double cost;

              if (candidates[k] > want + drift || candidates[k] < MAX (top, want - drift))
                continue;
              cost = place_cost (anchors, x, candidates[k], box->rect.width, height) + shift * SHIFT_COST
                     + out_of_view[k] * VIEW_COST;
              /* Only for what a variable names: a value that only
               * objects hold stays by them (a new dict's key strings
               * took the places its new lists wanted, out of one view
               * with it) */
              if (!box->garbage && anchors->named)
                cost += fit_cost (builder, box, x, candidates[k]);
              /* A place whose new element must go far from it is none:
               * beside a full column, a deep copy's outer list stood at
               * its first room and its inner list 1,000 units right, out
               * of any view with it.  Asked last: it searches columns */
              if (cost < best && element_fits (self, occ, column + shift, candidates[k], anchors, NULL))
                {
                  best = cost;
                  best_column = column + shift;
                  y = candidates[k];
                  if (went_past != NULL)
                    *went_past = tries[t].past;
                }
            }
        }
    }
  if (best_column < 0)
    {
      best_column = column;
      y = first_room_down (self, occ, box, column, want, height, anchors);
    }
  c = &g_array_index (self->columns, Column, best_column);
  c->fixed = TRUE;
  c->width = MAX (c->width, box->rect.width);
  box->rect.x = c->x;
  box->rect.y = y;
  box->column = best_column;
  return best_column;
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
  builder->reachable_right = MARGIN;
  hs_snapshot_get_frames (builder->snapshot, &n_frames);
  for (guint f = 0; f < n_frames; f++)
    {
      HsLayoutBox *box = box_at (self, f);

      hs_layout_grow_column (self, 0, box->rect.width);
      box->rect.x = MARGIN;
      box->rect.y = y;
      y += box->rect.height + GAP_Y;
      occupancy_add (&builder->occ, &box->rect, NULL);
      g_hash_table_add (builder->placed, GUINT_TO_POINTER (f));
      reach (builder, box);
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
 * room level with where it stood, by at most three compaction steps (720
 * units), which the widget animates.  At two, with the room that freed
 * objects left still blocking the move, churn.py's picture stayed 2.13
 * times a fresh layout's area after it freed a table (docs/rendering.md) */
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
 * growing made them collide.  Garbage survivors wait for the zone, and
 * what only garbage references for its side. */
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

      if (box->garbage || box->beside_zone)
        continue;
      pb = previous_box (builder, it);
      box->rect.x = pb->rect.x;
      reserve (box, pb, may_grow (builder, it->object, box));
      move_left (builder, &old, it, box, moved);
      box->rect.y = occupancy_find_y (&builder->occ, box->rect.x, it->want_y, box->rect.width, box->rect.height, G_MAXDOUBLE);
      occupy (&builder->occ, box);
      g_hash_table_add (builder->placed, GUINT_TO_POINTER (it->box));
      reach (builder, box);
    }
  old_boxes_clear (&old);
}

/* The leftmost x a ghost of the previous step's box pb may slide to: it
 * still covers all the room its object took, and stays in the gap before
 * its column, clear of the column on its left */
static double
ghost_leftmost_x (HsLayout          *self,
                  const HsLayoutBox *pb,
                  double             width)
{
  const Column *left;

  g_assert (self != NULL && pb != NULL);

  if (pb->column == 0)
    return pb->rect.x;
  hs_layout_column_x (self, pb->column - 1);
  left = &g_array_index (self->columns, Column, pb->column - 1);
  return MAX (pb->rect.x + pb->rect.width - width, left->x + left->width + GAP_X);
}

/*
 * Ghosts stay where their object was, so that a learner reads what a line
 * freed where it stood.  A ghost is wider than most objects (its note says
 * what freed it), and where its object stood it may touch the column on
 * its right: then it slides left into the gap before its column, or goes
 * down its column, whichever moves it less, down counting twice (a view is
 * wider than tall).  Down alone, the ghost of a list that `del` freed in
 * a full picture went to the first room free some 1,900 units below,
 * where no view of what the line did showed it.
 */
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
      double left, leftmost, down;
      int pb_index;

      if (box->kind != HS_LAYOUT_BOX_GHOST)
        continue;
      pb_index = lookup_box (previous->box_by_ref, box->ref);
      if (pb_index < 0)
        pb_index = lookup_box (previous->ghost_by_ref, box->ref);
      if (pb_index < 0)
        continue;
      pb = box_at (previous, pb_index);
      down = occupancy_find_y (&builder->occ, pb->rect.x, pb->rect.y, box->rect.width, box->rect.height, G_MAXDOUBLE);
      leftmost = ghost_leftmost_x (self, pb, box->rect.width);
      left = occupancy_search_left (&builder->occ, pb->rect.x, pb->rect.y, box->rect.width, box->rect.height, leftmost);
      if (left >= leftmost && pb->rect.x - left < 2 * (down - pb->rect.y))
        box->rect = (HsRect) { left, pb->rect.y, box->rect.width, box->rect.height };
      else
        box->rect = (HsRect) { pb->rect.x, down, box->rect.width, box->rect.height };
      box->column = pb->column;
      occupancy_add (&builder->occ, &box->rect, NULL);
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
      reserve (box, pb, may_grow (builder, it->object, box));
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
                 const HsLayoutBox *box,
                 gboolean           past_values)
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

        int item = target >= 0 ? lookup_box (builder->items_by_ref, ref) : -1;

        /* A surviving value can move right of its new referrer later
         * (move_near_new_referrers()) */
        if (past_values && item >= 0 && item_at (builder, item)->survivor && movable_value (box_at (self, target)))
          continue;
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
  int last = 1;

  g_assert (builder != NULL);
  g_assert (group != NULL);

  /* Survivors' columns count as placed: an object one right of a
   * survivor far right waits for its column */
  for (guint i = 0; i < group->len; i++)
    last = MAX (last, ((const Item *) g_ptr_array_index (group, i))->base);
  for (int column = 1; group->len > 0; column++)
    {
      g_autoptr(GPtrArray) wave = next_wave (builder, group, column, last);

      for (guint i = 0; i < wave->len; i++)
        {
          Item *it = g_ptr_array_index (wave, i);
          Anchors a;

          find_anchors (builder, it, &a);
          it->want_y = a.want;
        }
      g_ptr_array_sort (wave, compare_want_y);
      for (guint i = 0; i < wave->len; i++)
        {
          Item *it = g_ptr_array_index (wave, i);
          HsLayoutBox *box = box_at (self, it->box);
          double top = garbage ? zone_top : MARGIN;
          int last_column = last_column_for (builder, box, FALSE);
          int last_past = last_column_for (builder, box, TRUE);
          Anchors a;

          /* Boxes placed earlier in the wave count too */
          find_anchors (builder, it, &a);
          reserve (box, NULL, may_grow (builder, it->object, box));
          it->column = place_new (builder, box, it->column, MAX (last_column, it->column),
                                  MAX (last_past, it->column), MAX (top, round (it->want_y)), top, &a,
                                  &it->past_values);
          it->done = TRUE;
          last = MAX (last, it->column);
          occupy (&builder->occ, box);
          g_hash_table_add (builder->placed, GUINT_TO_POINTER (it->box));
          if (!garbage)
            reach (builder, box);
        }
    }
}

/*
 * A value that a line references anew from far away: a cached int or an
 * interned str that a new list, or a slot the line changed, now points
 * at, standing where its first referrer put it, many rows up.  What the
 * line made and that value could not share one view at a readable zoom,
 * so the value, which has no references of its own to keep in order,
 * moves next to the slot that now points at it.  Every other survivor
 * stays in place.
 */
#define FAR_X     560.0
#define FAR_Y     240.0
#define SLOT_HALF 12.0

/* Whether a and b together span more than FAR_X across or FAR_Y down */
static gboolean
far_apart (const HsRect *a,
           const HsRect *b)
{
  g_assert (a != NULL && b != NULL);

  return MAX (a->x + a->width, b->x + b->width) - MIN (a->x, b->x) > FAR_X
         || MAX (a->y + a->height, b->y + b->height) - MIN (a->y, b->y) > FAR_Y;
}

/* Whether the object of the previous layout's box pb referenced ref at
 * the step before this one: read from that step's snapshot when the
 * caller gave it (options->step_before), since after a jump (the slider,
 * End, stepping back) the previous layout shows another step; from the
 * previous layout otherwise */
static gboolean
referenced_before (HsLayoutBuilder   *builder,
                   const HsLayoutBox *pb,
                   guint32            ref)
{
  HsSnapshot *before = builder->options->step_before;

  g_assert (builder != NULL && pb != NULL);

  if (before != NULL && hs_snapshot_get_index (before) + 1 == hs_snapshot_get_index (builder->snapshot))
    {
      const HsObject *o = hs_snapshot_lookup (before, pb->ref);

      for (guint e = 0; o != NULL && e < o->n_edges; e++)
        if (o->edges[e].target == ref)
          return TRUE;
      return FALSE;
    }
  for (guint r = 0; r < pb->n_rows; r++)
    if (pb->rows[r].target == ref || pb->rows[r].key_target == ref)
      return TRUE;
  return FALSE;
}

/* The slot of a box that references ref anew at this step: the box is
 * new and stands in value_column or right of it, or the box changed and
 * did not reference ref at the step before.
 * Returns the box's index, or -1. */
static int
new_referrer (HsLayoutBuilder *builder,
              guint32          ref,
              guint            value_column,
              double          *slot_x,
              double          *slot_y)
{
  HsLayout *self = builder->self, *previous = builder->previous;
  GPtrArray *list = g_hash_table_lookup (builder->referrers, GUINT_TO_POINTER (ref));

  g_assert (builder != NULL && previous != NULL);

  for (guint k = 0; list != NULL && k < list->len; k++)
    {
      guint b = GPOINTER_TO_UINT (g_ptr_array_index (list, k));
      const HsLayoutBox *box = box_at (self, b);
      int prev;

      if (box->kind != HS_LAYOUT_BOX_OBJECT || box->garbage || !g_hash_table_contains (builder->placed, GUINT_TO_POINTER (b)))
        continue;
      /* A new box was placed near what it references already, unless
       * it went right past it (place_new()) */
      prev = lookup_box (previous->box_by_ref, box->ref);
      if (prev < 0 && (box->column < value_column || !item_at (builder, lookup_box (builder->items_by_ref, box->ref))->past_values))
        continue;
      if (prev >= 0 && !(box->changes & HS_CHANGE_MUTATED))
        continue;
      if (prev >= 0 && referenced_before (builder, box_at (previous, prev), ref))
        continue;
      for (guint r = 0; r < box->n_rows; r++)
        if (box->rows[r].target == ref || box->rows[r].key_target == ref)
          {
            gboolean key = box->rows[r].target != ref;

            *slot_x = box->rect.x + (key ? box->rows[r].key_slot_x : box->rows[r].slot_x);
            *slot_y = box->rect.y + (key ? box->rows[r].key_slot_y : box->rows[r].slot_y);
            return b;
          }
    }
  return -1;
}

static void
move_near_new_referrers (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;

  g_assert (builder != NULL);

  if (builder->previous == NULL)
    return;
  for (guint i = 0; i < builder->survivors->len; i++)
    {
      Item *it = g_ptr_array_index (builder->survivors, i);
      HsLayoutBox *box = box_at (self, it->box);
      double slot_x, slot_y;
      const HsLayoutBox *referrer;
      HsRect old, near;
      guint column;
      Anchors a;
      int r;

      if (!movable_value (box) || (r = new_referrer (builder, box->ref, box->column, &slot_x, &slot_y)) < 0)
        continue;
      /* The referrer down to the slot */
      referrer = box_at (self, r);
      near = (HsRect) { referrer->rect.x, referrer->rect.y, MAX (referrer->rect.width, slot_x - referrer->rect.x),
                        slot_y - referrer->rect.y + SLOT_HALF };
      if (!far_apart (&box->rect, &near) && box->column > referrer->column)
        continue;
      old = box->rect;
      column = box->column;
      a = (Anchors) { slot_y - MIN (box->header_height, box->rect.height) / 2, TRUE,
                      referrer->rect.x, referrer->rect.y,
                      referrer->rect.x + referrer->rect.width, referrer->rect.y + referrer->rect.height };
      place_new (builder, box, referrer->column + 1, G_MAXINT / 2, G_MAXINT / 2,
                 MAX (MARGIN, round (a.want)), MARGIN, &a, NULL);
      /* Only next to the referrer: elsewhere it would be as far as before */
      if (far_apart (&box->rect, &near))
        {
          box->rect = old;
          box->column = column;
          continue;
        }
      it->column = box->column;
      occupy (&builder->occ, box);
      reach (builder, box);
    }
}

/* What the garbage zone keeps above its first box: the gap from
 * everything reachable, the zone's padding and its title */
double
hs_layout_garbage_head (void)
{
  return ZONE_GAP + ZONE_PAD + hs_layout_text_height (HS_LAYOUT_FONT_TITLE);
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
      double zone_top;

      /* Values join their new referrers before the zone is set below
       * everything reachable */
      if (pass == 1)
        move_near_new_referrers (builder);
      zone_top = builder->reachable_bottom + hs_layout_garbage_head ();
      if (pass == 1)
        {
          place_garbage_survivors (builder, zone_top);
          continue;
        }
      for (guint i = 0; i < builder->items->len; i++)
        {
          Item *it = item_at (builder, i);
          HsLayoutBox *box = box_at (self, it->box);

          if (!it->survivor && box->garbage == (pass == 2) && !box->beside_zone)
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

typedef struct
{
  guint  box;
  double want;
} Beside;

static int
compare_beside (gconstpointer a,
                gconstpointer b)
{
  const Beside *x = a, *y = b;

  if (x->want != y->want)
    return x->want < y->want ? -1 : 1;
  return x->box < y->box ? -1 : x->box > y->box;
}

/* Where box, which only garbage references, wants its top: level with
 * the first slot that references it */
static double
beside_want (HsLayoutBuilder   *builder,
             const HsLayoutBox *box)
{
  GPtrArray *list = g_hash_table_lookup (builder->referrers, GUINT_TO_POINTER (box->ref));
  const HsLayoutBox *s = box_at (builder->self, GPOINTER_TO_UINT (g_ptr_array_index (list, 0)));

  for (guint r = 0; r < s->n_rows; r++)
    if (s->rows[r].target == box->ref || s->rows[r].key_target == box->ref)
      return s->rect.y + slot_level (s, r, s->rows[r].target != box->ref, box);
  return s->rect.y;
}

/*
 * Values that only garbage references (hs_layout_mark_beside_zone())
 * stand right of the garbage zone, outside it, each level with the slot
 * that references it: alive, and by what holds them.  Placed once the
 * zone is framed, after compaction, which never saw them: the free room
 * is read from every box where it now stands.
 */
void
hs_layout_place_beside_zone (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;
  g_autoptr(GArray) beside = g_array_new (FALSE, FALSE, sizeof (Beside));
  Occupancy occ;
  const HsRect *z = &self->garbage_zone;
  int column = 0;
  double x;

  g_assert (builder != NULL);

  if (!self->has_garbage)
    return;
  for (guint b = 0; b < self->boxes->len; b++)
    {
      const HsLayoutBox *box = box_at (self, b);

      if (box->beside_zone)
        {
          Beside one = { b, beside_want (builder, box) };

          g_array_append_val (beside, one);
        }
      else if (box->garbage)
        column = MAX (column, (int) box->column + 1);
    }
  if (beside->len == 0)
    return;
  g_array_sort (beside, compare_beside);
  occupancy_init (&occ);
  for (guint b = 0; b < self->boxes->len; b++)
    if (g_hash_table_contains (builder->placed, GUINT_TO_POINTER (b)))
      occupancy_add (&occ, &box_at (self, b)->rect, NULL);
  x = MAX (hs_layout_column_x (self, column), z->x + z->width + GAP_X);
  for (guint i = 0; i < beside->len; i++)
    {
      const Beside *one = &g_array_index (beside, Beside, i);
      HsLayoutBox *box = box_at (self, one->box);

      box->rect.x = x;
      box->rect.y = occupancy_find_y (&occ, x, MAX (z->y, round (one->want)), box->rect.width,
                                      box->rect.height, G_MAXDOUBLE);
      box->column = column;
      occupancy_add (&occ, &box->rect, NULL);
      g_hash_table_add (builder->placed, GUINT_TO_POINTER (one->box));
    }
  occupancy_clear (&occ);
}

/*
 * Ghosts with nowhere to be (their objects had no box in the previous
 * layout, or there was none: the window jumped to this step) go below
 * everything, in rows that wrap at LOST_ROW_WIDTH.  In one row, the three
 * ghosts of `del temp` on a two-int list were 677 units wide, below a
 * garbage zone 413 wide: at 1024x600, beside the pinned frame, the camera
 * showed two of them.
 */
void
hs_layout_place_lost_ghosts (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;
  double left, x, y = MARGIN, row_height = 0;

  g_assert (builder != NULL);

  for (guint b = 0; b < self->boxes->len; b++)
    y = MAX (y, box_at (self, b)->rect.y + box_at (self, b)->rect.height);
  if (self->has_garbage)
    y = MAX (y, self->garbage_zone.y + self->garbage_zone.height);
  left = x = hs_layout_column_x (self, 1);
  y += ZONE_GAP;
  for (guint b = 0; b < self->boxes->len; b++)
    {
      HsLayoutBox *box = box_at (self, b);

      if (box->kind != HS_LAYOUT_BOX_GHOST || g_hash_table_contains (builder->placed, GUINT_TO_POINTER (b)))
        continue;
      if (x > left && x + box->rect.width - left > LOST_ROW_WIDTH)
        {
          x = left;
          y += row_height + GAP_Y;
          row_height = 0;
        }
      box->rect.x = x;
      box->rect.y = y;
      x += box->rect.width + GAP_X;
      row_height = MAX (row_height, box->rect.height);
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
