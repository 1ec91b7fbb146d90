/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-object-history"

#include "config.h"

#include <string.h>

#include "hs-format.h"
#include "hs-object-history.h"

/* The name a mutating line used is looked for this deep from its frame's
 * names, over at most this many objects: "self.items.append" is 2 deep. */
#define THROUGH_DEPTH    3
#define THROUGH_VISITS   512
#define THROUGH_FOUND    8
/* Slots named in one mutation entry */
#define MAX_SLOTS        3
/* How often a walk looks whether it was cancelled, in steps */
#define CANCEL_EVERY     1024

struct _HsObjectHistory
{
  guint32    ref;
  guint      n_steps;
  GPtrArray *entries;  /* HsHistoryEntry *, newest first */
  guint64    n_dropped;
};

/* What one holder's slots hold of the object: "kind\037label" keys, and
 * how each was last spelled, to name a slot its holder no longer has */
typedef struct
{
  GPtrArray *keys;
  GPtrArray *texts;
} Held;

typedef struct
{
  HsTraceCursor  *cursor;
  guint32         ref;
  char          **lines;
  guint           n_lines;
  HsTrace        *trace;
  char           *main_file;   /* the file `lines` is the text of */
  GHashTable     *file_lines;  /* another file the program stepped -> its lines */
  gboolean        seen;
  GHashTable     *held;     /* holder ref -> Held */
  GPtrArray      *bound;    /* char *: "depth\tfunction\tname" of the names bound to it */
  GPtrArray      *bound_texts;
  GArray         *edges;    /* HsEdge: the object's own drawn references, last seen */
  /* The line that ran between the previous step and this one */
  guint           line;
  char           *function;
  guint           frame_index;
  GPtrArray      *entries;  /* HsHistoryEntry *, oldest first */
  HsHistoryEntry *created;
  guint64         n_dropped;
} Walk;

static void
entry_free (gpointer data)
{
  HsHistoryEntry *entry = data;

  g_assert (entry != NULL);

  g_free (entry->function);
  g_free (entry->what);
  g_free (entry->through);
  g_free (entry);
}

static void
held_free (gpointer data)
{
  Held *held = data;

  g_ptr_array_unref (held->keys);
  g_ptr_array_unref (held->texts);
  g_free (held);
}

static HsHistoryEntry *
add_entry (Walk          *w,
           HsHistoryKind  kind,
           guint          step,
           char          *what)
{
  HsHistoryEntry *entry = g_new0 (HsHistoryEntry, 1);

  g_assert (w != NULL);

  entry->kind = kind;
  entry->step = step;
  entry->line = w->line;
  entry->function = g_strdup (w->function);
  entry->what = what;
  g_ptr_array_add (w->entries, entry);

  /* A loop over a million steps may touch the object at each: keep the
   * creation and the newest, dropping the oldest half at a time. */
  if (w->entries->len > 2 * HS_OBJECT_HISTORY_MAX_ENTRIES)
    {
      guint first = w->created != NULL && g_ptr_array_index (w->entries, 0) == w->created ? 1 : 0;
      guint drop = w->entries->len - first - HS_OBJECT_HISTORY_MAX_ENTRIES;

      g_ptr_array_remove_range (w->entries, first, drop);
      w->n_dropped += drop;
    }
  return entry;
}

static gboolean
is_drawn (const HsEdge *edge)
{
  g_assert (edge != NULL);

  return !HS_EDGE_KIND_IS_HELD (edge->kind);
}

static const char *
key_repr (Walk           *w,
          const HsObject *dict,
          const HsEdge   *edge)
{
  g_assert (w != NULL && dict != NULL && edge != NULL);

  if (edge->kind != HS_EDGE_VALUE)
    return NULL;
  for (guint i = 0; i < dict->n_edges; i++)
    if (dict->edges[i].kind == HS_EDGE_KEY && g_strcmp0 (dict->edges[i].label, edge->label) == 0)
      {
        const HsObject *key = hs_trace_cursor_lookup (w->cursor, dict->edges[i].target);

        return key != NULL ? key->repr : NULL;
      }
  return NULL;
}

static void find_through (Walk          *w,
                          const HsFrame *frame,
                          guint32        target,
                          guint          max_found,
                          GPtrArray     *found);

/* "b", "items (add)": a name, with its function outside the module */
static char *
var_text (const HsFrame *frame,
          guint          depth,
          const HsVar   *var)
{
  g_assert (frame != NULL && var != NULL);

  if (depth == 0)
    return g_strdup (var->name);
  return g_strdup_printf ("%s (%s)", var->name, frame->function);
}

/* A holder by a name bound to it, innermost frame first, else by its
 * type and the end of its id() */
static char *
object_text (Walk           *w,
             const HsObject *object)
{
  const HsFrame *frames;
  guint n_frames;

  g_assert (w != NULL && object != NULL);

  frames = hs_trace_cursor_get_frames (w->cursor, &n_frames);
  for (guint i = n_frames; i > 0; i--)
    for (guint j = 0; j < frames[i - 1].n_vars; j++)
      if (frames[i - 1].vars[j].ref == object->ref)
        return var_text (&frames[i - 1], i - 1, &frames[i - 1].vars[j]);
  /* else by a path from the innermost frame's names, or the module's */
  for (guint i = n_frames; i > 0; i = (i > 1 ? 1 : 0))
    {
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

      find_through (w, &frames[i - 1], object->ref, 1, found);
      if (found->len > 0)
        {
          GString *s = g_string_new (g_ptr_array_index (found, 0));

          if (i - 1 > 0)
            g_string_append_printf (s, " (%s)", frames[i - 1].function);
          return g_string_free (s, FALSE);
        }
    }
  return g_strdup_printf ("%s …%03" G_GINT64_MODIFIER "x", object->type, object->id & 0xfff);
}

static char *
slot_text (Walk           *w,
           const HsObject *owner,
           const char     *owner_text,
           const HsEdge   *edge)
{
  GString *s = g_string_new (owner_text);

  g_assert (w != NULL && owner != NULL && edge != NULL);

  if (!hs_format_slot (s, edge->kind, edge->label, key_repr (w, owner, edge)))
    g_string_append_printf (s, " (%s)", hs_edge_kind_to_string (edge->kind));
  return g_string_free (s, FALSE);
}

static guint
find_string (GPtrArray  *array,
             const char *s)
{
  g_assert (array != NULL && s != NULL);

  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), s))
      return i;
  return G_MAXUINT;
}

static void
append_joined (GString    *out,
               const char *text)
{
  g_assert (out != NULL && text != NULL);

  if (out->len > 0)
    g_string_append (out, ", ");
  g_string_append (out, text);
}

/* Which names of the frames hold the object now, against before */
static void
diff_names (Walk    *w,
            GString *gained,
            GString *lost)
{
  g_autoptr(GPtrArray) now = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  const HsFrame *frames;
  guint n_frames;

  g_assert (w != NULL);

  frames = hs_trace_cursor_get_frames (w->cursor, &n_frames);
  for (guint i = 0; i < n_frames; i++)
    for (guint j = 0; j < frames[i].n_vars; j++)
      if (frames[i].vars[j].ref == w->ref)
        {
          g_ptr_array_add (now, g_strdup_printf ("%u\t%s\t%s", i, frames[i].function, frames[i].vars[j].name));
          g_ptr_array_add (texts, var_text (&frames[i], i, &frames[i].vars[j]));
        }

  for (guint i = 0; i < now->len; i++)
    if (find_string (w->bound, g_ptr_array_index (now, i)) == G_MAXUINT)
      append_joined (gained, g_ptr_array_index (texts, i));
  for (guint i = 0; i < w->bound->len; i++)
    if (find_string (now, g_ptr_array_index (w->bound, i)) == G_MAXUINT)
      append_joined (lost, g_ptr_array_index (w->bound_texts, i));

  g_ptr_array_unref (w->bound);
  g_ptr_array_unref (w->bound_texts);
  w->bound = g_steal_pointer (&now);
  w->bound_texts = g_steal_pointer (&texts);
}

/* Which slots of holder hold the object now, against before */
static void
diff_holder (Walk           *w,
             const HsObject *holder,
             GString        *gained,
             GString        *lost)
{
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autofree char *holder_text = NULL;
  Held *before;

  g_assert (w != NULL && holder != NULL);

  for (guint i = 0; i < holder->n_edges; i++)
    {
      const HsEdge *edge = &holder->edges[i];

      if (edge->target != w->ref || !is_drawn (edge))
        continue;
      if (keys == NULL)
        {
          keys = g_ptr_array_new_with_free_func (g_free);
          texts = g_ptr_array_new_with_free_func (g_free);
          holder_text = object_text (w, holder);
        }
      g_ptr_array_add (keys, g_strdup_printf ("%d\037%s", edge->kind, edge->label ? edge->label : ""));
      g_ptr_array_add (texts, slot_text (w, holder, holder_text, edge));
    }

  before = g_hash_table_lookup (w->held, GUINT_TO_POINTER (holder->ref));
  if (before == NULL && keys == NULL)
    return;
  for (guint i = 0; keys != NULL && i < keys->len; i++)
    if (before == NULL || find_string (before->keys, g_ptr_array_index (keys, i)) == G_MAXUINT)
      append_joined (gained, g_ptr_array_index (texts, i));
  for (guint i = 0; before != NULL && i < before->keys->len; i++)
    if (keys == NULL || find_string (keys, g_ptr_array_index (before->keys, i)) == G_MAXUINT)
      append_joined (lost, g_ptr_array_index (before->texts, i));

  if (keys == NULL)
    g_hash_table_remove (w->held, GUINT_TO_POINTER (holder->ref));
  else
    {
      Held *now = g_new0 (Held, 1);

      now->keys = g_steal_pointer (&keys);
      now->texts = g_steal_pointer (&texts);
      g_hash_table_insert (w->held, GUINT_TO_POINTER (holder->ref), now);
    }
}

static void
keep_edges (Walk           *w,
            const HsObject *object)
{
  g_assert (w != NULL && object != NULL);

  g_array_set_size (w->edges, 0);
  for (guint i = 0; i < object->n_edges; i++)
    if (is_drawn (&object->edges[i]))
      g_array_append_val (w->edges, object->edges[i]);
}

/* "[3]", ".name", "['k']": the object's slots that point elsewhere, or
 * are new or gone, since it was last seen */
static char *
changed_slots (Walk           *w,
               const HsObject *object)
{
  g_autoptr(GArray) now = g_array_new (FALSE, FALSE, sizeof (HsEdge));
  GString *s = g_string_new (NULL);
  guint n = 0;

  g_assert (w != NULL && object != NULL);

  for (guint i = 0; i < object->n_edges; i++)
    if (is_drawn (&object->edges[i]))
      g_array_append_val (now, object->edges[i]);

  for (guint i = 0; i < MAX (now->len, w->edges->len); i++)
    {
      const HsEdge *a = i < w->edges->len ? &g_array_index (w->edges, HsEdge, i) : NULL;
      const HsEdge *b = i < now->len ? &g_array_index (now, HsEdge, i) : NULL;
      const HsEdge *shown = b ? b : a;

      if (a != NULL && b != NULL && a->kind == b->kind && a->target == b->target &&
          g_strcmp0 (a->label, b->label) == 0)
        continue;
      /* a dict entry's key and value change together: name it once */
      if (shown->kind == HS_EDGE_KEY)
        continue;
      if (++n > MAX_SLOTS)
        {
          g_string_append (s, ", …");
          break;
        }
      if (s->len > 0)
        g_string_append (s, ", ");
      if (!hs_format_slot (s, shown->kind, shown->label, b ? key_repr (w, object, b) : NULL))
        g_string_append (s, hs_edge_kind_to_string (shown->kind));
    }
  keep_edges (w, object);
  return g_string_free (s, FALSE);
}

typedef struct
{
  guint32  ref;
  char    *text;
  guint    depth;
} Reach;

static void
reach_clear (gpointer data)
{
  g_free (((Reach *) data)->text);
}

/* Every name and path from the names of frame to the object, shortest
 * first, as a program spells them: "b", "self.items", "orders[1]['items']" */
static void
find_through (Walk          *w,
              const HsFrame *frame,
              guint32        target,
              guint          max_found,
              GPtrArray     *found)
{
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (Reach));
  g_autoptr(GHashTable) visited = g_hash_table_new (NULL, NULL);

  g_assert (w != NULL && frame != NULL && found != NULL);

  g_array_set_clear_func (queue, reach_clear);
  for (guint j = 0; j < frame->n_vars; j++)
    {
      Reach r = { frame->vars[j].ref, g_strdup (frame->vars[j].name), 0 };

      if (r.ref == target)
        {
          if (found->len < max_found && find_string (found, r.text) == G_MAXUINT)
            g_ptr_array_add (found, g_steal_pointer (&r.text));
          g_free (r.text);
          continue;
        }
      g_array_append_val (queue, r);
    }

  for (guint q = 0; q < queue->len && found->len < max_found && q < THROUGH_VISITS; q++)
    {
      Reach *r = &g_array_index (queue, Reach, q);
      const HsObject *object;
      guint32 at = r->ref;
      guint depth = r->depth;
      g_autofree char *text = g_strdup (r->text);

      if (depth >= THROUGH_DEPTH || g_hash_table_contains (visited, GUINT_TO_POINTER (at)))
        continue;
      g_hash_table_add (visited, GUINT_TO_POINTER (at));
      object = hs_trace_cursor_lookup (w->cursor, at);
      for (guint i = 0; object != NULL && i < object->n_edges && found->len < max_found; i++)
        {
          const HsEdge *edge = &object->edges[i];
          GString *s;

          if (!is_drawn (edge))
            continue;
          s = g_string_new (text);
          if (!hs_format_slot (s, edge->kind, edge->label, key_repr (w, object, edge)))
            {
              g_string_free (s, TRUE);
              continue;
            }
          if (edge->target == target)
            {
              if (find_string (found, s->str) == G_MAXUINT)
                g_ptr_array_add (found, g_string_free (s, FALSE));
              else
                g_string_free (s, TRUE);
            }
          else
            {
              Reach next = { edge->target, g_string_free (s, FALSE), depth + 1 };

              g_array_append_val (queue, next);
              /* the append may have moved the queue */
              r = NULL;
            }
        }
    }
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* How well the line spells candidate: 2 when it reaches into it
 * ("b.append", "b[0] ="), 1 when it names it, 0 when not at all */
static int
spelled (const char *line,
         const char *candidate)
{
  gsize len;
  int best = 0;

  g_assert (line != NULL && candidate != NULL && candidate[0] != '\0');

  len = strlen (candidate);
  for (const char *at = strstr (line, candidate); at != NULL; at = strstr (at + 1, candidate))
    {
      char before = at > line ? at[-1] : ' ';
      char after = at[len];

      if (is_name_char (before) || before == '.' || (is_name_char (after) && is_name_char (candidate[len - 1])))
        continue;
      best = MAX (best, (after == '.' || after == '[') ? 2 : 1);
    }
  return best;
}

/* The text of line `line` of file (relative to the program's folder, as
 * frames name it; NULL or "" for the program's own), or NULL */
static const char *
line_text (Walk       *w,
           const char *file,
           guint       line)
{
  char **lines = w->lines;
  guint n = w->n_lines;

  if (file != NULL && *file != '\0' && g_strcmp0 (file, w->main_file) != 0)
    {
      lines = g_hash_table_lookup (w->file_lines, file);
      if (lines == NULL)
        {
          const char *text = hs_trace_get_file_source (w->trace, file);

          lines = g_strsplit (text != NULL ? text : "", "\n", -1);
          g_hash_table_insert (w->file_lines, g_strdup (file), lines);
        }
      n = g_strv_length (lines);
    }
  return line > 0 && line <= n ? lines[line - 1] : NULL;
}

/* The name the line that ran reached the object through */
static char *
through (Walk *w)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  const HsFrame *frames;
  const char *line = NULL;
  guint n_frames, index, best = 0;
  int best_score = -1;

  g_assert (w != NULL);

  frames = hs_trace_cursor_get_frames (w->cursor, &n_frames);
  if (n_frames == 0)
    return NULL;
  index = w->frame_index < n_frames && g_strcmp0 (frames[w->frame_index].function, w->function) == 0
          ? w->frame_index : n_frames - 1;
  find_through (w, &frames[index], w->ref, THROUGH_FOUND, found);
  /* a function reaches the module's globals too */
  if (index != 0)
    find_through (w, &frames[0], w->ref, THROUGH_FOUND, found);
  if (found->len == 0)
    return NULL;

  line = line_text (w, frames[index].file, w->line);
  for (guint i = 0; line != NULL && i < found->len; i++)
    {
      int score = spelled (line, g_ptr_array_index (found, i));

      if (score > best_score)
        {
          best_score = score;
          best = i;
        }
    }
  return g_strdup (g_ptr_array_index (found, best));
}

/* The line that runs between this step and the next: the innermost
 * frame's, or at a return its caller's, which takes the value */
static void
note_line (Walk               *w,
           const HsTraceDelta *delta)
{
  const HsFrame *frames;
  guint n_frames, index;

  g_assert (w != NULL && delta != NULL);

  frames = hs_trace_cursor_get_frames (w->cursor, &n_frames);
  g_clear_pointer (&w->function, g_free);
  w->line = 0;
  if (n_frames == 0)
    return;
  index = delta->event == HS_EVENT_RETURN && n_frames >= 2 ? n_frames - 2 : n_frames - 1;
  w->frame_index = index;
  w->line = frames[index].line;
  w->function = g_strdup (frames[index].function);
}

static void
walk_step (Walk               *w,
           const HsTraceDelta *delta,
           gboolean           *ended)
{
  g_autoptr(GString) gained = g_string_new (NULL);
  g_autoptr(GString) lost = g_string_new (NULL);
  const HsObject *object = hs_trace_cursor_lookup (w->cursor, w->ref);
  HsHistoryEntry *created = NULL;
  gboolean first = FALSE;

  g_assert (w != NULL && delta != NULL && ended != NULL);

  if (w->entries->len == 0 && delta->index == 0)
    w->line = delta->line;

  if (!w->seen)
    {
      if (object == NULL)
        return;
      w->seen = first = TRUE;
      created = add_entry (w, HS_HISTORY_CREATED, delta->index, NULL);
      created->allocated = (object->changes & HS_CHANGE_CREATED) != 0;
      w->created = created;
      keep_edges (w, object);
    }

  else if (object != NULL && (object->changes & HS_CHANGE_RETURNED))
    keep_edges (w, object);

  if (first || delta->frames_changed)
    diff_names (w, gained, lost);
  for (guint i = 0; i < delta->n_touched; i++)
    {
      const HsObject *holder = hs_trace_cursor_lookup (w->cursor, delta->touched[i]);

      if (holder != NULL)
        diff_holder (w, holder, gained, lost);
    }
  for (guint i = 0; i < delta->n_freed; i++)
    {
      Held *held = g_hash_table_lookup (w->held, GUINT_TO_POINTER (delta->freed[i].ref));

      for (guint k = 0; held != NULL && k < held->texts->len; k++)
        append_joined (lost, g_ptr_array_index (held->texts, k));
      g_hash_table_remove (w->held, GUINT_TO_POINTER (delta->freed[i].ref));
    }

  if (created != NULL)
    created->what = gained->len > 0 ? g_strdup (gained->str) : NULL;
  else if (gained->len > 0)
    add_entry (w, HS_HISTORY_GAINED, delta->index, g_strdup (gained->str));

  if (object != NULL && !first && (object->changes & HS_CHANGE_MUTATED))
    {
      g_autofree char *slots = changed_slots (w, object);

      if (slots[0] != '\0')
        add_entry (w, HS_HISTORY_MUTATED, delta->index, g_steal_pointer (&slots))->through = through (w);
    }

  if (lost->len > 0)
    add_entry (w, HS_HISTORY_LOST, delta->index, g_strdup (lost->str));

  for (guint i = 0; i < delta->n_freed; i++)
    if (delta->freed[i].ref == w->ref)
      {
        add_entry (w, HS_HISTORY_FREED, delta->index, NULL)->cause = delta->freed[i].cause;
        *ended = TRUE;
      }
}

HsObjectHistory *
hs_object_history_new (HsTrace       *trace,
                       guint32        ref,
                       const char    *source,
                       guint          n_steps,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(HsTraceCursor) cursor = NULL;
  HsObjectHistory *self;
  HsTraceDelta delta;
  gboolean ended = FALSE;
  Walk w = { 0 };

  g_return_val_if_fail (HS_IS_TRACE (trace), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n_steps = MIN (n_steps, hs_trace_get_n_steps (trace));
  cursor = hs_trace_cursor_new (trace);
  w.cursor = cursor;
  w.ref = ref;
  w.lines = g_strsplit (source ? source : "", "\n", -1);
  w.n_lines = g_strv_length (w.lines);
  w.trace = trace;
  w.main_file = g_strdup (hs_trace_get_main_file (trace));
  w.file_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  w.held = g_hash_table_new_full (NULL, NULL, NULL, held_free);
  w.bound = g_ptr_array_new_with_free_func (g_free);
  w.bound_texts = g_ptr_array_new_with_free_func (g_free);
  w.edges = g_array_new (FALSE, FALSE, sizeof (HsEdge));
  w.entries = g_ptr_array_new_with_free_func (entry_free);

  for (guint i = 0; !ended && i < n_steps && hs_trace_cursor_next (cursor, &delta); i++)
    {
      if (i % CANCEL_EVERY == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      walk_step (&w, &delta, &ended);
      note_line (&w, &delta);
    }

  self = NULL;
  if (error == NULL || *error == NULL)
    {
      self = g_new0 (HsObjectHistory, 1);
      self->ref = ref;
      self->n_steps = n_steps;
      self->n_dropped = w.n_dropped;
      self->entries = g_ptr_array_new_full (w.entries->len, entry_free);
      for (guint i = w.entries->len; i > 0; i--)
        g_ptr_array_add (self->entries, g_ptr_array_steal_index (w.entries, i - 1));
    }

  g_clear_pointer (&w.entries, g_ptr_array_unref);
  g_strfreev (w.lines);
  g_free (w.main_file);
  g_hash_table_unref (w.file_lines);
  g_hash_table_unref (w.held);
  g_ptr_array_unref (w.bound);
  g_ptr_array_unref (w.bound_texts);
  g_array_unref (w.edges);
  g_free (w.function);
  return self;
}

typedef struct
{
  HsTrace *trace;
  guint32  ref;
  char    *source;
  guint    n_steps;
} HistoryTask;

static void
history_task_free (gpointer data)
{
  HistoryTask *task = data;

  g_object_unref (task->trace);
  g_free (task->source);
  g_free (task);
}

static void
history_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  HistoryTask *data = task_data;
  GError *error = NULL;
  HsObjectHistory *history;

  g_assert (G_IS_TASK (task));
  g_assert (data != NULL);

  history = hs_object_history_new (data->trace, data->ref, data->source, data->n_steps, cancellable, &error);
  if (history == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, history, (GDestroyNotify) hs_object_history_free);
}

void
hs_object_history_new_async (HsTrace             *trace,
                             guint32              ref,
                             const char          *source,
                             guint                n_steps,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  HistoryTask *data;

  g_return_if_fail (HS_IS_TRACE (trace));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (HistoryTask, 1);
  data->trace = g_object_ref (trace);
  data->ref = ref;
  data->source = g_strdup (source);
  data->n_steps = n_steps;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_object_history_new_async);
  g_task_set_task_data (task, data, history_task_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, history_thread);
}

HsObjectHistory *
hs_object_history_new_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hs_object_history_new_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hs_object_history_free (HsObjectHistory *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->entries);
  g_free (self);
}

guint32
hs_object_history_get_ref (HsObjectHistory *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->ref;
}

guint
hs_object_history_get_n_steps (HsObjectHistory *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_steps;
}

guint
hs_object_history_get_n_entries (HsObjectHistory *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->entries->len;
}

const HsHistoryEntry *
hs_object_history_get_entry (HsObjectHistory *self,
                             guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);
  return g_ptr_array_index (self->entries, index);
}

guint64
hs_object_history_get_n_dropped (HsObjectHistory *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_dropped;
}

const HsHistoryEntry *
hs_object_history_last_change (HsObjectHistory *self,
                               guint            step)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      const HsHistoryEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry->kind == HS_HISTORY_MUTATED && entry->step <= step)
        return entry;
    }
  return NULL;
}
