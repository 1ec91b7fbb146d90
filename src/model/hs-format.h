/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How Heapscope writes a number it counted (a refcount, a length, a
 * number of steps or bytes), the same in every layer that shows one:
 * the boxes, the inspector, the tooltips, the compare view.
 */
#pragma once

#include <glib.h>

#include "hs-protocol.h"

G_BEGIN_DECLS

/* "7", "9,990", "4,294,967,295", "-1,024": thousands separators keep a
 * big count readable at a glance and tell 999,999,999 from 99,999,999. */
char *hs_format_count (gint64 n);

/* A slot as a program would spell it after its container's name: "[0]",
 * "['k']" (a dict entry's value, by its key's repr), ".name"; a cell's
 * contents add nothing.  FALSE, appending nothing, for references no
 * expression spells (a set's member, a dict's key, a generator's local). */
gboolean hs_format_slot (GString    *out,
                         HsEdgeKind  kind,
                         const char *label,
                         const char *key_repr);

G_END_DECLS
