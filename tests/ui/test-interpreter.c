/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The interpreter chooser, the window's immortal objects and the compare
 * view (issue 11), under Xvfb.  What needs 3.12 or 3.13 skips when the
 * build found no worker for it.
 */
#define G_LOG_DOMAIN "heapscope-test-interpreter"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "hs-compare-window.h"
#include "hs-interpreters.h"
#include "hs-test-run.h"
#include "hs-test-trace.h"

static HsApplication *app;

/* The python3.X the build found for version (HS_TEST_PYTHONS is
 * "3.11=PATH;3.12=PATH"), or NULL. */
static char *
python_for (const char *version)
{
  g_auto(GStrv) entries = g_strsplit (HS_TEST_PYTHONS, ";", -1);

  for (guint i = 0; entries[i] != NULL; i++)
    {
      const char *eq = strchr (entries[i], '=');

      if (eq != NULL && strncmp (entries[i], version, eq - entries[i]) == 0 &&
          (gsize) (eq - entries[i]) == strlen (version))
        return g_strdup (eq + 1);
    }
  return NULL;
}

static HsWindow *
new_window (void)
{
  HsWindow *window = hs_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  return window;
}

static char *
write_program (const char *dir,
               const char *name,
               const char *source)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, source, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
choose (HsWindow   *window,
        const char *version)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "python", g_variant_new_string (version));
  g_assert_true (hs_test_wait_until (hs_test_window_is_idle, window));
}

/* The chooser offers the interpreters that have a worker, and no other;
 * the system's is chosen first. */
static void
test_chooser_lists_workers (void)
{
  HsWindow *window = new_window ();
  g_auto(GStrv) versions = hs_runner_list_pythons ();
  g_autoptr(GVariant) state = NULL;
  GMenuModel *menu;
  GMenuModel *section;
  GtkWidget *button;

  g_assert_nonnull (versions[0]);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->interpreter_chooser)));
  g_assert_cmpstr (hs_window_get_python (window), ==, HS_DEFAULT_PYTHON);
  state = g_action_group_get_action_state (G_ACTION_GROUP (window), "python");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, HS_DEFAULT_PYTHON);

  button = gtk_widget_get_first_child (GTK_WIDGET (window->interpreter_chooser));
  g_assert_true (GTK_IS_MENU_BUTTON (button));
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, g_strv_length (versions));
  for (guint i = 0; versions[i] != NULL; i++)
    {
      g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (section, i, G_MENU_ATTRIBUTE_TARGET,
                                                                          G_VARIANT_TYPE_STRING);

      g_assert_cmpstr (g_variant_get_string (target, NULL), ==, versions[i]);
    }
  g_object_unref (section);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, g_strv_length (versions) > 1 ? 2 : 1);
  g_assert_cmpint (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "compare-interpreters"),
                   ==, g_strv_length (versions) > 1);

  /* a version without a worker is refused and changes nothing */
  g_action_group_activate_action (G_ACTION_GROUP (window), "python", g_variant_new_string ("2.7"));
  g_assert_cmpstr (hs_window_get_python (window), ==, HS_DEFAULT_PYTHON);
  g_assert_nonnull (strstr (hs_window_get_last_toast (window), "2.7"));

  hs_test_window_close (window);
}

/* The choice is kept per file: another file opens with the default, the
 * first one again with its own. */
static void
test_remembered_per_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("heapscope-test-interp-XXXXXX", NULL);
  g_autofree char *path_a = write_program (dir, "a.py", "import sys\nprint(sys.version_info[:2])\n");
  g_autofree char *path_b = write_program (dir, "b.py", "x = 1\n");
  g_autoptr(GFile) file_a = g_file_new_for_path (path_a);
  g_autoptr(GFile) file_b = g_file_new_for_path (path_b);
  HsWindow *window;
  g_autofree char *output = NULL;

  if (!hs_test_require_python ("3.13"))
    return;

  window = new_window ();
  hs_window_set_text (window, "import sys\nprint(sys.version_info[:2])\n", file_a, NULL);
  g_assert_cmpstr (hs_window_get_python (window), ==, HS_DEFAULT_PYTHON);
  choose (window, "3.13");
  /* choosing ran the snippet with that worker */
  g_assert_nonnull (hs_window_get_trace (window));
  g_assert_true (g_str_has_prefix (hs_trace_get_python_version (hs_window_get_trace (window)), "3.13"));
  output = hs_window_dup_output (window);
  g_assert_cmpstr (output, ==, "(3, 13)\n");

  hs_window_set_text (window, "x = 1\n", file_b, NULL);
  g_assert_cmpstr (hs_window_get_python (window), ==, HS_DEFAULT_PYTHON);
  hs_window_set_text (window, "import sys\nprint(sys.version_info[:2])\n", file_a, NULL);
  g_assert_cmpstr (hs_window_get_python (window), ==, "3.13");

  /* a run started by hand uses it too */
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (hs_test_wait_until (hs_test_window_is_idle, window));
  g_assert_true (g_str_has_prefix (hs_trace_get_python_version (hs_window_get_trace (window)), "3.13"));

  /* and a new window remembers it too */
  hs_test_window_close (window);
  window = new_window ();
  hs_window_set_text (window, "import sys\nprint(sys.version_info[:2])\n", file_a, NULL);
  g_assert_cmpstr (hs_window_get_python (window), ==, "3.13");
  hs_test_window_close (window);

  g_unlink (path_a);
  g_unlink (path_b);
  g_rmdir (dir);
}

static const char refcount_program[] =
  "# heapscope: every-object\n"
  "import sys\n"
  "x = 1\n"
  "print(sys.getrefcount(1))\n";

/* Whether a label under widget shows text containing needle. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *needle)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, needle))
      return TRUE;
  return FALSE;
}

static const HsLayoutBox *
box_for (HsLayout *layout,
         guint32   ref)
{
  const HsLayoutBox *boxes;
  guint n_boxes;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].ref == ref)
      return &boxes[i];
  return NULL;
}

/* Under 3.12 and 3.13 the snippet prints what that python prints,
 * 4294967295, and the window calls the int immortal: its box, its
 * badge and the inspector's "Why is the refcount" rule. */
static void
test_immortal (gconstpointer data)
{
  const char *version = data;
  g_autofree char *python = python_for (version);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *direct = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsSnapshot) snapshot = NULL;
  const char *argv[3];
  const HsFrame *frames;
  const HsObject *object = NULL;
  const HsLayoutBox *box;
  const char *rule;
  guint n_frames;
  int status;
  HsWindow *window;

  if (!hs_test_require_python (version))
    return;
  if (python == NULL)
    {
      g_test_skip_printf ("the build found no python3 for %s", version);
      return;
    }

  dir = g_dir_make_tmp ("heapscope-test-interp-XXXXXX", NULL);
  path = write_program (dir, "refs.py", refcount_program);
  argv[0] = python;
  argv[1] = path;
  argv[2] = NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &direct, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (direct, ==, "4294967295\n");

  window = new_window ();
  hs_window_set_text (window, refcount_program, NULL, "immortal.py");
  choose (window, version);
  g_assert_cmpstr (hs_trace_get_status (hs_window_get_trace (window)), ==, "finished");
  output = hs_window_dup_output (window);
  g_assert_cmpstr (output, ==, direct);

  /* the last step: x is bound to the small int */
  snapshot = hs_trace_get_snapshot (hs_window_get_trace (window), hs_window_get_step (window));
  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  g_assert_cmpuint (n_frames, >=, 1);
  for (guint i = 0; i < frames[0].n_vars; i++)
    if (g_str_equal (frames[0].vars[i].name, "x"))
      object = hs_snapshot_lookup (snapshot, frames[0].vars[i].ref);
  g_assert_nonnull (object);
  g_assert_cmpint (object->refcount, ==, 4294967295);
  g_assert_true (object->flags & HS_OBJECT_IMMORTAL);

  box = box_for (hs_graph_view_get_layout (hs_window_get_graph_view (window)), object->ref);
  g_assert_nonnull (box);
  g_assert_true (g_str_has_prefix (box->facts, "immortal"));
  g_assert_null (strstr (box->facts, "4294967295"));

  g_assert_true (hs_graph_view_select_variable (hs_window_get_graph_view (window), "x", FALSE));
  g_assert_true (hs_test_wait_until (hs_test_window_is_idle, window));
  rule = hs_inspector_get_refcount_rule (window->inspector);
  g_assert_nonnull (rule);
  g_assert_nonnull (strstr (rule, "PEP 683"));
  g_assert_nonnull (strstr (rule, version));
  /* the rule is on screen, and no count of "other" references made of
   * the marker minus the drawn ones */
  adw_flap_set_reveal_flap (window->inspector_flap, TRUE);
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window->inspector));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (shows_text (GTK_WIDGET (window->inspector), "PEP 683"));
  g_assert_false (shows_text (GTK_WIDGET (window->inspector), "4294967294"));

  hs_test_window_close (window);
  g_unlink (path);
  g_rmdir (dir);
}

static HsCompareWindow *
find_compare_window (void)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  for (GList *l = windows; l != NULL; l = l->next)
    if (HS_IS_COMPARE_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
compare_is_done (gpointer data)
{
  return !hs_compare_window_get_busy (data) && hs_compare_window_get_comparison (data) != NULL;
}

/* win.compare-interpreters runs the snippet under the chosen interpreter
 * and another, and opens where the window was: at the end, where the
 * small int's refcount differs. */
static void
test_compare_view (void)
{
  HsWindow *window;
  HsCompareWindow *compare;
  HsTraceComparison *comparison;
  HsStepPair pair;
  GPtrArray *diffs;
  gboolean found = FALSE;
  g_autofree char *other = NULL;
  g_auto(GStrv) versions = hs_runner_list_pythons ();

  if (g_strv_length (versions) < 2)
    {
      g_test_skip ("only one interpreter has a worker in this build");
      return;
    }
  other = hs_interpreters_other (HS_DEFAULT_PYTHON, (const char * const *) versions);

  window = hs_test_window_new_run (refcount_program, "compare.py");
  hs_window_show_step (window, hs_trace_get_n_steps (hs_window_get_trace (window)) - 1, FALSE);
  g_action_group_activate_action (G_ACTION_GROUP (window), "compare-interpreters", NULL);
  compare = find_compare_window ();
  g_assert_nonnull (compare);
  g_assert_true (hs_test_wait_until (compare_is_done, compare));

  comparison = hs_compare_window_get_comparison (compare);
  g_assert_true (g_str_has_prefix (hs_trace_get_python_version (hs_trace_comparison_get_left (comparison)),
                                   HS_DEFAULT_PYTHON));
  g_assert_true (g_str_has_prefix (hs_trace_get_python_version (hs_trace_comparison_get_right (comparison)),
                                   other));
  pair = hs_trace_comparison_get_pair (comparison, hs_compare_window_get_pair (compare));
  g_assert_cmpuint (pair.left, ==, hs_window_get_step (window));

  diffs = hs_trace_comparison_get_diffs (comparison, hs_compare_window_get_pair (compare));
  g_assert_cmpuint (hs_compare_window_get_n_rows (compare), ==, diffs->len);
  for (guint i = 0; i < diffs->len; i++)
    {
      const HsTraceDiff *diff = g_ptr_array_index (diffs, i);

      if (diff->kind == HS_TRACE_DIFF_REFCOUNT && g_str_equal (diff->subject, "x"))
        {
          g_assert_cmpstr (diff->right, ==, "immortal (refcount 4,294,967,295)");
          found = TRUE;
        }
    }
  g_assert_true (found);

  /* stepping back to the first step, where nothing is bound yet */
  hs_compare_window_show_pair (compare, 0);
  g_assert_cmpuint (hs_compare_window_get_pair (compare), ==, 0);
  g_assert_cmpuint (hs_compare_window_get_n_rows (compare), ==,
                    hs_trace_comparison_get_diffs (comparison, 0)->len);

  gtk_window_destroy (GTK_WINDOW (compare));

  /* closed while it runs: the runs end and the window goes, quietly */
  g_action_group_activate_action (G_ACTION_GROUP (window), "compare-interpreters", NULL);
  compare = find_compare_window ();
  g_assert_nonnull (compare);
  g_assert_true (hs_compare_window_get_busy (compare));
  g_object_add_weak_pointer (G_OBJECT (compare), (gpointer *) &compare);
  gtk_window_destroy (GTK_WINDOW (compare));
  g_assert_true (hs_test_wait_until (pointer_is_null, &compare));

  hs_test_window_close (window);
}

static gboolean
window_has_trace (gpointer data)
{
  return hs_window_get_trace (data) != NULL && hs_test_window_is_idle (data);
}

/* The lessons on refcounts and small values offer the compare view when
 * there is another interpreter; the others do not. */
static void
test_lessons_offer_compare (void)
{
  static const char *offering[] = { "refcounts", "reuse" };
  g_auto(GStrv) versions = hs_runner_list_pythons ();
  HsWindow *window;

  if (g_strv_length (versions) < 2)
    {
      g_test_skip ("only one interpreter has a worker in this build");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (offering); i++)
    {
      window = new_window ();
      g_action_group_activate_action (G_ACTION_GROUP (window), "open-lesson", g_variant_new_string (offering[i]));
      g_assert_true (hs_test_wait_until (window_has_trace, window));
      g_assert_nonnull (hs_window_get_last_toast (window));
      g_assert_nonnull (strstr (hs_window_get_last_toast (window), "counts these objects differently"));
      hs_test_window_close (window);
    }

  window = new_window ();
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-lesson", g_variant_new_string ("names"));
  g_assert_true (hs_test_wait_until (window_has_trace, window));
  g_assert_true (hs_window_get_last_toast (window) == NULL ||
                 strstr (hs_window_get_last_toast (window), "counts these objects differently") == NULL);
  hs_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  app = hs_test_init (&argc, &argv);

  g_test_add_func ("/ui/interpreter/chooser-lists-workers", test_chooser_lists_workers);
  g_test_add_func ("/ui/interpreter/remembered-per-file", test_remembered_per_file);
  g_test_add_data_func ("/ui/interpreter/immortal/3.12", "3.12", test_immortal);
  g_test_add_data_func ("/ui/interpreter/immortal/3.13", "3.13", test_immortal);
  g_test_add_func ("/ui/interpreter/compare-view", test_compare_view);
  g_test_add_func ("/ui/interpreter/lessons-offer-compare", test_lessons_offer_compare);

  return hs_test_run (app);
}
