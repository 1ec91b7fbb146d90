/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The program's file descriptors against the worker's own: a program that
 * closes, overwrites, lists or writes to every descriptor must behave as
 * under python3, and must neither break nor forge the protocol.
 */
#define G_LOG_DOMAIN "heapscope-test-fds"

#include "config.h"

#include <string.h>

#include "hs-test-trace.h"

#define ADD(path, func) \
  g_test_add (path, HsTraceFixture, NULL, hs_trace_fixture_setup, func, hs_trace_fixture_teardown)

/* Traces source and runs it under python3 from the same file: both must
 * print the same bytes on both streams and end the same way. */
static HsTrace *
run_like_python (HsTraceFixture *f,
                 const char     *source,
                 int             expected_exit)
{
  g_autoptr(GBytes) py_out = NULL;
  g_autoptr(GBytes) py_err = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  HsTrace *t = hs_trace_fixture_run (f, source);
  int py_status = hs_test_run_python (f->path, NULL, &py_out, &py_err);

  g_assert_cmpint (py_status, ==, expected_exit);
  out = hs_trace_dup_stdout (t);
  err = hs_trace_dup_stderr (t);
  g_assert_true (hs_test_bytes_equal_verbose ("stdout", py_out, out));
  g_assert_true (hs_test_bytes_equal_verbose ("stderr", py_err, err));
  if (expected_exit == 0)
    hs_test_assert_status (t, "finished");
  else
    {
      hs_test_assert_status (t, "exited");
      g_assert_cmpint (hs_trace_get_exit_code (t), ==, expected_exit);
    }
  return t;
}

/* The step at the last line ran: the protocol survived to the end. */
static void
assert_reached_line (HsTrace *t,
                     guint    line)
{
  g_autoptr(HsSnapshot) s = hs_test_step_at_line (t, line, 0);

  g_assert_cmpuint (hs_snapshot_get_line (s), ==, line);
}

/* A failed exec in subprocess's vfork child ends in _exit(): the child
 * shares the worker's memory and must not send the worker's steps. */
static void
test_vfork_exec_fails (HsTraceFixture *f,
                       gconstpointer   data)
{
  HsTrace *t;

  HS_TEST_RUN_TRAPPED (60);

  t = run_like_python (f,
    "import subprocess\n"
    "for i in range(3):\n"
    "    try:\n"
    "        subprocess.run(['/no/such/program'])\n"
    "    except FileNotFoundError as e:\n"
    "        print('not found', e.errno)\n"
    "print('after')\n", 0);
  assert_reached_line (t, 7);
}

static void
test_closerange (HsTraceFixture *f,
                 gconstpointer   data)
{
  HsTrace *t;

  HS_TEST_RUN_TRAPPED (60);

  t = run_like_python (f,
    "import os\n"
    "os.closerange(3, 65536)\n"
    "x = 1\n"
    "print('still here', x)\n", 0);
  assert_reached_line (t, 4);
}

static void
test_close_each (HsTraceFixture *f,
                 gconstpointer   data)
{
  HsTrace *t;

  HS_TEST_RUN_TRAPPED (60);

  t = run_like_python (f,
    "import os\n"
    "closed = 0\n"
    "for fd in range(3, 1024):\n"
    "    try:\n"
    "        os.close(fd)\n"
    "        closed += 1\n"
    "    except OSError:\n"
    "        pass\n"
    "print('closed', closed)\n", 0);
  assert_reached_line (t, 9);
}

/* python3 has no descriptor above 2 open: every write fails, and the
 * protocol must neither receive the bytes nor leak into stdout. */
static void
test_write_every_fd (HsTraceFixture *f,
                     gconstpointer   data)
{
  HsTrace *t;

  HS_TEST_RUN_TRAPPED (60);

  t = run_like_python (f,
    "import os\n"
    "ok = 0\n"
    "for fd in range(3, 1024):\n"
    "    try:\n"
    "        os.write(fd, b'\\x00\\x00\\x00\\x10garbage-frame')\n"
    "        ok += 1\n"
    "    except OSError:\n"
    "        pass\n"
    "print('written', ok)\n", 0);
  assert_reached_line (t, 9);
}

/* dup2 over every number: under python3 each becomes a copy of stdout,
 * and what is written to them lands in stdout, nothing else does. */
static void
test_dup2_over_every_fd (HsTraceFixture *f,
                         gconstpointer   data)
{
  HsTrace *t;

  HS_TEST_RUN_TRAPPED (60);

  t = run_like_python (f,
    "import os, sys\n"
    "for fd in range(3, 1024):\n"
    "    os.dup2(1, fd)\n"
    "os.write(500, b'via 500\\n')\n"
    "os.write(501, b'via 501\\n')\n"
    "for fd in range(3, 1024):\n"
    "    os.close(fd)\n"
    "print('done')\n", 0);
  assert_reached_line (t, 8);
}

/* A program that writes a well-formed frame where the protocol used to
 * be, then kills itself, must not be reported as finished. */
static void
test_forge_status (HsTraceFixture *f,
                   gconstpointer   data)
{
  HsTrace *t;

  HS_TEST_RUN_TRAPPED (60);

  t = hs_trace_fixture_run (f,
    "import os, signal\n"
    "for fd in range(3, 1024):\n"
    "    try:\n"
    "        os.write(fd, b'\\x00' * 64)\n"
    "    except OSError:\n"
    "        pass\n"
    "os.kill(os.getpid(), signal.SIGKILL)\n");
  hs_test_assert_status (t, "crashed");
  g_assert_cmpint (hs_trace_get_signal (t), ==, 9);
}

/* The listing the program sees is python3's: no protocol descriptors. */
static void
test_proc_self_fd (HsTraceFixture *f,
                   gconstpointer   data)
{
  HS_TEST_RUN_TRAPPED (60);

  run_like_python (f,
    "import os\n"
    "print(sorted(int(n) for n in os.listdir('/proc/self/fd')))\n"
    "print(sorted(int(e.name) for e in os.scandir('/proc/self/fd')))\n"
    "for fd in (500, 501):\n"
    "    try:\n"
    "        os.fstat(fd)\n"
    "        print(fd, 'open')\n"
    "    except OSError as e:\n"
    "        print(fd, e.errno)\n", 0);
}

/* Reading from where the commands arrive must not steal them. */
static void
test_read_fds (HsTraceFixture *f,
               gconstpointer   data)
{
  HsTrace *t;

  HS_TEST_RUN_TRAPPED (60);

  t = run_like_python (f,
    "import os\n"
    "n = 0\n"
    "for fd in range(3, 1024):\n"
    "    try:\n"
    "        os.set_blocking(fd, False)\n"
    "        os.read(fd, 10)\n"
    "        n += 1\n"
    "    except OSError:\n"
    "        pass\n"
    "print('read', n)\n", 0);
  assert_reached_line (t, 10);
}

/* Reopening a descriptor by its name in /proc must not reach the
 * protocol either: by the usual names nothing private opens, and by a
 * detour no pipe does. */
static void
test_reopen_by_name (HsTraceFixture *f,
                     gconstpointer   data)
{
  HsTrace *t;

  HS_TEST_RUN_TRAPPED (60);

  t = run_like_python (f,
    "import os, stat\n"
    "n = 0\n"
    "for name in ('/proc/self/fd/%d', '/dev/fd/%d', '/proc/self/../self/fd/%d'):\n"
    "    for fd in range(3, 1024):\n"
    "        for mode in (os.O_WRONLY, os.O_RDONLY | os.O_NONBLOCK):\n"
    "            try:\n"
    "                f = os.open(name % fd, mode)\n"
    "            except OSError:\n"
    "                continue\n"
    "            if '..' not in name or stat.S_ISFIFO(os.fstat(f).st_mode):\n"
    "                n += 1\n"
    "                if mode == os.O_WRONLY:\n"
    "                    os.write(f, b'\\x00' * 64)\n"
    "            os.close(f)\n"
    "print('reopened', n)\n", 0);
  assert_reached_line (t, 15);
}

/* A forked child lets go of the protocol; the parent keeps tracing. */
static void
test_fork_child_closes (HsTraceFixture *f,
                        gconstpointer   data)
{
  HsTrace *t;

  HS_TEST_RUN_TRAPPED (60);

  t = run_like_python (f,
    "import os\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.closerange(3, 65536)\n"
    "    for fd in range(3, 1024):\n"
    "        try:\n"
    "            os.write(fd, b'x' * 64)\n"
    "        except OSError:\n"
    "            pass\n"
    "    os._exit(0)\n"
    "os.waitpid(pid, 0)\n"
    "print('parent')\n", 0);
  assert_reached_line (t, 12);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  ADD ("/runtime/fds/vfork-exec-fails", test_vfork_exec_fails);
  ADD ("/runtime/fds/closerange", test_closerange);
  ADD ("/runtime/fds/close-each", test_close_each);
  ADD ("/runtime/fds/write-every-fd", test_write_every_fd);
  ADD ("/runtime/fds/dup2-over-every-fd", test_dup2_over_every_fd);
  ADD ("/runtime/fds/forge-status", test_forge_status);
  ADD ("/runtime/fds/proc-self-fd", test_proc_self_fd);
  ADD ("/runtime/fds/read", test_read_fds);
  ADD ("/runtime/fds/fork-child", test_fork_child_closes);
  ADD ("/runtime/fds/reopen-by-name", test_reopen_by_name);

  return g_test_run ();
}
