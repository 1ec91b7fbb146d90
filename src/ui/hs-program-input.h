/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The arguments and standard input a file's program was last given in the
 * window ("Arguments and Input…"), remembered per file across sessions.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void hs_program_input_load (GFile       *file,
                            char       **arguments,
                            char       **input);
void hs_program_input_save (GFile       *file,
                            const char  *arguments,
                            const char  *input);

G_END_DECLS
