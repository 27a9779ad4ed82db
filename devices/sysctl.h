/* sysctl.h -- the chipset's system control ports: port 0x92 ("system
 * control port A": fast A20 and fast reset), port 0xCF9 (reset control)
 * and port 0x80 (POST codes, optionally traced). */
#ifndef X86LAB_SYSCTL_H
#define X86LAB_SYSCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct bus;

enum {
    SYSCTL_PORT_A = 0x92, SYSCTL_POST = 0x80, SYSCTL_RESET_CTL = 0xCF9,
    PORTA_RESET = 0x01, PORTA_A20 = 0x02,
    RCR_SYS_RESET = 0x02, RCR_RESET_CPU = 0x04, RCR_FULL_RESET = 0x08,
};

/* The board lines these ports drive, without knowing the machine. */
struct sysctl_signals {
    void (*reset)(void *opaque);
    void (*set_a20)(void *opaque, bool on);
    bool (*a20)(void *opaque);
    void *opaque;
};

struct sysctl {
    struct sysctl_signals sig;
    uint8_t port_a;             /* port 0x92 as written (A20 reads live) */
    uint8_t reset_ctl;          /* port 0xCF9 bits 1 and 3 */
    uint8_t post;               /* the last POST code */
    uint64_t post_writes;
    FILE *post_trace;           /* "POST xx" lines go here, or NULL */
};

int sysctl_init(struct sysctl *s, struct bus *b, const struct sysctl_signals *sig,
                FILE *post_trace);
void sysctl_reset(struct sysctl *s);

#endif
