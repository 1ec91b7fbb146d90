/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-trace-reader"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

#include "hs-trace-json.h"
#include "hs-trace-reader.h"

/* Steps per batch handed to hs_trace_append_batch(). */
#define BATCH_STEPS 256

G_DEFINE_QUARK (hs-trace-reader-error-quark, hs_trace_reader_error)

/* An object as the JSON last described it: its record in wire form (type
 * and repr as string ids) and every edge the JSON listed. */
typedef struct
{
  HsWireObject  wire;
  GArray       *edges;   /* HsWireEdge */
} Record;

typedef struct
{
  HsTrace     *trace;
  GHashTable  *ids;      /* string -> id + 1 in the trace's string table */
  guint        n_ids;
  GHashTable  *objects;  /* ref -> Record*, the state after the last step */
  GHashTable  *known;    /* refs ever present: only they can be freed */
  GArray      *frames;   /* guint32 frame words of the last step */
  guint        index;

  /* The batch being built */
  GArray      *steps, *strings_added, *frame_words, *records, *refcounts, *owners,
              *edges, *removed, *freed, *gc;
  GByteArray  *out, *err;
  GPtrArray   *strings;  /* char*, this batch's new strings */
  guint        first_index;

  /* Versions 3 and 4 write the output once, after the steps: each step
   * has a range of code points of it, and the batches wait for it */
  gboolean     ranges;
  guint64      out_at, err_at;  /* where the next step's range starts */
  GArray      *chars;           /* guint64 pairs: each step's out, err */
  GPtrArray   *waiting;         /* Waiting: the batches so far */
  GHashTable  *files;    /* the string ids of the frames' files, + 1 */
} Reader;

typedef struct
{
  GVariant *batch;               /* its output empty */
  GArray   *chars;               /* guint64 pairs, as Reader's */
} Waiting;

static void
waiting_free (gpointer data)
{
  Waiting *w = data;

  g_clear_pointer (&w->batch, g_variant_unref);
  g_array_unref (w->chars);
  g_free (w);
}

static void
record_free (gpointer data)
{
  Record *record = data;

  g_array_unref (record->edges);
  g_free (record);
}

static gboolean
fail (GError     **error,
      int          code,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
      int          code,
      const char  *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_set_error_literal (error, HS_TRACE_READER_ERROR, code, "");
  if (error != NULL && *error != NULL)
    {
      g_free ((*error)->message);
      (*error)->message = g_strdup_vprintf (format, args);
    }
  va_end (args);
  return FALSE;
}

static gboolean
invalid (GError **error,
         guint    index,
         const char *what)
{
  /* Translators: a saved trace's step does not hold what it must */
  return fail (error, HS_TRACE_READER_ERROR_INVALID, _("Step %u of the trace is invalid: %s"), index, what);
}

static guint32
string_id (Reader     *r,
           const char *text)
{
  gpointer value = g_hash_table_lookup (r->ids, text);

  if (value != NULL)
    return GPOINTER_TO_UINT (value) - 1;
  g_ptr_array_add (r->strings, g_strdup (text));
  g_hash_table_insert (r->ids, g_strdup (text), GUINT_TO_POINTER (r->n_ids + 1));
  return r->n_ids++;
}

static void
batch_reset (Reader *r)
{
  g_array_set_size (r->steps, 0);
  g_array_set_size (r->frame_words, 0);
  g_array_set_size (r->records, 0);
  g_array_set_size (r->refcounts, 0);
  g_array_set_size (r->owners, 0);
  g_array_set_size (r->edges, 0);
  g_array_set_size (r->removed, 0);
  g_array_set_size (r->freed, 0);
  g_array_set_size (r->gc, 0);
  g_byte_array_set_size (r->out, 0);
  g_byte_array_set_size (r->err, 0);
  g_ptr_array_set_size (r->strings, 0);
  g_array_set_size (r->chars, 0);
  r->first_index = r->index;
}

static GVariant *
fixed (const char *type,
       GArray     *array,
       gsize       size)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE (type), array->len ? array->data : NULL, array->len, size);
}

static gboolean
batch_flush (Reader  *r,
             GError **error)
{
  g_autoptr(GVariant) batch = NULL;
  g_autoptr(GError) local = NULL;

  if (r->steps->len == 0)
    return TRUE;
  batch = g_variant_ref_sink (g_variant_new ("(u@a" HS_WIRE_STEP_TYPE_STRING "@as@au@a(txxuuuuuuuu)@a(uu)@a(uu)@a(uuuu)@au@a(uu)@a(uuuu)@ay@ay)",
    r->first_index,
    fixed (HS_WIRE_STEP_TYPE_STRING, r->steps, sizeof (HsWireStep)),
    g_variant_new_strv ((const char * const *) r->strings->pdata, r->strings->len),
    fixed ("u", r->frame_words, sizeof (guint32)),
    fixed ("(txxuuuuuuuu)", r->records, sizeof (HsWireObject)),
    fixed ("(uu)", r->refcounts, sizeof (HsWireRefcount)),
    fixed ("(uu)", r->owners, sizeof (HsWireEdgeOwner)),
    fixed ("(uuuu)", r->edges, sizeof (HsWireEdge)),
    fixed ("u", r->removed, sizeof (guint32)),
    fixed ("(uu)", r->freed, sizeof (HsWireFreed)),
    fixed ("(uuuu)", r->gc, sizeof (HsWireGc)),
    g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, r->out->data, r->out->len, 1),
    g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, r->err->data, r->err->len, 1)));
  if (r->ranges)
    {
      Waiting *w = g_new0 (Waiting, 1);

      w->batch = g_steal_pointer (&batch);
      w->chars = g_array_copy (r->chars);
      g_ptr_array_add (r->waiting, w);
      batch_reset (r);
      return TRUE;
    }
  if (!hs_trace_append_batch (r->trace, batch, &local))
    return fail (error, HS_TRACE_READER_ERROR_INVALID, _("The trace’s steps do not add up: %s"), local->message);
  batch_reset (r);
  return TRUE;
}

/* JSON accessors, over yajl's tree, that accept only the type the format
 * gives a member. */
static yajl_val
member (yajl_val    object,
        const char *name)
{
  if (!YAJL_IS_OBJECT (object))
    return NULL;
  for (size_t i = 0; i < object->u.object.len; i++)
    if (strcmp (object->u.object.keys[i], name) == 0)
      return object->u.object.values[i];
  return NULL;
}

static gboolean
get_int (yajl_val    object,
         const char *name,
         gboolean    required,
         gint64      min,
         gint64      max,
         gint64     *value)
{
  yajl_val node = member (object, name);

  if (node == NULL || YAJL_IS_NULL (node))
    return !required;
  if (!YAJL_IS_INTEGER (node))
    return FALSE;
  *value = YAJL_GET_INTEGER (node);
  return *value >= min && *value <= max;
}

static const char *
get_string (yajl_val    object,
            const char *name)
{
  yajl_val node = member (object, name);

  return YAJL_IS_STRING (node) ? YAJL_GET_STRING (node) : NULL;
}

static gboolean
get_bool (yajl_val    object,
          const char *name)
{
  return YAJL_IS_TRUE (member (object, name));
}

static yajl_val
get_array (yajl_val    object,
           const char *name)
{
  yajl_val node = member (object, name);

  return YAJL_IS_ARRAY (node) ? node : NULL;
}

static guint
array_length (yajl_val array)
{
  return YAJL_IS_ARRAY (array) ? array->u.array.len : 0;
}

static yajl_val
get_object (yajl_val array,
            guint    i)
{
  yajl_val node = array->u.array.values[i];

  return YAJL_IS_OBJECT (node) ? node : NULL;
}

static gboolean
element_uint (yajl_val  array,
              guint     i,
              guint32  *value)
{
  yajl_val node = array->u.array.values[i];

  if (!YAJL_IS_INTEGER (node) || YAJL_GET_INTEGER (node) < 0 || YAJL_GET_INTEGER (node) > G_MAXUINT32)
    return FALSE;
  *value = YAJL_GET_INTEGER (node);
  return TRUE;
}

static int
name_index (const char *name,
            const char *(*to_string) (int),
            int         n)
{
  for (int i = 0; name != NULL && i < n; i++)
    if (g_strcmp0 (to_string (i), name) == 0)
      return i;
  return -1;
}

static const char *event_name (int i) { return hs_event_to_string (i); }
static const char *edge_name (int i) { return hs_edge_kind_to_string (i); }
static const char *cause_name (int i) { return hs_free_cause_to_string (i); }

/* NULL, with *problem saying why, when the record is not one. */
static Record *
parse_record (Reader      *r,
              yajl_val     object,
              const char **problem)
{
  g_autoptr(GArray) edges = g_array_new (FALSE, TRUE, sizeof (HsWireEdge));
  yajl_val list = get_array (object, "edges");
  yajl_val held = member (object, "held");
  const char *type = get_string (object, "type");
  const char *repr = get_string (object, "repr");
  const char *module = get_string (object, "module");
  yajl_val gc = NULL;
  gint64 ref = 0, id = 0, refcount = 0, size = -1, length = 0, omitted = 0, generation = -1;
  guint32 flags = 0;
  gint64 n_held = 0;
  Record *record;

  g_assert (r != NULL);
  g_assert (object != NULL);
  g_assert (problem != NULL);

  *problem = _("an object record without its members");
  if (!get_int (object, "ref", TRUE, 1, G_MAXUINT32, &ref) ||
      !get_int (object, "id", TRUE, 0, G_MAXINT64, &id) ||
      !get_int (object, "refcount", TRUE, G_MININT64, G_MAXINT64, &refcount) ||
      !get_int (object, "size", FALSE, 0, G_MAXINT64, &size) ||
      !get_int (object, "length", FALSE, 0, G_MAXUINT32, &length) ||
      !get_int (object, "omitted", FALSE, 0, G_MAXUINT32, &omitted) ||
      type == NULL || repr == NULL)
    return NULL;

  if (YAJL_IS_OBJECT (member (object, "gc")))
    gc = member (object, "gc");
  if (gc != NULL && get_bool (gc, "tracked"))
    {
      flags |= HS_OBJECT_GC_TRACKED;
      if (!get_int (gc, "generation", FALSE, 0, 2, &generation))
        return NULL;
      /* garbage being collected is in no generation */
      if (get_bool (gc, "collecting") && generation < 0)
        flags |= HS_OBJECT_COLLECTING;
    }
  flags |= (guint32) (generation >= 0 ? generation : HS_OBJECT_NO_GENERATION) << HS_OBJECT_GENERATION_SHIFT;
  if (get_bool (object, "mutable"))
    flags |= HS_OBJECT_MUTABLE;
  if (get_bool (object, "small_int"))
    flags |= HS_OBJECT_SMALL_INT;
  if (get_bool (object, "interned"))
    flags |= HS_OBJECT_INTERNED;
  if (get_bool (object, "immortal"))
    flags |= HS_OBJECT_IMMORTAL;
  if (get_bool (object, "reachable"))
    flags |= HS_OBJECT_REACHABLE;
  /* only a dict is a module's globals */
  if (get_bool (object, "frame_globals") && g_strcmp0 (type, "dict") == 0)
    flags |= HS_OBJECT_FRAME_GLOBALS;
  if (member (object, "length") != NULL)
    flags |= HS_OBJECT_CONTAINER;
  if (size >= 0)
    flags |= HS_OBJECT_SIZE_KNOWN;

  for (guint i = 0; list != NULL && i < array_length (list); i++)
    {
      yajl_val e = get_object (list, i);
      gint64 target = 0;
      int kind = e ? name_index (get_string (e, "kind"), edge_name, HS_N_EDGE_KINDS) : -1;
      HsWireEdge edge = { 0 };

      if (kind < 0 || HS_EDGE_KIND_IS_HELD (kind) || get_string (e, "label") == NULL ||
          !get_int (e, "ref", TRUE, 1, G_MAXUINT32, &target))
        return NULL;
      edge.owner = ref;
      edge.kind = kind;
      edge.label = string_id (r, get_string (e, "label"));
      edge.target = target;
      g_array_append_val (edges, edge);
    }
  /* The hidden holders become the edges the runtime sent, one per holder
   * carrying its count, after the others. */
  *problem = _("a hidden holder (“held”) without a held kind, a label or a count");
  if (held != NULL && !YAJL_IS_ARRAY (held))
    return NULL;
  for (guint i = 0; i < array_length (held); i++)
    {
      yajl_val h = get_object (held, i);
      const char *kind_name = h ? get_string (h, "kind") : NULL;
      int kind = name_index (kind_name, edge_name, HS_N_EDGE_KINDS);
      gint64 count = 0;
      HsWireEdge edge = { 0 };

      if (kind_name == NULL || get_string (h, "label") == NULL ||
          !get_int (h, "count", TRUE, 1, HS_PROTOCOL_MAX_HELD_COUNT, &count))
        return NULL;
      /* A holder a later Heapscope names: what it counts stays "other"
       * here, and the rest of the trace reads as before. */
      if (kind < 0 && g_str_has_prefix (kind_name, "held-"))
        continue;
      if (kind < 0 || !HS_EDGE_KIND_IS_HELD (kind))
        return NULL;
      n_held += count;
      /* Each hidden reference is a reference: the refcount counts it too. */
      if (n_held > refcount)
        {
          *problem = _("more hidden holders (“held”) than references (“refcount”)");
          return NULL;
        }
      edge.owner = ref;
      edge.kind = kind;
      edge.label = string_id (r, get_string (h, "label"));
      edge.count = count;
      g_array_append_val (edges, edge);
    }

  record = g_new0 (Record, 1);
  record->wire.ref = ref;
  record->wire.id = id;
  record->wire.refcount = refcount;
  record->wire.size = size >= 0 ? size : 0;
  record->wire.type = string_id (r, type);
  record->wire.repr = string_id (r, repr);
  record->wire.module = module != NULL ? string_id (r, module) : HS_WIRE_NO_STRING;
  record->wire.flags = flags;
  record->wire.length = length;
  record->wire.omitted = omitted;
  if (get_bool (object, "created"))
    record->wire.flags |= HS_OBJECT_CREATED;
  record->edges = g_steal_pointer (&edges);
  return record;
}

static gboolean
same_edges (GArray *a,
            GArray *b)
{
  return a->len == b->len && (a->len == 0 || memcmp (a->data, b->data, a->len * sizeof (HsWireEdge)) == 0);
}

/* Compares everything but the refcount and the step's own "created". */
static gboolean
same_record (const HsWireObject *a,
             const HsWireObject *b)
{
  return a->id == b->id && a->size == b->size && a->type == b->type && a->repr == b->repr && a->module == b->module &&
         (a->flags & ~HS_OBJECT_CREATED) == (b->flags & ~HS_OBJECT_CREATED) &&
         a->length == b->length && a->omitted == b->omitted;
}

/* Frames as wire words: function, line, n_vars, n_unbound, file, then
 * (name, ref) pairs, then the unbound names (absent when there are none).
 * A frame without its file (a trace from before version 3) runs the
 * program's own, "". */
static gboolean
parse_frames (Reader    *r,
              yajl_val frames,
              GArray    *words)
{
  for (guint i = 0; i < array_length (frames); i++)
    {
      yajl_val frame = get_object (frames, i);
      yajl_val vars = frame ? get_array (frame, "vars") : NULL;
      yajl_val unbound = frame ? member (frame, "unbound") : NULL;
      const char *function = frame ? get_string (frame, "function") : NULL;
      yajl_val file_member = frame ? member (frame, "file") : NULL;
      const char *file = frame ? get_string (frame, "file") : NULL;
      gint64 line = 0;
      guint32 word;

      if (vars == NULL || function == NULL || !get_int (frame, "line", TRUE, 0, G_MAXUINT32, &line) ||
          (unbound != NULL && !YAJL_IS_ARRAY (unbound)) || (file_member != NULL && file == NULL))
        return FALSE;
      word = string_id (r, function);
      g_array_append_val (words, word);
      word = line;
      g_array_append_val (words, word);
      word = array_length (vars);
      g_array_append_val (words, word);
      word = array_length (unbound);
      g_array_append_val (words, word);
      /* a file is a path, and the window lists each: as many as
       * "sources" may hold */
      if (file != NULL && strlen (file) > HS_TRACE_READER_MAX_PATH)
        return FALSE;
      word = string_id (r, file != NULL ? file : "");
      g_array_append_val (words, word);
      g_hash_table_add (r->files, GUINT_TO_POINTER (word + 1));
      if (g_hash_table_size (r->files) > HS_TRACE_READER_MAX_FILES)
        return FALSE;
      for (guint k = 0; k < array_length (vars); k++)
        {
          yajl_val var = get_object (vars, k);
          const char *name = var ? get_string (var, "name") : NULL;
          gint64 ref = 0;

          if (name == NULL || !get_int (var, "ref", TRUE, 1, G_MAXUINT32, &ref))
            return FALSE;
          word = string_id (r, name);
          g_array_append_val (words, word);
          word = ref;
          g_array_append_val (words, word);
        }
      for (guint k = 0; k < array_length (unbound); k++)
        {
          yajl_val name = unbound->u.array.values[k];

          if (!YAJL_IS_STRING (name))
            return FALSE;
          word = string_id (r, YAJL_GET_STRING (name));
          g_array_append_val (words, word);
        }
    }
  return TRUE;
}

/* The words of the first n frames of words, or -1 if it has fewer. */
static gssize
frames_prefix (GArray *words,
               guint   n)
{
  gsize i = 0;

  for (guint f = 0; f < n; f++)
    {
      if (i + HS_PROTOCOL_FRAME_HEADER_WORDS > words->len)
        return -1;
      i += hs_protocol_frame_words (&g_array_index (words, guint32, i));
    }
  return i <= words->len ? (gssize) i : -1;
}

/* Where the innermost frame's line is, or -1 without frames. */
static gssize
innermost_line (GArray *words)
{
  gssize last = -1;

  for (gsize i = 0; i + HS_PROTOCOL_FRAME_HEADER_WORDS <= words->len;
       i += hs_protocol_frame_words (&g_array_index (words, guint32, i)))
    last = i + 1;
  return last;
}

static void
emit_record (Reader       *r,
             Record       *now,
             const Record *before,
             gboolean      entered)
{
  if (entered || !same_record (&now->wire, &before->wire) || (now->wire.flags & HS_OBJECT_CREATED))
    g_array_append_val (r->records, now->wire);
  else if (now->wire.refcount != before->wire.refcount)
    {
      HsWireRefcount count = { now->wire.ref, (guint32) now->wire.refcount };

      g_array_append_val (r->refcounts, count);
    }
  now->wire.flags &= ~HS_OBJECT_CREATED;
}

/* Edges are sent once the step's objects are known, so that each lands
 * on an object present after the step (rule 6 of the format). */
static void
emit_edges (Reader *r,
            Record *now)
{
  HsWireEdgeOwner owner = { now->wire.ref, 0 };

  g_array_append_val (r->owners, owner);
  for (guint i = 0; i < now->edges->len; i++)
    {
      HsWireEdge *edge = &g_array_index (now->edges, HsWireEdge, i);

      /* a hidden holder's edge carries a count; its target is its owner */
      if (HS_EDGE_KIND_IS_HELD (edge->kind) || g_hash_table_contains (r->objects, GUINT_TO_POINTER (edge->target)))
        g_array_append_val (r->edges, *edge);
    }
}

/* A step's [start, end] in code points of the top-level text, which must
 * start where the last step's ended; absent, it is empty. */
static gboolean
get_range (yajl_val    step,
           const char *name,
           guint64    *at,
           guint64    *chars)
{
  yajl_val range = member (step, name);
  gint64 start, end;

  *chars = 0;
  if (range == NULL)
    return TRUE;
  if (!YAJL_IS_ARRAY (range) || range->u.array.len != 2 ||
      !YAJL_IS_INTEGER (range->u.array.values[0]) || !YAJL_IS_INTEGER (range->u.array.values[1]))
    return FALSE;
  start = YAJL_GET_INTEGER (range->u.array.values[0]);
  end = YAJL_GET_INTEGER (range->u.array.values[1]);
  if (start < 0 || (guint64) start != *at || end < start)
    return FALSE;
  *chars = end - start;
  *at = end;
  return TRUE;
}

static gboolean
read_step (Reader     *r,
           yajl_val step,
           gboolean    full,
           GError    **error)
{
  HsWireStep header = { 0 };
  g_autoptr(GArray) changed_edges = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GHashTable) listed = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  yajl_val objects = get_array (step, "objects");
  yajl_val list;
  gint64 index = -1, line = 0, value = 0, keep = 0;
  guint first_record = r->records->len, first_refcount = r->refcounts->len, first_owner = r->owners->len,
        first_edge = r->edges->len, first_removed = r->removed->len, first_freed = r->freed->len,
        first_gc = r->gc->len, first_words = r->frame_words->len, first_string = r->strings->len;
  const char *text;
  int event;

  if (!get_int (step, "index", TRUE, 0, G_MAXUINT32, &index) || index != r->index)
    return invalid (error, r->index, _("its index is missing or out of order"));
  event = name_index (get_string (step, "event"), event_name, HS_N_EVENTS);
  if (event < 0 || !get_int (step, "line", TRUE, 0, G_MAXUINT32, &line))
    return invalid (error, r->index, _("no event or line"));
  header.event = event;
  header.line = line;
  if (!get_int (step, "return", FALSE, 1, G_MAXUINT32, &value))
    return invalid (error, r->index, _("a bad return value"));
  header.return_ref = value;
  header.return_borrowed = get_bool (step, "return_borrowed");
  if (header.return_borrowed && header.return_ref == 0)
    return invalid (error, r->index, _("a borrowed return without a return value"));
  header.yielded = get_bool (step, "yielded");
  if (header.yielded && (header.return_ref == 0 || header.return_borrowed))
    return invalid (error, r->index, _("a yield without a value, or of a borrowed one"));

  /* Objects: a full step lists them all, a delta step what changed. */
  for (guint i = 0; objects != NULL && i < array_length (objects); i++)
    {
      yajl_val object = get_object (objects, i);
      const char *problem = _("an object record without its members");
      Record *now = object ? parse_record (r, object, &problem) : NULL;
      Record *before;

      if (now == NULL)
        return invalid (error, r->index, problem);
      /* a second record would free the first, which the step still uses */
      if (!g_hash_table_add (listed, GUINT_TO_POINTER (now->wire.ref)))
        {
          record_free (now);
          return invalid (error, r->index, _("an object listed twice"));
        }
      before = g_hash_table_lookup (r->objects, GUINT_TO_POINTER (now->wire.ref));
      emit_record (r, now, before, before == NULL);
      if (before == NULL ? now->edges->len > 0 : !same_edges (before->edges, now->edges))
        g_array_append_val (changed_edges, now->wire.ref);
      g_hash_table_add (r->known, GUINT_TO_POINTER (now->wire.ref));
      g_hash_table_replace (r->objects, GUINT_TO_POINTER (now->wire.ref), now);
    }
  if (!full && member (step, "objects") != NULL && objects == NULL)
    return invalid (error, r->index, _("objects that are no list"));

  for (guint i = 0; (list = get_array (step, "refcounts")) && i < array_length (list); i++)
    {
      yajl_val pair = list->u.array.values[i];
      Record *record;
      HsWireRefcount count;

      if (!YAJL_IS_ARRAY (pair) || array_length (pair) != 2 ||
          !element_uint (pair, 0, &count.ref) || !element_uint (pair, 1, &count.refcount))
        return invalid (error, r->index, _("a bad refcount"));
      record = g_hash_table_lookup (r->objects, GUINT_TO_POINTER (count.ref));
      if (record == NULL)
        return invalid (error, r->index, _("the refcount of an unknown object"));
      record->wire.refcount = count.refcount;
      g_array_append_val (r->refcounts, count);
    }

  /* What leaves: the freed, the removed, and in a full step whatever it
   * does not list. */
  for (guint i = 0; (list = get_array (step, "freed")) && i < array_length (list); i++)
    {
      yajl_val freed = get_object (list, i);
      int cause = freed ? name_index (get_string (freed, "cause"), cause_name, HS_N_FREE_CAUSES) : -1;
      HsWireFreed record;

      if (cause < 0 || !get_int (freed, "ref", TRUE, 1, G_MAXUINT32, &value))
        return invalid (error, r->index, _("a bad freed record"));
      if (!g_hash_table_contains (r->known, GUINT_TO_POINTER ((guint32) value)))
        return invalid (error, r->index, _("an object freed that was never seen"));
      record.ref = value;
      record.cause = cause;
      g_array_append_val (r->freed, record);
      g_hash_table_remove (r->objects, GUINT_TO_POINTER (record.ref));
    }
  for (guint i = 0; (list = get_array (step, "removed")) && i < array_length (list); i++)
    {
      guint32 ref;

      if (!element_uint (list, i, &ref) || !g_hash_table_remove (r->objects, GUINT_TO_POINTER (ref)))
        return invalid (error, r->index, _("the removal of an unknown object"));
      g_array_append_val (r->removed, ref);
    }
  if (full)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, r->objects);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (listed, key))
          {
            guint32 ref = GPOINTER_TO_UINT (key);

            g_array_append_val (r->removed, ref);
            g_hash_table_iter_remove (&iter);
          }
    }
  for (guint i = 0; i < changed_edges->len; i++)
    {
      Record *record = g_hash_table_lookup (r->objects, GUINT_TO_POINTER (g_array_index (changed_edges, guint32, i)));

      /* freed or removed by this same step: its edges went with it */
      if (record != NULL)
        emit_edges (r, record);
    }

  for (guint i = 0; (list = get_array (step, "gc")) && i < array_length (list); i++)
    {
      yajl_val run = get_object (list, i);
      gint64 generation = 0, collections = 0, collected = 0, uncollectable = 0;
      HsWireGc gc;

      if (run == NULL || !get_int (run, "generation", TRUE, 0, 2, &generation) ||
          !get_int (run, "collections", TRUE, 0, G_MAXUINT32, &collections) ||
          !get_int (run, "collected", TRUE, 0, G_MAXUINT32, &collected) ||
          !get_int (run, "uncollectable", TRUE, 0, G_MAXUINT32, &uncollectable))
        return invalid (error, r->index, _("a bad garbage collection record"));
      gc.generation = generation;
      gc.collections = collections;
      gc.collected = collected;
      gc.uncollectable = uncollectable;
      g_array_append_val (r->gc, gc);
    }

  /* Frames: in full, or the outer frames_keep of the step before and the
   * rest, or the same with the innermost line moved. */
  if ((list = get_array (step, "frames")) != NULL)
    {
      gssize kept = 0;

      if (!full && (!get_int (step, "frames_keep", FALSE, 0, G_MAXUINT32, &keep) ||
                    (kept = frames_prefix (r->frames, keep)) < 0))
        return invalid (error, r->index, _("frames it cannot keep"));
      g_array_append_vals (frames, r->frames->data, full ? 0 : kept);
      if (!parse_frames (r, list, frames))
        return invalid (error, r->index, _("a bad frame"));
    }
  else if (full)
    return invalid (error, r->index, _("no frames"));
  else
    {
      gssize at = innermost_line (r->frames);

      g_array_append_vals (frames, r->frames->data, r->frames->len);
      if (at >= 0)
        g_array_index (frames, guint32, at) = line;
    }
  {
    /* The runtime's own shortcut: only the innermost line moved. */
    g_autoptr(GArray) moved = g_array_copy (r->frames);
    gssize at = innermost_line (moved);

    if (at >= 0)
      g_array_index (moved, guint32, at) = line;
    header.frames_changed = !(moved->len == frames->len &&
                              (frames->len == 0 || memcmp (moved->data, frames->data, frames->len * 4) == 0));
  }
  if (frames_prefix (frames, HS_TRACE_READER_MAX_FRAMES + 1) >= 0)
    return fail (error, HS_TRACE_READER_ERROR_LIMIT, _("The file is refused: %s (at most %u)"),
                 _("too many frames in one step"), HS_TRACE_READER_MAX_FRAMES);
  if (header.frames_changed)
    g_array_append_vals (r->frame_words, frames->data, frames->len);
  g_array_set_size (r->frames, 0);
  g_array_append_vals (r->frames, frames->data, frames->len);

  if (r->ranges)
    {
      guint64 chars[2];

      if (!get_range (step, "out", &r->out_at, &chars[0]) || !get_range (step, "err", &r->err_at, &chars[1]))
        return invalid (error, r->index, _("its output is not the range that follows the last step’s"));
      g_array_append_vals (r->chars, chars, 2);
    }
  else
    {
      if ((text = get_string (step, "out")) != NULL)
        g_byte_array_append (r->out, (const guint8 *) text, strlen (text));
      if ((text = get_string (step, "err")) != NULL)
        g_byte_array_append (r->err, (const guint8 *) text, strlen (text));
    }

  header.n_strings = r->strings->len - first_string;
  header.n_frame_words = r->frame_words->len - first_words;
  header.n_objects = r->records->len - first_record;
  header.n_refcounts = r->refcounts->len - first_refcount;
  header.n_edge_owners = r->owners->len - first_owner;
  header.n_edges = r->edges->len - first_edge;
  header.n_removed = r->removed->len - first_removed;
  header.n_freed = r->freed->len - first_freed;
  header.n_gc = r->gc->len - first_gc;
  header.n_out = r->out->len;
  header.n_err = r->err->len;
  for (guint i = 0; i < r->steps->len; i++)
    {
      header.n_out -= g_array_index (r->steps, HsWireStep, i).n_out;
      header.n_err -= g_array_index (r->steps, HsWireStep, i).n_err;
    }
  g_array_append_val (r->steps, header);
  r->index++;
  return TRUE;
}

static void
reader_clear (Reader *r)
{
  g_clear_object (&r->trace);
  g_clear_pointer (&r->ids, g_hash_table_unref);
  g_clear_pointer (&r->files, g_hash_table_unref);
  g_clear_pointer (&r->objects, g_hash_table_unref);
  g_clear_pointer (&r->known, g_hash_table_unref);
  g_clear_pointer (&r->frames, g_array_unref);
  g_clear_pointer (&r->steps, g_array_unref);
  g_clear_pointer (&r->frame_words, g_array_unref);
  g_clear_pointer (&r->records, g_array_unref);
  g_clear_pointer (&r->refcounts, g_array_unref);
  g_clear_pointer (&r->owners, g_array_unref);
  g_clear_pointer (&r->edges, g_array_unref);
  g_clear_pointer (&r->removed, g_array_unref);
  g_clear_pointer (&r->freed, g_array_unref);
  g_clear_pointer (&r->gc, g_array_unref);
  g_clear_pointer (&r->out, g_byte_array_unref);
  g_clear_pointer (&r->err, g_byte_array_unref);
  g_clear_pointer (&r->strings, g_ptr_array_unref);
  g_clear_pointer (&r->chars, g_array_unref);
  g_clear_pointer (&r->waiting, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reader, reader_clear)

static void
reader_init (Reader *r)
{
  memset (r, 0, sizeof *r);
  r->trace = hs_trace_new ();
  r->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->files = g_hash_table_new (NULL, NULL);
  r->objects = g_hash_table_new_full (NULL, NULL, NULL, record_free);
  r->known = g_hash_table_new (NULL, NULL);
  r->frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  r->steps = g_array_new (FALSE, TRUE, sizeof (HsWireStep));
  r->frame_words = g_array_new (FALSE, FALSE, sizeof (guint32));
  r->records = g_array_new (FALSE, TRUE, sizeof (HsWireObject));
  r->refcounts = g_array_new (FALSE, TRUE, sizeof (HsWireRefcount));
  r->owners = g_array_new (FALSE, TRUE, sizeof (HsWireEdgeOwner));
  r->edges = g_array_new (FALSE, TRUE, sizeof (HsWireEdge));
  r->removed = g_array_new (FALSE, FALSE, sizeof (guint32));
  r->freed = g_array_new (FALSE, TRUE, sizeof (HsWireFreed));
  r->gc = g_array_new (FALSE, TRUE, sizeof (HsWireGc));
  r->out = g_byte_array_new ();
  r->err = g_byte_array_new ();
  r->strings = g_ptr_array_new_with_free_func (g_free);
  r->chars = g_array_new (FALSE, FALSE, sizeof (guint64));
  r->waiting = g_ptr_array_new_with_free_func (waiting_free);
}

/* The file is read as a stream of yajl's callbacks, never as one tree:
 * each step is built as a small tree of yajl's value type, read into the
 * batch and freed, and the top level keeps only its other members.  The
 * parser itself keeps a byte per open container and recurses nowhere,
 * so how deep a file nests costs nothing until the limit refuses it. */
typedef struct
{
  yajl_val     node;       /* NULL for the list of steps, which keeps none */
  gsize        capacity;
  char        *key;        /* in an object: the member whose value comes next */
  guint        limit;      /* how many items the list may hold */
  const char  *what;       /* and what they are, for the message */
} Open;

/* The top-level members of program output, kept with their length */
static const char * const text_names[] = { "stdout", "stderr", "steps_stdout", "steps_stderr" };
#define N_TEXTS G_N_ELEMENTS (text_names)

typedef struct
{
  Reader         r;
  GArray        *open;     /* Open, the outermost first */
  yajl_val       root;     /* the top-level object, without its steps */
  gboolean       steps_seen;
  gboolean       deltas;
  guint          n_steps;
  GCancellable  *cancellable;
  GError        *error;
  GBytes        *texts[N_TEXTS];  /* the top level's output, NULs kept */

  /* What the scan ahead of the parser knows */
  gboolean       in_string;
  gboolean       escaped;
  gsize          run;      /* bytes in the string or number being read */
  gboolean       any;      /* anything but white space */
} Parse;

static void
node_free (yajl_val node)
{
  if (node == NULL)
    return;
  switch (node->type)
    {
    case yajl_t_string:
      g_free (node->u.string);
      break;
    case yajl_t_object:
      /* depth is at most HS_TRACE_READER_MAX_DEPTH: this recursion is bounded */
      for (gsize i = 0; i < node->u.object.len; i++)
        {
          g_free ((char *) node->u.object.keys[i]);
          node_free (node->u.object.values[i]);
        }
      g_free (node->u.object.keys);
      g_free (node->u.object.values);
      break;
    case yajl_t_array:
      for (gsize i = 0; i < node->u.array.len; i++)
        node_free (node->u.array.values[i]);
      g_free (node->u.array.values);
      break;
    default:
      break;
    }
  g_free (node);
}

typedef struct yajl_val_s YajlNode;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (YajlNode, node_free)

static yajl_val
node_new (yajl_type type)
{
  yajl_val node = g_new0 (struct yajl_val_s, 1);

  node->type = type;
  return node;
}

static void
open_clear (gpointer data)
{
  Open *open = data;

  node_free (open->node);
  g_free (open->key);
}

static gboolean
limit (Parse      *p,
       const char *format,
       ...) G_GNUC_PRINTF (2, 3);

static gboolean
limit (Parse      *p,
       const char *format,
       ...)
{
  g_autofree char *what = NULL;
  va_list args;

  g_assert (p != NULL);

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: the limit that the file went beyond follows */
  fail (&p->error, HS_TRACE_READER_ERROR_LIMIT, _("The file is refused: %s"), what);
  return FALSE;
}

static gboolean
read_one_step (Parse    *p,
               yajl_val  step)
{
  Reader *r = &p->r;

  g_assert (p != NULL);

  if (g_cancellable_set_error_if_cancelled (p->cancellable, &p->error))
    return FALSE;
  if (p->n_steps >= HS_TRACE_READER_MAX_STEPS)
    return limit (p, _("a trace holds at most %u steps"), HS_TRACE_READER_MAX_STEPS);
  p->n_steps++;
  if (!YAJL_IS_OBJECT (step))
    return invalid (&p->error, r->index, _("it is no object"));
  if (!read_step (r, step, !p->deltas || get_bool (step, "snapshot"), &p->error))
    return FALSE;
  if (g_hash_table_size (r->objects) > HS_TRACE_READER_MAX_OBJECTS)
    return limit (p, _("a step holds at most %u objects"), HS_TRACE_READER_MAX_OBJECTS);
  if (r->steps->len == BATCH_STEPS)
    return batch_flush (r, &p->error);
  return TRUE;
}

/* A finished value goes into the container that is open, or is a step. */
static gboolean
add_value (Parse    *p,
           yajl_val  value)
{
  g_autoptr(YajlNode) owned = value;
  Open *top;

  g_assert (p != NULL);

  if (p->open->len == 0)
    return fail (&p->error, HS_TRACE_READER_ERROR_NOT_A_TRACE,
                 _("The file is JSON but no Heapscope trace: it is not an object"));
  top = &g_array_index (p->open, Open, p->open->len - 1);
  if (top->node == NULL)
    return read_one_step (p, value);
  if ((YAJL_IS_OBJECT (top->node) ? top->node->u.object.len : top->node->u.array.len) >= top->limit)
    return limit (p, _("%s (at most %u)"), top->what, top->limit);
  if (YAJL_IS_OBJECT (top->node))
    {
      gsize len = top->node->u.object.len;

      g_assert (top->key != NULL);
      if (len == top->capacity)
        {
          top->capacity = MAX (4, top->capacity * 2);
          top->node->u.object.keys = g_renew (const char *, top->node->u.object.keys, top->capacity);
          top->node->u.object.values = g_renew (yajl_val, top->node->u.object.values, top->capacity);
        }
      top->node->u.object.keys[len] = g_steal_pointer (&top->key);
      top->node->u.object.values[len] = g_steal_pointer (&owned);
      top->node->u.object.len++;
    }
  else
    {
      gsize len = top->node->u.array.len;

      if (len == top->capacity)
        {
          top->capacity = MAX (4, top->capacity * 2);
          top->node->u.array.values = g_renew (yajl_val, top->node->u.array.values, top->capacity);
        }
      top->node->u.array.values[len] = g_steal_pointer (&owned);
      top->node->u.array.len++;
    }
  return TRUE;
}

static const char *
pending_key (Parse *p)
{
  g_assert (p != NULL);

  return p->open->len > 0 ? g_array_index (p->open, Open, p->open->len - 1).key : NULL;
}

static gboolean
begin_format (Parse *p)
{
  const char *format;

  g_assert (p != NULL);

  format = get_string (g_array_index (p->open, Open, 0).node, "format");
  if (g_strcmp0 (format, HS_TRACE_FORMAT) != 0 && g_strcmp0 (format, HS_TRACE_FORMAT_SNAPSHOTS) != 0 &&
      g_strcmp0 (format, HS_TRACE_FORMAT_V2) != 0 && g_strcmp0 (format, HS_TRACE_FORMAT_V1) != 0)
    return fail (&p->error, HS_TRACE_READER_ERROR_NOT_A_TRACE,
                 _("The file is JSON but no Heapscope trace: no “format” “%s” or “%s” comes before its “steps”"),
                 HS_TRACE_FORMAT, HS_TRACE_FORMAT_SNAPSHOTS);
  if (p->steps_seen)
    return fail (&p->error, HS_TRACE_READER_ERROR_NOT_A_TRACE, _("The trace has its “steps” twice"));
  p->steps_seen = TRUE;
  p->deltas = g_str_equal (format, HS_TRACE_FORMAT) || g_str_equal (format, HS_TRACE_FORMAT_V2);
  p->r.ranges = g_str_equal (format, HS_TRACE_FORMAT) || g_str_equal (format, HS_TRACE_FORMAT_SNAPSHOTS);
  return TRUE;
}

static gboolean
begin (Parse     *p,
       yajl_type  type)
{
  const char *key = pending_key (p);
  Open open = { NULL, 0, NULL, HS_TRACE_READER_MAX_ITEMS, NULL };

  g_assert (p != NULL);

  if (p->open->len >= HS_TRACE_READER_MAX_DEPTH)
    return limit (p, _("it nests lists and objects more than %u deep"), HS_TRACE_READER_MAX_DEPTH);
  if (p->open->len == 0 && type != yajl_t_object)
    return fail (&p->error, HS_TRACE_READER_ERROR_NOT_A_TRACE,
                 _("The file is JSON but no Heapscope trace: it is not an object"));
  if (p->open->len == 1 && type == yajl_t_array && g_strcmp0 (key, "steps") == 0)
    {
      if (!begin_format (p))
        return FALSE;
      g_array_append_val (p->open, open);
      return TRUE;
    }
  open.node = node_new (type);
  open.what = _("an object with too many members");
  if (type == yajl_t_array)
    {
      static const struct {
        const char *key;
        guint       limit;
        const char *what;
      } lists[] = {
        { "objects", HS_TRACE_READER_MAX_OBJECTS, N_("too many objects in one step") },
        { "edges", HS_TRACE_READER_MAX_EDGES, N_("too many references from one object") },
        { "held", HS_TRACE_READER_MAX_EDGES, N_("too many references from one object") },
        { "frames", HS_TRACE_READER_MAX_FRAMES, N_("too many frames in one step") },
      };

      open.what = _("too many items in one list");
      for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
        if (g_strcmp0 (key, lists[i].key) == 0)
          {
            open.limit = lists[i].limit;
            open.what = _(lists[i].what);
          }
    }
  g_array_append_val (p->open, open);
  return TRUE;
}

static gboolean
end (Parse *p)
{
  Open *top;
  yajl_val node;

  g_assert (p != NULL && p->open->len > 0);

  top = &g_array_index (p->open, Open, p->open->len - 1);
  node = g_steal_pointer (&top->node);
  g_clear_pointer (&top->key, g_free);
  g_array_set_size (p->open, p->open->len - 1);
  if (node == NULL)           /* the steps */
    return TRUE;
  if (p->open->len == 0)
    {
      p->root = node;
      return TRUE;
    }
  return add_value (p, node);
}

static int
on_null (void *ctx)
{
  return add_value (ctx, node_new (yajl_t_null));
}

static int
on_boolean (void *ctx,
            int   value)
{
  return add_value (ctx, node_new (value ? yajl_t_true : yajl_t_false));
}

static int
on_number (void       *ctx,
           const char *text,
           size_t      len)
{
  yajl_val node = node_new (yajl_t_number);
  g_autofree char *copy = g_strndup (text, len);
  char *rest = NULL;

  errno = 0;
  node->u.number.i = g_ascii_strtoll (copy, &rest, 10);
  if (errno == 0 && rest != copy && *rest == '\0')
    node->u.number.flags = YAJL_NUMBER_INT_VALID;
  return add_value (ctx, node);
}

static int
on_string (void                *ctx,
           const unsigned char *text,
           size_t               len)
{
  Parse *p = ctx;
  yajl_val node;

  if (p->open->len == 1 && len > HS_TRACE_READER_MAX_SOURCE && g_strcmp0 (pending_key (p), "source") == 0)
    return limit (p, _("the program’s text is more than %u MiB"), HS_TRACE_READER_MAX_SOURCE >> 20);
  if (p->open->len == 1 && pending_key (p) != NULL)
    for (guint i = 0; i < N_TEXTS; i++)
      if (strcmp (pending_key (p), text_names[i]) == 0)
        {
          g_clear_pointer (&p->texts[i], g_bytes_unref);
          p->texts[i] = g_bytes_new (text, len);
          g_clear_pointer (&g_array_index (p->open, Open, 0).key, g_free);
          return TRUE;
        }
  node = node_new (yajl_t_string);
  node->u.string = g_strndup ((const char *) text, len);
  return add_value (p, node);
}

static int
on_start_map (void *ctx)
{
  return begin (ctx, yajl_t_object);
}

static int
on_map_key (void                *ctx,
            const unsigned char *text,
            size_t               len)
{
  Parse *p = ctx;
  Open *top = &g_array_index (p->open, Open, p->open->len - 1);

  g_free (top->key);
  top->key = g_strndup ((const char *) text, len);
  return TRUE;
}

static int
on_end (void *ctx)
{
  return end (ctx);
}

static int
on_start_array (void *ctx)
{
  return begin (ctx, yajl_t_array);
}

static const yajl_callbacks callbacks = {
  .yajl_null = on_null,
  .yajl_boolean = on_boolean,
  .yajl_number = on_number,
  .yajl_string = on_string,
  .yajl_start_map = on_start_map,
  .yajl_map_key = on_map_key,
  .yajl_end_map = on_end,
  .yajl_start_array = on_start_array,
  .yajl_end_array = on_end,
};

/* Ahead of the parser, which would hold a whole string or number in
 * memory before handing it over: none may be longer than the limit.
 * *boundary is where the last token ends in data, or -1: yajl lexes a
 * token again from its start with each piece it is fed, so a long string
 * fed in pieces would cost the square of its length. */
static gboolean
scan (Parse        *p,
      const guint8 *data,
      gsize         len,
      gssize       *boundary)
{
  g_assert (p != NULL);

  *boundary = -1;
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];

      if (p->in_string)
        {
          if (p->escaped)
            p->escaped = FALSE;
          else if (c == '\\')
            p->escaped = TRUE;
          else if (c == '"')
            p->in_string = FALSE;
        }
      else if (c == '"')
        {
          p->in_string = TRUE;
          p->run = 0;
          p->any = TRUE;
        }
      else if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ',' || c == ':' ||
               c == '[' || c == ']' || c == '{' || c == '}')
        {
          p->run = 0;
          p->any |= c > ' ';
          *boundary = i + 1;
          continue;
        }
      else
        p->any = TRUE;
      if (++p->run > HS_TRACE_READER_MAX_STRING)
        return limit (p, _("it holds a string or number of more than %u MiB"), HS_TRACE_READER_MAX_STRING >> 20);
    }
  return TRUE;
}

static void
parse_clear (Parse *p)
{
  reader_clear (&p->r);
  for (guint i = 0; i < N_TEXTS; i++)
    g_clear_pointer (&p->texts[i], g_bytes_unref);
  g_clear_pointer (&p->open, g_array_unref);
  g_clear_pointer (&p->root, node_free);
  g_clear_error (&p->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parse, parse_clear)

typedef struct yajl_handle_t YajlHandle;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (YajlHandle, yajl_free)

/* Feeds the whole stream to the parser, and the steps to the reader. */
static gboolean
parse_stream (Parse         *p,
              GInputStream  *stream,
              GError       **error)
{
  g_autoptr(YajlHandle) handle = yajl_alloc (&callbacks, NULL, p);
  g_autoptr(GByteArray) pending = g_byte_array_new ();
  yajl_status status = yajl_status_ok;
  gssize n;

  g_assert (p != NULL);

  do
    {
      gsize old = pending->len;
      gssize boundary;

      g_byte_array_set_size (pending, old + (1 << 16));
      n = g_input_stream_read (stream, pending->data + old, 1 << 16, p->cancellable, error);
      g_byte_array_set_size (pending, old + MAX (n, 0));
      if (n < 0)
        return FALSE;
      if (!scan (p, pending->data + old, n, &boundary))
        break;
      /* the rest of a token waits for its end; at the end of the file, all goes */
      boundary = n == 0 ? (gssize) pending->len : boundary < 0 ? 0 : (gssize) old + boundary;
      if (boundary > 0 && (status = yajl_parse (handle, pending->data, boundary)) != yajl_status_ok)
        break;
      g_byte_array_remove_range (pending, 0, boundary);
    }
  while (n > 0);
  if (p->error == NULL && status == yajl_status_ok && !p->any)
    return fail (error, HS_TRACE_READER_ERROR_NOT_JSON, _("The file is empty: it holds no trace"));
  if (p->error == NULL && status == yajl_status_ok)
    status = yajl_complete_parse (handle);
  if (p->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&p->error));
      return FALSE;
    }
  if (status != yajl_status_ok)
    {
      unsigned char *message = yajl_get_error (handle, 0, NULL, 0);
      g_autofree char *text = g_strstrip (g_strdup ((const char *) message));

      yajl_free_error (handle, message);
      /* Translators: the parser's message follows */
      return fail (error, HS_TRACE_READER_ERROR_NOT_JSON,
                   _("The file is not complete JSON, so it holds no whole trace: %s"), text);
    }
  return batch_flush (&p->r, error);
}

/* Moves on by chars code points of text, from *at. */
static gboolean
skip_chars (GBytes  *text,
            gsize   *at,
            guint64  chars)
{
  gsize len = 0;
  const guint8 *data = text != NULL ? g_bytes_get_data (text, &len) : NULL;

  for (; chars > 0; chars--)
    {
      if (*at >= len)
        return FALSE;
      *at += MIN ((gsize) g_utf8_skip[data[*at]], len - *at);
    }
  return TRUE;
}

/* Versions 3 and 4: the batches waited for the output, which came after
 * the steps; each step's range of it goes in as a live run sends it. */
static gboolean
append_waiting (Parse   *p,
                GError **error)
{
  GBytes *text[2] = { p->texts[2] != NULL ? p->texts[2] : p->texts[0],
                      p->texts[3] != NULL ? p->texts[3] : p->texts[1] };
  gsize at[2] = { 0, 0 };

  g_assert (p != NULL);

  for (guint b = 0; b < p->r.waiting->len; b++)
    {
      Waiting *w = g_ptr_array_index (p->r.waiting, b);
      g_autoptr(GVariant) headers = g_variant_get_child_value (w->batch, 1);
      g_autoptr(GByteArray) out = g_byte_array_new ();
      g_autoptr(GByteArray) err = g_byte_array_new ();
      GByteArray *bytes[2] = { out, err };
      g_autoptr(GVariant) batch = NULL;
      g_autoptr(GError) local = NULL;
      g_autofree HsWireStep *steps = NULL;
      GVariant *children[13];
      gsize n_steps;
      const void *data = g_variant_get_fixed_array (headers, &n_steps, sizeof (HsWireStep));
      guint32 first;

      g_variant_get_child (w->batch, 0, "u", &first);
      g_assert (w->chars->len == 2 * n_steps);
      steps = g_memdup2 (data, n_steps * sizeof (HsWireStep));
      for (gsize i = 0; i < n_steps; i++)
        for (guint k = 0; k < 2; k++)
          {
            gsize start = at[k];

            if (!skip_chars (text[k], &at[k], g_array_index (w->chars, guint64, 2 * i + k)))
              return invalid (error, first + i,
                              _("its output range lies past the end of the output"));
            /* a trace without its output (no "stdout") has steps with none */
            if (at[k] > start)
              g_byte_array_append (bytes[k], (const guint8 *) g_bytes_get_data (text[k], NULL) + start, at[k] - start);
            if (k == 0)
              steps[i].n_out = at[k] - start;
            else
              steps[i].n_err = at[k] - start;
          }
      for (guint i = 0; i < 13; i++)
        children[i] = i == 1 || i >= 11 ? NULL : g_variant_get_child_value (w->batch, i);
      children[1] = g_variant_new_fixed_array (G_VARIANT_TYPE (HS_WIRE_STEP_TYPE_STRING), steps, n_steps,
                                               sizeof (HsWireStep));
      children[11] = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, bytes[0]->data, bytes[0]->len, 1);
      children[12] = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, bytes[1]->data, bytes[1]->len, 1);
      batch = g_variant_ref_sink (g_variant_new_tuple (children, 13));
      for (guint i = 0; i < 13; i++)
        if (i != 1 && i < 11)
          g_variant_unref (children[i]);
      /* the batch's memory goes as soon as the trace holds the new one */
      g_clear_pointer (&w->batch, g_variant_unref);
      if (!hs_trace_append_batch (p->r.trace, batch, &local))
        return fail (error, HS_TRACE_READER_ERROR_INVALID, _("The trace’s steps do not add up: %s"), local->message);
    }
  g_ptr_array_set_size (p->r.waiting, 0);
  return TRUE;
}

static GBytes *
text_bytes (GBytes *text,
            GBytes *steps)
{
  /* Left out when the steps' output is all of it (docs/trace-format.md). */
  return g_bytes_ref (text != NULL ? text : steps);
}

HsTrace *
hs_trace_read_json (GInputStream  *stream,
                    char         **source,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return hs_trace_read_json_program (stream, NULL, source, cancellable, error);
}

/* A trace without its program's text or file name still opens: they are
 * optional members, and *file and *source are then NULL. */
/* The texts of the files stepped besides the program's own (version 3
 * on): together no bigger than the program's text may be. */
static gboolean
read_sources (HsTrace   *trace,
              yajl_val   sources,
              GError   **error)
{
  gsize total = 0;

  g_assert (HS_IS_TRACE (trace));

  if (sources == NULL)
    return TRUE;
  if (!YAJL_IS_OBJECT (sources) || sources->u.object.len > HS_TRACE_READER_MAX_FILES)
    {
      fail (error, HS_TRACE_READER_ERROR_LIMIT,
            _("The file is refused: its “sources” are not an object of at most %u files"),
            HS_TRACE_READER_MAX_FILES);
      return FALSE;
    }
  for (size_t i = 0; i < sources->u.object.len; i++)
    {
      yajl_val text = sources->u.object.values[i];
      const char *chars = YAJL_IS_STRING (text) ? YAJL_GET_STRING (text) : NULL;

      if (chars == NULL)
        {
          fail (error, HS_TRACE_READER_ERROR_NOT_A_TRACE, _("The trace has a source that is no text"));
          return FALSE;
        }
      total += strlen (chars);
      if (total > HS_TRACE_READER_MAX_SOURCE)
        {
          fail (error, HS_TRACE_READER_ERROR_LIMIT,
                _("The file is refused: its “sources” hold more than %u MiB"), HS_TRACE_READER_MAX_SOURCE >> 20);
          return FALSE;
        }
    }
  for (size_t i = 0; i < sources->u.object.len; i++)
    hs_trace_set_file_source (trace, sources->u.object.keys[i], YAJL_GET_STRING (sources->u.object.values[i]));
  return TRUE;
}

/* What the program was given (version 3 on): its arguments, and the text
 * its standard input held, no longer than a program's text may be. */
static gboolean
read_program_input (HsTrace   *trace,
                    yajl_val   args,
                    yajl_val   input,
                    GError   **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;
  const char *text = YAJL_IS_STRING (input) ? YAJL_GET_STRING (input) : NULL;

  g_assert (HS_IS_TRACE (trace));

  if (args == NULL && input == NULL)
    return TRUE;
  if ((args != NULL && (!YAJL_IS_ARRAY (args) || args->u.array.len > HS_TRACE_READER_MAX_FILES)) ||
      (input != NULL && (text == NULL || strlen (text) > HS_TRACE_READER_MAX_SOURCE)))
    {
      fail (error, HS_TRACE_READER_ERROR_LIMIT,
            _("The file is refused: its “args” or “stdin” are not text, or more than %u arguments or %u MiB"),
            HS_TRACE_READER_MAX_FILES, HS_TRACE_READER_MAX_SOURCE >> 20);
      return FALSE;
    }
  for (size_t i = 0; args != NULL && i < args->u.array.len; i++)
    {
      yajl_val arg = args->u.array.values[i];

      if (!YAJL_IS_STRING (arg) || YAJL_GET_STRING (arg) == NULL)
        {
          fail (error, HS_TRACE_READER_ERROR_NOT_A_TRACE, _("The trace has an argument that is no text"));
          return FALSE;
        }
      g_strv_builder_add (builder, YAJL_GET_STRING (arg));
    }
  list = g_strv_builder_end (builder);
  hs_trace_set_program_input (trace, args != NULL ? (const char * const *) list : NULL, text);
  return TRUE;
}

HsTrace *
hs_trace_read_json_program (GInputStream  *stream,
                            char         **file,
                            char         **source,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_auto(Parse) p = { 0 };
  g_autoptr(GBytes) steps_out = NULL;
  g_autoptr(GBytes) steps_err = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  yajl_val root;
  const char *status;
  gint64 exit_code = -1, signal_number = 0, every = HS_TRACE_SNAPSHOT_EVERY;
  yajl_val error_object = NULL;
  HsTraceError trace_error = { 0 };

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  if (source != NULL)
    *source = NULL;
  if (file != NULL)
    *file = NULL;
  reader_init (&p.r);
  p.open = g_array_new (FALSE, TRUE, sizeof (Open));
  g_array_set_clear_func (p.open, open_clear);
  p.cancellable = cancellable;
  if (!parse_stream (&p, stream, error))
    return NULL;

  root = p.root;
  status = get_string (root, "status");
  if (!p.steps_seen || status == NULL ||
      (p.deltas && !get_int (root, "snapshot_every", TRUE, 1, G_MAXUINT32, &every)) ||
      !get_int (root, "exit_code", FALSE, G_MININT32, G_MAXINT32, &exit_code) ||
      !get_int (root, "signal", FALSE, 0, 1024, &signal_number))
    {
      fail (error, HS_TRACE_READER_ERROR_NOT_A_TRACE, _("The trace lacks its steps, its status or how it ended"));
      return NULL;
    }

  if (!read_sources (p.r.trace, member (root, "sources"), error) ||
      !read_program_input (p.r.trace, member (root, "args"), member (root, "stdin"), error))
    return NULL;
  if (get_string (root, "python") != NULL)
    hs_trace_set_python_version (p.r.trace, get_string (root, "python"));
  if (YAJL_IS_OBJECT (member (root, "error")))
    {
      gint64 line = 0;

      error_object = member (root, "error");
      trace_error.type = get_string (error_object, "type");
      trace_error.message = get_string (error_object, "message");
      trace_error.traceback = get_string (error_object, "traceback");
      if (get_int (error_object, "line", FALSE, 0, G_MAXUINT32, &line))
        trace_error.line = line;
      if (trace_error.type == NULL)
        trace_error.type = "";
      if (trace_error.message == NULL)
        trace_error.message = "";
      if (trace_error.traceback == NULL)
        trace_error.traceback = "";
    }
  if (p.r.ranges && !append_waiting (&p, error))
    return NULL;
  steps_out = hs_trace_dup_stdout (p.r.trace);
  steps_err = hs_trace_dup_stderr (p.r.trace);
  out = text_bytes (p.texts[0], steps_out);
  err = text_bytes (p.texts[1], steps_err);
  hs_trace_set_final_output (p.r.trace, out, err);
  hs_trace_finish (p.r.trace, status, exit_code, signal_number, error_object != NULL ? &trace_error : NULL);
  if (source != NULL)
    *source = g_strdup (get_string (root, "source"));
  if (file != NULL)
    *file = g_strdup (get_string (root, "file"));
  return g_steal_pointer (&p.r.trace);
}
HsTrace *
hs_trace_read_json_file (GFile         *file,
                         char         **source,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;
  return hs_trace_read_json (G_INPUT_STREAM (stream), source, cancellable, error);
}
