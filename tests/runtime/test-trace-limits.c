/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A saved run is a file from anyone (issue 48): however it nests and
 * however large its lists and strings, the reader refuses it with a
 * message naming the limit, and never crashes.  No Python runs here.
 */
#define G_LOG_DOMAIN "heapscope-test-trace-limits"

#include "config.h"

#include <string.h>

#include "hs-trace-reader.h"

/* One valid step: `a` bound to an empty list. */
#define TRACE_HEAD "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"exit_code\": 0, \"steps\": [" \
  "{\"index\": 0, \"line\": 1, \"event\": \"line\", \"frames\": [{\"function\": \"<module>\", \"line\": 1, " \
  "\"vars\": [{\"name\": \"a\", \"ref\": 1}]}], \"objects\": [{\"ref\": 1, \"id\": 7, \"type\": \"list\", " \
  "\"repr\": \"[]\", \"refcount\": 1, \"length\": 0, \"omitted\": 0}]}]"

static HsTrace *
read_text (GString  *json,
           GError  **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (json->str, json->len, NULL);

  return hs_trace_read_json (stream, NULL, NULL, error);
}

/* The message names the limit, as a number. */
static void
assert_refused (HsTrace    *trace,
                GError     *error,
                guint       limit)
{
  g_autofree char *figure = g_strdup_printf ("%u", limit);

  g_assert_null (trace);
  g_assert_error (error, HS_TRACE_READER_ERROR, HS_TRACE_READER_ERROR_LIMIT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, figure));
}

static GString *
trace_with_member (const char *name,
                   const char *value)
{
  GString *json = g_string_new (TRACE_HEAD);

  g_string_append_printf (json, ", \"%s\": %s}", name, value);
  return json;
}

static void
test_opens (void)
{
  g_autoptr(GString) json = trace_with_member ("junk", "[[[[1, {\"x\": [2]}]]]]");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTrace) trace = read_text (json, &error);

  /* a member the format does not know is skipped */
  g_assert_no_error (error);
  g_assert_cmpuint (hs_trace_get_n_steps (trace), ==, 1);
}

static GString *
nested (gsize depth)
{
  GString *text = g_string_sized_new (2 * depth);

  for (gsize i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  return text;
}

/* yajl's tree parser recursed once per level: 400,000 levels of a 2 MB
 * file overflowed the stack and killed the window. */
static void
test_deep (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GString) junk = nested (1000000);
      g_autoptr(GString) json = trace_with_member ("junk", junk->str);
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) trace = read_text (json, &error);

      assert_refused (trace, error, HS_TRACE_READER_MAX_DEPTH);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();

  /* as deep as the limit still opens */
  {
    g_autoptr(GString) junk = nested (HS_TRACE_READER_MAX_DEPTH - 1);
    g_autoptr(GString) json = trace_with_member ("junk", junk->str);
    g_autoptr(GError) error = NULL;
    g_autoptr(HsTrace) trace = read_text (json, &error);

    g_assert_no_error (error);
  }
}

static GString *
list_of (const char *item,
         guint       n)
{
  GString *text = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "," : "", item);
  g_string_append_c (text, ']');
  return text;
}

/* Each list the format has, one item beyond its limit. */
static void
test_lists (void)
{
  static const struct {
    const char *format;   /* the list goes at %s */
    const char *item;
    guint       limit;
  } cases[] = {
    { "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 0, \"line\": 1, \"event\": \"line\", \"frames\": [], \"objects\": %s}]}",
      "{}", HS_TRACE_READER_MAX_OBJECTS },
    { "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 0, \"line\": 1, \"event\": \"line\", \"frames\": %s}]}",
      "{}", HS_TRACE_READER_MAX_FRAMES },
    { "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 0, \"line\": 1, \"event\": \"line\", \"frames\": [], \"objects\": [{\"edges\": %s}]}]}",
      "{}", HS_TRACE_READER_MAX_EDGES },
    { "{\"format\": \"heapscope-trace-1\", \"junk\": %s}", "0", HS_TRACE_READER_MAX_ITEMS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) list = list_of (cases[i].item, cases[i].limit + 1);
      g_autoptr(GString) json = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) trace = NULL;

      g_string_printf (json, cases[i].format, list->str);
      trace = read_text (json, &error);
      assert_refused (trace, error, cases[i].limit);
    }
}

static void
test_source (void)
{
  g_autoptr(GString) json = g_string_new ("{\"format\": \"heapscope-trace-1\", \"source\": \"");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTrace) trace = NULL;

  g_string_set_size (json, json->len + HS_TRACE_READER_MAX_SOURCE + 1);
  memset (json->str + json->len - HS_TRACE_READER_MAX_SOURCE - 1, 'x', HS_TRACE_READER_MAX_SOURCE + 1);
  g_string_append (json, "\"}");
  trace = read_text (json, &error);
  assert_refused (trace, error, HS_TRACE_READER_MAX_SOURCE >> 20);
}

/* A string longer than the limit is refused before the parser holds it:
 * the stream repeats one piece, so the test itself costs no memory. */
static void
test_string (void)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new ();
  static const char head_text[] = "{\"format\": \"heapscope-trace-1\", \"junk\": \"";
  g_autoptr(GBytes) head = g_bytes_new_static (head_text, sizeof head_text - 1);
  g_autofree char *piece = g_malloc (1 << 20);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTrace) trace = NULL;

  memset (piece, 'y', 1 << 20);
  bytes = g_bytes_new_take (g_steal_pointer (&piece), 1 << 20);
  g_memory_input_stream_add_bytes (G_MEMORY_INPUT_STREAM (stream), head);
  for (guint i = 0; i <= HS_TRACE_READER_MAX_STRING >> 20; i++)
    g_memory_input_stream_add_bytes (G_MEMORY_INPUT_STREAM (stream), bytes);
  trace = hs_trace_read_json (stream, NULL, NULL, &error);
  assert_refused (trace, error, HS_TRACE_READER_MAX_STRING >> 20);
}

/* Found by the trace reader's fuzzer: an object listed twice in a step
 * freed its first record while the step still used it.  Refused now. */
static void
test_listed_twice (void)
{
  static const char json[] =
    "{\"format\": \"heapscope-trace-1\", \"status\": \"finished\", \"steps\": [{\"index\": 0, \"line\": 1, "
    "\"event\": \"line\", \"frames\": [{\"function\": \"<module>\", \"line\": 1, \"vars\": [{\"name\": \"a\", \"ref\": 1}]}], "
    "\"objects\": [{\"ref\": 1, \"id\": 7, \"type\": \"list\", \"repr\": \"[2]\", \"refcount\": 1, \"length\": 1, \"omitted\": 0, "
    "\"edges\": [{\"kind\": \"item\", \"label\": \"0\", \"ref\": 2}]}, "
    "{\"ref\": 2, \"id\": 8, \"type\": \"int\", \"repr\": \"2\", \"refcount\": 2}, "
    "{\"ref\": 1, \"id\": 7, \"type\": \"list\", \"repr\": \"[]\", \"refcount\": 1, \"length\": 0, \"omitted\": 0}]}]}";
  g_autoptr(GString) text = g_string_new (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTrace) trace = read_text (text, &error);

  g_assert_null (trace);
  g_assert_error (error, HS_TRACE_READER_ERROR, HS_TRACE_READER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "twice"));
}

/* A version 3 step whose frames run n_files files, each name length
 * bytes long, and whose "sources" hold source_bytes bytes. */
static GString *
files_trace (guint n_files,
             guint length,
             guint source_bytes)
{
  GString *json = g_string_new ("{\"format\": \"heapscope-trace-3\", \"status\": \"finished\", "
                                "\"steps\": [{\"index\": 0, \"line\": 1, \"event\": \"line\", \"frames\": [");

  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *name = g_strdup_printf ("%0*u", (int) length, i);

      g_string_append_printf (json, "%s{\"function\": \"f\", \"line\": 1, \"vars\": [], \"file\": \"%s\"}",
                              i > 0 ? ", " : "", name);
    }
  g_string_append (json, "], \"objects\": []}], \"sources\": {\"a.py\": \"");
  for (guint i = 0; i < source_bytes; i++)
    g_string_append_c (json, 'x');
  g_string_append (json, "\"}}");
  return json;
}

/* Version 3's files: a frame's file is a path of bounded length, a run
 * names a bounded number of them (the window lists each), and their
 * texts together are bounded as the program's is; at the limits, the
 * run opens. */
static void
test_files (void)
{
  const struct { guint n_files, length, source_bytes; int code; } cases[] = {
    { HS_TRACE_READER_MAX_FILES, 8, 16, -1 },
    { 2, HS_TRACE_READER_MAX_PATH, HS_TRACE_READER_MAX_SOURCE, -1 },
    { 2, HS_TRACE_READER_MAX_PATH + 1, 16, HS_TRACE_READER_ERROR_INVALID },
    { HS_TRACE_READER_MAX_FILES + 1, 8, 16, HS_TRACE_READER_ERROR_INVALID },
    { 2, 8, HS_TRACE_READER_MAX_SOURCE + 1, HS_TRACE_READER_ERROR_LIMIT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) json = files_trace (cases[i].n_files, cases[i].length, cases[i].source_bytes);
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTrace) trace = read_text (json, &error);

      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_nonnull (trace);
          continue;
        }
      g_assert_null (trace);
      g_assert_error (error, HS_TRACE_READER_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/runtime/trace-limits/opens", test_opens);
  g_test_add_func ("/runtime/trace-limits/deep", test_deep);
  g_test_add_func ("/runtime/trace-limits/lists", test_lists);
  g_test_add_func ("/runtime/trace-limits/source", test_source);
  g_test_add_func ("/runtime/trace-limits/string", test_string);
  g_test_add_func ("/runtime/trace-limits/listed-twice", test_listed_twice);
  g_test_add_func ("/runtime/trace-limits/files", test_files);
  return g_test_run ();
}
