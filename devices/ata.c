/* ata.c -- the IDE channels and ATA hard disks: the register file with its
 * status/error/interrupt protocol, soft reset and signatures, IDENTIFY,
 * PIO reads and writes (single and multiple, CHS/LBA28/LBA48) and the
 * small commands.  ATAPI packet commands live in atapi.c. */
#include "ata.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/bus.h"

enum { SECTOR = DISK_HD_SECTOR };
/* The largest capacity CHS addressing may reach (16383 * 16 * 63). */
enum { CHS_MAX_SECTORS = 16514064, LBA28_MAX = 0x0FFFFFFF };

static const uint8_t READY = ATA_DRDY | ATA_DSC;

static uint32_t ones(int size)
{
    return 0xFFFFFFFFu >> (32 - 8 * size);
}

static struct ata_drive *selected(struct ata_channel *ch)
{
    return &ch->drive[(ch->select & ATA_DEV) ? 1 : 0];
}

/* The channel's IRQ follows the selected device's INTRQ, masked by nIEN. */
static void update_irq(struct ata_channel *ch)
{
    bool level = selected(ch)->intrq && !(ch->devctl & ATA_NIEN);
    if (level != ch->irq_level) {
        ch->irq_level = level;
        irq_set(&ch->irq, level);
    }
}

static void set_intrq(struct ata_drive *d, bool on)
{
    d->intrq = on;
    update_irq(d->ch);
}

static void apply(struct ata_drive *d, uint8_t st, bool irq)
{
    d->r.status = st;
    if (irq)
        set_intrq(d, true);
}

void ata_finish(struct ata_drive *d, uint8_t st, bool irq)
{
    struct ata *a = d->ch->ata;
    if (!a->latency_ns) {
        apply(d, st, irq);
        return;
    }
    d->r.status = ATA_BSY;
    d->pending_status = st;
    d->pending_irq = irq;
    timer_arm(a->clock, &d->timer, vclock_now(a->clock) + a->latency_ns);
}

static void latency_done(void *opaque)
{
    struct ata_drive *d = opaque;
    apply(d, d->pending_status, d->pending_irq);
}

/* Stops whatever the device was doing (reset, new command). */
static void drive_idle(struct ata_drive *d)
{
    timer_cancel(d->ch->ata->clock, &d->timer);
    d->xfer = XFER_NONE;
    d->pos = d->end = 0;
    d->intrq = false;
}

static void cmd_abort(struct ata_drive *d, uint8_t error)
{
    d->xfer = XFER_NONE;
    d->r.error = error;
    ata_finish(d, READY | ATA_ERR, true);
}

static void cmd_done(struct ata_drive *d)
{
    d->xfer = XFER_NONE;
    ata_finish(d, READY, true);
}

void ata_set_signature(struct ata_drive *d)
{
    d->r.nsect = 1;
    d->r.lbal = 1;
    d->r.lbam = d->kind == ATA_CDROM ? 0x14 : 0;
    d->r.lbah = d->kind == ATA_CDROM ? 0xEB : 0;
}

/* What a device shows after a reset or EXECUTE DEVICE DIAGNOSTIC:
 * its signature, diagnostic code 01h (passed), DRDY for a disk; an ATAPI
 * device leaves DRDY clear until its first command. */
static void reset_registers(struct ata_drive *d)
{
    drive_idle(d);
    ata_set_signature(d);
    d->r.error = 0x01;
    d->r.feature = 0;
    d->r.status = d->kind == ATA_DISK ? READY : 0;
}

/* ---- addresses ---- */

/* Writes the address of sector lba into the registers in the command's
 * addressing mode (they advance as the transfer goes, as on a drive). */
static void set_address(struct ata_drive *d, uint64_t lba)
{
    struct ata_regs *r = &d->r;
    struct ata_channel *ch = d->ch;
    if (d->addr == ADDR_CHS) {
        uint32_t track = (uint32_t)(lba / d->cur_spt);
        uint32_t cyl = track / d->cur_heads;
        r->lbal = (uint8_t)(lba % d->cur_spt + 1);
        r->lbam = (uint8_t)cyl;
        r->lbah = (uint8_t)(cyl >> 8);
        ch->select = (uint8_t)((ch->select & 0xF0) | (track % d->cur_heads));
        return;
    }
    r->lbal = (uint8_t)lba;
    r->lbam = (uint8_t)(lba >> 8);
    r->lbah = (uint8_t)(lba >> 16);
    if (d->addr == ADDR_LBA28) {
        ch->select = (uint8_t)((ch->select & 0xF0) | ((lba >> 24) & 0x0F));
        return;
    }
    r->hob_lbal = (uint8_t)(lba >> 24);
    r->hob_lbam = (uint8_t)(lba >> 32);
    r->hob_lbah = (uint8_t)(lba >> 40);
}

static void set_count(struct ata_drive *d, uint32_t left)
{
    d->r.nsect = (uint8_t)left;
    if (d->addr == ADDR_LBA48)
        d->r.hob_nsect = (uint8_t)(left >> 8);
}

/* CHS to LBA with the current translation; false if the address is not
 * on the translated disk. */
static bool chs_to_lba(const struct ata_drive *d, uint64_t *lba)
{
    uint32_t cyl = (uint32_t)d->r.lbam | (uint32_t)d->r.lbah << 8;
    uint32_t head = d->ch->select & 0x0F;
    uint32_t sect = d->r.lbal;
    if (sect == 0 || sect > d->cur_spt || head >= d->cur_heads || cyl >= d->cur_cyls)
        return false;
    *lba = ((uint64_t)cyl * d->cur_heads + head) * d->cur_spt + sect - 1;
    return true;
}

/* The command's first sector and sector count from the registers; false
 * when a CHS address is not on the translated disk. */
static bool decode(struct ata_drive *d, bool ext, uint64_t *lba, uint32_t *count)
{
    const struct ata_regs *r = &d->r;
    uint8_t sel = d->ch->select;
    if (ext) {
        d->addr = ADDR_LBA48;
        *lba = (uint64_t)r->hob_lbah << 40 | (uint64_t)r->hob_lbam << 32 |
               (uint64_t)r->hob_lbal << 24 | (uint64_t)r->lbah << 16 |
               (uint64_t)r->lbam << 8 | r->lbal;
        *count = (uint32_t)r->hob_nsect << 8 | r->nsect;
        if (*count == 0)
            *count = 65536;
    } else {
        *count = r->nsect ? r->nsect : 256;
        if (sel & ATA_LBA) {
            d->addr = ADDR_LBA28;
            *lba = (uint64_t)(sel & 0x0F) << 24 | (uint64_t)r->lbah << 16 |
                   (uint64_t)r->lbam << 8 | r->lbal;
        } else {
            d->addr = ADDR_CHS;
            if (!chs_to_lba(d, lba))
                return false;
        }
    }
    return true;
}

static bool on_disk(const struct ata_drive *d, uint64_t lba, uint32_t count)
{
    return lba < d->disk->sectors && count <= d->disk->sectors - lba;
}

/* ---- PIO data transfers ---- */

static uint32_t block_sectors(const struct ata_drive *d)
{
    return d->left < d->block ? d->left : d->block;
}

static void advance(struct ata_drive *d, uint32_t n)
{
    d->lba += n;
    d->left -= n;
    set_address(d, d->lba);
    set_count(d, d->left);
}

/* Reads the next DRQ block from the disk and offers it to the host. */
static void read_block(struct ata_drive *d)
{
    uint32_t n = block_sectors(d);
    if (disk_read(d->disk, d->lba, n, d->buf) < 0) {
        cmd_abort(d, ATA_E_UNC);
        return;
    }
    d->xfer = XFER_READ;
    d->pos = 0;
    d->end = n * SECTOR;
    ata_finish(d, READY | ATA_DRQ, true);
}

/* The host has read a whole block: the next one, or the end (no
 * interrupt after the last block of a PIO read). */
static void read_block_done(struct ata_drive *d)
{
    advance(d, d->end / SECTOR);
    if (d->left) {
        read_block(d);
        return;
    }
    d->xfer = XFER_NONE;
    d->r.status = READY;
}

/* The host has written a whole block: it goes to the disk before the
 * device asks for the next one or reports completion. */
static void write_block_done(struct ata_drive *d)
{
    uint32_t n = d->end / SECTOR;
    if (disk_write(d->disk, d->lba, n, d->buf) < 0) {
        cmd_abort(d, ATA_E_ABRT);
        return;
    }
    advance(d, n);
    if (!d->left) {
        cmd_done(d);
        return;
    }
    d->pos = 0;
    d->end = block_sectors(d) * SECTOR;
    ata_finish(d, READY | ATA_DRQ, true);
}

static void block_end(struct ata_drive *d)
{
    switch (d->xfer) {
    case XFER_READ: read_block_done(d); break;
    case XFER_WRITE: write_block_done(d); break;
    case XFER_BUFFER_IN:
        d->xfer = XFER_NONE;
        d->r.status = READY;
        break;
    case XFER_PACKET: atapi_packet_received(d); break;
    case XFER_ATAPI_IN: atapi_chunk_done(d); break;
    case XFER_NONE: break;
    }
}

static bool data_ready(const struct ata_drive *d, bool to_host)
{
    if ((d->r.status & (ATA_DRQ | ATA_BSY)) != ATA_DRQ)
        return false;
    if (to_host)
        return d->xfer == XFER_READ || d->xfer == XFER_BUFFER_IN || d->xfer == XFER_ATAPI_IN;
    return d->xfer == XFER_WRITE || d->xfer == XFER_PACKET;
}

/* 16- and 32-bit accesses move 2 or 4 bytes of the block (a byte access
 * moves one). */
static uint32_t data_read(struct ata_channel *ch, int size)
{
    struct ata_drive *d = selected(ch);
    if (!data_ready(d, true))
        return ones(size);
    uint32_t v = ones(size);
    for (int k = 0; k < size && d->pos < d->end; k++) {
        v &= ~(0xFFu << (8 * k));
        v |= (uint32_t)d->buf[d->pos++] << (8 * k);
    }
    if (d->pos >= d->end)
        block_end(d);
    return v;
}

static void data_write(struct ata_channel *ch, int size, uint32_t v)
{
    struct ata_drive *d = selected(ch);
    if (!data_ready(d, false))
        return;
    for (int k = 0; k < size && d->pos < d->end; k++)
        d->buf[d->pos++] = (uint8_t)(v >> (8 * k));
    if (d->pos >= d->end)
        block_end(d);
}

/* ---- IDENTIFY DEVICE ---- */

/* ATA strings: two characters per word, the first in the high byte,
 * padded with spaces. */
void ata_put_string(uint16_t *words, int first, int count, const char *s)
{
    size_t len = strlen(s);
    for (int k = 0; k < count * 2; k++) {
        uint8_t c = (size_t)k < len ? (uint8_t)s[k] : ' ';
        uint16_t *w = &words[first + k / 2];
        *w = (k & 1) ? (uint16_t)((*w & 0xFF00) | c) : (uint16_t)((*w & 0x00FF) | c << 8);
    }
}

static void put32(uint16_t *id, int word, uint32_t v)
{
    id[word] = (uint16_t)v;
    id[word + 1] = (uint16_t)(v >> 16);
}

static void identify_disk(const struct ata_drive *d, uint16_t *id)
{
    char serial[21];
    snprintf(serial, sizeof serial, "X86LAB-HD%d", d->ch->index * 2 + d->unit);
    uint64_t n = d->disk->sectors;
    id[0] = 0x0040;                              /* fixed device */
    id[1] = d->cyls;
    id[3] = d->heads;
    id[6] = d->spt;
    ata_put_string(id, 10, 10, serial);
    id[20] = 3;                                  /* buffer type (obsolete) */
    id[21] = 512;
    ata_put_string(id, 23, 4, "1.0");
    ata_put_string(id, 27, 20, "x86lab HARDDISK");
    id[47] = 0x8000 | ATA_MAX_MULT;
    id[48] = 1;                                  /* 32-bit PIO */
    id[49] = 1 << 9 | 1 << 11;                   /* LBA, IORDY */
    id[50] = 0x4000;
    id[51] = 0x0200;                             /* PIO timing mode 2 */
    id[53] = 0x0003;                             /* words 54-58, 64-70 valid */
    id[54] = d->cur_cyls;
    id[55] = d->cur_heads;
    id[56] = d->cur_spt;
    put32(id, 57, (uint32_t)d->cur_cyls * d->cur_heads * d->cur_spt);
    id[59] = d->mult ? (uint16_t)(0x100 | d->mult) : 0;
    put32(id, 60, (uint32_t)(n < LBA28_MAX ? n : LBA28_MAX));
    id[64] = 0x0003;                             /* PIO modes 3 and 4 */
    id[65] = id[66] = id[67] = id[68] = 120;
    id[80] = 0x007E;                             /* ATA-1 to ATA-6 */
    id[82] = 1 << 14;                            /* NOP */
    id[83] = 1 << 14 | 1 << 13 | 1 << 12 | 1 << 10;  /* FLUSH EXT, FLUSH, LBA48 */
    id[84] = 1 << 14;
    id[85] = 1 << 14;
    id[86] = 1 << 13 | 1 << 12 | 1 << 10;
    id[87] = 1 << 14;
    for (int k = 0; k < 4; k++)
        id[100 + k] = (uint16_t)(n >> (16 * k));
}

/* Word 255: signature A5h and a checksum that makes the 512 bytes sum to 0. */
static void identify_to_buffer(struct ata_drive *d, uint16_t *id)
{
    uint8_t sum = 0xA5;
    id[255] = 0xA5;
    for (int k = 0; k < 255; k++)
        sum = (uint8_t)(sum + (id[k] & 0xFF) + (id[k] >> 8));
    id[255] = (uint16_t)(0xA5 | (uint8_t)-sum << 8);
    for (int k = 0; k < 256; k++) {
        d->buf[2 * k] = (uint8_t)id[k];
        d->buf[2 * k + 1] = (uint8_t)(id[k] >> 8);
    }
    d->xfer = XFER_BUFFER_IN;
    d->pos = 0;
    d->end = SECTOR;
    ata_finish(d, READY | ATA_DRQ, true);
}

/* ---- commands ---- */

static void cmd_rw(struct ata_drive *d, bool ext, bool multiple, bool write)
{
    uint64_t lba;
    uint32_t count;
    if (multiple && !d->mult) {
        cmd_abort(d, ATA_E_ABRT);
        return;
    }
    if (!decode(d, ext, &lba, &count) || !on_disk(d, lba, count)) {
        cmd_abort(d, ATA_E_IDNF);
        return;
    }
    d->lba = lba;
    d->left = count;
    d->block = multiple ? d->mult : 1;
    if (!write) {
        read_block(d);
        return;
    }
    /* The first block is asked for at once, without an interrupt. */
    d->xfer = XFER_WRITE;
    d->pos = 0;
    d->end = block_sectors(d) * SECTOR;
    d->r.status = READY | ATA_DRQ;
}

/* READ VERIFY: the sectors must exist; SEEK: the one addressed must.
 * No data moves. */
static void cmd_verify(struct ata_drive *d, bool ext, bool seek)
{
    uint64_t lba;
    uint32_t count;
    if (!decode(d, ext, &lba, &count) || !on_disk(d, lba, seek ? 1 : count))
        cmd_abort(d, ATA_E_IDNF);
    else
        cmd_done(d);
}

static void cmd_set_multiple(struct ata_drive *d)
{
    uint8_t n = d->r.nsect;
    if (n > ATA_MAX_MULT || (n & (n - 1))) {
        cmd_abort(d, ATA_E_ABRT);
        return;
    }
    d->mult = n;
    cmd_done(d);
}

static uint16_t translated_cylinders(const struct ata_drive *d, uint32_t heads, uint32_t spt)
{
    uint64_t n = d->disk->sectors < CHS_MAX_SECTORS ? d->disk->sectors : CHS_MAX_SECTORS;
    uint64_t c = n / (heads * spt);
    return (uint16_t)(c > 65535 ? 65535 : c);
}

/* INITIALIZE DEVICE PARAMETERS: the CHS translation the host wants. */
static void cmd_init_params(struct ata_drive *d)
{
    uint32_t heads = (d->ch->select & 0x0F) + 1u;
    uint32_t spt = d->r.nsect;
    uint16_t cyls = spt ? translated_cylinders(d, heads, spt) : 0;
    if (!cyls) {
        cmd_abort(d, ATA_E_ABRT);
        return;
    }
    d->cur_heads = (uint16_t)heads;
    d->cur_spt = (uint16_t)spt;
    d->cur_cyls = cyls;
    cmd_done(d);
}

static void cmd_set_features(struct ata_drive *d)
{
    uint8_t mode = d->r.nsect;
    switch (d->r.feature) {
    case 0x03:              /* transfer mode: PIO default, PIO 0-4 */
        if (mode <= 0x01 || (mode >= 0x08 && mode <= 0x0C))
            cmd_done(d);
        else
            cmd_abort(d, ATA_E_ABRT);
        return;
    case 0x02: case 0x82:   /* write cache on/off: writes are never held */
    case 0x55: case 0xAA:   /* read look-ahead off/on */
    case 0x66: case 0xCC:   /* keep/revert power-on defaults */
        cmd_done(d);
        return;
    default:
        cmd_abort(d, ATA_E_ABRT);
    }
}

static void cmd_flush(struct ata_drive *d)
{
    if (disk_flush(d->disk) < 0)
        cmd_abort(d, ATA_E_ABRT);
    else
        cmd_done(d);
}

/* READ NATIVE MAX ADDRESS (EXT): the last sector's address. */
static void cmd_native_max(struct ata_drive *d, bool ext)
{
    uint64_t n = d->disk->sectors;
    if (!ext && n > LBA28_MAX + 1u)
        n = LBA28_MAX + 1u;
    d->addr = ext ? ADDR_LBA48 : ADDR_LBA28;
    set_address(d, n - 1);
    cmd_done(d);
}

static void cmd_identify(struct ata_drive *d)
{
    uint16_t id[256] = { 0 };
    identify_disk(d, id);
    identify_to_buffer(d, id);
}

static void disk_command(struct ata_drive *d, uint8_t cmd)
{
    switch (cmd) {
    case 0x20: case 0x21: cmd_rw(d, false, false, false); break;
    case 0x24: cmd_rw(d, true, false, false); break;
    case 0x29: cmd_rw(d, true, true, false); break;
    case 0xC4: cmd_rw(d, false, true, false); break;
    case 0x30: case 0x31: cmd_rw(d, false, false, true); break;
    case 0x34: cmd_rw(d, true, false, true); break;
    case 0x39: cmd_rw(d, true, true, true); break;
    case 0xC5: cmd_rw(d, false, true, true); break;
    case 0x40: case 0x41: cmd_verify(d, false, false); break;
    case 0x42: cmd_verify(d, true, false); break;
    case 0x70: cmd_verify(d, false, true); break;
    case 0xC6: cmd_set_multiple(d); break;
    case 0x91: cmd_init_params(d); break;
    case 0xEC: cmd_identify(d); break;
    case 0xEF: cmd_set_features(d); break;
    case 0xE7: case 0xEA: cmd_flush(d); break;
    case 0xF8: cmd_native_max(d, false); break;
    case 0x27: cmd_native_max(d, true); break;
    case 0xE5: case 0x98:           /* CHECK POWER MODE: active */
        d->r.nsect = 0xFF;
        cmd_done(d);
        break;
    case 0xE0: case 0xE1: case 0xE2: case 0xE3:   /* standby / idle */
    case 0x94: case 0x95: case 0x96: case 0x97:
        cmd_done(d);
        break;
    default:
        /* RECALIBRATE (1xh) is obsolete but harmless; everything else,
         * including NOP, DMA and the packet commands, aborts. */
        if ((cmd & 0xF0) == 0x10)
            cmd_done(d);
        else
            cmd_abort(d, ATA_E_ABRT);
    }
}

/* An ATA command an ATAPI device does not do: it aborts and shows its
 * signature, so that a host probing with IDENTIFY DEVICE learns what it is. */
static void cdrom_refuse(struct ata_drive *d)
{
    ata_set_signature(d);
    cmd_abort(d, ATA_E_ABRT);
}

static void cdrom_command(struct ata_drive *d, uint8_t cmd)
{
    switch (cmd) {
    case 0xA0: atapi_packet_command(d); break;
    case 0xA1: {
        uint16_t id[256] = { 0 };
        atapi_identify(d, id);
        identify_to_buffer(d, id);
        break;
    }
    case 0xEF: cmd_set_features(d); break;
    case 0xE5: case 0x98:
        d->r.nsect = 0xFF;
        cmd_done(d);
        break;
    case 0xE0: case 0xE1: case 0xE2: case 0xE3:
        cmd_done(d);
        break;
    case 0xEC: case 0x20: case 0x21: case 0x24: case 0x29: case 0xC4:
    case 0x30: case 0x31: case 0x34: case 0x39: case 0xC5:
        cdrom_refuse(d);
        break;
    default:
        cmd_abort(d, ATA_E_ABRT);
    }
}

/* EXECUTE DEVICE DIAGNOSTIC: both devices run it; device 0 is selected
 * afterwards and interrupts. */
static void exec_diagnostic(struct ata_channel *ch)
{
    for (int u = 0; u < 2; u++)
        if (ch->drive[u].kind != ATA_NONE)
            reset_registers(&ch->drive[u]);
    ch->select &= (uint8_t)~ATA_DEV;
    struct ata_drive *d = &ch->drive[0];
    if (d->kind != ATA_NONE)
        ata_finish(d, d->r.status, true);
    update_irq(ch);
}

static void command(struct ata_channel *ch, uint8_t cmd)
{
    struct ata_drive *d = selected(ch);
    if (cmd == 0x90) {
        exec_diagnostic(ch);
        return;
    }
    if (d->kind == ATA_NONE)
        return;                 /* nobody answers */
    if (d->kind == ATA_CDROM && cmd == 0x08) {
        /* DEVICE RESET: the only command an ATAPI device takes while busy. */
        reset_registers(d);
        update_irq(ch);
        return;
    }
    if (d->r.status & ATA_BSY)
        return;
    d->commands++;
    drive_idle(d);
    update_irq(ch);
    d->r.error = 0;
    if (d->kind == ATA_CDROM)
        cdrom_command(d, cmd);
    else
        disk_command(d, cmd);
}

/* ---- registers ---- */

static uint8_t reg_read(struct ata_channel *ch, int reg)
{
    struct ata_drive *d = selected(ch);
    const struct ata_regs *r = &d->r;
    bool hob = ch->devctl & ATA_HOB;
    if (d->kind == ATA_NONE)
        return reg == 6 ? ch->select : 0;
    switch (reg) {
    case 1: return r->error;
    case 2: return hob ? r->hob_nsect : r->nsect;
    case 3: return hob ? r->hob_lbal : r->lbal;
    case 4: return hob ? r->hob_lbam : r->lbam;
    case 5: return hob ? r->hob_lbah : r->lbah;
    case 6: return ch->select;
    default:
        /* Reading the status register acknowledges the interrupt. */
        set_intrq(d, false);
        return r->status;
    }
}

/* Writes to the command block reach both devices; each register keeps
 * its previous value for LBA48, and any such write clears HOB. */
static void latch(uint8_t *cur, uint8_t *prev, uint8_t v)
{
    *prev = *cur;
    *cur = v;
}

static void reg_write(struct ata_channel *ch, int reg, uint8_t v)
{
    if (reg == 7) {
        command(ch, v);
        return;
    }
    ch->devctl &= (uint8_t)~ATA_HOB;
    if (reg == 6) {
        ch->select = v;
        update_irq(ch);
        return;
    }
    for (int u = 0; u < 2; u++) {
        struct ata_regs *r = &ch->drive[u].r;
        switch (reg) {
        case 1: latch(&r->feature, &r->hob_feature, v); break;
        case 2: latch(&r->nsect, &r->hob_nsect, v); break;
        case 3: latch(&r->lbal, &r->hob_lbal, v); break;
        case 4: latch(&r->lbam, &r->hob_lbam, v); break;
        default: latch(&r->lbah, &r->hob_lbah, v); break;
        }
    }
}

/* Device control: nIEN masks the IRQ; SRST held high keeps both devices
 * busy, and its falling edge resets them (signatures, device 0 selected). */
static void devctl_write(struct ata_channel *ch, uint8_t v)
{
    uint8_t old = ch->devctl;
    ch->devctl = v;
    for (int u = 0; u < 2; u++) {
        struct ata_drive *d = &ch->drive[u];
        if (d->kind == ATA_NONE)
            continue;
        if ((v & ATA_SRST) && !(old & ATA_SRST)) {
            drive_idle(d);
            d->r.status = ATA_BSY;
        } else if (!(v & ATA_SRST) && (old & ATA_SRST)) {
            reset_registers(d);
        }
    }
    if (!(v & ATA_SRST) && (old & ATA_SRST))
        ch->select = 0;
    update_irq(ch);
}

static uint32_t cmd_port_read(void *opaque, uint32_t port, int size)
{
    struct ata_channel *ch = opaque;
    int reg = (int)(port - ch->base);
    if (!ch->decode)
        return ones(size);
    if (reg == 0)
        return data_read(ch, size);
    uint32_t v = 0;
    for (int k = 0; k < size; k++)
        v |= (uint32_t)(reg + k <= 7 ? reg_read(ch, reg + k) : 0xFF) << (8 * k);
    return v;
}

static void cmd_port_write(void *opaque, uint32_t port, int size, uint32_t v)
{
    struct ata_channel *ch = opaque;
    int reg = (int)(port - ch->base);
    if (!ch->decode)
        return;
    if (reg == 0) {
        data_write(ch, size, v);
        return;
    }
    for (int k = 0; k < size && reg + k <= 7; k++)
        reg_write(ch, reg + k, (uint8_t)(v >> (8 * k)));
}

/* The alternate status register: the status without acknowledging. */
static uint32_t ctl_port_read(void *opaque, uint32_t port, int size)
{
    struct ata_channel *ch = opaque;
    (void)port;
    struct ata_drive *d = selected(ch);
    if (!ch->decode)
        return ones(size);
    return d->kind == ATA_NONE ? 0 : d->r.status;
}

static void ctl_port_write(void *opaque, uint32_t port, int size, uint32_t v)
{
    struct ata_channel *ch = opaque;
    (void)port;
    (void)size;
    if (ch->decode)
        devctl_write(ch, (uint8_t)v);
}

/* ---- the machine's side ---- */

int ata_init(struct ata *a, struct bus *b, struct irq_line irq14, struct irq_line irq15,
             struct vclock *clock)
{
    static const uint16_t base[ATA_CHANNELS] = { 0x1F0, 0x170 };
    static const uint16_t ctl[ATA_CHANNELS] = { 0x3F6, 0x376 };
    memset(a, 0, sizeof *a);
    a->clock = clock;
    for (int c = 0; c < ATA_CHANNELS; c++) {
        struct ata_channel *ch = &a->ch[c];
        ch->ata = a;
        ch->index = c;
        ch->base = base[c];
        ch->ctl = ctl[c];
        ch->irq = c ? irq15 : irq14;
        ch->decode = true;
        for (int u = 0; u < 2; u++) {
            ch->drive[u].ch = ch;
            ch->drive[u].unit = u;
            timer_init(&ch->drive[u].timer, latency_done, &ch->drive[u]);
        }
        if (bus_add_ports(b, base[c], 8, cmd_port_read, cmd_port_write, ch) < 0 ||
            bus_add_ports(b, ctl[c], 1, ctl_port_read, ctl_port_write, ch) < 0)
            return -1;
    }
    return 0;
}

/* The default geometry: 16 heads and 63 sectors per track (fewer for tiny
 * disks), at most 16383 cylinders, never more sectors than the disk has. */
static void default_geometry(struct ata_drive *d)
{
    uint64_t n = d->disk->sectors < CHS_MAX_SECTORS ? d->disk->sectors : CHS_MAX_SECTORS;
    d->spt = (uint16_t)(n < 63 ? n : 63);
    d->heads = (uint16_t)(n / d->spt < 16 ? n / d->spt : 16);
    d->cyls = (uint16_t)(n / ((uint64_t)d->heads * d->spt));
}

static void drive_power_on(struct ata_drive *d)
{
    d->mult = 0;
    d->cur_cyls = d->cyls;
    d->cur_heads = d->heads;
    d->cur_spt = d->spt;
    memset(&d->r, 0, sizeof d->r);
    reset_registers(d);
    if (d->kind == ATA_CDROM)
        atapi_reset(d);
}

int ata_attach(struct ata *a, int index, struct disk *disk)
{
    if (index < 0 || index >= ATA_UNITS || !disk) {
        errno = EINVAL;
        return -1;
    }
    struct ata_drive *d = &a->ch[index / 2].drive[index % 2];
    if (d->kind != ATA_NONE) {
        errno = EBUSY;
        return -1;
    }
    d->buf = calloc(1, ATA_BUF_SIZE);
    if (!d->buf)
        return -1;
    d->disk = disk;
    d->kind = disk->media == DISK_MEDIA_CDROM ? ATA_CDROM : ATA_DISK;
    if (d->kind == ATA_DISK)
        default_geometry(d);
    drive_power_on(d);
    return 0;
}

void ata_reset(struct ata *a)
{
    for (int c = 0; c < ATA_CHANNELS; c++) {
        struct ata_channel *ch = &a->ch[c];
        ch->devctl = 0;
        ch->select = 0;
        ch->decode = true;
        for (int u = 0; u < 2; u++)
            if (ch->drive[u].kind != ATA_NONE)
                drive_power_on(&ch->drive[u]);
        update_irq(ch);
    }
}

void ata_free(struct ata *a)
{
    for (int c = 0; c < ATA_CHANNELS; c++)
        for (int u = 0; u < 2; u++) {
            struct ata_drive *d = &a->ch[c].drive[u];
            if (a->clock)
                timer_cancel(a->clock, &d->timer);
            free(d->buf);
            d->buf = NULL;
            d->disk = NULL;
            d->kind = ATA_NONE;
        }
}

void ata_set_decode(struct ata *a, int channel, bool on)
{
    if (channel >= 0 && channel < ATA_CHANNELS)
        a->ch[channel].decode = on;
}
