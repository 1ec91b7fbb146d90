/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Sentences about the heap, shared by the inspector, the graph's tooltips
 * and the toasts.
 */
#pragma once

#include "hs-snapshot.h"

G_BEGIN_DECLS

char *hs_describe_flags       (guint32      flags);
char *hs_describe_refcount    (HsSnapshot  *snapshot,
                               const HsObject *object);
char *hs_describe_size        (const HsObject *object);
char *hs_describe_object      (HsSnapshot  *snapshot,
                               guint32      ref);
GPtrArray *hs_describe_referrers (HsSnapshot  *snapshot,
                                  guint32      ref);
char *hs_describe_gc_collect  (HsSnapshot  *before,
                               GPtrArray   *steps);

G_END_DECLS
