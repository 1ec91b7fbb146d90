/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A laid-out step's graph exported as Graphviz DOT, and the picture dot
 * draws of it read back, so that both pictures can be measured alike.
 *
 * The export shows what the layout shows: the same frames, containers and
 * rows (elided containers stay elided).  Frames and containers are record
 * nodes, one field a row, with a port on each slot so that an arrow starts
 * at its slot; rankdir=LR, frames in the leftmost rank.  Scalars (None,
 * bool, int, float, complex, str, bytes) are written into the field of
 * the slot that refers to them, with no node and no arrow, unless
 * every_object is set: then they are nodes with arrows, as the layout
 * draws every object today.
 */
#pragma once

#include "bench-crossings.h"
#include "hs-layout.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean every_object;
  double   font_size;      /* of every label, in points: one point is one layout unit */
  guint    max_value_chars; /* longer values are elided with "…" */
} BenchDotOptions;

typedef struct
{
  double  left;            /* dot's bounding box, in points, y upwards */
  double  top;
  double  width;
  double  height;
  guint   n_nodes;
  double  smallest_text;   /* the smallest font dot draws any text in, in points */
  GArray *boxes;           /* BenchRect, by dot's _gvid (subgraphs are empty) */
  GPtrArray *names;        /* each box's node name (bench_dot_node_name ()), by _gvid */
  GArray *paths;           /* BenchPath: each visible arrow's spline, flattened */
} BenchDotPicture;

void             bench_dot_options_init      (BenchDotOptions       *options);
gboolean         bench_dot_is_scalar         (const HsObject        *object);
/* The frames and distinct objects the layout's picture shows, as boxes
 * or as values in slots: the same number whichever way scalars are drawn */
guint            bench_dot_count_objects     (HsLayout              *layout);
/* The node a box is in the export: the same name at every step the
 * object lives, so that pictures of two steps can be compared */
char            *bench_dot_node_name         (const HsLayoutBox     *box);
/* Pairs of our layout's arrows that cross, counted as dot's are */
guint            bench_dot_count_layout_crossings (HsLayout         *layout);
char            *bench_dot_export            (HsLayout              *layout,
                                              const BenchDotOptions *options);
/* Runs `dot_program -Tjson` on the text and reads its picture */
BenchDotPicture *bench_dot_layout            (const char            *dot_program,
                                              const char            *dot_text,
                                              GError               **error);
BenchDotPicture *bench_dot_picture_read_json (const char            *json,
                                              gssize                 length,
                                              GError               **error);
void             bench_dot_picture_free      (BenchDotPicture       *picture);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchDotPicture, bench_dot_picture_free)

G_END_DECLS
