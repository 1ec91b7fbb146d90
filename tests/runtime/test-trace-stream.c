/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `heapscope trace` streams: the trace keeps no step, each is written as
 * it arrives (issue 10).  A streamed trace, read back, is the run step by
 * step; its snapshot steps follow the stack as it deepens; a failed write
 * ends the run with a message.  The JSON carries the program's text and
 * file name, which the reader gives back; a trace without them opens all
 * the same (issue 9).
 */
#define G_LOG_DOMAIN "heapscope-test-trace-stream"

#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "hs-test-trace.h"
#include "hs-trace-json.h"
#include "hs-trace-reader.h"

#define ADD(path, func) \
  g_test_add (path, HsTraceFixture, NULL, hs_trace_fixture_setup, func, hs_trace_fixture_teardown)

/* What the test's step function does with each step. */
typedef struct
{
  HsTraceWriter *writers[2];
  GHashTable    *keep;      /* index -> HsSnapshot*: steps to look at later */
  guint          n_steps;
} Sink;

static gboolean
sink_step (HsTraceCursor      *at,
           const HsTraceDelta *delta,
           gpointer            user_data,
           GError            **error)
{
  Sink *sink = user_data;

  g_assert (sink != NULL);

  g_assert_cmpuint (delta->index, ==, sink->n_steps);
  sink->n_steps++;
  for (guint i = 0; i < G_N_ELEMENTS (sink->writers); i++)
    if (sink->writers[i] != NULL && !hs_trace_writer_step (sink->writers[i], at, delta, error))
      return FALSE;
  if (sink->keep != NULL && g_hash_table_contains (sink->keep, GUINT_TO_POINTER (delta->index)))
    g_hash_table_insert (sink->keep, GUINT_TO_POINTER (delta->index), hs_trace_cursor_dup_snapshot (at));
  return TRUE;
}

/* the steps to keep are listed with NULL, replaced as they come */
static void
snapshot_unref_nullable (gpointer data)
{
  if (data != NULL)
    hs_snapshot_unref (data);
}

static char *
steal_text (GOutputStream *stream)
{
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

static HsTrace *
read_back (const char  *json,
           char       **file,
           char       **source)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (json, strlen (json), NULL);
  g_autoptr(GError) error = NULL;
  HsTrace *trace = hs_trace_read_json_program (in, file, source, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (trace);
  return trace;
}

/* Every test program, streamed in both formats at once: version 2 read
 * back and written as version 1 is exactly the version 1 streamed, step
 * for step. */
static void
test_stream_every_program (HsTraceFixture *f,
                           gconstpointer   data)
{
  g_autoptr(GPtrArray) names = hs_test_list_programs (HS_TEST_PROGRAMS_DIR);

  /* recursion.py's steps hold about 500 objects each: version 1 of its
   * first 300 steps is already 30 MB */
  f->options.max_steps = 300;

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *program = g_build_filename (HS_TEST_PROGRAMS_DIR, g_ptr_array_index (names, i), NULL);
      g_autoptr(GOutputStream) v2 = g_memory_output_stream_new_resizable ();
      g_autoptr(GOutputStream) v1 = g_memory_output_stream_new_resizable ();
      g_autoptr(GOutputStream) again = g_memory_output_stream_new_resizable ();
      g_autoptr(HsTrace) trace = NULL;
      g_autoptr(HsTrace) loaded = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *v2_text = NULL;
      g_autofree char *v1_text = NULL;
      g_autofree char *again_text = NULL;
      Sink sink = { { NULL, NULL }, NULL, 0 };

      g_test_message ("%s", (char *) g_ptr_array_index (names, i));
      sink.writers[0] = hs_trace_writer_new (v2, HS_TRACE_JSON_DELTAS, 0, NULL, NULL, 0);
      sink.writers[1] = hs_trace_writer_new (v1, HS_TRACE_JSON_SNAPSHOTS, 0, NULL, NULL, 0);
      trace = hs_runner_run_streaming (f->runner, program, &f->options, sink_step, &sink, &error);
      g_assert_no_error (error);
      g_assert_nonnull (trace);
      g_assert_cmpuint (hs_trace_get_n_steps (trace), ==, sink.n_steps);
      g_assert_cmpuint (sink.n_steps, >, 0);
      for (guint k = 0; k < 2; k++)
        {
          g_assert_true (hs_trace_writer_finish (sink.writers[k], trace, &error));
          g_assert_no_error (error);
          hs_trace_writer_free (sink.writers[k]);
        }
      v2_text = steal_text (v2);
      v1_text = steal_text (v1);

      loaded = read_back (v2_text, NULL, NULL);
      g_assert_cmpuint (hs_trace_get_n_steps (loaded), ==, sink.n_steps);
      g_assert_cmpstr (hs_trace_get_status (loaded), ==, hs_trace_get_status (trace));
      g_assert_true (hs_trace_write_json_format (loaded, again, HS_TRACE_JSON_SNAPSHOTS, &error));
      g_assert_no_error (error);
      again_text = steal_text (again);
      hs_test_drop_history_bytes (v1_text);
      hs_test_drop_history_bytes (again_text);
      g_assert_cmpstr (again_text, ==, v1_text);
    }
}

static void
assert_same_step (HsSnapshot *live,
                  HsSnapshot *loaded)
{
  const HsFrame *a, *b;
  const HsObject *x, *y;
  guint n, m;

  g_assert_cmpuint (hs_snapshot_get_index (live), ==, hs_snapshot_get_index (loaded));
  a = hs_snapshot_get_frames (live, &n);
  b = hs_snapshot_get_frames (loaded, &m);
  g_assert_cmpuint (n, ==, m);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (a[i].function, ==, b[i].function);
      g_assert_cmpuint (a[i].line, ==, b[i].line);
      g_assert_cmpuint (a[i].n_vars, ==, b[i].n_vars);
      for (guint k = 0; k < a[i].n_vars; k++)
        g_assert_cmpuint (a[i].vars[k].ref, ==, b[i].vars[k].ref);
    }
  x = hs_snapshot_get_objects (live, &n);
  y = hs_snapshot_get_objects (loaded, &m);
  g_assert_cmpuint (n, ==, m);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (x[i].ref, ==, y[i].ref);
      g_assert_cmpint (x[i].refcount, ==, y[i].refcount);
      g_assert_cmpstr (x[i].repr, ==, y[i].repr);
    }
}

/* A stack that grows past 1,000 frames: the snapshot steps are 1,000
 * apart while it is shallower, then 2,000, and the trace says 2,000, so
 * that every multiple of it is a snapshot step.  Read back, the steps
 * around the change are the live ones. */
static void
test_stream_deepening_stack (HsTraceFixture *f,
                             gconstpointer   data)
{
  g_autofree char *program = hs_trace_fixture_write (f, "deep.py",
    "import sys\n"
    "sys.setrecursionlimit(5000)\n"
    "def f(n):\n"
    "    return f(n - 1) if n else 0\n"
    "f(1600)\n");
  g_autoptr(GOutputStream) v2 = g_memory_output_stream_new_resizable ();
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(HsTrace) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) keep = g_hash_table_new_full (NULL, NULL, NULL, snapshot_unref_nullable);
  g_autofree char *text = NULL;
  const guint looked_at[] = { 1000, 2999, 3000, 3001 };
  JsonObject *root;
  JsonArray *steps;
  Sink sink = { { NULL, NULL }, keep, 0 };
  guint every;

  for (guint i = 0; i < G_N_ELEMENTS (looked_at); i++)
    g_hash_table_insert (keep, GUINT_TO_POINTER (looked_at[i]), NULL);
  sink.writers[0] = hs_trace_writer_new (v2, HS_TRACE_JSON_DELTAS, 0, NULL, NULL, 0);
  trace = hs_runner_run_streaming (f->runner, program, &f->options, sink_step, &sink, &error);
  g_assert_no_error (error);
  hs_test_assert_finished (trace);
  g_assert_cmpuint (sink.n_steps, >, 4000);
  g_assert_true (hs_trace_writer_finish (sink.writers[0], trace, &error));
  hs_trace_writer_free (sink.writers[0]);
  text = steal_text (v2);

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  every = json_object_get_int_member (root, "snapshot_every");
  g_assert_cmpuint (every, ==, 2000);
  steps = json_object_get_array_member (root, "steps");
  g_assert_cmpuint (json_array_get_length (steps), ==, sink.n_steps);
  for (guint i = 0; i < sink.n_steps; i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);
      gboolean snapshot = json_object_get_boolean_member_with_default (step, "snapshot", FALSE);

      if (i % every == 0)
        g_assert_true (snapshot);
      /* step 1,000 came while the stack was under 1,000 frames deep;
       * by step 3,000 it was deeper */
      if (i == 1000)
        g_assert_true (snapshot);
      if (i == 3000)
        g_assert_false (snapshot);
      if (i % 1000 != 0)
        g_assert_false (snapshot);
    }

  loaded = read_back (text, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (looked_at); i++)
    {
      HsSnapshot *live = g_hash_table_lookup (keep, GUINT_TO_POINTER (looked_at[i]));
      g_autoptr(HsSnapshot) again = hs_trace_get_snapshot (loaded, looked_at[i]);

      g_assert_nonnull (live);
      assert_same_step (live, again);
    }
}

typedef struct
{
  int   status;
  char *err;
} Cli;

static void
run_cli (Cli                *r,
         const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) HS_TEST_HEAPSCOPE);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  r->status = g_subprocess_get_exit_status (process);
}

/* The program's exact text and its file name are in what `heapscope
 * trace` writes, and the reader gives them back. */
static void
test_cli_source (HsTraceFixture *f,
                 gconstpointer   data)
{
  const char *source =
    "# café, “quotes” and a \\ backslash\n"
    "s = '\\t\x1f'   \t# a tab and U+001F, as is\n"
    "print(s, \"done\")\n";
  g_autofree char *program = hs_trace_fixture_write (f, "naïve program.py", source);
  g_autofree char *out = g_build_filename (f->tmpdir, "out.json", NULL);
  g_autofree char *json = NULL;
  g_autofree char *read_source = NULL;
  g_autofree char *read_file = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTrace) trace = NULL;
  JsonObject *root;
  Cli r = { 0 };

  run_cli (&r, (const char *[]) { "trace", program, "-o", out, NULL });
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  g_free (r.err);

  g_assert_true (g_file_get_contents (out, &json, NULL, NULL));
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "source"), ==, source);
  g_assert_cmpstr (json_object_get_string_member (root, "file"), ==, "naïve program.py");
  /* every control character is escaped, U+001F included */
  g_assert_null (memchr (json, 0x1f, strlen (json)));

  trace = read_back (json, &read_file, &read_source);
  g_assert_cmpstr (read_source, ==, source);
  g_assert_cmpstr (read_file, ==, "naïve program.py");
  g_assert_cmpstr (hs_trace_get_status (trace), ==, "finished");
}

/* A saved trace with its text and file name reads back with them; one
 * without (an older `heapscope trace`) opens all the same, without. */
static void
test_reader_source_optional (HsTraceFixture *f,
                             gconstpointer   data)
{
  const char *source = "x = [1]\ny = 'é'\n";
  HsTrace *trace = hs_trace_fixture_run (f, source);

  for (guint with = 0; with < 2; with++)
    {
      g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
      g_autoptr(HsTraceWriter) writer = hs_trace_writer_new (stream, HS_TRACE_JSON_DELTAS, 0,
                                                             with ? "prog.py" : NULL,
                                                             with ? source : NULL, -1);
      g_autoptr(HsTraceCursor) cursor = hs_trace_cursor_new (trace);
      g_autoptr(HsTrace) loaded = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *json = NULL;
      g_autofree char *read_source = NULL;
      g_autofree char *read_file = NULL;
      HsTraceDelta d;

      while (hs_trace_cursor_next (cursor, &d))
        g_assert_true (hs_trace_writer_step (writer, cursor, &d, NULL));
      g_assert_true (hs_trace_writer_finish (writer, trace, &error));
      json = steal_text (stream);
      g_assert_true ((strstr (json, "\"source\":") != NULL) == with);
      loaded = read_back (json, &read_file, &read_source);
      g_assert_cmpuint (hs_trace_get_n_steps (loaded), ==, hs_trace_get_n_steps (trace));
      g_assert_cmpstr (read_source, ==, with ? source : NULL);
      g_assert_cmpstr (read_file, ==, with ? "prog.py" : NULL);
    }
}

/* A write that fails (a full disk) ends the run at once with one line,
 * and exit status 1, rather than tracing on to the end. */
static void
test_cli_write_fails (HsTraceFixture *f,
                      gconstpointer   data)
{
  g_autofree char *program = hs_trace_fixture_write (f, "loop.py",
    "data = [[i, str(i)] for i in range(30)]\n"
    "for n in range(100000):\n"
    "    row = data[n % 30]\n");
  Cli r = { 0 };

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  run_cli (&r, (const char *[]) { "trace", program, "-o", "/dev/full", NULL });
  g_assert_cmpint (r.status, ==, 1);
  g_assert_true (g_str_has_prefix (r.err, "heapscope: cannot write the trace: "));
  g_assert_cmpuint (strchr (r.err, '\n') - r.err + 1, ==, strlen (r.err));
  g_free (r.err);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/runtime/trace-stream/every-program", test_stream_every_program);
  ADD ("/runtime/trace-stream/deepening-stack", test_stream_deepening_stack);
  ADD ("/runtime/trace-stream/cli-source", test_cli_source);
  ADD ("/runtime/trace-stream/reader-source-optional", test_reader_source_optional);
  ADD ("/runtime/trace-stream/cli-write-fails", test_cli_write_fails);
  return g_test_run ();
}
