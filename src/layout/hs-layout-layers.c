/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hs-layout-private.h"

/*
 * Placement, as a layered (Sugiyama) layout, the way Graphviz dot draws.
 * Frames stand in rank 0, stacked down the left; every other box's rank
 * is the longest path to it from the frames over the arrows drawn, less
 * those that close a cycle (objects that no frame reaches, garbage among
 * them, from their own roots).  An arrow that spans more than one rank,
 * or runs back, gets a placeholder in each rank between.  The order within each rank minimises the pairs of
 * arrows that cross between neighbouring ranks, each arrow counted from
 * its slot (row) rather than its box: it starts from the previous step's
 * order (new boxes at the barycentre of their referrers), then barycentre
 * sweeps, down and up, and exchanges of neighbours, then sifting; a new
 * order is taken only when it strictly lowers the count.  Ranks stand COLUMN_GAP apart,
 * each as wide as its widest box.  Down, each rank minimises
 * Σ w_i (y_i − t_i)² with y_{i+1} ≥ y_i + h_i + GAP_Y, where t_i is a
 * new box's level of the slot that first references it, and a
 * survivor's previous top, weighed OLD_WEIGHT times more: a new child
 * stands level with its slot, and a survivor moves only as far as the new
 * structure needs.
 * Garbage is laid out the same way, in a zone below what is reachable.
 */

/* Placeholders an arrow gets at most: longer ones run straight */
#define MAX_DUMMIES   16
#define DUMMY_HEIGHT  HS_LAYOUT_LANE_HEIGHT
/* A survivor wants its previous top, and weighs this much against a new
 * box that wants its slot's level: a survivor gives way to new boxes
 * only as far as they need the room, and otherwise stays put */
#define OLD_WEIGHT    1000.0
/* Ordering: sweeps at most, and the neighbours' arrow pairs an exchange
 * pass may look at in all, so that 100,000 objects stay bounded */
#define MAX_SWEEPS    12
#define WORK_BUDGET   8000000

/* A gap between ranks holds lanes this far apart, this far from its
 * sides, and grows up to MAX_GAP for them */
#define LANE_STEP     HS_LAYOUT_LANE_HEIGHT
#define LANE_INSET    8.0
#define MAX_GAP       (6 * COLUMN_GAP)

#define ZONE_GAP      48.0
#define ZONE_PAD      16.0
/* Lost ghosts' rows wrap here: at 1024x600 the view beside the pinned
 * frame shows 640 units at the least readable zoom */
#define LOST_ROW_WIDTH 480.0
/* How much smaller a zoom keeping survivors' places may cost: see
 * place_boxes_or_settle() */
#define KEEP_COST     1.1
/* The height a rank may take, to the picture's width: a 16:10 window's
 * (see lay_tall_columns_flat()) */
#define ASPECT        0.625

typedef struct
{
  int      box;        /* -1 for a placeholder */
  guint    zone;       /* 0: reachable, 1: the garbage zone */
  guint    rank;
  guint    pos;        /* index in its rank */
  double   height;     /* with the room kept below */
  double   anchor;     /* from its top to the level an arrow enters at */
  double   old_y;
  gboolean has_old;
  gboolean keeps_top;  /* a survivor whose place in the structure holds */
  int      parent;     /* the node whose slot first references it directly, or -1 */
  double   key;
  guint    n_back;     /* arrows back from it: lanes kept below it */
  double   body;       /* its height with the room kept, without them */
  guint    in_start, in_len;    /* links from the rank on its left */
  guint    out_start, out_len;  /* links to the rank on its right */
} Node;

/* One arrow's span between neighbouring ranks */
typedef struct
{
  guint    left, right;          /* nodes in ranks r and r + 1 */
  double   left_frac, right_frac; /* where in its node the span ends, 0 to 1 */
  double   left_dy;              /* below the left node's top: the slot's level */
  gboolean forward;              /* the arrow leaves left and ends at right */
} Link;

typedef struct
{
  HsLayoutBuilder *builder;
  HsLayout        *self;
  GArray          *nodes;      /* Node */
  GArray          *links;      /* Link */
  guint           *in_links;   /* link indices by right node */
  guint           *out_links;  /* link indices by left node */
  int             *node_of_box;
  GPtrArray       *ranks[2];   /* per zone, GArray of node indices per rank */
  GArray          *runs;       /* Run: each arrow's placeholders */
  GArray          *arounds;    /* guint by rank: arrows that turn around right of it */
  gint64           work;
} Layers;

/* An arrow's placeholders: nodes first to first + n − 1, by rank; an
 * arrow back also has the own-th lane below its source, which crosses
 * the source's column */
typedef struct
{
  gint64 key;
  guint  first;
  guint  n;
  guint  source;
  int    own;
} Run;

static inline Node *
node_at (Layers *l,
         guint   i)
{
  return &g_array_index (l->nodes, Node, i);
}

static inline Link *
link_at (Layers *l,
         guint   i)
{
  return &g_array_index (l->links, Link, i);
}

static GArray *
rank_of (Layers *l,
         guint   zone,
         guint   rank)
{
  g_assert (l != NULL && zone < 2);

  while (rank >= l->ranks[zone]->len)
    g_ptr_array_add (l->ranks[zone], g_array_new (FALSE, FALSE, sizeof (guint)));
  return g_ptr_array_index (l->ranks[zone], rank);
}

static gboolean
unwanted (Layers *l)
{
  GCancellable *cancellable = l->builder->options->cancellable;

  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

/* ------------------------------------------------------------------ */
/* Who references whom                                                 */

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
 * and stand outside the zone, right of it (place_beside_zone()).
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

/* ------------------------------------------------------------------ */
/* Room                                                                */

/*
 * Objects that may grow keep two rows of room below them while the trace
 * says they will (options->growing), so that an append does not push
 * their neighbours down.
 */
static gboolean
may_grow (HsLayoutBuilder   *builder,
          const HsLayoutBox *box)
{
  GHashTable *growing = builder->options->growing;
  const HsObject *object;

  g_assert (builder != NULL && box != NULL);

  if (box->kind != HS_LAYOUT_BOX_OBJECT || !(box->flags & HS_OBJECT_MUTABLE) || box->shape == HS_LAYOUT_SHAPE_VALUE)
    return FALSE;
  object = hs_snapshot_lookup (builder->snapshot, box->ref);
  /* 1 + the last step it grows at, 0 if none */
  if (growing != NULL
      && GPOINTER_TO_UINT (g_hash_table_lookup (growing, GUINT_TO_POINTER (box->ref)))
         <= hs_snapshot_get_index (builder->snapshot) + 1)
    return FALSE;
  if (box->shape == HS_LAYOUT_SHAPE_COMPACT)
    return object != NULL && g_strcmp0 (object->type, "cell") == 0 && object->n_edges == 0;
  return TRUE;
}

static void
reserve (HsLayoutBuilder   *builder,
         HsLayoutBox       *box,
         const HsLayoutBox *previous)
{
  gboolean grows = may_grow (builder, box);

  g_assert (box != NULL);

  if (previous != NULL)
    box->reserved_height = grows ? MAX (box->rect.height, previous->reserved_height) : box->rect.height;
  else if (grows)
    box->reserved_height = ceil (box->rect.height + 2 * hs_layout_row_height () + PAD / 2);
  else
    box->reserved_height = box->rect.height;
}

/* ------------------------------------------------------------------ */
/* Nodes and ranks                                                     */

static const HsLayoutBox *
previous_box (Layers            *l,
              const HsLayoutBox *box)
{
  HsLayout *previous = l->builder->previous;
  int index;

  g_assert (l != NULL && box != NULL);

  if (previous == NULL)
    return NULL;
  index = lookup_box (previous->box_by_ref, box->ref);
  if (index < 0 && box->kind == HS_LAYOUT_BOX_GHOST)
    index = lookup_box (previous->ghost_by_ref, box->ref);
  return index >= 0 ? box_at (previous, index) : NULL;
}

static guint
add_node (Layers *l,
          int     box,
          guint   zone,
          guint   rank)
{
  Node n = { 0 };

  g_assert (l != NULL);

  n.box = box;
  n.parent = -1;
  n.zone = zone;
  n.rank = rank;
  n.height = DUMMY_HEIGHT;
  n.anchor = DUMMY_HEIGHT / 2;
  g_array_append_val (l->nodes, n);
  if (box >= 0)
    l->node_of_box[box] = l->nodes->len - 1;
  return l->nodes->len - 1;
}

/* The box an arrow from row r of box b points at, or -1 */
static int
target_of (HsLayout          *self,
           const HsLayoutRow *row,
           gboolean           key)
{
  guint32 ref = key ? row->key_target : row->target;

  return ref == 0 ? -1 : lookup_box (self->box_by_ref, ref);
}

/* The node an arrow from row r of node n's box points at, in n's zone,
 * or -1 */
static int
target_node (Layers *l,
             guint   n,
             guint   r,
             gboolean key)
{
  const HsLayoutBox *box = box_at (l->self, node_at (l, n)->box);
  int t = target_of (l->self, &box->rows[r], key);
  int m;

  if (t < 0 || (m = l->node_of_box[t]) < 0 || node_at (l, m)->zone != node_at (l, n)->zone
      || box_at (l->self, t)->kind != HS_LAYOUT_BOX_OBJECT)
    return -1;
  return m;
}

/* Lays rank r's boxes across flat, or only measures them; how much
 * lower they stack flat, and in *wide how wide its widest box is then,
 * at least *wide */
static double
flatten_rank (Layers  *l,
              guint    r,
              gboolean lay,
              double  *wide)
{
  double saved = 0;

  for (guint u = 0; u < l->nodes->len; u++)
    {
      const Node *node = node_at (l, u);
      HsLayoutBox *box;

      if (node->box < 0 || node->zone != 0 || node->rank != r)
        continue;
      box = box_at (l->self, node->box);
      if (box->flat_width <= 0 || box->flat)
        continue;
      saved += box->reserved_height - box->flat_height;
      if (wide != NULL)
        *wide = MAX (*wide, box->flat_width);
      if (lay)
        hs_layout_lay_box_flat (box);
    }
  return saved;
}

/* A box laid flat stays flat while it lives, and the boxes across of
 * its rank stand flat with it: a column never mixes the two shapes (see
 * lay_tall_columns_flat()) */
static void
keep_flat (Layers *l)
{
  g_autoptr(GHashTable) flat_ranks = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer rank;

  for (guint u = 0; u < l->nodes->len; u++)
    {
      const Node *node = node_at (l, u);
      const HsLayoutBox *box = box_at (l->self, node->box), *before = previous_box (l, box);

      if (node->zone == 0 && (box->flat || (before != NULL && before->flat)))
        g_hash_table_add (flat_ranks, GUINT_TO_POINTER (node->rank));
    }
  g_hash_table_iter_init (&iter, flat_ranks);
  while (g_hash_table_iter_next (&iter, &rank, NULL))
    flatten_rank (l, GPOINTER_TO_UINT (rank), TRUE, NULL);
}

/*
 * Ranks, as a longest path from the frames over the arrows drawn, less
 * the arrows that close a cycle (found by a depth-first search from the
 * frames, then from what they do not reach, in discovery order): every
 * other arrow points to a later rank, as dot draws it, and an object
 * that several reference stands right of all of them.  Iterative, for
 * heaps of any depth.
 */
static void
rank_boxes (Layers *l)
{
  HsLayout *self = l->self;
  guint n_frames, n;
  g_autofree guint8 *state = NULL;
  g_autofree guint *indegree = NULL, *arrows_in = NULL, *order = NULL;
  guint n_ordered = 0;
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GHashTable) back = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GQueue) ready = g_queue_new ();

  g_assert (l != NULL);

  hs_snapshot_get_frames (l->builder->snapshot, &n_frames);
  for (guint f = 0; f < n_frames; f++)
    add_node (l, f, 0, 0);
  for (guint zone = 0; zone < 2; zone++)
    for (guint b = n_frames; b < self->boxes->len; b++)
      {
        const HsLayoutBox *box = box_at (self, b);

        if (box->kind == HS_LAYOUT_BOX_OBJECT && !box->beside_zone && (guint) box->garbage == zone)
          add_node (l, b, zone, 1);
      }
  n = l->nodes->len;
  state = g_new0 (guint8, n + 1);
  indegree = g_new0 (guint, n + 1);
  arrows_in = g_new0 (guint, n + 1);
  order = g_new (guint, n + 1);

  /* Depth first: an arrow to a node still on the stack closes a cycle */
  for (guint root = 0; root < n; root++)
    {
      guint64 entry = (guint64) root << 32;

      if (state[root] != 0)
        continue;
      state[root] = 1;
      g_array_append_val (stack, entry);
      while (stack->len > 0)
        {
          guint64 *top = &g_array_index (stack, guint64, stack->len - 1);
          guint u = *top >> 32, next = *top & 0xffffffff;
          const HsLayoutBox *box = box_at (self, node_at (l, u)->box);
          int v;

          if (next >= 2 * box->n_rows)
            {
              state[u] = 2;
              g_array_set_size (stack, stack->len - 1);
              continue;
            }
          (*top)++;
          if ((v = target_node (l, u, next / 2, next % 2 == 0)) < 0)
            continue;
          if (state[v] == 1)
            {
              gint64 key = ((gint64) u << 32) | (guint) v;

              g_hash_table_add (back, g_memdup2 (&key, sizeof key));
            }
          else if (state[v] == 0)
            {
              guint64 child = (guint64) v << 32;

              state[v] = 1;
              g_array_append_val (stack, child);
            }
          else
            indegree[v]++;
          if (state[v] == 1 && !g_hash_table_contains (back, &(gint64) { ((gint64) u << 32) | (guint) v }))
            indegree[v]++;
        }
    }

  /* Longest path, in topological order over the arrows left */
  for (guint u = 0; u < n; u++)
    if (indegree[u] == 0)
      g_queue_push_tail (ready, GUINT_TO_POINTER (u));
  while (!g_queue_is_empty (ready))
    {
      guint u = GPOINTER_TO_UINT (g_queue_pop_head (ready));
      const HsLayoutBox *box = box_at (self, node_at (l, u)->box);

      order[n_ordered++] = u;
      for (guint k = 0; k < 2 * box->n_rows; k++)
        {
          int v = target_node (l, u, k / 2, k % 2 == 0);
          gint64 key = ((gint64) u << 32) | (guint) MAX (v, 0);

          if (v < 0 || g_hash_table_contains (back, &key))
            continue;
          node_at (l, v)->rank = MAX (node_at (l, v)->rank, node_at (l, u)->rank + 1);
          arrows_in[v]++;
          if (--indegree[v] == 0)
            g_queue_push_tail (ready, GUINT_TO_POINTER (v));
        }
    }

  /* Shorter arrows: a box more of whose arrows leave than enter moves
   * right, to the rank before its nearest target, which shortens the
   * arrows in all by the difference, rank by rank, as dot's network
   * simplex ranks (a dict of lists that tuples also hold stands beside
   * the tuples, not a rank before them).  From the last in topological
   * order, so each box's targets stand where they end. */
  for (guint i = n_ordered; i-- > 0;)
    {
      guint u = order[i], out = 0, nearest = G_MAXUINT;
      Node *node = node_at (l, u);
      const HsLayoutBox *box = box_at (self, node->box);

      if (node->rank == 0)
        continue;
      for (guint k = 0; k < 2 * box->n_rows; k++)
        {
          int v = target_node (l, u, k / 2, k % 2 == 0);
          gint64 key = ((gint64) u << 32) | (guint) MAX (v, 0);

          if (v < 0 || g_hash_table_contains (back, &key))
            continue;
          out++;
          nearest = MIN (nearest, node_at (l, v)->rank);
        }
      if (out > arrows_in[u] && nearest != G_MAXUINT && nearest > node->rank + 1)
        node->rank = nearest - 1;
    }

  keep_flat (l);

  /* Ghosts keep their object's rank and place for the step they fade */
  for (guint b = n_frames; b < self->boxes->len; b++)
    {
      const HsLayoutBox *box = box_at (self, b), *pb;

      if (box->kind != HS_LAYOUT_BOX_GHOST || (pb = previous_box (l, box)) == NULL)
        continue;
      add_node (l, b, pb->garbage ? 1 : 0, MAX (pb->column, 1));
    }
}

/* Where in its box row r's slot stands, from 0 at the top to 1 */
static double
slot_frac (const HsLayoutBox *box,
           guint              r,
           gboolean           key)
{
  g_assert (box != NULL);

  return (2.0 * r + (key ? 0.5 : 1.0)) / (2.0 * box->n_rows + 1);
}

static double
slot_dy (const HsLayoutBox *box,
         guint              r,
         gboolean           key)
{
  const HsLayoutRow *row = &box->rows[r];

  g_assert (box != NULL);

  if (row->kind == HS_LAYOUT_ROW_PAIR)
    return key ? row->key_slot_y : row->slot_y;
  return row->y + row->height / 2;
}

static void
add_link (Layers  *l,
          guint    left,
          double   left_frac,
          double   left_dy,
          guint    right,
          double   right_frac,
          gboolean forward)
{
  Link link = { left, right, left_frac, right_frac, left_dy, forward };

  g_assert (l != NULL);
  g_assert (node_at (l, left)->rank + 1 == node_at (l, right)->rank);

  g_array_append_val (l->links, link);
}

/* An arrow from box s's row r to box t as spans between neighbouring
 * ranks, with a placeholder in every rank it passes */
static void
add_arrow (Layers *l,
           guint   s,
           guint   r,
           gboolean key,
           guint   t)
{
  const HsLayoutBox *sb = box_at (l->self, node_at (l, s)->box);
  guint zone = node_at (l, s)->zone;
  guint a = node_at (l, s)->rank, b = node_at (l, t)->rank;
  double frac = slot_frac (sb, r, key), dy = slot_dy (sb, r, key);

  g_assert (l != NULL);

  if (node_at (l, t)->zone != zone || (a < b ? b - a - 1 : a - b) > MAX_DUMMIES)
    return;
  if (a >= b)
    {
      if (l->arounds->len <= a)
        g_array_set_size (l->arounds, a + 1);
      g_array_index (l->arounds, guint, a)++;
    }
  if (a == b)
    return;
  /* Forward, a placeholder in each rank between; back, in each rank from
   * the target's on to the source's own, where the arrow crosses back
   * over its own column in a lane of its own */
  if ((a < b ? b - a - 1 : a - b) > 0)
    {
      Run run = { hs_layout_lane_key (node_at (l, s)->box, r, key), l->nodes->len, a < b ? b - a - 1 : a - b, s, -1 };

      if (a > b)
        run.own = node_at (l, s)->n_back++;
      g_array_append_val (l->runs, run);
    }
  if (a < b)
    {
      guint prev = s;
      double prev_frac = frac, prev_dy = dy;

      for (guint k = a + 1; k < b; k++)
        {
          guint d = add_node (l, -1, zone, k);

          add_link (l, prev, prev_frac, prev_dy, d, 0.5, TRUE);
          prev = d;
          prev_frac = 0.5;
          prev_dy = DUMMY_HEIGHT / 2;
        }
      add_link (l, prev, prev_frac, prev_dy, t, 0.5, TRUE);
    }
  else
    {
      guint prev = t;
      double prev_dy = node_at (l, t)->anchor;

      for (guint k = b + 1; k < a; k++)
        {
          guint d = add_node (l, -1, zone, k);

          add_link (l, prev, 0.5, prev_dy, d, 0.5, FALSE);
          prev = d;
          prev_dy = DUMMY_HEIGHT / 2;
        }
    }
}

static int
compare_links_left (gconstpointer a,
                    gconstpointer b,
                    gpointer      data)
{
  const Link *x = link_at (data, *(const guint *) a), *y = link_at (data, *(const guint *) b);

  return x->left_frac < y->left_frac ? -1 : x->left_frac > y->left_frac;
}

static void
add_links (Layers *l)
{
  HsLayout *self = l->self;
  guint n_real = l->nodes->len, n;
  guint *in_count, *out_count;

  g_assert (l != NULL);

  for (guint i = 0; i < n_real; i++)
    {
      Node *node = node_at (l, i);
      HsLayoutBox *box = box_at (self, node->box);

      if (box->kind == HS_LAYOUT_BOX_OBJECT)
        reserve (l->builder, box, previous_box (l, box));
      else
        box->reserved_height = box->rect.height;
      node->height = MAX (box->rect.height, box->reserved_height);
      node->anchor = box->n_rows > 0 && box->kind == HS_LAYOUT_BOX_OBJECT
                     ? slot_dy (box, 0, FALSE) : MIN (box->rect.height / 2, box->header_height / 2 + 8);
      if (box->kind == HS_LAYOUT_BOX_OBJECT && box->n_rows == 0)
        node->anchor = box->rect.height / 2;
    }
  for (guint i = 0; i < n_real; i++)
    {
      const HsLayoutBox *box = box_at (self, node_at (l, i)->box);

      if (box->kind == HS_LAYOUT_BOX_GHOST || l->nodes->len > 4 * n_real + 4096)
        continue;
      for (guint r = 0; r < box->n_rows; r++)
        for (guint k = 0; k < 2; k++)
          {
            int t = target_of (self, &box->rows[r], k == 0);

            if (t >= 0 && l->node_of_box[t] >= 0)
              add_arrow (l, i, r, k == 0, l->node_of_box[t]);
          }
    }
  for (guint i = 0; i < n_real; i++)
    {
      Node *node = node_at (l, i);

      node->body = node->height;
      node->height += node->n_back * LANE_STEP;
    }
  /* The lanes below a box, the arrow back from its lowest slot nearest
   * it: turning around from slot to lane, each then nests inside the
   * turns from the slots above it */
  for (guint i = 0; i < l->runs->len; i++)
    {
      Run *run = &g_array_index (l->runs, Run, i);

      if (run->own >= 0)
        run->own = node_at (l, run->source)->n_back - 1 - run->own;
    }

  /* Both ends' links, each node's in the order of its slots */
  n = l->nodes->len;
  in_count = g_new0 (guint, n + 1);
  out_count = g_new0 (guint, n + 1);
  for (guint e = 0; e < l->links->len; e++)
    {
      in_count[link_at (l, e)->right]++;
      out_count[link_at (l, e)->left]++;
    }
  for (guint i = 0, in = 0, out = 0; i < n; i++)
    {
      Node *node = node_at (l, i);

      node->in_start = in;
      node->out_start = out;
      in += in_count[i];
      out += out_count[i];
      in_count[i] = out_count[i] = 0;
    }
  l->in_links = g_new (guint, l->links->len + 1);
  l->out_links = g_new (guint, l->links->len + 1);
  for (guint e = 0; e < l->links->len; e++)
    {
      Node *right = node_at (l, link_at (l, e)->right), *left = node_at (l, link_at (l, e)->left);

      l->in_links[right->in_start + right->in_len++] = e;
      l->out_links[left->out_start + left->out_len++] = e;
    }
  for (guint i = 0; i < n; i++)
    g_qsort_with_data (l->out_links + node_at (l, i)->out_start, node_at (l, i)->out_len, sizeof (guint),
                       compare_links_left, l);
  g_free (in_count);
  g_free (out_count);
}

/* ------------------------------------------------------------------ */
/* Order                                                               */

static inline double
left_pos (Layers     *l,
          const Link *e)
{
  return node_at (l, e->left)->pos + e->left_frac;
}

static inline double
right_pos (Layers     *l,
           const Link *e)
{
  return node_at (l, e->right)->pos + e->right_frac;
}

typedef struct
{
  double a, b;
} Span;

static int
compare_spans (gconstpointer x,
               gconstpointer y)
{
  const Span *p = x, *q = y;

  if (p->a != q->a)
    return p->a < q->a ? -1 : 1;
  return p->b < q->b ? -1 : p->b > q->b;
}

/* Strict inversions of b in spans[lo, hi), sorting them by b */
static gint64
count_inversions (Span *spans,
                  Span *tmp,
                  guint lo,
                  guint hi)
{
  guint mid, i, j, k;
  gint64 count;

  if (hi - lo < 2)
    return 0;
  mid = lo + (hi - lo) / 2;
  count = count_inversions (spans, tmp, lo, mid) + count_inversions (spans, tmp, mid, hi);
  for (i = lo, j = mid, k = lo; i < mid || j < hi;)
    {
      if (j >= hi || (i < mid && spans[i].b <= spans[j].b))
        tmp[k++] = spans[i++];
      else
        {
          count += mid - i;
          tmp[k++] = spans[j++];
        }
    }
  memcpy (spans + lo, tmp + lo, (hi - lo) * sizeof (Span));
  return count;
}

/* The pairs of spans that cross between rank r and r + 1 of a zone:
 * the inversions once they are sorted by their left ends */
static gint64
crossings_between (Layers *l,
                   guint   zone,
                   guint   r,
                   GArray *spans,
                   GArray *tmp)
{
  GArray *rank = rank_of (l, zone, r);

  g_assert (l != NULL);

  g_array_set_size (spans, 0);
  for (guint i = 0; i < rank->len; i++)
    {
      const Node *node = node_at (l, g_array_index (rank, guint, i));

      for (guint k = 0; k < node->out_len; k++)
        {
          const Link *e = link_at (l, l->out_links[node->out_start + k]);
          Span s = { left_pos (l, e), right_pos (l, e) };

          g_array_append_val (spans, s);
        }
    }
  if (spans->len < 2)
    return 0;
  g_array_sort (spans, compare_spans);
  g_array_set_size (tmp, spans->len);
  return count_inversions ((Span *) spans->data, (Span *) tmp->data, 0, spans->len);
}

static gint64
count_crossings (Layers *l)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autoptr(GArray) tmp = g_array_new (FALSE, FALSE, sizeof (Span));
  gint64 total = 0;

  g_assert (l != NULL);

  for (guint zone = 0; zone < 2; zone++)
    for (guint r = 0; r + 1 < l->ranks[zone]->len; r++)
      total += crossings_between (l, zone, r, spans, tmp);
  return total;
}

static void
renumber (Layers *l,
          GArray *rank)
{
  for (guint i = 0; i < rank->len; i++)
    node_at (l, g_array_index (rank, guint, i))->pos = i;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const Node *x = node_at (data, *(const guint *) a), *y = node_at (data, *(const guint *) b);

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/*
 * Sorts a rank by its nodes' barycentres on the rank before it (down) or
 * after it (up); a node with no neighbours there keeps its place, and
 * the others fill the remaining places in their order (as dot does).
 */
static void
sort_by_barycentre (Layers  *l,
                    GArray  *rank,
                    gboolean down)
{
  g_autoptr(GArray) movable = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree gboolean *fixed = g_new0 (gboolean, rank->len + 1);

  g_assert (l != NULL && rank != NULL);

  for (guint i = 0; i < rank->len; i++)
    {
      guint n = g_array_index (rank, guint, i);
      Node *node = node_at (l, n);
      guint len = down ? node->in_len : node->out_len;
      double sum = 0;

      if (len == 0)
        {
          fixed[i] = TRUE;
          continue;
        }
      for (guint k = 0; k < len; k++)
        sum += down ? left_pos (l, link_at (l, l->in_links[node->in_start + k]))
                    : right_pos (l, link_at (l, l->out_links[node->out_start + k]));
      node->key = sum / len;
      g_array_append_val (movable, n);
    }
  g_array_sort_with_data (movable, compare_keys, l);
  for (guint i = 0, m = 0; i < rank->len; i++)
    if (!fixed[i])
      g_array_index (rank, guint, i) = g_array_index (movable, guint, m++);
  renumber (l, rank);
}

/* Pairs of u's and v's spans on one side that cross with u above v */
static gint64
pair_crossings (Layers     *l,
                const guint *a,
                guint        na,
                const guint *b,
                guint        nb,
                gboolean     left_side)
{
  gint64 count = 0;

  l->work += (gint64) na * nb;
  for (guint i = 0; i < na; i++)
    {
      const Link *x = link_at (l, a[i]);
      double px = left_side ? left_pos (l, x) : right_pos (l, x);

      for (guint j = 0; j < nb; j++)
        {
          const Link *y = link_at (l, b[j]);

          count += px > (left_side ? left_pos (l, y) : right_pos (l, y));
        }
    }
  return count;
}

static gint64
crossings_above (Layers     *l,
                 const Node *u,
                 const Node *v)
{
  return pair_crossings (l, l->in_links + u->in_start, u->in_len, l->in_links + v->in_start, v->in_len, TRUE)
         + pair_crossings (l, l->out_links + u->out_start, u->out_len, l->out_links + v->out_start, v->out_len, FALSE);
}

/* Exchanges neighbours while that lowers the crossings between them */
static void
transpose (Layers   *l,
           GArray   *rank,
           gboolean  ties)
{
  gboolean improved = TRUE;

  g_assert (l != NULL && rank != NULL);

  for (guint pass = 0; improved && pass < 4 && l->work < WORK_BUDGET; pass++)
    {
      improved = FALSE;
      for (guint i = 0; i + 1 < rank->len; i++)
        {
          guint *u = &g_array_index (rank, guint, i), *v = &g_array_index (rank, guint, i + 1);
          Node *nu = node_at (l, *u), *nv = node_at (l, *v);
          gint64 c0, c1;
          guint t;

          if ((nu->in_len == 0 && nu->out_len == 0) || (nv->in_len == 0 && nv->out_len == 0))
            continue;
          c0 = crossings_above (l, nu, nv);
          c1 = crossings_above (l, nv, nu);
          if (c1 > c0 || (c1 == c0 && (!ties || c0 == 0)))
            continue;
          t = *u;
          *u = *v;
          *v = t;
          nu->pos = i + 1;
          nv->pos = i;
          improved |= c1 < c0;
        }
    }
}

static inline guint
distance (guint a,
          guint b)
{
  return a > b ? a - b : b - a;
}

/*
 * Sifting (Matuszewski, Schönfeld and Molitor, 1999): each node in turn
 * is taken out of its rank and put back where its arrows cross the fewest
 * others, on both sides, trying every place.  Unlike an exchange of
 * neighbours it can move a node past others it crosses as many arrows
 * with, which is where barycentres leave a placeholder stuck.  A node
 * moves only when that strictly lowers the count.
 */
static gboolean
sift (Layers *l,
      GArray *rank)
{
  g_autoptr(GArray) nodes = NULL;
  g_autofree gint64 *delta = NULL;
  gboolean improved = FALSE;

  g_assert (l != NULL && rank != NULL);

  if (rank->len < 2)
    return FALSE;
  /* each node once, in the order they stood when sifting began */
  nodes = g_array_copy (rank);
  delta = g_new (gint64, rank->len);
  for (guint k = 0; k < nodes->len && l->work < WORK_BUDGET; k++)
    {
      guint n = g_array_index (nodes, guint, k), from, best;
      Node *v = node_at (l, n);
      gint64 sum = 0;

      if (v->in_len == 0 && v->out_len == 0)
        continue;
      from = best = v->pos;
      /* delta[j]: how many more pairs would cross were v at place j */
      delta[from] = 0;
      for (guint j = from; j-- > 0;)
        {
          const Node *u = node_at (l, g_array_index (rank, guint, j));

          sum += crossings_above (l, v, u) - crossings_above (l, u, v);
          delta[j] = sum;
        }
      sum = 0;
      for (guint j = from + 1; j < rank->len; j++)
        {
          const Node *u = node_at (l, g_array_index (rank, guint, j));

          sum += crossings_above (l, u, v) - crossings_above (l, v, u);
          delta[j] = sum;
        }
      /* the fewest, and of equals the place nearest where it stood */
      for (guint j = 0; j < rank->len; j++)
        if (delta[j] < delta[best] || (delta[j] == delta[best] && distance (j, from) < distance (best, from)))
          best = j;
      if (best == from)
        continue;
      g_array_remove_index (rank, from);
      g_array_insert_val (rank, best, n);
      renumber (l, rank);
      improved = TRUE;
    }
  return improved;
}

static GArray *
save_order (Layers *l)
{
  GArray *order = g_array_sized_new (FALSE, FALSE, sizeof (guint), l->nodes->len);

  for (guint zone = 0; zone < 2; zone++)
    for (guint r = 0; r < l->ranks[zone]->len; r++)
      {
        GArray *rank = rank_of (l, zone, r);

        g_array_append_vals (order, rank->data, rank->len);
      }
  return order;
}

static void
restore_order (Layers *l,
               GArray *order)
{
  guint at = 0;

  for (guint zone = 0; zone < 2; zone++)
    for (guint r = 0; r < l->ranks[zone]->len; r++)
      {
        GArray *rank = rank_of (l, zone, r);

        memcpy (rank->data, &g_array_index (order, guint, at), rank->len * sizeof (guint));
        at += rank->len;
        renumber (l, rank);
      }
}

static int
compare_start (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  const Node *x = node_at (data, *(const guint *) a), *y = node_at (data, *(const guint *) b);

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return *(const guint *) a < *(const guint *) b ? -1 : *(const guint *) a > *(const guint *) b;
}

/*
 * The order each rank starts from: survivors (and ghosts) in the order
 * they stood, top-down; each new node by the barycentre of its
 * neighbours on the left, placed just before the first survivor whose
 * barycentre is greater.  With no previous step, or afresh, the
 * barycentres alone, which follow discovery order from the frames down.
 */
static void
start_order (Layers   *l,
             gboolean  afresh)
{
  g_assert (l != NULL);

  for (guint zone = 0; zone < 2; zone++)
    for (guint r = 0; r < l->ranks[zone]->len; r++)
      g_array_set_size (rank_of (l, zone, r), 0);
  for (guint i = 0; i < l->nodes->len; i++)
    {
      GArray *rank = rank_of (l, node_at (l, i)->zone, node_at (l, i)->rank);

      node_at (l, i)->pos = rank->len;
      g_array_append_val (rank, i);
    }
  for (guint zone = 0; zone < 2; zone++)
    for (guint r = 1; r < l->ranks[zone]->len; r++)
      {
        GArray *rank = rank_of (l, zone, r);
        g_autoptr(GArray) old = g_array_new (FALSE, FALSE, sizeof (guint));
        g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (guint));
        double *bary = g_new (double, rank->len);

        for (guint i = 0; i < rank->len; i++)
          {
            guint n = g_array_index (rank, guint, i);
            Node *node = node_at (l, n);
            double sum = 0;

            for (guint k = 0; k < node->in_len; k++)
              sum += left_pos (l, link_at (l, l->in_links[node->in_start + k]));
            /* no neighbour on the left: after those that have one */
            bary[i] = node->in_len > 0 ? sum / node->in_len : G_MAXDOUBLE / 4 + i;
            node->key = node->has_old && !afresh ? node->old_y : bary[i];
            g_array_append_val (node->has_old && !afresh ? old : fresh, n);
          }
        for (guint i = 0; i < rank->len; i++)
          node_at (l, g_array_index (rank, guint, i))->pos = i;
        g_array_sort_with_data (old, compare_start, l);
        for (guint i = 0; i < rank->len; i++)
          node_at (l, g_array_index (rank, guint, i))->key = bary[i];
        g_array_sort_with_data (fresh, compare_start, l);
        g_array_set_size (rank, 0);
        for (guint i = 0, j = 0; i < old->len || j < fresh->len;)
          {
            if (j < fresh->len
                && (i >= old->len
                    || node_at (l, g_array_index (fresh, guint, j))->key
                       < node_at (l, g_array_index (old, guint, i))->key))
              g_array_append_val (rank, g_array_index (fresh, guint, j++));
            else
              g_array_append_val (rank, g_array_index (old, guint, i++));
          }
        renumber (l, rank);
        g_free (bary);
      }
}

static void
minimise_crossings (Layers   *l,
                    gboolean  ties)
{
  g_autoptr(GArray) best = NULL;
  gint64 best_count, count;
  guint sweeps = MAX_SWEEPS, stale = 0;

  g_assert (l != NULL);

  best_count = count_crossings (l);
  if (best_count == 0)
    return;
  best = save_order (l);
  /* A sweep costs about one pass over the spans */
  if (l->links->len > 0)
    sweeps = MIN (sweeps, MAX (2, WORK_BUDGET / 4 / l->links->len));
  for (guint s = 0; s < sweeps && stale < 4 && !unwanted (l); s++)
    {
      gboolean down = s % 2 == 0;

      for (guint zone = 0; zone < 2; zone++)
        {
          guint n = l->ranks[zone]->len;

          /* Frames keep their order: rank 0 does not move */
          for (guint k = 1; k < n; k++)
            {
              guint r = down ? k : n - k;

              if (!down && r + 1 >= n)
                continue;
              sort_by_barycentre (l, rank_of (l, zone, r), down);
            }
          for (guint r = 1; r < n; r++)
            transpose (l, rank_of (l, zone, r), ties);
        }
      count = count_crossings (l);
      if (count < best_count || (ties && count == best_count))
        {
          best_count = count;
          g_array_unref (best);
          best = save_order (l);
          stale = 0;
        }
      else
        stale++;
      if (best_count == 0)
        break;
    }
  restore_order (l, best);
  /* Sifting never raises the count: rounds over every rank until one
   * moves nothing */
  for (gboolean moved = best_count > 0; moved && !unwanted (l) && l->work < WORK_BUDGET;)
    {
      moved = FALSE;
      for (guint zone = 0; zone < 2; zone++)
        for (guint r = 1; r < l->ranks[zone]->len; r++)
          moved |= sift (l, rank_of (l, zone, r));
    }
}

static gboolean
any_survivor (Layers *l)
{
  for (guint i = 0; i < l->nodes->len; i++)
    if (node_at (l, i)->has_old)
      return TRUE;
  return FALSE;
}

/*
 * The order of every rank, from the previous step's, kept unless it
 * costs crossings: it is minimised from there, and again from a fresh
 * start, as if no box had a previous place, with exchanges that cost
 * nothing made too, and the fresh order is taken only where it has
 * fewer crossings; with nothing to keep, only afresh.  Keeping alone
 * stops at a local minimum that a new arrow made, where no single
 * exchange helps but two would (a slice of a list of rows: its two rows
 * want the new list above the old one, and their order swapped).
 */
static void
order_ranks (Layers *l)
{
  g_autoptr(GArray) kept = NULL;
  gint64 kept_count;

  /* nothing to keep: afresh only */
  if (!any_survivor (l))
    {
      start_order (l, TRUE);
      if (!unwanted (l))
        minimise_crossings (l, TRUE);
      return;
    }
  start_order (l, FALSE);
  if (unwanted (l))
    return;
  minimise_crossings (l, FALSE);
  if ((kept_count = count_crossings (l)) == 0)
    return;
  kept = save_order (l);
  start_order (l, TRUE);
  minimise_crossings (l, TRUE);
  if (count_crossings (l) >= kept_count)
    restore_order (l, kept);
}

/* ------------------------------------------------------------------ */
/* Coordinates                                                         */

typedef struct
{
  double sum;     /* Σ w t */
  double weight;  /* Σ w */
  guint  first;   /* the block's first element */
} Block;

/*
 * Pool-adjacent-violators: z[i] minimising Σ w_i (z_i − t_i)² with z
 * non-decreasing, then no lower than `floor`.  Exact, in linear time.
 */
static void
isotonic (const double *t,
          const double *w,
          double       *z,
          guint         n,
          double        floor)
{
  g_autofree Block *blocks = g_new (Block, n + 1);
  guint nb = 0;

  for (guint i = 0; i < n; i++)
    {
      blocks[nb++] = (Block) { w[i] * t[i], w[i], i };
      while (nb > 1 && blocks[nb - 2].sum / blocks[nb - 2].weight >= blocks[nb - 1].sum / blocks[nb - 1].weight)
        {
          blocks[nb - 2].sum += blocks[nb - 1].sum;
          blocks[nb - 2].weight += blocks[nb - 1].weight;
          nb--;
        }
    }
  for (guint b = 0; b < nb; b++)
    {
      guint end = b + 1 < nb ? blocks[b + 1].first : n;
      double v = MAX (blocks[b].sum / blocks[b].weight, floor);

      for (guint i = blocks[b].first; i < end; i++)
        z[i] = v;
    }
}

/* The level the first arrow into a node enters at, from the rank on its
 * left: the slot that first references it */
static gboolean
first_slot_level (Layers     *l,
                  const Node *node,
                  double     *level)
{
  const Link *first = NULL;

  g_assert (l != NULL && node != NULL);

  for (guint k = 0; k < node->in_len; k++)
    {
      const Link *e = link_at (l, l->in_links[node->in_start + k]);

      if (first == NULL || (e->forward && !first->forward)
          || (e->forward == first->forward && left_pos (l, e) < left_pos (l, first)))
        first = e;
    }
  if (first == NULL)
    return FALSE;
  *level = node_at (l, first->left)->old_y + first->left_dy;
  return TRUE;
}

/* A box's parent: the box on its left whose slot first references it
 * directly, as an object's ref or -1 - a frame's index; 0 for none */
static gint64
identity_of (const HsLayoutBox *box)
{
  return box->kind == HS_LAYOUT_BOX_FRAME ? -1 - (gint64) box->frame : box->ref;
}

/* An arrow, the same from one step's layout to the next: its source
 * (identity_of()), row and target */
static gint64
arrow_key (gint64  source,
           guint   row,
           guint32 target)
{
  return (gint64) g_int64_hash (&source) * 1000003 ^ ((gint64) row << 40) ^ target;
}

/* Which survivors keep their top: a survivor stays where it was, moved
 * as far as its parent moved, unless its place in the structure changed
 * or room opened above it.  One that
 * changed rank (a list's node when another is pushed at its head) or
 * parent (an object built in a call, when the call returns it to a
 * variable), or below which a box of its rank was freed, left the rank
 * or shrank, or an arrow through its rank went, stands level with its
 * slot again, as a new box does, as
 * near as the boxes that stay allow: a picture closes the holes its
 * steps leave, at the steps that make them. */
static void
keep_survivors (Layers *l)
{
  HsLayout *previous = l->builder->previous;
  guint n_ranks = MAX (l->ranks[0]->len, l->ranks[1]->len);
  g_autofree double *opened = g_new (double, n_ranks + 1);

  g_assert (l != NULL);

  /* the top of the highest box of each column that left it or shrank,
   * or of the highest arrow that ran through it and is gone */
  for (guint r = 0; r <= n_ranks; r++)
    opened[r] = G_MAXDOUBLE;
  if (previous != NULL)
    {
      g_autoptr(GHashTable) arrows = g_hash_table_new (g_int64_hash, g_int64_equal);
      g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (guint b = 0; b < l->self->boxes->len; b++)
        {
          const HsLayoutBox *box = box_at (l->self, b);

          for (guint r = 0; r < box->n_rows; r++)
            if (box->rows[r].target != 0)
              {
                gint64 key = arrow_key (identity_of (box), r, box->rows[r].target);

                g_array_append_val (keys, key);
              }
        }
      for (guint k = 0; k < keys->len; k++)
        g_hash_table_add (arrows, &g_array_index (keys, gint64, k));
      for (guint e = 0; e < previous->edges->len; e++)
        {
          const HsLayoutEdge *edge = &g_array_index (previous->edges, HsLayoutEdge, e);
          const HsLayoutBox *source = box_at (previous, edge->source);
          guint from = source->column, to = box_at (previous, edge->target_box)->column;
          gint64 key = arrow_key (identity_of (source), edge->row, edge->target);
          double top = G_MAXDOUBLE;

          if (MAX (from, to) < MIN (from, to) + 2 || g_hash_table_contains (arrows, &key))
            continue;
          for (guint k = 0; k <= 3 * edge->n_curves && edge->path != NULL; k++)
            top = MIN (top, edge->path[k].y);
          for (guint c = MIN (from, to) + 1; c < MAX (from, to) && c <= n_ranks; c++)
            opened[c] = MIN (opened[c], top);
        }
    }
  for (guint b = 0; previous != NULL && b < previous->boxes->len; b++)
    {
      const HsLayoutBox *pb = box_at (previous, b);
      int now;

      if (pb->kind != HS_LAYOUT_BOX_OBJECT || pb->column > n_ranks)
        continue;
      now = lookup_box (l->self->box_by_ref, pb->ref);
      if (now < 0 || l->node_of_box[now] < 0 || node_at (l, l->node_of_box[now])->rank != pb->column
          || box_at (l->self, now)->rect.height < pb->rect.height)
        opened[pb->column] = MIN (opened[pb->column], pb->rect.y);
    }

  for (guint i = 0; i < l->nodes->len; i++)
    {
      Node *node = node_at (l, i);
      HsLayoutBox *box;
      const HsLayoutBox *pb;
      const Link *first = NULL;

      if (node->box < 0)
        continue;
      for (guint k = 0; k < node->in_len; k++)
        {
          const Link *e = link_at (l, l->in_links[node->in_start + k]);

          if (e->forward && node_at (l, e->left)->box >= 0
              && (first == NULL || left_pos (l, e) < left_pos (l, first)))
            first = e;
        }
      box = box_at (l->self, node->box);
      node->parent = first != NULL ? (int) first->left : -1;
      box->parent = first != NULL ? identity_of (box_at (l->self, node_at (l, first->left)->box)) : 0;
      pb = node->has_old ? previous_box (l, box) : NULL;
      node->keeps_top = pb != NULL && pb->column == node->rank && pb->parent == box->parent
                        && opened[node->rank] > pb->rect.y;
    }
}

/* Tops for one rank's nodes, in order, no higher than top, survivors
 * whose place holds kept where they stood if keep; old_y holds each
 * node's top once solved */
static void
place_rank (Layers   *l,
            GArray   *rank,
            double    top,
            gboolean  keep)
{
  guint n = rank->len;
  g_autofree double *t = g_new (double, n + 1);
  g_autofree double *w = g_new (double, n + 1);
  g_autofree double *z = g_new (double, n + 1);
  double offset = 0;

  g_assert (l != NULL && rank != NULL);

  for (guint i = 0; i < n; i++)
    {
      Node *node = node_at (l, g_array_index (rank, guint, i));
      double level, want = 0, weight = 0;

      if (keep && node->keeps_top)
        {
          /* where it stood, moved as far as its parent moved: a list
           * or a tree moves whole */
          want = node->key;
          if (node->parent >= 0 && node_at (l, node->parent)->has_old)
            want += node_at (l, node->parent)->old_y - node_at (l, node->parent)->key;
          weight = OLD_WEIGHT;
        }
      else if (first_slot_level (l, node, &level))
        {
          want = level - node->anchor;
          weight = 1;
        }
      if (weight == 0)
        {
          /* right below the one before it */
          want = i > 0 ? z[i - 1] + offset : top;
          weight = 1e-3;
        }
      /* z_i = y_i − the heights and gaps above it: then non-decreasing */
      t[i] = want - offset;
      w[i] = weight;
      z[i] = t[i];
      offset += node->height + GAP_Y;
    }
  isotonic (t, w, z, n, top);
  offset = 0;
  for (guint i = 0; i < n; i++)
    {
      Node *node = node_at (l, g_array_index (rank, guint, i));

      node->old_y = round (z[i] + offset);
      offset += node->height + GAP_Y;
    }
}

/* Every node's top, rank by rank from the left, below top; returns the
 * bottom of all */
static double
place_zone (Layers   *l,
            guint     zone,
            double    top,
            gboolean  keep)
{
  double bottom = top;

  g_assert (l != NULL);

  for (guint r = zone == 0 ? 1 : 0; r < l->ranks[zone]->len; r++)
    {
      GArray *rank = rank_of (l, zone, r);

      place_rank (l, rank, top, keep);
      for (guint i = 0; i < rank->len; i++)
        {
          const Node *node = node_at (l, g_array_index (rank, guint, i));

          /* a ghost fades where it was, over what takes its place */
          if (node->box >= 0 && box_at (l->self, node->box)->kind != HS_LAYOUT_BOX_GHOST)
            bottom = MAX (bottom, node->old_y + node->height);
        }
    }
  return bottom;
}

static void
place_frames (Layers *l)
{
  GArray *rank = rank_of (l, 0, 0);
  double y = MARGIN;

  for (guint i = 0; i < rank->len; i++)
    {
      Node *node = node_at (l, g_array_index (rank, guint, i));

      node->old_y = y;
      y += box_at (l->self, node->box)->rect.height + GAP_Y;
    }
}

/* What the garbage zone keeps above its first box: the gap from
 * everything reachable, the zone's padding and its title */
double
hs_layout_garbage_head (void)
{
  return ZONE_GAP + ZONE_PAD + hs_layout_text_height (HS_LAYOUT_FONT_TITLE);
}

static void
place_boxes (Layers   *l,
             gboolean  keep)
{
  guint n_ranks = MAX (l->ranks[0]->len, l->ranks[1]->len);
  g_autofree double *x = g_new0 (double, n_ranks + 1);
  g_autofree double *width = g_new0 (double, n_ranks + 1);
  g_autofree guint *turns = g_new0 (guint, n_ranks + 1);
  HsLayout *previous;
  double bottom;

  g_assert (l != NULL);

  /* Solving reads key as the previous top and writes old_y, the top
   * placed: a placement may run again from the same keys */
  g_array_set_size (l->self->columns, 0);
  for (guint i = 0; i < l->nodes->len; i++)
    {
      const Node *node = node_at (l, i);

      if (node->box >= 0)
        width[node->rank] = MAX (width[node->rank], box_at (l->self, node->box)->rect.width);
    }
  place_frames (l);
  bottom = place_zone (l, 0, MARGIN, keep);
  if (l->ranks[1]->len > 0)
    {
      double top = bottom + hs_layout_garbage_head (), first = G_MAXDOUBLE;

      place_zone (l, 1, top, keep);
      /* The zone stands right below the rest, wherever its boxes were */
      for (guint i = 0; i < l->nodes->len; i++)
        if (node_at (l, i)->zone == 1)
          first = MIN (first, node_at (l, i)->old_y);
      for (guint i = 0; first > top && first < G_MAXDOUBLE && i < l->nodes->len; i++)
        if (node_at (l, i)->zone == 1)
          node_at (l, i)->old_y -= first - top;
    }

  /* Each gap wide enough for the arrows that turn in it to run down
   * lanes of their own (hs-layout-route.c) */
  for (guint e = 0; e < l->links->len; e++)
    {
      const Link *link = link_at (l, e);
      const Node *left = node_at (l, link->left), *right = node_at (l, link->right);

      if (fabs (left->old_y + link->left_dy - right->old_y - right->anchor) > 1)
        turns[left->rank]++;
    }
  for (guint r = 0; r < MIN (l->arounds->len, n_ranks); r++)
    turns[r] += g_array_index (l->arounds, guint, r);
  x[0] = MARGIN;
  width[0] = MAX (width[0], MIN_FRAME_W);
  /* While boxes survive, a column keeps at least the place and the width
   * it had: a lane more or a wider box moves what stands right of it
   * once, and a lane less or a narrower box moves nothing back, so
   * survivors do not shift across from step to step */
  previous = keep && any_survivor (l) ? l->builder->previous : NULL;
  for (guint r = 0; previous != NULL && r < MIN (n_ranks, previous->columns->len); r++)
    width[r] = MAX (width[r], g_array_index (previous->columns, Column, r).width);
  for (guint r = 1; r < n_ranks; r++)
    {
      double gap = CLAMP (2 * LANE_INSET + LANE_STEP * turns[r - 1], COLUMN_GAP, MAX_GAP);

      if (previous != NULL && r < previous->columns->len)
        {
          const Column *before = &g_array_index (previous->columns, Column, r - 1);
          const Column *was = &g_array_index (previous->columns, Column, r);

          /* A gap that must widen takes room for twice the lanes, as a
           * growing array does: a structure that keeps growing moves
           * the columns right of it a few times, not at every lane */
          if (gap > was->x - before->x - before->width + 0.5)
            gap = CLAMP (2 * LANE_INSET + 2 * LANE_STEP * turns[r - 1], COLUMN_GAP, MAX_GAP);
          x[r] = MAX (x[r - 1] + width[r - 1] + gap, was->x);
        }
      else
        x[r] = x[r - 1] + width[r - 1] + gap;
    }

  for (guint i = 0; i < l->nodes->len; i++)
    {
      const Node *node = node_at (l, i);
      HsLayoutBox *box;

      if (node->box < 0)
        continue;
      box = box_at (l->self, node->box);
      box->rect.x = x[node->rank];
      box->rect.y = node->old_y;
      box->column = node->rank;
      g_hash_table_add (l->builder->placed, GUINT_TO_POINTER (node->box));
    }
  for (guint r = 0; r < n_ranks; r++)
    {
      Column c = { x[r], width[r] };

      g_array_append_val (l->self->columns, c);
    }
}

/* Each long arrow's levels through the ranks, from its placeholders */
static void
place_lanes (Layers *l)
{
  for (guint i = 0; i < l->runs->len; i++)
    {
      const Run *run = &g_array_index (l->runs, Run, i);
      GArray *levels = g_array_sized_new (FALSE, FALSE, sizeof (double), run->n);

      for (guint k = 0; k < run->n; k++)
        {
          const Node *source = node_at (l, run->source);
          double y = run->own >= 0 && k + 1 == run->n
                     ? source->old_y + source->body + GAP_Y / 2 + run->own * LANE_STEP
                     : node_at (l, run->first + k)->old_y + DUMMY_HEIGHT / 2;

          g_array_append_val (levels, y);
        }
      g_hash_table_insert (l->self->lanes, g_memdup2 (&run->key, sizeof run->key), levels);
    }
}

/* ------------------------------------------------------------------ */
/* The garbage zone, what stands beside it, and lost ghosts            */

static void
frame_garbage_zone (HsLayoutBuilder *builder)
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

/*
 * Values that only garbage references stand right of the garbage zone,
 * outside it, each as near the level of the slot that first references
 * it as the others allow: alive, and by what holds them.
 */
static void
place_beside_zone (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;
  const HsRect *z = &self->garbage_zone;
  g_autoptr(GArray) beside = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree double *t = NULL, *w = NULL, *y = NULL;
  double x = z->x + z->width + GAP_X, offset = 0;

  g_assert (builder != NULL);

  for (guint b = 0; b < self->boxes->len; b++)
    if (box_at (self, b)->beside_zone)
      g_array_append_val (beside, b);
  if (beside->len == 0)
    return;
  t = g_new (double, beside->len);
  w = g_new (double, beside->len);
  y = g_new (double, beside->len);
  for (guint i = 0; i < beside->len; i++)
    {
      const HsLayoutBox *box = box_at (self, g_array_index (beside, guint, i));
      GPtrArray *list = g_hash_table_lookup (builder->referrers, GUINT_TO_POINTER (box->ref));
      const HsLayoutBox *s = box_at (self, GPOINTER_TO_UINT (g_ptr_array_index (list, 0)));

      y[i] = s->rect.y;
      for (guint r = 0; r < s->n_rows; r++)
        if (s->rows[r].target == box->ref || s->rows[r].key_target == box->ref)
          {
            y[i] = s->rect.y + slot_dy (s, r, s->rows[r].target != box->ref) - box->rect.height / 2;
            break;
          }
      x = MAX (x, s->rect.x + s->rect.width + GAP_X);
    }
  /* top-down by that level */
  for (guint i = 1; i < beside->len; i++)
    for (guint j = i; j > 0 && y[j] < y[j - 1]; j--)
      {
        double ty = y[j];
        guint tb = g_array_index (beside, guint, j);

        y[j] = y[j - 1];
        y[j - 1] = ty;
        g_array_index (beside, guint, j) = g_array_index (beside, guint, j - 1);
        g_array_index (beside, guint, j - 1) = tb;
      }
  for (guint i = 0; i < beside->len; i++)
    {
      t[i] = y[i] - offset;
      w[i] = 1;
      offset += box_at (self, g_array_index (beside, guint, i))->rect.height + GAP_Y;
    }
  isotonic (t, w, y, beside->len, z->y);
  offset = 0;
  for (guint i = 0; i < beside->len; i++)
    {
      guint b = g_array_index (beside, guint, i);
      HsLayoutBox *box = box_at (self, b);

      box->rect.x = x;
      box->rect.y = round (y[i] + offset);
      box->reserved_height = box->rect.height;
      /* in no rank's column */
      box->column = G_MAXUINT;
      offset += box->rect.height + GAP_Y;
      g_hash_table_add (builder->placed, GUINT_TO_POINTER (b));
    }
}

/*
 * Ghosts with nowhere to be (their objects had no box in the previous
 * layout, or there was none: the window jumped to this step) go below
 * everything, in rows that wrap at LOST_ROW_WIDTH.  Lays them in rows
 * from (left, top), or only measures them; the rows' height, 0 for none.
 */
static double
lay_lost_ghosts (HsLayoutBuilder *builder,
                 double           left,
                 double           top,
                 gboolean         place)
{
  HsLayout *self = builder->self;
  double x = left, y = top, row_height = 0;

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
      if (place)
        {
          box->rect.x = x;
          box->rect.y = y;
          box->column = 1;
        }
      x += box->rect.width + GAP_X;
      row_height = MAX (row_height, box->rect.height);
    }
  return y + row_height - top;
}

static void
place_lost_ghosts (HsLayoutBuilder *builder,
                   double           left)
{
  HsLayout *self = builder->self;
  double y = MARGIN;

  g_assert (builder != NULL);

  for (guint b = 0; b < self->boxes->len; b++)
    y = MAX (y, box_at (self, b)->rect.y + box_at (self, b)->rect.height);
  if (self->has_garbage)
    y = MAX (y, self->garbage_zone.y + self->garbage_zone.height);
  lay_lost_ghosts (builder, left, y + ZONE_GAP, TRUE);
}

/* The extent of the boxes placed */
static void
placed_extent (Layers *l,
               double *width,
               double *height)
{
  *width = *height = 0;
  for (guint i = 0; i < l->nodes->len; i++)
    {
      const Node *node = node_at (l, i);

      if (node->box < 0)
        continue;
      *width = MAX (*width, box_at (l->self, node->box)->rect.x + box_at (l->self, node->box)->rect.width);
      *height = MAX (*height, node->old_y + node->height);
    }
}

/* Whether the step draws what the step before drew: the same boxes at
 * the same sizes, their slots holding the same references */
static gboolean
draws_as_before (Layers *l)
{
  HsLayout *self = l->self, *previous = l->builder->previous;

  if (previous == NULL || previous->boxes->len != self->boxes->len)
    return FALSE;
  for (guint b = 0; b < self->boxes->len; b++)
    {
      const HsLayoutBox *box = box_at (self, b), *was;
      int old = -1;

      if (box->kind == HS_LAYOUT_BOX_OBJECT)
        old = lookup_box (previous->box_by_ref, box->ref);
      else if (box->kind == HS_LAYOUT_BOX_FRAME && box->frame < previous->boxes->len)
        old = box->frame;
      if (old < 0)
        return FALSE;
      was = box_at (previous, old);
      if (was->kind != box->kind || was->rect.width != box->rect.width || was->rect.height != box->rect.height
          || was->n_rows != box->n_rows)
        return FALSE;
      for (guint r = 0; r < box->n_rows; r++)
        if (was->rows[r].target != box->rows[r].target || was->rows[r].key_target != box->rows[r].key_target)
          return FALSE;
    }
  return TRUE;
}

/*
 * Survivors keep their places only while that costs the reader little:
 * the picture they make must fit any window at a zoom no less than
 * 1 / KEEP_COST of the zoom the same step laid out afresh (from the same
 * order) fits it at, that is, be at most KEEP_COST times as wide and as
 * tall, or as the fresh picture of the step before, if larger.  Beyond
 * that the step settles: every box stands where a fresh layout puts it,
 * and the move animates once.  A step that draws what the step before
 * drew keeps every place: nothing moves without a change to show.  A
 * step that settles is placed three times, fresh, kept and fresh again;
 * the others twice.
 */
static void
place_boxes_or_settle (Layers *l)
{
  HsLayout *previous = l->builder->previous;
  double kw, kh, fw, fh;

  /* each placement starts from the previous tops */
  for (guint i = 0; i < l->nodes->len; i++)
    node_at (l, i)->key = node_at (l, i)->old_y;
  place_boxes (l, FALSE);
  placed_extent (l, &fw, &fh);
  l->self->fresh_width = fw;
  l->self->fresh_height = fh;
  if (!any_survivor (l))
    return;
  /* a step that changes nothing drawn moves nothing */
  if (draws_as_before (l))
    {
      place_boxes (l, TRUE);
      return;
    }
  /* a picture that a fresh layout shrinks for one step only (a call's
   * frame gone until the next call) does not settle */
  if (previous != NULL)
    {
      fw = MAX (fw, previous->fresh_width);
      fh = MAX (fh, previous->fresh_height);
    }
  place_boxes (l, TRUE);
  placed_extent (l, &kw, &kh);
  if (kw > KEEP_COST * fw + 0.5 || kh > KEEP_COST * fh + 0.5)
    place_boxes (l, FALSE);
}

/* ------------------------------------------------------------------ */

static void
layers_init (Layers          *l,
             HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;

  *l = (Layers) { 0 };
  l->builder = builder;
  l->self = self;
  l->nodes = g_array_sized_new (FALSE, TRUE, sizeof (Node), self->boxes->len);
  l->links = g_array_new (FALSE, FALSE, sizeof (Link));
  l->runs = g_array_new (FALSE, FALSE, sizeof (Run));
  l->arounds = g_array_new (FALSE, TRUE, sizeof (guint));
  l->node_of_box = g_new (int, self->boxes->len + 1);
  for (guint b = 0; b < self->boxes->len; b++)
    l->node_of_box[b] = -1;
  l->ranks[0] = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  l->ranks[1] = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
}

static void
layers_clear (Layers *l)
{
  g_array_unref (l->nodes);
  g_array_unref (l->links);
  g_array_unref (l->runs);
  g_array_unref (l->arounds);
  g_free (l->in_links);
  g_free (l->out_links);
  g_free (l->node_of_box);
  g_ptr_array_unref (l->ranks[0]);
  g_ptr_array_unref (l->ranks[1]);
}

/* Ranks, order and places */
static void
place_once (Layers *l)
{
  rank_boxes (l);
  for (guint i = 0; i < l->nodes->len; i++)
    {
      Node *node = node_at (l, i);
      const HsLayoutBox *pb = previous_box (l, box_at (l->self, node->box));

      /* A box that moved into or out of the garbage zone starts afresh */
      node->has_old = pb != NULL && pb->garbage == (node->zone == 1);
      node->old_y = node->has_old ? pb->rect.y : 0;
    }
  add_links (l);
  order_ranks (l);
  keep_survivors (l);
  place_boxes_or_settle (l);
}

/*
 * Where the placed picture is taller than ASPECT times its width, some
 * of its tallest columns lay their boxes across flat.  Flattening the
 * tallest column, then the tallest after that, and so on while the
 * tallest can shrink, the picture would need the room of
 * max (height / ASPECT, width) after each; the columns taken are those
 * of the first that needs the least, if less than now: the picture then
 * fits a window of its proportion at the largest zoom this offers.
 * Measured on the picture as placed, since boxes stand level with their
 * slots (a column is often taller than its boxes stacked), with the rows
 * of ghosts that go below it.  Whether any box was laid flat.
 */
static gboolean
lay_tall_columns_flat (Layers *l)
{
  guint n_columns = l->self->columns->len, n_taken = 0, best_taken = 0;
  g_autofree double *bottom = g_new0 (double, n_columns + 1);
  g_autofree guint *taken = g_new (guint, n_columns + 1);
  g_autofree gboolean *flat = g_new0 (gboolean, n_columns + 1);
  double width, height, floor = 0, below, best;

  placed_extent (l, &width, &height);
  /* what the line freed of what stood in no place, in rows below */
  below = lay_lost_ghosts (l->builder, 0, 0, FALSE);
  below = below > 0 ? ZONE_GAP + below : 0;
  for (guint i = 0; i < l->nodes->len; i++)
    {
      const Node *node = node_at (l, i);

      if (node->box >= 0 && node->zone == 0 && node->rank < n_columns)
        bottom[node->rank] = MAX (bottom[node->rank], node->old_y + node->height);
      else if (node->box >= 0)
        floor = MAX (floor, node->old_y + node->height);
    }
  best = MAX ((MAX (height, floor) + below) / ASPECT, width);
  for (;;)
    {
      guint r = 0;
      double wide, saved, tallest = floor, room;

      for (guint q = 1; q < n_columns; q++)
        if (bottom[q] > bottom[r])
          r = q;
      if (r == 0 || flat[r])
        break;
      flat[r] = TRUE;
      wide = g_array_index (l->self->columns, Column, r).width;
      saved = flatten_rank (l, r, FALSE, &wide);
      if (saved <= 0)
        break;
      bottom[r] -= saved;
      width += wide - g_array_index (l->self->columns, Column, r).width;
      taken[n_taken++] = r;
      for (guint q = 0; q < n_columns; q++)
        tallest = MAX (tallest, bottom[q]);
      room = MAX ((tallest + below) / ASPECT, width);
      if (room < best)
        {
          best = room;
          best_taken = n_taken;
        }
    }
  for (guint k = 0; k < best_taken; k++)
    flatten_rank (l, taken[k], TRUE, NULL);
  return best_taken > 0;
}

void
hs_layout_place (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;
  Layers l;
  guint n_frames;

  g_assert (builder != NULL);

  hs_layout_mark_beside_zone (builder);
  layers_init (&l, builder);
  place_once (&l);
  /* once more, from the ranks on, with boxes laid flat */
  if (!unwanted (&l) && lay_tall_columns_flat (&l))
    {
      layers_clear (&l);
      layers_init (&l, builder);
      place_once (&l);
    }
  place_lanes (&l);

  frame_garbage_zone (builder);
  place_beside_zone (builder);
  hs_snapshot_get_frames (builder->snapshot, &n_frames);
  place_lost_ghosts (builder, MARGIN + MAX (MIN_FRAME_W, n_frames > 0 ? box_at (self, 0)->rect.width : 0) + COLUMN_GAP);
  layers_clear (&l);
}
