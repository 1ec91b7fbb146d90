/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The files of a program of several files: when a step runs a module of
 * the user's own, the editor shows that file, read-only, with the step's
 * line marked; the switcher above it lists every file the run stepped.
 * The program's own file stays in the main editor, where it is edited.
 */
#define G_LOG_DOMAIN "heapscope-window"

#include "config.h"

#include <glib/gi18n.h>

#include "hs-trace-reader.h"
#include "hs-window-private.h"

#define MARK_FILE_CURRENT "hs-current"

static const char *
main_file_of (HsWindow *self)
{
  const char *main_file = self->trace != NULL ? hs_trace_get_main_file (self->trace) : NULL;

  g_assert (HS_IS_WINDOW (self));

  return main_file != NULL ? main_file : "";
}

/* The text of file as the run saw it: kept in the trace (a saved run
 * brings it), else read from the program's folder now and kept. */
static const char *
file_text (HsWindow   *self,
           const char *file)
{
  const char *text;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *valid = NULL;
  gsize len = 0;

  g_assert (HS_IS_WINDOW (self));
  g_assert (file != NULL);

  if (self->trace == NULL)
    return NULL;
  if ((text = hs_trace_get_file_source (self->trace, file)) != NULL)
    return text;
  if (self->program_dir == NULL)
    return NULL;
  path = g_path_is_absolute (file) ? g_strdup (file) : g_build_filename (self->program_dir, file, NULL);
  if (!g_file_get_contents (path, &contents, &len, NULL) || len > HS_TRACE_READER_MAX_SOURCE)
    return NULL;
  valid = g_utf8_make_valid (contents, len);
  hs_trace_set_file_source (self->trace, file, valid);
  return hs_trace_get_file_source (self->trace, file);
}

/* A file's name as the switcher shows it: its end, if long, so that a
 * deep path (or a saved run's made-up one) cannot widen the editor. */
#define FILE_LABEL_CHARS 40

static char *
file_label (const char *file)
{
  glong len = g_utf8_strlen (file, -1);

  g_assert (file != NULL);

  if (len <= FILE_LABEL_CHARS)
    return g_strdup (file);
  return g_strconcat ("…", g_utf8_offset_to_pointer (file, len - (FILE_LABEL_CHARS - 1)), NULL);
}

/* The switcher lists the trace's files, the program's own first. */
static void
update_file_list (HsWindow *self)
{
  g_autoptr(GPtrArray) files = NULL;
  const char *main_file;
  guint n;

  g_assert (HS_IS_WINDOW (self));

  files = self->trace != NULL ? hs_trace_list_files (self->trace) : g_ptr_array_new ();
  n = g_list_model_get_n_items (G_LIST_MODEL (self->file_names));
  if (files->len == n)
    return;

  main_file = main_file_of (self);
  self->updating_files = TRUE;
  gtk_string_list_splice (self->file_names, 0, n, NULL);
  gtk_string_list_splice (self->file_labels, 0, n, NULL);
  gtk_string_list_append (self->file_names, main_file);
  {
    g_autofree char *label = file_label (*main_file != '\0' ? main_file : _("Program"));

    gtk_string_list_append (self->file_labels, label);
  }
  for (guint i = 0; i < files->len; i++)
    if (!g_str_equal (g_ptr_array_index (files, i), main_file))
      {
        g_autofree char *label = file_label (g_ptr_array_index (files, i));

        gtk_string_list_append (self->file_names, g_ptr_array_index (files, i));
        gtk_string_list_append (self->file_labels, label);
      }
  self->updating_files = FALSE;
  gtk_widget_set_visible (self->file_bar, files->len > 1);
}

static guint
file_position (HsWindow   *self,
               const char *file)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->file_names));

  g_assert (HS_IS_WINDOW (self));

  for (guint i = 1; i < n; i++)
    if (g_str_equal (gtk_string_list_get_string (self->file_names, i), file))
      return i;
  return 0;
}

/* Shows file (NULL: the program's own) and marks line in it, 0 for none. */
static void
show_file (HsWindow   *self,
           const char *file,
           guint       line)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->file_buffer);
  GtkTextIter start, end, iter;
  const char *text;

  g_assert (HS_IS_WINDOW (self));

  self->updating_files = TRUE;
  gtk_drop_down_set_selected (self->file_switcher, file != NULL ? file_position (self, file) : 0);
  self->updating_files = FALSE;

  if (file == NULL)
    {
      gtk_stack_set_visible_child_name (self->file_stack, "main");
      gtk_label_set_label (self->file_note, "");
      return;
    }

  text = file_text (self, file);
  if (g_strcmp0 (self->shown_file, file) != 0)
    {
      g_free (self->shown_file);
      self->shown_file = g_strdup (file);
      gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
      hs_window_mark_breakpoints (self);
    }
  gtk_label_set_label (self->file_note, text != NULL ? _("Read-only")
                                                     : _("The run did not keep this file’s text"));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_source_buffer_remove_source_marks (self->file_buffer, &start, &end, MARK_FILE_CURRENT);
  gtk_stack_set_visible_child_name (self->file_stack, "other");
  if (line == 0 || line > (guint) gtk_text_buffer_get_line_count (buffer))
    return;

  gtk_text_buffer_get_iter_at_line (buffer, &iter, line - 1);
  hs_window_add_line_mark (self, self->file_view, MARK_FILE_CURRENT, &iter);
  gtk_text_buffer_place_cursor (buffer, &iter);
  /* the line in the middle: the lines around it are read with it */
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->file_view),
                                gtk_text_buffer_get_insert (buffer), 0, TRUE, 0, 0.5);
}

/* The module the editor shows, or NULL when it shows the program's own
 * file. */
const char *
hs_window_files_get_shown (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->file_stack), "other") != 0)
    return NULL;
  return self->shown_file;
}

/* Shows the file the step runs.  TRUE when that is a module of the
 * program's, where line is marked; the main editor then marks none. */
gboolean
hs_window_files_show_step (HsWindow   *self,
                           HsSnapshot *snapshot,
                           guint       line)
{
  const HsFrame *frames;
  guint n_frames = 0;
  const char *file;

  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);

  update_file_list (self);
  frames = snapshot != NULL ? hs_snapshot_get_frames (snapshot, &n_frames) : NULL;
  file = n_frames > 0 ? frames[n_frames - 1].file : NULL;
  self->step_file_is_other = file != NULL && hs_snapshot_get_event (snapshot) != HS_EVENT_END &&
                             g_strcmp0 (file, frames[0].file) != 0 && *file != '\0';
  g_clear_pointer (&self->step_file, g_free);
  if (self->step_file_is_other)
    {
      self->step_file = g_strdup (file);
      self->step_file_line = line;
      show_file (self, file, line);
      return TRUE;
    }
  show_file (self, NULL, 0);
  return FALSE;
}

/* A new trace: its files come as its steps do. */
void
hs_window_files_reset (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  g_clear_pointer (&self->shown_file, g_free);
  g_clear_pointer (&self->step_file, g_free);
  self->step_file_is_other = FALSE;
  self->updating_files = TRUE;
  gtk_string_list_splice (self->file_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->file_names)), NULL);
  gtk_string_list_splice (self->file_labels, 0, g_list_model_get_n_items (G_LIST_MODEL (self->file_labels)), NULL);
  self->updating_files = FALSE;
  gtk_widget_set_visible (self->file_bar, FALSE);
  gtk_stack_set_visible_child_name (self->file_stack, "main");
}

static void
file_selected_cb (HsWindow *self)
{
  guint selected;
  const char *file;

  g_assert (HS_IS_WINDOW (self));

  if (self->updating_files)
    return;
  selected = gtk_drop_down_get_selected (self->file_switcher);
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    {
      show_file (self, NULL, 0);
      return;
    }
  file = gtk_string_list_get_string (self->file_names, selected);
  show_file (self, file, g_strcmp0 (file, self->step_file) == 0 ? self->step_file_line : 0);
}

void
hs_window_files_init (HsWindow *self)
{
  g_autoptr(GtkSourceMarkAttributes) current = gtk_source_mark_attributes_new ();
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GdkRGBA color;

  g_return_if_fail (HS_IS_WINDOW (self));

  self->file_names = gtk_string_list_new (NULL);
  self->file_labels = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->file_switcher, G_LIST_MODEL (self->file_labels));
  g_signal_connect_object (self->file_switcher, "notify::selected", G_CALLBACK (file_selected_cb), self,
                           G_CONNECT_SWAPPED);

  self->file_buffer = gtk_source_buffer_new_with_language (gtk_source_language_manager_get_language (languages,
                                                                                                     "python3"));
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->file_view), GTK_TEXT_BUFFER (self->file_buffer));
  gdk_rgba_parse (&color, "rgba(53, 132, 228, 0.22)");
  gtk_source_mark_attributes_set_background (current, &color);
  gtk_source_mark_attributes_set_icon_name (current, "go-next-symbolic");
  gtk_source_view_set_mark_attributes (self->file_view, MARK_FILE_CURRENT, current, 10);
}

void
hs_window_files_dispose (HsWindow *self)
{
  g_clear_object (&self->file_names);
  g_clear_object (&self->file_labels);
  g_clear_object (&self->file_buffer);
  g_clear_pointer (&self->shown_file, g_free);
  g_clear_pointer (&self->step_file, g_free);
  g_clear_pointer (&self->program_dir, g_free);
}
