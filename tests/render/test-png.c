/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The PNG writer of exported pictures (issue 10): what it writes reads
 * back through cairo's own PNG reader pixel for pixel, opaque or not.
 */
#define G_LOG_DOMAIN "heapscope-test-png"

#include "config.h"

#include <glib/gstdio.h>

#include "hs-png.h"

/* Draws a picture with flat areas, an edge and, unless opaque, a
 * half-transparent corner. */
static cairo_surface_t *
draw_picture (int      width,
              int      height,
              gboolean opaque)
{
  cairo_surface_t *surface = hs_png_surface_new (width, height);
  cairo_t *cr = cairo_create (surface);

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  if (opaque)
    {
      cairo_set_source_rgb (cr, 0.98, 0.97, 0.95);
      cairo_paint (cr);
    }
  cairo_set_source_rgb (cr, 0.2, 0.4, 0.8);
  cairo_rectangle (cr, 3, 2, width / 2.0, height / 3.0);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.9, 0.1, 0.1);
  cairo_set_line_width (cr, 1.5);
  cairo_move_to (cr, 0, height);
  cairo_line_to (cr, width, 0);
  cairo_stroke (cr);
  if (!opaque)
    {
      cairo_set_source_rgba (cr, 0.1, 0.8, 0.3, 0.5);
      cairo_rectangle (cr, width - 8, height - 8, 8, 8);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  return surface;
}

/* Straight colour of pixel (x, y), so that two surfaces premultiplied by
 * different rounding still compare. */
static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return ((const guint32 *) (gconstpointer) (data + (gsize) y * stride))[x];
}

static void
check_round_trip (gconstpointer data)
{
  gboolean opaque = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("heapscope-png-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "picture.png", NULL);
  cairo_surface_t *written = draw_picture (301, 97, opaque);
  cairo_surface_t *read;
  guint differ = 0;

  g_assert_true (hs_png_write (written, path, &error));
  g_assert_no_error (error);

  read = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (read), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (read), ==, 301);
  g_assert_cmpint (cairo_image_surface_get_height (read), ==, 97);
  g_assert_cmpint (cairo_image_surface_get_format (read), ==, opaque ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32);

  for (int y = 0; y < 97; y++)
    for (int x = 0; x < 301; x++)
      {
        guint32 a = pixel (written, x, y), b = pixel (read, x, y);

        if (opaque)
          {
            a &= 0xffffff;
            b &= 0xffffff;
          }
        /* half-transparent pixels go through straight alpha and back */
        if ((a >> 24) == 0xff || opaque ? a != b : ABS ((int) (a & 0xff) - (int) (b & 0xff)) > 1)
          differ++;
      }
  g_assert_cmpuint (differ, ==, 0);

  cairo_surface_destroy (read);
  cairo_surface_destroy (written);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_unwritable (void)
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = draw_picture (10, 10, TRUE);

  g_assert_false (hs_png_write (surface, "/nonexistent-dir/picture.png", &error));
  g_assert_nonnull (error);
  cairo_surface_destroy (surface);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/render/png/opaque", GINT_TO_POINTER (TRUE), check_round_trip);
  g_test_add_data_func ("/render/png/transparent", GINT_TO_POINTER (FALSE), check_round_trip);
  g_test_add_func ("/render/png/unwritable", test_unwritable);
  return g_test_run ();
}
