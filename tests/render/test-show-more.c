/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * "… N more" in a big container's box (issue 8): what it counts adds up
 * with what is drawn, for lists, dicts and sets; HsLayoutOptions.more_cells
 * shows more of one container, only from what the snapshot holds; and
 * what the runtime's element cap left out is said to be not recorded,
 * with the cap a run would need to record it.
 */
#define G_LOG_DOMAIN "heapscope-test-show-more"

#include "config.h"

#include <string.h>

#include "hs-layout-private.h"
#include "render-test-util.h"
#include "hs-test-trace.h"

/* Out of programs/, whose every program test-layout-geometry routes */
#define BIGSET HS_TEST_PROGRAMS "/../show-more/bigset.py"

static const char * const programs[] = {
  "biglist.py", "bigdict.py", BIGSET, "aliasing.py", "copies.py", "dict.py", "nested.py",
};

static gboolean
is_container (const HsLayoutBox *box)
{
  return box->kind == HS_LAYOUT_BOX_OBJECT &&
         (box->shape == HS_LAYOUT_SHAPE_SEQUENCE || box->shape == HS_LAYOUT_SHAPE_MAPPING
          || box->shape == HS_LAYOUT_SHAPE_SET);
}

/* The entries the runtime sent: a dict's key and value edges are one */
static guint
entries_sent (const HsObject *o)
{
  guint n = 0;

  for (guint i = 0; i < o->n_edges; i++)
    n += o->edges[i].kind != HS_EDGE_VALUE;
  return n;
}

typedef struct
{
  guint   drawn;
  guint64 hidden;
  guint64 held;
  guint   elisions;
} Counts;

static Counts
count_rows (const HsLayoutBox *box)
{
  Counts c = { 0 };

  for (guint r = 0; r < box->n_rows; r++)
    if (box->rows[r].kind == HS_LAYOUT_ROW_ELISION)
      {
        c.hidden += box->rows[r].hidden;
        c.held += box->rows[r].held;
        c.elisions++;
      }
    else
      c.drawn++;
  return c;
}

static const HsLayoutRow *
last_row (const HsLayoutBox *box)
{
  g_assert_cmpuint (box->n_rows, >, 0);
  return &box->rows[box->n_rows - 1];
}

/* At every step of every program, each container's drawn entries and the
 * entries its "… N more" rows count make its len(); of those, the held
 * ones and the drawn ones are exactly what the runtime sent.  A set or a
 * dict the runtime cut arrives as its first entries: nothing drawn after
 * its elision poses as its end. */
static void
test_adds_up (RenderFixture *fixture,
              gconstpointer  data)
{
  guint checked = 0, cut = 0;

  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      HsLayout *layout = g_ptr_array_index (fixture->layouts, s);
      HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
      const HsLayoutBox *boxes;
      guint n;

      boxes = hs_layout_get_boxes (layout, &n);
      for (guint i = 0; i < n; i++)
        {
          const HsObject *o;
          Counts c;

          if (!is_container (&boxes[i]) || (o = hs_snapshot_lookup (snapshot, boxes[i].ref)) == NULL)
            continue;
          c = count_rows (&boxes[i]);
          if (c.drawn + c.hidden != o->length)
            g_error ("%s step %u: %s %u draws %u and elides %" G_GUINT64_FORMAT " of %u",
                     (const char *) data, s, o->type, o->ref, c.drawn, c.hidden, o->length);
          g_assert_cmpuint (c.drawn + c.held, ==, entries_sent (o));
          if (o->omitted > 0)
            {
              cut++;
              g_assert_cmpuint (c.elisions, >, 0);
              if (boxes[i].shape != HS_LAYOUT_SHAPE_SEQUENCE)
                g_assert_cmpint (last_row (&boxes[i])->kind, ==, HS_LAYOUT_ROW_ELISION);
            }
          checked++;
        }
    }
  g_assert_cmpuint (checked, >, 0);
  if (strstr (data, "big") != NULL)
    g_assert_cmpuint (cut, >, 0);
}

static HsLayout *
layout_more (HsSnapshot *snapshot,
             guint32     ref,
             guint       more,
             guint       max_element_cap)
{
  g_autoptr(GHashTable) table = g_hash_table_new (NULL, NULL);
  HsLayoutOptions options;

  hs_layout_options_init (&options);
  g_hash_table_insert (table, GUINT_TO_POINTER (ref), GUINT_TO_POINTER (more));
  options.more_cells = table;
  options.max_element_cap = max_element_cap;
  return hs_layout_new (snapshot, NULL, &options);
}

/* Every container but ref is drawn as without more_cells */
static void
assert_only_grown (HsLayout *plain,
                   HsLayout *grown,
                   guint32   ref)
{
  const HsLayoutBox *boxes;
  guint n, others = 0;

  boxes = hs_layout_get_boxes (grown, &n);
  for (guint i = 0; i < n; i++)
    {
      const HsLayoutBox *before;

      if (boxes[i].kind != HS_LAYOUT_BOX_OBJECT)
        continue;
      before = hs_layout_get_object_box (plain, boxes[i].ref);
      if (boxes[i].ref == ref)
        {
          g_assert_nonnull (before);
          g_assert_cmpuint (boxes[i].n_rows, >, before->n_rows);
          continue;
        }
      /* a grown container draws more of its entries as boxes */
      if (before == NULL)
        continue;
      g_assert_cmpuint (boxes[i].n_rows, ==, before->n_rows);
      others++;
    }
  g_assert_cmpuint (others, >, 0);
}

/* A list of 10,000 reaches the layout as its first 97 and last 3 entries
 * (the runtime's element cap of 100): more_cells shows more of the 97,
 * never an entry the runtime did not send. */
static void
test_list (RenderFixture *fixture,
           gconstpointer  data)
{
  HsLayout *plain = render_fixture_last (fixture);
  HsSnapshot *snapshot = hs_layout_get_snapshot (plain);
  guint32 big = hs_test_var_ref (snapshot, NULL, "big");
  const HsLayoutBox *box;
  const HsLayoutRow *gap;

  {
    g_autoptr(HsLayout) layout = layout_more (snapshot, big, 50, 0);

    assert_only_grown (plain, layout, big);
    box = hs_layout_get_object_box (layout, big);
    g_assert_cmpuint (box->n_rows, ==, 60 + 1 + 3);
    gap = &box->rows[60];
    g_assert_cmpint (gap->kind, ==, HS_LAYOUT_ROW_ELISION);
    g_assert_cmpstr (box->rows[59].label, ==, "59");
    g_assert_cmpuint (gap->hidden, ==, 9937);
    g_assert_cmpuint (gap->held, ==, 37);
    g_assert_cmpstr (gap->label, ==, "… 9,937 more");
    g_assert_cmpstr (box->rows[61].label, ==, "9997");
  }
  /* All 97 the runtime sent, and no more however many are asked for */
  for (guint more = 87; more <= 1000; more += 913)
    {
      g_autoptr(HsLayout) layout = layout_more (snapshot, big, more, 0);

      box = hs_layout_get_object_box (layout, big);
      g_assert_cmpuint (box->n_rows, ==, 97 + 1 + 3);
      gap = &box->rows[97];
      g_assert_cmpuint (gap->hidden, ==, 9900);
      g_assert_cmpuint (gap->held, ==, 0);
      /* no run offered: the options allow none */
      g_assert_cmpuint (gap->rerun_cap, ==, 0);
      g_assert_cmpstr (gap->label, ==, "… 9,900 more, not recorded");
    }
  {
    g_autoptr(HsLayout) layout = layout_more (snapshot, big, 87, 10000);

    gap = &hs_layout_get_object_box (layout, big)->rows[97];
    g_assert_cmpuint (gap->rerun_cap, ==, 10000);
    g_assert_cmpstr (gap->label, ==, "… 9,900 more, not recorded");
  }
  {
    /* the cap it ran with (100) is all the options allow: nothing to offer */
    g_autoptr(HsLayout) layout = layout_more (snapshot, big, 87, 100);

    g_assert_cmpuint (hs_layout_get_object_box (layout, big)->rows[97].rerun_cap, ==, 0);
  }
}

/* A dict of 500 arrives as its first 100 entries: shown all, the 400
 * left are not recorded, and a run with a cap of 500 would record them */
static void
test_dict (RenderFixture *fixture,
           gconstpointer  data)
{
  HsLayout *plain = render_fixture_last (fixture);
  HsSnapshot *snapshot = hs_layout_get_snapshot (plain);
  guint32 big = hs_test_var_ref (snapshot, NULL, "big");
  g_autoptr(HsLayout) half = layout_more (snapshot, big, 50, 10000);
  g_autoptr(HsLayout) all = layout_more (snapshot, big, 90, 10000);
  g_autoptr(HsLayout) beyond = layout_more (snapshot, big, 5000, 10000);
  const HsLayoutBox *box;

  assert_only_grown (plain, half, big);
  box = hs_layout_get_object_box (half, big);
  g_assert_cmpuint (box->n_rows, ==, 60 + 1);
  /* an entry with its key: a box, or a scalar drawn as the row's label */
  g_assert_true (box->rows[59].kind == HS_LAYOUT_ROW_PAIR || box->rows[59].key_ref != 0);
  g_assert_cmpuint (last_row (box)->hidden, ==, 440);
  g_assert_cmpuint (last_row (box)->held, ==, 40);
  g_assert_cmpuint (last_row (box)->rerun_cap, ==, 0);
  g_assert_cmpstr (last_row (box)->label, ==, "… 440 more");

  for (guint i = 0; i < 2; i++)
    {
      box = hs_layout_get_object_box (i == 0 ? all : beyond, big);
      g_assert_cmpuint (box->n_rows, ==, 100 + 1);
      g_assert_cmpuint (last_row (box)->hidden, ==, 400);
      g_assert_cmpuint (last_row (box)->held, ==, 0);
      g_assert_cmpuint (last_row (box)->rerun_cap, ==, 500);
      g_assert_cmpstr (last_row (box)->label, ==, "… 400 more, not recorded");
    }
  {
    /* a run with the cap in force would record no more */
    g_autoptr(GHashTable) table = g_hash_table_new (NULL, NULL);
    g_autoptr(HsLayout) layout = NULL;
    HsLayoutOptions options;

    hs_layout_options_init (&options);
    g_hash_table_insert (table, GUINT_TO_POINTER (big), GUINT_TO_POINTER (90));
    options.more_cells = table;
    options.max_element_cap = 10000;
    options.element_cap = 500;
    layout = hs_layout_new (snapshot, NULL, &options);
    box = hs_layout_get_object_box (layout, big);
    g_assert_cmpuint (last_row (box)->rerun_cap, ==, 0);
    g_assert_cmpstr (last_row (box)->label, ==, "… 400 more, not recorded");
  }
}

/* Sets too: their first 100 members, then what was not recorded */
static void
test_set (RenderFixture *fixture,
          gconstpointer  data)
{
  HsLayout *plain = render_fixture_last (fixture);
  HsSnapshot *snapshot = hs_layout_get_snapshot (plain);
  guint32 big = hs_test_var_ref (snapshot, NULL, "big");
  g_autoptr(HsLayout) layout = layout_more (snapshot, big, 1000, 10000);
  const HsLayoutBox *box;

  box = hs_layout_get_object_box (plain, big);
  g_assert_cmpuint (box->n_rows, ==, 10 + 1);
  g_assert_cmpuint (last_row (box)->hidden, ==, 490);
  g_assert_cmpuint (last_row (box)->held, ==, 90);

  assert_only_grown (plain, layout, big);
  box = hs_layout_get_object_box (layout, big);
  g_assert_cmpuint (box->n_rows, ==, 100 + 1);
  g_assert_cmpuint (last_row (box)->hidden, ==, 400);
  g_assert_cmpuint (last_row (box)->rerun_cap, ==, 500);
}

/* A click finds the "… N more" row: the box and the row under a point */
static void
test_hit_row (RenderFixture *fixture,
              gconstpointer  data)
{
  HsLayout *layout = render_fixture_last (fixture);
  guint32 big = hs_test_var_ref (hs_layout_get_snapshot (layout), NULL, "big");
  const HsLayoutBox *box = hs_layout_get_object_box (layout, big);
  guint found = G_MAXUINT;

  for (guint r = 0; r < box->n_rows; r++)
    {
      const HsLayoutRow *row = &box->rows[r];
      guint at = 0;

      g_assert_true (hs_layout_hit_test_row (layout, box->rect.x + row->x + row->width / 2,
                                             box->rect.y + row->y + row->height / 2, &at) == box);
      g_assert_cmpuint (at, ==, r);
      if (row->kind == HS_LAYOUT_ROW_ELISION)
        found = r;
    }
  g_assert_cmpuint (found, ==, 10);
  /* the header is no row, and outside every box there is no box */
  g_assert_true (hs_layout_hit_test_row (layout, box->rect.x + 2, box->rect.y + 2, &found) == box);
  g_assert_cmpuint (found, ==, G_MAXUINT);
  g_assert_null (hs_layout_hit_test_row (layout, -10, -10, &found));
}

/* At the cap on a step's objects, a list's item 0 (new) is left out
 * while its item 1, recorded before as a variable, is sent: the row that
 * counts the missing item stands before item 1, where the item is */
static void
test_first_left_out (HsTraceFixture *f,
                     gconstpointer   data)
{
  HsTrace *trace;
  HsSnapshot *snapshot;
  g_autoptr(HsLayout) layout = NULL;
  HsLayoutOptions options;
  const HsLayoutBox *box;
  const HsObject *xs;

  f->options.max_objects = 2;
  trace = hs_trace_fixture_run (f, "s = 'shared'\nxs = [[1000], s]\npass\n");
  snapshot = hs_test_step_at_line (trace, 3, 0);
  xs = hs_test_var (snapshot, NULL, "xs");
  /* what the case is about: item 1 sent, item 0 not */
  g_assert_cmpuint (xs->length, ==, 2);
  g_assert_cmpuint (xs->n_edges, ==, 1);
  g_assert_cmpstr (xs->edges[0].label, ==, "1");

  hs_layout_options_init (&options);
  layout = hs_layout_new (snapshot, NULL, &options);
  box = hs_layout_get_object_box (layout, xs->ref);
  g_assert_nonnull (box);
  g_assert_cmpuint (box->n_rows, ==, 2);
  g_assert_cmpint (box->rows[0].kind, ==, HS_LAYOUT_ROW_ELISION);
  g_assert_cmpstr (box->rows[0].label, ==, "… 1 more, not recorded");
  g_assert_cmpuint (box->rows[0].hidden, ==, 1);
  g_assert_cmpuint (box->rows[0].held, ==, 0);
  g_assert_cmpint (box->rows[1].kind, ==, HS_LAYOUT_ROW_SLOT);
  g_assert_cmpstr (box->rows[1].label, ==, "1");
  hs_snapshot_unref (snapshot);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autofree char *base = g_path_get_basename (programs[i]);
      g_autofree char *path = g_strdup_printf ("/render/show-more/adds-up/%s", base);

      g_test_add (path, RenderFixture, programs[i], render_fixture_setup, test_adds_up, render_fixture_teardown);
    }
  g_test_add ("/render/show-more/list", RenderFixture, "biglist.py",
              render_fixture_setup, test_list, render_fixture_teardown);
  g_test_add ("/render/show-more/dict", RenderFixture, "bigdict.py",
              render_fixture_setup, test_dict, render_fixture_teardown);
  g_test_add ("/render/show-more/set", RenderFixture, BIGSET,
              render_fixture_setup, test_set, render_fixture_teardown);
  g_test_add ("/render/show-more/hit-row", RenderFixture, "biglist.py",
              render_fixture_setup, test_hit_row, render_fixture_teardown);
  g_test_add ("/render/show-more/first-left-out", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_first_left_out, hs_trace_fixture_teardown);

  return g_test_run ();
}
