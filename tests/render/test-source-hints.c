/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A program asks for every object in a comment at its top, as a mode line */
#include "config.h"

#include "hs-source-hints.h"

static void
test_every_object (void)
{
  struct { const char *source; gboolean wanted; } cases[] = {
    { "# heapscope: every-object\na = 1\n", TRUE },
    { "#!/usr/bin/env python3\n# Small ints are shared.\n#   heapscope:   every-object  \n\na = 1\n", TRUE },
    { "\n\n# heapscope: every-object\n", TRUE },
    { "# heapscope: every-object", TRUE },
    /* below the first line of code it is the program's, not a request */
    { "a = 1\n# heapscope: every-object\n", FALSE },
    { "# heapscope: every-objects\n", FALSE },
    { "# heapscope: every-object please\n", FALSE },
    { "x = '# heapscope: every-object'\n", FALSE },
    { "# heapscope:\n", FALSE },
    { "", FALSE },
    { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      g_assert_cmpint (hs_source_wants_every_object (cases[i].source), ==, cases[i].wanted);
    }
}

/* Only the first lines are read: a mode line past them is ignored, and a
 * huge comment block costs nothing */
static void
test_first_lines_only (void)
{
  g_autoptr(GString) source = g_string_new (NULL);

  for (guint i = 0; i < 100000; i++)
    g_string_append (source, "#\n");
  g_string_append (source, "# heapscope: every-object\n");
  g_assert_false (hs_source_wants_every_object (source->str));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/source-hints/every-object", test_every_object);
  g_test_add_func ("/render/source-hints/first-lines-only", test_first_lines_only);
  return g_test_run ();
}
