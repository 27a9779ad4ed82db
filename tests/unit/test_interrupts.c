/* test_interrupts.c -- hardware interrupts at instruction boundaries: the
 * machine's INTR line and acknowledge callback, the STI and MOV SS
 * shadows, HLT wake-up, NMI, counters by vector. */
#include <stdio.h>
#include <string.h>

#include "machine/machine.h"
#include "tests/unit/check.h"

struct pic_stub {
    struct cpu *cpu;
    int acks;
};

/* Edge-triggered like a PIC: acknowledging lowers the line. */
static int ack(void *opaque)
{
    struct pic_stub *p = opaque;
    p->acks++;
    p->cpu->intr_line = false;
    return 0x20;
}

static struct machine m;
static struct pic_stub pic;

static void setup(const uint8_t *code, size_t len)
{
    struct machine_config cfg = { .ram_mb = 1, .model = CPU_P6 };
    machine_free(&m);
    if (machine_init(&m, &cfg) < 0) {
        perror("machine_init");
        return;
    }
    pic.cpu = &m.cpu;
    pic.acks = 0;
    m.cpu.intr_ack = ack;
    m.cpu.intr_opaque = &pic;
    /* IVT: vector 0x20 and NMI (2) -> 0000:0600: inc byte [0x700]; iret */
    static const uint8_t handler[] = { 0xFE, 0x06, 0x00, 0x07, 0xCF };
    uint8_t vec[4] = { 0x00, 0x06, 0x00, 0x00 };
    bus_load(&m.bus, 0x20 * 4, vec, 4);
    bus_load(&m.bus, 2 * 4, vec, 4);
    bus_load(&m.bus, 0x600, handler, sizeof handler);
    bus_load(&m.bus, 0x7C00, code, len);
    machine_entry_real(&m, 0, 0x7C00);
    m.cpu.r[R_ESP] = 0x7000;
}

static uint8_t handled(void)
{
    return m.bus.ram[0x700];
}

static void test_sti_shadow(void)
{
    /* sti; nop; nop; hlt */
    static const uint8_t code[] = { 0xFB, 0x90, 0x90, 0xF4 };
    setup(code, sizeof code);
    m.cpu.intr_line = true;
    cpu_run(&m.cpu, 1);                   /* STI */
    check(handled() == 0 && m.cpu.eip == 0x7C01, "no interrupt right after STI");
    cpu_run(&m.cpu, 1);                   /* the shadowed NOP */
    check(handled() == 0 && m.cpu.eip == 0x7C02, "the instruction after STI runs first");
    cpu_run(&m.cpu, 1);                   /* interrupt, then the handler's INC */
    check(pic.acks == 1 && m.cpu.seg[S_CS].sel == 0 && m.cpu.eip == 0x604,
          "the interrupt is taken at the next boundary");
    cpu_run(&m.cpu, 1);                   /* IRET */
    check(handled() == 1 && m.cpu.eip == 0x7C02, "IRET returns to the interrupted instruction");
    check(m.cpu.count.interrupts[0x20] == 1, "counted by vector");
}

static void test_hlt_wakeup(void)
{
    /* sti; hlt; inc byte [0x701]; cli; hlt */
    static const uint8_t code[] = { 0xFB, 0xF4, 0xFE, 0x06, 0x01, 0x07, 0xFA, 0xF4 };
    setup(code, sizeof code);
    enum cpu_exit e = cpu_run(&m.cpu, 100);
    check(e == CPU_EXIT_IDLE && m.cpu.halted, "HLT with IF=1 waits for an interrupt");
    m.cpu.intr_line = true;
    e = cpu_run(&m.cpu, 100);
    check(handled() == 1 && m.bus.ram[0x701] == 1, "an interrupt wakes HLT and execution resumes after it");
    check(e == CPU_EXIT_HALT, "HLT with IF=0 stops the CPU for good");
}

static void test_mov_ss_shadow(void)
{
    /* sti; nop; mov ss, ax; nop; hlt */
    static const uint8_t code[] = { 0xFB, 0x90, 0x8E, 0xD0, 0x90, 0xF4 };
    setup(code, sizeof code);
    m.cpu.r[R_EAX] = 0;
    cpu_run(&m.cpu, 3);                   /* STI, NOP, MOV SS */
    m.cpu.intr_line = true;               /* raised right after MOV SS */
    cpu_run(&m.cpu, 1);                   /* the shadowed NOP */
    check(pic.acks == 0 && m.cpu.eip == 0x7C05, "no interrupt between MOV SS and the next instruction");
    cpu_run(&m.cpu, 1);
    check(pic.acks == 1, "interrupt taken after the shadow");
}

static void test_nmi(void)
{
    /* cli; nop; nop; hlt */
    static const uint8_t code[] = { 0xFA, 0x90, 0x90, 0xF4 };
    setup(code, sizeof code);
    cpu_run(&m.cpu, 1);
    m.cpu.intr_line = true;               /* masked by IF=0 */
    m.cpu.nmi_pending = true;             /* not maskable */
    cpu_run(&m.cpu, 2);                   /* NMI delivery + INC + IRET */
    check(pic.acks == 0, "INTR stays masked while IF=0");
    check(handled() == 1 && m.cpu.eip == 0x7C01 && m.cpu.count.interrupts[EXC_NMI] == 1,
          "NMI delivered with IF=0, handler ran, IRET returned");
}

int main(void)
{
    test_sti_shadow();
    test_hlt_wakeup();
    test_mov_ss_shadow();
    test_nmi();
    machine_free(&m);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
