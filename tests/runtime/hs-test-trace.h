/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the runtime tests share: a fixture that writes a Python program into
 * a fresh temporary folder and traces it with a real HsRunner, and lookups
 * that fail the test loudly when the trace lacks what they look for.
 */
#pragma once

#include <glib.h>

#include "hs-runner.h"
#include "hs-trace.h"

G_BEGIN_DECLS

typedef struct
{
  char         *tmpdir;
  char         *path;       /* the program last written */
  HsRunner     *runner;
  HsRunOptions  options;
  HsTrace      *trace;
} HsTraceFixture;

void            hs_trace_fixture_setup    (HsTraceFixture *f,
                                           gconstpointer   data);
void            hs_trace_fixture_teardown (HsTraceFixture *f,
                                           gconstpointer   data);
char           *hs_trace_fixture_write    (HsTraceFixture *f,
                                           const char     *name,
                                           const char     *contents);
HsTrace        *hs_trace_fixture_run      (HsTraceFixture *f,
                                           const char     *source);

/* A case for one CPython ("3.12") skips when this build has no worker
 * for it: the build makes workers only for the interpreters it finds.
 * These return FALSE or NULL when the case skipped. */
gboolean        hs_test_require_python    (const char     *version);
gboolean        hs_test_use_python        (HsTraceFixture *f,
                                           const char     *version);
HsTrace        *hs_trace_fixture_run_with_python (HsTraceFixture *f,
                                           const char     *version,
                                           const char     *source);

HsSnapshot     *hs_test_step_at_line      (HsTrace        *trace,
                                           guint           line,
                                           guint           nth);
HsSnapshot     *hs_test_last_step         (HsTrace        *trace);
gboolean        hs_test_function_is       (const HsFrame  *frame,
                                           const char     *name);
const HsFrame  *hs_test_frame             (HsSnapshot     *snap,
                                           const char     *function);
const HsObject *hs_test_var               (HsSnapshot     *snap,
                                           const char     *function,
                                           const char     *name);
guint32         hs_test_var_ref           (HsSnapshot     *snap,
                                           const char     *function,
                                           const char     *name);
const HsObject *hs_test_edge              (HsSnapshot     *snap,
                                           const HsObject *owner,
                                           HsEdgeKind      kind,
                                           const char     *label);
const HsObject *hs_test_lookup            (HsSnapshot     *snap,
                                           guint32         ref);
gboolean        hs_test_was_freed         (HsSnapshot     *snap,
                                           guint32         ref,
                                           HsFreeCause    *cause);
gint64          hs_test_first_freed_step  (HsTrace        *trace,
                                           guint32         ref,
                                           HsFreeCause    *cause);
char          **hs_test_stdout_lines      (HsTrace        *trace);
void            hs_test_assert_finished   (HsTrace        *trace);
char           *hs_test_bytes_to_string   (GBytes         *bytes);

/* Between fork and exec of python3: signals as a terminal leaves them */
void            hs_test_python_child_setup (gpointer       user_data);

/* Runs HEAPSCOPE_PYTHON on path in its folder (`cd FOLDER; python3 FILE`,
 * as Heapscope runs a program), with
 * stdin from stdin_path (NULL: the null device).  Returns the exit status
 * as the trace would report it: an exit code, or minus a signal number. */
int             hs_test_run_python        (const char     *path,
                                           const char     *stdin_path,
                                           GBytes        **out,
                                           GBytes        **err);
gboolean        hs_test_bytes_equal_verbose (const char   *what,
                                           GBytes         *expected,
                                           GBytes         *actual);

/* Runs the calling case in a subprocess that must pass within the deadline,
 * so that a worker that hangs fails the case instead of the suite. */
#define HS_TEST_RUN_TRAPPED(seconds)                                           \
  G_STMT_START {                                                               \
    if (!g_test_subprocess ())                                                 \
      {                                                                        \
        g_test_trap_subprocess (NULL, (guint64) (seconds) * G_USEC_PER_SEC,    \
                                G_TEST_SUBPROCESS_INHERIT_STDOUT |             \
                                G_TEST_SUBPROCESS_INHERIT_STDERR);             \
        g_test_trap_assert_passed ();                                          \
        return;                                                                \
      }                                                                        \
  } G_STMT_END

char           *hs_test_stdout_text       (HsTrace        *trace);
void            hs_test_assert_status     (HsTrace        *trace,
                                           const char     *status);
void            hs_test_drop_history_bytes (char          *json);
GPtrArray      *hs_test_list_programs     (const char     *dir);

G_END_DECLS
