/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test-layout-columns"

#include "config.h"

#include <string.h>

#include "hs-layout-private.h"

/*
 * Opening a channel (hs-layout-columns.c, hs_layout_open_channels()): a
 * box new at this step that reaches within half a column gap of the
 * columns right of its own moves those columns right, until the gap is a
 * column gap again; unless moving them would bring a box onto one that
 * moves less.  Boxes are laid out here by hand, as placement would leave
 * them, so that each case is exactly the one named.
 */

typedef struct
{
  HsLayout        layout;
  HsLayoutBuilder builder;
} Fixture;

static void
fixture_init (Fixture *f,
              guint    n_columns)
{
  memset (f, 0, sizeof *f);
  f->layout.boxes = g_array_new (FALSE, TRUE, sizeof (HsLayoutBox));
  f->layout.columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_size (f->layout.columns, n_columns);
  f->builder.self = &f->layout;
  f->builder.items = g_array_new (FALSE, TRUE, sizeof (Item));
  f->builder.placed = g_hash_table_new (NULL, NULL);
}

static void
fixture_clear (Fixture *f)
{
  g_array_unref (f->layout.boxes);
  g_array_unref (f->layout.columns);
  g_array_unref (f->builder.items);
  g_hash_table_unref (f->builder.placed);
}

/* Adds a placed object box; returns its index */
static guint
add (Fixture *f,
     guint    column,
     double   x,
     double   y,
     double   width,
     gboolean survivor)
{
  HsLayoutBox box = { 0 };
  Item it = { 0 };

  box.kind = HS_LAYOUT_BOX_OBJECT;
  box.column = column;
  box.rect = (HsRect) { x, y, width, 50 };
  it.box = f->layout.boxes->len;
  it.survivor = survivor;
  g_array_append_val (f->layout.boxes, box);
  g_array_append_val (f->builder.items, it);
  g_hash_table_add (f->builder.placed, GUINT_TO_POINTER (it.box));
  return it.box;
}

static double
x_of (Fixture *f,
      guint    box)
{
  return g_array_index (f->layout.boxes, HsLayoutBox, box).rect.x;
}

/* grid.py's step 5: a new range iterator, wider than the lists of its
 * column, comes within 7 units of the int standing in the next column */
static void
test_opens (void)
{
  Fixture f;
  guint list, iterator, value, beyond;

  fixture_init (&f, 4);
  g_array_index (f.layout.columns, Column, 3).x = 600;
  list = add (&f, 1, 306, 24, 120, TRUE);
  iterator = add (&f, 1, 306, 400, 185, FALSE);
  value = add (&f, 2, 498, 24, 100, TRUE);
  beyond = add (&f, 3, 670, 24, 100, TRUE);

  hs_layout_open_channels (&f.builder);

  g_assert_cmpfloat (x_of (&f, list), ==, 306);
  g_assert_cmpfloat (x_of (&f, iterator), ==, 306);
  /* 72 units right of the iterator, and what stands beyond it as far */
  g_assert_cmpfloat (x_of (&f, value), ==, 306 + 185 + COLUMN_GAP);
  g_assert_cmpfloat (x_of (&f, beyond), ==, 670 + 65);
  /* and the next new box of the column goes right of the channel too */
  g_assert_cmpfloat (g_array_index (f.layout.columns, Column, 2).x, >=, 306 + 185 + COLUMN_GAP);
  fixture_clear (&f);
}

/* A gap narrower than a column gap but wider than half of it holds a
 * channel's lanes, and a survivor reaching in opens nothing */
static void
test_leaves_wide_gaps_and_survivors (void)
{
  Fixture f;
  guint value, other;

  fixture_init (&f, 3);
  add (&f, 1, 306, 24, 150, FALSE);
  value = add (&f, 2, 306 + 150 + 40, 24, 100, TRUE);
  add (&f, 2, 900, 24, 300, TRUE);
  other = add (&f, 3, 1210, 400, 100, TRUE);

  hs_layout_open_channels (&f.builder);

  g_assert_cmpfloat (x_of (&f, value), ==, 306 + 150 + 40);
  g_assert_cmpfloat (x_of (&f, other), ==, 1210);
  fixture_clear (&f);
}

/* Survivors out of their columns' order: N in column 3 stands right of
 * M in column 4, level with it.  Column 3 is tangled with the new box R
 * (its survivor L stands left of R's start), so it would keep its place
 * while column 4 moved 172 units, onto N.  Nothing moves. */
static void
test_no_move_onto_a_box (void)
{
  Fixture f;
  guint n, m;

  fixture_init (&f, 5);
  add (&f, 2, 600, 300, 200, FALSE);        /* R */
  add (&f, 3, 550, 200, 40, TRUE);          /* L */
  n = add (&f, 3, 800, 24, 300, TRUE);
  m = add (&f, 4, 700, 24, 80, TRUE);

  hs_layout_open_channels (&f.builder);

  g_assert_cmpfloat (x_of (&f, n), ==, 800);
  g_assert_cmpfloat (x_of (&f, m), ==, 700);
  fixture_clear (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/layout/open-channels/opens", test_opens);
  g_test_add_func ("/render/layout/open-channels/leaves-wide-gaps-and-survivors", test_leaves_wide_gaps_and_survivors);
  g_test_add_func ("/render/layout/open-channels/no-move-onto-a-box", test_no_move_onto_a_box);

  return g_test_run ();
}
