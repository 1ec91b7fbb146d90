/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * HsWindow keeps and shares runs: Save Run writes the trace shown, with
 * the program's text, as docs/trace-format.md describes, and a saved
 * trace (that file, or what `heapscope trace` wrote) opens in the window
 * without running anything.  A file that cannot be read leaves the
 * window as it was.
 */
#define G_LOG_DOMAIN "heapscope-window-saved"

#include "config.h"

#include <glib/gi18n.h>

#include "hs-trace-json.h"
#include "hs-trace-reader.h"
#include "hs-window-private.h"

typedef struct
{
  HsTrace   *trace;
  char      *source;
  GFile     *file;
} Saved;

static void
saved_free (Saved *saved)
{
  g_clear_object (&saved->trace);
  g_free (saved->source);
  g_clear_object (&saved->file);
  g_free (saved);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Saved, saved_free)

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(Saved) saved = g_new0 (Saved, 1);
  GError *error = NULL;

  g_assert (G_IS_TASK (task));

  saved->trace = hs_trace_read_json_file (file, &saved->source, cancellable, &error);
  if (saved->trace == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  saved->file = g_object_ref (file);
  g_task_return_pointer (task, g_steal_pointer (&saved), (GDestroyNotify) saved_free);
}

static void
open_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  HsWindow *self = HS_WINDOW (object);
  g_autoptr(Saved) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  g_assert (HS_IS_WINDOW (self));

  saved = g_task_propagate_pointer (G_TASK (result), &error);
  if (saved == NULL)
    {
      g_autofree char *name = g_file_get_basename (G_FILE (g_task_get_task_data (G_TASK (result))));
      /* Translators: a saved run that cannot be opened, then why */
      g_autofree char *message = g_strdup_printf (_("Cannot open %s: %s"), name, error->message);

      hs_window_toast (self, message);
      return;
    }
  if (self->busy)
    {
      hs_window_toast (self, _("Stop the run first: a saved run opens in place of the heap shown"));
      return;
    }

  /* The program's text, as the run saw it; not its file: saving it
   * asks where.  Nothing is changed yet: the saved run holds the text. */
  title = g_file_get_basename (saved->file);
  if (g_str_has_suffix (title, ".json"))
    title[strlen (title) - strlen (".json")] = '\0';
  hs_window_set_text (self, saved->source ? saved->source : "", NULL, title);
  /* its modules' text comes from the saved run, never from a folder */
  g_clear_pointer (&self->program_dir, g_free);
  hs_window_take_program_input (self, saved->trace);

  /* The way a run the window made comes in: the same trace, output,
   * interpreter and status, but from the first step. */
  hs_window_adopt_trace (self, saved->trace);
  self->edited_since_run = FALSE;
  hs_window_take_new_steps (self, HS_WINDOW_TAKE_FROM_START);
  hs_window_report_run (self);
  if (saved->source == NULL)
    hs_window_toast (self, _("This trace does not hold its program’s text: the graph and the output are shown without the code"));
}

/* Saved runs are JSON; programs are anything else. */
gboolean
hs_file_is_saved_run (GFile *file)
{
  g_autofree char *name = NULL;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  name = g_file_get_basename (file);
  lower = g_ascii_strdown (name ? name : "", -1);
  return g_str_has_suffix (lower, ".json");
}

/* Opens the trace FILE in place of what the window shows, once read
 * whole; nothing changes when it cannot be read. */
void
hs_window_open_trace (HsWindow *self,
                      GFile    *file)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, NULL, open_done_cb, NULL);
  g_task_set_source_tag (task, hs_window_open_trace);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, open_thread);
}

typedef struct
{
  HsTrace *trace;
  char    *source;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->trace);
  g_free (data->source);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  GFile *file = g_object_get_data (G_OBJECT (task), "file");
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GOutputStream) buffered = NULL;
  GError *error = NULL;

  g_assert (G_IS_TASK (task));

  /* Replaced only once written whole: a failed save keeps the old file. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  buffered = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (stream), 1 << 16);
  if (!hs_trace_write_json_source (data->trace, buffered, HS_TRACE_JSON_DELTAS, data->source, &error) ||
      !g_output_stream_close (buffered, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Writes the run shown, with the snippet's text, to FILE. */
void
hs_window_save_run_async (HsWindow            *self,
                          GFile               *file,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, hs_window_save_run_async);
  if (self->busy || self->trace == NULL || !hs_trace_is_finished (self->trace))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, _("There is no finished run to save"));
      return;
    }
  data = g_new0 (SaveData, 1);
  data->trace = g_object_ref (self->trace);
  /* The text that ran: edited since, it would not match the trace. */
  data->source = self->edited_since_run ? NULL : hs_window_dup_text (self);
  g_object_set_data_full (G_OBJECT (task), "file", g_object_ref (file), g_object_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
hs_window_save_run_finish (HsWindow      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
save_run_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  HsWindow *self = HS_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (hs_window_save_run_finish (self, result, &error))
    message = g_strdup (_("Run saved: it opens again without running"));
  else
    message = g_strdup_printf (_("Cannot save the run: %s"), error->message);
  hs_window_toast (self, message);
}

static void
save_run_response_cb (GtkNativeDialog *dialog,
                      int              response,
                      gpointer         user_data)
{
  HsWindow *self = HS_WINDOW (user_data);

  g_assert (GTK_IS_NATIVE_DIALOG (dialog));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        hs_window_save_run_async (self, file, save_run_done_cb, NULL);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
save_run_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  dialog = gtk_file_chooser_native_new (_("Save Run"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Heapscope Runs"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  name = g_strdup_printf ("%s.json", self->title ? self->title : "snippet.py");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_run_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static const GActionEntry saved_actions[] = {
  { "save-run", save_run_action },
};

void
hs_window_update_saved_actions (HsWindow *self)
{
  GAction *action;

  g_return_if_fail (HS_IS_WINDOW (self));

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "save-run");
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                                 !self->busy && self->trace != NULL && hs_trace_is_finished (self->trace));
}

void
hs_window_init_saved (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self), saved_actions, G_N_ELEMENTS (saved_actions), self);
}
