/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Lessons in the real window, under Xvfb: every lesson opens from its
 * action, runs, starts at its first step, and the panel beside the graph
 * shows the note of each step as the learner steps forward and back.
 */
#define G_LOG_DOMAIN "heapscope-test-lesson-window"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "hs-drafts.h"
#include "hs-test-run.h"

static HsApplication *app;

static gboolean
at_first_step (gpointer data)
{
  return hs_window_get_step (data) == 0;
}

static void
fixture_setup (HsTestFixture *f,
               gconstpointer  data)
{
  f->window = hs_window_new (app);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (HsTestFixture *f,
                  gconstpointer  data)
{
  hs_test_window_close (f->window);
  g_assert_null (f->window);
}

/* Opening a lesson runs it, shows the last step while the graph fits the
 * whole heap, then goes back to the first step. */
static void
open_lesson (HsWindow   *window,
             const char *id)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-lesson", g_variant_new_string (id));
  g_assert_true (hs_window_get_busy (window));
  hs_test_wait_idle (window);
  g_assert_true (hs_test_wait_until (at_first_step, window));
  hs_test_wait_idle (window);
}

static void
test_menu (HsTestFixture *f,
           gconstpointer  data)
{
  GMenuModel *menu = G_MENU_MODEL (f->window->lessons_menu);
  g_autoptr(GPtrArray) lessons = hs_lesson_list_all ();

  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, lessons->len);
  for (guint i = 0; i < lessons->len; i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *label = NULL;
      g_autoptr(GVariant) target = NULL;

      g_assert_true (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
      g_assert_cmpstr (action, ==, "win.open-lesson");
      target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
      g_assert_cmpstr (g_variant_get_string (target, NULL), ==, hs_lesson_get_id (g_ptr_array_index (lessons, i)));
      g_assert_true (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
      g_assert_cmpstr (label, ==, hs_lesson_get_title (g_ptr_array_index (lessons, i)));
    }
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->window), "open-lesson"));
}

static void
test_open_and_step (HsTestFixture *f,
                    gconstpointer  data)
{
  const char *id = data;
  HsLessonPanel *panel = hs_window_get_lesson_panel (f->window);
  g_autoptr(HsLesson) lesson = hs_lesson_load (id, NULL);
  g_autofree char *text = NULL;
  g_autofree gboolean *seen = NULL;
  HsTrace *trace;
  guint n_steps, n_seen = 0;

  g_assert_nonnull (lesson);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
  open_lesson (f->window, id);

  /* The editor holds the snippet, the graph its first step, the panel
   * the lesson's summary. */
  text = hs_window_dup_text (f->window);
  g_assert_cmpstr (text, ==, hs_lesson_get_code (lesson));
  trace = hs_window_get_trace (f->window);
  g_assert_nonnull (trace);
  g_assert_cmpstr (hs_trace_get_status (trace), ==, "finished");
  g_assert_cmpuint (hs_window_get_step (f->window), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_cmpstr (hs_lesson_get_id (hs_lesson_panel_get_lesson (panel)), ==, id);

  n_steps = hs_trace_get_n_steps (trace);
  seen = g_new0 (gboolean, hs_lesson_get_n_notes (lesson));
  for (guint step = 0; step < n_steps; step++)
    {
      int note = hs_lesson_note_at_step (lesson, trace, step);
      const char *expected = note >= 0 ? hs_lesson_get_note (lesson, note, NULL, NULL)
                                       : hs_lesson_get_summary (lesson);

      g_assert_cmpuint (hs_window_get_step (f->window), ==, step);
      g_assert_cmpint (hs_lesson_panel_get_note_index (panel), ==, note);
      g_assert_cmpstr (hs_lesson_panel_get_text (panel), ==, expected);
      if (note >= 0 && !seen[note])
        {
          seen[note] = TRUE;
          n_seen++;
        }
      /* The panel follows at once; the graph's animation need not end. */
      if (step + 1 < n_steps)
        g_action_group_activate_action (G_ACTION_GROUP (f->window), "step-forward", NULL);
    }
  g_assert_cmpuint (n_seen, ==, hs_lesson_get_n_notes (lesson));

  /* Back to the start, the notes follow. */
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "first-step", NULL);
  g_assert_cmpint (hs_lesson_panel_get_note_index (panel), ==, hs_lesson_note_at_step (lesson, trace, 0));
}

static void
test_close (HsTestFixture *f,
            gconstpointer  data)
{
  HsLessonPanel *panel = hs_window_get_lesson_panel (f->window);

  open_lesson (f->window, "copies");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "lesson.close", NULL));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_null (hs_lesson_panel_get_lesson (panel));

  /* Another snippet ends the lesson. */
  open_lesson (f->window, "names");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "open-example", g_variant_new_string ("cycles"));
  hs_test_wait_idle (f->window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));

  /* An unknown lesson is a message, not a crash. */
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "open-lesson", g_variant_new_string ("nope"));
  g_assert_nonnull (hs_window_get_last_toast (f->window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
}

/* In prediction mode a question holds the next step back until it is
 * answered; the answer then shows what the step does. */
static void
test_predict (HsTestFixture *f,
              gconstpointer  data)
{
  HsLessonPanel *panel = hs_window_get_lesson_panel (f->window);
  HsPredictionCard *card = hs_lesson_panel_get_prediction_card (panel);
  guint n_steps, step;

  open_lesson (f->window, "mutable");
  n_steps = hs_trace_get_n_steps (hs_window_get_trace (f->window));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "predict", NULL);
  g_assert_true (hs_lesson_panel_get_predicting (panel));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (card)));

  /* Steps without a question go on; the first question stops them. */
  while (!hs_prediction_card_get_pending (card))
    {
      step = hs_window_get_step (f->window);
      g_assert_cmpuint (step + 1, <, n_steps);
      g_action_group_activate_action (G_ACTION_GROUP (f->window), "step-forward", NULL);
      g_assert_cmpuint (hs_window_get_step (f->window), ==, step + 1);
    }
  step = hs_window_get_step (f->window);
  g_assert_cmpuint (hs_prediction_card_get_question (card)->step, ==, step);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "step-forward", NULL);
  g_assert_cmpuint (hs_window_get_step (f->window), ==, step);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "last-step", NULL);
  g_assert_cmpuint (hs_window_get_step (f->window), ==, step);
  g_assert_nonnull (strstr (hs_window_get_last_toast (f->window), "Answer the question first"));

  /* Any answer, right or wrong, lets the step show. */
  if (hs_prediction_card_get_question (card)->choices->len > 0)
    hs_prediction_card_choose (card, 0, TRUE);
  else
    hs_prediction_card_set_text (card, "?");
  hs_prediction_card_check (card);
  g_assert_false (hs_prediction_card_get_pending (card));
  g_assert_nonnull (hs_prediction_card_get_result (card));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "step-forward", NULL);
  g_assert_cmpuint (hs_window_get_step (f->window), ==, step + 1);

  /* Stepping back never waits; leaving the mode drops the question. */
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "predict", NULL);
  g_assert_false (hs_prediction_card_get_pending (card));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (card)));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) lessons = NULL;
  app = hs_test_init (&argc, &argv);

  g_test_add ("/ui/lesson-window/menu", HsTestFixture, NULL, fixture_setup, test_menu, fixture_teardown);
  g_test_add ("/ui/lesson-window/close", HsTestFixture, NULL, fixture_setup, test_close, fixture_teardown);
  g_test_add ("/ui/lesson-window/predict", HsTestFixture, NULL, fixture_setup, test_predict, fixture_teardown);
  lessons = hs_lesson_list_all ();
  for (guint i = 0; i < lessons->len; i++)
    {
      const char *id = hs_lesson_get_id (g_ptr_array_index (lessons, i));
      g_autofree char *path = g_strdup_printf ("/ui/lesson-window/open-and-step/%s", id);

      /* The ids outlive the tests: the array lives until main returns. */
      g_test_add (path, HsTestFixture, id, fixture_setup, test_open_and_step, fixture_teardown);
    }

  return hs_test_run (app);
}
