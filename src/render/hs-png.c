/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A PNG writer for exported pictures.  cairo_surface_write_to_png() leaves
 * libpng at its defaults, which try every row filter on every row and
 * compress at zlib's level 6: for a tall graph that took a third of
 * `heapscope render` (issue 10).  A picture of boxes and arrows is mostly
 * flat colour, which zlib's fastest level packs almost as well unfiltered.
 */
#define G_LOG_DOMAIN "heapscope-png"

#include "config.h"

#include <string.h>
#include <sys/mman.h>
#include <gio/gio.h>
#include <glib/gi18n.h>

#include "hs-png.h"

#define ZLIB_LEVEL 1

typedef struct
{
  gpointer data;
  gsize    size;
} Mapping;

static const cairo_user_data_key_t mapping_key;

static void
mapping_free (gpointer user_data)
{
  Mapping *mapping = user_data;

  munmap (mapping->data, mapping->size);
  g_free (mapping);
}

/* A picture of a tall graph is tens of megabytes that are written once:
 * in 4 KiB pages, faulting them in cost a fifth of `heapscope render`.
 * Its own mapping may take huge pages instead. */
cairo_surface_t *
hs_png_surface_new (int width,
                    int height)
{
  cairo_surface_t *surface;
  Mapping *mapping;
  int stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, width);

  if (width <= 0 || height <= 0 || stride <= 0 || (gsize) height > G_MAXSIZE / (gsize) stride)
    return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);

  mapping = g_new0 (Mapping, 1);
  mapping->size = (gsize) stride * height;
  mapping->data = mmap (NULL, mapping->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapping->data == MAP_FAILED)
    {
      g_free (mapping);
      return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
    }
#ifdef MADV_HUGEPAGE
  madvise (mapping->data, mapping->size, MADV_HUGEPAGE);
#endif

  /* an anonymous mapping starts zeroed: transparent, as cairo's own */
  surface = cairo_image_surface_create_for_data (mapping->data, CAIRO_FORMAT_ARGB32, width, height, stride);
  if (cairo_surface_set_user_data (surface, &mapping_key, mapping, mapping_free) != CAIRO_STATUS_SUCCESS)
    mapping_free (mapping);
  return surface;
}

static guint32
crc_update (guint32       crc,
            const guint8 *data,
            gsize         length)
{
  static guint32 table[256];
  static gsize table_ready = 0;

  if (g_once_init_enter (&table_ready))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (guint k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&table_ready, 1);
    }

  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

static gboolean
write_chunk (GOutputStream *out,
             const char    *type,
             const guint8  *data,
             gsize          length,
             GError       **error)
{
  guint32 be_length = GUINT32_TO_BE ((guint32) length);
  guint32 crc;

  g_assert (strlen (type) == 4);

  crc = crc_update (0xffffffffu, (const guint8 *) type, 4);
  crc = GUINT32_TO_BE (crc_update (crc, data, length) ^ 0xffffffffu);
  return g_output_stream_write_all (out, &be_length, 4, NULL, NULL, error) &&
         g_output_stream_write_all (out, type, 4, NULL, NULL, error) &&
         (length == 0 || g_output_stream_write_all (out, data, length, NULL, NULL, error)) &&
         g_output_stream_write_all (out, &crc, 4, NULL, NULL, error);
}

/* Feeds one buffer to the compressor, appending what comes out. */
static gboolean
deflate (GConverter    *zlib,
         const guint8  *data,
         gsize          length,
         gboolean       last,
         GByteArray    *out,
         GError       **error)
{
  guint8 chunk[65536];

  for (;;)
    {
      gsize read = 0, written = 0;
      GConverterResult result;

      result = g_converter_convert (zlib, data, length, chunk, sizeof chunk,
                                    last ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                    &read, &written, error);
      if (result == G_CONVERTER_ERROR)
        return FALSE;
      g_byte_array_append (out, chunk, written);
      data += read;
      length -= read;
      if (result == G_CONVERTER_FINISHED || (!last && length == 0))
        return TRUE;
    }
}

/* Pixels are cairo's premultiplied native-endian ARGB32; an opaque picture
 * is written as RGB, any other as straight RGBA. */
gboolean
hs_png_write (cairo_surface_t *surface,
              const char      *filename,
              GError         **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GZlibCompressor) zlib = NULL;
  g_autoptr(GByteArray) idat = NULL;
  g_autofree guint8 *row = NULL;
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guint8 header[13];
  const guint8 *pixels;
  int width, height, stride;
  gboolean opaque = TRUE;
  guint channels;

  g_return_val_if_fail (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_ARGB32, FALSE);

  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);
  if (width <= 0 || height <= 0 || pixels == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The picture is empty"));
      return FALSE;
    }

  for (int y = 0; y < height && opaque; y++)
    {
      const guint32 *p = (const guint32 *) (gconstpointer) (pixels + (gsize) y * stride);

      for (int x = 0; x < width; x++)
        if ((p[x] >> 24) != 0xff)
          {
            opaque = FALSE;
            break;
          }
    }
  channels = opaque ? 3 : 4;

  zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, ZLIB_LEVEL);
  idat = g_byte_array_new ();
  row = g_malloc ((gsize) width * channels + 1);
  for (int y = 0; y < height; y++)
    {
      const guint32 *p = (const guint32 *) (gconstpointer) (pixels + (gsize) y * stride);
      guint8 *o = row;

      *o++ = 0;   /* filter: none */
      for (int x = 0; x < width; x++)
        {
          guint32 v = p[x];
          guint a = v >> 24, r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;

          if (a != 0xff && a != 0)
            {
              r = (r * 255 + a / 2) / a;
              g = (g * 255 + a / 2) / a;
              b = (b * 255 + a / 2) / a;
            }
          *o++ = r;
          *o++ = g;
          *o++ = b;
          if (!opaque)
            *o++ = a;
        }
      if (!deflate (G_CONVERTER (zlib), row, o - row, y + 1 == height, idat, error))
        return FALSE;
    }

  *(guint32 *) (gpointer) header = GUINT32_TO_BE ((guint32) width);
  *(guint32 *) (gpointer) (header + 4) = GUINT32_TO_BE ((guint32) height);
  header[8] = 8;                    /* bits per channel */
  header[9] = opaque ? 2 : 6;       /* RGB or RGBA */
  header[10] = header[11] = header[12] = 0;

  file = g_file_new_for_path (filename);
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  return out != NULL &&
         g_output_stream_write_all (G_OUTPUT_STREAM (out), signature, sizeof signature, NULL, NULL, error) &&
         write_chunk (G_OUTPUT_STREAM (out), "IHDR", header, sizeof header, error) &&
         write_chunk (G_OUTPUT_STREAM (out), "IDAT", idat->data, idat->len, error) &&
         write_chunk (G_OUTPUT_STREAM (out), "IEND", NULL, 0, error) &&
         g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}
