/* gdbstub_target.c -- the CPU as gdb sees it: the register file in gdb's
 * i386 numbering (org.gnu.gdb.i386.core: general, EIP, EFLAGS, segment
 * selectors, x87) plus x86lab's system registers (control and debug
 * registers, descriptor-table registers, hidden segment bases and limits),
 * and the target description XML that tells gdb about all of them. */
#include "gdbstub.h"

#include <stdio.h>
#include <string.h>

#include "cpu/seg.h"
#include "debugger/debug.h"
#include "machine/machine.h"

/* gdb's order of the six selectors, as our S_* indices. */
static const int gdb_sreg[6] = { S_CS, S_SS, S_DS, S_ES, S_FS, S_GS };

enum {
    RN_EIP = 8, RN_EFLAGS = 9, RN_SEG = 10, RN_ST0 = 16, RN_FCTRL = 24,
    RN_CR0 = 32, RN_DR0 = 36, RN_GDTR = 42, RN_SEGBASE = 48,
    RN_SEGLIMIT = 54, RN_COUNT = 60,
};

struct reg_desc {
    const char *name;
    unsigned bits;
    const char *type;
    const char *group;       /* NULL: gdb's default for the type */
};

static const struct reg_desc core_regs[32] = {
    { "eax", 32, "int32", NULL }, { "ecx", 32, "int32", NULL },
    { "edx", 32, "int32", NULL }, { "ebx", 32, "int32", NULL },
    { "esp", 32, "data_ptr", NULL }, { "ebp", 32, "data_ptr", NULL },
    { "esi", 32, "int32", NULL }, { "edi", 32, "int32", NULL },
    { "eip", 32, "code_ptr", NULL }, { "eflags", 32, "i386_eflags", NULL },
    { "cs", 32, "int32", NULL }, { "ss", 32, "int32", NULL },
    { "ds", 32, "int32", NULL }, { "es", 32, "int32", NULL },
    { "fs", 32, "int32", NULL }, { "gs", 32, "int32", NULL },
    { "st0", 80, "i387_ext", NULL }, { "st1", 80, "i387_ext", NULL },
    { "st2", 80, "i387_ext", NULL }, { "st3", 80, "i387_ext", NULL },
    { "st4", 80, "i387_ext", NULL }, { "st5", 80, "i387_ext", NULL },
    { "st6", 80, "i387_ext", NULL }, { "st7", 80, "i387_ext", NULL },
    { "fctrl", 32, "int", "float" }, { "fstat", 32, "int", "float" },
    { "ftag", 32, "int", "float" }, { "fiseg", 32, "int", "float" },
    { "fioff", 32, "int", "float" }, { "foseg", 32, "int", "float" },
    { "fooff", 32, "int", "float" }, { "fop", 32, "int", "float" },
};

/* x86lab's feature: what an OS course looks at besides the core. */
static const struct reg_desc sys_regs[RN_COUNT - 32] = {
    { "cr0", 32, "x86lab_cr0", "general" }, { "cr2", 32, "data_ptr", "general" },
    { "cr3", 32, "data_ptr", "general" }, { "cr4", 32, "x86lab_cr4", "general" },
    { "dr0", 32, "data_ptr", "system" }, { "dr1", 32, "data_ptr", "system" },
    { "dr2", 32, "data_ptr", "system" }, { "dr3", 32, "data_ptr", "system" },
    { "dr6", 32, "uint32", "system" }, { "dr7", 32, "uint32", "system" },
    { "gdtr_base", 32, "data_ptr", "system" }, { "gdtr_limit", 32, "uint32", "system" },
    { "idtr_base", 32, "data_ptr", "system" }, { "idtr_limit", 32, "uint32", "system" },
    { "ldtr", 32, "int32", "system" }, { "tr", 32, "int32", "system" },
    { "cs_base", 32, "data_ptr", "system" }, { "ss_base", 32, "data_ptr", "system" },
    { "ds_base", 32, "data_ptr", "system" }, { "es_base", 32, "data_ptr", "system" },
    { "fs_base", 32, "data_ptr", "system" }, { "gs_base", 32, "data_ptr", "system" },
    { "cs_limit", 32, "uint32", "system" }, { "ss_limit", 32, "uint32", "system" },
    { "ds_limit", 32, "uint32", "system" }, { "es_limit", 32, "uint32", "system" },
    { "fs_limit", 32, "uint32", "system" }, { "gs_limit", 32, "uint32", "system" },
};

int gdb_reg_count(void)
{
    return RN_COUNT;
}

static const struct reg_desc *reg_desc(int n)
{
    return n < 32 ? &core_regs[n] : &sys_regs[n - 32];
}

int gdb_reg_size(int n)
{
    return n >= 0 && n < RN_COUNT ? (int)reg_desc(n)->bits / 8 : -1;
}

/* x87 stack register i lives in physical register (TOP + i) mod 8. */
static int st_phys(const struct cpu *c, int i)
{
    return (((c->fpu.sw >> 11) & 7) + i) & 7;
}

static uint32_t fpu_reg(const struct cpu *c, int n)
{
    switch (n) {
    case 0: return c->fpu.cw;
    case 1: return c->fpu.sw;
    case 2: return c->fpu.tw;
    case 3: return c->fpu.fcs;
    case 4: return c->fpu.fip;
    case 5: return c->fpu.fds;
    case 6: return c->fpu.fdp;
    default: return c->fpu.fop;
    }
}

static uint32_t sys_reg(struct cpu *c, int n)
{
    switch (n) {
    case RN_CR0: return c->cr0;
    case RN_CR0 + 1: return c->cr2;
    case RN_CR0 + 2: return c->cr3;
    case RN_CR0 + 3: return c->cr4;
    case RN_GDTR: return c->gdtr.base;
    case RN_GDTR + 1: return c->gdtr.limit;
    case RN_GDTR + 2: return c->idtr.base;
    case RN_GDTR + 3: return c->idtr.limit;
    case RN_GDTR + 4: return c->ldtr.sel;
    case RN_GDTR + 5: return c->tr.sel;
    }
    if (n >= RN_DR0 && n < RN_DR0 + 6) {
        static const int dr[6] = { 0, 1, 2, 3, 6, 7 };
        return c->dr[dr[n - RN_DR0]];
    }
    if (n >= RN_SEGBASE && n < RN_SEGBASE + 6)
        return c->seg[gdb_sreg[n - RN_SEGBASE]].base;
    return c->seg[gdb_sreg[n - RN_SEGLIMIT]].limit;
}

int gdb_reg_get(struct cpu *c, int n, uint8_t *out)
{
    uint32_t v;
    if (n < 0 || n >= RN_COUNT)
        return -1;
    if (n >= RN_ST0 && n < RN_FCTRL) {
        memcpy(out, c->fpu.st[st_phys(c, n - RN_ST0)], 10);
        return 10;
    }
    if (n < 8)
        v = c->r[n];
    else if (n == RN_EIP)
        v = c->eip;
    else if (n == RN_EFLAGS)
        v = cpu_get_eflags(c);
    else if (n < RN_ST0)
        v = c->seg[gdb_sreg[n - RN_SEG]].sel;
    else if (n < RN_CR0)
        v = fpu_reg(c, n - RN_FCTRL);
    else
        v = sys_reg(c, n);
    for (int k = 0; k < 4; k++)
        out[k] = (uint8_t)(v >> (8 * k));
    return 4;
}

/* A selector written from gdb: real and virtual-8086 mode compute the
 * base; protected mode reads the descriptor (without the checks a MOV
 * would make: the debugger may do what the guest may not). */
static int set_selector(struct machine *m, struct cpu *c, int s, uint16_t sel)
{
    if (!cpu_pm(c) || cpu_v86(c)) {
        seg_set_real(c, s, sel);
        return 0;
    }
    if ((sel & ~3u) == 0 && s != S_CS && s != S_SS) {
        seg_set_cache(&c->seg[s], sel, 0, 0, 0);
        return 0;
    }
    const struct dtr *t = (sel & 4) ? &(struct dtr){ c->ldtr.base, (uint16_t)c->ldtr.limit }
                                    : &c->gdtr;
    struct descriptor d;
    uint8_t raw[8];
    if ((uint32_t)(sel & ~7u) + 7 > t->limit ||
        debug_read_lin(m, t->base + (sel & ~7u), raw, 8) != 8)
        return -1;
    d.lo = raw[0] | raw[1] << 8 | raw[2] << 16 | (uint32_t)raw[3] << 24;
    d.hi = raw[4] | raw[5] << 8 | raw[6] << 16 | (uint32_t)raw[7] << 24;
    desc_decode(&d);
    seg_set_cache(&c->seg[s], sel, d.base, d.limit, d.ar);
    if (s == S_CS)
        cpu_set_cpl(c, sel & 3);
    return 0;
}

static void set_sys_reg(struct cpu *c, int n, uint32_t v)
{
    switch (n) {
    case RN_CR0 + 1: c->cr2 = v; return;
    case RN_GDTR: c->gdtr.base = v; return;
    case RN_GDTR + 1: c->gdtr.limit = (uint16_t)v; return;
    case RN_GDTR + 2: c->idtr.base = v; return;
    case RN_GDTR + 3: c->idtr.limit = (uint16_t)v; return;
    }
    if (n >= RN_DR0 && n < RN_DR0 + 6) {
        static const int dr[6] = { 0, 1, 2, 3, 6, 7 };
        c->dr[dr[n - RN_DR0]] = v;
    }
}

static void set_fpu_reg(struct cpu *c, int n, uint32_t v)
{
    switch (n) {
    case 0: c->fpu.cw = (uint16_t)v; break;
    case 1: c->fpu.sw = (uint16_t)v; break;
    case 2: c->fpu.tw = (uint16_t)v; break;
    case 3: c->fpu.fcs = (uint16_t)v; break;
    case 4: c->fpu.fip = v; break;
    case 5: c->fpu.fds = (uint16_t)v; break;
    case 6: c->fpu.fdp = v; break;
    default: c->fpu.fop = (uint16_t)v; break;
    }
}

/* Registers whose change would need the CPU's own checks and side
 * effects (CR0/CR3/CR4 flush the TLB, change modes; LDTR/TR and the hidden
 * parts come from descriptors) are read-only to gdb: a write of the same
 * value is accepted, another fails with E01. */
int gdb_reg_set(struct machine *m, struct cpu *c, int n, const uint8_t *in)
{
    if (n < 0 || n >= RN_COUNT)
        return -1;
    if (n >= RN_ST0 && n < RN_FCTRL) {
        memcpy(c->fpu.st[st_phys(c, n - RN_ST0)], in, 10);
        return 0;
    }
    uint32_t v = in[0] | in[1] << 8 | in[2] << 16 | (uint32_t)in[3] << 24;
    uint8_t now[4];
    gdb_reg_get(c, n, now);
    if (!memcmp(now, in, 4))
        return 0;
    if (n < 8)
        c->r[n] = v;
    else if (n == RN_EIP)
        c->eip = v;
    else if (n == RN_EFLAGS)
        cpu_set_eflags(c, v);
    else if (n < RN_ST0)
        return set_selector(m, c, gdb_sreg[n - RN_SEG], (uint16_t)v);
    else if (n < RN_CR0)
        set_fpu_reg(c, n - RN_FCTRL, v);
    else if (n == RN_CR0 + 1 || (n >= RN_DR0 && n < RN_GDTR + 4))
        set_sys_reg(c, n, v);
    else
        return -1;
    return 0;
}

/* ---- the target description ---- */

/* Appends s to the buffer [*p, end), cutting at its end. */
static void put_str(char **p, char *end, const char *s)
{
    size_t n = strlen(s), room = (size_t)(end - *p);
    if (room == 0)
        return;
    if (n >= room)
        n = room - 1;
    memcpy(*p, s, n);
    *p += n;
    **p = 0;
}

/* A flags type: bit names from bit 0 up, NULL for an unnamed bit. */
static void put_flags(char **p, char *end, const char *id, const char *const *names, int n)
{
    char head[80];
    snprintf(head, sizeof head, "<flags id=\"%s\" size=\"4\">\n", id);
    put_str(p, end, head);
    for (int k = 0; k < n; k++)
        if (names[k]) {
            char f[96];
            snprintf(f, sizeof f, "<field name=\"%s\" start=\"%d\" end=\"%d\"/>\n",
                     names[k], k, k);
            put_str(p, end, f);
        }
    put_str(p, end, "</flags>\n");
}

static void put_regs(char **p, char *end, const struct reg_desc *r, int n, int first)
{
    for (int k = 0; k < n; k++) {
        char line[160];
        snprintf(line, sizeof line, "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%d\"%s%s%s/>\n",
                 r[k].name, r[k].bits, r[k].type, first + k,
                 r[k].group ? " group=\"" : "", r[k].group ? r[k].group : "",
                 r[k].group ? "\"" : "");
        put_str(p, end, line);
    }
}

size_t gdb_target_xml(char *buf, size_t cap)
{
    static const char *const eflags[22] = {
        "CF", "", "PF", NULL, "AF", NULL, "ZF", "SF", "TF", "IF", "DF", "OF",
        NULL, NULL, "NT", NULL, "RF", "VM", "AC", "VIF", "VIP", "ID",
    };
    static const char *const cr0[32] = {
        "PE", "MP", "EM", "TS", "ET", "NE", [16] = "WP", [18] = "AM",
        [29] = "NW", [30] = "CD", [31] = "PG",
    };
    static const char *const cr4[11] = {
        "VME", "PVI", "TSD", "DE", "PSE", "PAE", "MCE", "PGE", "PCE",
        "OSFXSR", "OSXMMEXCPT",
    };
    char *p = buf, *end = buf + cap;
    put_str(&p, end, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
            "<target version=\"1.0\">\n<architecture>i386</architecture>\n"
            "<feature name=\"org.gnu.gdb.i386.core\">\n");
    put_flags(&p, end, "i386_eflags", eflags, 22);
    put_regs(&p, end, core_regs, 32, 0);
    put_str(&p, end, "</feature>\n<feature name=\"org.x86lab.i386.sys\">\n");
    put_flags(&p, end, "x86lab_cr0", cr0, 32);
    put_flags(&p, end, "x86lab_cr4", cr4, 11);
    put_regs(&p, end, sys_regs, RN_COUNT - 32, 32);
    put_str(&p, end, "</feature>\n</target>\n");
    return (size_t)(p - buf);
}
