/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What Heapscope says about one object: its flags, type name, repr and size.
 * Nothing here may run the program's code or allocate a gc-tracked object,
 * since either would change what the program itself observes.
 */
#pragma once

#include <Python.h>

#include "hs-registry.h"

G_BEGIN_DECLS

void        hs_object_facts_classify       (HsEntry  *entry);
guint32     hs_object_facts_flags          (HsEntry  *entry,
                                            gboolean  reachable);
const char *hs_object_facts_type_name      (PyObject *obj);
char       *hs_object_facts_repr           (PyObject *obj);
gboolean    hs_object_facts_repr_is_static (PyObject *obj);
char       *hs_object_facts_module         (PyObject *obj);
gint64      hs_object_facts_size           (PyObject *obj);

G_END_DECLS
