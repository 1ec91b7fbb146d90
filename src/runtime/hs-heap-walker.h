/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Walks the objects reachable from the user's frames and writes what changed
 * since the previous step into an HsStepBuilder.  The walk is bounded by the
 * object and element caps, so a step costs the same however large the
 * containers grow.
 */
#pragma once

#include <Python.h>

#include "hs-cpython.h"
#include "hs-step-builder.h"

G_BEGIN_DECLS

/* The user's file that code belongs to (relative to the program's
 * folder), or NULL for the library's code. */
typedef const char *(*HsUserFileFunc) (PyCodeObject *code);

typedef struct
{
  guint max_objects;
  guint max_elements;
} HsWalkLimits;

void     hs_heap_walker_init (HsStepBuilder        *builder,
                              const HsWalkLimits   *limits,
                              HsUserFileFunc        user_file,
                              const char           *main_file);
void     hs_heap_walker_step (HsPyFrame            *innermost,
                              PyObject             *module_globals,
                              int                   line,
                              HsEvent               event,
                              PyObject             *return_value,
                              gboolean              frames_popped);

G_END_DECLS
