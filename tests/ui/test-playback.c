/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Moving through time in the real window, under Xvfb: breakpoints, run
 * to cursor, continue forward and backward, autoplay and watching an
 * object each land on the step that a plain walk over the recorded
 * snapshots says they should; and a move by any means is drawn in the
 * first frame after it.
 */
#define G_LOG_DOMAIN "heapscope-test-playback"

#include "config.h"

#include <string.h>

#include "hs-test-run.h"

static HsApplication *app;

/* Line numbers below refer to this program. */
static const char program[] =
  "a = [1, 2]\n"              /* 1 */
  "b = a\n"                   /* 2 */
  "n = 0\n"                   /* 3 */
  "for i in range(3):\n"      /* 4 */
  "    n += i\n"              /* 5 */
  "a.append(3)\n"             /* 6 */
  "del b\n"                   /* 7 */
  "a = None\n"                /* 8 */
  "print(n)\n";               /* 9 */

static const HsTestProgram test_program = { program, "playback.py" };

/* Long enough that the editor scrolls: f at the top, its calls below */
static const char long_program[] =
  "def f(x):\n"             /* 1 */
  "    return x + 1\n"      /* 2 */
  "x = 0\n"                 /* 3 */
  "x = f(x)\n"              /* 4 */
  "x = f(x)\n"              /* 5 */
  "x = f(x)\n"              /* 6 */
  "x = f(x)\n"              /* 7 */
  "x = f(x)\n"              /* 8 */
  "x = f(x)\n"              /* 9 */
  "x = f(x)\n"              /* 10 */
  "x = f(x)\n"              /* 11 */
  "x = f(x)\n"              /* 12 */
  "x = f(x)\n"              /* 13 */
  "x = f(x)\n"              /* 14 */
  "x = f(x)\n"              /* 15 */
  "x = f(x)\n"              /* 16 */
  "x = f(x)\n"              /* 17 */
  "x = f(x)\n"              /* 18 */
  "x = f(x)\n"              /* 19 */
  "x = f(x)\n"              /* 20 */
  "x = f(x)\n"              /* 21 */
  "x = f(x)\n"              /* 22 */
  "x = f(x)\n"              /* 23 */
  "x = f(x)\n"              /* 24 */
  "x = f(x)\n"              /* 25 */
  "x = f(x)\n"              /* 26 */
  "x = f(x)\n"              /* 27 */
  "x = f(x)\n"              /* 28 */
  "x = f(x)\n"              /* 29 */
  "x = f(x)\n"              /* 30 */
  "x = f(x)\n"              /* 31 */
  "x = f(x)\n"              /* 32 */
  "x = f(x)\n"              /* 33 */
  "x = f(x)\n"              /* 34 */
  "x = f(x)\n"              /* 35 */
  "x = f(x)\n"              /* 36 */
  "x = f(x)\n"              /* 37 */
  "x = f(x)\n"              /* 38 */
  "x = f(x)\n"              /* 39 */
  "x = f(x)\n"              /* 40 */
  "x = f(x)\n"              /* 41 */
  "x = f(x)\n"              /* 42 */
  "x = f(x)\n"              /* 43 */
  "x = f(x)\n"              /* 44 */
  "x = f(x)\n";             /* 45 */

static const HsTestProgram test_long_program = { long_program, "long.py" };

/* The oracle: steps whose line event is LINE, read from full snapshots. */
static guint
line_step (HsWindow *window,
           guint     line,
           guint     nth)
{
  HsTrace *trace = hs_window_get_trace (window);

  for (guint i = 0; i < hs_trace_get_n_steps (trace); i++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, i);

      if (hs_snapshot_get_event (snapshot) == HS_EVENT_LINE &&
          hs_snapshot_get_line (snapshot) == line && nth-- == 0)
        return i;
    }
  g_assert_not_reached ();
}

static void
move_cursor_to_line (HsWindow *window,
                     guint     line)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (hs_window_get_buffer (window)), &iter, line - 1);
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (hs_window_get_buffer (window)), &iter);
}

static void
test_breakpoints (HsTestFixture *f,
                  gconstpointer  data)
{
  HsWindow *w = f->window;
  guint n_lines;
  g_autofree guint *lines = NULL;
  guint last = hs_trace_get_n_steps (hs_window_get_trace (w)) - 1;

  /* Ctrl+B's action on the cursor's line, and a second one takes it off. */
  move_cursor_to_line (w, 5);
  hs_test_activate (w, "toggle-breakpoint");
  hs_window_toggle_breakpoint (w, NULL, 8);
  hs_window_toggle_breakpoint (w, NULL, 2);
  hs_window_toggle_breakpoint (w, NULL, 2);
  lines = hs_window_dup_breakpoints (w, NULL, &n_lines);
  g_assert_cmpuint (n_lines, ==, 2);
  g_assert_cmpuint (lines[0], ==, 5);
  g_assert_cmpuint (lines[1], ==, 8);

  /* Forward: each pass of the loop's body, then line 8, then the end. */
  for (guint k = 0; k < 3; k++)
    {
      hs_test_activate (w, "continue");
      g_assert_cmpuint (hs_window_get_step (w), ==, line_step (w, 5, k));
      g_assert_true (g_str_has_prefix (hs_window_get_last_toast (w), "Stopped at the breakpoint on line 5"));
    }
  hs_test_activate (w, "continue");
  g_assert_cmpuint (hs_window_get_step (w), ==, line_step (w, 8, 0));
  hs_test_activate (w, "continue");
  g_assert_cmpuint (hs_window_get_step (w), ==, last);

  /* Backward through the recorded run. */
  hs_test_activate (w, "continue-back");
  g_assert_cmpuint (hs_window_get_step (w), ==, line_step (w, 8, 0));
  hs_test_activate (w, "continue-back");
  g_assert_cmpuint (hs_window_get_step (w), ==, line_step (w, 5, 2));
  hs_test_activate (w, "continue-back");
  hs_test_activate (w, "continue-back");
  g_assert_cmpuint (hs_window_get_step (w), ==, line_step (w, 5, 0));
  hs_test_activate (w, "continue-back");
  g_assert_cmpuint (hs_window_get_step (w), ==, 0);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (w), "step-back"));
}

/* Whether sorting the marks at LINE's start by priority, as GtkSourceView
 * 5.6's gutter does before it frees the list from its old head, keeps
 * that head: otherwise the gutter leaks a node each time it draws LINE. */
static gboolean
marks_sorted_from_head (HsWindow *window,
                        guint     line)
{
  GtkTextIter iter;
  GSList *marks;
  int last = G_MININT;
  gboolean sorted = TRUE;
  guint n = 0;

  gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (window->buffer), &iter, line - 1);
  marks = gtk_source_buffer_get_source_marks_at_iter (window->buffer, &iter, NULL);
  for (GSList *l = marks; l != NULL; l = l->next, n++)
    {
      int priority = 0;

      gtk_source_view_get_mark_attributes (window->source_view,
                                           gtk_source_mark_get_category (l->data), &priority);
      sorted = sorted && priority >= last;
      last = priority;
    }
  g_slist_free (marks);
  g_assert_cmpuint (n, ==, 2);
  return sorted;
}

/* A breakpoint on the line shown, and the line shown on a breakpoint:
 * each line then holds two marks, in the order that does not leak. */
static void
test_marks_at_line_start (HsTestFixture *f,
                          gconstpointer  data)
{
  HsWindow *w = f->window;

  hs_window_show_step (w, line_step (w, 1, 0), FALSE);
  hs_window_toggle_breakpoint (w, NULL, 1);
  g_assert_true (marks_sorted_from_head (w, 1));

  hs_window_toggle_breakpoint (w, NULL, 5);
  hs_window_show_step (w, line_step (w, 5, 1), FALSE);
  g_assert_true (marks_sorted_from_head (w, 5));
}

static void
test_run_to_cursor (HsTestFixture *f,
                    gconstpointer  data)
{
  HsWindow *w = f->window;
  guint step;

  move_cursor_to_line (w, 6);
  hs_test_activate (w, "run-to-cursor");
  g_assert_cmpuint (hs_window_get_step (w), ==, line_step (w, 6, 0));

  /* Line 5 runs three times: run to cursor goes to the next pass. */
  move_cursor_to_line (w, 5);
  hs_window_show_step (w, line_step (w, 5, 0), FALSE);
  hs_test_activate (w, "run-to-cursor");
  g_assert_cmpuint (hs_window_get_step (w), ==, line_step (w, 5, 1));

  /* Not reached again: it stays, and says so. */
  move_cursor_to_line (w, 1);
  step = hs_window_get_step (w);
  hs_test_activate (w, "run-to-cursor");
  g_assert_cmpuint (hs_window_get_step (w), ==, step);
  g_assert_cmpstr (hs_window_get_last_toast (w), ==, "The program does not reach line 1 after this step");
}

static gboolean
same_edges (const HsObject *x,
            const HsObject *y)
{
  if (x->n_edges != y->n_edges || g_strcmp0 (x->repr, y->repr) != 0)
    return FALSE;
  for (guint i = 0; i < x->n_edges; i++)
    if (x->edges[i].target != y->edges[i].target)
      return FALSE;
  return TRUE;
}

static void
test_watch (HsTestFixture *f,
            gconstpointer  data)
{
  HsWindow *w = f->window;
  HsTrace *trace = hs_window_get_trace (w);
  guint32 ref = 0;
  guint mutated = 0, freed = 0;

  /* Select the list once a names it. */
  hs_window_show_step (w, line_step (w, 2, 0), FALSE);
  g_assert_true (hs_graph_view_select_variable (hs_window_get_graph_view (w), "a", FALSE));
  hs_test_activate (w, "watch");
  ref = hs_window_get_watched (w);
  g_assert_cmpuint (ref, !=, 0);

  /* The oracle: where the list's contents differ from the step before,
   * and where it is gone with a freed record. */
  for (guint i = line_step (w, 2, 0) + 1; i < hs_trace_get_n_steps (trace) && freed == 0; i++)
    {
      g_autoptr(HsSnapshot) before = hs_trace_get_snapshot (trace, i - 1);
      g_autoptr(HsSnapshot) now = hs_trace_get_snapshot (trace, i);
      const HsObject *x = hs_snapshot_lookup (before, ref);
      const HsObject *y = hs_snapshot_lookup (now, ref);
      const HsFreed *gone;
      guint n_gone;

      if (mutated == 0 && x && y && !same_edges (x, y))
        mutated = i;
      gone = hs_snapshot_get_freed (now, &n_gone);
      for (guint k = 0; k < n_gone; k++)
        if (gone[k].ref == ref)
          freed = i;
    }
  g_assert_cmpuint (mutated, ==, line_step (w, 7, 0));  /* a.append(3) ran */
  g_assert_cmpuint (freed, ==, line_step (w, 9, 0));    /* a = None dropped the last reference */

  hs_test_activate (w, "continue");
  g_assert_cmpuint (hs_window_get_step (w), ==, mutated);
  g_assert_true (strstr (hs_window_get_last_toast (w), "changed the list") != NULL);
  hs_test_activate (w, "continue");
  g_assert_cmpuint (hs_window_get_step (w), ==, freed);
  g_assert_true (strstr (hs_window_get_last_toast (w), "refcount reached 0") != NULL);
  hs_test_activate (w, "continue-back");
  g_assert_cmpuint (hs_window_get_step (w), ==, mutated);

  /* Watching it again stops watching. */
  hs_window_show_step (w, line_step (w, 2, 0), FALSE);
  g_assert_true (hs_graph_view_select_variable (hs_window_get_graph_view (w), "a", FALSE));
  hs_test_activate (w, "watch");
  g_assert_cmpuint (hs_window_get_watched (w), ==, 0);
  hs_test_activate (w, "continue");
  g_assert_cmpuint (hs_window_get_step (w), ==, hs_trace_get_n_steps (trace) - 1);
}

static gboolean
not_playing (gpointer data)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (data), "autoplay");

  return !g_variant_get_boolean (state);
}

static void
test_autoplay (HsTestFixture *f,
               gconstpointer  data)
{
  HsWindow *w = f->window;
  g_autoptr(GVariant) state = NULL;
  guint step;

  g_action_group_change_action_state (G_ACTION_GROUP (w), "autoplay-speed", g_variant_new_double (60.0));
  state = g_action_group_get_action_state (G_ACTION_GROUP (w), "autoplay-speed");
  g_assert_cmpfloat (g_variant_get_double (state), ==, 60.0);

  /* Play stops by itself at a breakpoint... */
  hs_window_toggle_breakpoint (w, NULL, 6);
  hs_test_activate (w, "autoplay");
  g_assert_false (not_playing (w));
  g_assert_true (hs_test_wait_until (not_playing, w));
  g_assert_cmpuint (hs_window_get_step (w), ==, line_step (w, 6, 0));

  /* ... and at the end of the run. */
  hs_test_activate (w, "autoplay");
  g_assert_true (hs_test_wait_until (not_playing, w));
  g_assert_cmpuint (hs_window_get_step (w), ==, hs_trace_get_n_steps (hs_window_get_trace (w)) - 1);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (w), "autoplay"));

  /* Pause holds the step where it is. */
  hs_window_show_step (w, 0, FALSE);
  g_action_group_change_action_state (G_ACTION_GROUP (w), "autoplay-speed", g_variant_new_double (0.25));
  hs_test_activate (w, "autoplay");
  hs_test_activate (w, "autoplay");
  g_assert_true (not_playing (w));
  step = hs_window_get_step (w);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (hs_window_get_step (w), ==, step);
}

/* What the graph holds at the first frame the clock paints after a move */
typedef struct
{
  HsGraphView *graph;
  guint        painted;
  guint        shown;
} FirstFrame;

static guint
layout_step (HsGraphView *graph)
{
  HsLayout *layout;

  g_assert (HS_IS_GRAPH_VIEW (graph));

  layout = hs_graph_view_get_layout (graph);
  g_assert_nonnull (layout);
  return hs_snapshot_get_index (hs_layout_get_snapshot (layout));
}

static void
after_paint_cb (GdkFrameClock *clock,
                FirstFrame    *first)
{
  g_assert (GDK_IS_FRAME_CLOCK (clock));
  g_assert (first != NULL);

  if (first->painted++ == 0)
    first->shown = layout_step (first->graph);
}

static gboolean
painted (gpointer data)
{
  g_assert (data != NULL);

  return ((FirstFrame *) data)->painted > 0;
}

/* A move by any means is drawn in the first frame after it: when the
 * action returns, the graph already holds the step's layout (a small heap
 * is not handed to a thread, which on a loaded machine could run after
 * that frame), and the next frame paints it. */
static void
check_drawn_next_frame (HsWindow *w,
                        guint     step)
{
  HsGraphView *graph = hs_window_get_graph_view (w);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (graph));
  FirstFrame first = { graph, 0, 0 };
  gulong handler;

  g_assert (HS_IS_WINDOW (w));
  g_assert (GDK_IS_FRAME_CLOCK (clock));

  g_assert_cmpuint (hs_window_get_step (w), ==, step);
  g_assert_cmpuint (layout_step (graph), ==, step);

  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &first);
  gtk_widget_queue_draw (GTK_WIDGET (graph));
  g_assert_true (hs_test_wait_until (painted, &first));
  g_signal_handler_disconnect (clock, handler);
  g_assert_cmpuint (first.shown, ==, step);
  hs_test_wait_idle (w);
}

static void
test_moves_drawn_next_frame (HsTestFixture *f,
                             gconstpointer  data)
{
  HsWindow *w = f->window;
  guint n_steps = hs_trace_get_n_steps (hs_window_get_trace (w));

  g_assert_cmpuint (n_steps, >, 4);
  hs_window_show_step (w, 0, FALSE);
  hs_test_wait_idle (w);

  hs_test_activate (w, "last-step");
  check_drawn_next_frame (w, n_steps - 1);
  hs_test_activate (w, "first-step");
  check_drawn_next_frame (w, 0);
  gtk_adjustment_set_value (w->timeline_adjustment, n_steps / 2);
  check_drawn_next_frame (w, n_steps / 2);
  hs_test_activate (w, "step-forward");
  check_drawn_next_frame (w, n_steps / 2 + 1);
  hs_test_activate (w, "step-back");
  check_drawn_next_frame (w, n_steps / 2);
}

/* How many lines of the snippet a learner reads around the current one */
#define CONTEXT_LINES 2

typedef struct
{
  HsWindow *window;
  int       line;
} LineInSight;

/* Whether the editor shows the whole of sight's line and of the
 * CONTEXT_LINES lines above and below it, as far as the snippet has them */
static gboolean
line_has_context (gpointer data)
{
  const LineInSight *sight = data;
  GtkTextView *view = GTK_TEXT_VIEW (sight->window->source_view);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  int n_lines = gtk_text_buffer_get_line_count (buffer);
  GdkRectangle visible;

  gtk_text_view_get_visible_rect (view, &visible);
  for (int line = MAX (1, sight->line - CONTEXT_LINES); line <= MIN (n_lines, sight->line + CONTEXT_LINES); line++)
    {
      GtkTextIter iter;
      int y, height;

      gtk_text_buffer_get_iter_at_line (buffer, &iter, line - 1);
      gtk_text_view_get_line_yrange (view, &iter, &y, &height);
      if (y < visible.y || y + height > visible.y + visible.height)
        return FALSE;
    }
  return TRUE;
}

/* The editor scrolls to the current line with lines around it: the line
 * a function was called from, and the def of the function a step runs,
 * are read with it.  It scrolled the line just to the edge it came in
 * at: inside a __del__ (the freeing lesson), the def and the class above
 * it were hidden. */
static void
test_editor_context (HsTestFixture *f,
                     gconstpointer  data)
{
  HsWindow *w = f->window;
  LineInSight below = { w, 30 }, above = { w, 2 };

  /* down the snippet, then up into f as line 30 calls it */
  hs_window_show_step (w, line_step (w, below.line, 0), FALSE);
  g_assert_true (hs_test_wait_until (line_has_context, &below));
  hs_window_show_step (w, line_step (w, above.line, below.line - 4), FALSE);
  g_assert_true (hs_test_wait_until (line_has_context, &above));
  /* and down again */
  hs_window_show_step (w, line_step (w, below.line, 0), FALSE);
  g_assert_true (hs_test_wait_until (line_has_context, &below));
}

static void
test_accels (HsTestFixture *f,
             gconstpointer  data)
{
  static const char * const actions[] = {
    "win.toggle-breakpoint", "win.run-to-cursor", "win.continue",
    "win.continue-back", "win.autoplay", "win.watch",
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);

      g_assert_nonnull (accels[0]);
    }
}

int
main (int   argc,
      char *argv[])
{
  app = hs_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, HsTestFixture, &test_program, hs_test_window_run_setup, func, hs_test_window_run_teardown)

  ADD ("/ui/playback/breakpoints", test_breakpoints);
  ADD ("/ui/playback/marks-at-line-start", test_marks_at_line_start);
  ADD ("/ui/playback/run-to-cursor", test_run_to_cursor);
  ADD ("/ui/playback/watch", test_watch);
  ADD ("/ui/playback/autoplay", test_autoplay);
  ADD ("/ui/playback/accels", test_accels);
  ADD ("/ui/playback/moves-drawn-next-frame", test_moves_drawn_next_frame);
  g_test_add ("/ui/playback/editor-context", HsTestFixture, &test_long_program,
              hs_test_window_run_setup, test_editor_context, hs_test_window_run_teardown);

#undef ADD

  return hs_test_run (app);
}
