/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Draws a laid-out step onto any cairo_t, and exports it to PNG, SVG or
 * PDF.  The GTK widget and `heapscope render` share this code, and it needs
 * no display.
 *
 * In the light palette shape and line style carry every distinction, so a
 * black-and-white printout keeps its meaning: immutable objects have
 * rounded corners, mutable ones square; immortal objects a double outline;
 * new and changed objects a thick outline and a tag; ghosts a dashed one;
 * dict keys dashed arrows, defaults dotted ones.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "hs-layout.h"

G_BEGIN_DECLS

#define HS_RENDERER_ERROR (hs_renderer_error_quark ())

typedef enum
{
  HS_RENDERER_ERROR_FORMAT,   /* the file name ends in no known extension */
  HS_RENDERER_ERROR_FAILED,   /* cairo could not write the file */
} HsRendererError;

typedef enum
{
  HS_RENDER_PALETTE_LIGHT,
  HS_RENDER_PALETTE_DARK,
  HS_RENDER_PALETTE_HIGH_CONTRAST,  /* presentation: black on white, saturated marks */
} HsRenderPalette;

typedef struct
{
  HsRenderPalette  palette;
  double           scale;        /* device units per layout unit (PNG pixels, or the widget's zoom) */
  guint32          hovered;      /* ref of the hovered object, 0 for none */
  const guint32   *selected;     /* refs of the selected objects */
  guint            n_selected;
  gboolean         transparent;  /* leave the background unpainted */
  double           line_scale;   /* presentation: arrows and outlines this many times thicker; 0 or 1 for normal */
  gboolean         hide_changes; /* presentation: new, changed and freed objects drawn as blank cards, their arrows left out */
} HsRenderOptions;

GQuark   hs_renderer_error_quark (void);

void     hs_render_options_init  (HsRenderOptions       *options);

/* Draws in layout units scaled by options->scale, from (0, 0); boxes
 * outside the clip are skipped, and arrows are stroked only where they
 * cross it.  options may be NULL. */
void     hs_renderer_draw        (cairo_t               *cr,
                                  HsLayout              *layout,
                                  const HsRenderOptions *options);

/* Writes .png, .svg or .pdf, chosen by the file name's extension. */
gboolean hs_renderer_export      (HsLayout              *layout,
                                  const HsRenderOptions *options,
                                  const char            *filename,
                                  GError               **error);

G_END_DECLS
