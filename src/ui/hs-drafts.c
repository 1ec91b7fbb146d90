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

HsDraft *
hs_draft_new (void)
{
  HsDraft *draft = g_new0 (HsDraft, 1);

  draft->id = g_uuid_string_random ();
  return draft;
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

static void
replace_contents_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot save the draft: %s", error->message);
}

void
hs_draft_save_async (const HsDraft *draft,
                     GCancellable  *cancellable)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *dir = drafts_dir ();
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *data;
  gsize length;

  g_return_if_fail (draft != NULL);
  g_return_if_fail (draft->id != NULL);

  g_key_file_set_string (keyfile, GROUP, "text", draft->text ? draft->text : "");
  if (draft->title != NULL)
    g_key_file_set_string (keyfile, GROUP, "title", draft->title);
  if (draft->file != NULL)
    {
      g_autofree char *uri = g_file_get_uri (draft->file);

      g_key_file_set_string (keyfile, GROUP, "uri", uri);
    }

  data = g_key_file_to_data (keyfile, &length, NULL);
  bytes = g_bytes_new_take (data, length);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_warning ("Cannot create %s: %s", dir, g_strerror (errno));
      return;
    }

  path = draft_path (draft->id);
  file = g_file_new_for_path (path);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, replace_contents_cb, NULL);
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
