/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A handout: every step of a run on its own PDF page, the program with
 * the current line marked beside the graph, and the lesson's note for the
 * step when the program is a lesson.
 */
#pragma once

#include <gio/gio.h>

#include "hs-lesson.h"
#include "hs-renderer.h"
#include "hs-trace.h"

G_BEGIN_DECLS

/* The lesson whose notes go with PROGRAM: LESSON.lesson beside
 * LESSON.py, as in data/lessons/; NULL when there is none. */
HsLesson *hs_cli_handout_find_lesson (const char            *program,
                                      const char            *source,
                                      GError               **error);

gboolean  hs_cli_handout_write       (HsTrace               *trace,
                                      const char            *title,
                                      const char            *source,
                                      HsLesson              *lesson,
                                      const HsRenderOptions *options,
                                      gboolean               every_object,
                                      const char            *filename,
                                      GError               **error);

G_END_DECLS
