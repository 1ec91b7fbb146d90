/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-step-builder"

#include "config.h"

#include <string.h>

#include "hs-step-builder.h"

struct _HsStepBuilder
{
  GHashTable *strings;      /* char* -> id+1 */
  guint32     n_strings;

  /* the step being built */
  HsWireStep  step;
  /* The whole stack as this step shows it, which the next step keeps in
   * part (hs_step_builder_keep_frames): per frame function, line, n_vars,
   * n_unbound, file, then the (name, ref) pairs, then the unbound names; and
   * where each frame starts in it. */
  GArray     *frames;       /* guint32 */
  GArray     *frame_starts; /* guint32 */
  GArray     *prev_tail;    /* the previous step's frames past those kept */
  guint32     prev_n_frames;
  guint32     kept;         /* frames the walker said are unchanged */
  gboolean    keep_called;
  gint        frame_start;
  GBytes     *out;
  GBytes     *err;

  /* the batch: every part of every pending step, concatenated */
  guint32     first_index;
  GArray     *steps;        /* HsWireStep */
  GPtrArray  *new_strings;
  GArray     *frame_words;  /* guint32 */
  GArray     *objects;      /* HsWireObject */
  GArray     *refcounts;    /* HsWireRefcount */
  GArray     *edge_owners;  /* HsWireEdgeOwner */
  GArray     *edges;        /* HsWireEdge */
  GArray     *removed;      /* guint32 */
  GArray     *freed;        /* HsWireFreed */
  GArray     *gc;           /* HsWireGc */
  GByteArray *out_bytes;
  GByteArray *err_bytes;

  gboolean    in_step;

  /* how long each part was when the current step began */
  guint       attributed_strings;  /* new strings already in a step's count */
  guint       mark_objects, mark_refcounts, mark_owners, mark_edges,
              mark_removed, mark_freed, mark_gc;
};

HsStepBuilder *
hs_step_builder_new (void)
{
  HsStepBuilder *self = g_new0 (HsStepBuilder, 1);

  self->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->new_strings = g_ptr_array_new ();
  self->frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->frame_starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->prev_tail = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->steps = g_array_new (FALSE, TRUE, sizeof (HsWireStep));
  self->frame_words = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->objects = g_array_new (FALSE, FALSE, sizeof (HsWireObject));
  self->refcounts = g_array_new (FALSE, FALSE, sizeof (HsWireRefcount));
  self->edge_owners = g_array_new (FALSE, FALSE, sizeof (HsWireEdgeOwner));
  self->edges = g_array_new (FALSE, FALSE, sizeof (HsWireEdge));
  self->removed = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->freed = g_array_new (FALSE, FALSE, sizeof (HsWireFreed));
  self->gc = g_array_new (FALSE, FALSE, sizeof (HsWireGc));
  self->out_bytes = g_byte_array_new ();
  self->err_bytes = g_byte_array_new ();

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
  g_array_unref (self->frame_starts);
  g_array_unref (self->prev_tail);
  g_array_unref (self->steps);
  g_array_unref (self->frame_words);
  g_array_unref (self->objects);
  g_array_unref (self->refcounts);
  g_array_unref (self->edge_owners);
  g_array_unref (self->edges);
  g_array_unref (self->removed);
  g_array_unref (self->freed);
  g_array_unref (self->gc);
  g_byte_array_unref (self->out_bytes);
  g_byte_array_unref (self->err_bytes);
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

void
hs_step_builder_begin (HsStepBuilder *self,
                       guint32        index,
                       HsEvent        event,
                       guint32        line)
{
  if (self->steps->len == 0)
    self->first_index = index;
  g_assert (index == self->first_index + self->steps->len);

  self->in_step = TRUE;
  memset (&self->step, 0, sizeof self->step);
  self->step.event = event;
  self->step.line = line;
  self->keep_called = FALSE;
  self->frame_start = -1;
  g_clear_pointer (&self->out, g_bytes_unref);
  g_clear_pointer (&self->err, g_bytes_unref);

  self->mark_objects = self->objects->len;
  self->mark_refcounts = self->refcounts->len;
  self->mark_owners = self->edge_owners->len;
  self->mark_edges = self->edges->len;
  self->mark_removed = self->removed->len;
  self->mark_freed = self->freed->len;
  self->mark_gc = self->gc->len;
}

/* The outermost n frames of this step are those of the step before, as
 * they were: only the frames past them are added (begin_frame, add_var).
 * A step that does not say keeps none. */
void
hs_step_builder_keep_frames (HsStepBuilder *self,
                             guint32        n)
{
  guint32 n_frames = self->frame_starts->len;
  guint32 cut;

  g_return_if_fail (self->in_step && !self->keep_called);
  g_return_if_fail (n <= n_frames);

  cut = n < n_frames ? g_array_index (self->frame_starts, guint32, n) : self->frames->len;
  g_array_set_size (self->prev_tail, 0);
  g_array_append_vals (self->prev_tail, (guint32 *) self->frames->data + cut, self->frames->len - cut);
  self->prev_n_frames = n_frames;
  self->kept = n;
  self->keep_called = TRUE;
  g_array_set_size (self->frames, cut);
  g_array_set_size (self->frame_starts, n);
}

void
hs_step_builder_begin_frame (HsStepBuilder *self,
                             guint32        function,
                             guint32        line,
                             guint32        file)
{
  guint32 zero = 0;

  if (!self->keep_called)
    hs_step_builder_keep_frames (self, 0);
  self->frame_start = self->frames->len;
  g_array_append_val (self->frame_starts, self->frame_start);
  g_array_append_val (self->frames, function);
  g_array_append_val (self->frames, line);
  g_array_append_val (self->frames, zero);
  g_array_append_val (self->frames, zero);
  g_array_append_val (self->frames, file);
}

void
hs_step_builder_add_var (HsStepBuilder *self,
                         guint32        name,
                         guint32        ref)
{
  g_assert (self->frame_start >= 0);
  /* the pairs come before the unbound names */
  g_assert (g_array_index (self->frames, guint32, self->frame_start + 3) == 0);

  g_array_append_val (self->frames, name);
  g_array_append_val (self->frames, ref);
  g_array_index (self->frames, guint32, self->frame_start + 2)++;
}

/* A name the current frame's code owns that holds no value at this step;
 * after its variables (add_var). */
void
hs_step_builder_add_unbound (HsStepBuilder *self,
                             guint32        name)
{
  g_assert (self->frame_start >= 0);

  g_array_append_val (self->frames, name);
  g_array_index (self->frames, guint32, self->frame_start + 3)++;
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
      /* the third word is a target, or a hidden holder's count */
      HsWireEdge edge = { owner, triples[3 * i], triples[3 * i + 1], { triples[3 * i + 2] } };

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

/* borrowed: the return has not taken its reference yet, so the arrow
 * drawn for it holds none; yielded: the frame yields the value, and lives
 * on (see hs_py_frame_return_kind()) */
void
hs_step_builder_set_return (HsStepBuilder *self,
                            guint32        ref,
                            gboolean       borrowed,
                            gboolean       yielded)
{
  self->step.return_ref = ref;
  self->step.return_borrowed = ref != 0 && borrowed;
  self->step.yielded = ref != 0 && yielded;
}

/* Compares the frames past those kept with the previous step's: how many
 * more of them are the same, line included, and whether they all are but
 * for the innermost frame's line (the step's own). */
static guint32
tail_common (HsStepBuilder *self,
             gboolean      *same_but_line)
{
  const guint32 *x = (const guint32 *) self->prev_tail->data;
  const guint32 *y = (const guint32 *) self->frames->data;
  guint32 nx = self->prev_tail->len;
  guint32 ny = self->frames->len;
  guint32 i = 0, j = self->kept < self->frame_starts->len ? g_array_index (self->frame_starts, guint32, self->kept) : ny;
  guint32 common = 0;
  guint32 n_new = self->frame_starts->len - self->kept;
  guint32 n_old = self->prev_n_frames - self->kept;

  g_assert (self != NULL && same_but_line != NULL);

  *same_but_line = FALSE;
  while (i < nx && j < ny && x[i + 2] == y[j + 2] && x[i + 3] == y[j + 3] &&
         memcmp (x + i, y + j, hs_protocol_frame_words (x + i) * sizeof (guint32)) == 0)
    {
      i += hs_protocol_frame_words (x + i);
      j += hs_protocol_frame_words (y + j);
      common++;
    }
  if (n_new == n_old)
    {
      if (common == n_new)
        *same_but_line = TRUE;
      else if (common + 1 == n_new && x[i] == y[j] && x[i + 2] == y[j + 2] && x[i + 3] == y[j + 3] &&
               memcmp (x + i + 2, y + j + 2, (hs_protocol_frame_words (x + i) - 2) * sizeof (guint32)) == 0)
        *same_but_line = TRUE;   /* only the innermost frame's line moved */
    }
  return common;
}

static guint32
append_bytes (GByteArray *to,
              GBytes     *bytes)
{
  gsize len = 0;
  const guint8 *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  if (len > 0)
    g_byte_array_append (to, data, len);
  return len;
}

void
hs_step_builder_end (HsStepBuilder *self)
{
  HsWireStep *step = &self->step;
  gboolean same;
  guint32 keep;

  if (!self->keep_called)
    hs_step_builder_keep_frames (self, 0);
  keep = self->kept + tail_common (self, &same);
  step->frames_changed = !same;
  if (step->frames_changed)
    {
      guint32 from = keep < self->frame_starts->len ? g_array_index (self->frame_starts, guint32, keep) : self->frames->len;

      g_array_append_vals (self->frame_words, (guint32 *) self->frames->data + from, self->frames->len - from);
      step->n_frame_words = self->frames->len - from;
      step->keep_frames = keep;
    }

  /* strings interned since the previous step belong to this one */
  step->n_strings = self->new_strings->len - self->attributed_strings;
  self->attributed_strings = self->new_strings->len;
  step->n_objects = self->objects->len - self->mark_objects;
  step->n_refcounts = self->refcounts->len - self->mark_refcounts;
  step->n_edge_owners = self->edge_owners->len - self->mark_owners;
  step->n_edges = self->edges->len - self->mark_edges;
  step->n_removed = self->removed->len - self->mark_removed;
  step->n_freed = self->freed->len - self->mark_freed;
  step->n_gc = self->gc->len - self->mark_gc;
  step->n_out = append_bytes (self->out_bytes, self->out);
  step->n_err = append_bytes (self->err_bytes, self->err);
  g_array_append_vals (self->steps, step, 1);

  self->in_step = FALSE;
}

/* Drops what the step under way has added, so that the pending batch holds
 * only whole steps: for a worker that must send what it has and die.  The
 * strings it interned stay in the table but are never sent. */
void
hs_step_builder_abandon_step (HsStepBuilder *self)
{
  if (!self->in_step)
    return;
  g_ptr_array_set_size (self->new_strings, self->attributed_strings);
  g_array_set_size (self->objects, self->mark_objects);
  g_array_set_size (self->refcounts, self->mark_refcounts);
  g_array_set_size (self->edge_owners, self->mark_owners);
  g_array_set_size (self->edges, self->mark_edges);
  g_array_set_size (self->removed, self->mark_removed);
  g_array_set_size (self->freed, self->mark_freed);
  g_array_set_size (self->gc, self->mark_gc);
  self->in_step = FALSE;
}

gsize
hs_step_builder_get_pending_size (HsStepBuilder *self)
{
  return self->steps->len * sizeof (HsWireStep) +
         self->objects->len * sizeof (HsWireObject) +
         self->edges->len * sizeof (HsWireEdge) +
         self->out_bytes->len + self->err_bytes->len;
}

static GVariant *
fixed_array (const char *elem_type,
             GArray     *array,
             gsize       elem_size)
{
  GVariant *v = g_variant_new_fixed_array (G_VARIANT_TYPE (elem_type), array->data, array->len, elem_size);

  g_array_set_size (array, 0);
  return v;
}

static GVariant *
byte_array (GByteArray *array)
{
  GVariant *v = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, array->data, array->len, 1);

  g_byte_array_set_size (array, 0);
  return v;
}

/* Everything pending as one HS_STEPS_TYPE value, or NULL when nothing is. */
GVariant *
hs_step_builder_take_batch (HsStepBuilder *self)
{
  GVariant *children[13];

  if (self->steps->len == 0)
    return NULL;

  children[0] = g_variant_new_uint32 (self->first_index);
  children[1] = fixed_array (HS_WIRE_STEP_TYPE_STRING, self->steps, sizeof (HsWireStep));
  children[2] = g_variant_new_strv ((const char * const *) self->new_strings->pdata, self->new_strings->len);
  g_ptr_array_set_size (self->new_strings, 0);
  self->attributed_strings = 0;
  children[3] = fixed_array ("u", self->frame_words, sizeof (guint32));
  children[4] = fixed_array ("(txxuuuuuuuu)", self->objects, sizeof (HsWireObject));
  children[5] = fixed_array ("(uu)", self->refcounts, sizeof (HsWireRefcount));
  children[6] = fixed_array ("(uu)", self->edge_owners, sizeof (HsWireEdgeOwner));
  children[7] = fixed_array ("(uuuu)", self->edges, sizeof (HsWireEdge));
  children[8] = fixed_array ("u", self->removed, sizeof (guint32));
  children[9] = fixed_array ("(uu)", self->freed, sizeof (HsWireFreed));
  children[10] = fixed_array ("(uuuu)", self->gc, sizeof (HsWireGc));
  children[11] = byte_array (self->out_bytes);
  children[12] = byte_array (self->err_bytes);

  return g_variant_new_tuple (children, G_N_ELEMENTS (children));
}
