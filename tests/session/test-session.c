/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test-session"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "hs-runner.h"

typedef struct
{
  char     *dir;
  HsRunner *runner;
  HsTrace  *trace;
} Fixture;

/* A fresh folder holding SOURCE as NAME: the path, and the folder in
 * *dir for remove_program(). */
static char *
write_program (const char  *name,
               const char  *source,
               char       **dir)
{
  g_autoptr(GError) error = NULL;
  char *path;

  g_assert (name != NULL && source != NULL && dir != NULL);

  *dir = g_dir_make_tmp ("heapscope-session-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*dir, name, NULL);
  g_file_set_contents (path, source, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
remove_program (const char *dir,
                const char *name)
{
  g_autofree char *path = NULL;

  g_assert (dir != NULL && name != NULL);

  path = g_build_filename (dir, name, NULL);
  g_unlink (path);
  g_rmdir (dir);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = write_program ("snippet.py", data, &f->dir);
  g_autoptr(GError) error = NULL;

  f->runner = hs_runner_new ();
  f->trace = hs_runner_start_sync (f->runner, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->trace);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  hs_runner_close (f->runner);
  g_clear_object (&f->trace);
  g_clear_object (&f->runner);
  remove_program (f->dir, "snippet.py");
  g_free (f->dir);
}

static guint32
var_ref (HsSnapshot *snap,
         const char *name)
{
  guint n_frames;
  const HsFrame *frames = hs_snapshot_get_frames (snap, &n_frames);

  g_assert_cmpuint (n_frames, >, 0);
  for (guint i = 0; i < frames[n_frames - 1].n_vars; i++)
    if (g_str_equal (frames[n_frames - 1].vars[i].name, name))
      return frames[n_frames - 1].vars[i].ref;
  return 0;
}

static HsSnapshot *
last_step (HsTrace *trace)
{
  return hs_trace_get_snapshot (trace, hs_trace_get_n_steps (trace) - 1);
}

static void
exec_ok (Fixture    *f,
         const char *source)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *python_error = NULL;
  gboolean ok = hs_runner_exec_sync (f->runner, source, 10, &python_error, &error);

  g_assert_no_error (error);
  g_assert_null (python_error);
  g_assert_true (ok);
}

static void
test_alias_and_copies (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(HsSnapshot) a1 = NULL;
  g_autoptr(HsSnapshot) a2 = NULL;
  g_autoptr(HsSnapshot) a3 = NULL;
  const HsObject *copy, *deep;
  guint before = hs_trace_get_n_steps (f->trace);

  g_assert_true (hs_runner_is_live (f->runner));

  exec_ok (f, "b = a");
  a1 = last_step (f->trace);
  g_assert_cmpuint (hs_trace_get_n_steps (f->trace), >, before);
  g_assert_cmpint (hs_snapshot_get_event (a1), ==, HS_EVENT_END);
  g_assert_cmpuint (var_ref (a1, "b"), ==, var_ref (a1, "a"));

  exec_ok (f, "c = a[:]\nd = __import__('copy').deepcopy(a)");
  a2 = last_step (f->trace);
  g_assert_cmpuint (var_ref (a2, "c"), !=, var_ref (a2, "a"));
  copy = hs_snapshot_lookup (a2, var_ref (a2, "c"));
  deep = hs_snapshot_lookup (a2, var_ref (a2, "d"));
  g_assert_nonnull (copy);
  g_assert_nonnull (deep);
  /* the slice copy shares the inner list, the deep copy does not */
  g_assert_cmpuint (copy->edges[0].target, ==, hs_snapshot_lookup (a2, var_ref (a2, "a"))->edges[0].target);
  g_assert_cmpuint (deep->edges[0].target, !=, copy->edges[0].target);

  exec_ok (f, "del a");
  a3 = last_step (f->trace);
  g_assert_cmpuint (var_ref (a3, "a"), ==, 0);
  g_assert_cmpuint (var_ref (a3, "b"), ==, var_ref (a2, "a"));
}

static void
test_gc_collect (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(HsSnapshot) before = NULL;
  g_autoptr(HsSnapshot) after = NULL;
  const HsFreed *freed;
  const HsGcRun *runs;
  guint n_freed, n_runs, by_gc = 0;
  guint32 cycle;

  exec_ok (f, "x = []\nx.append(x)");
  before = last_step (f->trace);
  cycle = var_ref (before, "x");
  g_assert_cmpuint (cycle, !=, 0);

  exec_ok (f, "del x");
  exec_ok (f, "gc.collect()");
  after = last_step (f->trace);
  freed = hs_snapshot_get_freed (after, &n_freed);
  for (guint i = 0; i < n_freed; i++)
    if (freed[i].ref == cycle)
      {
        g_assert_cmpint (freed[i].cause, ==, HS_FREE_GC);
        by_gc++;
      }
  g_assert_cmpuint (by_gc, ==, 1);
  runs = hs_snapshot_get_gc_runs (after, &n_runs);
  g_assert_cmpuint (n_runs, ==, 1);
  g_assert_cmpuint (runs[0].generation, ==, 2);
  g_assert_cmpuint (runs[0].collected, >=, 1);
}

static void
test_python_error (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *python_error = NULL;
  g_autoptr(GBytes) err = NULL;

  g_assert_false (hs_runner_exec_sync (f->runner, "undefined_name", 12, &python_error, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (python_error, ==, "NameError: name 'undefined_name' is not defined");
  err = hs_trace_dup_stderr (f->trace);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (err, NULL), g_bytes_get_size (err), "line 12"));

  /* the session survives a Python error, and SystemExit does not end it */
  g_assert_false (hs_runner_exec_sync (f->runner, "raise SystemExit(4)", 13, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hs_runner_is_live (f->runner));
  exec_ok (f, "z = 1");
}

/* Issue 7 bug 13 at the console: the message is read from the exception
 * object, not cut out of the printed traceback, so a message on two lines
 * or an exception with a note says what str() says. */
static void
test_python_error_message (Fixture       *f,
                           gconstpointer  data)
{
  const struct { const char *source, *expected; } cases[] = {
    { "raise ValueError('bad input:\\n  expected a number')", "ValueError: bad input:\n  expected a number" },
    { "e = KeyError('k'); e.add_note('a note'); raise e", "KeyError: 'k'" },
    { "raise ValueError", "ValueError" },
    { "class Oops(Exception):\n    def __str__(self): return 'ran'\nraise Oops()", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *python_error = NULL;

      g_assert_false (hs_runner_exec_sync (f->runner, cases[i].source, 30 + i * 3, &python_error, &error));
      g_assert_no_error (error);
      g_test_message ("%s -> %s", cases[i].source, python_error);
      if (cases[i].expected != NULL)
        g_assert_cmpstr (python_error, ==, cases[i].expected);
      else
        /* the program's own __str__ is not run a second time */
        g_assert_null (strstr (python_error, "ran"));
    }
  g_assert_true (hs_runner_is_live (f->runner));
}

/* Each statement gets max_steps more steps: a cap near G_MAXUINT32 must
 * not wrap round to a limit the statement is already over. */
static void
test_max_steps_no_overflow (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = write_program ("snippet.py", "a = 1\nb = 2\n", &dir);
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsTrace) trace = NULL;
  g_autofree char *python_error = NULL;
  HsRunOptions options;

  hs_run_options_init (&options);
  options.max_steps = G_MAXUINT32;
  trace = hs_runner_start_sync (runner, path, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_trace_get_status (trace), ==, "finished");

  g_assert_true (hs_runner_exec_sync (runner, "c = [a, b]", 3, &python_error, &error));
  g_assert_no_error (error);
  g_assert_null (python_error);
  g_assert_true (hs_runner_is_live (runner));

  hs_runner_close (runner);
  remove_program (dir, "snippet.py");
}

static void
test_worker_crash (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (hs_runner_exec_sync (f->runner, "import ctypes; ctypes.string_at(0)", 20, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_false (hs_runner_is_live (f->runner));
  g_assert_cmpstr (hs_trace_get_status (f->trace), ==, "crashed");
  g_assert_cmpint (hs_trace_get_signal (f->trace), ==, 11);

  g_clear_error (&error);
  g_assert_false (hs_runner_exec_sync (f->runner, "a", 21, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static void
test_no_session_after_step_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = write_program ("loop.py", "while True:\n    pass\n", &dir);
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsTrace) trace = NULL;
  HsRunOptions options;

  hs_run_options_init (&options);
  options.max_steps = 50;
  trace = hs_runner_start_sync (runner, path, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_trace_get_status (trace), ==, "step-limit");
  g_assert_cmpuint (hs_trace_get_n_steps (trace), ==, 50);
  g_assert_false (hs_runner_is_live (runner));
  remove_program (dir, "loop.py");
}

/* A snapshot's strings live in its trace's string table; the snapshot keeps
 * that table alive after the trace is gone. */
static void
test_snapshot_outlives_trace (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = write_program ("names.py", "a_rather_long_variable_name = [1, 2]\n", &dir);
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsSnapshot) snap = NULL;
  HsTrace *trace;
  const HsFrame *frames;
  const HsObject *list;
  guint n_frames;

  trace = hs_runner_run_sync (runner, path, NULL, &error);
  g_assert_no_error (error);
  snap = hs_trace_get_snapshot (trace, hs_trace_get_n_steps (trace) - 1);
  g_object_unref (trace);
  g_clear_object (&runner);

  /* fill the heap with other data where the strings were */
  for (guint i = 0; i < 1000; i++)
    g_free (g_strdup ("scribble scribble scribble scribble"));

  frames = hs_snapshot_get_frames (snap, &n_frames);
  g_assert_cmpuint (n_frames, ==, 1);
  g_assert_cmpstr (frames[0].function, ==, "<module>");
  g_assert_cmpstr (frames[0].vars[0].name, ==, "a_rather_long_variable_name");
  list = hs_snapshot_lookup (snap, frames[0].vars[0].ref);
  g_assert_nonnull (list);
  g_assert_cmpstr (list->type, ==, "list");
  g_assert_cmpstr (list->repr, ==, "[1, 2]");
  remove_program (dir, "names.py");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/session/exec/alias-and-copies", Fixture, "a = [[1, 2], 3]\n",
              fixture_set_up, test_alias_and_copies, fixture_tear_down);
  g_test_add ("/session/exec/gc-collect", Fixture, "import gc\n",
              fixture_set_up, test_gc_collect, fixture_tear_down);
  g_test_add ("/session/exec/python-error", Fixture, "a = 1\n",
              fixture_set_up, test_python_error, fixture_tear_down);
  g_test_add ("/session/exec/python-error-message", Fixture, "a = 1\n",
              fixture_set_up, test_python_error_message, fixture_tear_down);
  g_test_add ("/session/exec/worker-crash", Fixture, "a = 1\n",
              fixture_set_up, test_worker_crash, fixture_tear_down);
  g_test_add_func ("/session/start/step-limit-ends-session", test_no_session_after_step_limit);
  g_test_add_func ("/session/exec/max-steps-no-overflow", test_max_steps_no_overflow);
  g_test_add_func ("/session/snapshot/outlives-trace", test_snapshot_outlives_trace);

  return g_test_run ();
}
