/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test-overlay-arrows"

#include "config.h"

#include <math.h>

#include "hs-layout-holders.h"
#include "hs-layout-route.h"
#include "hs-test-arrows.h"
#include "render-test-util.h"

/*
 * The router's arrows from boxes drawn over the layout
 * (hs-layout-route.h), on every step of the test programs:
 *  - the current frame pinned at the top left of a view that leaves the
 *    real frame out, as the window pins it: each name's arrow from its
 *    slot in the copy around every box in view to its object's outline;
 *  - the boxes of hidden holders under the picture.
 * No two arrows to different objects run along each other.
 */

/* Whether p lies inside r by more than a margin */
static gboolean
deep_inside (const HsRect  *r,
             const HsPoint *p,
             double         margin)
{
  return p->x > r->x + margin && p->x < r->x + r->width - margin &&
         p->y > r->y + margin && p->y < r->y + r->height - margin;
}

static gboolean
meets (const HsRect *a,
       const HsRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width && a->y < b->y + b->height && b->y < a->y + a->height;
}

static HsPoint
bezier_at (const HsPoint *q,
           double         t)
{
  double u = 1 - t;

  return (HsPoint) { u * u * u * q[0].x + 3 * u * u * t * q[1].x + 3 * u * t * t * q[2].x + t * t * t * q[3].x,
                     u * u * u * q[0].y + 3 * u * u * t * q[1].y + 3 * u * t * t * q[2].y + t * t * t * q[3].y };
}

/* Whether the copy (cover) hides a box in view, in part */
static gboolean
covers_a_box (HsLayout     *layout,
              const HsRect *view,
              const HsRect *cover)
{
  const HsLayoutBox *boxes;
  guint n_boxes;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    if (boxes[b].alpha > 0 && boxes[b].kind != HS_LAYOUT_BOX_FRAME && meets (&boxes[b].rect, view) &&
        meets (&boxes[b].rect, cover))
      return TRUE;
  return FALSE;
}

/* Fails where two arrows to different objects run along each other, as
 * far as a gap between boxes, other than over the copy and its shadow
 * (cover, or NULL), which they leave side by side */
static void
check_apart (const char          *name,
             guint                step,
             const HsLayoutEdge **edges,
             guint                n_edges,
             const HsRect        *cover)
{
  for (guint a = 0; a < n_edges; a++)
    for (guint b = a + 1; b < n_edges; b++)
      {
        const HsLayoutEdge *ea = edges[a], *eb = edges[b];
        HsPoint from = { 0 }, to = { 0 };
        double overlap;

        if (ea->target == eb->target)
          continue;
        overlap = hs_test_arrows_run_along (ea, eb, cover, &from, &to);
        if (overlap > 14)
          g_error ("%s, step %u: the arrows to refs %u and %u run along each other for %.1f units "
                   "from (%.1f, %.1f)", name, step, ea->target, eb->target, overlap, from.x, from.y);
      }
}

/* Checks the arrows of the current frame pinned over layout; returns
 * how many it routed */
static guint
check_step (const char *name,
            guint       step,
            HsLayout   *layout,
            guint      *n_apart)
{
  const HsLayoutBox *boxes, *frame = NULL;
  const HsLayoutEdge *edges;
  g_autoptr(HsLayoutOverlayArrows) route = NULL;
  guint n_boxes, n_edges;
  double width, height;
  HsRect view, pin, cover;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_FRAME && boxes[i].current)
      frame = &boxes[i];
  if (frame == NULL)
    return 0;
  hs_layout_get_size (layout, &width, &height);
  /* the view starts right of the real frame, and the copy at its corner */
  view = (HsRect) { frame->rect.x + frame->rect.width + 1, 0, 0, height };
  view.width = width - view.x;
  if (view.width < frame->rect.width + 24)
    return 0;
  route = hs_layout_overlay_arrows_new_from_frame (layout, frame, view.x + 12, view.y + 12, &view);
  hs_layout_overlay_arrows_get_rect (route, &pin);
  g_assert_cmpfloat (pin.x, ==, view.x + 12);
  /* the copy and its shadow, which the arrows leave from */
  cover = (HsRect) { pin.x - 1, pin.y - 1, pin.width + 7, pin.height + 7 };

  edges = hs_layout_overlay_arrows_get_edges (route, &n_edges);
  for (guint e = 0; e < n_edges; e++)
    {
      const HsLayoutEdge *edge = &edges[e];
      const HsLayoutRow *row;
      const HsPoint *end;
      HsRect target;

      g_assert_cmpuint (edge->row, <, frame->n_rows);
      g_assert_true (edge->from_frame);
      row = &frame->rows[edge->row];
      g_assert_cmpuint (edge->target, ==, row->target);
      g_assert_cmpuint (edge->n_curves, >=, 1);
      g_assert_cmpfloat_with_epsilon (edge->path[0].x, pin.x + row->slot_x, 0.01);
      g_assert_cmpfloat_with_epsilon (edge->path[0].y, pin.y + row->slot_y, 0.01);
      g_assert_true (hs_layout_get_object_bounds (layout, edge->target, &target));
      end = &edge->path[3 * edge->n_curves];
      g_assert_true (!deep_inside (&target, end, 0.5) &&
                     end->x > target.x - 0.5 && end->x < target.x + target.width + 0.5 &&
                     end->y > target.y - 0.5 && end->y < target.y + target.height + 0.5);
      g_assert_cmpfloat (edge->x[3], ==, end->x);

      for (guint k = 0; k < edge->n_curves; k++)
        for (guint s = 0; s <= 16; s++)
          {
            HsPoint p = bezier_at (&edge->path[3 * k], s / 16.0);

            if (deep_inside (&cover, &p, 0))
              continue;
            for (guint b = 0; b < n_boxes; b++)
              if (boxes[b].alpha > 0 && meets (&boxes[b].rect, &view) && deep_inside (&boxes[b].rect, &p, 0.5))
                g_error ("%s, step %u: the arrow of row %u passes (%.1f, %.1f), inside the box of ref %u "
                         "at (%.1f, %.1f, %.1f×%.1f)", name, step, edge->row, p.x, p.y, boxes[b].ref,
                         boxes[b].rect.x, boxes[b].rect.y, boxes[b].rect.width, boxes[b].rect.height);
          }
    }
  /* Apart, where the copy hides no box: one that it hides in part may
   * leave the arrows no way out but one gap between two boxes */
  if (!covers_a_box (layout, &view, &cover))
    {
      g_autofree const HsLayoutEdge **all = g_new (const HsLayoutEdge *, n_edges + 1);

      for (guint e = 0; e < n_edges; e++)
        all[e] = &edges[e];
      check_apart (name, step, all, n_edges, &cover);
      (*n_apart)++;
    }
  return n_edges;
}

static void
test_pinned_frame (RenderFixture *fixture,
                   gconstpointer  data)
{
  g_autofree char *name = g_path_get_basename (data);
  guint n_arrows = 0, n_apart = 0;

  for (guint i = 0; i < fixture->layouts->len; i++)
    n_arrows += check_step (name, i, g_ptr_array_index (fixture->layouts, i), &n_apart);
  g_test_message ("%s: %u arrows routed; apart at %u steps where the copy hides no box", name, n_arrows, n_apart);
}

/* The hidden holders' arrows on every step, apart; returns how many */
static guint
check_holders (const char *name,
               guint       step,
               HsLayout   *layout)
{
  g_autoptr(HsLayoutHolders) holders = hs_layout_holders_new (layout);
  GPtrArray *boxes = hs_layout_holders_get_boxes (holders);
  g_autoptr(GPtrArray) arrows = g_ptr_array_new ();

  for (guint b = 0; b < boxes->len; b++)
    {
      const HsHolderBox *box = g_ptr_array_index (boxes, b);
      guint n = hs_holder_box_get_n_held (box, NULL, NULL, 0);

      for (guint i = 0; i < n; i++)
        if (hs_holder_box_get_arrow (box, i) != NULL)
          g_ptr_array_add (arrows, (gpointer) hs_holder_box_get_arrow (box, i));
    }
  check_apart (name, step, (const HsLayoutEdge **) arrows->pdata, arrows->len, NULL);
  return arrows->len;
}

static void
test_holders (RenderFixture *fixture,
              gconstpointer  data)
{
  g_autofree char *name = g_path_get_basename (data);
  guint n_arrows = 0;

  for (guint i = 0; i < fixture->layouts->len; i++)
    n_arrows += check_holders (name, i, g_ptr_array_index (fixture->layouts, i));
  g_test_message ("%s: %u holders' arrows", name, n_arrows);
}

/* The router does route: the names of aliasing.py get arrows */
static void
test_routes (RenderFixture *fixture,
             gconstpointer  data)
{
  guint n_arrows = 0, n_apart = 0;

  for (guint i = 0; i < fixture->layouts->len; i++)
    n_arrows += check_step (data, i, g_ptr_array_index (fixture->layouts, i), &n_apart);
  g_assert_cmpuint (n_arrows, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  render_test_add_programs (paths, "/render/overlay-arrows", HS_TEST_PROGRAMS, "pinned-frame", test_pinned_frame);
  render_test_add_programs (paths, "/render/overlay-arrows", HS_TEST_PROGRAMS, "holders", test_holders);
  g_test_add ("/render/overlay-arrows/routes", RenderFixture, "aliasing.py",
              render_fixture_setup, test_routes, render_fixture_teardown);

  return g_test_run ();
}
