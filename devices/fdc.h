/* fdc.h -- the Intel 82077AA floppy disk controller at 0x3F0-0x3F7 (not
 * 0x3F6, which is the hard disk's), IRQ 6, DMA channel 2, with up to two
 * 3.5"/5.25" drives whose media are raw disk images, and those images. */
#ifndef X86LAB_FDC_H
#define X86LAB_FDC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/clock.h"
#include "machine/disk.h"
#include "machine/irq.h"

struct bus;
struct dma;

enum { FDC_DRIVES = 4, FDC_SECTOR = 512 };

/* A standard PC floppy format, known by its image size. */
struct fd_geometry {
    uint32_t size;           /* bytes */
    uint8_t tracks, heads, spt;
    uint8_t rates;           /* data rates (CCR codes) the medium reads at: bit n = code n */
    uint8_t cmos;            /* CMOS drive type of the drive it goes in */
};

/* A floppy image: a disk (machine/disk.h: the raw file, never written
 * unless the spec says so, under a copy-on-write overlay) whose size is a
 * floppy format's.  readonly makes the disk write-protected. */
struct fd_image {
    struct disk disk;
    bool readonly;
    const struct fd_geometry *geo;   /* NULL: not open */
};

/* The geometry for an image of `size` bytes, or NULL. */
const struct fd_geometry *fd_geometry_for_size(uint64_t size);
/* Opens the disk as spec says (a NULL path: a blank disk of blank_size
 * bytes) and checks its size.  Returns 0, or -1 with a one-line reason
 * ("PATH: why") in err. */
int fd_image_open(struct fd_image *img, const struct disk_spec *spec, bool readonly,
                  char *err, size_t errlen);
void fd_image_close(struct fd_image *img);

struct fdc;

struct fd_drive {
    struct fdc *fdc;         /* back pointer for the seek timer */
    int unit;
    bool present;            /* a drive is connected */
    struct fd_image *img;    /* the medium (not owned), NULL when empty */
    uint8_t track;           /* where the head really is */
    bool dskchg;             /* disk-change line (DIR bit 7) */
    uint8_t next_id;         /* sector whose ID passes under the head next */
    uint8_t seek_st0;        /* ST0 reported by SENSE INTERRUPT when done */
    struct timer seek_timer;
};

/* The execution phase of a data command (READ/WRITE DATA, FORMAT TRACK,
 * READ ID). */
struct fdc_xfer {
    uint8_t op;              /* command code (low 5 bits) */
    uint8_t drive, head;     /* physical drive and head */
    uint8_t c, h, r, n, eot; /* the sector ID addressed, end of track */
    bool mt, mfm, pio;
    uint8_t st0, st1, st2;
    uint8_t sc, fill;        /* FORMAT TRACK: sectors, filler byte */
    int done;                /* FORMAT TRACK: IDs taken so far */
    int unit, pos;           /* PIO: bytes per data unit, bytes moved */
    bool waiting;            /* PIO: the unit waits for the guest */
    uint8_t buf[FDC_SECTOR];
};

enum fdc_phase { FDC_PH_COMMAND, FDC_PH_EXEC, FDC_PH_RESULT };

struct fdc {
    struct vclock *clock;
    struct dma *dma;
    int dma_channel;
    struct irq_line irq;
    bool irq_level;          /* what the IRQ pin carries */
    bool intr;               /* the INT condition, before the DOR's gate */
    struct fd_drive drive[FDC_DRIVES];

    uint8_t dor, tdr, dsr;   /* dsr bits 1-0: data rate (CCR shares them) */
    enum fdc_phase phase;
    uint8_t cmd[16];
    int cmd_n, cmd_len;
    uint8_t res[16];
    int res_n, res_len;
    bool res_int;                /* reading the first result byte clears INT */
    struct fdc_xfer x;
    struct timer exec_timer;

    uint8_t pcn[FDC_DRIVES];     /* present cylinder numbers */
    uint8_t seek_busy;           /* MSR drive-busy bits */
    uint8_t sense_pending;       /* drives whose seek ended, not yet sensed */
    int reset_reports;           /* SENSE INTERRUPT reports left after a reset */
    uint8_t specify[2];          /* SRT/HUT, HLT/ND */
    uint8_t config, pretrk;      /* CONFIGURE: EIS EFIFO POLL FIFOTHR */
    bool lock;
    uint8_t perp;                /* PERPENDICULAR MODE: D3-D0 GAP WGATE */
    uint8_t last_eot;            /* for DUMPREG */
};

/* drive 0 is always connected (empty until an image is attached);
 * drive 1 only once an image is attached to it. */
int fdc_init(struct fdc *f, struct bus *b, struct vclock *clock, struct irq_line irq,
             struct dma *dma, int dma_channel);
/* Hardware reset (the RESET pin): DOR 0, so the controller stays in reset
 * until the guest sets DOR bit 2. */
void fdc_reset(struct fdc *f);
void fdc_free(struct fdc *f);
/* Puts the medium in the drive (img NULL: ejects it); raises the disk
 * change line.  Returns -1 for a drive number the controller lacks. */
int fdc_attach(struct fdc *f, int drive, struct fd_image *img);
/* CMOS drive type of a drive (register 0x10 nibbles): 0 none, 1 360 KB,
 * 2 1.2 MB, 3 720 KB, 4 1.44 MB, 5 2.88 MB.  An empty drive 0 is a
 * 1.44 MB drive. */
uint8_t fdc_drive_type(const struct fdc *f, int drive);

#endif
