/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test"

#include "config.h"

#include <glib/gstdio.h>

#include "hs-test-files.h"

/* Removes PATH and everything under it.  A symbolic link is removed,
 * never followed: a test's folder may link to files it does not own. */
void
hs_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_if_fail (path != NULL);

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        hs_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
