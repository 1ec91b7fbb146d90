/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Collects the deltas of consecutive steps into one batch (HS_STEPS_TYPE).
 * A step only appends to plain arrays; the GVariant is built once per batch.
 * Strings go through a table shared with the app, so a type name or a repr
 * crosses the pipe once per trace.
 */
#pragma once

#include <glib.h>

#include "hs-protocol.h"

G_BEGIN_DECLS

typedef struct _HsStepBuilder HsStepBuilder;

HsStepBuilder *hs_step_builder_new        (void);
void           hs_step_builder_free       (HsStepBuilder *self);
guint32        hs_step_builder_intern     (HsStepBuilder *self,
                                           const char    *str);
void           hs_step_builder_begin      (HsStepBuilder *self,
                                           guint32        index,
                                           HsEvent        event,
                                           guint32        line);
void           hs_step_builder_keep_frames(HsStepBuilder *self,
                                           guint32        n);
void           hs_step_builder_begin_frame(HsStepBuilder *self,
                                           guint32        function,
                                           guint32        line,
                                           guint32        file);
void           hs_step_builder_add_var    (HsStepBuilder *self,
                                           guint32        name,
                                           guint32        ref);
void           hs_step_builder_add_unbound (HsStepBuilder *self,
                                            guint32        name);
void           hs_step_builder_add_object (HsStepBuilder *self,
                                           const HsWireObject *object);
void           hs_step_builder_add_refcount (HsStepBuilder *self,
                                             guint32        ref,
                                             gint64         refcount);
void           hs_step_builder_replace_edges (HsStepBuilder *self,
                                              guint32        owner,
                                              guint32        keep,
                                              const guint32 *triples,
                                              guint32        n_edges);
void           hs_step_builder_add_removed(HsStepBuilder *self,
                                           guint32        ref);
void           hs_step_builder_add_freed  (HsStepBuilder *self,
                                           guint32        ref,
                                           guint32        cause);
void           hs_step_builder_add_gc     (HsStepBuilder *self,
                                           const HsWireGc *gc);
void           hs_step_builder_set_output (HsStepBuilder *self,
                                           GBytes        *out,
                                           GBytes        *err);
void           hs_step_builder_set_return (HsStepBuilder *self,
                                           guint32        ref,
                                           gboolean       borrowed,
                                           gboolean       yielded);
void           hs_step_builder_end        (HsStepBuilder *self);
void           hs_step_builder_abandon_step (HsStepBuilder *self);
gsize          hs_step_builder_get_pending_size (HsStepBuilder *self);
GVariant      *hs_step_builder_take_batch (HsStepBuilder *self);

G_END_DECLS
