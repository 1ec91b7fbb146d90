/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-registry"

#include "config.h"

#include "hs-cpython.h"
#include "hs-registry.h"

#include <ffi.h>
#include <string.h>

/* Open addressing keyed by address.  Removal happens inside tp_dealloc, where
 * nothing may call back into Python, so it only leaves a tombstone and never
 * resizes. */
#define TOMBSTONE ((HsEntry *) 1)

typedef struct
{
  PyTypeObject *type;
  destructor    original;
  destructor    trampoline;   /* what the type's tp_dealloc now is */
  guint64       deaths;       /* deallocations through it */
} HsHook;

static HsEntry **slots;
static gsize n_slots;
static gsize n_used;        /* live entries plus tombstones */
static guint32 next_ref = 1;
static GArray *freed;       /* HsFreedRecord */
static GPtrArray *graveyard;/* freed entries, released between steps */
static PyObject **watched;  /* a location cleared when its object dies */

/* Births.  An object first shown at a step was created by that step when
 * its memory came to it during the step: a block the object allocator
 * handed out, the address of an object deallocated during the step (which
 * a free list then gave back), or a dead object that lay on one of
 * CPython's free lists when the step began.  The first two are a set of
 * addresses, stamped with the step they belong to, so that starting a step
 * clears it at no cost.  The free lists are only read, never changed
 * (emptying them would change what gc.get_count() says). */
typedef struct
{
  gpointer address;
  guint32  stamp;
} HsBirthSlot;

static PyMemAllocatorEx object_allocator;   /* the one wrapped */
static HsBirthSlot *births;
static gsize n_birth_slots;
static gsize n_births;                      /* this step's */
static guint32 birth_stamp = 1;
static gboolean births_overflowed;          /* this step's set is incomplete */

/* What each free list held when the step began, in the order of
 * hs_py_free_list_get(), and the deallocations of its type seen then. */
typedef struct
{
  GPtrArray *dead;
  HsHook    *hook;
  guint64    deaths;
} HsFreeList;

static HsFreeList *free_lists;
static guint n_free_lists;
static guint64 full_collections;

/* Each hooked type gets a wrapper of its own, which knows which original it
 * stands for: deallocators call their base's by name (odict_dealloc calls
 * PyDict_Type.tp_dealloc on an OrderedDict), so the object's type cannot
 * tell which slot was called.  The first STATIC_HOOKS types (the common
 * ones, met first) get a plain C function each; any further type gets a
 * libffi closure, which costs a little more per call but has no limit. */
#define STATIC_HOOKS 128

static HsHook static_hooks[STATIC_HOOKS];
static guint n_static_hooks;
static GHashTable *hooks;   /* trampoline → HsHook, every hooked type */
static ffi_cif closure_cif;
static ffi_type *closure_args[1] = { &ffi_type_pointer };

static void dealloc_through (PyObject *obj,
                             HsHook   *hook);

#define TRAMPOLINE(n, i) \
  static void hs_dealloc_##n (PyObject *obj) { dealloc_through (obj, &static_hooks[i]); }
#define TRAMPOLINES8(p) \
  TRAMPOLINE (p##0, (p - 1) * 8 + 0) TRAMPOLINE (p##1, (p - 1) * 8 + 1) \
  TRAMPOLINE (p##2, (p - 1) * 8 + 2) TRAMPOLINE (p##3, (p - 1) * 8 + 3) \
  TRAMPOLINE (p##4, (p - 1) * 8 + 4) TRAMPOLINE (p##5, (p - 1) * 8 + 5) \
  TRAMPOLINE (p##6, (p - 1) * 8 + 6) TRAMPOLINE (p##7, (p - 1) * 8 + 7)
#define NAMES8(p) \
  hs_dealloc_##p##0, hs_dealloc_##p##1, hs_dealloc_##p##2, hs_dealloc_##p##3, \
  hs_dealloc_##p##4, hs_dealloc_##p##5, hs_dealloc_##p##6, hs_dealloc_##p##7,

TRAMPOLINES8 (1) TRAMPOLINES8 (2) TRAMPOLINES8 (3) TRAMPOLINES8 (4)
TRAMPOLINES8 (5) TRAMPOLINES8 (6) TRAMPOLINES8 (7) TRAMPOLINES8 (8)
TRAMPOLINES8 (9) TRAMPOLINES8 (10) TRAMPOLINES8 (11) TRAMPOLINES8 (12)
TRAMPOLINES8 (13) TRAMPOLINES8 (14) TRAMPOLINES8 (15) TRAMPOLINES8 (16)

static const destructor trampolines[STATIC_HOOKS] = {
  NAMES8 (1) NAMES8 (2) NAMES8 (3) NAMES8 (4) NAMES8 (5) NAMES8 (6) NAMES8 (7) NAMES8 (8)
  NAMES8 (9) NAMES8 (10) NAMES8 (11) NAMES8 (12) NAMES8 (13) NAMES8 (14) NAMES8 (15) NAMES8 (16)
};

static void
closure_entry (ffi_cif *cif,
               void    *ret,
               void   **args,
               void    *user_data)
{
  dealloc_through (*(PyObject **) args[0], user_data);
}

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

static gboolean births_contain (gconstpointer address);

static gboolean
collect_dead (PyObject *dead,
              gpointer  user_data)
{
  g_ptr_array_add (user_data, dead);
  return TRUE;
}

/* Free lists are stacks: what a step pushed lies on top, above what it
 * left of the list it found.  A push is a deallocation, so the top is
 * read down to the first object not deallocated during the step, which
 * was there before and has been since, like all below it. */
static gboolean
collect_pushed (PyObject *dead,
                gpointer  user_data)
{
  if (!births_contain (dead))
    return FALSE;
  g_ptr_array_add (user_data, dead);
  return TRUE;
}

/* Brings each free list's copy up to date at the end of a step.  One that
 * no deallocation of its type fed can only have handed out its last
 * objects; after a full collection (which empties them) they are read
 * whole. */
static void
free_lists_update (void)
{
  static GPtrArray *pushed;
  guint64 collections[3], collected[3], uncollectable[3];
  gboolean cleared;

  if (pushed == NULL)
    pushed = g_ptr_array_new ();
  hs_py_gc_stats (collections, collected, uncollectable);
  /* an incomplete set cannot tell what was pushed: read them whole */
  cleared = collections[2] != full_collections || births_overflowed;
  full_collections = collections[2];

  for (guint i = 0; i < n_free_lists; i++)
    {
      HsFreeList *fl = &free_lists[i];
      guint length = hs_py_free_list_length (i);

      if (!cleared && fl->hook->deaths == fl->deaths && length <= fl->dead->len)
        {
          g_ptr_array_set_size (fl->dead, length);
          continue;
        }

      g_ptr_array_set_size (pushed, 0);
      if (!cleared)
        hs_py_free_list_walk (i, collect_pushed, pushed);
      if (cleared || length - pushed->len > fl->dead->len)
        {
          g_ptr_array_set_size (pushed, 0);
          hs_py_free_list_walk (i, collect_dead, pushed);
          g_ptr_array_set_size (fl->dead, 0);
        }
      else
        g_ptr_array_set_size (fl->dead, length - pushed->len);
      for (guint k = pushed->len; k > 0; k--)
        g_ptr_array_add (fl->dead, pushed->pdata[k - 1]);
      fl->deaths = fl->hook->deaths;
    }
}

static void
births_resize (gsize n)
{
  HsBirthSlot *old = births;
  gsize old_n = n_birth_slots;

  births = g_new0 (HsBirthSlot, n);
  n_birth_slots = n;
  n_births = 0;
  for (gsize i = 0; i < old_n; i++)
    if (old[i].stamp == birth_stamp)
      {
        gsize mask = n_birth_slots - 1;
        gsize k = hash_pointer (old[i].address) & mask;

        while (births[k].stamp == birth_stamp)
          k = (k + 1) & mask;
        births[k] = old[i];
        n_births++;
      }
  g_free (old);
}

/* Past this many births in one step (a list of a million built in one
 * line) the rest go unrecorded: the set stays at 2 MB and cheap to grow,
 * and an object born then may miss its "created" mark, but none gets one
 * it should not. */
#define BIRTHS_MAX (1u << 16)

/* Runs inside the object allocator, with the GIL held: no Python here. */
static inline void
births_add (gpointer address)
{
  gsize mask, k;

  if (G_UNLIKELY ((n_births + 1) * 2 > n_birth_slots))
    {
      if (n_births >= BIRTHS_MAX)
        {
          births_overflowed = TRUE;
          return;
        }
      births_resize (n_birth_slots * 2);
    }
  mask = n_birth_slots - 1;
  k = hash_pointer (address) & mask;
  while (births[k].stamp == birth_stamp)
    {
      if (births[k].address == address)
        return;
      k = (k + 1) & mask;
    }
  births[k].address = address;
  births[k].stamp = birth_stamp;
  n_births++;
}

static gboolean
births_contain (gconstpointer address)
{
  gsize mask = n_birth_slots - 1;
  gsize k = hash_pointer (address) & mask;

  while (births[k].stamp == birth_stamp)
    {
      if (births[k].address == address)
        return TRUE;
      k = (k + 1) & mask;
    }
  return FALSE;
}

static void *
birth_malloc (void   *ctx,
              size_t  size)
{
  void *p = object_allocator.malloc (object_allocator.ctx, size);

  if (p != NULL)
    births_add (p);
  return p;
}

static void *
birth_calloc (void   *ctx,
              size_t  n,
              size_t  size)
{
  void *p = object_allocator.calloc (object_allocator.ctx, n, size);

  if (p != NULL)
    births_add (p);
  return p;
}

static void *
birth_realloc (void   *ctx,
               void   *ptr,
               size_t  size)
{
  void *p = object_allocator.realloc (object_allocator.ctx, ptr, size);

  /* resized in place, an object keeps its identity */
  if (p != NULL && p != ptr)
    births_add (p);
  return p;
}

static void
birth_free (void *ctx,
            void *ptr)
{
  object_allocator.free (object_allocator.ctx, ptr);
}

static gboolean
is_trampoline (destructor d)
{
  return g_hash_table_contains (hooks, d);
}

static gboolean stopped;

static void
forget (PyObject *obj)
{
  gsize i;
  HsEntry *e;

  if (G_UNLIKELY (watched != NULL && *watched == obj))
    *watched = NULL;
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
 * trashcan itself for every gc object whose type's own slot it is.  The
 * trashcan wants the object untracked; it is tracked again just before the
 * real deallocator runs, since some untrack it unconditionally. */
static void
dealloc_through (PyObject *obj,
                 HsHook   *hook)
{
  destructor original = hook->original;
  destructor trampoline = hook->trampoline;

  hook->deaths++;
  if (PyObject_IS_GC (obj) && Py_TYPE (obj)->tp_dealloc == trampoline)
    {
      /* Tracked again whether or not it was: a deferred object comes back
       * here untracked, and every deallocator copes with a tracked one. */
      PyObject_GC_UnTrack (obj);
      Py_TRASHCAN_BEGIN (obj, trampoline)
      births_add (obj);
      forget (obj);
      PyObject_GC_Track (obj);
      original (obj);
      Py_TRASHCAN_END
    }
  else
    {
      births_add (obj);
      forget (obj);
      original (obj);
    }
}

static void
hook_type (PyTypeObject *type)
{
  PyTypeObject *t = type;
  HsHook *hook;

  /* A class whose instances use subtype_dealloc hands them to its base's
   * tp_dealloc, so the hook goes on the first base with its own. Patching
   * the class itself would make subtype_dealloc call itself forever. */
  while (t->tp_base != NULL && hs_py_type_uses_subtype_dealloc (t))
    t = t->tp_base;

  if (is_trampoline (t->tp_dealloc))
    return;

  if (n_static_hooks < STATIC_HOOKS)
    {
      hook = &static_hooks[n_static_hooks];
      hook->trampoline = trampolines[n_static_hooks];
      n_static_hooks++;
    }
  else
    {
      void *code = NULL;
      ffi_closure *closure = ffi_closure_alloc (sizeof (ffi_closure), &code);

      /* kept for the life of the process: the type may outlive any step */
      hook = g_new0 (HsHook, 1);
      if (closure == NULL ||
          ffi_prep_closure_loc (closure, &closure_cif, closure_entry, hook, code) != FFI_OK)
        g_error ("heapscope: cannot make a deallocation hook for %s", t->tp_name);
      hook->trampoline = (destructor) code;
    }
  hook->type = t;
  hook->original = t->tp_dealloc;
  g_hash_table_insert (hooks, hook->trampoline, hook);
  t->tp_dealloc = hook->trampoline;
}

void
hs_registry_init (void)
{
  n_slots = 1024;
  slots = g_new0 (HsEntry *, n_slots);
  freed = g_array_new (FALSE, FALSE, sizeof (HsFreedRecord));
  graveyard = g_ptr_array_new ();
  hooks = g_hash_table_new (NULL, NULL);
  if (ffi_prep_cif (&closure_cif, FFI_DEFAULT_ABI, 1, &ffi_type_void, closure_args) != FFI_OK)
    g_error ("heapscope: libffi cannot describe a deallocator");

  {
    PyMemAllocatorEx wrapper = { NULL, birth_malloc, birth_calloc, birth_realloc, birth_free };
    /* the types whose deallocators keep objects on a free list: their
     * deallocations must be seen for the births from it to be */
    PyTypeObject *free_list_types[] = { &PyFloat_Type, &PyTuple_Type, &PyList_Type,
                                        &PyDict_Type, &PySlice_Type, &PyContext_Type };

    n_birth_slots = 4096;
    births = g_new0 (HsBirthSlot, n_birth_slots);
    for (guint i = 0; i < G_N_ELEMENTS (free_list_types); i++)
      hook_type (free_list_types[i]);
    n_free_lists = hs_py_n_free_lists ();
    free_lists = g_new0 (HsFreeList, n_free_lists);
    for (guint i = 0; i < n_free_lists; i++)
      {
        PyTypeObject *type = hs_py_free_list_type (i);

        free_lists[i].dead = g_ptr_array_new ();
        free_lists[i].hook = g_hash_table_lookup (hooks, type->tp_dealloc);
        g_assert (free_lists[i].hook != NULL);
        free_lists[i].deaths = G_MAXUINT64;   /* read them now */
      }
    free_lists_update ();
    PyMem_GetAllocator (PYMEM_DOMAIN_OBJ, &object_allocator);
    PyMem_SetAllocator (PYMEM_DOMAIN_OBJ, &wrapper);
  }
}

/* Whether obj came to life since hs_registry_births_restart(). */
gboolean
hs_registry_is_newborn (PyObject *obj)
{
  guint list;

  if (births == NULL)
    return FALSE;
  if (births_contain (obj) ||
      births_contain ((const char *) obj - hs_py_pre_header_size (Py_TYPE (obj))))
    return TRUE;

  /* alive now, dead on a free list when the step began */
  if ((list = hs_py_free_list_of (obj)) < n_free_lists)
    {
      GPtrArray *dead = free_lists[list].dead;

      for (guint i = dead->len; i > 0; i--)
        if (dead->pdata[i - 1] == obj)
          return TRUE;
    }
  return FALSE;
}

static gboolean
forget_dead (PyObject *dead,
             gpointer  user_data)
{
  forget (dead);
  return TRUE;
}

/* C code can free a float without its tp_dealloc: builtins.sum () adds
 * floats with _Py_DECREF_SPECIALIZED (item, _PyFloat_ExactDealloc),
 * which pushes the float on the free list unseen, and its entry kept
 * the dead address, whose ob_type is now the list's link (NULL at its
 * end: the walker crashed reading it).  Whatever lies on the float free
 * list is dead, so its entries are let go of, before a step reads any
 * object: at most the list's 100 floats, one lookup each. */
void
hs_registry_sweep_free_floats (void)
{
  for (guint i = 0; i < n_free_lists; i++)
    if (hs_py_free_list_type (i) == &PyFloat_Type)
      hs_py_free_list_walk (i, forget_dead, NULL);
}

/* A new step begins: forget this one's births.  A step that allocated a
 * great many objects leaves a big table; a small one is cheaper to clear. */
void
hs_registry_births_restart (void)
{
  if (births == NULL)
    return;
  free_lists_update ();
  if (n_birth_slots > 4096 && n_births * 16 < n_birth_slots)
    {
      g_free (births);
      n_birth_slots = 4096;
      births = g_new0 (HsBirthSlot, n_birth_slots);
      birth_stamp = 1;
    }
  else if (++birth_stamp == 0)
    {
      memset (births, 0, n_birth_slots * sizeof *births);
      birth_stamp = 1;
    }
  n_births = 0;
  births_overflowed = FALSE;
}

/* *location is set to NULL when the object it points to is deallocated.
 * Heapscope keeps no reference of its own (the program could count it);
 * the object's type is hooked so that its end is seen. */
void
hs_registry_watch (PyObject **location)
{
  g_assert (location != NULL && *location != NULL);
  hook_type (Py_TYPE (*location));
  watched = location;
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
  /* the registry meets each object when it is first shown */
  e->created = hs_registry_is_newborn (obj);
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

/* The entries freed since the last step, not released yet: their fields
 * are as the last walk left them, obj aside (NULL). */
GPtrArray *
hs_registry_peek_freed_entries (void)
{
  return graveyard;
}

/* Entries freed since the last step are released here, outside tp_dealloc
 * and after the walker has stopped looking at them; the step ends here. */
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
  /* the walk is over: what is allocated from here on belongs to the next step */
  hs_registry_births_restart ();
}

void
hs_registry_foreach (GFunc    func,
                     gpointer user_data)
{
  for (gsize i = 0; i < n_slots; i++)
    if (slots[i] != NULL && slots[i] != TOMBSTONE)
      func (slots[i], user_data);
}
