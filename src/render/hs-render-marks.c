/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-renderer"

#include "config.h"

#include "hs-render-marks.h"

typedef struct
{
  guint32     owner;
  guint32     target;
  const char *label;   /* as the layout labels the row: the edge's label or its kind */
} Mark;

struct _HsRenderMarks
{
  GArray       *marks;
  GStringChunk *labels;  /* copied: the snapshot's strings belong to its trace */
};

/* The layout names a row by the edge's label, or by its kind when the
 * edge has none; marks use the same name so the renderer can match them. */
static const char *
edge_label (const HsEdge *edge)
{
  g_assert (edge != NULL);

  if (edge->label == NULL || edge->label[0] == '\0')
    return hs_edge_kind_to_string (edge->kind);
  return edge->label;
}

static char *
edge_key (const HsEdge *edge)
{
  g_assert (edge != NULL);

  return g_strdup_printf ("%u\x1f%s", (guint) edge->kind, edge->label ? edge->label : "");
}

/* Adds a mark for every edge of now that before lacked, or that points
 * elsewhere than before's edge of the same kind and label. */
static void
diff_object (HsRenderMarks  *self,
             const HsObject *before,
             const HsObject *now)
{
  g_autoptr(GHashTable) old = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert (self != NULL);
  g_assert (before != NULL && now != NULL);

  for (guint i = 0; i < before->n_edges; i++)
    g_hash_table_insert (old, edge_key (&before->edges[i]), GUINT_TO_POINTER (before->edges[i].target));
  for (guint i = 0; i < now->n_edges; i++)
    {
      g_autofree char *key = edge_key (&now->edges[i]);
      gpointer target;
      Mark mark = { now->ref, now->edges[i].target, NULL };

      if (g_hash_table_lookup_extended (old, key, NULL, &target) &&
          GPOINTER_TO_UINT (target) == now->edges[i].target)
        continue;
      mark.label = g_string_chunk_insert_const (self->labels, edge_label (&now->edges[i]));
      g_array_append_val (self->marks, mark);
    }
}

HsRenderMarks *
hs_render_marks_new (HsSnapshot *previous,
                     HsSnapshot *snapshot)
{
  HsRenderMarks *self;
  const HsObject *objects;
  guint n_objects;

  g_return_val_if_fail (snapshot != NULL, NULL);

  self = g_new0 (HsRenderMarks, 1);
  self->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  self->labels = g_string_chunk_new (256);
  if (previous == NULL)
    return self;

  objects = hs_snapshot_get_objects (snapshot, &n_objects);
  for (guint i = 0; i < n_objects; i++)
    {
      const HsObject *before;

      /* A new object's references are all new: its badge says so. */
      if (!(objects[i].changes & HS_CHANGE_MUTATED) || (objects[i].changes & HS_CHANGE_CREATED))
        continue;
      if ((before = hs_snapshot_lookup (previous, objects[i].ref)) == NULL)
        continue;
      diff_object (self, before, &objects[i]);
    }
  return self;
}

void
hs_render_marks_free (HsRenderMarks *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->marks);
  g_string_chunk_free (self->labels);
  g_free (self);
}

guint
hs_render_marks_get_size (const HsRenderMarks *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->marks->len;
}

gboolean
hs_render_marks_lookup (const HsRenderMarks *self,
                        guint32              owner,
                        guint32              target,
                        const char          *label)
{
  g_return_val_if_fail (self != NULL, FALSE);

  /* A line changes a few slots: a scan is cheaper than a table. */
  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *m = &g_array_index (self->marks, Mark, i);

      if (m->owner == owner && m->target == target &&
          (label == NULL || g_strcmp0 (label, m->label) == 0))
        return TRUE;
    }
  return FALSE;
}
