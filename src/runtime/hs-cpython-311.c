/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cpython"

#include "config.h"

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
#undef Py_BUILD_CORE

#include "hs-cpython.h"

#if PY_VERSION_HEX < 0x030B0000 || PY_VERSION_HEX >= 0x030C0000
# error "hs-cpython-311.c reads CPython 3.11's private structures; add a port for this version"
#endif

static destructor subtype_dealloc;
static PyObject *sizeof_name;

void
hs_py_internals_init (void)
{
  PyObject *bootstrap;
  PyObject *cls;

  /* subtype_dealloc is static in typeobject.c; a class importlib already
   * defined shows its address.  Making a class of our own would leave
   * garbage for the program's first gc.collect() to find. */
  bootstrap = PyImport_ImportModule ("_frozen_importlib");
  g_assert (bootstrap != NULL);
  cls = PyObject_GetAttrString (bootstrap, "ModuleSpec");
  g_assert (cls != NULL && PyType_Check (cls));
  subtype_dealloc = ((PyTypeObject *) cls)->tp_dealloc;
  Py_DECREF (cls);
  Py_DECREF (bootstrap);

  sizeof_name = PyUnicode_InternFromString ("__sizeof__");
  g_assert (sizeof_name != NULL);
}

gboolean
hs_py_type_uses_subtype_dealloc (PyTypeObject *type)
{
  return type->tp_dealloc == subtype_dealloc;
}

/* How far before the object its memory block starts (the gc header, a
 * managed dict's pointers). */
gsize
hs_py_pre_header_size (PyTypeObject *type)
{
  return _PyType_PreHeaderSize (type);
}

/* CPython keeps dead objects of some types on free lists and hands them
 * out again without the allocator.  Free list 0 is the floats', 1 to
 * PyTuple_NFREELISTS the tuples' by size, then the lists', the dicts',
 * the slice cache and the contexts'. */
#define FREE_LIST_FLOAT   0
#define FREE_LIST_TUPLE   1
#define FREE_LIST_LIST    (FREE_LIST_TUPLE + PyTuple_NFREELISTS)
#define FREE_LIST_DICT    (FREE_LIST_LIST + 1)
#define FREE_LIST_SLICE   (FREE_LIST_DICT + 1)
#define FREE_LIST_CONTEXT (FREE_LIST_SLICE + 1)
#define N_FREE_LISTS      (FREE_LIST_CONTEXT + 1)

guint
hs_py_n_free_lists (void)
{
  return N_FREE_LISTS;
}

PyTypeObject *
hs_py_free_list_type (guint list)
{
  g_assert (list < N_FREE_LISTS);

  if (list == FREE_LIST_FLOAT)
    return &PyFloat_Type;
  if (list < FREE_LIST_LIST)
    return &PyTuple_Type;
  if (list == FREE_LIST_LIST)
    return &PyList_Type;
  if (list == FREE_LIST_DICT)
    return &PyDict_Type;
  if (list == FREE_LIST_SLICE)
    return &PySlice_Type;
  return &PyContext_Type;
}

/* The free list an object of obj's exact type and size would come from,
 * or G_MAXUINT. */
guint
hs_py_free_list_of (PyObject *obj)
{
  if (PyFloat_CheckExact (obj))
    return FREE_LIST_FLOAT;
  if (PyTuple_CheckExact (obj))
    return PyTuple_GET_SIZE (obj) >= 1 && PyTuple_GET_SIZE (obj) <= PyTuple_NFREELISTS
           ? FREE_LIST_TUPLE + (guint) PyTuple_GET_SIZE (obj) - 1 : G_MAXUINT;
  if (PyList_CheckExact (obj))
    return FREE_LIST_LIST;
  if (PyDict_CheckExact (obj))
    return FREE_LIST_DICT;
  if (PySlice_Check (obj))
    return FREE_LIST_SLICE;
  if (PyContext_CheckExact (obj))
    return FREE_LIST_CONTEXT;
  return G_MAXUINT;
}

guint
hs_py_free_list_length (guint list)
{
  PyInterpreterState *interp = _PyInterpreterState_GET ();

  g_assert (list < N_FREE_LISTS);

  if (list == FREE_LIST_FLOAT)
    return interp->float_state.numfree;
  if (list < FREE_LIST_LIST)
    return interp->tuple.numfree[list - FREE_LIST_TUPLE];
  if (list == FREE_LIST_LIST)
    return interp->list.numfree;
  if (list == FREE_LIST_DICT)
    return interp->dict_state.numfree;
  if (list == FREE_LIST_SLICE)
    return interp->slice_cache != NULL;
  return interp->context.numfree;
}

/* Reads the free list without changing it, from the next object to be
 * reused down, until func returns FALSE. */
void
hs_py_free_list_walk (guint         list,
                      HsPyFreeFunc  func,
                      gpointer      user_data)
{
  PyInterpreterState *interp = _PyInterpreterState_GET ();

  g_assert (list < N_FREE_LISTS);

  if (list == FREE_LIST_FLOAT)
    {
      for (PyFloatObject *f = interp->float_state.free_list; f != NULL; f = (PyFloatObject *) Py_TYPE (f))
        if (!func ((PyObject *) f, user_data))
          return;
    }
  else if (list < FREE_LIST_LIST)
    {
      for (PyTupleObject *t = interp->tuple.free_list[list - FREE_LIST_TUPLE]; t != NULL;
           t = (PyTupleObject *) t->ob_item[0])
        if (!func ((PyObject *) t, user_data))
          return;
    }
  else if (list == FREE_LIST_LIST)
    {
      for (int i = interp->list.numfree; i > 0; i--)
        if (!func ((PyObject *) interp->list.free_list[i - 1], user_data))
          return;
    }
  else if (list == FREE_LIST_DICT)
    {
      for (int i = interp->dict_state.numfree; i > 0; i--)
        if (!func ((PyObject *) interp->dict_state.free_list[i - 1], user_data))
          return;
    }
  else if (list == FREE_LIST_SLICE)
    {
      if (interp->slice_cache != NULL)
        func ((PyObject *) interp->slice_cache, user_data);
    }
  else
    {
      PyContext *ctx = interp->context.freelist;

      for (int i = 0; i < interp->context.numfree && ctx != NULL; i++)
        {
          if (!func ((PyObject *) ctx, user_data))
            return;
          ctx = (PyContext *) ctx->ctx_weakreflist;
        }
    }
}

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
 * events at the call. */
void
hs_py_frame_disable_line_events (PyFrameObject *frame)
{
  frame->f_trace_lines = 0;
}

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
  return ((_PyInterpreterFrame *) frame)->f_code;
}

/* The frame's value stack, when the frame saved its top: a frame that
 * called another or stopped for the trace function has; a running one
 * (stacktop -1) has not. */
PyObject **
hs_py_frame_stack (HsPyFrame *frame,
                   int       *n_items)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;
  int base = f->f_code->co_nlocalsplus;

  *n_items = 0;
  if (f->stacktop <= base || f->stacktop > base + f->f_code->co_stacksize)
    return NULL;
  *n_items = f->stacktop - base;
  return f->localsplus + base;
}

int
hs_py_frame_line (HsPyFrame *frame)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;

  return PyCode_Addr2Line (f->f_code, _PyInterpreterFrame_LASTI (f) * sizeof (_Py_CODEUNIT));
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
 * could then see in sys.getrefcount. */
PyObject *
hs_py_frame_local (HsPyFrame  *frame,
                   int         index,
                   PyObject  **name)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;
  PyCodeObject *co = f->f_code;
  _PyLocals_Kind kind;
  PyObject *value;

  g_assert (index >= 0 && index < co->co_nlocalsplus);

  *name = PyTuple_GET_ITEM (co->co_localsplusnames, index);
  kind = _PyLocals_GetKind (co->co_localspluskinds, index);
  value = f->localsplus[index];

  /* A captured variable is a cell: the frame refers to the cell and the
   * cell to the value, which is what the refcounts count.  Before MAKE_CELL
   * runs the slot still holds the plain value. */
  (void) kind;
  return value;
}

/* The UTF-8 text of a str without PyUnicode_AsUTF8(), which would cache an
 * encoded copy inside a non-ASCII string and so change its sys.getsizeof().
 * An ASCII string's own data is already UTF-8.  Returns NULL (with no
 * Python error set) if the text cannot be encoded; *to_free is set when the
 * text was copied. */
const char *
hs_py_str_utf8 (PyObject  *str,
                char     **to_free)
{
  PyObject *bytes;

  *to_free = NULL;
  if (!PyUnicode_Check (str))
    return NULL;
  if (PyUnicode_IS_COMPACT_ASCII (str))
    return (const char *) PyUnicode_DATA (str);

  bytes = PyUnicode_AsUTF8String (str);
  if (bytes == NULL)
    {
      PyErr_Clear ();
      return NULL;
    }
  *to_free = g_strndup (PyBytes_AS_STRING (bytes), PyBytes_GET_SIZE (bytes));
  Py_DECREF (bytes);
  return *to_free;
}

/* 3.11's private layouts of _io.TextIOWrapper and _io.BufferedWriter
 * (Modules/_io/textio.c, bufferedio.c).  They are only trusted for a stream
 * whose public attributes they were checked against. */
typedef struct
{
  PyObject_HEAD
  int ok;
  int detached;
  Py_ssize_t chunk_size;
  PyObject *buffer;
  PyObject *encoding;
  PyObject *encoder;
  PyObject *decoder;
  PyObject *readnl;
  PyObject *errors;
  const char *writenl;
  char line_buffering;
  char write_through;
  char readuniversal;
  char readtranslate;
  char writetranslate;
  char seekable;
  char has_read1;
  char telling;
  char finalizing;
  void *encodefunc;
  char encoding_start_of_stream;
  PyObject *decoded_chars;
  Py_ssize_t decoded_chars_used;
  PyObject *pending_bytes;       /* NULL, bytes, ASCII str, or a list of them */
  Py_ssize_t pending_bytes_count;
  PyObject *snapshot;
  double b2cratio;
  PyObject *raw;
  PyObject *weakreflist;
  PyObject *dict;
} Hs311TextIO;

typedef struct
{
  PyObject_HEAD
  PyObject *raw;
  int ok;
  int detached;
  int readable;
  int writable;
  char finalizing;
  int fast_closed_checks;
  off_t abs_pos;
  char *buffer;
  off_t pos;
  off_t raw_pos;
  off_t read_end;
  off_t write_pos;
  off_t write_end;
  void *lock;
  volatile unsigned long owner;
  Py_ssize_t buffer_size;
  Py_ssize_t buffer_mask;
  PyObject *dict;
  PyObject *weakreflist;
} Hs311Buffered;

static gboolean
attr_is (PyObject   *obj,
         const char *name,
         PyObject   *expected)
{
  PyObject *value = PyObject_GetAttrString (obj, name);
  gboolean same = value == expected;

  Py_XDECREF (value);
  PyErr_Clear ();
  return same;
}

gboolean
hs_py_text_stream_check (PyObject *stream)
{
  Hs311TextIO *text = (Hs311TextIO *) stream;
  PyObject *chunk;
  gboolean ok;

  if (stream == NULL || strcmp (Py_TYPE (stream)->tp_name, "_io.TextIOWrapper") != 0)
    return FALSE;
  if (text->ok != 1 || text->detached || !attr_is (stream, "buffer", text->buffer))
    return FALSE;

  chunk = PyObject_GetAttrString (stream, "_CHUNK_SIZE");
  ok = chunk != NULL && PyLong_Check (chunk) && PyLong_AsSsize_t (chunk) == text->chunk_size;
  Py_XDECREF (chunk);
  PyErr_Clear ();
  if (!ok)
    return FALSE;

  if (strcmp (Py_TYPE (text->buffer)->tp_name, "_io.FileIO") == 0)
    return TRUE;   /* unbuffered (-u, PYTHONUNBUFFERED): no byte buffer */
  if (strcmp (Py_TYPE (text->buffer)->tp_name, "_io.BufferedWriter") == 0)
    {
      Hs311Buffered *buffered = (Hs311Buffered *) text->buffer;

      return buffered->ok == 1 && !buffered->detached && buffered->writable &&
             attr_is (text->buffer, "raw", buffered->raw);
    }
  return FALSE;
}

static void
append_pending (PyObject   *item,
                GByteArray *into)
{
  if (PyBytes_Check (item))
    g_byte_array_append (into, (const guint8 *) PyBytes_AS_STRING (item), PyBytes_GET_SIZE (item));
  else if (PyUnicode_Check (item) && PyUnicode_IS_COMPACT_ASCII (item))
    g_byte_array_append (into, PyUnicode_DATA (item), PyUnicode_GET_LENGTH (item));
}

/* What a checked stream holds that has not reached its file yet: the byte
 * buffer first, then the text layer's pending writes.  Reads memory only. */
gsize
hs_py_text_stream_unflushed (PyObject   *stream,
                             GByteArray *into)
{
  Hs311TextIO *text = (Hs311TextIO *) stream;
  gsize count = 0;

  /* the program may have detached or re-initialised the stream since */
  if (text->ok != 1 || text->detached || text->buffer == NULL)
    return 0;

  if (strcmp (Py_TYPE (text->buffer)->tp_name, "_io.BufferedWriter") == 0 &&
      ((Hs311Buffered *) text->buffer)->ok == 1)
    {
      Hs311Buffered *buffered = (Hs311Buffered *) text->buffer;

      if (buffered->write_end != -1 && buffered->write_end > buffered->write_pos && buffered->buffer != NULL)
        {
          gsize n = buffered->write_end - buffered->write_pos;

          count += n;
          if (into != NULL)
            g_byte_array_append (into, (const guint8 *) buffered->buffer + buffered->write_pos, n);
        }
    }

  if (text->pending_bytes != NULL && text->pending_bytes_count > 0)
    {
      count += text->pending_bytes_count;
      if (into != NULL)
        {
          if (PyList_CheckExact (text->pending_bytes))
            for (Py_ssize_t i = 0; i < PyList_GET_SIZE (text->pending_bytes); i++)
              append_pending (PyList_GET_ITEM (text->pending_bytes, i), into);
          else
            append_pending (text->pending_bytes, into);
        }
    }
  return count;
}

/* The text stream's buffer object (borrowed), read from memory without
 * an attribute lookup, or NULL. */
PyObject *
hs_py_text_stream_buffer (PyObject *stream)
{
  Hs311TextIO *text = (Hs311TextIO *) stream;

  if (stream == NULL || strcmp (Py_TYPE (stream)->tp_name, "_io.TextIOWrapper") != 0 ||
      text->ok != 1 || text->detached)
    return NULL;
  return text->buffer;
}

/* How many bytes a checked stream's buffer has handed to its file so far,
 * as BufferedWriter counts them, or -1 where there is no such count (an
 * unbuffered stream, a position unknown).  Reads memory only. */
gint64
hs_py_text_stream_written (PyObject *stream)
{
  Hs311TextIO *text = (Hs311TextIO *) stream;
  Hs311Buffered *buffered;

  if (text->ok != 1 || text->detached || text->buffer == NULL ||
      strcmp (Py_TYPE (text->buffer)->tp_name, "_io.BufferedWriter") != 0)
    return -1;
  buffered = (Hs311Buffered *) text->buffer;
  if (buffered->ok != 1 || buffered->detached)
    return -1;
  return buffered->abs_pos;
}

/* Locals, cells and free variables, in that order. */
int
hs_py_code_n_locals (PyCodeObject *code)
{
  return code->co_nlocalsplus;
}

PyObject *
hs_py_code_local_name (PyCodeObject *code,
                       Py_ssize_t    index)
{
  if (index < 0 || index >= code->co_nlocalsplus)
    return NULL;
  return PyTuple_GET_ITEM (code->co_localsplusnames, index);
}

void
hs_py_foreach_instance_attr (PyObject     *obj,
                             HsPyAttrFunc  func,
                             gpointer      user_data)
{
  PyTypeObject *type = Py_TYPE (obj);
  PyObject *dict = NULL;

  if (type->tp_flags & Py_TPFLAGS_MANAGED_DICT)
    {
      PyDictValues *values = *_PyObject_ValuesPointer (obj);

      if (values != NULL)
        {
          /* Attributes still live in the shared-key values array; building
           * the __dict__ from them would change the object. */
          PyDictKeysObject *keys = ((PyHeapTypeObject *) type)->ht_cached_keys;
          PyDictUnicodeEntry *entries = DK_UNICODE_ENTRIES (keys);
          guint8 *size_ptr = ((guint8 *) values) - 2;
          int n = *size_ptr;

          for (int i = 0; i < n; i++)
            {
              int ix = size_ptr[-1 - i];
              PyObject *value = values->values[ix];

              if (value != NULL && ix < keys->dk_nentries)
                {
                  g_autofree char *copy = NULL;
                  const char *name = hs_py_str_utf8 (entries[ix].me_key, &copy);

                  if (name != NULL)
                    func (name, value, user_data);
                }
            }
        }
      else
        dict = *_PyObject_ManagedDictPointer (obj);
    }
  else if (type->tp_dictoffset != 0)
    {
      PyObject **dictptr = _PyObject_GetDictPtr (obj);

      if (dictptr != NULL)
        dict = *dictptr;
    }

  if (dict != NULL && PyDict_Check (dict))
    {
      Py_ssize_t pos = 0;
      PyObject *key, *value;

      while (PyDict_Next (dict, &pos, &key, &value))
        {
          g_autofree char *copy = NULL;
          const char *name = hs_py_str_utf8 (key, &copy);

          if (name != NULL)
            func (name, value, user_data);
        }
    }

  /* __slots__ live at fixed offsets described by the heap types' members. */
  for (PyTypeObject *t = type; t != NULL; t = t->tp_base)
    {
      PyMemberDef *mp;

      if (!(t->tp_flags & Py_TPFLAGS_HEAPTYPE))
        continue;
      mp = _PyHeapType_GET_MEMBERS ((PyHeapTypeObject *) t);
      for (Py_ssize_t i = 0; i < Py_SIZE (t); i++, mp++)
        {
          PyObject *value;

          if (mp->type != T_OBJECT_EX || (mp->flags & READONLY))
            continue;
          value = *(PyObject **) ((char *) obj + mp->offset);
          if (value != NULL)
            func (mp->name, value, user_data);
        }
    }
}

/* A memoryview holds a managed buffer, which holds the exporter; views
 * sliced from a view share its managed buffer. */
PyObject *
hs_py_memoryview_managed_buffer (PyObject *view)
{
  return (PyObject *) ((PyMemoryViewObject *) view)->mbuf;
}

PyObject *
hs_py_managed_buffer_exporter (PyObject *buffer)
{
  _PyManagedBufferObject *mbuf = (_PyManagedBufferObject *) buffer;

  if (mbuf->flags & _Py_MANAGED_BUFFER_RELEASED)
    return NULL;
  return mbuf->master.obj;
}

PyObject *
hs_py_memoryview_exporter (PyObject *view)
{
  PyMemoryViewObject *mv = (PyMemoryViewObject *) view;

  if (mv->flags & _Py_MEMORYVIEW_RELEASED || mv->mbuf == NULL)
    return NULL;
  return mv->mbuf->master.obj;
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
  const char *start = (const char *) &_PyRuntime.global_objects;
  const char *end = start + sizeof _PyRuntime.global_objects;
  Dl_info info;

  if ((const char *) obj >= start && (const char *) obj < end)
    return TRUE;
  if (obj == Py_None || obj == Py_True || obj == Py_False || obj == Py_Ellipsis ||
      obj == Py_NotImplemented || PyType_Check (obj))
    return FALSE;

  if (libpython_base == NULL && dladdr ((void *) &PyLong_Type, &info) != 0)
    libpython_base = info.dli_fbase;
  return dladdr (obj, &info) != 0 && info.dli_fbase == libpython_base;
}

gboolean
hs_py_is_small_int (PyObject *obj)
{
  long value;
  int overflow;

  if (!PyLong_CheckExact (obj))
    return FALSE;
  value = PyLong_AsLongAndOverflow (obj, &overflow);
  if (overflow || value < -_PY_NSMALLNEGINTS || value >= _PY_NSMALLPOSINTS)
    return FALSE;
  return obj == (PyObject *) &_Py_SINGLETON (small_ints)[_PY_NSMALLNEGINTS + value];
}

/* sys.getsizeof without its side effects: it would create a bound method
 * (a gc-tracked allocation that can start a collection) and could run a
 * Python-level __sizeof__.  Returns -1 when only user code could answer. */
gssize
hs_py_sizeof (PyObject *obj)
{
  PyTypeObject *type = Py_TYPE (obj);
  PyObject *descr = _PyType_Lookup (type, sizeof_name);
  PyMethodDef *def;
  PyObject *res;
  gssize size;

  /* A class can borrow another type's __sizeof__; CPython's descriptor
   * call would refuse an instance of the wrong type, and so must we. */
  if (descr == NULL || !Py_IS_TYPE (descr, &PyMethodDescr_Type) ||
      !PyObject_TypeCheck (obj, PyDescr_TYPE (descr)))
    return -1;
  def = ((PyMethodDescrObject *) descr)->d_method;
  if (!(def->ml_flags & METH_NOARGS))
    return -1;

  res = def->ml_meth (obj, NULL);
  if (res == NULL)
    {
      PyErr_Clear ();
      return -1;
    }
  size = PyLong_AsSsize_t (res);
  Py_DECREF (res);
  if (size < 0)
    {
      PyErr_Clear ();
      return -1;
    }
  return size + _PyType_PreHeaderSize (type);
}

static struct _gc_runtime_state *
gc_state (void)
{
  return &_PyInterpreterState_GET ()->gc;
}

gboolean
hs_py_gc_collecting (void)
{
  return gc_state ()->collecting != 0;
}

void
hs_py_gc_stats (guint64 collections[3],
                guint64 collected[3],
                guint64 uncollectable[3])
{
  struct _gc_runtime_state *gc = gc_state ();

  for (int i = 0; i < 3; i++)
    {
      collections[i] = gc->generation_stats[i].collections;
      collected[i] = gc->generation_stats[i].collected;
      uncollectable[i] = gc->generation_stats[i].uncollectable;
    }
}

/* Follows the object's gc list to the generation head it belongs to.  New
 * objects sit at the tail of generation 0, so this is short for them. */
int
hs_py_gc_generation (PyObject *obj)
{
  struct _gc_runtime_state *gc = gc_state ();
  PyGC_Head *heads[4];
  PyGC_Head *g;

  if (!_PyObject_IS_GC (obj) || !_PyObject_GC_IS_TRACKED (obj))
    return -1;

  for (int i = 0; i < 3; i++)
    heads[i] = &gc->generations[i].head;
  heads[3] = &gc->permanent_generation.head;

  g = _Py_AS_GC (obj);
  for (gsize guard = 0; guard < (1u << 26); guard++)
    {
      g = (PyGC_Head *) g->_gc_next;
      if (g == NULL)
        return -1;
      for (int i = 0; i < 4; i++)
        if (g == heads[i])
          return i == 3 ? 2 : i;
    }
  return -1;
}

/* Tracing makes CPython create a frame object for every call, a gc
 * allocation the program would not make: it would show in gc.get_count() and
 * bring automatic collections forward.  Each such frame object is taken back
 * out of generation 0's count when it is made, and put back just before its
 * deallocation takes it out again. */
static GHashTable *compensated_frames;
static destructor frame_dealloc;

static void
adjust_gen0_count (int delta)
{
  struct _gc_runtime_state *gc = gc_state ();

  gc->generations[0].count = MAX (gc->generations[0].count + delta, 0);
}

/* Like hs_dealloc in hs-registry.c, this takes the trashcan that the
 * replaced frame_dealloc can no longer see is its own. */
static void
hs_frame_dealloc (PyObject *frame)
{
  PyObject_GC_UnTrack (frame);
  Py_TRASHCAN_BEGIN (frame, hs_frame_dealloc)
  if (g_hash_table_remove (compensated_frames, frame))
    adjust_gen0_count (+1);
  PyObject_GC_Track (frame);
  frame_dealloc (frame);
  Py_TRASHCAN_END
}

/* Automatic collection off while the runtime itself allocates, without
 * touching what gc.isenabled() says to the program afterwards. */
static int paused_enabled = -1;

void
hs_py_gc_pause (void)
{
  struct _gc_runtime_state *gc = gc_state ();

  g_assert (paused_enabled == -1);
  paused_enabled = gc->enabled;
  gc->enabled = 0;
}

void
hs_py_gc_resume (void)
{
  g_assert (paused_enabled != -1);
  gc_state ()->enabled = paused_enabled;
  paused_enabled = -1;
}

void
hs_py_frame_materialized (PyFrameObject *frame)
{
  if (compensated_frames == NULL)
    {
      compensated_frames = g_hash_table_new (NULL, NULL);
      frame_dealloc = PyFrame_Type.tp_dealloc;
      PyFrame_Type.tp_dealloc = hs_frame_dealloc;
    }
  if (g_hash_table_add (compensated_frames, frame))
    adjust_gen0_count (-1);
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
