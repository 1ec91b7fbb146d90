/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-output"

#include "config.h"

#include <Python.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "hs-cpython.h"
#include "hs-interpose.h"
#include "hs-output-capture.h"

/* Set by the write(2) interposer in hs-interpose.c. */
static volatile gboolean output_written = TRUE;
static volatile guint64 written_to_fd[3];   /* by any code, through write(2) */

/* What the program may write to fds 1 and 2 in all: past it, writes are
 * dropped as if made, and the run ends at its next step (size-limit), so
 * that neither the output files nor the trace grow without bound. */
static guint64 output_cap = G_MAXUINT64;
static guint64 output_admitted;
static volatile gboolean output_capped;

void
hs_output_capture_set_cap (guint64 bytes)
{
  output_cap = bytes;
}

/* How many of want bytes a write to fd 1 or 2 may still pass on. */
gsize
hs_output_capture_admit (gsize want)
{
  guint64 total = __atomic_load_n (&output_admitted, __ATOMIC_RELAXED);
  guint64 take;

  do
    take = total >= output_cap ? 0 : MIN ((guint64) want, output_cap - total);
  while (take > 0 &&
         !__atomic_compare_exchange_n (&output_admitted, &total, total + take, TRUE,
                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED));
  if (take < want)
    output_capped = TRUE;
  return take;
}

gboolean
hs_output_capture_capped (void)
{
  return output_capped;
}

void
hs_output_capture_note_write (int   fd,
                              gsize written)
{
  output_written = TRUE;
  if (fd == STDOUT_FILENO || fd == STDERR_FILENO)
    written_to_fd[fd] += written;
}

/* sys.stdout is block-buffered on a file, exactly as under `python3 FILE.py
 * > file`; flushing it at each step puts each print in the step that made it
 * without changing what ends up in the file.  Only the streams Python made
 * at start-up are flushed, never one the program installed (its flush()
 * could be Python code), and with the collector paused so that the buffer's
 * temporary memoryview cannot start a collection the program would not
 * have had. */
static PyObject *startup_stdout;   /* borrowed: compared, used only while sys holds it */
static PyObject *startup_stderr;
static PyObject *flush_name;

void
hs_output_capture_remember_streams (void)
{
  startup_stdout = PySys_GetObject ("__stdout__");
  startup_stderr = PySys_GetObject ("__stderr__");
  flush_name = PyUnicode_InternFromString ("flush");
}

/* Whether obj's own __dict__ (not its type) defines name: then a method
 * call would run the program's code.  Compares keys by identity and exact
 * type only, so that no __eq__ of the program's runs either. */
static gboolean
overridden_in_instance (PyObject *obj,
                        PyObject *name)
{
  PyObject **dictptr;
  PyObject *key, *value;
  Py_ssize_t pos = 0;

  g_assert (obj != NULL && name != NULL);

  dictptr = _PyObject_GetDictPtr (obj);
  if (dictptr == NULL || *dictptr == NULL)
    return FALSE;
  if (!PyDict_CheckExact (*dictptr))
    return TRUE;
  while (PyDict_Next (*dictptr, &pos, &key, &value))
    if (key == name || !PyUnicode_CheckExact (key) || PyUnicode_Compare (key, name) == 0)
      return TRUE;
  return FALSE;
}

static void
flush_stream (const char *name)
{
  PyObject *startup = g_str_equal (name, "stdout") ? startup_stdout : startup_stderr;
  g_autofree char *dunder = g_strdup_printf ("__%s__", name);
  PyObject *type, *value, *tb;
  PyObject *method;
  PyObject *buffer;
  PyObject *res;

  if (startup == NULL || flush_name == NULL ||
      (PySys_GetObject (name) != startup && PySys_GetObject (dunder) != startup))
    return;

  /* TextIOWrapper.flush calls its buffer's flush by name: either may have
   * been replaced on the instance by the program's own function, which
   * Heapscope must never run. */
  if (strcmp (Py_TYPE (startup)->tp_name, "_io.TextIOWrapper") != 0 ||
      overridden_in_instance (startup, flush_name))
    return;
  buffer = hs_py_text_stream_buffer (startup);
  if (buffer == NULL || overridden_in_instance (buffer, flush_name))
    return;
  method = _PyType_Lookup (Py_TYPE (startup), flush_name);
  if (method == NULL)
    return;

  /* an exception in flight is the program's, not the flush's */
  PyErr_Fetch (&type, &value, &tb);
  hs_py_gc_pause ();
  Py_INCREF (method);
  res = PyObject_CallOneArg (method, startup);
  Py_DECREF (method);
  hs_py_gc_resume ();
  Py_XDECREF (res);
  PyErr_Clear ();
  PyErr_Restore (type, value, tb);
}

/* Each step's output is what the program's output file received during
 * it, plus what entered the start-up stream's buffers and has not reached
 * the file yet: Heapscope reads the buffers without flushing them, so the
 * file receives its bytes exactly when it would under python3.  Buffered
 * bytes are shown when they enter the buffers; the buffer's own count of
 * bytes handed to the file (BufferedWriter's position) says exactly how
 * many of them have left since, so they are not shown twice.
 *
 * The file is read through a descriptor of the worker's own, opened at
 * start on the same file: whatever the program later puts on fd 1 (dup2 of
 * another file), what the steps show is what the output file holds, in its
 * order, including what children wrote to it.  Where the stream's layout
 * cannot be checked, the stream is flushed at each step instead. */
typedef struct
{
  int         fd;
  HsPrivateFd reader;     /* the worker's own descriptor on the file, or -1 */
  PyObject   *stream;     /* borrowed: the start-up stream, used while sys holds it */
  gboolean    readable;   /* its buffers' layout was checked */
  GByteArray *shown;      /* the unflushed bytes at the last step, all shown */
  gint64      handed;     /* the stream's count of bytes handed to the file then, or -1 */
  guint64     file_seen;  /* bytes of the file accounted for */
  off_t       offset;     /* where the program's output starts in the file */
  dev_t       reader_dev; /* what the reader was opened on */
  ino_t       reader_ino;
} HsOutputCapture;

static HsOutputCapture capture_out = { STDOUT_FILENO, HS_FD_STDOUT_READER };
static HsOutputCapture capture_err = { STDERR_FILENO, HS_FD_STDERR_READER };

static gboolean
bytes_equal (const guint8 *a,
             const guint8 *b,
             gsize         len)
{
  /* memcmp's arguments must not be NULL, even for no bytes */
  return len == 0 || memcmp (a, b, len) == 0;
}

/* A descriptor of the worker's own on the file behind fd, for a regular
 * file only (reopening a pipe would take the program's data). */
static void
open_reader (HsOutputCapture *c)
{
  g_autofree char *path = g_strdup_printf ("/proc/self/fd/%d", c->fd);
  struct stat st;
  int fd, moved;

  g_assert (c != NULL);

  if (fstat (c->fd, &st) < 0 || !S_ISREG (st.st_mode))
    return;
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;
  moved = fcntl (fd, F_DUPFD_CLOEXEC, 500);
  close (fd);
  if (moved < 0)
    return;
  c->reader_dev = st.st_dev;
  c->reader_ino = st.st_ino;
  hs_interpose_adopt_fd (c->reader, moved);
}

/* The end of the output file, and reads from it, through the worker's own
 * descriptor when there is one. */
static off_t
file_end (HsOutputCapture *c)
{
  int fd = hs_interpose_begin_io (c->reader, FALSE);
  struct stat st;
  off_t end = -1;

  if (fd >= 0 && fstat (fd, &st) == 0 && st.st_dev == c->reader_dev && st.st_ino == c->reader_ino)
    end = st.st_size;
  else if (fd >= 0)
    {
      /* A raw system call (ctypes' syscall(), which no interposer sees)
       * closed the reader or put another file on its number: it no longer
       * says what the output file holds, so it is dropped, and the
       * program's own fd and count of writes are used instead. */
      hs_interpose_adopt_fd (c->reader, -1);
      fd = -1;
    }
  hs_interpose_end_io (FALSE);
  if (fd < 0)
    end = c->offset + (off_t) written_to_fd[c->fd];
  return end;
}

static void
pread_all (HsOutputCapture *c,
           off_t            from,
           guint64          want,
           GByteArray      *into)
{
  guint8 chunk[8192];
  int fd = hs_interpose_begin_io (c->reader, FALSE);

  if (fd < 0)
    fd = c->fd;
  while (want > 0)
    {
      gssize n = pread (fd, chunk, MIN (sizeof chunk, want), from);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_byte_array_append (into, chunk, n);
      from += n;
      want -= n;
    }
  hs_interpose_end_io (FALSE);
}

/* Whether fd is open on one of the output files. */
gboolean
hs_output_capture_is_output_file (int fd)
{
  struct stat st;

  if (fstat (fd, &st) < 0)
    return FALSE;
  return (capture_out.reader_ino != 0 && st.st_dev == capture_out.reader_dev && st.st_ino == capture_out.reader_ino) ||
         (capture_err.reader_ino != 0 && st.st_dev == capture_err.reader_dev && st.st_ino == capture_err.reader_ino);
}

static HsOutputCapture *
capture_for_fd (int fd)
{
  return fd == STDOUT_FILENO ? &capture_out : &capture_err;
}

/* What the program wrote to fd 1 or 2 from *offset on. */
GBytes *
hs_output_capture_read_new (int    fd,
                            off_t *offset)
{
  HsOutputCapture *c;
  GByteArray *buf;
  off_t end;

  g_return_val_if_fail (fd == STDOUT_FILENO || fd == STDERR_FILENO, NULL);
  g_return_val_if_fail (offset != NULL, NULL);

  c = capture_for_fd (fd);
  end = file_end (c);
  if (end <= *offset)
    return NULL;
  buf = g_byte_array_new ();
  pread_all (c, *offset, end - *offset, buf);
  *offset += buf->len;
  return g_byte_array_free_to_bytes (buf);
}

static void
capture_init (HsOutputCapture *c,
              PyObject        *stream)
{
  g_assert (c != NULL);

  c->stream = stream;
  c->readable = hs_py_text_stream_check (stream);
  c->offset = lseek (c->fd, 0, SEEK_END);
  if (c->offset < 0)
    c->offset = 0;
  written_to_fd[c->fd] = 0;
  c->file_seen = 0;
  c->shown = g_byte_array_new ();
  c->handed = c->readable ? hs_py_text_stream_written (stream) : -1;
  open_reader (c);
}

static gboolean
capture_stream_alive (HsOutputCapture *c)
{
  const char *name = c->fd == STDOUT_FILENO ? "stdout" : "stderr";
  const char *dunder = c->fd == STDOUT_FILENO ? "__stdout__" : "__stderr__";

  g_assert (c != NULL);

  return c->stream != NULL && (PySys_GetObject (name) == c->stream || PySys_GetObject (dunder) == c->stream);
}

/* Buffers drain from the front: how much of what was shown has left, given
 * what the buffers hold now.  Only a guess (the same bytes may come again),
 * used when the stream's own count is not available. */
static gsize
drained_guess (GByteArray *shown,
               GByteArray *now)
{
  for (gsize r = 0; r < shown->len; r++)
    {
      gsize rest = shown->len - r;

      if (rest <= now->len && bytes_equal (shown->data + r, now->data, rest))
        return r;
    }
  return shown->len;
}

/* file: what the file received since the last step, in order, from the
 * stream (its first `left` bytes having been shown) and from anyone else. */
static void
append_file_part (GByteArray *out,
                  GByteArray *file,
                  GByteArray *shown,
                  gsize       left,
                  gint64      handed)
{
  guint8 *found = NULL;

  /* only the stream wrote: its bytes come first-in first-out */
  if (handed >= 0 && (guint64) handed == file->len)
    {
      g_byte_array_append (out, file->data + left, file->len - left);
      return;
    }
  if (handed == 0 || left == 0)
    {
      g_byte_array_append (out, file->data, file->len);
      return;
    }
  /* others wrote too: where the shown bytes are among theirs is a guess */
  found = memmem (file->data, file->len, shown->data, left);
  if (found != NULL)
    {
      g_byte_array_append (out, file->data, found - file->data);
      g_byte_array_append (out, found + left, file->data + file->len - (found + left));
    }
  else
    g_byte_array_append (out, file->data, file->len);
}

static GBytes *
capture_take (HsOutputCapture *c,
              gboolean         force,
              gboolean         written)
{
  g_autoptr(GByteArray) now = g_byte_array_new ();
  g_autoptr(GByteArray) file = g_byte_array_new ();
  GByteArray *out;
  gint64 handed = -1;
  gint64 handed_since = -1;
  gsize left;
  off_t end;

  g_assert (c != NULL);

  if (!c->readable)
    {
      flush_stream (c->fd == STDOUT_FILENO ? "stdout" : "stderr");
      if (!(written || force))
        return NULL;
      {
        off_t offset = c->offset + (off_t) c->file_seen;
        GBytes *bytes = hs_output_capture_read_new (c->fd, &offset);

        c->file_seen = offset - c->offset;
        return bytes;
      }
    }

  if (capture_stream_alive (c))
    {
      hs_py_text_stream_unflushed (c->stream, now);
      handed = hs_py_text_stream_written (c->stream);
    }
  /* nothing was written through write(2), nothing entered the buffers */
  if (!(written || force) && now->len == c->shown->len &&
      bytes_equal (now->data, c->shown->data, now->len))
    return NULL;

  /* the file grows through write(2) in this process, or through another
   * process, which a forced step picks up: a print into the buffers alone
   * costs no system call */
  end = written || force ? file_end (c) : c->offset + (off_t) c->file_seen;
  if (end >= c->offset + (off_t) c->file_seen)
    pread_all (c, c->offset + (off_t) c->file_seen, end - (c->offset + (off_t) c->file_seen), file);
  else if (end >= c->offset)
    c->file_seen = end - c->offset;   /* the program truncated its output */

  if (handed >= 0 && c->handed >= 0 && handed >= c->handed && (guint64) (handed - c->handed) <= file->len)
    {
      handed_since = handed - c->handed;
      left = MIN ((gsize) handed_since, c->shown->len);
      /* what stayed in the buffers must still be there, in front */
      if (now->len < c->shown->len - left ||
          !bytes_equal (now->data, c->shown->data + left, c->shown->len - left))
        left = drained_guess (c->shown, now);
    }
  else
    left = drained_guess (c->shown, now);

  out = g_byte_array_new ();
  if (file->len > 0)
    append_file_part (out, file, c->shown, left, handed_since);

  /* new in the buffers */
  if (now->len > c->shown->len - left)
    g_byte_array_append (out, now->data + (c->shown->len - left), now->len - (c->shown->len - left));

  g_byte_array_set_size (c->shown, 0);
  g_byte_array_append (c->shown, now->data, now->len);
  c->file_seen += file->len;
  c->handed = handed;

  if (out->len == 0)
    {
      g_byte_array_unref (out);
      return NULL;
    }
  return g_byte_array_free_to_bytes (out);
}

void
hs_output_capture_start (void)
{
  capture_init (&capture_out, startup_stdout);
  capture_init (&capture_err, startup_stderr);
}

/* Output from C code that bypasses write(2) is still picked up when force
 * is set (every OUTPUT_RECHECK_STEPS steps and at the end). */
void
hs_output_capture_take (gboolean   force,
                        GBytes   **out,
                        GBytes   **err)
{
  g_return_if_fail (out != NULL && err != NULL);

  gboolean written = output_written;

  /* cleared first: a write meanwhile is seen at the next step */
  output_written = FALSE;
  *out = capture_take (&capture_out, force, written);
  *err = capture_take (&capture_err, force, written);
}

void
hs_output_capture_flush_stream (int fd)
{
  g_return_if_fail (fd == STDOUT_FILENO || fd == STDERR_FILENO);

  flush_stream (fd == STDOUT_FILENO ? "stdout" : "stderr");
}

/* Where the program's output on fd starts in its file. */
off_t
hs_output_capture_start_offset (int fd)
{
  g_return_val_if_fail (fd == STDOUT_FILENO || fd == STDERR_FILENO, 0);

  return fd == STDOUT_FILENO ? capture_out.offset : capture_err.offset;
}

/* What python3 does right after the main module ran (pythonrun.c's
 * flush_io): sys.stderr.flush(), then sys.stdout.flush(), whatever objects
 * they are, since a program can count these calls. */
void
hs_output_capture_flush_io (void)
{
  const char *names[] = { "stderr", "stdout" };
  PyObject *type, *value, *tb;

  PyErr_Fetch (&type, &value, &tb);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      PyObject *f = PySys_GetObject (names[i]);   /* borrowed */
      PyObject *res;

      if (f == NULL)
        continue;
      Py_INCREF (f);
      res = PyObject_CallMethodNoArgs (f, flush_name);
      Py_DECREF (f);
      if (res != NULL)
        Py_DECREF (res);
      else
        PyErr_Clear ();
    }
  PyErr_Restore (type, value, tb);
}
