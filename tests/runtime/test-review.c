/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Regressions found in review: programs that crashed the worker, objects
 * that lost their identity or their place among the garbage, and limits
 * that a live session forgot.  Cases that may crash, hang or wait on a
 * timeout run in a subprocess with a deadline of their own.
 */
#define G_LOG_DOMAIN "heapscope-test-review"

#include "config.h"

#include <string.h>

#include "hs-test-trace.h"

#define ADD(path, func) \
  g_test_add (path, HsTraceFixture, NULL, hs_trace_fixture_setup, func, hs_trace_fixture_teardown)

static gboolean
is_reachable (const HsObject *o)
{
  return (o->flags & HS_OBJECT_REACHABLE) != 0;
}

static void
test_sizeof_borrowed (HsTraceFixture *f,
                      gconstpointer   data)
{
  HsTrace *t;
  g_autofree char *out = NULL;

  HS_TEST_RUN_TRAPPED (60);

  t = hs_trace_fixture_run (f,
    "class A(bytes):\n"
    "    __sizeof__ = dict.__sizeof__\n"
    "a = A(b'A' * 64)\n"
    "print('ok')\n");
  hs_test_assert_status (t, "finished");
  out = hs_test_stdout_text (t);
  g_assert_cmpstr (out, ==, "ok\n");
}

/* The helper is compiled under another file name, so building the chain
 * makes no steps; only dropping it, in one statement, is traced. */
static void
run_deep_chain (HsTraceFixture *f,
                const char     *helper,
                const char     *name,
                guint           depth)
{
  g_autofree char *source = NULL;
  g_autofree char *out = NULL;
  HsTrace *t;

  source = g_strdup_printf ("ns = {}\n"
                            "exec(compile('''%s''', 'helper.py', 'exec'), ns)\n"
                            "%s = ns['build'](%u)\n"
                            "%s = None\n"
                            "print('survived')\n",
                            helper, name, depth, name);
  f->options.max_steps = 10000000;
  f->options.timeout_ms = 60000;
  t = hs_trace_fixture_run (f, source);
  hs_test_assert_status (t, "finished");
  out = hs_test_stdout_text (t);
  g_assert_cmpstr (out, ==, "survived\n");
}

static void
test_deep_chain_context (HsTraceFixture *f,
                         gconstpointer   data)
{
  HS_TEST_RUN_TRAPPED (120);

  run_deep_chain (f,
    "\n"
    "def build(n):\n"
    "    e = ValueError(0)\n"
    "    for i in range(n):\n"
    "        x = ValueError(i)\n"
    "        x.__context__ = e\n"
    "        e = x\n"
    "    return e\n",
    "e", 500000);
}

/* CPython 3.11 frees bound methods without the trashcan, so python3 itself
 * overflows an 8 MiB stack at about 500,000; this depth is what it survives,
 * and the worker must survive it too. */
static void
test_deep_chain_bound_method (HsTraceFixture *f,
                              gconstpointer   data)
{
  HS_TEST_RUN_TRAPPED (120);

  run_deep_chain (f,
    "\n"
    "import types\n"
    "def f(self):\n"
    "    return self\n"
    "def build(n):\n"
    "    m = types.MethodType(f, object())\n"
    "    for i in range(n):\n"
    "        m = types.MethodType(f, m)\n"
    "    return m\n",
    "m", 300000);
}

static void
test_deep_chain_ordered_dict (HsTraceFixture *f,
                              gconstpointer   data)
{
  HS_TEST_RUN_TRAPPED (120);

  run_deep_chain (f,
    "\n"
    "from collections import OrderedDict\n"
    "def build(n):\n"
    "    d = OrderedDict()\n"
    "    for i in range(n):\n"
    "        d = OrderedDict(x=d)\n"
    "    return d\n",
    "d", 300000);
}

/* Assigning __class__ keeps the object: same ref, no ghost of the old one. */
static void
test_class_assignment (HsTraceFixture *f,
                       gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "class A: pass\n"        /* 1 */
    "class B: pass\n"        /* 2 */
    "a = A()\n"              /* 3 */
    "a.__class__ = B\n"      /* 4 */
    "x = 1\n");              /* 5 */
  g_autoptr(HsSnapshot) s4 = NULL;
  g_autoptr(HsSnapshot) s5 = NULL;
  const HsObject *before, *after;

  hs_test_assert_status (t, "finished");
  s4 = hs_test_step_at_line (t, 4, 0);
  s5 = hs_test_step_at_line (t, 5, 0);
  before = hs_test_var (s4, NULL, "a");
  after = hs_test_var (s5, NULL, "a");
  g_assert_cmpstr (before->type, ==, "A");
  g_assert_cmpstr (after->type, ==, "B");
  g_assert_cmpuint (after->ref, ==, before->ref);
  g_assert_cmpuint (after->id, ==, before->id);
  g_assert_false (hs_test_was_freed (s4, before->ref, NULL));
  g_assert_false (hs_test_was_freed (s5, before->ref, NULL));
  g_assert_cmpint (hs_test_first_freed_step (t, before->ref, NULL), ==, -1);
}

/* Garbage that points at a live object does not make that object garbage:
 * sys.path is still held by the sys module. */
static void
test_reachable_shared_with_garbage (HsTraceFixture *f,
                                    gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import gc, sys\n"       /* 1 */
    "gc.disable()\n"         /* 2 */
    "class N: pass\n"        /* 3 */
    "a = N()\n"              /* 4 */
    "a.me = a\n"             /* 5 */
    "a.path = sys.path\n"    /* 6 */
    "a = None\n"             /* 7 */
    "pass\n");               /* 8 */
  g_autoptr(HsSnapshot) s7 = NULL;
  g_autoptr(HsSnapshot) s8 = NULL;
  const HsObject *n, *path;
  guint32 n_ref, path_ref;

  hs_test_assert_status (t, "finished");
  s7 = hs_test_step_at_line (t, 7, 0);
  n = hs_test_var (s7, NULL, "a");
  n_ref = n->ref;
  path = hs_test_edge (s7, n, HS_EDGE_ATTR, "path");
  path_ref = path->ref;
  g_assert_cmpstr (path->type, ==, "list");
  g_assert_true (is_reachable (n));
  g_assert_true (is_reachable (path));

  s8 = hs_test_step_at_line (t, 8, 0);
  n = hs_snapshot_lookup (s8, n_ref);
  g_assert_nonnull (n);
  if (n != NULL)
    g_assert_false (is_reachable (n));
  path = hs_snapshot_lookup (s8, path_ref);
  if (path != NULL && !is_reachable (path))
    g_test_fail_printf ("sys.path (ref %u, %s) is marked unreachable at step %u",
                        path_ref, path->repr, hs_snapshot_get_index (s8));
}

static void
assert_garbage (HsSnapshot *snap,
                guint32     ref,
                const char *what)
{
  const HsObject *o = hs_snapshot_lookup (snap, ref);

  if (o == NULL)
    g_test_fail_printf ("%s (ref %u) is missing from step %u (line %u)", what, ref,
                        hs_snapshot_get_index (snap), hs_snapshot_get_line (snap));
  else if (is_reachable (o))
    g_test_fail_printf ("%s (ref %u) is reachable at step %u (line %u)", what, ref,
                        hs_snapshot_get_index (snap), hs_snapshot_get_line (snap));
}

/* Cycles that only the for loop's list held become garbage when the loop
 * ends; they must show as such at once, not vanish until the next scan. */
static void
test_garbage_after_loop (HsTraceFixture *f,
                         gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import gc\n"                    /* 1 */
    "gc.disable()\n"                 /* 2 */
    "def mk():\n"                    /* 3 */
    "    x = []\n"                   /* 4 */
    "    x.append(x)\n"              /* 5 */
    "    return x\n"                 /* 6 */
    "for item in [mk(), mk()]:\n"    /* 7 */
    "    pass\n"                     /* 8 */
    "a = 1\n"                        /* 9 */
    "b = 2\n"                        /* 10 */
    "item = None\n"                  /* 11 */
    "c = 3\n");                      /* 12 */
  g_autoptr(HsSnapshot) first_pass = NULL;
  g_autoptr(HsSnapshot) second_pass = NULL;
  g_autoptr(HsSnapshot) s9 = NULL;
  g_autoptr(HsSnapshot) s10 = NULL;
  g_autoptr(HsSnapshot) s12 = NULL;
  const HsObject *o;
  guint32 first, second;

  hs_test_assert_status (t, "finished");
  first_pass = hs_test_step_at_line (t, 8, 0);
  second_pass = hs_test_step_at_line (t, 8, 1);
  first = hs_test_var_ref (first_pass, NULL, "item");
  second = hs_test_var_ref (second_pass, NULL, "item");
  g_assert_cmpuint (first, !=, second);

  /* right after the loop, or at the latest one step later */
  s9 = hs_test_step_at_line (t, 9, 0);
  o = hs_snapshot_lookup (s9, first);
  if (o != NULL && is_reachable (o))
    g_test_fail_printf ("the first cycle is reachable after the loop, at step %u",
                        hs_snapshot_get_index (s9));
  s10 = hs_test_step_at_line (t, 10, 0);
  assert_garbage (s10, first, "the first cycle");
  /* item still holds the second */
  o = hs_snapshot_lookup (s10, second);
  g_assert_nonnull (o);
  if (o != NULL)
    g_assert_true (is_reachable (o));

  s12 = hs_test_step_at_line (t, 12, 0);
  assert_garbage (s12, first, "the first cycle");
  assert_garbage (s12, second, "the second cycle");
}

/* An exec after the run may take as long as the run was allowed, not the
 * default timeout. */
static void
test_exec_keeps_run_timeout (HsTraceFixture *f,
                             gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *python_error = NULL;
  g_autofree char *path = NULL;
  gint64 start, elapsed_ms;
  gboolean ok;

  /* the runner's deadlines are the same whatever the interpreter: the
   * default one's run covers them, and each other one waited 14 s more */
  if (g_strcmp0 (g_getenv ("HEAPSCOPE_TEST_VERSION"), "") > 0)
    {
      g_test_skip ("the runner's deadlines do not depend on the interpreter");
      return;
    }

  HS_TEST_RUN_TRAPPED (60);

  f->options.timeout_ms = 30000;
  path = hs_trace_fixture_write (f, "program.py", "x = 1\n");
  f->trace = hs_runner_start_sync (f->runner, path, &f->options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->trace);
  g_assert_true (hs_runner_is_live (f->runner));

  /* longer than the default timeout and its grace together */
  start = g_get_monotonic_time ();
  ok = hs_runner_exec_sync (f->runner, "import time; time.sleep(14)", 2, &python_error, &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_no_error (error);
  g_assert_null (python_error);
  g_assert_true (ok);
  g_assert_cmpint (elapsed_ms, >=, 13900);
  g_assert_true (hs_runner_is_live (f->runner));
  hs_runner_close (f->runner);
}

static void
test_fork_child (HsTraceFixture *f,
                 gconstpointer   data)
{
  HsTrace *t;
  g_autofree char *out = NULL;
  g_autoptr(HsSnapshot) last = NULL;

  HS_TEST_RUN_TRAPPED (60);

  t = hs_trace_fixture_run (f,
    "import os\n"                  /* 1 */
    "pid = os.fork()\n"            /* 2 */
    "if pid == 0:\n"               /* 3 */
    "    x = 1\n"                  /* 4 */
    "    os._exit(0)\n"            /* 5 */
    "os.waitpid(pid, 0)\n"         /* 6 */
    "print('parent done')\n");     /* 7 */
  hs_test_assert_status (t, "finished");
  g_assert_null (hs_trace_get_error (t));
  out = hs_test_stdout_text (t);
  g_assert_cmpstr (out, ==, "parent done\n");

  /* the parent's steps only: it never ran line 4 */
  for (guint i = 0; i < hs_trace_get_n_steps (t); i++)
    {
      g_autoptr(HsSnapshot) s = hs_trace_get_snapshot (t, i);

      g_assert_cmpuint (hs_snapshot_get_line (s), !=, 4);
      g_assert_cmpuint (hs_snapshot_get_line (s), !=, 5);
    }
  last = hs_test_last_step (t);
  g_assert_cmpint (hs_snapshot_get_event (last), ==, HS_EVENT_END);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  ADD ("/runtime/review/sizeof-borrowed", test_sizeof_borrowed);
  ADD ("/runtime/review/deep-chain/context", test_deep_chain_context);
  ADD ("/runtime/review/deep-chain/bound-method", test_deep_chain_bound_method);
  ADD ("/runtime/review/deep-chain/ordered-dict", test_deep_chain_ordered_dict);
  ADD ("/runtime/review/class-assignment", test_class_assignment);
  ADD ("/runtime/review/reachable/shared-with-garbage", test_reachable_shared_with_garbage);
  ADD ("/runtime/review/garbage/after-loop", test_garbage_after_loop);
  ADD ("/runtime/review/exec/keeps-run-timeout", test_exec_keeps_run_timeout);
  ADD ("/runtime/review/fork/child", test_fork_child);

  return g_test_run ();
}
