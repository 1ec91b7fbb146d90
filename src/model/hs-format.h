/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How Heapscope writes a number it counted (a refcount, a length, a
 * number of steps or bytes), the same in every layer that shows one:
 * the boxes, the inspector, the tooltips, the compare view.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "7", "9,990", "4,294,967,295", "-1,024": thousands separators keep a
 * big count readable at a glance and tell 999,999,999 from 99,999,999. */
char *hs_format_count (gint64 n);

G_END_DECLS
