/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Options and checks shared by the verbs that run a program.
 */
#pragma once

#include <glib.h>

#include "hs-runner.h"

G_BEGIN_DECLS

typedef struct
{
  gint     max_steps;
  gdouble  timeout;
  gint     max_objects;
  gint     max_elements;
  char    *stdin_path;
  char    *python;       /* --python VERSION, or NULL for the default worker */
  char   **step_folders; /* --step-folder DIR, repeatable */
  char   **after_dashes; /* what followed the first "--" */
  char    *program;      /* the program's file (hs_cli_take_program()) */
  char   **program_args; /* sys.argv[1:] */
} HsCliRunArgs;

GOptionContext *hs_cli_context_new (const char         *summary,
                                    const GOptionEntry *entries,
                                    HsCliRunArgs       *args);
void     hs_cli_split_dashes        (HsCliRunArgs    *args,
                                     int             *argc,
                                     char           **argv);
gboolean hs_cli_take_program        (HsCliRunArgs    *args,
                                     int              argc,
                                     char           **argv);
gboolean hs_cli_resolve_run_options (HsCliRunArgs    *args,
                                     HsRunOptions    *options,
                                     GError         **error);
HsRunner *hs_cli_runner_new         (HsCliRunArgs    *args,
                                     GError         **error);
gboolean hs_cli_read_program        (const char      *path,
                                     char           **contents,
                                     gsize           *length);
gboolean hs_cli_check_readable      (const char      *path);
int      hs_cli_usage_error         (GOptionContext  *context,
                                     const char      *message);

G_END_DECLS
