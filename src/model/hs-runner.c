/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-runner"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixinputstream.h>
#include <glib-unix.h>

#include "hs-protocol.h"
#include "hs-runner.h"

/* How long past its own timeout a worker stuck in C code gets before the
 * runner kills it. */
#define KILL_GRACE_MS 2000

/* One worker process and the trace it feeds. */
typedef struct
{
  GSubprocess  *process;
  GInputStream *in;          /* protocol, from the worker */
  int           to_worker;   /* protocol, to the worker */
  int           out_fd;      /* the program's stdout file */
  int           err_fd;      /* the program's stderr file */
  HsTrace      *trace;
  gboolean      done;        /* the worker reported the program's end */
  guint         timeout_ms;  /* the run's, and each statement's after it */
  char         *protocol_error;
} HsSession;

struct _HsRunner
{
  GObject      parent_instance;

  char        *runtime_path;
  HsSession   *session;      /* a live worker between start and close */

  GMutex       mutex;
  GCond        cond;
  GSubprocess *process;      /* whatever hs_runner_stop() should kill */
  GThread     *watchdog;
  gint64       deadline;
  gboolean     watching;
  gboolean     stopped;      /* by hs_runner_stop() */
  gboolean     timed_out;    /* by the watchdog */
};

G_DEFINE_FINAL_TYPE (HsRunner, hs_runner, G_TYPE_OBJECT)

void
hs_run_options_init (HsRunOptions *options)
{
  g_return_if_fail (options != NULL);

  options->max_steps = HS_RUN_DEFAULT_MAX_STEPS;
  options->timeout_ms = HS_RUN_DEFAULT_TIMEOUT_MS;
  options->max_objects = HS_RUN_DEFAULT_MAX_OBJECTS;
  options->max_elements = HS_RUN_DEFAULT_MAX_ELEMENTS;
  options->max_memory_mb = HS_WORKER_MEMORY_LIMIT_MB;  /* meson option: 0 under ASan */
  options->stdin_path = NULL;
}

static void
hs_runner_finalize (GObject *object)
{
  HsRunner *self = (HsRunner *) object;

  hs_runner_close (self);
  g_free (self->runtime_path);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (hs_runner_parent_class)->finalize (object);
}

static void
hs_runner_class_init (HsRunnerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hs_runner_finalize;

  /* A worker that dies while we write to it must not take the app along. */
  signal (SIGPIPE, SIG_IGN);
}

static void
hs_runner_init (HsRunner *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
}

HsRunner *
hs_runner_new (void)
{
  return g_object_new (HS_TYPE_RUNNER, NULL);
}

/* Next to the running executable first, so that a build tree runs its own
 * worker with no installation and no environment. */
static char *
find_runtime (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *env = g_getenv ("HEAPSCOPE_RUNTIME");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  if (exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (exe);
      g_autofree char *candidate = g_build_filename (dir, HS_RUNTIME_NAME, NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&candidate);
    }
  return g_build_filename (HS_LIBEXECDIR, HS_RUNTIME_NAME, NULL);
}

const char *
hs_runner_get_runtime_path (HsRunner *self)
{
  g_return_val_if_fail (HS_IS_RUNNER (self), NULL);

  if (self->runtime_path == NULL)
    self->runtime_path = find_runtime ();
  return self->runtime_path;
}

void
hs_runner_set_runtime_path (HsRunner   *self,
                            const char *path)
{
  g_return_if_fail (HS_IS_RUNNER (self));

  g_free (self->runtime_path);
  self->runtime_path = g_strdup (path);
}

static gpointer
kill_later (gpointer data)
{
  GSubprocess *process = data;

  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  g_subprocess_force_exit (process);
  g_object_unref (process);
  return NULL;
}

/* SIGTERM first: the worker's handler sends the steps it has batched.  A
 * worker that ignores it is killed a moment later. */
static void
terminate (GSubprocess *process)
{
  g_subprocess_send_signal (process, SIGTERM);
  g_thread_unref (g_thread_new ("heapscope-kill", kill_later, g_object_ref (process)));
}

void
hs_runner_stop (HsRunner *self)
{
  g_return_if_fail (HS_IS_RUNNER (self));

  g_mutex_lock (&self->mutex);
  if (self->process != NULL)
    {
      self->stopped = TRUE;
      terminate (self->process);
    }
  g_mutex_unlock (&self->mutex);
}

static void
limit_memory (gpointer user_data)
{
  struct rlimit rl;

  rl.rlim_cur = rl.rlim_max = (rlim_t) GPOINTER_TO_UINT (user_data) * 1024 * 1024;
  setrlimit (RLIMIT_AS, &rl);
}

static gpointer
watchdog_thread (gpointer data)
{
  HsRunner *self = data;

  g_mutex_lock (&self->mutex);
  while (self->watching)
    {
      if (!g_cond_wait_until (&self->cond, &self->mutex, self->deadline) && self->watching)
        {
          self->timed_out = TRUE;
          if (self->process != NULL)
            terminate (self->process);
          break;
        }
    }
  g_mutex_unlock (&self->mutex);
  return NULL;
}

/* A worker stuck in C code never reaches its own timeout check; this thread
 * kills it a little after. */
static void
watchdog_start (HsRunner *self,
                guint     timeout_ms)
{
  g_mutex_lock (&self->mutex);
  self->watching = TRUE;
  self->timed_out = FALSE;
  self->deadline = g_get_monotonic_time () + (gint64) (timeout_ms + KILL_GRACE_MS) * 1000;
  g_mutex_unlock (&self->mutex);
  self->watchdog = g_thread_new ("heapscope-watchdog", watchdog_thread, self);
}

static void
watchdog_stop (HsRunner *self)
{
  g_mutex_lock (&self->mutex);
  self->watching = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  g_clear_pointer (&self->watchdog, g_thread_join);
}

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

static int
open_output_file (GError **error)
{
  g_autofree char *name = NULL;
  int fd = g_file_open_tmp ("heapscope-output-XXXXXX", &name, error);

  if (fd >= 0)
    g_unlink (name);
  return fd;
}

static GBytes *
read_from (int   fd,
           gsize offset)
{
  GByteArray *buf = g_byte_array_new ();
  guint8 chunk[65536];

  for (;;)
    {
      gssize n = pread (fd, chunk, sizeof chunk, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_byte_array_append (buf, chunk, n);
      offset += n;
    }
  return g_byte_array_free_to_bytes (buf);
}

static gboolean
handle_done (HsTrace   *trace,
             GVariant  *payload)
{
  const char *status, *type, *message, *traceback;
  gint32 exit_code, signal_number;
  gboolean has_error;
  guint32 line;
  HsTraceError err;
  static const char *statuses[] = {
    "finished", "exception", "syntax-error", "step-limit", "timeout", "crashed", "exited", NULL,
  };

  if (!g_variant_is_of_type (payload, HS_DONE_TYPE))
    return FALSE;
  g_variant_get (payload, "(&sii(b&s&su&s))", &status, &exit_code, &signal_number,
                 &has_error, &type, &message, &line, &traceback);
  if (!g_strv_contains ((const char * const *) statuses, status))
    return FALSE;

  err.type = type;
  err.message = message;
  err.line = line;
  err.traceback = traceback;
  hs_trace_finish (trace, status, exit_code, signal_number, has_error ? &err : NULL);
  return TRUE;
}

static void
session_free (HsSession *session)
{
  g_clear_object (&session->process);
  g_clear_object (&session->in);
  close_fd (&session->to_worker);
  close_fd (&session->out_fd);
  close_fd (&session->err_fd);
  g_clear_object (&session->trace);
  g_free (session->protocol_error);
  g_free (session);
}

static HsSession *
session_spawn (HsRunner           *self,
               const char         *path,
               const HsRunOptions *options,
               GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GBytes) hello = NULL;
  g_autoptr(GVariant) hello_payload = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  HsSession *session = g_new0 (HsSession, 1);
  int to_app[2] = { -1, -1 }, to_worker[2] = { -1, -1 };
  GVariantDict run;
  const char *name;

  session->to_worker = session->out_fd = session->err_fd = -1;

  if ((session->out_fd = open_output_file (error)) < 0 || (session->err_fd = open_output_file (error)) < 0)
    goto fail;
  if (!g_unix_open_pipe (to_app, FD_CLOEXEC, error))
    goto fail;
  if (!g_unix_open_pipe (to_worker, FD_CLOEXEC, error))
    {
      close_fd (&to_app[0]);
      close_fd (&to_app[1]);
      goto fail;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdin_file_path (launcher, options->stdin_path ? options->stdin_path : "/dev/null");
  g_subprocess_launcher_take_stdout_fd (launcher, dup (session->out_fd));
  g_subprocess_launcher_take_stderr_fd (launcher, dup (session->err_fd));
  g_subprocess_launcher_take_fd (launcher, to_app[1], 3);
  g_subprocess_launcher_take_fd (launcher, to_worker[0], 4);
  if (options->max_memory_mb > 0)
    g_subprocess_launcher_set_child_setup (launcher, limit_memory, GUINT_TO_POINTER (options->max_memory_mb), NULL);

  session->process = g_subprocess_launcher_spawn (launcher, error, hs_runner_get_runtime_path (self), NULL);
  /* The launcher holds the child's ends of the pipes; until it goes, the
   * worker's exit would never read as end of stream. */
  g_clear_object (&launcher);
  {
    g_autoptr(GInputStream) raw = g_unix_input_stream_new (to_app[0], TRUE);

    /* steps arrive in batches; read them without a syscall per frame */
    session->in = g_buffered_input_stream_new_sized (raw, 256 * 1024);
  }
  session->to_worker = to_worker[1];
  if (session->process == NULL)
    goto fail;

  session->trace = hs_trace_new ();

  g_mutex_lock (&self->mutex);
  g_set_object (&self->process, session->process);
  self->stopped = FALSE;
  g_mutex_unlock (&self->mutex);

  hello = hs_protocol_read_frame (session->in, NULL, &local_error);
  if (hello == NULL || g_bytes_get_size (hello) == 0 ||
      (hello_payload = hs_protocol_parse_frame (hello, &name, &local_error)) == NULL ||
      name != g_intern_static_string (HS_MSG_HELLO) ||
      !g_variant_is_of_type (hello_payload, G_VARIANT_TYPE ("(us)")))
    {
      session->protocol_error = g_strdup (_("The runtime did not introduce itself"));
      return session;
    }
  else
    {
      guint32 version;
      const char *python;

      g_variant_get (hello_payload, "(u&s)", &version, &python);
      if (version != HS_PROTOCOL_VERSION)
        {
          session->protocol_error = g_strdup_printf (_("The runtime speaks protocol %u, not %u"), version, HS_PROTOCOL_VERSION);
          return session;
        }
      hs_trace_set_python_version (session->trace, python);
    }

  g_variant_dict_init (&run, NULL);
  g_variant_dict_insert (&run, "path", "s", absolute);
  g_variant_dict_insert (&run, "argv0", "s", path);
  g_variant_dict_insert (&run, "max-steps", "u", options->max_steps);
  g_variant_dict_insert (&run, "timeout-ms", "u", options->timeout_ms);
  g_variant_dict_insert (&run, "max-objects", "u", options->max_objects);
  g_variant_dict_insert (&run, "max-elements", "u", options->max_elements);
  /* a worker that already died says how through its exit status */
  hs_protocol_write_message (session->to_worker, HS_MSG_RUN, g_variant_dict_end (&run), NULL);
  return session;

fail:
  session_free (session);
  return NULL;
}

/* Reads the worker's messages into the trace until one named until arrives
 * (its payload is returned) or the stream ends (NULL). */
static GVariant *
session_read (HsSession  *session,
              const char *until)
{
  until = g_intern_string (until);

  while (session->protocol_error == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) frame = hs_protocol_read_frame (session->in, NULL, &error);
      g_autoptr(GVariant) payload = NULL;
      const char *name;

      if (frame == NULL || g_bytes_get_size (frame) == 0)
        return NULL;   /* end of stream, or a pipe broken by a dying worker */

      payload = hs_protocol_parse_frame (frame, &name, &error);
      if (payload == NULL)
        session->protocol_error = g_strdup (error->message);
      else if (name == g_intern_static_string (HS_MSG_STEPS))
        {
          if (!hs_trace_append_batch (session->trace, payload, &error))
            session->protocol_error = g_strdup (error->message);
        }
      else if (name == until)
        return g_steal_pointer (&payload);
      else
        session->protocol_error = g_strdup_printf (_("The runtime sent an unexpected message “%s”"), name);
    }
  return NULL;
}

/* Ends the worker (politely unless something went wrong), collects the
 * output written after the last step and settles the trace's status. */
static void
session_end (HsRunner  *self,
             HsSession *session)
{
  g_autoptr(GBytes) seen_out = NULL;
  g_autoptr(GBytes) seen_err = NULL;
  HsTrace *trace = session->trace;

  if (session->protocol_error != NULL)
    g_subprocess_force_exit (session->process);
  else
    {
      /* let it shut down as python3 would: atexit handlers, __del__ */
      hs_protocol_write_message (session->to_worker, HS_MSG_QUIT, g_variant_new ("()"), NULL);
    }
  close_fd (&session->to_worker);
  g_subprocess_wait (session->process, NULL, NULL);

  g_mutex_lock (&self->mutex);
  g_clear_object (&self->process);
  g_mutex_unlock (&self->mutex);

  /* The files hold exactly what the program's output became; the steps
   * also show what was still in its buffers (and lost, on os._exit()) */
  seen_out = read_from (session->out_fd, 0);
  seen_err = read_from (session->err_fd, 0);
  hs_trace_set_final_output (trace, seen_out, seen_err);

  /* What ended the worker says more than a garbled last message */
  if (self->stopped)
    hs_trace_finish (trace, "stopped", -1, 0, NULL);
  else if (self->timed_out && !session->done)
    hs_trace_finish (trace, "timeout", -1, 0, NULL);
  else if (session->protocol_error != NULL && !g_subprocess_get_if_signaled (session->process))
    {
      HsTraceError err = { "ProtocolError", session->protocol_error, 0, "" };

      hs_trace_finish (trace, "crashed", -1, 0, &err);
    }
  else if (session->done && session->protocol_error == NULL)
    ;
  else if (g_subprocess_get_if_signaled (session->process))
    {
      int sig = g_subprocess_get_term_sig (session->process);
      g_autofree char *message = g_strdup_printf (_("The runtime was killed by signal %d (%s)"), sig, g_strsignal (sig));
      HsTraceError err = { "Crash", message, 0, "" };

      hs_trace_finish (trace, "crashed", -1, sig, &err);
    }
  else
    hs_trace_finish (trace, "exited", g_subprocess_get_exit_status (session->process), 0, NULL);
}

static HsSession *
run_program (HsRunner           *self,
             const char         *path,
             const HsRunOptions *options,
             GError            **error)
{
  HsRunOptions defaults;
  HsSession *session;
  g_autoptr(GVariant) done = NULL;

  if (options == NULL)
    {
      hs_run_options_init (&defaults);
      options = &defaults;
    }

  session = session_spawn (self, path, options, error);
  if (session == NULL)
    return NULL;

  session->timeout_ms = options->timeout_ms;
  watchdog_start (self, options->timeout_ms);
  done = session_read (session, HS_MSG_DONE);
  watchdog_stop (self);

  if (done != NULL)
    {
      if (!handle_done (session->trace, done))
        session->protocol_error = g_strdup (_("The runtime sent an invalid result"));
      session->done = TRUE;
    }
  return session;
}

HsTrace *
hs_runner_run_sync (HsRunner           *self,
                    const char         *path,
                    const HsRunOptions *options,
                    GError            **error)
{
  HsSession *session;
  HsTrace *trace;

  g_return_val_if_fail (HS_IS_RUNNER (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  hs_runner_close (self);
  if ((session = run_program (self, path, options, error)) == NULL)
    return NULL;
  session_end (self, session);
  trace = g_object_ref (session->trace);
  session_free (session);
  return trace;
}

HsTrace *
hs_runner_start_sync (HsRunner           *self,
                      const char         *path,
                      const HsRunOptions *options,
                      GError            **error)
{
  HsSession *session;

  g_return_val_if_fail (HS_IS_RUNNER (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  hs_runner_close (self);
  if ((session = run_program (self, path, options, error)) == NULL)
    return NULL;

  /* Only a worker that reported the end and is still there can go on. */
  if (!session->done || session->protocol_error != NULL ||
      g_strv_contains ((const char * const[]) { "step-limit", "timeout", "crashed", NULL },
                       hs_trace_get_status (session->trace)))
    {
      HsTrace *trace;

      session_end (self, session);
      trace = g_object_ref (session->trace);
      session_free (session);
      return trace;
    }

  self->session = session;
  return g_object_ref (session->trace);
}

gboolean
hs_runner_is_live (HsRunner *self)
{
  g_return_val_if_fail (HS_IS_RUNNER (self), FALSE);
  return self->session != NULL;
}

gboolean
hs_runner_exec_sync (HsRunner    *self,
                     const char  *source,
                     guint        first_line,
                     char       **python_error,
                     GError     **error)
{
  HsSession *session;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;
  const char *message;

  g_return_val_if_fail (HS_IS_RUNNER (self), FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  if (python_error != NULL)
    *python_error = NULL;

  if ((session = self->session) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The program is not running any more; run it again"));
      return FALSE;
    }

  if (!hs_protocol_write_message (session->to_worker, HS_MSG_EXEC,
                                  g_variant_new ("(su)", source, MAX (first_line, 1)), &local_error))
    reply = NULL;
  else
    {
      watchdog_start (self, session->timeout_ms);
      reply = session_read (session, HS_MSG_EXEC_DONE);
      watchdog_stop (self);
    }

  if (reply == NULL || !g_variant_is_of_type (reply, G_VARIANT_TYPE ("(bs)")))
    {
      /* the worker died (or lied) while running the statement */
      session->done = FALSE;
      session_end (self, session);
      self->session = NULL;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The Python runtime stopped: %s"),
                   hs_trace_get_error (session->trace) ? hs_trace_get_error (session->trace)->message
                                                       : hs_trace_get_status (session->trace));
      session_free (session);
      return FALSE;
    }

  g_variant_get (reply, "(b&s)", &ok, &message);
  if (!ok && python_error != NULL)
    *python_error = g_strdup (message);
  return ok;
}

void
hs_runner_close (HsRunner *self)
{
  g_return_if_fail (HS_IS_RUNNER (self));

  if (self->session == NULL)
    return;
  session_end (self, self->session);
  g_clear_pointer (&self->session, session_free);
}
