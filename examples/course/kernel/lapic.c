/* lapic.c -- the local APIC of each CPU: turned on, its timer periodic
 * (the kernel's clock), end of interrupt, and the INIT/STARTUP IPIs that
 * wake the other CPUs (Intel MP spec, appendix B.4). */
#include "defs.h"
#include "x86.h"

/* Register offsets (bytes). */
#define ID      0x020
#define VER     0x030
#define TPR     0x080
#define EOI     0x0B0
#define SVR     0x0F0
#define ESR     0x280
#define ICRLO   0x300
#define ICRHI   0x310
#define TIMER   0x320
#define PCINT   0x340
#define LINT0   0x350
#define LINT1   0x360
#define ERROR   0x370
#define TICR    0x380
#define TDCR    0x3E0

#define SVR_ENABLE  0x100
#define MASKED      0x10000
#define PERIODIC    0x20000
#define INIT        0x500
#define STARTUP     0x600
#define DELIVS      0x1000          /* the IPI is still being sent */
#define ASSERT      0x4000
#define LEVEL       0x8000

/* 1,000,000 bus clocks: 10 ms at a 100 MHz APIC bus, 1 ms under QEMU's
 * 1 GHz; nothing here needs a calibrated clock. */
#define TIMER_COUNT 1000000

static void lapicw(uint32_t reg, uint32_t v)
{
    lapic[reg / 4] = v;
    (void)lapic[ID / 4];            /* wait for the write to finish */
}

void lapicinit(void)
{
    lapicw(SVR, SVR_ENABLE | T_SPURIOUS);
    lapicw(TDCR, 0xB);              /* divide by 1 */
    lapicw(TIMER, PERIODIC | T_TIMER);
    lapicw(TICR, TIMER_COUNT);
    lapicw(LINT0, MASKED);          /* no 8259 interrupts, no NMI */
    lapicw(LINT1, MASKED);
    if (((lapic[VER / 4] >> 16) & 0xFF) >= 4)
        lapicw(PCINT, MASKED);      /* performance counters */
    lapicw(ERROR, MASKED);
    lapicw(ESR, 0);
    lapicw(ESR, 0);
    lapicw(EOI, 0);                 /* anything left pending */
    lapicw(TPR, 0);                 /* accept every priority */
}

int lapicid(void)
{
    return (int)(lapic[ID / 4] >> 24);
}

void lapiceoi(void)
{
    lapicw(EOI, 0);
}

/* Roughly `us` microseconds: emulators need no real delay, real
 * hardware would want the PIT here. */
static void microdelay(int us)
{
    for (volatile int i = 0; i < us * 10; i++)
        ;
}

static void send_ipi(uint8_t apicid, uint32_t lo)
{
    lapicw(ICRHI, (uint32_t)apicid << 24);
    lapicw(ICRLO, lo);
    for (int i = 0; i < 100000 && (lapic[ICRLO / 4] & DELIVS); i++)
        pause();
}

/* INIT, then STARTUP twice: the AP starts in real mode at addr (a page
 * below 1 MiB).  The warm-reset vector and CMOS shutdown code 0Ah are for
 * old CPUs that take INIT as a reset through the BIOS. */
void lapicstartap(uint8_t apicid, uint32_t addr)
{
    outb(0x70, 0x0F);
    outb(0x71, 0x0A);
    volatile uint16_t *wrv = (volatile uint16_t *)0x467;
    wrv[0] = 0;
    wrv[1] = (uint16_t)(addr >> 4);

    send_ipi(apicid, INIT | LEVEL | ASSERT);
    microdelay(200);
    send_ipi(apicid, INIT | LEVEL);         /* de-assert */
    microdelay(100);
    for (int i = 0; i < 2; i++) {
        send_ipi(apicid, STARTUP | (addr >> 12));
        microdelay(200);
    }
}
