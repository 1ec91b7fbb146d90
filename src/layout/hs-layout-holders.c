/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout"

#include "config.h"

#include <math.h>

#include "hs-format.h"
#include "hs-layout-route.h"
#include "hs-layout-holders.h"
#include "hs-layout-path.h"
#include "hs-layout-private.h"

/* Between the picture and the row, and between holder boxes */
#define ROW_GAP     40.0
#define BOX_GAP     16.0
/* Beyond this many boxes around a holder and what it holds, its arrows
 * are drawn without going around them: routing costs grow with the
 * square of the boxes, and the view places holders on the main thread. */
#define MAX_ROUTED_BOXES 300
/* The arrowhead's length, which an arrow's "×N" keeps clear of */
#define HEAD_LENGTH 8
#define TIMES_GAP   3
/* Static (3.11) and immortal (3.12 on) objects carry a refcount that
 * tells nothing about references, as hs-describe.c reads it */
#define IMMORTAL_REFCOUNT_FLOOR 1000000000

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
  const HsLayoutOverlayArrows *route; /* its arrows around the boxes, or NULL */
  guint       source;  /* its index among route's sources */
  HsLayoutEdge   *arrows; /* the arrow to each of held, or one of no curves */
  HsPoint        *straight; /* the paths of those the route has not */
  char          **times;    /* "×N" by each arrow, NULL where it holds one */
  HsRect         *times_rects;
};

struct _HsLayoutHolders
{
  HsLayout     *layout;
  GPtrArray    *boxes;    /* HsHolderBox */
  GArray       *marks;    /* HsLayoutHolderMark */
  GStringChunk *strings;  /* the marks' texts */
  GHashTable   *drawn;    /* ref -> how many references the snapshot draws to it */
  GPtrArray    *routes;   /* HsLayoutOverlayArrows: the boxes' arrows */
};

static void
holder_box_free (gpointer data)
{
  HsHolderBox *box = data;

  g_free (box->title);
  g_free (box->subtitle);
  g_ptr_array_unref (box->holders);
  if (box->times != NULL)
    for (guint i = 0; i < box->held->len; i++)
      g_free (box->times[i]);
  g_free (box->times);
  g_array_unref (box->held);
  g_free (box->arrows);
  g_free (box->straight);
  g_free (box->times_rects);
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

static gboolean
meets (const HsRect *r,
       const HsRect *o)
{
  return r->x < o->x + o->width && o->x < r->x + r->width && r->y < o->y + o->height && o->y < r->y + r->height;
}

/* Whether r meets a box of layout or one of labels (HsRect) */
static gboolean
meets_a_box (HsLayout     *layout,
             GArray       *labels,
             const HsRect *r)
{
  const HsLayoutBox *boxes;
  guint n_boxes;

  for (guint i = 0; i < labels->len; i++)
    if (meets (r, &g_array_index (labels, HsRect, i)))
      return TRUE;
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    {
      if (boxes[b].alpha > 0 && meets (r, &boxes[b].rect))
        return TRUE;
    }
  return FALSE;
}

/* Where an arrow's "×count", width × height, goes: beside its head, on
 * the side the arrow comes from, so that it never lies inside the box
 * the arrow enters (it had covered that box's refcount line).  Where
 * that meets a box of layout, as between two boxes of a column, which
 * may stand only 14 apart, or another label (labels, HsRect), it moves
 * back along the arrow, beside the first end of a curve where it meets
 * none; it is added to labels. */
static void
times_rect (HsLayout           *layout,
            GArray             *labels,
            const HsLayoutEdge *edge,
            double              width,
            double              height,
            HsRect             *rect)
{
  g_assert (edge != NULL && rect != NULL);

  for (guint k = edge->n_curves; k > 0; k--)
    {
      const HsPoint *end = &edge->path[3 * k], *before = end - 1;
      double dx = end->x - before->x, dy = end->y - before->y;
      HsRect places[2];

      if (fabs (dx) >= fabs (dy))
        {
          /* across: above the line, or below it, behind the head */
          double behind = dx >= 0 ? end->x - HEAD_LENGTH - TIMES_GAP - width : end->x + HEAD_LENGTH + TIMES_GAP;

          places[0] = (HsRect) { behind, end->y - TIMES_GAP - height, width, height };
          places[1] = (HsRect) { behind, end->y + TIMES_GAP, width, height };
        }
      else
        {
          /* up or down: right of the head or left of it, no further from
           * the box than the head is */
          double top = dy >= 0 ? end->y - 1 - height : end->y + 1;

          places[0] = (HsRect) { end->x + TIMES_GAP, top, width, height };
          places[1] = (HsRect) { end->x - TIMES_GAP - width, top, width, height };
        }
      if (k == edge->n_curves)
        *rect = places[0];
      for (guint p = 0; p < G_N_ELEMENTS (places); p++)
        if (!meets_a_box (layout, labels, &places[p]))
          {
            *rect = places[p];
            g_array_append_val (labels, *rect);
            return;
          }
    }
  g_array_append_val (labels, *rect);
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
  edges = hs_layout_overlay_arrows_get_edges (box->route, &n_edges);
  for (guint e = 0; e < n_edges; e++)
    if (edges[e].source == box->source && edges[e].row == i)
      return &edges[e];
  return NULL;
}

/* Where box's arrows leave its top side, and their objects */
static HsLayoutOverlaySource
source_of (const HsHolderBox *box,
           HsPoint           *starts,
           guint32           *targets)
{
  for (guint i = 0; i < box->held->len; i++)
    {
      starts[i] = (HsPoint) { box->rect.x + box->rect.width * (i + 1) / (box->held->len + 1), box->rect.y };
      targets[i] = g_array_index (box->held, Held, i).ref;
    }
  return (HsLayoutOverlaySource) { box->rect, starts, targets, box->held->len };
}

/* Routes the arrows of all the boxes together, from their top sides
 * around the layout's boxes and each other to what they hold, the way
 * the pinned frame's are, in whole: all that is drawn, holders too */
static void
route_together (HsLayoutHolders *self,
                const HsRect    *whole)
{
  g_autofree HsLayoutOverlaySource *sources = g_new (HsLayoutOverlaySource, self->boxes->len + 1);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autofree HsRect *marks = g_new (HsRect, self->marks->len + 1);
  HsLayoutOverlayArrows *route;

  if (self->boxes->len == 0)
    return;
  for (guint b = 0; b < self->boxes->len; b++)
    {
      HsHolderBox *box = g_ptr_array_index (self->boxes, b);
      HsPoint *starts = g_new (HsPoint, box->held->len + 1);
      guint32 *targets = g_new (guint32, box->held->len + 1);

      g_ptr_array_add (owned, starts);
      g_ptr_array_add (owned, targets);
      sources[b] = source_of (box, starts, targets);
      box->source = b;
    }
  /* The marks are text to keep clear of */
  for (guint m = 0; m < self->marks->len; m++)
    marks[m] = g_array_index (self->marks, HsLayoutHolderMark, m).rect;
  route = hs_layout_overlay_arrows_new_from_boxes (self->layout, sources, self->boxes->len, marks, self->marks->len,
                                                   whole);
  g_ptr_array_add (self->routes, route);
  for (guint b = 0; b < self->boxes->len; b++)
    ((HsHolderBox *) g_ptr_array_index (self->boxes, b))->route = route;
}

/* Routes box's arrows alone, around the boxes near their way: in a
 * layout too large for all of them to be taken into account */
static void
route_apart (HsLayoutHolders *self,
             HsHolderBox     *box)
{
  g_autofree HsPoint *starts = g_new (HsPoint, box->held->len + 1);
  g_autofree guint32 *targets = g_new (guint32, box->held->len + 1);
  g_autofree HsRect *others = g_new (HsRect, self->boxes->len + self->marks->len);
  const HsLayoutBox *lboxes;
  guint n_others = 0, n_lboxes, n_near = 0;
  double x0 = box->rect.x, y0 = box->rect.y, x1 = x0 + box->rect.width, y1 = y0 + box->rect.height;
  HsLayoutOverlaySource source = source_of (box, starts, targets);
  HsRect region;

  for (guint i = 0; i < box->held->len; i++)
    {
      HsRect to;

      if (hs_layout_get_object_bounds (self->layout, targets[i], &to))
        {
          x0 = MIN (x0, to.x), y0 = MIN (y0, to.y);
          x1 = MAX (x1, to.x + to.width), y1 = MAX (y1, to.y + to.height);
        }
    }
  for (guint b = 0; b < self->boxes->len; b++)
    if (g_ptr_array_index (self->boxes, b) != box)
      others[n_others++] = ((HsHolderBox *) g_ptr_array_index (self->boxes, b))->rect;
  for (guint m = 0; m < self->marks->len; m++)
    others[n_others++] = g_array_index (self->marks, HsLayoutHolderMark, m).rect;
  /* The router runs its arrows along the sides of all the boxes it is
   * given, the other holders' too, and so may leave the way's
   * neighbourhood, past boxes it was not given */
  region = (HsRect) { x0 - ROW_GAP, y0 - ROW_GAP, x1 - x0 + 2 * ROW_GAP, y1 - y0 + 2 * ROW_GAP };
  lboxes = hs_layout_get_boxes (self->layout, &n_lboxes);
  for (guint i = 0; i < n_lboxes; i++)
    n_near += lboxes[i].rect.x < region.x + region.width && region.x < lboxes[i].rect.x + lboxes[i].rect.width &&
              lboxes[i].rect.y < region.y + region.height && region.y < lboxes[i].rect.y + lboxes[i].rect.height;
  if (n_near > MAX_ROUTED_BOXES)
    return;
  box->source = 0;
  box->route = hs_layout_overlay_arrows_new_from_boxes (self->layout, &source, 1, others, n_others, &region);
  g_ptr_array_add (self->routes, (gpointer) box->route);
}

/* box's arrows as routed, and their labels, clear of labels placed
 * before; what has no way around the boxes goes straight up into the
 * bottom of what it holds */
static void
lead_arrows (HsLayout    *layout,
             HsHolderBox *box,
             GArray      *labels)
{
  box->arrows = g_new0 (HsLayoutEdge, box->held->len);
  box->straight = g_new0 (HsPoint, 4 * box->held->len);
  for (guint i = 0; i < box->held->len; i++)
    {
      const HsLayoutEdge *routed = routed_arrow (box, i);
      HsLayoutEdge *e = &box->arrows[i];
      HsPoint *q = &box->straight[4 * i];
      guint32 target = g_array_index (box->held, Held, i).ref;
      HsRect to;

      if (routed != NULL)
        {
          *e = *routed;
          continue;
        }
      if (!hs_layout_get_object_bounds (layout, target, &to))
        continue;
      q[3] = (HsPoint) { to.x + to.width / 2, to.y + to.height };
      q[0] = (HsPoint) { CLAMP (q[3].x, box->rect.x + 8, box->rect.x + box->rect.width - 8), box->rect.y };
      q[1] = (HsPoint) { q[0].x, q[0].y - MAX (16, (q[0].y - q[3].y) / 3) };
      q[2] = (HsPoint) { q[3].x, q[3].y + MAX (16, (q[0].y - q[3].y) / 3) };
      *e = (HsLayoutEdge) { .source = G_MAXUINT, .row = i, .target = target, .target_box = G_MAXUINT,
                            .alpha = 0.8 };
      hs_layout_edge_set_curves (e, q, 4);
    }

  box->times = g_new0 (char *, box->held->len);
  box->times_rects = g_new0 (HsRect, box->held->len);
  for (guint i = 0; i < box->held->len; i++)
    {
      guint count = g_array_index (box->held, Held, i).count;

      if (count < 2 || box->arrows[i].n_curves == 0)
        continue;
      box->times[i] = hs_layout_holders_times_text (count);
      times_rect (layout, labels, &box->arrows[i], hs_layout_text_width (HS_LAYOUT_FONT_SMALL, box->times[i]),
                  hs_layout_text_height (HS_LAYOUT_FONT_SMALL), &box->times_rects[i]);
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
 * object once: see make_boxes()) */
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

static void
add_drawn (GHashTable *drawn,
           guint32     ref)
{
  gpointer key = GUINT_TO_POINTER (ref);

  g_assert (drawn != NULL);

  g_hash_table_insert (drawn, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (drawn, key)) + 1));
}

void
hs_layout_holders_free (HsLayoutHolders *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->boxes, g_ptr_array_unref);
  g_clear_pointer (&self->marks, g_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->drawn, g_hash_table_unref);
  g_clear_pointer (&self->routes, g_ptr_array_unref);
  g_clear_pointer (&self->layout, hs_layout_unref);
  g_free (self);
}

HsLayout *
hs_layout_holders_get_layout (const HsLayoutHolders *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->layout;
}

GPtrArray *
hs_layout_holders_get_boxes (const HsLayoutHolders *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->boxes;
}

const HsLayoutHolderMark *
hs_layout_holders_get_marks (const HsLayoutHolders *self,
                             guint                 *n_marks)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_marks != NULL, NULL);

  *n_marks = self->marks->len;
  return (const HsLayoutHolderMark *) self->marks->data;
}

void
hs_layout_holders_get_extent (const HsLayoutHolders *self,
                              double                *width,
                              double                *height)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (width != NULL && height != NULL);

  hs_layout_get_size (self->layout, width, height);
  for (guint b = 0; b < self->boxes->len; b++)
    {
      const HsHolderBox *box = g_ptr_array_index (self->boxes, b);

      *width = MAX (*width, box->rect.x + box->rect.width + MARGIN);
      *height = MAX (*height, box->rect.y + box->rect.height + MARGIN);
    }
}

guint
hs_layout_holders_count_held (const HsLayoutHolders *self,
                              guint32                ref)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint b = 0; b < self->boxes->len; b++)
    {
      const HsHolderBox *box = g_ptr_array_index (self->boxes, b);

      for (guint i = 0; i < box->held->len; i++)
        if (g_array_index (box->held, Held, i).ref == ref)
          n += g_array_index (box->held, Held, i).count;
    }
  return n;
}

gint64
hs_layout_holders_count_other (const HsLayoutHolders *self,
                               guint32                ref)
{
  const HsObject *object;
  guint drawn;

  g_return_val_if_fail (self != NULL, 0);

  object = hs_snapshot_lookup (hs_layout_get_snapshot (self->layout), ref);
  /* An immortal's count is a marker, not references to account for */
  if (object == NULL || (object->flags & HS_OBJECT_IMMORTAL) || object->refcount >= IMMORTAL_REFCOUNT_FLOOR)
    return 0;
  drawn = GPOINTER_TO_UINT (g_hash_table_lookup (self->drawn, GUINT_TO_POINTER (ref)));
  return object->refcount - (gint64) drawn - hs_layout_holders_count_held (self, ref);
}

/* The mark on an object: "+1,234 other", its count written as every
 * other count of the window is (hs_format_count()) */
char *
hs_layout_holders_other_text (gint64 other)
{
  g_autofree char *count = hs_format_count (other);

  /* Translators: on an object, how many references to it neither an
   * arrow nor a hidden holder's box accounts for; %s is a count, "1,234" */
  return g_strdup_printf (_("+%s other"), count);
}

char *
hs_layout_holders_times_text (guint count)
{
  g_autofree char *number = hs_format_count (count);

  return g_strdup_printf ("×%s", number);
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

const char *
hs_holder_box_get_subtitle (const HsHolderBox *box)
{
  g_return_val_if_fail (box != NULL, NULL);

  return box->subtitle;
}

HsEdgeKind
hs_holder_box_get_kind (const HsHolderBox *box)
{
  g_return_val_if_fail (box != NULL, HS_EDGE_HELD_MODULES);

  return box->kind;
}

const char * const *
hs_holder_box_get_holders (const HsHolderBox *box,
                           guint             *n)
{
  g_return_val_if_fail (box != NULL && n != NULL, NULL);

  *n = box->holders->len;
  return (const char * const *) box->holders->pdata;
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

const HsLayoutEdge *
hs_holder_box_get_arrow (const HsHolderBox *box,
                         guint              i)
{
  g_return_val_if_fail (box != NULL, NULL);
  g_return_val_if_fail (i < box->held->len, NULL);

  return box->arrows[i].n_curves > 0 ? &box->arrows[i] : NULL;
}

const char *
hs_holder_box_get_times (const HsHolderBox *box,
                         guint              i,
                         HsRect            *rect)
{
  g_return_val_if_fail (box != NULL, NULL);
  g_return_val_if_fail (i < box->held->len, NULL);

  if (rect != NULL && box->times[i] != NULL)
    *rect = box->times_rects[i];
  return box->times[i];
}

/* One box per holder the snapshot names, holding objects the layout
 * draws, in the order the runtime named them */
static void
make_boxes (HsLayoutHolders *self,
            double          *left)
{
  HsSnapshot *snapshot = hs_layout_get_snapshot (self->layout);
  HsLayout *layout = self->layout;
  GPtrArray *boxes = self->boxes;
  const HsHiddenRef *hidden;
  guint n_hidden;

  g_assert (self != NULL && left != NULL);

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
      *left = MIN (*left, bounds.x);
    }
  merge_module_globals (boxes);
}

/* Each box as near the middle of what it holds as the row allows.  The
 * rows wrap at the picture's width: a row running past it would widen
 * what the camera has to frame, and on a small screen leave boxes cut
 * at the view's edge. */
static void
place_rows (HsLayoutHolders *self,
            double           left)
{
  GPtrArray *boxes = self->boxes;
  double width, height, x = 0, y, row_height = 0, line_ui, line_small;

  g_assert (self != NULL);

  hs_layout_get_size (self->layout, &width, &height);
  line_ui = hs_layout_text_height (HS_LAYOUT_FONT_UI);
  line_small = hs_layout_text_height (HS_LAYOUT_FONT_SMALL);
  for (guint b = 0; b < boxes->len; b++)
    {
      HsHolderBox *box = g_ptr_array_index (boxes, b);

      box->want_x /= box->held->len;
      box->rect.width = 2 * HS_LAYOUT_HOLDER_PAD + MAX (hs_layout_text_width (HS_LAYOUT_FONT_UI, box->title),
                                                        hs_layout_text_width (HS_LAYOUT_FONT_SMALL, box->subtitle));
      box->rect.height = 2 * HS_LAYOUT_HOLDER_PAD + line_ui + line_small;
    }

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
}

/* How many references the snapshot draws to each object, counted as the
 * inspector's refcount breakdown counts them (hs-describe.c): every
 * variable, every slot, and the return value's row */
static void
count_drawn (HsLayoutHolders *self)
{
  HsSnapshot *snapshot = hs_layout_get_snapshot (self->layout);
  const HsFrame *frames;
  const HsObject *objects;
  guint n_frames, n_objects;
  guint32 returned;

  g_assert (self != NULL);

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  for (guint i = 0; i < n_frames; i++)
    for (guint j = 0; j < frames[i].n_vars; j++)
      add_drawn (self->drawn, frames[i].vars[j].ref);
  objects = hs_snapshot_get_objects (snapshot, &n_objects);
  for (guint i = 0; i < n_objects; i++)
    for (guint j = 0; j < objects[i].n_edges; j++)
      add_drawn (self->drawn, objects[i].edges[j].target);
  /* CPython takes a returned constant's reference only after the return
   * event: its row is drawn, but counts none */
  returned = hs_snapshot_get_return_ref (snapshot);
  if (returned != 0 && n_frames > 0 &&
      (hs_snapshot_get_yielded (snapshot) || !hs_snapshot_get_return_borrowed (snapshot)))
    add_drawn (self->drawn, returned);
}

/* The "+N other" marks, over the object boxes' top right corners */
static void
mark_others (HsLayoutHolders *self)
{
  const HsLayoutBox *lboxes;
  guint n_lboxes;

  g_assert (self != NULL);

  lboxes = hs_layout_get_boxes (self->layout, &n_lboxes);
  for (guint i = 0; i < n_lboxes; i++)
    {
      g_autofree char *text = NULL;
      HsLayoutHolderMark mark = { 0 };

      if (lboxes[i].kind != HS_LAYOUT_BOX_OBJECT ||
          (mark.count = hs_layout_holders_count_other (self, lboxes[i].ref)) <= 0)
        continue;
      text = hs_layout_holders_other_text (mark.count);
      mark.ref = lboxes[i].ref;
      mark.text = g_string_chunk_insert (self->strings, text);
      mark.alpha = lboxes[i].alpha;
      other_rect (&lboxes[i], text, &mark.rect);
      g_array_append_val (self->marks, mark);
    }
}

HsLayoutHolders *
hs_layout_holders_new (HsLayout *layout)
{
  g_autoptr(HsLayoutHolders) self = NULL;
  g_autoptr(GArray) labels = NULL;
  double left = G_MAXDOUBLE;
  guint n_lboxes;
  HsRect whole = { 0 };

  g_return_val_if_fail (layout != NULL, NULL);

  self = g_new0 (HsLayoutHolders, 1);
  self->layout = hs_layout_ref (layout);
  self->boxes = g_ptr_array_new_with_free_func (holder_box_free);
  self->marks = g_array_new (FALSE, FALSE, sizeof (HsLayoutHolderMark));
  self->strings = g_string_chunk_new (256);
  self->drawn = g_hash_table_new (NULL, NULL);
  self->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_layout_overlay_arrows_free);

  make_boxes (self, &left);
  count_drawn (self);
  /* Measured in a draw scope of the layout's text: the boxes' own text
   * is shaped on this thread, not under the lock */
  hs_layout_text_begin_draw (hs_layout_get_text (layout));
  place_rows (self, left);
  mark_others (self);
  /* Where the layout has few enough boxes, the router is given them
   * all, the picture and the holders' rows under it, and routes every
   * holder's arrows together */
  hs_layout_get_boxes (layout, &n_lboxes);
  if (n_lboxes <= MAX_ROUTED_BOXES)
    {
      double width, height, bottom;

      hs_layout_get_size (layout, &width, &height);
      bottom = height;
      for (guint b = 0; b < self->boxes->len; b++)
        {
          const HsRect *r = &((HsHolderBox *) g_ptr_array_index (self->boxes, b))->rect;

          width = MAX (width, r->x + r->width);
          bottom = MAX (bottom, r->y + r->height);
        }
      whole = (HsRect) { -ROW_GAP, -ROW_GAP, width + 2 * ROW_GAP, bottom + 2 * ROW_GAP };
      route_together (self, &whole);
    }
  else
    for (guint b = 0; b < self->boxes->len; b++)
      route_apart (self, g_ptr_array_index (self->boxes, b));
  labels = g_array_new (FALSE, FALSE, sizeof (HsRect));
  for (guint b = 0; b < self->boxes->len; b++)
    lead_arrows (layout, g_ptr_array_index (self->boxes, b), labels);
  hs_layout_text_end_draw ();
  return g_steal_pointer (&self);
}
