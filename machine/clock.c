/* clock.c -- virtual time from the host clock or from retired instructions,
 * and a sorted queue of timers. */
#include "clock.h"

#include <time.h>

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

void vclock_init(struct vclock *k, bool deterministic, const uint64_t *insns)
{
    k->deterministic = deterministic;
    k->ns_per_insn = 10;          /* a 100 MIPS virtual CPU */
    k->insns = insns;
    k->offset = 0;
    k->host_start = host_ns();
    k->queue = NULL;
    k->slice_end = 0;
    k->kick = NULL;
    if (deterministic)
        k->offset = 0 - *insns * k->ns_per_insn;   /* time starts at 0 */
}

uint64_t vclock_now(const struct vclock *k)
{
    if (k->deterministic)
        return *k->insns * k->ns_per_insn + k->offset;
    return host_ns() - k->host_start + k->offset;
}

uint64_t vclock_next(const struct vclock *k)
{
    return k->queue ? k->queue->when : UINT64_MAX;
}

void timer_init(struct timer *t, void (*fire)(void *opaque), void *opaque)
{
    t->when = 0;
    t->fire = fire;
    t->opaque = opaque;
    t->armed = false;
    t->next = NULL;
}

void timer_cancel(struct vclock *k, struct timer *t)
{
    if (!t->armed)
        return;
    for (struct timer **p = &k->queue; *p; p = &(*p)->next)
        if (*p == t) {
            *p = t->next;
            break;
        }
    t->armed = false;
    t->next = NULL;
}

void timer_arm(struct vclock *k, struct timer *t, uint64_t when)
{
    timer_cancel(k, t);
    struct timer **p = &k->queue;
    while (*p && (*p)->when <= when)
        p = &(*p)->next;
    t->when = when;
    t->armed = true;
    t->next = *p;
    *p = t;
    if (k->kick && when < k->slice_end)
        *k->kick = 1;
}

int vclock_run_due(struct vclock *k)
{
    int ran = 0;
    uint64_t now = vclock_now(k);
    while (k->queue && k->queue->when <= now) {
        struct timer *t = k->queue;
        k->queue = t->next;
        t->armed = false;
        t->next = NULL;
        t->fire(t->opaque);      /* may re-arm itself */
        ran++;
    }
    return ran;
}

void vclock_idle_until(struct vclock *k, uint64_t when, uint64_t max_sleep_ns)
{
    uint64_t now = vclock_now(k);
    if (when <= now)
        return;
    if (k->deterministic) {
        k->offset += when - now;
        return;
    }
    uint64_t wait = when - now;
    if (wait > max_sleep_ns)
        wait = max_sleep_ns;
    struct timespec ts = { (time_t)(wait / NS_PER_SEC), (long)(wait % NS_PER_SEC) };
    nanosleep(&ts, NULL);
}
