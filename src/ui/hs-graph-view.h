/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The reference graph of one step.  Layout runs in a thread; the picture
 * is recorded once into a render node and only selection and hover are
 * drawn on top each frame.  Changing the step animates on the frame clock.
 */
#pragma once

#include <gtk/gtk.h>

#include "hs-layout.h"
#include "hs-snapshot-focus.h"
#include "hs-trace.h"

G_BEGIN_DECLS

#define HS_TYPE_GRAPH_VIEW (hs_graph_view_get_type ())

G_DECLARE_FINAL_TYPE (HsGraphView, hs_graph_view, HS, GRAPH_VIEW, GtkWidget)

GtkWidget  *hs_graph_view_new                (void);
void        hs_graph_view_set_step           (HsGraphView  *self,
                                              HsTrace      *trace,
                                              HsSnapshot   *snapshot,
                                              gboolean      animate);
HsSnapshot *hs_graph_view_get_snapshot       (HsGraphView  *self);
HsLayout   *hs_graph_view_get_layout         (HsGraphView  *self);
gboolean    hs_graph_view_get_busy           (HsGraphView  *self);

double      hs_graph_view_get_zoom           (HsGraphView  *self);
void        hs_graph_view_set_zoom           (HsGraphView  *self,
                                              double        zoom);
void        hs_graph_view_zoom_in            (HsGraphView  *self);
void        hs_graph_view_zoom_out           (HsGraphView  *self);
void        hs_graph_view_zoom_fit           (HsGraphView  *self);
void        hs_graph_view_frame_step         (HsGraphView  *self);
/* Following, every step frames the current frame and what its line
 * changed; moving the view by hand stops it, Fit starts it again. */
gboolean    hs_graph_view_get_follow         (HsGraphView  *self);
void        hs_graph_view_set_follow         (HsGraphView  *self,
                                              gboolean      follow);
/* The camera's bounds while following: box text at least readable-text-px
 * on screen, and no closer than max-follow-zoom unless that needs it. */
double      hs_graph_view_get_readable_text_px (HsGraphView *self);
void        hs_graph_view_set_readable_text_px (HsGraphView *self,
                                                double       px);
double      hs_graph_view_get_max_follow_zoom  (HsGraphView *self);
void        hs_graph_view_set_max_follow_zoom  (HsGraphView *self,
                                                double       zoom);
/* Every object a box, scalars too (Show Every Object); FALSE draws
 * scalars inside their slots */
gboolean    hs_graph_view_get_every_object   (HsGraphView  *self);
void        hs_graph_view_set_every_object   (HsGraphView  *self,
                                              gboolean      every_object);
/* Scalars the window makes the subject (the watched object, what the
 * lesson's note names): drawn as boxes with their arrows, as the
 * selection's are, from the next hs_graph_view_set_step() or change of
 * the selection on */
void        hs_graph_view_set_subjects       (HsGraphView   *self,
                                              const guint32 *refs,
                                              guint          n_refs);
gboolean    hs_graph_view_get_show_hidden_references (HsGraphView *self);
void        hs_graph_view_set_show_hidden_references (HsGraphView *self,
                                                      gboolean     show);

/* Up to two selected objects; a selected variable also selects its object.
 * "selection-changed" has the detail "user" when a click changed it
 * ("selection-changed::user"), none when the program did. */
guint       hs_graph_view_get_selection      (HsGraphView  *self,
                                              guint32       refs[2],
                                              const char   *names[2]);
const char *hs_graph_view_get_selected_variable (HsGraphView *self);
gboolean    hs_graph_view_select_variable    (HsGraphView  *self,
                                              const char   *name,
                                              gboolean      extend);
void        hs_graph_view_select_object      (HsGraphView  *self,
                                              guint32       ref,
                                              gboolean      extend);
void        hs_graph_view_unselect_all       (HsGraphView  *self);
/* Outlines these objects besides the selection, until it changes:
 * Select All Holders.  refs may be NULL to outline none. */
void        hs_graph_view_set_highlight      (HsGraphView   *self,
                                              const guint32 *refs,
                                              guint          n_refs);
const guint32 *hs_graph_view_get_highlight   (HsGraphView   *self,
                                              guint         *n_refs);
/* Draws only what ref reaches, or what reaches it, and leaves out the
 * library's modules, classes and functions (user_modules are the
 * program's own); the step is unchanged.  Lays the step out again. */
void        hs_graph_view_set_focus          (HsGraphView        *self,
                                              HsFocusKind         kind,
                                              guint32             ref,
                                              gboolean            hide_library,
                                              const char * const *user_modules);
const HsFocus *hs_graph_view_get_focus       (HsGraphView        *self);
/* Moves the view to show ref, as search does, and stops following */
void        hs_graph_view_reveal_object      (HsGraphView  *self,
                                              guint32       ref);

void        hs_graph_view_set_presentation   (HsGraphView  *self,
                                              double        line_scale,
                                              gboolean      high_contrast,
                                              gboolean      hide_changes);
gboolean    hs_graph_view_get_hide_changes   (HsGraphView  *self);

/* "… N more" in a container's box: show up to HS_GRAPH_VIEW_MORE_CELLS
 * more of the entries the step holds, at this step and the next.  When
 * the step holds no more (the runtime's element cap left them out),
 * ask the window to run again with a higher cap: the action
 * "win.raise-element-cap" with the cap as a "u".  FALSE when neither is
 * possible. */
#define HS_GRAPH_VIEW_MORE_CELLS 50
/* The element-cap setting's maximum (the GSettings schema's range) */
#define HS_GRAPH_VIEW_MAX_ELEMENT_CAP 10000
gboolean    hs_graph_view_show_more          (HsGraphView  *self,
                                              guint32       ref);
/* How many entries of ref are shown beyond the layout's first ones */
guint       hs_graph_view_get_more_cells     (HsGraphView  *self,
                                              guint32       ref);

gboolean    hs_graph_view_export             (HsGraphView  *self,
                                              const char   *filename,
                                              GError      **error);

/* For tests: what is in view, in layout units; the zoom below which box
 * text is too small to read; and an end to every glide, at once. */
void        hs_graph_view_get_visible_rect   (HsGraphView  *self,
                                              HsRect       *out);
double      hs_graph_view_get_readable_zoom  (HsGraphView  *self);
/* Whether a copy of the current frame is pinned over the view's corner,
 * and where, in layout units. */
gboolean    hs_graph_view_get_pinned_frame   (HsGraphView  *self,
                                              HsRect       *out);
/* The arrows drawn from the pinned copy's names, in layout units; NULL
 * when no frame is pinned */
const HsLayoutEdge *hs_graph_view_get_pinned_arrows (HsGraphView *self,
                                                     guint       *n_arrows);
void        hs_graph_view_finish_animations  (HsGraphView  *self);
/* The tooltip the view shows at (x, y), in widget coordinates, as markup */
char       *hs_graph_view_get_tooltip_markup (HsGraphView  *self,
                                              double        x,
                                              double        y);

G_END_DECLS
