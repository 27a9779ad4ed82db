/* acpi_pm.h -- the ACPI fixed hardware of a PIIX4-style power management
 * function, at the ports QEMU's PIIX4 uses (the BIOS's FADT names them):
 *   600h PM1a_EVT_BLK: PM1_STS (600h) and PM1_EN (602h), 16 bits each;
 *   604h PM1a_CNT_BLK: PM1_CNT (SCI_EN, SLP_TYP, SLP_EN);
 *   608h PM_TMR_BLK:   the 24-bit power management timer, 3.579545 MHz.
 * The SCI (IRQ 9, active high, level) is raised while a status bit and its
 * enable bit are both set: the timer's bit 23 toggling (TMR_STS) and the
 * power button (PWRBTN_STS).  SLP_EN with SLP_TYP 0 (the \_S5 value in
 * the BIOS's DSDT, as on the PIIX4) is soft-off: power_off() is called.
 * The system has no SMI command port: it is always in ACPI mode (SCI_EN
 * reads 1). */
#ifndef X86LAB_ACPI_PM_H
#define X86LAB_ACPI_PM_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/clock.h"
#include "machine/irq.h"

struct bus;

enum {
    ACPI_PM_BASE = 0x600,
    ACPI_PM1_STS = 0x600, ACPI_PM1_EN = 0x602, ACPI_PM1_CNT = 0x604, ACPI_PM_TMR = 0x608,
    ACPI_PM_TMR_HZ = 3579545,
    ACPI_SCI_IRQ = 9,
    /* PM1 status / enable bits */
    ACPI_TMR_STS = 1u << 0, ACPI_GBL_STS = 1u << 5, ACPI_PWRBTN_STS = 1u << 8,
    ACPI_WAK_STS = 1u << 15,
    /* PM1 control bits */
    ACPI_SCI_EN = 1u << 0, ACPI_SLP_EN = 1u << 13,
    ACPI_S5_SLP_TYP = 0,
};

struct acpi_pm {
    struct vclock *clock;
    struct irq_line sci;
    uint16_t sts, en, cnt;
    uint64_t tmr_toggles;        /* bit-23 toggles already put into TMR_STS */
    struct timer tmr_timer;      /* the next toggle, while TMR_EN is set */
    bool sci_level;
    void (*power_off)(void *opaque);
    void *opaque;
};

int acpi_pm_init(struct acpi_pm *pm, struct bus *b, struct vclock *clock, struct irq_line sci,
                 void (*power_off)(void *), void *opaque);
void acpi_pm_reset(struct acpi_pm *pm);
void acpi_pm_free(struct acpi_pm *pm);
/* The PM timer's value now (24 bits). */
uint32_t acpi_pm_timer(const struct acpi_pm *pm);
/* The power button pressed (a frontend, a signal): PWRBTN_STS and SCI. */
void acpi_pm_power_button(struct acpi_pm *pm);

#endif
