/* views_regs.c -- the register view: general registers, EFLAGS decoded,
 * segment registers with their hidden descriptor caches decoded, control
 * registers with named bits, descriptor-table registers; and `set`. */
#include "monitor.h"

#include <string.h>

static void flag_names(FILE *out, uint32_t v, const char *const *names, int nbits)
{
    fprintf(out, "[");
    for (int b = nbits - 1; b >= 0; b--)
        if ((v >> b & 1) && names[b] && names[b][0])
            fprintf(out, " %s", names[b]);
    fprintf(out, " ]");
}

static void show_eflags(FILE *out, uint32_t f)
{
    static const char *const names[22] = {
        "CF", "", "PF", "", "AF", "", "ZF", "SF", "TF", "IF", "DF", "OF",
        "", "", "NT", "", "RF", "VM", "AC", "VIF", "VIP", "ID",
    };
    fprintf(out, "eflags=%08x ", f);
    flag_names(out, f, names, 22);
    fprintf(out, " IOPL=%u\n", (f >> 12) & 3);
}

/* "code exec/read, accessed, dpl 0, present, 32-bit, 4K-granular" */
void mon_describe_ar(char *buf, size_t len, uint16_t ar)
{
    unsigned type = ar & AR_TYPE;
    const char *what;
    if (!(ar & AR_S)) {
        static const char *const sys[16] = {
            "reserved", "16-bit TSS (available)", "LDT", "16-bit TSS (busy)",
            "16-bit call gate", "task gate", "16-bit interrupt gate", "16-bit trap gate",
            "reserved", "32-bit TSS (available)", "reserved", "32-bit TSS (busy)",
            "32-bit call gate", "reserved", "32-bit interrupt gate", "32-bit trap gate",
        };
        what = sys[type];
    } else if (type & AR_CODE) {
        static const char *const code[4] = { "code exec-only", "code exec/read",
                                             "code exec-only conforming", "code exec/read conforming" };
        what = code[(type >> 1) & 3];
    } else {
        static const char *const data[4] = { "data read-only", "data read/write",
                                             "data read-only expand-down", "data read/write expand-down" };
        what = data[(type >> 1) & 3];
    }
    snprintf(buf, len, "%s%s, dpl %u, %s%s%s", what,
             (ar & AR_S) && (ar & AR_ACCESSED) ? ", accessed" : "", (ar & AR_DPL) >> 5,
             (ar & AR_P) ? "present" : "NOT present",
             (ar & AR_S) ? ((ar & AR_DB) ? ", 32-bit" : ", 16-bit") : "",
             (ar & AR_G) ? ", 4K-granular" : "");
}

static void show_seg(FILE *out, const char *name, const struct seg *s)
{
    char desc[160];
    mon_describe_ar(desc, sizeof desc, s->ar);
    fprintf(out, "%-4s=%04x base=%08x limit=%08x ar=%04x %s\n", name, s->sel, s->base,
            s->limit, s->ar, desc);
}

static void show_cr(FILE *out, const struct cpu *c)
{
    static const char *const cr0[32] = {
        "PE", "MP", "EM", "TS", "ET", "NE", [16] = "WP", [18] = "AM",
        [29] = "NW", [30] = "CD", [31] = "PG",
    };
    static const char *const cr4[11] = {
        "VME", "PVI", "TSD", "DE", "PSE", "PAE", "MCE", "PGE", "PCE", "OSFXSR", "OSXMMEXCPT",
    };
    fprintf(out, "cr0=%08x ", c->cr0);
    flag_names(out, c->cr0, cr0, 32);
    fprintf(out, "\ncr2=%08x cr3=%08x (page directory at 0x%08x%s%s)\ncr4=%08x ", c->cr2,
            c->cr3, c->cr3 & ~0xFFFu, (c->cr3 & 8) ? ", PWT" : "", (c->cr3 & 16) ? ", PCD" : "",
            c->cr4);
    flag_names(out, c->cr4, cr4, 11);
    fprintf(out, "\n");
}

static const char *mode_of(const struct cpu *c)
{
    if (!cpu_pm(c))
        return "real mode";
    if (cpu_v86(c))
        return "virtual-8086 mode";
    return (c->seg[S_CS].ar & AR_DB) ? "protected mode, 32-bit code" : "protected mode, 16-bit code";
}

static int cmd_registers(struct machine *m, FILE *out, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct cpu *c = &m->cpu;
    static const char *const segs[S_COUNT] = { "es", "cs", "ss", "ds", "fs", "gs" };
    char a[96];
    fprintf(out, "eax=%08x ebx=%08x ecx=%08x edx=%08x\n", c->r[R_EAX], c->r[R_EBX],
            c->r[R_ECX], c->r[R_EDX]);
    fprintf(out, "esi=%08x edi=%08x ebp=%08x esp=%08x\n", c->r[R_ESI], c->r[R_EDI],
            c->r[R_EBP], c->r[R_ESP]);
    fprintf(out, "eip=%08x (linear %s)  cpl=%u  %s%s\n", c->eip, mon_addr(m, debug_pc(m), a, sizeof a),
            c->cpl, mode_of(c), (c->cr0 & CR0_PG) ? ", paging" : "");
    show_eflags(out, cpu_get_eflags(c));
    for (int s = 0; s < S_COUNT; s++)
        show_seg(out, segs[s], &c->seg[s]);
    show_seg(out, "ldtr", &c->ldtr);
    show_seg(out, "tr", &c->tr);
    fprintf(out, "gdtr base=%08x limit=%04x   idtr base=%08x limit=%04x\n", c->gdtr.base,
            c->gdtr.limit, c->idtr.base, c->idtr.limit);
    show_cr(out, c);
    if (c->dr[7] & 0xFF)
        fprintf(out, "dr0=%08x dr1=%08x dr2=%08x dr3=%08x dr6=%08x dr7=%08x\n", c->dr[0],
                c->dr[1], c->dr[2], c->dr[3], c->dr[6], c->dr[7]);
    return -1;
}

/* set REG=VALUE (general registers, eip, eflags): the engine takes the
 * state again before it runs (machine_cpu_changed in the core). */
static int cmd_set(struct machine *m, FILE *out, int argc, char **argv)
{
    static const char *const r32[] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
    char text[160], name[16];
    mon_join(argc, argv, 1, text, sizeof text);
    char *eq = strchr(text, '=');
    if (!eq || eq - text >= (long)sizeof name) {
        fprintf(out, "set: REG=VALUE (set eax=5)\n");
        return -1;
    }
    snprintf(name, sizeof name, "%.*s", (int)(eq - text), text);
    name[strcspn(name, " ")] = 0;
    uint32_t v;
    if (mon_eval(m, out, eq + 1, &v) < 0)
        return -1;
    struct cpu *c = &m->cpu;
    for (int k = 0; k < 8; k++)
        if (!strcmp(name, r32[k])) {
            c->r[k] = v;
            machine_cpu_changed(m);
            return -1;
        }
    if (!strcmp(name, "eip"))
        c->eip = v;
    else if (!strcmp(name, "eflags"))
        cpu_set_eflags(c, v);
    else {
        fprintf(out, "set: only eax..edi, eip and eflags can be set\n");
        return -1;
    }
    machine_cpu_changed(m);
    return -1;
}

const struct mon_cmd mon_view_cmds[] = {
    { "registers", "r", cmd_registers, "registers",
      "general registers, EFLAGS, segment registers with their descriptor caches,\n"
      "GDTR/IDTR, control registers with named bits" },
    { "set", NULL, cmd_set, "set REG=EXPR", "change a general register, eip or eflags" },
    { NULL, NULL, NULL, NULL, NULL },
};
