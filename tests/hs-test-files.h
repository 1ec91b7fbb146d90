/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Files the tests make: a test removes what it wrote, so that runs do
 * not pile up folders in the temporary directory.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void hs_test_remove_tree (const char *path);

G_END_DECLS
