/* views_mem.c -- memory views: x/FMT dumps (bytes, words, dwords, ASCII,
 * linear or physical), disassembly with capstone in the current mode, the
 * stack and a backtrace along the EBP chain with symbols. */
#include "monitor.h"

#include <capstone/capstone.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "symbols.h"

static uint32_t read_any(struct machine *m, const struct location *loc, uint32_t off,
                         void *buf, uint32_t len)
{
    if (loc->kind == LOC_PHYS)
        return debug_read_phys(m, loc->addr + off, buf, len);
    return debug_read_lin(m, loc->lin + off, buf, len);
}

struct xfmt {
    uint32_t count;
    char fmt;                  /* x hex, d signed, u unsigned, c/a characters */
    unsigned unit;             /* 1, 2, 4 */
};

/* "/16xb": count, format letter, unit letter, in any order after the count. */
static int parse_xfmt(FILE *out, const char *s, struct xfmt *f)
{
    *f = (struct xfmt){ 0, 'x', 1 };
    if (*s == '/')
        s++;
    char *end;
    f->count = (uint32_t)strtoul(s, &end, 10);
    for (s = end; *s; s++) {
        if (strchr("xduca", *s))
            f->fmt = *s;
        else if (*s == 'b')
            f->unit = 1;
        else if (*s == 'h')
            f->unit = 2;
        else if (*s == 'w')
            f->unit = 4;
        else {
            fprintf(out, "x: unknown format letter '%c' (x d u c a; b h w)\n", *s);
            return -1;
        }
    }
    if (f->fmt == 'c' || f->fmt == 'a')
        f->unit = 1;
    if (!f->count)
        f->count = f->fmt == 'a' || f->fmt == 'c' ? 64 : 64 / f->unit > 16 ? 16 : 64 / f->unit;
    if (f->count > 4096) {
        fprintf(out, "x: at most 4096 units\n");
        return -1;
    }
    return 0;
}

static void print_unit(FILE *out, char fmt, unsigned unit, uint32_t v)
{
    if (fmt == 'd')
        fprintf(out, " %*d", unit * 3, unit == 1 ? (int8_t)v : unit == 2 ? (int16_t)v : (int32_t)v);
    else if (fmt == 'u')
        fprintf(out, " %*u", unit * 3, v);
    else
        fprintf(out, " %0*x", (int)unit * 2, v);
}

static void line_head(struct machine *m, FILE *out, const struct location *loc, uint32_t off)
{
    char a[96];
    if (loc->kind == LOC_PHYS)
        fprintf(out, "p:%08x:", loc->addr + off);
    else if (loc->kind == LOC_SEGOFF)
        fprintf(out, "%04x:%08x:", loc->seg, loc->addr + off);
    else
        fprintf(out, "%s:", mon_addr(m, loc->lin + off, a, sizeof a));
}

static int cmd_x(struct machine *m, FILE *out, int argc, char **argv)
{
    struct xfmt f = { 16, 'x', 1 };
    int argi = 1;
    if (argc > 1 && argv[1][0] == '/') {
        if (parse_xfmt(out, argv[1], &f) < 0)
            return -1;
        argi = 2;
    }
    struct location loc;
    if (argi >= argc) {
        fprintf(out, "x: which address? (x/16xb p:0x7c00)\n");
        return -1;
    }
    if (mon_parse_location(m, out, argv[argi], &loc) < 0)
        return -1;
    uint32_t per_line = f.fmt == 'a' || f.fmt == 'c' ? 64 : 16 / f.unit;
    for (uint32_t k = 0; k < f.count; k += per_line) {
        uint32_t n = f.count - k < per_line ? f.count - k : per_line;
        uint8_t buf[64];
        uint32_t got = read_any(m, &loc, k * f.unit, buf, n * f.unit);
        line_head(m, out, &loc, k * f.unit);
        if (f.fmt == 'a' || f.fmt == 'c') {
            fprintf(out, " \"");
            for (uint32_t i = 0; i < got; i++)
                fputc(isprint(buf[i]) ? buf[i] : '.', out);
            fprintf(out, "\"");
        } else {
            for (uint32_t i = 0; i + f.unit <= got; i += f.unit) {
                uint32_t v = 0;
                memcpy(&v, buf + i, f.unit);
                print_unit(out, f.fmt, f.unit, v);
            }
            if (f.unit == 1 && f.fmt == 'x') {
                fprintf(out, "%*s  |", (int)(per_line - got / f.unit) * 3, "");
                for (uint32_t i = 0; i < got; i++)
                    fputc(isprint(buf[i]) ? buf[i] : '.', out);
                fputc('|', out);
            }
        }
        if (got < n * f.unit)
            fprintf(out, got ? "  (not mapped beyond)" : " (not mapped)");
        fputc('\n', out);
        if (got < n * f.unit)
            break;
    }
    return -1;
}

void mon_disas(struct machine *m, FILE *out, uint32_t lin, int n)
{
    struct cpu *c = &m->cpu;
    bool code32 = (c->seg[S_CS].ar & AR_DB) != 0;
    csh h;
    if (cs_open(CS_ARCH_X86, code32 ? CS_MODE_32 : CS_MODE_16, &h) != CS_ERR_OK) {
        fprintf(out, "(capstone cannot open)\n");
        return;
    }
    uint32_t pc = debug_pc(m);
    for (int k = 0; k < n; k++) {
        uint8_t buf[16];
        uint32_t got = debug_read_lin(m, lin, buf, 15);
        char a[96], bytes[48] = "";
        cs_insn *insn = NULL;
        size_t cnt = got ? cs_disasm(h, buf, got, lin, 1, &insn) : 0;
        const char *mark = lin == pc ? "=>" : "  ";
        const char *bp = m->dbg && debug_bp_at(m->dbg, lin) ? "*" : " ";
        mon_addr(m, lin, a, sizeof a);
        if (!cnt) {
            fprintf(out, "%s%s %s: %s\n", mark, bp, a, got ? "(bad instruction)" : "(not mapped)");
            break;
        }
        for (unsigned i = 0; i < insn->size && i < 10; i++)
            snprintf(bytes + 3 * i, sizeof bytes - 3 * i, "%02x ", insn->bytes[i]);
        char so[16] = "";
        if (!cpu_pm(c) || cpu_v86(c))
            snprintf(so, sizeof so, "%04x:%04x ", c->seg[S_CS].sel, (lin - c->seg[S_CS].base) & 0xFFFF);
        fprintf(out, "%s%s %s%s: %-24s %s %s\n", mark, bp, so, a, bytes, insn->mnemonic, insn->op_str);
        lin += insn->size;
        cs_free(insn, cnt);
    }
    cs_close(&h);
}

static int cmd_disas(struct machine *m, FILE *out, int argc, char **argv)
{
    uint32_t lin = debug_pc(m), n = 10;
    if (argc > 1) {
        struct location loc;
        if (mon_parse_location(m, out, argv[1], &loc) < 0)
            return -1;
        if (loc.kind == LOC_PHYS) {
            fprintf(out, "disas: give a linear or seg:off address\n");
            return -1;
        }
        lin = loc.lin;
    }
    if (argc > 2 && mon_eval(m, out, argv[2], &n) < 0)
        return -1;
    mon_disas(m, out, lin, n > 200 ? 200 : (int)n);
    return -1;
}

static unsigned stack_width(const struct cpu *c)
{
    return (c->seg[S_SS].ar & AR_DB) && cpu_pm(c) ? 4 : 2;
}

static int cmd_stack(struct machine *m, FILE *out, int argc, char **argv)
{
    struct cpu *c = &m->cpu;
    uint32_t n = 16;
    if (argc > 1 && mon_eval(m, out, argv[1], &n) < 0)
        return -1;
    unsigned w = stack_width(c);
    uint32_t sp = w == 4 ? c->r[R_ESP] : c->r[R_ESP] & 0xFFFF;
    for (uint32_t k = 0; k < n && k < 256; k++) {
        uint32_t v = 0, lin = c->seg[S_SS].base + sp + k * w;
        char sym[96] = "";
        if (debug_read_lin(m, lin, &v, w) != w) {
            fprintf(out, "  %08x: (not mapped)\n", lin);
            break;
        }
        if (m->dbg)
            symbols_describe(m->dbg, v, sym, sizeof sym);
        fprintf(out, "  %s%08x: %0*x%s%s%s\n", k ? "  " : "=>", sp + k * w, (int)w * 2, v,
                sym[0] ? "  <" : "", sym, sym[0] ? ">" : "");
    }
    return -1;
}

/* The EBP chain: [ebp] is the caller's EBP, [ebp+w] the return address. */
static int cmd_bt(struct machine *m, FILE *out, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct cpu *c = &m->cpu;
    unsigned w = stack_width(c);
    char a[96];
    uint32_t ebp = c->r[R_EBP];
    fprintf(out, "#0  %s\n", mon_addr(m, debug_pc(m), a, sizeof a));
    for (int k = 1; k < 32 && ebp; k++) {
        uint32_t frame[2] = { 0, 0 }, base = c->seg[S_SS].base;
        if (debug_read_lin(m, base + ebp, &frame[0], w) != w ||
            debug_read_lin(m, base + ebp + w, &frame[1], w) != w)
            break;
        fprintf(out, "#%-2d %s  (frame at ebp=%08x)\n", k,
                mon_addr(m, c->seg[S_CS].base + frame[1], a, sizeof a), ebp);
        if (frame[0] <= ebp)
            break;                       /* the chain must go up the stack */
        ebp = frame[0];
    }
    return -1;
}

const struct mon_cmd mon_mem_cmds[] = {
    { "x", NULL, cmd_x, "x/FMT ADDR",
      "memory dump: FMT is [count][x|d|u|c|a][b|h|w] (x/16xb, x/4xw, x/64a)\n"
      "ADDR: linear (expression, symbol), p:PHYS or SEG:OFF" },
    { "disas", "u", cmd_disas, "disas [ADDR] [N]",
      "disassemble N (10) instructions at ADDR (CS:EIP) in the current mode;\n"
      "=> marks the current instruction, * a breakpoint" },
    { "stack", NULL, cmd_stack, "stack [N]", "N (16) stack slots from SS:ESP, with symbols" },
    { "bt", NULL, cmd_bt, "bt", "backtrace along the EBP chain, return addresses as symbols" },
    { NULL, NULL, NULL, NULL, NULL },
};
