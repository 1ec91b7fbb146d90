/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-tracer"

#include "config.h"

#include <Python.h>
#include <frameobject.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "hs-channel.h"
#include "hs-cpython.h"
#include "hs-holders.h"
#include "hs-interpose.h"
#include "hs-output-capture.h"
#include "hs-registry.h"
#include "hs-tracer.h"

static const HsTracerOptions *opts;
static HsStepBuilder *builder;
static PyObject *user_filename;
static Py_hash_t user_filename_hash;
static PyObject *main_globals;
static guint32 n_steps;
static guint32 step_limit;
static gint64 deadline;
static gboolean frames_popped;

/* Which files are the user's: the program's own, and every file whose real
 * path lies in the program's folder (or a folder the user added) but not in
 * the interpreter's prefixes, a site-packages folder or a virtual
 * environment.  Each file's verdict is worked out once, by its name: its
 * path relative to the program's folder, or NULL for the library. */
static char *program_dir;          /* real path */
static char *main_file;            /* relative to program_dir */
static GPtrArray *stepped_dirs;    /* real paths */
static GPtrArray *library_dirs;    /* real paths */
static GHashTable *verdicts;       /* co_filename (UTF-8) -> relative path or "" */

static gboolean
path_is_under (const char *path,
               const char *dir)
{
  gsize len = strlen (dir);

  g_assert (path != NULL && dir != NULL);

  if (len == 1 && dir[0] == '/')
    return TRUE;
  return strncmp (path, dir, len) == 0 && (path[len] == '/' || path[len] == '\0');
}

/* A folder between dir (excluded) and the file (excluded) that is a
 * virtual environment or a site-packages, as a venv made inside the
 * program's folder is. */
static gboolean
is_in_environment (const char *real,
                   const char *dir)
{
  g_autofree char *parent = g_path_get_dirname (real);

  g_assert (real != NULL && dir != NULL);

  while (strlen (parent) > strlen (dir) && path_is_under (parent, dir))
    {
      g_autofree char *base = g_path_get_basename (parent);
      g_autofree char *cfg = g_build_filename (parent, "pyvenv.cfg", NULL);
      char *up;

      if (g_str_equal (base, "site-packages") || g_str_equal (base, "dist-packages") ||
          g_str_equal (base, "__pycache__") || g_file_test (cfg, G_FILE_TEST_EXISTS))
        return TRUE;
      up = g_path_get_dirname (parent);
      g_free (parent);
      parent = up;
    }
  return FALSE;
}

static const char *
decide_file (const char *filename)
{
  g_autofree char *real = NULL;
  const char *relative = NULL;

  g_assert (filename != NULL);

  /* "<string>", "<frozen os>": code with no file of its own */
  if (filename[0] == '<' || (real = realpath (filename, NULL)) == NULL)
    return NULL;
  for (guint i = 0; i < library_dirs->len; i++)
    if (path_is_under (real, g_ptr_array_index (library_dirs, i)))
      return NULL;
  for (guint i = 0; i < stepped_dirs->len && relative == NULL; i++)
    {
      const char *dir = g_ptr_array_index (stepped_dirs, i);

      if (path_is_under (real, dir) && !is_in_environment (real, dir))
        relative = i == 0 ? real + strlen (dir) + (strlen (dir) > 1) : real;
    }
  return relative != NULL ? g_strdup (relative) : NULL;
}

/* The file code belongs to, relative to the program's folder, or NULL
 * when it is the library's.  Called at every call of any code: one
 * comparison of pointers answers for the file of the last call. */
static const char *
user_file (PyCodeObject *code)
{
  static PyObject *last_name;   /* borrowed: only ever compared */
  static Py_hash_t last_hash;
  static const char *last_file;
  PyObject *filename = code->co_filename;
  g_autofree char *copy = NULL;
  const char *utf8;
  gpointer found;
  Py_hash_t hash;

  /* a str subclass could run the program's own __hash__ */
  if (!PyUnicode_CheckExact (filename))
    return NULL;
  hash = PyObject_Hash (filename);
  if (filename == last_name && hash == last_hash)
    return last_file;
  /* the program's own file, even where it would be the library's */
  if (hash == user_filename_hash && PyUnicode_Compare (filename, user_filename) == 0)
    found = main_file;
  else if ((utf8 = hs_py_str_utf8 (filename, &copy)) == NULL)
    found = "";
  else if (!g_hash_table_lookup_extended (verdicts, utf8, NULL, &found))
    {
      char *verdict = (char *) decide_file (utf8);

      found = verdict != NULL ? verdict : g_strdup ("");
      g_hash_table_insert (verdicts, g_strdup (utf8), found);
    }
  last_name = filename;
  last_hash = hash;
  last_file = *(const char *) found != '\0' ? found : NULL;
  return last_file;
}

static gboolean
is_user_code (PyCodeObject *code)
{
  return user_file (code) != NULL;
}

static gboolean
is_main_code (PyCodeObject *code)
{
  PyObject *filename = code->co_filename;

  return PyUnicode_CheckExact (filename) && PyObject_Hash (filename) == user_filename_hash &&
         PyUnicode_Compare (filename, user_filename) == 0;
}

static void
add_real_dir (GPtrArray  *dirs,
              const char *dir)
{
  char *real;

  g_assert (dirs != NULL);

  if (dir != NULL && (real = realpath (dir, NULL)) != NULL)
    {
      g_ptr_array_add (dirs, g_strdup (real));
      free (real);
    }
}

/* The folders of the library, read once Python has started: its prefixes
 * and every site-packages folder on sys.path. */
static void
find_user_folders (void)
{
  const char *prefixes[] = { "prefix", "base_prefix", "exec_prefix", "base_exec_prefix" };
  g_autofree char *real = realpath (opts->path, NULL);
  PyObject *path;

  stepped_dirs = g_ptr_array_new_with_free_func (g_free);
  library_dirs = g_ptr_array_new_with_free_func (g_free);
  verdicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  program_dir = g_path_get_dirname (real ? real : opts->path);
  main_file = g_path_get_basename (opts->path);
  g_ptr_array_add (stepped_dirs, g_strdup (program_dir));
  for (guint i = 0; opts->step_folders != NULL && opts->step_folders[i] != NULL; i++)
    add_real_dir (stepped_dirs, opts->step_folders[i]);

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      PyObject *value = PySys_GetObject (prefixes[i]);   /* borrowed */
      g_autofree char *copy = NULL;
      const char *dir = value != NULL ? hs_py_str_utf8 (value, &copy) : NULL;
      g_autofree char *real_dir = dir != NULL ? realpath (dir, NULL) : NULL;

      /* a prefix that holds the program is no library of its own */
      if (real_dir != NULL && !path_is_under (program_dir, real_dir))
        g_ptr_array_add (library_dirs, g_steal_pointer (&real_dir));
      else if (real_dir != NULL)
        {
          /* the program in the prefix (a test under /usr): its lib
           * folders are still the library's */
          g_autofree char *lib = g_build_filename (real_dir, "lib", NULL);

          add_real_dir (library_dirs, lib);
        }
    }
  path = PySys_GetObject ("path");
  if (path != NULL && PyList_Check (path))
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE (path); i++)
      {
        PyObject *item = PyList_GET_ITEM (path, i);
        g_autofree char *copy = NULL;
        const char *dir = PyUnicode_Check (item) ? hs_py_str_utf8 (item, &copy) : NULL;

        if (dir != NULL && (g_str_has_suffix (dir, "site-packages") || g_str_has_suffix (dir, "dist-packages")))
          add_real_dir (library_dirs, dir);
      }
}

/* Steps are batched: one message per step would cost more than the step.
 * A batch goes out when it is big or old enough, and before any other
 * message.  Whatever is pending still reaches the app when the program ends
 * in any way: at the end of a run or a statement, on os._exit() (see
 * hs_tracer_flush_for_exit), on a fatal signal and on SIGTERM. */
#define FLUSH_BYTES (64 * 1024)
#define FLUSH_USEC  5000

static gint64 last_flush;

static volatile gboolean forked;             /* this is a fork of the worker */
static volatile sig_atomic_t writing;        /* a frame is half written */
static volatile sig_atomic_t pending_term;   /* SIGTERM came meanwhile */
static void die_flushing (int sig);

static void
write_message (const char *name,
               GVariant   *payload)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  writing = TRUE;
  ok = hs_channel_send (name, payload, &error);
  writing = FALSE;
  if (!ok)
    {
      /* the app is gone; nobody is left to tell */
      syscall (SYS_exit_group, 70);
    }
  if (pending_term)
    die_flushing (SIGTERM);
}

static void
flush_steps (void)
{
  GVariant *batch = hs_step_builder_take_batch (builder);

  if (batch != NULL)
    write_message (HS_MSG_STEPS, batch);
  last_flush = g_get_monotonic_time ();
}

static void
send_message (const char *name,
              GVariant   *payload)
{
  flush_steps ();
  write_message (name, payload);
}

static void
maybe_flush_steps (void)
{
  if (hs_step_builder_get_pending_size (builder) >= FLUSH_BYTES ||
      g_get_monotonic_time () - last_flush > FLUSH_USEC)
    flush_steps ();
}

static volatile sig_atomic_t dying_signal;

/* If the crash left malloc's lock held, building the batch would hang; the
 * alarm then ends the process with the signal it was dying of. */
static void
on_flush_alarm (int sig)
{
  signal (dying_signal, SIG_DFL);
  raise (dying_signal);
}

/* Sends the whole steps batched so far, then dies of sig.  A frame already
 * half written cannot be followed by another, so then nothing is sent. */
static void
die_flushing (int sig)
{
  if (dying_signal == 0)
    {
      dying_signal = sig;
      signal (SIGALRM, on_flush_alarm);
      alarm (1);
      if (builder != NULL && !writing && !forked)
        {
          hs_step_builder_abandon_step (builder);
          flush_steps ();
        }
    }
  signal (sig, SIG_DFL);
  raise (sig);
}

static void
on_fatal_signal (int sig)
{
  /* SIGTERM (Stop, or the watchdog) can wait for a frame to be complete;
   * a fault cannot */
  if (sig == SIGTERM && writing)
    {
      pending_term = TRUE;
      return;
    }
  die_flushing (sig);
}

void
hs_tracer_flush_for_exit (void)
{
  if (builder != NULL && opts != NULL && !forked)
    flush_steps ();
}

static void
install_signal_handlers (void)
{
  int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTERM };

  for (guint i = 0; i < G_N_ELEMENTS (fatal); i++)
    signal (fatal[i], on_fatal_signal);
}

/* Output from C code that bypasses write(2) (stdio inside an extension)
 * is still picked up at least every OUTPUT_RECHECK_STEPS steps and at the
 * end. */
#define OUTPUT_RECHECK_STEPS 64

/* What is left of bytes after the pieces sent ahead, cut from the front. */
static GBytes *
piece (GBytes **bytes,
       gsize    keep)
{
  gsize len = *bytes ? g_bytes_get_size (*bytes) : 0;
  GBytes *front;
  GBytes *rest;

  if (len <= keep)
    return g_bytes_new (NULL, 0);
  front = g_bytes_new_from_bytes (*bytes, 0, MIN (HS_PROTOCOL_OUTPUT_PIECE, len - keep));
  rest = g_bytes_new_from_bytes (*bytes, g_bytes_get_size (front), len - g_bytes_get_size (front));
  g_bytes_unref (*bytes);
  *bytes = rest;
  return front;
}

/* A step's output larger than a piece goes ahead of the step in messages
 * of at most HS_PROTOCOL_OUTPUT_PIECE bytes each, after the steps before
 * it; the step itself keeps the last piece. */
static void
send_output_ahead (GBytes **out,
                   GBytes **err)
{
  g_assert (out != NULL && err != NULL);

  while ((*out && g_bytes_get_size (*out) > HS_PROTOCOL_OUTPUT_PIECE) ||
         (*err && g_bytes_get_size (*err) > HS_PROTOCOL_OUTPUT_PIECE))
    {
      g_autoptr(GBytes) o = piece (out, HS_PROTOCOL_OUTPUT_PIECE);
      g_autoptr(GBytes) e = piece (err, HS_PROTOCOL_OUTPUT_PIECE);

      if (g_bytes_get_size (o) > 0)
        send_message (HS_MSG_OUTPUT,
                      g_variant_new ("(u@ay)", 1,
                                     g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, o, TRUE)));
      if (g_bytes_get_size (e) > 0)
        send_message (HS_MSG_OUTPUT,
                      g_variant_new ("(u@ay)", 2,
                                     g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, e, TRUE)));
    }
}

static PyObject *signal_error_type, *signal_error_value, *signal_error_tb;

static void
emit_step (HsEvent        event,
           PyFrameObject *frame,
           int            line,
           PyObject      *return_value)
{
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  PyObject *exc_type, *exc_value, *exc_tb;

  /* The walk's own calls check for signals (PyObject_Repr(), an int's
   * repr): a program's handler run there would change the heap half-way
   * through the step.  Signals that come meanwhile reach it after. */
  hs_interpose_hold_signals (TRUE);

  /* the walk must not see or disturb an exception in flight */
  PyErr_Fetch (&exc_type, &exc_value, &exc_tb);

  /* A signal that came before the hold may have its Python handler
   * pending: it runs now, as at python3's next check, before the walk
   * reads anything, rather than in it (issue 48 item 4: it rebound a
   * variable half-way through the step).  What it raises is raised when
   * the step is done. */
  if (PyErr_CheckSignals () < 0)
    PyErr_Fetch (&signal_error_type, &signal_error_value, &signal_error_tb);

  hs_output_capture_take (event == HS_EVENT_END || n_steps % OUTPUT_RECHECK_STEPS == 0, &out, &err);
  send_output_ahead (&out, &err);

  hs_step_builder_begin (builder, n_steps, event, MAX (line, 0));
  hs_heap_walker_step (frame ? hs_py_frame_from_object (frame) : NULL,
                       main_globals, line, event, return_value, frames_popped);
  frames_popped = FALSE;

  hs_step_builder_set_output (builder, out, err);

  hs_step_builder_end (builder);
  n_steps++;
  maybe_flush_steps ();

  PyErr_Restore (exc_type, exc_value, exc_tb);
  hs_interpose_hold_signals (FALSE);
}

static void
send_done (const char *status,
           int         exit_code,
           const char *error_type,
           const char *error_message,
           guint       error_line,
           const char *traceback)
{
  send_message (HS_MSG_DONE,
                g_variant_new ("(sii(bssus))", status, exit_code, 0,
                               error_type != NULL,
                               error_type ? error_type : "",
                               error_message ? error_message : "",
                               error_line,
                               traceback ? traceback : ""));
}

/* A cap ends the run where it is: the steps so far are already with the
 * app, which reads any remaining output from the files it owns. */
static void G_GNUC_NORETURN
stop_at_cap (const char *status)
{
  PyEval_SetTrace (NULL, NULL);
  hs_output_capture_flush_stream (STDOUT_FILENO);
  hs_output_capture_flush_stream (STDERR_FILENO);
  send_done (status, 0, NULL, NULL, 0, NULL);
  _exit (0);
}

/* A program that forks leaves a child running the same code: only the
 * parent traces, and the child lets go of the protocol (hs-interpose.c
 * closes it). */

static void
after_fork_in_child (void)
{
  forked = TRUE;
}

/* The program's own sys.settrace() function is chained to: CPython's
 * trampoline into it (NULL while it has none) runs after each event is
 * recorded, with the object sys.gettrace() returns, which stays the
 * program's.  Only the thread that runs the program is recorded. */
static Py_tracefunc program_tracer;
static PyThreadState *traced_thread;
static gboolean threads_traced;   /* from the first run on, for good */
static PyObject *original_settrace;

static void
record_event (PyFrameObject *frame,
              int            what,
              PyObject      *arg,
              gboolean       chained)
{
  HsEvent event;

  /* the frame object was made for this call; any earlier event would have
   * come with it */
  if (what == PyTrace_CALL)
    hs_py_frame_materialized (frame);

  if (!is_user_code (hs_py_frame_object_code (frame)))
    {
      /* the program's tracer may want the library's lines */
      if (what == PyTrace_CALL && !chained)
        hs_py_frame_disable_line_events (frame);
      return;
    }

  /* The module's own call and return are the run's start and END step. */
  if ((what == PyTrace_CALL || what == PyTrace_RETURN) &&
      hs_py_frame_is_module (hs_py_frame_from_object (frame)))
    return;

  switch (what)
    {
    case PyTrace_CALL:      event = HS_EVENT_CALL; break;
    case PyTrace_LINE:      event = HS_EVENT_LINE; break;
    case PyTrace_RETURN:    event = HS_EVENT_RETURN; break;
    case PyTrace_EXCEPTION: event = HS_EVENT_EXCEPTION; break;
    default:
      return;
    }

  if (n_steps >= step_limit)
    stop_at_cap ("step-limit");
  if (opts->timeout_ms > 0 && g_get_monotonic_time () > deadline)
    stop_at_cap ("timeout");
  if (hs_output_capture_capped ())
    stop_at_cap ("size-limit");

  emit_step (event, frame, PyFrame_GetLineNumber (frame),
             what == PyTrace_RETURN ? arg : NULL);

  if (what == PyTrace_RETURN)
    frames_popped = TRUE;
}

static int
trace_function (PyObject      *obj,
                PyFrameObject *frame,
                int            what,
                PyObject      *arg)
{
  gboolean chained = program_tracer != NULL && obj != NULL;
  int ret;

  hs_py_trace_other_threads (trace_function);
  if (PyThreadState_Get () != traced_thread)
    {
      /* Another thread: traced only so that its frees are seen.  It
       * makes no steps, and its frame objects are hidden from gc counts as
       * the main thread's are. */
      if (what == PyTrace_CALL)
        hs_py_frame_materialized (frame);
      return 0;
    }

  if (G_UNLIKELY (forked))
    {
      /* the child goes on with the program's tracer alone */
      hs_py_swap_trace_function (chained ? program_tracer : NULL);
      return chained ? program_tracer (obj, frame, what, arg) : 0;
    }

  record_event (frame, what, arg, chained);
  if (signal_error_type != NULL)
    {
      /* a signal handler raised, before the step: python3 would raise
       * it there, at its check */
      PyErr_Restore (g_steal_pointer (&signal_error_type), g_steal_pointer (&signal_error_value),
                     g_steal_pointer (&signal_error_tb));
      return -1;
    }
  if (!chained)
    return 0;

  ret = program_tracer (obj, frame, what, arg);
  if (ret < 0)
    {
      /* The program's tracer raised: CPython removed it, as python3 does,
       * and the error propagates; recording goes on. */
      program_tracer = NULL;
      hs_py_swap_trace_function (trace_function);
    }
  return ret;
}

/* sys.settrace as the program sees it: the original sets the program's
 * tracer (with its audit event), then Heapscope's function takes the C
 * slot back and chains to it. */
static PyObject *
settrace_chaining (PyObject *self,
                   PyObject *func)
{
  PyObject *ret = PyObject_CallOneArg (original_settrace, func);

  if (ret == NULL || !threads_traced)
    return ret;
  if (traced_thread != NULL && PyThreadState_Get () == traced_thread)
    {
      Py_tracefunc set = hs_py_swap_trace_function (trace_function);

      program_tracer = set == trace_function ? NULL : set;
    }
  else if (func == Py_None)
    {
      /* another thread dropping its own tracer stays traced, silently */
      hs_py_swap_trace_function (trace_function);
    }
  return ret;
}

static PyMethodDef settrace_def = { "settrace", settrace_chaining, METH_O, NULL };

static gboolean
install_settrace (void)
{
  PyObject *sys = PyImport_ImportModule ("sys");
  PyObject *name = NULL;
  PyObject *wrapper = NULL;
  gboolean ok = FALSE;

  if (sys == NULL)
    return FALSE;
  original_settrace = PyObject_GetAttrString (sys, "settrace");
  if (original_settrace != NULL && PyCFunction_Check (original_settrace))
    {
      /* same name, doc, signature, __self__ and __module__ as the original */
      settrace_def.ml_doc = ((PyCFunctionObject *) original_settrace)->m_ml->ml_doc;
      name = PyUnicode_FromString ("sys");
      wrapper = name ? PyCFunction_NewEx (&settrace_def, sys, name) : NULL;
      ok = wrapper != NULL && PyObject_SetAttrString (sys, "settrace", wrapper) == 0;
    }
  if (ok && ((PyCFunctionObject *) original_settrace)->m_self == sys)
    {
      /* The wrapper holds sys as its __self__, as the original did; the
       * original, which Heapscope and the interpreter's start-up copy of
       * sys's dict still hold (and gc.get_objects () finds), would hold
       * it once more, and sys.getrefcount (sys) read one more than under
       * python3 (and gc.get_referrers (sys) one more function).  Its C
       * function, sys's own, ignores its self. */
      PyCFunctionObject *original = (PyCFunctionObject *) original_settrace;

      original->m_self = NULL;
      Py_DECREF (sys);
    }
  Py_XDECREF (wrapper);
  Py_XDECREF (name);
  Py_DECREF (sys);
  return ok;
}

/* Starts or stops recording on this thread, leaving the program's tracer
 * (if any) in place when stopping. */
static void
start_recording (void)
{
  Py_tracefunc before;

  traced_thread = PyThreadState_Get ();
  threads_traced = TRUE;
  hs_py_trace_other_threads (trace_function);
  before = hs_py_swap_trace_function (trace_function);
  program_tracer = before == trace_function ? NULL : before;
}

static void
stop_recording (void)
{
  traced_thread = NULL;
  hs_py_swap_trace_function (program_tracer);
  program_tracer = NULL;
}

static gboolean
set_item (PyObject   *dict,
          const char *key,
          PyObject   *value)
{
  int r;

  if (value == NULL)
    return FALSE;
  r = PyDict_SetItemString (dict, key, value);
  Py_DECREF (value);
  return r == 0;
}

/* The same __main__ that _PyRun_SimpleFileObject prepares for a script. */
static gboolean
prepare_main (void)
{
  PyObject *main_module = PyImport_AddModule ("__main__");
  PyObject *bootstrap;
  PyObject *loader = NULL;
  PyObject *sys_path;
  g_autofree char *real = NULL;
  g_autofree char *dir = NULL;

  if (main_module == NULL || !install_settrace ())
    return FALSE;
  main_globals = PyModule_GetDict (main_module);
  /* The program may drop __main__ from sys.modules; its globals then die
   * with the module frame, and the final step must not read them.  A
   * reference of Heapscope's would keep them alive and show in their
   * refcount, so the registry clears the pointer instead. */
  hs_registry_watch (&main_globals);

  if (!set_item (main_globals, "__file__", PyUnicode_DecodeFSDefault (opts->path)))
    return FALSE;
  if (PyDict_SetItemString (main_globals, "__cached__", Py_None) < 0)
    return FALSE;

  bootstrap = PyImport_ImportModule ("_frozen_importlib_external");
  if (bootstrap != NULL)
    {
      loader = PyObject_CallMethod (bootstrap, "SourceFileLoader", "ss", "__main__", opts->path);
      Py_DECREF (bootstrap);
    }
  if (!set_item (main_globals, "__loader__", loader))
    return FALSE;

  /* sys.path[0] is the script's real directory, as the python3 binary sets it */
  real = realpath (opts->path, NULL);
  dir = g_path_get_dirname (real ? real : opts->path);
  sys_path = PySys_GetObject ("path");
  if (sys_path == NULL || !PyList_Check (sys_path))
    return FALSE;
  {
    PyObject *entry = PyUnicode_DecodeFSDefault (dir);

    if (entry == NULL || PyList_Insert (sys_path, 0, entry) < 0)
      {
        Py_XDECREF (entry);
        return FALSE;
      }
    Py_DECREF (entry);
  }
  return TRUE;
}

/* Prints the exception in flight as the python3 binary does (through
 * sys.excepthook, on stderr) and returns the text printed.  Its last block
 * is "Type: message", so the message needs no second call to the
 * program's __str__. */
static char *
print_exception (void)
{
  off_t before;
  off_t offset;
  g_autoptr(GBytes) text = NULL;
  gsize len = 0;
  const char *data;

  hs_output_capture_flush_stream (STDERR_FILENO);
  before = lseek (STDERR_FILENO, 0, SEEK_END);
  PyErr_Print ();
  hs_output_capture_flush_stream (STDERR_FILENO);

  offset = before >= 0 ? before : hs_output_capture_start_offset (STDERR_FILENO);
  text = hs_output_capture_read_new (STDERR_FILENO, &offset);
  data = text ? g_bytes_get_data (text, &len) : NULL;
  return g_utf8_make_valid (data ? data : "", len);
}

/* Values whose str() and repr() are the interpreter's own code. */
static gboolean
is_plain_value (PyObject *obj)
{
  if (obj == Py_None || PyUnicode_CheckExact (obj) || PyLong_CheckExact (obj) ||
      PyFloat_CheckExact (obj) || PyBool_Check (obj) || PyBytes_CheckExact (obj))
    return TRUE;
  if (PyTuple_CheckExact (obj))
    {
      for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE (obj); i++)
        if (!is_plain_value (PyTuple_GET_ITEM (obj, i)))
          return FALSE;
      return TRUE;
    }
  return FALSE;
}

/* The first base class defined in C: the one whose str() the exception
 * uses unless a Python class in between defines __str__. */
static gboolean
str_is_builtin (PyTypeObject *type)
{
  for (PyTypeObject *t = type; t != NULL; t = t->tp_base)
    {
      if (!(t->tp_flags & Py_TPFLAGS_HEAPTYPE))
        return TRUE;
      PyObject *str = PyDict_GetItemString (t->tp_dict, "__str__");

      /* a slot wrapper is an extension type's C tp_str */
      if (str != NULL)
        return Py_IS_TYPE (str, &PyWrapperDescr_Type);
    }
  return TRUE;
}

/* A str as UTF-8, with what UTF-8 cannot carry (lone surrogates) escaped
 * as python3's traceback shows it, "\\ud800", rather than lost. */
static char *
utf8_of_str (PyObject *str)
{
  PyObject *bytes;
  char *ret;

  g_assert (str != NULL && PyUnicode_Check (str));

  bytes = PyUnicode_AsEncodedString (str, "utf-8", "backslashreplace");
  if (bytes == NULL)
    {
      PyErr_Clear ();
      return g_strdup ("");
    }
  ret = g_utf8_make_valid (PyBytes_AS_STRING (bytes), PyBytes_GET_SIZE (bytes));
  Py_DECREF (bytes);
  return ret;
}

/* str(exception) read from the object itself, as the traceback's last
 * line shows it, without the notes after it.  A str() that would run the
 * program's code (its own __str__, or arguments of its own types) is not
 * called: python3 already called it once for the traceback, and a second
 * call could print or change the program's state. */
static char *
exception_message (PyObject *value)
{
  PyBaseExceptionObject *exc = (PyBaseExceptionObject *) value;
  PyTypeObject *type;
  PyObject *args;
  PyObject *str;
  char *ret;

  if (value == NULL || !PyExceptionInstance_Check (value))
    return g_strdup ("");
  type = Py_TYPE (value);
  args = exc->args;   /* the slot, not a property a subclass may define */

  if (!str_is_builtin (type))
    return g_strdup_printf ("(message not read: %s has a __str__ written in Python)",
                            type->tp_name);
  if (args != NULL && !is_plain_value (args))
    return g_strdup_printf ("(message not read: the arguments of %s are objects whose str() runs Python code)",
                            type->tp_name);
  if (PyErr_GivenExceptionMatches (value, PyExc_OSError))
    {
      PyOSErrorObject *os = (PyOSErrorObject *) value;

      if ((os->filename != NULL && !is_plain_value (os->filename)) ||
          (os->filename2 != NULL && !is_plain_value (os->filename2)) ||
          (os->strerror != NULL && !is_plain_value (os->strerror)) ||
          (os->myerrno != NULL && !is_plain_value (os->myerrno)))
        return g_strdup_printf ("(message not read: the fields of %s are objects whose str() runs Python code)",
                                type->tp_name);
    }
  else if (PyErr_GivenExceptionMatches (value, PyExc_SyntaxError))
    {
      PySyntaxErrorObject *se = (PySyntaxErrorObject *) value;

      /* the traceback shows the bare msg; the file and line are above it */
      if (se->msg != NULL && PyUnicode_CheckExact (se->msg))
        return utf8_of_str (se->msg);
      if ((se->msg != NULL && !is_plain_value (se->msg)) ||
          (se->filename != NULL && !is_plain_value (se->filename)) ||
          (se->lineno != NULL && !is_plain_value (se->lineno)))
        return g_strdup_printf ("(message not read: the fields of %s are objects whose str() runs Python code)",
                                type->tp_name);
    }
  else if (PyErr_GivenExceptionMatches (value, PyExc_ImportError))
    {
      PyImportErrorObject *ie = (PyImportErrorObject *) value;

      if (ie->msg != NULL && !is_plain_value (ie->msg))
        return g_strdup_printf ("(message not read: the fields of %s are objects whose str() runs Python code)",
                                type->tp_name);
    }

  str = PyObject_Str (value);
  if (str == NULL || !PyUnicode_Check (str))
    {
      Py_XDECREF (str);
      PyErr_Clear ();
      return g_strdup ("");
    }
  ret = utf8_of_str (str);
  Py_DECREF (str);
  return ret;
}

/* The deepest line of the user's file in the traceback, or for a syntax
 * error the line the parser stopped at. */
static guint
exception_line (PyObject *value,
                PyObject *tb)
{
  guint line = 0;

  if (PyErr_GivenExceptionMatches (value, PyExc_SyntaxError))
    {
      PyObject *lineno = PyObject_GetAttrString (value, "lineno");

      if (lineno != NULL && PyLong_Check (lineno))
        line = PyLong_AsLong (lineno);
      Py_XDECREF (lineno);
      PyErr_Clear ();
      return line;
    }

  for (PyTracebackObject *t = (PyTracebackObject *) tb; t != NULL; t = t->tb_next)
    if (is_main_code (hs_py_frame_object_code (t->tb_frame)))
      line = hs_py_traceback_line (t);
  return line;
}

static int
system_exit_code (PyObject *value)
{
  PyObject *code = PyObject_GetAttrString (value, "code");
  int ret = 0;

  PyErr_Clear ();
  if (code == NULL || code == Py_None)
    ret = 0;
  else if (PyLong_Check (code))
    ret = (int) PyLong_AsLong (code);
  else
    {
      /* like handle_system_exit: print the object, exit status 1 */
      PyObject *sys_stderr = PySys_GetObject ("stderr");

      if (sys_stderr != NULL && sys_stderr != Py_None)
        {
          PyFile_WriteObject (code, sys_stderr, Py_PRINT_RAW);
          PyFile_WriteString ("\n", sys_stderr);
        }
      ret = 1;
    }
  Py_XDECREF (code);
  PyErr_Clear ();
  return ret;
}

/* The program's file, or for an edited one its text, in memory: it runs
 * as the same text saved there would, under the file's own name, and
 * nothing is written beside it.  PyRun_FileExFlags() closes it once
 * parsed, before the program runs. */
static FILE *
open_program (void)
{
  gsize len, done = 0;
  int fd, saved;
  FILE *fp;

  if (opts->source == NULL)
    return fopen (opts->path, "rb");

  len = strlen (opts->source);
  fd = syscall (SYS_memfd_create, "heapscope-program", MFD_CLOEXEC);
  if (fd < 0)
    return NULL;
  while (done < len)
    {
      gssize n = syscall (SYS_write, fd, opts->source + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        goto fail;
      done += n;
    }
  if (syscall (SYS_lseek, fd, 0, SEEK_SET) != 0 || (fp = fdopen (fd, "rb")) == NULL)
    goto fail;
  return fp;

fail:
  saved = errno;
  syscall (SYS_close, fd);
  errno = saved;
  return NULL;
}

/* The parser takes the line a syntax error quotes, and its column, from
 * the file of that name on disk, which is not the edited text that ran.
 * Parsed under no file's name, the same text gives both from itself; the
 * error is then made again with the file's name. */
static void
restore_syntax_error_text (void)
{
  PyCompilerFlags flags = _PyCompilerFlags_INIT;
  PyObject *type, *value, *tb;
  PyObject *code, *again = NULL;

  g_assert (opts->source != NULL);

  PyErr_Fetch (&type, &value, &tb);
  code = Py_CompileStringExFlags (opts->source, "", Py_file_input, &flags, -1);
  Py_XDECREF (code);
  if (code == NULL && PyErr_ExceptionMatches (PyExc_SyntaxError))
    {
      PyObject *t2, *v2, *tb2;

      PyErr_Fetch (&t2, &v2, &tb2);
      PyErr_NormalizeException (&t2, &v2, &tb2);
      if (v2 != NULL && PyObject_TypeCheck (v2, (PyTypeObject *) PyExc_SyntaxError))
        {
          PySyntaxErrorObject *e = (PySyntaxErrorObject *) v2;

          /* the type is the parser's own (SyntaxError, IndentationError,
           * TabError): no code of the program's runs */
          again = PyObject_CallFunction (t2, "O(OOOOOO)", e->msg ? e->msg : Py_None, user_filename,
                                         e->lineno ? e->lineno : Py_None, e->offset ? e->offset : Py_None,
                                         e->text ? e->text : Py_None, e->end_lineno ? e->end_lineno : Py_None,
                                         e->end_offset ? e->end_offset : Py_None);
        }
      Py_XDECREF (t2);
      Py_XDECREF (v2);
      Py_XDECREF (tb2);
    }
  PyErr_Clear ();
  if (again == NULL)
    {
      PyErr_Restore (type, value, tb);
      return;
    }
  Py_DECREF (type);
  Py_DECREF (value);
  Py_XDECREF (tb);
  PyErr_Restore (Py_NewRef (Py_TYPE (again)), again, NULL);
}

void
hs_tracer_run (const HsTracerOptions *options)
{
  PyCompilerFlags flags = _PyCompilerFlags_INIT;
  PyObject *result;
  FILE *fp;

  opts = options;
  install_signal_handlers ();
  pthread_atfork (NULL, NULL, after_fork_in_child);
  builder = hs_step_builder_new ();
  hs_registry_init ();
  hs_py_internals_init ();
  user_filename = PyUnicode_DecodeFSDefault (options->path);
  g_assert (user_filename != NULL);
  user_filename_hash = PyObject_Hash (user_filename);
  find_user_folders ();
  hs_heap_walker_init (builder, &options->limits, user_file, main_file);

  hs_output_capture_remember_streams ();

  if (!prepare_main ())
    {
      PyErr_Print ();
      send_done ("crashed", 1, "RuntimeError", "Heapscope could not prepare __main__", 0, NULL);
      return;
    }

  fp = open_program ();
  if (fp == NULL)
    {
      send_done ("crashed", 1, "OSError", g_strerror (errno), 0, NULL);
      return;
    }

  hs_output_capture_start ();
  deadline = g_get_monotonic_time () + (gint64) options->timeout_ms * 1000;
  step_limit = options->max_steps;

  /* A C trace function with no object: sys.gettrace() still says None and
   * no frame's f_locals is ever built. */
  start_recording ();
  result = PyRun_FileExFlags (fp, options->path, Py_file_input, main_globals, main_globals, 1, &flags);
  stop_recording ();
  hs_holders_end_script ();
  hs_output_capture_flush_io ();

  /* The cap counts every step, the final one too. */
  if (n_steps >= step_limit)
    {
      Py_XDECREF (result);
      PyErr_Clear ();
      stop_at_cap ("step-limit");
    }

  if (result != NULL)
    {
      Py_DECREF (result);
      emit_step (HS_EVENT_END, NULL, 0, NULL);
      send_done ("finished", 0, NULL, NULL, 0, NULL);
      return;
    }
  else
    {
      PyObject *type, *value, *tb;
      g_autofree char *message = NULL;
      g_autofree char *traceback = NULL;
      const char *type_name;
      gboolean syntax;
      guint line;

      syntax = n_steps == 0 && PyErr_ExceptionMatches (PyExc_SyntaxError);
      if (syntax && options->source != NULL)
        restore_syntax_error_text ();
      PyErr_Fetch (&type, &value, &tb);
      PyErr_NormalizeException (&type, &value, &tb);
      if (tb != NULL && value != NULL)
        PyException_SetTraceback (value, tb);

      type_name = ((PyTypeObject *) type)->tp_name;

      PyErr_Restore (type, value, tb);
      emit_step (HS_EVENT_END, NULL, 0, NULL);
      PyErr_Fetch (&type, &value, &tb);

      if (PyErr_GivenExceptionMatches (type, PyExc_SystemExit))
        {
          int code = system_exit_code (value);

          Py_XDECREF (type);
          Py_XDECREF (value);
          Py_XDECREF (tb);
          hs_output_capture_flush_stream (STDOUT_FILENO);
          hs_output_capture_flush_stream (STDERR_FILENO);
          send_done ("exited", code, NULL, NULL, 0, NULL);
          return;
        }

      line = exception_line (value, tb);

      /* The traceback goes to stderr through sys.excepthook, exactly as the
       * python3 binary prints it; the same text is the error's traceback. */
      /* read before printing, so that no reference of Heapscope's is
       * alive while sys.excepthook (maybe the program's) runs */
      message = exception_message (value);
      PyErr_Restore (type, value, tb);
      traceback = print_exception ();

      send_done (syntax ? "syntax-error" : "exception", 1, type_name, message, line, traceback);
    }
}

/* A statement typed in the app runs in the finished program's __main__, as
 * if written at first_line of the file: its steps and tracebacks then point
 * at the line the app appends to the snippet. */
void
hs_tracer_exec (const char *source,
                guint       first_line)
{
  PyCompilerFlags flags = _PyCompilerFlags_INIT;
  g_autofree char *padding = g_strnfill (MAX (first_line, 1) - 1, '\n');
  g_autofree char *padded = g_strconcat (padding, source, NULL);
  g_autofree char *message = NULL;
  PyObject *code;
  PyObject *result = NULL;

  /* a cap near G_MAXUINT32 must not wrap round to below n_steps */
  step_limit = opts->max_steps > G_MAXUINT32 - n_steps ? G_MAXUINT32 : n_steps + opts->max_steps;
  deadline = g_get_monotonic_time () + (gint64) opts->timeout_ms * 1000;

  /* the program dropped its __main__: statements run in a new one, as
   * they would in `python3 -i` */
  if (main_globals == NULL)
    {
      PyObject *main_module = PyImport_AddModule ("__main__");

      if (main_module == NULL)
        {
          PyErr_Clear ();
          send_message (HS_MSG_EXEC_DONE, g_variant_new ("(bs)", FALSE, "Heapscope could not find __main__"));
          return;
        }
      main_globals = PyModule_GetDict (main_module);
      hs_registry_watch (&main_globals);
    }

  code = Py_CompileStringExFlags (padded, opts->path, Py_file_input, &flags, -1);
  if (code != NULL)
    {
      /* before it runs, as for the script: the walker's own check
       * compares code objects by address, and the last statement's,
       * freed, may have left this one its memory */
      hs_py_code_keep_bytecode ((PyCodeObject *) code);
      start_recording ();
      result = PyEval_EvalCode (code, main_globals, main_globals);
      stop_recording ();
      Py_DECREF (code);
    }

  if (result != NULL)
    Py_DECREF (result);
  else
    {
      PyObject *type, *value, *tb;

      PyErr_Fetch (&type, &value, &tb);
      PyErr_NormalizeException (&type, &value, &tb);
      if (tb != NULL)
        PyException_SetTraceback (value, tb);

      /* SystemExit must not end the session: print it as any error, which
       * PyErr_Print() would not (it exits) */
      if (PyErr_GivenExceptionMatches (type, PyExc_SystemExit))
        {
          PyErr_Display (type, value, tb);
          message = g_strdup ("SystemExit");
          Py_XDECREF (type);
          Py_XDECREF (value);
          Py_XDECREF (tb);
        }
      else
        {
          /* "Type: message" as the traceback's last line has it, read from
           * the exception object (a message may span lines, a note follows
           * it) and before sys.excepthook runs (issue 7 bug 13) */
          g_autofree char *text = exception_message (value);
          const char *name = ((PyTypeObject *) type)->tp_name;

          message = *text != '\0' ? g_strdup_printf ("%s: %s", name, text) : g_strdup (name);
          PyErr_Restore (type, value, tb);
          g_free (print_exception ());
        }
    }

  emit_step (HS_EVENT_END, NULL, 0, NULL);
  send_message (HS_MSG_EXEC_DONE, g_variant_new ("(bs)", message == NULL, message ? message : ""));
}

/* Py_FinalizeEx()'s result: negative when flushing the standard streams
 * failed, which makes python3 exit with 120. */
int
hs_tracer_finalize (void)
{
  hs_registry_stop ();
  return Py_FinalizeEx ();
}
