/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libc functions the worker replaces for the whole process.  They are
 * defined in the executable, which exports them, so libpython's calls
 * resolve here too.
 */
#define G_LOG_DOMAIN "heapscope-runtime"

#include "config.h"

#include <glib.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "hs-output-capture.h"
#include "hs-tracer.h"

/* os._exit() and exit() end here; the steps batched so far must reach the
 * app first.  Defining _exit in the executable interposes libc's for
 * libpython too. */
void
_exit (int status)
{
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
  ssize_t n = syscall (SYS_write, fd, buf, count);

  if (n > 0)
    hs_output_capture_note_write (fd, n);
  return n;
}

ssize_t
writev (int                 fd,
        const struct iovec *iov,
        int                 iovcnt)
{
  ssize_t n = syscall (SYS_writev, fd, iov, iovcnt);

  if (n > 0)
    hs_output_capture_note_write (fd, n);
  return n;
}
