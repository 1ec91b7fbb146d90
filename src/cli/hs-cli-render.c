/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-cli"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>

#include "hs-cli.h"
#include "hs-cli-common.h"
#include "hs-cli-handout.h"
#include "hs-layout.h"
#include "hs-renderer.h"
#include "hs-source-hints.h"
#include "hs-runner.h"
#include "hs-trace-reader.h"

static gboolean
parse_step (const char *text,
            guint       n_steps,
            guint      *step)
{
  guint64 value;

  if (text == NULL || g_str_equal (text, "last"))
    {
      *step = n_steps - 1;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    return FALSE;
  *step = (guint) value;
  return TRUE;
}

static gboolean
is_saved_run (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, ".json");
}

/* A saved run is read, not run: it may come from anyone, and the
 * reader's limits and checks say why one is refused. */
static HsTrace *
read_saved_run (const char  *path,
                char       **source,
                char       **title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, &error);
  HsTrace *trace = NULL;

  if (stream != NULL)
    trace = hs_trace_read_json_program (G_INPUT_STREAM (stream), title, source, NULL, &error);
  if (trace == NULL)
    g_printerr (_("heapscope: cannot open %s: %s\n"), path, error->message);
  return trace;
}

static int
write_handout (HsTrace               *trace,
               const char            *program,
               const char            *saved_source,
               const char            *saved_title,
               const HsRenderOptions *render,
               gboolean               every_object,
               const char            *filename)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsLesson) lesson = NULL;
  g_autofree char *source = g_strdup (saved_source);
  g_autofree char *title = NULL;

  g_assert (HS_IS_TRACE (trace));

  if (is_saved_run (program))
    {
      if (source == NULL)
        {
          g_printerr (_("heapscope: %s does not hold the program’s text, which a handout shows\n"), program);
          return 1;
        }
      title = g_strdup (saved_title != NULL ? saved_title : program);
    }
  else
    {
      /* The program ran from this same file a moment ago. */
      if (!g_file_get_contents (program, &source, NULL, &error))
        {
          g_printerr ("heapscope: %s\n", error->message);
          return 1;
        }
      lesson = hs_cli_handout_find_lesson (program, source, &error);
      if (error != NULL)
        {
          g_printerr (_("heapscope: the lesson beside %s cannot be read, so the handout has no notes: %s\n"),
                      program, error->message);
          g_clear_error (&error);
        }
      title = g_path_get_basename (program);
    }
  if (!hs_cli_handout_write (trace, title, source, lesson, render, every_object, filename, &error))
    {
      g_printerr ("heapscope: %s\n", error->message);
      return 1;
    }
  return 0;
}

int
hs_cli_render (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRunner) runner = NULL;
  g_autoptr(HsTrace) trace = NULL;
  g_autoptr(HsLayout) layout = NULL;
  g_autoptr(HsLayoutHolders) holders = NULL;
  g_autoptr(GHashTable) growing = NULL;
  HsLayoutOptions layout_options;
  g_autofree char *output = NULL;
  g_autofree char *all_steps = NULL;
  g_autofree char *step_text = NULL;
  g_autofree char *saved_source = NULL;
  g_autofree char *saved_title = NULL;
  gboolean dark = FALSE;
  gboolean every_object = FALSE;
  gboolean hidden_holders = FALSE;
  gboolean handout = FALSE;
  double scale = 2;
  HsRunOptions options;
  HsRenderOptions render;
  HsCliRunArgs run_args = { 0 };
  guint n_steps, step = 0, first, last;
  const char *extension = ".png";
  GOptionEntry entries[] = {
    { "step", 0, 0, G_OPTION_ARG_STRING, &step_text, N_("Draw step N, counted from 0 as in “heapscope trace”, or the last one (default)"), N_("N|last") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the picture to OUT: .png, .svg or .pdf"), N_("OUT") },
    { "all-steps", 0, 0, G_OPTION_ARG_FILENAME, &all_steps, N_("Write every step: one page each into OUT.pdf (a handout with the code), or one numbered picture each into DIR"), N_("OUT.pdf|DIR") },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, N_("Use the dark palette"), NULL },
    { "every-object", 0, 0, G_OPTION_ARG_NONE, &every_object, N_("Draw every object as a box, scalars too, rather than values inside their slots"), NULL },
    { "hidden-holders", 0, 0, G_OPTION_ARG_NONE, &hidden_holders, N_("Draw boxes for the references the graph does not draw, under the picture, as Show Hidden Holders does"), NULL },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale, N_("Pixels per point in PNG files (default 2)"), N_("S") },
    { NULL }
  };

  context = hs_cli_context_new (_("FILE.py [--] [ARGUMENT…] | SAVED.json — draw the heap of a Python program, or of a saved run"),
                                entries, &run_args);

  hs_cli_split_dashes (&run_args, &argc, argv);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return hs_cli_usage_error (context, error->message);
  if (!hs_cli_take_program (&run_args, argc, argv))
    return hs_cli_usage_error (context, _("Expected a Python file (then its arguments) or a saved run"));
  if (output == NULL && all_steps == NULL)
    return hs_cli_usage_error (context, _("Give -o OUT or --all-steps DIR"));
  if (all_steps != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (all_steps, -1);

      handout = g_str_has_suffix (lower, ".pdf");
    }
  if (handout && output != NULL)
    return hs_cli_usage_error (context, _("--all-steps OUT.pdf writes one file: leave out -o"));
  if (handout && hidden_holders)
    return hs_cli_usage_error (context, _("--hidden-holders draws pictures, not a handout: use -o or --all-steps DIR"));
  if (all_steps != NULL && step_text != NULL)
    return hs_cli_usage_error (context, _("--step and --all-steps cannot be used together"));
  if (step_text != NULL && !g_str_equal (step_text, "last")
      && !g_ascii_string_to_unsigned (step_text, 10, 0, G_MAXUINT, NULL, NULL))
    return hs_cli_usage_error (context, _("--step takes a number or “last”"));
  if (!(scale > 0 && scale <= 16))
    return hs_cli_usage_error (context, _("--scale must be between 0 and 16"));
  if (output != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (output, -1);

      if (!g_str_has_suffix (lower, ".png") && !g_str_has_suffix (lower, ".svg") && !g_str_has_suffix (lower, ".pdf"))
        return hs_cli_usage_error (context, _("The output must end in .png, .svg or .pdf"));
      /* With --all-steps, -o only chooses the format */
      extension = strrchr (output, '.');
    }
  if (!hs_cli_resolve_run_options (&run_args, &options, &error))
    return hs_cli_usage_error (context, error->message);
  if (is_saved_run (run_args.program) && run_args.program_args[0] != NULL)
    return hs_cli_usage_error (context, _("A saved run takes no arguments"));
  if (is_saved_run (run_args.program))
    {
      trace = read_saved_run (run_args.program, &saved_source, &saved_title);
      if (trace == NULL)
        return 1;
    }
  else
    {
      if (!hs_cli_check_readable (run_args.program))
        return 1;
      runner = hs_cli_runner_new (&run_args, &error);
      if (runner == NULL)
        return hs_cli_usage_error (context, error->message);
      trace = hs_runner_run_sync (runner, run_args.program, &options, &error);
      if (trace == NULL)
        {
          g_printerr (_("heapscope: cannot start the Python runtime: %s\n"), error->message);
          return 3;
        }
    }
  n_steps = hs_trace_get_n_steps (trace);
  if (n_steps == 0)
    {
      g_printerr (_("heapscope: %s ran no steps to draw\n"), run_args.program);
      return 1;
    }
  parse_step (step_text, n_steps, &step);
  if (step >= n_steps)
    {
      g_printerr (_("heapscope: there is no step %u; the trace has steps 0 to %u\n"), step, n_steps - 1);
      return 2;
    }

  /* a program whose subject is identity asks for every object */
  if (!every_object)
    {
      g_autofree char *source = NULL;

      if (saved_source == NULL && !is_saved_run (run_args.program))
        g_file_get_contents (run_args.program, &source, NULL, NULL);
      every_object = hs_source_wants_every_object (saved_source != NULL ? saved_source : source);
    }

  hs_render_options_init (&render);
  render.palette = dark ? HS_RENDER_PALETTE_DARK : HS_RENDER_PALETTE_LIGHT;
  render.scale = scale;

  if (handout)
    return write_handout (trace, run_args.program, saved_source, saved_title, &render, every_object, all_steps);

  if (all_steps != NULL && g_mkdir_with_parents (all_steps, 0777) != 0)
    {
      int saved = errno;

      g_printerr (_("heapscope: cannot create %s: %s\n"), all_steps, g_strerror (saved));
      return 1;
    }

  /* The run is over: only objects that grow keep room to grow into */
  hs_layout_options_init (&layout_options);
  layout_options.growing = growing = hs_trace_ref_growing (trace);
  layout_options.every_object = every_object;

  /* One step is laid out on its own, so that drawing step N costs the same
   * whatever N is, and its picture is sized to what the step holds.  A
   * series of steps is laid out each after the one before it, so that
   * objects keep their places from picture to picture. */
  first = all_steps != NULL ? 0 : step;
  last = all_steps != NULL ? n_steps - 1 : step;
  for (guint i = first; i <= last; i++)
    {
      g_autoptr(HsSnapshot) snapshot = hs_trace_get_snapshot (trace, i);
      /* what the line changed and freed, as the window shows it after a jump */
      g_autoptr(HsSnapshot) before = i > 0 ? hs_trace_get_snapshot (trace, i - 1) : NULL;
      HsLayout *next;

      layout_options.step_before = before;
      next = hs_layout_new (snapshot, layout, &layout_options);
      g_clear_pointer (&layout, hs_layout_unref);
      layout = next;

      g_clear_pointer (&holders, hs_layout_holders_free);
      if (hidden_holders)
        holders = hs_layout_holders_new (layout);
      render.holders = holders;
      if (all_steps != NULL)
        {
          g_autofree char *name = g_strdup_printf ("step-%05u%s", i, extension);
          g_autofree char *path = g_build_filename (all_steps, name, NULL);

          if (!hs_renderer_export (layout, &render, path, &error))
            {
              g_printerr ("heapscope: %s\n", error->message);
              return 1;
            }
        }
    }

  if (output != NULL && all_steps == NULL && !hs_renderer_export (layout, &render, output, &error))
    {
      g_printerr ("heapscope: %s\n", error->message);
      return 1;
    }
  return 0;
}
