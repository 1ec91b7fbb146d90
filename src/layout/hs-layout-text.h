/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The fonts of the reference graph, text measurement, and shaped text.
 *
 * The layout thread measures and shapes text under a process-wide lock
 * (hs_layout_text_lock()), with a cache shared by every layout.  Each
 * layout keeps the text it shaped, as glyph runs, in an immutable
 * HsLayoutTextSet; the renderer draws from that set inside
 * hs_layout_text_begin_draw() / hs_layout_text_end_draw(), without the
 * lock, so drawing on the main thread never waits for a layout being built
 * on another thread.  Glyph runs hold only cairo scaled fonts, which cairo
 * makes safe to share between threads.
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

typedef struct _HsLayoutTextSet HsLayoutTextSet;

/*
 * Outside a draw scope, every use of text happens between
 * hs_layout_text_lock() and hs_layout_text_unlock().
 */
void         hs_layout_text_lock      (void);
void         hs_layout_text_unlock    (void);

/* Returns a cached layout, valid until the lock is released (lock only). */
PangoLayout *hs_layout_text_get       (HsLayoutFont  font,
                                       const char   *text);

/* Under the lock, or inside a draw scope, where they answer from the
 * set being drawn. */
double       hs_layout_text_width     (HsLayoutFont  font,
                                       const char   *text);
double       hs_layout_text_height    (HsLayoutFont  font);
/* Lock only: text, or its longest start that fits in width with an
 * ellipsis, cut between graphemes; "…" when none does.  Free with
 * g_free(). */
char        *hs_layout_text_ellipsize (HsLayoutFont  font,
                                       const char   *text,
                                       double        width);
/* Where text's glyphs (ink) and its line (logical) lie, from the point
 * hs_layout_text_draw() draws it at.  A line is hs_layout_text_height()
 * high unless the text needs a taller font than the language's own. */
void         hs_layout_text_get_extents (HsLayoutFont       font,
                                         const char        *text,
                                         cairo_rectangle_t *ink,
                                         cairo_rectangle_t *logical);
/* Any thread, no lock: a font's em size, and the smallest font's, in
 * layout units */
double       hs_layout_text_font_size     (HsLayoutFont  font);
double       hs_layout_text_smallest_size (void);

/* Shaped text of one layout, built under the lock, reusing what `reuse`
 * holds, and immutable once sealed; reuse must outlive the building. */
HsLayoutTextSet *hs_layout_text_set_new   (HsLayoutTextSet *reuse);
HsLayoutTextSet *hs_layout_text_set_union (HsLayoutTextSet *first,
                                           HsLayoutTextSet *second);
void             hs_layout_text_set_add   (HsLayoutTextSet *self,
                                           HsLayoutFont     font,
                                           const char      *text);
void             hs_layout_text_set_seal  (HsLayoutTextSet *self);
HsLayoutTextSet *hs_layout_text_set_ref   (HsLayoutTextSet *self);
void             hs_layout_text_set_unref (HsLayoutTextSet *self);
/* Whether text was shaped into the set (or the sets it unites) */
gboolean         hs_layout_text_set_has   (HsLayoutTextSet *self,
                                           HsLayoutFont     font,
                                           const char      *text);

/*
 * A draw scope on the calling thread: text comes from set, and text the
 * set lacks is shaped with this thread's own Pango context, never with
 * the shared one, so the lock is not taken.  Scopes do not nest.
 */
void         hs_layout_text_begin_draw (HsLayoutTextSet *set);
void         hs_layout_text_end_draw   (void);
/* Draws text with its logical top-left corner at (x, y); draw scope only. */
void         hs_layout_text_draw       (cairo_t         *cr,
                                        HsLayoutFont     font,
                                        const char      *text,
                                        double           x,
                                        double           y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsLayoutTextSet, hs_layout_text_set_unref)

G_END_DECLS
