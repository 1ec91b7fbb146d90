/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-holders"

#include "config.h"

#include "hs-holders.h"

/* One holder's references to one object. */
typedef struct _HsHolding HsHolding;
struct _HsHolding
{
  HsHolding  *next;
  HsEdgeKind  kind;
  PyObject   *name;     /* borrowed from a code object the roots keep alive */
  guint       count;
};

/* What the code objects of the running frames hold, and the code objects
 * nested in their constants (those of functions defined there), by
 * identity.  Code objects never change, so this is built again only when
 * a code object starts or stops running in some frame. */
static GHashTable *code_holdings;   /* PyObject* -> HsHolding* list */
static GPtrArray *roots;            /* the PyCodeObject* it was built from, by first use */
static GHashTable *root_uses;       /* PyCodeObject* -> how many frames run it */
static GHashTable *stack_holdings;  /* PyObject* -> HsHolding* list, this step */
static GPtrArray *stack_items;      /* its keys: a few, so a scan beats hashing */
static GHashTable *traceback_holdings; /* PyObject* -> HsHolding* list: what the finished
                                        * frames that tracebacks keep hold, this step */
static GPtrArray *traceback_items;  /* its keys */
static GPtrArray *codes_seen;
static GPtrArray *global_codes;     /* PyCodeObject*, see update_global_codes () */
static guint64 global_codes_version; /* of the globals they were read from */
static guint32 code_epoch = 1;      /* bumped whenever code_holdings or arena_holdings changes */

/* A list display of three or more constants (nums = [1000, 2000, 3000])
 * compiles to a constant tuple the list is extended from, and the tuple
 * stays in co_consts holding each item: 1000 read one "other" for it.
 * Its items are named as constants of the code while nothing else holds
 * the tuple than the code objects and the arena, whose references to it
 * are its holdings; once the program holds it (t = (4000, 5000)), it is
 * drawn with the arrows to its items.  The codes that frames run, and
 * the codes in their constants, are alive until code_holdings is built
 * again, and their tuples can be read at every step; a function's code
 * once the script has ended (update_global_codes ()) is alive at the step
 * that found it, and its tuple is read only while that code, found again,
 * still holds it in the same place.  What was followed is let go of
 * without reading the tuple, which may be gone.  A code's own co_consts,
 * co_names and tuple of local names are followed the same way, while the
 * codes that hold them as their own (the compiler may share one between
 * codes: def a(pp, qq) and def b(pp, qq)) are all that holds them besides
 * what is named: f.__code__.co_consts, drawn, draws their items. */
typedef enum
{
  OWN_NONE,     /* a constant of its code, at index */
  OWN_CONSTS,   /* its code's co_consts */
  OWN_NAMES,    /* its code's co_names */
  OWN_LOCALS,   /* its code's co_localsplusnames */
} OwnTuple;

typedef struct
{
  PyObject     *container; /* a tuple or frozenset in co_consts, or one of a
                            * code's own tuples (see OwnTuple) */
  PyObject     *name;      /* the qualified name of that code */
  PyCodeObject *code;      /* that code */
  PyCodeObject *global;    /* the global code it was found from (that code, or
                            * one holding it among its constants), or NULL */
  Py_ssize_t    index;     /* in that code's co_consts, for OWN_NONE */
  OwnTuple      own;
  guint         n_codes;   /* how many codes hold it as one of their own tuples */
  GPtrArray    *held;      /* its items, held in code_holdings; NULL when not followed */
  guint         uses;      /* named_constant_uses () of the container, */
  guint32       uses_epoch;/* as it was at this code_epoch */
} ConstContainer;
static GArray *const_containers;    /* ConstContainer, rebuilt with code_holdings */
static GHashTable *container_set;   /* container -> its index in const_containers + 1:
                                     * a module's every code adds three */

/* What the parser's arena holds while the script runs: looked for once,
 * at the script's first step, and dropped when PyRun_FileExFlags()
 * returns, having freed it.  User code can reach the list only through
 * gc.get_referrers(); a change of its length builds the table again. */
enum { ARENA_NOT_LOOKED, ARENA_LOOKED, ARENA_ENDED, ARENA_GONE };
static int arena_state;
static PyObject *arena_objects;     /* the arena's, with a reference of our own */
static Py_ssize_t arena_length;     /* its length when arena_holdings was built */
static GHashTable *arena_holdings;  /* PyObject* -> HsHolding*, kind HS_EDGE_HELD_ARENA */
static PyObject *arena_name;        /* the script's code's qualified name, <module> */

/* What the dicts of imported modules hold, names and values: math.pi
 * stays alive while math does, whatever the program's names do.
 *
 * A step compares each dict's version, not its entries, and takes again
 * the holdings of a module whose dict changed; code_epoch tells the
 * walker only when an object it shows gained or lost one.  The dicts
 * are borrowed: sys.modules keeps each module, and so its dict, alive
 * while sys.modules does not change, which is checked first.
 *
 * Nothing is counted twice.  The globals the graph draws as variables
 * (__main__'s, and those of a module whose top-level code runs) are
 * read for what the graph does not draw: each name, since a variable's
 * name is no arrow, and the values of the names it hides (__name__,
 * __builtins__).  A module dict the graph draws as a dict (vars(math)) is
 * reported as held by its module (HS_EDGE_HELD_DICT), and the trace
 * takes its drawn entries out of the globals' counts (hs-trace.c).
 * The copies CPython keeps of some modules' dicts (module_copy()) are
 * read with the dict, and again if the module's m_copy is replaced.
 * None, True, False and objects whose refcount is no count are left out:
 * hundreds of globals hold them, and naming each module at every step
 * they are shown would cost more than the rest of the step. */
typedef struct
{
  PyObject  *module;    /* borrowed, see above */
  PyObject  *dict;      /* its dict, borrowed */
  PyObject  *name;      /* its __name__, borrowed from the dict: read again
                         * whenever the dict's version changes, which it
                         * does before the name can be freed; NULL when it
                         * is not a str, and then nothing is held */
  guint64    version;   /* the dict's when `held` was taken */
  gboolean   drawn;     /* its globals are variables the graph draws */
  gboolean   seen;      /* scratch: found in sys.modules */
  GPtrArray *held;      /* PyObject*: each key and value hold () counted, as held */
  GPtrArray *copied;    /* likewise, those of the copies of its dict (module_copy()) */
  PyObject  *copy;      /* its m_copy when `copied` was taken, only compared, */
  guint64    copy_version;  /* and that dict's version then */
} ModuleGlobals;
static GHashTable *global_holdings; /* PyObject* -> HsHolding*, kinds HS_EDGE_HELD_GLOBAL
                                     * and HS_EDGE_HELD_MODULE_COPY */
static GHashTable *module_globals;  /* PyObject* dict -> ModuleGlobals* */
static PyObject *modules_seen;      /* sys.modules, as matched to module_globals */
static guint64 modules_version;     /* and its version then */
static GPtrArray *drawn_globals;    /* PyObject* dicts whose globals are variables, this step */

/* What the dicts of the program's classes hold, read as a module's are:
 * Dog.tricks = [] is shared by every Dog through the class's __dict__,
 * which the graph does not draw.  With it, what the functions there
 * hold as default values (def add(self, x, log=[])), while the graph
 * draws no such function.  Only the classes in __main__'s globals, which
 * keep them alive: they are read again when those globals change. */
typedef struct
{
  PyObject  *function;  /* a function in the dict with defaults, borrowed from it */
  PyObject  *name;      /* its __qualname__, the holder's label, only compared once it may be gone */
  GPtrArray *held;      /* what its defaults hold, as held */
} FunctionDefaults;

typedef struct
{
  PyObject  *dict;      /* compared only: the class may be gone */
  guint64    version;   /* of the dict when `held` was taken */
  guint64    drawn;     /* drawn_attrs () of the dict then */
  gboolean   alone;     /* whether only its class held the dict then */
  PyObject  *name;      /* the class's __qualname__, the holder's label */
  GPtrArray *held;      /* what its dict held then: keys and values */
  GArray    *functions; /* FunctionDefaults, while the dict is that version */
  gboolean   seen;
} ClassDict;
static GHashTable *class_dicts;     /* PyTypeObject* -> ClassDict* */
static guint64 class_globals_version; /* of __main__'s globals when class_dicts was matched */

/* A built-in function of a module (math.sqrt) holds its module as
 * __self__: most of math's refcount is its 55 functions.  Those found
 * among the module's globals are counted, each once (sys.displayhook is
 * also sys.__displayhook__); one held only elsewhere stays "other".  The
 * count is read again when the module's dict changes: dict versions come
 * from one counter, so a module freed and another made at its address
 * cannot match the version remembered. */
typedef struct
{
  guint64 version;
  guint   count;
} FunctionCount;
static GHashTable *function_counts; /* PyObject* module -> FunctionCount* */

/* Each instance of a class the program made holds its class (ob_type):
 * every Point made reads one more on Point.  Counted by one walk over
 * the gc's lists at a step that asks about a class, for all classes at
 * once, and only then: the walker asks again only about a class whose
 * refcount changed.  Past MAX_INSTANCE_WALK tracked objects the walk is
 * given up and the instances stay "other": a walk takes about 3 ns an
 * object (90,017 walks of the 4,800 a script starts with took 1.3 s),
 * so some 0.6 ms at the cap. */
#define MAX_INSTANCE_WALK 200000
static GHashTable *instance_counts; /* PyTypeObject* -> GUINT count, at instance_step */
static guint64 step_serial;         /* bumped by every hs_holders_begin_step () */
static guint64 instance_step;

/* The frames as at the last step, outermost first, and the value stack
 * items each one was found holding: a frame that is not running cannot
 * change its value stack, so a step reads only the frames above those it
 * keeps.  What a frame held is let go of under the name it was held by. */
typedef struct
{
  HsPyFrame    *frame;
  PyCodeObject *code;           /* a frame gone can no longer be read */
  PyObject     *name;           /* its qualified name, the holder's label */
  PyObject     *function;       /* the function object it runs, or NULL */
  PyObject     *instance;       /* the object its class's call is setting up, or NULL */
  guint         call_holds;     /* how many references that call holds to it and
                                 * to each argument it passes on */
  PyObject     *finalized;      /* the object whose __del__ it runs, which the
                                 * finalizer's caller keeps alive, or NULL */
  gboolean      stack_unread;   /* it is in a call whose stack could not be read */
  guint         exception_start; /* in frame_exceptions */
  guint         item_start;     /* where its items start in frame_items */
  guint         argument_start; /* those arguments, in call_arguments */
  guint         hold_start;     /* in iterator_holds */
  guint         iterator_start; /* in stack_iterators */
} KeptFrame;
static GArray *kept_frames;         /* KeptFrame */

/* A variable of a running frame that named an exception when the frame
 * was read: its traceback may keep finished frames (see
 * update_traceback_holdings ()).  Kept with the frame, and compared with
 * the variable at each step before the exception is read: code can set
 * a variable of a frame that does not run (f_locals in 3.13). */
typedef struct
{
  HsPyFrame *frame;
  int        slot;
  PyObject  *exception;
} FrameException;
static GArray *frame_exceptions;    /* FrameException, all frames' in order */
static GPtrArray *frame_items;      /* PyObject*, all frames' in order */
static GPtrArray *call_arguments;   /* PyObject*, what each class call passes __init__ */

/* Where a frame last stopped for lines, and how deep its value stack was
 * at each: by depth in the stack of frames, kept when the frame is popped,
 * until another frame stops for a line at that depth.  A frame in a C call
 * has not saved its stack's top; this finds it (see
 * hs_py_frame_stack_in_call ()), from the last line before the call.  A
 * few are kept: a loop on one line (a comprehension) stops again at its
 * end, past the call it makes.  The frame and its code are only compared;
 * the code's first line and length with them, since a statement typed
 * on the console, freed, can leave its frame and its code's memory to
 * the next one. */
#define N_LINE_POSITIONS 4
typedef struct
{
  HsPyFrame    *frame;
  PyCodeObject *code;
  int           first_line;
  Py_ssize_t    n_units;
  guint         n;
  guint         next;    /* the slot the next one takes, once all are used */
  int           lasti[N_LINE_POSITIONS];
  int           depth[N_LINE_POSITIONS];
} LinePositions;
static GArray *line_positions;      /* LinePositions, by depth */
static guint returned_at;           /* the depth of the frame that returned at the last step, or 0 */

static gboolean
positions_of (const LinePositions *seen,
              HsPyFrame           *frame)
{
  PyCodeObject *code = hs_py_frame_code (frame);

  return seen->frame == frame && seen->code == code &&
         seen->first_line == code->co_firstlineno && seen->n_units == Py_SIZE (code);
}

static void
remember_line_position (guint      i,
                        HsPyFrame *frame,
                        int        depth)
{
  LinePositions *seen;
  int lasti = hs_py_frame_lasti (frame);
  guint k;

  if (line_positions->len <= i)
    g_array_set_size (line_positions, i + 1);
  seen = &g_array_index (line_positions, LinePositions, i);
  if (!positions_of (seen, frame))
    {
      PyCodeObject *code = hs_py_frame_code (frame);

      seen->frame = frame;
      seen->code = code;
      seen->first_line = code->co_firstlineno;
      seen->n_units = Py_SIZE (code);
      seen->n = seen->next = 0;
    }
  for (k = 0; k < seen->n && seen->lasti[k] != lasti; k++)
    ;
  if (k == seen->n)
    {
      if (seen->n < N_LINE_POSITIONS)
        k = seen->n++;
      else
        k = seen->next++ % N_LINE_POSITIONS;
    }
  seen->lasti[k] = lasti;
  seen->depth[k] = depth;
}

/* An iterator on a kept frame's value stack, as it was read */
typedef struct
{
  PyObject   *iterator;
  Py_ssize_t  refcount;  /* when its frame's stack was read */
  gpointer    mark;      /* iterator_mark () then */
} StackIterator;

/* What the iterators that only a value stack holds iterate over (see
 * hold_frame_iterators ()), in the frames' order, each frame's from its
 * hold_start on, held under the frame's name.  And every iterator on a
 * kept frame's stack with its refcount and its mark then, each frame's
 * from its iterator_start on: a change of one tells that something else
 * took, dropped or advanced it. */
static GPtrArray *iterator_holds;
static GArray *stack_iterators;         /* StackIterator */

static void
holding_free (gpointer data)
{
  HsHolding *h = data;

  while (h != NULL)
    {
      HsHolding *next = h->next;

      g_free (h);
      h = next;
    }
}

static void
hold (GHashTable *table,
      PyObject   *obj,
      HsEdgeKind  kind,
      PyObject   *name)
{
  HsHolding *first = g_hash_table_lookup (table, obj);

  g_assert (table != NULL && obj != NULL);

  for (HsHolding *h = first; h != NULL; h = h->next)
    if (h->kind == kind && h->name == name)
      {
        h->count++;
        return;
      }

  {
    HsHolding *h = g_new0 (HsHolding, 1);
    HsHolding **link = &first;

    /* in one order however the frames came and went: by kind, then by
     * holder, so that a step reports what a walk from nothing would */
    while (*link != NULL && ((*link)->kind < kind ||
                             ((*link)->kind == kind && (guintptr) (*link)->name < (guintptr) name)))
      link = &(*link)->next;
    h->kind = kind;
    h->name = name;
    h->count = 1;
    h->next = *link;
    *link = h;
    g_hash_table_steal (table, obj);
    g_hash_table_insert (table, obj, first);
  }
}

/* Takes back one hold (), dropping the object's entry when nothing holds
 * it any more: TRUE then. */
static gboolean
unhold (GHashTable *table,
        PyObject   *obj,
        HsEdgeKind  kind,
        PyObject   *name)
{
  HsHolding *first = g_hash_table_lookup (table, obj);
  HsHolding **link = &first;

  g_assert (table != NULL && obj != NULL);

  for (HsHolding *h = first; h != NULL; link = &h->next, h = h->next)
    if (h->kind == kind && h->name == name)
      {
        if (--h->count > 0)
          return FALSE;
        *link = h->next;
        h->next = NULL;
        g_free (h);
        break;
      }
  g_hash_table_steal (table, obj);
  if (first != NULL)
    g_hash_table_insert (table, obj, first);
  return first == NULL;
}

static void
hold_stack_item (PyObject   *obj,
                 HsEdgeKind  kind,
                 PyObject   *name)
{
  if (!g_hash_table_contains (stack_holdings, obj))
    g_ptr_array_add (stack_items, obj);
  hold (stack_holdings, obj, kind, name);
}

static void
unhold_stack_item (PyObject   *obj,
                   HsEdgeKind  kind,
                   PyObject   *name)
{
  if (unhold (stack_holdings, obj, kind, name))
    {
      guint i = stack_items->len;

      /* pushed last, popped first: look from the end */
      while (i > 0 && stack_items->pdata[i - 1] != (gpointer) obj)
        i--;
      if (i > 0)
        g_ptr_array_remove_index_fast (stack_items, i - 1);
    }
}

/* A tuple already among const_containers is not added again: the compiler
 * merges equal constants across a module's codes, and a tuple two codes
 * hold still holds its items once */
static void
add_container (PyObject     *container,
               PyCodeObject *code,
               PyCodeObject *global,
               Py_ssize_t    index,
               OwnTuple      own)
{
  guint at = GPOINTER_TO_UINT (g_hash_table_lookup (container_set, container));

  if (at == 0)
    {
      ConstContainer c = { container, code->co_qualname, code, global, index, own, 0, NULL, 0, 0 };

      g_array_append_val (const_containers, c);
      at = const_containers->len;
      g_hash_table_insert (container_set, container, GUINT_TO_POINTER (at));
    }
  if (own != OWN_NONE)
    g_array_index (const_containers, ConstContainer, at - 1).n_codes++;
}

/* The kind of hidden holder c's items are named as */
static HsEdgeKind
container_kind (const ConstContainer *c)
{
  return c->own == OWN_NAMES || c->own == OWN_LOCALS ? HS_EDGE_HELD_NAME : HS_EDGE_HELD_CONSTANT;
}

/* global: NULL when a frame runs the code, or one that holds it among its
 * constants, so that it is alive at every step until code_holdings is
 * built again (see ConstContainer); else the code of a function in the
 * globals that the code is, or is among the constants of.  The code's
 * own tuples (co_consts, co_names, its local names) name their items only
 * while the codes whose own they are hold them alone: the program can
 * hold them too (f.__code__.co_consts), and the graph then draws the tuple
 * with the arrows to its items, which would count twice. */
static void
add_code (PyCodeObject *code,
          PyCodeObject *global)
{
  PyObject *consts = code->co_consts;

  g_assert (code != NULL);

  if (g_ptr_array_find (codes_seen, code, NULL))
    return;
  g_ptr_array_add (codes_seen, code);

  if (consts != NULL && PyTuple_Check (consts))
    {
      add_container (consts, code, global, -1, OWN_CONSTS);
      for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE (consts); i++)
        {
          PyObject *item = PyTuple_GET_ITEM (consts, i);

          if (PyCode_Check (item))
            add_code ((PyCodeObject *) item, global);
          else if ((PyTuple_CheckExact (item) && PyTuple_GET_SIZE (item) > 0) ||
                   (PyFrozenSet_CheckExact (item) && PySet_GET_SIZE (item) > 0))
            add_container (item, code, global, i, OWN_NONE);
        }
    }
  if (code->co_names != NULL && PyTuple_Check (code->co_names))
    add_container (code->co_names, code, global, -1, OWN_NAMES);
  if (code->co_localsplusnames != NULL && PyTuple_Check (code->co_localsplusnames))
    add_container (code->co_localsplusnames, code, global, -1, OWN_LOCALS);
}

static void
build_arena_holdings (void)
{
  if (arena_holdings == NULL)
    arena_holdings = g_hash_table_new_full (NULL, NULL, NULL, holding_free);
  g_hash_table_remove_all (arena_holdings);
  arena_length = PyList_GET_SIZE (arena_objects);
  for (Py_ssize_t i = 0; i < arena_length; i++)
    hold (arena_holdings, PyList_GET_ITEM (arena_objects, i), HS_EDGE_HELD_ARENA, arena_name);
  code_epoch++;
}

/* PyRun_FileExFlags() has returned: the arena, and what it held, are gone */
void
hs_holders_end_script (void)
{
  /* the arena kept it; the reference taken when it was found goes, and
   * the list with it */
  Py_CLEAR (arena_objects);
  /* the next step's hs_holders_begin_step() says so, as for a code object
   * that stops running, so that the walker reads the objects it held
   * again; a statement on the console never looks for an arena */
  arena_state = arena_state == ARENA_LOOKED ? ARENA_ENDED : ARENA_GONE;
  /* console statements come next, each with code of its own */
  if (line_positions != NULL)
    g_array_set_size (line_positions, 0);
}

/* A module's __name__ (a str), borrowed from its dict, or NULL.  Looked
 * up with CPython's own key: PyDict_GetItemString() would make a str at
 * each call, and a key of our own would count in the refcount of the
 * interned "__name__". */
static PyObject *
module_name (PyObject *module)
{
  PyObject *name = PyModule_GetNameObject (module);

  if (name == NULL)
    {
      PyErr_Clear ();
      return NULL;
    }
  /* the module's dict holds it */
  Py_DECREF (name);
  return PyUnicode_CheckExact (name) ? name : NULL;
}

static gboolean
counts_globals (PyObject *obj)
{
  return obj != Py_None && obj != Py_True && obj != Py_False && obj != Py_Ellipsis &&
         obj != Py_NotImplemented && !hs_py_is_immortal (obj);
}

/* Whether the walker has an entry for obj, which may remember holdings */
static gboolean
shown (PyObject *obj)
{
  return hs_registry_lookup (obj) != NULL;
}

/* Adds what a module's dict, or a copy of it, holds that counts: its
 * keys and values, in order; nothing for NULL.  For globals the graph
 * draws as variables, the values it draws are left out. */
static void
collect_entries (PyObject  *dict,
                 gboolean   drawn,
                 GPtrArray *into)
{
  PyObject *key, *value;
  Py_ssize_t pos = 0;

  while (dict != NULL && PyDict_Next (dict, &pos, &key, &value))
    {
      if (counts_globals (key))
        g_ptr_array_add (into, key);
      if (counts_globals (value) && !(drawn && hs_py_is_variable_name (key)))
        g_ptr_array_add (into, value);
    }
}

/* Holds what `now` lists in place of what `held` listed, as kind under
 * name, and keeps `now` in `held`: TRUE if an object shown gained or
 * lost a holding.
 *
 * A dict keeps its order, and a line mostly sets one global
 * (warnings.catch_warnings() sets three at each with): the entries are
 * compared in order with those held, and only those that differ are let
 * go of and held, which adds up to the same holdings. */
static gboolean
take_holdings (GPtrArray  *held,
               GPtrArray  *now,
               HsEdgeKind  kind,
               PyObject   *name)
{
  gboolean touched = FALSE;

  for (guint i = 0; i < MAX (now->len, held->len); i++)
    {
      PyObject *was = i < held->len ? g_ptr_array_index (held, i) : NULL;
      PyObject *is = i < now->len ? g_ptr_array_index (now, i) : NULL;

      if (was == is)
        continue;
      /* the object let go of may be gone: it is not read */
      if (was != NULL)
        {
          unhold (global_holdings, was, kind, name);
          touched |= shown (was);
        }
      if (is != NULL)
        {
          hold (global_holdings, is, kind, name);
          touched |= shown (is);
        }
    }
  g_ptr_array_set_size (held, 0);
  g_ptr_array_extend (held, now, NULL, NULL);
  return touched;
}

/* Lets go of what m's dict and its copies held: TRUE if an object shown
 * lost a holding.  The objects are not read: the dict may have changed
 * or gone. */
static gboolean
forget_module (ModuleGlobals *m)
{
  static GPtrArray *none;
  gboolean touched;

  if (none == NULL)
    none = g_ptr_array_new ();
  touched = take_holdings (m->held, none, HS_EDGE_HELD_GLOBAL, m->name);
  touched |= take_holdings (m->copied, none, HS_EDGE_HELD_MODULE_COPY, m->name);
  m->copy = NULL;
  return touched;
}

/* The copy of its dict that CPython made of a single-phase extension
 * module (one whose def's m_size is -1: sys and builtins in 3.11, some
 * third-party ones) when it was first imported, its def's m_copy, kept
 * to set the module up again: it holds every key and value the dict had
 * then, so in 3.11 sys.modules, sys.version_info and len each read one
 * more.  NULL for other modules.  (The interpreter's own copies of the
 * dicts of sys and builtins are hs_py_interpreter_dict_copy()'s.) */
static PyObject *
module_copy (PyObject *module)
{
  /* cannot fail: the module is exactly a module */
  PyModuleDef *def = PyModule_GetDef (module);
  PyObject *copy = def != NULL ? def->m_base.m_copy : NULL;

  return copy != NULL && PyDict_CheckExact (copy) ? copy : NULL;
}

/* Whether m's m_copy is no longer the one `copied` was taken from */
static gboolean
copy_changed (ModuleGlobals *m)
{
  PyObject *copy = m->name != NULL ? module_copy (m->module) : NULL;

  return copy != m->copy || (copy != NULL && hs_py_dict_version (copy) != m->copy_version);
}

/* Takes m's holdings as its dict and its copy hold them now: TRUE if an
 * object shown gained or lost one.  Reads no attribute and runs no
 * Python code. */
static gboolean
read_module (ModuleGlobals *m)
{
  static GPtrArray *now;
  gboolean touched;

  if (now == NULL)
    now = g_ptr_array_new ();
  m->version = hs_py_dict_version (m->dict);
  g_ptr_array_set_size (now, 0);
  collect_entries (m->name != NULL ? m->dict : NULL, m->drawn, now);
  touched = take_holdings (m->held, now, HS_EDGE_HELD_GLOBAL, m->name);
  /* the copies hold what the dict held when they were made, and do not
   * change; the interpreter's are never replaced, an m_copy may be */
  g_ptr_array_set_size (now, 0);
  m->copy = m->name != NULL ? module_copy (m->module) : NULL;
  m->copy_version = m->copy != NULL ? hs_py_dict_version (m->copy) : 0;
  collect_entries (m->copy, FALSE, now);
  if (m->name != NULL)
    collect_entries (hs_py_interpreter_dict_copy (m->dict), FALSE, now);
  touched |= take_holdings (m->copied, now, HS_EDGE_HELD_MODULE_COPY, m->name);
  return touched;
}

static void
module_globals_free (gpointer data)
{
  ModuleGlobals *m = data;

  forget_module (m);
  g_ptr_array_unref (m->held);
  g_ptr_array_unref (m->copied);
  g_free (m);
}

/* Matches module_globals to sys.modules: TRUE if an object shown gained
 * or lost a holding.  A module under two names (os.path) is read once;
 * one whose __name__ is not a str is left out. */
static gboolean
match_modules (PyObject *modules)
{
  GHashTableIter iter;
  ModuleGlobals *m;
  PyObject *key, *module;
  Py_ssize_t pos = 0;
  gboolean touched = FALSE;

  g_hash_table_iter_init (&iter, module_globals);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &m))
    m->seen = FALSE;
  while (PyDict_Next (modules, &pos, &key, &module))
    {
      PyObject *dict = PyModule_CheckExact (module) ? PyModule_GetDict (module) : NULL;
      PyObject *name = dict != NULL && PyDict_CheckExact (dict) ? module_name (module) : NULL;

      if (name == NULL)
        continue;
      m = g_hash_table_lookup (module_globals, dict);
      /* a dict at the address of one gone has another version (dict
       * versions come from one counter), and update_globals() reads it
       * again; what is held is held under the module's name */
      if (m != NULL && (m->name != name || m->module != module))
        {
          touched |= forget_module (m);
          m->module = module;
          m->name = name;
          m->version = 0;
        }
      if (m == NULL)
        {
          m = g_new0 (ModuleGlobals, 1);
          m->module = module;
          m->dict = dict;
          m->name = name;
          m->held = g_ptr_array_new ();
          m->copied = g_ptr_array_new ();
          g_hash_table_insert (module_globals, dict, m);
        }
      m->seen = TRUE;
    }
  g_hash_table_iter_init (&iter, module_globals);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &m))
    if (!m->seen)
      {
        touched |= forget_module (m);
        g_hash_table_iter_remove (&iter);
      }
  modules_seen = modules;
  modules_version = hs_py_dict_version (modules);
  return touched;
}

/* How many references the running frames hold to fn: each frame that
 * runs it, and the call of a class, which looked its __init__ up
 * (slot_tp_init()) */
static Py_ssize_t
frame_uses_of_function (PyObject *fn)
{
  Py_ssize_t uses = 0;

  for (guint k = 0; k < kept_frames->len; k++)
    {
      const KeptFrame *kept = &g_array_index (kept_frames, KeptFrame, k);

      if (kept->function == fn)
        uses += kept->instance != NULL ? 2 : 1;
    }
  return uses;
}

/* What fn holds as default values now: nothing while the graph may draw
 * fn (m = Dog.add, a bound method), which draws them as its arrows; fn is
 * not drawn when only the class and the frames running it hold it */
static void
collect_defaults (PyObject  *fn,
                  GPtrArray *into)
{
  PyObject *defaults = PyFunction_GET_DEFAULTS (fn);
  PyObject *kwdefaults = PyFunction_GET_KW_DEFAULTS (fn);
  PyObject *value;
  Py_ssize_t pos = 0;
  guint start = into->len;

  if (defaults != NULL && PyTuple_CheckExact (defaults) && Py_REFCNT (defaults) == 1)
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE (defaults); i++)
      if (counts_globals (PyTuple_GET_ITEM (defaults, i)))
        g_ptr_array_add (into, PyTuple_GET_ITEM (defaults, i));
  if (kwdefaults != NULL && PyDict_CheckExact (kwdefaults) && Py_REFCNT (kwdefaults) == 1)
    while (PyDict_Next (kwdefaults, &pos, NULL, &value))
      if (counts_globals (value))
        g_ptr_array_add (into, value);
  /* mostly None or small ints, which are not counted: the frames are
   * looked through only when something is */
  if (into->len > start && Py_REFCNT (fn) != 1 + frame_uses_of_function (fn))
    g_ptr_array_set_size (into, start);
}

/* Lets go of everything c holds: TRUE if an object shown lost a holding.
 * Nothing is read: the class, its dict and its functions may be gone. */
static gboolean
forget_class (ClassDict *c)
{
  static GPtrArray *none;
  gboolean touched;

  if (none == NULL)
    none = g_ptr_array_new ();
  touched = take_holdings (c->held, none, HS_EDGE_HELD_CLASS_DICT, c->name);
  for (guint i = 0; i < c->functions->len; i++)
    {
      FunctionDefaults *f = &g_array_index (c->functions, FunctionDefaults, i);

      touched |= take_holdings (f->held, none, HS_EDGE_HELD_DEFAULTS, f->name);
      g_ptr_array_unref (f->held);
    }
  g_array_set_size (c->functions, 0);
  return touched;
}

static void
class_dict_free (gpointer data)
{
  ClassDict *c = data;

  forget_class (c);
  g_ptr_array_unref (c->held);
  g_array_unref (c->functions);
  g_free (c);
}

/* Which of a class dict's entries the class's box draws as rows, as a
 * hash of their values: the dict's version does not tell, since a value
 * becomes a descriptor, and is no longer drawn, when its class gains a
 * __get__ (Helper.__get__ = ...), or its own __class__ changes */
static guint64
drawn_attrs (PyObject *dict)
{
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  guint64 hash = 0;

  while (PyDict_Next (dict, &pos, &key, &value))
    if (hs_py_is_class_data_attr (key, value))
      hash = hash * 1000003 + (guintptr) value;
  return hash;
}

/* Takes c's holdings as type's dict holds them now: TRUE if an object
 * shown gained or lost one.  A dict something else holds (a mappingproxy
 * the program keeps, from vars (Dog)) is left out, as for a class's own
 * __mro__: what the program holds may be drawn. */
static gboolean
read_class (ClassDict    *c,
            PyTypeObject *type)
{
  g_autoptr(GPtrArray) now = g_ptr_array_new ();
  PyObject *dict = type->tp_dict, *key, *value;
  Py_ssize_t pos = 0;
  gboolean touched;

  touched = forget_class (c);
  c->dict = dict;
  c->version = hs_py_dict_version (dict);
  c->drawn = drawn_attrs (dict);
  c->alone = Py_REFCNT (dict) == 1;
  c->name = ((PyHeapTypeObject *) type)->ht_qualname;
  /* its names, and the values the graph does not draw in the class's
   * box: its methods, and what begins with an underscore */
  while (Py_REFCNT (dict) == 1 && PyDict_Next (dict, &pos, &key, &value))
    {
      if (counts_globals (key))
        g_ptr_array_add (now, key);
      if (counts_globals (value) && !hs_py_is_class_data_attr (key, value))
        g_ptr_array_add (now, value);
    }
  pos = 0;
  touched |= take_holdings (c->held, now, HS_EDGE_HELD_CLASS_DICT, c->name);
  while (Py_REFCNT (dict) == 1 && PyDict_Next (dict, &pos, NULL, &value))
    if (PyFunction_Check (value) &&
        (PyFunction_GET_DEFAULTS (value) != NULL || PyFunction_GET_KW_DEFAULTS (value) != NULL))
      {
        FunctionDefaults f = { value, ((PyFunctionObject *) value)->func_qualname, g_ptr_array_new () };

        g_array_append_val (c->functions, f);
      }
  return touched;
}

/* Brings the holdings of the classes in main_globals up to this step:
 * TRUE if an object shown gained or lost one.  The classes are matched
 * again when the globals change, a class read again when its dict does
 * (dict versions come from one counter: a new dict at the address of
 * one gone has another); what the functions' defaults hold is taken at
 * every step, as whether the graph draws a function can change at any
 * step.  Reads no attribute and runs no Python code. */
static gboolean
update_class_dicts (PyObject *main_globals)
{
  g_autoptr(GPtrArray) now = g_ptr_array_new ();
  GHashTableIter iter;
  PyTypeObject *type;
  ClassDict *c;
  gboolean touched = FALSE;

  if (class_dicts == NULL)
    class_dicts = g_hash_table_new_full (NULL, NULL, NULL, class_dict_free);
  if (main_globals == NULL || !PyDict_CheckExact (main_globals))
    {
      touched = g_hash_table_size (class_dicts) > 0;
      g_hash_table_remove_all (class_dicts);
      class_globals_version = 0;
      return touched;
    }
  if (hs_py_dict_version (main_globals) != class_globals_version)
    {
      PyObject *value;
      Py_ssize_t pos = 0;

      class_globals_version = hs_py_dict_version (main_globals);
      g_hash_table_iter_init (&iter, class_dicts);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &c))
        c->seen = FALSE;
      while (PyDict_Next (main_globals, &pos, NULL, &value))
        if (PyType_Check (value) && PyType_HasFeature ((PyTypeObject *) value, Py_TPFLAGS_HEAPTYPE) &&
            ((PyTypeObject *) value)->tp_dict != NULL && PyDict_CheckExact (((PyTypeObject *) value)->tp_dict))
          {
            c = g_hash_table_lookup (class_dicts, value);
            if (c == NULL)
              {
                c = g_new0 (ClassDict, 1);
                c->held = g_ptr_array_new ();
                c->functions = g_array_new (FALSE, FALSE, sizeof (FunctionDefaults));
                g_hash_table_insert (class_dicts, value, c);
              }
            c->seen = TRUE;
          }
      g_hash_table_iter_init (&iter, class_dicts);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &c))
        if (!c->seen)
          {
            touched |= forget_class (c);
            g_hash_table_iter_remove (&iter);
          }
    }

  /* each class left is in the globals, which keep it alive */
  g_hash_table_iter_init (&iter, class_dicts);
  while (g_hash_table_iter_next (&iter, (gpointer *) &type, (gpointer *) &c))
    {
      /* a dict the program comes to hold (gc.get_referents (Dog)) may
       * be drawn, with the arrows of its entries */
      if (type->tp_dict != c->dict || hs_py_dict_version (type->tp_dict) != c->version ||
          ((PyHeapTypeObject *) type)->ht_qualname != c->name ||
          (Py_REFCNT (type->tp_dict) == 1) != c->alone || drawn_attrs (type->tp_dict) != c->drawn)
        touched |= read_class (c, type);
      /* the dict has not changed since: it still holds each function */
      for (guint i = 0; i < c->functions->len; i++)
        {
          FunctionDefaults *f = &g_array_index (c->functions, FunctionDefaults, i);
          PyObject *name = ((PyFunctionObject *) f->function)->func_qualname;

          g_ptr_array_set_size (now, 0);
          /* renamed (f.__qualname__ = ...): the old name may be freed, and
           * is only compared, to let go of what was held under it */
          if (name != f->name)
            {
              touched |= take_holdings (f->held, now, HS_EDGE_HELD_DEFAULTS, f->name);
              f->name = name;
            }
          collect_defaults (f->function, now);
          touched |= take_holdings (f->held, now, HS_EDGE_HELD_DEFAULTS, f->name);
        }
    }
  return touched;
}

/* Brings the globals' holdings up to this step: TRUE if an object shown
 * gained or lost one. */
static gboolean
update_globals (GPtrArray *user_frames,
                PyObject  *main_globals)
{
  PyObject *modules = PyImport_GetModuleDict ();
  GHashTableIter iter;
  ModuleGlobals *m;
  gboolean touched = FALSE;

  if (modules == NULL || !PyDict_CheckExact (modules))
    return FALSE;
  if (module_globals == NULL)
    {
      global_holdings = g_hash_table_new_full (NULL, NULL, NULL, holding_free);
      module_globals = g_hash_table_new_full (NULL, NULL, NULL, module_globals_free);
      drawn_globals = g_ptr_array_new ();
    }
  if (modules != modules_seen || hs_py_dict_version (modules) != modules_version)
    touched |= match_modules (modules);

  g_ptr_array_set_size (drawn_globals, 0);
  if (main_globals != NULL)
    g_ptr_array_add (drawn_globals, main_globals);
  for (guint i = 0; i < user_frames->len; i++)
    {
      HsPyFrame *frame = g_ptr_array_index (user_frames, i);

      if (hs_py_frame_is_module (frame))
        g_ptr_array_add (drawn_globals, hs_py_frame_globals (frame));
    }

  g_hash_table_iter_init (&iter, module_globals);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &m))
    {
      gboolean drawn = g_ptr_array_find (drawn_globals, m->dict, NULL);

      if (drawn != m->drawn || m->version != hs_py_dict_version (m->dict) || copy_changed (m))
        {
          PyObject *name = module_name (m->module);

          /* renamed (m.__init__('other'), or __name__ set): what was held
           * is let go of under the name held, which may be freed by now
           * and is only compared, and held again under the new one */
          if (name != m->name)
            {
              touched |= forget_module (m);
              m->name = name;
            }
          m->drawn = drawn;
          touched |= read_module (m);
        }
    }
  touched |= update_class_dicts (main_globals);
  return touched;
}

/* One more (delta 1) or one fewer (-1) frame runs code.  A code object
 * no frame runs any more stays a root until forget_idle_roots(), so that
 * the frame a step reads again does not rebuild the table: TRUE when a
 * new root was added. */
static gboolean
count_root (PyCodeObject *code,
            int           delta)
{
  gpointer value;
  gboolean known = g_hash_table_lookup_extended (root_uses, code, NULL, &value);
  guint n = GPOINTER_TO_UINT (value) + delta;

  g_assert (code != NULL);

  g_hash_table_insert (root_uses, code, GUINT_TO_POINTER (n));
  if (!known)
    {
      g_ptr_array_add (roots, code);
      return TRUE;
    }
  return FALSE;
}

/* Drops the roots no frame runs: TRUE if there were any. */
static gboolean
forget_idle_roots (void)
{
  guint j = 0;

  for (guint i = 0; i < roots->len; i++)
    {
      gpointer code = g_ptr_array_index (roots, i);

      if (GPOINTER_TO_UINT (g_hash_table_lookup (root_uses, code)) == 0)
        g_hash_table_remove (root_uses, code);
      else
        g_ptr_array_index (roots, j++) = code;
    }
  if (j == roots->len)
    return FALSE;
  g_ptr_array_set_size (roots, j);
  return TRUE;
}

/* An iterator that only the one before holds, as enumerate (nums) holds
 * a list iterator, is followed this deep */
#define MAX_ITERATOR_DEPTH 8

typedef struct
{
  PyObject  *name;       /* the frame whose value stack holds the first iterator */
  HsPyFrame *innermost;  /* this step's innermost frame, or NULL */
  guint      depth;
} IteratorWalk;

/* Whether everything obj holds, it holds as a for loop's iterator: a
 * built-in iterator, or a generator that is not running, whose frame holds
 * its function and its locals (gen_traverse() visits them).  At its
 * yield's own step a generator's frame is still the thread's innermost,
 * and drawn as such.  Not a coroutine an await waits on: it is no
 * iterator, and the holder's name would say so. */
static gboolean
holds_for_loop (PyObject  *obj,
                HsPyFrame *innermost)
{
  int n_locals;

  if (hs_py_is_loop_iterator (obj))
    return TRUE;
  if (!PyGen_Check (obj) || hs_py_generator_is_running (obj))
    return FALSE;
  return innermost == NULL || hs_py_generator_frame (obj, &n_locals) != innermost;
}

static void
hold_iterated (PyObject     *obj,
               IteratorWalk *walk)
{
  hold_stack_item (obj, HS_EDGE_HELD_ITERATOR, walk->name);
  g_ptr_array_add (iterator_holds, obj);
}

static void
collect_referent (PyObject *obj,
                  gpointer  user_data)
{
  g_ptr_array_add (user_data, obj);
}

/* Past this many, a referent held more than once by the same object is
 * not looked for: each is held, none followed */
#define MAX_REFERENTS_COMPARED 64

/* A list or dict that only a hidden iterator holds, which the loop made
 * to iterate over (for x in sorted (nums), for k, v in {...}.items ()),
 * is followed up to this many items: the stack of the running frame is
 * read at every step of the loop, and a longer one is held whole, its
 * items left to "other" */
#define MAX_ITEMS_FOLLOWED 100

/* A dict's keys and values, which its tp_traverse () does not all visit
 * (not its str keys) */
static void
hold_dict_entries (PyObject     *dict,
                   IteratorWalk *walk)
{
  PyObject *key, *value;
  Py_ssize_t pos = 0;

  while (PyDict_Next (dict, &pos, &key, &value))
    {
      hold_iterated (key, walk);
      hold_iterated (value, walk);
    }
}

/* What a hidden iterator holds: an object that only it holds, as many
 * times as it holds it, and that holds only for it is not drawn either,
 * and what it holds is followed: a list iterator that zip () wraps, the
 * tuple of iterators of zip () or map (), the result tuple a dict items
 * iterator, enumerate () or zip () reuses (which keeps the last item
 * alone), the iterator a generator expression holds both as its .0 and
 * on its value stack, a short list or dict made for the loop alone.
 * Anything else is held, once for each reference. */
static void
hold_referents (PyObject     *obj,
                IteratorWalk *walk)
{
  g_autoptr(GPtrArray) referents = g_ptr_array_new ();

  hs_py_foreach_referent (obj, collect_referent, referents);
  for (guint i = 0; i < referents->len; i++)
    {
      PyObject *referent = g_ptr_array_index (referents, i);
      gboolean seen = FALSE;
      guint n = 1;

      if (referents->len <= MAX_REFERENTS_COMPARED)
        for (guint j = 0; j < referents->len; j++)
          if (j != i && referents->pdata[j] == (gpointer) referent)
            {
              seen |= j < i;
              n++;
            }
      if (seen)
        continue;
      if (Py_REFCNT (referent) == (Py_ssize_t) n && PyDict_CheckExact (referent) &&
          PyDict_GET_SIZE (referent) <= MAX_ITEMS_FOLLOWED)
        hold_dict_entries (referent, walk);
      else if (Py_REFCNT (referent) == (Py_ssize_t) n && walk->depth < MAX_ITERATOR_DEPTH &&
               (PyTuple_CheckExact (referent) || holds_for_loop (referent, walk->innermost) ||
                (PyList_CheckExact (referent) && PyList_GET_SIZE (referent) <= MAX_ITEMS_FOLLOWED)))
        {
          walk->depth++;
          hold_referents (referent, walk);
          walk->depth--;
        }
      else
        for (guint k = 0; k < n; k++)
          hold_iterated (referent, walk);
    }
}

/* What tells that an iterator ran out: what it iterates over, or for a
 * generator its frame, which it clears when it finishes */
static gpointer
iterator_mark (PyObject *obj)
{
  int n_locals;

  if (hs_py_is_iterator (obj))
    return hs_py_iterator_source (obj);
  if (PyGen_Check (obj))
    return hs_py_generator_frame (obj, &n_locals);
  return NULL;
}

/*
 * A for loop keeps its iterator on the value stack, and the iterator holds
 * what it iterates over: `for x in nums` makes nums read one more for the
 * whole loop.  The iterator is not drawn, so that reference is named, as
 * held by the iterators on the value stack of the frame.  Likewise a
 * generator the loop runs (`for s in numbers(3)`) holds its function and
 * its locals.  Only an iterator that nothing but the stack holds
 * (refcount 1): one that a variable also holds (`for x in it`) may be
 * drawn, with its arrow to what it iterates over.
 *
 * Read with the frame's stack.  What a frame that has not run since holds
 * this way changes only if something else reaches the iterator: one that
 * something else holds can be advanced, or let go of (del it), elsewhere,
 * and gc.get_referrers () can reach any.  hs_holders_begin_step () reads
 * the stacks again when the refcount of one changes, or what it iterates
 * over (iterator_mark ()): an iterator run out elsewhere.  A generator
 * resumed through gc and suspended again between two steps is not seen.
 */
static void
hold_frame_iterators (PyObject  **items,
                      int         n,
                      PyObject   *name,
                      HsPyFrame  *innermost)
{
  IteratorWalk walk = { name, innermost, 0 };

  for (int k = 0; k < n; k++)
    if (items[k] != NULL && holds_for_loop (items[k], innermost))
      {
        StackIterator seen = { items[k], Py_REFCNT (items[k]), iterator_mark (items[k]) };

        g_array_append_val (stack_iterators, seen);
        if (seen.refcount == 1)
          hold_referents (items[k], &walk);
      }
}

/* How many references code_holdings and the arena name for obj */
static guint
named_constant_uses (PyObject *obj)
{
  HsHolding *h = g_hash_table_lookup (code_holdings, obj);
  guint n = 0;

  for (; h != NULL; h = h->next)
    n += h->count;
  if (arena_objects != NULL)
    for (h = g_hash_table_lookup (arena_holdings, obj); h != NULL; h = h->next)
      n += h->count;
  return n;
}

static void
follow_container (ConstContainer *c)
{
  Py_ssize_t pos = 0;
  PyObject *item;

  c->held = g_ptr_array_new ();
  if (PyTuple_CheckExact (c->container))
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE (c->container); i++)
      g_ptr_array_add (c->held, PyTuple_GET_ITEM (c->container, i));
  else
    while (hs_py_set_next_entry (c->container, &pos, &item))
      g_ptr_array_add (c->held, item);
  for (guint i = 0; i < c->held->len; i++)
    hold (code_holdings, c->held->pdata[i], container_kind (c), c->name);
  code_epoch++;
}

/* Reads nothing: the tuple and its items may be gone */
static void
unfollow_container (ConstContainer *c)
{
  for (guint i = 0; i < c->held->len; i++)
    unhold (code_holdings, c->held->pdata[i], container_kind (c), c->name);
  g_clear_pointer (&c->held, g_ptr_array_unref);
  code_epoch++;
}

/* Whether c's tuple is alive and where it was found: the global code it
 * was found from is found at this step, and its code (that one, or one
 * among its constants, which no code changes) still holds it there */
static gboolean
container_alive (ConstContainer *c)
{
  PyObject *consts;

  if (c->global == NULL)
    return TRUE;
  if (!g_ptr_array_find (global_codes, c->global, NULL))
    return FALSE;
  switch (c->own)
    {
    case OWN_CONSTS:
      return c->code->co_consts == c->container;
    case OWN_NAMES:
      return c->code->co_names == c->container;
    case OWN_LOCALS:
      return c->code->co_localsplusnames == c->container;
    case OWN_NONE:
    default:
      break;
    }
  consts = c->code->co_consts;
  return consts != NULL && PyTuple_Check (consts) && c->index < PyTuple_GET_SIZE (consts) &&
         PyTuple_GET_ITEM (consts, c->index) == c->container;
}

/* A tuple inside a tuple inside ... is followed this deep */
#define MAX_CONTAINER_PASSES 8

/* Names the items of each constant tuple that only its holders name
 * hold, and stops when something else comes to hold it: TRUE when any
 * changed.  A tuple inside a followed tuple is named by it, so the
 * passes go on until none changes: in one, a tuple read before the one
 * that holds it would stay followed after that one stopped.  Not the
 * return value: from 3.12 on, a function returning a constant stops
 * before it takes a reference, and the step draws the tuple with the
 * arrows to its items. */
static gboolean
update_const_containers (PyObject *return_value)
{
  gboolean changed = FALSE, pass_changed = TRUE;

  for (guint pass = 0; pass_changed && pass < MAX_CONTAINER_PASSES; pass++)
    {
      pass_changed = FALSE;
      for (guint i = 0; i < const_containers->len; i++)
        {
          ConstContainer *c = &g_array_index (const_containers, ConstContainer, i);
          gboolean follow = container_alive (c) && c->container != return_value;

          /* the holdings change only with code_epoch, which following or
           * letting go of a container bumps */
          if (follow && c->uses_epoch != code_epoch)
            {
              c->uses = named_constant_uses (c->container);
              c->uses_epoch = code_epoch;
            }
          /* the codes whose own tuple it is hold it besides */
          follow = follow && Py_REFCNT (c->container) == (Py_ssize_t) c->uses + c->n_codes;

          if (follow && c->held == NULL)
            follow_container (c);
          else if (!follow && c->held != NULL)
            unfollow_container (c);
          else
            continue;
          pass_changed = TRUE;
        }
      changed |= pass_changed;
    }
  return changed;
}

/* Whether an iterator on the stack of one of the first keep frames was
 * taken or let go of by something else since it was read */
static gboolean
kept_iterators_changed (guint keep)
{
  guint end = keep < kept_frames->len ? g_array_index (kept_frames, KeptFrame, keep).iterator_start
                                      : stack_iterators->len;

  for (guint i = 0; i < end; i++)
    {
      const StackIterator *seen = &g_array_index (stack_iterators, StackIterator, i);

      if (Py_REFCNT (seen->iterator) != seen->refcount || iterator_mark (seen->iterator) != seen->mark)
        return TRUE;
    }
  return FALSE;
}

/* A class call that a frame's value stack shows running __init__ */
typedef struct
{
  PyObject *instance;       /* the object __init__ sets up */
  gboolean  keywords;       /* the call passes arguments by name */
  int       first_argument; /* its arguments, items of the caller's stack */
  int       n_arguments;
} ClassCall;

/* Where user_frames[i], a frame in a call that the frame above it runs
 * for, last stopped for a line before that call, and how deep its value
 * stack was then: FALSE when it has not stopped since it was entered. */
static gboolean
line_before_call (GPtrArray *user_frames,
                  guint      i,
                  int       *from,
                  int       *from_depth)
{
  HsPyFrame *frame = g_ptr_array_index (user_frames, i);
  const LinePositions *seen;
  int lasti, best = -1;

  if (i + 1 >= user_frames->len || i >= line_positions->len)
    return FALSE;
  seen = &g_array_index (line_positions, LinePositions, i);
  if (!positions_of (seen, frame) ||
      hs_py_frame_previous (g_ptr_array_index (user_frames, i + 1)) != frame)
    return FALSE;
  /* the nearest line before the call */
  lasti = hs_py_frame_lasti (frame);
  for (guint k = 0; k < seen->n; k++)
    if (seen->lasti[k] <= lasti && (best < 0 || seen->lasti[k] > seen->lasti[best]))
      best = (int) k;
  if (best < 0)
    return FALSE;
  *from = seen->lasti[best];
  *from_depth = seen->depth[best];
  return TRUE;
}

/* The value stack of user_frames[i], a frame that is in a call to C and
 * so saved no stack top: only while the frame above it runs the __init__
 * of a class that frame i called, which tells what the call calls. */
static PyObject **
stack_in_class_call (GPtrArray *user_frames,
                     guint      i,
                     int       *n,
                     ClassCall *call)
{
  PyObject *made, **items;
  int from, from_depth;

  *n = 0;
  *call = (ClassCall) { NULL, FALSE, 0, 0 };
  if (!line_before_call (user_frames, i, &from, &from_depth) ||
      (made = hs_py_frame_init_instance (g_ptr_array_index (user_frames, i + 1))) == NULL)
    return NULL;
  items = hs_py_frame_stack_in_call (g_ptr_array_index (user_frames, i), from, from_depth,
                                     (PyObject *) Py_TYPE (made), NULL, 0, n, &call->keywords,
                                     &call->first_argument, &call->n_arguments);
  if (items != NULL)
    call->instance = made;
  return items;
}

/* Whether function is the getter of the property descr: @property def
 * size (self), which b.size runs from C */
static gboolean
is_property_getter (PyObject *descr,
                    PyObject *function)
{
  static PyObject *fget_name;
  PyObject *fget;
  gboolean is;

  if (descr == NULL || !Py_IS_TYPE (descr, &PyProperty_Type))
    return FALSE;
  if (fget_name == NULL)
    fget_name = PyUnicode_InternFromString ("fget");
  /* a member of an exact property, which has no __dict__: runs no
   * Python code */
  if (fget_name == NULL || (fget = PyObject_GetAttr (descr, fget_name)) == NULL)
    {
      PyErr_Clear ();
      return FALSE;
    }
  is = fget == function;
  Py_DECREF (fget);
  return is;
}

/* The object a frame's function was called for, its first argument, when
 * the frame runs a special method of its class, or the getter of one of
 * its properties, found on the class under the name it runs as: what
 * __eq__ or __len__ runs for, when C code calls it, or b.size.  Only
 * classes a program made have such methods in Python, so a None or a
 * small int that happens to lie where a slot is read never passes for
 * it; and only special methods and getters, so not a weak reference's
 * callback or a generator's close () that letting go of a slot ran.
 * NULL for any other frame, and for a __del__, whose object is kept its
 * own way (see hs_py_frame_finalized ()). */
static PyObject *
method_self (HsPyFrame *frame)
{
  PyCodeObject *code = hs_py_frame_code (frame);
  PyObject *function = hs_py_frame_function (frame);
  PyObject *self, *name, *descr;
  char *to_free = NULL;
  const char *text;
  gboolean special;

  if (function == NULL || code->co_argcount < 1 ||
      (self = hs_py_frame_local (frame, 0, &name)) == NULL || PyCell_Check (self) ||
      !PyType_HasFeature (Py_TYPE (self), Py_TPFLAGS_HEAPTYPE) ||
      (text = hs_py_str_utf8 (code->co_name, &to_free)) == NULL)
    return NULL;
  special = hs_is_dunder (text) && !g_str_equal (text, "__del__");
  g_free (to_free);
  /* borrowed, runs no Python code */
  descr = _PyType_Lookup (Py_TYPE (self), code->co_name);
  if (special ? descr != function : !is_property_getter (descr, function))
    return NULL;
  return self;
}

/* The value stack of user_frames[i], a frame in a call to C that runs
 * the frame above it, where that call passes the frame's generator, its
 * function or the object its method runs for (method_self ()) as an
 * argument: next (g), list (g), sum (x for x in xs), sorted (xs, key=f),
 * len (v) and repr (v), which run v's __len__ and __repr__.  While the
 * generator runs, what holds it is that argument on the caller's stack,
 * and so are the other arguments.  The
 * two slots below the arguments (what is called, and self or NULL) are
 * left out, as NULL: the callee may borrow the one just below its
 * arguments while it runs (see hs_py_frame_stack_in_call ()), and what it
 * then holds is no reference; g.send (v), which passes g as self, stays
 * "other".  What C code such as map (f, xs) keeps in objects of its own
 * stays "other" too.  The items are a copy, good until the next call. */
static PyObject **
stack_in_c_call (GPtrArray *user_frames,
                 guint      i,
                 int       *n)
{
  static GPtrArray *copy;
  HsPyFrame *above;
  PyObject *passed[3], **items;
  guint n_passed = 0;
  gboolean keywords;
  int from, from_depth, first, n_arguments;

  *n = 0;
  if (!line_before_call (user_frames, i, &from, &from_depth))
    return NULL;
  above = g_ptr_array_index (user_frames, i + 1);
  if ((passed[n_passed] = hs_py_frame_generator (above)) != NULL)
    n_passed++;
  if ((passed[n_passed] = hs_py_frame_function (above)) != NULL)
    n_passed++;
  if ((passed[n_passed] = method_self (above)) != NULL)
    n_passed++;
  if (n_passed == 0)
    return NULL;
  items = hs_py_frame_stack_in_call (g_ptr_array_index (user_frames, i), from, from_depth,
                                     NULL, passed, n_passed, n, &keywords, &first, &n_arguments);
  if (items == NULL)
    return NULL;
  if (copy == NULL)
    copy = g_ptr_array_new ();
  g_ptr_array_set_size (copy, 0);
  for (int k = 0; k < *n; k++)
    g_ptr_array_add (copy, k == first - 1 || k == first - 2 ? NULL : items[k]);
  return (PyObject **) copy->pdata;
}

/* The value stack of user_frames[i], a frame in a call to C from an
 * operator whose special method the frame above it runs: a == b runs
 * a.__eq__ (b) from C, and a and b wait on the frame's stack until it
 * returns, a reference each.  Told by the method's self among the
 * operands. */
static PyObject **
stack_in_operator (GPtrArray *user_frames,
                   guint      i,
                   int       *n)
{
  PyObject *self;
  int from, from_depth;

  *n = 0;
  if (!line_before_call (user_frames, i, &from, &from_depth) ||
      (self = method_self (g_ptr_array_index (user_frames, i + 1))) == NULL)
    return NULL;
  return hs_py_frame_stack_in_operator (g_ptr_array_index (user_frames, i), from, from_depth, self,
                                        hs_py_frame_code (g_ptr_array_index (user_frames, i + 1))->co_name, n);
}

/* The value stack of user_frames[i], a frame in a store to a name whose
 * old value, let go of, runs the frame above it (see
 * hs_py_frame_stack_in_store ()): with the value stored, which the store
 * holds, and the name, which the dict's store holds.  The items are a
 * copy, good until the next call. */
static PyObject **
stack_in_store (GPtrArray *user_frames,
                guint      i,
                int       *n)
{
  static GPtrArray *copy;
  PyObject **items, *name;
  int from, from_depth;

  *n = 0;
  if (!line_before_call (user_frames, i, &from, &from_depth) ||
      (items = hs_py_frame_stack_in_store (g_ptr_array_index (user_frames, i), from, from_depth, n, &name)) == NULL)
    return NULL;
  if (copy == NULL)
    copy = g_ptr_array_new ();
  g_ptr_array_set_size (copy, 0);
  for (int k = 0; k < *n; k++)
    g_ptr_array_add (copy, items[k]);
  g_ptr_array_add (copy, name);
  *n = copy->len;
  return (PyObject **) copy->pdata;
}

typedef struct
{
  GHashTable *visited;
  gsize       budget;
} GarbageWalk;

static void
count_garbage_instances_of (gpointer data,
                            gpointer user_data)
{
  HsEntry *e = data;
  GarbageWalk *walk = user_data;

  if (e->obj != NULL && PyObject_IS_GC (e->obj) && PyObject_GC_IsTracked (e->obj) && hs_py_gc_is_garbage (e->obj))
    hs_py_count_garbage_instances (instance_counts, walk->visited, e->obj, &walk->budget);
}

/* While the collector runs the __del__ of the garbage it found, that
 * garbage is in lists of its own, which hs_py_count_instances () does not
 * walk: the two Nodes of a cycle each left "+1 other" on their class.
 * Each list that a shown object is in is walked, up to MAX_INSTANCE_WALK
 * objects in all; garbage in lists no shown object is in, or past that,
 * stays "other". */
static void
count_garbage_instances (void)
{
  g_autoptr(GHashTable) visited = g_hash_table_new (NULL, NULL);
  GarbageWalk walk = { visited, MAX_INSTANCE_WALK };

  hs_registry_foreach (count_garbage_instances_of, &walk);
}

/* The code of a function, or NULL */
static PyCodeObject *
function_code (PyObject *obj)
{
  return PyFunction_Check (obj) && PyCode_Check (PyFunction_GET_CODE (obj)) ?
         (PyCodeObject *) PyFunction_GET_CODE (obj) : NULL;
}

/* Once the script has ended no frame runs its code, yet each function it
 * defined keeps its own: after def f(): return [5000], f.__code__ holds
 * 5000 in co_consts though the module's code is gone, and 5000 read one
 * "other" at the last step and on the console.  So the code of each
 * function in the program's globals, and in the dicts of the classes
 * there, is a root too from then on.  Read at every step, comparing
 * pointers only: a function or a class can be replaced at any time, and
 * a code object kept from an earlier step could be freed by now.  While
 * the script runs its code is a root, and holds the code of every
 * function in it.  TRUE when the codes changed. */
static gboolean
update_global_codes (PyObject *main_globals)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  guint64 version = 0;
  PyObject *key, *value;
  Py_ssize_t pos = 0;

  if (arena_state == ARENA_GONE && main_globals != NULL && PyDict_CheckExact (main_globals))
    {
      version = hs_py_dict_version (main_globals);
      while (PyDict_Next (main_globals, &pos, &key, &value))
        {
          PyCodeObject *code = function_code (value);
          PyObject *dict = PyType_Check (value) ? ((PyTypeObject *) value)->tp_dict : NULL;
          Py_ssize_t in_class = 0;
          PyObject *member;

          if (code != NULL)
            g_ptr_array_add (found, code);
          if (dict == NULL || !PyType_HasFeature ((PyTypeObject *) value, Py_TPFLAGS_HEAPTYPE) ||
              !PyDict_CheckExact (dict))
            continue;
          while (PyDict_Next (dict, &in_class, NULL, &member))
            if ((code = function_code (member)) != NULL)
              g_ptr_array_add (found, code);
        }
    }
  if (version == global_codes_version && found->len == global_codes->len &&
      (found->len == 0 || memcmp (found->pdata, global_codes->pdata, found->len * sizeof (gpointer)) == 0))
    return FALSE;
  g_ptr_array_set_size (global_codes, 0);
  g_ptr_array_extend_and_steal (global_codes, g_steal_pointer (&found));
  global_codes_version = version;
  return TRUE;
}

/* As hold_stack_item (), for what a finished frame that a traceback keeps
 * holds */
static void
hold_traceback_item (PyObject *obj,
                     PyObject *name)
{
  if (!g_hash_table_contains (traceback_holdings, obj))
    g_ptr_array_add (traceback_items, obj);
  hold (traceback_holdings, obj, HS_EDGE_HELD_TRACEBACK, name);
}

/* What the finished frames that tracebacks keep hold (see
 * hs_py_add_finished_frames ()): their variables, their value stacks and
 * the functions they ran, each under the frame's name.  The tracebacks
 * looked at are those of the exceptions being handled, on a value stack,
 * or named by the script's globals or a running frame's variables (see
 * FrameException), with the exceptions they chain to.  An exception kept elsewhere, say in
 * a list, is not looked for, and what its frames hold stays "other".
 * Read at every step: a traceback grows as its exception rises, and the
 * frames go when the exception does. */
static void
update_traceback_holdings (PyObject *main_globals)
{
  g_autoptr(GPtrArray) exceptions = g_ptr_array_new ();
  g_autoptr(GPtrArray) frames = NULL;
  g_autoptr(GHashTable) seen = NULL;
  PyObject *value;
  Py_ssize_t pos = 0;

  if (traceback_items->len > 0)
    {
      g_hash_table_remove_all (traceback_holdings);
      g_ptr_array_set_size (traceback_items, 0);
    }
  hs_py_add_handled (exceptions);
  /* where an except clause finds it, before it is handled or named */
  for (guint i = 0; i < stack_items->len; i++)
    if (PyExceptionInstance_Check ((PyObject *) stack_items->pdata[i]))
      g_ptr_array_add (exceptions, stack_items->pdata[i]);
  if (main_globals != NULL && PyDict_CheckExact (main_globals))
    while (PyDict_Next (main_globals, &pos, NULL, &value))
      if (PyExceptionInstance_Check (value))
        g_ptr_array_add (exceptions, value);
  for (guint i = 0; i < frame_exceptions->len; i++)
    {
      FrameException *named = &g_array_index (frame_exceptions, FrameException, i);
      PyObject *name;

      if (hs_py_frame_local (named->frame, named->slot, &name) == named->exception)
        g_ptr_array_add (exceptions, named->exception);
    }
  if (exceptions->len == 0)
    return;

  frames = g_ptr_array_new ();
  seen = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < exceptions->len; i++)
    hs_py_add_finished_frames (g_ptr_array_index (exceptions, i), seen, frames);
  for (guint i = 0; i < frames->len; i++)
    {
      HsPyFrame *frame = g_ptr_array_index (frames, i);
      PyObject *name = hs_py_frame_code (frame)->co_qualname;
      PyObject *function = hs_py_frame_function (frame);
      int n_locals = hs_py_frame_n_live_locals (frame), n_items = 0;
      PyObject **items = hs_py_frame_stack (frame, &n_items);

      for (int k = 0; k < n_locals + n_items; k++)
        {
          PyObject *local_name;
          PyObject *held = k < n_locals ? hs_py_frame_local (frame, k, &local_name) : items[k - n_locals];

          if (held != NULL)
            hold_traceback_item (held, name);
        }
      if (function != NULL)
        hold_traceback_item (function, name);
    }
}

/* user_frames are this step's, outermost first; the first keep of them
 * are those of the last step and have not run since.  event: why the
 * innermost stopped; at a line, before the line's first instruction.
 * return_value: what the innermost returns, at a return, or NULL. */
void
hs_holders_begin_step (GPtrArray *user_frames,
                       guint      keep,
                       HsEvent    event,
                       PyObject  *main_globals,
                       PyObject  *return_value)
{
  gboolean codes_changed = FALSE;
  HsPyFrame *innermost;

  g_return_if_fail (user_frames != NULL);

  if (code_holdings == NULL)
    {
      code_holdings = g_hash_table_new_full (NULL, NULL, NULL, holding_free);
      stack_holdings = g_hash_table_new_full (NULL, NULL, NULL, holding_free);
      traceback_holdings = g_hash_table_new_full (NULL, NULL, NULL, holding_free);
      traceback_items = g_ptr_array_new ();
      frame_exceptions = g_array_new (FALSE, FALSE, sizeof (FrameException));
      roots = g_ptr_array_new ();
      root_uses = g_hash_table_new (NULL, NULL);
      codes_seen = g_ptr_array_new ();
      const_containers = g_array_new (FALSE, FALSE, sizeof (ConstContainer));
      container_set = g_hash_table_new (NULL, NULL);
      global_codes = g_ptr_array_new ();
      stack_items = g_ptr_array_new ();
      kept_frames = g_array_new (FALSE, FALSE, sizeof (KeptFrame));
      frame_items = g_ptr_array_new ();
      call_arguments = g_ptr_array_new ();
      iterator_holds = g_ptr_array_new ();
      stack_iterators = g_array_new (FALSE, FALSE, sizeof (StackIterator));
      line_positions = g_array_new (FALSE, TRUE, sizeof (LinePositions));
    }
  keep = MIN (keep, kept_frames->len);
  /* A frame returned at the last step: the one below it has run since,
   * though the frames match by address, and a frame called next can
   * take the returned one's (f(a) + f(b), [P(a), P(b)]) */
  if (returned_at > 0)
    keep = MIN (keep, returned_at - 1);
  returned_at = event == HS_EVENT_RETURN ? user_frames->len - 1 : 0;
  if (kept_iterators_changed (keep))
    keep = 0;
  innermost = user_frames->len > 0 ? g_ptr_array_index (user_frames, user_frames->len - 1) : NULL;
  step_serial++;

  /* the frames past those kept let go of what they held */
  while (kept_frames->len > keep)
    {
      KeptFrame last = g_array_index (kept_frames, KeptFrame, kept_frames->len - 1);

      for (guint k = last.hold_start; k < iterator_holds->len; k++)
        unhold_stack_item (iterator_holds->pdata[k], HS_EDGE_HELD_ITERATOR, last.name);
      g_ptr_array_set_size (iterator_holds, last.hold_start);
      g_array_set_size (stack_iterators, last.iterator_start);
      for (guint k = last.item_start; k < frame_items->len; k++)
        unhold_stack_item (g_ptr_array_index (frame_items, k), HS_EDGE_HELD_STACK, last.name);
      g_ptr_array_set_size (frame_items, last.item_start);
      if (last.function != NULL)
        unhold_stack_item (last.function, HS_EDGE_HELD_FRAME, last.name);
      if (last.finalized != NULL)
        unhold_stack_item (last.finalized, HS_EDGE_HELD_FINALIZER, last.name);
      g_array_set_size (frame_exceptions, last.exception_start);
      for (guint k = 0; k < last.call_holds; k++)
        {
          unhold_stack_item (last.instance, HS_EDGE_HELD_INIT, last.name);
          for (guint a = last.argument_start; a < call_arguments->len; a++)
            unhold_stack_item (g_ptr_array_index (call_arguments, a), HS_EDGE_HELD_INIT_ARGUMENTS, last.name);
        }
      g_ptr_array_set_size (call_arguments, last.argument_start);
      g_array_set_size (kept_frames, kept_frames->len - 1);
      count_root (last.code, -1);
    }

  /* the stacks of the running frames change at every step; they are short */
  for (guint i = keep; i < user_frames->len; i++)
    {
      HsPyFrame *frame = g_ptr_array_index (user_frames, i);
      PyCodeObject *code = hs_py_frame_code (frame);
      PyObject *function = hs_py_frame_function (frame);
      int n = 0;
      PyObject **items = hs_py_frame_stack (frame, &n);
      KeptFrame kept = {
        frame, code, code->co_qualname, function, NULL, 0, NULL, FALSE, frame_exceptions->len,
        frame_items->len, call_arguments->len, iterator_holds->len, stack_iterators->len,
      };
      ClassCall call;

      if (items == NULL && i + 1 < user_frames->len)
        items = stack_in_class_call (user_frames, i, &n, &call);
      if (items == NULL && i + 1 < user_frames->len)
        items = stack_in_c_call (user_frames, i, &n);
      if (items == NULL && i + 1 < user_frames->len)
        items = stack_in_operator (user_frames, i, &n);
      /* what hs_py_frame_finalized () asks: whether the frame is in no
       * Python call.  A store's stack, read next, is that of a frame in
       * a C call too: the store runs the __del__ it tells. */
      kept.stack_unread = items == NULL;
      if (items == NULL && i + 1 < user_frames->len)
        items = stack_in_store (user_frames, i, &n);
      /* The call of a class holds the object it made while __init__
       * runs, and its arguments: _PyObject_MakeTpCall() packs them in a
       * tuple, and the keywords' in a dict.  With keywords it holds them
       * all once more: _PyObject_Call_Prepend() passes the object and
       * every argument on in an array of new references
       * (_PyStack_UnpackDict()).  Only when the frame below called the
       * class, as its stack shows: C code can call an __init__ itself
       * (map (P.__init__, ps)), and holds the object its own way.
       * P(*args) and a class called from C stay "other". */
      if (i > 0)
        {
          int depth;
          PyObject **caller_items = stack_in_class_call (user_frames, i - 1, &depth, &call);

          if (caller_items != NULL)
            {
              kept.instance = call.instance;
              kept.call_holds = call.keywords ? 2 : 1;
              for (int k = 0; k < call.n_arguments; k++)
                if (caller_items[call.first_argument + k] != NULL)
                  g_ptr_array_add (call_arguments, caller_items[call.first_argument + k]);
            }
        }
      /* the frames below are in kept_frames already, read now or kept */
      if (i > 0)
        kept.finalized = hs_py_frame_finalized (frame, g_ptr_array_index (user_frames, i - 1),
                                                g_array_index (kept_frames, KeptFrame, i - 1).stack_unread);
      if (kept.finalized != NULL)
        hold_stack_item (kept.finalized, HS_EDGE_HELD_FINALIZER, code->co_qualname);
      for (int k = 0; k < hs_py_code_n_locals (code); k++)
        {
          PyObject *local_name;
          FrameException named = { frame, k, hs_py_frame_local (frame, k, &local_name) };

          if (named.exception != NULL && PyExceptionInstance_Check (named.exception))
            g_array_append_val (frame_exceptions, named);
        }
      if (event == HS_EVENT_LINE && i + 1 == user_frames->len)
        remember_line_position (i, frame, n);

      g_array_append_val (kept_frames, kept);
      codes_changed |= count_root (code, 1);
      /* the function a frame runs lives while the frame does, and does
       * not change: the frame holds it from call to return */
      if (function != NULL)
        hold_stack_item (function, HS_EDGE_HELD_FRAME, code->co_qualname);
      /* so does the call of a class the object __init__ sets up, and
       * its arguments: that frame cannot run again without being read
       * again */
      for (guint k = 0; k < kept.call_holds; k++)
        {
          hold_stack_item (kept.instance, HS_EDGE_HELD_INIT, code->co_qualname);
          for (guint a = kept.argument_start; a < call_arguments->len; a++)
            hold_stack_item (g_ptr_array_index (call_arguments, a), HS_EDGE_HELD_INIT_ARGUMENTS,
                             code->co_qualname);
        }
      for (int k = 0; k < n; k++)
        if (items[k] != NULL)
          {
            hold_stack_item (items[k], HS_EDGE_HELD_STACK, code->co_qualname);
            g_ptr_array_add (frame_items, items[k]);
          }
      hold_frame_iterators (items, n, code->co_qualname, innermost);
    }

  if (arena_state == ARENA_NOT_LOOKED && user_frames->len > 0)
    {
      PyCodeObject *module_code = hs_py_frame_code (g_ptr_array_index (user_frames, 0));

      /* one walk over the gc's objects, about 2 ms at the first step */
      arena_state = ARENA_LOOKED;
      /* a reference of its own, so that even a list found by mistake
       * cannot be freed under the step that reads it */
      arena_objects = hs_py_find_arena_objects (module_code);
      Py_XINCREF (arena_objects);
      arena_name = module_code->co_qualname;
    }
  if (arena_objects != NULL && PyList_GET_SIZE (arena_objects) != arena_length)
    build_arena_holdings ();
  if (update_globals (user_frames, main_globals))
    code_epoch++;
  if (arena_state == ARENA_ENDED)
    {
      arena_state = ARENA_GONE;
      arena_length = 0;
      if (arena_holdings != NULL)
        g_hash_table_remove_all (arena_holdings);
      code_epoch++;
    }
  codes_changed |= update_global_codes (main_globals);

  if (forget_idle_roots () || codes_changed)
    {
      g_hash_table_remove_all (code_holdings);
      code_epoch++;
      g_ptr_array_set_size (codes_seen, 0);
      for (guint i = 0; i < const_containers->len; i++)
        g_clear_pointer (&g_array_index (const_containers, ConstContainer, i).held, g_ptr_array_unref);
      g_array_set_size (const_containers, 0);
      g_hash_table_remove_all (container_set);
      for (guint i = 0; i < roots->len; i++)
        add_code (g_ptr_array_index (roots, i), NULL);
      /* found in the globals at this step: they may be gone by the next */
      for (guint i = 0; i < global_codes->len; i++)
        add_code (g_ptr_array_index (global_codes, i), g_ptr_array_index (global_codes, i));
    }
  if (update_const_containers (return_value))
    code_epoch++;
  update_traceback_holdings (main_globals);
}

/* Every table that holdings are read from changes only with code_epoch:
 * an object asked about at every step looks itself up once per epoch. */
static void
remember_holdings (HsEntry *entry)
{
  if (entry->holders_epoch == code_epoch)
    return;
  entry->holdings = g_hash_table_lookup (code_holdings, entry->obj);
  entry->arena_holdings = arena_objects != NULL ? g_hash_table_lookup (arena_holdings, entry->obj) : NULL;
  entry->global_holdings = global_holdings != NULL ? g_hash_table_lookup (global_holdings, entry->obj) : NULL;
  entry->holders_epoch = code_epoch;
}

/* Whether hs_holders_foreach() would report anything for entry: most
 * objects shown are held by no code object, no value stack, no
 * sys.modules and no arena, and this says so without a callback. */
gboolean
hs_holders_any (HsEntry *entry)
{
  PyObject *obj;

  g_return_val_if_fail (entry != NULL && entry->obj != NULL, TRUE);

  if (code_holdings == NULL)
    return FALSE;
  obj = entry->obj;
  remember_holdings (entry);
  if (entry->holdings != NULL || entry->arena_holdings != NULL || entry->global_holdings != NULL ||
      PyModule_CheckExact (obj) || (PyType_Check (obj) && PyType_HasFeature ((PyTypeObject *) obj, Py_TPFLAGS_HEAPTYPE)))
    return TRUE;
  if (PyDict_CheckExact (obj) && module_globals != NULL && g_hash_table_contains (module_globals, obj))
    return TRUE;
  if (obj == PyImport_GetModuleDict ())
    return TRUE;
  if (PyExceptionInstance_Check (obj) && hs_py_count_handled (obj) > 0)
    return TRUE;
  if (traceback_items->len > 0 && g_hash_table_contains (traceback_holdings, obj))
    return TRUE;
  if (stack_items->len > 16)
    return g_hash_table_contains (stack_holdings, obj);
  for (guint i = 0; i < stack_items->len; i++)
    if (stack_items->pdata[i] == (gpointer) obj)
      return TRUE;
  return FALSE;
}

static void
report (HsHolding    *first,
        HsHolderFunc  func,
        gpointer      user_data)
{
  for (HsHolding *h = first; h != NULL; h = h->next)
    func (h->kind, h->name, h->count, user_data);
}

/* Runs no Python code: a module's dict is a plain dict, read with
 * PyDict_Next(), and a built-in function's __self__ is a field. */
static guint
count_module_functions (PyObject *module,
                        PyObject *dict)
{
  g_autoptr(GHashTable) seen = NULL;
  FunctionCount *counted;
  PyObject *key, *value;
  Py_ssize_t pos = 0;

  if (function_counts == NULL)
    function_counts = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  counted = g_hash_table_lookup (function_counts, module);
  if (counted != NULL && counted->version == hs_py_dict_version (dict))
    return counted->count;
  if (counted == NULL)
    {
      counted = g_new0 (FunctionCount, 1);
      g_hash_table_insert (function_counts, module, counted);
    }
  seen = g_hash_table_new (NULL, NULL);
  while (PyDict_Next (dict, &pos, &key, &value))
    if (PyCFunction_Check (value) && PyCFunction_GET_SELF (value) == module)
      g_hash_table_add (seen, value);
  counted->version = hs_py_dict_version (dict);
  counted->count = g_hash_table_size (seen);
  return counted->count;
}

/* Whether obj is a descriptor that CPython made for an attribute of a
 * class (its __dict__, its __weakref__, a slot), which keeps the class as
 * d_type */
static gboolean
is_class_descriptor (PyObject     *obj,
                     PyTypeObject *type)
{
  return (Py_IS_TYPE (obj, &PyGetSetDescr_Type) || Py_IS_TYPE (obj, &PyMemberDescr_Type) ||
          Py_IS_TYPE (obj, &PyMethodDescr_Type) || Py_IS_TYPE (obj, &PyWrapperDescr_Type) ||
          Py_IS_TYPE (obj, &PyClassMethodDescr_Type)) &&
         PyDescr_TYPE (obj) == type;
}

/* How many times a tuple only its class holds (its __mro__, its
 * __bases__) holds obj */
static guint
count_in_own_tuple (PyObject *tuple,
                    PyObject *obj)
{
  guint count = 0;

  if (tuple != NULL && PyTuple_CheckExact (tuple) && Py_REFCNT (tuple) == 1)
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE (tuple); i++)
      count += PyTuple_GET_ITEM (tuple, i) == obj;
  return count;
}

/*
 * A class made by the program holds itself twice over: its __mro__
 * begins with it, and the descriptors of its __dict__ and __weakref__ (or
 * of its __slots__) keep it as d_type, so a fresh `class Point: pass`
 * reads a refcount of 4 with one name.  Only what nothing else holds is
 * counted: a __mro__ or a descriptor the program holds can be drawn, with
 * its arrow to the class.  Runs no Python code: a tuple's items, a plain
 * dict read with PyDict_Next() and a descriptor's field.
 */
static void
count_class_holdings (PyObject *obj,
                      guint    *in_mro,
                      guint    *in_descriptors)
{
  PyTypeObject *type = (PyTypeObject *) obj;
  PyObject *dict, *key, *value;
  Py_ssize_t pos = 0;

  g_assert (obj != NULL && in_mro != NULL && in_descriptors != NULL);

  *in_mro = *in_descriptors = 0;
  if (!PyType_Check (obj) || !PyType_HasFeature (type, Py_TPFLAGS_HEAPTYPE))
    return;
  *in_mro = count_in_own_tuple (type->tp_mro, obj);
  dict = type->tp_dict;
  if (dict != NULL && PyDict_CheckExact (dict) && Py_REFCNT (dict) == 1)
    while (PyDict_Next (dict, &pos, &key, &value))
      *in_descriptors += Py_REFCNT (value) == 1 && is_class_descriptor (value, type);
}

/*
 * The classes made from a class hold it: each one made from it directly
 * in __bases__ and as __base__, and each one below it, at any depth, in
 * its __mro__ (class C(B) with B(A): A is in C.__mro__), so `class
 * B(A): pass` reads 3 more on A.  Found through the weak references a
 * class keeps to its direct subclasses, each class once (a diamond
 * reaches one twice).  As for the class's own __mro__, a tuple something
 * else holds can be drawn, and is not counted.
 */
static guint
count_subclass_holdings (PyObject *obj)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  guint count = 0;

  hs_py_type_add_subclasses ((PyTypeObject *) obj, found);
  for (guint i = 0; i < found->len; i++)
    {
      PyTypeObject *sub = g_ptr_array_index (found, i);

      count += count_in_own_tuple (sub->tp_mro, obj);
      count += count_in_own_tuple (sub->tp_bases, obj);
      count += sub->tp_base == (PyTypeObject *) obj;
      hs_py_type_add_subclasses (sub, found);
    }
  return count;
}

/* Whether fn's closure holds cell */
static gboolean
closure_holds (PyObject *fn,
               PyObject *cell)
{
  PyObject *closure = PyFunction_GET_CLOSURE (fn);

  if (closure != NULL && PyTuple_CheckExact (closure))
    for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE (closure); j++)
      if (PyTuple_GET_ITEM (closure, j) == cell)
        return TRUE;
  return FALSE;
}

/* Whether slot i of code is the free variable __class__, which a frame
 * does not draw (a dunder).  Another cell that holds the class (a
 * method naming C, its class made inside a function) is a variable the
 * frame draws, with the cell's arrow. */
static gboolean
is_class_cell_slot (PyCodeObject *code,
                    int           i)
{
  PyObject *name = i >= 0 && i < hs_py_code_n_locals (code) ? hs_py_code_local_name (code, i) : NULL;

  return name != NULL && PyUnicode_Check (name) && PyUnicode_CompareWithASCIIString (name, "__class__") == 0;
}

/* The __class__ cell in the closure of a function of the class, holding
 * the class */
static PyObject *
find_class_cell (PyObject *dict,
                 PyObject *type)
{
  PyObject *value;
  Py_ssize_t pos = 0;

  while (PyDict_Next (dict, &pos, NULL, &value))
    {
      PyObject *closure = PyFunction_Check (value) ? PyFunction_GET_CLOSURE (value) : NULL;
      PyCodeObject *code = function_code (value);

      if (closure != NULL && PyTuple_CheckExact (closure) && code != NULL)
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE (closure); j++)
          {
            /* the local names end with the free variables, in closure order */
            PyObject *cell = PyTuple_GET_ITEM (closure, j);
            int slot = hs_py_code_n_locals (code) - (int) PyTuple_GET_SIZE (closure) + (int) j;

            if (PyCell_Check (cell) && PyCell_GET (cell) == type && is_class_cell_slot (code, slot))
              return cell;
          }
    }
  return NULL;
}

/*
 * A method that calls super() (or names __class__) is a closure over a
 * cell that the class statement fills with the class, one cell for all
 * such methods of the class: so a class that uses super() reads one
 * more.  The cell is drawn only through a function the program holds
 * (m = C.f draws its closure), so it is counted only when every
 * reference to it is accounted for by things never drawn: the closures
 * of the class's own functions, that nothing but the class and the
 * frames running them hold, and those frames' free variables (their
 * names are dunders, not drawn).  Anything else (a nested function, a
 * generator waiting in a method, a bound method) leaves it "other".
 * Runs no Python code: a plain dict read with PyDict_Next().
 */
static guint
count_class_cell (PyObject *obj)
{
  PyObject *dict = ((PyTypeObject *) obj)->tp_dict;
  PyObject *cell, *value;
  Py_ssize_t pos = 0, accounted = 0;

  if (dict == NULL || !PyDict_CheckExact (dict) || Py_REFCNT (dict) != 1 ||
      (cell = find_class_cell (dict, obj)) == NULL)
    return 0;
  while (PyDict_Next (dict, &pos, NULL, &value))
    if (PyFunction_Check (value) && closure_holds (value, cell))
      {
        if (Py_REFCNT (PyFunction_GET_CLOSURE (value)) != 1 ||
            Py_REFCNT (value) != 1 + frame_uses_of_function (value))
          return 0;
        accounted++;
      }
  for (guint k = 0; k < kept_frames->len; k++)
    {
      const KeptFrame *kept = &g_array_index (kept_frames, KeptFrame, k);

      if (kept->function != NULL && PyFunction_Check (kept->function) && closure_holds (kept->function, cell))
        for (int i = 0; i < hs_py_code_n_locals (kept->code); i++)
          {
            PyObject *name;

            accounted += hs_py_frame_local (kept->frame, i, &name) == cell && is_class_cell_slot (kept->code, i);
          }
    }
  return Py_REFCNT (cell) == accounted ? 1 : 0;
}

/* Every object is asked at every step, so what the code objects hold of
 * it is remembered on its entry until they change. */
void
hs_holders_foreach (HsEntry      *entry,
                    HsHolderFunc  func,
                    gpointer      user_data)
{
  PyObject *obj;

  g_return_if_fail (entry != NULL && entry->obj != NULL && func != NULL);

  if (code_holdings == NULL)
    return;
  obj = entry->obj;
  remember_holdings (entry);
  report (entry->holdings, func, user_data);
  if (stack_items->len > 16)
    report (g_hash_table_lookup (stack_holdings, obj), func, user_data);
  else
    for (guint i = 0; i < stack_items->len; i++)
      if (stack_items->pdata[i] == (gpointer) obj)
        report (g_hash_table_lookup (stack_holdings, obj), func, user_data);

  /* a module is held by sys.modules under its name; reading both runs no
   * Python code (str keys, plain dicts) */
  if (PyModule_CheckExact (obj))
    {
      PyObject *modules = PyImport_GetModuleDict ();
      PyObject *dict = PyModule_GetDict (obj);
      PyObject *name = dict != NULL && PyDict_CheckExact (dict) ? module_name (obj) : NULL;

      if (modules != NULL && PyDict_CheckExact (modules) && name != NULL &&
          PyDict_GetItemWithError (modules, name) == obj)
        func (HS_EDGE_HELD_MODULES, name, 1, user_data);
      PyErr_Clear ();
      if (name != NULL)
        {
          guint n_functions = count_module_functions (obj, dict);
          guint n_indexed = hs_py_count_module_index (obj);

          if (n_functions > 0)
            func (HS_EDGE_HELD_FUNCTIONS, name, n_functions, user_data);
          if (n_indexed > 0)
            func (HS_EDGE_HELD_MODULE_INDEX, NULL, n_indexed, user_data);
        }
    }
  if (PyType_Check (obj))
    {
      PyObject *name = ((PyTypeObject *) obj)->tp_flags & Py_TPFLAGS_HEAPTYPE ?
                       ((PyHeapTypeObject *) obj)->ht_qualname : NULL;
      guint in_mro, in_descriptors;

      count_class_holdings (obj, &in_mro, &in_descriptors);
      if (name != NULL && in_mro > 0)
        func (HS_EDGE_HELD_MRO, name, in_mro, user_data);
      if (name != NULL && in_descriptors > 0)
        func (HS_EDGE_HELD_DESCRIPTORS, name, in_descriptors, user_data);
      if (name != NULL)
        {
          guint in_subclasses = count_subclass_holdings (obj);

          if (in_subclasses > 0)
            func (HS_EDGE_HELD_SUBCLASSES, name, in_subclasses, user_data);
          if (count_class_cell (obj) > 0)
            func (HS_EDGE_HELD_CLASS_CELL, name, 1, user_data);
        }
      if (name != NULL)
        {
          guint n_instances;

          if (instance_counts == NULL)
            instance_counts = g_hash_table_new (NULL, NULL);
          if (instance_step != step_serial)
            {
              if (hs_py_count_instances (instance_counts, MAX_INSTANCE_WALK) && hs_py_gc_collecting ())
                count_garbage_instances ();
              instance_step = step_serial;
            }
          n_instances = GPOINTER_TO_UINT (g_hash_table_lookup (instance_counts, obj));
          if (n_instances > 0)
            func (HS_EDGE_HELD_INSTANCES, name, n_instances, user_data);
        }
    }
  /* remembered this epoch, and the table changes only with the epoch;
   * an arena that has ended holds nothing */
  if (arena_objects != NULL)
    report (entry->arena_holdings, func, user_data);
  report (entry->global_holdings, func, user_data);
  /* a module's dict, drawn: its module holds it, and says whose it is */
  if (PyDict_CheckExact (obj) && module_globals != NULL)
    {
      ModuleGlobals *m = g_hash_table_lookup (module_globals, obj);

      if (m != NULL && m->name != NULL)
        func (HS_EDGE_HELD_DICT, m->name, 1, user_data);
    }
  /* sys.modules: the interpreter keeps it (interp->modules in 3.11,
   * interp->imports.modules after), besides sys's global "modules" */
  if (obj == PyImport_GetModuleDict ())
    func (HS_EDGE_HELD_INTERPRETER, NULL, 1, user_data);
  if (PyExceptionInstance_Check (obj))
    {
      guint handled = hs_py_count_handled (obj);

      if (handled > 0)
        func (HS_EDGE_HELD_EXCEPTION, NULL, handled, user_data);
    }
  if (traceback_items->len > 0)
    report (g_hash_table_lookup (traceback_holdings, obj), func, user_data);
}

/* Whether obj is the object that a call of its class made and holds
 * while the __init__ it runs has not returned (held-init) */
gboolean
hs_holders_is_being_made (PyObject *obj)
{
  g_return_val_if_fail (obj != NULL, FALSE);

  for (guint i = 0; kept_frames != NULL && i < kept_frames->len; i++)
    {
      const KeptFrame *k = &g_array_index (kept_frames, KeptFrame, i);

      if (k->call_holds > 0 && k->instance == obj)
        return TRUE;
    }
  return FALSE;
}

/* What the value stacks of the user's frames hold now, each object once
 * (NULL before the first step). */
const GPtrArray *
hs_holders_get_stack_items (void)
{
  return stack_items;
}

/* What the finished frames that tracebacks keep hold now, each object
 * once (NULL before the first step). */
const GPtrArray *
hs_holders_get_traceback_items (void)
{
  return traceback_items;
}

/* Changes whenever what the code objects hold may have changed. */
guint32
hs_holders_get_code_epoch (void)
{
  return code_epoch;
}
