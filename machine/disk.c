/* disk.c -- raw disk images with copy-on-write overlays (in memory or in a
 * sidecar file), flock-based locking, and the -drive option's parser; the
 * layering and the overlay file format are described in disk.h. */
#include "disk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OV_CHUNK = 256, OV_REC_HEADER = DISK_OV_REC_HEADER, OV_SCAN_RECORDS = 128 };

static int errorf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int k = 0; k < n; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}

static uint64_t get_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int k = n - 1; k >= 0; k--)
        v = (v << 8) | p[k];
    return v;
}

/* CRC-32 (IEEE 802.3, reflected), bit by bit: a record is 0.5-2 KiB and
 * written once per guest sector write, so a table is not worth its cache. */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t len)
{
    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

/* pread/pwrite of the whole length, retrying short transfers and EINTR;
 * a read past the end of the file is an error (EIO). */
static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
    uint8_t *p = buf;
    while (len) {
        ssize_t n = pread(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return -1;
        }
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return 0;
}

static int pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
    const uint8_t *p = buf;
    while (len) {
        ssize_t n = pwrite(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return -1;
        }
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return 0;
}

/* ---- the overlay index ---- */

static size_t ov_hash(uint64_t key, size_t cap)
{
    key ^= key >> 33;
    key *= UINT64_C(0xff51afd7ed558ccd);
    key ^= key >> 33;
    return (size_t)key & (cap - 1);
}

/* Index of sector's entry, or of the empty entry where it would go. */
static size_t ov_probe(const struct overlay *ov, uint64_t sector)
{
    size_t k = ov_hash(sector + 1, ov->cap);
    while (ov->keys[k] && ov->keys[k] != sector + 1)
        k = (k + 1) & (ov->cap - 1);
    return k;
}

/* Slot of a sector, or -1 when this layer does not hold it. */
static int64_t ov_find(const struct overlay *ov, uint64_t sector)
{
    if (!ov->cap)
        return -1;
    size_t k = ov_probe(ov, sector);
    return ov->keys[k] ? (int64_t)ov->slots[k] : -1;
}

static int ov_grow(struct overlay *ov)
{
    size_t cap = ov->cap ? ov->cap * 2 : 1024;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!keys || !slots) {
        free(keys);
        free(slots);
        errno = ENOMEM;
        return -1;
    }
    struct overlay old = *ov;
    ov->keys = keys;
    ov->slots = slots;
    ov->cap = cap;
    for (size_t k = 0; k < old.cap; k++)
        if (old.keys[k]) {
            size_t at = ov_probe(ov, old.keys[k] - 1);
            ov->keys[at] = old.keys[k];
            ov->slots[at] = old.slots[k];
        }
    free(old.keys);
    free(old.slots);
    return 0;
}

/* Records that sector lives in slot (a new entry). */
static int ov_insert(struct overlay *ov, uint64_t sector, uint32_t slot)
{
    if ((ov->count + 1) * 4 > ov->cap * 3 && ov_grow(ov) < 0)
        return -1;
    size_t k = ov_probe(ov, sector);
    if (!ov->keys[k])
        ov->count++;
    ov->keys[k] = sector + 1;
    ov->slots[k] = slot;
    return 0;
}

static uint64_t ov_record_offset(const struct overlay *ov, uint32_t slot)
{
    return DISK_OV_HEADER + (uint64_t)slot * (OV_REC_HEADER + ov->sector_size);
}

static uint8_t *ov_mem_slot(const struct overlay *ov, uint32_t slot)
{
    return ov->chunks[slot / OV_CHUNK] + (size_t)(slot % OV_CHUNK) * ov->sector_size;
}

static int ov_read_slot(const struct overlay *ov, uint32_t slot, void *buf)
{
    if (ov->fd < 0) {
        memcpy(buf, ov_mem_slot(ov, slot), ov->sector_size);
        return 0;
    }
    return pread_full(ov->fd, buf, ov->sector_size, ov_record_offset(ov, slot) + OV_REC_HEADER);
}

/* A new slot in memory: the chunk that holds it exists afterwards. */
static int ov_mem_reserve(struct overlay *ov, uint32_t slot)
{
    size_t chunk = slot / OV_CHUNK;
    while (ov->nchunks <= chunk) {       /* one at a time: no gap of garbage */
        uint8_t **chunks = realloc(ov->chunks, (ov->nchunks + 1) * sizeof *chunks);
        if (!chunks)
            return errno = ENOMEM, -1;
        ov->chunks = chunks;
        uint8_t *data = malloc((size_t)OV_CHUNK * ov->sector_size);
        if (!data)
            return errno = ENOMEM, -1;
        chunks[ov->nchunks++] = data;
    }
    return 0;
}

/* The CRC of a record: its first 16 bytes (sector, generation) and data. */
static uint32_t ov_record_crc(const uint8_t *rec, uint32_t sector_size)
{
    return crc32_update(crc32_update(0, rec, 16), rec + OV_REC_HEADER, sector_size);
}

/* A free slot of the file layer: a torn or superseded record's, else a new
 * one at the end of the file. */
static uint32_t ov_file_slot(const struct overlay *ov)
{
    return ov->nfree ? ov->free[ov->nfree - 1] : (uint32_t)ov->nslots;
}

static int ov_free_push(struct overlay *ov, uint32_t slot)
{
    if (ov->nfree == ov->free_cap) {
        size_t cap = ov->free_cap ? ov->free_cap * 2 : 64;
        uint32_t *f = realloc(ov->free, cap * sizeof *f);
        if (!f)
            return errno = ENOMEM, -1;
        ov->free = f;
        ov->free_cap = cap;
    }
    ov->free[ov->nfree++] = slot;
    return 0;
}

/* A sector's write to a file layer: a whole new record (header, CRC and
 * data in one pwrite) in a free slot, so that the sector's previous record
 * stays intact until this one is complete (disk.h). */
static int ov_file_write(struct overlay *ov, uint64_t sector, const void *data, int64_t old)
{
    uint8_t rec[OV_REC_HEADER + DISK_CD_SECTOR];
    uint32_t slot = ov_file_slot(ov);
    if (slot >= UINT32_MAX)
        return errno = ENOSPC, -1;
    put_le(rec, sector, 8);
    put_le(rec + 8, ov->gen + 1, 8);
    memcpy(rec + OV_REC_HEADER, data, ov->sector_size);
    put_le(rec + 16, ov_record_crc(rec, ov->sector_size), 4);
    put_le(rec + 20, ov->sector_size, 4);
    if (pwrite_full(ov->fd, rec, OV_REC_HEADER + ov->sector_size, ov_record_offset(ov, slot)) < 0)
        return -1;   /* the slot stays free; what was written of it fails its CRC */
    ov->gen++;
    if (ov->nfree)
        ov->nfree--;
    else
        ov->nslots++;
    if (ov_insert(ov, sector, slot) < 0)
        return -1;
    return old >= 0 ? ov_free_push(ov, (uint32_t)old) : 0;
}

static int ov_write(struct overlay *ov, uint64_t sector, const void *data)
{
    int64_t found = ov_find(ov, sector);
    if (ov->fd >= 0)
        return ov_file_write(ov, sector, data, found);
    if (found >= 0) {
        memcpy(ov_mem_slot(ov, (uint32_t)found), data, ov->sector_size);
        return 0;
    }
    if (ov->count >= UINT32_MAX)
        return errno = ENOSPC, -1;
    uint32_t slot = (uint32_t)ov->count;
    if (ov_mem_reserve(ov, slot) < 0)
        return -1;
    memcpy(ov_mem_slot(ov, slot), data, ov->sector_size);
    return ov_insert(ov, sector, slot);
}

static void ov_init(struct overlay *ov, uint32_t sector_size, int fd)
{
    memset(ov, 0, sizeof *ov);
    ov->sector_size = sector_size;
    ov->fd = fd;
}

static void ov_free(struct overlay *ov)
{
    for (size_t k = 0; k < ov->nchunks; k++)
        free(ov->chunks[k]);
    free(ov->chunks);
    free(ov->keys);
    free(ov->slots);
    free(ov->free);
    if (ov->fd >= 0)
        close(ov->fd);
    ov_init(ov, ov->sector_size, -1);
}

/* ---- the overlay file ---- */

static int lock_file(int fd, bool exclusive)
{
    while (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

static int ov_file_header_write(int fd, uint32_t sector_size, uint64_t base_bytes)
{
    uint8_t h[DISK_OV_HEADER] = { 0 };
    memcpy(h, DISK_OV_MAGIC, sizeof DISK_OV_MAGIC);
    put_le(h + 16, DISK_OV_VERSION, 4);
    put_le(h + 20, sector_size, 4);
    put_le(h + 24, base_bytes, 8);
    return pwrite_full(fd, h, sizeof h, 0);
}

static int ov_file_header_check(int fd, uint32_t sector_size, uint64_t base_bytes,
                                const char *path, char *err, size_t errlen)
{
    uint8_t h[DISK_OV_HEADER];
    if (pread_full(fd, h, sizeof h, 0) < 0 || memcmp(h, DISK_OV_MAGIC, sizeof DISK_OV_MAGIC))
        return errorf(err, errlen, "%s: not an x86lab overlay file", path);
    if (get_le(h + 16, 4) != DISK_OV_VERSION)
        return errorf(err, errlen, "%s: overlay file version %u is not supported (this "
                      "x86lab reads version %d)", path, (unsigned)get_le(h + 16, 4), DISK_OV_VERSION);
    if (get_le(h + 20, 4) != sector_size || get_le(h + 24, 8) != base_bytes)
        return errorf(err, errlen, "%s: overlay file belongs to an image of %llu bytes "
                      "with %u-byte sectors, not this one (%llu bytes)", path,
                      (unsigned long long)get_le(h + 24, 8), (unsigned)get_le(h + 20, 4),
                      (unsigned long long)base_bytes);
    return 0;
}

/* One slot read at open: a good record (CRC right) enters the index when
 * it is its sector's newest so far; a torn or superseded one is free.
 * gens[] holds the generation of each indexed slot.  -1 on a good record
 * past the image (err filled) or when memory is lacking. */
static int ov_scan_slot(struct overlay *ov, const uint8_t *r, uint32_t slot, uint64_t *gens,
                        uint64_t sectors, const char *path, char *err, size_t errlen)
{
    uint64_t sector = get_le(r, 8), gen = get_le(r + 8, 8);
    if (get_le(r + 16, 4) != ov_record_crc(r, ov->sector_size) ||
        get_le(r + 20, 4) != ov->sector_size || gen == 0)
        return ov_free_push(ov, slot) < 0 ? errorf(err, errlen, "%s: out of memory", path) : 0;
    if (sector >= sectors)
        return errorf(err, errlen, "%s: overlay file is corrupt (record %u names sector %llu, "
                      "past the image)", path, (unsigned)slot, (unsigned long long)sector);
    if (gen > ov->gen)
        ov->gen = gen;
    int64_t old = ov_find(ov, sector);
    uint32_t loser = slot;
    if (old < 0 || gens[old] < gen) {
        if (ov_insert(ov, sector, slot) < 0)
            return errorf(err, errlen, "%s: out of memory", path);
        gens[slot] = gen;
        if (old < 0)
            return 0;
        loser = (uint32_t)old;
    }
    return ov_free_push(ov, loser) < 0 ? errorf(err, errlen, "%s: out of memory", path) : 0;
}

/* Rebuilds the index from the slots; a short last one is dropped. */
static int ov_file_scan(struct overlay *ov, uint64_t file_size, uint64_t sectors,
                        const char *path, char *err, size_t errlen)
{
    uint64_t rec = OV_REC_HEADER + ov->sector_size;
    uint64_t n = (file_size - DISK_OV_HEADER) / rec;
    if (n >= UINT32_MAX)
        return errorf(err, errlen, "%s: overlay file too large", path);
    size_t bufsize = (size_t)(OV_SCAN_RECORDS * rec);
    uint8_t *buf = malloc(bufsize);
    uint64_t *gens = calloc((size_t)n + 1, sizeof *gens);
    int r = buf && gens ? 0 : errorf(err, errlen, "%s: out of memory", path);
    for (uint64_t first = 0; r == 0 && first < n; first += OV_SCAN_RECORDS) {
        uint64_t count = n - first < OV_SCAN_RECORDS ? n - first : OV_SCAN_RECORDS;
        if (pread_full(ov->fd, buf, (size_t)(count * rec), DISK_OV_HEADER + first * rec) < 0)
            r = errorf(err, errlen, "%s: %s", path, strerror(errno));
        for (uint64_t k = 0; r == 0 && k < count; k++)
            r = ov_scan_slot(ov, buf + k * rec, (uint32_t)(first + k), gens, sectors,
                             path, err, errlen);
    }
    free(buf);
    free(gens);
    ov->nslots = (size_t)n;
    return r;
}

static bool same_file(int a, int b)
{
    struct stat sa, sb;
    return a >= 0 && b >= 0 && !fstat(a, &sa) && !fstat(b, &sb) &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Opens (or creates) the overlay file; readonly under -snapshot, where a
 * missing file is simply no layer. */
static int ov_file_open(struct disk *d, const char *path, bool readonly, char *err, size_t errlen)
{
    int fd = open(path, readonly ? O_RDONLY | O_CLOEXEC : O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 && readonly && errno == ENOENT)
        return 0;
    if (fd < 0)
        return errorf(err, errlen, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return errorf(err, errlen, "%s: overlay is not a regular file", path);
    }
    if (same_file(fd, d->fd)) {
        close(fd);
        return errorf(err, errlen, "%s: the overlay file is the image itself", path);
    }
    if (lock_file(fd, !readonly) < 0) {
        close(fd);
        return errorf(err, errlen, "%s: overlay file is in use by another x86lab or drive", path);
    }
    uint64_t base_bytes = d->sectors * d->sector_size;
    ov_init(&d->file, d->sector_size, fd);
    d->file.readonly = readonly;
    d->has_file = true;
    if (st.st_size == 0) {
        if (!readonly && ov_file_header_write(fd, d->sector_size, base_bytes) < 0)
            return errorf(err, errlen, "%s: %s", path, strerror(errno));
        return 0;
    }
    if ((uint64_t)st.st_size < DISK_OV_HEADER)
        return errorf(err, errlen, "%s: not an x86lab overlay file", path);
    if (ov_file_header_check(fd, d->sector_size, base_bytes, path, err, errlen) < 0)
        return -1;
    return ov_file_scan(&d->file, (uint64_t)st.st_size, d->sectors, path, err, errlen);
}

/* ---- the image ---- */

static int image_size_check(struct disk *d, uint64_t bytes, char *err, size_t errlen)
{
    const char *what = d->media == DISK_MEDIA_CDROM ? "CD-ROM image" : "disk image";
    if (bytes == 0)
        return errorf(err, errlen, "%s: the %s is empty (0 bytes)", d->path, what);
    if (bytes % d->sector_size)
        return errorf(err, errlen, "%s: the %s's size (%llu bytes) is not a multiple of %u",
                      d->path, what, (unsigned long long)bytes, d->sector_size);
    if (bytes / d->sector_size > DISK_MAX_SECTORS)
        return errorf(err, errlen, "%s: the %s is larger than 2^48 sectors", d->path, what);
    d->sectors = bytes / d->sector_size;
    return 0;
}

static int image_open(struct disk *d, const struct disk_spec *s, char *err, size_t errlen)
{
    bool rw = s->write_image && !s->snapshot;
    int fd = open(s->path, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd < 0)
        return errorf(err, errlen, "%s: %s%s", s->path, rw ? "cannot open for writing: " : "",
                      strerror(errno));
    d->fd = fd;
    struct stat st;
    if (fstat(fd, &st) < 0)
        return errorf(err, errlen, "%s: %s", s->path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return errorf(err, errlen, "%s: is a directory, not an image", s->path);
    if (!S_ISREG(st.st_mode))
        return errorf(err, errlen, "%s: not a regular file", s->path);
    /* A read proves the image readable now, not at the guest's first read. */
    uint8_t probe;
    if (st.st_size > 0 && pread(fd, &probe, 1, 0) != 1)
        return errorf(err, errlen, "%s: cannot read: %s", s->path, strerror(errno));
    if (image_size_check(d, (uint64_t)st.st_size, err, errlen) < 0)
        return -1;
    if (lock_file(fd, rw) < 0)
        return errorf(err, errlen, rw ? "%s: in use by another x86lab or drive (cannot lock it "
                                        "for writing)"
                                      : "%s: open for writing by another x86lab or drive",
                      s->path);
    d->write_image = rw;
    d->sync_writes = rw && s->sync_writes;
    return 0;
}

static int disk_layers(struct disk *d, const struct disk_spec *s, char *err, size_t errlen)
{
    if (s->media == DISK_MEDIA_CDROM) {
        if (s->overlay || s->write_image)
            return errorf(err, errlen, "%s: a CD-ROM is read-only (no overlay, no writes)", d->path);
        return 0;
    }
    if (s->overlay && s->write_image && !s->snapshot)
        return errorf(err, errlen, "%s: writes cannot go both to the image and to overlay %s",
                      d->path, s->overlay);
    if (s->overlay && ov_file_open(d, s->overlay, s->snapshot, err, errlen) < 0)
        return -1;
    d->has_mem = s->snapshot || (!d->write_image && !s->overlay);
    return 0;
}

int disk_open(struct disk *d, const struct disk_spec *s, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    d->fd = -1;
    d->media = s->media;
    d->sector_size = s->media == DISK_MEDIA_CDROM ? DISK_CD_SECTOR : DISK_HD_SECTOR;
    d->path = s->path ? s->path : "(blank disk)";
    ov_init(&d->file, d->sector_size, -1);
    ov_init(&d->mem, d->sector_size, -1);
    int r = 0;
    if (s->path)
        r = image_open(d, s, err, errlen);
    else if (s->media == DISK_MEDIA_HD)
        r = image_size_check(d, s->blank_size, err, errlen);
    if (r == 0)
        r = disk_layers(d, s, err, errlen);
    if (r < 0) {
        disk_close(d);
        return -1;
    }
    return 0;
}

/* The layer a sector is read from. */
enum source { SRC_MEM, SRC_FILE, SRC_BASE };

static enum source sector_source(const struct disk *d, uint64_t sector, uint32_t *slot)
{
    int64_t k;
    if (d->has_mem && (k = ov_find(&d->mem, sector)) >= 0) {
        *slot = (uint32_t)k;
        return SRC_MEM;
    }
    if (d->has_file && (k = ov_find(&d->file, sector)) >= 0) {
        *slot = (uint32_t)k;
        return SRC_FILE;
    }
    return SRC_BASE;
}

/* Sectors [sector, sector + count) from the image (zeros for a blank disk). */
static int base_read(const struct disk *d, uint64_t sector, uint32_t count, uint8_t *buf)
{
    size_t len = (size_t)count * d->sector_size;
    if (d->fd < 0) {
        memset(buf, 0, len);
        return 0;
    }
    return pread_full(d->fd, buf, len, sector * d->sector_size);
}

static bool in_range(const struct disk *d, uint64_t sector, uint32_t count)
{
    return sector <= d->sectors && count <= d->sectors - sector;
}

int disk_read(struct disk *d, uint64_t sector, uint32_t count, void *buf)
{
    if (!in_range(d, sector, count))
        return errno = ERANGE, -1;
    uint8_t *p = buf;
    uint32_t k = 0;
    while (k < count) {
        uint32_t slot = 0;
        enum source src = sector_source(d, sector + k, &slot);
        uint8_t *dst = p + (size_t)k * d->sector_size;
        if (src != SRC_BASE) {
            if (ov_read_slot(src == SRC_MEM ? &d->mem : &d->file, slot, dst) < 0)
                return -1;
            k++;
            continue;
        }
        /* A run of sectors that no overlay holds: one read. */
        uint32_t run = 1;
        while (k + run < count && sector_source(d, sector + k + run, &slot) == SRC_BASE)
            run++;
        if (base_read(d, sector + k, run, dst) < 0)
            return -1;
        k += run;
    }
    d->sectors_read += count;
    return 0;
}

/* A write the host refused (a full disk, an I/O error): said on stderr,
 * the first few times, while the guest gets its controller's error. */
static int write_failed(struct disk *d, uint64_t sector)
{
    int e = errno;
    if (d->write_errors++ < 3)
        fprintf(stderr, "x86lab: %s: writing sector %llu to %s failed: %s (the guest sees "
                "a disk error)%s\n", d->path, (unsigned long long)sector, disk_write_target(d),
                strerror(e), d->write_errors == 3 ? "; further failures are not shown" : "");
    errno = e;
    return -1;
}

int disk_write(struct disk *d, uint64_t sector, uint32_t count, const void *buf)
{
    if (d->media == DISK_MEDIA_CDROM)
        return errno = EROFS, -1;
    if (!in_range(d, sector, count))
        return errno = ERANGE, -1;
    const uint8_t *p = buf;
    if (!d->has_mem && !d->has_file) {
        if (pwrite_full(d->fd, p, (size_t)count * d->sector_size, sector * d->sector_size) < 0)
            return write_failed(d, sector);
        if (d->sync_writes && fdatasync(d->fd) < 0)
            return write_failed(d, sector);
    } else {
        struct overlay *top = d->has_mem ? &d->mem : &d->file;
        for (uint32_t k = 0; k < count; k++)
            if (ov_write(top, sector + k, p + (size_t)k * d->sector_size) < 0)
                return write_failed(d, sector + k);
    }
    d->sectors_written += count;
    return 0;
}

int disk_flush(struct disk *d)
{
    if (d->has_mem)
        return 0;
    if (d->has_file)
        return d->file.readonly ? 0 : fdatasync(d->file.fd);
    if (d->write_image && d->fd >= 0)
        return fdatasync(d->fd);
    return 0;
}

void disk_close(struct disk *d)
{
    if (d->sector_size == 0)
        return;          /* never opened */
    disk_flush(d);
    ov_free(&d->mem);
    ov_free(&d->file);
    if (d->fd >= 0)
        close(d->fd);
    d->fd = -1;
    d->has_mem = d->has_file = false;
    d->sector_size = 0;
}

const char *disk_write_target(const struct disk *d)
{
    if (d->media == DISK_MEDIA_CDROM)
        return "nowhere (read-only)";
    if (d->has_mem)
        return "memory (discarded at exit)";
    if (d->has_file)
        return "the overlay file";
    return "the image";
}

/* ---- -drive ---- */

int disk_parse_size(const char *s, uint64_t *bytes)
{
    char *end;
    if (!*s || *s == '-')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s)
        return -1;
    static const char units[] = "KMGT";
    const char *u = *end ? strchr(units, *end) : NULL;
    if (*end && (!u || end[1]))
        return -1;
    int shift = u ? 10 * (int)(u - units + 1) : 0;
    if (shift && v > (~0ULL >> shift))
        return -1;
    *bytes = (uint64_t)v << shift;
    return 0;
}

/* Cuts the next item off *p at a single comma (",," is a literal comma);
 * returns the item, unescaped in place, or NULL at the end. */
static char *next_item(char **p)
{
    char *item = *p, *w = *p, *r = *p;
    if (!item)
        return NULL;
    for (;;) {
        if (*r == ',' && r[1] == ',') {
            *w++ = ',';
            r += 2;
        } else if (*r == ',' || !*r) {
            *p = *r ? r + 1 : NULL;
            *w = 0;
            return item;
        } else {
            *w++ = *r++;
        }
    }
}

static int on_off(const char *v, bool *out)
{
    if (!strcmp(v, "on"))
        *out = true;
    else if (!strcmp(v, "off"))
        *out = false;
    else
        return -1;
    return 0;
}

/* One key=value of -drive; 0, or -1 with err filled. */
static int drive_key(const char *key, const char *v, struct disk_spec *spec, int *index,
                     char *err, size_t errlen)
{
    uint64_t n;
    if (!strcmp(key, "file")) {
        spec->path = *v ? v : NULL;
    } else if (!strcmp(key, "index")) {
        if (disk_parse_size(v, &n) || n > 255 || strpbrk(v, "KMGT"))
            return errorf(err, errlen, "-drive: index=%s is not a drive number", v);
        *index = (int)n;
    } else if (!strcmp(key, "media")) {
        if (strcmp(v, "disk") && strcmp(v, "cdrom"))
            return errorf(err, errlen, "-drive: media=%s: expected disk or cdrom", v);
        spec->media = strcmp(v, "disk") ? DISK_MEDIA_CDROM : DISK_MEDIA_HD;
    } else if (!strcmp(key, "format")) {
        if (strcmp(v, "raw"))
            return errorf(err, errlen, "-drive: format=%s: only raw images are supported", v);
    } else if (!strcmp(key, "if")) {
        if (strcmp(v, "ide"))
            return errorf(err, errlen, "-drive: if=%s: only ide drives exist", v);
    } else if (!strcmp(key, "cache")) {
        if (strcmp(v, "writeback") && strcmp(v, "writethrough"))
            return errorf(err, errlen, "-drive: cache=%s: expected writeback or writethrough", v);
        spec->write_image = true;
        spec->sync_writes = !strcmp(v, "writethrough");
    } else if (!strcmp(key, "snapshot")) {
        if (on_off(v, &spec->snapshot))
            return errorf(err, errlen, "-drive: snapshot=%s: expected on or off", v);
    } else if (!strcmp(key, "overlay")) {
        if (!*v)
            return errorf(err, errlen, "-drive: overlay= needs a file name");
        spec->overlay = v;
    } else if (!strcmp(key, "size")) {
        if (disk_parse_size(v, &spec->blank_size) || !spec->blank_size)
            return errorf(err, errlen, "-drive: size=%s: expected a size such as 64M", v);
    } else {
        return errorf(err, errlen, "-drive: unknown key '%s' (file, index, media, format, if, "
                      "cache, snapshot, overlay, size)", key);
    }
    return 0;
}

int disk_parse_drive(char *str, struct disk_spec *spec, int *index, char *err, size_t errlen)
{
    memset(spec, 0, sizeof *spec);
    spec->media = DISK_MEDIA_HD;
    *index = -1;
    char *p = str, *item;
    while ((item = next_item(&p))) {
        char *eq = strchr(item, '=');
        if (!eq)
            return errorf(err, errlen, "-drive: '%s' is not key=value", item);
        *eq = 0;
        if (drive_key(item, eq + 1, spec, index, err, errlen) < 0)
            return -1;
    }
    if (spec->media == DISK_MEDIA_HD && !spec->path && !spec->blank_size)
        return errorf(err, errlen, "-drive: a disk needs file=F (or size=N for a blank one)");
    if (spec->blank_size && (spec->path || spec->media == DISK_MEDIA_CDROM))
        return errorf(err, errlen, "-drive: size= makes a blank disk: not with file= or media=cdrom");
    if (spec->media == DISK_MEDIA_CDROM && (spec->write_image || spec->overlay))
        return errorf(err, errlen, "-drive: media=cdrom is read-only: no cache=%s, no overlay=",
                      spec->sync_writes ? "writethrough" : "writeback");
    if (spec->overlay && spec->write_image)
        return errorf(err, errlen, "-drive: overlay= and cache= both say where writes go; give one");
    return 0;
}
