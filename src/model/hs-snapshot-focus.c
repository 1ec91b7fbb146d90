/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-snapshot-focus"

#include "config.h"

#include <string.h>

#include "hs-snapshot-private.h"
#include "hs-snapshot-focus.h"

/* "json.decoder" is json's; "__main__" and the user's modules are not
 * the library's */
static gboolean
is_user_module (const char         *name,
                const char * const *user_modules)
{
  gsize top = strcspn (name, ".");

  if (g_str_equal (name, "__main__"))
    return TRUE;
  for (guint i = 0; user_modules != NULL && user_modules[i] != NULL; i++)
    if (strlen (user_modules[i]) == top && strncmp (name, user_modules[i], top) == 0)
      return TRUE;
  return FALSE;
}

gboolean
hs_snapshot_is_library (HsSnapshot         *snapshot,
                        const HsObject     *object,
                        const char * const *user_modules)
{
  const HsHiddenRef *hidden;
  guint n_hidden;
  gboolean module, named;

  g_return_val_if_fail (snapshot != NULL, FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  module = g_strcmp0 (object->type, "module") == 0;
  named = module || g_strcmp0 (object->type, "type") == 0 || g_strcmp0 (object->type, "function") == 0 ||
          g_strcmp0 (object->type, "builtin_function_or_method") == 0;
  if (!named)
    return FALSE;
  if (object->repr != NULL && g_str_has_prefix (object->repr, "<built-in function"))
    return TRUE;
  /* a function or a class says which module defines it; the modules
   * that hold it are only a guess (a callback stored in a library
   * module, a function a library's factory made) */
  if (object->module != NULL)
    return !is_user_module (object->module, user_modules);

  hidden = hs_snapshot_get_hidden_refs (snapshot, &n_hidden);
  for (guint i = 0; i < n_hidden; i++)
    if (hidden[i].target == object->ref && hidden[i].holder != NULL &&
        ((module && hidden[i].kind == HS_EDGE_HELD_MODULES) || hidden[i].kind == HS_EDGE_HELD_GLOBAL) &&
        !is_user_module (hidden[i].holder, user_modules))
      return TRUE;
  return FALSE;
}

static void
close_over (HsSnapshot *snapshot,
            GHashTable *keep,
            guint32     ref,
            gboolean    forward)
{
  g_autoptr(GHashTable) held_by = NULL;
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (guint32));
  const HsObject *objects;
  guint n_objects;

  g_assert (snapshot != NULL && keep != NULL);

  objects = hs_snapshot_get_objects (snapshot, &n_objects);
  if (!forward)
    {
      held_by = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
      for (guint i = 0; i < n_objects; i++)
        for (guint j = 0; j < objects[i].n_edges; j++)
          {
            GArray *owners;

            if (HS_EDGE_KIND_IS_HELD (objects[i].edges[j].kind))
              continue;
            if (!(owners = g_hash_table_lookup (held_by, GUINT_TO_POINTER (objects[i].edges[j].target))))
              {
                owners = g_array_new (FALSE, FALSE, sizeof (guint32));
                g_hash_table_insert (held_by, GUINT_TO_POINTER (objects[i].edges[j].target), owners);
              }
            g_array_append_val (owners, objects[i].ref);
          }
    }

  g_hash_table_add (keep, GUINT_TO_POINTER (ref));
  g_array_append_val (queue, ref);
  for (guint q = 0; q < queue->len; q++)
    {
      guint32 at = g_array_index (queue, guint32, q);

      if (forward)
        {
          const HsObject *object = hs_snapshot_lookup (snapshot, at);

          for (guint j = 0; object != NULL && j < object->n_edges; j++)
            if (!HS_EDGE_KIND_IS_HELD (object->edges[j].kind) &&
                hs_snapshot_lookup (snapshot, object->edges[j].target) != NULL &&
                g_hash_table_add (keep, GUINT_TO_POINTER (object->edges[j].target)))
              g_array_append_val (queue, object->edges[j].target);
        }
      else
        {
          GArray *owners = g_hash_table_lookup (held_by, GUINT_TO_POINTER (at));

          for (guint k = 0; owners != NULL && k < owners->len; k++)
            if (g_hash_table_add (keep, GUINT_TO_POINTER (g_array_index (owners, guint32, k))))
              g_array_append_val (queue, g_array_index (owners, guint32, k));
        }
    }
}

HsSnapshot *
hs_snapshot_focus (HsSnapshot    *snapshot,
                   const HsFocus *focus)
{
  g_autoptr(GHashTable) keep = g_hash_table_new (NULL, NULL);
  const HsObject *objects;
  const HsHiddenRef *hidden;
  guint n_objects, n_hidden;
  gboolean narrowed = FALSE;
  HsSnapshot *self;

  g_return_val_if_fail (snapshot != NULL, NULL);
  g_return_val_if_fail (focus != NULL, NULL);

  objects = hs_snapshot_get_objects (snapshot, &n_objects);
  if (focus->kind != HS_FOCUS_ALL && hs_snapshot_lookup (snapshot, focus->ref) != NULL)
    {
      close_over (snapshot, keep, focus->ref, focus->kind == HS_FOCUS_REACHES);
      narrowed = g_hash_table_size (keep) < n_objects;
    }
  else
    for (guint i = 0; i < n_objects; i++)
      g_hash_table_add (keep, GUINT_TO_POINTER (objects[i].ref));

  if (focus->hide_library)
    for (guint i = 0; i < n_objects; i++)
      if (objects[i].ref != focus->ref && g_hash_table_contains (keep, GUINT_TO_POINTER (objects[i].ref)) &&
          hs_snapshot_is_library (snapshot, &objects[i], focus->user_modules))
        {
          g_hash_table_remove (keep, GUINT_TO_POINTER (objects[i].ref));
          narrowed = TRUE;
        }

  if (!narrowed)
    return hs_snapshot_ref (snapshot);

  self = hs_snapshot_new (snapshot->strings);
  self->index = snapshot->index;
  self->event = snapshot->event;
  self->line = snapshot->line;
  self->return_ref = snapshot->return_ref;
  self->return_borrowed = snapshot->return_borrowed;
  self->yielded = snapshot->yielded;
  self->python_version = snapshot->python_version;
  self->out = snapshot->out ? g_bytes_ref (snapshot->out) : NULL;
  self->err = snapshot->err ? g_bytes_ref (snapshot->err) : NULL;

  /* every frame stays, with the names of what is kept */
  for (guint i = 0; i < snapshot->frames->len; i++)
    {
      const HsFrame *from = &g_array_index (snapshot->frames, HsFrame, i);
      HsFrame frame = *from;

      frame.vars = g_new (HsVar, MAX (from->n_vars, 1));
      frame.n_vars = 0;
      for (guint j = 0; j < from->n_vars; j++)
        if (g_hash_table_contains (keep, GUINT_TO_POINTER (from->vars[j].ref)))
          frame.vars[frame.n_vars++] = from->vars[j];
      frame.unbound = g_memdup2 (from->unbound, sizeof (const char *) * from->n_unbound);
      g_array_append_val (self->frames, frame);
    }
  /* kept objects keep every slot: one whose object is left out is drawn
   * empty, not gone */
  for (guint i = 0; i < n_objects; i++)
    if (g_hash_table_contains (keep, GUINT_TO_POINTER (objects[i].ref)))
      {
        HsObject object = objects[i];

        object.edges = g_memdup2 (objects[i].edges, sizeof (HsEdge) * objects[i].n_edges);
        g_array_append_val (self->objects, object);
      }
  g_array_append_vals (self->freed, snapshot->freed->data, snapshot->freed->len);
  g_array_append_vals (self->gc_runs, snapshot->gc_runs->data, snapshot->gc_runs->len);
  hidden = hs_snapshot_get_hidden_refs (snapshot, &n_hidden);
  for (guint i = 0; i < n_hidden; i++)
    if (g_hash_table_contains (keep, GUINT_TO_POINTER (hidden[i].target)))
      g_array_append_val (self->hidden, hidden[i]);
  return self;
}
