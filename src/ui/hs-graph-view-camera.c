/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-graph-view"

#include "config.h"

#include <math.h>

#include "hs-graph-view-private.h"
#include "hs-renderer.h"

/*
 * The camera follows the program.  At every step it frames the current
 * frame's box and what the step's line created, changed or freed, never
 * below the zoom at which box text is readable-text-px on screen (at
 * least HS_RENDERER_READABLE_PX).
 * When the whole picture fits at a readable zoom it is shown whole, up
 * to max-follow-zoom, since a learner reads more from the whole heap
 * than from a part of it.  When it does not, the camera stays at the
 * readable zoom, which shows the most of it, and places the view where
 * the learner reads the most boxes whole.  When even what matters does
 * not fit, the current frame comes first, then what the line created,
 * changed or freed, nearest first, then what merely came into view.
 * Fit (hs_graph_view_camera_fit_whole()) is not a framing of the step:
 * it shows all that is drawn, at whatever zoom that takes.
 */

/* The window floats its zoom and export buttons over the view's bottom
 * right corner: keep what matters above them.  Their height is measured;
 * this is for a view that floats none. */
#define CONTROLS_RESERVE 48

#define CACHED_FLAGS (HS_OBJECT_IMMORTAL | HS_OBJECT_SMALL_INT | HS_OBJECT_INTERNED)

typedef struct
{
  HsRect rect;
  guint  priority;   /* 0: the current frame; 1: changed; 2: now shown or a hidden holder; 3: named by the frame;
                      * 4: selected */
  double distance;   /* from the current frame */
  gboolean bound;    /* priority 1 only because the line bound a name or a slot to it, or freed it */
} Focus;

/* What a framing of one step is made from, whatever the view's room */
struct _HsStepShot
{
  HsLayout *layout;
  GArray   *focus;    /* Focus, in the order they are given room */
  double    width;    /* the picture's extent, holders included */
  double    height;
};

/* Steps of the framing chain (choose_start()): enough to carry the zoom
 * and the place from step to step, few enough to frame again at once */
#define CHAIN_STEPS 4

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

/*
 * The part of the view nothing covers, in widget pixels.  A folded AdwFlap
 * draws its revealed flap over its content: the editor over the view's
 * left on a narrow window, the inspector over its right.  What matters is
 * framed in the rest, and the frame is pinned at its corner.
 */
void
hs_graph_view_camera_get_clear_area (HsGraphView     *self,
                                     graphene_rect_t *out)
{
  double left = 0, right = gtk_widget_get_width (GTK_WIDGET (self));

  g_return_if_fail (HS_IS_GRAPH_VIEW (self));
  g_return_if_fail (out != NULL);

  for (GtkWidget *w = gtk_widget_get_parent (GTK_WIDGET (self)); w != NULL; w = gtk_widget_get_parent (w))
    {
      GtkWidget *flap;
      graphene_rect_t b;

      if (!ADW_IS_FLAP (w) || !adw_flap_get_folded (ADW_FLAP (w)) ||
          adw_flap_get_reveal_progress (ADW_FLAP (w)) <= 0 ||
          (flap = adw_flap_get_flap (ADW_FLAP (w))) == NULL || !gtk_widget_get_visible (flap) ||
          gtk_widget_is_ancestor (GTK_WIDGET (self), flap) ||
          !gtk_widget_compute_bounds (flap, GTK_WIDGET (self), &b))
        continue;
      if (b.origin.x + b.size.width <= left || b.origin.x >= right)
        continue;
      if (b.origin.x + b.size.width / 2 < (left + right) / 2)
        left = b.origin.x + b.size.width;
      else
        right = b.origin.x;
    }
  *out = GRAPHENE_RECT_INIT (left, 0, MAX (right - left, 0), gtk_widget_get_height (GTK_WIDGET (self)));
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
 * view is in (its zoom buttons), in widget pixels; FALSE for none.
 */
static gboolean
get_controls (HsGraphView     *self,
              graphene_rect_t *out)
{
  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (out != NULL);

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

static int
compare_focus (gconstpointer a,
               gconstpointer b)
{
  const Focus *fa = a, *fb = b;

  if (fa->priority != fb->priority)
    return fa->priority < fb->priority ? -1 : 1;
  /* What the line made or changed before what it only pointed at or freed */
  if (fa->bound != fb->bound)
    return fa->bound ? 1 : -1;
  return fa->distance < fb->distance ? -1 : fa->distance > fb->distance;
}

/* How much a box matters at this step; G_MAXUINT for not at all. */
static guint
box_priority (HsSnapshot        *snapshot,
              const HsLayoutBox *box,
              GHashTable        *targets,
              GHashTable        *named)
{
  const HsObject *object;

  g_assert (box != NULL);

  switch (box->kind)
    {
    case HS_LAYOUT_BOX_FRAME:
      return box->current ? 0 : G_MAXUINT;
    case HS_LAYOUT_BOX_GHOST:
      return 1;
    case HS_LAYOUT_BOX_OBJECT:
    default:
      break;
    }

  object = hs_snapshot_lookup (snapshot, box->ref);
  if (object == NULL)
    return G_MAXUINT;
  if (object->changes & HS_CHANGE_CREATED)
    return 1;
  /* A runtime that does not report allocations leaves "first seen": what
   * no cache hands out was most likely made by the line. */
  if ((object->changes & HS_CHANGE_NEW) && !(object->flags & CACHED_FLAGS))
    return 1;
  if ((object->changes & HS_CHANGE_MUTATED) && (object->flags & HS_OBJECT_MUTABLE))
    return 1;
  if (g_hash_table_contains (targets, GUINT_TO_POINTER (box->ref)))
    return 1;
  if (object->changes & (HS_CHANGE_NEW | HS_CHANGE_RETURNED))
    return 2;
  /* Last, what the current frame's names point at: an arrow from the
   * frame that leaves the view leads nowhere a learner can see */
  if (g_hash_table_contains (named, GUINT_TO_POINTER (box->ref)))
    return 3;
  return G_MAXUINT;
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

/* The rectangles that matter at this step, in the order they are given
 * room; FALSE when nothing does (an empty step). */
static GArray *
collect_focus (HsGraphView         *self,
               HsLayout            *layout,
               const HsRenderMarks *marks)
{
  GPtrArray *holders = hs_graph_view_holders_get (self, layout);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  g_autoptr(GHashTable) targets = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) named = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) none = g_hash_table_new (NULL, NULL);
  GArray *focus = g_array_new (FALSE, FALSE, sizeof (Focus));
  const HsLayoutBox *boxes;
  guint n_boxes;
  double cx = 0, cy = 0;
  gboolean have_frame = FALSE;
  HsRect zone, garbage_title;

  g_assert (layout != NULL);

  boxes = hs_layout_get_boxes (layout, &n_boxes);

  /* A name bound to another object points at what the line made it name */
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_FRAME && boxes[i].current)
      {
        for (guint r = 0; r < boxes[i].n_rows; r++)
          {
            if (boxes[i].rows[r].target != 0 && boxes[i].rows[r].rebound)
              g_hash_table_add (targets, GUINT_TO_POINTER (boxes[i].rows[r].target));
            if (boxes[i].rows[r].target != 0)
              g_hash_table_add (named, GUINT_TO_POINTER (boxes[i].rows[r].target));
          }
        cx = boxes[i].rect.x + boxes[i].rect.width / 2;
        cy = boxes[i].rect.y + boxes[i].rect.height / 2;
        have_frame = TRUE;
      }

  /* So does a slot the line changed in a container: c[2].append(6)
   * is read at the 6 as much as at the list. */
  for (guint i = 0; marks != NULL && i < n_boxes; i++)
    for (guint r = 0; boxes[i].kind == HS_LAYOUT_BOX_OBJECT && r < boxes[i].n_rows; r++)
      {
        const HsLayoutRow *row = &boxes[i].rows[r];

        if (row->target != 0 && hs_render_marks_lookup (marks, boxes[i].ref, row->target, row->edge_label))
          g_hash_table_add (targets, GUINT_TO_POINTER (row->target));
        if (row->key_target != 0 &&
            hs_render_marks_lookup_key (marks, boxes[i].ref, row->key_target, row->edge_label))
          g_hash_table_add (targets, GUINT_TO_POINTER (row->key_target));
      }

  /* And what the line left unreachable: `del node` on a cycle is read at
   * the cycle, which stays alive in the garbage zone until gc runs */
  for (guint i = 0; self->previous_step != NULL && i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT && boxes[i].garbage)
      {
        const HsObject *before = hs_snapshot_lookup (self->previous_step, boxes[i].ref);

        if (before != NULL && (before->flags & HS_OBJECT_REACHABLE))
          g_hash_table_add (targets, GUINT_TO_POINTER (boxes[i].ref));
      }

  garbage_title = (HsRect) { 0 };
  if (hs_layout_get_garbage_zone (layout, &zone))
    {
      /* The zone's title runs along its top, above its boxes, as wide
       * as the zone */
      double top = zone.y + zone.height;

      for (guint i = 0; i < n_boxes; i++)
        if (boxes[i].garbage)
          top = MIN (top, boxes[i].rect.y);
      garbage_title = (HsRect) { zone.x, zone.y, zone.width, top - zone.y };
    }

  for (guint i = 0; i < n_boxes; i++)
    {
      Focus f = { boxes[i].rect, box_priority (snapshot, &boxes[i], targets, named), 0, FALSE };

      if (f.priority == G_MAXUINT)
        continue;
      /* Garbage that matters is read with the zone's title, which says
       * why it is still alive */
      if (boxes[i].garbage && f.priority <= 1 && garbage_title.width > 0)
        rect_union (&f.rect, &garbage_title);
      /* A freed object's ghost, too, gives way to what is alive */
      f.bound = f.priority == 1 &&
                (boxes[i].kind == HS_LAYOUT_BOX_GHOST || box_priority (snapshot, &boxes[i], none, named) != 1);
      if (have_frame)
        f.distance = hypot (f.rect.x + f.rect.width / 2 - cx, f.rect.y + f.rect.height / 2 - cy);
      g_array_append_val (focus, f);
    }
  /* Hidden holders are shown because the user asked to see them; just
   * as they turn them on, those of the selection (of everything, when
   * nothing is selected) are what they asked to see: below a tall
   * picture they had stayed out of view */
  for (guint i = 0; holders != NULL && i < holders->len; i++)
    {
      const HsHolderBox *box = g_ptr_array_index (holders, i);
      Focus f = { { 0 }, 2, 0, FALSE };

      if (self->holders_asked && (self->n_selected == 0 || holds_selection (self, box)))
        f.priority = 1;
      hs_holder_box_get_title (box, &f.rect);
      if (have_frame)
        f.distance = hypot (f.rect.x + f.rect.width / 2 - cx, f.rect.y + f.rect.height / 2 - cy);
      g_array_append_val (focus, f);
    }
  /* What the learner selected (a click, a search, a note's link) is
   * read on while it stays selected, but only beside what the line did */
  for (guint i = 0; i < self->n_selected; i++)
    {
      Focus f = { { 0 }, 4, 0, FALSE };

      if (!hs_layout_get_object_bounds (layout, self->selection[i].ref, &f.rect))
        continue;
      if (have_frame)
        f.distance = hypot (f.rect.x + f.rect.width / 2 - cx, f.rect.y + f.rect.height / 2 - cy);
      g_array_append_val (focus, f);
    }
  g_array_sort (focus, compare_focus);
  return focus;
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

/* What the learner sees of the picture from a view: the part of the
 * widget no flap covers, in layout units, and what floats over it */
typedef struct
{
  double        width;
  double        height;
  HsRect        controls;  /* the zoom buttons, from the view's corner */
  gboolean      have_controls;
  const HsRect *frame;     /* the current frame, pinned at the corner when it is not in view */
  double        zoom;
  double        picture_width;   /* the whole picture's extent */
  double        picture_height;
  const HsRect *wanted;    /* what the framing chose to show, or NULL */
} Sight;

static gboolean
rect_inside (const HsRect *r,
             const HsRect *view)
{
  return r->x >= view->x && r->x + r->width <= view->x + view->width &&
         r->y >= view->y && r->y + r->height <= view->y + view->height;
}

/* How a view of the picture reads (reading_at()) */
typedef struct
{
  guint chosen;   /* as matters, for what the framing chose (inside the sight's wanted) */
  guint matters;  /* what else matters (focus up to priority 1) cut or under the buttons
                   * or the pinned copy: 1000 each; out of view: 100, less than cut */
  guint covered;  /* boxes under the pinned copy, but the frame it stands for */
  guint spoiled;  /* boxes the view's edges cut, or under the buttons or the copy */
  guint unseen;   /* boxes wholly out of view */
  double band;    /* the empty room the view shows past the picture's edges, beyond
                   * two margins, the pinned copy and the buttons' band, while boxes lie
                   * out past the opposite edge, in layout units */
} Reading;

/* How a view of the picture reads, its top left corner at (vx, vy).  A
 * box half in view is neither read nor gone. */
static Reading
reading_at (const HsLayoutBox *boxes,
            guint              n_boxes,
            GArray            *focus,
            double             vx,
            double             vy,
            const Sight       *sight)
{
  /* The picture is drawn at whole pixels (drawn_offset()): a box that
   * ends within a pixel past an edge may still show a sliver there, and
   * one a hair past it, as snap_axis() may leave two boxes that fill
   * the view, shows whole */
  HsRect near = { vx - 1 / sight->zoom, vy - 1 / sight->zoom, sight->width + 2 / sight->zoom,
                  sight->height + 2 / sight->zoom };
  HsRect within = { vx - 0.25 / sight->zoom, vy - 0.25 / sight->zoom, sight->width + 0.5 / sight->zoom,
                    sight->height + 0.5 / sight->zoom };
  HsRect view = { vx, vy, sight->width, sight->height }, controls, copy;
  gboolean have_copy, out_left = FALSE, out_right = FALSE, out_top = FALSE, out_bottom = FALSE;
  Reading reading = { 0 };

  g_assert (boxes != NULL || n_boxes == 0);
  g_assert (sight != NULL);

  controls = (HsRect) { vx + sight->controls.x, vy + sight->controls.y, sight->controls.width, sight->controls.height };
  have_copy = sight->frame != NULL && hs_graph_view_place_pinned_copy (sight->frame, &view, sight->zoom, &copy);

  for (guint i = 0; i < n_boxes; i++)
    {
      const HsRect *r = &boxes[i].rect;
      gboolean covered;

      if (boxes[i].alpha <= 0)
        continue;
      /* A frame cut at the edge counts too: its copy is drawn over
       * where it shows, not at the corner the camera kept for it.  The
       * copy stands for the frame it covers.  A box is spoiled once,
       * however many of those befall it: counted twice, a box cut at the
       * bottom edge and under the buttons weighed as much as another
       * box cut, and the view rested where it cut both (the freeing
       * lesson at 1024x600, step 21) */
      covered = have_copy && rects_meet (r, &copy) && rects_meet (r, &near) &&
                !(boxes[i].kind == HS_LAYOUT_BOX_FRAME && boxes[i].current);
      reading.covered += covered;
      reading.spoiled += (rects_meet (r, &near) && !rect_inside (r, &within))
                         || (sight->have_controls && rects_meet (r, &controls))
                         || covered;
      reading.unseen += !rects_meet (r, &near);
      out_left |= r->x < within.x;
      out_right |= r->x + r->width > within.x + within.width;
      out_top |= r->y < within.y;
      out_bottom |= r->y + r->height > within.y + within.height;
    }
  for (guint i = 0; focus != NULL && i < focus->len; i++)
    {
      const Focus *f = &g_array_index (focus, Focus, i);
      guint *count;

      if (f->priority > 1 || (f->priority == 0 && sight->frame != NULL))
        continue;
      count = sight->wanted != NULL && rect_inside (&f->rect, sight->wanted) ? &reading.chosen : &reading.matters;
      *count += 1000 * (sight->have_controls && rects_meet (&f->rect, &controls));
      *count += 1000 * (have_copy && rects_meet (&f->rect, &copy));
      if (!rects_meet (&f->rect, &near))
        *count += 100;
      else if (!rect_inside (&f->rect, &within))
        *count += 1000;
    }
  {
    double margin = MARGIN / sight->zoom;
    double lead_x = have_copy ? MAX (0, copy.x + copy.width - vx) : 0;
    double lead_y = have_copy ? MAX (0, copy.y + copy.height - vy) : 0;
    double buttons = sight->have_controls ? sight->height - sight->controls.y : 0;

    /* Only while boxes lie out past the other edge: a picture that
     * fits leaves room past some edge wherever the view stands */
    reading.band = (out_right ? MAX (0, -vx - lead_x - 2 * margin) : 0) +
                   (out_left ? MAX (0, vx + sight->width - sight->picture_width - 2 * margin) : 0) +
                   (out_bottom ? MAX (0, -vy - lead_y - 2 * margin) : 0) +
                   (out_top ? MAX (0, vy + sight->height - sight->picture_height - buttons - 2 * margin) : 0);
  }
  return reading;
}

/* Whether a view that reads as a reads worse than one that reads as b
 * (1), better (-1) or as well (0).  What matters comes first, then how
 * many boxes the learner cannot read whole: cut, covered or out of view
 * alike, then the empty band it shows past the picture, then how many
 * boxes are cut or covered, which reads as a mistake.
 *
 * Counting cut and covered boxes alone, the camera hid whole boxes to
 * cut none: the aliasing example's line 9 at 1024x600 slid the view left
 * of the picture, leaving 9 of its 12 boxes out; the copies example's
 * last step, down past the picture's bottom; the mutable lesson at
 * 1024x600, step 9, 146 units past the picture's left edge, beside the
 * pinned copy.  A view may stand up to two margins past an edge for
 * free: counting every unit, the functions example at 1024x600, step
 * 16, cut the module's frame and drew the pinned copy over a cell's
 * title (3 boxes spoiled), where a view 55 units past the picture's edge
 * spoiled 1. */
static int
compare_readings (const Reading *a,
                  const Reading *b)
{
  /* What the framing chose, in the camera's order, to fit the view comes
   * before the rest of what matters: weighed alike, the copies example's
   * Deep Copy at 1024x600, beside the inspector, hid the new list under
   * the pinned frame to show whole an inner list the framing had left
   * out. */
  if (a->chosen != b->chosen)
    return a->chosen < b->chosen ? -1 : 1;
  if (a->matters != b->matters)
    return a->matters < b->matters ? -1 : 1;
  if (a->spoiled + a->unseen != b->spoiled + b->unseen)
    return a->spoiled + a->unseen < b->spoiled + b->unseen ? -1 : 1;
  /* to a unit: a view a hair nearer an edge reads the same */
  if (fabs (a->band - b->band) >= 1)
    return a->band < b->band ? -1 : 1;
  if (a->spoiled != b->spoiled)
    return a->spoiled < b->spoiled ? -1 : 1;
  return 0;
}

/* The best place snap_axis() has found so far, and how it reads */
typedef struct
{
  const HsLayoutBox *boxes;
  guint              n_boxes;
  GArray            *focus;
  const Sight       *sight;
  gboolean           vertical;
  double             vx;       /* the view's corner, the axis moved along aside */
  double             vy;
  double             origin;
  double             best;
  Reading            reading;  /* at best */
} Snap;

/* Moves snap's best to at if the view reads better there, or as well
 * and nearer where it was */
static void
snap_try (Snap  *snap,
          double at)
{
  Reading reading;
  int order;

  reading = snap->vertical ? reading_at (snap->boxes, snap->n_boxes, snap->focus, snap->vx, at, snap->sight)
                           : reading_at (snap->boxes, snap->n_boxes, snap->focus, at, snap->vy, snap->sight);
  order = compare_readings (&reading, &snap->reading);
  if (order < 0 || (order == 0 && fabs (at - snap->origin) < fabs (snap->best - snap->origin)))
    {
      snap->best = at;
      snap->reading = reading;
    }
}

/* Moves the view (its top left corner at *vx, *vy in layout units) along
 * one axis within [min, max], where what matters stays in view, to where
 * it reads best (compare_readings()); the nearest such place wins.
 * Returns how it reads there. */
static Reading
snap_axis (HsLayout     *layout,
           GArray       *focus,
           gboolean      vertical,
           double       *vx,
           double       *vy,
           const Sight  *sight,
           double        min,
           double        max)
{
  double origin = vertical ? *vy : *vx;
  Snap snap = { NULL, 0, focus, sight, vertical, *vx, *vy, origin, origin };
  double ends[2];
  /* A box rests half a margin past a line, or, where what matters
   * leaves no room for that, just past it, or a pixel past it where two
   * boxes fill the view but for two pixels: shown whole beats cut */
  double pads[3] = { MARGIN / 2 / sight->zoom, 2 / sight->zoom, 1 / sight->zoom };
  const HsRect *frame = sight->frame;
  /* The lines a box may rest just past or just before, from the view's
   * corner: its edges, the buttons' edges, the pinned copy's edges */
  double lines[6];
  guint n_lines = 0;

  g_assert (layout != NULL && vx != NULL && vy != NULL && sight != NULL);

  lines[n_lines++] = 0;
  lines[n_lines++] = vertical ? sight->height : sight->width;
  if (sight->have_controls)
    {
      lines[n_lines++] = vertical ? sight->controls.y : sight->controls.x;
      lines[n_lines++] = vertical ? sight->controls.y + sight->controls.height : sight->controls.x + sight->controls.width;
    }
  if (frame != NULL)
    {
      lines[n_lines++] = HS_GRAPH_VIEW_PIN_INSET / sight->zoom;
      lines[n_lines++] = HS_GRAPH_VIEW_PIN_INSET / sight->zoom + (vertical ? frame->height : frame->width);
    }

  snap.boxes = hs_layout_get_boxes (layout, &snap.n_boxes);
  snap.reading = reading_at (snap.boxes, snap.n_boxes, focus, *vx, *vy, sight);
  /* The view at either end of the picture: one centred on what matters
   * may leave the rest of the picture out where an end shows it (the
   * aliasing example at 1024x600 slid the view left of the picture,
   * hiding a column of ints for an empty strip) */
  ends[0] = -MARGIN / sight->zoom;
  ends[1] = (vertical ? sight->picture_height - sight->height : sight->picture_width - sight->width) + MARGIN / sight->zoom;
  for (guint i = 0; i < G_N_ELEMENTS (ends) && snap.reading.unseen > 0 && min <= max; i++)
    snap_try (&snap, CLAMP (ends[i], min, max));
  /* Not only until a place spoils nothing: one that spoils a box may
   * show more boxes whole */
  for (guint i = 0; i < snap.n_boxes && min <= max; i++)
    {
      const HsLayoutBox *box = &snap.boxes[i];
      double lo = vertical ? box->rect.y : box->rect.x;
      double hi = lo + (vertical ? box->rect.height : box->rect.width);

      /* Only a box spoiled where the view stands may be moved past: the
       * rest stay as they are */
      if (box->alpha <= 0 || reading_at (box, 1, NULL, *vx, *vy, sight).spoiled == 0)
        continue;
      for (guint k = 0; k < 2 * G_N_ELEMENTS (pads) * n_lines; k++)
        {
          /* The box just past the line, or just before it */
          double pad = pads[k / (2 * n_lines)];
          double line = lines[k % (2 * n_lines) / 2];
          double at = k % 2 == 0 ? lo - pad - line : hi + pad - line;

          /* Where what matters leaves less room than the pad, as near
           * as it lets */
          snap_try (&snap, CLAMP (at, min, max));
        }
    }
  *(vertical ? vy : vx) = snap.best;
  return snap.reading;
}

/* Grows wanted by each focus rectangle from first on, in order, that
 * still lets it fit width x height pixels at zoom; returns how many. */
static guint
grow_focus (HsRect       *wanted,
            GArray       *focus,
            guint         first,
            guint         max_priority,
            double        zoom,
            int           width,
            int           height)
{
  guint n = 0;

  g_assert (wanted != NULL && focus != NULL);

  for (guint i = first; i < focus->len; i++)
    {
      const Focus *f = &g_array_index (focus, Focus, i);
      HsRect grown = *wanted;

      if (f->priority > max_priority)
        break;
      rect_union (&grown, &f->rect);
      if (fits (&grown, zoom, width, height))
        {
          *wanted = grown;
          n++;
        }
    }
  return n;
}

/* Grows wanted by what matters, then, only if all of that fitted, by
 * what came into view, by what the frame names and by what is selected,
 * in that order; returns how many of
 * what matters it took in (times 1000) plus how many of the rest, to
 * compare two framings. */
static guint
grow_all (HsRect *wanted,
          GArray *focus,
          guint   first,
          double  zoom,
          int     width,
          int     height)
{
  guint n;

  g_assert (wanted != NULL && focus != NULL);

  n = grow_focus (wanted, focus, first, 1, zoom, width, height);
  /* What merely came into view, or what the frame names, would only
   * draw the view further from what matters that did not fit */
  for (guint i = first; i < focus->len && g_array_index (focus, Focus, i).priority <= 1; i++)
    if (i - first >= n)
      return 1000 * n;
  n *= 1000;
  n += grow_focus (wanted, focus, first, 2, zoom, width, height);
  n += grow_focus (wanted, focus, first, 3, zoom, width, height);
  n += grow_focus (wanted, focus, first, 4, zoom, width, height);
  return n;
}

/* A framing as compute_framing() works it out: what the view must show,
 * and the room the pinned copy of the current frame takes, if pinned */
typedef struct
{
  HsRect   wanted;     /* in layout units */
  HsRect   frame;      /* the current frame, when pinned */
  gboolean pinned;
  gboolean below;      /* what matters goes below the copy, not beside it */
  double   reserve_x;  /* the strip kept clear down the left edge, in pixels */
  double   reserve_y;  /* or the band along the top */
} Framing;

/* Whether the current frame (focus[0], if it is one) cannot share the
 * view at zoom with one of what matters */
static gboolean
frame_stands_apart (GArray *focus,
                    double  zoom,
                    int     width,
                    int     height)
{
  const Focus *frame;

  g_assert (focus != NULL);

  if (focus->len == 0 || (frame = &g_array_index (focus, Focus, 0))->priority != 0)
    return FALSE;
  for (guint i = 1; i < focus->len; i++)
    {
      const Focus *f = &g_array_index (focus, Focus, i);
      HsRect grown = frame->rect;

      if (f->priority > 1)
        break;
      rect_union (&grown, &f->rect);
      if (!fits (&grown, zoom, width, height))
        return TRUE;
    }
  return FALSE;
}

/* The strip or the band the pinned copy takes at zoom, in pixels.  What
 * matters keeps MARGIN from the view's edges, and from the strip's: so
 * the strip ends MARGIN / 2 short of the copy's edge, and what matters
 * stands MARGIN / 2 from the copy, as far as snap_axis() keeps boxes
 * from the copy's edges.  A full MARGIN more cost a line's new dict
 * and its lists their place beside the copy at 1024x600. */
static void
set_pin_room (Framing *framing,
              double   zoom)
{
  double side;

  g_assert (framing != NULL);

  side = HS_GRAPH_VIEW_PIN_INSET + (framing->below ? framing->frame.height : framing->frame.width) * zoom - MARGIN / 2;
  framing->reserve_x = framing->below ? 0 : side;
  framing->reserve_y = framing->below ? side : 0;
}

/*
 * The pinned copy covers the view's top left corner: what matters goes
 * beside it (a strip down the left edge is kept clear) or below it (a
 * band along the top), whichever shows more of it.  A frame is wide and
 * short, and a projector's pane beside the snippet narrow.
 */
static void
pin_frame (Framing *framing,
           GArray  *focus,
           double   zoom,
           int      width,
           int      height)
{
  Framing beside = { g_array_index (focus, Focus, 1).rect, g_array_index (focus, Focus, 0).rect, TRUE, FALSE };
  Framing below = { beside.wanted, beside.frame, TRUE, TRUE };
  guint n_beside, n_below;

  g_assert (framing != NULL && focus != NULL && focus->len > 1);

  set_pin_room (&beside, zoom);
  set_pin_room (&below, zoom);
  /* The first of what matters counts too: a narrow pane may not have
   * room for it beside the copy */
  n_beside = 1000 * fits (&beside.wanted, zoom, width - beside.reserve_x, height) +
             grow_all (&beside.wanted, focus, 2, zoom, width - beside.reserve_x, height);
  n_below = 1000 * fits (&below.wanted, zoom, width, height - below.reserve_y) +
            grow_all (&below.wanted, focus, 2, zoom, width, height - below.reserve_y);
  *framing = n_below > n_beside && fits (&below.wanted, zoom, width, height - below.reserve_y) ? below : beside;
}

/* What the view must show at this step, at min_zoom in width x height */
static void
choose_wanted (Framing *framing,
               GArray  *focus,
               double   min_zoom,
               int      width,
               int      height)
{
  g_assert (framing != NULL && focus != NULL);

  *framing = (Framing) { { 0 } };
  if (focus->len == 0)
    framing->wanted = (HsRect) { 0, 0, width / min_zoom, height / min_zoom };
  else if (frame_stands_apart (focus, min_zoom, width, height))
    pin_frame (framing, focus, min_zoom, width, height);
  else
    {
      framing->wanted = g_array_index (focus, Focus, 0).rect;
      grow_all (&framing->wanted, focus, 1, min_zoom, width, height);
    }
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
static void
slide_view (HsGraphView           *self,
            HsLayout              *layout,
            GArray                *focus,
            Framing               *framing,
            const HsRect          *all,
            double                 zoom,
            int                    width,
            int                    height,
            const graphene_rect_t *clear,
            const graphene_rect_t *controls,
            double                *x0,
            double                *y0)
{
  const HsRect *wanted = &framing->wanted;
  double margin = MARGIN / zoom;
  double view_x = (width - framing->reserve_x) / zoom;
  /* What matters is placed above the buttons' band, but it and the
   * picture may reach down past the band's top, to the view's bottom
   * edge: reading_at() counts what comes under the buttons themselves,
   * and what matters far more */
  double whole_y = (clear->size.height - framing->reserve_y) / zoom;
  /* What matters is placed MARGIN from the edges, but may come closer to
   * them where that shows whole a box an edge would cut: a box cut for
   * a few pixels of margin reads as a mistake.  Down to half a pixel:
   * kept a whole pixel clear, the ReferenceType that the freeing lesson
   * makes at 1024x600, step 25, left the module above it cut by a
   * quarter of a pixel, in a view that had room for both */
  double tight = 0.5 / zoom;
  double vx = *x0 - framing->reserve_x / zoom, vy = *y0 - framing->reserve_y / zoom;
  /* Kept over the picture, but for a pinned frame, which may need the
   * view to go a little past the picture's edge to leave it whole: a
   * frame that shows in part draws its copy over it, and not at the
   * corner kept for it */
  double slack = framing->pinned ? G_MAXDOUBLE / 4 : 0;
  Sight sight = { clear->size.width / zoom, clear->size.height / zoom, { 0 }, controls != NULL,
                  framing->pinned ? &framing->frame : NULL, zoom, all->width, all->height, wanted };
  Reading here;  /* how the view reads where the snap across left it */
  gboolean fits_across = all->width * zoom + 2 * MARGIN <= width - framing->reserve_x;
  /* where what is drawn begins and ends across; the range the view
   * moves in where the picture fits across */
  double first, last, across_min = 0, across_max = 0;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (focus != NULL && framing != NULL && all != NULL && clear != NULL && x0 != NULL && y0 != NULL);

  if (controls != NULL)
    sight.controls = (HsRect) { (controls->origin.x - clear->origin.x) / zoom, controls->origin.y / zoom,
                                controls->size.width / zoom, controls->size.height / zoom };
  /* The view is kept over the picture, but where it already stands
   * further past the picture's edge, it may rest anywhere between there
   * and the edge: a view the step before left low over a picture that
   * has since shrunk would else stay there, cutting a box a shift
   * towards the picture shows whole.  The strip or band kept for the
   * pinned copy is empty only where the copy is: what matters may rise
   * into the rest of it, beside the copy, where reading_at() sees that
   * the copy does not cover it. */
  if (!fits_across)
    {
      across_min = MAX (wanted->x + wanted->width + tight - view_x, MIN (-margin - slack, *x0)) - framing->reserve_x / zoom;
      /* wanted's edge is not moved by the strip: see above */
      across_max = MIN (wanted->x - tight, MAX (all->width + margin - view_x + slack, *x0) - framing->reserve_x / zoom);
      here = snap_axis (layout, focus, FALSE, &vx, &vy, &sight, across_min, across_max);
    }
  else
    {
      /* The picture fits across and is centred, but the buttons may
       * cover a box, or the copy one that rose beside the band: it may
       * move as far as all that is drawn stays in view, into the
       * picture's margin.  Kept to the margin, the view left the
       * freeing lesson's str 'b' under the buttons at 1280x800 from
       * step 29, 24 px short of a view that showed every box */
      HsRect drawn;

      content_bounds (layout, &drawn);
      first = drawn.x;
      last = drawn.x + drawn.width;
      across_min = MIN (last, all->width) + tight - width / zoom;
      across_max = MAX (first, 0) - tight;
      here = snap_axis (layout, focus, FALSE, &vx, &vy, &sight, across_min, across_max);
    }

  /* The pinned copy best covers the column of frames it comes from, not
   * objects the view would hide under it, unless that leaves what
   * matters under the buttons, or spoils more than the view beside it.
   * Decided before the view moves down: which boxes the buttons and the
   * copy cover there depends on where the view stands across. */
  if (framing->pinned && !framing->below && wanted->x >= framing->frame.x + framing->frame.width &&
      wanted->x + wanted->width + margin <= framing->frame.x - HS_GRAPH_VIEW_PIN_INSET / zoom + width / zoom)
    {
      double column = framing->frame.x - HS_GRAPH_VIEW_PIN_INSET / zoom;
      HsRect copy = { framing->frame.x, vy + HS_GRAPH_VIEW_PIN_INSET / zoom, framing->frame.width, framing->frame.height };
      gboolean clear_column = TRUE;

      /* and nothing that matters lies in that column, under the copy */
      for (guint i = 1; i < focus->len; i++)
        if (g_array_index (focus, Focus, i).priority <= 1 && rects_meet (&g_array_index (focus, Focus, i).rect, &copy))
          clear_column = FALSE;
      if (clear_column)
        {
          const HsLayoutBox *boxes;
          Reading there;
          guint n_boxes;

          boxes = hs_layout_get_boxes (layout, &n_boxes);
          there = reading_at (boxes, n_boxes, focus, column, vy, &sight);
          /* Boxes the copy is drawn over read as boxes laid one on the
           * other, worse than boxes out of view: at the corner, the copy
           * covered four lists after Copy in the copies lesson at
           * 1280x800 beside the inspector, where over its column it
           * covered none and left five more boxes out */
          if (there.chosen == 0 && there.matters < 1000 &&
              (there.covered < here.covered || (there.covered == here.covered && compare_readings (&there, &here) <= 0)))
            {
              framing->reserve_x = 0;
              vx = column;
            }
        }
    }

  if (all->height * zoom + 2 * MARGIN > height - framing->reserve_y)
    snap_axis (layout, focus, TRUE, &vx, &vy, &sight,
               MAX (wanted->y + wanted->height + tight - whole_y, MIN (-margin - slack, *y0)) - framing->reserve_y / zoom,
               /* as far past the picture's bottom as place_axis() lets
                * it: the buttons' band may stand below the picture */
               MIN (wanted->y - tight, MAX (all->height + margin - (height - framing->reserve_y) / zoom + slack, *y0) -
                                       framing->reserve_y / zoom));
  else
    /* Likewise down: the copy covered the title of a function in the
     * alias-bugs lesson at 1024x600 */
    snap_axis (layout, focus, TRUE, &vx, &vy, &sight, all->height + tight - clear->size.height / zoom, -tight);
  /* Across once more: which boxes the buttons cover, and which the
   * bottom edge cuts, depends on where the view came to stand down.
   * Snapped across only where it stood before, the view left the freeing
   * lesson's str 'b' under the buttons at 1280x800, steps 32 to 34, and a
   * box under them that a shift across, off the frames' column, would
   * have cleared.  The view moves only where it reads better. */
  if (!fits_across || !framing->pinned)
    snap_axis (layout, focus, FALSE, &vx, &vy, &sight, across_min, across_max);
  *x0 = vx + framing->reserve_x / zoom;
  *y0 = vy + framing->reserve_y / zoom;
}

/* Where the camera should rest for shot at the current size,
 * sliding from start, or from the middle of what matters for none
 * (NULL).
 * When the current frame and what the line changed cannot share the view
 * at a readable zoom, the changed objects get the view and the frame is
 * pinned at its top left corner (hs_graph_view_get_pinned_frame()), kept
 * clear of them. */
static gboolean
compute_framing (HsGraphView      *self,
                 const HsStepShot *shot,
                 const HsCamera   *start,
                 HsCamera         *out)
{
  graphene_rect_t clear, controls;
  gboolean have_controls;
  int width, height;
  double min_zoom = hs_graph_view_camera_min_zoom (self);
  GArray *focus;
  HsRect all = { 0 };
  Framing framing;
  double zoom, x0, y0;

  g_assert (HS_IS_GRAPH_VIEW (self));

  hs_graph_view_camera_get_clear_area (self, &clear);
  have_controls = get_controls (self, &controls);
  width = (int) clear.size.width;
  height = (int) (clear.size.height - controls_reserve (self, have_controls ? &controls : NULL));
  if (shot == NULL || width <= 2 * MARGIN || height <= 2 * MARGIN)
    return FALSE;

  /* The whole picture, when it can be read whole */
  all.width = shot->width;
  all.height = shot->height;
  if (fit_zoom (&all, width, height) >= min_zoom)
    {
      frame_whole (&all, &clear, width, height, hs_graph_view_camera_max_zoom (self), out);
      return TRUE;
    }

  focus = shot->focus;
  choose_wanted (&framing, focus, min_zoom, width, height);
  /* The zoom at which the least of the picture is cut, readable still:
   * what matters was chosen to fit at it.  A closer zoom, as the step
   * before's or one fitted to what matters, left the aliasing example's
   * shared list above the view at 1024x600 and the space below the
   * line's new str empty.  It is also the zoom the picture was shown
   * whole at when it last fitted, near enough, so the camera seldom
   * zooms: a camera that zooms at every step is hard to follow. */
  zoom = min_zoom;

  if (start != NULL)
    {
      /* Start from where the step before was framed, so the picture
       * moves no more than it must. */
      x0 = (clear.origin.x + (width + framing.reserve_x) / 2.0 - start->offset_x) / start->zoom -
           (width - framing.reserve_x) / 2.0 / zoom;
      y0 = ((height + framing.reserve_y) / 2.0 - start->offset_y) / start->zoom - (height - framing.reserve_y) / 2.0 / zoom;
    }
  else
    {
      x0 = framing.wanted.x + framing.wanted.width / 2 - (width - framing.reserve_x) / 2.0 / zoom;
      y0 = framing.wanted.y + framing.wanted.height / 2 - (height - framing.reserve_y) / 2.0 / zoom;
    }
  x0 = place_axis (x0, framing.wanted.x, framing.wanted.width, all.width, zoom, width - framing.reserve_x);
  y0 = place_axis (y0, framing.wanted.y, framing.wanted.height, all.height, zoom, height - framing.reserve_y);
  slide_view (self, shot->layout, focus, &framing, &all, zoom, width, height, &clear, have_controls ? &controls : NULL, &x0, &y0);

  out->zoom = zoom;
  out->offset_x = clear.origin.x + framing.reserve_x - x0 * zoom;
  out->offset_y = framing.reserve_y - y0 * zoom;
  return TRUE;
}

static HsStepShot *
step_shot_new (HsGraphView *self)
{
  HsStepShot *shot = g_new0 (HsStepShot, 1);

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (self->layout != NULL);

  shot->layout = hs_layout_ref (self->layout);
  shot->focus = collect_focus (self, self->layout, self->marks);
  hs_graph_view_get_extent (self, self->layout, &shot->width, &shot->height);
  return shot;
}

void
hs_step_shot_free (HsStepShot *shot)
{
  if (shot == NULL)
    return;
  g_clear_pointer (&shot->layout, hs_layout_unref);
  g_clear_pointer (&shot->focus, g_array_unref);
  g_free (shot);
}

static void     schedule_refit       (HsGraphView *self);
static gboolean cover_moved          (HsGraphView *self);
static void     note_cover           (HsGraphView *self);
static gboolean keep_selection_clear (HsGraphView    *self,
                                      const HsCamera *before,
                                      gboolean        cover_changed,
                                      HsCamera       *camera);
static HsCamera resting_camera       (HsGraphView    *self);

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

/*
 * What the framing of this step slides from, into *start; FALSE for
 * nothing (the middle of what matters), for a new run or a view the user
 * moved.  The steps shown since, up to CHAIN_STEPS of them, are framed
 * again one after the other at the view's room now, each sliding from
 * the one before, from where a search or a note's link left the view or
 * from nothing: where a step lands depends on the steps, their layouts
 * and the view's room, never on the sizes the view had on the way, nor
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
      if (self->framing_chain->len > CHAIN_STEPS)
        {
          g_ptr_array_remove_index (self->framing_chain, 0);
          self->have_chain_start = FALSE;
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
  gboolean new_step, have_start, cover_changed;

  g_assert (HS_IS_GRAPH_VIEW (self));

  if (self->layout == NULL)
    {
      self->frame_pending = TRUE;
      return;
    }
  have_start = choose_start (self, &new_step, &start);
  if (new_step)
    self->holders_asked = FALSE;
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
  /* A step frames the selection only beside what its line did; the
   * same step framed again for new room keeps it clear of a flap */
  cover_changed = cover_moved (self);
  if (!new_step && (cover_changed || self->framed_width != gtk_widget_get_width (GTK_WIDGET (self)) ||
                    self->framed_height != gtk_widget_get_height (GTK_WIDGET (self))))
    {
      HsCamera before = resting_camera (self);

      keep_selection_clear (self, &before, cover_changed, &target);
    }
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

/* Whether, with the clear area's top left corner at (x0, y0) in layout
 * units, the pinned copy of the current frame lies over rect: following,
 * it is drawn at that corner when the frame is out of view */
static gboolean
copy_covers (HsGraphView           *self,
             const HsRect          *rect,
             const graphene_rect_t *clear,
             double                 zoom,
             double                 x0,
             double                 y0)
{
  HsRect view = { x0, y0, clear->size.width / zoom, clear->size.height / zoom }, copy;
  const HsLayoutBox *frame;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (rect != NULL && clear != NULL);

  if (!self->follow || (frame = hs_graph_view_current_frame (self->layout)) == NULL)
    return FALSE;
  return hs_graph_view_place_pinned_copy (&frame->rect, &view, zoom, &copy) && rects_meet (&copy, rect);
}

/* Moves the view's corner (*x0, *y0) the least that leaves rect beside
 * or below the pinned copy of the current frame, and in view; leaves it
 * where it is when neither fits */
static void
clear_of_copy (HsGraphView           *self,
               const HsRect          *rect,
               const graphene_rect_t *clear,
               double                 zoom,
               int                    width,
               int                    height,
               double                *x0,
               double                *y0)
{
  const HsLayoutBox *box = hs_graph_view_current_frame (self->layout);
  const HsRect *frame;
  double inset = (HS_GRAPH_VIEW_PIN_INSET + MARGIN / 2) / zoom, margin = MARGIN / zoom;
  double beside, below;
  gboolean can_beside, can_below;

  g_assert (HS_IS_GRAPH_VIEW (self));
  /* only called where copy_covers() found the copy */
  g_assert (box != NULL && x0 != NULL && y0 != NULL);
  frame = &box->rect;

  beside = rect->x - inset - frame->width;
  below = rect->y - inset - frame->height;
  can_beside = rect->x + rect->width + margin <= beside + width / zoom &&
               !copy_covers (self, rect, clear, zoom, beside, *y0);
  can_below = rect->y + rect->height + margin <= below + height / zoom &&
              !copy_covers (self, rect, clear, zoom, *x0, below);
  if (can_beside && (!can_below || fabs (beside - *x0) * zoom <= fabs (below - *y0) * zoom))
    *x0 = beside;
  else if (can_below)
    *y0 = below;
}

/* Where the camera shows rect, in layout units, whole if it can, clear
 * of the buttons, of any flap and of the pinned frame: the least move
 * from `from`, at its zoom when that is readable.  FALSE when rect is in
 * clear sight from there already. */
static gboolean
reveal_from (HsGraphView    *self,
             const HsCamera *from,
             const HsRect   *rect,
             HsCamera       *out)
{
  graphene_rect_t clear;
  double min_zoom = hs_graph_view_camera_min_zoom (self);
  double zoom = from->zoom, x0, y0;
  HsRect all = { 0 };
  int width, height;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (from != NULL && rect != NULL && out != NULL);

  hs_graph_view_camera_get_clear_area (self, &clear);
  width = (int) clear.size.width;
  height = (int) (clear.size.height - current_reserve (self));
  if (self->layout == NULL || width <= 2 * MARGIN || height <= 2 * MARGIN)
    return FALSE;

  /* In sight, readable, and clear of the buttons: leave the view be */
  if (zoom >= min_zoom - 1e-9 &&
      rect->x * zoom + from->offset_x >= clear.origin.x &&
      (rect->x + rect->width) * zoom + from->offset_x <= clear.origin.x + width &&
      rect->y * zoom + from->offset_y >= 0 &&
      (rect->y + rect->height) * zoom + from->offset_y <= height &&
      !copy_covers (self, rect, &clear, zoom, (clear.origin.x - from->offset_x) / zoom, -from->offset_y / zoom))
    return FALSE;

  /* The user's zoom, unless its text is too small to read; closer in
   * when the object does not fit, but never past readable */
  zoom = MAX (zoom, min_zoom);
  if (!fits (rect, zoom, width, height))
    zoom = MAX (min_zoom, fit_zoom (rect, width, height));

  hs_graph_view_get_extent (self, self->layout, &all.width, &all.height);
  x0 = (clear.origin.x + width / 2.0 - from->offset_x) / from->zoom - width / 2.0 / zoom;
  y0 = (height / 2.0 - from->offset_y) / from->zoom - height / 2.0 / zoom;
  x0 = place_axis (x0, rect->x, MIN (rect->width, (width - 2 * MARGIN) / zoom), all.width, zoom, width);
  y0 = place_axis (y0, rect->y, MIN (rect->height, (height - 2 * MARGIN) / zoom), all.height, zoom, height);
  if (copy_covers (self, rect, &clear, zoom, x0, y0))
    clear_of_copy (self, rect, &clear, zoom, width, height, &x0, &y0);
  *out = (HsCamera) { zoom, clear.origin.x - x0 * zoom, -y0 * zoom };
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
  /* Still following: this step framed again, and the next, slide from
   * here, the least move from what the learner was shown */
  if (self->follow)
    {
      g_ptr_array_set_size (self->framing_chain, 0);
      g_clear_pointer (&self->framed_shot, hs_step_shot_free);
      self->chain_start = target;
      self->have_chain_start = TRUE;
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

/* Whether rect lay whole in the clear area of the last framing, with
 * the camera at `at` */
static gboolean
was_clear_at (HsGraphView    *self,
              const HsCamera *at,
              const HsRect   *rect)
{
  graphene_rect_t r = rect_on_screen (at, rect);

  g_assert (HS_IS_GRAPH_VIEW (self));

  return r.origin.x >= self->framed_clear_x - 0.5 &&
         r.origin.x + r.size.width <= self->framed_clear_x + self->framed_clear_width + 0.5 &&
         r.origin.y >= -0.5 && r.origin.y + r.size.height <= self->framed_height + 0.5;
}

/*
 * The newest selected object is the one the inspector explains.  When
 * what covers the view or its size changed, *camera moves the least that
 * shows it clear, at the same zoom when it fits there: when a folded
 * flap came or went and one is over the view now (the inspector a click
 * or a search opened), wherever the object is; else if it lay clear at
 * `before` (following: the step is framed again and may leave it out),
 * or, with no `before` (the user placed the view), if a flap covers some
 * of it now.  What the line did keeps its place at a new
 * step: this is only for a step framed again.  TRUE when *camera moved.
 */
static gboolean
keep_selection_clear (HsGraphView    *self,
                      const HsCamera *before,
                      gboolean        cover_changed,
                      HsCamera       *camera)
{
  graphene_rect_t clear;
  HsRect rect;
  HsCamera moved;

  g_assert (HS_IS_GRAPH_VIEW (self));
  g_assert (camera != NULL);

  if (self->n_selected == 0 || self->layout == NULL ||
      !hs_layout_get_object_bounds (self->layout, self->selection[self->n_selected - 1].ref, &rect))
    return FALSE;
  hs_graph_view_camera_get_clear_area (self, &clear);
  if (!(cover_changed && clear.size.width < gtk_widget_get_width (GTK_WIDGET (self)) - 0.5) &&
      !(before != NULL ? was_clear_at (self, before, &rect) : flap_covers (self, camera, &rect)))
    return FALSE;
  if (!reveal_from (self, camera, &rect, &moved))
    return FALSE;
  *camera = moved;
  return TRUE;
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
      /* The user placed the view: only the selection is kept clear */
      HsCamera at = resting_camera (self);

      if (keep_selection_clear (self, NULL, cover_moved (self), &at))
        move_to (self, &at, TRUE);
      note_cover (self);
    }
  return G_SOURCE_REMOVE;
}

/* Checks what covers the view once the frame after next is drawn; a
 * check already waiting waits for that frame instead (a flap that moves
 * while it waits is only placed later) */
static void
schedule_refit (HsGraphView *self)
{
  GdkFrameClock *clock;

  g_assert (HS_IS_GRAPH_VIEW (self));

  if ((clock = gtk_widget_get_frame_clock (GTK_WIDGET (self))) == NULL)
    return;
  self->refit_frame = gdk_frame_clock_get_frame_counter (clock);
  if (self->refit_tick == 0)
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

/* A folded flap opened or closed over the view, which kept its size:
 * once the flap rests and has its place, the camera frames what is
 * clear of it again, or, when the user placed the view, moves only the
 * selected object out from under it. */
static void
flap_changed_cb (AdwFlap     *flap,
                 GParamSpec  *pspec,
                 HsGraphView *self)
{
  double progress = adw_flap_get_reveal_progress (flap);

  g_assert (ADW_IS_FLAP (flap));
  g_assert (HS_IS_GRAPH_VIEW (self));

  /* Mid-slide, the view would chase it */
  if (progress > 0 && progress < 1)
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
      g_signal_connect_object (w, "notify::reveal-progress", G_CALLBACK (flap_changed_cb), self, 0);
      g_signal_connect_object (w, "notify::folded", G_CALLBACK (flap_changed_cb), self, 0);
    }
  watch_controls (self, watch);
  if (!watch)
    cancel_refit (self);
}
