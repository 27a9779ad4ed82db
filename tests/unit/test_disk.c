/* test_disk.c -- machine/disk.c: the copy-on-write layers (read-through,
 * overwrite, mixed reads, many sectors), writes into the image, the
 * overlay file (persistence, rewrites into free slots, a torn last record, a
 * torn one in the middle, the wrong image, -snapshot over it), locking between
 * openers, bad images, range checks, and -drive parsing.  Works in a
 * fresh directory under $TMPDIR (or /tmp) and removes it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine/disk.h"

static int passed, failed;
static char dir[200];

static void check(int ok, const char *what)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s\n", what);
    }
}

/* dir/name; each call gets its own buffer, valid for the whole run. */
static const char *path_of(const char *name)
{
    static char buf[128][300];
    static int k;
    if (k == 128) {
        printf("path_of: out of buffers\n");
        exit(1);
    }
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k++];
}

/* The byte an image made by make_image holds at offset i of sector s. */
static uint8_t pattern(uint64_t s, unsigned i)
{
    return (uint8_t)(s * 7 + i + (i >> 8));
}

static void make_image(const char *path, uint64_t sectors, unsigned ss)
{
    FILE *f = fopen(path, "wb");
    uint8_t buf[DISK_CD_SECTOR];
    for (uint64_t s = 0; s < sectors; s++) {
        for (unsigned i = 0; i < ss; i++)
            buf[i] = pattern(s, i);
        fwrite(buf, 1, ss, f);
    }
    fclose(f);
}

static void make_bytes(const char *path, size_t n)
{
    FILE *f = fopen(path, "wb");
    for (size_t k = 0; k < n; k++)
        fputc((int)(k & 0xFF), f);
    fclose(f);
}

static int is_pattern(const uint8_t *buf, uint64_t s, unsigned ss)
{
    for (unsigned i = 0; i < ss; i++)
        if (buf[i] != pattern(s, i))
            return 0;
    return 1;
}

static int is_fill(const uint8_t *buf, uint8_t v, unsigned ss)
{
    for (unsigned i = 0; i < ss; i++)
        if (buf[i] != v)
            return 0;
    return 1;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) < 0 ? -1 : (long)st.st_size;
}

/* The file's bytes, for before/after comparisons (caller frees). */
static uint8_t *slurp(const char *path, long *size)
{
    *size = file_size(path);
    uint8_t *p = malloc((size_t)(*size > 0 ? *size : 1));
    FILE *f = fopen(path, "rb");
    if (!p || !f || fread(p, 1, (size_t)*size, f) != (size_t)*size)
        *size = -1;
    if (f)
        fclose(f);
    return p;
}

static int same_file_bytes(const char *path, const uint8_t *before, long size)
{
    long now;
    uint8_t *after = slurp(path, &now);
    int same = now == size && !memcmp(before, after, (size_t)size);
    free(after);
    return same;
}

static struct disk_spec hd(const char *path)
{
    return (struct disk_spec){ .path = path, .media = DISK_MEDIA_HD };
}

static int open_err(const struct disk_spec *s, char *err, size_t n)
{
    struct disk d;
    int r = disk_open(&d, s, err, n);
    if (r == 0)
        disk_close(&d);
    return r;
}

static void test_bad_images(void)
{
    char err[512];
    struct disk_spec s = hd(path_of("missing.img"));
    check(open_err(&s, err, sizeof err) < 0 && strstr(err, "No such file"), "missing image: error");
    s = hd(dir);
    check(open_err(&s, err, sizeof err) < 0 && strstr(err, "directory"), "directory: error");
    make_bytes(path_of("empty.img"), 0);
    s = hd(path_of("empty.img"));
    check(open_err(&s, err, sizeof err) < 0 && strstr(err, "empty"), "empty image: error");
    make_bytes(path_of("odd.img"), 1000);
    s = hd(path_of("odd.img"));
    check(open_err(&s, err, sizeof err) < 0 && strstr(err, "multiple of 512"),
          "1000-byte disk image: not a multiple of 512");
    make_bytes(path_of("cd-odd.iso"), 4096 + 512);
    s = (struct disk_spec){ .path = path_of("cd-odd.iso"), .media = DISK_MEDIA_CDROM };
    check(open_err(&s, err, sizeof err) < 0 && strstr(err, "multiple of 2048"),
          "4608-byte CD image: not a multiple of 2048");
    s.path = path_of("empty.img");
    check(open_err(&s, err, sizeof err) < 0 && strstr(err, "empty"), "empty CD image: error");
    make_bytes(path_of("cd.iso"), 4 * 2048);
    s.path = path_of("cd.iso");
    s.write_image = true;
    check(open_err(&s, err, sizeof err) < 0 && strstr(err, "read-only"), "a CD cannot be written");
    make_image(path_of("ok.img"), 8, 512);
    s = hd(path_of("ok.img"));
    s.overlay = path_of("ok.img");
    check(open_err(&s, err, sizeof err) < 0 && strstr(err, "the image itself"),
          "overlay = the image: refused");
    s.overlay = path_of("odd.img");
    check(open_err(&s, err, sizeof err) < 0 && strstr(err, "not an x86lab overlay"),
          "overlay file that is not one: refused");
    s.overlay = NULL;
    s.write_image = true;
    s.overlay = path_of("x.cow");
    check(open_err(&s, err, sizeof err) < 0 && access(path_of("x.cow"), F_OK) < 0,
          "overlay plus writes into the image: refused, nothing created");
    if (geteuid() != 0) {
        make_image(path_of("noread.img"), 8, 512);
        chmod(path_of("noread.img"), 0);
        s = hd(path_of("noread.img"));
        check(open_err(&s, err, sizeof err) < 0 && strstr(err, "denied"), "unreadable image: error");
    } else {
        printf("note: running as root, the unreadable-image case cannot happen here\n");
    }
}

static void test_memory_overlay(void)
{
    char err[512];
    const char *img = path_of("base.img");
    make_image(img, 64, 512);
    long size;
    uint8_t *before = slurp(img, &size);
    struct disk d;
    struct disk_spec s = hd(img);
    check(disk_open(&d, &s, err, sizeof err) == 0, "open with the default overlay");
    check(d.has_mem && !d.write_image && d.sectors == 64, "default: memory overlay, image read-only");
    uint8_t buf[16 * 512], w[3 * 512];
    uint8_t all[64 * 512];
    check(disk_read(&d, 0, 64, all) == 0, "read all 64 sectors");
    int ok = 1;
    for (int k = 0; k < 64; k++)
        ok &= is_pattern(all + k * 512, (uint64_t)k, 512);
    check(ok, "reads go through to the image");
    memset(w, 0xA1, 512);
    check(disk_write(&d, 5, 1, w) == 0, "write sector 5");
    memset(w, 0xB2, sizeof w);
    check(disk_write(&d, 10, 3, w) == 0, "write sectors 10-12 in one call");
    memset(w, 0xC3, 512);
    check(disk_write(&d, 11, 1, w) == 0, "overwrite sector 11");
    check(d.mem.count == 4, "the overlay holds 4 sectors (5, 10, 11, 12)");
    check(disk_read(&d, 3, 12, buf) == 0, "read 3-14 across the overlay");
    check(is_pattern(buf, 3, 512) && is_pattern(buf + 512, 4, 512), "3, 4 from the image");
    check(is_fill(buf + 2 * 512, 0xA1, 512), "5 from the overlay");
    check(is_pattern(buf + 3 * 512, 6, 512) && is_pattern(buf + 6 * 512, 9, 512), "6-9 from the image");
    check(is_fill(buf + 7 * 512, 0xB2, 512) && is_fill(buf + 9 * 512, 0xB2, 512), "10, 12 written");
    check(is_fill(buf + 8 * 512, 0xC3, 512), "11 overwritten");
    check(is_pattern(buf + 10 * 512, 13, 512) && is_pattern(buf + 11 * 512, 14, 512), "13, 14 from the image");
    check(disk_read(&d, 60, 5, buf) < 0 && errno == ERANGE, "read past the end: ERANGE");
    check(disk_write(&d, 64, 1, w) < 0 && errno == ERANGE, "write past the end: ERANGE");
    check(disk_read(&d, UINT64_MAX, 1, buf) < 0 && errno == ERANGE, "read at 2^64-1: ERANGE");
    check(disk_flush(&d) == 0, "flush with only a memory overlay");
    disk_close(&d);
    check(same_file_bytes(img, before, size), "the image file is unchanged");
    free(before);
}

static void test_many_sectors(void)
{
    char err[512];
    struct disk d;
    struct disk_spec s = { .blank_size = (uint64_t)1 << 30, .media = DISK_MEDIA_HD };
    check(disk_open(&d, &s, err, sizeof err) == 0, "blank 1 GiB disk");
    uint8_t buf[512];
    check(disk_read(&d, 12345, 1, buf) == 0 && is_fill(buf, 0, 512), "blank disk reads zeros");
    enum { N = 5000 };
    uint64_t step = 2097152 / N;
    for (uint64_t k = 0; k < N; k++) {
        memset(buf, (int)(k & 0xFF), 512);
        memcpy(buf, &k, sizeof k);
        disk_write(&d, k * step + (k % 7), 1, buf);
    }
    int ok = 1;
    for (uint64_t k = 0; k < N; k++) {
        uint64_t got;
        disk_read(&d, k * step + (k % 7), 1, buf);
        memcpy(&got, buf, sizeof got);
        ok &= got == k && buf[100] == (uint8_t)k;
    }
    check(ok && d.mem.count == N, "5000 scattered sectors written and read back");
    disk_read(&d, 1 * step + 2, 1, buf);
    check(is_fill(buf, 0, 512), "a sector next to them still reads zeros");
    disk_close(&d);
}

static void test_write_image(void)
{
    char err[512];
    const char *img = path_of("rw.img");
    make_image(img, 32, 512);
    struct disk a, b;
    struct disk_spec s = hd(img);
    s.write_image = true;
    check(disk_open(&a, &s, err, sizeof err) == 0, "open for writing (cache=writeback)");
    check(!a.has_mem && !a.has_file && a.write_image, "no overlay: writes go to the image");
    uint8_t w[512], r[512];
    memset(w, 0x5C, sizeof w);
    check(disk_write(&a, 7, 1, w) == 0, "write sector 7");
    int fd = open(img, O_RDONLY);
    check(pread(fd, r, 512, 7 * 512) == 512 && is_fill(r, 0x5C, 512),
          "the write is in the file at once (before any flush or close)");
    check(disk_open(&b, &s, err, sizeof err) < 0 && strstr(err, "another x86lab"),
          "a second writer is refused (lock)");
    struct disk_spec ro = hd(img);
    check(disk_open(&b, &ro, err, sizeof err) < 0 && strstr(err, "open for writing"),
          "a reader is refused while a writer has it");
    check(disk_flush(&a) == 0, "FLUSH (fdatasync)");
    disk_close(&a);
    check(pread(fd, r, 512, 7 * 512) == 512 && is_fill(r, 0x5C, 512), "still there after close");
    check(pread(fd, r, 512, 6 * 512) == 512 && is_pattern(r, 6, 512), "sector 6 untouched");
    close(fd);
    struct disk c;
    check(disk_open(&b, &ro, err, sizeof err) == 0 && disk_open(&c, &ro, err, sizeof err) == 0,
          "after close, two readers share it");
    check(disk_open(&a, &s, err, sizeof err) < 0, "a writer is refused while readers have it");
    disk_close(&b);
    disk_close(&c);
    s.snapshot = true;
    check(disk_open(&a, &s, err, sizeof err) == 0 && a.has_mem && !a.write_image,
          "snapshot wins over writing into the image");
    memset(w, 0x77, sizeof w);
    disk_write(&a, 8, 1, w);
    disk_close(&a);
    fd = open(img, O_RDONLY);
    check(pread(fd, r, 512, 8 * 512) == 512 && is_pattern(r, 8, 512), "snapshot: the image keeps sector 8");
    close(fd);
    s.snapshot = false;
    s.sync_writes = true;
    check(disk_open(&a, &s, err, sizeof err) == 0 && a.sync_writes, "writethrough: synchronous writes");
    check(disk_write(&a, 9, 1, w) == 0, "writethrough: write");
    disk_close(&a);
}

/* The slot of the overlay file that holds sector's newest record. */
static long ov_slot_of(const struct overlay *ov, uint64_t sector)
{
    for (size_t k = 0; k < ov->cap; k++)
        if (ov->keys[k] == sector + 1)
            return (long)ov->slots[k];
    return -1;
}

static void test_overlay_file(void)
{
    char err[512];
    const char *img = path_of("ov-base.img"), *cow = path_of("ov-base.img.cow");
    make_image(img, 100, 512);
    long size;
    uint8_t *before = slurp(img, &size);
    struct disk d;
    struct disk_spec s = hd(img);
    s.overlay = cow;
    check(disk_open(&d, &s, err, sizeof err) == 0, "open with overlay=F (created)");
    check(file_size(cow) == DISK_OV_HEADER, "new overlay file: just the header");
    uint8_t w[512], r[512];
    memset(w, 0x31, 512);
    disk_write(&d, 3, 1, w);
    memset(w, 0x39, 512);
    disk_write(&d, 9, 1, w);
    long rec = DISK_OV_REC_HEADER + 512;
    check(file_size(cow) == DISK_OV_HEADER + 2 * rec, "two records appended");
    struct disk e;
    check(disk_open(&e, &s, err, sizeof err) < 0 && strstr(err, "in use"),
          "the overlay file is locked against a second user");
    disk_close(&d);
    check(same_file_bytes(img, before, size), "the image is unchanged");

    check(disk_open(&d, &s, err, sizeof err) == 0, "reopen with the overlay file");
    check(disk_read(&d, 3, 1, r) == 0 && is_fill(r, 0x31, 512), "sector 3 persisted");
    check(disk_read(&d, 9, 1, r) == 0 && is_fill(r, 0x39, 512), "sector 9 persisted");
    check(disk_read(&d, 4, 1, r) == 0 && is_pattern(r, 4, 512), "sector 4 from the image");
    memset(w, 0x33, 512);
    disk_write(&d, 3, 1, w);
    check(file_size(cow) == DISK_OV_HEADER + 3 * rec, "rewriting sector 3: a new record");
    memset(w, 0x32, 512);
    disk_write(&d, 3, 1, w);
    check(file_size(cow) == DISK_OV_HEADER + 3 * rec, "... and again: into the superseded slot");
    memset(w, 0x33, 512);
    disk_write(&d, 3, 1, w);
    disk_close(&d);

    /* -snapshot over the overlay file: read it, never write it */
    long cow_size;
    uint8_t *cow_before = slurp(cow, &cow_size);
    s.snapshot = true;
    check(disk_open(&d, &s, err, sizeof err) == 0 && d.has_mem && d.has_file, "snapshot over overlay=F");
    check(disk_read(&d, 3, 1, r) == 0 && is_fill(r, 0x33, 512), "snapshot: reads the overlay file");
    memset(w, 0x44, 512);
    disk_write(&d, 20, 1, w);
    check(disk_read(&d, 20, 1, r) == 0 && is_fill(r, 0x44, 512), "snapshot: sees its own write");
    disk_close(&d);
    check(same_file_bytes(cow, cow_before, cow_size), "snapshot: the overlay file is unchanged");
    free(cow_before);
    s.snapshot = false;

    /* A record cut short at the end (a crash while appending) is ignored. */
    FILE *f = fopen(cow, "ab");
    uint8_t junk[100];
    memset(junk, 0xEE, sizeof junk);
    fwrite(junk, 1, sizeof junk, f);
    fclose(f);
    check(disk_open(&d, &s, err, sizeof err) == 0, "torn last record: still opens");
    check(disk_read(&d, 9, 1, r) == 0 && is_fill(r, 0x39, 512), "torn last record: data intact");
    check(disk_read(&d, 20, 1, r) == 0 && is_pattern(r, 20, 512), "the snapshot's write is not there");
    memset(w, 0x55, 512);
    disk_write(&d, 50, 1, w);
    check(file_size(cow) == DISK_OV_HEADER + 3 * rec + 100, "the next record takes the free slot");
    disk_write(&d, 51, 1, w);
    check(file_size(cow) == DISK_OV_HEADER + 4 * rec, "the one after replaces the torn one");
    disk_close(&d);
    check(disk_open(&d, &s, err, sizeof err) == 0 && disk_read(&d, 50, 1, r) == 0 &&
          is_fill(r, 0x55, 512), "... and reads back after reopening");
    disk_close(&d);

    /* A torn record in the middle (a crash while reusing a slot) is a free
     * slot: its sector has its previous contents, never a mix. */
    check(disk_open(&d, &s, err, sizeof err) == 0, "reopen before damaging");
    int live3 = (int)ov_slot_of(&d.file, 3);
    disk_close(&d);
    int fd = open(cow, O_WRONLY);
    uint8_t bad = 0x99;
    check(pwrite(fd, &bad, 1, DISK_OV_HEADER + (long)live3 * rec + DISK_OV_REC_HEADER + 100) == 1,
          "damage the data of sector 3's newest record");
    close(fd);
    check(disk_open(&d, &s, err, sizeof err) == 0, "damaged record: the file still opens");
    check(disk_read(&d, 3, 1, r) == 0 && (is_fill(r, 0x32, 512) || is_pattern(r, 3, 512)),
          "damaged record: sector 3 is an older version, never the torn one");
    check(disk_read(&d, 9, 1, r) == 0 && is_fill(r, 0x39, 512), "damaged record: others intact");
    disk_close(&d);
    fd = open(cow, O_WRONLY);
    uint8_t rec9[DISK_OV_REC_HEADER] = { 200 };   /* sector 200 of a 100-sector image */
    check(pwrite(fd, rec9, 8, DISK_OV_HEADER) == 8, "a record naming sector 200");
    close(fd);
    check(disk_open(&d, &s, err, sizeof err) == 0, "... with a wrong CRC: a free slot");
    disk_close(&d);

    /* An overlay made for another image is refused. */
    const char *other = path_of("other.img");
    make_image(other, 50, 512);
    s = hd(other);
    s.overlay = path_of("fresh.cow");
    check(disk_open(&d, &s, err, sizeof err) == 0, "an overlay file for a 50-sector image");
    disk_close(&d);
    s = hd(img);
    s.overlay = path_of("fresh.cow");
    check(disk_open(&d, &s, err, sizeof err) < 0 && strstr(err, "belongs to an image"),
          "overlay for a 50-sector image on a 100-sector one: refused");
    if (!strstr(err, "belongs"))
        printf("  (got: %s)\n", err);
    free(before);

    /* Under -snapshot a missing overlay file is not created. */
    s.overlay = path_of("never.cow");
    s.snapshot = true;
    check(disk_open(&d, &s, err, sizeof err) == 0 && access(path_of("never.cow"), F_OK) < 0,
          "snapshot with a missing overlay file: nothing created");
    disk_close(&d);
}

static void test_cdrom(void)
{
    char err[512];
    const char *iso = path_of("cd-ok.iso");
    make_image(iso, 10, 2048);
    struct disk d;
    struct disk_spec s = { .path = iso, .media = DISK_MEDIA_CDROM };
    check(disk_open(&d, &s, err, sizeof err) == 0 && d.sector_size == 2048 && d.sectors == 10,
          "CD image: 10 sectors of 2048 bytes");
    uint8_t buf[2 * 2048];
    check(disk_read(&d, 8, 2, buf) == 0 && is_pattern(buf, 8, 2048) && is_pattern(buf + 2048, 9, 2048),
          "CD read of sectors 8-9");
    check(disk_write(&d, 0, 1, buf) < 0 && errno == EROFS, "CD write: EROFS");
    disk_close(&d);
    s.path = NULL;
    check(disk_open(&d, &s, err, sizeof err) == 0 && d.sectors == 0, "an empty CD drive has no sectors");
    disk_close(&d);
}

static int parse(const char *text, struct disk_spec *s, int *index, char *err, size_t n)
{
    static char copy[512];
    snprintf(copy, sizeof copy, "%s", text);
    return disk_parse_drive(copy, s, index, err, n);
}

static void test_parse(void)
{
    char err[512];
    struct disk_spec s;
    int index;
    check(parse("file=a.img,index=2,media=disk,format=raw,if=ide,cache=writeback", &s, &index, err,
                sizeof err) == 0 && index == 2 && !strcmp(s.path, "a.img") && s.write_image &&
          !s.sync_writes && s.media == DISK_MEDIA_HD, "-drive: a full disk line");
    check(parse("file=x,,y.iso,media=cdrom", &s, &index, err, sizeof err) == 0 &&
          !strcmp(s.path, "x,y.iso") && index == -1 && s.media == DISK_MEDIA_CDROM,
          "-drive: ',,' is a comma in a file name");
    check(parse("size=200G,snapshot=on,overlay=o.cow", &s, &index, err, sizeof err) == 0 &&
          s.blank_size == 200ull << 30 && s.snapshot && !strcmp(s.overlay, "o.cow"),
          "-drive: size, snapshot, overlay");
    check(parse("media=cdrom", &s, &index, err, sizeof err) == 0 && !s.path, "-drive: empty CD drive");
    static const struct { const char *text, *needle; } bad[] = {
        { "file=a,foo=1", "'foo'" },
        { "file=a,media=tape", "media=tape" },
        { "file=a,index=x", "index=x" },
        { "file=a,snapshot=maybe", "snapshot=maybe" },
        { "file=a,cache=none", "cache=none" },
        { "file=a,format=qcow2", "format=qcow2" },
        { "file=a,if=scsi", "if=scsi" },
        { "size=12Q", "size=12Q" },
        { "file=a,readonly", "not key=value" },
        { "index=1", "needs file=" },
        { "file=a,size=1M", "size=" },
        { "file=a,media=cdrom,cache=writeback", "read-only" },
        { "file=a,overlay=b,cache=writeback", "overlay=" },
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char what[200];
        snprintf(what, sizeof what, "-drive %s: error naming %s", bad[k].text, bad[k].needle);
        check(parse(bad[k].text, &s, &index, err, sizeof err) < 0 && strstr(err, bad[k].needle), what);
    }
    uint64_t n;
    check(disk_parse_size("64M", &n) == 0 && n == 64u << 20, "size 64M");
    check(disk_parse_size("4096", &n) == 0 && n == 4096, "size 4096");
    check(disk_parse_size("1T", &n) == 0 && n == 1ull << 40, "size 1T");
    check(disk_parse_size("-1", &n) < 0 && disk_parse_size("5MB", &n) < 0, "bad sizes refused");
}

static void remove_dir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", dir);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/x86lab-test-disk.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_bad_images();
    test_memory_overlay();
    test_many_sectors();
    test_write_image();
    test_overlay_file();
    test_cdrom();
    test_parse();
    remove_dir();
    printf("test_disk: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
