/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every program in programs/ runs twice, from the same folder and named by
 * the same relative path: under HEAPSCOPE_PYTHON, and traced by HsRunner.
 * What the program prints, on either stream, and how it ends must match.
 * Each comparison is made with block-buffered stdout (a program whose
 * output goes to a file) and with PYTHONUNBUFFERED=1, since buffering
 * decides what reaches the file and when.
 *
 * Beyond the whole stdout, which step printed what: the steps' output put
 * together (with what came after the last step) is stdout byte for byte,
 * and, unbuffered, each step shows exactly the bytes python3 printed
 * between the trace events that step and the one before it stand for
 * (python-steps.py records them under python3).
 */
#define G_LOG_DOMAIN "heapscope-test-differential"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

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

static const char *event_names[] = { "line", "call", "return", "exception", "end" };

/* Every step's output, then what came after the last one. */
static GBytes *
steps_stdout (HsTrace *trace)
{
  g_autoptr(GByteArray) all = g_byte_array_new ();
  GBytes *trailing = hs_trace_get_trailing_stdout (trace);

  for (guint i = 0; i < hs_trace_get_n_steps (trace); i++)
    {
      g_autoptr(HsSnapshot) snap = hs_trace_get_snapshot (trace, i);
      GBytes *out = hs_snapshot_get_stdout (snap);

      if (out != NULL)
        g_byte_array_append (all, g_bytes_get_data (out, NULL), g_bytes_get_size (out));
    }
  if (trailing != NULL)
    g_byte_array_append (all, g_bytes_get_data (trailing, NULL), g_bytes_get_size (trailing));
  return g_byte_array_free_to_bytes (g_steal_pointer (&all));
}

static gboolean
has_prefix (GBytes *bytes,
            GBytes *prefix)
{
  gsize len, plen;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  const guint8 *pdata = g_bytes_get_data (prefix, &plen);

  return plen <= len && (plen == 0 || memcmp (data, pdata, plen) == 0);
}

typedef struct
{
  char  *event;
  guint  line;
  gint64 size;   /* bytes in stdout's file at the event, -1: fd 1 replaced */
} PyEvent;

static void
py_event_free (gpointer data)
{
  PyEvent *e = data;

  g_free (e->event);
  g_free (e);
}

/* The events python-steps.py recorded, with the module's own call and
 * return left out: Heapscope's steps start at the first line and end with
 * an "end" step instead. */
static GPtrArray *
python_events (const char *relative,
               const char *record,
               GBytes    **out)
{
  g_autofree char *tests = g_path_get_dirname (HS_TEST_PROGRAMS_DIR);
  g_autofree char *driver = g_build_filename (tests, "python-steps.py", NULL);
  g_autofree char *out_path = g_strconcat (record, ".out", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *out_data = NULL;
  gsize out_len = 0;
  g_auto(GStrv) lines = NULL;
  GPtrArray *events = g_ptr_array_new_with_free_func (py_event_free);

  g_subprocess_launcher_set_stdin_file_path (launcher, "/dev/null");
  g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HEAPSCOPE_PYTHON"),
                                         driver, record, relative, NULL);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  if (g_file_get_contents (out_path, &out_data, &out_len, NULL))
    *out = g_bytes_new (out_data, out_len);
  g_unlink (out_path);
  if (!g_file_get_contents (record, &text, NULL, NULL))
    return events;   /* os._exit(), a crash: no record */
  g_unlink (record);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", 3);
      PyEvent *e;

      if (g_strv_length (fields) != 3)
        continue;
      e = g_new0 (PyEvent, 1);
      e->event = g_strdup (fields[0]);
      e->line = (guint) g_ascii_strtoull (fields[1], NULL, 10);
      e->size = g_ascii_strtoll (fields[2], NULL, 10);
      g_ptr_array_add (events, e);
    }
  if (events->len > 0 && g_str_equal (((PyEvent *) events->pdata[0])->event, "call"))
    g_ptr_array_remove_index (events, 0);
  if (events->len >= 2 && g_str_equal (((PyEvent *) events->pdata[events->len - 2])->event, "return"))
    g_ptr_array_remove_index (events, events->len - 2);
  return events;
}

/* Unbuffered, step i shows what python3 printed between events i - 1 and
 * i; the end step a prefix of what followed (atexit handlers print after
 * it, into the trailing output). */
static void
compare_steps_with_python (const char *relative,
                           GBytes     *py_out,
                           HsTrace    *trace,
                           const char *tmpdir)
{
  g_autofree char *record = g_build_filename (tmpdir, "steps.txt", NULL);
  g_autoptr(GBytes) traced_out = NULL;
  g_autoptr(GPtrArray) events = python_events (relative, record, &traced_out);
  guint n = hs_trace_get_n_steps (trace);
  const guint8 *data;
  gsize len;
  gint64 before = 0;

  if (events->len != n)
    {
      g_test_message ("%s: per-step output not compared: python3 under a tracer made %u events, "
                      "Heapscope %u steps", relative, events->len, n);
      return;
    }
  if (traced_out == NULL || !g_bytes_equal (traced_out, py_out))
    {
      g_test_message ("%s: per-step output not compared: the program prints something else "
                      "under a Python tracer", relative);
      return;
    }
  data = g_bytes_get_data (py_out, &len);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HsSnapshot) snap = hs_trace_get_snapshot (trace, i);
      const PyEvent *e = events->pdata[i];
      HsEvent event = hs_snapshot_get_event (snap);
      GBytes *out = hs_snapshot_get_stdout (snap);
      g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
      g_autoptr(GBytes) expected = NULL;

      if (!g_str_equal (e->event, event_names[event]) || (event != HS_EVENT_END && e->line != hs_snapshot_get_line (snap)))
        {
          g_test_message ("%s: per-step output not compared: event %u is %s at line %u under python3, "
                          "step %u is %s at line %u", relative, i, e->event, e->line, i,
                          event_names[event], hs_snapshot_get_line (snap));
          return;
        }
      if (e->size < before || (gsize) e->size > len)
        {
          g_test_message ("%s: per-step output not compared from step %u: fd 1 changed", relative, i);
          return;
        }
      expected = g_bytes_new (data + before, e->size - before);
      before = e->size;
      if (out == NULL)
        out = empty;
      if (event == HS_EVENT_END ? !has_prefix (expected, out) : !g_bytes_equal (expected, out))
        {
          g_autofree char *what = g_strdup_printf ("stdout of step %u (%s, line %u)", i, e->event, e->line);

          g_assert_true (hs_test_bytes_equal_verbose (what, expected, out));
        }
    }
  g_test_message ("%s: the output of each of %u steps is python3's", relative, n);
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

  /* what the steps show adds up to stdout, except where os._exit() (or
   * sys.exit) left the buffers: what was still buffered was shown when it
   * was printed but never reached the file (docs/trace-format.md) */
  if (c->unbuffered || !g_str_equal (hs_trace_get_status (trace), "exited"))
    {
      g_autoptr(GBytes) shown = steps_stdout (trace);

      g_assert_true (hs_test_bytes_equal_verbose ("the steps' stdout", out, shown));
    }

  if (c->unbuffered)
    compare_steps_with_python (relative, py_out, trace, f->tmpdir);
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
