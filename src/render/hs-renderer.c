/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-renderer"

#include "config.h"

#include <math.h>
#include <string.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "hs-format.h"
#include "hs-png.h"
#include "hs-renderer.h"

#define PAD         8.0
#define RADIUS      7.0
#define SLOT_CELL   HS_LAYOUT_SLOT_WIDTH
#define EDGE_MARGIN 4.0
#define HEAD_LENGTH 9.0
/* An object's arrow, and how much thicker a changed one is */
#define ARROW_WIDTH   1.2
#define CHANGED_EXTRA 1.0

G_DEFINE_QUARK (hs-renderer-error-quark, hs_renderer_error)

typedef struct
{
  double r, g, b;
} Rgb;

typedef struct
{
  Rgb background;
  Rgb ink;
  Rgb muted;
  Rgb border;
  Rgb frame_header;
  Rgb fill[HS_LAYOUT_SHAPE_COMPACT + 1];
  Rgb cell;
  Rgb arrow;
  Rgb back_arrow;
  Rgb key_arrow;
  Rgb changed;
  Rgb tag;          /* the "new" or "changed" tag's pill: changed, light enough for small text */
  Rgb tag_ink;      /* the tag's text, on tag */
  Rgb rebound;
  Rgb garbage;
  Rgb selection;
  Rgb hover;
} Palette;

static const Palette light = {
  .background   = { 1.00, 1.00, 1.00 },
  .ink          = { 0.10, 0.10, 0.12 },
  .muted        = { 0.28, 0.28, 0.32 },
  .border       = { 0.20, 0.20, 0.24 },
  .frame_header = { 0.90, 0.90, 0.92 },
  .fill = {
    [HS_LAYOUT_SHAPE_FRAME]    = { 0.97, 0.97, 0.98 },
    [HS_LAYOUT_SHAPE_VALUE]    = { 0.95, 0.97, 1.00 },
    [HS_LAYOUT_SHAPE_SEQUENCE] = { 0.94, 0.98, 0.94 },
    [HS_LAYOUT_SHAPE_MAPPING]  = { 1.00, 0.96, 0.90 },
    [HS_LAYOUT_SHAPE_SET]      = { 0.96, 0.94, 0.99 },
    [HS_LAYOUT_SHAPE_INSTANCE] = { 0.92, 0.97, 0.98 },
    [HS_LAYOUT_SHAPE_COMPACT]  = { 0.95, 0.95, 0.95 },
  },
  .cell         = { 1.00, 1.00, 1.00 },
  .arrow        = { 0.15, 0.15, 0.18 },
  .back_arrow   = { 0.45, 0.20, 0.55 },
  .key_arrow    = { 0.30, 0.30, 0.34 },
  .changed      = { 0.85, 0.45, 0.00 },
  .tag          = { 0.98, 0.60, 0.20 },
  .tag_ink      = { 0.10, 0.10, 0.12 },
  .rebound      = { 1.00, 0.90, 0.55 },
  .garbage      = { 0.62, 0.10, 0.10 },
  .selection    = { 0.21, 0.52, 0.89 },
  .hover        = { 0.55, 0.75, 0.95 },
};

static const Palette dark = {
  .background   = { 0.12, 0.12, 0.13 },
  .ink          = { 0.93, 0.93, 0.94 },
  .muted        = { 0.84, 0.84, 0.88 },
  .border       = { 0.75, 0.75, 0.80 },
  .frame_header = { 0.24, 0.24, 0.27 },
  .fill = {
    [HS_LAYOUT_SHAPE_FRAME]    = { 0.18, 0.18, 0.20 },
    [HS_LAYOUT_SHAPE_VALUE]    = { 0.16, 0.20, 0.27 },
    [HS_LAYOUT_SHAPE_SEQUENCE] = { 0.15, 0.24, 0.17 },
    [HS_LAYOUT_SHAPE_MAPPING]  = { 0.28, 0.22, 0.13 },
    [HS_LAYOUT_SHAPE_SET]      = { 0.23, 0.18, 0.29 },
    [HS_LAYOUT_SHAPE_INSTANCE] = { 0.13, 0.23, 0.26 },
    [HS_LAYOUT_SHAPE_COMPACT]  = { 0.21, 0.21, 0.23 },
  },
  .cell         = { 0.10, 0.10, 0.11 },
  .arrow        = { 0.85, 0.85, 0.88 },
  .back_arrow   = { 0.80, 0.60, 0.95 },
  .key_arrow    = { 0.72, 0.72, 0.78 },
  .changed      = { 1.00, 0.66, 0.20 },
  .tag          = { 1.00, 0.66, 0.20 },
  .tag_ink      = { 0.12, 0.12, 0.13 },
  .rebound      = { 0.33, 0.28, 0.05 },
  .garbage      = { 1.00, 0.66, 0.66 },
  .selection    = { 0.47, 0.68, 0.98 },
  .hover        = { 0.35, 0.50, 0.70 },
};

/* For a lecture room: the projector washes out tints, so fills stay
 * white and every line is black or a saturated colour. */
static const Palette high_contrast = {
  .background   = { 1.00, 1.00, 1.00 },
  .ink          = { 0.00, 0.00, 0.00 },
  .muted        = { 0.15, 0.15, 0.15 },
  .border       = { 0.00, 0.00, 0.00 },
  .frame_header = { 0.85, 0.85, 0.85 },
  .fill = {
    [HS_LAYOUT_SHAPE_FRAME]    = { 1.00, 1.00, 1.00 },
    [HS_LAYOUT_SHAPE_VALUE]    = { 0.90, 0.95, 1.00 },
    [HS_LAYOUT_SHAPE_SEQUENCE] = { 0.90, 1.00, 0.90 },
    [HS_LAYOUT_SHAPE_MAPPING]  = { 1.00, 0.94, 0.84 },
    [HS_LAYOUT_SHAPE_SET]      = { 0.95, 0.90, 1.00 },
    [HS_LAYOUT_SHAPE_INSTANCE] = { 0.88, 0.97, 0.98 },
    [HS_LAYOUT_SHAPE_COMPACT]  = { 0.93, 0.93, 0.93 },
  },
  .cell         = { 1.00, 1.00, 1.00 },
  .arrow        = { 0.00, 0.00, 0.00 },
  .back_arrow   = { 0.50, 0.00, 0.60 },
  .key_arrow    = { 0.25, 0.25, 0.25 },
  .changed      = { 0.85, 0.30, 0.00 },
  .tag          = { 1.00, 0.55, 0.10 },
  .tag_ink      = { 0.00, 0.00, 0.00 },
  .rebound      = { 1.00, 0.85, 0.20 },
  .garbage      = { 0.65, 0.00, 0.00 },
  .selection    = { 0.00, 0.35, 0.85 },
  .hover        = { 0.30, 0.55, 0.95 },
};

void
hs_render_options_init (HsRenderOptions *options)
{
  g_return_if_fail (options != NULL);
  *options = (HsRenderOptions) { 0 };
  options->palette = HS_RENDER_PALETTE_LIGHT;
  options->scale = 1;
}

static const Palette *
palette_for (const HsRenderOptions *options)
{
  g_assert (options != NULL);

  return options->palette == HS_RENDER_PALETTE_DARK ? &dark
       : options->palette == HS_RENDER_PALETTE_HIGH_CONTRAST ? &high_contrast
       : &light;
}

void
hs_renderer_get_arrow_rgb (HsRenderPalette  palette,
                           HsRendererArrow  arrow,
                           double           rgb[3],
                           double           background[3],
                           double          *width)
{
  HsRenderOptions options = { .palette = palette };
  const Palette *p = palette_for (&options);
  const Rgb *c = arrow == HS_RENDERER_ARROW_BACK ? &p->back_arrow
               : arrow == HS_RENDERER_ARROW_KEY ? &p->key_arrow
               : arrow == HS_RENDERER_ARROW_CHANGED ? &p->changed
               : &p->arrow;

  g_return_if_fail (arrow < HS_RENDERER_N_ARROWS);
  g_return_if_fail (rgb != NULL && background != NULL && width != NULL);

  rgb[0] = c->r, rgb[1] = c->g, rgb[2] = c->b;
  background[0] = p->background.r, background[1] = p->background.g, background[2] = p->background.b;
  *width = ARROW_WIDTH + (arrow == HS_RENDERER_ARROW_CHANGED ? CHANGED_EXTRA : 0);
}

static void
set_rgb (cairo_t   *cr,
         const Rgb *c,
         double     alpha)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, alpha);
}

static void
rounded_rect (cairo_t      *cr,
              const HsRect *r,
              double        radius)
{
  double x = r->x, y = r->y, w = r->width, h = r->height;

  if (radius <= 0)
    {
      cairo_rectangle (cr, x, y, w, h);
      return;
    }
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + w - radius, y + h - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + h - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
show_text (cairo_t      *cr,
           HsLayoutFont  font,
           const char   *text,
           double        x,
           double        y)
{
  /* The layout shaped its text; drawing it takes no lock */
  hs_layout_text_draw (cr, font, text, x, y);
}

/* A text of a box: what, in which font, with its logical top-left at
 * (x, y), in ink on under */
typedef struct
{
  HsRendererTextRole  role;
  HsLayoutFont        font;
  const char         *text;
  guint               row;
  double              x;
  double              y;
  const Rgb          *ink;
  const Rgb          *under;
} BoxText;

/* The pill of a "new" or "changed" tag around its text */
static void
tag_rect (const BoxText *t,
          HsRect        *out)
{
  g_assert (t != NULL && out != NULL);

  *out = (HsRect) { t->x - 4, t->y - 1,
                    hs_layout_text_width (t->font, t->text) + 8, hs_layout_text_height (t->font) + 2 };
}

static void
draw_tag (cairo_t       *cr,
          const BoxText *t)
{
  HsRect r;

  g_assert (cr != NULL && t != NULL);

  tag_rect (t, &r);
  rounded_rect (cr, &r, r.height / 2);
  set_rgb (cr, t->under, 1);
  cairo_fill (cr);
  set_rgb (cr, t->ink, 1);
  show_text (cr, t->font, t->text, t->x, t->y);
}

/* A dict key's slot is dashed like the arrow that leaves it */
static void
draw_slot (cairo_t       *cr,
           const Palette *p,
           double         cx,
           double         cy,
           double         width,
           double         height,
           gboolean       filled,
           gboolean       key)
{
  static const double key_dashes[] = { 3, 2 };
  HsRect cell = { cx - width / 2, cy - height / 2 + 2, width, height - 4 };

  if (width <= 0)
    return;

  cairo_rectangle (cr, cell.x, cell.y, cell.width, cell.height);
  set_rgb (cr, &p->cell, 1);
  cairo_fill_preserve (cr);
  set_rgb (cr, &p->border, key ? 0.8 : 0.6);
  cairo_set_line_width (cr, 0.8);
  if (key)
    cairo_set_dash (cr, key_dashes, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  if (filled)
    {
      cairo_arc (cr, cx, cy, 3.2, 0, 2 * G_PI);
      set_rgb (cr, &p->arrow, 1);
      cairo_fill (cr);
    }
}

static gboolean
is_selected (const HsRenderOptions *options,
             guint32                ref)
{
  for (guint i = 0; i < options->n_selected; i++)
    if (options->selected[i] == ref)
      return TRUE;
  return FALSE;
}

/* A value drawn inside its slot has no box to outline: while it, or
 * the same object anywhere else, is hovered or selected, every slot and
 * label that holds it is outlined, so that identity is one gesture away */
static void
draw_identity (cairo_t               *cr,
               const Palette         *p,
               const HsRenderOptions *options,
               const HsLayoutBox     *box,
               const HsLayoutRow     *row)
{
  guint32 refs[2] = { row->inline_value != NULL || row->slot_width <= 0 ? row->target : 0, row->key_ref };

  for (guint k = 0; k < G_N_ELEMENTS (refs); k++)
    {
      gboolean selected;
      HsRect r;

      if (refs[k] == 0)
        continue;
      selected = is_selected (options, refs[k]);
      if (!selected && options->hovered != refs[k])
        continue;
      if (k == 0 && row->slot_width > 0)
        r = (HsRect) { box->rect.x + row->slot_x - row->slot_width / 2, box->rect.y + row->slot_y - row->height / 2 + 1,
                       row->slot_width, row->height - 2 };
      else
        /* the label: a key, or a member with no slot */
        r = (HsRect) { box->rect.x + row->x + 2, box->rect.y + row->y + 1, row->width - 4, row->height - 2 };
      cairo_rectangle (cr, r.x, r.y, r.width, r.height);
      set_rgb (cr, selected ? &p->selection : &p->hover, selected ? 0.9 : 0.7);
      cairo_set_line_width (cr, selected ? 2.5 : 2);
      cairo_stroke (cr);
    }
}

/* Whether the step's line changed row r of box: a slot of a container
 * it mutated, or a name it bound. */
static gboolean
row_changed (const HsRenderOptions *options,
             const HsLayoutBox     *box,
             const HsLayoutRow     *row)
{
  g_assert (box != NULL && row != NULL);

  if (box->kind == HS_LAYOUT_BOX_FRAME)
    return row->rebound;
  if (box->kind != HS_LAYOUT_BOX_OBJECT || options->marks == NULL || row->kind == HS_LAYOUT_ROW_ELISION)
    return FALSE;
  /* By the row's own edge label: another entry pointing at the same
   * object (ages['cy'] = ages['bo']) is not this one */
  return (row->target != 0 && hs_render_marks_lookup (options->marks, box->ref, row->target, row->edge_label)) ||
         (row->key_target != 0 && hs_render_marks_lookup_key (options->marks, box->ref, row->key_target, row->edge_label)) ||
         (row->key_ref != 0 && hs_render_marks_lookup_key (options->marks, box->ref, row->key_ref, row->edge_label));
}

static void
draw_row_change (cairo_t           *cr,
                 const Palette     *p,
                 const HsLayoutBox *box,
                 const HsLayoutRow *row)
{
  double top = box->rect.y + row->y;

  g_assert (cr != NULL && box != NULL && row != NULL);

  /* A bar as well as the tint, so it survives greyscale */
  cairo_rectangle (cr, box->rect.x + row->x + 1, top, row->width - 2, row->height);
  set_rgb (cr, &p->rebound, 1);
  cairo_fill (cr);
  cairo_rectangle (cr, box->rect.x + row->x + 1, top, 4, row->height);
  set_rgb (cr, &p->changed, 1);
  cairo_fill (cr);
}

/* Rows without their text: the bars of changed rows, the rules between
 * a dict's entries, and the slots arrows start from */
static void
draw_rows (cairo_t               *cr,
           const Palette         *p,
           const HsRenderOptions *options,
           const HsLayoutBox     *box)
{
  double x = box->rect.x, y = box->rect.y;

  g_assert (cr != NULL && p != NULL && options != NULL && box != NULL);

  for (guint r = 0; r < box->n_rows; r++)
    {
      const HsLayoutRow *row = &box->rows[r];
      double top = y + row->y;

      if (row_changed (options, box, row))
        draw_row_change (cr, p, box, row);

      if (row->kind == HS_LAYOUT_ROW_ELISION)
        continue;
      if (row->kind == HS_LAYOUT_ROW_PAIR)
        {
          double cell = row->height / 2;

          /* A rule between entries shows which key goes with which value */
          if (r > 0)
            {
              cairo_move_to (cr, x + 1, top);
              cairo_line_to (cr, x + box->rect.width - 1, top);
              set_rgb (cr, &p->border, 0.35);
              cairo_set_line_width (cr, 0.8);
              cairo_stroke (cr);
            }
          draw_slot (cr, p, x + row->key_slot_x, y + row->key_slot_y, row->slot_width, cell, row->key_target != 0, TRUE);
          draw_slot (cr, p, x + row->slot_x, y + row->slot_y, row->slot_width, cell,
                     row->target != 0 && row->inline_value == NULL, FALSE);
        }
      else
        draw_slot (cr, p, x + row->slot_x, y + row->slot_y, row->slot_width, row->height,
                   row->target != 0 && row->inline_value == NULL, FALSE);
      draw_identity (cr, p, options, box, row);
    }
}

/* The change flags the runtime reported for a box's object.  Immutable
 * objects cannot change: a new referrer is not a change. */
static guint32
box_changes (HsSnapshot        *snapshot,
             const HsLayoutBox *box)
{
  const HsObject *object;
  guint32 changes;

  g_assert (box != NULL);

  if (box->kind != HS_LAYOUT_BOX_OBJECT)
    return 0;
  if (snapshot == NULL || (object = hs_snapshot_lookup (snapshot, box->ref)) == NULL)
    return box->changes;
  changes = object->changes;
  if (!(object->flags & HS_OBJECT_MUTABLE))
    changes &= ~HS_CHANGE_MUTATED;
  return changes;
}

/* Only what the line allocated is new.  A cached small int, None or a
 * module that merely came into view was not made by the line. */
static const char *
box_tag (guint32 changes)
{
  if (changes & HS_CHANGE_CREATED)
    return _("new");
  if (changes & HS_CHANGE_MUTATED)
    return _("changed");
  return NULL;
}

static void
add_text (GArray             *texts,
          HsRendererTextRole  role,
          HsLayoutFont        font,
          const char         *text,
          guint               row,
          double              x,
          double              y,
          const Rgb          *ink,
          const Rgb          *under)
{
  BoxText t = { role, font, text, row, x, y, ink, under };

  g_assert (texts != NULL);

  if (text != NULL)
    g_array_append_val (texts, t);
}

/* Every text of a box drawn whole, where, and on what: the header's
 * lines stacked from the top as the layout measured them, each row's
 * label centred in its row, the tag standing on the top edge.  Drawing,
 * hit testing and hs_renderer_get_box_texts() all place text from here. */
static void
collect_box_texts (const Palette         *p,
                   const HsRenderOptions *options,
                   const HsLayoutBox     *box,
                   guint32                changes,
                   GArray                *texts)
{
  const HsRect *r = &box->rect;
  const Rgb *fill = &p->fill[box->shape];
  const Rgb *header = box->kind == HS_LAYOUT_BOX_FRAME ? &p->frame_header : fill;
  /* A ghost's words stay readable on its faded shell, only muted */
  const Rgb *ink = box->kind == HS_LAYOUT_BOX_GHOST ? &p->muted : &p->ink;
  HsLayoutFont label_font = box->shape == HS_LAYOUT_SHAPE_SEQUENCE || box->shape == HS_LAYOUT_SHAPE_SET
                            ? HS_LAYOUT_FONT_SMALL : HS_LAYOUT_FONT_UI;
  double small = hs_layout_text_height (HS_LAYOUT_FONT_SMALL);
  double ty = r->y + PAD / 2;
  const char *tag;

  g_assert (p != NULL && options != NULL && box != NULL && texts != NULL);

  add_text (texts, HS_RENDERER_TEXT_TITLE, HS_LAYOUT_FONT_TITLE, box->title, 0, r->x + PAD, ty, ink, header);
  /* the facts after the title on its line, their bottoms level, or
   * on a line of their own */
  if (box->facts_below)
    add_text (texts, HS_RENDERER_TEXT_FACTS, HS_LAYOUT_FONT_SMALL, box->facts, 0,
              r->x + PAD, ty + hs_layout_text_height (HS_LAYOUT_FONT_TITLE), &p->muted, header);
  else
    add_text (texts, HS_RENDERER_TEXT_FACTS, HS_LAYOUT_FONT_SMALL, box->facts, 0,
              r->x + PAD + hs_layout_text_width (HS_LAYOUT_FONT_TITLE, box->title) + PAD,
              ty + hs_layout_text_height (HS_LAYOUT_FONT_TITLE) - small, &p->muted, header);
  ty += hs_layout_text_height (HS_LAYOUT_FONT_TITLE) + (box->facts != NULL && box->facts_below ? small : 0);
  add_text (texts, HS_RENDERER_TEXT_MARKS, HS_LAYOUT_FONT_SMALL, box->marks, 0, r->x + PAD, ty, &p->muted, header);
  ty += (box->marks != NULL ? small : 0) + PAD / 2;
  add_text (texts, HS_RENDERER_TEXT_VALUE, HS_LAYOUT_FONT_MONO, box->value, 0, r->x + PAD, ty, ink, fill);
  ty += box->value != NULL ? hs_layout_text_height (HS_LAYOUT_FONT_MONO) + PAD / 2 : 0;
  add_text (texts, HS_RENDERER_TEXT_NOTE, HS_LAYOUT_FONT_SMALL, box->note, 0, r->x + PAD, ty, &p->garbage, fill);

  for (guint i = 0; i < box->n_rows; i++)
    {
      const HsLayoutRow *row = &box->rows[i];
      double top = r->y + row->y;
      gboolean changed = row_changed (options, box, row);
      const Rgb *under = changed ? &p->rebound : fill;

      /* A scalar inside its slot, from the slot's left edge */
      if (row->inline_value != NULL)
        add_text (texts, HS_RENDERER_TEXT_SLOT, HS_LAYOUT_FONT_MONO, row->inline_value, i,
                  r->x + row->slot_x - row->slot_width / 2 + (row->slot_width - hs_layout_text_width (HS_LAYOUT_FONT_MONO, row->inline_value)) / 2,
                  r->y + row->slot_y - hs_layout_text_height (HS_LAYOUT_FONT_MONO) / 2,
                  &p->ink, &p->cell);
      /* A dict's key or a set's member, a value in the font of values,
       * beside its slot (the key's): the layout cut it short of the slot */
      if (row->value != NULL)
        add_text (texts, HS_RENDERER_TEXT_LABEL, HS_LAYOUT_FONT_MONO, row->value, i, r->x + row->x + PAD,
                  r->y + (row->kind == HS_LAYOUT_ROW_PAIR ? row->key_slot_y : row->slot_y)
                  - hs_layout_text_height (HS_LAYOUT_FONT_MONO) / 2,
                  &p->ink, under);
      else if (row->label == NULL)
        continue;
      else if (row->kind == HS_LAYOUT_ROW_ELISION)
        add_text (texts, HS_RENDERER_TEXT_ELISION, HS_LAYOUT_FONT_SMALL, row->label, i,
                  r->x + row->x + row->width - PAD - hs_layout_text_width (HS_LAYOUT_FONT_SMALL, row->label),
                  top + (row->height - small) / 2, &p->muted, under);
      else
        add_text (texts, HS_RENDERER_TEXT_LABEL, label_font, row->label, i,
                  r->x + row->x + PAD, top + (row->height - hs_layout_text_height (label_font)) / 2,
                  /* the muted ink of indices fades on a changed row's tint */
                  label_font == HS_LAYOUT_FONT_SMALL && !changed ? &p->muted : &p->ink, under);
    }

  /* Standing on the top edge, 6 from the right, padded by 4 and 1, its
   * bottom where the title's line starts: it clears the title of any
   * box without widening it, and the gap above it */
  if ((tag = box_tag (changes)) != NULL)
    add_text (texts, HS_RENDERER_TEXT_TAG, HS_LAYOUT_FONT_SMALL, tag, 0,
              r->x + r->width - 6 - hs_layout_text_width (HS_LAYOUT_FONT_SMALL, tag) - 4,
              r->y + PAD / 2 - (small + 2) + 1, &p->tag_ink, &p->tag);
}

/* Body, frame header and outline: what a box looks like at any zoom. */
static void
draw_box_shell (cairo_t               *cr,
                const Palette         *p,
                const HsRenderOptions *options,
                const HsLayoutBox     *box,
                guint32                changes)
{
  gboolean immutable = box->kind == HS_LAYOUT_BOX_OBJECT && !(box->flags & HS_OBJECT_MUTABLE);
  gboolean marked = (changes & (HS_CHANGE_CREATED | HS_CHANGE_MUTATED)) != 0;
  gboolean shown = !marked && (changes & (HS_CHANGE_NEW | HS_CHANGE_RETURNED)) != 0;
  double radius = immutable || box->kind == HS_LAYOUT_BOX_GHOST ? RADIUS : 0;
  double line = 1.2;
  const HsRect *r = &box->rect;
  gboolean selected = FALSE;

  g_assert (cr != NULL && options != NULL && box != NULL);

  for (guint i = 0; box->kind == HS_LAYOUT_BOX_OBJECT && i < options->n_selected; i++)
    selected |= options->selected[i] == box->ref;
  if (selected || (options->hovered != 0 && options->hovered == box->ref && box->kind == HS_LAYOUT_BOX_OBJECT))
    {
      HsRect halo = { r->x - 4, r->y - 4, r->width + 8, r->height + 8 };

      rounded_rect (cr, &halo, radius + 4);
      set_rgb (cr, selected ? &p->selection : &p->hover, selected ? 0.9 : 0.6);
      cairo_set_line_width (cr, selected ? 3 : 2);
      cairo_stroke (cr);
    }

  rounded_rect (cr, r, radius);
  set_rgb (cr, &p->fill[box->shape], 1);
  cairo_fill (cr);

  if (box->kind == HS_LAYOUT_BOX_FRAME)
    {
      cairo_rectangle (cr, r->x, r->y, r->width, box->header_height);
      set_rgb (cr, &p->frame_header, 1);
      cairo_fill (cr);
      line = box->current ? 2.4 : 1.2;
    }
  else if (marked)
    line = 2.8;

  /* Outline: ghosts dashed, immortals doubled; what only came into view
   * is tinted, not thickened */
  rounded_rect (cr, r, radius);
  if (marked)
    set_rgb (cr, &p->changed, 1);
  else if (shown)
    set_rgb (cr, &p->changed, 0.6);
  else
    set_rgb (cr, &p->border, 1);
  cairo_set_line_width (cr, line * (options->line_scale > 0 ? options->line_scale : 1));
  if (box->kind == HS_LAYOUT_BOX_GHOST)
    {
      static const double dashes[] = { 5, 3 };

      cairo_set_dash (cr, dashes, 2, 0);
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  if (box->kind == HS_LAYOUT_BOX_OBJECT && (box->flags & HS_OBJECT_IMMORTAL))
    {
      HsRect inner = { r->x + 3, r->y + 3, r->width - 6, r->height - 6 };

      rounded_rect (cr, &inner, MAX (radius - 3, 0));
      set_rgb (cr, &p->border, 0.7);
      cairo_set_line_width (cr, 0.7);
      cairo_stroke (cr);
    }

  if (box->kind == HS_LAYOUT_BOX_OBJECT && box->n_rows > 0 && !box->flat)
    {
      cairo_move_to (cr, r->x, r->y + box->header_height);
      cairo_line_to (cr, r->x + r->width, r->y + box->header_height);
      set_rgb (cr, &p->border, 0.35);
      cairo_set_line_width (cr, 0.8);
      cairo_stroke (cr);
    }
}

/* The header's badge lines, "refcount 3, 2 shown" and "immutable · small
 * int", and the tag, drawn again over the arrows, the lines each on a
 * patch of what is under them, so that no arrow runs through them. */
static void
draw_badges (cairo_t           *cr,
             const HsLayoutBox *box,
             GArray            *texts)
{
  g_assert (cr != NULL && box != NULL && texts != NULL);

  for (guint i = 0; i < texts->len; i++)
    {
      const BoxText *t = &g_array_index (texts, BoxText, i);

      if (t->role == HS_RENDERER_TEXT_TAG)
        draw_tag (cr, t);
      if (t->role != HS_RENDERER_TEXT_FACTS && t->role != HS_RENDERER_TEXT_MARKS)
        continue;
      cairo_rectangle (cr, t->x - 1, t->y,
                       MIN (hs_layout_text_width (t->font, t->text) + 2, box->rect.width - PAD),
                       hs_layout_text_height (t->font));
      set_rgb (cr, t->under, 1);
      cairo_fill (cr);
      set_rgb (cr, t->ink, 1);
      show_text (cr, t->font, t->text, t->x, t->y);
    }
}

/* The texts at natural size, but for the tag, which goes over the arrows */
static void
draw_box_text (cairo_t *cr,
               GArray  *texts)
{
  g_assert (cr != NULL && texts != NULL);

  for (guint i = 0; i < texts->len; i++)
    {
      const BoxText *t = &g_array_index (texts, BoxText, i);

      if (t->role == HS_RENDERER_TEXT_TAG)
        continue;
      set_rgb (cr, t->ink, 1);
      show_text (cr, t->font, t->text, t->x, t->y);
    }
}

/* A box's texts are drawn at this opacity, its shell at box->alpha.  A
 * ghost's shell stays faded, but what it says (what was freed, and at
 * which line) must be read: its text fades in with it, then stays whole. */
static double
text_alpha (const HsLayoutBox *box)
{
  g_assert (box != NULL);

  if (box->kind == HS_LAYOUT_BOX_GHOST)
    return MIN (1, box->alpha / HS_LAYOUT_GHOST_ALPHA);
  return box->alpha;
}

/* Draws text so that it is about HS_RENDERER_READABLE_PX * 1.6 device
 * units high however far the view is zoomed out, as far as room allows;
 * returns the height it took, in layout units. */
static double
show_text_large (cairo_t      *cr,
                 HsLayoutFont  font,
                 const char   *text,
                 double        x,
                 double        y,
                 double        room_width,
                 double        room_height,
                 double        scale)
{
  double size = hs_layout_text_height (font);
  double width = hs_layout_text_width (font, text);
  double factor = HS_RENDERER_READABLE_PX * 1.6 / (scale * size);

  g_assert (cr != NULL && text != NULL && scale > 0);

  factor = MIN (factor, room_width / MAX (width, 1));
  factor = MIN (factor, room_height / MAX (size, 1));
  factor = MAX (factor, 1);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, factor, factor);
  hs_layout_text_draw (cr, font, text, 0, 0);
  cairo_restore (cr);
  return size * factor;
}

/* The short value of a collapsed box, or NULL */
static char *
collapsed_value (HsSnapshot        *snapshot,
                 const HsLayoutBox *box)
{
  const HsObject *object;
  g_autofree char *count = NULL;

  g_assert (box != NULL);

  if (box->value != NULL)
    {
      /* A dozen characters are what a glance takes in */
      if (g_utf8_strlen (box->value, -1) > 12)
        {
          g_autofree char *head = g_utf8_substring (box->value, 0, 11);

          return g_strconcat (head, "…", NULL);
        }
      return g_strdup (box->value);
    }
  /* A container says how many items it holds, as the runtime counted
   * them: the rows may show only some */
  if ((box->shape != HS_LAYOUT_SHAPE_SEQUENCE && box->shape != HS_LAYOUT_SHAPE_MAPPING &&
       box->shape != HS_LAYOUT_SHAPE_SET) ||
      snapshot == NULL || (object = hs_snapshot_lookup (snapshot, box->ref)) == NULL)
    return NULL;
  count = hs_format_count (object->length);
  /* TRANSLATORS: a container drawn too small to read, e.g. "3 items" */
  return g_strdup_printf (ngettext ("%s item", "%s items", object->length), count);
}

char *
hs_renderer_get_collapsed_value (HsLayout          *layout,
                                 const HsLayoutBox *box)
{
  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (box != NULL, NULL);

  return collapsed_value (hs_layout_get_snapshot (layout), box);
}

/* Semantic zoom: too far out to read the header's lines, a box shows its
 * type and a short value, drawn large, and its slots, where arrows start. */
static void
draw_box_collapsed (cairo_t               *cr,
                    const Palette         *p,
                    const HsRenderOptions *options,
                    HsSnapshot            *snapshot,
                    const HsLayoutBox     *box)
{
  const HsRect *r = &box->rect;
  double room = (box->n_rows > 0 ? box->header_height : r->height) - PAD / 2;
  double y = r->y + PAD / 4, used;
  g_autofree char *value = collapsed_value (snapshot, box);

  g_assert (cr != NULL && options != NULL && box != NULL);

  cairo_save (cr);
  rounded_rect (cr, r, 0);
  cairo_clip (cr);
  set_rgb (cr, &p->ink, 1);
  used = show_text_large (cr, HS_LAYOUT_FONT_TITLE, box->title, r->x + PAD / 2, y,
                          r->width - PAD, value != NULL ? room / 2 : room, options->scale);
  if (value != NULL)
    {
      set_rgb (cr, box->kind == HS_LAYOUT_BOX_GHOST ? &p->garbage : &p->ink, 1);
      show_text_large (cr, box->value != NULL ? HS_LAYOUT_FONT_MONO : HS_LAYOUT_FONT_UI, value,
                       r->x + PAD / 2, y + used, r->width - PAD, room - used, options->scale);
    }
  cairo_restore (cr);
  draw_rows (cr, p, options, box);
}

/* texts is scratch room for the box's texts */
static void
draw_box (cairo_t               *cr,
          const Palette         *p,
          const HsRenderOptions *options,
          HsSnapshot            *snapshot,
          const HsLayoutBox     *box,
          gboolean               collapsed,
          GArray                *texts)
{
  guint32 changes = box_changes (snapshot, box);
  double alpha = text_alpha (box);

  g_assert (cr != NULL && box != NULL && texts != NULL);

  g_array_set_size (texts, 0);
  collapsed = collapsed && box->kind != HS_LAYOUT_BOX_FRAME;
  collect_box_texts (p, options, box, changes, texts);

  if (box->alpha < 0.999)
    cairo_push_group (cr);
  draw_box_shell (cr, p, options, box, changes);
  if (collapsed)
    draw_box_collapsed (cr, p, options, snapshot, box);
  else
    draw_rows (cr, p, options, box);
  if (box->alpha < 0.999)
    {
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, box->alpha);
    }

  if (alpha < 0.999)
    cairo_push_group (cr);
  if (!collapsed)
    draw_box_text (cr, texts);
  /* hs_renderer_draw() puts the tag of a box drawn whole over the arrows */
  for (guint i = 0; (collapsed || box->alpha < 0.999) && i < texts->len; i++)
    if (g_array_index (texts, BoxText, i).role == HS_RENDERER_TEXT_TAG)
      draw_tag (cr, &g_array_index (texts, BoxText, i));
  if (alpha < 0.999)
    {
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, alpha);
    }
}

typedef struct
{
  double x[4];
  double y[4];
} Bezier;

/* De Casteljau: the parts of b before and after t */
static void
bezier_split (const Bezier *b,
              double        t,
              Bezier       *before,
              Bezier       *after)
{
  double x01 = b->x[0] + (b->x[1] - b->x[0]) * t, y01 = b->y[0] + (b->y[1] - b->y[0]) * t;
  double x12 = b->x[1] + (b->x[2] - b->x[1]) * t, y12 = b->y[1] + (b->y[2] - b->y[1]) * t;
  double x23 = b->x[2] + (b->x[3] - b->x[2]) * t, y23 = b->y[2] + (b->y[3] - b->y[2]) * t;
  double xa = x01 + (x12 - x01) * t, ya = y01 + (y12 - y01) * t;
  double xb = x12 + (x23 - x12) * t, yb = y12 + (y23 - y12) * t;
  double xm = xa + (xb - xa) * t, ym = ya + (yb - ya) * t;
  Bezier l = { { b->x[0], x01, xa, xm }, { b->y[0], y01, ya, ym } };
  Bezier r = { { xm, xb, x23, b->x[3] }, { ym, yb, y23, b->y[3] } };

  if (before != NULL)
    *before = l;
  if (after != NULL)
    *after = r;
}

static void
bezier_bounds (const Bezier *b,
               HsRect       *out)
{
  double x1 = MIN (MIN (b->x[0], b->x[1]), MIN (b->x[2], b->x[3]));
  double y1 = MIN (MIN (b->y[0], b->y[1]), MIN (b->y[2], b->y[3]));
  double x2 = MAX (MAX (b->x[0], b->x[1]), MAX (b->x[2], b->x[3]));
  double y2 = MAX (MAX (b->y[0], b->y[1]), MAX (b->y[2], b->y[3]));

  *out = (HsRect) { x1, y1, x2 - x1, y2 - y1 };
}

static gboolean
rects_meet (const HsRect *a,
            const HsRect *b)
{
  return a->x <= b->x + b->width && a->x + a->width >= b->x &&
         a->y <= b->y + b->height && a->y + a->height >= b->y;
}

/* Widens [*first, *last] to every piece of b, which spans [t0, t1] of the
 * whole curve, whose control hull meets view. */
static void
bezier_visible_span (const Bezier *b,
                     double        t0,
                     double        t1,
                     const HsRect *view,
                     guint         depth,
                     double       *first,
                     double       *last)
{
  Bezier l, r;
  HsRect bounds;

  bezier_bounds (b, &bounds);
  if (!rects_meet (&bounds, view))
    return;
  if (depth == 0 ||
      (bounds.x >= view->x && bounds.y >= view->y &&
       bounds.x + bounds.width <= view->x + view->width &&
       bounds.y + bounds.height <= view->y + view->height))
    {
      *first = MIN (*first, t0);
      *last = MAX (*last, t1);
      return;
    }
  bezier_split (b, 0.5, &l, &r);
  bezier_visible_span (&l, t0, (t0 + t1) / 2, view, depth - 1, first, last);
  bezier_visible_span (&r, (t0 + t1) / 2, t1, view, depth - 1, first, last);
}

/* Arc length, to carry a dash pattern's phase over the part not drawn */
static double
bezier_length (const Bezier *b,
               guint         depth)
{
  double chord = hypot (b->x[3] - b->x[0], b->y[3] - b->y[0]);
  double hull = 0;
  Bezier l, r;

  for (guint i = 0; i < 3; i++)
    hull += hypot (b->x[i + 1] - b->x[i], b->y[i + 1] - b->y[i]);
  if (depth == 0 || hull - chord < 0.01)
    return (hull + chord) / 2;
  bezier_split (b, 0.5, &l, &r);
  return bezier_length (&l, depth - 1) + bezier_length (&r, depth - 1);
}

/* Whether any curve of the arrow, or its head, can show in view: most of
 * a big graph's arrows cannot, and those cost nothing more */
static gboolean
edge_meets_view (const HsLayoutEdge *e,
                 const HsRect       *view,
                 double              head)
{
  HsRect bounds = { e->x[3] - head, e->y[3] - head, 2 * head, 2 * head };
  Bezier curve;

  g_assert (e != NULL && view != NULL);

  if (rects_meet (&bounds, view))
    return TRUE;
  if (e->path == NULL || e->n_curves <= 1)
    {
      memcpy (curve.x, e->x, sizeof curve.x);
      memcpy (curve.y, e->y, sizeof curve.y);
      bezier_bounds (&curve, &bounds);
      return rects_meet (&bounds, view);
    }
  for (guint c = 0; c < e->n_curves; c++)
    {
      const HsPoint *q = &e->path[3 * c];

      curve = (Bezier) { { q[0].x, q[1].x, q[2].x, q[3].x }, { q[0].y, q[1].y, q[2].y, q[3].y } };
      bezier_bounds (&curve, &bounds);
      if (rects_meet (&bounds, view))
        return TRUE;
    }
  return FALSE;
}

/* Whether the step's line added or moved this arrow. */
static gboolean
edge_changed (const HsRenderOptions *options,
              const HsLayoutBox     *boxes,
              guint                  n_boxes,
              const HsLayoutEdge    *e)
{
  const HsLayoutBox *source;
  const HsLayoutRow *row;

  g_assert (e != NULL);

  if (e->source >= n_boxes || e->row >= boxes[e->source].n_rows)
    return FALSE;
  source = &boxes[e->source];
  row = &source->rows[e->row];
  if (source->kind == HS_LAYOUT_BOX_FRAME)
    return row->rebound;
  if (source->kind != HS_LAYOUT_BOX_OBJECT || options->marks == NULL)
    return FALSE;
  if (e->from_key)
    return hs_render_marks_lookup_key (options->marks, source->ref, e->target, row->edge_label);
  return hs_render_marks_lookup (options->marks, source->ref, e->target, row->edge_label);
}

static void
draw_edge (cairo_t            *cr,
           const Palette      *p,
           const HsLayoutEdge *e,
           const HsRect       *view,
           gboolean            changed,
           double              line_scale)
{
  static const double key_dashes[] = { 4, 3 };
  static const double default_dashes[] = { 1.5, 3 };
  static const double method_dashes[] = { 7, 3, 1.5, 3 };
  static const double buffer_dashes[] = { 9, 4 };
  const Rgb *colour = e->back ? &p->back_arrow : &p->arrow;
  const double *dashes = NULL;
  guint n_dashes = 0;
  double width = e->from_frame ? 1.5 : ARROW_WIDTH;
  double angle, len = HEAD_LENGTH, spread = 0.42, first = 1, last = 0, offset = 0;
  gboolean head;
  Bezier curve;

  if (!e->from_frame)
    switch (e->kind)
      {
      case HS_EDGE_KEY:
        dashes = key_dashes, n_dashes = 2;
        colour = &p->key_arrow;
        break;
      case HS_EDGE_DEFAULT:
        dashes = default_dashes, n_dashes = 2;
        break;
      case HS_EDGE_SELF:
      case HS_EDGE_FUNC:
        dashes = method_dashes, n_dashes = 4;
        break;
      case HS_EDGE_BUFFER:
        dashes = buffer_dashes, n_dashes = 2;
        width = 2;
        break;
      default:
        break;
      }
  if (e->from_key)
    {
      dashes = key_dashes, n_dashes = 2;
      colour = &p->key_arrow;
    }
  if (changed)
    {
      colour = &p->changed;
      width += CHANGED_EXTRA;
    }

  /* Long arrows cross the view, and cairo would flatten, stroke and dash
   * their whole length only to clip it away: stroke just the stretch that
   * can show, with the dashes' phase it would have had.  A path of several
   * curves skips those that cannot show. */
  head = e->x[3] + len >= view->x && e->x[3] - len <= view->x + view->width &&
         e->y[3] + len >= view->y && e->y[3] - len <= view->y + view->height;
  set_rgb (cr, colour, e->alpha);
  cairo_set_line_width (cr, width * line_scale);
  if (e->path != NULL && e->n_curves > 1)
    {
      gboolean drawn = FALSE, connected = FALSE;

      for (guint c = 0; c < e->n_curves; c++)
        {
          const HsPoint *q = &e->path[3 * c];
          HsRect bounds;

          curve = (Bezier) { { q[0].x, q[1].x, q[2].x, q[3].x }, { q[0].y, q[1].y, q[2].y, q[3].y } };
          bezier_bounds (&curve, &bounds);
          if (!rects_meet (&bounds, view))
            {
              /* Curves skipped before the first drawn one carry the
               * dashes' phase on to it */
              if (dashes != NULL && !drawn)
                offset += bezier_length (&curve, 8);
              connected = FALSE;
              continue;
            }
          if (!drawn && dashes != NULL)
            cairo_set_dash (cr, dashes, n_dashes, offset);
          if (!connected)
            cairo_move_to (cr, q[0].x, q[0].y);
          cairo_curve_to (cr, q[1].x, q[1].y, q[2].x, q[2].y, q[3].x, q[3].y);
          drawn = connected = TRUE;
        }
      if (drawn)
        {
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
    }
  else
    {
      memcpy (curve.x, e->x, sizeof curve.x);
      memcpy (curve.y, e->y, sizeof curve.y);
      bezier_visible_span (&curve, 0, 1, view, 12, &first, &last);
      if (first < 1 && first > 0)
        {
          Bezier skipped;

          bezier_split (&curve, first, &skipped, &curve);
          if (dashes != NULL)
            offset = bezier_length (&skipped, 16);
        }
      if (first <= last && last < 1)
        bezier_split (&curve, (last - first) / (1 - first), &curve, NULL);
      if (first <= last)
        {
          if (dashes != NULL)
            cairo_set_dash (cr, dashes, n_dashes, offset);
          cairo_move_to (cr, curve.x[0], curve.y[0]);
          cairo_curve_to (cr, curve.x[1], curve.y[1], curve.x[2], curve.y[2], curve.x[3], curve.y[3]);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
    }

  /* Arrowhead along the curve's final tangent */
  if (head)
    {
      angle = atan2 (e->y[3] - e->y[2], e->x[3] - e->x[2]);
      if (e->x[3] == e->x[2] && e->y[3] == e->y[2])
        angle = 0;
      cairo_move_to (cr, e->x[3], e->y[3]);
      cairo_line_to (cr, e->x[3] - len * cos (angle - spread), e->y[3] - len * sin (angle - spread));
      cairo_line_to (cr, e->x[3] - len * cos (angle + spread), e->y[3] - len * sin (angle + spread));
      cairo_close_path (cr);
      cairo_fill (cr);
    }
}

static gboolean
visible (const HsRect *r,
         double        x1,
         double        y1,
         double        x2,
         double        y2)
{
  return r->x <= x2 && r->x + r->width >= x1 && r->y <= y2 && r->y + r->height >= y1;
}

/* Presentation's hold: what the next line made or changed stays a blank
 * card until the presenter reveals it, so the room can predict it. */
static gboolean
box_is_hidden (const HsLayoutBox *box)
{
  g_assert (box != NULL);

  return box->kind == HS_LAYOUT_BOX_GHOST ||
         (box->kind == HS_LAYOUT_BOX_OBJECT &&
          (box->changes & (HS_CHANGE_NEW | HS_CHANGE_MUTATED | HS_CHANGE_CREATED)) != 0);
}

static gboolean
edge_is_hidden (const HsLayoutBox  *boxes,
                guint               n_boxes,
                const HsLayoutEdge *e)
{
  const HsLayoutBox *source;

  g_assert (e != NULL);

  if (e->source >= n_boxes || box_is_hidden (&boxes[e->source]))
    return TRUE;
  if (e->target_box < n_boxes && box_is_hidden (&boxes[e->target_box]))
    return TRUE;
  source = &boxes[e->source];
  /* A rebound name's new arrow is the answer to "where will it point". */
  return e->row < source->n_rows && source->rows[e->row].rebound;
}

static void
draw_hidden_box (cairo_t           *cr,
                 const Palette     *p,
                 const HsLayoutBox *box,
                 double             line_scale)
{
  static const double dashes[] = { 6, 4 };
  double th = hs_layout_text_height (HS_LAYOUT_FONT_TITLE);

  g_assert (cr != NULL);
  g_assert (box != NULL);

  rounded_rect (cr, &box->rect, RADIUS);
  set_rgb (cr, &p->cell, box->alpha);
  cairo_fill_preserve (cr);
  set_rgb (cr, &p->muted, box->alpha);
  cairo_set_line_width (cr, 1.2 * line_scale);
  cairo_set_dash (cr, dashes, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  show_text (cr, HS_LAYOUT_FONT_TITLE, "?",
             box->rect.x + box->rect.width / 2 - th / 4,
             box->rect.y + (box->rect.height - th) / 2);
}

/* Hidden holders (hs-layout-holders.h): amber, apart from the picture's
 * own colours, since they stand for references the graph does not draw */
typedef struct
{
  double fill[3];
  double border[3];
  double ink[3];
  double muted[3];
  double arrow[3];
  double badge[3];
  double badge_ink[3];
} HolderColors;

static const HolderColors light_holders = {
  { 0.99, 0.96, 0.88 }, { 0.55, 0.42, 0.12 }, { 0.10, 0.10, 0.12 },
  { 0.38, 0.34, 0.26 }, { 0.60, 0.42, 0.05 }, { 0.75, 0.32, 0.00 }, { 1, 1, 1 },
};
static const HolderColors dark_holders = {
  { 0.25, 0.21, 0.12 }, { 0.90, 0.76, 0.42 }, { 0.95, 0.94, 0.90 },
  { 0.82, 0.78, 0.68 }, { 0.95, 0.78, 0.38 }, { 1.00, 0.66, 0.20 }, { 0.10, 0.08, 0.04 },
};
static const HolderColors high_contrast_holders = {
  { 1.00, 1.00, 1.00 }, { 0, 0, 0 }, { 0, 0, 0 },
  { 0.15, 0.15, 0.15 }, { 0.55, 0.30, 0.00 }, { 0.75, 0.25, 0.00 }, { 1, 1, 1 },
};

#define HOLDER_HEAD_LENGTH 8.0

/* A holder's dashed arrow, its head, and the "×N" beside it */
static void
draw_holder_arrow (cairo_t            *cr,
                   const HsLayoutEdge *edge,
                   const char         *times,
                   const HsRect       *times_rect,
                   const HolderColors *c)
{
  const HsPoint *q = edge->path;
  double angle = atan2 (edge->y[3] - edge->y[2], edge->x[3] - edge->x[2]);

  g_assert (cr != NULL && edge != NULL && c != NULL);

  cairo_save (cr);
  cairo_set_source_rgb (cr, c->arrow[0], c->arrow[1], c->arrow[2]);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, (double[]) { 5, 3 }, 2, 0);
  cairo_move_to (cr, q[0].x, q[0].y);
  for (guint k = 0; k < edge->n_curves; k++)
    cairo_curve_to (cr, q[3 * k + 1].x, q[3 * k + 1].y, q[3 * k + 2].x, q[3 * k + 2].y,
                    q[3 * k + 3].x, q[3 * k + 3].y);
  cairo_stroke (cr);

  cairo_set_dash (cr, NULL, 0, 0);
  cairo_save (cr);
  cairo_translate (cr, edge->x[3], edge->y[3]);
  cairo_rotate (cr, angle);
  cairo_move_to (cr, 0, 0);
  cairo_line_to (cr, -HOLDER_HEAD_LENGTH, -4);
  cairo_line_to (cr, -HOLDER_HEAD_LENGTH, 4);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_restore (cr);
  if (times != NULL)
    hs_layout_text_draw (cr, HS_LAYOUT_FONT_SMALL, times, times_rect->x, times_rect->y);
  cairo_restore (cr);
}

/* The holder boxes, their arrows and the "+N other" marks, in layout
 * units, inside a draw scope */
static void
draw_holders (cairo_t               *cr,
              const HsLayoutHolders *holders,
              const HsRenderOptions *options)
{
  const HolderColors *c = options->palette == HS_RENDER_PALETTE_DARK ? &dark_holders
                        : options->palette == HS_RENDER_PALETTE_HIGH_CONTRAST ? &high_contrast_holders
                        : &light_holders;
  GPtrArray *boxes = hs_layout_holders_get_boxes (holders);
  const HsLayoutHolderMark *marks;
  double line_ui = hs_layout_text_height (HS_LAYOUT_FONT_UI);
  guint n_marks;

  g_assert (cr != NULL && holders != NULL && options != NULL);

  for (guint b = 0; b < boxes->len; b++)
    {
      const HsHolderBox *box = g_ptr_array_index (boxes, b);
      guint n = hs_holder_box_get_n_held (box, NULL, NULL, 0);
      HsRect rect, times_rect;
      const char *title = hs_holder_box_get_title (box, &rect);

      for (guint i = 0; i < n; i++)
        {
          const HsLayoutEdge *edge = hs_holder_box_get_arrow (box, i);
          const char *times = hs_holder_box_get_times (box, i, &times_rect);

          if (edge != NULL)
            draw_holder_arrow (cr, edge, times, &times_rect, c);
        }

      cairo_save (cr);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, (double[]) { 4, 2 }, 2, 0);
      cairo_rectangle (cr, rect.x, rect.y, rect.width, rect.height);
      cairo_set_source_rgb (cr, c->fill[0], c->fill[1], c->fill[2]);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, c->border[0], c->border[1], c->border[2]);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, c->ink[0], c->ink[1], c->ink[2]);
      hs_layout_text_draw (cr, HS_LAYOUT_FONT_UI, title,
                           rect.x + HS_LAYOUT_HOLDER_PAD, rect.y + HS_LAYOUT_HOLDER_PAD);
      cairo_set_source_rgb (cr, c->muted[0], c->muted[1], c->muted[2]);
      hs_layout_text_draw (cr, HS_LAYOUT_FONT_SMALL, hs_holder_box_get_subtitle (box),
                           rect.x + HS_LAYOUT_HOLDER_PAD, rect.y + HS_LAYOUT_HOLDER_PAD + line_ui);
      cairo_restore (cr);
    }

  marks = hs_layout_holders_get_marks (holders, &n_marks);
  for (guint i = 0; i < n_marks; i++)
    {
      const HsLayoutHolderMark *m = &marks[i];

      cairo_save (cr);
      cairo_translate (cr, m->rect.x, m->rect.y);
      cairo_rectangle (cr, 0, 0, m->rect.width, m->rect.height);
      cairo_set_source_rgba (cr, c->badge[0], c->badge[1], c->badge[2], m->alpha);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, c->badge_ink[0], c->badge_ink[1], c->badge_ink[2], m->alpha);
      hs_layout_text_draw (cr, HS_LAYOUT_FONT_SMALL, m->text, 4, 1);
      cairo_restore (cr);
    }
}

void
hs_renderer_draw (cairo_t               *cr,
                  HsLayout              *layout,
                  const HsRenderOptions *options)
{
  HsRenderOptions defaults;
  const Palette *p;
  const HsLayoutBox *boxes;
  const HsLayoutEdge *edges;
  HsSnapshot *snapshot;
  guint n_boxes, n_edges;
  double width, height, cx1, cy1, cx2, cy2, line_scale;
  HsRect zone, title, view;
  gboolean collapsed;
  g_autoptr(GArray) texts = g_array_new (FALSE, FALSE, sizeof (BoxText));

  g_return_if_fail (cr != NULL);
  g_return_if_fail (layout != NULL);

  if (options == NULL)
    {
      hs_render_options_init (&defaults);
      options = &defaults;
    }
  p = palette_for (options);
  line_scale = options->line_scale > 0 ? options->line_scale : 1;

  cairo_save (cr);
  if (options->scale > 0 && options->scale != 1)
    cairo_scale (cr, options->scale, options->scale);
  hs_layout_get_size (layout, &width, &height);
  cairo_clip_extents (cr, &cx1, &cy1, &cx2, &cy2);

  if (!options->transparent)
    {
      set_rgb (cr, &p->background, 1);
      cairo_paint (cr);
    }
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  collapsed = options->scale > 0 &&
              options->scale < hs_renderer_get_readable_scale () *
                               (options->readable_px > 0 ? options->readable_px : HS_RENDERER_READABLE_PX) /
                               HS_RENDERER_READABLE_PX;
  snapshot = hs_layout_get_snapshot (layout);
  hs_layout_text_begin_draw (hs_layout_get_text (layout));

  if (hs_layout_get_garbage_zone (layout, &zone))
    {
      static const double dashes[] = { 8, 4 };

      rounded_rect (cr, &zone, 10);
      set_rgb (cr, &p->garbage, 0.06);
      cairo_fill_preserve (cr);
      set_rgb (cr, &p->garbage, 1);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, dashes, 2, 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].alpha > 0 && visible (&boxes[i].rect, cx1, cy1, cx2, cy2))
      {
        if (options->hide_changes && box_is_hidden (&boxes[i]))
          draw_hidden_box (cr, p, &boxes[i], line_scale);
        else
          draw_box (cr, p, options, snapshot, &boxes[i], collapsed, texts);
      }

  /* Arrows over the boxes, so each starts visibly from its slot.  The
   * view is widened by more than a line's width and the joins' reach. */
  view = (HsRect) { cx1 - EDGE_MARGIN, cy1 - EDGE_MARGIN,
                    cx2 - cx1 + 2 * EDGE_MARGIN, cy2 - cy1 + 2 * EDGE_MARGIN };
  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint i = 0; i < n_edges; i++)
    if (edges[i].alpha > 0 && edge_meets_view (&edges[i], &view, HEAD_LENGTH) &&
        !(options->hide_current_frame_edges && edges[i].from_frame && edges[i].source < n_boxes &&
          boxes[edges[i].source].kind == HS_LAYOUT_BOX_FRAME && boxes[edges[i].source].current) &&
        !(options->hide_changes && edge_is_hidden (boxes, n_boxes, &edges[i])))
      draw_edge (cr, p, &edges[i], &view, edge_changed (options, boxes, n_boxes, &edges[i]), line_scale);

  /* The garbage zone's title over the arrows, on a patch of the zone's
   * tint: a key arrow of a cycle runs up through it to its string. */
  if (hs_layout_get_garbage_title (layout, &title))
    {
      cairo_rectangle (cr, title.x, title.y, title.width, title.height);
      set_rgb (cr, &p->background, 1);
      cairo_fill_preserve (cr);
      set_rgb (cr, &p->garbage, 0.06);
      cairo_fill (cr);
      set_rgb (cr, &p->garbage, 1);
      show_text (cr, HS_LAYOUT_FONT_TITLE, HS_LAYOUT_GARBAGE_LABEL, title.x + 1, title.y);
    }

  /* The badges and the "new" or "changed" tag over the arrows: an arrow
   * routed across a box must not hide what its header says. */
  for (guint i = 0; i < n_boxes; i++)
    if (boxes[i].kind == HS_LAYOUT_BOX_OBJECT && boxes[i].alpha >= 0.999 && !collapsed &&
        visible (&boxes[i].rect, cx1, cy1, cx2, cy2) &&
        !(options->hide_changes && box_is_hidden (&boxes[i])))
      {
        g_array_set_size (texts, 0);
        collect_box_texts (p, options, &boxes[i], box_changes (snapshot, &boxes[i]), texts);
        draw_badges (cr, &boxes[i], texts);
      }

  if (options->holders != NULL && hs_layout_holders_get_layout (options->holders) == layout)
    draw_holders (cr, options->holders, options);

  hs_layout_text_end_draw ();
  cairo_restore (cr);
}

void
hs_renderer_draw_pinned_frame (cairo_t               *cr,
                               HsLayout              *layout,
                               const HsLayoutBox     *frame,
                               const HsLayoutOverlayArrows  *route,
                               const HsRenderOptions *options)
{
  HsRenderOptions defaults;
  const HsLayoutEdge *edges;
  const Palette *p;
  HsLayoutBox pinned;
  HsRect shadow, where;
  guint n_edges;
  g_autoptr(GArray) texts = g_array_new (FALSE, FALSE, sizeof (BoxText));

  g_return_if_fail (cr != NULL);
  g_return_if_fail (layout != NULL);
  g_return_if_fail (frame != NULL && frame->kind == HS_LAYOUT_BOX_FRAME);
  g_return_if_fail (route != NULL);

  if (options == NULL)
    {
      hs_render_options_init (&defaults);
      options = &defaults;
    }
  p = palette_for (options);
  hs_layout_overlay_arrows_get_rect (route, &where);
  pinned = *frame;
  pinned.rect.x = where.x;
  pinned.rect.y = where.y;
  pinned.alpha = 1;

  cairo_save (cr);
  if (options->scale > 0 && options->scale != 1)
    cairo_scale (cr, options->scale, options->scale);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  hs_layout_text_begin_draw (hs_layout_get_text (layout));

  /* Lifted off the picture, so it does not read as a box of it */
  shadow = (HsRect) { where.x - 2, where.y - 2, frame->rect.width + 7, frame->rect.height + 7 };
  rounded_rect (cr, &shadow, 4);
  cairo_set_source_rgba (cr, 0, 0, 0, options->palette == HS_RENDER_PALETTE_DARK ? 0.5 : 0.18);
  cairo_fill (cr);
  draw_box (cr, p, options, NULL, &pinned, FALSE, texts);

  /* Each name's arrow, from the pinned slot around the boxes to its
   * object where it is */
  edges = hs_layout_overlay_arrows_get_edges (route, &n_edges);
  for (guint i = 0; i < n_edges; i++)
    draw_edge (cr, p, &edges[i], &(HsRect) { -G_MAXFLOAT / 4, -G_MAXFLOAT / 4, G_MAXFLOAT / 2, G_MAXFLOAT / 2 },
               edges[i].row < frame->n_rows && frame->rows[edges[i].row].rebound,
               options->line_scale > 0 ? options->line_scale : 1);

  hs_layout_text_end_draw ();
  cairo_restore (cr);
}

/* The scale at which the smallest box text reaches
 * HS_RENDERER_READABLE_PX on screen */
double
hs_renderer_get_readable_scale (void)
{
  return HS_RENDERER_READABLE_PX / hs_layout_text_smallest_size ();
}

/* The box of ref's tag, if it has one: into tag, its text, as drawn */
static const HsLayoutBox *
find_tag (HsLayout        *layout,
          const Palette   *p,
          guint32          ref,
          BoxText         *tag)
{
  g_autoptr(GArray) texts = g_array_new (FALSE, FALSE, sizeof (BoxText));
  const HsLayoutBox *boxes;
  HsRenderOptions options;
  guint n_boxes;

  g_assert (layout != NULL && p != NULL && tag != NULL);

  hs_render_options_init (&options);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    {
      if (boxes[b].ref != ref || boxes[b].kind != HS_LAYOUT_BOX_OBJECT)
        continue;
      collect_box_texts (p, &options, &boxes[b], box_changes (hs_layout_get_snapshot (layout), &boxes[b]), texts);
      for (guint i = 0; i < texts->len; i++)
        if (g_array_index (texts, BoxText, i).role == HS_RENDERER_TEXT_TAG)
          {
            *tag = g_array_index (texts, BoxText, i);
            return &boxes[b];
          }
      return NULL;
    }
  return NULL;
}

gboolean
hs_renderer_get_tag_rect (HsLayout *layout,
                          guint32   ref,
                          HsRect   *out)
{
  BoxText tag;
  gboolean found;

  g_return_val_if_fail (layout != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  hs_layout_text_begin_draw (hs_layout_get_text (layout));
  if ((found = find_tag (layout, &light, ref, &tag) != NULL))
    tag_rect (&tag, out);
  hs_layout_text_end_draw ();
  return found;
}

void
hs_renderer_draw_tag (cairo_t               *cr,
                      HsLayout              *layout,
                      guint32                ref,
                      const HsRenderOptions *options)
{
  HsRenderOptions defaults;
  const HsLayoutBox *box;
  BoxText tag;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (layout != NULL);

  if (options == NULL)
    {
      hs_render_options_init (&defaults);
      options = &defaults;
    }
  hs_layout_text_begin_draw (hs_layout_get_text (layout));
  if ((box = find_tag (layout, palette_for (options), ref, &tag)) != NULL && text_alpha (box) > 0)
    {
      cairo_save (cr);
      if (options->scale > 0)
        cairo_scale (cr, options->scale, options->scale);
      cairo_push_group (cr);
      draw_tag (cr, &tag);
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, text_alpha (box));
      cairo_restore (cr);
    }
  hs_layout_text_end_draw ();
}

HsRendererHit
hs_renderer_hit_box (HsLayout          *layout,
                     const HsLayoutBox *box,
                     double             x,
                     double             y)
{
  g_autoptr(GArray) texts = g_array_new (FALSE, FALSE, sizeof (BoxText));
  HsRenderOptions options;
  HsRendererHit hit = HS_RENDERER_HIT_NONE;
  const HsRect *r;

  g_return_val_if_fail (layout != NULL, HS_RENDERER_HIT_NONE);
  g_return_val_if_fail (box != NULL, HS_RENDERER_HIT_NONE);

  r = &box->rect;
  hs_render_options_init (&options);
  hs_layout_text_begin_draw (hs_layout_get_text (layout));
  collect_box_texts (&light, &options, box, box_changes (hs_layout_get_snapshot (layout), box), texts);
  for (guint i = 0; i < texts->len; i++)
    {
      const BoxText *t = &g_array_index (texts, BoxText, i);
      HsRect pill;

      if (t->role == HS_RENDERER_TEXT_TAG)
        {
          tag_rect (t, &pill);
          if (x >= pill.x && x <= pill.x + pill.width && y >= pill.y && y <= pill.y + pill.height)
            hit = HS_RENDERER_HIT_TAG;
        }
      /* The whole width of the box, the height of the line */
      else if (t->role == HS_RENDERER_TEXT_MARKS && hit == HS_RENDERER_HIT_NONE &&
               x >= r->x && x <= r->x + r->width &&
               y >= t->y && y < t->y + hs_layout_text_height (t->font))
        hit = HS_RENDERER_HIT_MARKS;
    }
  hs_layout_text_end_draw ();
  return hit;
}

/* c over the background at alpha */
static void
over (const Rgb *c,
      const Rgb *background,
      double     alpha,
      double     out[3])
{
  g_assert (c != NULL && background != NULL && out != NULL);

  out[0] = c->r * alpha + background->r * (1 - alpha);
  out[1] = c->g * alpha + background->g * (1 - alpha);
  out[2] = c->b * alpha + background->b * (1 - alpha);
}

GArray *
hs_renderer_get_box_texts (HsLayout              *layout,
                           const HsLayoutBox     *box,
                           const HsRenderOptions *options)
{
  g_autoptr(GArray) texts = g_array_new (FALSE, FALSE, sizeof (BoxText));
  HsRenderOptions defaults;
  GArray *out;
  const Palette *p;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (box != NULL, NULL);

  if (options == NULL)
    {
      hs_render_options_init (&defaults);
      options = &defaults;
    }
  p = palette_for (options);
  out = g_array_new (FALSE, TRUE, sizeof (HsRendererText));
  hs_layout_text_begin_draw (hs_layout_get_text (layout));
  collect_box_texts (p, options, box, box_changes (hs_layout_get_snapshot (layout), box), texts);
  for (guint i = 0; i < texts->len; i++)
    {
      const BoxText *t = &g_array_index (texts, BoxText, i);
      HsRendererText text = { t->role, t->font, t->text, t->row };
      cairo_rectangle_t ink, logical;
      Rgb under;

      hs_layout_text_get_extents (t->font, t->text, &ink, &logical);
      text.logical = (HsRect) { t->x + logical.x, t->y + logical.y, logical.width, logical.height };
      text.ink = (HsRect) { t->x + ink.x, t->y + ink.y, ink.width, ink.height };
      text.em = hs_layout_text_font_size (t->font);
      /* The shell shows at the box's alpha, the text (and the tag's
       * pill) at its own over it */
      over (t->under, &p->background, t->role == HS_RENDERER_TEXT_TAG ? text_alpha (box) : box->alpha,
            text.under_rgb);
      under = (Rgb) { text.under_rgb[0], text.under_rgb[1], text.under_rgb[2] };
      over (t->ink, &under, text_alpha (box), text.ink_rgb);
      g_array_append_val (out, text);
    }
  hs_layout_text_end_draw ();
  return out;
}

gboolean
hs_renderer_export (HsLayout              *layout,
                    const HsRenderOptions *options,
                    const char            *filename,
                    GError               **error)
{
  g_autofree char *lower = NULL;
  HsRenderOptions opts;
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  cairo_t *cr;
  double width, height;
  enum { PNG, SVG, PDF } format;

  g_return_val_if_fail (layout != NULL, FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options != NULL)
    opts = *options;
  else
    hs_render_options_init (&opts);
  if (!(opts.scale > 0))
    opts.scale = 1;

  lower = g_ascii_strdown (filename, -1);
  if (g_str_has_suffix (lower, ".png"))
    format = PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    format = SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    format = PDF;
  else
    {
      g_set_error (error, HS_RENDERER_ERROR, HS_RENDERER_ERROR_FORMAT,
                   _("Cannot tell the format of %s: use .png, .svg or .pdf"), filename);
      return FALSE;
    }

  if (opts.holders != NULL)
    hs_layout_holders_get_extent (opts.holders, &width, &height);
  else
    hs_layout_get_size (layout, &width, &height);
  if (format == PNG)
    {
      /* Cairo image surfaces stop at 32767 pixels a side */
      opts.scale = MIN (opts.scale, 32000 / MAX (width, height));
      surface = hs_png_surface_new ((int) ceil (width * opts.scale), (int) ceil (height * opts.scale));
    }
  else
    {
      /* Vector output is in points, one per layout unit */
      opts.scale = 1;
      if (format == SVG)
        surface = cairo_svg_surface_create (filename, width, height);
      else
        surface = cairo_pdf_surface_create (filename, width, height);
    }

  cr = cairo_create (surface);
  hs_renderer_draw (cr, layout, &opts);
  cairo_destroy (cr);

  if (format == PNG && cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
    {
      g_autoptr(GError) local_error = NULL;

      if (!hs_png_write (surface, filename, &local_error))
        {
          cairo_surface_destroy (surface);
          g_set_error (error, HS_RENDERER_ERROR, HS_RENDERER_ERROR_FAILED,
                       _("Cannot write %s: %s"), filename, local_error->message);
          return FALSE;
        }
      status = CAIRO_STATUS_SUCCESS;
    }
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, HS_RENDERER_ERROR, HS_RENDERER_ERROR_FAILED,
                   _("Cannot write %s: %s"), filename, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
