/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A lesson: a Python snippet and short notes tied to its steps, loaded
 * from the app's resources (data/lessons/ID.lesson and ID.py). The notes
 * are translated through gettext when the lesson loads.
 */
#pragma once

#include <glib-object.h>

#include "hs-trace.h"

G_BEGIN_DECLS

#define HS_TYPE_LESSON (hs_lesson_get_type ())

G_DECLARE_FINAL_TYPE (HsLesson, hs_lesson, HS, LESSON, GObject)

#define HS_LESSON_ERROR (hs_lesson_error_quark ())

typedef enum
{
  HS_LESSON_ERROR_NOT_FOUND,
  HS_LESSON_ERROR_INVALID,
} HsLessonError;

/* When a note shows: at the first step, at the end, when a line is about
 * to run, or once it has run. */
typedef enum
{
  HS_LESSON_AT_START,
  HS_LESSON_AT_END,
  HS_LESSON_LINE,
  HS_LESSON_AFTER,
} HsLessonWhen;

GQuark        hs_lesson_error_quark     (void);
HsLesson     *hs_lesson_load            (const char   *id,
                                         GError      **error);
HsLesson     *hs_lesson_new_from_data   (const char   *id,
                                         const char   *xml,
                                         gssize        length,
                                         const char   *code,
                                         GError      **error);
GPtrArray    *hs_lesson_list_all        (void);

const char   *hs_lesson_get_id          (HsLesson     *self);
const char   *hs_lesson_get_title       (HsLesson     *self);
const char   *hs_lesson_get_summary     (HsLesson     *self);
const char   *hs_lesson_get_code        (HsLesson     *self);
gboolean      hs_lesson_get_every_object (HsLesson    *self);
void          hs_lesson_note_refs       (const char   *note,
                                         HsSnapshot   *written,
                                         HsSnapshot   *snapshot,
                                         GArray       *refs);
guint         hs_lesson_get_n_notes     (HsLesson     *self);
const char   *hs_lesson_get_note        (HsLesson     *self,
                                         guint         index,
                                         HsLessonWhen *when,
                                         guint        *line);
int           hs_lesson_match           (HsLesson     *self,
                                         HsSnapshot   *previous,
                                         HsSnapshot   *snapshot);
int           hs_lesson_note_at_step    (HsLesson     *self,
                                         HsTrace      *trace,
                                         guint         step);

char         *hs_lesson_markup          (const char   *note);
char         *hs_lesson_markup_at       (const char   *note,
                                         HsSnapshot   *written,
                                         HsSnapshot   *snapshot);
gboolean      hs_lesson_resolve_name    (HsSnapshot   *snapshot,
                                         const char   *name,
                                         guint32      *ref);
gboolean      hs_lesson_parse_link      (const char   *uri,
                                         guint32      *ref);

G_END_DECLS
