/* ata.h -- the two ATA/IDE channels of a PC (primary 0x1F0-0x1F7 + 0x3F6 on
 * IRQ 14, secondary 0x170-0x177 + 0x376 on IRQ 15), each with a master and
 * a slave: hard disks (PIO, LBA28/LBA48/CHS) and ATAPI CD-ROMs (atapi.c). */
#ifndef X86LAB_ATA_H
#define X86LAB_ATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/clock.h"
#include "machine/disk.h"
#include "machine/irq.h"

struct bus;

enum { ATA_CHANNELS = 2, ATA_UNITS = 4 };

/* Status register */
enum {
    ATA_ERR = 0x01, ATA_DRQ = 0x08, ATA_DSC = 0x10, ATA_DF = 0x20,
    ATA_DRDY = 0x40, ATA_BSY = 0x80,
};
/* Error register */
enum { ATA_E_AMNF = 0x01, ATA_E_ABRT = 0x04, ATA_E_IDNF = 0x10, ATA_E_UNC = 0x40 };
/* Device control register */
enum { ATA_NIEN = 0x02, ATA_SRST = 0x04, ATA_HOB = 0x80 };
/* Device register */
enum { ATA_DEV = 0x10, ATA_LBA = 0x40 };
/* ATAPI interrupt reason (in the sector count register) */
enum { ATAPI_IR_COD = 0x01, ATAPI_IR_IO = 0x02 };

enum { ATA_MAX_MULT = 16, ATA_BUF_SIZE = 65536 };

enum ata_kind { ATA_NONE, ATA_DISK, ATA_CDROM };

/* What the data port is moving, and what ends a DRQ block. */
enum ata_xfer {
    XFER_NONE,
    XFER_READ,         /* READ SECTORS / MULTIPLE: blocks from the disk */
    XFER_WRITE,        /* WRITE SECTORS / MULTIPLE: blocks to the disk */
    XFER_BUFFER_IN,    /* one block from buf (IDENTIFY) */
    XFER_PACKET,       /* the 12-byte ATAPI command */
    XFER_ATAPI_IN,     /* ATAPI data to the host, in byte-count chunks */
};

enum ata_addr { ADDR_CHS, ADDR_LBA28, ADDR_LBA48 };

/* One device's command block registers.  Writes reach both devices of a
 * channel; reads come from the selected one.  hob_* hold the previous
 * value of each register (the LBA48 high-order bytes, read with HOB). */
struct ata_regs {
    uint8_t feature, nsect, lbal, lbam, lbah;
    uint8_t hob_feature, hob_nsect, hob_lbal, hob_lbam, hob_lbah;
    uint8_t status, error;
};

struct atapi_state {
    uint8_t cdb[12];
    uint8_t sense_key, asc, ascq;
    bool locked;               /* PREVENT MEDIUM REMOVAL */
    bool tray_open;            /* ejected by START STOP UNIT */
    uint16_t bcl;              /* byte count limit of the current command */
    uint64_t left;             /* data bytes the host has yet to read */
    uint64_t pos;              /* bytes already sent */
    bool from_disk;            /* the data is the medium from lba, or resp */
    uint64_t lba;
    uint8_t resp[256];
};

struct ata_channel;

struct ata_drive {
    struct ata_channel *ch;
    int unit;                  /* 0 master, 1 slave */
    enum ata_kind kind;
    struct disk *disk;         /* the medium (the caller's; an empty CD drive has 0 sectors) */
    struct ata_regs r;
    bool intrq;                /* the device's INTRQ (before nIEN) */
    /* geometry: default (IDENTIFY words 1, 3, 6) and current translation
     * (INITIALIZE DEVICE PARAMETERS; words 54-58) */
    uint16_t cyls, heads, spt;
    uint16_t cur_cyls, cur_heads, cur_spt;
    uint8_t mult;              /* sectors per READ/WRITE MULTIPLE block, 0 = off */
    /* the command in progress */
    enum ata_xfer xfer;
    enum ata_addr addr;
    uint8_t *buf;              /* ATA_BUF_SIZE bytes */
    uint32_t pos, end;         /* the DRQ block: buf[pos..end) */
    uint64_t lba;              /* next sector */
    uint32_t left;             /* sectors left */
    uint32_t block;            /* sectors per DRQ block */
    /* completion latency: the status and interrupt waiting for the timer */
    struct timer timer;
    uint8_t pending_status;
    bool pending_irq;
    struct atapi_state atapi;
    uint64_t commands;
};

struct ata;

struct ata_channel {
    struct ata *ata;
    int index;
    uint16_t base, ctl;        /* 0x1F0 / 0x3F6, 0x170 / 0x376 */
    struct ata_drive drive[2];
    uint8_t select;            /* device register (shared by both devices) */
    uint8_t devctl;
    struct irq_line irq;
    bool irq_level;
    bool decode;               /* the ports answer (PCI command, IDETIM) */
};

struct ata {
    struct ata_channel ch[ATA_CHANNELS];
    struct vclock *clock;
    uint64_t latency_ns;       /* command completion delay, 0 = at once */
};

int ata_init(struct ata *a, struct bus *b, struct irq_line irq14, struct irq_line irq15,
             struct vclock *clock);
/* Puts a drive at index (0-3: primary master, primary slave, secondary
 * master, secondary slave): a hard disk or, for a DISK_MEDIA_CDROM disk, an
 * ATAPI CD-ROM.  The disk stays the caller's (opened before, closed after
 * ata_free).  -1 with errno when the index is bad or taken. */
int ata_attach(struct ata *a, int index, struct disk *disk);
/* Hardware reset (power-on state; the media stay). */
void ata_reset(struct ata *a);
void ata_free(struct ata *a);
/* Whether a channel's ports are decoded (the PCI IDE function controls it). */
void ata_set_decode(struct ata *a, int channel, bool on);

/* ---- between ata.c and atapi.c ---- */
/* Ends a step: status st and, if irq, INTRQ, after the completion latency. */
void ata_finish(struct ata_drive *d, uint8_t st, bool irq);
void ata_set_signature(struct ata_drive *d);
void ata_put_string(uint16_t *words, int first, int count, const char *s);
void atapi_identify(struct ata_drive *d, uint16_t *id);
void atapi_packet_command(struct ata_drive *d);
void atapi_packet_received(struct ata_drive *d);
void atapi_chunk_done(struct ata_drive *d);
void atapi_reset(struct ata_drive *d);

#endif
