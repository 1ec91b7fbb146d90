/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Runs the user's file the way `python3 FILE.py` does, with a C trace
 * function that turns every event in the user's own code into a step.
 */
#pragma once

#include <glib.h>

#include "hs-heap-walker.h"

G_BEGIN_DECLS

typedef struct
{
  const char  *path;          /* absolute */
  const char  *argv0;         /* sys.argv[0] */
  const char  *source;        /* the text to run as the file at path, or NULL to read it */
  const char * const *step_folders; /* absolute folders stepped besides the program's own */
  guint        max_steps;
  guint        timeout_ms;
  HsWalkLimits limits;
} HsTracerOptions;

void hs_tracer_run      (const HsTracerOptions *options);
void hs_tracer_exec     (const char            *source,
                         guint                  first_line);
int  hs_tracer_finalize (void);
void hs_tracer_flush_for_exit (void);

G_END_DECLS
