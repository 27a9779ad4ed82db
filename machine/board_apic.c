/* board_apic.c -- how the APICs sit on the board: ISA IRQs fanned out to
 * the 8259s and the I/O APIC, the 8259's INT on the BSP's LINT0 (PIC mode,
 * the IMCR's reset state) or on I/O APIC input 0 (symmetric I/O mode),
 * each local APIC on its CPU's INTR/NMI/INTA and IA32_APIC_BASE, and the
 * ACPI PM device (SCI on IRQ 9, soft-off ends the run). */
#include "board_apic.h"

#include "cpu/mem.h"
#include "machine.h"
#include "machine/smp.h"

static void isa_irq_set(void *opaque, int n, int level)
{
    struct machine *m = opaque;
    struct irq_line pic = pic_irq(&m->pic, n);
    irq_set(&pic, level);
    if (m->has_apic && n != 2)
        ioapic_set_irq(&m->ioapic, n == 0 ? 2 : n, level != 0);
}

struct irq_line board_isa_irq(struct machine *m, int n)
{
    return (struct irq_line){ isa_irq_set, m, n };
}

/* The 8259's INT: to LINT0 in PIC mode, and always to I/O APIC input 0
 * (used only when a kernel programs it as ExtINT). */
static void route_pic(struct machine *m)
{
    bool apic_mode = m->imcr.value & 1;
    lapic_set_lint(&m->lapic[0], 0, m->pic_intr && !apic_mode);
    ioapic_set_irq(&m->ioapic, 0, m->pic_intr);
}

static void pic_output_set(void *opaque, int n, int level)
{
    struct machine *m = opaque;
    (void)n;
    m->pic_intr = level != 0;
    if (m->has_apic)
        route_pic(m);
    else
        m->cpu.intr_line = m->pic_intr;
}

struct irq_line board_pic_output(struct machine *m)
{
    return (struct irq_line){ pic_output_set, m, 0 };
}

static void imcr_route(void *opaque, bool apic_mode)
{
    (void)apic_mode;
    route_pic(opaque);
}

/* Local APIC n's INTR output, to CPU n (n: the line's number).  A rise
 * inside a block (an EOI, TPR or ICR write through MMIO) ends the block,
 * so the interrupt is taken at the next instruction boundary, as the
 * 8259's are after an OUT; for a CPU that is not running (-smp), its
 * turn comes early. */
static void cpu_intr_set(void *opaque, int n, int level)
{
    struct machine *m = opaque;
    struct cpu *c = smp_cpu(m, n);
    c->intr_line = level != 0;
    if (level) {
        c->exit_block = 1;
        smp_wake(m, n);
    }
}

static void cpu_nmi(void *opaque, int index)
{
    struct machine *m = opaque;
    struct cpu *c = smp_cpu(m, index);
    c->nmi_pending = true;
    c->exit_block = 1;
    smp_wake(m, index);
}

/* INIT and STARTUP: machine/smp.c resets / starts an AP.  With one CPU
 * there is no AP, and an INIT of the BSP (which would restart it at the
 * reset vector, devices untouched) is not modelled: ignored. */
static void cpu_init_ipi(void *opaque, int index) { smp_init_ipi(opaque, index); }
static void cpu_startup_ipi(void *opaque, int index, uint8_t vector)
{
    smp_startup_ipi(opaque, index, vector);
}

/* IA32_APIC_BASE of the CPU that runs now. */
static void apic_base_written(void *opaque, uint64_t value)
{
    struct machine *m = opaque;
    lapic_set_base(&m->lapic[smp_current(m)], value);
    tlb_flush(&m->cpu, false);       /* the page may now cover RAM */
}

static void power_off(void *opaque) { machine_request_poweroff(opaque); }

int board_apic_init(struct machine *m)
{
    m->has_apic = m->cfg.model >= CPU_PENTIUM;
    if (acpi_pm_init(&m->acpi_pm, &m->bus, &m->clock, board_isa_irq(m, ACPI_SCI_IRQ),
                     power_off, m) < 0)
        return -1;
    if (!m->has_apic)
        return 0;
    if (apic_bus_init(&m->apic, &m->bus) < 0 ||
        ioapic_init(&m->ioapic, &m->bus, IOAPIC_BASE, &m->apic, 1) < 0 ||
        imcr_init(&m->imcr, &m->bus, imcr_route, m) < 0)
        return -1;
    m->apic.eoi = ioapic_eoi;
    m->apic.eoi_opaque = &m->ioapic;
    /* One local APIC per CPU (-smp N; ID = index); the APs' state is
     * made by smp_init. */
    int ncpus = m->cfg.smp_cpus > 1 ? (int)m->cfg.smp_cpus : 1;
    for (int k = 0; k < ncpus && k < APIC_MAX_CPUS; k++) {
        const struct lapic_wiring w = {
            .intr = { cpu_intr_set, m, k }, .nmi_index = cpu_nmi,
            .extint_ack = pic_intr_ack, .extint_opaque = &m->pic,
            .init = cpu_init_ipi, .startup = cpu_startup_ipi, .opaque = m,
        };
        lapic_init(&m->lapic[k], &m->apic, k, &m->clock, &w);
    }
    m->cpu.intr_ack = lapic_intr_ack;
    m->cpu.intr_opaque = &m->lapic[0];
    m->cpu.apic_base_written = apic_base_written;
    m->cpu.apic_opaque = m;
    return 0;
}

void board_apic_reset(struct machine *m)
{
    acpi_pm_reset(&m->acpi_pm);
    if (!m->has_apic)
        return;
    ioapic_reset(&m->ioapic);
    imcr_reset(&m->imcr);
    for (int k = 0; k < m->apic.ncpus; k++)
        lapic_reset(&m->lapic[k]);
    lapic_set_base(&m->lapic[0], m->cpu.msr.apic_base);
    route_pic(m);
}

void board_apic_free(struct machine *m)
{
    acpi_pm_free(&m->acpi_pm);
    for (int k = 0; m->has_apic && k < m->apic.ncpus; k++)
        lapic_free(&m->lapic[k]);
}
