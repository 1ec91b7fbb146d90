/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every program in programs/ runs twice, from the same folder and named by
 * the same relative path: under HEAPSCOPE_PYTHON, and traced by HsRunner.
 * What the program prints, on either stream, and how it ends must match.
 * Each comparison is made with block-buffered stdout (a program whose
 * output goes to a file) and with PYTHONUNBUFFERED=1, since buffering
 * decides what reaches the file and when.
 */
#define G_LOG_DOMAIN "heapscope-test-differential"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "hs-test-trace.h"

static int
trace_exit_status (HsTrace *trace)
{
  const char *status = hs_trace_get_status (trace);

  if (g_str_equal (status, "finished"))
    return 0;
  if (g_str_equal (status, "exception") || g_str_equal (status, "syntax-error"))
    return 1;
  if (g_str_equal (status, "exited"))
    return hs_trace_get_exit_code (trace);
  if (g_str_equal (status, "crashed"))
    return -hs_trace_get_signal (trace);
  g_test_fail_printf ("the trace ended with status %s", status);
  return -1;
}

typedef struct
{
  char     *name;
  gboolean  unbuffered;
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->name);
  g_free (c);
}

static void
test_differential (HsTraceFixture *f,
                   gconstpointer   data)
{
  const Case *c = data;
  const char *name = c->name;
  g_autofree char *relative = g_build_filename ("programs", name, NULL);
  g_autoptr(GBytes) py_out = NULL;
  g_autoptr(GBytes) py_err = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTrace) trace = NULL;
  int py_status;
  gboolean same_out, same_err;

  if (c->unbuffered)
    g_setenv ("PYTHONUNBUFFERED", "1", TRUE);
  else
    g_unsetenv ("PYTHONUNBUFFERED");

  py_status = hs_test_run_python (relative, NULL, &py_out, &py_err);

  trace = hs_runner_run_sync (f->runner, relative, &f->options, &error);
  g_assert_no_error (error);
  g_test_message ("%s: python3 exit %d, trace status %s, %u steps", name, py_status,
                  hs_trace_get_status (trace), hs_trace_get_n_steps (trace));

  out = hs_trace_dup_stdout (trace);
  err = hs_trace_dup_stderr (trace);
  same_out = hs_test_bytes_equal_verbose ("stdout", py_out, out);
  same_err = hs_test_bytes_equal_verbose ("stderr", py_err, err);
  g_assert_true (same_out);
  g_assert_true (same_err);
  g_assert_cmpint (trace_exit_status (trace), ==, py_status);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *parent = g_path_get_dirname (HS_TEST_PROGRAMS_DIR);
  const char *name;

  /* the test cases' data, freed after the run (LeakSanitizer) */
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (case_free);

  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  /* Both interpreters start in the same folder and see the same argv[0]. */
  g_assert_cmpint (g_chdir (parent), ==, 0);
  dir = g_dir_open (HS_TEST_PROGRAMS_DIR, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".py"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_assert_cmpuint (names->len, >, 0);

  for (guint i = 0; i < names->len; i++)
    for (guint mode = 0; mode < 2; mode++)
      {
        const char *file = g_ptr_array_index (names, i);
        g_autofree char *stem = g_strndup (file, strlen (file) - 3);
        g_autofree char *path = g_strdup_printf ("/runtime/differential/%s/%s",
                                                 mode ? "unbuffered" : "buffered", stem);
        Case *c = g_new0 (Case, 1);

        g_ptr_array_add (cases, c);
        c->name = g_strdup (file);
        c->unbuffered = mode == 1;
        g_test_add (path, HsTraceFixture, c, hs_trace_fixture_setup,
                    test_differential, hs_trace_fixture_teardown);
      }

  return g_test_run ();
}
