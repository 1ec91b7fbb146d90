/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the graph draws of a step when the user narrows it: what one
 * object reaches, or what reaches it, and the step without the library's
 * modules, classes and functions.  The step itself is unchanged: this
 * makes a second snapshot, for the layout alone.
 */
#pragma once

#include "hs-snapshot.h"

G_BEGIN_DECLS

typedef enum
{
  HS_FOCUS_ALL,
  HS_FOCUS_REACHES,     /* the object and what its references reach */
  HS_FOCUS_REACHED_BY,  /* the object and what reaches it */
} HsFocusKind;

typedef struct
{
  HsFocusKind         kind;
  guint32             ref;
  gboolean            hide_library;
  /* The user's own modules, by name ("helper", "shop"): a module, class
   * or function of another module is the library's */
  const char * const *user_modules;
} HsFocus;

/* Whether object is a module, a class or a function that a module other
 * than the program's and user_modules defines: as a function or a class
 * says (its __module__, HsObject.module), else as the runtime's hidden
 * holders tell: the module that holds it as a global, sys.modules. */
gboolean    hs_snapshot_is_library (HsSnapshot         *snapshot,
                                    const HsObject     *object,
                                    const char * const *user_modules);
/* snapshot narrowed as focus says: the objects kept, the names that
 * point at them, the holders of those; a new reference to snapshot when
 * nothing is left out. */
HsSnapshot *hs_snapshot_focus      (HsSnapshot         *snapshot,
                                    const HsFocus      *focus);

G_END_DECLS
