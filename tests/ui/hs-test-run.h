/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the window tests share (test-window.c, test-graph-view.c,
 * test-playback.c, test-presentation.c, test-lesson-window.c): the
 * application they open windows in, waiting on the main loop for a
 * condition, and opening, running and closing a window.
 */
#pragma once

#include "hs-application.h"
#include "hs-window-private.h"

G_BEGIN_DECLS

/* Far above anything a loaded machine or a sanitizer build needs: what
 * it catches is a condition that never comes. */
#define HS_TEST_TIMEOUT_MS 60000

/* How many frames in a row the graph keeps its size and rests before
 * hs_test_settle() returns: a resize comes one frame after what caused
 * it, and a refit two frames after the resize */
#define HS_TEST_SETTLED_FRAMES 3

typedef gboolean (*HsTestCondition) (gpointer data);

/* The fixture of a test that works in one window. */
typedef struct
{
  HsWindow *window;
} HsTestFixture;

/* What hs_test_window_run_setup() runs: a snippet and its title. */
typedef struct
{
  const char *source;
  const char *title;
} HsTestProgram;

HsApplication *hs_test_init             (int             *argc,
                                         char          ***argv);
int            hs_test_run              (HsApplication   *app);
/* Whether the index-th case of a family runs in this process: with
 * HS_TEST_SHARD="K/N" in the environment, the cases whose index is K
 * modulo N, so that N processes run a long family side by side; without
 * it, every case. */
gboolean       hs_test_in_shard         (guint            index);
gboolean       hs_test_wait_until       (HsTestCondition  condition,
                                         gpointer         data);
gboolean       hs_test_window_is_idle   (gpointer         data);
void           hs_test_wait_idle        (HsWindow        *window);
void           hs_test_settle           (HsWindow        *window);
void           hs_test_wait_frames      (GtkWidget       *widget,
                                         guint            n);
gboolean       hs_test_widget_is_mapped (gpointer         data);
gboolean       hs_test_flap_folded      (gpointer         flap);
gboolean       hs_test_flap_unfolded    (gpointer         flap);
void           hs_test_activate         (HsWindow        *window,
                                         const char      *action);
gboolean       hs_test_press_keys       (GtkWindow       *window,
                                         const char      *keys);
typedef gboolean (*HsTestWidgetMatch) (GtkWidget     *widget,
                                       gconstpointer  data);

GtkWidget     *hs_test_find_widget      (GtkWidget       *widget,
                                         HsTestWidgetMatch match,
                                         gconstpointer    data);
GtkWidget     *hs_test_find_named       (GtkWidget       *widget,
                                         const char      *name);
GtkWidget     *hs_test_find_label       (GtkWidget       *widget,
                                         const char      *prefix);
GtkWidget     *hs_test_find_action      (GtkWidget       *widget,
                                         const char      *action);
gpointer       hs_test_find_controller  (GtkWidget       *widget,
                                         GType            type);
guint          hs_test_line_step        (HsWindow        *window,
                                         guint            line);
HsWindow      *hs_test_window_new_sized (int              width,
                                         int              height,
                                         const char      *example);
HsWindow      *hs_test_window_new_run   (const char      *source,
                                         const char      *title);
void           hs_test_window_close     (HsWindow        *window);
void           hs_test_save_run         (HsWindow        *window,
                                         GFile           *file);
gboolean       hs_test_rect_inside      (const HsRect    *inner,
                                         const HsRect    *outer);
void           hs_test_save_shot        (GtkWidget       *widget,
                                         const char      *name);
void           hs_test_window_run_setup (HsTestFixture   *f,
                                         gconstpointer    program);
void           hs_test_window_run_teardown (HsTestFixture *f,
                                            gconstpointer  program);

G_END_DECLS
