/* port61.h -- system control port B (0x61) of the PC/AT: counter 2's GATE
 * and the speaker data enable (bits 0-1, with parity and channel check
 * enables in bits 2-3), and read-only status: the refresh toggle (bit 4),
 * counter 2's OUT (bit 5), channel check and parity error (bits 6-7). */
#ifndef X86LAB_PORT61_H
#define X86LAB_PORT61_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/clock.h"

struct bus;

/* What port B reaches of the timer (board.c connects it to the 8254). */
struct port61_timer2 {
    void (*set_gate)(void *opaque, bool level);
    bool (*out)(void *opaque);
    void *opaque;
};

struct port61 {
    uint8_t bits;                /* bits 0-3 as last written */
    struct vclock *clock;
    struct port61_timer2 t2;
};

int port61_init(struct port61 *s, struct bus *b, struct vclock *clock, struct port61_timer2 t2);
void port61_reset(struct port61 *s);
/* The speaker input: counter 2's OUT gated by bit 1. */
bool port61_speaker(const struct port61 *s);

#endif
