/* clock.h -- the virtual clock and its timer queue, which drive device
 * timing (PIT, RTC, UART, disk completion).  It follows host time, or, in
 * deterministic mode, retired guest instructions, so that a run's output
 * and instruction count are the same every time. */
#ifndef X86LAB_CLOCK_H
#define X86LAB_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct timer {
    uint64_t when;               /* virtual ns */
    void (*fire)(void *opaque);
    void *opaque;
    bool armed;
    struct timer *next;
};

struct vclock {
    bool deterministic;
    uint32_t ns_per_insn;        /* deterministic mode: virtual ns per instruction */
    const uint64_t *insns;       /* the CPU's retired-instruction counter */
    uint64_t offset;             /* virtual ns added to the source */
    uint64_t host_start;         /* host mode: monotonic ns at start */
    struct timer *queue;         /* armed timers, earliest first */
    /* The running CPU slice ends at slice_end (on host time: about); a
     * timer armed before that (a device programmed mid-slice) sets *kick
     * (the CPU's stop_request) so the slice ends early and the timer fires
     * on time. */
    uint64_t slice_end;
    volatile int *kick;
};

enum { NS_PER_SEC = 1000000000 };

void vclock_init(struct vclock *k, bool deterministic, const uint64_t *insns);
uint64_t vclock_now(const struct vclock *k);
/* Earliest deadline, or UINT64_MAX when nothing is armed. */
uint64_t vclock_next(const struct vclock *k);
/* Runs every timer that is due; returns how many ran. */
int vclock_run_due(struct vclock *k);
/* Moves virtual time forward to `when` (the CPU is idle): deterministic
 * mode jumps, host mode sleeps (at most max_sleep_ns). */
void vclock_idle_until(struct vclock *k, uint64_t when, uint64_t max_sleep_ns);

void timer_init(struct timer *t, void (*fire)(void *opaque), void *opaque);
void timer_arm(struct vclock *k, struct timer *t, uint64_t when);
void timer_cancel(struct vclock *k, struct timer *t);

#endif
