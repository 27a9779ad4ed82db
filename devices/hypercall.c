/* hypercall.c -- the paravirtual port 0x520 (docs/hypercall.md): reads
 * return the signature "X86L"; a dword write is the physical address of a
 * parameter block whose call is done at once.  The disk calls go to the
 * same struct disk (and overlays) as the emulated controllers, so a guest
 * reads the same bytes whichever way it takes. */
#include "hypercall.h"

#include <inttypes.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/mem.h"
#include "machine/bus.h"
#include "machine/disk.h"

/* The parameter block: dword offsets. */
enum { PB_CALL, PB_STATUS, PB_A0, PB_A1, PB_A2, PB_A3, PB_A4, PB_RESERVED };
enum { UNIT = 512 };                /* disk calls count 512-byte sectors */

const char *hypercall_name(enum hc_call c)
{
    static const char *const names[HC_CALLS] = {
        [HC_INFO] = "info", [HC_DISK_READ] = "disk read",
        [HC_DISK_WRITE] = "disk write", [HC_BOOT_INFO] = "boot info",
        [HC_CONSOLE_WRITE] = "console", [HC_SET_IF] = "set IF",
        [HC_PTE_UPDATE] = "PTE update", [HC_LOAD_CR3] = "load CR3",
        [HC_TICKS] = "ticks", [HC_HALT] = "halt",
    };
    return (unsigned)c < HC_CALLS ? names[c] : "?";
}

/* ---- guest memory, byte by byte through the bus (RAM, ROM, MMIO alike) ---- */

static uint32_t get32(struct hypercall *h, uint32_t paddr)
{
    uint32_t v = 0;
    for (int k = 3; k >= 0; k--)
        v = v << 8 | bus_mem_read(h->bus, paddr + (uint32_t)k, 1);
    return v;
}

static void put32(struct hypercall *h, uint32_t paddr, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        bus_mem_write(h->bus, paddr + (uint32_t)k, 1, (v >> (8 * k)) & 0xFF);
}

/* Plain RAM outside the VGA window and the ROMs: copied in one piece. */
static bool plain_ram(const struct hypercall *h, uint32_t paddr, uint32_t len)
{
    uint64_t end = (uint64_t)paddr + len;
    return end <= h->bus->ram_size && (end <= 0xA0000 || paddr >= 0x100000);
}

static void to_guest(struct hypercall *h, uint32_t paddr, const uint8_t *src, uint32_t len)
{
    if (plain_ram(h, paddr, len))
        bus_load(h->bus, paddr, src, len);
    else
        for (uint32_t k = 0; k < len; k++)
            bus_mem_write(h->bus, paddr + k, 1, src[k]);
    if (h->board.ram_written)
        h->board.ram_written(h->board.opaque, paddr, len);
}

static void from_guest(struct hypercall *h, uint32_t paddr, uint8_t *dst, uint32_t len)
{
    if (plain_ram(h, paddr, len))
        memcpy(dst, h->bus->ram + paddr, len);
    else
        for (uint32_t k = 0; k < len; k++)
            dst[k] = (uint8_t)bus_mem_read(h->bus, paddr + k, 1);
}

/* ---- the calls ---- */

/* 512-byte sector `s` of d into buf (a CD's 2048-byte block is read
 * whole and the quarter taken; blk/blkno cache the last block). */
static int read_unit(struct disk *d, uint64_t s, uint8_t *buf, uint8_t *blk, uint64_t *blkno)
{
    uint32_t per = d->sector_size / UNIT;
    if (per <= 1)
        return disk_read(d, s, 1, buf);
    uint64_t b = s / per;
    if (*blkno != b) {
        if (disk_read(d, b, 1, blk) < 0)
            return -1;
        *blkno = b;
    }
    memcpy(buf, blk + (s % per) * UNIT, UNIT);
    return 0;
}

/* HC_DISK_READ / HC_DISK_WRITE: a0 drive, a1:a2 first sector, a3 count
 * (done on return), a4 the buffer's physical address.  Nothing moves
 * unless the whole range is on the disk. */
static uint32_t call_disk(struct hypercall *h, uint32_t pb, bool write)
{
    bool readonly = false;
    unsigned drive = get32(h, pb + 4 * PB_A0);
    uint64_t lba = get32(h, pb + 4 * PB_A1) | (uint64_t)get32(h, pb + 4 * PB_A2) << 32;
    uint32_t count = get32(h, pb + 4 * PB_A3);
    uint32_t buf = get32(h, pb + 4 * PB_A4);
    put32(h, pb + 4 * PB_A3, 0);
    if (drive > 0xFF || !h->board.disk_of)
        return HC_BAD_CALL;
    struct disk *d = h->board.disk_of(h->board.opaque, drive, &readonly);
    if (!d)
        return HC_NO_MEDIUM;
    if (d->sector_size % UNIT || (uint64_t)buf + (uint64_t)count * UNIT > h->bus->ram_size)
        return HC_BAD_CALL;
    uint64_t units = d->sectors * (d->sector_size / UNIT);
    if (lba > units || count > units - lba)
        return HC_NO_SECTOR;
    if (write && (readonly || d->sector_size != UNIT))
        return HC_WRITE_PROTECTED;
    uint8_t data[UNIT], blk[DISK_CD_SECTOR];
    uint64_t blkno = UINT64_MAX;
    for (uint32_t k = 0; k < count; k++) {
        uint32_t at = buf + k * UNIT;
        if (write) {
            from_guest(h, at, data, UNIT);
            if (disk_write(d, lba + k, 1, data) < 0)
                return put32(h, pb + 4 * PB_A3, k), HC_IO_ERROR;
        } else {
            if (read_unit(d, lba + k, data, blk, &blkno) < 0)
                return put32(h, pb + 4 * PB_A3, k), HC_IO_ERROR;
            to_guest(h, at, data, UNIT);
        }
    }
    put32(h, pb + 4 * PB_A3, count);
    return HC_OK;
}

/* HC_BOOT_INFO: a0 the boot order (CMOS codes, first device in bits 0-7),
 * a1 floppy drives holding a disk (bit n: drive n), a2 hard disks, a3 CD
 * drives holding a disc. */
static uint32_t call_boot_info(struct hypercall *h, uint32_t pb)
{
    uint8_t order[3] = { 0, 0, 0 };
    uint32_t floppies = 0, disks = 0, cds = 0;
    bool ro;
    if (h->board.boot_order)
        h->board.boot_order(h->board.opaque, order);
    for (unsigned k = 0; k < 4 && h->board.disk_of; k++) {
        if (k < 2 && h->board.disk_of(h->board.opaque, k, &ro))
            floppies |= 1u << k;
        if (h->board.disk_of(h->board.opaque, 0x80 + k, &ro))
            disks++;
        if (h->board.disk_of(h->board.opaque, 0xE0 + k, &ro))
            cds++;
    }
    put32(h, pb + 4 * PB_A0, order[0] | order[1] << 8 | (uint32_t)order[2] << 16);
    put32(h, pb + 4 * PB_A1, floppies);
    put32(h, pb + 4 * PB_A2, disks);
    put32(h, pb + 4 * PB_A3, cds);
    return HC_OK;
}

/* ---- the paravirtual kernel's calls: each replaces privileged
 * instructions (each a trap or an exit under a monitor) with one call ---- */

/* HC_CONSOLE_WRITE: a0 the string's physical address, a1 its length: the
 * bytes go to the debug console (port 0xE9), one call for a whole line. */
static uint32_t call_console(struct hypercall *h, uint32_t pb)
{
    uint32_t at = get32(h, pb + 4 * PB_A0), len = get32(h, pb + 4 * PB_A1);
    if ((uint64_t)at + len > h->bus->ram_size)
        return HC_BAD_CALL;
    for (uint32_t k = 0; k < len; k++)
        bus_io_write(h->bus, 0xE9, 1, bus_mem_read(h->bus, at + k, 1));
    return HC_OK;
}

/* HC_PTE_UPDATE: a0 the physical address of a1 pairs {entry's physical
 * address, new value}, all checked, then all written; the TLB is flushed
 * once (Xen's mmu_update, batched). */
static uint32_t call_pte(struct hypercall *h, struct cpu *c, uint32_t pb)
{
    uint32_t list = get32(h, pb + 4 * PB_A0), n = get32(h, pb + 4 * PB_A1);
    if (n > HC_PTE_BATCH_MAX || (uint64_t)list + 8ull * n > h->bus->ram_size)
        return HC_BAD_CALL;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t pa = get32(h, list + 8 * k);
        if ((pa & 3) || (uint64_t)pa + 4 > h->bus->ram_size)
            return HC_BAD_CALL;
    }
    for (uint32_t k = 0; k < n; k++)
        bus_mem_write(h->bus, get32(h, list + 8 * k), 4, get32(h, list + 8 * k + 4));
    tlb_flush(c, false);
    return HC_OK;
}

/* The calls on the CPU state: IF, CR3, halt. */
static uint32_t call_cpu(struct hypercall *h, uint32_t call, uint32_t pb)
{
    struct cpu *c = h->board.cpu_of ? h->board.cpu_of(h->board.opaque) : NULL;
    uint32_t a0 = get32(h, pb + 4 * PB_A0);
    if (!c)
        return HC_BAD_CALL;         /* the engine keeps the CPU elsewhere (KVM) */
    c->exit_block = 1;              /* the machine state changed under the code */
    switch (call) {
    case HC_SET_IF:
        c->eflags = a0 ? c->eflags | F_IF : c->eflags & ~F_IF;
        return HC_OK;
    case HC_LOAD_CR3:
        c->cr3 = a0 & 0xFFFFF018u;
        tlb_flush(c, true);
        return HC_OK;
    case HC_HALT:
        if (a0)
            c->eflags |= F_IF;
        c->halted = true;
        return HC_OK;
    default:
        return call_pte(h, c, pb);
    }
}

/* HC_TICKS: a0 (low) and a1 (high) the virtual time in ns. */
static uint32_t call_ticks(struct hypercall *h, uint32_t pb)
{
    uint64_t ns = h->board.now_ns ? h->board.now_ns(h->board.opaque) : 0;
    put32(h, pb + 4 * PB_A0, (uint32_t)ns);
    put32(h, pb + 4 * PB_A1, (uint32_t)(ns >> 32));
    return HC_OK;
}

/* HC_INFO: a0 the version, a1 the signature, a2 bit n: call n exists. */
static uint32_t call_info(struct hypercall *h, uint32_t pb)
{
    put32(h, pb + 4 * PB_A0, HC_VERSION);
    put32(h, pb + 4 * PB_A1, HC_SIGNATURE);
    put32(h, pb + 4 * PB_A2, (1u << HC_CALLS) - 1);
    return HC_OK;
}

static uint32_t port_read(void *opaque, uint32_t port, int size)
{
    (void)opaque;
    uint32_t v = HC_SIGNATURE >> (8 * (port - HC_PORT));
    return size == 4 ? v : v & ((1u << (8 * size)) - 1);
}

static void port_write(void *opaque, uint32_t port, int size, uint32_t pb)
{
    struct hypercall *h = opaque;
    if (size != 4 || port != HC_PORT)
        return;                     /* only a dword at 0x520 is a call */
    if ((uint64_t)pb + HC_BLOCK_SIZE > h->bus->ram_size) {
        h->bad_calls++;
        return;                     /* no block to answer in */
    }
    uint32_t call = get32(h, pb + 4 * PB_CALL), status;
    switch (call) {
    case HC_INFO:       status = call_info(h, pb); break;
    case HC_DISK_READ:  status = call_disk(h, pb, false); break;
    case HC_DISK_WRITE: status = call_disk(h, pb, true); break;
    case HC_BOOT_INFO:  status = call_boot_info(h, pb); break;
    case HC_CONSOLE_WRITE: status = call_console(h, pb); break;
    case HC_TICKS:      status = call_ticks(h, pb); break;
    case HC_SET_IF: case HC_PTE_UPDATE: case HC_LOAD_CR3: case HC_HALT:
        status = call_cpu(h, call, pb);
        break;
    default:
        h->bad_calls++;
        put32(h, pb + 4 * PB_STATUS, HC_BAD_CALL);
        return;
    }
    h->calls[call]++;
    if (h->total)
        (*h->total)++;
    put32(h, pb + 4 * PB_STATUS, status);
}

int hypercall_init(struct hypercall *h, struct bus *b, const struct hypercall_board *board,
                   uint64_t *total)
{
    memset(h, 0, sizeof *h);
    h->bus = b;
    h->board = *board;
    h->total = total;
    return bus_add_ports(b, HC_PORT, 4, port_read, port_write, h);
}

void hypercall_print_stats(const struct hypercall *h, FILE *f)
{
    for (int k = 0; k < HC_CALLS; k++)
        if (h->calls[k])
            fprintf(f, "x86lab:     hypercall %-10s %" PRIu64 "\n",
                    hypercall_name((enum hc_call)k), h->calls[k]);
    if (h->bad_calls)
        fprintf(f, "x86lab:     hypercall errors   %" PRIu64 "\n", h->bad_calls);
}
