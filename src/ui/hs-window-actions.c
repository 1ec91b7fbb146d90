/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-window-actions"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hs-describe.h"
#include "hs-window-private.h"

typedef struct
{
  GFile    *file;
  GBytes   *bytes;
  gboolean  close_after;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->file);
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_free (data);
}

/* A local file is written to a temporary file that is fsync()ed before
 * it is renamed over the original, so that a crash while saving never
 * leaves the learner's file empty.  Other locations go through GIO. */
static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  g_autofree char *path = g_file_get_path (data->file);
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *contents = g_bytes_get_data (data->bytes, &length);
  gboolean ok;

  if (path != NULL)
    ok = hs_write_file_durably (path, contents, length, &error);
  else
    ok = g_file_replace_contents (data->file, contents, length, NULL, FALSE,
                                  G_FILE_CREATE_NONE, NULL, cancellable, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  HsWindow *self = HS_WINDOW (object);
  SaveData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *name = g_file_get_parse_name (data->file);
      g_autofree char *message = g_strdup_printf (_("Cannot save “%s”: %s"), name, error->message);

      /* The draft still holds the text. */
      hs_window_toast (self, message);
      return;
    }

  g_set_object (&self->file, data->file);
  g_free (self->title);
  self->title = g_file_get_basename (data->file);
  hs_window_interpreter_document_renamed (self);
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self->buffer), FALSE);
  hs_window_discard_draft (self);
  hs_application_add_recent (HS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))), data->file);

  if (data->close_after)
    gtk_window_close (GTK_WINDOW (self));
  else
    {
      g_autofree char *message = g_strdup_printf (_("Saved “%s”"), self->title);

      hs_window_toast (self, message);
    }
}

static void
save_to (HsWindow *self,
         GFile    *file,
         gboolean  close_after)
{
  g_autofree char *text = hs_window_dup_text (self);
  g_autoptr(GBytes) bytes = NULL;
  SaveData *data;
  GTask *task;
  gsize length = strlen (text);

  bytes = g_bytes_new_take (g_steal_pointer (&text), length);

  data = g_new0 (SaveData, 1);
  data->file = g_object_ref (file);
  data->bytes = g_steal_pointer (&bytes);
  data->close_after = close_after;
  task = g_task_new (self, NULL, save_done_cb, NULL);
  g_task_set_source_tag (task, save_to);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
  g_object_unref (task);
}

static void
save_as_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  HsWindow *self = HS_WINDOW (g_object_get_data (G_OBJECT (dialog), "window"));
  gboolean close_after = GPOINTER_TO_INT (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        save_to (self, file, close_after);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
hs_window_save (HsWindow *self,
                gboolean  save_as,
                gboolean  close_after)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));

  if (self->file != NULL && !save_as)
    {
      save_to (self, self->file, close_after);
      return;
    }

  dialog = gtk_file_chooser_native_new (_("Save Snippet"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Python Files"));
  gtk_file_filter_add_suffix (filter, "py");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);

  name = g_strdup (self->title ? self->title : "snippet.py");
  if (!g_str_has_suffix (name, ".py"))
    {
      g_autofree char *base = g_steal_pointer (&name);

      name = g_strconcat (base, ".py", NULL);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  if (self->file != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), self->file, NULL);

  g_object_set_data (G_OBJECT (dialog), "window", self);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (save_as_response_cb), GINT_TO_POINTER (close_after));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  hs_window_save (HS_WINDOW (user_data), FALSE, FALSE);
}

static void
save_as_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  hs_window_save (HS_WINDOW (user_data), TRUE, FALSE);
}

static void
close_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static void
open_example_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  HsWindow *self = user_data;
  const char *name = g_variant_get_string (param, NULL);

  /* Never replace text the user would lose. */
  if (!gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer)) && !self->busy)
    {
      hs_window_close_runtime (self);
      hs_window_load_example (self, name);
    }
  else
    {
      HsWindow *window = hs_window_new (HS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));

      hs_window_load_example (window, name);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
open_lesson_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  HsWindow *self = user_data;
  g_autoptr(HsLesson) lesson = NULL;
  g_autoptr(GError) error = NULL;

  if (!(lesson = hs_lesson_load (g_variant_get_string (param, NULL), &error)))
    {
      hs_window_toast (self, error->message);
      return;
    }

  /* Never replace text the user would lose. */
  if (!gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer)) && !self->busy)
    hs_window_open_lesson (self, lesson);
  else
    {
      HsWindow *window = hs_window_new (HS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));

      hs_window_open_lesson (window, lesson);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  HsWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        hs_window_toast (self, _("Export needs a local file"));
      else if (!hs_graph_view_export (self->graph_view, path, &error))
        hs_window_toast (self, error->message);
      else
        {
          g_autofree char *basename = g_file_get_basename (file);
          g_autofree char *message = g_strdup_printf (_("Exported “%s”"), basename);

          hs_window_toast (self, message);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  HsWindow *self = user_data;
  static const struct { const char *name; const char *suffix; } formats[] = {
    { N_("PNG Image"), "png" },
    { N_("SVG Image"), "svg" },
    { N_("PDF Document"), "pdf" },
  };
  GtkFileChooserNative *dialog;
  g_autofree char *stem = NULL;
  g_autofree char *name = NULL;

  dialog = gtk_file_chooser_native_new (_("Export Step"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _(formats[i].name));
      gtk_file_filter_add_suffix (filter, formats[i].suffix);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
    }

  stem = g_strdup (hs_window_get_display_name (self));
  if (g_str_has_suffix (stem, ".py"))
    stem[strlen (stem) - 3] = '\0';
  name = g_strdup_printf ("%s-step-%u.png", stem, self->step + 1);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
run_action (GSimpleAction *action,
            GVariant      *param,
            gpointer       user_data)
{
  hs_window_run (HS_WINDOW (user_data));
}

static void
stop_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  hs_window_stop (HS_WINDOW (user_data));
}

static void
step_forward_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  HsWindow *self = user_data;

  hs_window_show_step (self, self->step + 1, TRUE);
}

static void
step_back_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  HsWindow *self = user_data;

  if (self->step > 0)
    hs_window_show_step (self, self->step - 1, TRUE);
}

static void
first_step_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  hs_window_show_step (HS_WINDOW (user_data), 0, FALSE);
}

static void
last_step_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  HsWindow *self = user_data;

  if (self->n_steps > 0)
    hs_window_show_step (self, self->n_steps - 1, FALSE);
}

/* The heap commands are actions of their own names ("assign",
 * "deepcopy", ...), which scripts and the buttons call; one callback
 * serves them all. */
static const struct
{
  const char    *name;
  HsCommandKind  kind;
} heap_commands[] = {
  { "assign", HS_COMMAND_ASSIGN },
  { "slice-copy", HS_COMMAND_SLICE_COPY },
  { "copy", HS_COMMAND_COPY },
  { "deepcopy", HS_COMMAND_DEEPCOPY },
  { "del", HS_COMMAND_DEL },
  { "gc-collect", HS_COMMAND_GC_COLLECT },
};

static void
heap_command_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  const char *name = g_action_get_name (G_ACTION (action));

  g_assert (HS_IS_WINDOW (self));

  for (guint i = 0; i < G_N_ELEMENTS (heap_commands); i++)
    if (g_str_equal (name, heap_commands[i].name))
      {
        hs_window_heap_command (self, heap_commands[i].kind);
        return;
      }
  g_assert_not_reached ();
}

static void
compare_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  hs_window_compare (HS_WINDOW (user_data));
}

static void
focus_console_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  HsWindow *self = user_data;

  gtk_widget_grab_focus (GTK_WIDGET (self->console_view));
}

static void
restore_draft_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  hs_window_restore_pending_draft (HS_WINDOW (user_data));
}

static void
zoom_in_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  hs_graph_view_zoom_in (HS_WINDOW (user_data)->graph_view);
}

static void
zoom_out_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  hs_graph_view_zoom_out (HS_WINDOW (user_data)->graph_view);
}

static void
zoom_fit_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  hs_graph_view_zoom_fit (HS_WINDOW (user_data)->graph_view);
}

/* "… N more" for the selected container, from the keyboard: what a
 * click on that row does */
static void
show_more_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  guint32 refs[2];

  g_assert (HS_IS_WINDOW (self));

  if (hs_graph_view_get_selection (self->graph_view, refs, NULL) == 0)
    hs_window_toast (self, _("Select a container in the graph first"));
  else if (!hs_graph_view_show_more (self->graph_view, refs[0]))
    hs_window_toast (self, _("All of this container that was recorded is shown"));
}

/* The runtime records at most element-cap entries of each container:
 * raise it and run again.  The new run's objects are new objects, with
 * new ids, and the toast says so. */
static void
raise_element_cap_action (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  guint cap = CLAMP (g_variant_get_uint32 (param), 1, HS_GRAPH_VIEW_MAX_ELEMENT_CAP);
  g_autofree char *message = NULL;

  g_assert (HS_IS_WINDOW (self));

  if (self->busy)
    {
      hs_window_toast (self, _("Wait for the program to finish, then run it again"));
      return;
    }
  if (cap > g_settings_get_uint (self->settings, "element-cap"))
    g_settings_set_uint (self->settings, "element-cap", cap);
  /* Translators: %u is the new element cap */
  message = g_strdup_printf (_("Running again, recording up to %u entries of each container: its objects have new ids"), cap);
  hs_window_toast (self, message);
  hs_window_run (self);
}

/* A name in a lesson's note was activated (its link carries the ref the
 * note resolved at the step shown): select that object and bring it
 * into view at a readable size, as a search does.  The camera framed
 * what the line made; the note may talk about more than fits beside it.
 * Unlike a search it leaves a folded inspector shut: the learner asked
 * to see the object the note talks about, and the note says what it is. */
static void
show_object_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  guint32 ref = g_variant_get_uint32 (param);
  HsSnapshot *snapshot = hs_graph_view_get_snapshot (self->graph_view);

  /* Only an object the step shown has: a stale link selects nothing */
  if (snapshot == NULL || hs_snapshot_lookup (snapshot, ref) == NULL)
    return;
  hs_graph_view_select_object (self->graph_view, ref, FALSE);
  hs_graph_view_reveal_object (self->graph_view, ref);
}

/* An entry of the inspector's history: the step that shows the change */
static void
go_to_step_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  guint step = g_variant_get_uint32 (param);

  g_assert (HS_IS_WINDOW (self));

  if (step < self->n_steps)
    hs_window_show_step (self, step, FALSE);
}

/* Outlines every object on a path from a name to the selected one: the
 * inspector's "Reached Through" list, in the graph */
static void
select_holders_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  HsSnapshot *snapshot = hs_graph_view_get_snapshot (self->graph_view);
  g_autoptr(HsObjectPaths) paths = NULL;
  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  guint32 selected[2];

  g_assert (HS_IS_WINDOW (self));

  if (snapshot == NULL || hs_graph_view_get_selection (self->graph_view, selected, NULL) == 0)
    {
      hs_window_toast (self, _("Select an object in the graph first"));
      return;
    }
  paths = hs_describe_paths (snapshot, selected[0], HS_DESCRIBE_MAX_PATHS, HS_DESCRIBE_MAX_PATH_DEPTH);
  g_hash_table_add (seen, GUINT_TO_POINTER (selected[0]));
  for (guint i = 0; i < paths->paths->len; i++)
    {
      const HsObjectPath *path = g_ptr_array_index (paths->paths, i);

      for (guint k = 0; k < path->n_refs; k++)
        if (g_hash_table_add (seen, GUINT_TO_POINTER (path->refs[k])))
          g_array_append_val (refs, path->refs[k]);
    }
  if (refs->len == 0)
    hs_window_toast (self, _("Only names hold it: no object on the way"));
  hs_graph_view_set_highlight (self->graph_view, (const guint32 *) refs->data, refs->len);
}

/* The program's own modules: the .py files and the packages beside it */
static GStrv
list_user_modules (HsWindow *self)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *path = NULL;
  const char *name;

  g_assert (HS_IS_WINDOW (self));

  if (self->file != NULL && (folder = g_file_get_parent (self->file)) != NULL &&
      (path = g_file_get_path (folder)) != NULL && (dir = g_dir_open (path, 0, NULL)) != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *init = g_build_filename (path, name, "__init__.py", NULL);

        if (g_str_has_suffix (name, ".py"))
          {
            g_autofree char *stem = g_strndup (name, strlen (name) - 3);

            g_strv_builder_add (names, stem);
          }
        else if (g_file_test (init, G_FILE_TEST_IS_REGULAR))
          g_strv_builder_add (names, name);
      }
  return g_strv_builder_end (names);
}

static void
apply_focus (HsWindow    *self,
             const char  *how,
             gboolean     hide_library)
{
  g_auto(GStrv) user_modules = list_user_modules (self);
  HsFocusKind kind = g_str_equal (how, "reaches") ? HS_FOCUS_REACHES
                     : g_str_equal (how, "reached-by") ? HS_FOCUS_REACHED_BY : HS_FOCUS_ALL;
  guint32 refs[2] = { 0, 0 };

  g_assert (HS_IS_WINDOW (self));

  if (kind != HS_FOCUS_ALL)
    {
      const HsFocus *now = hs_graph_view_get_focus (self->graph_view);

      /* the object focused on stays so while another is selected */
      if (hs_graph_view_get_selection (self->graph_view, refs, NULL) == 0)
        refs[0] = now->ref;
    }
  hs_graph_view_set_focus (self->graph_view, kind, refs[0], hide_library,
                           (const char * const *) user_modules);
}

/* Show the Whole Step, Show What This Reaches, Show What Reaches This: of
 * the first selected object */
static void
focus_change_state (GSimpleAction *action,
                    GVariant      *value,
                    gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  const char *how = g_variant_get_string (value, NULL);
  guint32 refs[2];
  GVariant *hide;

  g_assert (HS_IS_WINDOW (self));

  if (!g_str_equal (how, "all") && !g_str_equal (how, "reaches") && !g_str_equal (how, "reached-by"))
    return;
  if (!g_str_equal (how, "all") && hs_graph_view_get_selection (self->graph_view, refs, NULL) == 0)
    {
      hs_window_toast (self, _("Select an object in the graph first"));
      return;
    }
  hide = g_action_group_get_action_state (G_ACTION_GROUP (self), "hide-library");
  apply_focus (self, how, g_variant_get_boolean (hide));
  g_variant_unref (hide);
  g_simple_action_set_state (action, value);
}

static void
hide_library_change_state (GSimpleAction *action,
                           GVariant      *value,
                           gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  g_autoptr(GVariant) focus = g_action_group_get_action_state (G_ACTION_GROUP (self), "focus");

  g_assert (HS_IS_WINDOW (self));

  apply_focus (self, g_variant_get_string (focus, NULL), g_variant_get_boolean (value));
  g_simple_action_set_state (action, value);
}

static void
arguments_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  hs_window_show_arguments (HS_WINDOW (user_data));
}

static void
copy_output_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  hs_window_copy_output (HS_WINDOW (user_data));
}

const GActionEntry hs_window_actions[] = {
  { "copy-output", copy_output_action },
  { "save", save_action },
  { "save-as", save_as_action },
  { "close", close_action },
  { "open-example", open_example_action, "s" },
  { "open-lesson", open_lesson_action, "s" },
  { "export", export_action },
  { "run", run_action },
  { "arguments", arguments_action },
  { "stop", stop_action },
  { "step-forward", step_forward_action },
  { "step-back", step_back_action },
  { "first-step", first_step_action },
  { "last-step", last_step_action },
  { "assign", heap_command_action },
  { "slice-copy", heap_command_action },
  { "copy", heap_command_action },
  { "deepcopy", heap_command_action },
  { "del", heap_command_action },
  { "gc-collect", heap_command_action },
  { "compare", compare_action },
  { "focus-console", focus_console_action },
  { "zoom-in", zoom_in_action },
  { "zoom-out", zoom_out_action },
  { "zoom-fit", zoom_fit_action },
  { "show-more", show_more_action },
  { "raise-element-cap", raise_element_cap_action, "u" },
  { "show-object", show_object_action, "u" },
  { "go-to-step", go_to_step_action, "u" },
  { "select-holders", select_holders_action },
  { "focus", NULL, "s", "'all'", focus_change_state },
  { "hide-library", NULL, NULL, "false", hide_library_change_state },
  { "restore-draft", restore_draft_action },
};

const gsize hs_window_n_actions = G_N_ELEMENTS (hs_window_actions);
