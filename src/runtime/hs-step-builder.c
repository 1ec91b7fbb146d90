/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-step-builder"

#include "config.h"

#include <string.h>

#include "hs-step-builder.h"

struct _HsStepBuilder
{
  GHashTable *strings;      /* char* -> id+1 */
  guint32     n_strings;
  GPtrArray  *new_strings;

  guint32     index;
  guint8      event;
  guint32     line;

  /* frames are compared with the previous step's to send them only when
   * something other than the innermost line changed */
  GArray     *frames;       /* guint32: function, line, n_vars, then pairs */
  GArray     *prev_frames;
  GArray     *objects;      /* HsWireObject */
  GArray     *refcounts;    /* HsWireRefcount */
  GArray     *edge_owners;  /* HsWireEdgeOwner */
  GArray     *edges;        /* HsWireEdge */
  GArray     *removed;      /* guint32 */
  GArray     *freed;        /* HsWireFreed */
  GArray     *gc;           /* HsWireGc */
  GBytes     *out;
  GBytes     *err;
  guint32     return_ref;
  gint        frame_start;
};

HsStepBuilder *
hs_step_builder_new (void)
{
  HsStepBuilder *self = g_new0 (HsStepBuilder, 1);

  self->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->new_strings = g_ptr_array_new ();
  self->frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->prev_frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->objects = g_array_new (FALSE, FALSE, sizeof (HsWireObject));
  self->refcounts = g_array_new (FALSE, FALSE, sizeof (HsWireRefcount));
  self->edge_owners = g_array_new (FALSE, FALSE, sizeof (HsWireEdgeOwner));
  self->edges = g_array_new (FALSE, FALSE, sizeof (HsWireEdge));
  self->removed = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->freed = g_array_new (FALSE, FALSE, sizeof (HsWireFreed));
  self->gc = g_array_new (FALSE, FALSE, sizeof (HsWireGc));

  /* id 0 is the empty string, so a zeroed record reads as "no string" */
  hs_step_builder_intern (self, "");
  return self;
}

void
hs_step_builder_free (HsStepBuilder *self)
{
  g_hash_table_unref (self->strings);
  g_ptr_array_unref (self->new_strings);
  g_array_unref (self->frames);
  g_array_unref (self->prev_frames);
  g_array_unref (self->objects);
  g_array_unref (self->refcounts);
  g_array_unref (self->edge_owners);
  g_array_unref (self->edges);
  g_array_unref (self->removed);
  g_array_unref (self->freed);
  g_array_unref (self->gc);
  g_clear_pointer (&self->out, g_bytes_unref);
  g_clear_pointer (&self->err, g_bytes_unref);
  g_free (self);
}

guint32
hs_step_builder_intern (HsStepBuilder *self,
                        const char    *str)
{
  gpointer value;
  char *copy;

  if (g_hash_table_lookup_extended (self->strings, str, NULL, &value))
    return GPOINTER_TO_UINT (value) - 1;

  copy = g_utf8_make_valid (str, -1);
  g_hash_table_insert (self->strings, copy, GUINT_TO_POINTER (self->n_strings + 1));
  g_ptr_array_add (self->new_strings, copy);
  return self->n_strings++;
}

guint32
hs_step_builder_intern_len (HsStepBuilder *self,
                            const char    *str,
                            gssize         len)
{
  g_autofree char *tmp = g_strndup (str, len);

  return hs_step_builder_intern (self, tmp);
}

void
hs_step_builder_begin (HsStepBuilder *self,
                       guint32        index,
                       HsEvent        event,
                       guint32        line)
{
  self->index = index;
  self->event = event;
  self->line = line;
  g_array_set_size (self->frames, 0);
  g_array_set_size (self->objects, 0);
  g_array_set_size (self->refcounts, 0);
  g_array_set_size (self->edge_owners, 0);
  g_array_set_size (self->edges, 0);
  g_array_set_size (self->removed, 0);
  g_array_set_size (self->freed, 0);
  g_array_set_size (self->gc, 0);
  g_clear_pointer (&self->out, g_bytes_unref);
  g_clear_pointer (&self->err, g_bytes_unref);
  self->return_ref = 0;
  self->frame_start = -1;
}

void
hs_step_builder_begin_frame (HsStepBuilder *self,
                             guint32        function,
                             guint32        line)
{
  guint32 zero = 0;

  self->frame_start = self->frames->len;
  g_array_append_val (self->frames, function);
  g_array_append_val (self->frames, line);
  g_array_append_val (self->frames, zero);
}

void
hs_step_builder_add_var (HsStepBuilder *self,
                         guint32        name,
                         guint32        ref)
{
  g_assert (self->frame_start >= 0);

  g_array_append_val (self->frames, name);
  g_array_append_val (self->frames, ref);
  g_array_index (self->frames, guint32, self->frame_start + 2)++;
}

void
hs_step_builder_add_object (HsStepBuilder      *self,
                            const HsWireObject *object)
{
  g_array_append_vals (self->objects, object, 1);
}

void
hs_step_builder_add_refcount (HsStepBuilder *self,
                              guint32        ref,
                              gint64         refcount)
{
  HsWireRefcount rc = { ref, (guint32) CLAMP (refcount, 0, G_MAXUINT32) };

  g_array_append_val (self->refcounts, rc);
}

void
hs_step_builder_replace_edges (HsStepBuilder *self,
                               guint32        owner,
                               guint32        keep,
                               const guint32 *triples,
                               guint32        n_edges)
{
  HsWireEdgeOwner o = { owner, keep };

  g_array_append_val (self->edge_owners, o);
  for (guint32 i = 0; i < n_edges; i++)
    {
      HsWireEdge edge = { owner, triples[3 * i], triples[3 * i + 1], triples[3 * i + 2] };

      g_array_append_val (self->edges, edge);
    }
}

void
hs_step_builder_add_removed (HsStepBuilder *self,
                             guint32        ref)
{
  g_array_append_val (self->removed, ref);
}

void
hs_step_builder_add_freed (HsStepBuilder *self,
                           guint32        ref,
                           guint32        cause)
{
  HsWireFreed f = { ref, cause };

  g_array_append_val (self->freed, f);
}

void
hs_step_builder_add_gc (HsStepBuilder  *self,
                        const HsWireGc *gc)
{
  g_array_append_vals (self->gc, gc, 1);
}

void
hs_step_builder_set_output (HsStepBuilder *self,
                            GBytes        *out,
                            GBytes        *err)
{
  g_clear_pointer (&self->out, g_bytes_unref);
  g_clear_pointer (&self->err, g_bytes_unref);
  self->out = out ? g_bytes_ref (out) : NULL;
  self->err = err ? g_bytes_ref (err) : NULL;
}

void
hs_step_builder_set_return (HsStepBuilder *self,
                            guint32        ref)
{
  self->return_ref = ref;
}

/* An empty array is shared rather than built again: most of a step's
 * arrays are empty most of the time. */
static GVariant *
fixed_array (const GVariantType *elem_type,
             GVariant          **empty,
             GArray             *array,
             gsize               elem_size)
{
  if (array->len == 0)
    {
      if (*empty == NULL)
        *empty = g_variant_ref_sink (g_variant_new_array (elem_type, NULL, 0));
      return *empty;   /* g_variant_new_tuple() takes its own reference */
    }
  return g_variant_new_fixed_array (elem_type, array->data, array->len, elem_size);
}

static gboolean
frames_equal_but_line (GArray *a,
                       GArray *b)
{
  guint32 *x = (guint32 *) a->data;
  guint32 *y = (guint32 *) b->data;
  guint i = 0;

  if (a->len != b->len)
    return FALSE;
  /* the innermost frame's line is the step's own line; compare the rest */
  while (i < a->len)
    {
      guint32 n = x[i + 2];
      gboolean innermost = (i + 3 + 2 * n) == a->len;

      if (x[i] != y[i] || x[i + 2] != y[i + 2] || (!innermost && x[i + 1] != y[i + 1]))
        return FALSE;
      if (memcmp (x + i + 3, y + i + 3, 2 * n * sizeof (guint32)) != 0)
        return FALSE;
      i += 3 + 2 * n;
    }
  return TRUE;
}

GVariant *
hs_step_builder_end (HsStepBuilder *self)
{
  static GVariant *empty_strings, *empty_frames, *empty_objects, *empty_pairs,
                  *empty_u, *empty_quads, *empty_bytes, *empty_owners;
  static const GVariantType *object_type, *pair_type, *quad_type;
  gboolean frames_changed;
  guint32 *f = (guint32 *) self->frames->data;
  GVariant *children[16];
  GArray *swap;

  if (object_type == NULL)
    {
      object_type = G_VARIANT_TYPE ("(txxuuuuuu)");
      pair_type = G_VARIANT_TYPE ("(uu)");
      quad_type = G_VARIANT_TYPE ("(uuuu)");
    }

  if (self->new_strings->len == 0)
    {
      if (empty_strings == NULL)
        empty_strings = g_variant_ref_sink (g_variant_new_strv (NULL, 0));
      children[3] = empty_strings;
    }
  else
    children[3] = g_variant_new_strv ((const char * const *) self->new_strings->pdata, self->new_strings->len);
  g_ptr_array_set_size (self->new_strings, 0);

  frames_changed = !frames_equal_but_line (self->frames, self->prev_frames);
  if (frames_changed)
    {
      GVariantBuilder frames;

      g_variant_builder_init (&frames, G_VARIANT_TYPE ("a(uuau)"));
      for (guint i = 0; i < self->frames->len;)
        {
          guint32 n = f[i + 2];

          g_variant_builder_add (&frames, "(uu@au)", f[i], f[i + 1],
                                 g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, f + i + 3, 2 * n, sizeof (guint32)));
          i += 3 + 2 * n;
        }
      children[5] = g_variant_builder_end (&frames);
    }
  else
    {
      if (empty_frames == NULL)
        empty_frames = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("(uuau)"), NULL, 0));
      children[5] = empty_frames;
    }

  children[0] = g_variant_new_uint32 (self->index);
  children[1] = g_variant_new_byte (self->event);
  children[2] = g_variant_new_uint32 (self->line);
  children[4] = g_variant_new_boolean (frames_changed);
  children[6] = fixed_array (object_type, &empty_objects, self->objects, sizeof (HsWireObject));
  children[7] = fixed_array (pair_type, &empty_pairs, self->refcounts, sizeof (HsWireRefcount));
  children[8] = fixed_array (pair_type, &empty_owners, self->edge_owners, sizeof (HsWireEdgeOwner));
  children[9] = fixed_array (quad_type, &empty_quads, self->edges, sizeof (HsWireEdge));
  children[10] = fixed_array (G_VARIANT_TYPE_UINT32, &empty_u, self->removed, sizeof (guint32));
  children[11] = fixed_array (pair_type, &empty_pairs, self->freed, sizeof (HsWireFreed));
  children[12] = fixed_array (quad_type, &empty_quads, self->gc, sizeof (HsWireGc));
  if (empty_bytes == NULL)
    empty_bytes = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE_BYTE, NULL, 0));
  children[13] = self->out && g_bytes_get_size (self->out) > 0
    ? g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, self->out, TRUE) : empty_bytes;
  children[14] = self->err && g_bytes_get_size (self->err) > 0
    ? g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, self->err, TRUE) : empty_bytes;
  children[15] = g_variant_new_uint32 (self->return_ref);

  swap = self->prev_frames;
  self->prev_frames = self->frames;
  self->frames = swap;

  return g_variant_new_tuple (children, G_N_ELEMENTS (children));
}
