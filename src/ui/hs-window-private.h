/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the files of HsWindow share: hs-window.c builds the window and
 * shows a step, hs-window-actions.c holds the file and view commands and
 * hs-window-runtime.c runs the snippet and the heap commands off the main
 * thread, hs-window-output.c keeps the output pane.
 */
#pragma once

#include <gtksourceview/gtksource.h>

#include "hs-command-dialog.h"
#include "hs-graph-view.h"
#include "hs-inspector.h"
#include "hs-interpreter-chooser.h"
#include "hs-lesson-panel.h"
#include "hs-runner.h"
#include "hs-window.h"

G_BEGIN_DECLS

typedef struct
{
  guint    step;
  gboolean is_stderr;
  GBytes  *bytes;
} HsOutputSegment;

typedef struct
{
  char  *source;
  guint  first_line;
} HsLiveStatement;

struct _HsWindow
{
  AdwApplicationWindow  parent_instance;

  AdwWindowTitle       *window_title;
  GtkStack             *run_stack;
  GtkSpinner           *spinner;
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *command_bar;
  GtkRevealer          *header_revealer; /* hidden in full screen (hs-window-presentation.c) */
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkInfoBar           *draft_bar;      /* offers pending_draft */
  AdwFlap              *editor_flap;
  AdwFlap              *inspector_flap;
  GtkSourceView        *source_view;
  GtkSourceBuffer      *buffer;
  /* the modules of the program's own that its steps ran (hs-window-files.c) */
  GtkWidget            *file_bar;
  GtkDropDown          *file_switcher;
  GtkLabel             *file_note;
  GtkStack             *file_stack;
  GtkSourceView        *file_view;
  GtkSourceBuffer      *file_buffer;
  GtkStringList        *file_names;      /* the files, main first */
  GtkStringList        *file_labels;     /* as the switcher shows them */
  char                 *shown_file;
  char                 *step_file;       /* the module the step runs, or NULL */
  guint                 step_file_line;
  gboolean              step_file_is_other;
  gboolean              updating_files;
  char                 *program_dir;     /* the folder the last run ran in */
  GHashTable           *module_breakpoints; /* file → GArray of its lines (hs-window-playback.c) */
  /* what the program is given (hs-window-arguments.c) */
  char                 *run_arguments;   /* as typed, split like a shell's */
  char                 *run_input;
  struct _HsArgumentsDialog *arguments_dialog;
  GtkSourceView        *console_view;
  GtkSourceBuffer      *console_buffer;
  GtkLabel             *console_placeholder;
  GtkLabel             *console_error;   /* why the last statement was not added */
  GtkWidget            *console_send;
  GtkTextView          *output_view;
  GtkLabel             *output_status;
  GtkWidget            *graph_box;       /* the graph area the inspector folds over: its width-request folds the editor */
  GtkStack             *graph_stack;
  AdwStatusPage        *empty_page;
  GtkWidget            *zoom_box;
  int                   zoom_box_margin;  /* its margin-end in hs-window.ui, the inspector's width aside */
  int                   allocated_width;  /* the window's, when the zoom buttons last were placed */
  HsGraphView          *graph_view;
  GtkScale             *timeline;
  GtkAdjustment        *timeline_adjustment;
  GtkLabel             *step_label;
  GtkLabel             *last_output_label;
  GtkWidget            *step_box;        /* the step bar: under the graph, or the window while the editor is folded */
  GtkWidget            *editor_toggle;
  HsInspector          *inspector;
  GMenu                *open_menu;
  HsLessonPanel        *lesson_panel;
  GMenu                *lessons_menu;
  HsInterpreterChooser *interpreter_chooser;

  GSettings            *settings;
  gboolean              loading_document; /* hs_window_set_text () is choosing Show Every Object */
  GtkCssProvider       *editor_css;

  /* The document */
  GFile                *file;
  char                 *title;          /* when there is no file */
  HsDraft              *draft;
  HsDraft              *pending_draft;  /* offered when the file opened */
  guint                 draft_source;
  guint                 flaps_source;   /* what follows a flap's fold, set after a layout */
  guint                 appending : 1;  /* the buffer changes because of a heap command */
  guint                 edited_since_run : 1;
  guint                 close_confirmed : 1;

  /* The runtime */
  HsRunner             *runner;
  HsTrace              *trace;
  GPtrArray            *output;         /* HsOutputSegment */
  guint                 output_steps;   /* steps whose output is in output */
  /* The output pane (hs-window-output.c) */
  guint                 output_first;   /* segments [output_first, output_end) are shown */
  guint                 output_end;
  gsize                 output_bytes;   /* their size */
  gsize                 output_lines;   /* and their newlines */
  GBytes               *output_first_bytes; /* theirs, to notice new segments */
  GBytes               *output_last_bytes;
  GArray               *output_offsets; /* where each starts in the pane */
  int                   output_tail;    /* where the trailing output starts, or -1 */
  guint                 arrival_source; /* takes a running program's steps */
  HsTrace              *replaced_trace; /* the runner's before this run */
  /* What the live program ran: the run's file and text, then the console's
   * statements (HsLiveStatement), to run it again without a failed one */
  char                 *live_path;
  char                 *live_text;
  GPtrArray            *live_statements;
  guint                 step;
  guint                 n_steps;
  guint                 busy : 1;
  guint                 stop_requested : 1;
  guint                 updating_timeline : 1;
  char                 *run_dir;
  char                 *last_toast;
  char                 *equality_expr;
  char                 *equality_result;
  HsCommandDialog      *command_dialog;

  /* The interpreter (hs-window-interpreter.c) */
  GStrv                 pythons;        /* versions with a worker */
  char                 *python;         /* the chosen one, NULL with none */
  guint                 rerun_pending : 1;

  /* Moving through time (hs-window-playback.c) */
  guint32               watch_ref;
  guint                 watch_step;     /* where the watch began, to name it */
  guint                 autoplay_tick;
  guint                 scroll_tick;     /* scrolls the editor to the current line, see mark_line() */
  guint                 scroll_frames;
  GCancellable         *playback_search;/* Continue's or run to cursor's, in a thread */
  gint64                autoplay_last;  /* frame time of the last step shown */
  double                autoplay_speed; /* steps per second */

  /* Presentation (hs-window-presentation.c) */
  guint                 presenting : 1;
  guint                 high_contrast : 1;
  guint                 hold_changes : 1;   /* a step forward first hides what it changed */
  guint                 holding : 1;        /* hidden now, until the next press */
  guint                 saved_inspector : 1;
  double                saved_zoom;
  double                saved_readable_px;  /* the graph camera's bounds before */
  double                saved_max_zoom;
  int                   saved_width;    /* the window's size before presenting */
  int                   saved_height;
  int                   saved_graph_width; /* the graph column's width-request */
  guint                 fit_tick;
  int                   fit_width;
  guint                 fit_frames;
};

extern const GActionEntry hs_window_actions[];
extern const gsize hs_window_n_actions;

void          hs_window_load_program_input (HsWindow    *self);
void          hs_window_take_program_input (HsWindow    *self,
                                            HsTrace     *trace);
gboolean      hs_window_prepare_program_input (HsWindow *self,
                                            HsRunOptions *options,
                                            char      ***args,
                                            char       **stdin_path);
void          hs_window_show_arguments    (HsWindow     *self);
void          hs_window_files_init        (HsWindow     *self);
void          hs_window_files_dispose     (HsWindow     *self);
void          hs_window_files_reset       (HsWindow     *self);
const char   *hs_window_files_get_shown   (HsWindow     *self);
gboolean      hs_window_files_show_step   (HsWindow     *self,
                                           HsSnapshot   *snapshot,
                                           guint         line);
void          hs_window_show_step         (HsWindow     *self,
                                           guint         step,
                                           gboolean      animate);
void          hs_window_update_actions    (HsWindow     *self);
void          hs_window_update_timeline   (HsWindow     *self);
void          hs_window_toast             (HsWindow     *self,
                                           const char   *message);
char         *hs_window_dup_text          (HsWindow     *self);
void          hs_window_set_text          (HsWindow     *self,
                                           const char   *text,
                                           GFile        *file,
                                           const char   *title);
void          hs_window_add_line_mark     (HsWindow     *self,
                                           GtkSourceView *view,
                                           const char   *category,
                                           GtkTextIter  *iter);
void          hs_window_mark_exception    (HsWindow     *self,
                                           guint         line);
void          hs_window_set_busy          (HsWindow     *self,
                                           gboolean      busy);
void          hs_window_save_draft_now    (HsWindow     *self);
void          hs_window_discard_draft     (HsWindow     *self);
gboolean      hs_window_restore_pending_draft (HsWindow *self);
void          hs_window_selection_gone    (HsWindow     *self);
void          hs_window_set_console_text  (HsWindow     *self,
                                           const char   *text);
char         *hs_window_dup_console_text  (HsWindow     *self);
/* Shows message under the console until its text changes; NULL hides it. */
void          hs_window_show_console_error (HsWindow    *self,
                                            const char  *message);
void          hs_window_console_activate  (HsWindow     *self);
gboolean      hs_window_find              (HsWindow     *self,
                                           const char   *text);
const char   *hs_window_get_display_name  (HsWindow     *self);

void          hs_window_open_lesson       (HsWindow     *self,
                                           HsLesson     *lesson);

char         *hs_window_describe_status   (HsTrace      *trace);
char         *hs_window_elide_lines       (const char   *text,
                                           gssize        length,
                                           gsize         line_max);

/* hs-window-output.c: the output pane shows the newest output up to the
 * step shown, about this many bytes and lines (at most twice as many) */
#define HS_WINDOW_OUTPUT_SHOWN_MAX   (64 * 1024)
#define HS_WINDOW_OUTPUT_SHOWN_LINES 1000
/* The longest line of program text a label shows, and the output pane */
#define HS_WINDOW_LABEL_MAX          300
#define HS_WINDOW_OUTPUT_LINE_MAX    1000
void          hs_window_init_output       (HsWindow     *self);
void          hs_window_dispose_output    (HsWindow     *self);
void          hs_window_update_output     (HsWindow     *self);

/* hs-window-actions.c */
void          hs_window_save              (HsWindow     *self,
                                           gboolean      save_as,
                                           gboolean      close_after);

/* hs-window-runtime.c */
typedef enum
{
  HS_WINDOW_TAKE_ARRIVED,     /* a run under way fed more steps */
  HS_WINDOW_TAKE_ENDED,       /* the run ended: its status and trailing output show */
  HS_WINDOW_TAKE_FROM_START,  /* a saved run: it opens at its first step */
} HsWindowTake;

void          hs_output_segment_free      (gpointer      segment);
void          hs_live_statement_free      (gpointer      statement);
/* A live run and a saved one reach the window through these two, so that
 * both show the same: the trace, its interpreter, its output per step. */
void          hs_window_adopt_trace       (HsWindow     *self,
                                           HsTrace      *trace);
void          hs_window_take_new_steps    (HsWindow     *self,
                                           HsWindowTake  take);
void          hs_window_report_run        (HsWindow     *self);
void          hs_window_run               (HsWindow     *self);
void          hs_window_stop              (HsWindow     *self);
void          hs_window_exec              (HsWindow     *self,
                                           const char   *source,
                                           HsCommandKind kind);
void          hs_window_exec_full         (HsWindow     *self,
                                           const char   *source,
                                           HsCommandKind kind,
                                           const char   *select_first,
                                           const char   *select_second);
void          hs_window_heap_command      (HsWindow     *self,
                                           HsCommandKind kind);
void          hs_window_compare           (HsWindow     *self);
void          hs_window_close_runtime     (HsWindow     *self);
gboolean      hs_window_dup_program       (HsWindow     *self,
                                           char        **path,
                                           char        **text,
                                           GError      **error);

/* hs-window-playback.c */
void          hs_window_init_playback     (HsWindow     *self);
void          hs_window_init_debug        (HsWindow     *self);
void          hs_window_update_playback_actions (HsWindow *self);
void          hs_window_dispose_playback  (HsWindow     *self);
void          hs_window_init_saved        (HsWindow     *self);
void          hs_window_update_saved_actions (HsWindow  *self);
void          hs_window_save_run_async    (HsWindow     *self,
                                           GFile        *file,
                                           GAsyncReadyCallback callback,
                                           gpointer      user_data);
gboolean      hs_window_save_run_finish   (HsWindow     *self,
                                           GAsyncResult *result,
                                           GError      **error);
gboolean      hs_window_get_searching     (HsWindow     *self);
void          hs_window_reset_playback    (HsWindow     *self);
void          hs_window_toggle_breakpoint (HsWindow     *self,
                                           const char   *file,
                                           guint         line);
guint        *hs_window_dup_breakpoints   (HsWindow     *self,
                                           const char   *file,
                                           guint        *n_lines);
void          hs_window_mark_breakpoints  (HsWindow     *self);
void          hs_window_forget_breakpoints (HsWindow    *self);
guint32       hs_window_get_watched       (HsWindow     *self);

/* hs-window-presentation.c */
void          hs_window_init_presentation (HsWindow     *self);
void          hs_window_dispose_presentation (HsWindow  *self);
gboolean      hs_window_get_presenting    (HsWindow     *self);
gboolean      hs_window_presentation_key  (HsWindow     *self,
                                           guint         keyval);
void          hs_window_presentation_forward (HsWindow  *self);
void          hs_window_presentation_back (HsWindow     *self);
/* The pointer moved to y in the window: in full screen, the header bar
 * slides in at the top edge and away below it. */
void          hs_window_presentation_pointer (HsWindow  *self,
                                              double     y);

/* hs-window-interpreter.c */
void          hs_window_init_interpreter  (HsWindow     *self);
void          hs_window_dispose_interpreter (HsWindow   *self);
void          hs_window_interpreter_document_changed (HsWindow *self);
void          hs_window_interpreter_document_renamed (HsWindow *self);
void          hs_window_interpreter_offer_compare (HsWindow *self,
                                                   HsLesson *lesson);

/* For tests */
const char   *hs_window_get_python        (HsWindow     *self);
HsTrace      *hs_window_get_trace         (HsWindow     *self);
guint         hs_window_get_step          (HsWindow     *self);
gboolean      hs_window_get_busy          (HsWindow     *self);
HsGraphView  *hs_window_get_graph_view    (HsWindow     *self);
GtkSourceBuffer *hs_window_get_buffer     (HsWindow     *self);
HsCommandDialog *hs_window_get_command_dialog (HsWindow *self);
const char   *hs_window_get_last_toast    (HsWindow     *self);
char         *hs_window_dup_output        (HsWindow     *self);
char         *hs_window_dup_whole_output  (HsWindow     *self);
char         *hs_window_dup_last_output_line (HsWindow  *self);
void          hs_window_copy_output       (HsWindow     *self);
HsLessonPanel *hs_window_get_lesson_panel (HsWindow     *self);

void     hs_window_update_subjects       (HsWindow *self);

G_END_DECLS
