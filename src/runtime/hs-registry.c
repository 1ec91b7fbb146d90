/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-registry"

#include "config.h"

#include "hs-cpython.h"
#include "hs-registry.h"

/* Open addressing keyed by address.  Removal happens inside tp_dealloc, where
 * nothing may call back into Python, so it only leaves a tombstone and never
 * resizes. */
#define TOMBSTONE ((HsEntry *) 1)

typedef struct
{
  PyTypeObject *type;
  destructor    original;
} HsHook;

static HsEntry **slots;
static gsize n_slots;
static gsize n_used;        /* live entries plus tombstones */
static guint32 next_ref = 1;
static GArray *freed;       /* HsFreedRecord */
static GPtrArray *graveyard;/* freed entries, released between steps */

/* One wrapper serves every hooked type; these are few (one per static base
 * type met), so a linear table is the fastest lookup. */
static HsHook hooks[128];
static guint n_hooks;

static inline gsize
hash_pointer (gconstpointer p)
{
  guint64 x = (guint64) (guintptr) p;

  x ^= x >> 33;
  x *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  x ^= x >> 33;
  return (gsize) x;
}

static gsize
find_slot (PyObject *obj,
           gboolean  for_insert)
{
  gsize mask = n_slots - 1;
  gsize i = hash_pointer (obj) & mask;
  gssize first_tomb = -1;

  for (;;)
    {
      HsEntry *e = slots[i];

      if (e == NULL)
        return (for_insert && first_tomb >= 0) ? (gsize) first_tomb : i;
      if (e == TOMBSTONE)
        {
          if (first_tomb < 0)
            first_tomb = i;
        }
      else if (e->obj == obj)
        return i;
      i = (i + 1) & mask;
    }
}

static void
grow (void)
{
  HsEntry **old = slots;
  gsize old_n = n_slots;

  n_slots = old_n * 2;
  slots = g_new0 (HsEntry *, n_slots);
  n_used = 0;
  for (gsize i = 0; i < old_n; i++)
    if (old[i] != NULL && old[i] != TOMBSTONE)
      {
        slots[find_slot (old[i]->obj, TRUE)] = old[i];
        n_used++;
      }
  g_free (old);
}

static destructor
original_dealloc (PyTypeObject *type)
{
  for (PyTypeObject *t = type; t != NULL; t = t->tp_base)
    for (guint i = 0; i < n_hooks; i++)
      if (hooks[i].type == t)
        return hooks[i].original;
  g_error ("heapscope: no original tp_dealloc for %s", type->tp_name);
}

static gboolean stopped;

static void
forget (PyObject *obj)
{
  gsize i;
  HsEntry *e;

  if (n_slots == 0 || stopped)
    return;
  i = find_slot (obj, FALSE);
  e = slots[i];
  if (e == NULL || e == TOMBSTONE)
    return;

  slots[i] = TOMBSTONE;
  {
    HsFreedRecord rec = { e->ref, hs_py_gc_collecting () ? 1 : 0 };

    g_array_append_val (freed, rec);
  }
  e->obj = NULL;
  g_ptr_array_add (graveyard, e);
}

/* Wrapping tp_dealloc hides the type from CPython's trashcan, which many
 * deallocators (containers, exceptions, bound methods, tracebacks, frames)
 * enable by comparing tp_dealloc with themselves; freeing a deep structure
 * would then recurse until the C stack runs out.  So the wrapper takes the
 * trashcan itself for every gc object of a hooked type.  The trashcan wants
 * the object untracked; it is tracked again just before the real
 * deallocator runs, since some untrack it unconditionally. */
static void
hs_dealloc (PyObject *obj)
{
  destructor original = original_dealloc (Py_TYPE (obj));

  if (PyObject_IS_GC (obj) && Py_TYPE (obj)->tp_dealloc == hs_dealloc)
    {
      /* Tracked again whether or not it was: a deferred object comes back
       * here untracked, and every deallocator copes with a tracked one. */
      PyObject_GC_UnTrack (obj);
      Py_TRASHCAN_BEGIN (obj, hs_dealloc)
      forget (obj);
      PyObject_GC_Track (obj);
      original (obj);
      Py_TRASHCAN_END
    }
  else
    {
      forget (obj);
      original (obj);
    }
}

static void
hook_type (PyTypeObject *type)
{
  PyTypeObject *t = type;

  /* A class whose instances use subtype_dealloc hands them to its base's
   * tp_dealloc, so the hook goes on the first base with its own. Patching
   * the class itself would make subtype_dealloc call itself forever. */
  while (t->tp_base != NULL && hs_py_type_uses_subtype_dealloc (t))
    t = t->tp_base;

  if (t->tp_dealloc == hs_dealloc)
    return;
  if (n_hooks == G_N_ELEMENTS (hooks))
    g_error ("heapscope: too many hooked types");

  hooks[n_hooks].type = t;
  hooks[n_hooks].original = t->tp_dealloc;
  n_hooks++;
  t->tp_dealloc = hs_dealloc;
}

void
hs_registry_init (void)
{
  n_slots = 1024;
  slots = g_new0 (HsEntry *, n_slots);
  freed = g_array_new (FALSE, FALSE, sizeof (HsFreedRecord));
  graveyard = g_ptr_array_new ();
}

/* Interpreter shutdown frees everything; nobody is watching any more. */
void
hs_registry_stop (void)
{
  stopped = TRUE;
}

HsEntry *
hs_registry_lookup (PyObject *obj)
{
  HsEntry *e = slots[find_slot (obj, FALSE)];

  if (e == NULL || e == TOMBSTONE)
    return NULL;
  if (e->type != Py_TYPE (obj))
    {
      /* `obj.__class__ = Other` swaps one Python class for another on the
       * same object: it keeps its identity.  Any other change of type means
       * a free slipped past the hooks, and this is a new object. */
      if ((e->type->tp_flags & Py_TPFLAGS_HEAPTYPE) && (Py_TYPE (obj)->tp_flags & Py_TPFLAGS_HEAPTYPE))
        {
          hook_type (Py_TYPE (obj));
          e->type = Py_TYPE (obj);
          e->shape = HS_SHAPE_UNKNOWN;   /* classify again */
          e->sent = FALSE;               /* its type name changed */
          return e;
        }
      return NULL;
    }
  return e;
}

HsEntry *
hs_registry_insert (PyObject *obj)
{
  gsize i;
  HsEntry *e;

  if ((n_used + 1) * 4 >= n_slots * 3)
    grow ();

  i = find_slot (obj, TRUE);
  if (slots[i] != NULL && slots[i] != TOMBSTONE)
    {
      /* A stale entry of another type at this address: its object was freed
       * by a path the hooks did not see.  Report it freed now. */
      HsFreedRecord rec = { slots[i]->ref, 0 };

      g_array_append_val (freed, rec);
      slots[i]->obj = NULL;
      g_ptr_array_add (graveyard, slots[i]);
    }
  else if (slots[i] == NULL)
    n_used++;

  hook_type (Py_TYPE (obj));

  e = g_new0 (HsEntry, 1);
  e->obj = obj;
  e->type = Py_TYPE (obj);
  e->ref = next_ref++;
  e->generation = -2;
  slots[i] = e;
  return e;
}

GArray *
hs_registry_take_freed (void)
{
  GArray *ret = freed;

  freed = g_array_new (FALSE, FALSE, sizeof (HsFreedRecord));
  return ret;
}

/* Entries freed since the last step are released here, outside tp_dealloc
 * and after the walker has stopped looking at them. */
void
hs_registry_reap (void)
{
  for (guint i = 0; i < graveyard->len; i++)
    {
      HsEntry *e = g_ptr_array_index (graveyard, i);

      g_free (e->edges);
      g_free (e);
    }
  g_ptr_array_set_size (graveyard, 0);
}

void
hs_registry_foreach (GFunc    func,
                     gpointer user_data)
{
  for (gsize i = 0; i < n_slots; i++)
    if (slots[i] != NULL && slots[i] != TOMBSTONE)
      func (slots[i], user_data);
}
