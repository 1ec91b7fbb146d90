/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Runs the example programs of tests/render/programs through the real
 * runtime and keeps every step's layout, laid out in order as the window
 * would.
 */
#pragma once

#include <glib.h>

#include "hs-layout.h"
#include "hs-runner.h"

G_BEGIN_DECLS

typedef struct
{
  HsTrace   *trace;
  GPtrArray *layouts;   /* HsLayout per step, each laid out after the previous */
} RenderFixture;

/* A name in tests/render/programs, or a path */
static inline char *
render_test_program (const char *name)
{
  if (g_path_is_absolute (name))
    return g_strdup (name);
  return g_build_filename (HS_TEST_PROGRAMS, name, NULL);
}

static inline void
render_fixture_load (RenderFixture *fixture,
                     const char    *name)
{
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = render_test_program (name);
  HsLayout *previous = NULL;

  g_assert (fixture != NULL);

  fixture->trace = hs_runner_run_sync (runner, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->trace);
  g_assert_cmpuint (hs_trace_get_n_steps (fixture->trace), >, 0);

  fixture->layouts = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_layout_unref);
  for (guint i = 0; i < hs_trace_get_n_steps (fixture->trace); i++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (fixture->trace, i);
      HsLayout *layout = hs_layout_new (snapshot, previous, NULL);

      g_ptr_array_add (fixture->layouts, layout);
      previous = layout;
    }
}

static inline void
render_fixture_setup (RenderFixture *fixture,
                      gconstpointer  data)
{
  render_fixture_load (fixture, data);
}

static inline void
render_fixture_teardown (RenderFixture *fixture,
                         gconstpointer  data)
{
  g_clear_pointer (&fixture->layouts, g_ptr_array_unref);
  g_clear_object (&fixture->trace);
}

static inline HsLayout *
render_fixture_last (RenderFixture *fixture)
{
  return g_ptr_array_index (fixture->layouts, fixture->layouts->len - 1);
}

G_END_DECLS
