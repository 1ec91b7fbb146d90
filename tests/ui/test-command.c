/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-test-command"

#include "config.h"

#include "hs-command-dialog.h"

static void
test_build_source (void)
{
  const char *none[] = { NULL };
  const char *both[] = { "copy", "gc", NULL };
  struct {
    HsCommandKind kind;
    const char * const *imported;
    const char *expected;
  } cases[] = {
    { HS_COMMAND_ASSIGN, none, "b = a" },
    { HS_COMMAND_SLICE_COPY, none, "b = a[:]" },
    { HS_COMMAND_COPY, none, "b = __import__('copy').copy(a)" },
    { HS_COMMAND_COPY, both, "b = copy.copy(a)" },
    { HS_COMMAND_DEEPCOPY, none, "b = __import__('copy').deepcopy(a)" },
    { HS_COMMAND_DEEPCOPY, both, "b = copy.deepcopy(a)" },
    { HS_COMMAND_DEL, none, "del a" },
    { HS_COMMAND_GC_COLLECT, none, "__import__('gc').collect()" },
    { HS_COMMAND_GC_COLLECT, both, "gc.collect()" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *source = hs_command_build_source (cases[i].kind, "a", "b", cases[i].imported);

      g_assert_cmpstr (source, ==, cases[i].expected);
    }
}

static void
test_identifier (void)
{
  g_assert_true (hs_command_is_identifier ("b"));
  g_assert_true (hs_command_is_identifier ("_copy2"));
  g_assert_true (hs_command_is_identifier ("a_slice"));
  g_assert_false (hs_command_is_identifier (""));
  g_assert_false (hs_command_is_identifier (NULL));
  g_assert_false (hs_command_is_identifier ("2b"));
  g_assert_false (hs_command_is_identifier ("a b"));
  g_assert_false (hs_command_is_identifier ("a[0]"));
  g_assert_false (hs_command_is_identifier ("lambda"));
  g_assert_false (hs_command_is_identifier ("None"));
}

static void
test_needs_target (void)
{
  g_assert_true (hs_command_needs_target (HS_COMMAND_ASSIGN));
  g_assert_true (hs_command_needs_target (HS_COMMAND_DEEPCOPY));
  g_assert_false (hs_command_needs_target (HS_COMMAND_DEL));
  g_assert_false (hs_command_needs_target (HS_COMMAND_GC_COLLECT));
  g_assert_false (hs_command_needs_target (HS_COMMAND_STATEMENT));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/command/build-source", test_build_source);
  g_test_add_func ("/ui/command/identifier", test_identifier);
  g_test_add_func ("/ui/command/needs-target", test_needs_target);

  return g_test_run ();
}
