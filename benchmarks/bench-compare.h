/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The order the benchmarks sort their timings in, shared by bench-render
 * and bench-trace.
 */

#pragma once

#include <glib.h>

/* For qsort() and g_array_sort() over doubles, smallest first */
static inline int
bench_compare_doubles (gconstpointer a,
                       gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}
