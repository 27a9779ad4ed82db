/* board_apic.h -- the board's APIC wiring (board_apic.c), for board.c:
 * ISA IRQ lines that reach both the 8259s and the I/O APIC, the 8259's
 * INT output, the local APIC of each CPU, the IMCR and the ACPI PM
 * device. */
#ifndef X86LAB_BOARD_APIC_H
#define X86LAB_BOARD_APIC_H

#include "machine/irq.h"

struct machine;

/* ISA IRQ n (0-15) as a device holds it: to the 8259 pair, and, on
 * boards with APICs, to I/O APIC input n (IRQ 0 to input 2, IRQ 2 to none),
 * as the MP table and the MADT say. */
struct irq_line board_isa_irq(struct machine *m, int n);
/* What the 8259 pair's INT output drives (the CPU's INTR directly, or
 * through LINT0 / I/O APIC input 0 as the IMCR says). */
struct irq_line board_pic_output(struct machine *m);

/* Before the other chips: the APICs (Pentium and P6 models), the IMCR
 * and the ACPI PM device. */
int board_apic_init(struct machine *m);
void board_apic_reset(struct machine *m);
void board_apic_free(struct machine *m);

#endif
