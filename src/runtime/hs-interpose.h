/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The worker's own file descriptors (the readers of the output files, and
 * the protocol only where hs-channel.c cannot keep it in a descriptor table
 * of its own), kept out of the program's reach: libc's descriptor calls
 * are replaced so that, to the program, these numbers look closed, and a
 * program that takes one of the numbers over (dup2) moves the worker's
 * descriptor elsewhere without noticing.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  HS_FD_PROTOCOL_OUT,
  HS_FD_PROTOCOL_IN,
  HS_FD_STDOUT_READER,
  HS_FD_STDERR_READER,
  HS_N_PRIVATE_FDS
} HsPrivateFd;

void     hs_interpose_init        (void);
gboolean hs_interpose_in_worker   (void);
void     hs_interpose_adopt_fd    (HsPrivateFd which,
                                   int         fd);
int      hs_interpose_begin_io    (HsPrivateFd which,
                                   gboolean    lock);
void     hs_interpose_end_io      (gboolean    lock);
void     hs_interpose_hold_signals (gboolean   hold);

G_END_DECLS
