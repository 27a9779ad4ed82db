/* test_fdc.c -- the 8237A pair's transfer engine at its edges (past the end
 * of RAM, the 64 KiB / 128 KiB wrap inside the page, 16-bit channels, the
 * address decrementing across host pages, auto-init, verify mode, channels
 * that cannot be served, ROM, MMIO and code pages on the way), and the
 * 82077AA on a rig of its own (bus, clock, DMA, an IRQ recorder): floppy
 * geometries and CMOS drive types, drive B, the IRQ line and the DOR gate,
 * overlapping seeks, RECALIBRATE from beyond track 79, a reset during a
 * seek, and TC in the middle of a sector. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/dma.h"
#include "devices/fdc.h"
#include "machine/bus.h"
#include "machine/clock.h"
#include "tests/unit/check.h"

/* ---- the rig: RAM, ports, a deterministic clock, the two chips ---- */

struct rig {
    struct bus bus;
    uint64_t insns;
    struct vclock clock;
    struct dma dma;
    struct fdc fdc;
    int irq_level, irq_edges;
};

static struct rig rig;

static void irq_record(void *opaque, int n, int level)
{
    struct rig *r = opaque;
    (void)n;
    if (level && !r->irq_level)
        r->irq_edges++;
    r->irq_level = level;
}

static void rig_free(void)
{
    fdc_free(&rig.fdc);
    bus_free(&rig.bus);
}

static void rig_init(uint32_t ram_mb)
{
    rig_free();
    memset(&rig, 0, sizeof rig);
    if (bus_init(&rig.bus, ram_mb << 20) < 0) {
        perror("bus_init");
        exit(2);
    }
    vclock_init(&rig.clock, true, &rig.insns);
    if (dma_init(&rig.dma, &rig.bus) < 0 ||
        fdc_init(&rig.fdc, &rig.bus, &rig.clock, (struct irq_line){ irq_record, &rig, 6 },
                 &rig.dma, 2) < 0) {
        fprintf(stderr, "cannot build the rig\n");
        exit(2);
    }
}

/* Lets virtual time run until no timer is left (the CPU idles). */
static void run_timers(void)
{
    while (vclock_next(&rig.clock) != UINT64_MAX) {
        vclock_idle_until(&rig.clock, vclock_next(&rig.clock), 0);
        vclock_run_due(&rig.clock);
    }
}

static void out8(uint16_t port, uint8_t v) { bus_io_write(&rig.bus, port, 1, v); }
static uint8_t in8(uint16_t port) { return (uint8_t)bus_io_read(&rig.bus, port, 1); }

/* ---- 8237 programming through the ports ---- */

static const uint8_t page_port[8] = { 0x87, 0x83, 0x81, 0x82, 0x8F, 0x8B, 0x89, 0x8A };

/* Channel ch: mode (channel bits added), page, address and count - 1 as
 * the registers hold them (words on channels 4-7); unmasked, with channel
 * 4 unmasked too. */
static void dma_setup(int ch, uint8_t mode, uint8_t page, uint16_t addr, uint16_t count)
{
    bool hi = ch >= 4;
    int n = ch & 3;
    uint16_t base = hi ? 0xC0 : 0x00;
    int stride = hi ? 2 : 1;
    out8((uint16_t)(base + 10 * stride), (uint8_t)(4 | n));        /* mask */
    out8((uint16_t)(base + 12 * stride), 0);                       /* flip-flop */
    out8((uint16_t)(base + 11 * stride), (uint8_t)(mode | n));
    out8((uint16_t)(base + 2 * n * stride), (uint8_t)addr);
    out8((uint16_t)(base + 2 * n * stride), (uint8_t)(addr >> 8));
    out8((uint16_t)(base + (2 * n + 1) * stride), (uint8_t)count);
    out8((uint16_t)(base + (2 * n + 1) * stride), (uint8_t)(count >> 8));
    out8(page_port[ch], page);
    out8(0xD4, 0x00);                                              /* channel 4 */
    out8((uint16_t)(base + 10 * stride), (uint8_t)n);              /* unmask */
}

static uint16_t dma_reg(int ch, bool count)
{
    bool hi = ch >= 4;
    int n = ch & 3, stride = hi ? 2 : 1;
    uint16_t base = hi ? 0xC0 : 0x00;
    out8((uint16_t)(base + 12 * stride), 0);
    uint16_t port = (uint16_t)(base + (2 * n + (count ? 1 : 0)) * stride);
    uint8_t lo = in8(port);
    return (uint16_t)(lo | in8(port) << 8);
}

enum { SINGLE = 0x40, BLOCK = 0x80, WRITE = 0x04, READ = 0x08, VERIFY = 0x00,
       AUTO = 0x10, DOWN = 0x20, CASCADE = 0xC0 };

/* ---- DMA ---- */

static void test_dma_past_ram(void)
{
    rig_init(1);
    uint8_t buf[512];
    memset(buf, 0x77, sizeof buf);
    dma_setup(2, SINGLE | WRITE, 0x10, 0x0000, 511);       /* 1 MiB: past RAM */
    int n = dma_transfer(&rig.dma, 2, buf, 512, true);
    check(n == 512 && dma_tc_reached(&rig.dma, 2), "past RAM: 512 bytes counted, TC (%d)", n);
    bool clean = true;
    for (uint32_t a = 0; a < rig.bus.ram_size; a += 4096)
        clean &= rig.bus.ram[a] == 0 && rig.bus.ram[a + 0x1FF] == 0;
    check(clean, "past RAM: the writes are dropped, RAM untouched");
    check(dma_reg(2, false) == 0x0200, "past RAM: address advanced to 0200");

    dma_setup(2, SINGLE | READ, 0x10, 0xFF00, 511);
    memset(buf, 0, sizeof buf);
    n = dma_transfer(&rig.dma, 2, buf, 512, false);
    bool ones = true;
    for (int k = 0; k < 512; k++)
        ones &= buf[k] == 0xFF;
    check(n == 512 && ones, "past RAM: reads return ones");

    dma_setup(7, SINGLE | WRITE, 0xFF, 0xFFFF, 0xFFFF);    /* top of 16 MiB, 128 KiB */
    static uint8_t big[0x20000];
    memset(big, 0x55, sizeof big);
    n = dma_transfer(&rig.dma, 7, big, (int)sizeof big, true);
    check(n == 0x20000 && dma_tc_reached(&rig.dma, 7), "16-bit channel at 16 MiB: 64K words counted");
    check(rig.bus.ram[0] == 0 && rig.bus.ram[rig.bus.ram_size - 1] == 0,
          "16-bit channel at 16 MiB: RAM untouched");
}

static void test_dma_wrap(void)
{
    rig_init(2);
    uint8_t buf[512];
    for (int k = 0; k < 512; k++)
        buf[k] = (uint8_t)(k ^ (k >> 8) ^ 0x5A);
    dma_setup(1, SINGLE | WRITE, 0x0F, 0xFF00, 511);
    int n = dma_transfer(&rig.dma, 1, buf, 512, true);
    check(n == 512, "8-bit wrap: 512 bytes");
    check(!memcmp(rig.bus.ram + 0xFFF00, buf, 256), "8-bit wrap: first 256 bytes at 0FFF00");
    check(!memcmp(rig.bus.ram + 0xF0000, buf + 256, 256),
          "8-bit wrap: the rest at 0F0000 (the page register does not carry)");
    check(rig.bus.ram[0x100000] == 0 && rig.bus.ram[0x1000FF] == 0,
          "8-bit wrap: nothing at 100000");
    check(dma_reg(1, false) == 0x0100 && dma_reg(1, true) == 0xFFFF,
          "8-bit wrap: address 0100, count FFFF");

    /* 16-bit: the page's bit 0 is ignored; word addresses wrap at 128 KiB. */
    uint8_t w[5] = { 0x11, 0x22, 0x33, 0x44, 0x99 };
    dma_setup(5, SINGLE | WRITE, 0x03, 0xFFFF, 1);
    n = dma_transfer(&rig.dma, 5, w, 5, true);
    check(n == 4 && dma_tc_reached(&rig.dma, 5), "16-bit: an odd length moves whole words (%d)", n);
    check(rig.bus.ram[0x3FFFE] == 0x11 && rig.bus.ram[0x3FFFF] == 0x22,
          "16-bit: word address FFFF of page 2/3 is 3FFFE");
    check(rig.bus.ram[0x20000] == 0x33 && rig.bus.ram[0x20001] == 0x44,
          "16-bit: the next word wraps to 20000");
    check(rig.bus.ram[0x40000] == 0 && rig.bus.ram[0x30000] == 0,
          "16-bit: no carry into the page, page bit 0 ignored");
    check(dma_reg(5, false) == 0x0001, "16-bit: address counts words (0001)");
}

static void test_dma_decrement(void)
{
    rig_init(1);
    uint8_t b[4] = { 1, 2, 3, 4 };
    dma_setup(3, SINGLE | WRITE | DOWN, 0x00, 0x1001, 3);
    int n = dma_transfer(&rig.dma, 3, b, 4, true);
    uint8_t *ram = rig.bus.ram;
    check(n == 4 && ram[0x1001] == 1 && ram[0x1000] == 2 && ram[0xFFF] == 3 && ram[0xFFE] == 4,
          "decrement across a host page: 1001, 1000, 0FFF, 0FFE");
    check(dma_reg(3, false) == 0x0FFD, "decrement: address 0FFD after");

    uint8_t w[4] = { 0xA1, 0xB2, 0xC3, 0xD4 };
    dma_setup(6, SINGLE | WRITE | DOWN, 0x00, 0x0800, 1);
    n = dma_transfer(&rig.dma, 6, w, 4, true);
    check(n == 4 && ram[0x1000] == 0xA1 && ram[0x1001] == 0xB2 && ram[0xFFE] == 0xC3 &&
          ram[0xFFF] == 0xD4, "16-bit decrement: words at 1000 then 0FFE, bytes in order");

    for (int k = 0; k < 16; k++)
        ram[0x3000 + k] = (uint8_t)(0x40 + k);
    uint8_t r[16];
    dma_setup(1, SINGLE | READ | DOWN, 0x00, 0x300F, 15);
    n = dma_transfer(&rig.dma, 1, r, 16, false);
    bool ok = n == 16;
    for (int k = 0; k < 16; k++)
        ok &= r[k] == 0x4F - k;
    check(ok, "decrement read: memory comes out backwards");
}

static void test_dma_autoinit(void)
{
    rig_init(1);
    static uint8_t buf[300];
    memset(buf, 0xA5, sizeof buf);
    dma_setup(2, SINGLE | WRITE | AUTO, 0x00, 0x2000, 99);
    int n = dma_transfer(&rig.dma, 2, buf, 300, true);
    check(n == 100 && dma_tc_reached(&rig.dma, 2), "auto-init: stops at TC after 100 (%d)", n);
    check(dma_reg(2, false) == 0x2000 && dma_reg(2, true) == 99, "auto-init: base reloaded");
    check((in8(0x0F) & 4) == 0, "auto-init: channel still unmasked");
    check((in8(0x08) & 4) == 4 && (in8(0x08) & 4) == 0, "auto-init: TC in status, cleared by reading");
    n = dma_transfer(&rig.dma, 2, buf, 50, true);
    check(n == 50 && !dma_tc_reached(&rig.dma, 2) && dma_reg(2, false) == 0x2032,
          "auto-init: the next transfer starts again at the base");
    check(rig.bus.ram[0x2000 + 99] == 0xA5 && rig.bus.ram[0x2000 + 100] == 0,
          "auto-init: nothing written past the count");

    dma_setup(2, SINGLE | WRITE, 0x00, 0x2000, 9);
    n = dma_transfer(&rig.dma, 2, buf, 300, true);
    check(n == 10 && (in8(0x0F) & 4), "no auto-init: masked at TC");
    check(dma_transfer(&rig.dma, 2, buf, 10, true) == 0, "masked channel: nothing moves");
}

static void test_dma_unavailable(void)
{
    rig_init(1);
    uint8_t buf[16] = { 0 };
    dma_setup(2, SINGLE | WRITE, 0, 0x1000, 15);
    out8(0x0A, 0x06);
    check(dma_transfer(&rig.dma, 2, buf, 16, true) == 0, "masked: 0 bytes");
    out8(0x0A, 0x02);
    out8(0x08, 0x04);
    check(dma_transfer(&rig.dma, 2, buf, 16, true) == 0, "controller disabled: 0 bytes");
    out8(0x08, 0x00);
    out8(0xD4, 0x04);
    check(dma_transfer(&rig.dma, 2, buf, 16, true) == 0, "channel 4 masked: channels 0-3 get 0");
    dma_setup(5, SINGLE | WRITE, 0, 0x1000, 7);
    check(dma_transfer(&rig.dma, 5, buf, 16, true) == 16, "channel 4 unmasked: channel 5 works");
    out8(0xD6, CASCADE | 1);
    check(dma_transfer(&rig.dma, 5, buf, 16, true) == 0, "cascade-mode channel: 0 bytes");
    check(dma_transfer(&rig.dma, 4, buf, 16, true) == 0 &&
          dma_transfer(&rig.dma, 8, buf, 16, true) == 0 &&
          dma_transfer(&rig.dma, -1, buf, 16, true) == 0, "channels 4, 8, -1: 0 bytes");
    dma_setup(2, SINGLE | WRITE, 0, 0x1000, 15);
    check(dma_transfer(&rig.dma, 2, buf, 0, true) == 0, "zero length: 0 bytes");
}

static void test_dma_verify_and_direction(void)
{
    rig_init(1);
    uint8_t buf[32];
    memset(buf, 0x99, sizeof buf);
    dma_setup(2, SINGLE | VERIFY, 0, 0x1000, 31);
    int n = dma_transfer(&rig.dma, 2, buf, 32, true);
    check(n == 32 && rig.bus.ram[0x1000] == 0 && dma_reg(2, false) == 0x1020,
          "verify: cycles counted, memory untouched");
    dma_setup(2, SINGLE | READ, 0, 0x1000, 31);
    n = dma_transfer(&rig.dma, 2, buf, 32, true);
    check(n == 32 && rig.bus.ram[0x1000] == 0,
          "mode reads memory, device writes: memory untouched");
    memset(buf, 0, sizeof buf);
    rig.bus.ram[0x1000] = 0x12;
    dma_setup(2, SINGLE | WRITE, 0, 0x1000, 31);
    n = dma_transfer(&rig.dma, 2, buf, 32, false);
    check(n == 32 && buf[0] == 0xFF && buf[31] == 0xFF,
          "mode writes memory, device reads: the device gets ones");
}

static uint32_t mmio_writes, mmio_sum;

static uint32_t mmio_rd(void *opaque, uint32_t addr, int size)
{
    (void)opaque;
    (void)size;
    return (addr & 0xFF) ^ 0x3C;
}

static void mmio_wr(void *opaque, uint32_t addr, int size, uint32_t value)
{
    (void)opaque;
    (void)addr;
    (void)size;
    mmio_writes++;
    mmio_sum += value;
}

static void test_dma_regions(void)
{
    rig_init(1);
    static uint8_t rom[4096];
    memset(rom, 0xAB, sizeof rom);
    bus_add_rom(&rig.bus, 0xE0000, rom, sizeof rom);
    bus_add_mmio(&rig.bus, 0xA0000, 0x1000, mmio_rd, mmio_wr, NULL);
    uint8_t buf[64];
    memset(buf, 0x01, sizeof buf);
    dma_setup(2, SINGLE | WRITE, 0x0E, 0x0000, 63);
    dma_transfer(&rig.dma, 2, buf, 64, true);
    check(bus_mem_read(&rig.bus, 0xE0000, 1) == 0xAB, "DMA write to ROM dropped");
    dma_setup(2, SINGLE | READ, 0x0E, 0x0000, 63);
    dma_transfer(&rig.dma, 2, buf, 64, false);
    check(buf[0] == 0xAB && buf[63] == 0xAB, "DMA read from ROM");
    memset(buf, 0x02, sizeof buf);
    dma_setup(2, SINGLE | WRITE, 0x0A, 0x0000, 63);
    dma_transfer(&rig.dma, 2, buf, 64, true);
    check(mmio_writes == 64 && mmio_sum == 128, "DMA write to MMIO: 64 byte writes");
    dma_setup(2, SINGLE | READ, 0x0A, 0x0010, 0);
    dma_transfer(&rig.dma, 2, buf, 1, false);
    check(buf[0] == (0x10 ^ 0x3C), "DMA read from MMIO");

    bus_mark_code(&rig.bus, 0x5000);
    uint32_t gen = bus_page_gen(&rig.bus, 0x5000);
    memset(buf, 0x90, sizeof buf);
    dma_setup(2, SINGLE | WRITE, 0x00, 0x5000, 15);
    dma_transfer(&rig.dma, 2, buf, 16, true);
    check(bus_page_gen(&rig.bus, 0x5000) != gen && rig.bus.ram[0x500F] == 0x90,
          "DMA write to a page of cached code: written, code made stale");

    for (uint32_t a = 0x1000; a < 0x4000; a++)
        rig.bus.ram[a] = (uint8_t)(a * 7);
    static uint8_t big[8192];
    dma_setup(3, SINGLE | READ, 0x00, 0x1800, 8191);
    int n = dma_transfer(&rig.dma, 3, big, 8192, false);
    check(n == 8192 && !memcmp(big, rig.bus.ram + 0x1800, 8192), "8 KiB read across host pages");
}

/* ---- floppy ---- */

static int open_blank(struct fd_image *img, uint32_t size)
{
    char err[256];
    struct disk_spec spec = { .blank_size = size, .media = DISK_MEDIA_HD };
    if (fd_image_open(img, &spec, false, err, sizeof err) < 0) {
        printf("     (%s)\n", err);
        return -1;
    }
    return 0;
}

static void test_geometry_types(void)
{
    static const struct { uint32_t size; int t, h, s; uint8_t cmos; } g[] = {
        { 368640, 40, 2, 9, 1 }, { 737280, 80, 2, 9, 3 }, { 1228800, 80, 2, 15, 2 },
        { 1474560, 80, 2, 18, 4 }, { 2949120, 80, 2, 36, 5 },
    };
    rig_init(1);
    check(fdc_drive_type(&rig.fdc, 0) == 4 && fdc_drive_type(&rig.fdc, 1) == 0,
          "no images: drive A a 1.44 MB drive (4), no drive B (0)");
    for (size_t k = 0; k < sizeof g / sizeof g[0]; k++) {
        const struct fd_geometry *geo = fd_geometry_for_size(g[k].size);
        check(geo && geo->tracks == g[k].t && geo->heads == g[k].h && geo->spt == g[k].s,
              "%u bytes: %d/%d/%d", g[k].size, g[k].t, g[k].h, g[k].s);
        struct fd_image img;
        if (open_blank(&img, g[k].size) < 0) {
            check(false, "%u bytes: blank image opens", g[k].size);
            continue;
        }
        fdc_attach(&rig.fdc, 1, &img);
        check(fdc_drive_type(&rig.fdc, 1) == g[k].cmos, "%u bytes: CMOS type %d",
              g[k].size, g[k].cmos);
        fdc_attach(&rig.fdc, 1, NULL);
        fd_image_close(&img);
    }
    check(!fd_geometry_for_size(0) && !fd_geometry_for_size(1474561) &&
          !fd_geometry_for_size(1474560 + 512), "other sizes: no geometry");
    struct fd_image img;
    char err[256] = "";
    struct disk_spec spec = { .blank_size = 1474560 + 512, .media = DISK_MEDIA_HD };
    check(fd_image_open(&img, &spec, false, err, sizeof err) < 0 && strstr(err, "floppy size"),
          "a 2881-sector disk is refused: %s", err);
    check(fdc_attach(&rig.fdc, 2, NULL) < 0 && fdc_drive_type(&rig.fdc, 2) == 0 &&
          fdc_drive_type(&rig.fdc, 9) == 0, "drives 2 and 3 do not exist");
}

/* Command bytes, each once MSR asks for one. */
static void fdc_cmd(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (int k = 0; k < n; k++) {
        if ((in8(0x3F4) & 0xC0) != 0x80)
            check(false, "command byte %d: MSR %02x does not ask for it", k, in8(0x3F4));
        out8(0x3F5, (uint8_t)va_arg(ap, int));
    }
    va_end(ap);
}

/* Reads the result phase into res; returns its length. */
static int fdc_result(uint8_t *res)
{
    int n = 0;
    while ((in8(0x3F4) & 0xC0) == 0xC0 && n < 16)
        res[n++] = in8(0x3F5);
    return n;
}

static void fdc_bring_up(uint8_t dor)
{
    uint8_t res[16];
    out8(0x3F2, 0x00);
    out8(0x3F2, dor);
    for (int k = 0; k < 4; k++) {
        fdc_cmd(1, 0x08);
        fdc_result(res);
    }
}

static void test_drive_b_and_irq(void)
{
    rig_init(1);
    struct fd_image img;
    if (open_blank(&img, 737280) < 0) {
        check(false, "720 KB blank image");
        return;
    }
    uint8_t sector[512];
    for (int k = 0; k < 512; k++)
        sector[k] = (uint8_t)(k * 3 + 1);
    long lba = (3 * 2 + 1) * 9 + 8;                  /* C3 H1 R9 */
    disk_write(&img.disk, (uint64_t)lba, 1, sector);
    fdc_attach(&rig.fdc, 1, &img);

    fdc_bring_up(0x2D);                              /* motor B, DMA gate, drive 1 */
    check((in8(0x3F0) & 0x40) == 0, "SRA: a second drive is there");
    out8(0x3F7, 0x02);                               /* 250 kbps */
    fdc_cmd(3, 0x03, 0xDF, 0x02);
    fdc_cmd(3, 0x0F, 0x05, 3);                       /* SEEK drive 1 head 1 to 3 */
    run_timers();
    uint8_t res[16];
    fdc_cmd(1, 0x08);
    fdc_result(res);
    check(res[0] == 0x25 && res[1] == 3, "drive B: SEEK 3 (ST0 %02x PCN %d)", res[0], res[1]);

    dma_setup(2, SINGLE | WRITE, 0x00, 0x6000, 511);
    int edges = rig.irq_edges;
    fdc_cmd(9, 0x46, 0x05, 3, 1, 9, 2, 9, 0x1B, 0xFF);
    check(!rig.irq_level && in8(0x3F4) == 0x10, "executing: no IRQ yet, MSR 10");
    run_timers();
    check(rig.irq_level && rig.irq_edges == edges + 1, "result phase: IRQ 6 raised");
    int n = fdc_result(res);
    check(n == 7 && res[0] == 0x05 && res[1] == 0 && res[3] == 4 && res[4] == 1 && res[5] == 1,
          "drive B READ C3 H1 R9: ST0 05, next C4 H1 R1 (%02x %02x %d %d %d)",
          res[0], res[1], res[3], res[4], res[5]);
    check(!rig.irq_level, "reading the result lowered IRQ 6");
    check(!memcmp(rig.bus.ram + 0x6000, sector, 512), "drive B: the sector reached memory");

    out8(0x3F2, 0x25);                               /* DMA gate closed */
    fdc_cmd(2, 0x4A, 0x05);
    run_timers();
    check(!rig.irq_level && (in8(0x3F0) & 0x80), "gate closed: INT pending, IRQ 6 low");
    out8(0x3F2, 0x2D);
    check(rig.irq_level, "gate opened: IRQ 6 high");
    fdc_result(res);
    check(res[0] == 0x05 && res[3] == 3 && res[6] == 2, "READ ID on drive B: C3, N2");
    fdc_attach(&rig.fdc, 1, NULL);
    fd_image_close(&img);
}

static void test_seeks(void)
{
    rig_init(1);
    struct fd_image a, b;
    if (open_blank(&a, 1474560) < 0 || open_blank(&b, 1474560) < 0) {
        check(false, "blank images");
        return;
    }
    fdc_attach(&rig.fdc, 0, &a);
    fdc_attach(&rig.fdc, 1, &b);
    fdc_bring_up(0x3C);                              /* motors A and B */
    out8(0x3F7, 0x00);
    uint8_t res[16];

    /* two seeks at once: both reported, lowest drive first */
    int edges = rig.irq_edges;
    fdc_cmd(3, 0x0F, 0x00, 5);
    fdc_cmd(3, 0x0F, 0x01, 10);
    check(in8(0x3F4) == 0x83, "two seeks: MSR 83 (drives 0 and 1 busy)");
    run_timers();
    fdc_cmd(1, 0x08);
    fdc_result(res);
    check(res[0] == 0x20 && res[1] == 5, "first report: drive 0, PCN 5");
    fdc_cmd(1, 0x08);
    fdc_result(res);
    check(res[0] == 0x21 && res[1] == 10, "second report: drive 1, PCN 10");
    fdc_cmd(1, 0x08);
    check(fdc_result(res) == 1 && res[0] == 0x80, "then nothing to report");
    check(rig.irq_edges == edges + 2, "an IRQ edge for each report (%d)", rig.irq_edges - edges);

    /* a seek that ends while a data command runs keeps INT up after the
     * data command's result is read */
    fdc_cmd(3, 0x0F, 0x01, 20);
    fdc_cmd(2, 0x4A, 0x00);
    run_timers();
    edges = rig.irq_edges;
    check(fdc_result(res) == 7 && res[0] == 0x00, "READ ID on drive 0 while drive 1 seeks");
    check(rig.irq_level && rig.irq_edges == edges + 1,
          "result read: INT rises again for the finished seek");
    fdc_cmd(1, 0x08);
    fdc_result(res);
    check(res[0] == 0x21 && res[1] == 20 && !rig.irq_level, "the seek's report: drive 1, PCN 20");

    /* the head beyond track 79: a reset forgets the PCN, not the head */
    fdc_cmd(3, 0x0F, 0x00, 83);
    run_timers();
    fdc_cmd(1, 0x08);
    fdc_result(res);
    out8(0x3F4, 0x80);                               /* DSR software reset */
    for (int k = 0; k < 4; k++) {
        fdc_cmd(1, 0x08);
        fdc_result(res);
    }
    fdc_cmd(2, 0x07, 0x00);
    run_timers();
    fdc_cmd(1, 0x08);
    fdc_result(res);
    check(res[0] == 0x70, "RECALIBRATE from track 83: 79 steps, no track 0: ST0 70 (%02x)", res[0]);
    fdc_cmd(2, 0x07, 0x00);
    run_timers();
    fdc_cmd(1, 0x08);
    fdc_result(res);
    check(res[0] == 0x20 && res[1] == 0, "a second RECALIBRATE reaches track 0");
    fdc_cmd(2, 0x4A, 0x00);
    run_timers();
    fdc_result(res);
    check(res[0] == 0x00 && res[3] == 0, "READ ID: the head is on cylinder 0");

    /* a reset while a seek is under way drops it */
    fdc_cmd(3, 0x0F, 0x00, 40);
    out8(0x3F2, 0x38);
    out8(0x3F2, 0x3C);
    for (int k = 0; k < 4; k++) {
        fdc_cmd(1, 0x08);
        fdc_result(res);
    }
    run_timers();
    fdc_cmd(1, 0x08);
    check(fdc_result(res) == 1 && res[0] == 0x80 && in8(0x3F4) == 0x80,
          "reset during a seek: no report left, no drive busy");
    fdc_attach(&rig.fdc, 0, NULL);
    fdc_attach(&rig.fdc, 1, NULL);
    fd_image_close(&a);
    fd_image_close(&b);
}

static void test_tc_mid_sector(void)
{
    rig_init(1);
    struct fd_image img;
    if (open_blank(&img, 1474560) < 0) {
        check(false, "blank image");
        return;
    }
    uint8_t data[1024];
    for (int k = 0; k < 1024; k++)
        data[k] = (uint8_t)(k + 1);
    disk_write(&img.disk, 0, 2, data);
    fdc_attach(&rig.fdc, 0, &img);
    fdc_bring_up(0x1C);
    out8(0x3F7, 0x00);
    fdc_cmd(3, 0x03, 0xDF, 0x02);
    memset(rig.bus.ram + 0x8000, 0xEE, 1024);
    dma_setup(2, SINGLE | WRITE, 0x00, 0x8000, 699);
    fdc_cmd(9, 0x46, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF);
    run_timers();
    uint8_t res[16];
    fdc_result(res);
    check(res[0] == 0x00 && res[5] == 3, "TC after 700 bytes: normal end, R 3 (ST0 %02x R %d)",
          res[0], res[5]);
    check(!memcmp(rig.bus.ram + 0x8000, data, 700) && rig.bus.ram[0x8000 + 700] == 0xEE,
          "TC after 700 bytes: 700 bytes moved, no more");
    fdc_attach(&rig.fdc, 0, NULL);
    fd_image_close(&img);
}

/* The medium taken out (fdc_attach NULL) between two sectors of a PIO
 * transfer: the next sector's lookup finds no disk and the command ends
 * with "missing address mark" (gcc -fanalyzer found the NULL geometry). */
static void test_eject_mid_pio(void)
{
    rig_init(1);
    struct fd_image img;
    if (open_blank(&img, 1474560) < 0) {
        check(false, "blank image");
        return;
    }
    fdc_attach(&rig.fdc, 0, &img);
    fdc_bring_up(0x1C);
    out8(0x3F7, 0x00);
    fdc_cmd(3, 0x03, 0xDF, 0x03);                    /* SPECIFY, ND: PIO */
    for (int write = 0; write <= 1; write++) {
        fdc_cmd(9, write ? 0x45 : 0x46, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF);
        run_timers();
        check((in8(0x3F4) & 0xA0) == 0xA0, "%s: first sector ready for PIO (MSR %02x)",
              write ? "WRITE" : "READ", in8(0x3F4));
        fdc_attach(&rig.fdc, 0, NULL);
        for (int k = 0; k < 512; k++) {
            if (write)
                out8(0x3F5, (uint8_t)k);
            else
                (void)in8(0x3F5);
        }
        run_timers();
        uint8_t res[16];
        int n = fdc_result(res);
        check(n == 7 && (res[0] & 0xC0) == 0x40 && (res[1] & 0x01),
              "%s, disk ejected after sector 1: abnormal end, ST1 MA (n %d ST0 %02x ST1 %02x)",
              write ? "WRITE" : "READ", n, res[0], res[1]);
        fdc_attach(&rig.fdc, 0, &img);
    }
    fdc_attach(&rig.fdc, 0, NULL);
    fd_image_close(&img);
}

int main(void)
{
    test_dma_past_ram();
    test_dma_wrap();
    test_dma_decrement();
    test_dma_autoinit();
    test_dma_unavailable();
    test_dma_verify_and_direction();
    test_dma_regions();
    test_geometry_types();
    test_drive_b_and_irq();
    test_seeks();
    test_tc_mid_sector();
    test_eject_mid_pio();
    rig_free();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
