/* report.c -- comparing two outcomes and printing a mismatch: the sequence
 * disassembled by capstone (32-bit mode), the start state and both end
 * states with the differences marked. */
#include <capstone/capstone.h>
#include <stdio.h>
#include <string.h>

#include "tests/diff/diff.h"

static uint32_t flag_mask(const struct outcome *ref, bool engine)
{
    uint32_t keep = F_ARITH | F_DF | (engine ? F_IF | F_IOPL | F_NT | F_AC | F_ID : 0);
    return keep & ~ref->undef;
}

bool outcomes_equal(const struct outcome *a, const struct outcome *b, bool engine)
{
    if (a->vector == VEC_SHUTDOWN || b->vector == VEC_SHUTDOWN)
        return a->vector == b->vector;
    if (engine && a->vector == EXC_PF && a->s.cr2 != b->s.cr2)
        return false;
    if (a->vector != b->vector || (a->vector >= 0 && a->fault_off != b->fault_off))
        return false;
    for (int k = 0; k < 8; k++)
        if ((k != R_ESP || engine) && a->s.r[k] != b->s.r[k])
            return false;
    if ((a->s.flags ^ b->s.flags) & flag_mask(a, engine))
        return false;
    if (engine && memcmp(a->s.sel, b->s.sel, sizeof a->s.sel) != 0)
        return false;
    return memcmp(a->s.buf, b->s.buf, BUF_SIZE) == 0;
}

void print_seq(const struct seq *q)
{
    csh h;
    bool cs = cs_open(CS_ARCH_X86, CS_MODE_32, &h) == CS_ERR_OK;
    for (int k = 0; k < q->n; k++) {
        const uint8_t *b = q->code + q->off[k];
        char hex[64] = "";
        for (int j = 0; j < q->len[k] && j < 15; j++)
            snprintf(hex + 3 * j, sizeof hex - 3 * (size_t)j, "%02x ", b[j]);
        cs_insn *insn = NULL;
        size_t n = cs ? cs_disasm(h, b, q->len[k], G_CODE + q->off[k], 1, &insn) : 0;
        printf("    %08x  %-36s %s %s\n", (unsigned)(G_CODE + q->off[k]), hex,
               n ? insn->mnemonic : "(?)", n ? insn->op_str : "");
        if (n)
            cs_free(insn, n);
    }
    if (cs)
        cs_close(&h);
}

static void print_end(const char *name, const struct outcome *o)
{
    if (o->vector < 0)
        printf("    %-8s ran to the end\n", name);
    else if (o->vector == VEC_SHUTDOWN)
        printf("    %-8s triple fault (shutdown)\n", name);
    else if (o->vector == VEC_LOST)
        printf("    %-8s ended at an unexpected place (offset %d)\n", name, o->fault_off);
    else
        printf("    %-8s exception %d at offset %d\n", name, o->vector, o->fault_off);
}

void print_state_diff(const struct state *in, const struct outcome *a,
                      const struct outcome *b, const char *na, const char *nb,
                      bool engine)
{
    static const char *const names[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
    print_end(na, a);
    print_end(nb, b);
    printf("    reg  %-8s   %-8s   %-8s\n", "start", na, nb);
    for (int k = 0; k < 8; k++) {
        if (k == R_ESP && !engine)
            continue;
        printf("    %s  %08x   %08x   %08x%s\n", names[k], in->r[k], a->s.r[k], b->s.r[k],
               a->s.r[k] != b->s.r[k] ? "   <--" : "");
    }
    uint32_t m = flag_mask(a, engine);
    printf("    eflags %08x   %08x   %08x   (compared %08x, undefined %03x)%s\n",
           in->flags | 2, a->s.flags, b->s.flags, m, a->undef,
           (a->s.flags ^ b->s.flags) & m ? "   <--" : "");
    if (engine && a->vector == EXC_PF)
        printf("    cr2  %08x   %08x%s\n", a->s.cr2, b->s.cr2, a->s.cr2 != b->s.cr2 ? "   <--" : "");
    if (engine)
        for (int s = 0; s < S_COUNT; s++)
            if (a->s.sel[s] != b->s.sel[s])
                printf("    sreg %d: %04x vs %04x   <--\n", s, a->s.sel[s], b->s.sel[s]);
    int shown = 0;
    for (int k = 0; k < BUF_SIZE; k++)
        if (a->s.buf[k] != b->s.buf[k] && shown++ < 24)
            printf("    mem %08x: start %02x  %s %02x  %s %02x   <--\n",
                   (unsigned)(BUF_ADDR + k), in->buf[k], na, a->s.buf[k], nb, b->s.buf[k]);
}
