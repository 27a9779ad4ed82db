/* fuzz_disk.c -- libFuzzer harness for machine/disk.c: the -drive parser,
 * images of odd sizes (hard disk, CD-ROM, floppy) and overlay files whose
 * records come from the input, then writes through the overlay, closed,
 * reopened and read back: every write that succeeded must read back as
 * written (the overlay format's promise, disk.h), and the image must not
 * change.  Files live in a private directory under $TMPDIR (or /tmp).
 *
 * Input: byte 0 bit 0-1 = 0: the rest is a -drive value (and a size);
 * otherwise bytes 1-2 the image size in bytes (little-endian, up to 64K,
 * any value), byte 3 flags (bit 0 CD-ROM, 1 -snapshot, 2 an overlay file,
 * 3 fix the overlay header up so the records are read, 4 a floppy,
 * 5 cache=writeback), bytes 4-11 eight write operations (sector numbers,
 * some past the end), the rest the overlay file's contents. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/fdc.h"
#include "machine/disk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NOPS = 8, BODY = 12 };

static const char *tmpdir(void)
{
    static char dir[256];        /* libFuzzer's one process-wide harness state */
    if (dir[0])
        return dir;
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/x86lab-fuzz-disk-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir))
        abort();
    return dir;
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n))
        abort();
    close(fd);
}

static void parse_drive(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    uint64_t bytes;
    disk_parse_size(s, &bytes);
    struct disk_spec spec;
    int index;
    char err[300];
    disk_parse_drive(s, &spec, &index, err, sizeof err);
    free(s);
}

static void fill(uint8_t *buf, uint32_t n, uint64_t sector, int op)
{
    for (uint32_t k = 0; k < n; k++)
        buf[k] = (uint8_t)(sector * 7 + (uint64_t)op * 13 + k);
}

/* The writes of ops[], then a check that each successful one reads back. */
static void exercise(struct disk *d, const uint8_t *ops, bool persistent, struct disk_spec *spec)
{
    uint8_t buf[DISK_CD_SECTOR], back[2 * DISK_CD_SECTOR];
    uint64_t written[NOPS];
    int op_of[NOPS];
    int nwritten = 0;
    uint32_t ss = d->sector_size;
    for (int k = 0; k < NOPS; k++) {
        uint64_t sector = d->sectors + 2 ? ops[k] % (d->sectors + 2) : 0;
        fill(buf, ss, sector, k);
        if (disk_write(d, sector, 1, buf) == 0) {
            for (int j = 0; j < nwritten; j++)
                if (written[j] == sector)
                    written[j] = UINT64_MAX;   /* superseded */
            op_of[nwritten] = k;
            written[nwritten++] = sector;
        }
        disk_read(d, sector, 2, back);    /* across the end, too */
    }
    if (!persistent)
        return;
    disk_close(d);
    char err[600];
    if (disk_open(d, spec, err, sizeof err) < 0) {
        fprintf(stderr, "fuzz_disk: reopening after good writes: %s\n", err);
        abort();
    }
    for (int j = 0; j < nwritten; j++) {
        if (written[j] == UINT64_MAX)
            continue;
        fill(buf, ss, written[j], op_of[j]);
        if (disk_read(d, written[j], 1, back) < 0 || memcmp(buf, back, ss)) {
            fprintf(stderr, "fuzz_disk: sector %llu does not read back as written\n",
                    (unsigned long long)written[j]);
            abort();
        }
    }
}

/* The image is still img_len zero bytes: only cache=writeback writes it. */
static void image_untouched(const char *path, uint32_t len)
{
    uint8_t *buf = malloc(len + 1);
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, len + 1) : -1;
    bool zero = n == (ssize_t)len;
    for (uint32_t k = 0; zero && k < len; k++)
        zero = buf[k] == 0;
    if (fd >= 0)
        close(fd);
    free(buf);
    if (!zero) {
        fprintf(stderr, "fuzz_disk: the image changed without cache=writeback\n");
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if ((data[0] & 3) == 0) {
        parse_drive(data + 1, size - 1);
        return 0;
    }
    if (size < BODY)
        return 0;
    char img[300], ov[300];
    snprintf(img, sizeof img, "%s/img", tmpdir());
    snprintf(ov, sizeof ov, "%s/img.cow", tmpdir());
    uint32_t img_len = (uint32_t)(data[1] | data[2] << 8);
    uint8_t flags = data[3];
    uint8_t *zeros = calloc(1, img_len + 1);
    write_file(img, zeros, img_len);
    free(zeros);
    struct disk_spec spec = { .path = img, .media = (flags & 1) ? DISK_MEDIA_CDROM : DISK_MEDIA_HD };
    spec.snapshot = flags & 2;
    spec.write_image = flags & 0x20;
    unlink(ov);
    if (flags & 4) {
        spec.overlay = ov;
        size_t n = size - BODY;
        uint8_t *o = malloc(n + DISK_OV_HEADER);
        memcpy(o, data + BODY, n);
        if ((flags & 8) && n >= DISK_OV_HEADER) {
            uint32_t ss = spec.media == DISK_MEDIA_CDROM ? DISK_CD_SECTOR : DISK_HD_SECTOR;
            uint64_t base = img_len - img_len % ss;
            memcpy(o, DISK_OV_MAGIC, sizeof DISK_OV_MAGIC);
            for (int k = 0; k < 4; k++) {
                o[16 + k] = (uint8_t)(DISK_OV_VERSION >> (8 * k));
                o[20 + k] = (uint8_t)(ss >> (8 * k));
            }
            for (int k = 0; k < 8; k++)
                o[24 + k] = (uint8_t)(base >> (8 * k));
        }
        write_file(ov, o, n);
        free(o);
    }
    char err[600];
    if (flags & 0x10) {
        struct fd_image f;
        if (fd_image_open(&f, &spec, false, err, sizeof err) == 0)
            fd_image_close(&f);
        return 0;
    }
    struct disk d;
    if (disk_open(&d, &spec, err, sizeof err) == 0) {
        bool persistent = !spec.snapshot && (spec.overlay || spec.write_image);
        exercise(&d, data + 4, persistent, &spec);
        disk_close(&d);
    }
    if (!spec.write_image || spec.snapshot)
        image_untouched(img, img_len);
    return 0;
}
