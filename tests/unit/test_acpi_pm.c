/* test_acpi_pm.c -- the ACPI PM device through its ports on a deterministic
 * virtual clock: the PM timer's rate and 24-bit wrap, TMR_STS on each
 * toggle of bit 23 and the SCI it raises with TMR_EN, write-1-to-clear
 * status, the power button, SCI_EN, and soft-off only for SLP_EN with the
 * \_S5 type (0). */
#include <stdio.h>
#include <string.h>

#include "devices/acpi_pm.h"
#include "machine/bus.h"
#include "tests/unit/check.h"

static uint64_t insns;
static struct vclock clk;
static struct bus bus;
static struct acpi_pm pm;
static int sci, offs;

static void sci_set(void *opaque, int n, int level) { (void)opaque, (void)n; sci = level; }
static void power_off(void *opaque) { (void)opaque; offs++; }

static uint32_t in(uint16_t port, int size) { return bus_io_read(&bus, port, size); }
static void out(uint16_t port, int size, uint32_t v) { bus_io_write(&bus, port, size, v); }

static void advance_to(uint64_t ns)
{
    insns = ns / 10;
    vclock_run_due(&clk);
}

int main(void)
{
    if (bus_init(&bus, 4096) < 0) {
        perror("bus_init");
        return 1;
    }
    vclock_init(&clk, true, &insns);
    if (acpi_pm_init(&pm, &bus, &clk, (struct irq_line){ sci_set, NULL, 9 }, power_off, NULL) < 0) {
        perror("acpi_pm_init");
        return 1;
    }
    check(in(ACPI_PM_TMR, 4) == 0, "PM timer starts at 0");
    advance_to(1000000000);
    check(in(ACPI_PM_TMR, 4) == ACPI_PM_TMR_HZ, "one second: 3579545 ticks (%u)",
          in(ACPI_PM_TMR, 4));
    check((in(ACPI_PM1_CNT, 2) & ACPI_SCI_EN) != 0, "SCI_EN reads 1 (always ACPI mode)");
    /* bit 23 toggles every 2^23 ticks = 2.343 s: TMR_STS without TMR_EN */
    check((in(ACPI_PM1_STS, 2) & ACPI_TMR_STS) == 0, "TMR_STS clear before the first toggle");
    advance_to(2400000000ull);
    check((in(ACPI_PM1_STS, 2) & ACPI_TMR_STS) != 0, "TMR_STS after bit 23 toggled");
    check(sci == 0, "no SCI while TMR_EN is clear");
    out(ACPI_PM1_STS, 2, ACPI_TMR_STS);
    check((in(ACPI_PM1_STS, 2) & ACPI_TMR_STS) == 0, "written 1: cleared");
    out(ACPI_PM1_EN, 2, ACPI_TMR_STS);
    check(in(ACPI_PM1_EN, 2) == ACPI_TMR_STS, "TMR_EN set");
    advance_to(4600000000ull);
    check(sci == 0, "4.6 s: before the second toggle (4.687 s)");
    advance_to(4700000000ull);
    check(sci == 1 && (in(ACPI_PM1_STS, 2) & ACPI_TMR_STS), "second toggle: TMR_STS and the SCI");
    out(ACPI_PM1_STS, 2, ACPI_TMR_STS);
    check(sci == 0, "status cleared: SCI low");
    advance_to(30000000000ull);
    check((in(ACPI_PM_TMR, 4) >> 24) == 0, "the counter is 24 bits wide");
    check(in(ACPI_PM_TMR, 4) == (uint32_t)((30000000000ull * ACPI_PM_TMR_HZ / 1000000000) & 0xFFFFFF),
          "and wraps");
    out(ACPI_PM1_STS, 2, 0xFFFF);
    out(ACPI_PM1_EN, 2, ACPI_PWRBTN_STS);
    acpi_pm_power_button(&pm);
    check(sci == 1 && (in(ACPI_PM1_STS, 2) & ACPI_PWRBTN_STS), "power button: PWRBTN_STS, SCI");
    out(ACPI_PM1_STS + 1, 1, ACPI_PWRBTN_STS >> 8);
    check(sci == 0, "byte write of 1 to its bit clears it");
    out(ACPI_PM1_CNT, 2, (5 << 10) | ACPI_SLP_EN);
    check(offs == 0, "SLP_EN with type 5 (not offered): nothing");
    check((in(ACPI_PM1_CNT, 2) & ACPI_SLP_EN) == 0, "SLP_EN reads 0");
    out(ACPI_PM1_CNT, 2, ACPI_S5_SLP_TYP << 10);
    check(offs == 0, "SLP_TYP without SLP_EN: nothing");
    out(ACPI_PM1_CNT, 2, (ACPI_S5_SLP_TYP << 10) | ACPI_SLP_EN | ACPI_SCI_EN);
    check(offs == 1, "SLP_EN with the \\_S5 type: power off");
    acpi_pm_free(&pm);
    bus_free(&bus);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
