/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-lesson-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "hs-lesson-panel.h"

struct _HsLessonPanel
{
  GtkWidget   parent_instance;

  GtkLabel   *title_label;
  GtkLabel   *note_label;
  GtkLabel   *position_label;
  GtkToggleButton *predict_toggle;
  HsPredictionCard *prediction_card;

  HsLesson   *lesson;
  char       *text;
  int         note;
  GArray     *note_refs; /* guint32: what the note shown names */

  /* The note shown at each step of the trace seen last, filled as far as
   * the learner has stepped, so each step costs one snapshot. */
  HsTrace    *trace;
  GArray     *shown;     /* int */
  HsSnapshot *last;      /* the step shown->len - 1 */
  guint       step;
};

G_DEFINE_FINAL_TYPE (HsLessonPanel, hs_lesson_panel, GTK_TYPE_WIDGET)

/* The score of questions about the user's own snippets. */
#define SNIPPET_SCORE_KEY "snippet"

enum {
  PROP_0,
  PROP_LESSON,
  PROP_PREDICTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
hs_lesson_panel_new (void)
{
  return g_object_new (HS_TYPE_LESSON_PANEL, NULL);
}

static void
forget_trace (HsLessonPanel *self)
{
  g_assert (HS_IS_LESSON_PANEL (self));

  if (self->prediction_card != NULL)
    hs_prediction_card_set_question (self->prediction_card, NULL);
  g_clear_object (&self->trace);
  g_array_set_size (self->shown, 0);
  g_clear_pointer (&self->last, hs_snapshot_unref);
}

/* Without a lesson, the panel still asks questions about any snippet:
 * they come from the trace, not from the lesson. */
static void
show_snippet_mode (HsLessonPanel *self)
{
  g_assert (HS_IS_LESSON_PANEL (self));

  gtk_label_set_label (self->title_label, _("Predict the Next Step"));
  gtk_label_set_label (self->note_label,
                       _("Each question is made from this run: answer it, and the next step shows what really happened."));
  gtk_label_set_label (self->position_label, "");
  hs_prediction_card_set_score_key (self->prediction_card, SNIPPET_SCORE_KEY);
}

static void
update_visible (HsLessonPanel *self)
{
  g_assert (HS_IS_LESSON_PANEL (self));

  gtk_widget_set_visible (GTK_WIDGET (self),
                          self->lesson != NULL || gtk_toggle_button_get_active (self->predict_toggle));
}

/* snapshot: the step shown, whose objects the note's names link to;
 * NULL shows the note without links.  written: the step the note came up
 * at (see hs_lesson_markup_at()). */
static void
show_note (HsLessonPanel *self,
           int            note,
           HsSnapshot    *written,
           HsSnapshot    *snapshot)
{
  g_autofree char *markup = NULL;
  g_autofree char *position = NULL;
  guint n_notes;

  g_assert (HS_IS_LESSON_PANEL (self));
  g_assert (self->lesson != NULL);

  n_notes = hs_lesson_get_n_notes (self->lesson);
  self->note = note;
  g_free (self->text);
  if (note < 0)
    self->text = g_strdup (hs_lesson_get_summary (self->lesson));
  else
    self->text = g_strdup (hs_lesson_get_note (self->lesson, note, NULL, NULL));

  markup = hs_lesson_markup_at (self->text, written, snapshot);
  g_array_set_size (self->note_refs, 0);
  if (note >= 0)
    hs_lesson_note_refs (self->text, written, snapshot, self->note_refs);
  gtk_label_set_markup (self->note_label, markup);
  if (note >= 0)
    /* Translators: which of a lesson's notes is shown, e.g. "3 / 8" */
    position = g_strdup_printf (_("%d / %u"), note + 1, n_notes);
  gtk_label_set_label (self->position_label, position ? position : "");
}

/* A question about the step after the one shown, unless it is the one
 * already asked: showing the same step again keeps its answer. */
static void
ask (HsLessonPanel *self)
{
  const HsQuestion *asked;

  g_assert (HS_IS_LESSON_PANEL (self));

  if (!gtk_toggle_button_get_active (self->predict_toggle) || self->trace == NULL)
    {
      hs_prediction_card_set_question (self->prediction_card, NULL);
      return;
    }
  asked = hs_prediction_card_get_question (self->prediction_card);
  if (asked != NULL && asked->step == self->step)
    return;
  hs_prediction_card_set_question (self->prediction_card, hs_question_new (self->trace, self->step, -1));
}

static void
predict_toggled_cb (HsLessonPanel *self)
{
  gboolean active;

  g_assert (HS_IS_LESSON_PANEL (self));

  active = gtk_toggle_button_get_active (self->predict_toggle);
  gtk_widget_set_visible (GTK_WIDGET (self->prediction_card), active);
  if (self->lesson == NULL && active)
    show_snippet_mode (self);
  update_visible (self);
  hs_prediction_card_set_question (self->prediction_card, NULL);
  ask (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREDICTING]);
}

gboolean
hs_lesson_panel_get_predicting (HsLessonPanel *self)
{
  g_return_val_if_fail (HS_IS_LESSON_PANEL (self), FALSE);

  return gtk_toggle_button_get_active (self->predict_toggle);
}

void
hs_lesson_panel_set_predicting (HsLessonPanel *self,
                                gboolean       predicting)
{
  g_return_if_fail (HS_IS_LESSON_PANEL (self));

  gtk_toggle_button_set_active (self->predict_toggle, predicting);
}

HsPredictionCard *
hs_lesson_panel_get_prediction_card (HsLessonPanel *self)
{
  g_return_val_if_fail (HS_IS_LESSON_PANEL (self), NULL);

  return self->prediction_card;
}

/* Whether showing a later step than `step` of `trace` would give away the
 * answer to the open question. */
gboolean
hs_lesson_panel_blocks_step (HsLessonPanel *self,
                             HsTrace       *trace,
                             guint          step)
{
  const HsQuestion *question;

  g_return_val_if_fail (HS_IS_LESSON_PANEL (self), FALSE);

  question = hs_prediction_card_get_question (self->prediction_card);
  return hs_lesson_panel_get_predicting (self) &&
         trace == self->trace &&
         question != NULL && question->step == step &&
         hs_prediction_card_get_pending (self->prediction_card);
}

HsLesson *
hs_lesson_panel_get_lesson (HsLessonPanel *self)
{
  g_return_val_if_fail (HS_IS_LESSON_PANEL (self), NULL);

  return self->lesson;
}

void
hs_lesson_panel_set_lesson (HsLessonPanel *self,
                            HsLesson      *lesson)
{
  g_return_if_fail (HS_IS_LESSON_PANEL (self));
  g_return_if_fail (lesson == NULL || HS_IS_LESSON (lesson));

  if (!g_set_object (&self->lesson, lesson))
    return;

  forget_trace (self);
  update_visible (self);
  if (lesson != NULL)
    {
      gtk_label_set_label (self->title_label, hs_lesson_get_title (lesson));
      show_note (self, -1, NULL, NULL);
      hs_prediction_card_set_score_key (self->prediction_card, hs_lesson_get_id (lesson));
    }
  else
    {
      g_clear_pointer (&self->text, g_free);
      self->note = -1;
      show_snippet_mode (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LESSON]);
}

/* Fills the note of every step up to this one that has not been seen. */
static void
extend_to (HsLessonPanel *self,
           guint          step)
{
  g_assert (HS_IS_LESSON_PANEL (self));
  g_assert (step < hs_trace_get_n_steps (self->trace));

  while (self->shown->len <= step)
    {
      HsSnapshot *snapshot = hs_trace_get_snapshot (self->trace, self->shown->len);
      int match = hs_lesson_match (self->lesson, self->last, snapshot);

      if (match < 0 && self->shown->len > 0)
        match = g_array_index (self->shown, int, self->shown->len - 1);
      g_array_append_val (self->shown, match);
      g_clear_pointer (&self->last, hs_snapshot_unref);
      self->last = snapshot;
    }
}

void
hs_lesson_panel_show_step (HsLessonPanel *self,
                           HsTrace       *trace,
                           guint          step)
{
  g_return_if_fail (HS_IS_LESSON_PANEL (self));
  g_return_if_fail (trace == NULL || HS_IS_TRACE (trace));

  if (self->lesson == NULL && !hs_lesson_panel_get_predicting (self))
    return;

  if (trace != self->trace)
    {
      forget_trace (self);
      g_set_object (&self->trace, trace);
    }

  if (trace == NULL || step >= hs_trace_get_n_steps (trace))
    {
      if (self->lesson != NULL)
        show_note (self, -1, NULL, NULL);
      return;
    }

  if (self->lesson != NULL)
    {
      g_autoptr(HsSnapshot) snapshot = NULL;
      g_autoptr(HsSnapshot) written = NULL;
      int note;
      guint first;

      extend_to (self, step);
      note = g_array_index (self->shown, int, step);
      /* The names link to this step's objects, the ones the graph draws;
       * stepping forward, extend_to() has just made that snapshot */
      if (self->last != NULL && hs_snapshot_get_index (self->last) == step)
        snapshot = hs_snapshot_ref (self->last);
      else
        snapshot = hs_trace_get_snapshot (trace, step);
      /* ... where they still mean what they meant where the note came up */
      for (first = step; first > 0 && g_array_index (self->shown, int, first - 1) == note; first--)
        ;
      written = first == step ? hs_snapshot_ref (snapshot) : hs_trace_get_snapshot (trace, first);
      show_note (self, note, written, snapshot);
    }
  self->step = step;
  ask (self);
}

/* The objects the note shown names, at the step shown */
const guint32 *
hs_lesson_panel_get_note_refs (HsLessonPanel *self,
                               guint         *n_refs)
{
  g_return_val_if_fail (HS_IS_LESSON_PANEL (self), NULL);
  g_return_val_if_fail (n_refs != NULL, NULL);

  *n_refs = self->lesson != NULL ? self->note_refs->len : 0;
  return (const guint32 *) (gpointer) self->note_refs->data;
}

int
hs_lesson_panel_get_note_index (HsLessonPanel *self)
{
  g_return_val_if_fail (HS_IS_LESSON_PANEL (self), -1);

  return self->note;
}

const char *
hs_lesson_panel_get_text (HsLessonPanel *self)
{
  g_return_val_if_fail (HS_IS_LESSON_PANEL (self), NULL);

  return self->text;
}

/* A name in the note was clicked, or activated with Enter: the window
 * selects what it names and brings it into view (win.show-object). */
static gboolean
note_link_cb (HsLessonPanel *self,
              const char    *uri)
{
  guint32 ref;

  g_assert (HS_IS_LESSON_PANEL (self));

  if (hs_lesson_parse_link (uri, &ref))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-object", "u", ref);
  /* A note links to nothing else: never hand a URI to a browser */
  return TRUE;
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  g_assert (HS_IS_LESSON_PANEL (widget));

  hs_lesson_panel_set_lesson (HS_LESSON_PANEL (widget), NULL);
  hs_lesson_panel_set_predicting (HS_LESSON_PANEL (widget), FALSE);
}

static void
hs_lesson_panel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HsLessonPanel *self = HS_LESSON_PANEL (object);

  switch (prop_id)
    {
    case PROP_LESSON:
      g_value_set_object (value, self->lesson);
      break;

    case PROP_PREDICTING:
      g_value_set_boolean (value, hs_lesson_panel_get_predicting (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_lesson_panel_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HsLessonPanel *self = HS_LESSON_PANEL (object);

  switch (prop_id)
    {
    case PROP_LESSON:
      hs_lesson_panel_set_lesson (self, g_value_get_object (value));
      break;

    case PROP_PREDICTING:
      hs_lesson_panel_set_predicting (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_lesson_panel_dispose (GObject *object)
{
  HsLessonPanel *self = HS_LESSON_PANEL (object);
  GtkWidget *child;

  forget_trace (self);
  g_clear_object (&self->lesson);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_LESSON_PANEL);
  /* The template's box is not a bound child: let go of it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hs_lesson_panel_parent_class)->dispose (object);
}

static void
hs_lesson_panel_finalize (GObject *object)
{
  HsLessonPanel *self = HS_LESSON_PANEL (object);

  g_free (self->text);
  g_array_unref (self->shown);
  g_array_unref (self->note_refs);

  G_OBJECT_CLASS (hs_lesson_panel_parent_class)->finalize (object);
}

static void
hs_lesson_panel_class_init (HsLessonPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hs_lesson_panel_get_property;
  object_class->set_property = hs_lesson_panel_set_property;
  object_class->dispose = hs_lesson_panel_dispose;
  object_class->finalize = hs_lesson_panel_finalize;

  properties[PROP_LESSON] =
    g_param_spec_object ("lesson", NULL, NULL,
                         HS_TYPE_LESSON,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PREDICTING] =
    g_param_spec_boolean ("predicting", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heapscope/Heapscope/hs-lesson-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, HsLessonPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, HsLessonPanel, note_label);
  gtk_widget_class_bind_template_child (widget_class, HsLessonPanel, position_label);
  gtk_widget_class_bind_template_child (widget_class, HsLessonPanel, predict_toggle);
  gtk_widget_class_bind_template_child (widget_class, HsLessonPanel, prediction_card);
  gtk_widget_class_bind_template_callback (widget_class, predict_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, note_link_cb);
  gtk_widget_class_install_action (widget_class, "lesson.close", NULL, close_action);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hs_lesson_panel_init (HsLessonPanel *self)
{
  g_type_ensure (HS_TYPE_PREDICTION_CARD);
  self->note = -1;
  self->shown = g_array_new (FALSE, FALSE, sizeof (int));
  self->note_refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  gtk_widget_init_template (GTK_WIDGET (self));
}
