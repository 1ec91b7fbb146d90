/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-bench-dot"

#include "config.h"

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "bench-dot.h"

void
bench_dot_options_init (BenchDotOptions *options)
{
  g_return_if_fail (options != NULL);

  options->every_object = FALSE;
  /* The size of the layout's names and values (10 pt at 96 dpi) */
  options->font_size = hs_layout_text_font_size (HS_LAYOUT_FONT_UI);
  options->max_value_chars = 24;
}

gboolean
bench_dot_is_scalar (const HsObject *object)
{
  HsLayoutOptions values_in_slots;

  g_return_val_if_fail (object != NULL, FALSE);

  /* what the layout draws inside its slots by default */
  hs_layout_options_init (&values_in_slots);
  return hs_layout_draws_inline (object, &values_in_slots);
}

static const HsObject *
lookup_scalar (HsSnapshot *snapshot,
               guint32     ref)
{
  const HsObject *o;

  g_assert (snapshot != NULL);

  o = ref != 0 ? hs_snapshot_lookup (snapshot, ref) : NULL;
  return o != NULL && bench_dot_is_scalar (o) ? o : NULL;
}

guint
bench_dot_count_objects (HsLayout *layout)
{
  g_autoptr(GHashTable) refs = g_hash_table_new (NULL, NULL);
  HsSnapshot *snapshot;
  const HsLayoutBox *boxes;
  guint n_boxes, n_frames = 0;

  g_return_val_if_fail (layout != NULL, 0);

  snapshot = hs_layout_get_snapshot (layout);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    {
      if (boxes[b].kind == HS_LAYOUT_BOX_GHOST)
        continue;
      if (boxes[b].kind == HS_LAYOUT_BOX_FRAME)
        n_frames++;
      else
        g_hash_table_add (refs, GUINT_TO_POINTER (boxes[b].ref));
      for (guint r = 0; r < boxes[b].n_rows; r++)
        {
          const HsLayoutRow *row = &boxes[b].rows[r];

          if (lookup_scalar (snapshot, row->target) != NULL)
            g_hash_table_add (refs, GUINT_TO_POINTER (row->target));
          if (lookup_scalar (snapshot, row->key_target) != NULL)
            g_hash_table_add (refs, GUINT_TO_POINTER (row->key_target));
        }
    }
  return n_frames + g_hash_table_size (refs);
}

/* text as one field of a record label: elided, and with the characters
 * records and DOT strings give a meaning escaped */
static void
append_field_text (GString    *out,
                   const char *text,
                   guint       max_chars)
{
  guint n = 0;

  g_assert (out != NULL);

  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL))
    text = "?";
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n == max_chars)
        {
          g_string_append (out, "…");
          break;
        }
      if (c < 0x80 && strchr ("{}|<>\"\\", (char) c) != NULL)
        g_string_append_c (out, '\\');
      if (c < 0x20 || c == 0x7f)
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
}

char *
bench_dot_node_name (const HsLayoutBox *box)
{
  g_return_val_if_fail (box != NULL, NULL);

  /* An object by its ref, which it keeps as long as it lives; a frame by
   * its place in the stack */
  if (box->kind == HS_LAYOUT_BOX_FRAME)
    return g_strdup_printf ("f%u", box->frame);
  return g_strdup_printf ("o%u", box->ref);
}

/* A slot's field: its port and, for a scalar written in place, its value */
static void
append_slot (GString               *label,
             GString               *edges,
             HsLayout              *layout,
             guint                  box,
             char                   port,
             guint                  row,
             guint32                ref,
             const char            *text,
             GHashTable            *scalar_nodes,
             const BenchDotOptions *options)
{
  HsSnapshot *snapshot = hs_layout_get_snapshot (layout);
  const HsObject *scalar = lookup_scalar (snapshot, ref);
  const HsLayoutBox *target;
  g_autofree char *from = NULL;
  guint n_boxes;

  g_assert (label != NULL && edges != NULL);

  g_string_append_printf (label, "<%c%u> ", port, row);
  if (scalar != NULL && !options->every_object)
    {
      append_field_text (label, scalar->repr, options->max_value_chars);
      return;
    }
  append_field_text (label, text, options->max_value_chars);
  if (ref == 0)
    return;
  target = hs_layout_get_object_box (layout, ref);
  from = bench_dot_node_name (&hs_layout_get_boxes (layout, &n_boxes)[box]);
  if (target != NULL)
    {
      g_autofree char *to = bench_dot_node_name (target);

      g_string_append_printf (edges, "  %s:%c%u -> %s;\n", from, port, row, to);
    }
  else if (scalar != NULL)
    {
      /* A scalar the layout wrote in its slot: drawn as a node all the same */
      g_hash_table_add (scalar_nodes, (gpointer) scalar);
      g_string_append_printf (edges, "  %s:%c%u -> o%u;\n", from, port, row, ref);
    }
}

static void
append_box (GString               *nodes,
            GString               *edges,
            HsLayout              *layout,
            guint                  index,
            GHashTable            *scalar_nodes,
            const BenchDotOptions *options)
{
  guint n_boxes;
  const HsLayoutBox *box = &hs_layout_get_boxes (layout, &n_boxes)[index];
  g_autoptr(GString) label = g_string_new (NULL);
  g_autofree char *name = NULL;

  g_assert (index < n_boxes);

  append_field_text (label, box->title, options->max_value_chars);
  if (box->value != NULL && box->kind != HS_LAYOUT_BOX_FRAME)
    {
      g_string_append_c (label, '|');
      append_field_text (label, box->value, options->max_value_chars);
    }
  for (guint r = 0; r < box->n_rows; r++)
    {
      const HsLayoutRow *row = &box->rows[r];
      const char *text;

      g_string_append (label, "|{");
      switch (row->kind)
        {
        case HS_LAYOUT_ROW_ELISION:
          g_string_append_printf (label, "… %" G_GUINT64_FORMAT " more", row->hidden);
          break;

        case HS_LAYOUT_ROW_PAIR:
          append_slot (label, edges, layout, index, 'k', r, row->key_target, row->value,
                       scalar_nodes, options);
          g_string_append_c (label, '|');
          append_slot (label, edges, layout, index, 'v', r, row->target, NULL, scalar_nodes, options);
          break;

        case HS_LAYOUT_ROW_SLOT:
        default:
          /* An index or a name; a set's rows say their member, which is
           * all they say when the member is written in its slot */
          text = row->value != NULL ? row->value : row->label;
          if (text != NULL && (row->value == NULL || options->every_object
                               || lookup_scalar (hs_layout_get_snapshot (layout), row->target) == NULL))
            {
              append_field_text (label, text, options->max_value_chars);
              g_string_append_c (label, '|');
            }
          append_slot (label, edges, layout, index, 'v', r, row->target, NULL, scalar_nodes, options);
          break;
        }
      g_string_append_c (label, '}');
    }
  name = bench_dot_node_name (box);
  g_string_append_printf (nodes, "  %s [label=\"%s\"];\n", name, label->str);
}

char *
bench_dot_export (HsLayout              *layout,
                  const BenchDotOptions *options)
{
  g_autoptr(GString) frames = g_string_new (NULL);
  g_autoptr(GString) nodes = g_string_new (NULL);
  g_autoptr(GString) edges = g_string_new (NULL);
  g_autoptr(GHashTable) scalar_nodes = g_hash_table_new (NULL, NULL);
  GString *out = g_string_new (NULL);
  HsSnapshot *snapshot;
  const HsLayoutBox *boxes;
  GHashTableIter iter;
  gpointer key;
  guint n_boxes;
  char size[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (layout != NULL && options != NULL, NULL);

  snapshot = hs_layout_get_snapshot (layout);
  boxes = hs_layout_get_boxes (layout, &n_boxes);
  for (guint b = 0; b < n_boxes; b++)
    {
      if (boxes[b].kind == HS_LAYOUT_BOX_GHOST)
        continue;
      if (boxes[b].kind == HS_LAYOUT_BOX_OBJECT && !options->every_object
          && lookup_scalar (snapshot, boxes[b].ref) != NULL)
        continue;
      append_box (boxes[b].kind == HS_LAYOUT_BOX_FRAME ? frames : nodes, edges, layout, b,
                  scalar_nodes, options);
    }
  g_hash_table_iter_init (&iter, scalar_nodes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const HsObject *o = key;
      g_autoptr(GString) label = g_string_new (NULL);

      append_field_text (label, o->type, options->max_value_chars);
      g_string_append_c (label, '|');
      append_field_text (label, o->repr, options->max_value_chars);
      g_string_append_printf (nodes, "  o%u [label=\"%s\"];\n", o->ref, label->str);
    }

  g_ascii_formatd (size, sizeof size, "%.2f", options->font_size);
  g_string_append_printf (out, "digraph heap {\n"
                               "  rankdir=LR;\n"
                               "  node [shape=record, fontname=\"Sans\", fontsize=%s];\n",
                          size);
  if (frames->len > 0)
    g_string_append_printf (out, "  subgraph frames {\n  rank=min;\n%s  }\n", frames->str);
  g_string_append (out, nodes->str);
  g_string_append (out, edges->str);
  g_string_append (out, "}\n");
  return g_string_free (out, FALSE);
}

static gboolean
parse_pair (const char *text,
            double     *x,
            double     *y)
{
  char *end;

  g_assert (x != NULL && y != NULL);

  if (text == NULL)
    return FALSE;
  *x = g_ascii_strtod (text, &end);
  if (*end != ',')
    return FALSE;
  *y = g_ascii_strtod (end + 1, &end);
  return TRUE;
}

/* "x0,y0,x1,y1", whatever the locale */
static gboolean
parse_bounds (const char *text,
              double     *x0,
              double     *y0,
              double     *x1,
              double     *y1)
{
  const char *comma;

  g_assert (x0 != NULL && y0 != NULL && x1 != NULL && y1 != NULL);

  if (!parse_pair (text, x0, y0))
    return FALSE;
  comma = strchr (strchr (text, ',') + 1, ',');
  return comma != NULL && parse_pair (comma + 1, x1, y1);
}

static BenchPoint
read_point (JsonArray *points,
            guint      i)
{
  JsonArray *p;

  g_assert (points != NULL);

  p = json_array_get_array_element (points, i);
  if (p == NULL || json_array_get_length (p) < 2)
    return (BenchPoint) { NAN, NAN };
  return (BenchPoint) { json_array_get_double_element (p, 0), json_array_get_double_element (p, 1) };
}

/* The edge's splines: _draw_ ops "b"/"B", 1 + 3n control points each,
 * then on to its arrowhead's tip */
static void
read_path (JsonObject *edge,
           BenchPath  *path)
{
  JsonArray *ops;
  const char *pos;
  BenchPoint tip;

  g_assert (edge != NULL && path != NULL);

  if (!json_object_has_member (edge, "_draw_"))
    return;
  ops = json_object_get_array_member (edge, "_draw_");
  for (guint i = 0; ops != NULL && i < json_array_get_length (ops); i++)
    {
      JsonObject *op = json_array_get_object_element (ops, i);
      const char *name = op != NULL ? json_object_get_string_member_with_default (op, "op", "") : "";
      JsonArray *points;
      guint n;

      if (!g_str_equal (name, "b") && !g_str_equal (name, "B"))
        continue;
      points = json_object_get_array_member (op, "points");
      n = points != NULL ? json_array_get_length (points) : 0;
      bench_path_break (path);
      for (guint k = 0; k + 3 < n; k += 3)
        bench_path_add_cubic (path, read_point (points, k), read_point (points, k + 1),
                              read_point (points, k + 2), read_point (points, k + 3));
    }
  /* The spline stops where the arrowhead starts; the arrow goes on to the
   * head's tip ("e,x,y" in pos), as ours run on to their box */
  pos = json_object_get_string_member_with_default (edge, "pos", NULL);
  if (pos != NULL && g_str_has_prefix (pos, "e,") && parse_pair (pos + 2, &tip.x, &tip.y))
    bench_path_add_point (path, tip);
}

/* Lowers *smallest to the size of every font an object's drawing
 * operations (_draw_, _ldraw_, _hldraw_, …) set */
static void
read_fonts (JsonObject *object,
            double     *smallest)
{
  g_autoptr(GList) members = NULL;

  g_assert (object != NULL && smallest != NULL);

  members = json_object_get_members (object);
  for (const GList *m = members; m != NULL; m = m->next)
    {
      JsonNode *node = json_object_get_member (object, m->data);
      JsonArray *ops;

      if (!g_str_has_prefix (m->data, "_") || !g_str_has_suffix (m->data, "draw_") || !JSON_NODE_HOLDS_ARRAY (node))
        continue;
      ops = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (ops); i++)
        {
          JsonNode *op_node = json_array_get_element (ops, i);
          JsonObject *op = JSON_NODE_HOLDS_OBJECT (op_node) ? json_node_get_object (op_node) : NULL;
          JsonNode *size;

          if (op == NULL || !g_str_equal (json_object_get_string_member_with_default (op, "op", ""), "F"))
            continue;
          size = json_object_get_member (op, "size");
          if (size != NULL && JSON_NODE_HOLDS_VALUE (size) && json_node_get_double (size) > 0)
            *smallest = MIN (*smallest, json_node_get_double (size));
        }
    }
}

BenchDotPicture *
bench_dot_picture_read_json (const char  *json,
                             gssize       length,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(BenchDotPicture) picture = g_new0 (BenchDotPicture, 1);
  JsonObject *root;
  JsonArray *objects, *edges;
  double x0, y0, x1, y1;

  g_return_val_if_fail (json != NULL, NULL);

  picture->boxes = g_array_new (FALSE, TRUE, sizeof (BenchRect));
  picture->names = g_ptr_array_new_with_free_func (g_free);
  picture->paths = g_array_new (FALSE, FALSE, sizeof (BenchPath));
  if (!json_parser_load_from_data (parser, json, length, error))
    return NULL;
  root = json_parser_get_root (parser) != NULL && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
         ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  if (root == NULL || !parse_bounds (json_object_get_string_member_with_default (root, "bb", NULL), &x0, &y0, &x1, &y1))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "dot's JSON has no graph with a bounding box");
      return NULL;
    }
  picture->left = x0;
  picture->top = y1;
  picture->width = x1 - x0;
  picture->height = y1 - y0;
  picture->smallest_text = INFINITY;
  read_fonts (root, &picture->smallest_text);

  objects = json_object_has_member (root, "objects") ? json_object_get_array_member (root, "objects") : NULL;
  for (guint i = 0; objects != NULL && i < json_array_get_length (objects); i++)
    {
      JsonObject *o = json_array_get_object_element (objects, i);
      gint64 gvid = json_object_get_int_member_with_default (o, "_gvid", -1);
      const char *width = json_object_get_string_member_with_default (o, "width", NULL);
      const char *height = json_object_get_string_member_with_default (o, "height", NULL);
      double x, y, w, h;

      if (gvid < 0 || gvid > G_MAXINT || width == NULL || height == NULL
          || !parse_pair (json_object_get_string_member_with_default (o, "pos", NULL), &x, &y))
        continue;
      w = g_ascii_strtod (width, NULL) * 72;
      h = g_ascii_strtod (height, NULL) * 72;
      if ((guint) gvid >= picture->boxes->len)
        {
          g_array_set_size (picture->boxes, gvid + 1);
          g_ptr_array_set_size (picture->names, gvid + 1);
        }
      g_array_index (picture->boxes, BenchRect, gvid) = (BenchRect) { x - w / 2, y - h / 2, w, h };
      g_free (g_ptr_array_index (picture->names, gvid));
      g_ptr_array_index (picture->names, gvid) = g_strdup (json_object_get_string_member_with_default (o, "name", ""));
      read_fonts (o, &picture->smallest_text);
      picture->n_nodes++;
    }

  edges = json_object_has_member (root, "edges") ? json_object_get_array_member (root, "edges") : NULL;
  for (guint i = 0; edges != NULL && i < json_array_get_length (edges); i++)
    {
      JsonObject *e = json_array_get_object_element (edges, i);
      BenchPath path;

      /* such as the ones memory_graph adds to keep a rank in order */
      if (strstr (json_object_get_string_member_with_default (e, "style", ""), "invis") != NULL)
        continue;
      read_fonts (e, &picture->smallest_text);
      bench_path_init (&path, json_object_get_int_member_with_default (e, "tail", G_MAXUINT),
                       json_object_get_int_member_with_default (e, "head", G_MAXUINT));
      read_path (e, &path);
      g_array_append_val (picture->paths, path);
    }
  /* No text at all: Graphviz's default size */
  if (isinf (picture->smallest_text))
    picture->smallest_text = 14;
  return g_steal_pointer (&picture);
}

BenchDotPicture *
bench_dot_layout (const char  *dot_program,
                  const char  *dot_text,
                  GError     **error)
{
  g_autoptr(GSubprocess) dot = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_return_val_if_fail (dot_program != NULL && dot_text != NULL, NULL);

  dot = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                          | G_SUBPROCESS_FLAGS_STDERR_PIPE, error, dot_program, "-Tjson", NULL);
  if (dot == NULL || !g_subprocess_communicate_utf8 (dot, dot_text, NULL, &out, &err, error))
    return NULL;
  if (!g_subprocess_get_successful (dot))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed: %s", dot_program, err);
      return NULL;
    }
  return bench_dot_picture_read_json (out, -1, error);
}

void
bench_dot_picture_free (BenchDotPicture *picture)
{
  if (picture == NULL)
    return;
  for (guint i = 0; picture->paths != NULL && i < picture->paths->len; i++)
    bench_path_clear (&g_array_index (picture->paths, BenchPath, i));
  g_clear_pointer (&picture->paths, g_array_unref);
  g_clear_pointer (&picture->boxes, g_array_unref);
  g_clear_pointer (&picture->names, g_ptr_array_unref);
  g_free (picture);
}

guint
bench_dot_count_layout_crossings (HsLayout *layout)
{
  const HsLayoutBox *boxes;
  const HsLayoutEdge *edges;
  g_autofree BenchRect *rects = NULL;
  g_autofree BenchPath *paths = NULL;
  guint n_boxes, n_edges, crossings;

  g_return_val_if_fail (layout != NULL, 0);

  boxes = hs_layout_get_boxes (layout, &n_boxes);
  edges = hs_layout_get_edges (layout, &n_edges);
  rects = g_new (BenchRect, n_boxes + 1);
  for (guint b = 0; b < n_boxes; b++)
    rects[b] = (BenchRect) { boxes[b].rect.x, boxes[b].rect.y, boxes[b].rect.width, boxes[b].rect.height };
  paths = g_new (BenchPath, n_edges + 1);
  for (guint e = 0; e < n_edges; e++)
    {
      const HsLayoutEdge *edge = &edges[e];

      bench_path_init (&paths[e], edge->source, edge->target_box);
      if (edge->path == NULL || edge->n_curves == 0)
        bench_path_add_cubic (&paths[e], (BenchPoint) { edge->x[0], edge->y[0] }, (BenchPoint) { edge->x[1], edge->y[1] },
                              (BenchPoint) { edge->x[2], edge->y[2] }, (BenchPoint) { edge->x[3], edge->y[3] });
      for (guint c = 0; edge->path != NULL && c < edge->n_curves; c++)
        {
          const HsPoint *p = &edge->path[3 * c];

          bench_path_add_cubic (&paths[e], (BenchPoint) { p[0].x, p[0].y }, (BenchPoint) { p[1].x, p[1].y },
                                (BenchPoint) { p[2].x, p[2].y }, (BenchPoint) { p[3].x, p[3].y });
        }
    }
  crossings = bench_count_crossings (paths, n_edges, rects, n_boxes);
  for (guint e = 0; e < n_edges; e++)
    bench_path_clear (&paths[e]);
  return crossings;
}
