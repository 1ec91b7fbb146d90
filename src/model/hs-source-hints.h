/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a program's own text asks of Heapscope, in a comment among its
 * first lines, as editors read a mode line:
 *
 *     # heapscope: every-object
 *
 * draws every object as a box, scalars too (Show Every Object), for a
 * program whose subject is identity.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean hs_source_wants_every_object (const char *source);

G_END_DECLS
