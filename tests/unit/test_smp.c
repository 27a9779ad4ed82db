/* test_smp.c -- two CPUs on one thread (machine/smp.c): the AP waits for
 * STARTUP from power-on, STARTUP starts it at vector * 4 KiB in real mode,
 * CPUID's initial APIC ID, turns that alternate in the fixed quantum and
 * repeat exactly, INIT parks a running AP again, per-CPU HLT (the machine
 * stops or idles only when both are halted, and a quit request is still
 * seen then), and the engines that cannot run two CPUs are refused. */
#include <stdio.h>
#include <string.h>

#include "machine/machine.h"
#include "machine/smp.h"
#include "tests/unit/check.h"

static struct machine m;

/* A fresh two-CPU machine: BSP code at 0000:7C00, AP code at 0000:8000
 * (STARTUP vector 08h). */
static bool setup(const uint8_t *bsp, size_t blen, const uint8_t *ap, size_t alen)
{
    struct machine_config cfg = { .ram_mb = 1, .model = CPU_P6, .smp_cpus = 2,
                                  .deterministic = true };
    machine_free(&m);
    if (machine_init(&m, &cfg) < 0) {
        printf("FAIL machine_init: %s\n", m.error);
        return false;
    }
    bus_load(&m.bus, 0x7C00, bsp, blen);
    bus_load(&m.bus, 0x8000, ap, alen);
    machine_entry_real(&m, 0, 0x7C00);
    return true;
}

static void send(uint8_t mode, uint8_t vector)
{
    struct apic_msg msg = { .vector = vector, .mode = mode, .dest = 1, .assert = true,
                            .source = 0 };
    apic_bus_send(&m.apic, &msg);
}

static uint16_t word_at(uint32_t a) { return (uint16_t)(m.bus.ram[a] | m.bus.ram[a + 1] << 8); }

static void test_startup(void)
{
    /* BSP: wait for [600h] = AAh, then [501h] = 1; cli; hlt */
    static const uint8_t bsp[] = { 0x80, 0x3E, 0x00, 0x06, 0xAA, 0x75, 0xF9,
                                   0xC6, 0x06, 0x01, 0x05, 0x01, 0xFA, 0xF4 };
    /* AP: mov eax, 1; cpuid; mov [610h], ebx; mov byte [600h], AAh; cli; hlt */
    static const uint8_t ap[] = { 0x66, 0xB8, 0x01, 0x00, 0x00, 0x00, 0x0F, 0xA2,
                                  0x66, 0x89, 0x1E, 0x10, 0x06,
                                  0xC6, 0x06, 0x00, 0x06, 0xAA, 0xFA, 0xF4 };
    if (!setup(bsp, sizeof bsp, ap, sizeof ap))
        return;
    check(m.lapic[1].wait_sipi, "power-on: the AP waits for STARTUP");
    enum machine_stop s = machine_run(&m, 200000);
    check(s == STOP_BUDGET && m.bus.ram[0x600] == 0, "the BSP alone runs (it spins: %s)",
          machine_stop_name(s));
    send(APIC_DM_STARTUP, 0x08);
    check(!m.lapic[1].wait_sipi, "STARTUP accepted");
    s = machine_run(&m, 1000000);
    check(s == STOP_HALT, "both CPUs end in CLI/HLT: the machine stops (%s)",
          machine_stop_name(s));
    check(m.bus.ram[0x600] == 0xAA && m.bus.ram[0x501] == 1,
          "the AP ran from 0800:0000 and the BSP saw it");
    check(m.bus.ram[0x613] == 1, "the AP's CPUID initial APIC ID is 1 (EBX %02x......)",
          m.bus.ram[0x613]);
}

/* Both count in a loop for `insns`: BSP word [500h], AP word [600h]. */
static void count_both(uint64_t insns, uint16_t *b, uint16_t *a)
{
    static const uint8_t bsp[] = { 0xFF, 0x06, 0x00, 0x05, 0xEB, 0xFA };
    static const uint8_t ap[] = { 0xFF, 0x06, 0x00, 0x06, 0xEB, 0xFA };
    *a = *b = 0;
    if (!setup(bsp, sizeof bsp, ap, sizeof ap))
        return;
    send(APIC_DM_INIT, 0);
    send(APIC_DM_STARTUP, 0x08);
    machine_run(&m, insns);
    *b = word_at(0x500);
    *a = word_at(0x600);
}

static void test_turns(void)
{
    uint16_t b1, a1, b2, a2;
    count_both(100000, &b1, &a1);
    check(b1 > 15000 && a1 > 15000, "both CPUs ran in turns (BSP %u, AP %u loops)", b1, a1);
    check(b1 + a1 >= 49000 && b1 + a1 <= 50000, "every instruction was one CPU's (%u loops)",
          b1 + a1);
    count_both(100000, &b2, &a2);
    check(b1 == b2 && a1 == a2, "a second run takes the same turns (%u/%u, %u/%u)",
          b1, a1, b2, a2);
    /* INIT: the AP stops where it is and waits again. */
    send(APIC_DM_INIT, 0);
    check(m.lapic[1].wait_sipi, "INIT: the AP waits for STARTUP again");
    uint16_t before = word_at(0x600), bsp_before = word_at(0x500);
    machine_run(&m, 50000);
    check(word_at(0x600) == before && word_at(0x500) != bsp_before,
          "after INIT only the BSP runs");
}

static void test_idle(void)
{
    /* BSP: sti; hlt; jmp back -- AP: cli; hlt */
    static const uint8_t bsp[] = { 0xFB, 0xF4, 0xEB, 0xFC };
    static const uint8_t ap[] = { 0xFA, 0xF4 };
    if (!setup(bsp, sizeof bsp, ap, sizeof ap))
        return;
    send(APIC_DM_STARTUP, 0x08);
    enum machine_stop s = machine_run(&m, 1000000);
    check(s == STOP_IDLE, "BSP waiting in HLT, AP halted, no timer: idle (%s)",
          machine_stop_name(s));
    machine_request_quit(&m);
    s = machine_run(&m, 1000000);
    check(s == STOP_QUIT, "a quit request with every CPU halted is seen (%s)",
          machine_stop_name(s));
}

static void test_engines(void)
{
    static const uint8_t hlt[] = { 0xFA, 0xF4 };
    if (!setup(hlt, sizeof hlt, hlt, sizeof hlt))
        return;
    check(machine_select_engine(&m, ENGINE_BT) == 0, "the translator runs two CPUs");
    check(machine_select_engine(&m, ENGINE_KVM) < 0 && strstr(m.error, "-smp 2"),
          "KVM is refused with -smp 2: %s", m.error);
    check(machine_select_engine(&m, ENGINE_TAE) < 0, "so is trap-and-emulate");
    struct machine_config cfg = { .ram_mb = 1, .model = CPU_486, .smp_cpus = 2 };
    machine_free(&m);
    check(machine_init(&m, &cfg) < 0 && strstr(m.error, "local APIC"),
          "a 486 (no local APIC) cannot have two CPUs: %s", m.error);
    memset(&m, 0, sizeof m);             /* machine_init freed what it made */
}

int main(void)
{
    test_startup();
    test_turns();
    test_idle();
    test_engines();
    machine_free(&m);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
