/* spinlock.c -- mutual exclusion between CPUs: XCHG until we get the
 * lock, with interrupts off on our CPU while we hold one (an interrupt
 * handler taking the same lock would wait forever).  pushcli/popcli nest. */
#include "defs.h"
#include "x86.h"

#define FL_IF 0x200

void initlock(struct spinlock *lk, const char *name)
{
    lk->locked = 0;
    lk->name = name;
    lk->cpu = -1;
}

void pushcli(void)
{
    uint32_t eflags = readeflags();
    cli();
    struct cpu *c = mycpu();
    if (c->ncli++ == 0)
        c->intena = (eflags & FL_IF) != 0;
}

void popcli(void)
{
    if (readeflags() & FL_IF)
        panic("popcli: interrupts on");
    struct cpu *c = mycpu();
    if (--c->ncli < 0)
        panic("popcli: not pushed");
    if (c->ncli == 0 && c->intena)
        sti();
}

void acquire(struct spinlock *lk)
{
    pushcli();
    if (lk->locked && lk->cpu == cpuid())
        panic("acquire: %s already held by this cpu", lk->name);
    while (xchg(&lk->locked, 1) != 0)
        pause();
    __sync_synchronize();       /* the critical section's loads stay after this */
    lk->cpu = cpuid();
}

void release(struct spinlock *lk)
{
    if (!lk->locked || lk->cpu != cpuid())
        panic("release: %s not held", lk->name);
    lk->cpu = -1;
    __sync_synchronize();       /* ... and its stores before this */
    __asm__ volatile("movl $0, %0" : "+m"(lk->locked) : : "memory");
    popcli();
}
