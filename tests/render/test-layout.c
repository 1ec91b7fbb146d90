/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test-layout"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "hs-layout-private.h"
#include "hs-renderer.h"
#include "render-test-util.h"

static const char * const all_programs[] = {
  "aliasing.py", "copies.py", "dict.py", "instance.py", "closure.py", "cycle.py", "biglist.py",
  "bigdict.py", "grid.py", "repeat.py",
};

/* Programs held to the same drawing tests, but not to test_stable() */
static const char * const more_programs[] = { "churn.py", "nested.py" };

static gboolean
rects_overlap (const HsRect *a,
               const HsRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width
         && a->y < b->y + b->height && b->y < a->y + a->height;
}

static gboolean
on_boundary (const HsRect *r,
             double        x,
             double        y)
{
  const double eps = 0.01;
  gboolean inside_x = x >= r->x - eps && x <= r->x + r->width + eps;
  gboolean inside_y = y >= r->y - eps && y <= r->y + r->height + eps;

  return (inside_y && (fabs (x - r->x) < eps || fabs (x - (r->x + r->width)) < eps))
         || (inside_x && (fabs (y - r->y) < eps || fabs (y - (r->y + r->height)) < eps));
}

static const HsLayoutBox *
find_object (HsLayout *layout,
             guint32   ref)
{
  const HsLayoutBox *boxes;
  guint n;

  boxes = hs_layout_get_boxes (layout, &n);
  for (guint i = 0; i < n; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT && boxes[i].ref == ref)
      return &boxes[i];
  return NULL;
}

static void
test_no_overlap (RenderFixture *fixture,
                 gconstpointer  data)
{
  guint checked = 0;

  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      HsLayout *layout = g_ptr_array_index (fixture->layouts, s);
      const HsLayoutBox *boxes;
      guint n;

      boxes = hs_layout_get_boxes (layout, &n);
      for (guint i = 0; i < n; i++)
        for (guint j = i + 1; j < n; j++)
          {
            if (rects_overlap (&boxes[i].rect, &boxes[j].rect))
              g_error ("%s step %u: boxes %u (%s) and %u (%s) overlap",
                       (const char *) data, s, i, boxes[i].title, j, boxes[j].title);
            checked++;
          }
    }
  g_assert_cmpuint (checked, >, 0);
}

static void
test_edge_endpoints (RenderFixture *fixture,
                     gconstpointer  data)
{
  guint checked = 0;

  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      HsLayout *layout = g_ptr_array_index (fixture->layouts, s);
      const HsLayoutBox *boxes;
      const HsLayoutEdge *edges;
      guint n_boxes, n_edges;

      boxes = hs_layout_get_boxes (layout, &n_boxes);
      edges = hs_layout_get_edges (layout, &n_edges);
      for (guint e = 0; e < n_edges; e++)
        {
          const HsLayoutEdge *edge = &edges[e];
          const HsLayoutBox *source = &boxes[edge->source];
          const HsLayoutBox *target = &boxes[edge->target_box];
          const HsLayoutRow *row;
          double sx, sy;

          g_assert_cmpuint (edge->source, <, n_boxes);
          g_assert_cmpuint (edge->target_box, <, n_boxes);
          g_assert_cmpuint (edge->row, <, source->n_rows);
          row = &source->rows[edge->row];
          g_assert_cmpuint (edge->from_key ? row->key_target : row->target, ==, edge->target);
          g_assert_cmpuint (target->ref, ==, edge->target);
          g_assert_cmpint (target->kind, ==, HS_LAYOUT_BOX_OBJECT);

          sx = source->rect.x + (edge->from_key ? row->key_slot_x : row->slot_x);
          sy = source->rect.y + (edge->from_key ? row->key_slot_y : row->slot_y);
          g_assert_cmpfloat (sy, >, source->rect.y + row->y);
          g_assert_cmpfloat (sy, <, source->rect.y + row->y + row->height);
          g_assert_cmpfloat_with_epsilon (edge->x[0], sx, 0.01);
          g_assert_cmpfloat_with_epsilon (edge->y[0], sy, 0.01);
          if (!on_boundary (&target->rect, edge->x[3], edge->y[3]))
            g_error ("%s step %u: edge %u ends at (%g, %g), off its target box %s at (%g, %g) %gx%g",
                     (const char *) data, s, e, edge->x[3], edge->y[3], target->title,
                     target->rect.x, target->rect.y, target->rect.width, target->rect.height);
          checked++;
        }
    }
  g_assert_cmpuint (checked, >, 0);
}

static void
test_every_reference_drawn (RenderFixture *fixture,
                            gconstpointer  data)
{
  /* Every variable gets exactly one arrow, to a box drawn once, or
   * shows its scalar inside its slot */
  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      HsLayout *layout = g_ptr_array_index (fixture->layouts, s);
      HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
      g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
      const HsLayoutBox *boxes;
      const HsLayoutEdge *edges;
      const HsFrame *frames;
      guint n_boxes, n_edges, n_frames, n_vars = 0, var_edges = 0;

      boxes = hs_layout_get_boxes (layout, &n_boxes);
      for (guint i = 0; i < n_boxes; i++)
        if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT)
          {
            g_assert_false (g_hash_table_contains (seen, GUINT_TO_POINTER (boxes[i].ref)));
            g_hash_table_add (seen, GUINT_TO_POINTER (boxes[i].ref));
          }

      frames = hs_snapshot_get_frames (snapshot, &n_frames);
      for (guint f = 0; f < n_frames; f++)
        for (guint v = 0; v < frames[f].n_vars; v++)
          {
            const HsLayoutRow *row = &boxes[f].rows[v];

            n_vars++;
            /* a box, or the value inside the variable's slot */
            g_assert_cmpuint (row->target, ==, frames[f].vars[v].ref);
            if (row->inline_value != NULL)
              g_assert_false (g_hash_table_contains (seen, GUINT_TO_POINTER (row->target)));
            else
              g_assert_true (g_hash_table_contains (seen, GUINT_TO_POINTER (frames[f].vars[v].ref)));
          }
      edges = hs_layout_get_edges (layout, &n_edges);
      for (guint e = 0; e < n_edges; e++)
        var_edges += edges[e].from_frame && boxes[edges[e].source].rows[edges[e].row].label != NULL
                     && hs_snapshot_get_return_ref (snapshot) != edges[e].target;
      g_assert_cmpuint (var_edges, <=, n_vars);
    }
}

/* The target of the variable `name` in the frame box of <module>, or 0 */
static guint32
module_var (HsLayout   *layout,
            const char *name)
{
  const HsLayoutBox *boxes;
  guint n_boxes;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_FRAME && boxes[i].frame == 0)
      for (guint r = 0; r < boxes[i].n_rows; r++)
        if (g_strcmp0 (boxes[i].rows[r].label, name) == 0)
          return boxes[i].rows[r].target;
  return 0;
}

/* A container keeps room below it to grow into only until the last step
 * it grows at (the trace's growing table): `a` keeps room until
 * b.append (4) has filled it, and none after; the dict `c`, which never
 * grows, keeps none. */
static void
test_room_until_last_growth (RenderFixture *fixture,
                             gconstpointer  data)
{
  guint checked_before = 0, checked_after = 0;
  guint last = 0;

  g_assert_nonnull (fixture->growing);
  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      HsLayout *layout = g_ptr_array_index (fixture->layouts, s);
      const HsLayoutBox *boxes;
      guint n_boxes;
      guint32 a = module_var (layout, "a"), c = module_var (layout, "c");

      if (a == 0)
        continue;
      last = GPOINTER_TO_UINT (g_hash_table_lookup (fixture->growing, GUINT_TO_POINTER (a)));
      g_assert_cmpuint (last, >, 0);
      boxes = hs_layout_get_boxes (layout, &n_boxes);
      for (guint i = 0; i < n_boxes; i++)
        {
          const HsLayoutBox *box = &boxes[i];

          if (box->kind != HS_LAYOUT_BOX_OBJECT)
            continue;
          if (box->ref == a && s + 1 < last)
            {
              g_assert_cmpfloat (box->reserved_height, >, box->rect.height);
              checked_before++;
            }
          else if (box->ref == a)
            {
              g_assert_cmpfloat (box->reserved_height, ==, box->rect.height);
              checked_after++;
            }
          else if (box->ref == c && c != 0)
            g_assert_cmpfloat (box->reserved_height, ==, box->rect.height);
        }
    }
  g_test_message ("a last grows at step %u: %u steps with room, %u without", last - 1, checked_before, checked_after);
  g_assert_cmpuint (checked_before, >, 0);
  g_assert_cmpuint (checked_after, >, 0);
}

static void
test_shared_drawn_once (RenderFixture *fixture,
                        gconstpointer  data)
{
  HsLayout *layout = render_fixture_last (fixture);
  const HsLayoutBox *boxes;
  const HsLayoutEdge *edges;
  guint32 a = module_var (layout, "a"), b = module_var (layout, "b");
  guint n_boxes, n_edges, lists = 0, into = 0;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  g_assert_cmpuint (a, !=, 0);
  g_assert_cmpuint (a, ==, b);

  for (guint i = 0; i < n_boxes; i++)
    lists += boxes[i].kind == HS_LAYOUT_BOX_OBJECT && boxes[i].ref == a;
  g_assert_cmpuint (lists, ==, 1);

  /* a, b and the dict's value all point at that one box */
  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint e = 0; e < n_edges; e++)
    into += edges[e].target == a && &boxes[edges[e].target_box] == find_object (layout, a);
  g_assert_cmpuint (into, ==, 3);
  /* the three arrows say its refcount: the header does not repeat it */
  g_assert_null (find_object (layout, a)->facts);
}

/* A survivor keeps its top only while its place in the structure holds.
 * A list built at its head pushes every node one rank on at each step,
 * and each node is born in a call, below the frames; stepped through, the
 * nodes must still stand level with the slots that reference them, each
 * arrow between two of them straight, not a staircase of where each was
 * born. */
static void
test_chain_settles (RenderFixture *fixture,
                    gconstpointer  data)
{
  HsLayout *layout = render_fixture_last (fixture);
  const HsLayoutBox *boxes;
  const HsLayoutEdge *edges;
  guint n_boxes, n_edges, between = 0;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint e = 0; e < n_edges; e++)
    {
      if (edges[e].from_frame || g_strcmp0 (boxes[edges[e].source].title, "Node") != 0
          || g_strcmp0 (boxes[edges[e].target_box].title, "Node") != 0)
        continue;
      g_test_message ("Node at (%.0f, %.0f) to Node at (%.0f, %.0f): from level %.1f to %.1f",
                      boxes[edges[e].source].rect.x, boxes[edges[e].source].rect.y,
                      boxes[edges[e].target_box].rect.x, boxes[edges[e].target_box].rect.y,
                      edges[e].y[0], edges[e].y[3]);
      g_assert_cmpfloat (fabs (edges[e].y[0] - edges[e].y[3]), <, 1);
      between++;
    }
  /* six nodes, five arrows between them */
  g_assert_cmpuint (between, ==, 5);
}

/* Whether box is a value that only garbage references, as drawn */
static gboolean
held_by_garbage_only (HsLayout          *layout,
                      const HsLayoutBox *box)
{
  const HsLayoutBox *boxes;
  guint n, garbage = 0;

  if (box->kind != HS_LAYOUT_BOX_OBJECT || box->garbage || box->shape != HS_LAYOUT_SHAPE_VALUE || box->n_rows > 0
      || (box->flags & HS_OBJECT_MUTABLE))
    return FALSE;
  boxes = hs_layout_get_boxes (layout, &n);
  for (guint i = 0; i < n; i++)
    for (guint r = 0; r < boxes[i].n_rows; r++)
      if (boxes[i].rows[r].target == box->ref || boxes[i].rows[r].key_target == box->ref)
        {
          if (!boxes[i].garbage)
            return FALSE;
          garbage++;
        }
  return garbage > 0;
}

/* The boxes that reference box's object, as refs (frames as 0) */
static GHashTable *
referrers_of (HsLayout *layout,
              guint32   ref)
{
  GHashTable *set = g_hash_table_new (NULL, NULL);
  const HsLayoutBox *boxes;
  guint n;

  boxes = hs_layout_get_boxes (layout, &n);
  for (guint i = 0; i < n; i++)
    for (guint r = 0; r < boxes[i].n_rows; r++)
      if (boxes[i].rows[r].target == ref || boxes[i].rows[r].key_target == ref)
        g_hash_table_add (set, GUINT_TO_POINTER (boxes[i].kind == HS_LAYOUT_BOX_FRAME ? 0x80000000u + boxes[i].frame
                                                                                         : boxes[i].ref));
  return set;
}

static gboolean
same_set (GHashTable *a,
          GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (b, key))
      return FALSE;
  return TRUE;
}

/*
 * The mental map across a step: two survivors that stand in one column
 * before and after it, each referenced by the same boxes as before, keep
 * their top-down order, and stay in one column together.  (The layered
 * layout takes a new order only where it lowers the crossings, which
 * only a change of the arrows can do.)
 */
static guint
assert_order_kept (HsLayout   *before,
                   HsLayout   *after,
                   const char *name,
                   guint       s)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  const HsLayoutBox *boxes;
  guint n, compared = 0;


  boxes = hs_layout_get_boxes (after, &n);
  for (guint i = 0; i < n; i++)
    {
      const HsLayoutBox *old;
      g_autoptr(GHashTable) a = NULL, b = NULL;

      if (boxes[i].kind != HS_LAYOUT_BOX_OBJECT || (old = find_object (before, boxes[i].ref)) == NULL
          || old->garbage != boxes[i].garbage || held_by_garbage_only (after, &boxes[i])
          || held_by_garbage_only (before, old) || old->column != boxes[i].column)
        continue;
      a = referrers_of (before, boxes[i].ref);
      b = referrers_of (after, boxes[i].ref);
      if (same_set (a, b))
        g_ptr_array_add (kept, (gpointer) &boxes[i]);
    }
  for (guint i = 0; i < kept->len; i++)
    for (guint j = 0; j < kept->len; j++)
      {
        const HsLayoutBox *p = g_ptr_array_index (kept, i), *q = g_ptr_array_index (kept, j);
        const HsLayoutBox *op = find_object (before, p->ref), *oq = find_object (before, q->ref);

        if (p->column != q->column || p->garbage != q->garbage || op->rect.y >= oq->rect.y)
          continue;
        if (p->rect.y >= q->rect.y || p->rect.x != q->rect.x)
          g_error ("%s step %u: %s %u and %s %u swapped from %g < %g to %g >= %g", name, s,
                   p->title, p->ref, q->title, q->ref, op->rect.y, oq->rect.y, p->rect.y, q->rect.y);
        compared++;
      }
  /* the survivors whose order was held to the others' */
  return compared + kept->len;
}

/* The boxes and arrows of a layout, as a string that names each box by
 * its object (frames by their place) with its size, and each arrow by its
 * ends: two steps whose pictures differ only in where things stand have
 * equal signatures */
static char *
picture_signature (HsLayout *layout)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const HsLayoutBox *boxes;
  const HsLayoutEdge *edges;
  guint n_boxes, n_edges;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint b = 0; b < n_boxes; b++)
    g_ptr_array_add (parts, g_strdup_printf ("%c%u %gx%g", boxes[b].kind == HS_LAYOUT_BOX_FRAME ? 'f' : 'o',
                                             boxes[b].kind == HS_LAYOUT_BOX_FRAME ? boxes[b].frame : boxes[b].ref,
                                             boxes[b].rect.width, boxes[b].rect.height));
  for (guint e = 0; e < n_edges; e++)
    g_ptr_array_add (parts, g_strdup_printf ("%u:%u->%u", edges[e].source, edges[e].row, edges[e].target));
  g_ptr_array_sort (parts, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (";", (char **) parts->pdata);
}

/* Where a step changes nothing drawn but values in slots (the same boxes
 * at the same sizes, the same arrows), nothing moves */
static guint
assert_still_when_unchanged (HsLayout   *before,
                             HsLayout   *after,
                             const char *name,
                             guint       s)
{
  g_autofree char *was = picture_signature (before);
  g_autofree char *is = picture_signature (after);
  const HsLayoutBox *boxes;
  guint n_boxes;

  if (g_strcmp0 (was, is) != 0)
    return 0;
  boxes = hs_layout_get_boxes (after, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    {
      const HsLayoutBox *old;
      HsRect r;

      if (boxes[b].kind != HS_LAYOUT_BOX_OBJECT)
        continue;
      old = find_object (before, boxes[b].ref);
      g_assert_nonnull (old);
      r = old->rect;
      if (fabs (r.x - boxes[b].rect.x) > 0.5 || fabs (r.y - boxes[b].rect.y) > 0.5)
        g_error ("%s step %u: nothing drawn changed, yet %s %u moved from (%g, %g) to (%g, %g)", name, s,
                 boxes[b].title, boxes[b].ref, r.x, r.y, boxes[b].rect.x, boxes[b].rect.y);
    }
  return 1;
}

static void
test_stable (RenderFixture *fixture,
             gconstpointer  data)
{
  guint compared = 0, unchanged = 0;

  for (guint s = 1; s < fixture->layouts->len; s++)
    {
      compared += assert_order_kept (g_ptr_array_index (fixture->layouts, s - 1),
                                     g_ptr_array_index (fixture->layouts, s), data, s);
      unchanged += assert_still_when_unchanged (g_ptr_array_index (fixture->layouts, s - 1),
                                                g_ptr_array_index (fixture->layouts, s), data, s);
    }
  g_test_message ("%u steps changed nothing drawn", unchanged);
  g_assert_cmpuint (compared, >, 0);
}

/* Two layouts of one step place every box at the same point */
static void
assert_same_places (HsLayout *a,
                    HsLayout *b)
{
  const HsLayoutBox *x, *y;
  guint nx, ny;

  g_assert (a != NULL && b != NULL);

  x = hs_layout_get_boxes (a, &nx);
  y = hs_layout_get_boxes (b, &ny);
  g_assert_cmpuint (nx, ==, ny);
  for (guint i = 0; i < nx; i++)
    {
      g_assert_cmpfloat (x[i].rect.x, ==, y[i].rect.x);
      g_assert_cmpfloat (x[i].rect.y, ==, y[i].rect.y);
    }
}

/* A layout no longer wanted stops: with its cancellable cancelled,
 * hs_layout_new() returns NULL at every step; with one not cancelled it
 * lays out what it lays out without one (issue 48, item 11: the view
 * cancelled a stale layout that went on regardless) */
static void
test_cancelled (void)
{
  RenderFixture fixture = { 0 };

  render_fixture_load (&fixture, "aliasing.py");
  for (guint s = 0; s < fixture.layouts->len; s++)
    {
      HsLayout *shown = g_ptr_array_index (fixture.layouts, s);
      HsLayout *previous = s > 0 ? g_ptr_array_index (fixture.layouts, s - 1) : NULL;
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(HsLayout) plain = NULL;
      g_autoptr(HsLayout) wanted = NULL;
      HsLayoutOptions options;

      render_fixture_options_init (&fixture, &options);
      plain = hs_layout_new (hs_layout_get_snapshot (shown), previous, &options);
      options.cancellable = cancellable;
      wanted = hs_layout_new (hs_layout_get_snapshot (shown), previous, &options);
      g_assert_nonnull (wanted);
      assert_same_places (plain, wanted);
      g_cancellable_cancel (cancellable);
      g_assert_null (hs_layout_new (hs_layout_get_snapshot (shown), previous, &options));
    }
  render_fixture_teardown (&fixture, NULL);
}

static void
test_stable_after_free (void)
{
  RenderFixture fixture = { 0 };
  guint compared = 0;

  /* Freeing an object must not shuffle the others */
  render_fixture_load (&fixture, "aliasing.py");
  for (guint s = 1; s < fixture.layouts->len; s++)
    {
      HsLayout *before = g_ptr_array_index (fixture.layouts, s - 1);
      HsLayout *after = g_ptr_array_index (fixture.layouts, s);
      g_autoptr(HsLayout) fresh = NULL;
      HsLayoutOptions options;

      render_fixture_options_init (&fixture, &options);
      fresh = hs_layout_new (hs_layout_get_snapshot (after), NULL, &options);

      compared += assert_order_kept (before, after, "aliasing.py", s);
      /* Laying out the same step from scratch gives the same picture */
      {
        g_autoptr(HsLayout) again = hs_layout_new (hs_layout_get_snapshot (after), NULL, &options);

        assert_same_places (fresh, again);
      }
    }
  g_assert_cmpuint (compared, >, 0);
  render_fixture_teardown (&fixture, NULL);
}

/* Asserts that a and b, two layouts of step s of name, place every box
 * and every arrow alike; `how` names what made them differ, for the
 * message ("run": two runs).  Returns how many boxes it compared. */
static guint
assert_same_layout (const char *name,
                    const char *how,
                    guint       s,
                    HsLayout   *a,
                    HsLayout   *b)
{
  const HsLayoutBox *x, *y;
  const HsLayoutEdge *ex, *ey;
  guint nx, ny, n_ex, n_ey;
  double wa, ha, wb, hb;

  x = hs_layout_get_boxes (a, &nx);
  y = hs_layout_get_boxes (b, &ny);
  g_assert_cmpuint (nx, ==, ny);
  for (guint i = 0; i < nx; i++)
    {
      if (x[i].rect.x != y[i].rect.x || x[i].rect.y != y[i].rect.y
          || x[i].rect.width != y[i].rect.width || x[i].rect.height != y[i].rect.height)
        g_error ("%s step %u: box %u (%s) is at (%g, %g) %gx%g in one %s, (%g, %g) %gx%g in another",
                 name, s, i, x[i].title, x[i].rect.x, x[i].rect.y, x[i].rect.width, x[i].rect.height, how,
                 y[i].rect.x, y[i].rect.y, y[i].rect.width, y[i].rect.height);
      g_assert_cmpstr (x[i].title, ==, y[i].title);
      g_assert_cmpstr (x[i].value, ==, y[i].value);
      g_assert_cmpuint (x[i].n_rows, ==, y[i].n_rows);
    }
  ex = hs_layout_get_edges (a, &n_ex);
  ey = hs_layout_get_edges (b, &n_ey);
  g_assert_cmpuint (n_ex, ==, n_ey);
  for (guint i = 0; i < n_ex; i++)
    for (guint k = 0; k < 4; k++)
      {
        g_assert_cmpfloat (ex[i].x[k], ==, ey[i].x[k]);
        g_assert_cmpfloat (ex[i].y[k], ==, ey[i].y[k]);
      }
  hs_layout_get_size (a, &wa, &ha);
  hs_layout_get_size (b, &wb, &hb);
  g_assert_cmpfloat (wa, ==, wb);
  g_assert_cmpfloat (ha, ==, hb);
  return nx;
}

static void
test_deterministic (void)
{
  const char *name = g_test_get_path () + strlen ("/render/layout/deterministic/");
  RenderFixture first = { 0 }, second = { 0 };
  guint compared = 0;

  /* Two runs of one program, in two workers, must draw the same pictures:
   * nothing may depend on addresses or on a hash table's order. */
  render_fixture_load (&first, name);
  render_fixture_load (&second, name);
  g_assert_cmpuint (first.layouts->len, ==, second.layouts->len);
  for (guint s = 0; s < first.layouts->len; s++)
    compared += assert_same_layout (name, "run", s, g_ptr_array_index (first.layouts, s),
                                    g_ptr_array_index (second.layouts, s));
  g_assert_cmpuint (compared, >, 0);
  render_fixture_teardown (&first, NULL);
  render_fixture_teardown (&second, NULL);
}

static guint
step_with_most_boxes (RenderFixture *fixture)
{
  guint most = 0, step = 0;

  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      guint n_boxes;

      hs_layout_get_boxes (g_ptr_array_index (fixture->layouts, s), &n_boxes);
      if (n_boxes > most)
        {
          most = n_boxes;
          step = s;
        }
    }
  return step;
}

/*
 * The first step, where nothing but the frame stands, starts the layout
 * afresh, whatever step was shown before it: from there each step is
 * drawn as in a walk that began at the first step.  While boxes survive,
 * a column keeps at least the place and width it had, so without a fresh
 * start the picture of a step would depend on which steps a window
 * happened to show before it.
 */
static void
test_first_step_afresh (RenderFixture *fixture,
                        gconstpointer  data)
{
  const char *name = data;
  guint n = fixture->layouts->len;
  guint starts[2] = { n - 1, 0 };
  guint compared = 0;

  g_assert_cmpuint (n, >, 1);
  /* From the last step, and from the one with the most boxes */
  starts[1] = step_with_most_boxes (fixture);
  for (guint k = 0; k < G_N_ELEMENTS (starts); k++)
    {
      HsLayout *previous = hs_layout_ref (g_ptr_array_index (fixture->layouts, starts[k]));

      for (guint s = 0; s < n; s++)
        {
          g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (fixture->trace, s);
          HsLayoutOptions options;
          HsLayout *layout;

          render_fixture_options_init (fixture, &options);
          layout = hs_layout_new (snapshot, previous, &options);

          compared += assert_same_layout (name, "walk from the first step", s,
                                          g_ptr_array_index (fixture->layouts, s), layout);
          hs_layout_unref (previous);
          previous = layout;
        }
      hs_layout_unref (previous);
    }
  g_assert_cmpuint (compared, >, 0);
}

/* Whether a box of b's column ends above it, no further than the gap
 * and the lanes kept below a box for its arrows back: it holds b down */
#define HELD_GAP (GAP_Y + 8 * HS_LAYOUT_LANE_HEIGHT)

static gboolean
held_down (const HsLayoutBox *boxes,
           guint              n_boxes,
           guint              b)
{
  for (guint i = 0; i < n_boxes; i++)
    {
      double gap = boxes[b].rect.y - boxes[i].rect.y - MAX (boxes[i].rect.height, boxes[i].reserved_height);

      if (i != b && boxes[i].kind != HS_LAYOUT_BOX_FRAME && boxes[i].column == boxes[b].column
          && gap > GAP_Y - 1.5 && gap < HELD_GAP)
        return TRUE;
    }
  return FALSE;
}

/* Lists of six ints, each list taller than its slot in the outer list:
 * the shape that used to push children ever further below their parents. */
#define NEAR_ROWS   60
#define NEAR_BOUND  780.0

static void
test_near_referrer (void)
{
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(HsSnapshot) snapshot = NULL;
  g_autoptr(HsLayout) layout = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("heapscope-test-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *source = NULL;
  HsRunOptions run_options;
  HsLayoutOptions options;
  const HsLayoutBox *boxes;
  const HsLayoutEdge *edges;
  guint n_boxes, n_edges, checked = 0;
  double worst = 0;

  g_assert_no_error (error);
  path = g_build_filename (dir, "rows.py", NULL);
  source = g_strdup_printf ("shared = []\n"
                            "rows = [[shared] + [1000 + i * 8 + k for k in range(6)] for i in range(%u)]\n",
                            NEAR_ROWS);
  g_assert_true (g_file_set_contents (path, source, -1, NULL));
  hs_run_options_init (&run_options);
  run_options.max_objects = NEAR_ROWS * 20;
  run_options.max_elements = NEAR_ROWS * 2;
  trace = hs_runner_run_sync (runner, path, &run_options, &error);
  g_unlink (path);
  g_rmdir (dir);
  g_assert_no_error (error);

  snapshot = hs_trace_get_snapshot (trace, hs_trace_get_n_steps (trace) - 1);
  hs_layout_options_init (&options);
  options.max_cells = G_MAXUINT / 2;
  /* the ints are boxes: each row's six referents stand near it */
  options.every_object = TRUE;
  layout = hs_layout_new (snapshot, NULL, &options);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  edges = hs_layout_get_edges (layout, &n_edges);
  g_assert_cmpuint (n_boxes, >, NEAR_ROWS * 7);

  /* Each object's header is level with the slot of its first referrer
   * (frames first, then in the order objects were reached), or close below */
  for (guint b = 0; b < n_boxes; b++)
    {
      const HsLayoutEdge *first = NULL;
      double header, dy;

      if (boxes[b].kind != HS_LAYOUT_BOX_OBJECT)
        continue;
      for (guint e = 0; e < n_edges; e++)
        if (edges[e].target_box == b && !edges[e].back && (first == NULL || edges[e].source < first->source))
          first = &edges[e];
      if (first == NULL)
        continue;
      header = boxes[b].rect.y + MIN (boxes[b].header_height, boxes[b].rect.height) / 2;
      dy = fabs (header - first->y[0]);
      worst = MAX (worst, dy);
      /* Further away only where the boxes above it in its rank, stacked
       * GAP_Y apart, hold it down */
      if (dy > NEAR_BOUND && !held_down (boxes, n_boxes, b))
        g_error ("%s %u sits %g below the slot that first references it, with room above it",
                 boxes[b].title, boxes[b].ref, header - first->y[0]);
      checked++;
    }
  g_test_message ("worst distance from the first referrer's slot: %g", worst);
  g_assert_cmpuint (checked, >, NEAR_ROWS * 7);
}

static void
test_elision (RenderFixture *fixture,
              gconstpointer  data)
{
  HsLayout *layout = render_fixture_last (fixture);
  const HsLayoutBox *boxes;
  gboolean found = FALSE;
  guint n;

  boxes = hs_layout_get_boxes (layout, &n);
  g_assert_cmpuint (n, <, 40);
  for (guint i = 0; i < n; i++)
    {
      if (boxes[i].kind != HS_LAYOUT_BOX_OBJECT || g_strcmp0 (boxes[i].title, "list") != 0 || boxes[i].n_rows < 5)
        continue;
      g_assert_cmpuint (boxes[i].n_rows, ==, 10 + 1 + 3);
      g_assert_cmpint (boxes[i].rows[10].kind, ==, HS_LAYOUT_ROW_ELISION);
      g_assert_cmpstr (boxes[i].rows[10].label, ==, "… 9,987 more");
      g_assert_cmpstr (boxes[i].rows[9].label, ==, "9");
      g_assert_cmpstr (boxes[i].rows[13].label, ==, "9999");
      found = TRUE;
    }
  g_assert_true (found);
}

/* A dict of 500 entries reaches the layout as its first 100 (the runtime's
 * element cap): entries 97-99 are not its end, so none is shown as a tail. */
static void
test_dict_elision (RenderFixture *fixture,
                   gconstpointer  data)
{
  HsLayout *layout = render_fixture_last (fixture);
  const HsLayoutBox *boxes;
  gboolean found_small = FALSE, found_big = FALSE;
  guint n;

  boxes = hs_layout_get_boxes (layout, &n);
  for (guint i = 0; i < n; i++)
    {
      if (boxes[i].kind != HS_LAYOUT_BOX_OBJECT || g_strcmp0 (boxes[i].title, "dict") != 0 || boxes[i].n_rows < 5)
        continue;
      g_assert_cmpint (boxes[i].rows[10].kind, ==, HS_LAYOUT_ROW_ELISION);
      if (boxes[i].n_rows == 11)
        {
          g_assert_cmpstr (boxes[i].rows[10].label, ==, "… 490 more");
          found_big = TRUE;
        }
      else
        {
          /* All 50 entries were sent: the last three are the real end */
          g_assert_cmpuint (boxes[i].n_rows, ==, 10 + 1 + 3);
          g_assert_cmpstr (boxes[i].rows[10].label, ==, "… 37 more");
          g_assert_true (boxes[i].rows[13].kind == HS_LAYOUT_ROW_PAIR || boxes[i].rows[13].key_ref != 0);
          found_small = TRUE;
        }
    }
  g_assert_true (found_small);
  g_assert_true (found_big);
}

/* hs_layout_entry_hidden() says what "… N more" hides, as the box
 * draws it: of the 50-entry dict, whose entries all reached the layout,
 * the first ten and the last three are drawn and entries 10 to 46 are
 * hidden; of the 500-entry one (its first 100 sent), entry 99 is hidden
 * too, as no tail is drawn; and a box of another shape hides nothing. */
static void
test_entry_hidden (RenderFixture *fixture,
                   gconstpointer  data)
{
  HsLayout *layout = render_fixture_last (fixture);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  const HsObject *objects;
  HsLayoutOptions options;
  guint n_objects, n_dicts = 0;

  hs_layout_options_init (&options);
  objects = hs_snapshot_get_objects (snapshot, &n_objects);
  for (guint i = 0; i < n_objects; i++)
    {
      const HsObject *o = &objects[i];
      const HsLayoutBox *box = hs_layout_get_object_box (layout, o->ref);
      guint entry = G_MAXUINT;

      if (box != NULL && box->shape != HS_LAYOUT_SHAPE_SEQUENCE && box->shape != HS_LAYOUT_SHAPE_MAPPING &&
          box->shape != HS_LAYOUT_SHAPE_SET)
        for (guint e = 0; e < o->n_edges; e++)
          g_assert_false (hs_layout_entry_hidden (o, o->edges[e].target, &options, &entry));
      if (g_strcmp0 (o->type, "dict") != 0 || o->length < 50)
        continue;
      n_dicts++;
      /* the value edges, one per entry, after each key */
      g_assert_cmpuint (o->n_edges, ==, 2 * MIN (o->length, 100));
      for (guint k = 0; k < o->n_edges / 2; k++)
        {
          gboolean hidden = hs_layout_entry_hidden (o, o->edges[2 * k + 1].target, &options, &entry);
          gboolean expected = k >= 10 && (o->length > 100 || k + 3 < o->length);

          if (hidden != expected)
            g_error ("a dict of %u: entry %u is %s", (guint) o->length, k, hidden ? "hidden" : "drawn");
          if (hidden)
            g_assert_cmpuint (entry, ==, k);
        }
    }
  g_assert_cmpuint (n_dicts, ==, 2);
}

/* A nested container the repr leaves out reads "[⋯]": "[…]" (like
 * Python's "[...]") would say the list contains itself. */
static void
test_nested_ellipsis (RenderFixture *fixture,
                      gconstpointer  data)
{
  guint found = 0;

  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      const HsLayoutBox *boxes;
      guint n;

      boxes = hs_layout_get_boxes (g_ptr_array_index (fixture->layouts, s), &n);
      for (guint i = 0; i < n; i++)
        {
          if (boxes[i].kind != HS_LAYOUT_BOX_GHOST || g_strcmp0 (boxes[i].title, "list") != 0
              || boxes[i].value == NULL || !g_str_has_prefix (boxes[i].value, "[["))
            continue;
          g_assert_cmpstr (boxes[i].value, ==, "[[⋯], 3]");
          found++;
        }
    }
  g_assert_cmpuint (found, >, 0);
}

/* The test data of the tests over tests/render/programs */
static GPtrArray *program_paths;

/* A box laid flat, its cells on its title's line, is a box across in
 * one line of cells, standing right of the title and inside the box,
 * one row high; the boxes across of its column stand flat with it,
 * and it stays flat while it lives.  index.py's column of lists is laid
 * flat; leaves.py's twelve tuples are, and its last picture is no taller
 * than wide; wide.py, wider than tall, lays nothing flat. */
static void
test_flat_boxes (RenderFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) was_flat = g_hash_table_new (NULL, NULL);
  double rh = hs_layout_row_height ();
  guint flat = 0;

  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      HsLayout *layout = g_ptr_array_index (fixture->layouts, s);
      g_autoptr(GHashTable) flat_columns = g_hash_table_new (NULL, NULL);
      g_autoptr(GHashTable) now_flat = g_hash_table_new (NULL, NULL);
      const HsLayoutBox *boxes;
      guint n_boxes;

      boxes = hs_layout_get_boxes (layout, &n_boxes);
      for (guint b = 0; b < n_boxes; b++)
        {
          const HsLayoutBox *box = &boxes[b];

          if (!box->flat)
            continue;
          flat++;
          g_hash_table_add (flat_columns, GUINT_TO_POINTER (box->column + 1));
          g_hash_table_add (now_flat, GUINT_TO_POINTER (box->ref));
          g_assert_true (box->across);
          g_assert_cmpfloat (box->rect.height, <, 2 * rh);
          for (guint r = 0; r < box->n_rows; r++)
            {
              const HsLayoutRow *row = &box->rows[r];

              g_assert_cmpfloat (row->y, ==, box->rows[0].y);
              g_assert_cmpfloat (row->y, >=, 0);
              g_assert_cmpfloat (row->x, >=, hs_layout_title_line_width (box));
              g_assert_cmpfloat (row->x + row->width, <=, box->rect.width);
              g_assert_cmpfloat (row->y + row->height, <=, box->rect.height);
            }
        }
      for (guint b = 0; b < n_boxes; b++)
        {
          const HsLayoutBox *box = &boxes[b];

          if (box->flat || box->flat_width <= 0 || box->kind != HS_LAYOUT_BOX_OBJECT || box->garbage)
            continue;
          if (g_hash_table_contains (flat_columns, GUINT_TO_POINTER (box->column + 1)))
            g_test_fail_printf ("step %u: %s %u stands in a column laid flat, but not flat", s, box->title, box->ref);
          if (g_hash_table_contains (was_flat, GUINT_TO_POINTER (box->ref)))
            g_test_fail_printf ("step %u: %s %u was flat at the step before, and is not", s, box->title, box->ref);
        }
      g_clear_pointer (&was_flat, g_hash_table_unref);
      was_flat = g_steal_pointer (&now_flat);
    }
  g_test_message ("%u flat boxes over the steps", flat);
  if (g_str_has_suffix (data, G_DIR_SEPARATOR_S "index.py"))
    g_assert_cmpuint (flat, >, 0);
  if (g_str_has_suffix (data, G_DIR_SEPARATOR_S "leaves.py"))
    {
      double width, height;

      hs_layout_get_size (render_fixture_last (fixture), &width, &height);
      g_assert_cmpuint (flat, >, 0);
      g_assert_cmpfloat (height, <=, width);
    }
  if (g_str_has_suffix (data, G_DIR_SEPARATOR_S "wide.py"))
    g_assert_cmpuint (flat, ==, 0);
}

/* The last step of an inverted index, laid out afresh as a jump to it
 * does: the pair the sort freed stands in a row below the picture,
 * which makes it too tall for a window, and its column of lists stands
 * flat for it.  Measured without the row, the picture was as wide as
 * 0.625 times its height and nothing stood flat. */
static void
test_flat_with_ghosts (RenderFixture *fixture,
                       gconstpointer  data)
{
  guint n = fixture->layouts->len, flat = 0, ghosts = 0, n_boxes;
  g_autoptr(HsSnapshot) before = hs_trace_get_snapshot (fixture->trace, n - 2);
  g_autoptr(HsLayout) fresh = NULL;
  const HsLayoutBox *boxes;
  HsLayoutOptions options;

  render_fixture_options_init (fixture, &options);
  options.step_before = before;
  fresh = hs_layout_new (hs_layout_get_snapshot (render_fixture_last (fixture)), NULL, &options);
  boxes = hs_layout_get_boxes (fresh, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    {
      flat += boxes[b].flat;
      ghosts += boxes[b].kind == HS_LAYOUT_BOX_GHOST;
    }
  g_assert_cmpuint (ghosts, >, 0);
  g_assert_cmpuint (flat, >, 0);
}

/* Arrows as short as ranks allow, as dot's network simplex makes them:
 * a box more of whose arrows leave than enter stands in the column just
 * before its nearest target, since one column further right shortens
 * the arrows in all. */
static void
test_short_arrows (RenderFixture *fixture,
                   gconstpointer  data)
{
  guint checked = 0;

  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      HsLayout *layout = g_ptr_array_index (fixture->layouts, s);
      const HsLayoutBox *boxes;
      const HsLayoutEdge *edges;
      guint n_boxes, n_edges;
      g_autofree guint *in = NULL, *out = NULL, *nearest = NULL;

      boxes = hs_layout_get_boxes (layout, &n_boxes);
      edges = hs_layout_get_edges (layout, &n_edges);
      in = g_new0 (guint, n_boxes + 1);
      out = g_new0 (guint, n_boxes + 1);
      nearest = g_new (guint, n_boxes + 1);
      for (guint b = 0; b < n_boxes; b++)
        nearest[b] = G_MAXUINT;
      for (guint e = 0; e < n_edges; e++)
        {
          const HsLayoutEdge *edge = &edges[e];
          const HsLayoutBox *target = &boxes[edge->target_box], *source = &boxes[edge->source];

          if (edge->back || target->kind != HS_LAYOUT_BOX_OBJECT || target->garbage || target->beside_zone
              || source->garbage || source->beside_zone || source->kind == HS_LAYOUT_BOX_GHOST)
            continue;
          in[edge->target_box]++;
          out[edge->source]++;
          nearest[edge->source] = MIN (nearest[edge->source], target->column);
        }
      for (guint b = 0; b < n_boxes; b++)
        {
          if (boxes[b].kind != HS_LAYOUT_BOX_OBJECT || boxes[b].garbage || boxes[b].beside_zone || out[b] == 0)
            continue;
          checked++;
          if (out[b] > in[b] && nearest[b] > boxes[b].column + 1)
            g_test_fail_printf ("step %u: %s %u, %u arrows out and %u in, stands in column %u, its nearest target in %u",
                                s, boxes[b].title, boxes[b].ref, out[b], in[b], boxes[b].column, nearest[b]);
        }
    }
  g_test_message ("%u boxes with arrows out checked", checked);
}

/* A ghost shows what a line freed of what the step before held, where
 * it stood: the items a key function saw at earlier steps of the line,
 * and what only a loop held, stood in no place at the step before and
 * leave none; the list `del` frees does. */
static void
test_no_temporary_ghosts (RenderFixture *fixture,
                          gconstpointer  data)
{
  guint ghosts = 0;

  for (guint i = 1; i < fixture->layouts->len; i++)
    {
      g_autoptr(HsSnapshot) before = hs_trace_get_snapshot (fixture->trace, i - 1);
      const HsLayoutBox *boxes;
      guint n;

      boxes = hs_layout_get_boxes (g_ptr_array_index (fixture->layouts, i), &n);
      for (guint b = 0; b < n; b++)
        {
          if (boxes[b].kind != HS_LAYOUT_BOX_GHOST)
            continue;
          if (hs_snapshot_lookup (before, boxes[b].ref) == NULL)
            g_test_fail_printf ("step %u: the ghost of %s %s, which the step before did not hold", i,
                                boxes[b].title, boxes[b].value);
          ghosts++;
        }
    }
  /* `del shown` */
  g_assert_cmpuint (ghosts, >, 0);
}

/* A ghost stands where its object stood, with no more room than the
 * object had: its value is shortened rather than reaching across the
 * column gap towards the boxes of the next column (bigdict.py's freed
 * range_iterator ended 2 units short of that column, which then stood
 * in one channel-less block with its own: arrows into it passed over
 * boxes) */
static void
test_ghost_keeps_gap (RenderFixture *fixture,
                      gconstpointer  data)
{
  guint ghosts = 0;

  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      const HsLayoutBox *boxes;
      guint n;

      boxes = hs_layout_get_boxes (g_ptr_array_index (fixture->layouts, s), &n);
      for (guint i = 0; i < n; i++)
        {
          const HsRect *g = &boxes[i].rect;

          if (boxes[i].kind != HS_LAYOUT_BOX_GHOST || boxes[i].alpha <= 0)
            continue;
          ghosts++;
          for (guint j = 0; j < n; j++)
            {
              const HsRect *o = &boxes[j].rect;

              /* Across the whole picture: a box in the next column
               * anywhere down it bounds the channel arrows run down */
              if (j != i && boxes[j].alpha > 0 && o->x > g->x)
                g_assert_cmpfloat (o->x - (g->x + g->width), >=, GAP_X);
            }
        }
    }
  g_assert_cmpuint (ghosts, >, 0);
}

static void
test_garbage (RenderFixture *fixture,
              gconstpointer  data)
{
  gboolean saw_zone = FALSE, saw_ghost = FALSE;

  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      HsLayout *layout = g_ptr_array_index (fixture->layouts, s);
      const HsLayoutBox *boxes;
      HsRect zone;
      gboolean has_zone = hs_layout_get_garbage_zone (layout, &zone);
      guint n;

      boxes = hs_layout_get_boxes (layout, &n);
      for (guint i = 0; i < n; i++)
        {
          const HsRect *r = &boxes[i].rect;
          gboolean inside = has_zone && r->x >= zone.x && r->y >= zone.y
                            && r->x + r->width <= zone.x + zone.width && r->y + r->height <= zone.y + zone.height;

          if (boxes[i].kind == HS_LAYOUT_BOX_GHOST)
            {
              g_assert_cmpstr (boxes[i].note, ==, "collected by gc");
              g_assert_cmpfloat (boxes[i].alpha, <, 1);
              saw_ghost = TRUE;
              continue;
            }
          if (boxes[i].garbage)
            {
              g_assert_true (inside);
              saw_zone = TRUE;
            }
          else if (has_zone)
            g_assert_false (rects_overlap (r, &zone));
        }
    }
  g_assert_true (saw_zone);
  g_assert_true (saw_ghost);
}

/* A value that only garbage references is alive (what holds it is
 * hidden: the cycles example's key strings are static), so it stands
 * outside the zone, on its right and level with it; and the zone stands
 * right below the rest of the picture.  The key strings stood where the
 * dict had been, above the zone, and the dict went 350 units down past
 * them; laid out afresh, they stood at the top of column 1. */
static void
check_beside_zone (HsLayout   *layout,
                   const char *program,
                   guint       step,
                   guint      *n_beside)
{
  const HsLayoutBox *boxes;
  double reachable_bottom = 0;
  HsRect zone;
  guint n;

  if (!hs_layout_get_garbage_zone (layout, &zone))
    return;
  boxes = hs_layout_get_boxes (layout, &n);
  for (guint i = 0; i < n; i++)
    {
      const HsRect *r = &boxes[i].rect;

      if (boxes[i].kind == HS_LAYOUT_BOX_GHOST || boxes[i].garbage)
        continue;
      if (!held_by_garbage_only (layout, &boxes[i]))
        {
          reachable_bottom = MAX (reachable_bottom, r->y + r->height);
          continue;
        }
      if (r->x < zone.x + zone.width || r->y < zone.y || r->y > zone.y + zone.height)
        g_test_fail_printf ("%s step %u: %s %u, which only garbage references, stands at (%g, %g), "
                            "not right of the zone (%g, %g, %g x %g)", program, step, boxes[i].title,
                            boxes[i].ref, r->x, r->y, zone.x, zone.y, zone.width, zone.height);
      (*n_beside)++;
    }
  if (zone.y - reachable_bottom > hs_layout_garbage_head ())
    g_test_fail_printf ("%s step %u: the zone stands %g below the rest of the picture", program, step,
                        zone.y - reachable_bottom);
}

/* Whether box and a box that references it span at most 560 units
 * across and 480 down: a new value stands
 * right of its referrer, level with its slot or below what the column
 * holds there */
static gboolean
near_a_referrer (HsLayout          *layout,
                 const HsLayoutBox *box)
{
  const HsLayoutBox *boxes;
  guint n;

  boxes = hs_layout_get_boxes (layout, &n);
  for (guint i = 0; i < n; i++)
    for (guint r = 0; r < boxes[i].n_rows; r++)
      if (boxes[i].rows[r].target == box->ref || boxes[i].rows[r].key_target == box->ref)
        {
          const HsRect *a = &boxes[i].rect, *b = &box->rect;

          if (MAX (a->x + a->width, b->x + b->width) - MIN (a->x, b->x) <= 560
              && MAX (a->y + a->height, b->y + b->height) - MIN (a->y, b->y) <= 480)
            return TRUE;
        }
  return FALSE;
}

/* Stepping back over the line that made the garbage, what stood beside
 * the zone and is referenced by the living again goes back by what
 * references it: it stayed where the zone had been, and the freeing
 * lesson's picture at `del a, b` was 909 units wide, its camera beside
 * an empty band (test-graph-view.c) */
static guint
check_back_from_zone (RenderFixture *fixture,
                      const char    *program)
{
  HsLayout *later = render_fixture_last (fixture);
  guint returned = 0;

  hs_layout_ref (later);
  for (guint s = fixture->layouts->len - 1; s-- > 0;)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (fixture->trace, s);
      HsLayoutOptions options;
      HsLayout *layout;
      const HsLayoutBox *boxes;
      guint n, unused = 0;

      render_fixture_options_init (fixture, &options);
      layout = hs_layout_new (snapshot, later, &options);
      check_beside_zone (layout, program, s, &unused);
      boxes = hs_layout_get_boxes (layout, &n);
      for (guint i = 0; i < n; i++)
        {
          const HsLayoutBox *old = boxes[i].kind == HS_LAYOUT_BOX_OBJECT ? find_object (later, boxes[i].ref) : NULL;

          if (old == NULL || !held_by_garbage_only (later, old) || held_by_garbage_only (layout, &boxes[i]))
            continue;
          if (boxes[i].rect.x == old->rect.x && boxes[i].rect.y == old->rect.y)
            g_test_fail_printf ("%s step %u, stepped back: %s %u stays where it stood beside the zone, (%g, %g)",
                                program, s, boxes[i].title, boxes[i].ref, old->rect.x, old->rect.y);
          else if (!near_a_referrer (layout, &boxes[i]))
            g_test_fail_printf ("%s step %u, stepped back: %s %u stands at (%g, %g), away from what references it",
                                program, s, boxes[i].title, boxes[i].ref, boxes[i].rect.x, boxes[i].rect.y);
          returned++;
        }
      hs_layout_unref (later);
      later = layout;
    }
  hs_layout_unref (later);
  return returned;
}

static void
test_beside_zone (RenderFixture *fixture,
                  gconstpointer  data)
{
  guint stepped = 0, afresh = 0, returned;

  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (fixture->trace, s);
      g_autoptr(HsLayout) fresh = NULL;
      HsLayoutOptions options;

      check_beside_zone (g_ptr_array_index (fixture->layouts, s), data, s, &stepped);
      render_fixture_options_init (fixture, &options);
      fresh = hs_layout_new (snapshot, NULL, &options);
      check_beside_zone (fresh, data, s, &afresh);
    }
  returned = check_back_from_zone (fixture, data);
  g_test_message ("%s: %u values beside the zone stepping, %u laid out afresh, %u back by their referrers "
                  "stepping back", (const char *) data, stepped, afresh, returned);
  g_assert_cmpuint (stepped, >, 0);
  g_assert_cmpuint (afresh, >, 0);
  g_assert_cmpuint (returned, >, 0);
}

static void
test_hit_test (RenderFixture *fixture,
               gconstpointer  data)
{
  HsLayout *layout = render_fixture_last (fixture);
  const HsLayoutBox *boxes;
  guint n, objects = 0, variables = 0;
  HsLayoutHit kind;
  double w, h;

  boxes = hs_layout_get_boxes (layout, &n);
  for (guint i = 0; i < n; i++)
    {
      const HsRect *r = &boxes[i].rect;

      if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT)
        {
          HsRect bounds;

          g_assert_cmpuint (hs_layout_hit_test (layout, r->x + 2, r->y + 2, &kind), ==, boxes[i].ref);
          g_assert_cmpint (kind, ==, HS_LAYOUT_HIT_OBJECT);
          g_assert_true (hs_layout_get_object_bounds (layout, boxes[i].ref, &bounds));
          g_assert_cmpfloat (bounds.x, ==, r->x);
          objects++;
        }
      else if (boxes[i].kind == HS_LAYOUT_BOX_FRAME)
        for (guint k = 0; k < boxes[i].n_rows; k++)
          {
            const char *name = NULL;
            guint frame = 99;
            guint32 ref = hs_layout_hit_test_variable (layout, r->x + 3, r->y + boxes[i].rows[k].y + 2,
                                                       &kind, &frame, &name);

            g_assert_cmpint (kind, ==, HS_LAYOUT_HIT_VARIABLE);
            g_assert_cmpuint (ref, ==, boxes[i].rows[k].target);
            g_assert_cmpstr (name, ==, boxes[i].rows[k].label);
            g_assert_cmpuint (frame, ==, boxes[i].frame);
            variables++;
          }
    }
  hs_layout_get_size (layout, &w, &h);
  g_assert_cmpuint (hs_layout_hit_test (layout, w - 1, 1, &kind), ==, 0);
  g_assert_cmpint (kind, ==, HS_LAYOUT_HIT_NOTHING);
  g_assert_cmpuint (objects, >, 0);
  g_assert_cmpuint (variables, >, 0);
}

static void
test_interpolate (RenderFixture *fixture,
                  gconstpointer  data)
{
  guint checked = 0;

  for (guint s = 1; s < fixture->layouts->len; s++)
    {
      HsLayout *from = g_ptr_array_index (fixture->layouts, s - 1);
      HsLayout *to = g_ptr_array_index (fixture->layouts, s);
      g_autoptr(HsLayout) mid = hs_layout_interpolate (from, to, 0.5);
      g_autoptr(HsLayout) start = hs_layout_interpolate (from, to, 0);
      const HsLayoutBox *boxes;
      guint n;

      boxes = hs_layout_get_boxes (mid, &n);
      for (guint i = 0; i < n; i++)
        {
          const HsLayoutBox *a, *b;

          if (boxes[i].kind != HS_LAYOUT_BOX_OBJECT)
            continue;
          a = find_object (from, boxes[i].ref);
          b = find_object (to, boxes[i].ref);
          if (a != NULL && b != NULL)
            {
              g_assert_cmpfloat_with_epsilon (boxes[i].rect.y, (a->rect.y + b->rect.y) / 2, 0.001);
              g_assert_cmpfloat_with_epsilon (find_object (start, boxes[i].ref)->rect.y, a->rect.y, 0.001);
              g_assert_cmpfloat (boxes[i].alpha, ==, 1);
            }
          else if (b != NULL)
            g_assert_cmpfloat_with_epsilon (boxes[i].alpha, 0.5, 0.001);
          else
            g_assert_cmpfloat (boxes[i].alpha, <, 1);
          checked++;
        }
    }
  g_assert_cmpuint (checked, >, 0);
}

static gpointer
draw_in_thread (gpointer data)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  cairo_t *cr = cairo_create (surface);

  hs_renderer_draw (cr, data, NULL);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return GINT_TO_POINTER (TRUE);
}

/* The layout keeps its text shaped: drawing it needs not the text lock
 * that a layout being built holds, so it cannot wait for one. */
static void
test_draw_without_lock (RenderFixture *fixture,
                        gconstpointer  data)
{
  HsLayout *layout = render_fixture_last (fixture);
  HsLayoutTextSet *text = hs_layout_get_text (layout);
  g_autoptr(HsLayout) mid = hs_layout_interpolate (g_ptr_array_index (fixture->layouts, 0), layout, 0.5);
  const HsLayoutBox *boxes;
  GThread *thread;
  guint n;

  boxes = hs_layout_get_boxes (layout, &n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (hs_layout_text_set_has (text, HS_LAYOUT_FONT_TITLE, boxes[i].title));
      for (guint r = 0; r < boxes[i].n_rows; r++)
        {
          if (boxes[i].rows[r].label != NULL)
            g_assert_true (hs_layout_text_set_has (text, HS_LAYOUT_FONT_SMALL, boxes[i].rows[r].label)
                           || hs_layout_text_set_has (text, HS_LAYOUT_FONT_UI, boxes[i].rows[r].label));
          if (boxes[i].rows[r].value != NULL)
            g_assert_true (hs_layout_text_set_has (text, HS_LAYOUT_FONT_MONO, boxes[i].rows[r].value));
        }
    }

  /* Held here, the lock would block a renderer that took it: the join
   * would never return and the test would time out */
  hs_layout_text_lock ();
  thread = g_thread_new ("draw", draw_in_thread, layout);
  g_assert_true (GPOINTER_TO_INT (g_thread_join (thread)));
  thread = g_thread_new ("draw", draw_in_thread, mid);
  g_assert_true (GPOINTER_TO_INT (g_thread_join (thread)));
  hs_layout_text_unlock ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (all_programs); i++)
    {
      g_autofree char *overlap = g_strdup_printf ("/render/layout/no-overlap/%s", all_programs[i]);
      g_autofree char *edges = g_strdup_printf ("/render/layout/edge-endpoints/%s", all_programs[i]);
      g_autofree char *drawn = g_strdup_printf ("/render/layout/every-variable-drawn/%s", all_programs[i]);
      g_autofree char *stable = g_strdup_printf ("/render/layout/stable/%s", all_programs[i]);
      g_autofree char *same = g_strdup_printf ("/render/layout/deterministic/%s", all_programs[i]);
      g_autofree char *afresh = g_strdup_printf ("/render/layout/first-step-afresh/%s", all_programs[i]);

      g_test_add (overlap, RenderFixture, all_programs[i], render_fixture_setup, test_no_overlap, render_fixture_teardown);
      g_test_add (edges, RenderFixture, all_programs[i], render_fixture_setup, test_edge_endpoints, render_fixture_teardown);
      g_test_add (drawn, RenderFixture, all_programs[i], render_fixture_setup, test_every_reference_drawn, render_fixture_teardown);
      g_test_add (stable, RenderFixture, all_programs[i], render_fixture_setup, test_stable, render_fixture_teardown);
      g_test_add_func (same, test_deterministic);
      g_test_add (afresh, RenderFixture, all_programs[i], render_fixture_setup, test_first_step_afresh,
                  render_fixture_teardown);
    }
  for (guint i = 0; i < G_N_ELEMENTS (more_programs); i++)
    {
      g_autofree char *overlap = g_strdup_printf ("/render/layout/no-overlap/%s", more_programs[i]);
      g_autofree char *edges = g_strdup_printf ("/render/layout/edge-endpoints/%s", more_programs[i]);
      g_autofree char *drawn = g_strdup_printf ("/render/layout/every-variable-drawn/%s", more_programs[i]);

      g_test_add (overlap, RenderFixture, more_programs[i], render_fixture_setup, test_no_overlap, render_fixture_teardown);
      g_test_add (edges, RenderFixture, more_programs[i], render_fixture_setup, test_edge_endpoints, render_fixture_teardown);
      g_test_add (drawn, RenderFixture, more_programs[i], render_fixture_setup, test_every_reference_drawn, render_fixture_teardown);
    }
  /* nested.py keeps no object from one step to the next */
  g_test_add ("/render/layout/stable/title.py", RenderFixture, HS_TEST_PROGRAMS "/../garbage-title/title.py",
              render_fixture_setup, test_stable, render_fixture_teardown);
  g_test_add ("/render/layout/stable/churn.py", RenderFixture, "churn.py", render_fixture_setup, test_stable,
              render_fixture_teardown);
  g_test_add ("/render/layout/shared-drawn-once", RenderFixture, "aliasing.py",
              render_fixture_setup, test_shared_drawn_once, render_fixture_teardown);
  g_test_add ("/render/layout/chain-settles", RenderFixture, "chain.py",
              render_fixture_setup, test_chain_settles, render_fixture_teardown);
  /* The area bound, routing and distinct paths: test-layout-geometry.c */
  g_test_add ("/render/layout/room-until-last-growth", RenderFixture, "aliasing.py",
              render_fixture_setup, test_room_until_last_growth, render_fixture_teardown);
  g_test_add_func ("/render/layout/stable-after-free", test_stable_after_free);
  g_test_add_func ("/render/layout/cancelled", test_cancelled);
  g_test_add_func ("/render/layout/near-referrer", test_near_referrer);
  g_test_add ("/render/layout/elision", RenderFixture, "biglist.py",
              render_fixture_setup, test_elision, render_fixture_teardown);
  g_test_add ("/render/layout/dict-elision", RenderFixture, "bigdict.py",
              render_fixture_setup, test_dict_elision, render_fixture_teardown);
  g_test_add ("/render/layout/entry-hidden", RenderFixture, "bigdict.py",
              render_fixture_setup, test_entry_hidden, render_fixture_teardown);
  g_test_add ("/render/layout/nested-ellipsis", RenderFixture, "nested.py",
              render_fixture_setup, test_nested_ellipsis, render_fixture_teardown);
  program_paths = g_ptr_array_new_with_free_func (g_free);
  render_test_add_programs (program_paths, "/render/layout/flat-boxes", HS_TEST_PROGRAMS, "programs",
                            test_flat_boxes);
  render_test_add_programs (program_paths, "/render/layout/short-arrows", HS_TEST_PROGRAMS, "programs",
                            test_short_arrows);
  g_test_add ("/render/layout/flat-with-ghosts", RenderFixture, HS_TEST_CORPUS "/word_index.py",
              render_fixture_setup, test_flat_with_ghosts, render_fixture_teardown);
  g_test_add ("/render/layout/no-temporary-ghosts", RenderFixture, "temporaries.py",
              render_fixture_setup, test_no_temporary_ghosts, render_fixture_teardown);
  g_test_add ("/render/layout/ghost-keeps-gap", RenderFixture, "bigdict.py",
              render_fixture_setup, test_ghost_keeps_gap, render_fixture_teardown);
  g_test_add ("/render/layout/garbage-zone", RenderFixture, "cycle.py",
              render_fixture_setup, test_garbage, render_fixture_teardown);
  /* Values beside the zone are boxes: programs drawn with every object */
  g_test_add ("/render/layout/beside-zone/title.py", RenderFixture, HS_TEST_PROGRAMS "/../garbage-title/title.py",
              render_fixture_setup, test_beside_zone, render_fixture_teardown);
  g_test_add ("/render/layout/beside-zone/freeing.py", RenderFixture, HS_TEST_EXAMPLES "/../data/lessons/freeing.py",
              render_fixture_setup, test_beside_zone, render_fixture_teardown);
  g_test_add ("/render/layout/hit-test", RenderFixture, "copies.py",
              render_fixture_setup, test_hit_test, render_fixture_teardown);
  g_test_add ("/render/layout/draw-without-lock", RenderFixture, "aliasing.py",
              render_fixture_setup, test_draw_without_lock, render_fixture_teardown);
  g_test_add ("/render/layout/interpolate", RenderFixture, "copies.py",
              render_fixture_setup, test_interpolate, render_fixture_teardown);

  {
    int status = g_test_run ();

    g_ptr_array_unref (program_paths);
    return status;
  }
}
