/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `heapscope trace` as a user runs it: exit statuses, one-line errors, and
 * the JSON members the trace format promises.
 */
#define G_LOG_DOMAIN "heapscope-test-cli"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "hs-test-trace.h"
#include "hs-trace-json.h"

#define ADD(path, func) \
  g_test_add (path, HsTraceFixture, NULL, hs_trace_fixture_setup, func, hs_trace_fixture_teardown)

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

static void
run_cli (CliResult          *r,
         const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) HS_TEST_HEAPSCOPE);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_if_signaled (process))
    {
      g_test_fail_printf ("heapscope was killed by signal %d", g_subprocess_get_term_sig (process));
      r->status = -g_subprocess_get_term_sig (process);
    }
  else
    r->status = g_subprocess_get_exit_status (process);
}

/* A clear one-line error: "heapscope: ..." naming what was wrong.  A usage
 * error may add the conventional second line pointing at --help. */
static void
assert_one_line_error (const char *err,
                       const char *mentions,
                       gboolean    allow_help_hint)
{
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_str_has_suffix (err, "\n"));
  lines = g_strsplit (err, "\n", -1);
  if (lines[0] == NULL)
    return;
  g_assert_true (g_str_has_prefix (lines[0], "heapscope: "));
  if (mentions != NULL && strstr (lines[0], mentions) == NULL)
    g_test_fail_printf ("“%s” does not mention “%s”", lines[0], mentions);
  if (allow_help_hint && g_strv_length (lines) == 3)
    g_assert_nonnull (strstr (lines[1], "--help"));
  else
    g_assert_cmpuint (g_strv_length (lines), ==, 2);
}

static JsonObject *
parse_trace (JsonParser *parser,
             const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

static void
assert_members (JsonObject         *o,
                const char * const *members)
{
  for (guint i = 0; members[i] != NULL; i++)
    if (!json_object_has_member (o, members[i]))
      g_test_fail_printf ("JSON object lacks “%s”", members[i]);
}

/* A step's output is a range of code points of the top-level text (of
 * "steps_stdout" when the steps saw other bytes than the file got). */
static char *
step_text (JsonObject *root,
           JsonObject *step,
           const char *name,
           const char *whole)
{
  g_autofree char *steps_name = g_strconcat ("steps_", whole, NULL);
  const char *text = json_object_has_member (root, steps_name) ? json_object_get_string_member (root, steps_name)
                                                               : json_object_get_string_member (root, whole);
  JsonArray *range;

  if (!json_object_has_member (step, name))
    return g_strdup ("");
  range = json_object_get_array_member (step, name);
  g_assert_cmpuint (json_array_get_length (range), ==, 2);
  return g_utf8_substring (text, json_array_get_int_element (range, 0), json_array_get_int_element (range, 1));
}

static void
test_cli_trace_ok (HsTraceFixture *f,
                   gconstpointer   data)
{
  g_autofree char *path = hs_trace_fixture_write (f, "ok.py",
    "def f(xs):\n"
    "    xs.append([1])\n"
    "    return xs\n"
    "a = f([])\n"
    "print(a)\n");
  const char *args[] = { "trace", path, "--snapshots", NULL };
  static const char * const top[] = { "format", "python", "status", "error", "steps", NULL };
  static const char * const step[] = { "line", "event", "out", "frames", "objects", "freed", "gc", NULL };
  static const char * const frame[] = { "function", "file", "line", "vars", NULL };
  static const char * const object[] = {
    "ref", "id", "type", "repr", "refcount", "size", "mutable", "small_int", "interned",
    "immortal", "reachable", "gc", "edges", NULL,
  };
  static const char * const edge[] = { "kind", "label", "ref", NULL };
  static const char * const events[] = { "line", "call", "return", "exception", "end", NULL };
  g_auto(CliResult) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *last;
  JsonArray *steps;
  GString *out = g_string_new (NULL);
  g_autofree char *all_out = NULL;
  guint n_objects = 0, n_edges = 0;

  run_cli (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  root = parse_trace (parser, r.out);
  assert_members (root, top);
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, HS_TRACE_FORMAT_SNAPSHOTS);
  /* the version HEAPSCOPE_RUNTIME was built for (test-versions checks it
   * against that python) */
  g_assert_true (g_str_has_prefix (json_object_get_string_member (root, "python"),
                                   g_getenv ("HEAPSCOPE_TEST_VERSION") ? g_getenv ("HEAPSCOPE_TEST_VERSION") : HS_TEST_DEFAULT_PYTHON));
  g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "finished");
  g_assert_true (json_object_get_null_member (root, "error"));

  steps = json_object_get_array_member (root, "steps");
  g_assert_cmpuint (json_array_get_length (steps), >, 4);
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *s = json_array_get_object_element (steps, i);
      JsonArray *frames, *objects;

      assert_members (s, step);
      g_assert_true (g_strv_contains (events, json_object_get_string_member (s, "event")));
      {
        g_autofree char *text = step_text (root, s, "out", "stdout");

        g_string_append (out, text);
      }
      frames = json_object_get_array_member (s, "frames");
      for (guint k = 0; k < json_array_get_length (frames); k++)
        assert_members (json_array_get_object_element (frames, k), frame);
      objects = json_object_get_array_member (s, "objects");
      for (guint k = 0; k < json_array_get_length (objects); k++)
        {
          JsonObject *o = json_array_get_object_element (objects, k);
          JsonArray *edges;

          assert_members (o, object);
          g_assert_true (json_object_has_member (json_object_get_object_member (o, "gc"), "tracked"));
          g_assert_true (json_object_has_member (json_object_get_object_member (o, "gc"), "generation"));
          edges = json_object_get_array_member (o, "edges");
          for (guint e = 0; e < json_array_get_length (edges); e++)
            assert_members (json_array_get_object_element (edges, e), edge);
          n_edges += json_array_get_length (edges);
          n_objects++;
        }
    }
  g_assert_cmpuint (n_objects, >, 0);
  g_assert_cmpuint (n_edges, >, 0);
  last = json_array_get_object_element (steps, json_array_get_length (steps) - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "event"), ==, "end");
  /* the steps' out, in order, is what the program printed */
  all_out = g_string_free (out, FALSE);
  g_assert_cmpstr (all_out, ==, "[[1]]\n");
}

static void
test_cli_trace_output_file (HsTraceFixture *f,
                            gconstpointer   data)
{
  g_autofree char *path = hs_trace_fixture_write (f, "ok.py", "x = 1\n");
  g_autofree char *json = g_build_filename (f->tmpdir, "out.json", NULL);
  const char *args[] = { "trace", path, "--max-steps", "10", "--timeout", "20", "-o", json, NULL };
  g_auto(CliResult) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  JsonObject *root;

  run_cli (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
  root = parse_trace (parser, text);
  g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "finished");
}

/* Whatever the program did, a written trace means exit 0. */
static void
test_cli_trace_program_fails (HsTraceFixture *f,
                              gconstpointer   data)
{
  g_autofree char *path = hs_trace_fixture_write (f, "bad.py", "import os\nos._exit(7)\n");
  const char *args[] = { "trace", path, NULL };
  g_auto(CliResult) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  run_cli (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_trace (parser, r.out);
  g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "exited");
}

static void
test_cli_missing_file (HsTraceFixture *f,
                       gconstpointer   data)
{
  g_autofree char *path = g_build_filename (f->tmpdir, "nope.py", NULL);
  const char *args[] = { "trace", path, NULL };
  g_auto(CliResult) r = { 0 };

  run_cli (&r, args);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  assert_one_line_error (r.err, "nope.py", FALSE);
}

static void
test_cli_directory (HsTraceFixture *f,
                    gconstpointer   data)
{
  const char *args[] = { "trace", f->tmpdir, NULL };
  g_auto(CliResult) r = { 0 };

  run_cli (&r, args);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  assert_one_line_error (r.err, f->tmpdir, FALSE);
}

static void
test_cli_unreadable (HsTraceFixture *f,
                     gconstpointer   data)
{
  g_autofree char *path = hs_trace_fixture_write (f, "secret.py", "x = 1\n");
  const char *args[] = { "trace", path, NULL };
  g_auto(CliResult) r = { 0 };

  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && g_access (path, R_OK) == 0)
    {
      g_test_skip ("running as a user who can read anything");
      return;
    }
  run_cli (&r, args);
  g_assert_cmpint (r.status, ==, 1);
  assert_one_line_error (r.err, "secret.py", FALSE);
}

static void
test_cli_bad_options (HsTraceFixture *f,
                      gconstpointer   data)
{
  g_autofree char *path = hs_trace_fixture_write (f, "ok.py", "x = 1\n");
  const char *cases[][6] = {
    { "trace", NULL },
    { "trace", "--step-folder", path, path, NULL },
    { "trace", path, "--max-steps", "lots", NULL },
    { "trace", path, "--max-steps", "-5", NULL },
    { "trace", path, "--timeout", "soon", NULL },
    { "trace", path, "--timeout", "-1", NULL },
    { "trace", path, "--frobnicate", NULL },
    { "trace", path, "--max-steps", NULL },
    { "trace", path, "--max-objects", "many", NULL },
    { "trace", path, "--max-elements", "0x", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliResult) r = { 0 };
      g_autofree char *joined = g_strjoinv (" ", (char **) cases[i]);

      g_test_message ("heapscope %s", joined);
      run_cli (&r, cases[i]);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      assert_one_line_error (r.err, NULL, TRUE);
    }
}

static void
test_cli_stdin_option (HsTraceFixture *f,
                       gconstpointer   data)
{
  g_autofree char *path = hs_trace_fixture_write (f, "in.py", "print(input()[::-1])\n");
  g_autofree char *input = hs_trace_fixture_write (f, "in.txt", "abc\n");
  g_autofree char *missing = g_build_filename (f->tmpdir, "no-input.txt", NULL);
  const char *args[] = { "trace", path, "--stdin", input, NULL };
  const char *bad[] = { "trace", path, "--stdin", missing, NULL };
  g_auto(CliResult) r = { 0 };
  g_auto(CliResult) r2 = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  run_cli (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_trace (parser, r.out);
  g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "finished");
  g_assert_cmpstr (json_object_get_string_member (root, "stdout"), ==, "cba\n");

  /* an input file that is not there is bad input, said in one line */
  run_cli (&r2, bad);
  g_assert_cmpint (r2.status, !=, 0);
  g_assert_cmpstr (r2.out, ==, "");
  assert_one_line_error (r2.err, "no-input.txt", TRUE);
}

/* Runs HEAPSCOPE_PYTHON -c script args... with text on its stdin; returns
 * its exit status and what it printed. */
static int
run_python_script (const char  *script,
                   const char  *stdin_text,
                   const char  *arg,
                   char       **out)
{
  const char *python = g_getenv ("HEAPSCOPE_PYTHON");
  const char *argv[] = { python != NULL ? python : "python3", "-c", script, arg, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, out, NULL, &error);
  g_assert_no_error (error);
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

/* Python's json module is strict: a raw control character in a string is
 * an error.  Every one must be escaped, in output and in messages alike. */
static void
test_cli_control_characters (HsTraceFixture *f,
                             gconstpointer   data)
{
  g_autofree char *path = hs_trace_fixture_write (f, "ctl.py",
    "print('a\\x1fb\\x01c\\x7f')\n"
    "raise ValueError('bad\\x1fthing')\n");
  static const char *script =
    "import json, sys\n"
    "d = json.load(sys.stdin)\n"
    "assert d['stdout'] == 'a\\x1fb\\x01c\\x7f\\n', repr(d['stdout'])\n"
    "assert d['error']['message'] == 'bad\\x1fthing', repr(d['error']['message'])\n"
    "assert 'steps_stdout' not in d\n"
    "assert ''.join(d['stdout'][slice(*s.get('out', [0, 0]))] for s in d['steps']) == d['stdout']\n"
    "print('ok')\n";
  const char *formats[][4] = {
    { "trace", path, NULL },
    { "trace", path, "--snapshots", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_auto(CliResult) r = { 0 };
      g_autofree char *checked = NULL;

      run_cli (&r, formats[i]);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpint (run_python_script (script, r.out, NULL, &checked), ==, 0);
      g_assert_cmpstr (checked, ==, "ok\n");
    }
}

/* A run stopped by Heapscope never exited: its exit code is null. */
static void
test_cli_exit_code_null (HsTraceFixture *f,
                         gconstpointer   data)
{
  g_autofree char *loop = hs_trace_fixture_write (f, "loop.py", "x = 0\nwhile True:\n    x += 1\n");
  g_autofree char *exits = hs_trace_fixture_write (f, "exits.py", "import sys\nsys.exit(4)\n");
  const struct { const char *path, *option, *value, *status; gboolean has_code; gint64 code; } cases[] = {
    { loop, "--max-steps", "20", "step-limit", FALSE, 0 },
    { loop, "--timeout", "1", "timeout", FALSE, 0 },
    { exits, "--timeout", "20", "exited", TRUE, 4 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { "trace", cases[i].path, cases[i].option, cases[i].value, "--max-steps",
                             i == 0 ? "20" : "1000000000", NULL };
      g_auto(CliResult) r = { 0 };
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *root;

      run_cli (&r, args);
      g_assert_cmpint (r.status, ==, 0);
      root = parse_trace (parser, r.out);
      g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, cases[i].status);
      if (cases[i].has_code)
        g_assert_cmpint (json_object_get_int_member (root, "exit_code"), ==, cases[i].code);
      else
        g_assert_true (json_object_get_null_member (root, "exit_code"));
    }
}

/* The CLI frees what it allocated for --stdin (valgrind: definitely lost). */
static void
test_cli_stdin_no_leak (HsTraceFixture *f,
                        gconstpointer   data)
{
  g_autofree char *valgrind = g_find_program_in_path ("valgrind");
  g_autofree char *path = hs_trace_fixture_write (f, "in.py", "print(input())\n");
  g_autofree char *input = hs_trace_fixture_write (f, "in.txt", "abc\n");
  g_autofree char *json = g_build_filename (f->tmpdir, "out.json", NULL);
  const char *argv[] = {
    valgrind, "--leak-check=full", "--errors-for-leak-kinds=definite", "--error-exitcode=99", "-q",
    HS_TEST_HEAPSCOPE, "trace", path, "--stdin", input, "-o", json, NULL,
  };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

#ifdef __SANITIZE_ADDRESS__
  /* valgrind cannot run a program built with ASan (its shadow memory);
   * there LeakSanitizer checks every run of the CLI, /runtime/cli/stdin's
   * included */
  g_test_skip ("built with AddressSanitizer, whose LeakSanitizer checks this instead");
  return;
#endif
  if (valgrind == NULL)
    {
      g_test_skip ("valgrind is not installed");
      return;
    }
  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_test_message ("%s", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

/* Format 2 is tested by rebuilding every step of every test program with
 * the reader in docs/ and comparing with format 1 of the same trace. */
static void
test_cli_v2_rebuilds_v1 (HsTraceFixture *f,
                         gconstpointer   data)
{
  g_autofree char *reader = g_build_filename (HS_TEST_DOCS_DIR, "trace-v2-reader.py", NULL);
  g_autofree char *v1_path = g_build_filename (f->tmpdir, "v1.json", NULL);
  g_autofree char *v2_path = g_build_filename (f->tmpdir, "v2.json", NULL);
  g_autoptr(GPtrArray) names = hs_test_list_programs (HS_TEST_PROGRAMS_DIR);

  /* Both formats are written by the model from the same trace, whichever
   * interpreter made it: the default interpreter's run covers them, and
   * once more per interpreter cost 55 s each */
  if (g_strcmp0 (g_getenv ("HEAPSCOPE_TEST_VERSION"), "") > 0)
    {
      g_test_skip ("the trace formats do not depend on the interpreter");
      return;
    }

  /* recursion.py takes 6,007 steps of about 500 objects: 770 MB in version
   * 1, too much for the json module to load on a small machine.  Its first
   * 2,500 steps cover three snapshot steps and the deltas between. */
  f->options.max_steps = 2500;

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *program = g_build_filename (HS_TEST_PROGRAMS_DIR, g_ptr_array_index (names, i), NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) trace = hs_runner_run_sync (f->runner, program, &f->options, &error);
      const char *argv[] = { NULL, reader, v2_path, "--compare", v1_path, NULL };
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *out = NULL;
      const char *python = g_getenv ("HEAPSCOPE_PYTHON");

      g_assert_no_error (error);
      for (guint k = 0; k < 2; k++)
        {
          g_autoptr(GFile) file = g_file_new_for_path (k == 0 ? v1_path : v2_path);
          g_autoptr(GFileOutputStream) stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);

          g_assert_no_error (error);
          g_assert_true (hs_trace_write_json_format (trace, G_OUTPUT_STREAM (stream),
                                                     k == 0 ? HS_TRACE_JSON_SNAPSHOTS : HS_TRACE_JSON_DELTAS,
                                                     &error));
          g_assert_no_error (error);
          g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error));
        }

      argv[0] = python != NULL ? python : "python3";
      process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      g_test_message ("%s: %s", (char *) g_ptr_array_index (names, i), out);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
    }
}

/* render shares trace's run options; its --stdin path was freed twice
 * (once by render, once with the option group) and the CLI aborted. */
static void
test_cli_render_stdin (HsTraceFixture *f,
                       gconstpointer   data)
{
  g_autofree char *path = hs_trace_fixture_write (f, "in.py", "s = input()\n");
  g_autofree char *input = hs_trace_fixture_write (f, "in.txt", "abc\n");
  g_autofree char *png = g_build_filename (f->tmpdir, "out.png", NULL);
  const char *args[] = { "render", path, "--stdin", input, "-o", png, NULL };
  g_auto(CliResult) r = { 0 };

  run_cli (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
}

/* `heapscope render SAVED.json` reads the run, without running or a
 * display, and draws the step as the program's own run would; a saved
 * run beyond the reader's limits is refused in one line that names it. */
static void
test_cli_render_saved (HsTraceFixture *f,
                       gconstpointer   data)
{
  g_autofree char *path = hs_trace_fixture_write (f, "saved.py", "a = [1, 2]\nb = a\nb.append(3)\n");
  g_autofree char *saved = g_build_filename (f->tmpdir, "saved.json", NULL);
  g_autofree char *direct = g_build_filename (f->tmpdir, "direct.png", NULL);
  g_autofree char *png = g_build_filename (f->tmpdir, "saved.png", NULL);
  g_autofree char *direct_data = NULL, *png_data = NULL;
  gsize direct_len = 0, png_len = 0;
  const char *trace_args[] = { "trace", path, "-o", saved, NULL };
  const char *direct_args[] = { "render", path, "--step", "2", "-o", direct, NULL };
  const char *saved_args[] = { "render", saved, "--step", "2", "-o", png, NULL };
  const char *beyond_args[] = { "render", saved, "--step", "99", "-o", png, NULL };
  g_auto(CliResult) r = { 0 };
  g_auto(CliResult) r2 = { 0 };
  g_auto(CliResult) r3 = { 0 };
  g_auto(CliResult) r4 = { 0 };
  g_auto(CliResult) r5 = { 0 };
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *contents = NULL;
  gsize length;

  run_cli (&r, trace_args);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (&r2, direct_args);
  g_assert_cmpint (r2.status, ==, 0);
  run_cli (&r3, saved_args);
  g_assert_cmpstr (r3.err, ==, "");
  g_assert_cmpint (r3.status, ==, 0);
  g_assert_true (g_file_get_contents (direct, &direct_data, &direct_len, NULL));
  g_assert_true (g_file_get_contents (png, &png_data, &png_len, NULL));
  g_assert_cmpmem (direct_data, direct_len, png_data, png_len);

  run_cli (&r4, beyond_args);
  g_assert_cmpint (r4.status, ==, 2);

  /* the same run, with a member nested a million deep */
  g_assert_true (g_file_get_contents (saved, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 2);
  g_string_append_len (deep, contents, strrchr (contents, '}') - contents);
  g_string_append (deep, ",\"junk\":");
  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, "}\n");
  g_assert_true (g_file_set_contents (saved, deep->str, deep->len, NULL));
  run_cli (&r5, saved_args);
  g_test_message ("%s", r5.err);
  g_assert_cmpint (r5.status, ==, 1);
  g_assert_nonnull (strstr (r5.err, "refused"));
  g_assert_nonnull (strstr (r5.err, "64"));
  assert_one_line_error (r5.err, "saved.json", FALSE);
}

/* --python VERSION runs the program under that version's worker, for
 * trace and render alike; the trace names the interpreter that ran. */
static void
test_cli_python_option (HsTraceFixture *f,
                        gconstpointer   data)
{
  g_autofree char *path = hs_trace_fixture_write (f, "v.py", "import sys\nv = sys.version_info\n");
  g_autofree char *png = g_build_filename (f->tmpdir, "out.png", NULL);
  g_auto(GStrv) versions = g_strsplit (HS_TEST_PYTHON_VERSIONS, ",", -1);

  g_assert_cmpuint (g_strv_length (versions), >=, 1);
  for (guint i = 0; versions[i] != NULL; i++)
    {
      const char *trace_args[] = { "trace", "--python", versions[i], path, NULL };
      const char *render_args[] = { "render", path, "--python", versions[i], "-o", png, NULL };
      g_autofree char *prefix = g_strconcat (versions[i], ".", NULL);
      g_auto(CliResult) r = { 0 };
      g_auto(CliResult) r2 = { 0 };
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *root;

      run_cli (&r, trace_args);
      g_assert_cmpint (r.status, ==, 0);
      root = parse_trace (parser, r.out);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (root, "python"), prefix));
      g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "finished");

      g_remove (png);
      run_cli (&r2, render_args);
      g_assert_cmpint (r2.status, ==, 0);
      g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
    }
}

/* An interpreter with no worker is bad input: one line that names it and
 * lists the versions there are. */
static void
test_cli_python_unknown (HsTraceFixture *f,
                         gconstpointer   data)
{
  g_autofree char *path = hs_trace_fixture_write (f, "v.py", "pass\n");
  g_autofree char *png = g_build_filename (f->tmpdir, "out.png", NULL);
  g_auto(GStrv) versions = g_strsplit (HS_TEST_PYTHON_VERSIONS, ",", -1);
  const char *cases[][7] = {
    { "trace", "--python", "2.7", path, NULL },
    { "render", "--python", "2.7", path, "-o", png, NULL },
    { "trace", "--python", "../heapscope", path, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliResult) r = { 0 };

      run_cli (&r, cases[i]);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      assert_one_line_error (r.err, cases[i][2], TRUE);
      for (guint v = 0; versions[v] != NULL; v++)
        g_assert_nonnull (strstr (r.err, versions[v]));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  ADD ("/runtime/cli/trace", test_cli_trace_ok);
  ADD ("/runtime/cli/output-file", test_cli_trace_output_file);
  ADD ("/runtime/cli/program-fails", test_cli_trace_program_fails);
  ADD ("/runtime/cli/missing-file", test_cli_missing_file);
  ADD ("/runtime/cli/directory", test_cli_directory);
  ADD ("/runtime/cli/unreadable", test_cli_unreadable);
  ADD ("/runtime/cli/bad-options", test_cli_bad_options);
  ADD ("/runtime/cli/stdin", test_cli_stdin_option);
  ADD ("/runtime/cli/control-characters", test_cli_control_characters);
  ADD ("/runtime/cli/exit-code-null", test_cli_exit_code_null);
  ADD ("/runtime/cli/stdin-no-leak", test_cli_stdin_no_leak);
  ADD ("/runtime/cli/v2-rebuilds-v1", test_cli_v2_rebuilds_v1);
  ADD ("/runtime/cli/render-stdin", test_cli_render_stdin);
  ADD ("/runtime/cli/render-saved", test_cli_render_saved);
  ADD ("/runtime/cli/python-option", test_cli_python_option);
  ADD ("/runtime/cli/python-unknown", test_cli_python_unknown);

  return g_test_run ();
}
