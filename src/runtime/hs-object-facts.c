/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-object-facts"

#include "config.h"

#include "hs-cpython.h"
#include "hs-object-facts.h"
#include "hs-protocol.h"

#define REPR_MAX 60

static gboolean
is_immutable (PyObject *obj)
{
  return PyLong_CheckExact (obj) || PyBool_Check (obj) || PyFloat_CheckExact (obj) ||
         PyComplex_CheckExact (obj) || PyUnicode_CheckExact (obj) || PyBytes_CheckExact (obj) ||
         PyTuple_CheckExact (obj) || PyFrozenSet_CheckExact (obj) || obj == Py_None ||
         obj == Py_Ellipsis || obj == Py_NotImplemented || PyRange_Check (obj) ||
         PyCode_Check (obj) || PySlice_Check (obj);
}

/* What cannot change while the object lives is worked out once. */
void
hs_object_facts_classify (HsEntry *e)
{
  PyObject *obj = e->obj;
  PyTypeObject *type = Py_TYPE (obj);
  guint32 flags = 0;

  if (!is_immutable (obj))
    flags |= HS_OBJECT_MUTABLE;
  if (hs_py_is_small_int (obj))
    flags |= HS_OBJECT_SMALL_INT;
  if (hs_py_is_immortal (obj))
    flags |= HS_OBJECT_IMMORTAL;

  if (PyList_Check (obj))
    e->shape = HS_SHAPE_LIST;
  else if (PyTuple_Check (obj))
    e->shape = HS_SHAPE_TUPLE;
  else if (PyDict_Check (obj))
    e->shape = HS_SHAPE_DICT;
  else if (PyAnySet_Check (obj))
    e->shape = HS_SHAPE_SET;
  else if (PyFunction_Check (obj))
    e->shape = HS_SHAPE_FUNCTION;
  else if (PyCell_Check (obj))
    e->shape = HS_SHAPE_CELL;
  else if (PyMethod_Check (obj))
    e->shape = HS_SHAPE_METHOD;
  else if (PyMemoryView_Check (obj))
    e->shape = HS_SHAPE_MEMORYVIEW;
  else if (hs_py_is_managed_buffer (obj))
    e->shape = HS_SHAPE_MANAGED_BUFFER;
  else if (hs_py_is_generator (obj))
    e->shape = HS_SHAPE_GENERATOR;
  else if (hs_py_has_iterator_parts (obj))
    e->shape = HS_SHAPE_ITERATOR;
  else
    e->shape = HS_SHAPE_LEAF;

  if (e->shape >= HS_SHAPE_LIST && e->shape <= HS_SHAPE_SET)
    flags |= HS_OBJECT_CONTAINER;

  /* instances of Python classes, including subclasses of builtins, and
   * the classes themselves, whose data attributes their instances share;
   * exceptions, built-in ones too, for their arguments and the exceptions
   * they chain to */
  if (PyType_Check (obj))
    e->has_attrs = (((PyTypeObject *) obj)->tp_flags & Py_TPFLAGS_HEAPTYPE) != 0;
  else
    e->has_attrs = ((type->tp_flags & Py_TPFLAGS_HEAPTYPE) && !PyModule_Check (obj)) ||
                   PyExceptionInstance_Check (obj);
  e->static_flags = flags;
  e->type = type;
}

guint32
hs_object_facts_flags (HsEntry  *e,
                       gboolean  reachable)
{
  PyObject *obj = e->obj;
  guint32 flags = e->static_flags;
  int generation = HS_OBJECT_NO_GENERATION;

  /* sys.intern() can intern a string in place */
  if (PyUnicode_CheckExact (obj) && PyUnicode_CHECK_INTERNED (obj))
    flags |= HS_OBJECT_INTERNED;
  if (reachable)
    flags |= HS_OBJECT_REACHABLE;

  if (PyObject_IS_GC (obj) && PyObject_GC_IsTracked (obj))
    {
      flags |= HS_OBJECT_GC_TRACKED;
      /* While the collector runs the __del__ of the garbage it found, that
       * garbage is in none of its generations (see also
       * refresh_generations () in hs-heap-walker.c) */
      if (hs_py_gc_collecting () && hs_py_gc_is_garbage (obj))
        flags |= HS_OBJECT_COLLECTING;
      else
        {
          if (e->generation < 0 && e->generation != HS_ENTRY_NO_GENERATION)
            e->generation = hs_py_gc_generation (obj);
          if (e->generation >= 0)
            generation = e->generation;
        }
    }
  else
    e->generation = -2;

  return flags | ((guint32) generation << HS_OBJECT_GENERATION_SHIFT);
}

const char *
hs_object_facts_type_name (PyObject *obj)
{
  const char *name = Py_TYPE (obj)->tp_name;
  const char *dot;

  /* builtins report "module.Name" for some C types; show the short name */
  if (!(Py_TYPE (obj)->tp_flags & Py_TPFLAGS_HEAPTYPE) && (dot = strrchr (name, '.')) != NULL)
    return dot + 1;
  return name;
}

/* The module that defines a function or a class, as CPython stores it:
 * a function's func_module, the __module__ of a class's own dict (read
 * entry by entry, so that no lookup compares keys), the module part of a
 * C type's name.  NULL for anything else, or when that is not a str.
 * Nothing is looked up as an attribute: a __getattr__, a descriptor or a
 * metaclass would run the program's code. */
char *
hs_object_facts_module (PyObject *obj)
{
  PyObject *module = NULL;
  g_autofree char *copy = NULL;
  const char *utf8;

  if (PyFunction_Check (obj))
    module = ((PyFunctionObject *) obj)->func_module;
  else if (PyType_Check (obj))
    {
      PyTypeObject *type = (PyTypeObject *) obj;
      PyObject *key, *value;
      Py_ssize_t pos = 0;

      if (!(type->tp_flags & Py_TPFLAGS_HEAPTYPE))
        {
          const char *dot = strrchr (type->tp_name, '.');

          return dot != NULL ? g_strndup (type->tp_name, dot - type->tp_name) : g_strdup ("builtins");
        }
      if (type->tp_dict != NULL && PyDict_CheckExact (type->tp_dict))
        while (module == NULL && PyDict_Next (type->tp_dict, &pos, &key, &value))
          if (PyUnicode_CheckExact (key) && PyUnicode_CompareWithASCIIString (key, "__module__") == 0)
            module = value;
    }
  if (module == NULL || !PyUnicode_CheckExact (module))
    return NULL;
  utf8 = hs_py_str_utf8 (module, &copy);
  return utf8 != NULL ? g_strdup (utf8) : NULL;
}

/* Immutable scalars and named things keep the repr they had when first seen. */
gboolean
hs_object_facts_repr_is_static (PyObject *obj)
{
  return (is_immutable (obj) && !PyTuple_Check (obj) && !PyFrozenSet_Check (obj)) ||
         PyFunction_Check (obj) || PyType_Check (obj) || PyModule_Check (obj) || PyCFunction_Check (obj);
}

static void
append_truncated (GString    *out,
                  const char *text)
{
  gsize room = out->len < REPR_MAX ? REPR_MAX - out->len : 0;

  if (g_utf8_strlen (text, -1) <= (glong) room)
    g_string_append (out, text);
  else
    {
      const char *end = g_utf8_offset_to_pointer (text, room);

      g_string_append_len (out, text, end - text);
      g_string_append (out, "…");
    }
}

static char *
python_repr (PyObject *obj)
{
  PyObject *r = PyObject_Repr (obj);
  char *ret = NULL;

  if (r != NULL)
    {
      g_autofree char *copy = NULL;
      const char *utf8 = hs_py_str_utf8 (r, &copy);

      if (utf8 != NULL)
        ret = g_strdup (utf8);
      Py_DECREF (r);
    }
  if (ret == NULL)
    PyErr_Clear ();
  return ret;
}

/* Runs only C code that cannot reach back into the program. */
static char *
scalar_repr (PyObject *obj)
{
  if (PyLong_CheckExact (obj) || PyBool_Check (obj))
    {
      /* 3.11 refuses to print ints beyond 4300 digits */
      if (PyLong_CheckExact (obj) && _PyLong_NumBits (obj) > 4000)
        return g_strdup_printf ("<int of %zu bits>", _PyLong_NumBits (obj));
      return python_repr (obj);
    }
  if (PyFloat_CheckExact (obj) || PyComplex_CheckExact (obj) || obj == Py_None ||
      obj == Py_Ellipsis || obj == Py_NotImplemented || PyRange_Check (obj))
    return python_repr (obj);
  if (PyUnicode_CheckExact (obj))
    {
      if (PyUnicode_GET_LENGTH (obj) > REPR_MAX)
        {
          PyObject *head = PyUnicode_Substring (obj, 0, REPR_MAX);
          char *r = head ? python_repr (head) : NULL;
          char *ret;

          Py_XDECREF (head);
          PyErr_Clear ();
          ret = g_strconcat (r ? r : "''", "…", NULL);
          g_free (r);
          return ret;
        }
      return python_repr (obj);
    }
  if (PyBytes_CheckExact (obj) || PyByteArray_CheckExact (obj))
    {
      const char *data = PyBytes_Check (obj) ? PyBytes_AS_STRING (obj) : PyByteArray_AS_STRING (obj);
      Py_ssize_t len = PyBytes_Check (obj) ? PyBytes_GET_SIZE (obj) : PyByteArray_GET_SIZE (obj);
      PyObject *head = PyBytes_FromStringAndSize (data, MIN (len, REPR_MAX));
      char *r = head ? python_repr (head) : NULL;
      char *ret;

      Py_XDECREF (head);
      PyErr_Clear ();
      ret = g_strdup_printf ("%s%s%s%s", PyByteArray_Check (obj) ? "bytearray(" : "",
                             r ? r : "b''", len > REPR_MAX ? "…" : "",
                             PyByteArray_Check (obj) ? ")" : "");
      g_free (r);
      return ret;
    }
  return NULL;
}

static char *
element_repr (PyObject *obj)
{
  char *s = scalar_repr (obj);

  if (s != NULL)
    return s;
  /* "⋯", not "…": "[…]" reads like Python's "[...]" for a list that
   * contains itself, and this only means "nested, not shown" */
  if (PyList_Check (obj))
    return g_strdup ("[⋯]");
  if (PyTuple_Check (obj))
    return g_strdup ("(⋯)");
  if (PyDict_Check (obj))
    return g_strdup ("{⋯}");
  return g_strdup_printf ("<%s>", hs_object_facts_type_name (obj));
}

static char *
sequence_repr (PyObject  **items,
               Py_ssize_t  n,
               const char *open,
               const char *close)
{
  GString *out = g_string_new (open);

  for (Py_ssize_t i = 0; i < n; i++)
    {
      g_autofree char *item = element_repr (items[i]);

      if (i > 0)
        g_string_append (out, ", ");
      append_truncated (out, item);
      if (out->len >= REPR_MAX)
        {
          if (i + 1 < n)
            g_string_append (out, ", …");
          break;
        }
    }
  if (n == 1 && g_str_equal (open, "("))
    g_string_append_c (out, ',');
  g_string_append (out, close);
  return g_string_free (out, FALSE);
}

char *
hs_object_facts_repr (PyObject *obj)
{
  PyTypeObject *type = Py_TYPE (obj);
  char *s;

  if ((s = scalar_repr (obj)) != NULL)
    return s;

  if (PyList_Check (obj))
    return sequence_repr (((PyListObject *) obj)->ob_item, PyList_GET_SIZE (obj), "[", "]");
  if (PyTuple_Check (obj))
    return sequence_repr (((PyTupleObject *) obj)->ob_item, PyTuple_GET_SIZE (obj), "(", ")");
  if (PyDict_Check (obj) || PyAnySet_Check (obj))
    {
      GString *out = g_string_new (PyDict_Check (obj) ? "{" : PyFrozenSet_Check (obj) ? "frozenset({" : "{");
      Py_ssize_t pos = 0;
      PyObject *key, *value;
      gboolean first = TRUE;
      gboolean more;

      if (PyAnySet_Check (obj) && PySet_GET_SIZE (obj) == 0)
        {
          g_string_free (out, TRUE);
          return g_strdup (PyFrozenSet_Check (obj) ? "frozenset()" : "set()");
        }
      while ((more = PyDict_Check (obj) ? PyDict_Next (obj, &pos, &key, &value)
                                        : hs_py_set_next_entry (obj, &pos, &key)))
        {
          g_autofree char *k = element_repr (key);

          if (out->len >= REPR_MAX)
            {
              g_string_append (out, ", …");
              break;
            }
          if (!first)
            g_string_append (out, ", ");
          first = FALSE;
          append_truncated (out, k);
          if (PyDict_Check (obj))
            {
              g_autofree char *v = element_repr (value);

              g_string_append (out, ": ");
              append_truncated (out, v);
            }
        }
      g_string_append (out, PyFrozenSet_Check (obj) ? "})" : "}");
      return g_string_free (out, FALSE);
    }
  if (PyFunction_Check (obj))
    {
      g_autofree char *copy = NULL;
      const char *name = hs_py_str_utf8 (((PyFunctionObject *) obj)->func_qualname, &copy);

      return g_strdup_printf ("<function %s>", name ? name : "?");
    }
  if (PyType_Check (obj))
    return g_strdup_printf ("<class '%s'>", ((PyTypeObject *) obj)->tp_name);
  if (PyModule_Check (obj))
    {
      PyObject *name_obj = PyModule_GetNameObject (obj);
      g_autofree char *copy = NULL;
      const char *name = name_obj ? hs_py_str_utf8 (name_obj, &copy) : NULL;
      char *ret = g_strdup_printf ("<module '%s'>", name ? name : "?");

      Py_XDECREF (name_obj);
      PyErr_Clear ();
      return ret;
    }
  if (PyMethod_Check (obj))
    {
      PyObject *func = PyMethod_GET_FUNCTION (obj);

      if (PyFunction_Check (func))
        {
          g_autofree char *copy = NULL;
          const char *name = hs_py_str_utf8 (((PyFunctionObject *) func)->func_qualname, &copy);

          return g_strdup_printf ("<bound method %s>", name ? name : "?");
        }
      return g_strdup ("<bound method>");
    }
  if (PyCFunction_Check (obj))
    return g_strdup_printf ("<built-in function %s>", ((PyCFunctionObject *) obj)->m_ml->ml_name);
  /* Named as Python's repr names them, without the address: the name
   * ties the object to the frame its code runs in */
  if (hs_py_is_generator (obj))
    {
      g_autofree char *copy = NULL;
      /* the three share _PyGenObject_HEAD's layout */
      PyObject *qualname = ((PyGenObject *) obj)->gi_qualname;
      const char *name = qualname != NULL ? hs_py_str_utf8 (qualname, &copy) : NULL;

      return g_strdup_printf ("<%s object %s>", type->tp_name, name ? name : "?");
    }
  if (PyCell_Check (obj))
    return g_strdup ("<cell>");
  if (PyMemoryView_Check (obj))
    return g_strdup ("<memory>");

  return g_strdup_printf ("<%s object>", type->tp_name);
}

gint64
hs_object_facts_size (PyObject *obj)
{
  return hs_py_sizeof (obj);
}
