/* kvm_int.h -- the KVM engine's private state and the calls between its
 * files: kvm.c (VM and vCPU, memory slots, the ops table), kvm_state.c
 * (the common CPU state in and out of the vCPU), kvm_run.c (KVM_RUN and
 * its exits), kvm_probe.c (can this host run a 32-bit paged guest?). */
#ifndef X86LAB_KVM_INT_H
#define X86LAB_KVM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <linux/kvm.h>

#include "machine/bus.h"
#include "machine/engine.h"

struct machine;

enum { KVM_MAX_SLOTS = 64, KVM_LOW_MAP = 2u << 20 };

/* One guest-physical range mapped to host memory (a KVM memory slot). */
struct kvm_slot {
    uint64_t gpa, size;
    uint8_t *host;
    bool readonly;
};

/* What the memory map was built from: when any of it changes (A20, the
 * PAM shadow registers, a ROM or MMIO region added, the watched pages)
 * the slots are redone. */
struct kvm_map_key {
    uint32_t a20_mask;
    int nrom, nmmio;
    uint8_t shadow[16];
    uint32_t watch_gen;
};

/* A page of a debugger watchpoint (kvm_watch.c): linear page lin, mapped
 * to physical page phys when the watch was set. */
enum { KVM_MAX_WATCH_PAGES = 2 * ENGINE_MAX_HWBP };
struct kvm_watch_page {
    uint32_t lin, phys;
};

struct kvm_engine {
    struct machine *m;
    int sys_fd, vm_fd, vcpu_fd;
    struct kvm_run *run;
    size_t run_size;
    bool irqchip;                /* --kvm-irqchip: KVM's PIC/IOAPIC/PIT */
    bool nested_emulated;        /* the host CPU says it is itself virtual */
    char host_hv[16];            /* the host's hypervisor vendor, if any */
    long trace, trace_n;         /* X86LAB_KVM_TRACE=N: print the first N exits
                                  * (again after a shutdown) and every exit
                                  * other than I/O, MMIO and kicks */

    /* Memory slots (kvm.c). */
    struct kvm_slot slot[KVM_MAX_SLOTS];
    int nslots;
    bool map_valid;
    struct kvm_map_key key;
    uint8_t *rom_copy[BUS_MAX_ROM];  /* page-aligned copies when needed */

    /* Watched pages (kvm_watch.c). */
    struct kvm_watch_page watch[KVM_MAX_WATCH_PAGES];
    int nwatch;
    uint32_t watch_gen;          /* bumped when the set changes */
    bool watch_code_noted;       /* said once: code runs from a watched page */

    /* Run state (kvm_run.c). */
    timer_t timer;
    bool timer_ok;
    bool halted;                 /* HLT seen, waiting for an interrupt */
    bool shut_down;              /* KVM_EXIT_SHUTDOWN seen: remake the VM */
    bool msr_exits;              /* IA32_APIC_BASE accesses exit to x86lab */
    /* Writes to the VGA window that KVM queued instead of exiting
     * (KVM_REGISTER_COALESCED_MMIO); NULL when KVM cannot. */
    struct kvm_coalesced_mmio_ring *ring;
    uint64_t coalesced;          /* writes taken from the ring */
    bool window_known;           /* run->if_flag/ready_* are from a real exit */
    bool pending_completion;     /* an I/O or MMIO exit awaits KVM_RUN */
    uint16_t lines_sent;         /* --kvm-irqchip: IRQ levels KVM has */
    uint64_t last_host_ns;       /* deterministic clock: host time seen */
    bool warned_ro_write;
    struct engine_debug debug;
    uint32_t guest_debug_flags;
    bool injected;               /* KVM_INTERRUPT/KVM_NMI since the last entry */
    uint64_t fallback_steps;     /* instructions KVM could not emulate, run by
                                  * the interpreter instead */

    /* Exits by port range / MMIO region (index + 1 into the bus's tables;
     * 0: a port nobody decodes, a write to ROM or unbacked memory). */
    uint64_t io_exits[BUS_MAX_PORT_RANGES + 1];
    uint64_t mmio_exits[BUS_MAX_MMIO + 1];
};

/* kvm.c */
int kvm_update_map(struct kvm_engine *k, char *why, size_t len);
bool kvm_map_stale(const struct kvm_engine *k);

/* kvm_state.c: 0 or -1 with a message on stderr. */
int kvm_state_in(struct kvm_engine *k);
int kvm_state_out(struct kvm_engine *k);
/* Only the registers, segments and control registers into m->cpu, at an
 * exit, for the watch hook (the rest stays in the vCPU). */
int kvm_state_peek(struct kvm_engine *k);
int kvm_set_cpuid(struct kvm_engine *k, char *why, size_t len);

/* kvm_run.c */
enum cpu_exit kvm_engine_run(void *priv, uint64_t budget);
int kvm_timer_setup(struct kvm_engine *k, char *why, size_t len);
void kvm_timer_free(struct kvm_engine *k);
int kvm_apply_debug(struct kvm_engine *k);
/* Completes an I/O or MMIO exit (KVM_RUN with immediate_exit) so that the
 * vCPU's registers are at an instruction boundary. */
void kvm_complete_pending(struct kvm_engine *k);
/* Delivers an interrupt or exception KVM still holds for injection by
 * single-stepping into its handler (before the state leaves the vCPU). */
void kvm_drain_events(struct kvm_engine *k);
/* Applies the VGA writes KVM queued, in order: before any exit is served
 * and before the state leaves, so that nothing can see them missing. */
void kvm_flush_coalesced(struct kvm_engine *k);

/* kvm_watch.c */
void kvm_watch_set(struct kvm_engine *k, const struct engine_debug *d);
bool kvm_watched(const struct kvm_engine *k, uint32_t pa);
/* An MMIO exit's access checked against the watched pages (before the
 * bus performs it). */
void kvm_watch_access(struct kvm_engine *k, uint64_t addr, const uint8_t *data, uint32_t len,
                      bool write);
void kvm_watch_note_code(struct kvm_engine *k);

/* kvm_probe.c */
bool kvm_engine_available(char *why, size_t len);
/* The host's own hypervisor (CPUID bit 31 of leaf 1 ECX, vendor leaf
 * 0x40000000): true and the vendor when x86lab itself runs virtualised. */
bool kvm_host_hypervisor(char vendor[16]);


#endif
