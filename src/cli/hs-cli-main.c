/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cli"

#include "config.h"

#include "hs-cli.h"

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
} HsCliVerb;

static const HsCliVerb verbs[] = {
  { "trace", hs_cli_trace },
  { "render", hs_cli_render },
};

int
hs_cli_main (int    argc,
             char **argv)
{
  if (argc < 2)
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (g_str_equal (argv[1], verbs[i].name))
      return verbs[i].run (argc - 1, argv + 1);
  return -1;
}
