/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * When the camera pins a copy of the current frame at the view's corner,
 * the copy's arrows are read as any other: in the real window, for every
 * step of every lesson at 1024x600, and presenting at 1024x768 and
 * 1920x1080 (skipped on a smaller screen), no arrow of the copy crosses a
 * box in view other than its object, nor the copy itself once it left it;
 * each ends on its object's outline, an object in view clear of the copy
 * gets its arrow, and where the copy hides no box, no two arrows run
 * along each other.
 */
#define G_LOG_DOMAIN "heapscope-test-pinned-arrows"

#include "config.h"

#include <math.h>

#include "hs-lesson.h"
#include "hs-test-arrows.h"
#include "hs-test-run.h"

static HsApplication *app;

typedef struct
{
  char     lesson[64];
  int      width;
  int      height;
  gboolean presenting;
} Case;

typedef struct
{
  HsWindow *window;
  int       width;
  int       height;
} Size;

static gboolean
window_has_size (gpointer data)
{
  const Size *s = data;
  GtkWidget *graph = GTK_WIDGET (hs_window_get_graph_view (s->window));

  /* The window's size leaves out its frame's few pixels */
  return hs_test_window_is_idle (s->window) && gtk_widget_get_width (graph) > 100 &&
         ABS (gtk_widget_get_width (GTK_WIDGET (s->window)) - s->width) <= 20 &&
         ABS (gtk_widget_get_height (GTK_WIDGET (s->window)) - s->height) <= 20;
}

static gboolean
shows_step (gpointer data)
{
  HsWindow *window = data;
  HsSnapshot *shown = hs_graph_view_get_snapshot (hs_window_get_graph_view (window));

  return hs_test_window_is_idle (window) && hs_window_get_trace (window) != NULL && shown != NULL &&
         hs_snapshot_get_index (shown) == hs_window_get_step (window);
}

static void
settle (HsWindow *window)
{
  HsGraphView *graph = hs_window_get_graph_view (window);

  g_assert_true (hs_test_wait_until (shows_step, window));
  /* A lesson rewinds to its first step once its run ended, from an idle */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (hs_test_wait_until (shows_step, window));
  hs_graph_view_finish_animations (graph);
  hs_test_wait_frames (GTK_WIDGET (graph), 2);
  hs_graph_view_finish_animations (graph);
}

static gboolean
meets (const HsRect *r,
       const HsRect *s)
{
  return r->x < s->x + s->width && s->x < r->x + r->width &&
         r->y < s->y + s->height && s->y < r->y + r->height;
}

static gboolean
inside (const HsRect *r,
        double        x,
        double        y)
{
  return x > r->x && x < r->x + r->width && y > r->y && y < r->y + r->height;
}

/* Whether the segment from a to b enters r's inside, sampled finely,
 * leaving out what the pinned copy (hidden, or NULL) covers */
static gboolean
segment_enters (const HsRect *r,
                const HsRect *hidden,
                double        ax,
                double        ay,
                double        bx,
                double        by)
{
  guint n = 1 + (guint) (hypot (bx - ax, by - ay) / 0.5);

  for (guint k = 0; k <= n; k++)
    {
      double x = ax + (bx - ax) * k / n, y = ay + (by - ay) * k / n;

      if (inside (r, x, y) && (hidden == NULL || !inside (hidden, x, y)))
        return TRUE;
    }
  return FALSE;
}

static void
bezier_at (const HsPoint *q,
           double         t,
           double        *x,
           double        *y)
{
  double u = 1 - t;

  *x = u * u * u * q[0].x + 3 * u * u * t * q[1].x + 3 * u * t * t * q[2].x + t * t * t * q[3].x;
  *y = u * u * u * q[0].y + 3 * u * u * t * q[1].y + 3 * u * t * t * q[2].y + t * t * t * q[3].y;
}

/* Checks the pinned copy's arrows at this step; returns how many */
static guint
check_step (HsWindow   *window,
            const Case *c,
            guint      *n_apart)
{
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsLayout *layout = hs_graph_view_get_layout (graph);
  guint step = hs_window_get_step (window);
  const HsLayoutEdge *arrows;
  const HsLayoutBox *boxes, *frame = NULL;
  guint n_arrows, n_boxes;
  HsRect view, pin, pin_inside, cover;

  if (!hs_graph_view_get_pinned_frame (graph, &pin))
    return 0;
  hs_graph_view_get_visible_rect (graph, &view);
  arrows = hs_graph_view_get_pinned_arrows (graph, &n_arrows);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_FRAME && boxes[i].current)
      frame = &boxes[i];
  g_assert_nonnull (frame);
  /* The copy and its shadow hide what is under them */
  cover = (HsRect) { pin.x, pin.y, pin.width + 5, pin.height + 5 };
  /* Touching the copy's outline where an arrow leaves it is no crossing */
  pin_inside = (HsRect) { pin.x + 1, pin.y + 1, pin.width - 2, pin.height - 2 };

  for (guint a = 0; a < n_arrows; a++)
    {
      const HsLayoutEdge *e = &arrows[a];
      const HsLayoutRow *row;
      HsRect target;
      gboolean left_pin = FALSE;

      g_assert_true (e->from_frame);
      g_assert_cmpuint (e->row, <, frame->n_rows);
      row = &frame->rows[e->row];
      g_assert_cmpuint (e->target, ==, row->target);
      g_assert_true (hs_layout_get_object_bounds (layout, e->target, &target));
      g_assert_nonnull (e->path);
      g_assert_cmpuint (e->n_curves, >=, 1);
      /* From the copy's slot to its object's outline */
      g_assert_cmpfloat (fabs (e->path[0].x - (pin.x + row->slot_x)), <, 0.01);
      g_assert_cmpfloat (fabs (e->path[0].y - (pin.y + row->slot_y)), <, 0.01);
      {
        const HsPoint *end = &e->path[3 * e->n_curves];
        gboolean on_x = end->x >= target.x - 0.01 && end->x <= target.x + target.width + 0.01;
        gboolean on_y = end->y >= target.y - 0.01 && end->y <= target.y + target.height + 0.01;

        if (!(on_x && on_y) || inside (&(HsRect) { target.x + 0.01, target.y + 0.01, target.width - 0.02, target.height - 0.02 },
                                       end->x, end->y))
          g_error ("%s %dx%d step %u: the arrow of %s ends at (%.1f, %.1f), off its object's outline",
                   c->lesson, c->width, c->height, step, row->label, end->x, end->y);
      }

      for (guint k = 0; k < e->n_curves; k++)
        for (guint s = 0; s < 24; s++)
          {
            double ax, ay, bx, by;

            bezier_at (&e->path[3 * k], s / 24.0, &ax, &ay);
            bezier_at (&e->path[3 * k], (s + 1) / 24.0, &bx, &by);
            if (left_pin && segment_enters (&pin_inside, NULL, ax, ay, bx, by))
              g_error ("%s %dx%d step %u: the arrow of %s crosses the pinned frame at (%.0f, %.0f)",
                       c->lesson, c->width, c->height, step, row->label, ax, ay);
            if (!inside (&pin, bx, by))
              left_pin = TRUE;
            for (guint i = 0; i < n_boxes; i++)
              {
                HsRect r = boxes[i].rect;

                if (boxes[i].alpha <= 0 || !meets (&r, &view) ||
                    (boxes[i].kind == HS_LAYOUT_BOX_OBJECT && boxes[i].ref == e->target))
                  continue;
                /* Under the copy, a box cannot be seen crossed */
                if (segment_enters (&r, &cover, ax, ay, bx, by))
                  g_error ("%s %dx%d step %u: the arrow of %s crosses the %s at (%.0f, %.0f)",
                           c->lesson, c->width, c->height, step, row->label, boxes[i].title, ax, ay);
              }
          }
    }

  /* Every name whose object is in view, clear of the copy, has its arrow */
  for (guint r = 0; r < frame->n_rows; r++)
    {
      HsRect target;
      gboolean drawn = FALSE;

      if (frame->rows[r].target == 0 || !hs_layout_get_object_bounds (layout, frame->rows[r].target, &target) ||
          !hs_test_rect_inside (&target, &view) || meets (&target, &(HsRect) { pin.x - 12, pin.y - 12, pin.width + 24, pin.height + 24 }))
        continue;
      for (guint a = 0; a < n_arrows; a++)
        drawn |= arrows[a].row == r;
      if (!drawn)
        g_error ("%s %dx%d step %u: %s's object is in view, yet it has no arrow",
                 c->lesson, c->width, c->height, step, frame->rows[r].label);
    }

  /* Where the copy hides no box, no two arrows to different objects run
   * along each other past it: one that it hides in part may leave them
   * no way out but one gap */
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].alpha > 0 && boxes[i].kind != HS_LAYOUT_BOX_FRAME && meets (&boxes[i].rect, &view) &&
        meets (&boxes[i].rect, &cover))
      return n_arrows;
  (*n_apart)++;
  for (guint a = 0; a < n_arrows; a++)
    for (guint b = a + 1; b < n_arrows; b++)
      {
        HsPoint from = { 0 }, to = { 0 };
        double along;

        if (arrows[a].target == arrows[b].target)
          continue;
        along = hs_test_arrows_run_along (&arrows[a], &arrows[b], &cover, &from, &to);
        if (along > 14)
          g_error ("%s %dx%d step %u: the arrows of %s and %s run along each other for %.0f units from (%.0f, %.0f)",
                   c->lesson, c->width, c->height, step, frame->rows[arrows[a].row].label,
                   frame->rows[arrows[b].row].label, along, from.x, from.y);
      }
  return n_arrows;
}

static void
test_pinned_arrows (gconstpointer data)
{
  const Case *c = data;
  HsWindow *window = hs_window_new (app);
  HsGraphView *graph = hs_window_get_graph_view (window);
  Size size = { window, c->width, c->height };
  guint n_steps, n_pinned = 0, n_arrows = 0, n_apart = 0;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  if (!c->presenting)
    gtk_window_set_default_size (GTK_WINDOW (window), c->width, c->height);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  {
    GdkMonitor *monitor = gdk_display_get_monitor_at_surface (gdk_display_get_default (),
                                                              gtk_native_get_surface (GTK_NATIVE (window)));
    GdkRectangle screen;

    gdk_monitor_get_geometry (monitor, &screen);
    if (screen.width < c->width || screen.height < c->height)
      {
        g_test_skip ("the screen is smaller than this window");
        hs_test_window_close (window);
        g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
        return;
      }
  }
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-lesson", g_variant_new_string (c->lesson));
  hs_test_wait_idle (window);
  if (c->presenting)
    g_action_group_change_action_state (G_ACTION_GROUP (window), "presentation", g_variant_new_boolean (TRUE));
  /* Xvfb has no window manager to make it full screen */
  gtk_window_set_default_size (GTK_WINDOW (window), c->width, c->height);
  g_assert_true (hs_test_wait_until (window_has_size, &size));
  settle (window);
  n_steps = hs_trace_get_n_steps (hs_window_get_trace (window));

  /* One by one, as a learner steps */
  for (guint step = 0; step < n_steps; step++)
    {
      hs_window_show_step (window, step, TRUE);
      settle (window);
      g_assert_cmpuint (hs_window_get_step (window), ==, step);
      n_arrows += check_step (window, c, &n_apart);
      n_pinned += hs_graph_view_get_pinned_frame (graph, NULL);
    }
  g_test_message ("%s %dx%d%s: %u steps, frame pinned at %u, %u pinned arrows checked, apart at %u steps",
                  c->lesson, c->width, c->height, c->presenting ? " presenting" : "", n_steps, n_pinned, n_arrows,
                  n_apart);

  if (c->presenting)
    g_action_group_change_action_state (G_ACTION_GROUP (window), "presentation", g_variant_new_boolean (FALSE));
  hs_test_window_close (window);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

int
main (int   argc,
      char *argv[])
{
  static const int presenting[][2] = { { 1024, 768 }, { 1920, 1080 } };
  g_autoptr(GPtrArray) lessons = NULL;
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);

  app = hs_test_init (&argc, &argv);
  lessons = hs_lesson_list_all ();
  for (guint i = 0; i < lessons->len; i++)
    {
      Case *c = g_new0 (Case, 1);
      g_autofree char *path = NULL;

      g_strlcpy (c->lesson, hs_lesson_get_id (g_ptr_array_index (lessons, i)), sizeof c->lesson);
      c->width = 1024;
      c->height = 600;
      path = g_strdup_printf ("/ui/pinned-arrows/%s/1024x600", c->lesson);
      g_test_add_data_func (path, c, test_pinned_arrows);
      g_ptr_array_add (cases, c);
    }
  for (guint i = 0; i < G_N_ELEMENTS (presenting); i++)
    {
      Case *c = g_new0 (Case, 1);
      g_autofree char *path = NULL;

      g_strlcpy (c->lesson, "copies", sizeof c->lesson);
      c->width = presenting[i][0];
      c->height = presenting[i][1];
      c->presenting = TRUE;
      path = g_strdup_printf ("/ui/pinned-arrows/presenting/copies/%dx%d", c->width, c->height);
      g_test_add_data_func (path, c, test_pinned_arrows);
      g_ptr_array_add (cases, c);
    }
  return hs_test_run (app);
}
