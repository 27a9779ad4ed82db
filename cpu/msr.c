/* msr.c -- model-specific registers (RDMSR, WRMSR), the time-stamp counter
 * (RDTSC), the performance counters (RDPMC) and the fast system calls
 * (SYSENTER, SYSEXIT), whose targets are MSRs. */
#include "cpuid.h"
#include "insn.h"
#include "seg.h"

/* ---- time-stamp counter ---- */

/* One tick per retired instruction: deterministic, and monotonic because
 * an instruction retires between any two reads. */
uint64_t cpu_tsc(struct cpu *c)
{
    c->tsc += c->count.insns - c->tsc_insns;
    c->tsc_insns = c->count.insns;
    return c->tsc;
}

void cpu_set_tsc(struct cpu *c, uint64_t value)
{
    c->tsc = value;
    c->tsc_insns = c->count.insns;
}

static void set_edx_eax(struct cpu *c, uint64_t v)
{
    c->r[R_EAX] = (uint32_t)v;
    c->r[R_EDX] = (uint32_t)(v >> 32);
}

/* CR4.TSD restricts RDTSC to CPL 0. */
void rdtsc(struct cpu *c, const struct insn *i)
{
    (void)i;
    if (c->cr4 & CR4_TSD)
        require_cpl0(c);
    set_edx_eax(c, cpu_tsc(c));
}

/* ---- MSRs ---- */

enum { CTR_MASK40 = 0xFFFFFFFFFFull };

/* P6 counters are written through their low 32 bits, sign-extended to 40. */
static uint64_t p6_counter(uint64_t v)
{
    return (uint64_t)(int64_t)(int32_t)(uint32_t)v & CTR_MASK40;
}

/* APIC_BASE: BSP (bit 8, read-only), enable (bit 11), base (bits 12-35). */
enum { APIC_BSP = 0x100, APIC_WRITABLE = 0xFFFFFF800ull };

static bool pentium_msr_read(struct cpu *c, uint32_t n, uint64_t *v)
{
    switch (n) {
    case MSR_P5_CESR: *v = c->msr.perfevtsel[0]; return true;
    case MSR_P5_CTR0: *v = c->msr.perfctr[0]; return true;
    case MSR_P5_CTR1: *v = c->msr.perfctr[1]; return true;
    }
    return false;
}

static bool p6_msr_read(struct cpu *c, uint32_t n, uint64_t *v)
{
    switch (n) {
    case MSR_APIC_BASE: *v = c->msr.apic_base; return true;
    case MSR_BIOS_SIGN_ID: *v = 0; return true;   /* no microcode update */
    case MSR_PERFCTR0: *v = c->msr.perfctr[0]; return true;
    case MSR_PERFCTR1: *v = c->msr.perfctr[1]; return true;
    case MSR_SYSENTER_CS: *v = c->msr.sysenter_cs; return true;
    case MSR_SYSENTER_ESP: *v = c->msr.sysenter_esp; return true;
    case MSR_SYSENTER_EIP: *v = c->msr.sysenter_eip; return true;
    case MSR_PERFEVTSEL0: *v = c->msr.perfevtsel[0]; return true;
    case MSR_PERFEVTSEL1: *v = c->msr.perfevtsel[1]; return true;
    }
    return false;
}

static bool msr_read(struct cpu *c, uint32_t n, uint64_t *v)
{
    if (n == MSR_TSC) {
        *v = cpu_tsc(c);
        return true;
    }
    if (c->model == CPU_PENTIUM)
        return pentium_msr_read(c, n, v);
    return c->model == CPU_P6 && p6_msr_read(c, n, v);
}

static bool pentium_msr_write(struct cpu *c, uint32_t n, uint64_t v)
{
    switch (n) {
    case MSR_TSC: cpu_set_tsc(c, v); return true;
    case MSR_P5_CESR: c->msr.perfevtsel[0] = (uint32_t)v & 0x03FF03FFu; return true;
    case MSR_P5_CTR0: c->msr.perfctr[0] = v & CTR_MASK40; return true;
    case MSR_P5_CTR1: c->msr.perfctr[1] = v & CTR_MASK40; return true;
    }
    return false;
}

static bool p6_msr_write(struct cpu *c, uint32_t n, uint64_t v)
{
    switch (n) {
    case MSR_TSC:
        cpu_set_tsc(c, (uint32_t)v);   /* P6: the high half is cleared */
        return true;
    case MSR_APIC_BASE:
        if (v & ~(APIC_WRITABLE | APIC_BSP))
            return false;
        c->msr.apic_base = (v & APIC_WRITABLE) | (c->msr.apic_base & APIC_BSP);
        if (c->apic_base_written)
            c->apic_base_written(c->apic_opaque, c->msr.apic_base);
        return true;
    case MSR_BIOS_SIGN_ID: return true;    /* CPUID would load revision 0 */
    case MSR_PERFCTR0: c->msr.perfctr[0] = p6_counter(v); return true;
    case MSR_PERFCTR1: c->msr.perfctr[1] = p6_counter(v); return true;
    case MSR_SYSENTER_CS: c->msr.sysenter_cs = (uint32_t)v; return true;
    case MSR_SYSENTER_ESP: c->msr.sysenter_esp = (uint32_t)v; return true;
    case MSR_SYSENTER_EIP: c->msr.sysenter_eip = (uint32_t)v; return true;
    case MSR_PERFEVTSEL0: c->msr.perfevtsel[0] = (uint32_t)v; return true;
    case MSR_PERFEVTSEL1: c->msr.perfevtsel[1] = (uint32_t)v; return true;
    }
    return false;
}

static bool msr_write(struct cpu *c, uint32_t n, uint64_t v)
{
    if (c->model == CPU_PENTIUM)
        return pentium_msr_write(c, n, v);
    return c->model == CPU_P6 && p6_msr_write(c, n, v);
}

/* The model's MSRs as RDMSR/WRMSR see them, for an engine that meets
 * those instructions elsewhere (KVM's MSR exits); false: #GP(0). */
bool cpu_msr_read(struct cpu *c, uint32_t n, uint64_t *v) { return msr_read(c, n, v); }
bool cpu_msr_write(struct cpu *c, uint32_t n, uint64_t v) { return msr_write(c, n, v); }

/* Unknown MSRs are #GP(0). */
void rdmsr(struct cpu *c, const struct insn *i)
{
    (void)i;
    require_cpl0(c);
    uint64_t v = 0;   /* set by msr_read; gcc -O1 cannot see it through the switch */
    if (!msr_read(c, c->r[R_ECX], &v))
        cpu_fault(c, EXC_GP, 0);
    set_edx_eax(c, v);
}

void wrmsr(struct cpu *c, const struct insn *i)
{
    (void)i;
    require_cpl0(c);
    uint64_t v = ((uint64_t)c->r[R_EDX] << 32) | c->r[R_EAX];
    if (!msr_write(c, c->r[R_ECX], v))
        cpu_fault(c, EXC_GP, 0);
}

/* The P6's two counters, at any CPL when CR4.PCE is set.  They hold what
 * software writes to them: no events are counted. */
void rdpmc(struct cpu *c, const struct insn *i)
{
    (void)i;
    if (!(c->cr4 & CR4_PCE))
        require_cpl0(c);
    uint32_t n = c->r[R_ECX];
    if (n > 1)
        cpu_fault(c, EXC_GP, 0);
    set_edx_eax(c, c->msr.perfctr[n] & CTR_MASK40);
}

/* ---- SYSENTER / SYSEXIT ---- */

/* The flat 4 GiB segments both instructions load, whatever the GDT says. */
static void flat_segments(struct cpu *c, uint16_t cs, unsigned dpl)
{
    uint16_t common = AR_P | AR_S | AR_ACCESSED | AR_DB | AR_G | (uint16_t)(dpl << 5);
    seg_set_cache(&c->seg[S_CS], cs, 0, 0xFFFFFFFFu, common | AR_CODE | AR_R);
    seg_set_cache(&c->seg[S_SS], (uint16_t)(cs + 8), 0, 0xFFFFFFFFu, common | AR_W);
    cpu_set_cpl(c, dpl);
}

void sysenter(struct cpu *c, const struct insn *i)
{
    (void)i;
    uint16_t cs = (uint16_t)(c->msr.sysenter_cs & 0xFFFC);
    if (!cpu_pm(c) || cs == 0)
        cpu_fault(c, EXC_GP, 0);
    c->eflags &= ~(uint32_t)(F_VM | F_IF | F_RF);
    flat_segments(c, cs, 0);
    c->r[R_ESP] = c->msr.sysenter_esp;
    c->eip = c->msr.sysenter_eip;
}

void sysexit(struct cpu *c, const struct insn *i)
{
    (void)i;
    uint16_t cs = (uint16_t)(c->msr.sysenter_cs & 0xFFFC);
    if (!cpu_pm(c) || cs == 0)
        cpu_fault(c, EXC_GP, 0);
    require_cpl0(c);
    flat_segments(c, (uint16_t)((cs + 16) | 3), 3);
    c->r[R_ESP] = c->r[R_ECX];
    c->eip = c->r[R_EDX];
}
