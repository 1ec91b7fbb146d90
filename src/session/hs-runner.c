/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE   /* F_SETPIPE_SZ */
#define G_LOG_DOMAIN "heapscope-runner"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "hs-protocol.h"
#include "hs-runner.h"
#include "hs-trace-json.h"

G_STATIC_ASSERT ((HS_RUN_MAX_SOURCE_MB << 20) + (1u << 20) < HS_PROTOCOL_MAX_FRAME);

/* Every wait on the worker has a deadline, and they all live here:
 *   hello     HELLO_TIMEOUT_MS after the spawn (sent before Python starts)
 *   run/exec  the timeout plus KILL_GRACE_MS (the worker enforces the
 *             timeout itself between lines; this catches C code and
 *             anything else that never reaches a line)
 *   drain     DRAIN_MS after a kill, for the batch a SIGTERM flushes
 *   shutdown  the run's deadline, or SHUTDOWN_MS from the quit if later:
 *             atexit handlers, __del__ and non-daemon threads get no more
 * Reading stops at a deadline, and also when the worker itself has been
 * reaped: a child the program forked may hold the pipe open for ever. */
#define HELLO_TIMEOUT_MS 10000
#define KILL_GRACE_MS 2000
#define DRAIN_MS 1000
#define SHUTDOWN_MS 2000
#define POLL_SLICE_MS 100

/* Output pieces waiting for the step that wrote them; past this, the
 * program is flooding the app and the run ends as a protocol error. */
#define MAX_PENDING_OUTPUT (256u * 1024u * 1024u)

/* One worker process and the trace it feeds. */
typedef struct
{
  GSubprocess  *process;
  int           from_worker; /* protocol, from the worker (non-blocking) */
  GByteArray   *in;          /* bytes read but not yet framed */
  gboolean      eof;         /* the stream ended or the worker is gone */
  GByteArray   *pending_out; /* output pieces ahead of their step */
  GByteArray   *pending_err;
  gint64        run_deadline;
  int           to_worker;   /* protocol, to the worker */
  int           out_fd;      /* the program's stdout file */
  int           err_fd;      /* the program's stderr file */
  HsTrace      *trace;
  gboolean      done;        /* the worker reported the program's end */
  guint         timeout_ms;  /* the run's, and each statement's after it */
  gboolean      exit_timed_out; /* shutdown passed its deadline */
  guint64       max_output;  /* bytes of each output file read; 0: all */
  guint64       max_trace;   /* bytes of history; 0: no cap */
  gboolean      size_limited; /* a cap on size ended the run */
  char         *protocol_error;
} HsSession;

struct _HsRunner
{
  GObject      parent_instance;

  char        *runtime_path;
  HsSession   *session;      /* a live worker between start and close */

  GMutex       mutex;
  GSubprocess *process;      /* whatever hs_runner_stop() should kill */
  HsTrace     *trace;        /* the newest run's, fed while it runs */
  gboolean     stopped;      /* by hs_runner_stop() */
  gboolean     timed_out;    /* a run or exec deadline passed */

  HsTraceStepFunc stream_func;  /* hs_runner_run_streaming()'s, during it */
  gpointer     stream_data;
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
  options->max_output_mb = HS_RUN_DEFAULT_MAX_OUTPUT_MB;
  options->max_trace_mb = HS_RUN_DEFAULT_MAX_TRACE_MB;
  options->stdin_path = NULL;
  options->args = NULL;
  options->step_folders = NULL;
  options->source = NULL;
}

static void
hs_runner_finalize (GObject *object)
{
  HsRunner *self = (HsRunner *) object;

  hs_runner_close (self);
  g_clear_object (&self->trace);
  g_free (self->runtime_path);
  g_mutex_clear (&self->mutex);

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
}

HsRunner *
hs_runner_new (void)
{
  return g_object_new (HS_TYPE_RUNNER, NULL);
}

/* Where the workers are: beside HEAPSCOPE_RUNTIME when it is set (the
 * tests' build tree), next to the running executable, so that a build
 * tree runs its own with no installation and no environment, in the
 * libexec folder of the tree the executable was installed in, wherever
 * that tree now is (a DESTDIR, a moved prefix), and in the installed
 * libexecdir. */
static GPtrArray *
worker_dirs (void)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *env = g_getenv ("HEAPSCOPE_RUNTIME");

  if (env != NULL && *env != '\0')
    g_ptr_array_add (dirs, g_path_get_dirname (env));
  if (exe != NULL)
    {
      g_autofree char *bindir = g_path_get_dirname (exe);
      g_autofree char *tail = g_strconcat (G_DIR_SEPARATOR_S, HS_BINDIR_NAME, NULL);

      if (!g_path_is_absolute (HS_LIBEXECDIR_NAME) && g_str_has_suffix (bindir, tail))
        {
          g_autofree char *prefix = g_strndup (bindir, strlen (bindir) - strlen (tail));

          g_ptr_array_add (dirs, g_build_filename (prefix, HS_LIBEXECDIR_NAME, NULL));
        }
      g_ptr_array_add (dirs, g_steal_pointer (&bindir));
    }
  g_ptr_array_add (dirs, g_strdup (HS_LIBEXECDIR));
  return dirs;
}

static char *
find_worker (const char *name)
{
  g_autoptr(GPtrArray) dirs = worker_dirs ();

  for (guint i = 0; i + 1 < dirs->len; i++)
    {
      g_autofree char *candidate = g_build_filename (g_ptr_array_index (dirs, i), name, NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&candidate);
    }
  return g_build_filename (HS_LIBEXECDIR, name, NULL);
}

static char *
find_runtime (void)
{
  const char *env = g_getenv ("HEAPSCOPE_RUNTIME");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return find_worker (HS_RUNTIME_NAME);
}

static int
compare_versions (gconstpointer a,
                  gconstpointer b)
{
  const char *va = *(const char **) a;
  const char *vb = *(const char **) b;
  guint64 ma = g_ascii_strtoull (strchr (va, '.') + 1, NULL, 10);
  guint64 mb = g_ascii_strtoull (strchr (vb, '.') + 1, NULL, 10);

  if (va[0] != vb[0])
    return va[0] - vb[0];
  return ma < mb ? -1 : ma > mb;
}

/* "3.12" from "heapscope-runtime-3.12", or NULL for any other name. */
static const char *
worker_version (const char *name)
{
  const char *v;
  const char *dot;

  if (!g_str_has_prefix (name, HS_RUNTIME_NAME "-"))
    return NULL;
  v = name + strlen (HS_RUNTIME_NAME "-");
  dot = strchr (v, '.');
  if (!g_ascii_isdigit (v[0]) || dot == NULL || dot == v || !g_ascii_isdigit (dot[1]))
    return NULL;
  for (const char *c = v; *c != '\0'; c++)
    if (!g_ascii_isdigit (*c) && c != dot)
      return NULL;
  return v;
}

GStrv
hs_runner_list_pythons (void)
{
  g_autoptr(GPtrArray) dirs = worker_dirs ();
  g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < dirs->len; i++)
    {
      const char *dir_path = g_ptr_array_index (dirs, i);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          const char *version = worker_version (name);
          g_autofree char *path = g_build_filename (dir_path, name, NULL);

          if (version != NULL && g_file_test (path, G_FILE_TEST_IS_EXECUTABLE) &&
              !g_ptr_array_find_with_equal_func (versions, version, g_str_equal, NULL))
            g_ptr_array_add (versions, g_strdup (version));
        }
    }
  g_ptr_array_sort (versions, compare_versions);
  g_ptr_array_add (versions, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&versions), FALSE);
}

gboolean
hs_runner_set_python (HsRunner    *self,
                      const char  *version,
                      GError     **error)
{
  g_auto(GStrv) versions = hs_runner_list_pythons ();
  g_autofree char *name = NULL;

  g_return_val_if_fail (HS_IS_RUNNER (self), FALSE);
  g_return_val_if_fail (version != NULL, FALSE);

  if (!g_strv_contains ((const char * const *) versions, version))
    {
      g_autofree char *list = g_strjoinv (", ", versions);

      if (versions[0] == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("No worker for Python %s: no versioned worker is installed"), version);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("No worker for Python %s; the versions available are %s"), version, list);
      return FALSE;
    }
  name = g_strconcat (HS_RUNTIME_NAME "-", version, NULL);
  g_free (self->runtime_path);
  self->runtime_path = find_worker (name);
  return TRUE;
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

static void
kill_group (GSubprocess *process)
{
  const char *id;

  g_assert (G_IS_SUBPROCESS (process));

  /* The worker leads its own process group (child_setup), so this also
   * ends whatever the program started.  GSubprocess forgets the
   * identifier once it has reaped the worker: from then on the group's
   * id may be free, and another process may get it. */
  id = g_subprocess_get_identifier (process);
  if (id != NULL && atoi (id) > 0)
    kill (-(GPid) atoi (id), SIGKILL);
  g_subprocess_force_exit (process);
}

static gpointer
kill_later (gpointer data)
{
  g_autoptr(GSubprocess) process = data;

  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  kill_group (process);
  return NULL;
}

/* SIGTERM first: the worker's handler sends the steps it has batched.  A
 * worker that ignores it is killed a moment later, with its group. */
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

/* Every signal at its default and none blocked, as in a terminal: an app
 * a shell started in the background ignores SIGINT and SIGQUIT, and
 * CPython counts each ignored signal as one more reference to the int 1,
 * so sys.getrefcount(1) would not be python3's.  For a child between fork
 * and exec: the worker, and the tests' python3 they compare it with. */
void
hs_runner_reset_signals (void)
{
  struct sigaction default_action = { 0 };
  sigset_t none;

  default_action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      sigaction (sig, &default_action, NULL);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
}

/* Runs in the child between fork and exec. */
static void
child_setup (gpointer user_data)
{
  guint max_memory_mb = GPOINTER_TO_UINT (user_data);

  /* A group of its own, so that a timeout can end the program's children
   * too, and a terminal's ^C reaches the app, which then ends the worker. */
  setpgid (0, 0);

  hs_runner_reset_signals ();

  if (max_memory_mb > 0)
    {
      struct rlimit rl;

      rl.rlim_cur = rl.rlim_max = (rlim_t) max_memory_mb * 1024 * 1024;
      setrlimit (RLIMIT_AS, &rl);
    }
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

/* The output file, up to max bytes (0: all of it); *over is set when it
 * holds more, which only output the worker's cap never saw can make (a
 * raw system call, a child that exec'd). */
static GBytes *
read_from (int       fd,
           gsize     offset,
           guint64   max,
           gboolean *over)
{
  GByteArray *buf = g_byte_array_new ();
  guint8 chunk[65536];

  for (;;)
    {
      gsize want = sizeof chunk;
      gssize n;

      if (max > 0 && buf->len >= max)
        {
          if (pread (fd, chunk, 1, offset) > 0)
            *over = TRUE;
          break;
        }
      if (max > 0)
        want = MIN (want, max - buf->len);
      n = pread (fd, chunk, want, offset);

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
    "finished", "exception", "syntax-error", "step-limit", "size-limit", "timeout", "crashed", "exited", NULL,
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
  g_clear_pointer (&session->in, g_byte_array_unref);
  g_clear_pointer (&session->pending_out, g_byte_array_unref);
  g_clear_pointer (&session->pending_err, g_byte_array_unref);
  close_fd (&session->from_worker);
  close_fd (&session->to_worker);
  close_fd (&session->out_fd);
  close_fd (&session->err_fd);
  g_clear_object (&session->trace);
  g_free (session->protocol_error);
  g_free (session);
}

static void
session_fail (HsSession  *session,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

/* Records why the protocol failed; the first reason is the one reported. */
static void
session_fail (HsSession  *session,
              const char *format,
              ...)
{
  va_list args;

  g_assert (session != NULL);

  if (session->protocol_error != NULL)
    return;
  va_start (args, format);
  session->protocol_error = g_strdup_vprintf (format, args);
  va_end (args);
}

typedef enum
{
  READ_FRAME,
  READ_END,       /* end of stream, worker gone, or a protocol error */
  READ_TIMEOUT,
} ReadResult;

static gboolean
worker_reaped (HsSession *session)
{
  g_assert (session != NULL);

  /* GSubprocess reaps its child from GLib's worker thread */
  return g_subprocess_get_identifier (session->process) == NULL;
}

/* The app's side of the framing.  It never blocks past deadline, keeps at
 * most one frame (HS_PROTOCOL_MAX_FRAME) plus one read in memory, and ends
 * when the worker is gone even if a child the program forked still holds
 * the pipe. */
static ReadResult
session_next_frame (HsSession *session,
                    gint64     deadline,
                    GBytes   **frame)
{
  g_assert (session != NULL);
  g_assert (frame != NULL);

  *frame = NULL;
  for (;;)
    {
      struct pollfd pfd = { session->from_worker, POLLIN, 0 };
      gboolean reaped;
      gint64 now;
      int wait_ms;
      int r;

      if (session->protocol_error != NULL)
        return READ_END;

      if (session->in->len >= 4)
        {
          guint32 le;
          guint32 len;

          memcpy (&le, session->in->data, 4);
          len = GUINT32_FROM_LE (le);
          if (len == 0 || len > HS_PROTOCOL_MAX_FRAME)
            {
              session_fail (session, _("The runtime sent a frame of invalid size %u"), len);
              return READ_END;
            }
          if (session->in->len - 4 >= len)
            {
              /* a fresh g_malloc'd copy is aligned for GVariant */
              *frame = g_bytes_new (session->in->data + 4, len);
              g_byte_array_remove_range (session->in, 0, len + 4);
              return READ_FRAME;
            }
        }

      if (session->eof)
        {
          if (session->in->len > 0)
            session_fail (session, _("The runtime's message stream ended in the middle of a frame"));
          return READ_END;
        }

      now = g_get_monotonic_time ();
      if (now >= deadline)
        return READ_TIMEOUT;
      wait_ms = (int) MIN ((deadline - now + 999) / 1000, POLL_SLICE_MS);

      reaped = worker_reaped (session);
      r = poll (&pfd, 1, wait_ms);
      if (r < 0 && errno != EINTR)
        {
          session_fail (session, _("Reading from the runtime failed: %s"), g_strerror (errno));
          return READ_END;
        }
      if (r == 0 && reaped)
        {
          /* everything the worker wrote before it ended was readable
           * before this poll began */
          session->eof = TRUE;
          continue;
        }
      if (r > 0)
        {
          guint old = session->in->len;
          gssize n;

          g_byte_array_set_size (session->in, old + 256 * 1024);
          n = read (session->from_worker, session->in->data + old, 256 * 1024);
          g_byte_array_set_size (session->in, old + MAX (n, 0));
          if (n == 0)
            session->eof = TRUE;
          else if (n < 0 && errno != EINTR && errno != EAGAIN)
            {
              session_fail (session, _("Reading from the runtime failed: %s"), g_strerror (errno));
              return READ_END;
            }
        }
    }
}

static gboolean
handle_output (HsSession *session,
               GVariant  *payload)
{
  g_autoptr(GVariant) bytes = NULL;
  guint32 stream;
  gsize len;
  const guint8 *data;
  GByteArray *pending;

  g_assert (session != NULL);

  if (!g_variant_is_of_type (payload, HS_OUTPUT_TYPE))
    {
      session_fail (session, _("The runtime sent invalid output"));
      return FALSE;
    }
  g_variant_get (payload, "(u@ay)", &stream, &bytes);
  data = g_variant_get_fixed_array (bytes, &len, 1);
  pending = stream == 1 ? session->pending_out : stream == 2 ? session->pending_err : NULL;
  if (pending == NULL || len > HS_PROTOCOL_MAX_OUTPUT_CHUNK)
    {
      session_fail (session, _("The runtime sent invalid output"));
      return FALSE;
    }
  if (session->pending_out->len + session->pending_err->len + len > MAX_PENDING_OUTPUT)
    {
      session_fail (session, _("The runtime sent more than %u MiB of output for one step"),
                    MAX_PENDING_OUTPUT / (1024 * 1024));
      return FALSE;
    }
  g_byte_array_append (pending, data, len);
  return TRUE;
}

/* Output that came in pieces goes to the first step of the batch that
 * follows it, ahead of what the batch itself carries for that step. */
static GVariant *
merge_pending_output (HsSession *session,
                      GVariant  *batch)
{
  g_autoptr(GVariant) headers = NULL;
  g_autoptr(GVariant) out = NULL;
  g_autoptr(GVariant) err = NULL;
  g_autofree HsWireStep *steps = NULL;
  g_autoptr(GByteArray) new_out = NULL;
  g_autoptr(GByteArray) new_err = NULL;
  GVariant *children[13];
  gsize n_steps;
  gsize len;
  const void *data;

  g_assert (session != NULL);

  if (session->pending_out->len == 0 && session->pending_err->len == 0)
    return g_variant_ref (batch);

  headers = g_variant_get_child_value (batch, 1);
  data = g_variant_get_fixed_array (headers, &n_steps, sizeof (HsWireStep));
  if (n_steps == 0)
    return g_variant_ref (batch);   /* the trace rejects it with a reason */
  steps = g_memdup2 (data, n_steps * sizeof (HsWireStep));
  steps[0].n_out += session->pending_out->len;
  steps[0].n_err += session->pending_err->len;

  out = g_variant_get_child_value (batch, 11);
  err = g_variant_get_child_value (batch, 12);
  new_out = g_steal_pointer (&session->pending_out);
  new_err = g_steal_pointer (&session->pending_err);
  session->pending_out = g_byte_array_new ();
  session->pending_err = g_byte_array_new ();
  data = g_variant_get_fixed_array (out, &len, 1);
  g_byte_array_append (new_out, data, len);
  data = g_variant_get_fixed_array (err, &len, 1);
  g_byte_array_append (new_err, data, len);

  for (guint i = 0; i < 13; i++)
    children[i] = g_variant_get_child_value (batch, i);
  g_variant_unref (children[1]);
  g_variant_unref (children[11]);
  g_variant_unref (children[12]);
  children[1] = g_variant_new_fixed_array (G_VARIANT_TYPE (HS_WIRE_STEP_TYPE_STRING), steps, n_steps, sizeof (HsWireStep));
  children[11] = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, new_out->data, new_out->len, 1);
  children[12] = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, new_err->data, new_err->len, 1);
  {
    GVariant *merged = g_variant_ref_sink (g_variant_new_tuple (children, 13));

    for (guint i = 0; i < 13; i++)
      if (i != 1 && i != 11 && i != 12)
        g_variant_unref (children[i]);
    return merged;
  }
}

static void
mark_timed_out (HsRunner  *self,
                HsSession *session)
{
  g_mutex_lock (&self->mutex);
  self->timed_out = TRUE;
  g_mutex_unlock (&self->mutex);
  if (!worker_reaped (session))
    terminate (session->process);
}

/* Reads the worker's messages into the trace until one named until (or,
 * if also is given, one named also) arrives and returns its payload, or
 * until the stream ends, a protocol error or the deadline (NULL).  At the
 * deadline the worker is terminated and what it flushes on its way out is
 * still read. */
static GVariant *
session_read (HsRunner    *self,
              HsSession   *session,
              const char  *until,
              const char  *also,
              gint64       deadline,
              const char **got)
{
  gboolean draining = FALSE;

  until = until ? g_intern_string (until) : NULL;
  also = also ? g_intern_string (also) : NULL;

  while (session->protocol_error == NULL && !session->size_limited)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) frame = NULL;
      g_autoptr(GVariant) payload = NULL;
      const char *name;

      switch (session_next_frame (session, deadline, &frame))
        {
        case READ_END:
          return NULL;
        case READ_TIMEOUT:
          if (draining)
            return NULL;
          mark_timed_out (self, session);
          draining = TRUE;
          deadline = g_get_monotonic_time () + DRAIN_MS * G_TIME_SPAN_MILLISECOND;
          continue;
        case READ_FRAME:
        default:
          break;
        }

      payload = hs_protocol_parse_frame (frame, &name, &error);
      if (payload == NULL)
        session_fail (session, "%s", error->message);
      else if (name == g_intern_static_string (HS_MSG_STEPS))
        {
          g_autoptr(GVariant) merged = NULL;

          if (!g_variant_is_of_type (payload, HS_STEPS_TYPE))
            session_fail (session, _("The runtime sent invalid steps"));
          else if (!hs_trace_append_batch (session->trace, (merged = merge_pending_output (session, payload)), &error))
            {
              /* a streaming writer's own cap on what it writes */
              if (g_error_matches (error, HS_TRACE_WRITER_ERROR, HS_TRACE_WRITER_ERROR_SIZE_LIMIT))
                session->size_limited = TRUE;
              else
                session_fail (session, "%s", error->message);
            }
          else if (session->max_trace > 0 && hs_trace_get_history_bytes (session->trace) > session->max_trace)
            session->size_limited = TRUE;
        }
      else if (name == g_intern_static_string (HS_MSG_OUTPUT))
        handle_output (session, payload);
      else if (!draining && until != NULL && (name == until || name == also))
        {
          if (got != NULL)
            *got = name;
          return g_steal_pointer (&payload);
        }
      else if (draining && name == g_intern_static_string (HS_MSG_DONE))
        ;   /* the worker's own timeout report, crossing the kill */
      else
        session_fail (session, _("The runtime sent an unexpected message “%s”"), name);
    }
  return NULL;
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
  g_autofree char *folder = g_path_get_dirname (absolute);
  g_autofree char *argv0 = g_path_get_basename (absolute);
  g_autofree char *stdin_path = options->stdin_path ? g_canonicalize_filename (options->stdin_path, NULL) : NULL;
  g_autoptr(GStrvBuilder) step_folders = g_strv_builder_new ();
  g_auto(GStrv) step_folder_list = NULL;
  HsSession *session = g_new0 (HsSession, 1);
  int to_app[2] = { -1, -1 }, to_worker[2] = { -1, -1 };
  GVariantDict run;
  const char *name;

  session->to_worker = session->from_worker = session->out_fd = session->err_fd = -1;
  session->in = g_byte_array_new ();
  session->pending_out = g_byte_array_new ();
  session->pending_err = g_byte_array_new ();

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
#ifdef F_SETPIPE_SZ
  /* Room for a few dozen batches (the worker sends one every 64 KiB of
   * steps): on a busy machine the app is not always scheduled when one
   * comes, and with the default 64 KiB the worker then waits for it.
   * Best effort: the default works, more slowly. */
  (void) fcntl (to_app[0], F_SETPIPE_SZ, 1024 * 1024);
#endif

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path ? stdin_path : "/dev/null");
  g_subprocess_launcher_set_cwd (launcher, folder);
  g_subprocess_launcher_take_stdout_fd (launcher, dup (session->out_fd));
  g_subprocess_launcher_take_stderr_fd (launcher, dup (session->err_fd));
  g_subprocess_launcher_take_fd (launcher, to_app[1], 3);
  g_subprocess_launcher_take_fd (launcher, to_worker[0], 4);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, GUINT_TO_POINTER (options->max_memory_mb), NULL);

  session->process = g_subprocess_launcher_spawn (launcher, error, hs_runner_get_runtime_path (self), NULL);
  /* The launcher holds the child's ends of the pipes; until it goes, the
   * worker's exit would never read as end of stream. */
  g_clear_object (&launcher);
  session->from_worker = to_app[0];
  g_unix_set_fd_nonblocking (session->from_worker, TRUE, NULL);
  session->to_worker = to_worker[1];
  if (session->process == NULL)
    goto fail;
  session->run_deadline = g_get_monotonic_time () +
                          (gint64) (options->timeout_ms + KILL_GRACE_MS) * G_TIME_SPAN_MILLISECOND;

  session->trace = hs_trace_new ();
  {
    /* a saved run keeps what the program was given (up to what a reader
     * of the run takes back) */
    g_autofree char *input = NULL;
    gsize input_len = 0;
    const char *none[] = { NULL };

    if (stdin_path != NULL && (!g_file_get_contents (stdin_path, &input, &input_len, NULL) ||
                               input_len > 32u * 1024 * 1024 || !g_utf8_validate_len (input, input_len, NULL)))
      g_clear_pointer (&input, g_free);
    hs_trace_set_program_input (session->trace, options->args != NULL ? options->args : none, input);
  }
  if (self->stream_func != NULL)
    hs_trace_stream_steps (session->trace, self->stream_func, self->stream_data);

  g_mutex_lock (&self->mutex);
  g_set_object (&self->process, session->process);
  g_set_object (&self->trace, session->trace);
  self->stopped = FALSE;
  g_mutex_unlock (&self->mutex);

  /* the hello has its own deadline: a worker that never sends it must not
   * hang the app */
  if (session_next_frame (session,
                          MIN (session->run_deadline,
                               g_get_monotonic_time () + HELLO_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND),
                          &hello) != READ_FRAME ||
      (hello_payload = hs_protocol_parse_frame (hello, &name, &local_error)) == NULL ||
      name != g_intern_static_string (HS_MSG_HELLO) ||
      !g_variant_is_of_type (hello_payload, G_VARIANT_TYPE ("(us)")))
    {
      session_fail (session, _("The runtime did not introduce itself"));
      return session;
    }
  else
    {
      guint32 version;
      const char *python;

      g_variant_get (hello_payload, "(u&s)", &version, &python);
      if (version != HS_PROTOCOL_VERSION)
        {
          session_fail (session, _("The runtime speaks protocol %u, not %u"), version, HS_PROTOCOL_VERSION);
          return session;
        }
      hs_trace_set_python_version (session->trace, python);
    }

  g_variant_dict_init (&run, NULL);
  g_variant_dict_insert (&run, "path", "s", absolute);
  g_variant_dict_insert (&run, "argv0", "s", argv0);
  if (options->source != NULL)
    g_variant_dict_insert (&run, "source", "s", options->source);
  g_variant_dict_insert_value (&run, "args", g_variant_new_strv (options->args, options->args != NULL ? -1 : 0));
  for (guint i = 0; options->step_folders != NULL && options->step_folders[i] != NULL; i++)
    {
      g_autofree char *dir = g_canonicalize_filename (options->step_folders[i], NULL);

      g_strv_builder_add (step_folders, dir);
    }
  step_folder_list = g_strv_builder_end (step_folders);
  g_variant_dict_insert_value (&run, "step-folders", g_variant_new_strv ((const char * const *) step_folder_list, -1));
  g_variant_dict_insert (&run, "max-steps", "u", options->max_steps);
  g_variant_dict_insert (&run, "timeout-ms", "u", options->timeout_ms);
  g_variant_dict_insert (&run, "max-objects", "u", options->max_objects);
  g_variant_dict_insert (&run, "max-elements", "u", options->max_elements);
  g_variant_dict_insert (&run, "max-output-mb", "u", options->max_output_mb);
  /* a worker that already died says how through its exit status */
  hs_protocol_write_message (session->to_worker, HS_MSG_RUN, g_variant_dict_end (&run), NULL);
  return session;

fail:
  session_free (session);
  return NULL;
}

/* Waits for the worker to be reaped until deadline; FALSE if it was not. */
static gboolean
wait_reaped (HsSession *session,
             gint64     deadline)
{
  g_assert (session != NULL);

  while (!worker_reaped (session))
    {
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
  return TRUE;
}

/* The outcome arrives before the interpreter shuts down, and python3's
 * exit status can still change then: 120 when sys.stdout cannot be flushed
 * (Py_FinalizeEx fails), os._exit(N) in an atexit handler or a thread.
 * The worker exits with that status (0 otherwise), so a program that ran
 * to its end takes it over. */
static void
shutdown_exit_status (HsTrace     *trace,
                      GSubprocess *process)
{
  const char *ran_to_end[] = { "finished", "exception", "syntax-error", "exited", NULL };
  g_autofree char *status = NULL;
  const HsTraceError *error;
  HsTraceError copy = { 0 };
  int code;

  g_assert (HS_IS_TRACE (trace));
  g_assert (G_IS_SUBPROCESS (process));

  if (!g_subprocess_get_if_exited (process) || (code = g_subprocess_get_exit_status (process)) == 0 ||
      !g_strv_contains (ran_to_end, hs_trace_get_status (trace)))
    return;

  /* hs_trace_finish() frees what it replaces */
  status = g_strdup (hs_trace_get_status (trace));
  error = hs_trace_get_error (trace);
  if (error != NULL)
    {
      copy.type = g_strdup (error->type);
      copy.message = g_strdup (error->message);
      copy.line = error->line;
      copy.traceback = g_strdup (error->traceback);
    }
  hs_trace_finish (trace, status, code, hs_trace_get_signal (trace), error != NULL ? &copy : NULL);
  g_free ((char *) copy.type);
  g_free ((char *) copy.message);
  g_free ((char *) copy.traceback);
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
  gboolean timed_out_before;
  gint64 deadline;

  /* the program's own timeout covers its shutdown too (python3 runs
   * atexit handlers and joins threads as part of the program) */
  deadline = MAX (session->run_deadline - KILL_GRACE_MS * G_TIME_SPAN_MILLISECOND,
                  g_get_monotonic_time () + SHUTDOWN_MS * G_TIME_SPAN_MILLISECOND);
  g_mutex_lock (&self->mutex);
  timed_out_before = self->timed_out;
  g_mutex_unlock (&self->mutex);

  if (session->protocol_error != NULL || session->size_limited)
    kill_group (session->process);   /* the reason is recorded */
  else
    {
      /* let it shut down as python3 would: atexit handlers, __del__; and
       * keep reading, so that nothing it writes can block it */
      hs_protocol_write_message (session->to_worker, HS_MSG_QUIT, g_variant_new ("()"), NULL);
      while (session_read (self, session, NULL, NULL, deadline, NULL) != NULL)
        ;
      g_mutex_lock (&self->mutex);
      if (self->timed_out && !timed_out_before)
        session->exit_timed_out = TRUE;
      g_mutex_unlock (&self->mutex);
    }

  if (!wait_reaped (session, deadline))
    {
      session->exit_timed_out = TRUE;
      kill_group (session->process);
    }
  g_subprocess_wait (session->process, NULL, NULL);
  /* the pipe to the worker stays open until it is gone: its end of it
   * closing is how a worker learns that the app died */
  close_fd (&session->to_worker);

  g_mutex_lock (&self->mutex);
  g_clear_object (&self->process);
  g_mutex_unlock (&self->mutex);

  /* The files hold exactly what the program's output became; the steps
   * also show what was still in its buffers (and lost, on os._exit()) */
  seen_out = read_from (session->out_fd, 0, session->max_output, &session->size_limited);
  seen_err = read_from (session->err_fd, 0, session->max_output, &session->size_limited);
  hs_trace_set_final_output (trace, seen_out, seen_err);

  /* What ended the worker says more than a garbled last message, and a
   * protocol error says more than the kill that followed it */
  if (self->stopped)
    hs_trace_finish (trace, "stopped", -1, 0, NULL);
  else if (session->size_limited)
    hs_trace_finish (trace, "size-limit", -1, 0, NULL);
  else if (session->protocol_error != NULL)
    {
      HsTraceError err = { "ProtocolError", session->protocol_error, 0, "" };

      hs_trace_finish (trace, "crashed", -1, 0, &err);
    }
  else if ((self->timed_out && !session->done) || session->exit_timed_out)
    hs_trace_finish (trace, "timeout", -1, 0, NULL);
  else if (session->done)
    shutdown_exit_status (trace, session->process);
  else if (g_subprocess_get_if_signaled (session->process))
    {
      int sig = g_subprocess_get_term_sig (session->process);
      g_autofree char *message = NULL;
      HsTraceError err = { "Crash", NULL, 0, "" };

      /* Heapscope sets no CPU time or file size limit: these are the
       * program's own (or its shell's), and end python3 the same way */
      if (sig == SIGXCPU || sig == SIGXFSZ)
        message = g_strdup_printf (_("The program was killed by signal %d (%s): it passed a resource limit set for it, as it would under python3"),
                                   sig, g_strsignal (sig));
      else
        message = g_strdup_printf (_("The runtime was killed by signal %d (%s)"), sig, g_strsignal (sig));
      err.message = message;

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

  /* an edited program's text goes in the run message, which a frame
   * bounds; its file on disk has no such bound */
  if (options->source != NULL && strlen (options->source) > HS_RUN_MAX_SOURCE_MB << 20)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The edited program is longer than %u MiB: save it to run it"), HS_RUN_MAX_SOURCE_MB);
      return NULL;
    }

  g_mutex_lock (&self->mutex);
  self->timed_out = FALSE;
  g_mutex_unlock (&self->mutex);

  session = session_spawn (self, path, options, error);
  if (session == NULL)
    return NULL;

  session->timeout_ms = options->timeout_ms;
  session->max_output = (guint64) options->max_output_mb << 20;
  session->max_trace = (guint64) options->max_trace_mb << 20;
  if (session->protocol_error == NULL)
    {
      done = session_read (self, session, HS_MSG_DONE, NULL, session->run_deadline, NULL);
    }

  if (done != NULL)
    {
      if (!handle_done (session->trace, done))
        session_fail (session, _("The runtime sent an invalid result"));
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

/* Like hs_runner_run_sync(), but the trace keeps no history: each step
 * goes to func as it arrives (see hs_trace_stream_steps()), so that the
 * memory a run takes does not grow with its steps. */
HsTrace *
hs_runner_run_streaming (HsRunner           *self,
                         const char         *path,
                         const HsRunOptions *options,
                         HsTraceStepFunc     func,
                         gpointer            user_data,
                         GError            **error)
{
  HsTrace *trace;

  g_return_val_if_fail (HS_IS_RUNNER (self), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self->stream_func = func;
  self->stream_data = user_data;
  trace = hs_runner_run_sync (self, path, options, error);
  self->stream_func = NULL;
  self->stream_data = NULL;
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
      g_strv_contains ((const char * const[]) { "step-limit", "size-limit", "timeout", "crashed", NULL },
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

/* The trace of the newest run, from its first message on: a window steps
 * through what has arrived while the run goes on (HsTrace locks itself). */
HsTrace *
hs_runner_dup_trace (HsRunner *self)
{
  HsTrace *trace;

  g_return_val_if_fail (HS_IS_RUNNER (self), NULL);

  g_mutex_lock (&self->mutex);
  trace = self->trace != NULL ? g_object_ref (self->trace) : NULL;
  g_mutex_unlock (&self->mutex);
  return trace;
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

  g_mutex_lock (&self->mutex);
  self->timed_out = FALSE;
  g_mutex_unlock (&self->mutex);

  if (!hs_protocol_write_message (session->to_worker, HS_MSG_EXEC,
                                  g_variant_new ("(su)", source, MAX (first_line, 1)), &local_error))
    reply = NULL;
  else
    {
      const char *got = NULL;

      /* from here, only a "done" for the statement ends the trace cleanly */
      session->done = FALSE;

      /* a statement gets the run's timeout; the worker ends itself with a
       * "done" message when it passes it (a loop), the runner when the
       * worker does not (C code) */
      session->run_deadline = g_get_monotonic_time () +
                              (gint64) (session->timeout_ms + KILL_GRACE_MS) * G_TIME_SPAN_MILLISECOND;
      reply = session_read (self, session, HS_MSG_EXEC_DONE, HS_MSG_DONE, session->run_deadline, &got);
      if (reply != NULL && got == g_intern_static_string (HS_MSG_DONE))
        {
          if (!handle_done (session->trace, reply))
            session_fail (session, _("The runtime sent an invalid result"));
          session->done = TRUE;
          g_clear_pointer (&reply, g_variant_unref);
        }
      else if (reply != NULL && !g_variant_is_of_type (reply, G_VARIANT_TYPE ("(bs)")))
        {
          session_fail (session, _("The runtime sent an invalid result"));
          g_clear_pointer (&reply, g_variant_unref);
        }
    }

  if (reply == NULL)
    {
      /* the worker died, lied or timed out while running the statement;
       * a "done" it sent (a timeout) is the trace's status */
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
