/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Prints how fast HsRunner traces two programs and how much history each
 * step costs, next to the same program under HEAPSCOPE_PYTHON untraced, and
 * whether a step costs more once the list it appends to has grown; then
 * `heapscope trace` end to end, JSON written to a file, against the engine
 * alone on the same program, and the bytes per step of each format.
 * `bench-trace --pytutor DIR [PAIRS]` sets `heapscope trace` beside
 * Python Tutor's tracer alone (benchmarks/pytutor/README.md).
 */
#define G_LOG_DOMAIN "heapscope-bench-trace"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "bench-compare.h"
#include "hs-runner.h"

#define REPEATS 3

typedef struct
{
  guint   steps;
  gsize   history;
  guint   objects;      /* in the middle step */
  double  seconds;      /* best of REPEATS */
  double  worker_cpu;   /* the worker's user+system CPU seconds, best of REPEATS */
  char   *status;
} Measure;

static char *tmpdir;

static char *
write_program (const char *name,
               const char *source)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);

  if (!g_file_set_contents (path, source, -1, &error))
    g_error ("%s", error->message);
  return path;
}

static guint max_objects;   /* 0: the default */
static const char *worker;  /* NULL: the runner's own */

#define HEAP_LOOP_50000 \
  "heap = [[i, str(i)] for i in range(33)]\n" \
  "total = 0\n" \
  "for n in range(50000):\n" \
  "    row = heap[n % 33]\n" \
  "    total = total + row[0]\n" \
  "print(total)\n"

/* CPU seconds of the children reaped so far: on a shared machine the
 * worker's CPU time says more about its cost than the wall clock. */
static double
children_cpu (void)
{
  struct rusage ru;

  getrusage (RUSAGE_CHILDREN, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void
trace (const char *path,
       Measure    *m)
{
  HsRunOptions options;

  hs_run_options_init (&options);
  options.max_steps = 10000000;
  options.timeout_ms = 600000;
  if (max_objects > 0)
    options.max_objects = max_objects;

  m->seconds = G_MAXDOUBLE;
  m->worker_cpu = G_MAXDOUBLE;
  for (guint r = 0; r < REPEATS; r++)
    {
      double cpu_before = children_cpu ();
      g_autoptr(HsRunner) runner = hs_runner_new ();
      g_autoptr(HsTrace) t = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start;
      double seconds;

      if (worker != NULL)
        hs_runner_set_runtime_path (runner, worker);
      start = g_get_monotonic_time ();

      t = hs_runner_run_sync (runner, path, &options, &error);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      if (t == NULL)
        g_error ("%s: %s", path, error->message);
      m->seconds = MIN (m->seconds, seconds);
      g_clear_object (&runner);   /* reaps the worker */
      m->worker_cpu = MIN (m->worker_cpu, children_cpu () - cpu_before);
      m->steps = hs_trace_get_n_steps (t);
      m->history = hs_trace_get_history_bytes (t);
      g_free (m->status);
      m->status = g_strdup (hs_trace_get_status (t));
      if (m->steps > 0)
        {
          HsSnapshot *snap = hs_trace_get_snapshot (t, m->steps / 2);

          hs_snapshot_get_objects (snap, &m->objects);
          hs_snapshot_unref (snap);
        }
    }
}

static double
run_python (const char *path)
{
  const char *python = g_getenv ("HEAPSCOPE_PYTHON");
  double best = G_MAXDOUBLE;

  if (python == NULL)
    return -1;
  for (guint r = 0; r < REPEATS; r++)
    {
      g_autoptr(GSubprocess) p = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, python, path, NULL);
      if (p == NULL || !g_subprocess_wait_check (p, NULL, &error))
        g_error ("%s %s: %s", python, path, error->message);
      best = MIN (best, (g_get_monotonic_time () - start) / 1e6);
    }
  return best;
}

/* Runs `heapscope trace ARGS -o OUT` once; returns its wall time and the
 * size of what it wrote.  With /usr/bin/time, also its peak RSS in KiB. */
static double
run_cli (const char  *path,
         const char  *format_option,
         const char  *max_steps,
         gsize       *bytes,
         glong       *peak_kib)
{
  g_autofree char *out = g_build_filename (tmpdir, "out.json", NULL);
  g_autofree char *rss = g_build_filename (tmpdir, "rss.txt", NULL);
  gboolean timed = g_file_test ("/usr/bin/time", G_FILE_TEST_IS_EXECUTABLE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (out);
  gint64 start;
  double seconds;

  if (timed)
    {
      g_ptr_array_add (argv, "/usr/bin/time");
      g_ptr_array_add (argv, "-f");
      g_ptr_array_add (argv, "%M");
      g_ptr_array_add (argv, "-o");
      g_ptr_array_add (argv, rss);
    }
  g_ptr_array_add (argv, HS_BENCH_HEAPSCOPE);
  g_ptr_array_add (argv, "trace");
  g_ptr_array_add (argv, (gpointer) path);
  g_ptr_array_add (argv, "--max-steps");
  g_ptr_array_add (argv, (gpointer) max_steps);
  g_ptr_array_add (argv, "--timeout");
  g_ptr_array_add (argv, "600");
  g_ptr_array_add (argv, "-o");
  g_ptr_array_add (argv, out);
  if (format_option != NULL)
    g_ptr_array_add (argv, (gpointer) format_option);
  g_ptr_array_add (argv, NULL);

  start = g_get_monotonic_time ();
  p = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  if (p == NULL || !g_subprocess_wait_check (p, NULL, &error))
    g_error ("heapscope trace %s: %s", path, error->message);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, &error);
  if (info == NULL)
    g_error ("%s", error->message);
  *bytes = g_file_info_get_size (info);
  g_unlink (out);

  *peak_kib = -1;
  if (timed)
    {
      g_autofree char *text = NULL;

      if (g_file_get_contents (rss, &text, NULL, NULL))
        *peak_kib = g_ascii_strtoll (text, NULL, 10);
      g_unlink (rss);
    }
  return seconds;
}

static void
report_cli (const char *title,
            const char *path)
{
  Measure engine = { 0 };
  double best = G_MAXDOUBLE, v1_seconds;
  gsize bytes = 0, v1_bytes = 0;
  glong peak = 0, v1_peak = 0;

  trace (path, &engine);
  for (guint r = 0; r < REPEATS; r++)
    best = MIN (best, run_cli (path, NULL, "10000000", &bytes, &peak));
  /* version 1 writes every object at every step: 20,000 steps are enough */
  v1_seconds = run_cli (path, "--snapshots", "20000", &v1_bytes, &v1_peak);

  printf ("%s\n", title);
  printf ("  steps                       %u\n", engine.steps);
  printf ("  engine alone                %.3f s, %.0f steps/s\n", engine.seconds, engine.steps / engine.seconds);
  printf ("  heapscope trace (format 2)  %.3f s, %.0f steps/s (%.0f%% of the engine's rate)\n",
          best, engine.steps / best, 100.0 * engine.seconds / best);
  printf ("  format 2 bytes per step     %.1f (%.2fx the history's %.1f)\n",
          (double) bytes / MAX (engine.steps, 1),
          (double) bytes / MAX (engine.history, 1),
          (double) engine.history / MAX (engine.steps, 1));
  printf ("  format 2 peak RSS           %ld KiB\n", peak);
  printf ("  --snapshots (format 1)      first 20,000 steps: %.3f s, %.0f steps/s, %.1f bytes per step, peak RSS %ld KiB\n",
          v1_seconds, 20000 / v1_seconds, v1_bytes / 20000.0, v1_peak);
  g_free (engine.status);
}

static void
report (const char *title,
        const char *path)
{
  Measure m = { 0 };
  double python;

  trace (path, &m);
  python = run_python (path);
  printf ("%s\n", title);
  printf ("  status                 %s\n", m.status);
  printf ("  steps                  %u\n", m.steps);
  printf ("  objects at mid step    %u\n", m.objects);
  printf ("  heapscope wall time    %.3f s\n", m.seconds);
  printf ("  steps per second       %.0f\n", m.steps / m.seconds);
  printf ("  worker CPU per step    %.2f us (%.0f steps per CPU second)\n",
          m.worker_cpu * 1e6 / MAX (m.steps, 1), m.steps / MAX (m.worker_cpu, 1e-9));
  printf ("  history bytes per step %.1f (%zu bytes in all)\n",
          (double) m.history / MAX (m.steps, 1), m.history);
  if (python >= 0)
    printf ("  python3 wall time      %.3f s (%.0fx faster than tracing)\n", python, m.seconds / python);
  else
    printf ("  python3 wall time      (set HEAPSCOPE_PYTHON)\n");
  g_free (m.status);
}

static char *
append_program (guint n)
{
  g_autofree char *name = g_strdup_printf ("append-%u.py", n);
  g_autofree char *source = g_strdup_printf (
    "items = []\n"
    "for i in range(%u):\n"
    "    items.append(i * 1000)\n"
    "print(len(items))\n", n);

  return write_program (name, source);
}

/* Seconds and steps that n more appends cost, starting from `from` items. */
static void
append_slice (guint   from,
              guint   to,
              double *seconds,
              guint  *steps)
{
  g_autofree char *a = append_program (from);
  g_autofree char *b = append_program (to);
  Measure ma = { 0 }, mb = { 0 };

  trace (a, &ma);
  trace (b, &mb);
  *seconds = mb.seconds - ma.seconds;
  *steps = mb.steps - ma.steps;
  g_free (ma.status);
  g_free (mb.status);
}

/* A heap of about n visible objects (blocks of up to 100 rows of 100
 * ints, so that no container passes the element cap) and a loop that
 * changes one of them a step.  The cost per step is the difference between
 * `iterations` and 100 iterations, with the walk as shipped and with
 * HEAPSCOPE_FULL_WALK=1 (every container read again at every step, as
 * before issue 10). */
static char *
rows_program (guint n,
              guint iterations)
{
  guint blocks = MAX (1, n / 10000), rows = MIN (100, n / 100);
  g_autofree char *name = g_strdup_printf ("rows-%u-%u.py", n, iterations);
  g_autofree char *source = g_strdup_printf (
    "blocks = [[list(range(j * 1000, j * 1000 + 100)) for j in range(%u)] for b in range(%u)]\n"
    "for k in range(%u):\n"
    "    blocks[k %% %u][k %% %u][k %% 100] = -k\n", rows, blocks, iterations, blocks, rows);

  return write_program (name, source);
}

static guint
rows_objects (guint n)
{
  guint blocks = MAX (1, n / 10000), rows = MIN (100, n / 100);

  return blocks * rows * 101 + blocks + 1;
}

/* Worker CPU microseconds per step; with_worker: another build's worker
 * (NULL: this one's). */
static double
step_cost (guint       n,
           guint       iterations,
           gboolean    full_walk,
           const char *with_worker,
           guint      *objects)
{
  g_autofree char *a = rows_program (n, 100);
  g_autofree char *b = rows_program (n, iterations);
  Measure ma = { 0 }, mb = { 0 };
  double us;

  g_setenv ("HEAPSCOPE_FULL_WALK", full_walk ? "1" : "0", TRUE);
  max_objects = 2 * n;
  worker = with_worker;
  trace (a, &ma);
  trace (b, &mb);
  worker = NULL;
  max_objects = 0;
  g_setenv ("HEAPSCOPE_FULL_WALK", "0", TRUE);
  us = (mb.worker_cpu - ma.worker_cpu) * 1e6 / MAX (mb.steps - ma.steps, 1);
  *objects = mb.objects;
  g_free (ma.status);
  g_free (mb.status);
  return us;
}

/* HEAPSCOPE_BENCH_BEFORE names the worker of another build (an earlier
 * commit's), measured in the same run for a column of its own. */
static void
report_step_cost (void)
{
  const guint sizes[] = { 2000, 10000, 100000 };
  const char *before = g_getenv ("HEAPSCOPE_BENCH_BEFORE");

  printf ("Per-step cost with one object changed a step (rows of 100 ints, --max-objects 2n;\n"
          "worker CPU time per step, best of %d)\n", REPEATS);
  printf ("  %-9s %-18s %-18s %-7s", "objects", "walk as shipped", "full walk", "ratio");
  if (before != NULL)
    printf ("  %-18s %s", "before", "ratio");
  printf ("\n");
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint iterations = sizes[i] >= 100000 ? 600 : 2100;
      guint objects;
      double full = step_cost (sizes[i], iterations, TRUE, NULL, &objects);
      double shipped = step_cost (sizes[i], iterations, FALSE, NULL, &objects);

      printf ("  %-9u %8.1f us/step    %8.1f us/step    %5.2fx", rows_objects (sizes[i]),
              shipped, full, full / MAX (shipped, 1e-9));
      if (before != NULL)
        {
          double old = step_cost (sizes[i], iterations, FALSE, before, &objects);

          printf ("  %8.1f us/step    %5.2fx", old, old / MAX (shipped, 1e-9));
        }
      printf ("\n");
      fflush (stdout);
    }
}

/* The whole-run rows: steps per second of each program, and the steady
 * rate of the heap loop. */
static void
report_whole_runs (const char *heap,
                   const char *append)
{
  report ("Loop over a heap of about 100 objects (5,000 iterations)", heap);
  printf ("\n");
  report ("Loop appending 10,000 items to a list", append);

  /* Starting Python and the worker costs tens of milliseconds; the rate
   * between a short and a long run of the same loop leaves that out. */
  {
    g_autofree char *longer = write_program ("heap-long.py", HEAP_LOOP_50000);
    Measure ms = { 0 }, ml = { 0 };

    trace (heap, &ms);
    trace (longer, &ml);
    printf ("\nSteady rate, start-up left out (heap loop, 5,000 vs 50,000 iterations)\n");
    printf ("  %u more steps in %.3f s more: %.0f steps per second; worker CPU %.2f us per step\n",
            ml.steps - ms.steps, ml.seconds - ms.seconds,
            (ml.steps - ms.steps) / MAX (ml.seconds - ms.seconds, 1e-9),
            (ml.worker_cpu - ms.worker_cpu) * 1e6 / MAX (ml.steps - ms.steps, 1));
    g_free (ms.status);
    g_free (ml.status);
  }
  fflush (stdout);
}

/* One run under /usr/bin/time: wall and CPU (user + system) seconds and
 * peak RSS in KiB; PYTHON_PATH, if given, is the child's PYTHONPATH. */
typedef struct
{
  double wall;
  double cpu;
  glong  peak_kib;
} Timed;

static Timed
run_timed (const char * const *command,
           const char         *python_path)
{
  g_autofree char *report = g_build_filename (tmpdir, "time.txt", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  Timed t = { 0 };
  const char *head[] = { "/usr/bin/time", "-f", "%e %U %S %M", "-o", report };

  for (guint i = 0; i < G_N_ELEMENTS (head); i++)
    g_ptr_array_add (argv, (gpointer) head[i]);
  for (guint i = 0; command[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) command[i]);
  g_ptr_array_add (argv, NULL);
  if (python_path != NULL)
    g_subprocess_launcher_setenv (launcher, "PYTHONPATH", python_path, TRUE);
  p = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (p == NULL || !g_subprocess_wait_check (p, NULL, &error))
    g_error ("%s: %s", command[0], error->message);
  if (!g_file_get_contents (report, &text, NULL, &error))
    g_error ("%s", error->message);
  fields = g_strsplit (g_strstrip (text), " ", 4);
  if (g_strv_length (fields) < 4)
    g_error ("/usr/bin/time said “%s”", text);
  t.wall = g_ascii_strtod (fields[0], NULL);
  t.cpu = g_ascii_strtod (fields[1], NULL) + g_ascii_strtod (fields[2], NULL);
  t.peak_kib = g_ascii_strtoll (fields[3], NULL, 10);
  g_unlink (report);
  return t;
}

static double
median (double *values,
        guint   n)
{
  g_assert (values != NULL && n > 0);

  qsort (values, n, sizeof (double), bench_compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* `heapscope trace` end to end, JSON written, against Python Tutor's
 * tracer alone (benchmarks/pytutor/pt_run.py: its trace kept in memory,
 * no JSON) on the 5,000-iteration heap loop, run in turn PAIRS times on
 * the same load.  PYTUTOR is the directory that holds Python Tutor's
 * pg_logger.py and pg_encoder.py, which this repository does not keep. */
static void
report_pytutor (const char *heap,
                const char *pytutor,
                guint       pairs)
{
  g_autofree char *logger = g_build_filename (pytutor, "pg_logger.py", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "heap.json", NULL);
  const char *python = g_getenv ("HEAPSCOPE_PYTHON") ? g_getenv ("HEAPSCOPE_PYTHON") : "python3";
  const char *ours[] = { HS_BENCH_HEAPSCOPE, "trace", heap, "-o", out, NULL };
  const char *theirs[] = { python, HS_BENCH_PYTUTOR_RUNNER, heap, NULL };
  g_autofree double *wall = g_new (double, 2 * pairs);
  g_autofree double *cpu = g_new (double, 2 * pairs);
  g_autofree double *peak = g_new (double, 2 * pairs);
  g_autofree double *wall_ratio = g_new (double, pairs);
  g_autofree double *cpu_ratio = g_new (double, pairs);
  double heapscope_wall, pytutor_wall, heapscope_cpu, pytutor_cpu;

  if (!g_file_test (logger, G_FILE_TEST_EXISTS))
    g_error ("%s: no pg_logger.py; give the directory of Python Tutor's pg_logger.py and pg_encoder.py "
             "(v5-unity/ of https://github.com/pgbovine/OnlinePythonTutor, see benchmarks/pytutor/README.md)",
             pytutor);
  if (!g_file_test ("/usr/bin/time", G_FILE_TEST_IS_EXECUTABLE))
    g_error ("/usr/bin/time is missing (apt install time)");

  printf ("heapscope trace (JSON to a file) against Python Tutor's tracer alone (no JSON),\n"
          "heap loop of 5,000 iterations, %u pairs run in turn\n", pairs);
  printf ("  %-5s %22s %22s %8s\n", "pair", "heapscope wall/CPU s", "Python Tutor wall/CPU s", "ratio");
  for (guint i = 0; i < pairs; i++)
    {
      Timed a = run_timed (ours, NULL);
      Timed b = run_timed (theirs, pytutor);

      g_unlink (out);
      wall[i] = a.wall;
      cpu[i] = a.cpu;
      peak[i] = a.peak_kib;
      wall[pairs + i] = b.wall;
      cpu[pairs + i] = b.cpu;
      peak[pairs + i] = b.peak_kib;
      wall_ratio[i] = b.wall / MAX (a.wall, 0.01);
      cpu_ratio[i] = b.cpu / MAX (a.cpu, 0.01);
      printf ("  %-5u %11.2f / %-8.2f %11.2f / %-8.2f %7.1fx\n", i + 1, a.wall, a.cpu, b.wall, b.cpu, wall_ratio[i]);
    }
  heapscope_wall = median (wall, pairs);
  pytutor_wall = median (wall + pairs, pairs);
  heapscope_cpu = median (cpu, pairs);
  pytutor_cpu = median (cpu + pairs, pairs);
  printf ("  medians: heapscope %.2f s wall, %.2f s CPU, %.1f MB peak; Python Tutor %.2f s wall, %.2f s CPU, %.1f MB peak\n",
          heapscope_wall, heapscope_cpu, median (peak, pairs) / 1024, pytutor_wall, pytutor_cpu,
          median (peak + pairs, pairs) / 1024);
  printf ("  heapscope is %.1fx faster in wall time (pair by pair %.1fx in the median), %.1fx less CPU (pair by pair %.1fx)\n",
          pytutor_wall / heapscope_wall, median (wall_ratio, pairs), pytutor_cpu / heapscope_cpu,
          median (cpu_ratio, pairs));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *heap = NULL;
  g_autofree char *append = NULL;
  double head_s, tail_s;
  guint head_n, tail_n;

  /* --engine FILE: the engine alone, once, with the CLI's defaults and no
   * JSON, for an outside timer (farm-bench --vs) to set beside
   * `heapscope trace FILE -o OUT`; --write-heap-loop FILE writes the
   * ~100-object heap loop (50,000 iterations) both run. */
  if (argc > 2 && g_str_equal (argv[1], "--engine"))
    {
      HsRunOptions options;
      g_autoptr(HsRunner) runner = hs_runner_new ();
      g_autoptr(HsTrace) t = NULL;

      hs_run_options_init (&options);
      t = hs_runner_run_sync (runner, argv[2], &options, &error);
      if (t == NULL)
        g_error ("%s: %s", argv[2], error->message);
      printf ("%u steps, %s\n", hs_trace_get_n_steps (t), hs_trace_get_status (t));
      return 0;
    }
  if (argc > 2 && g_str_equal (argv[1], "--write-heap-loop"))
    {
      if (!g_file_set_contents (argv[2], HEAP_LOOP_50000, -1, &error))
        g_error ("%s", error->message);
      return 0;
    }

  tmpdir = g_dir_make_tmp ("heapscope-bench-XXXXXX", &error);
  if (tmpdir == NULL)
    g_error ("%s", error->message);

  /* 1 list + 33 lists + 33 str + 33 small ints: about 100 objects */
  heap = write_program ("heap.py",
    "heap = [[i, str(i)] for i in range(33)]\n"
    "total = 0\n"
    "for n in range(5000):\n"
    "    row = heap[n % 33]\n"
    "    total = total + row[0]\n"
    "print(total)\n");
  append = append_program (10000);

  /* --pytutor DIR [PAIRS]: the comparison with Python Tutor's tracer alone */
  if (argc > 2 && g_str_equal (argv[1], "--pytutor"))
    {
      report_pytutor (heap, argv[2], argc > 3 ? CLAMP (atoi (argv[3]), 1, 100) : 5);
      return 0;
    }

  printf ("Heapscope trace benchmark (best of %d runs each)\n\n", REPEATS);
  /* one part alone: --step-cost, --cli (the end-to-end row) or
   * --whole-run (below) */
  if (argc > 1 && g_str_equal (argv[1], "--step-cost"))
    {
      report_step_cost ();
      return 0;
    }
  if (argc > 1 && g_str_equal (argv[1], "--cli"))
    {
      report_cli ("heapscope trace end to end on the heap loop (50,000 iterations), JSON to a file",
                  write_program ("heap-cli.py", HEAP_LOOP_50000));
      return 0;
    }
  report_whole_runs (heap, append);
  /* --whole-run: the rows above alone */
  if (argc > 1 && g_str_equal (argv[1], "--whole-run"))
    return 0;

  printf ("\n");
  report_cli ("heapscope trace end to end on the heap loop (50,000 iterations), JSON to a file",
              write_program ("heap-cli.py", HEAP_LOOP_50000));

  /* A fixed-size record of a million steps: the tiny loop takes two steps
   * an iteration, plus a few to start and end. */
  {
    g_autofree char *tiny = write_program ("tiny.py",
      "x = 0\n"
      "while True:\n"
      "    x += 1\n");
    gsize bytes;
    glong peak;
    double seconds = run_cli (tiny, NULL, "1000000", &bytes, &peak);

    printf ("\n10^6 steps of a tiny loop (--max-steps 1000000), format 2 to a file\n");
    printf ("  wall time %.2f s, %.1f MB written, peak RSS %ld KiB\n", seconds, bytes / 1e6, peak);
  }

  printf ("\n");
  report_step_cost ();

  /* Each iteration is two steps, so 500 appends are about 1,000 steps. */
  append_slice (0, 500, &head_s, &head_n);
  append_slice (9500, 10000, &tail_s, &tail_n);
  printf ("\nPer-step cost while the list grows\n");
  printf ("  first %u steps (items 0..500)        %.2f us/step\n", head_n, head_s * 1e6 / MAX (head_n, 1));
  printf ("  last %u steps (items 9,500..10,000)  %.2f us/step\n", tail_n, tail_s * 1e6 / MAX (tail_n, 1));

  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmpdir);
  }
  g_free (tmpdir);
  return 0;
}
