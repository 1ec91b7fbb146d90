/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The compare view (issue 11): one snippet run under two interpreters,
 * their graphs side by side at aligned steps, and the list of what
 * differs at the current step (hs-trace-compare.c decides what).
 */
#pragma once

#include <adwaita.h>

#include "hs-trace-compare.h"

G_BEGIN_DECLS

#define HS_TYPE_COMPARE_WINDOW (hs_compare_window_get_type ())

G_DECLARE_FINAL_TYPE (HsCompareWindow, hs_compare_window, HS, COMPARE_WINDOW, AdwWindow)

/* path: a saved file to run where it is, with text when it was edited
 * (run as if saved), or NULL to run text from a copy.
 * The view opens at start_step of the left run, or with
 * HS_TRACE_COMPARE_NONE at the first step that differs. */
GtkWindow         *hs_compare_window_new            (GtkWindow       *parent,
                                                     const char      *title,
                                                     const char      *path,
                                                     const char      *text,
                                                     const char      *left_version,
                                                     const char      *right_version,
                                                     guint            max_elements,
                                                     guint            start_step);
void               hs_compare_window_set_versions   (HsCompareWindow *self,
                                                     const char      *left_version,
                                                     const char      *right_version);

/* For tests */
gboolean           hs_compare_window_get_busy       (HsCompareWindow *self);
HsTraceComparison *hs_compare_window_get_comparison (HsCompareWindow *self);
guint              hs_compare_window_get_pair       (HsCompareWindow *self);
void               hs_compare_window_show_pair      (HsCompareWindow *self,
                                                     guint            pair);
guint              hs_compare_window_get_n_rows     (HsCompareWindow *self);

void               hs_compare_window_end_session    (HsCompareWindow *self);

G_END_DECLS
