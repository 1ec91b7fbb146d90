/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-window"

#include "config.h"

#include <math.h>

#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hs-format.h"
#include "hs-settings.h"
#include "hs-source-hints.h"
#include "hs-window-private.h"

#define MARK_CURRENT   "hs-current"
#define MARK_EXCEPTION "hs-exception"
/* not a line mark: where the editor scrolls to */
#define MARK_SCROLL    "hs-scroll"

/* The part of the editor's height kept above and below the current line */
#define CURRENT_LINE_MARGIN 0.25

/* Typing is written to the draft at most this long after it happens, so
 * a crash loses at most this much of it. */
#define DRAFT_DELAY_MS 300
/* The longest statement the step bar shows, in characters */
#define STATEMENT_CHARS 40
#define DEFAULT_EXAMPLE "aliasing"
/* The least width two folded panes leave the graph: one_pane_over() */
#define GRAPH_LEAST_WIDTH 400

G_DEFINE_FINAL_TYPE (HsWindow, hs_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_STEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

HsWindow *
hs_window_new (HsApplication *application)
{
  return g_object_new (HS_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

const char *
hs_window_get_display_name (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  return self->title ? self->title : _("Untitled Snippet");
}

static void
update_title (HsWindow *self)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  gboolean modified;

  g_assert (HS_IS_WINDOW (self));

  modified = gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer));
  if (self->file != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (self->file);
      g_autofree char *path = parent ? g_file_get_path (parent) : NULL;
      const char *home = g_get_home_dir ();

      if (path != NULL && g_str_has_prefix (path, home))
        subtitle = g_strconcat ("~", path + strlen (home), NULL);
      else
        subtitle = g_steal_pointer (&path);
    }
  else
    subtitle = g_strdup (_("Not saved"));

  if (self->edited_since_run && self->trace != NULL)
    {
      g_autofree char *base = g_steal_pointer (&subtitle);

      /* Translators: the window subtitle when the graph shows an older run */
      subtitle = g_strdup_printf (_("%s — edited since the run"), base ? base : "");
    }

  title = g_strdup_printf ("%s%s", modified ? "• " : "", hs_window_get_display_name (self));
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

/* Program text (an exception's message, a line it printed, a repr) can
 * be megabytes long.  A label sized by a line of 10⁶ characters asks GTK
 * for a width past its 16-bit sizes and the X server for a surface it
 * refuses (BadAlloc, issue 48), and a text view spends seconds laying
 * it out: every line longer than LINE_MAX characters keeps its first
 * LINE_MAX and says how many more there were. */
char *
hs_window_elide_lines (const char *text,
                       gssize      length,
                       gsize       line_max)
{
  g_autofree char *valid = NULL;
  GString *elided;
  const char *line;

  g_return_val_if_fail (line_max > 0, NULL);

  if (text == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, length);
  elided = g_string_sized_new (MIN (strlen (valid), 4 * line_max + 64));
  for (line = valid; *line != '\0';)
    {
      const char *newline = strchr (line, '\n');
      const char *end = newline != NULL ? newline : line + strlen (line);
      const char *cut = line;
      gsize n = 0;

      while (cut < end && n < line_max)
        {
          cut = g_utf8_next_char (cut);
          n++;
        }
      g_string_append_len (elided, line, cut - line);
      if (cut < end)
        {
          g_autofree char *more = hs_format_count (g_utf8_strlen (cut, end - cut));

          /* Translators: ends a line too long to show, "… 999,000 more characters" */
          g_string_append_printf (elided, _(" … %s more characters"), more);
        }
      if (newline == NULL)
        break;
      g_string_append_c (elided, '\n');
      line = newline + 1;
    }
  return g_string_free (elided, FALSE);
}

static void
toast_copy_cb (AdwToast   *toast,
               const char *message)
{
  g_assert (ADW_IS_TOAST (toast));

  gdk_clipboard_set_text (gdk_display_get_clipboard (gdk_display_get_default ()), message);
}

void
hs_window_toast (HsWindow   *self,
                 const char *message)
{
  g_autofree char *elided = NULL;
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (HS_IS_WINDOW (self));

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);

  /* A toast's title is markup; messages quote reprs and parser errors
   * such as "<module>" or "<data>:2:0".  A message cut short can be
   * copied whole. */
  elided = hs_window_elide_lines (message, -1, HS_WINDOW_LABEL_MAX);
  escaped = g_markup_escape_text (elided, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 5);
  if (strcmp (elided, message) != 0)
    {
      adw_toast_set_button_label (toast, _("_Copy All"));
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (toast_copy_cb),
                             g_strdup (message), (GClosureNotify) (void (*) (void)) g_free, 0);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

char *
hs_window_dup_text (HsWindow *self)
{
  GtkTextIter begin, end;

  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &begin, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &begin, &end, TRUE);
}

static void
clear_marks (HsWindow   *self,
             const char *category)
{
  GtkTextIter begin, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &begin, &end);
  gtk_source_buffer_remove_source_marks (self->buffer, &begin, &end, category);
}

typedef struct
{
  char *category;
  int   priority;
} LineMark;

static void
line_mark_clear (gpointer data)
{
  g_free (((LineMark *) data)->category);
}

static int
by_decreasing_priority (gconstpointer a,
                        gconstpointer b)
{
  return ((const LineMark *) b)->priority - ((const LineMark *) a)->priority;
}

/* Adds a mark of CATEGORY at ITER, the start of a line of VIEW's buffer
 * (the editor's, or the module view's).  GtkSourceView
 * 5.6's gutter renderer of marks sorts the list of a line's marks by
 * priority, then frees it from its old head, and leaks the nodes sorted
 * before that (16 bytes a node, every time it draws the line).  That list
 * holds the marks at the line's start, newest first.  So the marks there
 * are made again in decreasing priority: the newest is the least
 * important, sorting keeps it at the head, and the whole list is freed. */
void
hs_window_add_line_mark (HsWindow      *self,
                         GtkSourceView *view,
                         const char    *category,
                         GtkTextIter   *iter)
{
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (LineMark));
  GtkSourceBuffer *buffer;
  GSList *marks;
  LineMark mark;

  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (view == self->source_view || view == self->file_view);
  g_return_if_fail (category != NULL && iter != NULL);

  buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)));
  g_return_if_fail (gtk_text_iter_get_buffer (iter) == GTK_TEXT_BUFFER (buffer));

  g_array_set_clear_func (wanted, line_mark_clear);
  marks = gtk_source_buffer_get_source_marks_at_iter (buffer, iter, NULL);
  for (GSList *l = marks; l != NULL; l = l->next)
    {
      mark.category = g_strdup (gtk_source_mark_get_category (l->data));
      mark.priority = 0;
      gtk_source_view_get_mark_attributes (view, mark.category, &mark.priority);
      g_array_append_val (wanted, mark);
      gtk_text_buffer_delete_mark (GTK_TEXT_BUFFER (buffer), l->data);
    }
  g_slist_free (marks);
  mark.category = g_strdup (category);
  mark.priority = 0;
  gtk_source_view_get_mark_attributes (view, mark.category, &mark.priority);
  g_array_append_val (wanted, mark);

  g_array_sort (wanted, by_decreasing_priority);
  for (guint i = 0; i < wanted->len; i++)
    gtk_source_buffer_create_source_mark (buffer, NULL, g_array_index (wanted, LineMark, i).category, iter);
}

/* Scrolls the editor to the current line (the mark MARK_SCROLL) at the
 * first frame its height takes the line in, into the middle half of the
 * editor, not just to the edge it came in at: the def of the function a
 * step runs, and the lines around a call, are read with the line.
 * gtk_text_view_scroll_to_mark() waits for the line to be measured, but
 * not for the lines above it: right after a snippet is set, a line far
 * down was out of the height measured so far, and the editor stayed at
 * its top. */
static gboolean
scroll_to_current_line_cb (GtkWidget     *widget,
                           GdkFrameClock *clock,
                           gpointer       data)
{
  HsWindow *self = HS_WINDOW (data);
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextMark *mark = gtk_text_buffer_get_mark (buffer, MARK_SCROLL);
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (widget));
  GtkTextIter iter;
  int y, height;

  if (mark == NULL)
    {
      self->scroll_tick = 0;
      return G_SOURCE_REMOVE;
    }
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, mark);
  gtk_text_view_get_line_yrange (GTK_TEXT_VIEW (widget), &iter, &y, &height);
  /* a second at most: a line never measured is scrolled to as it is */
  if ((height <= 0 || y + height > gtk_adjustment_get_upper (vadjustment)) && self->scroll_frames++ < 60)
    return G_SOURCE_CONTINUE;
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (widget), mark, CURRENT_LINE_MARGIN, FALSE, 0, 0);
  self->scroll_tick = 0;
  return G_SOURCE_REMOVE;
}

static void
mark_line (HsWindow   *self,
           const char *category,
           guint       line)
{
  GtkTextIter iter;

  clear_marks (self, category);
  if (line == 0 || line > (guint) gtk_text_buffer_get_line_count (GTK_TEXT_BUFFER (self->buffer)))
    return;

  gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (self->buffer), &iter, line - 1);
  hs_window_add_line_mark (self, self->source_view, category, &iter);
  if (g_str_equal (category, MARK_CURRENT))
    {
      GtkTextMark *mark = gtk_text_buffer_get_mark (GTK_TEXT_BUFFER (self->buffer), MARK_SCROLL);

      if (mark == NULL)
        mark = gtk_text_buffer_create_mark (GTK_TEXT_BUFFER (self->buffer), MARK_SCROLL, &iter, TRUE);
      else
        gtk_text_buffer_move_mark (GTK_TEXT_BUFFER (self->buffer), mark, &iter);
      self->scroll_frames = 0;
      if (self->scroll_tick == 0)
        self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->source_view), scroll_to_current_line_cb,
                                                          self, NULL);
    }
}

/* What Show Every Object is remembered by: the file, or the title */
static char *
document_key (HsWindow *self)
{
  if (self->file != NULL)
    return g_file_get_uri (self->file);
  return self->title != NULL ? g_strconcat ("title:", self->title, NULL) : NULL;
}

static void
every_object_changed_cb (HsWindow *self)
{
  g_autofree char *key = NULL;

  if (self->loading_document)
    return;
  key = document_key (self);
  hs_settings_set_every_object (self->settings, key, hs_graph_view_get_every_object (self->graph_view));
}

void
hs_window_set_text (HsWindow   *self,
                    const char *text,
                    GFile      *file,
                    const char *title)
{
  GtkTextIter begin;

  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  g_set_object (&self->file, file);
  g_free (self->title);
  if (file != NULL)
    self->title = g_file_get_basename (file);
  else
    self->title = g_strdup (title);
  /* the document's own choice, which loading it does not store again */
  {
    g_autofree char *key = document_key (self);

    self->loading_document = TRUE;
    hs_graph_view_set_every_object (self->graph_view, hs_settings_get_every_object (self->settings, key)
                                                      || hs_source_wants_every_object (text));
    self->loading_document = FALSE;
  }

  gtk_text_buffer_begin_irreversible_action (GTK_TEXT_BUFFER (self->buffer));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), text, -1);
  gtk_text_buffer_end_irreversible_action (GTK_TEXT_BUFFER (self->buffer));
  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self->buffer), &begin);
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->buffer), &begin);
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self->buffer), FALSE);

  clear_marks (self, NULL);
  hs_window_forget_breakpoints (self);
  hs_window_load_program_input (self);
  hs_lesson_panel_set_lesson (self->lesson_panel, NULL);
  /* A draft offered for the text before is not this text's: a file that
   * has one offers it again after this (offer_draft()).  Nor is its
   * draft id: kept, typing in an example put in its place discarded the
   * file's draft on disk as if the text had moved (ensure_draft_id()). */
  g_clear_pointer (&self->pending_draft, hs_draft_free);
  g_clear_pointer (&self->draft->id, g_free);

  /* A new document starts without the old program's heap. */
  if (self->busy)
    hs_window_stop (self);
  else
    {
      hs_window_close_runtime (self);
      hs_inspector_set_selection (self->inspector, NULL, 0, NULL, NULL);
      hs_graph_view_set_step (self->graph_view, NULL, NULL, FALSE);
      g_clear_object (&self->trace);
      g_ptr_array_set_size (self->output, 0);
      self->n_steps = 0;
      hs_window_show_step (self, 0, FALSE);
    }
  self->edited_since_run = self->trace != NULL;
  update_title (self);
  hs_window_interpreter_document_changed (self);
  hs_window_update_actions (self);
}

void
hs_window_load_example (HsWindow   *self,
                        const char *name)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  path = g_strdup_printf ("/io/github/heapscope/Heapscope/examples/%s.py", name);
  if (!(bytes = g_resources_lookup_data (path, 0, &error)))
    {
      g_critical ("No example named %s: %s", name, error->message);
      return;
    }

  title = g_strdup_printf ("%s.py", name);
  hs_window_set_text (self, g_bytes_get_data (bytes, NULL), NULL, title);
}

/* A run shows its last step; once it has ended, a lesson goes back to its
 * first step, and the graph, which follows every step, frames each one as
 * the learner steps. */
static gboolean
lesson_rewind_idle_cb (gpointer user_data)
{
  HsWindow *self = user_data;

  if (!self->busy && self->trace != NULL && hs_lesson_panel_get_lesson (self->lesson_panel) != NULL)
    hs_window_show_step (self, 0, FALSE);
  return G_SOURCE_REMOVE;
}

static void
lesson_rewind_cb (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  if (self->busy)
    return;

  g_signal_handlers_disconnect_by_func (self, lesson_rewind_cb, NULL);
  /* Once the run's end has installed its trace and shown its last step */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, lesson_rewind_idle_cb, g_object_ref (self), g_object_unref);
}

/* The lesson's snippet replaces the text, runs, and its notes follow the
 * steps from the first one on. */
void
hs_window_open_lesson (HsWindow *self,
                       HsLesson *lesson)
{
  g_autofree char *title = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (HS_IS_LESSON (lesson));

  title = g_strdup_printf ("%s.py", hs_lesson_get_id (lesson));
  hs_window_set_text (self, hs_lesson_get_code (lesson), NULL, title);
  /* a lesson whose subject is identity is taught with every object a box */
  if (hs_lesson_get_every_object (lesson))
    hs_graph_view_set_every_object (self->graph_view, TRUE);
  hs_lesson_panel_set_lesson (self->lesson_panel, lesson);
  g_signal_handlers_disconnect_by_func (self, lesson_rewind_cb, NULL);
  g_signal_connect (self, "notify::busy", G_CALLBACK (lesson_rewind_cb), NULL);
  hs_window_run (self);
  hs_window_interpreter_offer_compare (self, lesson);
}

gboolean
hs_window_is_pristine (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);

  return self->file == NULL &&
         self->trace == NULL &&
         !self->busy &&
         !gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer));
}

static void offer_draft (HsWindow   *self,
                         const char *contents);

static void
load_contents_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GFile *file = G_FILE (object);
  g_autoptr(GTask) task = user_data;
  HsWindow *self = g_task_get_source_object (task);
  gboolean run = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autofree char *contents = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  g_autoptr(GError) error = NULL;
  gsize length;

  if (!g_file_load_contents_finish (file, result, &contents, &length, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot open “%s”: %s"), name, error->message);

      hs_window_toast (self, message);
      return;
    }

  if (!g_utf8_validate_len (contents, length, NULL) || memchr (contents, '\0', length) != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot open “%s”: it is not a UTF-8 text file"), name);

      hs_window_toast (self, message);
      return;
    }

  hs_window_set_text (self, contents, file, NULL);
  offer_draft (self, contents);
  hs_application_add_recent (HS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))), file);

  if (run)
    hs_window_run (self);
}

void
hs_window_load_file (HsWindow *self,
                     GFile    *file,
                     gboolean  run)
{
  GTask *task;

  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, GINT_TO_POINTER (run), NULL);
  g_file_load_contents_async (file, NULL, load_contents_cb, task);
}

void
hs_window_restore_draft (HsWindow      *self,
                         const HsDraft *draft)
{
  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (draft != NULL);

  hs_window_set_text (self, draft->text, draft->file, draft->title);
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self->buffer), TRUE);

  /* Keep writing to the same draft until it is saved or discarded. */
  g_free (self->draft->id);
  self->draft->id = g_strdup (draft->id);

  hs_window_toast (self, _("Restored unsaved changes from the last session"));
}

/* Whether another window writes to the draft with this id. */
static gboolean
draft_id_taken (HsWindow   *self,
                const char *id)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  g_assert (HS_IS_WINDOW (self));

  for (GList *l = app ? gtk_application_get_windows (app) : NULL; l; l = l->next)
    if (l->data != (gpointer) self && HS_IS_WINDOW (l->data) &&
        g_strcmp0 (HS_WINDOW (l->data)->draft->id, id) == 0)
      return TRUE;
  return FALSE;
}

/* One draft per file, and the lowest untitled id no other window holds:
 * ids are reused, so crashes never pile up drafts. */
static void
ensure_draft_id (HsWindow *self)
{
  g_autofree char *id = NULL;

  g_assert (HS_IS_WINDOW (self));

  if (self->file != NULL)
    id = hs_draft_id_for_file (self->file);
  else if (hs_draft_id_is_untitled (self->draft->id))
    return;
  else
    for (guint n = 1; id == NULL || draft_id_taken (self, id); n++)
      {
        g_free (id);
        id = n == 1 ? g_strdup ("untitled") : g_strdup_printf ("untitled-%u", n);
      }

  if (g_strcmp0 (id, self->draft->id) == 0)
    return;
  /* The text moved (Save As, or a draft from an older version). */
  if (self->draft->id != NULL)
    hs_draft_discard (self->draft->id);
  g_free (self->draft->id);
  self->draft->id = g_steal_pointer (&id);
}

void
hs_window_save_draft_now (HsWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));

  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (!gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer)))
    return;

  ensure_draft_id (self);
  g_free (self->draft->text);
  self->draft->text = hs_window_dup_text (self);
  g_free (self->draft->title);
  self->draft->title = g_strdup (self->title);
  g_set_object (&self->draft->file, self->file);

  if (!hs_draft_save (self->draft, &error))
    g_warning ("Cannot save the draft: %s", error->message);
}

void
hs_window_discard_draft (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (self->draft->id != NULL)
    hs_draft_discard (self->draft->id);
  /* With the draft gone (saved, or the window closing), nothing is left
   * to offer. */
  if (self->pending_draft != NULL)
    {
      g_clear_pointer (&self->pending_draft, hs_draft_free);
      hs_window_update_actions (self);
    }
}

/* A file that opens with a draft of unsaved changes offers it. */
static void
offer_draft (HsWindow   *self,
             const char *contents)
{
  g_autofree char *id = NULL;
  g_autoptr(HsDraft) draft = NULL;

  g_assert (HS_IS_WINDOW (self));
  g_assert (self->file != NULL);

  id = hs_draft_id_for_file (self->file);
  g_free (self->draft->id);
  self->draft->id = g_strdup (id);
  draft = hs_draft_load (id);
  if (draft != NULL && g_strcmp0 (draft->text, contents) == 0)
    {
      hs_draft_discard (id);
      g_clear_pointer (&draft, hs_draft_free);
    }

  g_assert (self->pending_draft == NULL);  /* hs_window_set_text() let it go */
  self->pending_draft = g_steal_pointer (&draft);
  /* hs_window_update_actions() hides the bar when nothing is offered */
  if (self->pending_draft != NULL)
    gtk_info_bar_set_revealed (self->draft_bar, TRUE);
  hs_window_update_actions (self);
}

/* Closed, the bar leaves the file as it is on disk; the draft stays
 * offered by win.restore-draft until the file is saved or another
 * opens. */
static void
draft_bar_response_cb (HsWindow *self,
                       int       response)
{
  g_assert (HS_IS_WINDOW (self));

  /* the close button; Escape answers CANCEL */
  if (response == GTK_RESPONSE_CLOSE || response == GTK_RESPONSE_CANCEL)
    gtk_info_bar_set_revealed (self->draft_bar, FALSE);
}

gboolean
hs_window_restore_pending_draft (HsWindow *self)
{
  g_autoptr(HsDraft) draft = NULL;

  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);

  if (!(draft = g_steal_pointer (&self->pending_draft)))
    return FALSE;
  hs_window_restore_draft (self, draft);
  hs_window_update_actions (self);
  return TRUE;
}

static gboolean
draft_timeout_cb (gpointer user_data)
{
  HsWindow *self = user_data;

  self->draft_source = 0;
  hs_window_save_draft_now (self);
  return G_SOURCE_REMOVE;
}

static void
buffer_changed_cb (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  /* A line grown longer than the snippet is wide is measured by the view
   * as it draws, unless a layout comes first; measured then, it changed
   * the horizontal scroll bar's range during the frame's drawing, and GTK
   * 4.8 drew the bar's trough without a size (a warning on every console
   * Enter at 1024x600, and a blank strip).  A resize lays the snippet out,
   * and its scroll bars after it, before the frame draws. */
  gtk_widget_queue_resize (GTK_WIDGET (self->source_view));

  if (!self->appending && self->trace != NULL && !self->edited_since_run)
    {
      self->edited_since_run = TRUE;
      update_title (self);
      /* the lines no longer are the trace's */
      hs_window_update_timeline (self);
    }

  if (gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer)) && self->draft_source == 0)
    {
      /* Not reset by later keystrokes: steady typing must not postpone the
       * write forever. */
      self->draft_source = g_timeout_add (DRAFT_DELAY_MS, draft_timeout_cb, self);
      g_source_set_name_by_id (self->draft_source, "[heapscope] draft");
    }
}

/* Bounded in length, for a label: see hs_window_elide_lines() */
char *
hs_window_describe_status (HsTrace *trace)
{
  const char *status = hs_trace_get_status (trace);
  const HsTraceError *error = hs_trace_get_error (trace);
  g_autofree char *message = NULL;

  if (error != NULL)
    message = hs_window_elide_lines (error->message, -1, HS_WINDOW_LABEL_MAX);

  if (g_strcmp0 (status, "finished") == 0)
    return g_strdup (_("The program finished"));
  if (g_strcmp0 (status, "exception") == 0 && error != NULL)
    return g_strdup_printf (_("%s on line %u: %s"), error->type, error->line, message);
  if (g_strcmp0 (status, "syntax-error") == 0 && error != NULL)
    return g_strdup_printf (_("Syntax error on line %u: %s"), error->line, message);
  if (g_strcmp0 (status, "step-limit") == 0)
    {
      g_autofree char *n = hs_format_count (hs_trace_get_n_steps (trace));

      return g_strdup_printf (_("Stopped after %s steps: the step limit was reached"), n);
    }
  if (g_strcmp0 (status, "size-limit") == 0)
    return g_strdup (_("Stopped: the run wrote as much output as a run may keep"));
  if (g_strcmp0 (status, "timeout") == 0)
    return g_strdup (_("Stopped: the program ran out of time"));
  if (g_strcmp0 (status, "crashed") == 0)
    return g_strdup_printf (_("The Python worker crashed (signal %d); the run ends at its last step"),
                            hs_trace_get_signal (trace));
  if (g_strcmp0 (status, "exited") == 0)
    return g_strdup_printf (_("The program exited with status %d"), hs_trace_get_exit_code (trace));
  if (g_strcmp0 (status, "stopped") == 0)
    return g_strdup (_("Stopped"));
  return g_strdup_printf (_("The run ended: %s"), status ? status : _("unknown"));
}

static void
update_inspector (HsWindow *self)
{
  guint32 refs[2];
  const char *names[2];
  guint n;

  n = hs_graph_view_get_selection (self->graph_view, refs, names);
  hs_inspector_set_selection (self->inspector,
                              hs_graph_view_get_snapshot (self->graph_view),
                              n, refs, names);
}

static void
selection_changed_cb (HsWindow *self)
{
  update_inspector (self);
  hs_window_update_actions (self);
}

/* The user selected ref (a click, a search): a folded inspector, which
 * says why its refcount is what it is, opens over the graph's side.  It
 * is not modal, so the graph beside it is still used as before.  Only
 * the user's own selections open it: a step, a command's result or a
 * selection restored leave it as it is, but for a command that takes
 * away all that was selected (hs_window_selection_gone()). */
static void
show_inspector_for (HsWindow *self,
                    guint32   ref)
{
  g_assert (HS_IS_WINDOW (self));

  if (!adw_flap_get_folded (self->inspector_flap))
    return;
  if (ref == 0)
    adw_flap_set_reveal_flap (self->inspector_flap, FALSE);
  else if (!adw_flap_get_reveal_flap (self->inspector_flap))
    adw_flap_set_reveal_flap (self->inspector_flap, TRUE);
  /* the graph frames for the room it will leave (hs-graph-view-camera.c) */
}

/* A command took away all that was selected (Del of the selected name):
 * a folded inspector, opened over the graph's side to explain it, would
 * only say "Nothing Selected" there, over what the command did.  It
 * goes, as it does when the user clicks the selection away. */
void
hs_window_selection_gone (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  show_inspector_for (self, 0);
}

/* A click selected or unselected: the newest of the selection is what
 * the inspector explains first */
static void
user_selection_changed_cb (HsWindow *self)
{
  guint32 refs[2] = { 0, 0 };
  guint n;

  g_assert (HS_IS_WINDOW (self));

  n = hs_graph_view_get_selection (self->graph_view, refs, NULL);
  show_inspector_for (self, n > 0 ? refs[n - 1] : 0);
}

/* Whether flap is folded and open, over the graph's side */
static gboolean
flap_is_over (AdwFlap *flap)
{
  g_assert (ADW_IS_FLAP (flap));

  return adw_flap_get_folded (flap) && adw_flap_get_reveal_flap (flap);
}

/* Escape puts a folded pane away again, as AdwFlap does for a modal one:
 * the editor when the keyboard is in it, else the inspector, which a
 * click on the graph opens by itself, else the editor */
static gboolean
flap_key_pressed_cb (GtkEventControllerKey *keys,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     HsWindow              *self)
{
  GtkWidget *focus;
  AdwFlap *flap = NULL;

  g_assert (GTK_IS_EVENT_CONTROLLER_KEY (keys));
  g_assert (HS_IS_WINDOW (self));

  if (keyval != GDK_KEY_Escape || (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return GDK_EVENT_PROPAGATE;
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (flap_is_over (self->editor_flap) && focus != NULL &&
      gtk_widget_is_ancestor (focus, adw_flap_get_flap (self->editor_flap)))
    flap = self->editor_flap;
  else if (flap_is_over (self->inspector_flap))
    flap = self->inspector_flap;
  else if (flap_is_over (self->editor_flap))
    flap = self->editor_flap;
  if (flap == NULL)
    return GDK_EVENT_PROPAGATE;
  adw_flap_set_reveal_flap (flap, FALSE);
  return GDK_EVENT_STOP;
}

static void one_pane_over (HsWindow *self,
                           AdwFlap  *opened);

/* The folded editor put away with the keyboard in it: the keyboard goes
 * back to its header toggle, where it was opened from.  GTK moved it on
 * to the next widget it could find, the First Step button, where a
 * press of Space meant to go on typing jumped to the program's start.
 * And win.show-editor's state follows the flap, which also opens and
 * shuts by itself as the window widens and narrows, and with Escape. */
static void
editor_revealed_cb (HsWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "show-editor");
  GtkWidget *focus;

  g_assert (HS_IS_WINDOW (self));

  if (action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action),
                               g_variant_new_boolean (adw_flap_get_reveal_flap (self->editor_flap)));
  one_pane_over (self, self->editor_flap);
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (!adw_flap_get_reveal_flap (self->editor_flap) && adw_flap_get_folded (self->editor_flap) &&
      focus != NULL && gtk_widget_is_ancestor (focus, adw_flap_get_flap (self->editor_flap)))
    gtk_widget_grab_focus (self->editor_toggle);
}

/* F9 and the editor's header toggle.  Shown, the editor takes the
 * keyboard, as a GNOME app's pane shown by F9 does (GNOME Text Editor's
 * document list): the learner who asked for the snippet can type in it
 * at once, where the keyboard had stayed on the graph.  Put away with
 * the keyboard in it, the keyboard goes to the graph, the window's main
 * content, before the editor hides: GTK gave it to the next widget it
 * found (the First Step button) or to none.  Only the action moves the
 * keyboard: the flap that opens as the window widens leaves it be. */
static void
show_editor_change_state (GSimpleAction *action,
                          GVariant      *state,
                          HsWindow      *self)
{
  gboolean show = g_variant_get_boolean (state);
  GtkWidget *focus;

  g_assert (G_IS_SIMPLE_ACTION (action));
  g_assert (HS_IS_WINDOW (self));

  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (!show && focus != NULL && gtk_widget_is_ancestor (focus, adw_flap_get_flap (self->editor_flap)))
    gtk_widget_grab_focus (GTK_WIDGET (self->graph_view));
  adw_flap_set_reveal_flap (self->editor_flap, show);
  if (show)
    gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
}

/* Moves bar (the step bar or the lesson's note) out of the editor flap's
 * content, below the flap (after) or above it, while the editor is
 * folded, and back into the content, at its end or its start, beside */
static void
place_across (HsWindow  *self,
              GtkWidget *bar,
              gboolean   after)
{
  GtkWidget *flap, *content, *from, *to, *focus;

  g_assert (HS_IS_WINDOW (self));
  g_assert (GTK_IS_WIDGET (bar));

  flap = GTK_WIDGET (self->editor_flap);
  content = adw_flap_get_content (self->editor_flap);
  from = gtk_widget_get_parent (bar);
  to = adw_flap_get_folded (self->editor_flap) ? gtk_widget_get_parent (flap) : content;

  if (from == to)
    return;
  /* a button in it keeps the keyboard across the move */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (focus != NULL && !gtk_widget_is_ancestor (focus, bar))
    focus = NULL;
  g_object_ref (bar);
  gtk_box_remove (GTK_BOX (from), bar);
  if (to == content && after)
    gtk_box_append (GTK_BOX (to), bar);
  else if (to == content)
    gtk_box_prepend (GTK_BOX (to), bar);
  else
    gtk_box_insert_child_after (GTK_BOX (to), bar, after ? flap : gtk_widget_get_prev_sibling (flap));
  g_object_unref (bar);
  if (focus != NULL)
    gtk_widget_grab_focus (focus);
}

/* Folded, the editor opens over the graph's side, and the learner reads
 * or edits the snippet while stepping: the step bar, in the editor flap's
 * content, lay under it (at 800x600 the editor covered its step buttons),
 * and so did the left of the lesson's note above the graph, which cut
 * its sentences.  So while the editor is folded the step bar goes below
 * the flap and the note above it, across the window, and the editor comes
 * between them; beside the graph, they go back above and under the graph,
 * and the editor reaches from the header bar down to the heap buttons.
 * Folded, the flap's content spans the window, so both keep their place
 * on the screen either way. */
static void
place_step_bar (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  place_across (self, self->step_box, TRUE);
  place_across (self, GTK_WIDGET (self->lesson_panel), FALSE);
}

/* The window's width from which the inspector stays beside the graph, a
 * breakpoint as libadwaita 1.4's AdwBreakpoint has one.  Beside it, the
 * inspector takes 261 px from the graph.  Folded by AdwFlap's own rule
 * (the panes' least widths), it came beside at about 1250 px and left
 * the graph 708 px at 1280x800, where a 1200x760 window gave it 889 px:
 * a wider window gave the graph less room.  Any fold costs the graph the
 * inspector's width at once, so the fold is where the graph keeps about
 * 1290 px beside it, what a 1600 px window gives it with the inspector
 * folded; below, the inspector opens over the graph's side when an
 * object is selected (show_inspector_for()). */
#define INSPECTOR_BESIDE_WIDTH 1860

static void flap_changed_cb (HsWindow *self);

static void
hs_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  HsWindow *self = (HsWindow *) widget;

  g_assert (HS_IS_WINDOW (self));

  /* width is what the user sees: the surface's shadow (or the resize
   * border drawn without a compositor) is already left out of it.
   * Presenting puts the inspector away itself.  AUTO rather than NEVER
   * above the breakpoint keeps the window's least width that of a
   * folded inspector, so it can still be made narrow. */
  if (!self->presenting)
    adw_flap_set_fold_policy (self->inspector_flap,
                              width >= INSPECTOR_BESIDE_WIDTH ? ADW_FLAP_FOLD_POLICY_AUTO
                                                              : ADW_FLAP_FOLD_POLICY_ALWAYS);
  GTK_WIDGET_CLASS (hs_window_parent_class)->size_allocate (widget, width, height, baseline);
  /* the part of the graph the folded panes leave for the zoom buttons
   * changes with the window's width too */
  if (width != self->allocated_width)
    {
      self->allocated_width = width;
      flap_changed_cb (self);
    }
}

/* The statement on line of the snippet that ran, stripped and cut to
 * STATEMENT_CHARS; NULL when there is none, or when the snippet was
 * edited since the run and its lines no longer are the trace's. */
static char *
dup_statement (HsWindow *self,
               guint     line)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  g_assert (HS_IS_WINDOW (self));

  if (self->edited_since_run || line == 0 || line > (guint) gtk_text_buffer_get_line_count (buffer))
    return NULL;
  gtk_text_buffer_get_iter_at_line (buffer, &start, line - 1);
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_strstrip (text);
  if (*text == '\0')
    return NULL;
  if (g_utf8_strlen (text, -1) > STATEMENT_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, STATEMENT_CHARS - 1);

      return g_strconcat (g_strchomp (cut), "…", NULL);
    }
  return g_steal_pointer (&text);
}

static void
update_timeline (HsWindow *self,
                 guint     line)
{
  g_autofree char *label = NULL;
  g_autofree char *position = NULL;
  g_autofree char *total = NULL;
  g_autofree char *statement = NULL;

  g_assert (HS_IS_WINDOW (self));
  g_assert (self->n_steps > 0);

  self->updating_timeline = TRUE;
  gtk_adjustment_configure (self->timeline_adjustment, self->step, 0, self->n_steps - 1, 1, 10, 0);
  self->updating_timeline = FALSE;

  position = hs_format_count ((gint64) self->step + 1);
  total = hs_format_count (self->n_steps);
  /* With the snippet folded away, the line's number alone says little */
  if (adw_flap_get_folded (self->editor_flap))
    statement = dup_statement (self, line);
  if (line > 0 && statement != NULL)
    /* Translators: the position in the timeline and the statement on its
     * line, shown when the snippet is folded away, e.g.
     * "Step 3 of 1,200 · line 5 · b = a[:]" */
    label = g_strdup_printf (_("Step %s of %s · line %u · %s"), position, total, line, statement);
  else if (line > 0)
    /* Translators: the position in the timeline, e.g. "Step 3 of 1,200 · line 5" */
    label = g_strdup_printf (_("Step %s of %s · line %u"), position, total, line);
  else
    /* Translators: the position in the timeline at the run's end, e.g. "Step 12 of 12 · end" */
    label = g_strdup_printf (_("Step %s of %s · end"), position, total);
  gtk_label_set_label (self->step_label, label);

  {
    g_autofree char *printed = adw_flap_get_folded (self->editor_flap) ? hs_window_dup_last_output_line (self) : NULL;

    gtk_label_set_label (self->last_output_label, printed ? printed : "");
    gtk_widget_set_visible (GTK_WIDGET (self->last_output_label), printed != NULL);
  }
}

/* More steps arrived while another is shown: the timeline grows. */
void
hs_window_update_timeline (HsWindow *self)
{
  HsSnapshot *shown;

  g_return_if_fail (HS_IS_WINDOW (self));

  shown = hs_graph_view_get_snapshot (self->graph_view);
  if (self->n_steps == 0 || shown == NULL)
    return;
  update_timeline (self, hs_snapshot_get_line (shown));
  hs_window_update_actions (self);
}

void
hs_window_show_step (HsWindow *self,
                     guint     step,
                     gboolean  animate)
{
  g_autoptr(HsSnapshot) snapshot = NULL;
  guint line;

  g_return_if_fail (HS_IS_WINDOW (self));

  if (self->trace == NULL || self->n_steps == 0)
    {
      self->step = 0;
      hs_graph_view_set_step (self->graph_view, NULL, NULL, FALSE);
      gtk_stack_set_visible_child_name (self->graph_stack, "empty");
      gtk_widget_set_visible (self->zoom_box, FALSE);
      gtk_label_set_label (self->step_label, "");
      if (self->trace != NULL)
        {
          g_autofree char *status = hs_window_describe_status (self->trace);

          adw_status_page_set_title (self->empty_page, _("Nothing to Draw"));
          adw_status_page_set_description (self->empty_page, status);
        }
      else
        {
          adw_status_page_set_title (self->empty_page, _("No Heap Yet"));
          adw_status_page_set_description (self->empty_page,
                                           _("Run the snippet to draw its objects and the references between them"));
        }
      clear_marks (self, MARK_CURRENT);
      hs_window_update_output (self);
      update_inspector (self);
      hs_lesson_panel_show_step (self->lesson_panel, NULL, 0);
      hs_window_update_actions (self);
      return;
    }

  step = MIN (step, self->n_steps - 1);
  /* In prediction mode, a later step would give the answer away. */
  if (step > self->step && hs_lesson_panel_blocks_step (self->lesson_panel, self->trace, self->step))
    {
      hs_window_toast (self, _("Answer the question first: the next step would give it away"));
      step = self->step;
      animate = FALSE;
    }
  self->step = step;
  snapshot = hs_trace_get_snapshot (self->trace, step);
  line = hs_snapshot_get_line (snapshot);

  /* The note first: what it names is drawn as boxes at this step */
  hs_lesson_panel_show_step (self->lesson_panel, self->trace, step);
  hs_window_update_subjects (self);
  hs_graph_view_set_step (self->graph_view, self->trace, snapshot, animate);
  gtk_stack_set_visible_child_name (self->graph_stack, "graph");
  gtk_widget_set_visible (self->zoom_box, TRUE);

  update_timeline (self, line);

  /* a step in a module of the program's own is marked in that file */
  if (hs_window_files_show_step (self, snapshot, line) || hs_snapshot_get_event (snapshot) == HS_EVENT_END)
    clear_marks (self, MARK_CURRENT);
  else
    mark_line (self, MARK_CURRENT, line);

  hs_window_update_output (self);
  update_inspector (self);
  hs_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

/* The scalars the graph draws as boxes beside the selection's: what the
 * lesson's note names, and the watched object */
void
hs_window_update_subjects (HsWindow *self)
{
  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  const guint32 *named;
  guint n_named;

  g_return_if_fail (HS_IS_WINDOW (self));

  named = hs_lesson_panel_get_note_refs (self->lesson_panel, &n_named);
  g_array_append_vals (refs, named, n_named);
  if (self->watch_ref != 0)
    g_array_append_val (refs, self->watch_ref);
  hs_graph_view_set_subjects (self->graph_view, (const guint32 *) (gpointer) refs->data, refs->len);
}

static void
timeline_value_changed_cb (HsWindow *self)
{
  guint step;

  /* a run's steps can be stepped through while more arrive */
  if (self->updating_timeline || self->trace == NULL || self->n_steps == 0)
    return;

  step = (guint) (gtk_adjustment_get_value (self->timeline_adjustment) + 0.5);
  if (step != self->step)
    hs_window_show_step (self, step, ABS ((int) step - (int) self->step) == 1);
}

static void
console_activate_cb (HsWindow *self)
{
  hs_window_console_activate (self);
}

void
hs_window_set_console_text (HsWindow   *self,
                            const char *text)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->console_buffer), text, -1);
}

char *
hs_window_dup_console_text (HsWindow *self)
{
  GtkTextIter begin, end;

  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->console_buffer), &begin, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->console_buffer), &begin, &end, TRUE);
}

void
hs_window_console_activate (HsWindow *self)
{
  g_autofree char *text = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));

  text = hs_window_dup_console_text (self);
  g_strchomp (text);
  if (*text == '\0' || self->busy || !gtk_text_view_get_editable (GTK_TEXT_VIEW (self->console_view)))
    return;

  hs_window_exec (self, text, HS_COMMAND_STATEMENT);
}

void
hs_window_show_console_error (HsWindow   *self,
                              const char *message)
{
  g_autofree char *elided = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));

  elided = hs_window_elide_lines (message, -1, HS_WINDOW_LABEL_MAX);
  gtk_label_set_text (self->console_error, elided);
  gtk_widget_set_visible (GTK_WIDGET (self->console_error), message != NULL);
}

/* How far flap's pane comes over the graph when it is all the way in,
 * folded: its width and its separator's; 0 beside the graph */
static int
flap_full_cover (AdwFlap *flap)
{
  GtkWidget *pane, *separator;
  int width;

  g_assert (ADW_IS_FLAP (flap));

  if (!adw_flap_get_folded (flap))
    return 0;
  pane = adw_flap_get_flap (flap);
  separator = adw_flap_get_separator (flap);
  width = gtk_widget_get_width (pane);
  /* not allocated yet while it is hidden: what it will take */
  if (width <= 0)
    gtk_widget_measure (pane, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
  if (separator != NULL)
    width += MAX (gtk_widget_get_width (separator), 1);
  return width;
}

/* How far flap's pane comes over the graph now, as far as it has slid in */
static int
flap_cover (AdwFlap *flap)
{
  return (int) ceil (flap_full_cover (flap) * adw_flap_get_reveal_progress (flap));
}

/* A folded pane just opened over the graph puts the other one away when
 * both together would leave the graph less than GRAPH_LEAST_WIDTH, as a
 * narrow GNOME window shows one sidebar at a time.  At 800x600 the two
 * left the graph a strip of 130 px, where at a zoom whose text can be
 * read a frame's box (177 px) did not fit, nor what the line made. */
static void
one_pane_over (HsWindow *self,
               AdwFlap  *opened)
{
  AdwFlap *other = opened == self->editor_flap ? self->inspector_flap : self->editor_flap;
  int left;

  g_assert (HS_IS_WINDOW (self));
  g_assert (ADW_IS_FLAP (opened));

  if (!flap_is_over (opened) || !flap_is_over (other))
    return;
  left = gtk_widget_get_width (GTK_WIDGET (self)) - flap_full_cover (opened) - flap_full_cover (other);
  if (left < GRAPH_LEAST_WIDTH)
    adw_flap_set_reveal_flap (other, FALSE);
}

static void
inspector_revealed_cb (HsWindow *self)
{
  one_pane_over (self, self->inspector_flap);
}

/* A folded inspector is shown over the graph's side of the window,
 * where before a run the "No Heap Yet" page is: the page keeps clear of
 * it (at 1024x600 the inspector covered the end of its sentences), and
 * so do the zoom buttons in the graph's corner, which it hid.  They keep
 * clear of the folded editor over the graph's other side too: at 800x600
 * with both open, moved left out from under the inspector, they lay
 * under the editor.  Where the part of the graph neither covers is
 * narrower than their row (130 px there, for a row of 199), they stand
 * in a column in its bottom right corner, as a map's zoom buttons do. */
static void
overlays_clear_inspector (HsWindow *self)
{
  int end = flap_cover (self->inspector_flap);
  int start = flap_cover (self->editor_flap);
  int row = 0;
  GtkOrientation orientation;

  g_assert (HS_IS_WINDOW (self));

  if (gtk_widget_get_margin_end (GTK_WIDGET (self->empty_page)) != end)
    gtk_widget_set_margin_end (GTK_WIDGET (self->empty_page), end);
  end += self->zoom_box_margin;
  if (start > 0)
    start += self->zoom_box_margin;
  if (gtk_widget_get_margin_end (self->zoom_box) != end)
    gtk_widget_set_margin_end (self->zoom_box, end);
  if (gtk_widget_get_margin_start (self->zoom_box) != start)
    gtk_widget_set_margin_start (self->zoom_box, start);

  /* the row's width whichever way the buttons stand now */
  for (GtkWidget *child = gtk_widget_get_first_child (self->zoom_box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      {
        int width;

        gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
        row += width;
      }
  orientation = gtk_widget_get_width (self->graph_box) - start - end < row ? GTK_ORIENTATION_VERTICAL
                                                                           : GTK_ORIENTATION_HORIZONTAL;
  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->zoom_box)) != orientation)
    gtk_orientable_set_orientation (GTK_ORIENTABLE (self->zoom_box), orientation);
}

static gboolean
flaps_settled_cb (gpointer data)
{
  HsWindow *self = data;

  g_assert (HS_IS_WINDOW (self));

  self->flaps_source = 0;
  place_step_bar (self);
  overlays_clear_inspector (self);
  /* the statement shows while the editor is folded */
  hs_window_update_timeline (self);
  return G_SOURCE_REMOVE;
}

/* A flap says it folded, or moved, while it lays itself out: a margin or
 * a label set then came too late for that layout, and the frame drew the
 * flap's parts without a size (a warning).  They are set once the frame
 * is done. */
static void
flap_changed_cb (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  /* Above the frame clock's priority (GDK_PRIORITY_REDRAW): right after
   * this frame, before the next.  A default idle waited behind every
   * frame while they kept coming, and with frames slower than the
   * screen's rate (an ASan build on a loaded machine) the panes were
   * drawn for 5 frames over a page that had not moved out of their way. */
  if (self->flaps_source == 0)
    self->flaps_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, flaps_settled_cb, self, NULL);
}

static void
console_changed_cb (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  /* the statement is being corrected */
  hs_window_show_console_error (self, NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->console_placeholder),
                          gtk_text_buffer_get_char_count (GTK_TEXT_BUFFER (self->console_buffer)) == 0);
}

/* Enter runs the statement; Shift+Enter (or Ctrl+Enter) starts a new
 * line, for a for loop or a def typed in the console. */
static gboolean
console_key_pressed_cb (GtkEventControllerKey *controller,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        HsWindow              *self)
{
  g_assert (HS_IS_WINDOW (self));

  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;
  if (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK))
    return FALSE;

  hs_window_console_activate (self);
  return TRUE;
}

/* A key the application binds to an action (Alt+Right: the next step)
 * reaches the widget with the keyboard only when that action is
 * disabled, as at a lesson's last step: GTK's accelerators pass it on.
 * GtkSourceView's own binding then ran, and Alt+Right and Alt+Left
 * swapped the words around the cursor, editing the snippet the learner
 * was stepping through.  In the editor and the console such a key does
 * nothing but sound the bell. */
static gboolean
bound_key_pressed_cb (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      HsWindow              *self)
{
  GtkApplication *app;
  g_autofree char *accel = NULL;
  g_auto(GStrv) actions = NULL;

  g_assert (GTK_IS_EVENT_CONTROLLER_KEY (controller));
  g_assert (HS_IS_WINDOW (self));

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (app == NULL)
    return GDK_EVENT_PROPAGATE;
  accel = gtk_accelerator_name (keyval, state & gtk_accelerator_get_default_mod_mask ());
  actions = gtk_application_get_actions_for_accel (app, accel);
  if (actions == NULL || actions[0] == NULL)
    return GDK_EVENT_PROPAGATE;
  gtk_widget_error_bell (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
  return GDK_EVENT_STOP;
}

static void
set_action_enabled (HsWindow   *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* A disabled heap button says what would enable it; an enabled one
 * shows the Python it runs (its tooltip from the template). */
static void
update_command_tooltips (HsWindow   *self,
                         const char *reason)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_assert (HS_IS_WINDOW (self));

  g_ptr_array_add (stack, self->command_bar);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);

      if (GTK_IS_ACTIONABLE (widget) && gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)))
        {
          const char *name = gtk_actionable_get_action_name (GTK_ACTIONABLE (widget));
          const char *usual = g_object_get_data (G_OBJECT (widget), "hs-usual-tooltip");

          if (usual == NULL)
            {
              g_object_set_data_full (G_OBJECT (widget), "hs-usual-tooltip",
                                      g_strdup (gtk_widget_get_tooltip_text (widget)), g_free);
              usual = g_object_get_data (G_OBJECT (widget), "hs-usual-tooltip");
            }

          if (g_str_has_prefix (name, "win.") &&
              g_action_group_get_action_enabled (G_ACTION_GROUP (self), name + 4))
            gtk_widget_set_tooltip_text (widget, usual);
          else
            {
              g_autofree char *text = g_strdup_printf ("%s\n%s", usual ? usual : "", reason);

              gtk_widget_set_tooltip_text (widget, usual ? text : reason);
            }
        }
    }
}

void
hs_window_update_actions (HsWindow *self)
{
  gboolean have_trace = self->trace != NULL && self->n_steps > 0;
  gboolean idle = !self->busy;
  gboolean live = idle && self->runner != NULL && hs_runner_is_live (self->runner);
  gboolean have_var = live && hs_graph_view_get_selected_variable (self->graph_view) != NULL;
  guint32 refs[2];
  const char *names[2];
  guint n_selected;

  g_return_if_fail (HS_IS_WINDOW (self));

  n_selected = hs_graph_view_get_selection (self->graph_view, refs, names);

  set_action_enabled (self, "run", idle);
  set_action_enabled (self, "stop", self->busy);
  /* the steps of a run that goes on can be stepped through already */
  set_action_enabled (self, "step-back", have_trace && self->step > 0);
  set_action_enabled (self, "first-step", have_trace && self->step > 0);
  set_action_enabled (self, "step-forward", have_trace && self->step + 1 < self->n_steps);
  set_action_enabled (self, "last-step", have_trace && self->step + 1 < self->n_steps);
  set_action_enabled (self, "assign", have_var);
  set_action_enabled (self, "slice-copy", have_var);
  set_action_enabled (self, "copy", have_var);
  set_action_enabled (self, "deepcopy", have_var);
  set_action_enabled (self, "del", have_var);
  set_action_enabled (self, "gc-collect", live);
  set_action_enabled (self, "compare", live && n_selected == 2 && names[0] && names[1]);
  set_action_enabled (self, "export", have_trace);
  set_action_enabled (self, "zoom-in", have_trace);
  set_action_enabled (self, "zoom-out", have_trace);
  set_action_enabled (self, "zoom-fit", have_trace);
  set_action_enabled (self, "restore-draft", self->pending_draft != NULL);
  if (self->pending_draft == NULL)
    gtk_info_bar_set_revealed (self->draft_bar, FALSE);

  /* What would enable a heap button, true in every state: a run that
   * was stopped, ran out of time or steps, or crashed has no live
   * program left to act on. */
  if (self->busy)
    update_command_tooltips (self, _("Wait until the program stops"));
  else if (!live && self->trace == NULL)
    update_command_tooltips (self, _("Run the snippet first"));
  else if (!live)
    update_command_tooltips (self, _("This run’s program is gone (stopped, out of time or steps, or crashed): "
                                     "run the snippet again"));
  else
    update_command_tooltips (self, _("Select a variable in the graph first"));

  hs_window_update_playback_actions (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->timeline), have_trace && self->n_steps > 1);
  /* While a statement runs the console stays sensitive, only read-only,
   * so that it keeps the keyboard for the next statement: GTK takes the
   * focus away from a widget that turns insensitive.  So does the run
   * that takes a failed statement back (hs-window-runtime.c). */
  gtk_widget_set_sensitive (GTK_WIDGET (self->console_view),
                            self->busy || (self->runner != NULL && hs_runner_is_live (self->runner)));
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->console_view), live);
  gtk_widget_set_sensitive (self->console_send, live);
  gtk_label_set_label (self->console_placeholder,
                                  live ? _("Python statement, then Enter")
                                       : _("Run the snippet first"));
}

void
hs_window_set_busy (HsWindow *self,
                    gboolean  busy)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  busy = !!busy;
  if (self->busy == busy)
    return;

  self->busy = busy;
  if (busy && self->autoplay_tick != 0)
    g_action_group_change_action_state (G_ACTION_GROUP (self), "autoplay", g_variant_new_boolean (FALSE));
  gtk_stack_set_visible_child_name (self->run_stack, busy ? "stop" : "run");
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->source_view), !busy);
  hs_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
apply_font_size (HsWindow *self)
{
  g_autofree char *css = NULL;
  guint size = g_settings_get_uint (self->settings, "editor-font-size");

  css = g_strdup_printf ("textview.snippet, textview.console-entry, textview.output { font-size: %upt; }", size);
  gtk_css_provider_load_from_data (self->editor_css, css, -1);
}

static void
update_style_scheme (HsWindow *self)
{
  GtkSourceStyleSchemeManager *manager = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleScheme *scheme;

  scheme = gtk_source_style_scheme_manager_get_scheme (manager, dark ? "Adwaita-dark" : "Adwaita");
  gtk_source_buffer_set_style_scheme (self->buffer, scheme);
  gtk_source_buffer_set_style_scheme (self->console_buffer, scheme);
  gtk_source_buffer_set_style_scheme (self->file_buffer, scheme);
}

static void
setup_marks (HsWindow *self)
{
  g_autoptr(GtkSourceMarkAttributes) current = gtk_source_mark_attributes_new ();
  g_autoptr(GtkSourceMarkAttributes) exception = gtk_source_mark_attributes_new ();
  GdkRGBA color;

  gdk_rgba_parse (&color, "rgba(53, 132, 228, 0.22)");
  gtk_source_mark_attributes_set_background (current, &color);
  gtk_source_mark_attributes_set_icon_name (current, "go-next-symbolic");
  gtk_source_view_set_mark_attributes (self->source_view, MARK_CURRENT, current, 10);

  gdk_rgba_parse (&color, "rgba(224, 27, 36, 0.22)");
  gtk_source_mark_attributes_set_background (exception, &color);
  gtk_source_mark_attributes_set_icon_name (exception, "dialog-error-symbolic");
  gtk_source_view_set_mark_attributes (self->source_view, MARK_EXCEPTION, exception, 20);
}

void
hs_window_mark_exception (HsWindow *self,
                          guint     line)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  if (line == 0)
    clear_marks (self, MARK_EXCEPTION);
  else
    mark_line (self, MARK_EXCEPTION, line);
}

static gboolean
close_confirmed_cb (gpointer user_data)
{
  HsWindow *self = user_data;

  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
close_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   HsWindow         *self)
{
  /* The dialog still needs its parent while it finishes responding. */
  if (g_str_equal (response, "discard"))
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_confirmed_cb, g_object_ref (self), g_object_unref);
  else if (g_str_equal (response, "save"))
    hs_window_save (self, FALSE, TRUE);
}

/* The folder an untitled snippet runs from (hs-window-runtime.c) */
static void
remove_run_dir (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  if (self->run_dir != NULL)
    {
      g_autofree char *snippet = g_build_filename (self->run_dir, "snippet.py", NULL);

      g_autofree char *input = g_build_filename (self->run_dir, "stdin.txt", NULL);

      g_remove (snippet);
      g_remove (input);
      g_rmdir (self->run_dir);
    }
  g_clear_pointer (&self->run_dir, g_free);
}

/* The app ends without asking (a signal): unsaved text stays in the
 * draft, which the file offers when it opens next; the run stops and
 * the run folder goes.  The window is left to be destroyed. */
void
hs_window_end_session (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  hs_window_save_draft_now (self);
  hs_window_stop (self);
  hs_window_close_runtime (self);
  remove_run_dir (self);
}

static gboolean
hs_window_close_request (GtkWindow *window)
{
  HsWindow *self = (HsWindow *) window;
  AdwMessageDialog *dialog;

  if (!self->close_confirmed && gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer)))
    {
      g_autofree char *body = NULL;

      /* Whatever is answered, the draft keeps the text safe meanwhile. */
      hs_window_save_draft_now (self);

      body = g_strdup_printf (_("“%s” has changes that are not saved. Closing without saving loses them."),
                              hs_window_get_display_name (self));
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Save Changes?"), body));
      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Cancel"),
                                        "discard", _("_Discard"),
                                        "save", _("_Save"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "save");
      adw_message_dialog_set_close_response (dialog, "cancel");
      g_signal_connect_object (dialog, "response", G_CALLBACK (close_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }

  hs_window_discard_draft (self);
  hs_window_stop (self);
  hs_window_close_runtime (self);

  if (!gtk_window_is_maximized (window))
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (hs_window_parent_class)->close_request (window);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         HsWindow      *self)
{
  GSList *files;
  GFile *file;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;
  file = files->data;

  if (hs_window_is_pristine (self) || !gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer)))
    hs_window_load_file (self, file, FALSE);
  else
    {
      HsWindow *window = hs_window_new (HS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));

      hs_window_load_file (window, file, FALSE);
      gtk_window_present (GTK_WINDOW (window));
    }
  return TRUE;
}

HsTrace *
hs_window_get_trace (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->trace;
}

guint
hs_window_get_step (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), 0);
  return self->step;
}

gboolean
hs_window_get_busy (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);
  return self->busy;
}

HsGraphView *
hs_window_get_graph_view (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->graph_view;
}

GtkSourceBuffer *
hs_window_get_buffer (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->buffer;
}

HsCommandDialog *
hs_window_get_command_dialog (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->command_dialog;
}

HsLessonPanel *
hs_window_get_lesson_panel (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->lesson_panel;
}

const char *
hs_window_get_last_toast (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->last_toast;
}

char *
hs_window_dup_output (HsWindow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter begin, end;

  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->output_view);
  gtk_text_buffer_get_bounds (buffer, &begin, &end);
  return gtk_text_buffer_get_text (buffer, &begin, &end, FALSE);
}

static void
hs_window_constructed (GObject *object)
{
  HsWindow *self = (HsWindow *) object;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  G_OBJECT_CLASS (hs_window_parent_class)->constructed (object);

  if (app != NULL)
    {
      g_autoptr(GMenuItem) recent = NULL;

      recent = g_menu_item_new_section (_("Recent Files"), hs_application_get_recent_menu (HS_APPLICATION (app)));
      g_menu_append_item (self->open_menu, recent);
    }
}

static void
hs_window_dispose (GObject *object)
{
  HsWindow *self = (HsWindow *) object;

  g_clear_handle_id (&self->draft_source, g_source_remove);
  g_clear_handle_id (&self->flaps_source, g_source_remove);
  g_clear_handle_id (&self->arrival_source, g_source_remove);
  g_clear_object (&self->replaced_trace);
  if (self->autoplay_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->autoplay_tick);
  self->autoplay_tick = 0;
  hs_window_dispose_presentation (self);
  hs_window_dispose_interpreter (self);
  hs_window_files_dispose (self);
  hs_window_dispose_playback (self);
  /* after what may still mark a line */
  if (self->scroll_tick != 0 && self->source_view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->source_view), self->scroll_tick);
  self->scroll_tick = 0;
  /* The graph view's property actions hold it, and the settings are shared
   * with other windows: a setting changed in another window must not
   * reach this window's actions once it is gone. */
  if (self->graph_view != NULL)
    {
      g_settings_unbind (self->graph_view, "zoom");
      g_settings_unbind (self->graph_view, "show-hidden-references");
    }
  g_action_map_remove_action (G_ACTION_MAP (self), "follow");
  g_action_map_remove_action (G_ACTION_MAP (self), "show-hidden-references");
  if (self->command_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->command_dialog));
  g_clear_object (&self->settings);
  g_clear_object (&self->file);

  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_WINDOW);

  g_clear_object (&self->runner);
  g_clear_object (&self->trace);
  g_clear_pointer (&self->output, g_ptr_array_unref);
  hs_window_dispose_output (self);

  G_OBJECT_CLASS (hs_window_parent_class)->dispose (object);
}

static void
hs_window_finalize (GObject *object)
{
  HsWindow *self = (HsWindow *) object;

  remove_run_dir (self);
  g_free (self->title);
  g_free (self->run_arguments);
  g_free (self->run_input);
  g_free (self->last_toast);
  g_free (self->equality_expr);
  g_free (self->equality_result);
  g_free (self->live_path);
  g_free (self->live_text);
  g_clear_pointer (&self->live_statements, g_ptr_array_unref);
  g_clear_pointer (&self->module_breakpoints, g_hash_table_unref);
  g_clear_object (&self->editor_css);
  g_clear_pointer (&self->draft, hs_draft_free);
  g_clear_pointer (&self->pending_draft, hs_draft_free);

  G_OBJECT_CLASS (hs_window_parent_class)->finalize (object);
}

static void
hs_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HsWindow *self = HS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_STEP:
      g_value_set_uint (value, self->step);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void search_activate_cb (HsWindow *self);

static void
hs_window_class_init (HsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = hs_window_constructed;
  object_class->dispose = hs_window_dispose;
  object_class->finalize = hs_window_finalize;
  object_class->get_property = hs_window_get_property;

  widget_class->size_allocate = hs_window_size_allocate;

  window_class->close_request = hs_window_close_request;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STEP] =
    g_param_spec_uint ("step", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HS_TYPE_GRAPH_VIEW);
  g_type_ensure (HS_TYPE_INSPECTOR);
  g_type_ensure (HS_TYPE_LESSON_PANEL);
  g_type_ensure (HS_TYPE_INTERPRETER_CHOOSER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heapscope/Heapscope/hs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, run_stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, header_revealer);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, editor_flap);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, command_bar);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, draft_bar);
  gtk_widget_class_bind_template_callback (widget_class, draft_bar_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, inspector_flap);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, source_view);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, file_bar);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, file_switcher);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, file_note);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, file_stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, file_view);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, buffer);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, console_view);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, console_buffer);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, console_placeholder);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, console_error);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, last_output_label);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, console_send);
  gtk_widget_class_bind_template_callback (widget_class, console_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, output_view);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, output_status);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, graph_box);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, graph_stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, zoom_box);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, graph_view);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, timeline_adjustment);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, step_label);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, step_box);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, editor_toggle);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, open_menu);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, lesson_panel);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, lessons_menu);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, interpreter_chooser);
  gtk_widget_class_bind_template_callback (widget_class, buffer_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_title);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, timeline_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, console_activate_cb);
}

/* Finds an object of the current step by variable name, by id(), or by
 * a piece of its repr, and selects it; repeated, it moves on to the next
 * object whose repr matches. */
gboolean
hs_window_find (HsWindow   *self,
                const char *query)
{
  g_autofree char *text = NULL;
  HsSnapshot *snapshot;
  const HsObject *objects;
  const HsFrame *frames;
  guint n_objects, n_frames, start = 0;
  guint32 refs[2] = { 0, 0 };
  guint64 id;
  char *end = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);

  text = g_strstrip (g_strdup (query));
  if (*text == '\0' || !(snapshot = hs_graph_view_get_snapshot (self->graph_view)))
    return FALSE;

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  for (guint i = n_frames; i > 0; i--)
    for (guint j = 0; j < frames[i - 1].n_vars; j++)
      if (g_str_equal (frames[i - 1].vars[j].name, text) &&
          hs_graph_view_select_variable (self->graph_view, text, FALSE))
        {
          /* What a search finds is framed, not only selected, in the
           * room the inspector it opens leaves: the view moves once */
          show_inspector_for (self, frames[i - 1].vars[j].ref);
          hs_graph_view_reveal_object (self->graph_view, frames[i - 1].vars[j].ref);
          return TRUE;
        }

  objects = hs_snapshot_get_objects (snapshot, &n_objects);
  id = g_ascii_strtoull (text, &end, 10);
  if (end != NULL && *end == '\0')
    for (guint i = 0; i < n_objects; i++)
      if (objects[i].id == id)
        {
          hs_graph_view_select_object (self->graph_view, objects[i].ref, FALSE);
          show_inspector_for (self, objects[i].ref);
          hs_graph_view_reveal_object (self->graph_view, objects[i].ref);
          return TRUE;
        }

  /* Start after the object selected now, so Enter again finds the next. */
  if (hs_graph_view_get_selection (self->graph_view, refs, NULL) > 0)
    for (guint i = 0; i < n_objects; i++)
      if (objects[i].ref == refs[0])
        start = i + 1;
  for (guint k = 0; k < n_objects; k++)
    {
      const HsObject *object = &objects[(start + k) % n_objects];

      if (object->repr != NULL && strstr (object->repr, text) != NULL)
        {
          hs_graph_view_select_object (self->graph_view, object->ref, FALSE);
          show_inspector_for (self, object->ref);
          hs_graph_view_reveal_object (self->graph_view, object->ref);
          return TRUE;
        }
    }

  message = g_strdup_printf (_("Nothing at this step matches “%s”"), text);
  hs_window_toast (self, message);
  return FALSE;
}

static void
search_activate_cb (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  hs_window_find (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* A window remembered from a big screen must still fit a 1024×600
 * netbook or an 800×600 projector. */
static void
set_default_size_for_screen (HsWindow *self,
                             int       width,
                             int       height)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);

  g_assert (HS_IS_WINDOW (self));

  if (monitor != NULL)
    {
      GdkRectangle geometry;

      gdk_monitor_get_geometry (monitor, &geometry);
      width = MIN (width, geometry.width);
      height = MIN (height, geometry.height);
    }
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
}

static void
fill_lessons_menu (HsWindow *self)
{
  g_autoptr(GPtrArray) lessons = hs_lesson_list_all ();

  g_assert (HS_IS_WINDOW (self));

  for (guint i = 0; i < lessons->len; i++)
    {
      HsLesson *lesson = g_ptr_array_index (lessons, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (hs_lesson_get_title (lesson), NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-lesson",
                                               g_variant_new_string (hs_lesson_get_id (lesson)));
      g_menu_append_item (self->lessons_menu, item);
    }
}

static void
hs_window_init (HsWindow *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->zoom_box_margin = gtk_widget_get_margin_end (self->zoom_box);

  self->draft = hs_draft_new ();
  self->output = g_ptr_array_new_with_free_func (hs_output_segment_free);
  self->runner = hs_runner_new ();
  self->live_statements = g_ptr_array_new_with_free_func (hs_live_statement_free);

  g_action_map_add_action_entries (G_ACTION_MAP (self), hs_window_actions,
                                   hs_window_n_actions, self);

  /* The side panes fold away on a narrow window; these show them again.
   * The editor's moves the keyboard too (show_editor_change_state()). */
  {
    g_autoptr(GPropertyAction) action = g_property_action_new ("show-inspector", self->inspector_flap, "reveal-flap");
    g_autoptr(GSimpleAction) editor =
      g_simple_action_new_stateful ("show-editor", NULL,
                                    g_variant_new_boolean (adw_flap_get_reveal_flap (self->editor_flap)));

    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    g_signal_connect_object (editor, "change-state", G_CALLBACK (show_editor_change_state), self, 0);
    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (editor));
  }
  g_signal_connect_object (self->inspector_flap, "notify::reveal-progress",
                           G_CALLBACK (flap_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->inspector_flap, "notify::folded",
                           G_CALLBACK (flap_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor_flap, "notify::folded",
                           G_CALLBACK (flap_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor_flap, "notify::reveal-progress",
                           G_CALLBACK (flap_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor_flap, "notify::reveal-flap",
                           G_CALLBACK (editor_revealed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->inspector_flap, "notify::reveal-flap",
                           G_CALLBACK (inspector_revealed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->graph_view, "selection-changed::user",
                           G_CALLBACK (user_selection_changed_cb), self, G_CONNECT_SWAPPED);
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_name (keys, "flap-escape");
    g_signal_connect_object (keys, "key-pressed", G_CALLBACK (flap_key_pressed_cb), self, 0);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }
  {
    g_autoptr(GPropertyAction) action = g_property_action_new ("find", self->search_bar, "search-mode-enabled");

    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
  }
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  fill_lessons_menu (self);
  {
    g_autoptr(GPropertyAction) action =
      g_property_action_new ("predict", self->lesson_panel, "predicting");

    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
  }

  self->settings = hs_settings_new ();
  set_default_size_for_screen (self,
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_source_buffer_set_language (self->buffer, gtk_source_language_manager_get_language (languages, "python3"));
  gtk_source_buffer_set_highlight_matching_brackets (self->buffer, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->source_view), "snippet");
  /* after the window's accelerators, which capture keys first */
  for (guint i = 0; i < 2; i++)
    {
      GtkEventController *keys = gtk_event_controller_key_new ();

      gtk_event_controller_set_name (keys, "bound-keys");
      gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
      g_signal_connect (keys, "key-pressed", G_CALLBACK (bound_key_pressed_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (i == 0 ? self->source_view : self->console_view), keys);
    }
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect (keys, "key-pressed", G_CALLBACK (console_key_pressed_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->console_view), keys);
    gtk_source_buffer_set_language (self->console_buffer,
                                    gtk_source_language_manager_get_language (languages, "python3"));
  }
  gtk_widget_add_css_class (GTK_WIDGET (self->output_view), "output");
  setup_marks (self);
  hs_window_files_init (self);
  hs_window_init_playback (self);
  hs_window_init_debug (self);
  hs_window_init_presentation (self);
  hs_window_init_interpreter (self);
  update_style_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);

  self->editor_css = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (self->editor_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_signal_connect_object (self->settings, "changed::editor-font-size",
                           G_CALLBACK (apply_font_size), self, G_CONNECT_SWAPPED);
  apply_font_size (self);

  g_settings_bind (self->settings, "graph-zoom", self->graph_view, "zoom", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "element-cap", self->graph_view, "element-cap", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "show-hidden-references", self->graph_view, "show-hidden-references",
                   G_SETTINGS_BIND_DEFAULT);
  /* Stateful toggles: following the program, and the hidden holders (a
   * GSettingsAction would outlive the window) */
  for (guint i = 0; i < 3; i++)
    {
      const char *name = i == 0 ? "follow" : i == 1 ? "show-hidden-references" : "every-object";
      g_autoptr(GPropertyAction) action = g_property_action_new (name, self->graph_view, name);

      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    }

  g_signal_connect_object (self->graph_view, "notify::every-object",
                           G_CALLBACK (every_object_changed_cb), self, G_CONNECT_SWAPPED);

  hs_window_init_output (self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drop), GTK_PHASE_CAPTURE);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  hs_window_load_example (self, DEFAULT_EXAMPLE);
  hs_window_show_step (self, 0, FALSE);

  gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
}
