/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layout and render times for graphs of about 100, 1,000 and 5,000
 * objects, with Graphviz dot's layout time on the same graphs beside them.
 * Prints figures; it is not a test.
 */
#define G_LOG_DOMAIN "heapscope-bench-render"

#include "config.h"

#include <math.h>
#include <glib/gstdio.h>
#include <graphviz/gvc.h>

#include "hs-layout.h"
#include "hs-renderer.h"
#include "hs-runner.h"

#define REPEAT 5

static HsSnapshot *
run_program (guint n_objects)
{
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("heapscope-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "graph.py", NULL);
  g_autofree char *source = NULL;
  HsRunOptions options;
  HsSnapshot *last;

  /* Lists of seven distinct ints, all sharing one list: about n objects */
  source = g_strdup_printf ("shared = []\n"
                            "rows = [[shared] + [1000 + i * 8 + k for k in range(6)] for i in range(%u)]\n"
                            "done = True\n", MAX (n_objects / 8, 1));
  g_assert (g_file_set_contents (path, source, -1, NULL));

  hs_run_options_init (&options);
  options.max_objects = n_objects * 2;
  options.max_elements = n_objects;
  trace = hs_runner_run_sync (runner, path, &options, &error);
  g_assert_no_error (error);
  last = hs_trace_get_snapshot (trace, hs_trace_get_n_steps (trace) - 1);
  g_unlink (path);
  g_rmdir (dir);
  return last;
}

static double
time_dot (HsLayout *layout)
{
  GVC_t *gvc = gvContext ();
  Agraph_t *g = agopen ((char *) "heap", Agdirected, NULL);
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  const HsLayoutBox *boxes;
  const HsLayoutEdge *edges;
  guint n_boxes, n_edges;
  gint64 start;
  double ms;

  agattr (g, AGRAPH, (char *) "rankdir", (char *) "LR");
  agattr (g, AGNODE, (char *) "shape", (char *) "box");
  agattr (g, AGNODE, (char *) "fixedsize", (char *) "true");
  agattr (g, AGNODE, (char *) "width", (char *) "1");
  agattr (g, AGNODE, (char *) "height", (char *) "1");

  /* The same boxes, at the same sizes, and the same arrows */
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      char name[32], w[32], h[32];
      Agnode_t *n;

      g_snprintf (name, sizeof name, "n%u", i);
      n = agnode (g, name, 1);
      g_ascii_dtostr (w, sizeof w, boxes[i].rect.width / 72);
      g_ascii_dtostr (h, sizeof h, boxes[i].rect.height / 72);
      agset (n, (char *) "width", w);
      agset (n, (char *) "height", h);
      g_ptr_array_add (nodes, n);
    }
  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint i = 0; i < n_edges; i++)
    agedge (g, g_ptr_array_index (nodes, edges[i].source), g_ptr_array_index (nodes, edges[i].target_box), NULL, 1);

  start = g_get_monotonic_time ();
  gvLayout (gvc, g, "dot");
  ms = (g_get_monotonic_time () - start) / 1000.0;
  gvFreeLayout (gvc, g);
  agclose (g);
  gvFreeContext (gvc);
  return ms;
}

int
main (int   argc,
      char *argv[])
{
  static const guint sizes[] = { 100, 1000, 5000 };
  gboolean skip_dot = argc > 1 && g_str_equal (argv[1], "--no-dot");

  g_print ("%8s %8s %12s %12s %12s %12s %12s\n",
           "objects", "boxes", "layout ms", "relayout ms", "render ms", "re-render", "dot ms");
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(HsSnapshot) snapshot = run_program (sizes[s]);
      g_autoptr(HsLayout) layout = NULL;
      HsLayoutOptions options;
      cairo_surface_t *surface;
      double fresh = G_MAXDOUBLE, again = G_MAXDOUBLE, first = 0, render = G_MAXDOUBLE, w, h, scale;
      guint n_objects, n_boxes;
      gint64 t;

      hs_snapshot_get_objects (snapshot, &n_objects);
      hs_layout_options_init (&options);
      options.max_cells = G_MAXUINT / 2;   /* draw every element */

      for (guint r = 0; r < REPEAT; r++)
        {
          g_autoptr(HsLayout) previous = NULL;

          t = g_get_monotonic_time ();
          previous = hs_layout_new (snapshot, NULL, &options);
          fresh = MIN (fresh, (g_get_monotonic_time () - t) / 1000.0);

          t = g_get_monotonic_time ();
          g_clear_pointer (&layout, hs_layout_unref);
          layout = hs_layout_new (snapshot, previous, &options);
          again = MIN (again, (g_get_monotonic_time () - t) / 1000.0);
        }
      hs_layout_get_boxes (layout, &n_boxes);

      /* The whole picture in one image, scaled down only past cairo's limit */
      hs_layout_get_size (layout, &w, &h);
      scale = MIN (1.0, 32000 / MAX (w, h));
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (w * scale), (int) ceil (h * scale));
      for (guint r = 0; r <= REPEAT; r++)
        {
          cairo_t *cr = cairo_create (surface);
          HsRenderOptions ro;
          double ms;

          hs_render_options_init (&ro);
          ro.scale = scale;
          t = g_get_monotonic_time ();
          hs_renderer_draw (cr, layout, &ro);
          cairo_surface_flush (surface);
          ms = (g_get_monotonic_time () - t) / 1000.0;
          cairo_destroy (cr);
          if (r == 0)
            first = ms;
          else
            render = MIN (render, ms);
        }
      cairo_surface_destroy (surface);

      if (skip_dot)
        g_print ("%8u %8u %12.1f %12.1f %12.1f %12.1f %12s\n", n_objects, n_boxes, fresh, again, first, render, "-");
      else
        g_print ("%8u %8u %12.1f %12.1f %12.1f %12.1f %12.1f\n", n_objects, n_boxes, fresh, again, first, render,
                 time_dot (layout));
      if (scale < 1)
        g_print ("%8s (drawn at scale %.2f to fit one %d-pixel image)\n", "", scale, 32000);
    }
  return 0;
}
