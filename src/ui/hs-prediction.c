/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-prediction"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hs-prediction.h"

/* Choices beyond these make a question a search, not a prediction. */
#define MAX_CHOICES 6
/* Counts this large belong to statically allocated or immortal objects. */
#define MAX_ASKED_REFCOUNT 1000

typedef struct
{
  HsSnapshot    *before;
  HsSnapshot    *after;
  guint          line;
} Steps;

void
hs_question_free (HsQuestion *question)
{
  if (question == NULL)
    return;
  g_free (question->text);
  g_ptr_array_unref (question->choices);
  g_array_unref (question->right);
  g_free (question->answer);
  g_free (question->truth);
  g_free (question);
}

static HsQuestion *
question_new (HsQuestionKind  kind,
              const Steps    *steps,
              char           *text)
{
  HsQuestion *question = g_new0 (HsQuestion, 1);

  question->kind = kind;
  question->step = hs_snapshot_get_index (steps->before);
  question->text = text;
  question->choices = g_ptr_array_new_with_free_func (g_free);
  question->right = g_array_new (FALSE, FALSE, sizeof (guint));
  return question;
}

static void
add_choice (HsQuestion *question,
            char       *label,
            gboolean    right)
{
  g_assert (question != NULL);

  if (right)
    g_array_append_val (question->right, question->choices->len);
  g_ptr_array_add (question->choices, label);
}

static char *
describe (const HsObject *object)
{
  g_autofree char *id = NULL;

  g_assert (object != NULL);

  id = g_strdup_printf ("%" G_GUINT64_FORMAT, object->id);
  /* Translators: an object in a question, e.g. "list [1, 2] (id 1403…)" */
  return g_strdup_printf (_("%s %s (id %s)"), object->type, object->repr, id);
}

static const HsFrame *
innermost (HsSnapshot *snapshot,
           guint      *n_frames)
{
  const HsFrame *frames = hs_snapshot_get_frames (snapshot, n_frames);

  return *n_frames > 0 ? &frames[*n_frames - 1] : NULL;
}

static gboolean
frame_lookup (const HsFrame *frame,
              const char    *name,
              guint32       *ref)
{
  for (guint i = 0; frame != NULL && i < frame->n_vars; i++)
    if (g_str_equal (frame->vars[i].name, name))
      {
        *ref = frame->vars[i].ref;
        return TRUE;
      }
  return FALSE;
}

/* The running frame before and after the line, when both are the same
 * frame: as deep, in the same function (the line called or returned
 * nothing that is still under way). */
static gboolean
same_frame (const Steps    *steps,
            const HsFrame **before,
            const HsFrame **after)
{
  guint n_before, n_after;

  g_assert (steps != NULL);
  g_assert (before != NULL && after != NULL);

  *before = innermost (steps->before, &n_before);
  *after = innermost (steps->after, &n_after);
  return *before != NULL && *after != NULL && n_before == n_after &&
         g_strcmp0 ((*before)->function, (*after)->function) == 0;
}

/* A name of the running frame that the line binds to another object. */
static const HsVar *
find_rebound (const Steps *steps)
{
  const HsFrame *before, *after;

  if (!same_frame (steps, &before, &after))
    return NULL;

  for (guint i = 0; i < after->n_vars; i++)
    {
      guint32 ref;

      if (!frame_lookup (before, after->vars[i].name, &ref) || ref != after->vars[i].ref)
        return &after->vars[i];
    }
  return NULL;
}

/* Whether the line drops a reference a name of the running frame held:
 * a name rebound or deleted, so that something may be freed. */
static gboolean
lets_go (const Steps *steps)
{
  const HsFrame *before, *after;

  if (!same_frame (steps, &before, &after))
    return FALSE;

  for (guint i = 0; i < before->n_vars; i++)
    {
      guint32 ref;

      if (!frame_lookup (after, before->vars[i].name, &ref) || ref != before->vars[i].ref)
        return TRUE;
    }
  return FALSE;
}

/* Whether the line made the object the name now points at: TRUE or FALSE
 * when the trace tells, else the question is not asked. */
static gboolean
is_new_object (const Steps *steps,
               guint32      ref,
               gboolean    *known)
{
  const HsObject *object = hs_snapshot_lookup (steps->after, ref);

  *known = TRUE;
  if (hs_snapshot_lookup (steps->before, ref) != NULL)
    return FALSE;
  if (object == NULL)
    {
      *known = FALSE;
      return FALSE;
    }
  if (object->flags & HS_OBJECT_CREATED)
    return TRUE;
  /* Not drawn before, and every reference to it is drawn now: nothing
   * hidden (a cache, a code object's constants) held it before. */
  if (!(object->flags & (HS_OBJECT_SMALL_INT | HS_OBJECT_INTERNED | HS_OBJECT_IMMORTAL)) &&
      object->refcount == (gint64) object->n_referrers)
    return TRUE;
  *known = FALSE;
  return FALSE;
}

static char *
printed (HsSnapshot *snapshot)
{
  GBytes *out = hs_snapshot_get_stdout (snapshot);
  gsize size = 0;
  const char *data = out ? g_bytes_get_data (out, &size) : NULL;

  return g_strstrip (g_strndup (data ? data : "", size));
}

static HsQuestion *
ask_output (const Steps *steps)
{
  g_autofree char *out = printed (steps->after);
  HsQuestion *question;

  if (*out == '\0' || !g_utf8_validate (out, -1, NULL))
    return NULL;
  question = question_new (HS_QUESTION_OUTPUT, steps,
                           g_strdup_printf (_("What will line %u print?"), steps->line));
  question->answer = g_strdup (out);
  question->truth = g_strdup_printf (_("It printed: %s"), out);
  return question;
}

/* The objects a question offers: those the names of the program point at
 * now, the ones that matter first. */
static GPtrArray *
candidates (HsSnapshot     *snapshot,
            const guint32  *first,
            guint           n_first)
{
  GPtrArray *objects = g_ptr_array_new ();
  const HsFrame *frames;
  guint n_frames;

  for (guint i = 0; i < n_first && objects->len < MAX_CHOICES; i++)
    {
      const HsObject *object = hs_snapshot_lookup (snapshot, first[i]);

      if (object != NULL && !g_ptr_array_find (objects, object, NULL))
        g_ptr_array_add (objects, (gpointer) object);
    }

  frames = hs_snapshot_get_frames (snapshot, &n_frames);
  for (guint f = n_frames; f > 0 && objects->len < MAX_CHOICES; f--)
    for (guint i = 0; i < frames[f - 1].n_vars && objects->len < MAX_CHOICES; i++)
      {
        const HsObject *object = hs_snapshot_lookup (snapshot, frames[f - 1].vars[i].ref);

        if (object != NULL && !g_ptr_array_find (objects, object, NULL) &&
            g_strcmp0 (object->type, "module") != 0 && g_strcmp0 (object->type, "function") != 0 &&
            g_strcmp0 (object->type, "type") != 0)
          g_ptr_array_add (objects, (gpointer) object);
      }
  return objects;
}

static HsQuestion *
ask_freed (const Steps *steps)
{
  const HsFreed *freed;
  guint n_freed;
  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GString) truth = g_string_new (NULL);
  HsQuestion *question;

  freed = hs_snapshot_get_freed (steps->after, &n_freed);
  for (guint i = 0; i < n_freed; i++)
    {
      if (hs_snapshot_lookup (steps->before, freed[i].ref) == NULL)
        return NULL;  /* freed unseen: the learner could not pick it */
      g_array_append_val (refs, freed[i].ref);
    }
  /* Asked when something goes, or when a name lets go of an object. */
  if (n_freed == 0 && !lets_go (steps))
    return NULL;

  objects = candidates (steps->before, (const guint32 *) refs->data, refs->len);
  if (objects->len == 0 || refs->len > objects->len)
    return NULL;

  question = question_new (HS_QUESTION_FREED, steps,
                           g_strdup_printf (_("Which objects will be freed when line %u runs?"), steps->line));
  question->multiple = TRUE;
  for (guint i = 0; i < objects->len; i++)
    {
      const HsObject *object = g_ptr_array_index (objects, i);
      gboolean goes = FALSE;

      for (guint j = 0; j < refs->len; j++)
        goes |= g_array_index (refs, guint32, j) == object->ref;
      add_choice (question, describe (object), goes);
      if (goes)
        {
          g_autofree char *label = describe (object);

          g_string_append_printf (truth, truth->len ? ", %s" : "%s", label);
        }
    }
  add_choice (question, g_strdup (_("None of them")), refs->len == 0);
  if (refs->len == 0)
    question->truth = g_strdup (_("Nothing was freed: every object still has a reference."));
  else
    question->truth = g_strdup_printf (_("Freed: %s. Its last reference went away, or the collector found it unreachable."),
                                       truth->str);
  return question;
}

static HsQuestion *
ask_point_at (const Steps *steps)
{
  const HsVar *var = find_rebound (steps);
  const HsObject *target;
  g_autoptr(GPtrArray) objects = NULL;
  gboolean known, is_new;
  g_autofree char *label = NULL;
  HsQuestion *question;

  if (var == NULL || !(target = hs_snapshot_lookup (steps->after, var->ref)))
    return NULL;
  is_new = is_new_object (steps, var->ref, &known);
  if (!known)
    return NULL;

  objects = candidates (steps->before, &var->ref, 1);
  question = question_new (HS_QUESTION_POINT_AT, steps,
                           g_strdup_printf (_("After line %u, which object will “%s” point at?"),
                                            steps->line, var->name));
  for (guint i = 0; i < objects->len && i < MAX_CHOICES - 1; i++)
    {
      const HsObject *object = g_ptr_array_index (objects, i);

      add_choice (question, describe (object), !is_new && object->ref == var->ref);
    }
  add_choice (question, g_strdup (_("A new object")), is_new);
  label = describe (target);
  question->truth = is_new
    ? g_strdup_printf (_("“%s” points at a new object: %s."), var->name, label)
    : g_strdup_printf (_("“%s” points at %s, which already existed."), var->name, label);
  return question;
}

static HsQuestion *
ask_new_or_reused (const Steps *steps)
{
  const HsVar *var = find_rebound (steps);
  gboolean known, is_new;
  HsQuestion *question;

  if (var == NULL)
    return NULL;
  is_new = is_new_object (steps, var->ref, &known);
  if (!known)
    return NULL;

  question = question_new (HS_QUESTION_NEW_OR_REUSED, steps,
                           g_strdup_printf (_("Will line %u make “%s” point at a new object, or at one that already exists?"),
                                            steps->line, var->name));
  add_choice (question, g_strdup (_("A new object")), is_new);
  add_choice (question, g_strdup (_("An object that already exists")), !is_new);
  question->truth = is_new
    ? g_strdup (_("A new object: the line made it."))
    : g_strdup (_("One that already existed: the line made no new object for it, it only moved the arrow."));
  return question;
}

static HsQuestion *
ask_is (const Steps *steps)
{
  const HsVar *var = find_rebound (steps);
  const HsFrame *frame;
  const HsVar *other = NULL;
  guint n_frames;
  HsQuestion *question;
  gboolean same;

  if (var == NULL || !(frame = innermost (steps->after, &n_frames)))
    return NULL;
  /* Another name of the frame, one sharing the object if there is one. */
  for (guint i = 0; i < frame->n_vars; i++)
    {
      const HsObject *object = hs_snapshot_lookup (steps->after, frame->vars[i].ref);

      if (&frame->vars[i] == var || object == NULL || g_strcmp0 (object->type, "module") == 0 ||
          g_strcmp0 (object->type, "function") == 0 || g_strcmp0 (object->type, "type") == 0)
        continue;
      if (other == NULL || frame->vars[i].ref == var->ref)
        other = &frame->vars[i];
    }
  if (other == NULL)
    return NULL;

  same = other->ref == var->ref;
  question = question_new (HS_QUESTION_IS, steps,
                           g_strdup_printf (_("After line %u, what will “%s is %s” be?"),
                                            steps->line, var->name, other->name));
  add_choice (question, g_strdup ("True"), same);
  add_choice (question, g_strdup ("False"), !same);
  question->truth = same
    ? g_strdup_printf (_("True: “%s” and “%s” point at the same object."), var->name, other->name)
    : g_strdup_printf (_("False: “%s” and “%s” point at two different objects."), var->name, other->name);
  return question;
}

/* Whether `a == b` is True, read from the trace alone: only where the
 * records decide it without running the program's code.  Exact scalars
 * compare by their reprs (exact for int, bool, str, bytes, None and
 * float, where nan equals nothing and 0.0 equals -0.0); lists and tuples item by
 * item, with Python's identity shortcut for items.  Anything else (a
 * dict, an instance that may define __eq__, a truncated repr) is not
 * known. */
#define EQUAL_MAX_DEPTH 4

static gboolean
is_scalar_type (const char *type)
{
  static const char * const scalars[] = { "int", "bool", "float", "str", "bytes", "NoneType" };

  for (guint i = 0; i < G_N_ELEMENTS (scalars); i++)
    if (g_strcmp0 (type, scalars[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_number_type (const char *type)
{
  return g_strcmp0 (type, "int") == 0 || g_strcmp0 (type, "bool") == 0 || g_strcmp0 (type, "float") == 0;
}

static gboolean
is_sequence_type (const char *type)
{
  return g_strcmp0 (type, "list") == 0 || g_strcmp0 (type, "tuple") == 0;
}

static gboolean
values_equal (HsSnapshot *snapshot,
              guint32     a_ref,
              guint32     b_ref,
              guint       depth,
              gboolean   *known)
{
  const HsObject *a = hs_snapshot_lookup (snapshot, a_ref);
  const HsObject *b = hs_snapshot_lookup (snapshot, b_ref);
  gboolean a_scalar, b_scalar;

  *known = FALSE;
  if (a == NULL || b == NULL || depth > EQUAL_MAX_DEPTH || a->repr == NULL || b->repr == NULL)
    return FALSE;
  a_scalar = is_scalar_type (a->type);
  b_scalar = is_scalar_type (b->type);
  if (!(a_scalar || is_sequence_type (a->type)) || !(b_scalar || is_sequence_type (b->type)))
    return FALSE;

  if (g_strcmp0 (a->type, b->type) != 0)
    {
      /* 1 == 1.0 == True: mixed numbers compare by value, not asked. */
      if (is_number_type (a->type) && is_number_type (b->type))
        return FALSE;
      *known = TRUE;
      return FALSE;
    }

  if (a_scalar)
    {
      if (g_str_has_suffix (a->repr, "…") || g_str_has_suffix (b->repr, "…") ||
          g_str_has_prefix (a->repr, "<") || g_str_has_prefix (b->repr, "<"))
        return FALSE;
      *known = TRUE;
      if (g_str_equal (a->type, "float"))
        {
          if (g_str_equal (a->repr, "nan") || g_str_equal (b->repr, "nan"))
            return FALSE;
          /* 0.0 == -0.0 */
          if (g_str_equal (a->repr + (a->repr[0] == '-'), "0.0") &&
              g_str_equal (b->repr + (b->repr[0] == '-'), "0.0"))
            return TRUE;
        }
      return g_str_equal (a->repr, b->repr);
    }

  /* Lists and tuples: the same length, then every item. */
  if (a->omitted != 0 || b->omitted != 0)
    return FALSE;
  if (a->length != b->length)
    {
      *known = TRUE;
      return FALSE;
    }
  if (a->n_edges != a->length || b->n_edges != b->length)
    return FALSE;
  for (guint i = 0; i < a->n_edges; i++)
    {
      gboolean item_known;

      if (a->edges[i].kind != HS_EDGE_ITEM || b->edges[i].kind != HS_EDGE_ITEM)
        return FALSE;
      if (a->edges[i].target == b->edges[i].target)
        continue;  /* PyObject_RichCompareBool: the same object is equal */
      if (!values_equal (snapshot, a->edges[i].target, b->edges[i].target, depth + 1, &item_known))
        {
          *known = item_known;
          return FALSE;
        }
    }
  *known = TRUE;
  return TRUE;
}

static HsQuestion *
ask_equal (const Steps *steps)
{
  const HsVar *var = find_rebound (steps);
  const HsFrame *frame;
  const HsVar *other = NULL;
  gboolean other_equal = FALSE;
  guint best = 0;
  guint n_frames;
  HsQuestion *question;

  if (var == NULL || !(frame = innermost (steps->after, &n_frames)))
    return NULL;
  /* Another name whose `==` the trace decides, best one that is equal
   * without being the same object: a copy, where `==` and `is` differ. */
  for (guint i = 0; i < frame->n_vars; i++)
    {
      gboolean known, equal;
      guint score;

      if (&frame->vars[i] == var)
        continue;
      equal = values_equal (steps->after, var->ref, frame->vars[i].ref, 0, &known);
      score = !known ? 0 : equal && frame->vars[i].ref != var->ref ? 2 : 1;
      if (score > best)
        {
          best = score;
          other = &frame->vars[i];
          other_equal = equal;
        }
    }
  if (other == NULL)
    return NULL;

  question = question_new (HS_QUESTION_EQUAL, steps,
                           g_strdup_printf (_("After line %u, what will “%s == %s” be?"),
                                            steps->line, var->name, other->name));
  add_choice (question, g_strdup ("True"), other_equal);
  add_choice (question, g_strdup ("False"), !other_equal);
  if (other_equal && other->ref == var->ref)
    question->truth = g_strdup_printf (_("True: “%s” and “%s” point at the same object, and it equals itself."),
                                       var->name, other->name);
  else if (other_equal)
    question->truth = g_strdup_printf (_("True: “%s” and “%s” point at two different objects with equal values, so “is” would be False."),
                                       var->name, other->name);
  else
    question->truth = g_strdup_printf (_("False: the values of “%s” and “%s” differ."), var->name, other->name);
  return question;
}

static HsQuestion *
ask_refcount (const Steps *steps)
{
  const HsFrame *frame;
  guint n_frames;

  if (!(frame = innermost (steps->before, &n_frames)))
    return NULL;
  for (guint i = 0; i < frame->n_vars; i++)
    {
      const HsObject *before = hs_snapshot_lookup (steps->before, frame->vars[i].ref);
      const HsObject *after = hs_snapshot_lookup (steps->after, frame->vars[i].ref);
      HsQuestion *question;

      if (before == NULL || after == NULL || before->refcount == after->refcount ||
          after->refcount >= MAX_ASKED_REFCOUNT)
        continue;
      g_autofree char *was = g_strdup_printf ("%" G_GINT64_FORMAT, before->refcount);
      g_autofree char *becomes = g_strdup_printf ("%" G_GINT64_FORMAT, after->refcount);

      question = question_new (HS_QUESTION_REFCOUNT, steps,
                               g_strdup_printf (_("The object “%s” points at has refcount %s. What will it be after line %u?"),
                                                frame->vars[i].name, was, steps->line));
      question->answer = g_strdup (becomes);
      question->truth = g_strdup_printf (_("It became %s, from %s: the count follows every reference made or dropped."),
                                         becomes, was);
      return question;
    }
  return NULL;
}

/* A question with choices asks the learner to choose: one choice alone
 * is its own answer, so it is not asked. */
static HsQuestion *
worth_asking (HsQuestion *question)
{
  if (question != NULL && question->answer == NULL && question->choices->len < 2)
    g_clear_pointer (&question, hs_question_free);
  return question;
}

static HsQuestion *(* const askers[HS_N_QUESTION_KINDS]) (const Steps *) = {
  [HS_QUESTION_OUTPUT] = ask_output,
  [HS_QUESTION_FREED] = ask_freed,
  [HS_QUESTION_POINT_AT] = ask_point_at,
  [HS_QUESTION_NEW_OR_REUSED] = ask_new_or_reused,
  [HS_QUESTION_IS] = ask_is,
  [HS_QUESTION_EQUAL] = ask_equal,
  [HS_QUESTION_REFCOUNT] = ask_refcount,
};

/* A question about what the line shown at `step` will do, or NULL when the
 * trace offers none. kind < 0 takes the kinds in turn, starting with a
 * different one at each step, so that questions vary. */
HsQuestion *
hs_question_new (HsTrace *trace,
                 guint    step,
                 int      kind)
{
  g_autoptr(HsSnapshot) before = NULL;
  g_autoptr(HsSnapshot) after = NULL;
  Steps steps;

  g_return_val_if_fail (HS_IS_TRACE (trace), NULL);
  g_return_val_if_fail (kind < HS_N_QUESTION_KINDS, NULL);

  if (step + 1 >= hs_trace_get_n_steps (trace))
    return NULL;
  before = hs_trace_get_snapshot (trace, step);
  if (hs_snapshot_get_event (before) != HS_EVENT_LINE)
    return NULL;
  after = hs_trace_get_snapshot (trace, step + 1);
  steps.before = before;
  steps.after = after;
  steps.line = hs_snapshot_get_line (before);

  if (kind >= 0)
    return worth_asking (askers[kind] (&steps));
  for (guint i = 0; i < HS_N_QUESTION_KINDS; i++)
    {
      HsQuestion *question = worth_asking (askers[(step + i) % HS_N_QUESTION_KINDS] (&steps));

      if (question != NULL)
        return question;
    }
  return NULL;
}

gboolean
hs_question_check_choices (const HsQuestion *question,
                           const guint      *chosen,
                           guint             n_chosen)
{
  g_return_val_if_fail (question != NULL, FALSE);

  if (n_chosen != question->right->len)
    return FALSE;
  for (guint i = 0; i < n_chosen; i++)
    {
      gboolean right = FALSE;

      for (guint j = 0; j < question->right->len; j++)
        right |= g_array_index (question->right, guint, j) == chosen[i];
      if (!right)
        return FALSE;
    }
  return TRUE;
}

/* Typed answers are compared line by line, ignoring the spaces around. */
gboolean
hs_question_check_text (const HsQuestion *question,
                        const char       *text)
{
  g_autofree char *typed = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) expected = NULL;

  g_return_val_if_fail (question != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (question->answer == NULL)
    return FALSE;
  typed = g_strstrip (g_strdup (text));
  lines = g_strsplit (typed, "\n", -1);
  expected = g_strsplit (question->answer, "\n", -1);
  if (g_strv_length (lines) != g_strv_length (expected))
    return FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_strcmp0 (g_strstrip (lines[i]), g_strstrip (expected[i])) != 0)
      return FALSE;
  return TRUE;
}
