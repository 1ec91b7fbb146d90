/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a step's line did to the references of objects that existed before
 * it: which slots of a mutated container now point elsewhere, or are new.
 * Computed from two consecutive snapshots, so it is read from the runtime,
 * not guessed; the renderer marks those slots and their arrows.
 */
#pragma once

#include <glib.h>

#include "hs-snapshot.h"

G_BEGIN_DECLS

typedef struct _HsRenderMarks HsRenderMarks;

/* previous is the step before snapshot; NULL marks nothing. */
HsRenderMarks *hs_render_marks_new      (HsSnapshot          *previous,
                                         HsSnapshot          *snapshot);
void           hs_render_marks_free     (HsRenderMarks       *self);
guint          hs_render_marks_get_size (const HsRenderMarks *self);

/* Whether owner's reference to target, under label (the edge's label,
 * or its kind when it has none: HsLayoutRow.edge_label; NULL for any
 * label), was added or moved by the step; a dict's keys aside. */
gboolean       hs_render_marks_lookup   (const HsRenderMarks *self,
                                         guint32              owner,
                                         guint32              target,
                                         const char          *label);
/* The same for the key of dict owner's entry label: a key edge shares
 * its label with its value edge, and d['x'] = 'x' makes them point at
 * one object, the value's edge new and the key's not. */
gboolean       hs_render_marks_lookup_key (const HsRenderMarks *self,
                                           guint32              owner,
                                           guint32              target,
                                           const char          *label);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsRenderMarks, hs_render_marks_free)

G_END_DECLS
