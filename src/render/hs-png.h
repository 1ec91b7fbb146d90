/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writes a cairo ARGB32 image surface as a PNG file, quickly, and makes
 * the surface to draw the picture into.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

cairo_surface_t *hs_png_surface_new (int width,
                                     int height);
gboolean         hs_png_write       (cairo_surface_t *surface,
                                     const char      *filename,
                                     GError         **error);

G_END_DECLS
