/* test_shadow.c -- shadow RAM under the BIOS ROM through the i440FX PAM
 * registers, as firmware does it: reads from ROM while writes go to RAM,
 * copy, then read the RAM copy write-protected; the CPU sees each change
 * at once (stale TLB entries and decoded code are dropped). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cpu/seg.h"
#include "machine/machine.h"

static struct machine m;

static void pam0(uint8_t value)
{
    bus_io_write(&m.bus, 0xCF8, 4, 0x80000058u);      /* bus 0, dev 0, reg 58h */
    bus_io_write(&m.bus, 0xCFD, 1, value);            /* byte 59h: PAM0 */
}

/* Runs "mov al, [0]" with DS = F000 from RAM at 0000:7C00; returns AL. */
static uint8_t cpu_reads_f0000(void)
{
    static const uint8_t code[] = { 0xA0, 0x00, 0x00, 0xF4 };
    bus_load(&m.bus, 0x7C00, code, sizeof code);
    machine_entry_real(&m, 0, 0x7C00);
    seg_set_real(&m.cpu, S_DS, 0xF000);
    m.cpu.halted = false;
    cpu_run(&m.cpu, 1);
    return (uint8_t)m.cpu.r[R_EAX];
}

int main(void)
{
    struct machine_config cfg = { .ram_mb = 2, .model = CPU_P6 };
    if (machine_init(&m, &cfg) < 0)
        return perror("machine_init"), 1;
    static uint8_t rom[0x10000];
    memset(rom, 0xA5, sizeof rom);
    bus_add_rom(&m.bus, 0xF0000, rom, sizeof rom);
    m.bus.ram[0xF0000] = 0x11;                       /* what lies below */

    check(bus_mem_read(&m.bus, 0xF0000, 1) == 0xA5 && cpu_reads_f0000() == 0xA5,
          "PAM0 = 0: reads come from the ROM");
    bus_mem_write(&m.bus, 0xF0000, 1, 0x22);
    check(bus_mem_read(&m.bus, 0xF0000, 1) == 0xA5 && m.bus.ram[0xF0000] == 0x11,
          "PAM0 = 0: writes are dropped");

    pam0(0x20);                                       /* write DRAM, read ROM */
    for (uint32_t a = 0xF0000; a < 0x100000; a += 4)
        bus_mem_write(&m.bus, a, 4, bus_mem_read(&m.bus, a, 4));
    check(bus_mem_read(&m.bus, 0xF0000, 1) == 0xA5 && m.bus.ram[0xF0000] == 0xA5,
          "PAM0 = 20h: the ROM copied into the RAM below it");

    m.bus.ram[0xF0000] = 0x33;
    pam0(0x10);                                       /* read DRAM, write-protect */
    check(bus_mem_read(&m.bus, 0xF0000, 1) == 0x33, "PAM0 = 10h: reads come from RAM");
    check(cpu_reads_f0000() == 0x33, "the CPU sees the RAM at once (TLB flushed)");
    bus_mem_write(&m.bus, 0xF0000, 1, 0x44);
    check(m.bus.ram[0xF0000] == 0x33, "PAM0 = 10h: writes are dropped (write-protected shadow)");

    pam0(0x30);                                       /* read/write DRAM */
    bus_mem_write(&m.bus, 0xF0000, 1, 0x55);
    check(bus_mem_read(&m.bus, 0xF0000, 1) == 0x55 && cpu_reads_f0000() == 0x55,
          "PAM0 = 30h: shadow RAM read and written");

    pam0(0x00);
    check(cpu_reads_f0000() == 0xA5, "PAM0 = 0 again: the ROM is back for the CPU");
    pam0(0x30);
    machine_request_reset(&m);
    machine_run(&m, 1);
    check(bus_mem_read(&m.bus, 0xF0000, 1) == 0xA5, "a machine reset restores PAM = 0 (ROM)");

    machine_free(&m);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
