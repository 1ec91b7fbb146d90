/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Included only by hs-cpython-common.c and the hs-cpython-3XX.c ports: the
 * CPython internal headers they read, for the version being compiled.
 * Every other runtime file sees hs-cpython.h alone.
 */
#pragma once

#define _GNU_SOURCE 1
#include <dlfcn.h>

#define Py_BUILD_CORE 1
#include <Python.h>
#include <structmember.h>
#include <internal/pycore_frame.h>
#include <internal/pycore_code.h>
#include <internal/pycore_context.h>
#include <internal/pycore_dict.h>
#include <internal/pycore_gc.h>
#include <internal/pycore_interp.h>
#include <internal/pycore_object.h>
#include <internal/pycore_runtime.h>
#include <internal/pycore_pystate.h>
#if PY_VERSION_HEX >= 0x030D0000
# include <internal/pycore_ceval.h>
# include <internal/pycore_setobject.h>
#endif
#undef Py_BUILD_CORE

#include "hs-cpython.h"

/* The member descriptors stored after a heap type (its __slots__); 3.12
 * made the macro private, PyObject_GetItemData() reads the same place. */
#if PY_VERSION_HEX >= 0x030C0000
# define HS_HEAP_TYPE_MEMBERS(t) ((PyMemberDef *) PyObject_GetItemData ((PyObject *) (t)))
#else
# define HS_HEAP_TYPE_MEMBERS(t) _PyHeapType_GET_MEMBERS (t)
#endif

/* The two spellings that differ between the versions' interpreter frames,
 * so that hs-cpython-common.c reads the rest of a frame once: 3.13 keeps
 * the code object as f_executable, and 3.12 and 3.13 put a shim frame,
 * owned by the C stack, under each C call into the interpreter (3.13's
 * _PyFrame_IsIncomplete already counts it incomplete, 3.12's does not). */
#if PY_VERSION_HEX >= 0x030D0000
# define HS_FRAME_CODE(f) _PyFrame_GetCode (f)
#else
# define HS_FRAME_CODE(f) ((f)->f_code)
#endif
/* The function the frame runs, a strong reference: 3.12 renamed it */
#if PY_VERSION_HEX >= 0x030C0000
# define HS_FRAME_FUNCTION(f) ((f)->f_funcobj)
#else
# define HS_FRAME_FUNCTION(f) ((PyObject *) (f)->f_func)
#endif
#if PY_VERSION_HEX >= 0x030C0000
# define HS_FRAME_IS_SHIM(f) ((f)->owner == FRAME_OWNED_BY_CSTACK)
#else
# define HS_FRAME_IS_SHIM(f) FALSE
#endif

/* The state of the interpreter's cyclic collector: the same structure in
 * 3.11, 3.12 and 3.13 (three generations plus a permanent one).  The
 * public getter, because from 3.12 on _PyInterpreterState_GET() reads a
 * thread-local that libpython does not export. */
static inline struct _gc_runtime_state *
hs_py_gc_state (void)
{
  return &PyInterpreterState_Get ()->gc;
}

/* Calls func for each attribute held in a shared-key values array, in
 * insertion order: order[0], order[step], ... order[(n - 1) * step] are the
 * slots in use (the order array grows down in 3.11 and 3.12, up in 3.13). */
void       hs_py_foreach_shared_value (PyDictKeysObject *keys,
                                       PyObject        **values,
                                       const guint8     *order,
                                       int               step,
                                       int               n,
                                       HsPyAttrFunc      func,
                                       gpointer          user_data);

/* Per version: the attributes of an object whose type has a managed dict.
 * Either calls func for each attribute still in the values array and
 * returns NULL, or returns the object's __dict__ (borrowed, or NULL if it
 * has none). */
PyObject  *hs_py_port_managed_attrs   (PyObject         *obj,
                                       HsPyAttrFunc      func,
                                       gpointer          user_data);
