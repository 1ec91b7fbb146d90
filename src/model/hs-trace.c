/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-trace"

#include "config.h"

#include <glib/gi18n.h>

#include "hs-snapshot-private.h"
#include "hs-trace.h"

/* A full snapshot every this many steps bounds a jump anywhere in the trace
 * to replaying at most this many deltas. */
#define CHECKPOINT_EVERY 256

typedef struct
{
  GHashTable *objects;      /* ref -> HsObject*, edges owned */
  GArray     *frames;       /* HsFrame, vars owned */
  GPtrArray  *changed;      /* HsObject* whose changes flags are set */
  guint       index;        /* index of the last step applied, G_MAXUINT if none */
} HsState;

typedef struct
{
  const char *type;
  const char *repr;
  guint       first_step;
} HsLastKnown;

struct _HsTrace
{
  GObject      parent_instance;

  GMutex       mutex;
  GPtrArray   *strings;       /* char*, owned: the shared string table */
  GPtrArray   *deltas;        /* GVariant* */
  GPtrArray   *checkpoints;   /* HsSnapshot* at k * CHECKPOINT_EVERY */
  HsState     *tail;          /* after the last appended step */
  HsState     *cursor;        /* for replay */
  GHashTable  *last_known;    /* ref -> HsLastKnown*, for ghosts */
  gsize        history_bytes;

  char        *python_version;
  char        *status;
  int          exit_code;
  int          signal_number;
  gboolean     has_error;
  HsTraceError error;
  GByteArray  *all_out;
  GByteArray  *all_err;
  GBytes      *trailing_out;
  GBytes      *trailing_err;
};

G_DEFINE_FINAL_TYPE (HsTrace, hs_trace, G_TYPE_OBJECT)

static void
free_object (gpointer data)
{
  HsObject *o = data;

  g_free (o->edges);
  g_free (o);
}

static void
clear_frame (gpointer data)
{
  g_free (((HsFrame *) data)->vars);
}

static HsState *
state_new (void)
{
  HsState *st = g_new0 (HsState, 1);

  st->objects = g_hash_table_new_full (NULL, NULL, NULL, free_object);
  st->frames = g_array_new (FALSE, TRUE, sizeof (HsFrame));
  g_array_set_clear_func (st->frames, clear_frame);
  st->changed = g_ptr_array_new ();
  st->index = G_MAXUINT;
  return st;
}

static void
state_free (HsState *st)
{
  if (st == NULL)
    return;
  g_hash_table_unref (st->objects);
  g_array_unref (st->frames);
  g_ptr_array_unref (st->changed);
  g_free (st);
}

static void
state_load (HsState    *st,
            HsSnapshot *snap)
{
  g_hash_table_remove_all (st->objects);
  g_array_set_size (st->frames, 0);
  g_ptr_array_set_size (st->changed, 0);

  for (guint i = 0; i < snap->objects->len; i++)
    {
      HsObject *o = g_memdup2 (&g_array_index (snap->objects, HsObject, i), sizeof (HsObject));

      o->edges = g_memdup2 (o->edges, o->n_edges * sizeof (HsEdge));
      o->changes = 0;
      g_hash_table_insert (st->objects, GUINT_TO_POINTER (o->ref), o);
    }
  for (guint i = 0; i < snap->frames->len; i++)
    {
      HsFrame f = g_array_index (snap->frames, HsFrame, i);

      f.vars = g_memdup2 (f.vars, f.n_vars * sizeof (HsVar));
      g_array_append_val (st->frames, f);
    }
  st->index = snap->index;
}

static int
compare_objects (gconstpointer a,
                 gconstpointer b)
{
  guint32 x = ((const HsObject *) a)->ref;
  guint32 y = ((const HsObject *) b)->ref;

  return x < y ? -1 : x > y;
}

static void
hs_trace_finalize (GObject *object)
{
  HsTrace *self = (HsTrace *) object;

  g_mutex_clear (&self->mutex);
  g_ptr_array_unref (self->strings);
  g_ptr_array_unref (self->deltas);
  g_ptr_array_unref (self->checkpoints);
  state_free (self->tail);
  state_free (self->cursor);
  g_hash_table_unref (self->last_known);
  g_free (self->python_version);
  g_free (self->status);
  g_free ((char *) self->error.type);
  g_free ((char *) self->error.message);
  g_free ((char *) self->error.traceback);
  g_byte_array_unref (self->all_out);
  g_byte_array_unref (self->all_err);
  g_clear_pointer (&self->trailing_out, g_bytes_unref);
  g_clear_pointer (&self->trailing_err, g_bytes_unref);

  G_OBJECT_CLASS (hs_trace_parent_class)->finalize (object);
}

static void
hs_trace_class_init (HsTraceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hs_trace_finalize;
}

static void
hs_trace_init (HsTrace *self)
{
  g_mutex_init (&self->mutex);
  self->strings = g_ptr_array_new_with_free_func (g_free);
  self->deltas = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  self->checkpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_snapshot_unref);
  self->tail = state_new ();
  self->last_known = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->all_out = g_byte_array_new ();
  self->all_err = g_byte_array_new ();
}

HsTrace *
hs_trace_new (void)
{
  return g_object_new (HS_TYPE_TRACE, NULL);
}

static gboolean
protocol_error (GError    **error,
                guint       index,
                const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("The runtime sent an invalid step %u: %s"), index, what);
  return FALSE;
}

static guint32
child_uint32 (GVariant *v,
              gsize     i)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (v, i);

  return g_variant_get_uint32 (child);
}

static guint8
child_byte (GVariant *v,
            gsize     i)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (v, i);

  return g_variant_get_byte (child);
}

static gboolean
child_boolean (GVariant *v,
               gsize     i)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (v, i);

  return g_variant_get_boolean (child);
}

#define STR(id) ((const char *) g_ptr_array_index (self->strings, (id)))

/* Applies one delta to st.  While appending, every index and reference is
 * checked; a replay only meets deltas that passed that check.  When snap is
 * not NULL it receives the step's own facts (freed, gc runs, output). */
static gboolean
apply_delta (HsTrace    *self,
             HsState    *st,
             GVariant   *delta,
             gboolean    appending,
             HsSnapshot *snap,
             GError    **error)
{
  guint32 index, line, return_ref;
  guint8 event;
  gboolean frames_changed;
  g_autoptr(GVariant) strings = NULL;
  g_autoptr(GVariant) frames = NULL;
  g_autoptr(GVariant) objects = NULL;
  g_autoptr(GVariant) refcounts = NULL;
  g_autoptr(GVariant) edge_owners = NULL;
  g_autoptr(GVariant) edges = NULL;
  g_autoptr(GVariant) removed = NULL;
  g_autoptr(GVariant) freed = NULL;
  g_autoptr(GVariant) gc = NULL;
  g_autoptr(GVariant) out = NULL;
  g_autoptr(GVariant) err = NULL;
  const HsWireObject *wobjects;
  const HsWireRefcount *wrefcounts;
  const HsWireEdgeOwner *wowners;
  const HsWireEdge *wedges;
  const guint32 *wremoved;
  const HsWireFreed *wfreed;
  const HsWireGc *wgc;
  gsize n_objects, n_refcounts, n_owners, n_edges, n_removed, n_freed, n_gc;
  guint n_strings;

  /* child by child: g_variant_get() would parse a format string per step */
  index = child_uint32 (delta, 0);
  event = child_byte (delta, 1);
  line = child_uint32 (delta, 2);
  strings = g_variant_get_child_value (delta, 3);
  frames_changed = child_boolean (delta, 4);
  frames = g_variant_get_child_value (delta, 5);
  objects = g_variant_get_child_value (delta, 6);
  refcounts = g_variant_get_child_value (delta, 7);
  edge_owners = g_variant_get_child_value (delta, 8);
  edges = g_variant_get_child_value (delta, 9);
  removed = g_variant_get_child_value (delta, 10);
  freed = g_variant_get_child_value (delta, 11);
  gc = g_variant_get_child_value (delta, 12);
  out = g_variant_get_child_value (delta, 13);
  err = g_variant_get_child_value (delta, 14);
  return_ref = child_uint32 (delta, 15);

  if (appending)
    {
      guint expected = st->index == G_MAXUINT ? 0 : st->index + 1;

      if (index != expected)
        return protocol_error (error, index, "out of order");
      if (event >= HS_N_EVENTS)
        return protocol_error (error, index, "unknown event");
      for (gsize i = 0; i < g_variant_n_children (strings); i++)
        {
          const char *s;

          g_variant_get_child (strings, i, "&s", &s);
          g_ptr_array_add (self->strings, g_strdup (s));
        }
    }
  n_strings = self->strings->len;

  for (guint i = 0; i < st->changed->len; i++)
    ((HsObject *) g_ptr_array_index (st->changed, i))->changes = 0;
  g_ptr_array_set_size (st->changed, 0);

  wobjects = g_variant_get_fixed_array (objects, &n_objects, sizeof (HsWireObject));
  for (gsize i = 0; i < n_objects; i++)
    {
      const HsWireObject *w = &wobjects[i];
      HsObject *o = g_hash_table_lookup (st->objects, GUINT_TO_POINTER (w->ref));

      if (appending && (w->ref == 0 || w->type >= n_strings || w->repr >= n_strings ||
                        HS_OBJECT_GENERATION (w->flags) > HS_OBJECT_NO_GENERATION))
        return protocol_error (error, index, "bad object record");

      if (o == NULL)
        {
          HsLastKnown *seen = g_hash_table_lookup (self->last_known, GUINT_TO_POINTER (w->ref));

          o = g_new0 (HsObject, 1);
          o->ref = w->ref;
          g_hash_table_insert (st->objects, GUINT_TO_POINTER (o->ref), o);

          /* replays know the whole trace, so "new" is judged by the step
           * that first showed the object */
          if (seen == NULL || seen->first_step == index)
            o->changes |= HS_CHANGE_NEW;
          else
            o->changes |= HS_CHANGE_RETURNED;
        }
      o->id = w->id;
      o->type = STR (w->type);
      o->repr = STR (w->repr);
      o->refcount = w->refcount;
      o->size = (w->flags & HS_OBJECT_SIZE_KNOWN) ? w->size : -1;
      o->flags = w->flags;
      o->length = w->length;
      o->omitted = w->omitted;
      if (o->changes)
        g_ptr_array_add (st->changed, o);

      if (appending)
        {
          HsLastKnown *lk = g_hash_table_lookup (self->last_known, GUINT_TO_POINTER (w->ref));

          if (lk == NULL)
            {
              lk = g_new0 (HsLastKnown, 1);
              lk->first_step = index;
              g_hash_table_insert (self->last_known, GUINT_TO_POINTER (w->ref), lk);
            }
          lk->type = o->type;
          lk->repr = o->repr;
        }
    }

  wrefcounts = g_variant_get_fixed_array (refcounts, &n_refcounts, sizeof (HsWireRefcount));
  for (gsize i = 0; i < n_refcounts; i++)
    {
      HsObject *o = g_hash_table_lookup (st->objects, GUINT_TO_POINTER (wrefcounts[i].ref));

      if (o == NULL)
        return protocol_error (error, index, "refcount of an unknown object");
      o->refcount = wrefcounts[i].refcount;
    }

  wowners = g_variant_get_fixed_array (edge_owners, &n_owners, sizeof (HsWireEdgeOwner));
  wedges = g_variant_get_fixed_array (edges, &n_edges, sizeof (HsWireEdge));
  {
    gsize e = 0;

    for (gsize i = 0; i < n_owners; i++)
      {
        HsObject *o = g_hash_table_lookup (st->objects, GUINT_TO_POINTER (wowners[i].owner));
        gsize start = e;
        guint32 keep = wowners[i].keep;

        if (o == NULL)
          return protocol_error (error, index, "edges of an unknown object");
        if (keep > o->n_edges)
          return protocol_error (error, index, "keeps more edges than it had");
        while (e < n_edges && wedges[e].owner == wowners[i].owner)
          e++;

        o->n_edges = keep + (e - start);
        o->edges = g_renew (HsEdge, o->edges, o->n_edges);
        for (gsize k = start; k < e; k++)
          {
            HsEdge *edge = &o->edges[keep + k - start];

            if (appending && (wedges[k].kind >= HS_N_EDGE_KINDS || wedges[k].label >= n_strings))
              return protocol_error (error, index, "bad edge");
            edge->kind = wedges[k].kind;
            edge->label = STR (wedges[k].label);
            edge->target = wedges[k].target;
          }
        /* an object entering the snapshot brings its references along */
        if (!(o->changes & (HS_CHANGE_NEW | HS_CHANGE_RETURNED)))
          {
            if (o->changes == 0)
              g_ptr_array_add (st->changed, o);
            o->changes |= HS_CHANGE_MUTATED;
          }
      }
    if (appending && e != n_edges)
      return protocol_error (error, index, "edge without an owner");
  }

  wremoved = g_variant_get_fixed_array (removed, &n_removed, sizeof (guint32));
  for (gsize i = 0; i < n_removed; i++)
    if (!g_hash_table_remove (st->objects, GUINT_TO_POINTER (wremoved[i])) && appending)
      return protocol_error (error, index, "removal of an unknown object");

  wfreed = g_variant_get_fixed_array (freed, &n_freed, sizeof (HsWireFreed));
  for (gsize i = 0; i < n_freed; i++)
    {
      HsLastKnown *lk = g_hash_table_lookup (self->last_known, GUINT_TO_POINTER (wfreed[i].ref));

      if (appending && (wfreed[i].cause >= HS_N_FREE_CAUSES || lk == NULL))
        return protocol_error (error, index, "bad free record");
      g_hash_table_remove (st->objects, GUINT_TO_POINTER (wfreed[i].ref));
      if (snap != NULL)
        {
          HsFreed f = { wfreed[i].ref, wfreed[i].cause, lk ? lk->type : "", lk ? lk->repr : "" };

          g_array_append_val (snap->freed, f);
        }
    }

  wgc = g_variant_get_fixed_array (gc, &n_gc, sizeof (HsWireGc));
  for (gsize i = 0; i < n_gc; i++)
    {
      if (appending && wgc[i].generation > 2)
        return protocol_error (error, index, "bad gc record");
      if (snap != NULL)
        {
          HsGcRun r = { wgc[i].generation, wgc[i].collections, wgc[i].collected, wgc[i].uncollectable };

          g_array_append_val (snap->gc_runs, r);
        }
    }

  if (frames_changed)
    {
      GVariantIter iter;
      guint32 function, fline;
      GVariant *vars;

      g_array_set_size (st->frames, 0);
      g_variant_iter_init (&iter, frames);
      while (g_variant_iter_next (&iter, "(uu@au)", &function, &fline, &vars))
        {
          gsize n;
          const guint32 *v = g_variant_get_fixed_array (vars, &n, sizeof (guint32));
          HsFrame f = { 0 };
          gboolean ok = function < n_strings && n % 2 == 0;

          if (ok)
            {
              f.function = STR (function);
              f.line = fline;
              f.n_vars = n / 2;
              f.vars = g_new (HsVar, f.n_vars);
              for (guint k = 0; k < f.n_vars && ok; k++)
                {
                  ok = v[2 * k] < n_strings;
                  f.vars[k].name = ok ? STR (v[2 * k]) : NULL;
                  f.vars[k].ref = v[2 * k + 1];
                }
              g_array_append_val (st->frames, f);
            }
          g_variant_unref (vars);
          if (!ok)
            return protocol_error (error, index, "bad frame");
        }
    }
  else if (st->frames->len > 0)
    g_array_index (st->frames, HsFrame, st->frames->len - 1).line = line;

  /* Every reference drawn must land on an object of this step. */
  if (appending)
    {
      for (guint i = 0; i < st->frames->len; i++)
        {
          HsFrame *f = &g_array_index (st->frames, HsFrame, i);

          for (guint k = 0; k < f->n_vars; k++)
            if (!g_hash_table_contains (st->objects, GUINT_TO_POINTER (f->vars[k].ref)))
              return protocol_error (error, index, "variable bound to an unknown object");
        }
      for (gsize i = 0; i < n_edges; i++)
        if (!g_hash_table_contains (st->objects, GUINT_TO_POINTER (wedges[i].target)))
          return protocol_error (error, index, "reference to an unknown object");
      if (return_ref != 0 && !g_hash_table_contains (st->objects, GUINT_TO_POINTER (return_ref)))
        return protocol_error (error, index, "unknown return value");
    }

  st->index = index;

  if (snap != NULL)
    {
      snap->index = index;
      snap->event = event;
      snap->line = line;
      snap->return_ref = return_ref;
      snap->out = g_variant_get_data_as_bytes (out);
      snap->err = g_variant_get_data_as_bytes (err);
    }
  return TRUE;
}

static HsSnapshot *
snapshot_from_state (HsState    *st,
                     HsSnapshot *snap)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, st->objects);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      HsObject o = *(HsObject *) value;

      o.edges = g_memdup2 (o.edges, o.n_edges * sizeof (HsEdge));
      g_array_append_val (snap->objects, o);
    }
  g_array_sort (snap->objects, compare_objects);

  /* An edge to an object that left without its owner changing can only be
   * stale; keep the picture consistent by dropping it. */
  for (guint i = 0; i < snap->objects->len; i++)
    {
      HsObject *o = &g_array_index (snap->objects, HsObject, i);
      guint k = 0;

      for (guint j = 0; j < o->n_edges; j++)
        if (g_hash_table_contains (st->objects, GUINT_TO_POINTER (o->edges[j].target)))
          o->edges[k++] = o->edges[j];
      o->n_edges = k;
    }

  for (guint i = 0; i < st->frames->len; i++)
    {
      HsFrame f = g_array_index (st->frames, HsFrame, i);

      f.vars = g_memdup2 (f.vars, f.n_vars * sizeof (HsVar));
      g_array_append_val (snap->frames, f);
    }
  return snap;
}

gboolean
hs_trace_append_step (HsTrace   *self,
                      GVariant  *delta,
                      GError   **error)
{
  g_autoptr(HsSnapshot) snap = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  gsize len;

  g_return_val_if_fail (HS_IS_TRACE (self), FALSE);
  g_return_val_if_fail (delta != NULL, FALSE);

  if (!g_variant_is_of_type (delta, HS_STEP_TYPE))
    return protocol_error (error, self->deltas->len, "wrong type");

  locker = g_mutex_locker_new (&self->mutex);
  snap = hs_snapshot_new ();
  if (!apply_delta (self, self->tail, delta, TRUE, snap, error))
    return FALSE;

  g_ptr_array_add (self->deltas, g_variant_ref_sink (delta));
  self->history_bytes += g_variant_get_size (delta);

  g_byte_array_append (self->all_out, g_bytes_get_data (snap->out, &len), g_bytes_get_size (snap->out));
  g_byte_array_append (self->all_err, g_bytes_get_data (snap->err, &len), g_bytes_get_size (snap->err));

  if (snap->index % CHECKPOINT_EVERY == 0)
    g_ptr_array_add (self->checkpoints, snapshot_from_state (self->tail, g_steal_pointer (&snap)));

  return TRUE;
}

guint
hs_trace_get_n_steps (HsTrace *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (self), 0);

  locker = g_mutex_locker_new (&self->mutex);
  return self->deltas->len;
}

HsSnapshot *
hs_trace_get_snapshot (HsTrace *self,
                       guint    index)
{
  g_autoptr(GMutexLocker) locker = NULL;
  HsSnapshot *snap;

  g_return_val_if_fail (HS_IS_TRACE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  g_return_val_if_fail (index < self->deltas->len, NULL);

  if (self->cursor == NULL)
    self->cursor = state_new ();

  /* Walk forward from the cursor when it is close behind, otherwise from the
   * nearest checkpoint before index (or from nothing), so that the step's own
   * changes are replayed too. */
  if (self->cursor->index == G_MAXUINT || self->cursor->index >= index ||
      index - self->cursor->index > CHECKPOINT_EVERY)
    {
      if (index == 0)
        {
          state_free (self->cursor);
          self->cursor = state_new ();
        }
      else
        state_load (self->cursor, g_ptr_array_index (self->checkpoints, (index - 1) / CHECKPOINT_EVERY));
    }

  while (self->cursor->index + 1 < index)
    apply_delta (self, self->cursor, g_ptr_array_index (self->deltas, self->cursor->index + 1), FALSE, NULL, NULL);

  snap = hs_snapshot_new ();
  apply_delta (self, self->cursor, g_ptr_array_index (self->deltas, index), FALSE, snap, NULL);
  return snapshot_from_state (self->cursor, snap);
}

void
hs_trace_set_python_version (HsTrace    *self,
                             const char *version)
{
  g_return_if_fail (HS_IS_TRACE (self));
  g_free (self->python_version);
  self->python_version = g_strdup (version);
}

const char *
hs_trace_get_python_version (HsTrace *self)
{
  g_return_val_if_fail (HS_IS_TRACE (self), NULL);
  return self->python_version;
}

void
hs_trace_finish (HsTrace            *self,
                 const char         *status,
                 int                 exit_code,
                 int                 signal_number,
                 const HsTraceError *error)
{
  g_return_if_fail (HS_IS_TRACE (self));
  g_return_if_fail (status != NULL);

  g_free (self->status);
  self->status = g_strdup (status);
  self->exit_code = exit_code;
  self->signal_number = signal_number;
  self->has_error = error != NULL;
  if (error != NULL)
    {
      self->error.type = g_strdup (error->type);
      self->error.message = g_strdup (error->message);
      self->error.line = error->line;
      self->error.traceback = g_strdup (error->traceback);
    }
}

gboolean
hs_trace_is_finished (HsTrace *self)
{
  g_return_val_if_fail (HS_IS_TRACE (self), FALSE);
  return self->status != NULL;
}

const char *
hs_trace_get_status (HsTrace *self)
{
  g_return_val_if_fail (HS_IS_TRACE (self), NULL);
  return self->status;
}

int
hs_trace_get_exit_code (HsTrace *self)
{
  g_return_val_if_fail (HS_IS_TRACE (self), 0);
  return self->exit_code;
}

int
hs_trace_get_signal (HsTrace *self)
{
  g_return_val_if_fail (HS_IS_TRACE (self), 0);
  return self->signal_number;
}

const HsTraceError *
hs_trace_get_error (HsTrace *self)
{
  g_return_val_if_fail (HS_IS_TRACE (self), NULL);
  return self->has_error ? &self->error : NULL;
}

/* Output written after the last step: atexit handlers, __del__ at shutdown,
 * or whatever a crashing program wrote last. */
void
hs_trace_add_trailing_output (HsTrace *self,
                              GBytes  *out,
                              GBytes  *err)
{
  g_return_if_fail (HS_IS_TRACE (self));

  g_clear_pointer (&self->trailing_out, g_bytes_unref);
  g_clear_pointer (&self->trailing_err, g_bytes_unref);
  self->trailing_out = g_bytes_ref (out);
  self->trailing_err = g_bytes_ref (err);
  g_byte_array_append (self->all_out, g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_byte_array_append (self->all_err, g_bytes_get_data (err, NULL), g_bytes_get_size (err));
}

GBytes *
hs_trace_dup_stdout (HsTrace *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (self), NULL);
  locker = g_mutex_locker_new (&self->mutex);
  return g_bytes_new (self->all_out->data, self->all_out->len);
}

GBytes *
hs_trace_dup_stderr (HsTrace *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (self), NULL);
  locker = g_mutex_locker_new (&self->mutex);
  return g_bytes_new (self->all_err->data, self->all_err->len);
}

GBytes *
hs_trace_get_trailing_stdout (HsTrace *self)
{
  g_return_val_if_fail (HS_IS_TRACE (self), NULL);
  return self->trailing_out;
}

GBytes *
hs_trace_get_trailing_stderr (HsTrace *self)
{
  g_return_val_if_fail (HS_IS_TRACE (self), NULL);
  return self->trailing_err;
}

/* What the history costs: the deltas as received plus the string table. */
gsize
hs_trace_get_history_bytes (HsTrace *self)
{
  gsize bytes;

  g_return_val_if_fail (HS_IS_TRACE (self), 0);

  bytes = self->history_bytes;
  for (guint i = 0; i < self->strings->len; i++)
    bytes += strlen (g_ptr_array_index (self->strings, i)) + 1;
  return bytes;
}
