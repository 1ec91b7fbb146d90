/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The walk that costs what changed (issue 10) must say exactly what a full
 * walk says.  Every test program (tests/runtime/programs, examples,
 * tests/render/programs, and the cases below written against the replay's
 * shortcuts) is traced twice with `heapscope trace`: once as shipped and
 * once with HEAPSCOPE_FULL_WALK set, which makes the worker read every
 * container at every step.  The two traces (format 2: each step's frames,
 * objects, refcounts, edges, removals, frees, gc runs and output) must be
 * identical byte for byte, except for object ids (addresses, which the
 * worker's own allocations shift) and history_bytes (batches are cut by
 * time).  Both runs have the same environment, byte for byte, and no
 * address randomization: otherwise even two runs of the same mode differ
 * (None's refcount moves with them).  The programs about shapes (all but
 * the runtime's own) are also traced with small caps, so that the object
 * and element caps cut walks too.
 */
#define G_LOG_DOMAIN "heapscope-test-walk-identity"

#include "config.h"

#include <string.h>
#include <sys/personality.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

/* Each defeats one way a replay could go stale.  In address_reuse.py an
 * item is freed and its address taken by a new object within one line,
 * so the list's item pointers are the same at the next step. */
static const struct
{
  const char *name;
  const char *source;
} cases[] = {
  { "address_reuse.py",
    "class Box:\n"
    "    pass\n"
    "items = [Box() for _ in range(4)]\n"
    "for k in range(6):\n"
    "    gone = items.pop(1)\n"
    "    del gone\n"
    "    items.insert(1, Box())\n"
    "    d = {'a': items[0]}\n"
    "    d['a'] = Box()\n"
    "    items[2] = None; items[2] = Box()\n"
    "    items[3] = None; items[3] = [k]\n"
    "t = (1, 2)\n" },
  { "mutations.py",
    "d = {'x': 1, 'y': [1, 2]}\n"
    "s = {1, 2, 3}\n"
    "lst = [d, s]\n"
    "for k in range(5):\n"
    "    d['x'] = k * 1000\n"
    "    d['y'].append(k)\n"
    "    s.add(k * 7)\n"
    "    lst.append(lst.pop())\n"
    "    lst.sort(key=id)\n"
    "    del d['x']\n"
    "    d['x'] = 1\n"
    "ba = bytearray(b'abc')\n"
    "mv = memoryview(ba)\n"
    "mv[0] = 65\n"
    "big = list(range(300))\n"
    "for k in range(4):\n"
    "    big[k] = -k\n"
    "    big[-1] = k * 3\n"
    "    big.append(big.pop(0))\n" },
  { "zip_reuse.py",
    "a = [1, 2, 3]\n"
    "b = ['x', 'y', 'z']\n"
    "z = zip(a, b)\n"
    "for pair in z:\n"
    "    del pair\n"
    "pairs = list(zip(a, b))\n" },
  { "cells_and_classes.py",
    "def outer():\n"
    "    x = [1]\n"
    "    def inner():\n"
    "        nonlocal x\n"
    "        x = [x, 2]\n"
    "        return x\n"
    "    inner()\n"
    "    inner()\n"
    "    return inner\n"
    "f = outer()\n"
    "class A:\n"
    "    def m(self):\n"
    "        return self\n"
    "class B:\n"
    "    __slots__ = ('p', 'q')\n"
    "a = A()\n"
    "a.v = [1]\n"
    "bm = a.m\n"
    "a.__class__ = type('C', (A,), {})\n"
    "a.v.append(2)\n"
    "a.__dict__['w'] = 3\n"
    "b = B()\n"
    "b.p = [a]\n"
    "b.q = b.p\n"
    "b.p = None\n"
    "f.__defaults__ = (1,)\n"
    "cyc = [1]\n"
    "cyc.append(cyc)\n"
    "cyc = None\n"
    "import gc\n"
    "gc.collect()\n" },
  /* Frames kept from one step to the next (a deep recursion reads only
   * the frames that ran): globals changed from below, a recursion past the
   * object cap, generators resumed, a caller's value stack, and a frame
   * of another code object on the way down. */
  { "frames.py",
    "count = 0\n"
    "def down(n, acc):\n"
    "    global count\n"
    "    count += 1\n"
    "    local = [n]\n"
    "    if n:\n"
    "        acc = acc + down(n - 1, acc) + helper(n)\n"
    "    local.append(count)\n"
    "    return acc\n"
    "def helper(k):\n"
    "    t = (k, str(k))\n"
    "    return len(t)\n"
    "def gen(k):\n"
    "    for i in range(k):\n"
    "        yield [i] * i\n"
    "for x in gen(3):\n"
    "    down(4, 0)\n"
    "def deep(n):\n"
    "    return n if n == 0 else deep(n - 1) + 1\n"
    "deep(60)\n"
    "try:\n"
    "    def boom(n):\n"
    "        if n == 0:\n"
    "            raise ValueError(n)\n"
    "        boom(n - 1)\n"
    "    boom(5)\n"
    "except ValueError:\n"
    "    pass\n" },
  /* The fast step (a scalar replaced in place keeps the view's shape):
   * deep items of unchanged containers, a refcount that changes while its
   * container does not, a freed address reused in the same line, a
   * variable and an item taking the same new object, objects moved in
   * the view, strings interned in place, and a value stack. */
  { "fast_steps.py",
    "import sys\n"
    "deep = [[[1000 + i, 2000 + i] for i in range(4)] for j in range(3)]\n"
    "flat = [10 ** 6 + i for i in range(8)]\n"
    "d = {'a': 10 ** 7, 'b': 10 ** 7 + 1}\n"
    "pa = [10 ** 8 - 1]\n"
    "pb = [pa[0]]\n"
    "z = None\n"
    "w = None\n"
    "k = 0\n"
    "for n in range(12):\n"
    "    deep[n % 3][n % 4][n % 2] = n * 1001 + 10 ** 5\n"
    "    k = k + 1000\n"
    "    alias = flat[n % 8]\n"
    "    del alias\n"
    "    flat[2] = None; flat[2] = n + 10 ** 8\n"
    "    v = n * 7 + 10 ** 9\n"
    "    flat[5] = v\n"
    "    d['a'] = n * 3 + 10 ** 7\n"
    "    d['b'] = d['a']\n"
    "    flat[0], flat[1] = flat[1], flat[0]\n"
    "    flat[3] = flat[7]\n"
    "    flat[7] = n + 5 * 10 ** 8\n"
    "    s = ''.join(['st', str(n)])\n"
    "    sys.intern(s)\n"
    "    t = (n + 10 ** 6, s)\n"
    "    total = sum([x for x in flat if x is not None])\n"
    "    deep[0][0] = deep[0][0]\n"
    "    deep[1][1][0] = 'x' * (n + 1)\n"
    "    k = float(k)\n"
    "    k = int(k)\n"
    "    flat[6] = 5\n"
    "    flat[6] = 10 ** 8 + n\n"
    "    pa[0] = None; pb[0] = None; pb[0] = n + 3 * 10 ** 8; pa[0] = n + 4 * 10 ** 8\n"
    "    pb[0] = pa[0]\n"
    "    w = flat[4]\n"
    "    w = None\n" },
  /* The same in a function (the innermost frame's variables, kept frames
   * below it) and with a cycle that becomes garbage between fast steps. */
  { "fast_frames.py",
    "def work(rows):\n"
    "    acc = 0\n"
    "    for i in range(10):\n"
    "        rows[i % 3][i % 2] = i * 10 ** 6\n"
    "        acc = acc + rows[i % 3][i % 2]\n"
    "        if i == 5:\n"
    "            c = [1]\n"
    "            c.append(c)\n"
    "            holder = [c]\n"
    "            del c\n"
    "            holder.pop()\n"
    "    return acc\n"
    "rows = [[10 ** 5 + j, 10 ** 5 - j] for j in range(3)]\n"
    "res = work(rows)\n"
    "res = res + 1\n"
    "res = res * 2\n" },
};

static void
no_aslr (gpointer data)
{
  personality (ADDR_NO_RANDOMIZE);
}

/* JSON with every "id" and "history_bytes" number set to 0.  A scan,
 * not a GRegex: PCRE took 135 s over recursion.py's 34 MB trace. */
static char *
normalize (const char *json)
{
  static const char *const keys[] = { "\"id\":", "\"history_bytes\":" };
  GString *out = g_string_sized_new (strlen (json));
  const char *p = json;

  g_assert (json != NULL);

  while (*p != '\0')
    {
      gboolean replaced = FALSE;

      if (*p == '"')
        for (guint k = 0; k < G_N_ELEMENTS (keys) && !replaced; k++)
          {
            gsize len = strlen (keys[k]);

            if (strncmp (p, keys[k], len) == 0 && g_ascii_isdigit (p[len]))
              {
                g_string_append_len (out, p, len);
                g_string_append_c (out, '0');
                p += len;
                while (g_ascii_isdigit (*p))
                  p++;
                replaced = TRUE;
              }
          }
      if (!replaced)
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* The trace of path as `heapscope trace` writes it, with the full walk
 * forced or not. */
static char *
trace (const char *path,
       gboolean    full_walk,
       gboolean    small_caps)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;

  g_ptr_array_add (argv, (gpointer) HS_TEST_HEAPSCOPE);
  g_ptr_array_add (argv, "trace");
  g_ptr_array_add (argv, (gpointer) path);
  g_ptr_array_add (argv, "--timeout");
  g_ptr_array_add (argv, "60");
  g_ptr_array_add (argv, "--max-steps");
  g_ptr_array_add (argv, "20000");
  if (small_caps)
    {
      g_ptr_array_add (argv, "--max-objects");
      g_ptr_array_add (argv, "25");
      g_ptr_array_add (argv, "--max-elements");
      g_ptr_array_add (argv, "6");
    }
  g_ptr_array_add (argv, NULL);

  /* the same set order in both runs */
  g_subprocess_launcher_setenv (launcher, "PYTHONHASHSEED", "0", TRUE);
  g_subprocess_launcher_setenv (launcher, "HEAPSCOPE_FULL_WALK", full_walk ? "1" : "0", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, no_aslr, NULL, NULL);
  g_subprocess_launcher_set_cwd (launcher, g_get_tmp_dir ());
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (out != NULL && out[0] == '{');
  return normalize (out);
}

static void
check_program (gconstpointer data)
{
  const char *path = data;
  /* the object and element caps cut walks in the programs about shapes */
  gboolean try_small = !g_str_has_prefix (path, HS_TEST_PROGRAMS_DIR);

  if (personality (0xffffffff) < 0 || personality (ADDR_NO_RANDOMIZE) < 0)
    {
      g_test_skip ("address randomization cannot be turned off here");
      return;
    }
  personality (0);

  for (int small = 0; small < (try_small ? 2 : 1); small++)
    {
      g_autofree char *replayed = trace (path, FALSE, small);
      g_autofree char *full = trace (path, TRUE, small);

      if (strcmp (replayed, full) != 0)
        {
          g_autofree char *again = trace (path, FALSE, small);
          gsize i = 0;

          /* a program that prints its pid or the time differs from itself */
          if (strcmp (again, replayed) != 0)
            {
              g_test_skip ("two runs of this program differ even with the same walk");
              return;
            }

          while (replayed[i] == full[i])
            i++;
          g_test_message ("replayed: %.300s", replayed + (i > 150 ? i - 150 : 0));
          g_test_message ("full:     %.300s", full + (i > 150 ? i - 150 : 0));
          g_test_fail_printf ("%s%s: the traces part at byte %zu", path, small ? " (small caps)" : "", i);
        }
    }
}

static void
add_dir (const char *dir,
         const char *label)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".py"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_assert_cmpuint (names->len, >, 0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = *(const char **) &names->pdata[i];
      g_autofree char *test = g_strdup_printf ("/walk-identity/%s/%s", label, n);

      g_test_add_data_func_full (test, g_build_filename (dir, n, NULL), check_program, g_free);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;

  g_test_init (&argc, &argv, NULL);

  tmp = g_dir_make_tmp ("heapscope-walk-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (tmp, cases[i].name, NULL);

      g_file_set_contents (path, cases[i].source, -1, &error);
      g_assert_no_error (error);
    }
  add_dir (tmp, "cases");
  add_dir (HS_TEST_PROGRAMS_DIR, "runtime");
  add_dir (HS_TEST_EXAMPLES_DIR, "examples");
  add_dir (HS_TEST_RENDER_PROGRAMS_DIR, "render");

  {
    int ret = g_test_run ();
    g_autoptr(GDir) d = g_dir_open (tmp, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp);
    return ret;
  }
}
