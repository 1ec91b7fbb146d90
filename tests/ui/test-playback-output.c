/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The output pane while moving through time, under Xvfb: at every step
 * reached, by whatever move, it shows what the program printed up to
 * that step, read here from the trace's step records.  A program that
 * printed more than the pane keeps shows its newest output, under a line
 * that names the step it begins with.
 */
#define G_LOG_DOMAIN "heapscope-test-playback-output"

#include "config.h"

#include <string.h>

#include "hs-test-run.h"

static HsApplication *app;

/* About 210 KB of output, some of it on stderr: more than twice what
 * the pane keeps. */
static const char program[] =
  "import sys\n"
  "for i in range(2600):\n"
  "    print('line', i, 'x' * 70)\n"
  "    if i % 10 == 0:\n"
  "        print('err', i, file=sys.stderr)\n"
  "print('done')\n";

static const HsTestProgram test_program = { program, "output.py" };

static const HsTestProgram short_program = { "print('a')\nprint('b')\nprint('c')\n", "short.py" };

/* The oracle: what steps [first, last] printed, from their records. */
static GString *
printed (HsTrace *trace,
         guint    first,
         guint    last,
         gsize   *largest)
{
  GString *text = g_string_new (NULL);

  for (guint i = first; i <= last; i++)
    {
      g_autoptr(GBytes) out = NULL;
      g_autoptr(GBytes) err = NULL;
      gsize size = 0;

      hs_trace_get_step_output (trace, i, &out, &err);
      if (out != NULL)
        {
          g_string_append_len (text, g_bytes_get_data (out, NULL), g_bytes_get_size (out));
          size += g_bytes_get_size (out);
        }
      if (err != NULL)
        {
          g_string_append_len (text, g_bytes_get_data (err, NULL), g_bytes_get_size (err));
          size += g_bytes_get_size (err);
        }
      if (largest != NULL)
        *largest = MAX (*largest, size);
    }
  return text;
}

static gsize
count_lines (const char *text)
{
  gsize lines = 0;

  for (const char *c = text; *c != '\0'; c++)
    lines += *c == '\n';
  return lines;
}

/* The pane at the step shown holds what the trace says, or its newest
 * part under the line that says where it begins. */
/* Every character of the pane is shown without the hyphens Pango puts
 * where it breaks a long word, which the program never printed. */
static void
check_no_hyphens (HsWindow *window)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (window->output_view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "no-hyphens");
  GtkTextIter iter;
  gboolean hyphens = TRUE;

  g_assert (HS_IS_WINDOW (window));

  g_assert_nonnull (tag);
  g_object_get (tag, "insert-hyphens", &hyphens, NULL);
  g_assert_false (hyphens);
  gtk_text_buffer_get_start_iter (buffer, &iter);
  if (gtk_text_iter_is_end (&iter))
    return;
  g_assert_true (gtk_text_iter_has_tag (&iter, tag));
  gtk_text_iter_forward_to_tag_toggle (&iter, tag);
  g_assert_true (gtk_text_iter_is_end (&iter));
}

static void
check_pane (HsWindow *window)
{
  HsTrace *trace = hs_window_get_trace (window);
  guint step = hs_window_get_step (window);
  g_autofree char *pane = hs_window_dup_output (window);
  g_autoptr(GString) whole = NULL;
  g_autoptr(GString) expected = NULL;
  gsize largest = 0;
  const char *rest = pane;
  guint from = 0;
  guint n_steps;

  if (trace == NULL)
    {
      g_assert_cmpstr (pane, ==, "");
      return;
    }
  check_no_hyphens (window);
  n_steps = hs_trace_get_n_steps (trace);
  whole = printed (trace, 0, step, &largest);
  if (g_str_has_prefix (pane, "(The output before step "))
    {
      char *end = NULL;

      from = (guint) g_ascii_strtoull (pane + strlen ("(The output before step "), &end, 10);
      g_assert_true (g_str_has_prefix (end, " is not shown here.)\n"));
      g_assert_cmpuint (from, >=, 2);
      g_assert_cmpuint (from - 1, <=, step);
      rest = strchr (end, '\n') + 1;
      /* only output that would not fit is left out */
      g_assert_true (whole->len > HS_WINDOW_OUTPUT_SHOWN_MAX || count_lines (whole->str) > HS_WINDOW_OUTPUT_SHOWN_LINES);
      from--;   /* the line counts steps from 1 */
    }
  expected = printed (trace, from, step, NULL);
  if (step + 1 == n_steps)
    {
      GBytes *trailing;

      if ((trailing = hs_trace_get_trailing_stdout (trace)))
        g_string_append_len (expected, g_bytes_get_data (trailing, NULL), g_bytes_get_size (trailing));
      if ((trailing = hs_trace_get_trailing_stderr (trace)))
        g_string_append_len (expected, g_bytes_get_data (trailing, NULL), g_bytes_get_size (trailing));
    }
  g_assert_cmpstr (rest, ==, expected->str);
  /* a step prints at most a few lines here */
  g_assert_cmpuint (strlen (rest), <=, 2 * HS_WINDOW_OUTPUT_SHOWN_MAX + largest);
  g_assert_cmpuint (count_lines (rest), <=, 2 * HS_WINDOW_OUTPUT_SHOWN_LINES + 2);
}

/* The pane shows its end, once the view has laid out its lines: a scroll
 * made before then used estimated heights and stopped short.  Its end is
 * the last line printed: the empty line after the last newline stays
 * below the pane. */
static void
check_scrolled_to_end (HsWindow *window)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (window->output_view));
  double empty_line = 0;
  GtkTextIter last;

  hs_test_wait_frames (GTK_WIDGET (window->output_view), 20);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment));
  gtk_text_buffer_get_end_iter (gtk_text_view_get_buffer (window->output_view), &last);
  if (gtk_text_iter_get_line (&last) > 0 && gtk_text_iter_starts_line (&last))
    {
      int y, height;

      gtk_text_view_get_line_yrange (window->output_view, &last, &y, &height);
      empty_line = height;
    }
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment),
                                  gtk_adjustment_get_upper (adjustment) - empty_line, 1.0);
}

static void
move_and_check (HsWindow *window,
                guint     step)
{
  hs_window_show_step (window, step, FALSE);
  g_assert_cmpuint (hs_window_get_step (window), ==, step);
  check_pane (window);
}

static void
test_moves (HsTestFixture *f,
            gconstpointer  data)
{
  HsWindow *w = f->window;
  guint last = hs_trace_get_n_steps (hs_window_get_trace (w)) - 1;
  g_autofree char *pane = NULL;

  g_assert_cmpuint (last, >, 6000);
  check_pane (w);

  /* the end: the newest output under the line, not all of it */
  move_and_check (w, last);
  pane = hs_window_dup_output (w);
  g_assert_true (g_str_has_prefix (pane, "(The output before step "));
  g_assert_true (g_str_has_suffix (pane, "done\n"));

  /* back a step and on again, across the end's trailing output */
  move_and_check (w, last - 1);
  move_and_check (w, last);

  /* jumps back, in front of what the pane holds, and to the start */
  move_and_check (w, last / 2);
  move_and_check (w, last / 2 - 1);
  move_and_check (w, last / 4);
  move_and_check (w, 0);
  move_and_check (w, 1);

  /* step by step, so that the pane grows past twice its size, the
   * slider and the keys' actions */
  for (guint step = last / 2; step < last / 2 + 2400; step += 7)
    move_and_check (w, step);
  for (guint i = 0; i < 40; i++)
    {
      hs_test_activate (w, i % 4 == 3 ? "step-back" : "step-forward");
      check_pane (w);
    }
  gtk_adjustment_set_value (w->timeline_adjustment, 10);
  g_assert_cmpuint (hs_window_get_step (w), ==, 10);
  check_pane (w);
  hs_test_activate (w, "last-step");
  check_pane (w);
  check_scrolled_to_end (w);
}

/* Another run's output replaces the pane's, wherever it stood. */
static void
test_new_run (HsTestFixture *f,
              gconstpointer  data)
{
  HsWindow *w = f->window;
  guint last = hs_trace_get_n_steps (hs_window_get_trace (w)) - 1;
  g_autofree char *pane = NULL;

  move_and_check (w, last / 3);
  g_action_group_activate_action (G_ACTION_GROUP (w), "run", NULL);
  hs_test_wait_idle (w);
  check_pane (w);
  move_and_check (w, last / 3);

  hs_window_set_text (w, short_program.source, NULL, short_program.title);
  check_pane (w);
  g_action_group_activate_action (G_ACTION_GROUP (w), "run", NULL);
  hs_test_wait_idle (w);
  check_pane (w);
  pane = hs_window_dup_output (w);
  g_assert_cmpstr (pane, ==, "a\nb\nc\n");
  move_and_check (w, 0);
  move_and_check (w, hs_trace_get_n_steps (hs_window_get_trace (w)) - 1);
}

/* Runs may take longer than 10 s, the timeout before: a program of 10⁶
 * steps needs 11-13 s on a loaded machine. */
static const HsTestProgram long_program = {
  "import time\n"
  "time.sleep(11)\n"
  "print('woke')\n",
  "long.py"
};

static void
test_long_run (HsTestFixture *f,
               gconstpointer  data)
{
  HsWindow *w = f->window;
  g_autofree char *pane = NULL;

  /* the setup ran it to its end */
  g_assert_cmpstr (hs_trace_get_status (hs_window_get_trace (w)), ==, "finished");
  hs_test_activate (w, "last-step");
  pane = hs_window_dup_output (w);
  g_assert_cmpstr (pane, ==, "woke\n");
}

/* The reuse lesson's program: five lines, printed at five steps. */
static const char five_lines[] =
  "import sys\n"
  "a = 256\n"
  "b = 256\n"
  "print(a is b)\n"
  "c = int('257')\n"
  "d = int('257')\n"
  "print(c == d, c is d)\n"
  "e = 257\n"
  "f = 257\n"
  "print(e is f)\n"
  "s = 'spam'\n"
  "t = ''.join(['sp', 'am'])\n"
  "print(s == t, s is t)\n"
  "t = sys.intern(t)\n"
  "print(s is t)\n";

/* Whether the pane shows its newest line, whole. */
static gboolean
newest_line_shown (HsWindow *window)
{
  GtkTextView *view = window->output_view;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GdkRectangle visible, location;
  GtkTextIter last;

  gtk_text_buffer_get_end_iter (buffer, &last);
  /* the printed text ends with a newline: its last line is the one before */
  if (gtk_text_iter_get_line (&last) > 0 && gtk_text_iter_starts_line (&last))
    gtk_text_iter_backward_line (&last);
  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_view_get_iter_location (view, &last, &location);
  g_test_message ("newest line at y %d-%d, pane shows %d-%d", location.y, location.y + location.height,
                  visible.y, visible.y + visible.height);
  return location.y >= visible.y && location.y + location.height <= visible.y + visible.height;
}

/* Whether the pane spends none of its few lines on the empty line after
 * the output's last newline while older lines are scrolled out of view:
 * less than half of that line shows. */
static gboolean
no_empty_line_shown (HsWindow *window)
{
  GtkTextView *view = window->output_view;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  GdkRectangle visible, location;
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  if (gtk_text_iter_get_line (&end) == 0 || !gtk_text_iter_starts_line (&end) ||
      gtk_adjustment_get_value (adjustment) <= 0)
    return TRUE;
  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_view_get_iter_location (view, &end, &location);
  g_test_message ("empty last line at y %d-%d, pane shows %d-%d", location.y, location.y + location.height,
                  visible.y, visible.y + visible.height);
  return location.y + location.height / 2 >= visible.y + visible.height;
}

static gboolean
output_pane_shown (gpointer data)
{
  HsWindow *window = data;

  return gtk_widget_get_mapped (GTK_WIDGET (window->output_view)) &&
         gtk_widget_get_height (GTK_WIDGET (window->output_view)) > 0;
}

static gboolean
output_pane_hidden (gpointer data)
{
  HsWindow *window = data;

  return !gtk_widget_get_mapped (GTK_WIDGET (window->output_view));
}

/* Issue 8: at 1024×600 the pane is a few lines high; at every step it
 * shows the newest line that step printed, whether the pane was shown
 * while stepping or only afterwards. */
static void
test_follows_newest (void)
{
  HsWindow *window;
  guint n_steps;

  /* As in the app: a text view's scroll to a mark animates, and the
   * animation ran on to where its estimate of the lines' heights said
   * the end was (the first 3 of 5 lines, seen in a screenshot). */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  window = hs_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 600);
  hs_window_set_text (window, five_lines, NULL, "reuse.py");
  /* as `heapscope --run FILE` does: the run starts as the window opens */
  gtk_window_present (GTK_WINDOW (window));
  hs_test_activate (window, "run");
  hs_test_wait_idle (window);
  g_assert_true (hs_test_wait_until (hs_test_widget_is_mapped, window));
  n_steps = hs_trace_get_n_steps (hs_window_get_trace (window));

  /* where the run leaves the window: its last step */
  g_assert_cmpuint (hs_window_get_step (window), ==, n_steps - 1);
  g_assert_true (hs_test_wait_until (output_pane_shown, window));
  hs_test_wait_frames (GTK_WIDGET (window->output_view), 30);
  if (!newest_line_shown (window))
    g_error ("after the run: the pane does not show its newest line");
  if (!no_empty_line_shown (window))
    g_error ("after the run: the pane shows the empty line after the last newline");

  /* first with the pane hidden while stepping and shown after, then
   * shown all along */
  for (guint pass = 0; pass < 2; pass++)
    for (guint step = 0; step < n_steps; step++)
      {
        g_autofree char *pane = NULL;

        if (pass == 0)
          {
            adw_flap_set_reveal_flap (window->editor_flap, FALSE);
            g_assert_true (hs_test_wait_until (output_pane_hidden, window));
          }
        hs_window_show_step (window, step, FALSE);
        adw_flap_set_reveal_flap (window->editor_flap, TRUE);
        g_assert_true (hs_test_wait_until (output_pane_shown, window));
        hs_test_wait_frames (GTK_WIDGET (window->output_view), 10);
        pane = hs_window_dup_output (window);
        if (!newest_line_shown (window))
          g_error ("pass %u, step %u of %u: the pane does not show its newest line; it holds \"%s\"",
                   pass, step, n_steps, pane);
        if (!no_empty_line_shown (window))
          g_error ("pass %u, step %u of %u: the pane shows the empty line after the last newline",
                   pass, step, n_steps);
      }
  hs_test_save_shot (GTK_WIDGET (window), "output-follows-newest");
  /* no scroll animation may be under way when the window closes (main) */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  hs_test_wait_frames (GTK_WIDGET (window), 30);
  hs_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  app = hs_test_init (&argc, &argv);
  /* GTK 4.8's GtkAdjustment, stopping a scroll animation of the text views
   * when the window closes, disconnects its tick handler twice (a
   * critical); what this test checks does not animate */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/ui/playback/output/moves", HsTestFixture, &test_program,
              hs_test_window_run_setup, test_moves, hs_test_window_run_teardown);
  g_test_add ("/ui/playback/output/new-run", HsTestFixture, &test_program,
              hs_test_window_run_setup, test_new_run, hs_test_window_run_teardown);

  g_test_add ("/ui/playback/output/long-run", HsTestFixture, &long_program,
              hs_test_window_run_setup, test_long_run, hs_test_window_run_teardown);
  g_test_add_func ("/ui/playback/output/follows-newest", test_follows_newest);

  return hs_test_run (app);
}
