/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A saved trace opens again without re-running: every program of
 * tests/runtime/programs, the examples and the lessons is traced, written
 * in both formats, read back, and written again: every step's state
 * equals the live trace's.  Bad or cut-short JSON is refused with a
 * message.
 */
#define G_LOG_DOMAIN "heapscope-test-trace-reader"

#include "config.h"

#include <string.h>

#include "hs-test-trace.h"
#include "hs-trace-json.h"
#include "hs-trace-reader.h"

static char *
write_json (HsTrace          *trace,
            HsTraceJsonFormat format)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_trace_write_json_format (trace, stream, format, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

static HsTrace *
read_json (const char *json,
           gssize      length,
           GError    **error)
{
  g_autoptr(GInputStream) stream =
    g_memory_input_stream_new_from_data (g_memdup2 (json, length < 0 ? strlen (json) : (gsize) length),
                                         length < 0 ? (gssize) strlen (json) : length, g_free);

  return hs_trace_read_json (stream, NULL, NULL, error);
}

static void
check_round_trip (HsTraceFixture *f,
                  const char     *path)
{
  g_autofree char *source = NULL;
  HsTrace *trace;

  g_assert_true (g_file_get_contents (path, &source, NULL, NULL));
  trace = hs_trace_fixture_run (f, source);

  /* Every step in full would take most of a gigabyte for a long run
   * (recursion.py: 6,007 steps a thousand frames deep, 33 MB as deltas);
   * it is read back once, and compared as deltas, under --thorough only:
   * it takes minutes on a loaded machine. */
  gboolean small = hs_trace_get_n_steps (trace) <= 2000;

  if (!small && !g_test_thorough ())
    {
      g_test_message ("%u steps: read back under --thorough only", hs_trace_get_n_steps (trace));
      return;
    }

  for (int format = HS_TRACE_JSON_DELTAS; format <= (small ? HS_TRACE_JSON_SNAPSHOTS : HS_TRACE_JSON_DELTAS); format++)
    {
      g_autofree char *first = write_json (trace, format);
      g_autofree char *full = write_json (trace, small ? HS_TRACE_JSON_SNAPSHOTS : HS_TRACE_JSON_DELTAS);
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) loaded = read_json (first, -1, &error);
      g_autofree char *again = NULL;
      g_autofree char *again_full = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (loaded);
      g_assert_cmpuint (hs_trace_get_n_steps (loaded), ==, hs_trace_get_n_steps (trace));
      g_assert_cmpstr (hs_trace_get_status (loaded), ==, hs_trace_get_status (trace));
      again = write_json (loaded, format);
      again_full = write_json (loaded, small ? HS_TRACE_JSON_SNAPSHOTS : HS_TRACE_JSON_DELTAS);
      g_autoptr(HsTrace) reloaded = read_json (again, -1, &error);
      g_autofree char *third = NULL;

      g_assert_no_error (error);
      third = write_json (reloaded, format);
      hs_test_drop_history_bytes (again);
      hs_test_drop_history_bytes (third);
      hs_test_drop_history_bytes (full);
      hs_test_drop_history_bytes (again_full);
      /* The same state at every step.  A delta may be written otherwise:
       * an object whose hidden holders changed is a record in the live
       * trace and a refcount in the loaded one, which has no holders.
       * Read again, it is written the same. */
      if (small)
        g_assert_cmpstr (again_full, ==, full);
      g_assert_cmpstr (third, ==, again);
    }
}

static void
test_round_trip_dir (HsTraceFixture *f,
                     gconstpointer   data)
{
  const char *dir_path = data;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);

      /* programs that need their own file name or stdin are traced elsewhere */
      if (!g_str_has_suffix (name, ".py") || g_str_equal (name, "compile_str_filename.py") ||
          g_str_equal (name, "fork_child.py"))
        continue;
      g_test_message ("%s", name);
      check_round_trip (f, path);
      n++;
    }
  g_assert_cmpuint (n, >=, 5);
}

/* Bad input: a clear error, and no trace. */
static void
test_bad_input (HsTraceFixture *f,
                gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, "a = [1]\nb = a\nprint(b)\n");
  g_autofree char *json = write_json (trace, HS_TRACE_JSON_DELTAS);
  gsize length = strlen (json);
  static const struct {
    const char *json;
    int         code;
  } bad[] = {
    { "", HS_TRACE_READER_ERROR_NOT_JSON },
    { "{\"format\": \"heapscope-trace-2\", \"steps\": [", HS_TRACE_READER_ERROR_NOT_JSON },
    { "[1, 2, 3]", HS_TRACE_READER_ERROR_NOT_A_TRACE },
    { "{\"format\": \"something-else\"}", HS_TRACE_READER_ERROR_NOT_A_TRACE },
    { "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\"}", HS_TRACE_READER_ERROR_NOT_A_TRACE },
    { "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 1}]}",
      HS_TRACE_READER_ERROR_INVALID },
    { "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 0, \"line\": 1,"
      " \"event\": \"line\", \"frames\": [{\"function\": \"<module>\", \"line\": 1, \"vars\": [{\"name\": \"a\", \"ref\": 7}]}],"
      " \"objects\": []}]}", HS_TRACE_READER_ERROR_INVALID },  /* a name bound to no object */
    { "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 0, \"line\": 1,"
      " \"event\": \"line\", \"frames\": [], \"objects\": [{\"ref\": \"x\"}]}]}", HS_TRACE_READER_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) loaded = read_json (bad[i].json, -1, &error);

      g_test_message ("%s", bad[i].json);
      g_assert_null (loaded);
      g_assert_error (error, HS_TRACE_READER_ERROR, bad[i].code);
      g_assert_cmpuint (strlen (error->message), >, 10);
    }

  /* Cut anywhere, the trace is refused, never half read. */
  for (gsize cut = 0; cut < length - 2; cut += 1 + length / 97)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) loaded = read_json (json, cut, &error);

      g_assert_null (loaded);
      g_assert_nonnull (error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/runtime/trace-reader/programs", HsTraceFixture, HS_TEST_PROGRAMS_DIR,
              hs_trace_fixture_setup, test_round_trip_dir, hs_trace_fixture_teardown);
  g_test_add ("/runtime/trace-reader/examples", HsTraceFixture, HS_TEST_EXAMPLES_DIR,
              hs_trace_fixture_setup, test_round_trip_dir, hs_trace_fixture_teardown);
  g_test_add ("/runtime/trace-reader/lessons", HsTraceFixture, HS_TEST_LESSONS_DIR,
              hs_trace_fixture_setup, test_round_trip_dir, hs_trace_fixture_teardown);
  g_test_add ("/runtime/trace-reader/bad-input", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_bad_input, hs_trace_fixture_teardown);
  return g_test_run ();
}
