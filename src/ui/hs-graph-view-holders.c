/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-graph-view"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "hs-describe.h"
#include "hs-graph-view-private.h"
#include "hs-renderer.h"

/*
 * "Show hidden holders": the references the runtime names but the graph
 * does not draw (hs-holders.c in the worker) get boxes of their own, in
 * rows under the picture, no wider than it, where a graph of frames left
 * and objects right has room, with a dashed arrow, routed around the boxes, up to every
 * object each one holds: "constants of <module>" keeps the literal 1000 alive after
 * the last name lets go of it.  What no holder explains is marked on the
 * object as "+N other", so that the arrows drawn, the holders' arrows and
 * that mark add up to the refcount, as in the inspector.  Only what the
 * snapshot's hidden references say is drawn.
 */

/* Between the picture and the row, and between holder boxes */
#define ROW_GAP     40.0
#define BOX_GAP     16.0
#define PAD         6.0
/* Beyond this many boxes around a holder and what it holds, its arrows
 * are drawn without going around them: routing costs grow with the
 * square of the boxes, and this runs on the main thread. */
#define MAX_ROUTED_BOXES 300

typedef struct
{
  guint32 ref;
  guint   count;
} Held;

struct _HsHolderBox
{
  HsRect      rect;
  HsEdgeKind  kind;
  const char *holder;  /* borrowed from the snapshot: the first of holders */
  GPtrArray  *holders; /* const char *, borrowed: more than one where boxes
                        * that hold the same objects were made one */
  char       *title;
  char       *subtitle;
  GArray     *held;    /* Held, in the order the runtime reported them */
  double      want_x;  /* the middle of what it holds */
  HsLayoutDetour *route; /* its arrows around the boxes, or NULL */
  HsLayoutEdge  *arrows; /* the arrow to each of held, or one of no curves */
  HsPoint       *straight; /* the paths of those the route has not */
};

typedef struct
{
  double fill[3];
  double border[3];
  double ink[3];
  double muted[3];
  double arrow[3];
  double badge[3];
  double badge_ink[3];
} Colors;

static const Colors light_colors = {
  { 0.99, 0.96, 0.88 }, { 0.55, 0.42, 0.12 }, { 0.10, 0.10, 0.12 },
  { 0.38, 0.34, 0.26 }, { 0.60, 0.42, 0.05 }, { 0.75, 0.32, 0.00 }, { 1, 1, 1 },
};
static const Colors dark_colors = {
  { 0.25, 0.21, 0.12 }, { 0.90, 0.76, 0.42 }, { 0.95, 0.94, 0.90 },
  { 0.82, 0.78, 0.68 }, { 0.95, 0.78, 0.38 }, { 1.00, 0.66, 0.20 }, { 0.10, 0.08, 0.04 },
};
static const Colors high_contrast_colors = {
  { 1.00, 1.00, 1.00 }, { 0, 0, 0 }, { 0, 0, 0 },
  { 0.15, 0.15, 0.15 }, { 0.55, 0.30, 0.00 }, { 0.75, 0.25, 0.00 }, { 1, 1, 1 },
};

static void
holder_box_free (gpointer data)
{
  HsHolderBox *box = data;

  g_free (box->title);
  g_free (box->subtitle);
  g_ptr_array_unref (box->holders);
  g_array_unref (box->held);
  g_clear_pointer (&box->route, hs_layout_detour_free);
  g_free (box->arrows);
  g_free (box->straight);
  g_free (box);
}

static char *
holder_title (HsEdgeKind  kind,
              const char *holder)
{
  switch (kind)
    {
    case HS_EDGE_HELD_CONSTANT:
      /* Translators: a box that stands for a code object's co_consts; %s is
       * a function's name, or <module> for the script itself */
      return g_strdup_printf (_("constants of %s"), holder);
    case HS_EDGE_HELD_NAME:
      /* Translators: a box for a code object's names; %s is a function or <module> */
      return g_strdup_printf (_("names in the code of %s"), holder);
    case HS_EDGE_HELD_STACK:
      /* Translators: a box for a running frame's value stack; %s is a function or <module> */
      return g_strdup_printf (_("value stack of %s"), holder);
    case HS_EDGE_HELD_ARENA:
      /* Translators: a box for the arena in which CPython's parser keeps
       * the literals and names it read from the script */
      return g_strdup (_("the parser's arena"));
    case HS_EDGE_HELD_FUNCTIONS:
      /* Translators: a box for a module's built-in functions; %s is its name, "math" */
      return g_strdup_printf (_("built-in functions of %s"), holder);
    case HS_EDGE_HELD_GLOBAL:
      /* Translators: a box for an imported module's dict; %s is its name, "math" */
      return g_strdup_printf (_("globals of %s"), holder);
    case HS_EDGE_HELD_DICT:
      /* Translators: a box for a module that holds the dict drawn; %s is its name */
      return g_strdup_printf (_("module %s"), holder);
    case HS_EDGE_HELD_FRAME:
      /* Translators: a box for a running function's frame; %s is the function */
      return g_strdup_printf (_("running frame of %s"), holder);
    case HS_EDGE_HELD_MRO:
      /* Translators: a box for a class's __mro__ tuple; %s is the class */
      return g_strdup_printf (_("__mro__ of %s"), holder);
    case HS_EDGE_HELD_DESCRIPTORS:
      /* Translators: a box for the descriptors in a class's dict; %s is the class */
      return g_strdup_printf (_("descriptors of %s"), holder);
    case HS_EDGE_HELD_INSTANCES:
      /* Translators: a box for the objects of a class; %s is the class */
      return g_strdup_printf (_("instances of %s"), holder);
    case HS_EDGE_HELD_INTERPRETER:
      /* Translators: a box for the Python interpreter itself */
      return g_strdup (_("the interpreter"));
    case HS_EDGE_HELD_MODULE_COPY:
      /* Translators: a box for the copies CPython keeps of a module's dict;
       * %s is the module's name, "sys" */
      return g_strdup_printf (_("copies of the dict of %s"), holder);
    case HS_EDGE_HELD_ITERATOR:
      /* Translators: a box for the iterators a running frame's value
       * stack holds, a for loop's; %s is a function or <module> */
      return g_strdup_printf (_("iterators on the value stack of %s"), holder);
    case HS_EDGE_HELD_INIT:
      /* Translators: a box for the call of a class, which holds the object
       * it made while __init__ runs; %s is that __init__, "Point.__init__" */
      return g_strdup_printf (_("class call running %s"), holder);
    case HS_EDGE_HELD_SUBCLASSES:
      /* Translators: a box for the classes made from a class; %s is the class */
      return g_strdup_printf (_("subclasses of %s"), holder);
    case HS_EDGE_HELD_INIT_ARGUMENTS:
      /* Translators: a box for what the call of a class passes its
       * __init__; %s is that __init__, "Point.__init__" */
      return g_strdup_printf (_("arguments passed to %s"), holder);
    case HS_EDGE_HELD_CLASS_CELL:
      /* Translators: a box for the cell the methods of a class that call
       * super() share; %s is the class */
      return g_strdup_printf (_("__class__ cell of %s"), holder);
    case HS_EDGE_HELD_CLASS_DICT:
      /* Translators: a box for the __dict__ of a class; %s is the class */
      return g_strdup_printf (_("__dict__ of class %s"), holder);
    case HS_EDGE_HELD_DEFAULTS:
      /* Translators: a box for the default values of a function; %s is
       * the function, "Dog.add_trick" */
      return g_strdup_printf (_("defaults of %s"), holder);
    case HS_EDGE_HELD_EXCEPTION:
      /* Translators: a box for the exception an except block handles */
      return g_strdup (_("exception being handled"));
    case HS_EDGE_HELD_TRACEBACK:
      /* Translators: a box for the frame of a call that has ended, which
       * a traceback keeps; %s is the function */
      return g_strdup_printf (_("finished frame of %s"), holder);
    case HS_EDGE_HELD_FINALIZER:
      /* Translators: a box for CPython's call of a __del__ method; %s is
       * the method, "Node.__del__" */
      return g_strdup_printf (_("call of %s"), holder);
    case HS_EDGE_HELD_MODULE_INDEX:
      /* Translators: a box for the interpreter's list of the modules that
       * C code looks up by number (PyState_FindModule) */
      return g_strdup (_("the interpreter's module index"));
    case HS_EDGE_HELD_MODULES:
    default:
      return g_strdup ("sys.modules");
    }
}

static const char *
holder_subtitle (HsEdgeKind kind)
{
  switch (kind)
    {
    case HS_EDGE_HELD_CONSTANT:
      return "co_consts";
    case HS_EDGE_HELD_NAME:
      return "co_names";
    case HS_EDGE_HELD_STACK:
      return _("values being computed or passed");
    case HS_EDGE_HELD_ARENA:
      return _("literals and names read from the script");
    case HS_EDGE_HELD_FUNCTIONS:
      return "__self__";
    case HS_EDGE_HELD_GLOBAL:
    case HS_EDGE_HELD_DICT:
      return "__dict__";
    case HS_EDGE_HELD_FRAME:
      return _("the function it runs");
    case HS_EDGE_HELD_MRO:
      return _("the class, then its bases");
    case HS_EDGE_HELD_DESCRIPTORS:
      return "__dict__, __weakref__, __slots__";
    case HS_EDGE_HELD_INSTANCES:
      return "__class__";
    case HS_EDGE_HELD_INTERPRETER:
      return "sys.modules";
    case HS_EDGE_HELD_MODULE_COPY:
      return _("kept to restore the module");
    case HS_EDGE_HELD_ITERATOR:
      return _("what they iterate over or hold");
    case HS_EDGE_HELD_INIT:
      return _("the object it is setting up");
    case HS_EDGE_HELD_SUBCLASSES:
      return "__bases__, __base__, __mro__";
    case HS_EDGE_HELD_INIT_ARGUMENTS:
      return _("a tuple, and a dict for keywords");
    case HS_EDGE_HELD_CLASS_CELL:
      return _("read by super()");
    case HS_EDGE_HELD_CLASS_DICT:
      return _("methods, and names beginning with _");
    case HS_EDGE_HELD_DEFAULTS:
      return "__defaults__, __kwdefaults__";
    case HS_EDGE_HELD_EXCEPTION:
      return "sys.exception()";
    case HS_EDGE_HELD_TRACEBACK:
      return _("kept by a __traceback__");
    case HS_EDGE_HELD_FINALIZER:
      return _("the finalizer");
    case HS_EDGE_HELD_MODULE_INDEX:
      return "PyState_FindModule()";
    case HS_EDGE_HELD_MODULES:
    default:
      return _("the imported modules");
    }
}

static int
compare_want_x (gconstpointer a,
                gconstpointer b)
{
  const HsHolderBox *ba = *(HsHolderBox * const *) a, *bb = *(HsHolderBox * const *) b;

  return ba->want_x < bb->want_x ? -1 : ba->want_x > bb->want_x;
}

/* The mark on an object: "+1,234 other", its count written as every
 * other count of the window is (hs_format_count()) */
char *
hs_graph_view_holders_other_text (gint64 other)
{
  g_autofree char *count = hs_format_count (other);

  /* Translators: on an object, how many references to it neither an
   * arrow nor a hidden holder's box accounts for; %s is a count, "1,234" */
  return g_strdup_printf (_("+%s other"), count);
}

/* By a holder's arrow: how many references it holds, "×1,234" */
char *
hs_graph_view_holders_times_text (guint count)
{
  g_autofree char *number = hs_format_count (count);

  return g_strdup_printf ("×%s", number);
}

/* Where the "+N other" mark of box is, over its top right corner;
 * measured inside a draw scope. */
static void
other_rect (const HsLayoutBox *box,
            const char        *text,
            HsRect            *rect)
{
  g_assert (box != NULL && text != NULL && rect != NULL);

  rect->width = hs_layout_text_width (HS_LAYOUT_FONT_SMALL, text) + 8;
  rect->height = hs_layout_text_height (HS_LAYOUT_FONT_SMALL) + 2;
  rect->x = box->rect.x + box->rect.width - rect->width + 4;
  rect->y = box->rect.y - rect->height + 4;
}

/* The arrow routed to box's i-th held object, or NULL */
static const HsLayoutEdge *
routed_arrow (const HsHolderBox *box,
              guint              i)
{
  const HsLayoutEdge *edges;
  guint n_edges;

  g_assert (box != NULL);

  if (box->route == NULL)
    return NULL;
  edges = hs_layout_detour_get_edges (box->route, &n_edges);
  for (guint e = 0; e < n_edges; e++)
    if (edges[e].row == i)
      return &edges[e];
  return NULL;
}

/* Leads box's arrows from its top side around the layout's boxes and
 * the other holders to what it holds, the way the pinned frame's are. */
static void
route_arrows (HsLayout    *layout,
              GPtrArray   *boxes,
              HsHolderBox *box,
              GArray      *marks)
{
  g_autofree HsPoint *starts = g_new (HsPoint, box->held->len);
  g_autofree guint32 *targets = g_new (guint32, box->held->len);
  g_autofree HsRect *others = g_new (HsRect, boxes->len + marks->len);
  const HsLayoutBox *lboxes;
  guint n_others = 0, n_lboxes, n_near = 0;
  double x0 = box->rect.x, y0 = box->rect.y, x1 = x0 + box->rect.width, y1 = y0 + box->rect.height;
  HsRect region;

  g_assert (layout != NULL && boxes != NULL && box != NULL);

  for (guint i = 0; i < box->held->len; i++)
    {
      HsRect to;

      starts[i] = (HsPoint) { box->rect.x + box->rect.width * (i + 1) / (box->held->len + 1), box->rect.y };
      targets[i] = g_array_index (box->held, Held, i).ref;
      if (hs_layout_get_object_bounds (layout, targets[i], &to))
        {
          x0 = MIN (x0, to.x), y0 = MIN (y0, to.y);
          x1 = MAX (x1, to.x + to.width), y1 = MAX (y1, to.y + to.height);
        }
    }
  for (guint b = 0; b < boxes->len; b++)
    if (g_ptr_array_index (boxes, b) != box)
      others[n_others++] = ((HsHolderBox *) g_ptr_array_index (boxes, b))->rect;
  for (guint m = 0; m < marks->len; m++)
    others[n_others++] = g_array_index (marks, HsRect, m);
  /* The boxes an arrow may have to go around: those near the way */
  region = (HsRect) { x0 - ROW_GAP, y0 - ROW_GAP, x1 - x0 + 2 * ROW_GAP, y1 - y0 + 2 * ROW_GAP };
  lboxes = hs_layout_get_boxes (layout, &n_lboxes);
  for (guint i = 0; i < n_lboxes; i++)
    n_near += lboxes[i].rect.x < region.x + region.width && region.x < lboxes[i].rect.x + lboxes[i].rect.width &&
              lboxes[i].rect.y < region.y + region.height && region.y < lboxes[i].rect.y + lboxes[i].rect.height;
  if (n_near <= MAX_ROUTED_BOXES)
    box->route = hs_layout_detour_new_from_box (layout, &box->rect, starts, targets, box->held->len,
                                               others, n_others, &region);

  /* What has no way around the boxes goes straight up into the bottom
   * of what it holds */
  box->arrows = g_new0 (HsLayoutEdge, box->held->len);
  box->straight = g_new0 (HsPoint, 4 * box->held->len);
  for (guint i = 0; i < box->held->len; i++)
    {
      const HsLayoutEdge *routed = routed_arrow (box, i);
      HsLayoutEdge *e = &box->arrows[i];
      HsPoint *q = &box->straight[4 * i];
      HsRect to;

      if (routed != NULL)
        {
          *e = *routed;
          continue;
        }
      if (!hs_layout_get_object_bounds (layout, targets[i], &to))
        continue;
      q[3] = (HsPoint) { to.x + to.width / 2, to.y + to.height };
      q[0] = (HsPoint) { CLAMP (q[3].x, box->rect.x + 8, box->rect.x + box->rect.width - 8), box->rect.y };
      q[1] = (HsPoint) { q[0].x, q[0].y - MAX (16, (q[0].y - q[3].y) / 3) };
      q[2] = (HsPoint) { q[3].x, q[3].y + MAX (16, (q[0].y - q[3].y) / 3) };
      *e = (HsLayoutEdge) { .source = G_MAXUINT, .row = i, .target = targets[i], .target_box = G_MAXUINT,
                            .alpha = 0.8, .n_curves = 1, .path = q };
      for (guint k = 0; k < 4; k++)
        e->x[k] = q[k].x, e->y[k] = q[k].y;
    }
}

/* Moves boxes [first, end) of a row left, as little as needed for the
 * last to end at right; FALSE, moving none, if the first would cross
 * left, the left edge of what the holders hold: further left, under the
 * frames, their arrows would have to find a way up around them. */
static gboolean
push_row_left (GPtrArray *boxes,
               guint      first,
               guint      end,
               double     right,
               double     left)
{
  double edge = right;

  for (guint b = end; b > first; b--)
    {
      HsHolderBox *box = g_ptr_array_index (boxes, b - 1);

      edge = MIN (box->rect.x, edge - box->rect.width) - BOX_GAP;
    }
  if (edge + BOX_GAP < left)
    return FALSE;
  for (guint b = end; b > first; b--)
    {
      HsHolderBox *box = g_ptr_array_index (boxes, b - 1);

      box->rect.x = MIN (box->rect.x, right - box->rect.width);
      right = box->rect.x - BOX_GAP;
    }
  return TRUE;
}

static int
compare_held_ref (gconstpointer a,
                  gconstpointer b)
{
  guint32 x = ((const Held *) a)->ref, y = ((const Held *) b)->ref;

  return x < y ? -1 : x > y;
}

/* Whether a and b hold the same objects, however often (each holds an
 * object once: see hs_graph_view_holders_place()) */
static gboolean
hold_the_same (const HsHolderBox *a,
               const HsHolderBox *b)
{
  g_autoptr(GArray) x = NULL, y = NULL;

  if (a->held->len != b->held->len)
    return FALSE;
  x = g_array_copy (a->held);
  y = g_array_copy (b->held);
  g_array_sort (x, compare_held_ref);
  g_array_sort (y, compare_held_ref);
  for (guint i = 0; i < x->len; i++)
    if (g_array_index (x, Held, i).ref != g_array_index (y, Held, i).ref)
      return FALSE;
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names of box's holders, "codecs, os, site", ending in "…" past
 * about max_chars */
static char *
holder_names (const HsHolderBox *box,
              gsize              max_chars)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < box->holders->len; i++)
    {
      const char *name = g_ptr_array_index (box->holders, i);

      if (i > 0 && (gsize) (g_utf8_strlen (names->str, -1) + 2 + g_utf8_strlen (name, -1)) > max_chars)
        {
          g_string_append (names, ", …");
          break;
        }
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, name);
    }
  return g_string_free (names, FALSE);
}

/* Makes one box of the boxes of the modules' globals that hold the same
 * objects, adding up how often each is held.  Every module imports sys,
 * and with it shown, the box of each module's globals held it alone: at
 * the end of the refcounts lesson, thirteen boxes filled a 1024x600 view
 * and left the program's own objects out of it. */
static void
merge_module_globals (GPtrArray *boxes)
{
  for (guint b = 0; b < boxes->len; b++)
    {
      HsHolderBox *box = g_ptr_array_index (boxes, b);

      if (box->kind != HS_EDGE_HELD_GLOBAL)
        continue;
      for (guint o = b + 1; o < boxes->len;)
        {
          HsHolderBox *other = g_ptr_array_index (boxes, o);

          if (other->kind != HS_EDGE_HELD_GLOBAL || !hold_the_same (box, other))
            {
              o++;
              continue;
            }
          for (guint i = 0; i < box->held->len; i++)
            for (guint k = 0; k < other->held->len; k++)
              if (g_array_index (other->held, Held, k).ref == g_array_index (box->held, Held, i).ref)
                g_array_index (box->held, Held, i).count += g_array_index (other->held, Held, k).count;
          g_ptr_array_extend (box->holders, other->holders, NULL, NULL);
          /* other's want_x, the sum over the same objects, is box's own;
           * the boxes are sorted once placed */
          g_ptr_array_remove_index_fast (boxes, o);
        }
      if (box->holders->len > 1)
        {
          g_ptr_array_sort (box->holders, compare_names);
          g_free (box->title);
          g_free (box->subtitle);
          /* Translators: a box for the dicts of several imported modules,
           * which hold the same objects; its subtitle names the modules */
          box->title = g_strdup_printf (ngettext ("globals of %u module", "globals of %u modules", box->holders->len),
                                        box->holders->len);
          box->subtitle = holder_names (box, 32);
        }
    }
}

/* The holder boxes of layout, placed in rows under its picture:
 * one box per holder the snapshot names, holding objects the layout
 * draws and whose count is a count (not an immortal's marker). */
GPtrArray *
hs_graph_view_holders_place (HsLayout *layout)
{
  HsSnapshot *snapshot;
  const HsHiddenRef *hidden;
  GPtrArray *boxes = g_ptr_array_new_with_free_func (holder_box_free);
  g_autoptr(GArray) marks = NULL;
  const HsLayoutBox *lboxes;
  double width, height, x = 0, y, row_height = 0, left = G_MAXDOUBLE, line_ui, line_small;
  guint n_hidden, n_lboxes;

  g_return_val_if_fail (layout != NULL, boxes);

  snapshot = hs_layout_get_snapshot (layout);
  hidden = hs_snapshot_get_hidden_refs (snapshot, &n_hidden);
  for (guint i = 0; i < n_hidden; i++)
    {
      const HsObject *object = hs_snapshot_lookup (snapshot, hidden[i].target);
      HsHolderBox *box = NULL;
      HsRect bounds;
      Held held = { hidden[i].target, hidden[i].count };

      if (object == NULL || (object->flags & HS_OBJECT_IMMORTAL) ||
          !hs_layout_get_object_bounds (layout, hidden[i].target, &bounds))
        continue;
      for (guint b = 0; b < boxes->len && box == NULL; b++)
        {
          HsHolderBox *other = g_ptr_array_index (boxes, b);

          /* sys.modules is one dict, whichever module it holds */
          if (other->kind == hidden[i].kind &&
              (hidden[i].kind == HS_EDGE_HELD_MODULES || g_strcmp0 (other->holder, hidden[i].holder) == 0))
            box = other;
        }
      if (box == NULL)
        {
          box = g_new0 (HsHolderBox, 1);
          box->kind = hidden[i].kind;
          box->holder = hidden[i].holder;
          box->title = holder_title (hidden[i].kind, hidden[i].holder != NULL ? hidden[i].holder : "?");
          box->subtitle = g_strdup (holder_subtitle (hidden[i].kind));
          box->holders = g_ptr_array_new ();
          g_ptr_array_add (box->holders, (gpointer) box->holder);
          box->held = g_array_new (FALSE, FALSE, sizeof (Held));
          g_ptr_array_add (boxes, box);
        }
      /* a holder the runtime named twice (two modules of one name) is
       * one box, which holds each object once, as often as both */
      for (guint k = 0; k < box->held->len && held.ref != 0; k++)
        if (g_array_index (box->held, Held, k).ref == held.ref)
          {
            g_array_index (box->held, Held, k).count += held.count;
            held.ref = 0;
          }
      if (held.ref != 0)
        {
          g_array_append_val (box->held, held);
          box->want_x += bounds.x + bounds.width / 2;
        }
      left = MIN (left, bounds.x);
    }
  if (boxes->len == 0)
    return boxes;
  merge_module_globals (boxes);

  hs_layout_get_size (layout, &width, &height);
  hs_layout_text_begin_draw (hs_layout_get_text (layout));
  line_ui = hs_layout_text_height (HS_LAYOUT_FONT_UI);
  line_small = hs_layout_text_height (HS_LAYOUT_FONT_SMALL);
  for (guint b = 0; b < boxes->len; b++)
    {
      HsHolderBox *box = g_ptr_array_index (boxes, b);

      box->want_x /= box->held->len;
      box->rect.width = 2 * PAD + MAX (hs_layout_text_width (HS_LAYOUT_FONT_UI, box->title),
                                       hs_layout_text_width (HS_LAYOUT_FONT_SMALL, box->subtitle));
      box->rect.height = 2 * PAD + line_ui + line_small;
    }
  hs_layout_text_end_draw ();

  /* Each box as near the middle of what it holds as the row allows.  The
   * rows wrap at the picture's width: a row running past it would widen
   * what the camera has to frame, and on a small screen leave boxes cut
   * at the view's edge. */
  g_ptr_array_sort (boxes, compare_want_x);
  for (guint b = 0; b < boxes->len; b++)
    width = MAX (width, ((HsHolderBox *) g_ptr_array_index (boxes, b))->rect.width);
  y = height + ROW_GAP;
  for (guint b = 0, row = 0; b < boxes->len; b++)
    {
      HsHolderBox *box = g_ptr_array_index (boxes, b);
      double at = MIN (MAX (x, box->want_x - box->rect.width / 2), width - box->rect.width);

      /* past the right edge: the row's boxes move left to make room, if
       * the row has it; else the box starts the next row */
      if (at < x && !push_row_left (boxes, row, b, at - BOX_GAP, left))
        {
          y += row_height + BOX_GAP;
          row_height = 0;
          row = b;
          at = CLAMP (box->want_x - box->rect.width / 2, 0, width - box->rect.width);
        }
      box->rect.x = at;
      box->rect.y = y;
      x = at + box->rect.width + BOX_GAP;
      row_height = MAX (row_height, box->rect.height);
    }
  /* The "+N other" marks over the boxes' corners are text to keep clear of */
  marks = g_array_new (FALSE, FALSE, sizeof (HsRect));
  lboxes = hs_layout_get_boxes (layout, &n_lboxes);
  hs_layout_text_begin_draw (hs_layout_get_text (layout));
  for (guint i = 0; i < n_lboxes; i++)
    {
      g_autofree char *text = NULL;
      gint64 other;
      HsRect rect;

      if (lboxes[i].kind != HS_LAYOUT_BOX_OBJECT ||
          (other = hs_graph_view_holders_count_other (boxes, snapshot, lboxes[i].ref)) <= 0)
        continue;
      text = hs_graph_view_holders_other_text (other);
      other_rect (&lboxes[i], text, &rect);
      g_array_append_val (marks, rect);
    }
  hs_layout_text_end_draw ();
  for (guint b = 0; b < boxes->len; b++)
    route_arrows (layout, boxes, g_ptr_array_index (boxes, b), marks);
  return boxes;
}

/* The holder boxes of the layout self shows, computed once per layout. */
GPtrArray *
hs_graph_view_holders_get (HsGraphView *self,
                           HsLayout    *layout)
{
  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), NULL);

  if (!self->show_hidden || layout == NULL)
    return NULL;
  if (self->holders == NULL || self->holders_layout != layout)
    {
      g_clear_pointer (&self->holders, g_ptr_array_unref);
      g_clear_pointer (&self->holders_layout, hs_layout_unref);
      self->holders = hs_graph_view_holders_place (layout);
      /* Kept, so that another layout at the same address is not taken for it */
      self->holders_layout = hs_layout_ref (layout);
    }
  return self->holders;
}

/* The size of what is drawn: the layout's picture and, when the holders
 * are shown, their row. */
void
hs_graph_view_get_extent (HsGraphView *self,
                          HsLayout    *layout,
                          double      *width,
                          double      *height)
{
  GPtrArray *boxes;

  g_return_if_fail (HS_IS_GRAPH_VIEW (self));
  g_return_if_fail (layout != NULL && width != NULL && height != NULL);

  hs_layout_get_size (layout, width, height);
  boxes = hs_graph_view_holders_get (self, layout);
  for (guint b = 0; boxes != NULL && b < boxes->len; b++)
    {
      const HsHolderBox *box = g_ptr_array_index (boxes, b);

      *width = MAX (*width, box->rect.x + box->rect.width + MARGIN);
      *height = MAX (*height, box->rect.y + box->rect.height + MARGIN);
    }
}

/* The names of what box stands for, "math": more than one where the
 * boxes of several modules' globals were made one */
const char * const *
hs_holder_box_get_holders (const HsHolderBox *box,
                           guint             *n)
{
  g_return_val_if_fail (box != NULL && n != NULL, NULL);

  *n = box->holders->len;
  return (const char * const *) box->holders->pdata;
}

HsEdgeKind
hs_holder_box_get_kind (const HsHolderBox *box)
{
  g_return_val_if_fail (box != NULL, HS_EDGE_HELD_MODULES);

  return box->kind;
}

guint
hs_holder_box_get_n_held (const HsHolderBox *box,
                          guint32           *refs,
                          guint             *counts,
                          guint              n)
{
  g_return_val_if_fail (box != NULL, 0);

  for (guint i = 0; i < MIN (n, box->held->len); i++)
    {
      if (refs != NULL)
        refs[i] = g_array_index (box->held, Held, i).ref;
      if (counts != NULL)
        counts[i] = g_array_index (box->held, Held, i).count;
    }
  return box->held->len;
}

const char *
hs_holder_box_get_title (const HsHolderBox *box,
                         HsRect            *rect)
{
  g_return_val_if_fail (box != NULL, NULL);

  if (rect != NULL)
    *rect = box->rect;
  return box->title;
}

/* How many references to ref the holder boxes draw */
guint
hs_graph_view_holders_count_held (GPtrArray *boxes,
            guint32    ref)
{
  guint n = 0;

  g_return_val_if_fail (boxes != NULL, 0);

  for (guint b = 0; b < boxes->len; b++)
    {
      const HsHolderBox *box = g_ptr_array_index (boxes, b);

      for (guint i = 0; i < box->held->len; i++)
        if (g_array_index (box->held, Held, i).ref == ref)
          n += g_array_index (box->held, Held, i).count;
    }
  return n;
}

/* The references to ref that neither an arrow nor a holder box draws:
 * the inspector's "other internal references", and the named holders of
 * objects no box is drawn for (immortal ones). */
gint64
hs_graph_view_holders_count_other (GPtrArray  *holders,
                                   HsSnapshot *snapshot,
                                   guint32     ref)
{
  g_autoptr(HsRefcountBreakdown) breakdown = NULL;

  g_return_val_if_fail (holders != NULL && snapshot != NULL, 0);

  /* An immortal's count is a marker, not references to account for */
  if ((breakdown = hs_describe_refcount_breakdown (snapshot, ref)) == NULL || breakdown->immortal)
    return 0;
  return breakdown->other + breakdown->n_named - hs_graph_view_holders_count_held (holders, ref);
}

/* The object whose "+N other" mark is at (lx, ly), and N; 0 for none. */
guint32
hs_graph_view_holders_hit_other (HsGraphView *self,
                                 double       lx,
                                 double       ly,
                                 gint64      *other)
{
  GPtrArray *holders;
  const HsLayoutBox *boxes;
  HsSnapshot *snapshot;
  guint32 found = 0;
  guint n_boxes;

  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self) && other != NULL, 0);

  if ((holders = hs_graph_view_holders_get (self, self->layout)) == NULL)
    return 0;
  snapshot = hs_layout_get_snapshot (self->layout);
  boxes = hs_layout_get_boxes (self->layout, &n_boxes);
  hs_layout_text_begin_draw (hs_layout_get_text (self->layout));
  for (guint i = 0; i < n_boxes && found == 0; i++)
    {
      g_autofree char *text = NULL;
      HsRect rect;

      if (boxes[i].kind != HS_LAYOUT_BOX_OBJECT ||
          (*other = hs_graph_view_holders_count_other (holders, snapshot, boxes[i].ref)) <= 0)
        continue;
      text = hs_graph_view_holders_other_text (*other);
      other_rect (&boxes[i], text, &rect);
      if (lx >= rect.x && lx <= rect.x + rect.width && ly >= rect.y && ly <= rect.y + rect.height)
        found = boxes[i].ref;
    }
  hs_layout_text_end_draw ();
  return found;
}

/* What neither an arrow nor a holder box accounts for, on the object:
 * "+1 other". */
static void
draw_other_marks (cairo_t       *cr,
                  HsLayout      *layout,
                  GPtrArray     *boxes,
                  const Colors  *c)
{
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  const HsLayoutBox *lboxes;
  guint n_boxes;

  g_assert (cr != NULL && layout != NULL && boxes != NULL && c != NULL);

  lboxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      const HsLayoutBox *box = &lboxes[i];
      g_autofree char *text = NULL;
      const HsObject *object;
      gint64 other;
      HsRect rect;

      if (box->kind != HS_LAYOUT_BOX_OBJECT || !(object = hs_snapshot_lookup (snapshot, box->ref)) ||
          (object->flags & HS_OBJECT_IMMORTAL))
        continue;
      other = hs_graph_view_holders_count_other (boxes, snapshot, box->ref);
      if (other <= 0)
        continue;

      text = hs_graph_view_holders_other_text (other);
      other_rect (box, text, &rect);

      cairo_save (cr);
      cairo_translate (cr, rect.x, rect.y);
      cairo_rectangle (cr, 0, 0, rect.width, rect.height);
      cairo_set_source_rgba (cr, c->badge[0], c->badge[1], c->badge[2], box->alpha);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, c->badge_ink[0], c->badge_ink[1], c->badge_ink[2], box->alpha);
      hs_layout_text_draw (cr, HS_LAYOUT_FONT_SMALL, text, 4, 1);
      cairo_restore (cr);
    }
}

#define HEAD_LENGTH 8
#define TIMES_GAP 3

/* Where an arrow's "×count", width × height, goes: beside its last
 * segment, behind the head, on the side the arrow comes from, so that it
 * never lies inside the box the arrow enters (it had covered that box's
 * refcount line). */
void
hs_graph_view_holders_times_rect (const HsLayoutEdge *edge,
                                  double              width,
                                  double              height,
                                  HsRect             *rect)
{
  double x, y, dx, dy;

  g_return_if_fail (edge != NULL && rect != NULL);

  x = edge->x[3];
  y = edge->y[3];
  dx = x - edge->x[2];
  dy = y - edge->y[2];
  rect->width = width;
  rect->height = height;
  if (fabs (dx) >= fabs (dy))
    {
      /* across: above the line */
      rect->x = dx >= 0 ? x - HEAD_LENGTH - TIMES_GAP - width : x + HEAD_LENGTH + TIMES_GAP;
      rect->y = y - TIMES_GAP - height;
    }
  else
    {
      /* up or down: right of the head, no further from the box than the
       * head is, since boxes of one column may stand only 14 apart */
      rect->x = x + TIMES_GAP;
      rect->y = dy >= 0 ? y - 1 - height : y + 1;
    }
}

/* The arrowhead at (x, y), pointing away from (fx, fy) */
static void
draw_head (cairo_t *cr,
           double   fx,
           double   fy,
           double   x,
           double   y)
{
  double angle = atan2 (y - fy, x - fx);

  g_assert (cr != NULL);

  cairo_save (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, angle);
  cairo_move_to (cr, 0, 0);
  cairo_line_to (cr, -HEAD_LENGTH, -4);
  cairo_line_to (cr, -HEAD_LENGTH, 4);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_restore (cr);
}

static void
begin_arrow (cairo_t      *cr,
             const Colors *c)
{
  g_assert (cr != NULL && c != NULL);

  cairo_save (cr);
  cairo_set_source_rgb (cr, c->arrow[0], c->arrow[1], c->arrow[2]);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, (double[]) { 5, 3 }, 2, 0);
}

static void
draw_arrow (cairo_t            *cr,
                   const HsLayoutEdge *edge,
                   guint               count,
                   const Colors       *c)
{
  const HsPoint *q = edge->path;

  g_assert (cr != NULL && edge != NULL && c != NULL);

  begin_arrow (cr, c);
  cairo_move_to (cr, q[0].x, q[0].y);
  for (guint k = 0; k < edge->n_curves; k++)
    cairo_curve_to (cr, q[3 * k + 1].x, q[3 * k + 1].y, q[3 * k + 2].x, q[3 * k + 2].y,
                    q[3 * k + 3].x, q[3 * k + 3].y);
  cairo_stroke (cr);
  draw_head (cr, edge->x[2], edge->y[2], edge->x[3], edge->y[3]);
  if (count > 1)
    {
      g_autofree char *times = hs_graph_view_holders_times_text (count);
      HsRect rect;

      hs_graph_view_holders_times_rect (edge, hs_layout_text_width (HS_LAYOUT_FONT_SMALL, times),
                                        hs_layout_text_height (HS_LAYOUT_FONT_SMALL), &rect);
      hs_layout_text_draw (cr, HS_LAYOUT_FONT_SMALL, times, rect.x, rect.y);
    }
  cairo_restore (cr);
}

const HsLayoutEdge *
hs_holder_box_get_arrow (const HsHolderBox *box,
                         guint              i)
{
  g_return_val_if_fail (box != NULL, NULL);
  g_return_val_if_fail (i < box->held->len, NULL);

  return box->arrows[i].n_curves > 0 ? &box->arrows[i] : NULL;
}

/* Draws the holder boxes, their arrows and the "+N other" marks over the
 * layout, in layout units; text comes from the layout's set. */
void
hs_graph_view_holders_draw (HsGraphView *self,
                            cairo_t     *cr,
                            HsLayout    *layout,
                            int          palette)
{
  const Colors *c = palette == HS_RENDER_PALETTE_DARK ? &dark_colors
                  : palette == HS_RENDER_PALETTE_HIGH_CONTRAST ? &high_contrast_colors
                  : &light_colors;
  GPtrArray *boxes;

  g_return_if_fail (HS_IS_GRAPH_VIEW (self));
  g_return_if_fail (cr != NULL && layout != NULL);

  if ((boxes = hs_graph_view_holders_get (self, layout)) == NULL)
    return;

  hs_layout_text_begin_draw (hs_layout_get_text (layout));
  for (guint b = 0; b < boxes->len; b++)
    {
      const HsHolderBox *box = g_ptr_array_index (boxes, b);
      double line_ui = hs_layout_text_height (HS_LAYOUT_FONT_UI);

      for (guint i = 0; i < box->held->len; i++)
        {
          const HsLayoutEdge *edge = hs_holder_box_get_arrow (box, i);

          if (edge != NULL)
            draw_arrow (cr, edge, g_array_index (box->held, Held, i).count, c);
        }

      cairo_save (cr);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, (double[]) { 4, 2 }, 2, 0);
      cairo_rectangle (cr, box->rect.x, box->rect.y, box->rect.width, box->rect.height);
      cairo_set_source_rgb (cr, c->fill[0], c->fill[1], c->fill[2]);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, c->border[0], c->border[1], c->border[2]);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, c->ink[0], c->ink[1], c->ink[2]);
      hs_layout_text_draw (cr, HS_LAYOUT_FONT_UI, box->title, box->rect.x + PAD, box->rect.y + PAD);
      cairo_set_source_rgb (cr, c->muted[0], c->muted[1], c->muted[2]);
      hs_layout_text_draw (cr, HS_LAYOUT_FONT_SMALL, box->subtitle, box->rect.x + PAD,
                           box->rect.y + PAD + line_ui);
      cairo_restore (cr);
    }
  draw_other_marks (cr, layout, boxes, c);
  hs_layout_text_end_draw ();
}

/* The holder box at (lx, ly), in layout units, or NULL. */
const HsHolderBox *
hs_graph_view_holders_hit (HsGraphView *self,
                           double       lx,
                           double       ly)
{
  GPtrArray *boxes;

  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), NULL);

  if ((boxes = hs_graph_view_holders_get (self, self->layout)) == NULL)
    return NULL;
  for (guint b = 0; b < boxes->len; b++)
    {
      const HsHolderBox *box = g_ptr_array_index (boxes, b);

      if (lx >= box->rect.x && lx <= box->rect.x + box->rect.width &&
          ly >= box->rect.y && ly <= box->rect.y + box->rect.height)
        return box;
    }
  return NULL;
}

/* A holder box's tooltip: what it is, and why it keeps objects alive. */
char *
hs_holder_box_describe (const HsHolderBox *box)
{
  g_return_val_if_fail (box != NULL, NULL);

  switch (box->kind)
    {
    case HS_EDGE_HELD_CONSTANT:
      return g_strdup_printf (_("The code of %s keeps its literals in a tuple of constants, co_consts: "
                                "they stay alive as long as the code does, whatever the names do."),
                              box->holder);
    case HS_EDGE_HELD_NAME:
      return g_strdup_printf (_("The code of %s keeps the names it uses as strings: "
                                "they stay alive as long as the code does."), box->holder);
    case HS_EDGE_HELD_STACK:
      return g_strdup_printf (_("The value stack of %s holds values while a line computes with them: "
                                "a for loop's iterator, arguments being passed."), box->holder);
    case HS_EDGE_HELD_ARENA:
      return g_strdup (_("CPython's parser keeps what it read of a script in an arena until the script ends: "
                         "that is why getrefcount() of a literal reads one more in a script than after compile()."));
    case HS_EDGE_HELD_FUNCTIONS:
      return g_strdup_printf (_("Each built-in function of the module %s keeps a reference to the module "
                                "in __self__, so its functions count in its refcount."), box->holder);
    case HS_EDGE_HELD_GLOBAL:
      if (box->holders->len > 1)
        {
          g_autofree char *names = holder_names (box, G_MAXSIZE);

          /* Translators: %s names the modules, "codecs, os, site" */
          return g_strdup_printf (_("The modules %s keep their globals in dicts, names and values: "
                                    "they stay alive as long as the modules do, whatever the program's names do."),
                                  names);
        }
      return g_strdup_printf (_("The module %s keeps its globals in a dict, names and values: "
                                "they stay alive as long as the module does, whatever the program's names do."),
                              box->holder);
    case HS_EDGE_HELD_DICT:
      return g_strdup_printf (_("The module %s keeps its globals in this dict, its __dict__."), box->holder);
    case HS_EDGE_HELD_FRAME:
      return g_strdup_printf (_("While %s runs, its frame keeps a reference to the function it runs: "
                                "the function reads one more during its call."), box->holder);
    case HS_EDGE_HELD_MRO:
      return g_strdup_printf (_("The method resolution order of %s, its __mro__, is a tuple that begins "
                                "with the class itself."), box->holder);
    case HS_EDGE_HELD_DESCRIPTORS:
      return g_strdup_printf (_("CPython puts descriptors for the __dict__ and __weakref__ attributes "
                                "(or the __slots__) in the __dict__ of %s; each keeps a reference to the class."),
                              box->holder);
    case HS_EDGE_HELD_INSTANCES:
      return g_strdup_printf (_("Every object of the class %s keeps a reference to its class, its __class__, "
                                "including those the graph does not show."), box->holder);
    case HS_EDGE_HELD_INTERPRETER:
      return g_strdup (_("The interpreter keeps its own reference to the dict of imported modules, "
                         "besides the name modules in the sys module."));
    case HS_EDGE_HELD_MODULE_COPY:
      return g_strdup_printf (_("CPython copied the dict of %s when the module was first set up, to set it up "
                                "again later: a copy still holds what the dict held then."), box->holder);
    case HS_EDGE_HELD_ITERATOR:
      return g_strdup_printf (_("A for loop in %s keeps its iterator on the value stack until the loop ends; "
                                "the iterator holds what it iterates over, and a generator its function "
                                "and its local variables."), box->holder);
    case HS_EDGE_HELD_INIT:
      return g_strdup_printf (_("Calling a class makes the object, then runs %s on it: the call keeps a reference "
                                "to the new object until __init__ returns, then hands it to the caller."),
                              box->holder);
    case HS_EDGE_HELD_SUBCLASSES:
      return g_strdup_printf (_("A class made from %s keeps it in __bases__ and as __base__, and every class "
                                "below it keeps it in its __mro__, the order in which attributes are looked up."),
                              box->holder);
    case HS_EDGE_HELD_INIT_ARGUMENTS:
      return g_strdup_printf (_("Calling a class packs its arguments in a tuple, and keyword arguments in a dict, "
                                "to pass them to %s; with keywords it also passes each argument on in an array. "
                                "These hold each argument until __init__ returns."),
                              box->holder);
    case HS_EDGE_HELD_CLASS_CELL:
      return g_strdup_printf (_("The methods of %s that call super() share one cell, __class__, in their "
                                "closures: super() reads the class from it, and the cell keeps a reference to it."),
                              box->holder);
    case HS_EDGE_HELD_CLASS_DICT:
      return g_strdup_printf (_("The class %s keeps its attributes and methods in its __dict__, shared by every "
                                "instance. The class's box draws its data attributes; this box stands for the "
                                "rest: its methods and the names that begin with an underscore."),
                              box->holder);
    case HS_EDGE_HELD_DEFAULTS:
      return g_strdup_printf (_("def made the default values of %s once and keeps them in its __defaults__: "
                                "every call that leaves the argument out gets this same object, so a list "
                                "default keeps what earlier calls put in it."),
                              box->holder);
    case HS_EDGE_HELD_EXCEPTION:
      return g_strdup (_("While an except or finally block runs, Python keeps the exception it handles, "
                         "which sys.exception() returns, until the block ends."));
    case HS_EDGE_HELD_TRACEBACK:
      return g_strdup_printf (_("The call of %s has ended, but an exception raised through it keeps its "
                                "frame in its __traceback__, and the frame keeps its variables and its "
                                "function alive until the exception goes."),
                              box->holder);
    case HS_EDGE_HELD_FINALIZER:
      return g_strdup_printf (_("The object's last reference went, or the gc found it unreachable, so CPython "
                                "calls %s, its finalizer, and keeps the object alive with a reference of its "
                                "own until the call returns: __del__ can even store self somewhere and so "
                                "save the object."),
                              box->holder);
    case HS_EDGE_HELD_MODULE_INDEX:
      return g_strdup (_("The interpreter keeps the modules whose C code set them up the old way, such as sys "
                         "and builtins, in a list of its own, so that their C code can find them again "
                         "(PyState_FindModule())."));
    case HS_EDGE_HELD_MODULES:
    default:
      return g_strdup (_("sys.modules holds every imported module, so a second import finds it."));
    }
}
