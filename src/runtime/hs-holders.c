/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-holders"

#include "config.h"

#include "hs-holders.h"

/* One holder's references to one object. */
typedef struct _HsHolding HsHolding;
struct _HsHolding
{
  HsHolding  *next;
  HsEdgeKind  kind;
  PyObject   *name;     /* borrowed from a code object the roots keep alive */
  guint       count;
};

/* What the code objects of the running frames hold, and the code objects
 * nested in their constants (those of functions defined there), by
 * identity.  Code objects never change, so this is built again only when
 * the frames run other code. */
static GHashTable *code_holdings;   /* PyObject* -> HsHolding* list */
static GPtrArray *roots;            /* the PyCodeObject* it was built from */
static GHashTable *stack_holdings;  /* PyObject* -> HsHolding* list, this step */
static GPtrArray *stack_items;      /* its keys: a few, so a scan beats hashing */
static GPtrArray *codes_seen;
static guint32 code_epoch = 1;      /* bumped when code_holdings is rebuilt */

static void
holding_free (gpointer data)
{
  HsHolding *h = data;

  while (h != NULL)
    {
      HsHolding *next = h->next;

      g_free (h);
      h = next;
    }
}

static void
hold (GHashTable *table,
      PyObject   *obj,
      HsEdgeKind  kind,
      PyObject   *name)
{
  HsHolding *first = g_hash_table_lookup (table, obj);

  g_assert (table != NULL && obj != NULL);

  for (HsHolding *h = first; h != NULL; h = h->next)
    if (h->kind == kind && h->name == name)
      {
        h->count++;
        return;
      }

  {
    HsHolding *h = g_new0 (HsHolding, 1);

    h->kind = kind;
    h->name = name;
    h->count = 1;
    h->next = first;
    g_hash_table_steal (table, obj);
    g_hash_table_insert (table, obj, h);
  }
}

static void
add_code (PyCodeObject *code)
{
  PyObject *consts = code->co_consts;
  PyObject *name = code->co_qualname;

  g_assert (code != NULL);

  if (g_ptr_array_find (codes_seen, code, NULL))
    return;
  g_ptr_array_add (codes_seen, code);

  if (consts != NULL && PyTuple_Check (consts))
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE (consts); i++)
      {
        PyObject *item = PyTuple_GET_ITEM (consts, i);

        hold (code_holdings, item, HS_EDGE_HELD_CONSTANT, name);
        if (PyCode_Check (item))
          add_code ((PyCodeObject *) item);
      }
  if (code->co_names != NULL && PyTuple_Check (code->co_names))
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE (code->co_names); i++)
      hold (code_holdings, PyTuple_GET_ITEM (code->co_names, i), HS_EDGE_HELD_NAME, name);
  for (Py_ssize_t i = 0; i < hs_py_code_n_locals (code); i++)
    {
      PyObject *local = hs_py_code_local_name (code, i);

      if (local != NULL)
        hold (code_holdings, local, HS_EDGE_HELD_NAME, name);
    }
}

void
hs_holders_begin_step (GPtrArray *user_frames)
{
  gboolean same;

  g_return_if_fail (user_frames != NULL);

  if (code_holdings == NULL)
    {
      code_holdings = g_hash_table_new_full (NULL, NULL, NULL, holding_free);
      stack_holdings = g_hash_table_new_full (NULL, NULL, NULL, holding_free);
      roots = g_ptr_array_new ();
      codes_seen = g_ptr_array_new ();
      stack_items = g_ptr_array_new ();
    }

  same = roots->len == user_frames->len;
  for (guint i = 0; same && i < user_frames->len; i++)
    same = g_ptr_array_index (roots, i) == (gpointer) hs_py_frame_code (g_ptr_array_index (user_frames, i));
  if (!same)
    {
      g_hash_table_remove_all (code_holdings);
      code_epoch++;
      g_ptr_array_set_size (roots, 0);
      g_ptr_array_set_size (codes_seen, 0);
      for (guint i = 0; i < user_frames->len; i++)
        {
          PyCodeObject *code = hs_py_frame_code (g_ptr_array_index (user_frames, i));

          g_ptr_array_add (roots, code);
          add_code (code);
        }
    }

  /* the stacks change at every step; they are short */
  if (stack_items->len > 0)
    g_hash_table_remove_all (stack_holdings);
  g_ptr_array_set_size (stack_items, 0);
  for (guint i = 0; i < user_frames->len; i++)
    {
      HsPyFrame *frame = g_ptr_array_index (user_frames, i);
      int n = 0;
      PyObject **items = hs_py_frame_stack (frame, &n);

      for (int k = 0; k < n; k++)
        if (items[k] != NULL)
          {
            if (!g_hash_table_contains (stack_holdings, items[k]))
              g_ptr_array_add (stack_items, items[k]);
            hold (stack_holdings, items[k], HS_EDGE_HELD_STACK, hs_py_frame_code (frame)->co_qualname);
          }
    }
}

static void
report (HsHolding    *first,
        HsHolderFunc  func,
        gpointer      user_data)
{
  for (HsHolding *h = first; h != NULL; h = h->next)
    func (h->kind, h->name, h->count, user_data);
}

/* Every object is asked at every step, so what the code objects hold of
 * it is remembered on its entry until they change. */
void
hs_holders_foreach (HsEntry      *entry,
                    HsHolderFunc  func,
                    gpointer      user_data)
{
  PyObject *obj;

  g_return_if_fail (entry != NULL && entry->obj != NULL && func != NULL);

  if (code_holdings == NULL)
    return;
  obj = entry->obj;
  if (entry->holders_epoch != code_epoch)
    {
      entry->holdings = g_hash_table_lookup (code_holdings, obj);
      entry->holders_epoch = code_epoch;
    }
  report (entry->holdings, func, user_data);
  if (stack_items->len > 16)
    report (g_hash_table_lookup (stack_holdings, obj), func, user_data);
  else
    for (guint i = 0; i < stack_items->len; i++)
      if (stack_items->pdata[i] == (gpointer) obj)
        report (g_hash_table_lookup (stack_holdings, obj), func, user_data);

  /* a module is held by sys.modules under its name; reading both runs no
   * Python code (str keys, plain dicts) */
  if (PyModule_CheckExact (obj))
    {
      PyObject *modules = PyImport_GetModuleDict ();
      PyObject *dict = PyModule_GetDict (obj);
      PyObject *name = dict ? PyDict_GetItemString (dict, "__name__") : NULL;

      if (modules != NULL && PyDict_CheckExact (modules) && name != NULL && PyUnicode_CheckExact (name) &&
          PyDict_GetItemWithError (modules, name) == obj)
        func (HS_EDGE_HELD_MODULES, name, 1, user_data);
      PyErr_Clear ();
    }
}
