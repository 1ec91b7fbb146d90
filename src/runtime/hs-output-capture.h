/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the program wrote to its stdout and stderr during each step, read
 * from the files the app gave it and from the start-up streams' buffers
 * without flushing them.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

void     hs_output_capture_note_write     (int         fd,
                                           gsize       written);
void     hs_output_capture_set_cap        (guint64     bytes);
gsize    hs_output_capture_admit          (gsize       want);
gboolean hs_output_capture_capped         (void);
gboolean hs_output_capture_is_output_file (int         fd);
void     hs_output_capture_remember_streams (void);
void     hs_output_capture_start          (void);
void     hs_output_capture_take           (gboolean    force,
                                           GBytes    **out,
                                           GBytes    **err);
void     hs_output_capture_flush_stream   (int         fd);
void     hs_output_capture_flush_io       (void);
off_t    hs_output_capture_start_offset   (int         fd);
GBytes  *hs_output_capture_read_new       (int         fd,
                                           off_t      *offset);

G_END_DECLS
