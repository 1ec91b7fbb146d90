/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The hostile corpus: every program in this folder is run twice, once with
 * `python3 FILE.py` and once with `heapscope trace FILE.py --timeout S`, and
 * what Heapscope reports must be what python3 did (status, exit code,
 * stdout, stderr when asked, the exception's type and message), within
 * the time bound.  Each program states in its comment header what it
 * shows and what is expected where python3 is not the reference:
 *
 *   # hostile: one line saying what the program does (and the bug it shows)
 *   # expect: status=S [exit_code=N|null] [signal=N] [error.type=T]
 *   #         ['error.message=M'] [cli_exit=N]   (values are shell words,
 *   #         with C escapes)
 *   # timeout: S        --timeout given to heapscope (default 5)
 *   # max-steps: N      --max-steps given to heapscope (default: the CLI's,
 *   #                   10^6); an infinite loop that only has to show the
 *   #                   step limit need not write a 200 MB trace to do so
 *   # python: skip      python3 is not run (it would run for ever, or eat
 *   #                   the machine); only the expectations are checked
 *   # compare: stderr   also compare stderr byte for byte
 *   # steps-output: any the steps' "out" need not add up to stdout (the
 *   #                   documented os._exit() and os.write() cases)
 *   # generate: NAME    the program is made at test time (too big, or not a
 *   #                   file at all): big-source, directory
 *   # expect: step_line=N   some step is at line N
 *   # expect: out_after_N=T the step that follows line N's step shows
 *                           exactly T as its out ({c*N}: c repeated N times)
 *   # unlimited: K=V    the expectations when the worker runs without its
 *   #                   memory limit (sanitizer builds), instead of expect's
 */
#define G_LOG_DOMAIN "heapscope-test-hostile"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/* Generous: the CLI must end within --timeout plus this (or plus
 * HS_HOSTILE_GRACE_SECONDS from the environment, for sanitizer builds,
 * whose app code runs a few times slower) */
#define HS_HOSTILE_GRACE_SECONDS 8
/* python3 runs of programs that do end */
#define HS_HOSTILE_PYTHON_SECONDS 60
/* ... plus this many times python3's own time for the same program: the
 * app reads, splits and keeps what the program does (70 MB of output, in
 * bug06), and a machine loaded enough to slow the app slows python3 as
 * much (bug06 broke the fixed bound at a load average of 26).  A program
 * that hangs Heapscope never ends, whatever the bound. */
#define HS_HOSTILE_PYTHON_FACTOR 10

typedef struct
{
  char       *name;
  char       *source;      /* the committed program */
  GHashTable *expect;      /* key -> value */
  GHashTable *unlimited;
  double      timeout;
  gboolean    skip_python;
  gboolean    compare_stderr;
  gboolean    steps_output_any;
  char       *generate;
  char       *max_steps;   /* --max-steps, or NULL for the CLI's default */
} HsCase;

typedef struct
{
  gboolean finished;      /* ended before the deadline */
  int      status;        /* exit code, or minus the signal */
  double   seconds;
  GBytes  *out;
  GBytes  *err;
} HsRun;

static void
hs_case_free (gpointer data)
{
  HsCase *c = data;

  g_free (c->name);
  g_free (c->source);
  g_free (c->max_steps);
  g_hash_table_unref (c->expect);
  g_hash_table_unref (c->unlimited);
  g_free (c->generate);
  g_free (c);
}

static void
hs_run_clear (HsRun *run)
{
  g_clear_pointer (&run->out, g_bytes_unref);
  g_clear_pointer (&run->err, g_bytes_unref);
}

static void
parse_pairs (GHashTable *into,
             const char *text,
             const char *source)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (into != NULL && text != NULL);

  if (!g_shell_parse_argv (text, NULL, &words, &error))
    g_error ("%s: bad header “%s”: %s", source, text, error->message);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *eq = strchr (words[i], '=');

      if (eq == NULL)
        g_error ("%s: “%s” is not KEY=VALUE", source, words[i]);
      g_hash_table_insert (into, g_strndup (words[i], eq - words[i]), g_strcompress (eq + 1));
    }
}

static HsCase *
hs_case_load (const char *dir,
              const char *file)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  HsCase *c = g_new0 (HsCase, 1);

  c->name = g_strndup (file, strlen (file) - 3);
  c->source = g_build_filename (dir, file, NULL);
  c->expect = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  c->unlimited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  c->timeout = 5;

  g_file_get_contents (c->source, &contents, NULL, &error);
  g_assert_no_error (error);
  /* the header is plain ASCII even where the body is not valid UTF-8 */
  lines = g_strsplit (contents, "\n", 40);
  for (guint i = 0; lines[i] != NULL && g_str_has_prefix (lines[i], "#"); i++)
    {
      const char *line = lines[i] + 1;

      while (*line == ' ')
        line++;
      if (g_str_has_prefix (line, "expect:"))
        parse_pairs (c->expect, line + 7, file);
      else if (g_str_has_prefix (line, "unlimited:"))
        parse_pairs (c->unlimited, line + 10, file);
      else if (g_str_has_prefix (line, "timeout:"))
        c->timeout = g_ascii_strtod (line + 8, NULL);
      else if (g_str_has_prefix (line, "max-steps:"))
        c->max_steps = g_strstrip (g_strdup (line + 10));
      else if (g_str_has_prefix (line, "python: skip"))
        c->skip_python = TRUE;
      else if (g_str_has_prefix (line, "compare: stderr"))
        c->compare_stderr = TRUE;
      else if (g_str_has_prefix (line, "steps-output: any"))
        c->steps_output_any = TRUE;
      else if (g_str_has_prefix (line, "generate:"))
        c->generate = g_strstrip (g_strdup (line + 9));
    }
  if (!g_hash_table_contains (c->expect, "status"))
    g_error ("%s: the header must say “# expect: status=…”", file);
  return c;
}

typedef struct
{
  const char *out_path;
  const char *err_path;
  const char *stdin_path;
} ChildFiles;

/* Runs between fork and exec: a process group of its own, so that
 * everything the run leaves behind (a worker, a program's children) can be
 * killed at once; and files for output, so that big output cannot block. */
static void
child_setup (gpointer data)
{
  ChildFiles *files = data;
  int in = open (files->stdin_path, O_RDONLY);
  int out = open (files->out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err = open (files->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  setpgid (0, 0);
  dup2 (in, 0);
  dup2 (out, 1);
  dup2 (err, 2);
  /* GLib closed the other fds before calling us: python3 must see 0, 1, 2 */
  for (int fd = 3; fd <= MAX (in, MAX (out, err)); fd++)
    close (fd);
}

/* meson sets MALLOC_PERTURB_ for tests; it makes glibc write every page a
 * program allocates, which turns untouched memory (calloc) into real use.
 * PYTHONUNBUFFERED may come from the caller's shell: the programs run as
 * `python3 FILE.py > out` does by default, with stdout block-buffered. */
static char **
clean_environment (void)
{
  char **envp = g_get_environ ();

  envp = g_environ_unsetenv (envp, "MALLOC_PERTURB_");
  return g_environ_unsetenv (envp, "PYTHONUNBUFFERED");
}

static GBytes *
slurp (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return g_bytes_new (NULL, 0);
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

static void
run_bounded (const char  *cwd,
             const char  *const *argv,
             double       seconds,
             HsRun       *run)
{
  g_autofree char *out_path = g_build_filename (cwd, "run.out", NULL);
  g_autofree char *err_path = g_build_filename (cwd, "run.err", NULL);
  g_autoptr(GError) error = NULL;
  ChildFiles files = { out_path, err_path, "/dev/null" };
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) (seconds * G_USEC_PER_SEC);
  GPid pid;
  int wstatus = 0;

  g_assert (argv != NULL && run != NULL);

  g_auto(GStrv) envp = clean_environment ();

  g_spawn_async (cwd, (char **) argv, envp,
                 G_SPAWN_DO_NOT_REAP_CHILD,
                 child_setup, &files, &pid, &error);
  g_assert_no_error (error);
  /* also from this side, so that a kill cannot race the child's setpgid */
  setpgid (pid, pid);

  run->finished = FALSE;
  while (g_get_monotonic_time () < deadline)
    {
      pid_t r = waitpid (pid, &wstatus, WNOHANG);

      if (r == pid)
        {
          run->finished = TRUE;
          break;
        }
      g_usleep (10 * 1000);
    }
  run->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  /* whatever is left of the group (a hung CLI, an orphaned worker, a
   * forked child) must not outlive the case */
  kill (-pid, SIGKILL);
  if (!run->finished)
    waitpid (pid, &wstatus, 0);

  if (WIFSIGNALED (wstatus))
    run->status = -WTERMSIG (wstatus);
  else
    run->status = WEXITSTATUS (wstatus);
  run->out = slurp (out_path);
  run->err = slurp (err_path);
  g_unlink (out_path);
  g_unlink (err_path);
}

/* What python3 printed as the exception's last line: "Type: message". */
static void
python_exception (GBytes  *err,
                  char   **type,
                  char   **message)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
  g_auto(GStrv) lines = g_strsplit (g_strchomp (text), "\n", -1);
  guint n = g_strv_length (lines);
  const char *last = n > 0 ? lines[n - 1] : "";
  const char *colon = strstr (last, ": ");

  g_assert (type != NULL && message != NULL);

  if (colon != NULL && memchr (last, ' ', colon - last) == NULL)
    {
      *type = g_strndup (last, colon - last);
      *message = g_strdup (colon + 2);
    }
  else
    {
      *type = g_strdup (last);
      *message = g_strdup ("");
    }
}

static char *
escape_bytes (GBytes *bytes,
              gsize   max)
{
  gsize len = g_bytes_get_size (bytes);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), MIN (len, max));
  g_autofree char *escaped = g_strescape (text ? text : "", NULL);

  return g_strdup_printf ("\"%s\"%s (%" G_GSIZE_FORMAT " bytes)", escaped, len > max ? "…" : "", len);
}

/* JSON strings hold valid UTF-8, with invalid bytes replaced: compare with
 * python3's bytes the same way. */
static gboolean
text_equal (const char *what,
            GBytes     *python,
            const char *heapscope)
{
  g_autofree char *valid = g_utf8_make_valid (g_bytes_get_data (python, NULL), g_bytes_get_size (python));
  g_autoptr(GBytes) mine = g_bytes_new (heapscope, heapscope ? strlen (heapscope) : 0);

  if (g_strcmp0 (valid, heapscope ? heapscope : "") == 0)
    return TRUE;
  {
    g_autoptr(GBytes) expected = g_bytes_new (valid, strlen (valid));
    g_autofree char *e = escape_bytes (expected, 400);
    g_autofree char *a = escape_bytes (mine, 400);

    g_test_message ("%s differs:\n  python3:   %s\n  heapscope: %s", what, e, a);
  }
  return FALSE;
}

/* "{b*4096}\n" -> 4096 b's and a newline: long expectations stay short */
static char *
expand_repeats (const char *text)
{
  g_autoptr(GString) s = g_string_new (NULL);

  g_assert (text != NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      char c;
      guint n;
      int used = 0;

      if (p[0] == '{' && sscanf (p, "{%c*%u}%n", &c, &n, &used) == 2 && used > 0)
        {
          for (guint i = 0; i < n; i++)
            g_string_append_c (s, c);
          p += used - 1;
        }
      else
        g_string_append_c (s, *p);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* What the program wrote: the top level's member, or, where the trace
 * left it out as the steps hold all of it, their pieces put together
 * (docs/trace-format.md). */
/* Each step's output, in one walk of the top-level text: a step has a
 * range of its code points (of steps_stdout when the file got other
 * bytes than the steps showed). */
static GPtrArray *
steps_output (JsonObject *root,
              const char *step_member)
{
  const char *whole = g_str_equal (step_member, "out") ? "stdout" : "stderr";
  g_autofree char *steps_whole = g_strconcat ("steps_", whole, NULL);
  JsonArray *steps = json_object_get_array_member (root, "steps");
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  const char *text = json_object_get_string_member_with_default (root, steps_whole,
                                                                 json_object_get_string_member_with_default (root, whole, ""));
  const char *end = text + strlen (text);
  const char *at = text;
  gint64 chars = 0;

  for (guint i = 0; steps != NULL && i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);
      JsonArray *range = json_object_has_member (step, step_member) ? json_object_get_array_member (step, step_member) : NULL;
      const char *from;

      if (range == NULL || json_array_get_length (range) != 2 || json_array_get_int_element (range, 0) != chars)
        {
          g_ptr_array_add (parts, g_strdup (range == NULL ? "" : "<not the next range>"));
          continue;
        }
      from = at;
      for (; chars < json_array_get_int_element (range, 1) && at < end; chars++)
        at = g_utf8_next_char (at);
      g_ptr_array_add (parts, g_strndup (from, at - from));
    }
  return parts;
}

static char *
trace_output (JsonObject *root,
              const char *member,
              const char *step_member)
{
  GString *joined = g_string_new (NULL);

  if (json_object_has_member (root, member))
    {
      g_string_assign (joined, json_object_get_string_member_with_default (root, member, ""));
      return g_string_free (joined, FALSE);
    }
  g_autoptr(GPtrArray) parts = steps_output (root, step_member);

  for (guint i = 0; i < parts->len; i++)
    g_string_append (joined, g_ptr_array_index (parts, i));
  return g_string_free (joined, FALSE);
}

static gboolean
output_is (JsonObject *root,
           const char *want)
{
  g_autofree char *out = trace_output (root, "stdout", "out");

  return g_str_equal (want, out);
}

/* Which step printed what: out_after_N names the step after the first step
 * at line N, whose out is what line N wrote. */
static gboolean
check_step_outputs (HsCase     *c,
                    JsonObject *root)
{
  JsonArray *steps = json_object_get_array_member (root, "steps");
  g_autoptr(GPtrArray) parts = steps_output (root, "out");
  GHashTableIter iter;
  gpointer key, value;
  gboolean ok = TRUE;

  g_assert (c != NULL && root != NULL);

  g_hash_table_iter_init (&iter, c->expect);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *want = NULL;
      g_autofree char *got = NULL;
      gint64 line;

      if (!g_str_has_prefix (key, "out_after_"))
        continue;
      line = g_ascii_strtoll ((const char *) key + 10, NULL, 10);
      want = expand_repeats (value);
      for (guint i = 0; steps != NULL && i + 1 < json_array_get_length (steps); i++)
        if (json_object_get_int_member_with_default (json_array_get_object_element (steps, i), "line", 0) == line)
          {
            got = g_strdup (g_ptr_array_index (parts, i + 1));
            break;
          }
      if (g_strcmp0 (got, want) != 0)
        {
          gsize at = 0, from;
          g_autofree char *we = NULL, *ge = NULL;

          while (got != NULL && want[at] != '\0' && want[at] == got[at])
            at++;
          /* show where they part, not 4,000 equal bytes */
          from = at > 20 ? at - 20 : 0;
          {
            g_autoptr(GBytes) w = g_bytes_new (want + from, strlen (want + from));
            g_autoptr(GBytes) g = g_bytes_new (got ? got + MIN (from, strlen (got)) : "", got ? strlen (got + MIN (from, strlen (got))) : 0);

            we = escape_bytes (w, 60);
            ge = got ? escape_bytes (g, 60) : g_strdup ("(no such step)");
          }
          g_test_message ("out of the step after line %" G_GINT64_FORMAT ": expected %" G_GSIZE_FORMAT
                          " bytes, heapscope shows %" G_GSIZE_FORMAT "; from byte %" G_GSIZE_FORMAT
                          ": expected %s, heapscope %s", line, strlen (want), got ? strlen (got) : 0,
                          from, we, ge);
          ok = FALSE;
        }
    }
  return ok;
}

static void
make_big_source (const char *path)
{
  g_autoptr(GString) s = g_string_sized_new (51 * 1024 * 1024);
  /* a 50 MB program: a string literal that big, then one print */
  g_string_append (s, "# a 50 MB source file\ns = '");
  for (guint i = 0; i < 50u * 1024 * 1024 / 64; i++)
    g_string_append (s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789..");
  g_string_append (s, "'\nprint(len(s))\n");
  g_assert_true (g_file_set_contents (path, s->str, s->len, NULL));
}

/* Without the memory limit, "# unlimited:" replaces the expectations. */
static const char *
expected (HsCase     *c,
          const char *key)
{
  if (HS_WORKER_MEMORY_LIMIT_MB == 0 && g_hash_table_size (c->unlimited) > 0)
    return g_hash_table_lookup (c->unlimited, key);
  return g_hash_table_lookup (c->expect, key);
}

/* HS_HOSTILE_TIMEOUT_MULTIPLIER scales every case's --timeout, as meson's
 * --timeout-multiplier does its tests', for a sanitizer build whose worker
 * runs several times slower.  Each expectation holds at any timeout: a case
 * that hangs still hangs, one that ends does so sooner than its timeout. */
static double
timeout_multiplier (void)
{
  const char *env = g_getenv ("HS_HOSTILE_TIMEOUT_MULTIPLIER");
  double m = env != NULL ? g_ascii_strtod (env, NULL) : 1.0;

  return m >= 1.0 ? m : 1.0;
}

static void
test_case (gconstpointer data)
{
  HsCase *c = (HsCase *) data;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("heapscope-hostile-XXXXXX", &error);
  g_autofree char *file = g_strconcat (c->name, ".py", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *trace_path = g_build_filename (dir, "trace.json", NULL);
  double scaled = c->timeout * timeout_multiplier ();
  g_autofree char *timeout = g_strdup_printf ("%g", scaled);
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *python = g_getenv ("HEAPSCOPE_PYTHON");
  const char *python_argv[] = { python, file, NULL };
  const char *cli_argv[] = { HS_TEST_HEAPSCOPE, "trace", "--timeout", timeout, "-o", "trace.json", file,
                             c->max_steps != NULL ? "--max-steps" : NULL, c->max_steps, NULL };
  HsRun py = { 0 }, hs = { 0 };
  JsonObject *root;
  const char *status, *want;
  gboolean ok = TRUE;
  double grace = HS_HOSTILE_GRACE_SECONDS;

  g_assert_no_error (error);
  g_assert_nonnull (python);

  if (g_strcmp0 (c->generate, "big-source") == 0)
    make_big_source (path);
  else if (g_strcmp0 (c->generate, "directory") == 0)
    g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  else
    {
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (c->source, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (path, contents, len, NULL));
    }

  if (!c->skip_python)
    {
      run_bounded (dir, python_argv, HS_HOSTILE_PYTHON_SECONDS, &py);
      g_assert_true (py.finished);
    }

  if (g_getenv ("HS_HOSTILE_GRACE_SECONDS") != NULL)
    grace = g_ascii_strtod (g_getenv ("HS_HOSTILE_GRACE_SECONDS"), NULL);
  if (!c->skip_python)
    grace += HS_HOSTILE_PYTHON_FACTOR * py.seconds;
  run_bounded (dir, cli_argv, scaled + grace, &hs);
  g_test_message ("%s: heapscope trace took %.2f s (bound %g s); python3 status %d",
                  c->name, hs.seconds, scaled + grace, py.status);
  if (!hs.finished)
    {
      g_test_message ("heapscope trace did not return within %g s", scaled + grace);
      g_test_fail ();
      goto out;
    }

  want = expected (c, "cli_exit");
  if (hs.status != (want ? atoi (want) : 0))
    {
      g_autofree char *err = escape_bytes (hs.err, 2000);

      g_test_message ("heapscope trace exited %d, expected %s; it said %s", hs.status, want ? want : "0", err);
      g_test_fail ();
      goto out;
    }
  if (want != NULL)
    goto out;   /* no trace to check: the CLI refused the file */

  /* json-glib reads raw control characters in strings; RFC 8259 does not */
  {
    g_autoptr(GBytes) raw = slurp (trace_path);
    const guchar *p = g_bytes_get_data (raw, NULL);
    gsize len = g_bytes_get_size (raw);

    for (gsize i = 0; i < len; i++)
      if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t' && p[i] != ' ')
        {
          g_test_message ("the trace is not valid JSON: a raw control character 0x%02x at byte %" G_GSIZE_FORMAT, p[i], i);
          g_test_fail ();
          goto out;
        }
  }
  if (!json_parser_load_from_file (parser, trace_path, &error))
    {
      g_test_message ("the trace is not valid JSON: %s", error->message);
      g_test_fail ();
      goto out;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  status = json_object_get_string_member_with_default (root, "status", "(none)");
  if (g_strcmp0 (status, expected (c, "status")) != 0)
    {
      JsonObject *e = json_object_get_null_member (root, "error") ? NULL : json_object_get_object_member (root, "error");

      g_autofree char *said = e == NULL ? g_strdup ("")
                              : g_strescape (json_object_get_string_member_with_default (e, "message", ""), NULL);

      g_test_message ("status: expected %s, heapscope says %s%s%s%s%s", expected (c, "status"), status,
                      e ? " (" : "", e ? json_object_get_string_member_with_default (e, "type", "") : "",
                      e ? ": " : "", said);
      ok = FALSE;
    }

  /* exit code: stated, or python3's when it ran to an end */
  {
    JsonNode *node = json_object_get_member (root, "exit_code");
    g_autofree char *got = node == NULL ? g_strdup ("(none)")
                           : JSON_NODE_HOLDS_NULL (node) ? g_strdup ("null")
                           : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    g_autofree char *from_python = NULL;

    want = expected (c, "exit_code");
    /* python3 killed by a signal has no exit code; its signal is checked below */
    if (want == NULL && !c->skip_python && py.status >= 0)
      want = from_python = g_strdup_printf ("%d", py.status);
    if (want != NULL && g_strcmp0 (want, got) != 0)
      {
        g_test_message ("exit_code: expected %s, heapscope says %s", want, got);
        ok = FALSE;
      }
  }

  want = expected (c, "signal");
  if (want == NULL && !c->skip_python && py.status < 0)
    want = g_hash_table_lookup (c->expect, "signal");
  if (!c->skip_python && py.status < 0 && want == NULL)
    {
      JsonNode *node = json_object_get_member (root, "signal");

      if (node == NULL || JSON_NODE_HOLDS_NULL (node) || json_node_get_int (node) != -py.status)
        {
          g_test_message ("signal: python3 died of signal %d, heapscope says otherwise", -py.status);
          ok = FALSE;
        }
    }
  else if (want != NULL)
    {
      JsonNode *node = json_object_get_member (root, "signal");
      gint64 got = node == NULL || JSON_NODE_HOLDS_NULL (node) ? 0 : json_node_get_int (node);

      if (got != g_ascii_strtoll (want, NULL, 10))
        {
          g_test_message ("signal: expected %s, heapscope says %" G_GINT64_FORMAT, want, got);
          ok = FALSE;
        }
    }

  /* the exception: stated, or read from python3's last line of stderr */
  if (g_strcmp0 (status, "exception") == 0 || g_strcmp0 (status, "syntax-error") == 0
      || expected (c, "error.type") != NULL)
    {
      JsonObject *e = json_object_get_null_member (root, "error") ? NULL : json_object_get_object_member (root, "error");
      g_autofree char *py_type = NULL;
      g_autofree char *py_message = NULL;
      const char *want_type = expected (c, "error.type");
      const char *want_message = expected (c, "error.message");
      const char *got_type = e ? json_object_get_string_member_with_default (e, "type", "") : "(no error)";
      const char *got_message = e ? json_object_get_string_member_with_default (e, "message", "") : "(no error)";

      if (!c->skip_python)
        python_exception (py.err, &py_type, &py_message);
      if (want_type == NULL)
        want_type = py_type;
      if (want_message == NULL)
        want_message = py_message;

      /* python3 qualifies classes outside builtins: "__main__.Oops" */
      if (want_type != NULL && g_strcmp0 (want_type, got_type) != 0
          && !(g_str_has_suffix (want_type, got_type) && want_type[strlen (want_type) - strlen (got_type) - 1] == '.'))
        {
          g_test_message ("error.type: expected %s, heapscope says %s", want_type, got_type);
          ok = FALSE;
        }
      if (want_message != NULL && g_strcmp0 (want_message, got_message) != 0)
        {
          g_autofree char *w = g_strescape (want_message, NULL);
          g_autofree char *g = g_strescape (got_message, NULL);

          g_test_message ("error.message: expected \"%s\", heapscope says \"%s\"", w, g);
          ok = FALSE;
        }
    }

  /* output: what a run that ended wrote, byte for byte */
  if (!c->skip_python && g_strcmp0 (status, "timeout") != 0)
    {
      g_autofree char *out = trace_output (root, "stdout", "out");
      g_autofree char *err = trace_output (root, "stderr", "err");

      if (!text_equal ("stdout", py.out, out))
        ok = FALSE;
      if (c->compare_stderr && !text_equal ("stderr", py.err, err))
        ok = FALSE;
    }

  /* each step's out, put together, is the program's stdout */
  if (!c->steps_output_any && json_object_has_member (root, "steps"))
    {
      g_autoptr(GString) joined = g_string_new (NULL);
      g_autofree char *out = trace_output (root, "stdout", "out");

      g_autoptr(GPtrArray) parts = steps_output (root, "out");

      for (guint i = 0; i < parts->len; i++)
        g_string_append (joined, g_ptr_array_index (parts, i));
      /* a run cut short leaves bytes in buffers that no step saw yet */
      if (g_strcmp0 (status, "finished") == 0 || g_strcmp0 (status, "exception") == 0
          ? !g_str_equal (joined->str, out) : !g_str_has_prefix (out, joined->str) && !g_str_has_prefix (joined->str, out))
        {
          g_autoptr(GBytes) j = g_bytes_new (joined->str, joined->len);
          g_autoptr(GBytes) o = g_bytes_new (out, strlen (out));
          g_autofree char *je = escape_bytes (j, 400);
          g_autofree char *oe = escape_bytes (o, 400);

          g_test_message ("the steps' out do not add up to stdout:\n  steps:  %s\n  stdout: %s", je, oe);
          ok = FALSE;
        }
    }

  if (!check_step_outputs (c, root))
    ok = FALSE;

  /* a step at this line shows that recording went on to it */
  want = expected (c, "step_line");
  if (want != NULL)
    {
      JsonArray *steps = json_object_get_array_member (root, "steps");
      gboolean seen = FALSE;

      for (guint i = 0; steps != NULL && i < json_array_get_length (steps); i++)
        if (json_object_get_int_member_with_default (json_array_get_object_element (steps, i), "line", 0) == atoi (want))
          seen = TRUE;
      if (!seen)
        {
          g_test_message ("no step at line %s: recording stopped before it", want);
          ok = FALSE;
        }
    }

  want = expected (c, "stdout");
  if (want != NULL && !output_is (root, want))
    {
      g_test_message ("stdout: expected \"%s\"", want);
      ok = FALSE;
    }

  if (!ok)
    g_test_fail ();

out:
  hs_run_clear (&py);
  hs_run_clear (&hs);
  g_unlink (trace_path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    g_rmdir (path);
  else
    g_unlink (path);
  /* a program may leave files behind; they are its own */
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *left;

    while (d != NULL && (left = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, left, NULL);
        g_unlink (p);
      }
  }
  g_rmdir (dir);
}

/* The worker must not outlive a parent killed with SIGKILL (issue 7, bug 8). */
static void
test_parent_killed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("heapscope-hostile-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "forever.py", NULL);
  g_autofree char *out_path = g_build_filename (dir, "run.out", NULL);
  g_autofree char *err_path = g_build_filename (dir, "run.err", NULL);
  const char *argv[] = { HS_TEST_HEAPSCOPE, "trace", "--timeout", "60", "forever.py", NULL };
  ChildFiles files = { out_path, err_path, "/dev/null" };
  GPid pid;
  gint64 deadline;
  gboolean gone = FALSE;

  g_assert_no_error (error);
  /* no steps while it waits: only the timeout could end it */
  g_assert_true (g_file_set_contents (path, "import time\ntime.sleep(3600)\n", -1, NULL));
  g_spawn_async (dir, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                 child_setup, &files, &pid, &error);
  g_assert_no_error (error);
  setpgid (pid, pid);
  g_usleep (G_USEC_PER_SEC);
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);

  /* the group still has members while the worker lives */
  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      if (kill (-pid, 0) < 0 && errno == ESRCH)
        {
          gone = TRUE;
          break;
        }
      g_usleep (50 * 1000);
    }
  kill (-pid, SIGKILL);
  if (!gone)
    {
      g_test_message ("the worker was still running 3 s after its parent was killed");
      g_test_fail ();
    }
  g_unlink (path);
  g_unlink (out_path);
  g_unlink (err_path);
  g_rmdir (dir);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (hs_case_free);
  const char *name;

  g_test_init (&argc, &argv, NULL);

  /* meson runs one case per test (test-hostile CASE.py); without
   * arguments every program of the folder runs */
  for (int i = 1; i < argc; i++)
    {
      g_autofree char *path = g_build_filename (HS_HOSTILE_DIR, argv[i], NULL);

      if (!g_str_has_suffix (argv[i], ".py") || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_error ("no hostile case %s", argv[i]);
      g_ptr_array_add (files, g_strdup (argv[i]));
    }
  if (files->len == 0)
    {
      dir = g_dir_open (HS_HOSTILE_DIR, 0, NULL);
      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".py"))
          g_ptr_array_add (files, g_strdup (name));
      g_ptr_array_sort (files, compare_names);
      g_test_add_func ("/hostile-process/parent-killed", test_parent_killed);
    }

  for (guint i = 0; i < files->len; i++)
    {
      HsCase *c = hs_case_load (HS_HOSTILE_DIR, g_ptr_array_index (files, i));

      /* GLib skips paths with a "/subprocess" component unless asked */
      g_assert (!g_str_has_prefix (c->name, "subprocess"));
      g_autofree char *test_path = g_strconcat ("/hostile/", c->name, NULL);

      g_ptr_array_add (cases, c);
      g_test_add_data_func (test_path, c, test_case);
    }

  return g_test_run ();
}
