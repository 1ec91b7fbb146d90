/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cpython"

#include "config.h"

#include "hs-cpython-private.h"

/* What reads CPython's private structures the same way in every version
 * Heapscope embeds (3.11 to 3.13); compiled once per version, against that
 * version's headers.  What differs is in hs-cpython-3XX.c. */

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

/* The private layouts of _io.TextIOWrapper and _io.BufferedWriter
 * (Modules/_io/textio.c, bufferedio.c), as far as they are read: 3.12 and
 * 3.13 only added members after these.  They are only trusted for a stream
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
} HsTextIO;

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
} HsBuffered;

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
  HsTextIO *text = (HsTextIO *) stream;
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
      HsBuffered *buffered = (HsBuffered *) text->buffer;

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
  HsTextIO *text = (HsTextIO *) stream;
  gsize count = 0;

  /* the program may have detached or re-initialised the stream since */
  if (text->ok != 1 || text->detached || text->buffer == NULL)
    return 0;

  if (strcmp (Py_TYPE (text->buffer)->tp_name, "_io.BufferedWriter") == 0 &&
      ((HsBuffered *) text->buffer)->ok == 1)
    {
      HsBuffered *buffered = (HsBuffered *) text->buffer;

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
  HsTextIO *text = (HsTextIO *) stream;

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
  HsTextIO *text = (HsTextIO *) stream;
  HsBuffered *buffered;

  if (text->ok != 1 || text->detached || text->buffer == NULL ||
      strcmp (Py_TYPE (text->buffer)->tp_name, "_io.BufferedWriter") != 0)
    return -1;
  buffered = (HsBuffered *) text->buffer;
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

PyObject *
hs_py_memoryview_exporter (PyObject *view)
{
  PyMemoryViewObject *mv = (PyMemoryViewObject *) view;

  if (mv->flags & _Py_MEMORYVIEW_RELEASED || mv->mbuf == NULL)
    return NULL;
  return mv->mbuf->master.obj;
}

/* The line a traceback entry points at.  From 3.12 on tb_lineno is -1
 * until the tb_lineno getter computes it (without storing it), so the
 * same computation is made here, from the frame's code and tb_lasti. */
int
hs_py_traceback_line (PyTracebackObject *tb)
{
  if (tb->tb_lineno != -1)
    return tb->tb_lineno;
  return PyCode_Addr2Line (hs_py_frame_object_code (tb->tb_frame), tb->tb_lasti);
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

/* Changes on every mutation of the dict: ma_version_tag, kept (deprecated)
 * through 3.13, where dict watchers share its low bits. */
guint64
hs_py_dict_version (PyObject *dict)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  return ((PyDictObject *) dict)->ma_version_tag;
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* The keys table of a combined dict, whose sys.getsizeof() depends on
 * nothing else between mutations; NULL for a split dict, whose size also
 * depends on how many dicts share its keys. */
gconstpointer
hs_py_dict_layout (PyObject *dict)
{
  PyDictObject *d = (PyDictObject *) dict;

  return d->ma_values == NULL ? (gconstpointer) d->ma_keys : NULL;
}

gboolean
hs_py_gc_collecting (void)
{
  return hs_py_gc_state ()->collecting != 0;
}

void
hs_py_gc_stats (guint64 collections[3],
                guint64 collected[3],
                guint64 uncollectable[3])
{
  struct _gc_runtime_state *gc = hs_py_gc_state ();

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
  struct _gc_runtime_state *gc = hs_py_gc_state ();
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
  struct _gc_runtime_state *gc = hs_py_gc_state ();

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
  struct _gc_runtime_state *gc = hs_py_gc_state ();

  g_assert (paused_enabled == -1);
  paused_enabled = gc->enabled;
  gc->enabled = 0;
}

void
hs_py_gc_resume (void)
{
  g_assert (paused_enabled != -1);
  hs_py_gc_state ()->enabled = paused_enabled;
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


void
hs_py_foreach_shared_value (PyDictKeysObject *keys,
                            PyObject        **values,
                            const guint8     *order,
                            int               step,
                            int               n,
                            HsPyAttrFunc      func,
                            gpointer          user_data)
{
  PyDictUnicodeEntry *entries = DK_UNICODE_ENTRIES (keys);

  for (int i = 0; i < n; i++)
    {
      int ix = order[i * step];
      PyObject *value = values[ix];

      if (value != NULL && ix < keys->dk_nentries)
        {
          g_autofree char *copy = NULL;
          const char *name = hs_py_str_utf8 (entries[ix].me_key, &copy);

          if (name != NULL)
            func (name, value, user_data);
        }
    }
}

void
hs_py_foreach_instance_attr (PyObject     *obj,
                             HsPyAttrFunc  func,
                             gpointer      user_data)
{
  PyTypeObject *type = Py_TYPE (obj);
  PyObject *dict = NULL;

  /* Attributes that still live in a shared-key values array are read
   * there: building the __dict__ from them would change the object. */
  if (type->tp_flags & Py_TPFLAGS_MANAGED_DICT)
    dict = hs_py_port_managed_attrs (obj, func, user_data);
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
      mp = HS_HEAP_TYPE_MEMBERS ((PyHeapTypeObject *) t);
      if (mp == NULL)
        {
          PyErr_Clear ();
          continue;
        }
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

/* Sets hold their items in a hash table of entries, the same in every
 * version; 3.13 made the iterator internal. */
gboolean
hs_py_set_next_entry (PyObject    *set,
                      Py_ssize_t  *pos,
                      PyObject   **key)
{
  Py_hash_t hash;

  return _PySet_NextEntry (set, pos, key, &hash) != 0;
}

/* The small ints are the ones this interpreter's build preallocates. */
void
hs_py_small_int_range (gint64 *first,
                       gint64 *last)
{
  *first = -_PY_NSMALLNEGINTS;
  *last = _PY_NSMALLPOSINTS - 1;
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
