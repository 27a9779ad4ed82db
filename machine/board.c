/* board.c -- the PC/AT board: which chips exist, the ports and IRQ lines
 * they are wired to, and their reset.  Device files know nothing of each
 * other; only this file connects them. */
#include "machine.h"
#include "machine/board_apic.h"

#include "cpu/x87.h"

/* The reset line and the A20 gate, as the 8042 and the system control
 * ports see them (they get these, never the machine). */
static void line_reset(void *opaque) { machine_request_reset(opaque); }
static void line_set_a20(void *opaque, bool on) { machine_set_a20(opaque, on); }
static bool line_a20(void *opaque) { return machine_a20(opaque); }

static void board_ide_decode(void *opaque, int channel, bool on)
{
    ata_set_decode(opaque, channel, on);
}

/* The paravirtual port's view of the drives: BIOS drive numbers as the
 * BIOS gives them at POST (00h-01h floppies, 80h + n the n-th IDE hard
 * disk in channel order, E0h + n the n-th CD-ROM drive). */
static struct disk *board_hc_disk(void *opaque, unsigned drive, bool *readonly)
{
    struct machine *m = opaque;
    *readonly = false;
    if (drive < FDC_DRIVES) {
        struct fd_image *img = m->fdc.drive[drive].img;
        if (!img || !img->geo)
            return NULL;
        *readonly = img->readonly;
        return &img->disk;
    }
    enum disk_media media = drive >= 0xE0 ? DISK_MEDIA_CDROM : DISK_MEDIA_HD;
    unsigned n = drive - (media == DISK_MEDIA_CDROM ? 0xE0u : 0x80u);
    if (drive < 0x80)
        return NULL;
    for (int k = 0; k < ATA_UNITS; k++) {
        struct disk *d = m->cfg.ide[k];
        if (!d || d->media != media)
            continue;
        if (n-- == 0)
            return d->sectors ? d : NULL;
    }
    return NULL;
}

static void board_hc_boot_order(void *opaque, uint8_t order[3])
{
    struct machine *m = opaque;
    uint8_t first = cmos_read(&m->cmos, CMOS_BOOT_FIRST);
    order[0] = first & 0x0F;
    order[1] = first >> 4;
    order[2] = cmos_read(&m->cmos, CMOS_BOOT_THIRD) >> 4;
}

static void board_hc_ram_written(void *opaque, uint32_t paddr, uint32_t len)
{
    machine_invalidate(opaque, paddr, len);
}

/* The paravirtual kernel calls change struct cpu: not KVM's own state. */
static struct cpu *board_hc_cpu(void *opaque)
{
    struct machine *m = opaque;
    return m->engine == ENGINE_KVM ? NULL : &m->cpu;
}

static uint64_t board_hc_now(void *opaque)
{
    return vclock_now(&((struct machine *)opaque)->clock);
}

/* The FPU's FERR# (CR0.NE clear) latches IRQ 13 until software writes
 * port 0xF0, which also asserts IGNNE# until FERR# goes away (cpu/x87.c). */
static void board_ferr(void *opaque, int level)
{
    struct machine *m = opaque;
    if (level) {
        struct irq_line l = board_isa_irq(m, 13);
        irq_raise(&l);
    }
}

static uint32_t board_port_f0_read(void *opaque, uint32_t addr, int size)
{
    (void)opaque, (void)addr, (void)size;
    return 0xFFFFFFFFu;
}

static void board_port_f0_write(void *opaque, uint32_t addr, int size, uint32_t v)
{
    struct machine *m = opaque;
    (void)addr, (void)size, (void)v;
    struct irq_line l = board_isa_irq(m, 13);
    irq_lower(&l);
    x87_ignne(&m->cpu);
}

int board_init(struct machine *m)
{
    (void)m;
    /* chips */
    /* first the APICs, the IMCR and the ACPI PM device (board_apic.c):
     * the IRQ lines below reach the I/O APIC too */
    if (board_apic_init(m) < 0)
        return -1;
    /* PCI bus 0 (i440FX, PIIX3) and the PIIX3's IDE channels on IRQ 14/15;
     * the IDE function's decode bits switch the channels' ports. */
    if (pci_init(&m->pci, &m->bus) < 0 ||
        ata_init(&m->ata, &m->bus, board_isa_irq(m, 14), board_isa_irq(m, 15), &m->clock) < 0)
        return -1;
    m->pci.ide_decode = board_ide_decode;
    m->pci.ide_opaque = &m->ata;
    m->ata.latency_ns = m->cfg.ide_latency_ns;
    for (int k = 0; k < ATA_UNITS; k++)
        if (m->cfg.ide[k] && ata_attach(&m->ata, k, m->cfg.ide[k]) < 0)
            return -1;
    /* 8237A DMA pair; the 82077AA floppy controller on DMA channel 2 and
     * IRQ 6 */
    if (dma_init(&m->dma, &m->bus) < 0 ||
        fdc_init(&m->fdc, &m->bus, &m->clock, board_isa_irq(m, 6), &m->dma, 2) < 0 ||
        fdc_attach(&m->fdc, 0, m->cfg.floppy[0]) < 0 ||
        fdc_attach(&m->fdc, 1, m->cfg.floppy[1]) < 0)
        return -1;
    /* 8259A pair on the CPU's INTR, 8254 (counter 0 on IRQ 0), port B with
     * counter 2's GATE and OUT */
    if (pic_init(&m->pic, &m->bus, board_pic_output(m)) < 0 ||
        pit_init(&m->pit, &m->bus, &m->clock, board_isa_irq(m, 0)) < 0 ||
        port61_init(&m->port61, &m->bus, &m->clock,
                    (struct port61_timer2){ pit_gate2, pit_out2, &m->pit }) < 0)
        return -1;
    if (vga_init(&m->vga, &m->bus, &m->clock) < 0)
        return -1;
    /* FERR# on IRQ 13, cleared by a write to port 0xF0 */
    m->cpu.ferr = board_ferr;
    m->cpu.ferr_opaque = m;
    if (bus_add_ports(&m->bus, 0xF0, 1, board_port_f0_read, board_port_f0_write, m) < 0)
        return -1;
    /* RTC/NVRAM (IRQ 8), 8042 (IRQ 1, 12), ports 0x92/0xCF9/0x80.  A20 is
     * left enabled at power-on (cpu_reset), unlike a real PC: guests run
     * without a BIOS to open it; the 8042 and port 0x92 report it live. */
    const struct i8042_signals kbc_lines = { line_reset, line_set_a20, line_a20, m };
    const struct sysctl_signals sys_lines = { line_reset, line_set_a20, line_a20, m };
    if (cmos_init(&m->cmos, &m->bus, &m->clock, board_isa_irq(m, 8), m->cfg.deterministic) < 0 ||
        i8042_init(&m->i8042, &m->bus, &m->clock, board_isa_irq(m, 1), board_isa_irq(m, 12),
                   &kbc_lines) < 0 ||
        sysctl_init(&m->sysctl, &m->bus, &sys_lines, m->cfg.trace & TRACE_POST ? stderr : NULL) < 0)
        return -1;
    cmos_setup_pc(&m->cmos, &(struct cmos_pc_info){
        .ram_bytes = m->bus.ram_size, .boot = { 1, 2, 3 }, .fpu = true,
        .floppy = { fdc_drive_type(&m->fdc, 0), fdc_drive_type(&m->fdc, 1) } });
    /* 16550A UARTs: COM1 on IRQ 4, COM2 on IRQ 3 */
    if (uart_init(&m->uart[0], &m->bus, &m->clock, board_isa_irq(m, 4), 0x3F8, m->cfg.serial[0]) < 0 ||
        uart_init(&m->uart[1], &m->bus, &m->clock, board_isa_irq(m, 3), 0x2F8, m->cfg.serial[1]) < 0)
        return -1;
    m->uart[0].real_timing = m->uart[1].real_timing = m->cfg.serial_real_timing;
    /* the paravirtual port, unless --no-hypercalls */
    const struct hypercall_board hc_lines = {
        board_hc_disk, board_hc_boot_order, board_hc_ram_written, m,
        .cpu_of = board_hc_cpu, .now_ns = board_hc_now };
    if (!m->cfg.no_hypercalls &&
        hypercall_init(&m->hypercall, &m->bus, &hc_lines, &m->stats.hypercalls) < 0)
        return -1;
    return 0;
}

void board_reset(struct machine *m)
{
    (void)m;
    /* chip resets */
    pci_reset(&m->pci);
    ata_reset(&m->ata);
    dma_reset(&m->dma);
    fdc_reset(&m->fdc);
    pic_reset(&m->pic);
    pit_reset(&m->pit);
    port61_reset(&m->port61);
    vga_reset(&m->vga);
    cmos_reset(&m->cmos);
    i8042_reset(&m->i8042);
    sysctl_reset(&m->sysctl);
    uart_reset(&m->uart[0]);
    uart_reset(&m->uart[1]);
    board_apic_reset(m);
}

void board_free(struct machine *m)
{
    (void)m;
    /* chip teardown */
    ata_free(&m->ata);
    fdc_free(&m->fdc);
    pit_free(&m->pit);
    vga_free(&m->vga);
    cmos_free(&m->cmos);
    i8042_free(&m->i8042);
    uart_free(&m->uart[0]);
    uart_free(&m->uart[1]);
    board_apic_free(m);
}
