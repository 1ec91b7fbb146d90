/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A program of two files in the window, under Xvfb (issue 50): the
 * "Arguments and Input…" dialog refuses bad quoting and gives the program
 * its sys.argv and standard input, remembered for the file and kept in a
 * saved run; a step in the helper module shows that file, read-only, with
 * the line marked, and the saved run shows it from the text it keeps;
 * breakpoints can be set in a module as in the program's own file.
 */
#define G_LOG_DOMAIN "heapscope-test-window-files"

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-arguments-dialog.h"
#include "hs-playback.h"
#include "hs-test-files.h"
#include "hs-test-run.h"

static HsApplication *app;
static char *state_dir;

static const char main_source[] =
  "import sys\n"
  "from helper import make\n"
  "name = input()\n"
  "items = make(2)\n"
  "print(sys.argv[1:], name, items)\n";

static const char helper_source[] =
  "def make(n):\n"
  "    out = []\n"
  "    for i in range(n):\n"
  "        out.append(i)\n"
  "    return out\n";

static gboolean
has_steps (gpointer data)
{
  HsWindow *window = data;

  return hs_window_get_trace (window) != NULL && window->n_steps > 0 && hs_test_window_is_idle (window);
}

static gboolean
loaded (gpointer data)
{
  HsWindow *window = data;

  return window->file != NULL;
}

/* A window at 1280x800 with file loaded */
static HsWindow *
open_window (GFile *file)
{
  HsWindow *window = hs_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  hs_window_load_file (window, file, FALSE);
  g_assert_true (hs_test_wait_until (loaded, window));
  return window;
}

/* The first step whose innermost frame runs file, or G_MAXUINT. */
static guint
first_step_in (HsWindow   *window,
               const char *file)
{
  for (guint i = 0; i < window->n_steps; i++)
    {
      g_autoptr(HsSnapshot) snap = hs_trace_get_snapshot (window->trace, i);
      guint n = 0;
      const HsFrame *frames = hs_snapshot_get_frames (snap, &n);

      if (n > 0 && g_strcmp0 (frames[n - 1].file, file) == 0)
        return i;
    }
  return G_MAXUINT;
}

/* The line of buffer that has a source mark of category, or 0. */
static guint
marked_line (GtkSourceBuffer *buffer,
             const char      *category)
{
  GtkTextIter iter;

  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (buffer), &iter);
  do
    {
      GSList *marks = gtk_source_buffer_get_source_marks_at_line (buffer, gtk_text_iter_get_line (&iter), category);

      if (marks != NULL)
        {
          g_slist_free (marks);
          return gtk_text_iter_get_line (&iter) + 1;
        }
    }
  while (gtk_text_iter_forward_line (&iter));
  return 0;
}

static char *
buffer_text (GtkSourceBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (buffer), &start, &end, FALSE);
}

/* The step into helper.py shows helper.py with its line marked, and the
 * main editor marks nothing; a step of main.py shows main.py again. */
static void
assert_helper_step_shown (HsWindow *window)
{
  guint step = first_step_in (window, "helper.py");
  g_autoptr(HsSnapshot) snap = NULL;
  g_autofree char *shown = NULL;

  g_assert_cmpuint (step, !=, G_MAXUINT);
  hs_window_show_step (window, step, FALSE);
  hs_test_wait_frames (GTK_WIDGET (window), 3);
  snap = hs_trace_get_snapshot (window->trace, step);

  g_assert_true (gtk_widget_get_visible (window->file_bar));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->file_stack), ==, "other");
  shown = buffer_text (window->file_buffer);
  g_assert_cmpstr (shown, ==, helper_source);
  g_assert_cmpuint (marked_line (window->file_buffer, "hs-current"), ==, hs_snapshot_get_line (snap));
  g_assert_cmpuint (marked_line (window->buffer, "hs-current"), ==, 0);
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (window->file_view)));
  g_assert_cmpstr (gtk_string_list_get_string (window->file_names,
                                               gtk_drop_down_get_selected (window->file_switcher)), ==, "helper.py");

  hs_window_show_step (window, 0, FALSE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->file_stack), ==, "main");
  g_assert_cmpuint (marked_line (window->buffer, "hs-current"), ==, 1);
}

static void
test_arguments_and_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("heapscope-files-XXXXXX", NULL);
  g_autofree char *main_path = g_build_filename (dir, "main.py", NULL);
  g_autofree char *helper_path = g_build_filename (dir, "helper.py", NULL);
  g_autofree char *saved_path = g_build_filename (dir, "run.json", NULL);
  g_autoptr(GFile) main_file = g_file_new_for_path (main_path);
  g_autoptr(GFile) saved_file = g_file_new_for_path (saved_path);
  g_autoptr(GBytes) out = NULL;
  HsWindow *window, *reopened, *saved;
  HsArgumentsDialog *dialog;

  g_assert_true (g_file_set_contents (main_path, main_source, -1, NULL));
  g_assert_true (g_file_set_contents (helper_path, helper_source, -1, NULL));

  window = open_window (main_file);

  /* bad quoting is said, and cannot be applied */
  hs_test_activate (window, "arguments");
  dialog = window->arguments_dialog;
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (hs_test_find_named (GTK_WIDGET (dialog), "arguments_row")), "'one");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "apply"));
  g_assert_nonnull (hs_test_find_label (GTK_WIDGET (dialog), "Unfinished quoting"));

  /* words as a shell splits them: spaces, an empty one, a dash */
  gtk_editable_set_text (GTK_EDITABLE (hs_test_find_named (GTK_WIDGET (dialog), "arguments_row")),
                         "'a b' '' -x é");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "apply"));
  {
    GtkWidget *input = hs_test_find_named (GTK_WIDGET (dialog), "input_view");

    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (input)), "Ada\n", -1);
  }
  hs_test_wait_frames (GTK_WIDGET (dialog), 5);
  hs_test_save_shot (GTK_WIDGET (dialog), "arguments-dialog");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  g_assert_null (window->arguments_dialog);
  g_assert_cmpstr (window->run_arguments, ==, "'a b' '' -x é");

  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (hs_test_wait_until (has_steps, window));
  out = hs_trace_dup_stdout (window->trace);
  {
    g_autofree char *printed = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));

    g_assert_cmpstr (printed, ==, "['a b', '', '-x', 'é'] Ada [0, 1]\n");
  }

  assert_helper_step_shown (window);
  /* a breakpoint on main.py's line 4 stops there, and not on helper.py's
   * line 4, which runs right after */
  {
    guint at = hs_test_line_step (window, 4);
    const HsBreakpoint lines[] = { { NULL, 4 } };
    HsStop stop;

    g_assert_true (hs_playback_find (window->trace, 0, TRUE, window->n_steps - 1, lines, 1, 0, NULL, &stop));
    g_assert_cmpuint (stop.step, ==, at);
    if (hs_playback_find (window->trace, at, TRUE, window->n_steps - 1, lines, 1, 0, NULL, &stop))
      g_error ("the breakpoint on main.py's line 4 stopped at step %u, in %s", stop.step,
               first_step_in (window, "helper.py") <= stop.step ? "helper.py" : "main.py");
  }
  /* for a person to look at (HS_TEST_SHOTS=DIR): the last append */
  for (guint step = window->n_steps; step > 0; step--)
    {
      g_autoptr(HsSnapshot) snap = hs_trace_get_snapshot (window->trace, step - 1);
      guint n = 0;
      const HsFrame *frames = hs_snapshot_get_frames (snap, &n);

      if (n > 0 && g_str_equal (frames[n - 1].file, "helper.py") && hs_snapshot_get_line (snap) == 4)
        {
          hs_window_show_step (window, step - 1, FALSE);
          break;
        }
    }
  hs_test_wait_frames (GTK_WIDGET (window), 10);
  hs_test_save_shot (GTK_WIDGET (window), "helper-step");
  hs_test_save_run (window, saved_file);
  hs_test_window_close (window);

  /* the file remembers its arguments and input */
  reopened = hs_window_new (app);
  hs_window_load_file (reopened, main_file, FALSE);
  g_assert_true (hs_test_wait_until (loaded, reopened));
  g_assert_cmpstr (reopened->run_arguments, ==, "'a b' '' -x é");
  g_assert_cmpstr (reopened->run_input, ==, "Ada\n");
  hs_test_window_close (reopened);

  /* the saved run shows the helper from its own copy, and keeps what the
   * program was given */
  g_assert_cmpint (g_unlink (helper_path), ==, 0);
  saved = hs_window_new (app);
  gtk_window_present (GTK_WINDOW (saved));
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, saved));
  hs_window_open_trace (saved, saved_file);
  g_assert_true (hs_test_wait_until (has_steps, saved));
  assert_helper_step_shown (saved);
  {
    g_auto(GStrv) words = NULL;
    const char *expected[] = { "a b", "", "-x", "é", NULL };

    g_assert_true (hs_arguments_parse (saved->run_arguments, &words, NULL));
    g_assert_cmpstrv (words, expected);
  }
  g_assert_cmpstr (saved->run_input, ==, "Ada\n");
  hs_test_window_close (saved);

  hs_test_remove_tree (dir);
}

/* Breakpoints in a module (issue 50): the example's bug is an append in
 * catalog.py, where a breakpoint is set from that file's view, by the
 * gutter and by Ctrl+B, beside one in main.py.  Continue stops at exactly
 * the steps that run either line, in its own file; the module's
 * breakpoint is still marked after the editor showed other files, and
 * still stops after the program runs again. */
#define MODULE_LINE 20  /* catalog.py: self.tags.append(tag) */
#define GUTTER_LINE 26  /* catalog.py: shown = ... */
#define MAIN_LINE   25  /* main.py: print(line); catalog.py's is a def */

static gboolean
is_stop (HsSnapshot *snap)
{
  guint n = 0;
  const HsFrame *frames = hs_snapshot_get_frames (snap, &n);
  guint line = hs_snapshot_get_line (snap);

  if (hs_snapshot_get_event (snap) != HS_EVENT_LINE || n == 0)
    return FALSE;
  if (g_strcmp0 (frames[n - 1].file, frames[0].file) == 0)
    return line == MAIN_LINE;
  return g_strcmp0 (frames[n - 1].file, "catalog.py") == 0 && line == MODULE_LINE;
}

static gboolean
not_searching (gpointer data)
{
  return !hs_window_get_searching (data);
}

static void
select_file (HsWindow   *window,
             const char *file)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (window->file_names));

  for (guint i = 0; i < n; i++)
    if (g_str_equal (gtk_string_list_get_string (window->file_names, i), file))
      {
        gtk_drop_down_set_selected (window->file_switcher, i);
        return;
      }
  g_error ("the file switcher does not list %s", file);
}

static void
place_cursor (GtkSourceBuffer *buffer,
              guint            line)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (buffer), &iter, line - 1);
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (buffer), &iter);
}

static gboolean
has_mark_at (GtkSourceBuffer *buffer,
             guint            line)
{
  GSList *marks = gtk_source_buffer_get_source_marks_at_line (buffer, line - 1, "hs-breakpoint");

  g_slist_free (marks);
  return marks != NULL;
}

/* Continue from the first step stops at each step is_stop() names, in
 * order, and at nothing else. */
static void
assert_continue_stops (HsWindow *window)
{
  guint n_stops = 0, n_module = 0;

  hs_window_show_step (window, 0, FALSE);
  for (guint from = 0;;)
    {
      guint expect = G_MAXUINT;

      for (guint i = from + 1; i < window->n_steps && expect == G_MAXUINT; i++)
        {
          g_autoptr(HsSnapshot) snap = hs_trace_get_snapshot (window->trace, i);

          if (is_stop (snap))
            expect = i;
        }
      hs_test_activate (window, "continue");
      g_assert_true (hs_test_wait_until (not_searching, window));
      if (expect == G_MAXUINT)
        {
          g_assert_cmpuint (hs_window_get_step (window), ==, window->n_steps - 1);
          break;
        }
      g_assert_cmpuint (hs_window_get_step (window), ==, expect);
      {
        g_autoptr(HsSnapshot) snap = hs_trace_get_snapshot (window->trace, expect);
        guint n = 0;
        const HsFrame *frames = hs_snapshot_get_frames (snap, &n);

        if (g_str_equal (frames[n - 1].file, "catalog.py"))
          {
            n_module++;
            g_assert_cmpstr (hs_window_get_last_toast (window), ==,
                             "Stopped at the breakpoint on line 20 of catalog.py");
            /* the stop shows the module, its breakpoint marked */
            g_assert_cmpstr (gtk_stack_get_visible_child_name (window->file_stack), ==, "other");
            g_assert_true (has_mark_at (window->file_buffer, MODULE_LINE));
            if (n_module == 1)
              {
                hs_test_wait_frames (GTK_WIDGET (window), 10);
                hs_test_save_shot (GTK_WIDGET (window), "module-breakpoint");
              }
          }
        else
          g_assert_cmpstr (hs_window_get_last_toast (window), ==, "Stopped at the breakpoint on line 25");
      }
      n_stops++;
      from = expect;
    }
  /* every product's three tags, and the three products printed */
  g_assert_cmpuint (n_module, >, 0);
  g_assert_cmpuint (n_stops - n_module, ==, 3);
}

static void
test_module_breakpoints (void)
{
  static const char * const names[] = { "main.py", "catalog.py", "rules.py" };
  g_autofree char *dir = g_dir_make_tmp ("heapscope-files-XXXXXX", NULL);
  g_autofree char *main_path = g_build_filename (dir, "main.py", NULL);
  g_autoptr(GFile) main_file = g_file_new_for_path (main_path);
  HsWindow *window;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *from = g_build_filename (HS_TEST_EXAMPLES, "debugging", "shared-tags", names[i], NULL);
      g_autofree char *to = g_build_filename (dir, names[i], NULL);
      g_autofree char *text = NULL;

      g_assert_true (g_file_get_contents (from, &text, NULL, NULL));
      g_assert_true (g_file_set_contents (to, text, -1, NULL));
    }

  window = open_window (main_file);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (hs_test_wait_until (has_steps, window));

  /* catalog.py from the switcher: Ctrl+B on the cursor's line, and a
   * click in the gutter that a second click takes off again */
  select_file (window, "catalog.py");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->file_stack), ==, "other");
  place_cursor (window->file_buffer, MODULE_LINE);
  hs_test_activate (window, "toggle-breakpoint");
  for (guint k = 0; k < 2; k++)
    {
      GtkTextIter iter;

      gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (window->file_buffer), &iter, GUTTER_LINE - 1);
      g_signal_emit_by_name (window->file_view, "line-mark-activated", &iter, GDK_BUTTON_PRIMARY, 0, 1);
      g_assert_cmpint (has_mark_at (window->file_buffer, GUTTER_LINE), ==, k == 0);
    }
  g_assert_true (has_mark_at (window->file_buffer, MODULE_LINE));
  g_assert_false (has_mark_at (window->buffer, MODULE_LINE));

  /* main.py's own, from the main editor */
  select_file (window, "main.py");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->file_stack), ==, "main");
  place_cursor (window->buffer, MAIN_LINE);
  hs_test_activate (window, "toggle-breakpoint");
  g_assert_true (has_mark_at (window->buffer, MAIN_LINE));

  /* shown again after another module was: still marked */
  select_file (window, "rules.py");
  g_assert_false (has_mark_at (window->file_buffer, MODULE_LINE));
  select_file (window, "catalog.py");
  g_assert_true (has_mark_at (window->file_buffer, MODULE_LINE));

  assert_continue_stops (window);

  /* and after the program runs again */
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (hs_test_wait_until (has_steps, window));
  assert_continue_stops (window);

  hs_test_window_close (window);
  hs_test_remove_tree (dir);
}

/* An edited main file runs where it is saved, as python3 would run the
 * same text saved there: its helper module beside it imports and is
 * stepped, __file__, sys.path[0] and the current folder are its own, and
 * a syntax error quotes the edited line.  Nothing is written beside it. */
static const char saved_main[] =
  "from helper import make\n"
  "print(make(1))\n";

static const char edited_main[] =
  "import os, sys\n"
  "from helper import make\n"
  "items = make(3)\n"
  "alias = items\n"
  "alias.append('edited')\n"
  "print(__file__, sys.path[0], os.getcwd())\n"
  "print(items, sys.argv)\n";

static const char broken_main[] =
  "from helper import make\n"
  "print(make(2), 'edited'\n"
  "x = 1\n";

static gboolean
run_ended (gpointer data)
{
  HsWindow *window = data;

  return window->trace != NULL && hs_trace_is_finished (window->trace) && hs_test_window_is_idle (window);
}

static char *
bytes_text (GBytes *bytes)
{
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  return data != NULL ? g_strndup (data, len) : g_strdup ("");
}

static int
by_name (gconstpointer a,
         gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names in dir, sorted, one a line. */
static char *
list_folder (const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_nonnull (folder);
  while ((name = g_dir_read_name (folder)) != NULL)
    g_ptr_array_add (names, (gpointer) name);
  g_ptr_array_sort (names, by_name);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("\n", (char **) names->pdata);
}

/* The window runs text, edited over the saved main.py; its output. */
static void
run_edited (HsWindow    *window,
            const char  *text,
            char       **out,
            char       **err)
{
  g_autoptr(GBytes) out_bytes = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (window->buffer);
  GtkTextIter start, end;

  /* typed over, as a person edits (set_text() would not mark it edited) */
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, text, -1);
  g_assert_true (gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (window->buffer)));
  g_clear_object (&window->trace);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (hs_test_wait_until (run_ended, window));
  out_bytes = hs_trace_dup_stdout (window->trace);
  err_bytes = hs_trace_dup_stderr (window->trace);
  *out = bytes_text (out_bytes);
  *err = bytes_text (err_bytes);
}

/* What python3 prints for text saved as dir's main.py. */
static void
run_python3 (const char  *dir,
             const char  *text,
             char       **out,
             char       **err)
{
  g_autofree char *main_path = g_build_filename (dir, "main.py", NULL);
  const char *argv[] = { "python3", "main.py", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (main_path, text, -1, NULL));
  g_assert_true (g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, NULL,
                               &error));
  g_assert_no_error (error);
}

static void
test_edited_main_file (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("heapscope-files-XXXXXX", NULL);
  g_autofree char *dir = realpath (tmp, NULL);
  g_autofree char *main_path = g_build_filename (dir, "main.py", NULL);
  g_autofree char *helper_path = g_build_filename (dir, "helper.py", NULL);
  g_autoptr(GFile) main_file = g_file_new_for_path (main_path);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *out = NULL, *err = NULL, *broken_out = NULL, *broken_err = NULL;
  g_autofree char *python_out = NULL, *python_err = NULL;
  gboolean in_helper = FALSE;
  HsWindow *window;

  g_assert_true (g_file_set_contents (main_path, saved_main, -1, NULL));
  g_assert_true (g_file_set_contents (helper_path, helper_source, -1, NULL));
  before = list_folder (dir);

  window = open_window (main_file);

  run_edited (window, edited_main, &out, &err);
  g_assert_cmpstr (hs_trace_get_status (window->trace), ==, "finished");
  g_assert_cmpstr (hs_trace_get_main_file (window->trace), ==, "main.py");
  for (guint i = 0; i < window->n_steps; i++)
    {
      g_autoptr(HsSnapshot) snap = hs_trace_get_snapshot (window->trace, i);
      guint n = 0;
      const HsFrame *frames = hs_snapshot_get_frames (snap, &n);

      for (guint k = 0; k < n; k++)
        if (!g_str_equal (frames[k].file, "main.py") && !g_str_equal (frames[k].file, "helper.py"))
          g_error ("step %u: a frame runs %s", i, frames[k].file);
      in_helper |= n > 0 && g_str_equal (frames[n - 1].file, "helper.py");
    }
  g_assert_true (in_helper);
  /* the module's steps show its file beside the main one */
  assert_helper_step_shown (window);

  run_edited (window, broken_main, &broken_out, &broken_err);
  g_assert_cmpstr (hs_trace_get_status (window->trace), ==, "syntax-error");
  /* what python3 printed, as the run ended (the window's worker is live
   * until it closes, and its stderr with it) */
  g_assert_nonnull (hs_trace_get_error (window->trace));
  g_free (broken_err);
  broken_err = g_strdup (hs_trace_get_error (window->trace)->traceback);
  hs_test_window_close (window);

  after = list_folder (dir);
  g_assert_cmpstr (after, ==, before);

  run_python3 (dir, edited_main, &python_out, &python_err);
  g_assert_cmpstr (out, ==, python_out);
  g_assert_cmpstr (err, ==, python_err);
  g_clear_pointer (&python_out, g_free);
  g_clear_pointer (&python_err, g_free);
  run_python3 (dir, broken_main, &python_out, &python_err);
  g_assert_cmpstr (broken_out, ==, python_out);
  g_assert_cmpstr (broken_err, ==, python_err);

  hs_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* the remembered arguments go to a state folder of the test's own */
  state_dir = g_dir_make_tmp ("heapscope-state-XXXXXX", NULL);
  /* an import leaves no __pycache__: a program's folder gains no file */
  g_setenv ("PYTHONDONTWRITEBYTECODE", "1", TRUE);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);
  app = hs_test_init (&argc, &argv);
  g_test_add_func ("/ui/window/files/arguments-and-files", test_arguments_and_files);
  g_test_add_func ("/ui/window/files/module-breakpoints", test_module_breakpoints);
  g_test_add_func ("/ui/window/files/edited-main-file", test_edited_main_file);
  ret = hs_test_run (app);
  hs_test_remove_tree (state_dir);
  g_free (state_dir);
  return ret;
}
