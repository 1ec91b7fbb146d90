/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The lessons, without widgets: each one loads, its snippet runs under the
 * real worker as under python3, every note is shown at some step, and the
 * fact each lesson teaches holds in the trace it draws.
 */
#define G_LOG_DOMAIN "heapscope-test-lessons"

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>
#include <gio/gio.h>

#include "hs-lesson.h"
#include "hs-ui-resources.h"
#include "hs-test-trace.h"

static const char * const lesson_ids[] = {
  "names", "refcounts", "reuse", "freeing", "mutable",
  "copies", "identity", "scopes", "alias_bugs", "buffers",
};

/* The first step after line `line` ran in `function` (NULL: any), the
 * `nth` time it did: what the learner sees once that line is done. */
static HsSnapshot *
after_line (HsTrace    *trace,
            guint       line,
            guint       nth)
{
  guint n = hs_trace_get_n_steps (trace);
  g_autoptr(HsSnapshot) previous = NULL;

  for (guint i = 0; i < n; i++)
    {
      HsSnapshot *snap = hs_trace_get_snapshot (trace, i);

      if (previous != NULL &&
          hs_snapshot_get_event (previous) == HS_EVENT_LINE &&
          hs_snapshot_get_line (previous) == line && nth-- == 0)
        return snap;
      g_clear_pointer (&previous, hs_snapshot_unref);
      previous = snap;
    }
  g_error ("no step after line %u", line);
}

/* What the step that led to this snapshot printed. */
static char *
printed (HsSnapshot *snap)
{
  GBytes *out = hs_snapshot_get_stdout (snap);

  if (out == NULL)
    return g_strdup ("");
  return g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
}

static HsLesson *
load (const char *id)
{
  g_autoptr(GError) error = NULL;
  HsLesson *lesson = hs_lesson_load (id, &error);

  g_assert_no_error (error);
  return lesson;
}

static HsTrace *
run_lesson (HsTraceFixture *f,
            HsLesson       *lesson)
{
  HsTrace *trace = hs_trace_fixture_run (f, hs_lesson_get_code (lesson));

  g_assert_cmpstr (hs_trace_get_status (trace), ==, "finished");
  return trace;
}

static void
test_list (void)
{
  g_autoptr(GPtrArray) lessons = hs_lesson_list_all ();

  /* Every lesson of the list, in teaching order. */
  g_assert_cmpuint (lessons->len, ==, G_N_ELEMENTS (lesson_ids));
  for (guint i = 0; i < lessons->len; i++)
    {
      HsLesson *lesson = g_ptr_array_index (lessons, i);

      g_assert_cmpstr (hs_lesson_get_id (lesson), ==, lesson_ids[i]);
      g_assert_nonnull (hs_lesson_get_title (lesson));
      g_assert_cmpuint (hs_lesson_get_n_notes (lesson), >=, 5);
    }
}

static void
test_bad_lessons (void)
{
  static const char * const bad[] = {
    "<lesson id='x'><title>T</title></lesson>",                                   /* no summary */
    "<lesson id='y'><title>T</title><summary>S</summary></lesson>",               /* wrong id */
    "<lesson id='x'><title>T</title><summary>S</summary><note>N</note></lesson>",  /* no condition */
    "<lesson id='x'><title>T</title><summary>S</summary><note line='0'>N</note></lesson>",
    "<lesson id='x'><title>T</title><summary>S</summary><note at='later'>N</note></lesson>",
    "<lesson id='x'><title>T</title><summary>S</summary><note line='1' after='1'>N</note></lesson>",
    "<lesson id='x'><title>T</title><summary>S</summary><hint>N</hint></lesson>",
    "<lesson id='x'><title>T",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsLesson) good = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(HsLesson) lesson = hs_lesson_new_from_data ("x", bad[i], -1, "", &error);

      g_assert_null (lesson);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }

  good = hs_lesson_new_from_data ("x", "<lesson id='x'><title>T</title><summary> S \n  s </summary>"
                                  "<note after='2'>A\n   `b`</note></lesson>", -1, "", &error);
  g_assert_no_error (error);
  /* Spaces collapse as xgettext collapses them, so translations are found. */
  g_assert_cmpstr (hs_lesson_get_summary (good), ==, "S s");
  g_assert_cmpstr (hs_lesson_get_note (good, 0, NULL, NULL), ==, "A `b`");
  g_assert_null (hs_lesson_load ("no-such-lesson", &error));
  g_assert_error (error, HS_LESSON_ERROR, HS_LESSON_ERROR_NOT_FOUND);
}

static gboolean
is_hindi (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_DEVANAGARI)
      return TRUE;
  return FALSE;
}

/* Every title, summary and note of every lesson has its Hindi
 * translation, found through the message ids xgettext extracted. */
static void
test_hindi (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GPtrArray) lessons = NULL;

      g_setenv ("LANGUAGE", "hi", TRUE);
      setlocale (LC_ALL, "C.UTF-8");
      bindtextdomain (GETTEXT_PACKAGE, HS_TEST_LOCALE_DIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      lessons = hs_lesson_list_all ();
      g_assert_cmpuint (lessons->len, ==, G_N_ELEMENTS (lesson_ids));
      for (guint i = 0; i < lessons->len; i++)
        {
          HsLesson *lesson = g_ptr_array_index (lessons, i);

          g_assert_true (is_hindi (hs_lesson_get_title (lesson)));
          g_assert_true (is_hindi (hs_lesson_get_summary (lesson)));
          for (guint n = 0; n < hs_lesson_get_n_notes (lesson); n++)
            if (!is_hindi (hs_lesson_get_note (lesson, n, NULL, NULL)))
              g_error ("note %u of %s is not translated: %s", n, hs_lesson_get_id (lesson),
                       hs_lesson_get_note (lesson, n, NULL, NULL));
        }
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_markup (void)
{
  g_autofree char *code = hs_lesson_markup ("After `del a, b` no <name>");
  g_autofree char *unpaired = hs_lesson_markup ("a `b` c `d");

  g_assert_cmpstr (code, ==, "After <tt>del a, b</tt> no &lt;name&gt;");
  g_assert_cmpstr (unpaired, ==, "a <tt>b</tt> c `d");
}

/* A link of a note's markup: the ref its target names, and its text */
typedef struct
{
  guint32  ref;
  char    *text;
} Link;

static void
link_clear (gpointer data)
{
  g_free (((Link *) data)->text);
}

typedef struct
{
  GArray  *links;     /* Link */
  GString *text;      /* of the link open now */
  gboolean in_link;
} LinkScan;

static void
scan_start (GMarkupParseContext  *context,
            const char           *element,
            const char          **names,
            const char          **values,
            gpointer              user_data,
            GError              **error)
{
  LinkScan *scan = user_data;
  Link link = { 0 };
  const char *href = NULL;

  if (!g_str_equal (element, "a"))
    return;
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], "href"))
      href = values[i];
  g_assert_nonnull (href);
  g_assert_true (hs_lesson_parse_link (href, &link.ref));
  g_array_append_val (scan->links, link);
  g_string_truncate (scan->text, 0);
  scan->in_link = TRUE;
}

static void
scan_end (GMarkupParseContext  *context,
          const char           *element,
          gpointer              user_data,
          GError              **error)
{
  LinkScan *scan = user_data;

  if (!g_str_equal (element, "a"))
    return;
  g_array_index (scan->links, Link, scan->links->len - 1).text = g_strdup (scan->text->str);
  scan->in_link = FALSE;
}

static void
scan_text (GMarkupParseContext  *context,
           const char           *text,
           gsize                 length,
           gpointer              user_data,
           GError              **error)
{
  LinkScan *scan = user_data;

  if (scan->in_link)
    g_string_append_len (scan->text, text, length);
}

/* The links of a note's markup, read as GtkLabel reads them */
static GArray *
scan_links (const char *markup)
{
  static const GMarkupParser parser = { scan_start, scan_end, scan_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autofree char *wrapped = g_strdup_printf ("<markup>%s</markup>", markup);
  g_autoptr(GError) error = NULL;
  LinkScan scan = { g_array_new (FALSE, TRUE, sizeof (Link)), g_string_new (NULL), FALSE };

  g_array_set_clear_func (scan.links, link_clear);
  context = g_markup_parse_context_new (&parser, 0, &scan, NULL);
  g_markup_parse_context_parse (context, wrapped, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_string_free (scan.text, TRUE);
  return scan.links;
}

/* What each quoted name means at each step, asked of python3 itself:
 * the program runs under sys.settrace, and at each event of its file the
 * script reads every name as the interpreter would at that point.  The
 * compiler's own lists (co_varnames, co_cellvars, co_freevars) say
 * whether a name is the function's; then the frame's locals, the
 * globals, the builtins.  From 3.12 on (PEP 709) a comprehension runs
 * inlined in its function's or module's frame: in a function its
 * variable has a slot in co_varnames, yet outside the comprehension the
 * name keeps its meaning there (a global, say), which the compiler's
 * symbol table tells (the symtable module: the function's symbol is only
 * a comprehension's iteration variable); in a module or class body,
 * frame.f_locals is a copy holding the comprehension's variables while it
 * runs, not the globals.  It prints a line per step ("S", event, line,
 * function) and one per name ("N", name, how it is bound, its type and,
 * for an int, its repr).  Nothing here shares the app's rule. */
static const char oracle_script[] =
  "import builtins\n"
  "import symtable\n"
  "import sys\n"
  "\n"
  "program, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]\n"
  "lines = []\n"
  "DEF_COMP_ITER = 2 << 8  # Include/internal/pycore_symtable.h, 3.11 to 3.13\n"
  "tables = []\n"
  "\n"
  "\n"
  "def gather(table):\n"
  "    for child in table.get_children():\n"
  "        if child.get_type() == \"function\":\n"
  "            tables.append(child)\n"
  "        gather(child)\n"
  "\n"
  "\n"
  "def comprehension_only(code, name):\n"
  "    # the function's table: its name, at its def line (after any decorators)\n"
  "    found = [t for t in tables if t.get_name() == code.co_name and t.get_lineno() >= code.co_firstlineno]\n"
  "    if not found:\n"
  "        return False\n"
  "    table = min(found, key=lambda t: t.get_lineno())\n"
  "    if name not in table.get_identifiers():\n"
  "        return True\n"
  "    # the function's own name is a local of its table; a name bound only\n"
  "    # by a comprehension keeps the outside meaning (a global, say), or is\n"
  "    # copied into the function's table as a comprehension's variable\n"
  "    symbol = table.lookup(name)\n"
  "    return not symbol.is_local() or (symbol._Symbol__flags & DEF_COMP_ITER) != 0\n"
  "\n"
  "\n"
  "def meaning(frame, name):\n"
  "    code = frame.f_code\n"
  "    if code.co_flags & 0x1:  # CO_OPTIMIZED: a function, whose compiler fixed its names' scopes\n"
  "        if name in code.co_cellvars or name in code.co_freevars:\n"
  "            kind = \"cell\"\n"
  "        elif name in code.co_varnames and comprehension_only(code, name):\n"
  "            kind = None\n"
  "            if name in frame.f_locals:  # while the comprehension runs\n"
  "                return \"local\", frame.f_locals[name]\n"
  "        elif name in code.co_varnames:\n"
  "            kind = \"local\"\n"
  "        else:\n"
  "            kind = None\n"
  "        if kind is not None:\n"
  "            if name in frame.f_locals:\n"
  "                return kind, frame.f_locals[name]\n"
  "            return \"unbound\", None\n"
  "    elif code is not program_code and frame.f_locals is not frame.f_globals and name in frame.f_locals:\n"
  "        return \"class\", frame.f_locals[name]\n"
  "    elif code is program_code and frame.f_locals is not frame.f_globals and name in frame.f_locals and \\\n"
  "            (name not in frame.f_globals or frame.f_locals[name] is not frame.f_globals[name]):\n"
  "        return \"local\", frame.f_locals[name]\n"
  "    if name in frame.f_globals:\n"
  "        return \"global\", frame.f_globals[name]\n"
  "    if hasattr(builtins, name):\n"
  "        return \"builtin\", None\n"
  "    return \"unbound\", None\n"
  "\n"
  "\n"
  "def record(frame, event):\n"
  "    lines.append(\"S\\t%s\\t%d\\t%s\" % (event, frame.f_lineno, frame.f_code.co_qualname))\n"
  "    for name in names:\n"
  "        kind, value = meaning(frame, name)\n"
  "        shown = repr(value) if type(value) is int else \"-\"\n"
  "        lines.append(\"N\\t%s\\t%s\\t%s\\t%s\" % (name, kind, type(value).__name__, shown))\n"
  "\n"
  "\n"
  "def local(frame, event, arg):\n"
  "    record(frame, event)\n"
  "    return local\n"
  "\n"
  "\n"
  "def tracer(frame, event, arg):\n"
  "    if frame.f_code.co_filename != program:\n"
  "        return None\n"
  "    record(frame, event)\n"
  "    return local\n"
  "\n"
  "\n"
  "with open(program) as f:\n"
  "    source = f.read()\n"
  "program_code = compile(source, program, \"exec\")\n"
  "gather(symtable.symtable(source, program, \"exec\"))\n"
  "sys.settrace(tracer)\n"
  "try:\n"
  "    exec(program_code, {\"__name__\": \"__main__\", \"__builtins__\": builtins, \"__file__\": program})\n"
  "finally:\n"
  "    sys.settrace(None)\n"
  "    with open(out, \"w\") as f:\n"
  "        f.write(\"\\n\".join(lines) + \"\\n\")\n";

/* How python3 read a name at one step */
typedef struct
{
  char *kind;       /* local, cell, global, class, builtin or unbound */
  char *type;
  char *int_repr;   /* "-" unless an int */
} Meaning;

typedef struct
{
  char       *event;
  guint       line;
  char       *function;
  GHashTable *names;  /* name -> Meaning */
} OracleStep;

static void
meaning_free (gpointer data)
{
  Meaning *m = data;

  g_free (m->kind);
  g_free (m->type);
  g_free (m->int_repr);
  g_free (m);
}

static void
oracle_step_free (gpointer data)
{
  OracleStep *step = data;

  g_free (step->event);
  g_free (step->function);
  g_hash_table_unref (step->names);
  g_free (step);
}

static const char *
event_name (HsEvent event)
{
  switch (event)
    {
    case HS_EVENT_LINE: return "line";
    case HS_EVENT_CALL: return "call";
    case HS_EVENT_RETURN: return "return";
    case HS_EVENT_EXCEPTION: return "exception";
    case HS_EVENT_END: return "end";
    default: g_assert_not_reached ();
    }
}

/* python3's reading of names at every event of the program the fixture
 * ran last (f->path), one OracleStep per step of the trace but the end. */
static GPtrArray *
ask_python (HsTraceFixture *f,
            GStrv           names)
{
  g_autofree char *script = hs_trace_fixture_write (f, "oracle.py", oracle_script);
  g_autofree char *out = g_build_filename (f->tmpdir, "oracle.txt", NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *steps = g_ptr_array_new_with_free_func (oracle_step_free);
  OracleStep *step = NULL;
  int status;

  g_assert_nonnull (g_getenv ("HEAPSCOPE_PYTHON"));
  g_strv_builder_add_many (builder, g_getenv ("HEAPSCOPE_PYTHON"), script, f->path, out, NULL);
  g_strv_builder_addv (builder, (const char **) names);
  argv = g_strv_builder_end (builder);
  g_assert_true (g_spawn_sync (f->tmpdir, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, hs_test_python_child_setup, NULL,
                               NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("the python3 oracle failed: %s", err);
  g_file_get_contents (out, &text, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      if (fields[0] == NULL)
        continue;
      if (g_str_equal (fields[0], "S"))
        {
          g_assert_cmpuint (g_strv_length (fields), ==, 4);
          step = g_new0 (OracleStep, 1);
          step->event = g_strdup (fields[1]);
          step->line = (guint) g_ascii_strtoull (fields[2], NULL, 10);
          step->function = g_strdup (fields[3]);
          step->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, meaning_free);
          g_ptr_array_add (steps, step);
        }
      else
        {
          Meaning *m = g_new0 (Meaning, 1);

          g_assert_cmpstr (fields[0], ==, "N");
          g_assert_cmpuint (g_strv_length (fields), ==, 5);
          g_assert_nonnull (step);
          m->kind = g_strdup (fields[2]);
          m->type = g_strdup (fields[3]);
          m->int_repr = g_strdup (fields[4]);
          g_hash_table_insert (step->names, g_strdup (fields[1]), m);
        }
    }
  return steps;
}

/* Whether the snapshot's type name (the type's tp_name) is the one python3
 * printed (its __name__): tp_name may carry the module, as 3.12's
 * "_io.TextIOWrapper" does. */
static gboolean
same_type_name (const char *snapshot_type,
                const char *python_type)
{
  const char *dot;

  if (snapshot_type == NULL)
    return FALSE;
  dot = strrchr (snapshot_type, '.');
  return g_str_equal (snapshot_type, python_type) || (dot != NULL && g_str_equal (dot + 1, python_type));
}

/* The ref of the object python3 says a plain name means at this step,
 * found where the snapshot keeps that binding: a local in the running
 * frame's variables, a cell's contents, a global in the module's; 0 when
 * python3 says it is unbound there, a builtin, or a class body's name
 * (the snapshot does not read class bodies).  A local of the module is
 * the variable of a comprehension inlined in it (3.12 on), which the
 * module's frame lists before its globals.  The object's type, and an
 * int's value, must be what python3 saw. */
static guint32
python_reads (HsSnapshot       *snap,
              const OracleStep *step,
              const char       *name)
{
  const Meaning *m = g_hash_table_lookup (step->names, name);
  guint n_frames;
  const HsFrame *frames = hs_snapshot_get_frames (snap, &n_frames);
  const HsFrame *frame;
  const HsObject *object;
  guint32 ref = 0;

  g_assert_nonnull (m);
  g_assert_cmpuint (n_frames, >, 0);
  if (g_str_equal (m->kind, "global"))
    frame = &frames[0];
  else if (g_str_equal (m->kind, "local") || g_str_equal (m->kind, "cell"))
    frame = &frames[n_frames - 1];
  else
    return 0;
  for (guint v = 0; v < frame->n_vars && ref == 0; v++)
    if (g_str_equal (frame->vars[v].name, name))
      ref = frame->vars[v].ref;
  /* A free variable's slot is filled by the function's first
   * instruction, after its call event: the snapshot cannot show it yet.
   * Any other binding python3 sees must be in the snapshot. */
  if (ref == 0 && g_str_equal (m->kind, "cell") && hs_snapshot_get_event (snap) == HS_EVENT_CALL)
    return 0;
  if (ref == 0 || (object = hs_snapshot_lookup (snap, ref)) == NULL)
    g_error ("step %u: python3 reads `%s` as a bound %s (%s), the snapshot has no such variable there",
             hs_snapshot_get_index (snap), name, m->kind, m->type);
  /* A captured variable's slot holds its cell once the cell is made */
  if (g_str_equal (m->kind, "cell") && g_str_equal (object->type, "cell"))
    {
      ref = 0;
      for (guint e = 0; e < object->n_edges; e++)
        if (object->edges[e].kind == HS_EDGE_CONTENTS)
          ref = object->edges[e].target;
      if (ref == 0 || (object = hs_snapshot_lookup (snap, ref)) == NULL)
        return 0;
    }
  if (!same_type_name (object->type, m->type) ||
      (!g_str_equal (m->int_repr, "-") && g_strcmp0 (object->repr, m->int_repr) != 0))
    g_error ("step %u: python3 reads `%s` as %s %s %s, the snapshot has %s %s there",
             hs_snapshot_get_index (snap), name, m->kind, m->type, m->int_repr,
             object->type, object->repr);
  return ref;
}

static gboolean
is_plain_name (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("^[A-Za-z_][A-Za-z_0-9]*$", 0, 0, NULL);

  return g_regex_match (regex, text, 0, NULL);
}

/* A name resolves to the local before the global of the same name, a
 * name no frame binds stays plain text, and so does code that is not a
 * name; the rest of the note is escaped. */
static void
test_markup_links (HsTraceFixture *f,
                   gconstpointer   data)
{
  static const char program[] =
    "n = [1]\n"
    "items = [n]\n"
    "def g(arg):\n"
    "    n = (2, arg)\n"
    "    return n\n"
    "g(items)\n";
  HsTrace *trace = hs_trace_fixture_run (f, program);
  g_autoptr(HsSnapshot) inside = hs_test_step_at_line (trace, 5, 0);
  g_autoptr(HsSnapshot) first = hs_trace_get_snapshot (trace, 0);
  guint32 local_n = hs_test_var_ref (inside, "g", "n");
  guint32 global_n = hs_test_var_ref (inside, "<module>", "n");
  guint32 items = hs_test_var_ref (inside, "<module>", "items");
  guint32 ref = 0;
  g_autofree char *markup = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(GArray) links = NULL;

  hs_test_assert_finished (trace);
  g_assert_cmpuint (local_n, !=, global_n);

  /* Read as Python reads it inside g */
  g_assert_true (hs_lesson_resolve_name (inside, "n", &ref));
  g_assert_cmpuint (ref, ==, local_n);
  g_assert_true (hs_lesson_resolve_name (inside, "items", &ref));
  g_assert_cmpuint (ref, ==, items);
  g_assert_true (hs_lesson_resolve_name (inside, "arg", &ref));
  g_assert_cmpuint (ref, ==, items);
  g_assert_true (hs_lesson_resolve_name (inside, "g", &ref));
  g_assert_cmpstr (hs_test_lookup (inside, ref)->type, ==, "function");
  g_assert_false (hs_lesson_resolve_name (inside, "nope", NULL));
  g_assert_false (hs_lesson_resolve_name (inside, "n += 1", NULL));
  g_assert_false (hs_lesson_resolve_name (inside, "items[0]", NULL));
  g_assert_false (hs_lesson_resolve_name (inside, "n.x", NULL));
  g_assert_false (hs_lesson_resolve_name (inside, "1n", NULL));
  g_assert_false (hs_lesson_resolve_name (inside, "", NULL));
  /* Before line 1 ran, nothing is bound yet */
  g_assert_false (hs_lesson_resolve_name (first, "n", NULL));

  markup = hs_lesson_markup_at ("`n` & `items` <not> `nope`, `n += 1` `g", NULL, inside);
  expected = g_strdup_printf ("<a href=\"heapscope-object:%u\" title=\"Show n in the graph\"><tt>n</tt></a>"
                              " &amp; "
                              "<a href=\"heapscope-object:%u\" title=\"Show items in the graph\"><tt>items</tt></a>"
                              " &lt;not&gt; <tt>nope</tt>, <tt>n += 1</tt> `g",
                              local_n, items);
  g_assert_cmpstr (markup, ==, expected);
  links = scan_links (markup);
  g_assert_cmpuint (links->len, ==, 2);

  /* Without a snapshot, or at a step that binds none of them: no links */
  plain = hs_lesson_markup ("`n` & `items`");
  g_assert_cmpstr (plain, ==, "<tt>n</tt> &amp; <tt>items</tt>");
  g_free (markup);
  markup = hs_lesson_markup_at ("`n` & `items`", NULL, first);
  g_assert_cmpstr (markup, ==, plain);

  /* A note that came up inside g, still shown once g has returned: its
   * `n` meant g's local, which is gone, so it does not link to the
   * global n; `items` names the same list at both steps and links. */
  {
    g_autoptr(HsSnapshot) after = hs_test_last_step (trace);
    g_autofree char *still = NULL;
    g_autofree char *items_link = NULL;

    g_assert_true (hs_lesson_resolve_name (after, "n", &ref));
    g_assert_cmpuint (ref, ==, global_n);
    still = hs_lesson_markup_at ("`n` & `items`", inside, after);
    items_link = g_strdup_printf ("<tt>n</tt> &amp; "
                                  "<a href=\"heapscope-object:%u\" title=\"Show items in the graph\"><tt>items</tt></a>",
                                  items);
    g_assert_cmpstr (still, ==, items_link);
  }
}

/* "p.items" follows the instance attribute the snapshot records; an
 * attribute it does not record, or a call, stays plain. */
static void
test_markup_attribute (HsTraceFixture *f,
                       gconstpointer   data)
{
  static const char program[] =
    "class P:\n"
    "    pass\n"
    "p = P()\n"
    "p.items = [1]\n"
    "print(p)\n";
  HsTrace *trace = hs_trace_fixture_run (f, program);
  g_autoptr(HsSnapshot) snap = hs_test_step_at_line (trace, 5, 0);
  const HsObject *p = hs_test_var (snap, "<module>", "p");
  const HsObject *items = hs_test_edge (snap, p, HS_EDGE_ATTR, "items");
  guint32 ref = 0;

  hs_test_assert_finished (trace);
  g_assert_true (hs_lesson_resolve_name (snap, "p.items", &ref));
  g_assert_cmpuint (ref, ==, items->ref);
  g_assert_false (hs_lesson_resolve_name (snap, "p.other", NULL));
  g_assert_false (hs_lesson_resolve_name (snap, "p.items.append(2)", NULL));
  g_assert_false (hs_lesson_resolve_name (snap, "p.", NULL));
}

/* The plain names a lesson's notes and summary quote */
static GStrv
quoted_names (HsLesson *lesson)
{
  g_autoptr(GRegex) code = g_regex_new ("`([^`]*)`", 0, 0, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (int note = -1; note < (int) hs_lesson_get_n_notes (lesson); note++)
    {
      const char *text = note >= 0 ? hs_lesson_get_note (lesson, note, NULL, NULL)
                                   : hs_lesson_get_summary (lesson);
      g_autoptr(GMatchInfo) match = NULL;

      g_regex_match (code, text, 0, &match);
      for (; g_match_info_matches (match); g_match_info_next (match, NULL))
        {
          g_autofree char *name = g_match_info_fetch (match, 1);

          if (is_plain_name (name) && !g_hash_table_contains (seen, name))
            {
              g_strv_builder_add (builder, name);
              g_hash_table_add (seen, (gpointer) g_intern_string (name));
            }
        }
    }
  return g_strv_builder_end (builder);
}

/* At every step of a lesson, every plain name its note shows links to
 * the object python3 itself reads for that name there (see ask_python()),
 * and every name python3 reads as an object the step draws is a link,
 * unless it meant another object where its note came up; an attribute
 * chain's link is an object of the step.  id names the lesson in
 * messages; the fixture ran it last. */
static void
check_links (HsTraceFixture *f,
             HsLesson       *lesson,
             HsTrace        *trace,
             const char     *id)
{
  g_autoptr(GRegex) code = g_regex_new ("`([^`]*)`", 0, 0, NULL);
  g_auto(GStrv) names = quoted_names (lesson);
  g_autoptr(GPtrArray) oracle = ask_python (f, names);
  g_autoptr(HsSnapshot) written = NULL;
  const OracleStep *written_step = NULL;
  guint n_links = 0, n_changed = 0;
  int shown = -2;

  /* python3 sees the same events, with the module's call before them
   * (which the app does not show) and its return for the end step */
  g_assert_cmpuint (oracle->len, >, 1);
  g_assert_cmpstr (((OracleStep *) oracle->pdata[0])->event, ==, "call");
  g_assert_cmpstr (((OracleStep *) oracle->pdata[0])->function, ==, "<module>");
  g_ptr_array_remove_index (oracle, 0);
  g_assert_cmpuint (oracle->len, ==, hs_trace_get_n_steps (trace));

  for (guint step = 0; step + 1 < hs_trace_get_n_steps (trace); step++)
    {
      g_autoptr(HsSnapshot) snap = hs_trace_get_snapshot (trace, step);
      const OracleStep *python = oracle->pdata[step];
      int note = hs_lesson_note_at_step (lesson, trace, step);
      const char *text = note >= 0 ? hs_lesson_get_note (lesson, note, NULL, NULL)
                                   : hs_lesson_get_summary (lesson);
      guint n_frames;
      const HsFrame *frames = hs_snapshot_get_frames (snap, &n_frames);
      g_autofree char *markup = NULL;
      g_autoptr(GArray) links = NULL;
      g_autoptr(GMatchInfo) match = NULL;
      guint n_names = 0;

      g_assert_cmpstr (python->event, ==, event_name (hs_snapshot_get_event (snap)));
      g_assert_cmpuint (python->line, ==, hs_snapshot_get_line (snap));
      g_assert_cmpstr (python->function, ==, frames[n_frames - 1].function);

      /* The step the note came up at, whose names it talks about */
      if (note != shown)
        {
          g_clear_pointer (&written, hs_snapshot_unref);
          written = hs_snapshot_ref (snap);
          written_step = python;
          shown = note;
        }
      markup = hs_lesson_markup_at (text, written, snap);
      links = scan_links (markup);

      for (guint i = 0; i < links->len; i++)
        {
          const Link *link = &g_array_index (links, Link, i);

          if (hs_snapshot_lookup (snap, link->ref) == NULL)
            g_error ("%s step %u: `%s` links to ref %u, which the step lacks",
                     id, step, link->text, link->ref);
          /* Attribute chains are read from the snapshot's edges */
          if (is_plain_name (link->text) && python_reads (snap, python, link->text) != link->ref)
            g_error ("%s step %u (line %u of %s): `%s` links to ref %u, but python3 reads it as %s, ref %u",
                     id, step, python->line, python->function, link->text, link->ref,
                     ((Meaning *) g_hash_table_lookup (python->names, link->text))->kind,
                     python_reads (snap, python, link->text));
        }

      g_regex_match (code, text, 0, &match);
      for (; g_match_info_matches (match); g_match_info_next (match, NULL))
        {
          g_autofree char *name = g_match_info_fetch (match, 1);
          guint32 reads;
          gboolean linked = FALSE;

          if (!is_plain_name (name) || (reads = python_reads (snap, python, name)) == 0 ||
              hs_snapshot_lookup (snap, reads) == NULL)
            continue;
          /* A name that meant another object where the note came up */
          if (python_reads (written, written_step, name) != reads)
            {
              for (guint i = 0; i < links->len; i++)
                if (g_str_equal (g_array_index (links, Link, i).text, name))
                  g_error ("%s step %u: `%s` links to ref %u, but where the note came up it named ref %u",
                           id, step, name, g_array_index (links, Link, i).ref,
                           python_reads (written, written_step, name));
              n_changed++;
              continue;
            }
          n_names++;
          for (guint i = 0; i < links->len; i++)
            linked |= g_str_equal (g_array_index (links, Link, i).text, name);
          if (!linked)
            g_error ("%s step %u: `%s` is bound there, but its note shows it without a link: %s",
                     id, step, name, markup);
        }
      g_assert_cmpuint (links->len, >=, n_names);
      n_links += links->len;
    }
  g_test_message ("%s: %u links over %u steps; %u names left plain, as they meant another object where their note came up",
                  id, n_links, hs_trace_get_n_steps (trace), n_changed);
}

static void
test_links (HsTraceFixture *f,
            gconstpointer   data)
{
  g_autoptr(HsLesson) lesson = load (data);
  HsTrace *trace = run_lesson (f, lesson);

  check_links (f, lesson, trace, data);
}

/* A lesson-like snippet whose notes stay up where Python's scopes trip
 * a reader: in shadow(), `count` is its local from the start, unbound
 * until line 6 runs, never the global; make_adder's `total` is unbound
 * before line 11 runs, then lives in a cell that add() reads through, as
 * the value in the cell; bump() declares `count` global; Box's body
 * binds its own `count`; the comprehension's `n` and the lambda's
 * `count` are their own; `len` is a builtin, drawn nowhere. */
static void
test_links_scopes (HsTraceFixture *f,
                   gconstpointer   data)
{
  static const char code[] =
    "count = 1\n"
    "\n"
    "\n"
    "def shadow():\n"
    "    step = 2\n"
    "    count = 100\n"
    "    return count + step\n"
    "\n"
    "\n"
    "def make_adder():\n"
    "    total = 0\n"
    "\n"
    "    def add(n):\n"
    "        nonlocal total\n"
    "        total += n\n"
    "        return total\n"
    "\n"
    "    return add\n"
    "\n"
    "\n"
    "def bump():\n"
    "    global count\n"
    "    count += 1\n"
    "\n"
    "\n"
    "class Box:\n"
    "    count = 'class count'\n"
    "    size = len(count)\n"
    "\n"
    "\n"
    "total = 'global total'\n"
    "shadow()\n"
    "adder = make_adder()\n"
    "adder(5)\n"
    "adder(2)\n"
    "bump()\n"
    "squares = [count * n for n in range(2)]\n"
    "twice = (lambda count: count * 2)(21)\n"
    "print(total, squares, twice, Box.size)\n"
    "\n"
    "\n"
    "def tally():\n"
    "    seen = count\n"
    "    return [count for count in range(2)], seen\n"
    "\n"
    "\n"
    "tally()\n";
  static const char xml[] =
    "<lesson id='scoping'><title>T</title><summary>S</summary>"
    "<note after='1'>`count` is a global; `len` a builtin.</note>"
    "<note line='7'>`count` and `step` are locals.</note>"
    "<note line='11'>`total` is not bound yet.</note>"
    "<note line='15'>`total` and `n`, through the cell.</note>"
    "<note line='23'>`count` is the global.</note>"
    "<note line='28'>`count` and `size` of the class body.</note>"
    "<note line='37'>`count` and `n` in the comprehension.</note>"
    "<note after='37'>`squares`, `count` and `n`.</note>"
    "<note line='38'>`twice` and `count` in the lambda.</note>"
    "<note line='43'>`count` is the global: the comprehension's is not `seen`'s.</note>"
    "<note line='44'>`count` in the comprehension, then `seen`.</note>"
    "</lesson>";
  g_autoptr(GError) error = NULL;
  g_autoptr(HsLesson) lesson = hs_lesson_new_from_data ("scoping", xml, -1, code, &error);
  g_autoptr(HsSnapshot) unbound = NULL;
  g_autoptr(HsSnapshot) through = NULL;
  HsTrace *trace;
  guint32 ref = 0;

  g_assert_no_error (error);
  trace = run_lesson (f, lesson);
  check_links (f, lesson, trace, "scoping");

  /* The same, asked directly: shadow()'s `count` before line 6 runs is
   * not the global */
  unbound = hs_test_step_at_line (trace, 6, 0);
  g_assert_true (hs_test_function_is (hs_test_frame (unbound, NULL), "shadow"));
  g_assert_false (hs_lesson_resolve_name (unbound, "count", NULL));
  g_assert_false (hs_lesson_resolve_name (unbound, "len", NULL));
  g_assert_true (hs_lesson_resolve_name (unbound, "total", &ref));
  g_assert_cmpuint (ref, ==, hs_test_var_ref (unbound, "<module>", "total"));
  /* add()'s `total` is the int in the cell, not the cell */
  through = hs_test_step_at_line (trace, 15, 1);
  g_assert_true (hs_lesson_resolve_name (through, "total", &ref));
  g_assert_cmpstr (hs_test_lookup (through, ref)->repr, ==, "5");
}

/* Every way a function binds a name makes it the function's own from
 * its first line: a note that came up at module level keeps linking
 * each global only while f() has not bound its own name for it, and
 * links names f() only reads (s, r, os) all along.  Strings, comments,
 * subscripts, keyword arguments, dict keys, a lambda's and a
 * comprehension's names bind nothing in f(). */
static void
test_links_binding_forms (HsTraceFixture *f,
                          gconstpointer   data)
{
  static const char code[] =
    "import os\n"
    "s = 'not # a comment = here'\n"
    "a = b = c = d = e = g = h = i = j = k = m = n = p = q = r = t = y = 1\n"
    "\n"
    "\n"
    "def deco(func):\n"
    "    return func\n"
    "\n"
    "\n"
    "@deco\n"
    "def f(q, *rest, key=[p for p in range(2)], **kw):\n"
    "    t = len(s)\n"
    "    (a, [b, *c]) = (1, [2, 3, 4])\n"
    "    d = 1; d += 1\n"
    "    e: int = 5\n"
    "    for g, h in [(1, 2)]:\n"
    "        pass\n"
    "    with open(os.devnull) as i, open(os.devnull) as j:\n"
    "        pass\n"
    "    try:\n"
    "        raise ValueError\n"
    "    except ValueError as k:\n"
    "        pass\n"
    "    import os.path as m\n"
    "    if (n := 3) < 2: del r\n"
    "    x = {s: 1, 'k': lambda p=2: p}\n"
    "    y = [\n"
    "        1,  # a comment with = in it\n"
    "        2,\n"
    "    ]\n"
    "    return x, y, t\n"
    "\n"
    "\n"
    "f(0)\n"
    "print(s, a, q, r)\n";
  static const char xml[] =
    "<lesson id='binding-forms'><title>T</title><summary>S</summary>"
    "<note after='3'>`os` `s` `a` `b` `c` `d` `e` `g` `h` `i` `j` `k` `m` `n` `p` `q` `r` `t` `x` `y`"
    " `key` `rest` `kw` `deco` `func` `f`</note>"
    "</lesson>";
  g_autoptr(GError) error = NULL;
  g_autoptr(HsLesson) lesson = hs_lesson_new_from_data ("binding-forms", xml, -1, code, &error);
  HsTrace *trace;

  g_assert_no_error (error);
  trace = run_lesson (f, lesson);
  check_links (f, lesson, trace, "binding-forms");
}

/* Opens and steps: the run matches python3, and every note shows up at
 * some step of it, each for the steps until the next one. */
static void
test_steps (HsTraceFixture *f,
            gconstpointer   data)
{
  g_autoptr(HsLesson) lesson = load (data);
  HsTrace *trace = run_lesson (f, lesson);
  g_autoptr(GBytes) out = hs_trace_dup_stdout (trace);
  g_autofree char *path = hs_trace_fixture_write (f, "lesson.py", hs_lesson_get_code (lesson));
  const char *python = g_getenv ("HEAPSCOPE_PYTHON");
  const char *argv[] = { python, "lesson.py", NULL };
  g_autofree char *expected = NULL;
  g_autofree char *traced = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_autofree gboolean *seen = g_new0 (gboolean, hs_lesson_get_n_notes (lesson));
  g_autoptr(GError) error = NULL;
  int status;
  int last = -1;

  g_assert_nonnull (python);
  g_assert_true (g_spawn_sync (f->tmpdir, (char **) argv, NULL, G_SPAWN_DEFAULT, hs_test_python_child_setup, NULL,
                               &expected, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (traced, ==, expected);

  for (guint step = 0; step < hs_trace_get_n_steps (trace); step++)
    {
      int note = hs_lesson_note_at_step (lesson, trace, step);

      /* Notes come in the file's order. */
      g_assert_cmpint (note, >=, last);
      if (note >= 0)
        seen[note] = TRUE;
      last = note;
    }
  for (guint i = 0; i < hs_lesson_get_n_notes (lesson); i++)
    if (!seen[i])
      g_error ("note %u of %s is never shown: %s", i, (const char *) data,
               hs_lesson_get_note (lesson, i, NULL, NULL));
}

static void
test_names (HsTraceFixture *f,
            gconstpointer   data)
{
  g_autoptr(HsLesson) lesson = load ("names");
  HsTrace *trace = run_lesson (f, lesson);
  g_autoptr(HsSnapshot) alias = after_line (trace, 2, 0);
  g_autoptr(HsSnapshot) three = after_line (trace, 4, 0);
  g_autoptr(HsSnapshot) rebound = after_line (trace, 5, 0);
  guint32 int3 = hs_test_var_ref (three, NULL, "a");

  /* a_score = score: one object, two names. */
  g_assert_cmpuint (hs_test_var_ref (alias, NULL, "a_score"), ==, hs_test_var_ref (alias, NULL, "score"));
  /* a = 'chaiaurcode' moves the arrow; the int 3 is never freed. */
  g_assert_cmpstr (hs_test_var (three, NULL, "a")->repr, ==, "3");
  g_assert_cmpstr (hs_test_var (rebound, NULL, "a")->type, ==, "str");
  g_assert_cmpint (hs_test_first_freed_step (trace, int3, NULL), ==, -1);
}

static void
test_refcounts (HsTraceFixture *f,
                gconstpointer   data)
{
  g_autoptr(HsLesson) lesson = load ("refcounts");
  HsTrace *trace = run_lesson (f, lesson);
  g_autoptr(HsSnapshot) one_name = after_line (trace, 4, 0);
  g_autoptr(HsSnapshot) two_names = after_line (trace, 6, 0);
  g_autoptr(HsSnapshot) constant = after_line (trace, 7, 0);
  g_autoptr(HsSnapshot) compiled = after_line (trace, 9, 0);
  g_autoptr(HsSnapshot) small = after_line (trace, 10, 0);
  g_autofree char *one_out = printed (one_name);
  g_autofree char *two_out = printed (two_names);
  g_autofree char *constant_out = printed (constant);
  g_autofree char *compiled_out = printed (compiled);
  g_autofree char *small_out = printed (small);

  /* The graph counts the name; getrefcount adds its argument. */
  g_assert_cmpint (hs_test_var (one_name, NULL, "x")->refcount, ==, 1);
  g_assert_cmpstr (one_out, ==, "2\n");
  g_assert_cmpint (hs_test_var (two_names, NULL, "x")->refcount, ==, 2);
  g_assert_cmpstr (two_out, ==, "3\n");
  /* The constant, the argument and the parser's arena; 2 once compiled. */
  g_assert_cmpstr (constant_out, ==, "3\n");
  g_assert_cmpstr (compiled_out, ==, "2\n");
  /* 3.11: statically allocated with 999,999,999; 3.12+: immortal. */
  g_assert_cmpint (g_ascii_strtoll (small_out, NULL, 10), >, 999999999);
}

static void
test_reuse (HsTraceFixture *f,
            gconstpointer   data)
{
  g_autoptr(HsLesson) lesson = load ("reuse");
  HsTrace *trace = run_lesson (f, lesson);
  g_autoptr(HsSnapshot) ints = after_line (trace, 10, 0);
  g_autoptr(HsSnapshot) built = after_line (trace, 13, 0);
  g_autoptr(HsSnapshot) interned = after_line (trace, 15, 0);
  guint32 joined = hs_test_var_ref (built, NULL, "t");

  g_assert_cmpuint (hs_test_var_ref (ints, NULL, "a"), ==, hs_test_var_ref (ints, NULL, "b"));
  g_assert_true (hs_test_var (ints, NULL, "a")->flags & HS_OBJECT_SMALL_INT);
  g_assert_cmpuint (hs_test_var_ref (ints, NULL, "c"), !=, hs_test_var_ref (ints, NULL, "d"));
  /* Equal constants of one compiled file are one object. */
  g_assert_cmpuint (hs_test_var_ref (ints, NULL, "e"), ==, hs_test_var_ref (ints, NULL, "f"));
  g_assert_true (hs_test_var (built, NULL, "s")->flags & HS_OBJECT_INTERNED);
  g_assert_cmpuint (joined, !=, hs_test_var_ref (built, NULL, "s"));
  /* sys.intern hands back the literal, and the joined string goes. */
  g_assert_cmpuint (hs_test_var_ref (interned, NULL, "t"), ==, hs_test_var_ref (interned, NULL, "s"));
  g_assert_true (hs_test_was_freed (interned, joined, NULL));
}

static void
test_freeing (HsTraceFixture *f,
              gconstpointer   data)
{
  g_autoptr(HsLesson) lesson = load ("freeing");
  HsTrace *trace = run_lesson (f, lesson);
  g_autoptr(HsSnapshot) made = after_line (trace, 12, 0);
  g_autoptr(HsSnapshot) rebound = after_line (trace, 13, 0);
  g_autoptr(HsSnapshot) literal = after_line (trace, 14, 0);
  g_autoptr(HsSnapshot) pair = after_line (trace, 25, 0);
  g_autoptr(HsSnapshot) end = hs_test_last_step (trace);
  guint32 computed = hs_test_var_ref (made, NULL, "x");
  guint32 constant = hs_test_var_ref (literal, NULL, "y");
  guint32 a = hs_test_var_ref (pair, NULL, "a");
  guint32 b = hs_test_var_ref (pair, NULL, "b");
  HsFreeCause cause;
  gint64 collected;
  guint first_garbage;

  /* int('1000') goes the moment x moves. */
  g_assert_true (hs_test_was_freed (rebound, computed, &cause));
  g_assert_cmpint (cause, ==, HS_FREE_REFCOUNT);
  /* The literal lives on in the code object's constants until the end. */
  g_assert_cmpint (hs_test_first_freed_step (trace, constant, NULL), ==, hs_snapshot_get_index (end));

  /* The cycle stays, unreachable, until gc.collect() frees it. */
  collected = hs_test_first_freed_step (trace, a, &cause);
  g_assert_cmpint (cause, ==, HS_FREE_GC);
  g_assert_cmpint (hs_test_first_freed_step (trace, b, &cause), ==, collected);
  g_assert_cmpint (cause, ==, HS_FREE_GC);
  {
    g_autoptr(HsSnapshot) garbage = after_line (trace, 26, 0);
    g_autoptr(HsSnapshot) collect = after_line (trace, 29, 0);
    g_autoptr(HsSnapshot) back = hs_test_step_at_line (trace, 30, 0);
    g_autoptr(HsSnapshot) report = after_line (trace, 30, 0);
    g_autofree char *out = printed (report);

    first_garbage = hs_snapshot_get_index (garbage);
    g_assert_cmpuint (first_garbage, <, hs_snapshot_get_index (collect));
    for (guint step = first_garbage; step < hs_snapshot_get_index (collect); step++)
      {
        g_autoptr(HsSnapshot) snap = hs_trace_get_snapshot (trace, step);

        g_assert_false (hs_test_lookup (snap, a)->flags & HS_OBJECT_REACHABLE);
        g_assert_false (hs_test_lookup (snap, b)->flags & HS_OBJECT_REACHABLE);
        g_assert_cmpint (hs_test_lookup (snap, a)->refcount, ==, 1);
      }
    /* The collector calls each __del__, then frees both on the way back. */
    g_assert_cmpint (hs_snapshot_get_event (collect), ==, HS_EVENT_CALL);
    g_assert_cmpint (hs_snapshot_get_index (back), ==, collected);
    g_assert_true (g_str_has_prefix (out, "collected "));
    g_assert_true (g_str_has_suffix (out, "alive: False\n"));
  }
}

static void
test_mutable (HsTraceFixture *f,
              gconstpointer   data)
{
  g_autoptr(HsLesson) lesson = load ("mutable");
  HsTrace *trace = run_lesson (f, lesson);
  g_autoptr(HsSnapshot) changed = after_line (trace, 3, 0);
  g_autoptr(HsSnapshot) rebound = after_line (trace, 7, 0);
  g_autoptr(HsSnapshot) end = hs_test_last_step (trace);

  g_assert_cmpuint (hs_test_var_ref (changed, NULL, "l1"), ==, hs_test_var_ref (changed, NULL, "l2"));
  g_assert_cmpstr (hs_test_var (changed, NULL, "l2")->repr, ==, "[44, 2, 3]");
  g_assert_cmpuint (hs_test_var_ref (rebound, NULL, "p1"), !=, hs_test_var_ref (rebound, NULL, "p2"));
  /* += extends a list in place, and makes a new tuple and a new str. */
  g_assert_cmpuint (hs_test_var_ref (end, NULL, "nums"), ==, hs_test_var_ref (end, NULL, "nums_alias"));
  g_assert_cmpuint (hs_test_var_ref (end, NULL, "pair"), !=, hs_test_var_ref (end, NULL, "pair_alias"));
  g_assert_cmpuint (hs_test_var_ref (end, NULL, "word"), !=, hs_test_var_ref (end, NULL, "word_alias"));
  g_assert_cmpstr (hs_test_var (end, NULL, "pair_alias")->repr, ==, "(1, 2)");
}

static guint32
item (HsSnapshot *snap,
      const char *name,
      const char *index)
{
  return hs_test_edge (snap, hs_test_var (snap, NULL, name), HS_EDGE_ITEM, index)->ref;
}

static void
test_copies (HsTraceFixture *f,
             gconstpointer   data)
{
  g_autoptr(HsLesson) lesson = load ("copies");
  HsTrace *trace = run_lesson (f, lesson);
  g_autoptr(HsSnapshot) end = hs_test_last_step (trace);
  static const char * const shallow[] = { "b", "c", "d" };

  for (guint i = 0; i < G_N_ELEMENTS (shallow); i++)
    {
      g_assert_cmpuint (hs_test_var_ref (end, NULL, shallow[i]), !=, hs_test_var_ref (end, NULL, "a"));
      g_assert_cmpuint (item (end, shallow[i], "0"), ==, item (end, "a", "0"));
    }
  g_assert_cmpuint (item (end, "e", "0"), !=, item (end, "a", "0"));
  /* The memo keeps sharing and cycles. */
  g_assert_cmpuint (item (end, "pair2", "0"), ==, item (end, "pair2", "1"));
  g_assert_cmpuint (item (end, "pair2", "0"), !=, item (end, "pair", "0"));
  g_assert_cmpuint (item (end, "loop2", "1"), ==, hs_test_var_ref (end, NULL, "loop2"));
}

static void
test_identity (HsTraceFixture *f,
               gconstpointer   data)
{
  g_autoptr(HsLesson) lesson = load ("identity");
  HsTrace *trace = run_lesson (f, lesson);
  g_autoptr(HsSnapshot) compared = after_line (trace, 3, 0);
  g_autoptr(HsSnapshot) liar = hs_test_step_at_line (trace, 19, 0);
  g_autofree char *compared_out = printed (compared);
  g_autofree char *liar_out = printed (liar);
  g_autoptr(HsSnapshot) eq_call = NULL;

  g_assert_cmpuint (hs_test_var_ref (compared, NULL, "a"), !=, hs_test_var_ref (compared, NULL, "b"));
  g_assert_cmpstr (compared_out, ==, "True False\n");
  g_assert_cmpstr (liar_out, ==, "True False\n");
  /* yes == None ran the class's own __eq__. */
  eq_call = hs_test_step_at_line (trace, 14, 0);
  g_assert_nonnull (eq_call);
  g_assert_true (hs_test_function_is (hs_test_frame (eq_call, NULL), "__eq__"));
}

static void
test_scopes (HsTraceFixture *f,
             gconstpointer   data)
{
  g_autoptr(HsLesson) lesson = load ("scopes");
  HsTrace *trace = run_lesson (f, lesson);
  g_autoptr(HsSnapshot) shadowed = hs_test_step_at_line (trace, 11, 0);
  g_autoptr(HsSnapshot) returned = hs_test_step_at_line (trace, 22, 0);
  g_autoptr(HsSnapshot) end = hs_test_last_step (trace);
  const HsObject *cell, *adder;

  /* A local count beside the global one. */
  g_assert_cmpstr (hs_test_var (shadowed, "shadow", "count")->repr, ==, "100");
  g_assert_cmpstr (hs_test_var (shadowed, "<module>", "count")->repr, ==, "1");
  /* total lives in a cell the closure holds; the cell outlives the frame. */
  cell = hs_test_var (returned, "make_adder", "total");
  g_assert_cmpstr (cell->type, ==, "cell");
  adder = hs_test_var (end, NULL, "adder");
  cell = hs_test_edge (end, adder, HS_EDGE_CLOSURE, "total");
  g_assert_cmpstr (cell->type, ==, "cell");
  g_assert_cmpstr (hs_test_edge (end, cell, HS_EDGE_CONTENTS, NULL)->repr, ==, "7");
}

static void
test_alias_bugs (HsTraceFixture *f,
                 gconstpointer   data)
{
  g_autoptr(HsLesson) lesson = load ("alias_bugs");
  HsTrace *trace = run_lesson (f, lesson);
  g_autoptr(HsSnapshot) end = hs_test_last_step (trace);
  const HsObject *groups, *backup;

  g_assert_cmpuint (hs_test_var_ref (end, NULL, "first"), ==, hs_test_var_ref (end, NULL, "second"));
  g_assert_cmpuint (item (end, "grid", "0"), ==, item (end, "grid", "1"));
  g_assert_cmpuint (item (end, "grid", "0"), ==, item (end, "grid", "2"));
  g_assert_cmpuint (item (end, "rows", "0"), !=, item (end, "rows", "1"));
  groups = hs_test_var (end, NULL, "groups");
  backup = hs_test_var (end, NULL, "backup");
  g_assert_cmpuint (groups->ref, !=, backup->ref);
  g_assert_cmpuint (hs_test_edge (end, groups, HS_EDGE_VALUE, "0")->ref, ==,
                    hs_test_edge (end, backup, HS_EDGE_VALUE, "0")->ref);
}

static void
test_buffers (HsTraceFixture *f,
              gconstpointer   data)
{
  g_autoptr(HsLesson) lesson = load ("buffers");
  HsTrace *trace = run_lesson (f, lesson);
  g_autoptr(HsSnapshot) viewed = after_line (trace, 2, 0);
  g_autoptr(HsSnapshot) sliced = after_line (trace, 6, 0);
  g_autoptr(HsSnapshot) released = after_line (trace, 14, 0);
  guint32 data_ref = hs_test_var_ref (sliced, NULL, "data");
  const HsObject *buffer;

  g_assert_cmpint (hs_test_var (viewed, NULL, "data")->refcount, ==, 2);
  /* Both views look at the bytearray itself, through the one managed
   * buffer CPython keeps for it: no copy. */
  buffer = hs_test_edge (sliced, hs_test_var (sliced, NULL, "view"), HS_EDGE_BUFFER, NULL);
  g_assert_cmpuint (hs_test_edge (sliced, hs_test_var (sliced, NULL, "part"), HS_EDGE_BUFFER, NULL)->ref, ==, buffer->ref);
  g_assert_cmpuint (hs_test_edge (sliced, buffer, HS_EDGE_EXPORTER, NULL)->ref, ==, data_ref);
  g_assert_cmpstr (hs_test_var (sliced, NULL, "data")->repr, ==, "bytearray(b'JEllo')");
  g_assert_cmpint (hs_test_var (released, NULL, "data")->refcount, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    const char *id;
    void (*func) (HsTraceFixture *, gconstpointer);
  } facts[] = {
    { "names", test_names },
    { "refcounts", test_refcounts },
    { "reuse", test_reuse },
    { "freeing", test_freeing },
    { "mutable", test_mutable },
    { "copies", test_copies },
    { "identity", test_identity },
    { "scopes", test_scopes },
    { "alias_bugs", test_alias_bugs },
    { "buffers", test_buffers },
  };

  g_test_init (&argc, &argv, NULL);
  hs_ui_register_resource ();

  /* lessons-3.XX for a version the build did not find (tests/ui/meson.build) */
  if (g_getenv ("HEAPSCOPE_RUNTIME") != NULL && *g_getenv ("HEAPSCOPE_RUNTIME") == '\0')
    {
      g_print ("1..0 # SKIP Python %s was not found when the build was configured\n",
               g_getenv ("HEAPSCOPE_TEST_VERSION"));
      return 0;
    }

  g_test_add_func ("/ui/lessons/list", test_list);
  g_test_add_func ("/ui/lessons/bad-lessons", test_bad_lessons);
  g_test_add_func ("/ui/lessons/markup", test_markup);
  g_test_add_func ("/ui/lessons/hindi", test_hindi);
  g_test_add ("/ui/lessons/markup-links", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_markup_links, hs_trace_fixture_teardown);
  g_test_add ("/ui/lessons/markup-attribute", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_markup_attribute, hs_trace_fixture_teardown);
  g_test_add ("/ui/lessons/links/scoping", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_links_scopes, hs_trace_fixture_teardown);
  g_test_add ("/ui/lessons/links/binding-forms", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_links_binding_forms, hs_trace_fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (lesson_ids); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/lessons/steps/%s", lesson_ids[i]);

      g_test_add (path, HsTraceFixture, lesson_ids[i],
                  hs_trace_fixture_setup, test_steps, hs_trace_fixture_teardown);
      g_free (path);
      path = g_strdup_printf ("/ui/lessons/links/%s", lesson_ids[i]);
      g_test_add (path, HsTraceFixture, lesson_ids[i],
                  hs_trace_fixture_setup, test_links, hs_trace_fixture_teardown);
    }
  for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/lessons/fact/%s", facts[i].id);

      g_test_add (path, HsTraceFixture, NULL,
                  hs_trace_fixture_setup, facts[i].func, hs_trace_fixture_teardown);
    }

  return g_test_run ();
}
