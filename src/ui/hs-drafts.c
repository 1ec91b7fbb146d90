/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-drafts"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "hs-drafts.h"

#define GROUP "Draft"

static char *
drafts_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "heapscope", "drafts", NULL);
}

static char *
draft_path (const char *id)
{
  g_autofree char *dir = drafts_dir ();
  g_autofree char *name = g_strconcat (id, ".draft", NULL);

  return g_build_filename (dir, name, NULL);
}

static HsDraft *load_draft (const char *path,
                            const char *id);

/* The id is assigned when the draft is first written, from the file it
 * belongs to, or from the untitled ids free at that time. */
HsDraft *
hs_draft_new (void)
{
  return g_new0 (HsDraft, 1);
}

char *
hs_draft_id_for_file (GFile *file)
{
  g_autofree char *uri = NULL;
  g_autofree char *sum = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  uri = g_file_get_uri (file);
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, uri, -1);
  return g_strconcat ("file-", sum, NULL);
}

gboolean
hs_draft_id_is_untitled (const char *id)
{
  return id != NULL && g_str_has_prefix (id, "untitled");
}

HsDraft *
hs_draft_load (const char *id)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (id != NULL, NULL);

  path = draft_path (id);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  return load_draft (path, id);
}

void
hs_draft_free (HsDraft *draft)
{
  if (draft == NULL)
    return;

  g_free (draft->id);
  g_free (draft->text);
  g_free (draft->title);
  g_clear_object (&draft->file);
  g_free (draft);
}

static HsDraft *
load_draft (const char *path,
            const char *id)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(HsDraft) draft = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &error))
    {
      g_warning ("Cannot read the draft %s: %s", path, error->message);
      return NULL;
    }

  draft = g_new0 (HsDraft, 1);
  draft->id = g_strdup (id);
  draft->text = g_key_file_get_string (keyfile, GROUP, "text", NULL);
  draft->title = g_key_file_get_string (keyfile, GROUP, "title", NULL);
  uri = g_key_file_get_string (keyfile, GROUP, "uri", NULL);
  if (uri != NULL && *uri != '\0')
    draft->file = g_file_new_for_uri (uri);

  if (draft->text == NULL)
    return NULL;
  return g_steal_pointer (&draft);
}

GPtrArray *
hs_drafts_list (void)
{
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_draft_free);
  g_autofree char *dir = drafts_dir ();
  g_autoptr(GDir) gdir = g_dir_open (dir, 0, NULL);
  const char *name;

  while (gdir != NULL && (name = g_dir_read_name (gdir)))
    {
      g_autofree char *path = NULL;
      g_autofree char *id = NULL;
      HsDraft *draft;

      if (!g_str_has_suffix (name, ".draft"))
        continue;

      path = g_build_filename (dir, name, NULL);
      id = g_strndup (name, strlen (name) - strlen (".draft"));
      if ((draft = load_draft (path, id)))
        g_ptr_array_add (drafts, draft);
    }
  return g_steal_pointer (&drafts);
}

/* Writes to a temporary file, fsync()s it, renames it over the path and
 * fsync()s the folder (GLib's DURABLE mode): after a crash the file holds
 * either the old or the new contents, never a truncated mix.  Keeps the
 * permissions of a file that is already there. */
gboolean
hs_write_file_durably (const char  *path,
                       const char  *contents,
                       gsize        length,
                       GError     **error)
{
  GStatBuf st;
  int mode = 0666;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);

  if (g_stat (path, &st) == 0)
    mode = st.st_mode & 07777;
  return g_file_set_contents_full (path, contents ? contents : "", length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   mode, error);
}

/* Synchronous on purpose: a draft is a few kilobytes, and a write that
 * is still queued when the app crashes is a lost draft. */
gboolean
hs_draft_save (const HsDraft  *draft,
               GError        **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *dir = drafts_dir ();
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (draft != NULL, FALSE);
  g_return_val_if_fail (draft->id != NULL, FALSE);

  g_key_file_set_string (keyfile, GROUP, "text", draft->text ? draft->text : "");
  if (draft->title != NULL)
    g_key_file_set_string (keyfile, GROUP, "title", draft->title);
  if (draft->file != NULL)
    {
      g_autofree char *uri = g_file_get_uri (draft->file);

      g_key_file_set_string (keyfile, GROUP, "uri", uri);
    }
  data = g_key_file_to_data (keyfile, &length, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  path = draft_path (draft->id);
  if (!g_file_set_contents_full (path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    return FALSE;
  return TRUE;
}

void
hs_draft_discard (const char *id)
{
  g_autofree char *path = NULL;

  g_return_if_fail (id != NULL);

  path = draft_path (id);
  if (g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("Cannot remove the draft %s: %s", path, g_strerror (errno));
}
