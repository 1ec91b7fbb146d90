/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "hs-test-files.h"
#include "hs-test-trace.h"

/* Lookups that fail mark the test failed and hand back a stand-in, so that
 * with non-fatal assertions the remaining cases still run. */
static const HsObject missing_object = { .type = "<missing>", .repr = "<missing>" };
static const HsFrame missing_frame = { .function = "<missing>" };

void
hs_trace_fixture_setup (HsTraceFixture *f,
                        gconstpointer   data)
{
  g_autoptr(GError) error = NULL;

  f->tmpdir = g_dir_make_tmp ("heapscope-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->runner = hs_runner_new ();
  hs_run_options_init (&f->options);
  /* generous, so that a slow CI machine does not turn a pass into a timeout */
  f->options.timeout_ms = 30000;
}

void
hs_trace_fixture_teardown (HsTraceFixture *f,
                           gconstpointer   data)
{
  g_clear_object (&f->trace);
  g_clear_object (&f->runner);
  g_clear_pointer (&f->path, g_free);
  if (f->tmpdir != NULL)
    hs_test_remove_tree (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
}

char *
hs_trace_fixture_write (HsTraceFixture *f,
                        const char     *name,
                        const char     *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->tmpdir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

HsTrace *
hs_trace_fixture_run (HsTraceFixture *f,
                      const char     *source)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&f->path, g_free);
  g_clear_object (&f->trace);
  f->path = hs_trace_fixture_write (f, "program.py", source);
  f->trace = hs_runner_run_sync (f->runner, f->path, &f->options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->trace);
  g_assert_true (hs_trace_is_finished (f->trace));
  if (g_test_verbose ())
    {
      g_autoptr(GBytes) err = hs_trace_dup_stderr (f->trace);
      g_autofree char *text = hs_test_bytes_to_string (err);

      g_test_message ("status %s, %u steps, stderr: %s", hs_trace_get_status (f->trace),
                      hs_trace_get_n_steps (f->trace), text);
    }
  return f->trace;
}

/* TRUE if this build has a worker for Python version; otherwise the
 * case skips, and FALSE. */
gboolean
hs_test_require_python (const char *version)
{
  g_auto(GStrv) versions = hs_runner_list_pythons ();

  if (g_strv_contains ((const char * const *) versions, version))
    return TRUE;
  g_test_skip_printf ("no worker for Python %s in this build", version);
  return FALSE;
}

/* From its next run f's runner uses the worker for version; FALSE, the
 * case skipped, if the build has none. */
gboolean
hs_test_use_python (HsTraceFixture *f,
                    const char     *version)
{
  g_autoptr(GError) error = NULL;

  if (!hs_test_require_python (version))
    return FALSE;
  hs_runner_set_python (f->runner, version, &error);
  g_assert_no_error (error);
  return TRUE;
}

/* Runs source with the worker for version and checks that it ran
 * there; NULL, the case skipped, if the build has no worker for it. */
HsTrace *
hs_trace_fixture_run_with_python (HsTraceFixture *f,
                                  const char     *version,
                                  const char     *source)
{
  HsTrace *trace;

  if (!hs_test_use_python (f, version))
    return NULL;
  trace = hs_trace_fixture_run (f, source);
  g_assert_true (g_str_has_prefix (hs_trace_get_python_version (trace), version));
  return trace;
}

/* The nth (from 0) step about to run the given line. */
HsSnapshot *
hs_test_step_at_line (HsTrace *trace,
                      guint    line,
                      guint    nth)
{
  guint n = hs_trace_get_n_steps (trace);

  for (guint i = 0; i < n; i++)
    {
      HsSnapshot *snap = hs_trace_get_snapshot (trace, i);

      if (hs_snapshot_get_event (snap) == HS_EVENT_LINE && hs_snapshot_get_line (snap) == line)
        {
          if (nth == 0)
            return snap;
          nth--;
        }
      hs_snapshot_unref (snap);
    }
  g_test_fail_printf ("no step %u at line %u among %u steps", nth, line, n);
  if (n == 0)
    g_error ("the trace has no steps at all");
  return hs_trace_get_snapshot (trace, n - 1);
}

HsSnapshot *
hs_test_last_step (HsTrace *trace)
{
  guint n = hs_trace_get_n_steps (trace);

  g_assert_cmpuint (n, >, 0);
  return hs_trace_get_snapshot (trace, n - 1);
}

/* A frame may be named by its function's name or its qualified name. */
gboolean
hs_test_function_is (const HsFrame *frame,
                     const char    *name)
{
  const char *dot;

  if (g_str_equal (frame->function, name))
    return TRUE;
  dot = strrchr (frame->function, '.');
  return dot != NULL && g_str_equal (dot + 1, name);
}

/* NULL function: the innermost frame. */
const HsFrame *
hs_test_frame (HsSnapshot *snap,
               const char *function)
{
  const HsFrame *frames;
  guint n;

  frames = hs_snapshot_get_frames (snap, &n);
  if (n == 0)
    {
      g_test_fail_printf ("step %u has no frames", hs_snapshot_get_index (snap));
      return &missing_frame;
    }
  if (function == NULL)
    return &frames[n - 1];
  for (guint i = n; i > 0; i--)
    if (hs_test_function_is (&frames[i - 1], function))
      return &frames[i - 1];
  g_test_fail_printf ("no frame of %s at step %u", function, hs_snapshot_get_index (snap));
  return &missing_frame;
}

guint32
hs_test_var_ref (HsSnapshot *snap,
                 const char *function,
                 const char *name)
{
  const HsFrame *frame = hs_test_frame (snap, function);

  for (guint i = 0; i < frame->n_vars; i++)
    if (g_str_equal (frame->vars[i].name, name))
      return frame->vars[i].ref;
  g_test_fail_printf ("no variable %s in %s at step %u (line %u)", name, frame->function,
           hs_snapshot_get_index (snap), hs_snapshot_get_line (snap));
  return 0;
}

const HsObject *
hs_test_var (HsSnapshot *snap,
             const char *function,
             const char *name)
{
  guint32 ref = hs_test_var_ref (snap, function, name);
  const HsObject *o = hs_snapshot_lookup (snap, ref);

  if (o == NULL)
    {
      g_test_fail_printf ("variable %s points at ref %u, which is not among the objects of step %u",
                          name, ref, hs_snapshot_get_index (snap));
      return &missing_object;
    }
  return o;
}

/* NULL label: the first edge of that kind. */
const HsObject *
hs_test_edge (HsSnapshot     *snap,
              const HsObject *owner,
              HsEdgeKind      kind,
              const char     *label)
{
  for (guint i = 0; i < owner->n_edges; i++)
    if (owner->edges[i].kind == kind && (label == NULL || g_strcmp0 (owner->edges[i].label, label) == 0))
      {
        const HsObject *o = hs_snapshot_lookup (snap, owner->edges[i].target);

        if (o == NULL)
          {
            g_test_fail_printf ("edge %s %s of ref %u leads to ref %u, missing from step %u",
                                hs_edge_kind_to_string (kind), label ? label : "", owner->ref,
                                owner->edges[i].target, hs_snapshot_get_index (snap));
            return &missing_object;
          }
        return o;
      }
  g_test_fail_printf ("ref %u (%s %s) has no %s edge %s at step %u", owner->ref, owner->type, owner->repr,
           hs_edge_kind_to_string (kind), label ? label : "", hs_snapshot_get_index (snap));
  return &missing_object;
}

const HsObject *
hs_test_lookup (HsSnapshot *snap,
                guint32     ref)
{
  const HsObject *o = hs_snapshot_lookup (snap, ref);

  if (o == NULL)
    {
      g_test_fail_printf ("ref %u is not among the objects of step %u", ref, hs_snapshot_get_index (snap));
      return &missing_object;
    }
  return o;
}

gboolean
hs_test_was_freed (HsSnapshot  *snap,
                   guint32      ref,
                   HsFreeCause *cause)
{
  const HsFreed *freed;
  guint n;

  freed = hs_snapshot_get_freed (snap, &n);
  for (guint i = 0; i < n; i++)
    if (freed[i].ref == ref)
      {
        if (cause != NULL)
          *cause = freed[i].cause;
        return TRUE;
      }
  return FALSE;
}

/* The index of the step whose freed list names ref, or -1. */
gint64
hs_test_first_freed_step (HsTrace     *trace,
                          guint32      ref,
                          HsFreeCause *cause)
{
  guint n = hs_trace_get_n_steps (trace);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HsSnapshot) snap = hs_trace_get_snapshot (trace, i);

      if (hs_test_was_freed (snap, ref, cause))
        return i;
    }
  return -1;
}

char *
hs_test_bytes_to_string (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return g_strndup (data != NULL ? data : "", size);
}

char **
hs_test_stdout_lines (HsTrace *trace)
{
  g_autoptr(GBytes) out = hs_trace_dup_stdout (trace);
  g_autofree char *text = hs_test_bytes_to_string (out);

  return g_strsplit (text, "\n", -1);
}

/* python3 as a terminal starts it, as the app starts its worker */
void
hs_test_python_child_setup (gpointer user_data)
{
  hs_runner_reset_signals ();
}

int
hs_test_run_python (const char  *path,
                    const char  *stdin_path,
                    GBytes     **out,
                    GBytes     **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *python = g_getenv ("HEAPSCOPE_PYTHON");
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *folder = g_path_get_dirname (absolute);
  g_autofree char *name = g_path_get_basename (absolute);
  g_autofree char *input = stdin_path != NULL ? g_canonicalize_filename (stdin_path, NULL) : g_strdup ("/dev/null");

  g_assert_nonnull (python);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdin_file_path (launcher, input);
  /* as Heapscope runs a program: `cd FOLDER; python3 FILE` */
  g_subprocess_launcher_set_cwd (launcher, folder);
  g_subprocess_launcher_set_child_setup (launcher, hs_test_python_child_setup, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, python, name, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_if_signaled (process))
    return -g_subprocess_get_term_sig (process);
  return g_subprocess_get_exit_status (process);
}

/* Reports the first difference before failing, so that the log shows it. */
gboolean
hs_test_bytes_equal_verbose (const char *what,
                             GBytes     *expected,
                             GBytes     *actual)
{
  g_autofree char *e_text = NULL;
  g_autofree char *a_text = NULL;
  g_autofree char *e = NULL;
  g_autofree char *a = NULL;

  if (g_bytes_equal (expected, actual))
    return TRUE;
  e_text = hs_test_bytes_to_string (expected);
  a_text = hs_test_bytes_to_string (actual);
  e = g_strescape (e_text, NULL);
  a = g_strescape (a_text, NULL);
  g_test_message ("%s differs:\n  python3:   \"%s\"\n  heapscope: \"%s\"", what, e, a);
  return FALSE;
}

char *
hs_test_stdout_text (HsTrace *trace)
{
  g_autoptr(GBytes) out = hs_trace_dup_stdout (trace);

  return hs_test_bytes_to_string (out);
}

/* Says what went wrong before failing on a status it did not expect. */
void
hs_test_assert_status (HsTrace    *trace,
                       const char *status)
{
  if (g_strcmp0 (hs_trace_get_status (trace), status) != 0)
    {
      const HsTraceError *e = hs_trace_get_error (trace);

      g_test_message ("error: %s: %s", e ? e->type : "(none)", e ? e->message : "");
    }
  g_assert_cmpstr (hs_trace_get_status (trace), ==, status);
}

/* Fails the test, with the program's stderr, unless it ran to its end. */
void
hs_test_assert_finished (HsTrace *trace)
{
  if (!g_str_equal (hs_trace_get_status (trace), "finished"))
    {
      g_autoptr(GBytes) err = hs_trace_dup_stderr (trace);
      g_autofree char *text = hs_test_bytes_to_string (err);

      g_test_fail_printf ("status %s, stderr: %s", hs_trace_get_status (trace), text);
    }
}

/* history_bytes measures how a trace was stored, which differs between a
 * live or streamed run (the batches as received) and a loaded one: drops
 * its value from JSON so that the rest can be compared. */
void
hs_test_drop_history_bytes (char *json)
{
  char *at = strstr (json, "\"history_bytes\":");
  char *end;

  g_assert_nonnull (at);
  at += strlen ("\"history_bytes\":");
  for (end = at; g_ascii_isdigit (*end); end++)
    ;
  memmove (at, end, strlen (end) + 1);
}

/* The names of the Python programs in DIR, of which there must be more
 * than ten (a test over every program must not pass over none). */
GPtrArray *
hs_test_list_programs (const char *dir)
{
  g_autoptr(GDir) programs = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (programs);
  while ((name = g_dir_read_name (programs)) != NULL)
    if (g_str_has_suffix (name, ".py"))
      g_ptr_array_add (names, g_strdup (name));
  g_assert_cmpuint (names->len, >, 10);
  return g_steal_pointer (&names);
}
