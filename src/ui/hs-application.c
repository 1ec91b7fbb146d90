/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-application"

#include "config.h"

#include <signal.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gtksourceview/gtksource.h>

#include "hs-application.h"
#include "hs-program-input.h"
#include "hs-compare-window.h"
#include "hs-drafts.h"
#include "hs-graph-view.h"
#include "hs-settings.h"
#include "hs-preferences-window.h"
#include "hs-ui-resources.h"
#include "hs-window.h"

#define MAX_RECENT 8

struct _HsApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  GMenu          *recent_menu;
  gulong          recent_changed_id;
  guint           signal_sources[3];  /* hs_application_end_on_signals() */
};

G_DEFINE_FINAL_TYPE (HsApplication, hs_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "run", 'r', 0, G_OPTION_ARG_NONE, NULL,
    N_("Run the snippet as soon as it is open"), NULL },
  { "arg", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Give the program this argument (repeatable; or give them after “FILE.py --”)"), N_("ARGUMENT") },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    NULL, N_("[FILE.py…]") },
  { NULL }
};

HsApplication *
hs_application_new (void)
{
  return g_object_new (HS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/heapscope/Heapscope",
                       NULL);
}

GSettings *
hs_application_get_settings (HsApplication *self)
{
  g_return_val_if_fail (HS_IS_APPLICATION (self), NULL);

  return self->settings;
}

/* A window that still shows what it opened with can take a file instead
 * of opening another window next to it. */
static HsWindow *
find_pristine_window (HsApplication *self)
{
  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (HS_IS_WINDOW (l->data) && hs_window_is_pristine (l->data))
      return l->data;
  return NULL;
}

static HsWindow *
open_file (HsApplication *self,
           GFile         *file,
           gboolean       run)
{
  HsWindow *window = find_pristine_window (self);

  g_assert (HS_IS_APPLICATION (self));
  g_assert (G_IS_FILE (file));

  if (window == NULL)
    window = hs_window_new (self);
  /* A saved run opens as it ran: nothing is run again. */
  if (hs_file_is_saved_run (file))
    hs_window_open_trace (window, file);
  else
    hs_window_load_file (window, file, run);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
hs_application_activate (GApplication *app)
{
  HsApplication *self = (HsApplication *) app;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GPtrArray) drafts = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  /* Drafts left behind are from a session that did not end cleanly.  An
   * untitled one comes back in its own window; a file's draft is offered
   * when its file opens, so the file is opened. */
  drafts = hs_drafts_list ();
  for (guint i = 0; i < drafts->len; i++)
    {
      HsDraft *draft = g_ptr_array_index (drafts, i);

      if (draft->file != NULL && !hs_draft_id_is_untitled (draft->id))
        open_file (self, draft->file, FALSE);
      else
        {
          HsWindow *restored = hs_window_new (self);

          hs_window_restore_draft (restored, draft);
          gtk_window_present (GTK_WINDOW (restored));
        }
    }

  if (drafts->len == 0)
    gtk_window_present (GTK_WINDOW (hs_window_new (self)));
}

static void
hs_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    open_file (HS_APPLICATION (app), files[i], FALSE);
}

static int
hs_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  HsApplication *self = (HsApplication *) app;
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **paths = NULL;
  g_autofree const char **args = NULL;
  gboolean run = FALSE;

  g_variant_dict_lookup (options, "run", "b", &run);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &paths);
  g_variant_dict_lookup (options, "arg", "^a&s", &args);

  if (paths == NULL || paths[0] == NULL)
    {
      if (run)
        {
          g_application_command_line_printerr (command_line, "%s\n",
                                               _("--run needs a file to run"));
          return 2;
        }
      g_application_activate (app);
      return 0;
    }

  if (args != NULL && paths[1] != NULL)
    {
      g_application_command_line_printerr (command_line, "%s\n",
                                           _("Arguments go to one program: give one file before “--”"));
      return 2;
    }

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line, paths[i]);

      /* remembered for the file, as the Arguments and Input dialog would */
      if (args != NULL)
        {
          g_autoptr(GString) line = g_string_new (NULL);
          g_autofree char *arguments = NULL;
          g_autofree char *input = NULL;

          for (guint k = 0; args[k] != NULL; k++)
            {
              g_autofree char *quoted = g_shell_quote (args[k]);

              g_string_append_printf (line, k > 0 ? " %s" : "%s", quoted);
            }
          hs_program_input_load (file, &arguments, &input);
          hs_program_input_save (file, line->str, input);
        }
      open_file (self, file, run);
    }
  return 0;
}

static int
compare_recent_info (gconstpointer a,
                     gconstpointer b)
{
  GDateTime *ma = gtk_recent_info_get_modified ((GtkRecentInfo *) a);
  GDateTime *mb = gtk_recent_info_get_modified ((GtkRecentInfo *) b);

  return g_date_time_compare (mb, ma);
}

static void
update_recent_menu (HsApplication *self)
{
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  g_autolist(GtkRecentInfo) items = gtk_recent_manager_get_items (manager);
  guint n = 0;

  g_assert (HS_IS_APPLICATION (self));

  items = g_list_sort (items, compare_recent_info);
  g_menu_remove_all (self->recent_menu);

  for (const GList *l = items; l != NULL && n < MAX_RECENT; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      const char *uri = gtk_recent_info_get_uri (info);
      g_autoptr(GMenuItem) item = NULL;

      if (!gtk_recent_info_has_application (info, g_get_application_name ()) ||
          !g_str_has_suffix (uri, ".py"))
        continue;

      item = g_menu_item_new (gtk_recent_info_get_display_name (info), NULL);
      g_menu_item_set_action_and_target (item, "app.open-recent", "s", uri);
      g_menu_append_item (self->recent_menu, item);
      n++;
    }
}

void
hs_application_add_recent (HsApplication *self,
                           GFile         *file)
{
  g_autofree char *uri = NULL;

  g_return_if_fail (HS_IS_APPLICATION (self));
  g_return_if_fail (G_IS_FILE (file));

  uri = g_file_get_uri (file);
  gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  HsApplication *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        open_file (self, file, FALSE);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
hs_application_open_action (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  HsApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GtkFileFilter) python = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Open Snippet"), parent,
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (python, _("Python Files"));
  gtk_file_filter_add_mime_type (python, "text/x-python");
  gtk_file_filter_add_suffix (python, "py");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), python);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
hs_application_open_recent_action (GSimpleAction *action,
                                   GVariant      *param,
                                   gpointer       user_data)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));

  open_file (HS_APPLICATION (user_data), file, FALSE);
}

static void
hs_application_new_window_action (GSimpleAction *action,
                                  GVariant      *param,
                                  gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (hs_window_new (HS_APPLICATION (user_data))));
}

static void
hs_application_preferences_action (GSimpleAction *action,
                                   GVariant      *param,
                                   gpointer       user_data)
{
  HsApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  HsPreferencesWindow *prefs = hs_preferences_window_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
hs_application_about_action (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       user_data)
{
  HsApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Heapscope developers", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Heapscope"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", _("The Heapscope developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Watch Python objects and references change line by line"),
                         "website", "https://github.com/heapscope/heapscope",
                         "issue-url", "https://github.com/heapscope/heapscope/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         /* Translators: your name and e-mail, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

/* help:APP_ID when yelp can show the installed pages; otherwise the same
 * pages as HTML: installed, or in the build folder heapscope runs from
 * (HEAPSCOPE_HELP_HTML names another folder, for the tests). */
char *
hs_application_get_help_uri (void)
{
  const char *override = g_getenv ("HEAPSCOPE_HELP_HTML");
  g_autofree char *yelp = g_find_program_in_path ("yelp");
  g_autofree char *page = g_build_filename (HS_DATADIR, "help", "C", APPLICATION_ID,
                                            "index.page", NULL);
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
  g_autofree char *html[3] = { NULL, NULL, NULL };

  if (override == NULL && yelp != NULL && g_file_test (page, G_FILE_TEST_IS_REGULAR))
    return g_strdup ("help:" APPLICATION_ID);

  if (override != NULL)
    html[0] = g_build_filename (override, "index.html", NULL);
  else
    {
      html[1] = g_build_filename (HS_DATADIR, PACKAGE_NAME, "help", "html", "index.html", NULL);
      if (exe_dir != NULL)
        html[2] = g_build_filename (exe_dir, "..", "help", "html", "index.html", NULL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (html); i++)
    if (html[i] != NULL && g_file_test (html[i], G_FILE_TEST_IS_REGULAR))
      return g_filename_to_uri (html[i], NULL, NULL);

  return NULL;
}

static void
hs_application_help_action (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  HsApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *uri = hs_application_get_help_uri ();

  if (uri == NULL)
    {
      g_printerr (_("heapscope: the help is not installed; reinstall Heapscope\n"));
      return;
    }

  gtk_show_uri (parent, uri, GDK_CURRENT_TIME);
}

static void
hs_application_quit_action (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  HsApplication *self = user_data;
  GList *windows;

  /* Each window asks about its own unsaved changes before it goes.  The
   * copy holds a reference to each: closing one closes those that go
   * with it (a compare window). */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (const GList *l = windows; l; l = l->next)
    g_object_ref (l->data);
  for (const GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
}

/* Ended by a signal (Ctrl+C in the terminal it was started from, the
 * session ending): nobody may be there to answer a dialog, so no window
 * asks.  Each keeps its unsaved text in its draft, offered when the file
 * opens next, and lets go of its run folder; its worker ends when the
 * pipes close with the app.  Killed outright instead, the app left its
 * run folders in the temporary directory and the last typing unsaved. */
static gboolean
end_on_signal_cb (gpointer user_data)
{
  HsApplication *self = user_data;
  GList *windows;

  g_assert (HS_IS_APPLICATION (self));

  g_debug ("Ending on a signal");
  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (HS_IS_WINDOW (l->data))
      hs_window_end_session (l->data);
    else if (HS_IS_COMPARE_WINDOW (l->data))
      hs_compare_window_end_session (l->data);
  /* One at a time from the list as it is now: destroying a window
   * destroys those that go with it (a compare window), so a copy of the
   * list would name windows already gone. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (windows->data);
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_CONTINUE;
}

/*
 * Ends the app as end_on_signal_cb() says on SIGINT, SIGTERM and SIGHUP.
 * For the app's own primary instance only (main.c connects it to
 * "startup"), not for an application the tests register, where a signal
 * (meson's timeout) must still end the test program where it stands, nor
 * for a second instance, which hands its files to the first and runs no
 * main loop of its own to see the signal in.
 */
void
hs_application_end_on_signals (HsApplication *self)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };

  g_return_if_fail (HS_IS_APPLICATION (self));
  G_STATIC_ASSERT (G_N_ELEMENTS (signals) == G_N_ELEMENTS (self->signal_sources));

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      struct sigaction was;

      /* A signal ignored from the start stays so, as nohup asks */
      if (self->signal_sources[i] != 0 ||
          (sigaction (signals[i], NULL, &was) == 0 && was.sa_handler == SIG_IGN))
        continue;
      self->signal_sources[i] = g_unix_signal_add (signals[i], end_on_signal_cb, self);
    }
}

static const GActionEntry app_actions[] = {
  { "open", hs_application_open_action },
  { "open-recent", hs_application_open_recent_action, "s" },
  { "new-window", hs_application_new_window_action },
  { "preferences", hs_application_preferences_action },
  { "about", hs_application_about_action },
  { "help", hs_application_help_action },
  { "quit", hs_application_quit_action },
};

static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.open", { "<Control>o", NULL } },
  { "app.new-window", { "<Control>n", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.quit", { "<Control>q", NULL } },
  { "app.help", { "F1", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.save-as", { "<Control><Shift>s", NULL } },
  { "win.close", { "<Control>w", NULL } },
  { "win.run", { "F5", "<Control>r", NULL } },
  { "win.stop", { "<Shift>F5", "<Control><Shift>r", NULL } },
  { "win.step-forward", { "<Alt>Right", NULL } },
  { "win.step-back", { "<Alt>Left", NULL } },
  { "win.first-step", { "<Alt>Home", NULL } },
  { "win.last-step", { "<Alt>End", NULL } },
  { "win.assign", { "<Alt>a", NULL } },
  { "win.slice-copy", { "<Alt>s", NULL } },
  { "win.copy", { "<Alt>c", NULL } },
  { "win.deepcopy", { "<Alt>d", NULL } },
  { "win.del", { "<Alt>Delete", NULL } },
  { "win.gc-collect", { "<Alt>g", NULL } },
  { "win.focus-console", { "<Control>l", NULL } },
  { "win.export", { "<Control>e", NULL } },
  { "win.zoom-in", { "<Control>plus", "<Control>equal", NULL } },
  { "win.zoom-out", { "<Control>minus", NULL } },
  { "win.zoom-fit", { "<Control>0", NULL } },
  { "win.show-more", { "<Control>m", NULL } },
  { "win.restore-draft", { "<Alt>r", NULL } },
  { "win.show-editor", { "F9", NULL } },
  { "win.show-inspector", { "<Shift>F9", NULL } },
  { "win.find", { "<Control>f", NULL } },
  { "win.toggle-breakpoint", { "<Control>b", NULL } },
  { "win.run-to-cursor", { "<Control>F10", NULL } },
  { "win.continue", { "F8", NULL } },
  { "win.continue-back", { "<Shift>F8", NULL } },
  { "win.autoplay", { "<Control>p", NULL } },
  { "win.watch", { "<Alt>w", NULL } },
  { "win.select-holders", { "<Alt>h", NULL } },
  { "win.presentation", { "F11", NULL } },
  { "win.high-contrast", { "<Control><Shift>h", NULL } },
  { "win.hold-changes", { "<Control><Shift>p", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
};

static void
hs_application_startup (GApplication *app)
{
  HsApplication *self = (HsApplication *) app;
  GtkRecentManager *manager;

  G_APPLICATION_CLASS (hs_application_parent_class)->startup (app);

  gtk_source_init ();
  g_type_ensure (HS_TYPE_GRAPH_VIEW);

  g_set_application_name (_("Heapscope"));
  gtk_window_set_default_icon_name (APPLICATION_ID);

  self->settings = hs_settings_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action, accels[i].accels);

  manager = gtk_recent_manager_get_default ();
  self->recent_changed_id = g_signal_connect_object (manager, "changed",
                                                     G_CALLBACK (update_recent_menu),
                                                     self, G_CONNECT_SWAPPED);
  update_recent_menu (self);
}

static void
hs_application_shutdown (GApplication *app)
{
  HsApplication *self = (HsApplication *) app;

  g_clear_signal_handler (&self->recent_changed_id, gtk_recent_manager_get_default ());
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_sources); i++)
    g_clear_handle_id (&self->signal_sources[i], g_source_remove);

  G_APPLICATION_CLASS (hs_application_parent_class)->shutdown (app);
}

static void
hs_application_dispose (GObject *object)
{
  HsApplication *self = (HsApplication *) object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hs_application_parent_class)->dispose (object);
}

static void
hs_application_finalize (GObject *object)
{
  HsApplication *self = (HsApplication *) object;

  g_clear_object (&self->recent_menu);

  G_OBJECT_CLASS (hs_application_parent_class)->finalize (object);
}

static void
hs_application_class_init (HsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = hs_application_dispose;
  object_class->finalize = hs_application_finalize;

  app_class->startup = hs_application_startup;
  app_class->shutdown = hs_application_shutdown;
  app_class->activate = hs_application_activate;
  app_class->open = hs_application_open;
  app_class->command_line = hs_application_command_line;

  hs_ui_register_resource ();
}

static void
hs_application_init (HsApplication *self)
{
  self->recent_menu = g_menu_new ();

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Commands:\n"
                                              "  heapscope trace FILE.py   Write the trace of a run as JSON\n"
                                              "  heapscope render FILE.py  Draw the heap as PNG, SVG or PDF\n"
                                              "Run “heapscope COMMAND --help” for their options."));
}

GMenuModel *
hs_application_get_recent_menu (HsApplication *self)
{
  g_return_val_if_fail (HS_IS_APPLICATION (self), NULL);

  return G_MENU_MODEL (self->recent_menu);
}
