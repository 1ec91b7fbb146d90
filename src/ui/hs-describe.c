/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-describe"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hs-describe.h"

/* Static (3.11) and immortal (3.12 on) objects carry a refcount that
 * tells nothing about references. */
#define IMMORTAL_REFCOUNT_FLOOR 1000000000

/* 11 from "3.11.2"; 0 when the version is not known. */
static guint
python_minor (const char *version)
{
  if (version == NULL || !g_str_has_prefix (version, "3."))
    return 0;
  return (guint) g_ascii_strtoull (version + 2, NULL, 10);
}

/* The runtime flags 3.11's statically allocated objects, whose count
 * starts at 999,999,999 and still moves, as HS_OBJECT_IMMORTAL too; but
 * 3.11 has no immortality: PEP 683 came in 3.12. */
static gboolean
is_static_version (const char *python_version)
{
  return python_minor (python_version) == 11;
}

/* What an object flagged HS_OBJECT_IMMORTAL is called in that version */
static const char *
immortal_word (const char *python_version)
{
  if (is_static_version (python_version))
    /* Translators: an object Python 3.11 allocates statically, among "mutable · interned · ..." */
    return _("static");
  return _("immortal");
}

char *
hs_describe_flags (const char *python_version,
                   guint32     flags)
{
  g_autoptr(GPtrArray) facts = g_ptr_array_new_with_free_func (g_free);
  int generation = HS_OBJECT_GENERATION (flags);

  g_ptr_array_add (facts, g_strdup ((flags & HS_OBJECT_MUTABLE) ? _("mutable") : _("immutable")));
  if (flags & HS_OBJECT_SMALL_INT)
    g_ptr_array_add (facts, g_strdup (_("cached small int")));
  if (flags & HS_OBJECT_INTERNED)
    g_ptr_array_add (facts, g_strdup (_("interned")));
  if (flags & HS_OBJECT_IMMORTAL)
    g_ptr_array_add (facts, g_strdup (immortal_word (python_version)));
  if ((flags & HS_OBJECT_GC_TRACKED) && generation != HS_OBJECT_NO_GENERATION)
    g_ptr_array_add (facts, g_strdup_printf (_("tracked by gc (generation %d)"), generation));
  else if (flags & HS_OBJECT_COLLECTING)
    g_ptr_array_add (facts, g_strdup (_("being collected by gc")));
  else if (flags & HS_OBJECT_GC_TRACKED)
    g_ptr_array_add (facts, g_strdup (_("tracked by gc")));
  else
    g_ptr_array_add (facts, g_strdup (_("not tracked by gc")));
  if (!(flags & HS_OBJECT_REACHABLE))
    g_ptr_array_add (facts, g_strdup (_("unreachable")));
  g_ptr_array_add (facts, NULL);

  return g_strjoinv (" · ", (char **) facts->pdata);
}

char *
hs_describe_size (const HsObject *object)
{
  g_autofree char *n = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  if (object->size < 0 || !(object->flags & HS_OBJECT_SIZE_KNOWN))
    return g_strdup (_("unknown"));
  n = hs_format_count (object->size);
  /* Translators: %s is a number of bytes, e.g. 1,048 */
  return g_strdup_printf (ngettext ("%s byte", "%s bytes", (gulong) object->size), n);
}

/* A dict entry's key by the repr the runtime recorded, for an edge of
 * the entry (whose label is its position); else the position */
static const char *
entry_key (HsSnapshot     *snapshot,
           const HsObject *dict,
           const HsEdge   *edge)
{
  const HsObject *key = NULL;

  g_assert (snapshot != NULL && dict != NULL && edge != NULL);

  if (edge->kind == HS_EDGE_KEY)
    key = hs_snapshot_lookup (snapshot, edge->target);
  for (guint i = 0; key == NULL && i < dict->n_edges; i++)
    if (dict->edges[i].kind == HS_EDGE_KEY && g_strcmp0 (dict->edges[i].label, edge->label) == 0)
      key = hs_snapshot_lookup (snapshot, dict->edges[i].target);
  return key != NULL && key->repr != NULL ? key->repr : edge->label;
}

/* "a[0]", "d['k']", "d, key 'k'", "p.name", "f (closure)": a reference
 * by the slot that holds it, in the container object named by
 * container. */
static char *
slot_name (HsSnapshot     *snapshot,
           const HsObject *object,
           const char     *container,
           const HsEdge   *edge)
{
  g_assert (snapshot != NULL && object != NULL && container != NULL && edge != NULL);

  switch (edge->kind)
    {
    case HS_EDGE_ITEM:
    case HS_EDGE_VALUE:
    case HS_EDGE_ATTR:
      {
        GString *s = g_string_new (container);

        hs_format_slot (s, edge->kind, edge->label, entry_key (snapshot, object, edge));
        return g_string_free (s, FALSE);
      }
    case HS_EDGE_KEY:
      /* Translators: a dict (named by %s) holds the object as one of its keys */
      return g_strdup_printf (_("%s, key %s"), container, entry_key (snapshot, object, edge));
    case HS_EDGE_LOCAL:
      /* Translators: a suspended generator (named by the first %s) holds
       * the object in its local variable named by the second %s */
      return g_strdup_printf (_("%s, local variable %s"), container, edge->label);
    case HS_EDGE_STACK:
      /* Translators: a suspended generator (named by %s) holds the object on
       * the value stack of its frame, as the iterator of a for loop */
      return g_strdup_printf (_("%s, on its value stack"), container);
    case HS_EDGE_ITERABLE:
      /* Translators: an iterator (named by %s) holds the object it iterates over */
      return g_strdup_printf (_("%s, the iterator over it"), container);
    case HS_EDGE_RESULT:
      /* Translators: zip (), enumerate () or a dict's items iterator (named
       * by %s) keeps the tuple it returned last, to fill it again */
      return g_strdup_printf (_("%s, the result tuple it reuses"), container);
    case HS_EDGE_MAPPING:
      /* Translators: a view such as d.keys () (named by %s) holds the dict
       * it shows */
      return g_strdup_printf (_("%s, the dict it is a view of"), container);
    case HS_EDGE_MEMBER:
    case HS_EDGE_CLOSURE:
    case HS_EDGE_CONTENTS:
    case HS_EDGE_DEFAULT:
    case HS_EDGE_SELF:
    case HS_EDGE_FUNC:
    case HS_EDGE_BUFFER:
    case HS_EDGE_EXPORTER:
    case HS_EDGE_HELD_CONSTANT:
    case HS_EDGE_HELD_NAME:
    case HS_EDGE_HELD_STACK:
    case HS_EDGE_HELD_MODULES:
    case HS_EDGE_HELD_ARENA:
    case HS_EDGE_HELD_FUNCTIONS:
    case HS_EDGE_HELD_GLOBAL:
    case HS_EDGE_HELD_DICT:
    case HS_EDGE_HELD_FRAME:
    case HS_EDGE_HELD_MRO:
    case HS_EDGE_HELD_DESCRIPTORS:
    case HS_EDGE_HELD_INSTANCES:
    case HS_EDGE_HELD_INTERPRETER:
    case HS_EDGE_HELD_MODULE_COPY:
    case HS_EDGE_HELD_ITERATOR:
    case HS_EDGE_HELD_INIT:
    case HS_EDGE_HELD_SUBCLASSES:
    case HS_EDGE_HELD_INIT_ARGUMENTS:
    case HS_EDGE_HELD_CLASS_CELL:
    case HS_EDGE_HELD_CLASS_DICT:
    case HS_EDGE_HELD_DEFAULTS:
    case HS_EDGE_HELD_EXCEPTION:
    case HS_EDGE_HELD_TRACEBACK:
    case HS_EDGE_HELD_FINALIZER:
    case HS_EDGE_HELD_MODULE_INDEX:
    case HS_N_EDGE_KINDS:
    default:
      return g_strdup_printf ("%s (%s)", container, hs_edge_kind_to_string (edge->kind));
    }
}

/* How a container is named to a learner: by the shortest path a program
 * could spell from a name to it, "a", "a[0]", "p.items" (the paths
 * below), else by its type and the end of its id(), so that two lists
 * differ. */
static char *
container_name (HsSnapshot     *snapshot,
                const HsObject *object)
{
  g_autoptr(HsObjectPaths) paths = NULL;

  g_assert (snapshot != NULL && object != NULL);

  paths = hs_describe_paths (snapshot, object->ref, 1, 3);
  if (paths->paths->len > 0)
    return g_strdup (((HsObjectPath *) g_ptr_array_index (paths->paths, 0))->text);
  return g_strdup_printf ("%s …%03" G_GINT64_MODIFIER "x", object->type, object->id & 0xfff);
}

static void
object_path_free (gpointer data)
{
  HsObjectPath *path = data;

  g_free (path->text);
  g_free (path->refs);
  g_free (path);
}

void
hs_object_paths_free (HsObjectPaths *paths)
{
  if (paths == NULL)
    return;
  g_ptr_array_unref (paths->paths);
  g_free (paths);
}

/* One step of the walk back from the object: ref is reached from the
 * object by the slots in suffix; parent is the step it came from */
typedef struct
{
  guint32  ref;
  guint    depth;
  guint    parent;
  char    *suffix;
} PathStep;

static void
path_step_clear (gpointer data)
{
  g_free (((PathStep *) data)->suffix);
}

static gboolean
on_path (GArray  *steps,
         guint    at,
         guint32  ref)
{
  for (guint i = at; ; i = g_array_index (steps, PathStep, i).parent)
    {
      if (g_array_index (steps, PathStep, i).ref == ref)
        return TRUE;
      if (i == 0)
        return FALSE;
    }
}

/* Every way from a live name to ref that a program could spell, by
 * walking back over the slots that hold it (list items, dict values by
 * their key, attributes, a cell's contents) breadth first, so shortest
 * first.  Bounded: max_paths paths, max_depth slots, and a fixed number
 * of steps of the walk; "more" says it was cut. */
#define PATH_WALK_STEPS 20000

HsObjectPaths *
hs_describe_paths (HsSnapshot *snapshot,
                   guint32     ref,
                   guint       max_paths,
                   guint       max_depth)
{
  g_autoptr(GHashTable) held_by = NULL;
  g_autoptr(GArray) steps = NULL;
  const HsObject *objects;
  const HsFrame *frames;
  guint n_objects, n_frames;
  HsObjectPaths *paths;

  g_return_val_if_fail (snapshot != NULL, NULL);

  paths = g_new0 (HsObjectPaths, 1);
  paths->paths = g_ptr_array_new_with_free_func (object_path_free);
  if (hs_snapshot_lookup (snapshot, ref) == NULL)
    return paths;

  /* who holds what by a slot a program can spell: target -> (object, edge) */
  held_by = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  objects = hs_snapshot_get_objects (snapshot, &n_objects);
  for (guint i = 0; i < n_objects; i++)
    for (guint j = 0; j < objects[i].n_edges; j++)
      {
        const HsEdge *edge = &objects[i].edges[j];
        GArray *list;
        guint pair[2] = { i, j };

        if (edge->kind != HS_EDGE_ITEM && edge->kind != HS_EDGE_VALUE &&
            edge->kind != HS_EDGE_ATTR && edge->kind != HS_EDGE_CONTENTS)
          continue;
        if (!(list = g_hash_table_lookup (held_by, GUINT_TO_POINTER (edge->target))))
          {
            list = g_array_new (FALSE, FALSE, sizeof pair);
            g_hash_table_insert (held_by, GUINT_TO_POINTER (edge->target), list);
          }
        g_array_append_val (list, pair);
      }

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  steps = g_array_new (FALSE, FALSE, sizeof (PathStep));
  g_array_set_clear_func (steps, path_step_clear);
  g_array_append_val (steps, ((PathStep) { ref, 0, 0, g_strdup ("") }));

  for (guint at = 0; at < steps->len; at++)
    {
      PathStep step = g_array_index (steps, PathStep, at);
      GArray *holders;

      /* the names bound to it, the innermost frame's first */
      for (guint i = n_frames; i > 0; i--)
        for (guint j = 0; j < frames[i - 1].n_vars; j++)
          if (frames[i - 1].vars[j].ref == step.ref)
            {
              HsObjectPath *path;

              if (paths->paths->len == max_paths)
                {
                  paths->more = TRUE;
                  return paths;
                }
              path = g_new0 (HsObjectPath, 1);
              path->text = g_strconcat (frames[i - 1].vars[j].name, step.suffix, NULL);
              path->function = frames[i - 1].function;
              path->frame = i - 1;
              path->n_refs = step.depth + 1;
              path->refs = g_new (guint32, path->n_refs);
              for (guint k = at, n = 0; n < path->n_refs; k = g_array_index (steps, PathStep, k).parent, n++)
                path->refs[n] = g_array_index (steps, PathStep, k).ref;
              g_ptr_array_add (paths->paths, path);
            }

      holders = g_hash_table_lookup (held_by, GUINT_TO_POINTER (step.ref));
      for (guint h = 0; holders != NULL && h < holders->len; h++)
        {
          const guint *pair = &g_array_index (holders, guint, 2 * h);
          const HsObject *owner = &objects[pair[0]];
          const HsEdge *edge = &owner->edges[pair[1]];
          GString *suffix;

          if (on_path (steps, at, owner->ref))
            continue;
          if (step.depth == max_depth || steps->len == PATH_WALK_STEPS)
            {
              paths->more = TRUE;
              break;
            }
          suffix = g_string_new (NULL);
          hs_format_slot (suffix, edge->kind, edge->label, entry_key (snapshot, owner, edge));
          g_string_append (suffix, step.suffix);
          g_array_append_val (steps, ((PathStep) { owner->ref, step.depth + 1, at, g_string_free (suffix, FALSE) }));
        }
    }
  return paths;
}

/* Who holds a reference to ref: variables by name, objects by the name
 * of the container and the slot that holds it. */
GPtrArray *
hs_describe_referrers (HsSnapshot *snapshot,
                       guint32     ref)
{
  g_autoptr(GPtrArray) referrers = g_ptr_array_new_with_free_func (g_free);
  const HsFrame *frames;
  const HsObject *objects;
  guint n_frames, n_objects;

  g_return_val_if_fail (snapshot != NULL, NULL);

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  for (guint i = 0; i < n_frames; i++)
    for (guint j = 0; j < frames[i].n_vars; j++)
      if (frames[i].vars[j].ref == ref)
        {
          if (n_frames > 1)
            g_ptr_array_add (referrers, g_strdup_printf ("%s (%s)", frames[i].vars[j].name,
                                                         frames[i].function));
          else
            g_ptr_array_add (referrers, g_strdup (frames[i].vars[j].name));
        }

  objects = hs_snapshot_get_objects (snapshot, &n_objects);
  for (guint i = 0; i < n_objects; i++)
    {
      g_autofree char *container = NULL;

      for (guint j = 0; j < objects[i].n_edges; j++)
        {
          const HsEdge *edge = &objects[i].edges[j];

          if (edge->target != ref)
            continue;
          if (container == NULL)
            container = container_name (snapshot, &objects[i]);
          g_ptr_array_add (referrers, slot_name (snapshot, &objects[i], container, edge));
        }
    }

  return g_steal_pointer (&referrers);
}

void
hs_refcount_breakdown_free (HsRefcountBreakdown *breakdown)
{
  if (breakdown == NULL)
    return;
  g_clear_pointer (&breakdown->drawn, g_ptr_array_unref);
  g_clear_pointer (&breakdown->named, g_ptr_array_unref);
  g_clear_pointer (&breakdown->named_counts, g_array_unref);
  g_free (breakdown);
}

static char *
describe_holder (const HsHiddenRef *hidden)
{
  g_assert (hidden != NULL && HS_EDGE_KIND_IS_HELD (hidden->kind));

  if (hidden->kind == HS_EDGE_HELD_CONSTANT)
    /* Translators: %s names a function, or <module> for the script itself */
    return g_strdup_printf (_("a constant of the code of %s"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_NAME)
    /* Translators: %s names a function, or <module> for the script itself */
    return g_strdup_printf (_("a name in the code of %s"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_STACK)
    /* Translators: %s names a function, or <module>; the value stack holds
     * values being computed, an iterator of a for loop, arguments being passed */
    return g_strdup_printf (_("the value stack of %s"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_ARENA)
    /* Translators: CPython's parser keeps what it read of the script in an
     * arena, which it frees only when the script ends */
    return g_strdup (_("the parser's arena, until the script ends"));
  if (hidden->kind == HS_EDGE_HELD_FUNCTIONS)
    /* Translators: %s is a module's name, "math"; each of its built-in
     * functions (math.sqrt) holds the module as its __self__ */
    return g_strdup_printf (_("the built-in functions of %s (their __self__)"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_GLOBAL)
    /* Translators: %s is an imported module's name, "math"; its dict holds
     * the object as the value of one of its globals, or as a global's name */
    return g_strdup_printf (_("the globals of the module %s"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_DICT)
    /* Translators: %s is a module's name; the module keeps its globals in
     * this dict */
    return g_strdup_printf (_("the module %s, as its __dict__"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_FRAME)
    /* Translators: %s names a function; while it runs, its frame holds
     * the function object it runs */
    return g_strdup_printf (_("the running frame of %s (the function it runs)"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_MRO)
    /* Translators: %s names a class; its __mro__ tuple begins with the
     * class itself */
    return g_strdup_printf (_("the __mro__ of %s, which begins with the class itself"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_DESCRIPTORS)
    /* Translators: %s names a class; CPython made descriptors for its
     * __dict__ and __weakref__ attributes (or its __slots__), and each
     * keeps the class */
    return g_strdup_printf (_("the attribute descriptors in the __dict__ of %s (__dict__, __weakref__ or __slots__)"),
                            hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_INSTANCES)
    /* Translators: %s names a class; each object of the class holds its
     * class, as __class__ */
    return g_strdup_printf (_("the instances of %s (each holds its class as __class__)"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_INTERPRETER)
    /* Translators: the interpreter keeps its own reference to the dict of
     * imported modules, besides the name "modules" in the sys module */
    return g_strdup (_("the interpreter, which keeps sys.modules"));
  if (hidden->kind == HS_EDGE_HELD_MODULE_COPY)
    /* Translators: %s is a module's name, "sys" or "builtins"; CPython
     * copied its dict when the module was first set up, to set it up
     * again later */
    return g_strdup_printf (_("the copies CPython keeps of the dict of %s"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_ITERATOR)
    /* Translators: %s names a function, or <module>; a for loop keeps the
     * iterator it runs on the value stack, and the iterator holds what it
     * iterates over */
    return g_strdup_printf (_("an iterator on the value stack of %s"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_INIT)
    /* Translators: %s names a class's __init__, "Point.__init__"; calling
     * the class made the object, and the call holds it until __init__
     * returns, then hands it to the caller */
    return g_strdup_printf (_("the call of its class, which made it and holds it until %s returns"),
                            hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_SUBCLASSES)
    /* Translators: %s names a class; each class made from it keeps it in
     * __bases__ and __base__, and each class below it in __mro__ */
    return g_strdup_printf (_("the subclasses of %s (their __bases__, __base__ and __mro__)"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_INIT_ARGUMENTS)
    /* Translators: %s names a class's __init__, "Point.__init__"; calling
     * the class packed its arguments in a tuple (keyword arguments in a
     * dict) to pass them to __init__, and holds them until it returns */
    return g_strdup_printf (_("the call of a class, which passes it to %s as an argument"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_CLASS_CELL)
    /* Translators: %s names a class; its methods that call super() share
     * a cell, __class__, that holds the class */
    return g_strdup_printf (_("the __class__ cell of the methods of %s, which super() reads"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_CLASS_DICT)
    /* Translators: %s names a class; it keeps its attributes and methods
     * in its __dict__, which every instance shares */
    return g_strdup_printf (_("the __dict__ of the class %s, as a class attribute"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_DEFAULTS)
    /* Translators: %s names a function or a method, "Dog.add_trick";
     * def made its default values once and keeps them in __defaults__ */
    return g_strdup_printf (_("the default values of %s (its __defaults__)"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_EXCEPTION)
    /* Translators: an except or finally block is running, and Python
     * keeps the exception it handles for sys.exception() */
    return g_strdup (_("the exception being handled (sys.exception())"));
  if (hidden->kind == HS_EDGE_HELD_TRACEBACK)
    /* Translators: %s names a function whose call has ended; an exception
     * raised through it keeps its frame, with its variables, in the
     * exception's __traceback__ */
    return g_strdup_printf (_("the finished frame of %s, which an exception's __traceback__ keeps"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_FINALIZER)
    /* Translators: %s names a __del__ method, "Node.__del__"; its last
     * reference went, or the gc collects it, and CPython keeps it alive
     * with a reference of its own while __del__ runs */
    return g_strdup_printf (_("CPython's call of %s, which keeps it alive until it returns"), hidden->holder);
  if (hidden->kind == HS_EDGE_HELD_MODULE_INDEX)
    /* Translators: the interpreter keeps the modules set up the old way
     * (sys, builtins) in a list, where their C code finds them again */
    return g_strdup (_("the interpreter's module index (PyState_FindModule())"));
  return g_strdup_printf ("sys.modules['%s']", hidden->holder);
}

static void
add_named (HsRefcountBreakdown *breakdown,
           char                *text,
           guint                count)
{
  g_assert (breakdown != NULL && text != NULL);

  g_ptr_array_add (breakdown->named, text);
  g_array_append_val (breakdown->named_counts, count);
  breakdown->n_named += count;
}

/* The drawn references are exactly the arrows the graph draws to the
 * object (variables, container slots, the return value); the named ones
 * are what the runtime found holding it unseen (code constants and names,
 * value stacks, sys.modules); the rest is "other internal references". */
HsRefcountBreakdown *
hs_describe_refcount_breakdown (HsSnapshot *snapshot,
                                guint32     ref)
{
  g_autoptr(HsRefcountBreakdown) breakdown = NULL;
  const HsObject *object;
  const HsHiddenRef *hidden;
  const HsFrame *frames;
  guint n_hidden, n_frames;

  g_return_val_if_fail (snapshot != NULL, NULL);

  if (!(object = hs_snapshot_lookup (snapshot, ref)))
    return NULL;

  breakdown = g_new0 (HsRefcountBreakdown, 1);
  breakdown->refcount = object->refcount;
  breakdown->immortal = (object->flags & HS_OBJECT_IMMORTAL) || object->refcount >= IMMORTAL_REFCOUNT_FLOOR;
  breakdown->drawn = hs_describe_referrers (snapshot, ref);
  breakdown->named = g_ptr_array_new_with_free_func (g_free);
  breakdown->named_counts = g_array_new (FALSE, FALSE, sizeof (guint));

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  if (hs_snapshot_get_return_ref (snapshot) == ref && n_frames > 0)
    {
      const char *function = frames[n_frames - 1].function;

      if (hs_snapshot_get_yielded (snapshot))
        /* Translators: the arrow from a generator frame's "yielded value"
         * row; %s is the generator's function */
        g_ptr_array_add (breakdown->drawn, g_strdup_printf (_("value yielded by %s"), function));
      else if (!hs_snapshot_get_return_borrowed (snapshot))
        /* Translators: the arrow from a frame's "return value" row; %s is the function */
        g_ptr_array_add (breakdown->drawn, g_strdup_printf (_("return value of %s"), function));
      else
        /* the arrow is drawn, but CPython takes its reference only after
         * the return event: a row that counts 0 says so, and the sum
         * still holds */
        add_named (breakdown,
                   /* Translators: %s is the function; its "return value" row points at a constant */
                   g_strdup_printf (_("return value of %s, which takes its reference as the return completes"),
                                    function),
                   0);
    }

  hidden = hs_snapshot_get_hidden_refs (snapshot, &n_hidden);
  for (guint i = 0; i < n_hidden; i++)
    if (hidden[i].target == ref)
      add_named (breakdown, describe_holder (&hidden[i]), hidden[i].count);
  if (hs_snapshot_get_return_ref (snapshot) == ref && n_frames == 0)
    add_named (breakdown, g_strdup (_("the value being returned")), 1);

  breakdown->other = object->refcount - (gint64) breakdown->drawn->len - breakdown->n_named;
  return g_steal_pointer (&breakdown);
}

static gboolean
is_singleton (const HsObject *object)
{
  g_assert (object != NULL);

  return g_strcmp0 (object->type, "NoneType") == 0 || g_strcmp0 (object->type, "bool") == 0;
}

char *
hs_describe_refcount_rule (const char     *python_version,
                           const HsObject *object)
{
  guint minor = python_minor (python_version);
  g_autofree char *count = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  if (minor == 0)
    return NULL;
  count = hs_format_count (object->refcount);

  if (minor == 11)
    {
      if ((object->flags & HS_OBJECT_IMMORTAL) || object->refcount >= IMMORTAL_REFCOUNT_FLOOR)
        /* Translators: %s is the object's refcount, e.g. 1,000,000,299 */
        return g_strdup_printf (_("Python 3.11 allocates this object statically and starts its refcount at "
                                  "999,999,999 so that it is never freed. The count still moves with every "
                                  "reference taken or dropped, so %s is that start plus what the program and "
                                  "the interpreter hold now; it does not count references. From 3.12 on such "
                                  "objects are immortal and their count stays at 4,294,967,295."), count);
      if (is_singleton (object))
        /* Translators: %s is the object's refcount */
        return g_strdup_printf (_("In Python 3.11 None, True and False are counted like any object: all %s "
                                  "references exist, most of them inside the interpreter and the standard "
                                  "library. From 3.12 on they are immortal."), count);
      return NULL;
    }

  if (object->flags & HS_OBJECT_IMMORTAL)
    {
      g_autofree char *rule = NULL;

      /* Translators: %u.%u is the Python version, e.g. 3.12; %s the refcount */
      rule = g_strdup_printf (_("Python %u.%u makes this object immortal (PEP 683): its refcount is set to %s "
                                "once and never changes as references come and go, so it counts nothing; "
                                "sys.getrefcount() reports that same number."), 3, minor, count);
      if (minor == 12)
        return g_strconcat (rule, " ", _("Small ints, None, True, False, the empty tuple and every interned "
                                         "string are immortal in 3.12."), NULL);
      return g_strconcat (rule, " ", _("Small ints, None, True, False, the empty tuple and the strings the "
                                       "interpreter itself interns are immortal; since 3.13 strings interned "
                                       "at run time are counted again."), NULL);
    }
  if (minor >= 13 && (object->flags & HS_OBJECT_INTERNED))
    return g_strdup (_("This string is interned but counted: Python 3.12 made every interned string "
                       "immortal, 3.13 counts those interned at run time (sys.intern(), names and "
                       "literals in the program) like any object again."));
  return NULL;
}

/* One sentence for the badge of flag (one of HS_OBJECT_SMALL_INT,
 * _INTERNED, _IMMORTAL, _GC_TRACKED) on an object with these flags, true
 * of the interpreter that ran (python_version, "3.11.2"). */
char *
hs_describe_flag_tooltip (const char *python_version,
                          guint32     flags,
                          guint32     flag)
{
  guint minor = python_minor (python_version);
  int generation = HS_OBJECT_GENERATION (flags);

  switch (flag)
    {
    case HS_OBJECT_SMALL_INT:
      return g_strdup (_("CPython creates the ints from -5 to 256 once at startup and every use shares them."));
    case HS_OBJECT_INTERNED:
      return g_strdup (_("This string is interned: CPython keeps one copy and every equal interned string is this object."));
    case HS_OBJECT_IMMORTAL:
      if (minor == 11)
        return g_strdup (_("Python 3.11 allocates this object statically, with a refcount that starts at "
                           "999,999,999 so that it is never freed."));
      if (minor >= 12)
        /* Translators: %u.%u is the Python version, e.g. 3.12 */
        return g_strdup_printf (_("Python %u.%u makes this object immortal (PEP 683): it lives as long as the "
                                  "interpreter, and its refcount never changes."), 3, minor);
      return g_strdup (_("This object is static or immortal: it lives as long as the interpreter, whatever its reference count says."));
    case HS_OBJECT_GC_TRACKED:
      if (flags & HS_OBJECT_COLLECTING)
        return g_strdup (_("The cycle collector found this object unreachable and holds it in a list of its own, "
                           "in none of its generations, while it runs __del__ methods and weak reference "
                           "callbacks; then it frees what is still unreachable."));
      if (generation != HS_OBJECT_NO_GENERATION)
        /* Translators: %d is the generation, 0 (the youngest), 1 or 2 */
        return g_strdup_printf (_("The cycle collector tracks this object in generation %d of 0 to 2: it checks "
                                  "younger generations more often, and moves what survives a collection to an "
                                  "older one."), generation);
      return g_strdup (_("The cycle collector tracks this object; younger generations are checked more often, and survivors move to older ones."));
    default:
      return NULL;
    }
}

/* "an int object", "a list object": the article follows the sound of
 * the type's name, which for Python's types is its first letter. */
const char *
hs_describe_diff_kind (HsTraceDiffKind  kind,
                       const char      *flagged_version)
{
  switch (kind)
    {
    case HS_TRACE_DIFF_STEP: return _("step");
    case HS_TRACE_DIFF_MISSING: return _("name");
    case HS_TRACE_DIFF_VALUE: return _("value");
    case HS_TRACE_DIFF_REFCOUNT: return _("refcount");
    case HS_TRACE_DIFF_IMMORTAL: return immortal_word (flagged_version);
    case HS_TRACE_DIFF_CACHED: return _("cache");
    case HS_TRACE_DIFF_IDENTITY: return _("identity");
    case HS_TRACE_DIFF_FREED: return _("freed");
    case HS_TRACE_DIFF_OUTPUT: return _("output");
    default: return "";
    }
}

char *
hs_describe_a_type (const char *type)
{
  g_return_val_if_fail (type != NULL, NULL);

  if (strchr ("aeiouAEIOU", type[0]) != NULL && type[0] != '\0')
    /* Translators: an object of a type whose name starts with a vowel, e.g. "An int object" */
    return g_strdup_printf (_("An %s object"), type);
  /* Translators: an object of a type, e.g. "A list object" */
  return g_strdup_printf (_("A %s object"), type);
}

/* One line for the graph's tooltip, in the inspector's words. */
static char *
describe_refcount (HsSnapshot *snapshot,
                   guint32     ref)
{
  g_autoptr(HsRefcountBreakdown) breakdown = hs_describe_refcount_breakdown (snapshot, ref);
  g_autofree char *count = NULL;
  g_autofree char *drawn = NULL;
  g_autofree char *hidden = NULL;

  g_assert (breakdown != NULL);

  count = hs_format_count (breakdown->refcount);
  drawn = hs_format_count (breakdown->drawn->len);
  hidden = hs_format_count (breakdown->other + breakdown->n_named);
  if (breakdown->immortal && is_static_version (hs_snapshot_get_python_version (snapshot)))
    /* Translators: %s is how many references the graph draws to an object
     * Python 3.11 allocates statically */
    return g_strdup_printf (_("static (%s drawn)"), drawn);
  if (breakdown->immortal)
    /* Translators: %s is how many references the graph draws to an immortal object */
    return g_strdup_printf (_("immortal (%s drawn)"), drawn);
  /* Translators: a reference count split into the references the graph
   * draws and those it does not (the inspector names them), e.g.
   * "3 = 1 drawn + 2 hidden" */
  return g_strdup_printf (_("%s = %s drawn + %s hidden"), count, drawn, hidden);
}

char *
hs_describe_object (HsSnapshot *snapshot,
                    guint32     ref)
{
  const HsObject *object;
  g_autofree char *refcount = NULL;
  g_autofree char *size = NULL;
  g_autofree char *flags = NULL;
  g_autofree char *repr = NULL;

  g_return_val_if_fail (snapshot != NULL, NULL);

  if (!(object = hs_snapshot_lookup (snapshot, ref)))
    return NULL;

  refcount = describe_refcount (snapshot, ref);
  size = hs_describe_size (object);
  flags = hs_describe_flags (hs_snapshot_get_python_version (snapshot), object->flags);
  repr = g_markup_escape_text (object->repr ? object->repr : "", -1);

  return g_strdup_printf ("<b>%s</b>  <tt>%s</tt>\n"
                          "id() %" G_GUINT64_FORMAT "\n"
                          "%s %s\n"
                          "%s %s\n"
                          "%s",
                          object->type, repr,
                          object->id,
                          _("refcount"), refcount,
                          _("size"), size,
                          flags);
}

typedef struct
{
  guint32     ref;
  const char *type;
  gboolean    on_cycle;
} Freed;

static guint
find_root (guint *parent,
           guint  i)
{
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

static const HsEdge *
edges_of (HsSnapshot *before,
          guint32     ref,
          guint      *n_edges)
{
  const HsObject *object = hs_snapshot_lookup (before, ref);

  *n_edges = object ? object->n_edges : 0;
  return object ? object->edges : NULL;
}

static gboolean
refers_to (HsSnapshot *before,
           guint32     from,
           guint32     to)
{
  const HsEdge *edges;
  guint n_edges;

  edges = edges_of (before, from, &n_edges);
  for (guint i = 0; i < n_edges; i++)
    if (edges[i].target == to)
      return TRUE;
  return FALSE;
}

/* "2 lists and 1 dict" for the freed objects on (or off) cycles. */
static char *
describe_kinds (GArray   *freed,
                gboolean  on_cycle)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) types = g_ptr_array_new ();
  g_autoptr(GArray) counts = g_array_new (FALSE, TRUE, sizeof (guint));

  for (guint i = 0; i < freed->len; i++)
    {
      const Freed *f = &g_array_index (freed, Freed, i);
      guint k;

      if (f->on_cycle != on_cycle)
        continue;
      for (k = 0; k < types->len; k++)
        if (g_str_equal (g_ptr_array_index (types, k), f->type))
          break;
      if (k == types->len)
        {
          guint zero = 0;

          g_ptr_array_add (types, (gpointer) f->type);
          g_array_append_val (counts, zero);
        }
      g_array_index (counts, guint, k)++;
    }

  for (guint k = 0; k < types->len; k++)
    {
      guint n = g_array_index (counts, guint, k);
      g_autofree char *count = hs_format_count (n);

      if (k > 0)
        g_string_append (text, k + 1 == types->len ? _(" and ") : ", ");
      /* Translators: a number of Python objects of one type, e.g. "2 lists";
       * the first %s is the number, the second the type's name as Python
       * spells it */
      g_string_append_printf (text, ngettext ("%s %s", "%s %ss", n), count, (const char *) g_ptr_array_index (types, k));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The toast after gc.collect(): how many objects the collector reports,
 * and what the freed ones were, from the heap before it ran.  NULL when
 * STEPS ran no full collection: a statement that did not call
 * gc.collect() gets no report, however the heap changed. */
char *
hs_describe_gc_collect (HsSnapshot *before,
                        GPtrArray  *steps)
{
  g_autoptr(GArray) freed = g_array_new (FALSE, TRUE, sizeof (Freed));
  g_autofree guint *parent = NULL;
  g_autofree char *held = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *count = NULL;
  gboolean full_run = FALSE;
  guint collected = 0;
  guint total;

  g_return_val_if_fail (before != NULL, NULL);
  g_return_val_if_fail (steps != NULL, NULL);

  for (guint i = 0; i < steps->len; i++)
    {
      HsSnapshot *step = g_ptr_array_index (steps, i);
      const HsGcRun *runs;
      const HsFreed *freed_here;
      guint n_runs, n_freed;

      /* gc.collect() runs a full collection, of generation 2. */
      runs = hs_snapshot_get_gc_runs (step, &n_runs);
      for (guint j = 0; j < n_runs; j++)
        if (runs[j].generation == 2)
          {
            full_run = TRUE;
            collected += runs[j].collected;
          }

      freed_here = hs_snapshot_get_freed (step, &n_freed);
      for (guint j = 0; j < n_freed; j++)
        {
          Freed f = { freed_here[j].ref, freed_here[j].type ? freed_here[j].type : "object", FALSE };

          if (freed_here[j].cause == HS_FREE_GC)
            g_array_append_val (freed, f);
        }
    }

  /* An object is on a cycle when it refers to a freed object and a freed
   * object refers to it; the others were only held by the cycles. */
  parent = g_new (guint, MAX (freed->len, 1));
  for (guint i = 0; i < freed->len; i++)
    {
      Freed *f = &g_array_index (freed, Freed, i);
      gboolean out = FALSE, in = FALSE;

      parent[i] = i;
      for (guint j = 0; j < freed->len; j++)
        {
          guint32 other = g_array_index (freed, Freed, j).ref;

          out |= refers_to (before, f->ref, other);
          in |= refers_to (before, other, f->ref);
        }
      f->on_cycle = out && in;
    }
  for (guint i = 0; i < freed->len; i++)
    for (guint j = 0; j < freed->len; j++)
      if (g_array_index (freed, Freed, i).on_cycle && g_array_index (freed, Freed, j).on_cycle &&
          refers_to (before, g_array_index (freed, Freed, i).ref, g_array_index (freed, Freed, j).ref))
        parent[find_root (parent, i)] = find_root (parent, j);

  if (!full_run)
    return NULL;
  total = MAX (collected, freed->len);
  if (total == 0)
    return g_strdup (_("gc.collect() found nothing to free"));

  held = describe_kinds (freed, FALSE);

  /* One phrase per cycle: "a cycle of 2 lists", "a dict that refers to itself". */
  for (guint i = 0; i < freed->len; i++)
    {
      g_autoptr(GArray) members = NULL;
      g_autofree char *kinds = NULL;
      g_autofree char *phrase = NULL;

      if (!g_array_index (freed, Freed, i).on_cycle || find_root (parent, i) != i)
        continue;

      members = g_array_new (FALSE, TRUE, sizeof (Freed));
      for (guint j = 0; j < freed->len; j++)
        if (g_array_index (freed, Freed, j).on_cycle && find_root (parent, j) == i)
          g_array_append_val (members, g_array_index (freed, Freed, j));

      if (members->len == 1)
        phrase = g_strdup_printf (_("a %s that refers to itself"), g_array_index (members, Freed, 0).type);
      else
        {
          kinds = describe_kinds (members, TRUE);
          phrase = g_strdup_printf (_("a cycle of %s"), kinds);
        }

      if (detail == NULL)
        detail = g_steal_pointer (&phrase);
      else
        {
          g_autofree char *before_text = g_steal_pointer (&detail);

          detail = g_strconcat (before_text, ", ", phrase, NULL);
        }
    }

  if (*held != '\0')
    {
      g_autofree char *first = g_steal_pointer (&detail);

      if (first != NULL)
        /* Translators: e.g. "a cycle of 2 lists, and 1 str they held" */
        detail = g_strdup_printf (_("%s, and %s they held"), first, held);
      else
        detail = g_strdup (held);
    }

  count = hs_format_count (total);
  if (detail == NULL)
    return g_strdup_printf (ngettext ("gc.collect() freed %s object",
                                      "gc.collect() freed %s objects", total),
                            count);

  /* Translators: the first %s is the number of objects, the second what they were */
  return g_strdup_printf (ngettext ("gc.collect() freed %s object (%s)",
                                    "gc.collect() freed %s objects (%s)", total),
                          count, detail);
}
