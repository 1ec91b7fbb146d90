/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test-layout-compact"

#include "config.h"

#include <math.h>

#include "hs-layout-private.h"
#include "render-test-util.h"

/*
 * Compaction (hs-layout-compact.c) closes the empty bands freed objects
 * leave.  The garbage zone keeps its gap and title above its top row;
 * its rows below close up as any boxes' rows do.
 */

/* Lays the garbage boxes a and b of layout out in one column, b
 * `apart` below a, and a the zone's head below every other box; with
 * `garbage` FALSE, a and b count as reachable boxes.  Compacts, and
 * returns the gap left between a and b. */
static double
gap_after_compaction (HsLayout *layout,
                      guint     a,
                      guint     b,
                      double    apart,
                      gboolean  garbage)
{
  g_autoptr(GHashTable) placed = g_hash_table_new (NULL, NULL);
  HsLayoutBox *ba = &g_array_index (layout->boxes, HsLayoutBox, a);
  HsLayoutBox *bb = &g_array_index (layout->boxes, HsLayoutBox, b);
  double bottom = 0;

  for (guint i = 0; i < layout->boxes->len; i++)
    {
      const HsLayoutBox *box = &g_array_index (layout->boxes, HsLayoutBox, i);

      g_hash_table_add (placed, GUINT_TO_POINTER (i));
      if (i != a && i != b)
        bottom = MAX (bottom, box->rect.y + MAX (box->rect.height, box->reserved_height));
    }
  ba->garbage = bb->garbage = garbage;
  ba->rect.y = bottom + hs_layout_garbage_head ();
  bb->rect.x = ba->rect.x;
  bb->rect.y = ba->rect.y + MAX (ba->rect.height, ba->reserved_height) + apart;

  hs_layout_compact (layout, placed);

  /* Whatever else moved, the zone keeps its head above its top row */
  if (garbage)
    {
      double above = G_MAXDOUBLE;

      for (guint i = 0; i < layout->boxes->len; i++)
        {
          const HsLayoutBox *box = &g_array_index (layout->boxes, HsLayoutBox, i);

          if (i != a && i != b)
            above = MIN (above, ba->rect.y - (box->rect.y + MAX (box->rect.height, box->reserved_height)));
        }
      g_assert_cmpfloat (above, >=, hs_layout_garbage_head () - 0.001);
    }
  return bb->rect.y - (ba->rect.y + MAX (ba->rect.height, ba->reserved_height));
}

/* Two rows of garbage, 150 units apart, close up to the gap two rows of
 * reachable boxes close up to: the zone's title stands above the top row
 * only (compaction kept it above every garbage box, and the rows of the
 * zone stayed the title's height, about 80 units, further apart) */
static void
test_garbage_rows (RenderFixture *fixture,
                   gconstpointer  data)
{
  HsLayout *layout = NULL;
  guint a = G_MAXUINT, b = G_MAXUINT;
  g_autofree HsRect *saved = NULL;
  double garbage_gap, reachable_gap;

  /* The first step with two garbage boxes */
  for (guint s = 0; s < fixture->layouts->len && b == G_MAXUINT; s++)
    {
      layout = g_ptr_array_index (fixture->layouts, s);
      a = b = G_MAXUINT;
      for (guint i = 0; i < layout->boxes->len && b == G_MAXUINT; i++)
        if (g_array_index (layout->boxes, HsLayoutBox, i).garbage)
          {
            if (a == G_MAXUINT)
              a = i;
            else
              b = i;
          }
    }
  g_assert_cmpuint (b, !=, G_MAXUINT);

  saved = g_new (HsRect, layout->boxes->len);
  for (guint i = 0; i < layout->boxes->len; i++)
    saved[i] = g_array_index (layout->boxes, HsLayoutBox, i).rect;
  garbage_gap = gap_after_compaction (layout, a, b, 150, TRUE);
  for (guint i = 0; i < layout->boxes->len; i++)
    g_array_index (layout->boxes, HsLayoutBox, i).rect = saved[i];
  reachable_gap = gap_after_compaction (layout, a, b, 150, FALSE);
  g_array_index (layout->boxes, HsLayoutBox, a).garbage = TRUE;
  g_array_index (layout->boxes, HsLayoutBox, b).garbage = TRUE;

  g_test_message ("%s: garbage rows 150 apart close to %.1f, reachable rows to %.1f (the zone's head: %.1f)",
                  (const char *) data, garbage_gap, reachable_gap, hs_layout_garbage_head ());
  /* Compaction closed the band at all */
  g_assert_cmpfloat (reachable_gap, <, 150);
  g_assert_cmpfloat (fabs (garbage_gap - reachable_gap), <, 0.001);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/render/layout/compact/garbage-rows", RenderFixture, "cycle.py",
              render_fixture_setup, test_garbage_rows, render_fixture_teardown);

  return g_test_run ();
}
