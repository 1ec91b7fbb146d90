/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sentences the inspector shows, computed without widgets: every
 * example is traced with the real worker, and for every object of every
 * step the "Why is the refcount N?" rows add up to N.
 */
#define G_LOG_DOMAIN "heapscope-test-describe"

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "hs-describe.h"
#include "hs-ui-resources.h"
#include "hs-test-trace.h"

#define EXAMPLES "/io/github/heapscope/Heapscope/examples"

static void
test_breakdown_adds_up (HsTraceFixture *f,
                        gconstpointer   data)
{
  const char *name = data;
  g_autofree char *path = g_build_path ("/", EXAMPLES, name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
  g_autofree char *source = NULL;
  HsTrace *trace;
  guint n_steps, n_checked = 0;

  g_assert_nonnull (bytes);
  source = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  trace = hs_trace_fixture_run (f, source);
  n_steps = hs_trace_get_n_steps (trace);
  g_assert_cmpuint (n_steps, >, 0);

  for (guint step = 0; step < n_steps; step++)
    {
      HsSnapshot *snapshot = hs_trace_get_snapshot (trace, step);
      const HsObject *objects;
      guint n_objects;

      objects = hs_snapshot_get_objects (snapshot, &n_objects);
      for (guint i = 0; i < n_objects; i++)
        {
          g_autoptr(HsRefcountBreakdown) breakdown = hs_describe_refcount_breakdown (snapshot, objects[i].ref);

          g_assert_nonnull (breakdown);
          g_assert_cmpint (breakdown->refcount, ==, objects[i].refcount);
          /* The rows add up to the refcount the runtime read. */
          g_assert_cmpint ((gint64) breakdown->drawn->len + (gint64) breakdown->named->len + breakdown->other,
                           ==, objects[i].refcount);
          /* The drawn rows are the arrows the graph draws, no more, no less,
           * and the remainder is a count, never negative. */
          g_assert_cmpuint (breakdown->drawn->len, ==, objects[i].n_referrers);
          if (breakdown->other < 0)
            g_error ("step %u: %s %s has refcount %" G_GINT64_FORMAT " but %u drawn + %u named references",
                     step, objects[i].type, objects[i].repr, objects[i].refcount,
                     breakdown->drawn->len, breakdown->named->len);
          n_checked++;
        }
      hs_snapshot_unref (snapshot);
    }
  g_assert_cmpuint (n_checked, >, n_steps);
}

static void
test_referrers_name_container (void)
{
  g_autofree char *a_int = hs_describe_a_type ("int");
  g_autofree char *a_list = hs_describe_a_type ("list");

  g_assert_cmpstr (a_int, ==, "An int object");
  g_assert_cmpstr (a_list, ==, "A list object");
}

static void
test_badge_tooltips (void)
{
  static const guint32 badges[] = { HS_OBJECT_SMALL_INT, HS_OBJECT_INTERNED,
                                    HS_OBJECT_IMMORTAL, HS_OBJECT_GC_TRACKED };

  for (guint i = 0; i < G_N_ELEMENTS (badges); i++)
    {
      g_autofree char *tip = hs_describe_flag_tooltip (badges[i]);
      const char *end;

      /* One sentence: one full stop, at the end. */
      g_assert_nonnull (tip);
      end = strchr (tip, '.');
      g_assert_nonnull (end);
      g_assert_cmpstr (end, ==, ".");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) examples = NULL;

  g_test_init (&argc, &argv, NULL);
  /* HsApplication registers them in the app; no application here. */
  hs_ui_register_resource ();

  examples = g_resources_enumerate_children (EXAMPLES, 0, NULL);
  g_assert_nonnull (examples);
  for (guint i = 0; examples[i]; i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/describe/refcount-adds-up/%s", examples[i]);

      /* examples outlives g_test_run(): no copy to leak (LeakSanitizer) */
      g_test_add (path, HsTraceFixture, examples[i],
                  hs_trace_fixture_setup, test_breakdown_adds_up, hs_trace_fixture_teardown);
    }
  g_test_add_func ("/ui/describe/a-or-an", test_referrers_name_container);
  g_test_add_func ("/ui/describe/badge-tooltips", test_badge_tooltips);

  return g_test_run ();
}
