/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layout and render times for graphs of about 100, 1,000 and 5,000
 * objects, with Graphviz dot's layout time on the same graphs beside them.
 * Prints figures; it is not a test.
 *
 * Rendering is timed the three ways the picture is drawn:
 *  - a window-sized view (1280×800 at scale 1 and 2), as the graph widget
 *    draws the part it shows, at the slowest of several scroll positions;
 *  - the whole graph into a cairo recording surface, which is what the
 *    widget's cached render node costs to record;
 *  - the whole graph into one image, which only `heapscope render` does.
 *
 * Then, for every program in examples/ and tests/render/programs, the worst
 * ratio over its steps of the area of the layout laid out step after step
 * (as the window does) to that of the same step laid out fresh.
 *
 * With --program FILE.py, only the layout of that program's steps, each
 * from the one before as the window steps forward, in CPU ms a step: what
 * the window's layout thread spends on every move.  And, on each step's
 * layout, what the router spends on the arrows of boxes drawn over it:
 * the current frame's copy pinned at the corner of a view that leaves
 * the real frame out (the main thread's, on every move of the view), and
 * the hidden holders' boxes and arrows (the layout thread's, while they
 * are shown).
 */
#define G_LOG_DOMAIN "heapscope-bench-render"

#include "config.h"

#include <math.h>
#include <time.h>
#include <glib/gstdio.h>
#include <graphviz/gvc.h>

#include "bench-compare.h"
#include "hs-layout.h"
#include "hs-layout-holders.h"
#include "hs-layout-route.h"
#include "hs-renderer.h"
#include "hs-runner.h"

#define REPEAT      5
#define VIEW_WIDTH  1280
#define VIEW_HEIGHT 800
#define N_VIEWS     5   /* scroll positions down the graph */
#define N_VIEWS_X   3   /* and across it, when it is wider than the window */

/* Drawing is single-threaded, so on an idle machine its CPU time is its
 * wall time; CPU time stays true while other jobs share the machine. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* The snapshot's strings belong to the trace: keep *trace while the
 * snapshot is in use. */
static HsSnapshot *
run_program (guint     n_objects,
             HsTrace **out_trace)
{
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("heapscope-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "graph.py", NULL);
  g_autofree char *source = NULL;
  HsRunOptions options;
  HsSnapshot *last;

  /* Lists of six distinct ints, all sharing one list: seven objects a
   * row, so at least n objects in all */
  source = g_strdup_printf ("shared = []\n"
                            "rows = [[shared] + [1000 + i * 8 + k for k in range(6)] for i in range(%u)]\n"
                            "done = True\n", MAX ((n_objects + 6) / 7, 1));
  g_assert (g_file_set_contents (path, source, -1, NULL));

  hs_run_options_init (&options);
  options.max_objects = n_objects * 2;
  options.max_elements = n_objects;
  trace = hs_runner_run_sync (runner, path, &options, &error);
  g_assert_no_error (error);
  last = hs_trace_get_snapshot (trace, hs_trace_get_n_steps (trace) - 1);
  g_unlink (path);
  g_rmdir (dir);
  *out_trace = g_steal_pointer (&trace);
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

/* One frame of the widget: the view at (x, y) drawn into a window-sized
 * image at the given device scale, as GSK rasterizes it on a HiDPI screen. */
static double
time_view (HsLayout *layout,
           double    x,
           double    y,
           double    device_scale)
{
  cairo_surface_t *surface;
  double best = G_MAXDOUBLE;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                        VIEW_WIDTH * device_scale,
                                        VIEW_HEIGHT * device_scale);
  cairo_surface_set_device_scale (surface, device_scale, device_scale);
  for (guint r = 0; r < REPEAT; r++)
    {
      cairo_t *cr = cairo_create (surface);
      double t = cpu_ms ();

      cairo_translate (cr, -x, -y);
      hs_renderer_draw (cr, layout, NULL);
      cairo_surface_flush (surface);
      best = MIN (best, cpu_ms () - t);
      cairo_destroy (cr);
    }
  cairo_surface_destroy (surface);
  return best;
}

/* The slowest of a grid of scroll positions spread down and across the
 * graph; a graph no wider than the window has one column of them. */
static double
time_views (HsLayout *layout,
            double    device_scale)
{
  double w, h, worst = 0;
  guint n_x;

  hs_layout_get_size (layout, &w, &h);
  n_x = w > VIEW_WIDTH ? N_VIEWS_X : 1;
  for (guint v = 0; v < N_VIEWS; v++)
    for (guint u = 0; u < n_x; u++)
      {
        double x = n_x > 1 ? (w - VIEW_WIDTH) * u / (n_x - 1) : 0;
        double y = MAX (h - VIEW_HEIGHT, 0) * v / (N_VIEWS - 1);

        worst = MAX (worst, time_view (layout, x, y, device_scale));
      }
  return worst;
}

/* The widget's cached node: the whole graph recorded, unpainted below */
static double
time_recording (HsLayout *layout)
{
  double w, h, best = G_MAXDOUBLE;

  hs_layout_get_size (layout, &w, &h);
  for (guint r = 0; r < REPEAT; r++)
    {
      cairo_surface_t *surface;
      cairo_t *cr;
      HsRenderOptions ro;
      double t;

      /* Freeing the node it replaces is part of re-recording it */
      hs_render_options_init (&ro);
      ro.transparent = TRUE;
      t = cpu_ms ();
      surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA,
                                                &(cairo_rectangle_t) { 0, 0, w, h });
      cr = cairo_create (surface);
      hs_renderer_draw (cr, layout, &ro);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      best = MIN (best, cpu_ms () - t);
    }
  return best;
}

/* `heapscope render`: the whole picture in one image, scaled down only
 * past cairo's limit.  Returns the best time; *first gets the first. */
static double
time_export (HsLayout *layout,
             double   *first,
             double   *scale)
{
  cairo_surface_t *surface;
  double w, h, best = G_MAXDOUBLE;

  hs_layout_get_size (layout, &w, &h);
  *scale = MIN (1.0, 32000 / MAX (w, h));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (w * *scale), (int) ceil (h * *scale));
  for (guint r = 0; r <= REPEAT; r++)
    {
      cairo_t *cr = cairo_create (surface);
      HsRenderOptions ro;
      double ms, t;

      hs_render_options_init (&ro);
      ro.scale = *scale;
      t = cpu_ms ();
      hs_renderer_draw (cr, layout, &ro);
      cairo_surface_flush (surface);
      ms = cpu_ms () - t;
      cairo_destroy (cr);
      if (r == 0)
        *first = ms;
      else
        best = MIN (best, ms);
    }
  cairo_surface_destroy (surface);
  return best;
}

/* A digest of where every box and arrow is, so that two builds can show
 * they lay out the same graph identically */
static guint32
layout_digest (HsLayout *layout)
{
  const HsLayoutBox *boxes;
  const HsLayoutEdge *edges;
  guint n_boxes, n_edges;
  guint32 h = 2166136261u;

  g_assert (layout != NULL);

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint b = 0; b < n_boxes; b++)
    {
      const guint8 *p = (const guint8 *) &boxes[b].rect;

      for (gsize k = 0; k < sizeof boxes[b].rect; k++)
        h = (h ^ p[k]) * 16777619u;
    }
  for (guint e = 0; e < n_edges; e++)
    {
      const guint8 *p = (const guint8 *) edges[e].path;

      for (gsize k = 0; k < (1 + 3 * edges[e].n_curves) * sizeof (HsPoint); k++)
        h = (h ^ p[k]) * 16777619u;
    }
  return h;
}

/* The worst area(incremental) / area(fresh) over a program's steps;
 * *digest gets a digest of every step's layouts, both kinds */
/* g_ptr_array_sort() passes pointers to the elements */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static double
worst_area_ratio (const char *path,
                  guint      *worst_step,
                  guint32    *digest)
{
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsLayout) previous = NULL;
  g_autoptr(GHashTable) growing = NULL;
  HsLayoutOptions options;
  double worst = 0;

  trace = hs_runner_run_sync (runner, path, NULL, &error);
  if (trace == NULL)
    g_error ("%s: %s", path, error->message);
  /* as the window lays out a run that is over */
  hs_layout_options_init (&options);
  options.growing = growing = hs_trace_ref_growing (trace);
  for (guint i = 0; i < hs_trace_get_n_steps (trace); i++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, i);
      g_autoptr(HsLayout) layout = hs_layout_new (snapshot, previous, &options);
      g_autoptr(HsLayout) fresh = hs_layout_new (snapshot, NULL, &options);
      double iw, ih, fw, fh;

      *digest = *digest * 31 + layout_digest (layout);
      *digest = *digest * 31 + layout_digest (fresh);
      hs_layout_get_size (layout, &iw, &ih);
      hs_layout_get_size (fresh, &fw, &fh);
      if (iw * ih / (fw * fh) > worst)
        {
          worst = iw * ih / (fw * fh);
          *worst_step = i;
        }
      g_clear_pointer (&previous, hs_layout_unref);
      previous = g_steal_pointer (&layout);
    }
  return worst;
}

/* Times, on layout, the routing of the current frame's copy pinned at
 * the top left of a view that leaves the real frame out, where there is
 * such a view, into pinned, and the hidden holders into holders */
static void
time_overlays (HsLayout *layout,
               GArray   *pinned,
               GArray   *holders)
{
  const HsLayoutBox *boxes, *frame = NULL;
  guint n_boxes;
  double width, height, c, ms;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    if (boxes[b].kind == HS_LAYOUT_BOX_FRAME && boxes[b].current)
      frame = &boxes[b];
  hs_layout_get_size (layout, &width, &height);
  if (frame != NULL && width - (frame->rect.x + frame->rect.width + 1) >= frame->rect.width + 24)
    {
      HsRect view = { frame->rect.x + frame->rect.width + 1, 0, width - (frame->rect.x + frame->rect.width + 1), height };
      g_autoptr(HsLayoutOverlayArrows) route = NULL;

      c = cpu_ms ();
      route = hs_layout_overlay_arrows_new_from_frame (layout, frame, view.x + 12, view.y + 12, &view);
      ms = cpu_ms () - c;
      g_array_append_val (pinned, ms);
    }
  {
    g_autoptr(HsLayoutHolders) placed = NULL;

    c = cpu_ms ();
    placed = hs_layout_holders_new (layout);
    ms = cpu_ms () - c;
    g_array_append_val (holders, ms);
  }
}

/* Every step laid out from the step before, as the window does when
 * stepping forward, with the window's options for a fresh run */
static void
print_program_steps (const char *path)
{
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsLayout) previous = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) pinned = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) holders = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GHashTable) growing = NULL;
  guint n_steps, most_objects = 0;
  guint32 digest = 0;
  double total = 0;

  trace = hs_runner_run_sync (runner, path, NULL, &error);
  if (trace == NULL)
    g_error ("%s: %s", path, error->message);
  n_steps = hs_trace_get_n_steps (trace);
  growing = hs_trace_ref_growing (trace);
  for (guint i = 0; i < n_steps; i++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, i);
      g_autoptr(HsLayout) layout = NULL;
      HsLayoutOptions options;
      guint n_objects;
      double c, ms;

      hs_snapshot_get_objects (snapshot, &n_objects);
      most_objects = MAX (most_objects, n_objects);
      hs_layout_options_init (&options);
      options.step_before = previous != NULL ? hs_layout_get_snapshot (previous) : NULL;
      options.growing = growing;
      c = cpu_ms ();
      layout = hs_layout_new (snapshot, previous, &options);
      ms = cpu_ms () - c;
      total += ms;
      g_array_append_val (times, ms);
      digest = digest * 31 + layout_digest (layout);
      time_overlays (layout, pinned, holders);
      g_clear_pointer (&previous, hs_layout_unref);
      previous = g_steal_pointer (&layout);
    }
  if (n_steps == 0)
    {
      g_print ("%s: no steps\n", path);
      return;
    }
  g_array_sort (times, bench_compare_doubles);
  g_print ("%s: %u steps, up to %u objects a step; layout CPU ms a step: median %.2f, 90th percentile %.2f, "
           "slowest %.2f; all steps %.0f; digest %08x\n", path, n_steps, most_objects,
           g_array_index (times, double, n_steps / 2), g_array_index (times, double, n_steps * 9 / 10),
           g_array_index (times, double, n_steps - 1), total, digest);
  g_array_sort (pinned, bench_compare_doubles);
  g_array_sort (holders, bench_compare_doubles);
  if (pinned->len > 0)
    g_print ("%s: the pinned copy's arrows routed at %u steps, CPU ms: median %.3f, slowest %.3f\n", path,
             pinned->len, g_array_index (pinned, double, pinned->len / 2), g_array_index (pinned, double, pinned->len - 1));
  g_print ("%s: the hidden holders laid out and routed, CPU ms a step: median %.3f, slowest %.3f\n", path,
           g_array_index (holders, double, holders->len / 2), g_array_index (holders, double, holders->len - 1));
}

static void
print_area_ratios (void)
{
  static const char * const dirs[] = { HS_BENCH_EXAMPLES, HS_BENCH_PROGRAMS };
  double worst = 0;

  g_print ("\n%-24s %12s %6s %10s\n", "program", "area ratio", "step", "digest");
  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autoptr(GDir) dir = g_dir_open (dirs[d], 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".py"))
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, compare_names);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *path = g_build_filename (dirs[d], g_ptr_array_index (names, i), NULL);
          g_autofree char *base = g_path_get_basename (dirs[d]);
          g_autofree char *label = g_build_filename (base, g_ptr_array_index (names, i), NULL);
          guint step = 0;
          guint32 digest = 0;
          double ratio = worst_area_ratio (path, &step, &digest);

          worst = MAX (worst, ratio);
          g_print ("%-24s %12.2f %6u   %08x\n", label, ratio, step, digest);
        }
    }
  g_print ("%-24s %12.2f\n", "worst", worst);
}

int
main (int   argc,
      char *argv[])
{
  static const guint sizes[] = { 100, 1000, 5000 };
  gboolean skip_dot = FALSE, layout_only = FALSE, views_only = FALSE;

  /* --no-dot: without Graphviz's times; --layout-only: only our layout's,
   * to compare two builds' layout quickly; --views-only: the layout and
   * the views, not the record, the export nor the programs, to profile
   * drawing a view; --digests: only the programs' area ratios and
   * digests, to check quickly that a change lays out nothing otherwise */
  for (int a = 1; a < argc; a++)
    if (g_str_equal (argv[a], "--no-dot"))
      skip_dot = TRUE;
    else if (g_str_equal (argv[a], "--layout-only"))
      layout_only = skip_dot = TRUE;
    else if (g_str_equal (argv[a], "--views-only"))
      views_only = skip_dot = TRUE;
    else if (g_str_equal (argv[a], "--digests"))
      {
        print_area_ratios ();
        return 0;
      }
    else if (g_str_equal (argv[a], "--program") && a + 1 < argc)
      {
        print_program_steps (argv[a + 1]);
        return 0;
      }

  g_print ("Best of %d runs; layout in wall ms (with --layout-only, then in CPU ms: it runs on one thread), drawing in CPU ms.  view: %dx%d window, slowest of %d scroll positions down (times %d across wide graphs).\n"
           "record: whole graph into a recording surface (the widget's cached node).\n"
           "export: whole graph into one image (first draw, then again).\n\n",
           REPEAT, VIEW_WIDTH, VIEW_HEIGHT, N_VIEWS, N_VIEWS_X);
  g_print ("%7s %6s %8s %8s %8s %9s %9s %8s %8s %8s %10s\n",
           "objects", "boxes", "layout", "relayout", "dot",
           "view @1x", "view @2x", "record", "export-1", "export", "size");
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(HsTrace) trace = NULL;
      g_autoptr(HsSnapshot) snapshot = run_program (sizes[s], &trace);
      g_autoptr(HsLayout) layout = NULL;
      g_autofree char *dot = NULL;
      g_autofree char *size = NULL;
      HsLayoutOptions options;
      double fresh = G_MAXDOUBLE, again = G_MAXDOUBLE, fresh_cpu = G_MAXDOUBLE, again_cpu = G_MAXDOUBLE, view1, view2, record, first = 0, export, scale = 1, w, h;
      guint n_objects, n_boxes;
      gint64 t;

      hs_snapshot_get_objects (snapshot, &n_objects);
      hs_layout_options_init (&options);
      options.max_cells = G_MAXUINT / 2;   /* draw every element */

      for (guint r = 0; r < REPEAT; r++)
        {
          g_autoptr(HsLayout) previous = NULL;
          double c;

          t = g_get_monotonic_time ();
          c = cpu_ms ();
          previous = hs_layout_new (snapshot, NULL, &options);
          fresh_cpu = MIN (fresh_cpu, cpu_ms () - c);
          fresh = MIN (fresh, (g_get_monotonic_time () - t) / 1000.0);

          g_clear_pointer (&layout, hs_layout_unref);
          t = g_get_monotonic_time ();
          c = cpu_ms ();
          layout = hs_layout_new (snapshot, previous, &options);
          again_cpu = MIN (again_cpu, cpu_ms () - c);
          again = MIN (again, (g_get_monotonic_time () - t) / 1000.0);
        }
      hs_layout_get_boxes (layout, &n_boxes);
      hs_layout_get_size (layout, &w, &h);
      if (layout_only)
        {
          g_print ("%7u %6u %8.1f %8.1f   CPU %8.1f %8.1f   digest %08x\n", n_objects, n_boxes, fresh, again,
                   fresh_cpu, again_cpu, layout_digest (layout));
          continue;
        }

      /* The export first: its first draw is the one that shapes the text */
      export = views_only ? 0 : time_export (layout, &first, &scale);
      view1 = time_views (layout, 1);
      view2 = time_views (layout, 2);
      record = views_only ? 0 : time_recording (layout);
      dot = skip_dot ? g_strdup ("-") : g_strdup_printf ("%.1f", time_dot (layout));
      size = g_strdup_printf ("%.0fx%.0f", w, h);

      g_print ("%7u %6u %8.1f %8.1f %8s %9.2f %9.2f %8.1f %8.1f %8.1f %10s\n",
               n_objects, n_boxes, fresh, again, dot, view1, view2, record, first, export, size);
      if (scale < 1)
        g_print ("%7s (export drawn at scale %.2f to fit one %d-pixel image)\n", "", scale, 32000);
    }
  if (!views_only)
    print_area_ratios ();
  return 0;
}
