/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test-trace-deltas"

#include "config.h"

#include <gio/gio.h>

#include "hs-protocol.h"
#include "hs-trace.h"

/*
 * Hand-built batches through hs_trace_append_batch, as a worker gone wrong
 * (or a program forging frames) could send them.  Each step header is
 * (line, return, n_strings, n_frame_words, n_objects, n_refcounts,
 * n_owners, n_edges, n_removed, n_freed, n_gc, n_out, n_err, keep_frames,
 * event, frames_changed, return_borrowed, yielded).
 */

static GVariant *
batch (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *v = g_variant_parse (HS_STEPS_TYPE, text, NULL, NULL, &error);

  g_assert_no_error (error);
  /* g_variant_parse() returns a full, non-floating reference: sinking it
   * would add a second one (LeakSanitizer) */
  return v;
}

static gboolean
append (HsTrace    *trace,
        const char *text,
        GError    **error)
{
  g_autoptr(GVariant) v = batch (text);

  return hs_trace_append_batch (trace, v, error);
}

/* An object that enters and leaves in one step must not stay behind in the
 * list of changed objects: the next step would write into it after it was
 * freed (ASan: heap-use-after-free). */
static void
test_add_and_remove_in_one_step (void)
{
  g_autoptr(HsTrace) trace = hs_trace_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsSnapshot) snap = NULL;

  /* step 0: ref 1 enters and leaves; ref 2 enters, changes, and is freed */
  g_assert_true (append (trace,
                         "(0, [(1, 0, 3, 5, 3, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0)],"
                         " ['<module>', 'int', '1'], [0, 1, 0, 0, 0],"
                         " [(140, 1, 28, 1, 1, 2, 0, 0, 0, 4294967295, 0), (150, 1, 28, 2, 1, 2, 0, 0, 0, 4294967295, 0),"
                         "  (160, 1, 28, 3, 1, 2, 0, 0, 0, 4294967295, 0)],"
                         " [(2, 5)], [(3, 0)], [], [1], [(2, 0)], [], [], [])", &error));
  g_assert_no_error (error);
  /* steps 1 and 2: nothing changes; clearing the previous step's marks must
   * only touch live objects */
  g_assert_true (append (trace,
                         "(1, [(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),"
                         "     (3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)],"
                         " [], [], [], [], [], [], [], [], [], [], [])", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hs_trace_get_n_steps (trace), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(HsSnapshot) s = hs_trace_get_snapshot (trace, i);
      guint n;

      hs_snapshot_get_objects (s, &n);
      g_assert_cmpuint (n, ==, 1);
      g_assert_null (hs_snapshot_lookup (s, 1));
      g_assert_null (hs_snapshot_lookup (s, 2));
      g_assert_nonnull (hs_snapshot_lookup (s, 3));
      g_assert_cmpuint (hs_snapshot_lookup (s, 3)->changes, ==, i == 0 ? HS_CHANGE_NEW : 0);
    }
  snap = hs_trace_get_snapshot (trace, 0);
  {
    guint n;
    const HsFreed *freed = hs_snapshot_get_freed (snap, &n);

    g_assert_cmpuint (n, ==, 1);
    g_assert_cmpuint (freed[0].ref, ==, 2);
  }
}

/* A step found invalid half-way must leave the trace as it was: an object
 * it added before the invalid part must not be there for the next step. */
static void
test_invalid_step_changes_nothing (void)
{
  g_autoptr(HsTrace) trace = hs_trace_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsSnapshot) snap = NULL;
  guint n;

  g_assert_true (append (trace,
                         "(0, [(1, 0, 2, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0)],"
                         " ['<module>', 'x'], [0, 1, 0, 0, 0],"
                         " [], [], [], [], [], [], [], [], [])", &error));
  g_assert_no_error (error);

  /* ref 5 enters, then a refcount for the unknown ref 9 */
  g_assert_false (append (trace,
                          "(1, [(2, 0, 2, 0, 1, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0)],"
                          " ['int', '5'], [], [(140, 1, 28, 5, 2, 3, 0, 0, 0, 4294967295, 0)],"
                          " [(9, 1)], [], [], [], [], [], [97, 98, 99], [])", &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_cmpuint (hs_trace_get_n_steps (trace), ==, 1);

  /* x bound to ref 5, which no valid step ever added */
  g_assert_false (append (trace,
                          "(1, [(2, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0)],"
                          " [], [0, 2, 1, 0, 0, 1, 5], [], [], [], [], [], [], [], [], [])", &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_cmpuint (hs_trace_get_n_steps (trace), ==, 1);

  snap = hs_trace_get_snapshot (trace, 0);
  hs_snapshot_get_objects (snap, &n);
  g_assert_cmpuint (n, ==, 0);
  {
    g_autoptr(GBytes) out = hs_trace_dup_stdout (trace);

    g_assert_cmpuint (g_bytes_get_size (out), ==, 0);
  }
}

/* A step that keeps the outer frames of the step before (keep_frames):
 * the kept frames stay whole, and no object bound in one may leave. */
static void
test_keep_frames (void)
{
  g_autoptr(HsTrace) trace = hs_trace_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsSnapshot) snap = NULL;
  const HsFrame *frames;
  guint n;

  /* step 0: <module> and f, whose x is ref 7 */
  g_assert_true (append (trace,
                         "(0, [(1, 0, 5, 12, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0)],"
                         " ['<module>', 'f', 'x', 'int', '5'], [0, 1, 0, 0, 0, 1, 3, 1, 0, 0, 2, 7],"
                         " [(140, 1, 28, 7, 3, 4, 0, 0, 0, 4294967295, 0)], [], [], [], [], [], [], [], [])", &error));
  g_assert_no_error (error);
  /* step 1: a call keeps both and adds a frame */
  g_assert_true (append (trace,
                         "(1, [(5, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 1, 0, 0)],"
                         " [], [1, 5, 0, 0, 0], [], [], [], [], [], [], [], [], [])", &error));
  g_assert_no_error (error);
  snap = hs_trace_get_snapshot (trace, 1);
  frames = hs_snapshot_get_frames (snap, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (frames[1].function, ==, "f");
  g_assert_cmpuint (frames[1].line, ==, 3);
  g_assert_cmpuint (frames[1].n_vars, ==, 1);
  g_assert_cmpuint (frames[1].vars[0].ref, ==, 7);
  g_assert_cmpuint (frames[2].line, ==, 5);

  /* x's object leaves while the frame that binds it is kept */
  g_assert_false (append (trace,
                          "(2, [(6, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)],"
                          " [], [], [], [], [], [], [7], [], [], [], [])", &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  /* more frames kept than there are */
  g_assert_false (append (trace,
                          "(2, [(6, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0)],"
                          " [], [1, 6, 0, 0, 0], [], [], [], [], [], [], [], [], [])", &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_cmpuint (hs_trace_get_n_steps (trace), ==, 2);

  /* an unbound name past the frame's words */
  g_assert_false (append (trace,
                          "(2, [(3, 0, 0, 6, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 1, 0, 0)],"
                          " [], [1, 3, 0, 2, 0, 2], [], [], [], [], [7], [], [], [], [])", &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* it may leave with the frames replaced: f is replaced by one where x
   * is unbound */
  g_assert_true (append (trace,
                         "(2, [(3, 0, 0, 6, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 1, 0, 0)],"
                         " [], [1, 3, 0, 1, 0, 2], [], [], [], [], [7], [], [], [], [])", &error));
  g_assert_no_error (error);
  g_clear_pointer (&snap, hs_snapshot_unref);
  snap = hs_trace_get_snapshot (trace, 2);
  frames = hs_snapshot_get_frames (snap, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (frames[1].n_vars, ==, 0);
  g_assert_cmpuint (frames[1].n_unbound, ==, 1);
  g_assert_cmpstr (frames[1].unbound[0], ==, "x");
}

/* The marks of a return step: a yield must hand out a value, and is never
 * a borrowed return (RETURN_CONST); each mark is 0 or 1.  A worker that
 * sends otherwise is refused, and the trace keeps what it had. */
static void
test_return_marks (void)
{
  static const struct { const char *header; gboolean valid; } steps[] = {
    { "(2, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 1)", FALSE },   /* a yield of nothing */
    { "(2, 5, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 1)", FALSE },   /* yielded and borrowed */
    { "(2, 5, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 2)", FALSE },   /* neither 0 nor 1 */
    { "(2, 5, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 1)", TRUE },
  };
  g_autoptr(HsTrace) trace = hs_trace_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsSnapshot) snap = NULL;

  g_assert_true (append (trace,
                         "(0, [(1, 0, 2, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0)],"
                         " ['<module>', 'x'], [0, 1, 0, 0, 0],"
                         " [], [], [], [], [], [], [], [], [])", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *text = g_strdup_printf ("(1, [%s], ['int', '5'], [], [(140, 1, 28, 5, 2, 3, 0, 0, 0, 4294967295, 0)],"
                                               " [], [], [], [], [], [], [], [])", steps[i].header);

      g_assert_cmpint (append (trace, text, &error), ==, steps[i].valid);
      if (!steps[i].valid)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
          g_clear_error (&error);
        }
      g_assert_no_error (error);
      g_assert_cmpuint (hs_trace_get_n_steps (trace), ==, steps[i].valid ? 2 : 1);
    }
  snap = hs_trace_get_snapshot (trace, 1);
  g_assert_true (hs_snapshot_get_yielded (snap));
  g_assert_false (hs_snapshot_get_return_borrowed (snap));
  g_assert_cmpuint (hs_snapshot_get_return_ref (snap), ==, 5);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/runtime/trace/add-and-remove-in-one-step", test_add_and_remove_in_one_step);
  g_test_add_func ("/runtime/trace/invalid-step-changes-nothing", test_invalid_step_changes_nothing);
  g_test_add_func ("/runtime/trace/keep-frames", test_keep_frames);
  g_test_add_func ("/runtime/trace/return-marks", test_return_marks);

  return g_test_run ();
}
