/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cpython"

#include "config.h"

#include "hs-cpython-private.h"

/* What reads CPython 3.11's private structures differently from the other
 * versions; the rest is in hs-cpython-common.c. */

#if PY_VERSION_HEX < 0x030B0000 || PY_VERSION_HEX >= 0x030C0000
# error "hs-cpython-311.c reads CPython 3.11's private structures; add a port for this version"
#endif

int
hs_py_frame_line (HsPyFrame *frame)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;

  return PyCode_Addr2Line (f->f_code, _PyInterpreterFrame_LASTI (f) * sizeof (_Py_CODEUNIT));
}

PyObject *
hs_py_port_managed_attrs (PyObject     *obj,
                          HsPyAttrFunc  func,
                          gpointer      user_data)
{
  PyDictValues *values = *_PyObject_ValuesPointer (obj);
  guint8 *size_ptr;

  if (values == NULL)
    return *_PyObject_ManagedDictPointer (obj);

  size_ptr = ((guint8 *) values) - 2;
  hs_py_foreach_shared_value (((PyHeapTypeObject *) Py_TYPE (obj))->ht_cached_keys,
                              values->values, size_ptr - 1, -1, *size_ptr,
                              func, user_data);
  return NULL;
}

/* In 3.11 the statically allocated singletons (small ints, one-byte bytes,
 * single-character strings, identifiers, the empty tuple) live in
 * _PyRuntime.global_objects, and the deep-frozen stdlib modules' constants
 * in libpython's data; all start with a refcount of 999999999.  None, True,
 * False, Ellipsis, NotImplemented and the static types are statically
 * allocated too, but start at 1 like any object. */
gboolean
hs_py_is_immortal (PyObject *obj)
{
  static void *libpython_base;
  static GHashTable *known_static;  /* PyObject*, found in libpython's image */
  const char *start = (const char *) &_PyRuntime.global_objects;
  const char *end = start + sizeof _PyRuntime.global_objects;
  Dl_info info;

  if ((const char *) obj >= start && (const char *) obj < end)
    return TRUE;
  if (obj == Py_None || obj == Py_True || obj == Py_False || obj == Py_Ellipsis ||
      obj == Py_NotImplemented || PyType_Check (obj))
    return FALSE;
  /* dladdr() is slow (it was a third of the worker's time when the
   * names of a deep-frozen module's globals were asked about at each
   * step).  An object whose count is far below the static objects'
   * start cannot be one of them, since no program drops hundreds of
   * millions of references to one; and one found in libpython's image
   * stays there, so it is asked about once. */
  if (Py_REFCNT (obj) < 999999999 / 2)
    return FALSE;
  if (known_static != NULL && g_hash_table_contains (known_static, obj))
    return TRUE;

  if (libpython_base == NULL && dladdr ((void *) &PyLong_Type, &info) != 0)
    libpython_base = info.dli_fbase;
  if (dladdr (obj, &info) == 0 || info.dli_fbase != libpython_base)
    return FALSE;
  if (known_static == NULL)
    known_static = g_hash_table_new (NULL, NULL);
  g_hash_table_add (known_static, obj);
  return TRUE;
}

/* What _PyEval_SetTrace does, minus its "sys.settrace" audit event, which
 * the program's audit hooks would see: only the C function changes, the
 * object sys.gettrace() returns stays as it is. */
Py_tracefunc
hs_py_swap_trace_function (Py_tracefunc func)
{
  PyThreadState *tstate = _PyThreadState_GET ();
  Py_tracefunc old = tstate->c_tracefunc;

  tstate->c_tracefunc = func;
  _PyThreadState_UpdateTracingState (tstate);
  return old;
}

/* Gives every other thread of the interpreter func as its C trace
 * function, unless it has one (the program's own keeps it traced too).  A
 * traced thread runs 3.11's generic instructions, which free through
 * tp_dealloc, where the registry sees it; an untraced one frees floats,
 * ints and strs through specialised instructions that bypass it.  A new
 * thread state is made by the thread that starts it, holding the GIL, so
 * the starter's next trace event gets to it before the new thread runs
 * (unless the starter is preempted for a whole switch interval first). */
void
hs_py_trace_other_threads (Py_tracefunc func)
{
  static uint64_t seen_id;
  PyThreadState *current = _PyThreadState_GET ();
  PyInterpreterState *interp = current->interp;

  if (interp->threads.next_unique_id == seen_id)
    return;
  seen_id = interp->threads.next_unique_id;
  for (PyThreadState *t = interp->threads.head; t != NULL; t = t->next)
    if (t != current && t->c_tracefunc == NULL)
      {
        t->c_tracefunc = func;
        _PyThreadState_UpdateTracingState (t);
      }
}
