/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A stand-in for heapscope-runtime that speaks the protocol in ways the
 * real worker does not yet (output in pieces) or must never (a flood), so
 * that the app's side can be tested.  HS_FAKE_MODE picks the behaviour.
 */
#define G_LOG_DOMAIN "heapscope-fake-runtime"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "hs-protocol.h"

#define OUT_FD 3
#define IN_FD 4

static void
send_output (guint32       stream,
             const guint8 *data,
             gsize         len)
{
  g_assert (data != NULL);

  hs_protocol_write_message (OUT_FD, HS_MSG_OUTPUT,
                             g_variant_new ("(u@ay)", stream,
                                            g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, len, 1)),
                             NULL);
}

/* One "line" step at line 1 of <module>, with no objects. */
static void
send_one_step (void)
{
  HsWireStep step = { 0 };
  const char *strings[] = { "<module>", "snippet.py" };
  /* <module>, line 1, no variables, none unbound, in snippet.py */
  guint32 frame[] = { 0, 1, 0, 0, 1 };
  GVariant *children[13];

  step.line = 1;
  step.n_strings = G_N_ELEMENTS (strings);
  step.n_frame_words = G_N_ELEMENTS (frame);
  step.event = HS_EVENT_LINE;
  step.frames_changed = 1;

  children[0] = g_variant_new_uint32 (0);
  children[1] = g_variant_new_fixed_array (G_VARIANT_TYPE (HS_WIRE_STEP_TYPE_STRING), &step, 1, sizeof step);
  children[2] = g_variant_new_strv (strings, G_N_ELEMENTS (strings));
  children[3] = g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, frame, G_N_ELEMENTS (frame), sizeof (guint32));
  children[4] = g_variant_new_array (G_VARIANT_TYPE ("(txxuuuuuuuu)"), NULL, 0);
  children[5] = g_variant_new_array (G_VARIANT_TYPE ("(uu)"), NULL, 0);
  children[6] = g_variant_new_array (G_VARIANT_TYPE ("(uu)"), NULL, 0);
  children[7] = g_variant_new_array (G_VARIANT_TYPE ("(uuuu)"), NULL, 0);
  children[8] = g_variant_new_array (G_VARIANT_TYPE_UINT32, NULL, 0);
  children[9] = g_variant_new_array (G_VARIANT_TYPE ("(uu)"), NULL, 0);
  children[10] = g_variant_new_array (G_VARIANT_TYPE ("(uuuu)"), NULL, 0);
  children[11] = g_variant_new_array (G_VARIANT_TYPE_BYTE, NULL, 0);
  children[12] = g_variant_new_array (G_VARIANT_TYPE_BYTE, NULL, 0);
  hs_protocol_write_message (OUT_FD, HS_MSG_STEPS, g_variant_new_tuple (children, 13), NULL);
}

static void
send_done (void)
{
  hs_protocol_write_message (OUT_FD, HS_MSG_DONE,
                             g_variant_new ("(sii(bssus))", "finished", 0, 0, FALSE, "", "", 0, ""),
                             NULL);
}

int
main (int   argc,
      char *argv[])
{
  const char *mode = g_getenv ("HS_FAKE_MODE");
  g_autoptr(GBytes) run = NULL;
  g_autoptr(GBytes) quit = NULL;

  if (mode == NULL)
    return 2;

  hs_protocol_write_message (OUT_FD, HS_MSG_HELLO, g_variant_new ("(us)", HS_PROTOCOL_VERSION, "3.11.2"), NULL);
  if (!hs_protocol_read_frame_fd (IN_FD, &run, NULL) || run == NULL)
    return 2;

  if (g_str_equal (mode, "pieces"))
    {
      send_output (1, (const guint8 *) "ab", 2);
      send_output (2, (const guint8 *) "e", 1);
      send_output (1, (const guint8 *) "cd", 2);
      send_one_step ();
      send_done ();
    }
  else if (g_str_equal (mode, "big-piece"))
    {
      g_autofree guint8 *piece = g_malloc0 (HS_PROTOCOL_MAX_OUTPUT_CHUNK + 1);

      send_output (1, piece, HS_PROTOCOL_MAX_OUTPUT_CHUNK + 1);
      send_one_step ();
      send_done ();
    }
  else if (g_str_equal (mode, "truncated"))
    {
      /* a header promising 64 bytes, then 3 of them, then a clean exit */
      if (write (OUT_FD, "\100\0\0\0abc", 7) != 7)
        return 2;
      return 0;
    }
  else if (g_str_equal (mode, "flood"))
    {
      g_autofree guint8 *piece = g_malloc0 (HS_PROTOCOL_MAX_OUTPUT_CHUNK);

      /* without a step, for ever: the app must stop it */
      for (;;)
        send_output (1, piece, HS_PROTOCOL_MAX_OUTPUT_CHUNK);
    }

  /* wait for the quit, as the worker does */
  hs_protocol_read_frame_fd (IN_FD, &quit, NULL);
  return 0;
}
