/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cpython"

#include "config.h"

#include "hs-cpython-private.h"

/* What reads CPython 3.13's private structures differently from the other
 * versions: the frame's line (from instr_ptr) and inline attribute
 * values; the frame's code (f_executable) is spelt in
 * hs-cpython-private.h.  3.13's frame.f_locals is a write-through proxy
 * (PEP 667); like PyFrame_GetLocals in earlier versions it is never
 * touched: locals are read from the frame's own slots.  Immortality and
 * tracing are shared with 3.12 in hs-cpython-pep669.c, the rest is in
 * hs-cpython-common.c. */

#if PY_VERSION_HEX < 0x030D0000 || PY_VERSION_HEX >= 0x030E0000
# error "hs-cpython-313.c reads CPython 3.13's private structures; add a port for this version"
#endif

int
hs_py_frame_line (HsPyFrame *frame)
{
  return PyUnstable_InterpreterFrame_GetLine ((_PyInterpreterFrame *) frame);
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
  PyObject *dict = (PyObject *) _PyObject_ManagedDictPointer (obj)->dict;

  /* A __dict__ made from inline values (c.__dict__) keeps them valid and
   * reads them in place: one something else holds too is the caller's to
   * draw (hs_py_foreach_instance_attr ()) */
  if (!(Py_TYPE (obj)->tp_flags & Py_TPFLAGS_INLINE_VALUES) ||
      !_PyObject_InlineValues (obj)->valid || (dict != NULL && Py_REFCNT (dict) > 1))
    return dict;

  values = _PyObject_InlineValues (obj);
  hs_py_foreach_shared_value (((PyHeapTypeObject *) Py_TYPE (obj))->ht_cached_keys,
                              values->values, get_insertion_order_array (values), 1,
                              values->size, func, user_data);
  return NULL;
}
