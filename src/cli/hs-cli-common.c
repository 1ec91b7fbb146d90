/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cli"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hs-cli-common.h"

/* What GOption allocated for the run options goes with the context, which
 * every verb keeps until it is done with the options it resolved. */
static void
run_args_clear (gpointer data)
{
  HsCliRunArgs *args = data;

  g_assert (args != NULL);

  g_clear_pointer (&args->stdin_path, g_free);
  g_clear_pointer (&args->python, g_free);
  g_clear_pointer (&args->step_folders, g_strfreev);
  g_clear_pointer (&args->after_dashes, g_strfreev);
  g_clear_pointer (&args->program_args, g_strfreev);
  g_clear_pointer (&args->program, g_free);
}

/* A verb's options, followed by those for running the program, which
 * every verb shares. */
GOptionContext *
hs_cli_context_new (const char         *summary,
                    const GOptionEntry *verb_entries,
                    HsCliRunArgs       *args)
{
  GOptionContext *context = g_option_context_new (summary);
  GOptionGroup *group;
  GOptionEntry entries[] = {
    { "max-steps", 0, 0, G_OPTION_ARG_INT, &args->max_steps, N_("Stop after N steps (default 1000000)"), "N" },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &args->timeout, N_("Stop after S seconds (default 60)"), "S" },
    { "max-objects", 0, 0, G_OPTION_ARG_INT, &args->max_objects, N_("Show at most N objects per step (default 1000)"), "N" },
    { "max-elements", 0, 0, G_OPTION_ARG_INT, &args->max_elements, N_("Show at most N elements of a container (default 100)"), "N" },
    { "stdin", 0, 0, G_OPTION_ARG_FILENAME, &args->stdin_path, N_("Give the program this file as standard input"), N_("FILE") },
    { "python", 0, 0, G_OPTION_ARG_STRING, &args->python, N_("Run the program under this Python version, such as 3.13 (default: the system's python3)"), N_("VERSION") },
    { "step-folder", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args->step_folders, N_("Step the files in DIR too, besides those in the program's folder (repeatable)"), N_("DIR") },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, verb_entries, GETTEXT_PACKAGE);

  args->max_steps = -1;
  args->timeout = NAN;   /* unset: any number given is checked */
  args->max_objects = -1;
  args->max_elements = -1;

  group = g_option_group_new ("run", _("Running the program:"), _("Show the options for running the program"), args, run_args_clear);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_group_add_entries (group, entries);
  g_option_context_add_group (context, group);
  return context;
}

/* What follows the first "--" is the program's, word for word: no
 * option parser may see it (GOption keeps or drops a "--" by guessing). */
void
hs_cli_split_dashes (HsCliRunArgs  *args,
                     int           *argc,
                     char         **argv)
{
  g_return_if_fail (args != NULL && argc != NULL && argv != NULL);

  for (int i = 1; i < *argc; i++)
    if (g_str_equal (argv[i], "--"))
      {
        args->after_dashes = g_strdupv (argv + i + 1);
        *argc = i;
        return;
      }
}

/* After the options: the program's file, then its arguments, then those
 * after "--"; or, with nothing before "--", the file is the first word
 * after it (`heapscope trace -- -odd-name.py`).  The file is kept in
 * args->program; FALSE without one. */
gboolean
hs_cli_take_program (HsCliRunArgs  *args,
                     int            argc,
                     char         **argv)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  char **tail = args->after_dashes;

  g_return_val_if_fail (args != NULL && argv != NULL, FALSE);

  g_clear_pointer (&args->program, g_free);
  if (argc >= 2)
    args->program = g_strdup (argv[1]);
  else if (tail != NULL && tail[0] != NULL)
    args->program = g_strdup (*tail++);
  else
    return FALSE;
  for (int i = 2; i < argc; i++)
    g_strv_builder_add (builder, argv[i]);
  if (tail != NULL)
    g_strv_builder_addv (builder, (const char **) tail);
  g_clear_pointer (&args->program_args, g_strfreev);
  args->program_args = g_strv_builder_end (builder);
  return TRUE;
}

gboolean
hs_cli_resolve_run_options (HsCliRunArgs  *args,
                            HsRunOptions  *options,
                            GError       **error)
{
  hs_run_options_init (options);

  if (args->max_steps == 0 || args->max_steps < -1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--max-steps must be a positive number"));
      return FALSE;
    }
  if (args->max_steps > 0)
    options->max_steps = args->max_steps;

  if (!isnan (args->timeout))
    {
      if (!(args->timeout > 0 && args->timeout <= 86400))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--timeout must be between 0 and 86400 seconds"));
          return FALSE;
        }
      options->timeout_ms = (guint) (args->timeout * 1000);
    }

  if (args->max_objects == 0 || args->max_objects < -1 || args->max_elements == 0 || args->max_elements < -1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("Caps must be positive numbers"));
      return FALSE;
    }
  if (args->max_objects > 0)
    options->max_objects = args->max_objects;
  if (args->max_elements > 0)
    options->max_elements = args->max_elements;

  if (args->stdin_path != NULL)
    {
      if (g_access (args->stdin_path, R_OK) != 0)
        {
          int saved = errno;

          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Cannot read the --stdin file %s: %s"), args->stdin_path, g_strerror (saved));
          return FALSE;
        }
      options->stdin_path = args->stdin_path;
    }

  for (guint i = 0; args->step_folders != NULL && args->step_folders[i] != NULL; i++)
    if (!g_file_test (args->step_folders[i], G_FILE_TEST_IS_DIR))
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("--step-folder %s is no folder"), args->step_folders[i]);
        return FALSE;
      }
  options->step_folders = (const char * const *) args->step_folders;
  options->args = (const char * const *) args->program_args;
  return TRUE;
}

/* A runner with the worker --python asked for, or the default one. */
HsRunner *
hs_cli_runner_new (HsCliRunArgs  *args,
                   GError       **error)
{
  g_autoptr(HsRunner) runner = hs_runner_new ();

  if (args->python != NULL && !hs_runner_set_python (runner, args->python, error))
    return NULL;
  return g_steal_pointer (&runner);
}

/* The program's text, or a one-line message on stderr and FALSE. */
gboolean
hs_cli_read_program (const char  *path,
                     char       **contents,
                     gsize       *length)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_printerr (_("heapscope: %s is a folder, not a Python file\n"), path);
      return FALSE;
    }
  if (!g_file_get_contents (path, contents, length, &error))
    {
      g_printerr (_("heapscope: cannot read %s: %s\n"), path, error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
hs_cli_check_readable (const char *path)
{
  g_autofree char *contents = NULL;

  return hs_cli_read_program (path, &contents, NULL);
}

int
hs_cli_usage_error (GOptionContext *context,
                    const char     *message)
{
  g_printerr ("heapscope: %s\n", message);
  g_printerr (_("Try “heapscope --help” for usage.\n"));
  return 2;
}
