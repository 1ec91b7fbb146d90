/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Everything Heapscope reads from CPython's private structures goes through
 * these functions.  The runtime is compiled once per CPython it embeds;
 * hs-cpython-common.c holds what reads the same in every version, and
 * hs-cpython-311.c, -312.c and -313.c what differs (the frame's line, managed
 * dicts, immortality, tracing; the frame's few differing fields are
 * macros in hs-cpython-private.h).  Only those files include the internal
 * headers (through hs-cpython-private.h).  To add a function: declare it
 * here, and define it in hs-cpython-common.c if the structures it reads are
 * the same in every version, else in each hs-cpython-3XX.c.
 */
#pragma once

#include <Python.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct _HsPyFrame HsPyFrame;   /* a live interpreter frame */

/* How a frame stopped for its return hands back its value (see
 * hs_py_frame_return_kind()) */
typedef enum
{
  HS_PY_RETURN_OWNED,
  HS_PY_RETURN_BORROWED,
  HS_PY_RETURN_YIELD,
} HsPyReturnKind;

typedef void (*HsPyAttrFunc)  (const char *name,
                               PyObject   *value,
                               gpointer    user_data);

HsPyFrame  *hs_py_frame_from_object    (PyFrameObject *frame);
PyCodeObject *hs_py_frame_object_code (PyFrameObject *frame);
void        hs_py_frame_disable_line_events (PyFrameObject *frame);
HsPyFrame  *hs_py_frame_previous       (HsPyFrame     *frame);
PyCodeObject *hs_py_frame_code         (HsPyFrame     *frame);
PyObject   *hs_py_frame_function       (HsPyFrame     *frame);
PyObject   *hs_py_frame_init_instance  (HsPyFrame     *frame);
int         hs_py_frame_line           (HsPyFrame     *frame);
PyObject  **hs_py_frame_stack          (HsPyFrame     *frame,
                                        int           *n_items);
int         hs_py_frame_lasti          (HsPyFrame     *frame);
HsPyReturnKind hs_py_frame_return_kind (HsPyFrame   *frame);
PyObject   *hs_py_frame_generator      (HsPyFrame     *frame);
int         hs_py_frame_n_live_locals  (HsPyFrame     *frame);
PyObject   *hs_py_frame_finalized      (HsPyFrame     *frame,
                                        HsPyFrame     *caller,
                                        gboolean       caller_unread);
guint       hs_py_count_handled        (PyObject      *exc);
void        hs_py_add_handled          (GPtrArray     *exceptions);
void        hs_py_add_finished_frames  (PyObject      *exc,
                                        GHashTable    *seen,
                                        GPtrArray     *frames);
PyObject  **hs_py_frame_stack_in_call  (HsPyFrame     *frame,
                                        int            from,
                                        int            from_depth,
                                        PyObject      *callable,
                                        PyObject      *const *passed,
                                        guint          n_passed,
                                        int           *n_items,
                                        gboolean      *keywords,
                                        int           *first_argument,
                                        int           *n_arguments);
PyObject  **hs_py_frame_stack_in_operator (HsPyFrame  *frame,
                                        int            from,
                                        int            from_depth,
                                        PyObject      *operand,
                                        PyObject      *method,
                                        int           *n_items);
PyObject  **hs_py_frame_stack_in_store (HsPyFrame     *frame,
                                        int            from,
                                        int            from_depth,
                                        int           *n_items,
                                        PyObject     **name);
gboolean    hs_py_frame_is_module      (HsPyFrame     *frame);
PyObject   *hs_py_frame_globals        (HsPyFrame     *frame);
PyObject   *hs_py_frame_class_namespace (HsPyFrame    *frame);
PyObject   *hs_py_frame_local          (HsPyFrame     *frame,
                                        int            index,
                                        PyObject     **name);
gboolean    hs_py_is_generator         (PyObject      *obj);
gboolean    hs_py_is_iterator          (PyObject      *obj);
gboolean    hs_py_generator_is_running (PyObject      *obj);
PyObject   *hs_py_iterator_source      (PyObject      *obj);
gboolean    hs_py_is_loop_iterator     (PyObject      *obj);
gboolean    hs_py_has_iterator_parts   (PyObject      *obj);
typedef enum
{
  HS_PY_PART_ITERATED,  /* what it iterates over */
  HS_PY_PART_FUNCTION,  /* the function map () or filter () calls */
  HS_PY_PART_RESULT,    /* the result tuple it reuses */
  HS_PY_PART_MAPPING,   /* the dict a view shows */
} HsPyPart;
typedef void (*HsPyPartFunc) (HsPyPart  part,
                              int       index,
                              PyObject *target,
                              gpointer  user_data);
void        hs_py_foreach_iterator_part (PyObject    *obj,
                                         HsPyPartFunc func,
                                         gpointer     user_data);
typedef void (*HsPyReferentFunc) (PyObject *referent,
                                  gpointer  user_data);
void        hs_py_foreach_referent     (PyObject      *obj,
                                        HsPyReferentFunc func,
                                        gpointer       user_data);
HsPyFrame  *hs_py_generator_frame      (PyObject      *obj,
                                        int           *n_locals);

const char *hs_py_str_utf8             (PyObject      *str,
                                        char         **to_free);
gboolean    hs_is_dunder               (const char    *name);
const char *hs_py_variable_name        (PyObject      *name,
                                        char         **to_free);
gboolean    hs_py_is_variable_name     (PyObject      *key);

gboolean    hs_py_text_stream_check    (PyObject      *stream);
gsize       hs_py_text_stream_unflushed (PyObject     *stream,
                                         GByteArray   *into);
gint64      hs_py_text_stream_written  (PyObject      *stream);
PyObject   *hs_py_text_stream_buffer   (PyObject      *stream);

int         hs_py_code_n_locals        (PyCodeObject  *code);
gboolean    hs_py_code_local_is_hidden (PyCodeObject  *code,
                                        int            index);
gboolean    hs_py_code_local_is_cell   (PyCodeObject  *code,
                                        int            index);
guint8     *hs_py_code_comprehension_slots (PyCodeObject *code);
void        hs_py_code_keep_bytecode   (PyCodeObject  *code);
PyObject   *hs_py_code_local_name      (PyCodeObject  *code,
                                        Py_ssize_t     index);

void        hs_py_foreach_instance_attr (PyObject     *obj,
                                         HsPyAttrFunc  func,
                                         gpointer      user_data);
void        hs_py_foreach_exception_field (PyObject   *obj,
                                           gboolean    with_args,
                                           HsPyAttrFunc func,
                                           gpointer    user_data);
gboolean    hs_py_is_class_data_attr   (PyObject      *key,
                                        PyObject      *value);
void        hs_py_foreach_class_attr   (PyObject      *type,
                                        HsPyAttrFunc   func,
                                        gpointer       user_data);
PyObject   *hs_py_memoryview_exporter  (PyObject      *view);
PyObject   *hs_py_memoryview_managed_buffer (PyObject *view);
PyObject   *hs_py_managed_buffer_exporter   (PyObject *buffer);
gboolean    hs_py_is_managed_buffer    (PyObject      *obj);
int         hs_py_traceback_line       (PyTracebackObject *tb);
gboolean    hs_py_is_immortal          (PyObject      *obj);
gboolean    hs_py_is_small_int         (PyObject      *obj);
void        hs_py_small_int_range      (gint64        *first,
                                        gint64        *last);
gboolean    hs_py_set_next_entry       (PyObject      *set,
                                        Py_ssize_t    *pos,
                                        PyObject     **key);
gssize      hs_py_sizeof               (PyObject      *obj);

/* Cheap signs that a container may have changed (hs-heap-walker.c) */
guint64     hs_py_dict_version         (PyObject      *dict);
gconstpointer hs_py_dict_layout        (PyObject      *dict);

gboolean    hs_py_gc_collecting        (void);
void        hs_py_gc_stats             (guint64        collections[3],
                                        guint64        collected[3],
                                        guint64        uncollectable[3]);
int         hs_py_gc_generation        (PyObject      *obj);
typedef void (*HsPyGcFunc) (PyObject *obj,
                            int       generation,
                            gpointer  user_data);
gboolean    hs_py_gc_foreach_tracked   (HsPyGcFunc     func,
                                        gpointer       user_data,
                                        gsize          max_objects);
gboolean    hs_py_gc_is_garbage        (PyObject      *obj);
guint       hs_py_count_module_index   (PyObject      *module);
void        hs_py_count_garbage_instances (GHashTable *counts,
                                        GHashTable    *visited,
                                        PyObject      *garbage,
                                        gsize         *budget);
PyObject   *hs_py_find_arena_objects   (PyCodeObject  *module_code);
PyObject   *hs_py_interpreter_dict_copy (PyObject     *dict);
void        hs_py_type_add_subclasses  (PyTypeObject  *type,
                                        GPtrArray     *subclasses);
gboolean    hs_py_count_instances      (GHashTable    *counts,
                                        gsize          max_objects);
void        hs_py_frame_materialized   (PyFrameObject *frame);
void        hs_py_gc_pause             (void);
Py_tracefunc hs_py_swap_trace_function (Py_tracefunc   func);
void        hs_py_trace_other_threads  (Py_tracefunc   func);
void        hs_py_gc_resume            (void);

gboolean    hs_py_type_uses_subtype_dealloc (PyTypeObject *type);
gsize       hs_py_pre_header_size      (PyTypeObject  *type);
guint       hs_py_n_free_lists         (void);
PyTypeObject *hs_py_free_list_type     (guint          list);
guint       hs_py_free_list_of         (PyObject      *obj);
guint       hs_py_free_list_length     (guint          list);
typedef gboolean (*HsPyFreeFunc) (PyObject *dead,
                                  gpointer  user_data);
void        hs_py_free_list_walk       (guint          list,
                                        HsPyFreeFunc   func,
                                        gpointer       user_data);

void        hs_py_internals_init       (void);

G_END_DECLS
