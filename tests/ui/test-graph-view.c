/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The graph follows the program: in the real window, at 1024x600 and at
 * 1280x800, every step of every example is framed so that the current
 * frame's box and every object the step's line created or changed are in
 * view, with box text at least 9 px on screen.  The glides are ended at
 * once, so nothing here depends on timing, and text sizes come from the
 * fonts' descriptions, not their glyphs, so nothing depends on the fonts
 * installed.  Run under Xvfb (see tests/ui/meson.build).
 */
#define G_LOG_DOMAIN "heapscope-test-graph-view"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hs-command-dialog.h"
#include "hs-graph-view-private.h"
#include "hs-lesson.h"
#include "hs-renderer.h"
#include "hs-test-run.h"

static HsApplication *app;
/* Whether the runtime reports allocations (HS_CHANGE_CREATED).  When it
 * does not, "created" can only mean first seen and handed out by no
 * cache (not immortal, not a small int, not interned). */
static gboolean runtime_reports_created;
static double lowest_text_px;

typedef struct
{
  char        example[64];
  int         width;
  int         height;
  gboolean    lesson;     /* example names a lesson, with its notes beside the graph */
  gboolean    program;    /* or only its program, opened as a file would be, with no notes */
  gboolean    inspector;  /* the inspector is shown, over the graph on a narrow window */
} Case;

/* The graph rests at the step the window shows, at the size it gives */
static void
settle (HsWindow *window)
{
  hs_test_settle (window);
}

/* The em size, in layout units, of the smallest font a box draws, from
 * the font descriptions the layout uses. */
static double
smallest_box_text (void)
{
  double smallest = G_MAXDOUBLE;

  hs_layout_text_lock ();
  for (guint f = 0; f < HS_LAYOUT_N_FONTS; f++)
    {
      PangoLayout *layout = hs_layout_text_get (f, "x");
      PangoContext *context = pango_layout_get_context (layout);
      const PangoFontDescription *font = pango_layout_get_font_description (layout);
      double dpi = pango_cairo_context_get_resolution (context);
      double size = (double) pango_font_description_get_size (font) / PANGO_SCALE;

      if (dpi <= 0)
        dpi = pango_cairo_font_map_get_resolution (PANGO_CAIRO_FONT_MAP (pango_context_get_font_map (context)));
      if (!pango_font_description_get_size_is_absolute (font))
        size *= dpi / 72.0;
      smallest = MIN (smallest, size);
    }
  hs_layout_text_unlock ();
  return smallest;
}

static gboolean shown_clear (HsWindow     *window,
                             const char   *what,
                             const HsRect *rect);

/* Where the camera rests, after the glides are ended */
static HsCamera
camera_of (HsGraphView *graph)
{
  return (HsCamera) { hs_graph_view_get_zoom (graph), graph->offset_x, graph->offset_y };
}

static gboolean
rects_meet (const HsRect *a,
            const HsRect *b)
{
  return a->x < b->x + b->width && a->x + a->width > b->x &&
         a->y < b->y + b->height && a->y + a->height > b->y;
}

typedef enum
{
  MATTERS_NOT,
  MATTERS_MADE,    /* created, or a mutable object changed */
  MATTERS_BOUND,   /* only what the line made a name or a slot point at */
} Matters;

/* What the step's line did, read from the runtime's flags: created, or
 * (a mutable object) changed; or what it made a name or a slot point at
 * (moved, the set from moved_targets()). */
static Matters
box_matters (HsSnapshot        *snapshot,
             const HsLayoutBox *box,
             GHashTable        *moved)
{
  const HsObject *object;

  if (box->kind != HS_LAYOUT_BOX_OBJECT || !(object = hs_snapshot_lookup (snapshot, box->ref)))
    return MATTERS_NOT;
  if (runtime_reports_created ? (object->changes & HS_CHANGE_CREATED) != 0
                              : (object->changes & HS_CHANGE_NEW) &&
                                !(object->flags & (HS_OBJECT_IMMORTAL | HS_OBJECT_SMALL_INT | HS_OBJECT_INTERNED)))
    return MATTERS_MADE;
  if ((object->changes & HS_CHANGE_MUTATED) && (object->flags & HS_OBJECT_MUTABLE))
    return MATTERS_MADE;
  return g_hash_table_contains (moved, GUINT_TO_POINTER (box->ref)) ? MATTERS_BOUND : MATTERS_NOT;
}

/* Whether the line bound name, in the frame at index of the step after
 * previous, to ref: the name is new, or named another object before. */
static gboolean
name_bound (HsSnapshot *previous,
            guint       index,
            const char *function,
            const char *name,
            guint32     ref)
{
  const HsFrame *frames;
  guint n_frames;

  if (previous == NULL)
    return FALSE;
  frames = hs_snapshot_get_frames (previous, &n_frames);
  if (index >= n_frames || g_strcmp0 (frames[index].function, function) != 0)
    return FALSE;
  for (guint v = 0; v < frames[index].n_vars; v++)
    if (g_strcmp0 (frames[index].vars[v].name, name) == 0)
      return frames[index].vars[v].ref != ref;
  return TRUE;
}

/* The objects the step's line bound a name of the current frame to, or
 * stored in a container's slot: "x = 5" is read at the 5, "c[2] = t" at
 * the t, whether the line made them or found them in a cache.  Read from
 * the trace's step before, not from the layout's marks. */
static GHashTable *
moved_targets (HsWindow *window,
               HsLayout *layout)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  guint index = hs_snapshot_get_index (snapshot);
  g_autoptr(HsSnapshot) previous = index > 0 ? hs_trace_get_snapshot (hs_window_get_trace (window), index - 1) : NULL;
  GHashTable *moved = g_hash_table_new (NULL, NULL);
  const HsFrame *frames;
  const HsLayoutBox *boxes;
  guint n_boxes, n_frames;

  /* and what it left unreachable (del of a cycle's last name): alive,
   * now in the garbage zone */
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; previous != NULL && i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT && boxes[i].garbage)
      {
        const HsObject *before = hs_snapshot_lookup (previous, boxes[i].ref);

        if (before != NULL && (before->flags & HS_OBJECT_REACHABLE))
          g_hash_table_add (moved, GUINT_TO_POINTER (boxes[i].ref));
      }
  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  if (n_frames > 0)
    for (guint v = 0; v < frames[n_frames - 1].n_vars; v++)
      if (name_bound (previous, n_frames - 1, frames[n_frames - 1].function,
                      frames[n_frames - 1].vars[v].name, frames[n_frames - 1].vars[v].ref))
        g_hash_table_add (moved, GUINT_TO_POINTER (frames[n_frames - 1].vars[v].ref));

  /* and what a return hands back: `return count[0]` is read at the int,
   * wherever it was placed (functions.py's stands by the list) */
  if (hs_snapshot_get_return_ref (snapshot) != 0)
    g_hash_table_add (moved, GUINT_TO_POINTER (hs_snapshot_get_return_ref (snapshot)));

  for (guint i = 0; i < n_boxes; i++)
    for (guint r = 0; r < boxes[i].n_rows; r++)
      {
        const HsLayoutRow *row = &boxes[i].rows[r];

        if (row->target != 0 && boxes[i].kind == HS_LAYOUT_BOX_OBJECT && graph->marks != NULL &&
            hs_render_marks_lookup (graph->marks, boxes[i].ref, row->target, row->edge_label))
          g_hash_table_add (moved, GUINT_TO_POINTER (row->target));
      }
  return moved;
}

/* Whether the view itself is what the pointer finds all over r (layout
 * units), inset by a pixel: no other widget lies over it, such as a
 * folded flap's editor or inspector, or the zoom buttons. */
static gboolean
uncovered (HsWindow     *window,
           HsGraphView  *graph,
           const HsRect *r)
{
  double zoom = hs_graph_view_get_zoom (graph);

  for (guint i = 0; i <= 4; i++)
    for (guint j = 0; j <= 4; j++)
      {
        double x = r->x * zoom + graph->offset_x + 1 + (r->width * zoom - 2) * i / 4;
        double y = r->y * zoom + graph->offset_y + 1 + (r->height * zoom - 2) * j / 4;
        graphene_point_t p;

        g_assert_true (gtk_widget_compute_point (GTK_WIDGET (graph), GTK_WIDGET (window),
                                                 &GRAPHENE_POINT_INIT (x, y), &p));
        if (gtk_widget_pick (GTK_WIDGET (window), p.x, p.y, GTK_PICK_DEFAULT) != GTK_WIDGET (graph))
          return FALSE;
      }
  return TRUE;
}

/* Whether an edge of what the view shows clear of any flap cuts r: part
 * of it shows, part does not */
static gboolean
cut_by (const HsRect *r,
        const HsRect *view)
{
  return rects_meet (r, view) && !hs_test_rect_inside (r, view);
}

/* The view shows the most of the picture a readable zoom lets it: it
 * zooms closer than the readable minimum only to show the whole picture,
 * and it never leaves an empty band past one edge of the picture while
 * boxes lie out of view past the other.  The camera kept the zoom of the
 * steps before, and centred what the line changed: at 1024x600 the
 * aliasing example's line 9 showed 3 of its 12 boxes, beside an empty
 * band 133 units wide. */
static void
check_shows_most (HsGraphView  *graph,
                  const Case   *c,
                  guint         step,
                  const HsRect *view,
                  const HsRect *pin,
                  const HsRect *controls)
{
  HsLayout *layout = hs_graph_view_get_layout (graph);
  const HsLayoutBox *boxes;
  gboolean out_left = FALSE, out_right = FALSE, out_top = FALSE, out_bottom = FALSE;
  /* two margins, as the camera leaves room past an edge, and a pixel */
  double zoom = hs_graph_view_get_zoom (graph), hair = 1 / zoom, slack = 2 * MARGIN / zoom + hair;
  double width, height, empty_left, empty_right, empty_top, empty_bottom;
  guint n_boxes, n_shown = 0, n_drawn = 0;

  hs_layout_get_size (layout, &width, &height);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      const HsRect *r = &boxes[i].rect;

      if (boxes[i].alpha <= 0)
        continue;
      n_drawn++;
      n_shown += hs_test_rect_inside (r, view);
      out_left |= r->x < view->x - hair;
      out_right |= r->x + r->width > view->x + view->width + hair;
      out_top |= r->y < view->y - hair;
      out_bottom |= r->y + r->height > view->y + view->height + hair;
    }
  g_test_message ("%s %dx%d step %u: %u of %u boxes whole in view", c->example, c->width, c->height, step,
                  n_shown, n_drawn);
  if (zoom > hs_graph_view_camera_min_zoom (graph) + 1e-6 && n_shown < n_drawn)
    g_error ("%s at %dx%d, step %u: the view is zoomed to %.3f, closer than the readable %.3f, and shows the picture in part",
             c->example, c->width, c->height, step, zoom, hs_graph_view_camera_min_zoom (graph));
  /* The pinned copy (pin, or NULL) takes its corner of the band, when
   * it stands at the view's corner, not over a frame that shows in part */
  empty_left = -(pin != NULL && pin->x <= view->x + (HS_GRAPH_VIEW_PIN_INSET + 1) / zoom ?
                 MAX (view->x, pin->x + pin->width) : view->x);
  empty_top = -(pin != NULL && pin->y <= view->y + (HS_GRAPH_VIEW_PIN_INSET + 1) / zoom ?
                MAX (view->y, pin->y + pin->height) : view->y);
  /* The view may rest below the picture by the buttons' band.  With the
   * frame pinned, it may stand past the picture's right or bottom edge:
   * a shift back would bring boxes under the copy (functions at
   * 1024x600, the last step) */
  empty_right = pin != NULL ? 0 : view->x + view->width - width;
  empty_bottom = pin != NULL ? 0 : view->y + view->height - height - controls->height;
  if ((empty_left > slack && out_right) || (empty_right > slack && out_left) ||
      (empty_top > slack && out_bottom) || (empty_bottom > slack && out_top))
    g_error ("%s at %dx%d, step %u: the view (%.0f, %.0f, %.0f×%.0f) leaves an empty band past the picture (%.0f×%.0f) "
             "while boxes lie out of view past its other edge",
             c->example, c->width, c->height, step, view->x, view->y, view->width, view->height, width, height);
}

/* Grows *into by r; *have says whether into holds anything yet */
static void
rect_union (HsRect       *into,
            gboolean     *have,
            const HsRect *r)
{
  double x2, y2;

  if (!*have)
    {
      *into = *r;
      *have = TRUE;
      return;
    }
  x2 = MAX (into->x + into->width, r->x + r->width);
  y2 = MAX (into->y + into->height, r->y + r->height);
  into->x = MIN (into->x, r->x);
  into->y = MIN (into->y, r->y);
  into->width = x2 - into->x;
  into->height = y2 - into->y;
}

/* The zoom buttons' rectangle, in layout units */
static void
controls_rect (HsWindow    *window,
               HsGraphView *graph,
               HsRect      *out)
{
  double zoom = hs_graph_view_get_zoom (graph);
  graphene_rect_t b;

  g_assert_true (gtk_widget_compute_bounds (window->zoom_box, GTK_WIDGET (graph), &b));
  *out = (HsRect) { (b.origin.x - graph->offset_x) / zoom, (b.origin.y - graph->offset_y) / zoom,
                    b.size.width / zoom, b.size.height / zoom };
}

/* Whether what (layout units) fits one view beside or below the pinned
 * copy pin (NULL: none) with the camera's margins, above the buttons'
 * band, at the view's zoom */
static gboolean
fits_one_view (HsGraphView  *graph,
               const HsRect *what,
               const HsRect *view,
               const HsRect *pin,
               const HsRect *controls)
{
  double zoom = hs_graph_view_get_zoom (graph), margins = 2 * MARGIN / zoom, inset = HS_GRAPH_VIEW_PIN_INSET / zoom;
  double room_w = view->width - margins, room_h = view->height - margins - controls->height;

  return pin != NULL ? (what->width <= room_w - pin->width - inset && what->height <= room_h) ||
                       (what->width <= room_w && what->height <= room_h - pin->height - inset)
                     : what->width <= room_w && what->height <= room_h;
}

/* The rectangle around what the step's line did (check_step()'s list);
 * FALSE for nothing */
static gboolean
what_line_did (HsWindow *window,
               HsRect   *made)
{
  HsLayout *layout = hs_graph_view_get_layout (hs_window_get_graph_view (window));
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  g_autoptr(GHashTable) moved = moved_targets (window, layout);
  const HsLayoutBox *boxes;
  gboolean have = FALSE;
  guint n_boxes;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_GHOST || box_matters (snapshot, &boxes[i], moved) != MATTERS_NOT)
      rect_union (made, &have, &boxes[i].rect);
  return have;
}

/* Note steps seen and those whose named objects were not in clear view
 * though they fitted one view with what the line did (issue 51, point 2) */
static guint n_note_steps, n_note_missed;
/* Steps where the view moved without cause (check_no_jump()) */
static guint n_jumps;

/*
 * Issue 51, point 2: what the current lesson note names is in clear view
 * (whole in view, clear of the buttons, of the pinned frame and of any
 * widget) wherever it fits one view with what the line did (made).
 */
static void
check_note_in_view (HsWindow     *window,
                    const Case   *c,
                    guint         step,
                    const HsRect *made,
                    gboolean      have_made)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsLayout *layout = hs_graph_view_get_layout (graph);
  const guint32 *refs;
  guint n_refs, n_named = 0, n_out = 0;
  HsRect all = have_made ? *made : (HsRect) { 0 }, view, pin, controls;
  gboolean have = have_made, pinned;

  refs = hs_lesson_panel_get_note_refs (window->lesson_panel, &n_refs);
  for (guint i = 0; i < n_refs; i++)
    {
      HsRect r;

      if (!hs_layout_get_object_bounds (layout, refs[i], &r))
        continue;
      rect_union (&all, &have, &r);
      n_named++;
    }
  if (n_named == 0)
    return;
  n_note_steps++;
  hs_graph_view_get_visible_rect (graph, &view);
  controls_rect (window, graph, &controls);
  pinned = hs_graph_view_get_pinned_frame (graph, &pin);
  for (guint i = 0; i < n_refs; i++)
    {
      HsRect r;
      g_autofree char *what = NULL;

      if (!hs_layout_get_object_bounds (layout, refs[i], &r))
        continue;
      what = g_strdup_printf ("%s %dx%d step %u: object %u the note names", c->example, c->width, c->height, step, refs[i]);
      n_out += !shown_clear (window, what, &r);
    }
  if (n_out == 0)
    return;
  if (!fits_one_view (graph, &all, &view, pinned ? &pin : NULL, &controls))
    {
      g_test_message ("%s %dx%d step %u: what the note names and what the line did span %.0f×%.0f, more than one view",
                      c->example, c->width, c->height, step, all.width, all.height);
      return;
    }
  g_test_message ("%s %dx%d step %u: %u of the %u objects the note names are not in clear view, though they fit one view "
                  "with what the line did", c->example, c->width, c->height, step, n_out, n_named);
  n_note_missed++;
}

/*
 * What the camera must show at a step, wherever it fits one view at the
 * readable zoom beside or below the pinned frame: the current frame (in
 * place, or its pinned copy whole and uncovered), and what the line did
 * (created, changed, bound, freed) whole in view, uncut, clear of the
 * buttons, of the pinned copy and of any widget; box text at least
 * HS_RENDERER_READABLE_PX; and, in a lesson, what the note names
 * (check_note_in_view()).  What does not fit is reported, computed
 * from the boxes, not listed.
 */
static void
check_step (HsWindow   *window,
            const Case *c,
            guint       step)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsLayout *layout = hs_graph_view_get_layout (graph);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  g_autoptr(GHashTable) moved = moved_targets (window, layout);
  const HsLayoutBox *boxes, *frame = NULL;
  guint n_boxes, n_checked = 0, n_out = 0;
  gboolean have_made = FALSE, fits;
  double text_px;
  HsRect view, pin = { 0 }, controls, made = { 0 };
  gboolean pinned;
  g_autoptr(GPtrArray) line = g_ptr_array_new ();

  g_assert_true (hs_graph_view_get_follow (graph));
  g_assert_cmpuint (hs_snapshot_get_index (snapshot), ==, step);

  text_px = hs_graph_view_get_zoom (graph) * smallest_box_text ();
  lowest_text_px = MIN (lowest_text_px, text_px);
  if (text_px < HS_RENDERER_READABLE_PX - 1e-6)
    g_error ("%s at %dx%d, step %u: box text is %.2f px on screen", c->example, c->width, c->height, step, text_px);

  hs_graph_view_get_visible_rect (graph, &view);
  pinned = hs_graph_view_get_pinned_frame (graph, &pin);
  controls_rect (window, graph, &controls);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      if (boxes[i].kind == HS_LAYOUT_BOX_FRAME && boxes[i].current)
        frame = &boxes[i];
      else if (boxes[i].kind == HS_LAYOUT_BOX_GHOST || box_matters (snapshot, &boxes[i], moved) != MATTERS_NOT)
        {
          g_ptr_array_add (line, (gpointer) &boxes[i]);
          rect_union (&made, &have_made, &boxes[i].rect);
        }
    }

  /* The frame is in sight whole, in place or pinned at the corner */
  if (frame != NULL && pinned)
    {
      HsRect inner = { frame->rect.x + 0.5, frame->rect.y + 0.5, frame->rect.width - 1, frame->rect.height - 1 };

      g_assert_true (hs_test_rect_inside (&pin, &view));
      /* What shows of the frame itself (to half a unit) lies behind its
       * copy: it never peeks out from behind it */
      if (rects_meet (&inner, &view))
        {
          double x1 = MAX (inner.x, view.x), y1 = MAX (inner.y, view.y);
          double x2 = MIN (inner.x + inner.width, view.x + view.width);
          double y2 = MIN (inner.y + inner.height, view.y + view.height);

          inner = (HsRect) { x1, y1, x2 - x1, y2 - y1 };
          if (!hs_test_rect_inside (&inner, &pin))
            g_error ("%s at %dx%d, step %u: the current frame at (%.0f, %.0f) peeks out from behind its pinned copy at (%.0f, %.0f)",
                     c->example, c->width, c->height, step, frame->rect.x, frame->rect.y, pin.x, pin.y);
        }
      if (!uncovered (window, graph, &pin))
        g_error ("%s at %dx%d, step %u: the pinned frame is covered", c->example, c->width, c->height, step);
      n_checked++;
    }
  else if (frame != NULL)
    {
      g_autofree char *what = g_strdup_printf ("%s %dx%d step %u: the current frame", c->example, c->width, c->height, step);

      if (!shown_clear (window, what, &frame->rect))
        g_error ("%s at %dx%d, step %u: the current frame is not in clear view", c->example, c->width, c->height, step);
      n_checked++;
    }
  else
    {
      guint n_frames = 0;

      hs_snapshot_get_frames (snapshot, &n_frames);
      g_assert_cmpuint (n_frames, ==, 0);
    }

  /* What the line did, wherever it fits one view */
  fits = !have_made || fits_one_view (graph, &made, &view, pinned ? &pin : NULL, &controls);
  for (guint i = 0; i < line->len; i++)
    {
      const HsLayoutBox *box = g_ptr_array_index (line, i);
      g_autofree char *what = g_strdup_printf ("%s %dx%d step %u: %s %s", c->example, c->width, c->height, step,
                                               box->kind == HS_LAYOUT_BOX_GHOST ? "freed" : "changed", box->title);

      if (shown_clear (window, what, &box->rect))
        n_checked++;
      else
        n_out++;
    }
  if (n_out > 0 && fits)
    g_error ("%s at %dx%d, step %u: %u of what the line did is not in clear view, though it fits one view (see the messages above)",
             c->example, c->width, c->height, step, n_out);
  if (n_out > 0)
    g_test_message ("%s %dx%d step %u: what the line did spans %.0f×%.0f, more than one view: %u left out",
                    c->example, c->width, c->height, step, made.width, made.height, n_out);
  if (c->lesson)
    check_note_in_view (window, c, step, &made, have_made);
  check_shows_most (graph, c, step, &view, pinned ? &pin : NULL, &controls);
  g_test_message ("%s %dx%d step %u: text %.1f px, %u boxes that matter in clear view%s",
                  c->example, c->width, c->height, step, text_px, n_checked, pinned ? ", frame pinned" : "");
}

/* The zoom buttons float over the view's corner: no box that matters
 * at this step and shows whole lies under them.  Returns how many boxes
 * the view's edges cut. */
static guint
check_controls_clear (HsWindow   *window,
                      const Case *c,
                      guint       step)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsLayout *layout = hs_graph_view_get_layout (graph);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  g_autoptr(GHashTable) moved = moved_targets (window, layout);
  const HsLayoutBox *boxes;
  guint n_boxes, n_cut = 0;
  double zoom = hs_graph_view_get_zoom (graph);
  HsRect controls, shown;

  controls_rect (window, graph, &controls);
  /* All the view shows, whatever covers it */
  shown = (HsRect) { -graph->offset_x / zoom, -graph->offset_y / zoom,
                     gtk_widget_get_width (GTK_WIDGET (graph)) / zoom, gtk_widget_get_height (GTK_WIDGET (graph)) / zoom };
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      const HsLayoutBox *box = &boxes[i];
      gboolean frame = box->kind == HS_LAYOUT_BOX_FRAME && box->current;

      if (box->alpha > 0 && rects_meet (&box->rect, &shown) && !hs_test_rect_inside (&box->rect, &shown))
        n_cut++;
      /* One the view's edge cuts could not share the view with the rest
       * (check_step() says which): the layout's doing */
      if (!(frame || box_matters (snapshot, box, moved) != MATTERS_NOT) || !rects_meet (&box->rect, &controls) ||
          !hs_test_rect_inside (&box->rect, &shown))
        continue;
      g_error ("%s at %dx%d, step %u: %s at (%.0f, %.0f, %.0f×%.0f) is under the zoom buttons (%.0f, %.0f, %.0f×%.0f)",
               c->example, c->width, c->height, step, box->title,
               box->rect.x, box->rect.y, box->rect.width, box->rect.height,
               controls.x, controls.y, controls.width, controls.height);
    }
  return n_cut;
}

static HsWindow *
open_and_run (const Case *c)
{
  HsWindow *window = hs_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), c->width, c->height);
  if (c->program)
    {
      g_autoptr(HsLesson) lesson = hs_lesson_load (c->example, NULL);

      g_assert_nonnull (lesson);
      hs_window_set_text (window, hs_lesson_get_code (lesson), NULL, c->example);
    }
  else if (!c->lesson)
    hs_window_load_example (window, c->example);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));

  /* A lesson runs as it opens */
  if (c->lesson)
    g_action_group_activate_action (G_ACTION_GROUP (window), "open-lesson", g_variant_new_string (c->example));
  else
    g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  if (c->inspector)
    {
      /* The shield a modal flap lays over the rest catches clicks, not
       * the eye: without it, the pointer finds what covers the view */
      adw_flap_set_modal (window->editor_flap, FALSE);
      adw_flap_set_modal (window->inspector_flap, FALSE);
      g_action_group_change_action_state (G_ACTION_GROUP (window), "show-inspector", g_variant_new_boolean (TRUE));
    }
  settle (window);
  g_assert_nonnull (hs_window_get_trace (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, hs_window_get_graph_view (window)));
  settle (window);
  return window;
}

/* What the view shows of the picture, in layout units, with the camera
 * at `at` */
static HsRect
view_at (HsGraphView    *graph,
         const HsCamera *at)
{
  graphene_rect_t clear;

  hs_graph_view_camera_get_clear_area (graph, &clear);
  return (HsRect) { (clear.origin.x - at->offset_x) / at->zoom, (clear.origin.y - at->offset_y) / at->zoom,
                    clear.size.width / at->zoom, clear.size.height / at->zoom };
}

/* The view's room: the part no flap covers, and its height */
static graphene_rect_t
view_room (HsGraphView *graph)
{
  graphene_rect_t clear;

  hs_graph_view_camera_get_clear_area (graph, &clear);
  return clear;
}

/*
 * Issue 47: the view does not jump without cause.  When the camera that
 * framed the step before, left where it was, shows this step well (the
 * current frame, what the line did, what the note names and the
 * selection whole in view and clear of the buttons, no box cut by an
 * edge or under the buttons), at the readable zoom both times, the view
 * stays.  Returns whether the step was such a step.
 */
static gboolean
check_no_jump (HsWindow              *window,
               const Case            *c,
               guint                  step,
               const HsCamera        *before,
               const graphene_rect_t *room)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsLayout *layout = hs_graph_view_get_layout (graph);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  g_autoptr(GHashTable) moved = moved_targets (window, layout);
  HsCamera now = camera_of (graph);
  double min_zoom = hs_graph_view_camera_min_zoom (graph), pad, snug;
  HsRect view = view_at (graph, before), controls, near, inner;
  const HsLayoutBox *boxes;
  const guint32 *refs = NULL;
  guint n_boxes, n_refs = 0;
  graphene_rect_t b, now_room;

  /* A view given another room (a lesson's notes pane changed height)
   * may move to where that room frames best */
  now_room = view_room (graph);
  if (!graphene_rect_equal (room, &now_room))
    return FALSE;
  if (!G_APPROX_VALUE (before->zoom, min_zoom, 1e-6) || !G_APPROX_VALUE (now.zoom, min_zoom, 1e-6))
    return FALSE;
  /* What is cut to a quarter pixel, and what matters within half a
   * margin of an edge, is a cause to move */
  pad = 0.25 / min_zoom;
  near = (HsRect) { view.x - pad, view.y - pad, view.width + 2 * pad, view.height + 2 * pad };
  snug = MARGIN / 2 / min_zoom;
  inner = (HsRect) { view.x + snug, view.y + snug, view.width - 2 * snug, view.height - 2 * snug };
  g_assert_true (gtk_widget_compute_bounds (window->zoom_box, GTK_WIDGET (graph), &b));
  controls = (HsRect) { (b.origin.x - before->offset_x) / before->zoom, (b.origin.y - before->offset_y) / before->zoom,
                        b.size.width / before->zoom, b.size.height / before->zoom };
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      const HsRect *r = &boxes[i].rect;
      gboolean must = (boxes[i].kind == HS_LAYOUT_BOX_FRAME && boxes[i].current) ||
                      boxes[i].kind == HS_LAYOUT_BOX_GHOST || box_matters (snapshot, &boxes[i], moved) != MATTERS_NOT;

      if (boxes[i].alpha <= 0)
        continue;
      if (must && !hs_test_rect_inside (r, &inner))
        return FALSE;
      if (rects_meet (r, &near) && !hs_test_rect_inside (r, &near))
        return FALSE;
      if (rects_meet (r, &view) && rects_meet (r, &controls))
        return FALSE;
    }
  if (c->lesson)
    refs = hs_lesson_panel_get_note_refs (window->lesson_panel, &n_refs);
  for (guint i = 0; i < n_refs + graph->n_selected; i++)
    {
      HsRect r;

      if (hs_layout_get_object_bounds (layout, i < n_refs ? refs[i] : graph->selection[i - n_refs].ref, &r) &&
          !hs_test_rect_inside (&r, &inner))
        return FALSE;
    }
  if (!G_APPROX_VALUE (now.offset_x, before->offset_x, 0.5) || !G_APPROX_VALUE (now.offset_y, before->offset_y, 0.5))
    {
      g_test_message ("%s %dx%d step %u: the view moved by (%.0f, %.0f) px though the step before's showed all it must",
                      c->example, c->width, c->height, step, now.offset_x - before->offset_x,
                      now.offset_y - before->offset_y);
      n_jumps++;
    }
  return TRUE;
}

static void
test_follows_every_step (gconstpointer data)
{
  const Case *c = data;
  HsWindow *window;
  HsGraphView *graph;
  HsTrace *trace;
  guint n_steps, n_cut = 0, n_steps_cut = 0, n_stays = 0;
  HsCamera before = { 0 };
  graphene_rect_t room = { { 0 } };

  /* The framing checked is where the camera lands, which a glide reaches
   * in 400 ms and a jump at once: without animations every step of every
   * example and lesson at two sizes takes seconds rather than minutes. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = open_and_run (c);
  graph = hs_window_get_graph_view (window);
  trace = hs_window_get_trace (window);
  n_steps = hs_trace_get_n_steps (trace);

  g_assert_cmpuint (n_steps, >, 1);
  runtime_reports_created = FALSE;
  for (guint step = 0; step < n_steps && !runtime_reports_created; step++)
    {
      HsSnapshot *snapshot = hs_trace_get_snapshot (trace, step);
      const HsObject *objects;
      guint n_objects;

      objects = hs_snapshot_get_objects (snapshot, &n_objects);
      for (guint i = 0; i < n_objects; i++)
        if (objects[i].changes & HS_CHANGE_CREATED)
          runtime_reports_created = TRUE;
      hs_snapshot_unref (snapshot);
    }
  if (!runtime_reports_created)
    g_test_message ("the runtime reports no allocations: every object first seen and not cached counts as created");
  g_test_message ("graph view %d×%d px in a %d×%d window",
                  gtk_widget_get_width (GTK_WIDGET (graph)), gtk_widget_get_height (GTK_WIDGET (graph)),
                  gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_height (GTK_WIDGET (window)));

  /* A run ends on its last step, framed as it lands there, not stepped to */
  lowest_text_px = G_MAXDOUBLE;
  check_step (window, c, hs_window_get_step (window));

  g_action_group_activate_action (G_ACTION_GROUP (window), "first-step", NULL);
  settle (window);
  n_note_steps = n_note_missed = n_jumps = 0;
  for (guint step = 0; step < n_steps; step++)
    {
      guint cut;
      guint notes_before = n_note_steps;

      g_assert_cmpuint (hs_window_get_step (window), ==, step);
      check_step (window, c, step);
      if (step > 0)
        n_stays += check_no_jump (window, c, step, &before, &room);
      before = camera_of (graph);
      room = view_room (graph);
      cut = check_controls_clear (window, c, step);
      n_cut += cut;
      n_steps_cut += cut > 0;
      /* and each step whose note names an object, to look at */
      if (step == n_steps / 2 || step + 1 == n_steps || n_note_steps > notes_before)
        {
          g_autofree char *name = g_strdup_printf ("%s%s-%dx%d-step%u", c->lesson ? "lesson-" : "",
                                                   c->example, c->width, c->height, step);

          hs_test_save_shot (GTK_WIDGET (window), name);
        }
      if (step + 1 < n_steps)
        {
          g_action_group_activate_action (G_ACTION_GROUP (window), "step-forward", NULL);
          settle (window);
        }
    }

  g_test_message ("%s %dx%d: %u boxes cut at the view's edges over %u steps (%u steps with a box cut)",
                  c->example, c->width, c->height, n_cut, n_steps, n_steps_cut);
  g_test_message ("%s %dx%d: the view moved at %u of %u steps where nothing it must show had left it",
                  c->example, c->width, c->height, n_jumps, n_stays);
  if (c->lesson)
    {
      g_test_message ("%s %dx%d: what the note names not in clear view at %u of %u note steps, though it fitted",
                      c->example, c->width, c->height, n_note_missed, n_note_steps);
    }
  g_assert_cmpuint (n_jumps, ==, 0);
  if (c->lesson)
    g_assert_cmpuint (n_note_missed, ==, 0);

  /* For the record: what fitting the whole last step once gave. */
  {
    double lw, lh, w = gtk_widget_get_width (GTK_WIDGET (graph)), h = gtk_widget_get_height (GTK_WIDGET (graph));

    hs_layout_get_size (hs_graph_view_get_layout (graph), &lw, &lh);
    g_test_message ("%s %dx%d: whole last step fitted: text %.1f px; followed: lowest %.1f px",
                    c->example, c->width, c->height,
                    MIN (MIN ((w - 48) / lw, (h - 48) / lh), 2.0) * smallest_box_text (), lowest_text_px);
  }

  /* Stepping back lands on a framing of that step too. */
  for (guint step = n_steps - 1; step > 0; step--)
    {
      g_action_group_activate_action (G_ACTION_GROUP (window), "step-back", NULL);
      settle (window);
      check_step (window, c, step - 1);
    }
  if (c->lesson)
    g_assert_cmpuint (n_note_missed, ==, 0);

  hs_test_window_close (window);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

static gboolean
same_rect (const HsRect *a,
           const HsRect *b)
{
  return fabs (a->x - b->x) < 0.01 && fabs (a->y - b->y) < 0.01 &&
         fabs (a->width - b->width) < 0.01 && fabs (a->height - b->height) < 0.01;
}

static gboolean
graph_is_tall (gpointer data)
{
  return gtk_widget_get_height (GTK_WIDGET (hs_window_get_graph_view (data))) > 550;
}

/* Zooming by hand stops following: stepping leaves the view where the
 * user put it.  Fit follows again, and a resize refits. */
static void
test_user_control (void)
{
  Case c = { "copies", 1024, 600 };
  HsWindow *window = open_and_run (&c);
  HsGraphView *graph = hs_window_get_graph_view (window);
  guint last = hs_trace_get_n_steps (hs_window_get_trace (window)) - 1;
  HsRect before, after;

  runtime_reports_created = FALSE;
  g_assert_cmpuint (hs_window_get_step (window), ==, last);
  check_step (window, &c, last);

  hs_test_activate (window, "zoom-in");
  settle (window);
  g_assert_false (hs_graph_view_get_follow (graph));
  hs_graph_view_get_visible_rect (graph, &before);
  hs_test_activate (window, "step-back");
  settle (window);
  hs_test_activate (window, "step-back");
  settle (window);
  hs_graph_view_get_visible_rect (graph, &after);
  g_assert_true (same_rect (&before, &after));
  g_assert_false (hs_graph_view_get_follow (graph));
  g_assert_false (hs_graph_view_get_pinned_frame (graph, NULL));

  hs_graph_view_frame_step (graph);
  settle (window);
  g_assert_true (hs_graph_view_get_follow (graph));
  check_step (window, &c, last - 2);

  /* Following, a resize refits at once */
  c.width = 1280;
  c.height = 800;
  gtk_window_set_default_size (GTK_WINDOW (window), c.width, c.height);
  g_assert_true (hs_test_wait_until (graph_is_tall, window));
  settle (window);
  hs_graph_view_get_visible_rect (graph, &after);
  g_assert_cmpfloat (after.height * hs_graph_view_get_zoom (graph), >, 550);
  check_step (window, &c, last - 2);

  hs_test_window_close (window);
}

/* A heap button's result is in view, even after the user panned away. */
static void
test_heap_button_in_view (void)
{
  Case c = { "aliasing", 1024, 600 };
  HsWindow *window = open_and_run (&c);
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsCommandDialog *dialog;
  guint n_steps = hs_trace_get_n_steps (hs_window_get_trace (window));

  runtime_reports_created = FALSE;
  hs_test_activate (window, "zoom-out");
  hs_test_activate (window, "zoom-out");
  settle (window);
  g_assert_false (hs_graph_view_get_follow (graph));

  g_assert_true (hs_graph_view_select_variable (graph, "a", FALSE));
  hs_test_activate (window, "deepcopy");
  dialog = hs_window_get_command_dialog (window);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "run");
  settle (window);
  g_assert_cmpuint (hs_trace_get_n_steps (hs_window_get_trace (window)), >, n_steps);
  g_assert_cmpuint (hs_window_get_step (window), ==, hs_trace_get_n_steps (hs_window_get_trace (window)) - 1);
  check_step (window, &c, hs_window_get_step (window));

  hs_test_window_close (window);
}

/* ---- What each heap button and the console did is in view ---------- */

/*
 * A picture wider than the graph at 1024x600 at any zoom a learner
 * reads: a chain of ten nodes and a grid of six rows, so that what a
 * line makes can land far from the frame.  copy and gc are imported, so
 * that Copy, Deepcopy and gc.collect() run one line each; temp is the
 * only name of its list, which Del then frees with its two ints; loop
 * is a cycle no name reaches, which gc.collect() frees.
 */
static const char heap_program[] =
  "import copy\n"
  "import gc\n"
  "\n"
  "\n"
  "class Node:\n"
  "    def __init__(self, value, next=None):\n"
  "        self.value = value\n"
  "        self.next = next\n"
  "\n"
  "\n"
  "chain = None\n"
  "for i in range(10):\n"
  "    chain = Node(i * 1000, chain)\n"
  "grid = [[row * 1000 + col for col in range(6)] for row in range(6)]\n"
  "words = {'first': 'alpha', 'second': 'beta', 'third': 'gamma'}\n"
  "a = [1000, [2000, 3000]]\n"
  "temp = [4000, 5000]\n"
  "loop = [6000]\n"
  "loop.append(loop)\n"
  "del loop\n";

/* A window of width x height that ran text to its end */
static HsWindow *
run_heap_program (const char *text,
                  int         width,
                  int         height)
{
  HsWindow *window = hs_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  hs_window_set_text (window, text, NULL, "heap-program.py");
  /* every value a box: a picture wider than the view, for the camera */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "every-object", g_variant_new_boolean (TRUE));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  settle (window);
  g_assert_cmpstr (hs_trace_get_status (hs_window_get_trace (window)), ==, "finished");
  return window;
}

/* The layout keeps boxes where the step shown before had them, and which
 * steps the graph showed while the program ran is up to the timing: the
 * last step is laid out again from the first, which shows only the
 * frame, as it is at every run */
static void
last_step_from_first (HsWindow *window)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "first-step", NULL);
  settle (window);
  g_action_group_activate_action (G_ACTION_GROUP (window), "last-step", NULL);
  settle (window);
}

/* A heap button, or a statement typed on the console, and what the
 * camera frames of what it did (hs-graph-view-camera.c, collect_items()):
 * the current frame, which gained or lost a name; the object the line
 * bound a name to (Assign's is the object the selected name names, a
 * copy's the new container); the ghost of what it freed (Del, of the
 * object the deleted name named; gc.collect(), of all it collected);
 * and whatever else it created or changed. */
typedef struct
{
  const char *name;       /* the test's, under /ui/graph-view/action-in-view/ */
  const char *action;     /* the window's action; NULL: the console runs statement */
  const char *select;     /* the variable selected first, or NULL */
  const char *statement;  /* typed on the console line */
  const char *bound;      /* the name the statement binds; a button's is its dialog's */
  gboolean    frees;      /* what the line does is free: its ghosts are read */
  gboolean    inspector;  /* acted with the inspector open over the graph's side */
  const char *example;    /* run instead of heap_program, or NULL */
} HeapAction;

/* The object name names in the innermost frame of the step shown, or 0 */
static guint32
variable_ref (HsGraphView *graph,
              const char  *name)
{
  const HsFrame *frames;
  guint n_frames;

  frames = hs_snapshot_get_frames (hs_graph_view_get_snapshot (graph), &n_frames);
  for (guint v = 0; n_frames > 0 && v < frames[n_frames - 1].n_vars; v++)
    if (g_str_equal (frames[n_frames - 1].vars[v].name, name))
      return frames[n_frames - 1].vars[v].ref;
  return 0;
}

/* Zooms and pans by hand to where a learner reads nothing: zoomed out
 * below the readable size, then scrolled as far to the bottom right as
 * the view lets a hand go.  Returns what the view shows there, in
 * layout units. */
static HsRect
look_away (HsWindow *window)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  GtkEventControllerScroll *scroll = hs_test_find_controller (GTK_WIDGET (graph), GTK_TYPE_EVENT_CONTROLLER_SCROLL);
  gboolean handled = FALSE;
  HsRect view;

  for (guint i = 0; hs_graph_view_get_zoom (graph) * smallest_box_text () >= HS_RENDERER_READABLE_PX; i++)
    {
      g_assert_cmpuint (i, <, 10);
      hs_test_activate (window, "zoom-out");
    }
  g_signal_emit_by_name (scroll, "scroll", 100.0, 100.0, &handled);
  g_assert_true (handled);
  settle (window);
  g_assert_false (hs_graph_view_get_follow (graph));
  hs_graph_view_get_visible_rect (graph, &view);
  return view;
}

/* Whether rect (layout units) lies whole in what the view shows clear of
 * any flap, clear of the zoom buttons and of any widget over the view;
 * if not, says why, naming it what (unless what is NULL) */
static gboolean
shown_clear (HsWindow     *window,
             const char   *what,
             const HsRect *rect)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsRect view, controls, pin;
  const HsRect *against = &view;  /* named in the message */
  const char *why;

  hs_graph_view_get_visible_rect (graph, &view);
  controls_rect (window, graph, &controls);
  if (!hs_test_rect_inside (rect, &view))
    why = "is outside the view";
  else if (rects_meet (rect, &controls))
    {
      why = "is under the zoom buttons";
      against = &controls;
    }
  /* (the pinned copy itself excepted) */
  else if (hs_graph_view_get_pinned_frame (graph, &pin) && rects_meet (rect, &pin) &&
           !(rect->x == pin.x && rect->y == pin.y && rect->width == pin.width && rect->height == pin.height))
    {
      why = "is under the pinned frame";
      against = &pin;
    }
  else if (!uncovered (window, graph, rect))
    why = "is covered by another widget, in the view";
  else
    return TRUE;
  if (what != NULL)
    g_test_message ("%s at (%.0f, %.0f, %.0f×%.0f) %s (%.0f, %.0f, %.0f×%.0f)",
                    what, rect->x, rect->y, rect->width, rect->height, why,
                    against->x, against->y, against->width, against->height);
  return FALSE;
}

/* Runs the heap button or the console statement of action on the last
 * step, as a click on the button and on the dialog's Run does, or as
 * Enter on the console; returns the name the line binds, if any */
static char *
act (HsWindow         *window,
     const HeapAction *action)
{
  g_autofree char *bound = g_strdup (action->bound);

  if (action->action != NULL)
    {
      HsCommandDialog *dialog;

      hs_test_activate (window, action->action);
      dialog = hs_window_get_command_dialog (window);
      g_assert_nonnull (dialog);
      if (hs_command_needs_target (hs_command_dialog_get_kind (dialog)))
        {
          g_free (bound);
          bound = g_strdup (hs_command_dialog_get_target (dialog));
        }
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "run");
    }
  else
    {
      hs_window_set_console_text (window, action->statement);
      hs_window_console_activate (window);
    }
  settle (window);
  /* A statement that raised is taken back, and says so under the console */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->console_error)));
  return g_steal_pointer (&bound);
}

/*
 * Issue 8: the view follows the program.  Each heap button, and a
 * statement typed on the console, adds steps that the camera frames,
 * even after the learner zoomed out and scrolled away.  At 1024x600,
 * with a picture wider than the graph at a readable zoom, box text is
 * at least HS_RENDERER_READABLE_PX on screen, the current frame (or its
 * pinned copy) is in view, and so is what the line bound a name to or
 * freed, and all else it created or changed, whole and clear of the
 * zoom buttons; and the step passes check_step(), as every step of
 * every example does.  Where the hand had left the view, the text was
 * too small to read and the result out of sight: without the camera,
 * these checks fail.
 */
static void
test_action_in_view (gconstpointer data)
{
  const HeapAction *action = data;
  Case c = { "heap-program", 1024, 600 };
  HsWindow *window;
  HsGraphView *graph;
  HsLayout *layout;
  g_autofree char *bound = NULL;
  g_autoptr(GHashTable) moved = NULL;
  const HsLayoutBox *boxes, *frame;
  HsRect away, view, result = { 0 }, pin;
  guint32 named = 0;
  guint n_steps, n_boxes, n_results = 0, n_missed = 0, n_beyond = 0;
  double lw, lh, text_px;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  if (action->example != NULL)
    {
      g_autofree char *path = g_strconcat ("/io/github/heapscope/Heapscope/examples/", action->example, NULL);
      g_autoptr(GBytes) text = g_resources_lookup_data (path, 0, NULL);

      g_assert_nonnull (text);
      window = run_heap_program (g_bytes_get_data (text, NULL), c.width, c.height);
    }
  else
    window = run_heap_program (heap_program, c.width, c.height);
  graph = hs_window_get_graph_view (window);
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, graph));
  last_step_from_first (window);
  runtime_reports_created = FALSE;
  n_steps = hs_trace_get_n_steps (hs_window_get_trace (window));

  /* heap_program's picture is wider than the view at the least zoom the
   * camera follows at: the camera chooses what to show (an example's
   * may fit whole, and is shown whole) */
  hs_layout_get_size (hs_graph_view_get_layout (graph), &lw, &lh);
  hs_graph_view_get_visible_rect (graph, &view);
  g_test_message ("the picture is %.0f×%.0f: %.0f px wide at zoom %.3f, the least a learner reads; the view %.0f px",
                  lw, lh, lw * hs_graph_view_camera_min_zoom (graph), hs_graph_view_camera_min_zoom (graph),
                  view.width * hs_graph_view_get_zoom (graph));
  if (action->example == NULL)
    g_assert_cmpfloat (lw * hs_graph_view_camera_min_zoom (graph), >, view.width * hs_graph_view_get_zoom (graph));

  if (action->select != NULL)
    {
      g_assert_true (hs_graph_view_select_variable (graph, action->select, FALSE));
      /* what Del frees is the object the name named */
      named = variable_ref (graph, action->select);
    }
  if (action->inspector)
    {
      g_action_group_change_action_state (G_ACTION_GROUP (window), "show-inspector", g_variant_new_boolean (TRUE));
      settle (window);
      g_assert_true (adw_flap_get_folded (window->inspector_flap));
    }
  away = look_away (window);
  g_assert_cmpfloat (hs_graph_view_get_zoom (graph) * smallest_box_text (), <, HS_RENDERER_READABLE_PX);

  bound = act (window, action);
  /* A command that took away all that was selected puts the folded
   * inspector away: it would say "Nothing Selected" over the graph */
  if (action->inspector)
    g_assert_true (adw_flap_get_reveal_flap (window->inspector_flap) ==
                   (hs_graph_view_get_selection (graph, NULL, NULL) > 0));
  g_assert_cmpuint (hs_trace_get_n_steps (hs_window_get_trace (window)), >, n_steps);
  g_assert_cmpuint (hs_window_get_step (window), ==, hs_trace_get_n_steps (hs_window_get_trace (window)) - 1);
  g_assert_true (hs_graph_view_get_follow (graph));

  layout = hs_graph_view_get_layout (graph);
  hs_graph_view_get_visible_rect (graph, &view);
  text_px = hs_graph_view_get_zoom (graph) * smallest_box_text ();
  g_test_message ("%s: the view (%.0f, %.0f, %.0f×%.0f), text %.1f px; the hand had left it at (%.0f, %.0f, %.0f×%.0f)",
                  action->name, view.x, view.y, view.width, view.height, text_px,
                  away.x, away.y, away.width, away.height);
  if (text_px < HS_RENDERER_READABLE_PX - 1e-6)
    g_error ("%s: box text is %.2f px on screen", action->name, text_px);

  /* The frame that gained or lost the name, in place or pinned */
  frame = hs_graph_view_current_frame (layout);
  g_assert_nonnull (frame);
  if (hs_graph_view_get_pinned_frame (graph, &pin) ? !shown_clear (window, "the pinned frame", &pin)
                                                    : !shown_clear (window, "the current frame", &frame->rect))
    g_error ("%s: the current frame is not in clear view", action->name);

  /* What the line bound a name to, always */
  if (bound != NULL)
    {
      guint32 ref = variable_ref (graph, bound);

      g_assert_cmpuint (ref, !=, 0);
      g_assert_true (hs_layout_get_object_bounds (layout, ref, &result));
      if (!shown_clear (window, bound, &result))
        g_error ("%s: the object %s names is not in clear view", action->name, bound);
      n_results++;
    }
  /* What it freed: one ghost at least is in view, and so is the ghost
   * of what the deleted name named, or all that gc.collect() freed */
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  if (action->frees)
    {
      guint n_ghosts = 0;

      for (guint i = 0; i < n_boxes; i++)
        if (boxes[i].kind == HS_LAYOUT_BOX_GHOST)
          {
            g_autofree char *what = g_strdup_printf ("the ghost of %s %s", boxes[i].title, boxes[i].value);
            gboolean wanted = named == 0 || boxes[i].ref == named;

            n_ghosts++;
            if (!shown_clear (window, wanted ? what : NULL, &boxes[i].rect))
              n_missed += wanted;
            else if (n_results++ == 0)
              result = boxes[i].rect;
          }
      g_test_message ("%s: %u ghosts, %u in clear view", action->name, n_ghosts, n_results);
    }
  g_assert_cmpuint (n_results, >, 0);
  /* The camera had to move for it */
  g_assert_false (hs_test_rect_inside (&result, &away));

  /* All else the line created or changed, and the rest of check_step(),
   * which asks for all of it wherever it fits one view */
  moved = moved_targets (window, layout);
  for (guint i = 0; i < n_boxes; i++)
    if (box_matters (hs_layout_get_snapshot (layout), &boxes[i], moved) != MATTERS_NOT)
      {
        g_autofree char *what = g_strdup_printf ("changed %s %u", boxes[i].title, boxes[i].ref);

        if (!shown_clear (window, what, &boxes[i].rect))
          n_beyond++;
      }
  g_test_message ("%s: %u of what else the line did is not in clear view", action->name, n_beyond);
  if (n_missed > 0)
    g_error ("%s: %u of what the line did is not in clear view (see the messages above)", action->name, n_missed);
  check_step (window, &c, hs_window_get_step (window));

  hs_test_window_close (window);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

/* How many ghosts of the step shown are not in clear view; each is named
 * in a message that starts with when.  n_ghosts: how many there are. */
static guint
ghosts_out_of_view (HsWindow   *window,
                    const char *when,
                    guint      *n_ghosts)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  const HsLayoutBox *boxes;
  guint n_boxes, n_missed = 0;

  *n_ghosts = 0;
  boxes = hs_layout_get_boxes (hs_graph_view_get_layout (graph), &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_GHOST)
      {
        g_autofree char *what = g_strdup_printf ("%s: the ghost of %s %s", when, boxes[i].title, boxes[i].value);

        (*n_ghosts)++;
        n_missed += !shown_clear (window, what, &boxes[i].rect);
      }
  g_test_message ("%s: %u ghosts, %u of them not in clear view, text %.1f px", when, *n_ghosts, n_missed,
                  hs_graph_view_get_zoom (graph) * smallest_box_text ());
  return n_missed;
}

/*
 * Issue 8: what a line freed is in view, also on a step the window
 * jumped to, whose freed objects it never drew.  Their ghosts have no
 * place to keep and go below the picture (hs_layout_place_lost_ghosts()).
 * A run of heap-program that ends with `del temp`, from First Step then
 * Last Step, jumps there from the frame alone.  In one row, below the
 * garbage zone, the three ghosts were too wide for the view beside the
 * pinned frame at 1024x600: the camera showed two.  Right after the run,
 * which steps the window showed on the way is up to the timing (the
 * ghosts may have places to keep), so only the jump is checked.
 */
static void
test_freed_in_view_after_jump (void)
{
  HsWindow *window;
  HsGraphView *graph;
  g_autofree char *text = g_strconcat (heap_program, "del temp\n", NULL);
  guint n_ghosts;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = run_heap_program (text, 1024, 600);
  graph = hs_window_get_graph_view (window);
  g_assert_true (hs_graph_view_get_follow (graph));
  g_assert_cmpuint (hs_window_get_step (window), ==, hs_trace_get_n_steps (hs_window_get_trace (window)) - 1);

  last_step_from_first (window);
  if (ghosts_out_of_view (window, "first step, then last", &n_ghosts) > 0)
    g_error ("from the first step, a ghost of what `del temp` freed is not in clear view (see the messages above)");
  /* the list and its two ints */
  g_assert_cmpuint (n_ghosts, ==, 3);
  g_assert_cmpfloat (hs_graph_view_get_zoom (graph) * smallest_box_text (), >=, HS_RENDERER_READABLE_PX - 1e-6);

  hs_test_window_close (window);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

/* ---- end of what each heap button and the console did -------------- */

/* An object box of the step that lies outside the view, or NULL */
static const HsLayoutBox *
box_out_of_view (HsGraphView *graph)
{
  const HsLayoutBox *boxes;
  guint n_boxes;
  HsRect view;

  hs_graph_view_get_visible_rect (graph, &view);
  boxes = hs_layout_get_boxes (hs_graph_view_get_layout (graph), &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT && !rects_meet (&boxes[i].rect, &view))
      return &boxes[i];
  return NULL;
}

/* Searches for box's object by its id() and checks that the view shows
 * it, readable, clear of the buttons and of anything over the view */
static void
check_found (HsWindow          *window,
             const HsLayoutBox *box)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  const HsObject *object = hs_snapshot_lookup (hs_graph_view_get_snapshot (graph), box->ref);
  g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, object->id);
  HsRect view, controls, rect = box->rect;
  guint32 refs[2];

  g_assert_true (hs_window_find (window, id));
  settle (window);
  g_assert_cmpuint (hs_graph_view_get_selection (graph, refs, NULL), ==, 1);
  g_assert_cmpuint (refs[0], ==, box->ref);
  hs_graph_view_get_visible_rect (graph, &view);
  controls_rect (window, graph, &controls);
  if (!hs_test_rect_inside (&rect, &view))
    g_error ("the found %s at (%.0f, %.0f, %.0f×%.0f) is outside the view (%.0f, %.0f, %.0f×%.0f)",
             box->title, rect.x, rect.y, rect.width, rect.height, view.x, view.y, view.width, view.height);
  if (rects_meet (&rect, &controls))
    g_error ("the found %s is under the zoom buttons", box->title);
  g_assert_true (uncovered (window, graph, &rect));
  g_assert_cmpfloat (hs_graph_view_get_zoom (graph) * smallest_box_text (), >=, HS_RENDERER_READABLE_PX - 1e-6);

  /* Found again, in clear sight now: the view stays */
  {
    HsRect again;

    g_assert_true (hs_window_find (window, id));
    settle (window);
    hs_graph_view_get_visible_rect (graph, &again);
    g_assert_true (same_rect (&view, &again));
  }
}

/* Search frames what it finds: an object out of view comes into view,
 * readable and clear of the zoom buttons, whether the view follows the
 * program or was zoomed in by hand.  A view that followed follows on
 * (test_reveal_keeps_following()); one zoomed by hand stays put. */
static void
test_find_frames (void)
{
  Case c = { "copies", 1024, 600 };
  HsWindow *window;
  HsGraphView *graph;
  const HsLayoutBox *box;
  guint n_found = 0;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = open_and_run (&c);
  graph = hs_window_get_graph_view (window);
  g_assert_true (hs_graph_view_get_follow (graph));
  if ((box = box_out_of_view (graph)) != NULL)
    {
      check_found (window, box);
      g_assert_true (hs_graph_view_get_follow (graph));
      n_found++;
    }

  /* Zoomed in by hand until some of the picture is out of view */
  hs_graph_view_frame_step (graph);
  settle (window);
  for (guint i = 0; i < 8 && (i < 3 || box_out_of_view (graph) == NULL); i++)
    {
      hs_test_activate (window, "zoom-in");
      settle (window);
    }
  g_assert_false (hs_graph_view_get_follow (graph));
  box = box_out_of_view (graph);
  g_assert_nonnull (box);
  check_found (window, box);
  g_assert_false (hs_graph_view_get_follow (graph));
  n_found++;
  g_test_message ("%u objects out of view found and framed", n_found);

  hs_test_window_close (window);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

/* Whether ref's box lies whole in what the view shows clear of any flap */
static gboolean
object_in_view (HsGraphView *graph,
                guint32      ref)
{
  HsRect view, rect;

  hs_graph_view_get_visible_rect (graph, &view);
  return hs_layout_get_object_bounds (hs_graph_view_get_layout (graph), ref, &rect) &&
         hs_test_rect_inside (&rect, &view);
}

/*
 * Issue 8: only a hand that pans or zooms stops following.  A search or
 * a note's link (win.show-object) glides to what it found, and the view
 * follows on: the next step frames what its line did (check_step()), and
 * keeps the found object in view while it stays selected, when it fits
 * beside that.  At each step that leaves an object out of view, that
 * object is found, by search and by a link in turn, then the run steps
 * on.  Whether the object stayed in view only because it is selected is
 * told by the framing of the same step without it.
 */
static void
test_reveal_keeps_following (gconstpointer data)
{
  Case c = *(const Case *) data;
  HsWindow *window;
  HsGraphView *graph;
  guint n_steps, n_found = 0, n_kept = 0, n_kept_for_selection = 0;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = open_and_run (&c);
  graph = hs_window_get_graph_view (window);
  runtime_reports_created = FALSE;
  n_steps = hs_trace_get_n_steps (hs_window_get_trace (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "first-step", NULL);
  settle (window);
  for (guint step = 0; step + 1 < n_steps; step++)
    {
      const HsLayoutBox *box = box_out_of_view (graph);
      guint32 ref = box != NULL ? box->ref : 0;

      if (ref != 0)
        {
          const HsObject *object = hs_snapshot_lookup (hs_graph_view_get_snapshot (graph), ref);
          g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, object->id);

          if (n_found % 2 == 0)
            {
              g_assert_true (hs_window_find (window, id));
              settle (window);
              /* The inspector it opened takes half the room: with it,
               * what some lines do cannot all be framed at 1024x600 */
              g_action_group_change_action_state (G_ACTION_GROUP (window), "show-inspector",
                                                  g_variant_new_boolean (FALSE));
            }
          else
            g_action_group_activate_action (G_ACTION_GROUP (window), "show-object", g_variant_new_uint32 (ref));
          settle (window);
          if (!object_in_view (graph, ref))
            {
              HsRect view, rect;

              hs_graph_view_get_visible_rect (graph, &view);
              hs_layout_get_object_bounds (hs_graph_view_get_layout (graph), ref, &rect);
              g_error ("step %u: %s %s at (%.0f, %.0f, %.0f×%.0f) is not in view (%.0f, %.0f, %.0f×%.0f) after it was found by %s",
                       step, box->title, id, rect.x, rect.y, rect.width, rect.height,
                       view.x, view.y, view.width, view.height, n_found % 2 == 0 ? "search" : "a link");
            }
          if (!hs_graph_view_get_follow (graph))
            g_error ("step %u: the view stopped following once %s %s was found by %s", step, box->title, id,
                     n_found % 2 == 0 ? "search" : "a link");
          n_found++;
        }

      g_action_group_activate_action (G_ACTION_GROUP (window), "step-forward", NULL);
      settle (window);
      check_step (window, &c, step + 1);
      if (ref == 0)
        continue;
      if (hs_graph_view_get_selection (graph, NULL, NULL) > 0)
        {
          gboolean kept = object_in_view (graph, ref), kept_unselected, have_made;
          HsRect both = { 0 }, found, view, controls, pin;

          /* The selection is kept in view wherever it fits one view with
           * what the line did */
          have_made = what_line_did (window, &both);
          g_assert_true (hs_layout_get_object_bounds (hs_graph_view_get_layout (graph), ref, &found));
          rect_union (&both, &have_made, &found);
          hs_graph_view_get_visible_rect (graph, &view);
          controls_rect (window, graph, &controls);
          if (!kept && fits_one_view (graph, &both, &view, hs_graph_view_get_pinned_frame (graph, &pin) ? &pin : NULL,
                                      &controls))
            g_error ("step %u: the object found at the step before is out of view, though it fits one view with what the line did",
                     step + 1);

          hs_graph_view_unselect_all (graph);
          hs_graph_view_frame_step (graph);
          settle (window);
          kept_unselected = object_in_view (graph, ref);
          {
            HsRect view, rect = { 0 };

            hs_graph_view_get_visible_rect (graph, &view);
            hs_layout_get_object_bounds (hs_graph_view_get_layout (graph), ref, &rect);
            g_test_message ("step %u: the object found at the step before (%.0f, %.0f, %.0f×%.0f) is %s, %s without the selection (%.0f, %.0f, %.0f×%.0f), zoom %.3f", step + 1,
                            rect.x, rect.y, rect.width, rect.height,
                            kept ? "in view" : "out of view", kept_unselected ? "in view" : "out of view",
                            view.x, view.y, view.width, view.height, hs_graph_view_get_zoom (graph));
          }
          n_kept += kept;
          n_kept_for_selection += kept && !kept_unselected;
        }
      hs_graph_view_unselect_all (graph);
    }
  g_test_message ("%u objects found; the next step kept %u in view, %u of them only because selected",
                  n_found, n_kept, n_kept_for_selection);
  g_assert_cmpuint (n_found, >, 1);
  hs_test_window_close (window);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}


/* Where the camera lands every FAST_STEPS steps of c's run, from its
 * first step on, in a window of its own; fast: the steps between two
 * landings are asked for within one frame, else one at a time, each
 * left to settle */
#define FAST_STEPS 4

static GArray *
land_in_steps (const Case *c,
               gboolean    fast)
{
  HsWindow *window = open_and_run (c);
  HsGraphView *graph = hs_window_get_graph_view (window);
  guint n_steps = hs_trace_get_n_steps (hs_window_get_trace (window));
  GArray *landings = g_array_new (FALSE, TRUE, sizeof (HsCamera));

  /* Moved by hand, then following from nothing at the first step */
  hs_test_activate (window, "zoom-in");
  hs_window_show_step (window, 0, FALSE);
  settle (window);
  g_assert_false (hs_graph_view_get_follow (graph));
  hs_graph_view_frame_step (graph);
  settle (window);
  for (guint step = FAST_STEPS; step < n_steps; step += FAST_STEPS)
    {
      HsCamera landing;

      for (guint i = 0; i < FAST_STEPS; i++)
        {
          g_action_group_activate_action (G_ACTION_GROUP (window), "step-forward", NULL);
          if (!fast)
            settle (window);
        }
      settle (window);
      g_assert_cmpuint (hs_window_get_step (window), ==, step);
      landing = camera_of (graph);
      g_array_append_val (landings, landing);
    }
  hs_test_window_close (window);
  return landings;
}

/*
 * Issue 8: where a step lands does not depend on how fast the steps were
 * asked for.  A held Alt+Right asks for them faster than the frames
 * come: a step then slid from the framing of the step before as made at
 * a size the view never drew it at (a lesson's notes pane resizes the
 * view as it steps), and the freeing lesson at 1024x600 landed
 * otherwise at 6 of 9 of the steps checked.  Every FAST_STEPS steps
 * asked for within one frame land where the same steps do one at a
 * time, each left to settle.
 */
static void
test_fast_steps (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GArray) slow = NULL;
  g_autoptr(GArray) fast = NULL;
  guint n_differ = 0;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  slow = land_in_steps (c, FALSE);
  fast = land_in_steps (c, TRUE);
  g_assert_cmpuint (slow->len, ==, fast->len);
  g_assert_cmpuint (slow->len, >, 0);
  for (guint i = 0; i < slow->len; i++)
    {
      const HsCamera *a = &g_array_index (slow, HsCamera, i), *b = &g_array_index (fast, HsCamera, i);

      if (fabs (a->zoom - b->zoom) < 1e-3 && fabs (a->offset_x - b->offset_x) < 1 && fabs (a->offset_y - b->offset_y) < 1)
        continue;
      g_test_message ("%s %dx%d step %u: zoom %.3f, offset (%.1f, %.1f) one step at a time; zoom %.3f, offset (%.1f, %.1f) %u within a frame",
                      c->example, c->width, c->height, (i + 1) * FAST_STEPS, a->zoom, a->offset_x, a->offset_y,
                      b->zoom, b->offset_x, b->offset_y, FAST_STEPS);
      n_differ++;
    }
  g_test_message ("%s %dx%d: %u of %u steps landed otherwise when %u steps came within a frame",
                  c->example, c->width, c->height, n_differ, slow->len, FAST_STEPS);
  g_assert_cmpuint (n_differ, ==, 0);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

/* On a narrow window the inspector folds over the graph's right: opening
 * and closing it leaves the view's size as it was, and the camera refits
 * to what it leaves clear. */
static void
test_flap_refits (void)
{
  Case c = { "functions", 1024, 600 };
  HsWindow *window;
  HsGraphView *graph;
  guint last;
  int width;
  double offset_x;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = open_and_run (&c);
  graph = hs_window_get_graph_view (window);
  last = hs_window_get_step (window);
  runtime_reports_created = FALSE;
  check_step (window, &c, last);
  width = gtk_widget_get_width (GTK_WIDGET (graph));
  offset_x = graph->offset_x;

  /* What a modal flap's shield covers is not what the eye sees */
  adw_flap_set_modal (window->inspector_flap, FALSE);
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-inspector", g_variant_new_boolean (TRUE));
  g_assert_true (adw_flap_get_folded (window->inspector_flap));
  hs_test_wait_frames (GTK_WIDGET (graph), 4);
  settle (window);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (graph)), ==, width);
  g_assert_cmpfloat (graph->framed_clear_width, <, width - 100);
  /* what the line did is framed in what the flap leaves clear (the
   * view moves only where it was not) */
  g_test_message ("offset %.1f before the flap, %.1f after", offset_x, graph->offset_x);
  c.inspector = TRUE;
  check_step (window, &c, last);

  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-inspector", g_variant_new_boolean (FALSE));
  hs_test_wait_frames (GTK_WIDGET (graph), 4);
  settle (window);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (graph)), ==, width);
  /* framed again for the whole width */
  g_assert_cmpfloat (fabs (graph->framed_clear_width - width), <, 1);
  c.inspector = FALSE;
  check_step (window, &c, last);

  hs_test_window_close (window);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}


typedef struct
{
  GtkWidget *window;
  int        height;
} WindowHeight;

static gboolean
window_has_height (gpointer data)
{
  WindowHeight *wanted = data;

  return gtk_widget_get_height (wanted->window) == wanted->height;
}

/* Makes the window more px taller (or less, for less than 0), and waits
 * until it is, and the graph has its new size */
static void
grow_window (HsWindow *window,
             int       more)
{
  WindowHeight wanted = { GTK_WIDGET (window), gtk_widget_get_height (GTK_WIDGET (window)) + more };
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height + more);
  g_assert_true (hs_test_wait_until (window_has_height, &wanted));
  hs_test_wait_frames (GTK_WIDGET (hs_window_get_graph_view (window)), 3);
  settle (window);
}

/*
 * The framing a step lands on does not depend on the sizes the view
 * passed through on the way: a lesson's notes pane resizes the view as
 * it steps, and when and in how many allocations those resizes come is
 * up to the frame clock.  The freeing lesson's step 18 at 1024x600, its
 * window then made 20 px taller, is framed as it is when the window
 * first goes back to its height, then 20 px shorter, then 20 px taller;
 * either way, what the line made is in view.
 */
static void
test_framing_ignores_resize_order (void)
{
  Case c = { "freeing", 1024, 600, TRUE };
  HsWindow *window;
  HsGraphView *graph;
  HsCamera direct, detour;
  const guint step = 18;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = open_and_run (&c);
  graph = hs_window_get_graph_view (window);
  runtime_reports_created = FALSE;
  g_action_group_activate_action (G_ACTION_GROUP (window), "first-step", NULL);
  settle (window);
  while (hs_window_get_step (window) < step)
    {
      g_action_group_activate_action (G_ACTION_GROUP (window), "step-forward", NULL);
      settle (window);
    }

  grow_window (window, 20);
  direct = camera_of (graph);
  check_step (window, &c, step);

  grow_window (window, -20);
  grow_window (window, -20);
  grow_window (window, 40);
  detour = camera_of (graph);
  check_step (window, &c, step);

  g_test_message ("step %u: zoom %.3f, offset (%.1f, %.1f) directly; zoom %.3f, offset (%.1f, %.1f) by other sizes",
                  step, direct.zoom, direct.offset_x, direct.offset_y, detour.zoom, detour.offset_x, detour.offset_y);
  g_assert_cmpfloat_with_epsilon (direct.zoom, detour.zoom, 1e-6);
  g_assert_cmpfloat_with_epsilon (direct.offset_x, detour.offset_x, 0.5);
  g_assert_cmpfloat_with_epsilon (direct.offset_y, detour.offset_y, 0.5);

  hs_test_window_close (window);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

/* Where the camera landed at a step, and the room it had there */
typedef struct
{
  HsCamera camera;
  int      width;
  int      height;
} Landing;

/* Steps WINDOW's run from its first step to its last, one step at a
 * time, and returns where the camera landed at each (Landing) */
static GArray *
land_every_step (HsWindow *window)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  guint n_steps = hs_trace_get_n_steps (hs_window_get_trace (window));
  GArray *landings = g_array_new (FALSE, TRUE, sizeof (Landing));

  g_action_group_activate_action (G_ACTION_GROUP (window), "first-step", NULL);
  settle (window);
  for (guint step = 0; step < n_steps; step++)
    {
      Landing landing = { camera_of (graph), gtk_widget_get_width (GTK_WIDGET (graph)),
                          gtk_widget_get_height (GTK_WIDGET (graph)) };

      g_assert_cmpuint (hs_window_get_step (window), ==, step);
      g_array_append_val (landings, landing);
      if (step + 1 < n_steps)
        {
          g_action_group_activate_action (G_ACTION_GROUP (window), "step-forward", NULL);
          settle (window);
        }
    }
  return landings;
}

typedef struct
{
  GtkWidget *window;
  int        width;
  int        height;
} WindowSize;

static gboolean
window_has_size (gpointer data)
{
  WindowSize *wanted = data;

  return gtk_widget_get_width (wanted->window) == wanted->width &&
         gtk_widget_get_height (wanted->window) == wanted->height;
}

/* Makes the window's default size width x height, as when it opens at
 * that size, and waits until it has that size and the graph its new one */
static void
size_window (HsWindow *window,
             int       width,
             int       height)
{
  int old_width, old_height;
  WindowSize wanted = { GTK_WIDGET (window) };

  /* What the window takes of its default size (its shadow) stays */
  gtk_window_get_default_size (GTK_WINDOW (window), &old_width, &old_height);
  wanted.width = gtk_widget_get_width (GTK_WIDGET (window)) + width - old_width;
  wanted.height = gtk_widget_get_height (GTK_WIDGET (window)) + height - old_height;
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  g_assert_true (hs_test_wait_until (window_has_size, &wanted));
  hs_test_wait_frames (GTK_WIDGET (hs_window_get_graph_view (window)), 3);
  settle (window);
}

/* Opens c's lesson or example in window, which shows something else,
 * runs it, and waits for the run's end */
static void
open_in (HsWindow   *window,
         const Case *c)
{
  if (c->lesson)
    g_action_group_activate_action (G_ACTION_GROUP (window), "open-lesson", g_variant_new_string (c->example));
  else
    {
      hs_window_load_example (window, c->example);
      g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
    }
  settle (window);
  g_assert_cmpstr (hs_trace_get_status (hs_window_get_trace (window)), ==, "finished");
  settle (window);
}

/*
 * Stepping a run from its first step at a fixed size lands on the same
 * framing at every step, whatever the window did before the learner went
 * to the first step.  The camera keeps the zoom from step to step, so a
 * framing made at a size the step did not keep carries on: while
 * settle() returned before the notes pane's resize for a step reached
 * the graph, the next step slid from the step before as framed at the
 * size of the one before it, and the freeing lesson's step 34 at
 * 1024x600 landed at zoom 0.871 after one history and 0.946 after the
 * other (7 to 28 of its 38 steps differed from one test run to the
 * next); now 0.892 after both.
 * Once directly: the window opens at 1024x600 and runs c.  Once by a
 * detour: it opens at 1280x800, runs another snippet, shows a step in its
 * middle, is made 1024x600, runs c, shows a step in its middle, steps on
 * from the first faster than the frames come, then goes to the first.
 */
static void
test_framing_ignores_history (gconstpointer data)
{
  const Case *c = data;
  Case other = { "cycles", 1280, 800 };
  g_autoptr(GArray) direct = NULL;
  g_autoptr(GArray) detour = NULL;
  HsWindow *window;
  guint n_differ = 0;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = open_and_run (c);
  direct = land_every_step (window);
  hs_test_window_close (window);

  window = open_and_run (&other);
  hs_window_show_step (window, hs_window_get_step (window) / 2, FALSE);
  settle (window);
  size_window (window, c->width, c->height);
  open_in (window, c);
  hs_window_show_step (window, hs_window_get_step (window) / 2, FALSE);
  settle (window);
  /* and steps on faster than the frames come, from the first */
  g_action_group_activate_action (G_ACTION_GROUP (window), "first-step", NULL);
  for (guint i = 0; i < hs_trace_get_n_steps (hs_window_get_trace (window)) * 3 / 4; i++)
    {
      g_action_group_activate_action (G_ACTION_GROUP (window), "step-forward", NULL);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  settle (window);
  detour = land_every_step (window);
  hs_test_window_close (window);

  g_assert_cmpuint (direct->len, ==, detour->len);
  for (guint step = 0; step < direct->len; step++)
    {
      const Landing *a = &g_array_index (direct, Landing, step);
      const Landing *b = &g_array_index (detour, Landing, step);
      gboolean same = fabs (a->camera.zoom - b->camera.zoom) < 1e-3 &&
                      fabs (a->camera.offset_x - b->camera.offset_x) < 1 &&
                      fabs (a->camera.offset_y - b->camera.offset_y) < 1;

      if (a->width != b->width || a->height != b->height)
        g_test_message ("%s %dx%d step %u: the graph is %dx%d px directly, %dx%d px by a detour",
                        c->example, c->width, c->height, step, a->width, a->height, b->width, b->height);
      if (same)
        continue;
      g_test_message ("%s %dx%d step %u: zoom %.3f, offset (%.1f, %.1f) directly; zoom %.3f, offset (%.1f, %.1f) by a detour",
                      c->example, c->width, c->height, step, a->camera.zoom, a->camera.offset_x, a->camera.offset_y,
                      b->camera.zoom, b->camera.offset_x, b->camera.offset_y);
      n_differ++;
    }
  g_test_message ("%s %dx%d: %u of %u steps framed otherwise after a detour", c->example, c->width, c->height,
                  n_differ, direct->len);
  g_assert_cmpuint (n_differ, ==, 0);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

/*
 * settle() waits until the graph has the size the step gives it: a
 * lesson's notes pane above the graph changes height with the note, and
 * that resize reaches the graph in the frame clock's next layout, which
 * the main loop had not run yet when settle() found nothing to do; the
 * checks then ran at the size of the step before.  Stepping the freeing
 * lesson, what settle() leaves is what a few more frames leave.
 */
static void
test_settle_waits_for_resize (void)
{
  Case c = { "freeing", 1024, 600, TRUE };
  HsWindow *window;
  HsGraphView *graph;
  guint n_steps, n_moved = 0;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = open_and_run (&c);
  graph = hs_window_get_graph_view (window);
  n_steps = hs_trace_get_n_steps (hs_window_get_trace (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "first-step", NULL);
  settle (window);
  for (guint step = 0; step < n_steps; step++)
    {
      int width = gtk_widget_get_width (GTK_WIDGET (graph)), height = gtk_widget_get_height (GTK_WIDGET (graph));
      HsCamera settled = camera_of (graph), later;

      hs_test_wait_frames (GTK_WIDGET (graph), 5);
      hs_graph_view_finish_animations (graph);
      later = camera_of (graph);
      if (width != gtk_widget_get_width (GTK_WIDGET (graph)) || height != gtk_widget_get_height (GTK_WIDGET (graph)) ||
          fabs (settled.zoom - later.zoom) > 1e-6 || fabs (settled.offset_x - later.offset_x) > 0.5 ||
          fabs (settled.offset_y - later.offset_y) > 0.5)
        {
          g_test_message ("step %u: settled at %dx%d px, zoom %.3f, offset (%.1f, %.1f); 5 frames later %dx%d px, zoom %.3f, offset (%.1f, %.1f)",
                          step, width, height, settled.zoom, settled.offset_x, settled.offset_y,
                          gtk_widget_get_width (GTK_WIDGET (graph)), gtk_widget_get_height (GTK_WIDGET (graph)),
                          later.zoom, later.offset_x, later.offset_y);
          n_moved++;
        }
      if (step + 1 < n_steps)
        {
          g_action_group_activate_action (G_ACTION_GROUP (window), "step-forward", NULL);
          settle (window);
        }
    }
  g_test_message ("%u of %u steps resized or moved after settle()", n_moved, n_steps);
  g_assert_cmpuint (n_moved, ==, 0);
  hs_test_window_close (window);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

/*
 * Placed by hand, the view keeps the selected object clear of a flap
 * only: with no flap folded over it, a resize leaves the view where the
 * user put it, even with the object half out of sight past its left edge.
 */
static void
test_resize_keeps_placed_view (void)
{
  Case c = { "aliasing", 1024, 600 };
  HsWindow *window;
  HsGraphView *graph;
  graphene_rect_t clear;
  guint32 refs[2];
  HsRect rect;
  double zoom, offset_x, offset_y;
  guint n_selected;
  int height;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = open_and_run (&c);
  graph = hs_window_get_graph_view (window);
  hs_test_activate (window, "zoom-in");
  settle (window);
  g_assert_false (hs_graph_view_get_follow (graph));
  g_assert_true (hs_graph_view_select_variable (graph, "a", FALSE));
  settle (window);
  n_selected = hs_graph_view_get_selection (graph, refs, NULL);
  g_assert_cmpuint (n_selected, >, 0);
  g_assert_true (hs_layout_get_object_bounds (graph->layout, refs[n_selected - 1], &rect));
  hs_graph_view_camera_get_clear_area (graph, &clear);
  g_assert_cmpfloat (clear.origin.x, ==, 0);
  g_assert_cmpfloat (clear.size.width, ==, gtk_widget_get_width (GTK_WIDGET (graph)));

  /* Panned so that the object's middle is at the middle of the view's
   * left edge */
  zoom = hs_graph_view_get_zoom (graph);
  graph->offset_x = -(rect.x + rect.width / 2) * zoom;
  graph->offset_y = gtk_widget_get_height (GTK_WIDGET (graph)) / 2.0 - (rect.y + rect.height / 2) * zoom;
  gtk_widget_queue_draw (GTK_WIDGET (graph));
  hs_test_wait_frames (GTK_WIDGET (graph), 2);
  offset_x = graph->offset_x;
  offset_y = graph->offset_y;
  g_assert_cmpfloat (rect.x * zoom + offset_x, <, 0);
  g_assert_cmpfloat ((rect.x + rect.width) * zoom + offset_x, >, 0);

  height = gtk_widget_get_height (GTK_WIDGET (graph));
  grow_window (window, 20);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (graph)), >, height);
  hs_graph_view_camera_get_clear_area (graph, &clear);
  g_assert_cmpfloat (clear.size.width, ==, gtk_widget_get_width (GTK_WIDGET (graph)));
  g_test_message ("offset (%.1f, %.1f) before the resize, (%.1f, %.1f) after",
                  offset_x, offset_y, graph->offset_x, graph->offset_y);
  g_assert_cmpfloat_with_epsilon (hs_graph_view_get_zoom (graph), zoom, 1e-9);
  g_assert_cmpfloat_with_epsilon (graph->offset_x, offset_x, 0.5);
  g_assert_cmpfloat_with_epsilon (graph->offset_y, offset_y, 0.5);
  g_assert_false (hs_graph_view_get_follow (graph));

  hs_test_window_close (window);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

static gboolean
graph_framed (gpointer data)
{
  HsGraphView *graph = data;

  return graph->layout != NULL && !graph->frame_pending && graph->framed_width > 0;
}

/* A view cleared holds nothing of the trace it showed: the trace can go */
static void
test_clear_drops_trace (void)
{
  Case c = { "aliasing", 1024, 600 };
  HsWindow *window = open_and_run (&c);
  HsTrace *trace = hs_window_get_trace (window);
  g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, hs_trace_get_n_steps (trace) - 1);
  GtkWidget *other = gtk_window_new ();
  HsGraphView *graph = HS_GRAPH_VIEW (hs_graph_view_new ());
  guint held;

  gtk_window_set_default_size (GTK_WINDOW (other), 800, 600);
  gtk_window_set_child (GTK_WINDOW (other), GTK_WIDGET (graph));
  gtk_window_present (GTK_WINDOW (other));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, graph));
  held = G_OBJECT (trace)->ref_count;
  hs_graph_view_set_step (graph, trace, snapshot, FALSE);
  g_assert_true (hs_test_wait_until (graph_framed, graph));
  hs_graph_view_set_step (graph, NULL, NULL, FALSE);
  g_test_message ("the trace's references: %u before it was shown, %u once the view was cleared",
                  held, G_OBJECT (trace)->ref_count);
  g_assert_cmpuint (G_OBJECT (trace)->ref_count, ==, held);

  gtk_window_destroy (GTK_WINDOW (other));
  hs_test_window_close (window);
}

/* ---- Nothing that matters under the pinned frame or the buttons ---- */

static guint count_needless_covers (HsWindow   *window,
                                    const Case *c,
                                    guint       step);

typedef struct
{
  Case        c;
  const char *action;
  const char *select;  /* the variable copied */
} CoverCase;

/*
 * Issue 51, point 3: with the inspector open over the graph's side, a
 * Copy or a Deepcopy in the copies lesson or example leaves the pinned frame and
 * the zoom buttons over no box that matters (the frame, what the line
 * did, the selection) wherever it fits one view (check_step()), and over
 * no box at all that a shift of the view would leave uncovered.  The
 * pinned <module> frame covered object boxes there.
 */
static void
test_covers_nothing (gconstpointer data)
{
  const CoverCase *cover = data;
  HeapAction action = { cover->action, cover->action, cover->select, NULL, NULL, FALSE, TRUE };
  HsWindow *window;
  HsGraphView *graph;
  g_autofree char *bound = NULL;
  guint n_steps;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = open_and_run (&cover->c);
  graph = hs_window_get_graph_view (window);
  runtime_reports_created = FALSE;
  n_steps = hs_trace_get_n_steps (hs_window_get_trace (window));
  /* A lesson rewinds to its first step */
  g_action_group_activate_action (G_ACTION_GROUP (window), "last-step", NULL);
  settle (window);
  g_assert_true (hs_graph_view_select_variable (graph, action.select, FALSE));
  settle (window);
  g_assert_true (adw_flap_get_reveal_flap (window->inspector_flap));
  bound = act (window, &action);
  g_assert_cmpuint (hs_trace_get_n_steps (hs_window_get_trace (window)), >, n_steps);
  g_assert_true (hs_graph_view_get_follow (graph));
  check_step (window, &cover->c, hs_window_get_step (window));
  g_assert_cmpuint (count_needless_covers (window, &cover->c, hs_window_get_step (window)), ==, 0);
  hs_test_window_close (window);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

/* ---- Boxes cut for nothing ------------------------------------------- */

/* Whether box matters at this step as check_step() reads it: the current
 * frame (unless its pinned copy stands for it), what the line created,
 * changed or bound, the ghost of what it freed */
static gboolean
box_matters_now (HsGraphView       *graph,
                 HsSnapshot        *snapshot,
                 const HsLayoutBox *box,
                 GHashTable        *moved)
{
  if (box->kind == HS_LAYOUT_BOX_FRAME)
    return box->current && !hs_graph_view_get_pinned_frame (graph, NULL);
  return box->kind == HS_LAYOUT_BOX_GHOST || box_matters (snapshot, box, moved) != MATTERS_NOT;
}

/* Whether the view moved by (dx, dy) layout units shows cut whole and
 * spoils nothing else: every box it showed whole or not at all stays so
 * (but for cut), none that matters leaves the view, and none comes under
 * the zoom buttons or the pinned copy of the frame that was clear of
 * them. */
static gboolean
shift_shows_whole (HsGraphView  *graph,
                   GHashTable   *moved,
                   guint         cut,
                   const HsRect *view,
                   const HsRect *controls,
                   double        dx,
                   double        dy)
{
  HsLayout *layout = hs_graph_view_get_layout (graph);
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  const HsLayoutBox *boxes = NULL, *frame = NULL;
  HsRect moved_view = { view->x + dx, view->y + dy, view->width, view->height };
  double zoom = hs_graph_view_get_zoom (graph);
  /* with the pixel the camera leaves around boxes */
  HsRect moved_controls = { controls->x + dx - 1 / zoom, controls->y + dy - 1 / zoom,
                            controls->width + 2 / zoom, controls->height + 2 / zoom };
  HsRect copy, moved_copy;
  gboolean have_copy, have_moved_copy = FALSE;
  guint n_boxes;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  if (!hs_test_rect_inside (&boxes[cut].rect, &moved_view))
    return FALSE;
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_FRAME && boxes[i].current)
      frame = &boxes[i];
  have_copy = hs_graph_view_get_pinned_frame (graph, &copy);
  if (frame != NULL)
    have_moved_copy = hs_graph_view_place_pinned_copy (&frame->rect, &moved_view, zoom, &moved_copy);
  /* A box the copy or the buttons covered is shown only where it comes
   * clear of them */
  if (have_copy && rects_meet (&boxes[cut].rect, &copy) && have_moved_copy &&
      rects_meet (&boxes[cut].rect, &moved_copy))
    return FALSE;
  if (rects_meet (&boxes[cut].rect, controls) && rects_meet (&boxes[cut].rect, &moved_controls))
    return FALSE;
  for (guint i = 0; i < n_boxes; i++)
    {
      const HsRect *r = &boxes[i].rect;
      gboolean is_frame = &boxes[i] == frame;

      if (i == cut || boxes[i].alpha <= 0)
        continue;
      /* The current frame too: a frame cut at the edge has its pinned
       * copy drawn over where it shows, not at the view's corner */
      if (!cut_by (r, view) && cut_by (r, &moved_view))
        return FALSE;
      if (box_matters_now (graph, snapshot, &boxes[i], moved) && hs_test_rect_inside (r, view) &&
          !hs_test_rect_inside (r, &moved_view))
        return FALSE;
      if (hs_test_rect_inside (r, &moved_view) && rects_meet (r, &moved_controls) &&
          !(hs_test_rect_inside (r, view) && rects_meet (r, controls)))
        return FALSE;
      if (!is_frame && have_moved_copy && rects_meet (r, &moved_copy) && !(have_copy && rects_meet (r, &copy)))
        return FALSE;
    }
  return TRUE;
}

/* How many boxes an edge of the view cuts that a shift of the view would
 * show whole, spoiling nothing else (shift_shows_whole()): a learner sees
 * them cut for nothing.  Each is reported. */
static guint
count_needless_cuts (HsWindow   *window,
                     const Case *c,
                     guint       step)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsLayout *layout = hs_graph_view_get_layout (graph);
  g_autoptr(GHashTable) moved = moved_targets (window, layout);
  const HsLayoutBox *boxes;
  HsRect view, controls;
  guint n_boxes, n = 0;
  /* a pixel past the edge, as the camera leaves room */
  double pad = 1 / hs_graph_view_get_zoom (graph);

  hs_graph_view_get_visible_rect (graph, &view);
  controls_rect (window, graph, &controls);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      const HsRect *r = &boxes[i].rect;
      double dx = 0, dy = 0;

      if (boxes[i].alpha <= 0 || !cut_by (r, &view) || r->width > view.width || r->height > view.height ||
          (boxes[i].kind == HS_LAYOUT_BOX_FRAME && boxes[i].current && hs_graph_view_get_pinned_frame (graph, NULL)))
        continue;
      if (r->x < view.x)
        dx = r->x - view.x - pad;
      else if (r->x + r->width > view.x + view.width)
        dx = r->x + r->width - view.x - view.width + pad;
      if (r->y < view.y)
        dy = r->y - view.y - pad;
      else if (r->y + r->height > view.y + view.height)
        dy = r->y + r->height - view.y - view.height + pad;
      if (!shift_shows_whole (graph, moved, i, &view, &controls, dx, dy))
        continue;
      g_test_message ("%s %dx%d step %u: %s at (%.0f, %.0f, %.0f×%.0f) is cut by the view (%.0f, %.0f, %.0f×%.0f), "
                      "which a shift by (%.0f, %.0f) px would show whole",
                      c->example, c->width, c->height, step, boxes[i].title, r->x, r->y, r->width, r->height,
                      view.x, view.y, view.width, view.height,
                      dx * hs_graph_view_get_zoom (graph), dy * hs_graph_view_get_zoom (graph));
      n++;
    }
  return n;
}

/* How many boxes in view the pinned copy of the frame or the zoom
 * buttons cover, that a shift of the view out from under them would
 * show, spoiling nothing else (shift_shows_whole()).  Each is reported. */
static guint
count_needless_covers (HsWindow   *window,
                       const Case *c,
                       guint       step)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsLayout *layout = hs_graph_view_get_layout (graph);
  g_autoptr(GHashTable) moved = moved_targets (window, layout);
  const HsLayoutBox *boxes;
  HsRect view, covers[2];
  const char *names[2] = { "the zoom buttons", "the pinned copy of the frame" };
  guint n_boxes, n_covers = 1, n = 0;
  double zoom = hs_graph_view_get_zoom (graph), pad = 1 / zoom;

  hs_graph_view_get_visible_rect (graph, &view);
  controls_rect (window, graph, &covers[0]);
  n_covers += hs_graph_view_get_pinned_frame (graph, &covers[1]);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    for (guint k = 0; k < n_covers; k++)
      {
        const HsRect *r = &boxes[i].rect, *cover = &covers[k];
        /* The cover moves with the view: it comes off the box's top,
         * bottom, left or right edge when the view moves by this much */
        double shifts[4][2] = { { 0, r->y - cover->y - cover->height - pad },
                                { 0, r->y + r->height - cover->y + pad },
                                { r->x - cover->x - cover->width - pad, 0 },
                                { r->x + r->width - cover->x + pad, 0 } };
        guint s;

        if (boxes[i].alpha <= 0 || (boxes[i].kind == HS_LAYOUT_BOX_FRAME && boxes[i].current) ||
            !hs_test_rect_inside (r, &view) || !rects_meet (r, cover))
          continue;
        for (s = 0; s < G_N_ELEMENTS (shifts); s++)
          if (shift_shows_whole (graph, moved, i, &view, &covers[0], shifts[s][0], shifts[s][1]))
            break;
        if (s == G_N_ELEMENTS (shifts))
          continue;
        g_test_message ("%s %dx%d step %u: %s at (%.0f, %.0f, %.0f×%.0f) is under %s (%.0f, %.0f, %.0f×%.0f), "
                        "which a shift by (%.0f, %.0f) px would leave",
                        c->example, c->width, c->height, step, boxes[i].title, r->x, r->y, r->width, r->height,
                        names[k], cover->x, cover->y, cover->width, cover->height,
                        shifts[s][0] * zoom, shifts[s][1] * zoom);
        n++;
      }
  return n;
}

/* Project issue 8: a learner reads every box that matters without
 * touching the zoom.  A box the view's edge cuts, which the view could
 * show whole by moving a few pixels, is read as cut for nothing.  At no
 * step of a lesson is a box cut so.  The camera kept what matters a full
 * MARGIN from the edges and above the whole width of the buttons' band,
 * and cut boxes for it: 71 over the lessons at 1024x600 and 1280x800 (the
 * copies lesson at 1280x800: a list at step 10 for 37 px, a list and an
 * int at step 11).  Nor is a box left under the pinned copy of the frame
 * or the zoom buttons where a shift would show it: the camera centred a
 * picture that fitted the view's height or width, and the copy covered
 * the title of the function box in the alias-bugs lesson's program at
 * 1024x600, step 19; the buttons covered 14 boxes over the lessons. */
static void
test_no_needless_cut (gconstpointer data)
{
  const Case *c = data;
  HsWindow *window;
  guint n_steps, n_cut = 0, n_steps_cut = 0;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = open_and_run (c);
  n_steps = hs_trace_get_n_steps (hs_window_get_trace (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "first-step", NULL);
  settle (window);
  for (guint step = 0; step < n_steps; step++)
    {
      guint n = count_needless_cuts (window, c, step) + count_needless_covers (window, c, step);

      n_cut += n;
      n_steps_cut += n > 0;
      if (step + 1 < n_steps)
        {
          g_action_group_activate_action (G_ACTION_GROUP (window), "step-forward", NULL);
          settle (window);
        }
    }
  g_test_message ("%s %dx%d: %u boxes cut or covered for nothing over %u steps (%u steps)",
                  c->example, c->width, c->height, n_cut, n_steps, n_steps_cut);
  g_assert_cmpuint (n_cut, ==, 0);
  hs_test_window_close (window);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

/* The cases made for g_test_add_data_func(), freed after the run: a
 * test skipped (--skip-prefix, --run-prefix) never frees its data, which
 * LeakSanitizer then reports */
static GPtrArray *cases;

static Case *
case_new (void)
{
  Case *c = g_new0 (Case, 1);

  if (cases == NULL)
    cases = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (cases, c);
  return c;
}

/* Adds func for every lesson at each of n_sizes sizes, as
 * /ui/graph-view/NAME/LESSON/WxH: the lesson with its notes, or with
 * program set, only its program, opened as a file would be */
static void
add_lesson_tests (const char    *name,
                  const int    (*sizes)[2],
                  guint          n_sizes,
                  gboolean       program,
                  GTestDataFunc  func)
{
  g_autoptr(GPtrArray) lessons = hs_lesson_list_all ();

  for (guint i = 0; i < lessons->len; i++)
    for (guint s = 0; s < n_sizes; s++)
      {
        Case *c = case_new ();
        g_autofree char *path = NULL;

        g_strlcpy (c->example, hs_lesson_get_id (g_ptr_array_index (lessons, i)), sizeof c->example);
        c->width = sizes[s][0];
        c->height = sizes[s][1];
        c->lesson = !program;
        c->program = program;
        path = g_strdup_printf ("/ui/graph-view/%s/%s/%dx%d", name, c->example, c->width, c->height);
        g_test_add_data_func (path, c, func);
      }
}

static void
add_no_needless_cut_tests (void)
{
  /* and the window's default size on a 1280x800 screen */
  static const int sizes[][2] = { { 1024, 600 }, { 1200, 760 }, { 1280, 800 } };

  add_lesson_tests ("no-needless-cut", sizes, G_N_ELEMENTS (sizes), FALSE, test_no_needless_cut);
  /* A lesson's program opened as a file gives the graph the notes'
   * room, on a projector too */
  add_lesson_tests ("no-needless-cut/program", sizes, 1, TRUE, test_no_needless_cut);
}

/* ---- end of boxes cut for nothing ---------------------------------- */

int
main (int   argc,
      char *argv[])
{
  static const int sizes[][2] = { { 1024, 600 }, { 1280, 800 } };
  /* and the window's default size (the schema's window-width and
   * window-height), as it first opens on a 1280x800 screen */
  static const int example_sizes[][2] = { { 1024, 600 }, { 1200, 760 }, { 1280, 800 } };
  g_auto(GStrv) examples = NULL;
  int status;

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  app = hs_test_init (&argc, &argv);

  examples = g_resources_enumerate_children ("/io/github/heapscope/Heapscope/examples", 0, NULL);
  g_assert_nonnull (examples);
  for (guint i = 0; examples[i]; i++)
    for (guint s = 0; s < G_N_ELEMENTS (example_sizes); s++)
      {
        Case *c = case_new ();
        g_autofree char *path = NULL;
        char *dot;

        g_strlcpy (c->example, examples[i], sizeof c->example);
        if ((dot = strrchr (c->example, '.')) != NULL)
          *dot = '\0';
        c->width = example_sizes[s][0];
        c->height = example_sizes[s][1];
        path = g_strdup_printf ("/ui/graph-view/follows/%s/%dx%d", c->example, c->width, c->height);
        g_test_add_data_func (path, c, test_follows_every_step);
        g_free (path);
        path = g_strdup_printf ("/ui/graph-view/no-needless-cut/example/%s/%dx%d", c->example, c->width, c->height);
        g_test_add_data_func (path, c, test_no_needless_cut);
      }

  /* A lesson's notes take room beside the graph */
  add_lesson_tests ("follows/lesson", example_sizes, G_N_ELEMENTS (example_sizes), FALSE, test_follows_every_step);

  /* On a narrow window the inspector folds over the graph's right */
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      Case *c = case_new ();
      g_autofree char *path = NULL;

      g_strlcpy (c->example, "functions", sizeof c->example);
      c->width = sizes[s][0];
      c->height = sizes[s][1];
      c->inspector = TRUE;
      path = g_strdup_printf ("/ui/graph-view/follows/inspector/%s/%dx%d", c->example, c->width, c->height);
      g_test_add_data_func (path, c, test_follows_every_step);
    }

  g_test_add_func ("/ui/graph-view/user-control", test_user_control);
  g_test_add_func ("/ui/graph-view/heap-button-in-view", test_heap_button_in_view);
  g_test_add_func ("/ui/graph-view/freed-in-view-after-jump", test_freed_in_view_after_jump);
  {
    static const HeapAction actions[] = {
      { "assign", "assign", "chain" },
      { "slice-copy", "slice-copy", "grid" },
      { "copy", "copy", "words" },
      /* The new outer list finds no room near b's slot, and goes down
       * its column to where the copy of a's inner list has room beside
       * it (first_room_down() in hs-layout-place.c): the copy went six
       * columns right, some 1,200 units away, while the outer list
       * stopped at the first room, beside a full column */
      { "deepcopy", "deepcopy", "a", NULL, NULL, FALSE },
      { "deepcopy-beside-inspector", "deepcopy", "a", NULL, NULL, FALSE, TRUE },
      { "copies-deepcopy-beside-inspector", "deepcopy", "grid", NULL, NULL, FALSE, TRUE, "copies.py" },
      /* The list's ghost, wider than the list, slides left into the gap
       * before its column to stand where the list stood
       * (hs_layout_place_ghosts()), beside its ints' ghosts: it went
       * down its column to the first room free, some 1,900 units below */
      { "del", "del", "temp", NULL, NULL, TRUE },
      { "del-beside-inspector", "del", "temp", NULL, NULL, TRUE, TRUE },
      { "gc-collect", "gc-collect", NULL, NULL, NULL, TRUE },
      { "console", NULL, NULL, "z = [1, 2]", "z" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
      {
        g_autofree char *path = g_strdup_printf ("/ui/graph-view/action-in-view/%s", actions[i].name);

        g_test_add_data_func (path, &actions[i], test_action_in_view);
      }
  }
  {
    static const CoverCase cover_cases[] = {
      { { "copies", 1024, 600, FALSE, FALSE, TRUE }, "copy", "grid" },
      { { "copies", 1024, 600, FALSE, FALSE, TRUE }, "deepcopy", "grid" },
      { { "copies", 1280, 800, FALSE, FALSE, TRUE }, "copy", "grid" },
      { { "copies", 1280, 800, FALSE, FALSE, TRUE }, "deepcopy", "grid" },
      { { "copies", 1024, 600, TRUE, FALSE, TRUE }, "copy", "a" },
      { { "copies", 1024, 600, TRUE, FALSE, TRUE }, "deepcopy", "a" },
      { { "copies", 1280, 800, TRUE, FALSE, TRUE }, "copy", "a" },
      { { "copies", 1280, 800, TRUE, FALSE, TRUE }, "deepcopy", "a" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cover_cases); i++)
      {
        g_autofree char *path = g_strdup_printf ("/ui/graph-view/covers-nothing/%s%s/%s/%dx%d",
                                                 cover_cases[i].c.lesson ? "lesson/" : "", cover_cases[i].c.example,
                                                 cover_cases[i].action, cover_cases[i].c.width, cover_cases[i].c.height);

        g_test_add_data_func (path, &cover_cases[i], test_covers_nothing);
      }
  }
  g_test_add_func ("/ui/graph-view/find-frames", test_find_frames);
  g_test_add_func ("/ui/graph-view/flap-refits", test_flap_refits);
  g_test_add_func ("/ui/graph-view/resize-order", test_framing_ignores_resize_order);
  g_test_add_func ("/ui/graph-view/settle", test_settle_waits_for_resize);
  g_test_add_func ("/ui/graph-view/resize-keeps-placed-view", test_resize_keeps_placed_view);
  g_test_add_func ("/ui/graph-view/clear-drops-trace", test_clear_drops_trace);
  {
    static const Case reveal_cases[] = {
      { "freeing", 1024, 600, TRUE },
      { "copies", 1024, 600, TRUE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (reveal_cases); i++)
      {
        const Case *c = &reveal_cases[i];
        g_autofree char *path = g_strdup_printf ("/ui/graph-view/reveal-keeps-following/%s%s/%dx%d",
                                                 c->lesson ? "lesson/" : "", c->example, c->width, c->height);

        g_test_add_data_func (path, &reveal_cases[i], test_reveal_keeps_following);
      }
  }
  {
    static const Case fast_cases[] = {
      { "freeing", 1024, 600, TRUE },
      { "copies", 1024, 600 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (fast_cases); i++)
      {
        g_autofree char *path = g_strdup_printf ("/ui/graph-view/fast-steps/%s%s/%dx%d",
                                                 fast_cases[i].lesson ? "lesson/" : "", fast_cases[i].example,
                                                 fast_cases[i].width, fast_cases[i].height);

        g_test_add_data_func (path, &fast_cases[i], test_fast_steps);
      }
  }
  {
    static const Case history_cases[] = {
      { "freeing", 1024, 600, TRUE },
      { "aliasing", 1024, 600 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (history_cases); i++)
      {
        g_autofree char *path = g_strdup_printf ("/ui/graph-view/history/%s%s/%dx%d",
                                                 history_cases[i].lesson ? "lesson/" : "", history_cases[i].example,
                                                 history_cases[i].width, history_cases[i].height);

        g_test_add_data_func (path, &history_cases[i], test_framing_ignores_history);
      }
  }

  add_no_needless_cut_tests ();

  status = hs_test_run (app);
  g_clear_pointer (&cases, g_ptr_array_unref);
  return status;
}
