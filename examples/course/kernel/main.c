/* main.c -- the kernel's start: the BSP sets up the console, CPUs, pages,
 * segments and interrupts, wakes the other CPUs (each says "cpu N:
 * starting" and joins a spinlock test), reads disk 1's file system and
 * runs init at ring 3. */
#include "defs.h"
#include "x86.h"

#define LOCK_ROUNDS 10000           /* increments per CPU in the lock test */

uint8_t kstacks[NCPU][KSTACKSIZE] __attribute__((aligned(16)));

static struct spinlock countlock;
static uint32_t counter;            /* only ever changed under countlock */
static volatile uint32_t counted;   /* CPUs done with the lock test */

extern uint8_t apboot_start[], apboot_end[];

int cpus_running(void)
{
    int n = 0;
    for (int i = 0; i < ncpu; i++)
        n += cpus[i].started != 0;
    return n;
}

/* Every CPU adds LOCK_ROUNDS to counter, one locked increment at a time:
 * without the lock, increments racing on two CPUs would get lost. */
static void lock_test(void)
{
    for (int i = 0; i < LOCK_ROUNDS; i++) {
        acquire(&countlock);
        counter++;
        release(&countlock);
    }
    __atomic_add_fetch(&counted, 1, __ATOMIC_SEQ_CST);
}

static void cpu_started(void)
{
    pushcli();
    int id = cpuid();
    cprintf("cpu %d: starting (local APIC ID %d)\n", id, lapicid());
    xchg(&mycpu()->started, 1);
    popcli();
}

/* An AP's C entry, from apboot.asm (paging already on). */
static void mpenter(void)
{
    seginit();
    idtinit();
    lapicinit();
    cpu_started();
    lock_test();
    for (;;) {                      /* idle: timer interrupts only */
        sti();
        hlt();
    }
}

/* Each AP in turn: its stack, entry and page directory below APBOOT,
 * INIT-STARTUP-STARTUP, then wait until it says it runs. */
static void startothers(void)
{
    memmove((void *)APBOOT, apboot_start, (uint32_t)(apboot_end - apboot_start));
    for (int i = 1; i < ncpu; i++) {
        *(uint32_t *)(APBOOT - 4) = (uint32_t)(kstacks[i] + KSTACKSIZE);
        *(uint32_t *)(APBOOT - 8) = (uint32_t)mpenter;
        *(uint32_t *)(APBOOT - 12) = kpgdir();
        lapicstartap(cpus[i].apicid, APBOOT);
        for (uint32_t spin = 0; !cpus[i].started && spin < 200000000u; spin++)
            pause();
        if (!cpus[i].started)
            cprintf("cpu %d: did not start (local APIC ID %d)\n", i, cpus[i].apicid);
    }
}

static void check_locks(void)
{
    lock_test();
    int n = cpus_running();
    while (counted < (uint32_t)n)
        pause();
    cprintf("kernel: lock test: counter %u, expected %u = %d cpus x %d\n", counter,
            (uint32_t)n * LOCK_ROUNDS, n, LOCK_ROUNDS);
    if (counter != (uint32_t)n * LOCK_ROUNDS)
        panic("lock test: lost increments");
}

int main(void)
{
    consoleinit();
    cprintf("\ncourse: a small multiprocessor teaching kernel\n");
    initlock(&countlock, "count");
    mpinit();
    kvminit();
    kvmload();
    seginit();
    tvinit();
    idtinit();
    outb(0x21, 0xFF);               /* the 8259 PICs: all masked, the APICs rule */
    outb(0xA1, 0xFF);
    lapicinit();
    cpu_started();
    startothers();
    check_locks();
    if (ideinit() < 0)
        panic("ide: no disk 1 (-drive file=fs.img,index=1,...)");
    if (fsinit() < 0)
        panic("fs: no course file system on disk 1");
    run_init("init");
}
