/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-graph-view"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hs-graph-view-private.h"
#include "hs-renderer.h"

/*
 * The camera follows the program.  When the whole picture of a step fits
 * the view at a readable zoom (box text at least readable-text-px), it is
 * shown whole, up to max-follow-zoom.  Otherwise the camera stays at the
 * readable zoom and shows the view of least cost.  The view is what no
 * folded flap (the inspector, the editor) covers once it rests: one that
 * is still sliding in covers already what it will, so the view moves
 * once, beside the slide.  The cost is a sum of named terms: COST_LINE
 * for each box of what the step's line did (created, changed, bound a
 * name or a slot to, returned, freed) out of view, twice that cut by an
 * edge or covered by the zoom buttons or the pinned frame, and twice
 * again for the object a name was just bound to, the line's result (an
 * object freed along with one that held it counts as COST_SUBJECT: `del
 * a` is read at the list a named, its items go with it);
 * COST_PICKED likewise for the object the user selected or found since
 * the step was first framed, when that step is framed again: the user's
 * latest act, which the inspector explains, outranks the line's;
 * COST_SELECTED likewise for the rest of the selection; COST_SUBJECT for
 * what the lesson's note names, the watched object and the holders just
 * asked for; COST_FRAME while the current frame is not whole in view
 * (its copy is then pinned at the corner: it stays in sight, so its
 * place gives way to the note's objects); COST_BOX for each other box
 * cut or covered; COST_BAND for each pixel of empty band past the
 * picture, beyond two margins and the pinned copy, while boxes lie out
 * past the other edge; COST_SNUG for what matters nearer than half a
 * margin to an edge; and COST_MOVE for each pixel from where the step
 * before left the view, so that it moves only for a cause.  The weights
 * lie orders of magnitude apart, so that a heavier term decides before
 * the lighter ones.  Candidate views put a box's edge half a margin or a
 * pixel past an edge of the view, of the buttons or of the pinned copy;
 * from a few starts (the view before, and that view moved the least to
 * show what matters) the view moves along one axis at a time to the
 * cheapest candidate until none is cheaper.  Fit
 * (hs_graph_view_camera_fit_whole()) is not a framing of the step: it
 * shows all that is drawn, at whatever zoom that takes.
 */
#define COST_PICKED   1e9
#define COST_LINE     1e8
#define COST_SELECTED 1e7
#define COST_SUBJECT  1e6
#define COST_FRAME    1e4
#define COST_BOX      100.0
#define COST_BAND     1000.0
#define COST_SNUG     1.0
#define COST_MOVE     0.01

/* The window floats its zoom and export buttons over the view's bottom
 * right corner.  Their height is measured; this is for a view that
 * floats none. */
#define CONTROLS_RESERVE 48

#define CACHED_FLAGS (HS_OBJECT_IMMORTAL | HS_OBJECT_SMALL_INT | HS_OBJECT_INTERNED)

/* Rounds of moves along each axis in turn from one start */
#define MAX_ROUNDS 4

/* Steps of the framing chain (choose_start()): enough to carry the zoom
 * and the place from step to step, few enough to frame again at once */
#define CHAIN_STEPS 4

/* What the view must show, and what missing it costs */
typedef struct
{
  HsRect rect;
  double cost;   /* COST_PICKED, COST_LINE, COST_SELECTED or COST_SUBJECT */
} Item;

/* What a framing depends on besides its step: compared whole (memcmp) */
typedef struct
{
  gboolean        framed;
  gboolean        from_start;
  HsCamera        start;
  graphene_rect_t clear;
  graphene_rect_t controls;
  double          zooms[2];  /* the least and the most the camera takes */
} Room;

/* What a framing of one step is made from, whatever the view's room */
struct _HsStepShot
{
  HsLayout *layout;
  GArray   *items;    /* Item */
  HsRect    frame;    /* the current frame, if have_frame */
  gboolean  have_frame;
  double    width;    /* the picture's extent, holders included */
  double    height;
  /* The last framing, and what it was made from: the chain frames the
   * same steps again at every step */
  Room      landed_in;
  HsCamera  landed;
};


double
hs_graph_view_camera_min_zoom (HsGraphView *self)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  return hs_renderer_get_readable_scale () * self->readable_text_px / HS_RENDERER_READABLE_PX;
}

double
hs_graph_view_camera_max_zoom (HsGraphView *self)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  return MAX (hs_graph_view_camera_min_zoom (self), self->max_follow_zoom);
}

/* How far a folded flap's pane comes over its content: once it rests
 * (settled), or as far as its slide has brought it */
static double
flap_cover (AdwFlap  *flap,
            gboolean  settled)
{
  GtkWidget *pane = adw_flap_get_flap (flap);
  int width;

  g_assert (ADW_IS_FLAP (flap));

  if (!adw_flap_get_folded (flap) || pane == NULL || !gtk_widget_get_visible (pane))
    return 0;
  width = gtk_widget_get_width (pane);
  /* not allocated yet while it is hidden: what it will take */
  if (width <= 0)
    gtk_widget_measure (pane, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
  return width * (settled ? adw_flap_get_reveal_flap (flap) : adw_flap_get_reveal_progress (flap));
}

/* The part of the view no folded flap covers, in widget pixels: once
 * the flaps rest (settled), or now */
static void
clear_area (HsGraphView     *self,
            gboolean         settled,
            graphene_rect_t *out)
{
  double left = 0, right = gtk_widget_get_width (GTK_WIDGET (self));

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (out != NULL);

  for (GtkWidget *w = gtk_widget_get_parent (GTK_WIDGET (self)); w != NULL; w = gtk_widget_get_parent (w))
    {
      graphene_rect_t b;
      double cover;

      if (!ADW_IS_FLAP (w) || (cover = flap_cover (ADW_FLAP (w), settled)) <= 0 ||
          gtk_widget_is_ancestor (GTK_WIDGET (self), adw_flap_get_flap (ADW_FLAP (w))) ||
          !gtk_widget_compute_bounds (w, GTK_WIDGET (self), &b))
        continue;
      if ((adw_flap_get_flap_position (ADW_FLAP (w)) == GTK_PACK_START) ==
          (gtk_widget_get_direction (w) != GTK_TEXT_DIR_RTL))
        left = MAX (left, b.origin.x + cover);
      else
        right = MIN (right, b.origin.x + b.size.width - cover);
    }
  *out = GRAPHENE_RECT_INIT (left, 0, MAX (right - left, 0), gtk_widget_get_height (GTK_WIDGET (self)));
}

/*
 * The part of the view nothing covers once the flaps rest.  A folded
 * AdwFlap draws its revealed flap over its content: the editor over the
 * view's left on a narrow window, the inspector over its right.  Where
 * a flap is heading, not where its slide has brought it, is the room the
 * camera frames for: it then moves once, beside the slide, not after it.
 * What matters is framed in the rest, and the frame is pinned at its
 * corner.
 */
void
hs_graph_view_camera_get_clear_area (HsGraphView     *self,
                                     graphene_rect_t *out)
{
  g_return_if_fail (HS_IS_GRAPH_VIEW (self));
  g_return_if_fail (out != NULL);

  clear_area (self, TRUE, out);
}

/*
 * Where child, floated over overlay, lies in the view's pixels.  The
 * overlay places its floating children after its main child: while the
 * view is being allocated a new size, they still stand where the old
 * size put them.  So a child held to the bottom right corner (the zoom
 * buttons) is placed from the overlay's new size, as it will be.
 */
static gboolean
floating_bounds (HsGraphView     *self,
                 GtkWidget       *overlay,
                 GtkWidget       *child,
                 graphene_rect_t *out)
{
  graphene_point_t origin;
  double w = gtk_widget_get_width (child), h = gtk_widget_get_height (child);

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (GTK_IS_OVERLAY (overlay) && GTK_IS_WIDGET (child));

  if (gtk_widget_get_halign (child) != GTK_ALIGN_END || gtk_widget_get_valign (child) != GTK_ALIGN_END ||
      !gtk_widget_compute_point (GTK_WIDGET (self), overlay, &GRAPHENE_POINT_INIT (0, 0), &origin))
    return gtk_widget_compute_bounds (child, GTK_WIDGET (self), out);
  *out = GRAPHENE_RECT_INIT (gtk_widget_get_width (overlay) - gtk_widget_get_margin_end (child) - w - origin.x,
                             gtk_widget_get_height (overlay) - gtk_widget_get_margin_bottom (child) - h - origin.y,
                             w, h);
  return TRUE;
}

/*
 * What the window floats over the view: the children of the overlay the
 * view is in (its zoom buttons), in widget pixels, once the flaps rest;
 * FALSE for none.
 */
static gboolean
get_controls (HsGraphView     *self,
              graphene_rect_t *out)
{
  graphene_rect_t settled, now;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (out != NULL);

  clear_area (self, TRUE, &settled);
  clear_area (self, FALSE, &now);
  for (GtkWidget *w = gtk_widget_get_parent (GTK_WIDGET (self)); w != NULL; w = gtk_widget_get_parent (w))
    {
      GtkWidget *main_child;
      gboolean found = FALSE;

      if (!GTK_IS_OVERLAY (w))
        continue;
      main_child = gtk_overlay_get_child (GTK_OVERLAY (w));
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        {
          graphene_rect_t b;

          if (c == main_child || !gtk_widget_get_visible (c) ||
              !floating_bounds (self, w, c, &b) || b.size.width <= 0)
            continue;
          /* The window keeps them beside a folded flap's edge: where
           * they will stand once the flaps rest */
          if (gtk_widget_get_halign (c) == GTK_ALIGN_END)
            b.origin.x += settled.origin.x + settled.size.width - now.origin.x - now.size.width;
          if (found)
            graphene_rect_union (out, &b, out);
          else
            *out = b;
          found = TRUE;
        }
      return found;
    }
  return FALSE;
}

/* The height of the band along the view's bottom that the buttons sit
 * in: what matters is framed above it */
static double
controls_reserve (HsGraphView           *self,
                  const graphene_rect_t *controls)
{
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  g_assert (HS_IS_GRAPH_VIEW (self));

  if (controls == NULL)
    return CONTROLS_RESERVE;
  return CLAMP (height - controls->origin.y, 0, height / 2);
}

/* The band the buttons take now */
static double
current_reserve (HsGraphView *self)
{
  graphene_rect_t controls;

  g_assert (HS_IS_GRAPH_VIEW (self));

  return controls_reserve (self, get_controls (self, &controls) ? &controls : NULL);
}

static void
rect_union (HsRect       *a,
            const HsRect *b)
{
  double x1, y1, x2, y2;

  g_assert (a != NULL && b != NULL);

  x1 = MIN (a->x, b->x);
  y1 = MIN (a->y, b->y);
  x2 = MAX (a->x + a->width, b->x + b->width);
  y2 = MAX (a->y + a->height, b->y + b->height);
  *a = (HsRect) { x1, y1, x2 - x1, y2 - y1 };
}

static gboolean
holds_selection (HsGraphView       *self,
                 const HsHolderBox *box)
{
  guint n = hs_holder_box_get_n_held (box, NULL, NULL, 0);
  g_autofree guint32 *refs = g_new (guint32, MAX (n, 1));

  hs_holder_box_get_n_held (box, refs, NULL, n);
  for (guint i = 0; i < n; i++)
    for (guint s = 0; s < self->n_selected; s++)
      if (refs[i] == self->selection[s].ref)
        return TRUE;
  return FALSE;
}

/* Whether the step's line did something to object: made it, changed it
 * (a mutable one), or made a name or a slot point at it (targets) */
static gboolean
line_did (const HsObject *object,
          GHashTable     *targets,
          guint32         ref)
{
  if (object->changes & HS_CHANGE_CREATED)
    return TRUE;
  /* A runtime that does not report allocations leaves "first seen": what
   * no cache hands out was most likely made by the line. */
  if ((object->changes & HS_CHANGE_NEW) && !(object->flags & CACHED_FLAGS))
    return TRUE;
  if ((object->changes & HS_CHANGE_MUTATED) && (object->flags & HS_OBJECT_MUTABLE))
    return TRUE;
  return g_hash_table_contains (targets, GUINT_TO_POINTER (ref));
}

static void
add_item (GArray       *items,
          const HsRect *rect,
          double        cost)
{
  Item item = { *rect, cost };

  g_assert (items != NULL && rect != NULL);

  g_array_append_val (items, item);
}

/* What the view must show at this step (Item), into shot */
static void
collect_items (HsGraphView         *self,
               const HsRenderMarks *marks,
               HsStepShot          *shot)
{
  HsLayout *layout = shot->layout;
  GPtrArray *holders = hs_graph_view_holders_get (self, layout);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  g_autoptr(GHashTable) targets = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) named = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) freed = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) carried = g_hash_table_new (NULL, NULL);
  const HsLayoutBox *boxes;
  guint n_boxes;
  HsRect zone, garbage_title = { 0 }, rect;

  g_assert (HS_IS_GRAPH_VIEW (self));

  shot->items = g_array_new (FALSE, FALSE, sizeof (Item));
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  /* What was freed along with an object that held it: `del a` frees the
   * list a named, and its items with it; the list is what the line did */
  for (guint i = 0; self->previous_step != NULL && i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_GHOST)
      g_hash_table_add (freed, GUINT_TO_POINTER (boxes[i].ref));
  for (guint i = 0; self->previous_step != NULL && i < n_boxes; i++)
    {
      const HsObject *holder = boxes[i].kind == HS_LAYOUT_BOX_GHOST
                               ? hs_snapshot_lookup (self->previous_step, boxes[i].ref) : NULL;

      for (guint e = 0; holder != NULL && e < holder->n_edges; e++)
        if (holder->edges[e].target != boxes[i].ref
            && g_hash_table_contains (freed, GUINT_TO_POINTER (holder->edges[e].target)))
          g_hash_table_add (carried, GUINT_TO_POINTER (holder->edges[e].target));
    }
  if (snapshot != NULL && hs_snapshot_get_return_ref (snapshot) != 0)
    g_hash_table_add (targets, GUINT_TO_POINTER (hs_snapshot_get_return_ref (snapshot)));
  for (guint i = 0; i < n_boxes; i++)
    {
      const HsLayoutBox *box = &boxes[i];

      /* A name bound to another object points at what the line made it name */
      if (box->kind == HS_LAYOUT_BOX_FRAME && box->current)
        {
          shot->frame = box->rect;
          shot->have_frame = TRUE;
          for (guint r = 0; r < box->n_rows; r++)
            if (box->rows[r].target != 0 && box->rows[r].rebound)
              {
                g_hash_table_add (targets, GUINT_TO_POINTER (box->rows[r].target));
                g_hash_table_add (named, GUINT_TO_POINTER (box->rows[r].target));
              }
        }
      /* So does a slot the line changed: c[2].append(6) is read at the 6
       * as much as at the list */
      for (guint r = 0; marks != NULL && box->kind == HS_LAYOUT_BOX_OBJECT && r < box->n_rows; r++)
        {
          const HsLayoutRow *row = &box->rows[r];

          if (row->target != 0 && hs_render_marks_lookup (marks, box->ref, row->target, row->edge_label))
            g_hash_table_add (targets, GUINT_TO_POINTER (row->target));
          if (row->key_target != 0 && hs_render_marks_lookup_key (marks, box->ref, row->key_target, row->edge_label))
            g_hash_table_add (targets, GUINT_TO_POINTER (row->key_target));
        }
      /* And what the line left unreachable: `del node` on a cycle is read
       * at the cycle, alive in the garbage zone until gc runs */
      if (self->previous_step != NULL && box->kind == HS_LAYOUT_BOX_OBJECT && box->garbage)
        {
          const HsObject *before = hs_snapshot_lookup (self->previous_step, box->ref);

          if (before != NULL && (before->flags & HS_OBJECT_REACHABLE))
            g_hash_table_add (targets, GUINT_TO_POINTER (box->ref));
        }
    }

  if (hs_layout_get_garbage_zone (layout, &zone))
    {
      /* The zone's title runs along its top, above its boxes */
      double top = zone.y + zone.height;

      for (guint i = 0; i < n_boxes; i++)
        if (boxes[i].garbage)
          top = MIN (top, boxes[i].rect.y);
      garbage_title = (HsRect) { zone.x, zone.y, zone.width, top - zone.y };
    }

  for (guint i = 0; i < n_boxes; i++)
    {
      const HsObject *object;

      if (boxes[i].kind == HS_LAYOUT_BOX_GHOST)
        rect = boxes[i].rect;
      else if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT && (object = hs_snapshot_lookup (snapshot, boxes[i].ref)) != NULL &&
               line_did (object, targets, boxes[i].ref))
        rect = boxes[i].rect;
      else
        continue;
      /* Garbage is read with the zone's title, which says why it is alive */
      if (boxes[i].garbage && garbage_title.width > 0)
        rect_union (&rect, &garbage_title);
      /* The line's result, where a name now points, first of all; what
       * was freed with its holder only as much as a subject */
      if (boxes[i].kind == HS_LAYOUT_BOX_GHOST && g_hash_table_contains (carried, GUINT_TO_POINTER (boxes[i].ref)))
        add_item (shot->items, &rect, COST_SUBJECT);
      else
        add_item (shot->items, &rect,
                  COST_LINE * (g_hash_table_contains (named, GUINT_TO_POINTER (boxes[i].ref)) ? 2 : 1));
    }

  /* What the note names, the watched object; the selection */
  for (guint i = 0; self->subjects != NULL && i < self->subjects->len; i++)
    if (hs_layout_get_object_bounds (layout, g_array_index (self->subjects, guint32, i), &rect))
      add_item (shot->items, &rect, COST_SUBJECT);
  for (guint i = 0; i < self->n_selected; i++)
    if (hs_layout_get_object_bounds (layout, self->selection[i].ref, &rect))
      add_item (shot->items, &rect,
                i + 1 == self->n_selected && self->picked ? COST_PICKED : COST_SELECTED);
  /* Hidden holders just turned on: those of the selection (of everything,
   * when nothing is selected) are what the user asked to see */
  for (guint i = 0; self->holders_asked && holders != NULL && i < holders->len; i++)
    {
      const HsHolderBox *box = g_ptr_array_index (holders, i);

      if (self->n_selected > 0 && !holds_selection (self, box))
        continue;
      hs_holder_box_get_title (box, &rect);
      add_item (shot->items, &rect, COST_SUBJECT);
    }
}

static gboolean
fits (const HsRect *r,
      double        zoom,
      int           width,
      int           height)
{
  g_assert (r != NULL);

  return r->width * zoom <= width - 2 * MARGIN + 0.01 && r->height * zoom <= height - 2 * MARGIN + 0.01;
}

static double
fit_zoom (const HsRect *r,
          int           width,
          int           height)
{
  g_assert (r != NULL);

  return MIN ((width - 2 * MARGIN) / MAX (r->width, 1), (height - 2 * MARGIN) / MAX (r->height, 1));
}

/* The least move of start (the view's left edge, in layout units) that
 * shows [lo, lo + size] with a margin, kept over the picture [0, extent]
 * so that the view never rests on an empty corner of it. */
static double
place_axis (double start,
            double lo,
            double size,
            double extent,
            double zoom,
            int    pixels)
{
  double view = pixels / zoom, margin = MARGIN / zoom;

  if (extent * zoom + 2 * MARGIN <= pixels)
    return (extent - view) / 2;
  if (lo + size > start + view - margin)
    start = lo + size - view + margin;
  if (lo < start + margin)
    start = lo - margin;
  return CLAMP (start, -margin, extent + margin - view);
}

/* Whether two rectangles overlap */
static gboolean
rects_meet (const HsRect *a,
            const HsRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width &&
         a->y < b->y + b->height && b->y < a->y + a->height;
}

static gboolean
rect_inside (const HsRect *r,
             const HsRect *view)
{
  return r->x >= view->x && r->x + r->width <= view->x + view->width &&
         r->y >= view->y && r->y + r->height <= view->y + view->height;
}

/* What is drawn: the boxes, the garbage zone's frame and title, and the
 * arrows (by their control points, which a curve stays within: a loop
 * round a box's side is kept whole).  The picture's size keeps a margin
 * past it, and room for what the run makes later. */
static void
content_bounds (HsLayout *layout,
                HsRect   *out)
{
  const HsLayoutBox *boxes;
  const HsLayoutEdge *edges;
  guint n_boxes, n_edges;
  double x1 = G_MAXDOUBLE, y1 = G_MAXDOUBLE, x2 = -G_MAXDOUBLE, y2 = -G_MAXDOUBLE;
  HsRect zone;

  g_assert (layout != NULL && out != NULL);

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].alpha > 0)
      {
        x1 = MIN (x1, boxes[i].rect.x);
        y1 = MIN (y1, boxes[i].rect.y);
        x2 = MAX (x2, boxes[i].rect.x + boxes[i].rect.width);
        y2 = MAX (y2, boxes[i].rect.y + boxes[i].rect.height);
      }
  if (hs_layout_get_garbage_zone (layout, &zone))
    {
      x1 = MIN (x1, zone.x);
      y1 = MIN (y1, zone.y);
      x2 = MAX (x2, zone.x + zone.width);
      y2 = MAX (y2, zone.y + zone.height);
    }
  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint i = 0; i < n_edges; i++)
    for (guint k = 0; edges[i].alpha > 0 && k <= 3 * edges[i].n_curves; k++)
      {
        x1 = MIN (x1, edges[i].path[k].x);
        y1 = MIN (y1, edges[i].path[k].y);
        x2 = MAX (x2, edges[i].path[k].x);
        y2 = MAX (y2, edges[i].path[k].y);
      }
  *out = (HsRect) { x1, y1, x2 - x1, y2 - y1 };
}

/* The whole picture all, centred in the clear area's width x height
 * above the buttons, at the largest zoom that shows it, up to max_zoom */
static void
frame_whole (const HsRect          *all,
             const graphene_rect_t *clear,
             int                    width,
             int                    height,
             double                 max_zoom,
             HsCamera              *out)
{
  double zoom = CLAMP (fit_zoom (all, width, height), MIN_ZOOM, MAX (max_zoom, MIN_ZOOM));

  g_assert (all != NULL && clear != NULL && out != NULL);

  out->zoom = zoom;
  out->offset_x = clear->origin.x + (width - all->width * zoom) / 2 - all->x * zoom;
  out->offset_y = (height - all->height * zoom) / 2 - all->y * zoom;
}

/*
 * Where the picture is wider or taller than the view, moves the view's
 * top left corner (*x0, *y0, right of the strip or below the band) to
 * where its edges cut as few boxes as what matters lets them, and the
 * buttons and the pinned copy cover as few.  Worked out for the whole
 * clear area, whose corner is (vx, vy): the graph shows beside the
 * copy's strip too.
 */

/* What a view of the step is seen through, in layout units: the clear
 * area's size, the buttons from its corner, and where it came from */
typedef struct
{
  const HsStepShot *shot;
  const HsLayoutBox *boxes;
  guint              n_boxes;
  const guint       *near;       /* or only these boxes, in a move along one axis */
  guint              n_near;
  double             clear_x;    /* the clear area's left edge in the widget */
  double             zoom;
  double             width;
  double             height;
  HsRect             controls;   /* from the view's corner */
  gboolean           have_controls;
  double             from_x;     /* the view the step before left, or the start */
  double             from_y;
  double             min[2];     /* the range the corner moves in, across and down */
  double             max[2];
  HsRect             content;    /* around every box drawn */
} Sight;

/* The cost of the view with its corner at (vx, vy): see the top of the file */
static double
view_cost (const Sight *sight,
           double       vx,
           double       vy)
{
  const HsStepShot *shot = sight->shot;
  double zoom = sight->zoom, hair = 1 / zoom, snug = MARGIN / 2 / zoom;
  /* The picture is drawn at whole pixels: a box within a pixel past an
   * edge is neither in view nor cut, one a hair past it is whole */
  HsRect view = { vx, vy, sight->width, sight->height };
  HsRect near = { vx - hair, vy - hair, sight->width + 2 * hair, sight->height + 2 * hair };
  HsRect within = { vx - hair / 4, vy - hair / 4, sight->width + hair / 2, sight->height + hair / 2 };
  HsRect inner = { vx + snug, vy + snug, sight->width - 2 * snug, sight->height - 2 * snug };
  HsRect controls = { vx + sight->controls.x, vy + sight->controls.y, sight->controls.width, sight->controls.height };
  HsRect copy = { 0 };
  gboolean have_copy = FALSE;
  gboolean out_left = sight->content.x < within.x;
  gboolean out_right = sight->content.x + sight->content.width > within.x + within.width;
  gboolean out_top = sight->content.y < within.y;
  gboolean out_bottom = sight->content.y + sight->content.height > within.y + within.height;
  double cost = 0, lead_x = 0, lead_y = 0, margin = MARGIN / zoom, band;

  g_assert (sight != NULL);

  if (shot->have_frame)
    {
      have_copy = hs_graph_view_place_pinned_copy (&shot->frame, &view, zoom, &copy);
      if (have_copy)
        cost += COST_FRAME;
      /* The copy takes room past the picture only at the view's corner:
       * over a frame that shows in part, it stands where the frame is */
      if (have_copy && copy.x <= vx + HS_GRAPH_VIEW_PIN_INSET / zoom + hair)
        lead_x = copy.x + copy.width - vx;
      if (have_copy && copy.y <= vy + HS_GRAPH_VIEW_PIN_INSET / zoom + hair)
        lead_y = copy.y + copy.height - vy;
      else if (sight->have_controls && rects_meet (&shot->frame, &controls))
        cost += 2 * COST_FRAME;
    }
  for (guint i = 0; i < shot->items->len; i++)
    {
      const Item *item = &g_array_index (shot->items, Item, i);
      const HsRect *r = &item->rect;

      if (!rects_meet (r, &near))
        cost += item->cost;
      else if (!rect_inside (r, &within) || (sight->have_controls && rects_meet (r, &controls)) ||
               (have_copy && rects_meet (r, &copy)))
        cost += 2 * item->cost;
      else if (!rect_inside (r, &inner))
        cost += COST_SNUG;
    }
  for (guint k = 0; k < (sight->near != NULL ? sight->n_near : sight->n_boxes); k++)
    {
      const HsLayoutBox *box = &sight->boxes[sight->near != NULL ? sight->near[k] : k];
      const HsRect *r = &box->rect;

      if (box->alpha <= 0 || !rects_meet (r, &near) || (box->kind == HS_LAYOUT_BOX_FRAME && box->current))
        continue;
      if (!rect_inside (r, &within) || (sight->have_controls && rects_meet (r, &controls)) ||
          (have_copy && rects_meet (r, &copy)))
        cost += COST_BOX;
    }
  /* The empty band past the picture's edge, beyond two margins, the
   * pinned copy at the top left and the buttons at the bottom right,
   * while boxes lie out past the opposite edge */
  band = (out_right ? MAX (0, -vx - lead_x - 2 * margin) : 0) +
         (out_left ? MAX (0, vx + sight->width - shot->width - sight->controls.width - 2 * margin) : 0) +
         (out_bottom ? MAX (0, -vy - lead_y - 2 * margin) : 0) +
         (out_top ? MAX (0, vy + sight->height - shot->height - sight->controls.height - 2 * margin) : 0);
  cost += COST_BAND * band * zoom;
  return cost + COST_MOVE * zoom * hypot (vx - sight->from_x, vy - sight->from_y);
}

/* The range the view's corner is kept in along an axis: over the
 * picture [0, extent] with a margin, or, where the picture fits the
 * view's length, anywhere the whole of it stays in view */
static void
corner_range (double  extent,
              double  length,
              double  margin,
              double *min,
              double *max)
{
  g_assert (min != NULL && max != NULL);

  *min = MIN (-margin, extent + margin - length);
  *max = MAX (-margin, extent + margin - length);
}

/* Moves the view's corner along one axis to the candidate of least cost:
 * a box's edge half a margin, or a pixel, past an edge of the view, of
 * the buttons or of the pinned copy, within a view's length of where it
 * stands.  Returns whether it moved. */
static gboolean
move_along (const Sight *whole,
            gboolean     vertical,
            double      *vx,
            double      *vy,
            double      *cost)
{
  const HsStepShot *shot = whole->shot;
  double at = vertical ? *vy : *vx, length = vertical ? whole->height : whole->width;
  double pads[2] = { MARGIN / 2 / whole->zoom, 1 / whole->zoom };
  double lines[5];
  double best = at;
  guint n_lines = 0;
  Sight narrowed = *whole;
  const Sight *sight = &narrowed;
  g_autoptr(GArray) near = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (double));
  double cross_lo, cross_hi;

  g_assert (vx != NULL && vy != NULL && cost != NULL);

  /* Moving along one axis, the view only meets boxes in the band it
   * sweeps across the other: the cost is summed over those, and the
   * candidates, many boxes sharing an edge, are tried once each.  A
   * picture of 1,000 boxes was framed in about half a second otherwise. */
  cross_lo = (vertical ? *vx : *vy) - 1 / whole->zoom;
  cross_hi = (vertical ? *vx + whole->width : *vy + whole->height) + 1 / whole->zoom;
  for (guint i = 0; i < whole->n_boxes; i++)
    {
      const HsRect *r = &whole->boxes[i].rect;
      double lo = vertical ? r->x : r->y, hi = lo + (vertical ? r->width : r->height);

      if (hi >= cross_lo && lo <= cross_hi)
        g_array_append_val (near, i);
    }
  narrowed.near = (const guint *) near->data;
  narrowed.n_near = near->len;

  lines[n_lines++] = 0;
  lines[n_lines++] = length;
  if (sight->have_controls)
    {
      lines[n_lines++] = vertical ? sight->controls.y : sight->controls.x;
      lines[n_lines++] = vertical ? sight->controls.y + sight->controls.height : sight->controls.x + sight->controls.width;
    }
  if (shot->have_frame)
    lines[n_lines++] = HS_GRAPH_VIEW_PIN_INSET / sight->zoom + (vertical ? shot->frame.height : shot->frame.width);

  for (guint i = 0; i < sight->n_boxes + shot->items->len; i++)
    {
      const HsRect *r = i < sight->n_boxes ? &sight->boxes[i].rect : &g_array_index (shot->items, Item, i - sight->n_boxes).rect;
      double lo = vertical ? r->y : r->x, hi = lo + (vertical ? r->height : r->width);

      if (i < sight->n_boxes && sight->boxes[i].alpha <= 0)
        continue;
      if (hi < at - length || lo > at + 2 * length)
        continue;
      for (guint l = 0; l < n_lines; l++)
        for (guint p = 0; p < G_N_ELEMENTS (pads); p++)
          for (guint side = 0; side < 2; side++)
            {
              double to = side == 0 ? lo - pads[p] - lines[l] : hi + pads[p] - lines[l];

              to = CLAMP (to, sight->min[vertical] - length, sight->max[vertical] + length);
              g_array_append_val (candidates, to);
            }
    }
  hs_layout_sort_unique (candidates, 0);
  for (guint k = 0; k < candidates->len; k++)
    {
      double to = g_array_index (candidates, double, k);
      double c;

      c = vertical ? view_cost (sight, *vx, to) : view_cost (sight, to, *vy);
      if (c < *cost - 1e-9)
        {
          *cost = c;
          best = to;
        }
    }
  if (best == at)
    return FALSE;
  *(vertical ? vy : vx) = best;
  return TRUE;
}

/* From (*vx, *vy), moves along each axis in turn while that lowers the
 * cost; returns the cost where it stops */
static double
descend (const Sight *sight,
         double      *vx,
         double      *vy)
{
  double cost = view_cost (sight, *vx, *vy);

  g_assert (sight != NULL);

  for (guint round = 0; round < MAX_ROUNDS; round++)
    {
      gboolean moved = move_along (sight, FALSE, vx, vy, &cost);

      moved |= move_along (sight, TRUE, vx, vy, &cost);
      if (!moved)
        break;
    }
  return cost;
}

/* Sets sight up to see shot at zoom in the room the view has now, from
 * start (its corner, or at another zoom its centre), or from nothing
 * (NULL: the caller places from_x, from_y).  FALSE when the view has no
 * room; *height is what the buttons leave of it. */
static gboolean
sight_init (HsGraphView      *self,
            const HsStepShot *shot,
            double            zoom,
            const HsCamera   *start,
            Sight            *sight,
            int              *width,
            int              *height)
{
  graphene_rect_t clear, controls;
  gboolean have_controls;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (shot != NULL && sight != NULL && width != NULL && height != NULL);

  hs_graph_view_camera_get_clear_area (self, &clear);
  have_controls = get_controls (self, &controls);
  *width = (int) clear.size.width;
  *height = (int) (clear.size.height - controls_reserve (self, have_controls ? &controls : NULL));
  if (*width <= 2 * MARGIN || *height <= 2 * MARGIN)
    return FALSE;

  *sight = (Sight) { shot };
  sight->boxes = hs_layout_get_boxes (shot->layout, &sight->n_boxes);
  for (guint i = 0, n = 0; i < sight->n_boxes; i++)
    if (sight->boxes[i].alpha > 0 && n++ == 0)
      sight->content = sight->boxes[i].rect;
    else if (sight->boxes[i].alpha > 0)
      rect_union (&sight->content, &sight->boxes[i].rect);
  sight->clear_x = clear.origin.x;
  sight->zoom = zoom;
  sight->width = clear.size.width / zoom;
  sight->height = clear.size.height / zoom;
  sight->have_controls = have_controls;
  if (have_controls)
    sight->controls = (HsRect) { (controls.origin.x - clear.origin.x) / zoom, controls.origin.y / zoom,
                                 controls.size.width / zoom, controls.size.height / zoom };
  else
    sight->controls = (HsRect) { 0, sight->height - CONTROLS_RESERVE / zoom, sight->width, CONTROLS_RESERVE / zoom };
  corner_range (shot->width, sight->width, MARGIN / zoom, &sight->min[0], &sight->max[0]);
  /* the buttons' band may stand below the picture */
  corner_range (shot->height, *height / zoom, MARGIN / zoom, &sight->min[1], &sight->max[1]);

  if (start != NULL)
    {
      gboolean same_zoom = G_APPROX_VALUE (start->zoom, zoom, 1e-9);

      sight->from_x = (clear.origin.x + (same_zoom ? 0 : clear.size.width / 2) - start->offset_x) / start->zoom -
                      (same_zoom ? 0 : sight->width / 2);
      sight->from_y = ((same_zoom ? 0 : clear.size.height / 2) - start->offset_y) / start->zoom -
                      (same_zoom ? 0 : sight->height / 2);
    }
  return TRUE;
}

/* The view of least cost from the starts given (corners in layout
 * units), and the camera that shows it */
static void
minimise (const Sight *sight,
          double       (*starts)[2],
          guint        n_starts,
          HsCamera    *out)
{
  double best_cost = G_MAXDOUBLE, best_x = 0, best_y = 0;

  g_assert (sight != NULL && starts != NULL && out != NULL);

  for (guint s = 0; s < n_starts; s++)
    {
      double vx = starts[s][0], vy = starts[s][1];
      double cost = descend (sight, &vx, &vy);

      if (cost < best_cost)
        {
          best_cost = cost;
          best_x = vx;
          best_y = vy;
        }
    }
  *out = (HsCamera) { sight->zoom, sight->clear_x - best_x * sight->zoom, -best_y * sight->zoom };
}

/* The room the view has now, for a framing from start */
static Room
room_now (HsGraphView    *self,
          const HsCamera *start)
{
  Room room;

  g_assert (HS_IS_GRAPH_VIEW (self));

  memset (&room, 0, sizeof room);
  room.framed = TRUE;
  room.from_start = start != NULL;
  if (start != NULL)
    room.start = *start;
  hs_graph_view_camera_get_clear_area (self, &room.clear);
  if (!get_controls (self, &room.controls))
    room.controls = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  room.zooms[0] = hs_graph_view_camera_min_zoom (self);
  room.zooms[1] = hs_graph_view_camera_max_zoom (self);
  return room;
}

/* Where the camera should rest for shot at the current size, from start
 * (where the step before left the view), or from the middle of what
 * matters for none (NULL): the whole picture when it fits at a readable
 * zoom, else the view of least cost at the readable zoom. */
static gboolean
compute_framing (HsGraphView    *self,
                 HsStepShot     *shot,
                 const HsCamera *start,
                 HsCamera       *out)
{
  graphene_rect_t clear;
  int width, height;
  double zoom = hs_graph_view_camera_min_zoom (self);
  HsRect all = { 0 }, must = { 0 };
  gboolean have_must = FALSE;
  Sight sight;
  Room room;
  /* The starts: the view before, then moved the least to show what the
   * line did; with what the note names; with the frame; all of it */
  double starts[5][2];
  guint n_starts = 0;

  g_assert (HS_IS_GRAPH_VIEW (self));

  if (shot == NULL || !sight_init (self, shot, zoom, start, &sight, &width, &height))
    return FALSE;
  room = room_now (self, start);
  if (memcmp (&room, &shot->landed_in, sizeof room) == 0)
    {
      *out = shot->landed;
      return TRUE;
    }
  shot->landed_in = room;

  all.width = shot->width;
  all.height = shot->height;
  if (fit_zoom (&all, width, height) >= zoom)
    {
      hs_graph_view_camera_get_clear_area (self, &clear);
      frame_whole (&all, &clear, width, height, hs_graph_view_camera_max_zoom (self), out);
      shot->landed = *out;
      return TRUE;
    }

  for (guint i = 0; i < shot->items->len; i++)
    if (g_array_index (shot->items, Item, i).cost >= COST_LINE)
      {
        if (have_must)
          rect_union (&must, &g_array_index (shot->items, Item, i).rect);
        else
          must = g_array_index (shot->items, Item, i).rect;
        have_must = TRUE;
      }
  if (!have_must && shot->have_frame)
    {
      must = shot->frame;
      have_must = TRUE;
    }
  if (start == NULL)
    {
      sight.from_x = must.x + must.width / 2 - sight.width / 2;
      sight.from_y = must.y + must.height / 2 - sight.height / 2;
    }

  starts[n_starts][0] = sight.from_x;
  starts[n_starts++][1] = sight.from_y;
  for (guint s = 0; s < 4 && have_must; s++)
    {
      HsRect wanted = must;

      for (guint i = 0; i < shot->items->len; i++)
        if ((s == 1 || s == 3) && g_array_index (shot->items, Item, i).cost < COST_LINE)
          rect_union (&wanted, &g_array_index (shot->items, Item, i).rect);
      if (s >= 2 && shot->have_frame)
        rect_union (&wanted, &shot->frame);
      starts[n_starts][0] = place_axis (sight.from_x, wanted.x, wanted.width, all.width, zoom, width);
      starts[n_starts++][1] = place_axis (sight.from_y, wanted.y, wanted.height, all.height, zoom, height);
    }
  minimise (&sight, starts, n_starts, out);
  shot->landed = *out;
  return TRUE;
}

static HsStepShot *
step_shot_new (HsGraphView *self)
{
  HsStepShot *shot = g_new0 (HsStepShot, 1);

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (self->layout != NULL);

  shot->layout = hs_layout_ref (self->layout);
  collect_items (self, self->marks, shot);
  hs_graph_view_get_extent (self, self->layout, &shot->width, &shot->height);
  return shot;
}

void
hs_step_shot_free (HsStepShot *shot)
{
  if (shot == NULL)
    return;
  g_clear_pointer (&shot->layout, hs_layout_unref);
  g_clear_pointer (&shot->items, g_array_unref);
  g_free (shot);
}
static void     schedule_refit (HsGraphView *self);
static void     note_cover     (HsGraphView *self);

static void
apply_camera (HsGraphView    *self,
              const HsCamera *camera)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  self->zoom = camera->zoom;
  self->offset_x = camera->offset_x;
  self->offset_y = camera->offset_y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Zoom moves geometrically and the point at the view's centre linearly,
 * so the glide neither swoops out nor slides sideways while zooming. */
static void
camera_value_cb (double   t,
                 gpointer user_data)
{
  HsGraphView *self = user_data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  const HsCamera *a = &self->camera_from, *b = &self->camera_to;
  double ax, ay, bx, by, cx, cy;
  HsCamera now;

  if (!self->camera_active)
    return;

  ax = (width / 2.0 - a->offset_x) / a->zoom;
  ay = (height / 2.0 - a->offset_y) / a->zoom;
  bx = (width / 2.0 - b->offset_x) / b->zoom;
  by = (height / 2.0 - b->offset_y) / b->zoom;
  cx = ax + (bx - ax) * t;
  cy = ay + (by - ay) * t;
  now.zoom = exp (log (a->zoom) + (log (b->zoom) - log (a->zoom)) * t);
  now.offset_x = width / 2.0 - cx * now.zoom;
  now.offset_y = height / 2.0 - cy * now.zoom;
  if (t >= 1)
    now = *b;
  apply_camera (self, &now);
}

static void
camera_done_cb (HsGraphView *self)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  if (!self->camera_active)
    return;
  self->camera_active = FALSE;
  apply_camera (self, &self->camera_to);
  g_object_notify (G_OBJECT (self), "zoom");
}

void
hs_graph_view_camera_init (HsGraphView *self)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  self->framing_chain = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_step_shot_free);

  self->camera_animation =
    adw_timed_animation_new (GTK_WIDGET (self), 0.0, 1.0, ANIMATION_MS,
                             adw_callback_animation_target_new (camera_value_cb, self, NULL));
  adw_timed_animation_set_easing (ADW_TIMED_ANIMATION (self->camera_animation), ADW_EASE_OUT_CUBIC);
  g_signal_connect_swapped (self->camera_animation, "done", G_CALLBACK (camera_done_cb), self);
}

void
hs_graph_view_camera_stop (HsGraphView *self)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  if (!self->camera_active)
    return;
  /* Where it is now is where the user took over. */
  self->camera_active = FALSE;
  adw_animation_reset (self->camera_animation);
}

gboolean
hs_graph_view_camera_is_moving (HsGraphView *self)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  return self->camera_active;
}

/* Glides from where the view looks to target, or jumps there */
static void
move_to (HsGraphView    *self,
         const HsCamera *target,
         gboolean        animate)
{
  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (target != NULL);

  if (G_APPROX_VALUE (target->zoom, self->zoom, 1e-6) &&
      G_APPROX_VALUE (target->offset_x, self->offset_x, 0.5) &&
      G_APPROX_VALUE (target->offset_y, self->offset_y, 0.5))
    {
      hs_graph_view_camera_stop (self);
      apply_camera (self, target);
      return;
    }

  if (!animate || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      hs_graph_view_camera_stop (self);
      apply_camera (self, target);
      g_object_notify (G_OBJECT (self), "zoom");
      return;
    }

  self->camera_active = FALSE;
  adw_animation_reset (self->camera_animation);
  self->camera_from = (HsCamera) { self->zoom, self->offset_x, self->offset_y };
  self->camera_to = *target;
  self->camera_active = TRUE;
  adw_animation_play (self->camera_animation);
}

/* Whether the view shows, or glides to, camera: the user has not moved it since */
static gboolean
view_rests_at (HsGraphView    *self,
               const HsCamera *camera)
{
  const HsCamera *at = self->camera_active ? &self->camera_to : &(HsCamera) { self->zoom, self->offset_x, self->offset_y };

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (camera != NULL);

  return G_APPROX_VALUE (at->zoom, camera->zoom, 1e-6) && G_APPROX_VALUE (at->offset_x, camera->offset_x, 0.5) &&
         G_APPROX_VALUE (at->offset_y, camera->offset_y, 0.5);
}

static void
set_chain_start (HsGraphView    *self,
                 const HsCamera *start)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  self->chain_start = *start;
  self->have_chain_start = TRUE;
}

/*
 * What the framing of this step slides from, into *start; FALSE for
 * nothing (the middle of what matters), for a new run or a view the user
 * moved.  The steps shown since, up to CHAIN_STEPS of them, are framed
 * again one after the other at the view's room now, each sliding from
 * the one before, from where the step that left the chain landed, a
 * search or a note's link left the view, or from nothing: where a step
 * lands depends on the steps, their layouts and the view's room, never
 * on the sizes the view had on the way, nor
 * on when and in how many allocations a lesson's notes pane resized the
 * view, nor on whether the steps came slower or faster than the frames
 * (a held Alt+Right).
 */
static gboolean
choose_start (HsGraphView *self,
              gboolean    *new_step,
              HsCamera    *start)
{
  HsSnapshot *snapshot;
  gboolean have_start;
  guint step;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (new_step != NULL && start != NULL);

  snapshot = hs_layout_get_snapshot (self->layout);
  step = snapshot != NULL ? hs_snapshot_get_index (snapshot) : 0;
  /* A step whose first framing failed (the view too small) is still new
   * when it is framed again: its chain was made then */
  *new_step = !self->have_framed_step || self->framed_step != step || self->step_unframed;
  if (!self->have_framed_step || self->framed_step != step)
    {
      if (!view_rests_at (self, &self->framed_camera))
        {
          g_ptr_array_set_size (self->framing_chain, 0);
          g_clear_pointer (&self->framed_shot, hs_step_shot_free);
          self->have_chain_start = FALSE;
        }
      if (self->framed_shot != NULL)
        g_ptr_array_add (self->framing_chain, g_steal_pointer (&self->framed_shot));
      /* The oldest step leaves the chain, and where it lands at this
       * room is where the rest slide from: a view that stays put for
       * many steps stays put still */
      if (self->framing_chain->len > CHAIN_STEPS)
        {
          HsCamera landed;

          if (!compute_framing (self, g_ptr_array_index (self->framing_chain, 0),
                                self->have_chain_start ? &self->chain_start : NULL, &landed))
            self->have_chain_start = FALSE;
          else
            set_chain_start (self, &landed);
          g_ptr_array_remove_index (self->framing_chain, 0);
        }
      self->framed_step = step;
      self->have_framed_step = TRUE;
    }

  have_start = self->have_chain_start;
  *start = self->chain_start;
  for (guint i = 0; i < self->framing_chain->len; i++)
    {
      HsCamera landed;

      if (!compute_framing (self, g_ptr_array_index (self->framing_chain, i), have_start ? start : NULL, &landed))
        continue;
      *start = landed;
      have_start = TRUE;
    }
  return have_start;
}

void
hs_graph_view_camera_frame (HsGraphView *self,
                            gboolean     animate)
{
  graphene_rect_t controls;
  HsCamera target, start;
  HsStepShot *shot;
  gboolean new_step, have_start;

  g_assert (HS_IS_GRAPH_VIEW (self));

  if (self->layout == NULL)
    {
      self->frame_pending = TRUE;
      return;
    }
  have_start = choose_start (self, &new_step, &start);
  if (new_step)
    {
      self->holders_asked = FALSE;
      self->picked = FALSE;
    }
  /* Made anew each time: the selection may have changed */
  shot = step_shot_new (self);
  if (!compute_framing (self, shot, have_start ? &start : NULL, &target))
    {
      hs_step_shot_free (shot);
      self->frame_pending = TRUE;
      self->step_unframed = new_step;
      return;
    }
  self->step_unframed = FALSE;
  hs_step_shot_free (self->framed_shot);
  self->framed_shot = shot;
  self->framed_camera = target;
  self->frame_pending = FALSE;
  self->framed_width = gtk_widget_get_width (GTK_WIDGET (self));
  self->framed_height = gtk_widget_get_height (GTK_WIDGET (self));
  note_cover (self);
  move_to (self, &target, animate);
  /* The buttons float over the view and are placed after it: a framing
   * made before they had a size is checked again once they have one
   * (once: they may stay hidden) */
  if (self->follow && !self->refitting && !get_controls (self, &controls))
    schedule_refit (self);
}

/* Whether a box of layout, seen from camera, lies under the buttons */
static gboolean
boxes_meet_controls (HsLayout              *layout,
                     const HsCamera        *camera,
                     const graphene_rect_t *controls)
{
  const HsLayoutBox *boxes;
  guint n_boxes;

  g_assert (layout != NULL && camera != NULL && controls != NULL);

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      graphene_rect_t on_screen = GRAPHENE_RECT_INIT (boxes[i].rect.x * camera->zoom + camera->offset_x,
                                                      boxes[i].rect.y * camera->zoom + camera->offset_y,
                                                      boxes[i].rect.width * camera->zoom,
                                                      boxes[i].rect.height * camera->zoom);

      if (boxes[i].alpha > 0 && graphene_rect_intersection (&on_screen, controls, NULL))
        return TRUE;
    }
  return FALSE;
}

/*
 * Fit: the whole picture of the step shown, at the largest zoom that
 * shows it in the room the flaps and the buttons leave, below the
 * readable zoom if it must: that is what the user asked for.  The camera
 * does not follow meanwhile (the caller stopped it), so nothing pins the
 * current frame over the picture.
 */
void
hs_graph_view_camera_fit_whole (HsGraphView *self,
                                gboolean     animate)
{
  graphene_rect_t clear, controls;
  gboolean have_controls;
  HsRect all = { 0 };
  HsCamera target;
  GPtrArray *holders;
  int width, height;

  g_return_if_fail (HS_IS_GRAPH_VIEW (self));

  if (self->layout == NULL)
    return;
  hs_graph_view_camera_get_clear_area (self, &clear);
  have_controls = get_controls (self, &controls);
  width = (int) clear.size.width;
  height = (int) clear.size.height;
  if (width <= 2 * MARGIN || height <= 2 * MARGIN)
    return;
  /* What is drawn, not the picture's size: that keeps room for what
   * the run makes later, which Fit would show as empty space */
  content_bounds (self->layout, &all);
  holders = hs_graph_view_holders_get (self, self->layout);
  for (guint i = 0; holders != NULL && i < holders->len; i++)
    {
      const HsHolderBox *box = g_ptr_array_index (holders, i);
      HsRect rect;

      hs_holder_box_get_title (box, &rect);
      rect_union (&all, &rect);
    }
  if (!(all.width > 0 && all.height > 0))
    return;
  /* The whole height, unless the buttons would then cover a box: then
   * the band above them */
  frame_whole (&all, &clear, width, height, hs_graph_view_camera_max_zoom (self), &target);
  if (have_controls && boxes_meet_controls (self->layout, &target, &controls))
    {
      height -= (int) controls_reserve (self, &controls);
      if (height > 2 * MARGIN)
        frame_whole (&all, &clear, width, height, hs_graph_view_camera_max_zoom (self), &target);
    }
  move_to (self, &target, animate);
}

/* Where the camera shows rect, in layout units, whole if it can, clear
 * of the buttons, of any flap and of the pinned frame: the view of least
 * cost (view_cost()) with rect for what the line did, from `from`, at its
 * zoom when that is readable.  FALSE when rect is in clear sight from
 * there already. */
static gboolean
reveal_from (HsGraphView    *self,
             const HsCamera *from,
             const HsRect   *rect,
             HsCamera       *out)
{
  const HsLayoutBox *frame;
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (Item));
  HsStepShot shot = { self->layout, items };
  double zoom = MAX (from->zoom, hs_graph_view_camera_min_zoom (self));
  double starts[2][2];
  int width, height;
  Sight sight;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (from != NULL && rect != NULL && out != NULL);

  if (self->layout == NULL)
    return FALSE;
  add_item (items, rect, COST_LINE);
  /* Following, the current frame is pinned while out of view */
  if (self->follow && (frame = hs_graph_view_current_frame (self->layout)) != NULL)
    {
      shot.frame = frame->rect;
      shot.have_frame = TRUE;
    }
  hs_graph_view_get_extent (self, self->layout, &shot.width, &shot.height);
  if (!sight_init (self, &shot, zoom, from, &sight, &width, &height))
    return FALSE;
  /* Closer in when the object does not fit, but never past readable */
  if (!fits (rect, zoom, width, height))
    {
      zoom = MAX (hs_graph_view_camera_min_zoom (self), fit_zoom (rect, width, height));
      sight_init (self, &shot, zoom, from, &sight, &width, &height);
    }
  /* In clear sight and readable: leave the view be */
  if (G_APPROX_VALUE (zoom, from->zoom, 1e-9))
    {
      double with = view_cost (&sight, sight.from_x, sight.from_y), without;

      g_array_set_size (items, 0);
      without = view_cost (&sight, sight.from_x, sight.from_y);
      add_item (items, rect, COST_LINE);
      if (with - without < COST_LINE)
        return FALSE;
    }
  starts[0][0] = sight.from_x;
  starts[0][1] = sight.from_y;
  starts[1][0] = place_axis (sight.from_x, rect->x, MIN (rect->width, (width - 2 * MARGIN) / zoom), shot.width, zoom, width);
  starts[1][1] = place_axis (sight.from_y, rect->y, MIN (rect->height, (height - 2 * MARGIN) / zoom), shot.height, zoom, height);
  minimise (&sight, starts, G_N_ELEMENTS (starts), out);
  return TRUE;
}

/* Where the view rests once its glide, if any, ends */
static HsCamera
resting_camera (HsGraphView *self)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  if (self->camera_active)
    return self->camera_to;
  return (HsCamera) { self->zoom, self->offset_x, self->offset_y };
}

gboolean
hs_graph_view_camera_reveal (HsGraphView  *self,
                             const HsRect *rect,
                             gboolean      animate)
{
  HsCamera from, target;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (rect != NULL);

  from = resting_camera (self);
  if (!reveal_from (self, &from, rect, &target))
    return FALSE;
  move_to (self, &target, animate);
  /* framed for the room the view has now, flaps and all */
  note_cover (self);
  /* Still following: this step framed again, and the next, slide from
   * here, the least move from what the learner was shown */
  if (self->follow)
    {
      g_ptr_array_set_size (self->framing_chain, 0);
      g_clear_pointer (&self->framed_shot, hs_step_shot_free);
      set_chain_start (self, &target);
      self->framed_camera = target;
    }
  return TRUE;
}

/* Where rect (layout units) lies on screen with the camera at `at` */
static graphene_rect_t
rect_on_screen (const HsCamera *at,
                const HsRect   *rect)
{
  g_assert (at != NULL && rect != NULL);

  return GRAPHENE_RECT_INIT (rect->x * at->zoom + at->offset_x, rect->y * at->zoom + at->offset_y,
                             rect->width * at->zoom, rect->height * at->zoom);
}

/* Whether a folded flap covers some of rect, with the camera at `at`:
 * whether rect meets the band left of the clear area or the band right
 * of it.  Past the view's edges is out of sight, not covered. */
static gboolean
flap_covers (HsGraphView    *self,
             const HsCamera *at,
             const HsRect   *rect)
{
  graphene_rect_t clear, r = rect_on_screen (at, rect);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double x1 = r.origin.x, x2 = r.origin.x + r.size.width;

  g_assert (HS_IS_GRAPH_VIEW (self));

  hs_graph_view_camera_get_clear_area (self, &clear);
  if (r.origin.y + r.size.height <= 0 || r.origin.y >= gtk_widget_get_height (GTK_WIDGET (self)))
    return FALSE;
  return MAX (x1, 0) < MIN (x2, clear.origin.x) ||
         MAX (x1, clear.origin.x + clear.size.width) < MIN (x2, width);
}

/* Placed by hand, the view is the user's: it moves only to uncover the
 * object the inspector explains where a flap came over it, the least
 * that shows it clear (reveal_from()).  TRUE when *camera moved. */
static gboolean
uncover_selection (HsGraphView *self,
                   HsCamera    *camera)
{
  HsCamera from = *camera;
  HsRect rect;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (camera != NULL);

  if (self->n_selected == 0 || self->layout == NULL ||
      !hs_layout_get_object_bounds (self->layout, self->selection[self->n_selected - 1].ref, &rect) ||
      !flap_covers (self, &from, &rect))
    return FALSE;
  return reveal_from (self, &from, &rect, camera);
}

/* Whether what covers the view moved since the last framing: a folded
 * flap over its side, or the zoom buttons' band along its bottom */
static gboolean
cover_moved (HsGraphView *self)
{
  graphene_rect_t clear;

  g_assert (HS_IS_GRAPH_VIEW (self));

  hs_graph_view_camera_get_clear_area (self, &clear);
  return !G_APPROX_VALUE (clear.origin.x, self->framed_clear_x, 0.5) ||
         !G_APPROX_VALUE (clear.size.width, self->framed_clear_width, 0.5) ||
         !G_APPROX_VALUE (current_reserve (self), self->framed_reserve, 0.5);
}

/* Notes what covers the view now, for cover_moved() to compare with */
static void
note_cover (HsGraphView *self)
{
  graphene_rect_t clear;

  g_assert (HS_IS_GRAPH_VIEW (self));

  hs_graph_view_camera_get_clear_area (self, &clear);
  self->framed_clear_x = clear.origin.x;
  self->framed_clear_width = clear.size.width;
  self->framed_reserve = current_reserve (self);
}

/* Frames again for what covers the view now */
static void
refit (HsGraphView *self)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  self->refitting = TRUE;
  hs_graph_view_camera_frame (self, TRUE);
  self->refitting = FALSE;
}

/* Waits out the frame in which a flap that moved, or the buttons, are
 * placed, then refits if what covers the view moved */
static gboolean
refit_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  HsGraphView *self = (HsGraphView *) widget;

  g_assert (HS_IS_GRAPH_VIEW (self));

  if (gdk_frame_clock_get_frame_counter (clock) < self->refit_frame + 2)
    return G_SOURCE_CONTINUE;
  self->refit_tick = 0;
  if (self->follow)
    {
      if (cover_moved (self))
        refit (self);
    }
  else
    {
      HsCamera at = resting_camera (self);

      if (cover_moved (self) && uncover_selection (self, &at))
        move_to (self, &at, TRUE);
      note_cover (self);
    }
  return G_SOURCE_REMOVE;
}

/* Checks what covers the view once the frame after next is drawn, when
 * what moved has its place.  A check already waiting is not put off: the
 * buttons the window moves beside a sliding flap every frame are placed
 * where they will rest (get_controls()), and a later move is checked
 * again. */
static void
schedule_refit (HsGraphView *self)
{
  GdkFrameClock *clock;

  g_assert (HS_IS_GRAPH_VIEW (self));

  if (self->refit_tick != 0 || (clock = gtk_widget_get_frame_clock (GTK_WIDGET (self))) == NULL)
    return;
  self->refit_frame = gdk_frame_clock_get_frame_counter (clock);
  self->refit_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), refit_tick_cb, NULL, NULL);
}

static void
cancel_refit (HsGraphView *self)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  if (self->refit_tick == 0)
    return;
  gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->refit_tick);
  self->refit_tick = 0;
}

/* A folded flap opens or closes over the view, which keeps its size:
 * once the flap has its place, the camera frames for the room it will
 * leave while it slides (or, when the user placed the view, moves only
 * the selected object out from under it).  Its rest checks again. */
static void
flap_changed_cb (AdwFlap     *flap,
                 GParamSpec  *pspec,
                 HsGraphView *self)
{
  double progress = adw_flap_get_reveal_progress (flap);

  g_assert (ADW_IS_FLAP (flap));
  g_assert (HS_IS_GRAPH_VIEW (self));

  if (g_str_equal (pspec->name, "reveal-progress") && progress > 0 && progress < 1)
    return;
  schedule_refit (self);
}

/* The window moved the buttons it floats over the view: out from under
 * a folded flap, or from a row along the bottom into a column where the
 * part a flap leaves is narrower than the row.  Its size stays, so once
 * they have their place, the camera frames what is clear of them again:
 * a framing for the row left the current frame's name under the column. */
static void
controls_moved_cb (GtkWidget   *controls,
                   GParamSpec  *pspec,
                   HsGraphView *self)
{
  g_assert (GTK_IS_WIDGET (controls));
  g_assert (HS_IS_GRAPH_VIEW (self));

  schedule_refit (self);
}

/* Watches, or stops watching, what floats over the view for a move */
static void
watch_controls (HsGraphView *self,
                gboolean     watch)
{
  static const char *const moves[] = { "notify::orientation", "notify::margin-start", "notify::margin-end",
                                       "notify::visible" };
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_OVERLAY);

  g_assert (HS_IS_GRAPH_VIEW (self));

  if (overlay == NULL)
    return;
  for (GtkWidget *c = gtk_widget_get_first_child (overlay); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (c == gtk_overlay_get_child (GTK_OVERLAY (overlay)))
        continue;
      g_signal_handlers_disconnect_by_func (c, controls_moved_cb, self);
      for (guint i = 0; watch && i < G_N_ELEMENTS (moves); i++)
        g_signal_connect_object (c, moves[i], G_CALLBACK (controls_moved_cb), self, 0);
    }
}

void
hs_graph_view_camera_forget (HsGraphView *self)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  if (self->framing_chain != NULL)
    g_ptr_array_set_size (self->framing_chain, 0);
  g_clear_pointer (&self->framed_shot, hs_step_shot_free);
  self->have_chain_start = FALSE;
  self->have_framed_step = FALSE;
  self->step_unframed = FALSE;
}

void
hs_graph_view_camera_dispose (HsGraphView *self)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  g_clear_pointer (&self->framing_chain, g_ptr_array_unref);
  g_clear_pointer (&self->framed_shot, hs_step_shot_free);
}

void
hs_graph_view_camera_check_cover (HsGraphView *self)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  schedule_refit (self);
}

void
hs_graph_view_camera_watch_flaps (HsGraphView *self,
                                  gboolean     watch)
{
  g_assert (HS_IS_GRAPH_VIEW (self));

  for (GtkWidget *w = gtk_widget_get_parent (GTK_WIDGET (self)); w != NULL; w = gtk_widget_get_parent (w))
    {
      if (!ADW_IS_FLAP (w))
        continue;
      g_signal_handlers_disconnect_by_func (w, flap_changed_cb, self);
      if (!watch)
        continue;
      g_signal_connect_object (w, "notify::reveal-flap", G_CALLBACK (flap_changed_cb), self, 0);
      g_signal_connect_object (w, "notify::reveal-progress", G_CALLBACK (flap_changed_cb), self, 0);
      g_signal_connect_object (w, "notify::folded", G_CALLBACK (flap_changed_cb), self, 0);
    }
  watch_controls (self, watch);
  if (!watch)
    cancel_refit (self);
}
