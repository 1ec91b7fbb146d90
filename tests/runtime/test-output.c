/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which step printed what.  The concatenation of every step's output is
 * what the program's stdout (and stderr) received, byte for byte, whatever
 * the program does with its streams and descriptors; and Heapscope runs
 * none of the program's code to find out.
 */
#define G_LOG_DOMAIN "heapscope-test-output"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "hs-test-trace.h"
#include "hs-trace-json.h"
#include "hs-trace-reader.h"

#define ADD(path, func) \
  g_test_add (path, HsTraceFixture, NULL, hs_trace_fixture_setup, func, hs_trace_fixture_teardown)

/* Every step's output, in order, then what came after the last step, must
 * be exactly what the stream received. */
static void
assert_steps_add_up (HsTrace    *t,
                     gboolean    err)
{
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GBytes) whole = err ? hs_trace_dup_stderr (t) : hs_trace_dup_stdout (t);
  g_autoptr(GBytes) joined = NULL;
  GBytes *trailing = err ? hs_trace_get_trailing_stderr (t) : hs_trace_get_trailing_stdout (t);
  guint n = hs_trace_get_n_steps (t);
  gsize len;
  const guint8 *data;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HsSnapshot) s = hs_trace_get_snapshot (t, i);
      GBytes *part = err ? hs_snapshot_get_stderr (s) : hs_snapshot_get_stdout (s);

      if (part != NULL)
        {
          data = g_bytes_get_data (part, &len);
          g_byte_array_append (all, data, len);
        }
    }
  if (trailing != NULL)
    {
      data = g_bytes_get_data (trailing, &len);
      g_byte_array_append (all, data, len);
    }
  joined = g_bytes_new (all->data, all->len);
  g_assert_true (hs_test_bytes_equal_verbose (err ? "steps' stderr" : "steps' stdout", whole, joined));
}

static void
assert_like_python (HsTraceFixture *f,
                    const char     *path,
                    HsTrace        *t)
{
  g_autoptr(GBytes) py_out = NULL;
  g_autoptr(GBytes) py_err = NULL;
  g_autoptr(GBytes) out = hs_trace_dup_stdout (t);
  g_autoptr(GBytes) err = hs_trace_dup_stderr (t);

  hs_test_run_python (path, NULL, &py_out, &py_err);
  g_assert_true (hs_test_bytes_equal_verbose ("stdout", py_out, out));
  g_assert_true (hs_test_bytes_equal_verbose ("stderr", py_err, err));
}

static void
set_buffering (gboolean unbuffered)
{
  if (unbuffered)
    g_setenv ("PYTHONUNBUFFERED", "1", TRUE);
  else
    g_unsetenv ("PYTHONUNBUFFERED");
}

/* Programs that each break the attribution in a different way. */
static const struct
{
  const char *name;
  const char *source;
} tricky[] = {
  /* a write fills the 8192-byte buffer while the next piece starts with
   * the bytes the previous step ended with */
  { "buffer-boundary",
    "import sys\n"
    "sys.stdout.write('b' * 4095 + '\\n')\n"
    "sys.stdout.write('b' * 4096)\n"
    "sys.stdout.write('b' * 4096 + '\\n')\n"
    "sys.stdout.write('\\n' + 'b' * 4096)\n"
    "print('end')\n" },
  { "same-bytes-again",
    "print('a' * 4095)\n"
    "print('b' * 4096)\n"
    "x = 1\n"
    "print('b' * 4096)\n"
    "y = 2\n" },
  { "child-process",
    "import subprocess\n"
    "print('before', flush=True)\n"
    "subprocess.run(['echo', 'from the child'])\n"
    "print('after')\n" },
  { "child-process-unflushed",
    "import subprocess, sys\n"
    "subprocess.run([sys.executable, '-c', 'print(\"child\")'])\n"
    "print('parent')\n"
    "subprocess.run(['echo', 'again'])\n" },
  { "fork",
    "import os\n"
    "print('before', flush=True)\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.write(1, b'from the child\\n')\n"
    "    os._exit(0)\n"
    "os.waitpid(pid, 0)\n"
    "print('parent')\n" },
  { "dup2-other-file",
    "import os\n"
    "print('one', flush=True)\n"
    "with open('other.txt', 'w') as f:\n"
    "    f.write('bytes of an unrelated file\\n')\n"
    "saved = os.dup(1)\n"
    "fd = os.open('other.txt', os.O_RDONLY)\n"
    "os.dup2(fd, 1)\n"
    "os.dup2(saved, 1)\n"
    "print('two')\n" },
  { "dup2-write-elsewhere",
    "import os\n"
    "print('one', flush=True)\n"
    "saved = os.dup(1)\n"
    "fd = os.open('elsewhere.txt', os.O_WRONLY | os.O_CREAT | os.O_TRUNC)\n"
    "os.dup2(fd, 1)\n"
    "os.write(1, b'not for stdout\\n')\n"
    "os.dup2(saved, 1)\n"
    "os.write(1, b'for stdout\\n')\n"
    "print('two')\n" },
  { "stderr-and-stdout",
    "import sys\n"
    "for i in range(300):\n"
    "    print(i, 'x' * (i % 97))\n"
    "    print(i, file=sys.stderr)\n" },
};

typedef struct
{
  char     *name;
  char     *source;    /* NULL: programs/NAME */
  gboolean  unbuffered;
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->name);
  g_free (c->source);
  g_free (c);
}

static void
test_adds_up (HsTraceFixture *f,
              gconstpointer   data)
{
  const Case *c = data;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTrace) t = NULL;

  /* Known limits of showing a print at the step that made it while its
   * bytes still wait in the buffer: os._exit() then loses them, and a child
   * writing meanwhile gets ahead of them in the file. */
  if (!c->unbuffered && g_strcmp0 (c->name, "os_exit.py") == 0)
    {
      g_test_skip ("buffered bytes lost by os._exit() were already shown");
      return;
    }
  if (!c->unbuffered && g_strcmp0 (c->name, "child-process-unflushed") == 0)
    {
      g_test_skip ("a child's bytes overtook buffered bytes already shown");
      return;
    }

  set_buffering (c->unbuffered);
  if (c->source != NULL)
    {
      path = hs_trace_fixture_write (f, "program.py", c->source);
      g_assert_cmpint (g_chdir (f->tmpdir), ==, 0);
    }
  else
    {
      g_autofree char *parent = g_path_get_dirname (HS_TEST_PROGRAMS_DIR);

      g_assert_cmpint (g_chdir (parent), ==, 0);
      path = g_build_filename ("programs", c->name, NULL);
    }

  t = hs_runner_run_sync (f->runner, path, &f->options, &error);
  g_assert_no_error (error);
  assert_steps_add_up (t, FALSE);
  assert_steps_add_up (t, TRUE);
  assert_like_python (f, path, t);
}

static GBytes *
step_out_at_line (HsTrace *t,
                  guint    line)
{
  g_autoptr(HsSnapshot) s = hs_test_step_at_line (t, line, 0);
  GBytes *out = hs_snapshot_get_stdout (s);

  return out ? g_bytes_ref (out) : g_bytes_new (NULL, 0);
}

/* The step after each write shows exactly what that write printed. */
static void
assert_step_outputs (HsTrace     *t,
                     guint        first_line,
                     const char **expected,
                     guint        n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GBytes) got = NULL;
      g_autoptr(GBytes) want = NULL;
      g_autofree char *what = NULL;

      if (expected[i] == NULL)
        continue;
      got = step_out_at_line (t, first_line + i + 1);
      want = g_bytes_new_static (expected[i], strlen (expected[i]));
      what = g_strdup_printf ("output of line %u", first_line + i);
      g_assert_true (hs_test_bytes_equal_verbose (what, want, got));
    }
}

static void
test_buffer_boundary_steps (HsTraceFixture *f,
                            gconstpointer   data)
{
  g_autofree char *a4095 = g_strnfill (4095, 'a');
  g_autofree char *b4095 = g_strnfill (4095, 'b');
  g_autofree char *b4096 = g_strnfill (4096, 'b');
  g_autofree char *a_nl = g_strconcat (a4095, "\n", NULL);
  g_autofree char *b4095_nl = g_strconcat (b4095, "\n", NULL);
  g_autofree char *b4096_nl = g_strconcat (b4096, "\n", NULL);
  g_autofree char *nl_b4096 = g_strconcat ("\n", b4096, NULL);
  const char *first[] = { b4095_nl, b4096, b4096_nl, nl_b4096 };
  const char *second[] = { a_nl, b4096_nl, NULL, b4096_nl };

  set_buffering (FALSE);
  assert_step_outputs (hs_trace_fixture_run (f, tricky[0].source), 2, first, G_N_ELEMENTS (first));
  assert_step_outputs (hs_trace_fixture_run (f, tricky[1].source), 1, second, G_N_ELEMENTS (second));
}

/* Bytes that went to another file through fd 1 are never shown. */
static void
test_dup2_steps (HsTraceFixture *f,
                 gconstpointer   data)
{
  HsTrace *t;
  g_autoptr(GBytes) at_6 = NULL;
  g_autoptr(GBytes) at_9 = NULL;
  g_autoptr(GBytes) expected = g_bytes_new_static ("for stdout\n", 11);

  set_buffering (FALSE);
  g_assert_cmpint (g_chdir (f->tmpdir), ==, 0);
  t = hs_trace_fixture_run (f, tricky[6].source);
  at_6 = step_out_at_line (t, 7);
  at_9 = step_out_at_line (t, 9);
  g_assert_cmpuint (g_bytes_get_size (at_6), ==, 0);
  g_assert_true (hs_test_bytes_equal_verbose ("output of line 8", expected, at_9));
}

/* The streams' flush is looked up by name: a program that replaces it on
 * the instance (or on the buffer) must see it called exactly as often as
 * under python3, at exit too. */
static void
test_flush_not_called (HsTraceFixture *f,
                       gconstpointer   data)
{
  const char *programs[] = {
    "import atexit, io, os, sys\n"
    "class Counting(io.TextIOWrapper):\n"
    "    flushes = 0\n"
    "    def flush(self):\n"
    "        Counting.flushes += 1\n"
    "        return super().flush()\n"
    "sys.stdout = Counting(open(1, 'wb', closefd=False))\n"
    "atexit.register(lambda: os.write(2, b'flushes: %d\\n' % Counting.flushes))\n"
    "print('a')\n"
    "print('b')\n"
    "print('c')\n",

    "import atexit, os, sys\n"
    "n = [0]\n"
    "real = sys.stdout.flush\n"
    "def counted():\n"
    "    n[0] += 1\n"
    "    real()\n"
    "sys.stdout.flush = counted\n"
    "sys.stderr.flush = counted\n"
    "atexit.register(lambda: os.write(2, b'flushes: %d\\n' % n[0]))\n"
    "print('a')\n"
    "sys.exit(3)\n",

    "import atexit, os, sys\n"
    "n = [0]\n"
    "real = sys.stderr.buffer.flush\n"
    "def counted():\n"
    "    n[0] += 1\n"
    "    real()\n"
    "sys.stderr.buffer.flush = counted\n"
    "atexit.register(lambda: os.write(2, b'flushes: %d\\n' % n[0]))\n"
    "raise ValueError('x')\n",

    "import atexit, os, sys\n"
    "class Out:\n"
    "    eqs = 0\n"
    "    def write(self, s):\n"
    "        return sys.__stdout__.write(s)\n"
    "    def flush(self):\n"
    "        sys.__stdout__.flush()\n"
    "    def __eq__(self, other):\n"
    "        Out.eqs += 1\n"
    "        return self is other\n"
    "    __hash__ = object.__hash__\n"
    "sys.stdout = Out()\n"
    "atexit.register(lambda: os.write(2, b'eq calls: %d\\n' % Out.eqs))\n"
    "print('x')\n"
    "print('y')\n",
  };

  set_buffering (FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      HsTrace *t = hs_trace_fixture_run (f, programs[i]);

      g_test_message ("program %u", i);
      assert_like_python (f, f->path, t);
    }
}

/* A step that prints more than a protocol frame holds (64 MiB) reaches
 * the app in pieces instead of stalling both processes. */
static void
test_larger_than_a_frame (HsTraceFixture *f,
                          gconstpointer   data)
{
  HsTrace *t;
  g_autoptr(GBytes) at_2 = NULL;

  HS_TEST_RUN_TRAPPED (240);

  set_buffering (FALSE);
  /* not a timing test: a sanitizer build copies 70 MB several times
   * slower than the default timeout allows */
  f->options.timeout_ms = 120000;
  t = hs_trace_fixture_run (f,
    "import sys\n"
    "print('x' * 70_000_000)\n"
    "sys.stderr.write('e' * 3_000_000)\n"
    "y = 1\n");
  hs_test_assert_status (t, "finished");
  at_2 = step_out_at_line (t, 3);
  g_assert_cmpuint (g_bytes_get_size (at_2), ==, 70000001);
  {
    g_autoptr(HsSnapshot) s = hs_test_step_at_line (t, 4, 0);
    GBytes *err = hs_snapshot_get_stderr (s);

    g_assert_nonnull (err);
    if (err != NULL)
      g_assert_cmpuint (g_bytes_get_size (err), ==, 3000000);
  }
  assert_steps_add_up (t, FALSE);
  assert_steps_add_up (t, TRUE);
}

/* A NUL is a character like any other (JSON's \u0000): the trace keeps it
 * in stdout and in the step that printed it, and so does the JSON; only
 * bytes that are not UTF-8 become U+FFFD. */
static void
test_nul_kept (HsTraceFixture *f,
               gconstpointer   data)
{
  static const char want[] = "a\0b\n";
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) expected = g_bytes_new (want, sizeof want - 1);
  g_autoptr(GBytes) at_2 = NULL;
  g_autofree char *json = NULL;
  HsTrace *t;

  t = hs_trace_fixture_run (f,
    "print('a\\0b')\n"
    "y = 1\n");
  hs_test_assert_status (t, "finished");
  out = hs_trace_dup_stdout (t);
  g_assert_true (hs_test_bytes_equal_verbose ("stdout", expected, out));
  at_2 = step_out_at_line (t, 2);
  g_assert_true (hs_test_bytes_equal_verbose ("the step's out", expected, at_2));
  assert_steps_add_up (t, FALSE);

  g_assert_true (hs_trace_write_json (t, stream, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  json = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
  g_assert_nonnull (strstr (json, "\"stdout\":\"a\\u0000b\\n\""));
  g_assert_nonnull (strstr (json, "\"out\":[0,4]"));
  g_assert_null (strstr (json, "\xef\xbf\xbd"));
}

static guint
count_in (const char *haystack,
          const char *needle)
{
  guint n = 0;

  for (const char *at = strstr (haystack, needle); at != NULL; at = strstr (at + 1, needle))
    n++;
  return n;
}

static void
assert_same_output (HsTrace *a,
                    HsTrace *b)
{
  g_autoptr(GBytes) out_a = hs_trace_dup_stdout (a);
  g_autoptr(GBytes) out_b = hs_trace_dup_stdout (b);
  g_autoptr(GBytes) err_a = hs_trace_dup_stderr (a);
  g_autoptr(GBytes) err_b = hs_trace_dup_stderr (b);

  g_assert_true (hs_test_bytes_equal_verbose ("stdout", out_a, out_b));
  g_assert_true (hs_test_bytes_equal_verbose ("stderr", err_a, err_b));
  g_assert_cmpuint (hs_trace_get_n_steps (a), ==, hs_trace_get_n_steps (b));
  for (guint i = 0; i < hs_trace_get_n_steps (a); i++)
    {
      g_autoptr(GBytes) o1 = NULL;
      g_autoptr(GBytes) e1 = NULL;
      g_autoptr(GBytes) o2 = NULL;
      g_autoptr(GBytes) e2 = NULL;
      g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

      hs_trace_get_step_output (a, i, &o1, &e1);
      hs_trace_get_step_output (b, i, &o2, &e2);
      /* a character cut between two steps is the second's */
      if (o1 != NULL && !g_utf8_validate_len (g_bytes_get_data (o1, NULL), g_bytes_get_size (o1), NULL))
        {
          i++;
          continue;
        }
      g_assert_true (hs_test_bytes_equal_verbose ("a step's out", o1 ? o1 : empty, o2 ? o2 : empty));
      g_assert_true (hs_test_bytes_equal_verbose ("a step's err", e1 ? e1 : empty, e2 ? e2 : empty));
    }
}

/* Issue 48 item 9: each step's out and err held the same bytes as the
 * top-level stdout and stderr, so that a trace stored its output twice.
 * Written once, in both formats, and read back step for step; a
 * character cut between two steps by os.write() goes to the step that
 * completes it. */
static void
test_output_once (HsTraceFixture *f,
                  gconstpointer   data)
{
  const HsTraceJsonFormat formats[] = { HS_TRACE_JSON_DELTAS, HS_TRACE_JSON_SNAPSHOTS };
  HsTrace *t;

  t = hs_trace_fixture_run (f,
    "import os, sys\n"
    "print('once-marker-out \u00e9', flush=True)\n"
    "os.write(1, b'cut \\xe2\\x82')\n"
    "os.write(1, b'\\xac\\n')\n"
    "print('once-marker-err', file=sys.stderr, flush=True)\n"
    "x = 1\n");
  hs_test_assert_status (t, "finished");

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
      g_autoptr(GInputStream) in = NULL;
      g_autoptr(HsTrace) back = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *json = NULL;
      gsize size;

      g_assert_true (hs_trace_write_json_format (t, stream, formats[i], &error));
      g_assert_no_error (error);
      g_assert_true (g_output_stream_close (stream, NULL, &error));
      size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream));
      json = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)), size);
      g_assert_cmpuint (count_in (json, "once-marker-out"), ==, 1);
      g_assert_cmpuint (count_in (json, "once-marker-err"), ==, 1);
      g_assert_cmpuint (count_in (json, "cut \xe2\x82\xac"), ==, 1);
      g_assert_null (strstr (json, "\xef\xbf\xbd"));

      in = g_memory_input_stream_new_from_data (json, size, NULL);
      back = hs_trace_read_json (in, NULL, NULL, &error);
      g_assert_no_error (error);
      assert_same_output (t, back);
      {
        g_autoptr(GBytes) want = g_bytes_new_static ("\xe2\x82\xac\n", 4);
        g_autoptr(GBytes) got = step_out_at_line (back, 5);

        g_assert_true (hs_test_bytes_equal_verbose ("the cut character's step", want, got));
      }
    }
}

/* Where the file did not get what the steps showed (buffered bytes that
 * os._exit() lost), the steps' text is written apart, and read back. */
static void
test_output_once_lost (HsTraceFixture *f,
                       gconstpointer   data)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(HsTrace) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  gsize size;
  HsTrace *t;

  set_buffering (FALSE);
  t = hs_trace_fixture_run (f,
    "import os\n"
    "print('lost-marker')\n"
    "os._exit(3)\n");
  hs_test_assert_status (t, "exited");
  g_assert_true (hs_trace_write_json (t, stream, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream));
  json = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)), size);
  g_assert_nonnull (strstr (json, "\"stdout\":\"\""));
  g_assert_nonnull (strstr (json, "\"steps_stdout\":\"lost-marker\\n\""));

  in = g_memory_input_stream_new_from_data (json, size, NULL);
  back = hs_trace_read_json (in, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_same_output (t, back);
}

/* Issue 48 item 9: 1 GiB written to stderr in one call made a 1.9 GB
 * trace.  What passes the cap is dropped, and the run ends at its next
 * step, as at the step limit, saying why. */
static void
test_cap_output (HsTraceFixture *f,
                 gconstpointer   data)
{
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GBytes) out = NULL;
  HsTrace *t;
  gsize steps_err = 0;

  f->options.max_output_mb = 1;
  t = hs_trace_fixture_run (f,
                            "import sys\n"
                            "sys.stderr.write('e' * (3 << 20))\n"
                            "x = 1\n"
                            "print('after')\n");
  hs_test_assert_status (t, "size-limit");
  err = hs_trace_dup_stderr (t);
  out = hs_trace_dup_stdout (t);
  g_assert_cmpuint (g_bytes_get_size (err), ==, 1 << 20);
  g_assert_cmpuint (g_bytes_get_size (out), ==, 0);
  g_assert_false (hs_trace_has_exit_code (t));
  for (guint i = 0; i < hs_trace_get_n_steps (t); i++)
    {
      g_autoptr(GBytes) o = NULL;
      g_autoptr(GBytes) e = NULL;

      hs_trace_get_step_output (t, i, &o, &e);
      steps_err += e != NULL ? g_bytes_get_size (e) : 0;
    }
  g_assert_cmpuint (steps_err, <=, 1 << 20);
}

/* A generator whose every item runs a line grows the history without end
 * (1.78 GB of --snapshots trace in 5 s): the run ends past the cap. */
static void
test_cap_history (HsTraceFixture *f,
                  gconstpointer   data)
{
  HsTrace *t;

  f->options.max_trace_mb = 1;
  f->options.timeout_ms = 60000;
  t = hs_trace_fixture_run (f,
                            "def g():\n"
                            "    i = 0\n"
                            "    while True:\n"
                            "        yield i\n"
                            "        i += 1\n"
                            "s = sum(x for x in g())\n");
  hs_test_assert_status (t, "size-limit");
  g_assert_cmpuint (hs_trace_get_history_bytes (t), >, 1 << 20);
  g_assert_cmpuint (hs_trace_get_n_steps (t), >, 0);
}

typedef struct
{
  HsTraceWriter *writer;
  guint          steps;
} CapStream;

static gboolean
write_capped_step (HsTraceCursor      *at,
                   const HsTraceDelta *delta,
                   gpointer            user_data,
                   GError            **error)
{
  CapStream *s = user_data;

  s->steps++;
  return hs_trace_writer_step (s->writer, at, delta, error);
}

/* What `heapscope trace --snapshots` writes is capped too: the trace ends
 * at the step that passed the cap, whole, and says size-limit. */
static void
test_cap_writer (HsTraceFixture *f,
                 gconstpointer   data)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(HsTraceWriter) writer = hs_trace_writer_new (stream, HS_TRACE_JSON_SNAPSHOTS, 0, NULL, NULL, 0);
  g_autoptr(HsTrace) t = NULL;
  g_autoptr(HsTrace) back = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  CapStream s = { writer, 0 };
  gsize size;

  hs_trace_writer_set_max_bytes (writer, 1 << 20);
  path = hs_trace_fixture_write (f, "program.py",
                                 "def g():\n"
                                 "    i = 0\n"
                                 "    while True:\n"
                                 "        yield [i]\n"
                                 "        i += 1\n"
                                 "s = sum(len(x) for x in g())\n");
  f->options.timeout_ms = 60000;
  t = hs_runner_run_streaming (f->runner, path, &f->options, write_capped_step, &s, &error);
  g_assert_no_error (error);
  hs_test_assert_status (t, "size-limit");
  g_assert_true (hs_trace_writer_finish (writer, t, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream));
  g_test_message ("%u steps, %" G_GSIZE_FORMAT " bytes", s.steps, size);
  g_assert_cmpuint (size, >, 1 << 20);
  g_assert_cmpuint (size, <, 2 << 20);

  in = g_memory_input_stream_new_from_data (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                                            size, NULL);
  back = hs_trace_read_json (in, NULL, NULL, &error);
  g_assert_no_error (error);
  hs_test_assert_status (back, "size-limit");
  g_assert_cmpuint (hs_trace_get_n_steps (back), ==, s.steps);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  /* the test cases' data, freed after the run (LeakSanitizer) */
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (case_free);

  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  ADD ("/runtime/output/buffer-boundary", test_buffer_boundary_steps);
  ADD ("/runtime/output/nul-kept", test_nul_kept);
  ADD ("/runtime/output/dup2-elsewhere", test_dup2_steps);
  ADD ("/runtime/output/flush-not-called", test_flush_not_called);
  ADD ("/runtime/output/larger-than-a-frame", test_larger_than_a_frame);
  ADD ("/runtime/output/once", test_output_once);
  ADD ("/runtime/output/once-lost", test_output_once_lost);
  ADD ("/runtime/output/cap/output", test_cap_output);
  ADD ("/runtime/output/cap/history", test_cap_history);
  ADD ("/runtime/output/cap/writer", test_cap_writer);

  dir = g_dir_open (HS_TEST_PROGRAMS_DIR, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".py"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);

  for (guint mode = 0; mode < 2; mode++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (tricky); i++)
        {
          g_autofree char *path = g_strdup_printf ("/runtime/output/adds-up/%s/%s",
                                                   mode ? "unbuffered" : "buffered", tricky[i].name);
          Case *c = g_new0 (Case, 1);

          g_ptr_array_add (cases, c);
          c->name = g_strdup (tricky[i].name);
          c->source = g_strdup (tricky[i].source);
          c->unbuffered = mode == 1;
          g_test_add (path, HsTraceFixture, c, hs_trace_fixture_setup, test_adds_up, hs_trace_fixture_teardown);
        }
      for (guint i = 0; i < names->len; i++)
        {
          const char *file = g_ptr_array_index (names, i);
          g_autofree char *stem = g_strndup (file, strlen (file) - 3);
          g_autofree char *path = g_strdup_printf ("/runtime/output/adds-up/%s/%s",
                                                   mode ? "unbuffered" : "buffered", stem);
          Case *c = g_new0 (Case, 1);

          g_ptr_array_add (cases, c);
          c->name = g_strdup (file);
          c->unbuffered = mode == 1;
          g_test_add (path, HsTraceFixture, c, hs_trace_fixture_setup, test_adds_up, hs_trace_fixture_teardown);
        }
    }

  return g_test_run ();
}
