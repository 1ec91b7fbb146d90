/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-window-runtime"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hs-describe.h"
#include "hs-snippet-run.h"
#include "hs-trace-reader.h"
#include "hs-window-private.h"

/* How often a running program's new steps are taken into the window. */
#define ARRIVAL_INTERVAL_MS 100

void
hs_output_segment_free (gpointer data)
{
  HsOutputSegment *segment = data;

  g_bytes_unref (segment->bytes);
  g_free (segment);
}

void
hs_live_statement_free (gpointer data)
{
  HsLiveStatement *statement = data;

  g_free (statement->source);
  g_free (statement);
}

/* Gathers what steps [first_step, end_step) printed from their records:
 * no step is rebuilt, so the output of a run costs what it printed. */
static void
collect_output (HsTrace   *trace,
                guint      first_step,
                guint      end_step,
                GPtrArray *output)
{
  g_assert (HS_IS_TRACE (trace));
  g_assert (output != NULL);

  for (guint i = first_step; i < end_step; i++)
    {
      g_autoptr(GBytes) out = NULL;
      g_autoptr(GBytes) err = NULL;
      GBytes *streams[2];

      hs_trace_get_step_output (trace, i, &out, &err);
      streams[0] = out;
      streams[1] = err;
      for (guint s = 0; s < 2; s++)
        if (streams[s] != NULL)
          {
            HsOutputSegment *segment = g_new0 (HsOutputSegment, 1);

            segment->step = i;
            segment->is_stderr = s == 1;
            segment->bytes = g_bytes_ref (streams[s]);
            g_ptr_array_add (output, segment);
          }
    }
}

/* Says how a run that did not finish ended, and marks the line that
 * raised. */
void
hs_window_report_run (HsWindow *self)
{
  const HsTraceError *error;
  const char *status;
  g_autofree char *message = NULL;
  g_autofree char *n_steps = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (self->trace != NULL);

  status = hs_trace_get_status (self->trace);
  error = hs_trace_get_error (self->trace);
  n_steps = hs_format_count (self->n_steps);
  if (g_strcmp0 (status, "finished") == 0)
    return;

  if (error != NULL && error->line > 0 &&
      (g_strcmp0 (status, "exception") == 0 || g_strcmp0 (status, "syntax-error") == 0))
    hs_window_mark_exception (self, error->line);

  if (g_strcmp0 (status, "exception") == 0 && error != NULL)
    message = g_strdup_printf (_("The program raised %s on line %u: %s"), error->type, error->line, error->message);
  else if (g_strcmp0 (status, "syntax-error") == 0 && error != NULL)
    message = g_strdup_printf (_("Syntax error on line %u: %s"), error->line, error->message);
  else if (g_strcmp0 (status, "stopped") == 0)
    message = g_strdup_printf (ngettext ("Stopped after %s step", "Stopped after %s steps",
                                         self->n_steps), n_steps);
  else if (g_strcmp0 (status, "step-limit") == 0)
    message = g_strdup_printf (_("Stopped at the step limit, after %s steps"), n_steps);
  else if (g_strcmp0 (status, "size-limit") == 0)
    message = g_strdup_printf (_("Stopped after %s steps: the run wrote as much output as a run may keep"), n_steps);
  else if (g_strcmp0 (status, "timeout") == 0)
    message = g_strdup (_("Stopped: the program ran out of time"));
  else if (g_strcmp0 (status, "crashed") == 0)
    message = g_strdup_printf (_("The Python worker crashed (signal %d). The steps before the crash are kept."),
                               hs_trace_get_signal (self->trace));
  else if (g_strcmp0 (status, "exited") == 0)
    message = g_strdup_printf (_("The program exited with status %d"), hs_trace_get_exit_code (self->trace));
  else
    message = g_strdup_printf (_("The run ended: %s"), status);

  hs_window_toast (self, message);
}

/* The window takes a run's trace as soon as the worker feeds it, or a
 * saved run's once read, and forgets what the old one showed: its output,
 * its equality answer, its watch and playback. */
void
hs_window_adopt_trace (HsWindow *self,
                       HsTrace  *trace)
{
  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (HS_IS_TRACE (trace));

  if (trace == self->trace)
    return;

  hs_window_reset_playback (self);
  /* The inspector borrows strings from the old trace: let go first. */
  hs_inspector_set_selection (self->inspector, NULL, 0, NULL, NULL);
  {
    g_autofree char *source = hs_window_dup_text (self);

    hs_inspector_set_trace (self->inspector, trace, source);
  }
  hs_inspector_set_python_version (self->inspector, hs_trace_get_python_version (trace));
  /* refs name objects of one run: its focus goes with it */
  g_action_group_change_action_state (G_ACTION_GROUP (self), "focus", g_variant_new_string ("all"));
  g_clear_pointer (&self->equality_expr, g_free);
  g_clear_pointer (&self->equality_result, g_free);
  hs_inspector_set_equality (self->inspector, NULL, NULL);
  g_set_object (&self->trace, trace);
  hs_window_files_reset (self);
  g_ptr_array_set_size (self->output, 0);
  self->output_steps = 0;
  self->n_steps = 0;
  self->step = 0;
}

/* Takes the steps that arrived since last time: their output, and the
 * timeline's new end.  A window showing the newest step follows the run;
 * one the learner moved elsewhere stays where it is.  A saved run opens
 * at its first step. */
void
hs_window_take_new_steps (HsWindow     *self,
                          HsWindowTake  take)
{
  guint n_steps;
  gboolean first, following;

  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (self->trace != NULL);

  n_steps = hs_trace_get_n_steps (self->trace);
  first = self->n_steps == 0;   /* nothing of this run is shown yet */
  following = take != HS_WINDOW_TAKE_FROM_START && (first || self->step + 1 >= self->n_steps);
  collect_output (self->trace, self->output_steps, n_steps, self->output);
  self->output_steps = n_steps;
  if (n_steps == self->n_steps && take == HS_WINDOW_TAKE_ARRIVED)
    return;
  self->n_steps = n_steps;

  /* In prediction mode, following would give the answer away. */
  if (following && self->n_steps > 0 &&
      !hs_lesson_panel_blocks_step (self->lesson_panel, self->trace, self->step))
    hs_window_show_step (self, self->n_steps - 1, FALSE);
  else if (first || take != HS_WINDOW_TAKE_ARRIVED)
    hs_window_show_step (self, self->step, FALSE);
  else
    hs_window_update_timeline (self);
}

/* While a run goes on, what has arrived can be stepped through. */
static gboolean
arrival_cb (gpointer user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  g_autoptr(HsTrace) trace = hs_runner_dup_trace (self->runner);

  /* until the worker has started, the runner still has the old run's;
   * the old run stays in view until the new one has a step to show */
  if (trace == NULL || trace == self->replaced_trace || hs_trace_get_n_steps (trace) == 0)
    return G_SOURCE_CONTINUE;

  hs_window_adopt_trace (self, trace);
  hs_window_take_new_steps (self, HS_WINDOW_TAKE_ARRIVED);
  return G_SOURCE_CONTINUE;
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  HsWindow *self = HS_WINDOW (object);
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->arrival_source, g_source_remove);
  g_clear_object (&self->replaced_trace);
  hs_window_set_busy (self, FALSE);

  if (!(trace = hs_snippet_run_finish (result, &error)))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot run the snippet: %s"), error->message);

      hs_window_toast (self, message);
      hs_window_update_actions (self);
      return;
    }

  hs_window_adopt_trace (self, trace);
  self->edited_since_run = FALSE;
  /* a saved run shows the modules' text as this run saw it */
  if (self->program_dir != NULL)
    hs_trace_read_sources (trace, self->program_dir, HS_TRACE_READER_MAX_SOURCE);

  /* The heap buttons act on the state after the last step, so a window
   * that followed the run shows it; the status and trailing output are
   * shown from now on. */
  hs_window_take_new_steps (self, HS_WINDOW_TAKE_ENDED);
  hs_window_report_run (self);
  adw_window_title_set_subtitle (self->window_title, NULL);
  g_signal_emit_by_name (self->buffer, "modified-changed");
}

/* What a run of the document runs.  A saved file runs where it is,
 * exactly as `python3 FILE.py` would: same __file__, same sys.path[0],
 * so its own imports work; edited, it runs the same way with its text
 * (TEXT), as it would once saved, and nothing is written beside it.  A
 * new snippet runs from a copy in a folder of the window's own (made
 * only then: a saved file's runs left an empty one), TEXT NULL. */
gboolean
hs_window_dup_program (HsWindow  *self,
                       char     **path,
                       char     **text,
                       GError   **error)
{
  g_autofree char *snippet = NULL;
  g_autofree char *copy = NULL;

  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL && text != NULL, FALSE);

  *path = *text = NULL;
  if (self->file != NULL && g_file_is_native (self->file))
    {
      *path = g_file_get_path (self->file);
      if (gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer)))
        *text = hs_window_dup_text (self);
      return TRUE;
    }

  if (self->run_dir == NULL && !(self->run_dir = g_dir_make_tmp ("heapscope-XXXXXX", error)))
    return FALSE;
  snippet = g_build_filename (self->run_dir, "snippet.py", NULL);
  copy = hs_window_dup_text (self);
  if (!g_file_set_contents (snippet, copy, -1, error))
    return FALSE;
  *path = g_steal_pointer (&snippet);
  return TRUE;
}

void
hs_window_run (HsWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) args = NULL;
  g_auto(GStrv) step_folders = NULL;
  g_autofree char *stdin_path = NULL;
  HsRunOptions options;

  g_return_if_fail (HS_IS_WINDOW (self));

  if (self->busy)
    return;
  hs_window_reset_playback (self);

  if (!hs_window_dup_program (self, &path, &text, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot run the snippet: %s"), error->message);

      hs_window_toast (self, message);
      return;
    }
  hs_run_options_init (&options);
  options.max_elements = g_settings_get_uint (self->settings, "element-cap");
  step_folders = g_settings_get_strv (self->settings, "step-folders");
  options.step_folders = (const char * const *) step_folders;
  g_free (self->program_dir);
  self->program_dir = g_path_get_dirname (path);
  if (!hs_window_prepare_program_input (self, &options, &args, &stdin_path))
    return;

  hs_window_mark_exception (self, 0);
  self->stop_requested = FALSE;
  hs_window_set_busy (self, TRUE);
  g_free (self->live_path);
  self->live_path = g_strdup (path);
  g_free (self->live_text);
  self->live_text = g_strdup (text);
  g_ptr_array_set_size (self->live_statements, 0);

  /* the runner's trace is the old run's until the worker starts */
  g_clear_object (&self->replaced_trace);
  self->replaced_trace = hs_runner_dup_trace (self->runner);
  self->arrival_source = g_timeout_add (ARRIVAL_INTERVAL_MS, arrival_cb, self);

  hs_snippet_run_async (self, self->runner, self->python, path, text, &options,
                        HS_SNIPPET_RUN_KEEP_LIVE, run_done_cb, NULL);
}

void
hs_window_stop (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  if (!self->busy)
    return;

  self->stop_requested = TRUE;
  hs_runner_stop (self->runner);
}

static void
close_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  hs_runner_close (task_data);
  g_task_return_boolean (task, TRUE);
}

/* The worker's atexit handlers may take a while; the window does not wait.
 * The old runner ends in a thread of its own and the window takes a fresh
 * one, so that no two threads ever share a runner. */
static void
retire_runner (HsWindow *self)
{
  g_autoptr(GTask) task = NULL;

  g_assert (HS_IS_WINDOW (self));

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_task_data (task, g_steal_pointer (&self->runner), g_object_unref);
  g_task_run_in_thread (task, close_thread);
  self->runner = hs_runner_new ();
}

void
hs_window_close_runtime (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  if (self->busy || !hs_runner_is_live (self->runner))
    return;

  retire_runner (self);
  hs_window_update_actions (self);
}

typedef struct
{
  HsRunner      *runner;
  HsTrace       *trace;
  HsCommandKind  kind;
  char          *source;
  char          *select_first;
  gboolean       had_selection;  /* something was selected when it began */
  char          *select_second;
  guint          first_line;
  guint          first_step;
  gboolean       add_newline;
  GPtrArray     *output;
  char          *python_error;
  char          *report;
} ExecData;

static void
exec_data_free (ExecData *data)
{
  g_clear_object (&data->runner);
  g_clear_object (&data->trace);
  g_free (data->source);
  g_free (data->select_first);
  g_free (data->select_second);
  g_clear_pointer (&data->output, g_ptr_array_unref);
  g_free (data->python_error);
  g_free (data->report);
  g_free (data);
}

static void
exec_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ExecData *data = task_data;
  GError *error = NULL;

  if (!hs_runner_exec_sync (data->runner, data->source, data->first_line,
                            &data->python_error, &error) &&
      error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  collect_output (data->trace, data->first_step, hs_trace_get_n_steps (data->trace), data->output);

  /* The button's gc.collect(), or one typed in the console, which shows
   * no value: a full collection is reported even when it frees nothing */
  if (data->python_error == NULL && data->first_step > 0)
    {
      g_autoptr(HsSnapshot) before = hs_trace_get_snapshot (data->trace, data->first_step - 1);
      g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_snapshot_unref);
      guint n_steps = hs_trace_get_n_steps (data->trace);

      for (guint i = data->first_step; i < n_steps; i++)
        g_ptr_array_add (steps, hs_trace_get_snapshot (data->trace, i));
      data->report = hs_describe_gc_collect (before, steps);
    }

  g_task_return_boolean (task, TRUE);
}

static void
append_to_snippet (HsWindow   *self,
                   const char *source,
                   gboolean    add_newline)
{
  g_autofree char *text = NULL;
  GtkTextIter end;

  text = g_strconcat (add_newline ? "\n" : "", source, "\n", NULL);

  self->appending = TRUE;
  gtk_text_buffer_get_end_iter (GTK_TEXT_BUFFER (self->buffer), &end);
  gtk_text_buffer_insert (GTK_TEXT_BUFFER (self->buffer), &end, text, -1);
  self->appending = FALSE;
}

static char *
new_output_text (GPtrArray *output)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < output->len; i++)
    {
      HsOutputSegment *segment = g_ptr_array_index (output, i);

      if (!segment->is_stderr)
        g_string_append_len (text, g_bytes_get_data (segment->bytes, NULL), g_bytes_get_size (segment->bytes));
    }
  return g_strstrip (g_string_free (g_steal_pointer (&text), FALSE));
}

typedef struct
{
  HsRunner     *runner;
  char         *python;
  char         *path;
  char         *text;
  HsRunOptions  options;
  GPtrArray    *statements;  /* HsLiveStatement */
} ReplayData;

static void
replay_data_free (ReplayData *data)
{
  g_assert (data != NULL);

  g_clear_object (&data->runner);
  g_free (data->python);
  g_free (data->path);
  g_free (data->text);
  g_clear_pointer (&data->statements, g_ptr_array_unref);
  g_free (data);
}

static void
replay_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReplayData *data = task_data;
  g_autoptr(HsTrace) trace = NULL;
  GError *error = NULL;

  g_assert (G_IS_TASK (task));
  g_assert (data != NULL);

  if (!(trace = hs_snippet_run_sync (data->runner, data->python, data->path, data->text,
                                     &data->options, HS_SNIPPET_RUN_KEEP_LIVE, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i <= data->statements->len; i++)
    {
      HsLiveStatement *statement;
      g_autofree char *python_error = NULL;

      /* stopped, or no longer the program it was */
      if (!hs_runner_is_live (data->runner))
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("The run ended: %s"),
                                   hs_trace_get_status (trace));
          return;
        }
      if (i == data->statements->len)
        break;
      statement = g_ptr_array_index (data->statements, i);
      if (!hs_runner_exec_sync (data->runner, statement->source, statement->first_line,
                                &python_error, &error))
        {
          if (error == NULL)
            error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s", python_error);
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&trace), g_object_unref);
}

static void
replay_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  HsWindow *self = HS_WINDOW (object);
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *equality_expr = NULL;
  g_autofree char *equality_result = NULL;
  guint step = self->step;

  hs_window_set_busy (self, FALSE);

  if (!(trace = g_task_propagate_pointer (G_TASK (result), &error)))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot run the snippet again: %s"), error->message);

      hs_window_toast (self, message);
      hs_window_update_actions (self);
      return;
    }

  /* the same program in the same state: what was compared still holds */
  equality_expr = g_steal_pointer (&self->equality_expr);
  equality_result = g_steal_pointer (&self->equality_result);
  hs_window_adopt_trace (self, trace);
  self->equality_expr = g_steal_pointer (&equality_expr);
  self->equality_result = g_steal_pointer (&equality_result);

  self->n_steps = hs_trace_get_n_steps (trace);
  collect_output (trace, 0, self->n_steps, self->output);
  self->output_steps = self->n_steps;
  if (self->n_steps > 0)
    hs_window_show_step (self, MIN (step, self->n_steps - 1), FALSE);
  hs_inspector_set_equality (self->inspector, self->equality_expr, self->equality_result);
  hs_window_update_actions (self);
}

/* A statement that raised, or that the worker did not survive, is not
 * added to the snippet, so its steps leave the timeline too: the
 * timeline is always the snippet's.  What it did to the live program
 * cannot be undone there, so the program runs again as it ran before
 * the statement: the snippet, then each statement the console added,
 * one by one, so that its steps are the ones the timeline showed (a
 * fresh run of the longer snippet has other steps: no end after each
 * statement).  The console keeps the statement and says what went
 * wrong. */
static void
take_back_statement (HsWindow     *self,
                     ExecData     *data,
                     const GError *error)
{
  g_autofree char *failure = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GTask) task = NULL;
  ReplayData *replay;

  g_assert (HS_IS_WINDOW (self));
  g_assert (data != NULL && (data->python_error != NULL || error != NULL));

  if (data->python_error == NULL)
    failure = g_strdup_printf (_("The Python worker failed: %s"), error->message);
  message = g_strdup_printf (_("%s — not added to the snippet"), failure ? failure : data->python_error);
  hs_window_show_console_error (self, message);
  hs_window_toast (self, message);

  /* a statement that raised before its first step changed nothing; a
   * worker that failed left no live program */
  if (error == NULL && hs_trace_get_n_steps (self->trace) == data->first_step)
    return;
  self->n_steps = data->first_step;
  self->output_steps = data->first_step;
  if (self->n_steps > 0)
    hs_window_show_step (self, MIN (self->step, self->n_steps - 1), FALSE);
  if (self->live_path == NULL)
    return;

  replay = g_new0 (ReplayData, 1);
  hs_run_options_init (&replay->options);
  replay->options.max_elements = g_settings_get_uint (self->settings, "element-cap");
  replay->python = g_strdup (self->python);
  replay->path = g_strdup (self->live_path);
  replay->text = g_strdup (self->live_text);
  replay->statements = g_ptr_array_new_with_free_func (hs_live_statement_free);
  for (guint i = 0; i < self->live_statements->len; i++)
    {
      HsLiveStatement *statement = g_ptr_array_index (self->live_statements, i);
      HsLiveStatement *copy = g_new0 (HsLiveStatement, 1);

      copy->source = g_strdup (statement->source);
      copy->first_line = statement->first_line;
      g_ptr_array_add (replay->statements, copy);
    }

  /* the failed program's worker ends aside; Stop ends the new one */
  retire_runner (self);
  replay->runner = g_object_ref (self->runner);
  self->stop_requested = FALSE;
  hs_window_set_busy (self, TRUE);

  task = g_task_new (self, NULL, replay_done_cb, NULL);
  g_task_set_source_tag (task, take_back_statement);
  g_task_set_task_data (task, replay, (GDestroyNotify) replay_data_free);
  g_task_run_in_thread (task, replay_thread);
}

static void
exec_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  HsWindow *self = HS_WINDOW (object);
  ExecData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = NULL;
  HsLiveStatement *statement;
  gboolean ok;

  ok = g_task_propagate_boolean (G_TASK (result), &error);
  hs_window_set_busy (self, FALSE);

  if (!ok || data->python_error != NULL)
    {
      take_back_statement (self, data, error);
      hs_inspector_set_equality (self->inspector, self->equality_expr, self->equality_result);
      hs_window_update_actions (self);
      return;
    }

  self->n_steps = hs_trace_get_n_steps (self->trace);
  self->output_steps = self->n_steps;
  if (data->output != NULL)
    {
      printed = new_output_text (data->output);
      g_ptr_array_extend_and_steal (self->output, g_steal_pointer (&data->output));
    }

  append_to_snippet (self, data->source, data->add_newline);
  statement = g_new0 (HsLiveStatement, 1);
  statement->source = g_strdup (data->source);
  statement->first_line = data->first_line;
  g_ptr_array_add (self->live_statements, statement);
  if (data->kind == HS_COMMAND_STATEMENT)
    hs_window_set_console_text (self, "");
  if (data->report != NULL)
    hs_window_toast (self, data->report);
  if (self->equality_expr != NULL && self->equality_result == NULL)
    self->equality_result = g_strdup (printed);

  if (self->n_steps > 0)
    hs_window_show_step (self, self->n_steps - 1, TRUE);

  if (data->select_first != NULL)
    {
      hs_graph_view_select_variable (self->graph_view, data->select_first, FALSE);
      if (data->select_second != NULL)
        hs_graph_view_select_variable (self->graph_view, data->select_second, TRUE);
    }
  if (data->had_selection && hs_graph_view_get_selection (self->graph_view, NULL, NULL) == 0)
    hs_window_selection_gone (self);

  hs_inspector_set_equality (self->inspector, self->equality_expr, self->equality_result);
  hs_window_update_actions (self);
}

void
hs_window_exec (HsWindow      *self,
                const char    *source,
                HsCommandKind  kind)
{
  hs_window_exec_full (self, source, kind, NULL, NULL);
}

void
hs_window_exec_full (HsWindow      *self,
                     const char    *source,
                     HsCommandKind  kind,
                     const char    *select_first,
                     const char    *select_second)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *text = NULL;
  ExecData *data;
  guint newlines = 0;
  gsize length;

  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (source != NULL);

  if (self->busy || self->trace == NULL || !hs_runner_is_live (self->runner))
    {
      hs_window_toast (self, _("Run the snippet first: statements act on the live program"));
      return;
    }

  hs_window_show_console_error (self, NULL);
  data = g_new0 (ExecData, 1);
  data->runner = g_object_ref (self->runner);
  data->trace = g_object_ref (self->trace);
  data->kind = kind;
  data->source = g_strdup (source);
  data->select_first = g_strdup (select_first);
  data->select_second = g_strdup (select_second);
  data->had_selection = hs_graph_view_get_selection (self->graph_view, NULL, NULL) > 0;
  data->first_step = hs_trace_get_n_steps (self->trace);
  data->output = g_ptr_array_new_with_free_func (hs_output_segment_free);

  /* The statement runs as if it were already written below the snippet,
   * so its steps point at the lines it will occupy. */
  text = hs_window_dup_text (self);
  length = strlen (text);
  for (const char *c = text; *c; c++)
    newlines += *c == '\n';
  data->add_newline = length > 0 && text[length - 1] != '\n';
  data->first_line = length == 0 ? 1 : newlines + (data->add_newline ? 2 : 1);

  hs_window_set_busy (self, TRUE);

  task = g_task_new (self, NULL, exec_done_cb, NULL);
  g_task_set_source_tag (task, hs_window_exec);
  g_task_set_task_data (task, data, (GDestroyNotify) exec_data_free);
  g_task_run_in_thread (task, exec_thread);
}

static char **
module_names (HsSnapshot *snapshot,
              gboolean    modules_only)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const HsFrame *frames;
  guint n_frames;

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  if (n_frames > 0)
    for (guint i = 0; i < frames[0].n_vars; i++)
      {
        const HsObject *object = hs_snapshot_lookup (snapshot, frames[0].vars[i].ref);

        if (!modules_only || (object != NULL && g_strcmp0 (object->type, "module") == 0))
          g_strv_builder_add (builder, frames[0].vars[i].name);
      }
  return g_strv_builder_end (builder);
}

static char *
default_target (HsCommandKind        kind,
                const char          *source,
                const char * const  *taken)
{
  static const char *suffixes[] = {
    [HS_COMMAND_ASSIGN] = "alias",
    [HS_COMMAND_SLICE_COPY] = "slice",
    [HS_COMMAND_COPY] = "copy",
    [HS_COMMAND_DEEPCOPY] = "deep",
  };

  if (!hs_command_needs_target (kind))
    return NULL;

  /* a → b, like the examples in every Python tutorial. */
  if (strlen (source) == 1 && g_ascii_islower (source[0]))
    for (char c = 1; c < 26; c++)
      {
        char name[2] = { 'a' + (source[0] - 'a' + c) % 26, 0 };

        if (!g_strv_contains (taken, name))
          return g_strdup (name);
      }

  for (guint n = 1; ; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup_printf ("%s_%s", source, suffixes[kind])
                                     : g_strdup_printf ("%s_%s%u", source, suffixes[kind], n);

      if (!g_strv_contains (taken, name))
        return g_steal_pointer (&name);
    }
}

static void
command_response_cb (HsCommandDialog *dialog,
                     const char      *response,
                     HsWindow        *self)
{
  g_autofree char *source = NULL;
  const char *from = g_object_get_data (G_OBJECT (dialog), "source-name");
  HsCommandKind kind = hs_command_dialog_get_kind (dialog);

  /* The dialog closes itself after any response. */
  if (self->command_dialog == dialog)
    self->command_dialog = NULL;

  if (!g_str_equal (response, "run"))
    return;

  /* Afterwards both names are selected, so the inspector compares them. */
  source = hs_command_dialog_dup_source (dialog);
  if (hs_command_needs_target (kind))
    hs_window_exec_full (self, source, kind, from, hs_command_dialog_get_target (dialog));
  else
    hs_window_exec_full (self, source, kind, NULL, NULL);
}

static void
command_dialog_destroyed_cb (HsWindow  *self,
                             GtkWidget *dialog)
{
  if (self->command_dialog == (HsCommandDialog *) dialog)
    self->command_dialog = NULL;
}

void
hs_window_heap_command (HsWindow      *self,
                        HsCommandKind  kind)
{
  g_autoptr(HsSnapshot) last = NULL;
  g_auto(GStrv) modules = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *target = NULL;
  g_autofree char *source_name = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));

  if (self->busy || self->trace == NULL || !hs_runner_is_live (self->runner) || self->command_dialog != NULL)
    return;

  /* The live program is at its last step; so are the commands. */
  if (self->step + 1 != self->n_steps)
    hs_window_show_step (self, self->n_steps - 1, FALSE);

  last = hs_trace_get_snapshot (self->trace, self->n_steps - 1);
  modules = module_names (last, TRUE);
  names = module_names (last, FALSE);

  if (kind != HS_COMMAND_GC_COLLECT)
    {
      const char *selected = hs_graph_view_get_selected_variable (self->graph_view);

      if (selected == NULL)
        {
          hs_window_toast (self, _("Select a variable in the graph first"));
          return;
        }
      if (!g_strv_contains ((const char * const *) names, selected))
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a name of the program after its last step"), selected);

          hs_window_toast (self, message);
          return;
        }
      source_name = g_strdup (selected);
      target = default_target (kind, source_name, (const char * const *) names);
    }

  self->command_dialog = hs_command_dialog_new (GTK_WINDOW (self), kind, source_name, target,
                                                (const char * const *) modules);
  g_object_set_data_full (G_OBJECT (self->command_dialog), "source-name", g_strdup (source_name), g_free);
  g_signal_connect_object (self->command_dialog, "response", G_CALLBACK (command_response_cb), self, 0);
  g_signal_connect_object (self->command_dialog, "destroy", G_CALLBACK (command_dialog_destroyed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->command_dialog));
}

void
hs_window_compare (HsWindow *self)
{
  g_autofree char *source = NULL;
  guint32 refs[2];
  const char *names[2];

  g_return_if_fail (HS_IS_WINDOW (self));

  if (hs_graph_view_get_selection (self->graph_view, refs, names) != 2 || !names[0] || !names[1])
    {
      hs_window_toast (self, _("Select two variables to compare"));
      return;
    }

  g_free (self->equality_expr);
  g_clear_pointer (&self->equality_result, g_free);
  self->equality_expr = g_strdup_printf ("%s == %s", names[0], names[1]);
  source = g_strdup_printf ("print(%s)", self->equality_expr);
  hs_window_exec_full (self, source, HS_COMMAND_STATEMENT, names[0], names[1]);
}
