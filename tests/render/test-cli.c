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
 * layout of that step, so drawing it needs none of the pictures before
 * it, only the step before's snapshot. */
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
      g_autoptr(HsSnapshot) before = i > 0 ? hs_trace_get_snapshot (trace, i - 1) : NULL;
      g_autoptr(HsLayout) layout = NULL;
      g_autofree char *step = g_strdup_printf ("%u", i);
      g_autofree char *cli_png = NULL;
      g_autofree char *own_png = NULL;
      gsize cli_len, own_len;

      /* the step before says what the line changed and freed */
      layout_options.step_before = before;
      layout = hs_layout_new (snapshot, NULL, &layout_options);
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

/* --hidden-holders draws the holder boxes as the window's Show Hidden
 * Holders does: the literal 1000's "constants of <module>" box stands
 * under the picture, filled, in the exported picture, and the picture is
 * the renderer's with those holders, byte for byte. */
static void
test_hidden_holders (CliFixture    *fixture,
                     gconstpointer  data)
{
  g_autofree char *program = g_build_filename (fixture->dir, "holders.py", NULL);
  g_autofree char *cli_out = g_build_filename (fixture->dir, "cli.png", NULL);
  g_autofree char *own_out = g_build_filename (fixture->dir, "own.png", NULL);
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(HsSnapshot) snapshot = NULL;
  g_autoptr(HsLayout) layout = NULL;
  g_autoptr(HsLayoutHolders) holders = NULL;
  g_autoptr(GHashTable) growing = NULL;
  g_autofree char *cli_png = NULL;
  g_autofree char *own_png = NULL;
  g_autofree char *step = NULL;
  const HsHolderBox *consts = NULL;
  HsLayoutOptions layout_options;
  HsRenderOptions options;
  cairo_surface_t *picture;
  GPtrArray *boxes;
  gsize cli_len, own_len;
  double width, height;
  HsRect rect;
  const guint8 *pixel;

  g_assert_true (g_file_set_contents (program, "x = 1000\ny = [x, 'spam']\npass\n", -1, NULL));
  trace = hs_runner_run_sync (runner, program, NULL, NULL);
  g_assert_nonnull (trace);
  /* At `pass`, while the module's code still runs and holds its constants */
  for (guint i = 0; i < hs_trace_get_n_steps (trace) && snapshot == NULL; i++)
    {
      g_autoptr(HsSnapshot) at = hs_trace_get_snapshot (trace, i);

      if (hs_snapshot_get_line (at) == 3)
        {
          snapshot = g_steal_pointer (&at);
          step = g_strdup_printf ("%u", i);
        }
    }
  g_assert_nonnull (snapshot);
  g_assert_cmpint (render_test_cli (program, "--every-object", "--hidden-holders", "--scale", "1",
                                    "--step", step, "-o", cli_out, NULL), ==, 0);

  /* That step, laid out alone as the command lays it out */
  hs_layout_options_init (&layout_options);
  layout_options.growing = growing = hs_trace_ref_growing (trace);
  layout_options.every_object = TRUE;
  layout = hs_layout_new (snapshot, NULL, &layout_options);
  holders = hs_layout_holders_new (layout);
  boxes = hs_layout_holders_get_boxes (holders);
  for (guint b = 0; b < boxes->len; b++)
    if (g_str_equal (hs_holder_box_get_title (g_ptr_array_index (boxes, b), NULL), "constants of <module>"))
      consts = g_ptr_array_index (boxes, b);
  g_assert_nonnull (consts);
  hs_holder_box_get_title (consts, &rect);
  hs_layout_get_size (layout, &width, &height);
  g_assert_cmpfloat (rect.y, >=, height);

  picture = cairo_image_surface_create_from_png (cli_out);
  g_assert_cmpint (cairo_surface_status (picture), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_height (picture), >=, rect.y + rect.height);
  /* inside the box, right of its text: the holders' fill, (0.99, 0.96, 0.88) */
  pixel = cairo_image_surface_get_data (picture) +
          (int) (rect.y + rect.height - 3) * cairo_image_surface_get_stride (picture) +
          4 * (int) (rect.x + rect.width - 3);
  g_assert_cmpint (ABS (pixel[2] - 252), <=, 2);
  g_assert_cmpint (ABS (pixel[1] - 245), <=, 2);
  g_assert_cmpint (ABS (pixel[0] - 224), <=, 2);
  cairo_surface_destroy (picture);

  hs_render_options_init (&options);
  options.holders = holders;
  g_assert_true (hs_renderer_export (layout, &options, own_out, NULL));
  g_assert_true (g_file_get_contents (cli_out, &cli_png, &cli_len, NULL));
  g_assert_true (g_file_get_contents (own_out, &own_png, &own_len, NULL));
  g_assert_cmpmem (cli_png, cli_len, own_png, own_len);
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
  g_test_add ("/render/cli/hidden-holders", CliFixture, NULL, cli_setup, test_hidden_holders, cli_teardown);
  g_test_add ("/render/cli/unreadable", CliFixture, NULL, cli_setup, test_unreadable, cli_teardown);

  return g_test_run ();
}
