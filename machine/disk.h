/* disk.h -- disk images behind the drives: a raw image that is never
 * changed unless the user asks, a copy-on-write overlay that takes the
 * guest's writes (in memory, or in a sidecar file), and image locking.
 *
 * Layers, top first; a read takes each sector from the first layer that has
 * it, a write goes to the top layer:
 *
 *   memory overlay   always present unless writes go elsewhere; -snapshot
 *                    (or snapshot=on) puts it on top of everything, so
 *                    nothing below is ever written
 *   overlay file     overlay=F: the writes are kept in F, across runs
 *   the image        opened read-only, except with cache=writeback /
 *                    cache=writethrough / --write-disk, where the writes go
 *                    straight into it (pwrite as each write completes, so a
 *                    signal or crash of x86lab loses nothing the guest saw
 *                    completed; fdatasync on FLUSH CACHE and at exit)
 *
 * Locks (flock): an image or overlay file that x86lab writes is locked
 * exclusively, one it only reads is locked shared; a conflict is an error,
 * so two x86lab processes never write one file or read one being written.
 *
 * The overlay file (overlay=F) is created when missing.  Its format:
 *   bytes 0-511   header: "X86LAB-OVERLAY\n" + NUL, u32 version (2),
 *                 u32 sector size, u64 size of the image it belongs to,
 *                 zeros (all integers little-endian)
 *   then slots    of DISK_OV_REC_HEADER + sector size bytes, each a record:
 *                 u64 sector number, u64 generation (1, 2, ... one per
 *                 sector written, never reused), u32 CRC-32 (IEEE) of the
 *                 record's first 16 bytes and its data, u32 sector size,
 *                 the sector's data.
 * Every write of a sector is a new record, written with one pwrite into a
 * free slot (or appended), and only then does the index point at it and
 * the slot of the sector's previous record become free.  A record is never
 * overwritten while it is a sector's newest, so a write cut short by a
 * crash or SIGKILL (or a full host disk) leaves a slot whose CRC fails:
 * reading the file back, such a slot is free and the sector has its
 * previous contents -- a write is either present or cleanly absent, never
 * torn.  Of several good records of one sector the highest generation
 * wins.  A good record naming a sector past the image makes the file
 * unusable (an error).  Version 1 files (no generations, no CRC) are
 * refused with a message. */
#ifndef X86LAB_DISK_H
#define X86LAB_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { DISK_HD_SECTOR = 512, DISK_CD_SECTOR = 2048 };
enum { DISK_OV_HEADER = 512, DISK_OV_VERSION = 2, DISK_OV_REC_HEADER = 24 };
#define DISK_OV_MAGIC "X86LAB-OVERLAY\n"
/* LBA48 addresses 2^48 sectors. */
#define DISK_MAX_SECTORS (UINT64_C(1) << 48)

enum disk_media { DISK_MEDIA_HD, DISK_MEDIA_CDROM };

/* What the user asked for (-hda, -cdrom, -drive ...). */
struct disk_spec {
    const char *path;        /* the image; NULL: blank disk or empty CD drive */
    const char *overlay;     /* overlay file for the writes, or NULL */
    uint64_t blank_size;     /* no image: a zero-filled disk of this many bytes */
    enum disk_media media;
    bool write_image;        /* writes go into the image itself */
    bool sync_writes;        /* ... and each one is fdatasync'ed (writethrough) */
    bool snapshot;           /* every write is discarded at exit */
};

/* Sectors that differ from the layer below: an open-addressing hash from
 * sector number to a slot, and the slots' data in memory or in a file. */
struct overlay {
    uint32_t sector_size;
    uint64_t *keys;          /* sector + 1; 0 marks an empty entry */
    uint32_t *slots;
    size_t cap, count;       /* cap is a power of two (or 0) */
    int fd;                  /* -1: data in memory */
    bool readonly;           /* a file layer below a -snapshot memory layer */
    /* File layer only: slots in the file (good or not), free slots (torn
     * or superseded records) and the last generation written. */
    size_t nslots;
    uint32_t *free;
    size_t nfree, free_cap;
    uint64_t gen;
    uint8_t **chunks;        /* memory: chunk k holds slots k*OV_CHUNK ... */
    size_t nchunks;
};

struct disk {
    const char *path;        /* for messages */
    enum disk_media media;
    uint32_t sector_size;
    uint64_t sectors;        /* 0 for an empty CD drive */
    int fd;                  /* the image; -1 for a blank disk or no medium */
    bool write_image;
    bool sync_writes;
    bool has_file, has_mem;  /* which overlay layers exist */
    struct overlay file, mem;
    uint64_t sectors_read, sectors_written;
    uint64_t write_errors;   /* writes the host refused (told on stderr) */
};

/* The value of -drive: file=F, index=N, media=disk|cdrom, format=raw,
 * if=ide, cache=writeback|writethrough (writes into the image),
 * snapshot=on|off, overlay=F, size=N[K|M|G|T] (a blank disk, no file);
 * ",," in a value stands for a comma.  Fills spec and *index (-1 when not
 * given); -1 with a one-line reason naming the bad key in err.  str is
 * modified (split and unescaped); spec points into it. */
int disk_parse_drive(char *str, struct disk_spec *spec, int *index, char *err, size_t errlen);
/* A size with an optional binary suffix K, M, G or T; -1 when malformed. */
int disk_parse_size(const char *s, uint64_t *bytes);

/* Opens the image and its layers as the spec says.  Returns 0, or -1 with
 * a one-line reason ("PATH: why") in err; nothing stays open then. */
int disk_open(struct disk *d, const struct disk_spec *s, char *err, size_t errlen);
/* Whole sectors; -1 with errno (ERANGE past the end, EROFS on a CD, EIO). */
int disk_read(struct disk *d, uint64_t sector, uint32_t count, void *buf);
int disk_write(struct disk *d, uint64_t sector, uint32_t count, const void *buf);
/* Makes every completed write durable (FLUSH CACHE). */
int disk_flush(struct disk *d);
/* Flushes and closes; safe on a zeroed or already closed struct. */
void disk_close(struct disk *d);
/* Where the guest's writes end up, for messages: "memory", the overlay
 * file, or the image. */
const char *disk_write_target(const struct disk *d);

#endif
