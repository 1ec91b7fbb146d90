/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The resource limits a program sets for itself, applied so that the
 * worker's own memory and output files are not counted against them
 * (hs-rlimits.c).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     hs_rlimits_start        (void);
gboolean hs_rlimits_output_begin (int      fd);
void     hs_rlimits_output_end   (gboolean lifted);

G_END_DECLS
