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
      guint64 number;

      if (!g_markup_collect_attributes (element, names, values, error,
                                        G_MARKUP_COLLECT_STRING, "id", &id,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL, "order", &order,
                                        G_MARKUP_COLLECT_INVALID))
        return;
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

/* Which names a function of the lesson's program owns.  A frame's
 * variables list only the names bound at that step, but Python fixes a
 * name's scope when it compiles the function: a name the function
 * assigns anywhere is its local from the first line on, and reading it
 * before it is bound raises UnboundLocalError, however the module binds
 * it.  The snapshot does not carry the code object's co_varnames, so
 * the scopes are read here from the program's text, the way the
 * compiler's symbol table reads them (a `match` statement's captures
 * are not read). */

/* One logical line: its physical lines joined, comments dropped, each
 * string literal one token "\"\"" */
typedef struct
{
  guint      first;     /* physical lines, from 1 */
  guint      last;
  guint      indent;
  GPtrArray *tokens;    /* char * */
} Statement;

static void
statement_free (gpointer data)
{
  Statement *statement = data;

  g_ptr_array_unref (statement->tokens);
  g_free (statement);
}

static const char * const operators[] = {
  "**=", "//=", ">>=", "<<=", "...",
  "**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
  "@=", "->", ":=", "<<", ">>",
};

static gboolean
is_string_prefix (const char *start,
                  gsize       length)
{
  static const char * const prefixes[] = { "r", "u", "b", "f", "br", "rb", "fr", "rf" };

  g_assert (start != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (length == strlen (prefixes[i]) && g_ascii_strncasecmp (start, prefixes[i], length) == 0)
      return TRUE;
  return FALSE;
}

/* The program's logical lines, in order */
static GPtrArray *
read_statements (const char *code)
{
  GPtrArray *statements = g_ptr_array_new_with_free_func (statement_free);
  Statement *current = NULL;
  const char *p = code;
  guint line = 1, indent = 0;
  gboolean line_start = TRUE;
  int depth = 0;

  g_assert (code != NULL);

  while (*p != '\0')
    {
      const char *start = p;
      char *token = NULL;

      if (line_start)
        {
          for (indent = 0; *p == ' ' || *p == '\t'; p++)
            indent = *p == '\t' ? (indent / 8 + 1) * 8 : indent + 1;
          line_start = FALSE;
          continue;
        }
      if (*p == '\n')
        {
          if (current != NULL && depth == 0)
            g_ptr_array_add (statements, g_steal_pointer (&current));
          line++;
          p++;
          line_start = TRUE;
          continue;
        }
      if (*p == '\\' && p[1] == '\n')
        {
          line++;
          p += 2;
          continue;
        }
      if (*p == '#')
        {
          while (*p != '\0' && *p != '\n')
            p++;
          continue;
        }
      if (g_ascii_isspace (*p))
        {
          p++;
          continue;
        }

      if (g_ascii_isalpha (*p) || *p == '_' || (guchar) *p >= 0x80)
        {
          while (g_ascii_isalnum (*p) || *p == '_' || (guchar) *p >= 0x80)
            p++;
          if ((*p == '\'' || *p == '"') && is_string_prefix (start, p - start))
            start = p;
          else
            token = g_strndup (start, p - start);
        }
      else if (g_ascii_isdigit (*p) || (*p == '.' && g_ascii_isdigit (p[1])))
        {
          while (g_ascii_isalnum (*p) || *p == '.' || *p == '_')
            p++;
          token = g_strdup ("0");
        }
      else if (*p != '\'' && *p != '"')
        {
          for (guint i = 0; i < G_N_ELEMENTS (operators) && token == NULL; i++)
            if (strncmp (p, operators[i], strlen (operators[i])) == 0)
              token = g_strdup (operators[i]);
          if (token == NULL)
            token = g_strndup (p, 1);
          p += strlen (token);
          if (strchr ("([{", *token))
            depth++;
          else if (strchr (")]}", *token) && depth > 0)
            depth--;
        }

      if (token == NULL && (*p == '\'' || *p == '"'))
        {
          char quote = *p;
          gboolean triple = p[1] == quote && p[2] == quote;

          p += triple ? 3 : 1;
          while (*p != '\0')
            {
              if (*p == '\\' && p[1] != '\0')
                {
                  line += p[1] == '\n';
                  p += 2;
                  continue;
                }
              if (*p == quote && (!triple || (p[1] == quote && p[2] == quote)))
                {
                  p += triple ? 3 : 1;
                  break;
                }
              if (*p == '\n' && !triple)
                break;
              line += *p == '\n';
              p++;
            }
          token = g_strdup ("\"\"");
        }
      if (token == NULL)
        continue;

      if (current == NULL)
        {
          current = g_new0 (Statement, 1);
          current->first = line;
          current->indent = indent;
          current->tokens = g_ptr_array_new_with_free_func (g_free);
        }
      current->last = line;
      g_ptr_array_add (current->tokens, token);
    }
  if (current != NULL)
    g_ptr_array_add (statements, current);
  return statements;
}

static gboolean
is_keyword (const char *token)
{
  static const char * const keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break",
    "class", "continue", "def", "del", "elif", "else", "except", "finally", "for",
    "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
    "pass", "raise", "return", "try", "while", "with", "yield", NULL,
  };

  g_assert (token != NULL);

  return g_strv_contains (keywords, token);
}

static gboolean
is_name_token (const char *token)
{
  g_assert (token != NULL);

  return is_identifier (token, strlen (token)) && !is_keyword (token);
}

/* The names a function or class binds, and what it declares */
typedef struct
{
  gboolean    is_class;
  GHashTable *bound;        /* assigned, imported, defined, deleted, parameters */
  GHashTable *globals;      /* declared global */
  GHashTable *nonlocals;    /* declared nonlocal */
  GHashTable *used;         /* every name its text, nested functions' too, reads or binds */
  GHashTable *bound_at;     /* a class's: name -> the last line of its first binding statement */
} Scope;

static void
scope_free (Scope *scope)
{
  g_hash_table_unref (scope->bound);
  g_hash_table_unref (scope->globals);
  g_hash_table_unref (scope->nonlocals);
  g_hash_table_unref (scope->used);
  g_clear_pointer (&scope->bound_at, g_hash_table_unref);
  g_free (scope);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scope, scope_free)

#define TOKEN(statement, i) ((const char *) g_ptr_array_index ((statement)->tokens, (i)))

/* The bracket that closes `token`, or NULL when it opens none */
static const char *
closing (const char *token)
{
  g_assert (token != NULL);

  if (g_str_equal (token, "("))
    return ")";
  if (g_str_equal (token, "["))
    return "]";
  if (g_str_equal (token, "{"))
    return "}";
  return NULL;
}

/* Where a token's depth in brackets is 0, from `from` on: the first
 * index in [from, to) whose token is `token`, or `to` */
static guint
find_outside_brackets (const Statement *statement,
                       guint            from,
                       guint            to,
                       const char      *token)
{
  int depth = 0;

  g_assert (statement != NULL && token != NULL && to <= statement->tokens->len);

  for (guint i = from; i < to; i++)
    {
      const char *t = TOKEN (statement, i);

      if (depth == 0 && g_str_equal (t, token))
        return i;
      if (strchr ("([{", *t) && t[1] == '\0')
        depth++;
      else if (strchr (")]}", *t) && t[1] == '\0' && depth > 0)
        depth--;
    }
  return to;
}

/* The plain names an assignment target binds: a, b in `a, (b, *c) =`
 * and [a, b], not those of x[i], x.y or f(x).  A bracket opened right
 * after a name, a closing bracket or a string subscripts or calls. */
static void
bind_targets (Scope           *scope,
              const Statement *statement,
              guint            from,
              guint            to)
{
  g_autoptr(GArray) displays = g_array_new (FALSE, FALSE, sizeof (gboolean));
  guint n_calls = 0;

  g_assert (scope != NULL && statement != NULL && to <= statement->tokens->len);

  for (guint i = from; i < to; i++)
    {
      const char *t = TOKEN (statement, i);
      const char *before = i > from ? TOKEN (statement, i - 1) : "";
      const char *after = i + 1 < to ? TOKEN (statement, i + 1) : "";

      if (strchr ("([{", *t) && t[1] == '\0')
        {
          gboolean call = is_name_token (before) || g_str_equal (before, ")") ||
                          g_str_equal (before, "]") || g_str_equal (before, "\"\"");

          g_array_append_val (displays, call);
          n_calls += call;
        }
      else if (strchr (")]}", *t) && t[1] == '\0' && displays->len > 0)
        {
          n_calls -= g_array_index (displays, gboolean, displays->len - 1);
          g_array_set_size (displays, displays->len - 1);
        }
      else if (n_calls == 0 && is_name_token (t) && !g_str_equal (before, ".") &&
               !g_str_equal (after, ".") && !g_str_equal (after, "(") && !g_str_equal (after, "["))
        g_hash_table_add (scope->bound, g_strdup (t));
    }
}

static void read_statement (Scope           *scope,
                            const Statement *statement,
                            guint            from,
                            guint            to);

/* The statement after a compound header's colon, on the same line */
static void
read_after_colon (Scope           *scope,
                  const Statement *statement,
                  guint            from,
                  guint            to)
{
  guint colon = find_outside_brackets (statement, from, to, ":");

  g_assert (scope != NULL && statement != NULL);

  if (colon + 1 < to)
    read_statement (scope, statement, colon + 1, to);
}

/* What one simple statement, or a compound one's header, binds */
static void
read_statement (Scope           *scope,
                const Statement *statement,
                guint            from,
                guint            to)
{
  const char *first;
  guint semicolon = find_outside_brackets (statement, from, to, ";");

  g_assert (scope != NULL && statement != NULL && to <= statement->tokens->len);

  if (semicolon < to)
    {
      read_statement (scope, statement, from, semicolon);
      read_statement (scope, statement, semicolon + 1, to);
      return;
    }
  if (from >= to)
    return;

  /* An assignment expression binds in the function, even in a comprehension */
  for (guint i = from; i + 1 < to; i++)
    if (g_str_equal (TOKEN (statement, i + 1), ":=") && is_name_token (TOKEN (statement, i)))
      g_hash_table_add (scope->bound, g_strdup (TOKEN (statement, i)));

  first = TOKEN (statement, from);
  if (g_str_equal (first, "async") && from + 1 < to)
    first = TOKEN (statement, ++from);

  if (g_str_equal (first, "global") || g_str_equal (first, "nonlocal"))
    {
      GHashTable *declared = g_str_equal (first, "global") ? scope->globals : scope->nonlocals;

      for (guint i = from + 1; i < to; i++)
        if (is_name_token (TOKEN (statement, i)))
          g_hash_table_add (declared, g_strdup (TOKEN (statement, i)));
    }
  else if (g_str_equal (first, "import") || g_str_equal (first, "from"))
    {
      guint item = (g_str_equal (first, "from") ? find_outside_brackets (statement, from, to, "import") : from) + 1;

      /* import a.b, c as d: binds a and d; from m import (x, y as z): x and z */
      if (item < to && g_str_equal (TOKEN (statement, item), "("))
        {
          item++;
          to = find_outside_brackets (statement, item, to, ")");
        }
      while (item < to)
        {
          guint end = find_outside_brackets (statement, item, to, ",");
          guint as = find_outside_brackets (statement, item, end, "as");

          if (as + 1 < end && is_name_token (TOKEN (statement, as + 1)))
            g_hash_table_add (scope->bound, g_strdup (TOKEN (statement, as + 1)));
          else if (as == end && is_name_token (TOKEN (statement, item)))
            g_hash_table_add (scope->bound, g_strdup (TOKEN (statement, item)));
          item = end + 1;
        }
    }
  else if (g_str_equal (first, "def") || g_str_equal (first, "class"))
    {
      if (from + 1 < to && is_name_token (TOKEN (statement, from + 1)))
        g_hash_table_add (scope->bound, g_strdup (TOKEN (statement, from + 1)));
    }
  else if (g_str_equal (first, "for"))
    {
      bind_targets (scope, statement, from + 1, find_outside_brackets (statement, from + 1, to, "in"));
      read_after_colon (scope, statement, from, to);
    }
  else if (g_str_equal (first, "with") || g_str_equal (first, "except"))
    {
      guint colon = find_outside_brackets (statement, from, to, ":");

      for (guint i = from + 1; i < colon; i++)
        if (g_str_equal (TOKEN (statement, i), "as"))
          {
            guint end = find_outside_brackets (statement, i + 1, colon, ",");

            bind_targets (scope, statement, i + 1, end);
          }
      read_after_colon (scope, statement, from, to);
    }
  else if (g_str_equal (first, "if") || g_str_equal (first, "elif") || g_str_equal (first, "else") ||
           g_str_equal (first, "while") || g_str_equal (first, "try") || g_str_equal (first, "finally"))
    read_after_colon (scope, statement, from, to);
  else if (g_str_equal (first, "del"))
    bind_targets (scope, statement, from + 1, to);
  else if ((g_str_equal (first, "match") || g_str_equal (first, "case")) && from + 1 < to &&
           g_str_equal (TOKEN (statement, to - 1), ":"))
    ;  /* the soft keywords' compound statements: captures are not read */
  else if (!is_keyword (first) && !g_str_equal (first, "@"))
    {
      guint lambda = find_outside_brackets (statement, from, to, "lambda");
      guint target = from;

      /* a = b = value, a += 1, a: int = 1; a lambda's defaults bind nothing */
      for (guint i = from; i < lambda; i++)
        {
          const char *t = TOKEN (statement, i);
          gsize length = strlen (t);

          if (closing (t) != NULL)
            i = find_outside_brackets (statement, i + 1, lambda, closing (t));
          else if (g_str_equal (t, "=") ||
                   (length >= 2 && t[length - 1] == '=' && !g_str_equal (t, "==") &&
                    !g_str_equal (t, "!=") && !g_str_equal (t, "<=") && !g_str_equal (t, ">=") &&
                    !g_str_equal (t, ":=")))
            {
              bind_targets (scope, statement, target, i);
              target = i + 1;
            }
          else if (g_str_equal (t, ":") && target == from)
            {
              bind_targets (scope, statement, from, i);
              break;
            }
        }
    }
}

/* The index of the token naming a def or class header, or 0 */
static guint
header_name (const Statement *statement,
             gboolean        *is_class)
{
  guint i = 0;

  g_assert (statement != NULL);

  if (statement->tokens->len > 1 && g_str_equal (TOKEN (statement, 0), "async"))
    i = 1;
  if (i + 1 >= statement->tokens->len ||
      !(g_str_equal (TOKEN (statement, i), "def") || g_str_equal (TOKEN (statement, i), "class")) ||
      !is_name_token (TOKEN (statement, i + 1)))
    return 0;
  if (is_class != NULL)
    *is_class = g_str_equal (TOKEN (statement, i), "class");
  return i + 1;
}

/* The index after the last statement of the block the header at index
 * `header` opens */
static guint
block_end (GPtrArray *statements,
           guint      header)
{
  const Statement *opening = g_ptr_array_index (statements, header);
  guint end = header + 1;

  g_assert (statements != NULL && header < statements->len);

  while (end < statements->len &&
         ((Statement *) g_ptr_array_index (statements, end))->indent > opening->indent)
    end++;
  return end;
}

/* The def or class header whose block, decorators included, holds line
 * and whose name is the last part of qualname; the innermost such; -1
 * for none (a lambda's or a comprehension's code has no header). */
static int
find_block (GPtrArray  *statements,
            const char *qualname,
            guint       line)
{
  const char *dot = strrchr (qualname, '.');
  const char *name = dot ? dot + 1 : qualname;
  int found = -1;

  g_assert (statements != NULL && qualname != NULL);

  for (guint i = 0; i < statements->len; i++)
    {
      const Statement *header = g_ptr_array_index (statements, i);
      guint at = header_name (header, NULL);
      guint first = header->first, end;

      if (at == 0 || !g_str_equal (TOKEN (header, at), name))
        continue;
      for (guint d = i; d > 0; d--)
        {
          const Statement *decorator = g_ptr_array_index (statements, d - 1);

          if (decorator->indent != header->indent || !g_str_equal (TOKEN (decorator, 0), "@"))
            break;
          first = decorator->first;
        }
      end = block_end (statements, i);
      if (line >= first && line <= ((Statement *) g_ptr_array_index (statements, end - 1))->last)
        found = (int) i;
    }
  return found;
}

/* What the block opened at `header` binds and declares */
static Scope *
read_scope (GPtrArray *statements,
            guint      header)
{
  const Statement *opening = g_ptr_array_index (statements, header);
  Scope *scope = g_new0 (Scope, 1);
  guint at = header_name (opening, &scope->is_class);
  guint end = block_end (statements, header);
  guint nested = G_MAXUINT;

  g_assert (statements != NULL && header < statements->len);

  scope->bound = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scope->globals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scope->nonlocals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scope->used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (scope->is_class)
    scope->bound_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Parameters: the names that open each item between the parentheses */
  if (!scope->is_class && at + 1 < opening->tokens->len && g_str_equal (TOKEN (opening, at + 1), "("))
    {
      guint close = find_outside_brackets (opening, at + 2, opening->tokens->len, ")");

      for (guint i = at + 2; i < close; i++)
        {
          const char *before = TOKEN (opening, i - 1);

          if (is_name_token (TOKEN (opening, i)) &&
              (g_str_equal (before, "(") || g_str_equal (before, ",") ||
               g_str_equal (before, "*") || g_str_equal (before, "**")))
            g_hash_table_add (scope->bound, g_strdup (TOKEN (opening, i)));
          if (closing (TOKEN (opening, i)) != NULL)
            i = find_outside_brackets (opening, i + 1, close, closing (TOKEN (opening, i)));
        }
    }

  for (guint s = header + 1; s < end; s++)
    {
      const Statement *statement = g_ptr_array_index (statements, s);

      for (guint i = 0; i < statement->tokens->len; i++)
        if (is_name_token (TOKEN (statement, i)) && (i == 0 || !g_str_equal (TOKEN (statement, i - 1), ".")))
          g_hash_table_add (scope->used, g_strdup (TOKEN (statement, i)));
      /* A nested function's or class's body is its own scope */
      if (statement->indent > nested)
        continue;
      nested = header_name (statement, NULL) != 0 ? statement->indent : G_MAXUINT;
      read_statement (scope, statement, 0, statement->tokens->len);
      if (scope->is_class)
        {
          GHashTableIter iter;
          gpointer name;

          g_hash_table_iter_init (&iter, scope->bound);
          while (g_hash_table_iter_next (&iter, &name, NULL))
            if (!g_hash_table_contains (scope->bound_at, name))
              g_hash_table_insert (scope->bound_at, g_strdup (name), GUINT_TO_POINTER (statement->last));
        }
    }
  return scope;
}

static gboolean
scope_owns (const Scope *scope,
            const char  *name)
{
  g_assert (scope != NULL && name != NULL);

  return (g_hash_table_contains (scope->bound, name) && !g_hash_table_contains (scope->globals, name)) ||
         g_hash_table_contains (scope->nonlocals, name);
}

/* Whether name, read in the function whose header is at `header`, is a
 * free variable: one an enclosing function owns (a class's names are
 * not seen from inside its methods). */
static gboolean
is_free (GPtrArray  *statements,
         guint       header,
         const char *name)
{
  guint indent = ((Statement *) g_ptr_array_index (statements, header))->indent;

  g_assert (statements != NULL && header < statements->len && name != NULL);

  for (guint i = header; i > 0; i--)
    {
      const Statement *outer = g_ptr_array_index (statements, i - 1);
      g_autoptr(Scope) scope = NULL;

      if (outer->indent >= indent)
        continue;
      indent = outer->indent;
      if (header_name (outer, NULL) == 0)
        continue;
      scope = read_scope (statements, i - 1);
      if (!scope->is_class && scope_owns (scope, name))
        return TRUE;
      if (g_hash_table_contains (scope->globals, name))
        return FALSE;
    }
  return FALSE;
}

/* The scope of a lambda's or a comprehension's code, which has no header
 * to find it by: the names that some lambda's parameters or some
 * comprehension's `for` bind, in the statement holding line (for all
 * of them, as the code object's name does not say which one runs). */
static Scope *
read_inline_scope (GPtrArray *statements,
                   guint      line,
                   int       *index)
{
  Scope *scope = g_new0 (Scope, 1);
  const Statement *statement = NULL;

  g_assert (statements != NULL && index != NULL);

  scope->bound = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scope->globals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scope->nonlocals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scope->used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  *index = -1;
  for (guint s = 0; s < statements->len && statement == NULL; s++)
    if (((Statement *) g_ptr_array_index (statements, s))->first <= line &&
        ((Statement *) g_ptr_array_index (statements, s))->last >= line)
      {
        statement = g_ptr_array_index (statements, s);
        *index = (int) s;
      }
  for (guint i = 0; statement != NULL && i < statement->tokens->len; i++)
    {
      const char *t = TOKEN (statement, i);

      if (is_name_token (t))
        g_hash_table_add (scope->used, g_strdup (t));
      if (g_str_equal (t, "for") && i > 0)
        bind_targets (scope, statement, i + 1, find_outside_brackets (statement, i + 1, statement->tokens->len, "in"));
      else if (g_str_equal (t, "lambda"))
        bind_targets (scope, statement, i + 1, find_outside_brackets (statement, i + 1, statement->tokens->len, ":"));
    }
  return scope;
}

/* A variable that a closure shares holds its cell, and the name means
 * what is in the cell: FALSE for an empty cell (the name is not bound
 * yet).  A plain local holding a cell object (fished out of a
 * __closure__) would read as its contents too, a price for not
 * carrying co_cellvars in the snapshot. */
static gboolean
read_var (HsSnapshot    *snapshot,
          const HsFrame *frame,
          const char    *name,
          gsize          length,
          guint32       *ref)
{
  const HsObject *object;

  g_assert (snapshot != NULL && frame != NULL && name != NULL && ref != NULL);

  if (!find_var (frame, name, length, ref) || (object = hs_snapshot_lookup (snapshot, *ref)) == NULL)
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
 * innermost frame runs, by Python's rule: a name the function owns is
 * its variable, bound or not; a free variable reads through its cell;
 * anything else is the module's global (builtins are not drawn).  In a
 * class body, the names it has bound are not in the snapshot.  Without
 * the program's statements, or for a function they do not show, only
 * the names the frame binds resolve. */
static gboolean
resolve_plain (HsSnapshot *snapshot,
               GPtrArray  *statements,
               const char *name,
               gsize       length,
               guint32    *ref)
{
  const HsFrame *frames, *frame, *module;
  g_autofree char *plain = g_strndup (name, length);
  g_autoptr(Scope) scope = NULL;
  const char *last;
  guint n_frames;
  int header = -1;

  g_assert (snapshot != NULL && name != NULL && ref != NULL);

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  if (n_frames == 0)
    return FALSE;
  /* Frames come outermost first: the module, then the calls */
  frame = &frames[n_frames - 1];
  module = g_str_equal (frames[0].function, "<module>") ? &frames[0] : NULL;
  if (frame == module)
    return find_var (module, name, length, ref);

  if (statements == NULL)
    return read_var (snapshot, frame, name, length, ref);
  last = strrchr (frame->function, '.');
  if ((last ? last + 1 : frame->function)[0] == '<')
    scope = read_inline_scope (statements, frame->line, &header);
  else if ((header = find_block (statements, frame->function, frame->line)) >= 0)
    scope = read_scope (statements, header);
  if (header < 0)
    return read_var (snapshot, frame, name, length, ref);

  if (scope->is_class)
    {
      /* A class body reads a name from its namespace, which the snapshot
       * does not show, once a statement binding it has run; before, from
       * the globals.  Its statements are taken to run in order. */
      gpointer at;
      gboolean ran = hs_snapshot_get_event (snapshot) == HS_EVENT_RETURN ||
                     hs_snapshot_get_event (snapshot) == HS_EVENT_EXCEPTION;

      if (!g_hash_table_contains (scope->globals, plain) &&
          g_hash_table_lookup_extended (scope->bound_at, plain, NULL, &at) &&
          (GPOINTER_TO_UINT (at) < frame->line || (ran && GPOINTER_TO_UINT (at) == frame->line)))
        return FALSE;
    }
  else if (scope_owns (scope, plain) ||
           (!g_hash_table_contains (scope->globals, plain) &&
            g_hash_table_contains (scope->used, plain) && is_free (statements, header, plain)))
    /* A free variable's slot is filled by the call's first instruction,
     * so at the call's own step it is not in the frame yet. */
    return read_var (snapshot, frame, name, length, ref);

  return module != NULL && find_var (module, name, length, ref);
}

/* As hs_lesson_resolve_name(), with the program read already */
static gboolean
resolve_name (HsSnapshot *snapshot,
              GPtrArray  *statements,
              const char *name,
              guint32    *ref)
{
  const HsObject *object;
  const char *dot;
  guint32 found;

  g_assert (snapshot != NULL && name != NULL);

  dot = strchr (name, '.');
  if (!is_identifier (name, dot ? (gsize) (dot - name) : strlen (name)) ||
      !resolve_plain (snapshot, statements, name, dot ? (gsize) (dot - name) : strlen (name), &found) ||
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

/* The object a name in a note stands for at this step: a plain name as
 * Python reads it where the innermost frame runs (see resolve_plain());
 * code, the program's text, tells which names each function owns.
 * "a.b" then follows the instance attribute b of a, as the snapshot
 * records it.  FALSE for anything else, such as `count += 1` or `a[0]`,
 * for a builtin, and for a name not bound at this step. */
gboolean
hs_lesson_resolve_name (HsSnapshot *snapshot,
                        const char *code,
                        const char *name,
                        guint32    *ref)
{
  g_autoptr(GPtrArray) statements = NULL;

  g_return_val_if_fail (snapshot != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (code != NULL)
    statements = read_statements (code);
  return resolve_name (snapshot, statements, name, ref);
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

/* Pango markup for a note: text between backquotes is code.  With a
 * snapshot, code that names an object of the step shown (see
 * hs_lesson_resolve_name(); `code` is the lesson's program) is a link
 * to it, so the learner can bring into view what the note talks about,
 * wherever the camera is.
 *
 * A note stays up for the steps after the one it was written for, where
 * a name may mean something else: scopes' note on `count` in shadow()
 * is still shown once shadow() has returned, when `count` is the
 * global.  With `written`, the snapshot of the step the note came up
 * at, a name links only where it still names the object it named there. */
char *
hs_lesson_markup_at (const char *note,
                     const char *code,
                     HsSnapshot *written,
                     HsSnapshot *snapshot)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) statements = NULL;
  GString *out;

  g_return_val_if_fail (note != NULL, NULL);

  if (code != NULL && snapshot != NULL)
    statements = read_statements (code);
  parts = g_strsplit (note, "`", -1);
  out = g_string_new (NULL);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (parts[i], -1);
      guint32 ref;

      /* Odd parts are inside backquotes, unless the last quote is unpaired. */
      if (i % 2 == 1 && parts[i + 1] != NULL)
        {
          guint32 meant = 0;

          if (snapshot != NULL && resolve_name (snapshot, statements, parts[i], &ref) &&
              (written == NULL || written == snapshot ||
               (resolve_name (written, statements, parts[i], &meant) && meant == ref)))
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

  return hs_lesson_markup_at (note, NULL, NULL, NULL);
}
