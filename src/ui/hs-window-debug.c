/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * HsWindow's frame timing, for benchmarks/window: with HEAPSCOPE_BENCH set,
 * the window has an action "bench-step" that moves to a step the way the
 * learner does and times it from the action to the frame presented with
 * that step drawn, read off the frame clock's after-paint.  Its state
 * says what was measured; over D-Bus, org.gtk.Actions reports it.
 * "bench-history" selects a variable at the step shown and times the
 * inspector's reading of its object's history, in a thread, with the
 * longest the main loop went without turning meanwhile.
 */
#define G_LOG_DOMAIN "heapscope-window-debug"

#include "config.h"

#include <time.h>

#include "hs-window-private.h"

/* The state: (serial, busy, n_steps, step, draw_us, cpu_us, action_us,
 * layout_us, paint_us, frames, document), draw_us -1 until a frame
 * showed the step; cpu_us is the main thread's CPU time over the same
 * span, which means something on a loaded machine where the wall time
 * mostly waits for a core; of it, action_us went to the action itself
 * (the window taking the step), layout_us to the frame clock's layout
 * phases (size requests and allocations) and paint_us to its paint
 * phases (snapshots and rendering); frames counts the frames the clock
 * began from the action to the one that showed the step (1: the first
 * frame after the action drew it; more: a frame went by that still showed
 * the step before); document is the name in the title, so that a
 * benchmark runs the file it opened once it has loaded. */
#define STATE_TYPE "(ubuuxxxxxus)"

typedef struct
{
  HsWindow *window;
  gulong    after_paint;
  gulong    phase_handlers[3];
  gint64    phase_started;
  gint64    layout_done;
  guint     serial;
  guint     target;
  gint64    started;
  gint64    started_cpu;
  gint64    draw_us;
  gint64    cpu_us;
  gint64    action_us;
  gint64    layout_us;
  gint64    paint_us;
  guint     frames;
} BenchState;

/* The main thread's CPU time: the bench-step action and the frame clock
 * both run on it. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
publish (BenchState *bench)
{
  GAction *action;

  g_assert (bench != NULL);

  action = g_action_map_lookup_action (G_ACTION_MAP (bench->window), "bench-step");
  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new (STATE_TYPE, bench->serial, (gboolean) bench->window->busy,
                                            bench->window->n_steps, bench->window->step,
                                            bench->draw_us, bench->cpu_us,
                                            bench->action_us, bench->layout_us, bench->paint_us,
                                            bench->frames,
                                            hs_window_get_display_name (bench->window)));
}

static void
stop_watching (BenchState *bench)
{
  GdkFrameClock *clock;

  g_assert (bench != NULL);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench->window));
  if (bench->after_paint != 0 && clock != NULL)
    g_signal_handler_disconnect (clock, bench->after_paint);
  bench->after_paint = 0;
  for (guint i = 0; i < G_N_ELEMENTS (bench->phase_handlers); i++)
    {
      if (bench->phase_handlers[i] != 0 && clock != NULL)
        g_signal_handler_disconnect (clock, bench->phase_handlers[i]);
      bench->phase_handlers[i] = 0;
    }
}

/* GTK's own layout and paint handlers were connected to the clock when
 * the window was realized, so these run after them: "before-paint" marks
 * the start of a frame's work, "layout" the end of its update and layout
 * phases (tick callbacks, size requests and allocations; emitted only
 * when some widget asked for them) and "paint" the end of its paint
 * phase (snapshots and rendering). */
static void
before_paint_cb (GdkFrameClock *clock,
                 BenchState    *bench)
{
  g_assert (bench != NULL);

  bench->frames++;
  bench->phase_started = bench->layout_done = thread_cpu_us ();
}

static void
layout_cb (GdkFrameClock *clock,
           BenchState    *bench)
{
  g_assert (bench != NULL);

  bench->layout_done = thread_cpu_us ();
}

static void
paint_cb (GdkFrameClock *clock,
          BenchState    *bench)
{
  g_assert (bench != NULL);

  bench->layout_us += bench->layout_done - bench->phase_started;
  bench->paint_us += thread_cpu_us () - bench->layout_done;
}

/* The frame just presented shows the step once the graph holds its
 * layout (an animated move shows its first frame of the step). */
static void
after_paint_cb (GdkFrameClock *clock,
                HsWindow      *self)
{
  BenchState *bench = g_object_get_data (G_OBJECT (self), "hs-bench");
  HsLayout *layout;
  HsSnapshot *shown;

  g_assert (bench != NULL);

  layout = hs_graph_view_get_layout (self->graph_view);
  shown = layout != NULL ? hs_layout_get_snapshot (layout) : NULL;

  if (shown == NULL || hs_snapshot_get_index (shown) != bench->target)
    {
      gtk_widget_queue_draw (GTK_WIDGET (bench->window->graph_view));
      return;
    }
  bench->draw_us = g_get_monotonic_time () - bench->started;
  bench->cpu_us = thread_cpu_us () - bench->started_cpu;
  stop_watching (bench);
  publish (bench);
}

static void
bench_step_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  BenchState *bench = g_object_get_data (G_OBJECT (self), "hs-bench");
  const char *how = g_variant_get_string (param, NULL);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  guint64 n;

  if (clock == NULL || self->trace == NULL || self->n_steps == 0)
    return;

  stop_watching (bench);
  bench->serial++;
  bench->draw_us = -1;
  bench->cpu_us = -1;
  bench->layout_us = bench->paint_us = 0;
  bench->frames = 0;
  bench->started = g_get_monotonic_time ();
  bench->started_cpu = thread_cpu_us ();

  /* each way the learner moves: a key's action, or the slider dragged */
  if (g_str_equal (how, "next") || g_str_equal (how, "last") || g_str_equal (how, "first"))
    {
      const char *name = g_str_equal (how, "next") ? "step-forward"
                         : g_str_equal (how, "last") ? "last-step" : "first-step";

      if (g_action_group_get_action_enabled (G_ACTION_GROUP (self), name))
        g_action_group_activate_action (G_ACTION_GROUP (self), name, NULL);
    }
  else if (g_ascii_string_to_unsigned (how, 10, 0, G_MAXUINT, &n, NULL))
    gtk_adjustment_set_value (self->timeline_adjustment, MIN (n, self->n_steps - 1));
  else
    {
      g_warning ("bench-step: “%s” is not next, last, first or a step", how);
      return;
    }

  bench->target = self->step;
  bench->action_us = thread_cpu_us () - bench->started_cpu;
  bench->phase_handlers[0] = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), bench);
  bench->phase_handlers[1] = g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), bench);
  bench->phase_handlers[2] = g_signal_connect (clock, "paint", G_CALLBACK (paint_cb), bench);
  bench->after_paint = g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb), self, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self->graph_view));
  publish (bench);
}

static void
busy_changed_cb (HsWindow   *self,
                 GParamSpec *pspec,
                 BenchState *bench)
{
  g_assert (HS_IS_WINDOW (self));

  publish (bench);
}

/* (serial, history_us, longest_gap_us, n_steps): -1 until read */
#define HISTORY_STATE_TYPE "(uxxu)"

typedef struct
{
  HsWindow *window;
  guint     serial;
  guint     tick;
  gint64    started;
  gint64    last_tick;
  gint64    longest_gap;
} HistoryBench;

static void
publish_history (HistoryBench *bench,
                 gint64        history_us,
                 guint         n_steps)
{
  GAction *action;

  g_assert (bench != NULL);

  action = g_action_map_lookup_action (G_ACTION_MAP (bench->window), "bench-history");
  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new (HISTORY_STATE_TYPE, bench->serial, history_us,
                                            bench->longest_gap, n_steps));
}

static gboolean
history_tick_cb (gpointer user_data)
{
  HistoryBench *bench = user_data;
  HsObjectHistory *history;
  gint64 now = g_get_monotonic_time ();

  g_assert (bench != NULL);

  bench->longest_gap = MAX (bench->longest_gap, now - bench->last_tick);
  bench->last_tick = now;
  history = hs_inspector_get_history (bench->window->inspector);
  if (history == NULL)
    return G_SOURCE_CONTINUE;
  bench->tick = 0;
  publish_history (bench, now - bench->started, hs_object_history_get_n_steps (history));
  return G_SOURCE_REMOVE;
}

static void
bench_history_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  HistoryBench *bench = g_object_get_data (G_OBJECT (self), "hs-bench-history");

  g_clear_handle_id (&bench->tick, g_source_remove);
  bench->serial++;
  bench->longest_gap = 0;
  bench->started = bench->last_tick = g_get_monotonic_time ();
  publish_history (bench, -1, 0);
  hs_graph_view_unselect_all (self->graph_view);
  if (!hs_graph_view_select_variable (self->graph_view, g_variant_get_string (param, NULL), FALSE))
    {
      g_warning ("bench-history: no variable “%s” at this step", g_variant_get_string (param, NULL));
      return;
    }
  bench->tick = g_timeout_add (5, history_tick_cb, bench);
}

static void
history_bench_free (gpointer data)
{
  HistoryBench *bench = data;

  g_clear_handle_id (&bench->tick, g_source_remove);
  g_free (bench);
}

void
hs_window_init_debug (HsWindow *self)
{
  g_autoptr(GSimpleAction) action = NULL;
  BenchState *bench;

  g_return_if_fail (HS_IS_WINDOW (self));

  if (g_getenv ("HEAPSCOPE_BENCH") == NULL)
    return;

  bench = g_new0 (BenchState, 1);
  bench->window = self;
  bench->draw_us = -1;
  bench->cpu_us = -1;
  g_object_set_data_full (G_OBJECT (self), "hs-bench", bench, g_free);

  action = g_simple_action_new_stateful ("bench-step", G_VARIANT_TYPE_STRING,
                                         g_variant_new (STATE_TYPE, 0, FALSE, 0, 0, (gint64) -1, (gint64) -1,
                                                         (gint64) 0, (gint64) 0, (gint64) 0, 0, ""));
  g_signal_connect (action, "activate", G_CALLBACK (bench_step_action), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
  g_signal_connect (self, "notify::busy", G_CALLBACK (busy_changed_cb), bench);
  g_signal_connect_swapped (self->window_title, "notify::title", G_CALLBACK (publish), bench);

  {
    g_autoptr(GSimpleAction) history_action = NULL;
    HistoryBench *history = g_new0 (HistoryBench, 1);

    history->window = self;
    g_object_set_data_full (G_OBJECT (self), "hs-bench-history", history, history_bench_free);
    history_action = g_simple_action_new_stateful ("bench-history", G_VARIANT_TYPE_STRING,
                                                   g_variant_new (HISTORY_STATE_TYPE, 0, (gint64) -1, (gint64) 0, 0));
    g_signal_connect (history_action, "activate", G_CALLBACK (bench_history_action), self);
    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (history_action));
  }
}
