/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-format"

#include "config.h"

#include <string.h>

#include "hs-format.h"

char *
hs_format_count (gint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                             n < 0 ? -(guint64) n : (guint64) n);
  gsize len = strlen (digits);
  GString *s = g_string_sized_new (len + len / 3 + 1);

  if (n < 0)
    g_string_append_c (s, '-');
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

gboolean
hs_format_slot (GString    *out,
                HsEdgeKind  kind,
                const char *label,
                const char *key_repr)
{
  g_return_val_if_fail (out != NULL, FALSE);

  switch ((int) kind)
    {
    case HS_EDGE_ITEM:
      g_string_append_printf (out, "[%s]", label ? label : "?");
      return TRUE;
    case HS_EDGE_VALUE:
      g_string_append_printf (out, "[%s]", key_repr ? key_repr : (label ? label : "?"));
      return TRUE;
    case HS_EDGE_ATTR:
      g_string_append_printf (out, ".%s", label ? label : "?");
      return TRUE;
    case HS_EDGE_CONTENTS:
      return TRUE;
    default:
      return FALSE;
    }
}
