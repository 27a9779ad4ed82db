/* nanobench.c -- the operations of examples/nanobench (the region names
 * its kernel marks) and how they line up with the nanobenchmarks of Adams
 * and Agesen's comparison of software and hardware x86 virtualization. */
#include "compare/compare_int.h"

#include <string.h>

const struct nano_op nano_ops[] = {
    { "int80",     "INT 0x80 system call round trip from ring 3", "syscall" },
    { "sysenter",  "SYSENTER/SYSEXIT round trip from ring 3", NULL },
    { "in",        "IN from an emulated device (PIC mask, port 0x21)", "in" },
    { "out",       "OUT to an emulated device (POST port 0x80)", NULL },
    { "cr3",       "CR3 write (address-space switch)", NULL },
    { "ptemod",    "page-table entry write + INVLPG", "ptemod" },
    { "pgfault",   "page fault taken by the kernel and returned from", "pgfault" },
    { "divzero",   "divide error taken and returned from", "divzero" },
    { "callret",   "CALL and RET", "call/ret" },
    { "clisti",    "CLI then STI", NULL },
    { "pushfpopf", "PUSHF then POPF", NULL },
    { "cpuid",     "CPUID (leaf 0)", NULL },
    { "hypercall", "hypercall: OUT to port 0x520 (call 0, info)", NULL },
};
const int nano_nops = sizeof nano_ops / sizeof nano_ops[0];

const char *const nano_paper_citation =
    "K. Adams and O. Agesen, \"A Comparison of Software and Hardware Techniques for x86 "
    "Virtualization\", ASPLOS XII, 2006 (the nanobenchmark figure: syscall, in, cr8wr, "
    "call/ret, pgfault, divzero, ptemod; native, software VMM and hardware VMM on a "
    "Pentium 4). Online copy: http://docplayer.net/114485-A-comparison-of-software-and-"
    "hardware-techniques-for-x86-virtualization.html";

/* Said wherever the paper's column would be. */
const char *const nano_paper_note =
    "The paper gives its figures as a bar chart in CPU cycles. The exact values were not "
    "available in the references x86lab's authors could consult, so they are not reproduced "
    "here (no figure is better than an invented one): read them in the paper. The column "
    "names the paper's benchmark each of ours corresponds to. Its cr8wr (a write of the "
    "64-bit task-priority register CR8) has no 32-bit equivalent; our cr3 write is the "
    "nearest privileged register write.";

const struct region_result *find_region(const struct engine_result *e, const char *name)
{
    for (int k = 0; k < e->nregions; k++)
        if (!strcmp(e->regions[k].name, name))
            return &e->regions[k];
    return NULL;
}

const struct native_op *find_native(const struct comparison *c, const char *op)
{
    for (int k = 0; c->have_native && k < c->native.n; k++)
        if (!strcmp(c->native.ops[k].op, op))
            return &c->native.ops[k];
    return NULL;
}

bool nano_present(const struct comparison *c)
{
    for (int k = 0; k < ENGINE_COUNT; k++)
        if (c->eng[k].ran && find_region(&c->eng[k], nano_ops[0].region))
            return true;
    return false;
}

uint64_t sum_u64(const uint64_t *v, int n)
{
    uint64_t s = 0;
    for (int k = 0; k < n; k++)
        s += v[k];
    return s;
}

int ran_engines(const struct comparison *c, const struct engine_result *out[ENGINE_COUNT])
{
    int n = 0;
    for (int k = 0; k < ENGINE_COUNT; k++)
        if (c->eng[k].ran)
            out[n++] = &c->eng[k];
    return n;
}
