/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The readability benchmark's crossing counter: pairs of arrows that meet
 * count once, arrows that meet only inside a box they both end at do not.
 */
#define G_LOG_DOMAIN "heapscope-test-crossings"

#include "config.h"

#include "bench-crossings.h"

/* Four boxes far apart, 10 units square, one at each corner of a
 * 200-unit square; arrows between them run through the open middle */
enum { TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT, N_BOXES };

static const BenchRect boxes[N_BOXES] = {
  { 0, 0, 10, 10 },
  { 190, 0, 10, 10 },
  { 0, 190, 10, 10 },
  { 190, 190, 10, 10 },
};

typedef struct
{
  BenchPath paths[4];
  guint     n_paths;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->n_paths = 0;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < f->n_paths; i++)
    bench_path_clear (&f->paths[i]);
}

static BenchPath *
add_line (Fixture *f,
          guint    source,
          guint    target,
          double   x0,
          double   y0,
          double   x1,
          double   y1)
{
  BenchPath *path = &f->paths[f->n_paths++];

  g_assert_cmpuint (f->n_paths, <=, G_N_ELEMENTS (f->paths));
  bench_path_init (path, source, target);
  bench_path_add_point (path, (BenchPoint) { x0, y0 });
  bench_path_add_point (path, (BenchPoint) { x1, y1 });
  return path;
}

static guint
count (Fixture *f)
{
  return bench_count_crossings (f->paths, f->n_paths, boxes, N_BOXES);
}

static void
test_cross (Fixture       *f,
            gconstpointer  data)
{
  /* The two diagonals of the square */
  add_line (f, TOP_LEFT, BOTTOM_RIGHT, 5, 5, 195, 195);
  add_line (f, BOTTOM_LEFT, TOP_RIGHT, 5, 195, 195, 5);
  g_assert_cmpuint (count (f), ==, 1);
}

static void
test_disjoint (Fixture       *f,
               gconstpointer  data)
{
  /* The top and bottom sides, and a third arrow whose span overlaps
   * theirs without touching them */
  add_line (f, TOP_LEFT, TOP_RIGHT, 5, 5, 195, 5);
  add_line (f, BOTTOM_LEFT, BOTTOM_RIGHT, 5, 195, 195, 195);
  add_line (f, TOP_LEFT, BOTTOM_RIGHT, 5, 20, 195, 180);
  g_assert_cmpuint (count (f), ==, 0);
}

static void
test_shared_end (Fixture       *f,
                 gconstpointer  data)
{
  /* Out of one slot to two boxes, and into one box from two: each pair
   * meets only at the box it shares */
  add_line (f, TOP_LEFT, TOP_RIGHT, 5, 5, 195, 5);
  add_line (f, TOP_LEFT, BOTTOM_RIGHT, 5, 5, 195, 195);
  g_assert_cmpuint (count (f), ==, 0);
  add_line (f, BOTTOM_LEFT, TOP_RIGHT, 5, 195, 195, 5);
  /* The third crosses the second in the middle, away from any box */
  g_assert_cmpuint (count (f), ==, 1);
}

static void
test_shared_box_elsewhere (Fixture       *f,
                           gconstpointer  data)
{
  BenchPath *loop;

  /* Both start at the top left box, but the second one comes back across
   * the first in the open: that crossing counts */
  add_line (f, TOP_LEFT, BOTTOM_RIGHT, 5, 5, 195, 195);
  loop = &f->paths[f->n_paths++];
  bench_path_init (loop, TOP_LEFT, BOTTOM_LEFT);
  bench_path_add_point (loop, (BenchPoint) { 5, 5 });
  bench_path_add_point (loop, (BenchPoint) { 150, 50 });
  bench_path_add_point (loop, (BenchPoint) { 50, 150 });
  bench_path_add_point (loop, (BenchPoint) { 5, 195 });
  g_assert_cmpuint (count (f), ==, 1);
}

static void
test_touch (Fixture       *f,
            gconstpointer  data)
{
  /* One arrow ends on another's line, and two run along one another: an
   * arrow's end or a shared stretch hides as much as a crossing */
  add_line (f, TOP_LEFT, TOP_RIGHT, 5, 100, 195, 100);
  add_line (f, BOTTOM_LEFT, BOTTOM_RIGHT, 100, 195, 100, 100);
  g_assert_cmpuint (count (f), ==, 1);
  add_line (f, BOTTOM_LEFT, BOTTOM_RIGHT, 50, 100, 150, 100);
  g_assert_cmpuint (count (f), ==, 3);
}

static void
test_curve_twice (Fixture       *f,
                  gconstpointer  data)
{
  BenchPath *curve;

  /* A straight arrow across the middle, and a curve between the bottom
   * boxes that bulges up across it and comes back down: one pair */
  add_line (f, TOP_LEFT, TOP_RIGHT, 5, 100, 195, 100);
  curve = &f->paths[f->n_paths++];
  bench_path_init (curve, BOTTOM_LEFT, BOTTOM_RIGHT);
  bench_path_add_cubic (curve, (BenchPoint) { 5, 195 }, (BenchPoint) { 60, 0 },
                        (BenchPoint) { 140, 0 }, (BenchPoint) { 195, 195 });
  g_assert_cmpuint (count (f), ==, 1);
}

static void
test_curve_bulge (Fixture       *f,
                  gconstpointer  data)
{
  BenchPath *curve;

  /* A short arrow that only the top of the same curve reaches (it bulges
   * up to y = 48.75): a counter that looked at the ends or the chord alone
   * would miss it */
  add_line (f, TOP_LEFT, TOP_RIGHT, 100, 20, 100, 80);
  curve = &f->paths[f->n_paths++];
  bench_path_init (curve, BOTTOM_LEFT, BOTTOM_RIGHT);
  bench_path_add_cubic (curve, (BenchPoint) { 5, 195 }, (BenchPoint) { 60, 0 },
                        (BenchPoint) { 140, 0 }, (BenchPoint) { 195, 195 });
  g_assert_cmpuint (curve->points->len, ==, BENCH_CURVE_SEGMENTS + 1);
  g_assert_cmpuint (count (f), ==, 1);
}

static void
test_pieces (Fixture       *f,
             gconstpointer  data)
{
  BenchPath *split;

  /* A path in two pieces is not joined across its gap */
  add_line (f, TOP_LEFT, TOP_RIGHT, 100, 20, 100, 180);
  split = &f->paths[f->n_paths++];
  bench_path_init (split, BOTTOM_LEFT, BOTTOM_RIGHT);
  bench_path_add_point (split, (BenchPoint) { 20, 100 });
  bench_path_add_point (split, (BenchPoint) { 80, 100 });
  bench_path_break (split);
  bench_path_add_point (split, (BenchPoint) { 120, 100 });
  bench_path_add_point (split, (BenchPoint) { 180, 100 });
  g_assert_cmpuint (count (f), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/benchmarks/crossings/cross", test_cross);
  ADD ("/benchmarks/crossings/disjoint", test_disjoint);
  ADD ("/benchmarks/crossings/shared-end", test_shared_end);
  ADD ("/benchmarks/crossings/shared-box-elsewhere", test_shared_box_elsewhere);
  ADD ("/benchmarks/crossings/touch", test_touch);
  ADD ("/benchmarks/crossings/curve-twice", test_curve_twice);
  ADD ("/benchmarks/crossings/curve-bulge", test_curve_bulge);
  ADD ("/benchmarks/crossings/pieces", test_pieces);
#undef ADD

  return g_test_run ();
}
