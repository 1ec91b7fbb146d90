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
#include "hs-graph-view-private.h"
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

static gboolean
in_view (HsGraphView *graph,
         guint32      ref)
{
  const HsLayoutBox *box = hs_layout_get_object_box (hs_graph_view_get_layout (graph), ref);
  HsRect view;

  hs_graph_view_get_visible_rect (graph, &view);
  return box != NULL && hs_test_rect_inside (&box->rect, &view) &&
         hs_graph_view_get_zoom (graph) >= hs_graph_view_get_readable_zoom (graph) - 1e-6;
}

/* Activates the link to ref of the note label, as a click or Enter does
 * (GtkLabel emits activate-link for both), and checks that the graph
 * selects that object and shows its box whole, its text readable. */
static void
check_link (HsWindow   *window,
            GtkLabel   *note,
            const char *id,
            guint       step,
            const char *name,
            guint32     ref)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  g_autofree char *uri = g_strdup_printf ("heapscope-object:%u", ref);
  const HsLayoutBox *box;
  guint32 refs[2];
  gboolean handled = FALSE;
  HsRect view;

  g_signal_emit_by_name (note, "activate-link", uri, &handled);
  g_assert_true (handled);
  hs_test_settle (window);
  g_assert_cmpuint (hs_window_get_step (window), ==, step);
  g_assert_cmpuint (hs_graph_view_get_selection (graph, refs, NULL), ==, 1);
  g_assert_cmpuint (refs[0], ==, ref);
  box = hs_layout_get_object_box (hs_graph_view_get_layout (graph), ref);
  if (box == NULL)
    g_error ("%s step %u: `%s` links to ref %u, which the graph does not draw", id, step, name, ref);
  hs_graph_view_get_visible_rect (graph, &view);
  if (!hs_test_rect_inside (&box->rect, &view))
    g_error ("%s step %u: after its link, `%s` (%.0f, %.0f, %.0f×%.0f) is outside the view (%.0f, %.0f, %.0f×%.0f)",
             id, step, name, box->rect.x, box->rect.y, box->rect.width, box->rect.height,
             view.x, view.y, view.width, view.height);
  if (hs_graph_view_get_zoom (graph) < hs_graph_view_get_readable_zoom (graph) - 1e-6)
    g_error ("%s step %u: after its link, `%s` is shown at zoom %.3f, below the readable %.3f",
             id, step, name, hs_graph_view_get_zoom (graph), hs_graph_view_get_readable_zoom (graph));
  /* Only a hand that pans or zooms stops following (issue 8) */
  if (!hs_graph_view_get_follow (graph))
    g_error ("%s step %u: after its link, `%s`, the graph no longer follows the program", id, step, name);
}

/* At 1024x600 the camera frames what each line made, and a note may name
 * more than fits beside it (issue 8).  At every step, every name the note
 * links to, once activated, is selected and in view at a readable size,
 * and the graph still follows the program.
 * Before each link the view follows the program again, so each one
 * starts from the step's own framing. */
static void
test_links (gconstpointer data)
{
  const char *id = data;
  HsWindow *window = hs_window_new (app);
  g_autoptr(GRegex) link = g_regex_new ("<a href=\"heapscope-object:([0-9]+)\"[^>]*><tt>([^<]*)</tt></a>", 0, 0, NULL);
  HsGraphView *graph;
  GtkLabel *note;
  guint n_steps, n_links = 0, n_outside = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 600);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  open_lesson (window, id);
  hs_test_settle (window);
  graph = hs_window_get_graph_view (window);
  note = GTK_LABEL (hs_test_find_named (GTK_WIDGET (hs_window_get_lesson_panel (window)), "lesson-note"));
  g_assert_nonnull (note);

  n_steps = hs_trace_get_n_steps (hs_window_get_trace (window));
  for (guint step = 0; step < n_steps; step++)
    {
      g_autoptr(GMatchInfo) match = NULL;

      hs_window_show_step (window, step, FALSE);
      hs_test_settle (window);
      g_regex_match (link, gtk_label_get_label (note), 0, &match);
      for (; g_match_info_matches (match); g_match_info_next (match, NULL))
        {
          g_autofree char *number = g_match_info_fetch (match, 1);
          g_autofree char *name = g_match_info_fetch (match, 2);
          guint32 ref = (guint32) g_ascii_strtoull (number, NULL, 10);

          hs_graph_view_unselect_all (graph);
          hs_graph_view_set_follow (graph, TRUE);
          hs_test_settle (window);
          g_autofree char *shot = g_strdup_printf ("links-%s-%u-%s", id, step, name);
          g_autofree char *shot_before = g_strconcat (shot, "-before", NULL);
          gboolean outside = !in_view (graph, ref);

          /* With HS_TEST_SHOTS set, what a learner sees before and after */
          if (outside && g_getenv ("HS_TEST_SHOTS"))
            {
              hs_test_wait_frames (GTK_WIDGET (window), 3);
              hs_test_save_shot (GTK_WIDGET (window), shot_before);
            }
          n_outside += outside;
          check_link (window, note, id, step, name, ref);
          if (outside && g_getenv ("HS_TEST_SHOTS"))
            {
              hs_test_wait_frames (GTK_WIDGET (window), 3);
              hs_test_save_shot (GTK_WIDGET (window), shot);
            }
          n_links++;
        }
    }
  g_test_message ("%s at 1024x600: %u links, %u of them to an object the step's framing left out of view or unreadable",
                  id, n_links, n_outside);
  g_assert_cmpuint (n_links, >, 0);
  hs_test_window_close (window);
}

/* Tab reaches the note's first link and Enter activates it: the
 * keyboard's way to the same action as a click. */
static void
test_link_keyboard (void)
{
  HsWindow *window = hs_window_new (app);
  HsGraphView *graph;
  GtkLabel *note;
  guint32 refs[2], ref;
  guint step;

  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 600);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  open_lesson (window, "copies");
  graph = hs_window_get_graph_view (window);
  note = GTK_LABEL (hs_test_find_named (GTK_WIDGET (hs_window_get_lesson_panel (window)), "lesson-note"));

  /* The note after line 7 names a and e */
  step = hs_test_line_step (window, 8);
  hs_window_show_step (window, step, FALSE);
  hs_test_settle (window);
  g_assert_nonnull (strstr (hs_lesson_panel_get_text (hs_window_get_lesson_panel (window)), "`e`"));
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (note)));
  /* Each link's title is its tooltip ("Show e in the graph") */
  g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (note)));
  g_assert_nonnull (strstr (gtk_label_get_label (note), "title=\"Show e in the graph\""));
  hs_graph_view_unselect_all (graph);

  /* Tab into the label lands on its first link */
  gtk_widget_grab_focus (GTK_WIDGET (hs_window_get_lesson_panel (window)));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (note), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (note)));
  g_assert_nonnull (gtk_label_get_current_uri (note));
  g_assert_true (g_str_has_prefix (gtk_label_get_current_uri (note), "heapscope-object:"));
  ref = (guint32) g_ascii_strtoull (gtk_label_get_current_uri (note) + strlen ("heapscope-object:"), NULL, 10);
  /* Enter's binding */
  g_signal_emit_by_name (note, "activate-current-link");
  hs_test_settle (window);
  g_assert_cmpuint (hs_graph_view_get_selection (graph, refs, NULL), ==, 1);
  g_assert_cmpuint (refs[0], ==, ref);
  g_assert_true (in_view (graph, ref));
  hs_test_window_close (window);
}

/* The editor's text and cursor, to compare before and after keys */
static char *
editor_state (HsWindow *window)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (window->source_view));
  g_autofree char *text = hs_window_dup_text (window);
  GtkTextIter cursor;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  return g_strdup_printf ("%d\n%s", gtk_text_iter_get_offset (&cursor), text);
}

/* The stepping keys, pressed for real with the keyboard in the editor:
 * at either end of the lesson, where the step they ask for does not
 * exist, they change nothing.  GtkSourceView's own Alt+Left and
 * Alt+Right swap words: a key the window's disabled action let through
 * edited the snippet. */
static void
test_step_keys_at_ends (HsTestFixture *f,
                        gconstpointer  data)
{
  static const char *const at_end[] = { "alt+Right", "alt+End" };
  static const char *const at_start[] = { "alt+Left", "alt+Home" };
  HsWindow *window = f->window;
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  g_autofree char *before = NULL;
  guint last;

  open_lesson (window, "copies");
  if (!adw_flap_get_reveal_flap (window->editor_flap))
    hs_test_activate (window, "show-editor");
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window->source_view));
  gtk_widget_grab_focus (GTK_WIDGET (window->source_view));
  /* the cursor inside a line's second word, where swapping words edits */
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (window->source_view));
  gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, 0, 1);
  gtk_text_iter_forward_word_end (&iter);
  gtk_text_iter_forward_word_end (&iter);
  gtk_text_iter_backward_char (&iter);
  gtk_text_buffer_place_cursor (buffer, &iter);
  before = editor_state (window);
  last = hs_trace_get_n_steps (hs_window_get_trace (window)) - 1;

  hs_test_activate (window, "last-step");
  g_assert_cmpuint (hs_window_get_step (window), ==, last);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "step-forward"));
  for (guint i = 0; i < G_N_ELEMENTS (at_end); i++)
    {
      g_autofree char *after = NULL;

      if (!hs_test_press_keys (GTK_WINDOW (window), at_end[i]))
        {
          g_test_skip ("no X11 display or no xdotool to press keys with");
          return;
        }
      after = editor_state (window);
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpuint (hs_window_get_step (window), ==, last);
      g_assert_true (gtk_widget_has_focus (GTK_WIDGET (window->source_view)));
    }

  /* the same key reaches the window where there is a step to go to */
  hs_test_press_keys (GTK_WINDOW (window), "alt+Left");
  g_assert_cmpuint (hs_window_get_step (window), ==, last - 1);

  hs_test_activate (window, "first-step");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "step-back"));
  for (guint i = 0; i < G_N_ELEMENTS (at_start); i++)
    {
      g_autofree char *after = NULL;

      hs_test_press_keys (GTK_WINDOW (window), at_start[i]);
      after = editor_state (window);
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpuint (hs_window_get_step (window), ==, 0);
    }

  /* nor the console's line */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->console_view)));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (window->console_view));
  gtk_text_buffer_set_text (buffer, "len(a) + b", -1);
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 8);
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_widget_grab_focus (GTK_WIDGET (window->console_view));
  hs_test_press_keys (GTK_WINDOW (window), "alt+Left");
  {
    g_autofree char *line = NULL;
    GtkTextIter start, end;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    line = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (line, ==, "len(a) + b");
  }
  gtk_text_buffer_set_text (buffer, "", -1);
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
  g_test_add_func ("/ui/lesson-window/link-keyboard", test_link_keyboard);
  g_test_add ("/ui/lesson-window/step-keys-at-ends", HsTestFixture, NULL, fixture_setup, test_step_keys_at_ends,
              fixture_teardown);
  lessons = hs_lesson_list_all ();
  for (guint i = 0; i < lessons->len; i++)
    {
      const char *id = hs_lesson_get_id (g_ptr_array_index (lessons, i));
      g_autofree char *path = g_strdup_printf ("/ui/lesson-window/open-and-step/%s", id);

      /* The ids outlive the tests: the array lives until main returns. */
      g_test_add (path, HsTestFixture, id, fixture_setup, test_open_and_step, fixture_teardown);
      g_free (path);
      path = g_strdup_printf ("/ui/lesson-window/links/%s", id);
      if (hs_test_in_shard (i))
        g_test_add_data_func (path, id, test_links);
    }

  return hs_test_run (app);
}
