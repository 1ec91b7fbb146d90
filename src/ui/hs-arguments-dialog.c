/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-arguments-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "hs-arguments-dialog.h"

struct _HsArgumentsDialog
{
  AdwMessageDialog  parent_instance;

  AdwEntryRow      *arguments_row;
  GtkLabel         *error_label;
  GtkTextView      *input_view;
};

G_DEFINE_FINAL_TYPE (HsArgumentsDialog, hs_arguments_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* The words of text as a shell splits them; none for blank text.  Bad
 * quoting is an error saying where the shell stopped. */
gboolean
hs_arguments_parse (const char   *text,
                    char       ***argv,
                    GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *blank = g_strstrip (g_strdup (text != NULL ? text : ""));

  g_return_val_if_fail (argv != NULL, FALSE);

  *argv = NULL;
  if (blank[0] == '\0')
    {
      *argv = g_new0 (char *, 1);
      return TRUE;
    }
  if (!g_shell_parse_argv (text, NULL, argv, &local_error))
    {
      /* Translators: the arguments typed could not be split into words; then GLib's reason */
      g_set_error (error, local_error->domain, local_error->code, _("Unfinished quoting: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
arguments_changed_cb (HsArgumentsDialog *self)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_assert (HS_IS_ARGUMENTS_DIALOG (self));

  ok = hs_arguments_parse (gtk_editable_get_text (GTK_EDITABLE (self->arguments_row)), &argv, &error);
  gtk_label_set_label (self->error_label, ok ? "" : error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), !ok);
  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->arguments_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->arguments_row), "error");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "apply", ok);
}

static void
hs_arguments_dialog_class_init (HsArgumentsDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heapscope/Heapscope/hs-arguments-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HsArgumentsDialog, arguments_row);
  gtk_widget_class_bind_template_child (widget_class, HsArgumentsDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, HsArgumentsDialog, input_view);
  gtk_widget_class_bind_template_callback (widget_class, arguments_changed_cb);
}

static void
hs_arguments_dialog_init (HsArgumentsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

HsArgumentsDialog *
hs_arguments_dialog_new (GtkWindow  *parent,
                         const char *arguments,
                         const char *input)
{
  HsArgumentsDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (HS_TYPE_ARGUMENTS_DIALOG, "transient-for", parent, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->arguments_row), arguments != NULL ? arguments : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->input_view), input != NULL ? input : "", -1);
  arguments_changed_cb (self);
  return self;
}

const char *
hs_arguments_dialog_get_arguments (HsArgumentsDialog *self)
{
  g_return_val_if_fail (HS_IS_ARGUMENTS_DIALOG (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->arguments_row));
}

char *
hs_arguments_dialog_dup_input (HsArgumentsDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (HS_IS_ARGUMENTS_DIALOG (self), NULL);

  buffer = gtk_text_view_get_buffer (self->input_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}
