/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-graph-view"

#include "config.h"

#include <glib/gi18n.h>

#include "hs-graph-view-private.h"

/*
 * "Show hidden holders" in the view: the holder boxes are laid out in
 * src/layout (hs-layout-holders.c) and drawn by the renderer with the
 * picture; the view keeps them for the layouts it draws, and answers
 * what the pointer is over.  The layout's thread places those of each
 * step while they are shown; they are placed here, on the main thread,
 * only when the toggle turns on and for the layouts between two steps
 * while the picture moves, bounded by the layout's MAX_ROUTED_BOXES.
 */

HsLayoutHolders *
hs_graph_view_get_holders (HsGraphView *self,
                           HsLayout    *layout)
{
  HsLayoutHolders **slot;

  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self), NULL);

  if (!self->show_hidden || layout == NULL)
    return NULL;
  /* A layout between two steps must not drop the step's own */
  slot = layout == self->layout ? &self->holders : &self->holders_drawn;
  if (*slot == NULL || hs_layout_holders_get_layout (*slot) != layout)
    {
      g_clear_pointer (slot, hs_layout_holders_free);
      *slot = hs_layout_holders_new (layout);
    }
  return *slot;
}

GPtrArray *
hs_graph_view_holders_get (HsGraphView *self,
                           HsLayout    *layout)
{
  HsLayoutHolders *holders = hs_graph_view_get_holders (self, layout);

  return holders != NULL ? hs_layout_holders_get_boxes (holders) : NULL;
}

void
hs_graph_view_get_extent (HsGraphView *self,
                          HsLayout    *layout,
                          double      *width,
                          double      *height)
{
  HsLayoutHolders *holders;

  g_return_if_fail (HS_IS_GRAPH_VIEW (self));
  g_return_if_fail (layout != NULL && width != NULL && height != NULL);

  if ((holders = hs_graph_view_get_holders (self, layout)) != NULL)
    hs_layout_holders_get_extent (holders, width, height);
  else
    hs_layout_get_size (layout, width, height);
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
      HsRect rect;

      hs_holder_box_get_title (box, &rect);
      if (lx >= rect.x && lx <= rect.x + rect.width && ly >= rect.y && ly <= rect.y + rect.height)
        return box;
    }
  return NULL;
}

/* The object whose "+N other" mark is at (lx, ly), and N; 0 for none. */
guint32
hs_graph_view_holders_hit_other (HsGraphView *self,
                                 double       lx,
                                 double       ly,
                                 gint64      *other)
{
  HsLayoutHolders *holders;
  const HsLayoutHolderMark *marks;
  guint n_marks;

  g_return_val_if_fail (HS_IS_GRAPH_VIEW (self) && other != NULL, 0);

  if ((holders = hs_graph_view_get_holders (self, self->layout)) == NULL)
    return 0;
  marks = hs_layout_holders_get_marks (holders, &n_marks);
  for (guint i = 0; i < n_marks; i++)
    {
      const HsRect *r = &marks[i].rect;

      if (lx >= r->x && lx <= r->x + r->width && ly >= r->y && ly <= r->y + r->height)
        {
          *other = marks[i].count;
          return marks[i].ref;
        }
    }
  return 0;
}

/* The names of box's holders, "codecs, os, site" */
static char *
holder_names (const HsHolderBox *box)
{
  guint n;
  const char * const *names = hs_holder_box_get_holders (box, &n);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (list, (gpointer) names[i]);
  g_ptr_array_add (list, NULL);
  return g_strjoinv (", ", (char **) list->pdata);
}

/* A holder box's tooltip: what it is, and why it keeps objects alive. */
char *
hs_holder_box_describe (const HsHolderBox *box)
{
  const char *holder;
  guint n_holders;

  g_return_val_if_fail (box != NULL, NULL);

  holder = hs_holder_box_get_holders (box, &n_holders)[0];
  switch (hs_holder_box_get_kind (box))
    {
    case HS_EDGE_HELD_CONSTANT:
      return g_strdup_printf (_("The code of %s keeps its literals in a tuple of constants, co_consts: "
                                "they stay alive as long as the code does, whatever the names do."),
                              holder);
    case HS_EDGE_HELD_NAME:
      return g_strdup_printf (_("The code of %s keeps the names it uses as strings: "
                                "they stay alive as long as the code does."), holder);
    case HS_EDGE_HELD_STACK:
      return g_strdup_printf (_("The value stack of %s holds values while a line computes with them: "
                                "a for loop's iterator, arguments being passed."), holder);
    case HS_EDGE_HELD_ARENA:
      return g_strdup (_("CPython's parser keeps what it read of a script in an arena until the script ends: "
                         "that is why getrefcount() of a literal reads one more in a script than after compile()."));
    case HS_EDGE_HELD_FUNCTIONS:
      return g_strdup_printf (_("Each built-in function of the module %s keeps a reference to the module "
                                "in __self__, so its functions count in its refcount."), holder);
    case HS_EDGE_HELD_GLOBAL:
      if (n_holders > 1)
        {
          g_autofree char *names = holder_names (box);

          /* Translators: %s names the modules, "codecs, os, site" */
          return g_strdup_printf (_("The modules %s keep their globals in dicts, names and values: "
                                    "they stay alive as long as the modules do, whatever the program's names do."),
                                  names);
        }
      return g_strdup_printf (_("The module %s keeps its globals in a dict, names and values: "
                                "they stay alive as long as the module does, whatever the program's names do."),
                              holder);
    case HS_EDGE_HELD_DICT:
      return g_strdup_printf (_("The module %s keeps its globals in this dict, its __dict__."), holder);
    case HS_EDGE_HELD_FRAME:
      return g_strdup_printf (_("While %s runs, its frame keeps a reference to the function it runs: "
                                "the function reads one more during its call."), holder);
    case HS_EDGE_HELD_MRO:
      return g_strdup_printf (_("The method resolution order of %s, its __mro__, is a tuple that begins "
                                "with the class itself."), holder);
    case HS_EDGE_HELD_DESCRIPTORS:
      return g_strdup_printf (_("CPython puts descriptors for the __dict__ and __weakref__ attributes "
                                "(or the __slots__) in the __dict__ of %s; each keeps a reference to the class."),
                              holder);
    case HS_EDGE_HELD_INSTANCES:
      return g_strdup_printf (_("Every object of the class %s keeps a reference to its class, its __class__, "
                                "including those the graph does not show."), holder);
    case HS_EDGE_HELD_INTERPRETER:
      return g_strdup (_("The interpreter keeps its own reference to the dict of imported modules, "
                         "besides the name modules in the sys module."));
    case HS_EDGE_HELD_MODULE_COPY:
      return g_strdup_printf (_("CPython copied the dict of %s when the module was first set up, to set it up "
                                "again later: a copy still holds what the dict held then."), holder);
    case HS_EDGE_HELD_ITERATOR:
      return g_strdup_printf (_("A for loop in %s keeps its iterator on the value stack until the loop ends; "
                                "the iterator holds what it iterates over, and a generator its function "
                                "and its local variables."), holder);
    case HS_EDGE_HELD_INIT:
      return g_strdup_printf (_("Calling a class makes the object, then runs %s on it: the call keeps a reference "
                                "to the new object until __init__ returns, then hands it to the caller."),
                              holder);
    case HS_EDGE_HELD_SUBCLASSES:
      return g_strdup_printf (_("A class made from %s keeps it in __bases__ and as __base__, and every class "
                                "below it keeps it in its __mro__, the order in which attributes are looked up."),
                              holder);
    case HS_EDGE_HELD_INIT_ARGUMENTS:
      return g_strdup_printf (_("Calling a class packs its arguments in a tuple, and keyword arguments in a dict, "
                                "to pass them to %s; with keywords it also passes each argument on in an array. "
                                "These hold each argument until __init__ returns."),
                              holder);
    case HS_EDGE_HELD_CLASS_CELL:
      return g_strdup_printf (_("The methods of %s that call super() share one cell, __class__, in their "
                                "closures: super() reads the class from it, and the cell keeps a reference to it."),
                              holder);
    case HS_EDGE_HELD_CLASS_DICT:
      return g_strdup_printf (_("The class %s keeps its attributes and methods in its __dict__, shared by every "
                                "instance. The class's box draws its data attributes; this box stands for the "
                                "rest: its methods and the names that begin with an underscore."),
                              holder);
    case HS_EDGE_HELD_DEFAULTS:
      return g_strdup_printf (_("def made the default values of %s once and keeps them in its __defaults__: "
                                "every call that leaves the argument out gets this same object, so a list "
                                "default keeps what earlier calls put in it."),
                              holder);
    case HS_EDGE_HELD_EXCEPTION:
      return g_strdup (_("While an except or finally block runs, Python keeps the exception it handles, "
                         "which sys.exception() returns, until the block ends."));
    case HS_EDGE_HELD_TRACEBACK:
      return g_strdup_printf (_("The call of %s has ended, but an exception raised through it keeps its "
                                "frame in its __traceback__, and the frame keeps its variables and its "
                                "function alive until the exception goes."),
                              holder);
    case HS_EDGE_HELD_FINALIZER:
      return g_strdup_printf (_("The object's last reference went, or the gc found it unreachable, so CPython "
                                "calls %s, its finalizer, and keeps the object alive with a reference of its "
                                "own until the call returns: __del__ can even store self somewhere and so "
                                "save the object."),
                              holder);
    case HS_EDGE_HELD_MODULE_INDEX:
      return g_strdup (_("The interpreter keeps the modules whose C code set them up the old way, such as sys "
                         "and builtins, in a list of its own, so that their C code can find them again "
                         "(PyState_FindModule())."));
    case HS_EDGE_HELD_MODULES:
    default:
      return g_strdup (_("sys.modules holds every imported module, so a second import finds it."));
    }
}
