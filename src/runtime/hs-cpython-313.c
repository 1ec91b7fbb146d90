/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cpython"

#include "config.h"

#include "hs-cpython-private.h"

/* What reads CPython 3.13's private structures differently from the other
 * versions: the interpreter frame (f_executable, instr_ptr) and inline
 * attribute values.  3.13's frame.f_locals is a write-through proxy
 * (PEP 667); like PyFrame_GetLocals in earlier versions it is never
 * touched: locals are read from the frame's own slots.  Immortality and
 * tracing are shared with 3.12 in hs-cpython-pep669.c, the rest is in
 * hs-cpython-common.c. */

#if PY_VERSION_HEX < 0x030D0000 || PY_VERSION_HEX >= 0x030E0000
# error "hs-cpython-313.c reads CPython 3.13's private structures; add a port for this version"
#endif

HsPyFrame *
hs_py_frame_from_object (PyFrameObject *frame)
{
  return (HsPyFrame *) frame->f_frame;
}

PyCodeObject *
hs_py_frame_object_code (PyFrameObject *frame)
{
  return _PyFrame_GetCode (frame->f_frame);
}

/* Library code calls are traced too, but never make steps: stop their line
 * events at the call (3.13's line callback reads this flag). */
void
hs_py_frame_disable_line_events (PyFrameObject *frame)
{
  frame->f_trace_lines = 0;
}

/* Skips the shim frames under each C call into the interpreter and the
 * frames that have not started, as PyFrame_GetBack does. */
HsPyFrame *
hs_py_frame_previous (HsPyFrame *frame)
{
  _PyInterpreterFrame *f = ((_PyInterpreterFrame *) frame)->previous;

  while (f != NULL && _PyFrame_IsIncomplete (f))
    f = f->previous;
  return (HsPyFrame *) f;
}

PyCodeObject *
hs_py_frame_code (HsPyFrame *frame)
{
  return _PyFrame_GetCode ((_PyInterpreterFrame *) frame);
}

int
hs_py_frame_line (HsPyFrame *frame)
{
  return PyUnstable_InterpreterFrame_GetLine ((_PyInterpreterFrame *) frame);
}

gboolean
hs_py_frame_is_module (HsPyFrame *frame)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;

  return f->f_locals != NULL && f->f_locals == f->f_globals;
}

PyObject *
hs_py_frame_globals (HsPyFrame *frame)
{
  return ((_PyInterpreterFrame *) frame)->f_globals;
}

/* Reads a fast local straight from the frame's slots; the f_locals proxy
 * would be a new object, and a dict snapshot would hold references. */
PyObject *
hs_py_frame_local (HsPyFrame  *frame,
                   int         index,
                   PyObject  **name)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;
  PyCodeObject *co = _PyFrame_GetCode (f);

  g_assert (index >= 0 && index < co->co_nlocalsplus);

  *name = PyTuple_GET_ITEM (co->co_localsplusnames, index);
  return f->localsplus[index];
}

/* 3.13 stores the values array inline after the object header while it is
 * valid; the __dict__, once made, shares it, so the values stay the truth
 * until they are invalidated. */
PyObject *
hs_py_port_managed_attrs (PyObject     *obj,
                          HsPyAttrFunc  func,
                          gpointer      user_data)
{
  PyDictValues *values;

  if (!(Py_TYPE (obj)->tp_flags & Py_TPFLAGS_INLINE_VALUES) ||
      !_PyObject_InlineValues (obj)->valid)
    return (PyObject *) _PyObject_ManagedDictPointer (obj)->dict;

  values = _PyObject_InlineValues (obj);
  hs_py_foreach_shared_value (((PyHeapTypeObject *) Py_TYPE (obj))->ht_cached_keys,
                              values->values, get_insertion_order_array (values), 1,
                              values->size, func, user_data);
  return NULL;
}
