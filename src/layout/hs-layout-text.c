/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "heapscope-layout-text"

#include "config.h"

#include "hs-layout-text.h"

/* Past this many entries the cache starts again rather than grow forever. */
#define MAX_ENTRIES 50000

static GMutex text_mutex;
static PangoFontMap *font_map;
static PangoContext *context;
static GHashTable *cache[HS_LAYOUT_N_FONTS];
static PangoFontDescription *fonts[HS_LAYOUT_N_FONTS];
static double line_height[HS_LAYOUT_N_FONTS];
static char *ui_family_name;
static char *mono_family_name;

static void
ensure_fonts (void)
{
  static const double sizes[HS_LAYOUT_N_FONTS] = { 10, 10.5, 8, 10 };
  cairo_font_options_t *options;

  if (context != NULL)
    return;

  /* Our own font map, not the per-thread default: shaped text is used by
   * whichever thread draws, always under text_mutex. */
  font_map = pango_cairo_font_map_new ();
  context = pango_font_map_create_context (font_map);

  /* Unhinted metrics keep widths independent of the scale we draw at, so
   * text measured once fits its box at any zoom or HiDPI factor. */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (context, FALSE);

  for (guint i = 0; i < HS_LAYOUT_N_FONTS; i++)
    {
      g_autoptr(PangoLayout) probe = NULL;
      PangoRectangle logical;
      const char *family = i == HS_LAYOUT_FONT_MONO
                           ? (mono_family_name ? mono_family_name : "Monospace")
                           : (ui_family_name ? ui_family_name : "Sans");

      fonts[i] = pango_font_description_new ();
      pango_font_description_set_family (fonts[i], family);
      pango_font_description_set_size (fonts[i], sizes[i] * PANGO_SCALE);
      if (i == HS_LAYOUT_FONT_TITLE)
        pango_font_description_set_weight (fonts[i], PANGO_WEIGHT_BOLD);
      cache[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

      probe = pango_layout_new (context);
      pango_layout_set_font_description (probe, fonts[i]);
      pango_layout_set_text (probe, "Ag", -1);
      pango_layout_get_extents (probe, NULL, &logical);
      line_height[i] = (double) logical.height / PANGO_SCALE;
    }
}

static void
reset (void)
{
  for (guint i = 0; i < HS_LAYOUT_N_FONTS; i++)
    {
      g_clear_pointer (&cache[i], g_hash_table_unref);
      g_clear_pointer (&fonts[i], pango_font_description_free);
    }
  g_clear_object (&context);
  g_clear_object (&font_map);
}

void
hs_layout_text_lock (void)
{
  g_mutex_lock (&text_mutex);
  ensure_fonts ();
}

void
hs_layout_text_unlock (void)
{
  g_mutex_unlock (&text_mutex);
}

void
hs_layout_text_set_fonts (const char *ui_family,
                          const char *mono_family)
{
  g_mutex_lock (&text_mutex);
  if (g_strcmp0 (ui_family, ui_family_name) != 0 || g_strcmp0 (mono_family, mono_family_name) != 0)
    {
      g_free (ui_family_name);
      g_free (mono_family_name);
      ui_family_name = g_strdup (ui_family);
      mono_family_name = g_strdup (mono_family);
      reset ();
    }
  g_mutex_unlock (&text_mutex);
}

PangoLayout *
hs_layout_text_get (HsLayoutFont  font,
                    const char   *text)
{
  PangoLayout *layout;

  g_return_val_if_fail (font < HS_LAYOUT_N_FONTS, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (context != NULL, NULL);

  layout = g_hash_table_lookup (cache[font], text);
  if (layout != NULL)
    return layout;

  if (g_hash_table_size (cache[font]) >= MAX_ENTRIES)
    g_hash_table_remove_all (cache[font]);

  layout = pango_layout_new (context);
  pango_layout_set_font_description (layout, fonts[font]);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  /* Reprs can be cut anywhere by the runtime's length cap */
  if (g_utf8_validate (text, -1, NULL))
    pango_layout_set_text (layout, text, -1);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      pango_layout_set_text (layout, valid, -1);
    }
  g_hash_table_insert (cache[font], g_strdup (text), layout);
  return layout;
}

double
hs_layout_text_width (HsLayoutFont  font,
                      const char   *text)
{
  PangoRectangle logical;

  g_return_val_if_fail (text != NULL, 0);

  pango_layout_get_extents (hs_layout_text_get (font, text), NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

double
hs_layout_text_height (HsLayoutFont font)
{
  g_return_val_if_fail (font < HS_LAYOUT_N_FONTS, 0);
  g_return_val_if_fail (context != NULL, 0);
  return line_height[font];
}
