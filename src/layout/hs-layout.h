/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The reference graph of one step, laid out: a column of frames on the
 * left, objects to the right of whoever first references them, cyclic
 * garbage in a zone of its own below, and the objects freed at this step as
 * ghosts.  A layout is immutable and shared by reference; give the
 * previous step's layout to hs_layout_new() and every object that survives
 * keeps its place.
 *
 * The scene is public, read-only data, so that the renderer (or anything
 * else) can draw it without knowing how it was computed.  All coordinates
 * are in layout units, one unit being one pixel at scale 1.
 */
#pragma once

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "hs-snapshot.h"
#include "hs-layout-text.h"

G_BEGIN_DECLS

#define HS_TYPE_LAYOUT (hs_layout_get_type ())

typedef struct _HsLayout HsLayout;

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} HsRect;

typedef struct
{
  double x;
  double y;
} HsPoint;

typedef enum
{
  HS_LAYOUT_HIT_NOTHING,
  HS_LAYOUT_HIT_OBJECT,
  HS_LAYOUT_HIT_VARIABLE,
} HsLayoutHit;

typedef enum
{
  HS_LAYOUT_BOX_FRAME,
  HS_LAYOUT_BOX_OBJECT,
  HS_LAYOUT_BOX_GHOST,     /* freed at this step */
} HsLayoutBoxKind;

typedef enum
{
  HS_LAYOUT_SHAPE_FRAME,
  HS_LAYOUT_SHAPE_VALUE,     /* int, str, float, None ...: a value box */
  HS_LAYOUT_SHAPE_SEQUENCE,  /* list, tuple: indexed cells */
  HS_LAYOUT_SHAPE_MAPPING,   /* dict: key/value rows */
  HS_LAYOUT_SHAPE_SET,       /* set, frozenset: member cells */
  HS_LAYOUT_SHAPE_INSTANCE,  /* attribute slots, titled by class */
  HS_LAYOUT_SHAPE_COMPACT,   /* function, class, module, cell, method ... */
} HsLayoutShape;

typedef enum
{
  HS_LAYOUT_ROW_SLOT,      /* one reference: label, then a slot */
  HS_LAYOUT_ROW_PAIR,      /* a dict entry: key slot and value slot */
  HS_LAYOUT_ROW_ELISION,   /* "… 9,990 more" */
} HsLayoutRowKind;

typedef struct
{
  HsLayoutRowKind kind;
  const char     *label;      /* index, attribute or variable name; may be NULL */
  /* What a row says of its object, drawn in place of its label: a dict
   * entry's key, a set's member, by the repr the runtime recorded,
   * ellipsized to end short of the slot; NULL for other rows */
  const char     *value;
  /* Object rows: the name the runtime gave the row's references, its
   * edge's label or else its kind, which hs_render_marks_lookup() matches:
   * a dict entry's position, shared by its key and value edges, where
   * label is NULL (several entries may point at one object, and only the
   * entry the line set is marked).  NULL for frames and elisions */
  const char     *edge_label;
  guint32         target;     /* the value slot's object, 0 for none */
  guint32         key_target; /* PAIR rows: the key's object */
  double          x;          /* left, relative to the box: 0 but in a box of cells across */
  double          y;          /* top, relative to the box */
  double          width;      /* the box's, but in a box of cells across */
  double          height;
  double          slot_x;     /* slot centres, relative to the box */
  double          key_slot_x;
  gboolean        rebound;    /* frames: the name points elsewhere than at the previous step,
                               * or the row is the return value (at the return) */
  /* The value of a scalar the row holds, drawn inside its slot with no
   * box and no arrow (values in their slots), cut short to fit; NULL
   * for a row whose target has a box.  target still names the object,
   * for hit tests, identity and the inspector. */
  const char     *inline_value;
  /* A scalar key drawn as the row's label (value), with no key slot:
   * its object, for hit tests and identity; 0 for none */
  guint32         key_ref;
  double          slot_width; /* of the row's slots, centred on slot_x (and key_slot_x) */
  double          slot_y;     /* slot centres' y, relative to the box: a PAIR row */
  double          key_slot_y; /* stacks its key slot above its value slot */
  /* ELISION rows: how many entries the row stands for, how many of those
   * the snapshot holds (HsLayoutOptions.more_cells can draw them), and
   * for the rest, which the runtime's element cap left out, the cap a
   * run needs to record them all (0 when more_cap_limit allows none) */
  guint64         hidden;
  guint64         held;
  guint           rerun_cap;
} HsLayoutRow;

/* The width of a slot that holds an arrow's start: the narrowest slot */
#define HS_LAYOUT_SLOT_WIDTH 30.0

/* A ghost's alpha once it stands where its object was */
#define HS_LAYOUT_GHOST_ALPHA 0.45

typedef struct
{
  HsLayoutBoxKind  kind;
  HsLayoutShape    shape;
  guint32          ref;       /* the object's ref; frames: 0 */
  guint            frame;     /* frames: the index, outermost first */
  HsRect           rect;
  double           alpha;     /* below 1 while fading in or out */
  const char      *title;     /* type, class or "function (line 7)" */
  const char      *value;     /* value boxes, compact nodes and ghosts: the repr, drawn in monospace */
  const char      *facts;     /* "refcount 3, 2 shown" */
  gboolean         facts_below; /* on a line of their own, not after the title */
  const char      *marks;     /* "mutable · gc gen 0" */
  const char      *note;      /* ghosts: "freed at line 7 (refcount 0)" */
  guint32          flags;     /* HsObjectFlags */
  guint32          changes;   /* HsChangeFlags */
  gboolean         garbage;   /* alive but unreachable */
  gboolean         beside_zone; /* a value that only garbage references, beside the garbage zone */
  gboolean         current;   /* frames: the innermost frame */
  gboolean         across;    /* its rows stand side by side, in lines: a sequence of values */
  gboolean         flat;      /* across, its one line of cells on the title's line: all header */
  double           flat_width, flat_height; /* its size flat, or 0 where it cannot be */
  double           header_height;
  double           reserved_height; /* rect.height plus room kept free below for growth */
  guint            column;
  gint64           parent;    /* the box whose slot places it: an object's ref, -1 - a frame's index, 0: none */
  guint            n_rows;
  const HsLayoutRow *rows;
} HsLayoutBox;

typedef struct
{
  guint       source;       /* index of the box the arrow starts from */
  guint       row;          /* its row */
  gboolean    from_key;     /* PAIR rows: starts from the key slot */
  gboolean    from_frame;   /* a variable, not an object's reference */
  HsEdgeKind  kind;         /* meaningless when from_frame */
  guint32     target;       /* the target object's ref */
  guint       target_box;
  gboolean    back;         /* goes leftward: drawn around the side */
  double      alpha;
  /* The start, the first curve's first control, the last curve's last
   * control and the end: the tangents at both ends (the arrowhead's) */
  double      x[4];
  double      y[4];
  /* The whole path: cubic Béziers one after another, each starting where
   * the one before ends; 1 + 3 * n_curves points (the start, then each
   * curve's two controls and its end).  An arrow routed around boxes
   * has several; most have one, and then path holds x[] and y[]. */
  guint          n_curves;
  const HsPoint *path;
} HsLayoutEdge;

/* The garbage zone's title, measured here and drawn by the renderer */
#define HS_LAYOUT_GARBAGE_LABEL _("Garbage: unreachable cycles, alive until gc runs")

typedef struct
{
  guint max_cells;        /* leading cells of a container shown before eliding (10) */
  guint tail_cells;       /* trailing cells shown after the elision (3) */
  /* Containers the user asked to see more of: ref -> how many leading
   * entries to show beyond max_cells (GUINT_TO_POINTER), or NULL.  A
   * layout thread reads it: never change a table once it is handed over. */
  GHashTable *more_cells;
  /* The largest element cap a run may be asked for: an elision that
   * stands only for what the runtime left out offers a run with a cap
   * up to this.  0 (the default) offers none. */
  guint max_element_cap;
  /* The cap a run records with now: a run is offered only with a
   * higher one.  0: unknown, then only with more than was recorded. */
  guint element_cap;
  /* The snapshot of the step before this one, or NULL: what the line
   * freed of what stood there leaves a ghost, and what it made and freed
   * itself (its temporaries) does not, also after a jump, when the
   * previous layout shows another step.  Read only during
   * hs_layout_new(). */
  HsSnapshot *step_before;
  /* The refs of the objects that gain entries in the trace, each to 1 +
   * the last step it gains them at (hs_trace_ref_growing()): only their
   * boxes keep room to grow into, until that step.  NULL: not known, and
   * every mutable container keeps it.  A layout thread reads it: never
   * change a table once it is handed over. */
  GHashTable *growing;
  /* Cancelled when the layout is no longer wanted (the view moved on to
   * another step): hs_layout_new() then stops between phases and
   * returns NULL.  NULL: never. */
  GCancellable *cancellable;
  /* Draw every object as a box, scalars too, each reference an arrow
   * (Show Every Object).  FALSE (the default): an immutable scalar
   * (None, bool, int, float, complex, str, bytes) is drawn inside each
   * slot that holds it, with no box and no arrow, unless it is in
   * `boxed`. */
  gboolean every_object;
  /* The scalars that are the subject and stay boxes with their arrows
   * (selected, watched, named by the lesson's note): ref -> anything,
   * or NULL.  A layout thread reads it: never change a table once it is
   * handed over. */
  GHashTable *boxed;
} HsLayoutOptions;

void              hs_layout_options_init      (HsLayoutOptions       *options);
/* Whether the box of container o, laid out with options, leaves the
 * entry that refers to ref out behind its "… N more"; *entry is then
 * that entry's position, counted as the box counts entries (a key and
 * its value are one) */
gboolean          hs_layout_entry_hidden      (const HsObject        *o,
                                               guint32                ref,
                                               const HsLayoutOptions *options,
                                               guint                 *entry);

/* The width of a box's first line: its title, then its facts */
double            hs_layout_title_line_width  (const HsLayoutBox     *box);

/* Whether o is drawn inside the slots that hold it, with options */
gboolean          hs_layout_draws_inline      (const HsObject        *o,
                                               const HsLayoutOptions *options);

GType             hs_layout_get_type          (void) G_GNUC_CONST;
HsLayout         *hs_layout_new               (HsSnapshot            *snapshot,
                                               HsLayout              *previous,
                                               const HsLayoutOptions *options);
HsLayout         *hs_layout_ref               (HsLayout              *self);
void              hs_layout_unref             (HsLayout              *self);

/* The layout between two steps' layouts at time t in [0, 1]: objects in
 * both glide, new ones fade in, freed ones fade out where they were. */
HsLayout         *hs_layout_interpolate       (HsLayout              *from,
                                               HsLayout              *to,
                                               double                 t);

HsSnapshot       *hs_layout_get_snapshot      (HsLayout              *self);
/* Every text of the layout's boxes, shaped: draw with it inside
 * hs_layout_text_begin_draw(), without the lock. */
HsLayoutTextSet  *hs_layout_get_text          (HsLayout              *self);
void              hs_layout_get_size          (HsLayout              *self,
                                               double                *width,
                                               double                *height);

/*
 * Returns the ref of the object at (x, y), or for a variable's slot the
 * ref of the object it names; 0 and HS_LAYOUT_HIT_NOTHING elsewhere.
 * hs_layout_hit_test_variable() also says which variable.
 */
guint32           hs_layout_hit_test          (HsLayout              *self,
                                               double                 x,
                                               double                 y,
                                               HsLayoutHit           *kind);
guint32           hs_layout_hit_test_variable (HsLayout              *self,
                                               double                 x,
                                               double                 y,
                                               HsLayoutHit           *kind,
                                               guint                 *frame,
                                               const char           **name);
gboolean          hs_layout_get_object_bounds (HsLayout              *self,
                                               guint32                ref,
                                               HsRect                *out);
/* The live object's box, or NULL when it is not drawn */
const HsLayoutBox *hs_layout_get_object_box   (HsLayout              *self,
                                               guint32                ref);
/* The box at (x, y) and, in *row, which of its rows is there (or
 * G_MAXUINT for its header); NULL outside every live box.  A click on an
 * HS_LAYOUT_ROW_ELISION row asks to see more of that container. */
const HsLayoutBox *hs_layout_hit_test_row     (HsLayout              *self,
                                               double                 x,
                                               double                 y,
                                               guint                 *row);

const HsLayoutBox  *hs_layout_get_boxes       (HsLayout              *self,
                                               guint                 *n_boxes);
const HsLayoutEdge *hs_layout_get_edges       (HsLayout              *self,
                                               guint                 *n_edges);
/* The garbage zone's rectangle; FALSE when there is no garbage. */
gboolean          hs_layout_get_garbage_zone  (HsLayout              *self,
                                               HsRect                *out);
/* Where the garbage zone's title stands, on a patch of its own, which
 * is drawn over the arrows; FALSE when there is no garbage. */
gboolean          hs_layout_get_garbage_title (HsLayout              *self,
                                               HsRect                *out);

/* Sorts an array of doubles (levels, positions) and drops each that
 * lies within tolerance of the one before it: the router's search grid
 * lines and the camera's candidate positions */
void              hs_layout_sort_unique       (GArray                *values,
                                               double                 tolerance);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsLayout, hs_layout_unref)

G_END_DECLS
