/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The frame decoder both the app and the worker use: what a peer sends
 * must not leave anything behind that grows with what it sends.
 */
#define G_LOG_DOMAIN "heapscope-test-protocol"

#include "config.h"

#include <string.h>

#include "hs-protocol.h"

/* Decodes a frame as it comes off the wire: the bytes after its length,
 * in memory of their own (g_malloc'd, so aligned as the reader's are). */
static GVariant *
parse (const char  *name,
       const char **parsed,
       GError     **error)
{
  g_autoptr(GBytes) frame = hs_protocol_frame (name, g_variant_new ("()"));
  g_autoptr(GBytes) body = NULL;
  const guint8 *data;
  gsize size;

  data = g_bytes_get_data (frame, &size);
  body = g_bytes_new (data + 4, size - 4);
  return hs_protocol_parse_frame (body, parsed, error);
}

/* Every name the two sides speak comes back as the interned string the
 * readers compare with. */
static void
test_known_names (void)
{
  static const char *names[] = {
    HS_MSG_HELLO, HS_MSG_STEPS, HS_MSG_DONE, HS_MSG_EXEC_DONE, HS_MSG_OUTPUT,
    HS_MSG_RUN, HS_MSG_EXEC, HS_MSG_QUIT,
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GVariant) payload = NULL;
      g_autoptr(GError) error = NULL;
      const char *parsed = NULL;

      payload = parse (names[i], &parsed, &error);
      g_assert_no_error (error);
      g_assert_nonnull (payload);
      g_assert_true (parsed == g_intern_static_string (names[i]));
    }
}

/* A corrupt or hostile peer sends names nobody speaks: each is refused,
 * and none of them is interned (the quark table only ever grows, so
 * interning what a peer sends would let it grow the app without bound). */
static void
test_unknown_names_not_interned (void)
{
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("hs-bogus-message-%u", i);
      g_autoptr(GVariant) payload = NULL;
      g_autoptr(GError) error = NULL;
      const char *parsed = NULL;

      payload = parse (name, &parsed, &error);
      g_assert_cmpuint (g_quark_try_string (name), ==, 0);
      g_assert_error (error, HS_PROTOCOL_ERROR, HS_PROTOCOL_ERROR_INVALID);
      g_assert_null (payload);
    }
}

/* The refusal names what came, cut short when it is long. */
static void
test_unknown_name_message (void)
{
  g_autoptr(GVariant) payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) long_name = g_string_new ("hs-long-");
  const char *parsed = NULL;

  payload = parse ("hs-bogus", &parsed, &error);
  g_assert_null (payload);
  g_assert_nonnull (strstr (error->message, "hs-bogus"));
  g_clear_error (&error);

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (long_name, 'x');
  payload = parse (long_name->str, &parsed, &error);
  g_assert_null (payload);
  g_assert_nonnull (strstr (error->message, "hs-long-x"));
  g_assert_cmpuint (strlen (error->message), <, 200);
  g_assert_cmpuint (g_quark_try_string (long_name->str), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/protocol/known-names", test_known_names);
  g_test_add_func ("/session/protocol/unknown-names-not-interned", test_unknown_names_not_interned);
  g_test_add_func ("/session/protocol/unknown-name-message", test_unknown_name_message);

  return g_test_run ();
}
