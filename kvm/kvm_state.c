/* kvm_state.c -- the common CPU state (struct cpu) into the vCPU and back:
 * general registers, flags, segments with their hidden parts, descriptor
 * tables, control registers, MSRs, debug registers, x87 state, pending
 * events and the interrupt shadow; and the CPUID the guest sees (the
 * model's own, so a guest sees the same CPU in every engine). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "cpu/cpuid.h"
#include "cpu/icache.h"
#include "cpu/mem.h"
#include "cpu/seg.h"
#include "kvm/kvm_int.h"
#include "machine/machine.h"

/* ---- CPUID ---- */

int kvm_set_cpuid(struct kvm_engine *k, char *why, size_t len)
{
    enum { MAX_LEAVES = 32 };
    /* A union: kvm_cpuid2 ends in a flexible array that e[] fills. */
    union {
        struct kvm_cpuid2 h;
        uint8_t raw[sizeof(struct kvm_cpuid2) + MAX_LEAVES * sizeof(struct kvm_cpuid_entry2)];
    } t;
    memset(&t, 0, sizeof t);
    uint32_t out[4];
    cpuid_query(&k->m->cpu, 0, out);
    uint32_t top = out[0] < MAX_LEAVES ? out[0] : MAX_LEAVES - 1;
    for (uint32_t leaf = 0; leaf <= top; leaf++) {
        struct kvm_cpuid_entry2 *e = &t.h.entries[leaf];
        cpuid_query(&k->m->cpu, leaf, out);
        *e = (struct kvm_cpuid_entry2){ .function = leaf, .eax = out[0], .ebx = out[1],
                                        .ecx = out[2], .edx = out[3] };
    }
    t.h.nent = top + 1;
    if (ioctl(k->vcpu_fd, KVM_SET_CPUID2, &t) < 0) {
        snprintf(why, len, "KVM refused the CPU model's CPUID: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- segments ---- */

static void seg_out(const struct seg *s, struct kvm_segment *v)
{
    *v = (struct kvm_segment){
        .base = s->base, .limit = s->limit, .selector = s->sel,
        .type = s->ar & AR_TYPE, .s = (s->ar & AR_S) != 0, .dpl = (s->ar >> 5) & 3,
        .present = (s->ar & AR_P) != 0, .avl = (s->ar & AR_AVL) != 0,
        .db = (s->ar & AR_DB) != 0, .g = (s->ar & AR_G) != 0,
    };
    v->unusable = !v->present;
}

static void seg_in(struct seg *s, const struct kvm_segment *v)
{
    uint16_t ar = (uint16_t)(v->type | v->s << 4 | v->dpl << 5 | v->present << 7 |
                             v->avl << 12 | v->db << 14 | v->g << 15);
    if (v->unusable)
        ar = 0;     /* a null selector's cache, as seg_load_null leaves it */
    seg_set_cache(s, v->selector, (uint32_t)v->base, v->limit, ar);
}

static void sregs_out(const struct cpu *c, struct kvm_sregs *sr, bool has_apic)
{
    struct kvm_segment *dst[S_COUNT] = { &sr->es, &sr->cs, &sr->ss, &sr->ds, &sr->fs, &sr->gs };
    for (int s = 0; s < S_COUNT; s++)
        seg_out(&c->seg[s], dst[s]);
    if (!cpu_pm(c) || cpu_v86(c))
        for (int s = 0; s < S_COUNT; s++)
            dst[s]->unusable = 0, dst[s]->present = 1;
    seg_out(&c->ldtr, &sr->ldt);
    seg_out(&c->tr, &sr->tr);
    sr->tr.unusable = 0;
    sr->gdt = (struct kvm_dtable){ .base = c->gdtr.base, .limit = c->gdtr.limit };
    sr->idt = (struct kvm_dtable){ .base = c->idtr.base, .limit = c->idtr.limit };
    sr->cr0 = c->cr0;
    sr->cr2 = c->cr2;
    sr->cr3 = c->cr3;
    sr->cr4 = c->cr4;
    sr->cr8 = 0;
    sr->efer = 0;
    /* KVM shows CPUID's APIC bit as the APIC base's enable bit says:
     * boards without a local APIC get it disabled (the model's static
     * feature list leaves the APIC bit to the board, so it is not asked). */
    sr->apic_base = c->msr.apic_base;
    if (!has_apic)
        sr->apic_base &= ~0x800ull;
    memset(sr->interrupt_bitmap, 0, sizeof sr->interrupt_bitmap);
}

static void sregs_in(struct cpu *c, const struct kvm_sregs *sr, bool k_msr_exits)
{
    const struct kvm_segment *src[S_COUNT] = { &sr->es, &sr->cs, &sr->ss, &sr->ds, &sr->fs, &sr->gs };
    for (int s = 0; s < S_COUNT; s++)
        seg_in(&c->seg[s], src[s]);
    seg_in(&c->ldtr, &sr->ldt);
    seg_in(&c->tr, &sr->tr);
    c->gdtr = (struct dtr){ (uint32_t)sr->gdt.base, sr->gdt.limit };
    c->idtr = (struct dtr){ (uint32_t)sr->idt.base, sr->idt.limit };
    c->cr0 = (uint32_t)sr->cr0;
    c->cr2 = (uint32_t)sr->cr2;
    c->cr3 = (uint32_t)sr->cr3;
    c->cr4 = (uint32_t)sr->cr4;
    /* With MSR exits (or no local APIC) x86lab keeps IA32_APIC_BASE
     * itself (KVM's copy is the one given at the last state load). */
    if (!k_msr_exits)
        c->msr.apic_base = sr->apic_base;
}

/* ---- x87 (KVM keeps FXSAVE layout: registers in stack order, an
 * abridged tag byte) ---- */

static uint16_t tag_of(const uint8_t r[10])
{
    uint16_t exp = (uint16_t)((r[9] & 0x7F) << 8 | r[8]);
    uint64_t mant;
    memcpy(&mant, r, 8);
    if (exp == 0)
        return mant == 0 ? 1 : 2;          /* zero / denormal */
    if (exp == 0x7FFF || !(mant >> 63))
        return 2;                          /* NaN, infinity, unnormal */
    return 0;
}

static void fpu_out(const struct x87 *x, struct kvm_fpu *f)
{
    memset(f, 0, sizeof *f);
    unsigned top = (x->sw >> 11) & 7;
    for (unsigned i = 0; i < 8; i++)
        memcpy(f->fpr[i], x->st[(top + i) & 7], 10);
    f->fcw = x->cw;
    f->fsw = x->sw;
    for (unsigned p = 0; p < 8; p++)
        if (((x->tw >> (2 * p)) & 3) != 3)
            f->ftwx |= (uint8_t)(1u << p);
    f->last_opcode = x->fop;
    f->last_ip = x->fip | (uint64_t)x->fcs << 32;
    f->last_dp = x->fdp | (uint64_t)x->fds << 32;
    f->mxcsr = 0x1F80;
}

static void fpu_in(struct x87 *x, const struct kvm_fpu *f)
{
    x->cw = f->fcw;
    x->sw = f->fsw;
    unsigned top = (x->sw >> 11) & 7;
    for (unsigned i = 0; i < 8; i++)
        memcpy(x->st[(top + i) & 7], f->fpr[i], 10);
    x->tw = 0;
    for (unsigned p = 0; p < 8; p++) {
        uint16_t t = (f->ftwx >> p) & 1 ? tag_of(x->st[p]) : 3;
        x->tw |= (uint16_t)(t << (2 * p));
    }
    x->fop = f->last_opcode;
    x->fip = (uint32_t)f->last_ip;
    x->fcs = (uint16_t)(f->last_ip >> 32);
    x->fdp = (uint32_t)f->last_dp;
    x->fds = (uint16_t)(f->last_dp >> 32);
}

/* ---- MSRs ---- */

enum { NMSR = 4 };
union msr_list {      /* kvm_msrs ends in a flexible array */
    struct kvm_msrs h;
    uint8_t raw[sizeof(struct kvm_msrs) + NMSR * sizeof(struct kvm_msr_entry)];
};

static void msr_index(union msr_list *l)
{
    memset(l, 0, sizeof *l);
    static const uint32_t idx[NMSR] = { MSR_TSC, MSR_SYSENTER_CS, MSR_SYSENTER_ESP,
                                        MSR_SYSENTER_EIP };
    l->h.nmsrs = NMSR;
    for (int i = 0; i < NMSR; i++)
        l->h.entries[i].index = idx[i];
}

/* ---- events ---- */

static void events_out(const struct cpu *c, struct kvm_vcpu_events *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->interrupt.shadow = c->inhibit_irq ? KVM_X86_SHADOW_INT_MOV_SS : 0;
    ev->nmi.pending = c->nmi_pending;
    ev->nmi.masked = c->nmi_blocked;
    ev->flags = KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SHADOW;
}

static void events_in(struct cpu *c, const struct kvm_vcpu_events *ev)
{
    c->inhibit_irq = ev->interrupt.shadow ? 1 : 0;
    c->nmi_pending = ev->nmi.pending || ev->nmi.injected;
    c->nmi_blocked = ev->nmi.masked;
}

static int fail(const char *what)
{
    fprintf(stderr, "x86lab: kvm: %s: %s\n", what, strerror(errno));
    return -1;
}

int kvm_state_in(struct kvm_engine *k)
{
    struct cpu *c = &k->m->cpu;
    int fd = k->vcpu_fd;
    struct kvm_sregs sr;
    if (ioctl(fd, KVM_GET_SREGS, &sr) < 0)
        return fail("KVM_GET_SREGS");
    sregs_out(c, &sr, k->m->has_apic);
    if (ioctl(fd, KVM_SET_SREGS, &sr) < 0)
        return fail("KVM_SET_SREGS");
    struct kvm_regs r = {
        .rax = c->r[R_EAX], .rbx = c->r[R_EBX], .rcx = c->r[R_ECX], .rdx = c->r[R_EDX],
        .rsi = c->r[R_ESI], .rdi = c->r[R_EDI], .rsp = c->r[R_ESP], .rbp = c->r[R_EBP],
        .rip = c->eip, .rflags = cpu_get_eflags(c),
    };
    if (ioctl(fd, KVM_SET_REGS, &r) < 0)
        return fail("KVM_SET_REGS");
    struct kvm_fpu f;
    fpu_out(&c->fpu, &f);
    if (ioctl(fd, KVM_SET_FPU, &f) < 0)
        return fail("KVM_SET_FPU");
    union msr_list ml;
    msr_index(&ml);
    uint64_t v[NMSR] = { cpu_tsc(c), c->msr.sysenter_cs, c->msr.sysenter_esp,
                         c->msr.sysenter_eip };
    for (int i = 0; i < NMSR; i++)
        ml.h.entries[i].data = v[i];
    if (ioctl(fd, KVM_SET_MSRS, &ml) != NMSR)
        return fail("KVM_SET_MSRS");
    struct kvm_debugregs dr = { .dr6 = c->dr[6], .dr7 = c->dr[7] | 0x400 };
    for (int i = 0; i < 4; i++)
        dr.db[i] = c->dr[i];
    if (ioctl(fd, KVM_SET_DEBUGREGS, &dr) < 0)
        return fail("KVM_SET_DEBUGREGS");
    struct kvm_vcpu_events ev;
    events_out(c, &ev);
    if (ioctl(fd, KVM_SET_VCPU_EVENTS, &ev) < 0)
        return fail("KVM_SET_VCPU_EVENTS");
    k->halted = c->halted;
    if (k->irqchip) {
        struct kvm_mp_state mp = { c->halted ? KVM_MP_STATE_HALTED : KVM_MP_STATE_RUNNABLE };
        if (ioctl(fd, KVM_SET_MP_STATE, &mp) < 0)
            return fail("KVM_SET_MP_STATE");
    }
    k->window_known = false;
    if (k->trace_n)
        fprintf(stderr, "kvm-trace: state in: cs=%04x:%08x base %08x cr0=%08x eflags=%08x%s\n",
                c->seg[S_CS].sel, c->eip, c->seg[S_CS].base, c->cr0, cpu_get_eflags(c),
                c->halted ? " halted" : "");
    return kvm_apply_debug(k);
}

/* The inverse of kvm_state_in; the interpreter's caches (TLB, decoded
 * blocks) are dropped since the guest may have changed anything. */
int kvm_state_peek(struct kvm_engine *k)
{
    struct cpu *c = &k->m->cpu;
    struct kvm_regs r;
    struct kvm_sregs sr;
    if (ioctl(k->vcpu_fd, KVM_GET_REGS, &r) < 0 || ioctl(k->vcpu_fd, KVM_GET_SREGS, &sr) < 0)
        return fail("KVM_GET_REGS/SREGS");
    uint64_t g[8] = { r.rax, r.rcx, r.rdx, r.rbx, r.rsp, r.rbp, r.rsi, r.rdi };
    for (int i = 0; i < 8; i++)
        c->r[i] = (uint32_t)g[i];
    c->eip = (uint32_t)r.rip;
    cpu_set_eflags(c, (uint32_t)r.rflags);
    sregs_in(c, &sr, k->msr_exits || !k->m->has_apic);
    cpu_set_cpl(c, !cpu_pm(c) ? 0 : cpu_v86(c) ? 3 : sr.ss.dpl);
    tlb_flush(c, false);
    return 0;
}

int kvm_state_out(struct kvm_engine *k)
{
    struct cpu *c = &k->m->cpu;
    int fd = k->vcpu_fd;
    if (kvm_state_peek(k) < 0)           /* registers, segments, CPL */
        return -1;
    struct kvm_fpu f;
    if (ioctl(fd, KVM_GET_FPU, &f) < 0)
        return fail("KVM_GET_FPU");
    fpu_in(&c->fpu, &f);
    union msr_list ml;
    msr_index(&ml);
    if (ioctl(fd, KVM_GET_MSRS, &ml) != NMSR)
        return fail("KVM_GET_MSRS");
    cpu_set_tsc(c, ml.h.entries[0].data);
    c->msr.sysenter_cs = (uint32_t)ml.h.entries[1].data;
    c->msr.sysenter_esp = (uint32_t)ml.h.entries[2].data;
    c->msr.sysenter_eip = (uint32_t)ml.h.entries[3].data;
    struct kvm_debugregs dr;
    if (ioctl(fd, KVM_GET_DEBUGREGS, &dr) < 0)
        return fail("KVM_GET_DEBUGREGS");
    for (int i = 0; i < 4; i++)
        c->dr[i] = (uint32_t)dr.db[i];
    c->dr[6] = (uint32_t)dr.dr6;
    c->dr[7] = (uint32_t)dr.dr7;
    struct kvm_vcpu_events ev;
    if (ioctl(fd, KVM_GET_VCPU_EVENTS, &ev) < 0)
        return fail("KVM_GET_VCPU_EVENTS");
    events_in(c, &ev);
    c->halted = k->halted;
    if (k->irqchip) {
        struct kvm_mp_state mp;
        if (ioctl(fd, KVM_GET_MP_STATE, &mp) == 0)
            c->halted = mp.mp_state == KVM_MP_STATE_HALTED;
    }
    tlb_flush(c, false);
    icache_flush(c->icache);
    return 0;
}
