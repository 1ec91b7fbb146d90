/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Issue 11: on 3.12 and later, is a C trace function set with
 * PyEval_SetTrace (which CPython runs on sys.monitoring) slower than
 * sys.monitoring callbacks written in C, for what Heapscope's tracer needs
 * from each event (the code object and the line)?  Prints the time of one
 * program run untraced and under each way, with and without the
 * INSTRUCTION event that Heapscope sets to keep instructions generic, and
 * the cost per event.  Built once per CPython 3.12+ found; run by hand.
 */
#define G_LOG_DOMAIN "heapscope-bench-monitoring"

#include "config.h"

#include <Python.h>
#include <stdio.h>
#include <glib.h>

#define TOOL 4
#define REPEATS 5

static const char program[] =
  "def f(n):\n"
  "    s = 0\n"
  "    for i in range(n):\n"
  "        s += i\n"
  "    return s\n"
  "for _ in range(40):\n"
  "    f(5000)\n";

static guint64 n_events;
static PyObject *last_code;
static int last_line;

/* What the tracer reads at each event, and no more. */
static int
trace_function (PyObject      *obj,
                PyFrameObject *frame,
                int            what,
                PyObject      *arg)
{
  PyCodeObject *code = PyFrame_GetCode (frame);

  last_code = (PyObject *) code;
  last_line = PyFrame_GetLineNumber (frame);
  Py_DECREF (code);
  n_events++;
  return 0;
}

static PyObject *
on_event (PyObject         *self,
          PyObject *const  *args,
          Py_ssize_t        n_args)
{
  last_code = args[0];
  if (n_args == 2 && self != NULL)
    last_line = (int) PyLong_AsLong (args[1]);
  n_events++;
  Py_RETURN_NONE;
}

static PyObject *
on_instruction (PyObject         *self,
                PyObject *const  *args,
                Py_ssize_t        n_args)
{
  Py_RETURN_NONE;
}

static PyMethodDef line_def = { "line", (PyCFunction) (void (*) (void)) on_event, METH_FASTCALL, NULL };
static PyMethodDef start_def = { "start", (PyCFunction) (void (*) (void)) on_event, METH_FASTCALL, NULL };
static PyMethodDef instruction_def = { "instruction", (PyCFunction) (void (*) (void)) on_instruction, METH_FASTCALL, NULL };

static long
event_bit (PyObject   *events,
           const char *name)
{
  PyObject *v = PyObject_GetAttrString (events, name);
  long bit = PyLong_AsLong (v);

  Py_DECREF (v);
  return bit;
}

static void
call (PyObject   *monitoring,
      const char *method,
      const char *format,
      ...)
{
  va_list ap;
  PyObject *callable = PyObject_GetAttrString (monitoring, method);
  PyObject *args, *r;

  va_start (ap, format);
  args = Py_VaBuildValue (format, ap);
  va_end (ap);
  r = PyObject_CallObject (callable, args);
  if (r == NULL)
    {
      PyErr_Print ();
      g_error ("sys.monitoring.%s failed", method);
    }
  Py_DECREF (r);
  Py_DECREF (args);
  Py_DECREF (callable);
}

typedef enum { NONE, SETTRACE, MONITORING } Way;

static double
run_once (PyObject *code,
          Way       way,
          gboolean  generic)
{
  PyObject *monitoring = PySys_GetObject ("monitoring");
  PyObject *events = PyObject_GetAttrString (monitoring, "events");
  long line = event_bit (events, "LINE");
  long start = event_bit (events, "PY_START");
  long instruction = event_bit (events, "INSTRUCTION");
  PyObject *globals = PyDict_New ();
  PyObject *line_cb = PyCFunction_New (&line_def, Py_None);
  PyObject *start_cb = PyCFunction_New (&start_def, NULL);
  PyObject *instruction_cb = PyCFunction_New (&instruction_def, NULL);
  long set = generic ? instruction : 0;
  gint64 t0;
  double seconds;
  PyObject *r;

  PyDict_SetItemString (globals, "__builtins__", PyEval_GetBuiltins ());
  call (monitoring, "use_tool_id", "(is)", TOOL, "bench");
  call (monitoring, "register_callback", "(ilO)", TOOL, line, line_cb);
  call (monitoring, "register_callback", "(ilO)", TOOL, start, start_cb);
  call (monitoring, "register_callback", "(ilO)", TOOL, instruction, instruction_cb);
  if (way == MONITORING)
    set |= line | start;
  call (monitoring, "set_events", "(il)", TOOL, set);
  if (way == SETTRACE)
    PyEval_SetTrace (trace_function, NULL);

  t0 = g_get_monotonic_time ();
  r = PyEval_EvalCode (code, globals, globals);
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  if (r == NULL)
    PyErr_Print ();
  Py_XDECREF (r);

  PyEval_SetTrace (NULL, NULL);
  call (monitoring, "set_events", "(il)", TOOL, 0L);
  call (monitoring, "free_tool_id", "(i)", TOOL);
  Py_DECREF (instruction_cb);
  Py_DECREF (start_cb);
  Py_DECREF (line_cb);
  Py_DECREF (globals);
  Py_DECREF (events);
  return seconds;
}

static double
best (PyObject *code,
      Way       way,
      gboolean  generic,
      guint64  *events)
{
  double min = G_MAXDOUBLE;

  for (guint i = 0; i < REPEATS; i++)
    {
      n_events = 0;
      min = MIN (min, run_once (code, way, generic));
    }
  *events = n_events;
  return min;
}

int
main (int   argc,
      char *argv[])
{
  static const char *names[] = { "untraced", "PyEval_SetTrace (C function)", "sys.monitoring (C callbacks)" };
  PyObject *code;
  double base[2] = { 0, 0 };

  Py_Initialize ();
  code = Py_CompileString (program, "bench.py", Py_file_input);
  g_assert (code != NULL);

  printf ("Python %s, best of %d runs of a loop program (40 calls of 5000 iterations)\n\n", PY_VERSION, REPEATS);
  printf ("| way | generic instructions | seconds | events | ns per event over untraced |\n");
  printf ("|---|---|---:|---:|---:|\n");
  for (int generic = 0; generic < 2; generic++)
    for (Way way = NONE; way <= MONITORING; way++)
      {
        guint64 events = 0;
        double s = best (code, way, generic, &events);

        if (way == NONE)
          base[generic] = s;
        printf ("| %s | %s | %.3f | %" G_GUINT64_FORMAT " | ", names[way], generic ? "yes" : "no", s, events);
        if (way == NONE)
          printf ("- |\n");
        else
          printf ("%.0f |\n", (s - base[generic]) * 1e9 / MAX (events, 1));
      }
  (void) last_code;
  (void) last_line;
  Py_DECREF (code);
  Py_FinalizeEx ();
  return 0;
}
