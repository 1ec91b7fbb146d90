/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cpython"

#include "config.h"

#include "hs-cpython-private.h"

/* What reads CPython 3.12's private structures differently from the other
 * versions: the frame's line (from prev_instr) and the managed dict (a
 * tagged dict-or-values pointer); the frame's code and shim frames are
 * spelt in hs-cpython-private.h.  Immortality and tracing are
 * shared with 3.13 in hs-cpython-pep669.c, the rest is in
 * hs-cpython-common.c. */

#if PY_VERSION_HEX < 0x030C0000 || PY_VERSION_HEX >= 0x030D0000
# error "hs-cpython-312.c reads CPython 3.12's private structures; add a port for this version"
#endif

int
hs_py_frame_line (HsPyFrame *frame)
{
  return PyUnstable_InterpreterFrame_GetLine ((_PyInterpreterFrame *) frame);
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
