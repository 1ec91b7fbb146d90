/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-graph-view"

#include "config.h"

#include "hs-graph-view-private.h"

/*
 * "… N more" across runs: what hs_graph_view_show_more() grew is kept by
 * ref, and refs name the objects of one trace only.  When the view leaves
 * a trace (Run again, or a run with a higher element cap), each grown
 * container that a variable names is remembered by that variable, its
 * function and name (see var_key()); the next trace's container under the same name, at
 * the first step that binds it, is grown as much.  A container no
 * variable names (an entry of another one) starts folded again.
 */

/* "function\nname\nN": a frame's function, a variable's name, and how
 * many variables of that name come after it in the frame.  A frame may
 * list one name twice: while a comprehension inlined in the module's code
 * runs (3.12 on, PEP 709) the module frame shows the comprehension's
 * variable first, then the global of the same name, each holding its own
 * value.  Counted from the frame's end, the global is 0 at every step,
 * whether a comprehension runs or not, and the comprehension's variable
 * that hides it is 1: the two never share a key. */
static char *
var_key (const HsFrame *frame,
         guint          v)
{
  guint later = 0;

  g_assert (frame != NULL && v < frame->n_vars);
  g_assert (frame->function != NULL && frame->vars[v].name != NULL);

  for (guint w = v + 1; w < frame->n_vars; w++)
    later += g_str_equal (frame->vars[w].name, frame->vars[v].name);
  return g_strdup_printf ("%s\n%s\n%u", frame->function, frame->vars[v].name, later);
}

/* The variable that names ref in snapshot, innermost frame first */
static char *
key_of_ref (HsSnapshot *snapshot,
            guint32     ref)
{
  const HsFrame *frames;
  guint n_frames;

  g_assert (snapshot != NULL);

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  for (guint f = n_frames; f > 0; f--)
    for (guint v = 0; v < frames[f - 1].n_vars; v++)
      if (frames[f - 1].vars[v].ref == ref)
        return var_key (&frames[f - 1], v);
  return NULL;
}

/* A copy of the view's table of grown containers, to change and put in
 * its place: a layout thread may still read the one it has */
GHashTable *
hs_graph_view_more_cells_copy (HsGraphView *self)
{
  GHashTable *more = g_hash_table_new (NULL, NULL);

  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), more);

  if (self->more_cells != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, self->more_cells);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (more, key, value);
    }
  return more;
}

/* Called as the view leaves its trace, while self->snapshot is still
 * that trace's: the grown containers, by the variables that name them
 * there, or at the trace's last step. */
void
hs_graph_view_more_remember (HsGraphView *self)
{
  g_autoptr(HsSnapshot) last = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  if (self->more_cells == NULL || self->trace == NULL)
    return;
  if (hs_trace_get_n_steps (self->trace) > 0)
    last = hs_trace_get_snapshot (self->trace, hs_trace_get_n_steps (self->trace) - 1);
  if (self->more_vars == NULL)
    self->more_vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, self->more_cells);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint32 ref = GPOINTER_TO_UINT (key);
      char *name = NULL;

      if (self->snapshot != NULL)
        name = key_of_ref (self->snapshot, ref);
      if (name == NULL && last != NULL)
        name = key_of_ref (last, ref);
      if (name != NULL)
        g_hash_table_insert (self->more_vars, name, value);
    }
}

/* Called with the snapshot about to be laid out: the containers of the
 * trace before that its variables name here are grown as they were.  A
 * new table, since a layout thread may still read the old one. */
void
hs_graph_view_more_restore (HsGraphView *self)
{
  GHashTable *more = NULL;
  const HsFrame *frames;
  guint n_frames;

  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  if (self->more_vars == NULL || g_hash_table_size (self->more_vars) == 0 || self->snapshot == NULL)
    return;
  frames = hs_snapshot_get_frames (self->snapshot, &n_frames);
  for (guint f = n_frames; f > 0; f--)
    for (guint v = 0; v < frames[f - 1].n_vars; v++)
      {
        g_autofree char *name = var_key (&frames[f - 1], v);
        guint32 ref = frames[f - 1].vars[v].ref;
        gpointer cells;

        if (!g_hash_table_lookup_extended (self->more_vars, name, NULL, &cells))
          continue;
        g_hash_table_remove (self->more_vars, name);
        if (ref == 0 || hs_graph_view_get_more_cells (self, ref) != 0)
          continue;
        if (more == NULL)
          more = hs_graph_view_more_cells_copy (self);
        g_hash_table_insert (more, GUINT_TO_POINTER (ref), cells);
      }
  if (more != NULL)
    {
      g_clear_pointer (&self->more_cells, g_hash_table_unref);
      self->more_cells = more;
    }
}

/* The object whose box leaves ref out behind its "… N more", a drawn
 * one if any; *entry: where ref stands among its entries */
static const HsObject *
hiding_holder (HsSnapshot            *snapshot,
               HsLayout              *layout,
               guint32                ref,
               const HsLayoutOptions *options,
               guint                 *entry)
{
  const HsObject *objects, *found = NULL;
  guint n_objects;

  objects = hs_snapshot_get_objects (snapshot, &n_objects);
  for (guint i = 0; i < n_objects; i++)
    {
      gboolean drawn;
      guint k;

      if (objects[i].ref == ref || !hs_layout_entry_hidden (&objects[i], ref, options, &k))
        continue;
      drawn = hs_layout_get_object_box (layout, objects[i].ref) != NULL;
      if (found == NULL || drawn)
        {
          found = &objects[i];
          *entry = k;
        }
      if (drawn)
        break;
    }
  return found;
}

/* The most containers hs_graph_view_more_unfold() grows, from ref up */
#define UNFOLD_DEPTH 8

/*
 * Grows, as "… N more" would, the containers whose boxes leave ref out
 * of the picture: the one that hides it, and up from there while that
 * one is left out too, each just far enough to draw the entry.  A search
 * found an object of a 1,000-entry list in the snapshot, selected it in
 * the inspector, and the graph could not show it.  Lays the step out
 * again and returns TRUE if it grew any.
 */
gboolean
hs_graph_view_more_unfold (HsGraphView *self,
                           guint32      ref)
{
  g_autoptr(GHashTable) more = NULL;
  HsLayoutOptions options;
  gboolean grown = FALSE;

  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), FALSE);

  if (self->layout == NULL || self->snapshot == NULL || self->layout_source != self->snapshot)
    return FALSE;
  more = hs_graph_view_more_cells_copy (self);
  hs_layout_options_init (&options);
  options.more_cells = more;
  for (guint depth = 0; depth < UNFOLD_DEPTH && hs_layout_get_object_box (self->layout, ref) == NULL; depth++)
    {
      guint entry = 0;
      const HsObject *holder = hiding_holder (self->snapshot, self->layout, ref, &options, &entry);

      if (holder == NULL)
        break;
      g_hash_table_insert (more, GUINT_TO_POINTER (holder->ref), GUINT_TO_POINTER (entry + 1 - options.max_cells));
      grown = TRUE;
      ref = holder->ref;
      if (hs_layout_get_object_box (self->layout, ref) != NULL)
        break;
    }
  if (!grown)
    return FALSE;
  /* A new table: a layout thread may still read the old one */
  g_clear_pointer (&self->more_cells, g_hash_table_unref);
  self->more_cells = g_steal_pointer (&more);
  hs_graph_view_set_step (self, self->trace, self->snapshot, TRUE);
  return TRUE;
}
