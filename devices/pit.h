/* pit.h -- the 8254 programmable interval timer at 0x40-0x43: three
 * counters clocked at 1.193182 MHz on the virtual clock.  Counter 0's OUT
 * is IRQ 0; counters 0 and 1 have GATE tied high; counter 2's GATE and OUT
 * belong to system control port B (port61.c, wired by board.c).
 *
 * Nothing ticks: a counter's state is a start tick and a count, and its
 * value and OUT are computed from the virtual clock when asked.  Only
 * counter 0 arms a timer, for the next change of its OUT. */
#ifndef X86LAB_PIT_H
#define X86LAB_PIT_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/clock.h"
#include "machine/irq.h"

struct bus;

enum { PIT_HZ = 1193182 };

struct pit_channel {
    /* control word */
    uint8_t mode;            /* 0-5 as it behaves (6 and 7 act as 2 and 3) */
    uint8_t mode_bits;       /* M2-M0 as written, for the status byte */
    uint8_t rw;              /* 1 LSB, 2 MSB, 3 LSB then MSB */
    bool bcd;
    /* count register and the byte flip-flops (reads and writes apart) */
    uint32_t cr;             /* the count as a number of clocks: 1..65536 or 1..10000 */
    bool have_count;         /* a whole count was written since the control word */
    bool wmsb, rmsb;         /* the next byte written / read is the MSB */
    uint8_t wlsb;
    /* output latch and status latch */
    bool count_latched, status_latched;
    uint16_t latch;
    uint8_t status;
    bool null_count;         /* written count not yet in the counting element */
    uint64_t null_until;     /* ... until this tick (UINT64_MAX: until a trigger) */
    bool gate;
    /* counting element */
    bool counting;           /* else idle: value `held`, OUT `idle_out` */
    bool idle_out;
    uint32_t held;
    uint32_t n;              /* the count being counted */
    uint64_t base;           /* tick at which `counted` held (the load tick) */
    uint64_t counted;        /* clocks counted since the load, at `base` */
    bool running;            /* clocks after `base` count (GATE allows) */
    bool pre_out;            /* OUT before the load tick */
    bool phase_low;          /* mode 3: the load started a low half */
    bool pending;            /* modes 2, 3: `cr` replaces `n` at switch_tick */
    bool pending_low;        /* mode 3: the half that starts then is low */
    uint64_t switch_tick;
};

struct pit {
    struct pit_channel ch[3];
    struct vclock *clock;
    struct irq_line irq0;
    struct timer timer;      /* counter 0's next OUT change */
    uint64_t edge_tick;      /* ... at this tick */
    bool out0;               /* OUT0 as last driven onto IRQ 0 */
};

int pit_init(struct pit *p, struct bus *b, struct vclock *clock, struct irq_line irq0);
void pit_reset(struct pit *p);
void pit_free(struct pit *p);

/* GATE of counter ch (only counter 2's is wired to anything on a PC). */
void pit_set_gate(struct pit *p, int ch, bool level);
/* OUT of counter ch now. */
bool pit_out(struct pit *p, int ch);

/* The same for counter 2 with an opaque struct pit, as port B takes them. */
void pit_gate2(void *pit, bool level);
bool pit_out2(void *pit);

/* PIT input clocks since virtual time 0 (port B's refresh bit uses it). */
uint64_t pit_ticks(uint64_t ns);

#endif
