/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What differs between the CPythons Heapscope embeds, checked against the
 * interpreter itself: HEAPSCOPE_RUNTIME is the worker of version
 * HEAPSCOPE_TEST_VERSION and HEAPSCOPE_PYTHON that version's python.  When
 * the build found no such interpreter the worker is empty and every case
 * skips.
 */
#define G_LOG_DOMAIN "heapscope-test-versions"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "hs-protocol.h"
#include "hs-test-trace.h"

#define ADD(path, func) \
  g_test_add (path, HsTraceFixture, NULL, hs_trace_fixture_setup, func, hs_trace_fixture_teardown)

/* 3.12 and later: PEP 683's immortal refcount, as sys.getrefcount shows it
 * on a 64-bit build. */
#define IMMORTAL_REFCOUNT G_GINT64_CONSTANT (4294967295)

static const char *
test_version (void)
{
  return g_getenv ("HEAPSCOPE_TEST_VERSION");
}

static gboolean
skip_if_absent (void)
{
  const char *runtime = g_getenv ("HEAPSCOPE_RUNTIME");

  g_assert_nonnull (test_version ());
  if (runtime == NULL || *runtime == '\0')
    {
      g_test_skip_printf ("Python %s was not found when the build was configured", test_version ());
      return TRUE;
    }
  return FALSE;
}

static gboolean
at_least_312 (void)
{
  return strcmp (test_version (), "3.11") != 0;
}

/* What HEAPSCOPE_PYTHON prints for the program in f->path. */
static char *
python_stdout (HsTraceFixture *f)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *cwd = g_get_current_dir ();
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  int status;

  g_assert_cmpint (g_chdir (dir), ==, 0);
  status = hs_test_run_python (f->path, NULL, &out, &err);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_assert_cmpint (status, ==, 0);
  return hs_test_bytes_to_string (out);
}

static void
test_python_member (HsTraceFixture *f,
                    gconstpointer   data)
{
  g_autofree char *expected = NULL;
  HsTrace *trace;

  if (skip_if_absent ())
    return;
  trace = hs_trace_fixture_run (f, "import platform\nprint(platform.python_version())\n");
  hs_test_assert_status (trace, "finished");

  /* the interpreter that ran says which it is, as python itself does */
  expected = python_stdout (f);
  g_strchomp (expected);
  g_assert_cmpstr (hs_trace_get_python_version (trace), ==, expected);
  g_assert_true (g_str_has_prefix (expected, test_version ()));
  g_assert_cmpint (expected[strlen (test_version ())], ==, '.');
}

static void
test_getrefcount (HsTraceFixture *f,
                  gconstpointer   data)
{
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  g_auto(GStrv) lines = NULL;
  HsTrace *trace;
  g_autoptr(HsSnapshot) snap = NULL;
  const HsObject *one, *list;

  if (skip_if_absent ())
    return;
  trace = hs_trace_fixture_run (f,
                                "import sys\n"
                                "a = 1\n"
                                "l = [a]\n"
                                "print(sys.getrefcount(1))\n"
                                "print(sys.getrefcount('h'))\n"
                                "if sys.version_info >= (3, 12):\n"
                                "    print(sys.getrefcount(None))\n");
  hs_test_assert_status (trace, "finished");
  expected = python_stdout (f);
  got = hs_test_stdout_text (trace);
  g_assert_cmpstr (got, ==, expected);

  snap = hs_test_step_at_line (trace, 4, 0);
  one = hs_test_var (snap, "<module>", "a");
  list = hs_test_var (snap, "<module>", "l");
  lines = g_strsplit (expected, "\n", -1);
  if (at_least_312 ())
    {
      /* immortal means immortal, and its refcount is the real value */
      g_assert_cmpuint (g_strv_length (lines), ==, 4);
      for (guint i = 0; i < 3; i++)
        g_assert_cmpint (g_ascii_strtoll (lines[i], NULL, 10), ==, IMMORTAL_REFCOUNT);
      g_assert_cmpint (one->refcount, ==, IMMORTAL_REFCOUNT);
      g_assert_true (one->flags & HS_OBJECT_IMMORTAL);
    }
  else
    {
      /* 3.11's static small ints count from 10^9, and grow */
      g_assert_cmpint (g_ascii_strtoll (lines[0], NULL, 10), <, IMMORTAL_REFCOUNT);
      g_assert_cmpint (one->refcount, <, IMMORTAL_REFCOUNT);
    }
  g_assert_true (one->flags & HS_OBJECT_SMALL_INT);
  g_assert_false (list->flags & HS_OBJECT_IMMORTAL);
  g_assert_cmpint (list->refcount, <, 100);
}

/* The small ints are whatever this interpreter caches: each value of the
 * list is flagged exactly when python finds int(str(n)) is n. */
static void
test_small_int_range (HsTraceFixture *f,
                      gconstpointer   data)
{
  g_autofree char *expected = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 first, last;
  HsTrace *trace;
  g_autoptr(HsSnapshot) snap = NULL;
  const HsObject *values;
  guint n_small = 0;

  if (skip_if_absent ())
    return;
  f->options.max_elements = 1000;
  trace = hs_trace_fixture_run (f,
                                "values = [int(str(n)) for n in range(-20, 300)]\n"
                                "small = [n for n in values if int(str(n)) is n]\n"
                                "print(min(small))\n"
                                "print(max(small))\n");
  hs_test_assert_status (trace, "finished");
  expected = python_stdout (f);
  lines = g_strsplit (expected, "\n", -1);
  first = g_ascii_strtoll (lines[0], NULL, 10);
  last = g_ascii_strtoll (lines[1], NULL, 10);
  g_test_message ("Python %s caches the ints %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                  test_version (), first, last);

  snap = hs_test_last_step (trace);
  values = hs_test_var (snap, "<module>", "values");
  g_assert_cmpuint (values->n_edges, ==, 320);
  for (guint i = 0; i < values->n_edges; i++)
    {
      const HsObject *item = hs_test_lookup (snap, values->edges[i].target);
      gint64 n = g_ascii_strtoll (item->repr, NULL, 10);
      gboolean small = (item->flags & HS_OBJECT_SMALL_INT) != 0;

      g_assert_cmpint (small, ==, n >= first && n <= last);
      n_small += small;
    }
  g_assert_cmpuint (n_small, ==, last - first + 1);
}

/* Each string is freed by the comparison that uses it, through a
 * specialised instruction from 3.12 on if nothing stops it (which frees
 * without tp_dealloc): every one must still get a ref of its own and a
 * freed mark, as under 3.11. */
#define SPECIALISED_FREES \
  "def g(i):\n" \
  "    a = 'x' * (30 + i)\n" \
  "    return a\n" \
  "n = 0\n" \
  "for i in range(20):\n" \
  "    if g(i) == 'y':\n" \
  "        n += 1\n" \
  "print(n)\n"

static void
assert_specialised_frees_seen (HsTrace *trace)
{
  g_autoptr(GHashTable) refs = g_hash_table_new (NULL, NULL);
  guint n_freed = 0;
  GHashTableIter iter;
  gpointer ref;

  hs_test_assert_status (trace, "finished");
  for (guint s = 0; s < hs_trace_get_n_steps (trace); s++)
    {
      g_autoptr(HsSnapshot) snap = hs_trace_get_snapshot (trace, s);
      guint n_frames;
      const HsFrame *frames = hs_snapshot_get_frames (snap, &n_frames);

      for (guint i = 0; i < n_frames; i++)
        for (guint v = 0; hs_test_function_is (&frames[i], "g") && v < frames[i].n_vars; v++)
          if (g_str_equal (frames[i].vars[v].name, "a"))
            {
              const HsObject *a = hs_test_lookup (snap, frames[i].vars[v].ref);

              if (a->repr != NULL && g_str_has_prefix (a->repr, "'xxx"))
                g_hash_table_add (refs, GUINT_TO_POINTER (a->ref));
            }
    }
  g_assert_cmpuint (g_hash_table_size (refs), ==, 20);

  g_hash_table_iter_init (&iter, refs);
  while (g_hash_table_iter_next (&iter, &ref, NULL))
    n_freed += hs_test_first_freed_step (trace, GPOINTER_TO_UINT (ref), NULL) >= 0;
  g_assert_cmpuint (n_freed, ==, 20);
}

static void
test_specialised_frees (HsTraceFixture *f,
                        gconstpointer   data)
{
  if (skip_if_absent ())
    return;
  assert_specialised_frees_seen (hs_trace_fixture_run (f, SPECIALISED_FREES));
}

/* Issue 48 item 8: from 3.12 the program saw Heapscope's sys.monitoring
 * tool 4 (get_events(4) was 64, get_tool(4) named it, register_callback
 * handed back its callback).  Every tool the program may use is free, as
 * under python3. */
static void
test_monitoring_hidden (HsTraceFixture *f,
                        gconstpointer   data)
{
  static const char source[] =
    "import sys\n"
    "m = sys.monitoring\n"
    "print([m.get_tool(i) for i in range(6)], [m.get_events(i) for i in range(6)])\n"
    "m.use_tool_id(4, 'mine')\n"
    "print(m.register_callback(4, m.events.INSTRUCTION, print))\n"
    "print(m.register_callback(4, m.events.INSTRUCTION, None) is print)\n"
    "m.free_tool_id(4)\n";
  g_autofree char *want = NULL;
  g_autoptr(GBytes) out = NULL;
  HsTrace *trace;

  if (skip_if_absent ())
    return;
  if (!at_least_312 ())
    {
      g_test_skip ("sys.monitoring came with 3.12");
      return;
    }
  f->path = hs_trace_fixture_write (f, "program.py", source);
  want = python_stdout (f);
  trace = hs_trace_fixture_run (f, source);
  hs_test_assert_status (trace, "finished");
  out = hs_trace_dup_stdout (trace);
  g_assert_cmpstr (want, ==, "[None, None, None, None, None, None] [0, 0, 0, 0, 0, 0]\nNone\nTrue\n");
  g_assert_cmpmem (want, strlen (want), g_bytes_get_data (out, NULL), g_bytes_get_size (out));
}

/* A program that claims every tool and turns its events off, or sets and
 * clears a profile function, does not turn off what Heapscope needs to
 * see every free. */
static void
test_monitoring_claimed (HsTraceFixture *f,
                         gconstpointer   data)
{
  if (skip_if_absent ())
    return;
  if (!at_least_312 ())
    {
      g_test_skip ("sys.monitoring came with 3.12");
      return;
    }
  assert_specialised_frees_seen (hs_trace_fixture_run (f,
    "import sys\n"
    "m = sys.monitoring\n"
    "for t in range(6):\n"
    "    m.use_tool_id(t, 'mine')\n"
    "    m.set_events(t, 0)\n"
    "sys.setprofile(lambda *a: None)\n"
    "sys.setprofile(None)\n"
    SPECIALISED_FREES));
}

/* The session layer's choice of worker: the version is among those
 * listed, and choosing it runs that interpreter whatever the default. */
static void
test_runner_choice (HsTraceFixture *f,
                    gconstpointer   data)
{
  g_auto(GStrv) versions = hs_runner_list_pythons ();
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = g_strconcat (test_version (), ".", NULL);
  HsTrace *trace;

  if (skip_if_absent ())
    return;
  g_assert_true (g_strv_contains ((const char * const *) versions, test_version ()));
  g_assert_true (g_strv_contains ((const char * const *) versions, HS_TEST_DEFAULT_PYTHON));

  g_assert_false (hs_runner_set_python (f->runner, "2.7", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, test_version ()));
  g_clear_error (&error);

  /* the default worker first, then the chosen one */
  hs_runner_set_runtime_path (f->runner, NULL);
  g_assert_true (hs_runner_set_python (f->runner, HS_TEST_DEFAULT_PYTHON, &error));
  g_assert_no_error (error);
  g_assert_true (hs_runner_set_python (f->runner, test_version (), &error));
  g_assert_no_error (error);
  trace = hs_trace_fixture_run (f, "x = 1\n");
  hs_test_assert_status (trace, "finished");
  g_assert_true (g_str_has_prefix (hs_trace_get_python_version (trace), prefix));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  ADD ("/runtime/versions/python-member", test_python_member);
  ADD ("/runtime/versions/getrefcount", test_getrefcount);
  ADD ("/runtime/versions/small-int-range", test_small_int_range);
  ADD ("/runtime/versions/specialised-frees", test_specialised_frees);
  ADD ("/runtime/versions/monitoring-hidden", test_monitoring_hidden);
  ADD ("/runtime/versions/monitoring-claimed", test_monitoring_claimed);
  ADD ("/runtime/versions/runner-choice", test_runner_choice);

  return g_test_run ();
}
