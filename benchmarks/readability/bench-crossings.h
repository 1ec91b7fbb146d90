/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Counts the pairs of arrows that cross in a picture, whoever drew it: our
 * layout or Graphviz dot.  Each arrow is a polyline (cubic Béziers are
 * flattened into BENCH_CURVE_SEGMENTS segments each) between two boxes.
 * A pair counts once however often its arrows meet.  Arrows that share an
 * end box do not count for meeting there: two arrows into one box, or out
 * of one box's slots, meet at it by construction.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BENCH_CURVE_SEGMENTS 16

typedef struct
{
  double x;
  double y;
} BenchPoint;

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} BenchRect;

typedef struct
{
  guint   source;     /* the end boxes, indices into the boxes counted with */
  guint   target;
  GArray *points;     /* BenchPoint: the polyline; a NAN point breaks it into pieces */
} BenchPath;

void  bench_path_init          (BenchPath        *path,
                                guint             source,
                                guint             target);
void  bench_path_clear         (BenchPath        *path);
/* Appends the cubic Bézier p0 (c1, c2) p3 as a polyline: its first point
 * only when the path does not already end there */
void  bench_path_add_cubic     (BenchPath        *path,
                                BenchPoint        p0,
                                BenchPoint        c1,
                                BenchPoint        c2,
                                BenchPoint        p3);
void  bench_path_add_point     (BenchPath        *path,
                                BenchPoint        p);
/* Ends the current piece: the next point starts another */
void  bench_path_break         (BenchPath        *path);

/* How many pairs of paths meet at least once, not counting where two
 * paths that share an end box meet inside it */
guint bench_count_crossings    (const BenchPath  *paths,
                                guint             n_paths,
                                const BenchRect  *boxes,
                                guint             n_boxes);

G_END_DECLS
