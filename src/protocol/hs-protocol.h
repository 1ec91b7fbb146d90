/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The framed GVariant protocol spoken between Heapscope and its runtime
 * worker.  Each frame is a little-endian guint32 length followed by the
 * serialised bytes of one GVariant of type HS_PROTOCOL_MESSAGE_TYPE: a message
 * name and its payload.  Both sides link this file, so the wire format lives
 * in one place.
 *
 * It depends on GLib alone: the worker links it into the Python process,
 * which must not load GIO (and with it libmount and libselinux).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HS_PROTOCOL_VERSION 20
#define HS_PROTOCOL_MAX_FRAME (64u * 1024u * 1024u)
/* The most references one hidden holder's edge may count: far more than a
 * real holder makes (a 16-million-deep recursion, a module with 16 million
 * globals bound to one object), few enough that no sum of them overflows */
#define HS_PROTOCOL_MAX_HELD_COUNT (1u << 24)

/* The worker's exit status when Py_FinalizeEx() failed (sys.stdout could
 * not be flushed at shutdown): python3's own, from Py_RunMain(). */
#define HS_EXIT_FINALIZE_FAILED 120

#define HS_PROTOCOL_ERROR (hs_protocol_error_quark ())

typedef enum
{
  HS_PROTOCOL_ERROR_IO,         /* read or write failed */
  HS_PROTOCOL_ERROR_TRUNCATED,  /* the stream ended inside a frame */
  HS_PROTOCOL_ERROR_INVALID,    /* bad size, type or normal form */
} HsProtocolError;

#define HS_PROTOCOL_MESSAGE_TYPE ((const GVariantType *) "(sv)")

/* worker -> app */
#define HS_MSG_HELLO "hello"   /* (us) protocol version, python version */
#define HS_MSG_STEPS "steps"   /* HS_STEPS_TYPE */
#define HS_MSG_DONE  "done"    /* HS_DONE_TYPE */
#define HS_MSG_EXEC_DONE "exec-done" /* (bs) ok, error message */
/* Output too big for a steps batch travels in pieces ahead of the batch
 * whose step wrote it: (uay) stream (1 stdout, 2 stderr) and at most
 * HS_PROTOCOL_MAX_OUTPUT_CHUNK bytes.  The app appends each piece to the
 * output of the next step it receives (or to the trailing output). */
#define HS_MSG_OUTPUT "output"
#define HS_OUTPUT_TYPE_STRING "(uay)"
#define HS_OUTPUT_TYPE ((const GVariantType *) HS_OUTPUT_TYPE_STRING)
#define HS_PROTOCOL_MAX_OUTPUT_CHUNK (1024u * 1024u)
#define HS_PROTOCOL_OUTPUT_PIECE HS_PROTOCOL_MAX_OUTPUT_CHUNK

/* app -> worker */
/* a{sv}: path, argv0, args (as), step-folders (as), max-steps, timeout-ms,
 * max-objects, max-elements, and source (s), the text to run as the file
 * at path (an edited file), when it is not the file's */
#define HS_MSG_RUN   "run"
#define HS_MSG_EXEC  "exec"    /* s: a statement to run in __main__ */
#define HS_MSG_QUIT  "quit"    /* () */

/*
 * Steps travel in batches: one message carries consecutive steps, each a
 * delta against the one before.  Every per-step part is concatenated across
 * the batch, and each step's header says how many items of each part are
 * its own (HsWireStep):
 *   u   index of the batch's first step
 *   a(uuuuuuuuuuuuuuyyyy) headers (HsWireStep)
 *   as  strings appended to the shared string table
 *   au  frames, for steps whose frames changed other than the innermost
 *       line: the step keeps the outermost keep_frames frames of the step
 *       before (a call or a return changes the innermost ones only), and
 *       these replace the rest: per frame function, line, n_vars,
 *       n_unbound, file (the string of its path relative to the
 *       program's folder; protocol 18), then n_vars (name, ref) pairs,
 *       then n_unbound names the frame's code owns that hold no value at
 *       that step
 *   a(txxuuuuuuuu) objects entering or changing (HsWireObject; module:
 *       protocol 20)
 *   a(uu)   refcount-only changes: ref, refcount
 *   a(uu)   objects whose edges change: ref, how many of its previous edges
 *           it keeps; the edges below replace the rest (HsWireEdgeOwner)
 *   a(uuuu) edges: owner, kind, label, target; a hidden holder's edge
 *           (HS_EDGE_HELD_*) carries instead how many references the
 *           holder makes to its owner
 *   au      refs leaving the snapshot (still alive)
 *   a(uu)   freed: ref, cause (HsFreeCause)
 *   a(uuuu) gc runs: generation, collections, collected, uncollectable
 *   ay  stdout written during the steps     ay  stderr likewise
 */
#define HS_WIRE_STEP_TYPE_STRING "(uuuuuuuuuuuuuuyyyy)"
#define HS_STEPS_TYPE_STRING "(ua" HS_WIRE_STEP_TYPE_STRING "asaua(txxuuuuuuuu)a(uu)a(uu)a(uuuu)aua(uu)a(uuuu)ayay)"
#define HS_STEPS_TYPE ((const GVariantType *) HS_STEPS_TYPE_STRING)

/* status, exit code, signal, error: (has, type, message, line, traceback) */
#define HS_DONE_TYPE_STRING "(sii(bssus))"
#define HS_DONE_TYPE ((const GVariantType *) HS_DONE_TYPE_STRING)

typedef enum
{
  HS_EVENT_LINE,
  HS_EVENT_CALL,
  HS_EVENT_RETURN,
  HS_EVENT_EXCEPTION,
  HS_EVENT_END,
  HS_N_EVENTS
} HsEvent;

typedef enum
{
  HS_EDGE_ITEM,       /* list/tuple index */
  HS_EDGE_KEY,        /* dict entry n's key */
  HS_EDGE_VALUE,      /* dict entry n's value */
  HS_EDGE_MEMBER,     /* set/frozenset member */
  HS_EDGE_ATTR,       /* instance attribute */
  HS_EDGE_CLOSURE,    /* function -> cell, labelled with the free variable */
  HS_EDGE_CONTENTS,   /* cell -> value */
  HS_EDGE_DEFAULT,    /* function default argument */
  HS_EDGE_SELF,       /* bound method -> __self__ */
  HS_EDGE_FUNC,       /* bound method -> __func__; a suspended generator's
                       * frame -> the function it runs */
  HS_EDGE_BUFFER,     /* memoryview -> its managed buffer */
  HS_EDGE_EXPORTER,   /* managed buffer -> the object that exported it */
  HS_EDGE_LOCAL,      /* a suspended generator's or coroutine's frame ->
                       * a local variable, labelled with its name */
  HS_EDGE_STACK,      /* a suspended generator's or coroutine's frame ->
                       * an item on its value stack */
  HS_EDGE_ITERABLE,   /* a built-in iterator -> what it iterates over;
                       * zip () and map () -> each of their iterators */
  HS_EDGE_RESULT,     /* zip (), enumerate () or a dict's items iterator ->
                       * the result tuple it hands out again */
  HS_EDGE_MAPPING,    /* a dict view (d.keys ()) -> its dict */
  /* Hidden holders: the owner is the object itself, held by what the label
   * names, as many times as the edge's count says.  The graph does not
   * draw them; they say what else counts in the object's refcount. */
  HS_EDGE_HELD_CONSTANT, /* a constant of the code object labelled */
  HS_EDGE_HELD_NAME,     /* a name of the code object labelled */
  HS_EDGE_HELD_STACK,    /* on the value stack of the frame of the code labelled */
  HS_EDGE_HELD_MODULES,  /* sys.modules[label] */
  HS_EDGE_HELD_ARENA,    /* the parser's arena, while the script (code labelled) runs */
  HS_EDGE_HELD_FUNCTIONS,/* __self__ of the built-in functions of the module labelled */
  HS_EDGE_HELD_GLOBAL,   /* a global (name or value) of the module labelled */
  HS_EDGE_HELD_DICT,     /* the module labelled holds it as its __dict__ */
  HS_EDGE_HELD_FRAME,    /* the running frame of the code labelled: the function it runs */
  HS_EDGE_HELD_MRO,      /* the class labelled's own __mro__ */
  HS_EDGE_HELD_DESCRIPTORS, /* descriptors in the __dict__ of the class labelled (__dict__, __weakref__, slots) */
  HS_EDGE_HELD_INSTANCES,/* the instances of the class labelled, each by its __class__ */
  HS_EDGE_HELD_INTERPRETER, /* the interpreter's own reference to sys.modules; label "" */
  HS_EDGE_HELD_MODULE_COPY, /* copies of the dict of the module labelled that
                             * CPython keeps to set it up again (its m_copy,
                             * the interpreter's of sys and builtins) */
  HS_EDGE_HELD_ITERATOR, /* an iterator that only the value stack of the
                          * frame labelled holds (a for loop's) iterates
                          * over it */
  HS_EDGE_HELD_INIT,     /* the call of its class, which made it and holds
                          * it until the __init__ labelled returns */
  HS_EDGE_HELD_SUBCLASSES, /* the classes made from the class labelled, in
                            * __bases__, __base__ and __mro__ */
  HS_EDGE_HELD_INIT_ARGUMENTS, /* the call of a class, which passes it to the
                                * __init__ labelled as an argument */
  HS_EDGE_HELD_CLASS_CELL, /* the __class__ cell of the methods of the class
                            * labelled, which super() reads */
  HS_EDGE_HELD_CLASS_DICT, /* the __dict__ of the class labelled: a class
                            * attribute */
  HS_EDGE_HELD_DEFAULTS, /* the default values of the function labelled,
                          * which the graph does not draw (a method) */
  HS_EDGE_HELD_EXCEPTION, /* the thread's (or a running generator's)
                           * exception being handled, sys.exception ();
                           * label "" */
  HS_EDGE_HELD_TRACEBACK, /* the finished frame of the code labelled, which
                           * an exception's traceback keeps: its variables
                           * and the function it ran */
  HS_EDGE_HELD_FINALIZER, /* CPython's call of the __del__ labelled, which
                           * keeps the object alive while it runs */
  HS_EDGE_HELD_MODULE_INDEX, /* the interpreter's list of the modules that
                              * C code finds with PyState_FindModule ();
                              * label "" */
  HS_N_EDGE_KINDS
} HsEdgeKind;

typedef enum
{
  HS_FREE_REFCOUNT,
  HS_FREE_GC,
  HS_N_FREE_CAUSES
} HsFreeCause;

typedef enum
{
  HS_OBJECT_MUTABLE    = 1 << 0,
  HS_OBJECT_SMALL_INT  = 1 << 1,
  HS_OBJECT_INTERNED   = 1 << 2,
  HS_OBJECT_IMMORTAL   = 1 << 3,
  HS_OBJECT_GC_TRACKED = 1 << 4,
  HS_OBJECT_REACHABLE  = 1 << 5,
  HS_OBJECT_CONTAINER  = 1 << 6,  /* length/omitted are meaningful */
  HS_OBJECT_SIZE_KNOWN = 1 << 7,
  /* bits 8-9: gc generation 0..2, 3 = not tracked */
  HS_OBJECT_CREATED    = 1 << 10, /* allocated during the step that reports it */
  HS_OBJECT_FRAME_GLOBALS = 1 << 11, /* the globals of a module whose frame is
                                      * drawn: its entries are the frame's
                                      * variables, and it has no edges */
  HS_OBJECT_COLLECTING = 1 << 12, /* tracked, and in no generation: garbage
                                   * the collector found, whose __del__ or
                                   * weak references' callbacks it runs
                                   * before it frees it */
} HsObjectFlags;

#define HS_OBJECT_GENERATION_SHIFT 8
#define HS_OBJECT_GENERATION(flags) ((int) (((flags) >> HS_OBJECT_GENERATION_SHIFT) & 3))
#define HS_OBJECT_NO_GENERATION 3

/* Laid out like the GVariant (uuuuuuuuuuuuuuyyyy): 60 bytes. */
typedef struct
{
  guint32 line;
  guint32 return_ref;
  guint32 n_strings;
  guint32 n_frame_words;
  guint32 n_objects;
  guint32 n_refcounts;
  guint32 n_edge_owners;
  guint32 n_edges;
  guint32 n_removed;
  guint32 n_freed;
  guint32 n_gc;
  guint32 n_out;
  guint32 n_err;
  guint32 keep_frames;    /* with frames_changed: outer frames kept */
  guint8  event;
  guint8  frames_changed;
  guint8  return_borrowed;  /* 0 or 1, with return_ref: the return has not
                             * taken its reference yet (see
                             * hs_py_frame_return_kind()) */
  guint8  yielded;        /* 0 or 1, with return_ref: the frame stops at a
                           * yield, and hands the value to whoever resumed
                           * it, to be resumed itself later */
} HsWireStep;

/* A string id that names no string */
#define HS_WIRE_NO_STRING G_MAXUINT32

/* Laid out like the GVariant (txxuuuuuuuu) so arrays of it are fixed-size. */
typedef struct
{
  guint64 id;
  gint64  refcount;
  gint64  size;
  guint32 ref;
  guint32 type;
  guint32 repr;
  guint32 flags;
  guint32 length;
  guint32 omitted;
  guint32 module;   /* a function's or class's defining module (protocol
                     * 20), as its __module__ says; HS_WIRE_NO_STRING
                     * for other objects */
  guint32 reserved; /* 0: the record has no padding, which GVariant's
                     * normal form would want zeroed */
} HsWireObject;

typedef struct
{
  guint32 ref;
  guint32 refcount;
} HsWireRefcount;

typedef struct
{
  guint32 owner;
  guint32 keep;
} HsWireEdgeOwner;

typedef struct
{
  guint32 owner;
  guint32 kind;
  guint32 label;
  union
  {
    guint32 target;
    guint32 count;   /* HS_EDGE_HELD_*: the owner, held this many times */
  };
} HsWireEdge;

typedef struct
{
  guint32 ref;
  guint32 cause;
} HsWireFreed;

typedef struct
{
  guint32 generation;
  guint32 collections;
  guint32 collected;
  guint32 uncollectable;
} HsWireGc;

GQuark      hs_protocol_error_quark  (void);

const char *hs_event_to_string      (HsEvent     event);
const char *hs_edge_kind_to_string  (HsEdgeKind  kind);
const char *hs_free_cause_to_string (HsFreeCause cause);

gboolean  hs_protocol_write_message (int                fd,
                                     const char        *name,
                                     GVariant          *payload,
                                     GError           **error);
GBytes   *hs_protocol_frame         (const char        *name,
                                     GVariant          *payload);
/* *name is the message's, interned (compare with g_intern_static_string);
 * a name neither side speaks fails with HS_PROTOCOL_ERROR_INVALID. */
GVariant *hs_protocol_parse_frame   (GBytes            *frame,
                                     const char       **name,
                                     GError           **error);
gboolean  hs_protocol_read_frame_fd (int                fd,
                                     GBytes           **frame,
                                     GError           **error);

/* How many words of the au frames above the frame starting at w takes:
 * its 5-word header, its (name, ref) pairs and its unbound names.  The
 * caller has checked that the header is there. */
#define HS_PROTOCOL_FRAME_HEADER_WORDS 5

static inline gsize
hs_protocol_frame_words (const guint32 *w)
{
  return HS_PROTOCOL_FRAME_HEADER_WORDS + 2 * (gsize) w[2] + w[3];
}

G_END_DECLS
