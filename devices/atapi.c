/* atapi.c -- the ATAPI CD-ROM on an IDE channel: IDENTIFY PACKET DEVICE,
 * the PACKET protocol (12-byte command, byte count in the cylinder
 * registers, interrupt reason in the sector count) and the SCSI/MMC
 * commands a CD-ROM driver needs, with sense data for errors. */
#include "ata.h"

#include <stdio.h>
#include <string.h>

enum { CD_SECTOR = DISK_CD_SECTOR };

/* Sense keys and additional sense codes */
enum {
    SK_NONE = 0x0, SK_NOT_READY = 0x2, SK_ILLEGAL_REQUEST = 0x5,
    ASC_INVALID_OPCODE = 0x20, ASC_LBA_OUT_OF_RANGE = 0x21, ASC_INVALID_FIELD = 0x24,
    ASC_SAVING_NOT_SUPPORTED = 0x39, ASC_NO_MEDIUM = 0x3A, ASC_REMOVAL_PREVENTED = 0x53,
};

static const uint8_t READY = ATA_DRDY | ATA_DSC;

static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be32(const uint8_t *p) { return be16(p) << 16 | be16(p + 2); }

static void put_be16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    put_be16(p, v >> 16);
    put_be16(p + 2, v);
}

void atapi_identify(struct ata_drive *d, uint16_t *id)
{
    char serial[21];
    snprintf(serial, sizeof serial, "X86LAB-CD%d", d->ch->index * 2 + d->unit);
    /* ATAPI, CD-ROM (type 5), removable, DRQ within 50 us, 12-byte packets */
    id[0] = 0x85C0;
    ata_put_string(id, 10, 10, serial);
    ata_put_string(id, 23, 4, "1.0");
    ata_put_string(id, 27, 20, "x86lab CD-ROM");
    id[49] = 1 << 9 | 1 << 11;                  /* LBA, IORDY */
    id[50] = 0x4000;
    id[53] = 0x0003;
    id[64] = 0x0003;                            /* PIO modes 3 and 4 */
    id[65] = id[66] = id[67] = id[68] = 120;
    id[80] = 0x001E;                            /* ATA/ATAPI-1 to -4 */
    id[82] = 1 << 14 | 1 << 4;                  /* NOP, PACKET */
    id[83] = 1 << 14;
    id[84] = 1 << 14;
    id[85] = 1 << 14 | 1 << 4;
    id[86] = 0;
    id[87] = 1 << 14;
}

void atapi_reset(struct ata_drive *d)
{
    struct atapi_state *s = &d->atapi;
    memset(s, 0, sizeof *s);
}

static bool has_medium(const struct ata_drive *d)
{
    return d->disk->sectors > 0 && !d->atapi.tray_open;
}

/* ---- completion ---- */

static void set_sense(struct ata_drive *d, uint8_t key, uint8_t asc, uint8_t ascq)
{
    d->atapi.sense_key = key;
    d->atapi.asc = asc;
    d->atapi.ascq = ascq;
}

/* The command is over: interrupt reason "status" (IO and CoD). */
static void atapi_ok(struct ata_drive *d)
{
    d->xfer = XFER_NONE;
    d->r.nsect = ATAPI_IR_IO | ATAPI_IR_COD;
    ata_finish(d, READY, true);
}

/* CHECK CONDITION: the sense key in the error register, ERR in status;
 * REQUEST SENSE tells the rest. */
static void atapi_fail(struct ata_drive *d, uint8_t key, uint8_t asc, uint8_t ascq)
{
    set_sense(d, key, asc, ascq);
    d->xfer = XFER_NONE;
    d->r.error = (uint8_t)(key << 4);
    d->r.nsect = ATAPI_IR_IO | ATAPI_IR_COD;
    ata_finish(d, READY | ATA_ERR, true);
}

/* ---- data to the host ---- */

/* Bytes [pos, pos + len) of the medium starting at sector lba. */
static int medium_bytes(struct ata_drive *d, uint8_t *dst, uint64_t pos, uint32_t len)
{
    uint8_t sector[CD_SECTOR];
    while (len) {
        uint64_t lba = d->atapi.lba + pos / CD_SECTOR;
        uint32_t off = (uint32_t)(pos % CD_SECTOR);
        uint32_t take = CD_SECTOR - off < len ? CD_SECTOR - off : len;
        if (off == 0 && take == CD_SECTOR) {
            if (disk_read(d->disk, lba, 1, dst) < 0)
                return -1;
        } else {
            if (disk_read(d->disk, lba, 1, sector) < 0)
                return -1;
            memcpy(dst, sector + off, take);
        }
        dst += take;
        pos += take;
        len -= take;
    }
    return 0;
}

/* Offers the next piece of data: at most the byte count limit (even,
 * unless it is the last piece), with interrupt reason "data in". */
static void next_chunk(struct ata_drive *d)
{
    struct atapi_state *s = &d->atapi;
    /* 0 is taken as the largest count; 1 would be rounded to nothing. */
    uint32_t limit = s->bcl ? s->bcl : 0xFFFE;
    if (limit < 2)
        limit = 2;
    uint32_t chunk = s->left < limit ? (uint32_t)s->left : (limit & ~1u);
    if (chunk > ATA_BUF_SIZE)
        chunk = ATA_BUF_SIZE;
    if (s->from_disk) {
        if (medium_bytes(d, d->buf, s->pos, chunk) < 0) {
            atapi_fail(d, 0x3, 0x11, 0x00);    /* MEDIUM ERROR: unrecovered read */
            return;
        }
    } else {
        memcpy(d->buf, s->resp + s->pos, chunk);
    }
    d->xfer = XFER_ATAPI_IN;
    d->pos = 0;
    d->end = chunk;
    d->r.nsect = ATAPI_IR_IO;
    d->r.lbam = (uint8_t)chunk;
    d->r.lbah = (uint8_t)(chunk >> 8);
    ata_finish(d, READY | ATA_DRQ, true);
}

void atapi_chunk_done(struct ata_drive *d)
{
    struct atapi_state *s = &d->atapi;
    s->pos += d->end;
    s->left -= d->end;
    if (s->left)
        next_chunk(d);
    else
        atapi_ok(d);
}

/* Sends len bytes of resp, cut to the host's allocation length. */
static void reply(struct ata_drive *d, uint32_t len, uint32_t alloc)
{
    struct atapi_state *s = &d->atapi;
    set_sense(d, SK_NONE, 0, 0);
    s->from_disk = false;
    s->pos = 0;
    s->left = len < alloc ? len : alloc;
    if (s->left)
        next_chunk(d);
    else
        atapi_ok(d);
}

static void done(struct ata_drive *d)
{
    set_sense(d, SK_NONE, 0, 0);
    atapi_ok(d);
}

/* ---- the commands ---- */

static void cmd_request_sense(struct ata_drive *d)
{
    struct atapi_state *s = &d->atapi;
    uint8_t *r = s->resp;
    memset(r, 0, 18);
    r[0] = 0x70;                  /* current error, fixed format */
    r[2] = s->sense_key;
    r[7] = 10;                    /* additional length */
    r[12] = s->asc;
    r[13] = s->ascq;
    reply(d, 18, s->cdb[4]);      /* clears the sense, as it should */
}

static void cmd_inquiry(struct ata_drive *d)
{
    uint8_t *r = d->atapi.resp;
    memset(r, 0, 36);
    r[0] = 0x05;                  /* CD-ROM */
    r[1] = 0x80;                  /* removable */
    r[3] = 0x21;                  /* ATAPI, response format 1 */
    r[4] = 31;
    memcpy(r + 8, "x86lab  ", 8);
    memcpy(r + 16, "x86lab CD-ROM   ", 16);
    memcpy(r + 32, "1.0 ", 4);
    reply(d, 36, be16(d->atapi.cdb + 3));
}

static void cmd_read_capacity(struct ata_drive *d)
{
    uint8_t *r = d->atapi.resp;
    put_be32(r, (uint32_t)(d->disk->sectors - 1));
    put_be32(r + 4, CD_SECTOR);
    reply(d, 8, 8);
}

static void cmd_read(struct ata_drive *d, uint64_t lba, uint32_t count)
{
    struct atapi_state *s = &d->atapi;
    if (lba > d->disk->sectors || count > d->disk->sectors - lba) {
        atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0);
        return;
    }
    set_sense(d, SK_NONE, 0, 0);
    s->from_disk = true;
    s->lba = lba;
    s->pos = 0;
    s->left = (uint64_t)count * CD_SECTOR;
    if (s->left)
        next_chunk(d);
    else
        atapi_ok(d);
}

/* An address in the TOC: LBA, or minutes/seconds/frames (2 s lead-in). */
static void put_address(uint8_t *p, uint32_t lba, bool msf)
{
    if (!msf) {
        put_be32(p, lba);
        return;
    }
    uint32_t f = lba + 150;
    p[0] = 0;
    p[1] = (uint8_t)(f / (75 * 60));
    p[2] = (uint8_t)(f / 75 % 60);
    p[3] = (uint8_t)(f % 75);
}

/* Format 0 (tracks) and 1 (sessions) of a one-track data disc. */
static void cmd_read_toc(struct ata_drive *d)
{
    const uint8_t *cdb = d->atapi.cdb;
    uint8_t *r = d->atapi.resp;
    bool msf = cdb[1] & 2;
    uint8_t format = cdb[2] & 0x0F;
    uint8_t start = cdb[6];
    uint32_t len = 4;
    if (format == 0 && (cdb[9] >> 6))
        format = cdb[9] >> 6;     /* the older SFF-8020 place */
    memset(r, 0, 32);
    r[2] = r[3] = 1;              /* first and last track (or session) */
    if (format == 0) {
        if (start > 1 && start != 0xAA) {
            atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD, 0);
            return;
        }
        if (start <= 1) {
            r[len + 1] = 0x14;    /* ADR 1, data track */
            r[len + 2] = 1;
            put_address(r + len + 4, 0, msf);
            len += 8;
        }
        r[len + 1] = 0x14;
        r[len + 2] = 0xAA;        /* lead-out */
        put_address(r + len + 4, (uint32_t)d->disk->sectors, msf);
        len += 8;
    } else if (format == 1) {
        r[len + 1] = 0x14;
        r[len + 2] = 1;           /* first track of the last session */
        put_address(r + len + 4, 0, msf);
        len += 8;
    } else {
        atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD, 0);
        return;
    }
    put_be16(r, len - 2);
    reply(d, len, be16(cdb + 7));
}

static uint32_t page_error_recovery(uint8_t *p)
{
    memset(p, 0, 12);
    p[0] = 0x01;
    p[1] = 10;
    p[3] = 5;                     /* read retry count */
    return 12;
}

static uint32_t page_capabilities(const struct ata_drive *d, uint8_t *p)
{
    memset(p, 0, 20);
    p[0] = 0x2A;
    p[1] = 18;
    p[2] = 0x00;                  /* reads CD-ROM media only */
    p[4] = 0x00;
    p[6] = (uint8_t)(0x29 | (d->atapi.locked ? 0x02 : 0));  /* tray, eject, lock */
    put_be16(p + 8, 706);         /* 4x, in kB/s */
    put_be16(p + 12, 512);        /* buffer, kB */
    put_be16(p + 14, 706);
    return 20;
}

/* MODE SENSE(10): current values of pages 01h and 2Ah. */
static void cmd_mode_sense(struct ata_drive *d)
{
    const uint8_t *cdb = d->atapi.cdb;
    uint8_t *r = d->atapi.resp;
    uint8_t page = cdb[2] & 0x3F;
    uint8_t control = cdb[2] >> 6;
    uint32_t len = 8;
    if (control == 3) {
        atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_SAVING_NOT_SUPPORTED, 0);
        return;
    }
    memset(r, 0, 8);
    r[2] = has_medium(d) ? 0x01 : 0x70;   /* 120 mm data disc / no disc */
    if (page == 0x01 || page == 0x3F)
        len += page_error_recovery(r + len);
    if (page == 0x2A || page == 0x3F)
        len += page_capabilities(d, r + len);
    if (len == 8) {
        atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD, 0);
        return;
    }
    put_be16(r, len - 2);
    reply(d, len, be16(cdb + 7));
}

/* START STOP UNIT: LoEj with Start clear opens the tray (unless locked),
 * with Start set closes it. */
static void cmd_start_stop(struct ata_drive *d)
{
    uint8_t bits = d->atapi.cdb[4];
    if (bits & 0x02) {
        bool load = bits & 0x01;
        if (!load && d->atapi.locked) {
            atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_REMOVAL_PREVENTED, 0x02);
            return;
        }
        d->atapi.tray_open = !load;
    }
    done(d);
}

static bool needs_medium(uint8_t op)
{
    return op == 0x00 || op == 0x25 || op == 0x28 || op == 0xA8 || op == 0x43;
}

void atapi_packet_received(struct ata_drive *d)
{
    struct atapi_state *s = &d->atapi;
    const uint8_t *cdb = s->cdb;
    memcpy(s->cdb, d->buf, sizeof s->cdb);
    if (needs_medium(cdb[0]) && !has_medium(d)) {
        atapi_fail(d, SK_NOT_READY, ASC_NO_MEDIUM, 0);
        return;
    }
    switch (cdb[0]) {
    case 0x00: done(d); break;                                  /* TEST UNIT READY */
    case 0x03: cmd_request_sense(d); break;
    case 0x12: cmd_inquiry(d); break;
    case 0x1B: cmd_start_stop(d); break;
    case 0x1E: s->locked = cdb[4] & 1; done(d); break;          /* PREVENT ALLOW */
    case 0x25: cmd_read_capacity(d); break;
    case 0x28: cmd_read(d, be32(cdb + 2), be16(cdb + 7)); break;     /* READ(10) */
    case 0xA8: cmd_read(d, be32(cdb + 2), be32(cdb + 6)); break;     /* READ(12) */
    case 0x43: cmd_read_toc(d); break;
    case 0x5A: cmd_mode_sense(d); break;
    default:
        atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_INVALID_OPCODE, 0);
    }
}

/* PACKET: the device asks for the 12 command bytes (interrupt reason
 * "command out", no interrupt).  DMA is not offered, so asking for it
 * aborts. */
void atapi_packet_command(struct ata_drive *d)
{
    if (d->r.feature & 0x01) {
        d->r.error = ATA_E_ABRT;
        d->r.nsect = ATAPI_IR_IO | ATAPI_IR_COD;
        ata_finish(d, READY | ATA_ERR, true);
        return;
    }
    d->atapi.bcl = (uint16_t)(d->r.lbam | d->r.lbah << 8);
    d->xfer = XFER_PACKET;
    d->pos = 0;
    d->end = sizeof d->atapi.cdb;
    d->r.nsect = ATAPI_IR_COD;
    d->r.status = READY | ATA_DRQ;
}
