/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-preferences"

#include "config.h"

#include "hs-preferences-window.h"

struct _HsPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkAdjustment        *font_size_adjustment;
  GtkAdjustment        *zoom_adjustment;
  GtkAdjustment        *element_cap_adjustment;
  GtkSwitch            *hidden_switch;
};

G_DEFINE_FINAL_TYPE (HsPreferencesWindow, hs_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

HsPreferencesWindow *
hs_preferences_window_new (GSettings *settings)
{
  HsPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (HS_TYPE_PREFERENCES_WINDOW, NULL);
  g_settings_bind (settings, "editor-font-size", self->font_size_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "graph-zoom", self->zoom_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "element-cap", self->element_cap_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "show-hidden-references", self->hidden_switch, "active", G_SETTINGS_BIND_DEFAULT);
  return self;
}

static void
hs_preferences_window_class_init (HsPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heapscope/Heapscope/hs-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, font_size_adjustment);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, zoom_adjustment);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, element_cap_adjustment);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, hidden_switch);
}

static void
hs_preferences_window_init (HsPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
