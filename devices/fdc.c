/* fdc.c -- the 82077AA floppy controller: its registers, the command /
 * execution / result phases, the commands a PC uses (DMA on channel 2 or
 * PIO through the FIFO), the drives' heads and disk-change lines, timing
 * on the virtual clock, and the raw floppy images behind the drives. */
#include "fdc.h"

#include <stdio.h>
#include <string.h>

#include "devices/dma.h"
#include "machine/bus.h"

enum {
    /* DOR */
    DOR_SEL = 0x03, DOR_NRESET = 0x04, DOR_DMA = 0x08, DOR_MOTOR0 = 0x10,
    /* MSR */
    MSR_RQM = 0x80, MSR_DIO = 0x40, MSR_NDM = 0x20, MSR_CB = 0x10,
    /* DSR */
    DSR_RESET = 0x80, DSR_RATE = 0x03,
    /* ST0 */
    ST0_ABNORMAL = 0x40, ST0_INVALID = 0x80, ST0_POLL = 0xC0, ST0_SE = 0x20, ST0_EC = 0x10,
    /* ST1 */
    ST1_EN = 0x80, ST1_DE = 0x20, ST1_OR = 0x10, ST1_ND = 0x04, ST1_NW = 0x02, ST1_MA = 0x01,
    /* ST2 */
    ST2_WC = 0x10,
    /* ST3: bits 5 and 3 always read 1 on the 82077AA */
    ST3_WP = 0x40, ST3_ONE = 0x28, ST3_T0 = 0x10,
    /* CONFIGURE */
    CONF_EIS = 0x40, CONF_DEFAULT = 0x20,   /* EFIFO set: FIFO off, polling on */
    /* SPECIFY second byte */
    SPEC_ND = 0x01,
    /* commands (low five bits) */
    OP_SPECIFY = 0x03, OP_SENSE_DRIVE = 0x04, OP_WRITE = 0x05, OP_READ = 0x06,
    OP_RECALIBRATE = 0x07, OP_SENSE_INT = 0x08, OP_READ_ID = 0x0A, OP_FORMAT = 0x0D,
    OP_DUMPREG = 0x0E, OP_SEEK = 0x0F, OP_VERSION = 0x10, OP_PERPENDICULAR = 0x12,
    OP_CONFIGURE = 0x13, OP_LOCK = 0x14,
    CMD_MT = 0x80, CMD_MFM = 0x40, CMD_RELATIVE = 0x80, CMD_DIR_IN = 0x40,
    VERSION_82077AA = 0x90,
    MAX_TRACK = 83,          /* the last position a drive's head can reach */
    RECAL_STEPS = 79,        /* step pulses RECALIBRATE gives before it gives up */
};

/* Virtual time: quick enough for tests, slow enough that a driver sees the
 * busy phases and must wait for the interrupt. */
static const uint64_t EXEC_NS = 250 * 1000;     /* a data command */
static const uint64_t SEEK_NS = 200 * 1000;     /* a seek, plus STEP_NS a track */
static const uint64_t STEP_NS = 10 * 1000;

/* ---- images ---- */

static const struct fd_geometry geometries[] = {
    {  368640, 40, 2,  9, 0x06, 1 },    /* 250 kbps, or 300 in a 1.2 MB drive */
    {  737280, 80, 2,  9, 0x04, 3 },    /* 250 kbps */
    { 1228800, 80, 2, 15, 0x01, 2 },    /* 500 kbps */
    { 1474560, 80, 2, 18, 0x01, 4 },    /* 500 kbps */
    { 2949120, 80, 2, 36, 0x08, 5 },    /* 1 Mbps */
};

const struct fd_geometry *fd_geometry_for_size(uint64_t size)
{
    for (size_t k = 0; k < sizeof geometries / sizeof geometries[0]; k++)
        if (geometries[k].size == size)
            return &geometries[k];
    return NULL;
}

int fd_image_open(struct fd_image *img, const struct disk_spec *spec, bool readonly,
                  char *err, size_t errlen)
{
    memset(img, 0, sizeof *img);
    if (disk_open(&img->disk, spec, err, errlen) < 0)
        return -1;
    uint64_t bytes = img->disk.sectors * img->disk.sector_size;
    img->geo = fd_geometry_for_size(bytes);
    if (!img->geo) {
        snprintf(err, errlen, "%s: %llu bytes is not a floppy size (360 KB, 720 KB, "
                 "1.2 MB, 1.44 MB or 2.88 MB)", img->disk.path, (unsigned long long)bytes);
        disk_close(&img->disk);
        return -1;
    }
    img->readonly = readonly;
    return 0;
}

void fd_image_close(struct fd_image *img)
{
    if (img->geo)
        disk_close(&img->disk);
    memset(img, 0, sizeof *img);
}

/* ---- interrupt and phases ---- */

/* The INT pin reaches IRQ 6 only while the DOR's DMA gate bit is set (AT
 * mode). */
static void update_irq(struct fdc *f)
{
    bool level = f->intr && (f->dor & DOR_DMA);
    if (level != f->irq_level) {
        f->irq_level = level;
        irq_set(&f->irq, level);
    }
}

static void set_intr(struct fdc *f, bool on)
{
    f->intr = on;
    update_irq(f);
}

/* INT goes low when its cause is served; if a drive's seek ended in the
 * meantime, it rises again at once (a new edge for the PIC). */
static void clear_intr(struct fdc *f)
{
    set_intr(f, false);
    if (f->sense_pending)
        set_intr(f, true);
}

static void to_command_phase(struct fdc *f)
{
    f->phase = FDC_PH_COMMAND;
    f->cmd_n = 0;
    f->res_n = f->res_len = 0;
}

/* Enters the result phase with n bytes; data commands also interrupt. */
static void to_result_phase(struct fdc *f, const uint8_t *bytes, int n, bool interrupt)
{
    memcpy(f->res, bytes, (size_t)n);
    f->res_len = n;
    f->res_n = 0;
    f->phase = FDC_PH_RESULT;
    f->res_int = interrupt;
    if (interrupt)
        set_intr(f, true);
}

static void result1(struct fdc *f, uint8_t v)
{
    to_result_phase(f, &v, 1, false);
}

/* ---- drives and media ---- */

static bool motor_on(const struct fdc *f, int drive)
{
    return f->dor & (DOR_MOTOR0 << drive);
}

static const struct fd_geometry *media(const struct fdc *f, int drive)
{
    const struct fd_drive *d = &f->drive[drive];
    return d->present && d->img ? d->img->geo : NULL;
}

/* Moves the head by `steps` (negative: outwards); a step with a disk in
 * the drive clears its disk-change line. */
static void step_head(struct fd_drive *d, int steps)
{
    if (!d->present || steps == 0)
        return;
    int t = d->track + steps;
    t = t < 0 ? 0 : t > MAX_TRACK ? MAX_TRACK : t;
    d->track = (uint8_t)t;
    if (d->img)
        d->dskchg = false;
}

/* Whether the controller can find ID fields at all on the addressed
 * track: a disk, spinning, read at its data rate in MFM, a track and side
 * it has.  If not, the command ends with "missing address mark". */
static bool media_ok(struct fdc *f, struct fdc_xfer *x)
{
    const struct fd_geometry *g = media(f, x->drive);
    const struct fd_drive *d = &f->drive[x->drive];
    if (!g || !motor_on(f, x->drive) || !(g->rates & (1 << (f->dsr & DSR_RATE))) ||
        !x->mfm || x->head >= g->heads || d->track >= g->tracks) {
        x->st1 |= ST1_MA;
        x->st0 |= ST0_ABNORMAL;
        return false;
    }
    return true;
}

/* The image's sector number (LBA) of the sector x addresses, or -1 with
 * ST1 ND (and ST2 WC when the track under the head is another cylinder). */
static long locate(struct fdc *f, struct fdc_xfer *x)
{
    const struct fd_geometry *g = media(f, x->drive);
    const struct fd_drive *d = &f->drive[x->drive];
    if (!g) {                   /* ejected during a PIO transfer */
        x->st1 |= ST1_MA;
        x->st0 |= ST0_ABNORMAL;
        return -1;
    }
    if (x->c != d->track)
        x->st2 |= ST2_WC;
    if (x->c != d->track || x->h != x->head || x->n != 2 || x->r < 1 || x->r > g->spt) {
        x->st1 |= ST1_ND;
        x->st0 |= ST0_ABNORMAL;
        return -1;
    }
    return ((long)x->c * g->heads + x->head) * g->spt + (x->r - 1);
}

/* Sector I/O on the drive's image; a failure (an I/O error on the image
 * file) is what a CRC error would be on a real disk: ST1 DE. */
static bool sector_io(struct fdc *f, long lba, uint8_t *buf, bool write)
{
    struct fdc_xfer *x = &f->x;
    struct disk *d = &f->drive[x->drive].img->disk;
    int r = write ? disk_write(d, (uint64_t)lba, 1, buf) : disk_read(d, (uint64_t)lba, 1, buf);
    if (r < 0) {
        x->st0 |= ST0_ABNORMAL;
        x->st1 |= ST1_DE;
        return false;
    }
    return true;
}

/* The ID after the sector just handled passes under the head next. */
static void rotate_past(struct fdc *f, const struct fdc_xfer *x)
{
    const struct fd_geometry *g = media(f, x->drive);
    if (g)
        f->drive[x->drive].next_id = (uint8_t)(x->r % g->spt + 1);
}

/* Advances x past the sector just transferred, to the address the result
 * phase reports (82077AA result table); returns false when that sector
 * was the last of the cylinder: EOT on the last head (head 1 with MT). */
static bool next_sector(struct fdc_xfer *x)
{
    if (x->r != x->eot) {
        x->r++;
        return true;
    }
    x->r = 1;
    if (x->mt) {
        x->h ^= 1;
        if (x->head == 0) {
            x->head = 1;
            return true;
        }
    }
    x->c++;
    return false;
}

/* The seven-byte result of a data command, and its interrupt. */
static void finish(struct fdc *f)
{
    struct fdc_xfer *x = &f->x;
    uint8_t r[7] = {
        (uint8_t)(x->st0 | x->head << 2 | x->drive), x->st1, x->st2, x->c, x->h, x->r, x->n,
    };
    to_result_phase(f, r, 7, true);
}

/* ---- data transfer ---- */

static bool dma_sector(struct fdc *f, uint8_t *buf, int len, bool to_memory, int *got)
{
    *got = (f->dor & DOR_DMA) ? dma_transfer(f->dma, f->dma_channel, buf, len, to_memory) : 0;
    return *got > 0 && dma_tc_reached(f->dma, f->dma_channel);
}

/* After a sector: true to go on.  TC ends the command normally; running
 * off the cylinder without TC ends it with EN (normal in PIO mode, which
 * has no TC). */
static bool continue_after(struct fdc_xfer *x, bool tc)
{
    bool more = next_sector(x);
    if (tc)
        return false;
    if (!more) {
        x->st0 |= ST0_ABNORMAL;
        x->st1 |= ST1_EN;
    }
    return more;
}

static void read_dma(struct fdc *f)
{
    struct fdc_xfer *x = &f->x;
    for (;;) {
        long lba = locate(f, x);
        if (lba < 0 || !sector_io(f, lba, x->buf, false))
            break;
        int got;
        bool tc = dma_sector(f, x->buf, FDC_SECTOR, true, &got);
        if (!tc && got < FDC_SECTOR) {
            x->st0 |= ST0_ABNORMAL;      /* no DMA service: the FIFO overran */
            x->st1 |= ST1_OR;
            break;
        }
        rotate_past(f, x);
        if (!continue_after(x, tc))
            break;
    }
    finish(f);
}

static void write_dma(struct fdc *f)
{
    struct fdc_xfer *x = &f->x;
    for (;;) {
        long lba = locate(f, x);
        if (lba < 0)
            break;
        int got;
        bool tc = dma_sector(f, x->buf, FDC_SECTOR, false, &got);
        if (!tc && got < FDC_SECTOR) {
            x->st0 |= ST0_ABNORMAL;
            x->st1 |= ST1_OR;
            break;
        }
        /* TC in mid-sector: the controller pads the sector with zeros. */
        memset(x->buf + got, 0, (size_t)(FDC_SECTOR - got));
        if (!sector_io(f, lba, x->buf, true))
            break;
        rotate_past(f, x);
        if (!continue_after(x, tc))
            break;
    }
    finish(f);
}

/* One ID field (C, H, R, N) of FORMAT TRACK: the sector it names is filled.
 * A raw image holds only its standard layout, so an ID outside it ends the
 * command (abnormal termination, ST1 ND). */
static bool format_id(struct fdc *f, const uint8_t *id)
{
    struct fdc_xfer *x = &f->x;
    x->c = id[0];
    x->h = id[1];
    x->r = id[2];
    x->n = id[3];
    long lba = locate(f, x);
    if (lba < 0)
        return false;
    uint8_t sector[FDC_SECTOR];
    memset(sector, x->fill, sizeof sector);
    if (!sector_io(f, lba, sector, true))
        return false;
    x->done++;
    return true;
}

static void format_dma(struct fdc *f)
{
    struct fdc_xfer *x = &f->x;
    while (x->done < x->sc) {
        uint8_t id[4];
        int got;
        bool tc = dma_sector(f, id, 4, false, &got);
        if (got < 4) {
            if (!tc) {
                x->st0 |= ST0_ABNORMAL;
                x->st1 |= ST1_OR;
            }
            break;
        }
        if (!format_id(f, id) || tc)
            break;
    }
    finish(f);
}

/* PIO: readies the next sector (reads) or data unit (writes) for the
 * guest, raising INT (an edge per unit); false when the command ended. */
static bool pio_next_unit(struct fdc *f)
{
    struct fdc_xfer *x = &f->x;
    x->pos = 0;
    if (x->op != OP_FORMAT) {
        long lba = locate(f, x);
        if (lba < 0 || (x->op == OP_READ && !sector_io(f, lba, x->buf, false)))
            return false;
    }
    x->waiting = true;
    set_intr(f, false);
    set_intr(f, true);
    return true;
}

/* PIO: the guest moved the last byte of a unit. */
static void pio_unit_done(struct fdc *f)
{
    struct fdc_xfer *x = &f->x;
    x->waiting = false;
    bool more;
    if (x->op == OP_FORMAT) {
        more = format_id(f, x->buf) && x->done < x->sc;
    } else {
        long lba = x->op == OP_WRITE ? locate(f, x) : 0;
        more = x->op != OP_WRITE || (lba >= 0 && sector_io(f, lba, x->buf, true));
        if (more) {
            rotate_past(f, x);
            more = continue_after(x, false);
        }
    }
    if (!more || !pio_next_unit(f))
        finish(f);
}

/* The execution phase's end (EXEC_NS after the command): the transfer. */
static void exec_fire(void *opaque)
{
    struct fdc *f = opaque;
    struct fdc_xfer *x = &f->x;
    if (!media_ok(f, x)) {
        finish(f);
        return;
    }
    struct fd_drive *d = &f->drive[x->drive];
    if (x->op == OP_READ_ID) {
        x->c = d->track;
        x->h = x->head;
        x->r = d->next_id;
        x->n = 2;
        rotate_past(f, x);
        finish(f);
        return;
    }
    if (x->op != OP_READ && d->img->readonly) {
        x->st0 |= ST0_ABNORMAL;
        x->st1 |= ST1_NW;
        finish(f);
        return;
    }
    if (x->op == OP_FORMAT && (x->n != 2 || x->sc != media(f, x->drive)->spt)) {
        x->st0 |= ST0_ABNORMAL;          /* a layout the image cannot hold */
        x->st1 |= ST1_ND;
        finish(f);
        return;
    }
    if (x->pio) {
        if (!pio_next_unit(f))
            finish(f);
    } else if (x->op == OP_READ) {
        read_dma(f);
    } else if (x->op == OP_WRITE) {
        write_dma(f);
    } else {
        format_dma(f);
    }
}

/* ---- commands ---- */

/* Starts the execution phase of a data command on the drive/head of the
 * HDS byte (cmd[1]). */
static void start_exec(struct fdc *f, uint8_t op)
{
    struct fdc_xfer *x = &f->x;
    memset(x, 0, sizeof *x);
    x->op = op;
    x->drive = f->cmd[1] & 3;
    x->head = (f->cmd[1] >> 2) & 1;
    x->mt = f->cmd[0] & CMD_MT;
    x->mfm = f->cmd[0] & CMD_MFM;
    x->pio = f->specify[1] & SPEC_ND;
    x->unit = op == OP_FORMAT ? 4 : FDC_SECTOR;
    f->phase = FDC_PH_EXEC;
    timer_arm(f->clock, &f->exec_timer, vclock_now(f->clock) + EXEC_NS);
}

static void cmd_read_write(struct fdc *f)
{
    uint8_t op = f->cmd[0] & 0x1F;
    start_exec(f, op);
    struct fdc_xfer *x = &f->x;
    x->c = f->cmd[2];
    x->h = f->cmd[3];
    x->r = f->cmd[4];
    x->n = f->cmd[5];
    x->eot = f->cmd[6];
    f->last_eot = x->eot;
    /* Implied seek (CONFIGURE EIS): the head goes to C first. */
    if ((f->config & CONF_EIS) && f->pcn[x->drive] != x->c) {
        step_head(&f->drive[x->drive], x->c - f->pcn[x->drive]);
        f->pcn[x->drive] = x->c;
        x->st0 |= ST0_SE;
    }
}

static void cmd_read_id(struct fdc *f)
{
    start_exec(f, OP_READ_ID);
    f->x.pio = false;           /* no data phase */
}

static void cmd_format(struct fdc *f)
{
    start_exec(f, OP_FORMAT);
    struct fdc_xfer *x = &f->x;
    x->n = f->cmd[2];
    x->sc = f->cmd[3];
    x->fill = f->cmd[5];
    x->c = f->pcn[x->drive];
    x->h = x->head;
}

static void cmd_specify(struct fdc *f)
{
    f->specify[0] = f->cmd[1];
    f->specify[1] = f->cmd[2];
    to_command_phase(f);
}

static void cmd_sense_drive(struct fdc *f)
{
    int n = f->cmd[1] & 3;
    const struct fd_drive *d = &f->drive[n];
    uint8_t st3 = (uint8_t)(ST3_ONE | (f->cmd[1] & 7));
    if (!d->img || d->img->readonly)
        st3 |= ST3_WP;               /* no disk reads as write-protected */
    if (d->present && d->track == 0)
        st3 |= ST3_T0;
    result1(f, st3);
}

/* SEEK and RECALIBRATE run in the background: the controller takes the
 * next command at once, the drive's MSR busy bit stays set, and the
 * interrupt comes when the head has arrived. */
static void start_seek(struct fdc *f, int n, int steps, uint8_t st0)
{
    struct fd_drive *d = &f->drive[n];
    d->seek_st0 = st0;
    f->seek_busy |= (uint8_t)(1 << n);
    uint64_t t = SEEK_NS + STEP_NS * (uint64_t)(steps < 0 ? -steps : steps);
    timer_arm(f->clock, &d->seek_timer, vclock_now(f->clock) + t);
    to_command_phase(f);
}

static void seek_fire(void *opaque)
{
    struct fd_drive *d = opaque;
    struct fdc *f = d->fdc;
    f->sense_pending |= (uint8_t)(1 << d->unit);
    set_intr(f, true);
}

static void cmd_seek(struct fdc *f)
{
    int n = f->cmd[1] & 3;
    int head = (f->cmd[1] >> 2) & 1;
    int target = f->cmd[2];
    if (f->cmd[0] & CMD_RELATIVE)
        target = f->cmd[0] & CMD_DIR_IN ? f->pcn[n] + f->cmd[2] : f->pcn[n] - f->cmd[2];
    int steps = target - f->pcn[n];
    f->pcn[n] = (uint8_t)target;            /* the register wraps, the head stops */
    step_head(&f->drive[n], steps);
    start_seek(f, n, steps, (uint8_t)(ST0_SE | head << 2 | n));
}

/* Up to 79 step pulses outwards, stopping at track 0; a head that never
 * reports track 0 (no drive, or one parked beyond track 79) sets EC. */
static void cmd_recalibrate(struct fdc *f)
{
    int n = f->cmd[1] & 3;
    struct fd_drive *d = &f->drive[n];
    int steps = d->track < RECAL_STEPS ? d->track : RECAL_STEPS;
    step_head(d, -steps);
    uint8_t st0 = (uint8_t)(ST0_SE | n);
    if (!d->present || d->track != 0)
        st0 |= ST0_ABNORMAL | ST0_EC;
    f->pcn[n] = 0;
    start_seek(f, n, steps, st0);
}

/* After a reset: four reports (one per drive, ST0 0xC0-0xC3) for the
 * polling interrupt; then the drives whose seek ended, lowest first;
 * with nothing to report the command is invalid. */
static void cmd_sense_int(struct fdc *f)
{
    uint8_t r[2];
    if (f->reset_reports > 0) {
        int n = FDC_DRIVES - f->reset_reports--;
        r[0] = (uint8_t)(ST0_POLL | n);
        r[1] = f->pcn[n];
    } else if (f->sense_pending) {
        int n = __builtin_ctz(f->sense_pending);
        f->sense_pending &= (uint8_t)~(1 << n);
        f->seek_busy &= (uint8_t)~(1 << n);
        r[0] = f->drive[n].seek_st0;
        r[1] = f->pcn[n];
    } else {
        result1(f, ST0_INVALID);
        return;
    }
    clear_intr(f);               /* another drive's seek may be waiting */
    to_result_phase(f, r, 2, false);
}

static void cmd_version(struct fdc *f)
{
    result1(f, VERSION_82077AA);
}

static void cmd_configure(struct fdc *f)
{
    f->config = f->cmd[2] & 0x7F;
    f->pretrk = f->cmd[3];
    to_command_phase(f);
}

static void cmd_lock(struct fdc *f)
{
    f->lock = f->cmd[0] & 0x80;
    result1(f, (uint8_t)(f->lock << 4));
}

static void cmd_dumpreg(struct fdc *f)
{
    uint8_t r[10] = {
        f->pcn[0], f->pcn[1], f->pcn[2], f->pcn[3], f->specify[0], f->specify[1],
        f->last_eot, (uint8_t)(f->lock << 7 | (f->perp & 0x3F)), f->config, f->pretrk,
    };
    to_result_phase(f, r, 10, false);
}

/* OW set: D3-D0 are written too; GAP and WGATE always are. */
static void cmd_perpendicular(struct fdc *f)
{
    uint8_t v = f->cmd[1];
    uint8_t drives = (v & 0x80) ? (v & 0x3C) : (f->perp & 0x3C);
    f->perp = (uint8_t)(drives | (v & 0x03));
    to_command_phase(f);
}

struct command {
    uint8_t len;                 /* bytes including the opcode; 0: invalid */
    void (*run)(struct fdc *f);
};

static const struct command commands[32] = {
    [OP_SPECIFY] = { 3, cmd_specify },
    [OP_SENSE_DRIVE] = { 2, cmd_sense_drive },
    [OP_WRITE] = { 9, cmd_read_write },
    [OP_READ] = { 9, cmd_read_write },
    [OP_RECALIBRATE] = { 2, cmd_recalibrate },
    [OP_SENSE_INT] = { 1, cmd_sense_int },
    [OP_READ_ID] = { 2, cmd_read_id },
    [OP_FORMAT] = { 6, cmd_format },
    [OP_DUMPREG] = { 1, cmd_dumpreg },
    [OP_SEEK] = { 3, cmd_seek },
    [OP_VERSION] = { 1, cmd_version },
    [OP_PERPENDICULAR] = { 2, cmd_perpendicular },
    [OP_CONFIGURE] = { 4, cmd_configure },
    [OP_LOCK] = { 1, cmd_lock },
};

static void command_byte(struct fdc *f, uint8_t v)
{
    f->cmd[f->cmd_n++] = v;
    const struct command *c = &commands[f->cmd[0] & 0x1F];
    if (c->len == 0) {
        result1(f, ST0_INVALID);
        return;
    }
    if (f->cmd_n == c->len)
        c->run(f);
}

/* ---- FIFO (data port) ---- */

static uint8_t fifo_read(struct fdc *f)
{
    struct fdc_xfer *x = &f->x;
    if (f->phase == FDC_PH_RESULT) {
        uint8_t v = f->res[f->res_n++];
        if (f->res_n == 1 && f->res_int)
            clear_intr(f);                   /* the first result byte clears INT */
        if (f->res_n >= f->res_len)
            to_command_phase(f);
        return v;
    }
    if (f->phase == FDC_PH_EXEC && x->pio && x->waiting && x->op == OP_READ) {
        if (x->pos == 0)
            clear_intr(f);
        uint8_t v = x->buf[x->pos++];
        if (x->pos == x->unit)
            pio_unit_done(f);
        return v;
    }
    return 0;
}

static void fifo_write(struct fdc *f, uint8_t v)
{
    struct fdc_xfer *x = &f->x;
    if (f->phase == FDC_PH_COMMAND) {
        command_byte(f, v);
    } else if (f->phase == FDC_PH_EXEC && x->pio && x->waiting && x->op != OP_READ) {
        if (x->pos == 0)
            clear_intr(f);
        x->buf[x->pos++] = v;
        if (x->pos == x->unit)
            pio_unit_done(f);
    }
}

/* ---- registers ---- */

static uint8_t read_msr(const struct fdc *f)
{
    const struct fdc_xfer *x = &f->x;
    if (!(f->dor & DOR_NRESET))
        return 0;
    uint8_t v = f->seek_busy;
    switch (f->phase) {
    case FDC_PH_COMMAND:
        return (uint8_t)(v | MSR_RQM | (f->cmd_n ? MSR_CB : 0));
    case FDC_PH_RESULT:
        return (uint8_t)(v | MSR_RQM | MSR_DIO | MSR_CB);
    case FDC_PH_EXEC:
        v |= MSR_CB;
        if (x->pio)
            v |= MSR_NDM;
        if (x->pio && x->waiting)
            v |= (uint8_t)(MSR_RQM | (x->op == OP_READ ? MSR_DIO : 0));
        return v;
    }
    return v;
}

/* A software reset (DOR bit 2 low then high, or DSR bit 7): the command
 * in progress is dropped, the cylinder registers zeroed (the heads stay
 * where they are), CONFIGURE's EIS and POLL return to their defaults and,
 * unless LOCKed, EFIFO, FIFOTHR and PRETRK too.  SPECIFY and the data rate
 * survive.  Polling then reports every drive: one interrupt, four
 * SENSE INTERRUPT STATUS reports. */
static void soft_reset(struct fdc *f)
{
    timer_cancel(f->clock, &f->exec_timer);
    for (int n = 0; n < FDC_DRIVES; n++) {
        timer_cancel(f->clock, &f->drive[n].seek_timer);
        f->pcn[n] = 0;
    }
    to_command_phase(f);
    memset(&f->x, 0, sizeof f->x);
    f->seek_busy = 0;
    f->sense_pending = 0;
    f->perp &= 0x3C;
    if (f->lock) {
        f->config &= 0x2F;               /* EIS and POLL back to 0 */
    } else {
        f->config = CONF_DEFAULT;
        f->pretrk = 0;
    }
    f->reset_reports = FDC_DRIVES;
    set_intr(f, true);
}

/* Holding reset: nothing runs and INT is low. */
static void enter_reset(struct fdc *f)
{
    timer_cancel(f->clock, &f->exec_timer);
    to_command_phase(f);
    f->reset_reports = 0;
    set_intr(f, false);
}

static void write_dor(struct fdc *f, uint8_t v)
{
    uint8_t old = f->dor;
    f->dor = v;
    if (!(v & DOR_NRESET)) {
        if (old & DOR_NRESET)
            enter_reset(f);
    } else if (!(old & DOR_NRESET)) {
        soft_reset(f);
    }
    update_irq(f);                        /* the DMA gate may have changed */
}

/* SRA/SRB as in PS/2 mode. */
static uint8_t read_sra(const struct fdc *f)
{
    const struct fd_drive *d = &f->drive[f->dor & DOR_SEL];
    uint8_t v = 0x04;                     /* /INDEX inactive */
    if (f->intr)
        v |= 0x80;
    if (!f->drive[1].present)
        v |= 0x40;                        /* /DRV2: no second drive */
    if (!(d->present && d->track == 0))
        v |= 0x10;                        /* /TRK0 */
    if (f->x.head)
        v |= 0x08;
    if (!(d->img && d->img->readonly))
        v |= 0x02;                        /* /WP */
    return v;
}

static uint8_t read_srb(const struct fdc *f)
{
    return (uint8_t)(0xC0 | (f->dor & 1) << 5 | (f->dor >> 4 & 3));
}

static uint8_t fdc_read8(struct fdc *f, uint32_t reg)
{
    switch (reg) {
    case 0: return read_sra(f);
    case 1: return read_srb(f);
    case 2: return f->dor;
    case 3: return f->tdr;
    case 4: return read_msr(f);
    case 5: return (f->dor & DOR_NRESET) ? fifo_read(f) : 0;
    case 7: return (uint8_t)(f->drive[f->dor & DOR_SEL].dskchg << 7);
    }
    return 0xFF;
}

static void fdc_write8(struct fdc *f, uint32_t reg, uint8_t v)
{
    if (reg == 2) {
        write_dor(f, v);
        return;
    }
    if (!(f->dor & DOR_NRESET))
        return;                           /* the other registers sleep in reset */
    switch (reg) {
    case 3:
        f->tdr = v & 3;
        break;
    case 4:
        f->dsr = v & 0x7F;
        if (v & DSR_RESET)
            soft_reset(f);
        break;
    case 5:
        fifo_write(f, v);
        break;
    case 7:
        f->dsr = (uint8_t)((f->dsr & ~DSR_RATE) | (v & DSR_RATE));   /* CCR */
        break;
    }
}

/* An 8-bit ISA device: wider accesses become byte accesses. */
static uint32_t fdc_io_read(void *opaque, uint32_t port, int size)
{
    uint32_t v = 0;
    for (int k = 0; k < size; k++) {
        uint32_t reg = port + (uint32_t)k - 0x3F0;
        uint32_t b = (reg < 8 && reg != 6) ? fdc_read8(opaque, reg) : 0xFF;
        v |= b << (8 * k);
    }
    return v;
}

static void fdc_io_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    for (int k = 0; k < size; k++) {
        uint32_t reg = port + (uint32_t)k - 0x3F0;
        if (reg < 8 && reg != 6)
            fdc_write8(opaque, reg, (uint8_t)(value >> (8 * k)));
    }
}

/* ---- life cycle ---- */

void fdc_reset(struct fdc *f)
{
    timer_cancel(f->clock, &f->exec_timer);
    for (int n = 0; n < FDC_DRIVES; n++) {
        struct fd_drive *d = &f->drive[n];
        timer_cancel(f->clock, &d->seek_timer);
        d->track = 0;
        d->dskchg = true;
        d->next_id = 1;
        f->pcn[n] = 0;
    }
    f->dor = 0;
    f->tdr = 0;
    f->dsr = 2;                     /* 250 kbps after a hardware reset */
    f->specify[0] = f->specify[1] = 0;
    f->config = CONF_DEFAULT;
    f->pretrk = 0;
    f->lock = false;
    f->perp = 0;
    f->last_eot = 0;
    f->seek_busy = f->sense_pending = 0;
    f->reset_reports = 0;
    memset(&f->x, 0, sizeof f->x);
    to_command_phase(f);
    set_intr(f, false);
}

int fdc_init(struct fdc *f, struct bus *b, struct vclock *clock, struct irq_line irq,
             struct dma *dma, int dma_channel)
{
    memset(f, 0, sizeof *f);
    f->clock = clock;
    f->irq = irq;
    f->dma = dma;
    f->dma_channel = dma_channel;
    timer_init(&f->exec_timer, exec_fire, f);
    for (int n = 0; n < FDC_DRIVES; n++) {
        f->drive[n].fdc = f;
        f->drive[n].unit = n;
        timer_init(&f->drive[n].seek_timer, seek_fire, &f->drive[n]);
    }
    f->drive[0].present = true;
    fdc_reset(f);
    /* 0x3F6 belongs to the hard disk controller (device control). */
    if (bus_add_ports(b, 0x3F0, 6, fdc_io_read, fdc_io_write, f) < 0 ||
        bus_add_ports(b, 0x3F7, 1, fdc_io_read, fdc_io_write, f) < 0)
        return -1;
    return 0;
}

void fdc_free(struct fdc *f)
{
    timer_cancel(f->clock, &f->exec_timer);
    for (int n = 0; n < FDC_DRIVES; n++)
        timer_cancel(f->clock, &f->drive[n].seek_timer);
}

int fdc_attach(struct fdc *f, int drive, struct fd_image *img)
{
    if (drive < 0 || drive > 1)
        return -1;
    struct fd_drive *d = &f->drive[drive];
    d->img = img;
    if (img)
        d->present = true;
    d->dskchg = true;
    return 0;
}

uint8_t fdc_drive_type(const struct fdc *f, int drive)
{
    if (drive < 0 || drive >= FDC_DRIVES || !f->drive[drive].present)
        return 0;
    const struct fd_drive *d = &f->drive[drive];
    return d->img ? d->img->geo->cmos : 4;
}
