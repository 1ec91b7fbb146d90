/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Draws a laid-out step onto any cairo_t, and exports it to PNG, SVG or
 * PDF.  The GTK widget and `heapscope render` share this code, and it needs
 * no display.
 *
 * In the light palette shape and line style carry every distinction, so a
 * black-and-white printout keeps its meaning: immutable objects have
 * rounded corners, mutable ones square; immortal objects a double outline;
 * objects the line created, and containers it changed, a thick outline and
 * a tag (objects that merely came into view a thin one, no tag), and the
 * slots and arrows it changed a bar and a thicker arrow; ghosts a dashed one;
 * dict keys dashed arrows, defaults dotted ones.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "hs-layout.h"
#include "hs-layout-route.h"
#include "hs-layout-holders.h"
#include "hs-render-marks.h"

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
  const HsRenderMarks *marks;    /* slots the step changed, or NULL */
  gboolean         hide_current_frame_edges; /* a pinned copy of the frame draws them */
  double           line_scale;   /* presentation: arrows and outlines this many times thicker; 0 or 1 for normal */
  gboolean         hide_changes; /* presentation: new, changed and freed objects drawn as blank cards, their arrows left out */
  double           readable_px;  /* boxes whose smallest text is smaller than this, in device units, collapse;
                                  * 0 for HS_RENDERER_READABLE_PX */
  const HsLayoutHolders *holders; /* hidden holders to draw over the picture, placed for the layout drawn; or NULL.
                                   * An export is then as large as their extent. */
} HsRenderOptions;

/* Box text smaller than this on screen cannot be read: below it, boxes
 * collapse to their type and a short value drawn large. */
#define HS_RENDERER_READABLE_PX 9.0

typedef enum
{
  HS_RENDERER_HIT_NONE,
  HS_RENDERER_HIT_MARKS,    /* the line of badges: "immortal · small int" */
  HS_RENDERER_HIT_TAG,      /* the "new" or "changed" tag */
} HsRendererHit;

/* The texts of a box, by what they say */
typedef enum
{
  HS_RENDERER_TEXT_TITLE,     /* type, class or frame */
  HS_RENDERER_TEXT_FACTS,     /* "refcount 3, 2 shown" */
  HS_RENDERER_TEXT_MARKS,     /* "mutable · gc gen 0" */
  HS_RENDERER_TEXT_VALUE,
  HS_RENDERER_TEXT_NOTE,      /* ghosts: "freed at line 7 (refcount 0)" */
  HS_RENDERER_TEXT_LABEL,     /* a row's name or index, or its value: a dict's key, a set's member */
  HS_RENDERER_TEXT_ELISION,   /* "… 9,990 more" */
  HS_RENDERER_TEXT_TAG,       /* "new" or "changed", standing on the box's top edge */
  HS_RENDERER_TEXT_SLOT,      /* a scalar drawn inside its slot (values in their slots) */
} HsRendererTextRole;

/* One text of a box as hs_renderer_draw() draws it, in layout units */
typedef struct
{
  HsRendererTextRole  role;
  HsLayoutFont        font;
  const char         *text;
  guint               row;        /* LABEL and ELISION: the box's row */
  HsRect              logical;
  HsRect              ink;
  double              em;         /* the font's em size */
  double              ink_rgb[3]; /* the text's colour and what is under it, */
  double              under_rgb[3]; /* both as they show on the background */
} HsRendererText;

/* The colours arrows are drawn in */
typedef enum
{
  HS_RENDERER_ARROW_PLAIN,
  HS_RENDERER_ARROW_BACK,     /* leftward, around the side */
  HS_RENDERER_ARROW_KEY,      /* from a dict key, dashed */
  HS_RENDERER_ARROW_CHANGED,  /* set by the step */
  HS_RENDERER_N_ARROWS
} HsRendererArrow;

GQuark   hs_renderer_error_quark (void);

/* An arrow's colour in palette, the picture's background under it, and
 * the thinnest line width (layout units) it is drawn with. */
void     hs_renderer_get_arrow_rgb (HsRenderPalette  palette,
                                    HsRendererArrow  arrow,
                                    double           rgb[3],
                                    double           background[3],
                                    double          *width);

void     hs_render_options_init  (HsRenderOptions       *options);

/* Draws in layout units scaled by options->scale, from (0, 0); boxes
 * outside the clip are skipped, and arrows are stroked only where they
 * cross it.  options may be NULL. */
void     hs_renderer_draw        (cairo_t               *cr,
                                  HsLayout              *layout,
                                  const HsRenderOptions *options);

/* Draws the frame box frame of layout where route pins it, lifted over
 * the picture, and the arrows route leads from its names to their
 * objects: the view keeps the current frame in sight this way when what
 * the step changed is far from it. */
void     hs_renderer_draw_pinned_frame (cairo_t               *cr,
                                        HsLayout              *layout,
                                        const HsLayoutBox     *frame,
                                        const HsLayoutOverlayArrows  *route,
                                        const HsRenderOptions *options);

/* The smallest scale at which every box's text is at least
 * HS_RENDERER_READABLE_PX device units high (its em size). */
double   hs_renderer_get_readable_scale (void);

/* What of a box's drawn text (x, y), in layout units, falls on. */
HsRendererHit hs_renderer_hit_box   (HsLayout              *layout,
                                     const HsLayoutBox     *box,
                                     double                 x,
                                     double                 y);

/* The texts box shows when drawn whole (not collapsed), where and in
 * which colours hs_renderer_draw() draws them with options (NULL for the
 * defaults); an array of HsRendererText. */
GArray  *hs_renderer_get_box_texts (HsLayout              *layout,
                                    const HsLayoutBox     *box,
                                    const HsRenderOptions *options);

/* The "new" or "changed" tag on the top edge of ref's box, in layout
 * units; FALSE when it has none.  hs_renderer_draw_tag() draws it again,
 * scaled by options->scale: the view lays it over the selection outline,
 * which would cross it. */
gboolean hs_renderer_get_tag_rect (HsLayout              *layout,
                                   guint32                ref,
                                   HsRect                *out);
void     hs_renderer_draw_tag     (cairo_t               *cr,
                                   HsLayout              *layout,
                                   guint32                ref,
                                   const HsRenderOptions *options);

/* What box shows under its type when collapsed (semantic zoom): the
 * start of its repr, or how many items a container holds; NULL for none.
 * Free with g_free(). */
char    *hs_renderer_get_collapsed_value (HsLayout          *layout,
                                          const HsLayoutBox *box);

/* Writes .png, .svg or .pdf, chosen by the file name's extension. */
gboolean hs_renderer_export      (HsLayout              *layout,
                                  const HsRenderOptions *options,
                                  const char            *filename,
                                  GError               **error);

G_END_DECLS
