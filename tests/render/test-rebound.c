/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A name is marked rebound when the line before its step made it point
 * elsewhere: the same marks whether the step is reached one by one, by a
 * jump of the slider or stepping back, since the layout given as previous
 * is only the one shown before.
 */
#define G_LOG_DOMAIN "heapscope-test-rebound"

#include "config.h"

#include "hs-layout.h"
#include "render-test-util.h"

static const char * const programs[] = {
  "aliasing.py", "copies.py", "closure.py", "instance.py", "churn.py", "cycle.py",
};

/* The oracle: the frame at the same depth, running the same function,
 * at the step before in the trace, named the name's object or nothing. */
static gboolean
expected_rebound (HsSnapshot    *before,
                  guint          frame_index,
                  const HsFrame *frame,
                  const HsVar   *var)
{
  const HsFrame *frames;
  guint n_frames;

  if (before == NULL)
    return FALSE;
  frames = hs_snapshot_get_frames (before, &n_frames);
  if (frame_index >= n_frames || g_strcmp0 (frames[frame_index].function, frame->function) != 0)
    return FALSE;
  for (guint i = 0; i < frames[frame_index].n_vars; i++)
    if (g_strcmp0 (frames[frame_index].vars[i].name, var->name) == 0)
      return frames[frame_index].vars[i].ref != var->ref;
  return TRUE;
}

/* Checks layout's marks against the oracle; returns how many are set. */
static guint
check_marks (HsTrace    *trace,
             HsLayout   *layout,
             const char *how)
{
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  guint step = hs_snapshot_get_index (snapshot);
  g_autoptr(HsSnapshot) before = step > 0 ? hs_trace_get_snapshot (trace, step - 1) : NULL;
  const HsFrame *frames;
  const HsLayoutBox *boxes;
  guint n_frames, n_boxes, n_rebound = 0;

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      const HsFrame *frame;

      if (boxes[i].kind != HS_LAYOUT_BOX_FRAME)
        continue;
      g_assert_cmpuint (boxes[i].frame, <, n_frames);
      frame = &frames[boxes[i].frame];
      g_assert_cmpuint (boxes[i].n_rows, >=, frame->n_vars);
      for (guint v = 0; v < frame->n_vars; v++)
        {
          gboolean want = expected_rebound (before, boxes[i].frame, frame, &frame->vars[v]);

          if (boxes[i].rows[v].rebound != want)
            g_error ("step %u reached %s: %s of %s is %smarked rebound", step, how,
                     frame->vars[v].name, frame->function, want ? "not " : "");
          n_rebound += want;
        }
      /* The current frame's return value, at the step it returns, is an
       * arrow the line just drew */
      if (boxes[i].n_rows > frame->n_vars)
        {
          g_assert_cmpuint (boxes[i].n_rows, ==, frame->n_vars + 1);
          g_assert_true (boxes[i].current);
          g_assert_cmpuint (hs_snapshot_get_return_ref (snapshot), !=, 0);
          if (!boxes[i].rows[frame->n_vars].rebound)
            g_error ("step %u reached %s: the return value of %s is not marked", step, how, frame->function);
          n_rebound++;
        }
    }
  return n_rebound;
}

static void
test_rebound (gconstpointer data)
{
  RenderFixture fixture = { 0 };
  guint n_steps, n_rebound = 0;

  render_fixture_load (&fixture, data);
  n_steps = fixture.layouts->len;

  for (guint step = 0; step < n_steps; step++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (fixture.trace, step);
      g_autoptr(HsLayout) from_first = NULL;
      g_autoptr(HsLayout) fresh = NULL;
      HsLayoutOptions options;
      guint n;

      render_fixture_options_init (&fixture, &options);
      from_first = hs_layout_new (snapshot, g_ptr_array_index (fixture.layouts, 0), &options);
      fresh = hs_layout_new (snapshot, NULL, &options);

      /* One by one, as the fixture laid them out */
      n = check_marks (fixture.trace, g_ptr_array_index (fixture.layouts, step), "one by one");
      n_rebound += n;
      /* The slider from the first step, a step back, a fresh window */
      g_assert_cmpuint (check_marks (fixture.trace, from_first, "from the first step"), ==, n);
      if (step + 1 < n_steps)
        {
          g_autoptr(HsLayout) back = hs_layout_new (snapshot, g_ptr_array_index (fixture.layouts, step + 1), &options);

          g_assert_cmpuint (check_marks (fixture.trace, back, "stepping back"), ==, n);
        }
      g_assert_cmpuint (check_marks (fixture.trace, fresh, "with nothing shown before"), ==, n);
    }
  g_test_message ("%s: %u steps, %u names rebound", (const char *) data, n_steps, n_rebound);
  g_assert_cmpuint (n_rebound, >, 0);
  render_fixture_teardown (&fixture, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/render/rebound/%s", programs[i]);

      g_test_add_data_func (path, programs[i], test_rebound);
    }
  return g_test_run ();
}
