/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the tests of `heapscope render` share (test-cli.c, test-handout.c):
 * running the command in-process, as main.c would, with the real argv
 * parsing.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `heapscope render FIRST ...`; returns its exit status. */
int render_test_cli (const char *first,
                     ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
