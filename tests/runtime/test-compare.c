/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The comparison of two traces (hs-trace-compare.c): the alignment of
 * their steps on hand-made keys, then real runs, of two programs under
 * the default worker and of one program under two interpreters.  The
 * latter skip when the build found no 3.12 or 3.13.
 */
#include "config.h"

#include <string.h>

#include "hs-test-trace.h"
#include "hs-trace-compare.h"

#define NONE HS_TRACE_COMPARE_NONE

static void
assert_pair (GArray *pairs,
             guint   index,
             guint   left,
             guint   right)
{
  HsStepPair *pair;

  g_assert_cmpuint (index, <, pairs->len);
  pair = &g_array_index (pairs, HsStepPair, index);
  g_assert_cmpuint (pair->left, ==, left);
  g_assert_cmpuint (pair->right, ==, right);
}

static void
keys_from_lines (const guint *lines,
                 guint        n,
                 HsStepKey   *keys)
{
  for (guint i = 0; i < n; i++)
    keys[i] = (HsStepKey) { HS_EVENT_LINE, lines[i], 1 };
}

static void
test_align_equal (void)
{
  const guint lines[] = { 1, 2, 3, 2, 3, 4 };
  HsStepKey keys[G_N_ELEMENTS (lines)];
  g_autoptr(GArray) pairs = NULL;

  keys_from_lines (lines, G_N_ELEMENTS (lines), keys);
  pairs = hs_trace_align_steps (keys, G_N_ELEMENTS (keys), keys, G_N_ELEMENTS (keys));
  g_assert_cmpuint (pairs->len, ==, G_N_ELEMENTS (lines));
  for (guint i = 0; i < pairs->len; i++)
    assert_pair (pairs, i, i, i);
}

/* A loop that runs once more on the left: the extra lines stand alone and
 * the runs meet again after them. */
static void
test_align_extra_iteration (void)
{
  const guint left_lines[] = { 1, 2, 3, 2, 3, 2, 3, 4, 5 };
  const guint right_lines[] = { 1, 2, 3, 2, 3, 4, 5 };
  HsStepKey left[G_N_ELEMENTS (left_lines)];
  HsStepKey right[G_N_ELEMENTS (right_lines)];
  g_autoptr(GArray) pairs = NULL;

  keys_from_lines (left_lines, G_N_ELEMENTS (left_lines), left);
  keys_from_lines (right_lines, G_N_ELEMENTS (right_lines), right);
  pairs = hs_trace_align_steps (left, G_N_ELEMENTS (left), right, G_N_ELEMENTS (right));

  g_assert_cmpuint (pairs->len, ==, 9);
  for (guint i = 0; i < 5; i++)
    assert_pair (pairs, i, i, i);
  assert_pair (pairs, 5, 5, NONE);
  assert_pair (pairs, 6, 6, NONE);
  assert_pair (pairs, 7, 7, 5);
  assert_pair (pairs, 8, 8, 6);
}

/* The same line at another depth or for another event is another step. */
static void
test_align_depth_and_tail (void)
{
  HsStepKey left[] = {
    { HS_EVENT_LINE, 1, 1 }, { HS_EVENT_CALL, 1, 2 }, { HS_EVENT_LINE, 2, 2 },
  };
  HsStepKey right[] = {
    { HS_EVENT_LINE, 1, 1 }, { HS_EVENT_LINE, 2, 1 }, { HS_EVENT_LINE, 3, 1 },
  };
  g_autoptr(GArray) pairs = hs_trace_align_steps (left, 3, right, 3);

  assert_pair (pairs, 0, 0, 0);
  g_assert_cmpuint (pairs->len, ==, 5);
  /* nothing else meets: every other step stands alone, left first */
  assert_pair (pairs, 1, 1, NONE);
  assert_pair (pairs, 2, NONE, 1);
  assert_pair (pairs, 3, 2, NONE);
  assert_pair (pairs, 4, NONE, 2);
}

static HsTrace *
run_program (HsTraceFixture *f,
             const char     *source)
{
  return g_object_ref (hs_trace_fixture_run (f, source));
}

static guint
count_diffs (HsTraceComparison *comparison)
{
  guint n = 0;

  for (guint i = 0; i < hs_trace_comparison_get_n_pairs (comparison); i++)
    n += hs_trace_comparison_get_diffs (comparison, i)->len;
  return n;
}

static const HsTraceDiff *
find_diff (GPtrArray       *diffs,
           HsTraceDiffKind  kind,
           const char      *subject)
{
  for (guint i = 0; i < diffs->len; i++)
    {
      const HsTraceDiff *diff = g_ptr_array_index (diffs, i);

      if (diff->kind == kind && g_strcmp0 (diff->subject, subject) == 0)
        return diff;
    }
  return NULL;
}

/* The pair whose left step is the nth step at line. */
static guint
pair_at_line (HsTraceComparison *comparison,
              guint              line)
{
  g_autoptr(HsSnapshot) snapshot = hs_test_step_at_line (hs_trace_comparison_get_left (comparison), line, 0);

  for (guint i = 0; i < hs_trace_comparison_get_n_pairs (comparison); i++)
    if (hs_trace_comparison_get_pair (comparison, i).left == hs_snapshot_get_index (snapshot))
      return i;
  g_assert_not_reached ();
}

static const char same_program[] =
  "import sys\n"
  "a = [1, 2.5, 'x']\n"
  "b = a\n"
  "def f(n):\n"
  "    t = (n, n)\n"
  "    return t\n"
  "c = f(300)\n"
  "del b\n"
  "print(sys.getrefcount(a))\n";

/* One program run twice by one interpreter: every step pairs with itself
 * and nothing differs, although no two runs share their id()s. */
static void
test_same_program (HsTraceFixture *f,
                   gconstpointer   data)
{
  g_autoptr(HsTrace) left = run_program (f, same_program);
  g_autoptr(HsTrace) right = run_program (f, same_program);
  g_autoptr(HsTraceComparison) comparison = hs_trace_comparison_new (left, right);

  g_assert_cmpuint (hs_trace_comparison_get_n_pairs (comparison), ==, hs_trace_get_n_steps (left));
  for (guint i = 0; i < hs_trace_comparison_get_n_pairs (comparison); i++)
    {
      HsStepPair pair = hs_trace_comparison_get_pair (comparison, i);

      g_assert_cmpuint (pair.left, ==, i);
      g_assert_cmpuint (pair.right, ==, i);
    }
  g_assert_cmpuint (count_diffs (comparison), ==, 0);
  g_assert_cmpuint (hs_trace_comparison_find_diff (comparison, 0, FALSE), ==, NONE);
}

/* Two programs that differ in one line: an alias against a copy. */
static void
test_alias_against_copy (HsTraceFixture *f,
                         gconstpointer   data)
{
  g_autoptr(HsTrace) left = run_program (f, "a = [1]\nb = a\nprint(a is b)\ndel a\nb = 0\n");
  g_autoptr(HsTrace) right = run_program (f, "a = [1]\nb = [1]\nprint(a is b)\ndel a\nb = 0\n");
  g_autoptr(HsTraceComparison) comparison = hs_trace_comparison_new (left, right);
  GPtrArray *diffs;
  const HsTraceDiff *diff;
  guint first;

  /* before line 2 runs, nothing differs */
  g_assert_cmpuint (hs_trace_comparison_get_diffs (comparison, pair_at_line (comparison, 2))->len, ==, 0);

  diffs = hs_trace_comparison_get_diffs (comparison, pair_at_line (comparison, 3));
  diff = find_diff (diffs, HS_TRACE_DIFF_IDENTITY, "a is b");
  g_assert_nonnull (diff);
  g_assert_cmpstr (diff->left, ==, "True");
  g_assert_cmpstr (diff->right, ==, "False");
  diff = find_diff (diffs, HS_TRACE_DIFF_REFCOUNT, "a");
  g_assert_nonnull (diff);
  g_assert_cmpstr (diff->left, ==, "refcount 2");
  g_assert_cmpstr (diff->right, ==, "refcount 1");
  g_assert_cmpuint (diff->left_ref, !=, 0);
  g_assert_null (find_diff (diffs, HS_TRACE_DIFF_VALUE, "a"));

  first = hs_trace_comparison_find_diff (comparison, 0, FALSE);
  g_assert_cmpuint (first, ==, pair_at_line (comparison, 3));
  g_assert_cmpuint (hs_trace_comparison_find_diff (comparison, first, TRUE), ==, NONE);

  /* the print's step shows what each printed */
  diffs = hs_trace_comparison_get_diffs (comparison, pair_at_line (comparison, 4));
  diff = find_diff (diffs, HS_TRACE_DIFF_OUTPUT, "stdout");
  g_assert_nonnull (diff);
  g_assert_cmpstr (diff->left, ==, "True");
  g_assert_cmpstr (diff->right, ==, "False");

  /* del a frees the right's first list only; b = 0 frees the other */
  diffs = hs_trace_comparison_get_diffs (comparison, pair_at_line (comparison, 5));
  diff = find_diff (diffs, HS_TRACE_DIFF_FREED, "list [1]");
  g_assert_nonnull (diff);
  g_assert_cmpstr (diff->left, ==, "not freed");
  g_assert_cmpstr (diff->right, ==, "freed");
}

/* A step only one run has, and a name bound in one run only. */
static void
test_one_sided (HsTraceFixture *f,
                gconstpointer   data)
{
  g_autoptr(HsTrace) left = run_program (f, "x = 1\nif x:\n    y = 2\nz = 3\n");
  g_autoptr(HsTrace) right = run_program (f, "x = 0\nif x:\n    y = 2\nz = 3\n");
  g_autoptr(HsTraceComparison) comparison = hs_trace_comparison_new (left, right);
  gboolean seen_step = FALSE, seen_missing = FALSE, seen_value = FALSE;

  for (guint i = 0; i < hs_trace_comparison_get_n_pairs (comparison); i++)
    {
      GPtrArray *diffs = hs_trace_comparison_get_diffs (comparison, i);
      HsStepPair pair = hs_trace_comparison_get_pair (comparison, i);

      if (pair.right == NONE)
        {
          const HsTraceDiff *diff = find_diff (diffs, HS_TRACE_DIFF_STEP, "this step");

          g_assert_nonnull (diff);
          g_assert_cmpstr (diff->left, ==, "line 3 (line)");
          seen_step = TRUE;
        }
      seen_missing |= find_diff (diffs, HS_TRACE_DIFF_MISSING, "y") != NULL;
      seen_value |= find_diff (diffs, HS_TRACE_DIFF_VALUE, "x") != NULL;
    }
  g_assert_true (seen_step);
  g_assert_true (seen_missing);
  g_assert_true (seen_value);
}

static const char versions_program[] =
  "import sys\n"
  "x = 1\n"
  "s = sys.intern(''.join(['ab', 'cd' * 5]))\n"
  "n = 10 ** 6\n"
  "print(sys.getrefcount(1))\n"
  "del x\n";

/* 3.11 against 3.12 or 3.13 on one program: PEP 683's fixed count of the
 * small int, and interning that makes a string immortal in 3.12 only. */
static void
test_versions (HsTraceFixture *f,
               gconstpointer   data)
{
  const char *version = data;
  g_autoptr(HsTrace) left = NULL;
  g_autoptr(HsTrace) right = NULL;
  g_autoptr(HsTraceComparison) comparison = NULL;
  GPtrArray *diffs;
  const HsTraceDiff *diff;

  /* both found before either runs */
  if (!hs_test_require_python ("3.11") || !hs_test_require_python (version))
    return;

  left = g_object_ref (hs_trace_fixture_run_with_python (f, "3.11", versions_program));
  right = g_object_ref (hs_trace_fixture_run_with_python (f, version, versions_program));
  g_assert_cmpstr (hs_trace_get_status (right), ==, "finished");

  comparison = hs_trace_comparison_new (left, right);
  /* the same lines run in both */
  for (guint i = 0; i < hs_trace_comparison_get_n_pairs (comparison); i++)
    {
      HsStepPair pair = hs_trace_comparison_get_pair (comparison, i);

      g_assert_cmpuint (pair.left, !=, NONE);
      g_assert_cmpuint (pair.right, !=, NONE);
    }

  diffs = hs_trace_comparison_get_diffs (comparison, pair_at_line (comparison, 6));
  /* 1 is static with a moving count in 3.11, fixed in 3.12 and later */
  diff = find_diff (diffs, HS_TRACE_DIFF_REFCOUNT, "x");
  g_assert_nonnull (diff);
  g_assert_true (g_str_has_prefix (diff->left, "static (refcount 1,000,"));
  g_assert_cmpstr (diff->right, ==, "immortal (refcount 4,294,967,295)");
  diff = find_diff (diffs, HS_TRACE_DIFF_OUTPUT, "stdout");
  g_assert_nonnull (diff);
  g_assert_cmpstr (diff->right, ==, "4294967295");

  diff = find_diff (diffs, HS_TRACE_DIFF_IMMORTAL, "s");
  if (g_str_equal (version, "3.12"))
    {
      g_assert_nonnull (diff);
      g_assert_true (g_str_has_prefix (diff->left, "refcount "));
      g_assert_cmpstr (diff->right, ==, "immortal (refcount 4,294,967,295)");
    }
  else
    /* 3.13 made strings interned at run time mortal again */
    g_assert_null (diff);

  /* a large int is an ordinary object everywhere */
  g_assert_null (find_diff (diffs, HS_TRACE_DIFF_IMMORTAL, "n"));
  g_assert_null (find_diff (diffs, HS_TRACE_DIFF_REFCOUNT, "n"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/compare/align/equal", test_align_equal);
  g_test_add_func ("/compare/align/extra-iteration", test_align_extra_iteration);
  g_test_add_func ("/compare/align/depth-and-tail", test_align_depth_and_tail);
  g_test_add ("/compare/same-program", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_same_program, hs_trace_fixture_teardown);
  g_test_add ("/compare/alias-against-copy", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_alias_against_copy, hs_trace_fixture_teardown);
  g_test_add ("/compare/one-sided", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_one_sided, hs_trace_fixture_teardown);
  g_test_add ("/compare/versions/3.12", HsTraceFixture, "3.12",
              hs_trace_fixture_setup, test_versions, hs_trace_fixture_teardown);
  g_test_add ("/compare/versions/3.13", HsTraceFixture, "3.13",
              hs_trace_fixture_setup, test_versions, hs_trace_fixture_teardown);

  return g_test_run ();
}
