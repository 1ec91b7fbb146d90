/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-compare-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hs-compare-window.h"
#include "hs-describe.h"
#include "hs-graph-view.h"
#include "hs-interpreters.h"
#include "hs-runner.h"
#include "hs-snippet-run.h"

struct _HsCompareWindow
{
  AdwWindow          parent_instance;

  AdwWindowTitle    *window_title;
  GtkDropDown       *left_dropdown;
  GtkDropDown       *right_dropdown;
  GtkSpinner        *spinner;
  GtkStack          *stack;
  AdwStatusPage     *status_page;
  GtkLabel          *left_heading;
  GtkLabel          *right_heading;
  HsGraphView       *left_view;
  HsGraphView       *right_view;
  GtkAdjustment     *timeline_adjustment;
  GtkLabel          *step_label;
  GtkListBox        *diff_list;

  char              *path;        /* what runs: the file, or the copy of the text */
  char              *text;        /* an edited file's, run as the file at path */
  char              *tmpdir;      /* holds the copy, removed with the window */
  GStrv              pythons;
  guint              max_elements;
  HsRunner          *runners[2];
  HsTraceComparison *comparison;
  guint              pair;
  guint              start_step;  /* of the left run, to open at */
  guint              n_rows;
  guint              busy : 1;
  guint              rerun : 1;   /* the versions changed during a run */
  guint              closed : 1;  /* a run's result comes too late */
  guint              updating : 1;
};

G_DEFINE_FINAL_TYPE (HsCompareWindow, hs_compare_window, ADW_TYPE_WINDOW)

static void start_runs (HsCompareWindow *self);

static const char *
selected_version (HsCompareWindow *self,
                  GtkDropDown     *dropdown)
{
  guint selected;

  g_assert (HS_IS_COMPARE_WINDOW (self));
  g_assert (GTK_IS_DROP_DOWN (dropdown));

  selected = gtk_drop_down_get_selected (dropdown);
  if (selected == GTK_INVALID_LIST_POSITION || selected >= g_strv_length (self->pythons))
    return NULL;
  return self->pythons[selected];
}

/* Runs in the task's thread, each run after the other: two workers at
 * once would only compete for the same cores. */
typedef struct
{
  HsRunner     *runners[2];
  char         *versions[2];
  char         *path;
  char         *text;
  HsRunOptions  options;
} RunData;

static void
run_data_free (RunData *data)
{
  for (guint i = 0; i < 2; i++)
    {
      g_clear_object (&data->runners[i]);
      g_free (data->versions[i]);
    }
  g_free (data->path);
  g_free (data->text);
  g_free (data);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(HsTrace) left = NULL;
  g_autoptr(HsTrace) right = NULL;

  g_assert (G_IS_TASK (task));
  g_assert (data != NULL);

  for (guint i = 0; i < 2; i++)
    {
      HsTrace **trace = i == 0 ? &left : &right;
      GError *error = NULL;

      *trace = hs_snippet_run_sync (data->runners[i], data->versions[i], data->path, data->text,
                                    &data->options, HS_SNIPPET_RUN_TO_END, &error);
      if (*trace == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_pointer (task, hs_trace_comparison_new (left, right),
                         (GDestroyNotify) hs_trace_comparison_free);
}

static void
set_busy (HsCompareWindow *self,
          gboolean         busy)
{
  g_assert (HS_IS_COMPARE_WINDOW (self));

  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

/* Where the window's own run was, else the first step that differs. */
static guint
first_pair_to_show (HsTraceComparison *comparison,
                    guint              start_step)
{
  guint n = hs_trace_comparison_get_n_pairs (comparison);
  guint found = HS_TRACE_COMPARE_NONE;

  g_assert (comparison != NULL);

  if (n == 0)
    return 0;
  for (guint i = 0; i < n && start_step != HS_TRACE_COMPARE_NONE; i++)
    {
      guint left = hs_trace_comparison_get_pair (comparison, i).left;

      if (left != HS_TRACE_COMPARE_NONE && left <= start_step)
        found = i;
    }
  if (found != HS_TRACE_COMPARE_NONE)
    return found;
  if (hs_trace_comparison_get_diffs (comparison, 0)->len > 0)
    return 0;
  n = hs_trace_comparison_find_diff (comparison, 0, FALSE);
  return n == HS_TRACE_COMPARE_NONE ? 0 : n;
}

static void
runs_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  HsCompareWindow *self = HS_COMPARE_WINDOW (object);
  g_autoptr(GError) error = NULL;
  HsTraceComparison *comparison;

  g_assert (HS_IS_COMPARE_WINDOW (self));

  /* the task kept the window alive; its widgets are gone */
  if (self->closed)
    return;
  set_busy (self, FALSE);
  if (self->rerun)
    {
      self->rerun = FALSE;
      start_runs (self);
      return;
    }

  if (!(comparison = g_task_propagate_pointer (G_TASK (result), &error)))
    {
      adw_status_page_set_icon_name (self->status_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->status_page, _("Cannot Compare the Runs"));
      adw_status_page_set_description (self->status_page, error->message);
      return;
    }

  /* The graphs borrow from the old traces: let go first. */
  hs_graph_view_set_step (self->left_view, NULL, NULL, FALSE);
  hs_graph_view_set_step (self->right_view, NULL, NULL, FALSE);
  g_clear_pointer (&self->comparison, hs_trace_comparison_free);
  self->comparison = comparison;
  gtk_adjustment_set_upper (self->timeline_adjustment,
                            MAX (hs_trace_comparison_get_n_pairs (comparison), 1) - 1);
  gtk_stack_set_visible_child_name (self->stack, "compare");
  self->pair = G_MAXUINT;
  hs_compare_window_show_pair (self, first_pair_to_show (comparison, self->start_step));
  self->start_step = HS_TRACE_COMPARE_NONE;
}

static void
start_runs (HsCompareWindow *self)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_assert (HS_IS_COMPARE_WINDOW (self));

  if (self->busy)
    {
      self->rerun = TRUE;
      for (guint i = 0; i < 2; i++)
        hs_runner_stop (self->runners[i]);
      return;
    }

  data = g_new0 (RunData, 1);
  data->versions[0] = g_strdup (selected_version (self, self->left_dropdown));
  data->versions[1] = g_strdup (selected_version (self, self->right_dropdown));
  for (guint i = 0; i < 2; i++)
    data->runners[i] = g_object_ref (self->runners[i]);
  data->path = g_strdup (self->path);
  data->text = g_strdup (self->text);
  hs_run_options_init (&data->options);
  data->options.max_elements = self->max_elements;

  adw_status_page_set_icon_name (self->status_page, "system-run-symbolic");
  adw_status_page_set_title (self->status_page, _("Running the Snippet Twice"));
  adw_status_page_set_description (self->status_page, NULL);
  if (self->comparison == NULL)
    gtk_stack_set_visible_child_name (self->stack, "running");
  set_busy (self, TRUE);

  task = g_task_new (self, NULL, runs_done_cb, NULL);
  g_task_set_source_tag (task, start_runs);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}

static void
versions_changed_cb (HsCompareWindow *self)
{
  g_assert (HS_IS_COMPARE_WINDOW (self));

  if (!self->updating && self->path != NULL)
    start_runs (self);
}

void
hs_compare_window_set_versions (HsCompareWindow *self,
                                const char      *left_version,
                                const char      *right_version)
{
  const char *versions[2] = { left_version, right_version };
  GtkDropDown *dropdowns[2];

  g_return_if_fail (HS_IS_COMPARE_WINDOW (self));

  dropdowns[0] = self->left_dropdown;
  dropdowns[1] = self->right_dropdown;
  self->updating = TRUE;
  for (guint i = 0; i < 2; i++)
    for (guint v = 0; self->pythons[v] != NULL; v++)
      if (g_strcmp0 (self->pythons[v], versions[i]) == 0)
        gtk_drop_down_set_selected (dropdowns[i], v);
  self->updating = FALSE;
  start_runs (self);
}

/* A side with no step at this pair keeps showing its step before. */
static guint
side_step (HsCompareWindow *self,
           guint            pair,
           gboolean         right)
{
  g_assert (HS_IS_COMPARE_WINDOW (self));

  for (guint i = pair + 1; i > 0; i--)
    {
      HsStepPair p = hs_trace_comparison_get_pair (self->comparison, i - 1);
      guint step = right ? p.right : p.left;

      if (step != HS_TRACE_COMPARE_NONE)
        return step;
    }
  return HS_TRACE_COMPARE_NONE;
}

static void
show_side (HsCompareWindow *self,
           gboolean         right,
           guint            own_step)
{
  HsTrace *trace = right ? hs_trace_comparison_get_right (self->comparison)
                         : hs_trace_comparison_get_left (self->comparison);
  HsGraphView *view = right ? self->right_view : self->left_view;
  GtkLabel *heading = right ? self->right_heading : self->left_heading;
  guint step = side_step (self, self->pair, right);
  g_autoptr(HsSnapshot) snapshot = NULL;
  g_autofree char *text = NULL;
  g_autofree char *number = hs_format_count ((gint64) step + 1);
  const char *version = hs_trace_get_python_version (trace);

  g_assert (HS_IS_COMPARE_WINDOW (self));

  if (step != HS_TRACE_COMPARE_NONE)
    snapshot = hs_trace_get_snapshot (trace, step);
  hs_graph_view_set_step (view, trace, snapshot, FALSE);

  if (snapshot == NULL)
    /* Translators: the heading of one side of the compare view */
    text = g_strdup_printf (_("Python %s · before its first step"), version);
  else if (hs_snapshot_get_event (snapshot) == HS_EVENT_END)
    /* Translators: the heading of one side of the compare view, at the run's last step */
    text = g_strdup_printf (_("Python %s · step %s, the end"), version, number);
  else if (own_step == HS_TRACE_COMPARE_NONE)
    /* Translators: this run has no step matching the other's; the
     * second %s is the step's number, %u its line */
    text = g_strdup_printf (_("Python %s · step %s, line %u (no matching step)"), version,
                            number, hs_snapshot_get_line (snapshot));
  else
    /* Translators: the heading of one side of the compare view; the
     * second %s is the step's number, %u its line */
    text = g_strdup_printf (_("Python %s · step %s, line %u"), version,
                            number, hs_snapshot_get_line (snapshot));
  gtk_label_set_text (heading, text);
}

/* An immortal difference is named by the run whose object carries the
 * flag: 3.11 calls it static, 3.12 and later immortal. */
static const char *
kind_label (HsCompareWindow   *self,
            const HsTraceDiff *diff,
            HsStepPair         pair)
{
  HsTrace *left = hs_trace_comparison_get_left (self->comparison);
  HsTrace *right = hs_trace_comparison_get_right (self->comparison);
  gboolean left_flagged = FALSE;

  g_assert (HS_IS_COMPARE_WINDOW (self));
  g_assert (diff != NULL);

  if (diff->kind != HS_TRACE_DIFF_IMMORTAL)
    return hs_describe_diff_kind (diff->kind, NULL);

  if (diff->left_ref != 0 && pair.left != HS_TRACE_COMPARE_NONE)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (left, pair.left);
      const HsObject *object = hs_snapshot_lookup (snapshot, diff->left_ref);

      left_flagged = object != NULL && (object->flags & HS_OBJECT_IMMORTAL);
    }
  return hs_describe_diff_kind (diff->kind, hs_trace_get_python_version (left_flagged ? left : right));
}

static GtkWidget *
diff_row (HsCompareWindow   *self,
          const HsTraceDiff *diff,
          HsStepPair         pair)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *kind = gtk_label_new (kind_label (self, diff, pair));
  g_autofree char *subtitle = NULL;
  const char *left = hs_trace_get_python_version (hs_trace_comparison_get_left (self->comparison));
  const char *right = hs_trace_get_python_version (hs_trace_comparison_get_right (self->comparison));

  g_assert (HS_IS_COMPARE_WINDOW (self));
  g_assert (diff != NULL);

  /* Translators: what each interpreter shows, e.g. "3.11.2: refcount 2 · 3.13.0: refcount 1" */
  subtitle = g_strdup_printf (_("%s: %s  ·  %s: %s"), left, diff->left, right, diff->right);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), diff->subject);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (row, "monospace-title");
  gtk_widget_add_css_class (kind, "compare-kind");
  gtk_widget_add_css_class (kind, "caption");
  gtk_widget_set_valign (kind, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), kind);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), diff->left_ref != 0 || diff->right_ref != 0);
  g_object_set_data (G_OBJECT (row), "hs-diff", (gpointer) diff);
  return row;
}

static void
update_actions (HsCompareWindow *self)
{
  guint n;

  g_assert (HS_IS_COMPARE_WINDOW (self));

  n = self->comparison ? hs_trace_comparison_get_n_pairs (self->comparison) : 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.step-back", n > 0 && self->pair > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.step-forward", self->pair + 1 < n);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.previous-difference", n > 0 && self->pair > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.next-difference", self->pair + 1 < n);
}

void
hs_compare_window_show_pair (HsCompareWindow *self,
                             guint            pair)
{
  HsStepPair p;
  GPtrArray *diffs;
  GtkWidget *child;
  g_autofree char *label = NULL;
  g_autofree char *position = NULL;
  g_autofree char *total = NULL;
  g_autofree char *count = NULL;
  guint n;

  g_return_if_fail (HS_IS_COMPARE_WINDOW (self));
  g_return_if_fail (self->comparison != NULL);

  n = hs_trace_comparison_get_n_pairs (self->comparison);
  if (n == 0 || pair >= n || pair == self->pair)
    return;
  self->pair = pair;
  p = hs_trace_comparison_get_pair (self->comparison, pair);
  show_side (self, FALSE, p.left);
  show_side (self, TRUE, p.right);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->diff_list))))
    gtk_list_box_remove (self->diff_list, child);
  diffs = hs_trace_comparison_get_diffs (self->comparison, pair);
  for (guint i = 0; i < diffs->len; i++)
    gtk_list_box_append (self->diff_list, diff_row (self, g_ptr_array_index (diffs, i), p));
  self->n_rows = diffs->len;
  if (diffs->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing differs at this step"));
      gtk_list_box_append (self->diff_list, row);
    }

  /* Translators: the compare view's position, e.g. "Step 4 of 12 · 2 differences" */
  position = hs_format_count ((gint64) pair + 1);
  total = hs_format_count (n);
  count = hs_format_count (diffs->len);
  label = g_strdup_printf (ngettext ("Step %s of %s · %s difference", "Step %s of %s · %s differences", diffs->len),
                           position, total, count);
  gtk_label_set_text (self->step_label, label);
  self->updating = TRUE;
  gtk_adjustment_set_value (self->timeline_adjustment, pair);
  self->updating = FALSE;
  update_actions (self);
}

static void
timeline_changed_cb (HsCompareWindow *self)
{
  g_assert (HS_IS_COMPARE_WINDOW (self));

  if (!self->updating && self->comparison != NULL)
    hs_compare_window_show_pair (self, (guint) gtk_adjustment_get_value (self->timeline_adjustment));
}

static void
diff_activated_cb (HsCompareWindow *self,
                   GtkListBoxRow   *row)
{
  const HsTraceDiff *diff = g_object_get_data (G_OBJECT (row), "hs-diff");

  g_assert (HS_IS_COMPARE_WINDOW (self));

  if (diff == NULL)
    return;
  if (diff->left_ref != 0)
    hs_graph_view_select_object (self->left_view, diff->left_ref, FALSE);
  if (diff->right_ref != 0)
    hs_graph_view_select_object (self->right_view, diff->right_ref, FALSE);
}

/* compare.step-forward and the others: one action, the direction and the
 * kind of move in its name. */
static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HsCompareWindow *self = HS_COMPARE_WINDOW (widget);
  guint target;

  g_assert (HS_IS_COMPARE_WINDOW (self));

  if (self->comparison == NULL)
    return;
  if (g_str_equal (action_name, "compare.step-forward"))
    target = self->pair + 1;
  else if (g_str_equal (action_name, "compare.step-back"))
    target = self->pair > 0 ? self->pair - 1 : HS_TRACE_COMPARE_NONE;
  else
    target = hs_trace_comparison_find_diff (self->comparison, self->pair,
                                            g_str_equal (action_name, "compare.previous-difference"));
  if (target != HS_TRACE_COMPARE_NONE)
    hs_compare_window_show_pair (self, target);
}

static gboolean
hs_compare_window_close_request (GtkWindow *window)
{
  HsCompareWindow *self = HS_COMPARE_WINDOW (window);

  /* A run under way ends now; its result goes nowhere. */
  self->rerun = FALSE;
  self->closed = TRUE;
  for (guint i = 0; i < 2; i++)
    hs_runner_stop (self->runners[i]);
  return GTK_WINDOW_CLASS (hs_compare_window_parent_class)->close_request (window);
}

static void
hs_compare_window_dispose (GObject *object)
{
  HsCompareWindow *self = HS_COMPARE_WINDOW (object);

  self->closed = TRUE;
  for (guint i = 0; i < 2; i++)
    if (self->runners[i] != NULL)
      hs_runner_stop (self->runners[i]);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_COMPARE_WINDOW);
  g_clear_pointer (&self->comparison, hs_trace_comparison_free);
  for (guint i = 0; i < 2; i++)
    g_clear_object (&self->runners[i]);
  G_OBJECT_CLASS (hs_compare_window_parent_class)->dispose (object);
}

/* The copy of the text the two runs read, and its folder */
static void
remove_copy (HsCompareWindow *self)
{
  g_assert (HS_IS_COMPARE_WINDOW (self));

  if (self->tmpdir != NULL)
    {
      g_unlink (self->path);
      g_rmdir (self->tmpdir);
      g_clear_pointer (&self->tmpdir, g_free);
      g_clear_pointer (&self->path, g_free);
    }
}

/* The app ends without asking (a signal): the copy goes now, as a run
 * still under way holds the window past the app's end, and its
 * finalize never comes. */
void
hs_compare_window_end_session (HsCompareWindow *self)
{
  g_return_if_fail (HS_IS_COMPARE_WINDOW (self));

  remove_copy (self);
}

static void
hs_compare_window_finalize (GObject *object)
{
  HsCompareWindow *self = HS_COMPARE_WINDOW (object);

  remove_copy (self);
  g_free (self->path);   /* a saved file's, which remove_copy() leaves */
  g_free (self->text);
  g_strfreev (self->pythons);
  G_OBJECT_CLASS (hs_compare_window_parent_class)->finalize (object);
}

static void
hs_compare_window_class_init (HsCompareWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  static const char *moves[] = {
    "compare.step-forward", "compare.step-back", "compare.next-difference", "compare.previous-difference",
  };
  static const guint keys[] = { GDK_KEY_Right, GDK_KEY_Left, GDK_KEY_Page_Down, GDK_KEY_Page_Up };

  object_class->dispose = hs_compare_window_dispose;
  object_class->finalize = hs_compare_window_finalize;
  window_class->close_request = hs_compare_window_close_request;

  g_type_ensure (HS_TYPE_GRAPH_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heapscope/Heapscope/hs-compare-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HsCompareWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HsCompareWindow, left_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HsCompareWindow, right_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HsCompareWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, HsCompareWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HsCompareWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, HsCompareWindow, left_heading);
  gtk_widget_class_bind_template_child (widget_class, HsCompareWindow, right_heading);
  gtk_widget_class_bind_template_child (widget_class, HsCompareWindow, left_view);
  gtk_widget_class_bind_template_child (widget_class, HsCompareWindow, right_view);
  gtk_widget_class_bind_template_child (widget_class, HsCompareWindow, timeline_adjustment);
  gtk_widget_class_bind_template_child (widget_class, HsCompareWindow, step_label);
  gtk_widget_class_bind_template_child (widget_class, HsCompareWindow, diff_list);
  gtk_widget_class_bind_template_callback (widget_class, versions_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, timeline_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, diff_activated_cb);

  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    {
      gtk_widget_class_install_action (widget_class, moves[i], NULL, move_action);
      gtk_widget_class_add_binding_action (widget_class, keys[i], GDK_ALT_MASK, moves[i], NULL);
    }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
hs_compare_window_init (HsCompareWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->pythons = hs_interpreters_list ();
  for (guint i = 0; self->pythons[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf (_("Python %s"), self->pythons[i]);

      gtk_string_list_append (names, name);
    }
  self->updating = TRUE;
  gtk_drop_down_set_model (self->left_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_model (self->right_dropdown, G_LIST_MODEL (names));
  self->updating = FALSE;
  for (guint i = 0; i < 2; i++)
    self->runners[i] = hs_runner_new ();
  self->pair = G_MAXUINT;
  self->start_step = HS_TRACE_COMPARE_NONE;
  update_actions (self);
}

GtkWindow *
hs_compare_window_new (GtkWindow  *parent,
                       const char *title,
                       const char *path,
                       const char *text,
                       const char *left_version,
                       const char *right_version,
                       guint       max_elements,
                       guint       start_step)
{
  HsCompareWindow *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (path != NULL || text != NULL, NULL);

  self = g_object_new (HS_TYPE_COMPARE_WINDOW,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  if (parent != NULL)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
  adw_window_title_set_subtitle (self->window_title, title);
  self->max_elements = max_elements;
  self->start_step = start_step;

  if (path != NULL)
    {
      self->path = g_strdup (path);
      self->text = g_strdup (text);
    }
  else if ((self->tmpdir = g_dir_make_tmp ("heapscope-compare-XXXXXX", &error)) != NULL)
    {
      self->path = g_build_filename (self->tmpdir, "snippet.py", NULL);
      if (!g_file_set_contents (self->path, text, -1, &error))
        g_clear_pointer (&self->path, g_free);
    }

  if (self->path == NULL)
    {
      adw_status_page_set_icon_name (self->status_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->status_page, _("Cannot Compare the Runs"));
      adw_status_page_set_description (self->status_page, error->message);
      return GTK_WINDOW (self);
    }
  hs_compare_window_set_versions (self, left_version, right_version);
  return GTK_WINDOW (self);
}

gboolean
hs_compare_window_get_busy (HsCompareWindow *self)
{
  g_return_val_if_fail (HS_IS_COMPARE_WINDOW (self), FALSE);
  return self->busy;
}

HsTraceComparison *
hs_compare_window_get_comparison (HsCompareWindow *self)
{
  g_return_val_if_fail (HS_IS_COMPARE_WINDOW (self), NULL);
  return self->comparison;
}

guint
hs_compare_window_get_pair (HsCompareWindow *self)
{
  g_return_val_if_fail (HS_IS_COMPARE_WINDOW (self), 0);
  return self->pair;
}

guint
hs_compare_window_get_n_rows (HsCompareWindow *self)
{
  g_return_val_if_fail (HS_IS_COMPARE_WINDOW (self), 0);
  return self->n_rows;
}
