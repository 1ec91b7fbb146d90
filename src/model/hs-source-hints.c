/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hs-source-hints.h"

/* Only the comment block at the top of the file is read: a mode line
 * further down would be the program's data, not a request */
#define HINT_LINES 10

static gboolean
is_every_object_line (const char *line,
                      gsize       length)
{
  g_autofree char *text = g_strndup (line, length);
  char *rest;

  g_strstrip (text);
  if (text[0] != '#')
    return FALSE;
  rest = g_strstrip (text + 1);
  if (!g_str_has_prefix (rest, "heapscope:"))
    return FALSE;
  rest = g_strstrip (rest + strlen ("heapscope:"));
  return g_str_equal (rest, "every-object");
}

gboolean
hs_source_wants_every_object (const char *source)
{
  const char *line = source;

  if (source == NULL)
    return FALSE;
  for (guint n = 0; n < HINT_LINES && *line != '\0'; n++)
    {
      const char *end = strchr (line, '\n');
      gsize length = end != NULL ? (gsize) (end - line) : strlen (line);
      const char *p = line;

      while (p < line + length && g_ascii_isspace (*p))
        p++;
      /* the comment block ends at the first line of code */
      if (p < line + length && *p != '#')
        return FALSE;
      if (is_every_object_line (line, length))
        return TRUE;
      if (end == NULL)
        break;
      line = end + 1;
    }
  return FALSE;
}
