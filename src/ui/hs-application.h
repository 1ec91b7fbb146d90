/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_TYPE_APPLICATION (hs_application_get_type ())

G_DECLARE_FINAL_TYPE (HsApplication, hs_application, HS, APPLICATION, AdwApplication)

HsApplication *hs_application_new           (void);
GSettings     *hs_application_get_settings  (HsApplication *self);
GMenuModel    *hs_application_get_recent_menu (HsApplication *self);
void           hs_application_add_recent    (HsApplication *self,
                                             GFile         *file);
void           hs_application_end_on_signals (HsApplication *self);
char          *hs_application_get_help_uri  (void);

G_END_DECLS
