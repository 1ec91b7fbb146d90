/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test-render-cli"

#include "config.h"

#include <glib/gstdio.h>

#include "hs-renderer.h"
#include "hs-test-files.h"
#include "render-test-cli.h"
#include "render-test-util.h"

typedef struct
{
  char *dir;
} CliFixture;

static void
cli_setup (CliFixture    *fixture,
           gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("heapscope-render-cli-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
}

static void
cli_teardown (CliFixture    *fixture,
              gconstpointer  data)
{
  hs_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
test_png (CliFixture    *fixture,
          gconstpointer  data)
{
  g_autofree char *program = render_test_program ("instance.py");
  g_autofree char *out = g_build_filename (fixture->dir, "p.png", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_cmpint (render_test_cli (program, "--step", "last", "-o", out, NULL), ==, 0);
  g_assert_true (g_file_get_contents (out, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 8);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
}

static void
test_all_steps (CliFixture    *fixture,
                gconstpointer  data)
{
  g_autofree char *program = render_test_program ("dict.py");
  g_autofree char *out = g_build_filename (fixture->dir, "steps", NULL);
  g_autofree char *first = g_build_filename (out, "step-00000.svg", NULL);
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsTrace) trace = hs_runner_run_sync (runner, program, NULL, NULL);
  g_autoptr(GDir) dir = NULL;
  guint files = 0;

  g_assert_cmpint (render_test_cli (program, "--all-steps", out, "-o", "x.svg", "--dark", NULL), ==, 0);
  dir = g_dir_open (out, 0, NULL);
  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    files++;
  g_assert_cmpuint (files, ==, hs_trace_get_n_steps (trace));
  g_assert_true (g_file_test (first, G_FILE_TEST_EXISTS));
}

/* --step N lays out step N on its own: the picture is the one of a fresh
 * layout of that step, so drawing it needs none of the steps before it. */
static void
test_step_alone (CliFixture    *fixture,
                 gconstpointer  data)
{
  g_autofree char *program = render_test_program (data);
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsTrace) trace = hs_runner_run_sync (runner, program, NULL, NULL);
  g_autofree char *cli_out = g_build_filename (fixture->dir, "cli.png", NULL);
  g_autofree char *own_out = g_build_filename (fixture->dir, "own.png", NULL);
  g_autoptr(GHashTable) growing = NULL;
  HsLayoutOptions layout_options;
  HsRenderOptions options;

  g_assert_nonnull (trace);
  hs_render_options_init (&options);
  options.scale = 2;   /* the command's default */
  /* the run is over: the command keeps room only below what grows */
  hs_layout_options_init (&layout_options);
  layout_options.growing = growing = hs_trace_ref_growing (trace);
  for (guint i = 0; i < hs_trace_get_n_steps (trace); i++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, i);
      g_autoptr(HsLayout) layout = hs_layout_new (snapshot, NULL, &layout_options);
      g_autofree char *step = g_strdup_printf ("%u", i);
      g_autofree char *cli_png = NULL;
      g_autofree char *own_png = NULL;
      gsize cli_len, own_len;

      g_assert_cmpint (render_test_cli (program, "--step", step, "-o", cli_out, NULL), ==, 0);
      g_assert_true (hs_renderer_export (layout, &options, own_out, NULL));
      g_assert_true (g_file_get_contents (cli_out, &cli_png, &cli_len, NULL));
      g_assert_true (g_file_get_contents (own_out, &own_png, &own_len, NULL));
      g_assert_cmpmem (cli_png, cli_len, own_png, own_len);
    }
}

static void
test_usage_errors (CliFixture    *fixture,
                   gconstpointer  data)
{
  g_autofree char *program = render_test_program ("dict.py");
  g_autofree char *out = g_build_filename (fixture->dir, "p.png", NULL);
  g_autofree char *bmp = g_build_filename (fixture->dir, "p.bmp", NULL);

  if (g_test_subprocess ())
    {
      /* Each is a usage error: status 2 */
      g_assert_cmpint (render_test_cli (program, NULL), ==, 2);
      g_assert_cmpint (render_test_cli (program, "-o", bmp, NULL), ==, 2);
      g_assert_cmpint (render_test_cli (program, "-o", out, "--step", "soon", NULL), ==, 2);
      g_assert_cmpint (render_test_cli (program, "-o", out, "--step", "100000", NULL), ==, 2);
      g_assert_cmpint (render_test_cli ("-o", out, NULL), ==, 2);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*Give -o OUT or --all-steps DIR*");
}

static void
test_unreadable (CliFixture    *fixture,
                 gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.py", NULL);
  g_autofree char *out = g_build_filename (fixture->dir, "p.png", NULL);

  if (g_test_subprocess ())
    {
      g_assert_cmpint (render_test_cli (missing, "-o", out, NULL), ==, 1);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*cannot read*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/render/cli/png", CliFixture, NULL, cli_setup, test_png, cli_teardown);
  g_test_add ("/render/cli/step-alone", CliFixture, "copies.py", cli_setup, test_step_alone, cli_teardown);
  g_test_add ("/render/cli/all-steps", CliFixture, NULL, cli_setup, test_all_steps, cli_teardown);
  g_test_add ("/render/cli/usage-errors", CliFixture, NULL, cli_setup, test_usage_errors, cli_teardown);
  g_test_add ("/render/cli/unreadable", CliFixture, NULL, cli_setup, test_unreadable, cli_teardown);

  return g_test_run ();
}
