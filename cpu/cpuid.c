/* cpuid.c -- CPUID, answered honestly per model: the feature bits name
 * only what this emulator implements, so a guest never relies on a
 * feature that is not there.  Also the CR4 bits each model accepts. */
#include "cpuid.h"

#include "insn.h"

/* Family/model/stepping; cpu_reset leaves the same value in EDX.
 * The 286 and 386 have no CPUID. */
uint32_t cpuid_signature(enum cpu_model model)
{
    switch (model) {
    case CPU_486: return 0x0421;       /* family 4 (486SX: no FPU) */
    case CPU_PENTIUM: return 0x0543;   /* family 5 */
    case CPU_P6: return 0x0633;        /* family 6, model 3 */
    default: return 0;
    }
}

/* The FPU (x87*.c) on the Pentium and P6, and FXSAVE/FXRSTOR (FXSR) on
 * the P6.  No VME, PAE, MCE, MTRR, MMX or SSE (APIC: cpuid_query).  The 486 model is a
 * 486SX (signature 0421: no FPU) and has no CR4, so no DE or PSE, and no
 * TSC or MSRs. */
uint32_t cpuid_features(enum cpu_model model)
{
    uint32_t pentium = CPUID_FPU | CPUID_DE | CPUID_PSE | CPUID_TSC | CPUID_MSR |
                       CPUID_CX8;
    switch (model) {
    case CPU_PENTIUM: return pentium;
    case CPU_P6: return pentium | CPUID_SEP | CPUID_PGE | CPUID_CMOV | CPUID_FXSR;
    default: return 0;
    }
}

/* The CR4 bits behind the features above: TSD, DE and PSE on the
 * Pentium; PGE, PCE (RDPMC at CPL > 0) and OSFXSR (FXSAVE/FXRSTOR save
 * the opaque SSE state too) on the P6.  VME, PVI, PAE and
 * MCE exist on real parts but not here, so setting them is #GP(0). */
uint32_t cpu_cr4_bits(enum cpu_model model)
{
    uint32_t pentium = CR4_TSD | CR4_DE | CR4_PSE;
    switch (model) {
    case CPU_PENTIUM: return pentium;
    case CPU_P6: return pentium | CR4_PGE | CR4_PCE | CR4_OSFXSR;
    default: return 0;
    }
}

static uint32_t max_leaf(enum cpu_model model)
{
    return model == CPU_P6 ? 2 : 1;
}

/* Leaves beyond the highest one (extended leaves included: these parts
 * have none) return the highest basic leaf, as Intel processors do. */
void cpuid_query(const struct cpu *c, uint32_t leaf, uint32_t out[4])
{
    uint32_t top = max_leaf(c->model);
    if (leaf > top)
        leaf = top;
    out[0] = out[1] = out[2] = out[3] = 0;
    switch (leaf) {
    case 0:
        out[0] = top;
        out[1] = 0x756E6547;   /* "Genu" */
        out[3] = 0x49656E69;   /* "ineI" */
        out[2] = 0x6C65746E;   /* "ntel" */
        break;
    case 1:
        out[0] = cpuid_signature(c->model);
        out[3] = cpuid_features(c->model);
        /* The local APIC: only with the board's APIC, globally enabled. */
        if (c->apic_base_written && (c->msr.apic_base & 0x800))
            out[3] |= CPUID_APIC;
        /* Each CPU's initial APIC ID (-smp): separate single-core
         * packages, so no HTT bit and no logical-processor count. */
        if (c->apic_base_written)
            out[1] = (uint32_t)c->initial_apic_id << 24;
        break;
    case 2:
        /* One iteration (AL = 1) and only null descriptors: no cache or
         * TLB information, as there are no caches to describe. */
        out[0] = 1;
        break;
    }
}

void cpuid(struct cpu *c, const struct insn *i)
{
    (void)i;
    uint32_t out[4];
    cpuid_query(c, c->r[R_EAX], out);
    c->r[R_EAX] = out[0];
    c->r[R_EBX] = out[1];
    c->r[R_ECX] = out[2];
    c->r[R_EDX] = out[3];
}
