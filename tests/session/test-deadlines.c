/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The worker boundary's deadlines and failure reports (issue 7, bugs 6, 7,
 * 8, 9, 11, 18).  Each case that could hang runs in a trapped subprocess
 * with a generous trap timeout; bounds are "within the timeout plus 10 s",
 * never exact timings.
 */
#define G_LOG_DOMAIN "heapscope-test-deadlines"

#include "config.h"

#include <signal.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "hs-runner.h"

#define RUN_TIMEOUT_MS 3000
/* Not a measure of speed: the deadlocks and hangs these tests catch never
 * end.  The app's own work after a kill (70 MB of output, for one) takes
 * seconds on a loaded 2-core machine. */
#define GRACE_MS 10000
/* How many times python3's own time to print 70 MB through a pipe the app
 * may take on top: the app reads, splits and keeps that output, several
 * copies of python3's work, and a machine loaded enough to slow the app
 * slows python3 as much. */
#define BASELINE_FACTOR 20
#define BOUND_US (bound_us (RUN_TIMEOUT_MS))
/* The flood's timeout: far longer than the flood takes to reach the app's
 * cap on pending output, so that only the cap can end it, however loaded
 * the machine (with 3 s, it sometimes ended as "timeout") */
#define FLOOD_TIMEOUT_MS 100000
/* What catches a hang that the bound does not: far above any bound a
 * loaded machine reaches, within the test's meson timeout (600 s). */
#define TRAP_TIMEOUT_US (150 * G_USEC_PER_SEC)

/* python3 printing 70 MB into a pipe that is read to its end, timed once a
 * process: how fast this machine is right now. */
static gint64
baseline_us (void)
{
  static gint64 measured = -1;
  const char *python = g_getenv ("HEAPSCOPE_PYTHON");
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (measured >= 0)
    return measured;
  start = g_get_monotonic_time ();
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                           python != NULL ? python : "python3",
                           "-c", "print('x' * 70_000_000)", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
  g_assert_cmpuint (g_bytes_get_size (out), ==, 70000001);
  measured = g_get_monotonic_time () - start;
  g_test_message ("python3 printed 70 MB in %.2f s", measured / (double) G_USEC_PER_SEC);
  return measured;
}

/* The timeout plus GRACE_MS plus BASELINE_FACTOR times python3's own
 * time; a sanitizer build, whose app code runs a few times slower, widens
 * the grace with HS_HOSTILE_GRACE_SECONDS as it does for the hostile
 * corpus (build-aux/heapscope-dev sanitize).  Measured before the run, so
 * that the run's own load does not widen it. */
static gint64
bound_us (gint64 timeout_ms)
{
  const char *env = g_getenv ("HS_HOSTILE_GRACE_SECONDS");
  gint64 grace_ms = GRACE_MS;

  if (env != NULL)
    grace_ms = MAX (grace_ms, (gint64) (g_ascii_strtod (env, NULL) * 1000));
  return (timeout_ms + grace_ms) * G_TIME_SPAN_MILLISECOND + BASELINE_FACTOR * baseline_us ();
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents,
            gboolean    executable)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  if (executable)
    g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return path;
}

/* Runs program with a 3 s timeout, checks that the runner returned within
 * the bound and returns the trace. */
static HsTrace *
run_bounded (const char *program,
             const char *runtime)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("heapscope-deadline-XXXXXX", &error);
  g_autofree char *path = write_file (dir, "snippet.py", program, FALSE);
  g_autofree char *fake = NULL;
  g_autoptr(HsRunner) runner = hs_runner_new ();
  HsRunOptions options;
  HsTrace *trace;
  gint64 start, bound;

  if (runtime != NULL)
    {
      fake = write_file (dir, "fake-runtime", runtime, TRUE);
      hs_runner_set_runtime_path (runner, fake);
    }
  hs_run_options_init (&options);
  options.timeout_ms = RUN_TIMEOUT_MS;

  bound = BOUND_US;
  start = g_get_monotonic_time ();
  trace = hs_runner_run_sync (runner, path, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, bound);

  g_unlink (path);
  if (fake != NULL)
    g_unlink (fake);
  g_rmdir (dir);
  return trace;
}

static void
assert_protocol_error (HsTrace *trace)
{
  const HsTraceError *err = hs_trace_get_error (trace);

  g_assert_cmpstr (hs_trace_get_status (trace), ==, "crashed");
  g_assert_nonnull (err);
  g_assert_cmpstr (err->type, ==, "ProtocolError");
  g_assert_cmpstr (err->message, !=, "");
}

#define TRAPPED(body) \
  G_STMT_START { \
    if (g_test_subprocess ()) \
      { \
        body; \
        return; \
      } \
    g_test_trap_subprocess (NULL, TRAP_TIMEOUT_US, G_TEST_SUBPROCESS_DEFAULT); \
    g_test_trap_assert_passed (); \
  } G_STMT_END

/* Bug 7: a non-daemon thread that never ends keeps Python's shutdown
 * waiting; the run still ends within its deadline and says so. */
static void
test_thread_forever (void)
{
  TRAPPED ({
    g_autoptr(HsTrace) trace = run_bounded ("import threading, time\n"
                                            "threading.Thread(target=time.sleep, args=(1000,)).start()\n",
                                            NULL);
    g_assert_cmpstr (hs_trace_get_status (trace), ==, "timeout");
  });
}

static void
test_atexit_loop (void)
{
  TRAPPED ({
    g_autoptr(HsTrace) trace = run_bounded ("import atexit\n"
                                            "def spin():\n"
                                            "    while True:\n"
                                            "        pass\n"
                                            "atexit.register(spin)\n",
                                            NULL);
    g_assert_cmpstr (hs_trace_get_status (trace), ==, "timeout");
  });
}

static void
test_del_loop_at_exit (void)
{
  TRAPPED ({
    g_autoptr(HsTrace) trace = run_bounded ("class Stuck:\n"
                                            "    def __del__(self):\n"
                                            "        while True:\n"
                                            "            pass\n"
                                            "s = Stuck()\n",
                                            NULL);
    g_assert_cmpstr (hs_trace_get_status (trace), ==, "timeout");
  });
}

/* A child started with every open fd holds the protocol pipe too: when
 * the worker dies without a word, the app stops waiting for the end of the
 * stream once the worker itself is gone. */
static void
test_child_holds_pipe (void)
{
  TRAPPED ({
    g_autoptr(HsTrace) trace = run_bounded ("import os, subprocess\n"
                                            "fds = []\n"
                                            "for fd in range(3, 1024):\n"
                                            "    try:\n"
                                            "        os.fstat(fd)\n"
                                            "        fds.append(fd)\n"
                                            "    except OSError:\n"
                                            "        pass\n"
                                            "subprocess.Popen(['sleep', '30'], pass_fds=fds)\n"
                                            "os.kill(os.getpid(), 9)\n",
                                            NULL);
    g_assert_cmpstr (hs_trace_get_status (trace), ==, "crashed");
    g_assert_cmpint (hs_trace_get_signal (trace), ==, 9);
  });
}

/* Bug 7: a worker that never says hello. */
static void
test_no_hello (void)
{
  TRAPPED ({
    g_autoptr(HsTrace) trace = run_bounded ("x = 1\n", "#!/bin/sh\nexec sleep 1000\n");
    assert_protocol_error (trace);
  });
}

/* Bug 11: a bad frame is a protocol error, reported as such, not as the
 * end of the stream or as the kill that follows it. */
static void
test_bad_frame (void)
{
  TRAPPED ({
    g_autoptr(HsTrace) trace = run_bounded ("x = 1\n", "#!/bin/sh\nprintf 'garbage!' >&3\nexec sleep 1000\n");
    assert_protocol_error (trace);
    g_assert_nonnull (strstr (hs_trace_get_error (trace)->message, "size"));
  });
}


/* Bug 6: output far beyond a frame never deadlocks app and worker. */
static void
test_huge_output (void)
{
  TRAPPED ({
    g_autoptr(HsTrace) trace = run_bounded ("print('x' * 70_000_000)\n", NULL);
    g_assert_nonnull (hs_trace_get_status (trace));
  });
}

/* Bug 6, the app's side: output arrives in pieces ahead of its step, and
 * every size the worker sends has a cap. */
static HsTrace *
run_fake (const char *mode,
          guint       timeout_ms)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("heapscope-deadline-XXXXXX", &error);
  g_autofree char *path = write_file (dir, "snippet.py", "x = 1\n", FALSE);
  g_autoptr(HsRunner) runner = hs_runner_new ();
  HsRunOptions options;
  HsTrace *trace;
  gint64 start, bound;

  g_setenv ("HS_FAKE_MODE", mode, TRUE);
  hs_runner_set_runtime_path (runner, HS_FAKE_RUNTIME);
  hs_run_options_init (&options);
  options.timeout_ms = timeout_ms;
  bound = bound_us (timeout_ms);
  start = g_get_monotonic_time ();
  trace = hs_runner_run_sync (runner, path, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, bound);
  g_unlink (path);
  g_rmdir (dir);
  return trace;
}

static void
test_output_pieces (void)
{
  TRAPPED ({
    g_autoptr(HsTrace) trace = run_fake ("pieces", RUN_TIMEOUT_MS);
    g_autoptr(HsSnapshot) snap = NULL;
    g_autoptr(GBytes) expected_out = g_bytes_new_static ("abcd", 4);

    g_assert_cmpstr (hs_trace_get_status (trace), ==, "finished");
    g_assert_cmpuint (hs_trace_get_n_steps (trace), ==, 1);
    snap = hs_trace_get_snapshot (trace, 0);
    g_assert_true (g_bytes_equal (hs_snapshot_get_stdout (snap), expected_out));
  });
}

static void
test_output_piece_too_big (void)
{
  TRAPPED ({
    g_autoptr(HsTrace) trace = run_fake ("big-piece", RUN_TIMEOUT_MS);
    assert_protocol_error (trace);
  });
}

/* Bug 11: a stream that ends inside a frame is not a normal exit. */
static void
test_truncated_frame (void)
{
  TRAPPED ({
    g_autoptr(HsTrace) trace = run_fake ("truncated", RUN_TIMEOUT_MS);
    assert_protocol_error (trace);
  });
}

static void
test_output_flood (void)
{
  TRAPPED ({
    g_autoptr(HsTrace) trace = run_fake ("flood", FLOOD_TIMEOUT_MS);
    assert_protocol_error (trace);
  });
}

static HsRunner *
start_live (const char *dir,
            const char *program,
            HsTrace   **trace)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file (dir, "snippet.py", program, FALSE);
  HsRunner *runner = hs_runner_new ();
  HsRunOptions options;

  hs_run_options_init (&options);
  options.timeout_ms = RUN_TIMEOUT_MS;
  /* a loop meets the timeout, not the step limit */
  options.max_steps = 100000000;
  *trace = hs_runner_start_sync (runner, path, &options, &error);
  g_assert_no_error (error);
  g_assert_true (hs_runner_is_live (runner));
  return runner;
}

/* Bug 18: a console statement that loops times out, and says so. */
static void
test_exec_loop (void)
{
  TRAPPED ({
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp ("heapscope-deadline-XXXXXX", &error);
    g_autoptr(HsTrace) trace = NULL;
    g_autoptr(HsRunner) runner = start_live (dir, "x = 0\n", &trace);
    g_autofree char *python_error = NULL;
    g_autofree char *path = g_build_filename (dir, "snippet.py", NULL);
    gint64 bound = BOUND_US;
    gint64 start = g_get_monotonic_time ();

    g_assert_false (hs_runner_exec_sync (runner, "while True: x += 1", 2, &python_error, &error));
    g_assert_cmpint (g_get_monotonic_time () - start, <, bound);
    g_assert_nonnull (error);
    g_assert_cmpstr (hs_trace_get_status (trace), ==, "timeout");
    g_assert_null (strstr (error->message, "unexpected"));
    g_assert_false (hs_runner_is_live (runner));
    g_unlink (path);
    g_rmdir (dir);
  });
}

/* Bug 9: the program's threads run while the session waits for the next
 * statement. */
static void
test_threads_run_while_idle (void)
{
  TRAPPED ({
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp ("heapscope-deadline-XXXXXX", &error);
    g_autoptr(HsTrace) trace = NULL;
    g_autoptr(HsRunner) runner = start_live (dir,
                                             "import threading, time\n"
                                             "ticks = [0]\n"
                                             "def tick():\n"
                                             "    while True:\n"
                                             "        ticks[0] += 1\n"
                                             "        time.sleep(0.01)\n"
                                             "threading.Thread(target=tick, daemon=True).start()\n"
                                             "start = ticks[0]\n",
                                             &trace);
    g_autofree char *python_error = NULL;
    g_autofree char *path = g_build_filename (dir, "snippet.py", NULL);

    g_usleep (G_USEC_PER_SEC);
    /* 1 s of 10 ms sleeps is ~100 ticks; 20 leaves room for a slow machine */
    hs_runner_exec_sync (runner, "assert ticks[0] - start > 20, ticks[0] - start", 9, &python_error, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (python_error, ==, NULL);
    hs_runner_close (runner);
    g_unlink (path);
    g_rmdir (dir);
  });
}

static gboolean
process_gone (int pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *paren;

  if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
    return TRUE;
  /* a zombie has ended; whoever adopted it may be slow to reap it */
  paren = strrchr (stat, ')');
  return paren != NULL && paren[1] == ' ' && paren[2] == 'Z';
}

static gpointer
run_in_thread (gpointer data)
{
  HsRunner *runner = hs_runner_new ();
  HsRunOptions options;

  hs_run_options_init (&options);
  options.timeout_ms = 600000;
  hs_runner_run_sync (runner, data, &options, NULL);
  return NULL;
}

/* Bug 8: a worker whose app was killed does not spin on as an orphan. */
static void
test_orphan_dies (void)
{
  g_autoptr(GError) error = NULL;
  /* the trapped subprocess must find the directory its parent made */
  g_autofree char *name = g_strdup_printf ("heapscope-orphan-%d", g_test_subprocess () ? (int) getppid () : (int) getpid ());
  g_autofree char *dir = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_autofree char *pid_path = g_build_filename (dir, "pid", NULL);
  g_autofree char *program = g_strdup_printf ("import os\n"
                                              "with open(%s, 'w') as f:\n"
                                              "    f.write(str(os.getpid()))\n"
                                              "import time\n"
                                              "time.sleep(1000)\n",
                                              "'PID'");
  g_autofree char *contents = NULL;
  gint64 until;
  int pid;

  {
    g_autoptr(GString) text = g_string_new (program);

    g_string_replace (text, "PID", pid_path, 1);
    g_free (program);
    program = g_string_free (g_steal_pointer (&text), FALSE);
  }

  if (!g_test_subprocess ())
    g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  if (g_test_subprocess ())
    {
      g_autofree char *path = write_file (dir, "snippet.py", program, FALSE);

      g_thread_unref (g_thread_new ("run", run_in_thread, path));
      while (!g_file_test (pid_path, G_FILE_TEST_EXISTS))
        g_usleep (10 * G_TIME_SPAN_MILLISECOND);
      g_usleep (100 * G_TIME_SPAN_MILLISECOND);
      /* the app dies without a word to the worker */
      kill (getpid (), SIGKILL);
    }

  g_test_trap_subprocess (NULL, TRAP_TIMEOUT_US, G_TEST_SUBPROCESS_DEFAULT);
  g_assert_true (g_file_get_contents (pid_path, &contents, NULL, &error));
  pid = atoi (contents);
  g_assert_cmpint (pid, >, 0);

  until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!process_gone (pid) && g_get_monotonic_time () < until)
    g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  if (!process_gone (pid))
    kill (pid, SIGKILL);   /* don't leave it spinning after a failure */
  g_assert_true (process_gone (pid));

  g_unlink (pid_path);
  {
    g_autofree char *path = g_build_filename (dir, "snippet.py", NULL);
    g_unlink (path);
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/deadline/thread-forever", test_thread_forever);
  g_test_add_func ("/session/deadline/atexit-loop", test_atexit_loop);
  g_test_add_func ("/session/deadline/del-loop-at-exit", test_del_loop_at_exit);
  g_test_add_func ("/session/deadline/child-holds-pipe", test_child_holds_pipe);
  g_test_add_func ("/session/deadline/no-hello", test_no_hello);
  g_test_add_func ("/session/deadline/huge-output", test_huge_output);
  g_test_add_func ("/session/deadline/exec-loop", test_exec_loop);
  g_test_add_func ("/session/output/pieces", test_output_pieces);
  g_test_add_func ("/session/output/piece-too-big", test_output_piece_too_big);
  g_test_add_func ("/session/output/flood", test_output_flood);
  g_test_add_func ("/session/protocol/bad-frame", test_bad_frame);
  g_test_add_func ("/session/protocol/truncated-frame", test_truncated_frame);
  g_test_add_func ("/session/idle/threads-run", test_threads_run_while_idle);
  g_test_add_func ("/session/orphan/dies-with-app", test_orphan_dies);

  return g_test_run ();
}
