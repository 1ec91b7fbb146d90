/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which CPython runs a snippet: the versions that have a worker, the one
 * chosen by default, and the choice remembered per snippet (a file by its
 * URI, an unsaved snippet by its title, e.g. a lesson's), kept in a key
 * file in the user's state folder beside the drafts.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GStrv     hs_interpreters_list      (void);
char     *hs_interpreters_default   (const char * const *available);
char     *hs_interpreters_key       (GFile       *file,
                                     const char  *title);
char     *hs_interpreters_lookup    (const char  *key,
                                     const char * const *available);
gboolean  hs_interpreters_remember  (const char  *key,
                                     const char  *version,
                                     GError     **error);
char     *hs_interpreters_other     (const char  *version,
                                     const char * const *available);

G_END_DECLS
