/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A saved trace opens again without re-running: every program of
 * tests/runtime/programs, the examples and the lessons is traced, written
 * in both formats, read back, and written again: every step's state
 * equals the live trace's.  Bad or cut-short JSON is refused with a
 * message.
 */
#define G_LOG_DOMAIN "heapscope-test-trace-reader"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "hs-test-trace.h"
#include "hs-trace-json.h"
#include "hs-trace-reader.h"

static char *
write_json (HsTrace          *trace,
            HsTraceJsonFormat format)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_trace_write_json_format (trace, stream, format, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

static HsTrace *
read_json (const char *json,
           gssize      length,
           GError    **error)
{
  g_autoptr(GInputStream) stream =
    g_memory_input_stream_new_from_data (g_memdup2 (json, length < 0 ? strlen (json) : (gsize) length),
                                         length < 0 ? (gssize) strlen (json) : length, g_free);

  return hs_trace_read_json (stream, NULL, NULL, error);
}

static void
check_round_trip (HsTraceFixture *f,
                  const char     *path)
{
  g_autofree char *source = NULL;
  HsTrace *trace;

  g_assert_true (g_file_get_contents (path, &source, NULL, NULL));
  trace = hs_trace_fixture_run (f, source);

  /* Every step in full would take most of a gigabyte for a long run
   * (recursion.py: 6,007 steps a thousand frames deep, 33 MB as deltas);
   * it is read back once, and compared as deltas, under --thorough only:
   * it takes minutes on a loaded machine. */
  gboolean small = hs_trace_get_n_steps (trace) <= 2000;

  if (!small && !g_test_thorough ())
    {
      g_test_message ("%u steps: read back under --thorough only", hs_trace_get_n_steps (trace));
      return;
    }

  for (int format = HS_TRACE_JSON_DELTAS; format <= (small ? HS_TRACE_JSON_SNAPSHOTS : HS_TRACE_JSON_DELTAS); format++)
    {
      g_autofree char *first = write_json (trace, format);
      g_autofree char *full = write_json (trace, small ? HS_TRACE_JSON_SNAPSHOTS : HS_TRACE_JSON_DELTAS);
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) loaded = read_json (first, -1, &error);
      g_autofree char *again = NULL;
      g_autofree char *again_full = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (loaded);
      g_assert_cmpuint (hs_trace_get_n_steps (loaded), ==, hs_trace_get_n_steps (trace));
      g_assert_cmpstr (hs_trace_get_status (loaded), ==, hs_trace_get_status (trace));
      again = write_json (loaded, format);
      again_full = write_json (loaded, small ? HS_TRACE_JSON_SNAPSHOTS : HS_TRACE_JSON_DELTAS);
      g_autoptr(HsTrace) reloaded = read_json (again, -1, &error);
      g_autofree char *third = NULL;

      g_assert_no_error (error);
      third = write_json (reloaded, format);
      hs_test_drop_history_bytes (again);
      hs_test_drop_history_bytes (third);
      hs_test_drop_history_bytes (full);
      hs_test_drop_history_bytes (again_full);
      /* The same state at every step, hidden holders included.  A delta
       * may be written otherwise: the loaded trace sends a call's frames
       * whole, without frames_keep.  Read again, it is written the same. */
      if (small)
        g_assert_cmpstr (again_full, ==, full);
      g_assert_cmpstr (third, ==, again);
    }
}

static void
test_round_trip_dir (HsTraceFixture *f,
                     gconstpointer   data)
{
  const char *dir_path = data;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);

      /* programs that need their own file name or stdin are traced elsewhere */
      if (!g_str_has_suffix (name, ".py") || g_str_equal (name, "compile_str_filename.py") ||
          g_str_equal (name, "fork_child.py"))
        continue;
      g_test_message ("%s", name);
      check_round_trip (f, path);
      n++;
    }
  g_assert_cmpuint (n, >=, 5);
}

/* Bad input: a clear error, and no trace. */
static void
test_bad_input (HsTraceFixture *f,
                gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, "a = [1]\nb = a\nprint(b)\n");
  g_autofree char *json = write_json (trace, HS_TRACE_JSON_DELTAS);
  gsize length = strlen (json);
  static const struct {
    const char *json;
    int         code;
  } bad[] = {
    { "", HS_TRACE_READER_ERROR_NOT_JSON },
    { "{\"format\": \"heapscope-trace-2\", \"steps\": [", HS_TRACE_READER_ERROR_NOT_JSON },
    { "[1, 2, 3]", HS_TRACE_READER_ERROR_NOT_A_TRACE },
    { "{\"format\": \"something-else\"}", HS_TRACE_READER_ERROR_NOT_A_TRACE },
    { "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\"}", HS_TRACE_READER_ERROR_NOT_A_TRACE },
    { "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 1}]}",
      HS_TRACE_READER_ERROR_INVALID },
    { "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 0, \"line\": 1,"
      " \"event\": \"line\", \"frames\": [{\"function\": \"<module>\", \"line\": 1, \"vars\": [{\"name\": \"a\", \"ref\": 7}]}],"
      " \"objects\": []}]}", HS_TRACE_READER_ERROR_INVALID },  /* a name bound to no object */
    { "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 0, \"line\": 1,"
      " \"event\": \"line\", \"frames\": [], \"objects\": [{\"ref\": \"x\"}]}]}", HS_TRACE_READER_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) loaded = read_json (bad[i].json, -1, &error);

      g_test_message ("%s", bad[i].json);
      g_assert_null (loaded);
      g_assert_error (error, HS_TRACE_READER_ERROR, bad[i].code);
      g_assert_cmpuint (strlen (error->message), >, 10);
    }

  /* Cut anywhere, the trace is refused, never half read. */
  for (gsize cut = 0; cut < length - 2; cut += 1 + length / 97)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) loaded = read_json (json, cut, &error);

      g_assert_null (loaded);
      g_assert_nonnull (error);
    }
}

/* The hidden holders of every object at every step of the loaded trace
 * are the live one's: same kinds, holders and counts, in the same order. */
static void
assert_same_hidden (HsTrace *live,
                    HsTrace *loaded)
{
  g_assert_cmpuint (hs_trace_get_n_steps (loaded), ==, hs_trace_get_n_steps (live));
  for (guint i = 0; i < hs_trace_get_n_steps (live); i++)
    {
      g_autoptr(HsSnapshot) a = hs_trace_get_snapshot (live, i);
      g_autoptr(HsSnapshot) b = hs_trace_get_snapshot (loaded, i);
      const HsHiddenRef *ha, *hb;
      guint na, nb;

      ha = hs_snapshot_get_hidden_refs (a, &na);
      hb = hs_snapshot_get_hidden_refs (b, &nb);
      g_assert_cmpuint (nb, ==, na);
      for (guint k = 0; k < na; k++)
        {
          g_assert_cmpuint (hb[k].target, ==, ha[k].target);
          g_assert_cmpint (hb[k].kind, ==, ha[k].kind);
          g_assert_cmpstr (hb[k].holder, ==, ha[k].holder);
          g_assert_cmpuint (hb[k].count, ==, ha[k].count);
        }
    }
}

/* The hidden holders of one object at one step, as "kind label count" lines. */
static char *
describe_hidden (HsSnapshot *snap,
                 guint32     ref)
{
  GString *s = g_string_new (NULL);
  const HsHiddenRef *hidden;
  guint n;

  hidden = hs_snapshot_get_hidden_refs (snap, &n);
  for (guint i = 0; i < n; i++)
    if (hidden[i].target == ref)
      g_string_append_printf (s, "%s %s %u\n", hs_edge_kind_to_string (hidden[i].kind),
                              hidden[i].holder, hidden[i].count);
  return g_string_free (s, FALSE);
}

/* A literal is held by the running code's constants and by the parser's
 * arena (sys.getrefcount(24601) prints 3): a saved run says so too, in
 * both versions, instead of "other internal references". */
static void
test_held (HsTraceFixture *f,
           gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, "x = 24601\ny = 1\n");
  g_autoptr(HsSnapshot) live_snap = hs_test_step_at_line (trace, 2, 0);
  guint32 x = hs_test_var_ref (live_snap, "<module>", "x");
  guint index = hs_snapshot_get_index (live_snap);
  g_autofree char *live = describe_hidden (live_snap, x);

  hs_test_assert_finished (trace);
  g_assert_true (strstr (live, "held-constant <module> 1\n") != NULL);
  g_assert_true (strstr (live, "held-arena <module> 1\n") != NULL);

  for (int format = HS_TRACE_JSON_DELTAS; format <= HS_TRACE_JSON_SNAPSHOTS; format++)
    {
      g_autofree char *json = write_json (trace, format);
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) loaded = read_json (json, -1, &error);
      g_autoptr(HsSnapshot) snap = NULL;
      g_autofree char *again = NULL;

      g_test_message ("%s", json);
      g_assert_no_error (error);
      g_assert_nonnull (loaded);
      snap = hs_trace_get_snapshot (loaded, index);
      again = describe_hidden (snap, x);
      g_assert_cmpstr (again, ==, live);
      assert_same_hidden (trace, loaded);
      /* one entry per holder, not one per reference */
      g_assert_true (strstr (json, "\"held\":[{\"kind\":\"held-constant\",\"label\":\"<module>\",\"count\":1}") != NULL);
    }
}

/* A module's dict drawn (vars(math)): the window takes the arrows drawn
 * from it out of math's globals' counts.  A saved run keeps what the
 * runtime reported, so that reading it back takes them out once, not
 * twice: the same holders at every step, math.pi held by nothing hidden. */
static void
test_held_module_dict (HsTraceFixture *f,
                       gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, "import math\nd = vars(math)\np = math.pi\nq = 1\n");
  g_autoptr(HsSnapshot) live_snap = hs_test_step_at_line (trace, 4, 0);
  guint32 p = hs_test_var_ref (live_snap, "<module>", "p");
  guint32 d = hs_test_var_ref (live_snap, "<module>", "d");
  g_autofree char *live_p = describe_hidden (live_snap, p);
  g_autofree char *live_d = describe_hidden (live_snap, d);

  hs_test_assert_finished (trace);
  g_assert_cmpstr (live_p, ==, "");
  g_assert_cmpstr (live_d, ==, "held-dict math 1\n");

  for (int format = HS_TRACE_JSON_DELTAS; format <= HS_TRACE_JSON_SNAPSHOTS; format++)
    {
      g_autofree char *json = write_json (trace, format);
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) loaded = read_json (json, -1, &error);

      g_assert_no_error (error);
      g_assert_nonnull (loaded);
      assert_same_hidden (trace, loaded);
      /* what the runtime reported: math's dict holds pi, drawn or not */
      g_assert_true (strstr (json, "{\"kind\":\"held-global\",\"label\":\"math\",\"count\":1}") != NULL);
    }
}

/* A held entry that is not one refuses the trace, saying so; a trace
 * without "held" (written before it existed) opens, without holders. */
static void
test_bad_held (HsTraceFixture *f,
               gconstpointer   data)
{
  static const char head[] =
    "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 0, \"line\": 1,"
    " \"event\": \"line\", \"frames\": [{\"function\": \"<module>\", \"line\": 1, \"vars\": [{\"name\": \"x\", \"ref\": 1}]}],"
    " \"objects\": [{\"ref\": 1, \"id\": 7, \"type\": \"int\", \"repr\": \"24601\", \"refcount\": 3";
  static const char tail[] = "}]}]}";
  static const char *bad[] = {
    ", \"held\": [{\"kind\": \"nothing\", \"label\": \"<module>\", \"count\": 1}]",        /* unknown kind */
    ", \"held\": [{\"kind\": \"held-later\", \"label\": \"<module>\", \"count\": 0}]",     /* ... and a bad count */
    ", \"held\": [{\"kind\": \"item\", \"label\": \"0\", \"count\": 1}]",                 /* a drawn kind */
    ", \"held\": [{\"label\": \"<module>\", \"count\": 1}]",                              /* no kind */
    ", \"held\": [{\"kind\": \"held-constant\", \"count\": 1}]",                          /* no label */
    ", \"held\": [{\"kind\": \"held-constant\", \"label\": 3, \"count\": 1}]",            /* a label no string */
    ", \"held\": [{\"kind\": \"held-constant\", \"label\": \"<module>\"}]",               /* no count */
    ", \"held\": [{\"kind\": \"held-constant\", \"label\": \"<module>\", \"count\": 0}]",
    ", \"held\": [{\"kind\": \"held-constant\", \"label\": \"<module>\", \"count\": -1}]",
    ", \"held\": [{\"kind\": \"held-constant\", \"label\": \"<module>\", \"count\": \"1\"}]",
    /* more than the refcount, or than any holder makes */
    ", \"held\": [{\"kind\": \"held-arena\", \"label\": \"<module>\", \"count\": 2},"
    " {\"kind\": \"held-stack\", \"label\": \"<module>\", \"count\": 2}]",
    ", \"held\": [{\"kind\": \"held-arena\", \"label\": \"<module>\", \"count\": 16777217}]",
    ", \"held\": {\"kind\": \"held-constant\", \"label\": \"<module>\", \"count\": 1}",  /* no list */
    ", \"held\": [\"held-constant\"]",
  };
  const char *good[] = {
    "",
    ", \"held\": []",
    ", \"held\": [{\"kind\": \"held-constant\", \"label\": \"<module>\", \"count\": 1},"
    " {\"kind\": \"held-arena\", \"label\": \"<module>\", \"count\": 2}]",
    /* a holder a later version names is left to "other" */
    ", \"held\": [{\"kind\": \"held-later\", \"label\": \"<module>\", \"count\": 1},"
    " {\"kind\": \"held-arena\", \"label\": \"<module>\", \"count\": 2}]",
  };
  const char *expected[] = { "", "", "held-constant <module> 1\nheld-arena <module> 2\n", "held-arena <module> 2\n" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *json = g_strconcat (head, bad[i], tail, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) loaded = read_json (json, -1, &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (loaded);
      g_assert_error (error, HS_TRACE_READER_ERROR, HS_TRACE_READER_ERROR_INVALID);
      g_assert_true (strstr (error->message, "Step 0") != NULL);
      g_assert_true (strstr (error->message, "held") != NULL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *json = g_strconcat (head, good[i], tail, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) loaded = read_json (json, -1, &error);
      g_autoptr(HsSnapshot) snap = NULL;
      g_autofree char *hidden = NULL;

      g_test_message ("%s", good[i]);
      g_assert_no_error (error);
      snap = hs_trace_get_snapshot (loaded, 0);
      hidden = describe_hidden (snap, 1);
      g_assert_cmpstr (hidden, ==, expected[i]);
    }
}

/* A step of one object, or of two, each with one hidden holder. */
static char *
held_step_json (gint64 count_1,
                gint64 refcount_1,
                gint64 count_2,
                gint64 refcount_2)
{
  g_autofree char *second = NULL;

  if (count_2 > 0)
    second = g_strdup_printf (", {\"ref\": 2, \"id\": 8, \"type\": \"int\", \"repr\": \"2\", \"refcount\": %" G_GINT64_FORMAT ","
                              " \"held\": [{\"kind\": \"held-arena\", \"label\": \"<module>\", \"count\": %" G_GINT64_FORMAT "}]}",
                              refcount_2, count_2);
  return g_strdup_printf ("{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 0, \"line\": 1,"
                          " \"event\": \"line\", \"frames\": [{\"function\": \"<module>\", \"line\": 1, \"vars\": [{\"name\": \"x\", \"ref\": 1}]}],"
                          " \"objects\": [{\"ref\": 1, \"id\": 7, \"type\": \"int\", \"repr\": \"1\", \"refcount\": %" G_GINT64_FORMAT ","
                          " \"held\": [{\"kind\": \"held-constant\", \"label\": \"<module>\", \"count\": %" G_GINT64_FORMAT "}]}%s]}]}",
                          refcount_1, count_1, second ? second : "");
}

/* Resident memory, in bytes */
static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  fields = g_strsplit (statm, " ", -1);
  return g_ascii_strtoull (fields[1], NULL, 10) * sysconf (_SC_PAGESIZE);
}

/* A count costs one edge, whatever it says: 16 objects held 3,000,000
 * times each (2.7 KB of JSON) open, with their counts, and the trace
 * takes a few megabytes.  When the reader made one edge per reference,
 * such a file was refused, and its counts once took 6 GB to expand. */
static void
test_held_large_count (HsTraceFixture *f,
                       gconstpointer   data)
{
  g_autoptr(GString) json = g_string_new ("{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 0, \"line\": 1,"
                                          " \"event\": \"line\", \"frames\": [{\"function\": \"<module>\", \"line\": 1, \"vars\": [");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTrace) loaded = NULL;
  g_autoptr(HsSnapshot) snap = NULL;
  gsize before, after;

  for (guint i = 1; i <= 16; i++)
    g_string_append_printf (json, "%s{\"name\": \"x%u\", \"ref\": %u}", i > 1 ? ", " : "", i, i);
  g_string_append (json, "]}], \"objects\": [");
  for (guint i = 1; i <= 16; i++)
    g_string_append_printf (json, "%s{\"ref\": %u, \"id\": %u, \"type\": \"int\", \"repr\": \"%u\", \"refcount\": 3000001,"
                            " \"held\": [{\"kind\": \"held-constant\", \"label\": \"<module>\", \"count\": 3000000}]}",
                            i > 1 ? ", " : "", i, 100 + i, i);
  g_string_append (json, "]}]}");

  before = resident_bytes ();
  loaded = read_json (json->str, -1, &error);
  g_assert_no_error (error);
  snap = hs_trace_get_snapshot (loaded, 0);
  after = resident_bytes ();
  g_test_message ("%zu bytes of JSON; resident memory grew by %zu KB", json->len, (after - MIN (after, before)) / 1024);
  for (guint i = 1; i <= 16; i++)
    {
      g_autofree char *hidden = describe_hidden (snap, i);

      g_assert_cmpstr (hidden, ==, "held-constant <module> 3000000\n");
    }
  /* one edge per reference would be 48 million edges, over 700 MB */
  g_assert_cmpuint (after - MIN (after, before), <, 64 * 1024 * 1024);
}

/* Each hidden holder is a reference: more of them than the refcount is
 * refused, as many as it is accepted. */
static void
test_held_refcount (HsTraceFixture *f,
                    gconstpointer   data)
{
  g_autofree char *bad = held_step_json (4, 3, 0, 0);
  g_autofree char *good = held_step_json (3, 3, 2, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTrace) loaded = read_json (bad, -1, &error);
  g_autoptr(HsTrace) fine = NULL;
  g_autoptr(HsSnapshot) snap = NULL;
  g_autofree char *hidden = NULL;

  g_test_message ("%s", bad);
  g_assert_null (loaded);
  g_assert_error (error, HS_TRACE_READER_ERROR, HS_TRACE_READER_ERROR_INVALID);
  g_assert_true (strstr (error->message, "Step 0") != NULL);
  g_assert_true (strstr (error->message, "refcount") != NULL);

  /* counts that each pass but together would wrap a sum */
  {
    g_autofree char *wrap = g_strdup_printf ("{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 0, \"line\": 1,"
                                             " \"event\": \"line\", \"frames\": [{\"function\": \"<module>\", \"line\": 1, \"vars\": [{\"name\": \"x\", \"ref\": 1}]}],"
                                             " \"objects\": [{\"ref\": 1, \"id\": 7, \"type\": \"int\", \"repr\": \"1\", \"refcount\": 1099511627776, \"held\": [%s]}]}]}",
                                             "{\"kind\": \"held-constant\", \"label\": \"<module>\", \"count\": 16777216},"
                                             " {\"kind\": \"held-constant\", \"label\": \"<module>\", \"count\": 16777216}");
    g_autoptr(GError) wrap_error = NULL;
    g_autoptr(HsTrace) wrapped = read_json (wrap, -1, &wrap_error);

    g_test_message ("%s", wrap_error ? wrap_error->message : "opened");
    g_assert_null (wrapped);
    g_assert_nonnull (wrap_error);
  }

  g_clear_error (&error);
  fine = read_json (good, -1, &error);
  g_assert_no_error (error);
  snap = hs_trace_get_snapshot (fine, 0);
  hidden = describe_hidden (snap, 1);
  g_assert_cmpstr (hidden, ==, "held-constant <module> 3\n");
}

/* A return that has not taken its reference yet (3.12 and later, at a
 * return of a constant) is marked so in both formats and read back so; a
 * mark without a return value is refused. */
static void
test_return_borrowed (HsTraceFixture *f,
                      gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run_with_python (f, "3.12",
                                                     "def f():\n"
                                                     "    return 1000.5\n"
                                                     "x = f()\n");
  static const char *bad =
    "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 0, \"line\": 1,"
    " \"event\": \"return\", \"return_borrowed\": true, \"frames\": [{\"function\": \"f\", \"line\": 1, \"vars\": []}],"
    " \"objects\": []}]}";
  guint n_borrowed = 0;

  if (trace == NULL)
    return;
  for (int format = HS_TRACE_JSON_DELTAS; format <= HS_TRACE_JSON_SNAPSHOTS; format++)
    {
      g_autofree char *json = write_json (trace, format);
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) loaded = read_json (json, -1, &error);

      g_assert_no_error (error);
      g_assert_nonnull (strstr (json, "\"return_borrowed\":true"));
      for (guint i = 0; i < hs_trace_get_n_steps (trace); i++)
        {
          g_autoptr(HsSnapshot) a = hs_trace_get_snapshot (trace, i);
          g_autoptr(HsSnapshot) b = hs_trace_get_snapshot (loaded, i);

          g_assert_cmpint (hs_snapshot_get_return_borrowed (b), ==, hs_snapshot_get_return_borrowed (a));
          n_borrowed += hs_snapshot_get_return_borrowed (a);
        }
    }
  g_assert_cmpuint (n_borrowed, ==, 2);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HsTrace) loaded = read_json (bad, -1, &error);

    g_assert_null (loaded);
    g_assert_error (error, HS_TRACE_READER_ERROR, HS_TRACE_READER_ERROR_INVALID);
  }
}

/* A generator's yield is marked so in both formats and read back so; the
 * window labels its row "yielded value", and a mark without a value is
 * refused. */
static void
test_yielded (HsTraceFixture *f,
              gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f,
                                         "def g():\n"
                                         "    yield [1]\n"
                                         "    return [2]\n"
                                         "it = g()\n"
                                         "a = next(it)\n"
                                         "b = next(it, None)\n");
  static const char *bad =
    "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 0, \"line\": 1,"
    " \"event\": \"return\", \"yielded\": true, \"frames\": [{\"function\": \"g\", \"line\": 1, \"vars\": []}],"
    " \"objects\": []}]}";
  guint n_yielded = 0, n_returned = 0;

  for (int format = HS_TRACE_JSON_DELTAS; format <= HS_TRACE_JSON_SNAPSHOTS; format++)
    {
      g_autofree char *json = write_json (trace, format);
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) loaded = read_json (json, -1, &error);

      g_assert_no_error (error);
      g_assert_nonnull (strstr (json, "\"yielded\":true"));
      for (guint i = 0; i < hs_trace_get_n_steps (trace); i++)
        {
          g_autoptr(HsSnapshot) a = hs_trace_get_snapshot (trace, i);
          g_autoptr(HsSnapshot) b = hs_trace_get_snapshot (loaded, i);
          const HsFrame *frames;
          guint n_frames;

          g_assert_cmpint (hs_snapshot_get_yielded (b), ==, hs_snapshot_get_yielded (a));
          frames = hs_snapshot_get_frames (a, &n_frames);
          if (hs_snapshot_get_event (a) != HS_EVENT_RETURN || n_frames == 0 ||
              !g_str_equal (frames[n_frames - 1].function, "g"))
            continue;
          /* the yield, then the return at the second next () */
          n_yielded += hs_snapshot_get_yielded (a);
          n_returned += !hs_snapshot_get_yielded (a);
        }
    }
  g_assert_cmpuint (n_yielded, ==, 2);
  g_assert_cmpuint (n_returned, ==, 2);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HsTrace) loaded = read_json (bad, -1, &error);

    g_assert_null (loaded);
    g_assert_error (error, HS_TRACE_READER_ERROR, HS_TRACE_READER_ERROR_INVALID);
  }
}

/* Which objects gain entries at some step is what the layout keeps room
 * below, once the run is over: a list appended to, an instance given an attribute, a dict given
 * a key and a list longer than the element cap grow; a list whose item is
 * replaced, or which is never touched, does not.  Each maps to 1 + the
 * last step it grows at (grown, twice: the second), after which the
 * layout lets its room go.  A trace read back from JSON knows the same. */
static void
test_growing (HsTraceFixture *f,
              gconstpointer   data)
{
  HsTrace *trace;
  /* line: of the first step after the last line that grows it */
  static const struct { const char *name; gboolean grows; guint line; } vars[] = {
    { "grown", TRUE, 17 }, { "p", TRUE, 15 }, { "d", TRUE, 16 }, { "long", TRUE, 14 },
    { "kept", FALSE, 0 }, { "swapped", FALSE, 0 }, { "shrunk", FALSE, 0 },
  };

  /* not known while a run is still recorded */
  {
    g_autoptr(HsTrace) recording = hs_trace_new ();
    g_autoptr(GHashTable) none = hs_trace_ref_growing (recording);
    g_autoptr(GHashTable) empty = NULL;

    g_assert_null (none);
    hs_trace_finish (recording, "finished", 0, 0, NULL);
    empty = hs_trace_ref_growing (recording);
    g_assert_nonnull (empty);
    g_assert_cmpuint (g_hash_table_size (empty), ==, 0);
  }

  /* long is over the default element cap of 100 */
  trace = hs_trace_fixture_run (f,
                                "class Point:\n"
                                "    pass\n"
                                "grown = [1]\n"
                                "kept = [1, 2]\n"
                                "swapped = [1, 2]\n"
                                "shrunk = [1, 2]\n"
                                "long = list(range(150))\n"
                                "p = Point()\n"
                                "d = {}\n"
                                "grown.append(3)\n"
                                "swapped[0] = 5\n"
                                "shrunk.pop()\n"
                                "long.append(150)\n"
                                "p.x = 1\n"
                                "d['k'] = 1\n"
                                "grown.append(4)\n"
                                "done = True\n");

  for (int format = -1; format <= HS_TRACE_JSON_SNAPSHOTS; format++)
    {
      g_autoptr(HsTrace) loaded = NULL;
      g_autoptr(HsSnapshot) last = NULL;
      g_autoptr(GHashTable) growing = NULL;
      HsTrace *t = trace;

      /* -1: the trace as recorded */
      if (format >= 0)
        {
          g_autofree char *json = write_json (trace, format);
          g_autoptr(GError) error = NULL;

          t = loaded = read_json (json, -1, &error);
          g_assert_no_error (error);
        }
      last = hs_test_last_step (t);
      growing = hs_trace_ref_growing (t);
      for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
        {
          guint32 ref = hs_test_var_ref (last, NULL, vars[i].name);

          g_test_message ("format %d: %s", format, vars[i].name);
          g_assert_cmpint (g_hash_table_contains (growing, GUINT_TO_POINTER (ref)), ==, vars[i].grows);
          if (vars[i].grows)
            {
              g_autoptr(HsSnapshot) at = hs_test_step_at_line (t, vars[i].line, 0);

              g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (growing, GUINT_TO_POINTER (ref))), ==,
                                hs_snapshot_get_index (at) + 1);
            }
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/runtime/trace-reader/programs", HsTraceFixture, HS_TEST_PROGRAMS_DIR,
              hs_trace_fixture_setup, test_round_trip_dir, hs_trace_fixture_teardown);
  g_test_add ("/runtime/trace-reader/examples", HsTraceFixture, HS_TEST_EXAMPLES_DIR,
              hs_trace_fixture_setup, test_round_trip_dir, hs_trace_fixture_teardown);
  g_test_add ("/runtime/trace-reader/lessons", HsTraceFixture, HS_TEST_LESSONS_DIR,
              hs_trace_fixture_setup, test_round_trip_dir, hs_trace_fixture_teardown);
  g_test_add ("/runtime/trace-reader/bad-input", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_bad_input, hs_trace_fixture_teardown);
  g_test_add ("/runtime/trace-reader/held-module-dict", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_held_module_dict, hs_trace_fixture_teardown);
  g_test_add ("/runtime/trace-reader/held", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_held, hs_trace_fixture_teardown);
  g_test_add ("/runtime/trace-reader/bad-held", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_bad_held, hs_trace_fixture_teardown);
  g_test_add ("/runtime/trace-reader/held-large-count", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_held_large_count, hs_trace_fixture_teardown);
  g_test_add ("/runtime/trace-reader/held-refcount", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_held_refcount, hs_trace_fixture_teardown);
  g_test_add ("/runtime/trace-reader/growing", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_growing, hs_trace_fixture_teardown);
  g_test_add ("/runtime/trace-reader/return-borrowed", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_return_borrowed, hs_trace_fixture_teardown);
  g_test_add ("/runtime/trace-reader/yielded", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_yielded, hs_trace_fixture_teardown);
  return g_test_run ();
}
