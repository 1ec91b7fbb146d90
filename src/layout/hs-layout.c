/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "hs-layout.h"
#include "hs-layout-private.h"

#define MARGIN        24.0
#define PAD           8.0
#define COLUMN_GAP    72.0
#define GAP_Y         14.0
#define SLOT_CELL     30.0
#define ROW_PAD       7.0
#define MIN_FRAME_W   210.0
#define ZONE_GAP      48.0
#define ZONE_PAD      16.0
#define BAND          64.0
#define MAX_VALUE_CHARS 36
#define GHOST_ALPHA   0.45
#define MAX_DRIFT     720.0
#define MAX_SHIFT     64

/*
 * Objects stand in columns.  A new object that would slide more than
 * MAX_DRIFT below the slot that references it goes to a column further
 * right instead, and what it references moves right with it: a list of
 * many lists would otherwise push its grandchildren ever further down,
 * tens of thousands of units from their parents.
 */
G_DEFINE_BOXED_TYPE (HsLayout, hs_layout, hs_layout_ref, hs_layout_unref)

void
hs_layout_options_init (HsLayoutOptions *options)
{
  g_return_if_fail (options != NULL);
  options->max_cells = 10;
  options->tail_cells = 3;
}

static HsLayout *
layout_alloc (void)
{
  HsLayout *self = g_new0 (HsLayout, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->strings = g_string_chunk_new (4096);
  self->boxes = g_array_new (FALSE, TRUE, sizeof (HsLayoutBox));
  self->row_arrays = g_ptr_array_new_with_free_func (g_free);
  self->edges = g_array_new (FALSE, TRUE, sizeof (HsLayoutEdge));
  self->box_by_ref = g_hash_table_new (NULL, NULL);
  self->ghost_by_ref = g_hash_table_new (NULL, NULL);
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  return self;
}

HsLayout *
hs_layout_ref (HsLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
hs_layout_unref (HsLayout *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->snapshot, hs_snapshot_unref);
  g_string_chunk_free (self->strings);
  g_array_unref (self->boxes);
  g_ptr_array_unref (self->row_arrays);
  g_array_unref (self->edges);
  g_hash_table_unref (self->box_by_ref);
  g_hash_table_unref (self->ghost_by_ref);
  g_array_unref (self->columns);
  g_clear_pointer (&self->from, hs_layout_unref);
  g_clear_pointer (&self->to, hs_layout_unref);
  g_free (self);
}

/* ------------------------------------------------------------------ */
/* What each object shows                                              */

static HsLayoutShape
shape_for (const HsObject *o)
{
  static const char * const compact[] = {
    "function", "builtin_function_or_method", "type", "module", "method",
    "cell", "code", "memoryview", "classmethod", "staticmethod", "property",
    "generator", "coroutine", NULL,
  };
  gboolean attrs = FALSE, keys = FALSE, members = FALSE, items = FALSE, others = FALSE;

  for (guint i = 0; i < o->n_edges; i++)
    switch (o->edges[i].kind)
      {
      case HS_EDGE_ATTR: attrs = TRUE; break;
      case HS_EDGE_KEY:
      case HS_EDGE_VALUE: keys = TRUE; break;
      case HS_EDGE_MEMBER: members = TRUE; break;
      case HS_EDGE_ITEM: items = TRUE; break;
      default: others = TRUE; break;
      }

  if (g_str_equal (o->type, "dict") || keys)
    return HS_LAYOUT_SHAPE_MAPPING;
  if (g_str_equal (o->type, "set") || g_str_equal (o->type, "frozenset") || members)
    return HS_LAYOUT_SHAPE_SET;
  if (g_str_equal (o->type, "list") || g_str_equal (o->type, "tuple") || items)
    return HS_LAYOUT_SHAPE_SEQUENCE;
  if (g_strv_contains (compact, o->type) || others)
    return HS_LAYOUT_SHAPE_COMPACT;
  if (attrs)
    return HS_LAYOUT_SHAPE_INSTANCE;
  /* Instances without attributes still read as "an instance of C" */
  if (o->repr != NULL && o->repr[0] == '<')
    return (o->flags & HS_OBJECT_MUTABLE) ? HS_LAYOUT_SHAPE_INSTANCE : HS_LAYOUT_SHAPE_COMPACT;
  return HS_LAYOUT_SHAPE_VALUE;
}

static const char *
intern_value (HsLayout   *self,
              const char *repr)
{
  g_autofree char *flat = NULL;
  glong len;

  g_assert (self != NULL);

  if (repr == NULL)
    return NULL;
  flat = g_strdup (repr);
  g_strdelimit (flat, "\n\r\t", ' ');
  len = g_utf8_strlen (flat, -1);
  if (len > MAX_VALUE_CHARS)
    {
      g_autofree char *head = g_utf8_substring (flat, 0, MAX_VALUE_CHARS - 1);
      g_autofree char *joined = g_strconcat (head, "…", NULL);

      return g_string_chunk_insert_const (self->strings, joined);
    }
  return g_string_chunk_insert_const (self->strings, flat);
}

static char *
format_count (guint64 n)
{
  /* Thousands separators keep "… 9,990 more" readable at a glance */
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static const char *
facts_for (HsLayout       *self,
           const HsObject *o,
           guint           shown)
{
  g_autofree char *text = NULL;

  g_assert (o != NULL);

  if (o->flags & HS_OBJECT_IMMORTAL)
    text = g_strdup_printf (_("immortal, %u shown"), shown);
  else
    {
      /* "%s": gettext cannot extract a string built with G_GINT64_FORMAT */
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, o->refcount);

      if (o->refcount == (gint64) shown)
        text = g_strdup_printf (_("refcount %s"), count);
      else
        text = g_strdup_printf (_("refcount %s, %u shown"), count, shown);
    }
  return g_string_chunk_insert_const (self->strings, text);
}

static const char *
marks_for (HsLayout       *self,
           const HsObject *o)
{
  g_autoptr(GString) s = g_string_new ((o->flags & HS_OBJECT_MUTABLE) ? _("mutable") : _("immutable"));
  int generation = HS_OBJECT_GENERATION (o->flags);

  if (o->flags & HS_OBJECT_SMALL_INT)
    g_string_append_printf (s, " · %s", _("small int"));
  if (o->flags & HS_OBJECT_INTERNED)
    g_string_append_printf (s, " · %s", _("interned"));
  if ((o->flags & HS_OBJECT_GC_TRACKED) && generation != HS_OBJECT_NO_GENERATION)
    g_string_append_printf (s, " · %s %d", _("gc gen"), generation);
  else if (o->flags & HS_OBJECT_GC_TRACKED)
    g_string_append_printf (s, " · %s", _("gc tracked"));
  return g_string_chunk_insert_const (self->strings, s->str);
}

/* ------------------------------------------------------------------ */
/* Which references are drawn                                          */

typedef struct
{
  const HsEdge *edge;       /* the value (or only) edge */
  const HsEdge *key;        /* dict entries: the key edge */
  gboolean      elision;
  guint64       hidden;
} RowSpec;

static gboolean
parse_index (const char *label,
             guint64    *out)
{
  char *end = NULL;

  if (label == NULL || !g_ascii_isdigit (label[0]))
    return FALSE;
  *out = g_ascii_strtoull (label, &end, 10);
  return end != NULL && *end == '\0';
}

/* Whether the entries the runtime sent run to the container's last one */
static gboolean
reaches_end (const HsObject *o,
             GArray         *entries)
{
  const RowSpec *last;
  const HsEdge *e;
  guint64 index;

  g_assert (o != NULL);
  g_assert (entries != NULL);

  if (entries->len == 0 || (guint64) entries->len >= o->length)
    return TRUE;
  last = &g_array_index (entries, RowSpec, entries->len - 1);
  e = last->key ? last->key : last->edge;
  if (e == NULL || !parse_index (e->label, &index))
    return TRUE;
  return index + 1 >= o->length;
}

/*
 * The rows of an object, with big containers cut down to their first
 * max_cells and last tail_cells entries and a count of what lies between.
 * Positional entries carry their index in the label, so gaps the runtime
 * left (its own element cap) show up as jumps.
 */
static GArray *
rows_for (const HsObject        *o,
          HsLayoutShape          shape,
          const HsLayoutOptions *options)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (RowSpec));
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (RowSpec));
  guint64 prev = 0;
  gboolean have_prev = FALSE, jumps = FALSE;
  guint64 visible = 0;

  g_assert (o != NULL);

  for (guint i = 0; i < o->n_edges; i++)
    {
      const HsEdge *e = &o->edges[i];
      RowSpec spec = { 0 };

      if (e->kind == HS_EDGE_KEY)
        {
          /* The value edge with the same label follows its key */
          spec.key = e;
          if (i + 1 < o->n_edges && o->edges[i + 1].kind == HS_EDGE_VALUE
              && g_strcmp0 (o->edges[i + 1].label, e->label) == 0)
            spec.edge = &o->edges[++i];
        }
      else
        spec.edge = e;
      g_array_append_val (entries, spec);
    }

  if (shape == HS_LAYOUT_SHAPE_SEQUENCE || shape == HS_LAYOUT_SHAPE_MAPPING || shape == HS_LAYOUT_SHAPE_SET)
    {
      guint n = entries->len;
      guint head = MIN (n, options->max_cells);
      guint tail = n > head ? MIN (n - head, options->tail_cells) : 0;
      gboolean to_end = reaches_end (o, entries);

      /* Dicts and sets come from the runtime as their first entries only:
       * the last ones it sent are not the container's end, so they are no
       * tail to show, and what was cut goes after the head. */
      if (!to_end)
        tail = 0;

      for (guint i = 0; i < n; i++)
        {
          RowSpec *spec = &g_array_index (entries, RowSpec, i);
          const HsEdge *e = spec->key ? spec->key : spec->edge;
          guint64 index;

          if (i >= head && i < n - tail)
            continue;
          if (e != NULL && parse_index (e->label, &index))
            {
              if (have_prev && index > prev + 1)
                {
                  RowSpec gap = { NULL, NULL, TRUE, index - prev - 1 };

                  g_array_append_val (rows, gap);
                  jumps = TRUE;
                }
              prev = index;
              have_prev = TRUE;
            }
          g_array_append_val (rows, *spec);
          visible++;
        }

      if (!to_end && have_prev && o->length > prev + 1)
        {
          RowSpec gap = { NULL, NULL, TRUE, o->length - prev - 1 };

          g_array_append_val (rows, gap);
          jumps = TRUE;
        }

      /* Labels that are not indices cannot show where the gap is */
      if (!jumps && o->length > visible)
        {
          RowSpec gap = { NULL, NULL, TRUE, o->length - visible };
          guint at = rows->len > tail ? rows->len - tail : rows->len;

          g_array_insert_val (rows, at, gap);
        }
    }
  else
    g_array_append_vals (rows, entries->data, entries->len);

  return rows;
}

/* ------------------------------------------------------------------ */
/* Free-space search                                                   */

typedef struct
{
  GArray     *rects;   /* HsRect */
  GHashTable *bands;   /* band -> GArray of guint rect indices */
} Occupancy;

static void
occupancy_init (Occupancy *occ)
{
  occ->rects = g_array_new (FALSE, FALSE, sizeof (HsRect));
  occ->bands = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
}

static void
occupancy_clear (Occupancy *occ)
{
  g_array_unref (occ->rects);
  g_hash_table_unref (occ->bands);
}

static void
occupancy_add (Occupancy    *occ,
               const HsRect *r)
{
  guint index = occ->rects->len;
  int first = (int) floor (r->y / BAND);
  int last = (int) floor ((r->y + r->height) / BAND);

  g_array_append_val (occ->rects, *r);
  for (int b = first; b <= last; b++)
    {
      GArray *list = g_hash_table_lookup (occ->bands, GINT_TO_POINTER (b));

      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (occ->bands, GINT_TO_POINTER (b), list);
        }
      g_array_append_val (list, index);
    }
}

/* The first y at or below y where a box of this size touches nothing, or
 * some y past limit if there is none up to it. */
static double
occupancy_find_y (Occupancy *occ,
                  double     x,
                  double     y,
                  double     width,
                  double     height,
                  double     limit)
{
  gboolean moved = TRUE;

  while (moved && y <= limit)
    {
      int first = (int) floor ((y - GAP_Y) / BAND);
      int last = (int) floor ((y + height + GAP_Y) / BAND);

      moved = FALSE;
      for (int b = first; b <= last && !moved; b++)
        {
          GArray *list = g_hash_table_lookup (occ->bands, GINT_TO_POINTER (b));

          for (guint i = 0; list != NULL && i < list->len; i++)
            {
              const HsRect *r = &g_array_index (occ->rects, HsRect, g_array_index (list, guint, i));

              if (x < r->x + r->width + GAP_X && r->x < x + width + GAP_X
                  && y < r->y + r->height + GAP_Y && r->y < y + height + GAP_Y)
                {
                  y = r->y + r->height + GAP_Y;
                  moved = TRUE;
                  break;
                }
            }
        }
    }
  return y;
}

/* ------------------------------------------------------------------ */
/* Boxes                                                               */

static double
row_height (void)
{
  return MAX (hs_layout_text_height (HS_LAYOUT_FONT_UI), hs_layout_text_height (HS_LAYOUT_FONT_MONO)) + ROW_PAD;
}

/* Sizes a box from its texts and rows; rows[].label must be set. */
static void
measure_box (HsLayoutBox *box,
             HsLayoutRow *rows,
             guint        n_rows)
{
  HsLayoutFont label_font = box->shape == HS_LAYOUT_SHAPE_SEQUENCE || box->shape == HS_LAYOUT_SHAPE_SET
                            ? HS_LAYOUT_FONT_SMALL : HS_LAYOUT_FONT_UI;
  double width, label_w = 0, y, rh = row_height ();

  g_assert (box != NULL);

  width = hs_layout_text_width (HS_LAYOUT_FONT_TITLE, box->title);
  y = PAD / 2 + hs_layout_text_height (HS_LAYOUT_FONT_TITLE);
  if (box->facts)
    {
      width = MAX (width, hs_layout_text_width (HS_LAYOUT_FONT_SMALL, box->facts));
      y += hs_layout_text_height (HS_LAYOUT_FONT_SMALL);
    }
  if (box->marks)
    {
      width = MAX (width, hs_layout_text_width (HS_LAYOUT_FONT_SMALL, box->marks));
      y += hs_layout_text_height (HS_LAYOUT_FONT_SMALL);
    }
  y += PAD / 2;
  if (box->value)
    {
      width = MAX (width, hs_layout_text_width (HS_LAYOUT_FONT_MONO, box->value));
      y += hs_layout_text_height (HS_LAYOUT_FONT_MONO) + PAD / 2;
    }
  if (box->note)
    {
      width = MAX (width, hs_layout_text_width (HS_LAYOUT_FONT_SMALL, box->note));
      y += hs_layout_text_height (HS_LAYOUT_FONT_SMALL) + PAD / 2;
    }
  box->header_height = y;

  for (guint i = 0; i < n_rows; i++)
    {
      if (rows[i].kind == HS_LAYOUT_ROW_ELISION)
        width = MAX (width, hs_layout_text_width (HS_LAYOUT_FONT_SMALL, rows[i].label));
      else if (rows[i].label)
        label_w = MAX (label_w, hs_layout_text_width (label_font, rows[i].label) + PAD);
    }
  for (guint i = 0; i < n_rows; i++)
    width = MAX (width, label_w + SLOT_CELL);

  width += 2 * PAD;
  if (box->kind == HS_LAYOUT_BOX_FRAME)
    width = MAX (width, MIN_FRAME_W);
  width = ceil (width);

  for (guint i = 0; i < n_rows; i++)
    {
      rows[i].y = y;
      rows[i].height = rh;
      rows[i].slot_x = width - PAD - SLOT_CELL / 2;
      rows[i].slot_y = y + rh / 2;
      if (rows[i].kind == HS_LAYOUT_ROW_PAIR)
        {
          /* The key above the value, not beside it: an arrow leaving a
           * key slot to the right would cross its value's slot. */
          rows[i].height = 2 * rh;
          rows[i].key_slot_x = rows[i].slot_x;
          rows[i].key_slot_y = y + rh / 2;
          rows[i].slot_y = y + rh * 3 / 2;
        }
      y += rows[i].height;
    }
  if (n_rows > 0)
    y += PAD / 2;

  box->rect.width = width;
  box->rect.height = ceil (y);
}

static guint
add_box (HsLayout    *self,
         HsLayoutBox *box,
         HsLayoutRow *rows,
         guint        n_rows)
{
  g_assert (self != NULL);

  if (n_rows > 0)
    g_ptr_array_add (self->row_arrays, rows);
  else
    g_free (rows);
  box->rows = n_rows > 0 ? rows : NULL;
  box->n_rows = n_rows;
  measure_box (box, n_rows > 0 ? rows : NULL, n_rows);
  box->reserved_height = box->rect.height;
  g_array_append_val (self->boxes, *box);
  return self->boxes->len - 1;
}

/* ------------------------------------------------------------------ */
/* Edges                                                               */

static void
compute_size (HsLayout *self)
{
  double w = 0, h = 0;

  for (guint i = 0; i < self->boxes->len; i++)
    {
      const HsRect *r = &box_at (self, i)->rect;

      w = MAX (w, r->x + r->width);
      h = MAX (h, r->y + r->height);
    }
  for (guint i = 0; i < self->edges->len; i++)
    {
      const HsLayoutEdge *e = &g_array_index (self->edges, HsLayoutEdge, i);

      for (guint k = 0; k < 4; k++)
        w = MAX (w, e->x[k] + 4);
    }
  if (self->has_garbage)
    {
      w = MAX (w, self->garbage_zone.x + self->garbage_zone.width);
      h = MAX (h, self->garbage_zone.y + self->garbage_zone.height);
    }
  self->width = ceil (w + MARGIN);
  self->height = ceil (h + MARGIN);
}

/* ------------------------------------------------------------------ */
/* Building a step                                                     */

/*
 * Mutable containers keep two rows of room below them when they are first
 * placed, so that an append does not push their neighbours down: objects
 * keep their places while they live.  The room is kept from step to step.
 */
static void
reserve (HsLayoutBox       *box,
         const HsLayoutBox *previous)
{
  gboolean grows = box->kind == HS_LAYOUT_BOX_OBJECT && (box->flags & HS_OBJECT_MUTABLE)
                   && box->shape != HS_LAYOUT_SHAPE_VALUE;

  box->reserved_height = box->rect.height;
  if (previous != NULL)
    box->reserved_height = MAX (box->rect.height, previous->reserved_height);
  else if (grows)
    box->reserved_height = ceil (box->reserved_height + 2 * row_height () + PAD / 2);
}

static void
occupy (Occupancy         *occ,
        const HsLayoutBox *box)
{
  HsRect r = box->rect;

  r.height = MAX (box->reserved_height, r.height);
  occupancy_add (occ, &r);
}

typedef struct
{
  const HsObject *object;
  guint           box;
  int             column;
  guint           order;     /* discovery order, from the frames down */
  guint           shown;     /* arrows drawn to it */
  gboolean        survivor;  /* placed where the previous step had it */
  double          want_y;
  GArray         *rows;      /* RowSpec */
  int             base;      /* new objects: the column survivors and frames allow */
  GArray         *preds;     /* new objects: new referrers on its left (item indices) */
  gboolean        done;      /* placed */
} Item;

static const char *
frame_title (HsLayout      *self,
             const HsFrame *frame)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  const char *dot;

  /* The frame column has a fixed width so that objects never move when a
   * call begins: keep only the function's own name, and short */
  dot = strrchr (frame->function, '.');
  name = g_strdup (dot != NULL && dot[1] != '\0' ? dot + 1 : frame->function);
  if (g_utf8_strlen (name, -1) > 16)
    {
      g_autofree char *head = g_utf8_substring (name, 0, 15);

      g_free (name);
      name = g_strconcat (head, "…", NULL);
    }
  text = frame->line > 0 ? g_strdup_printf (_("%s  (line %u)"), name, frame->line) : g_strdup (name);
  return g_string_chunk_insert_const (self->strings, text);
}

static gboolean
var_rebound (HsSnapshot    *previous,
             guint          frame_index,
             const HsFrame *frame,
             const HsVar   *var)
{
  const HsFrame *frames;
  guint n_frames;

  if (previous == NULL)
    return FALSE;
  frames = hs_snapshot_get_frames (previous, &n_frames);
  if (frame_index >= n_frames || g_strcmp0 (frames[frame_index].function, frame->function) != 0)
    return FALSE;
  for (guint i = 0; i < frames[frame_index].n_vars; i++)
    if (g_strcmp0 (frames[frame_index].vars[i].name, var->name) == 0)
      return frames[frame_index].vars[i].ref != var->ref;
  return TRUE;
}

static int
compare_want_y (gconstpointer a,
                gconstpointer b)
{
  const Item *x = *(const Item * const *) a;
  const Item *y = *(const Item * const *) b;

  if (x->column != y->column)
    return x->column < y->column ? -1 : 1;
  if (x->want_y != y->want_y)
    return x->want_y < y->want_y ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static int
compare_old_y (gconstpointer a,
               gconstpointer b)
{
  const Item *x = *(const Item * const *) a;
  const Item *y = *(const Item * const *) b;

  if (x->want_y != y->want_y)
    return x->want_y < y->want_y ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static double
column_end (const Column *c)
{
  return c->x + c->width;
}

static double
column_x (HsLayout *self,
          int       column)
{
  g_assert (column >= 0);

  while ((guint) column >= self->columns->len)
    {
      Column c = { MARGIN, MIN_FRAME_W, FALSE };

      if (self->columns->len > 0)
        {
          c.x = column_end (&g_array_index (self->columns, Column, self->columns->len - 1)) + COLUMN_GAP;
          c.width = 60;
        }
      g_array_append_val (self->columns, c);
    }
  return g_array_index (self->columns, Column, column).x;
}

/* Columns from `from` on move right of their left neighbour, unless new
 * objects already stand in them.  Survivors keep the x they were given. */
static void
settle_columns (HsLayout *self,
                guint     from)
{
  for (guint c = MAX (from, 1); c < self->columns->len; c++)
    {
      const Column *prev = &g_array_index (self->columns, Column, c - 1);
      Column *col = &g_array_index (self->columns, Column, c);

      if (!col->fixed)
        col->x = MAX (col->x, column_end (prev) + COLUMN_GAP);
    }
}

/*
 * A free place for a new box no higher than want, in the first column from
 * `column` to `last` where it lands within MAX_DRIFT of want; failing that,
 * in `column`, however far down.  Returns the column.
 */
static int
place_new (HsLayout    *self,
           Occupancy   *occ,
           HsLayoutBox *box,
           int          column,
           int          last,
           double       want)
{
  double limit = want + MAX_DRIFT, y = G_MAXDOUBLE;
  int shift;
  Column *c;

  g_assert (box != NULL);

  last = MIN (last, column + MAX_SHIFT - 1);
  for (shift = 0; column + shift <= last; shift++)
    {
      column_x (self, column + shift);
      settle_columns (self, column + shift);
      y = occupancy_find_y (occ, column_x (self, column + shift), want,
                            box->rect.width, box->reserved_height, limit);
      if (y <= limit)
        break;
    }
  if (column + shift > last)
    {
      shift = 0;
      y = occupancy_find_y (occ, column_x (self, column), want, box->rect.width, box->reserved_height, G_MAXDOUBLE);
    }
  column += shift;
  c = &g_array_index (self->columns, Column, column);
  c->fixed = TRUE;
  c->width = MAX (c->width, box->rect.width);
  box->rect.x = c->x;
  box->rect.y = y;
  box->column = column;
  return column;
}

static void
grow_column (HsLayout *self,
             int       column,
             double    width)
{
  Column *c;

  column_x (self, column);
  c = &g_array_index (self->columns, Column, column);
  c->width = MAX (c->width, width);
}

/* The y a new object would like: level with the first placed slot that
 * references it, so that the arrow runs straight. */
static double
wanted_y (HsLayout    *self,
          GHashTable  *placed,
          const Item  *item,
          GPtrArray   *referrers)
{
  g_assert (self != NULL);

  for (guint i = 0; referrers != NULL && i < referrers->len; i++)
    {
      guint source = GPOINTER_TO_UINT (g_ptr_array_index (referrers, i));
      const HsLayoutBox *s = box_at (self, source);

      if (!g_hash_table_contains (placed, GUINT_TO_POINTER (source)))
        continue;
      for (guint r = 0; r < s->n_rows; r++)
        if (s->rows[r].target == item->object->ref || s->rows[r].key_target == item->object->ref)
          {
            const HsLayoutBox *me = box_at (self, item->box);
            double slot_y = s->rows[r].key_target == item->object->ref ? s->rows[r].key_slot_y : s->rows[r].slot_y;

            return s->rect.y + slot_y - MIN (me->header_height, me->rect.height) / 2;
          }
    }
  return -1;
}

HsLayout *
hs_layout_new (HsSnapshot            *snapshot,
               HsLayout              *previous,
               const HsLayoutOptions *options)
{
  g_autoptr(HsLayout) self = NULL;
  g_autoptr(GHashTable) items_by_ref = NULL;   /* ref -> Item index + 1 */
  g_autoptr(GArray) items = NULL;
  g_autoptr(GQueue) queue = NULL;
  g_autoptr(GHashTable) referrers = NULL;      /* ref -> GPtrArray of box indices */
  g_autoptr(GHashTable) placed = NULL;
  g_autoptr(GPtrArray) order = NULL;
  Occupancy occ;
  HsLayoutOptions defaults;
  HsSnapshot *prev_snapshot = previous ? previous->snapshot : NULL;
  const HsFrame *frames;
  const HsObject *objects;
  const HsFreed *freed;
  guint n_frames, n_objects, n_freed;
  guint32 return_ref;
  double y, reachable_bottom = MARGIN, ghost_line;

  g_return_val_if_fail (snapshot != NULL, NULL);

  if (options == NULL)
    {
      hs_layout_options_init (&defaults);
      options = &defaults;
    }

  self = layout_alloc ();
  self->snapshot = hs_snapshot_ref (snapshot);
  if (previous != NULL)
    g_array_append_vals (self->columns, previous->columns->data, previous->columns->len);
  for (guint c = 0; c < self->columns->len; c++)
    g_array_index (self->columns, Column, c).fixed = FALSE;

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  objects = hs_snapshot_get_objects (snapshot, &n_objects);
  freed = hs_snapshot_get_freed (snapshot, &n_freed);
  return_ref = hs_snapshot_get_return_ref (snapshot);

  items = g_array_sized_new (FALSE, TRUE, sizeof (Item), n_objects);
  items_by_ref = g_hash_table_new (NULL, NULL);
  queue = g_queue_new ();
  referrers = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  placed = g_hash_table_new (NULL, NULL);

  hs_layout_text_lock ();

  /* Discover what is drawn, breadth first from the frames, following only
   * the references that get a row: what hides behind "… N more" stays out. */
#define DISCOVER(r) G_STMT_START {                                            \
    guint32 _ref = (r);                                                         \
    const HsObject *_o;                                                         \
    if (_ref != 0 && !g_hash_table_contains (items_by_ref, GUINT_TO_POINTER (_ref)) \
        && (_o = hs_snapshot_lookup (snapshot, _ref)) != NULL)                  \
      {                                                                         \
        Item _it = { _o, 0, -1, items->len, 0, FALSE, 0, NULL, 1, NULL, FALSE }; \
        g_array_append_val (items, _it);                                        \
        g_hash_table_insert (items_by_ref, GUINT_TO_POINTER (_ref), GUINT_TO_POINTER (items->len)); \
        g_queue_push_tail (queue, GUINT_TO_POINTER (items->len - 1));           \
      }                                                                         \
  } G_STMT_END

  {
    g_autoptr(GHashTable) referenced = g_hash_table_new (NULL, NULL);
    gboolean roots_done[3] = { FALSE, FALSE, FALSE };

    for (guint i = 0; i < n_objects; i++)
      for (guint j = 0; j < objects[i].n_edges; j++)
        g_hash_table_add (referenced, GUINT_TO_POINTER (objects[i].edges[j].target));

    for (guint f = 0; f < n_frames; f++)
      for (guint v = 0; v < frames[f].n_vars; v++)
        DISCOVER (frames[f].vars[v].ref);
    DISCOVER (return_ref);

    /* Then garbage, then whatever nothing references; each pass drains
     * the queue before the next adds roots. */
    for (guint pass = 0; pass < 3; pass++)
      {
        while (!g_queue_is_empty (queue))
          {
            guint index = GPOINTER_TO_UINT (g_queue_pop_head (queue));
            Item *it = &g_array_index (items, Item, index);
            GArray *rows = rows_for (it->object, shape_for (it->object), options);

            it->rows = rows;
            for (guint r = 0; r < rows->len; r++)
              {
                const RowSpec *spec = &g_array_index (rows, RowSpec, r);

                if (spec->key)
                  DISCOVER (spec->key->target);
                if (spec->edge)
                  DISCOVER (spec->edge->target);
              }
          }
        if (pass == 2 || roots_done[pass])
          continue;
        roots_done[pass] = TRUE;
        for (guint i = 0; i < n_objects; i++)
          {
            if (pass == 0 && !(objects[i].flags & HS_OBJECT_REACHABLE))
              DISCOVER (objects[i].ref);
            else if (pass == 1 && !g_hash_table_contains (referenced, GUINT_TO_POINTER (objects[i].ref)))
              DISCOVER (objects[i].ref);
          }
      }
  }
#undef DISCOVER

  /* Count the arrows each object receives */
  for (guint f = 0; f < n_frames; f++)
    for (guint v = 0; v < frames[f].n_vars; v++)
      {
        guint index = GPOINTER_TO_UINT (g_hash_table_lookup (items_by_ref, GUINT_TO_POINTER (frames[f].vars[v].ref)));

        if (index > 0)
          g_array_index (items, Item, index - 1).shown++;
      }
  /* the innermost frame's "return value" row is an arrow too */
  if (return_ref != 0 && n_frames > 0)
    {
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (items_by_ref, GUINT_TO_POINTER (return_ref)));

      if (index > 0)
        g_array_index (items, Item, index - 1).shown++;
    }
  for (guint i = 0; i < items->len; i++)
    {
      GArray *rows = g_array_index (items, Item, i).rows;

      for (guint r = 0; r < rows->len; r++)
        {
          const RowSpec *spec = &g_array_index (rows, RowSpec, r);
          const HsEdge *edges[2] = { spec->key, spec->edge };

          for (guint k = 0; k < 2; k++)
            {
              guint index;

              if (edges[k] == NULL)
                continue;
              index = GPOINTER_TO_UINT (g_hash_table_lookup (items_by_ref, GUINT_TO_POINTER (edges[k]->target)));
              if (index > 0)
                g_array_index (items, Item, index - 1).shown++;
            }
        }
    }

  /* Frame boxes, stacked top-down, outermost first */
  for (guint f = 0; f < n_frames; f++)
    {
      gboolean returning = f + 1 == n_frames && return_ref != 0;
      guint n_rows = frames[f].n_vars + (returning ? 1 : 0);
      HsLayoutRow *rows = g_new0 (HsLayoutRow, MAX (n_rows, 1));
      HsLayoutBox box = { 0 };

      for (guint v = 0; v < frames[f].n_vars; v++)
        {
          rows[v].kind = HS_LAYOUT_ROW_SLOT;
          rows[v].label = g_string_chunk_insert_const (self->strings, frames[f].vars[v].name);
          rows[v].target = frames[f].vars[v].ref;
          rows[v].rebound = var_rebound (prev_snapshot, f, &frames[f], &frames[f].vars[v]);
        }
      if (returning)
        {
          rows[n_rows - 1].kind = HS_LAYOUT_ROW_SLOT;
          rows[n_rows - 1].label = g_string_chunk_insert_const (self->strings, _("return value"));
          rows[n_rows - 1].target = return_ref;
        }
      box.kind = HS_LAYOUT_BOX_FRAME;
      box.shape = HS_LAYOUT_SHAPE_FRAME;
      box.frame = f;
      box.alpha = 1;
      box.title = frame_title (self, &frames[f]);
      box.current = f + 1 == n_frames;
      add_box (self, &box, rows, n_rows);
    }

  /* Object boxes */
  for (guint i = 0; i < items->len; i++)
    {
      Item *it = &g_array_index (items, Item, i);
      const HsObject *o = it->object;
      GArray *specs = it->rows;
      HsLayoutRow *rows = g_new0 (HsLayoutRow, MAX (specs->len, 1));
      HsLayoutBox box = { 0 };

      box.kind = HS_LAYOUT_BOX_OBJECT;
      box.shape = shape_for (o);
      box.ref = o->ref;
      box.alpha = 1;
      box.title = g_string_chunk_insert_const (self->strings, o->type);
      box.facts = facts_for (self, o, it->shown);
      box.marks = marks_for (self, o);
      box.flags = o->flags;
      /* Immutable objects cannot change; a new referrer is not a change */
      box.changes = (o->flags & HS_OBJECT_MUTABLE) ? o->changes : o->changes & HS_CHANGE_NEW;
      box.garbage = !(o->flags & HS_OBJECT_REACHABLE);
      if (box.shape == HS_LAYOUT_SHAPE_VALUE || box.shape == HS_LAYOUT_SHAPE_COMPACT
          || (specs->len == 0 && box.shape != HS_LAYOUT_SHAPE_INSTANCE))
        box.value = intern_value (self, o->repr);

      for (guint r = 0; r < specs->len; r++)
        {
          const RowSpec *spec = &g_array_index (specs, RowSpec, r);

          if (spec->elision)
            {
              g_autofree char *count = format_count (spec->hidden);
              g_autofree char *text = g_strdup_printf (_("… %s more"), count);

              rows[r].kind = HS_LAYOUT_ROW_ELISION;
              rows[r].label = g_string_chunk_insert_const (self->strings, text);
              continue;
            }
          rows[r].kind = spec->key ? HS_LAYOUT_ROW_PAIR : HS_LAYOUT_ROW_SLOT;
          rows[r].target = spec->edge ? spec->edge->target : 0;
          rows[r].key_target = spec->key ? spec->key->target : 0;
          if (spec->key == NULL && spec->edge != NULL)
            {
              const char *label = spec->edge->label;

              if (label == NULL || label[0] == '\0')
                label = hs_edge_kind_to_string (spec->edge->kind);
              rows[r].label = g_string_chunk_insert_const (self->strings, label);
            }
        }
      it->box = add_box (self, &box, rows, specs->len);
      g_hash_table_insert (self->box_by_ref, GUINT_TO_POINTER (o->ref), GUINT_TO_POINTER (it->box + 1));
      g_clear_pointer (&it->rows, g_array_unref);
    }

  /* Ghosts of what was freed at this step, with what freed it */
  ghost_line = prev_snapshot ? hs_snapshot_get_line (prev_snapshot) : hs_snapshot_get_line (snapshot);
  for (guint i = 0; i < n_freed; i++)
    {
      HsLayoutBox box = { 0 };
      g_autofree char *note = NULL;

      if (freed[i].cause == HS_FREE_GC)
        note = g_strdup (_("collected by gc"));
      else
        note = g_strdup_printf (_("freed at line %u (refcount 0)"), (guint) ghost_line);
      box.kind = HS_LAYOUT_BOX_GHOST;
      box.shape = HS_LAYOUT_SHAPE_VALUE;
      box.ref = freed[i].ref;
      box.alpha = GHOST_ALPHA;
      box.title = g_string_chunk_insert_const (self->strings, freed[i].type ? freed[i].type : "object");
      box.value = intern_value (self, freed[i].repr);
      box.note = g_string_chunk_insert_const (self->strings, note);
      g_hash_table_insert (self->ghost_by_ref, GUINT_TO_POINTER (freed[i].ref),
                           GUINT_TO_POINTER (add_box (self, &box, g_new0 (HsLayoutRow, 1), 0) + 1));
    }

  hs_layout_text_unlock ();

  /* Who references whom, by box */
  for (guint b = 0; b < self->boxes->len; b++)
    {
      const HsLayoutBox *box = box_at (self, b);

      for (guint r = 0; r < box->n_rows; r++)
        for (guint k = 0; k < 2; k++)
          {
            guint32 ref = k ? box->rows[r].key_target : box->rows[r].target;
            GPtrArray *list;

            if (ref == 0)
              continue;
            list = g_hash_table_lookup (referrers, GUINT_TO_POINTER (ref));
            if (list == NULL)
              {
                list = g_ptr_array_new ();
                g_hash_table_insert (referrers, GUINT_TO_POINTER (ref), list);
              }
            g_ptr_array_add (list, GUINT_TO_POINTER (b));
          }
    }

  /* Columns: survivors keep theirs.  New objects go one column right of
   * the furthest referrer that is not downstream of them (a longest path
   * over the graph with its back edges removed), so arrows run rightward. */
  {
    g_autoptr(GArray) indegree = g_array_sized_new (FALSE, TRUE, sizeof (guint), items->len);
    g_autoptr(GArray) state = g_array_sized_new (FALSE, TRUE, sizeof (guint8), items->len);
    g_autoptr(GHashTable) back = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
    g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint64));
    g_autoptr(GQueue) ready = g_queue_new ();

    g_array_set_size (indegree, items->len);
    g_array_set_size (state, items->len);

    for (guint i = 0; i < items->len; i++)
      {
        Item *it = &g_array_index (items, Item, i);
        int prev_box = previous ? lookup_box (previous->box_by_ref, it->object->ref) : -1;

        if (prev_box >= 0)
          {
            const HsLayoutBox *pb = box_at (previous, prev_box);

            /* Objects that turned into garbage move to the garbage zone */
            if (pb->garbage == box_at (self, it->box)->garbage)
              {
                it->survivor = TRUE;
                it->column = pb->column;
              }
          }
      }

    /* Iterative DFS over new objects marks the edges that close cycles */
    for (guint start = 0; start < items->len; start++)
      {
        guint64 frame_entry;

        if (g_array_index (state, guint8, start) != 0 || g_array_index (items, Item, start).survivor)
          continue;
        frame_entry = (guint64) start << 32;
        g_array_append_val (stack, frame_entry);
        g_array_index (state, guint8, start) = 1;
        while (stack->len > 0)
          {
            guint64 *top = &g_array_index (stack, guint64, stack->len - 1);
            guint node = *top >> 32, next = *top & 0xffffffff;
            const HsLayoutBox *box = box_at (self, g_array_index (items, Item, node).box);
            guint n_targets = box->n_rows * 2;

            if (next >= n_targets)
              {
                g_array_index (state, guint8, node) = 2;
                g_array_set_size (stack, stack->len - 1);
                continue;
              }
            (*top)++;
            {
              const HsLayoutRow *row = &box->rows[next / 2];
              guint32 ref = next % 2 ? row->target : row->key_target;
              guint child;

              if (ref == 0)
                continue;
              child = GPOINTER_TO_UINT (g_hash_table_lookup (items_by_ref, GUINT_TO_POINTER (ref)));
              if (child == 0 || g_array_index (items, Item, child - 1).survivor)
                continue;
              child--;
              if (g_array_index (state, guint8, child) == 1)
                {
                  gint64 *key = g_new (gint64, 1);

                  *key = ((gint64) node << 32) | child;
                  g_hash_table_add (back, key);
                }
              else if (g_array_index (state, guint8, child) == 0)
                {
                  guint64 entry = (guint64) child << 32;

                  g_array_index (state, guint8, child) = 1;
                  g_array_append_val (stack, entry);
                }
            }
          }
      }

    /* Kahn over the remaining edges between new objects */
    for (guint i = 0; i < items->len; i++)
      {
        Item *it = &g_array_index (items, Item, i);
        GPtrArray *list = g_hash_table_lookup (referrers, GUINT_TO_POINTER (it->object->ref));

        if (it->survivor)
          continue;
        it->column = 1;
        for (guint k = 0; list && k < list->len; k++)
          {
            guint source_box = GPOINTER_TO_UINT (g_ptr_array_index (list, k));
            const HsLayoutBox *s = box_at (self, source_box);
            guint source_item;

            if (s->kind == HS_LAYOUT_BOX_FRAME)
              continue;
            source_item = GPOINTER_TO_UINT (g_hash_table_lookup (items_by_ref, GUINT_TO_POINTER (s->ref))) - 1;
            if (g_array_index (items, Item, source_item).survivor)
              it->column = MAX (it->column, g_array_index (items, Item, source_item).column + 1);
            else if (source_item != i)
              {
                gint64 key = ((gint64) source_item << 32) | i;

                if (!g_hash_table_contains (back, &key))
                  {
                    g_array_index (indegree, guint, i)++;
                    if (it->preds == NULL)
                      it->preds = g_array_new (FALSE, FALSE, sizeof (guint));
                    g_array_append_val (it->preds, source_item);
                  }
              }
          }
        it->base = it->column;
        if (g_array_index (indegree, guint, i) == 0)
          g_queue_push_tail (ready, GUINT_TO_POINTER (i));
      }
    while (!g_queue_is_empty (ready))
      {
        guint i = GPOINTER_TO_UINT (g_queue_pop_head (ready));
        const Item *it = &g_array_index (items, Item, i);
        const HsLayoutBox *box = box_at (self, it->box);

        for (guint r = 0; r < box->n_rows; r++)
          for (guint k = 0; k < 2; k++)
            {
              guint32 ref = k ? box->rows[r].key_target : box->rows[r].target;
              guint child;
              gint64 key;
              Item *c;

              if (ref == 0 || (child = GPOINTER_TO_UINT (g_hash_table_lookup (items_by_ref, GUINT_TO_POINTER (ref)))) == 0)
                continue;
              child--;
              c = &g_array_index (items, Item, child);
              key = ((gint64) i << 32) | child;
              if (c->survivor || child == i || g_hash_table_contains (back, &key))
                continue;
              c->column = MAX (c->column, it->column + 1);
              if (--g_array_index (indegree, guint, child) == 0)
                g_queue_push_tail (ready, GUINT_TO_POINTER (child));
            }
      }
  }

  for (guint i = 0; i < items->len; i++)
    {
      const Item *it = &g_array_index (items, Item, i);

      box_at (self, it->box)->column = it->column;
      if (!it->survivor)
        grow_column (self, it->column, box_at (self, it->box)->rect.width);
    }

  /* Placement: frames, survivors where they were, ghosts where their
   * object was, then new objects column by column next to their referrer,
   * then the garbage zone below everything reachable. */
  occupancy_init (&occ);
  y = MARGIN;
  for (guint f = 0; f < n_frames; f++)
    {
      HsLayoutBox *box = box_at (self, f);

      grow_column (self, 0, box->rect.width);
      box->rect.x = MARGIN;
      box->rect.y = y;
      y += box->rect.height + GAP_Y;
      occupancy_add (&occ, &box->rect);
      g_hash_table_add (placed, GUINT_TO_POINTER (f));
      reachable_bottom = MAX (reachable_bottom, box->rect.y + box->rect.height);
    }
  /* The frame column can only widen; later columns move right with it */
  settle_columns (self, 1);

  order = g_ptr_array_new ();
  for (guint i = 0; i < items->len; i++)
    {
      Item *it = &g_array_index (items, Item, i);

      if (it->survivor)
        {
          const HsLayoutBox *pb = box_at (previous, lookup_box (previous->box_by_ref, it->object->ref));

          it->want_y = pb->rect.y;
          g_ptr_array_add (order, it);
        }
    }
  /* Survivors keep x and only move down, in their old top-down order, if
   * growing made them collide */
  g_ptr_array_sort (order, compare_old_y);
  for (guint i = 0; i < order->len; i++)
    {
      Item *it = g_ptr_array_index (order, i);
      HsLayoutBox *box = box_at (self, it->box);
      const HsLayoutBox *pb;

      if (box->garbage)
        continue;
      pb = box_at (previous, lookup_box (previous->box_by_ref, it->object->ref));
      box->rect.x = pb->rect.x;
      reserve (box, pb);
      box->rect.y = occupancy_find_y (&occ, box->rect.x, it->want_y, box->rect.width, box->rect.height, G_MAXDOUBLE);
      occupy (&occ, box);
      g_hash_table_add (placed, GUINT_TO_POINTER (it->box));
      reachable_bottom = MAX (reachable_bottom, box->rect.y + box->rect.height);
    }

  /* Ghosts stay where their object was */
  for (guint b = 0; b < self->boxes->len; b++)
    {
      HsLayoutBox *box = box_at (self, b);
      int pb_index;

      if (box->kind != HS_LAYOUT_BOX_GHOST || previous == NULL)
        continue;
      pb_index = lookup_box (previous->box_by_ref, box->ref);
      if (pb_index < 0)
        pb_index = lookup_box (previous->ghost_by_ref, box->ref);
      if (pb_index < 0)
        continue;
      box->rect.x = box_at (previous, pb_index)->rect.x;
      box->rect.y = occupancy_find_y (&occ, box->rect.x, box_at (previous, pb_index)->rect.y, box->rect.width, box->rect.height, G_MAXDOUBLE);
      box->column = box_at (previous, pb_index)->column;
      occupancy_add (&occ, &box->rect);
      g_hash_table_add (placed, GUINT_TO_POINTER (b));
    }

  /* New objects, reachable ones first */
  for (guint pass = 0; pass < 3; pass++)
    {
      g_autoptr(GPtrArray) group = g_ptr_array_new ();
      double zone_top = reachable_bottom + ZONE_GAP + ZONE_PAD + hs_layout_text_height (HS_LAYOUT_FONT_TITLE);

      if (pass == 1)
        {
          /* Garbage survivors: where they were, if that is still inside the zone */
          for (guint i = 0; i < order->len; i++)
            {
              Item *it = g_ptr_array_index (order, i);
              HsLayoutBox *box = box_at (self, it->box);

              if (!box->garbage)
                continue;
              box->rect.x = box_at (previous, lookup_box (previous->box_by_ref, it->object->ref))->rect.x;
              reserve (box, box_at (previous, lookup_box (previous->box_by_ref, it->object->ref)));
              box->rect.y = occupancy_find_y (&occ, box->rect.x, MAX (it->want_y, zone_top),
                                              box->rect.width, box->rect.height, G_MAXDOUBLE);
              occupy (&occ, box);
              g_hash_table_add (placed, GUINT_TO_POINTER (it->box));
            }
          continue;
        }

      for (guint i = 0; i < items->len; i++)
        {
          Item *it = &g_array_index (items, Item, i);

          if (!it->survivor && box_at (self, it->box)->garbage == (pass == 2))
            g_ptr_array_add (group, it);
        }

      /* Column by column, so a referrer is placed before what it
       * references: an object waits until its referrers on the left stand,
       * and goes at least one column right of them. */
      for (int column = 1, last = 1; group->len > 0; column++)
        {
          g_autoptr(GPtrArray) wave = g_ptr_array_new ();
          guint kept = 0;

          for (guint i = 0; i < group->len; i++)
            {
              Item *it = g_ptr_array_index (group, i);
              gboolean ready = TRUE;
              int need = it->base;

              for (guint k = 0; it->preds != NULL && k < it->preds->len; k++)
                {
                  const Item *p = &g_array_index (items, Item, g_array_index (it->preds, guint, k));

                  /* Garbage may reference the living, never the reverse */
                  if (box_at (self, p->box)->garbage != box_at (self, it->box)->garbage)
                    continue;
                  ready &= p->done;
                  need = MAX (need, p->column + 1);
                }
              /* Far past every placed column, a wait can only be a cycle
               * the DFS did not see: place what is left */
              if ((ready && need <= column) || column > last + 1)
                {
                  it->column = column;
                  g_ptr_array_add (wave, it);
                }
              else
                group->pdata[kept++] = it;
            }
          g_ptr_array_set_size (group, kept);

          for (guint i = 0; i < wave->len; i++)
            {
              Item *it = g_ptr_array_index (wave, i);

              it->want_y = wanted_y (self, placed, it, g_hash_table_lookup (referrers, GUINT_TO_POINTER (it->object->ref)));
            }
          g_ptr_array_sort (wave, compare_want_y);
          for (guint i = 0; i < wave->len; i++)
            {
              Item *it = g_ptr_array_index (wave, i);
              HsLayoutBox *box = box_at (self, it->box);
              double top = pass == 2 ? zone_top : MARGIN;
              int last_column = G_MAXINT / 2;

              /* Moving right past what it references would turn its
               * arrows backwards: drifting down reads better */
              for (guint r = 0; r < box->n_rows; r++)
                for (guint k = 0; k < 2; k++)
                  {
                    guint32 ref = k ? box->rows[r].key_target : box->rows[r].target;
                    int target = ref != 0 ? lookup_box (self->box_by_ref, ref) : -1;

                    if (target >= 0 && g_hash_table_contains (placed, GUINT_TO_POINTER (target)))
                      last_column = MIN (last_column, (int) box_at (self, target)->column - 1);
                  }
              reserve (box, NULL);
              it->column = place_new (self, &occ, box, it->column, MAX (last_column, it->column),
                                      MAX (top, round (it->want_y)));
              it->done = TRUE;
              last = MAX (last, it->column);
              occupy (&occ, box);
              g_hash_table_add (placed, GUINT_TO_POINTER (it->box));
              if (pass == 0)
                reachable_bottom = MAX (reachable_bottom, box->rect.y + box->rect.height);
            }
        }
    }

  /* Close the gaps that freed objects left, a bounded step at a time */
  if (previous != NULL)
    hs_layout_compact (self, placed);

  /* The garbage zone frames every garbage box */
  for (guint b = 0; b < self->boxes->len; b++)
    {
      const HsLayoutBox *box = box_at (self, b);
      HsRect *z = &self->garbage_zone;

      if (!box->garbage)
        continue;
      if (!self->has_garbage)
        {
          *z = box->rect;
          self->has_garbage = TRUE;
        }
      else
        {
          double x2 = MAX (z->x + z->width, box->rect.x + box->rect.width);
          double y2 = MAX (z->y + z->height, box->rect.y + box->rect.height);

          z->x = MIN (z->x, box->rect.x);
          z->y = MIN (z->y, box->rect.y);
          z->width = x2 - z->x;
          z->height = y2 - z->y;
        }
    }
  if (self->has_garbage)
    {
      HsRect *z = &self->garbage_zone;
      double label = hs_layout_text_height (HS_LAYOUT_FONT_TITLE);

      z->x -= ZONE_PAD;
      z->y -= ZONE_PAD + label;
      z->width += 2 * ZONE_PAD + 60;
      z->height += 2 * ZONE_PAD + label;
      hs_layout_text_lock ();
      z->width = MAX (z->width, hs_layout_text_width (HS_LAYOUT_FONT_TITLE, HS_LAYOUT_GARBAGE_LABEL) + 2 * ZONE_PAD);
      hs_layout_text_unlock ();
    }

  /* Ghosts with nowhere to be go along the bottom */
  y = MARGIN;
  for (guint b = 0; b < self->boxes->len; b++)
    y = MAX (y, box_at (self, b)->rect.y + box_at (self, b)->rect.height);
  if (self->has_garbage)
    y = MAX (y, self->garbage_zone.y + self->garbage_zone.height);
  {
    double x = column_x (self, 1);

    y += ZONE_GAP;
    for (guint b = 0; b < self->boxes->len; b++)
      {
        HsLayoutBox *box = box_at (self, b);

        if (box->kind != HS_LAYOUT_BOX_GHOST || g_hash_table_contains (placed, GUINT_TO_POINTER (b)))
          continue;
        box->rect.x = x;
        box->rect.y = y;
        x += box->rect.width + GAP_X;
      }
  }
  occupancy_clear (&occ);
  for (guint i = 0; i < items->len; i++)
    g_clear_pointer (&g_array_index (items, Item, i).preds, g_array_unref);

  for (guint b = 0; b < self->boxes->len; b++)
    hs_layout_add_edges_for_box (self, b);
  hs_layout_route_all_edges (self);
  compute_size (self);

  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------ */
/* Animation                                                           */

static double
lerp (double a,
      double b,
      double t)
{
  return a + (b - a) * t;
}

HsLayout *
hs_layout_interpolate (HsLayout *from,
                       HsLayout *to,
                       double    t)
{
  HsLayout *self;

  g_return_val_if_fail (to != NULL, NULL);

  if (from == NULL || t >= 1)
    return hs_layout_ref (to);
  t = CLAMP (t, 0, 1);

  self = layout_alloc ();
  self->snapshot = hs_snapshot_ref (to->snapshot);
  self->from = hs_layout_ref (from);
  self->to = hs_layout_ref (to);
  self->has_garbage = to->has_garbage;
  self->garbage_zone = to->garbage_zone;
  g_array_append_vals (self->columns, to->columns->data, to->columns->len);

  for (guint b = 0; b < to->boxes->len; b++)
    {
      HsLayoutBox box = *box_at (to, b);
      int old = -1;

      if (box.kind == HS_LAYOUT_BOX_OBJECT)
        old = lookup_box (from->box_by_ref, box.ref);
      else if (box.kind == HS_LAYOUT_BOX_GHOST)
        old = lookup_box (from->box_by_ref, box.ref);
      else if (box.frame < from->boxes->len && box_at (from, box.frame)->kind == HS_LAYOUT_BOX_FRAME)
        old = box.frame;

      if (old >= 0)
        {
          const HsRect *a = &box_at (from, old)->rect;

          box.rect.x = lerp (a->x, box.rect.x, t);
          box.rect.y = lerp (a->y, box.rect.y, t);
          if (box.kind == HS_LAYOUT_BOX_GHOST)
            box.alpha = lerp (1, box.alpha, t);
        }
      else
        box.alpha *= t;

      g_array_append_val (self->boxes, box);
      if (box.kind == HS_LAYOUT_BOX_OBJECT)
        g_hash_table_insert (self->box_by_ref, GUINT_TO_POINTER (box.ref), GUINT_TO_POINTER (self->boxes->len));
    }

  /* Objects that left without being freed fade out where they were */
  for (guint b = 0; b < from->boxes->len; b++)
    {
      HsLayoutBox box = *box_at (from, b);

      if (box.kind != HS_LAYOUT_BOX_OBJECT
          || lookup_box (to->box_by_ref, box.ref) >= 0
          || lookup_box (to->ghost_by_ref, box.ref) >= 0)
        continue;
      box.alpha *= 1 - t;
      box.n_rows = 0;
      box.rows = NULL;
      g_array_append_val (self->boxes, box);
    }

  for (guint e = 0; e < to->edges->len; e++)
    {
      HsLayoutEdge edge = g_array_index (to->edges, HsLayoutEdge, e);

      g_array_append_val (self->edges, edge);
    }
  hs_layout_route_all_edges (self);
  self->width = MAX (from->width, to->width);
  self->height = MAX (from->height, to->height);
  return self;
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

HsSnapshot *
hs_layout_get_snapshot (HsLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->snapshot;
}

void
hs_layout_get_size (HsLayout *self,
                    double   *width,
                    double   *height)
{
  g_return_if_fail (self != NULL);
  if (width)
    *width = self->width;
  if (height)
    *height = self->height;
}

const HsLayoutBox *
hs_layout_get_boxes (HsLayout *self,
                     guint    *n_boxes)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_boxes != NULL, NULL);
  *n_boxes = self->boxes->len;
  return (const HsLayoutBox *) self->boxes->data;
}

const HsLayoutEdge *
hs_layout_get_edges (HsLayout *self,
                     guint    *n_edges)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_edges != NULL, NULL);
  *n_edges = self->edges->len;
  return (const HsLayoutEdge *) self->edges->data;
}

gboolean
hs_layout_get_garbage_zone (HsLayout *self,
                            HsRect   *out)
{
  g_return_val_if_fail (self != NULL, FALSE);
  if (self->has_garbage && out != NULL)
    *out = self->garbage_zone;
  return self->has_garbage;
}

gboolean
hs_layout_get_object_bounds (HsLayout *self,
                             guint32   ref,
                             HsRect   *out)
{
  int index;

  g_return_val_if_fail (self != NULL, FALSE);

  index = lookup_box (self->box_by_ref, ref);
  if (index < 0)
    return FALSE;
  if (out != NULL)
    *out = box_at (self, index)->rect;
  return TRUE;
}

static gboolean
rect_contains (const HsRect *r,
               double        x,
               double        y)
{
  return x >= r->x && x < r->x + r->width && y >= r->y && y < r->y + r->height;
}

guint32
hs_layout_hit_test_variable (HsLayout     *self,
                             double        x,
                             double        y,
                             HsLayoutHit  *kind,
                             guint        *frame,
                             const char  **name)
{
  g_return_val_if_fail (self != NULL, 0);

  if (kind)
    *kind = HS_LAYOUT_HIT_NOTHING;
  if (name)
    *name = NULL;

  /* Topmost first: later boxes are drawn over earlier ones */
  for (guint b = self->boxes->len; b-- > 0;)
    {
      const HsLayoutBox *box = box_at (self, b);

      if (box->kind == HS_LAYOUT_BOX_GHOST || box->alpha <= 0 || !rect_contains (&box->rect, x, y))
        continue;
      if (box->kind == HS_LAYOUT_BOX_OBJECT)
        {
          if (kind)
            *kind = HS_LAYOUT_HIT_OBJECT;
          return box->ref;
        }
      for (guint r = 0; r < box->n_rows; r++)
        {
          const HsLayoutRow *row = &box->rows[r];
          double top = box->rect.y + row->y;

          if (y >= top && y < top + row->height)
            {
              if (kind)
                *kind = HS_LAYOUT_HIT_VARIABLE;
              if (frame)
                *frame = box->frame;
              if (name)
                *name = row->label;
              return row->target;
            }
        }
      return 0;
    }
  return 0;
}

guint32
hs_layout_hit_test (HsLayout    *self,
                    double       x,
                    double       y,
                    HsLayoutHit *kind)
{
  g_return_val_if_fail (self != NULL, 0);
  return hs_layout_hit_test_variable (self, x, y, kind, NULL, NULL);
}
