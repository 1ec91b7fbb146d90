/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's "Arguments and Input…": what the program gets in sys.argv
 * and on its standard input, remembered per file (hs-program-input.c) and
 * kept in a saved run.
 */
#define G_LOG_DOMAIN "heapscope-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hs-arguments-dialog.h"
#include "hs-program-input.h"
#include "hs-window-private.h"

/* The file's remembered arguments and input, or none for a new snippet. */
void
hs_window_load_program_input (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  g_clear_pointer (&self->run_arguments, g_free);
  g_clear_pointer (&self->run_input, g_free);
  if (self->file != NULL)
    hs_program_input_load (self->file, &self->run_arguments, &self->run_input);
}

/* A saved run's arguments and input, quoted back into one line. */
void
hs_window_take_program_input (HsWindow *self,
                              HsTrace  *trace)
{
  const char * const *args;
  g_autoptr(GString) line = g_string_new (NULL);

  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (HS_IS_TRACE (trace));

  args = hs_trace_get_args (trace);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    {
      g_autofree char *quoted = g_shell_quote (args[i]);

      if (i > 0)
        g_string_append_c (line, ' ');
      g_string_append (line, quoted);
    }
  g_free (self->run_arguments);
  self->run_arguments = g_string_free (g_steal_pointer (&line), FALSE);
  g_free (self->run_input);
  self->run_input = g_strdup (hs_trace_get_input (trace));
}

/* Fills in the run's arguments and, written to a file in the window's run
 * folder, its standard input.  FALSE, with a toast, when they cannot be. */
gboolean
hs_window_prepare_program_input (HsWindow     *self,
                                 HsRunOptions *options,
                                 char       ***args,
                                 char        **stdin_path)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (options != NULL && args != NULL && stdin_path != NULL, FALSE);

  if (!hs_arguments_parse (self->run_arguments, args, &error))
    {
      hs_window_toast (self, error->message);
      return FALSE;
    }
  options->args = (const char * const *) *args;
  if (self->run_input == NULL || self->run_input[0] == '\0')
    return TRUE;
  if (self->run_dir == NULL && !(self->run_dir = g_dir_make_tmp ("heapscope-XXXXXX", &error)))
    {
      hs_window_toast (self, error->message);
      return FALSE;
    }
  *stdin_path = g_build_filename (self->run_dir, "stdin.txt", NULL);
  if (!g_file_set_contents (*stdin_path, self->run_input, -1, &error))
    {
      hs_window_toast (self, error->message);
      return FALSE;
    }
  options->stdin_path = *stdin_path;
  return TRUE;
}

static void
arguments_response_cb (HsArgumentsDialog *dialog,
                       const char        *response,
                       HsWindow          *self)
{
  g_assert (HS_IS_ARGUMENTS_DIALOG (dialog));
  g_assert (HS_IS_WINDOW (self));

  if (self->arguments_dialog == dialog)
    self->arguments_dialog = NULL;
  if (!g_str_equal (response, "apply"))
    return;
  g_free (self->run_arguments);
  self->run_arguments = g_strdup (hs_arguments_dialog_get_arguments (dialog));
  g_free (self->run_input);
  self->run_input = hs_arguments_dialog_dup_input (dialog);
  if (self->file != NULL)
    hs_program_input_save (self->file, self->run_arguments, self->run_input);
}

void
hs_window_show_arguments (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  if (self->arguments_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->arguments_dialog));
      return;
    }
  self->arguments_dialog = hs_arguments_dialog_new (GTK_WINDOW (self), self->run_arguments, self->run_input);
  g_signal_connect_object (self->arguments_dialog, "response", G_CALLBACK (arguments_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (self->arguments_dialog));
}
