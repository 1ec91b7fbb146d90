/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-interpreter-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "hs-interpreter-chooser.h"

struct _HsInterpreterChooser
{
  GtkWidget   parent_instance;

  GtkWidget  *button;
  char       *version;
};

enum {
  PROP_0,
  PROP_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HsInterpreterChooser, hs_interpreter_chooser, GTK_TYPE_WIDGET)

static void
update_label (HsInterpreterChooser *self)
{
  g_autofree char *label = NULL;

  g_assert (HS_IS_INTERPRETER_CHOOSER (self));

  /* Translators: the header bar's interpreter chooser, e.g. "Python 3.13" */
  label = self->version ? g_strdup_printf (_("Python %s"), self->version) : g_strdup (_("Python"));
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->button), label);
}

void
hs_interpreter_chooser_set_available (HsInterpreterChooser *self,
                                      const char * const   *versions)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) interpreters = g_menu_new ();
  guint n;

  g_return_if_fail (HS_IS_INTERPRETER_CHOOSER (self));
  g_return_if_fail (versions != NULL);

  for (n = 0; versions[n] != NULL; n++)
    {
      g_autofree char *label = g_strdup_printf (_("Python %s"), versions[n]);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.python", g_variant_new_string (versions[n]));
      g_menu_append_item (interpreters, item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (interpreters));
  if (n > 1)
    {
      g_autoptr(GMenu) compare = g_menu_new ();

      g_menu_append (compare, _("_Compare Two Interpreters…"), "win.compare-interpreters");
      g_menu_append_section (menu, NULL, G_MENU_MODEL (compare));
    }
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->button), G_MENU_MODEL (menu));
}

const char *
hs_interpreter_chooser_get_version (HsInterpreterChooser *self)
{
  g_return_val_if_fail (HS_IS_INTERPRETER_CHOOSER (self), NULL);

  return self->version;
}

void
hs_interpreter_chooser_set_version (HsInterpreterChooser *self,
                                    const char           *version)
{
  g_return_if_fail (HS_IS_INTERPRETER_CHOOSER (self));

  if (g_strcmp0 (self->version, version) == 0)
    return;
  g_free (self->version);
  self->version = g_strdup (version);
  update_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
}

GtkWidget *
hs_interpreter_chooser_new (void)
{
  return g_object_new (HS_TYPE_INTERPRETER_CHOOSER, NULL);
}

static void
hs_interpreter_chooser_dispose (GObject *object)
{
  HsInterpreterChooser *self = HS_INTERPRETER_CHOOSER (object);

  g_clear_pointer (&self->button, gtk_widget_unparent);
  G_OBJECT_CLASS (hs_interpreter_chooser_parent_class)->dispose (object);
}

static void
hs_interpreter_chooser_finalize (GObject *object)
{
  HsInterpreterChooser *self = HS_INTERPRETER_CHOOSER (object);

  g_free (self->version);
  G_OBJECT_CLASS (hs_interpreter_chooser_parent_class)->finalize (object);
}

static void
hs_interpreter_chooser_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HsInterpreterChooser *self = HS_INTERPRETER_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_interpreter_chooser_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  HsInterpreterChooser *self = HS_INTERPRETER_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_VERSION:
      hs_interpreter_chooser_set_version (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_interpreter_chooser_class_init (HsInterpreterChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_interpreter_chooser_dispose;
  object_class->finalize = hs_interpreter_chooser_finalize;
  object_class->get_property = hs_interpreter_chooser_get_property;
  object_class->set_property = hs_interpreter_chooser_set_property;

  properties[PROP_VERSION] =
    g_param_spec_string ("version", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "interpreterchooser");
}

static void
hs_interpreter_chooser_init (HsInterpreterChooser *self)
{
  self->button = gtk_menu_button_new ();
  gtk_widget_set_tooltip_text (self->button, _("The Python That Runs the Snippet"));
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
  update_label (self);
}
