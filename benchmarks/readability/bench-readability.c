/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How readable the pictures are (issue 47), ours beside Graphviz dot's of
 * the same graphs.  For every program of the corpus, the examples and the
 * lessons, each step is laid out as the window lays it out, stepping
 * forward, and exported as DOT for dot to lay out; both pictures are then
 * measured alike:
 *  - arrows drawn, and pairs of arrows that cross (bench-crossings.h);
 *  - picture area per object: width × height over the frames and objects
 *    shown, as boxes or as values in slots, the same count for both;
 *  - whether the whole picture fits the graph view of a 1024×600 window
 *    (713×449 px) at a zoom that keeps its smallest text at 9 px or more;
 *  - stability: how far the boxes of the frames and objects that live
 *    through two consecutive steps move between them (top left corners,
 *    from the picture's top left), and the share of steps where any moves.
 * Printed for each program's last step and as the mean over its steps.
 * Prints figures; it is not a test.
 *
 * With --memory-graph DIR, each program's last step is also compared
 * with memory_graph's picture of the program's end (DIR/NAME.gv, written
 * by memory-graph-dot.py), laid out by dot and measured as dot's picture
 * of ours is, its text at the size memory_graph gives it.
 *
 * Our layout is asked for every object (--every-object) or values in
 * their slots (the default) through HsLayoutOptions.every_object.
 */
#define G_LOG_DOMAIN "heapscope-bench-readability"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "bench-crossings.h"
#include "bench-dot.h"
#include "hs-layout.h"
#include "hs-renderer.h"
#include "hs-runner.h"

/* The graph view in a 1024×600 window (docs/rendering.md) */
#define VIEW_WIDTH  713.0
#define VIEW_HEIGHT 449.0
/* dot's bounding box is tight; our layout keeps this margin around it */
#define DOT_MARGIN  24.0
/* The name of memory_graph's line in the table, right-aligned across its
 * program, steps, objects and picture columns */
#define MEMORY_GRAPH_NAME "memory_graph"
#define TABLE_LEFT        (34 + 1 + 5 + 1 + 4 + 1 + 4)

enum { OURS, DOT, N_PICTURES };

static const char * const picture_names[N_PICTURES] = { "ours", "dot" };

typedef struct
{
  guint    arrows;
  guint    crossings;
  double   area_per_object;
  gboolean fits;
} Figures;

typedef struct
{
  char    *label;
  char    *error;           /* why it was not measured, or NULL */
  guint    n_steps;
  guint    n_measured;
  guint    objects_last;
  Figures  last[N_PICTURES];
  gboolean memory_graph_measured;
  Figures  memory_graph;            /* its picture of the last step */
  char    *memory_graph_error;      /* why it was not measured, or NULL */
  double   mean_arrows[N_PICTURES];
  double   mean_crossings[N_PICTURES];
  double   mean_area[N_PICTURES];
  guint    n_fit[N_PICTURES];
  guint    n_pairs;                 /* consecutive steps both measured */
  guint    n_survivors;             /* boxes in both steps of a pair, summed */
  double   moved[N_PICTURES];       /* their moves, summed */
  guint    n_pairs_moved[N_PICTURES]; /* pairs where any of them moved */
} Program;

typedef struct
{
  BenchDotOptions dot;
  const char     *dot_program;
  const char     *dump_dot;   /* a folder for each program's last step as DOT, or NULL */
  const char     *memory_graph; /* a folder of memory_graph's DOT of each program, or NULL */
  gboolean        print_steps; /* a line a step measured, on stderr */
  guint           max_steps;
  double          view_width;
  double          view_height;
} Settings;

typedef struct
{
  guint  n_programs;        /* measured */
  guint  n_steps;
  guint  arrows[N_PICTURES];      /* sums over the programs' last steps */
  guint  crossings[N_PICTURES];
  double mean_crossings[N_PICTURES];  /* sum of the programs' means */
  guint  n_fit_last[N_PICTURES];
  guint  n_fit_steps[N_PICTURES];
  guint  n_pairs;
  guint  n_survivors;
  double moved[N_PICTURES];
  guint  n_pairs_moved[N_PICTURES];
  guint  ours_at_most_dot;  /* programs whose last step has no more crossings than dot's */
  guint  fits_where_dot;    /* ... that fits wherever dot's fits */
  guint  n_memory_graph;    /* programs measured with memory_graph's picture too */
  guint  memory_graph_arrows;
  guint  memory_graph_crossings;
  guint  memory_graph_fit;
  guint  ours_at_most_memory_graph;
  guint  fits_where_memory_graph;
} Totals;

static void
program_free (Program *p)
{
  g_free (p->label);
  g_free (p->error);
  g_free (p->memory_graph_error);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Program, program_free)

static const char *
yes_no (gboolean yes)
{
  return yes ? "yes" : "no";
}

static gboolean
fits_view (double          width,
           double          height,
           double          smallest_text,
           const Settings *settings)
{
  double scale;

  g_assert (settings != NULL);

  scale = MIN (settings->view_width / width, settings->view_height / height);
  return scale * smallest_text >= HS_RENDERER_READABLE_PX;
}

/* Where each frame and object's box stands: bench_dot_node_name () to its
 * top left corner, from the picture's top left, as a pair of doubles */
static GHashTable *
positions_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
positions_add (GHashTable *positions,
               char       *name,
               double      x,
               double      y)
{
  double *at = g_new (double, 2);

  at[0] = x;
  at[1] = y;
  g_hash_table_replace (positions, name, at);
}

static GHashTable *
positions_of_layout (HsLayout *layout)
{
  GHashTable *positions = positions_new ();
  const HsLayoutBox *boxes;
  guint n_boxes;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    if (boxes[b].kind != HS_LAYOUT_BOX_GHOST)
      positions_add (positions, bench_dot_node_name (&boxes[b]), boxes[b].rect.x, boxes[b].rect.y);
  return positions;
}

static GHashTable *
positions_of_dot (const BenchDotPicture *picture)
{
  GHashTable *positions = positions_new ();

  /* dot's y runs upwards from the bounding box's bottom */
  for (guint b = 0; b < picture->boxes->len; b++)
    {
      const BenchRect *r = &g_array_index (picture->boxes, BenchRect, b);
      const char *name = g_ptr_array_index (picture->names, b);

      if (name != NULL && name[0] != '\0')
        positions_add (positions, g_strdup (name), r->x - picture->left, picture->top - (r->y + r->height));
    }
  return positions;
}

/* Adds how far the boxes in both steps moved from before to now */
static void
add_moves (Program    *program,
           guint       k,
           GHashTable *before,
           GHashTable *now)
{
  GHashTableIter iter;
  gpointer name, at;
  gboolean any = FALSE;

  g_hash_table_iter_init (&iter, now);
  while (g_hash_table_iter_next (&iter, &name, &at))
    {
      const double *a = at, *b = g_hash_table_lookup (before, name);
      double d;

      if (b == NULL)
        continue;
      d = hypot (a[0] - b[0], a[1] - b[1]);
      program->moved[k] += d;
      any |= d >= 0.5;
      if (k == OURS)
        program->n_survivors++;
    }
  program->n_pairs_moved[k] += any;
}

static void
measure_ours (HsLayout       *layout,
              guint           n_objects,
              const Settings *settings,
              Figures        *out)
{
  guint n_edges;
  double width, height;

  g_assert (layout != NULL && out != NULL);

  hs_layout_get_edges (layout, &n_edges);
  hs_layout_get_size (layout, &width, &height);
  out->arrows = n_edges;
  out->crossings = bench_dot_count_layout_crossings (layout);
  out->area_per_object = width * height / MAX (n_objects, 1);
  out->fits = fits_view (width, height, hs_layout_text_smallest_size (), settings);
}

/* A picture dot drew, whoever wrote its DOT, with its text at
 * smallest_text or larger */
static void
measure_dot_picture (const BenchDotPicture *picture,
                     guint                  n_objects,
                     double                 smallest_text,
                     const Settings        *settings,
                     Figures               *out)
{
  double width, height;

  g_assert (picture != NULL && settings != NULL && out != NULL);

  width = picture->width + 2 * DOT_MARGIN;
  height = picture->height + 2 * DOT_MARGIN;
  out->arrows = picture->paths->len;
  out->crossings = bench_count_crossings ((const BenchPath *) picture->paths->data, picture->paths->len,
                                          (const BenchRect *) picture->boxes->data, picture->boxes->len);
  out->area_per_object = width * height / MAX (n_objects, 1);
  out->fits = fits_view (width, height, smallest_text, settings);
}

static gboolean
measure_dot (HsLayout       *layout,
             guint           n_objects,
             const Settings *settings,
             Figures        *out,
             char          **dot_text,
             GHashTable    **positions,
             GError        **error)
{
  g_autoptr(BenchDotPicture) picture = NULL;
  g_autofree char *text = bench_dot_export (layout, &settings->dot);

  g_assert (layout != NULL && out != NULL);

  picture = bench_dot_layout (settings->dot_program, text, error);
  if (picture == NULL)
    return FALSE;
  /* Every label of our export is drawn at one size */
  measure_dot_picture (picture, n_objects, settings->dot.font_size, settings, out);
  if (dot_text != NULL)
    *dot_text = g_steal_pointer (&text);
  if (positions != NULL)
    *positions = positions_of_dot (picture);
  return TRUE;
}

/* memory_graph's picture of the program labelled label, from
 * settings->memory_graph: "corpus/bst.py" is in corpus-bst.gv.  Its text
 * is judged at the smallest size dot draws any of it in, the size
 * memory_graph asks for (14 pt, graphviz's default, unless configured) */
static gboolean
measure_memory_graph (const char     *label,
                      guint           n_objects,
                      const Settings *settings,
                      Figures        *out,
                      GError        **error)
{
  g_autofree char *stem = g_strdelimit (g_strdup (label), "/", '-');
  g_autofree char *name = NULL;
  g_autofree char *file = NULL;
  g_autofree char *text = NULL;
  g_autoptr(BenchDotPicture) picture = NULL;

  g_assert (label != NULL && settings != NULL && settings->memory_graph != NULL);

  if (g_str_has_suffix (stem, ".py"))
    stem[strlen (stem) - 3] = '\0';
  name = g_strconcat (stem, ".gv", NULL);
  file = g_build_filename (settings->memory_graph, name, NULL);
  if (!g_file_get_contents (file, &text, NULL, error))
    return FALSE;
  picture = bench_dot_layout (settings->dot_program, text, error);
  if (picture == NULL)
    return FALSE;
  measure_dot_picture (picture, n_objects, picture->smallest_text, settings, out);
  return TRUE;
}

/* Whether step i of n is one of the max evenly spread ones measured
 * (max 0: all), the last always among them */
static gboolean
is_measured (guint i,
             guint n,
             guint max)
{
  if (max == 0 || n <= max)
    return TRUE;
  if (i == n - 1)
    return TRUE;
  /* steps round(k (n - 1) / (max - 1)) */
  for (guint k = 0; k + 1 < max; k++)
    if ((guint) floor ((double) k * (n - 1) / (max - 1) + 0.5) == i)
      return TRUE;
  return FALSE;
}

static Program *
measure_program (const char     *path,
                 const char     *label,
                 const Settings *settings)
{
  g_autoptr(Program) program = g_new0 (Program, 1);
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsLayout) previous = NULL;
  g_autoptr(GHashTable) growing = NULL;
  g_autofree char *last_dot = NULL;
  GHashTable *before[N_PICTURES] = { NULL };
  guint before_step = 0;

  program->label = g_strdup (label);
  trace = hs_runner_run_sync (runner, path, NULL, &error);
  if (trace == NULL)
    {
      program->error = g_strdup (error->message);
      return g_steal_pointer (&program);
    }
  program->n_steps = hs_trace_get_n_steps (trace);
  if (program->n_steps == 0)
    {
      program->error = g_strdup_printf ("no steps (%s)", hs_trace_get_status (trace));
      return g_steal_pointer (&program);
    }
  growing = hs_trace_ref_growing (trace);
  for (guint i = 0; i < program->n_steps; i++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, i);
      g_autoptr(HsLayout) layout = NULL;
      HsLayoutOptions options;
      Figures figures[N_PICTURES];
      GHashTable *now[N_PICTURES] = { NULL };
      guint n_objects;

      /* As the window lays out a run that is over, stepping forward */
      hs_layout_options_init (&options);
      options.step_before = previous != NULL ? hs_layout_get_snapshot (previous) : NULL;
      options.growing = growing;
      options.every_object = settings->dot.every_object;
      layout = hs_layout_new (snapshot, previous, &options);
      g_clear_pointer (&previous, hs_layout_unref);
      previous = hs_layout_ref (layout);
      if (!is_measured (i, program->n_steps, settings->max_steps))
        continue;

      n_objects = bench_dot_count_objects (layout);
      measure_ours (layout, n_objects, settings, &figures[OURS]);
      g_clear_pointer (&last_dot, g_free);
      if (!measure_dot (layout, n_objects, settings, &figures[DOT], &last_dot, &now[DOT], &error))
        {
          for (guint k = 0; k < N_PICTURES; k++)
            g_clear_pointer (&before[k], g_hash_table_unref);
          program->error = g_strdup_printf ("step %u: %s", i, error->message);
          return g_steal_pointer (&program);
        }
      if (settings->print_steps)
        g_printerr ("%s step %u: %u objects; ours %u arrows, %u crossing pairs, fits %s; dot %u, %u, %s\n",
                    label, i, n_objects, figures[OURS].arrows, figures[OURS].crossings,
                    yes_no (figures[OURS].fits), figures[DOT].arrows, figures[DOT].crossings,
                    yes_no (figures[DOT].fits));
      now[OURS] = positions_of_layout (layout);
      if (before[OURS] != NULL && before_step + 1 == i)
        {
          program->n_pairs++;
          for (guint k = 0; k < N_PICTURES; k++)
            add_moves (program, k, before[k], now[k]);
        }
      for (guint k = 0; k < N_PICTURES; k++)
        {
          g_clear_pointer (&before[k], g_hash_table_unref);
          before[k] = g_steal_pointer (&now[k]);
        }
      before_step = i;
      program->n_measured++;
      program->objects_last = n_objects;
      for (guint k = 0; k < N_PICTURES; k++)
        {
          program->last[k] = figures[k];
          program->mean_arrows[k] += figures[k].arrows;
          program->mean_crossings[k] += figures[k].crossings;
          program->mean_area[k] += figures[k].area_per_object;
          program->n_fit[k] += figures[k].fits;
        }
    }
  for (guint k = 0; k < N_PICTURES; k++)
    {
      g_clear_pointer (&before[k], g_hash_table_unref);
      program->mean_arrows[k] /= program->n_measured;
      program->mean_crossings[k] /= program->n_measured;
      program->mean_area[k] /= program->n_measured;
    }

  if (settings->memory_graph != NULL)
    {
      program->memory_graph_measured = measure_memory_graph (label, program->objects_last, settings,
                                                             &program->memory_graph, &error);
      if (!program->memory_graph_measured)
        {
          program->memory_graph_error = g_strdup (error->message);
          g_clear_error (&error);
        }
    }

  if (settings->dump_dot != NULL && last_dot != NULL)
    {
      g_autofree char *name = g_strdelimit (g_strdup_printf ("%s.dot", label), "/", '-');
      g_autofree char *file = g_build_filename (settings->dump_dot, name, NULL);

      if (g_mkdir_with_parents (settings->dump_dot, 0777) != 0 || !g_file_set_contents (file, last_dot, -1, &error))
        g_printerr ("cannot write %s: %s\n", file, error != NULL ? error->message : g_strerror (errno));
    }
  return g_steal_pointer (&program);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Every .py in dir, by name: [path, label] pairs */
static void
add_folder (GPtrArray  *inputs,
            const char *dir,
            const char *label)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert (inputs != NULL);

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".py"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_ptr_array_add (inputs, g_build_filename (dir, g_ptr_array_index (names, i), NULL));
      g_ptr_array_add (inputs, g_strdup_printf ("%s/%s", label, (char *) g_ptr_array_index (names, i)));
    }
}

static void
add_up (GPtrArray *programs,
        Totals    *t)
{
  g_assert (programs != NULL && t != NULL);

  memset (t, 0, sizeof *t);
  for (guint i = 0; i < programs->len; i++)
    {
      const Program *p = g_ptr_array_index (programs, i);

      if (p->error != NULL)
        continue;
      t->n_programs++;
      t->n_steps += p->n_measured;
      for (guint k = 0; k < N_PICTURES; k++)
        {
          t->arrows[k] += p->last[k].arrows;
          t->crossings[k] += p->last[k].crossings;
          t->mean_crossings[k] += p->mean_crossings[k];
          t->n_fit_last[k] += p->last[k].fits;
          t->n_fit_steps[k] += p->n_fit[k];
        }
      t->n_pairs += p->n_pairs;
      t->n_survivors += p->n_survivors;
      for (guint k = 0; k < N_PICTURES; k++)
        {
          t->moved[k] += p->moved[k];
          t->n_pairs_moved[k] += p->n_pairs_moved[k];
        }
      t->ours_at_most_dot += p->last[OURS].crossings <= p->last[DOT].crossings;
      t->fits_where_dot += p->last[OURS].fits || !p->last[DOT].fits;
      if (!p->memory_graph_measured)
        continue;
      t->n_memory_graph++;
      t->memory_graph_arrows += p->memory_graph.arrows;
      t->memory_graph_crossings += p->memory_graph.crossings;
      t->memory_graph_fit += p->memory_graph.fits;
      t->ours_at_most_memory_graph += p->last[OURS].crossings <= p->memory_graph.crossings;
      t->fits_where_memory_graph += p->last[OURS].fits || !p->memory_graph.fits;
    }
}

static void
print_table (GPtrArray      *programs,
             const Settings *settings,
             gboolean        ours_every_object)
{
  Totals t;

  g_print ("Scalars: %s.  Ours: %s.  Fits: the whole picture in %.0fx%.0f px with its smallest text at %.0f px or more "
           "(ours %.2f px at zoom 1, dot's labels %.2f%s).\n"
           "Last step, then the mean over the steps measured (~).  area: width x height / objects shown, in units^2.\n"
           "move~: how far a box that lives through two consecutive steps moves between them, on average, in units; "
           "moved%%: the share of such pairs of steps where any box moves.\n\n",
           settings->dot.every_object ? "every object a node (--every-object)" : "in their slots",
           ours_every_object ? "every object a box (every_object set)"
                             : settings->dot.every_object ? "every_object set" : "every_object unset",
           settings->view_width, settings->view_height, HS_RENDERER_READABLE_PX,
           hs_layout_text_smallest_size (), settings->dot.font_size,
           settings->memory_graph != NULL ? ", memory_graph's the smallest it asks for" : "");
  g_print ("%-34s %5s %4s %4s | %6s %6s %6s %8s %8s %4s %5s %6s %6s\n", "program", "steps", "objs", "", "arrows", "cross",
           "cross~", "area", "area~", "fits", "fit%", "move~", "moved%");
  for (guint i = 0; i < programs->len; i++)
    {
      const Program *p = g_ptr_array_index (programs, i);

      if (p->error != NULL)
        {
          g_print ("%-34s failed: %s\n", p->label, p->error);
          continue;
        }
      for (guint k = 0; k < N_PICTURES; k++)
        {
          g_autofree char *steps = k == OURS ? (p->n_measured < p->n_steps
                                                ? g_strdup_printf ("%u/%u", p->n_measured, p->n_steps)
                                                : g_strdup_printf ("%u", p->n_steps))
                                             : g_strdup ("");
          g_autofree char *objects = k == OURS ? g_strdup_printf ("%u", p->objects_last) : g_strdup ("");

          g_print ("%-34s %5s %4s %4s | %6u %6u %6.1f %8.0f %8.0f %4s %4.0f%% %6.1f %5.0f%%\n", k == OURS ? p->label : "",
                   steps, objects, picture_names[k], p->last[k].arrows, p->last[k].crossings,
                   p->mean_crossings[k], p->last[k].area_per_object, p->mean_area[k], yes_no (p->last[k].fits),
                   100.0 * p->n_fit[k] / p->n_measured, p->moved[k] / MAX (p->n_survivors, 1),
                   100.0 * p->n_pairs_moved[k] / MAX (p->n_pairs, 1));
        }
      if (p->memory_graph_measured)
        g_print ("%*s | %6u %6u %6s %8.0f %8s %4s\n", TABLE_LEFT, MEMORY_GRAPH_NAME, p->memory_graph.arrows,
                 p->memory_graph.crossings, "", p->memory_graph.area_per_object, "", yes_no (p->memory_graph.fits));
      else if (p->memory_graph_error != NULL)
        g_print ("%*s | not measured: %s\n", TABLE_LEFT, MEMORY_GRAPH_NAME, p->memory_graph_error);
    }

  add_up (programs, &t);
  g_print ("\n%-34s %5u %4s %4s | %6s %6s %6s %8s %8s %4s %5s %6s %6s\n", "total", t.n_steps, "", "", "arrows", "cross",
           "cross~", "", "", "fits", "fit%", "move~", "moved%");
  for (guint k = 0; k < N_PICTURES; k++)
    g_print ("%-34s %5s %4s %4s | %6u %6u %6.0f %8s %8s %4u %4.0f%% %6.1f %5.0f%%\n", "", "", "", picture_names[k], t.arrows[k],
             t.crossings[k], t.mean_crossings[k], "", "", t.n_fit_last[k],
             t.n_steps > 0 ? 100.0 * t.n_fit_steps[k] / t.n_steps : 0, t.moved[k] / MAX (t.n_survivors, 1),
             100.0 * t.n_pairs_moved[k] / MAX (t.n_pairs, 1));
  if (settings->memory_graph != NULL)
    g_print ("%*s | %6u %6u %6s %8s %8s %4u\n", TABLE_LEFT, MEMORY_GRAPH_NAME, t.memory_graph_arrows,
             t.memory_graph_crossings, "", "", "", t.memory_graph_fit);
  g_print ("\nLast steps with no more crossings than dot's: %u of %u programs; that fit where dot's fit: %u of %u.\n",
           t.ours_at_most_dot, t.n_programs, t.fits_where_dot, t.n_programs);
  if (settings->memory_graph != NULL)
    g_print ("Last steps with no more crossings than memory_graph's: %u of %u; that fit where memory_graph's fit: %u of %u "
             "(programs memory_graph drew).\n",
             t.ours_at_most_memory_graph, t.n_memory_graph, t.fits_where_memory_graph, t.n_memory_graph);
}

static void
add_figures (JsonBuilder   *b,
             const Program *p,
             guint          k)
{
  g_assert (JSON_IS_BUILDER (b) && p != NULL && k < N_PICTURES);

  json_builder_set_member_name (b, picture_names[k]);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "arrows");
  json_builder_add_int_value (b, p->last[k].arrows);
  json_builder_set_member_name (b, "crossings");
  json_builder_add_int_value (b, p->last[k].crossings);
  json_builder_set_member_name (b, "area_per_object");
  json_builder_add_double_value (b, p->last[k].area_per_object);
  json_builder_set_member_name (b, "fits");
  json_builder_add_boolean_value (b, p->last[k].fits);
  json_builder_set_member_name (b, "mean_arrows");
  json_builder_add_double_value (b, p->mean_arrows[k]);
  json_builder_set_member_name (b, "mean_crossings");
  json_builder_add_double_value (b, p->mean_crossings[k]);
  json_builder_set_member_name (b, "mean_area_per_object");
  json_builder_add_double_value (b, p->mean_area[k]);
  json_builder_set_member_name (b, "fit_share");
  json_builder_add_double_value (b, (double) p->n_fit[k] / p->n_measured);
  json_builder_set_member_name (b, "mean_move");
  json_builder_add_double_value (b, p->moved[k] / MAX (p->n_survivors, 1));
  json_builder_set_member_name (b, "moved_share");
  json_builder_add_double_value (b, (double) p->n_pairs_moved[k] / MAX (p->n_pairs, 1));
  json_builder_end_object (b);
}

static void
print_json (GPtrArray      *programs,
            const Settings *settings,
            gboolean        ours_every_object)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  Totals t;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "every_object");
  json_builder_add_boolean_value (b, settings->dot.every_object);
  json_builder_set_member_name (b, "ours_every_object");
  json_builder_add_boolean_value (b, ours_every_object);
  json_builder_set_member_name (b, "view");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, settings->view_width);
  json_builder_add_double_value (b, settings->view_height);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "programs");
  json_builder_begin_array (b);
  for (guint i = 0; i < programs->len; i++)
    {
      const Program *p = g_ptr_array_index (programs, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "program");
      json_builder_add_string_value (b, p->label);
      if (p->error != NULL)
        {
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, p->error);
        }
      else
        {
          json_builder_set_member_name (b, "steps");
          json_builder_add_int_value (b, p->n_steps);
          json_builder_set_member_name (b, "steps_measured");
          json_builder_add_int_value (b, p->n_measured);
          json_builder_set_member_name (b, "objects");
          json_builder_add_int_value (b, p->objects_last);
          for (guint k = 0; k < N_PICTURES; k++)
            add_figures (b, p, k);
          if (p->memory_graph_measured)
            {
              json_builder_set_member_name (b, MEMORY_GRAPH_NAME);
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "arrows");
              json_builder_add_int_value (b, p->memory_graph.arrows);
              json_builder_set_member_name (b, "crossings");
              json_builder_add_int_value (b, p->memory_graph.crossings);
              json_builder_set_member_name (b, "area_per_object");
              json_builder_add_double_value (b, p->memory_graph.area_per_object);
              json_builder_set_member_name (b, "fits");
              json_builder_add_boolean_value (b, p->memory_graph.fits);
              json_builder_end_object (b);
            }
          else if (p->memory_graph_error != NULL)
            {
              json_builder_set_member_name (b, "memory_graph_error");
              json_builder_add_string_value (b, p->memory_graph_error);
            }
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  add_up (programs, &t);
  json_builder_set_member_name (b, "totals");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "programs");
  json_builder_add_int_value (b, t.n_programs);
  json_builder_set_member_name (b, "steps_measured");
  json_builder_add_int_value (b, t.n_steps);
  for (guint k = 0; k < N_PICTURES; k++)
    {
      json_builder_set_member_name (b, picture_names[k]);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "arrows");
      json_builder_add_int_value (b, t.arrows[k]);
      json_builder_set_member_name (b, "crossings");
      json_builder_add_int_value (b, t.crossings[k]);
      json_builder_set_member_name (b, "sum_of_mean_crossings");
      json_builder_add_double_value (b, t.mean_crossings[k]);
      json_builder_set_member_name (b, "last_steps_that_fit");
      json_builder_add_int_value (b, t.n_fit_last[k]);
      json_builder_set_member_name (b, "fit_share");
      json_builder_add_double_value (b, t.n_steps > 0 ? (double) t.n_fit_steps[k] / t.n_steps : 0);
      json_builder_set_member_name (b, "mean_move");
      json_builder_add_double_value (b, t.moved[k] / MAX (t.n_survivors, 1));
      json_builder_set_member_name (b, "moved_share");
      json_builder_add_double_value (b, (double) t.n_pairs_moved[k] / MAX (t.n_pairs, 1));
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "ours_crossings_at_most_dots");
  json_builder_add_int_value (b, t.ours_at_most_dot);
  json_builder_set_member_name (b, "ours_fits_where_dots_fits");
  json_builder_add_int_value (b, t.fits_where_dot);
  if (settings->memory_graph != NULL)
    {
      json_builder_set_member_name (b, MEMORY_GRAPH_NAME);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "programs");
      json_builder_add_int_value (b, t.n_memory_graph);
      json_builder_set_member_name (b, "arrows");
      json_builder_add_int_value (b, t.memory_graph_arrows);
      json_builder_set_member_name (b, "crossings");
      json_builder_add_int_value (b, t.memory_graph_crossings);
      json_builder_set_member_name (b, "last_steps_that_fit");
      json_builder_add_int_value (b, t.memory_graph_fit);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "ours_crossings_at_most_memory_graphs");
      json_builder_add_int_value (b, t.ours_at_most_memory_graph);
      json_builder_set_member_name (b, "ours_fits_where_memory_graphs_fits");
      json_builder_add_int_value (b, t.fits_where_memory_graph);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) programs = g_ptr_array_new_with_free_func ((GDestroyNotify) program_free);
  g_autofree char *view = NULL;
  g_autofree char *dot_program = NULL;
  g_autofree char *dump_dot = NULL;
  g_autofree char *memory_graph = NULL;
  gboolean every_object = FALSE, json = FALSE, steps = FALSE, ours_every_object = TRUE;
  int max_steps = 0;
  Settings settings;
  GOptionEntry entries[] = {
    { "every-object", 0, 0, G_OPTION_ARG_NONE, &every_object, "Draw scalars as nodes with arrows, in both pictures", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the figures as JSON", NULL },
    { "max-steps", 0, 0, G_OPTION_ARG_INT, &max_steps, "Measure at most N steps a program, spread evenly, the last among them (default: all)", "N" },
    { "view", 0, 0, G_OPTION_ARG_STRING, &view, "The graph view to fit, in pixels (default 713x449: a 1024x600 window's)", "WxH" },
    { "dot", 0, 0, G_OPTION_ARG_FILENAME, &dot_program, "Graphviz's dot program (default: dot)", "PATH" },
    { "steps", 0, 0, G_OPTION_ARG_NONE, &steps, "Print every step's figures on stderr", NULL },
    { "dump-dot", 0, 0, G_OPTION_ARG_FILENAME, &dump_dot, "Write each program's last step as DOT into DIR", "DIR" },
    { "memory-graph", 0, 0, G_OPTION_ARG_FILENAME, &memory_graph,
      "Also measure memory_graph's picture of each program's end, DIR/NAME.gv (see below)", "DIR" },
    { NULL }
  };

  setlocale (LC_ALL, "C.UTF-8");
  context = g_option_context_new ("[PROGRAM.py…] — arrows, crossings, area and fit of our pictures and dot's");
  g_option_context_set_description (context,
    "Without programs: benchmarks/readability/programs, examples and the lessons.\n"
    "\n"
    "--memory-graph DIR compares each program's last step with memory_graph's picture\n"
    "(https://github.com/bterwijn/memory_graph) of the program's globals at its end,\n"
    "laid out by dot and measured as dot's picture of ours is, its text judged at the\n"
    "smallest size it is drawn in (memory_graph's 14 pt).  Write DIR first with\n"
    "  benchmarks/readability/memory-graph-dot.py MEMORY_GRAPH_CHECKOUT DIR [PROGRAM.py...]\n"
    "(it needs python3's graphviz package; memory_graph itself is not installed).\n"
    "NAME is the program's label with \"/\" as \"-\" and without \".py\" (corpus-bst),\n"
    "or a program's file name without \".py\" when programs are given.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  /* The worker built beside this benchmark, unless told otherwise; and
   * the same hashes every run, so that sets and dicts keyed by str hold
   * the same order and the figures repeat */
  g_setenv ("HEAPSCOPE_RUNTIME", HS_BENCH_RUNTIME, FALSE);
  g_setenv ("PYTHONHASHSEED", "0", FALSE);
  /* The tests' fonts: text, and so every box, has the same size on every
   * machine, in our pictures and in dot's */
  g_setenv ("FONTCONFIG_FILE", HS_BENCH_FONTS, FALSE);
  bench_dot_options_init (&settings.dot);
  settings.dot.every_object = every_object;
  settings.dot_program = dot_program != NULL ? dot_program : "dot";
  settings.dump_dot = dump_dot;
  settings.memory_graph = memory_graph;
  settings.print_steps = steps;
  settings.max_steps = MAX (max_steps, 0);
  settings.view_width = VIEW_WIDTH;
  settings.view_height = VIEW_HEIGHT;
  if (view != NULL && (sscanf (view, "%lfx%lf", &settings.view_width, &settings.view_height) != 2
                       || !(settings.view_width > 0) || !(settings.view_height > 0)))
    {
      g_printerr ("--view takes WIDTHxHEIGHT, such as 713x449\n");
      return 2;
    }
  ours_every_object = every_object;

  if (argc > 1)
    for (int a = 1; a < argc; a++)
      {
        g_ptr_array_add (inputs, g_strdup (argv[a]));
        g_ptr_array_add (inputs, g_path_get_basename (argv[a]));
      }
  else
    {
      add_folder (inputs, HS_BENCH_CORPUS, "corpus");
      add_folder (inputs, HS_BENCH_EXAMPLES, "examples");
      add_folder (inputs, HS_BENCH_LESSONS, "lessons");
    }

  for (guint i = 0; i + 1 < inputs->len; i += 2)
    {
      Program *p = measure_program (g_ptr_array_index (inputs, i), g_ptr_array_index (inputs, i + 1), &settings);

      g_ptr_array_add (programs, p);
    }

  if (json)
    print_json (programs, &settings, ours_every_object);
  else
    print_table (programs, &settings, ours_every_object);
  for (guint i = 0; i < programs->len; i++)
    if (((Program *) g_ptr_array_index (programs, i))->error != NULL)
      return 1;
  return 0;
}
