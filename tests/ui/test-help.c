/* SPDX-License-Identifier: GPL-3.0-or-later */

/* F1 and the main menu's Help open the help (issue 49).  Nothing is
 * launched: the test checks the action, its accelerator, the menu item and
 * that the place the action would open exists. */

#include "config.h"

#include "hs-test-run.h"

static HsApplication *app;

static void
test_action_and_accel (void)
{
  g_auto(GStrv) accels = NULL;

  g_assert_true (g_action_map_lookup_action (G_ACTION_MAP (app), "help") != NULL);

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.help");
  g_assert_nonnull (accels);
  g_assert_true (g_strv_contains ((const char * const *) accels, "F1"));
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
          && g_strcmp0 (name, action) == 0)
        return TRUE;
      section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      if (section != NULL && menu_has_action (section, action))
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_help_menu_button (GtkWidget     *widget,
                     gconstpointer  data)
{
  GMenuModel *menu;

  if (!GTK_IS_MENU_BUTTON (widget))
    return FALSE;
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget));
  return menu != NULL && menu_has_action (menu, "app.help");
}

static void
test_menu_item (void)
{
  HsWindow *window = hs_test_window_new_sized (800, 600, "aliasing");

  g_assert_nonnull (hs_test_find_widget (GTK_WIDGET (window), is_help_menu_button, NULL));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_location_exists (void)
{
  g_autofree char *uri = hs_application_get_help_uri ();
  g_autofree char *path = NULL;

  g_assert_nonnull (uri);
  if (g_str_has_prefix (uri, "help:"))
    {
      g_assert_cmpstr (uri, ==, "help:" APPLICATION_ID);
      return;
    }

  path = g_filename_from_uri (uri, NULL, NULL);
  g_assert_nonnull (path);
  g_assert_true (g_str_has_suffix (path, "index.html"));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

int
main (int   argc,
      char *argv[])
{
  app = hs_test_init (&argc, &argv);

  g_test_add_func ("/ui/help/action-and-accel", test_action_and_accel);
  g_test_add_func ("/ui/help/menu-item", test_menu_item);
  g_test_add_func ("/ui/help/location-exists", test_location_exists);

  return hs_test_run (app);
}
