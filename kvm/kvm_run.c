/* kvm_run.c -- running the vCPU: KVM_RUN until an exit that must go back to
 * the machine loop (HLT, shutdown, a stop request, the virtual-time
 * deadline), serving port I/O and MMIO exits on the machine's buses,
 * injecting the PIC's interrupts when the guest's window opens, the kick
 * timer that ends KVM_RUN in time, and guest debugging. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cpu/cpuid.h"
#include "kvm/kvm_int.h"
#include "machine/machine.h"

enum { KICK_INTERVAL_NS = 1000 * 1000, NO_DEADLINE_NS = 10 * 1000 * 1000 };

/* The run area of the vCPU this thread is running: the kick signal's
 * handler sets immediate_exit there, so a kick that lands just before
 * KVM_RUN is not lost (KVM returns at once). */
static _Thread_local struct kvm_run *volatile kick_target;

static void kick_handler(int sig)
{
    (void)sig;
    struct kvm_run *r = kick_target;
    if (r)
        r->immediate_exit = 1;
}

static int kick_signal(void)
{
    return SIGRTMIN + 5;
}

int kvm_timer_setup(struct kvm_engine *k, char *why, size_t len)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = kick_handler;
    sa.sa_flags = SA_RESTART;     /* device code's own system calls go on */
    sigemptyset(&sa.sa_mask);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = kick_signal();
    ev._sigev_un._tid = gettid();
    if (sigaction(kick_signal(), &sa, NULL) < 0 ||
        timer_create(CLOCK_MONOTONIC, &ev, &k->timer) < 0) {
        snprintf(why, len, "cannot create the KVM kick timer: %s", strerror(errno));
        return -1;
    }
    k->timer_ok = true;
    return 0;
}

void kvm_timer_free(struct kvm_engine *k)
{
    if (k->timer_ok)
        timer_delete(k->timer);
    k->timer_ok = false;
}

/* Kicks the vCPU out after ns, then every KICK_INTERVAL_NS (0: disarm). */
static void arm_kick(struct kvm_engine *k, uint64_t ns)
{
    struct itimerspec it;
    memset(&it, 0, sizeof it);
    if (ns) {
        it.it_value.tv_sec = (time_t)(ns / NS_PER_SEC);
        it.it_value.tv_nsec = (long)(ns % NS_PER_SEC);
        it.it_interval.tv_nsec = KICK_INTERVAL_NS;
    }
    timer_settime(k->timer, 0, &it, NULL);
}

/* ---- exits ---- */

static void do_io(struct kvm_engine *k)
{
    struct kvm_run *r = k->run;
    struct bus *b = &k->m->bus;
    uint8_t *p = (uint8_t *)r + r->io.data_offset;
    int size = r->io.size;
    k->io_exits[b->port_map[r->io.port]]++;
    for (uint32_t i = 0; i < r->io.count; i++, p += size) {
        uint32_t v = 0;
        if (r->io.direction == KVM_EXIT_IO_OUT) {
            memcpy(&v, p, (size_t)size);
            bus_io_write(b, r->io.port, size, v);
        } else {
            v = bus_io_read(b, r->io.port, size);
            memcpy(p, &v, (size_t)size);
        }
    }
}

static int mmio_region(const struct bus *b, uint32_t pa)
{
    for (int i = 0; i < b->nmmio; i++)
        if (pa >= b->mmio[i].start && pa <= b->mmio[i].end)
            return i + 1;
    return 0;
}

/* len bytes at guest-physical addr to or from data, through the bus in
 * pieces of 4, 2 or 1 bytes that stay within a page. */
static void bus_access(struct kvm_engine *k, uint64_t addr, uint8_t *data, uint32_t len,
                       bool write)
{
    struct bus *b = &k->m->bus;
    if (addr < KVM_LOW_MAP)
        addr &= k->m->cpu.a20_mask;
    for (uint32_t done = 0; done < len;) {
        uint32_t pa = (uint32_t)(addr + done);
        int n = len - done >= 4 ? 4 : len - done >= 2 ? 2 : 1;
        if ((pa & 0xFFF) + (uint32_t)n > 0x1000)
            n = 1;
        uint32_t v = 0;
        if (write) {
            memcpy(&v, data + done, (size_t)n);
            bus_mem_write(b, pa, n, v);
        } else {
            v = bus_mem_read(b, pa, n);
            memcpy(data + done, &v, (size_t)n);
        }
        done += (uint32_t)n;
    }
}

/* An access to a page KVM has no slot for (MMIO, unbacked), or a write to
 * a read-only slot (ROM, write-protected shadow RAM): the bus decides. */
static void do_mmio(struct kvm_engine *k)
{
    struct kvm_run *r = k->run;
    uint64_t addr = r->mmio.phys_addr;
    k->mmio_exits[mmio_region(&k->m->bus, (uint32_t)(addr < KVM_LOW_MAP ?
                                                        addr & k->m->cpu.a20_mask : addr))]++;
    if (k->nwatch)
        kvm_watch_access(k, addr, r->mmio.data, r->mmio.len, r->mmio.is_write);
    bus_access(k, addr, r->mmio.data, r->mmio.len, r->mmio.is_write);
}

enum { RING_ENTRIES = (4096 - sizeof(struct kvm_coalesced_mmio_ring)) /
                      sizeof(struct kvm_coalesced_mmio) };

void kvm_flush_coalesced(struct kvm_engine *k)
{
    struct kvm_coalesced_mmio_ring *ring = k->ring;
    if (!ring)
        return;
    while (ring->first != ring->last) {
        struct kvm_coalesced_mmio *e = &ring->coalesced_mmio[ring->first % RING_ENTRIES];
        uint32_t len = e->len <= sizeof e->data ? e->len : sizeof e->data;
        bus_access(k, e->phys_addr, e->data, len, true);
        k->coalesced++;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        ring->first = (ring->first + 1) % RING_ENTRIES;
    }
}

/* An I/O or MMIO exit served on the buses; false for any other exit. */
static bool serve_io(struct kvm_engine *k, enum vmexit_reason *why)
{
    if (k->run->exit_reason == KVM_EXIT_IO) {
        *why = VMEXIT_IO;
        do_io(k);
    } else if (k->run->exit_reason == KVM_EXIT_MMIO) {
        *why = VMEXIT_MMIO;
        do_mmio(k);
    } else {
        return false;
    }
    k->pending_completion = true;
    return true;
}

/* KVM finishes an I/O or MMIO instruction only in the next KVM_RUN; with
 * immediate_exit it runs nothing more.  A REP string instruction (or one
 * that touches MMIO twice, REPE CMPSD against VGA memory) may need further
 * accesses on the way: each comes back as another exit, which is served
 * here too, until KVM says it stopped at an instruction boundary (EINTR).
 * Leaving an exit unserved would complete it later with stale data. */
void kvm_complete_pending(struct kvm_engine *k)
{
    struct stats *s = &k->m->stats;
    while (k->pending_completion) {
        k->pending_completion = false;
        k->run->immediate_exit = 1;
        int rc = ioctl(k->vcpu_fd, KVM_RUN, 0);
        k->run->immediate_exit = 0;
        kvm_flush_coalesced(k);
        enum vmexit_reason why;
        if (rc == 0 && serve_io(k, &why))
            s->kvm_exits[why]++;
    }
}

/* KVM could not emulate an instruction (one touching MMIO in a way its
 * emulator lacks, or code fetched from MMIO): the interpreter runs it. */
static bool interpreter_step(struct kvm_engine *k)
{
    struct kvm_run *r = k->run;
    if (r->exit_reason != KVM_EXIT_INTERNAL_ERROR ||
        r->internal.suberror != KVM_INTERNAL_ERROR_EMULATION)
        return false;
    if (kvm_state_out(k) < 0)
        return false;
    kvm_watch_note_code(k);
    cpu_run(&k->m->cpu, 1);
    k->fallback_steps++;
    return kvm_state_in(k) == 0;
}

static void entry_failure(struct kvm_engine *k)
{
    struct kvm_run *r = k->run;
    if (r->exit_reason == KVM_EXIT_FAIL_ENTRY)
        fprintf(stderr, "x86lab: kvm: the vCPU state was refused at VM entry "
                "(hardware reason %#llx)\n",
                (unsigned long long)r->fail_entry.hardware_entry_failure_reason);
    else if (r->exit_reason == KVM_EXIT_INTERNAL_ERROR)
        fprintf(stderr, "x86lab: kvm: KVM internal error (suberror %u)\n", r->internal.suberror);
    else
        fprintf(stderr, "x86lab: kvm: unexpected KVM exit %u\n", r->exit_reason);
}

/* A hardware exec breakpoint stops before its instruction: RF lets the
 * guest run that instruction when it resumes instead of stopping again. */
static void resume_past_breakpoint(struct kvm_engine *k)
{
    const struct kvm_debug_exit_arch *d = &k->run->debug.arch;
    bool exec_hit = false;
    for (int i = 0; i < k->debug.nbp && i < ENGINE_MAX_HWBP; i++)
        if ((d->dr6 >> i & 1) && k->debug.bp[i].kind == BP_EXEC)
            exec_hit = true;
    struct kvm_regs regs;
    if (d->exception == EXC_DB && exec_hit && ioctl(k->vcpu_fd, KVM_GET_REGS, &regs) == 0) {
        regs.rflags |= F_RF;
        ioctl(k->vcpu_fd, KVM_SET_REGS, &regs);
    }
}

/* X86LAB_KVM_TRACE=N (for debugging the engine): the first N exits on
 * stderr with where the guest was. */
static void trace_exit(struct kvm_engine *k)
{
    struct kvm_run *r = k->run;
    struct kvm_regs g;
    struct kvm_sregs sr;
    k->trace--;
    if (ioctl(k->vcpu_fd, KVM_GET_REGS, &g) < 0 || ioctl(k->vcpu_fd, KVM_GET_SREGS, &sr) < 0)
        return;
    fprintf(stderr, "kvm-trace: exit %u cs=%04x:%08llx (base %llx ar t%x d%u p%u) ss=%04x "
            "esp=%08llx fl=%08llx cr0=%08llx", r->exit_reason, sr.cs.selector,
            (unsigned long long)g.rip, (unsigned long long)sr.cs.base, sr.cs.type, sr.cs.dpl,
            sr.cs.present, sr.ss.selector, (unsigned long long)g.rsp,
            (unsigned long long)g.rflags, (unsigned long long)sr.cr0);
    if (r->exit_reason == KVM_EXIT_IO)
        fprintf(stderr, " io %s port %#x size %u count %u", r->io.direction ? "out" : "in",
                r->io.port, r->io.size, r->io.count);
    else if (r->exit_reason == KVM_EXIT_MMIO)
        fprintf(stderr, " mmio %s %#llx len %u", r->mmio.is_write ? "write" : "read",
                (unsigned long long)r->mmio.phys_addr, r->mmio.len);
    else if (r->exit_reason == KVM_EXIT_DEBUG)
        fprintf(stderr, " debug exception %u dr6 %#llx", r->debug.arch.exception,
                (unsigned long long)r->debug.arch.dr6);
    fprintf(stderr, "\n");
}

/* RDMSR/WRMSR of IA32_APIC_BASE (the only MSR filtered, kvm.c): the
 * model's MSR code answers, which moves x86lab's local APIC. */
static void do_msr(struct kvm_engine *k)
{
    struct kvm_run *r = k->run;
    struct cpu *c = &k->m->cpu;
    bool ok;
    if (r->exit_reason == KVM_EXIT_X86_RDMSR) {
        uint64_t v = 0;
        ok = cpu_msr_read(c, r->msr.index, &v);
        r->msr.data = v;
    } else {
        ok = cpu_msr_write(c, r->msr.index, r->msr.data);
        /* KVM's own copy decides the CPUID APIC bit the guest sees
         * (its enable bit): it follows x86lab's. */
        union {
            struct kvm_msrs h;
            uint8_t raw[sizeof(struct kvm_msrs) + sizeof(struct kvm_msr_entry)];
        } l;
        memset(&l, 0, sizeof l);
        l.h.nmsrs = 1;
        l.h.entries[0] = (struct kvm_msr_entry){ .index = r->msr.index,
                                                 .data = c->msr.apic_base };
        if (ok && r->msr.index == MSR_APIC_BASE)
            ioctl(k->vcpu_fd, KVM_SET_MSRS, &l);
    }
    r->msr.error = ok ? 0 : 1;       /* 1: KVM raises #GP(0) */
    k->pending_completion = true;
}

/* What an exit means for the run: -1 go on, else the cpu_exit to return. */
static int handle_exit(struct kvm_engine *k, enum vmexit_reason *why)
{
    struct kvm_run *r = k->run;
    if (k->trace > 0 || (k->trace_n && r->exit_reason != KVM_EXIT_IO &&
                         r->exit_reason != KVM_EXIT_MMIO && r->exit_reason != KVM_EXIT_INTR))
        trace_exit(k);
    if (k->trace_n && r->exit_reason == KVM_EXIT_SHUTDOWN)
        k->trace = k->trace_n;
    switch (r->exit_reason) {
    case KVM_EXIT_IO:
    case KVM_EXIT_MMIO:
        serve_io(k, why);
        return -1;
    case KVM_EXIT_X86_RDMSR:
    case KVM_EXIT_X86_WRMSR:
        *why = VMEXIT_OTHER;
        do_msr(k);
        return -1;
    case KVM_EXIT_HLT:
        *why = VMEXIT_HLT;
        k->halted = true;
        return -1;
    case KVM_EXIT_IRQ_WINDOW_OPEN:
        *why = VMEXIT_IRQ_WINDOW;
        return -1;
    case KVM_EXIT_INTR:
        *why = VMEXIT_INTR;
        return -1;
    case KVM_EXIT_SHUTDOWN:
        *why = VMEXIT_SHUTDOWN;
        k->shut_down = true;
        k->m->cpu.count.triple_faults++;
        return CPU_EXIT_SHUTDOWN;
    case KVM_EXIT_DEBUG:
        *why = VMEXIT_DEBUG;
        resume_past_breakpoint(k);
        return CPU_EXIT_BUDGET;
    case KVM_EXIT_INTERNAL_ERROR:
        *why = VMEXIT_INTERNAL;
        if (interpreter_step(k))
            return -1;
        entry_failure(k);
        return CPU_EXIT_SHUTDOWN;
    case KVM_EXIT_FAIL_ENTRY:
        *why = VMEXIT_FAIL_ENTRY;
        entry_failure(k);
        return CPU_EXIT_SHUTDOWN;
    default:
        *why = VMEXIT_OTHER;
        entry_failure(k);
        return CPU_EXIT_SHUTDOWN;
    }
}

/* ---- interrupts ---- */

/* --kvm-irqchip: our devices' IRQ lines (as they drive our PIC's inputs)
 * go to KVM's PIC and I/O APIC.  IRQ 0 and 2 are KVM's own PIT and the
 * cascade. */
static void sync_irq_lines(struct kvm_engine *k)
{
    uint16_t now = k->m->pic.lines & (uint16_t)~0x0005u;
    uint16_t diff = now ^ k->lines_sent;
    for (int n = 0; diff; n++, diff >>= 1)
        if (diff & 1) {
            struct kvm_irq_level l = { .irq = (uint32_t)n, .level = (now >> n) & 1 };
            ioctl(k->vm_fd, KVM_IRQ_LINE, &l);
        }
    k->lines_sent = now;
}

/* The guest's IF: from the last exit, or from the registers after enter. */
static bool guest_if(struct kvm_engine *k)
{
    struct kvm_regs regs;
    if (k->window_known)
        return k->run->if_flag;
    return ioctl(k->vcpu_fd, KVM_GET_REGS, &regs) == 0 && (regs.rflags & F_IF);
}

/* Devices in user space: NMI, then INTR when the guest can take it (else
 * ask KVM to exit as soon as it can: at once, before running anything,
 * when the window is open already).  Returns false when the vCPU is
 * halted and nothing wakes it. */
static bool inject(struct kvm_engine *k)
{
    struct cpu *c = &k->m->cpu;
    struct kvm_run *r = k->run;
    r->request_interrupt_window = 0;
    if (c->irq_hold)
        return !k->halted;               /* gdb's single step: nothing injected */
    if (c->nmi_pending) {
        c->nmi_pending = false;
        if (ioctl(k->vcpu_fd, KVM_NMI, 0) == 0) {
            k->m->stats.kvm_injected_nmis++;
            k->injected = true;
            k->halted = false;
        }
    }
    if (!c->intr_line)
        return !k->halted;
    if (k->window_known && r->ready_for_interrupt_injection && r->if_flag) {
        int vector = c->intr_ack(c->intr_opaque);
        if (vector >= 0) {
            struct kvm_interrupt irq = { .irq = (uint32_t)vector };
            if (ioctl(k->vcpu_fd, KVM_INTERRUPT, &irq) == 0) {
                k->m->stats.kvm_injected_irqs++;
                c->count.interrupts[vector & 0xFF]++;
                k->injected = true;
                k->halted = false;
            }
        }
        return true;
    }
    if (k->halted && !guest_if(k))
        return false;
    r->request_interrupt_window = 1;
    return true;
}

/* Was an injected event still not taken by the guest?  (A kick can end
 * KVM_RUN before the entry that delivers it.) */
static bool event_in_flight(struct kvm_engine *k)
{
    struct kvm_vcpu_events ev;
    if (!k->injected)
        return false;
    if (ioctl(k->vcpu_fd, KVM_GET_VCPU_EVENTS, &ev) == 0 && !ev.interrupt.injected &&
        !ev.nmi.injected && !ev.nmi.pending)
        k->injected = false;
    return k->injected;
}

/* ---- the run loop ---- */

/* Deterministic virtual time follows retired instructions, which KVM
 * cannot count: while the guest runs here, virtual time follows the host
 * clock instead. */
static void advance_clock(struct kvm_engine *k)
{
    uint64_t now = stats_now_ns();
    if (k->m->clock.deterministic)
        k->m->clock.offset += now - k->last_host_ns;
    k->last_host_ns = now;
}

static bool deadline_passed(const struct kvm_engine *k)
{
    const struct vclock *clk = &k->m->clock;
    return clk->slice_end && vclock_now(clk) >= clk->slice_end;
}

/* With KVM's own interrupt controller HLT waits inside KVM_RUN; at the
 * deadline it is reported to the machine only when nothing can wake it. */
static enum cpu_exit irqchip_idle(struct kvm_engine *k)
{
    struct kvm_mp_state mp;
    struct kvm_regs regs;
    if (ioctl(k->vcpu_fd, KVM_GET_MP_STATE, &mp) == 0 && mp.mp_state == KVM_MP_STATE_HALTED &&
        ioctl(k->vcpu_fd, KVM_GET_REGS, &regs) == 0 && !(regs.rflags & F_IF))
        return CPU_EXIT_HALT;
    return CPU_EXIT_BUDGET;
}

/* One KVM_RUN and its exit; -1 to go on, else the cpu_exit to return. */
static int run_once(struct kvm_engine *k)
{
    struct stats *s = &k->m->stats;
    kick_target = k->run;
    uint64_t t0 = stats_now_ns();
    int rc = ioctl(k->vcpu_fd, KVM_RUN, 0);
    int err = errno;
    uint64_t t1 = stats_now_ns();
    kvm_flush_coalesced(k);
    kick_target = NULL;
    k->run->immediate_exit = 0;
    s->kvm_guest_ns += t1 - t0;
    k->window_known = true;
    enum vmexit_reason why = VMEXIT_INTR;
    int ret = -1;
    k->pending_completion = false;
    if (rc < 0 && k->trace > 0) {
        struct kvm_regs g;
        k->trace--;
        if (ioctl(k->vcpu_fd, KVM_GET_REGS, &g) == 0)
            fprintf(stderr, "kvm-trace: KVM_RUN: %s, eip %08llx\n", strerror(err),
                    (unsigned long long)g.rip);
    }
    if (rc < 0 && err != EINTR && err != EAGAIN) {
        fprintf(stderr, "x86lab: kvm: KVM_RUN failed: %s\n", strerror(err));
        ret = CPU_EXIT_SHUTDOWN;
        why = VMEXIT_OTHER;
    } else if (rc == 0) {
        ret = handle_exit(k, &why);
    }
    if (rc == 0)
        k->injected = false;
    s->kvm_exits[why]++;
    s->kvm_exit_ns[why] += stats_now_ns() - t1;
    return ret;
}

enum cpu_exit kvm_engine_run(void *priv, uint64_t budget)
{
    struct kvm_engine *k = priv;
    struct machine *m = k->m;
    (void)budget;     /* KVM cannot count instructions: the deadline rules */
    char why[200];
    if (kvm_map_stale(k) && kvm_update_map(k, why, sizeof why) < 0) {
        fprintf(stderr, "x86lab: kvm: %s\n", why);
        return CPU_EXIT_SHUTDOWN;
    }
    k->last_host_ns = stats_now_ns();
    uint64_t left = m->clock.slice_end ? m->clock.slice_end - vclock_now(&m->clock)
                                       : NO_DEADLINE_NS;
    arm_kick(k, left > 0 && left < (1ull << 62) ? left : 1000);
    int ret = -1;
    while (ret < 0) {
        advance_clock(k);
        if (m->cpu.stop_request) {
            ret = CPU_EXIT_REQUEST;
        } else if (deadline_passed(k) && !event_in_flight(k) && !k->debug.single_step) {
            /* (A single step ends at its debug exit, however short the
             * slice the machine gave for one instruction.) */
            ret = k->irqchip ? irqchip_idle(k) : CPU_EXIT_BUDGET;
        } else if (k->irqchip) {
            sync_irq_lines(k);
            ret = run_once(k);
        } else if (!inject(k)) {
            ret = guest_if(k) ? CPU_EXIT_IDLE : CPU_EXIT_HALT;
        } else {
            ret = run_once(k);
        }
        if (kvm_map_stale(k) && kvm_update_map(k, why, sizeof why) < 0) {
            fprintf(stderr, "x86lab: kvm: %s\n", why);
            ret = CPU_EXIT_SHUTDOWN;
        }
    }
    arm_kick(k, 0);
    advance_clock(k);
    kvm_complete_pending(k);
    return (enum cpu_exit)ret;
}

/* Before the state leaves the vCPU no event may sit in KVM half-delivered
 * (an interrupt injected just before a kick, an exception KVM re-queued):
 * the guest runs on until it has gone in, which is a clean boundary. */
void kvm_drain_events(struct kvm_engine *k)
{
    for (int tries = 0; tries < 64 && !k->shut_down; tries++) {
        struct kvm_vcpu_events ev;
        if (ioctl(k->vcpu_fd, KVM_GET_VCPU_EVENTS, &ev) < 0)
            return;
        if (!ev.exception.injected && !ev.exception.pending && !ev.interrupt.injected &&
            !ev.nmi.injected)
            return;
        arm_kick(k, 50 * 1000);
        k->run->request_interrupt_window = 0;
        int r = run_once(k);
        arm_kick(k, 0);
        kvm_complete_pending(k);
        if (r >= 0)
            return;
    }
}

int kvm_apply_debug(struct kvm_engine *k)
{
    const struct engine_debug *d = &k->debug;
    struct kvm_guest_debug g;
    memset(&g, 0, sizeof g);
    if (d->single_step || d->nbp)
        g.control = KVM_GUESTDBG_ENABLE;
    if (d->single_step)
        g.control |= KVM_GUESTDBG_SINGLESTEP;
    uint64_t dr7 = 0;
    for (int i = 0; i < d->nbp && i < ENGINE_MAX_HWBP; i++) {
        static const uint8_t rw[] = { [BP_EXEC] = 0, [BP_WRITE] = 1, [BP_ACCESS] = 3 };
        unsigned len = d->bp[i].kind == BP_EXEC ? 0
                     : d->bp[i].len >= 4 ? 3 : d->bp[i].len == 2 ? 1 : 0;
        g.arch.debugreg[i] = d->bp[i].lin;
        dr7 |= 2ull << (2 * i);                               /* G0..G3 */
        dr7 |= (uint64_t)(rw[d->bp[i].kind % 3] | len << 2) << (16 + 4 * i);
        g.control |= KVM_GUESTDBG_USE_HW_BP;
    }
    g.arch.debugreg[7] = dr7 | 0x400;
    k->guest_debug_flags = g.control;
    if (ioctl(k->vcpu_fd, KVM_SET_GUEST_DEBUG, &g) < 0) {
        fprintf(stderr, "x86lab: kvm: KVM_SET_GUEST_DEBUG: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}
