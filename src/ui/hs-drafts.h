/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Drafts keep a document's text on disk while it has unsaved changes, so
 * that a crash loses nothing but the last few hundred milliseconds of
 * typing.  There is one draft per file (its id is derived from the file's
 * URI) and one per untitled window ("untitled", "untitled-2", ...), so
 * repeated crashes overwrite the same drafts instead of piling them up.
 * A window removes its draft when the text is saved or discarded.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char  *id;
  char  *text;
  GFile *file;   /* the file the text belongs to, or NULL */
  char  *title;  /* shown when file is NULL */
} HsDraft;

HsDraft   *hs_draft_new          (void);
void       hs_draft_free         (HsDraft     *draft);
char      *hs_draft_id_for_file  (GFile       *file);
gboolean   hs_draft_id_is_untitled (const char *id);
HsDraft   *hs_draft_load         (const char  *id);
GPtrArray *hs_drafts_list        (void);
gboolean   hs_draft_save         (const HsDraft *draft,
                                  GError       **error);
void       hs_draft_discard      (const char  *id);

gboolean   hs_write_file_durably (const char  *path,
                                  const char  *contents,
                                  gsize        length,
                                  GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsDraft, hs_draft_free)

G_END_DECLS
