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
