/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test-render-cli"

#include "config.h"

#include <stdarg.h>

#include "hs-cli.h"
#include "render-test-cli.h"

int
render_test_cli (const char *first,
                 ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  g_ptr_array_add (args, (char *) "heapscope");
  g_ptr_array_add (args, (char *) "render");
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return hs_cli_main (args->len - 1, (char **) args->pdata);
}
