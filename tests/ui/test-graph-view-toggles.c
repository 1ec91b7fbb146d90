/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The graph view's toggles and what it shows on demand, in the real
 * window under Xvfb: Follow is a stateful action that a pan or a zoom by
 * hand turns off and Fit turns on; "Show hidden holders" draws a box for
 * each holder the runtime names (the constants of <module> keep x = 1000's
 * literal alive), only from the snapshot's hidden references; tooltips
 * name variables, objects, badges and holders; and below the readable
 * zoom, boxes collapse to their type and a short value.  Glides are ended
 * at once, so nothing depends on timing; no check depends on the fonts.
 */
#define G_LOG_DOMAIN "heapscope-test-graph-view-toggles"

#include "config.h"

#include <math.h>
#include <string.h>
#include <cairo-svg.h>

#include "hs-describe.h"
#include "hs-graph-view-private.h"
#include "hs-renderer.h"
#include "hs-settings.h"
#include "hs-test-run.h"
#include "hs-test-trace.h"

static HsApplication *app;

static gboolean
action_state (HsWindow   *window,
              const char *name)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), name);

  g_assert_nonnull (state);
  g_assert_true (g_variant_is_of_type (state, G_VARIANT_TYPE_BOOLEAN));
  return g_variant_get_boolean (state);
}

/* Follow is the window's stateful action "follow": the view's camera
 * follows the program until a pan or a zoom by hand, and Fit or the
 * toggle turn it on again. */
static void
test_follow_action (void)
{
  HsWindow *window = hs_test_window_new_run ("a = [1, 2, 3]\nb = a\nc = [a, b]\n", "follow");
  HsGraphView *graph = hs_window_get_graph_view (window);
  GtkEventControllerScroll *scroll;
  GtkGestureDrag *drag;
  gboolean handled = FALSE;
  HsRect framed, moved;

  hs_test_settle (window);
  g_assert_true (hs_graph_view_get_follow (graph));
  g_assert_true (action_state (window, "follow"));
  hs_graph_view_get_visible_rect (graph, &framed);

  /* A scroll pans by hand: following stops, and the toggle shows it */
  scroll = hs_test_find_controller (GTK_WIDGET (graph), GTK_TYPE_EVENT_CONTROLLER_SCROLL);
  g_signal_emit_by_name (scroll, "scroll", 0.0, 2.0, &handled);
  g_assert_true (handled);
  g_assert_false (hs_graph_view_get_follow (graph));
  g_assert_false (action_state (window, "follow"));

  /* Framing the step follows again */
  hs_graph_view_frame_step (graph);
  hs_test_settle (window);
  g_assert_true (hs_graph_view_get_follow (graph));
  g_assert_true (action_state (window, "follow"));
  hs_graph_view_get_visible_rect (graph, &moved);
  g_assert_cmpfloat_with_epsilon (moved.x, framed.x, 0.5);
  g_assert_cmpfloat_with_epsilon (moved.y, framed.y, 0.5);

  /* A drag pans too; the view stays where the user put it at later steps */
  drag = hs_test_find_controller (GTK_WIDGET (graph), GTK_TYPE_GESTURE_DRAG);
  g_signal_emit_by_name (drag, "drag-begin", 100.0, 100.0);
  g_signal_emit_by_name (drag, "drag-update", 60.0, 40.0);
  g_assert_false (action_state (window, "follow"));
  hs_graph_view_get_visible_rect (graph, &moved);
  g_assert_cmpfloat (fabs (moved.x - framed.x) + fabs (moved.y - framed.y), >, 1);
  g_action_group_activate_action (G_ACTION_GROUP (window), "step-forward", NULL);
  hs_test_settle (window);
  g_assert_false (action_state (window, "follow"));
  {
    HsRect still;

    hs_graph_view_get_visible_rect (graph, &still);
    g_assert_cmpfloat_with_epsilon (still.x, moved.x, 0.5);
    g_assert_cmpfloat_with_epsilon (still.y, moved.y, 0.5);
  }

  /* The toggle itself turns following on: the view frames the step again */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "follow", g_variant_new_boolean (TRUE));
  hs_test_settle (window);
  g_assert_true (hs_graph_view_get_follow (graph));
  {
    HsRect refit;

    hs_graph_view_get_visible_rect (graph, &framed);
    g_assert_cmpfloat (fabs (framed.x - moved.x) + fabs (framed.y - moved.y), >, 1);
    /* where framing the step puts it */
    g_signal_emit_by_name (scroll, "scroll", 2.0, 0.0, &handled);
    g_assert_false (action_state (window, "follow"));
    hs_graph_view_frame_step (graph);
    hs_test_settle (window);
    hs_graph_view_get_visible_rect (graph, &refit);
    g_assert_cmpfloat_with_epsilon (refit.x, framed.x, 0.5);
    g_assert_cmpfloat_with_epsilon (refit.y, framed.y, 0.5);
  }

  /* Zooming by hand with the buttons stops it, and so does the toggle */
  g_action_group_activate_action (G_ACTION_GROUP (window), "zoom-in", NULL);
  g_assert_false (action_state (window, "follow"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "follow", NULL);
  g_assert_true (action_state (window, "follow"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "follow", NULL);
  g_assert_false (hs_graph_view_get_follow (graph));

  hs_test_window_close (window);
}

/* The step at which the module's variable name names an object whose repr is repr */
static guint
step_where (HsWindow   *window,
            const char *name,
            const char *repr)
{
  HsTrace *trace = hs_window_get_trace (window);

  for (guint i = 0; i < hs_trace_get_n_steps (trace); i++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, i);
      const HsFrame *frames;
      guint n_frames;

      frames = hs_snapshot_get_frames (snapshot, &n_frames);
      for (guint f = 0; f < n_frames; f++)
        for (guint v = 0; v < frames[f].n_vars; v++)
          {
            const HsObject *o = hs_snapshot_lookup (snapshot, frames[f].vars[v].ref);

            if (g_str_equal (frames[f].vars[v].name, name) && o != NULL && g_strcmp0 (o->repr, repr) == 0)
              return i;
          }
    }
  g_assert_not_reached ();
  return 0;
}

/* The title of the box the runtime's hidden reference h is drawn in,
 * when its holder has a box of its own */
static char *
holder_title (const HsHiddenRef *h)
{
  switch (h->kind)
    {
    case HS_EDGE_HELD_CONSTANT:
      return g_strdup_printf ("constants of %s", h->holder);
    case HS_EDGE_HELD_NAME:
      return g_strdup_printf ("names in the code of %s", h->holder);
    case HS_EDGE_HELD_STACK:
      return g_strdup_printf ("value stack of %s", h->holder);
    case HS_EDGE_HELD_ARENA:
      return g_strdup ("the parser's arena");
    case HS_EDGE_HELD_FUNCTIONS:
      return g_strdup_printf ("built-in functions of %s", h->holder);
    case HS_EDGE_HELD_GLOBAL:
      return g_strdup_printf ("globals of %s", h->holder);
    case HS_EDGE_HELD_DICT:
      return g_strdup_printf ("module %s", h->holder);
    case HS_EDGE_HELD_FRAME:
      return g_strdup_printf ("running frame of %s", h->holder);
    case HS_EDGE_HELD_MRO:
      return g_strdup_printf ("__mro__ of %s", h->holder);
    case HS_EDGE_HELD_DESCRIPTORS:
      return g_strdup_printf ("descriptors of %s", h->holder);
    case HS_EDGE_HELD_INSTANCES:
      return g_strdup_printf ("instances of %s", h->holder);
    case HS_EDGE_HELD_INTERPRETER:
      return g_strdup ("the interpreter");
    case HS_EDGE_HELD_MODULE_COPY:
      return g_strdup_printf ("copies of the dict of %s", h->holder);
    case HS_EDGE_HELD_ITERATOR:
      return g_strdup_printf ("iterators on the value stack of %s", h->holder);
    case HS_EDGE_HELD_INIT:
      return g_strdup_printf ("class call running %s", h->holder);
    case HS_EDGE_HELD_SUBCLASSES:
      return g_strdup_printf ("subclasses of %s", h->holder);
    case HS_EDGE_HELD_INIT_ARGUMENTS:
      return g_strdup_printf ("arguments passed to %s", h->holder);
    case HS_EDGE_HELD_CLASS_CELL:
      return g_strdup_printf ("__class__ cell of %s", h->holder);
    case HS_EDGE_HELD_CLASS_DICT:
      return g_strdup_printf ("__dict__ of class %s", h->holder);
    case HS_EDGE_HELD_DEFAULTS:
      return g_strdup_printf ("defaults of %s", h->holder);
    case HS_EDGE_HELD_EXCEPTION:
      return g_strdup ("exception being handled");
    case HS_EDGE_HELD_TRACEBACK:
      return g_strdup_printf ("finished frame of %s", h->holder);
    case HS_EDGE_HELD_FINALIZER:
      return g_strdup_printf ("call of %s", h->holder);
    case HS_EDGE_HELD_MODULE_INDEX:
      return g_strdup ("the interpreter's module index");
    default:
      return g_strdup ("sys.modules");
    }
}

static gboolean
holders_name (const char * const *holders,
              guint               n,
              const char         *holder)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (holders[i], holder) == 0)
      return TRUE;
  return FALSE;
}

/* Every reference a holder box draws is one the runtime named: the
 * snapshot's hidden references, holder by holder, count by count.  A
 * box that stands for the globals of several modules draws the sum of
 * what each holds. */
static void
check_holders_are_true (GPtrArray  *holders,
                        HsSnapshot *snapshot)
{
  const HsHiddenRef *hidden;
  guint n_hidden;

  hidden = hs_snapshot_get_hidden_refs (snapshot, &n_hidden);
  for (guint b = 0; b < holders->len; b++)
    {
      const HsHolderBox *box = g_ptr_array_index (holders, b);
      guint32 refs[64];
      guint counts[64], n, n_names;
      const char * const *names = hs_holder_box_get_holders (box, &n_names);

      n = hs_holder_box_get_n_held (box, refs, counts, G_N_ELEMENTS (refs));
      g_assert_cmpuint (n, >, 0);
      g_assert_cmpuint (n, <=, G_N_ELEMENTS (refs));
      g_assert_cmpuint (n_names, >, 0);
      if (n_names > 1)
        {
          g_autofree char *title = g_strdup_printf ("globals of %u modules", n_names);

          g_assert_cmpint (hs_holder_box_get_kind (box), ==, HS_EDGE_HELD_GLOBAL);
          g_assert_cmpstr (hs_holder_box_get_title (box, NULL), ==, title);
        }
      for (guint i = 0; i < n; i++)
        {
          guint sum = 0;

          for (guint h = 0; h < n_hidden; h++)
            {
              g_autofree char *title = NULL;

              if (hidden[h].target != refs[i])
                continue;
              if (n_names > 1)
                sum += hidden[h].kind == HS_EDGE_HELD_GLOBAL && holders_name (names, n_names, hidden[h].holder)
                       ? hidden[h].count : 0;
              else if (g_str_equal ((title = holder_title (&hidden[h])), hs_holder_box_get_title (box, NULL)))
                sum += hidden[h].count;
            }
          g_assert_cmpuint (sum, ==, counts[i]);
        }
    }
}

/* The number of pixels of the holder box's rectangle that are painted */
static guint
painted_pixels (HsGraphView       *graph,
                const HsHolderBox *box)
{
  HsLayout *layout = hs_graph_view_get_layout (graph);
  HsRenderOptions options;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width, height;
  HsRect rect;
  guint n = 0;
  int stride;
  const guint8 *data;

  hs_graph_view_get_extent (graph, layout, &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width + 1, (int) height + 1);
  cr = cairo_create (surface);
  hs_render_options_init (&options);
  options.transparent = TRUE;
  options.holders = hs_graph_view_get_holders (graph, layout);
  hs_renderer_draw (cr, layout, &options);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  hs_holder_box_get_title (box, &rect);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = (int) rect.y + 2; y < (int) (rect.y + rect.height) - 2; y++)
    for (int x = (int) rect.x + 2; x < (int) (rect.x + rect.width) - 2; x++)
      n += data[y * stride + 4 * x + 3] == 255;
  cairo_surface_destroy (surface);
  return n;
}

/* "Show hidden holders": x = 1000's literal is held by the constants of
 * <module>, drawn as a box with an arrow to it, in view, from the
 * snapshot alone; the toggle is the window's stateful action. */
static void
test_hidden_holders (void)
{
  HsWindow *window = hs_test_window_new_run ("# heapscope: every-object\nx = 1000\ny = [x, 'spam']\nx = None\npass\n", "holders");
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsSnapshot *snapshot;
  GPtrArray *holders;
  const HsHolderBox *consts = NULL;
  guint32 thousand;
  double lw, lh, ew, eh;
  HsRect view, rect;

  g_assert_false (action_state (window, "show-hidden-references"));
  hs_window_show_step (window, step_where (window, "x", "1000"), FALSE);
  hs_test_settle (window);
  g_assert_null (hs_graph_view_holders_get (graph, hs_graph_view_get_layout (graph)));

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-hidden-references", NULL);
  hs_test_settle (window);
  g_assert_true (action_state (window, "show-hidden-references"));
  g_assert_true (hs_graph_view_get_show_hidden_references (graph));

  snapshot = hs_graph_view_get_snapshot (graph);
  thousand = hs_test_var_ref (snapshot, NULL, "x");
  holders = hs_graph_view_holders_get (graph, hs_graph_view_get_layout (graph));
  g_assert_nonnull (holders);
  check_holders_are_true (holders, snapshot);
  for (guint b = 0; b < holders->len; b++)
    {
      const HsHolderBox *box = g_ptr_array_index (holders, b);
      guint32 refs[64];
      guint counts[64], n = hs_holder_box_get_n_held (box, refs, counts, 64);

      for (guint i = 0; i < n; i++)
        if (refs[i] == thousand && g_str_equal (hs_holder_box_get_title (box, NULL), "constants of <module>"))
          {
            g_assert_cmpuint (counts[i], ==, 1);
            consts = box;
          }
    }
  g_assert_nonnull (consts);

  /* Its row under the picture makes it taller, and the following view shows it */
  hs_layout_get_size (hs_graph_view_get_layout (graph), &lw, &lh);
  hs_graph_view_get_extent (graph, hs_graph_view_get_layout (graph), &ew, &eh);
  g_assert_cmpfloat (eh, >, lh);
  hs_holder_box_get_title (consts, &rect);
  g_assert_cmpfloat (rect.y, >=, lh);
  hs_graph_view_get_visible_rect (graph, &view);
  g_assert_true (hs_test_rect_inside (&rect, &view));
  g_assert_cmpuint (painted_pixels (graph, consts), >, rect.width * rect.height / 2);

  /* Its tooltip says why it keeps the literal alive */
  {
    double zoom = hs_graph_view_get_zoom (graph);
    g_autofree char *tip =
      hs_graph_view_get_tooltip_markup (graph, (rect.x + rect.width / 2 - view.x) * zoom,
                                        (rect.y + rect.height / 2 - view.y) * zoom);

    g_assert_nonnull (tip);
    g_assert_nonnull (strstr (tip, "co_consts"));
  }

  /* The literal's references are all named: the constant and the arena */
  g_assert_cmpint (hs_layout_holders_count_other (hs_graph_view_get_holders (graph, hs_graph_view_get_layout (graph)), thousand),
                   ==, 0);

  /* Every step's holders are the runtime's */
  for (guint i = 0; i < hs_trace_get_n_steps (hs_window_get_trace (window)); i++)
    {
      hs_window_show_step (window, i, FALSE);
      hs_test_settle (window);
      holders = hs_graph_view_holders_get (graph, hs_graph_view_get_layout (graph));
      g_assert_nonnull (holders);
      check_holders_are_true (holders, hs_graph_view_get_snapshot (graph));
    }

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-hidden-references", NULL);
  hs_test_settle (window);
  g_assert_false (hs_graph_view_get_show_hidden_references (graph));
  g_assert_null (hs_graph_view_holders_get (graph, hs_graph_view_get_layout (graph)));
  hs_layout_get_size (hs_graph_view_get_layout (graph), &lw, &lh);
  hs_graph_view_get_extent (graph, hs_graph_view_get_layout (graph), &ew, &eh);
  g_assert_cmpfloat (ew, ==, lw);
  g_assert_cmpfloat (eh, ==, lh);

  hs_test_window_close (window);
}

/* The holder boxes of imported modules: one sys.modules box for all of
 * them, a box for math's built-in functions and for each module's
 * globals; their rows no wider than the picture, so that the camera can
 * frame them with what they hold, and no box over another. */
static void
test_module_holders_fit (void)
{
  HsWindow *window = hs_test_window_new_run ("# heapscope: every-object\n"
                                             "import math, string\n"
                                             "p = math.pi\n"
                                             "letters = string.ascii_lowercase\n"
                                             "pass\n", "module-holders");
  HsGraphView *graph = hs_window_get_graph_view (window);
  GPtrArray *holders;
  double lw, lh, widest = 0;
  guint n_modules = 0, n_functions = 0, n_globals = 0;

  hs_window_show_step (window, step_where (window, "letters", "'abcdefghijklmnopqrstuvwxyz'"), FALSE);
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-hidden-references", NULL);
  hs_test_settle (window);
  holders = hs_graph_view_holders_get (graph, hs_graph_view_get_layout (graph));
  g_assert_nonnull (holders);
  check_holders_are_true (holders, hs_graph_view_get_snapshot (graph));

  hs_layout_get_size (hs_graph_view_get_layout (graph), &lw, &lh);
  for (guint b = 0; b < holders->len; b++)
    {
      HsRect rect;

      hs_holder_box_get_title (g_ptr_array_index (holders, b), &rect);
      widest = MAX (widest, rect.width);
    }
  for (guint b = 0; b < holders->len; b++)
    {
      const HsHolderBox *box = g_ptr_array_index (holders, b);
      const char *title = hs_holder_box_get_title (box, NULL);
      HsRect rect;

      hs_holder_box_get_title (box, &rect);
      g_test_message ("%s at %.0f,%.0f, %.0f wide; picture %.0f wide", title, rect.x, rect.y, rect.width, lw);
      n_modules += g_str_equal (title, "sys.modules");
      n_functions += g_str_equal (title, "built-in functions of math");
      n_globals += g_str_equal (title, "globals of math") || g_str_equal (title, "globals of string");
      g_assert_cmpfloat (rect.x, >=, 0);
      g_assert_cmpfloat (rect.x + rect.width, <=, MAX (lw, widest) + 0.01);
      g_assert_cmpfloat (rect.y, >=, lh);
      for (guint o = 0; o < b; o++)
        {
          HsRect other;

          hs_holder_box_get_title (g_ptr_array_index (holders, o), &other);
          g_assert_false (rect.x < other.x + other.width && other.x < rect.x + rect.width &&
                          rect.y < other.y + other.height && other.y < rect.y + rect.height);
        }
    }
  g_assert_cmpuint (n_modules, ==, 1);
  g_assert_cmpuint (n_functions, ==, 1);
  g_assert_cmpuint (n_globals, ==, 2);

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-hidden-references", NULL);
  hs_test_settle (window);
  hs_test_window_close (window);
}

/* The globals of the modules that hold the same objects are one box:
 * every module imports sys, and each module's globals had a box of its
 * own, holding sys alone (thirteen at the end of the refcounts lesson,
 * which filled a 1024x600 view).  The box draws, for sys, the sum of
 * what the modules' globals hold, and its tooltip names them all. */
static void
test_module_globals_merged (void)
{
  HsWindow *window = hs_test_window_new_run ("import sys\n"
                                             "pass\n", "globals-merged");
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsSnapshot *snapshot;
  const HsHiddenRef *hidden;
  GPtrArray *holders;
  guint32 sys_ref;
  guint n_hidden, n_modules = 0, n_holding = 0;

  hs_window_show_step (window, hs_trace_get_n_steps (hs_window_get_trace (window)) - 1, FALSE);
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-hidden-references", NULL);
  hs_test_settle (window);
  snapshot = hs_graph_view_get_snapshot (graph);
  sys_ref = hs_test_var_ref (snapshot, NULL, "sys");
  holders = hs_graph_view_holders_get (graph, hs_graph_view_get_layout (graph));
  g_assert_nonnull (holders);
  check_holders_are_true (holders, snapshot);

  hidden = hs_snapshot_get_hidden_refs (snapshot, &n_hidden);
  for (guint h = 0; h < n_hidden; h++)
    n_modules += hidden[h].kind == HS_EDGE_HELD_GLOBAL && hidden[h].target == sys_ref;
  g_test_message ("%u modules' globals hold sys", n_modules);
  g_assert_cmpuint (n_modules, >=, 2);

  for (guint b = 0; b < holders->len; b++)
    {
      const HsHolderBox *box = g_ptr_array_index (holders, b);
      guint32 refs[64];
      guint n = hs_holder_box_get_n_held (box, refs, NULL, G_N_ELEMENTS (refs)), n_names;
      const char * const *names = hs_holder_box_get_holders (box, &n_names);

      if (hs_holder_box_get_kind (box) != HS_EDGE_HELD_GLOBAL)
        continue;
      for (guint i = 0; i < n; i++)
        if (refs[i] == sys_ref)
          {
            g_autofree char *tip = hs_holder_box_describe (box);

            n_holding++;
            for (guint k = 0; k < n_names; k++)
              {
                /* whole names: "os" is in "posixpath" */
                g_autofree char *listed = g_strdup_printf (" %s,", names[k]);
                g_autofree char *last = g_strdup_printf (" %s ", names[k]);

                g_assert_true (strstr (tip, listed) != NULL || strstr (tip, last) != NULL);
              }
          }
      /* and no other box of globals holds the same */
      for (guint o = b + 1; o < holders->len; o++)
        {
          const HsHolderBox *other = g_ptr_array_index (holders, o);
          guint32 other_refs[64];
          guint m = hs_holder_box_get_n_held (other, other_refs, NULL, G_N_ELEMENTS (other_refs));
          gboolean same = m == n;

          if (hs_holder_box_get_kind (other) != HS_EDGE_HELD_GLOBAL)
            continue;
          for (guint i = 0; i < n && same; i++)
            {
              gboolean found = FALSE;

              for (guint k = 0; k < m && !found; k++)
                found = other_refs[k] == refs[i];
              same = found;
            }
          g_assert_false (same);
        }
    }
  g_assert_cmpuint (n_holding, ==, 1);

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-hidden-references", NULL);
  hs_test_settle (window);
  hs_test_window_close (window);
}

/* Turning Show Hidden Holders on with a class selected, at 1024x600,
 * brings the class's holder boxes into view: they stand below a picture
 * taller than the view, and had stayed out of it. */
static void
test_holders_asked_in_view (void)
{
  HsWindow *window = hs_test_window_new_run ("class Point:\n"
                                             "    def __init__(self, x, y):\n"
                                             "        self.x = x\n"
                                             "        self.y = y\n"
                                             "\n"
                                             "    def shift(self, d):\n"
                                             "        return Point(self.x + d, self.y)\n"
                                             "\n"
                                             "\n"
                                             "a = Point(1, 2)\n"
                                             "b = a.shift(3)\n"
                                             "pts = [a, b, Point(0, 0)]\n"
                                             "pass\n", "holders-asked");
  HsGraphView *graph = hs_window_get_graph_view (window);
  guint32 point = 0;
  guint n_holding = 0, n_in_view = 0;
  GPtrArray *holders;
  HsRect view;

  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 600);
  hs_window_show_step (window, hs_trace_get_n_steps (hs_window_get_trace (window)) - 1, FALSE);
  hs_test_settle (window);
  g_assert_true (hs_graph_view_select_variable (graph, "Point", FALSE));
  hs_test_settle (window);
  point = hs_test_var_ref (hs_graph_view_get_snapshot (graph), NULL, "Point");
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-hidden-references", NULL);
  hs_test_settle (window);

  hs_graph_view_get_visible_rect (graph, &view);
  holders = hs_graph_view_holders_get (graph, hs_graph_view_get_layout (graph));
  g_assert_nonnull (holders);
  for (guint b = 0; b < holders->len; b++)
    {
      const HsHolderBox *box = g_ptr_array_index (holders, b);
      guint32 refs[64];
      guint n = hs_holder_box_get_n_held (box, refs, NULL, G_N_ELEMENTS (refs));
      gboolean holds = FALSE;
      HsRect r;

      for (guint i = 0; i < MIN (n, G_N_ELEMENTS (refs)); i++)
        holds |= refs[i] == point;
      if (!holds)
        continue;
      hs_holder_box_get_title (box, &r);
      n_holding++;
      g_test_message ("%s at (%.0f, %.0f, %.0f×%.0f), view (%.0f, %.0f, %.0f×%.0f)", hs_holder_box_get_title (box, NULL),
                      r.x, r.y, r.width, r.height, view.x, view.y, view.width, view.height);
      n_in_view += r.x >= view.x && r.y >= view.y &&
                   r.x + r.width <= view.x + view.width && r.y + r.height <= view.y + view.height;
    }
  g_assert_cmpuint (n_holding, ==, 3);   /* __mro__, descriptors, instances */
  g_assert_cmpuint (n_in_view, ==, n_holding);
  /* the zoom stays readable */
  g_assert_cmpfloat (hs_graph_view_get_zoom (graph), >=, hs_graph_view_get_readable_zoom (graph) - 1e-6);

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-hidden-references", NULL);
  hs_test_settle (window);
  hs_test_window_close (window);
}

/* A compiled pattern's "+N other" mark, over its box's top right corner,
 * says what no arrow and no holder box accounts for: the re module's
 * cache of patterns, a dict inside the module, not drawn */
static void
test_other_mark (void)
{
  HsWindow *window = hs_test_window_new_run ("p = __import__('re').compile('a+')\npass\n", "other-mark");
  HsGraphView *graph = hs_window_get_graph_view (window);
  HsSnapshot *snapshot;
  GPtrArray *holders;
  guint32 pattern;
  const HsObject *o;
  double zoom;
  g_autofree char *tip = NULL;
  g_autofree char *count = NULL;
  g_autofree char *expected = NULL;
  HsRect view, box;

  hs_window_show_step (window, hs_trace_get_n_steps (hs_window_get_trace (window)) - 1, FALSE);
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-hidden-references", NULL);
  hs_test_settle (window);
  snapshot = hs_graph_view_get_snapshot (graph);
  holders = hs_graph_view_holders_get (graph, hs_graph_view_get_layout (graph));
  g_assert_nonnull (holders);
  pattern = hs_test_var_ref (snapshot, NULL, "p");
  o = hs_snapshot_lookup (snapshot, pattern);
  hs_graph_view_get_visible_rect (graph, &view);
  zoom = hs_graph_view_get_zoom (graph);

  g_assert_true (hs_layout_get_object_bounds (hs_graph_view_get_layout (graph), pattern, &box));
  g_assert_cmpuint (hs_layout_holders_count_held (hs_graph_view_get_holders (graph, hs_graph_view_get_layout (graph)), pattern),
                    ==, 0);
  g_assert_cmpint (o->refcount - o->n_referrers, >, 0);
  g_assert_cmpint (hs_layout_holders_count_other (hs_graph_view_get_holders (graph, hs_graph_view_get_layout (graph)), pattern), ==,
                   o->refcount - o->n_referrers);
  tip = hs_graph_view_get_tooltip_markup (graph, (box.x + box.width - 2 - view.x) * zoom,
                                          (box.y + 2 - view.y) * zoom);
  count = hs_format_count (o->refcount - o->n_referrers);
  expected = g_strdup_printf ("%s more reference", count);
  g_assert_nonnull (tip);
  g_assert_true (g_str_has_prefix (tip, expected));

  hs_test_window_close (window);
}

/* Widget coordinates of layout point (lx, ly) where it is drawn: the
 * picture lies on whole pixels, and the pointer is read the same way */
static void
to_widget (HsGraphView *graph,
           double       lx,
           double       ly,
           double      *x,
           double      *y)
{
  double zoom = hs_graph_view_get_zoom (graph);

  *x = lx * zoom + round (graph->offset_x);
  *y = ly * zoom + round (graph->offset_y);
}

/* Tooltips: a variable's row names the variable and its object, a box
 * describes its object, its badges explain themselves in one sentence
 * each, and empty space says nothing. */
static void
test_tooltips (void)
{
  /* every object a box: every box has its badges */
  HsWindow *window = hs_test_window_new_run ("# heapscope: every-object\na = [1, 2]\nb = 'x' * 40\npass\n", "tooltips");
  HsGraphView *graph = hs_window_get_graph_view (window);
  guint last = hs_trace_get_n_steps (hs_window_get_trace (window)) - 1;
  HsLayout *layout;
  HsSnapshot *snapshot;
  const HsLayoutBox *boxes;
  guint n_boxes;
  guint32 list;
  gboolean saw_badge = FALSE, saw_variable = FALSE;
  double x, y;

  hs_window_show_step (window, last, FALSE);
  hs_test_settle (window);
  layout = hs_graph_view_get_layout (graph);
  snapshot = hs_graph_view_get_snapshot (graph);
  list = hs_test_var_ref (snapshot, NULL, "a");
  boxes = hs_layout_get_boxes (layout, &n_boxes);

  for (guint i = 0; i < n_boxes; i++)
    {
      const HsLayoutBox *box = &boxes[i];

      if (box->kind == HS_LAYOUT_BOX_FRAME)
        for (guint r = 0; r < box->n_rows; r++)
          if (g_strcmp0 (box->rows[r].label, "a") == 0)
            {
              g_autofree char *tip = NULL;

              to_widget (graph, box->rect.x + 8, box->rect.y + box->rows[r].y + box->rows[r].height / 2, &x, &y);
              tip = hs_graph_view_get_tooltip_markup (graph, x, y);
              g_assert_nonnull (tip);
              g_assert_true (g_str_has_prefix (tip, "Variable <tt>a</tt>"));
              saw_variable = TRUE;
            }
      if (box->kind == HS_LAYOUT_BOX_OBJECT && box->ref == list)
        {
          g_autofree char *body = NULL;
          g_autofree char *expected = hs_describe_object (snapshot, list);

          to_widget (graph, box->rect.x + 3, box->rect.y + 3, &x, &y);
          body = hs_graph_view_get_tooltip_markup (graph, x, y);
          g_assert_cmpstr (body, ==, expected);

          /* Somewhere on the list's badges: the gc generation's sentence */
          for (double ly = box->rect.y; ly < box->rect.y + box->rect.height && !saw_badge; ly += 1)
            for (double lx = box->rect.x; lx < box->rect.x + box->rect.width && !saw_badge; lx += 1)
              if (hs_renderer_hit_box (layout, box, lx, ly) == HS_RENDERER_HIT_MARKS)
                {
                  g_autofree char *tip = NULL;
                  g_autofree char *sentence = hs_describe_flag_tooltip (hs_snapshot_get_python_version (snapshot),
                                                                        hs_snapshot_lookup (snapshot, list)->flags,
                                                                        HS_OBJECT_GC_TRACKED);

                  to_widget (graph, lx, ly, &x, &y);
                  tip = hs_graph_view_get_tooltip_markup (graph, x, y);
                  g_assert_nonnull (tip);
                  g_assert_nonnull (strstr (tip, sentence));
                  saw_badge = TRUE;
                }
        }
    }
  g_assert_true (saw_variable);
  g_assert_true (saw_badge);

  /* Far outside every box */
  {
    double w, h;
    g_autofree char *none = NULL;

    hs_layout_get_size (layout, &w, &h);
    to_widget (graph, w + 200, h + 200, &x, &y);
    none = hs_graph_view_get_tooltip_markup (graph, x, y);
    g_assert_null (none);
  }

  hs_test_window_close (window);
}

/* A dict's key cut short to fit its row ("'<b>&kkk…") is given whole by
 * the row's tooltip, with the entry's value, escaped, above the dict's
 * own description; a row that shows its key whole adds nothing. */
static void
test_cut_key_tooltip (void)
{
  HsWindow *window = hs_test_window_new_run ("d = {'<b>&' + 'k' * 36: [1], 'k': 2}\npass\n", "cut-key");
  HsGraphView *graph = hs_window_get_graph_view (window);
  guint last = hs_trace_get_n_steps (hs_window_get_trace (window)) - 1;
  g_autofree char *body = NULL;
  const HsLayoutBox *box;
  HsSnapshot *snapshot;
  guint32 dict;
  guint n_cut = 0, n_whole = 0;

  hs_window_show_step (window, last, FALSE);
  hs_test_settle (window);
  snapshot = hs_graph_view_get_snapshot (graph);
  dict = hs_test_var_ref (snapshot, NULL, "d");
  body = hs_describe_object (snapshot, dict);
  box = hs_layout_get_object_box (hs_graph_view_get_layout (graph), dict);
  g_assert_nonnull (box);
  g_assert_cmpuint (box->n_rows, ==, 2);
  for (guint r = 0; r < box->n_rows; r++)
    {
      const HsLayoutRow *row = &box->rows[r];
      /* a key drawn as a box, or a scalar key drawn as the row's label */
      const HsObject *key = hs_snapshot_lookup (snapshot, row->key_target != 0 ? row->key_target : row->key_ref);
      const HsObject *value = hs_snapshot_lookup (snapshot, row->target);
      g_autofree char *tip = NULL;
      double x, y;

      g_assert_true (row->kind == HS_LAYOUT_ROW_PAIR || row->key_ref != 0);
      g_assert_nonnull (key);
      g_assert_nonnull (value);
      to_widget (graph, box->rect.x + 4, box->rect.y + row->y + row->height / 2, &x, &y);
      tip = hs_graph_view_get_tooltip_markup (graph, x, y);
      g_assert_nonnull (tip);
      if (g_str_equal (key->repr, "'k'"))
        {
          g_assert_cmpstr (row->value, ==, "'k'");
          g_assert_cmpstr (tip, ==, body);
          n_whole++;
        }
      else
        {
          g_autofree char *k = g_markup_escape_text (key->repr, -1);
          g_autofree char *v = g_markup_escape_text (value->repr, -1);
          g_autofree char *expected = g_strdup_printf ("Entry <tt>%s: %s</tt>\n%s", k, v, body);

          /* drawn cut, recorded whole, with markup's characters */
          g_assert_true (g_str_has_suffix (row->value, "…"));
          g_assert_cmpuint (strlen (key->repr), ==, 2 + 4 + 36);
          g_assert_nonnull (strstr (k, "&lt;b&gt;&amp;k"));
          g_assert_cmpstr (tip, ==, expected);
          n_cut++;
        }
    }
  g_assert_cmpuint (n_cut, ==, 1);
  g_assert_cmpuint (n_whole, ==, 1);

  hs_test_window_close (window);
}

static cairo_status_t
append_to_string (void                *closure,
                  const unsigned char *data,
                  unsigned int         length)
{
  g_string_append_len (closure, (const char *) data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* How many glyphs an SVG that cairo wrote holds: one <use> of a glyph's
 * symbol per glyph drawn */
static guint
count_svg_glyphs (const char *svg)
{
  guint n = 0;

  for (const char *p = svg; (p = strstr (p, "<use")) != NULL; p++)
    n += strstr (p, "glyph") != NULL && strstr (p, "glyph") < strchr (p, '>');
  return n;
}

#if !defined(__SANITIZE_ADDRESS__)
/* How many glyphs the graph view draws in one frame: its snapshot,
 * replayed into an SVG surface */
static guint
count_view_glyphs (HsGraphView *graph)
{
  g_autoptr(GString) svg = g_string_new (NULL);
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  cairo_surface_t *surface;
  cairo_t *cr;

  GTK_WIDGET_GET_CLASS (graph)->snapshot (GTK_WIDGET (graph), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  surface = cairo_svg_surface_create_for_stream (append_to_string, svg,
                                                 gtk_widget_get_width (GTK_WIDGET (graph)),
                                                 gtk_widget_get_height (GTK_WIDGET (graph)));
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return count_svg_glyphs (svg->str);
}
#endif

/* How many glyphs the renderer draws for layout at scale */
static guint
count_glyphs (HsLayout *layout,
              double    scale)
{
  g_autoptr(GString) svg = g_string_new (NULL);
  HsRenderOptions options;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width, height;

  hs_layout_get_size (layout, &width, &height);
  surface = cairo_svg_surface_create_for_stream (append_to_string, svg, width * scale, height * scale);
  cr = cairo_create (surface);
  hs_render_options_init (&options);
  options.scale = scale;
  cairo_scale (cr, scale, scale);
  hs_renderer_draw (cr, layout, &options);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);

  return count_svg_glyphs (svg->str);
}

/* Semantic zoom: just below the readable scale, boxes collapse to their
 * type and a short value, so far fewer glyphs are drawn than just above
 * it, where every line of every box is; a 40-character str keeps a dozen. */
static void
test_semantic_zoom (void)
{
  /* every object a box: the strings are boxes that show their values */
  HsWindow *window = hs_test_window_new_run ("# heapscope: every-object\ns = 'x' * 40\nt = ['y' * 30, 'z' * 30]\npass\n", "zoom");
  HsGraphView *graph = hs_window_get_graph_view (window);
  guint last = hs_trace_get_n_steps (hs_window_get_trace (window)) - 1;
  HsLayout *layout;
  double readable;
  guint above, below;

  hs_window_show_step (window, last, FALSE);
  hs_test_settle (window);
  layout = hs_graph_view_get_layout (graph);
  readable = hs_renderer_get_readable_scale ();
  g_assert_cmpfloat_with_epsilon (readable, hs_graph_view_get_readable_zoom (graph), 1e-9);

  above = count_glyphs (layout, readable * 1.01);
  below = count_glyphs (layout, readable * 0.99);
  g_test_message ("glyphs at %.3f: %u; at %.3f: %u", readable * 1.01, above, readable * 0.99, below);
  /* the three long strings alone lose 28 + 18 + 18 characters */
  g_assert_cmpuint (above, >=, below + 64);
  /* and what is left still names every box: its type, at least */
  g_assert_cmpuint (below, >=, strlen ("str") * 3 + strlen ("list"));
  /* a scale well below is still collapsed, not empty */
  g_assert_cmpuint (count_glyphs (layout, readable * 0.5), ==, below);

  /* The widget collapses the same way: its readable zoom is the renderer's */
  g_assert_cmpfloat (hs_graph_view_get_zoom (graph), >=, readable - 1e-9);
#if defined(__SANITIZE_ADDRESS__)
  /* Replayed into an SVG surface, the view's cairo nodes, which it keeps
   * from frame to frame, keep cairo's snapshot of that SVG's source
   * (about 63 KB under LeakSanitizer): the normal run counts them */
  g_test_message ("the view's own glyphs are not counted under AddressSanitizer");
#else
  {
    double zoom = hs_graph_view_get_zoom (graph);
    guint at_readable, zoomed_out;

    at_readable = count_view_glyphs (graph);
    /* zoomed out by hand, past the readable zoom: the view draws the
     * boxes collapsed, as the renderer does at that scale */
    while (hs_graph_view_get_zoom (graph) >= readable * 0.99)
      g_action_group_activate_action (G_ACTION_GROUP (window), "zoom-out", NULL);
    hs_test_settle (window);
    g_assert_cmpfloat (hs_graph_view_get_zoom (graph), <, readable);
    zoomed_out = count_view_glyphs (graph);
    g_test_message ("the view draws %u glyphs at zoom %.3f, %u at %.3f",
                    at_readable, zoom, zoomed_out, hs_graph_view_get_zoom (graph));
    g_assert_cmpuint (at_readable, >=, zoomed_out + 64);
    /* the whole picture, each box collapsed, as the renderer draws it */
    g_assert_cmpuint (zoomed_out, ==, count_glyphs (layout, hs_graph_view_get_zoom (graph)));
    g_assert_cmpuint (zoomed_out, ==, below);
  }
#endif

  hs_test_window_close (window);
}

/* The frame row of variable name, in the view's layout */
static const HsLayoutRow *
frame_row (HsGraphView *graph,
           const char  *name)
{
  const HsLayoutBox *boxes;
  guint n_boxes;

  boxes = hs_layout_get_boxes (hs_graph_view_get_layout (graph), &n_boxes);
  for (guint b = 0; b < n_boxes && boxes[b].kind == HS_LAYOUT_BOX_FRAME; b++)
    for (guint r = 0; r < boxes[b].n_rows; r++)
      if (g_strcmp0 (boxes[b].rows[r].label, name) == 0)
        return &boxes[b].rows[r];
  return NULL;
}

/* Values in their slots (issue 47): by default the int is drawn inside
 * the slots that hold it; Show Every Object (win.every-object) draws it
 * as a box, remembered for the document; selecting it, or watching it,
 * makes it a box with its arrows; a file can ask for every object in a
 * comment at its top. */
static void
test_every_object (void)
{
  HsWindow *window = hs_test_window_new_run ("x = 1000\ny = [x, x]\npass\n", "values.py");
  HsGraphView *graph = hs_window_get_graph_view (window);
  g_autoptr(GSettings) settings = hs_settings_new ();
  guint last = hs_trace_get_n_steps (hs_window_get_trace (window)) - 1;
  guint32 thousand;

  hs_window_show_step (window, last, FALSE);
  hs_test_settle (window);
  thousand = hs_test_var_ref (hs_graph_view_get_snapshot (graph), NULL, "x");
  g_assert_false (action_state (window, "every-object"));
  g_assert_null (hs_layout_get_object_box (hs_graph_view_get_layout (graph), thousand));
  g_assert_cmpstr (frame_row (graph, "x")->inline_value, ==, "1000");

  g_action_group_activate_action (G_ACTION_GROUP (window), "every-object", NULL);
  hs_test_settle (window);
  g_assert_true (action_state (window, "every-object"));
  g_assert_true (hs_graph_view_get_every_object (graph));
  g_assert_nonnull (hs_layout_get_object_box (hs_graph_view_get_layout (graph), thousand));
  g_assert_null (frame_row (graph, "x")->inline_value);
  g_assert_true (hs_settings_get_every_object (settings, "title:values.py"));

  /* another document has its own choice, and this one's comes back */
  hs_window_set_text (window, "z = 1\n", NULL, "other.py");
  g_assert_false (action_state (window, "every-object"));
  hs_window_set_text (window, "x = 1000\ny = [x, x]\npass\n", NULL, "values.py");
  g_assert_true (action_state (window, "every-object"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "every-object", NULL);
  g_assert_false (hs_settings_get_every_object (settings, "title:values.py"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  hs_test_wait_idle (window);
  hs_window_show_step (window, hs_trace_get_n_steps (hs_window_get_trace (window)) - 1, FALSE);
  hs_test_settle (window);
  thousand = hs_test_var_ref (hs_graph_view_get_snapshot (graph), NULL, "x");
  g_assert_null (hs_layout_get_object_box (hs_graph_view_get_layout (graph), thousand));

  /* selected, the int is a box with an arrow from each holder */
  g_assert_true (hs_graph_view_select_variable (graph, "x", FALSE));
  hs_test_settle (window);
  g_assert_nonnull (hs_layout_get_object_box (hs_graph_view_get_layout (graph), thousand));
  {
    const HsLayoutEdge *edges;
    guint n_edges, into = 0;

    edges = hs_layout_get_edges (hs_graph_view_get_layout (graph), &n_edges);
    for (guint e = 0; e < n_edges; e++)
      into += edges[e].target == thousand;
    g_assert_cmpuint (into, ==, 3);
  }
  /* watched, it stays one once unselected */
  g_action_group_activate_action (G_ACTION_GROUP (window), "watch", NULL);
  hs_graph_view_unselect_all (graph);
  hs_test_settle (window);
  g_assert_nonnull (hs_layout_get_object_box (hs_graph_view_get_layout (graph), thousand));
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  hs_test_wait_idle (window);

  /* a file that asks for every object in its first comment */
  hs_window_set_text (window, "# Small ints are shared.\n# heapscope: every-object\nx = 1\n", NULL, "asks.py");
  g_assert_true (action_state (window, "every-object"));

  hs_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  app = hs_test_init (&argc, &argv);

  g_test_add_func ("/ui/graph-view-toggles/follow-action", test_follow_action);
  g_test_add_func ("/ui/graph-view-toggles/every-object", test_every_object);
  g_test_add_func ("/ui/graph-view-toggles/hidden-holders", test_hidden_holders);
  g_test_add_func ("/ui/graph-view-toggles/module-holders-fit", test_module_holders_fit);
  g_test_add_func ("/ui/graph-view-toggles/module-globals-merged", test_module_globals_merged);
  g_test_add_func ("/ui/graph-view-toggles/holders-asked-in-view", test_holders_asked_in_view);
  g_test_add_func ("/ui/graph-view-toggles/other-mark", test_other_mark);
  g_test_add_func ("/ui/graph-view-toggles/tooltips", test_tooltips);
  g_test_add_func ("/ui/graph-view-toggles/cut-key-tooltip", test_cut_key_tooltip);
  g_test_add_func ("/ui/graph-view-toggles/semantic-zoom", test_semantic_zoom);

  return hs_test_run (app);
}
