/* acpi_pm.c -- the ACPI PM1 event and control registers, the PM timer on
 * the virtual clock, the SCI, and soft-off (SLP_EN with the \_S5 type). */
#include "acpi_pm.h"

#include <string.h>

#include "machine/bus.h"

/* PM timer ticks at virtual time ns (exact: no drift between reads). */
static uint64_t ticks_at(uint64_t ns)
{
    return (uint64_t)((unsigned __int128)ns * ACPI_PM_TMR_HZ / NS_PER_SEC);
}

/* The first virtual ns at which the counter reaches `ticks`. */
static uint64_t ns_of_tick(uint64_t ticks)
{
    return (uint64_t)(((unsigned __int128)ticks * NS_PER_SEC + ACPI_PM_TMR_HZ - 1) /
                      ACPI_PM_TMR_HZ);
}

uint32_t acpi_pm_timer(const struct acpi_pm *pm)
{
    return (uint32_t)(ticks_at(vclock_now(pm->clock)) & 0xFFFFFF);
}

static void update_sci(struct acpi_pm *pm)
{
    bool level = (pm->sts & pm->en) != 0;
    if (level != pm->sci_level) {
        pm->sci_level = level;
        irq_set(&pm->sci, level);
    }
}

/* TMR_STS follows bit 23 of the counter: each toggle since the last
 * look sets it. */
static void catch_up_timer(struct acpi_pm *pm)
{
    uint64_t toggles = ticks_at(vclock_now(pm->clock)) >> 23;
    if (toggles != pm->tmr_toggles) {
        pm->tmr_toggles = toggles;
        pm->sts |= ACPI_TMR_STS;
    }
}

/* With TMR_EN set, a timer wakes us at the next toggle for the SCI. */
static void arm_toggle(struct acpi_pm *pm)
{
    if (pm->en & ACPI_TMR_STS)
        timer_arm(pm->clock, &pm->tmr_timer, ns_of_tick((pm->tmr_toggles + 1) << 23));
    else
        timer_cancel(pm->clock, &pm->tmr_timer);
}

static void toggle_fire(void *opaque)
{
    struct acpi_pm *pm = opaque;
    catch_up_timer(pm);
    update_sci(pm);
    arm_toggle(pm);
}

static uint16_t reg16(struct acpi_pm *pm, uint32_t at)
{
    switch (at) {
    case ACPI_PM1_STS:
        catch_up_timer(pm);
        return pm->sts;
    case ACPI_PM1_EN: return pm->en;
    case ACPI_PM1_CNT: return pm->cnt;
    }
    return 0;
}

static uint32_t port_read(void *opaque, uint32_t port, int size)
{
    struct acpi_pm *pm = opaque;
    if (port >= ACPI_PM_TMR && port < ACPI_PM_TMR + 4)
        return acpi_pm_timer(pm) >> (8 * (port - ACPI_PM_TMR));
    uint32_t v = 0;
    for (int k = 0; k < size && port + (uint32_t)k < ACPI_PM_TMR; k++) {
        uint32_t p = port + (uint32_t)k;
        v |= (uint32_t)((reg16(pm, p & ~1u) >> (8 * (p & 1))) & 0xFF) << (8 * k);
    }
    return v;
}

static void write_cnt(struct acpi_pm *pm, uint16_t v)
{
    pm->cnt = (uint16_t)((v & 0x1C06) | ACPI_SCI_EN);   /* SLP_EN reads 0 */
    if ((v & ACPI_SLP_EN) && ((v >> 10) & 7) == ACPI_S5_SLP_TYP && pm->power_off)
        pm->power_off(pm->opaque);
    /* Other sleep types: the DSDT offers none; nothing happens. */
}

/* One byte of a 16-bit register (status bits are written 1 to clear). */
static void write_byte(struct acpi_pm *pm, uint32_t p, uint8_t b)
{
    unsigned shift = 8 * (p & 1);
    switch (p & ~1u) {
    case ACPI_PM1_STS:
        catch_up_timer(pm);
        pm->sts &= (uint16_t)~((unsigned)b << shift);
        break;
    case ACPI_PM1_EN:
        pm->en = (uint16_t)((pm->en & ~(0xFFu << shift)) | ((unsigned)b << shift));
        pm->en &= ACPI_TMR_STS | ACPI_GBL_STS | ACPI_PWRBTN_STS;
        catch_up_timer(pm);
        arm_toggle(pm);
        break;
    }
}

static void port_write(void *opaque, uint32_t port, int size, uint32_t v)
{
    struct acpi_pm *pm = opaque;
    if (port == ACPI_PM1_CNT && size >= 2) {
        write_cnt(pm, (uint16_t)v);
        return;
    }
    if (port == ACPI_PM1_CNT || port == ACPI_PM1_CNT + 1) {
        unsigned shift = 8 * (port - ACPI_PM1_CNT);
        uint16_t nv = (uint16_t)((pm->cnt & ~(0xFFu << shift)) | ((v & 0xFF) << shift));
        write_cnt(pm, nv);
        return;
    }
    for (int k = 0; k < size && port + (uint32_t)k < ACPI_PM1_CNT; k++)
        write_byte(pm, port + (uint32_t)k, (uint8_t)(v >> (8 * k)));
    update_sci(pm);
}

void acpi_pm_power_button(struct acpi_pm *pm)
{
    pm->sts |= ACPI_PWRBTN_STS;
    update_sci(pm);
}

void acpi_pm_reset(struct acpi_pm *pm)
{
    pm->sts = pm->en = 0;
    pm->cnt = ACPI_SCI_EN;
    pm->tmr_toggles = ticks_at(vclock_now(pm->clock)) >> 23;
    timer_cancel(pm->clock, &pm->tmr_timer);
    update_sci(pm);
}

int acpi_pm_init(struct acpi_pm *pm, struct bus *b, struct vclock *clock, struct irq_line sci,
                 void (*power_off)(void *), void *opaque)
{
    memset(pm, 0, sizeof *pm);
    pm->clock = clock;
    pm->sci = sci;
    pm->power_off = power_off;
    pm->opaque = opaque;
    timer_init(&pm->tmr_timer, toggle_fire, pm);
    acpi_pm_reset(pm);
    return bus_add_ports(b, ACPI_PM_BASE, 12, port_read, port_write, pm);
}

void acpi_pm_free(struct acpi_pm *pm)
{
    timer_cancel(pm->clock, &pm->tmr_timer);
}
