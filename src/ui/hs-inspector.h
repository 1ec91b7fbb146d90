/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The facts about the selected objects, and with two of them how they
 * compare.
 */
#pragma once

#include <adwaita.h>

#include "hs-object-history.h"
#include "hs-snapshot.h"

G_BEGIN_DECLS

#define HS_TYPE_INSPECTOR (hs_inspector_get_type ())

G_DECLARE_FINAL_TYPE (HsInspector, hs_inspector, HS, INSPECTOR, AdwBin)

void hs_inspector_set_selection (HsInspector   *self,
                                 HsSnapshot    *snapshot,
                                 guint          n_selected,
                                 const guint32 *refs,
                                 const char   **names);
/* The run the selections are made in, and its program's text, whose
 * lines name what changed an object: its history is read in a thread. */
void hs_inspector_set_trace     (HsInspector   *self,
                                 HsTrace       *trace,
                                 const char    *source);
/* For tests: the first selected object's history, once read; else NULL */
HsObjectHistory *hs_inspector_get_history (HsInspector *self);
/* What the runtime printed for "a == b", or NULL to offer to ask it. */
void hs_inspector_set_equality  (HsInspector   *self,
                                 const char    *expression,
                                 const char    *result);

/* The interpreter that ran ("3.12.1"), whose rules explain refcounts. */
void hs_inspector_set_python_version (HsInspector *self,
                                      const char  *version);
/* For tests: the version set last, or NULL. */
const char *hs_inspector_get_python_version (HsInspector *self);
/* For tests: the rule the inspector shows under "Why is the refcount N?"
 * for the first selected object, or NULL. */
const char *hs_inspector_get_refcount_rule (HsInspector *self);

G_END_DECLS
