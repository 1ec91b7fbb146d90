/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * HsWindow's output pane: what the program printed up to the step shown.
 * A move changes the pane by what differs between the two steps:
 * stepping on appends the output of the steps passed, stepping back
 * deletes from the first output no longer reached.  The pane keeps
 * about HS_WINDOW_OUTPUT_SHOWN_MAX bytes and HS_WINDOW_OUTPUT_SHOWN_LINES
 * lines of the newest output (up to twice that before it starts over),
 * with a line on top that says where the output shown begins, so that
 * any step of a program that printed megabytes is drawn within a frame,
 * and a run that prints on every step does not spend its time laying out
 * lines of text.
 */
#define G_LOG_DOMAIN "heapscope-window-output"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hs-format.h"
#include "hs-window-private.h"

/* How much output: its bytes and its newlines. */
typedef struct
{
  gsize bytes;
  gsize lines;
} Amount;

/* Where a segment shown begins: in the pane's characters, and after how
 * much of the output shown. */
typedef struct
{
  int    offset;
  Amount before;
} ShownSegment;

static gboolean
fits (Amount amount,
      guint  times)
{
  return amount.bytes <= times * HS_WINDOW_OUTPUT_SHOWN_MAX && amount.lines <= times * HS_WINDOW_OUTPUT_SHOWN_LINES;
}

/* The pane follows the newest output: its lines' heights are estimated
 * until the view has laid them out, and a scroll to the end made before
 * stops short (by a thousand lines, seen in a screenshot); each time the
 * view knows its height better, the pane scrolls to its end again.
 * Output ends with a newline, after which the view lays out an empty
 * line: the pane stops above it, since at 1024x600 it is one of the
 * pane's four lines. */
static void
vadjustment_changed_cb (GtkAdjustment *adjustment,
                        HsWindow      *self)
{
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
  GtkTextIter last;

  g_assert (GTK_IS_ADJUSTMENT (adjustment));
  g_assert (HS_IS_WINDOW (self));

  gtk_text_buffer_get_end_iter (gtk_text_view_get_buffer (self->output_view), &last);
  if (gtk_text_iter_get_line (&last) > 0 && gtk_text_iter_starts_line (&last))
    {
      int y, height;

      gtk_text_view_get_line_yrange (self->output_view, &last, &y, &height);
      end -= height;
    }
  gtk_adjustment_set_value (adjustment, MAX (end, gtk_adjustment_get_lower (adjustment)));
}

/* Pango marks where it breaks a word too long for the line with a
 * hyphen, which reads as if the program had printed it: the output
 * shows only what the program wrote. */
static void
output_inserted_cb (GtkTextBuffer *buffer,
                    GtkTextIter   *location,
                    const char    *text,
                    int            length,
                    GtkTextTag    *no_hyphens)
{
  GtkTextIter start;

  g_assert (GTK_IS_TEXT_BUFFER (buffer));
  g_assert (GTK_IS_TEXT_TAG (no_hyphens));

  start = *location;
  gtk_text_iter_backward_chars (&start, g_utf8_strlen (text, length));
  gtk_text_buffer_apply_tag (buffer, no_hyphens, &start, location);
}

void
hs_window_init_output (HsWindow *self)
{
  GtkTextBuffer *buffer;

  g_return_if_fail (HS_IS_WINDOW (self));

  buffer = gtk_text_view_get_buffer (self->output_view);
  gtk_text_buffer_create_tag (buffer, "stderr", "foreground", "#e01b24", NULL);
  gtk_text_buffer_create_tag (buffer, "traceback", "foreground", "#e01b24", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buffer, "omitted", "style", PANGO_STYLE_ITALIC, "foreground", "#77767b", NULL);
  g_signal_connect_after (buffer, "insert-text", G_CALLBACK (output_inserted_cb),
                          gtk_text_buffer_create_tag (buffer, "no-hyphens", "insert-hyphens", FALSE, NULL));
  self->output_offsets = g_array_new (FALSE, FALSE, sizeof (ShownSegment));
  self->output_tail = -1;
  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->output_view)), "changed",
                           G_CALLBACK (vadjustment_changed_cb), self, 0);
}

void
hs_window_dispose_output (HsWindow *self)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  g_clear_pointer (&self->output_first_bytes, g_bytes_unref);
  g_clear_pointer (&self->output_last_bytes, g_bytes_unref);
  g_clear_pointer (&self->output_offsets, g_array_unref);
}

static void
append_text (GtkTextBuffer *buffer,
             const char    *text,
             gssize         length,
             const char    *tag)
{
  g_autofree char *valid = NULL;
  GtkTextIter end;

  g_assert (GTK_IS_TEXT_BUFFER (buffer));

  if (text == NULL || length == 0)
    return;

  /* the trailing output and the traceback are not cut into segments:
   * the pane shows as much of their end as it shows of the output */
  if (length < 0)
    length = strlen (text);
  if ((gsize) length > HS_WINDOW_OUTPUT_SHOWN_MAX)
    {
      const char *tail = g_utf8_find_next_char (text + length - HS_WINDOW_OUTPUT_SHOWN_MAX, text + length);
      g_autofree char *n = NULL;
      g_autofree char *notice = NULL;

      if (tail == NULL)
        tail = text + length;
      n = hs_format_count (g_utf8_strlen (text, tail - text));
      /* Translators: above the end of a long traceback or output */
      notice = g_strdup_printf (_("(The first %s characters of this are not shown here.)\n"), n);
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert_with_tags_by_name (buffer, &end, notice, -1, "omitted", NULL);
      length -= tail - text;
      text = tail;
    }
  valid = hs_window_elide_lines (text, length, HS_WINDOW_OUTPUT_LINE_MAX);
  gtk_text_buffer_get_end_iter (buffer, &end);
  if (tag != NULL)
    gtk_text_buffer_insert_with_tags_by_name (buffer, &end, valid, -1, tag, NULL);
  else
    gtk_text_buffer_insert (buffer, &end, valid, -1);
}

static Amount
segment_amount (GPtrArray *output,
                guint      index)
{
  GBytes *bytes;
  const char *data, *end;
  Amount amount = { 0, 0 };

  g_assert (output != NULL && index < output->len);

  bytes = ((HsOutputSegment *) g_ptr_array_index (output, index))->bytes;
  data = g_bytes_get_data (bytes, &amount.bytes);
  end = data + amount.bytes;
  while (data != NULL && (data = memchr (data, '\n', end - data)) != NULL)
    {
      amount.lines++;
      data++;
    }
  return amount;
}

static void
add (Amount       *total,
     const Amount *more)
{
  total->bytes += more->bytes;
  total->lines += more->lines;
}

/* How many segments were printed at STEP or before: segments come in
 * the order of their steps. */
static guint
segments_through (GPtrArray *output,
                  guint      step)
{
  guint low = 0, high = output->len;

  g_assert (output != NULL);

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      HsOutputSegment *segment = g_ptr_array_index (output, middle);

      if (segment->step <= step)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

/* Whether the pane still shows segments of self->output: a new run, a
 * saved run or a new document replaces the segments, and the pane holds
 * a reference to its first and last so that it notices. */
static gboolean
pane_is_current (HsWindow *self)
{
  HsOutputSegment *first, *last;

  g_assert (HS_IS_WINDOW (self));

  if (self->output_end == 0)
    return TRUE;
  if (self->output_end > self->output->len)
    return FALSE;
  first = g_ptr_array_index (self->output, self->output_first);
  last = g_ptr_array_index (self->output, self->output_end - 1);
  return first->bytes == self->output_first_bytes && last->bytes == self->output_last_bytes;
}

static void
remember_ends (HsWindow *self)
{
  g_assert (HS_IS_WINDOW (self));

  g_clear_pointer (&self->output_first_bytes, g_bytes_unref);
  g_clear_pointer (&self->output_last_bytes, g_bytes_unref);
  if (self->output_end > self->output_first)
    {
      HsOutputSegment *first = g_ptr_array_index (self->output, self->output_first);
      HsOutputSegment *last = g_ptr_array_index (self->output, self->output_end - 1);

      self->output_first_bytes = g_bytes_ref (first->bytes);
      self->output_last_bytes = g_bytes_ref (last->bytes);
    }
}

/* Appends segments [output_end, end): one insertion per run of segments
 * of one stream, however many steps printed them. */
static void
append_segments (HsWindow *self,
                 guint     end)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output_view);
  g_autoptr(GString) run = g_string_new (NULL);
  int offset = gtk_text_buffer_get_char_count (buffer);

  g_assert (HS_IS_WINDOW (self));
  g_assert (end <= self->output->len);

  for (guint i = self->output_end; i < end; i++)
    {
      HsOutputSegment *segment = g_ptr_array_index (self->output, i);
      gsize length;
      const char *data = g_bytes_get_data (segment->bytes, &length);
      g_autofree char *valid = hs_window_elide_lines (data != NULL ? data : "", length,
                                                       HS_WINDOW_OUTPUT_LINE_MAX);
      HsOutputSegment *next = i + 1 < end ? g_ptr_array_index (self->output, i + 1) : NULL;

      ShownSegment shown = { offset, { self->output_bytes, self->output_lines } };
      Amount amount = segment_amount (self->output, i);

      g_array_append_val (self->output_offsets, shown);
      offset += g_utf8_strlen (valid, -1);
      self->output_bytes += amount.bytes;
      self->output_lines += amount.lines;
      g_string_append (run, valid);
      if (next == NULL || next->is_stderr != segment->is_stderr)
        {
          GtkTextIter iter;

          gtk_text_buffer_get_end_iter (buffer, &iter);
          if (segment->is_stderr)
            gtk_text_buffer_insert_with_tags_by_name (buffer, &iter, run->str, run->len, "stderr", NULL);
          else
            gtk_text_buffer_insert (buffer, &iter, run->str, run->len);
          g_string_truncate (run, 0);
        }
    }
  self->output_end = MAX (self->output_end, end);
}

/* Shows segments [start, end) afresh, with the line that says the output
 * before them is not shown. */
static void
refill (HsWindow *self,
        guint     start,
        guint     end)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output_view);

  g_assert (HS_IS_WINDOW (self));

  gtk_text_buffer_set_text (buffer, "", 0);
  g_array_set_size (self->output_offsets, 0);
  self->output_bytes = self->output_lines = 0;
  self->output_first = self->output_end = start;
  if (start > 0)
    {
      HsOutputSegment *first = g_ptr_array_index (self->output, start);
      /* Translators: the first line of the output pane when a program
       * printed too much to show it all; steps count from 1 */
      g_autofree char *notice = g_strdup_printf (_("(The output before step %u is not shown here.)\n"),
                                                 first->step + 1);

      append_text (buffer, notice, -1, "omitted");
    }
  append_segments (self, end);
}

/* The first segment shown with the segments before END: as many of the
 * newest as fit, at least the last, and all of the first step's, so that
 * the line on top names a step that begins. */
static guint
shown_start (GPtrArray *output,
             guint      end)
{
  Amount total = { 0, 0 };
  guint start = end;

  g_assert (output != NULL);

  while (start > 0)
    {
      Amount more = segment_amount (output, start - 1);

      add (&more, &total);
      if (start < end && !fits (more, 1))
        break;
      total = more;
      start--;
    }
  while (start > 0 && ((HsOutputSegment *) g_ptr_array_index (output, start - 1))->step ==
                      ((HsOutputSegment *) g_ptr_array_index (output, start))->step)
    start--;
  return start;
}

static void
show_segments_through (HsWindow *self,
                       guint     end)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output_view);

  g_assert (HS_IS_WINDOW (self));

  if (pane_is_current (self) && end == self->output_end)
    return;
  if (end == 0)
    {
      gtk_text_buffer_set_text (buffer, "", 0);
      g_array_set_size (self->output_offsets, 0);
      self->output_first = self->output_end = 0;
      self->output_bytes = self->output_lines = 0;
    }
  else if (!pane_is_current (self) || (end <= self->output_first && self->output_first > 0))
    refill (self, shown_start (self->output, end), end);
  else if (end < self->output_end)
    {
      /* back: the segments from END on were printed after this step */
      const ShownSegment *cut = &g_array_index (self->output_offsets, ShownSegment, end - self->output_first);
      GtkTextIter from, to;

      /* what stays must not be less than the pane would show afresh */
      if (self->output_first > 0 && cut->before.bytes < HS_WINDOW_OUTPUT_SHOWN_MAX &&
          cut->before.lines < HS_WINDOW_OUTPUT_SHOWN_LINES)
        refill (self, shown_start (self->output, end), end);
      else
        {
          gtk_text_buffer_get_iter_at_offset (buffer, &from, cut->offset);
          gtk_text_buffer_get_end_iter (buffer, &to);
          gtk_text_buffer_delete (buffer, &from, &to);
          self->output_bytes = cut->before.bytes;
          self->output_lines = cut->before.lines;
          g_array_set_size (self->output_offsets, end - self->output_first);
          self->output_end = end;
        }
    }
  else if (end > self->output_end)
    {
      Amount total = { self->output_bytes, self->output_lines };

      for (guint i = self->output_end; i < end && fits (total, 2); i++)
        {
          Amount more = segment_amount (self->output, i);

          add (&total, &more);
        }
      if (!fits (total, 2))
        refill (self, shown_start (self->output, end), end);
      else
        append_segments (self, end);
    }
  remember_ends (self);
}

void
hs_window_update_output (HsWindow *self)
{
  GtkTextBuffer *buffer;
  gboolean at_end, finished;
  g_autofree char *status = NULL;
  GtkTextIter end;

  g_return_if_fail (HS_IS_WINDOW (self));

  buffer = gtk_text_view_get_buffer (self->output_view);
  at_end = self->n_steps == 0 || self->step + 1 == self->n_steps;

  /* the trailing output goes first, whatever the move */
  if (self->output_tail >= 0)
    {
      GtkTextIter from;

      gtk_text_buffer_get_iter_at_offset (buffer, &from, self->output_tail);
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_delete (buffer, &from, &end);
      self->output_tail = -1;
    }

  if (self->trace == NULL)
    {
      show_segments_through (self, 0);
      gtk_label_set_label (self->output_status, "");
      return;
    }
  show_segments_through (self, segments_through (self->output, self->step));

  /* a run that goes on settles its status and trailing output at its end */
  finished = !self->busy && hs_trace_is_finished (self->trace);
  if (at_end && finished)
    {
      const HsTraceError *error = hs_trace_get_error (self->trace);
      GBytes *trailing;

      self->output_tail = gtk_text_buffer_get_char_count (buffer);
      if ((trailing = hs_trace_get_trailing_stdout (self->trace)))
        append_text (buffer, g_bytes_get_data (trailing, NULL), g_bytes_get_size (trailing), NULL);
      if ((trailing = hs_trace_get_trailing_stderr (self->trace)))
        append_text (buffer, g_bytes_get_data (trailing, NULL), g_bytes_get_size (trailing), "stderr");
      if (error != NULL && error->traceback != NULL && *error->traceback != '\0')
        append_text (buffer, error->traceback, -1, "traceback");
    }

  if (finished)
    status = hs_window_describe_status (self->trace);
  gtk_label_set_label (self->output_status, finished ? status : "");

  /* Follow the newest output.  scroll_to_iter() right after a change
   * uses line heights not yet computed and stops short; a mark is
   * scrolled to once the view has measured its lines.  It is scrolled to
   * on every move: a scroll right after a change can still stop short,
   * and the last change of a run may come before its last move. */
  gtk_text_buffer_get_end_iter (buffer, &end);
  /* the end of the last line printed, not the empty line after it */
  if (gtk_text_iter_get_line (&end) > 0 && gtk_text_iter_starts_line (&end))
    gtk_text_iter_backward_char (&end);
  {
    GtkTextMark *mark = gtk_text_buffer_get_mark (buffer, "hs-output-end");

    if (mark == NULL)
      mark = gtk_text_buffer_create_mark (buffer, "hs-output-end", &end, FALSE);
    gtk_text_buffer_move_mark (buffer, mark, &end);
    gtk_text_view_scroll_mark_onscreen (self->output_view, mark);
  }
}

/* The whole output up to the step shown, long lines and the traceback
 * included, which the pane shows cut short. */
char *
hs_window_dup_whole_output (HsWindow *self)
{
  GString *text = g_string_new (NULL);
  guint end;

  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);

  if (self->trace == NULL)
    return g_string_free (text, FALSE);
  end = segments_through (self->output, self->step);
  for (guint i = 0; i < end; i++)
    {
      GBytes *bytes = ((HsOutputSegment *) g_ptr_array_index (self->output, i))->bytes;

      g_string_append_len (text, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  if (self->output_tail >= 0)
    {
      const HsTraceError *error = hs_trace_get_error (self->trace);
      GBytes *trailing;

      if ((trailing = hs_trace_get_trailing_stdout (self->trace)))
        g_string_append_len (text, g_bytes_get_data (trailing, NULL), g_bytes_get_size (trailing));
      if ((trailing = hs_trace_get_trailing_stderr (self->trace)))
        g_string_append_len (text, g_bytes_get_data (trailing, NULL), g_bytes_get_size (trailing));
      if (error != NULL && error->traceback != NULL)
        g_string_append (text, error->traceback);
    }
  return g_string_free (text, FALSE);
}

void
hs_window_copy_output (HsWindow *self)
{
  g_autofree char *text = NULL;
  g_autofree char *valid = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));

  text = hs_window_dup_whole_output (self);
  valid = g_utf8_make_valid (text, -1);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), valid);
}

/* The last line with text that the program printed up to the step shown,
 * cut short as the pane cuts it; NULL before any. */
char *
hs_window_dup_last_output_line (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);

  if (self->trace == NULL)
    return NULL;
  for (guint i = segments_through (self->output, self->step); i > 0; i--)
    {
      GBytes *bytes = ((HsOutputSegment *) g_ptr_array_index (self->output, i - 1))->bytes;
      gsize size;
      const char *data = g_bytes_get_data (bytes, &size);
      const char *end = data + size;

      while (data != NULL && end > data)
        {
          const char *line_end = end;
          const char *line = end;

          while (line > data && line[-1] != '\n')
            line--;
          end = line > data ? line - 1 : data;
          /* a line that only ends here may have begun in an earlier
           * segment: what this segment holds of it is what is shown */
          if (line_end > line)
            {
              g_autofree char *text = hs_window_elide_lines (line, MIN (line_end - line, 4 * HS_WINDOW_LABEL_MAX),
                                                             HS_WINDOW_LABEL_MAX);

              g_strstrip (text);
              if (*text != '\0')
                return g_steal_pointer (&text);
            }
        }
    }
  return NULL;
}
