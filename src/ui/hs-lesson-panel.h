/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The strip above the graph that shows the open lesson's note for the
 * current step.
 */
#pragma once

#include <gtk/gtk.h>

#include "hs-lesson.h"
#include "hs-prediction-card.h"

G_BEGIN_DECLS

#define HS_TYPE_LESSON_PANEL (hs_lesson_panel_get_type ())

G_DECLARE_FINAL_TYPE (HsLessonPanel, hs_lesson_panel, HS, LESSON_PANEL, GtkWidget)

GtkWidget    *hs_lesson_panel_new            (void);
HsLesson     *hs_lesson_panel_get_lesson     (HsLessonPanel *self);
void          hs_lesson_panel_set_lesson     (HsLessonPanel *self,
                                              HsLesson      *lesson);
void          hs_lesson_panel_show_step      (HsLessonPanel *self,
                                              HsTrace       *trace,
                                              guint          step);
int           hs_lesson_panel_get_note_index (HsLessonPanel *self);
const guint32 *hs_lesson_panel_get_note_refs (HsLessonPanel *self,
                                              guint         *n_refs);
const char   *hs_lesson_panel_get_text       (HsLessonPanel *self);
gboolean      hs_lesson_panel_get_predicting (HsLessonPanel *self);
void          hs_lesson_panel_set_predicting (HsLessonPanel *self,
                                              gboolean       predicting);
HsPredictionCard *hs_lesson_panel_get_prediction_card (HsLessonPanel *self);
gboolean      hs_lesson_panel_blocks_step    (HsLessonPanel *self,
                                              HsTrace       *trace,
                                              guint          step);

G_END_DECLS
