/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-output"

#include "config.h"

#include <Python.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "hs-cpython.h"
#include "hs-output-capture.h"

/* Set by the write(2) interposer in hs-interpose.c. */
static volatile gboolean output_written = TRUE;
static volatile guint64 written_to_fd[3];   /* by any code, through write(2) */

void
hs_output_capture_note_write (int   fd,
                              gsize written)
{
  output_written = TRUE;
  if (fd == STDOUT_FILENO || fd == STDERR_FILENO)
    written_to_fd[fd] += written;
}

/* What the program wrote to fd 1 or 2 since the last look.  Both are
 * regular files the app created, so reading never blocks the program. */
GBytes *
hs_output_capture_read_new (int    fd,
                            off_t *offset)
{
  GByteArray *buf;
  guint8 chunk[8192];
  off_t end = lseek (fd, 0, SEEK_CUR);

  /* The write position of the shared file says whether there is anything
   * new without copying it out. */
  if (end >= 0 && end <= *offset)
    return NULL;

  buf = g_byte_array_new ();
  for (;;)
    {
      gssize n = pread (fd, chunk, sizeof chunk, *offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_byte_array_append (buf, chunk, n);
      *offset += n;
    }
  return g_byte_array_free_to_bytes (buf);
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

static void
flush_stream (const char *name)
{
  PyObject *startup = g_str_equal (name, "stdout") ? startup_stdout : startup_stderr;
  g_autofree char *dunder = g_strdup_printf ("__%s__", name);
  PyObject *type, *value, *tb;
  PyObject *res;

  if (startup == NULL || flush_name == NULL ||
      (PySys_GetObject (name) != startup && PySys_GetObject (dunder) != startup))
    return;

  /* an exception in flight is the program's, not the flush's */
  PyErr_Fetch (&type, &value, &tb);
  hs_py_gc_pause ();
  res = PyObject_CallMethodNoArgs (startup, flush_name);
  hs_py_gc_resume ();
  Py_XDECREF (res);
  PyErr_Clear ();
  PyErr_Restore (type, value, tb);
}

/* Each step's output is what the program wrote during it, whether it
 * reached the file or still sits in the stream's buffers: Heapscope reads
 * the buffers without flushing them, so the file receives its bytes exactly
 * when it would under python3 (and loses them on os._exit() as it would).
 * Buffered bytes are shown when they enter the buffers; when a flush later
 * moves them to the file they are recognised there and not shown twice,
 * while bytes written straight to the file descriptor (os.write) are shown
 * when they arrive.  Where the stream's layout cannot be checked, the
 * stream is flushed at each step instead. */
typedef struct
{
  int         fd;
  PyObject   *stream;     /* borrowed: the start-up stream, used while sys holds it */
  gboolean    readable;   /* its buffers' layout was checked */
  GByteArray *shown;      /* the unflushed bytes at the last step, all shown */
  guint64     file_seen;  /* bytes of the file accounted for */
  off_t       offset;     /* where the program's output starts in the file */
} HsOutputCapture;

static HsOutputCapture capture_out = { STDOUT_FILENO };
static HsOutputCapture capture_err = { STDERR_FILENO };

static void
capture_init (HsOutputCapture *c,
              PyObject        *stream)
{
  c->stream = stream;
  c->readable = hs_py_text_stream_check (stream);
  c->offset = lseek (c->fd, 0, SEEK_END);
  if (c->offset < 0)
    c->offset = 0;
  written_to_fd[c->fd] = 0;
  c->file_seen = 0;
  c->shown = g_byte_array_new ();
}

static gboolean
capture_stream_alive (HsOutputCapture *c)
{
  const char *name = c->fd == STDOUT_FILENO ? "stdout" : "stderr";
  const char *dunder = c->fd == STDOUT_FILENO ? "__stdout__" : "__stderr__";

  return c->stream != NULL && (PySys_GetObject (name) == c->stream || PySys_GetObject (dunder) == c->stream);
}

static void
pread_all (int         fd,
           off_t       from,
           guint64     want,
           GByteArray *into)
{
  guint8 chunk[8192];

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
}

/* Buffers drain from the front: how much of what was shown has left, given
 * what the buffers hold now. */
static gsize
drained (GByteArray *shown,
         GByteArray *now)
{
  for (gsize r = 0; r < shown->len; r++)
    {
      gsize rest = shown->len - r;

      if (rest <= now->len && memcmp (shown->data + r, now->data, rest) == 0)
        return r;
    }
  return shown->len;
}

static GBytes *
capture_take (HsOutputCapture *c,
              gboolean         force)
{
  guint64 written = written_to_fd[c->fd];
  g_autoptr(GByteArray) now = g_byte_array_new ();
  g_autoptr(GByteArray) file = g_byte_array_new ();
  GByteArray *out;
  gsize left;

  if (!c->readable)
    {
      flush_stream (c->fd == STDOUT_FILENO ? "stdout" : "stderr");
      if (!(output_written || force))
        return NULL;
      {
        off_t offset = c->offset + (off_t) c->file_seen;
        GBytes *bytes = hs_output_capture_read_new (c->fd, &offset);

        c->file_seen = offset - c->offset;
        return bytes;
      }
    }

  if (capture_stream_alive (c))
    hs_py_text_stream_unflushed (c->stream, now);
  if (written == c->file_seen && now->len == c->shown->len &&
      memcmp (now->data, c->shown->data, now->len) == 0)
    return NULL;

  out = g_byte_array_new ();
  left = drained (c->shown, now);

  /* new in the file: what the buffers let go (already shown), and direct
   * writes (new) */
  if (written > c->file_seen)
    {
      guint8 *found = NULL;

      pread_all (c->fd, c->offset + (off_t) c->file_seen, written - c->file_seen, file);
      if (left > 0)
        found = memmem (file->data, file->len, c->shown->data, left);
      if (found != NULL)
        {
          g_byte_array_append (out, file->data, found - file->data);
          g_byte_array_append (out, found + left, file->data + file->len - (found + left));
        }
      else
        g_byte_array_append (out, file->data, file->len);
    }

  /* new in the buffers */
  if (now->len > c->shown->len - left)
    g_byte_array_append (out, now->data + (c->shown->len - left), now->len - (c->shown->len - left));

  g_byte_array_set_size (c->shown, 0);
  g_byte_array_append (c->shown, now->data, now->len);
  c->file_seen = written;

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

  *out = capture_take (&capture_out, force);
  *err = capture_take (&capture_err, force);
  output_written = FALSE;
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
