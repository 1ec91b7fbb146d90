/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the files of HsGraphView share: the instance struct, and the camera
 * (hs-graph-view-camera.c), which frames each step's current frame and
 * what its line changed at a size where box text can be read.
 */
#pragma once

#include <adwaita.h>

#include "hs-graph-view.h"
#include "hs-layout-route.h"
#include "hs-layout-holders.h"
#include "hs-render-marks.h"

G_BEGIN_DECLS

#define MIN_ZOOM        0.1
#define MAX_ZOOM        8.0
#define ZOOM_STEP       1.2
#define MARGIN          24.0
#define ANIMATION_MS    400
/* Above this many pixels the cached picture covers only what is visible. */
#define MAX_CACHE_PIXELS (4096.0 * 4096.0)
#define CACHE_SLACK     256.0
/* The pinned current frame's distance from the view's corner, in pixels */
#define HS_GRAPH_VIEW_PIN_INSET 8.0

typedef struct _HsStepShot HsStepShot;

typedef struct
{
  guint32  ref;
  char    *name;   /* the variable that was clicked, or NULL */
} Selected;

/* Where the view looks: widget = layout * zoom + offset. */
typedef struct
{
  double zoom;
  double offset_x;
  double offset_y;
} HsCamera;

struct _HsGraphView
{
  GtkWidget       parent_instance;

  /* Presentation's style (hs_graph_view_set_presentation) */
  double          line_scale;
  gboolean        high_contrast;
  gboolean        hide_changes;
  /* The camera's bounds (readable-text-px, max-follow-zoom) */
  double          readable_text_px;
  double          max_follow_zoom;

  HsTrace        *trace;
  HsSnapshot     *snapshot;       /* the step asked for */
  HsLayout       *layout;         /* its layout, once computed */
  HsSnapshot     *layout_source;  /* the step layout was made for; its own
                                   * snapshot is what focus left of it */
  HsFocus         focus;          /* hs_graph_view_set_focus () */
  GStrv           user_modules;
  HsLayout       *from;           /* where the running animation started */
  HsLayout       *shown;          /* what is drawn: layout, or between from and layout */
  HsRenderMarks  *marks;          /* what the step's line changed, against the step before */
  HsSnapshot     *previous_step;  /* that step before, or NULL */
  AdwAnimation   *animation;
  GCancellable   *cancellable;
  guint           serial;
  gboolean        pending_animate;
  guint           known_steps;    /* the trace's length at the last step asked for */

  GskRenderNode  *cache;
  graphene_rect_t cache_rect;     /* in zoomed layout coordinates */
  double          cache_zoom;
  gboolean        cache_pinned;   /* recorded without the current frame's arrows */
  HsLayoutOverlayArrows *pinned_route;   /* the pinned copy's arrows, as last routed */
  GskRenderNode  *pinned_node;    /* the pinned copy as last drawn, and where */
  double          pinned_node_zoom;
  double          pinned_node_dx;
  double          pinned_node_dy;
  int             pinned_node_width;
  int             pinned_node_height;

  double          zoom;
  double          offset_x;
  double          offset_y;
  double          drag_offset_x;
  double          drag_offset_y;
  double          gesture_zoom;
  double          pointer_x;
  double          pointer_y;

  /* The camera glides from camera_from to camera_to on the frame clock. */
  AdwAnimation   *camera_animation;
  HsCamera        camera_from;
  HsCamera        camera_to;
  int             framed_width;   /* the size the last framing was made for */
  int             framed_height;
  double          framed_clear_x; /* and the part of it no flap covered */
  double          framed_clear_width;
  guint           refit_tick;     /* refits once a flap that moved rests */
  gint64          refit_frame;
  double          framed_reserve; /* the band kept for the zoom buttons, as framed */
  gboolean        refitting;      /* framing again from refit_tick_cb() */
  /* What the step shown slides from: the steps shown before it, framed
   * again at the room the view has now, from chain_start (where a search
   * or a link left the view) or from nothing; where the camera went last
   * and what that framing was made from: hs-graph-view-camera.c */
  GPtrArray      *framing_chain;  /* HsStepShot, oldest first */
  HsCamera        chain_start;
  gboolean        have_chain_start;
  HsStepShot     *framed_shot;
  HsCamera        framed_camera;
  guint           framed_step;    /* of the trace shown, when have_framed_step */

  Selected        selection[2];
  guint           n_selected;
  GArray         *highlight;      /* guint32: what holds the selection (Select All Holders) */
  guint32         hover;
  guint32         reveal_pending; /* search found it before its step was laid out */

  /* Containers shown beyond the layout's cut (hs_graph_view_show_more):
   * replaced, never changed, once a layout thread may read it */
  GHashTable     *more_cells;
  GHashTable     *more_vars;      /* char *, "function\nname\nN" (var_key): cells, kept
                                   * from the trace before */
  guint           element_cap;    /* what a run records with (the property) */

  /* Hidden holders (hs-graph-view-holders.c): those of the step's
   * layout, placed by the layout's thread, and those of another layout
   * drawn, a layout between two steps while the picture moves */
  HsLayoutHolders *holders;
  HsLayoutHolders *holders_drawn;

  GArray         *subjects;       /* guint32: hs_graph_view_set_subjects () */
  GHashTable     *boxed;          /* the scalars the layout asked for last draws as boxes, or NULL */

  guint           every_object : 1;
  guint           show_hidden : 1;
  guint           holders_asked : 1; /* Show Hidden Holders just turned on: until the
                                      * step changes, the selection's holder boxes rank
                                      * with what the line did */
  guint           busy : 1;
  guint           follow : 1;     /* the camera frames every step */
  guint           frame_pending : 1; /* frame once there is a layout and a size */
  guint           camera_active : 1; /* camera_animation is gliding */
  guint           tooltip_held : 1;  /* no tooltip until the pointer moves after a glide */
  guint           have_framed_step : 1; /* none since the view was cleared or a new trace came */
  guint           step_unframed : 1; /* framed_step's first framing failed: its retry is still a new step */
  guint           picked : 1;     /* something was selected since framed_step was first framed */
};

void     hs_graph_view_camera_init          (HsGraphView *self);
void     hs_graph_view_camera_dispose       (HsGraphView *self);
void     hs_step_shot_free                  (HsStepShot  *shot);
/* Frames self->layout; glides there when animate, else jumps. */
void     hs_graph_view_camera_frame         (HsGraphView *self,
                                             gboolean     animate);
void     hs_graph_view_camera_stop          (HsGraphView *self);
/* Shows the whole picture, whatever its zoom: Fit */
void     hs_graph_view_camera_fit_whole     (HsGraphView *self,
                                             gboolean     animate);
/* Drops what the framings of the steps shown so far kept: the view was
 * cleared, or shows a new trace */
void     hs_graph_view_camera_forget        (HsGraphView *self);
/* Moves the least that shows rect (layout units) clear of the buttons,
 * of a flap and of the pinned frame, at a readable zoom; FALSE when it
 * is in clear sight already.  Following, the view goes on following. */
gboolean hs_graph_view_camera_reveal        (HsGraphView  *self,
                                             const HsRect *rect,
                                             gboolean      animate);
/* Checks, once the view has its place, whether what covers it moved:
 * then refits, or keeps the selected object clear of a flap */
void     hs_graph_view_camera_check_cover   (HsGraphView *self);
/* Refits when a folded flap over the view opens or closes, or when the
 * buttons floated over it move */
void     hs_graph_view_camera_watch_flaps   (HsGraphView *self,
                                             gboolean     watch);
gboolean hs_graph_view_camera_is_moving     (HsGraphView *self);
/* The smallest zoom at which every box's text is at least
 * self->readable_text_px on screen, and the largest the camera goes to */
double   hs_graph_view_camera_min_zoom      (HsGraphView *self);
double   hs_graph_view_camera_max_zoom      (HsGraphView *self);
/* The part of the view that no folded flap covers, in widget pixels */
void     hs_graph_view_camera_get_clear_area (HsGraphView     *self,
                                              graphene_rect_t *out);

/* Where the pinned copy of a current frame at frame goes in view (both
 * in layout units) at zoom; FALSE when the frame is in view whole and
 * needs no copy */
/* The box of the frame that runs at layout's step, or NULL */
const HsLayoutBox *hs_graph_view_current_frame (HsLayout *layout);
gboolean hs_graph_view_place_pinned_copy    (const HsRect *frame,
                                             const HsRect *view,
                                             double        zoom,
                                             HsRect       *where);

/* "… N more" kept across runs by variable (hs-graph-view-more.c) */
GHashTable *hs_graph_view_more_cells_copy (HsGraphView *self);
void        hs_graph_view_more_remember (HsGraphView *self);
void        hs_graph_view_more_restore  (HsGraphView *self);
gboolean    hs_graph_view_more_unfold   (HsGraphView *self,
                                         guint32      ref);

/* Hidden holders (hs-graph-view-holders.c): the holder boxes
 * (hs-layout-holders.h) of layout, placed once per layout while Show
 * Hidden Holders is on; NULL when it is off */
HsLayoutHolders *hs_graph_view_get_holders  (HsGraphView *self,
                                             HsLayout    *layout);
/* Their boxes, HsHolderBox * */
GPtrArray  *hs_graph_view_holders_get   (HsGraphView *self,
                                         HsLayout    *layout);
const HsHolderBox *hs_graph_view_holders_hit (HsGraphView *self,
                                              double       lx,
                                              double       ly);
guint32     hs_graph_view_holders_hit_other (HsGraphView *self,
                                             double       lx,
                                             double       ly,
                                             gint64      *other);
/* The picture's size, with the holders' row when it is shown */
void        hs_graph_view_get_extent    (HsGraphView *self,
                                         HsLayout    *layout,
                                         double      *width,
                                         double      *height);
/* A holder box's tooltip: what it is, and why it keeps objects alive */
char       *hs_holder_box_describe      (const HsHolderBox *box);

G_END_DECLS
