/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-protocol"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "hs-protocol.h"

G_STATIC_ASSERT (sizeof (HsWireObject) == 56);
G_STATIC_ASSERT (sizeof (HsWireRefcount) == 8);
G_STATIC_ASSERT (sizeof (HsWireEdge) == 16);
G_STATIC_ASSERT (sizeof (HsWireStep) == 60);

G_DEFINE_QUARK (hs-protocol-error-quark, hs_protocol_error)

static const char *event_names[] = { "line", "call", "return", "exception", "end" };
static const char *edge_kind_names[] = {
  "item", "key", "value", "member", "attr", "closure", "contents",
  "default", "self", "func", "buffer", "exporter", "local", "stack", "iterable",
  "result", "mapping",
  "held-constant", "held-name", "held-stack", "held-modules", "held-arena",
  "held-functions", "held-global", "held-dict", "held-frame", "held-mro",
  "held-descriptors", "held-instances", "held-interpreter",
  "held-module-copy", "held-iterator", "held-init",
  "held-subclasses", "held-init-args", "held-class-cell", "held-class-dict",
  "held-defaults", "held-exception", "held-traceback",
  "held-finalizer", "held-module-index",
};
static const char *free_cause_names[] = { "refcount", "gc" };
/* Every message either side sends: a frame names one of these or is
 * refused, so what a peer sends never reaches the quark table. */
static const char *message_names[] = {
  HS_MSG_HELLO, HS_MSG_STEPS, HS_MSG_DONE, HS_MSG_EXEC_DONE, HS_MSG_OUTPUT,
  HS_MSG_RUN, HS_MSG_EXEC, HS_MSG_QUIT,
};

G_STATIC_ASSERT (G_N_ELEMENTS (event_names) == HS_N_EVENTS);
G_STATIC_ASSERT (G_N_ELEMENTS (edge_kind_names) == HS_N_EDGE_KINDS);
G_STATIC_ASSERT (G_N_ELEMENTS (free_cause_names) == HS_N_FREE_CAUSES);

const char *
hs_event_to_string (HsEvent event)
{
  g_return_val_if_fail (event < HS_N_EVENTS, NULL);
  return event_names[event];
}

const char *
hs_edge_kind_to_string (HsEdgeKind kind)
{
  g_return_val_if_fail (kind < HS_N_EDGE_KINDS, NULL);
  return edge_kind_names[kind];
}

const char *
hs_free_cause_to_string (HsFreeCause cause)
{
  g_return_val_if_fail (cause < HS_N_FREE_CAUSES, NULL);
  return free_cause_names[cause];
}

GBytes *
hs_protocol_frame (const char *name,
                   GVariant   *payload)
{
  g_autoptr(GVariant) message = NULL;
  gsize size;
  guint8 *data;
  guint32 le;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (payload != NULL, NULL);

  message = g_variant_ref_sink (g_variant_new ("(sv)", name, payload));
  size = g_variant_get_size (message);
  data = g_malloc (size + 4);
  le = GUINT32_TO_LE ((guint32) size);
  memcpy (data, &le, 4);
  /* g_variant_store() wants memory aligned for the type; data + 4 is not */
  memcpy (data + 4, g_variant_get_data (message), size);

  return g_bytes_new_take (data, size + 4);
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         len,
           GError      **error)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          g_set_error (error, HS_PROTOCOL_ERROR, HS_PROTOCOL_ERROR_IO,
                       "write: %s", g_strerror (saved));
          return FALSE;
        }
      data += n;
      len -= n;
    }
  return TRUE;
}

gboolean
hs_protocol_write_message (int         fd,
                           const char *name,
                           GVariant   *payload,
                           GError    **error)
{
  g_autoptr(GBytes) frame = hs_protocol_frame (name, payload);
  gsize len;
  const guint8 *data = g_bytes_get_data (frame, &len);

  return write_all (fd, data, len, error);
}

/* The interned name, which the readers compare by address, or NULL for
 * a name neither side speaks. */
static const char *
message_name (const char *sent)
{
  g_assert (sent != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (message_names); i++)
    if (g_str_equal (sent, message_names[i]))
      return g_intern_static_string (message_names[i]);
  return NULL;
}

/* The worker runs untrusted code, so every frame is checked before use:
 * size, type and normal form (which rules out malformed offsets). */
GVariant *
hs_protocol_parse_frame (GBytes      *frame,
                         const char **name,
                         GError     **error)
{
  g_autoptr(GVariant) message = NULL;
  g_autoptr(GVariant) boxed = NULL;
  const char *sent;
  const char *known;
  GVariant *payload;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  /* g_malloc'd frames are aligned, so GVariant reads them in place */
  message = g_variant_ref_sink (g_variant_new_from_bytes (HS_PROTOCOL_MESSAGE_TYPE, frame, FALSE));
  if (!g_variant_is_normal_form (message))
    {
      g_set_error (error, HS_PROTOCOL_ERROR, HS_PROTOCOL_ERROR_INVALID,
                   _("The runtime sent a malformed message"));
      return NULL;
    }

  g_variant_get_child (message, 0, "&s", &sent);
  known = message_name (sent);
  if (known == NULL)
    {
      /* Named as sent, cut short: the peer decides how long it is. */
      g_autofree char *shown = g_utf8_substring (sent, 0, MIN (g_utf8_strlen (sent, -1), 40));

      g_set_error (error, HS_PROTOCOL_ERROR, HS_PROTOCOL_ERROR_INVALID,
                   _("The runtime sent an unknown message “%s”"), shown);
      return NULL;
    }

  boxed = g_variant_get_child_value (message, 1);
  payload = g_variant_get_variant (boxed);
  *name = known;

  return payload;
}

static gboolean
read_all (int     fd,
          guint8 *data,
          gsize   len,
          gsize  *got,
          GError **error)
{
  *got = 0;
  while (*got < len)
    {
      gssize n = read (fd, data + *got, len - *got);

      if (n < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          g_set_error (error, HS_PROTOCOL_ERROR, HS_PROTOCOL_ERROR_IO,
                       "read: %s", g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        break;
      *got += n;
    }
  return TRUE;
}

/* Blocking variant for the worker, which has no main loop.  *frame is NULL
 * at a clean end of stream. */
gboolean
hs_protocol_read_frame_fd (int      fd,
                           GBytes **frame,
                           GError **error)
{
  guint32 le;
  guint32 len;
  gsize got;
  g_autofree guint8 *data = NULL;

  *frame = NULL;
  if (!read_all (fd, (guint8 *) &le, 4, &got, error))
    return FALSE;
  if (got == 0)
    return TRUE;
  len = GUINT32_FROM_LE (le);
  if (got != 4 || len == 0 || len > HS_PROTOCOL_MAX_FRAME)
    {
      g_set_error (error, HS_PROTOCOL_ERROR, HS_PROTOCOL_ERROR_INVALID, "bad frame header");
      return FALSE;
    }
  data = g_malloc (len);
  if (!read_all (fd, data, len, &got, error))
    return FALSE;
  if (got != len)
    {
      g_set_error (error, HS_PROTOCOL_ERROR, HS_PROTOCOL_ERROR_TRUNCATED, "short frame");
      return FALSE;
    }
  *frame = g_bytes_new_take (g_steal_pointer (&data), len);
  return TRUE;
}
