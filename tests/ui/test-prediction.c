/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Predict the next step, under Xvfb: for each kind of question, a snippet
 * traced by the real worker, a question made from the step before the
 * answer, and one right and one wrong answer given through the card.
 */
#define G_LOG_DOMAIN "heapscope-test-prediction"

#include "config.h"

#include <string.h>
#include <gtk/gtk.h>

#include "hs-prediction-card.h"
#include "hs-ui-resources.h"
#include "hs-test-trace.h"

typedef struct
{
  HsQuestionKind  kind;
  const char     *source;
  guint           line;       /* the question is asked when it is about to run */
  const char     *right_text; /* typed answers; NULL: choices */
  const char     *wrong_text;
} Case;

static const Case cases[] = {
  { HS_QUESTION_OUTPUT, "x = 6 * 7\nprint(x)\n", 2, "42", "41" },
  { HS_QUESTION_FREED, "a = [1]\nb = [2]\na = None\n", 3, NULL, NULL },
  { HS_QUESTION_POINT_AT, "a = [1]\nb = [2]\nc = b\n", 3, NULL, NULL },
  { HS_QUESTION_NEW_OR_REUSED, "a = [1]\nb = a[:]\n", 2, NULL, NULL },
  { HS_QUESTION_IS, "a = [1]\nb = a\n", 2, NULL, NULL },
  { HS_QUESTION_EQUAL, "a = [1, 'x']\nb = a[:]\n", 2, NULL, NULL },
  { HS_QUESTION_REFCOUNT, "a = [1]\nb = a\n", 2, "2", "1" },
};

static HsQuestion *
ask (HsTraceFixture *f,
     const Case     *c)
{
  HsTrace *trace = hs_trace_fixture_run (f, c->source);
  g_autoptr(HsSnapshot) before = hs_test_step_at_line (trace, c->line, 0);
  HsQuestion *question = hs_question_new (trace, hs_snapshot_get_index (before), c->kind);

  g_assert_nonnull (question);
  g_assert_cmpint (question->kind, ==, c->kind);
  g_assert_cmpuint (question->step, ==, hs_snapshot_get_index (before));
  return question;
}

/* The first choice that is right, and the first that is wrong. */
static void
pick (const HsQuestion *question,
      guint            *right,
      guint            *wrong)
{
  g_assert_cmpuint (question->right->len, >, 0);
  *right = g_array_index (question->right, guint, 0);
  for (guint i = 0; i < question->choices->len; i++)
    if (!hs_question_check_choices (question, &i, 1))
      {
        *wrong = i;
        return;
      }
  g_assert_not_reached ();
}

static void
answer (HsPredictionCard *card,
        const Case       *c,
        gboolean          right)
{
  const HsQuestion *question = hs_prediction_card_get_question (card);

  if (c->right_text != NULL)
    hs_prediction_card_set_text (card, right ? c->right_text : c->wrong_text);
  else
    {
      guint right_index, wrong_index;

      pick (question, &right_index, &wrong_index);
      hs_prediction_card_choose (card, right ? right_index : wrong_index, TRUE);
    }
}

static void
test_kind (HsTraceFixture *f,
           gconstpointer   data)
{
  const Case *c = data;
  GtkWidget *card = g_object_ref_sink (hs_prediction_card_new ());
  HsPredictionCard *self = HS_PREDICTION_CARD (card);
  guint right, asked;

  hs_prediction_card_set_score_key (self, c->source);

  /* Right: the truth is told, and the score counts it. */
  hs_prediction_card_set_question (self, ask (f, c));
  g_assert_true (hs_prediction_card_get_pending (self));
  answer (self, c, TRUE);
  g_assert_true (hs_prediction_card_check (self));
  g_assert_false (hs_prediction_card_get_pending (self));
  g_assert_true (g_str_has_prefix (hs_prediction_card_get_result (self), "Right. "));
  g_assert_true (g_str_has_suffix (hs_prediction_card_get_result (self),
                                   hs_prediction_card_get_question (self)->truth));
  /* One answer per question. */
  g_assert_false (hs_prediction_card_check (self));
  hs_prediction_card_get_score (self, &right, &asked);
  g_assert_cmpuint (right, ==, 1);
  g_assert_cmpuint (asked, ==, 1);

  /* Wrong: the same truth, and the score says so. */
  hs_prediction_card_set_question (self, ask (f, c));
  answer (self, c, FALSE);
  g_assert_false (hs_prediction_card_check (self));
  g_assert_true (g_str_has_prefix (hs_prediction_card_get_result (self), "Not quite. "));
  hs_prediction_card_get_score (self, &right, &asked);
  g_assert_cmpuint (right, ==, 1);
  g_assert_cmpuint (asked, ==, 2);

  /* Another lesson keeps its own score. */
  hs_prediction_card_set_score_key (self, "another");
  hs_prediction_card_get_score (self, &right, &asked);
  g_assert_cmpuint (asked, ==, 0);

  g_object_unref (card);
}

/* What the questions say is true of the trace. */
static void
test_truths (HsTraceFixture *f,
             gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, "a = [1]\nb = a\nc = 257\nd = a[:]\n");
  g_autoptr(HsSnapshot) alias = hs_test_step_at_line (trace, 2, 0);
  g_autoptr(HsSnapshot) constant = hs_test_step_at_line (trace, 3, 0);
  g_autoptr(HsSnapshot) copy = hs_test_step_at_line (trace, 4, 0);
  g_autoptr(HsQuestion) reused = hs_question_new (trace, hs_snapshot_get_index (alias), HS_QUESTION_NEW_OR_REUSED);
  g_autoptr(HsQuestion) unknown = hs_question_new (trace, hs_snapshot_get_index (constant), HS_QUESTION_NEW_OR_REUSED);
  g_autoptr(HsQuestion) fresh = hs_question_new (trace, hs_snapshot_get_index (copy), HS_QUESTION_NEW_OR_REUSED);
  g_autoptr(HsQuestion) last = hs_question_new (trace, hs_trace_get_n_steps (trace) - 1, -1);
  g_autoptr(HsQuestion) nothing_dropped = hs_question_new (trace, hs_snapshot_get_index (alias), HS_QUESTION_FREED);
  guint zero = 0, one = 1;

  /* b = a reuses the list; a[:] makes one. */
  g_assert_true (hs_question_check_choices (reused, &one, 1));
  g_assert_true (hs_question_check_choices (fresh, &zero, 1));
  /* 257 is held by the code's constants: the trace cannot tell it was
   * made by the line, so the question is not asked. */
  g_assert_null (unknown);
  /* A new name drops no reference: no question about what is freed. */
  g_assert_null (nothing_dropped);
  /* Nothing follows the last step. */
  g_assert_null (last);
}

/* A question with choices offers at least two, whatever the step: a
 * frame whose other names are all modules leaves "which object will x
 * point at" one choice, and then it is not asked. */
static void
test_two_choices (HsTraceFixture *f,
                  gconstpointer   data)
{
  static const char * const sources[] = {
    "import copy\nx = [1]\ny = copy.copy(x)\n",
    "x = [1]\nx = [2]\ndel x\n",
    "def f():\n    y = (1, 2)\n    return y\nz = f()\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      HsTrace *trace = hs_trace_fixture_run (f, sources[i]);

      for (guint step = 0; step < hs_trace_get_n_steps (trace); step++)
        for (int kind = -1; kind < HS_N_QUESTION_KINDS; kind++)
          {
            g_autoptr(HsQuestion) question = hs_question_new (trace, step, kind);

            if (question == NULL || question->answer != NULL)
              continue;
            g_test_message ("%s step %u: %s (%u choices)", sources[i], step, question->text,
                            question->choices->len);
            g_assert_cmpuint (question->choices->len, >=, 2);
          }
    }
}

static gboolean
is_visible_label_with (GtkWidget  *widget,
                       const char *text)
{
  GtkWidget *child;

  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (is_visible_label_with (child, text))
      return TRUE;
  return FALSE;
}

/* Check with nothing chosen tells the learner to choose, and waits. */
static void
test_check_unchosen (HsTraceFixture *f,
                     gconstpointer   data)
{
  GtkWidget *card = g_object_ref_sink (hs_prediction_card_new ());
  HsPredictionCard *self = HS_PREDICTION_CARD (card);
  guint asked;

  hs_prediction_card_set_question (self, ask (f, &cases[HS_QUESTION_IS]));
  g_assert_false (is_visible_label_with (card, "first"));
  g_assert_false (hs_prediction_card_check (self));
  g_assert_true (is_visible_label_with (card, "first"));
  g_assert_true (hs_prediction_card_get_pending (self));
  hs_prediction_card_get_score (self, NULL, &asked);
  g_assert_cmpuint (asked, ==, 0);
  g_object_unref (card);
}

/* `a == b` is asked only where the trace decides it, and says the truth. */
static void
test_equal_truths (HsTraceFixture *f,
                   gconstpointer   data)
{
  static const struct {
    const char *source;
    guint       line;
    int         equal;  /* 1 True, 0 False, -1 not asked */
  } equal_cases[] = {
    { "a = [1, 'x']\nb = a[:]\n", 2, 1 },
    { "a = [1, 'x']\nb = [1, 'y']\n", 2, 0 },
    { "a = [1, 2]\nb = (1, 2)\n", 2, 0 },
    { "a = 'x' * 70\nb = 'x' * 69 + 'y'\n", 2, -1 },  /* reprs cut at 60 */
    { "a = float('nan')\nb = a\n", 2, 0 },             /* nan != nan, even itself */
    { "a = 1\nb = 1.0\n", 2, -1 },                     /* mixed numbers */
    { "a = {1: 2}\nb = dict(a)\n", 2, -1 },            /* dicts are not read */
    { "a = -0.0\nb = 0.0\n", 2, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (equal_cases); i++)
    {
      HsTrace *trace = hs_trace_fixture_run (f, equal_cases[i].source);
      g_autoptr(HsSnapshot) before = hs_test_step_at_line (trace, equal_cases[i].line, 0);
      g_autoptr(HsQuestion) question = hs_question_new (trace, hs_snapshot_get_index (before), HS_QUESTION_EQUAL);
      guint true_choice = 0;

      g_test_message ("%s", equal_cases[i].source);
      if (equal_cases[i].equal < 0)
        {
          g_assert_null (question);
          continue;
        }
      g_assert_nonnull (question);
      g_assert_cmpstr (g_ptr_array_index (question->choices, 0), ==, "True");
      g_assert_cmpint (hs_question_check_choices (question, &true_choice, 1), ==, equal_cases[i].equal);
    }
}

int
main (int   argc,
      char *argv[])
{
  static const char * const names[] = {
    "output", "freed", "point-at", "new-or-reused", "is", "equal", "refcount",
  };

  gtk_test_init (&argc, &argv, NULL);
  hs_ui_register_resource ();

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == G_N_ELEMENTS (cases));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/prediction/%s", names[i]);

      g_test_add (path, HsTraceFixture, &cases[i],
                  hs_trace_fixture_setup, test_kind, hs_trace_fixture_teardown);
    }
  g_test_add ("/ui/prediction/equal-truths", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_equal_truths, hs_trace_fixture_teardown);
  g_test_add ("/ui/prediction/two-choices", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_two_choices, hs_trace_fixture_teardown);
  g_test_add ("/ui/prediction/check-unchosen", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_check_unchosen, hs_trace_fixture_teardown);
  g_test_add ("/ui/prediction/truths", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_truths, hs_trace_fixture_teardown);

  return g_test_run ();
}
