/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-trace-json"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hs-snapshot-private.h"
#include "hs-trace-json.h"

/* What has been generated goes out in pieces of about this size: one
 * buffered writer, a write(2) per piece rather than per step. */
#define FLUSH_AT (64 * 1024)

/* The generator is our own, and writes exactly what yajl's did (no
 * spaces; the same escapes): yajl's escaped even the constant member
 * names byte by byte, through a callback per piece, and was 15% of the
 * app's time in the profile of `heapscope trace`.  It checks nothing
 * about the order of calls but with g_assert: they are all in this file. */
#define MAX_DEPTH 16

typedef enum
{
  IN_TOP,
  IN_ARRAY,         /* no item yet */
  IN_ARRAY_ITEMS,
  IN_MAP,           /* no member yet */
  IN_MAP_MEMBERS,
  IN_MAP_VALUE,     /* after a member's name */
} Place;

typedef struct
{
  char           *data;
  gsize           len;
  gsize           size;
  guint           depth;
  guint8          place[MAX_DEPTH];
  GOutputStream  *stream;
  guint64         flushed;  /* bytes written to stream */
  GArray         *held;     /* HsHiddenRef: one record's, for a moment */
  gboolean        failed;   /* a write failed */
  GError         *error;
} Writer;

static inline char *
reserve (Writer *w,
         gsize   n)
{
  if (G_UNLIKELY (w->len + n > w->size))
    {
      w->size = MAX (w->size * 2, w->len + n);
      w->data = g_realloc (w->data, w->size);
    }
  return w->data + w->len;
}

static inline void
put (Writer     *w,
     const char *s,
     gsize       n)
{
  memcpy (reserve (w, n), s, n);
  w->len += n;
}

static inline void
put_char (Writer *w,
          char    c)
{
  *reserve (w, 1) = c;
  w->len++;
}

/* The separator a value needs where it goes. */
static inline void
before_value (Writer *w)
{
  guint8 *place = &w->place[w->depth];

  switch (*place)
    {
    case IN_ARRAY:
      *place = IN_ARRAY_ITEMS;
      break;
    case IN_ARRAY_ITEMS:
      put_char (w, ',');
      break;
    case IN_MAP_VALUE:
      *place = IN_MAP_MEMBERS;
      break;
    case IN_TOP:
      break;
    default:
      g_assert_not_reached ();   /* a value where a member's name goes */
    }
}

static gboolean
flush (Writer   *w,
       gboolean  all)
{
  g_assert (w != NULL);

  if (w->failed)
    return FALSE;
  if (w->len == 0 || (!all && w->len < FLUSH_AT))
    return TRUE;
  if (!g_output_stream_write_all (w->stream, w->data, w->len, NULL, NULL, &w->error))
    {
      w->failed = TRUE;
      return FALSE;
    }
  w->flushed += w->len;
  w->len = 0;
  return TRUE;
}

/* JSON's escapes, as yajl wrote them: the short ones, \u00XX (upper
 * case) for the other control characters; '/' and DEL as they are.  The
 * text must be UTF-8. */
static void
escaped (Writer     *w,
         const char *s,
         gsize       n)
{
  static const char hex[] = "0123456789ABCDEF";
  gsize start = 0;

  put_char (w, '"');
  for (gsize i = 0; i < n; i++)
    {
      guchar c = s[i];
      char buf[6];
      const char *esc;
      gsize len = 2;

      if (G_LIKELY (c >= 0x20 && c != '"' && c != '\\'))
        continue;
      switch (c)
        {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
          memcpy (buf, "\\u00", 4);
          buf[4] = hex[c >> 4];
          buf[5] = hex[c & 0xf];
          esc = buf;
          len = 6;
          break;
        }
      put (w, s + start, i - start);
      put (w, esc, len);
      start = i + 1;
    }
  put (w, s + start, n - start);
  put_char (w, '"');
}

static void
string_len (Writer     *w,
            const char *s,
            gsize       n)
{
  before_value (w);
  escaped (w, s, n);
}

static void
str (Writer     *w,
     const char *s)
{
  if (s == NULL)
    s = "";
  string_len (w, s, strlen (s));
}

/* A member's name: a constant that needs no escape. */
static inline void
key (Writer     *w,
     const char *k,
     gsize       n)
{
  guint8 *place = &w->place[w->depth];

  if (*place == IN_MAP_MEMBERS)
    put_char (w, ',');
  else
    g_assert (*place == IN_MAP);
  *place = IN_MAP_VALUE;
  put_char (w, '"');
  put (w, k, n);
  put (w, "\":", 2);
}

#define KEY(w, k) key ((w), "" k, sizeof (k) - 1)

/* A member's name that is data, such as a file's path: escaped. */
static void
key_text (Writer     *w,
          const char *k)
{
  guint8 *place = &w->place[w->depth];

  if (*place == IN_MAP_MEMBERS)
    put_char (w, ',');
  else
    g_assert (*place == IN_MAP);
  *place = IN_MAP_VALUE;
  escaped (w, k, strlen (k));
  put_char (w, ':');
}

static void
integer (Writer *w,
         gint64  value)
{
  char buf[24];
  char *p = buf + sizeof buf;
  guint64 v = value < 0 ? -(guint64) value : (guint64) value;

  do
    {
      *--p = '0' + v % 10;
      v /= 10;
    }
  while (v != 0);
  if (value < 0)
    *--p = '-';
  before_value (w);
  put (w, p, buf + sizeof buf - p);
}

static void
null (Writer *w)
{
  before_value (w);
  put (w, "null", 4);
}

static void
boolean (Writer   *w,
         gboolean  value)
{
  before_value (w);
  if (value)
    put (w, "true", 4);
  else
    put (w, "false", 5);
}

static void
open_container (Writer *w,
                char    c,
                Place   place)
{
  before_value (w);
  put_char (w, c);
  g_assert (w->depth + 1 < MAX_DEPTH);
  w->place[++w->depth] = place;
}

static void
close_container (Writer *w,
                 char    c,
                 gboolean map)
{
  guint8 place = w->place[w->depth];

  g_assert (w->depth > 0);
  g_assert (map ? (place == IN_MAP || place == IN_MAP_MEMBERS)
                : (place == IN_ARRAY || place == IN_ARRAY_ITEMS));
  w->depth--;
  put_char (w, c);
}

static void
begin_map (Writer *w)
{
  open_container (w, '{', IN_MAP);
}

static void
end_map (Writer *w)
{
  close_container (w, '}', TRUE);
}

static void
begin_array (Writer *w)
{
  open_container (w, '[', IN_ARRAY);
}

static void
end_array (Writer *w)
{
  close_container (w, ']', FALSE);
}

/* A boolean member, written always in version 1, only when true in the
 * compact records of version 2. */
static void
flag (Writer     *w,
      const char *name,
      gboolean    value,
      gboolean    compact)
{
  if (compact && !value)
    return;
  key (w, name, strlen (name));
  boolean (w, value);
}

/* Version 2 records (compact) leave out false booleans, a null size, an
 * untracked gc and empty edges: the reader puts them back.  The hidden
 * holders (held, as a snapshot groups them) are left out when there are
 * none, in both versions: most objects have none. */
static void
write_object (Writer            *w,
              const HsObject    *o,
              const HsHiddenRef *held,
              guint              n_held,
              gboolean           compact)
{
  int generation = HS_OBJECT_GENERATION (o->flags);
  guint n_drawn = 0;

  begin_map (w);
  KEY (w, "ref"); integer (w, o->ref);
  KEY (w, "id"); integer (w, (gint64) o->id);
  KEY (w, "type"); str (w, o->type);
  KEY (w, "repr"); str (w, o->repr);
  if (o->module != NULL)
    {
      KEY (w, "module"); str (w, o->module);
    }
  KEY (w, "refcount"); integer (w, o->refcount);
  if (o->size >= 0)
    {
      KEY (w, "size"); integer (w, o->size);
    }
  else if (!compact)
    {
      KEY (w, "size"); null (w);
    }
  flag (w, "mutable", o->flags & HS_OBJECT_MUTABLE, compact);
  flag (w, "small_int", o->flags & HS_OBJECT_SMALL_INT, compact);
  flag (w, "interned", o->flags & HS_OBJECT_INTERNED, compact);
  flag (w, "immortal", o->flags & HS_OBJECT_IMMORTAL, compact);
  flag (w, "reachable", o->flags & HS_OBJECT_REACHABLE, compact);
  /* new in this format's life: written only when true in both, as held */
  flag (w, "frame_globals", o->flags & HS_OBJECT_FRAME_GLOBALS, TRUE);
  if (!compact || (o->flags & HS_OBJECT_GC_TRACKED))
    {
      KEY (w, "gc");
      begin_map (w);
      KEY (w, "tracked"); boolean (w, o->flags & HS_OBJECT_GC_TRACKED);
      KEY (w, "generation");
      if (generation == HS_OBJECT_NO_GENERATION)
        null (w);
      else
        integer (w, generation);
      flag (w, "collecting", o->flags & HS_OBJECT_COLLECTING, TRUE);
      end_map (w);
    }
  if (o->flags & HS_OBJECT_CONTAINER)
    {
      KEY (w, "length"); integer (w, o->length);
      KEY (w, "omitted"); integer (w, o->omitted);
    }
  flag (w, "new", o->changes & HS_CHANGE_NEW, compact);
  flag (w, "created", o->changes & HS_CHANGE_CREATED, compact);
  /* held edges, in version 2's records, are written under "held" */
  for (guint i = 0; i < o->n_edges; i++)
    if (!HS_EDGE_KIND_IS_HELD (o->edges[i].kind))
      n_drawn++;
  if (!compact || n_drawn > 0)
    {
      KEY (w, "edges");
      begin_array (w);
      for (guint i = 0; i < o->n_edges; i++)
        {
          if (HS_EDGE_KIND_IS_HELD (o->edges[i].kind))
            continue;
          begin_map (w);
          KEY (w, "kind"); str (w, hs_edge_kind_to_string (o->edges[i].kind));
          KEY (w, "label"); str (w, o->edges[i].label);
          KEY (w, "ref"); integer (w, o->edges[i].target);
          end_map (w);
        }
      end_array (w);
    }
  if (n_held > 0)
    {
      KEY (w, "held");
      begin_array (w);
      for (guint i = 0; i < n_held; i++)
        {
          begin_map (w);
          KEY (w, "kind"); str (w, hs_edge_kind_to_string (held[i].kind));
          KEY (w, "label"); str (w, held[i].holder);
          KEY (w, "count"); integer (w, held[i].count);
          end_map (w);
        }
      end_array (w);
    }
  end_map (w);
}

/* A record of the cursor's state, whose held edges are still among its
 * edges: grouped as a snapshot groups them, so that both versions write
 * the same "held". */
static void
write_state_object (Writer         *w,
                    const HsObject *o)
{
  g_array_set_size (w->held, 0);
  for (guint i = 0; i < o->n_edges; i++)
    if (HS_EDGE_KIND_IS_HELD (o->edges[i].kind))
      hs_hidden_refs_add (w->held, &o->edges[i]);
  write_object (w, o, (const HsHiddenRef *) w->held->data, w->held->len, TRUE);
}

static void
write_frames (Writer        *w,
              const HsFrame *frames,
              guint          from,
              guint          n)
{
  KEY (w, "frames");
  begin_array (w);
  for (guint i = from; i < n; i++)
    {
      begin_map (w);
      KEY (w, "function"); str (w, frames[i].function);
      KEY (w, "file"); str (w, frames[i].file);
      KEY (w, "line"); integer (w, frames[i].line);
      KEY (w, "vars");
      begin_array (w);
      for (guint k = 0; k < frames[i].n_vars; k++)
        {
          begin_map (w);
          KEY (w, "name"); str (w, frames[i].vars[k].name);
          KEY (w, "ref"); integer (w, frames[i].vars[k].ref);
          end_map (w);
        }
      end_array (w);
      /* left out when empty, as it is in most frames */
      if (frames[i].n_unbound > 0)
        {
          KEY (w, "unbound");
          begin_array (w);
          for (guint k = 0; k < frames[i].n_unbound; k++)
            str (w, frames[i].unbound[k]);
          end_array (w);
        }
      end_map (w);
    }
  end_array (w);
}

static void
write_freed (Writer        *w,
             const HsFreed *freed,
             guint          n)
{
  KEY (w, "freed");
  begin_array (w);
  for (guint i = 0; i < n; i++)
    {
      begin_map (w);
      KEY (w, "ref"); integer (w, freed[i].ref);
      KEY (w, "cause"); str (w, hs_free_cause_to_string (freed[i].cause));
      KEY (w, "type"); str (w, freed[i].type);
      KEY (w, "repr"); str (w, freed[i].repr);
      end_map (w);
    }
  end_array (w);
}

static void
write_gc (Writer        *w,
          const HsGcRun *runs,
          guint          n)
{
  KEY (w, "gc");
  begin_array (w);
  for (guint i = 0; i < n; i++)
    {
      begin_map (w);
      KEY (w, "generation"); integer (w, runs[i].generation);
      KEY (w, "collections"); integer (w, runs[i].collections);
      KEY (w, "collected"); integer (w, runs[i].collected);
      KEY (w, "uncollectable"); integer (w, runs[i].uncollectable);
      end_map (w);
    }
  end_array (w);
}

/* Version 1: every step expanded into its full snapshot.  The step's
 * output comes when it is closed (close_step). */
static void
write_snapshot_step (Writer     *w,
                     HsSnapshot *snap)
{
  const HsFrame *frames;
  const HsObject *objects;
  const HsFreed *freed;
  const HsGcRun *runs;
  const HsHiddenRef *hidden;
  guint n, n_hidden, h = 0;

  begin_map (w);
  KEY (w, "index"); integer (w, hs_snapshot_get_index (snap));
  KEY (w, "line"); integer (w, hs_snapshot_get_line (snap));
  KEY (w, "event"); str (w, hs_event_to_string (hs_snapshot_get_event (snap)));
  KEY (w, "return");
  if (hs_snapshot_get_return_ref (snap) != 0)
    integer (w, hs_snapshot_get_return_ref (snap));
  else
    null (w);
  if (hs_snapshot_get_return_borrowed (snap))
    {
      KEY (w, "return_borrowed"); boolean (w, TRUE);
    }
  if (hs_snapshot_get_yielded (snap))
    {
      KEY (w, "yielded"); boolean (w, TRUE);
    }

  frames = hs_snapshot_get_frames (snap, &n);
  write_frames (w, frames, 0, n);

  objects = hs_snapshot_get_objects (snap, &n);
  hidden = hs_snapshot_get_reported_holders (snap, &n_hidden);
  KEY (w, "objects");
  begin_array (w);
  for (guint i = 0; i < n; i++)
    {
      guint first = h;

      /* the hidden references come by target, as the objects do */
      while (h < n_hidden && hidden[h].target == objects[i].ref)
        h++;
      write_object (w, &objects[i], hidden + first, h - first, FALSE);
    }
  g_assert (h == n_hidden);
  end_array (w);

  freed = hs_snapshot_get_freed (snap, &n);
  write_freed (w, freed, n);
  runs = hs_snapshot_get_gc_runs (snap, &n);
  write_gc (w, runs, n);
}

/* Version 2: what the step changed, or everything at a snapshot step.
 * Members that would be empty are left out; docs/trace-format.md says how
 * a reader rebuilds the full step.  The step's output comes when it is
 * closed (close_step). */
static void
write_delta_step (Writer             *w,
                  HsTraceCursor      *cursor,
                  const HsTraceDelta *d,
                  gboolean            snapshot)
{
  const HsFrame *frames;
  guint n_frames;

  begin_map (w);
  KEY (w, "index"); integer (w, d->index);
  KEY (w, "line"); integer (w, d->line);
  KEY (w, "event"); str (w, hs_event_to_string (d->event));
  if (d->return_ref != 0)
    {
      KEY (w, "return"); integer (w, d->return_ref);
    }
  if (d->return_borrowed)
    {
      KEY (w, "return_borrowed"); boolean (w, TRUE);
    }
  if (d->yielded)
    {
      KEY (w, "yielded"); boolean (w, TRUE);
    }

  frames = hs_trace_cursor_get_frames (cursor, &n_frames);
  if (snapshot)
    {
      g_autoptr(GPtrArray) all = hs_trace_cursor_list_objects (cursor);

      KEY (w, "snapshot"); boolean (w, TRUE);
      write_frames (w, frames, 0, n_frames);
      KEY (w, "objects");
      begin_array (w);
      for (guint i = 0; i < all->len; i++)
        write_state_object (w, g_ptr_array_index (all, i));
      end_array (w);
    }
  else
    {
      if (d->frames_changed)
        {
          /* a call or a return changes the innermost frames only: the
           * runtime sends them alone, and says how many it kept */
          guint keep = d->frames_keep;

          if (keep > 0)
            {
              KEY (w, "frames_keep"); integer (w, keep);
            }
          write_frames (w, frames, keep, n_frames);
        }
      if (d->n_touched > 0)
        {
          KEY (w, "objects");
          begin_array (w);
          for (guint i = 0; i < d->n_touched; i++)
            write_state_object (w, hs_trace_cursor_lookup (cursor, d->touched[i]));
          end_array (w);
        }
      if (d->n_refcounts > 0)
        {
          KEY (w, "refcounts");
          begin_array (w);
          for (guint i = 0; i < d->n_refcounts; i++)
            {
              begin_array (w);
              integer (w, d->refcounts[i]);
              integer (w, hs_trace_cursor_lookup (cursor, d->refcounts[i])->refcount);
              end_array (w);
            }
          end_array (w);
        }
      if (d->n_removed > 0)
        {
          KEY (w, "removed");
          begin_array (w);
          for (guint i = 0; i < d->n_removed; i++)
            integer (w, d->removed[i]);
          end_array (w);
        }
    }

  if (d->n_freed > 0)
    write_freed (w, d->freed, d->n_freed);
  if (d->n_gc > 0)
    write_gc (w, d->gc, d->n_gc);
}

/* A snapshot step comes every this many steps: 1,000, or 1,000 times the
 * power of two that covers the thousands of frames of the deepest stack
 * (a recursion 3,000 deep: 4,000), so that a deep stack is not copied
 * every 1,000 steps.  Powers of two, so that a writer that learns the
 * depth as the steps come (a stream) can only ever double it: a step
 * whose index is a multiple of the final figure was a snapshot step
 * under every earlier one too. */
static guint
snapshot_every_for (guint deepest)
{
  guint thousands = MAX (1, (deepest + HS_TRACE_SNAPSHOT_EVERY - 1) / HS_TRACE_SNAPSHOT_EVERY);
  guint factor = 1;

  while (factor < thousands && factor < G_MAXUINT / (2 * HS_TRACE_SNAPSHOT_EVERY))
    factor *= 2;
  return HS_TRACE_SNAPSHOT_EVERY * factor;
}

guint
hs_trace_json_snapshot_every (HsTrace *trace)
{
  g_return_val_if_fail (HS_IS_TRACE (trace), HS_TRACE_SNAPSHOT_EVERY);

  return snapshot_every_for (hs_trace_get_max_frames (trace));
}

/* One stream's output as the steps saw it, made valid UTF-8 once, as
 * text() would: a byte that starts no valid character becomes U+FFFD,
 * a NUL stays.  Fed step by step, a character whose bytes span two steps
 * belongs to the step that completes it, so that the text is the same
 * however the bytes were cut, and each step's part of it is counted in
 * code points (docs/trace-format.md, "Output"). */
typedef struct
{
  GString    *text;
  guint64     chars;      /* code points in text */
  GByteArray *partial;    /* the start of a character still incomplete */
} OutputText;

static void
output_text_init (OutputText *o)
{
  o->text = g_string_new (NULL);
  o->chars = 0;
  o->partial = g_byte_array_new ();
}

static void
output_text_clear (OutputText *o)
{
  if (o->text != NULL)
    g_string_free (o->text, TRUE);
  g_clear_pointer (&o->partial, g_byte_array_unref);
  o->text = NULL;
}

static void
output_text_feed (OutputText   *o,
                  const guint8 *data,
                  gsize         len,
                  gboolean      last)
{
  const guint8 *p;
  gsize n;
  gsize i = 0;

  g_assert (o != NULL);

  if (o->partial->len > 0)
    {
      g_byte_array_append (o->partial, data != NULL ? data : (const guint8 *) "", len);
      data = NULL;
    }
  p = data != NULL ? data : o->partial->data;
  n = data != NULL ? len : o->partial->len;

  while (i < n)
    {
      guint8 c;
      gsize need;
      gunichar u;
      const char *valid_end;

      /* what is valid goes at once; NUL and what is not, a byte at a time */
      g_utf8_validate_len ((const char *) p + i, n - i, &valid_end);
      if (valid_end > (const char *) p + i)
        {
          gsize run = valid_end - ((const char *) p + i);

          g_string_append_len (o->text, (const char *) p + i, run);
          o->chars += g_utf8_strlen ((const char *) p + i, run);
          i += run;
          continue;
        }
      c = p[i];
      need = g_utf8_skip[c];
      if (c < 0x80)
        {
          g_string_append_c (o->text, (char) c);
          i++;
        }
      else if (n - i < need && !last &&
               g_utf8_get_char_validated ((const char *) p + i, n - i) == (gunichar) -2)
        break;   /* may complete in the next step */
      else if ((u = g_utf8_get_char_validated ((const char *) p + i, n - i)) < 0x110000 && need <= n - i)
        {
          g_string_append_len (o->text, (const char *) p + i, need);
          i += need;
        }
      else
        {
          g_string_append (o->text, "\357\277\275");
          i++;
        }
      o->chars++;
    }

  if (data != NULL)
    g_byte_array_append (o->partial, p + i, n - i);
  else
    g_byte_array_remove_range (o->partial, 0, i);
}

struct _HsTraceWriter
{
  Writer             w;
  HsTraceJsonFormat  format;
  guint              every;        /* fixed, or 0: learnt as the steps come */
  guint              deepest;      /* the deepest stack so far */
  gboolean           step_open;    /* the last step waits for its output */
  GBytes            *pending_out;
  GBytes            *pending_err;
  OutputText         out;          /* what the steps showed, for the top level */
  OutputText         err;
  guint64            max_bytes;    /* 0: no cap */
};

G_DEFINE_QUARK (hs-trace-writer-error-quark, hs_trace_writer_error)

void
hs_trace_writer_set_max_bytes (HsTraceWriter *self,
                               guint64        max_bytes)
{
  g_return_if_fail (self != NULL);

  self->max_bytes = max_bytes;
}

/* The JSON up to the first step: what is known before the run. */
HsTraceWriter *
hs_trace_writer_new (GOutputStream     *stream,
                     HsTraceJsonFormat  format,
                     guint              snapshot_every,
                     const char        *file,
                     const char        *source,
                     gssize             source_len)
{
  HsTraceWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_new0 (HsTraceWriter, 1);
  self->w.size = FLUSH_AT + 4096;
  self->w.data = g_malloc (self->w.size);
  self->w.stream = g_object_ref (stream);
  self->w.held = g_array_new (FALSE, FALSE, sizeof (HsHiddenRef));
  self->format = format;
  self->every = snapshot_every;
  output_text_init (&self->out);
  output_text_init (&self->err);
  /* No second UTF-8 check: program output is made valid by OutputText, the
   * program's text by the caller, and every other string came in a
   * GVariant, whose strings are checked when the frame is received. */
  begin_map (&self->w);
  KEY (&self->w, "format");
  str (&self->w, format == HS_TRACE_JSON_SNAPSHOTS ? HS_TRACE_FORMAT_SNAPSHOTS : HS_TRACE_FORMAT);
  if (file != NULL)
    {
      KEY (&self->w, "file"); str (&self->w, file);
    }
  if (source != NULL)
    {
      KEY (&self->w, "source");
      string_len (&self->w, source, source_len < 0 ? strlen (source) : (gsize) source_len);
    }
  KEY (&self->w, "steps");
  begin_array (&self->w);
  return self;
}

void
hs_trace_writer_free (HsTraceWriter *self)
{
  if (self == NULL)
    return;
  g_free (self->w.data);
  g_object_unref (self->w.stream);
  g_array_unref (self->w.held);
  g_clear_pointer (&self->pending_out, g_bytes_unref);
  g_clear_pointer (&self->pending_err, g_bytes_unref);
  output_text_clear (&self->out);
  output_text_clear (&self->err);
  g_clear_error (&self->w.error);
  g_free (self);
}

/* A step's output is written last, once the next step (or the end) says
 * whether the output that came after the last step belongs to it.  It is
 * written once, in the top-level text: a step has the range of it that
 * it printed. */
static void
output_range (HsTraceWriter *self,
              const char    *name,
              OutputText    *o,
              GBytes        *bytes,
              GBytes        *extra,
              gboolean       last)
{
  Writer *w = &self->w;
  guint64 start = o->chars;

  g_assert (self != NULL && o != NULL);

  if (bytes != NULL)
    output_text_feed (o, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), FALSE);
  if (extra != NULL)
    output_text_feed (o, g_bytes_get_data (extra, NULL), g_bytes_get_size (extra), FALSE);
  if (last)
    output_text_feed (o, NULL, 0, TRUE);
  if (self->format == HS_TRACE_JSON_DELTAS && o->chars == start)
    return;
  key (w, name, strlen (name));
  begin_array (w);
  integer (w, start);
  integer (w, o->chars);
  end_array (w);
}

static void
close_step (HsTraceWriter *self,
            GBytes        *extra_out,
            GBytes        *extra_err,
            gboolean       last)
{
  g_assert (self != NULL);

  if (!self->step_open)
    return;
  output_range (self, "out", &self->out, self->pending_out, extra_out, last);
  output_range (self, "err", &self->err, self->pending_err, extra_err, last);
  end_map (&self->w);
  g_clear_pointer (&self->pending_out, g_bytes_unref);
  g_clear_pointer (&self->pending_err, g_bytes_unref);
  self->step_open = FALSE;
}

/* The top-level text: what reached the file, which is, unless buffered
 * bytes were lost (os._exit()) or a direct write overtook them, exactly
 * what the steps showed; only then are the steps' text written apart. */
static void
final_output (HsTraceWriter *self,
              const char    *name,
              const char    *steps_name,
              OutputText    *o,
              GBytes        *final)
{
  Writer *w = &self->w;
  OutputText file;

  g_assert (self != NULL && o != NULL);

  output_text_init (&file);
  output_text_feed (&file, g_bytes_get_data (final, NULL), g_bytes_get_size (final), TRUE);
  key (w, name, strlen (name));
  string_len (w, file.text->str, file.text->len);
  if (!g_string_equal (file.text, o->text))
    {
      key (w, steps_name, strlen (steps_name));
      string_len (w, o->text->str, o->text->len);
    }
  output_text_clear (&file);
}

static void
fail_with (HsTraceWriter *self,
           GError       **error)
{
  g_assert (self != NULL && self->w.failed);

  if (self->w.error == NULL)
    g_set_error_literal (&self->w.error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The trace could not be written"));
  if (error != NULL)
    *error = g_error_copy (self->w.error);
}

/* One step, at the cursor: the step a streaming trace has just applied,
 * or the one a walk of a finished trace has reached. */
gboolean
hs_trace_writer_step (HsTraceWriter      *self,
                      HsTraceCursor      *at,
                      const HsTraceDelta *delta,
                      GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (at != NULL && delta != NULL, FALSE);

  if (self->w.failed)
    {
      fail_with (self, error);
      return FALSE;
    }
  close_step (self, NULL, NULL, FALSE);
  if (self->format == HS_TRACE_JSON_SNAPSHOTS)
    {
      g_autoptr(HsSnapshot) snap = hs_trace_cursor_dup_snapshot (at);

      write_snapshot_step (&self->w, snap);
    }
  else
    {
      guint n_frames;
      guint every;

      hs_trace_cursor_get_frames (at, &n_frames);
      self->deepest = MAX (self->deepest, n_frames);
      every = self->every != 0 ? self->every : snapshot_every_for (self->deepest);
      write_delta_step (&self->w, at, delta, delta->index % every == 0);
    }
  self->pending_out = g_bytes_ref (delta->out);
  self->pending_err = g_bytes_ref (delta->err);
  self->step_open = TRUE;
  if (!flush (&self->w, FALSE))
    {
      fail_with (self, error);
      return FALSE;
    }
  if (self->max_bytes > 0 && self->w.flushed + self->w.len > self->max_bytes)
    {
      g_set_error (error, HS_TRACE_WRITER_ERROR, HS_TRACE_WRITER_ERROR_SIZE_LIMIT,
                   _("The trace reached its size limit of %" G_GUINT64_FORMAT " bytes"), self->max_bytes);
      return FALSE;
    }
  return TRUE;
}

/* Closes the last step with the output that came after it, and writes
 * what is known once the run is over. */
gboolean
hs_trace_writer_finish (HsTraceWriter  *self,
                        HsTrace        *trace,
                        GError        **error)
{
  Writer *w;
  const HsTraceError *trace_error;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (HS_IS_TRACE (trace), FALSE);

  w = &self->w;
  trace_error = hs_trace_get_error (trace);
  out = hs_trace_dup_stdout (trace);
  err = hs_trace_dup_stderr (trace);
  close_step (self, hs_trace_get_trailing_stdout (trace), hs_trace_get_trailing_stderr (trace), TRUE);
  end_array (w);

  if (self->format == HS_TRACE_JSON_DELTAS)
    {
      KEY (w, "snapshot_every");
      integer (w, self->every != 0 ? self->every : snapshot_every_for (self->deepest));
    }
  KEY (w, "python"); str (w, hs_trace_get_python_version (trace));
  KEY (w, "status"); str (w, hs_trace_get_status (trace));
  KEY (w, "exit_code");
  if (hs_trace_has_exit_code (trace))
    integer (w, hs_trace_get_exit_code (trace));
  else
    null (w);
  KEY (w, "signal");
  if (hs_trace_get_signal (trace) != 0)
    integer (w, hs_trace_get_signal (trace));
  else
    null (w);

  KEY (w, "error");
  if (trace_error == NULL)
    null (w);
  else
    {
      begin_map (w);
      KEY (w, "type"); str (w, trace_error->type);
      KEY (w, "message"); str (w, trace_error->message);
      KEY (w, "line");
      if (trace_error->line > 0)
        integer (w, trace_error->line);
      else
        null (w);
      KEY (w, "traceback"); str (w, trace_error->traceback);
      end_map (w);
    }

  if (hs_trace_get_args (trace) != NULL)
    {
      const char * const *args = hs_trace_get_args (trace);

      KEY (w, "args");
      begin_array (w);
      for (guint i = 0; args[i] != NULL; i++)
        str (w, args[i]);
      end_array (w);
    }
  if (hs_trace_get_input (trace) != NULL)
    {
      KEY (w, "stdin"); str (w, hs_trace_get_input (trace));
    }
  /* the text of each file stepped besides the program's own (source) */
  {
    g_autoptr(GPtrArray) files = hs_trace_list_files (trace);
    gboolean any = FALSE;

    for (guint i = 0; i < files->len; i++)
      {
        const char *name = g_ptr_array_index (files, i);
        const char *text = hs_trace_get_file_source (trace, name);

        if (text == NULL || g_strcmp0 (name, hs_trace_get_main_file (trace)) == 0)
          continue;
        if (!any)
          {
            KEY (w, "sources");
            begin_map (w);
            any = TRUE;
          }
        key_text (w, name);
        str (w, text);
      }
    if (any)
      end_map (w);
  }
  final_output (self, "stdout", "steps_stdout", &self->out, out);
  final_output (self, "stderr", "steps_stderr", &self->err, err);
  KEY (w, "history_bytes"); integer (w, hs_trace_get_history_bytes (trace));
  end_map (w);
  put_char (w, '\n');

  if (!flush (w, TRUE))
    {
      fail_with (self, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
hs_trace_write_json_format (HsTrace            *trace,
                            GOutputStream      *stream,
                            HsTraceJsonFormat   format,
                            GError            **error)
{
  return hs_trace_write_json_source (trace, stream, format, NULL, error);
}

/* With the program's text, so that the saved run opens with its code. */
gboolean
hs_trace_write_json_source (HsTrace            *trace,
                            GOutputStream      *stream,
                            HsTraceJsonFormat   format,
                            const char         *source,
                            GError            **error)
{
  g_autoptr(HsTraceWriter) writer = NULL;
  g_autoptr(HsTraceCursor) cursor = NULL;
  HsTraceDelta d;

  g_return_val_if_fail (HS_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  writer = hs_trace_writer_new (stream, format, hs_trace_json_snapshot_every (trace), NULL, source, -1);
  cursor = hs_trace_cursor_new (trace);
  while (hs_trace_cursor_next (cursor, &d))
    if (!hs_trace_writer_step (writer, cursor, &d, error))
      return FALSE;
  return hs_trace_writer_finish (writer, trace, error);
}

gboolean
hs_trace_write_json (HsTrace        *trace,
                     GOutputStream  *stream,
                     GError        **error)
{
  return hs_trace_write_json_format (trace, stream, HS_TRACE_JSON_DELTAS, error);
}
