/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Hidden holders: references to a shown object that the graph does not
 * draw, but that CPython can name.  The constants and names of the user's
 * code objects (a literal stays alive after the last variable lets go of
 * it), the value stacks of the user's frames, sys.modules, the parser's
 * arena while the script runs, the built-in functions of a module (their
 * __self__), the globals of imported modules, a module's hold on its
 * dict, the function a running frame runs, a class's own __mro__ and
 * attribute descriptors, and the copies CPython keeps of some modules'
 * dicts (sys's and builtins', a single-phase extension module's m_copy).
 */
#pragma once

#include <Python.h>
#include <glib.h>

#include "hs-cpython.h"
#include "hs-protocol.h"
#include "hs-registry.h"

G_BEGIN_DECLS

/* kind is one of the HS_EDGE_HELD_* kinds; name (a str) names the holder:
 * a code object's or a frame's qualified name, a module's name. */
/* name is NULL for a holder Python has no name for (the interpreter) */
typedef void (*HsHolderFunc) (HsEdgeKind  kind,
                              PyObject   *name,
                              guint       count,
                              gpointer    user_data);

void hs_holders_begin_step (GPtrArray    *user_frames,
                            guint         keep,
                            HsEvent       event,
                            PyObject     *main_globals,
                            PyObject     *return_value);
gboolean hs_holders_any    (HsEntry      *entry);
gboolean hs_holders_is_being_made (PyObject *obj);
void hs_holders_foreach    (HsEntry      *entry,
                            HsHolderFunc  func,
                            gpointer      user_data);

void hs_holders_end_script     (void);

const GPtrArray *hs_holders_get_traceback_items (void);
const GPtrArray *hs_holders_get_stack_items (void);
guint32   hs_holders_get_code_epoch       (void);

G_END_DECLS
