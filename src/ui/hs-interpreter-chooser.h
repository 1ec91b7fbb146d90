/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The header bar's interpreter chooser: a menu button labelled with the
 * CPython that runs the snippet, whose menu lists the interpreters that
 * have a worker as radio items of the window's "python" action, and the
 * window's "compare-interpreters" when there is more than one.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HS_TYPE_INTERPRETER_CHOOSER (hs_interpreter_chooser_get_type ())

G_DECLARE_FINAL_TYPE (HsInterpreterChooser, hs_interpreter_chooser, HS, INTERPRETER_CHOOSER, GtkWidget)

GtkWidget  *hs_interpreter_chooser_new           (void);
void        hs_interpreter_chooser_set_available (HsInterpreterChooser *self,
                                                  const char * const   *versions);
const char *hs_interpreter_chooser_get_version   (HsInterpreterChooser *self);
void        hs_interpreter_chooser_set_version   (HsInterpreterChooser *self,
                                                  const char           *version);

G_END_DECLS
