/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The readability benchmark's DOT export and its reading of dot's JSON:
 * dot is given the graph our layout draws, scalars written into their
 * slots or drawn as nodes, and the picture read back is the one dot drew.
 */
#define G_LOG_DOMAIN "heapscope-test-dot"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "bench-dot.h"
#include "hs-runner.h"

/* Three nodes, the first in a subgraph listed before them, and two arrows
 * out of the first that cross halfway, as dot -Tjson writes them */
static const char two_arrows[] =
  "{ \"bb\": \"0,0,200,100\", \"objects\": ["
  "  { \"_gvid\": 0, \"name\": \"frames\", \"nodes\": [1] },"
  "  { \"_gvid\": 1, \"name\": \"n0\", \"pos\": \"10,50\", \"width\": \"0.27778\", \"height\": \"1.3889\" },"
  "  { \"_gvid\": 2, \"name\": \"n1\", \"pos\": \"190,80\", \"width\": \"0.27778\", \"height\": \"0.27778\" },"
  "  { \"_gvid\": 3, \"name\": \"n2\", \"pos\": \"190,20\", \"width\": \"0.27778\", \"height\": \"0.27778\" } ],"
  "  \"edges\": ["
  "  { \"_gvid\": 0, \"tail\": 1, \"head\": 2, \"_draw_\": [ { \"op\": \"c\", \"color\": \"#000000\" },"
  "    { \"op\": \"b\", \"points\": [[20,20],[80,40],[120,60],[180,80]] } ] },"
  "  { \"_gvid\": 1, \"tail\": 1, \"head\": 3, \"_draw_\": ["
  "    { \"op\": \"b\", \"points\": [[20,80],[80,60],[120,40],[180,20]] } ] } ] }";

static void
test_read_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BenchDotPicture) picture = bench_dot_picture_read_json (two_arrows, -1, &error);
  const BenchRect *boxes;
  const BenchPath *paths;

  g_assert_no_error (error);
  g_assert_cmpfloat (picture->width, ==, 200);
  g_assert_cmpfloat (picture->height, ==, 100);
  g_assert_cmpuint (picture->n_nodes, ==, 3);
  g_assert_cmpuint (picture->boxes->len, ==, 4);
  boxes = (const BenchRect *) picture->boxes->data;
  g_assert_cmpfloat_with_epsilon (boxes[1].x, 0, 0.01);
  g_assert_cmpfloat_with_epsilon (boxes[1].y, 0, 0.01);
  g_assert_cmpfloat_with_epsilon (boxes[1].height, 100, 0.01);
  g_assert_cmpfloat_with_epsilon (boxes[3].y, 10, 0.01);
  g_assert_cmpfloat (picture->left, ==, 0);
  g_assert_cmpfloat (picture->top, ==, 100);
  /* Each box keeps its node's name, by which two steps are compared */
  g_assert_cmpuint (picture->names->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (picture->names, 1), ==, "n0");
  g_assert_cmpstr (g_ptr_array_index (picture->names, 3), ==, "n2");

  g_assert_cmpuint (picture->paths->len, ==, 2);
  paths = (const BenchPath *) picture->paths->data;
  g_assert_cmpuint (paths[0].source, ==, 1);
  g_assert_cmpuint (paths[1].target, ==, 3);
  g_assert_cmpuint (paths[0].points->len, ==, BENCH_CURVE_SEGMENTS + 1);
  /* They share the box they start from, and cross in the open */
  g_assert_cmpuint (bench_count_crossings (paths, 2, boxes, picture->boxes->len), ==, 1);
}

/* What memory_graph's DOT becomes: an arrow, an invisible edge keeping a
 * rank in order, and text in two sizes, the smaller one an edge's */
static const char ranked[] =
  "{ \"bb\": \"0,0,100,100\", \"_ldraw_\": [ { \"op\": \"F\", \"size\": 14.0, \"face\": \"Times-Roman\" } ],"
  "  \"objects\": ["
  "  { \"_gvid\": 0, \"name\": \"a\", \"pos\": \"50,90\", \"width\": \"0.5\", \"height\": \"0.2\","
  "    \"_ldraw_\": [ { \"op\": \"F\", \"size\": 14.0, \"face\": \"Times-Roman\" },"
  "                  { \"op\": \"T\", \"pt\": [50, 90], \"text\": \"a\" } ] },"
  "  { \"_gvid\": 1, \"name\": \"b\", \"pos\": \"20,10\", \"width\": \"0.5\", \"height\": \"0.2\" },"
  "  { \"_gvid\": 2, \"name\": \"c\", \"pos\": \"80,10\", \"width\": \"0.5\", \"height\": \"0.2\" } ],"
  "  \"edges\": ["
  "  { \"_gvid\": 0, \"tail\": 0, \"head\": 1, \"style\": \"solid\", \"pos\": \"e,20,17 50,83 40,60 30,40 20,27\","
  "    \"_draw_\": [ { \"op\": \"b\", \"points\": [[50,83],[40,60],[30,40],[20,27]] } ],"
  "    \"_tldraw_\": [ { \"op\": \"F\", \"size\": 8.5, \"face\": \"Times-Roman\" } ] },"
  "  { \"_gvid\": 1, \"tail\": 1, \"head\": 2, \"style\": \"invis\", \"weight\": \"10\","
  "    \"pos\": \"e,70,10 30,10 40,10 50,10 60,10\" } ] }";

static void
test_read_json_ranked (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BenchDotPicture) picture = bench_dot_picture_read_json (ranked, -1, &error);
  g_autoptr(BenchDotPicture) no_text = bench_dot_picture_read_json (two_arrows, -1, &error);

  g_assert_no_error (error);
  /* The invisible edge is no arrow */
  g_assert_cmpuint (picture->paths->len, ==, 1);
  g_assert_cmpuint (g_array_index (picture->paths, BenchPath, 0).target, ==, 1);
  /* The smallest text anywhere in the picture */
  g_assert_cmpfloat (picture->smallest_text, ==, 8.5);
  /* None: graphviz's default size */
  g_assert_cmpfloat (no_text->smallest_text, ==, 14);
}

static void
test_read_json_refused (void)
{
  static const char * const bad[] = { "", "not json", "[1, 2]", "{}", "{ \"bb\": \"0,0\" }" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BenchDotPicture) picture = bench_dot_picture_read_json (bad[i], -1, &error);

      g_assert_null (picture);
      g_assert_nonnull (error);
    }
}

static guint
count_arrows (const char *dot)
{
  guint n = 0;

  for (const char *p = dot; (p = strstr (p, "->")) != NULL; p += 2)
    n++;
  return n;
}

static HsLayout *
lay_out_last_step (const char *source,
                   gboolean    every_object)
{
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(HsSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("heapscope-test-dot-XXXXXX", &error);
  g_autofree char *path = NULL;
  HsLayoutOptions options;

  g_assert_no_error (error);
  path = g_build_filename (dir, "program.py", NULL);
  g_assert_true (g_file_set_contents (path, source, -1, NULL));
  trace = hs_runner_run_sync (runner, path, NULL, &error);
  g_unlink (path);
  g_rmdir (dir);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_trace_get_status (trace), ==, "finished");
  snapshot = hs_trace_get_snapshot (trace, hs_trace_get_n_steps (trace) - 1);
  hs_layout_options_init (&options);
  options.every_object = every_object;
  return hs_layout_new (snapshot, NULL, &options);
}

static void
test_export (void)
{
  g_autoptr(HsLayout) layout = lay_out_last_step ("n = 7\n"
                                                  "row = [n, 'x', None]\n"
                                                  "grid = [row, row]\n"
                                                  "d = {'k': row}\n"
                                                  "end = 0\n",
                                                  /* every object a box: the export draws
                                                   * both pictures from it */
                                                  TRUE);
  g_autofree char *program = g_find_program_in_path ("dot");
  g_autofree char *inline_dot = NULL;
  g_autofree char *every_dot = NULL;
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  const HsLayoutBox *boxes;
  const HsLayoutEdge *edges;
  guint n_boxes, n_edges, n_to_containers = 0, n_live = 0, n_containers = 0;
  BenchDotOptions options;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint e = 0; e < n_edges; e++)
    n_to_containers += !bench_dot_is_scalar (hs_snapshot_lookup (snapshot, edges[e].target));
  for (guint b = 0; b < n_boxes; b++)
    if (boxes[b].kind != HS_LAYOUT_BOX_GHOST)
      {
        n_live++;
        n_containers += boxes[b].kind == HS_LAYOUT_BOX_FRAME || !bench_dot_is_scalar (hs_snapshot_lookup (snapshot, boxes[b].ref));
      }
  /* The frame, row, grid and d, and boxes for 7, 'x', None, 'k', 0 */
  g_assert_cmpuint (n_containers, ==, 4);
  g_assert_cmpuint (bench_dot_count_objects (layout), ==, 9);

  bench_dot_options_init (&options);
  inline_dot = bench_dot_export (layout, &options);
  options.every_object = TRUE;
  every_dot = bench_dot_export (layout, &options);

  /* Values in their slots: the arrows between containers only, and the
   * values where the arrows to them started */
  g_assert_cmpuint (count_arrows (inline_dot), ==, n_to_containers);
  g_assert_nonnull (strstr (inline_dot, "<v0> 7}"));
  g_assert_nonnull (strstr (inline_dot, "<v2> None}"));
  g_assert_nonnull (strstr (inline_dot, "<k0> 'k'|<v0> }"));
  g_assert_nonnull (strstr (inline_dot, "rankdir=LR"));
  /* Every object: the layout's own arrows */
  g_assert_cmpuint (count_arrows (every_dot), ==, n_edges);
  g_assert_cmpuint (n_edges, >, n_to_containers);

  if (program == NULL)
    {
      g_test_skip ("no dot to lay the export out with");
      return;
    }
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BenchDotPicture) picture = bench_dot_layout (program, k == 0 ? inline_dot : every_dot, &error);

      g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

      g_assert_no_error (error);
      g_assert_cmpuint (picture->n_nodes, ==, k == 0 ? n_containers : n_live);
      /* Every node is named after the box it stands for, once */
      for (guint b = 0; b < picture->names->len; b++)
        if (g_ptr_array_index (picture->names, b) != NULL)
          g_assert_true (g_hash_table_add (names, g_ptr_array_index (picture->names, b)));
      for (guint b = 0; b < n_boxes; b++)
        if (boxes[b].kind != HS_LAYOUT_BOX_GHOST
            && (k == 1 || boxes[b].kind == HS_LAYOUT_BOX_FRAME
                || !bench_dot_is_scalar (hs_snapshot_lookup (snapshot, boxes[b].ref))))
          {
            g_autofree char *name = bench_dot_node_name (&boxes[b]);

            g_assert_true (g_hash_table_contains (names, name));
          }
      g_assert_cmpuint (picture->paths->len, ==, k == 0 ? n_to_containers : n_edges);
      for (guint e = 0; e < picture->paths->len; e++)
        g_assert_cmpuint (g_array_index (picture->paths, BenchPath, e).points->len, >, BENCH_CURVE_SEGMENTS);
    }
}

/* A step laid out afresh, as a jump to it lays it out, crosses no more
 * arrow pairs than dot's picture of it.  A slice of a matrix's rows: its
 * list wants to stand above the matrix's, and two rows swapped, which no
 * single exchange of neighbours reaches from the barycentres. */
static void
test_afresh_no_more_crossings (void)
{
  g_autoptr(HsLayout) layout = lay_out_last_step ("matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]\n"
                                                  "top = matrix[:2]\n"
                                                  "top[0][0] = 100\n", FALSE);
  g_autofree char *program = g_find_program_in_path ("dot");
  g_autofree char *dot_text = NULL;
  g_autoptr(BenchDotPicture) picture = NULL;
  g_autoptr(GError) error = NULL;
  BenchDotOptions options;
  guint ours, theirs;

  if (program == NULL)
    {
      g_test_skip ("no dot to lay the export out with");
      return;
    }
  bench_dot_options_init (&options);
  dot_text = bench_dot_export (layout, &options);
  picture = bench_dot_layout (program, dot_text, &error);
  g_assert_no_error (error);
  ours = bench_dot_count_layout_crossings (layout);
  theirs = bench_count_crossings ((const BenchPath *) picture->paths->data, picture->paths->len,
                                  (const BenchRect *) picture->boxes->data, picture->boxes->len);
  g_test_message ("ours %u, dot's %u", ours, theirs);
  g_assert_cmpuint (ours, <=, theirs);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/benchmarks/dot/read-json", test_read_json);
  g_test_add_func ("/benchmarks/dot/read-json-ranked", test_read_json_ranked);
  g_test_add_func ("/benchmarks/dot/read-json-refused", test_read_json_refused);
  g_test_add_func ("/benchmarks/dot/export", test_export);
  g_test_add_func ("/benchmarks/dot/afresh-no-more-crossings", test_afresh_no_more_crossings);

  return g_test_run ();
}
