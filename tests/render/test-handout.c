/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `heapscope render FILE --all-steps OUT.pdf`: one page per step, each
 * with its step's title and, for a lesson, its note.  Pages are counted
 * from the PDF's page tree; their text is read with pdftotext when it is
 * installed.
 */
#define G_LOG_DOMAIN "heapscope-test-render-handout"

#define _GNU_SOURCE
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "hs-layout.h"
#include "hs-lesson.h"
#include "hs-test-trace.h"
#include "render-test-cli.h"

/* The /Count of the root of the page tree: the one no /Parent names. */
static guint
pdf_page_count (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;
  guint count = 0;
  const char *at;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  /* memmem: the compressed streams hold NUL bytes. */
  for (at = contents; (at = memmem (at, length - (at - contents), "/Type /Pages", 12)); at++)
    {
      const char *end = memmem (at, length - (at - contents), ">>", 2);
      g_autofree char *dict = g_strndup (at, end ? (gsize) (end - at) : 0);
      const char *number = strstr (dict, "/Count ");

      if (number != NULL && strstr (dict, "/Parent") == NULL)
        count = (guint) g_ascii_strtoull (number + strlen ("/Count "), NULL, 10);
    }
  return count;
}

static char *
page_text (const char *pdf,
           guint       page)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  g_autofree char *number = g_strdup_printf ("%u", page);
  g_autofree char *out = NULL;
  g_auto(GStrv) words = NULL;
  const char *argv[] = { tool, "-f", number, "-l", number, pdf, "-", NULL };
  int status;

  if (tool == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* Lines wrapped on the page are one run of words here. */
  words = g_strsplit_set (g_strstrip (out), " \n", -1);
  return g_strjoinv (" ", words);
}

/* Words of the note as printed: backquotes mark code, not text. */
static char *
note_start (const char *note)
{
  g_auto(GStrv) words = g_strsplit_set (note, " \n", -1);
  GString *start = g_string_new (NULL);

  for (guint i = 0, n = 0; words[i] != NULL && n < 3; i++)
    if (*words[i] != '\0')
      {
        g_autofree char *plain = g_strdelimit (g_strdup (words[i]), "`", ' ');

        g_string_append_printf (start, "%s%s", n++ ? " " : "", g_strstrip (plain));
      }
  return g_string_free (start, FALSE);
}

static void
test_lesson_handout (HsTraceFixture *f,
                     gconstpointer   data)
{
  g_autofree char *program = g_build_filename (HS_TEST_LESSONS, "copies.py", NULL);
  g_autofree char *xml_path = g_build_filename (HS_TEST_LESSONS, "copies.lesson", NULL);
  g_autofree char *dir = g_dir_make_tmp ("heapscope-handout-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "copies.pdf", NULL);
  g_autofree char *source = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *pdftotext = NULL;
  g_autoptr(HsLesson) lesson = NULL;
  g_autoptr(GError) error = NULL;
  HsTrace *trace;
  guint n_steps, checked = 0;
  gsize length;

  g_assert_true (g_file_get_contents (program, &source, NULL, NULL));
  g_assert_true (g_file_get_contents (xml_path, &xml, &length, NULL));
  lesson = hs_lesson_new_from_data ("copies", xml, length, source, &error);
  g_assert_no_error (error);
  trace = hs_trace_fixture_run (f, source);
  n_steps = hs_trace_get_n_steps (trace);
  g_assert_cmpuint (n_steps, >, 5);

  g_assert_cmpint (render_test_cli (program, "--all-steps", pdf, NULL), ==, 0);
  g_assert_cmpuint (pdf_page_count (pdf), ==, n_steps);

  for (guint i = 0; i < n_steps; i++)
    {
      g_autofree char *text = page_text (pdf, i + 1);
      g_autofree char *title = g_strdup_printf ("step %u of %u", i + 1, n_steps);
      int note = hs_lesson_note_at_step (lesson, trace, i);

      if (text == NULL)
        {
          g_test_message ("pdftotext is not installed: the pages' text is not read");
          break;
        }
      g_assert_nonnull (strstr (text, title));
      if (note >= 0)
        {
          g_autofree char *start = note_start (hs_lesson_get_note (lesson, note, NULL, NULL));

          g_assert_nonnull (strstr (text, start));
          checked++;
        }
    }
  /* copies.lesson has notes from its first lines on. */
  pdftotext = g_find_program_in_path ("pdftotext");
  if (pdftotext != NULL)
    g_assert_cmpuint (checked, >, 0);

  g_unlink (pdf);
  g_rmdir (dir);
}

/* A program that is no lesson gets its pages too. */
static void
test_plain_handout (HsTraceFixture *f,
                    gconstpointer   data)
{
  g_autofree char *dir = g_dir_make_tmp ("heapscope-handout-XXXXXX", NULL);
  g_autofree char *program = hs_trace_fixture_write (f, "plain.py", "a = [1]\nb = a\nb.append(2)\n");
  g_autofree char *pdf = g_build_filename (dir, "plain.PDF", NULL);
  HsTrace *trace = hs_trace_fixture_run (f, "a = [1]\nb = a\nb.append(2)\n");

  g_assert_cmpint (render_test_cli (program, "--all-steps", pdf, NULL), ==, 0);
  g_assert_cmpuint (pdf_page_count (pdf), ==, hs_trace_get_n_steps (trace));
  g_unlink (pdf);
  g_rmdir (dir);
}

/* A handout for a course on refcounts carries them: at every step of
 * every lesson, its page says of every object what the window says,
 * "refcount 4" (issue 51: pages drew boxes collapsed, "list / 2 items"). */
static void
test_handout_refcounts (HsTraceFixture *f,
                        gconstpointer   data)
{
  g_autoptr(GDir) lessons = g_dir_open (HS_TEST_LESSONS, 0, NULL);
  g_autofree char *dir = g_dir_make_tmp ("heapscope-handout-XXXXXX", NULL);
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  g_autoptr(GRegex) count = g_regex_new ("refcount [0-9]", 0, 0, NULL);
  const char *name;
  guint n_pages = 0, n_counts = 0;

  if (tool == NULL)
    {
      g_test_skip ("pdftotext is not installed: the pages' text cannot be read");
      return;
    }
  g_assert_nonnull (lessons);
  while ((name = g_dir_read_name (lessons)) != NULL)
    {
      g_autofree char *program = NULL;
      g_autofree char *pdf = NULL;
      g_autofree char *source = NULL;
      HsTrace *trace;

      if (!g_str_has_suffix (name, ".py"))
        continue;
      program = g_build_filename (HS_TEST_LESSONS, name, NULL);
      pdf = g_build_filename (dir, "lesson.pdf", NULL);
      g_assert_true (g_file_get_contents (program, &source, NULL, NULL));
      trace = hs_trace_fixture_run (f, source);
      g_assert_cmpint (render_test_cli (program, "--all-steps", pdf, NULL), ==, 0);
      for (guint i = 0; i < hs_trace_get_n_steps (trace); i++)
        {
          g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, i);
          g_autofree char *text = page_text (pdf, i + 1);
          HsLayoutOptions options;
          HsLayout *layout;
          const HsLayoutBox *boxes;
          g_autoptr(GMatchInfo) match = NULL;
          guint n_boxes, n_objects = 0, n_printed = 0;

          /* What gets a box of its own (a 0 in its slot has none) with
           * a count in the window: "refcount 4", not "static" for what
           * 3.11 allocates statically.  The counts themselves come from
           * the CLI's own run, where a shared str's may differ */
          hs_layout_options_init (&options);
          layout = hs_layout_new (snapshot, NULL, &options);
          boxes = hs_layout_get_boxes (layout, &n_boxes);
          for (guint b = 0; b < n_boxes; b++)
            n_objects += boxes[b].kind == HS_LAYOUT_BOX_OBJECT && boxes[b].alpha > 0 &&
                         boxes[b].facts != NULL && g_str_has_prefix (boxes[b].facts, "refcount ");
          hs_layout_unref (layout);
          for (g_regex_match (count, text, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
            n_printed++;
          if (n_printed < n_objects)
            g_error ("%s, step %u of %u: the window counts the references of %u objects, the page of %u: %.300s",
                     name, i + 1, hs_trace_get_n_steps (trace), n_objects, n_printed, text);
          n_pages += n_objects > 0;
          n_counts += n_objects;
        }
      g_unlink (pdf);
    }
  g_test_message ("%u pages with objects: %u boxes' refcounts, every one printed", n_pages, n_counts);
  g_assert_cmpuint (n_pages, >, 0);
  g_rmdir (dir);
}

/* -o does not go with a handout: it is one file already. */
static void
test_handout_usage (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *program = g_build_filename (HS_TEST_LESSONS, "copies.py", NULL);

      exit (render_test_cli (program, "--all-steps", "x.pdf", "-o", "x.png", NULL));
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*leave out -o*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/render/handout/lesson", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_lesson_handout, hs_trace_fixture_teardown);
  g_test_add ("/render/handout/plain", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_plain_handout, hs_trace_fixture_teardown);
  g_test_add ("/render/handout/refcounts", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_handout_refcounts, hs_trace_fixture_teardown);
  g_test_add_func ("/render/handout/usage", test_handout_usage);
  return g_test_run ();
}
