/* png.c -- a small PNG writer for screenshots: 8-bit RGB, one zlib
 * stream of unfiltered rows (zlib does the compressing and the CRCs), so
 * the window needs no image library.  The file appears whole (written
 * beside, then renamed), so a reader never sees half of it. */
#include "sdl_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* One chunk: length, type, data, CRC of type and data. */
static bool chunk(FILE *f, const char *type, const uint8_t *data, uint32_t len)
{
    uint8_t head[8], tail[4];
    be32(head, len);
    memcpy(head + 4, type, 4);
    uLong crc = crc32(0L, head + 4, 4);
    if (len)
        crc = crc32(crc, data, len);
    be32(tail, (uint32_t)crc);
    return fwrite(head, 1, 8, f) == 8 && (len == 0 || fwrite(data, 1, len, f) == len) &&
           fwrite(tail, 1, 4, f) == 4;
}

/* The image data before compression: each row a filter byte (0: none)
 * and R, G, B per pixel. */
static uint8_t *raw_rows(const uint32_t *px, int w, int h, size_t *len)
{
    size_t row = 1 + 3 * (size_t)w;
    uint8_t *raw = malloc(row * (size_t)h);
    if (!raw)
        return NULL;
    for (int y = 0; y < h; y++) {
        uint8_t *o = raw + row * (size_t)y;
        *o++ = 0;
        for (int x = 0; x < w; x++) {
            uint32_t p = px[(size_t)y * (size_t)w + (size_t)x];
            *o++ = (uint8_t)(p >> 16);
            *o++ = (uint8_t)(p >> 8);
            *o++ = (uint8_t)p;
        }
    }
    *len = row * (size_t)h;
    return raw;
}

static bool write_file(FILE *f, int w, int h, const uint8_t *z, uint32_t zlen)
{
    static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
    uint8_t ihdr[13];
    be32(ihdr, (uint32_t)w);
    be32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;                       /* bits per sample */
    ihdr[9] = 2;                       /* colour type: RGB */
    ihdr[10] = ihdr[11] = ihdr[12] = 0;  /* deflate, adaptive filters, no interlace */
    return fwrite(sig, 1, 8, f) == 8 && chunk(f, "IHDR", ihdr, 13) &&
           chunk(f, "IDAT", z, zlen) && chunk(f, "IEND", NULL, 0);
}

int png_write(const char *path, const uint32_t *px, int w, int h)
{
    size_t rlen = 0;
    uint8_t *raw = raw_rows(px, w, h, &rlen);
    uLongf zlen = compressBound((uLong)rlen);
    uint8_t *z = raw ? malloc(zlen) : NULL;
    char part[4200];
    int r = -1;
    snprintf(part, sizeof part, "%s.part", path);
    if (z && compress2(z, &zlen, raw, (uLong)rlen, 6) == Z_OK) {
        FILE *f = fopen(part, "wb");
        if (f) {
            bool ok = write_file(f, w, h, z, (uint32_t)zlen);
            ok = (fclose(f) == 0) && ok;
            r = ok && rename(part, path) == 0 ? 0 : -1;
            if (r < 0)
                remove(part);
        }
    } else {
        errno = ENOMEM;
    }
    free(z);
    free(raw);
    return r;
}
