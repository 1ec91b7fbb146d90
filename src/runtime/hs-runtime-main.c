/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * heapscope-runtime: the worker process that embeds CPython.  The app starts
 * it with the protocol on fds 3 (to the app) and 4 (from the app), the
 * program's stdout and stderr on files, and stdin on the user's input file or
 * /dev/null.  User code may loop, crash or exhaust memory here without
 * touching the window.
 */
#define G_LOG_DOMAIN "heapscope-runtime"

#include "config.h"

#include <Python.h>
#include <locale.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "hs-interpose.h"
#include "hs-tracer.h"

/* The app hands the protocol over on fds 3 and 4; they move out of the
 * way at once, so the program finds 3 and 4 closed as under python3. */
#define INHERITED_OUT_FD 3
#define INHERITED_IN_FD  4
#define PROTOCOL_FD_BASE 500

static int protocol_out_fd = -1;
static int protocol_in_fd = -1;

/* The program may move them (see hs-interpose.c): always ask. */
static gboolean
write_message (const char *name,
               GVariant   *payload,
               GError    **error)
{
  int fd = hs_interpose_begin_io (HS_FD_PROTOCOL_OUT, TRUE);
  gboolean ok = hs_protocol_write_message (fd, name, payload, error);

  hs_interpose_end_io (TRUE);
  return ok;
}

static gboolean
read_frame (GBytes **frame,
            GError **error)
{
  int fd = hs_interpose_begin_io (HS_FD_PROTOCOL_IN, FALSE);
  gboolean ok = hs_protocol_read_frame_fd (fd, frame, error);

  hs_interpose_end_io (FALSE);
  return ok;
}

static gboolean
move_protocol_fds (void)
{
  protocol_out_fd = fcntl (INHERITED_OUT_FD, F_DUPFD_CLOEXEC, PROTOCOL_FD_BASE);
  protocol_in_fd = fcntl (INHERITED_IN_FD, F_DUPFD_CLOEXEC, PROTOCOL_FD_BASE);
  if (protocol_out_fd < 0 || protocol_in_fd < 0)
    return FALSE;
  close (INHERITED_OUT_FD);
  close (INHERITED_IN_FD);
  hs_interpose_adopt_fd (HS_FD_PROTOCOL_OUT, protocol_out_fd);
  hs_interpose_adopt_fd (HS_FD_PROTOCOL_IN, protocol_in_fd);
  return TRUE;
}

#define HS_WIDEN2(s) L ## s
#define HS_WIDEN(s) HS_WIDEN2 (s)
#define HS_PYTHON_EXECUTABLE_W HS_WIDEN (HS_PYTHON_EXECUTABLE)

/* The worker must not outlive the app (a killed app would leave a program
 * spinning as an orphan).  The app holds the only write end of the pipe to
 * the worker until the worker is gone, so a hang-up on it means the app
 * died, at any moment, even before this thread started.  PR_SET_PDEATHSIG
 * would not do: it fires when the *thread* that spawned the worker ends,
 * and the window spawns from pooled threads that come and go. */
static pthread_t watcher;
static pid_t watcher_tid;
static gboolean watcher_running;

static gpointer
watch_app (gpointer data)
{
  struct stat ours;

  watcher_tid = gettid ();

  /* raw calls: to libc's interposed fstat these fds look closed */
  if (syscall (SYS_fstat, hs_interpose_private_fd (HS_FD_PROTOCOL_IN), &ours) < 0)
    return NULL;

  for (;;)
    {
      /* the program may have moved the pipe (hs-interpose.c): ask again */
      int fd = hs_interpose_private_fd (HS_FD_PROTOCOL_IN);
      struct pollfd pfd = { fd, 0, 0 };
      struct stat now;

      if (poll (&pfd, 1, 1000) <= 0)
        continue;
      if (!(pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
        continue;
      /* only our pipe counts, not an fd the program put in its place */
      if ((pfd.revents & POLLNVAL) || syscall (SYS_fstat, fd, &now) < 0 ||
          now.st_dev != ours.st_dev || now.st_ino != ours.st_ino)
        {
          g_usleep (10000);
          continue;
        }
      /* the app leads us into our own process group: end the program's
       * children with us */
      if (getpgrp () == getpid ())
        kill (0, SIGKILL);
      kill (getpid (), SIGKILL);
    }
  return NULL;
}

/* a plain thread: Python's threading module never sees it */
static void
start_watcher (void)
{
  watcher_running = pthread_create (&watcher, NULL, watch_app, NULL) == 0;
  if (watcher_running)
    pthread_setname_np (watcher, "heapscope-watch");
}

/* CPython 3.12 and later warn a program that forks while its process has
 * more than one thread, counting the threads the kernel reports.  The
 * watcher is not the program's: it stops before each fork, and is gone
 * from the kernel's count (not only joined) when the fork happens. */
static void
stop_watcher_before_fork (void)
{
  char task[64];

  if (!watcher_running)
    return;
  pthread_cancel (watcher);   /* it waits in poll() or a sleep, holding nothing */
  pthread_join (watcher, NULL);
  watcher_running = FALSE;
  g_snprintf (task, sizeof task, "/proc/self/task/%d", (int) watcher_tid);
  for (guint i = 0; i < 100000 && access (task, F_OK) == 0; i++)
    sched_yield ();
}

static int
restart_watcher (void *data)
{
  if (!watcher_running)
    start_watcher ();
  return 0;
}

/* Started again once os.fork() has returned to the program: the warning
 * is decided after fork() itself returns. */
static void
restart_watcher_after_fork (void)
{
  if (Py_AddPendingCall (restart_watcher, NULL) < 0)
    start_watcher ();
}

static guint
lookup_uint (GVariantDict *options,
             const char   *key,
             guint         fallback)
{
  guint value;

  if (g_variant_dict_lookup (options, key, "u", &value))
    return value;
  return fallback;
}

static gboolean
init_python (const char *path,
             const char *argv0)
{
  PyConfig config;
  PyStatus status;
  wchar_t *wargv[1];

  PyConfig_InitPythonConfig (&config);
  config.parse_argv = 0;
  /* Unlike an embedding GUI, the worker is a process of its own: Python's
   * handlers give the program the SIGINT handler it has under python3. */
  config.install_signal_handlers = 1;

  status = PyConfig_SetString (&config, &config.executable, HS_PYTHON_EXECUTABLE_W);
  if (PyStatus_Exception (status))
    goto fail;
  status = PyConfig_SetString (&config, &config.program_name, HS_PYTHON_EXECUTABLE_W);
  if (PyStatus_Exception (status))
    goto fail;

  wargv[0] = Py_DecodeLocale (argv0, NULL);
  if (wargv[0] == NULL)
    goto fail_msg;
  status = PyConfig_SetArgv (&config, 1, wargv);
  PyMem_RawFree (wargv[0]);
  if (PyStatus_Exception (status))
    goto fail;

  status = Py_InitializeFromConfig (&config);
  PyConfig_Clear (&config);
  if (PyStatus_Exception (status))
    {
      g_printerr ("heapscope-runtime: %s\n", status.err_msg ? status.err_msg : "Python failed to start");
      return FALSE;
    }
  return TRUE;

fail:
  g_printerr ("heapscope-runtime: %s\n", status.err_msg ? status.err_msg : "bad Python configuration");
fail_msg:
  PyConfig_Clear (&config);
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GVariant) payload = NULL;
  g_autoptr(GVariantDict) options = NULL;
  const char *name = NULL;
  const char *path = NULL;
  const char *argv0 = NULL;
  HsTracerOptions topts = { 0 };

  setlocale (LC_ALL, "");
  hs_interpose_init ();

  if (!move_protocol_fds ())
    {
      g_printerr ("heapscope-runtime: not started by Heapscope (no protocol pipes)\n");
      return 2;
    }

  start_watcher ();
  pthread_atfork (stop_watcher_before_fork, restart_watcher_after_fork, NULL);

  if (!write_message (HS_MSG_HELLO,
                                  g_variant_new ("(us)", HS_PROTOCOL_VERSION, PY_VERSION), &error))
    {
      g_printerr ("heapscope-runtime: not started by Heapscope (%s)\n", error->message);
      return 2;
    }

  if (!read_frame (&frame, &error) || frame == NULL)
    return error ? 2 : 0;
  payload = hs_protocol_parse_frame (frame, &name, &error);
  if (payload == NULL || name != g_intern_static_string (HS_MSG_RUN) ||
      !g_variant_is_of_type (payload, G_VARIANT_TYPE_VARDICT))
    {
      g_printerr ("heapscope-runtime: expected a run message\n");
      return 2;
    }

  options = g_variant_dict_new (payload);
  if (!g_variant_dict_lookup (options, "path", "&s", &path) ||
      !g_variant_dict_lookup (options, "argv0", "&s", &argv0))
    {
      g_printerr ("heapscope-runtime: run message without a path\n");
      return 2;
    }

  if (!init_python (path, argv0))
    return 3;

  topts.path = path;
  topts.argv0 = argv0;
  topts.max_steps = lookup_uint (options, "max-steps", 10000);
  topts.timeout_ms = lookup_uint (options, "timeout-ms", 10000);
  topts.limits.max_objects = lookup_uint (options, "max-objects", 1000);
  topts.limits.max_elements = MAX (4, lookup_uint (options, "max-elements", 100));

  hs_tracer_run (&topts);

  /* Serve statements against the final state until the app lets go, then
   * shut down like python3 does at exit: atexit handlers and __del__
   * methods still print. */
  for (;;)
    {
      g_autoptr(GBytes) next = NULL;
      g_autoptr(GVariant) msg = NULL;
      const char *msg_name = NULL;

      gboolean read_ok;

      /* The program's threads run while the app is idle, as they would
       * under python3: the GIL is free during the wait. */
      Py_BEGIN_ALLOW_THREADS
      read_ok = read_frame (&next, NULL);
      Py_END_ALLOW_THREADS

      if (!read_ok || next == NULL)
        break;
      msg = hs_protocol_parse_frame (next, &msg_name, NULL);
      if (msg == NULL || msg_name == g_intern_static_string (HS_MSG_QUIT))
        break;
      if (msg_name == g_intern_static_string (HS_MSG_EXEC) && g_variant_is_of_type (msg, G_VARIANT_TYPE ("(su)")))
        {
          const char *source;
          guint32 first_line;

          g_variant_get (msg, "(&su)", &source, &first_line);
          hs_tracer_exec (source, first_line);
        }
    }

  hs_tracer_finalize ();
  return 0;
}
