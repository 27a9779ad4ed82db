/* lapic.h -- the local APIC of each CPU (P6 family, version 14h) and the
 * APIC message bus that joins the local APICs and the I/O APIC.
 *
 * One struct lapic per CPU; its ID is the CPU's index.  The register page
 * (4 KiB at IA32_APIC_BASE, FEE00000h after reset) is one MMIO region of
 * the bus for all CPUs: an access reaches the local APIC of the CPU that
 * runs now (apic_bus.current).  Interrupt messages (IPIs from the ICR,
 * I/O APIC redirections) go through apic_bus_send, which picks the
 * destination local APICs by physical ID, logical (flat or cluster) match,
 * shorthand or lowest priority.
 *
 * Towards its CPU a local APIC drives the INTR line (struct cpu's
 * intr_line) and answers the acknowledge cycle (lapic_intr_ack, struct
 * cpu's intr_ack).  The 8259's INT output enters at LINT0: with LINT0 in
 * ExtINT mode (virtual wire, the reset state of the bootstrap processor)
 * or with the APIC globally disabled, the acknowledge goes to the 8259.
 *
 * Choices where the manuals leave room: the bus clock of the timer is
 * 100 MHz (10 ns per tick before the divider); the reset state of the
 * BSP's LINT0 is ExtINT, unmasked (as QEMU: the virtual wire a BIOS sets
 * up, so that legacy guests get 8259 interrupts without touching the
 * APIC); physical destination FFh is a broadcast (8-bit IDs). */
#ifndef X86LAB_LAPIC_H
#define X86LAB_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/clock.h"
#include "machine/irq.h"

struct bus;
struct io_range;

enum {
    APIC_MAX_CPUS = 8,
    APIC_DEFAULT_BASE = 0xFEE00000u,
    APIC_BASE_BSP = 0x100, APIC_BASE_ENABLE = 0x800,
    LAPIC_VERSION = 0x14,
    LAPIC_BUS_NS = 10,           /* 100 MHz bus clock for the timer */
};

/* Delivery modes of ICR, LVT and redirection entries (bits 8-10). */
enum {
    APIC_DM_FIXED = 0, APIC_DM_LOWEST = 1, APIC_DM_SMI = 2, APIC_DM_NMI = 4,
    APIC_DM_INIT = 5, APIC_DM_STARTUP = 6, APIC_DM_EXTINT = 7,
};

/* Register offsets in the page. */
enum {
    LAPIC_ID = 0x20, LAPIC_VER = 0x30, LAPIC_TPR = 0x80, LAPIC_APR = 0x90,
    LAPIC_PPR = 0xA0, LAPIC_EOI = 0xB0, LAPIC_LDR = 0xD0, LAPIC_DFR = 0xE0,
    LAPIC_SVR = 0xF0, LAPIC_ISR = 0x100, LAPIC_TMR = 0x180, LAPIC_IRR = 0x200,
    LAPIC_ESR = 0x280, LAPIC_ICR_LO = 0x300, LAPIC_ICR_HI = 0x310,
    LAPIC_LVT_TIMER = 0x320, LAPIC_LVT_PERF = 0x340, LAPIC_LVT_LINT0 = 0x350,
    LAPIC_LVT_LINT1 = 0x360, LAPIC_LVT_ERROR = 0x370, LAPIC_TIMER_ICR = 0x380,
    LAPIC_TIMER_CCR = 0x390, LAPIC_TIMER_DCR = 0x3E0,
};

/* Bits of LVT entries and the ICR. */
enum {
    APIC_LVT_MASKED = 1u << 16, APIC_LVT_PERIODIC = 1u << 17,
    APIC_LVT_LEVEL = 1u << 15, APIC_LVT_REMOTE_IRR = 1u << 14,
    APIC_LVT_ACTIVE_LOW = 1u << 13, APIC_ICR_LOGICAL = 1u << 11,
    APIC_ICR_ASSERT = 1u << 14, APIC_SVR_ENABLE = 1u << 8,
};

/* Error status bits (ESR). */
enum {
    APIC_ESR_SEND_ACCEPT = 1u << 2, APIC_ESR_SEND_ILLEGAL = 1u << 5,
    APIC_ESR_RECV_ILLEGAL = 1u << 6,
};

/* The LVT entries of the P6: timer, performance counter, LINT0, LINT1,
 * error (so the version register says 4 = the highest LVT entry). */
enum { LVT_TIMER, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR, LVT_COUNT };

/* One message on the APIC bus. */
struct apic_msg {
    uint8_t vector;
    uint8_t mode;            /* APIC_DM_* */
    uint8_t dest;            /* destination field */
    uint8_t shorthand;       /* 0 none, 1 self, 2 all, 3 all but self */
    bool logical;            /* destination mode */
    bool level;              /* trigger mode */
    bool assert;             /* level: asserted (INIT de-assert, ExtINT low: 0) */
    int source;              /* the sending CPU's index; -1 for the I/O APIC */
};

struct lapic;

struct apic_bus {
    struct lapic *cpu[APIC_MAX_CPUS];
    int ncpus;
    int current;                 /* whose register page the MMIO accesses reach */
    struct io_range *mmio;       /* that page, moved by IA32_APIC_BASE */
    /* EOI of a level-triggered vector, broadcast to the I/O APIC(s). */
    void (*eoi)(void *opaque, uint8_t vector);
    void *eoi_opaque;
};

/* What a local APIC is wired to in its CPU and the machine. */
struct lapic_wiring {
    struct irq_line intr;        /* the CPU's INTR */
    void (*nmi)(void *opaque);   /* raise the CPU's NMI */
    /* The same with the APIC's index (-smp: which CPU); used instead of
     * nmi when set. */
    void (*nmi_index)(void *opaque, int index);
    int (*extint_ack)(void *opaque);   /* the 8259's INTA cycle */
    void *extint_opaque;
    /* INIT and STARTUP messages that this APIC accepted: the machine
     * resets the CPU / starts it at vector << 12 (SMP). */
    void (*init)(void *opaque, int index);
    void (*startup)(void *opaque, int index, uint8_t vector);
    void *opaque;                /* of nmi, init and startup */
};

struct lapic {
    struct apic_bus *bus;
    struct vclock *clock;
    struct lapic_wiring w;
    int index;
    uint64_t base;               /* IA32_APIC_BASE as the CPU last wrote it */
    uint32_t id;                 /* bits 24-31 */
    uint32_t tpr, ldr, dfr, svr;
    uint32_t esr, esr_pending;   /* read value; errors since the last write */
    uint32_t icr_lo, icr_hi;
    uint32_t lvt[LVT_COUNT];
    uint32_t irr[8], isr[8], tmr[8];
    bool lint[2];                /* LINT0 / LINT1 pin levels */
    bool extint_msg;             /* an ExtINT message is asserted (I/O APIC) */
    bool wait_sipi;              /* after INIT: an AP waits for STARTUP */
    bool intr_out;               /* what INTR carries now */
    /* Timer: counting when running; the count was start_count at
     * start_ns, reloaded with initial on each expiry in periodic mode. */
    uint32_t timer_initial, timer_dcr;
    uint32_t start_count;
    uint64_t start_ns;
    uint64_t next_fire;          /* the expiry the armed timer stands for */
    bool running;
    struct timer timer;
    uint64_t timer_fires, ipis_sent;
};

/* The bus with no CPUs yet; registers the page at FEE00000h. */
int apic_bus_init(struct apic_bus *b, struct bus *sys);
/* Adds CPU index's local APIC (ID = index; index 0 is the BSP). */
void lapic_init(struct lapic *l, struct apic_bus *b, int index, struct vclock *clock,
                const struct lapic_wiring *w);
void lapic_reset(struct lapic *l);
void lapic_free(struct lapic *l);

/* IA32_APIC_BASE was written (or reset): relocation and global enable. */
void lapic_set_base(struct lapic *l, uint64_t value);
static inline bool lapic_hw_enabled(const struct lapic *l)
{
    return (l->base & APIC_BASE_ENABLE) != 0;
}

/* The LINT0 / LINT1 pins (pin 0 or 1). */
void lapic_set_lint(struct lapic *l, int pin, bool level);
/* The CPU's INTA cycle (struct cpu's intr_ack, opaque = struct lapic *). */
int lapic_intr_ack(void *opaque);

/* Register access as through the page (offset 0-0xFFF, 32-bit). */
uint32_t lapic_read(struct lapic *l, uint32_t offset);
void lapic_write(struct lapic *l, uint32_t offset, uint32_t value);

/* Sends a message to the local APICs it names (apic_bus.c). */
void apic_bus_send(struct apic_bus *b, const struct apic_msg *m);

/* For apic_bus.c: a message accepted by this APIC; does logical
 * destination `dest` name it (flat or cluster model, per its DFR); its
 * arbitration priority (lowest-priority delivery). */
void lapic_deliver(struct lapic *l, const struct apic_msg *m);
bool lapic_match_logical(const struct lapic *l, uint8_t dest);
uint32_t lapic_arb_priority(const struct lapic *l);
/* For lapic.c: moves the register page. */
void apic_bus_relocate(struct apic_bus *b, uint32_t base);

#endif
