/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-renderer"

#include "config.h"

#include "hs-render-marks.h"

typedef struct
{
  guint32     owner;
  guint32     target;
  const char *label;   /* as the layout labels the row: the edge's label or its kind */
  gboolean    key;     /* a dict's key edge: its label is its value edge's too */
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

/* Whether edge i of o is a dict entry's value: it follows its key, under
 * the same label */
static gboolean
is_entry_value (const HsObject *o,
                guint           i)
{
  g_assert (o != NULL && i < o->n_edges);

  return o->edges[i].kind == HS_EDGE_VALUE && i > 0 && o->edges[i - 1].kind == HS_EDGE_KEY &&
         g_strcmp0 (o->edges[i - 1].label, o->edges[i].label) == 0;
}

/*
 * Edge i of o with its target, as a string that is the same at two steps
 * when the reference is the same.  Most edges are named by their kind and
 * label (a list's index, an attribute's name).  A dict's entries are named
 * by their key object, not by their label, which is the entry's position
 * and moves when an earlier entry is deleted: del d['a'] leaves the other
 * entries as they were.  A set's members have no label: a member is the
 * same when the step before had a member edge to the same object.
 */
static char *
edge_identity (const HsObject *o,
               guint           i)
{
  const HsEdge *e;

  g_assert (o != NULL && i < o->n_edges);

  e = &o->edges[i];
  if (e->kind == HS_EDGE_KEY)
    return g_strdup_printf ("key\x1f%u", e->target);
  if (is_entry_value (o, i))
    return g_strdup_printf ("value\x1f%u\x1f%u", o->edges[i - 1].target, e->target);
  return g_strdup_printf ("%u\x1f%s\x1f%u", (guint) e->kind, e->label ? e->label : "", e->target);
}

/* Adds a mark for every edge of now that before lacked: a new or moved
 * reference, or a dict entry's new key or value.  When the runtime left
 * some of before's entries out (its element cap), a key or member now in
 * view may have been among them: it is not claimed new. */
static void
diff_object (HsRenderMarks  *self,
             const HsObject *before,
             const HsObject *now)
{
  g_autoptr(GHashTable) old = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert (self != NULL);
  g_assert (before != NULL && now != NULL);

  for (guint i = 0; i < before->n_edges; i++)
    g_hash_table_add (old, edge_identity (before, i));
  for (guint i = 0; i < now->n_edges; i++)
    {
      const HsEdge *e = &now->edges[i];
      g_autofree char *identity = edge_identity (now, i);
      Mark mark = { now->ref, e->target, NULL, e->kind == HS_EDGE_KEY };

      if (g_hash_table_contains (old, identity))
        continue;
      if (before->omitted > 0)
        {
          g_autofree char *key = is_entry_value (now, i) ? edge_identity (now, i - 1) : NULL;

          if (e->kind == HS_EDGE_KEY || e->kind == HS_EDGE_MEMBER ||
              (key != NULL && !g_hash_table_contains (old, key)))
            continue;
        }
      mark.label = g_string_chunk_insert_const (self->labels, edge_label (e));
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

static gboolean
lookup (const HsRenderMarks *self,
        guint32              owner,
        guint32              target,
        const char          *label,
        gboolean             key)
{
  g_assert (self != NULL);

  /* A line changes a few slots: a scan is cheaper than a table. */
  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *m = &g_array_index (self->marks, Mark, i);

      if (m->owner == owner && m->target == target && m->key == key &&
          (label == NULL || g_strcmp0 (label, m->label) == 0))
        return TRUE;
    }
  return FALSE;
}

gboolean
hs_render_marks_lookup (const HsRenderMarks *self,
                        guint32              owner,
                        guint32              target,
                        const char          *label)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return lookup (self, owner, target, label, FALSE);
}

gboolean
hs_render_marks_lookup_key (const HsRenderMarks *self,
                            guint32              owner,
                            guint32              target,
                            const char          *label)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return lookup (self, owner, target, label, TRUE);
}
