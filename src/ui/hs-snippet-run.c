/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-snippet-run"

#include "config.h"

#include "hs-snippet-run.h"

HsTrace *
hs_snippet_run_sync (HsRunner            *runner,
                     const char          *python,
                     const char          *path,
                     const char          *text,
                     const HsRunOptions  *options,
                     HsSnippetRunMode     mode,
                     GError             **error)
{
  HsRunOptions run_options;

  g_return_val_if_fail (HS_IS_RUNNER (runner), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The system's python3 runs on the plain worker, as `heapscope trace`
   * does without --python; another version on its own. */
  if (g_strcmp0 (python, HS_DEFAULT_PYTHON) == 0)
    hs_runner_set_runtime_path (runner, NULL);
  else if (python != NULL && !hs_runner_set_python (runner, python, error))
    return NULL;

  /* an edited file runs where it is saved, from its text */
  run_options = *options;
  run_options.source = text;
  if (mode == HS_SNIPPET_RUN_KEEP_LIVE)
    return hs_runner_start_sync (runner, path, &run_options, error);
  return hs_runner_run_sync (runner, path, &run_options, error);
}

typedef struct
{
  HsRunner         *runner;
  char             *python;
  char             *path;
  char             *text;
  char             *stdin_path;
  char            **args;
  char            **step_folders;
  HsRunOptions      options;
  HsSnippetRunMode  mode;
} RunData;

static void
run_data_free (RunData *data)
{
  g_assert (data != NULL);

  g_clear_object (&data->runner);
  g_free (data->python);
  g_free (data->path);
  g_free (data->text);
  g_free (data->stdin_path);
  g_strfreev (data->args);
  g_strfreev (data->step_folders);
  g_free (data);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  HsTrace *trace;
  GError *error = NULL;

  g_assert (G_IS_TASK (task));
  g_assert (data != NULL);

  trace = hs_snippet_run_sync (data->runner, data->python, data->path, data->text,
                               &data->options, data->mode, &error);
  if (trace == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, trace, g_object_unref);
}

void
hs_snippet_run_async (gpointer             source_object,
                      HsRunner            *runner,
                      const char          *python,
                      const char          *path,
                      const char          *text,
                      const HsRunOptions  *options,
                      HsSnippetRunMode     mode,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (source_object == NULL || G_IS_OBJECT (source_object));
  g_return_if_fail (HS_IS_RUNNER (runner));
  g_return_if_fail (path != NULL);
  g_return_if_fail (options != NULL);

  /* The thread owns copies: the caller's strings may go meanwhile. */
  data = g_new0 (RunData, 1);
  data->runner = g_object_ref (runner);
  data->python = g_strdup (python);
  data->path = g_strdup (path);
  data->text = g_strdup (text);
  data->options = *options;
  data->stdin_path = g_strdup (options->stdin_path);
  data->options.stdin_path = data->stdin_path;
  data->args = g_strdupv ((char **) options->args);
  data->options.args = (const char * const *) data->args;
  data->step_folders = g_strdupv ((char **) options->step_folders);
  data->options.step_folders = (const char * const *) data->step_folders;
  data->mode = mode;

  task = g_task_new (source_object, NULL, callback, user_data);
  g_task_set_source_tag (task, hs_snippet_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}

HsTrace *
hs_snippet_run_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hs_snippet_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
