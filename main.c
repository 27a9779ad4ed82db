/* main.c -- the x86lab command line: parse options, build the machine,
 * load the guest, run it and report how it stopped. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "machine/machine.h"

enum { MAX_LOADS = 8 };

struct load {
    const char *path;
    uint32_t addr;
    uint64_t skip;
};

struct options {
    struct machine_config cfg;
    struct load loads[MAX_LOADS];
    int nloads;
    int entry_mode;            /* 0 reset vector, 1 real CS:IP, 2 flat 32-bit */
    uint16_t entry_cs;
    uint32_t entry_ip;
    uint64_t max_insns;
    int stats;
    const char *debugcon;
};

static void usage(FILE *f)
{
    fputs(
"usage: x86lab [options]\n"
"x86lab emulates a PC/AT with a 32-bit x86 CPU (interpreter engine).\n"
"\n"
"Machine:\n"
"  -m MB                  guest RAM in MiB (1-3072, default 128)\n"
"  --cpu=MODEL            286, 386, 486, pentium, p6 (default p6)\n"
"\n"
"Loading a flat guest binary:\n"
"  --load FILE@ADDR[,skip=N]  copy FILE (from byte N) to physical ADDR\n"
"  --entry SEG:OFF        start in real mode at SEG:OFF\n"
"  --entry32 ADDR         start in flat 32-bit protected mode at ADDR\n"
"                         (default: the reset vector F000:FFF0)\n"
"\n"
"Devices:\n"
"  -debugcon stdio|file:F|none   port 0xE9 output (default stdio)\n"
"  (port 0xF4 ends the run with exit status value*2+1)\n"
"\n"
"Running and reporting:\n"
"  --max-insns N          stop after N guest instructions (exit status 4)\n"
"  --deterministic        virtual time follows retired instructions, so\n"
"                         every run is identical\n"
"  -no-reboot             a triple fault or reset request ends the run\n"
"                         (always so until x86lab has firmware)\n"
"  --stats                print instruction and exception counts at exit\n"
"  -h, --help             this text\n"
"\n"
"Exit status: the exit port's value*2+1; 0 when the guest halts with\n"
"interrupts off or asks for a reset; 3 on a triple fault; 4 at the\n"
"instruction limit; 5 when it waits for an interrupt that cannot come;\n"
"2 for a bad option or file.\n", f);
}

static int fail(const char *fmt, const char *arg)
{
    fprintf(stderr, "x86lab: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return 2;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || *s == '-')
        return -1;
    *out = v;
    return 0;
}

static int parse_model(const char *s, enum cpu_model *m)
{
    static const struct { const char *name; enum cpu_model model; } models[] = {
        { "286", CPU_286 }, { "386", CPU_386 }, { "486", CPU_486 },
        { "pentium", CPU_PENTIUM }, { "586", CPU_PENTIUM },
        { "p6", CPU_P6 }, { "686", CPU_P6 },
    };
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++)
        if (!strcmp(s, models[k].name)) {
            *m = models[k].model;
            return 0;
        }
    return -1;
}

static int parse_load(char *arg, struct load *l)
{
    char *at = strrchr(arg, '@');
    if (!at)
        return -1;
    *at = 0;
    char *opt = strchr(at + 1, ',');
    if (opt)
        *opt++ = 0;
    uint64_t addr;
    if (parse_u64(at + 1, &addr) || addr > 0xFFFFFFFFu)
        return -1;
    l->path = arg;
    l->addr = (uint32_t)addr;
    l->skip = 0;
    if (opt) {
        if (strncmp(opt, "skip=", 5) || parse_u64(opt + 5, &l->skip))
            return -1;
    }
    return 0;
}

static int parse_entry(const char *s, struct options *o)
{
    uint64_t cs, ip;
    char buf[64];
    const char *colon = strchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof buf)
        return -1;
    memcpy(buf, s, (size_t)(colon - s));
    buf[colon - s] = 0;
    if (parse_u64(buf, &cs) || parse_u64(colon + 1, &ip) || cs > 0xFFFF || ip > 0xFFFF)
        return -1;
    o->entry_mode = 1;
    o->entry_cs = (uint16_t)cs;
    o->entry_ip = (uint32_t)ip;
    return 0;
}

static int takes_value(const char *a)
{
    static const char *const with_value[] = {
        "-m", "--cpu", "-cpu", "--load", "--entry", "--entry32",
        "--max-insns", "-debugcon", "--debugcon",
    };
    for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
        if (!strcmp(a, with_value[k]))
            return 1;
    return 0;
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
    for (int k = 1; k < argc; k++) {
        char *a = argv[k];
        const char *val = NULL;
        char *eq = (a[0] == '-' && a[1] == '-') ? strchr(a, '=') : NULL;
        if (eq) {
            *eq = 0;
            val = eq + 1;
        }
        if (takes_value(a) && !val) {
            if (k + 1 >= argc)
                return fail("option %s needs a value", a);
            val = argv[++k];
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "-m")) {
            uint64_t mb;
            if (parse_u64(val, &mb) || mb < 1 || mb > 3072)
                return fail("-m: RAM must be 1 to 3072 MiB, not '%s'", val);
            o->cfg.ram_mb = (uint32_t)mb;
        } else if (!strcmp(a, "--cpu") || !strcmp(a, "-cpu")) {
            if (parse_model(val, &o->cfg.model))
                return fail("--cpu: unknown CPU model '%s' (286, 386, 486, pentium, p6)", val);
        } else if (!strcmp(a, "--load")) {
            if (o->nloads >= MAX_LOADS)
                return fail("%s: too many files", a);
            if (parse_load((char *)val, &o->loads[o->nloads++]))
                return fail("--load: expected FILE@ADDR[,skip=N], not '%s'", val);
        } else if (!strcmp(a, "--entry")) {
            if (parse_entry(val, o))
                return fail("--entry: expected SEG:OFF (16-bit values), not '%s'", val);
        } else if (!strcmp(a, "--entry32")) {
            uint64_t ip;
            if (parse_u64(val, &ip) || ip > 0xFFFFFFFFu)
                return fail("--entry32: expected an address, not '%s'", val);
            o->entry_mode = 2;
            o->entry_ip = (uint32_t)ip;
        } else if (!strcmp(a, "--max-insns")) {
            if (parse_u64(val, &o->max_insns))
                return fail("--max-insns: expected a count, not '%s'", val);
        } else if (!strcmp(a, "--stats")) {
            o->stats = 1;
        } else if (!strcmp(a, "-no-reboot") || !strcmp(a, "--no-reboot")) {
            o->cfg.no_reboot = true;
        } else if (!strcmp(a, "--deterministic")) {
            o->cfg.deterministic = true;
        } else if (!strcmp(a, "-debugcon") || !strcmp(a, "--debugcon")) {
            o->debugcon = val;
        } else {
            return fail("unknown option '%s' (see --help)", a);
        }
    }
    return -1;
}

static int load_file(struct machine *m, const struct load *l)
{
    FILE *f = fopen(l->path, "rb");
    if (!f)
        return fprintf(stderr, "x86lab: %s: %s\n", l->path, strerror(errno)), -1;
    if (fseek(f, 0, SEEK_END) || ftell(f) < 0) {
        fclose(f);
        return fprintf(stderr, "x86lab: %s: cannot determine its size\n", l->path), -1;
    }
    uint64_t size = (uint64_t)ftell(f);
    if (l->skip > size) {
        fclose(f);
        return fprintf(stderr, "x86lab: %s: skip=%" PRIu64 " is past its end (%" PRIu64 " bytes)\n",
                       l->path, l->skip, size), -1;
    }
    size -= l->skip;
    if (l->addr > m->bus.ram_size || size > m->bus.ram_size - l->addr) {
        fclose(f);
        return fprintf(stderr, "x86lab: %s: %" PRIu64 " bytes at 0x%x do not fit in %u MiB of RAM\n",
                       l->path, size, l->addr, m->cfg.ram_mb), -1;
    }
    fseek(f, (long)l->skip, SEEK_SET);
    size_t got = fread(m->bus.ram + l->addr, 1, (size_t)size, f);
    fclose(f);
    if (got != size)
        return fprintf(stderr, "x86lab: %s: short read\n", l->path), -1;
    return 0;
}

static void print_stats(const struct machine *m, double seconds)
{
    const struct cpu_counters *n = &m->cpu.count;
    fprintf(stderr, "x86lab: %" PRIu64 " instructions in %.3f s (%.1f MIPS)\n",
            n->insns, seconds, seconds > 0 ? (double)n->insns / seconds / 1e6 : 0.0);
    for (int v = 0; v < 32; v++)
        if (n->exceptions[v])
            fprintf(stderr, "x86lab:   exception %2d: %" PRIu64 "\n", v, n->exceptions[v]);
    for (int v = 0; v < 256; v++)
        if (n->interrupts[v])
            fprintf(stderr, "x86lab:   interrupt 0x%02x: %" PRIu64 "\n", v, n->interrupts[v]);
    if (n->soft_ints)
        fprintf(stderr, "x86lab:   software interrupts: %" PRIu64 "\n", n->soft_ints);
    fprintf(stderr, "x86lab:   port reads %" PRIu64 ", port writes %" PRIu64 "\n",
            m->bus.io_reads, m->bus.io_writes);
}

int main(int argc, char **argv)
{
    /* Until x86lab has firmware, a reset could only restart an empty ROM:
     * triple faults and reset requests end the run (as -no-reboot). */
    struct options o = { .cfg = { .ram_mb = 128, .model = CPU_P6, .no_reboot = true } };
    int r = parse_args(argc, argv, &o);
    if (r >= 0)
        return r;

    static struct machine m;
    if (machine_init(&m, &o.cfg) < 0) {
        fprintf(stderr, "x86lab: cannot create a machine with %u MiB: %s\n",
                o.cfg.ram_mb, strerror(errno));
        return 2;
    }
    FILE *con = stdout;
    if (o.debugcon) {
        if (!strcmp(o.debugcon, "none"))
            con = NULL;
        else if (!strncmp(o.debugcon, "file:", 5)) {
            con = fopen(o.debugcon + 5, "w");
            if (!con)
                return fprintf(stderr, "x86lab: -debugcon %s: %s\n", o.debugcon + 5, strerror(errno)), 2;
        } else if (strcmp(o.debugcon, "stdio"))
            return fail("-debugcon: expected stdio, file:F or none, not '%s'", o.debugcon);
    }
    m.debugport.out = con;
    for (int k = 0; k < o.nloads; k++)
        if (load_file(&m, &o.loads[k]) < 0)
            return 2;
    if (o.entry_mode == 1)
        machine_entry_real(&m, o.entry_cs, (uint16_t)o.entry_ip);
    else if (o.entry_mode == 2)
        machine_entry_flat32(&m, o.entry_ip);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    enum machine_stop stop = machine_run(&m, o.max_insns);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (con)
        fflush(con);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (o.stats)
        print_stats(&m, secs);

    int status = 0;
    switch (stop) {
    case STOP_EXIT_PORT:
        status = m.debugport.exit_status;
        break;
    case STOP_HALT:
        fprintf(stderr, "x86lab: guest halted with interrupts off at %04x:%08x\n",
                m.cpu.seg[S_CS].sel, m.cpu.eip);
        break;
    case STOP_SHUTDOWN:
        fprintf(stderr, "x86lab: guest triple-faulted at %04x:%08x (shutdown)\n",
                m.cpu.seg[S_CS].sel, m.cpu.insn_eip);
        status = 3;
        break;
    case STOP_BUDGET:
        fprintf(stderr, "x86lab: stopped after %" PRIu64 " instructions\n", o.max_insns);
        status = 4;
        break;
    case STOP_RESET:
        fprintf(stderr, "x86lab: guest requested a reset at %04x:%08x (-no-reboot)\n",
                m.cpu.seg[S_CS].sel, m.cpu.eip);
        break;
    case STOP_IDLE:
        fprintf(stderr, "x86lab: guest halted at %04x:%08x waiting for an interrupt that "
                "no device can raise\n", m.cpu.seg[S_CS].sel, m.cpu.eip);
        status = 5;
        break;
    }
    if (con && con != stdout)
        fclose(con);
    machine_free(&m);
    return status;
}
