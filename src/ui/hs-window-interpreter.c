/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-window"

#include "config.h"

#include <glib/gi18n.h>

#include "hs-compare-window.h"
#include "hs-interpreters.h"
#include "hs-window-private.h"

/* Which CPython runs the snippet (issue 11): the header bar's chooser,
 * the window's "python" action behind it, the choice remembered per
 * snippet, and the compare view it opens. */

static char *
document_key (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  return hs_interpreters_key (self->file, self->file ? NULL : self->title);
}

static void
show_python (HsWindow   *self,
             const char *version)
{
  GAction *action;

  g_assert (HS_IS_WINDOW (self));

  g_free (self->python);
  self->python = g_strdup (version);
  hs_interpreter_chooser_set_version (self->interpreter_chooser, version);
  if ((action = g_action_map_lookup_action (G_ACTION_MAP (self), "python")) != NULL && version != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (version));
}

static void
python_action (GSimpleAction *action,
               GVariant      *value,
               gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  const char *version = g_variant_get_string (value, NULL);
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (HS_IS_WINDOW (self));

  if (!g_strv_contains ((const char * const *) self->pythons, version))
    {
      g_autofree char *message = g_strdup_printf (_("There is no worker for Python %s"), version);

      hs_window_toast (self, message);
      return;
    }
  if (g_strcmp0 (self->python, version) == 0)
    return;

  show_python (self, version);
  if ((key = document_key (self)) != NULL && !hs_interpreters_remember (key, version, &error))
    g_warning ("Cannot remember the interpreter: %s", error->message);

  /* What is on screen came from the other interpreter: run again, once
   * the run under way has stopped. */
  if (self->busy)
    {
      self->rerun_pending = TRUE;
      hs_window_stop (self);
    }
  else
    hs_window_run (self);
}

static void
busy_changed_cb (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  if (!self->busy && self->rerun_pending)
    {
      self->rerun_pending = FALSE;
      hs_window_run (self);
    }
}

static void
compare_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  g_autofree char *other = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  GtkWindow *window;

  g_assert (HS_IS_WINDOW (self));

  if (!(other = hs_interpreters_other (self->python, (const char * const *) self->pythons)))
    {
      hs_window_toast (self, _("Only one Python interpreter has a worker: there is nothing to compare with"));
      return;
    }

  /* As a run would: a saved file where it is, with its text if edited; a
   * new snippet from the view's own copy of its text.  The view opens
   * where the window is, or at the first difference when the window is
   * at the start. */
  if (self->file != NULL && g_file_is_native (self->file))
    path = g_file_get_path (self->file);
  if (path == NULL || gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer)))
    text = hs_window_dup_text (self);

  window = hs_compare_window_new (GTK_WINDOW (self), hs_window_get_display_name (self), path, text,
                                  self->python, other, g_settings_get_uint (self->settings, "element-cap"),
                                  self->trace != NULL && self->step > 0 ? self->step : HS_TRACE_COMPARE_NONE);
  gtk_window_present (window);
}

static const GActionEntry interpreter_actions[] = {
  { "python", NULL, "s", "''", python_action },
  { "compare-interpreters", compare_action },
};

void
hs_window_init_interpreter (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  self->pythons = hs_interpreters_list ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), interpreter_actions,
                                   G_N_ELEMENTS (interpreter_actions), self);
  g_signal_connect (self, "notify::busy", G_CALLBACK (busy_changed_cb), NULL);
  hs_interpreter_chooser_set_available (self->interpreter_chooser, (const char * const *) self->pythons);
  /* With no versioned worker, the plain one runs and there is no choice. */
  gtk_widget_set_visible (GTK_WIDGET (self->interpreter_chooser), self->pythons[0] != NULL);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "compare-interpreters")),
                               g_strv_length (self->pythons) > 1);
  hs_window_interpreter_document_changed (self);
}

void
hs_window_dispose_interpreter (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  g_clear_pointer (&self->pythons, g_strfreev);
  g_clear_pointer (&self->python, g_free);
}

/* A new document brings back the interpreter chosen for it. */
void
hs_window_interpreter_document_changed (HsWindow *self)
{
  g_autofree char *key = NULL;
  g_autofree char *version = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));

  if (self->pythons == NULL || self->pythons[0] == NULL)
    return;
  key = document_key (self);
  version = hs_interpreters_lookup (key, (const char * const *) self->pythons);
  show_python (self, version);
}

/* Saved under a new name, the snippet keeps the interpreter it had. */
void
hs_window_interpreter_document_renamed (HsWindow *self)
{
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));

  if (self->python != NULL && (key = document_key (self)) != NULL &&
      !hs_interpreters_remember (key, self->python, &error))
    g_warning ("Cannot remember the interpreter: %s", error->message);
}

/* The lessons on refcounts and on small values differ most between
 * versions: offer to see how, when there is another interpreter. */
void
hs_window_interpreter_offer_compare (HsWindow *self,
                                     HsLesson *lesson)
{
  g_autofree char *other = NULL;
  g_autofree char *title = NULL;
  const char *id;
  AdwToast *toast;

  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (HS_IS_LESSON (lesson));

  id = hs_lesson_get_id (lesson);
  if (!g_str_equal (id, "refcounts") && !g_str_equal (id, "reuse"))
    return;
  if (!(other = hs_interpreters_other (self->python, (const char * const *) self->pythons)))
    return;

  /* Translators: offered by the lessons on refcounts and small values */
  title = g_strdup_printf (_("Python %s counts these objects differently"), other);
  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Compare"));
  adw_toast_set_action_name (toast, "win.compare-interpreters");
  adw_toast_set_timeout (toast, 10);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

const char *
hs_window_get_python (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);

  return self->python;
}
