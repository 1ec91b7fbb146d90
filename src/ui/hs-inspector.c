/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-inspector"

#include "config.h"

#include <glib/gi18n.h>

#include "hs-describe.h"
#include "hs-inspector.h"
#include "hs-layout.h"
#include "hs-object-history.h"

/* The history's rows shown: the newest */
#define MAX_HISTORY_ROWS 100

struct _HsInspector
{
  AdwBin      parent_instance;

  GtkStack   *stack;
  GtkBox     *compare_box;
  GtkListBox *compare_list;
  GtkBox     *objects_box;

  HsSnapshot *snapshot;
  guint       n_selected;
  guint32     refs[2];
  char       *names[2];
  char       *equality_expression;
  char       *equality_result;
  char       *python_version;
  char       *refcount_rule;  /* shown for the first selected object */

  /* The history of the first selected object, read in a thread */
  HsTrace         *trace;
  char            *source;
  HsObjectHistory *history;
  GCancellable    *history_cancellable;
  guint32          history_ref;   /* being read, or read */
};

G_DEFINE_FINAL_TYPE (HsInspector, hs_inspector, ADW_TYPE_BIN)

static GtkWidget *
fact_row (const char *title,
          const char *value,
          gboolean    monospace)
{
  GtkWidget *row = adw_action_row_new ();

  /* before the text: a title like "<module>" is not markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_add_css_class (row, "property");
  if (monospace)
    gtk_widget_add_css_class (row, "monospace-subtitle");
  return row;
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)))
    {
      if (GTK_IS_LIST_BOX (box))
        gtk_list_box_remove (GTK_LIST_BOX (box), child);
      else
        gtk_box_remove (GTK_BOX (box), child);
    }
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static GtkWidget *
boxed_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  return list;
}

static GtkWidget *
reference_row (const char *title,
               const char *count,
               gboolean    monospace)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (count);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (monospace)
    gtk_widget_add_css_class (row, "monospace-title");
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static GtkWidget *
rule_row (const char *rule)
{
  GtkWidget *row = adw_action_row_new ();

  g_assert (rule != NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), rule);
  gtk_widget_add_css_class (row, "refcount-rule");
  return row;
}

/* "Why is the refcount N?": every reference, one row each, adding up. */
static void
add_breakdown (HsInspector *self,
               GtkWidget   *section,
               guint32      ref)
{
  g_autoptr(HsRefcountBreakdown) breakdown = hs_describe_refcount_breakdown (self->snapshot, ref);
  g_autofree char *title = NULL;
  g_autofree char *other = NULL;
  g_autofree char *count = NULL;
  g_autofree char *rule = NULL;
  const HsObject *object;
  GtkWidget *list;

  if (breakdown == NULL)
    return;

  object = hs_snapshot_lookup (self->snapshot, ref);
  rule = object ? hs_describe_refcount_rule (self->python_version, object) : NULL;
  if (rule == NULL && breakdown->immortal)
    rule = g_strdup (_("This object is immortal: its refcount is a marker, not a count of references."));

  list = boxed_list ();
  gtk_widget_set_margin_top (list, 6);
  /* An immortal object's count is explained by the rule first; what the
   * count minus the drawn references leaves would be a meaningless number. */
  if (breakdown->immortal)
    gtk_list_box_append (GTK_LIST_BOX (list), rule_row (rule));
  for (guint i = 0; i < breakdown->drawn->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), reference_row (g_ptr_array_index (breakdown->drawn, i), "1", TRUE));
  for (guint i = 0; i < breakdown->named->len; i++)
    {
      g_autofree char *n = hs_format_count (g_array_index (breakdown->named_counts, guint, i));

      gtk_list_box_append (GTK_LIST_BOX (list), reference_row (g_ptr_array_index (breakdown->named, i), n, FALSE));
    }
  if (!breakdown->immortal)
    {
      GtkWidget *row;

      other = hs_format_count (breakdown->other);
      row = reference_row (_("Other internal references"), other, FALSE);
      /* what the runtime cannot point at */
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("For example containers the graph does not draw, caches kept by modules or by the interpreter"));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      if (rule != NULL)
        gtk_list_box_append (GTK_LIST_BOX (list), rule_row (rule));
    }
  if (self->refcount_rule == NULL)
    self->refcount_rule = g_steal_pointer (&rule);

  /* Translators: heading over the list of every reference to an object */
  count = hs_format_count (breakdown->refcount);
  if (breakdown->immortal)
    /* Translators: heading over the references to an immortal object */
    title = g_strdup (_("Why is the refcount so high?"));
  else
    title = g_strdup_printf (_("Why is the refcount %s?"), count);
  gtk_box_append (GTK_BOX (section), heading (title));
  gtk_box_append (GTK_BOX (section), list);
}

static GtkWidget *
step_row (const char *title,
          const char *subtitle,
          guint       step)
{
  GtkWidget *row;

  g_assert (title != NULL);

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.go-to-step");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_uint32 (step));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-jump-symbolic"));
  return row;
}

/* "Changed [0] through b", "Held by a[1]", "Freed" */
static char *
history_title (const HsHistoryEntry *entry)
{
  g_assert (entry != NULL);

  switch (entry->kind)
    {
    case HS_HISTORY_CREATED:
      if (entry->what == NULL)
        return g_strdup (entry->allocated ? _("Created") : _("First seen"));
      /* Translators: %s names who first held the new object: "a", "p.items" */
      return g_strdup_printf (entry->allocated ? _("Created for %s") : _("First seen in %s"), entry->what);
    case HS_HISTORY_GAINED:
      /* Translators: %s names a variable or a slot: "b", "a[1]" */
      return g_strdup_printf (_("Held by %s"), entry->what);
    case HS_HISTORY_LOST:
      /* Translators: %s names a variable or a slot that let go of the object */
      return g_strdup_printf (_("No longer held by %s"), entry->what);
    case HS_HISTORY_MUTATED:
      if (entry->through != NULL)
        /* Translators: the first %s is a slot ("[0]", ".name"), the second
         * the name the line used ("b", "self.items") */
        return g_strdup_printf (_("Changed %s through %s"), entry->what, entry->through);
      /* Translators: %s is a slot ("[0]", ".name") */
      return g_strdup_printf (_("Changed %s"), entry->what);
    case HS_HISTORY_FREED:
    default:
      return g_strdup (entry->cause == HS_FREE_GC ? _("Freed by the garbage collector") : _("Freed"));
    }
}

/* "Line 9 in add · step 41" */
static char *
history_subtitle (const HsHistoryEntry *entry)
{
  g_autofree char *step = NULL;

  g_assert (entry != NULL);

  step = hs_format_count (entry->step);
  if (entry->line == 0)
    /* Translators: %s is a step number */
    return g_strdup_printf (_("Step %s"), step);
  if (entry->function != NULL && g_strcmp0 (entry->function, "<module>") != 0)
    /* Translators: a line number, the function it is in, a step number */
    return g_strdup_printf (_("Line %u in %s · step %s"), entry->line, entry->function, step);
  /* Translators: a line number, then a step number */
  return g_strdup_printf (_("Line %u · step %s"), entry->line, step);
}

static gboolean
history_is_current (HsInspector *self)
{
  g_assert (HS_IS_INSPECTOR (self));

  return self->history != NULL && self->n_selected > 0 &&
         hs_object_history_get_ref (self->history) == self->refs[0];
}

/* "Who changed this?": the newest line that changed it up to this step,
 * one click away */
static void
add_last_change (HsInspector *self,
                 GtkWidget   *list)
{
  const HsHistoryEntry *entry;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *text = NULL;
  GtkWidget *row;

  g_assert (HS_IS_INSPECTOR (self));
  g_assert (GTK_IS_LIST_BOX (list));

  if (!history_is_current (self))
    return;
  entry = hs_object_history_last_change (self->history, hs_snapshot_get_index (self->snapshot));
  if (entry == NULL)
    return;
  title = history_title (entry);
  subtitle = history_subtitle (entry);
  text = g_strdup_printf ("%s — %s", title, subtitle);
  row = step_row (_("Who Changed This?"), text, entry->step);
  gtk_widget_set_name (row, "who-changed-row");
  gtk_widget_set_tooltip_text (row, _("Go to the step after the last line that changed it"));
  gtk_list_box_append (GTK_LIST_BOX (list), row);
}

static void
add_history (HsInspector *self,
             GtkWidget   *section)
{
  guint now = hs_snapshot_get_index (self->snapshot);
  GtkWidget *list;

  g_assert (HS_IS_INSPECTOR (self));
  g_assert (GTK_IS_BOX (section));

  if (self->trace == NULL)
    return;
  list = boxed_list ();
  gtk_widget_set_name (list, "history-list");
  gtk_box_append (GTK_BOX (section), heading (_("History")));
  if (!history_is_current (self))
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *spinner = gtk_spinner_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Reading the run…"));
      gtk_spinner_start (GTK_SPINNER (spinner));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spinner);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      gtk_box_append (GTK_BOX (section), list);
      return;
    }

  for (guint i = 0; i < hs_object_history_get_n_entries (self->history); i++)
    {
      const HsHistoryEntry *entry = hs_object_history_get_entry (self->history, i);
      g_autofree char *title = history_title (entry);
      g_autofree char *subtitle = history_subtitle (entry);
      GtkWidget *row;

      if (i == MAX_HISTORY_ROWS && entry->kind != HS_HISTORY_CREATED)
        {
          guint64 rest = hs_object_history_get_n_entries (self->history) - 1 - i +
                         hs_object_history_get_n_dropped (self->history);
          g_autofree char *n = hs_format_count (rest);
          g_autofree char *text = NULL;

          /* Translators: %s is a number of older entries of the history not listed */
          text = g_strdup_printf (_("… %s more"), n);
          gtk_list_box_append (GTK_LIST_BOX (list), fact_row (text, NULL, FALSE));
          i = hs_object_history_get_n_entries (self->history) - 1;
          entry = hs_object_history_get_entry (self->history, i);
          g_free (title);
          g_free (subtitle);
          title = history_title (entry);
          subtitle = history_subtitle (entry);
        }
      row = step_row (title, subtitle, entry->step);
      /* what has not happened yet at the step shown */
      if (entry->step > now)
        gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  gtk_box_append (GTK_BOX (section), list);
}

/* Every name and path that reaches it, as a program would spell it */
static void
add_paths (HsInspector *self,
           GtkWidget   *section,
           guint32      ref)
{
  g_autoptr(HsObjectPaths) paths = hs_describe_paths (self->snapshot, ref, HS_DESCRIBE_MAX_PATHS, HS_DESCRIBE_MAX_PATH_DEPTH);
  GtkWidget *list, *button;

  g_assert (HS_IS_INSPECTOR (self));
  g_assert (GTK_IS_BOX (section));

  if (paths->paths->len == 0)
    return;

  list = boxed_list ();
  gtk_widget_set_name (list, "paths-list");
  for (guint i = 0; i < paths->paths->len; i++)
    {
      const HsObjectPath *path = g_ptr_array_index (paths->paths, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), path->text);
      gtk_widget_add_css_class (row, "monospace-title");
      if (path->frame > 0)
        {
          /* Translators: %s is the function whose variable the path starts at */
          g_autofree char *where = g_strdup_printf (_("in %s"), path->function);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);
        }
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  if (paths->more)
    gtk_list_box_append (GTK_LIST_BOX (list), fact_row (_("… more"), _("Longer paths and more of them are not listed"), FALSE));

  gtk_box_append (GTK_BOX (section), heading (_("Reached Through")));
  gtk_box_append (GTK_BOX (section), list);
  if (ref == self->refs[0])
    {
      /* under the list, not beside the heading, which it cut short */
      button = gtk_button_new_with_label (_("Select All Holders"));
      gtk_widget_set_name (button, "select-holders-button");
      gtk_widget_set_halign (button, GTK_ALIGN_END);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.select-holders");
      gtk_widget_set_tooltip_text (button, _("Outline every object on these paths in the graph (Alt+H)"));
      gtk_box_append (GTK_BOX (section), button);
    }
}

static void
add_object (HsInspector *self,
            guint32      ref,
            const char  *name)
{
  const HsObject *object = hs_snapshot_lookup (self->snapshot, ref);
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;
  g_autofree char *refcount = NULL;
  g_autofree char *size = NULL;
  g_autofree char *flags = NULL;
  GtkWidget *section, *list, *more;

  if (object == NULL)
    return;

  section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  list = boxed_list ();
  more = boxed_list ();

  if (name != NULL)
    title = g_strdup_printf (_("Variable “%s”"), name);
  else
    title = hs_describe_a_type (object->type);
  gtk_box_append (GTK_BOX (section), heading (title));

  /* id() is a name more than a count: written as Python prints it, so
   * that it can be compared with the program's output and searched for. */
  id = g_strdup_printf ("%" G_GUINT64_FORMAT, object->id);
  /* The number alone: "Why is the refcount N?" below splits it. */
  refcount = hs_format_count (object->refcount);
  size = hs_describe_size (object);
  flags = hs_describe_flags (self->python_version, object->flags);

  gtk_list_box_append (GTK_LIST_BOX (list), fact_row (_("Value"), object->repr, TRUE));
  gtk_list_box_append (GTK_LIST_BOX (list), fact_row (_("Type"), object->type, TRUE));
  gtk_list_box_append (GTK_LIST_BOX (list), fact_row ("id()", id, TRUE));
  gtk_list_box_append (GTK_LIST_BOX (list), fact_row (_("Reference Count"), refcount, FALSE));
  /* The rest goes below "Why is the refcount N?": that explanation is
   * what a learner selects an object for, and at 1024x600 it fell below
   * the inspector's fold, under size, len(), facts and Watch. */
  gtk_list_box_append (GTK_LIST_BOX (more), fact_row (_("Size"), size, FALSE));
  if (object->flags & HS_OBJECT_CONTAINER)
    {
      g_autofree char *length = NULL;
      HsLayoutOptions cut;
      GtkWidget *row;

      g_autofree char *n = hs_format_count (object->length);
      g_autofree char *omitted = hs_format_count (object->omitted);

      if (object->omitted > 0)
        /* Translators: a container's len(), then how many of its items the runtime left out */
        length = g_strdup_printf (_("%s (%s not reported)"), n, omitted);
      else
        length = g_steal_pointer (&n);
      row = fact_row ("len()", length, FALSE);
      hs_layout_options_init (&cut);
      /* win.show-more acts on the first selected object, as "… N more"
       * in its box does; the graph cuts longer containers short */
      if (ref == self->refs[0] && object->length > cut.max_cells + cut.tail_cells)
        {
          GtkWidget *button = gtk_button_new_with_label (_("Show More"));

          gtk_widget_set_name (button, "show-more-button");
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.show-more");
          gtk_widget_set_tooltip_text (button, _("Show more entries of this container in the graph (Ctrl+M)"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      gtk_list_box_append (GTK_LIST_BOX (more), row);
    }
  {
    GtkWidget *row = fact_row (_("Facts"), flags, FALSE);
    GString *tips = g_string_new (NULL);
    static const guint32 badges[] = { HS_OBJECT_SMALL_INT, HS_OBJECT_INTERNED,
                                      HS_OBJECT_IMMORTAL, HS_OBJECT_GC_TRACKED };

    /* Each badge explains itself in one sentence. */
    for (guint i = 0; i < G_N_ELEMENTS (badges); i++)
      if (object->flags & badges[i])
        {
          g_autofree char *tip = hs_describe_flag_tooltip (self->python_version, object->flags, badges[i]);

          g_string_append_printf (tips, "%s%s", tips->len ? "\n" : "", tip);
        }
    if (tips->len > 0)
      gtk_widget_set_tooltip_text (row, tips->str);
    g_string_free (tips, TRUE);
    gtk_list_box_append (GTK_LIST_BOX (more), row);
  }
  if (ref == self->refs[0])
    {
      /* win.watch watches the first selected object: this one. */
      GtkWidget *row = fact_row (_("Watch"), _("Continue and autoplay stop where it changes or is freed"), FALSE);
      GtkWidget *button = gtk_button_new_with_label (_("Watch"));

      gtk_widget_set_name (button, "watch-button");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.watch");
      gtk_widget_set_tooltip_text (button, _("Watch this object, or stop watching it (Alt+W)"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (GTK_LIST_BOX (more), row);
    }
  if (ref == self->refs[0])
    add_last_change (self, list);
  gtk_box_append (GTK_BOX (section), list);
  add_breakdown (self, section, ref);
  add_paths (self, section, ref);
  gtk_box_append (GTK_BOX (section), more);
  if (ref == self->refs[0])
    add_history (self, section);

  gtk_box_append (self->objects_box, section);
}

static void
update_comparison (HsInspector *self)
{
  const HsObject *a, *b;
  g_autofree char *is_expr = NULL;
  g_autofree char *eq_expr = NULL;
  const char *name_a, *name_b;
  GtkWidget *row;

  clear_box (GTK_WIDGET (self->compare_list));
  gtk_widget_set_visible (GTK_WIDGET (self->compare_box), self->n_selected == 2);
  if (self->n_selected != 2)
    return;

  a = hs_snapshot_lookup (self->snapshot, self->refs[0]);
  b = hs_snapshot_lookup (self->snapshot, self->refs[1]);
  if (a == NULL || b == NULL)
    return;

  name_a = self->names[0] ? self->names[0] : "a";
  name_b = self->names[1] ? self->names[1] : "b";

  /* Identity is the object's id(), which the runtime reports. */
  is_expr = g_strdup_printf ("%s is %s", name_a, name_b);
  gtk_list_box_append (self->compare_list, fact_row (is_expr, a->id == b->id ? "True" : "False", TRUE));

  /* Equality runs user code (__eq__), so only the runtime can answer. */
  eq_expr = g_strdup_printf ("%s == %s", name_a, name_b);
  if (self->names[0] != NULL && self->names[1] != NULL &&
      g_strcmp0 (self->equality_expression, eq_expr) == 0 && self->equality_result != NULL)
    row = fact_row (eq_expr, self->equality_result, TRUE);
  else if (self->names[0] != NULL && self->names[1] != NULL)
    {
      GtkWidget *button = gtk_button_new_with_label (_("Ask Python"));

      /* Translators: beside "Ask Python"; "its" is the == expression the
       * row's title shows.  (Not the expression again, in monospace:
       * beside the button at 1024x600 it wrapped a word to a line.) */
      row = fact_row (eq_expr, _("prints its value in the program"), FALSE);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.compare");
      gtk_widget_set_tooltip_text (button, _("Run the comparison in the live program and add it to the snippet"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  else
    row = fact_row (eq_expr, _("select two variables to ask the program"), TRUE);
  gtk_list_box_append (self->compare_list, row);
}

static void
update (HsInspector *self)
{
  g_assert (HS_IS_INSPECTOR (self));

  clear_box (GTK_WIDGET (self->objects_box));
  g_clear_pointer (&self->refcount_rule, g_free);

  if (self->snapshot == NULL || self->n_selected == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      gtk_widget_set_visible (GTK_WIDGET (self->compare_box), FALSE);
      return;
    }

  for (guint i = 0; i < self->n_selected; i++)
    add_object (self, self->refs[i], self->names[i]);
  update_comparison (self);

  gtk_stack_set_visible_child_name (self->stack, "details");
}

static void
history_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HsInspector) self = user_data;
  g_autoptr(GError) error = NULL;
  HsObjectHistory *history = hs_object_history_new_finish (result, &error);

  g_assert (HS_IS_INSPECTOR (self));

  /* cancelled: another selection or trace replaced it */
  if (history == NULL)
    return;
  g_clear_object (&self->history_cancellable);
  if (hs_object_history_get_ref (history) != self->history_ref)
    {
      hs_object_history_free (history);
      return;
    }
  g_clear_pointer (&self->history, hs_object_history_free);
  self->history = history;
  update (self);
}

/* Reads the first selected object's history over the whole run, once
 * for each object and each length of the run */
static void
start_history (HsInspector *self)
{
  guint32 ref = self->n_selected > 0 ? self->refs[0] : 0;
  guint n_steps;

  g_assert (HS_IS_INSPECTOR (self));

  n_steps = self->trace ? hs_trace_get_n_steps (self->trace) : 0;
  if (ref != 0 && ref == self->history_ref &&
      (self->history_cancellable != NULL ||
       (self->history != NULL && hs_object_history_get_n_steps (self->history) == n_steps)))
    return;

  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  if (ref != self->history_ref)
    g_clear_pointer (&self->history, hs_object_history_free);
  self->history_ref = ref;
  if (ref == 0 || n_steps == 0)
    return;

  self->history_cancellable = g_cancellable_new ();
  hs_object_history_new_async (self->trace, ref, self->source, n_steps, self->history_cancellable,
                               history_done_cb, g_object_ref (self));
}

void
hs_inspector_set_trace (HsInspector *self,
                        HsTrace     *trace,
                        const char  *source)
{
  g_return_if_fail (HS_IS_INSPECTOR (self));
  g_return_if_fail (!trace || HS_IS_TRACE (trace));

  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  g_clear_pointer (&self->history, hs_object_history_free);
  self->history_ref = 0;
  g_set_object (&self->trace, trace);
  g_free (self->source);
  self->source = g_strdup (source);
  start_history (self);
  update (self);
}

HsObjectHistory *
hs_inspector_get_history (HsInspector *self)
{
  g_return_val_if_fail (HS_IS_INSPECTOR (self), NULL);

  return history_is_current (self) ? self->history : NULL;
}

void
hs_inspector_set_selection (HsInspector   *self,
                            HsSnapshot    *snapshot,
                            guint          n_selected,
                            const guint32 *refs,
                            const char   **names)
{
  g_return_if_fail (HS_IS_INSPECTOR (self));
  g_return_if_fail (n_selected <= 2);

  if (snapshot != self->snapshot)
    {
      g_clear_pointer (&self->snapshot, hs_snapshot_unref);
      self->snapshot = snapshot ? hs_snapshot_ref (snapshot) : NULL;
    }

  self->n_selected = n_selected;
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&self->names[i], g_free);
      self->refs[i] = i < n_selected ? refs[i] : 0;
      self->names[i] = i < n_selected ? g_strdup (names[i]) : NULL;
    }

  start_history (self);
  update (self);
}

void
hs_inspector_set_python_version (HsInspector *self,
                                 const char  *version)
{
  g_return_if_fail (HS_IS_INSPECTOR (self));

  if (g_strcmp0 (self->python_version, version) == 0)
    return;
  g_free (self->python_version);
  self->python_version = g_strdup (version);
  update (self);
}

const char *
hs_inspector_get_python_version (HsInspector *self)
{
  g_return_val_if_fail (HS_IS_INSPECTOR (self), NULL);
  return self->python_version;
}

const char *
hs_inspector_get_refcount_rule (HsInspector *self)
{
  g_return_val_if_fail (HS_IS_INSPECTOR (self), NULL);

  return self->refcount_rule;
}

void
hs_inspector_set_equality (HsInspector *self,
                           const char  *expression,
                           const char  *result)
{
  g_return_if_fail (HS_IS_INSPECTOR (self));

  g_free (self->equality_expression);
  g_free (self->equality_result);
  self->equality_expression = g_strdup (expression);
  self->equality_result = g_strdup (result);

  update_comparison (self);
}

static void
hs_inspector_dispose (GObject *object)
{
  HsInspector *self = (HsInspector *) object;

  g_clear_pointer (&self->snapshot, hs_snapshot_unref);
  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  g_clear_object (&self->trace);

  G_OBJECT_CLASS (hs_inspector_parent_class)->dispose (object);
}

static void
hs_inspector_finalize (GObject *object)
{
  HsInspector *self = (HsInspector *) object;

  g_free (self->names[0]);
  g_free (self->names[1]);
  g_free (self->equality_expression);
  g_free (self->equality_result);
  g_free (self->python_version);
  g_free (self->refcount_rule);
  g_free (self->source);
  g_clear_pointer (&self->history, hs_object_history_free);

  G_OBJECT_CLASS (hs_inspector_parent_class)->finalize (object);
}

static void
hs_inspector_class_init (HsInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_inspector_dispose;
  object_class->finalize = hs_inspector_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/heapscope/Heapscope/hs-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, HsInspector, stack);
  gtk_widget_class_bind_template_child (widget_class, HsInspector, compare_box);
  gtk_widget_class_bind_template_child (widget_class, HsInspector, compare_list);
  gtk_widget_class_bind_template_child (widget_class, HsInspector, objects_box);
  gtk_widget_class_set_css_name (widget_class, "inspector");
}

static void
hs_inspector_init (HsInspector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
