/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The fonts of the reference graph, and a process-wide cache of shaped
 * text.  The layout measures with it and the renderer draws from it, so
 * both agree on every width, and re-rendering a step does not shape its
 * text again.
 */
#pragma once

#include <pango/pangocairo.h>

G_BEGIN_DECLS

typedef enum
{
  HS_LAYOUT_FONT_UI,       /* names and labels */
  HS_LAYOUT_FONT_TITLE,    /* type and function titles */
  HS_LAYOUT_FONT_SMALL,    /* facts, indices, notes */
  HS_LAYOUT_FONT_MONO,     /* values */
  HS_LAYOUT_N_FONTS
} HsLayoutFont;

/*
 * Shaped text is shared between threads, so every use of it happens
 * between hs_layout_text_lock() and hs_layout_text_unlock().
 */
void         hs_layout_text_lock      (void);
void         hs_layout_text_unlock    (void);

/* Sets the families used from now on; NULL keeps "Sans" and "Monospace". */
void         hs_layout_text_set_fonts (const char   *ui_family,
                                       const char   *mono_family);

/* Returns a cached layout, valid until the lock is released. */
PangoLayout *hs_layout_text_get       (HsLayoutFont  font,
                                       const char   *text);
double       hs_layout_text_width     (HsLayoutFont  font,
                                       const char   *text);
double       hs_layout_text_height    (HsLayoutFont  font);

G_END_DECLS
