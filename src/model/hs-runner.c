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

struct _HsRunner
{
  GObject     parent_instance;

  char       *runtime_path;

  GMutex      mutex;
  GCond       cond;
  GSubprocess *process;       /* while a run is under way */
  gboolean    running;
  gboolean    stopped;        /* by hs_runner_stop() */
  gboolean    timed_out;      /* by the watchdog */
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
  options->max_memory_mb = HS_RUN_DEFAULT_MAX_MEMORY_MB;
  options->stdin_path = NULL;
}

static void
hs_runner_finalize (GObject *object)
{
  HsRunner *self = (HsRunner *) object;

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

void
hs_runner_stop (HsRunner *self)
{
  g_return_if_fail (HS_IS_RUNNER (self));

  g_mutex_lock (&self->mutex);
  if (self->process != NULL)
    {
      self->stopped = TRUE;
      g_subprocess_force_exit (self->process);
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

typedef struct
{
  HsRunner *runner;
  gint64    deadline;
} Watchdog;

static gpointer
watchdog_thread (gpointer data)
{
  Watchdog *w = data;
  HsRunner *self = w->runner;

  g_mutex_lock (&self->mutex);
  while (self->running)
    {
      if (!g_cond_wait_until (&self->cond, &self->mutex, w->deadline) && self->running)
        {
          self->timed_out = TRUE;
          g_subprocess_force_exit (self->process);
          break;
        }
    }
  g_mutex_unlock (&self->mutex);
  g_free (w);
  return NULL;
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

HsTrace *
hs_runner_run_sync (HsRunner           *self,
                    const char         *path,
                    const HsRunOptions *options,
                    GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) hello = NULL;
  g_autoptr(GVariant) hello_payload = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *protocol_error = NULL;
  GVariantDict run;
  const char *name;
  int out_fd = -1, err_fd = -1;
  int to_app[2] = { -1, -1 }, to_worker[2] = { -1, -1 };
  gboolean done = FALSE;
  Watchdog *watchdog;
  GThread *watchdog_thread_handle;
  HsRunOptions defaults;

  g_return_val_if_fail (HS_IS_RUNNER (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (options == NULL)
    {
      hs_run_options_init (&defaults);
      options = &defaults;
    }

  absolute = g_canonicalize_filename (path, NULL);

  if ((out_fd = open_output_file (error)) < 0 || (err_fd = open_output_file (error)) < 0)
    goto fail;
  if (!g_unix_open_pipe (to_app, FD_CLOEXEC, error) || !g_unix_open_pipe (to_worker, FD_CLOEXEC, error))
    goto fail;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdin_file_path (launcher, options->stdin_path ? options->stdin_path : "/dev/null");
  g_subprocess_launcher_take_stdout_fd (launcher, dup (out_fd));
  g_subprocess_launcher_take_stderr_fd (launcher, dup (err_fd));
  g_subprocess_launcher_take_fd (launcher, to_app[1], 3);
  g_subprocess_launcher_take_fd (launcher, to_worker[0], 4);
  to_app[1] = to_worker[0] = -1;
  if (options->max_memory_mb > 0)
    g_subprocess_launcher_set_child_setup (launcher, limit_memory, GUINT_TO_POINTER (options->max_memory_mb), NULL);

  process = g_subprocess_launcher_spawn (launcher, error, hs_runner_get_runtime_path (self), NULL);
  /* The launcher holds the child's ends of the pipes; until it goes, the
   * worker's exit would never read as end of stream. */
  g_clear_object (&launcher);
  if (process == NULL)
    goto fail;

  in = g_unix_input_stream_new (to_app[0], TRUE);
  to_app[0] = -1;

  trace = hs_trace_new ();

  g_mutex_lock (&self->mutex);
  self->process = g_object_ref (process);
  self->running = TRUE;
  self->stopped = FALSE;
  self->timed_out = FALSE;
  g_mutex_unlock (&self->mutex);

  watchdog = g_new0 (Watchdog, 1);
  watchdog->runner = self;
  watchdog->deadline = g_get_monotonic_time () + (gint64) (options->timeout_ms + KILL_GRACE_MS) * 1000;
  watchdog_thread_handle = g_thread_new ("heapscope-watchdog", watchdog_thread, watchdog);

  hello = hs_protocol_read_frame (in, NULL, &local_error);
  if (hello == NULL || g_bytes_get_size (hello) == 0 ||
      (hello_payload = hs_protocol_parse_frame (hello, &name, &local_error)) == NULL ||
      name != g_intern_static_string (HS_MSG_HELLO) ||
      !g_variant_is_of_type (hello_payload, G_VARIANT_TYPE ("(us)")))
    protocol_error = g_strdup (_("The runtime did not introduce itself"));
  else
    {
      guint32 version;
      const char *python;

      g_variant_get (hello_payload, "(u&s)", &version, &python);
      if (version != HS_PROTOCOL_VERSION)
        protocol_error = g_strdup_printf (_("The runtime speaks protocol %u, not %u"), version, HS_PROTOCOL_VERSION);
      hs_trace_set_python_version (trace, python);
    }

  if (protocol_error == NULL)
    {
      g_autofree char *argv0 = g_strdup (path);

      g_variant_dict_init (&run, NULL);
      g_variant_dict_insert (&run, "path", "s", absolute);
      g_variant_dict_insert (&run, "argv0", "s", argv0);
      g_variant_dict_insert (&run, "max-steps", "u", options->max_steps);
      g_variant_dict_insert (&run, "timeout-ms", "u", options->timeout_ms);
      g_variant_dict_insert (&run, "max-objects", "u", options->max_objects);
      g_variant_dict_insert (&run, "max-elements", "u", options->max_elements);
      if (!hs_protocol_write_message (to_worker[1], HS_MSG_RUN, g_variant_dict_end (&run), &local_error))
        g_clear_error (&local_error);   /* the worker died; its exit says how */
    }

  while (protocol_error == NULL)
    {
      g_autoptr(GBytes) frame = hs_protocol_read_frame (in, NULL, &local_error);
      g_autoptr(GVariant) payload = NULL;

      if (frame == NULL || g_bytes_get_size (frame) == 0)
        {
          /* end of stream, or a pipe broken by a dying worker */
          g_clear_error (&local_error);
          break;
        }
      payload = hs_protocol_parse_frame (frame, &name, &local_error);
      if (payload == NULL)
        protocol_error = g_strdup (local_error->message);
      else if (name == g_intern_static_string (HS_MSG_STEP) && !done)
        {
          if (!hs_trace_append_step (trace, payload, &local_error))
            protocol_error = g_strdup (local_error->message);
        }
      else if (name == g_intern_static_string (HS_MSG_DONE) && !done)
        {
          if (!handle_done (trace, payload))
            protocol_error = g_strdup (_("The runtime sent an invalid result"));
          done = TRUE;
          /* let the worker shut down as python3 would: atexit, __del__ */
          hs_protocol_write_message (to_worker[1], HS_MSG_QUIT, g_variant_new ("()"), NULL);
          close_fd (&to_worker[1]);
        }
      else
        protocol_error = g_strdup_printf (_("The runtime sent an unexpected message “%s”"), name);
    }

  if (protocol_error != NULL)
    g_subprocess_force_exit (process);
  close_fd (&to_worker[1]);
  g_subprocess_wait (process, NULL, NULL);

  g_mutex_lock (&self->mutex);
  self->running = FALSE;
  g_cond_broadcast (&self->cond);
  g_clear_object (&self->process);
  g_mutex_unlock (&self->mutex);
  g_thread_join (watchdog_thread_handle);

  {
    g_autoptr(GBytes) seen_out = hs_trace_dup_stdout (trace);
    g_autoptr(GBytes) seen_err = hs_trace_dup_stderr (trace);
    g_autoptr(GBytes) rest_out = read_from (out_fd, g_bytes_get_size (seen_out));
    g_autoptr(GBytes) rest_err = read_from (err_fd, g_bytes_get_size (seen_err));

    hs_trace_add_trailing_output (trace, rest_out, rest_err);
  }

  if (protocol_error != NULL)
    {
      HsTraceError err = { "ProtocolError", protocol_error, 0, "" };

      hs_trace_finish (trace, "crashed", -1, 0, &err);
    }
  else if (self->stopped)
    hs_trace_finish (trace, "stopped", -1, 0, NULL);
  else if (self->timed_out && !done)
    hs_trace_finish (trace, "timeout", -1, 0, NULL);
  else if (!done)
    {
      if (g_subprocess_get_if_signaled (process))
        {
          int sig = g_subprocess_get_term_sig (process);
          g_autofree char *message = g_strdup_printf (_("The runtime was killed by signal %d (%s)"), sig, g_strsignal (sig));
          HsTraceError err = { "Crash", message, 0, "" };

          hs_trace_finish (trace, "crashed", -1, sig, &err);
        }
      else
        hs_trace_finish (trace, "exited", g_subprocess_get_exit_status (process), 0, NULL);
    }

  close (out_fd);
  close (err_fd);
  return g_steal_pointer (&trace);

fail:
  if (out_fd >= 0)
    close (out_fd);
  if (err_fd >= 0)
    close (err_fd);
  for (int i = 0; i < 2; i++)
    {
      if (to_app[i] >= 0)
        close (to_app[i]);
      if (to_worker[i] >= 0)
        close (to_worker[i]);
    }
  return NULL;
}
