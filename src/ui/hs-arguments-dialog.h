/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * "Arguments and Input": the program's command-line arguments, typed as a
 * shell would take them, and the text its standard input reads.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_TYPE_ARGUMENTS_DIALOG (hs_arguments_dialog_get_type ())

G_DECLARE_FINAL_TYPE (HsArgumentsDialog, hs_arguments_dialog, HS, ARGUMENTS_DIALOG, AdwMessageDialog)

HsArgumentsDialog *hs_arguments_dialog_new          (GtkWindow          *parent,
                                                     const char         *arguments,
                                                     const char         *input);
const char        *hs_arguments_dialog_get_arguments (HsArgumentsDialog *self);
char              *hs_arguments_dialog_dup_input    (HsArgumentsDialog  *self);

gboolean           hs_arguments_parse               (const char         *text,
                                                     char             ***argv,
                                                     GError            **error);

G_END_DECLS
