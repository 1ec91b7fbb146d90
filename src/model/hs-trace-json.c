/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-trace-json"

#include "config.h"

#include <json-glib/json-glib.h>

#include "hs-trace-json.h"

static void
add_text (JsonBuilder *b,
          const char  *member,
          GBytes      *bytes,
          GBytes      *extra)
{
  GString *s = g_string_new (NULL);
  g_autofree char *valid = NULL;

  if (bytes != NULL)
    g_string_append_len (s, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (extra != NULL)
    g_string_append_len (s, g_bytes_get_data (extra, NULL), g_bytes_get_size (extra));
  /* program output need not be UTF-8; JSON must be */
  valid = g_utf8_make_valid (s->str, s->len);
  g_string_free (s, TRUE);

  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, valid);
}

static void
add_object (JsonBuilder    *b,
            const HsObject *o)
{
  int generation = HS_OBJECT_GENERATION (o->flags);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ref");
  json_builder_add_int_value (b, o->ref);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, (gint64) o->id);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, o->type);
  json_builder_set_member_name (b, "repr");
  json_builder_add_string_value (b, o->repr);
  json_builder_set_member_name (b, "refcount");
  json_builder_add_int_value (b, o->refcount);
  json_builder_set_member_name (b, "size");
  if (o->size >= 0)
    json_builder_add_int_value (b, o->size);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "mutable");
  json_builder_add_boolean_value (b, (o->flags & HS_OBJECT_MUTABLE) != 0);
  json_builder_set_member_name (b, "small_int");
  json_builder_add_boolean_value (b, (o->flags & HS_OBJECT_SMALL_INT) != 0);
  json_builder_set_member_name (b, "interned");
  json_builder_add_boolean_value (b, (o->flags & HS_OBJECT_INTERNED) != 0);
  json_builder_set_member_name (b, "immortal");
  json_builder_add_boolean_value (b, (o->flags & HS_OBJECT_IMMORTAL) != 0);
  json_builder_set_member_name (b, "reachable");
  json_builder_add_boolean_value (b, (o->flags & HS_OBJECT_REACHABLE) != 0);

  json_builder_set_member_name (b, "gc");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tracked");
  json_builder_add_boolean_value (b, (o->flags & HS_OBJECT_GC_TRACKED) != 0);
  json_builder_set_member_name (b, "generation");
  if (generation == HS_OBJECT_NO_GENERATION)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, generation);
  json_builder_end_object (b);

  if (o->flags & HS_OBJECT_CONTAINER)
    {
      json_builder_set_member_name (b, "length");
      json_builder_add_int_value (b, o->length);
      json_builder_set_member_name (b, "omitted");
      json_builder_add_int_value (b, o->omitted);
    }

  json_builder_set_member_name (b, "new");
  json_builder_add_boolean_value (b, (o->changes & HS_CHANGE_NEW) != 0);

  json_builder_set_member_name (b, "edges");
  json_builder_begin_array (b);
  for (guint i = 0; i < o->n_edges; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, hs_edge_kind_to_string (o->edges[i].kind));
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, o->edges[i].label);
      json_builder_set_member_name (b, "ref");
      json_builder_add_int_value (b, o->edges[i].target);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static JsonNode *
build_step (HsSnapshot *snap,
            GBytes     *extra_out,
            GBytes     *extra_err)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const HsFrame *frames;
  const HsObject *objects;
  const HsFreed *freed;
  const HsGcRun *runs;
  guint n;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, hs_snapshot_get_index (snap));
  json_builder_set_member_name (b, "line");
  json_builder_add_int_value (b, hs_snapshot_get_line (snap));
  json_builder_set_member_name (b, "event");
  json_builder_add_string_value (b, hs_event_to_string (hs_snapshot_get_event (snap)));
  add_text (b, "out", hs_snapshot_get_stdout (snap), extra_out);
  add_text (b, "err", hs_snapshot_get_stderr (snap), extra_err);

  json_builder_set_member_name (b, "return");
  if (hs_snapshot_get_return_ref (snap) != 0)
    json_builder_add_int_value (b, hs_snapshot_get_return_ref (snap));
  else
    json_builder_add_null_value (b);

  frames = hs_snapshot_get_frames (snap, &n);
  json_builder_set_member_name (b, "frames");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "function");
      json_builder_add_string_value (b, frames[i].function);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, frames[i].line);
      json_builder_set_member_name (b, "vars");
      json_builder_begin_array (b);
      for (guint k = 0; k < frames[i].n_vars; k++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, frames[i].vars[k].name);
          json_builder_set_member_name (b, "ref");
          json_builder_add_int_value (b, frames[i].vars[k].ref);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  objects = hs_snapshot_get_objects (snap, &n);
  json_builder_set_member_name (b, "objects");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    add_object (b, &objects[i]);
  json_builder_end_array (b);

  freed = hs_snapshot_get_freed (snap, &n);
  json_builder_set_member_name (b, "freed");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "ref");
      json_builder_add_int_value (b, freed[i].ref);
      json_builder_set_member_name (b, "cause");
      json_builder_add_string_value (b, hs_free_cause_to_string (freed[i].cause));
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, freed[i].type);
      json_builder_set_member_name (b, "repr");
      json_builder_add_string_value (b, freed[i].repr);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  runs = hs_snapshot_get_gc_runs (snap, &n);
  json_builder_set_member_name (b, "gc");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "generation");
      json_builder_add_int_value (b, runs[i].generation);
      json_builder_set_member_name (b, "collections");
      json_builder_add_int_value (b, runs[i].collections);
      json_builder_set_member_name (b, "collected");
      json_builder_add_int_value (b, runs[i].collected);
      json_builder_set_member_name (b, "uncollectable");
      json_builder_add_int_value (b, runs[i].uncollectable);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
build_header (HsTrace *trace)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const HsTraceError *error = hs_trace_get_error (trace);
  g_autoptr(GBytes) out = hs_trace_dup_stdout (trace);
  g_autoptr(GBytes) err = hs_trace_dup_stderr (trace);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, HS_TRACE_FORMAT);
  json_builder_set_member_name (b, "python");
  json_builder_add_string_value (b, hs_trace_get_python_version (trace));
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, hs_trace_get_status (trace));
  json_builder_set_member_name (b, "exit_code");
  json_builder_add_int_value (b, hs_trace_get_exit_code (trace));
  json_builder_set_member_name (b, "signal");
  if (hs_trace_get_signal (trace) != 0)
    json_builder_add_int_value (b, hs_trace_get_signal (trace));
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "error");
  if (error == NULL)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, error->type);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, error->message);
      json_builder_set_member_name (b, "line");
      if (error->line > 0)
        json_builder_add_int_value (b, error->line);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "traceback");
      json_builder_add_string_value (b, error->traceback);
      json_builder_end_object (b);
    }

  add_text (b, "stdout", out, NULL);
  add_text (b, "stderr", err, NULL);
  json_builder_set_member_name (b, "history_bytes");
  json_builder_add_int_value (b, hs_trace_get_history_bytes (trace));

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
write_str (GOutputStream  *stream,
           const char     *str,
           gsize           len,
           GError        **error)
{
  return g_output_stream_write_all (stream, str, len, NULL, NULL, error);
}

gboolean
hs_trace_write_json (HsTrace        *trace,
                     GOutputStream  *stream,
                     GError        **error)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) header = NULL;
  g_autofree char *header_text = NULL;
  gsize header_len;
  guint n_steps;

  g_return_val_if_fail (HS_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  /* The header is one JSON object; the steps array is spliced in before its
   * closing brace so that each step can be generated and dropped in turn. */
  header = build_header (trace);
  json_generator_set_root (gen, header);
  header_text = json_generator_to_data (gen, &header_len);
  g_assert (header_len >= 2 && header_text[header_len - 1] == '}');

  if (!write_str (stream, header_text, header_len - 1, error) ||
      !write_str (stream, ",\"steps\":[", 10, error))
    return FALSE;

  n_steps = hs_trace_get_n_steps (trace);
  for (guint i = 0; i < n_steps; i++)
    {
      g_autoptr(HsSnapshot) snap = hs_trace_get_snapshot (trace, i);
      gboolean last = i + 1 == n_steps;
      g_autoptr(JsonNode) node = build_step (snap,
                                             last ? hs_trace_get_trailing_stdout (trace) : NULL,
                                             last ? hs_trace_get_trailing_stderr (trace) : NULL);
      g_autoptr(GString) text = g_string_new (NULL);

      json_generator_set_root (gen, node);
      json_generator_to_gstring (gen, text);
      if ((i > 0 && !write_str (stream, ",", 1, error)) ||
          !write_str (stream, text->str, text->len, error))
        return FALSE;
    }

  return write_str (stream, "]}\n", 3, error);
}
