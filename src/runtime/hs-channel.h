/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The worker's end of the protocol, kept where the program cannot name it:
 * the pipes live only in the descriptor table of two threads of the
 * worker's own (a reader and a writer) that stopped sharing the process's
 * table.  No descriptor number the program can pass to a system call, even
 * a raw syscall() through ctypes, reaches them.  The rest of the worker
 * hands frames to those threads in memory.
 */
#pragma once

#include <glib.h>
#include <sys/stat.h>
#include <sys/types.h>

G_BEGIN_DECLS

gboolean hs_channel_open            (int           out_fd,
                                     int           in_fd,
                                     GError      **error);
gboolean hs_channel_send            (const char   *name,
                                     GVariant     *payload,
                                     GError      **error);
gboolean hs_channel_receive         (GBytes      **frame,
                                     GError      **error);
gboolean hs_channel_is_protocol_pipe (const struct stat *st);
gboolean hs_channel_is_own_thread   (pid_t         tid);
int      hs_channel_own_threads     (void);

G_END_DECLS
