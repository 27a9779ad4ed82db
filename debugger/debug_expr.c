/* debug_expr.c -- the expressions of breakpoint conditions and monitor
 * arguments: numbers, registers, symbols, [memory], C operators.  A small
 * recursive-descent evaluator over the current CPU state. */
#include "debug.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/machine.h"
#include "symbols.h"

struct parser {
    struct machine *m;
    const char *p;
    char *err;
    size_t errlen;
    bool failed;
};

static void fail(struct parser *ps, const char *fmt, ...)
{
    if (ps->failed)
        return;
    ps->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err, ps->errlen, fmt, ap);
    va_end(ap);
}

static void skip_space(struct parser *ps)
{
    while (isspace((unsigned char)*ps->p))
        ps->p++;
}

/* Consumes tok if it comes next (after blanks). */
static bool accept(struct parser *ps, const char *tok)
{
    skip_space(ps);
    size_t n = strlen(tok);
    if (strncmp(ps->p, tok, n))
        return false;
    /* "<" must not take the first half of "<<" or "<=", and so on. */
    if (n == 1 && strchr("<>&|=!", tok[0]) && (ps->p[1] == '=' || ps->p[1] == tok[0]))
        return false;
    ps->p += n;
    return true;
}

bool debug_reg_value(struct cpu *c, const char *name, uint32_t *v)
{
    static const char *const r32[] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
    static const char *const r16[] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di" };
    static const char *const r8[] = { "al", "cl", "dl", "bl", "ah", "ch", "dh", "bh" };
    static const char *const sr[] = { "es", "cs", "ss", "ds", "fs", "gs" };
    for (int k = 0; k < 8; k++) {
        if (!strcmp(name, r32[k]))
            return *v = c->r[k], true;
        if (!strcmp(name, r16[k]))
            return *v = c->r[k] & 0xFFFF, true;
        if (!strcmp(name, r8[k]))
            return *v = *cpu_reg8(c, k), true;
    }
    for (int k = 0; k < S_COUNT; k++)
        if (!strcmp(name, sr[k]))
            return *v = c->seg[k].sel, true;
    struct { const char *n; uint32_t v; } other[] = {
        { "eip", c->eip }, { "ip", c->eip & 0xFFFF }, { "eflags", cpu_get_eflags(c) },
        { "flags", cpu_get_eflags(c) & 0xFFFF }, { "cr0", c->cr0 }, { "cr2", c->cr2 },
        { "cr3", c->cr3 }, { "cr4", c->cr4 }, { "cpl", c->cpl },
        { "pc", c->seg[S_CS].base + c->eip },
    };
    for (size_t k = 0; k < sizeof other / sizeof other[0]; k++)
        if (!strcmp(name, other[k].n))
            return *v = other[k].v, true;
    if (name[0] == 'd' && name[1] == 'r' && name[2] >= '0' && name[2] <= '7' && !name[3])
        return *v = c->dr[name[2] - '0'], true;
    return false;
}

static uint32_t parse_or(struct parser *ps);

static uint32_t parse_number(struct parser *ps)
{
    char *end;
    unsigned long long v = strtoull(ps->p, &end, 0);
    if (isalnum((unsigned char)*end) || *end == '_' || v > 0xFFFFFFFFull)
        fail(ps, "bad number '%.*s'", (int)(strcspn(ps->p, " )]")), ps->p);
    ps->p = end;
    return (uint32_t)v;
}

static uint32_t parse_name(struct parser *ps)
{
    const char *start = ps->p;
    while (isalnum((unsigned char)*ps->p) || (*ps->p && strchr("_.$@", *ps->p)))
        ps->p++;
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(ps->p - start), start);
    uint32_t v;
    char lower[128];
    for (size_t k = 0; k < sizeof lower; k++)
        if (!(lower[k] = (char)tolower((unsigned char)name[k])))
            break;
    if (debug_reg_value(&ps->m->cpu, lower, &v))
        return v;
    if (ps->m->dbg && symbols_lookup(ps->m->dbg, name, &v))
        return v;
    fail(ps, "unknown register or symbol '%s'", name);
    return 0;
}

static uint32_t parse_primary(struct parser *ps)
{
    skip_space(ps);
    if (accept(ps, "(")) {
        uint32_t v = parse_or(ps);
        if (!accept(ps, ")"))
            fail(ps, "missing ')'");
        return v;
    }
    if (accept(ps, "[")) {
        uint32_t a = parse_or(ps), v = 0;
        if (!accept(ps, "]"))
            fail(ps, "missing ']'");
        if (!ps->failed && debug_read_lin(ps->m, a, &v, 4) != 4)
            fail(ps, "cannot read memory at 0x%08x (not mapped)", a);
        return v;
    }
    if (isdigit((unsigned char)*ps->p))
        return parse_number(ps);
    if (isalpha((unsigned char)*ps->p) || (*ps->p && strchr("_.$", *ps->p)))
        return parse_name(ps);
    fail(ps, *ps->p ? "unexpected '%c'" : "expression expected%.0s", *ps->p);
    return 0;
}

static uint32_t parse_unary(struct parser *ps)
{
    if (accept(ps, "!"))
        return !parse_unary(ps);
    if (accept(ps, "-"))
        return 0u - parse_unary(ps);
    if (accept(ps, "~"))
        return ~parse_unary(ps);
    return parse_primary(ps);
}

static uint32_t parse_mul(struct parser *ps)
{
    uint32_t v = parse_unary(ps);
    for (;;) {
        if (accept(ps, "*"))
            v *= parse_unary(ps);
        else if (accept(ps, "/")) {
            uint32_t d = parse_unary(ps);
            if (!d)
                fail(ps, "division by zero");
            v = d ? v / d : 0;
        } else if (accept(ps, "<<"))
            v <<= parse_unary(ps) & 31;
        else if (accept(ps, ">>"))
            v >>= parse_unary(ps) & 31;
        else
            return v;
    }
}

static uint32_t parse_add(struct parser *ps)
{
    uint32_t v = parse_mul(ps);
    for (;;) {
        if (accept(ps, "+"))
            v += parse_mul(ps);
        else if (accept(ps, "-"))
            v -= parse_mul(ps);
        else if (accept(ps, "&"))
            v &= parse_mul(ps);
        else if (accept(ps, "|"))
            v |= parse_mul(ps);
        else if (accept(ps, "^"))
            v ^= parse_mul(ps);
        else
            return v;
    }
}

static uint32_t parse_cmp(struct parser *ps)
{
    uint32_t a = parse_add(ps);
    if (accept(ps, "=="))
        return a == parse_add(ps);
    if (accept(ps, "!="))
        return a != parse_add(ps);
    if (accept(ps, "<="))
        return a <= parse_add(ps);
    if (accept(ps, ">="))
        return a >= parse_add(ps);
    if (accept(ps, "<"))
        return a < parse_add(ps);
    if (accept(ps, ">"))
        return a > parse_add(ps);
    return a;
}

static uint32_t parse_and(struct parser *ps)
{
    uint32_t v = parse_cmp(ps);
    while (accept(ps, "&&")) {
        uint32_t w = parse_cmp(ps);
        v = v && w;
    }
    return v;
}

static uint32_t parse_or(struct parser *ps)
{
    uint32_t v = parse_and(ps);
    while (accept(ps, "||")) {
        uint32_t w = parse_and(ps);
        v = v || w;
    }
    return v;
}

int debug_eval(struct machine *m, const char *expr, uint32_t *value, char *err, size_t errlen)
{
    struct parser ps = { m, expr, err, errlen, false };
    uint32_t v = parse_or(&ps);
    skip_space(&ps);
    if (!ps.failed && *ps.p)
        fail(&ps, "unexpected '%s' in expression", ps.p);
    if (ps.failed)
        return -1;
    *value = v;
    return 0;
}
