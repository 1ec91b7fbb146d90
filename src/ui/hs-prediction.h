/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A question about the next step, made from the real trace before the
 * step is shown, and checked against it afterwards.
 */
#pragma once

#include <glib.h>

#include "hs-trace.h"

G_BEGIN_DECLS

typedef enum
{
  HS_QUESTION_OUTPUT,        /* what will be printed */
  HS_QUESTION_FREED,         /* which objects will be freed */
  HS_QUESTION_POINT_AT,      /* which object will this name point at */
  HS_QUESTION_NEW_OR_REUSED, /* a new object, or one that exists */
  HS_QUESTION_IS,            /* what will `a is b` be */
  HS_QUESTION_EQUAL,         /* what will `a == b` be */
  HS_QUESTION_REFCOUNT,      /* what will the refcount be */
  HS_N_QUESTION_KINDS
} HsQuestionKind;

typedef struct
{
  HsQuestionKind  kind;
  guint           step;       /* asked at this step, about the next */
  char           *text;
  GPtrArray      *choices;    /* char *; empty when the answer is typed */
  gboolean        multiple;   /* any number of choices may be right */
  GArray         *right;      /* guint: indexes of the right choices */
  char           *answer;     /* the typed answer that is right */
  char           *truth;      /* what happened, said after the answer */
} HsQuestion;

HsQuestion   *hs_question_new            (HsTrace          *trace,
                                          guint             step,
                                          int               kind);
void          hs_question_free           (HsQuestion       *question);
gboolean      hs_question_check_choices  (const HsQuestion *question,
                                          const guint      *chosen,
                                          guint             n_chosen);
gboolean      hs_question_check_text     (const HsQuestion *question,
                                          const char       *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsQuestion, hs_question_free)

G_END_DECLS
