/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The history of an object, read from real traces: where it was made,
 * who came to hold it and let go, which line changed it through which
 * name, and where it was freed, newest first.
 */
#define G_LOG_DOMAIN "heapscope-test-object-history"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "hs-object-history.h"
#include "hs-test-trace.h"

static HsObjectHistory *
history_of (HsTrace    *trace,
            const char *source,
            guint       at_line,
            const char *function,
            const char *name)
{
  g_autoptr(HsSnapshot) snap = hs_test_step_at_line (trace, at_line, 0);
  g_autoptr(GError) error = NULL;
  guint32 ref = hs_test_var_ref (snap, function, name);
  HsObjectHistory *history = hs_object_history_new (trace, ref, source, G_MAXUINT, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (history);
  return history;
}

/* Newest first, whatever the program */
static void
assert_newest_first (HsObjectHistory *history)
{
  for (guint i = 1; i < hs_object_history_get_n_entries (history); i++)
    g_assert_cmpuint (hs_object_history_get_entry (history, i - 1)->step, >=,
                      hs_object_history_get_entry (history, i)->step);
}

static const HsHistoryEntry *
find_entry (HsObjectHistory *history,
            HsHistoryKind    kind,
            guint            line)
{
  for (guint i = 0; i < hs_object_history_get_n_entries (history); i++)
    {
      const HsHistoryEntry *entry = hs_object_history_get_entry (history, i);

      if (entry->kind == kind && entry->line == line)
        return entry;
    }
  g_test_message ("no entry of kind %d at line %u", kind, line);
  for (guint i = 0; i < hs_object_history_get_n_entries (history); i++)
    {
      const HsHistoryEntry *entry = hs_object_history_get_entry (history, i);

      g_test_message ("  step %u line %u kind %d what %s through %s", entry->step, entry->line,
                      entry->kind, entry->what, entry->through);
    }
  return NULL;
}

static gboolean
lists (const char *what,
       const char *name)
{
  g_auto(GStrv) parts = g_strsplit (what ? what : "", ", ", -1);

  return g_strv_contains ((const char * const *) parts, name);
}

static const char alias[] =
  "a = []\n"          /* 1 */
  "b = a\n"           /* 2 */
  "b.append(1)\n"     /* 3 */
  "x = 0\n"           /* 4 */
  "del a\n"           /* 5 */
  "del b\n"           /* 6 */
  "y = 1\n";          /* 7 */

/* b = a; b.append(1): the list's history says line 3 changed it through
 * b, not a; it was made by line 1 for a, given to b by line 2, and freed
 * by line 6, its newest entry. */
static void
test_alias (HsTraceFixture *f,
            gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, alias);
  g_autoptr(HsObjectHistory) history = history_of (trace, alias, 4, NULL, "a");
  const HsHistoryEntry *entry;

  assert_newest_first (history);

  entry = find_entry (history, HS_HISTORY_CREATED, 1);
  g_assert_nonnull (entry);
  g_assert_true (entry->allocated);
  g_assert_true (lists (entry->what, "a"));
  /* the creation is the oldest entry */
  g_assert_true (entry == hs_object_history_get_entry (history, hs_object_history_get_n_entries (history) - 1));

  entry = find_entry (history, HS_HISTORY_GAINED, 2);
  g_assert_nonnull (entry);
  g_assert_true (lists (entry->what, "b"));

  entry = find_entry (history, HS_HISTORY_MUTATED, 3);
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->through, ==, "b");
  g_assert_cmpstr (entry->what, ==, "[0]");

  entry = find_entry (history, HS_HISTORY_LOST, 5);
  g_assert_nonnull (entry);
  g_assert_true (lists (entry->what, "a"));

  entry = hs_object_history_get_entry (history, 0);
  g_assert_cmpint (entry->kind, ==, HS_HISTORY_FREED);
  g_assert_cmpuint (entry->line, ==, 6);
  g_assert_cmpint (entry->cause, ==, HS_FREE_REFCOUNT);
  g_assert_nonnull (find_entry (history, HS_HISTORY_LOST, 6));

  g_assert_true (hs_object_history_last_change (history, G_MAXUINT) ==
                 find_entry (history, HS_HISTORY_MUTATED, 3));
  g_assert_null (hs_object_history_last_change (history, entry->step - 1 > 0 ?
                                                find_entry (history, HS_HISTORY_MUTATED, 3)->step - 1 : 0));
}

static const char methods[] =
  "class Cart:\n"                      /* 1 */
  "    def __init__(self):\n"          /* 2 */
  "        self.items = []\n"          /* 3 */
  "    def add(self, x):\n"            /* 4 */
  "        self.items.append(x)\n"     /* 5 */
  "cart = Cart()\n"                    /* 6 */
  "saved = cart.items\n"               /* 7 */
  "cart.add(1)\n"                      /* 8 */
  "saved.append(2)\n"                  /* 9 */
  "pass\n";                            /* 10 */

/* A method's line names the list by a path, another line by an alias;
 * the list was first held by the instance's slot. */
static void
test_paths (HsTraceFixture *f,
            gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, methods);
  g_autoptr(HsObjectHistory) history = history_of (trace, methods, 8, NULL, "saved");
  const HsHistoryEntry *entry;

  assert_newest_first (history);

  entry = find_entry (history, HS_HISTORY_MUTATED, 5);
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->through, ==, "self.items");
  g_assert_cmpstr (entry->function, ==, "Cart.add");

  entry = find_entry (history, HS_HISTORY_MUTATED, 9);
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->through, ==, "saved");

  entry = find_entry (history, HS_HISTORY_CREATED, 3);
  g_assert_nonnull (entry);
  g_assert_nonnull (strstr (entry->what, ".items"));

  entry = find_entry (history, HS_HISTORY_GAINED, 7);
  g_assert_nonnull (entry);
  g_assert_true (lists (entry->what, "saved"));
}

static const char nested[] =
  "orders = [{'items': []}, {'items': []}]\n"   /* 1 */
  "template = orders[1]['items']\n"             /* 2 */
  "orders[1]['items'].append(1)\n"              /* 3 */
  "pass\n";                                     /* 4 */

/* A slot that holds it is named by the path a program would spell to
 * it, and so is the name a line reached it through. */
static void
test_nested (HsTraceFixture *f,
             gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, nested);
  g_autoptr(HsObjectHistory) history = history_of (trace, nested, 4, NULL, "template");
  const HsHistoryEntry *entry;

  entry = find_entry (history, HS_HISTORY_CREATED, 1);
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->what, ==, "orders[1]['items']");
  entry = find_entry (history, HS_HISTORY_MUTATED, 3);
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->through, ==, "orders[1]['items']");
}

static const char argument[] =
  "def add(items, x):\n"     /* 1 */
  "    items.append(x)\n"    /* 2 */
  "a = []\n"                 /* 3 */
  "add(a, 1)\n"              /* 4 */
  "a = None\n"               /* 5 */
  "pass\n";                  /* 6 */

/* Changed inside a function through its parameter; the parameter lets go
 * when the call returns; rebinding the last name frees it. */
static void
test_argument (HsTraceFixture *f,
               gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, argument);
  g_autoptr(HsObjectHistory) history = history_of (trace, argument, 4, NULL, "a");
  const HsHistoryEntry *entry;

  assert_newest_first (history);
  entry = find_entry (history, HS_HISTORY_MUTATED, 2);
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->through, ==, "items");
  g_assert_cmpstr (entry->function, ==, "add");

  entry = find_entry (history, HS_HISTORY_GAINED, 4);
  g_assert_nonnull (entry);
  g_assert_true (lists (entry->what, "items (add)"));

  entry = hs_object_history_get_entry (history, 0);
  g_assert_cmpint (entry->kind, ==, HS_HISTORY_FREED);
  g_assert_cmpuint (entry->line, ==, 5);
}

static const char loop[] =
  "log = []\n"
  "for i in range(3000):\n"
  "    log.append(i)\n"
  "pass\n";

/* A long loop keeps the newest entries and the creation, and says how
 * many it left out. */
static void
test_bounded (HsTraceFixture *f,
              gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, loop);
  g_autoptr(HsObjectHistory) history = history_of (trace, loop, 4, NULL, "log");
  guint n = hs_object_history_get_n_entries (history);
  guint mutations = 0;

  assert_newest_first (history);
  g_assert_cmpuint (n, <=, 2 * HS_OBJECT_HISTORY_MAX_ENTRIES + 1);
  g_assert_cmpint (hs_object_history_get_entry (history, n - 1)->kind, ==, HS_HISTORY_CREATED);
  for (guint i = 0; i < n; i++)
    mutations += hs_object_history_get_entry (history, i)->kind == HS_HISTORY_MUTATED;
  g_assert_cmpuint (mutations + hs_object_history_get_n_dropped (history), >=, 3000);
  g_assert_cmpuint (hs_object_history_get_n_dropped (history), >, 0);
  /* the newest change is the last append */
  g_assert_cmpuint (hs_object_history_last_change (history, G_MAXUINT)->line, ==, 3);
}

typedef struct
{
  HsObjectHistory *history;
  gboolean         finished;
} Async;

static void
history_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Async *out = user_data;
  g_autoptr(GError) error = NULL;

  out->history = hs_object_history_new_finish (result, &error);
  out->finished = TRUE;
  if (out->history == NULL)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  else
    g_assert_no_error (error);
}

/* In a thread, the same history; cancelled, none. */
static void
test_async (HsTraceFixture *f,
            gconstpointer   data)
{
  HsTrace *trace = hs_trace_fixture_run (f, alias);
  g_autoptr(HsObjectHistory) sync = history_of (trace, alias, 4, NULL, "a");
  g_autoptr(HsSnapshot) snap = hs_test_step_at_line (trace, 4, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Async async = { NULL, FALSE };

  hs_object_history_new_async (trace, hs_test_var_ref (snap, NULL, "a"), alias, G_MAXUINT,
                               NULL, history_done_cb, &async);
  while (!async.finished)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (async.history);
  g_assert_cmpuint (hs_object_history_get_n_entries (async.history), ==, hs_object_history_get_n_entries (sync));
  for (guint i = 0; i < hs_object_history_get_n_entries (sync); i++)
    g_assert_cmpstr (hs_object_history_get_entry (async.history, i)->what, ==,
                     hs_object_history_get_entry (sync, i)->what);
  g_clear_pointer (&async.history, hs_object_history_free);
  async.finished = FALSE;

  g_cancellable_cancel (cancellable);
  hs_object_history_new_async (trace, hs_test_var_ref (snap, NULL, "a"), alias, G_MAXUINT,
                               cancellable, history_done_cb, &async);
  /* the callback asserts the error; waited for until it ran, however
   * soon the thread finished (a wait for one more event after the queue
   * emptied hung when the callback had already run) */
  while (!async.finished)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (async.history);
}

/* A line in another file of the program is read from that file's text:
 * helper.py's `alias.append(1)` names the list through alias, which
 * only helper.py's line 3 spells (main.py's line 3 spells data) */
static void
test_other_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("heapscope-history-XXXXXX", &error);
  g_autofree char *main_py = g_build_filename (dir, "main.py", NULL);
  g_autofree char *helper_py = g_build_filename (dir, "helper.py", NULL);
  const char *main_text = "import helper\n"      /* 1 */
                          "data = []\n"           /* 2 */
                          "helper.grow(data)\n"   /* 3 */
                          "print(data)\n";        /* 4 */
  const char *helper_text = "def grow(items):\n"  /* 1 */
                            "    alias = items\n" /* 2 */
                            "    alias.append(1)\n" /* 3 */
                            "    return None\n";  /* 4 */
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(HsSnapshot) last = NULL;
  g_autoptr(HsObjectHistory) history = NULL;
  const HsHistoryEntry *entry;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (main_py, main_text, -1, NULL));
  g_assert_true (g_file_set_contents (helper_py, helper_text, -1, NULL));
  trace = hs_runner_run_sync (runner, main_py, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_trace_get_status (trace), ==, "finished");
  /* as the window keeps them once the run is over */
  hs_trace_read_sources (trace, dir, G_MAXSIZE);
  last = hs_test_last_step (trace);
  history = hs_object_history_new (trace, hs_test_var_ref (last, NULL, "data"), main_text, G_MAXUINT, NULL, &error);
  g_assert_no_error (error);
  entry = find_entry (history, HS_HISTORY_MUTATED, 3);
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->function, ==, "grow");
  g_assert_cmpstr (entry->through, ==, "alias");

  g_unlink (main_py);
  g_unlink (helper_py);
  {
    g_autofree char *cache = g_build_filename (dir, "__pycache__", NULL);
    g_autoptr(GDir) d = g_dir_open (cache, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (cache, name, NULL);

        g_unlink (path);
      }
    g_rmdir (cache);
  }
  g_rmdir (dir);
}

/* The debugging examples (examples/debugging/): each program of several
 * files hides an alias bug, and the history of the object that goes
 * wrong finds it: a change on the helper file's line that makes it,
 * through the alias that line spells.  The object is not named here:
 * some container at the last step must have that entry. */
typedef struct
{
  const char *folder;
  const char *type;      /* of the object that goes wrong */
  guint       line;      /* the line that changes it, in a helper file */
  const char *function;  /* the function that line is in */
  const char *through;   /* the name the line reaches it through */
} DebuggingCase;

static const DebuggingCase debugging_cases[] = {
  /* catalog.py: self.tags.append(tag) appends to the class's own list:
   * no instance holds it, the class does, as Product.tags */
  { "shared-tags", "list", 20, "add_tag", "Product.tags" },
  /* settings.py: place[last] = value, into DEFAULTS's nested dict */
  { "settings-copy", "dict", 27, "set_path", "place" },
  /* billing.py: orders.append(...), the cache's own list */
  { "cache-mutable", "list", 12, "invoice", "orders" },
};

static void
test_debugging_example (gconstpointer data)
{
  const DebuggingCase *c = data;
  g_autofree char *main_py = g_build_filename (HS_TEST_EXAMPLES, "debugging", c->folder, "main.py", NULL);
  g_autofree char *source = NULL;
  g_autoptr(HsRunner) runner = hs_runner_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(HsSnapshot) last = NULL;
  const HsObject *objects;
  guint n_objects, n_tried = 0;
  gboolean found = FALSE;

  g_assert_true (g_file_get_contents (main_py, &source, NULL, NULL));
  trace = hs_runner_run_sync (runner, main_py, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_trace_get_status (trace), ==, "finished");
  last = hs_test_last_step (trace);
  objects = hs_snapshot_get_objects (last, &n_objects);
  for (guint i = 0; i < n_objects && !found; i++)
    {
      g_autoptr(HsObjectHistory) history = NULL;

      if (g_strcmp0 (objects[i].type, c->type) != 0)
        continue;
      history = hs_object_history_new (trace, objects[i].ref, source, G_MAXUINT, NULL, &error);
      g_assert_no_error (error);
      n_tried++;
      for (guint e = 0; e < hs_object_history_get_n_entries (history) && !found; e++)
        {
          const HsHistoryEntry *entry = hs_object_history_get_entry (history, e);

          if (entry->kind == HS_HISTORY_MUTATED && entry->line == c->line &&
              entry->function != NULL && g_str_has_suffix (entry->function, c->function))
            {
              g_test_message ("%s: %s %" G_GUINT64_FORMAT " changed at step %u, line %u of %s, through %s",
                              c->folder, c->type, objects[i].id, entry->step, entry->line, entry->function,
                              entry->through);
              g_assert_cmpstr (entry->through, ==, c->through);
              found = TRUE;
            }
        }
    }
  g_test_message ("%s: %u objects of type %s read", c->folder, n_tried, c->type);
  g_assert_true (found);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/model/object-history/alias", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_alias, hs_trace_fixture_teardown);
  g_test_add ("/model/object-history/paths", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_paths, hs_trace_fixture_teardown);
  g_test_add ("/model/object-history/nested", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_nested, hs_trace_fixture_teardown);
  g_test_add ("/model/object-history/argument", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_argument, hs_trace_fixture_teardown);
  g_test_add ("/model/object-history/bounded", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_bounded, hs_trace_fixture_teardown);
  g_test_add ("/model/object-history/async", HsTraceFixture, NULL,
              hs_trace_fixture_setup, test_async, hs_trace_fixture_teardown);

  g_test_add_func ("/model/object-history/other-file", test_other_file);
  for (guint i = 0; i < G_N_ELEMENTS (debugging_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/model/object-history/debugging/%s", debugging_cases[i].folder);

      g_test_add_data_func (path, &debugging_cases[i], test_debugging_example);
    }

  return g_test_run ();
}
