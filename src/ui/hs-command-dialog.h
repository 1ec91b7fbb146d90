/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Asks for the name a heap command binds, and shows the exact Python it
 * will run before it runs.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum
{
  HS_COMMAND_ASSIGN,
  HS_COMMAND_SLICE_COPY,
  HS_COMMAND_COPY,
  HS_COMMAND_DEEPCOPY,
  HS_COMMAND_DEL,
  HS_COMMAND_GC_COLLECT,
  HS_COMMAND_STATEMENT,   /* typed on the console line */
} HsCommandKind;

#define HS_TYPE_COMMAND_DIALOG (hs_command_dialog_get_type ())

G_DECLARE_FINAL_TYPE (HsCommandDialog, hs_command_dialog, HS, COMMAND_DIALOG, AdwMessageDialog)

HsCommandDialog *hs_command_dialog_new        (GtkWindow        *parent,
                                               HsCommandKind     kind,
                                               const char       *source_name,
                                               const char       *target_name,
                                               const char * const *imported);
HsCommandKind    hs_command_dialog_get_kind   (HsCommandDialog  *self);
const char      *hs_command_dialog_get_target (HsCommandDialog  *self);
void             hs_command_dialog_set_target (HsCommandDialog  *self,
                                               const char       *name);
char            *hs_command_dialog_dup_source (HsCommandDialog  *self);

gboolean         hs_command_is_identifier     (const char       *name);
gboolean         hs_command_needs_target      (HsCommandKind     kind);
char            *hs_command_build_source      (HsCommandKind     kind,
                                               const char       *source_name,
                                               const char       *target_name,
                                               const char * const *imported);

G_END_DECLS
