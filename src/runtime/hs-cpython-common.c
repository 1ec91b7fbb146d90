/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cpython"

#include "config.h"

#include "hs-cpython-private.h"

#include <opcode.h>   /* the opcodes hs_py_code_comprehension_slots(),
                       * hs_py_frame_stack_in_call () and
                       * hs_py_frame_stack_in_operator () read */

/* What reads CPython's private structures the same way in every version
 * Heapscope embeds (3.11 to 3.13); compiled once per version, against that
 * version's headers.  What differs is in hs-cpython-3XX.c. */

static destructor subtype_dealloc;
static PyObject *sizeof_name;
static PyObject *init_name;
static PyTypeObject *managed_buffer_type;

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
  init_name = PyUnicode_InternFromString ("__init__");
  g_assert (init_name != NULL);

  /* libpython 3.13 no longer exports _PyManagedBuffer_Type: a view of
   * b"" shows it.  The view and its buffer are freed at once, before the
   * program runs. */
  {
    PyObject *empty = PyBytes_FromStringAndSize (NULL, 0);
    PyObject *view = PyMemoryView_FromObject (empty);

    g_assert (view != NULL);
    managed_buffer_type = Py_TYPE (hs_py_memoryview_managed_buffer (view));
    Py_DECREF (view);
    Py_DECREF (empty);
  }
}

/* Whether obj is the managed buffer a memoryview holds its exporter by. */
gboolean
hs_py_is_managed_buffer (PyObject *obj)
{
  g_assert (managed_buffer_type != NULL);

  return Py_IS_TYPE (obj, managed_buffer_type);
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
 * the slice cache and the contexts'.  Every version links them the same
 * way (floats through ob_type, tuples through ob_item[0], contexts through
 * ctx_weakreflist; lists and dicts are arrays); only where they live
 * differs, which free_lists_get() hides.  The free lists not read here
 * (async generators' wrapped values and asend objects) fail safe: what
 * they hand out again was not allocated during the step and is found on
 * no list read, so it is never called created, only possibly not. */
#define FREE_LIST_FLOAT   0
#define FREE_LIST_TUPLE   1
#define FREE_LIST_LIST    (FREE_LIST_TUPLE + PyTuple_NFREELISTS)
#define FREE_LIST_DICT    (FREE_LIST_LIST + 1)
#define FREE_LIST_SLICE   (FREE_LIST_DICT + 1)
#define FREE_LIST_CONTEXT (FREE_LIST_SLICE + 1)
#define N_FREE_LISTS      (FREE_LIST_CONTEXT + 1)

typedef struct
{
  PyFloatObject **float_head;
  int            *float_numfree;
  PyTupleObject **tuple_heads;     /* PyTuple_NFREELISTS of each */
  int            *tuple_numfree;
  PyListObject  **lists;
  int            *list_numfree;
  PyDictObject  **dicts;
  int            *dict_numfree;
  PySliceObject **slice_cache;
  PyContext     **context_head;
  int            *context_numfree;
} HsPyFreeLists;

/* 3.11 and 3.12 keep each type's free list in its own structure of the
 * interpreter state; 3.13 gathers them in one struct _Py_object_freelists,
 * in the interpreter's object state (a free-threaded build keeps one per
 * thread, and has no gc header before objects: it is refused below).
 * PyInterpreterState_Get(), because _PyInterpreterState_GET() reads a
 * thread-local libpython 3.12+ does not export. */
#if PY_VERSION_HEX >= 0x030D0000 && defined(Py_GIL_DISABLED)
# error "a free-threaded CPython keeps its free lists per thread; Heapscope does not read them"
#endif

static void
free_lists_get (HsPyFreeLists *fl)
{
  PyInterpreterState *interp = PyInterpreterState_Get ();

  g_assert (fl != NULL);

#if PY_VERSION_HEX >= 0x030D0000
  struct _Py_object_freelists *lists = &interp->object_state.freelists;

  fl->float_head = &lists->floats.items;
  fl->float_numfree = &lists->floats.numfree;
  fl->tuple_heads = lists->tuples.items;
  fl->tuple_numfree = lists->tuples.numfree;
  fl->lists = lists->lists.items;
  fl->list_numfree = &lists->lists.numfree;
  fl->dicts = lists->dicts.items;
  fl->dict_numfree = &lists->dicts.numfree;
  fl->slice_cache = &lists->slices.slice_cache;
  fl->context_head = &lists->contexts.items;
  fl->context_numfree = &lists->contexts.numfree;
#else
  fl->float_head = &interp->float_state.free_list;
  fl->float_numfree = &interp->float_state.numfree;
  fl->tuple_heads = interp->tuple.free_list;
  fl->tuple_numfree = interp->tuple.numfree;
  fl->lists = interp->list.free_list;
  fl->list_numfree = &interp->list.numfree;
  fl->dicts = interp->dict_state.free_list;
  fl->dict_numfree = &interp->dict_state.numfree;
  fl->slice_cache = &interp->slice_cache;
  fl->context_head = &interp->context.freelist;
  fl->context_numfree = &interp->context.numfree;
#endif
}

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

/* numfree is -1 once the interpreter finalizes a list (3.12+): empty. */
guint
hs_py_free_list_length (guint list)
{
  HsPyFreeLists fl;

  g_assert (list < N_FREE_LISTS);

  free_lists_get (&fl);
  if (list == FREE_LIST_FLOAT)
    return MAX (*fl.float_numfree, 0);
  if (list < FREE_LIST_LIST)
    return MAX (fl.tuple_numfree[list - FREE_LIST_TUPLE], 0);
  if (list == FREE_LIST_LIST)
    return MAX (*fl.list_numfree, 0);
  if (list == FREE_LIST_DICT)
    return MAX (*fl.dict_numfree, 0);
  if (list == FREE_LIST_SLICE)
    return *fl.slice_cache != NULL;
  return MAX (*fl.context_numfree, 0);
}

/* Reads the free list without changing it, from the next object to be
 * reused down, until func returns FALSE. */
void
hs_py_free_list_walk (guint         list,
                      HsPyFreeFunc  func,
                      gpointer      user_data)
{
  HsPyFreeLists fl;

  g_assert (list < N_FREE_LISTS);
  g_assert (func != NULL);

  free_lists_get (&fl);
  if (list == FREE_LIST_FLOAT)
    {
      for (PyFloatObject *f = *fl.float_head; f != NULL; f = (PyFloatObject *) Py_TYPE (f))
        if (!func ((PyObject *) f, user_data))
          return;
    }
  else if (list < FREE_LIST_LIST)
    {
      for (PyTupleObject *t = fl.tuple_heads[list - FREE_LIST_TUPLE]; t != NULL;
           t = (PyTupleObject *) t->ob_item[0])
        if (!func ((PyObject *) t, user_data))
          return;
    }
  else if (list == FREE_LIST_LIST)
    {
      for (int i = *fl.list_numfree; i > 0; i--)
        if (!func ((PyObject *) fl.lists[i - 1], user_data))
          return;
    }
  else if (list == FREE_LIST_DICT)
    {
      for (int i = *fl.dict_numfree; i > 0; i--)
        if (!func ((PyObject *) fl.dicts[i - 1], user_data))
          return;
    }
  else if (list == FREE_LIST_SLICE)
    {
      if (*fl.slice_cache != NULL)
        func ((PyObject *) *fl.slice_cache, user_data);
    }
  else
    {
      PyContext *ctx = *fl.context_head;

      for (int i = 0; i < *fl.context_numfree && ctx != NULL; i++)
        {
          if (!func ((PyObject *) ctx, user_data))
            return;
          ctx = (PyContext *) ctx->ctx_weakreflist;
        }
    }
}

/* The interpreter frame: the same fields in 3.11 to 3.13 but for the code
 * object's and the shim frames' spellings (hs-cpython-private.h); the line
 * number is read per version. */
HsPyFrame *
hs_py_frame_from_object (PyFrameObject *frame)
{
  g_assert (frame != NULL);

  return (HsPyFrame *) frame->f_frame;
}

PyCodeObject *
hs_py_frame_object_code (PyFrameObject *frame)
{
  g_assert (frame != NULL);

  return HS_FRAME_CODE (frame->f_frame);
}

/* Library code calls are traced too, but never make steps: stop their line
 * events at the call (the line callback of every version reads this flag). */
void
hs_py_frame_disable_line_events (PyFrameObject *frame)
{
  g_assert (frame != NULL);

  frame->f_trace_lines = 0;
}

/* Skips the frames that have not started and the shim frames under each C
 * call into the interpreter, as PyFrame_GetBack does. */
HsPyFrame *
hs_py_frame_previous (HsPyFrame *frame)
{
  _PyInterpreterFrame *f;

  g_assert (frame != NULL);

  f = ((_PyInterpreterFrame *) frame)->previous;
  while (f != NULL && (HS_FRAME_IS_SHIM (f) || _PyFrame_IsIncomplete (f)))
    f = f->previous;
  return (HsPyFrame *) f;
}

/* The generator or coroutine whose frame this is, or NULL for a frame
 * of a plain call.  Borrowed: the generator lives as long as its frame. */
PyObject *
hs_py_frame_generator (HsPyFrame *frame)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;

  g_assert (frame != NULL);

  return f->owner == FRAME_OWNED_BY_GENERATOR ? (PyObject *) _PyFrame_GetGenerator (f) : NULL;
}

PyCodeObject *
hs_py_frame_code (HsPyFrame *frame)
{
  g_assert (frame != NULL);

  return HS_FRAME_CODE ((_PyInterpreterFrame *) frame);
}

/* The function object the frame runs, which the frame holds a reference
 * to while it runs: a learner's f reads one more during its call.  NULL
 * for a frame that runs no function object. */
PyObject *
hs_py_frame_function (HsPyFrame *frame)
{
  PyObject *func;

  g_assert (frame != NULL);

  func = HS_FRAME_FUNCTION ((_PyInterpreterFrame *) frame);
  return func != NULL && PyFunction_Check (func) ? func : NULL;
}

/* The object a call of its class is setting up in this frame, which runs
 * type(self).__init__: the call holds the object until __init__ returns,
 * a reference no frame's locals or stack show.  Calling a class runs
 * type_call(), which makes the object, keeps it in a C local and calls
 * tp_init: a class's own __init__ is found on the object's type
 * (slot_tp_init()) and called from C, so its frame is an entry frame,
 * under a shim frame from 3.12 on.  3.13 can specialise a class call to
 * push __init__'s frame itself (CALL_ALLOC_AND_ENTER_INIT); 80 calls of
 * one class in a traced loop never did, so such a frame is not looked
 * for, and its object's reference stays "other".  NULL for any other
 * frame, and when __init__ has rebound its first argument.  C code can
 * also call an __init__ itself (map (P.__init__, ps)): the caller tells
 * a call of the class by the frame below (see hs-holders.c). */
PyObject *
hs_py_frame_init_instance (HsPyFrame *frame)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;
  PyCodeObject *code = HS_FRAME_CODE (f);
  PyObject *function = hs_py_frame_function (frame);
  PyObject *self;

  g_assert (frame != NULL);

  if (function == NULL || (code->co_flags & CO_OPTIMIZED) == 0 ||
      code->co_argcount < 1 || code->co_nlocalsplus < 1)
    return NULL;
#if PY_VERSION_HEX >= 0x030C0000
  if (f->previous == NULL || !HS_FRAME_IS_SHIM (f->previous))
    return NULL;
#else
  if (!f->is_entry)
    return NULL;
#endif
  self = f->localsplus[0];
  if (self != NULL && hs_py_code_local_is_cell (code, 0) && PyCell_Check (self))
    self = PyCell_GET (self);
  if (self == NULL || _PyType_Lookup (Py_TYPE (self), init_name) != function)
    return NULL;
  return self;
}

gboolean
hs_py_frame_is_module (HsPyFrame *frame)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;

  g_assert (frame != NULL);

  return f->f_locals != NULL && f->f_locals == f->f_globals;
}

/* A class body's namespace, which its names go to instead of fast
 * locals: a frame whose code is not optimized, with locals of its own.
 * NULL for a function or a module, and for a namespace that is not a
 * dict (a metaclass's __prepare__ may return any mapping). */
PyObject *
hs_py_frame_class_namespace (HsPyFrame *frame)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;

  g_assert (frame != NULL);

  if ((HS_FRAME_CODE (f)->co_flags & CO_OPTIMIZED) != 0 ||
      f->f_locals == NULL || f->f_locals == f->f_globals || !PyDict_Check (f->f_locals))
    return NULL;
  return f->f_locals;
}

PyObject *
hs_py_frame_globals (HsPyFrame *frame)
{
  g_assert (frame != NULL);

  return ((_PyInterpreterFrame *) frame)->f_globals;
}

/* Reads a fast local straight from the frame's slots.  PyFrame_GetLocals
 * would build and cache a dict holding a reference to every local, which
 * the program could then see in sys.getrefcount (3.13's f_locals proxy
 * would be a new object).  A captured variable's slot holds its cell once
 * MAKE_CELL has run, the plain value before. */
PyObject *
hs_py_frame_local (HsPyFrame  *frame,
                   int         index,
                   PyObject  **name)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;
  PyCodeObject *co;

  g_assert (frame != NULL && name != NULL);

  co = HS_FRAME_CODE (f);
  g_assert (index >= 0 && index < co->co_nlocalsplus);

  *name = PyTuple_GET_ITEM (co->co_localsplusnames, index);
  return f->localsplus[index];
}

gboolean
hs_py_is_generator (PyObject *obj)
{
  return PyGen_Check (obj) || PyCoro_CheckExact (obj) || PyAsyncGen_CheckExact (obj);
}

/* What a built-in iterator holds of what it iterates over: the list of
 * iter(a_list), the dict of iter(d.items()), the iterator that
 * enumerate() wraps.  Read with the type's own tp_traverse(), as
 * gc.get_referents() does, so that no private struct layout is copied;
 * the first object it visits is what the iterator iterates over.  The
 * families are told apart by their tp_traverse, which also finds 3.12's
 * str_ascii_iterator, a type of its own with unicodeiter_traverse().
 * Exact types only: enumerate and reversed can be subclassed, and a
 * subclass traverses its instance dict too.  An exhausted iterator has let
 * go (it_seq and di_dict are NULL): a dict iterator then visits its
 * reusable result tuple first, which is why that first object must be
 * of the kind the family iterates over. */
typedef enum
{
  ITERATES_LIST = 1,
  ITERATES_TUPLE,
  ITERATES_STR,
  ITERATES_BYTES,
  ITERATES_BYTEARRAY,
  ITERATES_DICT,
  ITERATES_SET,
  ITERATES_ANY,        /* iter(seq) over __getitem__, reversed(), enumerate() */
} IteratorFamily;

static IteratorFamily
iterator_family (PyTypeObject *type)
{
  traverseproc traverse = type->tp_traverse;

  if (type->tp_flags & Py_TPFLAGS_HEAPTYPE || traverse == NULL)
    return 0;
  if (traverse == PyListIter_Type.tp_traverse || traverse == PyListRevIter_Type.tp_traverse)
    return ITERATES_LIST;
  if (traverse == PyTupleIter_Type.tp_traverse)
    return ITERATES_TUPLE;
  if (traverse == PyUnicodeIter_Type.tp_traverse)
    return ITERATES_STR;
  if (traverse == PyBytesIter_Type.tp_traverse)
    return ITERATES_BYTES;
  if (traverse == PyByteArrayIter_Type.tp_traverse)
    return ITERATES_BYTEARRAY;
  if (traverse == PyDictIterKey_Type.tp_traverse)
    return ITERATES_DICT;
  if (traverse == PySetIter_Type.tp_traverse)
    return ITERATES_SET;
  if (type == &PySeqIter_Type || type == &PyReversed_Type || type == &PyEnum_Type)
    return ITERATES_ANY;
  return 0;
}

gboolean
hs_py_is_iterator (PyObject *obj)
{
  return iterator_family (Py_TYPE (obj)) != 0;
}

/* zip(), map() and filter(), which the program can keep in a variable
 * before it iterates (z = zip (a, b)).  Exact types: a subclass
 * traverses its instance dict too. */
static gboolean
is_lazy_iterator (PyTypeObject *type)
{
  return type == &PyZip_Type || type == &PyMap_Type || type == &PyFilter_Type;
}

/* The built-in iterators whose references are all references a for loop
 * makes through them: those above, and zip(), map() and filter(), which
 * hold their iterators in a tuple (zip, map) and their function (map,
 * filter).  Exact types, as above. */
gboolean
hs_py_is_loop_iterator (PyObject *obj)
{
  PyTypeObject *type = Py_TYPE (obj);

  return iterator_family (type) != 0 || is_lazy_iterator (type);
}

typedef struct
{
  HsPyReferentFunc func;
  gpointer         user_data;
} ReferentVisit;

static int
visit_referent (PyObject *obj,
                void     *data)
{
  ReferentVisit *visit = data;

  visit->func (obj, visit->user_data);
  return 0;
}

/* Each object obj holds, as gc.get_referents() lists them: its type's
 * tp_traverse(), which reads fields and runs no Python code */
void
hs_py_foreach_referent (PyObject         *obj,
                        HsPyReferentFunc  func,
                        gpointer          user_data)
{
  ReferentVisit visit = { func, user_data };

  if (Py_TYPE (obj)->tp_traverse != NULL && PyObject_IS_GC (obj))
    Py_TYPE (obj)->tp_traverse (obj, visit_referent, &visit);
}

static int
take_first (PyObject *obj,
            void     *data)
{
  PyObject **first = data;

  *first = obj;
  /* not 0: tp_traverse() stops at the first object */
  return 1;
}

/* first, the first object an iterator of family visits, if it is what
 * the family iterates over */
static PyObject *
source_of (IteratorFamily  family,
           PyObject       *first)
{
  if (first == NULL)
    return NULL;
  switch (family)
    {
    case ITERATES_LIST:      return PyList_Check (first) ? first : NULL;
    case ITERATES_TUPLE:     return PyTuple_Check (first) ? first : NULL;
    case ITERATES_STR:       return PyUnicode_Check (first) ? first : NULL;
    case ITERATES_BYTES:     return PyBytes_Check (first) ? first : NULL;
    case ITERATES_BYTEARRAY: return PyByteArray_Check (first) ? first : NULL;
    case ITERATES_DICT:      return PyDict_Check (first) ? first : NULL;
    case ITERATES_SET:       return PyAnySet_Check (first) ? first : NULL;
    case ITERATES_ANY:
    default:
      return first;
    }
}

PyObject *
hs_py_iterator_source (PyObject *obj)
{
  IteratorFamily family = iterator_family (Py_TYPE (obj));
  PyObject *first = NULL;

  if (family == 0)
    return NULL;
  Py_TYPE (obj)->tp_traverse (obj, take_first, &first);
  return source_of (family, first);
}

/* zip(), map() and filter(), and the views of a dict (ks = d.keys ()) */
static gboolean
is_lazy_builtin (PyTypeObject *type)
{
  return is_lazy_iterator (type) ||
         type == &PyDictKeys_Type || type == &PyDictValues_Type || type == &PyDictItems_Type;
}

gboolean
hs_py_has_iterator_parts (PyObject *obj)
{
  return iterator_family (Py_TYPE (obj)) != 0 || is_lazy_builtin (Py_TYPE (obj));
}

/* Each of zip's, enumerate's and filter's fields holds one reference
 * (tp_traverse() visits at most three); room for a fourth tells that a
 * later CPython added one, and the parts are then not guessed at. */
#define MAX_PARTS 4

typedef struct
{
  PyObject *parts[MAX_PARTS];
  int       n;
} Visited;

static int
visit_part (PyObject *obj,
            void     *data)
{
  Visited *v = data;

  if (v->n < MAX_PARTS)
    v->parts[v->n] = obj;
  v->n++;
  return 0;
}

/* Whether the result tuple an iterator reuses holds anything: made
 * holding None, it holds the last item it handed out once it was reused
 * (a for loop that unpacks it lets go of it at once) */
static gboolean
holds_a_result (PyObject *tuple)
{
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE (tuple); i++)
    if (PyTuple_GET_ITEM (tuple, i) != NULL && PyTuple_GET_ITEM (tuple, i) != Py_None)
      return TRUE;
  return FALSE;
}

/* Each iterator in a tuple that only the iterator holds, as zip and map
 * hold theirs, numbered when there are several */
static void
tuple_of_iterators (PyObject        *tuple,
                    HsPyPartFunc     func,
                    gpointer         user_data)
{
  Py_ssize_t n;

  if (!PyTuple_CheckExact (tuple) || Py_REFCNT (tuple) != 1)
    return;
  n = PyTuple_GET_SIZE (tuple);
  for (Py_ssize_t i = 0; i < n; i++)
    func (HS_PY_PART_ITERATED, n > 1 ? (int) i : -1, PyTuple_GET_ITEM (tuple, i), user_data);
}

/* What a built-in iterator or a dict view holds, part by part, read with
 * its type's tp_traverse() in the order the type visits its fields
 * (bltinmodule.c, enumobject.c and dictobject.c; gc.get_referents()
 * lists them in the same order in 3.11 to 3.13): what it iterates over,
 * the function map() and filter() call, and the result tuple that zip(),
 * enumerate() and a dict's items iterator hand out again when nothing
 * else holds it, which keeps the last item it held.  zip() and map() hold their iterators in a tuple
 * of their own: each iterator is a part, the tuple is not drawn.  A field
 * that is NULL is not visited, so parts are told apart by their type
 * where one can be missing. */
void
hs_py_foreach_iterator_part (PyObject     *obj,
                             HsPyPartFunc  func,
                             gpointer      user_data)
{
  PyTypeObject *type = Py_TYPE (obj);
  IteratorFamily family = iterator_family (type);
  Visited v = { { NULL }, 0 };

  if (family == 0 && !is_lazy_builtin (type))
    return;
  type->tp_traverse (obj, visit_part, &v);
  if (v.n > MAX_PARTS - 1)
    return;
  if (family != 0)
    {
      PyObject *source = source_of (family, v.parts[0]);

      if (source != NULL)
        func (HS_PY_PART_ITERATED, -1, source, user_data);
      if (type == &PyEnum_Type || family == ITERATES_DICT)
        for (int i = 0; i < v.n; i++)
          if (v.parts[i] != source && PyTuple_CheckExact (v.parts[i]) && holds_a_result (v.parts[i]))
            func (HS_PY_PART_RESULT, -1, v.parts[i], user_data);
    }
  else if (type == &PyZip_Type && v.n == 2)
    {
      tuple_of_iterators (v.parts[0], func, user_data);
      if (PyTuple_CheckExact (v.parts[1]) && holds_a_result (v.parts[1]))
        func (HS_PY_PART_RESULT, -1, v.parts[1], user_data);
    }
  else if (type == &PyMap_Type && v.n == 2)
    {
      tuple_of_iterators (v.parts[0], func, user_data);
      func (HS_PY_PART_FUNCTION, -1, v.parts[1], user_data);
    }
  else if (type == &PyFilter_Type && v.n == 2)
    {
      func (HS_PY_PART_ITERATED, -1, v.parts[0], user_data);
      /* filter (None, xs) keeps None as its function */
      if (v.parts[1] != Py_None)
        func (HS_PY_PART_FUNCTION, -1, v.parts[1], user_data);
    }
  else if (is_lazy_builtin (type) && v.n == 1)
    func (HS_PY_PART_MAPPING, -1, v.parts[0], user_data);
}

/* Whether a generator, coroutine or async generator is running: its frame
 * is then one of the thread's */
gboolean
hs_py_generator_is_running (PyObject *obj)
{
  return hs_py_is_generator (obj) && ((PyGenObject *) obj)->gi_frame_state == FRAME_EXECUTING;
}

/* The frame of a generator, coroutine or async generator that is not
 * running, and how many of its slots hold a local: CPython keeps the
 * frame inside the generator object, which holds what the frame holds
 * (the function it runs, its locals, its value stack) until the frame is
 * cleared.  That is gen_traverse()'s own test: a generator made and not
 * started, suspended at a yield or an await, or closed before it
 * started (3.12 and 3.13 only mark that one completed, and keep its
 * arguments).  NULL while it runs, since it is then one of the thread's
 * frames, and once its frame is cleared.  The three share one header
 * (_PyGenObject_HEAD), and the states' order is the same in 3.11 to
 * 3.13.  A slot at or past stacktop is not read: clearing a frame's
 * locals lowers stacktop and leaves the slots as they were. */
HsPyFrame *
hs_py_generator_frame (PyObject *obj,
                       int      *n_locals)
{
  PyGenObject *gen = (PyGenObject *) obj;
  _PyInterpreterFrame *f;

  g_assert (obj != NULL && n_locals != NULL);

  *n_locals = 0;
  if (!hs_py_is_generator (obj) ||
      gen->gi_frame_state == FRAME_EXECUTING || gen->gi_frame_state >= FRAME_CLEARED)
    return NULL;
  f = (_PyInterpreterFrame *) gen->gi_iframe;
  *n_locals = hs_py_frame_n_live_locals ((HsPyFrame *) f);
  return (HsPyFrame *) f;
}

/* How many of the variable slots of a frame that does not run (suspended,
 * or finished and kept by its frame object) hold what they say.  A slot at
 * or past stacktop is not read: a frame whose locals were cleared has
 * stacktop 0, whatever its slots still show. */
int
hs_py_frame_n_live_locals (HsPyFrame *frame)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;

  g_assert (frame != NULL);

  return CLAMP (f->stacktop, 0, HS_FRAME_CODE (f)->co_nlocalsplus);
}

/* The frame's value stack, when the frame saved its top: a frame that
 * called another or stopped for the trace function has; a running one
 * (stacktop -1) has not, and that is what NULL says.  An empty stack that
 * was saved is not NULL, with *n_items 0.  stacktop and localsplus are the
 * same in 3.11 to 3.13; the code object is read through the version's own
 * accessor. */
PyObject **
hs_py_frame_stack (HsPyFrame *frame,
                   int       *n_items)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;
  PyCodeObject *code = hs_py_frame_code (frame);
  int base = code->co_nlocalsplus;

  *n_items = 0;
  if (f->stacktop < base || f->stacktop > base + code->co_stacksize)
    return NULL;
  *n_items = f->stacktop - base;
  return f->localsplus + base;
}

/* Where the frame is in its bytecode, in code units: the instruction it
 * is about to run when it stopped for a line, the one it runs while it
 * is in a call. */
int
hs_py_frame_lasti (HsPyFrame *frame)
{
  g_assert (frame != NULL);

  return _PyInterpreterFrame_LASTI ((_PyInterpreterFrame *) frame);
}

/* How many of the exceptions being handled are exc: the thread's, and a
 * running generator's, each kept in an item of the thread's exception
 * stack from the start of an except or finally block to its end
 * (PUSH_EXC_INFO, POP_EXCEPT); what sys.exception () returns is the
 * innermost.  An outer handler's exception waits on the value stack of
 * its frame, which names it already. */
guint
hs_py_count_handled (PyObject *exc)
{
  PyThreadState *tstate = PyThreadState_Get ();
  guint n = 0;

  g_assert (exc != NULL);

  for (_PyErr_StackItem *item = tstate->exc_info; item != NULL; item = item->previous_item)
    n += item->exc_value == exc;
  return n;
}

/* Adds the exceptions being handled: the thread's, and those of the
 * running generators (see hs_py_count_handled()), innermost first. */
void
hs_py_add_handled (GPtrArray *exceptions)
{
  PyThreadState *tstate = PyThreadState_Get ();

  g_assert (exceptions != NULL);

  for (_PyErr_StackItem *item = tstate->exc_info; item != NULL; item = item->previous_item)
    if (item->exc_value != NULL && PyExceptionInstance_Check (item->exc_value))
      g_ptr_array_add (exceptions, item->exc_value);
}

/* Adds to frames the finished frames that exc's traceback keeps, and
 * those of the exceptions it chains to (__cause__, __context__).  Each
 * entry of a traceback holds a frame object, and a frame object that
 * outlives its call took the frame's variables and function with it
 * (take_ownership() in Python/frame.c): after
 *     def check(v): raise ValueError
 * the except block's exception keeps check's v alive.  A frame that still
 * runs, or a generator's, is left out: its variables are drawn already.
 * seen holds the exceptions and frame objects met, so that each counts
 * once in a step, whichever exceptions share it. */
void
hs_py_add_finished_frames (PyObject   *exc,
                           GHashTable *seen,
                           GPtrArray  *frames)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new ();

  g_assert (exc != NULL && seen != NULL && frames != NULL);

  g_ptr_array_add (pending, exc);
  while (pending->len > 0)
    {
      PyBaseExceptionObject *e = g_ptr_array_steal_index (pending, pending->len - 1);
      PyObject *tb;

      if (!PyExceptionInstance_Check ((PyObject *) e) || !g_hash_table_add (seen, e))
        continue;
      for (tb = e->traceback; tb != NULL && PyTraceBack_Check (tb); tb = (PyObject *) ((PyTracebackObject *) tb)->tb_next)
        {
          PyFrameObject *frame = ((PyTracebackObject *) tb)->tb_frame;

          if (frame != NULL && g_hash_table_add (seen, frame) &&
              frame->f_frame != NULL && frame->f_frame->owner == FRAME_OWNED_BY_FRAME_OBJECT)
            g_ptr_array_add (frames, frame->f_frame);
        }
      if (e->cause != NULL)
        g_ptr_array_add (pending, e->cause);
      if (e->context != NULL)
        g_ptr_array_add (pending, e->context);
    }
}

/* The opcode of the instruction at offset from the one frame stopped at
 * (0: that one, -1: the one before), or -1.  Read from the code's kept
 * copy (hs_py_code_keep_bytecode()), since the live one may be
 * instrumented for line events or specialised. */
static int
frame_opcode (HsPyFrame *frame,
              int        offset)
{
  int at = hs_py_frame_lasti (frame) + offset, op = -1;
  PyObject *bytes = PyCode_GetCode (hs_py_frame_code (frame));

  if (bytes == NULL)
    {
      PyErr_Clear ();
      return -1;
    }
  if (at >= 0 && at < PyBytes_GET_SIZE (bytes) / 2)
    op = ((const guint8 *) PyBytes_AS_STRING (bytes))[2 * at];
  Py_DECREF (bytes);
  return op;
}

/* The object whose __del__ frame runs because CPython finalizes it, or
 * NULL.  A finalizer is called with one reference of its own to the
 * object: PyObject_CallFinalizerFromDealloc() revives an object whose
 * last reference went, and the gc's finalize_garbage() takes one on each
 * object it finalizes.  Told from a __del__ that code calls: the frame's
 * first variable is an object whose type's __del__ runs this code, and
 * the frame below, caller, is in no call of its own (a store, a del, an
 * instruction that let go of the object's last reference) unless the gc
 * is collecting.  caller_unread tells that caller's value stack was not
 * read, as that of a frame in a Python call is. */
PyObject *
hs_py_frame_finalized (HsPyFrame *frame,
                       HsPyFrame *caller,
                       gboolean   caller_unread)
{
  static PyObject *del_name;
  PyCodeObject *code = hs_py_frame_code (frame);
  PyObject *self, *name, *method;

  g_assert (frame != NULL && caller != NULL);

  if (del_name == NULL)
    del_name = PyUnicode_InternFromString ("__del__");
  if (!caller_unread || code->co_argcount < 1 || hs_py_frame_previous (frame) != caller ||
      del_name == NULL || PyUnicode_Compare (code->co_name, del_name) != 0 ||
      (self = hs_py_frame_local (frame, 0, &name)) == NULL || PyCell_Check (self))
    return NULL;
  method = _PyType_Lookup (Py_TYPE (self), del_name);   /* borrowed, runs no Python code */
  if (method == NULL || !PyFunction_Check (method) || PyFunction_GET_CODE (method) != (PyObject *) code)
    return NULL;
  if (hs_py_gc_collecting ())
    return self;
  switch (frame_opcode (caller, 0))
    {
    case -1:
    case CALL:
    case CALL_FUNCTION_EX:
#if PY_VERSION_HEX < 0x030C0000
    case PRECALL:
#endif
#if PY_VERSION_HEX >= 0x030D0000
    case CALL_KW:
#endif
      return NULL;
    default:
      return self;
    }
}

/* How the frame, stopped for its return, hands back its value, read
 * from the instruction it stopped at:
 * - HS_PY_RETURN_YIELD: YIELD_VALUE, a generator or coroutine that stops
 *   for now (yield, yield from, await), whose frame lives on;
 * - HS_PY_RETURN_BORROWED: a constant it holds no reference to yet.  From
 *   3.12 on, RETURN_CONST reports the return before its Py_INCREF
 *   (INSTRUMENTED_RETURN_CONST in Python/bytecodes.c): at that event only
 *   the code's constants hold the value, and the "return value" arrow is
 *   not a reference yet;
 * - HS_PY_RETURN_OWNED otherwise: RETURN_VALUE returns what it popped off
 *   the stack, a reference it owns. */
HsPyReturnKind
hs_py_frame_return_kind (HsPyFrame *frame)
{
  int op;

  g_assert (frame != NULL);

  op = frame_opcode (frame, 0);
#if PY_VERSION_HEX >= 0x030D0000
  /* 3.13 reports a yield with the frame already at the RESUME that
   * follows its YIELD_VALUE (which has no cache entries) */
  if (op == RESUME && frame_opcode (frame, -1) == YIELD_VALUE)
    op = YIELD_VALUE;
#endif
  if (op == YIELD_VALUE)
    return HS_PY_RETURN_YIELD;
#if PY_VERSION_HEX >= 0x030C0000
  if (op == RETURN_CONST)
    return HS_PY_RETURN_BORROWED;
#endif
  return HS_PY_RETURN_OWNED;
}

/* Whether control never goes on to the next instruction after op: a
 * return, a raise, an unconditional jump. */
static gboolean
ends_flow (int op)
{
  switch (op)
    {
    case JUMP_FORWARD:
    case JUMP_BACKWARD:
    case JUMP_BACKWARD_NO_INTERRUPT:
    case RETURN_VALUE:
#if PY_VERSION_HEX >= 0x030C0000
    case RETURN_CONST:
#endif
    case RAISE_VARARGS:
    case RERAISE:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Where a frame in a call to C stands in its bytecode, worked out by
 * walk_to_lasti () */
typedef struct
{
  int depth;           /* of its value stack before the instruction it runs */
  int op;              /* that instruction */
  int oparg;
  int last_op;         /* the one before it, and the one before that */
  int before_last_op;
  int last_effect;     /* last_op's stack effect */
} StackWalk;

/*
 * A frame in a call to C does not save its stack's top: the call of a
 * class whose __init__ runs, say, or a == b where a's __eq__ runs.  The
 * depth of the stack before an instruction is the same whichever way
 * control came to it (the compiler sees to it, and sizes the stack by
 * it), so it is the depth seen before instruction `from` when the frame
 * last stopped for a line, plus the stack effect of each instruction from
 * there to the one the frame runs, if none of them leaves for good (see
 * ends_flow()).  A depth that came out wrong could read slots the stack
 * has left, so the callers only trust it where it finds an object known
 * to be alive where the instruction keeps it.  The bytecode is the code's
 * kept copy (see hs_py_code_keep_bytecode()), with specialised
 * instructions undone.  FALSE when any of that fails.
 */
static gboolean
walk_to_lasti (_PyInterpreterFrame *f,
               int                  from,
               int                  from_depth,
               StackWalk           *walk)
{
  PyCodeObject *code = HS_FRAME_CODE (f);
  int lasti = _PyInterpreterFrame_LASTI (f);
  guint32 arg = 0;
  PyObject *bytes;
  const guint8 *units;
  gboolean ok = FALSE;

  *walk = (StackWalk) { from_depth, -1, 0, -1, -1, 0 };
  if (from < 0 || from > lasti || from_depth < 0 || from_depth > code->co_stacksize)
    return FALSE;
  bytes = PyCode_GetCode (code);
  if (bytes == NULL)
    {
      PyErr_Clear ();
      return FALSE;
    }
  units = (const guint8 *) PyBytes_AS_STRING (bytes);   /* _Py_CODEUNIT: the opcode, then its argument */
  if (lasti >= PyBytes_GET_SIZE (bytes) / 2)
    goto out;

  for (int i = from; i < lasti; i++)
    {
      int op = units[2 * i], oparg = arg | units[2 * i + 1], effect;

      arg = 0;
      if (op == CACHE)
        continue;
      if (op == EXTENDED_ARG)
        {
          arg = (guint32) oparg << 8;
          continue;
        }
      effect = PyCompile_OpcodeStackEffectWithJump (op, oparg, 0);
      if (ends_flow (op) || effect == PY_INVALID_STACK_EFFECT)
        goto out;
      walk->depth += effect;
      if (walk->depth < 0 || walk->depth > code->co_stacksize)
        goto out;
      walk->before_last_op = walk->last_op;
      walk->last_op = op;
      walk->last_effect = effect;
    }
  walk->op = units[2 * lasti];
  walk->oparg = arg | units[2 * lasti + 1];
  ok = TRUE;

out:
  Py_DECREF (bytes);
  return ok;
}

/* The value stack of a frame in a call to C (see walk_to_lasti ()) from
 * a CALL (CALL_KW in 3.13), with `callable` where it keeps what it calls,
 * or, when callable is NULL, with one of the n_passed objects `passed`
 * as its self or one of its arguments.  NULL, and *n_items 0, when any
 * of that fails.  *keywords tells whether the call passes arguments by
 * name (KW_NAMES before it in 3.11 and 3.12); the call's n_arguments
 * arguments, positional then keywords', are the items from
 * *first_argument on. */
PyObject **
hs_py_frame_stack_in_call (HsPyFrame *frame,
                           int        from,
                           int        from_depth,
                           PyObject  *callable,
                           PyObject  *const *passed,
                           guint      n_passed,
                           int       *n_items,
                           gboolean  *keywords,
                           int       *first_argument,
                           int       *n_arguments)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;
  PyCodeObject *code = HS_FRAME_CODE (f);
  int base = code->co_nlocalsplus;
  int depth, op, oparg, below;
  StackWalk walk;
  gboolean ok = FALSE;

  g_assert (frame != NULL && (callable != NULL) != (n_passed > 0) && n_items != NULL && keywords != NULL);
  g_assert (first_argument != NULL && n_arguments != NULL);

  *n_items = 0;
  *keywords = FALSE;
  *first_argument = 0;
  *n_arguments = 0;
  if (!walk_to_lasti (f, from, from_depth, &walk))
    return NULL;
  depth = walk.depth;
#if PY_VERSION_HEX < 0x030C0000
  /* 3.11's compiler counts a call's arguments off at PRECALL, and the
   * callable at CALL; the interpreter takes them all at CALL */
  if (walk.last_op == PRECALL)
    {
      depth -= walk.last_effect;
      walk.last_op = walk.before_last_op;
    }
#endif
#if PY_VERSION_HEX < 0x030D0000
  *keywords = walk.last_op == KW_NAMES;
#endif

  op = walk.op;
  oparg = walk.oparg;
  /* what a call keeps below its arguments: the callable and self or NULL
   * (3.13: in that order, then the keywords' names for CALL_KW) */
#if PY_VERSION_HEX >= 0x030D0000
  below = op == CALL ? 2 : op == CALL_KW ? 3 : -1;
  if (below > 0 && depth >= oparg + below && depth <= code->co_stacksize)
    ok = callable == NULL || f->localsplus[base + depth - oparg - below] == callable;
  *keywords = op == CALL_KW;
  *first_argument = depth - oparg - (op == CALL_KW ? 1 : 0);
#else
  below = op == CALL ? 1 : -1;
  if (below > 0 && depth >= oparg + 2 && depth <= code->co_stacksize)
    ok = callable == NULL || f->localsplus[base + depth - oparg - below] == callable;
  *first_argument = depth - oparg;
#endif
  /* what the call passes as arguments.  Not self: the slot just below
   * the first argument it passes, self's or the one below it, the callee
   * may borrow while it runs (PY_VECTORCALL_ARGUMENTS_OFFSET;
   * functools.partial puts its first argument there), so neither that
   * slot nor self's can tell the depth is right (found by review) */
  if (ok && callable == NULL)
    {
      ok = FALSE;
      for (int k = *first_argument; k < *first_argument + oparg && !ok; k++)
        for (guint p = 0; p < n_passed && !ok; p++)
          ok = f->localsplus[base + k] == passed[p];
    }

  if (!ok)
    {
      *keywords = FALSE;
      *first_argument = 0;
      return NULL;
    }
  *n_items = depth;
  *n_arguments = oparg;
  return f->localsplus + base;
}

#if PY_VERSION_HEX >= 0x030D0000
/* Whether name, a special method's, is one of the rich comparisons */
static gboolean
is_comparison (PyObject *name)
{
  static const char *const names[] = { "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (PyUnicode_Check (name) && PyUnicode_CompareWithASCIIString (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}
#endif

/* The items at the top of the value stack that instruction op works on,
 * for an instruction that may call a special method of one of them from
 * C while they wait there: a == b (__eq__), a + b, a[i], a[i] = v,
 * a.x (__getattr__), -a, iter (a) and next (a) of a for loop, `if a:`
 * (__bool__, __len__), f'{a}' (__repr__, __format__).  *n_operands of
 * them, the topmost *n_taken of which the instruction took the
 * references of before the call: it holds them no more.  FALSE for any
 * other instruction, and for one whose operands may be gone while method
 * (the special method's name) runs. */
static gboolean
operator_operands (int       op,
                   int       oparg,
                   PyObject *method,
                   int      *n_operands,
                   int      *n_taken)
{
  *n_operands = 0;
  *n_taken = 0;
#if PY_VERSION_HEX >= 0x030D0000
  /* `if a == b:` compares, lets go of a and b, then calls the result's
   * __bool__ (COMPARE_OP's bool flag): a and b are held while __eq__
   * runs, and may be gone while __bool__ does */
  if (op == COMPARE_OP && (oparg & 16) && !is_comparison (method))
    return FALSE;
#else
  (void) method;
#endif
  switch (op)
    {
    case UNARY_NEGATIVE:
    case UNARY_INVERT:
#ifdef UNARY_POSITIVE
    case UNARY_POSITIVE:
#endif
    case GET_ITER:
    case FOR_ITER:
    case LOAD_ATTR:
#if PY_VERSION_HEX < 0x030C0000
    case LOAD_METHOD:   /* a pseudo-instruction from 3.12 on */
#endif
    case DELETE_ATTR:
#ifdef TO_BOOL
    case TO_BOOL:
#endif
#ifdef POP_JUMP_FORWARD_IF_FALSE
    case POP_JUMP_FORWARD_IF_FALSE:
    case POP_JUMP_FORWARD_IF_TRUE:
    case POP_JUMP_BACKWARD_IF_FALSE:
    case POP_JUMP_BACKWARD_IF_TRUE:
#endif
#ifdef POP_JUMP_IF_FALSE
    case POP_JUMP_IF_FALSE:
    case POP_JUMP_IF_TRUE:
#endif
#ifdef JUMP_IF_FALSE_OR_POP
    case JUMP_IF_FALSE_OR_POP:
    case JUMP_IF_TRUE_OR_POP:
#endif
#if PY_VERSION_HEX < 0x030D0000
    case UNARY_NOT:
#endif
      *n_operands = 1;
      return TRUE;
    case COMPARE_OP:
    case CONTAINS_OP:
    case BINARY_OP:
    case BINARY_SUBSCR:
    case DELETE_SUBSCR:
    case STORE_ATTR:
      *n_operands = 2;
      return TRUE;
    case STORE_SUBSCR:
      *n_operands = 3;
      return TRUE;
    /* f'{a}', f'{a!r}' and f'{a:>4}': a, and the format spec above it
     * when there is one, stay on the stack while a's __repr__, __str__
     * or __format__ runs (3.11, 3.12: FORMAT_VALUE pops them, but holds
     * them until the conversion and the format return) */
#ifdef FORMAT_VALUE
    case FORMAT_VALUE:
      *n_operands = (oparg & FVS_MASK) == FVS_HAVE_SPEC ? 2 : 1;
      return TRUE;
#endif
#ifdef FORMAT_SIMPLE
    case CONVERT_VALUE:
    case FORMAT_SIMPLE:
      *n_operands = 1;
      return TRUE;
    case FORMAT_WITH_SPEC:
      *n_operands = 2;
      return TRUE;
#endif
#ifdef BINARY_SLICE
    /* a[i:j] and a[i:j] = v (3.12 on): the slice they make takes the
     * stack's references to i and j before the call
     * (_PyBuildSlice_ConsumeRefs ()) */
    case BINARY_SLICE:
      *n_operands = 3;
      *n_taken = 2;
      return TRUE;
    case STORE_SLICE:
      *n_operands = 4;
      *n_taken = 2;
      return TRUE;
#endif
    default:
      return FALSE;
    }
}

/* The value stack of a frame in a call to C (see walk_to_lasti ()) from
 * an operator (see operator_operands ()) that runs the special method
 * named method, one of whose operands, held by the stack, is `operand`:
 * those stay on the stack, each a reference, until the operator returns.
 * Without the operands the operator took the references of, which are
 * the topmost.  NULL, and *n_items 0, when any of that fails. */
PyObject **
hs_py_frame_stack_in_operator (HsPyFrame *frame,
                               int        from,
                               int        from_depth,
                               PyObject  *operand,
                               PyObject  *method,
                               int       *n_items)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;
  int base = HS_FRAME_CODE (f)->co_nlocalsplus;
  StackWalk walk;
  int n, taken;

  g_assert (frame != NULL && operand != NULL && method != NULL && n_items != NULL);

  *n_items = 0;
  if (!walk_to_lasti (f, from, from_depth, &walk) ||
      !operator_operands (walk.op, walk.oparg, method, &n, &taken) || walk.depth < n)
    return NULL;
  for (int k = walk.depth - n; k < walk.depth - taken; k++)
    if (f->localsplus[base + k] == operand)
      {
        *n_items = walk.depth - taken;
        return f->localsplus + base;
      }
  return NULL;
}

/* The value stack of a frame in a call to C (see walk_to_lasti ()) from
 * STORE_NAME or STORE_GLOBAL, while what the store let go of, the name's
 * old value, is freed and runs Python code (its __del__, a weak
 * reference's callback).  The store popped the value it stores and holds
 * it until the dict's store returns, and that store holds the name once
 * more (insertdict () takes a reference to the key for the whole store,
 * in 3.11 to 3.13): *name is it.  Only for a namespace that is an exact
 * dict, where that is how the store goes, and the depth is trusted only
 * when that dict holds the value on top of the stack under that name, as
 * it does once the old value is let go of.  NULL, and *n_items 0, when
 * any of that fails. */
PyObject **
hs_py_frame_stack_in_store (HsPyFrame  *frame,
                            int         from,
                            int         from_depth,
                            int        *n_items,
                            PyObject  **name)
{
  _PyInterpreterFrame *f = (_PyInterpreterFrame *) frame;
  PyCodeObject *code = HS_FRAME_CODE (f);
  int base = code->co_nlocalsplus;
  PyObject *namespace, *key, *stored;
  StackWalk walk;

  g_assert (frame != NULL && n_items != NULL && name != NULL);

  *n_items = 0;
  *name = NULL;
  if (!walk_to_lasti (f, from, from_depth, &walk) || (walk.op != STORE_NAME && walk.op != STORE_GLOBAL) ||
      walk.depth < 1 || walk.oparg >= PyTuple_GET_SIZE (code->co_names))
    return NULL;
  namespace = walk.op == STORE_GLOBAL ? f->f_globals : f->f_locals;
  key = PyTuple_GET_ITEM (code->co_names, walk.oparg);
  /* an exact dict and a str key: the lookup runs no Python code */
  if (namespace == NULL || !PyDict_CheckExact (namespace) || !PyUnicode_CheckExact (key) ||
      (stored = PyDict_GetItemWithError (namespace, key)) == NULL ||
      stored != f->localsplus[base + walk.depth - 1])
    {
      PyErr_Clear ();
      return NULL;
    }
  *name = key;
  *n_items = walk.depth;
  return f->localsplus + base;
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

/* Whether name is a dunder, __name__: CPython's own names, which the
 * graph does not draw as variables */
static gboolean
is_dunder (const char *name,
           gsize       length)
{
  return length > 4 && name[0] == '_' && name[1] == '_' && name[length - 1] == '_' && name[length - 2] == '_';
}

gboolean
hs_is_dunder (const char *name)
{
  return is_dunder (name, strlen (name));
}

/* The UTF-8 text of a name the graph draws as a variable (a frame's
 * local, a module's global), as hs_py_str_utf8 () gives it; NULL for a
 * name it does not draw: no str, one UTF-8 cannot hold, or a dunder.
 * The walker draws by it and hs-holders.c counts what it does not draw;
 * read at each step the globals change, so an ASCII name's dunder test
 * takes its stored length, not strlen (). */
const char *
hs_py_variable_name (PyObject  *name,
                     char     **to_free)
{
  const char *text;

  *to_free = NULL;
  if (PyUnicode_Check (name) && PyUnicode_IS_COMPACT_ASCII (name))
    {
      text = (const char *) PyUnicode_DATA (name);
      return is_dunder (text, PyUnicode_GET_LENGTH (name)) ? NULL : text;
    }
  text = hs_py_str_utf8 (name, to_free);
  if (text != NULL && hs_is_dunder (text))
    {
      g_clear_pointer (to_free, g_free);
      return NULL;
    }
  return text;
}

/* Whether a module's global of this name is drawn as a variable */
gboolean
hs_py_is_variable_name (PyObject *key)
{
  g_autofree char *copy = NULL;

  return hs_py_variable_name (key, &copy) != NULL;
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

/* Whether a slot is an inlined comprehension's hidden variable (3.12 on,
 * PEP 709): a module's or class body's code has the slot, but outside the
 * comprehension the name is not a fast local.  (Inside a function the
 * compiler marks no slot hidden: see hs_py_code_comprehension_slots().) */
gboolean
hs_py_code_local_is_hidden (PyCodeObject *code,
                            int           index)
{
  g_assert (code != NULL && index >= 0 && index < code->co_nlocalsplus);

#if PY_VERSION_HEX >= 0x030C0000
  return (_PyLocals_GetKind (code->co_localspluskinds, index) & CO_FAST_HIDDEN) != 0;
#else
  return FALSE;
#endif
}

/* Whether a slot is a cell variable of the code: the frame's slot holds
 * the cell (from the code's first instruction, MAKE_CELL), not the value.
 * A slot both local and cell is one the function's own closures or an
 * inlined comprehension's (3.12 on) capture. */
gboolean
hs_py_code_local_is_cell (PyCodeObject *code,
                          int           index)
{
  g_assert (code != NULL && index >= 0 && index < code->co_nlocalsplus);

  return (_PyLocals_GetKind (code->co_localspluskinds, index) & CO_FAST_CELL) != 0;
}

#if PY_VERSION_HEX >= 0x030C0000
/* One comprehension inlined in a function, open in the scan below: from
 * its LOAD_FAST_AND_CLEAR of the slot, through its loops, to the store
 * that puts the slot's old value back. */
typedef struct
{
  int      slot;
  int      loops;       /* loops entered (FOR_ITER, GET_ANEXT) less left (END_FOR, END_ASYNC_FOR) */
  gboolean looped;      /* its outermost loop has begun */
} Span;

static gboolean
is_store_unit (guint8 op)
{
  return op == STORE_FAST || op == EXTENDED_ARG
#if PY_VERSION_HEX >= 0x030D0000
         || op == STORE_FAST_STORE_FAST
#endif
         ;
}

/* Whether the store at code unit `at` of `code` (two bytes a unit: the
 * opcode, then its argument) is one of those with which an inlined
 * comprehension puts back the n slots it saved when an exception leaves
 * it.  The compiler (pop_inlined_comprehension_state(), 3.12 and 3.13)
 * writes that handler as exactly
 *
 *   SWAP 2, POP_TOP, SWAP n + 1, n × STORE_FAST, RERAISE 0
 *
 * A store before RERAISE alone is no proof: a `finally` block's copy for
 * the way out of an exception ends in RERAISE too, after its last
 * statement's store, and where the block's normal path is dead code (the
 * try body always raises) that copy is the only one.  Such a store is the
 * function's own; a statement's code never swaps with what lies below its
 * own operands, as SWAP n + 1 before n stores does.  (A SWAP beyond 255,
 * after an EXTENDED_ARG, is not matched: the slots are then the
 * function's, as they were before this scan existed.) */
static gboolean
is_restore_on_raise (const guint8 *code,
                     gsize         n_units,
                     gsize         at)
{
  gsize first = at, end = at + 1;
  guint n = 0;

  g_assert (code != NULL && at < n_units);

  while (first > 0 && is_store_unit (code[2 * (first - 1)]))
    first--;
  while (end < n_units && is_store_unit (code[2 * end]))
    end++;
  if (end >= n_units || code[2 * end] != RERAISE || first < 3)
    return FALSE;
  for (gsize i = first; i < end; i++)
    n += code[2 * i] == STORE_FAST ? 1 : code[2 * i] == EXTENDED_ARG ? 0 : 2;
  return code[2 * (first - 1)] == SWAP && code[2 * (first - 1) + 1] == n + 1 &&
         code[2 * (first - 2)] == POP_TOP &&
         code[2 * (first - 3)] == SWAP && code[2 * (first - 3) + 1] == 2;
}

/* An access to slot `slot` at code unit `at` of `code`, a store or not */
static void
note_access (GArray         *spans,
             guint8         *owned,
             const guint8   *code,
             gsize           n_units,
             gsize           at,
             int             slot,
             gboolean        store)
{
  /* A comprehension's restore when an exception leaves it.  It follows
   * the normal restore, which closed the span, or (an async comprehension)
   * precedes it, and must not close the span early. */
  gboolean on_raise = store && is_restore_on_raise (code, n_units, at);

  g_assert (spans != NULL && owned != NULL && code != NULL && at < n_units && slot >= 0);

  /* the innermost comprehension open on this slot */
  for (guint s = spans->len; s > 0; s--)
    {
      Span *span = &g_array_index (spans, Span, s - 1);

      if (span->slot != slot)
        continue;
      /* past its loops, a store is its restore, and it is closed */
      if (store && !on_raise && span->looped && span->loops == 0)
        g_array_remove_index (spans, s - 1);
      return;
    }

  if (!on_raise)
    owned[slot] = TRUE;
}
#endif

/* Which of a function's local slots belong to its inlined
 * comprehensions alone (3.12 on, PEP 709): each comprehension's variable
 * gets a slot of the function, empty outside the comprehension, where the
 * name keeps its meaning in the function (a global, say).  Unlike a class
 * body's, these slots are not marked hidden; what tells them from the
 * function's own locals is the bytecode: every access to such a slot lies
 * inside a comprehension that saved it with LOAD_FAST_AND_CLEAR, or is its
 * restore.  A slot of the function's own is an argument, or is read,
 * written or deleted elsewhere, directly or as a cell.  When a closure in
 * the comprehension captures its variable, the slot is a cell slot too:
 * outside the comprehension it holds the empty cell the code's first
 * instruction made, inside it the comprehension's own cell.
 *
 * Returns a flag per slot (g_free() it), or NULL when no slot is a
 * comprehension's alone, or before 3.12.  The bytecode is read from
 * PyCode_GetCode(), which the code object keeps once made (see
 * hs_py_code_keep_bytecode()). */
guint8 *
hs_py_code_comprehension_slots (PyCodeObject *code)
{
#if PY_VERSION_HEX >= 0x030C0000
  int n = code->co_nlocalsplus;
  int n_args = code->co_argcount + code->co_kwonlyargcount +
               ((code->co_flags & CO_VARARGS) != 0) + ((code->co_flags & CO_VARKEYWORDS) != 0);
  g_autofree guint8 *saved = g_new0 (guint8, n);   /* slots some comprehension saves */
  g_autofree guint8 *owned = g_new0 (guint8, n);   /* slots the function itself uses */
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  guint8 *only = NULL;
  PyObject *bytes;
  const guint8 *units;
  gsize n_units;
  guint32 arg = 0;

  if ((code->co_flags & CO_OPTIMIZED) == 0)
    return NULL;
  bytes = PyCode_GetCode (code);
  if (bytes == NULL)
    {
      PyErr_Clear ();
      return NULL;
    }
  units = (const guint8 *) PyBytes_AS_STRING (bytes);
  n_units = PyBytes_GET_SIZE (bytes) / 2;

  for (gsize i = 0; i < n_units; i++)
    {
      int op = units[2 * i];   /* _Py_CODEUNIT: the opcode, then its argument */
      guint32 oparg = arg | units[2 * i + 1];

      arg = 0;
      switch (op)
        {
        case CACHE:
          break;
        case EXTENDED_ARG:
          arg = oparg << 8;
          break;
        case LOAD_FAST_AND_CLEAR:
          if ((int) oparg < n)
            {
              Span span = { (int) oparg, 0, FALSE };

              saved[oparg] = TRUE;
              g_array_append_val (spans, span);
            }
          break;
        /* an async comprehension's loop: GET_ANEXT at its head,
         * END_ASYNC_FOR where it ends, as FOR_ITER and END_FOR */
        case FOR_ITER:
        case GET_ANEXT:
          for (guint s = 0; s < spans->len; s++)
            {
              g_array_index (spans, Span, s).loops++;
              g_array_index (spans, Span, s).looped = TRUE;
            }
          break;
        case END_FOR:
        case END_ASYNC_FOR:
          for (guint s = 0; s < spans->len; s++)
            if (g_array_index (spans, Span, s).loops > 0)
              g_array_index (spans, Span, s).loops--;
          break;
        case LOAD_FAST:
        case LOAD_FAST_CHECK:
        case DELETE_FAST:
          if ((int) oparg < n)
            note_access (spans, owned, units, n_units, i, (int) oparg, FALSE);
          break;
        case STORE_FAST:
          if ((int) oparg < n)
            note_access (spans, owned, units, n_units, i, (int) oparg, TRUE);
          break;
        /* A cell's contents read, set or deleted, or the cell itself
         * handed to a closure (3.13 does that with LOAD_FAST): outside a
         * comprehension, the function's own captured variable.  None is
         * a comprehension's restore.  The MAKE_CELLs are not counted: the
         * code's first instructions make every cell slot's cell, the
         * comprehension's too, and a comprehension whose variable a
         * closure captures makes its own cell after saving the slot. */
        case LOAD_DEREF:
        case STORE_DEREF:
        case DELETE_DEREF:
#if PY_VERSION_HEX < 0x030D0000
        case LOAD_CLOSURE:   /* from 3.13 a pseudo-instruction, compiled to LOAD_FAST */
#endif
          if ((int) oparg < n)
            note_access (spans, owned, units, n_units, i, (int) oparg, FALSE);
          break;
#if PY_VERSION_HEX >= 0x030D0000
        /* 3.13's superinstructions: two slots of 4 bits each */
        case LOAD_FAST_LOAD_FAST:
        case STORE_FAST_LOAD_FAST:
        case STORE_FAST_STORE_FAST:
          /* Checked against n as the single forms are: bytecode is the
           * program's own, not ours to trust */
          if ((int) (oparg >> 4) < n && (int) (oparg & 15) < n)
            {
              note_access (spans, owned, units, n_units, i, (int) (oparg >> 4), op != LOAD_FAST_LOAD_FAST);
              note_access (spans, owned, units, n_units, i, (int) (oparg & 15), op == STORE_FAST_STORE_FAST);
            }
          break;
#endif
        default:
          break;
        }
    }
  Py_DECREF (bytes);

  /* a comprehension whose restore this scan did not find (bytecode it
   * does not know) leaves its slot to the function */
  for (guint s = 0; s < spans->len; s++)
    owned[g_array_index (spans, Span, s).slot] = TRUE;

  /* a local slot, or a local and cell slot (a comprehension's variable
   * that a closure captures); never a free variable's */
  for (int i = n_args; i < n; i++)
    if (saved[i] && !owned[i] &&
        (_PyLocals_GetKind (code->co_localspluskinds, i) & ~CO_FAST_CELL) == CO_FAST_LOCAL)
      {
        if (only == NULL)
          only = g_new0 (guint8, n);
        only[i] = TRUE;
      }
  return only;
#else
  return NULL;
#endif
}

/* Has `code` (the program's module, say) and each code object in it make
 * and keep its bytecode (PyCode_GetCode(), cached from 3.11 on), so that
 * reading it later as the program runs allocates nothing among the
 * program's objects. */
void
hs_py_code_keep_bytecode (PyCodeObject *code)
{
  PyObject *consts = code->co_consts;
  PyObject *bytes = PyCode_GetCode (code);

  if (bytes == NULL)
    PyErr_Clear ();
  Py_XDECREF (bytes);
  for (Py_ssize_t i = 0; consts != NULL && i < PyTuple_GET_SIZE (consts); i++)
    if (PyCode_Check (PyTuple_GET_ITEM (consts, i)))
      hs_py_code_keep_bytecode ((PyCodeObject *) PyTuple_GET_ITEM (consts, i));
}

PyObject *
hs_py_code_local_name (PyCodeObject *code,
                       Py_ssize_t    index)
{
  if (index < 0 || index >= code->co_nlocalsplus)
    return NULL;
  return PyTuple_GET_ITEM (code->co_localsplusnames, index);
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

/* While the collector runs (hs_py_gc_collecting ()), whether obj, which it
 * tracks, is garbage it found and is collecting: it marks every object of
 * the generations it collects, then clears the mark on what it finds
 * reachable and on what a legacy finalizer keeps (move_unreachable (),
 * move_legacy_finalizers ()); the mark stays on the rest through their
 * __del__ and until they are freed, or, for what a __del__ saved, until
 * the collector finds that it did (handle_resurrected_objects ()). */
gboolean
hs_py_gc_is_garbage (PyObject *obj)
{
  g_assert (_PyObject_IS_GC (obj) && _PyObject_GC_IS_TRACKED (obj));

  return (_Py_AS_GC (obj)->_gc_prev & _PyGC_PREV_MASK_COLLECTING) != 0;
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

/* The heads of the gc's lists: generations 0 to 2, then the permanent
 * generation that gc.freeze() fills */
static void
gc_heads (PyGC_Head *heads[4])
{
  struct _gc_runtime_state *gc = hs_py_gc_state ();

  for (int i = 0; i < 3; i++)
    heads[i] = &gc->generations[i].head;
  heads[3] = &gc->permanent_generation.head;
}

/* Calls func (obj, generation, user_data), unless func is NULL, for each
 * object of the gc's generations, those of the permanent one that
 * gc.freeze () fills as 2.  FALSE as soon as it has passed max_objects,
 * having called func for those: a walk's cost grows with the heap. */
gboolean
hs_py_gc_foreach_tracked (HsPyGcFunc func,
                          gpointer   user_data,
                          gsize      max_objects)
{
  PyGC_Head *heads[4];
  gsize n = 0;

  gc_heads (heads);
  for (int i = 0; i < 4; i++)
    for (PyGC_Head *g = (PyGC_Head *) heads[i]->_gc_next; g != heads[i]; g = (PyGC_Head *) g->_gc_next)
      {
        if (++n > max_objects)
          return FALSE;
        if (func != NULL)
          func ((PyObject *) (g + 1), i == 3 ? 2 : i, user_data);
      }
  return TRUE;
}

/* Follows the object's gc list to the generation head it belongs to.  New
 * objects sit at the tail of generation 0, so this is short for them.
 * -1 for an object the collector does not track, and for one in none of
 * its generations: while the collector runs Python code (the __del__ of
 * the garbage it found, weak references' callbacks), it keeps what it
 * collects, and the weak references whose callbacks it calls, in lists of
 * its own, whose heads are its locals; the walk then comes back to the
 * object. */
int
hs_py_gc_generation (PyObject *obj)
{
  PyGC_Head *heads[4];
  PyGC_Head *start, *g;

  if (!_PyObject_IS_GC (obj) || !_PyObject_GC_IS_TRACKED (obj))
    return -1;

  gc_heads (heads);

  start = g = _Py_AS_GC (obj);
  for (gsize guard = 0; guard < (1u << 26); guard++)
    {
      g = (PyGC_Head *) g->_gc_next;
      if (g == NULL || g == start)
        return -1;
      for (int i = 0; i < 4; i++)
        if (g == heads[i])
          return i == 3 ? 2 : i;
    }
  return -1;
}

/* Adds to subclasses each class made from type directly that is alive,
 * and not in it yet:
 * the weak references in a heap type's tp_subclasses, a dict (static
 * built-in types keep theirs elsewhere from 3.12 on).  Runs no Python
 * code: a plain dict, and weak references read, not called. */
void
hs_py_type_add_subclasses (PyTypeObject *type,
                           GPtrArray    *subclasses)
{
  PyObject *dict, *key, *ref;
  Py_ssize_t pos = 0;

  g_assert (type != NULL && subclasses != NULL);

  if (!PyType_HasFeature (type, Py_TPFLAGS_HEAPTYPE))
    return;
  dict = (PyObject *) type->tp_subclasses;
  if (dict == NULL || !PyDict_CheckExact (dict))
    return;
  while (PyDict_Next (dict, &pos, &key, &ref))
    {
      PyObject *sub = NULL;

      if (!PyWeakref_CheckRef (ref))
        continue;
#if PY_VERSION_HEX >= 0x030D0000
      /* a strong reference, let go of at once: the class is alive */
      if (PyWeakref_GetRef (ref, &sub) == 1)
        Py_DECREF (sub);
      else
        sub = NULL;
#else
      sub = PyWeakref_GET_OBJECT (ref);
#endif
      if (sub != NULL && PyType_Check (sub) && !g_ptr_array_find (subclasses, sub, NULL))
        g_ptr_array_add (subclasses, sub);
    }
}

/* Counts obj in counts (PyTypeObject* -> count) if its type is a class the
 * program made */
static void
count_instance (PyObject *obj,
                int       generation,
                gpointer  counts)
{
  PyTypeObject *type = Py_TYPE (obj);

  if (PyType_HasFeature (type, Py_TPFLAGS_HEAPTYPE))
    {
      gpointer count = g_hash_table_lookup (counts, type);

      g_hash_table_insert (counts, type, GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
    }
}

/* Counts in counts (PyTypeObject* -> count) the objects the gc tracks
 * whose type is a class the program made: each holds its class.  One walk
 * over the gc's lists, reading each object's type and nothing else.  An
 * instance of a class without gc support, or one being deallocated
 * (untracked first), is not among them.  FALSE, with counts empty, when
 * the gc tracks more than max_objects: the walk's cost grows with the
 * heap, and a step would pay it. */
gboolean
hs_py_count_instances (GHashTable *counts,
                       gsize       max_objects)
{
  g_return_val_if_fail (counts != NULL, FALSE);

  g_hash_table_remove_all (counts);
  if (!hs_py_gc_foreach_tracked (count_instance, counts, max_objects))
    {
      g_hash_table_remove_all (counts);
      return FALSE;
    }
  return TRUE;
}

/* Adds to counts (type -> count) the instances of classes in the list of
 * the collector's own that garbage, an object hs_py_gc_is_garbage () of,
 * is in while the collector runs its __del__ (hs_py_count_instances ()
 * walks the generations, which garbage is in none of), and adds what it
 * walked to visited, so that a list is walked once.  The list's head is
 * a local of the collector, not an object: it is told by the mark that
 * every garbage object bears and a head's pointer to the list's tail
 * never does (_PyGC_PREV_MASK_COLLECTING).  While it finalizes, the
 * collector keeps its garbage in two lists, what it has called __del__
 * for and what it has not (finalize_garbage ()): one object walks one of
 * them.  Walks at most *budget objects, less what it walked. */
void
hs_py_count_garbage_instances (GHashTable *counts,
                               GHashTable *visited,
                               PyObject   *garbage,
                               gsize      *budget)
{
  PyGC_Head *start = _Py_AS_GC (garbage);

  g_return_if_fail (counts != NULL && visited != NULL && budget != NULL && hs_py_gc_is_garbage (garbage));

  if (g_hash_table_contains (visited, start))
    return;
  for (PyGC_Head *g = start; *budget > 0; (*budget)--)
    {
      if (g->_gc_prev & _PyGC_PREV_MASK_COLLECTING)
        {
          g_hash_table_add (visited, g);
          count_instance ((PyObject *) (g + 1), -1, counts);
        }
      g = (PyGC_Head *) g->_gc_next;
      if (g == NULL || g == start)
        break;
    }
}

/* How many times the interpreter's list of modules by index holds module:
 * CPython keeps there the modules that C code finds again with
 * PyState_FindModule (), those set up the old way (single-phase init),
 * such as sys and builtins; 0 for any other. */
guint
hs_py_count_module_index (PyObject *module)
{
  PyInterpreterState *interp = PyInterpreterState_Get ();
#if PY_VERSION_HEX >= 0x030C0000
  PyObject *list = interp->imports.modules_by_index;
#else
  PyObject *list = interp->modules_by_index;
#endif
  guint n = 0;

  g_assert (module != NULL);

  if (list == NULL || !PyList_CheckExact (list))
    return 0;
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE (list); i++)
    n += PyList_GET_ITEM (list, i) == module;
  return n;
}

/* The copy the interpreter made at start-up of the dict of builtins,
 * and from 3.12 on of sys's (3.11 keeps sys's as its module's m_copy
 * instead), to restore them: it holds what the dict held then, so len
 * reads one more than its names.  NULL for any other dict. */
PyObject *
hs_py_interpreter_dict_copy (PyObject *dict)
{
  PyInterpreterState *interp = PyInterpreterState_Get ();
  PyObject *copy = NULL;

  g_assert (dict != NULL);

#if PY_VERSION_HEX >= 0x030C0000
  if (dict == interp->sysdict)
    copy = interp->sysdict_copy;
#endif
  if (dict == interp->builtins)
    copy = interp->builtins_copy;
  return copy != NULL && PyDict_CheckExact (copy) ? copy : NULL;
}

/* Whether an object is of a type the parser or the AST optimiser puts in
 * the arena: names and literals, and the constants folded from them
 * (`not 0` and `__debug__` fold to a bool). */
static gboolean
is_arena_type (PyObject *obj)
{
  return PyUnicode_CheckExact (obj) || PyLong_CheckExact (obj) || PyBool_Check (obj) || PyFloat_CheckExact (obj) ||
         PyComplex_CheckExact (obj) || PyBytes_CheckExact (obj) || PyTuple_CheckExact (obj) ||
         PyFrozenSet_CheckExact (obj);
}

/* Whether a list could be an arena's: only such objects, at least one of
 * them a name or a constant of the script's code. */
static gboolean
list_could_be_arena (PyObject   *list,
                     GHashTable *script_objects)
{
  gboolean shares = FALSE;

  for (Py_ssize_t i = 0; i < PyList_GET_SIZE (list); i++)
    {
      PyObject *item = PyList_GET_ITEM (list, i);

      if (!is_arena_type (item))
        return FALSE;
      shares = shares || g_hash_table_contains (script_objects, item);
    }
  return shares;
}

static int
forget_referenced (PyObject *obj,
                   void     *user_data)
{
  g_ptr_array_remove_fast (user_data, obj);
  return 0;
}

static void
add_tuple_items (GHashTable *set,
                 PyObject   *tuple)
{
  if (tuple != NULL && PyTuple_Check (tuple))
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE (tuple); i++)
      if (is_arena_type (PyTuple_GET_ITEM (tuple, i)))
        g_hash_table_add (set, PyTuple_GET_ITEM (tuple, i));
}

/* The list in which the parser's arena keeps the objects it made for the
 * script (a_objects in CPython's Python/pyarena.c), one reference per
 * name or literal written, until PyRun_FileExFlags() returns: that is the
 * third reference sys.getrefcount(24601) counts in a script.  The arena
 * itself is out of reach, so its list is found among the objects the gc
 * tracks while the script's first line runs: a list held once, by nothing
 * the gc tracks, of names and literals only, some of them the script's.
 * NULL unless exactly one list is such, so nothing is named by a guess. */
PyObject *
hs_py_find_arena_objects (PyCodeObject *module_code)
{
  g_autoptr(GHashTable) script_objects = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  PyGC_Head *heads[4];

  g_return_val_if_fail (module_code != NULL, NULL);

  add_tuple_items (script_objects, module_code->co_consts);
  add_tuple_items (script_objects, module_code->co_names);
  if (g_hash_table_size (script_objects) == 0)
    return NULL;

  gc_heads (heads);
  for (int i = 0; i < 4; i++)
    for (PyGC_Head *g = (PyGC_Head *) heads[i]->_gc_next; g != heads[i]; g = (PyGC_Head *) g->_gc_next)
      {
        PyObject *obj = (PyObject *) (g + 1);

        if (PyList_CheckExact (obj) && Py_REFCNT (obj) == 1 && list_could_be_arena (obj, script_objects))
          g_ptr_array_add (candidates, obj);
      }

  /* a list some tracked object refers to is not the arena's */
  for (int i = 0; i < 4 && candidates->len > 0; i++)
    for (PyGC_Head *g = (PyGC_Head *) heads[i]->_gc_next; g != heads[i]; g = (PyGC_Head *) g->_gc_next)
      {
        PyObject *obj = (PyObject *) (g + 1);
        traverseproc traverse = Py_TYPE (obj)->tp_traverse;

        if (traverse != NULL)
          traverse (obj, forget_referenced, candidates);
      }

  return candidates->len == 1 ? g_ptr_array_index (candidates, 0) : NULL;
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

/* What an exception keeps in its struct rather than its __dict__: its
 * arguments (with_args; not when empty, the shared ()), and the
 * exceptions it chains to ("During handling of the above exception",
 * raise ... from).  Not its __traceback__, which holds the frames it
 * passed through: the graph draws no frame objects.  Its notes are in
 * its __dict__ (BaseException.add_note() puts them there; the struct's
 * notes field stays NULL in 3.11 to 3.13). */
void
hs_py_foreach_exception_field (PyObject     *obj,
                               gboolean      with_args,
                               HsPyAttrFunc  func,
                               gpointer      user_data)
{
  PyBaseExceptionObject *exc = (PyBaseExceptionObject *) obj;

  g_assert (PyExceptionInstance_Check (obj));

  if (with_args && exc->args != NULL && PyTuple_Check (exc->args) && PyTuple_GET_SIZE (exc->args) > 0)
    func ("args", exc->args, user_data);
  if (exc->cause != NULL)
    func ("__cause__", exc->cause, user_data);
  if (exc->context != NULL)
    func ("__context__", exc->context, user_data);
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

  /* A __dict__ something else holds as well (d = c.__dict__, an iterator
   * over it) is drawn as a dict of its own, with the arrows of its
   * entries: drawn as rows too, each would count twice.  The object's
   * reference to it is then the arrow. */
  if (dict != NULL && PyDict_Check (dict) && Py_REFCNT (dict) > 1)
    func ("__dict__", dict, user_data);
  else if (dict != NULL && PyDict_Check (dict))
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

/* Whether the graph draws a class's attribute as a row of its box: its
 * data attributes, which its instances share (Dog.tricks = []), and not
 * what binds when read through an instance (a descriptor: a method, a
 * classmethod, a property, a slot), nor the names that begin with an
 * underscore (CPython's dunders, enum's and namedtuple's own, private
 * ones), which would crowd every class. */
gboolean
hs_py_is_class_data_attr (PyObject *key,
                          PyObject *value)
{
  return PyUnicode_CheckExact (key) && PyUnicode_GET_LENGTH (key) > 0 &&
         PyUnicode_READ_CHAR (key, 0) != '_' && Py_TYPE (value)->tp_descr_get == NULL;
}

/* Calls func for each data attribute of a class the program made, in
 * its __dict__'s order (see hs_py_is_class_data_attr ()), while only the
 * class holds its __dict__: one the program holds (a list from
 * gc.get_referents (Dog)) may be drawn with the arrows of its entries,
 * which would count each attribute twice.  The hidden holders read a
 * class's dict under the same condition. */
void
hs_py_foreach_class_attr (PyObject     *type,
                          HsPyAttrFunc  func,
                          gpointer      user_data)
{
  PyObject *dict = ((PyTypeObject *) type)->tp_dict;
  PyObject *key, *value;
  Py_ssize_t pos = 0;

  g_assert (PyType_Check (type));

  if (dict == NULL || !PyDict_CheckExact (dict) || Py_REFCNT (dict) != 1)
    return;
  while (PyDict_Next (dict, &pos, &key, &value))
    if (hs_py_is_class_data_attr (key, value))
      {
        g_autofree char *copy = NULL;
        const char *name = hs_py_str_utf8 (key, &copy);

        if (name != NULL)
          func (name, value, user_data);
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
  gint64 first, last;
  long value;
  int overflow;

  if (!PyLong_CheckExact (obj))
    return FALSE;
  hs_py_small_int_range (&first, &last);
  value = PyLong_AsLongAndOverflow (obj, &overflow);
  if (overflow || value < first || value > last)
    return FALSE;
  return obj == (PyObject *) &_Py_SINGLETON (small_ints)[value - first];
}
