/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A window reads a live trace's end (status, error, trailing output) from
 * its thread while the runner's thread finishes it, and may finish it
 * again when the session closes.  What a getter handed out must stay
 * readable: under ASan a freed string is a heap-use-after-free; without
 * it, its bytes are soon another string's, which the checks see.
 */
#define G_LOG_DOMAIN "heapscope-test-trace-race"

#include "config.h"

#include <string.h>

#include "hs-trace.h"

#define MESSAGE_A "the first end of the run, long enough to be a block of its own"
#define MESSAGE_B "the second end of the run, long enough to be a block of its own"
#define SECONDS 2

typedef struct
{
  HsTrace *trace;
  gint     stop;
  guint    bad;
  guint    reads;
} Race;

/* Empty too: a second final output the same size leaves nothing trailing. */
static gboolean
bytes_all (GBytes *bytes,
           char    c)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  for (gsize i = 0; i < len; i++)
    if (data[i] != c)
      return FALSE;
  return TRUE;
}

static gpointer
read_end (gpointer data)
{
  Race *race = data;

  while (!g_atomic_int_get (&race->stop))
    {
      const char *status = hs_trace_get_status (race->trace);
      const HsTraceError *error = hs_trace_get_error (race->trace);
      GBytes *trailing = hs_trace_get_trailing_stdout (race->trace);

      /* the window reads them as it draws: a little later */
      g_thread_yield ();
      if (status != NULL && !g_str_equal (status, "exception") && !g_str_equal (status, "crashed"))
        race->bad++;
      if (error != NULL && !g_str_equal (error->message, MESSAGE_A) && !g_str_equal (error->message, MESSAGE_B))
        race->bad++;
      if (trailing != NULL && !bytes_all (trailing, 'a') && !bytes_all (trailing, 'b'))
        race->bad++;
      race->reads++;
    }
  return NULL;
}

static void
test_finish_while_read (void)
{
  g_autoptr(HsTrace) trace = hs_trace_new ();
  Race race = { trace, 0, 0, 0 };
  char filler_a[256], filler_b[256];
  g_autoptr(GBytes) out_a = NULL;
  g_autoptr(GBytes) out_b = NULL;
  g_autoptr(GBytes) err = g_bytes_new (NULL, 0);
  GThread *reader;
  gint64 end = g_get_monotonic_time () + SECONDS * G_TIME_SPAN_SECOND;
  guint finishes = 0;

  memset (filler_a, 'a', sizeof filler_a);
  memset (filler_b, 'b', sizeof filler_b);
  out_a = g_bytes_new (filler_a, sizeof filler_a);
  out_b = g_bytes_new (filler_b, sizeof filler_b);

  reader = g_thread_new ("window", read_end, &race);
  while (g_get_monotonic_time () < end)
    {
      gboolean first = finishes % 2 == 0;
      HsTraceError error = { "ValueError", first ? MESSAGE_A : MESSAGE_B, 1, "" };

      hs_trace_finish (trace, first ? "exception" : "crashed", 1, 0, &error);
      hs_trace_set_final_output (trace, first ? out_a : out_b, err);
      /* what malloc hands out next lands where a freed message was */
      for (guint i = 0; i < 4; i++)
        {
          char *junk = g_malloc (sizeof MESSAGE_B);

          memset (junk, 'x', sizeof MESSAGE_B - 1);
          junk[sizeof MESSAGE_B - 1] = '\0';
          g_free (junk);
        }
      finishes++;
    }
  g_atomic_int_set (&race.stop, 1);
  g_thread_join (reader);

  g_test_message ("%u finishes, %u reads, %u saw freed values", finishes, race.reads, race.bad);
  g_assert_cmpuint (race.reads, >, 0);
  g_assert_cmpuint (race.bad, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/trace/finish-while-read", test_finish_while_read);
  return g_test_run ();
}
