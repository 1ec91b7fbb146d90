/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * hs_playback_find() searches from the step shown, in either direction,
 * starting from the trace's nearest checkpoint: on a trace several
 * checkpoints and backward windows long, every search from many steps
 * agrees with an oracle made from the steps' snapshots.
 */
#define G_LOG_DOMAIN "heapscope-test-playback-search"

#include "config.h"

#include <glib.h>

#include "hs-playback.h"
#include "hs-test-trace.h"

/* About 2,000 steps: a, watched, changes at lines 6 and 7 and is freed
 * at line 8; line 4 is a breakpoint until the loop ends. */
static const char program[] =
  "a = [0]\n"
  "b = []\n"
  "for i in range(500):\n"
  "    b.append(i)\n"
  "    if i % 151 == 0:\n"
  "        a.append(i)\n"
  "a.append(-1)\n"
  "a = None\n"
  "x = 1\n";

static gboolean
same_record (const HsObject *x,
             const HsObject *y)
{
  if (g_strcmp0 (x->repr, y->repr) != 0 || x->n_edges != y->n_edges || x->length != y->length)
    return FALSE;
  for (guint i = 0; i < x->n_edges; i++)
    if (x->edges[i].kind != y->edges[i].kind || x->edges[i].target != y->edges[i].target ||
        g_strcmp0 (x->edges[i].label, y->edges[i].label) != 0)
      return FALSE;
  return TRUE;
}

/* Every step that stops a search, read from whole snapshots. */
static GArray *
oracle (HsTrace *trace,
        guint    breakpoint,
        guint32  watch_ref,
        guint   *n_mutated,
        guint   *n_freed)
{
  GArray *stops = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(HsSnapshot) before = NULL;

  *n_mutated = *n_freed = 0;
  for (guint i = 0; i < hs_trace_get_n_steps (trace); i++)
    {
      g_autoptr(HsSnapshot) now = hs_trace_get_snapshot (trace, i);
      const HsObject *x = before ? hs_snapshot_lookup (before, watch_ref) : NULL;
      const HsObject *y = hs_snapshot_lookup (now, watch_ref);
      const HsFreed *freed;
      guint n;
      gboolean stop = FALSE;

      freed = hs_snapshot_get_freed (now, &n);
      for (guint k = 0; k < n; k++)
        if (freed[k].ref == watch_ref)
          {
            stop = TRUE;
            (*n_freed)++;
          }
      if (x != NULL && y != NULL && !same_record (x, y))
        {
          stop = TRUE;
          (*n_mutated)++;
        }
      if (hs_snapshot_get_event (now) == HS_EVENT_LINE && hs_snapshot_get_line (now) == breakpoint)
        stop = TRUE;
      if (stop)
        g_array_append_val (stops, i);
      g_clear_pointer (&before, hs_snapshot_unref);
      before = g_steal_pointer (&now);
    }
  return stops;
}

static void
test_agrees (HsTraceFixture *f,
             gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, program);
  guint n_steps = hs_trace_get_n_steps (trace);
  g_autoptr(HsSnapshot) first = hs_test_step_at_line (trace, 2, 0);
  const HsFrame *frames;
  guint n_frames, n_mutated, n_freed;
  guint32 watch_ref = 0;
  g_autoptr(GArray) stops = NULL;
  HsBreakpoint breakpoint = { NULL, 4 };

  g_assert_cmpuint (n_steps, >, 1500);
  frames = hs_snapshot_get_frames (first, &n_frames);
  for (guint i = 0; i < frames[0].n_vars; i++)
    if (g_str_equal (frames[0].vars[i].name, "a"))
      watch_ref = frames[0].vars[i].ref;
  g_assert_cmpuint (watch_ref, !=, 0);

  stops = oracle (trace, breakpoint.line, watch_ref, &n_mutated, &n_freed);
  g_assert_cmpuint (n_mutated, ==, 5);  /* i = 0, 151, 302, 453, and -1 */
  g_assert_cmpuint (n_freed, ==, 1);

  for (guint from = 0; from < n_steps; from += from < 40 || from > n_steps - 40 ? 1 : 37)
    {
      guint expect_next = G_MAXUINT, expect_last = G_MAXUINT;
      HsStop stop;
      gboolean found;

      for (guint k = 0; k < stops->len; k++)
        {
          guint s = g_array_index (stops, guint, k);

          if (s > from && expect_next == G_MAXUINT)
            expect_next = s;
          if (s < from)
            expect_last = s;
        }

      found = hs_playback_find (trace, from, TRUE, G_MAXUINT, &breakpoint, 1, watch_ref, NULL, &stop);
      g_assert_cmpint (found, ==, expect_next != G_MAXUINT);
      if (found)
        g_assert_cmpuint (stop.step, ==, expect_next);

      found = hs_playback_find (trace, from, FALSE, 0, &breakpoint, 1, watch_ref, NULL, &stop);
      g_assert_cmpint (found, ==, expect_last != G_MAXUINT);
      if (found)
        g_assert_cmpuint (stop.step, ==, expect_last);

      /* A bound stops the search where it says. */
      found = hs_playback_find (trace, from, TRUE, from + 1, &breakpoint, 1, watch_ref, NULL, &stop);
      g_assert_cmpint (found, ==, expect_next == from + 1);
      found = hs_playback_find (trace, from, FALSE, from > 0 ? from - 1 : 0, &breakpoint, 1, watch_ref, NULL, &stop);
      g_assert_cmpint (found, ==, from > 0 && expect_last == from - 1);
    }
}

/* A class watched while instances are made: each instance holds it
 * unseen, which is no change to the class (the trace does not mark it
 * changed), so a search stops at no step but the breakpoint.  The
 * playback's own record of the class had kept its held edges and stopped
 * at the first instance made. */
static void
test_holders_alone (HsTraceFixture *f,
                    gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f,
    "class P:\n"
    "    pass\n"
    "a = P()\n"
    "b = P()\n"
    "c = P()\n"
    "x = 1\n"
    "y = 2\n");
  g_autoptr(HsSnapshot) at3 = hs_test_step_at_line (trace, 3, 0);
  guint32 watch_ref = hs_test_var_ref (at3, NULL, "P");
  HsBreakpoint breakpoint = { NULL, 7 };
  guint n_mutated, n_freed;
  g_autoptr(GArray) stops = oracle (trace, breakpoint.line, watch_ref, &n_mutated, &n_freed);
  HsStop stop;

  g_assert_cmpuint (n_mutated, ==, 0);
  g_assert_cmpuint (stops->len, ==, 1);
  g_assert_true (hs_playback_find (trace, 0, TRUE, G_MAXUINT,
                                   &breakpoint, 1, watch_ref, NULL, &stop));
  g_assert_cmpuint (stop.step, ==, g_array_index (stops, guint, 0));
}

/* A cancelled search finds nothing and says so. */
static void
test_cancelled (HsTraceFixture *f,
                gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, program);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  HsBreakpoint breakpoint = { NULL, 9 };
  HsStop stop;

  g_assert_true (hs_playback_find (trace, 0, TRUE, G_MAXUINT, &breakpoint, 1, 0, NULL, &stop));
  g_cancellable_cancel (cancellable);
  g_assert_false (hs_playback_find (trace, 0, TRUE, G_MAXUINT, &breakpoint, 1, 0, cancellable, &stop));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ui/playback-search/agrees", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_agrees, hs_trace_fixture_teardown);
  g_test_add ("/ui/playback-search/holders-alone", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_holders_alone, hs_trace_fixture_teardown);
  g_test_add ("/ui/playback-search/cancelled", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_cancelled, hs_trace_fixture_teardown);
  return g_test_run ();
}
