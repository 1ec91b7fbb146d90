/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * HsWindow's commands for moving through time: breakpoints in the
 * editor's gutter, run to cursor, continue forward and backward,
 * autoplay and watching an object.  They move through the recorded
 * trace; nothing is re-run.
 */
#define G_LOG_DOMAIN "heapscope-window-playback"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hs-playback.h"
#include "hs-window-private.h"

#define MARK_BREAKPOINT "hs-breakpoint"
#define DEFAULT_SPEED   2.0   /* steps per second */

/* Breakpoints in the program's own file are marks in its editor, which
 * move with its lines as it is edited.  Those in its modules, shown
 * read-only and one at a time, are lines kept per file, and marked again
 * whenever the file is shown: they last as long as the document, as the
 * editor's marks do. */

static GArray *
main_file_lines (HsWindow *self)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (guint));
  GtkTextIter iter;

  g_assert (HS_IS_WINDOW (self));

  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self->buffer), &iter);
  do
    {
      GSList *marks = gtk_source_buffer_get_source_marks_at_iter (self->buffer, &iter, MARK_BREAKPOINT);

      if (marks != NULL)
        {
          guint line = gtk_text_iter_get_line (&iter) + 1;

          g_array_append_val (lines, line);
        }
      g_slist_free (marks);
    }
  while (gtk_text_iter_forward_line (&iter));

  return lines;
}

/* Every breakpoint, as HsBreakpoint: the files are the table's keys. */
static GArray *
list_breakpoints (HsWindow *self)
{
  g_autoptr(GArray) lines = main_file_lines (self);
  GArray *breakpoints = g_array_new (FALSE, FALSE, sizeof (HsBreakpoint));
  GHashTableIter iter;
  gpointer file, file_lines;

  g_assert (HS_IS_WINDOW (self));

  for (guint i = 0; i < lines->len; i++)
    {
      HsBreakpoint breakpoint = { NULL, g_array_index (lines, guint, i) };

      g_array_append_val (breakpoints, breakpoint);
    }
  g_hash_table_iter_init (&iter, self->module_breakpoints);
  while (g_hash_table_iter_next (&iter, &file, &file_lines))
    for (guint i = 0; i < ((GArray *) file_lines)->len; i++)
      {
        HsBreakpoint breakpoint = { file, g_array_index ((GArray *) file_lines, guint, i) };

        g_array_append_val (breakpoints, breakpoint);
      }
  return breakpoints;
}

/* The lines of FILE (NULL: the program's own) that have a breakpoint, in
 * order. */
guint *
hs_window_dup_breakpoints (HsWindow   *self,
                           const char *file,
                           guint      *n_lines)
{
  GArray *lines;

  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  g_return_val_if_fail (n_lines != NULL, NULL);

  if (file == NULL)
    lines = main_file_lines (self);
  else
    {
      GArray *kept = g_hash_table_lookup (self->module_breakpoints, file);

      lines = g_array_new (FALSE, FALSE, sizeof (guint));
      if (kept != NULL)
        g_array_append_vals (lines, kept->data, kept->len);
    }
  *n_lines = lines->len;
  return (guint *) (gpointer) g_array_free (lines, FALSE);
}

static void
toggle_mark (HsWindow      *self,
             GtkSourceView *view,
             guint          line)
{
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)));
  GtkTextIter iter;
  GSList *marks;

  g_assert (HS_IS_WINDOW (self));
  g_assert (line > 0 && line <= (guint) gtk_text_buffer_get_line_count (GTK_TEXT_BUFFER (buffer)));

  gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (buffer), &iter, line - 1);
  marks = gtk_source_buffer_get_source_marks_at_line (buffer, line - 1, MARK_BREAKPOINT);
  if (marks != NULL)
    {
      GtkTextIter end = iter;

      gtk_text_iter_forward_to_line_end (&end);
      gtk_source_buffer_remove_source_marks (buffer, &iter, &end, MARK_BREAKPOINT);
    }
  else
    hs_window_add_line_mark (self, view, MARK_BREAKPOINT, &iter);
  g_slist_free (marks);
}

static guint
count_lines (const char *text)
{
  guint n = 1;

  g_assert (text != NULL);

  for (const char *p = strchr (text, '\n'); p != NULL; p = strchr (p + 1, '\n'))
    n++;
  return n;
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* FILE is NULL for the program's own file, or a module as frames name it;
 * a module's line must be one of its text as the run saw it.  LINE counts
 * from 1, as the trace and the gutter do. */
void
hs_window_toggle_breakpoint (HsWindow   *self,
                             const char *file,
                             guint       line)
{
  const char *text;
  GArray *lines;
  guint i;

  g_return_if_fail (HS_IS_WINDOW (self));

  if (file == NULL)
    {
      if (line > 0 && line <= (guint) gtk_text_buffer_get_line_count (GTK_TEXT_BUFFER (self->buffer)))
        toggle_mark (self, self->source_view, line);
      return;
    }

  text = self->trace != NULL ? hs_trace_get_file_source (self->trace, file) : NULL;
  if (line == 0 || text == NULL || line > count_lines (text))
    return;
  lines = g_hash_table_lookup (self->module_breakpoints, file);
  if (lines == NULL)
    {
      lines = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (self->module_breakpoints, g_strdup (file), lines);
    }
  for (i = 0; i < lines->len && g_array_index (lines, guint, i) != line; i++)
    ;
  if (i < lines->len)
    g_array_remove_index (lines, i);
  else
    {
      g_array_append_val (lines, line);
      g_array_sort (lines, compare_lines);
    }
  if (lines->len == 0)
    g_hash_table_remove (self->module_breakpoints, file);
  if (g_strcmp0 (self->shown_file, file) == 0)
    toggle_mark (self, self->file_view, line);
}

/* The module view shows a new file: its breakpoints are marked. */
void
hs_window_mark_breakpoints (HsWindow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  GArray *lines;

  g_return_if_fail (HS_IS_WINDOW (self));

  buffer = GTK_TEXT_BUFFER (self->file_buffer);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_source_buffer_remove_source_marks (self->file_buffer, &start, &end, MARK_BREAKPOINT);
  lines = self->shown_file != NULL ? g_hash_table_lookup (self->module_breakpoints, self->shown_file) : NULL;
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      guint line = g_array_index (lines, guint, i);

      if (line <= (guint) gtk_text_buffer_get_line_count (buffer))
        toggle_mark (self, self->file_view, line);
    }
}

/* A new document: the modules' breakpoints were the program's before. */
void
hs_window_forget_breakpoints (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  g_hash_table_remove_all (self->module_breakpoints);
  hs_window_mark_breakpoints (self);
}

static void
line_mark_activated_cb (GtkSourceView     *view,
                        const GtkTextIter *iter,
                        guint              button,
                        GdkModifierType    state,
                        int                n_presses,
                        HsWindow          *self)
{
  g_assert (GTK_SOURCE_IS_VIEW (view));
  g_assert (HS_IS_WINDOW (self));

  if (button == GDK_BUTTON_PRIMARY && n_presses == 1)
    hs_window_toggle_breakpoint (self, view == self->file_view ? self->shown_file : NULL,
                                 gtk_text_iter_get_line (iter) + 1);
}

/* The line of the cursor in the file the editor shows, and that file
 * (NULL: the program's own). */
static guint
cursor_line (HsWindow    *self,
             const char **file)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  g_assert (HS_IS_WINDOW (self));
  g_assert (file != NULL);

  *file = hs_window_files_get_shown (self);
  buffer = GTK_TEXT_BUFFER (*file != NULL ? self->file_buffer : self->buffer);
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  return gtk_text_iter_get_line (&iter) + 1;
}

static char *
describe_watched (HsWindow *self)
{
  g_autoptr(HsSnapshot) snapshot = NULL;
  g_autofree char *id = NULL;
  const HsObject *object = NULL;

  g_assert (HS_IS_WINDOW (self));

  if (self->trace != NULL && self->n_steps > 0)
    {
      snapshot = hs_trace_get_snapshot (self->trace, self->watch_step);
      object = hs_snapshot_lookup (snapshot, self->watch_ref);
    }
  if (object == NULL)
    return g_strdup (_("the watched object"));
  id = g_strdup_printf ("%" G_GUINT64_FORMAT, object->id);
  /* Translators: the watched object, e.g. “the list 140230” (its id()) */
  return g_strdup_printf (_("the %s %s"), object->type, id);
}

/* The module STEP runs, or NULL when it runs the program's own file. */
static char *
step_module (HsWindow *self,
             guint     step)
{
  g_autoptr(HsSnapshot) snapshot = NULL;
  const HsFrame *frames;
  guint n_frames = 0;

  g_assert (HS_IS_WINDOW (self));

  snapshot = hs_trace_get_snapshot (self->trace, step);
  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  if (n_frames == 0 || g_strcmp0 (frames[n_frames - 1].file, frames[0].file) == 0)
    return NULL;
  return g_strdup (frames[n_frames - 1].file);
}

static char *
describe_stop (HsWindow     *self,
               const HsStop *stop)
{
  g_autofree char *what = NULL;

  g_assert (HS_IS_WINDOW (self));

  switch (stop->reason)
    {
    case HS_STOP_BREAKPOINT:
      {
        g_autofree char *file = step_module (self, stop->step);

        if (file != NULL)
          /* Translators: the second %s is a file of the program's, e.g. helper.py */
          return g_strdup_printf (_("Stopped at the breakpoint on line %u of %s"), stop->line, file);
        return g_strdup_printf (_("Stopped at the breakpoint on line %u"), stop->line);
      }

    case HS_STOP_MUTATED:
      what = describe_watched (self);
      return g_strdup_printf (_("Stopped: line %u changed %s"), stop->line, what);

    case HS_STOP_FREED:
      what = describe_watched (self);
      if (stop->cause == HS_FREE_GC)
        return g_strdup_printf (_("Stopped: the garbage collector freed %s"), what);
      return g_strdup_printf (_("Stopped: %s was freed, its refcount reached 0"), what);

    case HS_STOP_NONE:
    default:
      return NULL;
    }
}

/* Steps searched before the main loop goes on: a search this long takes
 * a few milliseconds, a longer one goes on in a thread. */
#define SEARCH_AT_ONCE 4096

typedef enum
{
  SEARCH_CONTINUE,
  SEARCH_CONTINUE_BACK,
  SEARCH_RUN_TO_CURSOR,
} SearchKind;

typedef struct
{
  HsWindow   *window;
  HsTrace    *trace;
  guint       from;
  guint       line;
  char       *file;   /* the cursor's, or NULL for the program's own */
  SearchKind  kind;
} Search;

static void
search_free (Search *search)
{
  g_object_unref (search->window);
  g_object_unref (search->trace);
  g_free (search->file);
  g_free (search);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Search, search_free)

static void
search_finish (Search       *search,
               gboolean      found,
               const HsStop *stop)
{
  HsWindow *self;

  g_assert (search != NULL);

  self = search->window;
  if (search->kind == SEARCH_RUN_TO_CURSOR)
    {
      if (found)
        hs_window_show_step (self, stop->step, FALSE);
      else
        {
          g_autofree char *message = NULL;

          if (search->file != NULL)
            /* Translators: the second %s is a file of the program's, e.g. helper.py */
            message = g_strdup_printf (_("The program does not reach line %u of %s after this step"),
                                       search->line, search->file);
          else
            message = g_strdup_printf (_("The program does not reach line %u after this step"), search->line);

          hs_window_toast (self, message);
        }
    }
  else if (found)
    {
      g_autofree char *message = describe_stop (self, stop);

      hs_window_show_step (self, stop->step, FALSE);
      if (self->step == stop->step)
        hs_window_toast (self, message);
    }
  else
    hs_window_show_step (self, search->kind == SEARCH_CONTINUE ? self->n_steps - 1 : 0, FALSE);
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Search) search = user_data;
  HsWindow *self = search->window;
  g_autoptr(GError) error = NULL;
  HsStop stop;
  gboolean found;

  g_assert (HS_IS_WINDOW (self));

  found = hs_playback_find_finish (result, &stop, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->playback_search);
  /* The learner moved on, or ran again, while it searched. */
  if (self->busy || self->trace != search->trace || self->step != search->from)
    return;
  search_finish (search, found, &stop);
}

/* Continue and run to cursor search from the step shown, in the direction
 * asked, in a thread: a search replaces the one before it. */
static void
search_from_here (HsWindow   *self,
                  SearchKind  kind)
{
  g_autoptr(GArray) breakpoints = NULL;
  g_autoptr(Search) search = NULL;
  guint32 watch_ref = 0;
  gboolean forward = kind != SEARCH_CONTINUE_BACK;
  guint bound;
  HsStop stop;

  g_assert (HS_IS_WINDOW (self));

  if (self->busy || self->trace == NULL || self->n_steps == 0)
    return;

  hs_window_dispose_playback (self);

  search = g_new0 (Search, 1);
  search->window = g_object_ref (self);
  search->trace = g_object_ref (self->trace);
  search->from = self->step;
  search->kind = kind;
  if (kind == SEARCH_RUN_TO_CURSOR)
    {
      HsBreakpoint cursor;

      breakpoints = g_array_new (FALSE, FALSE, sizeof (HsBreakpoint));
      search->line = cursor_line (self, &cursor.file);
      search->file = g_strdup (cursor.file);
      cursor.file = search->file;
      cursor.line = search->line;
      g_array_append_val (breakpoints, cursor);
    }
  else
    {
      breakpoints = list_breakpoints (self);
      watch_ref = self->watch_ref;
    }

  /* The steps near this one at once, the rest in a thread. */
  if (forward)
    bound = self->n_steps - 1 - self->step > SEARCH_AT_ONCE ? self->step + SEARCH_AT_ONCE : self->n_steps - 1;
  else
    bound = self->step > SEARCH_AT_ONCE ? self->step - SEARCH_AT_ONCE : 0;
  if (hs_playback_find (self->trace, self->step, forward, bound, (const HsBreakpoint *) (gpointer) breakpoints->data,
                        breakpoints->len, watch_ref, NULL, &stop))
    search_finish (search, TRUE, &stop);
  else if (bound == (forward ? self->n_steps - 1 : 0))
    search_finish (search, FALSE, &stop);
  else
    {
      self->playback_search = g_cancellable_new ();
      hs_playback_find_async (self->trace, bound, forward,
                              (const HsBreakpoint *) (gpointer) breakpoints->data, breakpoints->len, watch_ref,
                              self->playback_search, search_done_cb, g_steal_pointer (&search));
    }
}

gboolean
hs_window_get_searching (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);

  return self->playback_search != NULL;
}

static void
continue_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  search_from_here (HS_WINDOW (user_data), SEARCH_CONTINUE);
}

static void
continue_back_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  search_from_here (HS_WINDOW (user_data), SEARCH_CONTINUE_BACK);
}

static void
toggle_breakpoint_action (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  const char *file;
  guint line = cursor_line (self, &file);

  hs_window_toggle_breakpoint (self, file, line);
}

static void
run_to_cursor_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  search_from_here (HS_WINDOW (user_data), SEARCH_RUN_TO_CURSOR);
}

static void
watch_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  guint32 refs[2];
  g_autofree char *what = NULL;
  g_autofree char *message = NULL;

  if (hs_graph_view_get_selection (self->graph_view, refs, NULL) == 0 || refs[0] == 0)
    {
      hs_window_toast (self, _("Select an object in the graph to watch it"));
      return;
    }

  if (refs[0] == self->watch_ref)
    {
      what = describe_watched (self);
      self->watch_ref = 0;
      message = g_strdup_printf (_("No longer watching %s"), what);
    }
  else
    {
      self->watch_ref = refs[0];
      self->watch_step = self->step;
      what = describe_watched (self);
      message = g_strdup_printf (_("Watching %s: Continue stops when it changes or is freed"), what);
    }
  hs_window_update_subjects (self);
  hs_window_toast (self, message);
}

guint32
hs_window_get_watched (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), 0);

  return self->watch_ref;
}

/* Autoplay paces itself on the frame clock: each frame checks how long
 * the current step has been shown. */
static gboolean
autoplay_tick_cb (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  gint64 interval = (gint64) (G_USEC_PER_SEC / self->autoplay_speed);
  guint next;

  if (self->autoplay_last == 0)
    self->autoplay_last = now;
  if (now - self->autoplay_last < interval)
    return G_SOURCE_CONTINUE;
  self->autoplay_last = now;

  if (self->busy || self->trace == NULL || self->step + 1 >= self->n_steps)
    goto stop;

  next = self->step + 1;
  hs_window_show_step (self, next, TRUE);
  if (self->step != next)
    goto stop;  /* prediction mode holds the step until it is answered */
  {
    g_autoptr(GArray) breakpoints = list_breakpoints (self);
    HsStop stop;

    /* Only the step just shown is checked: each frame's cost is one
     * step's, however long the trace. */
    if (next + 1 < self->n_steps &&
        hs_playback_find (self->trace, next - 1, TRUE, next, (const HsBreakpoint *) (gpointer) breakpoints->data,
                          breakpoints->len, self->watch_ref, NULL, &stop))
      {
        g_autofree char *message = describe_stop (self, &stop);

        hs_window_toast (self, message);
        goto stop;
      }
  }
  if (next + 1 < self->n_steps)
    return G_SOURCE_CONTINUE;

stop:
  self->autoplay_tick = 0;
  g_action_group_change_action_state (G_ACTION_GROUP (self), "autoplay", g_variant_new_boolean (FALSE));
  return G_SOURCE_REMOVE;
}

static void
autoplay_change_state (GSimpleAction *action,
                       GVariant      *state,
                       gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  gboolean play = g_variant_get_boolean (state);

  if (play && (self->busy || self->trace == NULL || self->step + 1 >= self->n_steps))
    play = FALSE;

  if (play && self->autoplay_tick == 0)
    {
      self->autoplay_last = 0;
      self->autoplay_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), autoplay_tick_cb, NULL, NULL);
    }
  else if (!play && self->autoplay_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->autoplay_tick);
      self->autoplay_tick = 0;
    }
  g_simple_action_set_state (action, g_variant_new_boolean (play));
  hs_window_update_playback_actions (self);
}

static void
autoplay_speed_change_state (GSimpleAction *action,
                             GVariant      *state,
                             gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);

  self->autoplay_speed = CLAMP (g_variant_get_double (state), 0.25, 60.0);
  g_simple_action_set_state (action, g_variant_new_double (self->autoplay_speed));
}

static const GActionEntry playback_actions[] = {
  { "toggle-breakpoint", toggle_breakpoint_action },
  { "run-to-cursor", run_to_cursor_action },
  { "continue", continue_action },
  { "continue-back", continue_back_action },
  { "autoplay", NULL, NULL, "false", autoplay_change_state },
  { "autoplay-speed", NULL, "d", "2.0", autoplay_speed_change_state },
  { "watch", watch_action },
};

void
hs_window_update_playback_actions (HsWindow *self)
{
  gboolean stepping = !self->busy && self->trace != NULL && self->n_steps > 0;
  static const char * const names[] = { "run-to-cursor", "continue", "continue-back", "watch" };

  g_return_if_fail (HS_IS_WINDOW (self));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), names[i])),
                                 stepping);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "autoplay")),
                               stepping && (self->autoplay_tick != 0 || self->step + 1 < self->n_steps));
  hs_window_update_saved_actions (self);
}

void
hs_window_dispose_playback (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  if (self->playback_search != NULL)
    g_cancellable_cancel (self->playback_search);
  g_clear_object (&self->playback_search);
}

/* A new run forgets the watch: refs name objects of one run. */
void
hs_window_reset_playback (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  hs_window_dispose_playback (self);
  self->watch_ref = 0;
  if (self->autoplay_tick != 0)
    g_action_group_change_action_state (G_ACTION_GROUP (self), "autoplay", g_variant_new_boolean (FALSE));
}

/* Prediction works on any snippet: turned on at a step, it asks about
 * that step at once, with or without a lesson. */
static void
predicting_changed_cb (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  if (!self->busy && self->trace != NULL && self->n_steps > 0)
    hs_lesson_panel_show_step (self->lesson_panel, self->trace, self->step);
}

void
hs_window_init_playback (HsWindow *self)
{
  g_autoptr(GtkSourceMarkAttributes) breakpoint = gtk_source_mark_attributes_new ();
  GdkRGBA color;

  g_return_if_fail (HS_IS_WINDOW (self));

  self->autoplay_speed = DEFAULT_SPEED;
  g_action_map_add_action_entries (G_ACTION_MAP (self), playback_actions,
                                   G_N_ELEMENTS (playback_actions), self);
  hs_window_init_saved (self);

  gdk_rgba_parse (&color, "rgba(224, 27, 36, 0.12)");
  gtk_source_mark_attributes_set_background (breakpoint, &color);
  gtk_source_mark_attributes_set_icon_name (breakpoint, "media-record-symbolic");
  self->module_breakpoints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                    (GDestroyNotify) g_array_unref);
  for (guint i = 0; i < 2; i++)
    {
      GtkSourceView *view = i == 0 ? self->source_view : self->file_view;
      g_autoptr(GMenu) menu = g_menu_new ();

      gtk_source_view_set_mark_attributes (view, MARK_BREAKPOINT, breakpoint, 5);
      g_menu_append (menu, _("Toggle Breakpoint"), "win.toggle-breakpoint");
      g_menu_append (menu, _("Run to Cursor"), "win.run-to-cursor");
      gtk_text_view_set_extra_menu (GTK_TEXT_VIEW (view), G_MENU_MODEL (menu));
      g_signal_connect_object (view, "line-mark-activated", G_CALLBACK (line_mark_activated_cb), self, 0);
    }
  g_signal_connect_object (self->lesson_panel, "notify::predicting",
                           G_CALLBACK (predicting_changed_cb), self, G_CONNECT_SWAPPED);
}
