/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hs-application.h"
#include "hs-drafts.h"

G_BEGIN_DECLS

#define HS_TYPE_WINDOW (hs_window_get_type ())

G_DECLARE_FINAL_TYPE (HsWindow, hs_window, HS, WINDOW, AdwApplicationWindow)

HsWindow *hs_window_new           (HsApplication *application);
gboolean  hs_file_is_saved_run    (GFile         *file);
void      hs_window_open_trace    (HsWindow      *self,
                                   GFile         *file);
void      hs_window_load_file     (HsWindow      *self,
                                   GFile         *file,
                                   gboolean       run);
void      hs_window_load_example  (HsWindow      *self,
                                   const char    *name);
void      hs_window_restore_draft (HsWindow      *self,
                                   const HsDraft *draft);
gboolean  hs_window_is_pristine   (HsWindow      *self);
void      hs_window_end_session   (HsWindow      *self);

G_END_DECLS
