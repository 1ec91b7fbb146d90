/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Values in their slots (issue 47): a scalar (None, bool, int, float,
 * complex, str, bytes) is drawn inside each slot that holds it, with no
 * box and no arrow; a dict's scalar key is its row's label and a set's
 * scalar member its row; Show Every Object (every_object) and the
 * subject scalars (boxed) draw them as boxes with their arrows again.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <cairo.h>

#include "hs-renderer.h"
#include "hs-test-trace.h"
#include "render-test-util.h"

static const char * const scalar_types[] = {
  "NoneType", "bool", "int", "float", "complex", "str", "bytes", NULL,
};

static HsLayout *
lay_out (RenderFixture *fixture,
         gboolean       every_object,
         GHashTable    *boxed)
{
  g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (fixture->trace, hs_trace_get_n_steps (fixture->trace) - 1);
  HsLayoutOptions options;

  render_fixture_options_init (fixture, &options);
  options.every_object = every_object;
  options.boxed = boxed;
  return hs_layout_new (snapshot, NULL, &options);
}

static const HsLayoutBox *
module_frame (HsLayout *layout)
{
  const HsLayoutBox *boxes;
  guint n;

  boxes = hs_layout_get_boxes (layout, &n);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpint (boxes[0].kind, ==, HS_LAYOUT_BOX_FRAME);
  return &boxes[0];
}

static const HsLayoutRow *
var_row (HsLayout   *layout,
         const char *name)
{
  const HsLayoutBox *frame = module_frame (layout);

  for (guint r = 0; r < frame->n_rows; r++)
    if (g_strcmp0 (frame->rows[r].label, name) == 0)
      return &frame->rows[r];
  g_error ("no variable %s", name);
}

/* By default no scalar has a box or an arrow; each slot that holds one
 * shows its repr, whole when short */
static void
test_inline (RenderFixture *fixture,
             gconstpointer  data)
{
  g_autoptr(HsLayout) layout = lay_out (fixture, FALSE, NULL);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  const HsLayoutBox *boxes;
  const HsLayoutEdge *edges;
  guint n_boxes, n_edges, n_inline = 0;
  struct { const char *name, *shown; } vars[] = {
    { "nothing", "None" }, { "flag", "True" }, { "count", "3" }, { "ratio", "2.5" },
    { "wave", "1j" }, { "word", "'hello'" }, { "raw", "b'xy'" },
  };

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind != HS_LAYOUT_BOX_FRAME)
      g_assert_false (g_strv_contains (scalar_types, boxes[i].title));
  for (guint e = 0; e < n_edges; e++)
    {
      const HsObject *o = hs_snapshot_lookup (snapshot, edges[e].target);

      g_assert_nonnull (o);
      g_assert_false (g_strv_contains (scalar_types, o->type));
    }

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      const HsLayoutRow *row = var_row (layout, vars[i].name);

      g_assert_cmpuint (row->target, ==, hs_test_var_ref (snapshot, NULL, vars[i].name));
      g_assert_cmpstr (row->inline_value, ==, vars[i].shown);
      /* the slot holds its text */
      g_assert_cmpfloat (row->slot_width, >=,
                         hs_layout_text_width (HS_LAYOUT_FONT_MONO, row->inline_value));
      n_inline++;
    }
  g_assert_cmpuint (n_inline, ==, G_N_ELEMENTS (vars));

  /* a long string is cut in its slot, and says so */
  {
    const HsLayoutRow *row = var_row (layout, "long_text");
    const HsObject *o = hs_snapshot_lookup (snapshot, row->target);
    g_autofree char *head = g_strndup (row->inline_value, strlen (row->inline_value) - strlen ("…"));

    g_assert_true (g_str_has_suffix (row->inline_value, "…"));
    g_assert_cmpuint (g_utf8_strlen (row->inline_value, -1), <, g_utf8_strlen (o->repr, -1));
    g_assert_true (g_str_has_prefix (o->repr, head));
  }

  /* the list's eight slots hold the same objects as the names do */
  {
    const HsLayoutBox *list = hs_layout_get_object_box (layout, var_row (layout, "row")->target);

    g_assert_nonnull (list);
    g_assert_cmpuint (list->n_rows, ==, 8);
    g_assert_cmpuint (list->rows[2].target, ==, var_row (layout, "count")->target);
    g_assert_cmpuint (list->rows[7].target, ==, var_row (layout, "count")->target);
    for (guint r = 0; r < list->n_rows; r++)
      {
        g_assert_nonnull (list->rows[r].inline_value);
        g_assert_cmpfloat (list->rows[r].slot_x + list->rows[r].slot_width / 2, <=, list->rect.width);
      }
    /* values only: its cells stand across, lower than a row each */
    g_assert_true (list->across);
    g_assert_cmpfloat (list->rect.height, <, list->header_height + list->n_rows * module_frame (layout)->rows[0].height);
  }
}

/* Each box whose every slot but its last holds a value is drawn across,
 * and no other is: an arrow leaves a box from its slot's level, one slot
 * per level, and only the last cell has none right of it.  Its cells
 * stand inside it, below its header or, flat, right of its title, none
 * over another, each slot inside its cell; a point in a cell finds that
 * cell. */
static void
check_across (HsLayout *layout,
              gboolean  every_object)
{
  const HsLayoutBox *boxes;
  const HsLayoutEdge *edges;
  guint n_boxes, n_edges, n_across = 0;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint b = 0; b < n_boxes; b++)
    {
      const HsLayoutBox *box = &boxes[b];
      gboolean arrows_out = FALSE;

      for (guint e = 0; e < n_edges; e++)
        arrows_out |= edges[e].source == b && edges[e].row + 1 < box->n_rows;
      if (!box->across)
        continue;
      n_across++;
      g_assert_false (every_object);
      g_assert_false (arrows_out);
      g_assert_true (box->shape == HS_LAYOUT_SHAPE_SEQUENCE || box->shape == HS_LAYOUT_SHAPE_SET);
      for (guint r = 0; r < box->n_rows; r++)
        {
          const HsLayoutRow *row = &box->rows[r];
          guint at = G_MAXUINT;

          g_assert_cmpfloat (row->x, >=, 0);
          if (box->flat)
            g_assert_cmpfloat (row->x, >=, hs_layout_title_line_width (box));
          else
            g_assert_cmpfloat (row->y, >=, box->header_height);
          g_assert_cmpfloat (row->x + row->width, <=, box->rect.width);
          g_assert_cmpfloat (row->y + row->height, <=, box->rect.height);
          if (row->slot_width > 0)
            {
              g_assert_cmpfloat (row->slot_x - row->slot_width / 2, >=, row->x);
              g_assert_cmpfloat (row->slot_x + row->slot_width / 2, <=, row->x + row->width);
            }
          for (guint q = 0; q < r; q++)
            {
              const HsLayoutRow *o = &box->rows[q];

              g_assert_true (o->x + o->width <= row->x || row->x + row->width <= o->x
                             || o->y + o->height <= row->y || row->y + row->height <= o->y);
            }
          g_assert_true (hs_layout_hit_test_row (layout, box->rect.x + row->x + row->width / 2,
                                                 box->rect.y + row->y + row->height / 2, &at) == box);
          g_assert_cmpuint (at, ==, r);
        }
    }
  g_test_message ("%u boxes across", n_across);
}

static void
test_across (RenderFixture *fixture,
             gconstpointer  data)
{
  g_autoptr(HsLayout) values = lay_out (fixture, FALSE, NULL);
  g_autoptr(HsLayout) boxes = lay_out (fixture, TRUE, NULL);
  const HsLayoutBox *list = hs_layout_get_object_box (values, var_row (values, "row")->target);
  const HsLayoutBox *set = hs_layout_get_object_box (values, var_row (values, "members")->target);

  check_across (values, FALSE);
  check_across (boxes, TRUE);
  /* the list of values and the set of members stand across */
  g_assert_true (list->across);
  g_assert_true (set->across);
}

/* A pair of a word and its list stands across, its arrow leaving the
 * last cell: index.py's eight (word, lines) tuples */
static void
test_across_last_reference (RenderFixture *fixture,
                            gconstpointer  data)
{
  HsLayout *layout = render_fixture_last (fixture);
  const HsLayoutBox *boxes;
  const HsLayoutEdge *edges;
  guint n_boxes, n_edges, n_pairs = 0;

  check_across (layout, FALSE);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint e = 0; e < n_edges; e++)
    if (g_strcmp0 (boxes[edges[e].source].title, "tuple") == 0)
      {
        g_assert_true (boxes[edges[e].source].across);
        g_assert_cmpuint (edges[e].row, ==, boxes[edges[e].source].n_rows - 1);
        n_pairs++;
      }
  g_assert_cmpuint (n_pairs, ==, 8);
}

/* A dict's scalar key is its row's label, with no key slot; a set's
 * scalar member is its row, with no slot at all */
static void
test_keys_and_members (RenderFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(HsLayout) layout = lay_out (fixture, FALSE, NULL);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  const HsLayoutBox *table = hs_layout_get_object_box (layout, var_row (layout, "table")->target);
  const HsLayoutBox *members = hs_layout_get_object_box (layout, var_row (layout, "members")->target);
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_nonnull (table);
  g_assert_cmpuint (table->n_rows, ==, 2);
  for (guint r = 0; r < table->n_rows; r++)
    {
      const HsLayoutRow *row = &table->rows[r];
      const HsObject *key = hs_snapshot_lookup (snapshot, row->key_ref);

      g_assert_cmpint (row->kind, ==, HS_LAYOUT_ROW_SLOT);
      g_assert_cmpuint (row->key_target, ==, 0);
      g_assert_nonnull (key);
      g_assert_cmpstr (row->value, ==, key->repr);
      g_assert_nonnull (row->inline_value);
      g_hash_table_add (keys, (gpointer) row->value);
    }
  g_assert_true (g_hash_table_contains (keys, "'x'"));
  g_assert_true (g_hash_table_contains (keys, "2"));

  g_assert_nonnull (members);
  g_assert_cmpuint (members->n_rows, ==, 2);
  for (guint r = 0; r < members->n_rows; r++)
    {
      g_assert_cmpfloat (members->rows[r].slot_width, ==, 0);
      g_assert_null (members->rows[r].inline_value);
      g_assert_nonnull (members->rows[r].value);
      g_assert_cmpuint (members->rows[r].target, !=, 0);
    }
}

/* Show Every Object: every scalar a box, every reference an arrow */
static void
test_every_object (RenderFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(HsLayout) layout = lay_out (fixture, TRUE, NULL);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  const HsLayoutBox *frame = module_frame (layout);
  const HsLayoutEdge *edges;
  guint n_edges, from_frame = 0;

  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint r = 0; r < frame->n_rows; r++)
    {
      g_assert_null (frame->rows[r].inline_value);
      g_assert_nonnull (hs_layout_get_object_box (layout, frame->rows[r].target));
    }
  for (guint e = 0; e < n_edges; e++)
    from_frame += edges[e].from_frame;
  g_assert_cmpuint (from_frame, ==, frame->n_rows);
  g_assert_nonnull (hs_layout_get_object_box (layout, hs_test_var_ref (snapshot, NULL, "count")));
}

/* A box's header says what its arrows do not: in the default picture
 * an object names its refcount only where the arrows drawn into it do
 * not add up to it (or it is immortal), and none of the marks its type
 * implies; Show Every Object names them all on every box.  A count that
 * stands on the title's line leaves the box as tall as without it. */
static void
test_header (RenderFixture *fixture,
             gconstpointer  data)
{
  for (guint every = 0; every < 2; every++)
    {
      g_autoptr(HsLayout) layout = lay_out (fixture, every, NULL);
      HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
      const HsLayoutBox *boxes;
      const HsLayoutEdge *edges;
      guint n_boxes, n_edges, with = 0, without = 0;

      boxes = hs_layout_get_boxes (layout, &n_boxes);
      edges = hs_layout_get_edges (layout, &n_edges);
      for (guint b = 0; b < n_boxes; b++)
        {
          const HsObject *o;
          guint into = 0;

          if (boxes[b].kind != HS_LAYOUT_BOX_OBJECT)
            continue;
          o = hs_snapshot_lookup (snapshot, boxes[b].ref);
          g_assert_nonnull (o);
          for (guint e = 0; e < n_edges; e++)
            into += edges[e].target_box == b;
          if (every)
            {
              g_assert_nonnull (boxes[b].facts);
              g_assert_nonnull (boxes[b].marks);
            }
          else
            {
              gboolean hidden = o->refcount != (gint64) into || (o->flags & HS_OBJECT_IMMORTAL);

              g_assert_cmpint (boxes[b].facts != NULL, ==, hidden);
              if (boxes[b].marks != NULL)
                g_assert_null (strstr (boxes[b].marks, "mutable"));
            }
          with += boxes[b].facts != NULL;
          without += boxes[b].facts == NULL;
          if (boxes[b].facts != NULL && !boxes[b].facts_below)
            g_assert_cmpfloat (boxes[b].rect.width, >=,
                               hs_layout_title_line_width (&boxes[b]) + 2 * 8.0 - 0.5);
        }
      g_test_message ("%s: %u objects name their refcount, %u do not",
                      every ? "every object" : "values in slots", with, without);
      /* instance.py's class has references no arrow shows */
      g_assert_cmpuint (with, >, 0);
      if (!every)
        g_assert_cmpuint (without, >, 0);
    }
}

/* A subject scalar (selected, watched, named by the note) is a box with
 * every arrow into it, and the others stay in their slots */
static void
test_boxed (RenderFixture *fixture,
            gconstpointer  data)
{
  g_autoptr(HsLayout) plain = lay_out (fixture, FALSE, NULL);
  guint32 count = var_row (plain, "count")->target;
  g_autoptr(GHashTable) boxed = g_hash_table_new (NULL, NULL);
  g_autoptr(HsLayout) layout = NULL;
  const HsLayoutEdge *edges;
  guint n_edges, into = 0;

  g_hash_table_add (boxed, GUINT_TO_POINTER (count));
  layout = lay_out (fixture, FALSE, boxed);
  g_assert_nonnull (hs_layout_get_object_box (layout, count));
  g_assert_null (var_row (layout, "count")->inline_value);
  g_assert_nonnull (var_row (layout, "word")->inline_value);
  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint e = 0; e < n_edges; e++)
    into += edges[e].target == count;
  /* the name and the list's two slots */
  g_assert_cmpuint (into, ==, 3);
}

/* A scalar freed while in its slots leaves no ghost; nor in any step */
static void
test_no_scalar_ghosts (RenderFixture *fixture,
                       gconstpointer  data)
{
  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      const HsLayoutBox *boxes;
      guint n;

      boxes = hs_layout_get_boxes (g_ptr_array_index (fixture->layouts, s), &n);
      for (guint i = 0; i < n; i++)
        if (boxes[i].kind == HS_LAYOUT_BOX_GHOST)
          g_assert_false (g_strv_contains (scalar_types, boxes[i].title));
    }
}

/* Hovering an inline value outlines every slot that holds the same
 * object: the list's two slots of `count` and the name's, in the hover
 * colour, and not the slot of another value */
static void
test_identity_outline (RenderFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(HsLayout) layout = lay_out (fixture, FALSE, NULL);
  const HsLayoutBox *list = hs_layout_get_object_box (layout, var_row (layout, "row")->target);
  guint32 count = var_row (layout, "count")->target;
  double w, h;
  cairo_surface_t *plain, *hovered;
  HsRenderOptions options;
  int stride;
  guint changed[8] = { 0 };

  hs_layout_get_size (layout, &w, &h);
  hs_render_options_init (&options);
  options.scale = 1;
  plain = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (w), (int) ceil (h));
  hovered = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (w), (int) ceil (h));
  for (guint k = 0; k < 2; k++)
    {
      cairo_t *cr = cairo_create (k == 0 ? plain : hovered);

      options.hovered = k == 0 ? 0 : count;
      hs_renderer_draw (cr, layout, &options);
      cairo_destroy (cr);
    }
  cairo_surface_flush (plain);
  cairo_surface_flush (hovered);
  stride = cairo_image_surface_get_stride (plain);
  /* each of the list's slots: pixels that differ about its left and
   * right edges, at mid-height, clear of the rows above and below */
  for (guint r = 0; r < list->n_rows; r++)
    {
      const HsLayoutRow *row = &list->rows[r];
      int y = (int) floor (list->rect.y + row->slot_y);
      int left = (int) floor (list->rect.x + row->slot_x - row->slot_width / 2);
      int right = (int) floor (list->rect.x + row->slot_x + row->slot_width / 2);

      for (int dy = -2; dy <= 2; dy++)
        for (int dx = -2; dx <= 2; dx++)
          for (guint side = 0; side < 2; side++)
            {
              int x = (side == 0 ? left : right) + dx;
              guint32 *a = (guint32 *) (cairo_image_surface_get_data (plain) + (y + dy) * stride) + x;
              guint32 *b = (guint32 *) (cairo_image_surface_get_data (hovered) + (y + dy) * stride) + x;

              changed[r] += (*a & 0xffffff) != (*b & 0xffffff);
            }
    }
  cairo_surface_destroy (plain);
  cairo_surface_destroy (hovered);
  for (guint r = 0; r < list->n_rows; r++)
    if (list->rows[r].target == count)
      g_assert_cmpuint (changed[r], >=, 10);
    else
      g_assert_cmpuint (changed[r], ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/render/inline-values/inline", RenderFixture, "scalars.py",
              render_fixture_setup, test_inline, render_fixture_teardown);
  g_test_add ("/render/inline-values/across", RenderFixture, "scalars.py",
              render_fixture_setup, test_across, render_fixture_teardown);
  g_test_add ("/render/inline-values/across-last-reference", RenderFixture, "index.py",
              render_fixture_setup, test_across_last_reference, render_fixture_teardown);
  g_test_add ("/render/inline-values/keys-and-members", RenderFixture, "scalars.py",
              render_fixture_setup, test_keys_and_members, render_fixture_teardown);
  g_test_add ("/render/inline-values/every-object", RenderFixture, "scalars.py",
              render_fixture_setup, test_every_object, render_fixture_teardown);
  g_test_add ("/render/inline-values/header", RenderFixture, "instance.py",
              render_fixture_setup, test_header, render_fixture_teardown);
  g_test_add ("/render/inline-values/boxed", RenderFixture, "scalars.py",
              render_fixture_setup, test_boxed, render_fixture_teardown);
  g_test_add ("/render/inline-values/no-scalar-ghosts", RenderFixture, "scalars.py",
              render_fixture_setup, test_no_scalar_ghosts, render_fixture_teardown);
  g_test_add ("/render/inline-values/identity-outline", RenderFixture, "scalars.py",
              render_fixture_setup, test_identity_outline, render_fixture_teardown);

  return g_test_run ();
}
