/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Runs a Python file in a heapscope-runtime worker process and turns what
 * the worker reports into an HsTrace.  The worker may loop, crash or be
 * killed; the runner always ends with a finished trace that says how.
 */
#pragma once

#include <gio/gio.h>

#include "hs-trace.h"

G_BEGIN_DECLS

#define HS_TYPE_RUNNER (hs_runner_get_type ())

G_DECLARE_FINAL_TYPE (HsRunner, hs_runner, HS, RUNNER, GObject)

typedef struct
{
  guint       max_steps;
  guint       timeout_ms;
  guint       max_objects;
  guint       max_elements;
  guint       max_memory_mb;
  const char *stdin_path;   /* NULL: the program reads EOF */
} HsRunOptions;

#define HS_RUN_DEFAULT_MAX_STEPS    100000
#define HS_RUN_DEFAULT_TIMEOUT_MS   10000
#define HS_RUN_DEFAULT_MAX_OBJECTS  1000
#define HS_RUN_DEFAULT_MAX_ELEMENTS 100
#define HS_RUN_DEFAULT_MAX_MEMORY_MB 4096

void        hs_run_options_init        (HsRunOptions *options);

HsRunner   *hs_runner_new              (void);
const char *hs_runner_get_runtime_path (HsRunner           *self);
void        hs_runner_set_runtime_path (HsRunner           *self,
                                        const char         *path);
HsTrace    *hs_runner_run_sync         (HsRunner           *self,
                                        const char         *path,
                                        const HsRunOptions *options,
                                        GError            **error);
void        hs_runner_stop             (HsRunner           *self);

G_END_DECLS
