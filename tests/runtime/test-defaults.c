/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The default step cap serves real programs (issue 10): a program that
 * needs 102,886 steps to reach its ValueError gets there with the default
 * options.  The timeout is 10 minutes rather than the default 10 s (or
 * the fixture's 30 s, which the sanitizer build on a loaded 2-core machine
 * exceeded), so that no machine can turn this test about the step cap
 * into one about speed; a run that never ends still meets meson's
 * timeout.  test-outcomes checks that a timeout keeps the steps before it.
 */
#define G_LOG_DOMAIN "heapscope-test-defaults"

#include "config.h"

#include "hs-test-trace.h"

static void
test_long_run_reaches_its_error (HsTraceFixture *f,
                                 gconstpointer   data)
{
  HsTrace *t;
  const HsTraceError *error;

  g_assert_cmpuint (f->options.max_steps, ==, HS_RUN_DEFAULT_MAX_STEPS);
  f->options.timeout_ms = 600000;
  /* two steps an iteration: 102,886 steps in all */
  t = hs_trace_fixture_run (f,
    "def check(n):\n"
    "    total = 0\n"
    "    for i in range(n):\n"
    "        total += i\n"
    "    if total > 0:\n"
    "        raise ValueError('total is %d' % total)\n"
    "limit = 51437\n"
    "check(limit)\n");

  g_assert_cmpstr (hs_trace_get_status (t), ==, "exception");
  error = hs_trace_get_error (t);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->type, ==, "ValueError");
  g_assert_cmpstr (error->message, ==, "total is 1322856766");
  g_assert_cmpuint (hs_trace_get_n_steps (t), ==, 102886);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/defaults/long-run-reaches-its-error", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_long_run_reaches_its_error, hs_trace_fixture_teardown);
  return g_test_run ();
}
