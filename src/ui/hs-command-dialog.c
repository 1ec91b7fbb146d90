/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-command-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "hs-command-dialog.h"

struct _HsCommandDialog
{
  AdwMessageDialog  parent_instance;

  AdwEntryRow      *name_row;
  GtkListBox       *name_list;
  GtkLabel         *code_label;

  HsCommandKind     kind;
  char             *source_name;
  char            **imported;
};

G_DEFINE_FINAL_TYPE (HsCommandDialog, hs_command_dialog, ADW_TYPE_MESSAGE_DIALOG)

static const char * const keywords[] = {
  "False", "None", "True", "and", "as", "assert", "async", "await", "break",
  "class", "continue", "def", "del", "elif", "else", "except", "finally",
  "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
  "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
};

gboolean
hs_command_is_identifier (const char *name)
{
  if (name == NULL || !(g_ascii_isalpha (name[0]) || name[0] == '_'))
    return FALSE;

  for (const char *c = name; *c; c++)
    if (!(g_ascii_isalnum (*c) || *c == '_'))
      return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    if (g_str_equal (name, keywords[i]))
      return FALSE;

  return TRUE;
}

gboolean
hs_command_needs_target (HsCommandKind kind)
{
  return kind == HS_COMMAND_ASSIGN || kind == HS_COMMAND_SLICE_COPY ||
         kind == HS_COMMAND_COPY || kind == HS_COMMAND_DEEPCOPY;
}

static gboolean
is_imported (const char * const *imported,
             const char         *module)
{
  return imported != NULL && g_strv_contains (imported, module);
}

/* The Python a command runs.  It names a module the program imported;
 * else it asks for the module without binding a name (__import__), so
 * that the snippet still runs as typed in python3 while the graph gains
 * no variable and no module box for a learner to click by mistake, and
 * no name of the learner's ("copy" is a likely one in a lesson on
 * copies) is rebound. */
char *
hs_command_build_source (HsCommandKind       kind,
                         const char         *source_name,
                         const char         *target_name,
                         const char * const *imported)
{
  const char *copy = is_imported (imported, "copy") ? "copy" : "__import__('copy')";

  switch (kind)
    {
    case HS_COMMAND_ASSIGN:
      return g_strdup_printf ("%s = %s", target_name, source_name);
    case HS_COMMAND_SLICE_COPY:
      return g_strdup_printf ("%s = %s[:]", target_name, source_name);
    case HS_COMMAND_COPY:
      return g_strdup_printf ("%s = %s.copy(%s)", target_name, copy, source_name);
    case HS_COMMAND_DEEPCOPY:
      return g_strdup_printf ("%s = %s.deepcopy(%s)", target_name, copy, source_name);
    case HS_COMMAND_DEL:
      return g_strdup_printf ("del %s", source_name);
    case HS_COMMAND_GC_COLLECT:
      return g_strdup (is_imported (imported, "gc") ? "gc.collect()" : "__import__('gc').collect()");
    case HS_COMMAND_STATEMENT:
    default:
      return g_strdup (source_name);
    }
}

char *
hs_command_dialog_dup_source (HsCommandDialog *self)
{
  g_return_val_if_fail (HS_IS_COMMAND_DIALOG (self), NULL);

  return hs_command_build_source (self->kind, self->source_name,
                                  hs_command_dialog_get_target (self),
                                  (const char * const *) self->imported);
}

static void
name_changed_cb (HsCommandDialog *self)
{
  g_autofree char *source = NULL;
  gboolean valid = TRUE;

  g_assert (HS_IS_COMMAND_DIALOG (self));

  if (hs_command_needs_target (self->kind))
    {
      valid = hs_command_is_identifier (hs_command_dialog_get_target (self));
      if (valid)
        gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
      else
        gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
    }

  source = hs_command_dialog_dup_source (self);
  gtk_label_set_label (self->code_label, source);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "run", valid);
}

static const char *
command_heading (HsCommandKind kind)
{
  switch (kind)
    {
    case HS_COMMAND_ASSIGN: return _("Assign");
    case HS_COMMAND_SLICE_COPY: return _("Slice Copy");
    case HS_COMMAND_COPY: return _("Shallow Copy");
    case HS_COMMAND_DEEPCOPY: return _("Deep Copy");
    case HS_COMMAND_DEL: return _("Delete a Name");
    case HS_COMMAND_GC_COLLECT: return _("Collect Garbage");
    case HS_COMMAND_STATEMENT:
    default: return _("Run a Statement");
    }
}

static char *
command_body (HsCommandKind  kind,
              const char    *source)
{
  switch (kind)
    {
    case HS_COMMAND_ASSIGN:
      return g_strdup_printf (_("A new name for the object “%s” names. No object is copied: both names then refer to the same object."), source);
    case HS_COMMAND_SLICE_COPY:
      return g_strdup_printf (_("A new sequence with the same elements as “%s”. The elements themselves are shared, not copied."), source);
    case HS_COMMAND_COPY:
      return g_strdup_printf (_("A new container with the same elements as “%s”. The elements themselves are shared, not copied."), source);
    case HS_COMMAND_DEEPCOPY:
      return g_strdup_printf (_("A new container holding copies of everything “%s” reaches, except immutable objects, which stay shared."), source);
    case HS_COMMAND_DEL:
      return g_strdup_printf (_("Removes the name “%s”. The object goes only when nothing else refers to it."), source);
    case HS_COMMAND_GC_COLLECT:
      return g_strdup (_("Runs the cycle collector, which frees objects that only refer to each other."));
    case HS_COMMAND_STATEMENT:
    default:
      return NULL;
    }
}

HsCommandDialog *
hs_command_dialog_new (GtkWindow          *parent,
                       HsCommandKind       kind,
                       const char         *source_name,
                       const char         *target_name,
                       const char * const *imported)
{
  HsCommandDialog *self;
  g_autofree char *body = NULL;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);

  body = command_body (kind, source_name);
  self = g_object_new (HS_TYPE_COMMAND_DIALOG,
                       "transient-for", parent,
                       "heading", command_heading (kind),
                       "body", body,
                       NULL);
  self->kind = kind;
  self->source_name = g_strdup (source_name);
  self->imported = g_strdupv ((char **) imported);

  gtk_widget_set_visible (GTK_WIDGET (self->name_list), hs_command_needs_target (kind));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), target_name ? target_name : "");
  name_changed_cb (self);

  if (hs_command_needs_target (kind))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      gtk_editable_select_region (GTK_EDITABLE (self->name_row), 0, -1);
    }
  return self;
}

HsCommandKind
hs_command_dialog_get_kind (HsCommandDialog *self)
{
  g_return_val_if_fail (HS_IS_COMMAND_DIALOG (self), HS_COMMAND_STATEMENT);

  return self->kind;
}

const char *
hs_command_dialog_get_target (HsCommandDialog *self)
{
  g_return_val_if_fail (HS_IS_COMMAND_DIALOG (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->name_row));
}

void
hs_command_dialog_set_target (HsCommandDialog *self,
                              const char      *name)
{
  g_return_if_fail (HS_IS_COMMAND_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
}

static void
hs_command_dialog_finalize (GObject *object)
{
  HsCommandDialog *self = (HsCommandDialog *) object;

  g_free (self->source_name);
  g_strfreev (self->imported);

  G_OBJECT_CLASS (hs_command_dialog_parent_class)->finalize (object);
}

static void
hs_command_dialog_class_init (HsCommandDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = hs_command_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heapscope/Heapscope/hs-command-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HsCommandDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, HsCommandDialog, name_list);
  gtk_widget_class_bind_template_child (widget_class, HsCommandDialog, code_label);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
}

static void
hs_command_dialog_init (HsCommandDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
