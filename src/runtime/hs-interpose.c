/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libc functions the worker replaces for the whole process.  They are
 * defined in the executable, which exports them, so libpython's calls
 * (and ctypes' lookups by name) resolve here too.
 *
 * Three jobs: noting the program's output (write, writev, which also cap
 * it and lift the program's RLIMIT_FSIZE for it, see hs-rlimits.c) and _exit,
 * keeping the worker's private descriptors out of the program's reach,
 * and keeping the worker's own threads out of the program's view of its
 * threads (at the end of this file).
 * To the program a private number behaves as a closed descriptor: close
 * and every call that uses it fail with EBADF, close_range skips it, and
 * listings of /proc/self/fd leave it out.  A program that makes the number
 * its own (dup2, dup3) gets it, and the worker's descriptor moves to
 * another number first.  Only the worker's own I/O, bracketed by
 * hs_interpose_begin_io(), reaches the private descriptors.
 *
 * The protocol's pipes are not among them: hs-channel.c keeps those out of
 * the process's descriptor table, beyond raw system calls too.  Only where
 * that is refused do they stay here, hidden like the rest.
 *
 * A child made by vfork (subprocess) shares the worker's memory but not
 * its descriptor table: there nothing is ever written to shared state and
 * nothing is sent.  A child made by fork closes the private descriptors.
 */
#define G_LOG_DOMAIN "heapscope-runtime"

#include "config.h"

/* Both the plain and the 64-bit names are defined here, so the plain ones
 * must not be renamed to the others. */
#undef _FILE_OFFSET_BITS
#define _GNU_SOURCE 1
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <glib.h>

#include "hs-channel.h"
#include "hs-interpose.h"
#include "hs-output-capture.h"
#include "hs-rlimits.h"
#include "hs-tracer.h"

/* Where a private descriptor moves when the program takes its number. */
#define PRIVATE_FD_BASE 500

static pid_t worker_pid;
static volatile int private_fds[HS_N_PRIVATE_FDS] = { -1, -1, -1, -1 };
static pthread_mutex_t io_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread gboolean in_worker_io;

static inline pid_t
current_pid (void)
{
  return (pid_t) syscall (SYS_getpid);
}

gboolean
hs_interpose_in_worker (void)
{
  return worker_pid != 0 && current_pid () == worker_pid;
}

static gboolean
is_private (int fd)
{
  if (fd < 0)
    return FALSE;
  for (guint i = 0; i < HS_N_PRIVATE_FDS; i++)
    if (private_fds[i] == fd)
      return TRUE;
  return FALSE;
}

/* The program's view: a private number is closed, unless the worker
 * itself is using it on this thread. */
static gboolean
hidden (int fd)
{
  return !in_worker_io && is_private (fd);
}

static void
after_fork_in_child (void)
{
  /* the child's copies: the parent's protocol is none of its business */
  for (guint i = 0; i < HS_N_PRIVATE_FDS; i++)
    if (private_fds[i] >= 0)
      {
        syscall (SYS_close, private_fds[i]);
        private_fds[i] = -1;
      }
}

void
hs_interpose_init (void)
{
  worker_pid = current_pid ();
  pthread_atfork (NULL, NULL, after_fork_in_child);
}

void
hs_interpose_adopt_fd (HsPrivateFd which,
                       int         fd)
{
  g_return_if_fail (which < HS_N_PRIVATE_FDS);

  pthread_mutex_lock (&io_lock);
  private_fds[which] = fd;
  pthread_mutex_unlock (&io_lock);
}

/* The worker's own I/O on a private descriptor.  Writes hold the lock so
 * that a program thread cannot move the descriptor in the middle of a
 * frame; the blocking read of the next command does not, and a move meanwhile
 * leaves that read on the pipe it started on. */
int
hs_interpose_begin_io (HsPrivateFd which,
                       gboolean    lock)
{
  g_return_val_if_fail (which < HS_N_PRIVATE_FDS, -1);

  if (lock)
    pthread_mutex_lock (&io_lock);
  in_worker_io = TRUE;
  return private_fds[which];
}

void
hs_interpose_end_io (gboolean lock)
{
  in_worker_io = FALSE;
  if (lock)
    pthread_mutex_unlock (&io_lock);
}

/* The program is about to take fd's number: the worker's descriptor there
 * moves to a free number first.  Called with io_lock held. */
static gboolean
make_room (int fd)
{
  for (guint i = 0; i < HS_N_PRIVATE_FDS; i++)
    if (private_fds[i] == fd)
      {
        int moved = syscall (SYS_fcntl, fd, F_DUPFD_CLOEXEC, PRIVATE_FD_BASE);

        if (moved < 0)
          return FALSE;
        private_fds[i] = moved;
        syscall (SYS_close, fd);
      }
  return TRUE;
}

static int
ebadf (void)
{
  errno = EBADF;
  return -1;
}

/* The program's signal handlers (Python's own C handler, which marks the
 * signal for its Python handler to run at the next check) are installed
 * behind a relay: while the tracer builds a step, a signal is only noted,
 * and handed to the program's handler when the step is done.  To the
 * program, sigaction() shows its own handler. */
static struct sigaction program_actions[NSIG];
static volatile sig_atomic_t relayed[NSIG];
static volatile sig_atomic_t holding;
static volatile sig_atomic_t held[NSIG];
static siginfo_t held_info[NSIG];

static void
call_program_handler (int        sig,
                      siginfo_t *info,
                      void      *context)
{
  const struct sigaction *act = &program_actions[sig];

  if (act->sa_flags & SA_SIGINFO)
    act->sa_sigaction (sig, info, context);
  else if (act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN)
    act->sa_handler (sig);
}

static void
relay_signal (int        sig,
              siginfo_t *info,
              void      *context)
{
  if (holding)
    {
      if (info != NULL)
        held_info[sig] = *info;
      held[sig] = 1;
      return;
    }
  call_program_handler (sig, info, context);
}

void
hs_interpose_hold_signals (gboolean hold)
{
  holding = hold;
  if (hold)
    return;
  for (int sig = 1; sig < NSIG; sig++)
    if (held[sig])
      {
        held[sig] = 0;
        if (relayed[sig])
          call_program_handler (sig, &held_info[sig], NULL);
      }
}

int
sigaction (int                     sig,
           const struct sigaction *act,
           struct sigaction       *old)
{
  static int (*real) (int, const struct sigaction *, struct sigaction *);
  struct sigaction relay;
  struct sigaction previous;
  gboolean was_relayed;
  int ret;

  if (real == NULL)
    real = dlsym (RTLD_NEXT, "sigaction");
  if (sig <= 0 || sig >= NSIG || !hs_interpose_in_worker ())
    return real (sig, act, old);

  was_relayed = relayed[sig];
  previous = program_actions[sig];
  if (act == NULL)
    ret = real (sig, NULL, old);
  else if (!(act->sa_flags & SA_SIGINFO) && (act->sa_handler == SIG_DFL || act->sa_handler == SIG_IGN))
    {
      relayed[sig] = 0;
      ret = real (sig, act, old);
    }
  else
    {
      relay = *act;
      relay.sa_flags |= SA_SIGINFO;
      relay.sa_sigaction = relay_signal;
      program_actions[sig] = *act;
      ret = real (sig, &relay, old);
      if (ret == 0)
        relayed[sig] = 1;
      else
        program_actions[sig] = previous;
    }
  if (ret == 0 && old != NULL && was_relayed)
    *old = previous;
  return ret;
}

/* os._exit() and exit() end here; the steps batched so far must reach the
 * app first, but only from the worker itself: subprocess's vfork child
 * ends here too when exec fails, and must not touch the worker's state. */
void
_exit (int status)
{
  if (hs_interpose_in_worker ())
    hs_tracer_flush_for_exit ();
  syscall (SYS_exit_group, status);
  for (;;)
    ;
}

/* The same interposition tells the tracer when the program wrote to its
 * stdout or stderr, so that a step with no output costs no system call.
 * Python's own writes (print, os.write) come through here. */
ssize_t
write (int         fd,
       const void *buf,
       size_t      count)
{
  ssize_t n;
  gsize admitted = count;
  gboolean lifted;

  if (hidden (fd))
    return ebadf ();
  if (fd == STDOUT_FILENO || fd == STDERR_FILENO)
    {
      admitted = hs_output_capture_admit (count);
      if (admitted == 0 && count > 0)
        return count;   /* past the output cap: dropped (see hs-output-capture.c) */
    }
  lifted = hs_rlimits_output_begin (fd);
  n = syscall (SYS_write, fd, buf, admitted);
  hs_rlimits_output_end (lifted);
  if (n > 0)
    hs_output_capture_note_write (fd, n);
  return n == (ssize_t) admitted ? (ssize_t) count : n;
}

ssize_t
writev (int                 fd,
        const struct iovec *iov,
        int                 iovcnt)
{
  ssize_t n;
  gboolean lifted;

  if (hidden (fd))
    return ebadf ();
  if ((fd == STDOUT_FILENO || fd == STDERR_FILENO) && iovcnt > 0)
    {
      gsize total = 0;
      gsize admitted;

      for (int i = 0; i < iovcnt; i++)
        total += iov[i].iov_len;
      admitted = hs_output_capture_admit (total);
      if (admitted < total)
        {
          /* past the output cap: what fits is written, the rest dropped */
          ssize_t done = 0;

          for (int i = 0; i < iovcnt && (gsize) done < admitted; i++)
            {
              gsize len = MIN (iov[i].iov_len, admitted - done);

              lifted = hs_rlimits_output_begin (fd);
              n = syscall (SYS_write, fd, iov[i].iov_base, len);
              hs_rlimits_output_end (lifted);
              if (n > 0)
                hs_output_capture_note_write (fd, n);
              if (n < (ssize_t) len)
                return done > 0 ? done + MAX (n, 0) : n;
              done += n;
            }
          return total;
        }
    }
  lifted = hs_rlimits_output_begin (fd);
  n = syscall (SYS_writev, fd, iov, iovcnt);
  hs_rlimits_output_end (lifted);
  if (n > 0)
    hs_output_capture_note_write (fd, n);
  return n;
}

ssize_t
pwrite64 (int         fd,
          const void *buf,
          size_t      count,
          off_t       offset)
{
  if (hidden (fd))
    return ebadf ();
  return syscall (SYS_pwrite64, fd, buf, count, offset);
}

ssize_t
pwrite (int         fd,
        const void *buf,
        size_t      count,
        off_t       offset)
{
  return pwrite64 (fd, buf, count, offset);
}

ssize_t
read (int    fd,
      void  *buf,
      size_t count)
{
  if (hidden (fd))
    return ebadf ();
  return syscall (SYS_read, fd, buf, count);
}

ssize_t
readv (int                 fd,
       const struct iovec *iov,
       int                 iovcnt)
{
  if (hidden (fd))
    return ebadf ();
  return syscall (SYS_readv, fd, iov, iovcnt);
}

ssize_t
pread64 (int    fd,
         void  *buf,
         size_t count,
         off_t  offset)
{
  if (hidden (fd))
    return ebadf ();
  return syscall (SYS_pread64, fd, buf, count, offset);
}

ssize_t
pread (int    fd,
       void  *buf,
       size_t count,
       off_t  offset)
{
  return pread64 (fd, buf, count, offset);
}

off_t
lseek64 (int   fd,
         off_t offset,
         int   whence)
{
  if (hidden (fd))
    return ebadf ();
  return syscall (SYS_lseek, fd, offset, whence);
}

off_t
lseek (int   fd,
       off_t offset,
       int   whence)
{
  return lseek64 (fd, offset, whence);
}

int
fstat64 (int            fd,
         struct stat64 *st)
{
  if (hidden (fd))
    return ebadf ();
  return syscall (SYS_newfstatat, fd, "", st, AT_EMPTY_PATH);
}

int
fstat (int          fd,
       struct stat *st)
{
  if (hidden (fd))
    return ebadf ();
  return syscall (SYS_newfstatat, fd, "", st, AT_EMPTY_PATH);
}

int
close (int fd)
{
  if (hidden (fd))
    return ebadf ();
  return syscall (SYS_close, fd);
}

/* os.closerange() calls close_range() first (CPython's _Py_closerange),
 * and so does subprocess's child for close_fds. */
int
close_range (unsigned int first,
             unsigned int last,
             int          flags)
{
  int sorted[HS_N_PRIVATE_FDS];
  guint n = 0;
  unsigned int from = first;

  if (in_worker_io || first > last)
    return syscall (SYS_close_range, first, last, flags);

  for (guint i = 0; i < HS_N_PRIVATE_FDS; i++)
    if (private_fds[i] >= 0 && (unsigned int) private_fds[i] >= first && (unsigned int) private_fds[i] <= last)
      sorted[n++] = private_fds[i];
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && sorted[j - 1] > sorted[j]; j--)
      {
        int t = sorted[j];

        sorted[j] = sorted[j - 1];
        sorted[j - 1] = t;
      }

  for (guint i = 0; i < n; i++)
    {
      if ((unsigned int) sorted[i] > from &&
          syscall (SYS_close_range, from, (unsigned int) sorted[i] - 1, flags) < 0)
        return -1;
      from = (unsigned int) sorted[i] + 1;
    }
  if (from <= last && (n == 0 || from > (unsigned int) sorted[n - 1]))
    return syscall (SYS_close_range, from, last, flags);
  return 0;
}

void
closefrom (int lowfd)
{
  close_range (MAX (lowfd, 0), ~0U, 0);
}

int
dup (int fd)
{
  if (hidden (fd))
    return ebadf ();
  return syscall (SYS_dup, fd);
}

int
dup3 (int oldfd,
      int newfd,
      int flags)
{
  int r;

  if (hidden (oldfd))
    return ebadf ();
  if (in_worker_io || !is_private (newfd))
    return syscall (SYS_dup3, oldfd, newfd, flags);

  /* A vfork child shares the table with the worker: it must not move
   * anything, so the number stays unavailable there. */
  if (!hs_interpose_in_worker ())
    return ebadf ();

  pthread_mutex_lock (&io_lock);
  if (!make_room (newfd))
    {
      pthread_mutex_unlock (&io_lock);
      errno = EMFILE;
      return -1;
    }
  r = syscall (SYS_dup3, oldfd, newfd, flags);
  pthread_mutex_unlock (&io_lock);
  return r;
}

int
dup2 (int oldfd,
      int newfd)
{
  if (oldfd == newfd)
    {
      if (hidden (oldfd) || syscall (SYS_fcntl, oldfd, F_GETFD) < 0)
        return ebadf ();
      return newfd;
    }
  return dup3 (oldfd, newfd, 0);
}

static int
fcntl_va (int     fd,
          int     cmd,
          va_list ap)
{
  unsigned long arg = va_arg (ap, unsigned long);

  if (hidden (fd))
    return ebadf ();
  return syscall (SYS_fcntl, fd, cmd, arg);
}

int
fcntl (int fd,
       int cmd,
       ...)
{
  va_list ap;
  int r;

  va_start (ap, cmd);
  r = fcntl_va (fd, cmd, ap);
  va_end (ap);
  return r;
}

int
fcntl64 (int fd,
         int cmd,
         ...)
{
  va_list ap;
  int r;

  va_start (ap, cmd);
  r = fcntl_va (fd, cmd, ap);
  va_end (ap);
  return r;
}

/* os.set_inheritable() uses FIOCLEX/FIONCLEX: a program must not hand the
 * protocol to its children. */
int
ioctl (int           fd,
       unsigned long request,
       ...)
{
  va_list ap;
  unsigned long arg;

  va_start (ap, request);
  arg = va_arg (ap, unsigned long);
  va_end (ap);
  if (hidden (fd))
    return ebadf ();
  return syscall (SYS_ioctl, fd, request, arg);
}

/* A listing of the process's own descriptors leaves the private ones out,
 * as python3 would never have had them. */
static gboolean
is_own_fd_dir (DIR *dir)
{
  struct stat dir_st, st;

  if (syscall (SYS_newfstatat, dirfd (dir), "", &dir_st, AT_EMPTY_PATH) < 0)
    return FALSE;
  if (stat ("/proc/self/fd", &st) == 0 && st.st_dev == dir_st.st_dev && st.st_ino == dir_st.st_ino)
    return TRUE;
  if (stat ("/proc/thread-self/fd", &st) == 0 && st.st_dev == dir_st.st_dev && st.st_ino == dir_st.st_ino)
    return TRUE;
  return FALSE;
}

/* A listing of the process's threads leaves the worker's own out (see
 * "The process's threads" below). */
static gboolean
is_own_task_dir (DIR *dir)
{
  struct stat dir_st, st;

  if (syscall (SYS_newfstatat, dirfd (dir), "", &dir_st, AT_EMPTY_PATH) < 0)
    return FALSE;
  return stat ("/proc/self/task", &st) == 0 && st.st_dev == dir_st.st_dev && st.st_ino == dir_st.st_ino;
}

static gboolean
skip_entry (DIR        *dir,
            const char *name)
{
  char *end;
  long n;

  if (in_worker_io || name[0] < '0' || name[0] > '9')
    return FALSE;
  n = strtol (name, &end, 10);
  if (*end != '\0' || n > G_MAXINT)
    return FALSE;
  if (is_private ((int) n) && is_own_fd_dir (dir))
    return TRUE;
  return hs_channel_is_own_thread ((pid_t) n) && is_own_task_dir (dir);
}

struct dirent64 *
readdir64 (DIR *dir)
{
  static struct dirent64 *(*real) (DIR *);
  struct dirent64 *e;

  if (real == NULL)
    real = dlsym (RTLD_NEXT, "readdir64");
  do
    e = real (dir);
  while (e != NULL && skip_entry (dir, e->d_name));
  return e;
}

struct dirent *
readdir (DIR *dir)
{
  static struct dirent *(*real) (DIR *);
  struct dirent *e;

  if (real == NULL)
    real = dlsym (RTLD_NEXT, "readdir");
  do
    e = real (dir);
  while (e != NULL && skip_entry (dir, e->d_name));
  return e;
}

/* Opening /proc/self/fd/N (or /dev/fd/N, or the courier thread's
 * /proc/PID/task/TID/fd/N, by any path) reopens what N is: for the
 * protocol's pipes that would hand the program a new way in.  Whatever path
 * led there, an open that lands on one of them fails as the missing entry
 * would under python3. */
static gboolean
is_private_pipe (int fd)
{
  struct stat st;

  return syscall (SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH) == 0 &&
         hs_channel_is_protocol_pipe (&st);
}

/* The usual names of the process's own descriptors. */
static gboolean
names_private_fd (const char *path)
{
  char own[32];
  const char *prefixes[] = { "/proc/self/fd/", "/dev/fd/", "/proc/thread-self/fd/", own };

  g_snprintf (own, sizeof own, "/proc/%d/fd/", (int) worker_pid);
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (strncmp (path, prefixes[i], strlen (prefixes[i])) == 0)
      {
        const char *number = path + strlen (prefixes[i]);
        char *end;
        long fd = strtol (number, &end, 10);

        return number[0] >= '0' && number[0] <= '9' && *end == '\0' && fd <= G_MAXINT && is_private ((int) fd);
      }
  return FALSE;
}

/* The process's threads, below. */
static GString *thread_count_text (int            dirfd,
                                   const char    *path);
static int      memory_file       (const GString *text,
                                   int            flags);

static int
checked_openat (int         dirfd,
                const char *path,
                int         flags,
                mode_t      mode)
{
  int fd;

  if (path != NULL && !in_worker_io && names_private_fd (path))
    {
      errno = ENOENT;
      return -1;
    }
  if ((flags & O_ACCMODE) == O_RDONLY)
    {
      g_autoptr(GString) text = thread_count_text (dirfd, path);

      if (text != NULL && (fd = memory_file (text, flags)) >= 0)
        return fd;
    }
  fd = syscall (SYS_openat, dirfd, path, flags, mode);

  if (fd >= 0 && !in_worker_io && is_private_pipe (fd))
    {
      syscall (SYS_close, fd);
      errno = ENOENT;
      return -1;
    }
  return fd;
}

static mode_t
mode_arg (int     flags,
          va_list ap)
{
  if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
    return va_arg (ap, mode_t);
  return 0;
}

int
open (const char *path,
      int         flags,
      ...)
{
  va_list ap;
  mode_t mode;

  va_start (ap, flags);
  mode = mode_arg (flags, ap);
  va_end (ap);
  return checked_openat (AT_FDCWD, path, flags, mode);
}

int
open64 (const char *path,
        int         flags,
        ...)
{
  va_list ap;
  mode_t mode;

  va_start (ap, flags);
  mode = mode_arg (flags, ap);
  va_end (ap);
  return checked_openat (AT_FDCWD, path, flags | O_LARGEFILE, mode);
}

int
openat (int         dirfd,
        const char *path,
        int         flags,
        ...)
{
  va_list ap;
  mode_t mode;

  va_start (ap, flags);
  mode = mode_arg (flags, ap);
  va_end (ap);
  return checked_openat (dirfd, path, flags, mode);
}

int
openat64 (int         dirfd,
          const char *path,
          int         flags,
          ...)
{
  va_list ap;
  mode_t mode;

  va_start (ap, flags);
  mode = mode_arg (flags, ap);
  va_end (ap);
  return checked_openat (dirfd, path, flags | O_LARGEFILE, mode);
}

/* poll() on a closed descriptor reports POLLNVAL at once; so it does on a
 * private one (select.poll, selectors). */
int
poll (struct pollfd *fds,
      nfds_t         nfds,
      int            timeout)
{
  struct timespec ts, *tsp = NULL;
  int on_stack[1024];
  int *saved = NULL;
  nfds_t n_hidden = 0;
  int r;

  if (!in_worker_io)
    for (nfds_t i = 0; i < nfds; i++)
      if (hidden (fds[i].fd))
        n_hidden++;
  if (n_hidden > 0)
    {
      saved = nfds <= G_N_ELEMENTS (on_stack) ? on_stack : malloc (nfds * sizeof *saved);
      if (saved == NULL)
        n_hidden = 0;
    }
  if (n_hidden > 0)
    {
      for (nfds_t i = 0; i < nfds; i++)
        {
          saved[i] = fds[i].fd;
          if (hidden (fds[i].fd))
            fds[i].fd = -1;   /* ignored by the kernel */
        }
      timeout = 0;
    }
  if (timeout >= 0)
    {
      ts.tv_sec = timeout / 1000;
      ts.tv_nsec = (timeout % 1000) * 1000000L;
      tsp = &ts;
    }
  r = syscall (SYS_ppoll, fds, nfds, tsp, NULL, (size_t) 8);
  if (n_hidden > 0)
    {
      for (nfds_t i = 0; i < nfds; i++)
        if (fds[i].fd != saved[i])
          {
            fds[i].fd = saved[i];
            fds[i].revents = POLLNVAL;
            if (r >= 0)
              r++;
          }
      if (saved != on_stack)
        free (saved);
    }
  return r;
}

int
__poll_chk (struct pollfd *fds,
            nfds_t         nfds,
            int            timeout,
            size_t         fdslen)
{
  return poll (fds, nfds, timeout);
}

/* mmap() of a closed descriptor fails with EBADF; so does one of a private
 * descriptor (the mmap module), instead of mapping the worker's reader of
 * the output file.  glibc's own allocations call its internal __mmap. */
void *
mmap64 (void  *addr,
        size_t length,
        int    prot,
        int    flags,
        int    fd,
        off_t  offset)
{
  if (!(flags & MAP_ANONYMOUS) && hidden (fd))
    {
      errno = EBADF;
      return MAP_FAILED;
    }
  return (void *) syscall (SYS_mmap, addr, length, prot, flags, fd, offset);
}

void *
mmap (void  *addr,
      size_t length,
      int    prot,
      int    flags,
      int    fd,
      off_t  offset)
{
  return mmap64 (addr, length, prot, flags, fd, offset);
}

/* ------------------------------------------------------------------ */
/* The process's threads, as python3 alone would have them             */

/* The worker's own threads, the channel's courier and writer
 * (hs-channel.c), are not the program's: python3 running the same program
 * would not have them.  CPython 3.12+ count the threads in /proc/self/stat
 * and warn a program that forks while "multi-threaded", and a program can
 * count them itself.  So the listings of /proc/self/task leave them out
 * (readdir, above), and the files that count the threads (stat's field 20,
 * num_threads, and status's "Threads:" line) count them less ours, whether
 * opened with open() (Python's open and os.open) or fopen() (CPython's own
 * check).  The opened file is then a copy in memory, made at open time. */

/* Whether PATH names the stat or status file of the worker process or of
 * one of its threads: /proc/self/, /proc/thread-self/ or /proc/PID/, then
 * optionally task/TID/, then "stat" or "status". */
static gboolean
names_thread_count_file (const char *path)
{
  char own[32];
  const char *prefixes[] = { "/proc/self/", "/proc/thread-self/", own };
  const char *rest = NULL;

  g_assert (path != NULL);

  g_snprintf (own, sizeof own, "/proc/%d/", (int) worker_pid);
  for (guint i = 0; i < G_N_ELEMENTS (prefixes) && rest == NULL; i++)
    if (g_str_has_prefix (path, prefixes[i]))
      rest = path + strlen (prefixes[i]);
  if (rest == NULL)
    return FALSE;
  if (g_str_has_prefix (rest, "task/"))
    {
      rest += strlen ("task/");
      while (*rest >= '0' && *rest <= '9')
        rest++;
      if (*rest++ != '/')
        return FALSE;
    }
  return strcmp (rest, "stat") == 0 || strcmp (rest, "status") == 0;
}

/* stat's field 20 or status's "Threads:" line in TEXT, less OWN; FALSE
 * where TEXT has neither. */
static gboolean
count_less_own_threads (GString *text,
                        int      own)
{
  char *p, *end;
  long threads;
  int field;

  g_assert (text != NULL && own > 0);

  if ((p = strstr (text->str, "\nThreads:\t")) != NULL)
    p += strlen ("\nThreads:\t") - 1;
  else
    {
      /* stat: fields after the command's closing parenthesis start at 3 */
      if ((p = strrchr (text->str, ')')) == NULL)
        return FALSE;
      for (field = 2; field < 20 && p != NULL; field++)
        p = strchr (p + 1, ' ');
      if (p == NULL)
        return FALSE;
    }
  threads = strtol (p + 1, &end, 10);
  if (end == p + 1 || threads <= own)
    return FALSE;
  {
    g_autofree char *count = g_strdup_printf ("%ld", threads - own);
    gssize at = p + 1 - text->str;

    g_string_erase (text, at, end - (p + 1));
    g_string_insert (text, at, count);
  }
  return TRUE;
}

/* PATH as a full path: a relative one is taken from DIRFD, or from the
 * working directory (os.open ("status", dir_fd=...) in /proc/self, or a
 * program that went there).  NULL where it cannot name a thread count. */
static char *
full_path (int         dirfd,
           const char *path)
{
  const char *base = strrchr (path, '/');
  char dir[PATH_MAX];
  gssize len;

  g_assert (path != NULL);

  if (path[0] == '/')
    return g_str_has_prefix (path, "/proc/") ? g_strdup (path) : NULL;
  base = base != NULL ? base + 1 : path;
  if (strcmp (base, "stat") != 0 && strcmp (base, "status") != 0)
    return NULL;
  if (dirfd == AT_FDCWD)
    {
      if (getcwd (dir, sizeof dir) == NULL)
        return NULL;
    }
  else
    {
      char link[32];

      g_snprintf (link, sizeof link, "/proc/self/fd/%d", dirfd);
      if ((len = readlink (link, dir, sizeof dir - 1)) < 0)
        return NULL;
      dir[len] = '\0';
    }
  if (!g_str_has_prefix (dir, "/proc/"))
    return NULL;
  return g_build_filename (dir, path, NULL);
}

/* What the program should read from PATH (relative to DIRFD), or NULL to
 * let it read the real file. */
static GString *
thread_count_text (int         dirfd,
                   const char *path)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *full = NULL;
  char chunk[4096];
  gssize n;
  int own, fd;

  if (path == NULL || in_worker_io || !hs_interpose_in_worker () ||
      (own = hs_channel_own_threads ()) == 0 || (full = full_path (dirfd, path)) == NULL ||
      !names_thread_count_file (full))
    return NULL;
  if ((fd = syscall (SYS_openat, AT_FDCWD, full, O_RDONLY | O_CLOEXEC)) < 0)
    return NULL;
  text = g_string_new (NULL);
  while ((n = syscall (SYS_read, fd, chunk, sizeof chunk)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        break;
      g_string_append_len (text, chunk, n);
    }
  syscall (SYS_close, fd);
  if (n != 0 || !count_less_own_threads (text, own))
    return NULL;
  return g_steal_pointer (&text);
}

/* A descriptor on a copy of TEXT in memory, opened as FLAGS ask, or -1. */
static int
memory_file (const GString *text,
             int            flags)
{
  int fd;

  g_assert (text != NULL);

  fd = syscall (SYS_memfd_create, "heapscope-proc", (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
  if (fd < 0)
    return -1;
  if (syscall (SYS_write, fd, text->str, text->len) != (gssize) text->len ||
      syscall (SYS_lseek, fd, 0, SEEK_SET) != 0)
    {
      syscall (SYS_close, fd);
      return -1;
    }
  return fd;
}

FILE *
fopen (const char *path,
       const char *mode)
{
  static FILE *(*real) (const char *, const char *);
  g_autoptr(GString) text = NULL;
  FILE *f;

  if (real == NULL)
    real = dlsym (RTLD_NEXT, "fopen");
  if (mode != NULL && mode[0] == 'r' && strchr (mode, '+') == NULL &&
      (text = thread_count_text (AT_FDCWD, path)) != NULL &&
      (f = fmemopen (NULL, text->len + 1, "w+")) != NULL)
    {
      fwrite (text->str, 1, text->len, f);
      rewind (f);
      return f;
    }
  return real (path, mode);
}

FILE *
fopen64 (const char *path,
         const char *mode)
{
  return fopen (path, mode);
}
