/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The limits a program sets for itself (issue 48, items 5 and 10), kept
 * off the worker: setrlimit, getrlimit and prlimit on the worker itself
 * are replaced, like the libc functions of hs-interpose.c.
 *
 * RLIMIT_AS: under python3 the limit covers the interpreter and the
 * program; in the worker also Heapscope, which takes about ten times
 * python3's address space before the first line (165 MB against 17 MB on
 * x86_64, mostly thread stacks and allocator arenas) and grows with the
 * objects it follows.  The limit applied is the program's plus that start
 * and HS_RLIMIT_AS_GROWTH; the program reads back its own.
 *
 * RLIMIT_FSIZE: python3 writing to a pipe is not limited by it, but the
 * worker's output goes to files.  The program's soft limit is applied, its
 * hard limit is only shown, and a write to the output files lifts the soft
 * limit for its own duration (hs_rlimits_output_begin()).
 *
 * The program's hard limit is kept by these functions, as the kernel
 * would keep it: raising it needs CAP_SYS_RESOURCE.
 */
#define G_LOG_DOMAIN "heapscope-runtime"

#include "config.h"

#define _GNU_SOURCE 1
#undef _FILE_OFFSET_BITS

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include <glib.h>

#include "hs-interpose.h"
#include "hs-output-capture.h"
#include "hs-rlimits.h"

#define HS_RLIMIT_AS_GROWTH ((rlim_t) 256 << 20)

/* The sanitizers' own start-up calls getrlimit() (RLIMIT_AS, RLIMIT_CORE,
 * RLIMIT_STACK) before their shadow memory exists: what runs then must
 * not be instrumented, nor reach code that is.  Until hs_rlimits_start()
 * every call goes straight to the kernel. */
#define NOT_INSTRUMENTED __attribute__ ((no_sanitize ("address", "undefined")))

typedef struct
{
  gboolean      set;      /* the program set one */
  struct rlimit shown;    /* what it set, as getrlimit() returns it */
} ProgramLimit;

static ProgramLimit program_as;
static ProgramLimit program_fsize;
static rlim_t worker_as;  /* the worker's address space at the program's start */
static gboolean started;  /* hs_rlimits_start() ran: the program may set limits */

NOT_INSTRUMENTED static int
real_prlimit (int                  resource,
              const struct rlimit *new_limit,
              struct rlimit       *old_limit)
{
  return syscall (SYS_prlimit64, 0, resource, new_limit, old_limit);
}

static rlim_t
add_saturating (rlim_t a,
                rlim_t b)
{
  return a == RLIM_INFINITY || b >= RLIM_INFINITY - a ? RLIM_INFINITY : a + b;
}

/* Called before the program's first line: what the worker takes by then. */
void
hs_rlimits_start (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "\nVmSize:")) == NULL)
    return;
  worker_as = (rlim_t) g_ascii_strtoull (line + strlen ("\nVmSize:"), NULL, 10) << 10;
  started = TRUE;
}

/* Whether the kernel would let this process raise a hard limit. */
static gboolean
may_raise_hard_limits (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "\nCapEff:")) == NULL)
    return FALSE;
  return (g_ascii_strtoull (line + strlen ("\nCapEff:"), NULL, 16) >> 24) & 1;   /* CAP_SYS_RESOURCE */
}

NOT_INSTRUMENTED static ProgramLimit *
program_limit (int resource)
{
  if (resource == RLIMIT_AS)
    return &program_as;
  if (resource == RLIMIT_FSIZE)
    return &program_fsize;
  return NULL;
}

static int
program_prlimit_checked (ProgramLimit        *p,
                         int                  resource,
                         const struct rlimit *new_limit,
                         struct rlimit       *old_limit)
{
  struct rlimit real, shown, applied;

  if (!hs_interpose_in_worker ())
    return real_prlimit (resource, new_limit, old_limit);

  if (real_prlimit (resource, NULL, &real) < 0)
    return -1;
  shown = p->set ? p->shown : real;
  if (new_limit != NULL)
    {
      if (new_limit->rlim_cur > new_limit->rlim_max)
        {
          errno = EINVAL;
          return -1;
        }
      if (new_limit->rlim_max > shown.rlim_max && !may_raise_hard_limits ())
        {
          errno = EPERM;
          return -1;
        }
      applied.rlim_cur = new_limit->rlim_cur;
      if (resource == RLIMIT_AS)
        applied.rlim_cur = add_saturating (applied.rlim_cur, add_saturating (worker_as, HS_RLIMIT_AS_GROWTH));
      applied.rlim_max = MAX (real.rlim_max, new_limit->rlim_max);
      applied.rlim_cur = MIN (applied.rlim_cur, applied.rlim_max);
      if (real_prlimit (resource, &applied, NULL) < 0)
        return -1;
      p->shown = *new_limit;
      p->set = TRUE;
    }
  if (old_limit != NULL)
    *old_limit = shown;
  return 0;
}

NOT_INSTRUMENTED static int
program_prlimit (int                  resource,
                 const struct rlimit *new_limit,
                 struct rlimit       *old_limit)
{
  ProgramLimit *p = program_limit (resource);

  if (p == NULL || !started)
    return real_prlimit (resource, new_limit, old_limit);
  return program_prlimit_checked (p, resource, new_limit, old_limit);
}

NOT_INSTRUMENTED int
setrlimit (__rlimit_resource_t  resource,
           const struct rlimit *rlim)
{
  return program_prlimit (resource, rlim, NULL);
}

NOT_INSTRUMENTED int
setrlimit64 (__rlimit_resource_t    resource,
             const struct rlimit64 *rlim)
{
  return program_prlimit (resource, (const struct rlimit *) rlim, NULL);
}

NOT_INSTRUMENTED int
getrlimit (__rlimit_resource_t  resource,
           struct rlimit       *rlim)
{
  return program_prlimit (resource, NULL, rlim);
}

NOT_INSTRUMENTED int
getrlimit64 (__rlimit_resource_t  resource,
             struct rlimit64     *rlim)
{
  return program_prlimit (resource, NULL, (struct rlimit *) rlim);
}

NOT_INSTRUMENTED int
prlimit (pid_t                pid,
         __rlimit_resource_t  resource,
         const struct rlimit *new_limit,
         struct rlimit       *old_limit)
{
  if (pid != 0 && pid != getpid ())
    return syscall (SYS_prlimit64, pid, resource, new_limit, old_limit);
  return program_prlimit (resource, new_limit, old_limit);
}

NOT_INSTRUMENTED int
prlimit64 (pid_t                  pid,
           __rlimit_resource_t    resource,
           const struct rlimit64 *new_limit,
           struct rlimit64       *old_limit)
{
  return prlimit (pid, resource, (const struct rlimit *) new_limit, (struct rlimit *) old_limit);
}

/* Around a write to fd: the program's RLIMIT_FSIZE lifted when fd is on
 * an output file, as for a pipe.  Returns whether it was, for
 * hs_rlimits_output_end(). */
gboolean
hs_rlimits_output_begin (int fd)
{
  struct rlimit real;

  if (!program_fsize.set || !hs_output_capture_is_output_file (fd) ||
      real_prlimit (RLIMIT_FSIZE, NULL, &real) < 0 || real.rlim_cur == real.rlim_max)
    return FALSE;
  real.rlim_cur = real.rlim_max;
  return real_prlimit (RLIMIT_FSIZE, &real, NULL) == 0;
}

void
hs_rlimits_output_end (gboolean lifted)
{
  struct rlimit real;

  if (!lifted || real_prlimit (RLIMIT_FSIZE, NULL, &real) < 0)
    return;
  real.rlim_cur = MIN (program_fsize.shown.rlim_cur, real.rlim_max);
  real_prlimit (RLIMIT_FSIZE, &real, NULL);
}
