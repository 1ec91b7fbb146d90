/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The command-line verbs of heapscope.  Each returns the process exit
 * status: 0 when its output was written, 1 when the input file cannot be
 * read, 2 for a usage error.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs the verb named by argv[1], or returns -1 when argv[1] names none. */
int hs_cli_main  (int    argc,
                  char **argv);

int hs_cli_trace (int    argc,
                  char **argv);

int hs_cli_render (int    argc,
                   char **argv);

G_END_DECLS
