/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-program-input"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "hs-program-input.h"

/* One key file beside the drafts, a group per file's URI. */
static char *
store_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "heapscope", "arguments.ini", NULL);
}

void
hs_program_input_load (GFile  *file,
                       char  **arguments,
                       char  **input)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *path = store_path ();
  g_autofree char *uri = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (arguments != NULL && input != NULL);

  uri = g_file_get_uri (file);
  *arguments = NULL;
  *input = NULL;
  if (!g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, NULL))
    return;
  *arguments = g_key_file_get_string (keys, uri, "arguments", NULL);
  *input = g_key_file_get_string (keys, uri, "input", NULL);
}

void
hs_program_input_save (GFile      *file,
                       const char *arguments,
                       const char *input)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = store_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *uri = NULL;

  g_return_if_fail (G_IS_FILE (file));

  uri = g_file_get_uri (file);
  g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, NULL);
  if ((arguments == NULL || *arguments == '\0') && (input == NULL || *input == '\0'))
    g_key_file_remove_group (keys, uri, NULL);
  else
    {
      g_key_file_set_string (keys, uri, "arguments", arguments != NULL ? arguments : "");
      g_key_file_set_string (keys, uri, "input", input != NULL ? input : "");
    }
  if (g_mkdir_with_parents (dir, 0700) != 0 || !g_key_file_save_to_file (keys, path, &error))
    g_warning ("Cannot remember the program's arguments: %s", error ? error->message : g_strerror (errno));
}
