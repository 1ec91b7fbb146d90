/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A program of several files of its own, run with arguments: `heapscope
 * trace` passes sys.argv and the current folder as `cd FOLDER; python3
 * FILE ARGS` would, steps every line of the program's own files (modules
 * and packages beside it, and folders given with --step-folder) and none
 * of the library's, names each frame's file, and keeps each stepped
 * file's text.
 */
#define G_LOG_DOMAIN "heapscope-test-user-files"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "hs-test-files.h"
#include "hs-test-trace.h"
#include "hs-trace-json.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("heapscope-user-files-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  hs_test_remove_tree (f->dir);
  g_free (f->dir);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* Runs argv (NULL-terminated) in cwd; returns the exit status, with
 * stdout in *out. */
static int
run (const char * const *argv,
     const char         *cwd,
     char              **out)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_set_stdin_file_path (launcher, "/dev/null");
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, &err, &error);
  g_assert_no_error (error);
  if (err != NULL && *err != '\0')
    g_test_message ("stderr: %s", err);
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

/* `heapscope trace` with args (NULL-terminated) from cwd; the trace's
 * root, owned by parser. */
static JsonObject *
trace (JsonParser         *parser,
       const char         *cwd,
       const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_ptr_array_add (argv, (gpointer) HS_TEST_HEAPSCOPE);
  g_ptr_array_add (argv, "trace");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_cmpint (run ((const char * const *) argv->pdata, cwd, &out), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static char *
python_output (const char         *cwd,
               const char         *file,
               const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  char *out = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("HEAPSCOPE_PYTHON"));
  g_ptr_array_add (argv, (gpointer) file);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  run ((const char * const *) argv->pdata, cwd, &out);
  return out;
}

/* Each line stepped, per file: "file" -> GHashTable of line numbers.  The
 * innermost frame's file is the step's; a delta step without frames
 * stays in the file of the step before (docs/trace-format.md). */
static GHashTable *
lines_stepped (JsonObject *root)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  JsonArray *steps = json_object_get_array_member (root, "steps");

  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);
      GHashTable *lines;
      const char *file;

      if (json_object_has_member (step, "frames"))
        {
          JsonArray *frames = json_object_get_array_member (step, "frames");
          guint keep = json_object_has_member (step, "frames_keep")
                       ? json_object_get_int_member (step, "frames_keep") : 0;

          g_ptr_array_set_size (stack, MIN (keep, stack->len));
          for (guint k = 0; k < json_array_get_length (frames); k++)
            {
              JsonObject *frame = json_array_get_object_element (frames, k);

              g_assert_true (json_object_has_member (frame, "file"));
              g_ptr_array_add (stack, g_strdup (json_object_get_string_member (frame, "file")));
            }
        }
      if (stack->len == 0 || g_str_equal (json_object_get_string_member (step, "event"), "end"))
        continue;
      file = g_ptr_array_index (stack, stack->len - 1);
      lines = g_hash_table_lookup (files, file);
      if (lines == NULL)
        {
          lines = g_hash_table_new (NULL, NULL);
          g_hash_table_insert (files, g_strdup (file), lines);
        }
      g_hash_table_add (lines, GINT_TO_POINTER (json_object_get_int_member (step, "line")));
    }
  return files;
}

static const char argv_program[] =
  "import os, sys\n"
  "print(sys.argv, sys.orig_argv[1:])\n"
  "print(os.getcwd())\n"
  "print(sys.path[0] == os.path.dirname(os.path.realpath(__file__)))\n"
  "print(open('data.txt').read())\n";

/* sys.argv, the current folder and sys.path[0] are python3's, for
 * arguments with spaces, empty ones, non-ASCII ones and ones like options,
 * given after "--" or straight after the file, from another folder. */
static void
test_argv (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *path = write_file (f->dir, "sub/show args.py", argv_program);
  g_autofree char *data_file = write_file (f->dir, "sub/data.txt", "read from the program's folder");
  g_autofree char *sub = g_path_get_dirname (path);
  const char *args[] = { "a b", "", "é ü", "--max-steps", "-x", "--", NULL };
  const char *with_dashes[] = { path, "--", "a b", "", "é ü", "--max-steps", "-x", "--", NULL };
  const char *plain[] = { path, "a b", "", NULL };
  const char *plain_args[] = { "a b", "", NULL };
  const char *options_first[] = { "--max-steps", "500", path, "--", "-x", NULL };
  const char *options_first_args[] = { "-x", NULL };
  const char *file_after_dashes[] = { "--max-steps", "500", "--", path, "-x", NULL };
  const struct { const char * const *heapscope; const char * const *python; } cases[] = {
    { with_dashes, args },
    { plain, plain_args },
    { options_first, options_first_args },
    { file_after_dashes, options_first_args },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *root = trace (parser, f->dir, cases[i].heapscope);
      g_autofree char *expected = python_output (sub, "show args.py", cases[i].python);

      g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "finished");
      g_assert_cmpstr (json_object_get_string_member (root, "stdout"), ==, expected);
      g_assert_nonnull (strstr (expected, "read from the program's folder"));
    }
}

/* Every line of the program's own modules and packages is stepped, and
 * none of the standard library's, of a virtual environment's or of a
 * site-packages folder inside the program's folder. */
static void
test_own_files_stepped (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *main_path = write_file (f->dir, "app.py",
                                           "import json\n"
                                           "import sys\n"
                                           "sys.path.insert(0, 'venv/lib/site-packages')\n"
                                           "from helper import make\n"
                                           "import pkg\n"
                                           "import vendored\n"
                                           "a = make(2)\n"
                                           "b = pkg.twice(a)\n"
                                           "print(json.dumps([a, b, vendored.third(9)]))\n");
  g_autofree char *helper = write_file (f->dir, "helper.py",
                                        "def make(n):\n"
                                        "    items = []\n"
                                        "    for i in range(n):\n"
                                        "        items.append(i)\n"
                                        "    return items\n");
  g_autofree char *init = write_file (f->dir, "pkg/__init__.py", "from .inner import twice\n");
  g_autofree char *inner = write_file (f->dir, "pkg/inner.py",
                                       "def twice(x):\n"
                                       "    y = x + x\n"
                                       "    return y\n");
  g_autofree char *cfg = write_file (f->dir, "venv/pyvenv.cfg", "home = /usr/bin\n");
  g_autofree char *vendored = write_file (f->dir, "venv/lib/site-packages/vendored.py",
                                          "def third(x):\n"
                                          "    return x // 3\n");
  const char *args[] = { main_path, NULL };
  const char *no_args[] = { NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = trace (parser, NULL, args);
  g_autofree char *expected = python_output (f->dir, "app.py", no_args);
  g_autoptr(GHashTable) files = lines_stepped (root);
  GHashTable *lines;
  JsonObject *sources;

  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, HS_TRACE_FORMAT);
  g_assert_cmpstr (json_object_get_string_member (root, "stdout"), ==, expected);

  /* the program's own files, by their path in its folder, and no other */
  g_assert_cmpuint (g_hash_table_size (files), ==, 4);
  lines = g_hash_table_lookup (files, "helper.py");
  g_assert_nonnull (lines);
  for (int line = 1; line <= 5; line++)
    g_assert_true (g_hash_table_contains (lines, GINT_TO_POINTER (line)));
  lines = g_hash_table_lookup (files, "pkg/inner.py");
  g_assert_nonnull (lines);
  for (int line = 1; line <= 3; line++)
    g_assert_true (g_hash_table_contains (lines, GINT_TO_POINTER (line)));
  g_assert_nonnull (g_hash_table_lookup (files, "pkg/__init__.py"));
  lines = g_hash_table_lookup (files, "app.py");
  g_assert_nonnull (lines);
  for (int line = 1; line <= 9; line++)
    g_assert_true (g_hash_table_contains (lines, GINT_TO_POINTER (line)));

  /* a saved run carries the text of each helper file */
  sources = json_object_get_object_member (root, "sources");
  g_assert_nonnull (sources);
  g_assert_cmpstr (json_object_get_string_member (sources, "helper.py"), ==,
                   "def make(n):\n    items = []\n    for i in range(n):\n        items.append(i)\n    return items\n");
  g_assert_true (json_object_has_member (sources, "pkg/inner.py"));
  g_assert_false (json_object_has_member (sources, "app.py"));
  g_assert_false (json_object_has_member (sources, "venv/lib/site-packages/vendored.py"));
}

/* A folder outside the program's is stepped only when given. */
static void
test_step_folder (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *main_path = write_file (f->dir, "prog/main.py",
                                           "import sys\n"
                                           "sys.path.insert(0, '../shared')\n"
                                           "import tools\n"
                                           "print(tools.double(4))\n");
  g_autofree char *tools = write_file (f->dir, "shared/tools.py",
                                       "def double(x):\n"
                                       "    return 2 * x\n");
  g_autofree char *shared = g_path_get_dirname (tools);
  g_autofree char *real_tools = realpath (tools, NULL);
  const char *without[] = { main_path, NULL };
  const char *with[] = { "--step-folder", shared, main_path, NULL };
  g_autoptr(JsonParser) p1 = json_parser_new ();
  g_autoptr(JsonParser) p2 = json_parser_new ();
  g_autoptr(GHashTable) files_without = lines_stepped (trace (p1, NULL, without));
  g_autoptr(GHashTable) files_with = lines_stepped (trace (p2, NULL, with));
  GHashTable *lines;

  g_assert_cmpuint (g_hash_table_size (files_without), ==, 1);
  g_assert_nonnull (g_hash_table_lookup (files_without, "main.py"));
  g_assert_cmpuint (g_hash_table_size (files_with), ==, 2);
  /* outside the program's folder, a file is named by its real path */
  lines = g_hash_table_lookup (files_with, real_tools);
  g_assert_nonnull (lines);
  g_assert_true (g_hash_table_contains (lines, GINT_TO_POINTER (2)));
}

/* The lines python3's own tracer sees run in each file of the program's
 * folder, as "file:line" lines. */
static const char lines_script[] =
  "import os, runpy, sys\n"
  "root = os.path.realpath(os.getcwd())\n"
  "seen = set()\n"
  "def local(frame, event, arg):\n"
  "    if event == 'line':\n"
  "        seen.add((os.path.relpath(os.path.realpath(frame.f_code.co_filename), root), frame.f_lineno))\n"
  "    return local\n"
  "def calls(frame, event, arg):\n"
  "    name = frame.f_code.co_filename\n"
  "    path = os.path.realpath(name)\n"
  "    return local if not name.startswith('<') and path.startswith(root + os.sep) else None\n"
  "sys.argv = sys.argv[1:]\n"
  "out = sys.stdout\n"
  "sys.stdout = open(os.devnull, 'w')\n"
  "sys.settrace(calls)\n"
  "try:\n"
  "    runpy.run_path(sys.argv[0], run_name='__main__')\n"
  "finally:\n"
  "    sys.settrace(None)\n"
  "    for f, l in sorted(seen):\n"
  "        out.write(f'{f}:{l}\\n')\n";

/* Each example of examples/debugging, run with heapscope trace: its
 * output is python3's, and every line python3's tracer sees run in each
 * of its files is a step in that file (none in any other). */
static void
test_example (gconstpointer data)
{
  const char *dir = data;
  g_autofree char *main_path = g_build_filename (dir, "main.py", NULL);
  const char *args[] = { main_path, NULL };
  const char *no_args[] = { NULL };
  const char *tracer_args[] = { "-c", lines_script, "main.py", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = trace (parser, NULL, args);
  g_autofree char *expected = python_output (dir, "main.py", no_args);
  g_autofree char *python_lines = python_output (dir, tracer_args[0], tracer_args + 1);
  g_autoptr(GHashTable) files = lines_stepped (root);
  g_auto(GStrv) lines = g_strsplit (python_lines, "\n", -1);
  g_autoptr(GHashTable) python_files = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_helper_lines = 0;

  g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "finished");
  g_assert_cmpstr (json_object_get_string_member (root, "stdout"), ==, expected);
  g_assert_cmpuint (g_strv_length (lines), >, 10);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      char *colon = strrchr (lines[i], ':');
      GHashTable *stepped;

      g_assert_nonnull (colon);
      *colon = '\0';
      g_hash_table_add (python_files, lines[i]);
      stepped = g_hash_table_lookup (files, lines[i]);
      if (stepped == NULL || !g_hash_table_contains (stepped, GINT_TO_POINTER (atoi (colon + 1))))
        g_test_fail_printf ("%s line %s ran under python3 but is no step", lines[i], colon + 1);
      if (!g_str_equal (lines[i], "main.py"))
        n_helper_lines++;
    }
  g_assert_cmpuint (n_helper_lines, >, 0);
  /* two or more files, each the program's */
  g_assert_cmpuint (g_hash_table_size (python_files), >=, 2);
  g_assert_cmpuint (g_hash_table_size (files), ==, g_hash_table_size (python_files));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) examples = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/runtime/user-files/argv", Fixture, NULL, fixture_setup, test_argv, fixture_teardown);
  g_test_add ("/runtime/user-files/own-files-stepped", Fixture, NULL, fixture_setup,
              test_own_files_stepped, fixture_teardown);
  g_test_add ("/runtime/user-files/step-folder", Fixture, NULL, fixture_setup, test_step_folder, fixture_teardown);

  dir = g_dir_open (HS_TEST_EXAMPLES_DIR "/debugging", 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (examples, g_strdup (name));
  g_ptr_array_sort (examples, (GCompareFunc) g_strcmp0);
  g_assert_cmpuint (examples->len, >=, 3);
  for (guint i = 0; i < examples->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/runtime/user-files/example/%s", (char *) g_ptr_array_index (examples, i));
      char *folder = g_build_filename (HS_TEST_EXAMPLES_DIR, "debugging", g_ptr_array_index (examples, i), NULL);

      g_ptr_array_add (folders, folder);
      g_test_add_data_func (path, folder, test_example);
    }

  return g_test_run ();
}
