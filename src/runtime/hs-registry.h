/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The registry gives every object Heapscope has shown a serial "ref" for its
 * whole life.  Addresses are reused at once by CPython's free lists, so the
 * registry learns of every deallocation from hooks on tp_dealloc and forgets
 * the object right there.
 */
#pragma once

#include <Python.h>
#include <glib.h>

G_BEGIN_DECLS

/* How the walker reads an object's references; fixed by its type. */
typedef enum
{
  HS_SHAPE_UNKNOWN,
  HS_SHAPE_LEAF,        /* no references shown */
  HS_SHAPE_LIST,
  HS_SHAPE_TUPLE,
  HS_SHAPE_DICT,
  HS_SHAPE_SET,
  HS_SHAPE_FUNCTION,
  HS_SHAPE_CELL,
  HS_SHAPE_METHOD,
  HS_SHAPE_MEMORYVIEW,
  HS_SHAPE_MANAGED_BUFFER,
  HS_SHAPE_GENERATOR,   /* and coroutines, async generators */
  HS_SHAPE_ITERATOR,    /* a built-in iterator over a list, a dict, … */
} HsShape;

/* HsEntry.generation of a tracked object looked up in none of the gc's
 * generations at this step (see refresh_generations ()) */
#define HS_ENTRY_NO_GENERATION (-3)

typedef struct _HsEntry HsEntry;
struct _HsEntry
{
  PyObject     *obj;        /* NULL once freed */
  PyTypeObject *type;
  guint32       ref;
  guint32       epoch;      /* last walk that reached it */

  /* what the app was last told */
  gint64        refcount;
  gint64        size;
  guint32       type_str;
  guint32       repr_str;
  guint32       module_str; /* the defining module of a function or class, or HS_WIRE_NO_STRING */
  guint32       flags;
  guint32       length;
  guint32       omitted;
  guint32       n_edges;
  guint32      *edges;      /* n_edges triples: kind, label, target */

  gint64        gc_refs;    /* scratch for the garbage analysis */
  gint64        limbo_refcount; /* its refcount when last analysed */
  gint8         generation;     /* 0 to 2; < 0 to look up again, but
                                 * HS_ENTRY_NO_GENERATION */
  guint8        shape;          /* HsShape */
  guint8        has_attrs;      /* an instance of a Python class, or such a class */
  guint32       static_flags;   /* the flags fixed by type and value */
  guint32       holders_epoch;  /* hs-holders.c: which code holdings `holdings` is from */
  gpointer      holdings;       /* hs-holders.c: what the running code objects hold of it */
  gpointer      arena_holdings; /* hs-holders.c: what the parser's arena holds of it, same epoch */
  gpointer      global_holdings;/* hs-holders.c: what imported modules' dicts hold of it, same epoch */
  guint         sent : 1;
  guint         in_view : 1;
  guint         in_limbo : 1;
  guint         reachable : 1;
  guint         static_repr : 1;
  guint         garbage : 1;
  guint         created : 1;    /* came to life during the step that first showed it */
  guint         cached : 1;     /* e->edges ends with how they were read (hs-heap-walker.c) */

  /* where the walk that last added it to the view found it: its position
   * there, and the attempt that reached it first (parent NULL: a root) */
  HsEntry      *parent;
  guint32       parent_index;
  guint32       view_pos;
  guint32       mark;           /* scratch for the walker, by epoch */
};

typedef struct
{
  guint32 ref;
  guint32 cause;
} HsFreedRecord;

void      hs_registry_init      (void);
void      hs_registry_stop      (void);
void      hs_registry_watch     (PyObject **location);
HsEntry  *hs_registry_lookup    (PyObject *obj);
HsEntry  *hs_registry_insert    (PyObject *obj);
GArray   *hs_registry_take_freed(void);
GPtrArray *hs_registry_peek_freed_entries (void);
void      hs_registry_reap      (void);
void      hs_registry_foreach   (GFunc     func,
                                 gpointer  user_data);
gboolean  hs_registry_is_newborn      (PyObject *obj);
void      hs_registry_births_restart  (void);
void      hs_registry_sweep_free_floats (void);

G_END_DECLS
