/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The inspector's history of the selected object and its paths, in the
 * window under Xvfb: "Who changed this?" in one click, each entry going
 * to its step, the paths a program would spell, Select All Holders, and
 * a long run's history read without stopping the window.
 */
#define G_LOG_DOMAIN "heapscope-test-object-history"

#include "config.h"

#include <string.h>

#include "hs-describe.h"
#include "hs-test-run.h"

static HsApplication *app;

static gboolean
history_read (gpointer data)
{
  HsWindow *window = data;

  return hs_inspector_get_history (window->inspector) != NULL;
}

static GtkWidget *
find_row_titled (GtkWidget  *list,
                 const char *prefix)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row) &&
        g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), prefix))
      return row;
  return NULL;
}

/* With HS_TEST_SHOTS set, what the window shows, once it rests */
static void
save_shot (HsWindow   *window,
           const char *name)
{
  if (g_getenv ("HS_TEST_SHOTS") == NULL)
    return;
  adw_flap_set_reveal_flap (window->inspector_flap, TRUE);
  hs_test_settle (window);
  hs_test_wait_frames (GTK_WIDGET (window), 3);
  hs_test_save_shot (GTK_WIDGET (window), name);
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    n += GTK_IS_LIST_BOX_ROW (row);
  return n;
}

/* b = a; b.append(1): one click on "Who changed this?" goes to the step
 * after line 3, and the row says it was b; every entry goes to its step. */
static void
test_who_changed (void)
{
  HsWindow *w = hs_test_window_new_run ("a = []\n"        /* 1 */
                                        "b = a\n"         /* 2 */
                                        "b.append(1)\n"   /* 3 */
                                        "x = 0\n"         /* 4 */
                                        "y = 1\n"         /* 5 */
                                        "del a, b\n"      /* 6 */
                                        "z = 2\n",        /* 7 */
                                        "alias.py");
  GtkWidget *who, *list, *created;
  const char *subtitle;

  hs_window_show_step (w, hs_test_line_step (w, 5), FALSE);
  g_assert_true (hs_graph_view_select_variable (hs_window_get_graph_view (w), "a", FALSE));
  g_assert_true (hs_test_wait_until (history_read, w));

  who = hs_test_find_named (GTK_WIDGET (w->inspector), "who-changed-row");
  g_assert_nonnull (who);
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (who));
  g_assert_nonnull (strstr (subtitle, "through b"));
  g_assert_nonnull (strstr (subtitle, "Line 3"));
  save_shot (w, "object-history-who-changed");

  gtk_widget_activate (who);
  g_assert_cmpuint (hs_window_get_step (w), ==, hs_test_line_step (w, 4));

  /* the whole history, newest first: freed by line 6 at the top, the
   * creation for a at the bottom, which goes to the step after line 1 */
  list = hs_test_find_named (GTK_WIDGET (w->inspector), "history-list");
  g_assert_nonnull (list);
  g_assert_cmpuint (count_rows (list), >=, 4);
  g_assert_true (find_row_titled (list, "Freed") == gtk_widget_get_first_child (list));
  created = find_row_titled (list, "Created for a");
  g_assert_nonnull (created);
  g_assert_null (gtk_widget_get_next_sibling (created));
  gtk_widget_activate (created);
  g_assert_cmpuint (hs_window_get_step (w), ==, hs_test_line_step (w, 2));

  hs_test_window_close (w);
}

/* The paths a program would spell, shortest first; Select All Holders
 * outlines the objects on them, and a new selection lets go of them. */
static void
test_paths (void)
{
  HsWindow *w = hs_test_window_new_run ("orders = [{'items': []}, {'items': [1]}]\n"  /* 1 */
                                        "template = orders[1]['items']\n"             /* 2 */
                                        "x = 0\n",                                    /* 3 */
                                        "paths.py");
  HsGraphView *view = hs_window_get_graph_view (w);
  g_autoptr(HsSnapshot) snapshot = NULL;
  GtkWidget *list, *first, *deep;
  const guint32 *held;
  guint n_held;
  const HsObject *orders;

  hs_window_show_step (w, hs_test_line_step (w, 3), FALSE);
  g_assert_true (hs_graph_view_select_variable (view, "template", FALSE));
  list = hs_test_find_named (GTK_WIDGET (w->inspector), "paths-list");
  g_assert_nonnull (list);
  first = gtk_widget_get_first_child (list);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==, "template");
  deep = find_row_titled (list, "orders[1]['items']");
  g_assert_nonnull (deep);
  g_assert_true (hs_test_wait_until (history_read, w));

  /* Opened over the graph, the inspector keeps its width, and the
   * window its own: a heading that expanded made both grow at every
   * frame, past the screen */
  {
    int width = gtk_widget_get_width (GTK_WIDGET (w));

    adw_flap_set_reveal_flap (w->inspector_flap, TRUE);
    hs_test_wait_frames (GTK_WIDGET (w), 20);
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (w)), ==, width);
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (w->inspector)), <, width / 2);
  }
  save_shot (w, "object-history-paths");

  snapshot = hs_snapshot_ref (hs_graph_view_get_snapshot (view));
  orders = NULL;
  {
    const HsFrame *frames;
    guint n_frames;

    frames = hs_snapshot_get_frames (snapshot, &n_frames);
    for (guint j = 0; j < frames[0].n_vars; j++)
      if (g_str_equal (frames[0].vars[j].name, "orders"))
        orders = hs_snapshot_lookup (snapshot, frames[0].vars[j].ref);
  }
  g_assert_nonnull (orders);

  hs_test_activate (w, "select-holders");
  held = hs_graph_view_get_highlight (view, &n_held);
  /* the list orders and its dict orders[1]: two objects on the way */
  g_assert_cmpuint (n_held, ==, 2);
  g_assert_true (held[0] == orders->ref || held[1] == orders->ref);

  hs_graph_view_select_object (view, orders->ref, FALSE);
  hs_graph_view_get_highlight (view, &n_held);
  g_assert_cmpuint (n_held, ==, 0);

  hs_test_window_close (w);
}

/* A long run's history is read in a thread: the selection shows at once
 * with the history to come, and selecting another object drops the
 * first one's for the new one's.  (How long the main loop waits
 * meanwhile is the window benchmark's: under Xvfb a frame alone takes
 * a few hundred milliseconds on a loaded machine.) */
static void
test_long_run (void)
{
  HsWindow *w = hs_test_window_new_run ("log = []\n"
                                        "other = []\n"
                                        "for i in range(20000):\n"
                                        "    log.append(i % 7)\n"
                                        "x = 0\n",
                                        "long.py");
  HsGraphView *view = hs_window_get_graph_view (w);
  HsObjectHistory *history;
  GtkWidget *list;

  hs_window_show_step (w, hs_test_line_step (w, 5), FALSE);
  g_assert_true (hs_graph_view_select_variable (view, "log", FALSE));
  g_assert_null (hs_inspector_get_history (w->inspector));
  g_assert_true (hs_graph_view_select_variable (view, "other", FALSE));
  g_assert_null (hs_inspector_get_history (w->inspector));
  list = hs_test_find_named (GTK_WIDGET (w->inspector), "history-list");
  g_assert_nonnull (find_row_titled (list, "Reading"));
  g_assert_true (hs_test_wait_until (history_read, w));

  /* the history is other's, which the loop never touched */
  history = hs_inspector_get_history (w->inspector);
  g_assert_cmpuint (hs_object_history_get_n_entries (history), ==, 1);
  g_assert_null (hs_object_history_last_change (history, G_MAXUINT));

  g_assert_true (hs_graph_view_select_variable (view, "log", FALSE));
  g_assert_true (hs_test_wait_until (history_read, w));
  history = hs_inspector_get_history (w->inspector);
  g_assert_cmpuint (hs_object_history_last_change (history, G_MAXUINT)->line, ==, 4);
  g_assert_cmpuint (hs_object_history_get_n_dropped (history), >, 0);
  /* the list shows the newest rows and says how many more there are */
  list = hs_test_find_named (GTK_WIDGET (w->inspector), "history-list");
  g_assert_cmpuint (count_rows (list), <=, 102);
  g_assert_nonnull (find_row_titled (list, "… "));

  hs_test_window_close (w);
}

static guint32
var_ref (HsSnapshot *snapshot,
         const char *name)
{
  const HsFrame *frames;
  guint n_frames;

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  for (guint j = 0; j < frames[0].n_vars; j++)
    if (g_str_equal (frames[0].vars[j].name, name))
      return frames[0].vars[j].ref;
  g_assert_not_reached ();
  return 0;
}

static gboolean
drawn (HsWindow *window,
       guint32   ref)
{
  HsRect rect;

  hs_test_wait_idle (window);
  return hs_layout_get_object_bounds (hs_graph_view_get_layout (hs_window_get_graph_view (window)), ref, &rect);
}

static void
set_focus (HsWindow   *window,
           const char *how)
{
  g_action_group_change_action_state (G_ACTION_GROUP (window), "focus", g_variant_new_string (how));
}

/* Focus narrows what is drawn, never the step: what the selected object
 * reaches, what reaches it, and the step without the library's modules,
 * classes and functions, the program's own kept. */
static void
test_focus (void)
{
  HsWindow *w = hs_test_window_new_run ("import json\n"                                /* 1 */
                                        "from os.path import join\n"                   /* 2 */
                                        "class Cart:\n"                                /* 3 */
                                        "    pass\n"                                   /* 4 */
                                        "def total(cart):\n"                           /* 5 */
                                        "    return 0\n"                               /* 6 */
                                        "orders = [{'items': [1]}, {'items': [2]}]\n"  /* 7 */
                                        "alone = [3]\n"                                /* 8 */
                                        "x = 0\n",                                     /* 9 */
                                        "focus.py");
  HsGraphView *view = hs_window_get_graph_view (w);
  g_autoptr(HsSnapshot) snapshot = NULL;
  guint32 orders, alone, first_items, second_items, module, join, cart, total;

  hs_window_show_step (w, hs_test_line_step (w, 9), FALSE);
  hs_test_wait_idle (w);
  snapshot = hs_snapshot_ref (hs_graph_view_get_snapshot (view));
  orders = var_ref (snapshot, "orders");
  alone = var_ref (snapshot, "alone");
  module = var_ref (snapshot, "json");
  join = var_ref (snapshot, "join");
  cart = var_ref (snapshot, "Cart");
  total = var_ref (snapshot, "total");
  first_items = hs_snapshot_lookup (snapshot, hs_snapshot_lookup (snapshot, hs_snapshot_lookup (snapshot, orders)->edges[0].target)->edges[1].target)->ref;
  second_items = hs_snapshot_lookup (snapshot, hs_snapshot_lookup (snapshot, hs_snapshot_lookup (snapshot, orders)->edges[1].target)->edges[1].target)->ref;
  g_assert_true (drawn (w, alone) && drawn (w, module) && drawn (w, join));

  g_assert_true (hs_graph_view_select_variable (view, "orders", FALSE));
  set_focus (w, "reaches");
  g_assert_true (drawn (w, orders));
  g_assert_true (drawn (w, first_items));
  g_assert_true (drawn (w, second_items));
  g_assert_false (drawn (w, alone));
  g_assert_false (drawn (w, module));
  /* the step is the same step */
  g_assert_true (hs_graph_view_get_snapshot (view) == snapshot);

  hs_graph_view_select_object (view, first_items, FALSE);
  set_focus (w, "reached-by");
  g_assert_true (drawn (w, first_items));
  g_assert_true (drawn (w, orders));
  g_assert_false (drawn (w, second_items));
  g_assert_false (drawn (w, alone));

  set_focus (w, "all");
  g_assert_true (drawn (w, alone));
  g_assert_true (drawn (w, second_items));

  g_action_group_change_action_state (G_ACTION_GROUP (w), "hide-library", g_variant_new_boolean (TRUE));
  g_assert_false (drawn (w, module));
  g_assert_false (drawn (w, join));
  g_assert_true (drawn (w, cart));
  g_assert_true (drawn (w, total));
  g_assert_true (drawn (w, alone));
  g_action_group_change_action_state (G_ACTION_GROUP (w), "hide-library", g_variant_new_boolean (FALSE));
  g_assert_true (drawn (w, module));

  hs_test_window_close (w);
}

/* Hide Library Objects goes by the module that defines a function or a
 * class (its __module__), not by the modules that hold it: a function a
 * library's factory made, which no module holds, is the library's; the
 * program's own function, stored in a library module as a hook, and a
 * class the library made for the program are the program's. */
static void
test_library_by_module (void)
{
  HsWindow *w = hs_test_window_new_run ("import collections, functools, json\n"                /* 1 */
                                        "def total(cart):\n"                                   /* 2 */
                                        "    return 0\n"                                       /* 3 */
                                        "json.hook = total\n"                                  /* 4 */
                                        "cache = functools.lru_cache(maxsize=None)\n"          /* 5 */
                                        "Point = collections.namedtuple('Point', 'x y')\n"     /* 6 */
                                        "dumps = json.dumps\n"                                 /* 7 */
                                        "x = 0\n",                                             /* 8 */
                                        "library.py");
  HsGraphView *view = hs_window_get_graph_view (w);
  g_autoptr(HsSnapshot) snapshot = NULL;
  guint32 total, cache, point, dumps;

  hs_window_show_step (w, hs_test_line_step (w, 8), FALSE);
  hs_test_wait_idle (w);
  snapshot = hs_snapshot_ref (hs_graph_view_get_snapshot (view));
  total = var_ref (snapshot, "total");
  cache = var_ref (snapshot, "cache");
  point = var_ref (snapshot, "Point");
  dumps = var_ref (snapshot, "dumps");
  g_assert_true (drawn (w, total) && drawn (w, cache) && drawn (w, point) && drawn (w, dumps));

  g_action_group_change_action_state (G_ACTION_GROUP (w), "hide-library", g_variant_new_boolean (TRUE));
  g_assert_true (drawn (w, total));
  g_assert_true (drawn (w, point));
  g_assert_false (drawn (w, cache));
  g_assert_false (drawn (w, dumps));
  g_action_group_change_action_state (G_ACTION_GROUP (w), "hide-library", g_variant_new_boolean (FALSE));

  hs_test_window_close (w);
}

int
main (int   argc,
      char *argv[])
{
  app = hs_test_init (&argc, &argv);

  g_test_add_func ("/ui/object-history/who-changed", test_who_changed);
  g_test_add_func ("/ui/object-history/paths", test_paths);
  g_test_add_func ("/ui/object-history/long-run", test_long_run);
  g_test_add_func ("/ui/object-history/focus", test_focus);
  g_test_add_func ("/ui/object-history/library-by-module", test_library_by_module);

  return hs_test_run (app);
}
