/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test-export"

#include "config.h"

#include <math.h>
#include <string.h>
#include <cairo.h>
#include <glib/gstdio.h>

#include "hs-renderer.h"
#include "render-test-util.h"

typedef struct
{
  RenderFixture  run;
  char          *dir;
} ExportFixture;

static void
export_setup (ExportFixture *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  render_fixture_load (&fixture->run, "copies.py");
  fixture->dir = g_dir_make_tmp ("heapscope-export-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
export_teardown (ExportFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  render_fixture_teardown (&fixture->run, NULL);
}

static char *
export (ExportFixture *fixture,
        const char    *name,
        gboolean       dark)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);
  HsRenderOptions options;

  hs_render_options_init (&options);
  options.palette = dark ? HS_RENDER_PALETTE_DARK : HS_RENDER_PALETTE_LIGHT;
  g_assert_true (hs_renderer_export (render_fixture_last (&fixture->run), &options, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_png (ExportFixture *fixture,
          gconstpointer  data)
{
  g_autofree char *path = export (fixture, "step.png", FALSE);
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);
  const guint8 *pixels;
  double w, h;
  guint dark_pixels = 0;
  int stride;

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  hs_layout_get_size (render_fixture_last (&fixture->run), &w, &h);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, (int) w);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, (int) h);

  /* Something was drawn: ink on the white page */
  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      dark_pixels += pixels[y * stride + x * 4 + 1] < 80;
  g_assert_cmpuint (dark_pixels, >, 1000);
  cairo_surface_destroy (surface);
}

static void
test_png_dark (ExportFixture *fixture,
               gconstpointer  data)
{
  g_autofree char *path = export (fixture, "dark.png", TRUE);
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);
  const guint8 *pixels;

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);
  /* The corner is background: dark */
  g_assert_cmpuint (pixels[1], <, 60);
  cairo_surface_destroy (surface);
}

static void
test_svg (ExportFixture *fixture,
          gconstpointer  data)
{
  g_autofree char *path = export (fixture, "step.svg", FALSE);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "<?xml"));
  g_assert_nonnull (strstr (contents, "<svg"));
  g_assert_nonnull (strstr (contents, "</svg>"));
  g_assert_nonnull (strstr (contents, "<path"));
}

static void
test_pdf (ExportFixture *fixture,
          gconstpointer  data)
{
  g_autofree char *path = export (fixture, "step.pdf", FALSE);
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  int status;
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  /* the values 1 and 2 drawn inside the rows' slots, as text */
  static const char * const expected[] = { "grid", "alias", "shallow", "deep", "copy", "list", "1", "2", "module", "refcount" };

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_cmpuint (length, >, 16);
  g_assert_nonnull (g_strstr_len (contents + length - 16, 16, "%%EOF"));

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &text, NULL, &status, &error))
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (strstr (text, expected[i]) == NULL)
      g_error ("pdftotext found no “%s” in:\n%s", expected[i], text);
}

static void
test_bad_extension (ExportFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "step.bmp", NULL);

  g_assert_false (hs_renderer_export (render_fixture_last (&fixture->run), NULL, path, &error));
  g_assert_error (error, HS_RENDERER_ERROR, HS_RENDERER_ERROR_FORMAT);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_draw_any_cairo (ExportFixture *fixture,
                     gconstpointer  data)
{
  HsLayout *layout = render_fixture_last (&fixture->run);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 100);
  cairo_t *cr = cairo_create (surface);
  guint32 selected[] = { 0 };
  HsRenderOptions options;
  const HsLayoutBox *boxes;
  guint n;

  /* Selection, hover and a clip that cuts most boxes away */
  boxes = hs_layout_get_boxes (layout, &n);
  for (guint i = 0; i < n; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT)
      selected[0] = boxes[i].ref;
  hs_render_options_init (&options);
  options.selected = selected;
  options.n_selected = 1;
  options.hovered = selected[0];
  options.scale = 0.5;
  hs_renderer_draw (cr, layout, &options);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
draw_region (HsLayout        *layout,
             cairo_surface_t *surface,
             double           x,
             double           y)
{
  cairo_t *cr = cairo_create (surface);

  cairo_translate (cr, -x, -y);
  hs_renderer_draw (cr, layout, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
}

/* The widget draws only the part it shows, and the renderer strokes only
 * the stretch of each arrow that crosses the clip: that part must look as
 * it does in the whole picture. */
static void
test_draw_viewport (ExportFixture *fixture,
                    gconstpointer  data)
{
  HsLayout *layout = render_fixture_last (&fixture->run);
  const HsLayoutEdge *edges, *longest = NULL;
  cairo_surface_t *whole, *view;
  double width, height, x, y, best = 0;
  guint n, differ = 0, lit = 0;
  int ws, vs;

  /* A small view around the middle of the longest arrow, whose ends it
   * leaves outside */
  edges = hs_layout_get_edges (layout, &n);
  for (guint i = 0; i < n; i++)
    {
      double len = hypot (edges[i].x[3] - edges[i].x[0], edges[i].y[3] - edges[i].y[0]);

      if (len > best)
        best = len, longest = &edges[i];
    }
  g_assert_nonnull (longest);
  g_assert_cmpfloat (best, >, 120);
  /* the middle of its middle curve: an arrow routed around boxes has
   * several, and its ends' tangents (x[], y[]) then miss its path */
  {
    const HsPoint *p = longest->path + 3 * (longest->n_curves / 2);

    x = floor ((p[0].x + 3 * p[1].x + 3 * p[2].x + p[3].x) / 8) - 20;
    y = floor ((p[0].y + 3 * p[1].y + 3 * p[2].y + p[3].y) / 8) - 20;
  }

  hs_layout_get_size (layout, &width, &height);
  whole = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, ceil (width), ceil (height));
  view = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 40, 40);
  draw_region (layout, whole, 0, 0);
  draw_region (layout, view, x, y);

  ws = cairo_image_surface_get_stride (whole);
  vs = cairo_image_surface_get_stride (view);
  for (int row = 0; row < 40; row++)
    for (int col = 0; col < 40; col++)
      {
        const guint8 *a = cairo_image_surface_get_data (whole) + (int) (y + row) * ws + (int) (x + col) * 4;
        const guint8 *b = cairo_image_surface_get_data (view) + row * vs + col * 4;
        int diff = 0;

        for (int c = 0; c < 4; c++)
          diff = MAX (diff, ABS (a[c] - b[c]));
        /* Anti-aliasing may differ by a few levels where a curve is cut */
        differ += diff > 24;
        /* drawn on the white page: an arrow's ink, dark or grey */
        lit += b[0] < 200;
      }
  cairo_surface_destroy (whole);
  cairo_surface_destroy (view);

  g_assert_cmpuint (lit, >, 0);
  g_assert_cmpuint (differ, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/render/export/png", ExportFixture, NULL, export_setup, test_png, export_teardown);
  g_test_add ("/render/export/png-dark", ExportFixture, NULL, export_setup, test_png_dark, export_teardown);
  g_test_add ("/render/export/svg", ExportFixture, NULL, export_setup, test_svg, export_teardown);
  g_test_add ("/render/export/pdf-text", ExportFixture, NULL, export_setup, test_pdf, export_teardown);
  g_test_add ("/render/export/bad-extension", ExportFixture, NULL, export_setup, test_bad_extension, export_teardown);
  g_test_add ("/render/draw/options", ExportFixture, NULL, export_setup, test_draw_any_cairo, export_teardown);
  g_test_add ("/render/draw/viewport", ExportFixture, NULL, export_setup, test_draw_viewport, export_teardown);

  return g_test_run ();
}
