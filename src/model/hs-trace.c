/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-trace"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "hs-snapshot-private.h"
#include "hs-trace.h"

/* A full snapshot every this many steps bounds a jump anywhere in the trace
 * to replaying at most this many deltas. */
#define CHECKPOINT_EVERY 256
/* A checkpoint that would copy more than this many frames and objects
 * per step since the last one is left out (NULL): a recursion 50,000
 * frames deep would otherwise copy its whole stack every 256 steps. */
#define CHECKPOINT_ITEMS_PER_STEP 16

typedef struct
{
  GHashTable *objects;      /* ref -> HsObject*, edges owned */
  GArray     *frames;       /* HsFrame, vars owned */
  /* ref -> how many variables of the frames are bound to it, for the
   * validation of a step that keeps frames (NULL but in the tail) */
  GHashTable *frame_refs;
  GPtrArray  *changed;      /* HsObject* whose changes flags are set */
  guint       index;        /* index of the last step applied, G_MAXUINT if none */
} HsState;

typedef struct
{
  const char *type;
  const char *repr;
  guint       first_step;
} HsLastKnown;

struct _HsTraceCursor
{
  HsTrace    *trace;      /* not held when borrowed */
  HsState    *state;      /* the trace's tail when borrowed */
  gboolean    borrowed;   /* a streaming trace's own */
  HsSnapshot *facts;      /* the step's own facts: freed, gc runs, output */
  GHashTable *marks;      /* ref -> which list of the delta holds it */
  GArray     *touched;
  GArray     *refcounts;
  GArray     *removed;
};

/* One batch of steps as the runtime sent it; the steps point into it. */
typedef struct
{
  GVariant             *value;
  const HsWireStep     *steps;
  gsize                 n_steps;
  const guint32        *frame_words;
  const HsWireObject   *objects;
  const HsWireRefcount *refcounts;
  const HsWireEdgeOwner *owners;
  const HsWireEdge     *edges;
  const guint32        *removed;
  const HsWireFreed    *freed;
  const HsWireGc       *gc;
  GBytes               *out;
  GBytes               *err;
  gsize                 n_frame_words, n_objects, n_refcounts, n_owners, n_edges,
                        n_removed, n_freed, n_gc;
} HsBatch;

/* Where one step's parts start in its batch. */
typedef struct _HsStepRecord HsStepRecord;
struct _HsStepRecord
{
  HsBatch *batch;
  guint32  step;            /* within the batch */
  guint32  first_string;    /* id of its first new string */
  guint32  frame_words, objects, refcounts, owners, edges, removed, freed, gc, out, err;
};

struct _HsTrace
{
  GObject      parent_instance;

  GMutex       mutex;
  GPtrArray   *strings;       /* char*, owned: the shared string table */
  GPtrArray   *batches;       /* HsBatch* */
  GArray      *records;       /* HsStepRecord, one per step */
  GPtrArray   *checkpoints;   /* HsSnapshot* at k * CHECKPOINT_EVERY, or NULL */
  guint        max_frames;    /* the deepest stack of any step */
  guint        last_checkpoint;
  HsState     *tail;          /* after the last appended step */
  HsState     *cursor;        /* for replay */
  GHashTable  *last_known;    /* ref -> HsLastKnown*, for ghosts */
  /* refs of the objects that gained entries at some step, each to 1 +
   * the last such step: the layout keeps room below those alone, until
   * then (hs_trace_ref_growing()).  Copied on write once handed out,
   * since a layout thread may be reading it. */
  GHashTable  *growing;
  gboolean     growing_shared;
  GHashTable  *view;          /* validation's overlay, see view_lookup() */
  GHashTable  *seen;          /* refs the step being validated brings in */
  gsize        history_bytes;

  char        *python_version;
  /* the files the frames ran (their names are the string table's), the
   * program's own (the outermost frame's), and the text of each */
  GHashTable  *files;
  const char  *main_file;
  GHashTable  *sources;       /* file -> text, both owned */
  char       **args;          /* sys.argv[1:], or NULL when not known */
  char        *input;         /* what the program's standard input held */
  /* What a finish publishes is never freed before the trace: a window's
   * thread reads it while the runner's may finish again (a live session
   * ends after its run, then when it is closed).  status is interned. */
  const char  *status;
  int          exit_code;
  int          signal_number;
  HsTraceError *error;
  GPtrArray   *retired;       /* errors and trailing output replaced */
  GByteArray  *all_out;
  GByteArray  *all_err;
  gsize        out_seen;      /* what the steps showed of stdout, stderr */
  gsize        err_seen;

  /* a trace that streams its steps out and keeps none of them */
  HsTraceStepFunc stream_func;
  gpointer     stream_data;
  HsTraceCursor *stream_cursor;  /* stands at the tail */
  guint        n_streamed;
  GBytes      *trailing_out;
  GBytes      *trailing_err;
};

G_DEFINE_FINAL_TYPE (HsTrace, hs_trace, G_TYPE_OBJECT)

static void cursor_free_borrowed (HsTraceCursor *cursor);

/* Every frame begins as the innermost one of a step, except those of a
 * trace's first step, which may begin deep. */
static void
note_files (HsTrace *self)
{
  GArray *frames = self->tail->frames;
  guint from = self->main_file == NULL ? 0 : frames->len - MIN (frames->len, 1);

  g_assert (HS_IS_TRACE (self));

  for (guint i = from; i < frames->len; i++)
    {
      const char *file = g_array_index (frames, HsFrame, i).file;

      if (file != NULL)
        g_hash_table_add (self->files, (gpointer) file);
    }
  if (self->main_file == NULL && frames->len > 0)
    self->main_file = g_array_index (frames, HsFrame, 0).file;
}
static void cursor_describe      (HsTraceCursor      *cursor,
                                  const HsStepRecord *rec,
                                  HsTraceDelta       *delta);

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
  g_free (((HsFrame *) data)->unbound);
}

static void
batch_free (HsBatch *batch)
{
  g_variant_unref (batch->value);
  g_bytes_unref (batch->out);
  g_bytes_unref (batch->err);
  g_free (batch);
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
  g_clear_pointer (&st->frame_refs, g_hash_table_unref);
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
      f.unbound = g_memdup2 (f.unbound, f.n_unbound * sizeof (const char *));
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
trace_error_free (HsTraceError *error)
{
  g_free ((char *) error->type);
  g_free ((char *) error->message);
  g_free ((char *) error->traceback);
  g_free (error);
}

typedef struct
{
  gpointer       data;
  GDestroyNotify free_func;
} Retired;

static void
retired_free (gpointer data)
{
  Retired *r = data;

  r->free_func (r->data);
  g_free (r);
}

/* Keeps a value a getter may have handed out until the trace goes. */
static void
retire (HsTrace        *self,
        gpointer        data,
        GDestroyNotify  free_func)
{
  Retired *r;

  g_assert (HS_IS_TRACE (self));

  if (data == NULL)
    return;
  r = g_new (Retired, 1);
  r->data = data;
  r->free_func = free_func;
  g_ptr_array_add (self->retired, r);
}

static void
hs_trace_finalize (GObject *object)
{
  HsTrace *self = (HsTrace *) object;

  g_mutex_clear (&self->mutex);
  g_ptr_array_unref (self->strings);
  g_array_unref (self->records);
  g_ptr_array_unref (self->batches);
  g_ptr_array_unref (self->checkpoints);
  state_free (self->tail);
  state_free (self->cursor);
  g_hash_table_unref (self->last_known);
  g_hash_table_unref (self->growing);
  g_hash_table_unref (self->view);
  g_hash_table_unref (self->seen);
  g_free (self->python_version);
  g_hash_table_unref (self->files);
  g_hash_table_unref (self->sources);
  g_strfreev (self->args);
  g_free (self->input);
  g_clear_pointer (&self->error, trace_error_free);
  g_ptr_array_unref (self->retired);
  g_byte_array_unref (self->all_out);
  g_byte_array_unref (self->all_err);
  g_clear_pointer (&self->trailing_out, g_bytes_unref);
  g_clear_pointer (&self->trailing_err, g_bytes_unref);
  g_clear_pointer (&self->stream_cursor, cursor_free_borrowed);

  G_OBJECT_CLASS (hs_trace_parent_class)->finalize (object);
}

/* A checkpoint left out is NULL (see checkpoint_is_worth). */
static void
checkpoint_free (gpointer data)
{
  if (data != NULL)
    hs_snapshot_unref (data);
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
  self->retired = g_ptr_array_new_with_free_func (retired_free);
  self->strings = g_ptr_array_new_with_free_func (g_free);
  self->batches = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_free);
  self->records = g_array_new (FALSE, FALSE, sizeof (HsStepRecord));
  self->checkpoints = g_ptr_array_new_with_free_func (checkpoint_free);
  self->tail = state_new ();
  self->tail->frame_refs = g_hash_table_new (NULL, NULL);
  self->last_known = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->growing = g_hash_table_new (NULL, NULL);
  self->view = g_hash_table_new (NULL, NULL);
  self->seen = g_hash_table_new (NULL, NULL);
  self->files = g_hash_table_new (g_str_hash, g_str_equal);
  self->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
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

#define STR(id) ((const char *) g_ptr_array_index (self->strings, (id)))

/* Where one step's parts are in its batch. */
typedef struct
{
  const HsWireStep      *step;
  const HsWireObject    *objects;
  const HsWireRefcount  *refcounts;
  const HsWireEdgeOwner *owners;
  const HsWireEdge      *edges;
  const guint32         *removed;
  const HsWireFreed     *freed;
  const HsWireGc        *gc;
  const guint32         *frame_words;
  guint                  n_strings;   /* ids the step may use: every string up to its own */
} HsDeltaParts;

static void
delta_parts (const HsStepRecord *rec,
             HsDeltaParts       *p)
{
  const HsBatch *batch = rec->batch;

  p->step = &batch->steps[rec->step];
  /* An empty part of a batch is a NULL array: NULL + 0 is undefined in C. */
#define PART(field) (batch->field != NULL ? batch->field + rec->field : NULL)
  p->objects = PART (objects);
  p->refcounts = PART (refcounts);
  p->owners = PART (owners);
  p->edges = PART (edges);
  p->removed = PART (removed);
  p->freed = PART (freed);
  p->gc = PART (gc);
  p->frame_words = PART (frame_words);
#undef PART
  p->n_strings = rec->first_string + p->step->n_strings;
}

/* The validation pass sees the state as the step would leave it through an
 * overlay of the refs the step touches: ref -> its number of edges plus one,
 * or 0 once the step removed it.  The state itself is never written. */
static gboolean
view_lookup (HsTrace *self,
             HsState *st,
             guint32  ref,
             guint   *n_edges)
{
  gpointer value;

  if (g_hash_table_lookup_extended (self->view, GUINT_TO_POINTER (ref), NULL, &value))
    {
      if (value == NULL)
        return FALSE;
      if (n_edges != NULL)
        *n_edges = GPOINTER_TO_SIZE (value) - 1;
      return TRUE;
    }
  else
    {
      const HsObject *o = g_hash_table_lookup (st->objects, GUINT_TO_POINTER (ref));

      if (o != NULL && n_edges != NULL)
        *n_edges = o->n_edges;
      return o != NULL;
    }
}

static void
view_set (HsTrace *self,
          guint32  ref,
          gboolean present,
          guint    n_edges)
{
  g_hash_table_insert (self->view, GUINT_TO_POINTER (ref),
                       present ? GSIZE_TO_POINTER ((gsize) n_edges + 1) : NULL);
}

static void
count_frame_refs (HsState      *st,
                  const HsFrame *f,
                  int           delta)
{
  if (st->frame_refs == NULL)
    return;
  for (guint k = 0; k < f->n_vars; k++)
    {
      gpointer key = GUINT_TO_POINTER (f->vars[k].ref);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (st->frame_refs, key)) + delta;

      if (n > 0)
        g_hash_table_insert (st->frame_refs, key, GUINT_TO_POINTER (n));
      else
        g_hash_table_remove (st->frame_refs, key);
    }
}

/* Whether every variable of the frames the step keeps (all of them when
 * its frames did not change) is bound to an object still there after it:
 * only the refs that leave need looking at, against the count of the
 * variables bound to each (st->frame_refs), less those of the frames the
 * step replaces. */
static gboolean
frames_kept_are_bound (HsTrace            *self,
                       HsState            *st,
                       const HsWireStep   *step,
                       const HsDeltaParts *p)
{
  g_autoptr(GHashTable) dropped = NULL;
  guint keep = step->frames_changed ? step->keep_frames : st->frames->len;

  g_assert (st->frame_refs != NULL && keep <= st->frames->len);
  if (step->n_removed == 0 && step->n_freed == 0)
    return TRUE;
  if (keep < st->frames->len)
    {
      dropped = g_hash_table_new (NULL, NULL);
      for (guint i = keep; i < st->frames->len; i++)
        {
          const HsFrame *f = &g_array_index (st->frames, HsFrame, i);

          for (guint k = 0; k < f->n_vars; k++)
            {
              gpointer key = GUINT_TO_POINTER (f->vars[k].ref);

              g_hash_table_insert (dropped, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (dropped, key)) + 1));
            }
        }
    }
  for (gsize i = 0; i < step->n_removed + step->n_freed; i++)
    {
      guint32 ref = i < step->n_removed ? p->removed[i] : p->freed[i - step->n_removed].ref;
      gpointer key = GUINT_TO_POINTER (ref);
      guint bound = GPOINTER_TO_UINT (g_hash_table_lookup (st->frame_refs, key));

      if (dropped != NULL)
        bound -= GPOINTER_TO_UINT (g_hash_table_lookup (dropped, key));
      if (bound > 0 && !view_lookup (self, st, ref, NULL))
        return FALSE;
    }
  return TRUE;
}

/* Checks every index and reference of one delta against st, as the step
 * would change it, without changing anything: a step is either applied
 * whole or not at all, and applying it cannot fail. */
static gboolean
validate_delta (HsTrace            *self,
                HsState            *st,
                guint32             index,
                const HsStepRecord *rec,
                GError            **error)
{
  HsDeltaParts p;
  const HsWireStep *step;
  gsize e = 0;

  g_assert (st != NULL && rec != NULL);

  delta_parts (rec, &p);
  step = p.step;
  g_hash_table_remove_all (self->view);
  g_hash_table_remove_all (self->seen);

  if (step->event >= HS_N_EVENTS)
    return protocol_error (error, index, "unknown event");
  if (step->return_borrowed > 1 || (step->return_borrowed && step->return_ref == 0))
    return protocol_error (error, index, "bad return value");
  if (step->yielded > 1 || (step->yielded && (step->return_ref == 0 || step->return_borrowed)))
    return protocol_error (error, index, "bad yielded value");

  for (gsize i = 0; i < step->n_objects; i++)
    {
      const HsWireObject *w = &p.objects[i];
      guint n_edges = 0;

      if (w->ref == 0 || w->type >= p.n_strings || w->repr >= p.n_strings ||
          (w->module != HS_WIRE_NO_STRING && w->module >= p.n_strings) ||
          HS_OBJECT_GENERATION (w->flags) > HS_OBJECT_NO_GENERATION ||
          ((w->flags & HS_OBJECT_COLLECTING) &&
           (!(w->flags & HS_OBJECT_GC_TRACKED) || HS_OBJECT_GENERATION (w->flags) != HS_OBJECT_NO_GENERATION)))
        return protocol_error (error, index, "bad object record");
      /* an object entering keeps whatever edges it had, none if new */
      view_lookup (self, st, w->ref, &n_edges);
      view_set (self, w->ref, TRUE, n_edges);
      g_hash_table_add (self->seen, GUINT_TO_POINTER (w->ref));
    }

  for (gsize i = 0; i < step->n_refcounts; i++)
    if (!view_lookup (self, st, p.refcounts[i].ref, NULL))
      return protocol_error (error, index, "refcount of an unknown object");

  for (gsize i = 0; i < step->n_edge_owners; i++)
    {
      guint32 owner = p.owners[i].owner;
      gsize start = e;
      guint n_edges;
      guint64 n_held = 0;

      if (!view_lookup (self, st, owner, &n_edges))
        return protocol_error (error, index, "edges of an unknown object");
      if (p.owners[i].keep > n_edges)
        return protocol_error (error, index, "keeps more edges than it had");
      while (e < step->n_edges && p.edges[e].owner == owner)
        {
          if (p.edges[e].kind >= HS_N_EDGE_KINDS || p.edges[e].label >= p.n_strings)
            return protocol_error (error, index, "bad edge");
          /* each holder's count, and all of one object's together, so
           * that no sum of them wraps */
          if (HS_EDGE_KIND_IS_HELD (p.edges[e].kind) &&
              (p.edges[e].count == 0 || (n_held += p.edges[e].count) > HS_PROTOCOL_MAX_HELD_COUNT))
            return protocol_error (error, index, "bad hidden holder count");
          e++;
        }
      view_set (self, owner, TRUE, p.owners[i].keep + (e - start));
    }
  if (e != step->n_edges)
    return protocol_error (error, index, "edge without an owner");

  for (gsize i = 0; i < step->n_removed; i++)
    {
      if (!view_lookup (self, st, p.removed[i], NULL))
        return protocol_error (error, index, "removal of an unknown object");
      view_set (self, p.removed[i], FALSE, 0);
    }

  for (gsize i = 0; i < step->n_freed; i++)
    {
      guint32 ref = p.freed[i].ref;

      if (p.freed[i].cause >= HS_N_FREE_CAUSES ||
          (!g_hash_table_contains (self->last_known, GUINT_TO_POINTER (ref)) &&
           !g_hash_table_contains (self->seen, GUINT_TO_POINTER (ref))))
        return protocol_error (error, index, "bad free record");
      view_set (self, ref, FALSE, 0);
    }

  for (gsize i = 0; i < step->n_gc; i++)
    if (p.gc[i].generation > 2)
      return protocol_error (error, index, "bad gc record");

  /* Every reference drawn must land on an object of this step: those of
   * the frames sent are looked up, and none that leaves may be bound in a
   * frame kept. */
  if (step->frames_changed && step->keep_frames > st->frames->len)
    return protocol_error (error, index, "keeps more frames than there were");
  if (!frames_kept_are_bound (self, st, step, &p))
    return protocol_error (error, index, "variable bound to an unknown object");
  if (step->frames_changed)
    {
      const guint32 *w = p.frame_words;
      gsize n = step->n_frame_words;
      gsize i = 0;

      while (i < n)
        {
          guint32 n_vars, n_unbound;

          if (n - i < HS_PROTOCOL_FRAME_HEADER_WORDS || w[i] >= p.n_strings || w[i + 4] >= p.n_strings ||
              w[i + 2] > (n - i - HS_PROTOCOL_FRAME_HEADER_WORDS) / 2 ||
              w[i + 3] > n - i - HS_PROTOCOL_FRAME_HEADER_WORDS - 2 * (gsize) w[i + 2])
            return protocol_error (error, index, "bad frame");
          n_vars = w[i + 2];
          n_unbound = w[i + 3];
          i += HS_PROTOCOL_FRAME_HEADER_WORDS;
          for (guint k = 0; k < n_vars; k++, i += 2)
            {
              if (w[i] >= p.n_strings)
                return protocol_error (error, index, "bad frame");
              if (!view_lookup (self, st, w[i + 1], NULL))
                return protocol_error (error, index, "variable bound to an unknown object");
            }
          for (guint k = 0; k < n_unbound; k++, i++)
            if (w[i] >= p.n_strings)
              return protocol_error (error, index, "bad frame");
        }
    }

  /* a hidden holder's edge counts references to its owner, checked above */
  for (gsize i = 0; i < step->n_edges; i++)
    if (!HS_EDGE_KIND_IS_HELD (p.edges[i].kind) && !view_lookup (self, st, p.edges[i].target, NULL))
      return protocol_error (error, index, "reference to an unknown object");
  if (step->return_ref != 0 && !view_lookup (self, st, step->return_ref, NULL))
    return protocol_error (error, index, "unknown return value");

  return TRUE;
}

/* How many of o's edges the graph draws: the held self-edges come last */
static guint
count_drawn_edges (const HsObject *o)
{
  guint n = 0;

  g_assert (o != NULL);

  while (n < o->n_edges && !HS_EDGE_KIND_IS_HELD (o->edges[n].kind))
    n++;
  return n;
}

/* An object leaving the state leaves the list of changed ones too, or the
 * next step would clear its marks after it was freed. */
static void
state_remove (HsState *st,
              guint32  ref)
{
  HsObject *o = g_hash_table_lookup (st->objects, GUINT_TO_POINTER (ref));

  g_assert (st != NULL);

  if (o == NULL)
    return;
  if (o->changes != 0)
    g_ptr_array_remove_fast (st->changed, o);
  g_hash_table_remove (st->objects, GUINT_TO_POINTER (ref));
}

/* When var, sent again at step index as the k-th name of its frame, came to
 * point where it does: the step that bound it, kept from the frame as it
 * was, or this one.  A frame is sent whole when any of its names changes,
 * mostly in the same order, so the same slot is looked at first.  A name
 * may be listed twice (from 3.12 on, a module's frame lists a running
 * comprehension's x before the global x it hides): so the name is taken
 * as bound before only where the frame as it was had it point at the same
 * object, not by the first slot of that name. */
static guint
var_bound_at (const HsFrame *was,
              guint          k,
              const HsVar   *var,
              guint          index)
{
  g_assert (was != NULL && var != NULL);

  if (k < was->n_vars && was->vars[k].ref == var->ref && g_strcmp0 (was->vars[k].name, var->name) == 0)
    return was->vars[k].bound_at;
  for (guint j = 0; j < was->n_vars; j++)
    if (was->vars[j].ref == var->ref && g_strcmp0 (was->vars[j].name, var->name) == 0)
      return was->vars[j].bound_at;
  return index;
}

/* Notes that the object ref gained entries at step index while the
 * trace was recorded */
static void
note_growing (HsTrace *self,
              guint32  ref,
              guint32  index)
{
  gpointer last = GUINT_TO_POINTER (index + 1);

  if (g_hash_table_lookup (self->growing, GUINT_TO_POINTER (ref)) == last)
    return;
  if (self->growing_shared)
    {
      GHashTable *copy = g_hash_table_new (NULL, NULL);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, self->growing);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (copy, key, value);
      g_hash_table_unref (self->growing);
      self->growing = copy;
      self->growing_shared = FALSE;
    }
  g_hash_table_insert (self->growing, GUINT_TO_POINTER (ref), last);
}

/* Applies one delta that validate_delta() accepted against this same state
 * (appending), or that it accepted once before (a replay).  While appending
 * it also records what the trace learns of each object.  When snap is not
 * NULL it receives the step's own facts (freed, gc runs, output). */
static void
apply_delta (HsTrace            *self,
             HsState            *st,
             guint32             index,
             const HsStepRecord *rec,
             gboolean            appending,
             HsSnapshot         *snap)
{
  const HsBatch *batch = rec->batch;
  HsDeltaParts p;
  const HsWireStep *step;
  gsize e = 0;

  g_assert (st != NULL && rec != NULL);

  delta_parts (rec, &p);
  step = p.step;

  for (guint i = 0; i < st->changed->len; i++)
    ((HsObject *) g_ptr_array_index (st->changed, i))->changes = 0;
  g_ptr_array_set_size (st->changed, 0);

  for (gsize i = 0; i < step->n_objects; i++)
    {
      const HsWireObject *w = &p.objects[i];
      HsObject *o = g_hash_table_lookup (st->objects, GUINT_TO_POINTER (w->ref));

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
          g_ptr_array_add (st->changed, o);
        }
      o->id = w->id;
      o->type = STR (w->type);
      o->repr = STR (w->repr);
      o->module = w->module != HS_WIRE_NO_STRING ? STR (w->module) : NULL;
      o->refcount = w->refcount;
      o->size = (w->flags & HS_OBJECT_SIZE_KNOWN) ? w->size : -1;
      /* "created" belongs to the step whose record says so, not to the
       * object: it is kept as a change of this step only */
      o->flags = w->flags & ~HS_OBJECT_CREATED;
      if (w->flags & HS_OBJECT_CREATED)
        {
          if (o->changes == 0)
            g_ptr_array_add (st->changed, o);
          o->changes |= HS_CHANGE_CREATED;
        }
      /* a container over the element cap grows uncounted by its edges */
      if (appending && (w->flags & HS_OBJECT_CONTAINER) && w->length > o->length &&
          !(o->changes & (HS_CHANGE_NEW | HS_CHANGE_RETURNED)))
        note_growing (self, o->ref, index);
      o->length = w->length;
      o->omitted = w->omitted;

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

  for (gsize i = 0; i < step->n_refcounts; i++)
    {
      HsObject *o = g_hash_table_lookup (st->objects, GUINT_TO_POINTER (p.refcounts[i].ref));

      o->refcount = p.refcounts[i].refcount;
    }

  for (gsize i = 0; i < step->n_edge_owners; i++)
    {
      HsObject *o = g_hash_table_lookup (st->objects, GUINT_TO_POINTER (p.owners[i].owner));
      gsize start = e;
      guint32 keep = p.owners[i].keep;
      guint old_drawn = count_drawn_edges (o), drawn;
      gboolean drawn_changed = FALSE;

      while (e < step->n_edges && p.edges[e].owner == p.owners[i].owner)
        e++;

      o->n_edges = keep + (e - start);
      o->edges = g_renew (HsEdge, o->edges, o->n_edges);
      for (gsize k = start; k < e; k++)
        {
          HsEdge *edge = &o->edges[keep + k - start];

          /* the held self-edges come after the drawn ones: one sent again
           * in place of a drawn one is a change the graph shows */
          drawn_changed |= !HS_EDGE_KIND_IS_HELD (p.edges[k].kind) || keep + k - start < old_drawn;
          edge->kind = p.edges[k].kind;
          edge->label = STR (p.edges[k].label);
          if (HS_EDGE_KIND_IS_HELD (edge->kind))
            {
              edge->target = o->ref;
              edge->count = p.edges[k].count;
            }
          else
            {
              edge->target = p.edges[k].target;
              edge->count = 1;
            }
        }
      drawn = count_drawn_edges (o);
      drawn_changed |= drawn != old_drawn;
      if (appending && drawn > old_drawn && !(o->changes & (HS_CHANGE_NEW | HS_CHANGE_RETURNED)))
        note_growing (self, o->ref, index);
      /* an object entering the snapshot brings its references along; one
       * whose hidden holders alone changed (a function whose call
       * returned, a class that gained an instance) was not mutated */
      if (drawn_changed && !(o->changes & (HS_CHANGE_NEW | HS_CHANGE_RETURNED)))
        {
          if (o->changes == 0)
            g_ptr_array_add (st->changed, o);
          o->changes |= HS_CHANGE_MUTATED;
        }
    }

  for (gsize i = 0; i < step->n_removed; i++)
    state_remove (st, p.removed[i]);

  for (gsize i = 0; i < step->n_freed; i++)
    {
      HsLastKnown *lk = g_hash_table_lookup (self->last_known, GUINT_TO_POINTER (p.freed[i].ref));

      state_remove (st, p.freed[i].ref);
      if (snap != NULL)
        {
          HsFreed f = { p.freed[i].ref, p.freed[i].cause, lk ? lk->type : "", lk ? lk->repr : "" };

          g_array_append_val (snap->freed, f);
        }
      /* a ref is never reused, and a streaming trace replays nothing:
       * what it knew of a freed object is of no more use (the strings
       * stay, in the string table) */
      if (appending && self->stream_func != NULL)
        g_hash_table_remove (self->last_known, GUINT_TO_POINTER (p.freed[i].ref));
    }

  for (gsize i = 0; snap != NULL && i < step->n_gc; i++)
    {
      HsGcRun r = { p.gc[i].generation, p.gc[i].collections, p.gc[i].collected, p.gc[i].uncollectable };

      g_array_append_val (snap->gc_runs, r);
    }

  if (step->frames_changed)
    {
      const guint32 *w = p.frame_words;
      gsize n = step->n_frame_words;
      gsize i = 0;

      g_autoptr(GArray) sent = g_array_new (FALSE, FALSE, sizeof (HsFrame));

      while (i < n)
        {
          guint at = step->keep_frames + sent->len;
          const HsFrame *was = at < st->frames->len ? &g_array_index (st->frames, HsFrame, at) : NULL;
          HsFrame f = { 0 };

          f.function = STR (w[i]);
          f.line = w[i + 1];
          f.n_vars = w[i + 2];
          f.vars = g_new (HsVar, f.n_vars);
          f.n_unbound = w[i + 3];
          f.unbound = g_new (const char *, f.n_unbound);
          f.file = STR (w[i + 4]);
          i += HS_PROTOCOL_FRAME_HEADER_WORDS;
          if (was != NULL && g_strcmp0 (was->function, f.function) != 0)
            was = NULL;
          for (guint k = 0; k < f.n_vars; k++, i += 2)
            {
              f.vars[k].name = STR (w[i]);
              f.vars[k].ref = w[i + 1];
              f.vars[k].bound_at = was != NULL ? var_bound_at (was, k, &f.vars[k], index)
                                               : HS_VAR_BOUND_WITH_FRAME;
            }
          for (guint k = 0; k < f.n_unbound; k++, i++)
            f.unbound[k] = STR (w[i]);
          g_array_append_val (sent, f);
        }
      /* the frames past those kept are replaced */
      for (guint k = step->keep_frames; k < st->frames->len; k++)
        count_frame_refs (st, &g_array_index (st->frames, HsFrame, k), -1);
      g_array_set_size (st->frames, step->keep_frames);
      for (guint k = 0; k < sent->len; k++)
        count_frame_refs (st, &g_array_index (sent, HsFrame, k), 1);
      g_array_append_vals (st->frames, sent->data, sent->len);
    }
  else if (st->frames->len > 0)
    g_array_index (st->frames, HsFrame, st->frames->len - 1).line = step->line;

  st->index = index;

  if (snap != NULL)
    {
      snap->index = index;
      snap->event = step->event;
      snap->line = step->line;
      snap->return_ref = step->return_ref;
      snap->return_borrowed = step->return_borrowed;
      snap->yielded = step->yielded;
      snap->out = g_bytes_new_from_bytes (batch->out, rec->out, step->n_out);
      snap->err = g_bytes_new_from_bytes (batch->err, rec->err, step->n_err);
    }
}

static void
add_referrer (HsSnapshot *snap,
              guint32     ref)
{
  HsObject *o = (HsObject *) hs_snapshot_lookup (snap, ref);

  if (o != NULL)
    o->n_referrers++;
}

/* Once per snapshot, so that asking an object's hidden references does not
 * scan every edge each time. */
static void
count_referrers (HsSnapshot *snap)
{
  for (guint i = 0; i < snap->objects->len; i++)
    g_array_index (snap->objects, HsObject, i).n_referrers = 0;
  for (guint i = 0; i < snap->frames->len; i++)
    {
      const HsFrame *f = &g_array_index (snap->frames, HsFrame, i);

      for (guint j = 0; j < f->n_vars; j++)
        add_referrer (snap, f->vars[j].ref);
    }
  for (guint i = 0; i < snap->objects->len; i++)
    {
      const HsObject *o = &g_array_index (snap->objects, HsObject, i);

      for (guint j = 0; j < o->n_edges; j++)
        if (!HS_EDGE_KIND_IS_HELD (o->edges[j].kind))
          add_referrer (snap, o->edges[j].target);
    }
  /* the innermost frame draws its return value as one more arrow, which
   * holds a reference unless the return has not taken it yet */
  if (snap->return_ref != 0 && !snap->return_borrowed && snap->frames->len > 0)
    add_referrer (snap, snap->return_ref);
}

static HsSnapshot *
snapshot_from_state (HsState    *st,
                     HsSnapshot *snap,
                     gboolean    drop_stale)
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
   * stale (a worker gone wrong); the picture drops it.  A checkpoint keeps
   * the state exactly as the deltas left it, or replaying from it would
   * disagree with what was validated. */
  for (guint i = 0; drop_stale && i < snap->objects->len; i++)
    {
      HsObject *o = &g_array_index (snap->objects, HsObject, i);
      guint k = 0;

      for (guint j = 0; j < o->n_edges; j++)
        {
          const HsEdge *edge = &o->edges[j];

          if (!g_hash_table_contains (st->objects, GUINT_TO_POINTER (edge->target)))
            continue;
          /* what holds it unseen is told apart from what the graph draws */
          if (HS_EDGE_KIND_IS_HELD (edge->kind))
            hs_hidden_refs_add (snap->hidden, edge);
          else
            o->edges[k++] = *edge;
        }
      o->n_edges = k;
    }
  if (drop_stale)
    hs_snapshot_settle_held (snap);

  for (guint i = 0; i < st->frames->len; i++)
    {
      HsFrame f = g_array_index (st->frames, HsFrame, i);

      f.vars = g_memdup2 (f.vars, f.n_vars * sizeof (HsVar));
      f.unbound = g_memdup2 (f.unbound, f.n_unbound * sizeof (const char *));
      g_array_append_val (snap->frames, f);
    }

  count_referrers (snap);
  return snap;
}

static gboolean
batch_parts (HsBatch  *batch,
             GVariant *value)
{
  g_autoptr(GVariant) steps = g_variant_get_child_value (value, 1);
  g_autoptr(GVariant) frames = g_variant_get_child_value (value, 3);
  g_autoptr(GVariant) objects = g_variant_get_child_value (value, 4);
  g_autoptr(GVariant) refcounts = g_variant_get_child_value (value, 5);
  g_autoptr(GVariant) owners = g_variant_get_child_value (value, 6);
  g_autoptr(GVariant) edges = g_variant_get_child_value (value, 7);
  g_autoptr(GVariant) removed = g_variant_get_child_value (value, 8);
  g_autoptr(GVariant) freed = g_variant_get_child_value (value, 9);
  g_autoptr(GVariant) gc = g_variant_get_child_value (value, 10);
  g_autoptr(GVariant) out = g_variant_get_child_value (value, 11);
  g_autoptr(GVariant) err = g_variant_get_child_value (value, 12);

  /* Fixed arrays point into the serialised value, which the batch keeps. */
  batch->value = g_variant_ref (value);
  batch->steps = g_variant_get_fixed_array (steps, &batch->n_steps, sizeof (HsWireStep));
  batch->frame_words = g_variant_get_fixed_array (frames, &batch->n_frame_words, sizeof (guint32));
  batch->objects = g_variant_get_fixed_array (objects, &batch->n_objects, sizeof (HsWireObject));
  batch->refcounts = g_variant_get_fixed_array (refcounts, &batch->n_refcounts, sizeof (HsWireRefcount));
  batch->owners = g_variant_get_fixed_array (owners, &batch->n_owners, sizeof (HsWireEdgeOwner));
  batch->edges = g_variant_get_fixed_array (edges, &batch->n_edges, sizeof (HsWireEdge));
  batch->removed = g_variant_get_fixed_array (removed, &batch->n_removed, sizeof (guint32));
  batch->freed = g_variant_get_fixed_array (freed, &batch->n_freed, sizeof (HsWireFreed));
  batch->gc = g_variant_get_fixed_array (gc, &batch->n_gc, sizeof (HsWireGc));
  batch->out = g_variant_get_data_as_bytes (out);
  batch->err = g_variant_get_data_as_bytes (err);
  return batch->n_steps > 0;
}

/* Checks that the steps' counts add up to exactly the parts the batch
 * carries, and lays out where each step's parts start. */
static gboolean
index_batch (HsBatch *batch,
             guint32  first_string,
             guint    n_strings_sent,
             GArray  *records)
{
  guint64 strings = 0, frame_words = 0, objects = 0, refcounts = 0, owners = 0, edges = 0,
          removed = 0, freed = 0, gc = 0, out = 0, err = 0;

  for (gsize i = 0; i < batch->n_steps; i++)
    {
      const HsWireStep *step = &batch->steps[i];
      HsStepRecord rec = {
        batch, i, first_string + strings, frame_words, objects, refcounts, owners, edges,
        removed, freed, gc, out, err,
      };

      if (!step->frames_changed && (step->n_frame_words != 0 || step->keep_frames != 0))
        return FALSE;
      strings += step->n_strings;
      frame_words += step->n_frame_words;
      objects += step->n_objects;
      refcounts += step->n_refcounts;
      owners += step->n_edge_owners;
      edges += step->n_edges;
      removed += step->n_removed;
      freed += step->n_freed;
      gc += step->n_gc;
      out += step->n_out;
      err += step->n_err;
      g_array_append_val (records, rec);
    }

  return strings == n_strings_sent && frame_words == batch->n_frame_words &&
         objects == batch->n_objects && refcounts == batch->n_refcounts &&
         owners == batch->n_owners && edges == batch->n_edges && removed == batch->n_removed &&
         freed == batch->n_freed && gc == batch->n_gc &&
         out == g_bytes_get_size (batch->out) && err == g_bytes_get_size (batch->err);
}

/* Whether the tail is worth a checkpoint at step index: the first step's
 * always is, and later ones when what it copies is small next to the
 * steps it saves replaying. */
static gboolean
checkpoint_is_worth (HsTrace *self,
                     guint    index)
{
  gsize items = g_hash_table_size (self->tail->objects) + self->tail->frames->len;

  if (index == 0)
    return TRUE;
  for (guint i = 0; i < self->tail->frames->len; i++)
    items += g_array_index (self->tail->frames, HsFrame, i).n_vars + g_array_index (self->tail->frames, HsFrame, i).n_unbound;
  return items <= CHECKPOINT_EVERY * CHECKPOINT_ITEMS_PER_STEP ||
         items <= (gsize) (index - self->last_checkpoint) * CHECKPOINT_ITEMS_PER_STEP;
}

/* A batch of a streaming trace: each step goes to the stream's function
 * as soon as it is applied, and the batch is dropped afterwards. */
static gboolean
stream_batch (HsTrace *self,
              HsBatch *batch,
              GArray  *records,
              GError **error)
{
  HsTraceCursor *cursor = self->stream_cursor;

  for (guint i = 0; i < records->len; i++)
    {
      const HsStepRecord *rec = &g_array_index (records, HsStepRecord, i);
      const HsWireStep *step = &batch->steps[rec->step];
      guint32 index = self->n_streamed;
      HsTraceDelta delta;

      if (!validate_delta (self, self->tail, index, rec, error))
        return FALSE;
      /* the step's own facts, in one snapshot kept for the stream */
      g_array_set_size (cursor->facts->freed, 0);
      g_array_set_size (cursor->facts->gc_runs, 0);
      g_clear_pointer (&cursor->facts->out, g_bytes_unref);
      g_clear_pointer (&cursor->facts->err, g_bytes_unref);
      apply_delta (self, self->tail, index, rec, TRUE, cursor->facts);
      self->n_streamed++;
      self->max_frames = MAX (self->max_frames, self->tail->frames->len);
      note_files (self);
      self->out_seen += step->n_out;
      self->err_seen += step->n_err;
      cursor_describe (cursor, rec, &delta);
      if (!self->stream_func (cursor, &delta, self->stream_data, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
hs_trace_append_batch (HsTrace   *self,
                       GVariant  *value,
                       GError   **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GVariant) strings = NULL;
  g_autoptr(GArray) records = NULL;
  HsBatch *batch;
  guint32 first_index, first_string;
  guint32 n_steps;

  g_return_val_if_fail (HS_IS_TRACE (self), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  n_steps = self->records->len + self->n_streamed;

  if (!g_variant_is_of_type (value, HS_STEPS_TYPE))
    return protocol_error (error, n_steps, "wrong type");

  first_index = child_uint32 (value, 0);
  if (first_index != n_steps)
    return protocol_error (error, first_index, "out of order");

  batch = g_new0 (HsBatch, 1);
  g_ptr_array_add (self->batches, batch);
  strings = g_variant_get_child_value (value, 2);
  first_string = self->strings->len;
  records = g_array_new (FALSE, FALSE, sizeof (HsStepRecord));
  if (!batch_parts (batch, value) ||
      !index_batch (batch, first_string, g_variant_n_children (strings), records))
    return protocol_error (error, first_index, "a batch whose parts do not add up");

  for (gsize i = 0; i < g_variant_n_children (strings); i++)
    {
      const char *str;

      g_variant_get_child (strings, i, "&s", &str);
      g_ptr_array_add (self->strings, g_strdup (str));
    }

  /* a streaming trace counts what it would have kept, for comparison */
  self->history_bytes += g_variant_get_size (value) + records->len * sizeof (HsStepRecord);

  if (self->stream_func != NULL)
    {
      gboolean ok = stream_batch (self, batch, records, error);

      g_ptr_array_set_size (self->batches, 0);
      return ok;
    }

  /* Each step is validated whole before any of it is applied, so that an
   * invalid step leaves the trace exactly as the steps before it left it. */
  for (guint i = 0; i < records->len; i++)
    {
      const HsStepRecord *rec = &g_array_index (records, HsStepRecord, i);
      const HsWireStep *step = &batch->steps[rec->step];
      guint32 index = first_index + i;
      g_autoptr(HsSnapshot) snap = NULL;

      if (!validate_delta (self, self->tail, index, rec, error))
        return FALSE;
      snap = index % CHECKPOINT_EVERY == 0 ? hs_snapshot_new (self->strings) : NULL;
      apply_delta (self, self->tail, index, rec, TRUE, snap);
      if (snap != NULL && !checkpoint_is_worth (self, index))
        {
          g_clear_pointer (&snap, hs_snapshot_unref);
          g_ptr_array_add (self->checkpoints, NULL);
        }
      g_array_append_vals (self->records, rec, 1);
      self->max_frames = MAX (self->max_frames, self->tail->frames->len);
      note_files (self);
      /* an empty batch's output has no data: NULL + 0 is undefined */
      if (step->n_out > 0)
        g_byte_array_append (self->all_out, (const guint8 *) g_bytes_get_data (batch->out, NULL) + rec->out, step->n_out);
      if (step->n_err > 0)
        g_byte_array_append (self->all_err, (const guint8 *) g_bytes_get_data (batch->err, NULL) + rec->err, step->n_err);
      self->out_seen += step->n_out;
      self->err_seen += step->n_err;
      if (snap != NULL)
        {
          g_ptr_array_add (self->checkpoints, snapshot_from_state (self->tail, g_steal_pointer (&snap), FALSE));
          self->last_checkpoint = index;
        }
    }

  return TRUE;
}

/**
 * hs_trace_ref_growing:
 *
 * The refs of the objects that gained entries (items, keys, attributes)
 * at some step, as a table that stays as it is: the objects whose boxes
 * will need more rows than they had when they appeared.  Each maps to 1 +
 * the index of the last step at which it gained entries (use
 * GPOINTER_TO_UINT()): after that step, its box needs no room to grow.
 * NULL while the run is still recorded, when that is not known yet.
 * Unref it with g_hash_table_unref().
 */
GHashTable *
hs_trace_ref_growing (HsTrace *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (self->status == NULL)
    return NULL;
  self->growing_shared = TRUE;
  return g_hash_table_ref (self->growing);
}

guint
hs_trace_get_n_steps (HsTrace *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (self), 0);

  locker = g_mutex_locker_new (&self->mutex);
  return self->records->len + self->n_streamed;
}

HsSnapshot *
hs_trace_get_snapshot (HsTrace *self,
                       guint    index)
{
  g_autoptr(GMutexLocker) locker = NULL;
  HsSnapshot *snap;

  g_return_val_if_fail (HS_IS_TRACE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  g_return_val_if_fail (index < self->records->len, NULL);

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
        {
          guint c = (index - 1) / CHECKPOINT_EVERY;

          while (g_ptr_array_index (self->checkpoints, c) == NULL)
            c--;   /* the first step's is always there */
          if (self->cursor->index == G_MAXUINT || self->cursor->index >= index ||
              self->cursor->index < c * CHECKPOINT_EVERY)
            state_load (self->cursor, g_ptr_array_index (self->checkpoints, c));
        }
    }

  /* Replays meet only deltas validated against the state they rebuild. */
  while (self->cursor->index + 1 < index)
    apply_delta (self, self->cursor, self->cursor->index + 1,
                 &g_array_index (self->records, HsStepRecord, self->cursor->index + 1), FALSE, NULL);

  snap = hs_snapshot_new (self->strings);
  snap->python_version = g_intern_string (self->python_version);
  apply_delta (self, self->cursor, index, &g_array_index (self->records, HsStepRecord, index), FALSE, snap);
  return snapshot_from_state (self->cursor, snap, TRUE);
}

/* What step index printed, read from its record: no state is rebuilt, so
 * that collecting a run's output costs what it printed, not a replay. */
void
hs_trace_get_step_output (HsTrace  *self,
                          guint     index,
                          GBytes  **out,
                          GBytes  **err)
{
  g_autoptr(GMutexLocker) locker = NULL;
  const HsStepRecord *rec;
  const HsWireStep *step;

  g_return_if_fail (HS_IS_TRACE (self));
  g_return_if_fail (out != NULL && err != NULL);

  *out = *err = NULL;
  locker = g_mutex_locker_new (&self->mutex);
  g_return_if_fail (index < self->records->len);

  rec = &g_array_index (self->records, HsStepRecord, index);
  step = &rec->batch->steps[rec->step];
  if (step->n_out > 0)
    *out = g_bytes_new_from_bytes (rec->batch->out, rec->out, step->n_out);
  if (step->n_err > 0)
    *err = g_bytes_new_from_bytes (rec->batch->err, rec->err, step->n_err);
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

/* The files the frames of the steps so far ran, sorted; the names live as
 * long as the trace. */
GPtrArray *
hs_trace_list_files (HsTrace *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GPtrArray *files = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer file;

  g_return_val_if_fail (HS_IS_TRACE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  g_hash_table_iter_init (&iter, self->files);
  while (g_hash_table_iter_next (&iter, &file, NULL))
    g_ptr_array_add (files, file);
  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
  return files;
}

/* The program's own file as its frames name it: "" in a trace from before
 * frames named their files, NULL before the first step. */
const char *
hs_trace_get_main_file (HsTrace *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  return self->main_file;
}

void
hs_trace_set_file_source (HsTrace    *self,
                          const char *file,
                          const char *text)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (HS_IS_TRACE (self));
  g_return_if_fail (file != NULL && text != NULL);

  locker = g_mutex_locker_new (&self->mutex);
  /* a text handed out is never freed before the trace */
  if (!g_hash_table_contains (self->sources, file))
    g_hash_table_insert (self->sources, g_strdup (file), g_strdup (text));
}

/* Keeps the text of every file the frames ran besides the program's own,
 * read from folder (the program's) as it is now, so that a saved run
 * shows them.  Together they stay within what a reader takes back. */
void
hs_trace_read_sources (HsTrace    *self,
                       const char *folder,
                       gsize       max_bytes)
{
  g_autoptr(GPtrArray) files = NULL;
  const char *main_file;
  gsize total = 0;

  g_return_if_fail (HS_IS_TRACE (self));
  g_return_if_fail (folder != NULL);

  files = hs_trace_list_files (self);
  main_file = hs_trace_get_main_file (self);
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autofree char *path = g_path_is_absolute (file) ? g_strdup (file) : g_build_filename (folder, file, NULL);
      g_autofree char *text = NULL;
      g_autofree char *valid = NULL;
      gsize len = 0;

      if (*file == '\0' || g_strcmp0 (file, main_file) == 0 || hs_trace_get_file_source (self, file) != NULL ||
          !g_file_test (path, G_FILE_TEST_IS_REGULAR) || !g_file_get_contents (path, &text, &len, NULL))
        continue;
      valid = g_utf8_make_valid (text, len);
      total += strlen (valid);
      if (total > max_bytes)
        break;
      hs_trace_set_file_source (self, file, valid);
    }
}

/* What the program was given: its arguments and its standard input (NULL
 * when it read none).  Set before the trace is shared. */
void
hs_trace_set_program_input (HsTrace            *self,
                            const char * const *args,
                            const char         *input)
{
  g_return_if_fail (HS_IS_TRACE (self));

  g_strfreev (self->args);
  self->args = g_strdupv ((char **) args);
  g_free (self->input);
  self->input = g_strdup (input);
}

const char * const *
hs_trace_get_args (HsTrace *self)
{
  g_return_val_if_fail (HS_IS_TRACE (self), NULL);
  return (const char * const *) self->args;
}

const char *
hs_trace_get_input (HsTrace *self)
{
  g_return_val_if_fail (HS_IS_TRACE (self), NULL);
  return self->input;
}

/* A stepped file's text as the run saw it, or NULL when it is not kept. */
const char *
hs_trace_get_file_source (HsTrace    *self,
                          const char *file)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (self), NULL);
  g_return_val_if_fail (file != NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  return g_hash_table_lookup (self->sources, file);
}

void
hs_trace_finish (HsTrace            *self,
                 const char         *status,
                 int                 exit_code,
                 int                 signal_number,
                 const HsTraceError *error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (HS_IS_TRACE (self));
  g_return_if_fail (status != NULL);

  locker = g_mutex_locker_new (&self->mutex);

  /* a live session can end twice: after its run, then when it dies */
  retire (self, g_steal_pointer (&self->error), (GDestroyNotify) trace_error_free);
  self->status = g_intern_string (status);
  self->exit_code = exit_code;
  self->signal_number = signal_number;
  if (error != NULL)
    {
      self->error = g_new0 (HsTraceError, 1);
      self->error->type = g_strdup (error->type);
      self->error->message = g_strdup (error->message);
      self->error->line = error->line;
      self->error->traceback = g_strdup (error->traceback);
    }
}

gboolean
hs_trace_is_finished (HsTrace *self)
{
  return hs_trace_get_status (self) != NULL;
}

const char *
hs_trace_get_status (HsTrace *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (self), NULL);
  locker = g_mutex_locker_new (&self->mutex);
  return self->status;
}

int
hs_trace_get_exit_code (HsTrace *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (self), 0);
  locker = g_mutex_locker_new (&self->mutex);
  return self->exit_code;
}

int
hs_trace_get_signal (HsTrace *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (self), 0);
  locker = g_mutex_locker_new (&self->mutex);
  return self->signal_number;
}

/* Only a program that ended by itself has an exit code: one stopped at a
 * cap, by the user, or killed never exited, and any number would be made up. */
gboolean
hs_trace_has_exit_code (HsTrace *self)
{
  static const char * const exited[] = { "finished", "exception", "syntax-error", "exited", NULL };

  const char *status = hs_trace_get_status (self);

  return status != NULL && g_strv_contains (exited, status);
}

const HsTraceError *
hs_trace_get_error (HsTrace *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (self), NULL);
  locker = g_mutex_locker_new (&self->mutex);
  return self->error;
}

/* What the output files ended up holding: exactly what the program
 * printed, as python3 would have left it.  What the steps did not show
 * (atexit handlers, __del__ at shutdown, a crashing program's last words)
 * becomes the trailing output. */
static GBytes *
trailing_part (gsize   seen,
               GBytes *final)
{
  gsize len = g_bytes_get_size (final);

  if (len <= seen)
    return g_bytes_new (NULL, 0);
  return g_bytes_new_from_bytes (final, seen, len - seen);
}

void
hs_trace_set_final_output (HsTrace *self,
                           GBytes  *out,
                           GBytes  *err)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (HS_IS_TRACE (self));
  g_return_if_fail (out != NULL && err != NULL);

  locker = g_mutex_locker_new (&self->mutex);
  retire (self, g_steal_pointer (&self->trailing_out), (GDestroyNotify) g_bytes_unref);
  retire (self, g_steal_pointer (&self->trailing_err), (GDestroyNotify) g_bytes_unref);
  self->trailing_out = trailing_part (self->out_seen, out);
  self->trailing_err = trailing_part (self->err_seen, err);
  self->out_seen = g_bytes_get_size (out);
  self->err_seen = g_bytes_get_size (err);
  g_byte_array_set_size (self->all_out, 0);
  g_byte_array_set_size (self->all_err, 0);
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
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (self), NULL);
  locker = g_mutex_locker_new (&self->mutex);
  return self->trailing_out;
}

GBytes *
hs_trace_get_trailing_stderr (HsTrace *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (self), NULL);
  locker = g_mutex_locker_new (&self->mutex);
  return self->trailing_err;
}

/* How many frames the deepest stack of any step had. */
guint
hs_trace_get_max_frames (HsTrace *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (self), 0);

  locker = g_mutex_locker_new (&self->mutex);
  return self->max_frames;
}

/* What the history costs: the batches as received, the index of where each
 * step starts in them, and the string table. */
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

static HsTraceCursor *
cursor_alloc (void)
{
  HsTraceCursor *cursor = g_new0 (HsTraceCursor, 1);

  cursor->marks = g_hash_table_new (NULL, NULL);
  cursor->touched = g_array_new (FALSE, FALSE, sizeof (guint32));
  cursor->refcounts = g_array_new (FALSE, FALSE, sizeof (guint32));
  cursor->removed = g_array_new (FALSE, FALSE, sizeof (guint32));
  return cursor;
}

HsTraceCursor *
hs_trace_cursor_new (HsTrace *trace)
{
  HsTraceCursor *cursor;

  g_return_val_if_fail (HS_IS_TRACE (trace), NULL);

  cursor = cursor_alloc ();
  cursor->trace = g_object_ref (trace);
  cursor->state = state_new ();
  return cursor;
}

/* A cursor whose first step is FROM, rebuilt from the checkpoint before
 * it, so that a walk from the middle of a long trace costs what it covers
 * and not the steps before. */
HsTraceCursor *
hs_trace_cursor_new_at (HsTrace *trace,
                        guint    from)
{
  HsTraceCursor *cursor;
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HS_IS_TRACE (trace), NULL);

  cursor = hs_trace_cursor_new (trace);
  locker = g_mutex_locker_new (&trace->mutex);
  from = MIN (from, trace->records->len);
  if (from == 0)
    return cursor;

  state_load (cursor->state, g_ptr_array_index (trace->checkpoints, (from - 1) / CHECKPOINT_EVERY));
  while (cursor->state->index + 1 < from)
    apply_delta (trace, cursor->state, cursor->state->index + 1,
                 &g_array_index (trace->records, HsStepRecord, cursor->state->index + 1), FALSE, NULL);
  return cursor;
}

static void
cursor_free_borrowed (HsTraceCursor *cursor)
{
  g_assert (cursor != NULL);

  if (!cursor->borrowed)
    {
      g_object_unref (cursor->trace);
      state_free (cursor->state);
    }
  g_clear_pointer (&cursor->facts, hs_snapshot_unref);
  g_hash_table_unref (cursor->marks);
  g_array_unref (cursor->touched);
  g_array_unref (cursor->refcounts);
  g_array_unref (cursor->removed);
  g_free (cursor);
}

void
hs_trace_cursor_free (HsTraceCursor *cursor)
{
  if (cursor == NULL)
    return;
  /* a streaming trace's cursor goes with its trace */
  g_return_if_fail (!cursor->borrowed);
  cursor_free_borrowed (cursor);
}

void
hs_trace_stream_steps (HsTrace         *self,
                       HsTraceStepFunc  func,
                       gpointer         user_data)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (HS_IS_TRACE (self));
  g_return_if_fail (func != NULL);

  locker = g_mutex_locker_new (&self->mutex);
  g_return_if_fail (self->records->len == 0 && self->n_streamed == 0);

  self->stream_func = func;
  self->stream_data = user_data;
  /* the cursor holds no reference: the trace owns it */
  self->stream_cursor = cursor_alloc ();
  self->stream_cursor->trace = self;
  self->stream_cursor->state = self->tail;
  self->stream_cursor->borrowed = TRUE;
  self->stream_cursor->facts = hs_snapshot_new (self->strings);
}

HsSnapshot *
hs_trace_cursor_dup_snapshot (HsTraceCursor *cursor)
{
  HsSnapshot *snap;

  g_return_val_if_fail (cursor != NULL, NULL);
  g_return_val_if_fail (cursor->facts != NULL, NULL);

  snap = hs_snapshot_new (cursor->trace->strings);
  snap->python_version = g_intern_string (cursor->trace->python_version);
  snap->index = cursor->facts->index;
  snap->event = cursor->facts->event;
  snap->line = cursor->facts->line;
  snap->return_ref = cursor->facts->return_ref;
  snap->return_borrowed = cursor->facts->return_borrowed;
  snap->yielded = cursor->facts->yielded;
  snap->out = g_bytes_ref (cursor->facts->out);
  snap->err = g_bytes_ref (cursor->facts->err);
  g_array_append_vals (snap->freed, cursor->facts->freed->data, cursor->facts->freed->len);
  g_array_append_vals (snap->gc_runs, cursor->facts->gc_runs->data, cursor->facts->gc_runs->len);
  return snapshot_from_state (cursor->state, snap, TRUE);
}

static void
cursor_mark (HsTraceCursor *cursor,
             guint32        ref,
             GArray        *list)
{
  g_assert (cursor != NULL);

  if (g_hash_table_contains (cursor->marks, GUINT_TO_POINTER (ref)))
    return;
  g_hash_table_add (cursor->marks, GUINT_TO_POINTER (ref));
  g_array_append_val (list, ref);
}

/* Applies the next step and says what it changed (cursor_describe). */
gboolean
hs_trace_cursor_next (HsTraceCursor *cursor,
                      HsTraceDelta  *delta)
{
  HsTrace *self;
  g_autoptr(GMutexLocker) locker = NULL;
  const HsStepRecord *rec;
  guint32 index;

  g_return_val_if_fail (cursor != NULL, FALSE);
  g_return_val_if_fail (delta != NULL, FALSE);

  self = cursor->trace;
  locker = g_mutex_locker_new (&self->mutex);
  index = cursor->state->index == G_MAXUINT ? 0 : cursor->state->index + 1;
  if (index >= self->records->len)
    return FALSE;

  rec = &g_array_index (self->records, HsStepRecord, index);
  g_clear_pointer (&cursor->facts, hs_snapshot_unref);
  cursor->facts = hs_snapshot_new (self->strings);
  apply_delta (self, cursor->state, index, rec, FALSE, cursor->facts);
  cursor_describe (cursor, rec, delta);
  return TRUE;
}

/* What the step rec, just applied to the cursor's state, changed: every
 * ref is listed once; a ref present after the step is touched (its whole
 * record is news) or only recounted; a ref gone is removed. */
static void
cursor_describe (HsTraceCursor      *cursor,
                 const HsStepRecord *rec,
                 HsTraceDelta       *delta)
{
  HsDeltaParts p;

  g_assert (cursor != NULL && rec != NULL && delta != NULL);

  delta_parts (rec, &p);
  g_hash_table_remove_all (cursor->marks);
  g_array_set_size (cursor->touched, 0);
  g_array_set_size (cursor->refcounts, 0);
  g_array_set_size (cursor->removed, 0);

  for (gsize i = 0; i < p.step->n_removed; i++)
    cursor_mark (cursor, p.removed[i], cursor->removed);
  /* freed refs are listed with the freed, and leave with them */
  for (gsize i = 0; i < p.step->n_freed; i++)
    g_hash_table_add (cursor->marks, GUINT_TO_POINTER (p.freed[i].ref));
  for (gsize i = 0; i < p.step->n_objects; i++)
    if (g_hash_table_contains (cursor->state->objects, GUINT_TO_POINTER (p.objects[i].ref)))
      cursor_mark (cursor, p.objects[i].ref, cursor->touched);
  for (gsize i = 0; i < p.step->n_edge_owners; i++)
    if (g_hash_table_contains (cursor->state->objects, GUINT_TO_POINTER (p.owners[i].owner)))
      cursor_mark (cursor, p.owners[i].owner, cursor->touched);
  for (gsize i = 0; i < p.step->n_refcounts; i++)
    if (g_hash_table_contains (cursor->state->objects, GUINT_TO_POINTER (p.refcounts[i].ref)))
      cursor_mark (cursor, p.refcounts[i].ref, cursor->refcounts);

  delta->index = cursor->state->index;
  delta->event = p.step->event;
  delta->line = p.step->line;
  delta->return_ref = p.step->return_ref;
  delta->return_borrowed = p.step->return_borrowed;
  delta->yielded = p.step->yielded;
  delta->out = cursor->facts->out;
  delta->err = cursor->facts->err;
  delta->frames_changed = p.step->frames_changed;
  delta->frames_keep = p.step->frames_changed ? p.step->keep_frames : 0;
  delta->touched = (const guint32 *) cursor->touched->data;
  delta->n_touched = cursor->touched->len;
  delta->refcounts = (const guint32 *) cursor->refcounts->data;
  delta->n_refcounts = cursor->refcounts->len;
  delta->removed = (const guint32 *) cursor->removed->data;
  delta->n_removed = cursor->removed->len;
  delta->freed = (const HsFreed *) cursor->facts->freed->data;
  delta->n_freed = cursor->facts->freed->len;
  delta->gc = (const HsGcRun *) cursor->facts->gc_runs->data;
  delta->n_gc = cursor->facts->gc_runs->len;
}

const HsObject *
hs_trace_cursor_lookup (HsTraceCursor *cursor,
                        guint32        ref)
{
  g_return_val_if_fail (cursor != NULL, NULL);
  return g_hash_table_lookup (cursor->state->objects, GUINT_TO_POINTER (ref));
}

const HsFrame *
hs_trace_cursor_get_frames (HsTraceCursor *cursor,
                            guint         *n_frames)
{
  g_return_val_if_fail (cursor != NULL, NULL);
  g_return_val_if_fail (n_frames != NULL, NULL);

  *n_frames = cursor->state->frames->len;
  return (const HsFrame *) cursor->state->frames->data;
}

static int
compare_object_pointers (gconstpointer a,
                         gconstpointer b)
{
  return compare_objects (*(HsObject * const *) a, *(HsObject * const *) b);
}

/* Every object present, by ref, as the deltas left it: edges to objects
 * gone are kept, as later deltas count them. */
GPtrArray *
hs_trace_cursor_list_objects (HsTraceCursor *cursor)
{
  GPtrArray *list;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (cursor != NULL, NULL);

  list = g_ptr_array_sized_new (g_hash_table_size (cursor->state->objects));
  g_hash_table_iter_init (&iter, cursor->state->objects);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, value);
  g_ptr_array_sort (list, compare_object_pointers);
  return list;
}
