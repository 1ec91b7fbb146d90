/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cpython"

#include "config.h"

#include "hs-cpython-private.h"

/* Immortality and tracing as 3.12 and 3.13 have them: PEP 683 immortal
 * objects, and the legacy trace function running on PEP 669's
 * sys.monitoring, whose events are set for the whole interpreter and only
 * counted per thread. */

#if PY_VERSION_HEX < 0x030C0000
# error "hs-cpython-pep669.c is for CPython 3.12 and later"
#endif

/* The refcount field itself says so (PEP 683): small ints, interned and
 * static strings, None, True, False, the static types and more. */
gboolean
hs_py_is_immortal (PyObject *obj)
{
  return _Py_IsImmortal (obj);
}

/* PyEval_SetTrace without its "sys.settrace" audit event, which the
 * program's audit hooks would see: the hooks are out of reach for the
 * call.  CPython itself then sets up its monitoring callbacks, counts the
 * thread among the traced ones and sets the events. */
static void
set_trace_quietly (Py_tracefunc func,
                   PyObject    *obj)
{
  PyInterpreterState *interp = PyInterpreterState_Get ();
  PyObject *py_hooks = interp->audit_hooks;
  _Py_AuditHookEntry *c_hooks = _PyRuntime.audit_hooks.head;

  interp->audit_hooks = NULL;
  _PyRuntime.audit_hooks.head = NULL;
  Py_XINCREF (obj);
  PyEval_SetTrace (func, obj);
  Py_XDECREF (obj);
  _PyRuntime.audit_hooks.head = c_hooks;
  interp->audit_hooks = py_hooks;
}

/* 3.11 runs the generic form of every instruction while tracing is on;
 * 3.12's tracing (on sys.monitoring) leaves the specialised forms in
 * place, and those free ints, floats and strs without their tp_dealloc
 * (_Py_DECREF_SPECIALIZED), where hs-registry.c would not see the free:
 * the freed object's ref would pass to the next object at its address.
 * An INSTRUCTION event makes CPython run the generic form of each
 * instruction and hold its specialisation counter still, in every thread.
 *
 * The event is set for sys.setprofile()'s tool (6), which the program
 * cannot name in sys.monitoring (its tools are 0 to 5, all free as under
 * python3, issue 48 item 8), with no callback.  Only the program's
 * sys.setprofile() sets that tool's events, and then drops this one: it
 * is set again at the next event Heapscope sees (hs_py_trace_other_threads()).
 * sys.monitoring.restart_events(), taken before the program ran, puts it
 * into the code objects that run. */
#define HS_MONITORING_TOOL PY_MONITORING_SYS_PROFILE_ID

static PyObject *restart_events;

static void
despecialize (void)
{
  PyInterpreterState *interp = PyInterpreterState_Get ();
  uint8_t *tools = &interp->monitors.tools[PY_MONITORING_EVENT_INSTRUCTION];
  PyObject *type, *value, *tb, *res;

  if (*tools & (1 << HS_MONITORING_TOOL))
    return;
  if (restart_events == NULL)
    {
      PyObject *monitoring = PySys_GetObject ("monitoring");   /* borrowed */

      restart_events = monitoring != NULL ? PyObject_GetAttrString (monitoring, "restart_events") : NULL;
      if (restart_events == NULL || !PyCFunction_Check (restart_events))
        {
          g_warning ("cannot run the generic instructions: frees through specialised ones will be missed");
          PyErr_Clear ();
          Py_CLEAR (restart_events);
          return;
        }
    }

  *tools |= 1 << HS_MONITORING_TOOL;
  PyErr_Fetch (&type, &value, &tb);
  res = PyObject_CallNoArgs (restart_events);
  if (res == NULL)
    {
      *tools &= ~(1 << HS_MONITORING_TOOL);
      g_warning ("cannot run the generic instructions: frees through specialised ones will be missed");
      PyErr_Clear ();
    }
  Py_XDECREF (res);
  PyErr_Restore (type, value, tb);
}

/* Only the C function changes; the object sys.gettrace() returns stays as
 * it is. */
Py_tracefunc
hs_py_swap_trace_function (Py_tracefunc func)
{
  PyThreadState *tstate = PyThreadState_Get ();
  Py_tracefunc old = tstate->c_tracefunc;

  if (func != NULL)
    despecialize ();
  if (old != func)
    set_trace_quietly (func, tstate->c_traceobj);
  return old;
}

/* Gives every other thread of the interpreter func as its C trace
 * function, unless it has one (the program's own keeps it traced too), as
 * 3.11's port does.  The events are the interpreter's, already set for
 * this thread; the other thread is counted among the traced ones as
 * _PyEval_SetTrace would, so that its own sys.settrace() keeps the count
 * right. */
void
hs_py_trace_other_threads (Py_tracefunc func)
{
  static uint64_t seen_id;
  PyThreadState *current = PyThreadState_Get ();
  PyInterpreterState *interp = current->interp;

  /* called at every event: the program's sys.setprofile() drops it */
  if (current->c_tracefunc != NULL)
    despecialize ();
  if (interp->threads.next_unique_id == seen_id || current->c_tracefunc == NULL)
    return;
  seen_id = interp->threads.next_unique_id;
  for (PyThreadState *t = interp->threads.head; t != NULL; t = t->next)
    if (t != current && t->c_tracefunc == NULL)
      {
        t->c_tracefunc = func;
        interp->sys_tracing_threads++;
      }
}
