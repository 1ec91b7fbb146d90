/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The teaching commands in the real window, under Xvfb: prediction on a
 * snippet that is no lesson, watching an object from the inspector, and
 * Continue searching a long run without blocking the main loop.
 */
#define G_LOG_DOMAIN "heapscope-test-teach-window"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "hs-test-run.h"

static HsApplication *app;

static void
activate (HsWindow   *window,
          const char *action)
{
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), action));
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
}

static void
answer (HsPredictionCard *card,
        gboolean          right)
{
  const HsQuestion *question = hs_prediction_card_get_question (card);

  if (question->choices->len == 0)
    hs_prediction_card_set_text (card, right ? question->answer : "no such answer");
  else
    for (guint i = 0; i < question->choices->len; i++)
      if (hs_question_check_choices (question, &i, 1) == right)
        {
          hs_prediction_card_choose (card, i, TRUE);
          break;
        }
  g_assert_cmpint (hs_prediction_card_check (card), ==, right);
}

/* Steps forward until a question holds the next step. */
static guint
step_to_question (HsWindow         *window,
                  HsPredictionCard *card)
{
  guint n_steps = hs_trace_get_n_steps (hs_window_get_trace (window));

  while (!hs_prediction_card_get_pending (card))
    {
      guint step = hs_window_get_step (window);

      g_assert_cmpuint (step + 1, <, n_steps);
      activate (window, "step-forward");
      g_assert_cmpuint (hs_window_get_step (window), ==, step + 1);
    }
  return hs_window_get_step (window);
}

/* Any snippet can be predicted: the questions come from its run. */
static void
test_predict_snippet (void)
{
  HsWindow *w = hs_test_window_new_run ("a = [1, 2]\nb = a\nc = a[:]\nprint(a == c, a is c)\nd = 5\n",
                                        "snippet.py");
  HsLessonPanel *panel = hs_window_get_lesson_panel (w);
  HsPredictionCard *card = hs_lesson_panel_get_prediction_card (panel);
  guint step, right, asked;

  g_assert_null (hs_lesson_panel_get_lesson (panel));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
  activate (w, "predict");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (card)));

  /* A question about the step shown is asked at once. */
  step = step_to_question (w, card);
  g_assert_cmpuint (hs_prediction_card_get_question (card)->step, ==, step);
  activate (w, "step-forward");
  g_assert_cmpuint (hs_window_get_step (w), ==, step);
  answer (card, TRUE);
  g_assert_true (g_str_has_prefix (hs_prediction_card_get_result (card), "Right. "));
  activate (w, "step-forward");
  g_assert_cmpuint (hs_window_get_step (w), ==, step + 1);

  step = step_to_question (w, card);
  answer (card, FALSE);
  g_assert_true (g_str_has_prefix (hs_prediction_card_get_result (card), "Not quite. "));
  hs_prediction_card_get_score (card, &right, &asked);
  g_assert_cmpuint (right, ==, 1);
  g_assert_cmpuint (asked, ==, 2);

  /* Leaving the mode hides the panel again: there is no lesson to show. */
  activate (w, "predict");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
  activate (w, "step-forward");
  g_assert_cmpuint (hs_window_get_step (w), ==, step + 1);

  hs_test_window_close (w);
}

/* The inspector's Watch button watches the object it shows. */
static void
test_watch_from_inspector (void)
{
  HsWindow *w = hs_test_window_new_run ("a = [1]\nb = 2\na.append(3)\nc = 4\n", "watch.py");
  GtkWidget *button;
  guint32 refs[2];

  g_assert_null (hs_test_find_named (GTK_WIDGET (w->inspector), "watch-button"));
  hs_window_show_step (w, hs_test_line_step (w, 2), FALSE);
  g_assert_true (hs_graph_view_select_variable (hs_window_get_graph_view (w), "a", FALSE));
  button = hs_test_find_named (GTK_WIDGET (w->inspector), "watch-button");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (hs_graph_view_get_selection (hs_window_get_graph_view (w), refs, NULL), ==, 1);
  g_assert_cmpuint (hs_window_get_watched (w), ==, refs[0]);

  activate (w, "continue");
  g_assert_cmpuint (hs_window_get_step (w), ==, hs_test_line_step (w, 4));
  g_assert_nonnull (strstr (hs_window_get_last_toast (w), "changed the list"));

  /* Pressed again, it stops watching. */
  g_assert_true (hs_graph_view_select_variable (hs_window_get_graph_view (w), "a", FALSE));
  g_signal_emit_by_name (hs_test_find_named (GTK_WIDGET (w->inspector), "watch-button"), "clicked");
  g_assert_cmpuint (hs_window_get_watched (w), ==, 0);

  hs_test_window_close (w);
}

static gboolean
not_searching (gpointer data)
{
  return !hs_window_get_searching (data);
}

/* Far stops are searched in a thread: the main loop goes on, and the
 * answer arrives from the step shown, forward and back. */
static void
test_continue_in_thread (void)
{
  HsWindow *w = hs_test_window_new_run ("x = 0\nfor i in range(3000):\n    pass\nx = 1\n", "long.py");
  guint n_steps = hs_trace_get_n_steps (hs_window_get_trace (w));
  guint last_line = hs_test_line_step (w, 4);

  g_assert_cmpuint (n_steps, >, 6000);
  hs_window_toggle_breakpoint (w, NULL, 4);
  hs_window_toggle_breakpoint (w, NULL, 1);

  activate (w, "continue");
  g_assert_true (hs_window_get_searching (w));
  g_assert_cmpuint (hs_window_get_step (w), ==, 0);
  g_assert_true (hs_test_wait_until (not_searching, w));
  g_assert_cmpuint (hs_window_get_step (w), ==, last_line);

  activate (w, "last-step");
  activate (w, "continue-back");
  g_assert_true (hs_test_wait_until (not_searching, w));
  g_assert_cmpuint (hs_window_get_step (w), ==, last_line);
  activate (w, "continue-back");
  g_assert_true (hs_window_get_searching (w));
  g_assert_true (hs_test_wait_until (not_searching, w));
  g_assert_cmpuint (hs_window_get_step (w), ==, 0);

  /* Stepping while it searches drops the answer: it was for another step. */
  activate (w, "continue");
  g_assert_true (hs_window_get_searching (w));
  activate (w, "step-forward");
  g_assert_true (hs_test_wait_until (not_searching, w));
  g_assert_cmpuint (hs_window_get_step (w), ==, 1);

  hs_test_window_close (w);
}

static gboolean
trace_is (gpointer data)
{
  HsWindow *window = ((gpointer *) data)[0];

  return hs_window_get_trace (window) != ((gpointer *) data)[1] && hs_window_get_trace (window) != NULL;
}

static gboolean
toast_changed (gpointer data)
{
  HsWindow *window = ((gpointer *) data)[0];

  return g_strcmp0 (hs_window_get_last_toast (window), ((gpointer *) data)[1]) != 0;
}

/* Save Run writes the run with its code; the file opens again in a
 * window, at step 0, with the same steps, code and output, and nothing
 * runs.  A cut file and a stranger's JSON leave the window untouched. */
static void
test_save_and_open (void)
{
  const char *source = "a = [1]\nb = a\nb.append(2)\nprint(a)\n";
  HsWindow *w = hs_test_window_new_run (source, "keep.py");
  g_autofree char *dir = g_dir_make_tmp ("heapscope-saved-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "keep.json", NULL);
  g_autofree char *cut_path = g_build_filename (dir, "cut.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) cut = g_file_new_for_path (cut_path);
  g_autofree char *text = NULL;
  g_autofree char *output = NULL;
  HsTrace *ran = hs_window_get_trace (w);
  guint n_steps = hs_trace_get_n_steps (ran);
  HsWindow *other;
  gpointer wait[2];
  gsize length;

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (w), "save-run"));
  hs_test_save_run (w, file);

  other = hs_window_new (app);
  gtk_window_present (GTK_WINDOW (other));
  hs_window_open_trace (other, file);
  wait[0] = other;
  wait[1] = NULL;
  g_assert_true (hs_test_wait_until (trace_is, wait));
  g_assert_cmpuint (hs_trace_get_n_steps (hs_window_get_trace (other)), ==, n_steps);
  g_assert_cmpuint (hs_window_get_step (other), ==, 0);
  g_assert_false (hs_window_get_busy (other));
  text = hs_window_dup_text (other);
  g_assert_cmpstr (text, ==, source);
  hs_window_show_step (other, n_steps - 1, FALSE);
  output = hs_window_dup_output (other);
  g_assert_nonnull (strstr (output, "[1, 2]"));
  g_assert_true (hs_file_is_saved_run (file));

  /* Cut short: refused with the parser's words, and nothing changes. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (cut_path, contents, length / 2, NULL));
  ran = hs_window_get_trace (other);
  wait[1] = g_strdup (hs_window_get_last_toast (other));
  hs_window_open_trace (other, cut);
  g_assert_true (hs_test_wait_until (toast_changed, wait));
  g_free (wait[1]);
  g_assert_nonnull (strstr (hs_window_get_last_toast (other), "Cannot open cut.json"));
  g_assert_nonnull (strstr (hs_window_get_last_toast (other), "not complete JSON"));
  g_assert_true (hs_window_get_trace (other) == ran);
  g_clear_pointer (&text, g_free);
  text = hs_window_dup_text (other);
  g_assert_cmpstr (text, ==, source);

  g_unlink (path);
  g_unlink (cut_path);
  g_rmdir (dir);
  hs_test_window_close (other);
  hs_test_window_close (w);
}

static gboolean
has_exception_mark (HsWindow *window,
                    guint     line)
{
  GSList *marks = gtk_source_buffer_get_source_marks_at_line (hs_window_get_buffer (window), line - 1,
                                                              "hs-exception");

  g_slist_free (marks);
  return marks != NULL;
}

/* A saved run opens the way the run that wrote it ended, through the same
 * path: at every step the same output, the interpreter in the inspector,
 * the status and the line that raised; and nothing of the run it replaces
 * (its watch, its equality answer) is left. */
static void
test_saved_run_matches_live (void)
{
  const char *source = "import sys\na = [1]\nprint('one')\nb = a\n"
                       "print('two', file=sys.stderr)\nraise ValueError('boom')\n";
  HsWindow *live = hs_window_new (app);
  HsWindow *other = hs_test_window_new_run ("a = [1]\nb = a\n", "before.py");
  g_autofree char *dir = g_dir_make_tmp ("heapscope-saved-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "raises.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  HsGraphView *view = hs_window_get_graph_view (other);
  const char *version;
  gpointer wait[2];
  guint n_steps;

  hs_window_set_text (live, source, NULL, "raises.py");
  gtk_window_present (GTK_WINDOW (live));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, live));
  activate (live, "run");
  hs_test_wait_idle (live);
  g_assert_cmpstr (hs_trace_get_status (hs_window_get_trace (live)), ==, "exception");
  g_assert_true (has_exception_mark (live, 6));
  n_steps = hs_trace_get_n_steps (hs_window_get_trace (live));
  hs_test_save_run (live, file);

  /* The other window watches an object of its own run, and has asked
   * whether a == b. */
  hs_window_show_step (other, hs_trace_get_n_steps (hs_window_get_trace (other)) - 1, FALSE);
  g_assert_true (hs_graph_view_select_variable (view, "a", FALSE));
  activate (other, "watch");
  g_assert_cmpuint (hs_window_get_watched (other), !=, 0);
  g_assert_true (hs_graph_view_select_variable (view, "b", TRUE));
  hs_window_compare (other);
  hs_test_wait_idle (other);
  g_assert_nonnull (other->equality_expr);

  wait[0] = other;
  wait[1] = hs_window_get_trace (other);
  hs_window_open_trace (other, file);
  g_assert_true (hs_test_wait_until (trace_is, wait));

  g_assert_cmpuint (hs_trace_get_n_steps (hs_window_get_trace (other)), ==, n_steps);
  g_assert_cmpuint (hs_window_get_watched (other), ==, 0);
  g_assert_null (other->equality_expr);
  version = hs_inspector_get_python_version (live->inspector);
  g_assert_nonnull (version);
  g_assert_cmpstr (hs_inspector_get_python_version (other->inspector), ==, version);
  g_assert_true (has_exception_mark (other, 6));
  g_assert_nonnull (strstr (hs_window_get_last_toast (live), "ValueError"));
  g_assert_cmpstr (hs_window_get_last_toast (other), ==, hs_window_get_last_toast (live));
  for (guint i = 0; i < n_steps; i++)
    {
      g_autofree char *live_output = NULL;
      g_autofree char *saved_output = NULL;

      hs_window_show_step (live, i, FALSE);
      hs_window_show_step (other, i, FALSE);
      live_output = hs_window_dup_output (live);
      saved_output = hs_window_dup_output (other);
      g_assert_cmpstr (saved_output, ==, live_output);
    }

  g_unlink (path);
  g_rmdir (dir);
  hs_test_window_close (other);
  hs_test_window_close (live);
}

int
main (int   argc,
      char *argv[])
{
  app = hs_test_init (&argc, &argv);

  g_test_add_func ("/ui/teach/predict-snippet", test_predict_snippet);
  g_test_add_func ("/ui/teach/watch-from-inspector", test_watch_from_inspector);
  g_test_add_func ("/ui/teach/continue-in-thread", test_continue_in_thread);
  g_test_add_func ("/ui/teach/save-and-open", test_save_and_open);
  g_test_add_func ("/ui/teach/saved-run-matches-live", test_saved_run_matches_live);

  return hs_test_run (app);
}
