/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One test per concept Heapscope teaches about Python's heap: each traces a
 * small program with the real runtime and checks what the trace claims
 * against what Python itself says (its printed output) or must be true.
 */
#define G_LOG_DOMAIN "heapscope-test-heap"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hs-test-trace.h"

#define ADD(path, func) \
  g_test_add (path, HsTraceFixture, NULL, hs_trace_fixture_setup, func, hs_trace_fixture_teardown)

static gint64
stdout_int (HsTrace *trace,
            guint    index)
{
  g_auto(GStrv) lines = hs_test_stdout_lines (trace);
  char *end = NULL;
  gint64 value;

  g_assert_cmpuint (index, <, g_strv_length (lines));
  if (index >= g_strv_length (lines))
    return G_MININT64;
  value = g_ascii_strtoll (lines[index], &end, 10);
  g_assert_true (end != lines[index] && *end == '\0');
  return value;
}

static void
assert_finished (HsTrace *trace)
{
  if (!g_str_equal (hs_trace_get_status (trace), "finished"))
    {
      g_autoptr(GBytes) err = hs_trace_dup_stderr (trace);
      g_autofree char *text = hs_test_bytes_to_string (err);

      g_test_fail_printf ("status %s, stderr: %s", hs_trace_get_status (trace), text);
    }
}

static void
test_alias_rebinding (HsTraceFixture *f,
                      gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "a = [1, 2, 3]\n"   /* 1 */
    "b = a\n"           /* 2 */
    "a = [1, 2, 3]\n"   /* 3 */
    "pass\n");          /* 4 */
  g_autoptr(HsSnapshot) s3 = NULL;
  g_autoptr(HsSnapshot) s4 = NULL;
  guint32 first;

  assert_finished (t);
  s3 = hs_test_step_at_line (t, 3, 0);
  first = hs_test_var_ref (s3, NULL, "a");
  g_assert_cmpuint (hs_test_var_ref (s3, NULL, "b"), ==, first);
  g_assert_cmpint (hs_test_var (s3, NULL, "a")->refcount, ==, 2);

  s4 = hs_test_step_at_line (t, 4, 0);
  g_assert_cmpuint (hs_test_var_ref (s4, NULL, "b"), ==, first);
  g_assert_cmpuint (hs_test_var_ref (s4, NULL, "a"), !=, first);
  g_assert_cmpint (hs_test_var (s4, NULL, "a")->refcount, ==, 1);
  g_assert_cmpint (hs_test_var (s4, NULL, "b")->refcount, ==, 1);
  g_assert_cmpstr (hs_test_var (s4, NULL, "a")->repr, ==, "[1, 2, 3]");
}

static void
test_identity_is_vs_eq (HsTraceFixture *f,
                        gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "a = [1, 2]\n"                     /* 1 */
    "b = [1, 2]\n"                     /* 2 */
    "c = a\n"                          /* 3 */
    "print(a == b, a is b, a is c)\n"); /* 4 */
  g_autoptr(HsSnapshot) s = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autofree char *text = NULL;
  const HsObject *a, *b;

  assert_finished (t);
  out = hs_trace_dup_stdout (t);
  text = hs_test_bytes_to_string (out);
  g_assert_cmpstr (text, ==, "True False True\n");

  s = hs_test_step_at_line (t, 4, 0);
  a = hs_test_var (s, NULL, "a");
  b = hs_test_var (s, NULL, "b");
  g_assert_cmpuint (a->ref, !=, b->ref);
  g_assert_cmpuint (a->id, !=, b->id);
  g_assert_cmpstr (a->repr, ==, b->repr);
  g_assert_cmpuint (hs_test_var_ref (s, NULL, "c"), ==, a->ref);
  /* equal lists, but their items are the very same cached ints */
  g_assert_cmpuint (hs_test_edge (s, a, HS_EDGE_ITEM, "0")->ref, ==,
                    hs_test_edge (s, b, HS_EDGE_ITEM, "0")->ref);
}

static void
test_small_int_cache (HsTraceFixture *f,
                      gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "a = 256\n"               /* 1 */
    "b = int('256')\n"        /* 2 */
    "m = int('-5')\n"         /* 3 */
    "x = int('257')\n"        /* 4 */
    "y = int('257')\n"        /* 5 */
    "n = int('-6')\n"         /* 6 */
    "print(a is b, x is y)\n"); /* 7 */
  g_autoptr(HsSnapshot) s = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autofree char *text = NULL;
  const HsObject *a, *x, *y, *m, *n;

  assert_finished (t);
  out = hs_trace_dup_stdout (t);
  text = hs_test_bytes_to_string (out);
  g_assert_cmpstr (text, ==, "True False\n");

  s = hs_test_step_at_line (t, 7, 0);
  a = hs_test_var (s, NULL, "a");
  g_assert_cmpuint (hs_test_var_ref (s, NULL, "b"), ==, a->ref);
  g_assert_cmpstr (a->type, ==, "int");
  g_assert_true (a->flags & HS_OBJECT_SMALL_INT);
  g_assert_true (a->flags & HS_OBJECT_IMMORTAL);
  g_assert_false (a->flags & HS_OBJECT_MUTABLE);
  m = hs_test_var (s, NULL, "m");
  g_assert_true (m->flags & HS_OBJECT_SMALL_INT);

  x = hs_test_var (s, NULL, "x");
  y = hs_test_var (s, NULL, "y");
  g_assert_cmpuint (x->ref, !=, y->ref);
  g_assert_cmpuint (x->id, !=, y->id);
  g_assert_cmpstr (x->repr, ==, "257");
  g_assert_cmpstr (y->repr, ==, "257");
  g_assert_false (x->flags & HS_OBJECT_SMALL_INT);
  g_assert_false (x->flags & HS_OBJECT_IMMORTAL);
  g_assert_cmpint (x->refcount, ==, 1);
  n = hs_test_var (s, NULL, "n");
  g_assert_false (n->flags & HS_OBJECT_SMALL_INT);
}

static void
test_string_interning (HsTraceFixture *f,
                       gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys\n"                       /* 1 */
    "a = 'hello'\n"                      /* 2 */
    "b = 'hel' + 'lo'\n"                 /* 3 */
    "c = ''.join(['hel', 'lo'])\n"       /* 4 */
    "d = sys.intern(c)\n"                /* 5 */
    "e = 'hello world!'\n"               /* 6 */
    "print(a is b, a is c, a is d)\n");  /* 7 */
  g_autoptr(HsSnapshot) s = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autofree char *text = NULL;
  const HsObject *a, *c, *e;

  assert_finished (t);
  out = hs_trace_dup_stdout (t);
  text = hs_test_bytes_to_string (out);
  g_assert_cmpstr (text, ==, "True False True\n");

  s = hs_test_step_at_line (t, 7, 0);
  a = hs_test_var (s, NULL, "a");
  c = hs_test_var (s, NULL, "c");
  e = hs_test_var (s, NULL, "e");
  g_assert_true (a->flags & HS_OBJECT_INTERNED);
  g_assert_cmpuint (hs_test_var_ref (s, NULL, "b"), ==, a->ref);
  g_assert_cmpuint (hs_test_var_ref (s, NULL, "d"), ==, a->ref);
  g_assert_cmpuint (c->ref, !=, a->ref);
  g_assert_cmpstr (c->repr, ==, "'hello'");
  g_assert_false (c->flags & HS_OBJECT_INTERNED);
  /* only identifier-like constants are interned */
  g_assert_false (e->flags & HS_OBJECT_INTERNED);
}

static void
test_refcount_module (HsTraceFixture *f,
                      gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys\n"                     /* 1 */
    "a = []\n"                         /* 2 */
    "b = a\n"                          /* 3 */
    "print(sys.getrefcount(a))\n"      /* 4 */
    "d = {'k': a}\n"                   /* 5 */
    "t = (a, a)\n"                     /* 6 */
    "print(sys.getrefcount(a))\n"      /* 7 */
    "del b\n"                          /* 8 */
    "print(sys.getrefcount(a))\n");    /* 9 */
  static const guint lines[] = { 4, 7, 9 };
  static const gint64 expected[] = { 2, 5, 4 };

  assert_finished (t);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(HsSnapshot) s = hs_test_step_at_line (t, lines[i], 0);
      const HsObject *a = hs_test_var (s, NULL, "a");

      g_assert_cmpint (a->refcount, ==, stdout_int (t, i) - 1);
      g_assert_cmpint (a->refcount, ==, expected[i]);
    }
}

static void
test_refcount_function_locals (HsTraceFixture *f,
                               gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys\n"                          /* 1 */
    "def f(p):\n"                           /* 2 */
    "    q = p\n"                           /* 3 */
    "    r = [p]\n"                         /* 4 */
    "    print(sys.getrefcount(p))\n"       /* 5 */
    "    s = object()\n"                    /* 6 */
    "    print(sys.getrefcount(s))\n"       /* 7 */
    "    return r\n"                        /* 8 */
    "x = object()\n"                        /* 9 */
    "print(sys.getrefcount(x))\n"           /* 10 */
    "f(x)\n"                                /* 11 */
    "print(sys.getrefcount(x))\n");         /* 12 */
  g_autoptr(HsSnapshot) s10 = NULL;
  g_autoptr(HsSnapshot) s5 = NULL;
  g_autoptr(HsSnapshot) s7 = NULL;
  g_autoptr(HsSnapshot) s12 = NULL;

  assert_finished (t);
  s10 = hs_test_step_at_line (t, 10, 0);
  g_assert_cmpint (hs_test_var (s10, NULL, "x")->refcount, ==, stdout_int (t, 0) - 1);

  s5 = hs_test_step_at_line (t, 5, 0);
  g_assert_cmpuint (hs_test_var_ref (s5, "f", "p"), ==, hs_test_var_ref (s5, "<module>", "x"));
  g_assert_cmpint (hs_test_var (s5, "f", "p")->refcount, ==, stdout_int (t, 1) - 1);
  /* x, p, q and r[0] */
  g_assert_cmpint (hs_test_var (s5, "f", "p")->refcount, ==, 4);

  s7 = hs_test_step_at_line (t, 7, 0);
  g_assert_cmpint (hs_test_var (s7, "f", "s")->refcount, ==, stdout_int (t, 2) - 1);
  g_assert_cmpint (hs_test_var (s7, "f", "s")->refcount, ==, 1);

  s12 = hs_test_step_at_line (t, 12, 0);
  g_assert_cmpint (hs_test_var (s12, NULL, "x")->refcount, ==, stdout_int (t, 3) - 1);
  g_assert_cmpint (hs_test_var (s12, NULL, "x")->refcount, ==, 1);
}

static void
test_refcount_loop (HsTraceFixture *f,
                    gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys\n"                       /* 1 */
    "x = [7]\n"                          /* 2 */
    "keep = []\n"                        /* 3 */
    "for i in range(4):\n"               /* 4 */
    "    keep.append(x)\n"               /* 5 */
    "    print(sys.getrefcount(x))\n"    /* 6 */
    "def g():\n"                         /* 7 */
    "    for item in keep:\n"            /* 8 */
    "        print(sys.getrefcount(item))\n" /* 9 */
    "g()\n");                            /* 10 */

  assert_finished (t);
  for (guint k = 0; k < 4; k++)
    {
      g_autoptr(HsSnapshot) s = hs_test_step_at_line (t, 6, k);
      const HsObject *x = hs_test_var (s, NULL, "x");

      g_assert_cmpint (x->refcount, ==, stdout_int (t, k) - 1);
      g_assert_cmpint (x->refcount, ==, 2 + k);
    }
  for (guint k = 0; k < 4; k++)
    {
      g_autoptr(HsSnapshot) s = hs_test_step_at_line (t, 9, k);
      const HsObject *item = hs_test_var (s, "g", "item");

      g_assert_cmpuint (item->ref, ==, hs_test_var_ref (s, "<module>", "x"));
      g_assert_cmpint (item->refcount, ==, stdout_int (t, 4 + k) - 1);
    }
}

static void
test_refcount_list_elements (HsTraceFixture *f,
                             gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys\n"                               /* 1 */
    "e = [0]\n"                                  /* 2 */
    "outer = [e, e, [e]]\n"                      /* 3 */
    "d = {'v': e}\n"                             /* 4 */
    "print(sys.getrefcount(outer[0]))\n"         /* 5 */
    "print(sys.getrefcount(outer[2]))\n"         /* 6 */
    "print(sys.getrefcount(d['v'][0]))\n");      /* 7 */
  g_autoptr(HsSnapshot) s5 = NULL;
  g_autoptr(HsSnapshot) s6 = NULL;
  const HsObject *outer, *item0, *item2, *dv;

  assert_finished (t);
  s5 = hs_test_step_at_line (t, 5, 0);
  outer = hs_test_var (s5, NULL, "outer");
  item0 = hs_test_edge (s5, outer, HS_EDGE_ITEM, "0");
  g_assert_cmpuint (item0->ref, ==, hs_test_var_ref (s5, NULL, "e"));
  g_assert_cmpuint (hs_test_edge (s5, outer, HS_EDGE_ITEM, "1")->ref, ==, item0->ref);
  dv = hs_test_edge (s5, hs_test_var (s5, NULL, "d"), HS_EDGE_VALUE, NULL);
  g_assert_cmpuint (dv->ref, ==, item0->ref);
  /* e, outer[0], outer[1], outer[2][0], d['v'] */
  g_assert_cmpint (item0->refcount, ==, 5);
  g_assert_cmpint (item0->refcount, ==, stdout_int (t, 0) - 1);

  s6 = hs_test_step_at_line (t, 6, 0);
  outer = hs_test_var (s6, NULL, "outer");
  item2 = hs_test_edge (s6, outer, HS_EDGE_ITEM, "2");
  g_assert_cmpint (item2->refcount, ==, 1);
  g_assert_cmpint (item2->refcount, ==, stdout_int (t, 1) - 1);
  /* the small int 0 is immortal-ish: the trace shows its count as Python
   * does; getrefcount's own reference counts, except on an object that is
   * immortal for real (3.12 on), whose count never moves */
  item0 = hs_test_edge (s6, hs_test_var (s6, NULL, "e"), HS_EDGE_ITEM, "0");
  g_assert_cmpint (item0->refcount, ==,
                   stdout_int (t, 2) - (item0->refcount == G_GINT64_CONSTANT (4294967295) ? 0 : 1));
}

static void
test_free_refcount_zero (HsTraceFixture *f,
                         gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "x = int('1000')\n"   /* 1 */
    "x = 5\n"             /* 2 */
    "big = [1, 2, 3]\n"   /* 3 */
    "big = None\n"        /* 4 */
    "k = 1000\n"          /* 5 */
    "k = 6\n"             /* 6 */
    "pass\n");            /* 7 */
  g_autoptr(HsSnapshot) s2 = NULL;
  g_autoptr(HsSnapshot) s3 = NULL;
  g_autoptr(HsSnapshot) s4 = NULL;
  g_autoptr(HsSnapshot) s6 = NULL;
  guint32 computed, list, literal;
  HsFreeCause cause = HS_N_FREE_CAUSES;
  gint64 freed_at;

  assert_finished (t);
  s2 = hs_test_step_at_line (t, 2, 0);
  computed = hs_test_var_ref (s2, NULL, "x");
  g_assert_cmpint (hs_test_var (s2, NULL, "x")->refcount, ==, 1);
  s3 = hs_test_step_at_line (t, 3, 0);
  g_assert_cmpint (hs_test_first_freed_step (t, computed, &cause), ==, hs_snapshot_get_index (s3));
  g_assert_cmpint (cause, ==, HS_FREE_REFCOUNT);
  g_assert_null (hs_snapshot_lookup (s3, computed));

  s4 = hs_test_step_at_line (t, 4, 0);
  list = hs_test_var_ref (s4, NULL, "big");
  cause = HS_N_FREE_CAUSES;
  g_assert_cmpint (hs_test_first_freed_step (t, list, &cause), ==, hs_snapshot_get_index (s4) + 1);
  g_assert_cmpint (cause, ==, HS_FREE_REFCOUNT);

  /* the literal stays alive: the code object's constants hold it */
  s6 = hs_test_step_at_line (t, 6, 0);
  literal = hs_test_var_ref (s6, NULL, "k");
  g_assert_cmpint (hs_test_var (s6, NULL, "k")->refcount, >=, 2);
  freed_at = hs_test_first_freed_step (t, literal, NULL);
  /* only the end of the program releases the module's code object */
  if (freed_at != -1)
    g_assert_cmpint (freed_at, ==, hs_trace_get_n_steps (t) - 1);
}

/* The generation Python finds an object in with gc.get_objects (g),
 * printed by the program as a list; -1 for none */
static int
printed_generation (const char *line)
{
  if (g_str_equal (line, "[]"))
    return -1;
  g_assert_true (strlen (line) == 3 && line[0] == '[' && line[2] == ']');
  return line[1] - '0';
}

/* While gc.collect () runs the __del__ of its garbage, that garbage is in
 * lists of the collector's own, in no generation.  The objects and a list
 * they hold read "gc gen 0", which they were in before the collection:
 * their generation was kept until the collection counted itself as run,
 * after the __del__.  They are marked as being collected; the weak
 * reference whose callback the collector calls is not, though it too is
 * in a list of the collector's (found by review), in no generation.  What
 * survived read the generation it was in before too, though the collector
 * had moved it to the oldest. */
static void
test_gc_generation_while_collecting (HsTraceFixture *f,
                                     gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import gc\n"                                                      /* 1 */
    "import weakref\n"                                                 /* 2 */
    "gc.disable()\n"                                                   /* 3 */
    "def gen(x):\n"                                                    /* 4 */
    "    return [g for g in range(3) if id(x) in set(map(id, gc.get_objects(g)))]\n" /* 5 */
    "def called(wr):\n"                                                /* 6 */
    "    print(gen(wr))\n"                                             /* 7 */
    "class Node:\n"                                                    /* 8 */
    "    def __del__(self):\n"                                         /* 9 */
    "        print(gen(self))\n"                                       /* 10 */
    "        print(gen(self.items))\n"                                 /* 11 */
    "        print(gen(kept))\n"                                       /* 12 */
    "a = Node()\n"                                                     /* 13 */
    "a.items = [a]\n"                                                  /* 14 */
    "kept = [[]]\n"                                                    /* 15 */
    "watch = weakref.ref(a, called)\n"                                 /* 16 */
    "del a; gc.collect()\n"                                            /* 17 */
    "print(gen(kept))\n"                                               /* 18 */
    "done = True\n");                                                  /* 19 */
  g_auto(GStrv) lines = NULL;
  g_autoptr(HsSnapshot) before = NULL;
  g_autoptr(HsSnapshot) called = NULL;
  g_autoptr(HsSnapshot) inside = NULL;
  g_autoptr(HsSnapshot) last = NULL;
  const HsObject *self, *wr;

  assert_finished (t);
  lines = hs_test_stdout_lines (t);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  /* the weak reference's callback, then the __del__ */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (lines[i], ==, "[]");
  g_assert_cmpstr (lines[3], ==, "[2]");

  /* the objects were in generation 0 before the collection, and a's
   * list was last seen reachable: only the step that runs the collection
   * lets go of a */
  before = hs_test_step_at_line (t, 17, 0);
  g_assert_cmpint (HS_OBJECT_GENERATION (hs_test_var (before, NULL, "kept")->flags), ==, 0);
  self = hs_test_var (before, NULL, "a");
  g_assert_cmpint (HS_OBJECT_GENERATION (hs_test_edge (before, self, HS_EDGE_ATTR, "items")->flags), ==, 0);
  g_assert_false (self->flags & HS_OBJECT_COLLECTING);

  inside = hs_test_step_at_line (t, 12, 0);
  self = hs_test_var (inside, "__del__", "self");
  g_assert_true (self->flags & HS_OBJECT_GC_TRACKED);
  g_assert_true (self->flags & HS_OBJECT_COLLECTING);
  g_assert_cmpint (HS_OBJECT_GENERATION (self->flags), ==, HS_OBJECT_NO_GENERATION);
  g_assert_true (hs_test_edge (inside, self, HS_EDGE_ATTR, "items")->flags & HS_OBJECT_COLLECTING);
  g_assert_cmpint (HS_OBJECT_GENERATION (hs_test_edge (inside, self, HS_EDGE_ATTR, "items")->flags), ==,
                   HS_OBJECT_NO_GENERATION);
  g_assert_false (hs_test_var (inside, "<module>", "kept")->flags & HS_OBJECT_COLLECTING);
  /* kept survived, and the collector has moved it to the oldest
   * generation already: it read "gc gen 0", where it had been before */
  g_assert_cmpint (HS_OBJECT_GENERATION (hs_test_var (inside, "<module>", "kept")->flags), ==,
                   printed_generation (lines[3]));
  g_assert_cmpint (printed_generation (lines[3]), ==, 2);
  /* The collector keeps the weak reference whose callback it calls in a
   * list of its own too, but it found it reachable: not being collected */
  called = hs_test_step_at_line (t, 7, 0);
  wr = hs_test_var (called, "called", "wr");
  g_assert_true (wr->flags & HS_OBJECT_GC_TRACKED);
  g_assert_false (wr->flags & HS_OBJECT_COLLECTING);
  g_assert_cmpint (printed_generation (lines[0]), ==, -1);
  g_assert_cmpint (HS_OBJECT_GENERATION (wr->flags), ==, HS_OBJECT_NO_GENERATION);
  /* what survived is in the oldest, as Python finds it */
  last = hs_test_step_at_line (t, 19, 0);
  g_assert_cmpint (HS_OBJECT_GENERATION (hs_test_var (last, NULL, "kept")->flags), ==, printed_generation (lines[4]));
  g_assert_cmpint (printed_generation (lines[4]), ==, 2);
}

static void
test_gc_cycle (HsTraceFixture *f,
               gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import gc\n"            /* 1 */
    "gc.disable()\n"         /* 2 */
    "a = []\n"               /* 3 */
    "b = [a]\n"              /* 4 */
    "a.append(b)\n"          /* 5 */
    "a = b = None\n"         /* 6 */
    "pass\n"                 /* 7 */
    "n = gc.collect()\n"     /* 8 */
    "print(n)\n");           /* 9 */
  g_autoptr(HsSnapshot) s6 = NULL;
  g_autoptr(HsSnapshot) s7 = NULL;
  g_autoptr(HsSnapshot) s8 = NULL;
  g_autoptr(HsSnapshot) s9 = NULL;
  const HsObject *a, *b;
  const HsGcRun *runs;
  guint n_runs, collected = 0;
  gboolean full = FALSE;
  HsFreeCause cause = HS_N_FREE_CAUSES;
  guint32 ra, rb;

  assert_finished (t);
  s6 = hs_test_step_at_line (t, 6, 0);
  ra = hs_test_var_ref (s6, NULL, "a");
  rb = hs_test_var_ref (s6, NULL, "b");
  g_assert_true (hs_test_lookup (s6, ra)->flags & HS_OBJECT_REACHABLE);

  for (guint line = 7; line <= 8; line++)
    {
      g_autoptr(HsSnapshot) s = hs_test_step_at_line (t, line, 0);

      a = hs_test_lookup (s, ra);
      b = hs_test_lookup (s, rb);
      g_assert_false (a->flags & HS_OBJECT_REACHABLE);
      g_assert_false (b->flags & HS_OBJECT_REACHABLE);
      g_assert_cmpint (a->refcount, ==, 1);
      g_assert_cmpuint (hs_test_edge (s, a, HS_EDGE_ITEM, "0")->ref, ==, rb);
      g_assert_false (hs_test_was_freed (s, ra, NULL));
    }

  s9 = hs_test_step_at_line (t, 9, 0);
  g_assert_true (hs_test_was_freed (s9, ra, &cause));
  g_assert_cmpint (cause, ==, HS_FREE_GC);
  cause = HS_N_FREE_CAUSES;
  g_assert_true (hs_test_was_freed (s9, rb, &cause));
  g_assert_cmpint (cause, ==, HS_FREE_GC);
  g_assert_null (hs_snapshot_lookup (s9, ra));

  runs = hs_snapshot_get_gc_runs (s9, &n_runs);
  g_assert_cmpuint (n_runs, >=, 1);
  for (guint i = 0; i < n_runs; i++)
    {
      collected += runs[i].collected;
      full |= runs[i].generation == 2;
    }
  g_assert_true (full);
  g_assert_cmpint (collected, ==, stdout_int (t, 0));
  g_assert_cmpint (collected, >=, 2);
}

static guint32
item_ref (HsSnapshot     *s,
          const HsObject *o,
          const char     *label)
{
  return hs_test_edge (s, o, HS_EDGE_ITEM, label)->ref;
}

static void
test_copy_shallow (HsTraceFixture *f,
                   gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import copy\n"                 /* 1 */
    "inner = [1]\n"                 /* 2 */
    "outer = [inner, [2]]\n"        /* 3 */
    "s = outer[:]\n"                /* 4 */
    "c = copy.copy(outer)\n"        /* 5 */
    "s[0].append(3)\n"              /* 6 */
    "pass\n");                      /* 7 */
  g_autoptr(HsSnapshot) st = NULL;
  const HsObject *outer;

  assert_finished (t);
  st = hs_test_step_at_line (t, 7, 0);
  outer = hs_test_var (st, NULL, "outer");
  for (guint i = 0; i < 2; i++)
    {
      const char *copy_name = i == 0 ? "s" : "c";
      const HsObject *copy = hs_test_var (st, NULL, copy_name);

      g_assert_cmpuint (copy->ref, !=, outer->ref);
      g_assert_cmpuint (item_ref (st, copy, "0"), ==, hs_test_var_ref (st, NULL, "inner"));
      g_assert_cmpuint (item_ref (st, copy, "1"), ==, item_ref (st, outer, "1"));
    }
  g_assert_cmpstr (hs_test_var (st, NULL, "inner")->repr, ==, "[1, 3]");
  /* inner, outer[0], s[0], c[0] */
  g_assert_cmpint (hs_test_var (st, NULL, "inner")->refcount, ==, 4);
}

static void
test_copy_deep_shared (HsTraceFixture *f,
                       gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import copy\n"                             /* 1 */
    "shared = [1]\n"                            /* 2 */
    "outer = [shared, shared, [shared]]\n"      /* 3 */
    "d = copy.deepcopy(outer)\n"                /* 4 */
    "pass\n");                                  /* 5 */
  g_autoptr(HsSnapshot) st = NULL;
  const HsObject *outer, *d, *d2;
  guint32 shared, d0;

  assert_finished (t);
  st = hs_test_step_at_line (t, 5, 0);
  outer = hs_test_var (st, NULL, "outer");
  d = hs_test_var (st, NULL, "d");
  shared = hs_test_var_ref (st, NULL, "shared");
  g_assert_cmpuint (d->ref, !=, outer->ref);
  d0 = item_ref (st, d, "0");
  g_assert_cmpuint (d0, !=, shared);
  /* deepcopy keeps the sharing, with new objects */
  g_assert_cmpuint (item_ref (st, d, "1"), ==, d0);
  d2 = hs_test_edge (st, d, HS_EDGE_ITEM, "2");
  g_assert_cmpuint (d2->ref, !=, item_ref (st, outer, "2"));
  g_assert_cmpuint (item_ref (st, d2, "0"), ==, d0);
  g_assert_cmpint (hs_test_lookup (st, d0)->refcount, ==, 3);
  /* the immutable int inside is not copied */
  g_assert_cmpuint (item_ref (st, hs_test_lookup (st, d0), "0"), ==,
                    item_ref (st, hs_test_lookup (st, shared), "0"));
}

static void
test_copy_cyclic (HsTraceFixture *f,
                  gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import copy\n"                 /* 1 */
    "a = [1]\n"                     /* 2 */
    "a.append(a)\n"                 /* 3 */
    "s = a[:]\n"                    /* 4 */
    "c = copy.copy(a)\n"            /* 5 */
    "d = copy.deepcopy(a)\n"        /* 6 */
    "pass\n");                      /* 7 */
  g_autoptr(HsSnapshot) st = NULL;
  const HsObject *a, *s, *c, *d;

  assert_finished (t);
  st = hs_test_step_at_line (t, 7, 0);
  a = hs_test_var (st, NULL, "a");
  s = hs_test_var (st, NULL, "s");
  c = hs_test_var (st, NULL, "c");
  d = hs_test_var (st, NULL, "d");
  g_assert_cmpuint (item_ref (st, a, "1"), ==, a->ref);
  g_assert_cmpuint (item_ref (st, s, "1"), ==, a->ref);
  g_assert_cmpuint (item_ref (st, c, "1"), ==, a->ref);
  g_assert_cmpuint (d->ref, !=, a->ref);
  g_assert_cmpuint (item_ref (st, d, "1"), ==, d->ref);
  /* a, a[1], s[1], c[1] */
  g_assert_cmpint (a->refcount, ==, 4);
  g_assert_cmpint (d->refcount, ==, 2);
}

static void
test_tuple_holding_lists (HsTraceFixture *f,
                          gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "l = [1]\n"                     /* 1 */
    "t = (l, 2)\n"                  /* 2 */
    "t[0].append(3)\n"              /* 3 */
    "try:\n"                        /* 4 */
    "    t[0] += [4]\n"             /* 5 */
    "except TypeError:\n"           /* 6 */
    "    pass\n"                    /* 7 */
    "print(t)\n");                  /* 8 */
  g_autoptr(HsSnapshot) s3 = NULL;
  g_autoptr(HsSnapshot) s8 = NULL;
  const HsObject *tup, *l;
  g_autoptr(GBytes) out = NULL;
  g_autofree char *text = NULL;

  assert_finished (t);
  s3 = hs_test_step_at_line (t, 3, 0);
  tup = hs_test_var (s3, NULL, "t");
  g_assert_cmpstr (tup->type, ==, "tuple");
  g_assert_false (tup->flags & HS_OBJECT_MUTABLE);
  g_assert_cmpuint (item_ref (s3, tup, "0"), ==, hs_test_var_ref (s3, NULL, "l"));
  g_assert_cmpstr (hs_test_edge (s3, tup, HS_EDGE_ITEM, "1")->repr, ==, "2");

  /* the tuple cannot change, yet what it holds did, twice */
  s8 = hs_test_step_at_line (t, 8, 0);
  tup = hs_test_var (s8, NULL, "t");
  l = hs_test_var (s8, NULL, "l");
  g_assert_true (l->flags & HS_OBJECT_MUTABLE);
  g_assert_cmpuint (item_ref (s8, tup, "0"), ==, l->ref);
  g_assert_cmpstr (l->repr, ==, "[1, 3, 4]");
  g_assert_cmpuint (l->length, ==, 3);
  out = hs_trace_dup_stdout (t);
  text = hs_test_bytes_to_string (out);
  g_assert_cmpstr (text, ==, "([1, 3, 4], 2)\n");
}

static void
test_scope_nonlocal (HsTraceFixture *f,
                     gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "g = 'global'\n"               /* 1 */
    "def outer():\n"               /* 2 */
    "    x = [1]\n"                /* 3 */
    "    def inner():\n"           /* 4 */
    "        nonlocal x\n"         /* 5 */
    "        x = [2]\n"            /* 6 */
    "        return x\n"           /* 7 */
    "    inner()\n"                /* 8 */
    "    return x\n"               /* 9 */
    "def setg():\n"                /* 10 */
    "    global g\n"               /* 11 */
    "    g = 'changed'\n"          /* 12 */
    "def shadow():\n"              /* 13 */
    "    g = 'local'\n"            /* 14 */
    "    return g\n"               /* 15 */
    "r = outer()\n"                /* 16 */
    "shadow()\n"                   /* 17 */
    "print(g)\n"                   /* 18 */
    "setg()\n"                     /* 19 */
    "print(g)\n");                 /* 20 */
  g_autoptr(HsSnapshot) s6 = NULL;
  g_autoptr(HsSnapshot) s7 = NULL;
  g_autoptr(HsSnapshot) s15 = NULL;
  g_autoptr(HsSnapshot) s20 = NULL;
  const HsFrame *frames;
  const HsObject *cell_outer, *cell_inner, *fn;
  guint n;

  assert_finished (t);
  s6 = hs_test_step_at_line (t, 6, 0);
  frames = hs_snapshot_get_frames (s6, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_true (hs_test_function_is (&frames[0], "<module>"));
  g_assert_true (hs_test_function_is (&frames[1], "outer"));
  g_assert_true (hs_test_function_is (&frames[2], "inner"));
  g_assert_cmpuint (frames[0].line, ==, 16);
  g_assert_cmpuint (frames[1].line, ==, 8);
  g_assert_cmpuint (frames[2].line, ==, 6);

  cell_outer = hs_test_var (s6, "outer", "x");
  cell_inner = hs_test_var (s6, "inner", "x");
  g_assert_cmpstr (cell_outer->type, ==, "cell");
  g_assert_cmpuint (cell_outer->ref, ==, cell_inner->ref);
  g_assert_cmpstr (hs_test_edge (s6, cell_outer, HS_EDGE_CONTENTS, NULL)->repr, ==, "[1]");
  fn = hs_test_var (s6, "outer", "inner");
  g_assert_cmpstr (fn->type, ==, "function");
  g_assert_cmpuint (hs_test_edge (s6, fn, HS_EDGE_CLOSURE, "x")->ref, ==, cell_outer->ref);

  s7 = hs_test_step_at_line (t, 7, 0);
  cell_outer = hs_test_var (s7, "outer", "x");
  g_assert_cmpstr (hs_test_edge (s7, cell_outer, HS_EDGE_CONTENTS, NULL)->repr, ==, "[2]");

  /* a local of the same name does not touch the global */
  s15 = hs_test_step_at_line (t, 15, 0);
  g_assert_cmpstr (hs_test_var (s15, "shadow", "g")->repr, ==, "'local'");
  g_assert_cmpstr (hs_test_var (s15, "<module>", "g")->repr, ==, "'global'");

  s20 = hs_test_step_at_line (t, 20, 0);
  g_assert_cmpstr (hs_test_var (s20, NULL, "g")->repr, ==, "'changed'");
  g_assert_cmpstr (hs_test_var (s20, NULL, "r")->repr, ==, "[2]");
  hs_snapshot_get_frames (s20, &n);
  g_assert_cmpuint (n, ==, 1);
}

static void
test_scope_closure_outlives_frame (HsTraceFixture *f,
                                   gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "def make():\n"                 /* 1 */
    "    count = 0\n"               /* 2 */
    "    def inc():\n"              /* 3 */
    "        nonlocal count\n"      /* 4 */
    "        count += 1\n"          /* 5 */
    "        return count\n"        /* 6 */
    "    return inc\n"              /* 7 */
    "c = make()\n"                  /* 8 */
    "c()\n"                         /* 9 */
    "c()\n"                         /* 10 */
    "pass\n");                      /* 11 */
  g_autoptr(HsSnapshot) s11 = NULL;
  const HsObject *fn, *cell;

  assert_finished (t);
  s11 = hs_test_step_at_line (t, 11, 0);
  fn = hs_test_var (s11, NULL, "c");
  g_assert_cmpstr (fn->type, ==, "function");
  cell = hs_test_edge (s11, fn, HS_EDGE_CLOSURE, "count");
  g_assert_cmpstr (cell->type, ==, "cell");
  g_assert_cmpint (cell->refcount, ==, 1);
  g_assert_cmpstr (hs_test_edge (s11, cell, HS_EDGE_CONTENTS, NULL)->repr, ==, "2");
}

static void
test_mutable_default (HsTraceFixture *f,
                      gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "def add(item, bucket=[]):\n"   /* 1 */
    "    bucket.append(item)\n"     /* 2 */
    "    return bucket\n"           /* 3 */
    "a = add(1)\n"                  /* 4 */
    "b = add(2)\n"                  /* 5 */
    "pass\n");                      /* 6 */
  g_autoptr(HsSnapshot) s4 = NULL;
  g_autoptr(HsSnapshot) s2 = NULL;
  g_autoptr(HsSnapshot) s6 = NULL;
  const HsObject *fn, *bucket;
  guint32 bucket_ref;

  assert_finished (t);
  s4 = hs_test_step_at_line (t, 4, 0);
  fn = hs_test_var (s4, NULL, "add");
  bucket = hs_test_edge (s4, fn, HS_EDGE_DEFAULT, "bucket");
  bucket_ref = bucket->ref;
  g_assert_cmpstr (bucket->repr, ==, "[]");

  s2 = hs_test_step_at_line (t, 2, 1);
  g_assert_cmpuint (hs_test_var_ref (s2, "add", "bucket"), ==, bucket_ref);
  g_assert_cmpstr (hs_test_var (s2, "add", "bucket")->repr, ==, "[1]");

  s6 = hs_test_step_at_line (t, 6, 0);
  fn = hs_test_var (s6, NULL, "add");
  bucket = hs_test_edge (s6, fn, HS_EDGE_DEFAULT, "bucket");
  g_assert_cmpuint (bucket->ref, ==, bucket_ref);
  g_assert_cmpstr (bucket->repr, ==, "[1, 2]");
  g_assert_cmpuint (bucket->length, ==, 2);
  g_assert_cmpuint (hs_test_var_ref (s6, NULL, "a"), ==, bucket_ref);
  g_assert_cmpuint (hs_test_var_ref (s6, NULL, "b"), ==, bucket_ref);
  /* the defaults tuple, a and b */
  g_assert_cmpint (bucket->refcount, ==, 3);
}

static void
test_list_multiplied (HsTraceFixture *f,
                      gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "grid = [[0] * 3] * 3\n"                      /* 1 */
    "grid[0][0] = 1\n"                            /* 2 */
    "good = [[0] * 3 for _ in range(3)]\n"        /* 3 */
    "good[0][0] = 1\n"                            /* 4 */
    "pass\n");                                    /* 5 */
  g_autoptr(HsSnapshot) s = NULL;
  const HsObject *grid, *row, *good;

  assert_finished (t);
  s = hs_test_step_at_line (t, 5, 0);
  grid = hs_test_var (s, NULL, "grid");
  g_assert_cmpuint (grid->length, ==, 3);
  row = hs_test_edge (s, grid, HS_EDGE_ITEM, "0");
  g_assert_cmpuint (item_ref (s, grid, "1"), ==, row->ref);
  g_assert_cmpuint (item_ref (s, grid, "2"), ==, row->ref);
  g_assert_cmpstr (row->repr, ==, "[1, 0, 0]");
  g_assert_cmpint (row->refcount, ==, 3);

  good = hs_test_var (s, NULL, "good");
  g_assert_cmpuint (item_ref (s, good, "0"), !=, item_ref (s, good, "1"));
  g_assert_cmpuint (item_ref (s, good, "1"), !=, item_ref (s, good, "2"));
  g_assert_cmpstr (hs_test_edge (s, good, HS_EDGE_ITEM, "0")->repr, ==, "[1, 0, 0]");
  g_assert_cmpstr (hs_test_edge (s, good, HS_EDGE_ITEM, "1")->repr, ==, "[0, 0, 0]");
}

static void
test_memoryview_bytearray (HsTraceFixture *f,
                           gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys\n"                        /* 1 */
    "buf = bytearray(b'abc')\n"           /* 2 */
    "mv = memoryview(buf)\n"              /* 3 */
    "mv[0] = 65\n"                        /* 4 */
    "print(sys.getrefcount(buf))\n"       /* 5 */
    "mv.release()\n"                      /* 6 */
    "print(sys.getrefcount(buf))\n");     /* 7 */
  g_autoptr(HsSnapshot) s5 = NULL;
  g_autoptr(HsSnapshot) s7 = NULL;
  const HsObject *mv, *buf;

  assert_finished (t);
  s5 = hs_test_step_at_line (t, 5, 0);
  mv = hs_test_var (s5, NULL, "mv");
  buf = hs_test_var (s5, NULL, "buf");
  g_assert_cmpstr (mv->type, ==, "memoryview");
  /* through the managed buffer, as CPython holds it */
  g_assert_cmpuint (hs_test_edge (s5, hs_test_edge (s5, mv, HS_EDGE_BUFFER, NULL), HS_EDGE_EXPORTER, NULL)->ref,
                    ==, buf->ref);
  g_assert_cmpstr (buf->repr, ==, "bytearray(b'Abc')");
  g_assert_cmpint (buf->refcount, ==, stdout_int (t, 0) - 1);

  s7 = hs_test_step_at_line (t, 7, 0);
  buf = hs_test_var (s7, NULL, "buf");
  g_assert_cmpint (buf->refcount, ==, stdout_int (t, 1) - 1);
}

static void
test_comprehension (HsTraceFixture *f,
                    gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "rows = [[i, str(i)] for i in range(40)]\n"    /* 1 */
    "names = {str(i): i for i in range(10)}\n"     /* 2 */
    "print(len(rows), len(names))\n");             /* 3 */
  g_autoptr(HsSnapshot) s = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GBytes) bytes = NULL;

  assert_finished (t);
  bytes = hs_trace_dup_stdout (t);
  out = hs_test_bytes_to_string (bytes);
  g_assert_cmpstr (out, ==, "40 10\n");
  s = hs_test_step_at_line (t, 3, 0);
  g_assert_cmpuint (hs_test_var (s, NULL, "rows")->length, ==, 40);
  g_assert_cmpuint (hs_test_var (s, NULL, "names")->length, ==, 10);
}

/* Once the program drops __main__ from sys.modules, its globals die with
 * the module frame: the final step shows none of them, and reads nothing
 * that was freed. */
static void
test_main_module_deleted (HsTraceFixture *f,
                          gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys\n"                        /* 1 */
    "x = [1, 2]\n"                        /* 2 */
    "del sys.modules['__main__']\n"       /* 3 */
    "y = 3\n"                             /* 4 */
    "print(x)\n");                        /* 5 */
  g_autoptr(HsSnapshot) s5 = NULL;
  g_autoptr(HsSnapshot) last = NULL;
  const HsFrame *frames;
  guint n_frames;
  guint32 x;

  assert_finished (t);
  s5 = hs_test_step_at_line (t, 5, 0);
  x = hs_test_var_ref (s5, NULL, "x");
  last = hs_test_last_step (t);
  g_assert_cmpint (hs_snapshot_get_event (last), ==, HS_EVENT_END);
  frames = hs_snapshot_get_frames (last, &n_frames);
  for (guint i = 0; i < n_frames; i++)
    g_assert_cmpuint (frames[i].n_vars, ==, 0);
  g_assert_true (hs_test_was_freed (last, x, NULL));
}

/* Every C type met gets its deallocator watched, however many there are. */
static void
test_many_types (HsTraceFixture *f,
                 gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import builtins, itertools, collections, re, hashlib, io, array\n"
    "import decimal, datetime, functools, operator, struct, weakref\n"
    "vals = []\n"
    "for name in dir(builtins):\n"
    "    c = getattr(builtins, name)\n"
    "    if isinstance(c, type) and issubclass(c, BaseException):\n"
    "        try:\n"
    "            vals.append(c('m', [ValueError()]) if 'Group' in name else c())\n"
    "        except TypeError:\n"
    "            pass\n"
    "vals += [iter([]), iter(()), iter(''), iter({}), iter(set()), iter(range(1)),\n"
    "         iter(b''), iter(bytearray()), reversed([]), enumerate([]), zip(),\n"
    "         map(int, []), filter(None, []), iter({}.values()), iter({}.items()),\n"
    "         reversed(range(1)), reversed({}), iter(frozenset())]\n"
    "it = itertools\n"
    "vals += [it.count(), it.cycle([]), it.repeat(1), it.chain(), it.compress([], []),\n"
    "         it.dropwhile(None, []), it.takewhile(None, []), it.islice([], 1),\n"
    "         it.starmap(None, []), it.groupby([]), it.accumulate([]), it.pairwise([]),\n"
    "         it.zip_longest(), it.product(), it.permutations([]), it.combinations([], 1),\n"
    "         it.combinations_with_replacement([], 1), it.filterfalse(None, []),\n"
    "         it.tee([])[0]]\n"
    "co = collections\n"
    "vals += [co.deque(), co.defaultdict(), co.OrderedDict(), iter(co.deque()),\n"
    "         reversed(co.deque()), iter(co.OrderedDict()), co.OrderedDict().keys()]\n"
    "p = re.compile('a')\n"
    "vals += [p, p.match('a'), p.scanner('a'), p.finditer('a')]\n"
    "vals += [hashlib.md5(), hashlib.sha1(), hashlib.sha256(), hashlib.sha512(),\n"
    "         hashlib.blake2b(), hashlib.blake2s(), hashlib.sha3_256(), hashlib.shake_128()]\n"
    "vals += [io.StringIO(), io.BytesIO(), array.array('i'), iter(array.array('i')),\n"
    "         decimal.Decimal(1), decimal.Context(), datetime.date(2000, 1, 1),\n"
    "         datetime.time(), datetime.datetime(2000, 1, 1), datetime.timedelta(),\n"
    "         datetime.timezone.utc, functools.partial(int), operator.itemgetter(1),\n"
    "         operator.attrgetter('a'), operator.methodcaller('a'), struct.Struct('i'),\n"
    "         slice(1), memoryview(b''), property(), staticmethod(int), classmethod(int),\n"
    "         complex(1, 2), bytearray(), frozenset([1]), range(2), weakref.ref(p)]\n"
    "groups = [vals[i:i + 50] for i in range(0, len(vals), 50)]\n"
    "print(len(vals) > 140)\n");
  g_auto(GStrv) lines = NULL;

  assert_finished (t);
  lines = hs_test_stdout_lines (t);
  g_assert_cmpstr (lines[0], ==, "True");
}

/* A deep recursion: each step sends only the frames that changed (the
 * walk keeps those below the one that ran), so the history per step does
 * not grow with the depth; every frame still shows its own n. */
static void
test_recursion_deep (HsTraceFixture *f,
                     gconstpointer   data)
{
  HsTrace *t;
  guint n_steps;
  gsize history;
  g_autoptr(HsSnapshot) deepest = NULL;
  const HsFrame *frames;
  guint n_frames;

  f->options.max_objects = 5000;
  t = hs_trace_fixture_run (f,
    "import sys\n"                                   /* 1 */
    "sys.setrecursionlimit(10000)\n"                 /* 2 */
    "def down(n):\n"                                 /* 3 */
    "    if n == 0:\n"                               /* 4 */
    "        return 0\n"                             /* 5 */
    "    return down(n - 1) + 1\n"                   /* 6 */
    "print(down(2000))\n");                          /* 7 */
  assert_finished (t);
  n_steps = hs_trace_get_n_steps (t);
  history = hs_trace_get_history_bytes (t);
  /* 2,000 frames sent whole at each call and return: about 9 KB a step */
  g_test_message ("%u steps, %.1f history bytes per step", n_steps, (double) history / n_steps);
  g_assert_cmpfloat ((double) history / n_steps, <, 1000.0);

  deepest = hs_test_step_at_line (t, 5, 0);
  frames = hs_snapshot_get_frames (deepest, &n_frames);
  g_assert_cmpuint (n_frames, ==, 2002);
  for (guint i = 1; i < n_frames; i++)
    {
      const HsObject *n;

      g_assert_true (hs_test_function_is (&frames[i], "down"));
      g_assert_cmpuint (frames[i].n_vars, ==, 1);
      n = hs_snapshot_lookup (deepest, frames[i].vars[0].ref);
      g_assert_nonnull (n);
      if (n != NULL)
        {
          g_autofree char *want = g_strdup_printf ("%u", 2001 - i);

          g_assert_cmpstr (n->repr, ==, want);
        }
      g_assert_cmpuint (frames[i].line, ==, i + 1 == n_frames ? 5 : 6);
    }
}

/* A frame that is not running can still change: from 3.13 on,
 * frame.f_locals writes through to it (PEP 667).  The frame is below the
 * innermost one, where the walk keeps frames as they were; it must see
 * the new binding at once, at setter's return. */
static void
test_recursion_kept_frame_written (HsTraceFixture *f,
                                   gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import sys\n"                                   /* 1 */
    "def setter():\n"                                /* 2 */
    "    f = sys._getframe(1)\n"                     /* 3 */
    "    f.f_locals['v'] = [99]\n"                   /* 4 */
    "    del f\n"                                    /* 5 */
    "    return 0\n"                                 /* 6 */
    "def holder():\n"                                /* 7 */
    "    v = [1]\n"                                  /* 8 */
    "    w = setter()\n"                             /* 9 */
    "    return v\n"                                 /* 10 */
    "print(holder())\n");                            /* 11 */
  g_autoptr(HsSnapshot) ret = NULL;
  g_auto(GStrv) out = NULL;
  const char *version;
  gboolean writes_through;

  assert_finished (t);
  version = hs_trace_get_python_version (t);
  writes_through = g_str_has_prefix (version, "3.") && g_ascii_strtoull (version + 2, NULL, 10) >= 13;
  out = hs_test_stdout_lines (t);
  g_assert_cmpstr (out[0], ==, writes_through ? "[99]" : "[1]");
  ret = hs_test_step_at_line (t, 6, 0);
  g_assert_cmpstr (hs_test_var (ret, "holder", "v")->repr, ==, writes_through ? "[99]" : "[1]");
}

/* A frame's unbound names, joined with commas */
static char *
unbound_names (const HsFrame *frame)
{
  GString *names = g_string_new (NULL);

  g_assert (frame != NULL);

  for (guint i = 0; i < frame->n_unbound; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? "," : "", frame->unbound[i]);
  return g_string_free (names, FALSE);
}

#define ASSERT_UNBOUND(snap, function, expected) \
  G_STMT_START { \
    g_autofree char *names_ = unbound_names (hs_test_frame (snap, function)); \
    g_assert_cmpstr (names_, ==, expected); \
  } G_STMT_END

/* The names a frame's code owns but has no value for at a step are
 * recorded as unbound, from the code object's slots: a local not yet
 * assigned, or deleted; and a class body's names (its namespace is not
 * drawn).  A captured variable is a cell from the first line, empty until
 * assigned: a variable, not unbound.  An inlined comprehension's hidden
 * variable is not the class body's. */
static void
test_unbound_names (HsTraceFixture *f,
                    gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "def f():\n"                          /* 1 */
    "    print(1)\n"                      /* 2 */
    "    x = 2\n"                         /* 3 */
    "    y = 3\n"                         /* 4 */
    "    def g():\n"                      /* 5 */
    "        return y\n"                  /* 6 */
    "    del x\n"                         /* 7 */
    "    return g()\n"                    /* 8 */
    "class C:\n"                          /* 9 */
    "    a = 1\n"                         /* 10 */
    "    b = a\n"                         /* 11 */
    "f()\n"                               /* 12 */
    "x = 'global x'\n"                    /* 13 */
    "class D:\n"                          /* 14 */
    "    y = x\n"                         /* 15 */
    "    z = [x for x in range(2)]\n");   /* 16 */
  g_autoptr(HsSnapshot) s2 = NULL, s6 = NULL, s7 = NULL, s8 = NULL, s11 = NULL, s15 = NULL;
  const HsObject *y;

  assert_finished (t);

  s2 = hs_test_step_at_line (t, 2, 0);
  ASSERT_UNBOUND (s2, "f", "x,g");
  ASSERT_UNBOUND (s2, "<module>", "");
  y = hs_test_var (s2, "f", "y");
  g_assert_nonnull (y);
  g_assert_cmpstr (y != NULL ? y->type : NULL, ==, "cell");
  g_assert_cmpuint (y != NULL ? y->n_edges : 1, ==, 0);

  s6 = hs_test_step_at_line (t, 6, 0);
  ASSERT_UNBOUND (s6, "g", "");
  s7 = hs_test_step_at_line (t, 7, 0);
  ASSERT_UNBOUND (s7, "f", "");
  s8 = hs_test_step_at_line (t, 8, 0);
  ASSERT_UNBOUND (s8, "f", "x");

  s11 = hs_test_step_at_line (t, 11, 0);
  ASSERT_UNBOUND (s11, "C", "a");
  g_assert_cmpuint (hs_test_frame (s11, "C")->n_vars, ==, 0);

  /* From 3.12 on D's code has a hidden slot for the comprehension's x,
   * but y = x reads the global: the empty slot is not D's unbound name */
  s15 = hs_test_step_at_line (t, 15, 0);
  ASSERT_UNBOUND (s15, "D", "");
}

/* From 3.12 on (PEP 709) a comprehension in a function runs in the
 * function's frame: its variable gets a slot of the function (not marked
 * hidden, unlike in a class body), empty outside the comprehension, where
 * the name still means the global.  So that slot is not an unbound name
 * of the function, but a local of the function that a comprehension
 * reuses is; while the comprehension runs the slot holds its value, drawn
 * as the frame's variable (in a module, before the global it hides).  On
 * 3.11 the comprehension is a frame of its own and the same holds. */
static void
test_unbound_comprehension (HsTraceFixture *f,
                            gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "x = 'global x'\n"                               /* 1 */
    "def f():\n"                                     /* 2 */
    "    y = x\n"                                    /* 3 */
    "    z = [x for x in range(2)\n"                 /* 4 */
    "         if x >= 0]\n"                          /* 5 */
    "    return [[v for v in w] for w in [z]]\n"     /* 6 */
    "def g():\n"                                     /* 7 */
    "    print(1)\n"                                 /* 8 */
    "    z = [v for v in range(2)]\n"                /* 9 */
    "    v = 3\n"                                    /* 10 */
    "    return v\n"                                 /* 11 */
    "f()\n"                                          /* 12 */
    "g()\n"                                          /* 13 */
    "w = [x for x in range(2)\n"                     /* 14 */
    "     if x >= 0]\n");                            /* 15 */
  g_autoptr(HsSnapshot) s3 = NULL, s5 = NULL, s6 = NULL, s8 = NULL, s10 = NULL, s15 = NULL;
  const char *version;
  gboolean inlined;
  const HsObject *x;

  assert_finished (t);
  version = hs_trace_get_python_version (t);
  inlined = g_str_has_prefix (version, "3.") && g_ascii_strtoull (version + 2, NULL, 10) >= 12;

  s3 = hs_test_step_at_line (t, 3, 0);
  ASSERT_UNBOUND (s3, "f", "y,z");
  s6 = hs_test_step_at_line (t, 6, 0);
  ASSERT_UNBOUND (s6, "f", "");
  g_assert_cmpuint (hs_test_frame (s6, "f")->n_vars, ==, 2);   /* y and z */

  /* the comprehension's test, on a line of its own: x is its value */
  s5 = hs_test_step_at_line (t, 5, 0);
  x = hs_test_var (s5, inlined ? "f" : "<listcomp>", "x");
  g_assert_nonnull (x);
  g_assert_cmpstr (x != NULL ? x->repr : NULL, ==, "0");

  /* g's v is its own local, unbound before line 10 */
  s8 = hs_test_step_at_line (t, 8, 0);
  /* (3.12 on order g's slots v, z) */
  ASSERT_UNBOUND (s8, "g", inlined ? "v,z" : "z,v");
  s10 = hs_test_step_at_line (t, 10, 0);
  ASSERT_UNBOUND (s10, "g", "v");

  /* In the module the comprehension's x is a hidden slot of the module's
   * frame, listed before the global x it hides there */
  s15 = hs_test_step_at_line (t, 15, 0);
  x = hs_test_var (s15, inlined ? "<module>" : "<listcomp>", "x");
  g_assert_nonnull (x);
  g_assert_cmpstr (x != NULL ? x->repr : NULL, ==, "0");
}

/* When a name came to point at its object (HsVar.bound_at, which marks
 * a name rebound) is kept across a module-level comprehension: from 3.12
 * on, while it runs, the module's frame also lists the comprehension's x
 * before the global x it hides, so a frame names x twice.  The global x
 * was matched with the hidden one, and read as bound again by the line
 * after the comprehension (bound at step 5 instead of 2 on 3.12). */
static void
test_bound_across_comprehension (HsTraceFixture *f,
                                 gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "x = 'global x'\n"                /* 1 */
    "y = 1\n"                         /* 2 */
    "w = [x for x in range(2)\n"      /* 3 */
    "     if x >= 0]\n"               /* 4 */
    "z = 2\n"                         /* 5 */
    "z = 3\n");                       /* 6 */
  g_autoptr(HsSnapshot) s2 = NULL, s4 = NULL, s6 = NULL;
  guint x_bound_at = HS_VAR_BOUND_WITH_FRAME, n_x = 0;

  assert_finished (t);
  s2 = hs_test_step_at_line (t, 2, 0);
  s4 = hs_test_step_at_line (t, 4, 0);
  s6 = hs_test_step_at_line (t, 6, 0);
  for (guint k = 0; k < 3; k++)
    {
      HsSnapshot *snap = k == 0 ? s2 : k == 1 ? s4 : s6;
      const HsFrame *module = hs_test_frame (snap, "<module>");

      for (guint i = 0; i < module->n_vars; i++)
        if (g_str_equal (module->vars[i].name, "x"))
          {
            const HsObject *o = hs_snapshot_lookup (snap, module->vars[i].ref);

            n_x += k == 1;
            /* the global x, whatever else is named x */
            if (o == NULL || g_strcmp0 (o->repr, "'global x'") != 0)
              continue;
            if (k == 0)
              x_bound_at = module->vars[i].bound_at;
            g_test_message ("step %u (line %u): the global x was bound at step %u",
                            hs_snapshot_get_index (snap), hs_snapshot_get_line (snap), module->vars[i].bound_at);
            g_assert_cmpuint (module->vars[i].bound_at, ==, x_bound_at);
          }
    }
  g_test_message ("x named %u times in the module's frame inside the comprehension", n_x);
  g_assert_cmpuint (x_bound_at, <=, hs_snapshot_get_index (s2));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names of a frame's variables, sorted, as Python prints a sorted
 * list of str: ['a', 'b'] */
static char *
frame_names_repr (const HsFrame *frame)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *text = g_string_new ("[");

  for (guint i = 0; i < frame->n_vars; i++)
    g_ptr_array_add (names, (gpointer) frame->vars[i].name);
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (text, "%s'%s'", i > 0 ? ", " : "", (const char *) names->pdata[i]);
  g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

/* Python's own truth for the variables a step records: the program
 * prints "locals" and sorted(locals()) where it is to be checked, on a
 * line that binds no name before locals() runs.  A step's output is what
 * was printed since the step before (docs/trace-format.md), so each such
 * print is compared with the names the step before it records, in the
 * innermost frame (on 3.11 a comprehension's own).  Returns the steps
 * compared, in order (unref each). */
static GPtrArray *
assert_vars_as_printed (HsTrace *trace)
{
  g_auto(GStrv) all = hs_test_stdout_lines (trace);
  GPtrArray *steps = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_snapshot_unref);
  guint n_steps = hs_trace_get_n_steps (trace);
  guint n_printed = 0;

  for (guint i = 0; all[i] != NULL; i++)
    n_printed += g_str_has_prefix (all[i], "locals ");
  for (guint i = 1; i < n_steps; i++)
    {
      g_autoptr(GBytes) out = NULL, err = NULL;
      g_autoptr(HsSnapshot) snap = NULL;
      g_autofree char *text = NULL, *names = NULL, *expected = NULL;

      hs_trace_get_step_output (trace, i, &out, &err);
      text = out != NULL ? hs_test_bytes_to_string (out) : g_strdup ("");
      if (!g_str_has_prefix (text, "locals "))
        continue;
      snap = hs_trace_get_snapshot (trace, i - 1);
      names = frame_names_repr (hs_test_frame (snap, NULL));
      expected = g_strdup_printf ("locals %s\n", names);
      g_test_message ("step %u, line %u: python3 printed %s", i - 1, hs_snapshot_get_line (snap), text);
      g_assert_cmpstr (text, ==, expected);
      g_ptr_array_add (steps, g_steal_pointer (&snap));
    }
  g_assert_cmpuint (steps->len, ==, n_printed);
  return steps;
}

/* A comprehension whose variable a closure captures: from 3.12 on, inlined
 * in the function (PEP 709), its variable is a cell slot of the function
 * (co_cellvars names it), which the code's first instruction fills with an
 * empty cell; the comprehension saves that cell, makes its own, and puts
 * the empty one back.  Outside the comprehension the name is not the
 * function's (line 8 reads the global), so the empty cell is not drawn as
 * the function's variable, nor is the name unbound. */
static void
test_comprehension_closure (HsTraceFixture *f,
                            gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "x = 'global x'\n"                                           /* 1 */
    "def f():\n"                                                 /* 2 */
    "    print('locals', sorted(locals()))\n"                    /* 3 */
    "    fs = [lambda: x\n"                                      /* 4 */
    "          for x in range(3)\n"                              /* 5 */
    "          if print('locals', sorted(locals())) is None]\n"  /* 6 */
    "    print('locals', sorted(locals()))\n"                    /* 7 */
    "    return fs, x\n"                                         /* 8 */
    "fs, y = f()\n"                                              /* 9 */
    "print([g() for g in fs], y)\n");                            /* 10 */
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *out = NULL;

  assert_finished (t);
  out = hs_test_stdout_text (t);
  g_assert_true (g_str_has_suffix (out, "\n[2, 2, 2] global x\n"));
  steps = assert_vars_as_printed (t);
  g_assert_cmpuint (steps->len, ==, 5);
  if (steps->len != 5)
    return;
  ASSERT_UNBOUND (steps->pdata[0], "f", "fs");
  ASSERT_UNBOUND (steps->pdata[4], "f", "");
}

/* The same comprehension in a module and in a class body: its variable is
 * a hidden cell slot of their frames, holding an empty cell outside the
 * comprehension.  The module was drawn with a second x bound to that
 * empty cell, even on line 1 before the global x existed, and the class
 * with a variable z.  The module's truth is its globals, printed. */
static void
test_comprehension_closure_module (HsTraceFixture *f,
                                   gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "print('locals', sorted(filter(str.isalpha, globals())))\n"     /* 1 */
    "x = 'global x'\n"                                              /* 2 */
    "fs = [lambda: x for x in range(2)]\n"                          /* 3 */
    "print('locals', sorted(filter(str.isalpha, globals())))\n"     /* 4 */
    "class C:\n"                                                    /* 5 */
    "    gs = [lambda: z for z in range(2)]\n"                      /* 6 */
    "    w = 1\n"                                                   /* 7 */
    "print([f() for f in fs], [g() for g in C.gs])\n");             /* 8 */
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(HsSnapshot) s7 = NULL;
  g_autofree char *out = NULL;

  assert_finished (t);
  out = hs_test_stdout_text (t);
  g_assert_true (g_str_has_suffix (out, "\n[1, 1] [1, 1]\n"));
  steps = assert_vars_as_printed (t);
  g_assert_cmpuint (steps->len, ==, 2);
  s7 = hs_test_step_at_line (t, 7, 0);
  g_assert_cmpuint (hs_test_frame (s7, "C")->n_vars, ==, 0);
  ASSERT_UNBOUND (s7, "C", "gs");
}

/* An async comprehension in a coroutine is inlined too (3.12 on), with
 * no FOR_ITER: its loop is GET_ANEXT and END_ASYNC_FOR, and its restore
 * when an exception leaves it comes before the normal restore.  Its
 * variable is not the coroutine's, captured by a closure or not. */
static void
test_async_comprehension (HsTraceFixture *f,
                          gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "import asyncio\n"                                           /* 1 */
    "async def agen():\n"                                        /* 2 */
    "    for i in range(2):\n"                                   /* 3 */
    "        yield i\n"                                          /* 4 */
    "async def f():\n"                                           /* 5 */
    "    print('locals', sorted(locals()))\n"                    /* 6 */
    "    xs = [x async for x in agen()\n"                        /* 7 */
    "          if print('locals', sorted(locals())) is None]\n"  /* 8 */
    "    ys = [lambda: y async for y in agen()\n"                /* 9 */
    "          if print('locals', sorted(locals())) is None]\n"  /* 10 */
    "    print('locals', sorted(locals()))\n"                    /* 11 */
    "    return xs, ys\n"                                        /* 12 */
    "xs, ys = asyncio.run(f())\n"                                /* 13 */
    "print(xs, [g() for g in ys])\n");                           /* 14 */
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *out = NULL;

  assert_finished (t);
  out = hs_test_stdout_text (t);
  g_assert_true (g_str_has_suffix (out, "\n[0, 1] [1, 1]\n"));
  steps = assert_vars_as_printed (t);
  g_assert_cmpuint (steps->len, ==, 6);
  if (steps->len != 6)
    return;
  ASSERT_UNBOUND (steps->pdata[0], "f", "xs,ys");
  ASSERT_UNBOUND (steps->pdata[5], "f", "");
}

/* A generator, a coroutine and an async generator are named as Python's
 * repr names them, without the address: their name ties each to the
 * frame its code runs in.  A name set since (__qualname__) is read. */
static void
test_generator_named (HsTraceFixture *f,
                      gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "def countdown(n):\n"                                   /* 1 */
    "    yield n\n"                                         /* 2 */
    "async def job():\n"                                    /* 3 */
    "    pass\n"                                            /* 4 */
    "async def ticks():\n"                                  /* 5 */
    "    yield 1\n"                                         /* 6 */
    "g = countdown(2)\n"                                    /* 7 */
    "c = job()\n"                                           /* 8 */
    "a = ticks()\n"                                         /* 9 */
    "r = countdown(3)\n"                                    /* 10 */
    "r.__qualname__ = 'renamed'\n"                          /* 11 */
    "for x in (g, c, a, r):\n"                              /* 12 */
    "    print(repr(x).rsplit(' at 0x', 1)[0] + '>')\n"     /* 13 */
    "c.close()\n");                                         /* 14 */
  static const char *names[] = { "g", "c", "a", "r" };
  g_auto(GStrv) lines = NULL;
  g_autoptr(HsSnapshot) s = NULL;

  assert_finished (t);
  lines = hs_test_stdout_lines (t);
  /* and the empty string after the last newline */
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (names) + 1);
  g_assert_cmpstr (lines[0], ==, "<generator object countdown>");
  g_assert_cmpstr (lines[3], ==, "<generator object renamed>");
  /* before the loop, whose iterator holds them: r's name changed with
   * no reference of its own */
  s = hs_test_step_at_line (t, 12, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (hs_test_var (s, NULL, names[i])->repr, ==, lines[i]);
}

/* A store before RERAISE is not always a comprehension's restore: a
 * `finally` block is compiled once for the way out of an exception,
 * ending in RERAISE after its last statement, and once for the normal
 * path, which here is dead code (the try body always raises) and so
 * removed.  x is then the function's own local, only ever stored by that
 * block, which a comprehension reuses (3.12 on): unbound until line 7,
 * not a comprehension's slot (reading x on line 4 would raise
 * UnboundLocalError, not read a global). */
static void
test_unbound_finally (HsTraceFixture *f,
                      gconstpointer   data)
{
  HsTrace *t = hs_trace_fixture_run (f,
    "def f():\n"                           /* 1 */
    "    ys = [x for x in range(2)]\n"     /* 2 */
    "    try:\n"                           /* 3 */
    "        print(1)\n"                   /* 4 */
    "        raise ValueError\n"           /* 5 */
    "    finally:\n"                       /* 6 */
    "        x = 2\n"                      /* 7 */
    "try:\n"                               /* 8 */
    "    f()\n"                            /* 9 */
    "except ValueError:\n"                 /* 10 */
    "    pass\n");                         /* 11 */
  g_autoptr(HsSnapshot) s4 = NULL, s7 = NULL;

  assert_finished (t);
  s4 = hs_test_step_at_line (t, 4, 0);
  ASSERT_UNBOUND (s4, "f", "x");
  s7 = hs_test_step_at_line (t, 7, 0);
  ASSERT_UNBOUND (s7, "f", "x");
}

/* builtins.sum () frees each float it adds without its tp_dealloc
 * (_Py_DECREF_SPECIALIZED (item, _PyFloat_ExactDealloc)), onto the float
 * free list.  The float a generator expression yielded had been shown, and
 * its dead entry was read at the next step through an ob_type that was
 * now the free list's link: the worker crashed with SIGSEGV, in 3.11, 3.12
 * and 3.13.  Now it is reported freed. */
static void
test_sum_frees_floats (HsTraceFixture *f,
                       gconstpointer   data)
{
  static const char *const versions[] = { "3.11", "3.12", "3.13" };

  for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
    {
      HsTrace *t = hs_trace_fixture_run_with_python (f, versions[v],
                                                     "def total(xs):\n"
                                                     "    return sum(x + 3001.0 for x in xs)\n"
                                                     "k = 3001.0\n"
                                                     "t = total([1, 2])\n"
                                                     "print(t)\n");
      g_auto(GStrv) lines = NULL;
      gboolean seen_freed = FALSE;

      if (t == NULL)
        continue;
      g_test_message ("Python %s", versions[v]);
      hs_test_assert_finished (t);
      lines = hs_test_stdout_lines (t);
      g_assert_cmpstr (lines[0], ==, "6005.0");
      /* each float the generator yields is shown at its yield, then freed */
      for (guint i = 0; i < hs_trace_get_n_steps (t); i++)
        {
          g_autoptr(HsSnapshot) s = hs_trace_get_snapshot (t, i);
          guint32 yielded = hs_snapshot_get_return_ref (s);
          const HsObject *o = yielded != 0 ? hs_snapshot_lookup (s, yielded) : NULL;

          if (o != NULL && g_str_equal (o->type, "float") && g_str_equal (o->repr, "3002.0"))
            seen_freed |= hs_test_first_freed_step (t, yielded, NULL) > (gint64) i;
        }
      g_assert_true (seen_freed);
    }
}

/* A function or a class says which module defines it, as its
 * __module__ would, read without running the program's code: a metaclass
 * that prints every attribute read prints what it does under python3,
 * and no more. */
static void
test_defining_module (HsTraceFixture *f,
                      gconstpointer   data)
{
  g_autofree char *helper = hs_trace_fixture_write (f, "shapes.py",
    "class Square:\n"
    "    pass\n"
    "def area(s):\n"
    "    return 0\n");
  HsTrace *t = hs_trace_fixture_run (f,
    "import collections, functools\n"
    "from shapes import Square, area\n"
    "class Meta(type):\n"
    "    def __getattribute__(cls, name):\n"
    "        print('read', name)\n"
    "        return type.__getattribute__(cls, name)\n"
    "class Loud(metaclass=Meta):\n"
    "    pass\n"
    "class Moved:\n"
    "    __module__ = 'elsewhere'\n"
    "def mine():\n"
    "    pass\n"
    "cache = functools.lru_cache(maxsize=None)\n"
    "ordered = collections.OrderedDict\n"
    "number = int\n"
    "items = [1]\n"
    "x = 0\n");
  g_autoptr(HsSnapshot) s = hs_test_step_at_line (t, 17, 0);
  g_autoptr(GBytes) py_out = NULL;
  g_autoptr(GBytes) py_err = NULL;
  g_autoptr(GBytes) out = hs_trace_dup_stdout (t);
  const struct { const char *name; const char *module; } expected[] = {
    { "Square", "shapes" }, { "area", "shapes" }, { "Loud", "__main__" }, { "Moved", "elsewhere" },
    { "mine", "__main__" }, { "cache", "functools" }, { "ordered", "collections" }, { "number", "builtins" },
    { "items", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (hs_test_var (s, NULL, expected[i].name)->module, ==, expected[i].module);
  hs_test_run_python (f->path, NULL, &py_out, &py_err);
  g_assert_true (hs_test_bytes_equal_verbose ("stdout", py_out, out));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  ADD ("/runtime/alias/rebinding", test_alias_rebinding);
  ADD ("/runtime/float/sum-frees-unseen", test_sum_frees_floats);
  ADD ("/runtime/recursion/deep", test_recursion_deep);
  ADD ("/runtime/recursion/kept-frame-written", test_recursion_kept_frame_written);
  ADD ("/runtime/identity/is-vs-eq", test_identity_is_vs_eq);
  ADD ("/runtime/small-int/cache", test_small_int_cache);
  ADD ("/runtime/str/interning", test_string_interning);
  ADD ("/runtime/refcount/module", test_refcount_module);
  ADD ("/runtime/refcount/function-locals", test_refcount_function_locals);
  ADD ("/runtime/refcount/loop", test_refcount_loop);
  ADD ("/runtime/refcount/list-elements", test_refcount_list_elements);
  ADD ("/runtime/free/refcount-zero", test_free_refcount_zero);
  ADD ("/runtime/gc/cycle", test_gc_cycle);
  ADD ("/runtime/copy/shallow", test_copy_shallow);
  ADD ("/runtime/copy/deep-shared", test_copy_deep_shared);
  ADD ("/runtime/copy/cyclic", test_copy_cyclic);
  ADD ("/runtime/tuple/holding-lists", test_tuple_holding_lists);
  ADD ("/runtime/scope/global-local-nonlocal", test_scope_nonlocal);
  ADD ("/runtime/scope/closure-outlives-frame", test_scope_closure_outlives_frame);
  ADD ("/runtime/default/mutable", test_mutable_default);
  ADD ("/runtime/list/multiplied", test_list_multiplied);
  ADD ("/runtime/memoryview/bytearray", test_memoryview_bytearray);
  ADD ("/runtime/comprehension/list-dict", test_comprehension);
  ADD ("/runtime/module/main-deleted", test_main_module_deleted);
  ADD ("/runtime/types/many", test_many_types);
  ADD ("/runtime/generator/named", test_generator_named);
  ADD ("/runtime/gc/generation-while-collecting", test_gc_generation_while_collecting);
  ADD ("/runtime/frames/unbound-names", test_unbound_names);
  ADD ("/runtime/frames/unbound-comprehension", test_unbound_comprehension);
  ADD ("/runtime/frames/bound-across-comprehension", test_bound_across_comprehension);
  ADD ("/runtime/frames/comprehension-closure", test_comprehension_closure);
  ADD ("/runtime/frames/comprehension-closure-module", test_comprehension_closure_module);
  ADD ("/runtime/frames/async-comprehension", test_async_comprehension);
  ADD ("/runtime/frames/unbound-finally", test_unbound_finally);
  ADD ("/runtime/objects/defining-module", test_defining_module);

  return g_test_run ();
}
