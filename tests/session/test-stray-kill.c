/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Stopping a run sends SIGTERM, then SIGKILL to the worker's process group
 * a moment later.  By then the worker may have exited and been reaped:
 * its group id is free, and a signal to it could hit whoever gets that
 * number next.  This program's kill() sees every signal the runner sends.
 */
#define G_LOG_DOMAIN "heapscope-test-stray-kill"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "hs-runner.h"

static gint group_kills;
static gint stray_kills;

/* Takes the place of libc's for the runner linked into this program. */
int
kill (pid_t pid,
      int   sig)
{
  if (pid < -1 && sig == SIGKILL)
    {
      g_atomic_int_inc (&group_kills);
      /* signal 0 to an empty group: no process has that group id any more */
      if (syscall (SYS_kill, pid, 0) < 0 && errno == ESRCH)
        g_atomic_int_inc (&stray_kills);
    }
  return syscall (SYS_kill, pid, sig);
}

static void
test_stop_then_reaped (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("heapscope-stray-kill-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "snippet.py", NULL);
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsTrace) trace = NULL;
  HsRunOptions options;

  g_file_set_contents (path, "x = 1\n", -1, &error);
  g_assert_no_error (error);
  hs_run_options_init (&options);
  trace = hs_runner_start_sync (runner, path, &options, &error);
  g_assert_no_error (error);
  g_assert_true (hs_runner_is_live (runner));

  /* the worker ends on SIGTERM at once, and closing reaps it */
  hs_runner_stop (runner);
  hs_runner_close (runner);
  /* past the 300 ms after which the group would be killed */
  g_usleep (800 * G_TIME_SPAN_MILLISECOND);

  g_test_message ("%d SIGKILLs to a group, %d to a group with no process left",
                  g_atomic_int_get (&group_kills), g_atomic_int_get (&stray_kills));
  g_assert_cmpint (g_atomic_int_get (&stray_kills), ==, 0);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/stop/no-kill-after-reap", test_stop_then_reaped);
  return g_test_run ();
}
