/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-settings"

#include "config.h"

#include <stdlib.h>
#include <glib/gi18n.h>

#include "hs-settings.h"

/* Installed, the schema is in the system's schema folders.  Run from a
 * build tree, it is compiled in the build's data/ folder, beside the src/
 * folder that holds the executable: look there too, so that the build runs
 * as it is, with no environment to set. */
GSettings *
hs_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);

  if (schema == NULL)
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *dir = exe ? g_path_get_dirname (exe) : NULL;
      g_autofree char *data = dir ? g_build_filename (dir, "..", "data", NULL) : NULL;
      g_autoptr(GSettingsSchemaSource) local = NULL;

      if (data != NULL)
        local = g_settings_schema_source_new_from_directory (data, source, FALSE, NULL);
      if (local != NULL)
        schema = g_settings_schema_source_lookup (local, APPLICATION_ID, FALSE);
    }

  if (schema == NULL)
    {
      g_printerr (_("heapscope: the settings schema %s is not installed; reinstall Heapscope\n"), APPLICATION_ID);
      exit (1);
    }

  return g_settings_new_full (schema, NULL, NULL);
}

/* The documents remembered, oldest first: enough for a course's files */
#define MAX_EVERY_OBJECT_DOCUMENTS 200

gboolean
hs_settings_get_every_object (GSettings  *settings,
                              const char *document)
{
  g_auto(GStrv) documents = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);

  if (document == NULL)
    return FALSE;
  documents = g_settings_get_strv (settings, "every-object-documents");
  return g_strv_contains ((const char * const *) documents, document);
}

void
hs_settings_set_every_object (GSettings  *settings,
                              const char *document,
                              gboolean    every_object)
{
  g_auto(GStrv) documents = NULL;
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;
  guint n;

  g_return_if_fail (G_IS_SETTINGS (settings));

  if (document == NULL || hs_settings_get_every_object (settings, document) == !!every_object)
    return;
  documents = g_settings_get_strv (settings, "every-object-documents");
  n = g_strv_length (documents);
  /* the oldest go first once the list is full */
  for (guint i = n >= MAX_EVERY_OBJECT_DOCUMENTS ? n - MAX_EVERY_OBJECT_DOCUMENTS + 1 : 0; i < n; i++)
    if (!g_str_equal (documents[i], document))
      g_strv_builder_add (kept, documents[i]);
  if (every_object)
    g_strv_builder_add (kept, document);
  result = g_strv_builder_end (kept);
  g_settings_set_strv (settings, "every-object-documents", (const char * const *) result);
}
