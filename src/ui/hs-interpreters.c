/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-interpreters"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "hs-drafts.h"
#include "hs-interpreters.h"
#include "hs-runner.h"

#define GROUP "Interpreters"

static char *
store_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "heapscope", "interpreters.ini", NULL);
}

/* Only the workers there really are: a build without 3.12 lists none. */
GStrv
hs_interpreters_list (void)
{
  return hs_runner_list_pythons ();
}

/* The system's python3 that the plain worker embeds (3.11 on Debian 12)
 * when it has a versioned worker too; else the oldest there is; NULL when
 * there is no versioned worker at all, and the plain worker runs. */
char *
hs_interpreters_default (const char * const *available)
{
  g_return_val_if_fail (available != NULL, NULL);

  if (g_strv_contains (available, HS_DEFAULT_PYTHON))
    return g_strdup (HS_DEFAULT_PYTHON);
  return g_strdup (available[0]);
}

/* Files are known by their URI, as their drafts are; an unsaved snippet
 * by its title ("Lesson: Reference counts"); an untitled one by nothing. */
char *
hs_interpreters_key (GFile      *file,
                     const char *title)
{
  g_autofree char *sum = NULL;

  if (file != NULL)
    return hs_draft_id_for_file (file);
  if (title == NULL || *title == '\0')
    return NULL;
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, title, -1);
  return g_strconcat ("title-", sum, NULL);
}

/* The remembered choice while it still has a worker, else the default. */
char *
hs_interpreters_lookup (const char         *key,
                        const char * const *available)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *path = store_path ();
  g_autofree char *version = NULL;

  g_return_val_if_fail (available != NULL, NULL);

  if (key != NULL && g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, NULL))
    version = g_key_file_get_string (keyfile, GROUP, key, NULL);
  if (version != NULL && g_strv_contains (available, version))
    return g_steal_pointer (&version);
  return hs_interpreters_default (available);
}

gboolean
hs_interpreters_remember (const char  *key,
                          const char  *version,
                          GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *path = store_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (version != NULL, FALSE);

  /* a missing or broken store starts afresh */
  g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, NULL);
  g_key_file_set_string (keyfile, GROUP, key, version);
  data = g_key_file_to_data (keyfile, &length, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "%s: %s", dir, g_strerror (errno));
      return FALSE;
    }
  return hs_write_file_durably (path, data, length, error);
}

/* The interpreter to compare a run with: the system's when another is
 * chosen, else the newest other one; NULL when there is only one. */
char *
hs_interpreters_other (const char         *version,
                       const char * const *available)
{
  guint n;

  g_return_val_if_fail (available != NULL, NULL);

  if (g_strcmp0 (version, HS_DEFAULT_PYTHON) != 0 && g_strv_contains (available, HS_DEFAULT_PYTHON))
    return g_strdup (HS_DEFAULT_PYTHON);
  n = g_strv_length ((char **) available);
  for (guint i = n; i > 0; i--)
    if (g_strcmp0 (available[i - 1], version) != 0)
      return g_strdup (available[i - 1]);
  return NULL;
}
