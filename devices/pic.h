/* pic.h -- the two cascaded 8259A programmable interrupt controllers of the
 * PC/AT (master at 0x20-0x21, slave at 0xA0-0xA1 on the master's IR2) and
 * the edge/level control registers (ELCR, 0x4D0-0x4D1) of PIIX-class boards.
 *
 * Devices drive the 16 IRQ inputs through pic_irq(); the master's INT
 * output drives the `intr` line given at init (the CPU's INTR pin), and the
 * CPU's interrupt acknowledge cycle is pic_intr_ack().
 *
 * Choices where the datasheet is silent: ICW1 also clears the ISR; the
 * INTA always yields an 8086-style vector (no MCS-80 CALL sequence, the
 * uPM bit is kept but not obeyed); buffered mode is ignored; a poll with
 * nothing requesting reads 0x07; before ICW1 (power-on) both IMRs are
 * 0xFF so that nothing is delivered to a guest that has not set them up. */
#ifndef X86LAB_PIC_H
#define X86LAB_PIC_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/irq.h"

struct bus;

/* One 8259A.  Bit n of each mask is input IRn. */
struct pic_chip {
    uint8_t irr;             /* interrupt request register */
    uint8_t isr;             /* in-service register */
    uint8_t imr;             /* interrupt mask register (OCW1) */
    uint8_t level;           /* what the IR pins carry now */
    uint8_t elcr;            /* ELCR: 1 = level-triggered line */
    uint8_t elcr_mask;       /* lines whose ELCR bit exists */
    uint8_t icw1, icw2, icw3, icw4;
    uint8_t init_step;       /* ICW expected next on A0=1 (2, 3, 4), 0 = running */
    uint8_t lowest;          /* IR with the lowest priority (rotation) */
    bool read_isr;           /* OCW3 RIS: A0=0 reads the ISR, else the IRR */
    bool poll;               /* OCW3 P: the next read is a poll */
    bool special_mask;       /* OCW3 special mask mode */
    bool rotate_aeoi;        /* OCW2: rotate in automatic EOI mode */
    bool out;                /* the INT pin */
    bool is_master;
};

struct pic {
    struct pic_chip chip[2];     /* [0] master, [1] slave */
    uint16_t lines;              /* IRQ 0-15 as the devices drive them */
    struct irq_line intr;        /* the master's INT: the CPU's INTR pin */
};

/* Registers the ports; the chips start as after reset.  *p starts zeroed
 * (as in struct machine): the IRQ lines are the devices' and kept. */
int pic_init(struct pic *p, struct bus *b, struct irq_line intr);
void pic_reset(struct pic *p);

/* The input line of IRQ n (0-15), for a device to hold.  IRQ 2 is the
 * cascade on the AT: a device on the bus's IRQ 2 pin reaches IR1 of the
 * slave, as IRQ 9 does (the two are ORed). */
struct irq_line pic_irq(struct pic *p, int n);

/* The INTA cycle: the vector of the highest-priority request that may be
 * served, with its in-service bit set.  With no request left (it went
 * away after INT was raised) this is the IR7 vector of the chip that
 * answered and no ISR bit is set on it: the spurious IRQ 7 / IRQ 15.
 * The signature suits struct cpu's intr_ack (opaque = struct pic *). */
int pic_intr_ack(void *opaque);

#endif
