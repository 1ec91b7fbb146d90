/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sentences the inspector shows, computed without widgets: every
 * example is traced with the real worker, and for every object of every
 * step the "Why is the refcount N?" rows add up to N.
 */
#define G_LOG_DOMAIN "heapscope-test-describe"

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "hs-describe.h"
#include "hs-graph-view-private.h"
#include "hs-layout.h"
#include "hs-ui-resources.h"
#include "hs-test-trace.h"

#define EXAMPLES "/io/github/heapscope/Heapscope/examples"

/* "refcount 3, 2 shown", "refcount 3", "immortal, 2 shown": the arrows
 * the box says it receives. */
/* What each box says of its object, values too: every object a box */
static HsLayout *
every_object_layout (HsSnapshot *snapshot)
{
  HsLayoutOptions options;

  hs_layout_options_init (&options);
  options.every_object = TRUE;
  return hs_layout_new (snapshot, NULL, &options);
}

static guint
shown_in_facts (const char *facts,
                gint64      refcount)
{
  /* a number's own separators are not followed by a space */
  const char *comma = strstr (facts, ", ");
  g_autoptr(GString) digits = g_string_new (NULL);

  if (comma == NULL)
    return (guint) refcount;
  for (const char *c = comma + 2; g_ascii_isdigit (*c) || *c == ','; c++)
    if (g_ascii_isdigit (*c))
      g_string_append_c (digits, *c);
  return (guint) g_ascii_strtoull (digits->str, NULL, 10);
}

/* True, False and None before 3.12, which made them immortal: objects
 * that CPython allocates statically and its C code references from
 * everywhere, counted in their refcount but held by nothing Python can
 * name (a bool's 50 such references in the identity example) */
static gboolean
static_singleton (const HsObject *o)
{
  return g_str_equal (o->type, "bool") || g_str_equal (o->type, "NoneType");
}

/*
 * For every object of every step: the rows of "Why is the refcount N?"
 * add up to N, the drawn rows are the references the snapshot draws, and
 * the box's "N shown" is the number of arrows the layout draws to it.
 * With all_named, no object has an "other internal" reference but the
 * immortal ones (whose count is a marker: small ints, one-character and
 * deep-frozen strings, and in 3.12 on True, False and None) and the
 * static singletons: the sum adds up by its making, so only this finds
 * a hidden reference that the runtime stopped naming (issue 8: "every
 * hidden reference that CPython can name is named").
 */
static void
check_trace (HsTrace  *trace,
             gboolean  all_named)
{
  guint n_steps = hs_trace_get_n_steps (trace);
  guint n_checked = 0, n_unnamed = 0;
  gint64 n_named = 0;

  g_assert_cmpuint (n_steps, >, 0);
  for (guint step = 0; step < n_steps; step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, step);
      g_autoptr(HsLayout) layout = every_object_layout (snapshot);
      const HsObject *objects;
      const HsLayoutBox *boxes;
      const HsLayoutEdge *arrows;
      guint n_objects, n_boxes, n_arrows;

      objects = hs_snapshot_get_objects (snapshot, &n_objects);
      for (guint i = 0; i < n_objects; i++)
        {
          g_autoptr(HsRefcountBreakdown) breakdown = hs_describe_refcount_breakdown (snapshot, objects[i].ref);

          g_assert_nonnull (breakdown);
          g_assert_cmpint (breakdown->refcount, ==, objects[i].refcount);
          /* The rows add up to the refcount the runtime read. */
          g_assert_cmpint ((gint64) breakdown->drawn->len + breakdown->n_named + breakdown->other,
                           ==, objects[i].refcount);
          /* The drawn rows are the arrows the graph draws, no more, no less,
           * and the remainder is a count, never negative. */
          g_assert_cmpuint (breakdown->drawn->len, ==, objects[i].n_referrers);
          if (breakdown->other < 0)
            g_error ("step %u: %s %s has refcount %" G_GINT64_FORMAT " but %u drawn + %" G_GINT64_FORMAT " named references",
                     step, objects[i].type, objects[i].repr, objects[i].refcount,
                     breakdown->drawn->len, breakdown->n_named);
          n_named += breakdown->n_named;
          n_checked++;
          if (breakdown->other > 0 && !(objects[i].flags & HS_OBJECT_IMMORTAL) && !static_singleton (&objects[i]))
            {
              g_test_message ("step %u: %s %s: refcount %" G_GINT64_FORMAT ", %u drawn, %" G_GINT64_FORMAT
                              " named, %" G_GINT64_FORMAT " other", step, objects[i].type, objects[i].repr,
                              objects[i].refcount, breakdown->drawn->len, breakdown->n_named, breakdown->other);
              n_unnamed++;
            }
        }

      boxes = hs_layout_get_boxes (layout, &n_boxes);
      arrows = hs_layout_get_edges (layout, &n_arrows);
      for (guint b = 0; b < n_boxes; b++)
        {
          const HsObject *o;
          guint n_to = 0;

          if (boxes[b].kind != HS_LAYOUT_BOX_OBJECT || boxes[b].facts == NULL ||
              !(o = hs_snapshot_lookup (snapshot, boxes[b].ref)))
            continue;
          for (guint a = 0; a < n_arrows; a++)
            n_to += arrows[a].target == boxes[b].ref;
          if (shown_in_facts (boxes[b].facts, o->refcount) != n_to)
            g_error ("step %u: the %s box says \"%s\" and receives %u arrows",
                     step, o->type, boxes[b].facts, n_to);
        }
    }
  g_test_message ("%u of %u objects over %u steps have references not named", n_unnamed, n_checked, n_steps);
  if (all_named)
    g_assert_cmpuint (n_unnamed, ==, 0);
  g_assert_cmpuint (n_checked, >, n_steps);
  /* every program has a literal the runtime finds in its code's constants */
  g_assert_cmpint (n_named, >, 0);
}

static void
test_breakdown_adds_up (HsTraceFixture *f,
                        gconstpointer   data)
{
  const char *name = data;
  g_autofree char *path = g_build_path ("/", EXAMPLES, name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
  g_autofree char *source = NULL;

  g_assert_nonnull (bytes);
  source = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  check_trace (hs_trace_fixture_run (f, source), TRUE);
}

static void
test_program_adds_up (HsTraceFixture *f,
                      gconstpointer   data)
{
  g_autofree char *path = g_build_filename (HS_TEST_RENDER_PROGRAMS, data, NULL);
  g_autofree char *source = NULL;

  g_assert_true (g_file_get_contents (path, &source, NULL, NULL));
  check_trace (hs_trace_fixture_run (f, source), FALSE);
}

/* A dict over the runtime's element cap: its first entries, then how many
 * more, and nothing after as if it were the dict's end. */
static void
test_dict_over_cap (HsTraceFixture *f,
                    gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f, "big = {i: i for i in range(500)}\npass\n");
  g_autoptr(HsSnapshot) snapshot = hs_test_last_step (t);
  g_autoptr(HsLayout) layout = every_object_layout (snapshot);
  const HsObject *big = hs_test_var (snapshot, NULL, "big");
  const HsLayoutBox *boxes;
  guint n_boxes;
  gboolean found = FALSE;

  g_assert_cmpuint (big->length, ==, 500);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    if (boxes[b].ref == big->ref)
      {
        const HsLayoutRow *last = &boxes[b].rows[boxes[b].n_rows - 1];
        guint shown = 0;

        for (guint r = 0; r < boxes[b].n_rows; r++)
          shown += boxes[b].rows[r].kind != HS_LAYOUT_ROW_ELISION;
        /* the elision ends the box and counts the rest of the 500 */
        g_assert_cmpint (last->kind, ==, HS_LAYOUT_ROW_ELISION);
        g_assert_nonnull (strstr (last->label, "more"));
        {
          g_autofree char *expected = g_strdup_printf ("%u", 500 - shown);
          g_autofree char *digits = g_strdup (last->label);
          char *w = digits;

          for (const char *r = last->label; *r; r++)
            if (g_ascii_isdigit (*r))
              *w++ = *r;
          *w = '\0';
          g_assert_cmpstr (digits, ==, expected);
        }
        found = TRUE;
      }
  g_assert_true (found);
}

/* The count of the named row whose text is text, or 0. */
static guint
named_count (HsRefcountBreakdown *breakdown,
             const char          *text)
{
  for (guint i = 0; i < breakdown->named->len; i++)
    if (g_str_equal (g_ptr_array_index (breakdown->named, i), text))
      return g_array_index (breakdown->named_counts, guint, i);
  return 0;
}

/* How many references the holders whose text starts with prefix hold */
static guint
named_count_prefixed (HsRefcountBreakdown *breakdown,
                      const char          *prefix)
{
  guint count = 0;

  for (guint i = 0; i < breakdown->named->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (breakdown->named, i), prefix))
      count += g_array_index (breakdown->named_counts, guint, i);
  return count;
}

static gboolean
has_drawn (HsRefcountBreakdown *breakdown,
           const char          *text)
{
  for (guint i = 0; i < breakdown->drawn->len; i++)
    if (g_str_equal (g_ptr_array_index (breakdown->drawn, i), text))
      return TRUE;
  return FALSE;
}

/* The hidden holders the runtime can name are named: a literal is held by
 * the constants of its code object and by the parser's arena, a value
 * being computed by the value stack, a module by sys.modules; the return
 * value is drawn. */
static void
test_hidden_holders_named (HsTraceFixture *f,
                           gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys\n"              /* 1 */
    "x = 1000\n"                /* 2 */
    "def f(a):\n"               /* 3 */
    "    b = 24601\n"           /* 4 */
    "    return b\n"            /* 5 */
    "r = [x, f(x)]\n"           /* 6 */
    "pass\n");                  /* 7 */
  g_autoptr(HsSnapshot) at3 = hs_test_step_at_line (t, 3, 0);
  g_autoptr(HsSnapshot) at5 = hs_test_step_at_line (t, 5, 0);
  g_autoptr(HsSnapshot) last = hs_test_last_step (t);
  g_autoptr(HsRefcountBreakdown) thousand = NULL;
  g_autoptr(HsRefcountBreakdown) module = NULL;
  g_autoptr(HsRefcountBreakdown) passed = NULL;
  g_autoptr(HsRefcountBreakdown) returned = NULL;
  HsSnapshot *returning = NULL;

  /* x = 1000: the variable, the constant, and the parser's arena */
  thousand = hs_describe_refcount_breakdown (at3, hs_test_var_ref (at3, NULL, "x"));
  g_assert_nonnull (thousand);
  g_assert_cmpuint (named_count (thousand, "a constant of the code of <module>"), ==, 1);
  g_assert_cmpuint (named_count (thousand, "the parser's arena, until the script ends"), ==, 1);
  g_assert_true (has_drawn (thousand, "x"));
  g_assert_cmpint (thousand->other, ==, 0);
  /* the graph's tooltip splits it as the inspector does: named or not,
   * what no arrow draws is hidden, not "other" */
  {
    g_autofree char *tooltip = hs_describe_object (at3, hs_test_var_ref (at3, NULL, "x"));

    g_assert_nonnull (strstr (tooltip, "refcount 3 = 1 drawn + 2 hidden"));
  }

  module = hs_describe_refcount_breakdown (at3, hs_test_var_ref (at3, NULL, "sys"));
  g_assert_cmpuint (named_count (module, "sys.modules['sys']"), ==, 1);

  /* inside f, the module's line has pushed x's value to build the list */
  passed = hs_describe_refcount_breakdown (at5, hs_test_var_ref (at5, "f", "a"));
  g_assert_cmpuint (named_count (passed, "the value stack of <module>"), ==, 1);
  g_assert_cmpuint (named_count (passed, "a constant of the code of <module>"), ==, 1);
  g_assert_cmpint ((gint64) passed->drawn->len + passed->n_named + passed->other, ==, passed->refcount);

  for (guint i = 0; i < hs_trace_get_n_steps (t) && returning == NULL; i++)
    {
      HsSnapshot *s = hs_trace_get_snapshot (t, i);

      if (hs_snapshot_get_event (s) == HS_EVENT_RETURN)
        returning = s;
      else
        hs_snapshot_unref (s);
    }
  g_assert_nonnull (returning);
  returned = hs_describe_refcount_breakdown (returning, hs_snapshot_get_return_ref (returning));
  g_assert_true (has_drawn (returned, "return value of f"));
  g_assert_true (has_drawn (returned, "b (f)"));
  g_assert_cmpuint (named_count (returned, "a constant of the code of f"), ==, 1);
  g_assert_cmpuint (hs_snapshot_count_references (returning, hs_snapshot_get_return_ref (returning)), ==,
                    returned->drawn->len);
  hs_snapshot_unref (returning);

  g_assert_nonnull (last);
}

/* A module's built-in functions hold it as __self__: math's refcount is
 * mostly them, and was "other".  The program counts them itself, each
 * function once, as the runtime must. */
static void
test_module_functions_named (HsTraceFixture *f,
                             gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import math\n"
    "n = len({id(v) for v in vars(math).values()\n"
    "         if type(v).__name__ == 'builtin_function_or_method' and v.__self__ is math})\n"
    "pass\n");
  g_autoptr(HsSnapshot) at4 = hs_test_step_at_line (t, 4, 0);
  g_autoptr(HsRefcountBreakdown) math = hs_describe_refcount_breakdown (at4, hs_test_var_ref (at4, NULL, "math"));
  const HsObject *n = hs_snapshot_lookup (at4, hs_test_var_ref (at4, NULL, "n"));
  guint64 n_functions = g_ascii_strtoull (n->repr, NULL, 10);

  g_assert_cmpuint (n_functions, >, 40);
  g_assert_true (has_drawn (math, "math"));
  g_assert_cmpuint (named_count (math, "sys.modules['math']"), ==, 1);
  g_assert_cmpuint (named_count (math, "the built-in functions of math (their __self__)"), ==, n_functions);
  g_assert_cmpint (math->other, ==, 0);
  g_assert_cmpint ((gint64) math->drawn->len + math->n_named, ==, math->refcount);
}

/* A running frame holds the function it runs: f, named once, reads one
 * more per call under way.  The program's own getrefcount() agrees. */
static void
test_frame_function_named (HsTraceFixture *f,
                           gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys\n"                                  /* 1 */
    "def f(n):\n"                                   /* 2 */
    "    if n == 0:\n"                              /* 3 */
    "        return sys.getrefcount(f) - 2\n"       /* 4: less the argument and f's name */
    "    return f(n - 1)\n"                         /* 5 */
    "calls = f(2)\n"                                /* 6 */
    "pass\n");                                      /* 7 */
  g_autoptr(HsSnapshot) deepest = hs_test_step_at_line (t, 4, 0);
  g_autoptr(HsSnapshot) after = hs_test_step_at_line (t, 7, 0);
  g_autoptr(HsRefcountBreakdown) running = hs_describe_refcount_breakdown (deepest, hs_test_var_ref (deepest, "<module>", "f"));
  g_autoptr(HsRefcountBreakdown) done = hs_describe_refcount_breakdown (after, hs_test_var_ref (after, NULL, "f"));
  const HsObject *calls = hs_test_var (after, NULL, "calls");

  g_assert_cmpstr (calls->repr, ==, "3");
  g_assert_true (has_drawn (running, "f (<module>)"));
  g_assert_cmpuint (named_count (running, "the running frame of f (the function it runs)"), ==, 3);
  g_assert_cmpint (running->other, ==, 0);
  g_assert_cmpint ((gint64) running->drawn->len + running->n_named, ==, running->refcount);
  /* every call has returned: nothing holds f but its name */
  g_assert_cmpuint (named_count (done, "the running frame of f (the function it runs)"), ==, 0);
  g_assert_cmpint (done->refcount, ==, 1);
  g_assert_cmpint (done->other, ==, 0);
}

/* A holder's references travel as one edge carrying their count, so
 * however many there are, all are named: f held by the 100 frames of a
 * recursion, a class by 100 instances.  (Past 64 they were once left to
 * "other", since each travelled as an edge of its own, read again at
 * every step.) */
static void
test_holders_many (HsTraceFixture *f,
                   gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "class P:\n"                        /* 1 */
    "    pass\n"                        /* 2 */
    "ps = [P() for _ in range(100)]\n"  /* 3 */
    "def f(n):\n"                       /* 4 */
    "    if n == 0:\n"                  /* 5 */
    "        return 0\n"                /* 6 */
    "    return f(n - 1)\n"             /* 7 */
    "f(99)\n");                         /* 8 */
  g_autoptr(HsSnapshot) deepest = hs_test_step_at_line (t, 6, 0);
  g_autoptr(HsRefcountBreakdown) running = hs_describe_refcount_breakdown (deepest, hs_test_var_ref (deepest, "<module>", "f"));
  g_autoptr(HsRefcountBreakdown) cls = hs_describe_refcount_breakdown (deepest, hs_test_var_ref (deepest, "<module>", "P"));

  g_assert_cmpint (running->refcount, ==, 101);
  g_assert_cmpuint (named_count (running, "the running frame of f (the function it runs)"), ==, 100);
  g_assert_cmpint (running->other, ==, 0);
  g_assert_cmpint ((gint64) running->drawn->len + running->n_named + running->other, ==, running->refcount);

  g_assert_cmpuint (named_count (cls, "the instances of P (each holds its class as __class__)"), ==, 100);
  g_assert_cmpint (cls->other, ==, 0);
  g_assert_cmpint ((gint64) cls->drawn->len + cls->n_named + cls->other, ==, cls->refcount);
}

/* How the inspector names the call of a class while its __init__ runs */
#define INIT_HOLDER(init) "the call of its class, which made it and holds it until " init " returns"
#define ARGUMENTS_HOLDER(init) "the call of a class, which passes it to " init " as an argument"

static const char *init_program =
  "class P:\n"
  "    def __init__(self, x):\n"
  "        self.x = x\n"
  "        def get():\n"
  "            return self\n"
  "class Q(P):\n"
  "    def __init__(self, x):\n"
  "        super().__init__(x)\n"
  "        self.y = x\n"
  "p = P(1)\n"
  "q = Q(2)\n"
  "P.__init__(p, 3)\n"
  "r = P(x=4)\n"
  "done = True\n";

/* The one object of the type named at the step, or NULL */
static const HsObject *
only_object_of_type (HsSnapshot *snapshot,
                     const char *type)
{
  const HsObject *objects, *found = NULL;
  guint n;

  objects = hs_snapshot_get_objects (snapshot, &n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (objects[i].type, type))
      {
        g_assert_null (found);
        found = &objects[i];
      }
  return found;
}

/* Whether the step stopped in function, its innermost frame */
static gboolean
innermost_runs (HsSnapshot *snapshot,
                const char *function)
{
  const HsFrame *frames;
  guint n_frames;

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  return n_frames > 0 && hs_test_function_is (&frames[n_frames - 1], function);
}

/* Whether any frame of the step runs function (a class body, by the
 * class's name) */
static gboolean
any_frame_runs (HsSnapshot *snapshot,
                const char *function)
{
  const HsFrame *frames;
  guint n_frames;

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  for (guint i = 0; i < n_frames; i++)
    if (hs_test_function_is (&frames[i], function))
      return TRUE;
  return FALSE;
}

/* The breakdown of ref's refcount at the step, failing the test with the
 * step, the line and the sums unless it adds up: nothing left "other"
 * (the refcount of an immortal object is no count of references) */
static HsRefcountBreakdown *
breakdown_adding_up (const char *version,
                     HsSnapshot *snapshot,
                     guint32     ref,
                     const char *what)
{
  HsRefcountBreakdown *b = hs_describe_refcount_breakdown (snapshot, ref);

  g_assert_nonnull (b);
  if (b->other != 0 && !b->immortal)
    g_error ("Python %s, step %u (line %u): %s has refcount %" G_GINT64_FORMAT
             ", %u drawn + %" G_GINT64_FORMAT " named", version, hs_snapshot_get_index (snapshot),
             hs_snapshot_get_line (snapshot), what, b->refcount, b->drawn->len, b->n_named);
  return b;
}

/* While __init__ runs, the call of the class holds the object it made in a
 * C local (type_call()): every instance read one "other" until then.  Not
 * when the program calls __init__ itself, nor for the base class's
 * __init__ that super() runs, which the subclass's call is the holder
 * for; with self captured by a closure, a cell holds it in the frame.
 * Called with keywords, the call holds it twice. */
static void
test_init_instance (HsTraceFixture *f,
                    gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, init_program);

  if (t == NULL)
    return;

  for (guint step = 0; step < hs_trace_get_n_steps (t); step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, step);
      const char *types[] = { "P", "Q" };

      const HsObject *objects;
      guint n;

      objects = hs_snapshot_get_objects (snapshot, &n);
      for (guint i = 0; i < n; i++)
        for (guint k = 0; k < G_N_ELEMENTS (types); k++)
          if (g_str_equal (objects[i].type, types[k]))
            {
              g_autoptr(HsRefcountBreakdown) b = breakdown_adding_up (version, snapshot, objects[i].ref, types[k]);
            }
    }

  {
    g_autoptr(HsSnapshot) in_p = hs_test_step_at_line (t, 3, 0);
    g_autoptr(HsSnapshot) in_closure = hs_test_step_at_line (t, 4, 0);
    g_autoptr(HsSnapshot) in_super = hs_test_step_at_line (t, 3, 1);
    g_autoptr(HsSnapshot) in_q = hs_test_step_at_line (t, 9, 0);
    g_autoptr(HsSnapshot) called = hs_test_step_at_line (t, 3, 2);
    g_autoptr(HsRefcountBreakdown) a = hs_describe_refcount_breakdown (in_p, only_object_of_type (in_p, "P")->ref);
    g_autoptr(HsRefcountBreakdown) b = hs_describe_refcount_breakdown (in_closure, only_object_of_type (in_closure, "P")->ref);
    g_autoptr(HsRefcountBreakdown) c = hs_describe_refcount_breakdown (in_super, only_object_of_type (in_super, "Q")->ref);
    g_autoptr(HsRefcountBreakdown) d = hs_describe_refcount_breakdown (in_q, only_object_of_type (in_q, "Q")->ref);
    g_autoptr(HsRefcountBreakdown) e = hs_describe_refcount_breakdown (called, only_object_of_type (called, "P")->ref);

    /* self, and the call P(1) */
    g_assert_cmpint (a->refcount, ==, 2);
    g_assert_cmpuint (named_count (a, INIT_HOLDER ("P.__init__")), ==, 1);
    g_assert_cmpuint (named_count (b, INIT_HOLDER ("P.__init__")), ==, 1);
    /* Q(2) runs Q.__init__ from C, which runs P.__init__ itself */
    g_assert_cmpuint (named_count (c, INIT_HOLDER ("Q.__init__")), ==, 1);
    g_assert_cmpuint (named_count (c, INIT_HOLDER ("P.__init__")), ==, 0);
    g_assert_cmpuint (named_count (d, INIT_HOLDER ("Q.__init__")), ==, 1);
    /* P.__init__(p, 3): p and self, and no call of a class */
    g_assert_cmpint (e->refcount, ==, 2);
    g_assert_cmpuint (named_count (e, INIT_HOLDER ("P.__init__")), ==, 0);
    g_assert_cmpuint (e->drawn->len, ==, 2);
  }

  /* P(x=4): self, and the call twice */
  {
    g_autoptr(HsSnapshot) keywords = hs_test_step_at_line (t, 3, 3);
    guint32 p = hs_test_var_ref (keywords, "<module>", "p");
    const HsObject *objects;
    guint n, found = 0;

    objects = hs_snapshot_get_objects (keywords, &n);
    for (guint i = 0; i < n; i++)
      if (g_str_equal (objects[i].type, "P") && objects[i].ref != p)
        {
          g_autoptr(HsRefcountBreakdown) r = hs_describe_refcount_breakdown (keywords, objects[i].ref);

          g_assert_cmpint (r->refcount, ==, 3);
          g_assert_cmpuint (named_count (r, INIT_HOLDER ("P.__init__")), ==, 2);
          found++;
        }
    g_assert_cmpuint (found, ==, 1);
  }
}

static const char *init_from_c_program =
  "class P:\n"
  "    def __init__(self, x):\n"
  "        self.x = x\n"
  "p = P(1)\n"
  "done = list(map(P.__init__, [p], [2]))\n";

/* C code that calls an __init__ itself is no call of the class: p is
 * held by the list [p], which map()'s iterator holds, and by the tuple of
 * arguments map() passes, neither of which is drawn or named. */
static void
test_init_from_c (HsTraceFixture *f,
                  gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, init_from_c_program);
  g_autoptr(HsSnapshot) by_class = NULL;
  g_autoptr(HsSnapshot) by_map = NULL;
  g_autoptr(HsRefcountBreakdown) a = NULL;
  g_autoptr(HsRefcountBreakdown) b = NULL;

  if (t == NULL)
    return;

  by_class = hs_test_step_at_line (t, 3, 0);
  by_map = hs_test_step_at_line (t, 3, 1);
  a = hs_describe_refcount_breakdown (by_class, only_object_of_type (by_class, "P")->ref);
  b = hs_describe_refcount_breakdown (by_map, only_object_of_type (by_map, "P")->ref);
  g_assert_cmpuint (named_count (a, INIT_HOLDER ("P.__init__")), ==, 1);
  g_assert_cmpint (a->other, ==, 0);
  g_assert_cmpuint (named_count (b, INIT_HOLDER ("P.__init__")), ==, 0);
  g_assert_cmpint (b->other, ==, 2);
}

static const char *class_call_program =
  "class P:\n"
  "    def __init__(self, x=None):\n"
  "        self.x = x\n"
  "def f(o):\n"
  "    return o\n"
  "lst = [1]\n"
  "pts = [P(lst), P(2)]\n"
  "y = f(P(lst))\n"
  "ys = [P(i) for i in range(2)]\n"
  "def g():\n"
  "    a = [lst, P(lst)]\n"
  "    return a\n"
  "w = g()\n"
  "done = True\n";

/* A frame that calls a class keeps the class and the arguments on its
 * value stack while __init__ runs, but saves no stack top for a call to
 * C: the class read one "other" there, and each argument one more, and so
 * did what the line had already computed (the first P of pts).  Read from
 * the depth at the line's start: in the module, in a function, in 3.12's
 * inlined comprehension, and in a call nested in another's arguments.
 * The tuple of arguments the call passes __init__ is init-arguments'. */
static void
test_class_call_stack (HsTraceFixture *f,
                       gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, class_call_program);
  guint n_in_init = 0;

  if (t == NULL)
    return;

  for (guint step = 0; step < hs_trace_get_n_steps (t); step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, step);
      g_autoptr(HsRefcountBreakdown) cls = NULL;
      guint32 ref;

      if (!innermost_runs (snapshot, "P.__init__"))
        continue;
      n_in_init++;
      ref = hs_test_var_ref (snapshot, "<module>", "P");
      cls = breakdown_adding_up (version, snapshot, ref, "P");
      /* of <module>, g, or 3.11's <listcomp> */
      g_assert_cmpuint (named_count_prefixed (cls, "the value stack of "), ==, 1);
    }
  /* P(lst), P(2), P(lst), two in the comprehension, P(lst) in g: three
   * steps each */
  g_assert_cmpuint (n_in_init, ==, 18);

  {
    g_autoptr(HsSnapshot) second = hs_test_step_at_line (t, 3, 1);
    g_autoptr(HsSnapshot) in_g = hs_test_step_at_line (t, 3, 5);
    guint32 lst = hs_test_var_ref (second, "<module>", "lst");
    g_autoptr(HsRefcountBreakdown) a = hs_describe_refcount_breakdown (second, lst);
    g_autoptr(HsRefcountBreakdown) b = hs_describe_refcount_breakdown (in_g, lst);
    const HsObject *objects;
    guint n;

    /* P(2) runs with the first P, made by P(lst), on the stack, not
     * drawn: lst is held by its name and by that P's x, which is "other".
     * No longer by the stack: the stack read while P(lst) ran is stale
     * once that __init__ returned (it used to be named, by mistake).
     * The only P drawn is self, which adds up. */
    g_assert_cmpint (a->refcount, ==, 2);
    g_assert_cmpuint (named_count_prefixed (a, "the value stack of "), ==, 0);
    g_assert_cmpint (a->other, ==, 1);
    objects = hs_snapshot_get_objects (second, &n);
    for (guint i = 0; i < n; i++)
      if (g_str_equal (objects[i].type, "P"))
        {
          g_autoptr(HsRefcountBreakdown) self = hs_describe_refcount_breakdown (second, objects[i].ref);

          g_assert_cmpint (self->other, ==, 0);
        }
    /* in g: lst (the global), x, the stack of g twice (in [lst, P(lst)]
     * and as P's argument), and the tuple of arguments the call packs */
    g_assert_cmpuint (named_count (b, "the value stack of g"), ==, 2);
    g_assert_cmpuint (named_count (b, ARGUMENTS_HOLDER ("P.__init__")), ==, 1);
    g_assert_cmpint (b->other, ==, 0);
  }
}

static const char *init_arguments_program =
  "class Point:\n"
  "    def __init__(self, x, y):\n"
  "        self.x = x\n"
  "        self.y = y\n"
  "p = Point(1000, 2000.5)\n"
  "q = Point(3000, y=4000.5)\n"
  "def make(n):\n"
  "    return Point(n, n)\n"
  "r = make(5000.5)\n"
  "done = True\n";

/* The call of a class packs its arguments in a tuple, keyword arguments in
 * a dict, to pass them to __init__ (_PyObject_MakeTpCall()); with
 * keywords it passes each on once more, in an array of new references
 * (_PyStack_UnpackDict()).  Inside Point.__init__, each argument read one
 * "other" for p and two for q. */
static void
test_init_arguments (HsTraceFixture *f,
                     gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, init_arguments_program);
  guint n_in_init = 0;

  if (t == NULL)
    return;

  for (guint step = 0; step < hs_trace_get_n_steps (t); step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, step);
      const HsObject *objects;
      guint n;

      if (!innermost_runs (snapshot, "Point.__init__"))
        continue;
      n_in_init++;
      objects = hs_snapshot_get_objects (snapshot, &n);
      for (guint i = 0; i < n; i++)
        if (g_str_equal (objects[i].type, "int") || g_str_equal (objects[i].type, "float"))
          {
            g_autoptr(HsRefcountBreakdown) b = breakdown_adding_up (version, snapshot, objects[i].ref,
                                                                    objects[i].repr);
          }
    }
  /* three calls, four steps each: the call, two lines, the return */
  g_assert_cmpuint (n_in_init, ==, 12);

  {
    g_autoptr(HsSnapshot) in_p = hs_test_step_at_line (t, 3, 0);
    g_autoptr(HsSnapshot) in_q = hs_test_step_at_line (t, 3, 1);
    g_autoptr(HsSnapshot) in_make = hs_test_step_at_line (t, 3, 2);
    g_autoptr(HsRefcountBreakdown) x = hs_describe_refcount_breakdown (in_p, hs_test_var_ref (in_p, "Point.__init__", "x"));
    g_autoptr(HsRefcountBreakdown) y = hs_describe_refcount_breakdown (in_p, hs_test_var_ref (in_p, "Point.__init__", "y"));
    g_autoptr(HsRefcountBreakdown) qx = hs_describe_refcount_breakdown (in_q, hs_test_var_ref (in_q, "Point.__init__", "x"));
    g_autoptr(HsRefcountBreakdown) qy = hs_describe_refcount_breakdown (in_q, hs_test_var_ref (in_q, "Point.__init__", "y"));
    g_autoptr(HsRefcountBreakdown) n = hs_describe_refcount_breakdown (in_make, hs_test_var_ref (in_make, "Point.__init__", "x"));

    g_assert_cmpuint (named_count (x, ARGUMENTS_HOLDER ("Point.__init__")), ==, 1);
    g_assert_cmpuint (named_count (y, ARGUMENTS_HOLDER ("Point.__init__")), ==, 1);
    /* positional and by keyword alike: the tuple or the dict, and the array */
    g_assert_cmpuint (named_count (qx, ARGUMENTS_HOLDER ("Point.__init__")), ==, 2);
    g_assert_cmpuint (named_count (qy, ARGUMENTS_HOLDER ("Point.__init__")), ==, 2);
    /* Point(n, n): the tuple holds it twice, and the stack of make twice */
    g_assert_cmpuint (named_count (n, ARGUMENTS_HOLDER ("Point.__init__")), ==, 2);
    g_assert_cmpuint (named_count (n, "the value stack of make"), ==, 2);
  }
}

static const char *end_constants_program =
  "class K:\n"
  "    def m(self):\n"
  "        return [7000.5]\n"
  "def f():\n"
  "    return [5000.5]\n"
  "r = f()\n"
  "s = K().m()\n";

/* The one object of the type with the repr at the step */
static const HsObject *
object_with_repr (HsSnapshot *snapshot,
                  const char *type,
                  const char *repr)
{
  const HsObject *objects, *found = NULL;
  guint n;

  objects = hs_snapshot_get_objects (snapshot, &n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (objects[i].type, type) && g_str_equal (objects[i].repr, repr))
      {
        g_assert_null (found);
        found = &objects[i];
      }
  g_assert_nonnull (found);
  return found;
}

/* A function holds its code, and its code its constants, after the
 * script's code is gone: at the last step 5000.5 in r is held by r and by
 * f.__code__.co_consts.  It read one "other" there, as no frame ran f's
 * code any more; so did 7000.5, a constant of a method. */
static void
test_end_constants (HsTraceFixture *f,
                    gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, end_constants_program);

  if (t == NULL)
    return;

  for (guint step = 0; step < hs_trace_get_n_steps (t); step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, step);
      const HsObject *objects;
      guint n;

      objects = hs_snapshot_get_objects (snapshot, &n);
      for (guint i = 0; i < n; i++)
        if (g_str_equal (objects[i].type, "float"))
          {
            g_autoptr(HsRefcountBreakdown) b = breakdown_adding_up (version, snapshot, objects[i].ref,
                                                                    objects[i].repr);
          }
    }

  {
    g_autoptr(HsSnapshot) last = hs_test_last_step (t);
    g_autoptr(HsRefcountBreakdown) a = hs_describe_refcount_breakdown (last, object_with_repr (last, "float", "5000.5")->ref);
    g_autoptr(HsRefcountBreakdown) b = hs_describe_refcount_breakdown (last, object_with_repr (last, "float", "7000.5")->ref);

    g_assert_cmpint (hs_snapshot_get_event (last), ==, HS_EVENT_END);
    g_assert_cmpint (a->refcount, ==, 2);
    g_assert_cmpuint (named_count (a, "a constant of the code of f"), ==, 1);
    g_assert_cmpint (b->refcount, ==, 2);
    g_assert_cmpuint (named_count (b, "a constant of the code of K.m"), ==, 1);
  }
}

static const char *class_cell_program =
  "class Point:\n"
  "    def __init__(self, x):\n"
  "        self.x = x\n"
  "class Labelled(Point):\n"
  "    def __init__(self, x, label):\n"
  "        super().__init__(x)\n"
  "        self.label = label\n"
  "    def parent(self):\n"
  "        return super().__init__\n"
  "q = Labelled(3, 'q')\n"
  "m = Labelled.parent\n"
  "done = True\n";

#define CLASS_CELL_HOLDER "the __class__ cell of the methods of Labelled, which super() reads"

/* The methods of a class that call super() share a cell that holds the
 * class: Labelled read one "other" at every step once it was made.  Not
 * named, and drawn instead, once m = Labelled.parent draws a function
 * whose closure holds the cell.  Checked wherever no class body runs:
 * there the class is not made yet, and its bases stay "other". */
static void
test_class_cell (HsTraceFixture *f,
                 gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, class_cell_program);
  guint n_checked = 0;

  if (t == NULL)
    return;

  for (guint step = 0; step < hs_trace_get_n_steps (t); step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, step);
      g_autoptr(HsRefcountBreakdown) b = NULL;
      const HsObject *objects;
      guint n;
      gboolean in_body = any_frame_runs (snapshot, "Point") || any_frame_runs (snapshot, "Labelled");

      objects = hs_snapshot_get_objects (snapshot, &n);
      for (guint i = 0; i < n && !in_body; i++)
        if (g_str_equal (objects[i].type, "type") && g_str_equal (objects[i].repr, "<class 'Labelled'>"))
          {
            b = breakdown_adding_up (version, snapshot, objects[i].ref, "Labelled");
            n_checked++;
          }
    }
  /* from q = Labelled(3, 'q') on: the module's steps, and those of the
   * two __init__s */
  g_assert_cmpuint (n_checked, >=, 10);

  {
    g_autoptr(HsSnapshot) made = hs_test_step_at_line (t, 10, 0);
    g_autoptr(HsSnapshot) in_init = hs_test_step_at_line (t, 6, 0);
    g_autoptr(HsSnapshot) in_base = hs_test_step_at_line (t, 3, 0);
    g_autoptr(HsSnapshot) drawn = hs_test_step_at_line (t, 12, 0);
    g_autoptr(HsRefcountBreakdown) a = hs_describe_refcount_breakdown (made, hs_test_var_ref (made, "<module>", "Labelled"));
    g_autoptr(HsRefcountBreakdown) b = hs_describe_refcount_breakdown (in_init, hs_test_var_ref (in_init, "<module>", "Labelled"));
    g_autoptr(HsRefcountBreakdown) c = hs_describe_refcount_breakdown (in_base, hs_test_var_ref (in_base, "<module>", "Labelled"));
    g_autoptr(HsRefcountBreakdown) d = hs_describe_refcount_breakdown (drawn, hs_test_var_ref (drawn, "<module>", "Labelled"));

    /* one cell, though two methods hold it */
    g_assert_cmpuint (named_count (a, CLASS_CELL_HOLDER), ==, 1);
    /* while Labelled.__init__ runs, its frame holds the cell too */
    g_assert_cmpuint (named_count (b, CLASS_CELL_HOLDER), ==, 1);
    g_assert_cmpuint (named_count (c, CLASS_CELL_HOLDER), ==, 1);
    /* the cell's arrow, through m's closure */
    g_assert_cmpuint (named_count (d, CLASS_CELL_HOLDER), ==, 0);
    g_assert_cmpuint (d->drawn->len, ==, 2);
    g_assert_true (g_str_has_prefix (g_ptr_array_index (d->drawn, 1), "cell "));
    g_assert_true (g_str_has_suffix (g_ptr_array_index (d->drawn, 1), " (contents)"));
  }
}

static const char *class_dict_program =
  "class Dog:\n"
  "    tricks = []\n"
  "    def __init__(self, name):\n"
  "        self.name = name\n"
  "    def add_trick(self, trick, log=[]):\n"
  "        self.tricks.append(trick)\n"
  "        log.append(trick)\n"
  "        return log\n"
  "d = Dog('Fido')\n"
  "d.add_trick('roll over')\n"
  "t = d.tricks\n"
  "m = Dog.add_trick\n"
  "done = True\n";

#define CLASS_DICT_HOLDER "the __dict__ of the class Dog, as a class attribute"
#define DEFAULTS_HOLDER "the default values of Dog.add_trick (its __defaults__)"

/* The Python tutorial's shared class attribute, and a mutable default of
 * a method.  The class's box draws tricks, which every Dog shares: the
 * list read one "other" before, and was drawn only once t named it.  Its
 * methods are not drawn there; the class's __dict__ holds them, and
 * add_trick's __defaults__ holds log, which read one "other".  Once m
 * holds the method, the graph draws it with its default, which is no
 * longer named. */
static void
test_class_dict (HsTraceFixture *f,
                 gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, class_dict_program);

  if (t == NULL)
    return;

  for (guint step = 0; step < hs_trace_get_n_steps (t); step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, step);
      const HsObject *objects;
      guint n;
      gboolean in_body = any_frame_runs (snapshot, "Dog");

      objects = hs_snapshot_get_objects (snapshot, &n);
      for (guint i = 0; i < n && !in_body; i++)
        if (g_str_equal (objects[i].type, "list") || g_str_equal (objects[i].type, "function"))
          {
            g_autoptr(HsRefcountBreakdown) b = breakdown_adding_up (version, snapshot, objects[i].ref,
                                                                    objects[i].repr);
          }
    }

  {
    g_autoptr(HsSnapshot) made = hs_test_step_at_line (t, 10, 0);
    const HsObject *dog = hs_test_var (made, "<module>", "Dog");
    g_autoptr(HsSnapshot) in_method = hs_test_step_at_line (t, 7, 0);
    g_autoptr(HsSnapshot) shared = hs_test_step_at_line (t, 12, 0);
    g_autoptr(HsSnapshot) drawn = hs_test_step_at_line (t, 13, 0);
    g_autoptr(HsRefcountBreakdown) log = hs_describe_refcount_breakdown (in_method, hs_test_var_ref (in_method, "Dog.add_trick", "log"));
    g_autoptr(HsRefcountBreakdown) tricks = hs_describe_refcount_breakdown (shared, hs_test_var_ref (shared, "<module>", "t"));
    g_autoptr(HsRefcountBreakdown) method = hs_describe_refcount_breakdown (drawn, hs_test_var_ref (drawn, "<module>", "m"));
    const HsObject *function = hs_test_var (drawn, "<module>", "m");
    g_autoptr(HsRefcountBreakdown) log_drawn = hs_describe_refcount_breakdown (drawn, hs_test_edge (drawn, function, HS_EDGE_DEFAULT, "log")->ref);

    /* a data attribute, drawn before any Dog uses it; no methods */
    g_assert_cmpuint (dog->n_edges, ==, 1);
    g_assert_nonnull (hs_test_edge (made, dog, HS_EDGE_ATTR, "tricks"));
    g_assert_cmpuint (named_count (log, DEFAULTS_HOLDER), ==, 1);
    g_assert_cmpint (log->refcount, ==, 2);
    g_assert_cmpuint (named_count (tricks, CLASS_DICT_HOLDER), ==, 0);
    g_assert_true (has_drawn (tricks, "Dog.tricks"));
    g_assert_cmpint (tricks->refcount, ==, 2);
    /* m, and the class's __dict__ */
    g_assert_cmpuint (named_count (method, CLASS_DICT_HOLDER), ==, 1);
    g_assert_cmpint (method->refcount, ==, 2);
    /* drawn as m's default */
    g_assert_cmpuint (named_count (log_drawn, DEFAULTS_HOLDER), ==, 0);
    g_assert_cmpint (log_drawn->refcount, ==, 1);
    g_assert_cmpuint (log_drawn->drawn->len, ==, 1);
  }
}

static const char *class_variable_program =
  "def make():\n"
  "    class C:\n"
  "        def f(self):\n"
  "            return C\n"
  "    return C\n"
  "K = make()\n"
  "r = K().f()\n";

/* A cell that holds the class but is a variable, not __class__: f's
 * frame draws C, through its cell, with the cell's arrow to the class.
 * It was named as the __class__ cell too, and the class read -1
 * "other" inside f. */
static void
test_class_cell_variable (HsTraceFixture *f,
                          gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, class_variable_program);
  guint n_checked = 0;

  if (t == NULL)
    return;

  for (guint step = 0; step < hs_trace_get_n_steps (t); step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, step);
      const HsObject *objects;
      guint n;

      if (!innermost_runs (snapshot, "make.<locals>.C.f"))
        continue;
      objects = hs_snapshot_get_objects (snapshot, &n);
      for (guint i = 0; i < n; i++)
        if (g_str_equal (objects[i].type, "type") && g_str_has_suffix (objects[i].repr, "C'>"))
          {
            g_autoptr(HsRefcountBreakdown) b = breakdown_adding_up (version, snapshot, objects[i].ref, "C");

            g_assert_cmpuint (named_count (b, "the __class__ cell of the methods of make.<locals>.C, which super() reads"), ==, 0);
            n_checked++;
          }
    }
  g_assert_cmpuint (n_checked, >, 0);
}

static const char *renamed_method_program =
  "class Dog:\n"
  "    def add(self, x, log=[]):\n"
  "        log.append(x)\n"
  "        return log\n"
  "got = Dog().add(1)\n"
  "Dog.add.__qualname__ = 'Dog.renamed'\n"
  "done = True\n";

/* A method renamed after its defaults were named is named by its new
 * name; the old one was kept (and could have been freed). */
static void
test_renamed_method (HsTraceFixture *f,
                     gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, renamed_method_program);

  if (t == NULL)
    return;

  {
    g_autoptr(HsSnapshot) before = hs_test_step_at_line (t, 6, 0);
    g_autoptr(HsSnapshot) after = hs_test_step_at_line (t, 7, 0);
    g_autoptr(HsRefcountBreakdown) a = breakdown_adding_up (version, before, hs_test_var_ref (before, "<module>", "got"), "got");
    g_autoptr(HsRefcountBreakdown) b = breakdown_adding_up (version, after, hs_test_var_ref (after, "<module>", "got"), "got");

    g_assert_cmpuint (named_count (a, "the default values of Dog.add (its __defaults__)"), ==, 1);
    g_assert_cmpuint (named_count (b, "the default values of Dog.add (its __defaults__)"), ==, 0);
    g_assert_cmpuint (named_count (b, "the default values of Dog.renamed (its __defaults__)"), ==, 1);
  }
}

static const char *subclasses_program =
  "class A:\n"
  "    pass\n"
  "class B(A):\n"
  "    pass\n"
  "class C(B, A):\n"
  "    pass\n"
  "m = C.__mro__\n"
  "del B\n"
  "done = True\n";

/* A class made from another holds it in __bases__ and as __base__, and
 * every class below it holds it in its __mro__: A read 3 "other" once B
 * was made.  C(B, A) holds A in __bases__ and __mro__ and B as __base__
 * too; a __mro__ the program holds is drawn, and not counted again.  B,
 * its name deleted, stays alive through C.  Checked at the module's
 * steps: while a class body runs, its bases are on the module's value
 * stack and in __build_class__()'s tuple of bases, which stay "other". */
static void
test_subclasses (HsTraceFixture *f,
                 gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, subclasses_program);

  if (t == NULL)
    return;

  for (guint step = 0; step < hs_trace_get_n_steps (t); step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, step);
      const HsObject *objects;
      guint n, n_frames;

      hs_snapshot_get_frames (snapshot, &n_frames);
      if (n_frames != 1)
        continue;
      objects = hs_snapshot_get_objects (snapshot, &n);
      /* the program's classes; object (in m) is held all over */
      for (guint i = 0; i < n; i++)
        if (g_str_equal (objects[i].type, "type") && !g_str_equal (objects[i].repr, "<class 'object'>"))
          {
            g_autoptr(HsRefcountBreakdown) b = breakdown_adding_up (version, snapshot, objects[i].ref, objects[i].repr);
          }
    }

  {
    g_autoptr(HsSnapshot) after_b = hs_test_step_at_line (t, 5, 0);
    g_autoptr(HsSnapshot) after_c = hs_test_step_at_line (t, 7, 0);
    g_autoptr(HsSnapshot) end = hs_test_step_at_line (t, 9, 0);
    g_autoptr(HsRefcountBreakdown) a1 = hs_describe_refcount_breakdown (after_b, hs_test_var_ref (after_b, NULL, "A"));
    g_autoptr(HsRefcountBreakdown) a2 = hs_describe_refcount_breakdown (after_c, hs_test_var_ref (after_c, NULL, "A"));
    g_autoptr(HsRefcountBreakdown) a3 = hs_describe_refcount_breakdown (end, hs_test_var_ref (end, NULL, "A"));
    g_autoptr(HsRefcountBreakdown) b2 = hs_describe_refcount_breakdown (after_c, hs_test_var_ref (after_c, NULL, "B"));

    g_assert_cmpuint (named_count (a1, "the subclasses of A (their __bases__, __base__ and __mro__)"), ==, 3);
    /* and C's __bases__ and __mro__ */
    g_assert_cmpuint (named_count (a2, "the subclasses of A (their __bases__, __base__ and __mro__)"), ==, 5);
    g_assert_cmpuint (named_count (b2, "the subclasses of B (their __bases__, __base__ and __mro__)"), ==, 3);
    /* m = C.__mro__ draws C's __mro__, with its arrow to A */
    g_assert_cmpuint (named_count (a3, "the subclasses of A (their __bases__, __base__ and __mro__)"), ==, 4);
    g_assert_cmpint (a3->other, ==, 0);
  }
}

/* How the inspector names the iterators on the stack of <module> */
#define LOOP_ITERATOR_HOLDER "an iterator on the value stack of <module>"

static const char *loop_program =
  "nums = [1, 2, 3]\n"
  "it = iter(nums)\n"
  "for x in nums:\n"
  "    pass\n"
  "for i, c in enumerate(zip(nums, 'ab')):\n"
  "    pass\n"
  "d = {'k': nums}\n"
  "for k, v in d.items():\n"
  "    v = None\n"
  "rest = list(it)\n"
  "done = True\n"
  "def drop():\n"
  "    global it2\n"
  "    it2 = None\n"
  "    return 0\n"
  "it2 = iter(nums)\n"
  "for y in it2:\n"
  "    drop()\n"
  "done = False\n";

/* A for loop keeps its iterator on the value stack, and the iterator holds
 * what it iterates over; an iterator a variable holds draws an arrow to
 * it.  Before, nums read one "other" for it and one more inside each loop.
 * Through enumerate() and zip(), and through the (k, v) tuple a dict items
 * iterator keeps for reuse, which still holds nums after v lets go of it.
 * An iterator that has run out holds nothing.  One that a function lets
 * go of (it2 = None) while the loop runs it, in a frame that does not
 * run meanwhile, is named from then on. */
static void
test_loop_iterators (HsTraceFixture *f,
                     gconstpointer   data)
{
  const char *version = data;
  const char *held = LOOP_ITERATOR_HOLDER;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, loop_program);
  guint first, last;

  if (t == NULL)
    return;

  /* every step from nums = [1, 2, 3] to the last line: nums adds up,
   * with nothing left to "other" */
  {
    g_autoptr(HsSnapshot) at2 = hs_test_step_at_line (t, 2, 0);
    g_autoptr(HsSnapshot) at19 = hs_test_step_at_line (t, 19, 0);

    first = hs_snapshot_get_index (at2);
    last = hs_snapshot_get_index (at19);
  }
  for (guint step = first; step <= last; step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, step);
      g_autoptr(HsRefcountBreakdown) b = NULL;

      b = breakdown_adding_up (version, snapshot, hs_test_var_ref (snapshot, "<module>", "nums"), "nums");
    }

  {
    g_autoptr(HsSnapshot) in_for = hs_test_step_at_line (t, 4, 0);
    g_autoptr(HsSnapshot) in_enumerate = hs_test_step_at_line (t, 6, 0);
    g_autoptr(HsSnapshot) in_items = hs_test_step_at_line (t, 9, 0);
    g_autoptr(HsSnapshot) end = hs_test_step_at_line (t, 11, 0);
    g_autoptr(HsRefcountBreakdown) a = hs_describe_refcount_breakdown (in_for, hs_test_var_ref (in_for, NULL, "nums"));
    g_autoptr(HsRefcountBreakdown) b = hs_describe_refcount_breakdown (in_enumerate, hs_test_var_ref (in_enumerate, NULL, "nums"));
    g_autoptr(HsRefcountBreakdown) c = hs_describe_refcount_breakdown (in_items, hs_test_var_ref (in_items, NULL, "nums"));
    g_autoptr(HsRefcountBreakdown) z = hs_describe_refcount_breakdown (end, hs_test_var_ref (end, NULL, "nums"));

    /* nums, it's arrow, and the loop's iterator */
    g_assert_cmpint (a->refcount, ==, 3);
    g_assert_true (has_drawn (a, "nums"));
    g_assert_true (has_drawn (a, "it, the iterator over it"));
    g_assert_cmpuint (named_count (a, held), ==, 1);
    /* enumerate holds zip, which holds a list iterator over nums */
    g_assert_cmpuint (named_count (b, held), ==, 1);
    g_assert_cmpint (b->other, ==, 0);
    /* the (k, v) tuple the items iterator keeps to reuse still holds it */
    g_assert_true (has_drawn (c, "v"));
    g_assert_cmpuint (named_count (c, held), ==, 1);
    g_assert_cmpint (c->other, ==, 0);
    /* it ran out, and the loops ended: nums and d['k'] */
    g_assert_cmpint (z->refcount, ==, 2);
    g_assert_cmpuint (z->drawn->len, ==, 2);
    g_assert_false (has_drawn (z, "it, the iterator over it"));
    g_assert_cmpuint (named_count (z, held), ==, 0);
    g_assert_cmpint (z->other, ==, 0);
  }
}

/* Fails the test unless every object of one of types (NULL-terminated)
 * adds up in snapshot; how many objects it checked */
static guint
types_adding_up_in (const char        *version,
                    HsSnapshot        *snapshot,
                    const char *const *types)
{
  const HsObject *objects;
  guint n_objects, checked = 0;

  objects = hs_snapshot_get_objects (snapshot, &n_objects);
  for (guint i = 0; i < n_objects; i++)
    if (g_strv_contains (types, objects[i].type))
      {
        g_autoptr(HsRefcountBreakdown) b = breakdown_adding_up (version, snapshot, objects[i].ref,
                                                                 objects[i].repr);
        checked++;
      }
  return checked;
}

/* The same at every step from first on, but those whose innermost frame
 * runs skipped (NULL: none) */
static guint
types_adding_up (const char        *version,
                 HsTrace           *t,
                 const char *const *types,
                 guint              first,
                 const char        *skipped)
{
  guint checked = 0;

  for (guint step = first; step < hs_trace_get_n_steps (t); step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, step);

      if (skipped == NULL || !innermost_runs (snapshot, skipped))
        checked += types_adding_up_in (version, snapshot, types);
    }
  return checked;
}

static const char *instance_dict_held_program =
  "class C:\n"
  "    pass\n"
  "c = C()\n"
  "c.v = [1000.5]\n"
  "d = c.__dict__\n"
  "it = iter(vars(c))\n"
  "del d\n"
  "del it\n"
  "c.w = 2000.5\n"
  "done = True\n";

/* An instance's __dict__ that something else holds (d = c.__dict__, an
 * iterator over it) is drawn as a dict, with the arrows of its entries,
 * and c draws an arrow to it: before, c drew its attributes as rows as
 * well, and [1000.5] read "-1 other", one arrow too many.  Once nothing
 * else holds it, c draws rows again. */
static void
test_instance_dict_held (HsTraceFixture *f,
                         gconstpointer   data)
{
  static const char *const types[] = { "C", "list", "float", "dict", "dict_keyiterator", NULL };
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, instance_dict_held_program);

  if (t == NULL)
    return;

  g_assert_cmpuint (types_adding_up (version, t, types, 0, NULL), >, 20);
  {
    g_autoptr(HsSnapshot) held = hs_test_step_at_line (t, 7, 0);
    g_autoptr(HsSnapshot) alone = hs_test_step_at_line (t, 10, 0);
    const HsObject *dict = hs_test_edge (held, hs_test_var (held, NULL, "c"), HS_EDGE_ATTR, "__dict__");

    g_assert_cmpuint (dict->ref, ==, hs_test_var_ref (held, NULL, "d"));
    g_assert_cmpstr (hs_test_edge (held, dict, HS_EDGE_VALUE, "0")->repr, ==, "[1000.5]");
    g_assert_cmpstr (hs_test_edge (alone, hs_test_var (alone, NULL, "c"), HS_EDGE_ATTR, "w")->repr, ==, "2000.5");
  }
}

static const char *class_dict_changes_program =
  "import gc\n"
  "class Helper:\n"
  "    pass\n"
  "class Dog:\n"
  "    helper = Helper()\n"
  "    def bark(self):\n"
  "        return 1\n"
  "h = Dog.__dict__['helper']\n"
  "b = Dog.__dict__['bark']\n"
  "Helper.__get__ = lambda self, obj, owner: 5\n"
  "step = 1\n"
  "del Helper.__get__\n"
  "step = 2\n"
  "r = [x for x in gc.get_referents(Dog) if type(x) is dict]\n"
  "done = True\n";

/* What a class's box draws of its __dict__, and what is named as held by
 * it, change without the dict changing: Helper's instance stops being a
 * data attribute when Helper gains a __get__ (line 11), and is one again
 * without it (line 13); the dict is drawn once the program holds it
 * (line 15, through gc.get_referents ()), and its entries are then its
 * arrows.  Before, the split was taken when the dict changed: h read
 * "+1 other" from line 11, and bark was counted twice at line 15. */
static void
test_class_dict_changes (HsTraceFixture *f,
                         gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, class_dict_changes_program);
  guint first;

  if (t == NULL)
    return;

  {
    g_autoptr(HsSnapshot) at10 = hs_test_step_at_line (t, 10, 0);

    first = hs_snapshot_get_index (at10);
  }
  for (guint step = first; step < hs_trace_get_n_steps (t); step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, step);
      g_autoptr(HsRefcountBreakdown) h = NULL;
      g_autoptr(HsRefcountBreakdown) b = NULL;

      /* while the comprehension runs (inlined from 3.12 on), the list
       * gc.get_referents () made holds the dict on the value stack only,
       * and is not drawn: neither are its arrows */
      if (!innermost_runs (snapshot, "<module>") || hs_snapshot_get_line (snapshot) == 14)
        continue;
      h = breakdown_adding_up (version, snapshot, hs_test_var_ref (snapshot, "<module>", "h"), "h");
      b = breakdown_adding_up (version, snapshot, hs_test_var_ref (snapshot, "<module>", "b"), "b");
    }

  {
    g_autoptr(HsSnapshot) descriptor = hs_test_step_at_line (t, 11, 0);
    g_autoptr(HsSnapshot) again = hs_test_step_at_line (t, 13, 0);
    g_autoptr(HsSnapshot) end = hs_test_step_at_line (t, 15, 0);
    g_autoptr(HsRefcountBreakdown) h1 = hs_describe_refcount_breakdown (descriptor, hs_test_var_ref (descriptor, NULL, "h"));
    g_autoptr(HsRefcountBreakdown) h2 = hs_describe_refcount_breakdown (again, hs_test_var_ref (again, NULL, "h"));
    g_autoptr(HsRefcountBreakdown) b3 = hs_describe_refcount_breakdown (end, hs_test_var_ref (end, NULL, "b"));

    g_assert_cmpuint (named_count (h1, "the __dict__ of the class Dog, as a class attribute"), ==, 1);
    g_assert_true (has_drawn (h2, "Dog.helper"));
    g_assert_cmpuint (named_count (h2, "the __dict__ of the class Dog, as a class attribute"), ==, 0);
    g_assert_cmpuint (b3->drawn->len, ==, 2);
    g_assert_cmpuint (named_count (b3, "the __dict__ of the class Dog, as a class attribute"), ==, 0);
  }
}

static const char *loop_made_program =
  "nums = [3000.5, 1000.5]\n"
  "d = {'b': nums, 'a': [7]}\n"
  "for x in sorted(nums):\n"
  "    y = x\n"
  "for k, v in sorted(d.items()):\n"
  "    w = v\n"
  "for k, v in {'q': nums, 'r': 5000.5}.items():\n"
  "    w = v\n"
  "done = 1\n";

/* A list or dict made for a for loop alone (sorted (nums), a dict
 * display's items ()) is held by the loop's iterator only, and holds its
 * items: each read "+1 other" while the loop ran. */
static void
test_loop_made_containers (HsTraceFixture *f,
                           gconstpointer   data)
{
  static const char *const types[] = { "float", "list", "tuple", "dict", NULL };
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, loop_made_program);

  if (t == NULL)
    return;

  g_assert_cmpuint (types_adding_up (version, t, types, 0, NULL), >, 50);
}

static const char *constant_tuples_program =
  "nums = [1000, 2000, 3000]\n"
  "t = (4000, 5000)\n"
  "points = [(6000, 7000), (8000, 9000)]\n"
  "def f():\n"
  "    xs = [1500, 2500, 3500]\n"
  "    return xs\n"
  "ys = f()\n"
  "ok = 6500 in {6500, 7500}\n"
  "class K:\n"
  "    def m(self):\n"
  "        return [4500.5, 5500.5, 6500.5]\n"
  "zs = K().m()\n"
  "t = None\n"
  "done = True\n";

/* A list display of three or more constants is built from a constant
 * tuple, which stays in co_consts holding each item: every item of nums,
 * points, ys and zs read "+1 other" for it, in every version.  The items
 * of such a tuple are named as constants of its code while nothing else
 * holds it; t = (4000, 5000) holds it, and draws arrows to 4000 and 5000
 * instead.  After the script, the code of f and of K.m still hold theirs. */
static void
test_constant_tuples (HsTraceFixture *f,
                      gconstpointer   data)
{
  static const char *const types[] = { "int", "float", "list", "tuple", "frozenset", NULL };
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, constant_tuples_program);

  if (t == NULL)
    return;

  g_assert_cmpuint (types_adding_up (version, t, types, 0, NULL), >, 100);

  {
    g_autoptr(HsSnapshot) at3 = hs_test_step_at_line (t, 3, 0);
    g_autoptr(HsSnapshot) end = hs_test_last_step (t);
    const HsObject *pair = hs_test_var (at3, NULL, "t");
    const HsObject *nums = hs_test_var (at3, NULL, "nums");
    const HsObject *ys = hs_test_var (end, NULL, "ys");
    g_autoptr(HsRefcountBreakdown) first = NULL;
    g_autoptr(HsRefcountBreakdown) held_by_t = NULL;
    g_autoptr(HsRefcountBreakdown) in_f = NULL;

    first = breakdown_adding_up (version, at3, hs_test_edge (at3, nums, HS_EDGE_ITEM, "0")->ref, "1000");
    g_assert_cmpuint (named_count (first, "a constant of the code of <module>"), ==, 1);
    held_by_t = breakdown_adding_up (version, at3, hs_test_edge (at3, pair, HS_EDGE_ITEM, "0")->ref, "4000");
    g_assert_cmpuint (named_count (held_by_t, "a constant of the code of <module>"), ==, 0);
    in_f = breakdown_adding_up (version, end, hs_test_edge (end, ys, HS_EDGE_ITEM, "0")->ref, "1500");
    g_assert_cmpuint (named_count (in_f, "a constant of the code of f"), ==, 1);
  }
}

static const char *shared_constants_program =
  "nums = [1000, 2000, 3000]\n"
  "def f():\n"
  "    return [1000, 2000, 3000]\n"
  "def h():\n"
  "    return (6000, 7000)\n"
  "def g():\n"
  "    return (4000, 5000)\n"
  "y = ((6000, 7000), 8000)\n"
  "z = 1\n"
  "w = 2\n"
  "r = g()\n"
  "s = f()\n"
  "done = True\n";

/* Found by review: the compiler merges equal constants across a module,
 * and a tuple that <module> and f both hold named its items twice; the
 * tuple (6000, 7000), read before the tuple y that holds it, stayed
 * followed a step after y was drawn; and from 3.12 on, g's (4000, 5000)
 * is drawn as the return value at the step before its reference is
 * taken, while its items were named.  Each read "-1 other". */
static void
test_shared_constants (HsTraceFixture *f,
                       gconstpointer   data)
{
  /* not the returned tuple itself: from 3.12 on, a return of a constant
   * draws the return value before its reference is taken (see the issue
   * notes), which this change does not touch */
  static const char *const types[] = { "int", "list", NULL };
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, shared_constants_program);
  g_autoptr(HsSnapshot) at10 = NULL;
  g_autoptr(HsRefcountBreakdown) outer = NULL;
  g_autoptr(HsRefcountBreakdown) inner = NULL;
  const HsObject *y;

  if (t == NULL)
    return;
  g_assert_cmpuint (types_adding_up (version, t, types, 0, NULL), >, 50);
  at10 = hs_test_step_at_line (t, 10, 0);
  y = hs_test_var (at10, NULL, "y");
  outer = breakdown_adding_up (version, at10, y->ref, "y");
  inner = breakdown_adding_up (version, at10, hs_test_edge (at10, y, HS_EDGE_ITEM, "0")->ref, "y[0]");
}

static const char *inline_values_program =
  "class C:\n"
  "    pass\n"
  "c = C()\n"
  "c.a = [1000]\n"
  "d = c.__dict__\n"
  "old = c.a\n"
  "c.a = [2000]\n"
  "w = 1\n";

/* Found by review: 3.13 stores c.a = x into the inline values that the
 * __dict__ d shares, without changing the dict's version, and the walk
 * replayed d's old arrow to [1000] (drawn twice, "-1 other") while
 * [2000] was drawn nowhere. */
static void
test_inline_values_dict (HsTraceFixture *f,
                         gconstpointer   data)
{
  static const char *const types[] = { "list", "dict", NULL };
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, inline_values_program);
  g_autoptr(HsSnapshot) end = NULL;

  if (t == NULL)
    return;
  g_assert_cmpuint (types_adding_up (version, t, types, 0, NULL), >, 10);
  end = hs_test_step_at_line (t, 8, 0);
  g_assert_cmpstr (hs_test_edge (end, hs_test_var (end, NULL, "d"), HS_EDGE_VALUE, "0")->repr, ==, "[2000]");
}

static const char *returned_constant_program =
  "def f():\n"
  "    return 1000.5\n"
  "def g():\n"
  "    t = 2000.5\n"
  "    return t\n"
  "def h():\n"
  "    return (3000.5, 4000.5)\n"
  "x = f()\n"
  "y = g()\n"
  "z = h()\n"
  "done = True\n";

/* The label of the innermost frame's row that points at what it hands
 * back, at step snapshot */
static const char *
returned_row_label (HsSnapshot *snapshot)
{
  g_autoptr(HsLayout) layout = every_object_layout (snapshot);
  const HsLayoutBox *boxes;
  guint n_boxes;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    for (guint r = 0; r < boxes[b].n_rows; r++)
      if (boxes[b].kind == HS_LAYOUT_BOX_FRAME &&
          boxes[b].rows[r].target == hs_snapshot_get_return_ref (snapshot))
        return g_intern_string (boxes[b].rows[r].label);
  return NULL;
}

/* The return step of function, which must be there */
static HsSnapshot *
return_of (HsTrace    *t,
           const char *function)
{
  for (guint i = 0; i < hs_trace_get_n_steps (t); i++)
    {
      HsSnapshot *s = hs_trace_get_snapshot (t, i);

      if (hs_snapshot_get_event (s) == HS_EVENT_RETURN && innermost_runs (s, function))
        return s;
      hs_snapshot_unref (s);
    }
  g_error ("no return of %s", function);
}

/* 3.12 and later report the return of a constant (RETURN_CONST) before
 * they take the return's reference to it: the "return value" arrow is
 * drawn, but holds no reference yet.  It counted as one, and 1000.5 read
 * "-1 other" at f's return.  A value returned from the stack (g) is
 * held by the return in every version. */
static void
test_returned_constant (HsTraceFixture *f,
                        gconstpointer   data)
{
  static const char *const types[] = { "float", "tuple", NULL };
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, returned_constant_program);
  gboolean borrows = !g_str_equal (version, "3.11");
  g_autoptr(HsSnapshot) from_f = NULL;
  g_autoptr(HsSnapshot) from_g = NULL;
  g_autoptr(HsSnapshot) from_h = NULL;
  g_autoptr(HsRefcountBreakdown) constant = NULL;
  g_autoptr(HsRefcountBreakdown) local = NULL;
  g_autoptr(HsRefcountBreakdown) pair = NULL;
  const char *pending_f = "return value of f, which takes its reference as the return completes";

  if (t == NULL)
    return;
  g_assert_cmpuint (types_adding_up (version, t, types, 0, NULL), >, 10);

  from_f = return_of (t, "f");
  constant = breakdown_adding_up (version, from_f, hs_snapshot_get_return_ref (from_f), "f's return value");
  g_assert_cmpint (hs_snapshot_get_return_borrowed (from_f), ==, borrows);
  g_assert_cmpint (has_drawn (constant, "return value of f"), ==, !borrows);
  g_assert_cmpuint (named_count (constant, "a constant of the code of f"), ==, 1);
  g_assert_cmpuint (hs_snapshot_count_references (from_f, hs_snapshot_get_return_ref (from_f)), ==,
                    constant->drawn->len);
  if (borrows)
    {
      gboolean listed = FALSE;

      for (guint i = 0; i < constant->named->len; i++)
        if (g_str_equal (g_ptr_array_index (constant->named, i), pending_f))
          {
            g_assert_cmpuint (g_array_index (constant->named_counts, guint, i), ==, 0);
            listed = TRUE;
          }
      g_assert_true (listed);
    }
  /* the row is drawn either way, and says when it holds no reference */
  g_assert_cmpstr (returned_row_label (from_f), ==, borrows ? "return value (no reference yet)" : "return value");

  from_g = return_of (t, "g");
  local = breakdown_adding_up (version, from_g, hs_snapshot_get_return_ref (from_g), "g's return value");
  g_assert_false (hs_snapshot_get_return_borrowed (from_g));
  g_assert_true (has_drawn (local, "return value of g"));
  g_assert_true (has_drawn (local, "t (g)"));

  from_h = return_of (t, "h");
  pair = breakdown_adding_up (version, from_h, hs_snapshot_get_return_ref (from_h), "h's return value");
  g_assert_cmpint (hs_snapshot_get_return_borrowed (from_h), ==, borrows);
}

static const char *called_from_c_program =
  "def countdown(n):\n"              /* 1 */
  "    while n > 0:\n"               /* 2 */
  "        yield [n]\n"              /* 3 */
  "        n -= 1\n"                 /* 4 */
  "def key(p):\n"                    /* 5 */
  "    return -p[0]\n"               /* 6 */
  "g = countdown(2)\n"               /* 7 */
  "a = next(g)\n"                    /* 8 */
  "b = next(g)\n"                    /* 9 */
  "ps = sorted([a, b], key=key)\n"   /* 10 */
  "import functools\n"               /* 11 */
  "h = countdown(3)\n"               /* 12 */
  "step = functools.partial(next, h)\n" /* 13 */
  "held = step.args\n"               /* 14 */
  "c = step(None)\n"                 /* 15 */
  "done = True\n";                   /* 16 */

/* A frame that calls C code, which calls Python back (next (g) runs the
 * generator, sorted () calls its key), saves no top of its value stack,
 * and what that call passes lay there unnamed: the generator read
 * "+1 other" all the while it ran, and key too.  What sorted () keeps in
 * its own copy of the list stays "other", so lists are left out while
 * key runs.  functools.partial (next, h) puts h, as its first argument,
 * in the slot just below the arguments its caller passes while it runs,
 * a reference it borrows: counted there, h read "-1 other" (found by
 * review). */
static void
test_called_from_c (HsTraceFixture *f,
                    gconstpointer   data)
{
  static const char *const generators[] = { "generator", "function", NULL };
  static const char *const lists[] = { "list", NULL };
  const char *stack = "the value stack of <module>";
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, called_from_c_program);
  guint checked = 0;

  if (t == NULL)
    return;
  /* not while the partial's arguments are drawn nowhere (lines 13 and 14) */
  for (guint i = 0; i < hs_trace_get_n_steps (t); i++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, i);

      if (hs_snapshot_get_line (snapshot) != 13 && hs_snapshot_get_line (snapshot) != 14)
        checked += types_adding_up_in (version, snapshot, generators);
    }
  g_assert_cmpuint (checked, >, 20);
  g_assert_cmpuint (types_adding_up (version, t, lists, 0, "key"), >, 10);
  {
    g_autoptr(HsSnapshot) yielding = hs_test_step_at_line (t, 3, 0);
    g_autoptr(HsSnapshot) keyed = hs_test_step_at_line (t, 6, 0);
    g_autoptr(HsRefcountBreakdown) generator = NULL;
    g_autoptr(HsRefcountBreakdown) function = NULL;

    g_assert_true (innermost_runs (yielding, "countdown"));
    generator = hs_describe_refcount_breakdown (yielding, hs_test_var_ref (yielding, "<module>", "g"));
    g_assert_true (has_drawn (generator, "g (<module>)"));
    g_assert_cmpuint (named_count (generator, stack), ==, 1);
    g_assert_cmpint (generator->other, ==, 0);
    function = hs_describe_refcount_breakdown (keyed, hs_test_var_ref (keyed, "<module>", "key"));
    g_assert_cmpuint (named_count (function, stack), ==, 1);
    g_assert_cmpint (function->other, ==, 0);
  }
}

static const char *operator_program =
  "class V:\n"                        /* 1 */
  "    def __init__(self, x):\n"      /* 2 */
  "        self.x = x\n"              /* 3 */
  "    def __eq__(self, other):\n"    /* 4 */
  "        return True\n"             /* 5 */
  "    def __add__(self, other):\n"   /* 6 */
  "        return V(self.x + other.x)\n" /* 7 */
  "    def __getitem__(self, i):\n"   /* 8 */
  "        return self.x\n"           /* 9 */
  "    def __len__(self):\n"          /* 10 */
  "        return 1\n"                /* 11 */
  "    def __repr__(self):\n"         /* 12 */
  "        return 'V'\n"              /* 13 */
  "    def __neg__(self):\n"          /* 14 */
  "        return -self.x\n"          /* 15 */
  "a = V(1)\n"                        /* 16 */
  "b = V(2)\n"                        /* 17 */
  "same = a == None\n"                /* 18 */
  "c = a + b\n"                       /* 19 */
  "first = a[0]\n"                    /* 20 */
  "n = len(a)\n"                      /* 21 */
  "r = repr(a)\n"                     /* 22 */
  "d = -b\n"                          /* 23 */
  "if b:\n"                           /* 24 */
  "    done = True\n"                 /* 25 */
  "if a == b:\n"                      /* 26 */
  "    done = False\n"                /* 27 */
  "part = a[1:2]\n";                  /* 28 */

/* An operator runs a special method from C: a == None runs a.__eq__,
 * and a and None wait on the value stack of <module> until it returns,
 * which saved no top while in C.  a read "+1 other" inside __eq__; so
 * did what a + b, a[0], -b and `if b:` left on the stack, and what
 * len (a) and repr (a) pass, while __len__ and __repr__ ran.  Not
 * print (a) on 3.11, whose str () of a calls object.__str__ through a
 * tuple of its own that holds a, nor b.x through __getattr__, which
 * CPython calls through a bound method of its own that holds b (python3
 * counts both too); nor a property's getter, which is no special method
 * (see method_self () in hs-holders.c). */
static void
test_called_for_operator (HsTraceFixture *f,
                          gconstpointer   data)
{
  static const char *const types[] = { "V", NULL };
  static const struct { guint line; const char *name; } inside[] = {
    { 5, "a" }, { 7, "a" }, { 7, "b" }, { 9, "a" }, { 11, "a" }, { 13, "a" }, { 15, "b" },
  };
  const char *stack = "the value stack of <module>";
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, operator_program);

  if (t == NULL)
    return;
  g_assert_cmpuint (types_adding_up (version, t, types, 0, NULL), >, 20);
  for (guint k = 0; k < G_N_ELEMENTS (inside); k++)
    {
      g_autoptr(HsSnapshot) step = hs_test_step_at_line (t, inside[k].line, 0);
      g_autoptr(HsRefcountBreakdown) held = NULL;

      held = breakdown_adding_up (version, step, hs_test_var_ref (step, "<module>", inside[k].name), inside[k].name);
      if (named_count (held, stack) != 1)
        g_error ("Python %s, line %u: %s is held %u times by %s", version, inside[k].line, inside[k].name,
                 named_count (held, stack), stack);
    }
  /* `if b:` runs __len__ a second time, with b on the stack; `if a == b:`
   * __eq__, with a and b (3.13 compares and tests the result in one
   * instruction); a[1:2] __getitem__, with a and the slice, which holds
   * 1 and 2 (3.12 on: the instruction made the slice from them) */
  {
    static const struct { guint line, nth; const char *name; } again[] = {
      { 11, 1, "b" }, { 5, 1, "a" }, { 5, 1, "b" }, { 9, 1, "a" },
    };

    for (guint k = 0; k < G_N_ELEMENTS (again); k++)
      {
        g_autoptr(HsSnapshot) step = hs_test_step_at_line (t, again[k].line, again[k].nth);
        g_autoptr(HsRefcountBreakdown) held = NULL;

        held = breakdown_adding_up (version, step, hs_test_var_ref (step, "<module>", again[k].name), again[k].name);
        if (named_count (held, stack) != 1)
          g_error ("Python %s, line %u (%u): %s is held %u times by %s", version, again[k].line, again[k].nth,
                   again[k].name, named_count (held, stack), stack);
      }
  }
}

static const char *being_collected_program =
  "import gc\n"                       /* 1 */
  "gc.disable()\n"                    /* 2 */
  "class Node:\n"                     /* 3 */
  "    def __del__(self):\n"          /* 4 */
  "        print('bye')\n"            /* 5 */
  "a = Node()\n"                      /* 6 */
  "a.me = a\n"                        /* 7 */
  "del a\n"                           /* 8 */
  "gc.collect()\n";                   /* 9 */

/* The marks of the box of the object ref */
static const char *
box_marks (HsLayout *layout,
           guint32   ref)
{
  const HsLayoutBox *box = hs_layout_get_object_box (layout, ref);

  g_assert_nonnull (box);
  return box->marks;
}

/* While gc.collect () runs the __del__ of the garbage it found, that
 * garbage is in none of the collector's generations: its box read
 * "gc gen 0", where it had been before, and now reads "being collected",
 * and so do the inspector's facts and the badge's sentence.  Before the
 * collection, "gc gen 0".  Its class names it among its instances. */
static void
test_being_collected (HsTraceFixture *f,
                      gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, being_collected_program);
  g_autoptr(HsSnapshot) before = NULL;
  g_autoptr(HsSnapshot) inside = NULL;
  g_autoptr(HsLayout) before_layout = NULL;
  g_autoptr(HsLayout) inside_layout = NULL;
  g_autofree char *facts = NULL;
  g_autofree char *tip = NULL;
  const HsObject *self;
  guint32 ref;

  if (t == NULL)
    return;
  before = hs_test_step_at_line (t, 8, 0);
  ref = hs_test_var_ref (before, NULL, "a");
  before_layout = every_object_layout (before);
  g_assert_nonnull (strstr (box_marks (before_layout, ref), "gc gen 0"));

  inside = hs_test_step_at_line (t, 5, 0);
  self = hs_test_var (inside, "__del__", "self");
  g_assert_cmpuint (self->ref, ==, ref);
  g_assert_true (self->flags & HS_OBJECT_COLLECTING);
  inside_layout = every_object_layout (inside);
  g_assert_nonnull (strstr (box_marks (inside_layout, ref), "being collected"));
  g_assert_null (strstr (box_marks (inside_layout, ref), "gc gen"));
  facts = hs_describe_flags (version, self->flags);
  g_assert_nonnull (strstr (facts, "being collected by gc"));
  tip = hs_describe_flag_tooltip (version, self->flags, HS_OBJECT_GC_TRACKED);
  g_assert_nonnull (strstr (tip, "in none of its generations"));
  /* and its class counts it among its instances: Node read "+1 other",
   * the instance being collected, which holds it as __class__ */
  {
    g_autoptr(HsRefcountBreakdown) node = NULL;

    node = breakdown_adding_up (version, inside, hs_test_var_ref (inside, "<module>", "Node"), "Node");
    g_assert_cmpuint (named_count (node, "the instances of Node (each holds its class as __class__)"), ==, 1);
  }
}

/* sys, set up the old way by C code, is held by the interpreter's list
 * of such modules (modules_by_index), where its C code finds it again,
 * and it read "+2 other": that list, and the original sys.settrace that
 * Heapscope kept, which held sys as its __self__ (no longer). */
static void
test_module_index (HsTraceFixture *f,
                   gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, "import sys\nx = sys\npass\n");
  g_autoptr(HsSnapshot) last = NULL;
  g_autoptr(HsRefcountBreakdown) sys = NULL;

  if (t == NULL)
    return;
  last = hs_test_step_at_line (t, 3, 0);
  sys = breakdown_adding_up (version, last, hs_test_var_ref (last, NULL, "sys"), "sys");
  g_assert_cmpuint (named_count (sys, "the interpreter's module index (PyState_FindModule())"), ==, 1);
}

/* __main__'s globals are the variables the graph draws, so their
 * references were all left out of the hidden ones: each name too, though
 * a variable's name is no arrow, and the values of the names the graph
 * hides.  The freeing lesson's 'first', the name of a variable and the
 * value of an attribute, read "+1 other" (3.11, where that str is not
 * immortal), and __builtins__'s module one more on every version. */
static void
test_main_globals (HsTraceFixture *f,
                   gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version,
    "class C:\n"                  /* 1 */
    "    pass\n"                  /* 2 */
    "c = C()\n"                   /* 3 */
    "c.tag = 'first'\n"           /* 4 */
    "first = __builtins__\n"      /* 5 */
    "pass\n");                    /* 6 */
  g_autoptr(HsSnapshot) last = NULL;
  g_autoptr(HsRefcountBreakdown) name = NULL;
  g_autoptr(HsRefcountBreakdown) builtins = NULL;
  const HsObject *c, *tag;

  if (t == NULL)
    return;
  last = hs_test_step_at_line (t, 6, 0);
  c = hs_test_var (last, NULL, "c");
  tag = hs_test_edge (last, c, HS_EDGE_ATTR, "tag");
  g_assert_cmpstr (tag->repr, ==, "'first'");
  name = breakdown_adding_up (version, last, tag->ref, "'first'");
  if (!name->immortal)
    g_assert_cmpuint (named_count (name, "the globals of the module __main__"), ==, 1);
  builtins = breakdown_adding_up (version, last, hs_test_var_ref (last, NULL, "first"), "builtins");
  g_assert_cmpuint (named_count (builtins, "the globals of the module __main__"), ==, 1);
}

/* x = Node () lets go of the Node x held, whose __del__ runs inside the
 * store: STORE_NAME holds the new Node, which it popped, until the
 * dict's store returns, and that store holds the name.  The new Node
 * read "+1 other", and so did the name where it is not immortal (3.11):
 * the freeing lesson's first = None. */
static void
test_store_finalizes (HsTraceFixture *f,
                      gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version,
    "class Node:\n"                     /* 1 */
    "    def __del__(self):\n"          /* 2 */
    "        print('del', self.tag)\n"  /* 3 */
    "x = Node()\n"                      /* 4 */
    "x.tag = 'x'\n"                     /* 5 */
    "x = Node()\n"                      /* 6 */
    "x.tag = 'new'\n");                 /* 7 */
  g_autoptr(HsSnapshot) inside = NULL;
  g_autoptr(HsRefcountBreakdown) stored = NULL;
  g_autoptr(HsRefcountBreakdown) old = NULL;
  g_autoptr(HsRefcountBreakdown) name = NULL;
  const HsObject *self, *x;

  if (t == NULL)
    return;
  inside = hs_test_step_at_line (t, 3, 0);
  self = hs_test_var (inside, "Node.__del__", "self");
  x = hs_test_var (inside, "<module>", "x");
  g_assert_cmpuint (self->ref, !=, x->ref);
  stored = breakdown_adding_up (version, inside, x->ref, "the Node stored");
  g_assert_cmpuint (named_count (stored, "the value stack of <module>"), ==, 1);
  old = breakdown_adding_up (version, inside, self->ref, "the Node finalized");
  /* the name x, the old Node's tag, which the compiler interned:
   * immortal from 3.12 on */
  name = breakdown_adding_up (version, inside, hs_test_edge (inside, self, HS_EDGE_ATTR, "tag")->ref, "the name x");
  if (!name->immortal)
    g_assert_cmpuint (named_count (name, "the value stack of <module>"), ==, 1);
}

/* b.size runs the property's getter from C, and the caller's value stack
 * holds b until it returns, as it does for getattr (b, 'size'), which
 * passes b.  b read "+1 other" at every step inside the getter.  Were
 * 3.12 on to specialise the loop's b.size (LOAD_ATTR_PROPERTY, which
 * gives the getter the stack's reference), b would read no stack and
 * still add up: under Heapscope it stayed unspecialised, as the trace
 * shows the stack holding it at each pass. */
static void
test_property_getter (HsTraceFixture *f,
                      gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version,
    "class Box:\n"                        /* 1 */
    "    @property\n"                     /* 2 */
    "    def size(self):\n"               /* 3 */
    "        return 1\n"                  /* 4 */
    "b = Box()\n"                         /* 5 */
    "n = b.size\n"                        /* 6 */
    "k = getattr(b, 'size')\n"            /* 7 */
    "for _ in range(8):\n"                /* 8 */
    "    n = b.size\n");                  /* 9 */

  if (t == NULL)
    return;
  for (guint nth = 0; nth < 10; nth++)
    {
      g_autoptr(HsSnapshot) inside = hs_test_step_at_line (t, 4, nth);
      g_autoptr(HsRefcountBreakdown) box = NULL;
      const HsObject *self;

      g_assert_nonnull (inside);
      self = hs_test_var (inside, "Box.size", "self");
      box = breakdown_adding_up (version, inside, self->ref, "b");
      g_assert_cmpuint (hs_test_var_ref (inside, "<module>", "b"), ==, self->ref);
      /* the getter's self, b, and what holds b while it runs: the stack
       * of <module>, unless b.size is specialised (see above) */
      g_assert_cmpint (box->refcount, ==, 2 + named_count (box, "the value stack of <module>"));
      if (nth < 2)
        g_assert_cmpuint (named_count (box, "the value stack of <module>"), ==, 1);
    }
}

/* An f-string holds what it formats on the stack while a's __repr__ or
 * __format__ runs: f'{v!r}' read v "+1 other" inside __repr__ on 3.11
 * to 3.13, and f'{v}' and f'{v:>4}' +2.  Of those two, one stays
 * unnamed: the bound method that PyObject_Format () looks up on v and
 * calls, which only C holds. */
static void
test_format_value (HsTraceFixture *f,
                   gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version,
    "class V:\n"                          /* 1 */
    "    def __repr__(self):\n"           /* 2 */
    "        return 'V'\n"                /* 3 */
    "    def __format__(self, spec):\n"   /* 4 */
    "        return 'F' + spec\n"         /* 5 */
    "v = V()\n"                           /* 6 */
    "a = f'<{v!r}>'\n"                    /* 7 */
    "b = f'<{v}>'\n"                      /* 8 */
    "c = f'<{v:>4}>'\n");                 /* 9 */
  g_autoptr(HsSnapshot) converted = NULL;
  g_autoptr(HsRefcountBreakdown) v = NULL;

  if (t == NULL)
    return;
  converted = hs_test_step_at_line (t, 3, 0);
  v = breakdown_adding_up (version, converted, hs_test_var_ref (converted, "<module>", "v"), "v in __repr__");
  g_assert_cmpuint (named_count (v, "the value stack of <module>"), ==, 1);
  for (guint nth = 0; nth < 2; nth++)
    {
      g_autoptr(HsSnapshot) formatted = hs_test_step_at_line (t, 5, nth);
      g_autoptr(HsRefcountBreakdown) held = NULL;

      g_assert_nonnull (formatted);
      held = hs_describe_refcount_breakdown (formatted, hs_test_var_ref (formatted, "<module>", "v"));
      g_assert_nonnull (held);
      g_assert_cmpuint (named_count (held, "the value stack of <module>"), ==, 1);
    }
}

static const char *yielded_value_program =
  "def pairs():\n"                    /* 1 */
  "    yield [1.5]\n"                  /* 2 */
  "    return [2.5]\n"                 /* 3 */
  "g = pairs()\n"                     /* 4 */
  "a = next(g)\n"                     /* 5 */
  "b = next(g, None)\n";              /* 6 */

/* A generator's yield is reported as a return, and its row read "return
 * value", though the frame lives on to be resumed: the row now reads
 * "yielded value", and the inspector names the arrow so.  The generator's
 * real return still reads "return value". */
static void
test_yielded_value (HsTraceFixture *f,
                    gconstpointer   data)
{
  static const char *const types[] = { "list", "float", "generator", NULL };
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, yielded_value_program);
  g_autoptr(HsSnapshot) yielding = NULL;
  g_autoptr(HsSnapshot) returning = NULL;
  g_autoptr(HsRefcountBreakdown) yielded = NULL;

  if (t == NULL)
    return;
  g_assert_cmpuint (types_adding_up (version, t, types, 0, NULL), >, 10);
  for (guint i = 0; i < hs_trace_get_n_steps (t); i++)
    {
      HsSnapshot *s = hs_trace_get_snapshot (t, i);

      if (hs_snapshot_get_event (s) == HS_EVENT_RETURN && innermost_runs (s, "pairs"))
        {
          if (yielding == NULL)
            yielding = s;
          else if (returning == NULL)
            returning = s;
          else
            g_error ("pairs returns three times");
        }
      else
        hs_snapshot_unref (s);
    }
  g_assert_nonnull (returning);
  g_assert_true (hs_snapshot_get_yielded (yielding));
  g_assert_cmpstr (returned_row_label (yielding), ==, "yielded value");
  yielded = breakdown_adding_up (version, yielding, hs_snapshot_get_return_ref (yielding), "the yielded [1.5]");
  g_assert_true (has_drawn (yielded, "value yielded by pairs"));
  g_assert_false (hs_snapshot_get_yielded (returning));
  g_assert_cmpstr (returned_row_label (returning), ==, "return value");
}

static const char *handled_exception_program =
  "def risky():\n"                                   /* 1 */
  "    raise ValueError('bad')\n"                    /* 2 */
  "try:\n"                                           /* 3 */
  "    risky()\n"                                    /* 4 */
  "except ValueError as error:\n"                    /* 5 */
  "    msg = str(error)\n"                           /* 6 */
  "    print(msg)\n"                                 /* 7 */
  "try:\n"                                           /* 8 */
  "    try:\n"                                       /* 9 */
  "        {}['k']\n"                                /* 10 */
  "    except KeyError as inner:\n"                  /* 11 */
  "        raise RuntimeError('again') from inner\n" /* 12 */
  "except RuntimeError as outer:\n"                  /* 13 */
  "    kept = outer\n"                               /* 14 */
  "done = True\n";                                   /* 15 */

/* An exception holds its arguments and the exceptions it chains to
 * (__context__, and __cause__ with raise ... from), which the graph draws;
 * while an except block runs, the thread keeps the exception it handles
 * (sys.exception ()), which the inspector names.  Before, a handled
 * exception read "+1 other", and one another exception chained to read
 * "+2 other".  Not at the steps where an exception is in flight or not
 * yet bound to its name: it is drawn nowhere, and what it holds is
 * "other". */
static void
test_handled_exception (HsTraceFixture *f,
                        gconstpointer   data)
{
  static const char *const types[] = { "ValueError", "KeyError", "RuntimeError", "tuple", NULL };
  static const guint lines[] = { 6, 7, 12, 14, 15 };
  const char *handled = "the exception being handled (sys.exception())";
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, handled_exception_program);
  guint checked = 0;

  if (t == NULL)
    return;
  for (guint step = 0; step < hs_trace_get_n_steps (t); step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, step);
      gboolean wanted = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
        wanted |= hs_snapshot_get_line (snapshot) == lines[i];
      if (wanted && hs_snapshot_get_event (snapshot) == HS_EVENT_LINE)
        checked += types_adding_up_in (version, snapshot, types);
    }
  g_assert_cmpuint (checked, >, 10);

  {
    g_autoptr(HsSnapshot) at6 = hs_test_step_at_line (t, 6, 0);
    g_autoptr(HsSnapshot) at14 = hs_test_step_at_line (t, 14, 0);
    g_autoptr(HsSnapshot) at15 = hs_test_step_at_line (t, 15, 0);
    g_autoptr(HsRefcountBreakdown) error = hs_describe_refcount_breakdown (at6, hs_test_var_ref (at6, NULL, "error"));
    g_autoptr(HsRefcountBreakdown) inner = NULL;
    g_autoptr(HsRefcountBreakdown) outer = hs_describe_refcount_breakdown (at14, hs_test_var_ref (at14, NULL, "outer"));
    g_autoptr(HsRefcountBreakdown) kept = hs_describe_refcount_breakdown (at15, hs_test_var_ref (at15, NULL, "kept"));
    const HsObject *runtime_error = hs_test_var (at14, NULL, "outer");
    const HsObject *key_error = hs_test_edge (at14, runtime_error, HS_EDGE_ATTR, "__cause__");

    g_assert_true (has_drawn (error, "error"));
    g_assert_cmpuint (named_count (error, handled), ==, 1);
    g_assert_cmpstr (hs_test_edge (at6, hs_test_var (at6, NULL, "error"), HS_EDGE_ATTR, "args")->repr, ==, "('bad',)");
    /* raise ... from inner: the cause, and the context it was raised in */
    g_assert_cmpuint (key_error->ref, ==, hs_test_edge (at14, runtime_error, HS_EDGE_ATTR, "__context__")->ref);
    g_assert_cmpstr (key_error->type, ==, "KeyError");
    inner = hs_describe_refcount_breakdown (at14, key_error->ref);
    g_assert_cmpuint (inner->drawn->len, ==, 2);
    g_assert_cmpuint (named_count (outer, handled), ==, 1);
    /* the block ended, and deleted outer: only kept holds it */
    g_assert_cmpuint (named_count (kept, handled), ==, 0);
    g_assert_cmpuint (kept->drawn->len, ==, 1);
    g_assert_cmpint (kept->refcount, ==, 1);
  }
}

static const char *traceback_frames_program =
  "def check(values):\n"                  /* 1 */
  "    if not values:\n"                   /* 2 */
  "        raise ValueError('empty')\n"    /* 3 */
  "    return values[0]\n"                 /* 4 */
  "data = [1.5]\n"                         /* 5 */
  "data.clear()\n"                         /* 6 */
  "try:\n"                                 /* 7 */
  "    check(data)\n"                      /* 8 */
  "except ValueError as err:\n"            /* 9 */
  "    n = len(data)\n"                    /* 10 */
  "kept = None\n"                          /* 11 */
  "try:\n"                                 /* 12 */
  "    check(data)\n"                      /* 13 */
  "except ValueError as e:\n"              /* 14 */
  "    kept = e\n"                         /* 15 */
  "done = True\n";                         /* 16 */

/* An exception's __traceback__ keeps the frames it was raised through,
 * and a finished frame keeps its variables and its function: data and
 * check read "+1 other" all through the except block, and after it for
 * as long as kept holds the exception.  Not at the exception events,
 * where the exception in flight is drawn nowhere. */
static void
test_traceback_frames (HsTraceFixture *f,
                       gconstpointer   data)
{
  static const char *const types[] = { "list", "function", "ValueError", "tuple", NULL };
  const char *frame_of_check = "the finished frame of check, which an exception's __traceback__ keeps";
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, traceback_frames_program);
  guint checked = 0;

  if (t == NULL)
    return;
  for (guint step = 0; step < hs_trace_get_n_steps (t); step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, step);

      if (hs_snapshot_get_event (snapshot) == HS_EVENT_LINE)
        checked += types_adding_up_in (version, snapshot, types);
    }
  g_assert_cmpuint (checked, >, 20);
  {
    g_autoptr(HsSnapshot) handling = hs_test_step_at_line (t, 10, 0);
    g_autoptr(HsSnapshot) after = hs_test_step_at_line (t, 16, 0);
    g_autoptr(HsRefcountBreakdown) list = hs_describe_refcount_breakdown (handling, hs_test_var_ref (handling, NULL, "data"));
    g_autoptr(HsRefcountBreakdown) function = hs_describe_refcount_breakdown (handling, hs_test_var_ref (handling, NULL, "check"));
    g_autoptr(HsRefcountBreakdown) kept = hs_describe_refcount_breakdown (after, hs_test_var_ref (after, NULL, "data"));

    g_assert_cmpuint (named_count (list, frame_of_check), ==, 1);
    g_assert_cmpint (list->other, ==, 0);
    g_assert_cmpuint (named_count (function, frame_of_check), ==, 1);
    g_assert_cmpint (function->other, ==, 0);
    /* the first exception went with its block; the second's, kept,
     * holds check's second frame */
    g_assert_cmpint (kept->refcount, ==, 2);
    g_assert_cmpuint (named_count (kept, frame_of_check), ==, 1);
  }
}

static const char *finalizer_program =
  "import gc\n"                  /* 1 */
  "class Node:\n"                /* 2 */
  "    def __del__(self):\n"     /* 3 */
  "        self.seen = True\n"   /* 4 */
  "first = Node()\n"             /* 5 */
  "first = None\n"               /* 6 */
  "a = Node()\n"                 /* 7 */
  "b = Node()\n"                 /* 8 */
  "a.partner = b\n"              /* 9 */
  "b.partner = a\n"              /* 10 */
  "a = b = None\n"               /* 11 */
  "gc.collect()\n"               /* 12 */
  "p = Node()\n"                 /* 13 */
  "p.__del__()\n"                /* 14 */
  "done = True\n";               /* 15 */

/* CPython calls a finalizer with a reference of its own to the object:
 * it revives an object whose last reference went, and the gc takes one on
 * each object it finalizes.  An object in its __del__ read "+1 other".
 * Each Node adds up at every step, in a __del__ after first = None and
 * in those gc.collect () runs, and in p.__del__ (), which the program
 * calls: the call holds no reference of its own then.  That call read
 * "-1 other" at first: its caller's empty stack was taken for one not
 * saved, as that of a frame in a call to C. */
static void
test_finalizer (HsTraceFixture *f,
                gconstpointer   data)
{
  static const char *const types[] = { "Node", NULL };
  const char *call = "CPython's call of Node.__del__, which keeps it alive until it returns";
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, finalizer_program);
  guint finalized = 0, called = 0;

  if (t == NULL)
    return;
  g_assert_cmpuint (types_adding_up (version, t, types, 0, NULL), >, 10);
  for (guint step = 0; step < hs_trace_get_n_steps (t); step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (t, step);
      g_autoptr(HsRefcountBreakdown) self = NULL;

      if (hs_snapshot_get_event (snapshot) != HS_EVENT_LINE || hs_snapshot_get_line (snapshot) != 4)
        continue;
      self = hs_describe_refcount_breakdown (snapshot, hs_test_var_ref (snapshot, NULL, "self"));
      g_assert_cmpint (self->other, ==, 0);
      finalized += named_count (self, call) == 1;
      called += named_count (self, call) == 0;
    }
  /* first, then a and b; then p.__del__ () */
  g_assert_cmpuint (finalized, ==, 3);
  g_assert_cmpuint (called, ==, 1);
}

static const char *exception_being_made_program =
  "class Err(Exception):\n"
  "    def __init__(self, payload, note=None):\n"
  "        self.payload = payload\n"
  "        self.note = note\n"
  "data = [1.5]\n"
  "e = Err(data)\n"
  "f = Err(data, note=[2.5])\n"
  "end = True\n";

/* Found by review: BaseException_new keeps as args the tuple the call of
 * the class packed, whose items that call names while __init__ runs
 * (held-init-args).  Drawing args then counted each item twice: data read
 * "-1 other" in Err.__init__.  args is drawn once the call returns. */
static void
test_exception_being_made (HsTraceFixture *f,
                           gconstpointer   data)
{
  static const char *const types[] = { "list", "tuple", "Err", NULL };
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, exception_being_made_program);
  g_autoptr(HsSnapshot) end = NULL;

  if (t == NULL)
    return;
  g_assert_cmpuint (types_adding_up (version, t, types, 0, NULL), >, 20);
  end = hs_test_step_at_line (t, 8, 0);
  {
    const HsObject *args = hs_test_edge (end, hs_test_var (end, NULL, "e"), HS_EDGE_ATTR, "args");

    g_assert_cmpuint (hs_test_edge (end, args, HS_EDGE_ITEM, "0")->ref, ==, hs_test_var_ref (end, NULL, "data"));
  }
}

static const char *code_tuples_program =
  "def f():\n"
  "    return 1000.5 + 2000.5\n"
  "def g():\n"
  "    return len([])\n"
  "y = f()\n"
  "consts = f.__code__.co_consts\n"
  "names = g.__code__.co_names\n"
  "del consts\n"
  "x = 1\n";

/* A code's co_consts or co_names that the program holds is drawn, with
 * the arrows to its items, which the code's holdings named as well:
 * 3001.0 read "-1 other" after consts = f.__code__.co_consts.  Its items
 * are named only while the code alone holds the tuple. */
static void
test_code_tuples (HsTraceFixture *f,
                  gconstpointer   data)
{
  static const char *const types[] = { "float", NULL };
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, code_tuples_program);

  if (t == NULL)
    return;
  g_assert_cmpuint (types_adding_up (version, t, types, 0, NULL), >, 4);
  {
    g_autoptr(HsSnapshot) held = hs_test_step_at_line (t, 8, 0);
    g_autoptr(HsSnapshot) alone = hs_test_step_at_line (t, 9, 0);
    const HsObject *consts = hs_test_var (held, NULL, "consts");
    const HsObject *len = hs_test_edge (held, hs_test_var (held, NULL, "names"), HS_EDGE_ITEM, "0");
    g_autoptr(HsRefcountBreakdown) name = hs_describe_refcount_breakdown (held, len->ref);
    const HsObject *folded = NULL;

    for (guint e = 0; e < consts->n_edges; e++)
      if (g_str_equal (hs_snapshot_lookup (held, consts->edges[e].target)->type, "float"))
        folded = hs_snapshot_lookup (held, consts->edges[e].target);
    g_assert_nonnull (folded);
    g_assert_cmpstr (folded->repr, ==, "3001.0");
    {
      g_autoptr(HsRefcountBreakdown) drawn = hs_describe_refcount_breakdown (held, folded->ref);
      g_autoptr(HsRefcountBreakdown) named = hs_describe_refcount_breakdown (alone, folded->ref);

      g_assert_cmpuint (named_count (drawn, "a constant of the code of f"), ==, 0);
      g_assert_cmpuint (named_count (named, "a constant of the code of f"), ==, 1);
    }
    /* 'len', drawn through names, is no name of g's code as well */
    g_assert_cmpstr (len->repr, ==, "'len'");
    g_assert_cmpuint (named_count (name, "a name in the code of g"), ==, 0);
    g_assert_cmpint (name->other, >=, 0);
  }
}

static const char *nested_code_constants_program =
  "def scale(xs):\n"
  "    return [x * 3001.0 for x in xs]\n"
  "class P:\n"
  "    def area(self):\n"
  "        sq = lambda r: r * 4001.0\n"
  "        return sq(2)\n"
  "k = 3001.0\n"
  "m = 4001.0\n"
  "t = scale([1, 2])\n"
  "u = P().area()\n";

/* Found by review: once the script has ended, the codes nested in a
 * global function's code (a lambda, 3.11's list comprehension) must still
 * name their constants.  Following a code's own co_consts checked that
 * nested code against the global codes, found it missing, and 4001.0
 * read "+1 other" at the end step. */
static void
test_nested_code_constants (HsTraceFixture *f,
                            gconstpointer   data)
{
  static const char *const types[] = { "float", NULL };
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, nested_code_constants_program);
  g_autoptr(HsSnapshot) end = NULL;
  g_autoptr(HsRefcountBreakdown) m = NULL;

  if (t == NULL)
    return;
  end = hs_test_last_step (t);
  g_assert_cmpuint (types_adding_up_in (version, end, types), >=, 2);
  m = hs_describe_refcount_breakdown (end, hs_test_var_ref (end, NULL, "m"));
  g_assert_cmpuint (named_count (m, "a constant of the code of P.area.<locals>.<lambda>"), ==, 1);
}

static const char *shared_local_names_program =
  "def a(pp, qq):\n"
  "    return 1\n"
  "def b(pp, qq):\n"
  "    return 2\n"
  "s = 'pp'\n"
  "done = True\n";

/* Found by review: 3.11's compiler gives a and b one tuple of local names,
 * ('pp', 'qq'), and each code named its items: 'pp' read "-1 other".  The
 * tuple names them once, as it holds them once.  (3.12 and later make
 * these strings immortal.) */
static void
test_shared_local_names (HsTraceFixture *f,
                         gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, shared_local_names_program);
  g_autoptr(HsSnapshot) end = NULL;
  g_autoptr(HsRefcountBreakdown) pp = NULL;

  if (t == NULL)
    return;
  end = hs_test_step_at_line (t, 6, 0);
  pp = hs_describe_refcount_breakdown (end, hs_test_var_ref (end, NULL, "s"));
  if (pp->immortal)
    return;
  g_assert_cmpint (pp->other, >=, 0);
  g_assert_cmpuint (named_count (pp, "a name in the code of a") + named_count (pp, "a name in the code of b"), ==, 1);
}

static const char *lazy_iterator_program =
  "nums = [1000, 2000.5]\n"
  "words = ['a', 'b']\n"
  "def twice(x):\n"
  "    return x * 2\n"
  "z = zip(nums, words)\n"
  "m = map(twice, nums)\n"
  "f = filter(None, nums)\n"
  "e = enumerate(nums)\n"
  "ks = {'k': nums}.keys()\n"
  "first = next(m)\n"
  "for n, w in z:\n"
  "    pass\n"
  "del n, w\n"
  "for i, x in e:\n"
  "    pass\n"
  "del x\n"
  "done = True\n";

/* zip (), map () and filter () that a variable holds, and a dict view:
 * they hold their iterators (zip and map in a tuple of their own), their
 * function, the dict a view shows, and the result tuple zip () and
 * enumerate () hand out again, which keeps the last pair once a loop
 * unpacked it.  None of it was drawn: nums read "+4 other" with z, m, f
 * and e, and one more for the dict {'k': nums}, which was drawn nowhere,
 * and 2000.5 "+2 other" after the loops.  Not while twice runs: map () then passes it its argument
 * from C, which nothing names. */
static void
test_lazy_iterators (HsTraceFixture *f,
                     gconstpointer   data)
{
  static const char *const types[] = {
    "list", "float", "int", "str", "tuple", "dict", "zip", "map", "filter",
    "enumerate", "list_iterator", "dict_keys", "function", NULL,
  };
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, lazy_iterator_program);
  guint first;

  if (t == NULL)
    return;

  {
    g_autoptr(HsSnapshot) at5 = hs_test_step_at_line (t, 5, 0);

    first = hs_snapshot_get_index (at5);
  }
  g_assert_cmpuint (types_adding_up (version, t, types, first, "twice"), >, 100);

  {
    g_autoptr(HsSnapshot) end = hs_test_step_at_line (t, 17, 0);
    const HsObject *z = hs_test_var (end, NULL, "z");
    const HsObject *m = hs_test_var (end, NULL, "m");
    const HsObject *fl = hs_test_var (end, NULL, "f");
    const HsObject *e = hs_test_var (end, NULL, "e");
    const HsObject *dict = hs_test_edge (end, hs_test_var (end, NULL, "ks"), HS_EDGE_MAPPING, NULL);
    const HsObject *pair, *counted;
    g_autoptr(HsRefcountBreakdown) b = NULL;

    /* zip holds an iterator over each of its arguments, not the tuple
     * that holds them */
    g_assert_cmpstr (hs_test_edge (end, z, HS_EDGE_ITERABLE, "0")->type, ==, "list_iterator");
    g_assert_cmpstr (hs_test_edge (end, z, HS_EDGE_ITERABLE, "1")->type, ==, "list_iterator");
    pair = hs_test_edge (end, z, HS_EDGE_RESULT, NULL);
    g_assert_cmpstr (pair->repr, ==, "(2000.5, 'b')");
    g_assert_cmpstr (hs_test_edge (end, m, HS_EDGE_FUNC, NULL)->repr, ==, "<function twice>");
    g_assert_cmpstr (hs_test_edge (end, m, HS_EDGE_ITERABLE, NULL)->type, ==, "list_iterator");
    /* filter (None, ...) draws no arrow to None */
    g_assert_cmpuint (fl->n_edges, ==, 1);
    g_assert_cmpstr (hs_test_edge (end, fl, HS_EDGE_ITERABLE, NULL)->type, ==, "list_iterator");
    counted = hs_test_edge (end, e, HS_EDGE_RESULT, NULL);
    g_assert_cmpstr (counted->repr, ==, "(1, 2000.5)");

    b = breakdown_adding_up (version, end, dict->ref, "{'k': nums}");
    g_assert_cmpint (b->refcount, ==, 1);
    g_assert_true (has_drawn (b, "ks, the dict it is a view of"));
    g_clear_pointer (&b, hs_refcount_breakdown_free);
    b = breakdown_adding_up (version, end, pair->ref, "z's pair");
    g_assert_true (has_drawn (b, "z, the result tuple it reuses"));
  }
}

static const char *loop_generator_program =
  "def numbers(limit):\n"
  "    seen = []\n"
  "    for n in range(limit):\n"
  "        seen.append(n)\n"
  "        yield seen\n"
  "for s in numbers(3):\n"
  "    size = len(s)\n"
  "gen = (x * 2 for x in [5, 6])\n"
  "first = next(gen)\n"
  "done = True\n"
  "nums = [1, 2]\n"
  "for y in (x * 2 for x in nums):\n"
  "    z = y\n"
  "done = False\n";

/* A generator that a for loop runs holds its function and its locals; a
 * generator expression waits inside its own for loop, with the loop's
 * iterator on its value stack.  Before, the list s names read one
 * "other" (the generator's seen), numbers one more (the generator's
 * function), and the generator expression's iterator one (its stack).
 * A generator expression that only a for loop holds holds its iterator
 * twice, as .0 and on its stack: nums, which that iterator holds, read
 * one "other". */
static void
test_loop_generators (HsTraceFixture *f,
                      gconstpointer   data)
{
  const char *version = data;
  const char *held = LOOP_ITERATOR_HOLDER;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version, loop_generator_program);
  g_autoptr(HsSnapshot) in_loop = NULL;
  g_autoptr(HsSnapshot) end = NULL;
  const HsObject *gen, *iterator;
  g_autoptr(HsRefcountBreakdown) seen = NULL;
  g_autoptr(HsRefcountBreakdown) numbers = NULL;
  g_autoptr(HsRefcountBreakdown) on_stack = NULL;
  g_autoptr(HsRefcountBreakdown) nums = NULL;
  g_autoptr(HsSnapshot) in_genexpr_loop = NULL;

  if (t == NULL)
    return;

  in_loop = hs_test_step_at_line (t, 7, 1);
  seen = hs_describe_refcount_breakdown (in_loop, hs_test_var_ref (in_loop, NULL, "s"));
  g_assert_cmpint (seen->refcount, ==, 2);
  g_assert_true (has_drawn (seen, "s"));
  g_assert_cmpuint (named_count (seen, held), ==, 1);
  g_assert_cmpint (seen->other, ==, 0);
  numbers = hs_describe_refcount_breakdown (in_loop, hs_test_var_ref (in_loop, NULL, "numbers"));
  g_assert_cmpuint (named_count (numbers, held), ==, 1);
  g_assert_cmpint (numbers->other, ==, 0);

  end = hs_test_step_at_line (t, 10, 0);
  gen = hs_test_var (end, NULL, "gen");
  iterator = hs_test_edge (end, gen, HS_EDGE_STACK, NULL);
  g_assert_nonnull (iterator);
  on_stack = hs_describe_refcount_breakdown (end, iterator->ref);
  g_assert_cmpint (on_stack->refcount, ==, 2);
  g_assert_true (has_drawn (on_stack, "gen, on its value stack"));
  g_assert_true (has_drawn (on_stack, "gen, local variable .0"));
  g_assert_cmpint (on_stack->other, ==, 0);

  in_genexpr_loop = hs_test_step_at_line (t, 13, 0);
  nums = hs_describe_refcount_breakdown (in_genexpr_loop, hs_test_var_ref (in_genexpr_loop, NULL, "nums"));
  g_assert_cmpuint (named_count (nums, held), ==, 1);
  g_assert_cmpint (nums->other, ==, 0);
}

/* g = globals() draws the globals of <module>, whose entries are the
 * variables its frame draws: the dict's own edges drew each variable
 * again, and a comprehension over globals() did so through its iterator,
 * so a read "refcount 1" and 2 drawn references.  The dict draws no
 * entry; one row says where they are. */
static void
test_globals_drawn_once (HsTraceFixture *f,
                         gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version,
                                                 "a = [1]\n"
                                                 "g = globals()\n"
                                                 "names = [n for n in g if not n.startswith('_')]\n"
                                                 "done = True\n");
  g_autoptr(HsSnapshot) end = NULL;
  const HsObject *g;
  g_autoptr(HsRefcountBreakdown) a = NULL;
  g_autoptr(HsLayout) layout = NULL;
  const HsLayoutBox *boxes;
  guint n_boxes;
  gboolean found = FALSE;

  if (t == NULL)
    return;
  check_trace (t, FALSE);
  end = hs_test_step_at_line (t, 4, 0);
  a = hs_describe_refcount_breakdown (end, hs_test_var_ref (end, NULL, "a"));
  g_assert_cmpint (a->refcount, ==, 1);
  g_assert_cmpuint (a->drawn->len, ==, 1);
  g_assert_cmpint (a->other, ==, 0);
  g = hs_test_var (end, NULL, "g");
  g_assert_true (g->flags & HS_OBJECT_FRAME_GLOBALS);
  g_assert_cmpuint (g->n_edges, ==, 0);

  layout = every_object_layout (end);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    if (boxes[b].kind == HS_LAYOUT_BOX_OBJECT && boxes[b].ref == g->ref)
      {
        g_assert_cmpuint (boxes[b].n_rows, ==, 1);
        g_assert_cmpstr (boxes[b].rows[0].label, ==, "its entries: the variables of <module>");
        found = TRUE;
      }
  g_assert_true (found);
}

/* A dict that was the globals of a frame draws its entries again once
 * the frame returns: exec () runs a module frame over d.  The edges it
 * stored as none were replayed from the walker's cache, and d read
 * "… 2 more, not recorded" with [1] one "other". */
static void
test_globals_drawn_again (HsTraceFixture *f,
                          gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version,
                                                 "d = {'a': [1]}\n"
                                                 "exec(compile('len(a)\\n', __file__, 'exec'), d)\n"
                                                 "x = 1\n"
                                                 "y = 2\n");
  g_autoptr(HsSnapshot) end = NULL;
  const HsObject *d;

  if (t == NULL)
    return;
  check_trace (t, FALSE);
  end = hs_test_step_at_line (t, 4, 0);
  d = hs_test_var (end, NULL, "d");
  g_assert_false (d->flags & HS_OBJECT_FRAME_GLOBALS);
  /* 'a' and '__builtins__', each a key and a value */
  g_assert_cmpuint (d->n_edges, ==, 4);
}

/* gc.get_referrers () reaches the iterator of a for loop in a frame that
 * waits, and runs it out within one line, its refcount as it was: the
 * frame's hold on nums, named from its iterator, goes with it.  Before,
 * nums read 2 = 2 drawn + 1 named. */
static void
test_iterator_run_out_elsewhere (HsTraceFixture *f,
                                 gconstpointer   data)
{
  const char *version = data;
  HsTrace *t = hs_trace_fixture_run_with_python (f, version,
                                                 "import gc, collections\n"
                                                 "LI = type(iter([]))\n"
                                                 "def body(lst):\n"
                                                 "    collections.deque(max(gc.get_referrers(lst), key=LI.__instancecheck__), maxlen=0)\n"
                                                 "    a = 1\n"
                                                 "    return a\n"
                                                 "nums = [[1], [2], [3]]\n"
                                                 "for x in nums:\n"
                                                 "    body(nums)\n");

  if (t == NULL)
    return;
  /* every object of every step adds up, and no "other" is negative */
  check_trace (t, FALSE);
}

/* A generator waiting at its yield holds its frame's locals and the
 * function it runs: drawn as arrows, they add up, where before the list
 * and the function each read one "other".  At the yield's own step the
 * frame is still drawn, and the generator draws nothing of it twice.  A
 * generator closed before it started keeps its frame in 3.12 and 3.13,
 * with its arguments and function; 3.11 clears it. */
static const char generator_program[] =
  "import sys\n"                       /* 1 */
  "def g():\n"                         /* 2 */
  "    x = [1, 2]\n"                   /* 3 */
  "    yield x\n"                      /* 4 */
  "    yield 2\n"                      /* 5 */
  "made = g()\n"                       /* 6 */
  "it = g()\n"                         /* 7 */
  "a = next(it)\n"                     /* 8 */
  "n = sys.getrefcount(a) - 1\n"       /* 9 */
  "pass\n"                             /* 10 */
  "def h(box):\n"                      /* 11 */
  "    yield box\n"                    /* 12 */
  "shut = h([7])\n"                    /* 13 */
  "shut.close()\n"                     /* 14 */
  "pass\n";                            /* 15 */

static void
test_generator_holds (HsTraceFixture *f,
                      gconstpointer   data)
{
  const char *version = data;
  g_autoptr(HsSnapshot) end = NULL;
  g_autoptr(HsRefcountBreakdown) list = NULL;
  g_autoptr(HsRefcountBreakdown) function = NULL;
  g_autoptr(HsSnapshot) closed = NULL;
  g_autoptr(HsRefcountBreakdown) h = NULL;
  HsTrace *t;

  t = hs_trace_fixture_run_with_python (f, version, generator_program);
  if (t == NULL)
    return;
  end = hs_test_step_at_line (t, 10, 0);

  /* the program's own count: a, and the generator's x */
  g_assert_cmpstr (hs_test_var (end, NULL, "n")->repr, ==, "2");
  list = hs_describe_refcount_breakdown (end, hs_test_var_ref (end, NULL, "a"));
  g_assert_cmpint (list->refcount, ==, 2);
  g_assert_cmpuint (list->drawn->len, ==, 2);
  g_assert_true (has_drawn (list, "it, local variable x"));
  g_assert_cmpint (list->other, ==, 0);

  /* g, and each generator's frame, started or not */
  function = hs_describe_refcount_breakdown (end, hs_test_var_ref (end, NULL, "g"));
  g_assert_cmpint (function->refcount, ==, 3);
  g_assert_cmpuint (function->drawn->len, ==, 3);
  g_assert_cmpint (function->other, ==, 0);

  closed = hs_test_step_at_line (t, 15, 0);
  h = hs_describe_refcount_breakdown (closed, hs_test_var_ref (closed, NULL, "h"));
  g_assert_cmpint (h->refcount, ==, g_str_equal (version, "3.11") ? 1 : 2);
  g_assert_cmpint (h->other, ==, 0);

  /* every object of every step, the yield's own step included */
  check_trace (t, FALSE);
}

/* CPython keeps copies of the dicts of builtins and sys, made at
 * start-up to set them up again: 3.11 one of each as the module's m_copy
 * and another of builtins' in the interpreter, 3.12 on one of each in
 * the interpreter (sys's made before sys.modules was set).  len and
 * sys.modules add up only with them named. */
static void
test_module_copies_named (HsTraceFixture *f,
                          gconstpointer   data)
{
  const char *version = data;
  gboolean is_311 = g_str_equal (version, "3.11");
  g_autoptr(HsSnapshot) end = NULL;
  g_autoptr(HsRefcountBreakdown) len = NULL;
  g_autoptr(HsRefcountBreakdown) modules = NULL;
  HsTrace *t;

  t = hs_trace_fixture_run_with_python (f, version,
    "import sys\n"
    "f = len\n"
    "m = sys.modules\n"
    "n = sys.getrefcount(len) - 1\n"
    "pass\n");
  if (t == NULL)
    return;
  end = hs_test_step_at_line (t, 5, 0);

  len = hs_describe_refcount_breakdown (end, hs_test_var_ref (end, NULL, "f"));
  g_assert_cmpint (len->refcount, ==, g_ascii_strtoll (hs_test_var (end, NULL, "n")->repr, NULL, 10));
  g_assert_cmpuint (named_count (len, "the copies CPython keeps of the dict of builtins"), ==, is_311 ? 2 : 1);
  g_assert_cmpuint (named_count (len, "the globals of the module builtins"), ==, 1);
  g_assert_cmpint (len->other, ==, 0);

  modules = hs_describe_refcount_breakdown (end, hs_test_var_ref (end, NULL, "m"));
  g_assert_cmpuint (named_count (modules, "the copies CPython keeps of the dict of sys"), ==, is_311 ? 1 : 0);
  g_assert_cmpint (modules->other, ==, 0);
  g_assert_cmpint ((gint64) modules->drawn->len + modules->n_named, ==, modules->refcount);
}

/* A class holds itself: its __mro__ begins with it, and the descriptors
 * of its __dict__ and __weakref__ (or its slots) keep it, so a fresh
 * class reads 4 with one name.  A __mro__ bound to a name is drawn, with
 * its arrow to the class, and no longer named as well.  Each instance
 * holds its class, also one the graph does not show (kept in a module's
 * global). */
static void
test_class_holds_itself (HsTraceFixture *f,
                         gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys\n"
    "class Point:\n"
    "    pass\n"
    "class Slots:\n"
    "    __slots__ = ('a', 'b')\n"
    "m = Slots.__mro__\n"
    "n = sys.getrefcount(Point) - 1\n"
    "pts = [Point(), Point()]\n"
    "sys.hidden_point = Point()\n"
    "n2 = sys.getrefcount(Point) - 1\n"
    "del pts[0]\n"
    "pass\n");
  g_autoptr(HsSnapshot) at8 = hs_test_step_at_line (t, 8, 0);
  g_autoptr(HsSnapshot) at11 = hs_test_step_at_line (t, 11, 0);
  g_autoptr(HsSnapshot) at12 = hs_test_step_at_line (t, 12, 0);
  g_autoptr(HsRefcountBreakdown) three = hs_describe_refcount_breakdown (at11, hs_test_var_ref (at11, NULL, "Point"));
  g_autoptr(HsRefcountBreakdown) two = hs_describe_refcount_breakdown (at12, hs_test_var_ref (at12, NULL, "Point"));
  g_autoptr(HsRefcountBreakdown) point = hs_describe_refcount_breakdown (at8, hs_test_var_ref (at8, NULL, "Point"));
  g_autoptr(HsRefcountBreakdown) slots = hs_describe_refcount_breakdown (at8, hs_test_var_ref (at8, NULL, "Slots"));
  const HsObject *n = hs_test_var (at8, NULL, "n");

  g_assert_cmpstr (n->repr, ==, "4");
  g_assert_cmpint (point->refcount, ==, 4);
  g_assert_cmpuint (named_count (point, "the __mro__ of Point, which begins with the class itself"), ==, 1);
  g_assert_cmpuint (named_count (point,
    "the attribute descriptors in the __dict__ of Point (__dict__, __weakref__ or __slots__)"), ==, 2);
  g_assert_cmpint (point->other, ==, 0);

  /* the two slots' member descriptors; the __mro__ is m, drawn */
  g_assert_cmpuint (named_count (slots,
    "the attribute descriptors in the __dict__ of Slots (__dict__, __weakref__ or __slots__)"), ==, 2);
  g_assert_cmpuint (named_count (slots, "the __mro__ of Slots, which begins with the class itself"), ==, 0);
  g_assert_cmpuint (slots->drawn->len, ==, 2);
  g_assert_cmpint (slots->other, ==, 0);
  g_assert_cmpint ((gint64) slots->drawn->len + slots->n_named, ==, slots->refcount);

  /* no instance yet at line 8; three, one of them not drawn, at 11 */
  g_assert_cmpuint (named_count (point, "the instances of Point (each holds its class as __class__)"), ==, 0);
  g_assert_cmpstr (hs_test_var (at11, NULL, "n2")->repr, ==, "7");
  g_assert_cmpint (three->refcount, ==, 7);
  g_assert_cmpuint (named_count (three, "the instances of Point (each holds its class as __class__)"), ==, 3);
  g_assert_cmpint (three->other, ==, 0);
  g_assert_cmpuint (named_count (two, "the instances of Point (each holds its class as __class__)"), ==, 2);
  g_assert_cmpint (two->other, ==, 0);
}

/* A module renamed while sys.modules stays as it was: its globals are
 * named under the new name.  The name held was borrowed from the dict,
 * which let go of it: the label read freed memory ("mymod", then other
 * strings, and a crash under PYTHONMALLOC=debug). */
static void
test_module_renamed (HsTraceFixture *f,
                     gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys, types\n"
    "m = types.ModuleType(''.join(['my', 'mod']))\n"
    "sys.modules['k'] = m\n"
    "m.v = [1, 2]\n"
    "v = m.v\n"
    "m.__init__(''.join(['zz', 'top']))\n"
    "junk = [''.join(['Q', str(i), 'x']) for i in range(30)]\n"
    "v.append(3)\n"
    "pass\n");
  g_autoptr(HsSnapshot) at9 = hs_test_step_at_line (t, 9, 0);
  g_autoptr(HsRefcountBreakdown) v = hs_describe_refcount_breakdown (at9, hs_test_var_ref (at9, NULL, "v"));

  g_assert_cmpuint (named_count (v, "the globals of the module zztop"), ==, 1);
  g_assert_cmpuint (named_count (v, "the globals of the module mymod"), ==, 0);
  g_assert_cmpint (v->other, ==, 0);
  g_assert_cmpint ((gint64) v->drawn->len + v->n_named, ==, v->refcount);
}

/* sys.modules drawn (mods = sys.modules) draws as arrows the modules it
 * holds, which the runtime also names as held by sys.modules: each arrow
 * takes its reference out of the hidden count, so math is not counted
 * twice ("other" read -1 for every module shown).  Under another key
 * (m2) the runtime names nothing, and the arrow is all there is.  The
 * interpreter's own reference to sys.modules is named. */
static void
test_sys_modules_drawn (HsTraceFixture *f,
                        gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys, math\n"
    "sys.modules['m2'] = math\n"
    "mods = sys.modules\n"
    "n = sys.getrefcount(math) - 1\n"
    "pass\n"
    "import types\n"
    "q = sys.modules[\"it's\"] = types.ModuleType(\"it's\")\n"
    "w = sys.modules['w' * 70] = types.ModuleType('w' * 70)\n"
    "pass\n");
  g_autoptr(HsSnapshot) at2 = hs_test_step_at_line (t, 2, 0);
  g_autoptr(HsSnapshot) at5 = hs_test_step_at_line (t, 5, 0);
  /* before the alias m2, which the runtime does not look for */
  g_autoptr(HsRefcountBreakdown) before = hs_describe_refcount_breakdown (at2, hs_test_var_ref (at2, NULL, "math"));
  g_autoptr(HsRefcountBreakdown) math = hs_describe_refcount_breakdown (at5, hs_test_var_ref (at5, NULL, "math"));
  g_autoptr(HsRefcountBreakdown) mods = hs_describe_refcount_breakdown (at5, hs_test_var_ref (at5, NULL, "mods"));
  const HsObject *n = hs_snapshot_lookup (at5, hs_test_var_ref (at5, NULL, "n"));
  g_autofree char *refcount = g_strdup_printf ("%" G_GINT64_FORMAT, math->refcount);

  g_assert_cmpuint (named_count (before, "sys.modules['math']"), ==, 1);
  g_assert_cmpint (before->other, ==, 0);

  /* what the program itself reads */
  g_assert_cmpstr (n->repr, ==, refcount);
  g_assert_cmpuint (named_count (math, "sys.modules['math']"), ==, 0);
  g_assert_true (has_drawn (math, "mods['math']"));
  g_assert_true (has_drawn (math, "mods['m2']"));
  g_assert_cmpint (math->other, ==, 0);
  g_assert_cmpint ((gint64) math->drawn->len + math->n_named + math->other, ==, math->refcount);

  /* names whose repr is no plain 'name': a quote, a cut repr */
  {
    g_autoptr(HsSnapshot) at9 = hs_test_step_at_line (t, 9, 0);
    g_autoptr(HsRefcountBreakdown) q = hs_describe_refcount_breakdown (at9, hs_test_var_ref (at9, NULL, "q"));
    g_autoptr(HsRefcountBreakdown) w = hs_describe_refcount_breakdown (at9, hs_test_var_ref (at9, NULL, "w"));

    g_assert_cmpint (q->other, ==, 0);
    g_assert_cmpint (w->other, ==, 0);
    g_assert_cmpint ((gint64) q->drawn->len + q->n_named, ==, q->refcount);
    g_assert_cmpint ((gint64) w->drawn->len + w->n_named, ==, w->refcount);
  }

  g_assert_cmpuint (named_count (mods, "the interpreter, which keeps sys.modules"), ==, 1);
  g_assert_cmpint (mods->other, >=, 0);
  g_assert_cmpint ((gint64) mods->drawn->len + mods->n_named + mods->other, ==, mods->refcount);
}

/* A holder arrow's "×N" lies outside every object box: it was drawn
 * right of the arrow's tip, inside the box it entered, over its refcount
 * line (math's built-in functions, "×55", with sys.modules drawn). */
static void
test_times_outside_boxes (HsTraceFixture *f,
                          gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys, math\n"
    "mods = sys.modules\n"
    "pass\n");
  g_autoptr(HsSnapshot) at3 = hs_test_step_at_line (t, 3, 0);
  g_autoptr(HsLayout) layout = every_object_layout (at3);
  g_autoptr(HsLayoutHolders) placed = hs_layout_holders_new (layout);
  GPtrArray *holders = hs_layout_holders_get_boxes (placed);
  const HsLayoutBox *boxes;
  guint n_boxes, n_checked = 0;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint b = 0; b < holders->len; b++)
    {
      const HsHolderBox *box = g_ptr_array_index (holders, b);
      guint32 refs[256];
      guint counts[256];
      guint n = hs_holder_box_get_n_held (box, refs, counts, G_N_ELEMENTS (refs));

      for (guint i = 0; i < MIN (n, G_N_ELEMENTS (refs)); i++)
        {
          const HsLayoutEdge *arrow = hs_holder_box_get_arrow (box, i);
          const char *times;
          HsRect r;

          if (arrow == NULL || counts[i] < 2)
            continue;
          times = hs_holder_box_get_times (box, i, &r);
          g_assert_nonnull (times);
          for (guint k = 0; k < n_boxes; k++)
            {
              const HsRect *o = &boxes[k].rect;

              if (boxes[k].kind != HS_LAYOUT_BOX_OBJECT)
                continue;
              if (r.x < o->x + o->width && o->x < r.x + r.width && r.y < o->y + o->height && o->y < r.y + r.height)
                g_error ("%s of %s at (%.0f, %.0f, %.0f×%.0f) lies in the box of ref %u at (%.0f, %.0f, %.0f×%.0f)",
                         times, hs_holder_box_get_title (box, NULL), r.x, r.y, r.width, r.height,
                         boxes[k].ref, o->x, o->y, o->width, o->height);
            }
          n_checked++;
        }
    }
  g_test_message ("%u labels checked", n_checked);
  g_assert_cmpuint (n_checked, >=, 3);   /* math, sys and builtins' functions at least */
}

/* An imported module's globals hold their values and their names: math.pi
 * is held by math's dict as well as by p, and sys.path by sys's. */
static void
test_module_globals_named (HsTraceFixture *f,
                           gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import math, sys\n"
    "p = math.pi\n"
    "s = sys.path\n"
    "pass\n");
  g_autoptr(HsSnapshot) at4 = hs_test_step_at_line (t, 4, 0);
  g_autoptr(HsRefcountBreakdown) pi = hs_describe_refcount_breakdown (at4, hs_test_var_ref (at4, NULL, "p"));
  g_autoptr(HsRefcountBreakdown) path = hs_describe_refcount_breakdown (at4, hs_test_var_ref (at4, NULL, "s"));

  g_assert_true (has_drawn (pi, "p"));
  g_assert_cmpuint (named_count (pi, "the globals of the module math"), ==, 1);
  g_assert_cmpint (pi->other, ==, 0);
  g_assert_cmpint ((gint64) pi->drawn->len + pi->n_named, ==, pi->refcount);

  g_assert_true (has_drawn (path, "s"));
  g_assert_cmpuint (named_count (path, "the globals of the module sys"), ==, 1);
  g_assert_cmpint (path->other, >=, 0);
  g_assert_cmpint ((gint64) path->drawn->len + path->n_named + path->other, ==, path->refcount);
}

/* A module's dict drawn as a dict (vars(math)): its entries are arrows,
 * and are not counted again as held by the module's globals; the dict
 * itself is held by its module.  Before the trace took drawn entries
 * out, "other" read -1. */
static void
test_module_dict_drawn (HsTraceFixture *f,
                        gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import math\n"
    "d = vars(math)\n"
    "p = math.pi\n"
    "pass\n");
  g_autoptr(HsSnapshot) at4 = hs_test_step_at_line (t, 4, 0);
  g_autoptr(HsRefcountBreakdown) pi = hs_describe_refcount_breakdown (at4, hs_test_var_ref (at4, NULL, "p"));
  g_autoptr(HsRefcountBreakdown) dict = hs_describe_refcount_breakdown (at4, hs_test_var_ref (at4, NULL, "d"));

  g_assert_true (has_drawn (pi, "p"));
  g_assert_cmpuint (pi->drawn->len, ==, 2);
  g_assert_cmpuint (named_count (pi, "the globals of the module math"), ==, 0);
  g_assert_cmpint (pi->other, ==, 0);
  g_assert_cmpint ((gint64) pi->drawn->len + pi->n_named, ==, pi->refcount);

  g_assert_cmpuint (named_count (dict, "the module math, as its __dict__"), ==, 1);
  g_assert_cmpint (dict->other, >=, 0);
  g_assert_cmpint ((gint64) dict->drawn->len + dict->n_named + dict->other, ==, dict->refcount);
}

/* A module's dict as an instance's __dict__: the graph draws it once, as
 * the dict, and its entries are not counted again as the module's
 * globals.  Before, the instance drew them as rows too, and math.pi read
 * "-1 other". */
static void
test_module_dict_as_instance_dict (HsTraceFixture *f,
                                   gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import math\n"
    "class C:\n"
    "    pass\n"
    "c = C()\n"
    "c.__dict__ = vars(math)\n"
    "p = math.pi\n"
    "pass\n");
  g_autoptr(HsSnapshot) at7 = hs_test_step_at_line (t, 7, 0);
  g_autoptr(HsRefcountBreakdown) pi = breakdown_adding_up ("3.11", at7, hs_test_var_ref (at7, NULL, "p"), "math.pi");

  g_assert_cmpuint (pi->drawn->len, ==, 2);
  g_assert_nonnull (hs_test_edge (at7, hs_test_var (at7, NULL, "c"), HS_EDGE_ATTR, "__dict__"));
}

/* "Referenced by" names the container by the path from a variable, so
 * that two unnamed lists do not both read "list[0]". */
static void
test_referrers_name_paths (HsTraceFixture *f,
                           gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "a = [[1000]]\n"
    "b = [a[0]]\n"
    "pass\n");
  g_autoptr(HsSnapshot) last = hs_test_step_at_line (t, 3, 0);
  const HsObject *a = hs_test_var (last, NULL, "a");
  const HsObject *inner = hs_test_edge (last, a, HS_EDGE_ITEM, "0");
  const HsObject *thousand = hs_test_edge (last, inner, HS_EDGE_ITEM, "0");
  g_autoptr(GPtrArray) holders_of_inner = hs_describe_referrers (last, inner->ref);
  g_autoptr(GPtrArray) holders_of_thousand = hs_describe_referrers (last, thousand->ref);

  g_assert_cmpuint (holders_of_inner->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (holders_of_inner, "a[0]", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (holders_of_inner, "b[0]", g_str_equal, NULL));
  g_assert_cmpuint (holders_of_thousand->len, ==, 1);
  /* the inner list has two paths; either names it */
  g_assert_true (g_str_equal (g_ptr_array_index (holders_of_thousand, 0), "a[0][0]") ||
                 g_str_equal (g_ptr_array_index (holders_of_thousand, 0), "b[0][0]"));
}

/* A dict's entries are named by their keys, as Python names them and as
 * the graph's rows show them: d['a'], not d[0], which is the entry's
 * position, and no index of a dict. */
static void
test_referrers_name_keys (HsTraceFixture *f,
                          gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "d = {'a': [1], 7: [2]}\n"
    "pass\n");
  g_autoptr(HsSnapshot) last = hs_test_step_at_line (t, 2, 0);
  const HsObject *d = hs_test_var (last, NULL, "d");
  const HsObject *first = hs_test_edge (last, d, HS_EDGE_VALUE, "0");
  const HsObject *second = hs_test_edge (last, d, HS_EDGE_VALUE, "1");
  const HsObject *a = hs_test_edge (last, d, HS_EDGE_KEY, "0");
  g_autoptr(GPtrArray) holders_of_first = hs_describe_referrers (last, first->ref);
  g_autoptr(GPtrArray) holders_of_second = hs_describe_referrers (last, second->ref);
  g_autoptr(GPtrArray) holders_of_a = hs_describe_referrers (last, a->ref);
  g_autofree char *key_a = g_strdup_printf (_("%s, key %s"), "d", "'a'");

  g_assert_cmpuint (holders_of_first->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (holders_of_first, 0), ==, "d['a']");
  g_assert_cmpuint (holders_of_second->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (holders_of_second, 0), ==, "d[7]");
  g_assert_true (g_ptr_array_find_with_equal_func (holders_of_a, key_a, g_str_equal, NULL));
}

static void
test_referrers_name_container (void)
{
  g_autofree char *a_int = hs_describe_a_type ("int");
  g_autofree char *a_list = hs_describe_a_type ("list");

  g_assert_cmpstr (a_int, ==, "An int object");
  g_assert_cmpstr (a_list, ==, "A list object");
}

/* Each badge's sentence, in every version, is one sentence; the gc
 * badge's names the generation the box shows. */
static void
test_badge_tooltips (void)
{
  static const guint32 badges[] = { HS_OBJECT_SMALL_INT, HS_OBJECT_INTERNED,
                                    HS_OBJECT_IMMORTAL, HS_OBJECT_GC_TRACKED };
  static const char * const versions[] = { "3.11.2", "3.12.1", "3.13.0", NULL };

  for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
    for (guint generation = 0; generation <= HS_OBJECT_NO_GENERATION; generation++)
      for (guint i = 0; i < G_N_ELEMENTS (badges); i++)
        {
          guint32 flags = badges[i] | (generation << HS_OBJECT_GENERATION_SHIFT);
          g_autofree char *tip = hs_describe_flag_tooltip (versions[v], flags, badges[i]);
          g_autofree char *gen = g_strdup_printf ("generation %u ", generation);

          /* One sentence: it ends with a full stop and has no other
           * (the dots of "3.11" end no sentence). */
          g_assert_nonnull (tip);
          g_assert_true (g_str_has_suffix (tip, "."));
          g_assert_null (strstr (tip, ". "));
          if (badges[i] == HS_OBJECT_IMMORTAL && versions[v] != NULL)
            {
              g_autofree char *minor = g_strndup (versions[v], 4);

              g_assert_nonnull (strstr (tip, minor));
            }
          if (badges[i] == HS_OBJECT_GC_TRACKED && generation != HS_OBJECT_NO_GENERATION)
            g_assert_nonnull (strstr (tip, gen));
        }
  /* garbage the collector holds while it runs its __del__ */
  {
    g_autofree char *tip = hs_describe_flag_tooltip ("3.11.2", HS_OBJECT_GC_TRACKED | HS_OBJECT_COLLECTING |
                                                                 (HS_OBJECT_NO_GENERATION << HS_OBJECT_GENERATION_SHIFT),
                                                     HS_OBJECT_GC_TRACKED);

    g_assert_true (g_str_has_suffix (tip, "."));
    g_assert_null (strstr (tip, ". "));
  }
}

/* "Why is the refcount N" by each version's rules: 3.11's statically
 * allocated objects and its counted None, PEP 683's immortal objects in
 * 3.12 and later, and 3.13's interned strings that are counted again. */
static void
test_refcount_rules (void)
{
  HsObject small_int = { .type = "int", .repr = "1", .refcount = 1000000299,
                         .flags = HS_OBJECT_SMALL_INT | HS_OBJECT_IMMORTAL };
  HsObject none = { .type = "NoneType", .repr = "None", .refcount = 5487 };
  HsObject list = { .type = "list", .repr = "[1]", .refcount = 1, .flags = HS_OBJECT_MUTABLE };
  HsObject immortal = { .type = "int", .repr = "1", .refcount = 4294967295,
                        .flags = HS_OBJECT_SMALL_INT | HS_OBJECT_IMMORTAL };
  HsObject interned_immortal = { .type = "str", .repr = "'h'", .refcount = 4294967295,
                                 .flags = HS_OBJECT_INTERNED | HS_OBJECT_IMMORTAL };
  HsObject interned_counted = { .type = "str", .repr = "'abcd'", .refcount = 1,
                                .flags = HS_OBJECT_INTERNED };
  g_autofree char *rule = NULL;

  rule = hs_describe_refcount_rule ("3.11.2", &small_int);
  g_assert_nonnull (strstr (rule, "3.11"));
  g_assert_nonnull (strstr (rule, "999,999,999"));
  g_assert_nonnull (strstr (rule, "1,000,000,299"));
  g_clear_pointer (&rule, g_free);

  rule = hs_describe_refcount_rule ("3.11.2", &none);
  g_assert_nonnull (strstr (rule, "counted like any object"));
  g_assert_nonnull (strstr (rule, "5,487"));
  g_clear_pointer (&rule, g_free);

  /* an ordinary count needs no rule, in any version */
  g_assert_null (hs_describe_refcount_rule ("3.11.2", &list));
  g_assert_null (hs_describe_refcount_rule ("3.12.1", &list));
  g_assert_null (hs_describe_refcount_rule ("3.13.0", &list));
  /* nor an interned string that 3.11 counts, nor an unknown interpreter */
  g_assert_null (hs_describe_refcount_rule ("3.11.2", &interned_counted));
  g_assert_null (hs_describe_refcount_rule (NULL, &immortal));

  rule = hs_describe_refcount_rule ("3.12.1", &immortal);
  g_assert_nonnull (strstr (rule, "Python 3.12"));
  g_assert_nonnull (strstr (rule, "PEP 683"));
  g_assert_nonnull (strstr (rule, "4,294,967,295"));
  g_assert_nonnull (strstr (rule, "every interned"));
  g_assert_null (strstr (rule, "3.13"));
  g_clear_pointer (&rule, g_free);

  rule = hs_describe_refcount_rule ("3.12.1", &interned_immortal);
  g_assert_nonnull (strstr (rule, "PEP 683"));
  g_assert_null (strstr (rule, "3.13"));
  g_clear_pointer (&rule, g_free);

  rule = hs_describe_refcount_rule ("3.13.0", &interned_immortal);
  g_assert_nonnull (strstr (rule, "Python 3.13"));
  g_assert_nonnull (strstr (rule, "since 3.13"));
  g_clear_pointer (&rule, g_free);

  rule = hs_describe_refcount_rule ("3.13.0", &interned_counted);
  g_assert_nonnull (strstr (rule, "3.13 counts"));
}

/* The box, the facts and the hover sentences of an object the runtime
 * flags HS_OBJECT_IMMORTAL, under the worker for version: 3.11 has no
 * immortality (PEP 683 came in 3.12), only statically allocated objects
 * whose count starts at 999,999,999 and still moves, so every word of
 * the window says "static" there and "immortal" from 3.12 on. */
static const char static_program[] =
  "x = 1\n"
  "s = 'a'\n"
  "l = [x, s]\n"
  "pass\n";

static void
assert_says (const char *text,
             const char *word,
             const char *not_word,
             const char *what)
{
  g_assert_nonnull (text);
  if (word != NULL && strstr (text, word) == NULL)
    g_error ("%s \"%s\" does not say \"%s\"", what, text, word);
  if (strstr (text, not_word) != NULL)
    g_error ("%s \"%s\" says \"%s\"", what, text, not_word);
}

static void
test_static_or_immortal (HsTraceFixture *f,
                         gconstpointer   data)
{
  const char *version = data;
  gboolean is_311 = g_str_equal (version, "3.11");
  const char *word = is_311 ? "static" : "immortal";
  const char *not_word = is_311 ? "immortal" : "static";
  g_autoptr(HsSnapshot) snapshot = NULL;
  g_autoptr(HsLayout) layout = NULL;
  const HsLayoutBox *boxes;
  const HsObject *x;
  guint n_boxes, n_flagged = 0;
  HsTrace *t;

  t = hs_trace_fixture_run_with_python (f, version, static_program);
  if (t == NULL)
    return;
  snapshot = hs_test_step_at_line (t, 4, 0);
  layout = every_object_layout (snapshot);

  /* the runtime's truth: the cached 1 is flagged in every version */
  x = hs_test_var (snapshot, NULL, "x");
  g_assert_true (x->flags & HS_OBJECT_IMMORTAL);
  g_assert_true (x->flags & HS_OBJECT_SMALL_INT);

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    {
      const HsObject *o = hs_snapshot_lookup (snapshot, boxes[b].ref);
      g_autofree char *flags = NULL;
      g_autofree char *tooltip = NULL;

      if (boxes[b].kind != HS_LAYOUT_BOX_OBJECT || o == NULL)
        continue;
      flags = hs_describe_flags (hs_trace_get_python_version (t), o->flags);
      tooltip = hs_describe_object (snapshot, o->ref);
      if (o->flags & HS_OBJECT_IMMORTAL)
        {
          g_autofree char *prefix = g_strconcat (word, ", ", NULL);

          n_flagged++;
          g_assert_true (g_str_has_prefix (boxes[b].facts, prefix));
          assert_says (flags, word, not_word, "the facts");
          assert_says (tooltip, word, not_word, "the tooltip");
        }
      else
        {
          assert_says (flags, NULL, not_word, "the facts");
          assert_says (tooltip, NULL, not_word, "the tooltip");
        }
      assert_says (boxes[b].facts, NULL, not_word, "the box's facts");
      assert_says (boxes[b].marks, NULL, not_word, "the box's marks");
      {
        static const guint32 badges[] = { HS_OBJECT_SMALL_INT, HS_OBJECT_INTERNED,
                                          HS_OBJECT_IMMORTAL, HS_OBJECT_GC_TRACKED };

        for (guint i = 0; i < G_N_ELEMENTS (badges); i++)
          if (o->flags & badges[i])
            {
              g_autofree char *sentence = hs_describe_flag_tooltip (hs_snapshot_get_python_version (snapshot),
                                                                    o->flags, badges[i]);

              assert_says (sentence, badges[i] == HS_OBJECT_IMMORTAL ? word : NULL, not_word, "the badge's sentence");
            }
      }
    }
  /* 1 and 'a' at least */
  g_assert_cmpuint (n_flagged, >=, 2);

  /* the compare view names a difference of the flag as this version does */
  assert_says (hs_describe_diff_kind (HS_TRACE_DIFF_IMMORTAL, hs_trace_get_python_version (t)),
               word, not_word, "the compare view's kind");
}

/* Issue 8: a number is written the same way wherever the window shows
 * it, with thousands separators: the box's facts and its "… N more",
 * the graph's tooltip, the refcount's rule and the size. */
static const char numbers_program[] =
  "word = 'heapscope' * 3\n"
  "many = [word] * 1500\n"
  "pass\n";

static void
test_numbers (HsTraceFixture *f,
              gconstpointer   data)
{
  HsObject sized = { .type = "bytes", .repr = "b''", .refcount = 1, .size = 1048,
                     .flags = HS_OBJECT_SIZE_KNOWN };
  g_autoptr(HsSnapshot) snapshot = NULL;
  g_autoptr(HsLayout) layout = NULL;
  g_autofree char *size = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *count = NULL;
  g_autofree char *raw = NULL;
  const HsLayoutBox *boxes;
  const HsObject *word, *many;
  gboolean word_box = FALSE, elision = FALSE;
  guint n_boxes;
  HsTrace *t;

  size = hs_describe_size (&sized);
  g_assert_cmpstr (size, ==, "1,048 bytes");

  t = hs_trace_fixture_run (f, numbers_program);
  snapshot = hs_test_step_at_line (t, 3, 0);
  word = hs_test_var (snapshot, NULL, "word");
  many = hs_test_var (snapshot, NULL, "many");
  g_assert_nonnull (word);
  g_assert_nonnull (many);
  g_assert_cmpint (word->refcount, >, 1500);
  count = hs_format_count (word->refcount);
  raw = g_strdup_printf ("%" G_GINT64_FORMAT, word->refcount);

  tooltip = hs_describe_object (snapshot, word->ref);
  g_test_message ("tooltip: %s", tooltip);
  g_assert_nonnull (strstr (tooltip, count));
  /* id() is written whole, and its digits can hold the raw count
   * (139771503547840 holds 1503): the rest of the tooltip cannot */
  {
    g_autofree char *id = g_strdup_printf ("id() %" G_GUINT64_FORMAT, word->id);
    char *at = strstr (tooltip, id);

    g_assert_nonnull (at);
    memset (at, ' ', strlen (id));
  }
  g_assert_null (strstr (tooltip, raw));

  {
    HsLayoutOptions options;

    /* the string's refcount is on its box */
    hs_layout_options_init (&options);
    options.every_object = TRUE;
    layout = hs_layout_new (snapshot, NULL, &options);
  }
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    {
      if (boxes[b].ref == word->ref && boxes[b].kind == HS_LAYOUT_BOX_OBJECT)
        {
          g_test_message ("facts: %s", boxes[b].facts);
          g_assert_true (g_str_has_prefix (boxes[b].facts, "refcount "));
          g_assert_nonnull (strstr (boxes[b].facts, count));
          word_box = TRUE;
        }
      for (guint r = 0; r < boxes[b].n_rows; r++)
        if (boxes[b].ref == many->ref && boxes[b].rows[r].kind == HS_LAYOUT_ROW_ELISION)
          {
            g_test_message ("elision: %s", boxes[b].rows[r].label);
            g_assert_nonnull (strstr (boxes[b].rows[r].label, ",")); /* "… 1,400 more" */
            elision = TRUE;
          }
    }
  g_assert_true (word_box);
  g_assert_true (elision);

  /* With hidden holders shown, the mark on word counts the 1,400-odd
   * references of the slots not drawn, written as every other count */
  {
    g_autoptr(HsLayoutHolders) placed = hs_layout_holders_new (layout);
    gint64 other = hs_layout_holders_count_other (placed, word->ref);
    g_autofree char *other_count = hs_format_count (other);
    g_autofree char *mark = hs_layout_holders_other_text (other);
    g_autofree char *expected = g_strdup_printf ("+%s other", other_count);
    g_autofree char *times = hs_layout_holders_times_text (1234);

    g_test_message ("mark: %s", mark);
    g_assert_cmpint (other, >=, 1000);
    g_assert_cmpstr (mark, ==, expected);
    g_assert_cmpstr (times, ==, "×1,234");
  }

  {
    static const struct { gint64 n; const char *text; } cases[] = {
      { 0, "0" }, { 7, "7" }, { 999, "999" }, { 1000, "1,000" }, { 9990, "9,990" },
      { 999999999, "999,999,999" }, { 4294967295, "4,294,967,295" }, { -1024, "-1,024" },
      { G_MININT64, "-9,223,372,036,854,775,808" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *text = hs_format_count (cases[i].n);

        g_assert_cmpstr (text, ==, cases[i].text);
      }
  }
}

/* The note of a ghost names the line that freed it: the line of the step
 * before, known when the layout follows that step; after a jump, or
 * laid out alone, it names no line rather than a wrong one. */
static void
test_ghost_line (HsTraceFixture *f,
                 gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "x = [1000]\n"    /* 1 */
    "x = None\n"      /* 2: frees the list */
    "y = 1\n"         /* 3 */
    "pass\n");
  g_autoptr(HsSnapshot) first = hs_test_step_at_line (t, 1, 0);
  g_autoptr(HsSnapshot) before = hs_test_step_at_line (t, 2, 0);
  g_autoptr(HsSnapshot) after = hs_test_step_at_line (t, 3, 0);
  g_autoptr(HsLayout) at_first = every_object_layout (first);
  g_autoptr(HsLayout) at_before = hs_layout_new (before, at_first, NULL);
  g_autoptr(HsLayout) stepped = hs_layout_new (after, at_before, NULL);
  g_autoptr(HsLayout) jumped = hs_layout_new (after, at_first, NULL);
  g_autoptr(HsLayout) alone = every_object_layout (after);
  HsLayout *layouts[] = { stepped, jumped, alone };
  const char *expected[] = { "freed at line 2 (refcount 0)", "freed by the line just run (refcount 0)",
                             "freed by the line just run (refcount 0)" };

  g_assert_cmpuint (hs_snapshot_get_index (before) + 1, ==, hs_snapshot_get_index (after));
  for (guint l = 0; l < G_N_ELEMENTS (layouts); l++)
    {
      const HsLayoutBox *boxes;
      guint n_boxes, n_ghosts = 0;

      boxes = hs_layout_get_boxes (layouts[l], &n_boxes);
      for (guint b = 0; b < n_boxes; b++)
        if (boxes[b].kind == HS_LAYOUT_BOX_GHOST && g_str_equal (boxes[b].title, "list"))
          {
            g_assert_cmpstr (boxes[b].note, ==, expected[l]);
            n_ghosts++;
          }
      g_assert_cmpuint (n_ghosts, ==, 1);
    }
}

/* Registers /ui/describe/name/VERSION for each interpreter the tests know,
 * the version as the test's data; one that is not built skips itself. */
static void
add_for_each_python (const char *name,
                     void       (*func) (HsTraceFixture *, gconstpointer))
{
  static const char *const versions[] = { "3.11", "3.12", "3.13" };

  for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/describe/%s/%s", name, versions[v]);

      g_test_add (path, HsTraceFixture, versions[v], hs_trace_fixture_setup, func, hs_trace_fixture_teardown);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) examples = NULL;
  /* the render programs' names, which must outlive g_test_run() */
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);
  /* HsApplication registers them in the app; no application here. */
  hs_ui_register_resource ();

  examples = g_resources_enumerate_children (EXAMPLES, 0, NULL);
  g_assert_nonnull (examples);
  for (guint i = 0; examples[i]; i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/describe/refcount-adds-up/%s", examples[i]);

      /* examples outlives g_test_run(): no copy to leak (LeakSanitizer) */
      g_test_add (path, HsTraceFixture, examples[i],
                  hs_trace_fixture_setup, test_breakdown_adds_up, hs_trace_fixture_teardown);
    }
  {
    g_autoptr(GDir) dir = g_dir_open (HS_TEST_RENDER_PROGRAMS, 0, NULL);
    const char *name;

    g_assert_nonnull (dir);
    while ((name = g_dir_read_name (dir)) != NULL)
      if (g_str_has_suffix (name, ".py"))
        {
          g_autofree char *path = g_strdup_printf ("/ui/describe/refcount-adds-up/render/%s", name);

          g_ptr_array_add (names, g_strdup (name));
          g_test_add (path, HsTraceFixture, g_ptr_array_index (names, names->len - 1),
                      hs_trace_fixture_setup, test_program_adds_up, hs_trace_fixture_teardown);
        }
  }
  g_test_add ("/ui/describe/dict-over-cap", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_dict_over_cap, hs_trace_fixture_teardown);
  g_test_add ("/ui/describe/hidden-holders-named", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_hidden_holders_named, hs_trace_fixture_teardown);
  g_test_add ("/ui/describe/module-globals-named", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_module_globals_named, hs_trace_fixture_teardown);
  g_test_add ("/ui/describe/module-dict-drawn", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_module_dict_drawn, hs_trace_fixture_teardown);
  g_test_add ("/ui/describe/module-dict-as-instance-dict", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_module_dict_as_instance_dict, hs_trace_fixture_teardown);
  g_test_add ("/ui/describe/module-functions-named", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_module_functions_named, hs_trace_fixture_teardown);
  g_test_add ("/ui/describe/times-outside-boxes", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_times_outside_boxes, hs_trace_fixture_teardown);
  g_test_add ("/ui/describe/sys-modules-drawn", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_sys_modules_drawn, hs_trace_fixture_teardown);
  g_test_add ("/ui/describe/module-renamed", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_module_renamed, hs_trace_fixture_teardown);
  g_test_add ("/ui/describe/frame-function-named", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_frame_function_named, hs_trace_fixture_teardown);
  g_test_add ("/ui/describe/holders-many", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_holders_many, hs_trace_fixture_teardown);
  g_test_add ("/ui/describe/class-holds-itself", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_class_holds_itself, hs_trace_fixture_teardown);
  g_test_add ("/ui/describe/referrers-name-paths", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_referrers_name_paths, hs_trace_fixture_teardown);
  g_test_add ("/ui/describe/referrers-name-keys", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_referrers_name_keys, hs_trace_fixture_teardown);
  g_test_add_func ("/ui/describe/a-or-an", test_referrers_name_container);
  g_test_add_func ("/ui/describe/badge-tooltips", test_badge_tooltips);
  g_test_add_func ("/ui/describe/refcount-rules", test_refcount_rules);
  g_test_add ("/ui/describe/numbers", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_numbers, hs_trace_fixture_teardown);
  g_test_add ("/ui/describe/ghost-line", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_ghost_line, hs_trace_fixture_teardown);
  add_for_each_python ("module-copies-named", test_module_copies_named);
  add_for_each_python ("generator-holds", test_generator_holds);
  add_for_each_python ("end-constants", test_end_constants);
  add_for_each_python ("class-cell", test_class_cell);
  add_for_each_python ("class-dict", test_class_dict);
  add_for_each_python ("class-cell-variable", test_class_cell_variable);
  add_for_each_python ("renamed-method", test_renamed_method);
  add_for_each_python ("init-arguments", test_init_arguments);
  add_for_each_python ("init-instance", test_init_instance);
  add_for_each_python ("class-call-stack", test_class_call_stack);
  add_for_each_python ("subclasses", test_subclasses);
  add_for_each_python ("init-from-c", test_init_from_c);
  add_for_each_python ("loop-iterators", test_loop_iterators);
  add_for_each_python ("instance-dict-held", test_instance_dict_held);
  add_for_each_python ("class-dict-changes", test_class_dict_changes);
  add_for_each_python ("loop-made-containers", test_loop_made_containers);
  add_for_each_python ("constant-tuples", test_constant_tuples);
  add_for_each_python ("shared-constants", test_shared_constants);
  add_for_each_python ("inline-values-dict", test_inline_values_dict);
  add_for_each_python ("returned-constant", test_returned_constant);
  add_for_each_python ("called-from-c", test_called_from_c);
  add_for_each_python ("called-for-operator", test_called_for_operator);
  add_for_each_python ("being-collected", test_being_collected);
  add_for_each_python ("module-index", test_module_index);
  add_for_each_python ("main-globals", test_main_globals);
  add_for_each_python ("store-finalizes", test_store_finalizes);
  add_for_each_python ("property-getter", test_property_getter);
  add_for_each_python ("format-value", test_format_value);
  add_for_each_python ("yielded-value", test_yielded_value);
  add_for_each_python ("traceback-frames", test_traceback_frames);
  add_for_each_python ("finalizer", test_finalizer);
  add_for_each_python ("handled-exception", test_handled_exception);
  add_for_each_python ("exception-being-made", test_exception_being_made);
  add_for_each_python ("code-tuples", test_code_tuples);
  add_for_each_python ("nested-code-constants", test_nested_code_constants);
  add_for_each_python ("shared-local-names", test_shared_local_names);
  add_for_each_python ("lazy-iterators", test_lazy_iterators);
  add_for_each_python ("loop-generators", test_loop_generators);
  add_for_each_python ("globals-drawn-once", test_globals_drawn_once);
  add_for_each_python ("globals-drawn-again", test_globals_drawn_again);
  add_for_each_python ("iterator-run-out-elsewhere", test_iterator_run_out_elsewhere);
  add_for_each_python ("static-or-immortal", test_static_or_immortal);

  return g_test_run ();
}
