/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-heap-walker"

#include "config.h"

#include <string.h>

#include "hs-heap-walker.h"
#include "hs-holders.h"
#include "hs-object-facts.h"
#include "hs-registry.h"

/* Objects that left the snapshot while alive can become cyclic garbage later,
 * when something outside the snapshot lets go of them.  They wait here; the
 * oldest are dropped past this many to bound the cost of a step. */
#define LIMBO_MAX 1024
/* A holder outside the snapshot (a for-loop's iterator, another module) can
 * drop its reference without any sign at a line boundary; the limbo is
 * re-examined at least this often. */
#define LIMBO_RECHECK_STEPS 64

static HsStepBuilder *builder;
static HsWalkLimits limits;
static HsUserFileFunc user_file;
static const char *main_file;

static guint32 epoch;
/* The walk whose view this step builds on: an entry is in the view when
 * e->epoch >= base_epoch.  A full walk starts afresh (base_epoch = epoch);
 * a step that only replaced objects in place keeps the view it had and
 * its base, and stamps only what it changed (see fast_step). */
static guint32 base_epoch;
static guint32 prev_base_epoch; /* the base of the previous step */
static GPtrArray *view;         /* HsEntry*, in walk order */
static GPtrArray *prev_view;
static GPtrArray *limbo;
static GPtrArray *garbage_roots;
static GArray *edge_scratch;    /* guint32 triples */
static guint32 edges_dropped;   /* entries the object cap left out, while computing edges */
static gboolean key_dropped;    /* the last edge was a dict key the object cap left out */
static gboolean walking_reachable;
static gboolean full_walk;      /* HEAPSCOPE_FULL_WALK: never replay (tests compare) */
static guint32 step_dropped;    /* visits the object cap refused this step */

/* What a visit that adds an object to the view records on its entry: the
 * object being processed (NULL for a root) and which of its attempts. */
static HsEntry *cur_owner;
static guint32 cur_index;
static gboolean probing;        /* compute_edges only lists what it would visit */
static gboolean fast_mode;      /* every visit finds its object in the view */

/* Every edge compute_edges tried to add, in order: what it was read from
 * and the entry it found, so that an unchanged container can replay them
 * without reading it again (see replay_edges). */
static GArray *attempt_srcs;    /* PyObject* */
static GArray *attempt_targets; /* HsEntry*, NULL when the object cap kept it out unregistered */
static GArray *attempt_kinds;   /* guint32 pairs: kind, label */
static gboolean limbo_dirty;

/* The user's frames at the last step, outermost first, and how long the
 * view was once each one's variables were visited: a frame that has not
 * run since (one below the innermost of the last step) has the same
 * variables, so the next step takes its part of the view as it was
 * instead of reading it again (see take_kept_frames). */
typedef struct
{
  HsPyFrame    *frame;
  PyCodeObject *code;
  guint         view_end;
  guint64       globals_version;   /* a module frame's, when last read */
  PyObject    **locals;            /* 3.13: its fast locals when last read */
} StackFrame;

static GArray *stack;              /* StackFrame, locals owned */
static GArray *module_frames;      /* guint: the indices in it of module frames */
static PyObject *finished_globals; /* the script's globals, drawn once it has finished */
static HsPyReturnKind return_kind; /* how this step's return hands back its value */
static GPtrArray *stack_frames;    /* HsPyFrame*, outermost first: for hs-holders */
static GPtrArray *new_frames;      /* scratch: frames above those kept, innermost first */

/* Every root visit of the last step, in order (the variables of each
 * frame, then the return value), with the entry each found, and where each
 * frame's begin: a fast step compares the variables of the frames that ran
 * with them. */
static GPtrArray *root_objs;
static GPtrArray *root_entries;
static GArray *root_starts;        /* guint, one per frame of `stack` */

/* This step's variables of the frames from the first not kept on, read
 * before the walk decides how to go. */
typedef struct
{
  guint32   name;
  PyObject *value;
} Var;

typedef struct
{
  guint32 function;
  int     line;
  guint   first_var;
  guint   first_unbound;
  guint32 file;
} FrameVars;

static GArray *vars;               /* Var */
/* The names a frame's code owns that hold no value at this step (see
 * read_frame_vars()), interned */
static GArray *unbound;            /* guint32 */
static GArray *frame_vars;         /* FrameVars, one per frame read */
/* The last module code whose functions were made to keep their bytecode
 * (hs_py_code_keep_bytecode()) */
static PyCodeObject *kept_bytecode;

/* The view of the last step as the next step scans it: one slot per
 * entry, in view order, with what the scan compares.  Valid after a step
 * that hit no cap and found no garbage. */
typedef enum
{
  SLOT_PLAIN,        /* an immutable scalar: its refcount is all that can change */
  SLOT_STR,          /* the same, a str that sys.intern() may still intern in place */
  SLOT_CONTAINER,    /* a list, tuple, dict, cell or bound method read through its edge cache */
  SLOT_DIRTY,        /* processed whole at every step */
} SlotCheck;

typedef struct
{
  PyObject *obj;
  HsEntry  *entry;
  gint64    refcount;   /* e->refcount */
  guint32   check;      /* SlotCheck */
} Slot;

static GArray *slots;              /* Slot */
static GArray *reader_slots;       /* guint: the slots whose objects refer to others */
static gboolean slots_valid;
static gboolean building_slots;

/* A fast step's changes: the object at view position pos is replaced by
 * x, found by attempt index of owner (NULL: a root). */
typedef struct
{
  HsEntry  *owner;
  guint32   index;
  guint32   pos;
  PyObject *x;
} Subst;

static GArray *substs;             /* Subst */
static GArray *dirty;              /* guint: view positions processed whole this step */
/* The objects of the view that a value stack held at the last step: a fast
 * step processes them whole, since they may no longer be held. */
static GPtrArray *held_entries;
static guint n_accounted;          /* freed objects of the view a substitution replaces */
static guint32 steps_since_check;
static guint64 gc_collections[3], gc_collected[3], gc_uncollectable[3];

static void
clear_stack_frame (gpointer data)
{
  g_clear_pointer (&((StackFrame *) data)->locals, g_free);
}

void
hs_heap_walker_init (HsStepBuilder      *b,
                     const HsWalkLimits *l,
                     HsUserFileFunc      file_func,
                     const char         *main_name)
{
  builder = b;
  limits = *l;
  user_file = file_func;
  main_file = main_name;
  view = g_ptr_array_new ();
  prev_view = g_ptr_array_new ();
  limbo = g_ptr_array_new ();
  garbage_roots = g_ptr_array_new ();
  edge_scratch = g_array_new (FALSE, FALSE, sizeof (guint32));
  attempt_srcs = g_array_new (FALSE, FALSE, sizeof (PyObject *));
  attempt_targets = g_array_new (FALSE, FALSE, sizeof (HsEntry *));
  attempt_kinds = g_array_new (FALSE, FALSE, sizeof (guint32));
  stack = g_array_new (FALSE, FALSE, sizeof (StackFrame));
  g_array_set_clear_func (stack, clear_stack_frame);
  stack_frames = g_ptr_array_new ();
  module_frames = g_array_new (FALSE, FALSE, sizeof (guint));
  new_frames = g_ptr_array_new ();
  root_objs = g_ptr_array_new ();
  root_entries = g_ptr_array_new ();
  root_starts = g_array_new (FALSE, FALSE, sizeof (guint));
  vars = g_array_new (FALSE, FALSE, sizeof (Var));
  frame_vars = g_array_new (FALSE, FALSE, sizeof (FrameVars));
  unbound = g_array_new (FALSE, FALSE, sizeof (guint32));
  slots = g_array_new (FALSE, FALSE, sizeof (Slot));
  reader_slots = g_array_new (FALSE, FALSE, sizeof (guint));
  substs = g_array_new (FALSE, FALSE, sizeof (Subst));
  dirty = g_array_new (FALSE, FALSE, sizeof (guint));
  held_entries = g_ptr_array_new ();
  full_walk = g_strcmp0 (g_getenv ("HEAPSCOPE_FULL_WALK"), "1") == 0;
  hs_py_gc_stats (gc_collections, gc_collected, gc_uncollectable);
}

static gboolean is_garbage (PyObject *obj);

/* visit() for an object whose entry e (maybe NULL) is already known */
static inline guint32
visit_entry (PyObject *obj,
             HsEntry **entry)
{
  HsEntry *e = *entry;

  if (e != NULL && e->epoch >= base_epoch)
    return e->ref;
  /* a fast step placed every object it visits beforehand */
  g_assert (!fast_mode);
  if (view->len >= limits.max_objects)
    {
      step_dropped++;
      return 0;
    }
  if (e == NULL)
    *entry = e = hs_registry_insert (obj);

  e->epoch = epoch;
  e->view_pos = view->len;
  e->parent = cur_owner;
  e->parent_index = cur_index;
  e->reachable = walking_reachable || !is_garbage (obj);
  e->garbage = !e->reachable;
  g_ptr_array_add (view, e);
  return e->ref;
}

/* Counts an edge whose target the object cap refused (dropped), as one
 * entry of the owner left out: a dict entry counts once, whether its key,
 * its value or both were refused, as `omitted` counts entries, which
 * the length counts too. */
static inline void
note_dropped (guint32  kind,
              gboolean dropped)
{
  if (dropped && !(kind == HS_EDGE_VALUE && key_dropped))
    edges_dropped++;
  key_dropped = dropped && kind == HS_EDGE_KEY;
}

static guint32
visit (PyObject *obj)
{
  HsEntry *e = hs_registry_lookup (obj);

  return visit_entry (obj, &e);
}

static void
add_edge (HsEdgeKind  kind,
          guint32     label,
          PyObject   *target)
{
  HsEntry *e;
  guint32 ref;
  guint32 triple[3];
  guint32 kl[2] = { kind, label };

  if (probing)
    {
      g_array_append_val (attempt_srcs, target);
      return;
    }
  cur_index = attempt_srcs->len;
  e = hs_registry_lookup (target);
  ref = visit_entry (target, &e);
  triple[0] = kind;
  triple[1] = label;
  triple[2] = ref;
  g_array_append_val (attempt_srcs, target);
  g_array_append_val (attempt_targets, e);
  g_array_append_vals (attempt_kinds, kl, 2);

  /* past the object cap the target is not in the snapshot; the owner's
   * omitted count says so instead */
  if (ref != 0)
    g_array_append_vals (edge_scratch, triple, 3);
  note_dropped (kind, ref == 0);
}

static guint32
index_label (Py_ssize_t i)
{
  static guint32 cache[512];
  char buf[32];

  if (i < (Py_ssize_t) G_N_ELEMENTS (cache) && cache[i] != 0)
    return cache[i];
  g_snprintf (buf, sizeof buf, "%" G_GSSIZE_FORMAT, (gssize) i);
  if (i < (Py_ssize_t) G_N_ELEMENTS (cache))
    return cache[i] = hs_step_builder_intern (builder, buf);
  return hs_step_builder_intern (builder, buf);
}

static void
add_sequence_edges (PyObject  **items,
                    Py_ssize_t  n,
                    guint32    *omitted)
{
  Py_ssize_t cap = limits.max_elements;
  Py_ssize_t head = n, tail_start = n;

  /* Long sequences keep their head and a short tail: enough to see both
   * ends while a loop appends. */
  if (n > cap)
    {
      Py_ssize_t tail = MIN (3, cap / 4);

      head = cap - tail;
      tail_start = n - tail;
      *omitted = n - head - tail;
    }
  for (Py_ssize_t i = 0; i < head; i++)
    add_edge (HS_EDGE_ITEM, index_label (i), items[i]);
  for (Py_ssize_t i = tail_start; i < n; i++)
    add_edge (HS_EDGE_ITEM, index_label (i), items[i]);
}

static void
attr_edge (const char *name,
           PyObject   *value,
           gpointer    user_data)
{
  add_edge (HS_EDGE_ATTR, hs_step_builder_intern (builder, name), value);
}

/* The string table id of a Python str's text, or of "?" */
static guint32
intern_str (PyObject *str)
{
  g_autofree char *copy = NULL;
  const char *text = hs_py_str_utf8 (str, &copy);

  return hs_step_builder_intern (builder, text ? text : "?");
}

static void
iterator_part_edge (HsPyPart  part,
                    int       index,
                    PyObject *target,
                    gpointer  user_data)
{
  static const HsEdgeKind kinds[] = {
    [HS_PY_PART_ITERATED] = HS_EDGE_ITERABLE,
    [HS_PY_PART_FUNCTION] = HS_EDGE_FUNC,
    [HS_PY_PART_RESULT] = HS_EDGE_RESULT,
    [HS_PY_PART_MAPPING] = HS_EDGE_MAPPING,
  };

  add_edge (kinds[part], index >= 0 ? index_label (index) : 0, target);
}

static void
add_function_edges (PyFunctionObject *fn)
{
  PyCodeObject *code = (PyCodeObject *) fn->func_code;

  if (fn->func_defaults != NULL && PyTuple_Check (fn->func_defaults))
    {
      Py_ssize_t n = PyTuple_GET_SIZE (fn->func_defaults);
      Py_ssize_t first = code->co_argcount - n;

      for (Py_ssize_t i = 0; i < n; i++)
        {
          PyObject *name = hs_py_code_local_name (code, first + i);

          add_edge (HS_EDGE_DEFAULT,
                    name ? intern_str (name) : index_label (i),
                    PyTuple_GET_ITEM (fn->func_defaults, i));
        }
    }
  if (fn->func_kwdefaults != NULL && PyDict_Check (fn->func_kwdefaults))
    {
      Py_ssize_t pos = 0;
      PyObject *key, *value;

      while (PyDict_Next (fn->func_kwdefaults, &pos, &key, &value))
        if (PyUnicode_Check (key))
          add_edge (HS_EDGE_DEFAULT, intern_str (key), value);
    }
  if (fn->func_closure != NULL && PyTuple_Check (fn->func_closure))
    {
      /* the local names end with the free variables, in closure order */
      Py_ssize_t n = PyTuple_GET_SIZE (fn->func_closure);
      Py_ssize_t first = hs_py_code_n_locals (code) - n;

      for (Py_ssize_t i = 0; i < n; i++)
        {
          PyObject *name = hs_py_code_local_name (code, first + i);

          add_edge (HS_EDGE_CLOSURE,
                    name ? intern_str (name) : index_label (i),
                    PyTuple_GET_ITEM (fn->func_closure, i));
        }
    }
}

/* A generator that is not running holds its frame's references: its
 * locals (a list bound in it stays alive while it waits at a yield) and
 * the function it runs.  Drawn as arrows, since Python holds them as
 * surely as a closure holds its cells.  A slot that holds a cell (a
 * variable a nested function captures) points at the cell.  What the
 * frame's value stack holds (the iterator of a for loop, which a
 * generator expression waits inside) is drawn too, in the stack's
 * order. */
static void
add_generator_edges (PyObject *gen)
{
  int n_locals, n_items;
  HsPyFrame *frame = hs_py_generator_frame (gen, &n_locals);
  PyObject *function, **items;

  if (frame == NULL)
    return;
  /* At the step of its yield the generator has already stopped, but its
   * frame is still drawn as the thread's innermost, with these same
   * references: drawn twice, they would not add up.  A frame that is not
   * running can be one of the thread's only then. */
  if (stack_frames->len > 0 && stack_frames->pdata[stack_frames->len - 1] == (gpointer) frame)
    return;
  for (int i = 0; i < n_locals; i++)
    {
      PyObject *name;
      PyObject *value = hs_py_frame_local (frame, i, &name);

      if (value != NULL)
        add_edge (HS_EDGE_LOCAL, intern_str (name), value);
    }
  items = hs_py_frame_stack (frame, &n_items);
  for (int i = 0; i < n_items; i++)
    if (items[i] != NULL)
      add_edge (HS_EDGE_STACK, 0, items[i]);
  function = hs_py_frame_function (frame);
  if (function != NULL)
    add_edge (HS_EDGE_FUNC, 0, function);
}

/* References the graph does not draw, named by their holder (hs-holders.c):
 * one self-edge per holder, whose third word is its count.  They follow
 * the object's other edges and are read at every step, never replayed: a
 * code object's constants or a frame's value stack change without the
 * object changing. */
static void
holder_edges (HsEdgeKind  kind,
              PyObject   *name,
              guint       count,
              gpointer    user_data G_GNUC_UNUSED)
{
  guint32 label = name != NULL ? intern_str (name) : hs_step_builder_intern (builder, "");
  guint32 triple[3] = { kind, label, MIN (count, HS_PROTOCOL_MAX_HELD_COUNT) };

  g_assert (count > 0);
  g_array_append_vals (edge_scratch, triple, 3);
}

/* Whether dict is the globals of a module whose frame the graph draws, or
 * of the script once it has finished: its entries are drawn as the
 * frame's variables, and would count twice drawn again as the dict's
 * (`g = globals()`, or a comprehension over globals()). */
static gboolean
is_drawn_globals (PyObject *dict)
{
  if (stack->len == 0)
    return dict == finished_globals;
  for (guint i = 0; i < module_frames->len; i++)
    {
      StackFrame *sf = &g_array_index (stack, StackFrame, g_array_index (module_frames, guint, i));

      if (hs_py_frame_globals (sf->frame) == dict)
        return TRUE;
    }
  return FALSE;
}

static void
compute_edges (HsEntry *e,
               guint32 *length,
               guint32 *omitted)
{
  PyObject *obj = e->obj;

  g_array_set_size (edge_scratch, 0);
  g_array_set_size (attempt_srcs, 0);
  g_array_set_size (attempt_targets, 0);
  g_array_set_size (attempt_kinds, 0);
  edges_dropped = 0;
  key_dropped = FALSE;
  *length = 0;
  *omitted = 0;

  switch ((HsShape) e->shape)
    {
    case HS_SHAPE_LIST:
      *length = PyList_GET_SIZE (obj);
      add_sequence_edges (((PyListObject *) obj)->ob_item, PyList_GET_SIZE (obj), omitted);
      break;

    case HS_SHAPE_TUPLE:
      *length = PyTuple_GET_SIZE (obj);
      add_sequence_edges (((PyTupleObject *) obj)->ob_item, PyTuple_GET_SIZE (obj), omitted);
      break;

    case HS_SHAPE_DICT:
      {
        Py_ssize_t pos = 0, i = 0;
        PyObject *key, *value;

        *length = PyDict_GET_SIZE (obj);
        if (is_drawn_globals (obj))
          break;
        while (i < (Py_ssize_t) limits.max_elements && PyDict_Next (obj, &pos, &key, &value))
          {
            add_edge (HS_EDGE_KEY, index_label (i), key);
            add_edge (HS_EDGE_VALUE, index_label (i), value);
            i++;
          }
        *omitted = *length - i;
      }
      break;

    case HS_SHAPE_SET:
      {
        Py_ssize_t pos = 0, i = 0;
        PyObject *key;

        *length = PySet_GET_SIZE (obj);
        while (i < (Py_ssize_t) limits.max_elements && hs_py_set_next_entry (obj, &pos, &key))
          {
            add_edge (HS_EDGE_MEMBER, 0, key);
            i++;
          }
        *omitted = *length - i;
      }
      break;

    case HS_SHAPE_FUNCTION:
      add_function_edges ((PyFunctionObject *) obj);
      break;

    case HS_SHAPE_CELL:
      if (PyCell_GET (obj) != NULL)
        add_edge (HS_EDGE_CONTENTS, 0, PyCell_GET (obj));
      break;

    case HS_SHAPE_METHOD:
      add_edge (HS_EDGE_SELF, 0, PyMethod_GET_SELF (obj));
      add_edge (HS_EDGE_FUNC, 0, PyMethod_GET_FUNCTION (obj));
      break;

    case HS_SHAPE_MEMORYVIEW:
      /* through the managed buffer, as CPython holds it: the exporter's
       * refcount counts buffers, not views */
      if (hs_py_memoryview_managed_buffer (obj) != NULL)
        add_edge (HS_EDGE_BUFFER, 0, hs_py_memoryview_managed_buffer (obj));
      break;

    case HS_SHAPE_MANAGED_BUFFER:
      if (hs_py_managed_buffer_exporter (obj) != NULL)
        add_edge (HS_EDGE_EXPORTER, 0, hs_py_managed_buffer_exporter (obj));
      break;

    case HS_SHAPE_GENERATOR:
      add_generator_edges (obj);
      break;

    case HS_SHAPE_ITERATOR:
      /* read again at every step: next() moves no pointer, but the
       * iterator lets go of what it iterates over when it runs out, and
       * fills its result tuple once it reuses it */
      hs_py_foreach_iterator_part (obj, iterator_part_edge, NULL);
      break;

    case HS_SHAPE_UNKNOWN:
    case HS_SHAPE_LEAF:
    default:
      break;
    }

  if (e->has_attrs && PyType_Check (obj))
    hs_py_foreach_class_attr (obj, attr_edge, NULL);
  else if (e->has_attrs)
    {
      /* BaseException_new keeps as args the very tuple the call of the
       * class packed, which hs-holders names the items of while that
       * call runs __init__ (held-init-args): drawn too, each item would
       * count twice.  args waits for the call to return. */
      if (PyExceptionInstance_Check (obj))
        hs_py_foreach_exception_field (obj, !hs_holders_is_being_made (obj), attr_edge, NULL);
      hs_py_foreach_instance_attr (obj, attr_edge, NULL);
    }

  *omitted += edges_dropped;
}

/* The walk costs what changed: a container whose items are the same
 * objects as at its last walk replays the edges it had then, which visits
 * exactly what compute_edges would, in the same order, without reading the
 * container or interning a label.  What a replay relies on is kept with
 * the edges, in the same block (e->edges, which the registry frees with
 * the entry):
 *
 *   guint32  triples[3 * n_edges]   what the app was last sent
 *   EdgeCache                       how they were read
 *   PyObject *srcs[n_attempts]      every object compute_edges visited
 *   HsEntry  *targets[n_attempts]   its entry then (NULL: none)
 *   guint32  kinds[2 * n_attempts]  kind and label of each
 *
 * A replay is exact because each shape has a complete test of change:
 * lists and tuples (zip reuses its result tuple in place) compare their
 * item pointers, a dict its version tag, which 3.11 changes on every
 * mutation (not an instance's split dict, which is read again), a cell
 * or bound method its pointers.  An item freed and its
 * address reused by a new object is caught by its entry: the registry
 * clears e->obj in tp_dealloc, and a replayed target whose entry no longer
 * holds that address (or whose type changed) is looked up afresh.
 * Sets, functions, memoryviews, generators and instances with
 * attributes are always read again. */
typedef struct
{
  PyTypeObject *type;
  guint32       epoch;          /* the walk that last read or replayed it */
  guint32       shape;
  guint32       n_attempts;
  guint32       length;
  guint32       omitted;        /* left out by the element cap */
  guint64       version;        /* dict */
  gconstpointer size_key;       /* what sys.getsizeof() depends on besides the items */
  gboolean      size_keyed;
} EdgeCache;

#define CACHE_OFFSET(n_edges) (((gsize) (n_edges) * 3 * sizeof (guint32) + 7) & ~(gsize) 7)

static inline EdgeCache *
edge_cache (HsEntry *e)
{
  return (EdgeCache *) ((char *) e->edges + CACHE_OFFSET (e->n_edges));
}

static inline PyObject **
cache_srcs (EdgeCache *c)
{
  return (PyObject **) (c + 1);
}

static inline HsEntry **
cache_targets (EdgeCache *c)
{
  return (HsEntry **) (cache_srcs (c) + c->n_attempts);
}

static inline guint32 *
cache_kinds (EdgeCache *c)
{
  return (guint32 *) (cache_targets (c) + c->n_attempts);
}

static gboolean
is_replayable_shape (HsEntry *e)
{
  g_assert (e != NULL);

  if (e->has_attrs)
    return FALSE;
  /* it draws its entries again when its frame returns */
  if (e->shape == HS_SHAPE_DICT && is_drawn_globals (e->obj))
    return FALSE;
  switch ((HsShape) e->shape)
    {
    case HS_SHAPE_LIST:
    case HS_SHAPE_TUPLE:
    case HS_SHAPE_DICT:
    case HS_SHAPE_CELL:
    case HS_SHAPE_METHOD:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Whether compute_edges would read the same objects in the same order. */
static gboolean
cache_is_current (HsEntry   *e,
                  EdgeCache *c)
{
  PyObject *obj = e->obj;
  PyObject **srcs = cache_srcs (c);

  g_assert (e != NULL && c != NULL);

  if (c->type != Py_TYPE (obj) || c->shape != e->shape)
    return FALSE;
  switch ((HsShape) e->shape)
    {
    case HS_SHAPE_LIST:
    case HS_SHAPE_TUPLE:
      {
        PyObject **items = e->shape == HS_SHAPE_LIST ? ((PyListObject *) obj)->ob_item
                                                     : ((PyTupleObject *) obj)->ob_item;
        Py_ssize_t n = Py_SIZE (obj);
        Py_ssize_t cap = limits.max_elements;
        Py_ssize_t tail = MIN (3, cap / 4);

        if ((guint32) n != c->length)
          return FALSE;
        if (n <= cap)
          return c->n_attempts == n && (n == 0 || memcmp (items, srcs, n * sizeof (PyObject *)) == 0);
        /* head and tail, as add_sequence_edges takes them */
        return c->n_attempts == cap &&
               memcmp (items, srcs, (cap - tail) * sizeof (PyObject *)) == 0 &&
               memcmp (items + n - tail, srcs + cap - tail, tail * sizeof (PyObject *)) == 0;
      }

    case HS_SHAPE_DICT:
      /* not a dict whose values are an instance's (a split table, d =
       * c.__dict__): 3.13 stores c.a = x into the values it shares with
       * c without changing the dict's version */
      return ((PyDictObject *) obj)->ma_values == NULL &&
             hs_py_dict_version (obj) == c->version && (guint32) PyDict_GET_SIZE (obj) == c->length;

    case HS_SHAPE_CELL:
      return PyCell_GET (obj) == NULL ? c->n_attempts == 0
                                      : c->n_attempts == 1 && srcs[0] == PyCell_GET (obj);

    case HS_SHAPE_METHOD:
      return c->n_attempts == 2 && srcs[0] == PyMethod_GET_SELF (obj) && srcs[1] == PyMethod_GET_FUNCTION (obj);

    default:
      return FALSE;
    }
}

/* Fills edge_scratch as compute_edges would, from the cache; FALSE when the
 * container must be read again. */
static gboolean
replay_edges (HsEntry *e,
              guint32 *length,
              guint32 *omitted)
{
  EdgeCache *c;
  PyObject **srcs;
  HsEntry **targets;
  guint32 *kinds;
  guint32 *scratch;
  guint n = 0;

  g_assert (e != NULL);

  if (full_walk || !e->cached || !is_replayable_shape (e))
    return FALSE;
  /* the edges it stored as a frame's globals were none: the step after
   * its frame returns reads it whole, as its flags still say */
  if (e->flags & HS_OBJECT_FRAME_GLOBALS)
    return FALSE;
  c = edge_cache (e);
  /* A container left out of the last walk may hold entries freed since,
   * and reaped: its cache is only good while it stays in the view. */
  if (c->epoch < prev_base_epoch || !cache_is_current (e, c))
    return FALSE;
  c->epoch = epoch;

  srcs = cache_srcs (c);
  targets = cache_targets (c);
  kinds = cache_kinds (c);
  g_array_set_size (edge_scratch, 3 * c->n_attempts);
  scratch = (guint32 *) edge_scratch->data;
  edges_dropped = 0;
  key_dropped = FALSE;
  for (guint32 i = 0; i < c->n_attempts; i++)
    {
      HsEntry *t = targets[i];
      guint32 ref;

      /* freed (and maybe its address reused), or no longer of its type:
       * what hs_registry_lookup() says now */
      if (G_UNLIKELY (t == NULL || t->obj != srcs[i] || t->type != Py_TYPE (srcs[i])))
        targets[i] = hs_registry_lookup (srcs[i]);
      cur_index = i;
      ref = visit_entry (srcs[i], &targets[i]);
      if (ref != 0)
        {
          scratch[n++] = kinds[2 * i];
          scratch[n++] = kinds[2 * i + 1];
          scratch[n++] = ref;
        }
      note_dropped (kinds[2 * i], ref == 0);
    }
  edge_scratch->len = n;
  *length = c->length;
  *omitted = c->omitted + edges_dropped;
  return TRUE;
}

/* Keeps the edges computed for e (edge_scratch) and, for an object that
 * can refer to others, how they were read (the attempt arrays), in one
 * block: a replayable shape replays them, and a fast step compares what
 * any shape reads with them. */
static void
store_edges (HsEntry *e,
             guint32  length,
             guint32  omitted)
{
  guint32 n_edges = edge_scratch->len / 3;
  gboolean cached = e->shape != HS_SHAPE_LEAF || e->has_attrs;
  guint32 n_attempts = cached ? attempt_srcs->len : 0;
  gsize cache_size = cached ? sizeof (EdgeCache) + n_attempts * (2 * sizeof (gpointer) + 2 * sizeof (guint32)) : 0;
  gsize size = CACHE_OFFSET (n_edges) + cache_size;
  EdgeCache *c;

  g_assert (e != NULL);

  g_free (e->edges);
  e->edges = size > 0 ? g_malloc (size) : NULL;
  e->n_edges = n_edges;
  if (n_edges > 0)
    memcpy (e->edges, edge_scratch->data, n_edges * 3 * sizeof (guint32));
  e->cached = cached;
  if (!cached)
    return;

  c = edge_cache (e);
  c->epoch = epoch;
  c->type = Py_TYPE (e->obj);
  c->shape = e->shape;
  c->n_attempts = n_attempts;
  c->length = length;
  c->omitted = omitted - edges_dropped;
  c->version = e->shape == HS_SHAPE_DICT ? hs_py_dict_version (e->obj) : 0;
  c->size_keyed = FALSE;
  c->size_key = NULL;
  if (n_attempts > 0)
    {
      memcpy (cache_srcs (c), attempt_srcs->data, n_attempts * sizeof (PyObject *));
      memcpy (cache_targets (c), attempt_targets->data, n_attempts * sizeof (HsEntry *));
      memcpy (cache_kinds (c), attempt_kinds->data, n_attempts * 2 * sizeof (guint32));
    }
}

/* What sys.getsizeof() of an exact list, tuple, dict, cell or bound method
 * depends on besides what a replay already checked, or FALSE when it
 * cannot be told. */
static gboolean
size_key (HsEntry       *e,
          gconstpointer *key)
{
  PyObject *obj = e->obj;
  PyTypeObject *type = Py_TYPE (obj);

  g_assert (e != NULL && key != NULL);

  if (type == &PyList_Type)
    *key = GSIZE_TO_POINTER (((PyListObject *) obj)->allocated + 1);
  else if (type == &PyDict_Type)
    *key = hs_py_dict_layout (obj);
  else if (type == &PyTuple_Type || type == &PyCell_Type || type == &PyMethod_Type)
    *key = GSIZE_TO_POINTER (1);
  else
    return FALSE;
  return *key != NULL;
}

/* sys.getsizeof() of e, read again only if it may have changed. */
static gint64
object_size (HsEntry  *e,
             gboolean  replayed)
{
  EdgeCache *c = replayed ? edge_cache (e) : (e->cached && is_replayable_shape (e) ? edge_cache (e) : NULL);
  gconstpointer key = NULL;
  gboolean keyed;
  gint64 size;

  g_assert (e != NULL);

  if (e->sent && e->static_repr)
    return e->size;   /* immutable scalars cannot change size */
  keyed = c != NULL && !full_walk && size_key (e, &key);
  if (replayed && e->sent && keyed && c->size_keyed && c->size_key == key)
    return e->size;
  size = hs_object_facts_size (e->obj);
  if (c != NULL)
    {
      c->size_keyed = keyed;
      c->size_key = key;
    }
  return size;
}

static void
process (HsEntry *e)
{
  guint32 length, omitted;
  guint32 n_edges;
  gboolean edges_changed, replayed;
  HsWireObject w = { 0 };
  gint64 refcount = Py_REFCNT (e->obj);
  guint32 flags;
  gint64 size;

  cur_owner = e;
  if (e->shape == HS_SHAPE_UNKNOWN || Py_TYPE (e->obj) != e->type)
    hs_object_facts_classify (e);

  /* Most objects shown are scalars already sent, which nothing holds
   * unseen: only their refcount and flags can change (the rest of this
   * function would find the same empty edges, repr and size). */
  if (e->sent && e->static_repr && e->shape == HS_SHAPE_LEAF && !e->has_attrs &&
      e->n_edges == 0 && e->length == 0 && e->omitted == 0 && !hs_holders_any (e))
    {
      flags = hs_object_facts_flags (e, e->reachable) | (e->size >= 0 ? HS_OBJECT_SIZE_KNOWN : 0);
      if (flags == e->flags)
        {
          if (refcount != e->refcount)
            {
              e->refcount = refcount;
              hs_step_builder_add_refcount (builder, e->ref, refcount);
            }
          return;
        }
    }

  replayed = replay_edges (e, &length, &omitted);
  if (replayed)
    ;
  else if (e->shape == HS_SHAPE_LEAF && !e->has_attrs)
    {
      /* most objects shown are scalars: nothing to read */
      edge_scratch->len = 0;
      length = omitted = 0;
    }
  else
    compute_edges (e, &length, &omitted);
  hs_holders_foreach (e, holder_edges, NULL);
  n_edges = edge_scratch->len / 3;
  edges_changed = !e->sent || n_edges != e->n_edges ||
                  (n_edges > 0 && memcmp (e->edges, edge_scratch->data, edge_scratch->len * sizeof (guint32)) != 0);
  if (edges_changed)
    {
      const guint32 *scratch = (const guint32 *) edge_scratch->data;
      guint32 keep = 0;

      /* A list that grows at its end keeps its head: send only the rest. */
      if (e->sent)
        while (keep < n_edges && keep < e->n_edges &&
               memcmp (e->edges + 3 * keep, scratch + 3 * keep, 3 * sizeof (guint32)) == 0)
          keep++;

      if (replayed)
        {
          /* the same reads gave other refs: keep the cache, new triples */
          EdgeCache *c = edge_cache (e);
          gsize cache_size = sizeof (EdgeCache) + c->n_attempts * (2 * sizeof (gpointer) + 2 * sizeof (guint32));
          guint32 *block = g_malloc (CACHE_OFFSET (n_edges) + cache_size);

          memcpy (block, scratch, edge_scratch->len * sizeof (guint32));
          memcpy ((char *) block + CACHE_OFFSET (n_edges), c, cache_size);
          g_free (e->edges);
          e->edges = block;
          e->n_edges = n_edges;
        }
      else
        store_edges (e, length, omitted);
      hs_step_builder_replace_edges (builder, e->ref, keep, e->edges + 3 * keep, n_edges - keep);
    }
  else if (!replayed && is_replayable_shape (e))
    store_edges (e, length, omitted);

  flags = hs_object_facts_flags (e, e->reachable);
  if (e->shape == HS_SHAPE_DICT && is_drawn_globals (e->obj))
    flags |= HS_OBJECT_FRAME_GLOBALS;

  if (!e->sent)
    {
      g_autofree char *module = hs_object_facts_module (e->obj);

      e->type_str = hs_step_builder_intern (builder, hs_object_facts_type_name (e->obj));
      /* read once, as the repr of a function or a class is */
      e->module_str = module != NULL ? hs_step_builder_intern (builder, module) : HS_WIRE_NO_STRING;
      e->static_repr = hs_object_facts_repr_is_static (e->obj);
    }
  /* A value that can change in place without any reference changing (a
   * bytearray written through a memoryview, a generator's __qualname__,
   * which its repr names) is looked at every step. */
  if (!e->sent || (!e->static_repr && (edges_changed || length != e->length || PyByteArray_Check (e->obj) ||
                                       e->shape == HS_SHAPE_GENERATOR)))
    {
      g_autofree char *repr = hs_object_facts_repr (e->obj);
      guint32 repr_str = hs_step_builder_intern (builder, repr);

      if (repr_str != e->repr_str)
        {
          e->repr_str = repr_str;
          e->sent = FALSE;   /* force a full record */
        }
    }

  size = object_size (e, replayed);
  if (size >= 0)
    flags |= HS_OBJECT_SIZE_KNOWN;

  if (!e->sent || flags != e->flags || length != e->length || omitted != e->omitted || size != e->size)
    {
      e->size = size;
      e->flags = flags;
      e->length = length;
      e->omitted = omitted;
      e->refcount = refcount;
      e->sent = TRUE;

      w.id = (guint64) (guintptr) e->obj;
      w.refcount = refcount;
      w.size = e->size;
      w.ref = e->ref;
      w.type = e->type_str;
      w.repr = e->repr_str;
      w.module = e->module_str;
      /* only the record that first shows the object says it is new */
      w.flags = flags | (e->created ? HS_OBJECT_CREATED : 0);
      e->created = FALSE;
      w.length = length;
      w.omitted = omitted;
      hs_step_builder_add_object (builder, &w);
    }
  else if (refcount != e->refcount)
    {
      e->refcount = refcount;
      hs_step_builder_add_refcount (builder, e->ref, refcount);
    }
}

/* What the next fast step compares for e, which process() just saw. */
static SlotCheck
slot_check (HsEntry *e)
{
  PyObject *obj = e->obj;

  g_assert (e != NULL);

  if (!e->sent || e->has_attrs || !e->reachable || hs_holders_any (e))
    return SLOT_DIRTY;
  if (e->shape == HS_SHAPE_LEAF)
    {
      /* what process() settles by refcount and flags alone */
      if (!e->static_repr || PyObject_IS_GC (obj) || e->n_edges != 0 || e->length != 0 || e->omitted != 0)
        return SLOT_DIRTY;
      return PyUnicode_CheckExact (obj) && !PyUnicode_CHECK_INTERNED (obj) ? SLOT_STR : SLOT_PLAIN;
    }
  /* a container's flags stay while nothing collects: only a collection
   * untracks a tuple or a dict, or moves it to another generation */
  if (is_replayable_shape (e) && e->cached && edge_cache (e)->size_keyed &&
      !(PyObject_GC_IsTracked (obj) && e->generation < 0))
    return SLOT_CONTAINER;
  return SLOT_DIRTY;
}

static void
add_slot (HsEntry *e)
{
  Slot s = { e->obj, e, e->refcount, slot_check (e) };

  g_assert (e != NULL);

  if (e->shape != HS_SHAPE_LEAF || e->has_attrs)
    {
      guint i = slots->len;

      g_array_append_val (reader_slots, i);
    }
  g_array_append_val (slots, s);
}

static void
drain_queue (guint *cursor)
{
  while (*cursor < view->len)
    {
      HsEntry *e = g_ptr_array_index (view, (*cursor)++);

      process (e);
      if (building_slots && e->obj != NULL)
        add_slot (e);
    }
}

/* Whether slot i of a frame of `code` holding `value` is empty: nothing
 * in it, or, in a cell slot, a cell with nothing in it.  A comprehension
 * variable that a closure captures is a cell slot (3.12 on, PEP 709):
 * outside the comprehension it holds the empty cell the code made on
 * entry, inside it the comprehension's own cell, empty until its first
 * value.  (frame.f_locals leaves both out too.) */
static gboolean
slot_is_empty (PyCodeObject *code,
               int           i,
               PyObject     *value)
{
  return value == NULL ||
         (hs_py_code_local_is_cell (code, i) && PyCell_Check (value) && PyCell_GET (value) == NULL);
}

/* A module's variables are its globals, in definition order.  While a
 * comprehension inlined in the module's code runs (3.12 on, PEP 709), its
 * variables are the slots of the module's frame (`frame`; NULL once the
 * module has finished) marked hidden: they come first, as inside the
 * comprehension such a name means its slot and not the global of the
 * same name, which still holds its own value (both are drawn). */
static void
read_module_vars (HsPyFrame *frame,
                  PyObject  *globals,
                  int        line)
{
  Py_ssize_t pos = 0;
  PyObject *key, *value;
  FrameVars fv = { hs_step_builder_intern (builder, "<module>"), line, vars->len, unbound->len,
                   hs_step_builder_intern (builder, frame != NULL ? user_file (hs_py_frame_code (frame)) : main_file) };

  g_array_append_val (frame_vars, fv);
  if (frame != NULL)
    {
      PyCodeObject *code = hs_py_frame_code (frame);

      for (int i = 0; i < hs_py_code_n_locals (code); i++)
        {
          PyObject *name;
          g_autofree char *copy = NULL;
          const char *cname;
          Var v;

          value = hs_py_frame_local (frame, i, &name);
          if (slot_is_empty (code, i, value) || !hs_py_code_local_is_hidden (code, i) ||
              (cname = hs_py_variable_name (name, &copy)) == NULL || cname[0] == '.')
            continue;
          v.name = hs_step_builder_intern (builder, cname);
          v.value = value;
          g_array_append_val (vars, v);
        }
    }
  while (PyDict_Next (globals, &pos, &key, &value))
    {
      g_autofree char *copy = NULL;
      const char *name = hs_py_variable_name (key, &copy);
      Var v;

      if (name == NULL)
        continue;
      v.name = hs_step_builder_intern (builder, name);
      v.value = value;
      g_array_append_val (vars, v);
    }
}

/* A function's variables are its bound fast locals, cells and free
 * variables.  The compiler fixed which names are the function's, so the
 * slots that hold nothing yet are recorded as unbound: such a name does
 * not fall through to the globals.  (An empty cell is a variable bound
 * to a cell without contents.)  A slot that only a comprehension inlined
 * in the function uses (3.12 on) is not the function's name.  A class
 * body keeps its names in a dict that is not drawn; its names are
 * recorded as unbound too, as reading one must not fall through to the
 * global either. */
static void
read_frame_vars (HsPyFrame *frame,
                 int        line)
{
  PyCodeObject *code = hs_py_frame_code (frame);
  PyObject *namespace;
  FrameVars fv = { 0, line, vars->len, unbound->len, hs_step_builder_intern (builder, user_file (code)) };
  g_autofree guint8 *comprehension_slots = NULL;
  gboolean scanned = FALSE;

  if (hs_py_frame_is_module (frame))
    {
      /* before the program's first line runs, so that reading its
       * functions' bytecode later allocates nothing */
      if (code != kept_bytecode)
        {
          hs_py_code_keep_bytecode (code);
          kept_bytecode = code;
        }
      read_module_vars (frame, hs_py_frame_globals (frame), line);
      return;
    }

  fv.function = intern_str (code->co_qualname);
  g_array_append_val (frame_vars, fv);
  for (int i = 0; i < hs_py_code_n_locals (code); i++)
    {
      PyObject *name;
      PyObject *value = hs_py_frame_local (frame, i, &name);
      g_autofree char *copy = NULL;
      const char *cname;
      gboolean empty;
      guint32 id;
      Var v;

      if ((cname = hs_py_variable_name (name, &copy)) == NULL)
        continue;
      /* An inlined comprehension's empty slot is not the frame's name:
       * outside the comprehension the name means what it means in the
       * frame (in a class body the slot is marked hidden; in a function
       * only the bytecode tells, see hs_py_code_comprehension_slots()).
       * While the comprehension runs, the slot holds its variable's value,
       * which is what the name reads there: drawn as the frame's. */
      empty = slot_is_empty (code, i, value);
      if (empty && hs_py_code_local_is_hidden (code, i))
        continue;
      if (empty && !scanned)
        {
          comprehension_slots = hs_py_code_comprehension_slots (code);
          scanned = TRUE;
        }
      if (empty && comprehension_slots != NULL && comprehension_slots[i])
        continue;
      id = hs_step_builder_intern (builder, cname);
      if (value == NULL)
        {
          g_array_append_val (unbound, id);
          continue;
        }
      v.name = id;
      v.value = value;
      g_array_append_val (vars, v);
    }

  namespace = hs_py_frame_class_namespace (frame);
  if (namespace != NULL)
    {
      Py_ssize_t pos = 0;
      PyObject *key, *value;

      while (PyDict_Next (namespace, &pos, &key, &value))
        {
          g_autofree char *copy = NULL;
          const char *cname = hs_py_variable_name (key, &copy);
          guint32 id;

          if (cname == NULL)
            continue;
          id = hs_step_builder_intern (builder, cname);
          g_array_append_val (unbound, id);
        }
    }
}

/* Reads the variables of the frames from kept on (or, once the module has
 * finished, its globals), without visiting anything yet. */
static void
read_vars (guint      kept,
           PyObject  *module_globals,
           int        line)
{
  g_array_set_size (vars, 0);
  g_array_set_size (unbound, 0);
  g_array_set_size (frame_vars, 0);
  if (stack->len == 0 && module_globals != NULL)
    read_module_vars (NULL, module_globals, line);
  for (guint i = kept; i < stack->len; i++)
    {
      StackFrame *sf = &g_array_index (stack, StackFrame, i);

      read_frame_vars (sf->frame, i + 1 == stack->len ? line : hs_py_frame_line (sf->frame));
    }
}

#if PY_VERSION_HEX >= 0x030D0000
static void copy_locals (StackFrame *sf);
#endif

static guint32
visit_root (PyObject *obj)
{
  HsEntry *e = hs_registry_lookup (obj);
  guint32 ref;

  g_assert (obj != NULL);

  cur_owner = NULL;
  cur_index = root_objs->len;
  ref = visit_entry (obj, &e);
  g_ptr_array_add (root_objs, obj);
  g_ptr_array_add (root_entries, e);
  return ref;
}

/* Sends the variables read_vars() read, visiting them, and the return
 * value; records every root visit for the next step to compare with. */
static void
add_vars (guint      kept,
          PyObject  *return_value)
{
  guint from = kept < root_starts->len ? g_array_index (root_starts, guint, kept) : root_objs->len;
  guint frame = kept;

  g_assert (kept <= root_starts->len);

  g_ptr_array_set_size (root_objs, stack->len == 0 ? 0 : from);
  g_ptr_array_set_size (root_entries, root_objs->len);
  g_array_set_size (root_starts, kept);
  for (guint f = 0; f < frame_vars->len; f++)
    {
      FrameVars *fv = &g_array_index (frame_vars, FrameVars, f);
      guint end = f + 1 < frame_vars->len ? g_array_index (frame_vars, FrameVars, f + 1).first_var : vars->len;
      guint end_unbound = f + 1 < frame_vars->len ? g_array_index (frame_vars, FrameVars, f + 1).first_unbound : unbound->len;
      guint start = root_objs->len;

      hs_step_builder_begin_frame (builder, fv->function, fv->line, fv->file);
      for (guint i = fv->first_var; i < end; i++)
        {
          Var *v = &g_array_index (vars, Var, i);
          guint32 ref = visit_root (v->value);

          if (ref != 0)
            hs_step_builder_add_var (builder, v->name, ref);
        }
      for (guint i = fv->first_unbound; i < end_unbound; i++)
        hs_step_builder_add_unbound (builder, g_array_index (unbound, guint32, i));
      if (stack->len == 0)
        continue;   /* the finished module's globals */

      {
        StackFrame *sf = &g_array_index (stack, StackFrame, frame);

        g_array_append_val (root_starts, start);
        /* a fast step keeps the view, and so where each frame's part ends */
        if (!fast_mode)
          sf->view_end = view->len;
        if (hs_py_frame_is_module (sf->frame))
          sf->globals_version = hs_py_dict_version (hs_py_frame_globals (sf->frame));
#if PY_VERSION_HEX >= 0x030D0000
        copy_locals (sf);
#endif
        frame++;
      }
    }

  if (return_value != NULL)
    hs_step_builder_set_return (builder, visit_root (return_value),
                                return_kind == HS_PY_RETURN_BORROWED, return_kind == HS_PY_RETURN_YIELD);
}

/* tp_traverse callbacks for the garbage analysis, in the manner of gc's own
 * update_refs/subtract_refs/move_unreachable, restricted to the limbo. */
static int
visit_decref (PyObject *target,
              void     *arg)
{
  HsEntry *t = hs_registry_lookup (target);

  if (t != NULL && t->in_limbo)
    t->gc_refs--;
  return 0;
}

static int
visit_reachable (PyObject *target,
                 void     *arg)
{
  GPtrArray *stack = arg;
  HsEntry *t = hs_registry_lookup (target);

  if (t != NULL && t->in_limbo && t->gc_refs >= 0)
    {
      t->gc_refs = -1;
      g_ptr_array_add (stack, t);
    }
  return 0;
}

static void
find_garbage (void)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_set_size (garbage_roots, 0);

  for (guint i = 0; i < limbo->len; i++)
    {
      HsEntry *e = g_ptr_array_index (limbo, i);

      e->gc_refs = Py_REFCNT (e->obj);
      e->limbo_refcount = Py_REFCNT (e->obj);
    }
  for (guint i = 0; i < limbo->len; i++)
    {
      HsEntry *e = g_ptr_array_index (limbo, i);
      traverseproc traverse = Py_TYPE (e->obj)->tp_traverse;

      if (traverse != NULL)
        traverse (e->obj, visit_decref, NULL);
    }

  /* Anything still holding references from outside the limbo is alive, and
   * so is everything it reaches. */
  for (guint i = 0; i < limbo->len; i++)
    {
      HsEntry *e = g_ptr_array_index (limbo, i);

      if (e->gc_refs > 0)
        {
          e->gc_refs = -1;
          g_ptr_array_add (stack, e);
        }
    }
  while (stack->len > 0)
    {
      HsEntry *e = g_ptr_array_steal_index_fast (stack, stack->len - 1);
      traverseproc traverse = Py_TYPE (e->obj)->tp_traverse;

      if (traverse != NULL)
        traverse (e->obj, visit_reachable, stack);
    }

  for (guint i = 0; i < limbo->len; i++)
    {
      HsEntry *e = g_ptr_array_index (limbo, i);

      if (e->gc_refs >= 0)
        g_ptr_array_add (garbage_roots, e);
    }
}

/* What the garbage roots reach is garbage too, unless something outside
 * holds it (a cycle that refers to sys.path does not make sys.path
 * garbage).  The same subtraction as find_garbage, over everything the roots
 * reach, bounded: past the bound, references go uncounted, which can only
 * make an object look held from outside, never the reverse. */
#define CLOSURE_MAX 4096

static GHashTable *closure;   /* PyObject* -> references not yet explained, or -1: alive */

static int
visit_collect (PyObject *target,
               void     *arg)
{
  GPtrArray *queue = arg;

  /* classes and modules are held by their modules; never expand them */
  if (PyType_Check (target) || PyModule_Check (target) ||
      g_hash_table_contains (closure, target) || g_hash_table_size (closure) >= CLOSURE_MAX)
    return 0;
  g_hash_table_insert (closure, target, GSIZE_TO_POINTER (Py_REFCNT (target)));
  g_ptr_array_add (queue, target);
  return 0;
}

static int
visit_subtract (PyObject *target,
                void     *arg)
{
  gpointer value;

  if (g_hash_table_lookup_extended (closure, target, NULL, &value))
    g_hash_table_insert (closure, target, GSIZE_TO_POINTER (GPOINTER_TO_SIZE (value) - 1));
  return 0;
}

static int
visit_alive (PyObject *target,
             void     *arg)
{
  GPtrArray *stack = arg;
  gpointer value;

  if (g_hash_table_lookup_extended (closure, target, NULL, &value) && (gssize) GPOINTER_TO_SIZE (value) >= 0)
    {
      g_hash_table_insert (closure, target, GSIZE_TO_POINTER ((gsize) -1));
      g_ptr_array_add (stack, target);
    }
  return 0;
}

static void
traverse (PyObject  *obj,
          visitproc  visit,
          gpointer   arg)
{
  traverseproc tp_traverse = Py_TYPE (obj)->tp_traverse;

  if (tp_traverse != NULL && PyObject_IS_GC (obj))
    tp_traverse (obj, visit, arg);
}

static void
find_garbage_closure (void)
{
  g_autoptr(GPtrArray) queue = g_ptr_array_new ();
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  if (closure == NULL)
    closure = g_hash_table_new (NULL, NULL);
  g_hash_table_remove_all (closure);

  for (guint i = 0; i < garbage_roots->len; i++)
    visit_collect (((HsEntry *) g_ptr_array_index (garbage_roots, i))->obj, queue);
  for (guint i = 0; i < queue->len; i++)
    traverse (g_ptr_array_index (queue, i), visit_collect, queue);

  for (guint i = 0; i < queue->len; i++)
    traverse (g_ptr_array_index (queue, i), visit_subtract, NULL);

  g_hash_table_iter_init (&iter, closure);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if ((gssize) GPOINTER_TO_SIZE (value) > 0)
      g_ptr_array_add (stack, key);
  for (guint i = 0; i < stack->len; i++)
    g_hash_table_insert (closure, g_ptr_array_index (stack, i), GSIZE_TO_POINTER ((gsize) -1));
  while (stack->len > 0)
    traverse (g_ptr_array_steal_index_fast (stack, stack->len - 1), visit_alive, stack);
}

/* During the garbage walk: only what find_garbage_closure left unexplained
 * is garbage. */
static gboolean
is_garbage (PyObject *obj)
{
  gpointer value;

  return closure != NULL && g_hash_table_lookup_extended (closure, obj, NULL, &value) &&
         (gssize) GPOINTER_TO_SIZE (value) == 0;
}

/* scan_view: whether objects may have left the view alive (a fast step
 * only replaces objects it saw freed) */
static void
update_limbo (gboolean force,
              gboolean scan_view)
{
  guint j = 0;

  /* objects that left the snapshot alive and can take part in a cycle */
  for (guint i = 0; scan_view && i < prev_view->len; i++)
    {
      HsEntry *e = g_ptr_array_index (prev_view, i);

      if (e->obj == NULL || e->epoch >= base_epoch || e->in_limbo || !PyObject_IS_GC (e->obj))
        continue;
      if (Py_REFCNT (e->obj) < e->refcount)
        force = TRUE;
      e->in_limbo = TRUE;
      e->limbo_refcount = Py_REFCNT (e->obj);
      g_ptr_array_add (limbo, e);
      limbo_dirty = TRUE;
    }

  for (guint i = 0; i < limbo->len; i++)
    {
      HsEntry *e = g_ptr_array_index (limbo, i);

      if (e->obj == NULL || (e->epoch >= base_epoch && !e->garbage))
        {
          if (e->obj != NULL)
            e->in_limbo = FALSE;
          limbo_dirty = TRUE;
          continue;
        }
      /* Garbage appears only when a reference is dropped, and a dropped
       * reference to a group shows as a drop in some member's refcount. */
      if (Py_REFCNT (e->obj) < e->limbo_refcount)
        force = TRUE;
      g_ptr_array_index (limbo, j++) = e;
    }
  g_ptr_array_set_size (limbo, j);

  if (limbo->len > LIMBO_MAX)
    {
      guint drop = limbo->len - LIMBO_MAX;

      for (guint i = 0; i < drop; i++)
        ((HsEntry *) g_ptr_array_index (limbo, i))->in_limbo = FALSE;
      g_ptr_array_remove_range (limbo, 0, drop);
    }

  if (force || ++steps_since_check >= LIMBO_RECHECK_STEPS)
    {
      steps_since_check = 0;
      find_garbage ();
      limbo_dirty = FALSE;
    }
  else
    {
      /* keep the last verdict; drop roots that have since been freed */
      guint k = 0;

      for (guint i = 0; i < garbage_roots->len; i++)
        {
          HsEntry *e = g_ptr_array_index (garbage_roots, i);

          if (e->obj != NULL && e->in_limbo)
            g_ptr_array_index (garbage_roots, k++) = e;
        }
      g_ptr_array_set_size (garbage_roots, k);
    }
}

static void
forget_generation (gpointer data,
                   gpointer user_data)
{
  HsEntry *e = data;

  if (e->generation <= GPOINTER_TO_INT (user_data))
    e->generation = -2;
}

static void
forget_generation_found (gpointer data,
                         gpointer user_data)
{
  HsEntry *e = data;

  e->generation = HS_ENTRY_NO_GENERATION;
}

static void
set_generation (PyObject *obj,
                int       generation,
                gpointer  user_data)
{
  HsEntry *e = hs_registry_lookup (obj);

  if (e != NULL)
    e->generation = generation;
}

/*
 * While the collector runs Python code (the __del__ of the garbage it
 * found, weak references' callbacks), it has already moved what it found
 * alive to an older generation, and what it collects, with the weak
 * references whose callbacks it calls, out of them all; it counts itself
 * as run only after.  The generations of shown objects, kept from before,
 * then said "gc gen 0" of a class in generation 2.  So they are looked up
 * again, in one walk over the generations, at the first step of each
 * collection; what the walk does not find is in none.  Only once: at
 * every such step, the walk and its lookups took 0.5 of the 1.8 times the
 * CPU that a program freeing 2,000 cycles with __del__ took (perf
 * record), and the collector moves nothing of what it keeps while it
 * finalizes.  What is made meanwhile is looked up as it is shown.  Past
 * MAX_GENERATION_WALK tracked objects they are kept as they were.
 */
#define MAX_GENERATION_WALK 200000
static void
refresh_generations (void)
{
  if (!hs_py_gc_foreach_tracked (NULL, NULL, MAX_GENERATION_WALK))
    return;
  hs_registry_foreach (forget_generation_found, NULL);
  hs_py_gc_foreach_tracked (set_generation, NULL, G_MAXSIZE);
}

/* TRUE when the collector ran since the last step */
static gboolean
update_generations (void)
{
  static guint64 refreshed_for = G_MAXUINT64;   /* the collection refresh_generations () ran for */
  guint64 collections[3], collected[3], uncollectable[3], total;
  int oldest = -1;

  hs_py_gc_stats (collections, collected, uncollectable);
  for (int g = 0; g < 3; g++)
    {
      if (collections[g] != gc_collections[g])
        {
          HsWireGc rec = {
            g,
            collections[g] - gc_collections[g],
            collected[g] - gc_collected[g],
            uncollectable[g] - gc_uncollectable[g],
          };

          hs_step_builder_add_gc (builder, &rec);
          oldest = g;
        }
      gc_collections[g] = collections[g];
      gc_collected[g] = collected[g];
      gc_uncollectable[g] = uncollectable[g];
    }

  /* A collection moves survivors to an older generation; entries look
   * theirs up again when next shown. */
  if (oldest >= 0)
    hs_registry_foreach (forget_generation, GINT_TO_POINTER (oldest));
  /* a collection counts itself as run at its end: the count read during
   * it tells it from the one before */
  total = collections[0] + collections[1] + collections[2];
  if (hs_py_gc_collecting () && total != refreshed_for)
    {
      refresh_generations ();
      refreshed_for = total;
    }
  return oldest >= 0;
}

/* The index + 1 in the last step's stack of frame f, or 0.  A call or a
 * return moves the innermost frame by one between two steps (each makes a
 * step of its own), so only the top of the stack is looked at. */
static guint
find_in_stack (HsPyFrame *f)
{
  guint lowest = stack->len > 8 ? stack->len - 8 : 0;

  for (guint j = stack->len; j > lowest; j--)
    {
      StackFrame *sf = &g_array_index (stack, StackFrame, j - 1);

      if (sf->frame == f && sf->code == hs_py_frame_code (f))
        return j;
    }
  return 0;
}

/* Makes the stack this step's: the user frames from innermost up to the
 * first one that was there at the last step, on top of that one and those
 * below it.  Returns how many frames of the last step are still there
 * (0: none, the stack was read whole).
 *
 * A frame below the innermost one cannot have run since the last step:
 * every call and return of the user's code is a step.  Its address then
 * names the same frame, which a deep recursion needs: looking at every
 * frame at every step makes the run quadratic in its depth. */
static guint
update_stack (HsPyFrame *innermost)
{
  guint matched = 0;

  /* HEAPSCOPE_FULL_WALK: what a stack read whole says, for the tests to
   * compare with */
  if (full_walk)
    {
      g_array_set_size (stack, 0);
      g_ptr_array_set_size (stack_frames, 0);
      g_array_set_size (module_frames, 0);
    }

  g_ptr_array_set_size (new_frames, 0);
  for (HsPyFrame *f = innermost; f != NULL; f = hs_py_frame_previous (f))
    {
      if (user_file (hs_py_frame_code (f)) == NULL)
        continue;
      if ((matched = find_in_stack (f)) != 0)
        break;
      g_ptr_array_add (new_frames, f);
    }

  g_array_set_size (stack, matched);
  g_ptr_array_set_size (stack_frames, matched);
  while (module_frames->len > 0 && g_array_index (module_frames, guint, module_frames->len - 1) >= matched)
    g_array_set_size (module_frames, module_frames->len - 1);
  for (guint i = new_frames->len; i > 0; i--)
    {
      StackFrame sf = { g_ptr_array_index (new_frames, i - 1), NULL, 0, 0, NULL };

      sf.code = hs_py_frame_code (sf.frame);
      if (hs_py_frame_is_module (sf.frame))
        g_array_append_val (module_frames, stack->len);
      g_array_append_val (stack, sf);
      g_ptr_array_add (stack_frames, sf.frame);
    }
  return matched;
}

#if PY_VERSION_HEX >= 0x030D0000
/* The fast locals of a frame: the variables it shows (or their cells). */
static void
copy_locals (StackFrame *sf)
{
  PyCodeObject *code = sf->code;
  int n = hs_py_code_n_locals (code);

  g_assert (sf != NULL);

  g_free (sf->locals);
  sf->locals = g_new (PyObject *, MAX (n, 1));
  for (int i = 0; i < n; i++)
    {
      PyObject *name;

      sf->locals[i] = hs_py_frame_local (sf->frame, i, &name);
    }
}

static gboolean
locals_unchanged (StackFrame *sf)
{
  int n = hs_py_code_n_locals (sf->code);

  g_assert (sf != NULL);

  if (sf->locals == NULL)
    return FALSE;
  for (int i = 0; i < n; i++)
    {
      PyObject *name;

      if (hs_py_frame_local (sf->frame, i, &name) != sf->locals[i])
        return FALSE;
    }
  return TRUE;
}
#endif

/* The frames below the deepest one still there from the last step have
 * not run since: their variables are bound as they were, to objects they
 * keep alive, and the walk visits them first, so the view starts as it
 * did.  Returns how many frames that is.  A module frame's variables are
 * its globals, which any frame can change: it is kept only while their
 * dict's version is the same.
 *
 * From 3.13 on, frame.f_locals writes through to a frame that is not
 * running (PEP 667): there a frame is kept only while its fast locals are
 * the same pointers as when it was last read. */
static guint
count_kept_frames (guint matched)
{
  guint kept = matched > 0 ? matched - 1 : 0;

#if PY_VERSION_HEX >= 0x030D0000
  for (guint i = 0; i < kept; i++)
    if (!locals_unchanged (&g_array_index (stack, StackFrame, i)))
      {
        kept = i;
        break;
      }
#endif
  for (guint i = 0; i < module_frames->len; i++)
    {
      guint m = g_array_index (module_frames, guint, i);
      StackFrame *sf = &g_array_index (stack, StackFrame, m);

      if (m < kept && hs_py_dict_version (hs_py_frame_globals (sf->frame)) != sf->globals_version)
        kept = m;
    }
  return kept;
}

/* Takes the part of the last view that the kept frames' variables reached. */
static void
take_kept_frames (guint kept)
{
  guint end;

  if (kept == 0)
    return;
  end = g_array_index (stack, StackFrame, kept - 1).view_end;
  g_assert (view->len == 0 && end <= prev_view->len);
  for (guint i = 0; i < end; i++)
    {
      HsEntry *e = g_ptr_array_index (prev_view, i);

      /* as visit_entry would: the frames keep these alive and reachable */
      e->epoch = epoch;
      e->reachable = TRUE;
      e->garbage = FALSE;
      g_ptr_array_add (view, e);
    }
}

/* After the reachable part of the view: what only garbage reaches. */
static void
walk_garbage (void)
{
  guint cursor = view->len;

  walking_reachable = FALSE;
  if (garbage_roots->len > 0)
    find_garbage_closure ();
  cur_owner = NULL;
  cur_index = G_MAXUINT32;
  for (guint i = 0; i < garbage_roots->len; i++)
    visit (((HsEntry *) g_ptr_array_index (garbage_roots, i))->obj);
  drain_queue (&cursor);
}

/* The objects of the view that a value stack or a traceback's frame holds
 * now: what they hold changes without them changing, so a fast step reads
 * them again, at this step and the next */
static void
remember_held (void)
{
  const GPtrArray *lists[] = { hs_holders_get_stack_items (), hs_holders_get_traceback_items () };

  g_ptr_array_set_size (held_entries, 0);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && i < lists[l]->len; i++)
      {
        HsEntry *e = hs_registry_lookup (g_ptr_array_index (lists[l], i));

        if (e != NULL && e->epoch >= base_epoch)
          g_ptr_array_add (held_entries, e);
      }
}

static void
add_dirty (guint pos)
{
  g_array_append_val (dirty, pos);
}

/*
 * The fast step.  A full walk is a breadth-first search from the roots
 * (the variables, then the return value) over the attempts each object
 * makes to visit others: the view is the order in which objects are first
 * reached, and new objects get their refs in that order.  Most lines
 * replace a scalar that one variable or one item held, and was freed, by
 * another scalar: the walk from nothing would then reach the new one by the
 * same attempt, at the same place in the view, and everything else as
 * before.  The probe proves that, reading only the variables, the
 * containers whose items changed (a memcmp, a dict's version) and those
 * that are read whole at every step anyway; the step then swaps the
 * objects in place and scans the view in order, processing whole only what
 * changed and comparing the refcount of everything else, which is what
 * process() would find.  Anything else (an object added, dropped or moved
 * in the view, a collection, a call or a return) takes the walk from
 * nothing, with the replay of unchanged containers.
 */

static gboolean
is_plain_leaf (PyObject *obj)
{
  return PyLong_CheckExact (obj) || PyBool_Check (obj) || PyFloat_CheckExact (obj) ||
         PyComplex_CheckExact (obj) || PyUnicode_CheckExact (obj) || PyBytes_CheckExact (obj) ||
         obj == Py_None;
}

static inline gboolean
in_view (HsEntry *e)
{
  return e != NULL && e->obj != NULL && e->epoch >= base_epoch;
}

/* Whether attempt ia of pa comes before attempt ib of pb in the walk (a
 * NULL owner: the roots, which come first). */
static gboolean
attempt_before (HsEntry *pa,
                guint32  ia,
                HsEntry *pb,
                guint32  ib)
{
  gint64 ka = pa != NULL ? (gint64) pa->view_pos : -1;
  gint64 kb = pb != NULL ? (gint64) pb->view_pos : -1;

  return ka < kb || (ka == kb && ia < ib);
}

/* Attempt index of owner (NULL: the roots) reached olde at the last step
 * and reaches x now: whether the walk from nothing keeps its shape. */
static gboolean
probe_change (HsEntry  *owner,
              guint32   index,
              HsEntry  *olde,
              PyObject *x)
{
  HsEntry *ex;

  if (olde == NULL)
    return FALSE;
  if (olde->parent == owner && olde->parent_index == index && olde->epoch >= base_epoch)
    {
      Subst sub = { owner, index, olde->view_pos, x };

      /* This attempt reached it first.  A scalar that only this attempt
       * held (refcount 1, so no other attempt), freed, leaves its place to
       * x, reached first here too if the view has never met it and x is a
       * scalar that reaches nothing. */
      if (olde->obj != NULL || olde->refcount != 1 || olde->shape != HS_SHAPE_LEAF || olde->has_attrs)
        return FALSE;
      if (!is_plain_leaf (x) || in_view (hs_registry_lookup (x)) || substs->len >= 64)
        return FALSE;
      for (guint i = 0; i < substs->len; i++)
        if (g_array_index (substs, Subst, i).x == x)
          return FALSE;
      g_array_append_val (substs, sub);
      n_accounted++;
      return TRUE;
    }
  /* The walk reached x before this attempt, and still does: an attempt
   * that changed what it reaches first says so when it is probed. */
  ex = hs_registry_lookup (x);
  return in_view (ex) && attempt_before (ex->parent, ex->parent_index, owner, index);
}

static gboolean
probe_roots (guint      kept,
             PyObject  *return_value)
{
  guint n = vars->len + (return_value != NULL ? 1 : 0);
  guint from;

  if (kept >= root_starts->len)
    return FALSE;
  from = g_array_index (root_starts, guint, kept);
  if (root_objs->len - from != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      PyObject *x = i < vars->len ? g_array_index (vars, Var, i).value : return_value;
      PyObject *old = g_ptr_array_index (root_objs, from + i);
      HsEntry *olde = g_ptr_array_index (root_entries, from + i);

      if (x == old && olde != NULL && olde->obj == old)
        continue;
      if (!probe_change (NULL, from + i, olde, x))
        return FALSE;
    }
  return TRUE;
}

/* The objects of the view that refer to others: a container whose items
 * are the same objects, still alive, keeps its place in the walk; any
 * other is read, and each attempt that reaches something else is probed. */
static gboolean
probe_readers (void)
{
  for (guint k = 0; k < reader_slots->len; k++)
    {
      guint i = g_array_index (reader_slots, guint, k);
      Slot *s = &g_array_index (slots, Slot, i);
      HsEntry *u = s->entry;
      EdgeCache *c;
      PyObject **srcs;
      HsEntry **targets;
      guint32 length, omitted;

      if (u->obj == NULL || u->shape == HS_SHAPE_UNKNOWN || Py_TYPE (u->obj) != u->type || !u->cached)
        return FALSE;
      c = edge_cache (u);
      if (is_replayable_shape (u) && u->mark != epoch)
        {
          gconstpointer key = NULL;

          if (c->epoch < base_epoch)
            return FALSE;
          if (cache_is_current (u, c))
            {
              /* the same items; its size may still have changed */
              if (s->check == SLOT_CONTAINER && !(size_key (u, &key) && c->size_keyed && c->size_key == key))
                add_dirty (i);
              continue;
            }
        }

      probing = TRUE;
      compute_edges (u, &length, &omitted);
      probing = FALSE;
      if (attempt_srcs->len != c->n_attempts)
        return FALSE;
      srcs = cache_srcs (c);
      targets = cache_targets (c);
      for (guint32 a = 0; a < c->n_attempts; a++)
        {
          PyObject *x = g_array_index (attempt_srcs, PyObject *, a);
          HsEntry *t = targets[a];

          if (x == srcs[a] && t != NULL && t->obj == srcs[a])
            continue;
          if (!probe_change (u, a, t, x))
            return FALSE;
        }
      add_dirty (i);
    }
  return TRUE;
}

/* Whether this step can keep the view's shape; no side effect but
 * interned labels and marks. */
static gboolean
probe (guint      kept,
       PyObject  *return_value)
{
  GPtrArray *freed = hs_registry_peek_freed_entries ();
  guint n_freed = 0;

  g_array_set_size (substs, 0);
  g_array_set_size (dirty, 0);
  n_accounted = 0;

  /* an object of the view freed: whatever reached it first is read again
   * (its address may hold a new object already) */
  for (guint i = 0; i < freed->len; i++)
    {
      HsEntry *e = g_ptr_array_index (freed, i);

      if (e->epoch >= base_epoch)
        {
          n_freed++;
          if (e->parent != NULL)
            e->parent->mark = epoch;
        }
    }
  if (!probe_roots (kept, return_value) || !probe_readers ())
    return FALSE;
  /* every freed object of the view was a scalar that a new one replaces */
  return n_accounted == n_freed;
}

static gint
compare_subst (gconstpointer a,
               gconstpointer b)
{
  const Subst *sa = a, *sb = b;

  return sa->pos < sb->pos ? -1 : sa->pos > sb->pos;
}

static gint
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint ua = *(const guint *) a, ub = *(const guint *) b;

  return ua < ub ? -1 : ua > ub;
}

static void
fast_step (guint      kept,
           PyObject  *return_value)
{
  g_autoptr(GArray) freed = NULL;
  guint d = 0;

  prev_base_epoch = base_epoch;
  walking_reachable = TRUE;
  hs_step_builder_keep_frames (builder, kept);

  /* new objects get their refs in view order, as the walk gives them */
  g_array_sort (substs, compare_subst);
  for (guint i = 0; i < substs->len; i++)
    {
      Subst *sub = &g_array_index (substs, Subst, i);
      Slot *slot = &g_array_index (slots, Slot, sub->pos);
      HsEntry *e = hs_registry_lookup (sub->x);

      if (e == NULL)
        e = hs_registry_insert (sub->x);
      e->epoch = epoch;
      e->reachable = TRUE;
      e->garbage = FALSE;
      e->view_pos = sub->pos;
      e->parent = sub->owner;
      e->parent_index = sub->index;
      g_ptr_array_index (view, sub->pos) = e;
      slot->obj = sub->x;
      slot->entry = e;
      slot->check = SLOT_DIRTY;
    }

  /* what a value stack held at the last step or holds now */
  for (guint i = 0; i < held_entries->len; i++)
    {
      HsEntry *e = g_ptr_array_index (held_entries, i);

      if (in_view (e))
        add_dirty (e->view_pos);
    }
  remember_held ();
  for (guint i = 0; i < held_entries->len; i++)
    add_dirty (((HsEntry *) g_ptr_array_index (held_entries, i))->view_pos);
  g_array_sort (dirty, compare_guint);

  fast_mode = TRUE;
  add_vars (kept, return_value);
  for (guint i = 0; i < slots->len; i++)
    {
      Slot *s = &g_array_index (slots, Slot, i);
      gint64 refcount;

      if (d < dirty->len && g_array_index (dirty, guint, d) == i)
        {
          while (d < dirty->len && g_array_index (dirty, guint, d) == i)
            d++;
        }
      else if (s->check != SLOT_DIRTY &&
               !(s->check == SLOT_STR && PyUnicode_CHECK_INTERNED (s->obj)))
        {
          /* what process() would find: the same flags, edges and size */
          if ((refcount = Py_REFCNT (s->obj)) != s->refcount)
            {
              s->refcount = refcount;
              s->entry->refcount = refcount;
              hs_step_builder_add_refcount (builder, s->entry->ref, refcount);
            }
          continue;
        }
      process (s->entry);
      s->refcount = s->entry->refcount;
      s->check = slot_check (s->entry);
    }
  fast_mode = FALSE;

  freed = hs_registry_take_freed ();
  for (guint i = 0; i < freed->len; i++)
    {
      HsFreedRecord *r = &g_array_index (freed, HsFreedRecord, i);

      hs_step_builder_add_freed (builder, r->ref, r->cause);
    }
  update_limbo (freed->len > 0 || limbo_dirty, FALSE);
  if (garbage_roots->len > 0)
    {
      slots_valid = FALSE;
      walk_garbage ();
    }
  hs_registry_reap ();
}

static void
slow_step (guint      kept,
           PyObject  *return_value,
           gboolean   frames_popped)
{
  guint cursor = 0;
  GPtrArray *swap;
  g_autoptr(GArray) freed = NULL;

  swap = prev_view;
  prev_view = view;
  view = swap;
  g_ptr_array_set_size (view, 0);
  prev_base_epoch = base_epoch;
  base_epoch = epoch;
  walking_reachable = TRUE;
  step_dropped = 0;

  take_kept_frames (kept);
  hs_step_builder_keep_frames (builder, kept);
  add_vars (kept, return_value);

  g_array_set_size (slots, 0);
  g_array_set_size (reader_slots, 0);
  building_slots = !full_walk;
  drain_queue (&cursor);
  building_slots = FALSE;

  freed = hs_registry_take_freed ();
  for (guint i = 0; i < freed->len; i++)
    {
      HsFreedRecord *r = &g_array_index (freed, HsFreedRecord, i);

      hs_step_builder_add_freed (builder, r->ref, r->cause);
    }

  update_limbo (frames_popped || freed->len > 0 || limbo_dirty, TRUE);
  walk_garbage ();

  for (guint i = 0; i < prev_view->len; i++)
    {
      HsEntry *e = g_ptr_array_index (prev_view, i);

      if (e->obj != NULL && e->epoch < base_epoch)
        {
          hs_step_builder_add_removed (builder, e->ref);
          /* the app forgets it; if it comes back it is sent whole */
          e->sent = FALSE;
        }
    }

  slots_valid = !full_walk && step_dropped == 0 && garbage_roots->len == 0 &&
                stack->len > 0 && slots->len == view->len;
  remember_held ();
  hs_registry_reap ();
}

void
hs_heap_walker_step (HsPyFrame *innermost,
                     PyObject  *module_globals,
                     int        line,
                     HsEvent    event,
                     PyObject  *return_value,
                     gboolean   frames_popped)
{
  guint32 code_epoch = hs_holders_get_code_epoch ();
  gboolean collected;
  guint matched, kept;

  hs_registry_sweep_free_floats ();
  collected = update_generations ();
  epoch++;

  matched = update_stack (innermost);
  hs_holders_begin_step (stack_frames, matched > 0 ? matched - 1 : 0, event, module_globals, return_value);
  finished_globals = module_globals;
  return_kind = return_value != NULL && innermost != NULL ? hs_py_frame_return_kind (innermost) : HS_PY_RETURN_OWNED;
  kept = full_walk ? 0 : count_kept_frames (matched);
  read_vars (kept, module_globals, line);

  /* the same frames as at the last step, the innermost having run */
  if (slots_valid && !collected && !frames_popped && matched > 0 && matched == stack->len &&
      code_epoch == hs_holders_get_code_epoch () && probe (kept, return_value))
    fast_step (kept, return_value);
  else
    slow_step (kept, return_value, frames_popped);
}
