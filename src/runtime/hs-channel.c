/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Hiding the protocol's descriptors behind libc's calls (hs-interpose.c)
 * is not enough: a program can make raw system calls through ctypes
 * (`libc.syscall(SYS_write, 500, ...)`, `syscall(SYS_close, ...)`), which
 * no interposer sees.  So the pipes leave the process's descriptor table
 * altogether.  A courier thread calls unshare(CLONE_FILES): from then on
 * it (and the writer thread it starts, which shares its table) has a
 * private copy of the table, holding the pipes, and the shared table, the
 * only one the program's threads and children ever use, drops them.  The
 * rest of the worker hands frames over in memory:
 *
 *   - sending: the sender puts its frame in `request` and waits on a futex
 *     until the writer has written all of it (futexes, not a GCond, since
 *     a fatal signal's handler sends the last batch);
 *   - receiving: the courier reads frames from the app and queues them.
 *     The app keeps its end open until the worker is gone, so the end of
 *     that stream means the app died: the courier then kills the worker
 *     and its process group, as nobody is left to read what it does.
 *
 * Where unshare() is refused (a sandbox's seccomp filter), the pipes stay
 * in the shared table, moved to high numbers and hidden by hs-interpose.c
 * as before.
 */
#define G_LOG_DOMAIN "heapscope-runtime"

#include "config.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "hs-channel.h"
#include "hs-interpose.h"
#include "hs-protocol.h"

/* Where the pipes move when they must stay in the shared table. */
#define FALLBACK_FD_BASE 500

typedef enum
{
  REQUEST_IDLE,
  REQUEST_PENDING,
  REQUEST_DONE,
} RequestState;

static struct
{
  const guint8 *data;
  gsize         len;
  int           error;     /* errno of a failed write, or 0 */
  int           state;     /* RequestState, a futex word */
} request;

static pthread_mutex_t send_lock = PTHREAD_MUTEX_INITIALIZER;

static int out_fd = -1;    /* numbers in the courier's table */
static int in_fd = -1;
static struct stat out_st, in_st;
static gboolean have_identity;

static GAsyncQueue *received;   /* of Received */

typedef struct
{
  GBytes *frame;
  GError *error;
} Received;

static GMutex ready_lock;
static GCond ready_cond;
static int ready;          /* 0 waiting, 1 private table, -1 shared table */

/* The two threads' ids, published before hs_channel_open() returns, so
 * that the program's view of its threads can leave them out from its
 * first line on (hs-interpose.c); the writer's is a futex word. */
static pid_t courier_tid;
static int writer_tid;

static void
futex_wait (int *word,
            int  value)
{
  syscall (SYS_futex, word, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
}

static void
futex_wake (int *word)
{
  syscall (SYS_futex, word, FUTEX_WAKE_PRIVATE, G_MAXINT, NULL, NULL, 0);
}

/* Raw calls: the courier's numbers mean nothing to the interposers. */
static int
write_all (int           fd,
           const guint8 *data,
           gsize         len)
{
  while (len > 0)
    {
      gssize n = syscall (SYS_write, fd, data, len);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return errno;
        }
      data += n;
      len -= n;
    }
  return 0;
}

static gpointer
writer_main (gpointer data)
{
  /* named, so that the program's view of its threads can leave it out
   * (hs-interpose.c) */
  pthread_setname_np (pthread_self (), "heapscope-write");
  g_atomic_int_set (&writer_tid, (int) syscall (SYS_gettid));
  futex_wake (&writer_tid);
  for (;;)
    {
      int state;

      while ((state = g_atomic_int_get (&request.state)) != REQUEST_PENDING)
        futex_wait (&request.state, state);
      request.error = write_all (out_fd, request.data, request.len);
      g_atomic_int_set (&request.state, REQUEST_DONE);
      futex_wake (&request.state);
    }
  return NULL;
}

/* The app is gone: end the program, and its children with it when the app
 * made the worker a process group of its own. */
static void G_GNUC_NORETURN
app_gone (void)
{
  if (getpgrp () == getpid ())
    kill (0, SIGKILL);
  kill (getpid (), SIGKILL);
  for (;;)
    pause ();
}

/* In the fallback, the pipes stay in the shared table, where the program
 * finds 3 and 4 closed as under python3 and the interposers hide the
 * numbers the pipes moved to. */
static gboolean
fallback_to_shared_table (void)
{
  int moved_out = fcntl (out_fd, F_DUPFD_CLOEXEC, FALLBACK_FD_BASE);
  int moved_in = fcntl (in_fd, F_DUPFD_CLOEXEC, FALLBACK_FD_BASE);

  if (moved_out < 0 || moved_in < 0)
    return FALSE;
  syscall (SYS_close, out_fd);
  syscall (SYS_close, in_fd);
  out_fd = moved_out;
  in_fd = moved_in;
  hs_interpose_adopt_fd (HS_FD_PROTOCOL_OUT, out_fd);
  hs_interpose_adopt_fd (HS_FD_PROTOCOL_IN, in_fd);
  return TRUE;
}

/* Everything in the courier's copy of the table but the pipes is closed,
 * so that it holds no file of the program's open behind its back. */
static void
close_all_but_pipes (void)
{
  int lo = MIN (out_fd, in_fd);
  int hi = MAX (out_fd, in_fd);

  if (lo > 0)
    syscall (SYS_close_range, 0u, (unsigned int) lo - 1, 0u);
  if (hi > lo + 1)
    syscall (SYS_close_range, (unsigned int) lo + 1, (unsigned int) hi - 1, 0u);
  syscall (SYS_close_range, (unsigned int) hi + 1, ~0u, 0u);
}

static gpointer
courier_main (gpointer data)
{
  sigset_t all;
  int mode;

  pthread_setname_np (pthread_self (), "heapscope-couri");
  courier_tid = (pid_t) syscall (SYS_gettid);
  /* this thread's own I/O is never the program's (hs-interpose.c) */
  hs_interpose_begin_io (HS_FD_PROTOCOL_IN, FALSE);
  /* signals sent to the process (SIGTERM from Stop, the program's own)
   * are for the program's threads and the tracer's handlers, never for
   * the courier or the writer (started from here, it inherits the mask) */
  sigfillset (&all);
  pthread_sigmask (SIG_BLOCK, &all, NULL);

  if (unshare (CLONE_FILES) == 0)
    {
      close_all_but_pipes ();
      mode = 1;
    }
  else
    mode = fallback_to_shared_table () ? -1 : -2;

  if (mode != -2)
    {
      /* started from here, it shares this thread's table */
      g_thread_unref (g_thread_new ("heapscope-writer", writer_main, NULL));
      while (g_atomic_int_get (&writer_tid) == 0)
        futex_wait (&writer_tid, 0);
    }

  g_mutex_lock (&ready_lock);
  ready = mode;
  g_cond_signal (&ready_cond);
  g_mutex_unlock (&ready_lock);
  if (mode == -2)
    return NULL;

  for (;;)
    {
      Received *r = g_new0 (Received, 1);

      if (!hs_protocol_read_frame_fd (in_fd, &r->frame, &r->error))
        {
          guint8 rest[4096];
          gssize n;

          /* the app broke the protocol; the worker hears no more of it,
           * but still ends with the app */
          g_async_queue_push (received, r);
          while ((n = syscall (SYS_read, in_fd, rest, sizeof rest)) != 0)
            if (n < 0 && errno != EINTR)
              break;
          app_gone ();
        }
      if (r->frame == NULL)
        app_gone ();
      g_async_queue_push (received, r);
    }
  return NULL;
}

/* Takes over the inherited pipes: out_fd to the app, in_fd from it. */
gboolean
hs_channel_open (int      out,
                 int      in,
                 GError **error)
{
  int mode;

  g_return_val_if_fail (received == NULL, FALSE);

  if (syscall (SYS_newfstatat, out, "", &out_st, AT_EMPTY_PATH) < 0 ||
      syscall (SYS_newfstatat, in, "", &in_st, AT_EMPTY_PATH) < 0)
    {
      g_set_error (error, HS_PROTOCOL_ERROR, HS_PROTOCOL_ERROR_IO, "no protocol pipes");
      return FALSE;
    }
  have_identity = TRUE;
  out_fd = out;
  in_fd = in;
  received = g_async_queue_new ();

  /* a plain thread: Python's threading module never sees it */
  g_thread_unref (g_thread_new ("heapscope-courier", courier_main, NULL));
  g_mutex_lock (&ready_lock);
  while (ready == 0)
    g_cond_wait (&ready_cond, &ready_lock);
  mode = ready;
  g_mutex_unlock (&ready_lock);

  if (mode == -2)
    {
      g_set_error (error, HS_PROTOCOL_ERROR, HS_PROTOCOL_ERROR_IO, "cannot move the protocol pipes");
      return FALSE;
    }
  if (mode == 1)
    {
      /* the courier holds its own copies; the shared table lets go */
      syscall (SYS_close, out);
      syscall (SYS_close, in);
    }
  return TRUE;
}

/* Whether TID is one of the channel's threads, which python3 running the
 * same program would not have. */
gboolean
hs_channel_is_own_thread (pid_t tid)
{
  return tid > 0 && hs_interpose_in_worker () &&
         (tid == courier_tid || tid == (pid_t) g_atomic_int_get (&writer_tid));
}

/* How many threads the channel runs: 2 once it is open, 0 before and in a
 * fork of the worker, where they do not exist. */
int
hs_channel_own_threads (void)
{
  if (!hs_interpose_in_worker ())
    return 0;
  return (courier_tid != 0) + (g_atomic_int_get (&writer_tid) != 0);
}

/* Writes one message and returns once all of it is in the pipe, so that a
 * process about to end has said everything. */
gboolean
hs_channel_send (const char *name,
                 GVariant   *payload,
                 GError    **error)
{
  g_autoptr(GBytes) frame = hs_protocol_frame (name, payload);
  int state;
  int failed;

  /* a fork of the worker has no writer, and no business with the app */
  if (received == NULL || !hs_interpose_in_worker ())
    {
      g_set_error (error, HS_PROTOCOL_ERROR, HS_PROTOCOL_ERROR_IO, "not the worker");
      return FALSE;
    }

  pthread_mutex_lock (&send_lock);
  request.data = g_bytes_get_data (frame, &request.len);
  request.error = 0;
  g_atomic_int_set (&request.state, REQUEST_PENDING);
  futex_wake (&request.state);
  while ((state = g_atomic_int_get (&request.state)) != REQUEST_DONE)
    futex_wait (&request.state, state);
  failed = request.error;
  g_atomic_int_set (&request.state, REQUEST_IDLE);
  pthread_mutex_unlock (&send_lock);

  if (failed != 0)
    {
      g_set_error (error, HS_PROTOCOL_ERROR, HS_PROTOCOL_ERROR_IO,
                   "write: %s", g_strerror (failed));
      return FALSE;
    }
  return TRUE;
}

/* The next message from the app, waiting for it.  The app never closes
 * the stream while the worker lives (see courier_main). */
gboolean
hs_channel_receive (GBytes **frame,
                    GError **error)
{
  Received *r;
  gboolean ok;

  g_return_val_if_fail (frame != NULL, FALSE);
  g_return_val_if_fail (received != NULL, FALSE);

  r = g_async_queue_pop (received);
  *frame = r->frame;
  ok = r->error == NULL;
  if (!ok)
    g_propagate_error (error, r->error);
  g_free (r);
  return ok;
}

/* Whether st is one of the protocol's pipes, wherever it was reopened
 * from (/proc/PID/task/TID/fd/N names the courier's copies). */
gboolean
hs_channel_is_protocol_pipe (const struct stat *st)
{
  g_return_val_if_fail (st != NULL, FALSE);

  return have_identity && S_ISFIFO (st->st_mode) &&
         ((st->st_dev == out_st.st_dev && st->st_ino == out_st.st_ino) ||
          (st->st_dev == in_st.st_dev && st->st_ino == in_st.st_ino));
}
