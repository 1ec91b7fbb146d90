/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-compare"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hs-format.h"
#include "hs-trace-compare.h"

/* How far ahead the alignment looks for the two runs to meet again after
 * they part (a loop that runs once more in one of them, say). */
#define ALIGN_LOOKAHEAD 64
/* Identity is compared between every two names; past this many names a
 * step's list would be longer than anyone reads. */
#define MAX_IDENTITY_NAMES 48

struct _HsTraceComparison
{
  HsTrace   *left;
  HsTrace   *right;
  GArray    *pairs;   /* HsStepPair */
  GPtrArray *diffs;   /* GPtrArray of HsTraceDiff per pair, NULL until asked */
};

const char *
hs_trace_diff_kind_to_string (HsTraceDiffKind kind)
{
  static const char *names[] = {
    "step", "missing", "value", "refcount", "immortal", "cached", "identity", "freed", "output",
  };

  g_return_val_if_fail (kind < G_N_ELEMENTS (names), NULL);
  return names[kind];
}

void
hs_trace_diff_free (HsTraceDiff *diff)
{
  if (diff == NULL)
    return;
  g_free (diff->subject);
  g_free (diff->left);
  g_free (diff->right);
  g_free (diff);
}

static HsTraceDiff *
add_diff (GPtrArray       *diffs,
          HsTraceDiffKind  kind,
          char            *subject,
          char            *left,
          char            *right)
{
  HsTraceDiff *diff = g_new0 (HsTraceDiff, 1);

  g_assert (diffs != NULL && subject != NULL);

  diff->kind = kind;
  diff->subject = subject;
  diff->left = left;
  diff->right = right;
  g_ptr_array_add (diffs, diff);
  return diff;
}

static gboolean
keys_equal (const HsStepKey *a,
            const HsStepKey *b)
{
  g_assert (a != NULL && b != NULL);

  return a->event == b->event && a->line == b->line && a->depth == b->depth;
}

static void
add_pair (GArray *pairs,
          guint   left,
          guint   right)
{
  HsStepPair pair = { left, right };

  g_assert (pairs != NULL);

  g_array_append_val (pairs, pair);
}

/* Greedy: equal keys pair up; where they part, the nearest place where
 * they meet again (fewest steps skipped in both runs together) is taken,
 * and what lies before it on each side stands alone.  Linear in the
 * steps, unlike a full longest common subsequence. */
GArray *
hs_trace_align_steps (const HsStepKey *left,
                      guint            n_left,
                      const HsStepKey *right,
                      guint            n_right)
{
  GArray *pairs = g_array_sized_new (FALSE, FALSE, sizeof (HsStepPair), MAX (n_left, n_right));
  guint i = 0, j = 0;

  g_return_val_if_fail (left != NULL || n_left == 0, pairs);
  g_return_val_if_fail (right != NULL || n_right == 0, pairs);

  while (i < n_left && j < n_right)
    {
      guint skip_left = 0, skip_right = 0;
      gboolean found = FALSE;

      if (keys_equal (&left[i], &right[j]))
        {
          add_pair (pairs, i++, j++);
          continue;
        }

      for (guint d = 1; d <= 2 * ALIGN_LOOKAHEAD && !found; d++)
        for (guint a = 0; a <= d && !found; a++)
          {
            guint b = d - a;

            if (a > ALIGN_LOOKAHEAD || b > ALIGN_LOOKAHEAD ||
                i + a >= n_left || j + b >= n_right)
              continue;
            if (keys_equal (&left[i + a], &right[j + b]))
              {
                skip_left = a;
                skip_right = b;
                found = TRUE;
              }
          }
      if (!found)
        {
          /* They never meet within reach: both steps stand alone. */
          skip_left = 1;
          skip_right = 1;
        }
      for (guint k = 0; k < skip_left; k++)
        add_pair (pairs, i++, HS_TRACE_COMPARE_NONE);
      for (guint k = 0; k < skip_right; k++)
        add_pair (pairs, HS_TRACE_COMPARE_NONE, j++);
    }
  while (i < n_left)
    add_pair (pairs, i++, HS_TRACE_COMPARE_NONE);
  while (j < n_right)
    add_pair (pairs, HS_TRACE_COMPARE_NONE, j++);
  return pairs;
}

static GArray *
step_keys (HsTrace *trace)
{
  g_autoptr(HsTraceCursor) cursor = hs_trace_cursor_new (trace);
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (HsStepKey));
  HsTraceDelta delta;

  g_assert (HS_IS_TRACE (trace));

  while (hs_trace_cursor_next (cursor, &delta))
    {
      HsStepKey key = { delta.event, delta.line, 0 };

      hs_trace_cursor_get_frames (cursor, &key.depth);
      g_array_append_val (keys, key);
    }
  return keys;
}

/* The pairs not asked about yet hold NULL. */
static void
diffs_free (gpointer diffs)
{
  if (diffs != NULL)
    g_ptr_array_unref (diffs);
}

HsTraceComparison *
hs_trace_comparison_new (HsTrace *left,
                         HsTrace *right)
{
  HsTraceComparison *self;
  g_autoptr(GArray) left_keys = NULL;
  g_autoptr(GArray) right_keys = NULL;

  g_return_val_if_fail (HS_IS_TRACE (left), NULL);
  g_return_val_if_fail (HS_IS_TRACE (right), NULL);

  left_keys = step_keys (left);
  right_keys = step_keys (right);

  self = g_new0 (HsTraceComparison, 1);
  self->left = g_object_ref (left);
  self->right = g_object_ref (right);
  self->pairs = hs_trace_align_steps ((const HsStepKey *) left_keys->data, left_keys->len,
                                      (const HsStepKey *) right_keys->data, right_keys->len);
  self->diffs = g_ptr_array_new_with_free_func (diffs_free);
  g_ptr_array_set_size (self->diffs, self->pairs->len);
  return self;
}

void
hs_trace_comparison_free (HsTraceComparison *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->left);
  g_clear_object (&self->right);
  g_clear_pointer (&self->pairs, g_array_unref);
  g_clear_pointer (&self->diffs, g_ptr_array_unref);
  g_free (self);
}

HsTrace *
hs_trace_comparison_get_left (HsTraceComparison *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->left;
}

HsTrace *
hs_trace_comparison_get_right (HsTraceComparison *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->right;
}

guint
hs_trace_comparison_get_n_pairs (HsTraceComparison *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->pairs->len;
}

HsStepPair
hs_trace_comparison_get_pair (HsTraceComparison *self,
                              guint              pair)
{
  HsStepPair none = { HS_TRACE_COMPARE_NONE, HS_TRACE_COMPARE_NONE };

  g_return_val_if_fail (self != NULL, none);
  g_return_val_if_fail (pair < self->pairs->len, none);
  return g_array_index (self->pairs, HsStepPair, pair);
}

GPtrArray *
hs_trace_comparison_get_diffs (HsTraceComparison *self,
                               guint              pair)
{
  HsStepPair p;
  g_autoptr(HsSnapshot) left = NULL;
  g_autoptr(HsSnapshot) right = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (pair < self->pairs->len, NULL);

  if (g_ptr_array_index (self->diffs, pair) != NULL)
    return g_ptr_array_index (self->diffs, pair);

  p = g_array_index (self->pairs, HsStepPair, pair);
  if (p.left != HS_TRACE_COMPARE_NONE)
    left = hs_trace_get_snapshot (self->left, p.left);
  if (p.right != HS_TRACE_COMPARE_NONE)
    right = hs_trace_get_snapshot (self->right, p.right);
  g_ptr_array_index (self->diffs, pair) = hs_trace_compare_snapshots (left, right);
  return g_ptr_array_index (self->diffs, pair);
}

guint
hs_trace_comparison_find_diff (HsTraceComparison *self,
                               guint              from,
                               gboolean           backwards)
{
  g_return_val_if_fail (self != NULL, HS_TRACE_COMPARE_NONE);

  if (backwards)
    {
      for (guint i = MIN (from, self->pairs->len); i > 0; i--)
        if (hs_trace_comparison_get_diffs (self, i - 1)->len > 0)
          return i - 1;
    }
  else
    {
      for (guint i = from + 1; i < self->pairs->len; i++)
        if (hs_trace_comparison_get_diffs (self, i)->len > 0)
          return i;
    }
  return HS_TRACE_COMPARE_NONE;
}

/* Comparing two steps */

typedef struct
{
  char           *name;     /* "x", or "x in f" */
  const HsObject *left;
  const HsObject *right;
} NamePair;

static void
name_pair_clear (gpointer data)
{
  NamePair *pair = data;

  g_free (pair->name);
}

static char *
describe_value (const HsObject *object)
{
  g_assert (object != NULL);

  return g_strdup_printf ("%s %s", object->type, object->repr ? object->repr : "");
}

/* python_version is the interpreter's that ran the object's step: the
 * runtime flags 3.11's statically allocated objects as immortal, but
 * 3.11 has no immortality (PEP 683 came in 3.12). */
static char *
describe_count (const char     *python_version,
                const HsObject *object)
{
  g_autofree char *count = NULL;

  g_assert (object != NULL);

  count = hs_format_count (object->refcount);
  if ((object->flags & HS_OBJECT_IMMORTAL) && python_version != NULL &&
      g_str_has_prefix (python_version, "3.11."))
    /* Translators: %s is the refcount of an object Python 3.11 allocates
     * statically, which starts at 999,999,999 */
    return g_strdup_printf (_("static (refcount %s)"), count);
  if (object->flags & HS_OBJECT_IMMORTAL)
    /* Translators: %s is the refcount an immortal object carries */
    return g_strdup_printf (_("immortal (refcount %s)"), count);
  return g_strdup_printf (_("refcount %s"), count);
}

static char *
describe_cached (guint32 flags)
{
  if (flags & HS_OBJECT_SMALL_INT)
    return g_strdup (_("cached small int"));
  if (flags & HS_OBJECT_INTERNED)
    return g_strdup (_("interned"));
  return g_strdup (_("not cached"));
}

static HsTraceDiff *
add_object_diff (GPtrArray       *diffs,
                 HsTraceDiffKind  kind,
                 const NamePair  *pair,
                 char            *left,
                 char            *right)
{
  HsTraceDiff *diff;

  g_assert (pair != NULL);

  diff = add_diff (diffs, kind, g_strdup (pair->name), left, right);
  diff->left_ref = pair->left ? pair->left->ref : 0;
  diff->right_ref = pair->right ? pair->right->ref : 0;
  return diff;
}

/* The names of the frames both steps share, outermost first, matched
 * while the functions match. */
static GArray *
pair_names (HsSnapshot *left,
            HsSnapshot *right)
{
  GArray *names = g_array_new (FALSE, TRUE, sizeof (NamePair));
  const HsFrame *lf, *rf;
  guint n_lf, n_rf;

  g_assert (left != NULL && right != NULL);

  g_array_set_clear_func (names, name_pair_clear);
  lf = hs_snapshot_get_frames (left, &n_lf);
  rf = hs_snapshot_get_frames (right, &n_rf);

  for (guint f = 0; f < MIN (n_lf, n_rf) && g_strcmp0 (lf[f].function, rf[f].function) == 0; f++)
    {
      gboolean module = f == 0;

      for (guint v = 0; v < lf[f].n_vars; v++)
        {
          const HsVar *lv = &lf[f].vars[v];
          NamePair pair = { NULL, NULL, NULL };

          pair.name = module ? g_strdup (lv->name)
                             /* Translators: a local variable, e.g. "x in f" */
                             : g_strdup_printf (_("%s in %s"), lv->name, lf[f].function);
          pair.left = hs_snapshot_lookup (left, lv->ref);
          for (guint w = 0; w < rf[f].n_vars; w++)
            if (g_strcmp0 (rf[f].vars[w].name, lv->name) == 0)
              pair.right = hs_snapshot_lookup (right, rf[f].vars[w].ref);
          g_array_append_val (names, pair);
        }
      for (guint w = 0; w < rf[f].n_vars; w++)
        {
          gboolean in_left = FALSE;

          for (guint v = 0; v < lf[f].n_vars && !in_left; v++)
            in_left = g_strcmp0 (rf[f].vars[w].name, lf[f].vars[v].name) == 0;
          if (!in_left)
            {
              NamePair pair = { NULL, NULL, hs_snapshot_lookup (right, rf[f].vars[w].ref) };

              pair.name = module ? g_strdup (rf[f].vars[w].name)
                                 : g_strdup_printf (_("%s in %s"), rf[f].vars[w].name, rf[f].function);
              g_array_append_val (names, pair);
            }
        }
    }
  return names;
}

static void
compare_names (HsSnapshot *left,
               HsSnapshot *right,
               GArray     *names,
               GPtrArray  *diffs)
{
  const char *lv = hs_snapshot_get_python_version (left);
  const char *rv = hs_snapshot_get_python_version (right);

  g_assert (names != NULL && diffs != NULL);

  for (guint i = 0; i < names->len; i++)
    {
      const NamePair *pair = &g_array_index (names, NamePair, i);
      const HsObject *l = pair->left;
      const HsObject *r = pair->right;
      guint32 changed;

      if (l == NULL || r == NULL)
        {
          add_object_diff (diffs, HS_TRACE_DIFF_MISSING, pair,
                           l ? describe_value (l) : g_strdup (_("not bound")),
                           r ? describe_value (r) : g_strdup (_("not bound")));
          continue;
        }
      if (g_strcmp0 (l->type, r->type) != 0 || g_strcmp0 (l->repr, r->repr) != 0)
        {
          add_object_diff (diffs, HS_TRACE_DIFF_VALUE, pair, describe_value (l), describe_value (r));
          continue;
        }

      changed = l->flags ^ r->flags;
      if (changed & HS_OBJECT_IMMORTAL)
        add_object_diff (diffs, HS_TRACE_DIFF_IMMORTAL, pair, describe_count (lv, l), describe_count (rv, r));
      else if (l->refcount != r->refcount)
        add_object_diff (diffs, HS_TRACE_DIFF_REFCOUNT, pair, describe_count (lv, l), describe_count (rv, r));
      if (changed & (HS_OBJECT_SMALL_INT | HS_OBJECT_INTERNED))
        add_object_diff (diffs, HS_TRACE_DIFF_CACHED, pair, describe_cached (l->flags), describe_cached (r->flags));
    }

  /* Which names share one object: the part of id() that means something
   * across runs. */
  for (guint i = 0; i < MIN (names->len, MAX_IDENTITY_NAMES); i++)
    for (guint j = i + 1; j < MIN (names->len, MAX_IDENTITY_NAMES); j++)
      {
        const NamePair *a = &g_array_index (names, NamePair, i);
        const NamePair *b = &g_array_index (names, NamePair, j);
        gboolean same_left, same_right;
        HsTraceDiff *diff;

        if (a->left == NULL || a->right == NULL || b->left == NULL || b->right == NULL)
          continue;
        same_left = a->left->ref == b->left->ref;
        same_right = a->right->ref == b->right->ref;
        if (same_left == same_right)
          continue;
        diff = add_diff (diffs, HS_TRACE_DIFF_IDENTITY,
                         g_strdup_printf ("%s is %s", a->name, b->name),
                         g_strdup (same_left ? "True" : "False"),
                         g_strdup (same_right ? "True" : "False"));
        diff->left_ref = a->left->ref;
        diff->right_ref = a->right->ref;
      }
}

static char *
freed_key (const HsFreed *freed)
{
  g_assert (freed != NULL);

  return g_strdup_printf ("%s %s", freed->type ? freed->type : "?", freed->repr ? freed->repr : "");
}

/* Freed objects have no name left: they are told apart by type and value,
 * counted, since a step may free several equal ones. */
static GHashTable *
count_freed (HsSnapshot *snapshot)
{
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const HsFreed *freed;
  guint n_freed;

  g_assert (snapshot != NULL);

  freed = hs_snapshot_get_freed (snapshot, &n_freed);
  for (guint i = 0; i < n_freed; i++)
    {
      char *key = freed_key (&freed[i]);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));

      g_hash_table_replace (counts, key, GUINT_TO_POINTER (n + 1));
    }
  return counts;
}

static char *
describe_freed (guint n)
{
  if (n == 0)
    return g_strdup (_("not freed"));
  if (n == 1)
    return g_strdup (_("freed"));
  /* Translators: how many equal objects a step freed */
  return g_strdup_printf (ngettext ("%u freed", "%u freed", n), n);
}

static void
compare_freed (HsSnapshot *left,
               HsSnapshot *right,
               GPtrArray  *diffs)
{
  g_autoptr(GHashTable) l = count_freed (left);
  g_autoptr(GHashTable) r = count_freed (right);
  g_autoptr(GList) keys = NULL;
  GHashTableIter iter;
  gpointer key;

  g_assert (diffs != NULL);

  g_hash_table_iter_init (&iter, r);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (l, key))
      g_hash_table_insert (l, g_strdup (key), GUINT_TO_POINTER (0));

  keys = g_list_sort (g_hash_table_get_keys (l), (GCompareFunc) strcmp);
  for (GList *k = keys; k != NULL; k = k->next)
    {
      guint nl = GPOINTER_TO_UINT (g_hash_table_lookup (l, k->data));
      guint nr = GPOINTER_TO_UINT (g_hash_table_lookup (r, k->data));

      if (nl != nr)
        add_diff (diffs, HS_TRACE_DIFF_FREED, g_strdup (k->data), describe_freed (nl), describe_freed (nr));
    }
}

static char *
describe_output (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &size) : NULL;
  g_autofree char *text = NULL;

  if (size == 0)
    return g_strdup (_("nothing"));
  text = g_utf8_make_valid (data, size);
  g_strchomp (text);
  return g_strdup (text);
}

static void
compare_output (HsSnapshot *left,
                HsSnapshot *right,
                GPtrArray  *diffs)
{
  static const char *streams[] = { "stdout", "stderr" };

  g_assert (diffs != NULL);

  for (guint s = 0; s < 2; s++)
    {
      GBytes *l = s == 0 ? hs_snapshot_get_stdout (left) : hs_snapshot_get_stderr (left);
      GBytes *r = s == 0 ? hs_snapshot_get_stdout (right) : hs_snapshot_get_stderr (right);
      gboolean l_empty = l == NULL || g_bytes_get_size (l) == 0;
      gboolean r_empty = r == NULL || g_bytes_get_size (r) == 0;

      if ((l_empty && r_empty) || (!l_empty && !r_empty && g_bytes_equal (l, r)))
        continue;
      add_diff (diffs, HS_TRACE_DIFF_OUTPUT, g_strdup (streams[s]), describe_output (l), describe_output (r));
    }
}

static char *
describe_step (HsSnapshot *snapshot)
{
  g_assert (snapshot != NULL);

  /* Translators: a step of a run, e.g. "line 4 (line)"; the event is untranslated */
  return g_strdup_printf (_("line %u (%s)"), hs_snapshot_get_line (snapshot),
                          hs_event_to_string (hs_snapshot_get_event (snapshot)));
}

GPtrArray *
hs_trace_compare_snapshots (HsSnapshot *left,
                            HsSnapshot *right)
{
  GPtrArray *diffs = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_trace_diff_free);
  g_autoptr(GArray) names = NULL;

  g_return_val_if_fail (left != NULL || right != NULL, diffs);

  if (left == NULL || right == NULL)
    {
      add_diff (diffs, HS_TRACE_DIFF_STEP, g_strdup (_("this step")),
                left ? describe_step (left) : g_strdup (_("no such step")),
                right ? describe_step (right) : g_strdup (_("no such step")));
      return diffs;
    }

  names = pair_names (left, right);
  compare_names (left, right, names, diffs);
  compare_freed (left, right, diffs);
  compare_output (left, right, diffs);
  return diffs;
}
