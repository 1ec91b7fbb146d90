/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-graph-view"

#include "config.h"

#include <math.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "hs-describe.h"
#include "hs-format.h"
#include "hs-graph-view-private.h"
#include "hs-layout-text.h"
#include "hs-renderer.h"

G_DEFINE_FINAL_TYPE (HsGraphView, hs_graph_view, GTK_TYPE_WIDGET)

static const HsLayoutBox *find_pinned_frame (HsGraphView *self,
                                             HsLayout    *layout,
                                             HsRect      *where);

enum {
  PROP_0,
  PROP_ZOOM,
  PROP_FOLLOW,
  PROP_SHOW_HIDDEN_REFERENCES,
  PROP_EVERY_OBJECT,
  PROP_BUSY,
  PROP_ANIMATING,
  PROP_SELECTED_VARIABLE,
  PROP_READABLE_TEXT_PX,
  PROP_MAX_FOLLOW_ZOOM,
  PROP_ELEMENT_CAP,
  N_PROPS
};

enum {
  SELECTION_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GtkWidget *
hs_graph_view_new (void)
{
  return g_object_new (HS_TYPE_GRAPH_VIEW, NULL);
}

static void
invalidate_cache (HsGraphView *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_clear_pointer (&self->pinned_node, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

/* Hover and selection are drawn over the cached picture, not in it. */
static void
fill_render_options (HsGraphView     *self,
                     HsRenderOptions *options)
{
  hs_render_options_init (options);
  options->palette = is_dark () ? HS_RENDER_PALETTE_DARK : HS_RENDER_PALETTE_LIGHT;
  if (self->high_contrast)
    options->palette = HS_RENDER_PALETTE_HIGH_CONTRAST;
  options->scale = self->zoom;
  options->transparent = !self->high_contrast;
  options->marks = self->marks;
  options->line_scale = self->line_scale;
  options->hide_changes = self->hide_changes;
}

/* Presentation mode: thicker lines, the high-contrast palette, and the
 * hold that keeps what the step changed blank until it is revealed. */
void
hs_graph_view_set_presentation (HsGraphView *self,
                                double       line_scale,
                                gboolean     high_contrast,
                                gboolean     hide_changes)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  /* Presentation mode sets the style again at each press of the clicker:
   * the same style keeps the picture recorded for it */
  if (self->line_scale == line_scale && self->high_contrast == !!high_contrast &&
      self->hide_changes == !!hide_changes)
    return;
  self->line_scale = line_scale;
  self->high_contrast = !!high_contrast;
  self->hide_changes = !!hide_changes;
  invalidate_cache (self);
}

gboolean
hs_graph_view_get_hide_changes (HsGraphView *self)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), FALSE);

  return self->hide_changes;
}

/* Layout coordinates to widget coordinates: x * zoom + offset. */
static void
widget_to_layout (HsGraphView *self,
                  double       x,
                  double       y,
                  double      *lx,
                  double      *ly)
{
  *lx = (x - self->offset_x) / self->zoom;
  *ly = (y - self->offset_y) / self->zoom;
}

/* Where the picture is drawn: the camera's offset on whole pixels, or
 * GTK's renderer resamples the cached picture and drops pixel columns.
 * Hit testing and tooltips read the same, so that the pointer lands on
 * what the user sees under it. */
static void
drawn_offset (HsGraphView *self,
              double      *x,
              double      *y)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  *x = round (self->offset_x);
  *y = round (self->offset_y);
}

static void
record_cache (HsGraphView           *self,
              const graphene_rect_t *visible)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  HsRenderOptions options;
  graphene_rect_t rect;
  double width, height;
  cairo_t *cr;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (self->shown != NULL);

  hs_graph_view_get_extent (self, self->shown, &width, &height);
  /* Whole pixels: the renderer uploads the picture as a texture and
   * samples it nearest, so a fractional size squeezes it and drops whole
   * columns of pixels, the stem of a 't' or an 'i' in small text. */
  rect = GRAPHENE_RECT_INIT (0, 0, ceil (width * self->zoom), ceil (height * self->zoom));
  if (rect.size.width * rect.size.height > MAX_CACHE_PIXELS)
    {
      graphene_rect_t wanted = *visible;

      graphene_rect_inset (&wanted, -CACHE_SLACK, -CACHE_SLACK);
      if (!graphene_rect_intersection (&rect, &wanted, &rect))
        return;
      graphene_rect_round_extents (&rect, &rect);
    }
  if (rect.size.width < 1 || rect.size.height < 1)
    return;

  fill_render_options (self, &options);
  /* The pinned copy draws the current frame's arrows */
  options.hide_current_frame_edges = self->cache_pinned;
  options.holders = hs_graph_view_get_holders (self, self->shown);
  cr = gtk_snapshot_append_cairo (snapshot, &rect);
  hs_renderer_draw (cr, self->shown, &options);
  cairo_destroy (cr);

  self->cache = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  self->cache_rect = rect;
  self->cache_zoom = self->zoom;
}

static void
append_outline (HsGraphView *self,
                GtkSnapshot *snapshot,
                guint32      ref,
                const GdkRGBA *color,
                double       width)
{
  GskRoundedRect outline;
  HsRect bounds;
  float widths[4] = { width, width, width, width };
  GdkRGBA colors[4] = { *color, *color, *color, *color };

  if (ref == 0 || !hs_layout_get_object_bounds (self->shown, ref, &bounds))
    return;

  gsk_rounded_rect_init_from_rect (&outline,
                                   &GRAPHENE_RECT_INIT (bounds.x * self->zoom - width - 2,
                                                        bounds.y * self->zoom - width - 2,
                                                        bounds.width * self->zoom + 2 * (width + 2),
                                                        bounds.height * self->zoom + 2 * (width + 2)),
                                   6 + width);
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}

/* The selection outline crosses the top edge of the box, where its
 * "new" or "changed" tag stands: the tag is laid over it again. */
static void
append_tag (HsGraphView *self,
            GtkSnapshot *snapshot,
            guint32      ref)
{
  HsRenderOptions options;
  HsRect tag;
  cairo_t *cr;

  if (ref == 0 || !hs_renderer_get_tag_rect (self->shown, ref, &tag))
    return;
  fill_render_options (self, &options);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (floor (tag.x * self->zoom) - 1, floor (tag.y * self->zoom) - 1,
                                                                 ceil (tag.width * self->zoom) + 3, ceil (tag.height * self->zoom) + 3));
  hs_renderer_draw_tag (cr, self->shown, ref, &options);
  cairo_destroy (cr);
}

/* Where the pinned copy of a frame at [at, at + size] goes along one axis
 * of a view at [start, start + length]: at its corner, or over the frame
 * where that meets the view. */
static double
pin_axis (double at,
          double size,
          double start,
          double length,
          double zoom)
{
  if (at + size <= start || at >= start + length)
    return start + HS_GRAPH_VIEW_PIN_INSET / zoom;
  return CLAMP (at, start, MAX (start, start + length - size));
}

gboolean
hs_graph_view_place_pinned_copy (const HsRect *frame,
                                 const HsRect *view,
                                 double        zoom,
                                 HsRect       *where)
{
  g_return_val_if_fail (frame != NULL && view != NULL && where != NULL, FALSE);

  if (frame->x >= view->x - 0.5 && frame->y >= view->y - 0.5 &&
      frame->x + frame->width <= view->x + view->width + 0.5 &&
      frame->y + frame->height <= view->y + view->height + 0.5)
    return FALSE;
  /* Where some of the frame shows, the copy covers what shows of it,
   * so that it never peeks out from behind the copy; a frame wholly
   * out of the view leaves the copy at the corner the camera framed
   * for (lined up along one axis only, it would slide over what the
   * camera kept clear of the corner) */
  if (frame->x + frame->width <= view->x || frame->x >= view->x + view->width ||
      frame->y + frame->height <= view->y || frame->y >= view->y + view->height)
    *where = (HsRect) { view->x + HS_GRAPH_VIEW_PIN_INSET / zoom,
                        view->y + HS_GRAPH_VIEW_PIN_INSET / zoom,
                        frame->width, frame->height };
  else
    *where = (HsRect) { pin_axis (frame->x, frame->width, view->x, view->width, zoom),
                        pin_axis (frame->y, frame->height, view->y, view->height, zoom),
                        frame->width, frame->height };
  return TRUE;
}

const HsLayoutBox *
hs_graph_view_current_frame (HsLayout *layout)
{
  const HsLayoutBox *boxes;
  guint n_boxes;

  g_assert (layout != NULL);

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_FRAME && boxes[i].current)
      return &boxes[i];
  return NULL;
}

/* While following, the current frame stays in sight: when the camera
 * gives the view to what the line changed far from the frame, a copy of
 * the frame is pinned at the view's corner.  Returns its box in layout,
 * and where the copy is drawn, in layout units. */
static const HsLayoutBox *
find_pinned_frame (HsGraphView *self,
                   HsLayout    *layout,
                   HsRect      *where)
{
  const HsLayoutBox *frame;
  HsRect view;

  g_assert (HS_IS_GRAPH_VIEW (self));

  if (layout == NULL || !self->follow || (frame = hs_graph_view_current_frame (layout)) == NULL)
    return NULL;
  hs_graph_view_get_visible_rect (self, &view);
  return hs_graph_view_place_pinned_copy (&frame->rect, &view, self->zoom, where) ? frame : NULL;
}

/* Like widget_to_layout(), but from where the picture is drawn
 * (drawn_offset(), up to half a pixel from the camera's exact offset).
 * A point on the pinned copy of the current frame lands
 * on the frame itself, so its names can be clicked. */
static void
pointer_to_layout (HsGraphView *self,
                   double       x,
                   double       y,
                   double      *lx,
                   double      *ly)
{
  const HsLayoutBox *frame;
  HsRect where;
  double dx, dy;

  g_assert (HS_IS_GRAPH_VIEW (self));

  drawn_offset (self, &dx, &dy);
  *lx = (x - dx) / self->zoom;
  *ly = (y - dy) / self->zoom;
  if ((frame = find_pinned_frame (self, self->layout, &where)) != NULL &&
      *lx >= where.x && *lx <= where.x + where.width && *ly >= where.y && *ly <= where.y + where.height)
    {
      *lx += frame->rect.x - where.x;
      *ly += frame->rect.y - where.y;
    }
}

/* The pinned copy's arrows in layout, routed again only when the layout
 * or the view changed: the copy moves with the view */
static const HsLayoutOverlayArrows *
route_pinned_frame (HsGraphView       *self,
                    HsLayout          *layout,
                    const HsLayoutBox *frame,
                    const HsRect      *where)
{
  HsRect view;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (layout != NULL && frame != NULL && where != NULL);

  hs_graph_view_get_visible_rect (self, &view);
  if (!hs_layout_overlay_arrows_matches (self->pinned_route, layout, where->x, where->y, &view))
    {
      g_clear_pointer (&self->pinned_node, gsk_render_node_unref);
      g_clear_pointer (&self->pinned_route, hs_layout_overlay_arrows_free);
      self->pinned_route = hs_layout_overlay_arrows_new_from_frame (layout, frame, where->x, where->y, &view);
    }
  return self->pinned_route;
}

/* The pinned copy is kept as a node of its own until what it is drawn
 * from changes: a new node every frame, even an identical one, makes
 * GTK's renderer draw the whole view again, picture and all, in every
 * frame the window paints for something else (a slider moving, a step
 * being laid out). */
static void
append_pinned_frame (HsGraphView *self,
                     GtkSnapshot *snapshot)
{
  const HsLayoutBox *frame;
  const HsLayoutOverlayArrows *route;
  HsRenderOptions options;
  HsRect where;
  cairo_t *cr;
  double dx, dy;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  g_assert (HS_IS_GRAPH_VIEW (self));

  if ((frame = find_pinned_frame (self, self->shown, &where)) == NULL)
    {
      g_clear_pointer (&self->pinned_node, gsk_render_node_unref);
      g_clear_pointer (&self->pinned_route, hs_layout_overlay_arrows_free);
      return;
    }
  drawn_offset (self, &dx, &dy);
  /* routing again, when the view moved, drops the node */
  route = route_pinned_frame (self, self->shown, frame, &where);
  if (self->pinned_node != NULL &&
      (self->pinned_node_zoom != self->zoom || self->pinned_node_dx != dx || self->pinned_node_dy != dy ||
       self->pinned_node_width != width || self->pinned_node_height != height))
    g_clear_pointer (&self->pinned_node, gsk_render_node_unref);
  if (self->pinned_node == NULL)
    {
      g_autoptr(GtkSnapshot) recording = gtk_snapshot_new ();

      fill_render_options (self, &options);
      cr = gtk_snapshot_append_cairo (recording, &GRAPHENE_RECT_INIT (0, 0, width, height));
      cairo_translate (cr, dx, dy);
      hs_renderer_draw_pinned_frame (cr, self->shown, frame, route, &options);
      cairo_destroy (cr);
      self->pinned_node = gtk_snapshot_free_to_node (g_steal_pointer (&recording));
      self->pinned_node_zoom = self->zoom;
      self->pinned_node_dx = dx;
      self->pinned_node_dy = dy;
      self->pinned_node_width = width;
      self->pinned_node_height = height;
    }
  if (self->pinned_node != NULL)
    gtk_snapshot_append_node (snapshot, self->pinned_node);
}

gboolean
hs_graph_view_get_pinned_frame (HsGraphView *self,
                                HsRect      *out)
{
  HsRect where;

  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), FALSE);

  if (find_pinned_frame (self, self->layout, &where) == NULL)
    return FALSE;
  if (out != NULL)
    *out = where;
  return TRUE;
}

const HsLayoutEdge *
hs_graph_view_get_pinned_arrows (HsGraphView *self,
                                 guint       *n_arrows)
{
  const HsLayoutBox *frame;
  HsRect where;

  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), NULL);
  g_return_val_if_fail (n_arrows != NULL, NULL);

  *n_arrows = 0;
  if ((frame = find_pinned_frame (self, self->layout, &where)) == NULL)
    return NULL;
  return hs_layout_overlay_arrows_get_edges (route_pinned_frame (self, self->layout, frame, &where), n_arrows);
}

static void
hs_graph_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  HsGraphView *self = (HsGraphView *) widget;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  graphene_rect_t visible;
  GdkRGBA accent;
  double dx, dy;

  if (self->shown == NULL)
    return;

  drawn_offset (self, &dx, &dy);
  visible = GRAPHENE_RECT_INIT (-dx, -dy, width, height);
  if (self->cache != NULL &&
      (self->cache_zoom != self->zoom || !graphene_rect_contains_rect (&self->cache_rect, &visible)))
    {
      graphene_rect_t picture, shown;
      double lw, lh;

      /* The cache holds the whole picture, or the part of it around the
       * view (record_cache()), and stays valid while it holds what of
       * the picture is in view, however the view is panned.  Past the
       * picture's edge there is nothing to hold: a view resting on the
       * margin at a large picture's corner, as the camera leaves it
       * after a run starts, recorded the same picture at every frame. */
      hs_graph_view_get_extent (self, self->shown, &lw, &lh);
      picture = GRAPHENE_RECT_INIT (0, 0, ceil (lw * self->zoom), ceil (lh * self->zoom));
      if (self->cache_zoom != self->zoom ||
          (graphene_rect_intersection (&visible, &picture, &shown) &&
           !graphene_rect_contains_rect (&self->cache_rect, &shown)))
        g_clear_pointer (&self->cache, gsk_render_node_unref);
    }
  {
    HsRect where;
    gboolean pinned = find_pinned_frame (self, self->shown, &where) != NULL;

    if (pinned != self->cache_pinned)
      {
        g_clear_pointer (&self->cache, gsk_render_node_unref);
        self->cache_pinned = pinned;
      }
  }
  if (self->cache == NULL)
    record_cache (self, &visible);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-visible.origin.x, -visible.origin.y));

  if (self->cache != NULL)
    gtk_snapshot_append_node (snapshot, self->cache);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "accent_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  G_GNUC_END_IGNORE_DEPRECATIONS

  if (self->hover != 0)
    {
      GdkRGBA hover = accent;

      hover.alpha = 0.45;
      append_outline (self, snapshot, self->hover, &hover, 2);
    }
  if (self->highlight->len > 0)
    {
      GdkRGBA held = accent;

      held.alpha = 0.7;
      for (guint i = 0; i < self->highlight->len; i++)
        append_outline (self, snapshot, g_array_index (self->highlight, guint32, i), &held, 2);
    }
  for (guint i = 0; i < self->n_selected; i++)
    append_outline (self, snapshot, self->selection[i].ref, &accent, 3);
  for (guint i = 0; i < self->n_selected; i++)
    append_tag (self, snapshot, self->selection[i].ref);

  gtk_snapshot_restore (snapshot);
  append_pinned_frame (self, snapshot);
  gtk_snapshot_pop (snapshot);
}

static void
clamp_offsets (HsGraphView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double lw = 0, lh = 0;

  if (self->shown != NULL)
    hs_graph_view_get_extent (self, self->shown, &lw, &lh);

  /* Keep at least a margin of the picture in view. */
  self->offset_x = CLAMP (self->offset_x, MIN (MARGIN, width - MARGIN - lw * self->zoom) - lw * self->zoom + 2 * MARGIN,
                          MAX (width - 2 * MARGIN, MARGIN));
  self->offset_y = CLAMP (self->offset_y, MIN (MARGIN, height - MARGIN - lh * self->zoom) - lh * self->zoom + 2 * MARGIN,
                          MAX (height - 2 * MARGIN, MARGIN));
}

/* The user moved the view by hand: it stops following the program
 * until Fit. */
static void
take_over (HsGraphView *self)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  hs_graph_view_camera_stop (self);
  if (self->follow)
    {
      self->follow = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
    }
}

static void
set_zoom_at (HsGraphView *self,
             double       zoom,
             double       x,
             double       y)
{
  double lx, ly;

  g_assert (HS_IS_GRAPH_VIEW (self));

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  if (G_APPROX_VALUE (zoom, self->zoom, 1e-6))
    return;

  widget_to_layout (self, x, y, &lx, &ly);
  self->zoom = zoom;
  self->offset_x = x - lx * zoom;
  self->offset_y = y - ly * zoom;
  clamp_offsets (self);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

double
hs_graph_view_get_zoom (HsGraphView *self)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), 1.0);

  return self->zoom;
}

void
hs_graph_view_set_zoom (HsGraphView *self,
                        double       zoom)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  /* Not a user's gesture: the saved zoom comes back this way. */
  set_zoom_at (self, zoom, MARGIN, MARGIN);
}

void
hs_graph_view_zoom_in (HsGraphView *self)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  take_over (self);
  set_zoom_at (self, self->zoom * ZOOM_STEP,
               gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
               gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
hs_graph_view_zoom_out (HsGraphView *self)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  take_over (self);
  set_zoom_at (self, self->zoom / ZOOM_STEP,
               gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
               gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

/* Frames the current step as following does, and follows again: what
 * the follow toggle does, and presentation once its room has settled */
void
hs_graph_view_frame_step (HsGraphView *self)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  if (self->follow)
    hs_graph_view_camera_frame (self, TRUE);
  else
    hs_graph_view_set_follow (self, TRUE);
}

/* Fit shows the whole picture, however small that makes it.  It is the
 * user's choice of view, as zooming is: the camera stops following, or
 * the next step would zoom back to the readable size.  Follow (the
 * button, win.follow) frames the steps again. */
void
hs_graph_view_zoom_fit (HsGraphView *self)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  take_over (self);
  hs_graph_view_camera_fit_whole (self, TRUE);
}

gboolean
hs_graph_view_get_follow (HsGraphView *self)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), FALSE);

  return self->follow;
}

void
hs_graph_view_set_follow (HsGraphView *self,
                          gboolean     follow)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  follow = !!follow;
  if (self->follow == follow)
    return;

  self->follow = follow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
  if (follow)
    hs_graph_view_camera_frame (self, TRUE);
  else
    hs_graph_view_camera_stop (self);
}

void
hs_graph_view_get_visible_rect (HsGraphView *self,
                                HsRect      *out)
{
  graphene_rect_t clear;

  g_return_if_fail (HS_IS_GRAPH_VIEW (self));
  g_return_if_fail (out != NULL);

  /* What a folded flap covers is not visible */
  hs_graph_view_camera_get_clear_area (self, &clear);
  out->x = (clear.origin.x - self->offset_x) / self->zoom;
  out->y = (clear.origin.y - self->offset_y) / self->zoom;
  out->width = clear.size.width / self->zoom;
  out->height = clear.size.height / self->zoom;
}

double
hs_graph_view_get_readable_zoom (HsGraphView *self)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), 1.0);

  return hs_renderer_get_readable_scale ();
}

double
hs_graph_view_get_readable_text_px (HsGraphView *self)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), HS_RENDERER_READABLE_PX);

  return self->readable_text_px;
}

/* The camera's lower bound: following never zooms below the size at
 * which box text is px on screen.  A room reads a projector from afar,
 * so presentation asks for more. */
void
hs_graph_view_set_readable_text_px (HsGraphView *self,
                                    double       px)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  px = MAX (px, HS_RENDERER_READABLE_PX);
  if (G_APPROX_VALUE (px, self->readable_text_px, 1e-9))
    return;
  self->readable_text_px = px;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READABLE_TEXT_PX]);
  if (self->follow)
    hs_graph_view_camera_frame (self, TRUE);
}

double
hs_graph_view_get_max_follow_zoom (HsGraphView *self)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), 1.0);

  return self->max_follow_zoom;
}

/* The camera's upper bound, unless readable text needs more: a camera
 * that zooms in on one small box makes every step look different, but a
 * room wants a small graph to fill the pane. */
void
hs_graph_view_set_max_follow_zoom (HsGraphView *self,
                                   double       zoom)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  if (G_APPROX_VALUE (zoom, self->max_follow_zoom, 1e-9))
    return;
  self->max_follow_zoom = zoom;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_FOLLOW_ZOOM]);
  if (self->follow)
    hs_graph_view_camera_frame (self, TRUE);
}

void
hs_graph_view_finish_animations (HsGraphView *self)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  adw_animation_skip (self->animation);
  if (self->camera_active)
    adw_animation_skip (self->camera_animation);
}

gboolean
hs_graph_view_get_show_hidden_references (HsGraphView *self)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), FALSE);

  return self->show_hidden;
}

void
hs_graph_view_set_show_hidden_references (HsGraphView *self,
                                          gboolean     show)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  show = !!show;
  if (self->show_hidden == show)
    return;

  self->show_hidden = show;
  self->holders_asked = show;
  g_clear_pointer (&self->holders, hs_layout_holders_free);
  g_clear_pointer (&self->holders_drawn, hs_layout_holders_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_HIDDEN_REFERENCES]);
  invalidate_cache (self);
  /* The holders' column widens the picture: a following view frames it */
  if (self->follow)
    hs_graph_view_camera_frame (self, TRUE);
  else
    clamp_offsets (self);
}

static void
show_layout (HsGraphView *self,
             HsLayout    *layout)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  if (self->shown != layout)
    {
      g_clear_pointer (&self->shown, hs_layout_unref);
      self->shown = layout ? hs_layout_ref (layout) : NULL;
    }
  invalidate_cache (self);
}

static void
animation_value_cb (double   value,
                    gpointer user_data)
{
  HsGraphView *self = user_data;
  g_autoptr(HsLayout) frame = NULL;

  if (self->from == NULL || self->layout == NULL)
    return;

  frame = hs_layout_interpolate (self->from, self->layout, value);
  show_layout (self, frame);
}

static void
animation_done_cb (HsGraphView *self)
{
  g_clear_pointer (&self->from, hs_layout_unref);
  show_layout (self, self->layout);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANIMATING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
is_animating (HsGraphView *self)
{
  return self->from != NULL;
}

/* A selection follows its variable to whatever it names now, and goes
 * when the object or the name is gone. */
static void
update_selection (HsGraphView *self)
{
  guint kept = 0;
  gboolean changed = FALSE;

  for (guint i = 0; i < self->n_selected; i++)
    {
      Selected *sel = &self->selection[i];
      guint32 ref = sel->ref;

      if (sel->name != NULL)
        {
          const HsFrame *frames;
          guint n_frames;

          ref = 0;
          frames = hs_snapshot_get_frames (self->snapshot, &n_frames);
          for (guint f = n_frames; f > 0 && ref == 0; f--)
            for (guint v = 0; v < frames[f - 1].n_vars; v++)
              if (g_str_equal (frames[f - 1].vars[v].name, sel->name))
                {
                  ref = frames[f - 1].vars[v].ref;
                  break;
                }
        }
      else if (hs_snapshot_lookup (self->snapshot, ref) == NULL)
        ref = 0;

      changed |= ref != sel->ref;
      if (ref == 0)
        {
          g_clear_pointer (&sel->name, g_free);
          continue;
        }
      sel->ref = ref;
      if (kept != i)
        {
          self->selection[kept] = *sel;
          sel->name = NULL;
        }
      kept++;
    }
  self->n_selected = kept;

  if (changed)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_VARIABLE]);
      g_signal_emit (self, signals[SELECTION_CHANGED], 0);
    }
}

/* Steps of at most this many objects are laid out on the main thread */
#define LAYOUT_AT_ONCE_OBJECTS 128

typedef struct
{
  HsSnapshot      *snapshot;
  HsSnapshot      *previous_step;  /* the step before, for the change marks */
  HsLayout        *previous;
  HsRenderMarks   *marks;
  GHashTable      *more_cells;     /* the view's, which it never changes */
  GHashTable      *growing;        /* the trace's, see hs_trace_ref_growing () */
  guint            max_element_cap; /* what "… N more" may offer to run with */
  guint            element_cap;     /* and what a run records with now */
  GHashTable      *boxed;           /* the view's, which it never changes */
  gboolean         every_object;
  gboolean         show_hidden;     /* place the hidden holders too, */
  HsLayoutHolders *holders;         /* here */
  guint            serial;
  HsFocus          focus;           /* what of the step is drawn */
  GStrv            user_modules;    /* focus's */
} LayoutTask;

/* Whether the window can run the program again with a higher element
 * cap: only then does "… N more" offer it */
static gboolean
can_run_again (HsGraphView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_assert (HS_IS_GRAPH_VIEW (self));

  return GTK_IS_APPLICATION_WINDOW (root) &&
         g_action_group_has_action (G_ACTION_GROUP (root), "raise-element-cap");
}

static void
layout_task_free (LayoutTask *task)
{
  g_clear_pointer (&task->snapshot, hs_snapshot_unref);
  g_clear_pointer (&task->previous_step, hs_snapshot_unref);
  g_clear_pointer (&task->previous, hs_layout_unref);
  g_clear_pointer (&task->marks, hs_render_marks_free);
  g_clear_pointer (&task->more_cells, g_hash_table_unref);
  g_clear_pointer (&task->growing, g_hash_table_unref);
  g_clear_pointer (&task->boxed, g_hash_table_unref);
  g_clear_pointer (&task->holders, hs_layout_holders_free);
  g_strfreev (task->user_modules);
  g_free (task);
}

/* The step's layout, its change marks and its hidden holders, on
 * whichever thread lays it out */
static HsLayout *
lay_out (LayoutTask   *data,
         GCancellable *cancellable)
{
  HsLayoutOptions options;

  g_assert (data != NULL);

  hs_layout_options_init (&options);
  options.more_cells = data->more_cells;
  options.growing = data->growing;
  options.max_element_cap = data->max_element_cap;
  options.element_cap = data->element_cap;
  options.step_before = data->previous_step;
  options.cancellable = cancellable;
  options.every_object = data->every_object;
  options.boxed = data->boxed;
  data->marks = hs_render_marks_new (data->previous_step, data->snapshot);
  data->focus.user_modules = (const char * const *) data->user_modules;
  {
    g_autoptr(HsSnapshot) drawn = hs_snapshot_focus (data->snapshot, &data->focus);
    HsLayout *layout = hs_layout_new (drawn, data->previous, &options);

    if (layout != NULL && data->show_hidden)
      data->holders = hs_layout_holders_new (layout);
    return layout;
  }
}

static void
layout_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_assert (G_IS_TASK (task));

  /* NULL when the view moved on meanwhile: layout_done_cb() drops it */
  g_task_return_pointer (task, lay_out (task_data, cancellable), (GDestroyNotify) hs_layout_unref);
}

/* Swaps in the layout of the step asked for last, and what goes with it */
static void
take_layout (HsGraphView *self,
             LayoutTask  *data,
             HsLayout    *layout)
{
  gboolean animate;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (data != NULL);
  g_assert (layout != NULL);

  g_clear_pointer (&self->marks, hs_render_marks_free);
  self->marks = g_steal_pointer (&data->marks);
  g_clear_pointer (&self->layout_source, hs_snapshot_unref);
  self->layout_source = hs_snapshot_ref (data->snapshot);
  g_clear_pointer (&self->previous_step, hs_snapshot_unref);
  self->previous_step = g_steal_pointer (&data->previous_step);
  if (data->holders != NULL && self->show_hidden)
    {
      g_clear_pointer (&self->holders, hs_layout_holders_free);
      self->holders = g_steal_pointer (&data->holders);
    }
  animate = self->pending_animate && self->shown != NULL && gtk_widget_get_mapped (GTK_WIDGET (self));

  /* Animate from whatever is on screen, even mid-animation. */
  if (animate)
    {
      g_clear_pointer (&self->from, hs_layout_unref);
      self->from = hs_layout_ref (self->shown);
      g_clear_pointer (&self->layout, hs_layout_unref);
      self->layout = hs_layout_ref (layout);
      adw_animation_reset (self->animation);
      adw_animation_play (self->animation);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANIMATING]);
    }
  else
    {
      adw_animation_skip (self->animation);
      g_clear_pointer (&self->layout, hs_layout_unref);
      self->layout = hs_layout_ref (layout);
      show_layout (self, self->layout);
    }
  if (self->follow || self->frame_pending)
    hs_graph_view_camera_frame (self, animate);
  else
    clamp_offsets (self);
  if (self->busy)
    {
      self->busy = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  /* Last: revealing an object a container's "… N more" hides lays the
   * step out again, and the view is busy once more */
  if (self->reveal_pending != 0)
    hs_graph_view_reveal_object (self, self->reveal_pending);
}

static void
layout_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  HsGraphView *self = (HsGraphView *) object;
  LayoutTask *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(HsLayout) layout = g_task_propagate_pointer (G_TASK (result), NULL);

  g_assert (HS_IS_GRAPH_VIEW (self));

  if (layout == NULL || data->serial != self->serial)
    return;
  take_layout (self, data, layout);
}

/* The scalars of the step to draw as boxes: the selection's and the
 * window's subjects; NULL for none */
static GHashTable *
subject_scalars (HsGraphView *self)
{
  GHashTable *boxed = NULL;
  HsLayoutOptions inline_options;

  g_assert (HS_IS_GRAPH_VIEW (self));

  if (self->snapshot == NULL || self->every_object)
    return NULL;
  hs_layout_options_init (&inline_options);
  for (guint i = 0; i < self->n_selected + (self->subjects ? self->subjects->len : 0); i++)
    {
      guint32 ref = i < self->n_selected ? self->selection[i].ref
                                         : g_array_index (self->subjects, guint32, i - self->n_selected);
      const HsObject *o = hs_snapshot_lookup (self->snapshot, ref);

      if (o == NULL || !hs_layout_draws_inline (o, &inline_options))
        continue;
      if (boxed == NULL)
        boxed = g_hash_table_new (NULL, NULL);
      g_hash_table_add (boxed, GUINT_TO_POINTER (ref));
    }
  return boxed;
}

static gboolean
same_sets (GHashTable *a,
           GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;

  if ((a ? g_hash_table_size (a) : 0) != (b ? g_hash_table_size (b) : 0))
    return FALSE;
  if (a == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (b, key))
      return FALSE;
  return TRUE;
}

/* The step again, when what it draws as boxes changed */
static void
relayout_for_subjects (HsGraphView *self)
{
  g_autoptr(GHashTable) boxed = NULL;

  g_assert (HS_IS_GRAPH_VIEW (self));

  if (self->snapshot == NULL)
    return;
  boxed = subject_scalars (self);
  if (!same_sets (boxed, self->boxed))
    hs_graph_view_set_step (self, self->trace, self->snapshot, TRUE);
}

gboolean
hs_graph_view_get_every_object (HsGraphView *self)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), FALSE);

  return self->every_object;
}

void
hs_graph_view_set_every_object (HsGraphView *self,
                                gboolean     every_object)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  every_object = !!every_object;
  if (self->every_object == every_object)
    return;
  self->every_object = every_object;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVERY_OBJECT]);
  if (self->snapshot != NULL)
    hs_graph_view_set_step (self, self->trace, self->snapshot, TRUE);
}

void
hs_graph_view_set_subjects (HsGraphView   *self,
                            const guint32 *refs,
                            guint          n_refs)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));
  g_return_if_fail (refs != NULL || n_refs == 0);

  /* No layout here: the window sets them just before the step they are
   * of, and watches only what is selected, which is drawn as a box */
  if (self->subjects == NULL)
    self->subjects = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_set_size (self->subjects, 0);
  g_array_append_vals (self->subjects, refs, n_refs);
}

void
hs_graph_view_set_step (HsGraphView *self,
                        HsTrace     *trace,
                        HsSnapshot  *snapshot,
                        gboolean     animate)
{
  g_autoptr(GTask) task = NULL;
  LayoutTask *data;
  gboolean new_trace = FALSE;
  guint n_objects;

  g_return_if_fail (HS_IS_GRAPH_VIEW (self));
  g_return_if_fail (!trace || HS_IS_TRACE (trace));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->serial++;
  self->reveal_pending = 0;

  /* Snapshots borrow their strings from the trace. */
  if (trace != self->trace)
    {
      new_trace = TRUE;
      if (trace == NULL || self->trace == NULL)
        animate = FALSE;
      /* refs name objects of one trace only: what was grown is kept by
       * variable for the next (hs-graph-view-more.c) */
      hs_graph_view_more_remember (self);
      g_set_object (&self->trace, trace);
      g_clear_pointer (&self->more_cells, g_hash_table_unref);
      hs_graph_view_camera_forget (self);
    }

  if (snapshot == NULL)
    {
      adw_animation_skip (self->animation);
      hs_graph_view_camera_stop (self);
      hs_graph_view_camera_forget (self);
      g_clear_pointer (&self->marks, hs_render_marks_free);
      g_clear_pointer (&self->previous_step, hs_snapshot_unref);
      g_clear_pointer (&self->snapshot, hs_snapshot_unref);
      g_clear_pointer (&self->layout, hs_layout_unref);
      g_clear_pointer (&self->layout_source, hs_snapshot_unref);
      g_clear_pointer (&self->from, hs_layout_unref);
      show_layout (self, NULL);
      hs_graph_view_unselect_all (self);
      if (self->busy)
        {
          self->busy = FALSE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
        }
      return;
    }

  /* A new run, or a step a heap button or the console just added, is
   * what the user asked to see: follow it even after panning away. */
  if (trace != NULL && hs_trace_get_n_steps (trace) > 0 &&
      (new_trace || hs_snapshot_get_index (snapshot) >= self->known_steps))
    hs_graph_view_set_follow (self, TRUE);
  self->known_steps = trace != NULL ? hs_trace_get_n_steps (trace) : 0;

  if (self->snapshot != snapshot)
    {
      g_clear_pointer (&self->snapshot, hs_snapshot_unref);
      self->snapshot = hs_snapshot_ref (snapshot);
    }
  update_selection (self);
  hs_graph_view_more_restore (self);

  self->cancellable = g_cancellable_new ();
  self->pending_animate = animate;

  data = g_new0 (LayoutTask, 1);
  data->snapshot = hs_snapshot_ref (snapshot);
  if (self->trace != NULL && hs_snapshot_get_index (snapshot) > 0)
    data->previous_step = hs_trace_get_snapshot (self->trace, hs_snapshot_get_index (snapshot) - 1);
  data->previous = self->layout ? hs_layout_ref (self->layout) : NULL;
  data->more_cells = self->more_cells ? g_hash_table_ref (self->more_cells) : NULL;
  /* Once the program has run, a box keeps room below it only if its
   * object grows at some step */
  data->growing = self->trace != NULL ? hs_trace_ref_growing (self->trace) : NULL;
  data->max_element_cap = can_run_again (self) ? HS_GRAPH_VIEW_MAX_ELEMENT_CAP : 0;
  data->element_cap = self->element_cap;
  data->every_object = self->every_object;
  data->show_hidden = self->show_hidden;
  g_clear_pointer (&self->boxed, g_hash_table_unref);
  self->boxed = subject_scalars (self);
  data->boxed = self->boxed ? g_hash_table_ref (self->boxed) : NULL;
  data->serial = self->serial;
  data->focus = self->focus;
  data->user_modules = g_strdupv (self->user_modules);

  /* A small heap is laid out at once, in a millisecond or less: handed
   * to a thread, on a loaded machine the thread may not run before the
   * frame clock's next frame, which then still shows the step before
   * (bench-window counted such moves).  A large one takes longer than a
   * frame either way, and the window stays responsive meanwhile. */
  hs_snapshot_get_objects (snapshot, &n_objects);
  if (n_objects <= LAYOUT_AT_ONCE_OBJECTS)
    {
      g_autoptr(HsLayout) layout = lay_out (data, NULL);

      take_layout (self, data, layout);
      layout_task_free (data);
      return;
    }

  task = g_task_new (self, self->cancellable, layout_done_cb, NULL);
  g_task_set_source_tag (task, hs_graph_view_set_step);
  g_task_set_task_data (task, data, (GDestroyNotify) layout_task_free);
  g_task_run_in_thread (task, layout_thread);

  if (!self->busy)
    {
      self->busy = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

HsSnapshot *
hs_graph_view_get_snapshot (HsGraphView *self)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), NULL);

  return self->snapshot;
}

HsLayout *
hs_graph_view_get_layout (HsGraphView *self)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), NULL);

  return self->layout;
}

/* Busy while a layout is computed or an animation runs: what is drawn is
 * not yet the step that was asked for. */
gboolean
hs_graph_view_get_busy (HsGraphView *self)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), FALSE);

  /* A refit waiting for its frame will still move the camera */
  return self->busy || is_animating (self) ||
         (self->refit_tick != 0 && gtk_widget_get_mapped (GTK_WIDGET (self)));
}

guint
hs_graph_view_get_selection (HsGraphView *self,
                             guint32      refs[2],
                             const char  *names[2])
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), 0);

  for (guint i = 0; i < 2; i++)
    {
      if (refs != NULL)
        refs[i] = i < self->n_selected ? self->selection[i].ref : 0;
      if (names != NULL)
        names[i] = i < self->n_selected ? self->selection[i].name : NULL;
    }
  return self->n_selected;
}

const char *
hs_graph_view_get_selected_variable (HsGraphView *self)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), NULL);

  for (guint i = self->n_selected; i > 0; i--)
    if (self->selection[i - 1].name != NULL)
      return self->selection[i - 1].name;
  return NULL;
}

void
hs_graph_view_unselect_all (HsGraphView *self)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  if (self->n_selected == 0)
    return;

  for (guint i = 0; i < self->n_selected; i++)
    g_clear_pointer (&self->selection[i].name, g_free);
  self->n_selected = 0;
  g_array_set_size (self->highlight, 0);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_VARIABLE]);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  relayout_for_subjects (self);
}

/* by_user: a click chose it, and "selection-changed" says so with the
 * detail "user"; a selection the program makes (a step, a command's
 * result, search) has none, so a window can tell them apart. */
static void
select_full (HsGraphView *self,
             guint32      ref,
             const char  *name,
             gboolean     extend,
             gboolean     by_user)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  g_array_set_size (self->highlight, 0);
  if (!extend)
    {
      for (guint i = 0; i < self->n_selected; i++)
        g_clear_pointer (&self->selection[i].name, g_free);
      self->n_selected = 0;
    }
  else if (self->n_selected == 2)
    {
      /* The oldest of two goes. */
      g_free (self->selection[0].name);
      self->selection[0] = self->selection[1];
      self->selection[1].name = NULL;
      self->n_selected = 1;
    }

  if (ref != 0)
    {
      self->selection[self->n_selected].ref = ref;
      self->selection[self->n_selected].name = g_strdup (name);
      self->n_selected++;
      /* the camera keeps it clear when it frames this step again */
      self->picked = TRUE;
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_VARIABLE]);
  g_signal_emit (self, signals[SELECTION_CHANGED],
                 by_user ? g_quark_from_static_string ("user") : 0);
  relayout_for_subjects (self);
}

void
hs_graph_view_set_highlight (HsGraphView   *self,
                             const guint32 *refs,
                             guint          n_refs)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));
  g_return_if_fail (refs != NULL || n_refs == 0);

  g_array_set_size (self->highlight, 0);
  g_array_append_vals (self->highlight, refs, n_refs);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* What is drawn narrows; the step shown, and what the inspector says of
 * it, do not: the layout gets a narrowed copy (hs_snapshot_focus()). */
void
hs_graph_view_set_focus (HsGraphView        *self,
                         HsFocusKind         kind,
                         guint32             ref,
                         gboolean            hide_library,
                         const char * const *user_modules)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  if (kind == HS_FOCUS_ALL)
    ref = 0;
  if (self->focus.kind == kind && self->focus.ref == ref && self->focus.hide_library == hide_library &&
      (!hide_library || (user_modules && self->user_modules &&
                         g_strv_equal ((const char * const *) self->user_modules, user_modules))))
    return;
  self->focus.kind = kind;
  self->focus.ref = ref;
  self->focus.hide_library = hide_library;
  g_strfreev (self->user_modules);
  self->user_modules = g_strdupv ((char **) user_modules);
  if (self->snapshot != NULL)
    {
      g_autoptr(HsSnapshot) snapshot = hs_snapshot_ref (self->snapshot);

      hs_graph_view_set_step (self, self->trace, snapshot, FALSE);
    }
}

const HsFocus *
hs_graph_view_get_focus (HsGraphView *self)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), NULL);

  return &self->focus;
}

const guint32 *
hs_graph_view_get_highlight (HsGraphView *self,
                             guint       *n_refs)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), NULL);
  g_return_val_if_fail (n_refs != NULL, NULL);

  *n_refs = self->highlight->len;
  return (const guint32 *) self->highlight->data;
}

gboolean
hs_graph_view_select_variable (HsGraphView *self,
                               const char  *name,
                               gboolean     extend)
{
  const HsFrame *frames;
  guint n_frames;

  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (self->snapshot == NULL)
    return FALSE;

  frames = hs_snapshot_get_frames (self->snapshot, &n_frames);
  for (guint f = n_frames; f > 0; f--)
    for (guint v = 0; v < frames[f - 1].n_vars; v++)
      if (g_str_equal (frames[f - 1].vars[v].name, name))
        {
          select_full (self, frames[f - 1].vars[v].ref, name, extend, FALSE);
          return TRUE;
        }
  return FALSE;
}

void
hs_graph_view_select_object (HsGraphView *self,
                             guint32      ref,
                             gboolean     extend)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  select_full (self, ref, NULL, extend, FALSE);
}

/* Search or a note's link found ref: the view glides to it.  Only a
 * hand that pans or zooms stops following: the next step is framed as
 * every step is, and keeps ref in view while it stays selected and fits
 * beside what the line did (hs-graph-view-camera.c).  An object already
 * in clear sight leaves the view as it is. */
void
hs_graph_view_reveal_object (HsGraphView *self,
                             guint32      ref)
{
  HsRect rect;

  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  /* Its step is still being laid out (a thread may be laying the same
   * step out again, grown): once it is */
  if (self->layout == NULL || self->busy || self->layout_source != self->snapshot)
    {
      self->reveal_pending = ref;
      return;
    }
  self->reveal_pending = 0;
  if (hs_layout_get_object_bounds (self->layout, ref, &rect))
    hs_graph_view_camera_reveal (self, &rect, TRUE);
  /* Left out by a container's "… N more": grown, then shown once the
   * step is laid out again, at once for a small heap, or when its
   * thread is done */
  else if (hs_graph_view_more_unfold (self, ref))
    {
      if (self->busy)
        self->reveal_pending = ref;
      else if (hs_layout_get_object_bounds (self->layout, ref, &rect))
        hs_graph_view_camera_reveal (self, &rect, TRUE);
    }
}

gboolean
hs_graph_view_export (HsGraphView  *self,
                      const char   *filename,
                      GError      **error)
{
  HsRenderOptions options;

  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  if (self->layout == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("There is no step to export yet"));
      return FALSE;
    }

  /* Exports are for printing and slides: light, whole, and sharp. */
  hs_render_options_init (&options);
  options.scale = g_str_has_suffix (filename, ".png") ? 2.0 : 1.0;
  /* what the view shows: the hidden holders too, when they are on */
  options.holders = hs_graph_view_get_holders (self, self->layout);
  return hs_renderer_export (self->layout, &options, filename, error);
}

guint
hs_graph_view_get_more_cells (HsGraphView *self,
                              guint32      ref)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), 0);

  if (self->more_cells == NULL)
    return 0;
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->more_cells, GUINT_TO_POINTER (ref)));
}

/* What ref's box elides: entries the snapshot holds (*held), and the cap
 * a run needs for those it does not (*rerun_cap) */
static void
box_elisions (const HsLayoutBox *box,
              guint64           *held,
              guint             *rerun_cap)
{
  g_assert (box != NULL);
  g_assert (held != NULL && rerun_cap != NULL);

  *held = 0;
  *rerun_cap = 0;
  for (guint r = 0; r < box->n_rows; r++)
    if (box->rows[r].kind == HS_LAYOUT_ROW_ELISION)
      {
        *held += box->rows[r].held;
        *rerun_cap = MAX (*rerun_cap, box->rows[r].rerun_cap);
      }
}

gboolean
hs_graph_view_show_more (HsGraphView *self,
                         guint32      ref)
{
  const HsLayoutBox *box;
  GHashTable *more;
  guint64 held;
  guint rerun_cap;

  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), FALSE);

  if (self->layout == NULL || self->snapshot == NULL
      || (box = hs_layout_get_object_box (self->layout, ref)) == NULL)
    return FALSE;
  box_elisions (box, &held, &rerun_cap);
  if (held == 0)
    return rerun_cap > 0 &&
           gtk_widget_activate_action (GTK_WIDGET (self), "win.raise-element-cap", "u", rerun_cap);

  /* A new table: a layout thread may still read the old one */
  more = hs_graph_view_more_cells_copy (self);
  g_hash_table_insert (more, GUINT_TO_POINTER (ref),
                       GUINT_TO_POINTER (hs_graph_view_get_more_cells (self, ref)
                                         + (guint) MIN (held, HS_GRAPH_VIEW_MORE_CELLS)));
  g_clear_pointer (&self->more_cells, g_hash_table_unref);
  self->more_cells = more;

  /* The same step again, laid out with the container grown in place */
  hs_graph_view_set_step (self, self->trace, self->snapshot, TRUE);
  return TRUE;
}

/* The "… N more" row of a container's box at (lx, ly), or NULL */
static const HsLayoutRow *
elision_at (HsGraphView        *self,
            double              lx,
            double              ly,
            const HsLayoutBox **box)
{
  guint row = G_MAXUINT;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (box != NULL);

  if (self->layout == NULL)
    return NULL;
  *box = hs_layout_hit_test_row (self->layout, lx, ly, &row);
  if (*box == NULL || (*box)->kind != HS_LAYOUT_BOX_OBJECT || row >= (*box)->n_rows
      || (*box)->rows[row].kind != HS_LAYOUT_ROW_ELISION)
    return NULL;
  return &(*box)->rows[row];
}

/* What a click on "… N more" does, in a sentence */
static char *
describe_elision (HsGraphView       *self,
                  const HsLayoutBox *box,
                  const HsLayoutRow *row)
{
  const HsObject *o;
  g_autofree char *length = NULL;
  g_autofree char *recorded = NULL;
  g_autofree char *cap = NULL;
  guint sent = 0;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (box != NULL && row != NULL);

  if (row->held > 0)
    {
      guint64 n = MIN (row->held, HS_GRAPH_VIEW_MORE_CELLS);
      g_autofree char *more = hs_format_count ((gint64) n);

      return g_strdup_printf (ngettext ("Click to show %s more entry", "Click to show %s more entries", (gulong) n), more);
    }
  if ((o = hs_snapshot_lookup (self->snapshot, box->ref)) == NULL)
    return NULL;
  if (row->hidden == 0 && (o->flags & HS_OBJECT_FRAME_GLOBALS))
    return g_strdup (_("This dict holds the global variables of a module whose frame the graph draws: "
                       "its entries are that frame's variables, drawn there and not again here"));
  for (guint i = 0; i < o->n_edges; i++)
    sent += o->edges[i].kind != HS_EDGE_VALUE;   /* a dict entry is a key and a value */
  length = hs_format_count ((gint64) o->length);
  recorded = hs_format_count ((gint64) sent);
  if (row->rerun_cap == 0)
    return g_strdup_printf (_("The runtime recorded %s of its %s entries: its caps on entries "
                              "and on objects per step leave the rest out"), recorded, length);
  cap = hs_format_count ((gint64) row->rerun_cap);
  return g_strdup_printf (_("The runtime recorded %s of its %s entries (the element cap). "
                            "Click to run the program again recording up to %s: "
                            "the new run’s objects have new ids."), recorded, length, cap);
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   HsGraphView     *self)
{
  GdkModifierType state;
  HsLayoutHit kind = HS_LAYOUT_HIT_NOTHING;
  const HsLayoutBox *box = NULL;
  const char *name = NULL;
  guint frame = 0;
  guint32 ref;
  double lx, ly;

  g_assert (HS_IS_GRAPH_VIEW (self));

  if (self->layout == NULL)
    return;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  pointer_to_layout (self, x, y, &lx, &ly);
  ref = hs_layout_hit_test_variable (self->layout, lx, ly, &kind, &frame, &name);
  if (kind == HS_LAYOUT_HIT_NOTHING)
    ref = hs_layout_hit_test (self->layout, lx, ly, &kind);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  select_full (self, ref,
               kind == HS_LAYOUT_HIT_VARIABLE ? name : NULL,
               (state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK)) != 0,
               TRUE);

  /* "… N more" shows more of its container */
  if (elision_at (self, lx, ly, &box) != NULL)
    hs_graph_view_show_more (self, box->ref);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               HsGraphView    *self)
{
  self->drag_offset_x = self->offset_x;
  self->drag_offset_y = self->offset_y;
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                HsGraphView    *self)
{
  if (fabs (dx) < 3 && fabs (dy) < 3)
    return;

  take_over (self);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
  self->offset_x = self->drag_offset_x + dx;
  self->offset_y = self->drag_offset_y + dy;
  clamp_offsets (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             HsGraphView    *self)
{
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           HsGraphView              *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  take_over (self);
  if (state & GDK_CONTROL_MASK)
    {
      set_zoom_at (self, self->zoom * pow (ZOOM_STEP, -dy), self->pointer_x, self->pointer_y);
      return TRUE;
    }

  self->offset_x -= dx * 32;
  self->offset_y -= dy * 32;
  clamp_offsets (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               HsGraphView      *self)
{
  take_over (self);
  self->gesture_zoom = self->zoom;
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       HsGraphView    *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;
  set_zoom_at (self, self->gesture_zoom * scale, x, y);
}

static void
set_hover (HsGraphView *self,
           guint32      ref)
{
  if (self->hover == ref)
    return;

  self->hover = ref;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           HsGraphView              *self)
{
  const HsLayoutBox *box = NULL;
  GdkCursor *cursor;
  HsLayoutHit kind;
  double lx, ly;

  /* The pointer moved after a glide: its tooltip may show again */
  if ((x != self->pointer_x || y != self->pointer_y) && !hs_graph_view_camera_is_moving (self) &&
      !is_animating (self))
    self->tooltip_held = FALSE;
  self->pointer_x = x;
  self->pointer_y = y;
  if (self->layout == NULL)
    return;

  pointer_to_layout (self, x, y, &lx, &ly);
  set_hover (self, hs_layout_hit_test (self->layout, lx, ly, &kind));
  /* "… N more" is a button; leave a drag's cursor alone */
  cursor = gtk_widget_get_cursor (GTK_WIDGET (self));
  if (elision_at (self, lx, ly, &box) != NULL)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");
  else if (cursor != NULL && g_strcmp0 (gdk_cursor_get_name (cursor), "pointer") == 0)
    gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

static void
leave_cb (GtkEventControllerMotion *controller,
          HsGraphView              *self)
{
  set_hover (self, 0);
}

/* The camera starts to glide, or the boxes to move to the next step:
 * the picture moves under a pointer that rests, and what the pointer was
 * over is somewhere else.  Its hover outline and tooltip go, and no
 * tooltip pops up until the pointer moves after the glide. */
static void
animation_state_cb (AdwAnimation *animation,
                    GParamSpec   *pspec,
                    HsGraphView  *self)
{
  g_assert (ADW_IS_ANIMATION (animation));
  g_assert (HS_IS_GRAPH_VIEW (self));

  if (adw_animation_get_state (animation) != ADW_ANIMATION_PLAYING)
    return;
  self->tooltip_held = TRUE;
  set_hover (self, 0);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
}

/* Over a box's badges or its tag, one sentence for each, read from the
 * runtime's flags; NULL elsewhere. */
static char *
describe_badges (HsGraphView *self,
                 guint32      ref,
                 double       lx,
                 double       ly)
{
  static const guint32 badges[] = { HS_OBJECT_SMALL_INT, HS_OBJECT_INTERNED,
                                    HS_OBJECT_IMMORTAL, HS_OBJECT_GC_TRACKED };
  const HsLayoutBox *boxes;
  const HsObject *object;
  guint n_boxes;
  g_autoptr(GString) text = NULL;

  g_assert (HS_IS_GRAPH_VIEW (self));

  if ((object = hs_snapshot_lookup (self->snapshot, ref)) == NULL)
    return NULL;
  boxes = hs_layout_get_boxes (self->layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      if (boxes[i].kind != HS_LAYOUT_BOX_OBJECT || boxes[i].ref != ref)
        continue;
      switch (hs_renderer_hit_box (self->layout, &boxes[i], lx, ly))
        {
        case HS_RENDERER_HIT_TAG:
          if (object->changes & HS_CHANGE_CREATED)
            return g_strdup (_("The line just run created this object."));
          return g_strdup (_("The line just run changed what this container refers to: its marked slots."));

        case HS_RENDERER_HIT_MARKS:
          text = g_string_new (NULL);
          for (guint b = 0; b < G_N_ELEMENTS (badges); b++)
            {
              g_autofree char *sentence = NULL;

              if (!(object->flags & badges[b]) ||
                  !(sentence = hs_describe_flag_tooltip (hs_snapshot_get_python_version (self->snapshot),
                                                         object->flags, badges[b])))
                continue;
              if (text->len > 0)
                g_string_append_c (text, '\n');
              g_string_append (text, sentence);
            }
          return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;

        case HS_RENDERER_HIT_NONE:
        default:
          return NULL;
        }
    }
  return NULL;
}

/* An object as the runtime recorded it, escaped for markup: its repr,
 * or its type when the repr is missing; NULL when the snapshot lacks it */
static char *
escaped_repr (HsSnapshot *snapshot,
              guint32     ref)
{
  const HsObject *o;

  if (ref == 0 || (o = hs_snapshot_lookup (snapshot, ref)) == NULL)
    return NULL;
  if (o->repr != NULL)
    return g_markup_escape_text (o->repr, -1);
  return o->type != NULL ? g_markup_escape_text (o->type, -1) : NULL;
}

/* A dict entry's or a set member's row at (lx, ly) in box ref says its
 * key (its member) by the repr cut to fit the box: the whole of it, and
 * the entry's value, as a line of markup; NULL over other rows and rows
 * that show their value whole. */
static char *
describe_cut_row (HsGraphView *self,
                  guint32      ref,
                  double       lx,
                  double       ly)
{
  const HsLayoutBox *box;
  const HsLayoutRow *row;
  const HsObject *shown;
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  guint r = G_MAXUINT;
  gboolean keyed;

  g_assert (HS_IS_GRAPH_VIEW (self));

  box = hs_layout_hit_test_row (self->layout, lx, ly, &r);
  if (box == NULL || box->kind != HS_LAYOUT_BOX_OBJECT || box->ref != ref || r >= box->n_rows)
    return NULL;
  row = &box->rows[r];
  if (row->value == NULL || row->kind == HS_LAYOUT_ROW_ELISION)
    return NULL;
  keyed = row->kind == HS_LAYOUT_ROW_PAIR || row->key_ref != 0;
  shown = hs_snapshot_lookup (self->snapshot, row->kind == HS_LAYOUT_ROW_PAIR ? row->key_target
                                              : row->key_ref != 0 ? row->key_ref : row->target);
  /* The row drew all there is (a repr with a line break is drawn on one
   * line, and so is given here too) */
  if (shown == NULL || g_strcmp0 (shown->repr != NULL ? shown->repr : shown->type, row->value) == 0)
    return NULL;
  if ((key = escaped_repr (self->snapshot, shown->ref)) == NULL)
    return NULL;
  if (!keyed)
    /* Translators: a set's member, shown whole: its repr, in monospace */
    return g_strdup_printf (_("Member <tt>%s</tt>"), key);
  if ((value = escaped_repr (self->snapshot, row->target)) == NULL)
    /* Translators: a dict's key, shown whole: its repr, in monospace */
    return g_strdup_printf (_("Key <tt>%s</tt>"), key);
  /* Translators: a dict's entry, key and value, as Python writes them */
  return g_strdup_printf (_("Entry <tt>%s: %s</tt>"), key, value);
}

/* The tooltip at (x, y) in widget coordinates, as markup, and the area
 * it is about; NULL where there is nothing to say. */
static char *
tooltip_at (HsGraphView  *self,
            double        x,
            double        y,
            GdkRectangle *area)
{
  g_autofree char *markup = NULL;
  g_autofree char *text = NULL;
  const HsHolderBox *holder;
  const HsLayoutBox *box = NULL;
  const HsLayoutRow *row;
  HsLayoutHit kind;
  const char *name = NULL;
  guint frame;
  guint32 ref;
  double lx, ly;
  HsRect bounds;

  g_assert (HS_IS_GRAPH_VIEW (self));

  *area = (GdkRectangle) { (int) x, (int) y, 1, 1 };
  if (self->layout == NULL || is_animating (self))
    return NULL;

  pointer_to_layout (self, x, y, &lx, &ly);
  if ((holder = hs_graph_view_holders_hit (self, lx, ly)) != NULL)
    {
      text = hs_holder_box_describe (holder);
      return g_markup_escape_text (text, -1);
    }
  {
    gint64 other = 0;

    if (hs_graph_view_holders_hit_other (self, lx, ly, &other) != 0)
      {
        g_autofree char *count = hs_format_count (other);

        return g_strdup_printf (ngettext ("%s more reference that CPython holds where no arrow can point, "
                                          "for example a container the graph does not draw, a cache kept by a module or by the interpreter.",
                                          "%s more references that CPython holds where no arrow can point, "
                                          "for example containers the graph does not draw, caches kept by modules or by the interpreter.",
                                          (gulong) other), count);
      }
  }
  if ((row = elision_at (self, lx, ly, &box)) != NULL && (text = describe_elision (self, box, row)) != NULL)
    return g_markup_escape_text (text, -1);
  ref = hs_layout_hit_test_variable (self->layout, lx, ly, &kind, &frame, &name);
  if (kind == HS_LAYOUT_HIT_NOTHING)
    ref = hs_layout_hit_test (self->layout, lx, ly, &kind);
  if (ref != 0 && kind == HS_LAYOUT_HIT_OBJECT && (text = describe_badges (self, ref, lx, ly)) != NULL)
    return g_markup_escape_text (text, -1);
  if (ref == 0 || !(markup = hs_describe_object (self->snapshot, ref)))
    return NULL;

  if (kind == HS_LAYOUT_HIT_OBJECT)
    {
      g_autofree char *entry = describe_cut_row (self, ref, lx, ly);

      if (entry != NULL)
        {
          g_autofree char *body = g_steal_pointer (&markup);

          markup = g_strconcat (entry, "\n", body, NULL);
        }
    }
  else if (kind == HS_LAYOUT_HIT_VARIABLE && name != NULL)
    {
      g_autofree char *body = g_steal_pointer (&markup);
      g_autofree char *escaped = g_markup_escape_text (name, -1);

      markup = g_strdup_printf (_("Variable <tt>%s</tt> names:\n%s"), escaped, body);
    }

  if (hs_layout_get_object_bounds (self->layout, ref, &bounds))
    {
      double dx, dy;

      drawn_offset (self, &dx, &dy);
      *area = (GdkRectangle) { bounds.x * self->zoom + dx, bounds.y * self->zoom + dy,
                               bounds.width * self->zoom, bounds.height * self->zoom };
    }
  return g_steal_pointer (&markup);
}

char *
hs_graph_view_get_tooltip_markup (HsGraphView *self,
                                  double       x,
                                  double       y)
{
  GdkRectangle area;

  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), NULL);

  return tooltip_at (self, x, y, &area);
}

static gboolean
hs_graph_view_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard_mode,
                             GtkTooltip *tooltip)
{
  HsGraphView *self = (HsGraphView *) widget;
  g_autofree char *markup = NULL;
  GdkRectangle area;

  /* Not over a picture that glides under a resting pointer */
  if (self->tooltip_held || hs_graph_view_camera_is_moving (self))
    return FALSE;
  if ((markup = tooltip_at (self, x, y, &area)) == NULL)
    return FALSE;
  gtk_tooltip_set_tip_area (tooltip, &area);
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}

static void
hs_graph_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  HsGraphView *self = (HsGraphView *) widget;

  /* Following, the view refits to its new size at once; placed by
   * hand, it keeps the selected object clear of a flap once the flap
   * has its place */
  if (self->frame_pending ||
      (self->follow && (width != self->framed_width || height != self->framed_height)))
    hs_graph_view_camera_frame (self, FALSE);
  else
    {
      if (!hs_graph_view_camera_is_moving (self))
        clamp_offsets (self);
      if (!self->follow && self->n_selected > 0)
        hs_graph_view_camera_check_cover (self);
    }
}

static void
hs_graph_view_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (hs_graph_view_parent_class)->root (widget);
  hs_graph_view_camera_watch_flaps ((HsGraphView *) widget, TRUE);
}

static void
hs_graph_view_unroot (GtkWidget *widget)
{
  hs_graph_view_camera_watch_flaps ((HsGraphView *) widget, FALSE);
  GTK_WIDGET_CLASS (hs_graph_view_parent_class)->unroot (widget);
}

static void
hs_graph_view_dispose (GObject *object)
{
  HsGraphView *self = (HsGraphView *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->animation);
  g_clear_object (&self->camera_animation);
  g_clear_pointer (&self->marks, hs_render_marks_free);
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_clear_pointer (&self->pinned_node, gsk_render_node_unref);
  g_clear_pointer (&self->pinned_route, hs_layout_overlay_arrows_free);
  g_clear_pointer (&self->holders, hs_layout_holders_free);
  g_clear_pointer (&self->holders_drawn, hs_layout_holders_free);
  g_clear_pointer (&self->shown, hs_layout_unref);
  g_clear_pointer (&self->from, hs_layout_unref);
  g_clear_pointer (&self->layout, hs_layout_unref);
  g_clear_pointer (&self->layout_source, hs_snapshot_unref);
  g_clear_pointer (&self->previous_step, hs_snapshot_unref);
  g_clear_pointer (&self->snapshot, hs_snapshot_unref);
  g_clear_object (&self->trace);
  hs_graph_view_camera_dispose (self);
  g_clear_pointer (&self->more_cells, g_hash_table_unref);
  g_clear_pointer (&self->more_vars, g_hash_table_unref);
  g_clear_pointer (&self->subjects, g_array_unref);
  g_clear_pointer (&self->boxed, g_hash_table_unref);
  for (guint i = 0; i < self->n_selected; i++)
    g_clear_pointer (&self->selection[i].name, g_free);
  self->n_selected = 0;

  G_OBJECT_CLASS (hs_graph_view_parent_class)->dispose (object);
}

static void
hs_graph_view_finalize (GObject *object)
{
  HsGraphView *self = (HsGraphView *) object;

  g_array_unref (self->highlight);
  g_strfreev (self->user_modules);

  G_OBJECT_CLASS (hs_graph_view_parent_class)->finalize (object);
}

static void
hs_graph_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HsGraphView *self = HS_GRAPH_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;

    case PROP_SHOW_HIDDEN_REFERENCES:
      g_value_set_boolean (value, self->show_hidden);
      break;

    case PROP_EVERY_OBJECT:
      g_value_set_boolean (value, self->every_object);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, hs_graph_view_get_busy (self));
      break;

    case PROP_ANIMATING:
      g_value_set_boolean (value, is_animating (self));
      break;

    case PROP_SELECTED_VARIABLE:
      g_value_set_string (value, hs_graph_view_get_selected_variable (self));
      break;

    case PROP_READABLE_TEXT_PX:
      g_value_set_double (value, self->readable_text_px);
      break;

    case PROP_MAX_FOLLOW_ZOOM:
      g_value_set_double (value, self->max_follow_zoom);
      break;

    case PROP_ELEMENT_CAP:
      g_value_set_uint (value, self->element_cap);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_graph_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HsGraphView *self = HS_GRAPH_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      hs_graph_view_set_zoom (self, g_value_get_double (value));
      break;

    case PROP_FOLLOW:
      hs_graph_view_set_follow (self, g_value_get_boolean (value));
      break;

    case PROP_SHOW_HIDDEN_REFERENCES:
      hs_graph_view_set_show_hidden_references (self, g_value_get_boolean (value));
      break;

    case PROP_EVERY_OBJECT:
      hs_graph_view_set_every_object (self, g_value_get_boolean (value));
      break;

    case PROP_READABLE_TEXT_PX:
      hs_graph_view_set_readable_text_px (self, g_value_get_double (value));
      break;

    case PROP_MAX_FOLLOW_ZOOM:
      hs_graph_view_set_max_follow_zoom (self, g_value_get_double (value));
      break;

    case PROP_ELEMENT_CAP:
      if (self->element_cap != g_value_get_uint (value))
        {
          self->element_cap = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_graph_view_class_init (HsGraphViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_graph_view_dispose;
  object_class->finalize = hs_graph_view_finalize;
  object_class->get_property = hs_graph_view_get_property;
  object_class->set_property = hs_graph_view_set_property;

  widget_class->snapshot = hs_graph_view_snapshot;
  widget_class->size_allocate = hs_graph_view_size_allocate;
  widget_class->root = hs_graph_view_root;
  widget_class->unroot = hs_graph_view_unroot;
  widget_class->query_tooltip = hs_graph_view_query_tooltip;

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         MIN_ZOOM, MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_FOLLOW] =
    g_param_spec_boolean ("follow", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SHOW_HIDDEN_REFERENCES] =
    g_param_spec_boolean ("show-hidden-references", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_EVERY_OBJECT] =
    g_param_spec_boolean ("every-object", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ANIMATING] =
    g_param_spec_boolean ("animating", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SELECTED_VARIABLE] =
    g_param_spec_string ("selected-variable", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Following, box text is at least this many pixels on screen */
  properties[PROP_READABLE_TEXT_PX] =
    g_param_spec_double ("readable-text-px", NULL, NULL,
                         HS_RENDERER_READABLE_PX, 200.0, HS_RENDERER_READABLE_PX,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Following, the camera zooms in no further than this, unless
   * readable-text-px needs it */
  properties[PROP_MAX_FOLLOW_ZOOM] =
    g_param_spec_double ("max-follow-zoom", NULL, NULL,
                         MIN_ZOOM, MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The element cap a run records with: "… N more" offers to run
   * again only with a higher one (0: unknown) */
  properties[PROP_ELEMENT_CAP] =
    g_param_spec_uint ("element-cap", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "graphview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hs_graph_view_init (HsGraphView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->zoom = 1.0;
  self->highlight = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->offset_x = MARGIN;
  self->offset_y = MARGIN;
  self->follow = TRUE;
  self->readable_text_px = HS_RENDERER_READABLE_PX;
  self->max_follow_zoom = 1.0;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  self->animation = adw_timed_animation_new (GTK_WIDGET (self), 0.0, 1.0, ANIMATION_MS,
                                             adw_callback_animation_target_new (animation_value_cb, self, NULL));
  adw_timed_animation_set_easing (ADW_TIMED_ANIMATION (self->animation), ADW_EASE_OUT_CUBIC);
  g_signal_connect_swapped (self->animation, "done", G_CALLBACK (animation_done_cb), self);
  hs_graph_view_camera_init (self);
  g_signal_connect (self->animation, "notify::state", G_CALLBACK (animation_state_cb), self);
  g_signal_connect (self->camera_animation, "notify::state", G_CALLBACK (animation_state_cb), self);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect (gesture, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (invalidate_cache), self, G_CONNECT_SWAPPED);
}
