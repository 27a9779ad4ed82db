/* cpuid.h -- what each CPU model has: CPUID values, the CR4 bits and MSRs
 * it implements, the time-stamp counter, and the CPL 0 check shared by
 * the system instructions (system.c, cpuid.c, msr.c). */
#ifndef X86LAB_CPUID_H
#define X86LAB_CPUID_H

#include <stdint.h>

#include "cpu.h"

/* CPUID leaf 1 EDX feature bits. */
enum {
    CPUID_FPU = 1u << 0, CPUID_VME = 1u << 1, CPUID_DE = 1u << 2,
    CPUID_PSE = 1u << 3, CPUID_TSC = 1u << 4, CPUID_MSR = 1u << 5,
    CPUID_PAE = 1u << 6, CPUID_MCE = 1u << 7, CPUID_CX8 = 1u << 8,
    CPUID_APIC = 1u << 9, CPUID_SEP = 1u << 11, CPUID_MTRR = 1u << 12,
    CPUID_PGE = 1u << 13, CPUID_MCA = 1u << 14, CPUID_CMOV = 1u << 15,
    CPUID_FXSR = 1u << 24,
};

/* MSR numbers we implement. */
enum {
    MSR_TSC = 0x10, MSR_P5_CESR = 0x11, MSR_P5_CTR0 = 0x12, MSR_P5_CTR1 = 0x13,
    MSR_APIC_BASE = 0x1B, MSR_BIOS_SIGN_ID = 0x8B,
    MSR_PERFCTR0 = 0xC1, MSR_PERFCTR1 = 0xC2,
    MSR_SYSENTER_CS = 0x174, MSR_SYSENTER_ESP = 0x175, MSR_SYSENTER_EIP = 0x176,
    MSR_PERFEVTSEL0 = 0x186, MSR_PERFEVTSEL1 = 0x187,
};

/* The processor signature: CPUID.1:EAX, and EDX after reset. */
uint32_t cpuid_signature(enum cpu_model model);
/* CPUID.1:EDX for the model: only what this emulator implements. */
uint32_t cpuid_features(enum cpu_model model);
/* The values CPUID returns for leaf: out = EAX, EBX, ECX, EDX. */
void cpuid_query(const struct cpu *c, uint32_t leaf, uint32_t out[4]);
/* CR4 bits MOV CR4 accepts on this model (0: the model has no CR4). */
uint32_t cpu_cr4_bits(enum cpu_model model);

/* The time-stamp counter advances by one per retired instruction, so runs
 * are deterministic; cpu_tsc brings c->tsc up to date and returns it. */
uint64_t cpu_tsc(struct cpu *c);
/* RDMSR/WRMSR of MSR n for the model (msr.c); false: #GP(0). */
bool cpu_msr_read(struct cpu *c, uint32_t n, uint64_t *v);
bool cpu_msr_write(struct cpu *c, uint32_t n, uint64_t v);
void cpu_set_tsc(struct cpu *c, uint64_t value);

/* Privileged instructions: #GP(0) in protected mode unless CPL is 0, and
 * always in virtual-8086 mode (CPL 3 there).  Real mode runs at CPL 0. */
static inline void require_cpl0(struct cpu *c)
{
    if (cpu_pm(c) && (c->cpl != 0 || cpu_v86(c)))
        cpu_fault(c, EXC_GP, 0);
}

#endif
