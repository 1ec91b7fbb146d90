/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Runs a Python file in a heapscope-runtime worker process and turns what
 * the worker reports into an HsTrace.  The worker may loop, crash or be
 * killed; the runner always ends with a finished trace that says how.
 *
 * Every wait on the worker has a deadline (hello, run, each statement,
 * shutdown; see hs-runner.c), so every call returns within the run's
 * timeout plus a few seconds whatever the program does.
 *
 * A runner is used from one thread at a time (the *_sync calls block, so
 * the window calls them from a GTask thread); only hs_runner_stop() may be
 * called from any thread while another call is under way.
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
  guint       max_output_mb;  /* stdout and stderr together; 0: no cap */
  guint       max_trace_mb;   /* the history the trace keeps; 0: no cap */
  const char *stdin_path;   /* NULL: the program reads EOF */
  /* sys.argv[1:], NULL for none; the program runs in its file's folder
   * with sys.argv[0] its file's name, as `cd FOLDER; python3 FILE` */
  const char * const *args;
  const char * const *step_folders;  /* stepped besides the program's folder */
  /* the program's text, run as if it were the file at path (an edited
   * file, saved there or not yet), which is then neither read nor
   * written; NULL runs the file */
  const char *source;
} HsRunOptions;

#define HS_RUN_DEFAULT_MAX_STEPS    1000000
/* Python loops end at the step cap (10⁶ steps: 10-13 s on a loaded 2-core
 * machine, README "The window at a million steps"); the timeout is for
 * what makes no steps, such as a loop inside C code or a sleep.  In the
 * window the learner can also stop a run at any time. */
#define HS_RUN_DEFAULT_TIMEOUT_MS   60000
#define HS_RUN_DEFAULT_MAX_OBJECTS  1000
#define HS_RUN_DEFAULT_MAX_ELEMENTS 100
#define HS_RUN_DEFAULT_MAX_MEMORY_MB 4096
/* A run ends with status "size-limit" past either (docs/trace-format.md):
 * 128 MiB of output is more than any lesson prints, and a history of
 * 1 GiB holds well over the default million steps of a typical program. */
#define HS_RUN_DEFAULT_MAX_OUTPUT_MB 128
#define HS_RUN_DEFAULT_MAX_TRACE_MB  1024
/* An edited program's text travels in one frame of the protocol. */
#define HS_RUN_MAX_SOURCE_MB 48

void        hs_run_options_init        (HsRunOptions *options);
void        hs_runner_reset_signals    (void);

HsRunner   *hs_runner_new              (void);
const char *hs_runner_get_runtime_path (HsRunner           *self);
void        hs_runner_set_runtime_path (HsRunner           *self,
                                        const char         *path);

/* The CPython versions ("3.11", "3.13", ...) that have a worker,
 * heapscope-runtime-VERSION, next to the running executable (a build
 * tree) or else in the installed libexecdir; oldest first. */
GStrv       hs_runner_list_pythons     (void);
/* Runs programs with that version's worker from now on.  Fails with
 * G_IO_ERROR_NOT_FOUND, naming the versions there are, when it has none. */
gboolean    hs_runner_set_python       (HsRunner           *self,
                                        const char         *version,
                                        GError            **error);
/* Runs the program to its end and shuts the worker down. */
HsTrace    *hs_runner_run_sync         (HsRunner           *self,
                                        const char         *path,
                                        const HsRunOptions *options,
                                        GError            **error);

/* Runs the program to its end like hs_runner_run_sync(), but the trace
 * keeps no history: each step goes to func as it arrives and is dropped
 * (hs_trace_stream_steps()).  When func fails, the worker is ended as
 * on a protocol error, and the trace ends "crashed" with func's message. */
HsTrace    *hs_runner_run_streaming    (HsRunner           *self,
                                        const char         *path,
                                        const HsRunOptions *options,
                                        HsTraceStepFunc     func,
                                        gpointer            user_data,
                                        GError            **error);

/* Runs the program like hs_runner_run_sync(), but keeps the worker alive
 * afterwards with the program's final state, so that hs_runner_exec_sync()
 * can act on it.  The trace is finished when this returns; exec appends. */
HsTrace    *hs_runner_start_sync       (HsRunner           *self,
                                        const char         *path,
                                        const HsRunOptions *options,
                                        GError            **error);
gboolean    hs_runner_is_live          (HsRunner           *self);
/* From any thread: the trace the newest run feeds (or fed), NULL before
 * the first run has started its worker. */
HsTrace    *hs_runner_dup_trace        (HsRunner           *self);

/* Runs source (one or more statements) in the live program's __main__ as
 * if it were written at first_line of the file, appending its steps and a
 * final "end" step to the trace.  On a Python exception, returns FALSE with
 * python_error set to "Type: message" and the traceback on the trace's
 * stderr; error is set only when the worker itself failed. */
gboolean    hs_runner_exec_sync        (HsRunner           *self,
                                        const char         *source,
                                        guint               first_line,
                                        char              **python_error,
                                        GError            **error);

/* Ends the live worker: atexit handlers and __del__ run, and what they
 * print becomes the trace's trailing output.  A shutdown that outlasts its
 * deadline is killed, with the program's process group, and the trace ends
 * "timeout". */
void        hs_runner_close            (HsRunner           *self);

/* Kills the worker from any thread; the run in progress ends "stopped". */
void        hs_runner_stop             (HsRunner           *self);

G_END_DECLS
