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

#include "hs-playback.h"
#include "hs-window-private.h"

#define MARK_BREAKPOINT "hs-breakpoint"
#define DEFAULT_SPEED   2.0   /* steps per second */

static GArray *
list_breakpoint_lines (HsWindow *self)
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

guint *
hs_window_dup_breakpoints (HsWindow *self,
                           guint    *n_lines)
{
  GArray *lines;

  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  g_return_val_if_fail (n_lines != NULL, NULL);

  lines = list_breakpoint_lines (self);
  *n_lines = lines->len;
  return (guint *) (gpointer) g_array_free (lines, FALSE);
}

/* LINE counts from 1, as the trace and the gutter do. */
void
hs_window_toggle_breakpoint (HsWindow *self,
                             guint     line)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  GSList *marks;

  g_return_if_fail (HS_IS_WINDOW (self));

  buffer = GTK_TEXT_BUFFER (self->buffer);
  if (line == 0 || line > (guint) gtk_text_buffer_get_line_count (buffer))
    return;

  gtk_text_buffer_get_iter_at_line (buffer, &iter, line - 1);
  marks = gtk_source_buffer_get_source_marks_at_line (self->buffer, line - 1, MARK_BREAKPOINT);
  if (marks != NULL)
    {
      GtkTextIter end = iter;

      gtk_text_iter_forward_to_line_end (&end);
      gtk_source_buffer_remove_source_marks (self->buffer, &iter, &end, MARK_BREAKPOINT);
    }
  else
    hs_window_add_line_mark (self, MARK_BREAKPOINT, &iter);
  g_slist_free (marks);
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
    hs_window_toggle_breakpoint (self, gtk_text_iter_get_line (iter) + 1);
}

static guint
cursor_line (HsWindow *self)
{
  GtkTextIter iter;

  g_assert (HS_IS_WINDOW (self));

  gtk_text_buffer_get_iter_at_mark (GTK_TEXT_BUFFER (self->buffer), &iter,
                                    gtk_text_buffer_get_insert (GTK_TEXT_BUFFER (self->buffer)));
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

static char *
describe_stop (HsWindow     *self,
               const HsStop *stop)
{
  g_autofree char *what = NULL;

  g_assert (HS_IS_WINDOW (self));

  switch (stop->reason)
    {
    case HS_STOP_BREAKPOINT:
      return g_strdup_printf (_("Stopped at the breakpoint on line %u"), stop->line);

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
  SearchKind  kind;
} Search;

static void
search_free (Search *search)
{
  g_object_unref (search->window);
  g_object_unref (search->trace);
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
          g_autofree char *message =
            g_strdup_printf (_("The program does not reach line %u after this step"), search->line);

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
  g_autoptr(GArray) lines = NULL;
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
      lines = g_array_new (FALSE, FALSE, sizeof (guint));
      search->line = cursor_line (self);
      g_array_append_val (lines, search->line);
    }
  else
    {
      lines = list_breakpoint_lines (self);
      watch_ref = self->watch_ref;
    }

  /* The steps near this one at once, the rest in a thread. */
  if (forward)
    bound = self->n_steps - 1 - self->step > SEARCH_AT_ONCE ? self->step + SEARCH_AT_ONCE : self->n_steps - 1;
  else
    bound = self->step > SEARCH_AT_ONCE ? self->step - SEARCH_AT_ONCE : 0;
  if (hs_playback_find (self->trace, self->step, forward, bound, (const guint *) (gpointer) lines->data,
                        lines->len, watch_ref, NULL, &stop))
    search_finish (search, TRUE, &stop);
  else if (bound == (forward ? self->n_steps - 1 : 0))
    search_finish (search, FALSE, &stop);
  else
    {
      self->playback_search = g_cancellable_new ();
      hs_playback_find_async (self->trace, bound, forward,
                              (const guint *) (gpointer) lines->data, lines->len, watch_ref,
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

  hs_window_toggle_breakpoint (self, cursor_line (self));
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
    g_autoptr(GArray) lines = list_breakpoint_lines (self);
    HsStop stop;

    /* Only the step just shown is checked: each frame's cost is one
     * step's, however long the trace. */
    if (next + 1 < self->n_steps &&
        hs_playback_find (self->trace, next - 1, TRUE, next, (guint *) (gpointer) lines->data,
                          lines->len, self->watch_ref, NULL, &stop))
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
  gtk_source_view_set_mark_attributes (self->source_view, MARK_BREAKPOINT, breakpoint, 5);
  {
    g_autoptr(GMenu) menu = g_menu_new ();

    g_menu_append (menu, _("Toggle Breakpoint"), "win.toggle-breakpoint");
    g_menu_append (menu, _("Run to Cursor"), "win.run-to-cursor");
    gtk_text_view_set_extra_menu (GTK_TEXT_VIEW (self->source_view), G_MENU_MODEL (menu));
  }
  g_signal_connect_object (self->source_view, "line-mark-activated",
                           G_CALLBACK (line_mark_activated_cb), self, 0);
  g_signal_connect_object (self->lesson_panel, "notify::predicting",
                           G_CALLBACK (predicting_changed_cb), self, G_CONNECT_SWAPPED);
}
