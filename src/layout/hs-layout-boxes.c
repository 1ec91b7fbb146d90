/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "hs-format.h"
#include "hs-layout-private.h"

/*
 * Boxes: which objects are drawn (those the frames reach through a drawn
 * row, then garbage, then what nothing references), what each box says,
 * and how big that makes it.  Positions come later, in hs-layout-layers.c.
 */

#define SLOT_CELL       HS_LAYOUT_SLOT_WIDTH
#define ROW_PAD         7.0
#define MAX_VALUE_CHARS 36
/* A value inside its slot: at most this many characters, then an
 * ellipsis (the inspector shows it whole), padded this much each side */
#define MAX_INLINE_CHARS 16
#define INLINE_PAD      4.0
/* A dict's scalar key or a set's scalar member, drawn as the row's
 * label: the box widens for it up to this, then it is cut */
#define MAX_KEY_WIDTH   140.0
/* A line of cells across wraps past this width */
#define ACROSS_WIDTH    320.0

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

/* A repr on one line */
static char *
flatten (const char *repr)
{
  g_assert (repr != NULL);

  return g_strdelimit (g_strdup (repr), "\n\r\t", ' ');
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
  flat = flatten (repr);
  len = g_utf8_strlen (flat, -1);
  if (len > MAX_VALUE_CHARS)
    {
      g_autofree char *head = g_utf8_substring (flat, 0, MAX_VALUE_CHARS - 1);
      g_autofree char *joined = g_strconcat (head, "…", NULL);

      return g_string_chunk_insert_const (self->strings, joined);
    }
  return g_string_chunk_insert_const (self->strings, flat);
}

static gboolean
draws_inline (guint32                ref,
              const char            *type,
              const HsLayoutOptions *options)
{
  static const char * const scalars[] = {
    "NoneType", "bool", "int", "float", "complex", "str", "bytes", NULL,
  };

  if (options->every_object || type == NULL || !g_strv_contains (scalars, type))
    return FALSE;
  return options->boxed == NULL || !g_hash_table_contains (options->boxed, GUINT_TO_POINTER (ref));
}

gboolean
hs_layout_draws_inline (const HsObject        *o,
                        const HsLayoutOptions *options)
{
  /* Immutable values with a short, faithful repr: what Python Tutor and
   * memory_graph draw in their slots.  By exact type: a subclass of int
   * (an IntEnum, a bool's own class aside) is an instance with a box. */
  g_return_val_if_fail (o != NULL && options != NULL, FALSE);

  return draws_inline (o->ref, o->type, options);
}

/* Whether the object ref is drawn inside the slots that hold it */
static gboolean
draws_inline_ref (HsLayout              *self,
                  const HsLayoutOptions *options,
                  guint32                ref)
{
  const HsObject *o = ref != 0 ? hs_snapshot_lookup (self->snapshot, ref) : NULL;

  return o != NULL && hs_layout_draws_inline (o, options);
}

/* The value of the scalar ref drawn inside a slot, or NULL when ref is
 * drawn as a box */
static const char *
inline_value_for (HsLayout              *self,
                  const HsLayoutOptions *options,
                  guint32                ref)
{
  const HsObject *o;
  g_autofree char *flat = NULL;

  if (ref == 0 || (o = hs_snapshot_lookup (self->snapshot, ref)) == NULL
      || !hs_layout_draws_inline (o, options))
    return NULL;
  flat = flatten (o->repr != NULL ? o->repr : o->type);
  if (g_utf8_strlen (flat, -1) > MAX_INLINE_CHARS)
    {
      g_autofree char *head = g_utf8_substring (flat, 0, MAX_INLINE_CHARS - 1);
      g_autofree char *joined = g_strconcat (head, "…", NULL);

      return g_string_chunk_insert_const (self->strings, joined);
    }
  return g_string_chunk_insert_const (self->strings, flat);
}

/* The value, shortened with an ellipsis until it is at most `width`
 * wide (under the text lock) */
static const char *
fit_value (HsLayout   *self,
           const char *value,
           double      width)
{
  g_autofree char *fitted = NULL;

  g_assert (self != NULL);

  if (value == NULL || hs_layout_text_width (HS_LAYOUT_FONT_MONO, value) <= width)
    return value;
  fitted = hs_layout_text_ellipsize (HS_LAYOUT_FONT_MONO, value, width);
  return g_string_chunk_insert_const (self->strings, fitted);
}

/* A box's header says what its arrows do not.  Show Every Object draws
 * the whole truth on every box: the refcount, mutability and the gc
 * generation.  The default picture, whose boxes hold their values,
 * names the refcount only where the arrows drawn into the box do not
 * add up to it (or the object is immortal), and of the marks only those
 * that are not its type's (a small int, an interned string, an object
 * gc is collecting); the inspector gives all of them. */
static const char *
facts_for (HsLayout              *self,
           const HsObject        *o,
           guint                  shown,
           const HsLayoutOptions *options)
{
  const char *version;
  g_autofree char *text = NULL;
  g_autofree char *n_shown = hs_format_count (shown);

  g_assert (self != NULL && o != NULL && options != NULL);

  if (!options->every_object && !(o->flags & HS_OBJECT_IMMORTAL) && o->refcount == (gint64) shown)
    return NULL;

  version = hs_snapshot_get_python_version (self->snapshot);
  /* The runtime flags 3.11's statically allocated objects the way later
   * versions flag immortal ones, but 3.11 has no immortality (PEP 683
   * came in 3.12): their count starts at 999,999,999 and still moves. */
  if ((o->flags & HS_OBJECT_IMMORTAL) && version != NULL && g_str_has_prefix (version, "3.11."))
    /* Translators: a box's line for an object Python 3.11 allocates
     * statically; %s is how many arrows the graph draws to it */
    text = g_strdup_printf (_("static, %s shown"), n_shown);
  else if (o->flags & HS_OBJECT_IMMORTAL)
    /* Translators: %s is how many arrows the graph draws to the object */
    text = g_strdup_printf (_("immortal, %s shown"), n_shown);
  else
    {
      g_autofree char *count = hs_format_count (o->refcount);

      if (o->refcount == (gint64) shown)
        text = g_strdup_printf (_("refcount %s"), count);
      else
        text = g_strdup_printf (_("refcount %s, %s shown"), count, n_shown);
    }
  return g_string_chunk_insert_const (self->strings, text);
}

static void
append_mark (GString    *s,
             const char *mark)
{
  if (s->len > 0)
    g_string_append (s, " · ");
  g_string_append (s, mark);
}

static const char *
marks_for (HsLayout              *self,
           const HsObject        *o,
           const HsLayoutOptions *options)
{
  g_autoptr(GString) s = g_string_new (NULL);
  int generation = HS_OBJECT_GENERATION (o->flags);
  gboolean all = options->every_object;

  if (all)
    append_mark (s, (o->flags & HS_OBJECT_MUTABLE) ? _("mutable") : _("immutable"));
  if (o->flags & HS_OBJECT_SMALL_INT)
    append_mark (s, _("small int"));
  if (o->flags & HS_OBJECT_INTERNED)
    append_mark (s, _("interned"));
  if ((o->flags & HS_OBJECT_GC_TRACKED) && generation != HS_OBJECT_NO_GENERATION)
    {
      g_autofree char *gen = g_strdup_printf ("%s %d", _("gc gen"), generation);

      if (all)
        append_mark (s, gen);
    }
  else if (o->flags & HS_OBJECT_COLLECTING)
    /* Translators: the cycle collector found this object unreachable and
     * is running its __del__ before it frees it */
    append_mark (s, _("being collected"));
  else if ((o->flags & HS_OBJECT_GC_TRACKED) && all)
    append_mark (s, _("gc tracked"));
  return s->len > 0 ? g_string_chunk_insert_const (self->strings, s->str) : NULL;
}

/* ------------------------------------------------------------------ */
/* Which references are drawn                                          */

typedef struct
{
  const HsEdge *edge;       /* the value (or only) edge */
  const HsEdge *key;        /* dict entries: the key edge */
  gboolean      elision;
  guint64       hidden;
  guint64       held;       /* of the hidden entries, those the snapshot holds */
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
  /* A set's members carry no index: fewer than its length are its
   * first ones, as the runtime iterated it, and not its last */
  if (e == NULL || !parse_index (e->label, &index))
    return FALSE;
  return index + 1 >= o->length;
}

/* The entries of o, as its box counts them: a key and the value edge
 * after it with the same label are one */
static void
collect_entries (const HsObject *o,
                 GArray         *entries)
{
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
}

/* How many of a container's entries its box draws first (*head) and
 * last (*tail), with the rest behind "… N more"; FALSE for a box of
 * another shape, which draws them all */
static gboolean
drawn_ends (const HsObject        *o,
            HsLayoutShape          shape,
            GArray                *entries,
            const HsLayoutOptions *options,
            guint                 *head,
            guint                 *tail)
{
  guint n = entries->len;
  guint more = options->more_cells != NULL
               ? GPOINTER_TO_UINT (g_hash_table_lookup (options->more_cells, GUINT_TO_POINTER (o->ref))) : 0;

  if (shape != HS_LAYOUT_SHAPE_SEQUENCE && shape != HS_LAYOUT_SHAPE_MAPPING && shape != HS_LAYOUT_SHAPE_SET)
    return FALSE;
  *head = MIN (n, options->max_cells + MIN (more, n));
  *tail = n > *head ? MIN (n - *head, options->tail_cells) : 0;
  /* Dicts and sets come from the runtime as their first entries only:
   * the last ones it sent are not the container's end, so they are no
   * tail to show, and what was cut goes after the head. */
  if (!reaches_end (o, entries))
    *tail = 0;
  return TRUE;
}

gboolean
hs_layout_entry_hidden (const HsObject        *o,
                        guint32                ref,
                        const HsLayoutOptions *options,
                        guint                 *entry)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (RowSpec));
  guint head, tail;

  g_return_val_if_fail (o != NULL && options != NULL && entry != NULL, FALSE);

  collect_entries (o, entries);
  if (!drawn_ends (o, shape_for (o), entries, options, &head, &tail))
    return FALSE;
  for (guint i = head; i + tail < entries->len; i++)
    {
      const RowSpec *spec = &g_array_index (entries, RowSpec, i);

      if ((spec->edge != NULL && spec->edge->target == ref) || (spec->key != NULL && spec->key->target == ref))
        {
          *entry = i;
          return TRUE;
        }
    }
  return FALSE;
}

/*
 * The rows of an object, with big containers cut down to their first
 * max_cells (and the more_cells the user asked for) and last tail_cells
 * entries and a count of what lies between.  Positional entries carry
 * their index in the label, so gaps the runtime left (its own element
 * cap) show up as jumps.  Each gap also counts the entries it hides that
 * the snapshot holds: those "show more" can draw, the others not.
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
  guint64 visible = 0, skipped = 0;
  guint head, tail;

  g_assert (o != NULL);
  g_assert (options != NULL);

  /* its entries are the variables of a module frame, drawn there: one
   * row says so (fill_object_row ()).  A trace that says so of a dict
   * with edges draws them: what a peer sends never hides an arrow. */
  if ((o->flags & HS_OBJECT_FRAME_GLOBALS) && o->n_edges == 0 && shape == HS_LAYOUT_SHAPE_MAPPING)
    {
      RowSpec note = { NULL, NULL, TRUE, 0, 0 };

      g_array_append_val (rows, note);
      return rows;
    }

  collect_entries (o, entries);
  if (drawn_ends (o, shape, entries, options, &head, &tail))
    {
      guint n = entries->len;
      gboolean to_end = reaches_end (o, entries);

      for (guint i = 0; i < n; i++)
        {
          RowSpec *spec = &g_array_index (entries, RowSpec, i);
          const HsEdge *e = spec->key ? spec->key : spec->edge;
          guint64 index;

          if (i >= head && i < n - tail)
            {
              skipped++;
              continue;
            }
          if (e != NULL && parse_index (e->label, &index))
            {
              /* The first entries too: at the cap on a step's objects,
               * item 0 may be left out while item 1, already recorded
               * elsewhere, is sent */
              guint64 first = have_prev ? prev + 1 : 0;

              if (index > first)
                {
                  RowSpec gap = { NULL, NULL, TRUE, index - first, skipped };

                  g_array_append_val (rows, gap);
                  jumps = TRUE;
                  skipped = 0;
                }
              prev = index;
              have_prev = TRUE;
            }
          g_array_append_val (rows, *spec);
          visible++;
        }

      if (!to_end && have_prev && o->length > prev + 1)
        {
          RowSpec gap = { NULL, NULL, TRUE, o->length - prev - 1, skipped };

          g_array_append_val (rows, gap);
          jumps = TRUE;
        }

      /* Labels that are not indices cannot show where the gap is */
      if (!jumps && o->length > visible)
        {
          RowSpec gap = { NULL, NULL, TRUE, o->length - visible, n - visible };
          guint at = rows->len > tail ? rows->len - tail : rows->len;

          g_array_insert_val (rows, at, gap);
        }
    }
  else
    g_array_append_vals (rows, entries->data, entries->len);

  return rows;
}

/* ------------------------------------------------------------------ */
/* Boxes                                                               */

/* The height of one row: a slot and its label */
double
hs_layout_row_height (void)
{
  return MAX (hs_layout_text_height (HS_LAYOUT_FONT_UI), hs_layout_text_height (HS_LAYOUT_FONT_MONO)) + ROW_PAD;
}

/* The title and the facts after a gap: "list  refcount 3, 2 shown" */
static double
title_and_facts_width (const HsLayoutBox *box)
{
  double width = hs_layout_text_width (HS_LAYOUT_FONT_TITLE, box->title);

  if (box->facts != NULL)
    width += PAD + hs_layout_text_width (HS_LAYOUT_FONT_SMALL, box->facts);
  return width;
}

/* The title and, when they stand on its line, the facts */
double
hs_layout_title_line_width (const HsLayoutBox *box)
{
  return box->facts_below ? hs_layout_text_width (HS_LAYOUT_FONT_TITLE, box->title) : title_and_facts_width (box);
}

/* Indices of cells are small; names of slots are not */
static HsLayoutFont
label_font (const HsLayoutBox *box)
{
  g_assert (box != NULL);

  return box->shape == HS_LAYOUT_SHAPE_SEQUENCE || box->shape == HS_LAYOUT_SHAPE_SET
         ? HS_LAYOUT_FONT_SMALL : HS_LAYOUT_FONT_UI;
}

/* A sequence or a set whose slots hold values drawn inside it, but for
 * its last, which may hold a reference: no arrow then leaves a cell that
 * another stands right of, so its cells need not stand one per level (a
 * word and its list; a linked list's node, its value and its next) */
static gboolean
lays_across (const HsLayoutBox *box,
             const HsLayoutRow *rows,
             guint              n_rows)
{
  guint n_values = 0;

  g_assert (box != NULL);

  if (box->kind != HS_LAYOUT_BOX_OBJECT
      || (box->shape != HS_LAYOUT_SHAPE_SEQUENCE && box->shape != HS_LAYOUT_SHAPE_SET))
    return FALSE;
  for (guint i = 0; i < n_rows; i++)
    {
      if (rows[i].kind == HS_LAYOUT_ROW_ELISION)
        continue;
      if (rows[i].kind != HS_LAYOUT_ROW_SLOT)
        return FALSE;
      if (rows[i].inline_value != NULL || rows[i].slot_width < 0)
        n_values++;
      else if (i + 1 < n_rows)
        return FALSE;
    }
  return n_values > 0;
}

/*
 * Cells side by side, as Python Tutor and memory_graph draw a list of
 * values, in lines that wrap past ACROSS_WIDTH: a list of two ints is
 * one line high, not two.  Each cell is its index, then its slot as wide
 * as its own value; a member drawn as its label, or an elision, is its
 * text.  Lays the cells out from the box's left and its rows' top;
 * returns the width they need within the box's padding.
 */
static double
lay_cells_across (HsLayoutBox *box,
                  HsLayoutRow *rows,
                  guint        n_rows)
{
  HsLayoutFont label = label_font (box);
  double rh = hs_layout_row_height (), x = 0, right = 0, y = 0;

  g_assert (box != NULL && rows != NULL);

  for (guint i = 0; i < n_rows; i++)
    {
      double label_w = 0, slot_w = 0, cell;

      if (rows[i].kind == HS_LAYOUT_ROW_ELISION)
        label_w = hs_layout_text_width (HS_LAYOUT_FONT_SMALL, rows[i].label);
      else if (rows[i].slot_width < 0)
        label_w = MIN (hs_layout_text_width (HS_LAYOUT_FONT_MONO, rows[i].value), MAX_KEY_WIDTH);
      else
        {
          if (rows[i].label != NULL)
            label_w = hs_layout_text_width (label, rows[i].label) + PAD / 2;
          slot_w = rows[i].inline_value == NULL
                   ? SLOT_CELL
                   : MAX (SLOT_CELL, ceil (hs_layout_text_width (HS_LAYOUT_FONT_MONO, rows[i].inline_value) + 2 * INLINE_PAD));
        }
      cell = ceil (PAD + label_w + slot_w);
      if (x > 0 && x + cell > ACROSS_WIDTH)
        {
          x = 0;
          y += rh;
        }
      rows[i].x = x;
      rows[i].width = cell;
      rows[i].y = y;
      rows[i].height = rh;
      rows[i].slot_width = slot_w;
      rows[i].slot_x = x + cell - slot_w / 2;
      rows[i].slot_y = y + rh / 2;
      x += cell;
      right = MAX (right, x);
    }
  /* each cell has its padding on its left */
  return right - PAD;
}

/* Sizes a box from its texts and rows; rows[].label must be set. */
static void
measure_box (HsLayoutBox *box,
             HsLayoutRow *rows,
             guint        n_rows)
{
  HsLayoutFont label = label_font (box);
  double width, label_w = 0, y, rh = hs_layout_row_height (), slot_w = SLOT_CELL;

  g_assert (box != NULL);

  width = hs_layout_text_width (HS_LAYOUT_FONT_TITLE, box->title);
  y = PAD / 2 + hs_layout_text_height (HS_LAYOUT_FONT_TITLE);
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

  box->across = lays_across (box, rows, n_rows);
  if (box->across)
    {
      double cells = lay_cells_across (box, rows, n_rows);

      width = MAX (width, cells);
    }
  else
    {
      /* One column of slots, as wide as the widest value drawn inside one */
      for (guint i = 0; i < n_rows; i++)
        if (rows[i].inline_value != NULL)
          slot_w = MAX (slot_w, ceil (hs_layout_text_width (HS_LAYOUT_FONT_MONO, rows[i].inline_value) + 2 * INLINE_PAD));
      for (guint i = 0; i < n_rows; i++)
        {
          if (rows[i].kind == HS_LAYOUT_ROW_ELISION)
            width = MAX (width, hs_layout_text_width (HS_LAYOUT_FONT_SMALL, rows[i].label));
          else if (rows[i].value != NULL && (rows[i].key_ref != 0 || rows[i].slot_width < 0))
            /* a scalar key or member is the row's label: room for it */
            label_w = MAX (label_w, MIN (hs_layout_text_width (HS_LAYOUT_FONT_MONO, rows[i].value), MAX_KEY_WIDTH) + PAD);
          else if (rows[i].label)
            label_w = MAX (label_w, hs_layout_text_width (label, rows[i].label) + PAD);
        }
      for (guint i = 0; i < n_rows; i++)
        width = MAX (width, label_w + (rows[i].slot_width < 0 ? 0 : slot_w));
    }

  /* The facts follow the title on its line where the box is wide enough
   * for both: a count that comes and goes (an argument on the stack for
   * a call) then changes no box's height.  Otherwise they take a line
   * of their own rather than widen the box. */
  box->facts_below = FALSE;
  if (box->facts != NULL && hs_layout_title_line_width (box) > width)
    {
      box->facts_below = TRUE;
      width = MAX (width, hs_layout_text_width (HS_LAYOUT_FONT_SMALL, box->facts));
      y += hs_layout_text_height (HS_LAYOUT_FONT_SMALL);
      box->header_height = y;
    }

  width += 2 * PAD;
  if (box->kind == HS_LAYOUT_BOX_FRAME)
    width = MAX (width, MIN_FRAME_W);
  width = ceil (width);

  for (guint i = 0; i < n_rows; i++)
    {
      if (box->across)
        {
          /* the cells' lines, below the header */
          rows[i].y += y;
          rows[i].slot_y += y;
          continue;
        }
      /* a member drawn as its label has no slot (slot_width < 0 until here) */
      rows[i].slot_width = rows[i].slot_width < 0 ? 0 : slot_w;
      rows[i].x = 0;
      rows[i].width = width;
      rows[i].y = y;
      rows[i].height = rh;
      rows[i].slot_x = width - PAD - rows[i].slot_width / 2;
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
  if (box->across)
    y = rows[n_rows - 1].y + rh;
  if (n_rows > 0)
    y += PAD / 2;

  box->rect.width = width;
  box->rect.height = ceil (y);
}

/*
 * A box across in one line of cells may stand flat, its cells on its
 * title's line after the title and its facts: a list of three ints is
 * then as tall as a slot, not as two.  It is wider so, and the layout
 * lays boxes flat only where the picture then needs less room
 * (hs-layout-layers.c, lay_tall_columns_flat()).  The cells' offset
 * from their place below the header, or FALSE where the box cannot
 * stand flat.
 */
static gboolean
flat_offset (const HsLayoutBox *box,
             const HsLayoutRow *rows,
             double            *dx,
             double            *dy)
{
  double title_w, cells, rh = hs_layout_row_height ();

  if (!box->across || box->marks != NULL || box->value != NULL || box->note != NULL
      || box->n_rows == 0 || rows[box->n_rows - 1].y != rows[0].y)
    return FALSE;
  /* the facts go on the title's line too */
  title_w = title_and_facts_width (box);
  cells = rows[box->n_rows - 1].x + rows[box->n_rows - 1].width - PAD;
  if (title_w + PAD + cells > ACROSS_WIDTH)
    return FALSE;
  *dx = title_w + PAD;
  /* level with the title, or at the box's top where a row is taller */
  *dy = MAX (0, PAD / 2 + (hs_layout_text_height (HS_LAYOUT_FONT_TITLE) - rh) / 2) - rows[0].y;
  return TRUE;
}

static void
measure_flat (HsLayoutBox *box,
              double       min_height)
{
  double dx, dy;

  box->flat_width = box->flat_height = 0;
  if (!flat_offset (box, box->rows, &dx, &dy))
    return;
  box->flat_width = ceil (box->rows[box->n_rows - 1].x + box->rows[box->n_rows - 1].width + dx + PAD);
  box->flat_height = ceil (MAX (min_height, MAX (PAD + hs_layout_text_height (HS_LAYOUT_FONT_TITLE),
                                                 box->rows[0].y + dy + hs_layout_row_height () + PAD / 4)));
}

void
hs_layout_lay_box_flat (HsLayoutBox *box)
{
  /* the box's own rows, which the layout owns */
  HsLayoutRow *rows = (HsLayoutRow *) box->rows;
  double dx, dy;

  g_assert (box != NULL && box->flat_width > 0 && !box->flat);

  if (!flat_offset (box, rows, &dx, &dy))
    g_return_if_reached ();
  for (guint i = 0; i < box->n_rows; i++)
    {
      rows[i].x += dx;
      rows[i].slot_x += dx;
      rows[i].y += dy;
      rows[i].slot_y += dy;
    }
  box->rect.width = box->flat_width;
  box->rect.height = box->flat_height;
  box->reserved_height = box->rect.height;
  box->header_height = box->rect.height;
  box->facts_below = FALSE;
  box->flat = TRUE;
}

/* Keeps every text of the box shaped in the layout, for the renderer */
static void
shape_box_text (HsLayoutTextSet   *text,
                const HsLayoutBox *box)
{
  g_assert (text != NULL);
  g_assert (box != NULL);

  hs_layout_text_set_add (text, HS_LAYOUT_FONT_TITLE, box->title);
  hs_layout_text_set_add (text, HS_LAYOUT_FONT_SMALL, box->facts);
  hs_layout_text_set_add (text, HS_LAYOUT_FONT_SMALL, box->marks);
  hs_layout_text_set_add (text, HS_LAYOUT_FONT_MONO, box->value);
  hs_layout_text_set_add (text, HS_LAYOUT_FONT_SMALL, box->note);
  for (guint i = 0; i < box->n_rows; i++)
    {
      hs_layout_text_set_add (text, box->rows[i].kind == HS_LAYOUT_ROW_ELISION ? HS_LAYOUT_FONT_SMALL : label_font (box),
                              box->rows[i].label);
      hs_layout_text_set_add (text, HS_LAYOUT_FONT_MONO, box->rows[i].value);
      hs_layout_text_set_add (text, HS_LAYOUT_FONT_MONO, box->rows[i].inline_value);
    }
}

/* Each row's value, cut with an ellipsis where it would reach the slot
 * it stands beside (a dict entry's key slot).  The box is not widened
 * for them: a long key would stretch it across its column. */
static void
fit_values (HsLayout    *self,
            HsLayoutBox *box)
{
  /* the box's own rows, which the layout owns */
  HsLayoutRow *rows = (HsLayoutRow *) box->rows;

  g_assert (self != NULL);
  g_assert (box != NULL);

  for (guint i = 0; i < box->n_rows; i++)
    {
      double slot = rows[i].kind == HS_LAYOUT_ROW_PAIR ? rows[i].key_slot_x : rows[i].slot_x;
      double room = box->across ? rows[i].width - PAD : slot - rows[i].slot_width / 2 - 2 * PAD;
      g_autofree char *fitted = NULL;

      if (rows[i].value == NULL || hs_layout_text_width (HS_LAYOUT_FONT_MONO, rows[i].value) <= room)
        continue;
      fitted = hs_layout_text_ellipsize (HS_LAYOUT_FONT_MONO, rows[i].value, room);
      rows[i].value = g_string_chunk_insert_const (self->strings, fitted);
    }
}

/* The renderer stands a "new" or "changed" tag on the top edge of a box,
 * at its right, above the title's line, on the step whose line created
 * or changed the object.  A box narrower than the widest tag it can get
 * is widened, at every step so that it does not jump, its slots moved
 * with its right edge: the tag stays over the box. */
static void
make_room_for_tag (HsLayoutBox    *box,
                   const HsObject *o)
{
  /* the box's own rows, which the layout owns */
  HsLayoutRow *rows = (HsLayoutRow *) box->rows;
  double tag, need, grow;

  g_assert (box != NULL && o != NULL);

  /* only what can change is ever "changed" */
  tag = hs_layout_text_width (HS_LAYOUT_FONT_SMALL, _("new"));
  if (o->flags & HS_OBJECT_MUTABLE)
    tag = MAX (tag, hs_layout_text_width (HS_LAYOUT_FONT_SMALL, _("changed")));
  /* the tag as the renderer draws it: its text padded by 4 each side,
   * 6 from the right edge, and as far from the left */
  need = tag + 8 + 2 * 6;
  grow = ceil (need) - box->rect.width;
  if (grow <= 0)
    return;
  box->rect.width += grow;
  /* cells across stay where they start, at the left */
  for (guint i = 0; i < box->n_rows && !box->across; i++)
    {
      rows[i].slot_x += grow;
      rows[i].key_slot_x += grow;
      rows[i].width += grow;
    }
}

/* o: the object of an object's box, NULL for frames and ghosts, and
 * arrows_in the arrows drawn into it */
static guint
add_box (HsLayout       *self,
         HsLayoutBox    *box,
         HsLayoutRow    *rows,
         guint           n_rows,
         const HsObject *o,
         guint           arrows_in)
{
  double entry_height = 0;

  g_assert (self != NULL);

  if (n_rows > 0)
    g_ptr_array_add (self->row_arrays, rows);
  else
    g_free (rows);
  box->rows = n_rows > 0 ? rows : NULL;
  box->n_rows = n_rows;
  measure_box (box, n_rows > 0 ? rows : NULL, n_rows);
  if (o != NULL)
    make_room_for_tag (box, o);
  /* Tall enough for the arrows into it to enter one side ENTRY_ROOM
   * apart (`[0] * 10` sends ten into one int, whose box had room for
   * them 4.9 apart, their heads all but touching), but not for a
   * thousand: past ENTRY_ROOM_MAX they come in closer */
  if (arrows_in > 1)
    entry_height = 2 * ENTRY_CORNER + ENTRY_ROOM * (MIN (arrows_in, ENTRY_ROOM_MAX) - 1);
  box->rect.height = MAX (box->rect.height, entry_height);
  fit_values (self, box);
  measure_flat (box, entry_height);
  box->reserved_height = box->rect.height;
  shape_box_text (self->text, box);
  g_array_append_val (self->boxes, *box);
  return self->boxes->len - 1;
}

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

/* Whether the line before snapshot's step bound var to its object: the
 * trace's deltas say so, whichever step the previous layout showed */
static gboolean
var_rebound (HsSnapshot  *snapshot,
             const HsVar *var)
{
  g_assert (snapshot != NULL && var != NULL);

  return var->bound_at != HS_VAR_BOUND_WITH_FRAME && var->bound_at == hs_snapshot_get_index (snapshot);
}

/* ------------------------------------------------------------------ */
/* Phases                                                              */

/* referenced: ref is reached through a name or a drawn row, which
 * draws a scalar inside itself rather than as a box */
static void
discover (HsLayoutBuilder *builder,
          GQueue          *queue,
          guint32          ref,
          gboolean         referenced)
{
  const HsObject *o;
  Item it = { 0 };

  g_assert (builder != NULL);
  g_assert (queue != NULL);

  if (ref == 0 || g_hash_table_contains (builder->items_by_ref, GUINT_TO_POINTER (ref))
      || (o = hs_snapshot_lookup (builder->snapshot, ref)) == NULL
      || (referenced && hs_layout_draws_inline (o, builder->options)))
    return;
  it.object = o;
  it.order = builder->items->len;
  g_array_append_val (builder->items, it);
  g_hash_table_insert (builder->items_by_ref, GUINT_TO_POINTER (ref), GUINT_TO_POINTER (builder->items->len));
  g_queue_push_tail (queue, GUINT_TO_POINTER (builder->items->len - 1));
}

/* What is drawn, breadth first from the frames, following only the
 * references that get a row: what hides behind "… N more" stays out.
 * Then garbage, then whatever nothing references; each pass drains the
 * queue before the next adds roots. */
void
hs_layout_discover (HsLayoutBuilder *builder)
{
  g_autoptr(GHashTable) referenced = g_hash_table_new (NULL, NULL);
  g_autoptr(GQueue) queue = g_queue_new ();
  const HsFrame *frames;
  const HsObject *objects;
  guint n_frames, n_objects;

  g_assert (builder != NULL);

  frames = hs_snapshot_get_frames (builder->snapshot, &n_frames);
  objects = hs_snapshot_get_objects (builder->snapshot, &n_objects);

  for (guint i = 0; i < n_objects; i++)
    for (guint j = 0; j < objects[i].n_edges; j++)
      g_hash_table_add (referenced, GUINT_TO_POINTER (objects[i].edges[j].target));
  /* a scalar that only names hold is drawn inside their slots */
  if (!builder->options->every_object)
    {
      for (guint f = 0; f < n_frames; f++)
        for (guint v = 0; v < frames[f].n_vars; v++)
          g_hash_table_add (referenced, GUINT_TO_POINTER (frames[f].vars[v].ref));
      g_hash_table_add (referenced, GUINT_TO_POINTER (hs_snapshot_get_return_ref (builder->snapshot)));
    }

  for (guint f = 0; f < n_frames; f++)
    for (guint v = 0; v < frames[f].n_vars; v++)
      discover (builder, queue, frames[f].vars[v].ref, TRUE);
  discover (builder, queue, hs_snapshot_get_return_ref (builder->snapshot), TRUE);

  for (guint pass = 0; pass < 3; pass++)
    {
      while (!g_queue_is_empty (queue))
        {
          guint index = GPOINTER_TO_UINT (g_queue_pop_head (queue));
          Item *it = item_at (builder, index);
          GArray *rows = rows_for (it->object, shape_for (it->object), builder->options);

          it->rows = rows;
          for (guint r = 0; r < rows->len; r++)
            {
              const RowSpec *spec = &g_array_index (rows, RowSpec, r);

              if (spec->key)
                discover (builder, queue, spec->key->target, TRUE);
              if (spec->edge)
                discover (builder, queue, spec->edge->target, TRUE);
            }
        }
      if (pass == 2)
        continue;
      for (guint i = 0; i < n_objects; i++)
        {
          gboolean held = g_hash_table_contains (referenced, GUINT_TO_POINTER (objects[i].ref));

          /* a scalar that garbage holds is drawn inside its holder */
          if (pass == 0 && !(objects[i].flags & HS_OBJECT_REACHABLE))
            discover (builder, queue, objects[i].ref, held);
          else if (pass == 1 && !held)
            discover (builder, queue, objects[i].ref, FALSE);
        }
    }
}

static void
count_arrow (HsLayoutBuilder *builder,
             guint32          ref)
{
  guint index;

  g_assert (builder != NULL);

  index = GPOINTER_TO_UINT (g_hash_table_lookup (builder->items_by_ref, GUINT_TO_POINTER (ref)));
  if (index > 0)
    item_at (builder, index - 1)->shown++;
}

/* The arrows each object receives, for "refcount 3, 2 shown" */
void
hs_layout_count_arrows (HsLayoutBuilder *builder)
{
  const HsFrame *frames;
  guint n_frames;

  g_assert (builder != NULL);

  frames = hs_snapshot_get_frames (builder->snapshot, &n_frames);
  for (guint f = 0; f < n_frames; f++)
    for (guint v = 0; v < frames[f].n_vars; v++)
      count_arrow (builder, frames[f].vars[v].ref);
  /* the innermost frame's "return value" row is an arrow too, a
   * reference once the return has taken it */
  if (n_frames > 0 && hs_snapshot_get_return_ref (builder->snapshot) != 0 &&
      !hs_snapshot_get_return_borrowed (builder->snapshot))
    count_arrow (builder, hs_snapshot_get_return_ref (builder->snapshot));
  for (guint i = 0; i < builder->items->len; i++)
    {
      GArray *rows = item_at (builder, i)->rows;

      for (guint r = 0; r < rows->len; r++)
        {
          const RowSpec *spec = &g_array_index (rows, RowSpec, r);

          if (spec->key != NULL)
            count_arrow (builder, spec->key->target);
          if (spec->edge != NULL)
            count_arrow (builder, spec->edge->target);
        }
    }
}

/* Frame boxes, outermost first; they are boxes 0 to n_frames - 1 */
void
hs_layout_add_frame_boxes (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;
  const HsFrame *frames;
  guint n_frames;
  guint32 return_ref;

  g_assert (builder != NULL);

  frames = hs_snapshot_get_frames (builder->snapshot, &n_frames);
  return_ref = hs_snapshot_get_return_ref (builder->snapshot);
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
          rows[v].inline_value = inline_value_for (self, builder->options, rows[v].target);
          rows[v].rebound = var_rebound (builder->snapshot, &frames[f].vars[v]);
        }
      if (returning)
        {
          const char *label;

          /* a constant returned in 3.12 and later: the arrow is not
           * counted in its "shown", and the row says why */
          if (hs_snapshot_get_return_borrowed (builder->snapshot))
            /* Translators: a frame's row, pointing at the constant it returns */
            label = _("return value (no reference yet)");
          else if (hs_snapshot_get_yielded (builder->snapshot))
            /* Translators: a generator's frame row, pointing at the value
             * a yield hands out; the frame stays, to be resumed */
            label = _("yielded value");
          else
            /* Translators: a frame's row, pointing at the value it returns */
            label = _("return value");
          rows[n_rows - 1].kind = HS_LAYOUT_ROW_SLOT;
          rows[n_rows - 1].label = g_string_chunk_insert_const (self->strings, label);
          rows[n_rows - 1].target = return_ref;
          rows[n_rows - 1].inline_value = inline_value_for (self, builder->options, return_ref);
          /* The row is there only at the step that returns: the arrow
           * is what the return line made, as a name it just bound */
          rows[n_rows - 1].rebound = TRUE;
        }
      box.kind = HS_LAYOUT_BOX_FRAME;
      box.shape = HS_LAYOUT_SHAPE_FRAME;
      box.frame = f;
      box.alpha = 1;
      box.title = frame_title (self, &frames[f]);
      box.current = f + 1 == n_frames;
      add_box (self, &box, rows, n_rows, NULL, 0);
    }
}

/* The element cap a run needs to record all of o, if the runtime's cap
 * left some out and the limit allows a larger one; else 0 */
static guint
rerun_cap_for (const HsObject        *o,
               guint                  sent,
               const HsLayoutOptions *options)
{
  guint cap;

  g_assert (o != NULL);
  g_assert (options != NULL);

  if (o->omitted == 0)
    return 0;
  /* The runtime's count of what it left out includes what its cap on
   * the objects of a step left out: a higher element cap records more
   * only if it is higher than the one in force */
  cap = MIN (o->length, options->max_element_cap);
  return cap > MAX (sent, options->element_cap) ? cap : 0;
}

/* An object as the runtime recorded it: its repr, or its type if the
 * repr is missing; NULL when the snapshot lacks the object itself */
static const char *
row_value (HsLayout *self,
           guint32   ref)
{
  const HsObject *o;
  g_autofree char *flat = NULL;

  g_assert (self != NULL);

  if (ref == 0 || (o = hs_snapshot_lookup (self->snapshot, ref)) == NULL)
    return NULL;
  if (o->repr == NULL)
    return o->type != NULL ? g_string_chunk_insert_const (self->strings, o->type) : NULL;
  flat = flatten (o->repr);
  return g_string_chunk_insert_const (self->strings, flat);
}

static void
fill_object_row (HsLayout              *self,
                 HsLayoutRow           *row,
                 const RowSpec         *spec,
                 HsLayoutShape          shape,
                 const HsObject        *o,
                 guint                  sent,
                 const HsLayoutOptions *options)
{
  g_assert (row != NULL);
  g_assert (spec != NULL);

  if (spec->elision)
    {
      g_autofree char *count = hs_format_count ((gint64) spec->hidden);
      g_autofree char *text = NULL;

      row->kind = HS_LAYOUT_ROW_ELISION;
      row->hidden = spec->hidden;
      row->held = spec->held;
      row->rerun_cap = spec->held == 0 && spec->hidden > 0 ? rerun_cap_for (o, sent, options) : 0;
      /* Short: a box as wide as a sentence would crowd the column.  The
       * tooltip and a click offer the run (rerun_cap). */
      if (spec->hidden == 0)
        /* Translators: a dict that is the globals of a module, whose
         * entries are drawn as the variables of its frame, <module> */
        text = g_strdup (_("its entries: the variables of <module>"));
      else if (spec->held == 0)
        /* Translators: entries the runtime left out (its element cap,
         * or its cap on the objects of a step) */
        text = g_strdup_printf (_("… %s more, not recorded"), count);
      else
        text = g_strdup_printf (_("… %s more"), count);
      row->label = g_string_chunk_insert_const (self->strings, text);
      return;
    }
  row->kind = spec->key ? HS_LAYOUT_ROW_PAIR : HS_LAYOUT_ROW_SLOT;
  row->target = spec->edge ? spec->edge->target : 0;
  row->key_target = spec->key ? spec->key->target : 0;
  /* A dict's keys and a set's members are values: a row says which,
   * as list rows say their index */
  if (spec->key != NULL)
    row->value = row_value (self, row->key_target);
  else if (shape == HS_LAYOUT_SHAPE_SET)
    row->value = row_value (self, row->target);
  /* A scalar key is the row's label, with no slot of its own; a scalar
   * member is its row, with no slot; any other scalar stands in its slot */
  if (row->key_target != 0 && draws_inline_ref (self, options, row->key_target))
    {
      row->kind = HS_LAYOUT_ROW_SLOT;
      row->key_ref = row->key_target;
      row->key_target = 0;
    }
  if (shape == HS_LAYOUT_SHAPE_SET && spec->key == NULL && draws_inline_ref (self, options, row->target))
    row->slot_width = -1;
  else
    row->inline_value = inline_value_for (self, options, row->target);
  /* The key's edge and the value's carry the same label (the entry's
   * position): either names the row for the marks */
  if (spec->key != NULL || spec->edge != NULL)
    {
      const HsEdge *e = spec->key != NULL ? spec->key : spec->edge;
      const char *label = e->label;

      if (label == NULL || label[0] == '\0')
        label = hs_edge_kind_to_string (e->kind);
      row->edge_label = g_string_chunk_insert_const (self->strings, label);
    }
  if (spec->key == NULL && spec->edge != NULL)
    row->label = row->edge_label;
}

/* One box per discovered object, in discovery order, after the frames */
void
hs_layout_add_object_boxes (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;

  g_assert (builder != NULL);

  for (guint i = 0; i < builder->items->len; i++)
    {
      Item *it = item_at (builder, i);
      const HsObject *o = it->object;
      GArray *specs = it->rows;
      HsLayoutRow *rows = g_new0 (HsLayoutRow, MAX (specs->len, 1));
      HsLayoutBox box = { 0 };
      guint sent = 0;   /* the entries the runtime sent: drawn or held */

      box.kind = HS_LAYOUT_BOX_OBJECT;
      box.shape = shape_for (o);
      box.ref = o->ref;
      box.alpha = 1;
      box.title = g_string_chunk_insert_const (self->strings, o->type);
      box.facts = facts_for (self, o, it->shown, builder->options);
      box.marks = marks_for (self, o, builder->options);
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

          sent += spec->elision ? spec->held : 1;
        }
      for (guint r = 0; r < specs->len; r++)
        fill_object_row (self, &rows[r], &g_array_index (specs, RowSpec, r), box.shape, o, sent, builder->options);
      it->box = add_box (self, &box, rows, specs->len, o, it->shown);
      g_hash_table_insert (self->box_by_ref, GUINT_TO_POINTER (o->ref), GUINT_TO_POINTER (it->box + 1));
      g_clear_pointer (&it->rows, g_array_unref);
    }
}

/* Ghosts of what was freed at this step, with what freed it */
void
hs_layout_add_ghost_boxes (HsLayoutBuilder *builder)
{
  HsLayout *self = builder->self;
  const HsFreed *freed;
  HsSnapshot *before;
  guint n_freed;
  guint ghost_line;

  g_assert (builder != NULL);

  freed = hs_snapshot_get_freed (builder->snapshot, &n_freed);
  /* What a step reports freed, the line of the step before it freed: known
   * when the previous layout is that step's, not after a jump or alone
   * (the step's own line has not run yet, and the end's is 0) */
  ghost_line = builder->prev_snapshot != NULL &&
               hs_snapshot_get_index (builder->prev_snapshot) + 1 == hs_snapshot_get_index (builder->snapshot)
               ? hs_snapshot_get_line (builder->prev_snapshot) : 0;
  /* The step the line ran from, when known */
  before = builder->options->step_before != NULL ? builder->options->step_before
           : ghost_line > 0 ? builder->prev_snapshot : NULL;
  for (guint i = 0; i < n_freed; i++)
    {
      HsLayoutBox box = { 0 };
      g_autofree char *note = NULL;
      /* its box in the previous layout */
      int old = builder->previous != NULL ? lookup_box (builder->previous->box_by_ref, freed[i].ref) : -1;

      /* A scalar that stood inside its slots leaves no ghost: only what
       * was drawn as a box fades where it stood */
      if (old < 0 && draws_inline (freed[i].ref, freed[i].type, builder->options))
        continue;
      /* Nor does what the step before did not hold: the line's own
       * temporaries, or what only the interpreter's stack kept (a loop's
       * iterator and what it walks), out of sight of its picture */
      if (old < 0 && before != NULL && hs_snapshot_lookup (before, freed[i].ref) == NULL)
        continue;
      if (freed[i].cause == HS_FREE_GC)
        note = g_strdup (_("collected by gc"));
      else if (ghost_line > 0)
        note = g_strdup_printf (_("freed at line %u (refcount 0)"), ghost_line);
      else
        /* Translators: a ghost's note when the layout does not follow the
         * step before, whose line is the one that freed it */
        note = g_strdup (_("freed by the line just run (refcount 0)"));
      box.kind = HS_LAYOUT_BOX_GHOST;
      box.shape = HS_LAYOUT_SHAPE_VALUE;
      box.ref = freed[i].ref;
      box.alpha = HS_LAYOUT_GHOST_ALPHA;
      box.title = g_string_chunk_insert_const (self->strings, freed[i].type ? freed[i].type : "object");
      box.value = intern_value (self, freed[i].repr);
      box.note = g_string_chunk_insert_const (self->strings, note);
      /* A ghost stands where its object stood, in room sized for that
       * object: its value, the widest of its texts, may not make it
       * wider than the object was (or than its title and note need),
       * or it reaches across the column gap into the next column */
      if (old >= 0)
        {
          double room = MAX (box_at (builder->previous, old)->rect.width - 2 * PAD,
                             MAX (hs_layout_text_width (HS_LAYOUT_FONT_TITLE, box.title),
                                  hs_layout_text_width (HS_LAYOUT_FONT_SMALL, box.note)));

          box.value = fit_value (self, box.value, room);
        }
      g_hash_table_insert (self->ghost_by_ref, GUINT_TO_POINTER (freed[i].ref),
                           GUINT_TO_POINTER (add_box (self, &box, g_new0 (HsLayoutRow, 1), 0, NULL, 0) + 1));
    }
}
