/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-prediction-card"

#include "config.h"

#include <glib/gi18n.h>

#include "hs-prediction-card.h"

typedef struct
{
  guint right;
  guint asked;
} Score;

struct _HsPredictionCard
{
  GtkWidget    parent_instance;

  GtkLabel    *question_label;
  GtkLabel    *score_label;
  GtkFlowBox  *choices_box;
  GtkEntry    *answer_entry;
  GtkWidget   *check_button;
  GtkLabel    *result_label;

  HsQuestion  *question;
  GPtrArray   *checks;      /* GtkCheckButton, one per choice */
  gboolean     answered;
  char        *result;
  GHashTable  *scores;      /* lesson id → Score */
  char        *score_key;
};

G_DEFINE_FINAL_TYPE (HsPredictionCard, hs_prediction_card, GTK_TYPE_WIDGET)

GtkWidget *
hs_prediction_card_new (void)
{
  return g_object_new (HS_TYPE_PREDICTION_CARD, NULL);
}

static Score *
current_score (HsPredictionCard *self)
{
  const char *key = self->score_key ? self->score_key : "";
  Score *score;

  g_assert (HS_IS_PREDICTION_CARD (self));

  if (!(score = g_hash_table_lookup (self->scores, key)))
    {
      score = g_new0 (Score, 1);
      g_hash_table_insert (self->scores, g_strdup (key), score);
    }
  return score;
}

static void
update_score (HsPredictionCard *self)
{
  Score *score = current_score (self);
  g_autofree char *label = NULL;

  g_assert (HS_IS_PREDICTION_CARD (self));

  /* Translators: the learner's score, e.g. "Score 3 / 5" */
  label = g_strdup_printf (_("Score %u / %u"), score->right, score->asked);
  gtk_label_set_label (self->score_label, label);
}

static void
clear_choices (HsPredictionCard *self)
{
  GtkWidget *child;

  g_assert (HS_IS_PREDICTION_CARD (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->choices_box))))
    gtk_flow_box_remove (self->choices_box, child);
  g_ptr_array_set_size (self->checks, 0);
}

void
hs_prediction_card_set_question (HsPredictionCard *self,
                                 HsQuestion       *question)
{
  GtkCheckButton *group = NULL;

  g_return_if_fail (HS_IS_PREDICTION_CARD (self));

  g_clear_pointer (&self->question, hs_question_free);
  g_clear_pointer (&self->result, g_free);
  self->question = question;
  self->answered = FALSE;
  clear_choices (self);
  gtk_editable_set_text (GTK_EDITABLE (self->answer_entry), "");
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), FALSE);
  update_score (self);

  if (question == NULL)
    {
      gtk_label_set_label (self->question_label, _("No question about this step: step on."));
      gtk_widget_set_visible (GTK_WIDGET (self->choices_box), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->answer_entry), FALSE);
      gtk_widget_set_visible (self->check_button, FALSE);
      return;
    }

  gtk_label_set_label (self->question_label, question->text);
  for (guint i = 0; i < question->choices->len; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (g_ptr_array_index (question->choices, i));

      /* One answer: radio buttons; any number: check boxes. */
      if (!question->multiple)
        {
          if (group != NULL)
            gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
          else
            group = GTK_CHECK_BUTTON (check);
        }
      gtk_flow_box_append (self->choices_box, check);
      g_ptr_array_add (self->checks, check);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->choices_box), question->choices->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->answer_entry), question->choices->len == 0);
  gtk_widget_set_visible (self->check_button, TRUE);
  gtk_widget_set_sensitive (self->check_button, TRUE);
}

const HsQuestion *
hs_prediction_card_get_question (HsPredictionCard *self)
{
  g_return_val_if_fail (HS_IS_PREDICTION_CARD (self), NULL);

  return self->question;
}

/* A question waits for its answer before the step may be shown. */
gboolean
hs_prediction_card_get_pending (HsPredictionCard *self)
{
  g_return_val_if_fail (HS_IS_PREDICTION_CARD (self), FALSE);

  return self->question != NULL && !self->answered;
}

void
hs_prediction_card_set_score_key (HsPredictionCard *self,
                                  const char       *key)
{
  g_return_if_fail (HS_IS_PREDICTION_CARD (self));

  g_free (self->score_key);
  self->score_key = g_strdup (key);
  update_score (self);
}

void
hs_prediction_card_choose (HsPredictionCard *self,
                           guint             index,
                           gboolean          chosen)
{
  g_return_if_fail (HS_IS_PREDICTION_CARD (self));
  g_return_if_fail (index < self->checks->len);

  gtk_check_button_set_active (g_ptr_array_index (self->checks, index), chosen);
}

void
hs_prediction_card_set_text (HsPredictionCard *self,
                             const char       *text)
{
  g_return_if_fail (HS_IS_PREDICTION_CARD (self));

  gtk_editable_set_text (GTK_EDITABLE (self->answer_entry), text);
}

/* Checks the answer against the trace, once, and tells the truth. */
gboolean
hs_prediction_card_check (HsPredictionCard *self)
{
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (guint));
  Score *score;
  gboolean right;

  g_return_val_if_fail (HS_IS_PREDICTION_CARD (self), FALSE);

  if (self->question == NULL || self->answered)
    return FALSE;

  if (self->question->choices->len > 0)
    {
      for (guint i = 0; i < self->checks->len; i++)
        if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
          g_array_append_val (chosen, i);
      if (chosen->len == 0)
        {
          /* Not an answer yet: say what is missing, and wait for one. */
          gtk_label_set_label (self->result_label,
                               self->question->multiple ? _("Tick the objects you predict first, then Check.")
                                                        : _("Choose an answer first, then Check."));
          gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "success");
          gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "error");
          gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "warning");
          gtk_widget_set_visible (GTK_WIDGET (self->result_label), TRUE);
          return FALSE;
        }
      right = hs_question_check_choices (self->question, (const guint *) chosen->data, chosen->len);
    }
  else
    right = hs_question_check_text (self->question,
                                    gtk_editable_get_text (GTK_EDITABLE (self->answer_entry)));

  self->answered = TRUE;
  score = current_score (self);
  score->asked++;
  if (right)
    score->right++;
  update_score (self);

  g_free (self->result);
  self->result = right ? g_strdup_printf (_("Right. %s"), self->question->truth)
                       : g_strdup_printf (_("Not quite. %s"), self->question->truth);
  gtk_label_set_label (self->result_label, self->result);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), right ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->result_label), right ? "success" : "error");
  gtk_widget_set_sensitive (self->check_button, FALSE);
  return right;
}

const char *
hs_prediction_card_get_result (HsPredictionCard *self)
{
  g_return_val_if_fail (HS_IS_PREDICTION_CARD (self), NULL);

  return self->result;
}

void
hs_prediction_card_get_score (HsPredictionCard *self,
                              guint            *right,
                              guint            *asked)
{
  Score *score;

  g_return_if_fail (HS_IS_PREDICTION_CARD (self));

  score = current_score (self);
  if (right != NULL)
    *right = score->right;
  if (asked != NULL)
    *asked = score->asked;
}

static void
check_clicked_cb (HsPredictionCard *self)
{
  g_assert (HS_IS_PREDICTION_CARD (self));

  hs_prediction_card_check (self);
}

static void
hs_prediction_card_dispose (GObject *object)
{
  HsPredictionCard *self = HS_PREDICTION_CARD (object);
  GtkWidget *child;

  g_clear_pointer (&self->question, hs_question_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_PREDICTION_CARD);
  /* The template's box is not a bound child: let go of it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hs_prediction_card_parent_class)->dispose (object);
}

static void
hs_prediction_card_finalize (GObject *object)
{
  HsPredictionCard *self = HS_PREDICTION_CARD (object);

  g_ptr_array_unref (self->checks);
  g_hash_table_unref (self->scores);
  g_free (self->score_key);
  g_free (self->result);

  G_OBJECT_CLASS (hs_prediction_card_parent_class)->finalize (object);
}

static void
hs_prediction_card_class_init (HsPredictionCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_prediction_card_dispose;
  object_class->finalize = hs_prediction_card_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heapscope/Heapscope/hs-prediction-card.ui");
  gtk_widget_class_bind_template_child (widget_class, HsPredictionCard, question_label);
  gtk_widget_class_bind_template_child (widget_class, HsPredictionCard, score_label);
  gtk_widget_class_bind_template_child (widget_class, HsPredictionCard, choices_box);
  gtk_widget_class_bind_template_child (widget_class, HsPredictionCard, answer_entry);
  gtk_widget_class_bind_template_child (widget_class, HsPredictionCard, check_button);
  gtk_widget_class_bind_template_child (widget_class, HsPredictionCard, result_label);
  gtk_widget_class_bind_template_callback (widget_class, check_clicked_cb);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hs_prediction_card_init (HsPredictionCard *self)
{
  self->checks = g_ptr_array_new ();
  self->scores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}
