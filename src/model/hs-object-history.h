/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The history of one object over a trace, read from the steps' deltas:
 * where it was created or first seen, each name or slot that came to
 * hold it or let go of it, each step that changed its own slots (with the
 * line and the name that line reached it through), and its end.  Entries
 * are kept newest first; over a long run only the newest are kept, with
 * its creation.
 */
#pragma once

#include <gio/gio.h>

#include "hs-trace.h"

G_BEGIN_DECLS

typedef enum
{
  HS_HISTORY_CREATED,   /* first in the trace: made by the line, or first seen */
  HS_HISTORY_GAINED,    /* a name or a slot came to hold it */
  HS_HISTORY_LOST,      /* a name or a slot let go of it */
  HS_HISTORY_MUTATED,   /* its own slots changed */
  HS_HISTORY_FREED,
} HsHistoryKind;

typedef struct
{
  HsHistoryKind  kind;
  guint          step;      /* the first step that shows the change */
  guint          line;      /* the line whose run made it; 0 when unknown */
  char          *function;  /* the frame that ran that line */
  /* CREATED, GAINED, LOST: the names or slots ("b", "a[0]", "p.name",
   * "list …3f0[2]"), ", " between them; NULL when created with none.
   * MUTATED: the slots that changed ("[3]", ".name", "['k']").
   * FREED: NULL. */
  char          *what;
  /* MUTATED: the name or path the line reached the object through, as
   * the line spells it when it names one ("b", "self.items"); else the
   * shortest; NULL when no name in the line's frame reaches it. */
  char          *through;
  gboolean       allocated; /* CREATED: the runtime saw the line allocate it */
  HsFreeCause    cause;     /* FREED */
} HsHistoryEntry;

typedef struct _HsObjectHistory HsObjectHistory;

/* Entries kept beyond the creation, the newest ones */
#define HS_OBJECT_HISTORY_MAX_ENTRIES 1000

/* The history of ref over the first n_steps steps of trace (G_MAXUINT:
 * all it has).  source is the program's text, whose lines tell which of
 * the names bound to the object a line used; may be NULL.  NULL with
 * error set when cancelled. */
HsObjectHistory      *hs_object_history_new          (HsTrace              *trace,
                                                      guint32               ref,
                                                      const char           *source,
                                                      guint                 n_steps,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
/* The same in a thread: a long trace takes seconds to walk. */
void                  hs_object_history_new_async    (HsTrace              *trace,
                                                      guint32               ref,
                                                      const char           *source,
                                                      guint                 n_steps,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
HsObjectHistory      *hs_object_history_new_finish   (GAsyncResult         *result,
                                                      GError              **error);
void                  hs_object_history_free         (HsObjectHistory      *self);

guint32               hs_object_history_get_ref      (HsObjectHistory      *self);
guint                 hs_object_history_get_n_steps  (HsObjectHistory      *self);
guint                 hs_object_history_get_n_entries(HsObjectHistory      *self);
/* Newest first: index 0 is the last step that did something to it. */
const HsHistoryEntry *hs_object_history_get_entry    (HsObjectHistory      *self,
                                                      guint                 index);
/* Entries left out between the creation and the oldest kept one */
guint64               hs_object_history_get_n_dropped(HsObjectHistory      *self);
/* The newest mutation at or before step, or NULL */
const HsHistoryEntry *hs_object_history_last_change  (HsObjectHistory      *self,
                                                      guint                 step);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsObjectHistory, hs_object_history_free)

G_END_DECLS
