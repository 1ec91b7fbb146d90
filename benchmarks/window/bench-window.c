/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window at a million steps (issue 10), driven as a user drives it but
 * over D-Bus: starts Heapscope under Xvfb on a bus of its own, runs a
 * program of about 10⁶ steps with the default options, and prints
 *  - the wall time from activating win.run to the window no longer busy,
 *    and the window's peak resident memory (VmHWM);
 *  - the time from moving to step N (slider, key, jump to the end) to the
 *    frame presented with step N drawn, which the window itself reads off
 *    its frame clock (HEAPSCOPE_BENCH=1 gives it a "bench-step" action
 *    whose state org.gtk.Actions reports), and how many of the moves were
 *    late: drawn after a frame that still showed the step before;
 *  - the time the inspector takes to read the history of x, selected at
 *    the last step (a walk over every step: x's int is made at the end),
 *    in its thread, and the longest the main loop went without turning
 *    meanwhile ("bench-history");
 *  - the same program through `heapscope trace`, measured with
 *    /usr/bin/time -v: wall time and peak RSS.
 * Prints figures; it is not a test.
 *
 * Usage: bench-window [--window-only] [--print | --objects] [--app HEAPSCOPE]...
 * --print runs `for i in range(N): print(i)` instead, whose output the
 * window shows up to the step shown.  --objects runs a program whose every
 * step holds about 1,000 objects (a tree of lists, 9 x 10 x 10 one-item
 * lists at its leaves: the snapshot's default cap), one of which each
 * step of its loop changes:
 * the graph draws about 1,000 boxes at every step, and the camera frames
 * each step among them (issue 8); its loop has 200 iterations unless
 * HS_BENCH_ITERATIONS says otherwise.  (HS_BENCH_ITERATIONS sets the
 * loop's length, HS_BENCH_REPEAT the number of moves of each kind,
 * HS_BENCH_VERBOSE says what it waits for.)
 */
#define G_LOG_DOMAIN "heapscope-bench-window"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#define APP_PATH      "/io/github/heapscope/Heapscope"
#define WINDOW_PATH   APP_PATH "/window/1"
#define REPEAT        7      /* moves of each kind; HS_BENCH_REPEAT sets another number */
#define MAX_REPEAT    1001
#define ITERATIONS    499998   /* two steps each, and two more: 999,998 steps */
#define OBJECTS_ITERATIONS 200  /* --objects: its loop's, after the ~1,000 steps that build the lists */
#define TIMEOUT_S     600

typedef struct
{
  guint    serial;
  gboolean busy;
  guint    n_steps;
  guint    step;
  gint64   draw_us;
  gint64   cpu_us;
  gint64   action_us;
  gint64   layout_us;
  gint64   paint_us;
  guint    frames;    /* 0: an app from before the window counted them */
  char     document[256];
} BenchState;

static GDBusConnection *bus;
static guint repeat = REPEAT;

/* Asked of the window each time: org.gtk.Actions.Describe */
static gboolean
read_state (BenchState *out)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) states = NULL;
  g_autoptr(GVariant) state = NULL;
  const char *document;
  gboolean enabled;

  reply = g_dbus_connection_call_sync (bus, "io.github.heapscope.Heapscope", WINDOW_PATH,
                                       "org.gtk.Actions", "Describe", g_variant_new ("(s)", "bench-step"),
                                       G_VARIANT_TYPE ("((bgav))"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "((b&g@av))", &enabled, NULL, &states);
  if (g_variant_n_children (states) != 1)
    return FALSE;
  g_variant_get_child (states, 0, "v", &state);
  out->frames = 0;
  if (g_variant_is_of_type (state, G_VARIANT_TYPE ("(ubuuxxxxxus)")))
    g_variant_get (state, "(ubuuxxxxxu&s)", &out->serial, &out->busy, &out->n_steps, &out->step, &out->draw_us,
                   &out->cpu_us, &out->action_us, &out->layout_us, &out->paint_us, &out->frames, &document);
  else if (g_variant_is_of_type (state, G_VARIANT_TYPE ("(ubuuxxxxxs)")))  /* an older build, for --app */
    g_variant_get (state, "(ubuuxxxxx&s)", &out->serial, &out->busy, &out->n_steps, &out->step, &out->draw_us,
                   &out->cpu_us, &out->action_us, &out->layout_us, &out->paint_us, &document);
  else
    return FALSE;
  g_strlcpy (out->document, document, sizeof out->document);
  return TRUE;
}

static void
activate (const char *name,
          GVariant   *param)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariantBuilder params;

  g_variant_builder_init (&params, G_VARIANT_TYPE ("av"));
  if (param != NULL)
    g_variant_builder_add (&params, "v", param);
  reply = g_dbus_connection_call_sync (bus, "io.github.heapscope.Heapscope", WINDOW_PATH,
                                       "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", name, &params, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Turns the main context until check() holds, or fails the benchmark. */
static void
wait_for (gboolean   (*check) (gpointer data),
          gpointer     data,
          const char  *what)
{
  gboolean expired = FALSE;
  guint source = g_timeout_add_seconds (TIMEOUT_S, timeout_cb, &expired);
  /* checks that ask the bus themselves are tried again every so often */
  guint wake = g_timeout_add (20, wake_cb, NULL);

  if (g_getenv ("HS_BENCH_VERBOSE") != NULL)
    g_printerr ("waiting for %s\n", what);
  while (!check (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (source);
  g_source_remove (wake);
}

/* The file given on the command line loads asynchronously: a run
 * started before would be stopped by it. */
static gboolean
has_loaded (gpointer data)
{
  BenchState state;

  return read_state (&state) && g_str_equal (state.document, data);
}

static gboolean
is_busy (gpointer data)
{
  BenchState state;

  return read_state (&state) && state.busy;
}

static gboolean
run_ended (gpointer data)
{
  BenchState state;

  return read_state (&state) && !state.busy;
}

static gboolean
drawn (gpointer data)
{
  BenchState state;

  return read_state (&state) && state.serial == GPOINTER_TO_UINT (data) && state.draw_us >= 0;
}

static gboolean
has_window (gpointer data)
{
  g_autoptr(GVariant) reply = NULL;

  /* the window's actions are exported once it is shown */
  reply = g_dbus_connection_call_sync (bus, "io.github.heapscope.Heapscope", WINDOW_PATH,
                                       "org.gtk.Actions", "List", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 1000, NULL, NULL);
  return reply != NULL;
}

/* Moves the window as HOW says: the microseconds to the frame, and the
 * main thread's CPU time over them. */
static gint64
time_step (const char *how,
           guint      *step,
           gint64      cpu_us[4],
           guint      *frames)
{
  BenchState state;

  g_assert (read_state (&state));
  activate ("bench-step", g_variant_new_string (how));
  wait_for (drawn, GUINT_TO_POINTER (state.serial + 1), "a step to be drawn");
  g_assert (read_state (&state));
  *step = state.step;
  if (frames != NULL)
    *frames = state.frames;
  if (cpu_us != NULL)
    {
      cpu_us[0] = state.cpu_us;
      cpu_us[1] = state.action_us;
      cpu_us[2] = state.layout_us;
      cpu_us[3] = state.paint_us;
    }
  return state.draw_us;
}

static int compare_gint64 (gconstpointer a,
                           gconstpointer b);

typedef struct
{
  guint  serial;
  gint64 history_us;
  gint64 longest_gap_us;
  guint  n_steps;
} HistoryState;

static gboolean
read_history_state (HistoryState *out)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) states = NULL;
  g_autoptr(GVariant) state = NULL;
  gboolean enabled;

  reply = g_dbus_connection_call_sync (bus, "io.github.heapscope.Heapscope", WINDOW_PATH,
                                       "org.gtk.Actions", "Describe", g_variant_new ("(s)", "bench-history"),
                                       G_VARIANT_TYPE ("((bgav))"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "((b&g@av))", &enabled, NULL, &states);
  if (g_variant_n_children (states) != 1)
    return FALSE;
  g_variant_get_child (states, 0, "v", &state);
  if (!g_variant_is_of_type (state, G_VARIANT_TYPE ("(uxxu)")))
    return FALSE;
  g_variant_get (state, "(uxxu)", &out->serial, &out->history_us, &out->longest_gap_us, &out->n_steps);
  return TRUE;
}

static gboolean
history_read (gpointer data)
{
  HistoryState state;

  return read_history_state (&state) && state.serial == GPOINTER_TO_UINT (data) && state.history_us >= 0;
}

/* The inspector's history of x at the last step, repeat times */
static void
report_history (void)
{
  gint64 times[MAX_REPEAT], gaps[MAX_REPEAT];
  HistoryState state;
  guint n = MIN (repeat, 5);

  if (!read_history_state (&state))
    {
      g_print ("  (this build has no bench-history)\n");
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      activate ("bench-history", g_variant_new_string ("x"));
      wait_for (history_read, GUINT_TO_POINTER (state.serial + 1), "the history to be read");
      g_assert (read_history_state (&state));
      times[i] = state.history_us;
      gaps[i] = state.longest_gap_us;
    }
  qsort (times, n, sizeof times[0], compare_gint64);
  qsort (gaps, n, sizeof gaps[0], compare_gint64);
  g_print ("history of x at the last step (%u steps walked, in a thread): min %.0f ms, median %.0f ms, max %.0f ms;\n"
           "  the longest the main loop waited meanwhile: median %.0f ms, max %.0f ms (%u reads)\n",
           state.n_steps, times[0] / 1e3, times[n / 2] / 1e3, times[n - 1] / 1e3,
           gaps[n / 2] / 1e3, gaps[n - 1] / 1e3, n);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Each measured move starts from another step, so that it moves. */
static void
report_moves (const char *label,
              const char *from,
              const char *how)
{
  gint64 times[MAX_REPEAT], cpu[4][MAX_REPEAT];
  guint step = 0, late = 0, frames = 0;

  for (guint i = 0; i < repeat; i++)
    {
      guint ignored;
      gint64 parts[4];

      time_step (from, &ignored, NULL, NULL);
      times[i] = time_step (how, &step, parts, &frames);
      late += frames > 1;
      for (guint p = 0; p < 4; p++)
        cpu[p][i] = parts[p];
    }
  qsort (times, repeat, sizeof (gint64), compare_gint64);
  for (guint p = 0; p < 4; p++)
    qsort (cpu[p], repeat, sizeof (gint64), compare_gint64);
  g_print ("%-40s %9u %7.1f %7.1f %7.1f %7.1f %7.1f %7.1f %7.1f ", label, step,
           times[0] / 1000.0, times[repeat / 2] / 1000.0, times[repeat - 1] / 1000.0,
           cpu[0][repeat / 2] / 1000.0, cpu[1][repeat / 2] / 1000.0,
           cpu[2][repeat / 2] / 1000.0, cpu[3][repeat / 2] / 1000.0);
  if (frames == 0)
    g_print ("%9s\n", "?");
  else
    g_print ("%4u/%-4u\n", late, repeat);
}

/* The load the figures were taken under. */
static void
print_uptime (void)
{
  g_autofree char *loadavg = NULL;
  g_auto(GStrv) fields = NULL;

  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL) &&
      g_strv_length (fields = g_strsplit (loadavg, " ", 4)) >= 3)
    g_print ("  load average (1, 5, 15 min): %s %s %s\n", fields[0], fields[1], fields[2]);
}

static guint64
read_status_kb (GPid        pid,
                const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL) || (line = strstr (contents, field)) == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen (field) + 1, NULL, 10);
}

/* utime + stime of a process, or of one of its threads, in seconds:
 * /proc/PID[/task/TID]/stat, fields 14 and 15 after the command's ")" */
static double
read_cpu_s (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &contents, NULL, NULL) || (after = strrchr (contents, ')')) == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", 16);
  if (g_strv_length (fields) < 14)
    return 0;
  return (g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10)) /
         (double) sysconf (_SC_CLK_TCK);
}

/* Where the CPU time of the run went: the app's main thread (taking the
 * steps in, drawing), its other threads (reading the worker's records
 * into the trace) and the worker. */
static void
report_cpu (GPid pid)
{
  g_autofree char *stat = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *main_stat = g_strdup_printf ("/proc/%d/task/%d/stat", (int) pid, (int) pid);
  g_autofree char *tasks_path = g_strdup_printf ("/proc/%d/task", (int) pid);
  g_autoptr(GDir) tasks = g_dir_open (tasks_path, 0, NULL);
  double app = read_cpu_s (stat), main_thread = read_cpu_s (main_stat), worker = 0;
  const char *task;

  /* the worker stays alive after the run, for the heap commands; the
   * thread that started it is its parent */
  while (tasks != NULL && (task = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *children_path = g_strdup_printf ("%s/%s/children", tasks_path, task);
      g_autofree char *children = NULL;
      g_auto(GStrv) pids = NULL;

      if (!g_file_get_contents (children_path, &children, NULL, NULL))
        continue;
      pids = g_strsplit (g_strstrip (children), " ", -1);
      for (guint i = 0; pids[i] != NULL; i++)
        if (*pids[i] != '\0')
          {
            g_autofree char *child = g_strdup_printf ("/proc/%s/stat", pids[i]);

            worker += read_cpu_s (child);
          }
    }
  g_print ("  CPU time so far: app %.2f s (main thread %.2f s, its other threads %.2f s)",
           app, main_thread, app - main_thread);
  /* a run the timeout ended took its worker with it */
  if (worker > 0)
    g_print (", worker %.2f s", worker);
  g_print ("\n");
}

static guint iterations;
static gboolean objects;

static void
bench_window (const char *program,
              const char *heapscope)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) app = NULL;
  BenchState state;
  GPid pid;
  gint64 started, ended;
  guint step;
  g_autofree char *middle = NULL;
  g_autofree char *basename = g_path_get_basename (program);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "HEAPSCOPE_BENCH", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", HS_BENCH_SCHEMA_DIR, TRUE);
  g_subprocess_launcher_setenv (launcher, "GTK_A11Y", "none", TRUE);
  /* Xvfb has no GPU: GTK's GL renderer would rasterise through Mesa's
   * llvmpipe, whose shader threads cost far more than the app's own work */
  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", "cairo", FALSE);
  g_subprocess_launcher_setenv (launcher, "NO_AT_BRIDGE", "1", TRUE);
  app = g_subprocess_launcher_spawn (launcher, &error, heapscope, program, NULL);
  g_assert_no_error (error);
  pid = (GPid) atoi (g_subprocess_get_identifier (app));

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  wait_for (has_window, bus, "the window");
  wait_for (has_loaded, basename, "the program to load");

  started = g_get_monotonic_time ();
  activate ("run", NULL);
  wait_for (is_busy, NULL, "the run to start");
  wait_for (run_ended, NULL, "the run to end");
  ended = g_get_monotonic_time ();

  /* the window's state after the end: its number of steps */
  time_step ("last", &step, NULL, NULL);
  g_assert (read_state (&state));

  g_print ("Window (%s), default options, a loop of %u iterations\n", heapscope, iterations);
  print_uptime ();
  /* two steps an iteration, the first line's and the end */
  if (objects)
    g_print ("  %u steps, about 1,000 objects each, wall time from Run to the run's end %.2f s, peak RSS %.1f MB (the app; the worker apart)\n",
             state.n_steps, (ended - started) / 1e6, read_status_kb (pid, "VmHWM:") / 1024.0);
  else
    g_print ("  steps %u of %u (%s), wall time from Run to the run's end %.2f s, peak RSS %.1f MB (the app; the worker apart)\n",
             state.n_steps, 2 * iterations + 2,
             state.n_steps == 2 * iterations + 2 ? "the whole run" : "stopped early: the timeout or the step cap",
             (ended - started) / 1e6, read_status_kb (pid, "VmHWM:") / 1024.0);
  report_cpu (pid);
  g_print ("\n");

  /* wall: from the action to the frame presented; CPU: the app's main
   * thread over that span, which a loaded machine does not inflate, and
   * of it the action itself, the frame clock's layout and its paint */
  g_print ("%-40s %9s %7s %7s %7s %7s %7s %7s %7s %9s\n", "move (to the frame presented; medians of CPU)",
           "step", "min ms", "med ms", "max ms", "CPU", "action", "layout", "paint", "late");
  /* from the middle, wherever it ended */
  middle = g_strdup_printf ("%u", state.n_steps / 2);
  if (objects)
    {
      /* the moves a learner makes in the loop, whose every step holds
       * all the lists: from its first step to its middle */
      g_autofree char *loop = g_strdup_printf ("%u", state.n_steps - 2 * iterations);
      g_autofree char *loop_middle = g_strdup_printf ("%u", state.n_steps - iterations);

      report_moves ("step forward (Right: win.step-forward)", loop_middle, "next");
      report_moves ("slider to the loop's middle", loop, loop_middle);
      report_moves ("jump to the end (End: win.last-step)", loop_middle, "last");
    }
  else
    {
      report_moves ("slider to step 0", "last", "0");
      report_moves ("slider to step 500,000", "0", "500000");
      report_moves ("jump to the end (End: win.last-step)", "0", "last");
      report_moves ("step forward (Right: win.step-forward)", middle, "next");
      time_step ("last", &step, NULL, NULL);
      report_history ();
    }
  print_uptime ();
  g_print ("  peak RSS after stepping %.1f MB\n\n", read_status_kb (pid, "VmHWM:") / 1024.0);

  g_subprocess_send_signal (app, SIGTERM);
  g_subprocess_wait (app, NULL, NULL);
}

/* The CLI's row, measured by a public tool. */
static void
bench_cli (const char *program)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) cli = NULL;
  g_autofree char *out_path = g_strconcat (program, ".json", NULL);
  g_autofree char *report = NULL;
  const char *wall, *rss;
  GStatBuf st;

  if (!g_file_test ("/usr/bin/time", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_print ("\nCLI: /usr/bin/time is missing (apt install time)\n");
      return;
    }
  cli = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                          "/usr/bin/time", "-v", HS_BENCH_HEAPSCOPE, "trace", program, "-o", out_path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (cli, NULL, NULL, NULL, &report, &error);
  g_assert_no_error (error);
  wall = strstr (report, "Elapsed (wall clock) time (h:mm:ss or m:ss): ");
  rss = strstr (report, "Maximum resident set size (kbytes): ");
  g_print ("\nCLI: heapscope trace FILE -o FILE.json, default options (/usr/bin/time -v)\n");
  if (wall != NULL && rss != NULL)
    {
      char head[4097] = "";
      const char *status;
      FILE *file = fopen (out_path, "r");

      /* the trace's own status, near its start, says whether it reached the end */
      if (file != NULL)
        {
          head[fread (head, 1, sizeof head - 1, file)] = '\0';
          fclose (file);
        }
      status = strstr (head, "\"status\":");
      g_print ("  wall %.*s, peak RSS %.1f MB, %.1f MB written, %.*s\n",
               (int) strcspn (wall + 45, "\n"), wall + 45,
               g_ascii_strtoull (rss + 36, NULL, 10) / 1024.0,
               g_stat (out_path, &st) == 0 ? st.st_size / 1e6 : 0.0,
               status != NULL ? (int) strcspn (status, ",") : 0, status != NULL ? status : "");
    }
  g_unlink (out_path);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *program = NULL;
  g_autofree char *source = NULL;
  g_autoptr(GPtrArray) apps = g_ptr_array_new ();
  gboolean window_only = FALSE;
  gboolean print = FALSE;
  /* A list shows its first and last items past a dozen ("... 87
   * more"): a tree of lists of ten keeps all 1,000 in the graph */
  const char *objects_source = "tree = [[[[None] for j in range(10)] for i in range(10)] for h in range(9)]\n"
                               "for k in range(%u):\n"
                               "    tree[k %% 9][k // 9 %% 10][k %% 10][0] = k\n";

  /* Xvfb and a session bus of its own, unless already given */
  if (g_getenv ("HS_BENCH_WINDOW_INNER") == NULL)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      const char *head[] = { "xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "dbus-run-session", "--" };

      for (guint i = 0; i < G_N_ELEMENTS (head); i++)
        g_ptr_array_add (args, (char *) head[i]);
      for (int i = 0; i < argc; i++)
        g_ptr_array_add (args, argv[i]);
      g_ptr_array_add (args, NULL);
      g_setenv ("HS_BENCH_WINDOW_INNER", "1", TRUE);
      execvp ("xvfb-run", (char **) args->pdata);
      g_printerr ("bench-window: cannot start xvfb-run: %s\n", g_strerror (errno));
      return 1;
    }

  /* --app PATH, repeated, measures other builds of heapscope one after
   * the other in this run (say, before and after a change): the same load */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--window-only"))
      window_only = TRUE;
    else if (g_str_equal (argv[i], "--print"))
      print = TRUE;
    else if (g_str_equal (argv[i], "--objects"))
      objects = TRUE;
    else if (g_str_equal (argv[i], "--app") && i + 1 < argc)
      g_ptr_array_add (apps, argv[++i]);
    else
      {
        g_printerr ("usage: bench-window [--window-only] [--print | --objects] [--app HEAPSCOPE]...\n");
        return 2;
      }
  if (apps->len == 0)
    g_ptr_array_add (apps, (char *) HS_BENCH_HEAPSCOPE);

  dir = g_dir_make_tmp ("heapscope-bench-XXXXXX", NULL);
  program = g_build_filename (dir, "million.py", NULL);
  if (g_getenv ("HS_BENCH_REPEAT") != NULL)
    repeat = CLAMP (atoi (g_getenv ("HS_BENCH_REPEAT")), 1, MAX_REPEAT);
  iterations = g_getenv ("HS_BENCH_ITERATIONS") ? atoi (g_getenv ("HS_BENCH_ITERATIONS"))
                                                : objects ? OBJECTS_ITERATIONS : ITERATIONS;
  source = g_strdup_printf (objects ? objects_source
                            : print ? "for i in range(%u):\n    print(i)\n" : "for i in range(%u):\n    x = i\n",
                            iterations);
  g_assert (g_file_set_contents (program, source, -1, NULL));

  for (guint i = 0; i < apps->len; i++)
    bench_window (program, g_ptr_array_index (apps, i));
  if (!window_only)
    bench_cli (program);

  g_unlink (program);
  g_rmdir (dir);
  return 0;
}
