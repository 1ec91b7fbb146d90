/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-lesson"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>
#include <gio/gio.h>

#include "hs-lesson.h"

#define LESSONS "/io/github/heapscope/Heapscope/lessons"

typedef struct
{
  HsLessonWhen  when;
  guint         line;
  char         *text;
} HsLessonNote;

struct _HsLesson
{
  GObject   parent_instance;

  char     *id;
  char     *title;
  char     *summary;
  char     *code;
  guint     order;
  gboolean  every_object; /* its subject is identity: scalars are boxes */
  GArray   *notes;      /* HsLessonNote */
};

G_DEFINE_FINAL_TYPE (HsLesson, hs_lesson, G_TYPE_OBJECT)

G_DEFINE_QUARK (hs-lesson-error-quark, hs_lesson_error)

static void
note_clear (gpointer data)
{
  HsLessonNote *note = data;

  g_clear_pointer (&note->text, g_free);
}

static void
hs_lesson_finalize (GObject *object)
{
  HsLesson *self = HS_LESSON (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->summary);
  g_free (self->code);
  g_clear_pointer (&self->notes, g_array_unref);

  G_OBJECT_CLASS (hs_lesson_parent_class)->finalize (object);
}

static void
hs_lesson_class_init (HsLessonClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hs_lesson_finalize;
}

static void
hs_lesson_init (HsLesson *self)
{
  self->notes = g_array_new (FALSE, TRUE, sizeof (HsLessonNote));
  g_array_set_clear_func (self->notes, note_clear);
}

/* xgettext extracts ITS text with its whitespace collapsed and with &, <
 * and > escaped; the message id is looked up in the same form. */
static char *
normalize_space (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  g_assert (text != NULL);

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static char *
translate (const char *text)
{
  g_autofree char *plain = normalize_space (text);
  g_autoptr(GString) key = g_string_new (plain);
  const char *translated;

  g_string_replace (key, "&", "&amp;", 0);
  g_string_replace (key, "<", "&lt;", 0);
  g_string_replace (key, ">", "&gt;", 0);
  translated = g_dgettext (GETTEXT_PACKAGE, key->str);
  if (translated == key->str)
    return g_steal_pointer (&plain);
  else
    {
      GString *out = g_string_new (translated);

      g_string_replace (out, "&lt;", "<", 0);
      g_string_replace (out, "&gt;", ">", 0);
      g_string_replace (out, "&amp;", "&", 0);
      return g_string_free (out, FALSE);
    }
}

typedef struct
{
  HsLesson *lesson;
  GString  *text;
  gboolean  in_text;
  gboolean  seen_root;
} ParseState;

static gboolean
parse_line (const char  *value,
            guint       *line,
            GError     **error)
{
  guint64 number;

  if (!g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT, &number, NULL))
    {
      g_set_error (error, HS_LESSON_ERROR, HS_LESSON_ERROR_INVALID,
                   "“%s” is not a line number", value);
      return FALSE;
    }
  *line = (guint) number;
  return TRUE;
}

static void
start_element (GMarkupParseContext  *context,
               const char           *element,
               const char          **names,
               const char          **values,
               gpointer              user_data,
               GError              **error)
{
  ParseState *state = user_data;

  if (g_str_equal (element, "lesson"))
    {
      const char *id = NULL, *order = NULL;
      gboolean every_object = FALSE;
      guint64 number;

      if (!g_markup_collect_attributes (element, names, values, error,
                                        G_MARKUP_COLLECT_STRING, "id", &id,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL, "order", &order,
                                        G_MARKUP_COLLECT_BOOLEAN | G_MARKUP_COLLECT_OPTIONAL, "every-object", &every_object,
                                        G_MARKUP_COLLECT_INVALID))
        return;
      state->lesson->every_object = every_object;
      if (g_strcmp0 (id, state->lesson->id) != 0 ||
          !g_ascii_string_to_unsigned (order ? order : "0", 10, 0, G_MAXUINT, &number, NULL))
        {
          g_set_error (error, HS_LESSON_ERROR, HS_LESSON_ERROR_INVALID,
                       "The lesson’s id or order is wrong");
          return;
        }
      state->lesson->order = (guint) number;
      state->seen_root = TRUE;
    }
  else if (g_str_equal (element, "title") || g_str_equal (element, "summary"))
    state->in_text = TRUE;
  else if (g_str_equal (element, "note"))
    {
      const char *line = NULL, *after = NULL, *at = NULL;
      HsLessonNote note = { 0 };

      if (!g_markup_collect_attributes (element, names, values, error,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL, "line", &line,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL, "after", &after,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL, "at", &at,
                                        G_MARKUP_COLLECT_INVALID))
        return;
      if ((line != NULL) + (after != NULL) + (at != NULL) != 1)
        {
          g_set_error (error, HS_LESSON_ERROR, HS_LESSON_ERROR_INVALID,
                       "A note needs exactly one of line, after or at");
          return;
        }
      if (line != NULL)
        {
          note.when = HS_LESSON_LINE;
          if (!parse_line (line, &note.line, error))
            return;
        }
      else if (after != NULL)
        {
          note.when = HS_LESSON_AFTER;
          if (!parse_line (after, &note.line, error))
            return;
        }
      else if (g_str_equal (at, "start"))
        note.when = HS_LESSON_AT_START;
      else if (g_str_equal (at, "end"))
        note.when = HS_LESSON_AT_END;
      else
        {
          g_set_error (error, HS_LESSON_ERROR, HS_LESSON_ERROR_INVALID,
                       "A note is shown at “start” or “end”, not “%s”", at);
          return;
        }
      g_array_append_val (state->lesson->notes, note);
      state->in_text = TRUE;
    }
  else
    g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_UNKNOWN_ELEMENT,
                 "Unknown element “%s” in a lesson", element);

  if (state->in_text)
    g_string_truncate (state->text, 0);
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element,
             gpointer              user_data,
             GError              **error)
{
  ParseState *state = user_data;
  char **slot;

  if (!state->in_text)
    return;
  state->in_text = FALSE;

  if (g_str_equal (element, "title"))
    slot = &state->lesson->title;
  else if (g_str_equal (element, "summary"))
    slot = &state->lesson->summary;
  else
    slot = &g_array_index (state->lesson->notes, HsLessonNote, state->lesson->notes->len - 1).text;

  g_free (*slot);
  *slot = translate (state->text->str);
}

static void
text (GMarkupParseContext  *context,
      const char           *text,
      gsize                 length,
      gpointer              user_data,
      GError              **error)
{
  ParseState *state = user_data;

  if (state->in_text)
    g_string_append_len (state->text, text, length);
}

HsLesson *
hs_lesson_new_from_data (const char  *id,
                         const char  *xml,
                         gssize       length,
                         const char  *code,
                         GError     **error)
{
  static const GMarkupParser parser = { start_element, end_element, text, NULL, NULL };
  g_autoptr(HsLesson) self = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  ParseState state = { 0 };

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (xml != NULL, NULL);
  g_return_val_if_fail (code != NULL, NULL);

  self = g_object_new (HS_TYPE_LESSON, NULL);
  self->id = g_strdup (id);
  self->code = g_strdup (code);

  state.lesson = self;
  state.text = g_string_new (NULL);
  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &state, NULL);
  if (!g_markup_parse_context_parse (context, xml, length, error) ||
      !g_markup_parse_context_end_parse (context, error))
    {
      g_string_free (state.text, TRUE);
      return NULL;
    }
  g_string_free (state.text, TRUE);

  if (!state.seen_root || self->title == NULL || self->summary == NULL)
    {
      g_set_error (error, HS_LESSON_ERROR, HS_LESSON_ERROR_INVALID,
                   "The lesson “%s” lacks a title or a summary", id);
      return NULL;
    }
  return g_steal_pointer (&self);
}

HsLesson *
hs_lesson_load (const char  *id,
                GError     **error)
{
  g_autofree char *xml_path = NULL;
  g_autofree char *code_path = NULL;
  g_autoptr(GBytes) xml = NULL;
  g_autoptr(GBytes) code = NULL;
  g_autofree char *code_text = NULL;

  g_return_val_if_fail (id != NULL, NULL);

  xml_path = g_strdup_printf (LESSONS "/%s.lesson", id);
  code_path = g_strdup_printf (LESSONS "/%s.py", id);
  if (!(xml = g_resources_lookup_data (xml_path, 0, NULL)) ||
      !(code = g_resources_lookup_data (code_path, 0, NULL)))
    {
      g_set_error (error, HS_LESSON_ERROR, HS_LESSON_ERROR_NOT_FOUND,
                   "There is no lesson “%s”", id);
      return NULL;
    }

  code_text = g_strndup (g_bytes_get_data (code, NULL), g_bytes_get_size (code));
  return hs_lesson_new_from_data (id, g_bytes_get_data (xml, NULL), g_bytes_get_size (xml),
                                  code_text, error);
}

static int
compare_order (gconstpointer a,
               gconstpointer b)
{
  const HsLesson *la = *(HsLesson * const *) a;
  const HsLesson *lb = *(HsLesson * const *) b;

  return (la->order > lb->order) - (la->order < lb->order);
}

/* Every lesson in the resources, in teaching order. */
GPtrArray *
hs_lesson_list_all (void)
{
  g_autoptr(GPtrArray) lessons = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) children = g_resources_enumerate_children (LESSONS, 0, NULL);

  for (guint i = 0; children != NULL && children[i] != NULL; i++)
    {
      g_autofree char *id = NULL;
      g_autoptr(GError) error = NULL;
      HsLesson *lesson;

      if (!g_str_has_suffix (children[i], ".lesson"))
        continue;
      id = g_strndup (children[i], strlen (children[i]) - strlen (".lesson"));
      if ((lesson = hs_lesson_load (id, &error)))
        g_ptr_array_add (lessons, lesson);
      else
        g_critical ("Cannot load the lesson %s: %s", id, error->message);
    }
  g_ptr_array_sort (lessons, compare_order);
  return g_steal_pointer (&lessons);
}

const char *
hs_lesson_get_id (HsLesson *self)
{
  g_return_val_if_fail (HS_IS_LESSON (self), NULL);

  return self->id;
}

const char *
hs_lesson_get_title (HsLesson *self)
{
  g_return_val_if_fail (HS_IS_LESSON (self), NULL);

  return self->title;
}

const char *
hs_lesson_get_summary (HsLesson *self)
{
  g_return_val_if_fail (HS_IS_LESSON (self), NULL);

  return self->summary;
}

/* Whether the lesson's subject is identity (the small-int cache,
 * interning, refcounts, `is`): it is taught with every object a box */
gboolean
hs_lesson_get_every_object (HsLesson *self)
{
  g_return_val_if_fail (HS_IS_LESSON (self), FALSE);

  return self->every_object;
}

const char *
hs_lesson_get_code (HsLesson *self)
{
  g_return_val_if_fail (HS_IS_LESSON (self), NULL);

  return self->code;
}

guint
hs_lesson_get_n_notes (HsLesson *self)
{
  g_return_val_if_fail (HS_IS_LESSON (self), 0);

  return self->notes->len;
}

const char *
hs_lesson_get_note (HsLesson     *self,
                    guint         index,
                    HsLessonWhen *when,
                    guint        *line)
{
  const HsLessonNote *note;

  g_return_val_if_fail (HS_IS_LESSON (self), NULL);
  g_return_val_if_fail (index < self->notes->len, NULL);

  note = &g_array_index (self->notes, HsLessonNote, index);
  if (when != NULL)
    *when = note->when;
  if (line != NULL)
    *line = note->line;
  return note->text;
}

/* The last note, in the file's order, whose condition holds at this step;
 * -1 when none does. previous is the step before, or NULL at the first. */
int
hs_lesson_match (HsLesson   *self,
                 HsSnapshot *previous,
                 HsSnapshot *snapshot)
{
  HsEvent event;
  guint line;
  int found = -1;

  g_return_val_if_fail (HS_IS_LESSON (self), -1);
  g_return_val_if_fail (snapshot != NULL, -1);

  event = hs_snapshot_get_event (snapshot);
  line = hs_snapshot_get_line (snapshot);
  for (guint i = 0; i < self->notes->len; i++)
    {
      const HsLessonNote *note = &g_array_index (self->notes, HsLessonNote, i);
      gboolean holds = FALSE;

      switch (note->when)
        {
        case HS_LESSON_AT_START:
          holds = previous == NULL;
          break;
        case HS_LESSON_AT_END:
          holds = event == HS_EVENT_END;
          break;
        case HS_LESSON_LINE:
          holds = event == HS_EVENT_LINE && line == note->line;
          break;
        case HS_LESSON_AFTER:
          holds = previous != NULL &&
                  hs_snapshot_get_event (previous) == HS_EVENT_LINE &&
                  hs_snapshot_get_line (previous) == note->line;
          break;
        default:
          g_assert_not_reached ();
        }
      if (holds)
        found = (int) i;
    }
  return found;
}

/* The note shown at a step: the last one that held at or before it, so a
 * note stays up until the next one replaces it. */
int
hs_lesson_note_at_step (HsLesson *self,
                        HsTrace  *trace,
                        guint     step)
{
  g_autoptr(HsSnapshot) previous = NULL;
  int shown = -1;

  g_return_val_if_fail (HS_IS_LESSON (self), -1);
  g_return_val_if_fail (HS_IS_TRACE (trace), -1);
  g_return_val_if_fail (step < hs_trace_get_n_steps (trace), -1);

  for (guint i = 0; i <= step; i++)
    {
      HsSnapshot *snapshot = hs_trace_get_snapshot (trace, i);
      int match = hs_lesson_match (self, previous, snapshot);

      if (match >= 0)
        shown = match;
      g_clear_pointer (&previous, hs_snapshot_unref);
      previous = snapshot;
    }
  return shown;
}

/* Whether text is one Python identifier: a letter or an underscore,
 * then letters, digits and underscores (Python allows any Unicode
 * letter, and so does this). */
static gboolean
is_identifier (const char *text,
               gsize       length)
{
  const char *end = text + length;

  if (length == 0 || !g_utf8_validate (text, length, NULL))
    return FALSE;
  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != '_' && !g_unichar_isalpha (c) && (p == text || !g_unichar_isdigit (c)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
find_var (const HsFrame *frame,
          const char    *name,
          gsize          length,
          guint32       *ref)
{
  for (guint v = 0; v < frame->n_vars; v++)
    if (strncmp (frame->vars[v].name, name, length) == 0 && frame->vars[v].name[length] == '\0')
      {
        *ref = frame->vars[v].ref;
        return TRUE;
      }
  return FALSE;
}

/* Whether the frame's code owns the name but holds no value for it at
 * this step, as the runtime read its slots (a class body: whether its
 * namespace holds the name) */
static gboolean
is_unbound (const HsFrame *frame,
            const char    *name,
            gsize          length)
{
  g_assert (frame != NULL && name != NULL);

  for (guint u = 0; u < frame->n_unbound; u++)
    if (strncmp (frame->unbound[u], name, length) == 0 && frame->unbound[u][length] == '\0')
      return TRUE;
  return FALSE;
}

/* A variable that a closure shares holds its cell, and the name means
 * what is in the cell: FALSE for an empty cell (the name is not bound
 * yet).  A plain local holding a cell object (fished out of a
 * __closure__) reads as its contents too, as the snapshot does not say
 * which of a frame's variables are its cells. */
static gboolean
through_cell (HsSnapshot *snapshot,
              guint32    *ref)
{
  const HsObject *object;

  g_assert (snapshot != NULL && ref != NULL);

  if ((object = hs_snapshot_lookup (snapshot, *ref)) == NULL)
    return FALSE;
  if (!g_str_equal (object->type, "cell"))
    return TRUE;
  for (guint e = 0; e < object->n_edges; e++)
    if (object->edges[e].kind == HS_EDGE_CONTENTS)
      {
        *ref = object->edges[e].target;
        return TRUE;
      }
  return FALSE;
}

/* The object a plain name (its first `length` bytes) means where the
 * innermost frame runs, by Python's rule, as the runtime read the frame:
 * a name bound in the frame is its variable (read through its cell); a
 * name the frame's code owns but has not bound (its unbound names) means
 * nothing yet, and never the global of the same name; anything else is
 * the module's global.  Builtins are not drawn. */
static gboolean
resolve_plain (HsSnapshot *snapshot,
               const char *name,
               gsize       length,
               guint32    *ref)
{
  const HsFrame *frames, *frame, *module;
  guint n_frames;

  g_assert (snapshot != NULL && name != NULL && ref != NULL);

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  if (n_frames == 0)
    return FALSE;
  /* Frames come outermost first: the module, then the calls */
  frame = &frames[n_frames - 1];
  module = g_str_equal (frames[0].function, "<module>") ? &frames[0] : NULL;
  if (frame == module)
    return find_var (module, name, length, ref);

  if (find_var (frame, name, length, ref))
    return through_cell (snapshot, ref);
  if (is_unbound (frame, name, length))
    return FALSE;
  return module != NULL && find_var (module, name, length, ref);
}

/* The object a name in a note stands for at this step: a plain name as
 * Python reads it where the innermost frame runs (see resolve_plain()).
 * "a.b" then follows the instance attribute b of a, as the snapshot
 * records it.  FALSE for anything else, such as `count += 1` or `a[0]`,
 * for a builtin, and for a name not bound at this step. */
gboolean
hs_lesson_resolve_name (HsSnapshot *snapshot,
                        const char *name,
                        guint32    *ref)
{
  const HsObject *object;
  const char *dot;
  guint32 found;

  g_return_val_if_fail (snapshot != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  dot = strchr (name, '.');
  if (!is_identifier (name, dot ? (gsize) (dot - name) : strlen (name)) ||
      !resolve_plain (snapshot, name, dot ? (gsize) (dot - name) : strlen (name), &found) ||
      (object = hs_snapshot_lookup (snapshot, found)) == NULL)
    return FALSE;

  while (dot != NULL)
    {
      const char *attr = dot + 1;
      gsize length;
      gboolean followed = FALSE;

      dot = strchr (attr, '.');
      length = dot ? (gsize) (dot - attr) : strlen (attr);
      if (!is_identifier (attr, length))
        return FALSE;
      for (guint e = 0; e < object->n_edges && !followed; e++)
        if (object->edges[e].kind == HS_EDGE_ATTR && object->edges[e].label != NULL &&
            strncmp (object->edges[e].label, attr, length) == 0 &&
            object->edges[e].label[length] == '\0')
          {
            object = hs_snapshot_lookup (snapshot, object->edges[e].target);
            followed = object != NULL;
          }
      if (!followed)
        return FALSE;
    }

  if (ref != NULL)
    *ref = object->ref;
  return TRUE;
}

/* The link target of an object in a note's markup, and back */
#define LINK_PREFIX "heapscope-object:"

gboolean
hs_lesson_parse_link (const char *uri,
                      guint32    *ref)
{
  guint64 number;

  g_return_val_if_fail (uri != NULL, FALSE);

  if (!g_str_has_prefix (uri, LINK_PREFIX) ||
      !g_ascii_string_to_unsigned (uri + strlen (LINK_PREFIX), 10, 1, G_MAXUINT32, &number, NULL))
    return FALSE;
  if (ref != NULL)
    *ref = (guint32) number;
  return TRUE;
}

/* Whether code in a note names an object of snapshot, where it still
 * names what it named in written (see hs_lesson_markup_at()) */
static gboolean
note_names (const char *code,
            HsSnapshot *written,
            HsSnapshot *snapshot,
            guint32    *ref)
{
  guint32 meant = 0;

  return snapshot != NULL && hs_lesson_resolve_name (snapshot, code, ref) &&
         (written == NULL || written == snapshot ||
          (hs_lesson_resolve_name (written, code, &meant) && meant == *ref));
}

/* The objects a note names at this step, as hs_lesson_markup_at() links
 * them, appended to refs (guint32) */
void
hs_lesson_note_refs (const char *note,
                     HsSnapshot *written,
                     HsSnapshot *snapshot,
                     GArray     *refs)
{
  g_auto(GStrv) parts = NULL;

  g_return_if_fail (note != NULL);
  g_return_if_fail (refs != NULL);

  parts = g_strsplit (note, "`", -1);
  for (guint i = 1; parts[i] != NULL && parts[i + 1] != NULL; i += 2)
    {
      guint32 ref;

      if (note_names (parts[i], written, snapshot, &ref))
        g_array_append_val (refs, ref);
    }
}

/* Pango markup for a note: text between backquotes is code.  With a
 * snapshot, code that names an object of the step shown (see
 * hs_lesson_resolve_name()) is a link to it, so the learner can bring
 * into view what the note talks about, wherever the camera is.
 *
 * A note stays up for the steps after the one it was written for, where
 * a name may mean something else: scopes' note on `count` in shadow()
 * is still shown once shadow() has returned, when `count` is the
 * global.  With `written`, the snapshot of the step the note came up
 * at, a name links only where it still names the object it named there. */
char *
hs_lesson_markup_at (const char *note,
                     HsSnapshot *written,
                     HsSnapshot *snapshot)
{
  g_auto(GStrv) parts = NULL;
  GString *out;

  g_return_val_if_fail (note != NULL, NULL);

  parts = g_strsplit (note, "`", -1);
  out = g_string_new (NULL);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (parts[i], -1);
      guint32 ref;

      /* Odd parts are inside backquotes, unless the last quote is unpaired. */
      if (i % 2 == 1 && parts[i + 1] != NULL)
        {
          if (note_names (parts[i], written, snapshot, &ref))
            {
              /* Translators: the tooltip of a name in a lesson's note, e.g. "Show total in the graph" */
              g_autofree char *tooltip = g_strdup_printf (_("Show %s in the graph"), parts[i]);
              /* The title is markup itself, inside an attribute: escaped twice */
              g_autofree char *tooltip_markup = g_markup_escape_text (tooltip, -1);
              g_autofree char *title = g_markup_escape_text (tooltip_markup, -1);

              g_string_append_printf (out, "<a href=\"" LINK_PREFIX "%u\" title=\"%s\"><tt>%s</tt></a>",
                                      ref, title, escaped);
            }
          else
            g_string_append_printf (out, "<tt>%s</tt>", escaped);
        }
      else
        {
          if (i % 2 == 1)
            g_string_append_c (out, '`');
          g_string_append (out, escaped);
        }
    }
  return g_string_free (out, FALSE);
}

/* Pango markup for a note, without links */
char *
hs_lesson_markup (const char *note)
{
  g_return_val_if_fail (note != NULL, NULL);

  return hs_lesson_markup_at (note, NULL, NULL);
}
