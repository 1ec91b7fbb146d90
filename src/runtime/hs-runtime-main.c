/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * heapscope-runtime: the worker process that embeds CPython.  The app starts
 * it with the protocol on fds 3 (to the app) and 4 (from the app), the
 * program's stdout and stderr on files, and stdin on the user's input file or
 * /dev/null.  User code may loop, crash or exhaust memory here without
 * touching the window.
 */
#define G_LOG_DOMAIN "heapscope-runtime"

#include "config.h"

#include <Python.h>
#include <locale.h>
#include <stdlib.h>
#include <unistd.h>
#include <signal.h>

#include "hs-channel.h"
#include "hs-interpose.h"
#include "hs-output-capture.h"
#include "hs-rlimits.h"
#include "hs-tracer.h"

/* The app hands the protocol over on fds 3 and 4; hs-channel.c takes
 * them out of the process's descriptor table, so the program finds 3 and 4
 * closed as under python3, and no descriptor call of the program's, raw or
 * not, reaches them. */
#define INHERITED_OUT_FD 3
#define INHERITED_IN_FD  4

#define HS_WIDEN2(s) L ## s
#define HS_WIDEN(s) HS_WIDEN2 (s)
#define HS_PYTHON_EXECUTABLE_W HS_WIDEN (HS_PYTHON_EXECUTABLE)

static guint
lookup_uint (GVariantDict *options,
             const char   *key,
             guint         fallback)
{
  guint value;

  if (g_variant_dict_lookup (options, key, "u", &value))
    return value;
  return fallback;
}

/* sys.argv is argv0 and the program's arguments, decoded as python3
 * decodes its command line. */
static gboolean
init_python (const char         *argv0,
             const char * const *args)
{
  PyConfig config;
  PyStatus status;
  g_autofree wchar_t **wargv = NULL;
  guint n_args = args != NULL ? g_strv_length ((char **) args) : 0;

  PyConfig_InitPythonConfig (&config);
  config.parse_argv = 0;
  /* Unlike an embedding GUI, the worker is a process of its own: Python's
   * handlers give the program the SIGINT handler it has under python3. */
  config.install_signal_handlers = 1;

  status = PyConfig_SetString (&config, &config.executable, HS_PYTHON_EXECUTABLE_W);
  if (PyStatus_Exception (status))
    goto fail;
  status = PyConfig_SetString (&config, &config.program_name, HS_PYTHON_EXECUTABLE_W);
  if (PyStatus_Exception (status))
    goto fail;

  wargv = g_new0 (wchar_t *, n_args + 2);
  wargv[0] = Py_DecodeLocale (argv0, NULL);
  for (guint i = 0; i < n_args && wargv[i] != NULL; i++)
    wargv[i + 1] = Py_DecodeLocale (args[i], NULL);
  if (wargv[n_args] == NULL)
    {
      for (guint i = 0; i <= n_args; i++)
        PyMem_RawFree (wargv[i]);
      g_printerr ("heapscope-runtime: an argument cannot be decoded\n");
      goto fail_msg;
    }
  status = PyConfig_SetArgv (&config, n_args + 1, wargv);
  /* sys.orig_argv as python3's: the interpreter, then sys.argv */
  if (!PyStatus_Exception (status))
    status = PyWideStringList_Append (&config.orig_argv, HS_PYTHON_EXECUTABLE_W);
  for (guint i = 0; i <= n_args && !PyStatus_Exception (status); i++)
    status = PyWideStringList_Append (&config.orig_argv, wargv[i]);
  for (guint i = 0; i <= n_args; i++)
    PyMem_RawFree (wargv[i]);
  if (PyStatus_Exception (status))
    goto fail;

  status = Py_InitializeFromConfig (&config);
  PyConfig_Clear (&config);
  if (PyStatus_Exception (status))
    {
      g_printerr ("heapscope-runtime: %s\n", status.err_msg ? status.err_msg : "Python failed to start");
      return FALSE;
    }
  return TRUE;

fail:
  g_printerr ("heapscope-runtime: %s\n", status.err_msg ? status.err_msg : "bad Python configuration");
fail_msg:
  PyConfig_Clear (&config);
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GVariant) payload = NULL;
  g_autoptr(GVariantDict) options = NULL;
  const char *name = NULL;
  const char *path = NULL;
  const char *argv0 = NULL;
  g_autofree const char **args = NULL;
  g_autofree const char **step_folders = NULL;
  HsTracerOptions topts = { 0 };

  setlocale (LC_ALL, "");
  hs_interpose_init ();

  /* The worker must not outlive the app: the channel's courier ends it
   * when the app's end of the pipe closes (PR_SET_PDEATHSIG would fire when
   * the *thread* that spawned the worker ends, and the window spawns from
   * pooled threads that come and go). */
  if (!hs_channel_open (INHERITED_OUT_FD, INHERITED_IN_FD, &error))
    {
      g_printerr ("heapscope-runtime: not started by Heapscope (%s)\n", error->message);
      return 2;
    }

  if (!hs_channel_send (HS_MSG_HELLO,
                        g_variant_new ("(us)", HS_PROTOCOL_VERSION, PY_VERSION), &error))
    {
      g_printerr ("heapscope-runtime: not started by Heapscope (%s)\n", error->message);
      return 2;
    }

  if (!hs_channel_receive (&frame, &error) || frame == NULL)
    return error ? 2 : 0;
  payload = hs_protocol_parse_frame (frame, &name, &error);
  if (payload == NULL || name != g_intern_static_string (HS_MSG_RUN) ||
      !g_variant_is_of_type (payload, G_VARIANT_TYPE_VARDICT))
    {
      g_printerr ("heapscope-runtime: expected a run message\n");
      return 2;
    }

  options = g_variant_dict_new (payload);
  if (!g_variant_dict_lookup (options, "path", "&s", &path) ||
      !g_variant_dict_lookup (options, "argv0", "&s", &argv0))
    {
      g_printerr ("heapscope-runtime: run message without a path\n");
      return 2;
    }

  if (!g_variant_dict_lookup (options, "args", "^a&s", &args))
    args = NULL;
  if (!g_variant_dict_lookup (options, "step-folders", "^a&s", &step_folders))
    step_folders = NULL;

  if (!init_python (argv0, args))
    return 3;

  topts.path = path;
  topts.argv0 = argv0;
  if (!g_variant_dict_lookup (options, "source", "&s", &topts.source))
    topts.source = NULL;
  topts.step_folders = step_folders;
  topts.max_steps = lookup_uint (options, "max-steps", 10000);
  topts.timeout_ms = lookup_uint (options, "timeout-ms", 10000);
  topts.limits.max_objects = lookup_uint (options, "max-objects", 1000);
  topts.limits.max_elements = MAX (4, lookup_uint (options, "max-elements", 100));
  if (lookup_uint (options, "max-output-mb", 0) > 0)
    hs_output_capture_set_cap ((guint64) lookup_uint (options, "max-output-mb", 0) << 20);

  hs_rlimits_start ();
  hs_tracer_run (&topts);

  /* Serve statements against the final state until the app lets go, then
   * shut down like python3 does at exit: atexit handlers and __del__
   * methods still print. */
  for (;;)
    {
      g_autoptr(GBytes) next = NULL;
      g_autoptr(GVariant) msg = NULL;
      const char *msg_name = NULL;

      gboolean read_ok;

      /* The program's threads run while the app is idle, as they would
       * under python3: the GIL is free during the wait. */
      Py_BEGIN_ALLOW_THREADS
      read_ok = hs_channel_receive (&next, NULL);
      Py_END_ALLOW_THREADS

      if (!read_ok || next == NULL)
        break;
      msg = hs_protocol_parse_frame (next, &msg_name, NULL);
      if (msg == NULL || msg_name == g_intern_static_string (HS_MSG_QUIT))
        break;
      if (msg_name == g_intern_static_string (HS_MSG_EXEC) && g_variant_is_of_type (msg, G_VARIANT_TYPE ("(su)")))
        {
          const char *source;
          guint32 first_line;

          g_variant_get (msg, "(&su)", &source, &first_line);
          hs_tracer_exec (source, first_line);
        }
    }

  /* The outcome was reported before shutdown; python3's exit status can
   * still change during it (a failed flush of sys.stdout, os._exit() in an
   * atexit handler), and the app takes it from the worker's. */
  if (hs_tracer_finalize () < 0)
    return HS_EXIT_FINALIZE_FAILED;
  return 0;
}
