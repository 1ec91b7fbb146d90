/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * HsWindow's presentation mode for lectures: full screen, the snippet
 * beside a maximised graph, large type, thick arrows and an optional
 * high-contrast palette, stepped from the keyboard or a presentation
 * clicker (which sends Page Up and Page Down).  With the hold on, a step
 * forward first shows the step with what it made, changed or freed left
 * blank, so the room can predict it; the next press reveals it.
 */
#define G_LOG_DOMAIN "heapscope-window-presentation"

#include "config.h"

#include <glib/gi18n.h>

#include "hs-window-private.h"

#define LINE_SCALE 2.5
/* A room reads a projected graph from afar: on a 1080-line projector box
 * text is kept about 1.6 times as large as at a desk, and a small graph
 * may grow to twice its natural size to fill the pane.  What the room
 * reads is the text's share of the picture, so on a 768-line projector
 * it is smaller in pixels, and the changed objects still fit. */
#define READABLE_SCALE 1.6
#define READABLE_SCREEN_HEIGHT 1080.0
#define MAX_FOLLOW_ZOOM 2.0
#define EDITOR_MAX_WIDTH 400  /* as hs-window.ui has it */
/* The graph's least width while presenting: the inspector is put away,
 * and the large snippet (a third of the screen) stays beside the graph
 * on a 1024 px projector.  At a desk it is hs-window.ui's, which folds
 * the editor below about 990 px (the inspector folds at a breakpoint:
 * hs_window_size_allocate()). */
#define PRESENTING_GRAPH_WIDTH 560
/* In full screen the header bar slides in when the pointer comes this
 * near the top edge, and away when it leaves the bar by this much. */
#define HEADER_EDGE 4
#define HEADER_SLACK 24

/* Above the editor's font-size setting, which is application-level too;
 * the type grows with the screen: 15pt on 1024 pixels, 22pt on 1920. */
static GtkCssProvider *presentation_css;

static void
load_presentation_css (int width)
{
  g_autofree char *css = NULL;
  int size = CLAMP (width / 88, 14, 26);

  if (presentation_css == NULL)
    {
      presentation_css = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (presentation_css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }
  css = g_strdup_printf ("window.presentation textview.snippet { font-size: %dpt; }\n"
                         "window.presentation textview.output { font-size: %dpt; }\n"
                         "window.presentation label.step-label { font-size: %dpt; }\n"
                         "window.presentation .lesson-panel label,"
                         " window.presentation .lesson-panel button { font-size: %dpt; }\n",
                         size, size * 3 / 4, size * 3 / 4, size * 3 / 4);
  gtk_css_provider_load_from_data (presentation_css, css, -1);
}

static void
apply_graph_style (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  if (self->presenting)
    hs_graph_view_set_presentation (self->graph_view, LINE_SCALE, self->high_contrast, self->holding);
  else
    hs_graph_view_set_presentation (self->graph_view, 1, FALSE, FALSE);
}

/* The graph gets its full-screen size a few frames after the window asks
 * for it: fit once its width has settled. */
static gboolean
fit_when_settled_cb (GtkWidget     *widget,
                     GdkFrameClock *clock,
                     gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  int width = gtk_widget_get_width (widget);

  if (width != self->fit_width || width == 0)
    {
      self->fit_width = width;
      self->fit_frames = 0;
      return G_SOURCE_CONTINUE;
    }
  if (++self->fit_frames < 3)
    return G_SOURCE_CONTINUE;

  hs_graph_view_frame_step (self->graph_view);
  self->fit_tick = 0;
  return G_SOURCE_REMOVE;
}

/* The width the window will have once full screen. */
static gboolean
screen_geometry (HsWindow     *self,
                 GdkRectangle *geometry)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));
  GdkMonitor *monitor = NULL;

  g_assert (HS_IS_WINDOW (self));

  if (surface != NULL)
    monitor = gdk_display_get_monitor_at_surface (gdk_display_get_default (), surface);
  if (monitor == NULL)
    return FALSE;
  gdk_monitor_get_geometry (monitor, geometry);
  return TRUE;
}

/* The screen's size, or the window's when there is no monitor yet */
static void
screen_size (HsWindow *self,
             int      *width,
             int      *height)
{
  GdkRectangle geometry;

  g_assert (HS_IS_WINDOW (self));

  if (!screen_geometry (self, &geometry))
    {
      geometry.width = gtk_widget_get_width (GTK_WIDGET (self));
      geometry.height = gtk_widget_get_height (GTK_WIDGET (self));
    }
  *width = geometry.width;
  *height = geometry.height;
}

static int
screen_width (HsWindow *self)
{
  int width, height;

  screen_size (self, &width, &height);
  return width;
}

static int
screen_height (HsWindow *self)
{
  int width, height;

  screen_size (self, &width, &height);
  return height;
}

/* WIDTH -1 gives the editor back its usual width. */
static void
set_editor_width (HsWindow *self,
                  int       width)
{
  GtkWidget *flap = adw_flap_get_flap (self->editor_flap);

  g_assert (HS_IS_WINDOW (self));

  gtk_widget_set_size_request (flap, width, -1);
  if (ADW_IS_CLAMP (flap))
    {
      adw_clamp_set_maximum_size (ADW_CLAMP (flap), width > 0 ? width : EDITOR_MAX_WIDTH);
      adw_clamp_set_tightening_threshold (ADW_CLAMP (flap), width > 0 ? width : EDITOR_MAX_WIDTH);
    }
}

static void
fit_soon (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  self->fit_width = -1;
  if (self->fit_tick == 0)
    self->fit_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->graph_view),
                                                   fit_when_settled_cb, self, NULL);
}

/* On a small projector the presenter hides the snippet (F9) to give the
 * graph the whole width: fit it again. */
static void
editor_revealed_cb (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  if (self->presenting)
    fit_soon (self);
}

/* In full screen the header bar hides, as GNOME apps do, and slides in
 * when the pointer reaches the top edge. */
static gboolean
header_hides (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  return self->presenting || gtk_window_is_fullscreen (GTK_WINDOW (self));
}

static void
update_header (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  gtk_revealer_set_reveal_child (self->header_revealer, !header_hides (self));
}

void
hs_window_presentation_pointer (HsWindow *self,
                                double    y)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  if (!header_hides (self))
    return;
  if (y <= HEADER_EDGE)
    gtk_revealer_set_reveal_child (self->header_revealer, TRUE);
  else if (gtk_revealer_get_reveal_child (self->header_revealer) &&
           y > gtk_widget_get_height (GTK_WIDGET (self->header_revealer)) + HEADER_SLACK)
    gtk_revealer_set_reveal_child (self->header_revealer, FALSE);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           HsWindow                 *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));

  g_assert (HS_IS_WINDOW (self));

  /* A menu opened from the bar is a surface of its own: the pointer on
   * it is not below the bar. */
  if (event != NULL && gdk_event_get_surface (event) != gtk_native_get_surface (GTK_NATIVE (self)))
    return;
  hs_window_presentation_pointer (self, y);
}

static void
set_presenting (HsWindow *self,
                gboolean  presenting)
{
  g_assert (HS_IS_WINDOW (self));

  if (self->presenting == presenting)
    return;
  self->presenting = presenting;
  self->holding = FALSE;

  if (presenting)
    {
      GdkRectangle geometry;

      self->saved_zoom = hs_graph_view_get_zoom (self->graph_view);
      self->saved_inspector = adw_flap_get_reveal_flap (self->inspector_flap);
      self->saved_readable_px = hs_graph_view_get_readable_text_px (self->graph_view);
      self->saved_max_zoom = hs_graph_view_get_max_follow_zoom (self->graph_view);
      hs_graph_view_set_readable_text_px (self->graph_view, self->saved_readable_px *
                                          MAX (1.0, READABLE_SCALE * screen_height (self) / READABLE_SCREEN_HEIGHT));
      hs_graph_view_set_max_follow_zoom (self->graph_view, MAX_FOLLOW_ZOOM);

      load_presentation_css (screen_width (self));
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      /* The screen's size too, for a display with no window manager to
       * honour full screen (a kiosk, a projector's own machine). */
      gtk_window_get_default_size (GTK_WINDOW (self), &self->saved_width, &self->saved_height);
      if (screen_geometry (self, &geometry))
        gtk_window_set_default_size (GTK_WINDOW (self), geometry.width, geometry.height);
      gtk_window_fullscreen (GTK_WINDOW (self));
      adw_flap_set_reveal_flap (self->editor_flap, TRUE);
      /* The snippet in large type needs about a third of the screen. */
      set_editor_width (self, MAX (360, screen_width (self) / 3));
      gtk_widget_get_size_request (self->graph_box, &self->saved_graph_width, NULL);
      gtk_widget_set_size_request (self->graph_box, PRESENTING_GRAPH_WIDTH, -1);
      /* Folded flaps open themselves when the window widens: not here. */
      adw_flap_set_fold_policy (self->inspector_flap, ADW_FLAP_FOLD_POLICY_NEVER);
      adw_flap_set_reveal_flap (self->inspector_flap, FALSE);
      gtk_widget_set_visible (self->command_bar, FALSE);
      gtk_text_view_set_editable (GTK_TEXT_VIEW (self->source_view), FALSE);
      /* In large type a long line would run off the room's screen. */
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->source_view), GTK_WRAP_WORD_CHAR);
      gtk_widget_grab_focus (GTK_WIDGET (self->graph_view));
      fit_soon (self);
    }
  else
    {
      if (self->fit_tick != 0)
        gtk_widget_remove_tick_callback (GTK_WIDGET (self->graph_view), self->fit_tick);
      self->fit_tick = 0;
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      set_editor_width (self, -1);
      gtk_widget_set_size_request (self->graph_box, self->saved_graph_width, -1);
      gtk_window_unfullscreen (GTK_WINDOW (self));
      gtk_window_set_default_size (GTK_WINDOW (self), self->saved_width, self->saved_height);
      adw_flap_set_fold_policy (self->inspector_flap, ADW_FLAP_FOLD_POLICY_AUTO);
      adw_flap_set_reveal_flap (self->inspector_flap, self->saved_inspector);
      gtk_widget_set_visible (self->command_bar, TRUE);
      gtk_text_view_set_editable (GTK_TEXT_VIEW (self->source_view), !self->busy);
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->source_view), GTK_WRAP_NONE);
      hs_graph_view_set_readable_text_px (self->graph_view, self->saved_readable_px);
      hs_graph_view_set_max_follow_zoom (self->graph_view, self->saved_max_zoom);
      hs_graph_view_set_zoom (self->graph_view, self->saved_zoom);
    }
  update_header (self);
  apply_graph_style (self);
}

gboolean
hs_window_get_presenting (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);

  return self->presenting;
}

/* One press of the clicker: reveal what is held, else the next step
 * (held, when the hold is on). */
void
hs_window_presentation_forward (HsWindow *self)
{
  guint step;

  g_return_if_fail (HS_IS_WINDOW (self));

  if (self->holding)
    {
      self->holding = FALSE;
      apply_graph_style (self);
      return;
    }
  if (self->busy || self->trace == NULL || self->step + 1 >= self->n_steps)
    return;

  step = self->step;
  self->holding = self->presenting && self->hold_changes;
  apply_graph_style (self);
  hs_window_show_step (self, step + 1, TRUE);
  if (self->step == step)
    {
      /* A lesson's prediction question holds the step instead. */
      self->holding = FALSE;
      apply_graph_style (self);
    }
}

void
hs_window_presentation_back (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  self->holding = FALSE;
  apply_graph_style (self);
  if (!self->busy && self->trace != NULL && self->step > 0)
    hs_window_show_step (self, self->step - 1, TRUE);
}

gboolean
hs_window_presentation_key (HsWindow *self,
                            guint     keyval)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);

  if (!self->presenting)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
    case GDK_KEY_Right:
    case GDK_KEY_Down:
    case GDK_KEY_space:
      hs_window_presentation_forward (self);
      return TRUE;

    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
    case GDK_KEY_Left:
    case GDK_KEY_Up:
    case GDK_KEY_BackSpace:
      hs_window_presentation_back (self);
      return TRUE;

    case GDK_KEY_Home:
      self->holding = FALSE;
      apply_graph_style (self);
      hs_window_show_step (self, 0, FALSE);
      return TRUE;

    case GDK_KEY_End:
      self->holding = FALSE;
      apply_graph_style (self);
      if (self->n_steps > 0)
        hs_window_show_step (self, self->n_steps - 1, FALSE);
      return TRUE;

    case GDK_KEY_Escape:
      g_action_group_change_action_state (G_ACTION_GROUP (self), "presentation", g_variant_new_boolean (FALSE));
      return TRUE;

    default:
      return FALSE;
    }
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                HsWindow              *self)
{
  g_assert (HS_IS_WINDOW (self));

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK))
    return FALSE;
  /* The console line keeps its keys: the presenter may type a statement. */
  if (gtk_root_get_focus (GTK_ROOT (self)) == GTK_WIDGET (self->console_view))
    return FALSE;
  return hs_window_presentation_key (self, keyval);
}

static void
presentation_change_state (GSimpleAction *action,
                           GVariant      *state,
                           gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);

  set_presenting (self, g_variant_get_boolean (state));
  g_simple_action_set_state (action, state);
}

static void
contrast_change_state (GSimpleAction *action,
                       GVariant      *state,
                       gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);

  self->high_contrast = g_variant_get_boolean (state);
  apply_graph_style (self);
  g_simple_action_set_state (action, state);
}

static void
hold_change_state (GSimpleAction *action,
                   GVariant      *state,
                   gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);

  self->hold_changes = g_variant_get_boolean (state);
  if (!self->hold_changes && self->holding)
    {
      self->holding = FALSE;
      apply_graph_style (self);
    }
  g_simple_action_set_state (action, state);
}

static void
next_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  hs_window_presentation_forward (HS_WINDOW (user_data));
}

static void
back_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  hs_window_presentation_back (HS_WINDOW (user_data));
}

static const GActionEntry presentation_actions[] = {
  { "presentation-next", next_action },
  { "presentation-back", back_action },
  { "presentation", NULL, NULL, "false", presentation_change_state },
  { "high-contrast", NULL, NULL, "false", contrast_change_state },
  { "hold-changes", NULL, NULL, "false", hold_change_state },
};

void
hs_window_init_presentation (HsWindow *self)
{
  GtkEventController *keys, *motion;

  g_return_if_fail (HS_IS_WINDOW (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self), presentation_actions,
                                   G_N_ELEMENTS (presentation_actions), self);

  /* Capture, so the clicker's keys step the run even when the editor
   * has the focus; outside presentation they pass through. */
  gtk_widget_add_css_class (GTK_WIDGET (self->step_label), "step-label");

  g_signal_connect_object (self->editor_flap, "notify::reveal-flap",
                           G_CALLBACK (editor_revealed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (update_header), NULL);
  motion = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_CAPTURE);
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

void
hs_window_dispose_presentation (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  if (self->fit_tick != 0 && self->graph_view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->graph_view), self->fit_tick);
  self->fit_tick = 0;
}
