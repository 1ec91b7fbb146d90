/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Runs the example programs of tests/render/programs through the real
 * runtime and keeps every step's layout, laid out in order as the window
 * would.
 */
#pragma once

#include <string.h>
#include <glib.h>

#include "hs-layout.h"
#include "hs-source-hints.h"
#include "hs-runner.h"

G_BEGIN_DECLS

typedef struct
{
  HsTrace    *trace;
  GPtrArray  *layouts;  /* HsLayout per step, each laid out after the previous */
  GHashTable *growing;  /* what grows in the trace (hs_trace_ref_growing ()) */
  gboolean    every_object; /* a lesson taught with every object a box */
} RenderFixture;

/* Whether the program is a lesson (NAME.lesson beside NAME.py) taught
 * with every object a box, or asks for it, as the window opens it */
static inline gboolean
render_test_lesson_every_object (const char *path)
{
  g_autofree char *base = g_str_has_suffix (path, ".py") ? g_strndup (path, strlen (path) - 3) : NULL;
  g_autofree char *lesson = base ? g_strconcat (base, ".lesson", NULL) : NULL;
  g_autofree char *xml = NULL;

  g_autofree char *source = NULL;

  if (lesson != NULL && g_file_get_contents (lesson, &xml, NULL, NULL)
      && strstr (xml, "every-object=\"true\"") != NULL)
    return TRUE;
  return g_file_get_contents (path, &source, NULL, NULL) && hs_source_wants_every_object (source);
}

/* A name in tests/render/programs, or a path */
static inline char *
render_test_program (const char *name)
{
  if (g_path_is_absolute (name))
    return g_strdup (name);
  return g_build_filename (HS_TEST_PROGRAMS, name, NULL);
}

/* g_ptr_array_sort() passes pointers to the elements */
static inline int
render_test_compare_names (gconstpointer a,
                           gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The .py files of dir, by name: a test per program, in a stable order */
static inline GPtrArray *
render_test_list_programs (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".py"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, render_test_compare_names);
  g_assert_cmpuint (names->len, >, 0);
  return names;
}

/* The layout options the window uses for the fixture's finished run */
static inline void
render_fixture_options_init (RenderFixture   *fixture,
                             HsLayoutOptions *options)
{
  hs_layout_options_init (options);
  options->growing = fixture->growing;
  options->every_object = fixture->every_object;
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

  fixture->every_object = fixture->every_object || render_test_lesson_every_object (path);
  fixture->trace = hs_runner_run_sync (runner, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->trace);
  g_assert_cmpuint (hs_trace_get_n_steps (fixture->trace), >, 0);

  /* as the window lays out a run that is over */
  fixture->growing = hs_trace_ref_growing (fixture->trace);
  fixture->layouts = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_layout_unref);
  for (guint i = 0; i < hs_trace_get_n_steps (fixture->trace); i++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (fixture->trace, i);
      HsLayoutOptions options;
      HsLayout *layout;

      render_fixture_options_init (fixture, &options);
      layout = hs_layout_new (snapshot, previous, &options);

      g_ptr_array_add (fixture->layouts, layout);
      previous = layout;
    }
}

static inline void render_fixture_setup    (RenderFixture *fixture,
                                            gconstpointer  data);
static inline void render_fixture_teardown (RenderFixture *fixture,
                                            gconstpointer  data);

/* Adds test path/PREFIX/NAME for each program NAME of dir, run on a
 * RenderFixture of it; paths keeps the programs' paths, the tests' data. */
static inline void
render_test_add_programs (GPtrArray   *paths,
                          const char  *path,
                          const char  *dir,
                          const char  *prefix,
                          void       (*test) (RenderFixture *, gconstpointer))
{
  g_autoptr(GPtrArray) names = render_test_list_programs (dir);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("%s/%s/%s", path, prefix, name);

      g_ptr_array_add (paths, g_build_filename (dir, name, NULL));
      g_test_add (test_path, RenderFixture, g_ptr_array_index (paths, paths->len - 1),
                  render_fixture_setup, test, render_fixture_teardown);
    }
}

static inline void
render_fixture_setup (RenderFixture *fixture,
                      gconstpointer  data)
{
  render_fixture_load (fixture, data);
}

/* The same, with every object a box (Show Every Object) */
static inline void
render_fixture_setup_every_object (RenderFixture *fixture,
                                   gconstpointer  data)
{
  fixture->every_object = TRUE;
  render_fixture_load (fixture, data);
}

static inline void
render_fixture_teardown (RenderFixture *fixture,
                         gconstpointer  data)
{
  g_clear_pointer (&fixture->layouts, g_ptr_array_unref);
  g_clear_pointer (&fixture->growing, g_hash_table_unref);
  g_clear_object (&fixture->trace);
}

static inline HsLayout *
render_fixture_last (RenderFixture *fixture)
{
  return g_ptr_array_index (fixture->layouts, fixture->layouts->len - 1);
}

G_END_DECLS
