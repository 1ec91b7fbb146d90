/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSettings *hs_settings_new (void);

/* Show Every Object, remembered per document: a file's URI, or the
 * title of a snippet without one */
gboolean   hs_settings_get_every_object (GSettings  *settings,
                                         const char *document);
void       hs_settings_set_every_object (GSettings  *settings,
                                         const char *document,
                                         gboolean    every_object);

G_END_DECLS
