/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Drafts keep each window's text on disk while it has unsaved changes, so
 * that a crash loses nothing.  A window removes its draft when it closes
 * cleanly; drafts still there at startup are restored.
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

HsDraft   *hs_draft_new     (void);
void       hs_draft_free    (HsDraft     *draft);
GPtrArray *hs_drafts_list   (void);
void       hs_draft_save_async (const HsDraft *draft,
                                GCancellable  *cancellable);
void       hs_draft_discard (const char  *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsDraft, hs_draft_free)

G_END_DECLS
