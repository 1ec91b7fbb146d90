/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Programs with threads.  Only the main thread makes steps, but every
 * thread frees objects the graph shows, and CPython 3.11's specialised
 * instructions free floats, ints and strs without calling tp_dealloc
 * unless the thread is traced.
 */
#define G_LOG_DOMAIN "heapscope-test-threads"

#include "config.h"

#include "hs-test-trace.h"

#define ADD(path, func) \
  g_test_add (path, HsTraceFixture, NULL, hs_trace_fixture_setup, func, hs_trace_fixture_teardown)

/* The thread's instructions are specialised by the 200 lists before
 * they meet the shared one, last. */
static const char float_churn[] =
  "import threading\n"                          /* 1 */
  "shared = [float('1.5')]\n"                  /* 2 */
  "lists = [[float(i)] for i in range(200)]\n"  /* 3 */
  "lists.append(shared)\n"                      /* 4 */
  "def work():\n"                               /* 5 */
  "    for lst in lists:\n"                     /* 6 */
  "        v = lst.pop() + 1.0\n"               /* 7 */
  "        lst.append(v * 2.0)\n"               /* 8 */
  "t = threading.Thread(target=work)\n"         /* 9 */
  "t.start()\n"                                 /* 10 */
  "t.join()\n"                                  /* 11 */
  "print(len(lists), shared[0])\n";             /* 12 */

/* The float the graph showed before the thread ran was freed by it: the
 * float in its place is another object, whatever its address. */
static void
test_float_freed (HsTraceFixture *f,
                  gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f, float_churn);
  g_autoptr(HsSnapshot) before = NULL;
  g_autoptr(HsSnapshot) after = NULL;
  g_autoptr(GBytes) py_out = NULL;
  g_autoptr(GBytes) py_err = NULL;
  g_autoptr(GBytes) out = NULL;
  const HsObject *old_float;
  const HsObject *new_float;
  guint32 old_ref;
  gint64 freed_at;

  hs_test_assert_status (t, "finished");
  before = hs_test_step_at_line (t, 10, 0);
  after = hs_test_step_at_line (t, 12, 0);
  old_float = hs_test_edge (before, hs_test_var (before, NULL, "shared"), HS_EDGE_ITEM, "0");
  old_ref = old_float->ref;
  g_assert_cmpstr (old_float->repr, ==, "1.5");
  new_float = hs_test_edge (after, hs_test_var (after, NULL, "shared"), HS_EDGE_ITEM, "0");
  g_assert_cmpuint (new_float->ref, !=, old_ref);
  g_assert_cmpstr (new_float->repr, !=, "1.5");
  /* reported by the step after the one in which the thread ran */
  freed_at = hs_test_first_freed_step (t, old_ref, NULL);
  g_assert_cmpint (freed_at, >, 0);
  g_assert_cmpint (freed_at, <=, hs_snapshot_get_index (after));

  hs_test_run_python (f->path, NULL, &py_out, &py_err);
  out = hs_trace_dup_stdout (t);
  g_assert_true (hs_test_bytes_equal_verbose ("stdout", py_out, out));
}

/* What the program sees of tracing in its threads is what python3 shows. */
static void
test_gettrace_in_thread (HsTraceFixture *f,
                         gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys, threading\n"
    "seen = []\n"
    "def tr(frame, event, arg):\n"
    "    return None\n"
    "def work():\n"
    "    seen.append(sys.gettrace())\n"
    "    sys.settrace(tr)\n"
    "    seen.append(sys.gettrace() is tr)\n"
    "    sys.settrace(None)\n"
    "    seen.append(sys.gettrace())\n"
    "    seen.append(sys.getrefcount(tr))\n"
    "t = threading.Thread(target=work)\n"
    "t.start()\n"
    "t.join()\n"
    "print(seen, sys.gettrace())\n");
  g_autoptr(GBytes) py_out = NULL;
  g_autoptr(GBytes) py_err = NULL;
  g_autoptr(GBytes) out = NULL;

  hs_test_assert_status (t, "finished");
  hs_test_run_python (f->path, NULL, &py_out, &py_err);
  out = hs_trace_dup_stdout (t);
  g_assert_true (hs_test_bytes_equal_verbose ("stdout", py_out, out));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  ADD ("/runtime/threads/float-freed", test_float_freed);
  ADD ("/runtime/threads/gettrace", test_gettrace_in_thread);

  return g_test_run ();
}
