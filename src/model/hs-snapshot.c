/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-snapshot"

#include "config.h"

#include "hs-snapshot-private.h"

static void
clear_frame (gpointer data)
{
  g_free (((HsFrame *) data)->vars);
  g_free (((HsFrame *) data)->unbound);
}

static void
clear_object (gpointer data)
{
  g_free (((HsObject *) data)->edges);
}

HsSnapshot *
hs_snapshot_new (GPtrArray *strings)
{
  HsSnapshot *self = g_new0 (HsSnapshot, 1);

  g_assert (strings != NULL);
  self->strings = g_ptr_array_ref (strings);
  g_atomic_ref_count_init (&self->ref_count);
  self->frames = g_array_new (FALSE, TRUE, sizeof (HsFrame));
  g_array_set_clear_func (self->frames, clear_frame);
  self->objects = g_array_new (FALSE, TRUE, sizeof (HsObject));
  g_array_set_clear_func (self->objects, clear_object);
  self->freed = g_array_new (FALSE, TRUE, sizeof (HsFreed));
  self->gc_runs = g_array_new (FALSE, TRUE, sizeof (HsGcRun));
  self->hidden = g_array_new (FALSE, TRUE, sizeof (HsHiddenRef));
  return self;
}

HsSnapshot *
hs_snapshot_ref (HsSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
hs_snapshot_unref (HsSnapshot *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_array_unref (self->frames);
  g_array_unref (self->objects);
  g_array_unref (self->freed);
  g_array_unref (self->gc_runs);
  g_array_unref (self->hidden);
  g_clear_pointer (&self->reported, g_array_unref);
  g_clear_pointer (&self->out, g_bytes_unref);
  g_clear_pointer (&self->err, g_bytes_unref);
  g_ptr_array_unref (self->strings);
  g_free (self);
}

const char *
hs_snapshot_get_python_version (HsSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->python_version;
}

guint
hs_snapshot_get_index (HsSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->index;
}

HsEvent
hs_snapshot_get_event (HsSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->event;
}

guint
hs_snapshot_get_line (HsSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->line;
}

const HsFrame *
hs_snapshot_get_frames (HsSnapshot *self,
                        guint      *n_frames)
{
  g_return_val_if_fail (self != NULL, NULL);
  *n_frames = self->frames->len;
  return (const HsFrame *) self->frames->data;
}

const HsObject *
hs_snapshot_get_objects (HsSnapshot *self,
                         guint      *n_objects)
{
  g_return_val_if_fail (self != NULL, NULL);
  *n_objects = self->objects->len;
  return (const HsObject *) self->objects->data;
}

const HsObject *
hs_snapshot_lookup (HsSnapshot *self,
                    guint32     ref)
{
  const HsObject *objects;
  guint lo = 0, hi;

  g_return_val_if_fail (self != NULL, NULL);

  objects = (const HsObject *) self->objects->data;
  hi = self->objects->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (objects[mid].ref == ref)
        return &objects[mid];
      if (objects[mid].ref < ref)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

const HsFreed *
hs_snapshot_get_freed (HsSnapshot *self,
                       guint      *n_freed)
{
  g_return_val_if_fail (self != NULL, NULL);
  *n_freed = self->freed->len;
  return (const HsFreed *) self->freed->data;
}

const HsGcRun *
hs_snapshot_get_gc_runs (HsSnapshot *self,
                         guint      *n_runs)
{
  g_return_val_if_fail (self != NULL, NULL);
  *n_runs = self->gc_runs->len;
  return (const HsGcRun *) self->gc_runs->data;
}

GBytes *
hs_snapshot_get_stdout (HsSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->out;
}

GBytes *
hs_snapshot_get_stderr (HsSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->err;
}

guint32
hs_snapshot_get_return_ref (HsSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->return_ref;
}

gboolean
hs_snapshot_get_return_borrowed (HsSnapshot *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->return_borrowed;
}

/* Whether the return value is what a generator (or coroutine) yields: its
 * frame stops for now, and the value goes to whoever resumed it */
gboolean
hs_snapshot_get_yielded (HsSnapshot *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->yielded;
}

/* References drawn to ref: from variables and from other objects.  The
 * difference from its refcount is what the picture cannot show.  Counted
 * once, when the snapshot is made (see hs-trace.c). */
guint
hs_snapshot_count_references (HsSnapshot *self,
                              guint32     ref)
{
  const HsObject *o;

  g_return_val_if_fail (self != NULL, 0);

  o = hs_snapshot_lookup (self, ref);
  return o ? o->n_referrers : 0;
}

/* Adds a held edge to hidden (HsHiddenRef), merged with the entry before
 * it when the same holder holds the same object again (a saved trace may
 * list one holder twice; the runtime sends one edge per holder).  The label
 * is compared as a pointer, one string of the trace's table, so that a
 * saved trace (hs-trace-json.c) groups them as a snapshot does. */
void
hs_hidden_refs_add (GArray       *hidden,
                    const HsEdge *edge)
{
  HsHiddenRef *last = hidden->len > 0 ? &g_array_index (hidden, HsHiddenRef, hidden->len - 1) : NULL;

  g_assert (HS_EDGE_KIND_IS_HELD (edge->kind));

  /* saturated: a forged stream of holders at the cap would wrap it */
  if (last != NULL && last->target == edge->target && last->kind == edge->kind && last->holder == edge->label)
    last->count = MIN ((guint64) last->count + edge->count, HS_PROTOCOL_MAX_HELD_COUNT);
  else
    {
      HsHiddenRef h = { edge->target, edge->kind, edge->label, edge->count };

      g_array_append_val (hidden, h);
    }
}

/* The hidden references to target, which hidden (sorted by target)
 * holds from *first on: how many. */
static guint
find_hidden_refs (GArray  *hidden,
                  guint32  target,
                  guint   *first)
{
  guint lo = 0, hi = hidden->len, n = 0;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (hidden, HsHiddenRef, mid).target < target)
        lo = mid + 1;
      else
        hi = mid;
    }
  while (lo + n < hidden->len && g_array_index (hidden, HsHiddenRef, lo + n).target == target)
    n++;
  *first = lo;
  return n;
}

/* Takes one reference out of the hidden count of target that kind and
 * holder name (any, for NULL), if it has one: an arrow drawn now shows
 * that reference. */
static void
settle_one (HsSnapshot *self,
            guint32     target,
            HsEdgeKind  kind,
            const char *holder)
{
  guint first, n;

  n = find_hidden_refs (self->hidden, target, &first);
  for (guint h = first; h < first + n; h++)
    {
      HsHiddenRef *held = &g_array_index (self->hidden, HsHiddenRef, h);

      if (held->kind == kind && held->count > 0 && (holder == NULL || g_strcmp0 (held->holder, holder) == 0))
        {
          if (self->reported == NULL)
            self->reported = g_array_copy (self->hidden);
          /* self->hidden was copied, not moved: held is still valid */
          held->count--;
          return;
        }
    }
}

/* Some dicts the graph draws hold references the runtime also counts as
 * hidden: the runtime cannot know, when it reads an object, whether the
 * walk will reach that dict.
 * - A module's dict drawn as a dict (vars(math)) draws as arrows entries
 *   that are also held by that module's globals.
 * - sys.modules drawn (mods = sys.modules) draws as arrows the modules
 *   that are also held as sys.modules['math'].
 * Each arrow drawn from such a dict takes one reference out of the hidden
 * count, so that nothing counts twice.  What the runtime reported is kept
 * for a saved trace, so that reading it back settles the same way. */
void
hs_snapshot_settle_held (HsSnapshot *self)
{
  guint k = 0;

  g_return_if_fail (self != NULL && self->reported == NULL);

  for (guint i = 0; i < self->hidden->len; i++)
    {
      HsHiddenRef dict = g_array_index (self->hidden, HsHiddenRef, i);
      const HsObject *o;

      if ((dict.kind != HS_EDGE_HELD_DICT && dict.kind != HS_EDGE_HELD_INTERPRETER) ||
          (o = hs_snapshot_lookup (self, dict.target)) == NULL)
        continue;
      for (guint j = 0; j < o->n_edges; j++)
        {
          const HsEdge *edge = &o->edges[j];

          if (dict.kind == HS_EDGE_HELD_DICT && (edge->kind == HS_EDGE_KEY || edge->kind == HS_EDGE_VALUE))
            settle_one (self, edge->target, HS_EDGE_HELD_GLOBAL, dict.holder);
          else if (dict.kind == HS_EDGE_HELD_INTERPRETER && edge->kind == HS_EDGE_VALUE)
            /* The runtime names one reference of sys.modules to a module,
             * under the module's own name: the first arrow to it takes
             * that one, whatever its key (reading the key back from its
             * repr failed for names with quotes or over 60 characters).
             * Only when the dict's cut hides the own name's entry and
             * shows another does this take the wrong one of two. */
            settle_one (self, edge->target, HS_EDGE_HELD_MODULES, NULL);
        }
    }
  if (self->reported == NULL)
    return;
  /* what the dict's arrows all draw is no hidden reference any more */
  for (guint i = 0; i < self->hidden->len; i++)
    if (g_array_index (self->hidden, HsHiddenRef, i).count > 0)
      g_array_index (self->hidden, HsHiddenRef, k++) = g_array_index (self->hidden, HsHiddenRef, i);
  g_array_set_size (self->hidden, k);
}

/* The hidden references as the runtime reported them, before
 * hs_snapshot_settle_held () */
const HsHiddenRef *
hs_snapshot_get_reported_holders (HsSnapshot *self,
                                  guint      *n_refs)
{
  GArray *reported;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_refs != NULL, NULL);

  reported = self->reported != NULL ? self->reported : self->hidden;
  *n_refs = reported->len;
  return (const HsHiddenRef *) reported->data;
}

/* The references the graph does not draw but the runtime named, grouped
 * by holder; a checkpoint (kept inside the trace) has none. */
const HsHiddenRef *
hs_snapshot_get_hidden_refs (HsSnapshot *self,
                             guint      *n_refs)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_refs != NULL, NULL);

  *n_refs = self->hidden->len;
  return (const HsHiddenRef *) self->hidden->data;
}
