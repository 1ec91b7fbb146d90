/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One run of a snippet by a worker, the way the window and the compare
 * view both run one: choose the runner's interpreter, then run the file,
 * or the edited text given for it.  The blocking
 * call is for a thread that already runs off the main loop (the compare
 * view runs both sides, one after the other, in one); the _async pair runs
 * it in a GTask thread of its own.
 */
#pragma once

#include <gio/gio.h>

#include "hs-runner.h"

G_BEGIN_DECLS

typedef enum
{
  HS_SNIPPET_RUN_TO_END,     /* the worker shuts down at the program's end */
  HS_SNIPPET_RUN_KEEP_LIVE,  /* it keeps the final state for hs_runner_exec_sync() */
} HsSnippetRunMode;

/* python: a version with a worker ("3.13"), HS_DEFAULT_PYTHON for the
 * plain worker, or NULL to keep the runner's.  text: the program's text,
 * run as if it were the file at path, which is neither read nor written
 * (an edited file); NULL runs the file at path as it is. */
HsTrace *hs_snippet_run_sync   (HsRunner            *runner,
                                const char          *python,
                                const char          *path,
                                const char          *text,
                                const HsRunOptions  *options,
                                HsSnippetRunMode     mode,
                                GError             **error);

/* The same in a thread.  source_object is what the callback receives, and
 * it is kept alive until then. */
void     hs_snippet_run_async  (gpointer             source_object,
                                HsRunner            *runner,
                                const char          *python,
                                const char          *path,
                                const char          *text,
                                const HsRunOptions  *options,
                                HsSnippetRunMode     mode,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
HsTrace *hs_snippet_run_finish (GAsyncResult        *result,
                                GError             **error);

G_END_DECLS
