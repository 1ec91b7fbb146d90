/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How a run ends: errors, each cap, input, exits, crashes and output that
 * tries to get in the protocol's way.  Cases that wait on a timeout or a
 * dying worker run in a subprocess with a deadline of their own, so that a
 * runner that hangs fails the case instead of the suite.
 */
#define G_LOG_DOMAIN "heapscope-test-outcomes"

#include "config.h"

#include <signal.h>

#include "hs-test-trace.h"

#define ADD(path, func) \
  g_test_add (path, HsTraceFixture, NULL, hs_trace_fixture_setup, func, hs_trace_fixture_teardown)

static void
test_error_syntax (HsTraceFixture *f,
                   gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "x = 1\n"
    "if x\n"
    "    pass\n");
  const HsTraceError *e;
  g_autoptr(GBytes) py_out = NULL;
  g_autoptr(GBytes) py_err = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GBytes) tb = NULL;
  int status;

  hs_test_assert_status (t, "syntax-error");
  e = hs_trace_get_error (t);
  g_assert_nonnull (e);
  if (e == NULL)
    return;
  g_assert_cmpstr (e->type, ==, "SyntaxError");
  g_assert_cmpuint (e->line, ==, 2);
  g_assert_cmpstr (e->message, ==, "expected ':'");

  /* nothing ran, but the trace still has a final step to show */
  g_assert_cmpuint (hs_trace_get_n_steps (t), >=, 1);

  status = hs_test_run_python (f->path, NULL, &py_out, &py_err);
  g_assert_cmpint (status, ==, 1);
  err = hs_trace_dup_stderr (t);
  tb = g_bytes_new (e->traceback, strlen (e->traceback));
  g_assert_true (hs_test_bytes_equal_verbose ("stderr", py_err, err));
  g_assert_true (hs_test_bytes_equal_verbose ("error traceback", py_err, tb));
}

static void
test_error_exception (HsTraceFixture *f,
                      gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "def f(n):\n"          /* 1 */
    "    return 10 / n\n"  /* 2 */
    "print('start')\n"     /* 3 */
    "f(0)\n"               /* 4 */
    "print('never')\n");   /* 5 */
  const HsTraceError *e;
  g_autoptr(GBytes) py_out = NULL;
  g_autoptr(GBytes) py_err = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GBytes) tb = NULL;
  g_autoptr(HsSnapshot) s2 = NULL;
  g_autoptr(HsSnapshot) last = NULL;
  int status;

  hs_test_assert_status (t, "exception");
  e = hs_trace_get_error (t);
  g_assert_nonnull (e);
  if (e == NULL)
    return;
  g_assert_cmpstr (e->type, ==, "ZeroDivisionError");
  g_assert_cmpstr (e->message, ==, "division by zero");
  g_assert_cmpuint (e->line, ==, 2);

  /* every step up to the failure is kept, and the last one is the end */
  s2 = hs_test_step_at_line (t, 2, 0);
  g_assert_cmpstr (hs_test_var (s2, "f", "n")->repr, ==, "0");
  last = hs_test_last_step (t);
  g_assert_cmpint (hs_snapshot_get_event (last), ==, HS_EVENT_END);

  status = hs_test_run_python (f->path, NULL, &py_out, &py_err);
  g_assert_cmpint (status, ==, 1);
  out = hs_trace_dup_stdout (t);
  err = hs_trace_dup_stderr (t);
  tb = g_bytes_new (e->traceback, strlen (e->traceback));
  g_assert_true (hs_test_bytes_equal_verbose ("stdout", py_out, out));
  g_assert_true (hs_test_bytes_equal_verbose ("stderr", py_err, err));
  g_assert_true (hs_test_bytes_equal_verbose ("error traceback", py_err, tb));
}

static const char endless[] =
  "i = 0\n"
  "while True:\n"
  "    i += 1\n";

static void
test_limit_max_steps (HsTraceFixture *f,
                      gconstpointer   data)
{
  HsTrace *t;
  g_autoptr(HsSnapshot) last = NULL;

  f->options.max_steps = 50;
  t = hs_trace_fixture_run (f, endless);
  hs_test_assert_status (t, "step-limit");
  g_assert_cmpuint (hs_trace_get_n_steps (t), ==, 50);
  last = hs_test_last_step (t);
  g_assert_cmpuint (hs_snapshot_get_index (last), ==, 49);
  /* the state up to the cap is all there */
  g_assert_cmpstr (hs_test_var (last, NULL, "i")->type, ==, "int");
  g_assert_null (hs_trace_get_error (t));
}

/* A program that fits in exactly max_steps steps finishes; one fewer stops it. */
static void
test_limit_max_steps_boundary (HsTraceFixture *f,
                               gconstpointer   data)
{
  const char *program = "a = 1\nb = 2\nc = a + b\nprint(c)\n";
  HsTrace *t = hs_trace_fixture_run (f, program);
  guint full;

  hs_test_assert_status (t, "finished");
  full = hs_trace_get_n_steps (t);
  g_assert_cmpuint (full, ==, 5);

  f->options.max_steps = full;
  t = hs_trace_fixture_run (f, program);
  hs_test_assert_status (t, "finished");
  g_assert_cmpuint (hs_trace_get_n_steps (t), ==, full);

  f->options.max_steps = full - 1;
  t = hs_trace_fixture_run (f, program);
  hs_test_assert_status (t, "step-limit");
  g_assert_cmpuint (hs_trace_get_n_steps (t), ==, full - 1);
}

static void
test_limit_timeout (HsTraceFixture *f,
                    gconstpointer   data)
{
  HsTrace *t;
  gint64 start, elapsed_ms;

  HS_TEST_RUN_TRAPPED (60);

  f->options.max_steps = 10000000;
  f->options.timeout_ms = 1000;
  start = g_get_monotonic_time ();
  t = hs_trace_fixture_run (f, "while True:\n    pass\n");
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  hs_test_assert_status (t, "timeout");
  g_assert_cmpuint (hs_trace_get_n_steps (t), >, 10);
  g_assert_cmpint (elapsed_ms, >=, 900);
  g_assert_cmpint (elapsed_ms, <, 1000 + 5000);
}

static void
test_limit_c_hang (HsTraceFixture *f,
                   gconstpointer   data)
{
  HsTrace *t;
  gint64 start, elapsed_ms;
  g_autoptr(HsSnapshot) s = NULL;

  HS_TEST_RUN_TRAPPED (60);

  f->options.timeout_ms = 1000;
  start = g_get_monotonic_time ();
  t = hs_trace_fixture_run (f,
    "x = [1, 2]\n"
    "print('before', flush=True)\n"
    "total = sum(range(10**12))\n"
    "print('after')\n");
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  hs_test_assert_status (t, "timeout");
  /* steps up to the hang are kept */
  s = hs_test_step_at_line (t, 3, 0);
  g_assert_cmpstr (hs_test_var (s, NULL, "x")->repr, ==, "[1, 2]");
  g_assert_cmpint (elapsed_ms, <, 1000 + 8000);
  {
    g_autofree char *out = hs_test_stdout_text (t);

    g_assert_cmpstr (out, ==, "before\n");
  }
}

static guint
count_edges (const HsObject *o,
             HsEdgeKind      kind)
{
  guint n = 0;

  for (guint i = 0; i < o->n_edges; i++)
    n += o->edges[i].kind == kind;
  return n;
}

static gboolean
has_edge_label (const HsObject *o,
                HsEdgeKind      kind,
                const char     *label)
{
  for (guint i = 0; i < o->n_edges; i++)
    if (o->edges[i].kind == kind && g_strcmp0 (o->edges[i].label, label) == 0)
      return TRUE;
  return FALSE;
}

static void
test_limit_max_elements (HsTraceFixture *f,
                         gconstpointer   data)
{
  HsTrace *t;
  g_autoptr(HsSnapshot) s = NULL;
  const HsObject *big, *d, *st;
  guint shown;

  t = hs_trace_fixture_run (f,
    "big = [str(i) for i in range(10000)]\n"   /* 1 */
    "d = {i: -i for i in range(500)}\n"        /* 2 */
    "st = set(range(1000, 1300))\n"            /* 3 */
    "pass\n");                                 /* 4 */
  hs_test_assert_status (t, "finished");
  s = hs_test_step_at_line (t, 4, 0);

  big = hs_test_var (s, NULL, "big");
  shown = count_edges (big, HS_EDGE_ITEM);
  g_assert_true (big->flags & HS_OBJECT_CONTAINER);
  g_assert_cmpuint (big->length, ==, 10000);
  g_assert_cmpuint (shown, >, 0);
  g_assert_cmpuint (shown, <=, HS_RUN_DEFAULT_MAX_ELEMENTS);
  g_assert_cmpuint (big->omitted, ==, 10000 - shown);
  /* head and tail */
  g_assert_true (has_edge_label (big, HS_EDGE_ITEM, "0"));
  g_assert_true (has_edge_label (big, HS_EDGE_ITEM, "9999"));
  g_assert_cmpstr (hs_test_edge (s, big, HS_EDGE_ITEM, "9999")->repr, ==, "'9999'");

  d = hs_test_var (s, NULL, "d");
  shown = count_edges (d, HS_EDGE_VALUE);
  g_assert_cmpuint (d->length, ==, 500);
  g_assert_cmpuint (count_edges (d, HS_EDGE_KEY), ==, shown);
  g_assert_cmpuint (shown, <=, HS_RUN_DEFAULT_MAX_ELEMENTS);
  g_assert_cmpuint (d->omitted, ==, 500 - shown);

  st = hs_test_var (s, NULL, "st");
  shown = count_edges (st, HS_EDGE_MEMBER);
  g_assert_cmpuint (st->length, ==, 300);
  g_assert_cmpuint (shown, <=, HS_RUN_DEFAULT_MAX_ELEMENTS);
  g_assert_cmpuint (st->omitted, ==, 300 - shown);
}

static void
test_limit_max_objects (HsTraceFixture *f,
                        gconstpointer   data)
{
  HsTrace *t;
  g_autoptr(HsSnapshot) s = NULL;
  const HsObject *objs;
  guint n_objects;

  f->options.max_objects = 50;
  f->options.max_elements = 1000;
  t = hs_trace_fixture_run (f,
    "objs = [object() for _ in range(500)]\n"
    "pass\n");
  hs_test_assert_status (t, "finished");
  s = hs_test_step_at_line (t, 2, 0);
  hs_snapshot_get_objects (s, &n_objects);
  g_assert_cmpuint (n_objects, <=, 50);
  objs = hs_test_var (s, NULL, "objs");
  g_assert_cmpuint (objs->length, ==, 500);
  /* whatever the object cap left out, the list says how much is missing */
  g_assert_cmpuint (count_edges (objs, HS_EDGE_ITEM) + objs->omitted, ==, 500);
}

/* A dict's entries recorded whole: a key edge followed by the value
 * edge of the same entry */
static guint
count_whole_entries (const HsObject *o)
{
  guint n = 0;

  for (guint i = 0; i + 1 < o->n_edges; i++)
    n += o->edges[i].kind == HS_EDGE_KEY && o->edges[i + 1].kind == HS_EDGE_VALUE &&
         g_strcmp0 (o->edges[i].label, o->edges[i + 1].label) == 0;
  return n;
}

/* At the object cap, a dict whose entry's key and value were both left
 * out counted two entries omitted for that one entry: {'k1': [1]} said
 * length 1, omitted 2 (the inspector: "1 (2 not reported)").  Every dict
 * recorded must account for its length exactly: the entries recorded
 * whole, plus those omitted (an entry with its key or its value left out
 * is omitted); at the step that reads the dicts and at the next, which
 * replays them unchanged.  The object cap itself is exact: as many
 * objects as it allows. */
static void
test_limit_max_objects_dict (HsTraceFixture *f,
                             gconstpointer   data)
{
  HsTrace *t;

  f->options.max_objects = 10;
  t = hs_trace_fixture_run (f,
    "ds = [{'k%d' % i: [i]} for i in range(8)]\n"   /* 1 */
    "pass\n"                                         /* 2 */
    "pass\n");                                       /* 3 */
  hs_test_assert_status (t, "finished");
  for (guint line = 2; line <= 3; line++)
    {
      g_autoptr(HsSnapshot) s = hs_test_step_at_line (t, line, 0);
      const HsObject *objs;
      guint n_objects, n_dicts = 0, n_empty = 0;

      objs = hs_snapshot_get_objects (s, &n_objects);
      g_assert_cmpuint (n_objects, ==, 10);
      for (guint i = 0; i < n_objects; i++)
        {
          const HsObject *o = &objs[i];
          guint whole = count_whole_entries (o);

          if (g_strcmp0 (o->type, "dict") != 0)
            continue;
          n_dicts++;
          n_empty += o->n_edges == 0;
          g_test_message ("line %u: dict %s, length %u, %u edges, %u entries whole, %u omitted",
                          line, o->repr, o->length, o->n_edges, whole, o->omitted);
          g_assert_cmpuint (o->length, ==, 1);
          g_assert_cmpuint (whole + o->omitted, ==, o->length);
        }
      /* the list and its 8 dicts fill 9 of the 10 places: most dicts
       * have their key and value both left out */
      g_assert_cmpuint (n_dicts, ==, 8);
      g_assert_cmpuint (n_empty, >=, 6);
    }
}

static void
test_stdin_file (HsTraceFixture *f,
                 gconstpointer   data)
{
  g_autofree char *input = hs_trace_fixture_write (f, "input.txt", "hello\nworld\n");
  g_autofree char *out = NULL;
  HsTrace *t;

  f->options.stdin_path = input;
  t = hs_trace_fixture_run (f,
    "a = input('name? ')\n"
    "b = input()\n"
    "print(a.upper(), b)\n"
    "try:\n"
    "    input()\n"
    "except EOFError:\n"
    "    print('eof')\n");
  hs_test_assert_status (t, "finished");
  out = hs_test_stdout_text (t);
  g_assert_cmpstr (out, ==, "name? HELLO world\neof\n");
}

static void
test_stdin_eof (HsTraceFixture *f,
                gconstpointer   data)
{
  HsTrace *t;
  const HsTraceError *e;
  g_autoptr(GBytes) py_out = NULL;
  g_autoptr(GBytes) py_err = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;

  t = hs_trace_fixture_run (f,
    "import sys\n"
    "print(repr(sys.stdin.read()))\n"
    "x = input('prompt> ')\n");
  hs_test_assert_status (t, "exception");
  e = hs_trace_get_error (t);
  g_assert_nonnull (e);
  if (e == NULL)
    return;
  g_assert_cmpstr (e->type, ==, "EOFError");
  g_assert_cmpuint (e->line, ==, 3);

  g_assert_cmpint (hs_test_run_python (f->path, NULL, &py_out, &py_err), ==, 1);
  out = hs_trace_dup_stdout (t);
  err = hs_trace_dup_stderr (t);
  g_assert_true (hs_test_bytes_equal_verbose ("stdout", py_out, out));
  g_assert_true (hs_test_bytes_equal_verbose ("stderr", py_err, err));
}

static void
test_exit_os_exit (HsTraceFixture *f,
                   gconstpointer   data)
{
  HsTrace *t;
  g_autofree char *out = NULL;
  g_autoptr(HsSnapshot) s = NULL;

  HS_TEST_RUN_TRAPPED (60);

  t = hs_trace_fixture_run (f,
    "import os\n"
    "x = [1, 2, 3]\n"
    "print('bye', flush=True)\n"
    "os._exit(3)\n"
    "print('never')\n");
  hs_test_assert_status (t, "exited");
  g_assert_cmpint (hs_trace_get_exit_code (t), ==, 3);
  out = hs_test_stdout_text (t);
  g_assert_cmpstr (out, ==, "bye\n");
  s = hs_test_step_at_line (t, 4, 0);
  g_assert_cmpstr (hs_test_var (s, NULL, "x")->repr, ==, "[1, 2, 3]");
}

static void
test_exit_sys_exit (HsTraceFixture *f,
                    gconstpointer   data)
{
  HsTrace *t;
  g_autoptr(GBytes) py_out = NULL;
  g_autoptr(GBytes) py_err = NULL;
  g_autoptr(GBytes) err = NULL;
  int status;

  t = hs_trace_fixture_run (f,
    "import sys\n"
    "print('leaving')\n"
    "sys.exit('bad things')\n");
  status = hs_test_run_python (f->path, NULL, &py_out, &py_err);
  g_assert_cmpint (status, ==, 1);
  /* SystemExit is how a program chooses its exit status, not a crash */
  hs_test_assert_status (t, "exited");
  g_assert_cmpint (hs_trace_get_exit_code (t), ==, status);
  err = hs_trace_dup_stderr (t);
  g_assert_true (hs_test_bytes_equal_verbose ("stderr", py_err, err));
}

/* Issue 48 item 10: a program that lowers its own RLIMIT_CPU ends as
 * python3 does, killed by SIGXCPU, and the report says it was the
 * program's limit, not a crash of Heapscope's runtime. */
static void
test_crash_own_cpu_limit (HsTraceFixture *f,
                          gconstpointer   data)
{
  const HsTraceError *error;
  HsTrace *t;

  f->options.timeout_ms = 60000;
  t = hs_trace_fixture_run (f,
    "import resource\n"
    "resource.setrlimit(resource.RLIMIT_CPU, (1, 2))\n"
    "x = 0\n"
    "while True:\n"
    "    x += 1\n");
  hs_test_assert_status (t, "crashed");
  g_assert_cmpint (hs_trace_get_signal (t), ==, SIGXCPU);
  error = hs_trace_get_error (t);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_null (strstr (error->message, "runtime"));
  g_assert_nonnull (strstr (error->message, "limit"));
}

static void
test_crash_segfault (HsTraceFixture *f,
                     gconstpointer   data)
{
  HsTrace *t;
  g_autofree char *out = NULL;
  g_autoptr(HsSnapshot) s = NULL;
  g_autoptr(HsRunner) again = NULL;
  g_autoptr(HsTrace) t2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *second = NULL;

  HS_TEST_RUN_TRAPPED (60);

  t = hs_trace_fixture_run (f,
    "import ctypes\n"
    "x = {'a': 1}\n"
    "print('before', flush=True)\n"
    "ctypes.string_at(0)\n"
    "print('after')\n");
  hs_test_assert_status (t, "crashed");
  g_assert_cmpint (hs_trace_get_signal (t), ==, SIGSEGV);
  out = hs_test_stdout_text (t);
  g_assert_cmpstr (out, ==, "before\n");
  s = hs_test_step_at_line (t, 4, 0);
  g_assert_cmpstr (hs_test_var (s, NULL, "x")->type, ==, "dict");

  /* the same runner starts a fresh worker afterwards */
  second = hs_trace_fixture_write (f, "second.py", "y = 2\nprint(y)\n");
  t2 = hs_runner_run_sync (f->runner, second, &f->options, &error);
  g_assert_no_error (error);
  hs_test_assert_status (t2, "finished");
}

static void
test_output_fd1 (HsTraceFixture *f,
                 gconstpointer   data)
{
  static const char expected[] = "raw\nafter\n\0\0\0\010GARBAGE!more\n";
  g_autoptr(GBytes) want = g_bytes_new_static (expected, sizeof expected - 1);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(HsSnapshot) s = NULL;
  HsTrace *t;

  t = hs_trace_fixture_run (f,
    "import os, sys\n"                              /* 1 */
    "os.write(1, b'raw\\n')\n"                      /* 2 */
    "print('after', flush=True)\n"                  /* 3 */
    "os.write(1, b'\\0\\0\\0\\x08GARBAGE!')\n"      /* 4 */
    "os.write(sys.stdout.fileno(), b'more\\n')\n"   /* 5 */
    "x = [1]\n"                                     /* 6 */
    "pass\n");                                      /* 7 */
  hs_test_assert_status (t, "finished");
  out = hs_trace_dup_stdout (t);
  g_assert_true (hs_test_bytes_equal_verbose ("stdout", want, out));
  s = hs_test_step_at_line (t, 7, 0);
  g_assert_cmpstr (hs_test_var (s, NULL, "x")->repr, ==, "[1]");
}

static void
assert_step_output (HsTrace    *trace,
                    guint       line,
                    guint       nth,
                    const char *out,
                    const char *err)
{
  g_autoptr(HsSnapshot) s = hs_test_step_at_line (trace, line, nth);
  GBytes *o = hs_snapshot_get_stdout (s);
  GBytes *e = hs_snapshot_get_stderr (s);
  g_autofree char *o_text = g_strndup (g_bytes_get_data (o, NULL), g_bytes_get_size (o));
  g_autofree char *e_text = g_strndup (g_bytes_get_data (e, NULL), g_bytes_get_size (e));

  g_assert_cmpstr (o_text, ==, out);
  g_assert_cmpstr (e_text, ==, err);
}

/* Each step's output is what the line before it wrote, however it wrote
 * it: print, sys.stderr, os.write, or many lines at once; with stdout
 * block-buffered (data NULL) and unbuffered. */
static void
test_output_per_step (HsTraceFixture *f,
                      gconstpointer   data)
{
  HsTrace *t;

  if (data != NULL)
    g_setenv ("PYTHONUNBUFFERED", "1", TRUE);
  else
    g_unsetenv ("PYTHONUNBUFFERED");

  t = hs_trace_fixture_run (f,
    "import os, sys\n"                      /* 1 */
    "print('one')\n"                        /* 2 */
    "x = 1\n"                               /* 3 */
    "sys.stderr.write('two\\n')\n"          /* 4 */
    "y = 2\n"                               /* 5 */
    "os.write(1, b'three\\n')\n"            /* 6 */
    "for i in range(2):\n"                  /* 7 */
    "    print(i)\n"                        /* 8 */
    "z = 3\n");                             /* 9 */

  hs_test_assert_status (t, "finished");
  assert_step_output (t, 2, 0, "", "");
  assert_step_output (t, 3, 0, "one\n", "");
  assert_step_output (t, 5, 0, "", "two\n");
  assert_step_output (t, 7, 0, "three\n", "");
  /* the loop comes back to its for line after each print */
  assert_step_output (t, 7, 1, "0\n", "");
  assert_step_output (t, 7, 2, "1\n", "");
  assert_step_output (t, 9, 0, "", "");
  g_unsetenv ("PYTHONUNBUFFERED");
}

/* The protocol's pipes are not the program's business: writing to the file
 * descriptors after 2 must not reach the parent. */
static void
test_output_protocol_fds (HsTraceFixture *f,
                          gconstpointer   data)
{
  HsTrace *t;
  g_autoptr(HsSnapshot) s = NULL;

  HS_TEST_RUN_TRAPPED (60);

  t = hs_trace_fixture_run (f,
    "import os\n"                                   /* 1 */
    "for fd in range(3, 10):\n"                     /* 2 */
    "    try:\n"                                    /* 3 */
    "        os.write(fd, b'\\xff' * 64)\n"         /* 4 */
    "    except OSError:\n"                         /* 5 */
    "        pass\n"                                /* 6 */
    "x = 'still here'\n"                            /* 7 */
    "pass\n");                                      /* 8 */
  hs_test_assert_status (t, "finished");
  s = hs_test_step_at_line (t, 8, 0);
  g_assert_cmpstr (hs_test_var (s, NULL, "x")->repr, ==, "'still here'");
}

/* The message comes from the exception object, not from the printed
 * traceback, whose last lines may be the message's own or a note's. */
static void
check_message (HsTraceFixture *f,
               const char     *source,
               const char     *type,
               const char     *message)
{
  HsTrace *t = hs_trace_fixture_run (f, source);
  const HsTraceError *e;

  hs_test_assert_status (t, "exception");
  e = hs_trace_get_error (t);
  g_assert_nonnull (e);
  if (e == NULL)
    return;
  g_assert_cmpstr (e->type, ==, type);
  g_assert_cmpstr (e->message, ==, message);
}

static void
test_error_message_multiline (HsTraceFixture *f,
                              gconstpointer   data)
{
  check_message (f, "raise ValueError('bad input:\\n  expected a number')\n",
                 "ValueError", "bad input:\n  expected a number");
}

static void
test_error_message_note (HsTraceFixture *f,
                         gconstpointer   data)
{
  check_message (f,
    "e = ValueError('the message')\n"
    "e.add_note('a note')\n"
    "raise e\n",
    "ValueError", "the message");
}

static void
test_error_message_key (HsTraceFixture *f,
                        gconstpointer   data)
{
  check_message (f, "{}['k']\n", "KeyError", "'k'");
}

/* A message only the program's own __str__ can give is not read: the
 * trace says so, and __str__ runs once, as under python3. */
static void
test_error_message_user_str (HsTraceFixture *f,
                             gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "class E(Exception):\n"
    "    def __str__(self):\n"
    "        print('__str__ called')\n"
    "        return 'boom'\n"
    "raise E('arg')\n");
  const HsTraceError *e;
  g_autoptr(GBytes) py_out = NULL;
  g_autoptr(GBytes) py_err = NULL;
  g_autoptr(GBytes) out = NULL;

  hs_test_assert_status (t, "exception");
  e = hs_trace_get_error (t);
  g_assert_nonnull (e);
  if (e == NULL)
    return;
  g_assert_cmpstr (e->type, ==, "E");
  g_assert_nonnull (strstr (e->message, "__str__"));
  hs_test_run_python (f->path, NULL, &py_out, &py_err);
  out = hs_trace_dup_stdout (t);
  g_assert_true (hs_test_bytes_equal_verbose ("stdout", py_out, out));
}

/* The program's own tracer is chained to: it sees its events, gettrace()
 * returns it, and the steps go on after the call. */
static void
test_program_settrace (HsTraceFixture *f,
                       gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys\n"                                  /* 1 */
    "events = []\n"                                 /* 2 */
    "def tr(frame, event, arg):\n"                  /* 3 */
    "    events.append((event, frame.f_lineno))\n"  /* 4 */
    "    return tr\n"                               /* 5 */
    "def f():\n"                                    /* 6 */
    "    return 1\n"                                /* 7 */
    "sys.settrace(tr)\n"                            /* 8 */
    "f()\n"                                         /* 9 */
    "sys.settrace(None)\n"                          /* 10 */
    "print(sys.gettrace(), events)\n"               /* 11 */
    "sys.settrace(tr)\n"                            /* 12 */
    "print(sys.gettrace() is tr)\n"                 /* 13 */
    "sys.settrace(None)\n"                          /* 14 */
    "x = 2\n");                                     /* 15 */
  g_autoptr(GBytes) py_out = NULL;
  g_autoptr(GBytes) py_err = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(HsSnapshot) s7 = NULL;
  g_autoptr(HsSnapshot) s15 = NULL;

  hs_test_assert_status (t, "finished");
  s7 = hs_test_step_at_line (t, 7, 0);
  s15 = hs_test_step_at_line (t, 15, 0);
  g_assert_nonnull (s7);
  g_assert_nonnull (s15);
  hs_test_run_python (f->path, NULL, &py_out, &py_err);
  out = hs_trace_dup_stdout (t);
  g_assert_true (hs_test_bytes_equal_verbose ("stdout", py_out, out));
}

/* The worker parses the file as the python3 it embeds does, NUL bytes
 * included. */
static void
test_error_nul_byte (HsTraceFixture *f,
                     gconstpointer   data)
{
  static const char source[] = "x = 1\0\nprint(x)\n";
  g_autofree char *path = NULL;
  g_autoptr(GBytes) py_out = NULL;
  g_autoptr(GBytes) py_err = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTrace) t = NULL;
  int status;

  path = g_build_filename (f->tmpdir, "nul.py", NULL);
  g_assert_true (g_file_set_contents (path, source, sizeof source - 1, NULL));
  t = hs_runner_run_sync (f->runner, path, &f->options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (t);
  if (t == NULL)
    return;
  status = hs_test_run_python (path, NULL, &py_out, &py_err);
  err = hs_trace_dup_stderr (t);
  g_assert_cmpint (hs_trace_get_exit_code (t), ==, status);
  g_assert_true (hs_test_bytes_equal_verbose ("stderr", py_err, err));
}

/* An edited file runs as its text would saved in its place (the window
 * gives the text, HsRunOptions.source): its module beside it imports,
 * __file__, sys.path[0] and the current folder are the file's, and a
 * syntax error quotes the edited line, not the saved one.  python3 then
 * runs the same text saved there. */
static void
check_edited (HsTraceFixture *f,
              const char     *path,
              const char     *text,
              const char     *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTrace) t = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GBytes) py_out = NULL;
  g_autoptr(GBytes) py_err = NULL;
  g_autofree char *saved = NULL;
  int py_status;

  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  f->options.source = text;
  t = hs_runner_run_sync (f->runner, path, &f->options, &error);
  f->options.source = NULL;
  g_assert_no_error (error);
  g_assert_nonnull (t);
  if (t == NULL)
    return;
  hs_test_assert_status (t, status);
  {
    g_autofree char *now = NULL;

    /* the saved file is left as it was */
    g_assert_true (g_file_get_contents (path, &now, NULL, NULL));
    g_assert_cmpstr (now, ==, saved);
  }

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  py_status = hs_test_run_python (path, NULL, &py_out, &py_err);
  g_assert_true (g_file_set_contents (path, saved, -1, NULL));
  out = hs_trace_dup_stdout (t);
  err = hs_trace_dup_stderr (t);
  g_assert_cmpint (hs_trace_get_exit_code (t), ==, py_status);
  g_assert_true (hs_test_bytes_equal_verbose ("stdout", py_out, out));
  g_assert_true (hs_test_bytes_equal_verbose ("stderr", py_err, err));
}

static void
test_edited_file (HsTraceFixture *f,
                  gconstpointer   data)
{
  g_autofree char *helper = hs_trace_fixture_write (f, "helper.py",
    "def make(n):\n"
    "    return list(range(n))\n");
  g_autofree char *path = hs_trace_fixture_write (f, "main.py",
    "from helper import make\n"
    "print(make(1))\n");
  gboolean in_helper = FALSE;

  check_edited (f, path,
    "import os, sys\n"
    "from helper import make\n"
    "items = make(3)\n"
    "print(__file__, sys.path[0], os.getcwd())\n"
    "print(items, sys.argv)\n",
    "finished");
  check_edited (f, path,
    "from helper import make\n"
    "print(make(2), 'edited'\n",
    "syntax-error");

  /* the frames name the real files */
  f->options.source = "from helper import make\nitems = make(2)\n";
  f->trace = hs_runner_run_sync (f->runner, path, &f->options, NULL);
  f->options.source = NULL;
  g_assert_nonnull (f->trace);
  for (guint i = 0; f->trace != NULL && i < hs_trace_get_n_steps (f->trace); i++)
    {
      g_autoptr(HsSnapshot) snap = hs_trace_get_snapshot (f->trace, i);
      guint n = 0;
      const HsFrame *frames = hs_snapshot_get_frames (snap, &n);

      for (guint k = 0; k < n; k++)
        g_assert_true (g_str_equal (frames[k].file, "main.py") || g_str_equal (frames[k].file, "helper.py"));
      in_helper |= n > 0 && g_str_equal (frames[n - 1].file, "helper.py");
    }
  g_assert_true (in_helper);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  ADD ("/runtime/error/syntax", test_error_syntax);
  ADD ("/runtime/error/exception", test_error_exception);
  ADD ("/runtime/error/message/multiline", test_error_message_multiline);
  ADD ("/runtime/error/message/note", test_error_message_note);
  ADD ("/runtime/error/message/key", test_error_message_key);
  ADD ("/runtime/error/message/user-str", test_error_message_user_str);
  ADD ("/runtime/error/nul-byte", test_error_nul_byte);
  ADD ("/runtime/tracer/program-settrace", test_program_settrace);
  ADD ("/runtime/limit/max-steps", test_limit_max_steps);
  ADD ("/runtime/limit/max-steps-boundary", test_limit_max_steps_boundary);
  ADD ("/runtime/limit/timeout", test_limit_timeout);
  ADD ("/runtime/limit/c-hang", test_limit_c_hang);
  ADD ("/runtime/limit/max-elements", test_limit_max_elements);
  ADD ("/runtime/limit/max-objects", test_limit_max_objects);
  ADD ("/runtime/limit/max-objects-dict", test_limit_max_objects_dict);
  ADD ("/runtime/stdin/file", test_stdin_file);
  ADD ("/runtime/stdin/eof", test_stdin_eof);
  ADD ("/runtime/exit/os-exit", test_exit_os_exit);
  ADD ("/runtime/exit/sys-exit", test_exit_sys_exit);
  ADD ("/runtime/crash/segfault", test_crash_segfault);
  ADD ("/runtime/crash/own-cpu-limit", test_crash_own_cpu_limit);
  ADD ("/runtime/output/fd1", test_output_fd1);
  ADD ("/runtime/output/per-step/buffered", test_output_per_step);
  g_test_add ("/runtime/output/per-step/unbuffered", HsTraceFixture, "unbuffered",
              hs_trace_fixture_setup, test_output_per_step, hs_trace_fixture_teardown);
  ADD ("/runtime/output/protocol-fds", test_output_protocol_fds);
  ADD ("/runtime/edited/runs-in-place", test_edited_file);

  return g_test_run ();
}
