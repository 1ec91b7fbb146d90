/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cpython"

#include "config.h"

#include "hs-cpython-private.h"

/* What reads CPython 3.12's private structures differently from the other
 * versions: the interpreter frame (f_code, prev_instr) and the managed
 * dict (a tagged dict-or-values pointer).  Immortality and tracing are
 * shared with 3.13 in hs-cpython-pep669.c, the rest is in
 * hs-cpython-common.c. */

#if PY_VERSION_HEX < 0x030C0000 || PY_VERSION_HEX >= 0x030D0000
# error "hs-cpython-312.c reads CPython 3.12's private structures; add a port for this version"
#endif

HsPyFrame *
hs_py_frame_from_object (PyFrameObject *frame)
{
  return (HsPyFrame *) frame->f_frame;
}

PyCodeObject *
hs_py_frame_object_code (PyFrameObject *frame)
{
  return frame->f_frame->f_code;
}

/* Library code calls are traced too, but never make steps: stop their line
 * events at the call (3.12's line callback reads this flag). */
void
hs_py_frame_disable_line_events (PyFrameObject *frame)
{
  frame->f_trace_lines = 0;
}

/* Skips the frames that have not started (the shim frame under each C
 * call into the interpreter among them) as PyFrame_GetBack does. */
HsPyFrame *
hs_py_frame_previous (HsPyFrame *frame)
{
  _PyInterpreterFrame *f = ((_PyInterpreterFrame *) frame)->previous;

  while (f != NULL && (f->owner == FRAME_OWNED_BY_CSTACK || _PyFrame_IsIncomplete (f)))
    f = f->previous;
  return (HsPyFrame *) f;
}

PyCodeObject *
hs_py_frame_code (HsPyFrame *frame)
{
  return ((_PyInterpreterFrame *) frame)->f_code;
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

/* Reads a fast local straight from the frame.  PyFrame_GetLocals would build
 * and cache a dict holding a reference to every local, which the program
 * could then see in sys.getrefcount.  A captured variable's slot holds its
 * cell once MAKE_CELL has run, the plain value before. */
PyObject *
hs_py_frame_local (HsPyFrame  *frame,
                   int         index,
                   PyObject  **name)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;
  PyCodeObject *co = f->f_code;

  g_assert (index >= 0 && index < co->co_nlocalsplus);

  *name = PyTuple_GET_ITEM (co->co_localsplusnames, index);
  return f->localsplus[index];
}

/* 3.12 keeps either the __dict__ or, tagged with its low bit, the values
 * array in the word before the object's gc header. */
PyObject *
hs_py_port_managed_attrs (PyObject     *obj,
                          HsPyAttrFunc  func,
                          gpointer      user_data)
{
  PyDictOrValues dorv = *_PyObject_DictOrValuesPointer (obj);
  PyDictValues *values;
  guint8 *size_ptr;

  if (!_PyDictOrValues_IsValues (dorv))
    return _PyDictOrValues_GetDict (dorv);

  values = _PyDictOrValues_GetValues (dorv);
  size_ptr = ((guint8 *) values) - 2;
  hs_py_foreach_shared_value (((PyHeapTypeObject *) Py_TYPE (obj))->ht_cached_keys,
                              values->values, size_ptr - 1, -1, *size_ptr,
                              func, user_data);
  return NULL;
}
