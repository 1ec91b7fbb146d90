/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test-badges"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hs-renderer.h"
#include "render-test-util.h"

/*
 * The badges of a box, on pixels: the facts line ("refcount 2, 1 shown"),
 * the marks line ("immutable · small int") and the "new" or "changed"
 * tag are drawn over the arrows, so that an arrow routed across a box
 * never hides what its header says.
 *
 * Each badge is an opaque patch (the box's fill, or the tag's colour)
 * with text on it, drawn after the arrows.  So inside a badge the picture
 * must be the same, pixel for pixel, whether the arrows that cross it are
 * drawn or not: the test renders the region twice with the real renderer,
 * once as it is and once with those arrows' alpha at 0, and compares.
 * That needs no palette, no font and no colour of an arrow: had the
 * badges been drawn before the arrows, the arrows would show in the
 * first picture only.
 *
 * Every step of every example and render program is searched for arrows
 * that cross a badge; because routing may leave none, a box of a real
 * step is also moved so that a straight arrow runs through each of its
 * badges in turn.  Badges must not overlap each other or the box's text.
 */

/* Device pixels per layout unit: an arrow of 1.2 units covers whole pixels */
#define SCALE 2.0
/* The renderer's and the layout's inner margin of a box */
#define PAD 8.0
/* Around a badge, the region rendered: an arrow that crosses it shows there */
#define MARGIN 14.0

typedef enum
{
  BADGE_FACTS,
  BADGE_MARKS,
  BADGE_TAG,
} BadgeKind;

static const char * const badge_names[] = { "facts", "marks", "tag" };

typedef struct
{
  BadgeKind kind;
  HsRect    rect;      /* what it covers */
  HsRect    opaque;    /* where it covers everything under it: the pill's straight part */
} Badge;

/* The tag the renderer puts on a box: what the line created is "new",
 * a container it mutated "changed". */
static const char *
tag_text (HsLayout          *layout,
          const HsLayoutBox *box)
{
  const HsObject *object = hs_snapshot_lookup (hs_layout_get_snapshot (layout), box->ref);

  g_assert (box != NULL);

  if (object == NULL)
    return NULL;
  if (object->changes & HS_CHANGE_CREATED)
    return "new";
  if ((object->changes & HS_CHANGE_MUTATED) && (object->flags & HS_OBJECT_MUTABLE))
    return "changed";
  return NULL;
}

/* The badges of box where the renderer draws them (its draw_badges and
 * draw_tag), checked against its own hit test. */
static guint
badges_of (HsLayout          *layout,
           const HsLayoutBox *box,
           Badge             *out)
{
  const char *lines[] = { box->facts, box->marks };
  const char *tag = tag_text (layout, box);
  double ty, h;
  guint n = 0;

  g_assert (layout != NULL && box != NULL && out != NULL);

  hs_layout_text_begin_draw (hs_layout_get_text (layout));
  ty = box->rect.y + PAD / 2 + hs_layout_text_height (HS_LAYOUT_FONT_TITLE);
  h = hs_layout_text_height (HS_LAYOUT_FONT_SMALL);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      /* the facts follow the title on its line, bottoms level, unless
       * they have a line of their own */
      gboolean beside = i == 0 && !box->facts_below;
      double x = box->rect.x + PAD - 1;

      if (lines[i] == NULL)
        continue;
      if (beside)
        x += hs_layout_text_width (HS_LAYOUT_FONT_TITLE, box->title) + PAD;
      out[n].kind = i == 0 ? BADGE_FACTS : BADGE_MARKS;
      out[n].rect = (HsRect) { x, beside ? ty - h : ty,
                               MIN (hs_layout_text_width (HS_LAYOUT_FONT_SMALL, lines[i]) + 2, box->rect.width - PAD), h };
      out[n].opaque = out[n].rect;
      ty += beside ? 0 : h;
      n++;
    }
  if (tag != NULL)
    {
      double w = hs_layout_text_width (HS_LAYOUT_FONT_SMALL, tag) + 8;
      double th = h + 2;

      out[n].kind = BADGE_TAG;
      /* its bottom where the title's line starts */
      out[n].rect = (HsRect) { box->rect.x + box->rect.width - 6 - w, box->rect.y + PAD / 2 - th, w, th };
      /* a pill: its round ends let what is under them show at the corners */
      out[n].opaque = (HsRect) { out[n].rect.x + th / 2, out[n].rect.y, w - th, th };
      n++;
    }
  hs_layout_text_end_draw ();

  /* The renderer's hit test agrees on where the marks and the tag are */
  for (guint i = 0; i < n; i++)
    {
      double cx = out[i].rect.x + out[i].rect.width / 2;
      double cy = out[i].rect.y + out[i].rect.height / 2;

      if (out[i].kind == BADGE_MARKS)
        g_assert_cmpint (hs_renderer_hit_box (layout, box, cx, cy), ==, HS_RENDERER_HIT_MARKS);
      else if (out[i].kind == BADGE_TAG)
        g_assert_cmpint (hs_renderer_hit_box (layout, box, cx, cy), ==, HS_RENDERER_HIT_TAG);
    }
  return n;
}

/* The badges of box b drawn over the arrows, as badges_of(): the
 * renderer does so for object boxes fully in view; 0 for the others. */
static guint
drawn_badges_of (HsLayout *layout,
                 guint     b,
                 Badge    *out)
{
  const HsLayoutBox *boxes;
  guint n_boxes;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  g_assert (b < n_boxes);
  if (boxes[b].kind != HS_LAYOUT_BOX_OBJECT || boxes[b].alpha < 0.999)
    return 0;
  return badges_of (layout, &boxes[b], out);
}

static gboolean
rects_overlap (const HsRect *a,
               const HsRect *b)
{
  /* Touching is not overlapping; a hundredth of a unit is rounding */
  return a->x + 0.01 < b->x + b->width && b->x + 0.01 < a->x + a->width &&
         a->y + 0.01 < b->y + b->height && b->y + 0.01 < a->y + a->height;
}

/* The box's own text, where the renderer writes it: the title, the
 * value, the note and the rows' labels. */
static GArray *
texts_of (HsLayout          *layout,
          const HsLayoutBox *box)
{
  GArray *texts = g_array_new (FALSE, FALSE, sizeof (HsRect));
  const HsRect *r = &box->rect;
  HsLayoutFont label = box->shape == HS_LAYOUT_SHAPE_SEQUENCE || box->shape == HS_LAYOUT_SHAPE_SET
                       ? HS_LAYOUT_FONT_SMALL : HS_LAYOUT_FONT_UI;
  HsRect t;
  double ty;

  hs_layout_text_begin_draw (hs_layout_get_text (layout));
  t = (HsRect) { r->x + PAD, r->y + PAD / 2,
                 hs_layout_text_width (HS_LAYOUT_FONT_TITLE, box->title),
                 hs_layout_text_height (HS_LAYOUT_FONT_TITLE) };
  g_array_append_val (texts, t);
  ty = t.y + t.height + PAD / 2;
  ty += box->facts && box->facts_below ? hs_layout_text_height (HS_LAYOUT_FONT_SMALL) : 0;
  ty += box->marks ? hs_layout_text_height (HS_LAYOUT_FONT_SMALL) : 0;
  if (box->value)
    {
      t = (HsRect) { r->x + PAD, ty, hs_layout_text_width (HS_LAYOUT_FONT_MONO, box->value),
                     hs_layout_text_height (HS_LAYOUT_FONT_MONO) };
      g_array_append_val (texts, t);
      ty += t.height + PAD / 2;
    }
  if (box->note)
    {
      t = (HsRect) { r->x + PAD, ty, hs_layout_text_width (HS_LAYOUT_FONT_SMALL, box->note),
                     hs_layout_text_height (HS_LAYOUT_FONT_SMALL) };
      g_array_append_val (texts, t);
    }
  for (guint i = 0; i < box->n_rows; i++)
    if (box->rows[i].label != NULL)
      {
        const HsLayoutRow *row = &box->rows[i];
        HsLayoutFont font = row->kind == HS_LAYOUT_ROW_ELISION ? HS_LAYOUT_FONT_SMALL : label;
        double w = hs_layout_text_width (font, row->label);
        double th = hs_layout_text_height (font);

        t = (HsRect) { row->kind == HS_LAYOUT_ROW_ELISION ? r->x + r->width - PAD - w : r->x + PAD,
                       r->y + row->y + (row->height - th) / 2, w, th };
        g_array_append_val (texts, t);
      }
  hs_layout_text_end_draw ();
  return texts;
}

/* No badge overlaps another, nor any text of its box. */
static void
check_apart (HsLayout          *layout,
             const HsLayoutBox *box,
             const Badge       *badges,
             guint              n_badges,
             const char        *where)
{
  g_autoptr(GArray) texts = texts_of (layout, box);

  for (guint i = 0; i < n_badges; i++)
    {
      for (guint j = i + 1; j < n_badges; j++)
        if (rects_overlap (&badges[i].rect, &badges[j].rect))
          g_error ("%s: the %s box's %s badge overlaps its %s badge", where, box->title,
                   badge_names[badges[i].kind], badge_names[badges[j].kind]);
      for (guint t = 0; t < texts->len; t++)
        if (rects_overlap (&badges[i].rect, &g_array_index (texts, HsRect, t)))
          g_error ("%s: the %s box's %s badge overlaps its text %u", where, box->title,
                   badge_names[badges[i].kind], t);
    }
}

/* Whether the arrow runs through the inside of r, by its path as cairo
 * flattens it, walked in steps of at most half a unit. */
static gboolean
edge_crosses (cairo_t            *cr,
              const HsLayoutEdge *edge,
              const HsRect       *r)
{
  cairo_path_t *flat;
  gboolean crosses = FALSE;
  double px = 0, py = 0;

  g_assert (cr != NULL && edge != NULL && r != NULL);

  cairo_new_path (cr);
  cairo_move_to (cr, edge->path[0].x, edge->path[0].y);
  for (guint c = 0; c < edge->n_curves; c++)
    cairo_curve_to (cr, edge->path[3 * c + 1].x, edge->path[3 * c + 1].y,
                    edge->path[3 * c + 2].x, edge->path[3 * c + 2].y,
                    edge->path[3 * c + 3].x, edge->path[3 * c + 3].y);
  flat = cairo_copy_path_flat (cr);
  for (int i = 0; i < flat->num_data && !crosses; i += flat->data[i].header.length)
    {
      double x = flat->data[i + 1].point.x, y = flat->data[i + 1].point.y;
      guint steps;

      if (flat->data[i].header.type != CAIRO_PATH_MOVE_TO)
        {
          steps = (guint) ceil (hypot (x - px, y - py) * 2) + 1;
          for (guint s = 0; s <= steps && !crosses; s++)
            {
              double sx = px + (x - px) * s / steps, sy = py + (y - py) * s / steps;

              crosses = sx > r->x + 1 && sx < r->x + r->width - 1 && sy > r->y + 1 && sy < r->y + r->height - 1;
            }
        }
      px = x;
      py = y;
    }
  cairo_path_destroy (flat);
  cairo_new_path (cr);
  return crosses;
}

/* The region around r rendered by the real renderer at SCALE */
static cairo_surface_t *
render_region (HsLayout        *layout,
               const HsRect    *region,
               HsRenderPalette  palette)
{
  cairo_surface_t *surface;
  HsRenderOptions options;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (region->width * SCALE),
                                        (int) ceil (region->height * SCALE));
  cr = cairo_create (surface);
  cairo_translate (cr, -region->x * SCALE, -region->y * SCALE);
  hs_render_options_init (&options);
  options.palette = palette;
  options.scale = SCALE;
  hs_renderer_draw (cr, layout, &options);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);

  return ((const guint32 *) (gconstpointer) (data + (gsize) y * cairo_image_surface_get_stride (surface)))[x];
}

/*
 * Renders the region of the badge with the arrows that cross it and
 * without them (their alpha at 0, which the renderer skips), and returns
 * how many pixels outside the badge differ: the arrows' own, proof that
 * they were drawn there.  Inside the badge's opaque part no pixel may
 * differ, and the badge shows something besides its background: its text.
 */
static guint
compare_badge (HsLayout        *layout,
               const Badge     *badge,
               GArray          *crossing,
               HsRenderPalette  palette,
               const char      *where)
{
  HsLayoutEdge *edges;
  guint n_edges, differ_inside = 0, differ_outside = 0, inked = 0;
  HsRect region = { badge->rect.x - MARGIN, badge->rect.y - MARGIN,
                    badge->rect.width + 2 * MARGIN, badge->rect.height + 2 * MARGIN };
  cairo_surface_t *with, *without;
  int x0, x1, y0, y1;
  guint32 background;

  g_assert (crossing->len > 0);

  /* The test owns this layout: hiding arrows changes no one else's */
  edges = (HsLayoutEdge *) hs_layout_get_edges (layout, &n_edges);
  with = render_region (layout, &region, palette);
  {
    g_autofree double *alphas = g_new (double, crossing->len);

    for (guint i = 0; i < crossing->len; i++)
      {
        alphas[i] = edges[g_array_index (crossing, guint, i)].alpha;
        edges[g_array_index (crossing, guint, i)].alpha = 0;
      }
    without = render_region (layout, &region, palette);
    for (guint i = 0; i < crossing->len; i++)
      edges[g_array_index (crossing, guint, i)].alpha = alphas[i];
  }

  /* The pixels the opaque part covers whole */
  x0 = (int) ceil ((badge->opaque.x - region.x) * SCALE);
  x1 = (int) floor ((badge->opaque.x + badge->opaque.width - region.x) * SCALE);
  y0 = (int) ceil ((badge->opaque.y - region.y) * SCALE);
  y1 = (int) floor ((badge->opaque.y + badge->opaque.height - region.y) * SCALE);
  g_assert_cmpint (x1 - x0, >=, 4);
  g_assert_cmpint (y1 - y0, >=, 4);
  background = pixel_at (without, x0, y0);

  for (int y = 0; y < cairo_image_surface_get_height (with); y++)
    for (int x = 0; x < cairo_image_surface_get_width (with); x++)
      {
        gboolean inside = x >= x0 && x < x1 && y >= y0 && y < y1;
        gboolean same = pixel_at (with, x, y) == pixel_at (without, x, y);

        if (inside)
          {
            differ_inside += !same;
            inked += pixel_at (without, x, y) != background;
          }
        else
          differ_outside += !same;
      }

  cairo_surface_destroy (with);
  cairo_surface_destroy (without);
  if (differ_inside > 0)
    g_error ("%s: %u pixels of the %s badge show the %u arrows that cross it (%s palette)", where,
             differ_inside, badge_names[badge->kind], crossing->len, palette == HS_RENDER_PALETTE_DARK ? "dark" : "light");
  /* its text: at least a few pixels of ink, whatever the font */
  g_assert_cmpuint (inked, >=, 4);
  return differ_outside;
}

/* The indices of the edges that run through the badge's opaque part */
static GArray *
crossing_edges (HsLayout    *layout,
                const Badge *badge)
{
  GArray *crossing = g_array_new (FALSE, FALSE, sizeof (guint));
  cairo_surface_t *scratch = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (scratch);
  const HsLayoutEdge *edges;
  guint n_edges;

  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint e = 0; e < n_edges; e++)
    if (edges[e].alpha > 0 && edge_crosses (cr, &edges[e], &badge->opaque))
      g_array_append_val (crossing, e);
  cairo_destroy (cr);
  cairo_surface_destroy (scratch);
  return crossing;
}

/* Every step of a program: badges apart from each other and from the
 * text, and wherever an arrow crosses a badge, the badge on top. */
static void
test_program (RenderFixture *fixture,
              gconstpointer  data)
{
  guint n_badges_seen = 0, n_crossed = 0;

  for (guint s = 0; s < fixture->layouts->len; s++)
    {
      HsLayout *layout = g_ptr_array_index (fixture->layouts, s);
      g_autofree char *where = g_strdup_printf ("%s step %u", (const char *) data, s);
      const HsLayoutBox *boxes;
      guint n_boxes;

      boxes = hs_layout_get_boxes (layout, &n_boxes);
      for (guint b = 0; b < n_boxes; b++)
        {
          Badge badges[3];
          guint n = drawn_badges_of (layout, b, badges);

          check_apart (layout, &boxes[b], badges, n, where);
          n_badges_seen += n;
          for (guint i = 0; i < n; i++)
            {
              g_autoptr(GArray) crossing = crossing_edges (layout, &badges[i]);

              if (crossing->len == 0)
                continue;
              n_crossed++;
              compare_badge (layout, &badges[i], crossing, HS_RENDER_PALETTE_LIGHT, where);
              compare_badge (layout, &badges[i], crossing, HS_RENDER_PALETTE_DARK, where);
            }
        }
    }
  g_test_message ("%s: %u badges, %u crossed by arrows", (const char *) data, n_badges_seen, n_crossed);
  g_assert_cmpuint (n_badges_seen, >, 0);
}

/* A straight stretch of an arrow, horizontal or vertical, that runs
 * across a badge as big as r and on past it by MARGIN each side, so
 * that it shows around the badge: its middle in (x, y). */
static gboolean
find_straight_run (const HsLayoutEdge *edge,
                   const HsRect       *r,
                   double             *x,
                   double             *y)
{
  g_assert (edge != NULL && r != NULL);

  for (guint c = 0; c < edge->n_curves; c++)
    {
      const HsPoint *p = &edge->path[3 * c];
      /* a curve whose four points lie on one line is straight */
      gboolean across = fabs (p[1].y - p[0].y) < 0.01 && fabs (p[2].y - p[0].y) < 0.01 && fabs (p[3].y - p[0].y) < 0.01;
      gboolean down = fabs (p[1].x - p[0].x) < 0.01 && fabs (p[2].x - p[0].x) < 0.01 && fabs (p[3].x - p[0].x) < 0.01;

      if ((across && fabs (p[3].x - p[0].x) >= r->width + 2 * MARGIN) ||
          (down && fabs (p[3].y - p[0].y) >= r->height + 2 * MARGIN))
        {
          *x = (p[0].x + p[3].x) / 2;
          *y = (p[0].y + p[3].y) / 2;
          return TRUE;
        }
    }
  return FALSE;
}

/* Moves the box by (dx, dy): its rows and badges go with it, its
 * arrows stay */
static void
move_box (HsLayoutBox *box,
          double       dx,
          double       dy)
{
  box->rect.x += dx;
  box->rect.y += dy;
}

/* Whether the badge lies on a badge of another box: the other would
 * hide the arrow too (both are drawn after the arrows), and the test
 * would not see which one does. */
static gboolean
meets_other_badge (HsLayout          *layout,
                   const HsLayoutBox *box,
                   const Badge       *badge)
{
  const HsLayoutBox *boxes;
  guint n_boxes;

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    {
      Badge others[3];
      guint n = &boxes[b] == box ? 0 : drawn_badges_of (layout, b, others);

      for (guint i = 0; i < n; i++)
        if (rects_overlap (&badge->rect, &others[i].rect))
          return TRUE;
    }
  return FALSE;
}

/*
 * Routing may leave no arrow across a badge in any program, so a real
 * step's box with all three badges is moved, once per badge, so that a
 * straight arrow of the same step runs through that badge's middle: the
 * badge must hide it, in both palettes.
 */
static void
test_over_arrows (RenderFixture *fixture,
                  gconstpointer  data)
{
  HsLayout *layout = render_fixture_last (fixture);
  HsLayoutBox *boxes;
  const HsLayoutEdge *edges;
  HsLayoutBox *box = NULL;
  guint n_boxes, n_edges, n_checked = 0;
  Badge badges[3];
  guint n = 0;

  boxes = (HsLayoutBox *) hs_layout_get_boxes (layout, &n_boxes);
  edges = hs_layout_get_edges (layout, &n_edges);
  for (guint b = 0; b < n_boxes && box == NULL; b++)
    if ((n = drawn_badges_of (layout, b, badges)) == 3)
      box = &boxes[b];
  /* the last step of copies.py changes deep[1]: facts, marks and a tag */
  g_assert_nonnull (box);

  for (guint i = 0; i < n; i++)
    {
      gboolean placed = FALSE;

      for (guint e = 0; e < n_edges && !placed; e++)
        {
          HsRect home = box->rect;
          Badge moved[3];
          double x, y, dx, dy;

          if (edges[e].source == (guint) (box - boxes) || edges[e].target_box == (guint) (box - boxes) ||
              !find_straight_run (&edges[e], &badges[i].rect, &x, &y))
            continue;
          dx = x - (badges[i].opaque.x + badges[i].opaque.width / 2);
          dy = y - (badges[i].opaque.y + badges[i].opaque.height / 2);
          move_box (box, dx, dy);
          g_assert_cmpuint (badges_of (layout, box, moved), ==, n);
          if (!meets_other_badge (layout, box, &moved[i]))
            {
              g_autoptr(GArray) crossing = NULL;
              g_autofree char *where = g_strdup_printf ("%s, the %s box moved onto an arrow",
                                                        (const char *) data, box->title);

              crossing = crossing_edges (layout, &moved[i]);
              g_assert_cmpuint (crossing->len, >=, 1);
              check_apart (layout, box, moved, n, where);
              /* the arrow shows around the badge, not in it */
              g_assert_cmpuint (compare_badge (layout, &moved[i], crossing, HS_RENDER_PALETTE_LIGHT, where), >, 0);
              g_assert_cmpuint (compare_badge (layout, &moved[i], crossing, HS_RENDER_PALETTE_DARK, where), >, 0);
              placed = TRUE;
              n_checked++;
            }
          box->rect = home;
        }
      if (!placed)
        g_error ("%s: no straight arrow to run through the %s badge", (const char *) data, badge_names[badges[i].kind]);
    }
  g_assert_cmpuint (n_checked, ==, 3);
}

/* The test data points at these paths: freed after the run */
static GPtrArray *paths;

static void
add_programs (const char *dir,
              const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint before = paths->len;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".py"))
      {
        g_autofree char *test = g_strdup_printf ("/render/badges/%s/%s", prefix, name);

        g_ptr_array_add (paths, g_build_filename (dir, name, NULL));
        g_test_add (test, RenderFixture, g_ptr_array_index (paths, paths->len - 1),
                    render_fixture_setup, test_program, render_fixture_teardown);
      }
  g_assert_cmpuint (paths->len, >, before);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *copies = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  paths = g_ptr_array_new_with_free_func (g_free);
  copies = g_build_filename (HS_TEST_EXAMPLES, "copies.py", NULL);
  g_test_add ("/render/badges/over-arrows", RenderFixture, copies,
              render_fixture_setup_every_object, test_over_arrows, render_fixture_teardown);
  add_programs (HS_TEST_EXAMPLES, "examples");
  add_programs (HS_TEST_PROGRAMS, "programs");

  status = g_test_run ();
  g_ptr_array_unref (paths);
  return status;
}
