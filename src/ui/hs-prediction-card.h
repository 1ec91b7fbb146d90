/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Predict the next step: the question about what the next step will do,
 * the learner's answer, the truth once answered, and a score per lesson.
 */
#pragma once

#include <gtk/gtk.h>

#include "hs-prediction.h"

G_BEGIN_DECLS

#define HS_TYPE_PREDICTION_CARD (hs_prediction_card_get_type ())

G_DECLARE_FINAL_TYPE (HsPredictionCard, hs_prediction_card, HS, PREDICTION_CARD, GtkWidget)

GtkWidget        *hs_prediction_card_new           (void);
void              hs_prediction_card_set_question  (HsPredictionCard *self,
                                                    HsQuestion       *question);
const HsQuestion *hs_prediction_card_get_question  (HsPredictionCard *self);
gboolean          hs_prediction_card_get_pending   (HsPredictionCard *self);
void              hs_prediction_card_set_score_key (HsPredictionCard *self,
                                                    const char       *key);
void              hs_prediction_card_choose        (HsPredictionCard *self,
                                                    guint             index,
                                                    gboolean          chosen);
void              hs_prediction_card_set_text      (HsPredictionCard *self,
                                                    const char       *text);
gboolean          hs_prediction_card_check         (HsPredictionCard *self);
const char       *hs_prediction_card_get_result    (HsPredictionCard *self);
void              hs_prediction_card_get_score     (HsPredictionCard *self,
                                                    guint            *right,
                                                    guint            *asked);

G_END_DECLS
