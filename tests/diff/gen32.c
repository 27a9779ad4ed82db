/* gen32.c -- instruction forms only a 32-bit CPU runs, for the engine
 * targets (interpreter vs translator or KVM; the host cannot run them in
 * 64-bit mode): BCD adjusts, one-byte INC/DEC, the stack (PUSH/POP, PUSHA/
 * POPA, PUSHF/POPF, ENTER/LEAVE), segment register loads and pushes with
 * good and bad selectors, BOUND, ARPL, near and far transfers that land on
 * the next instruction, software interrupts; and system sequences: paging
 * off and on, a page table entry changed then INVLPG or a CR3 reload, a
 * round trip through real mode, task switches (JMP, CALL and IRET back).
 * The stack lives in the scratch buffer, so everything pushed is compared. */
#include <string.h>

#include "tests/diff/diff.h"

enum { STACK_LO = BUF_ADDR + 128 };

static unsigned rn(struct gen *g, unsigned n) { return rngn(&g->rng, n); }

static int reg_not_sp(struct gen *g)
{
    int r;
    do
        r = (int)rn(g, 8);
    while (r == R_ESP);
    return r;
}

/* Can the stack take `push` bytes pushed, then `pop` bytes popped? */
static bool stack_ok(const struct view *v, uint32_t push, uint32_t pop)
{
    uint32_t sp = v->r[R_ESP];
    return sp >= STACK_LO + push && sp + pop <= STACK_TOP;
}

static int put1(struct seq *q, struct enc *e, struct view *v, int32_t sp_delta)
{
    if (!seq_append(q, e))
        return 0;
    v->r[R_ESP] += (uint32_t)sp_delta;
    return 1;
}

/* Selectors worth loading: null, code, data, read-only, expand-down,
 * 16-bit code, DPL 3, not present, past the GDT limit, RPL 3, LDT. */
static uint16_t pick_selector(struct gen *g)
{
    static const uint16_t sels[] = { 0, 0x08, 0x10, 0x10, 0x10, 0x18, 0x20, 0x28,
                                     0x30, 0x38, 0x50, 0x13, 0x0C, 0x33 };
    return sels[rn(g, sizeof sels / sizeof sels[0])];
}

/* The address of the instruction after one of len bytes appended now. */
static uint32_t next_eip(const struct seq *q, int len)
{
    return G_CODE + (uint32_t)q->size + (uint32_t)len;
}

static int fam_bcd(struct gen *g, struct view *v, struct seq *q)
{
    static const uint8_t ops[6] = { 0x27, 0x2F, 0x37, 0x3F, 0xD4, 0xD5 };
    struct enc e = { .n = 0 };
    uint8_t op = ops[rn(g, 6)];
    enc_put(&e, op);
    if (op == 0xD4 || op == 0xD5)   /* base 10 mostly; AAM 0 raises #DE */
        enc_put(&e, (uint8_t)(rn(g, 3) ? 10 : rn(g, 20)));
    return put1(q, &e, v, 0);
}

static int fam_incdec(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    if (rn(g, 4) == 0)
        enc_put(&e, 0x66);
    enc_put(&e, (uint8_t)(0x40 + rn(g, 2) * 8 + reg_not_sp(g)));
    return put1(q, &e, v, 0);
}

/* PUSH r/imm/m, POP r/m, PUSHA/POPA, PUSHF/POPF. */
static int fam_stack(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    uint32_t w;
    switch (rn(g, 8)) {
    case 0:
        if (!stack_ok(v, 4, 0))
            return 0;
        enc_put(&e, (uint8_t)(0x50 + rn(g, 8)));
        return put1(q, &e, v, -4);
    case 1:
        if (!stack_ok(v, 0, 4))
            return 0;
        enc_put(&e, (uint8_t)(0x58 + reg_not_sp(g)));
        return put1(q, &e, v, 4);
    case 2:
        if (!stack_ok(v, 4, 0))
            return 0;
        enc_put(&e, rn(g, 2) ? 0x6A : 0x68);
        enc_imm(&e, rng_val(&g->rng), e.b[0] == 0x6A ? 1 : 4);
        return put1(q, &e, v, -4);
    case 3: {
        bool pop = rn(g, 2);
        if (!stack_ok(v, pop ? 0 : 4, pop ? 4 : 0))
            return 0;
        g->avoid = 1u << R_ESP;
        enc_put(&e, pop ? 0x8F : 0xFF);
        enc_mem(g, v, &e, pop ? 0 : 6, BUF_ADDR, BUF_ADDR + 96, &w);
        return put1(q, &e, v, pop ? 4 : -4);
    }
    case 4:
    case 5: {
        bool o16 = rn(g, 4) == 0, pop = rn(g, 2);
        uint32_t n = o16 ? 16 : 32;
        if (!stack_ok(v, pop ? 0 : n, pop ? n : 0))
            return 0;
        if (o16)
            enc_put(&e, 0x66);
        enc_put(&e, pop ? 0x61 : 0x60);
        return put1(q, &e, v, pop ? (int32_t)n : -(int32_t)n);
    }
    case 6:
        if (!stack_ok(v, 4, 0))
            return 0;
        enc_put(&e, 0x9C);
        return put1(q, &e, v, -4);
    default: {
        /* POPF of a chosen image: IF stays clear (no interrupt may come
         * in between), TF sometimes (a #DB after the next instruction). */
        if (!stack_ok(v, 4, 4))
            return 0;
        uint32_t f = rng32(&g->rng) & ~(F_IF | F_TF | F_VM | F_RF | F_VIF | F_VIP);
        if (rn(g, 16) == 0)
            f |= F_TF;
        enc_put(&e, 0x68);
        enc_imm(&e, f, 4);
        if (!put1(q, &e, v, -4))
            return 0;
        struct enc p = { .n = 0 };
        enc_put(&p, 0x9D);
        return 1 + put1(q, &p, v, 4);
    }
    }
}

/* Segment registers: PUSH/POP ES CS SS DS FS GS, MOV Sreg, MOV r/m from
 * Sreg, LES/LDS/LSS/LFS/LGS from a far pointer in the buffer. */
static int fam_seg(struct gen *g, struct view *v, struct seq *q)
{
    static const uint8_t push1[4] = { 0x06, 0x0E, 0x16, 0x1E };
    static const uint8_t pop1[3] = { 0x07, 0x17, 0x1F };
    struct enc e = { .n = 0 };
    uint32_t w;
    int done = 0;
    switch (rn(g, 5)) {
    case 0: {
        /* A 32-bit push of a segment register writes the selector either
         * zero-extended or with a 16-bit move (SDM, PUSH): the slot is
         * zeroed first (PUSH 0; LEA ESP, [ESP+4]) so that both agree. */
        if (!stack_ok(v, 4, 0))
            return 0;
        struct enc z = { .n = 0 }, l = { .n = 0 };
        enc_put(&z, 0x6A);
        enc_put(&z, 0);
        done = put1(q, &z, v, -4);
        static const uint8_t lea[4] = { 0x8D, 0x64, 0x24, 0x04 };
        for (int k = 0; k < 4; k++)
            enc_put(&l, lea[k]);
        done += put1(q, &l, v, 4);
        int s = (int)rn(g, 6);
        if (s < 4) {
            enc_put(&e, push1[s]);
        } else {
            enc_put(&e, 0x0F);
            enc_put(&e, s == 4 ? 0xA0 : 0xA8);
        }
        return done + put1(q, &e, v, -4);
    }
    case 1: {
        if (!stack_ok(v, 4, 4))
            return 0;
        struct enc p = { .n = 0 };
        enc_put(&p, 0x6A);                       /* push selector */
        enc_put(&p, (uint8_t)pick_selector(g));
        done = put1(q, &p, v, -4);
        int s = (int)rn(g, 5);
        if (s < 3) {
            enc_put(&e, pop1[s]);
        } else {
            enc_put(&e, 0x0F);
            enc_put(&e, s == 3 ? 0xA1 : 0xA9);
        }
        return done + put1(q, &e, v, 4);
    }
    case 2: {                                    /* mov Sreg, r16 */
        int r = reg_not_sp(g);
        struct enc p = { .n = 0 };
        enc_put(&p, 0x66);
        enc_put(&p, (uint8_t)(0xB8 + r));
        enc_imm(&p, pick_selector(g), 2);
        done = put1(q, &p, v, 0);
        int s = (int)rn(g, 7);                   /* 1 (CS) is #UD, 6 and 7 too */
        enc_put(&e, 0x8E);
        enc_modrm_reg(&e, s == 6 ? 1 : s, r);
        return done + put1(q, &e, v, 0);
    }
    case 3:                                      /* mov r/m16, Sreg */
        if (rn(g, 2))
            enc_put(&e, 0x66);
        enc_put(&e, 0x8C);
        if (rn(g, 2))
            enc_mem(g, v, &e, (int)rn(g, 6), BUF_ADDR, BUF_ADDR + 96, &w);
        else
            enc_modrm_reg(&e, (int)rn(g, 6), reg_not_sp(g));
        return put1(q, &e, v, 0);
    default: {                                   /* LES/LDS/LSS/LFS/LGS r32, m16:32 */
        static const uint8_t lxs[5][2] = { { 0xC4, 0 }, { 0xC5, 0 }, { 0x0F, 0xB2 },
                                           { 0x0F, 0xB4 }, { 0x0F, 0xB5 } };
        int k = (int)rn(g, 5);
        uint32_t at = BUF_ADDR + 8 * rn(g, 12);
        /* the pointer: offset anything, selector chosen */
        struct enc p = { .n = 0 };
        enc_put(&p, 0x66);
        enc_put(&p, 0xC7);
        g->avoid = 0;
        enc_mem(g, v, &p, 0, at + 4, at + 4, &w);
        enc_imm(&p, pick_selector(g), 2);
        done = put1(q, &p, v, 0);
        enc_put(&e, lxs[k][0]);
        if (lxs[k][1])
            enc_put(&e, lxs[k][1]);
        enc_mem(g, v, &e, reg_not_sp(g), at, at, &w);
        return done + put1(q, &e, v, 0);
    }
    }
}

/* BOUND r32, m32&32 (#BR when out of range) and ARPL Ew, Gw. */
static int fam_bound_arpl(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    uint32_t w;
    if (rn(g, 2)) {
        if (rn(g, 4) == 0)
            enc_put(&e, 0x66);
        enc_put(&e, 0x62);
        enc_mem(g, v, &e, reg_not_sp(g), BUF_ADDR, BUF_ADDR + BUF_SIZE - 128, &w);
    } else {
        enc_put(&e, 0x63);
        if (rn(g, 2))
            enc_mem(g, v, &e, reg_not_sp(g), BUF_ADDR, BUF_ADDR + BUF_SIZE - 128, &w);
        else
            enc_modrm_reg(&e, reg_not_sp(g), reg_not_sp(g));
    }
    return put1(q, &e, v, 0);
}

/* Near and far transfers whose target is the next instruction, so the
 * sequence still runs straight through; far ones to a bad selector fault. */
static int fam_transfer(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 }, p = { .n = 0 };
    int done = 0;
    switch (rn(g, 7)) {
    case 0:                                      /* Jcc / JMP / LOOP / JECXZ +0 */
        enc_put(&e, (uint8_t)(rn(g, 3) ? 0x70 + rn(g, 16) : 0xE0 + rn(g, 4)));
        enc_put(&e, 0);
        if (e.b[0] == 0xE0 + 3 && rn(g, 2))     /* E3 -> EB (JMP short) */
            e.b[0] = 0xEB;
        return put1(q, &e, v, 0);
    case 1:                                      /* CALL +0; RET */
        if (!stack_ok(v, 4, 0))
            return 0;
        enc_put(&e, 0xE8);
        enc_imm(&e, 0, 4);
        return put1(q, &e, v, -4);
    case 2:                                      /* PUSH next; RET */
        if (!stack_ok(v, 4, 4))
            return 0;
        enc_put(&p, 0x68);
        enc_imm(&p, next_eip(q, 5 + 1), 4);
        done = put1(q, &p, v, -4);
        enc_put(&e, 0xC3);
        return done + put1(q, &e, v, 4);
    case 3: {                                    /* JMP/CALL FAR ptr16:32 */
        bool call = rn(g, 2);
        if (!stack_ok(v, 8, 0))
            return 0;
        uint16_t sel = rn(g, 4) ? 0x08 : pick_selector(g);
        if (sel == 0x28)
            sel = 0x08;                          /* 16-bit code: a different program */
        enc_put(&e, call ? 0x9A : 0xEA);
        enc_imm(&e, next_eip(q, 7), 4);
        enc_imm(&e, sel, 2);
        return put1(q, &e, v, call ? -8 : 0);
    }
    case 4: {                                    /* PUSH cs; PUSH next; RETF */
        if (!stack_ok(v, 8, 8))
            return 0;
        uint16_t sel = rn(g, 4) ? 0x08 : pick_selector(g);
        if (sel == 0x28)
            sel = 0x08;
        enc_put(&p, 0x6A);
        enc_put(&p, (uint8_t)sel);
        done = put1(q, &p, v, -4);
        struct enc p2 = { .n = 0 };
        enc_put(&p2, 0x68);
        enc_imm(&p2, next_eip(q, 5 + 1), 4);
        done += put1(q, &p2, v, -4);
        enc_put(&e, 0xCB);
        return done + put1(q, &e, v, 8);
    }
    case 5: {                                    /* PUSHFD; PUSH cs; PUSH next; IRETD */
        if (!stack_ok(v, 12, 12))
            return 0;
        enc_put(&p, 0x9C);
        done = put1(q, &p, v, -4);
        struct enc p2 = { .n = 0 }, p3 = { .n = 0 };
        enc_put(&p2, 0x6A);
        enc_put(&p2, 0x08);
        done += put1(q, &p2, v, -4);
        enc_put(&p3, 0x68);
        enc_imm(&p3, next_eip(q, 5 + 1), 4);
        done += put1(q, &p3, v, -4);
        enc_put(&e, 0xCF);
        return done + put1(q, &e, v, 12);
    }
    default:                                     /* INT3, INTO, INT n, ICEBP */
        switch (rn(g, 4)) {
        case 0: enc_put(&e, 0xCC); break;
        case 1: enc_put(&e, 0xCE); break;
        case 2: enc_put(&e, 0xF1); break;
        default:
            enc_put(&e, 0xCD);
            enc_put(&e, (uint8_t)rn(g, 32));
        }
        return put1(q, &e, v, 0);
    }
}

/* ENTER n, 0 then maybe LEAVE (ESP = EBP only when EBP is on the stack). */
static int fam_frame(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    bool leave = v->r[R_EBP] >= STACK_LO && v->r[R_EBP] + 4 <= STACK_TOP && rn(g, 2);
    if (leave) {
        enc_put(&e, 0xC9);
        uint32_t bp = v->r[R_EBP];
        if (!seq_append(q, &e))
            return 0;
        v->r[R_ESP] = bp + 4;
        return 1;
    }
    uint32_t n = 4 * rn(g, 8);
    if (!stack_ok(v, n + 4, 0))
        return 0;
    enc_put(&e, 0xC8);
    enc_imm(&e, n, 2);
    enc_put(&e, 0);
    if (!seq_append(q, &e))
        return 0;
    v->r[R_EBP] = v->r[R_ESP] - 4;
    v->r[R_ESP] -= n + 4;
    return 1;
}

/* ---- system sequences ---- */

/* Appends the bytes b[0..n) as one instruction. */
static int raw(struct seq *q, struct view *v, const uint8_t *b, int n, int32_t sp_delta)
{
    struct enc e = { .n = 0 };
    for (int k = 0; k < n; k++)
        enc_put(&e, b[k]);
    return put1(q, &e, v, sp_delta);
}

static int op_imm32(struct seq *q, struct view *v, const uint8_t *op, int n, uint32_t imm)
{
    uint8_t b[12];
    memcpy(b, op, (size_t)n);
    memcpy(b + n, &imm, 4);
    return raw(q, v, b, n + 4, 0);
}

static const uint8_t MOV_EAX_CR0[3] = { 0x0F, 0x20, 0xC0 }, MOV_CR0_EAX[3] = { 0x0F, 0x22, 0xC0 };

/* Paging off, a store or two with linear = physical, paging on again: the
 * page above PAGE_SPLIT is reachable whatever its PTE says meanwhile. */
static int sys_paging(struct gen *g, struct view *v, struct seq *q)
{
    static const uint8_t and_eax[1] = { 0x25 }, or_eax[1] = { 0x0D };
    static const uint8_t mov_m32[2] = { 0xC7, 0x05 };
    int n = raw(q, v, MOV_EAX_CR0, 3, 0);
    n += op_imm32(q, v, and_eax, 1, 0x7FFFFFFFu);
    n += raw(q, v, MOV_CR0_EAX, 3, 0);
    uint8_t st[6];
    memcpy(st, mov_m32, 2);
    uint32_t at = PAGE_SPLIT + 4 * rn(g, 64);
    memcpy(st + 2, &at, 4);
    n += op_imm32(q, v, st, 6, rng32(&g->rng));
    n += op_imm32(q, v, or_eax, 1, 0x80000000u);
    n += raw(q, v, MOV_CR0_EAX, 3, 0);
    return n;
}

/* The PTE of the page above PAGE_SPLIT rewritten (present and writable,
 * read-only or absent), then INVLPG of it or a CR3 reload, or neither
 * (the old translation may then stay: only when nothing touches it). */
static int sys_pte(struct gen *g, struct view *v, struct seq *q)
{
    static const uint8_t bits[3] = { 3, 1, 0 };
    uint8_t st[6] = { 0xC7, 0x05 };
    uint32_t pte_at = G_PT + (PAGE_SPLIT >> 12) * 4;
    memcpy(st + 2, &pte_at, 4);
    int n = op_imm32(q, v, st, 6, PAGE_SPLIT | bits[rn(g, 3)]);
    if (rn(g, 2)) {
        uint8_t inv[7] = { 0x0F, 0x01, 0x3D };
        uint32_t at = PAGE_SPLIT + rn(g, 4096);
        memcpy(inv + 3, &at, 4);
        return n + raw(q, v, inv, 7, 0);
    }
    static const uint8_t rd[3] = { 0x0F, 0x20, 0xD8 }, wr[3] = { 0x0F, 0x22, 0xD8 };
    return n + raw(q, v, rd, 3, 0) + raw(q, v, wr, 3, 0);     /* mov eax, cr3; mov cr3, eax */
}

/* Protected mode off (paging too) and on again, then a far JMP to reload
 * CS: the code in between runs in real mode with the 32-bit CS cache. */
static int sys_realmode(struct gen *g, struct view *v, struct seq *q)
{
    static const uint8_t and_eax[1] = { 0x25 }, or_eax[1] = { 0x0D };
    int n = raw(q, v, MOV_EAX_CR0, 3, 0);
    n += op_imm32(q, v, and_eax, 1, 0x7FFFFFFEu);
    n += raw(q, v, MOV_CR0_EAX, 3, 0);
    if (rn(g, 2)) {                              /* an ALU op in real mode, not on EAX */
        /* ADD OR AND SUB XOR CMP: none reads a flag (the reference drops
         * an instruction that reads an undefined one, and the rest of the
         * round trip with it) */
        static const uint8_t dst[6] = { R_ECX, R_EDX, R_EBX, R_EBP, R_ESI, R_EDI };
        static const uint8_t alu[6] = { 0x01, 0x09, 0x21, 0x29, 0x31, 0x39 };
        uint8_t add[2] = { alu[rn(g, 6)],
                           (uint8_t)(0xC0 | rn(g, 8) << 3 | dst[rn(g, 6)]) };
        n += raw(q, v, add, 2, 0);
    }
    n += op_imm32(q, v, or_eax, 1, 0x80000001u);
    n += raw(q, v, MOV_CR0_EAX, 3, 0);
    uint8_t jmp[7] = { 0xEA };
    uint32_t next = next_eip(q, 7);
    memcpy(jmp + 1, &next, 4);
    jmp[5] = 0x08;
    jmp[6] = 0;
    return n + raw(q, v, jmp, 7, 0);
}

/* A task switch to TSS B (its EIP written first): JMP, or CALL and an
 * IRET (NT set) back to the caller, which resumes after its CALL. */
static int sys_task(struct gen *g, struct view *v, struct seq *q)
{
    uint8_t st[6] = { 0xC7, 0x05 };
    uint32_t eip_at = G_TSS_B + 0x20;
    memcpy(st + 2, &eip_at, 4);
    bool call = rn(g, 2);
    int n = 0;
    /* In the sandbox (QEMU's CPU under KVM) the task switch saved stale
     * arithmetic flags in the old TSS, those of an earlier instruction
     * (seen: CF=1 back after an AND); PUSHFD; POPFD first makes QEMU
     * compute them, and the switch is then compared like the rest. */
    if (g->sandbox) {
        if (!stack_ok(v, 4, 4))
            return 0;
        static const uint8_t pf[1] = { 0x9C }, pp[1] = { 0x9D };
        n += raw(q, v, pf, 1, -4);
        n += raw(q, v, pp, 1, 4);
    }
    /* JMP: the new task starts after the jump; CALL: at the IRETD after
     * "CALL; JMP +1" (the caller comes back to the JMP over it). */
    uint32_t target = call ? next_eip(q, 10 + 7 + 2) : next_eip(q, 10 + 7);
    n += op_imm32(q, v, st, 6, target);
    uint8_t far[7] = { call ? 0x9A : 0xEA, 0, 0, 0, 0, SEL_TSS_B, 0 };
    n += raw(q, v, far, 7, 0);
    if (!call) {
        v->r[R_ESP] = TSS_B_ESP;
        return n;
    }
    static const uint8_t jmp1[2] = { 0xEB, 0x01 }, iret[1] = { 0xCF };
    n += raw(q, v, jmp1, 2, 0);
    return n + raw(q, v, iret, 1, 0);
}

static int fam_system(struct gen *g, struct view *v, struct seq *q)
{
    /* TF set: a #DB would come in the middle, in real mode through the IVT. */
    if (q->size + 48 > CODE_MAX || q->n + 8 > MAX_INSNS || (v->flags & F_TF))
        return 0;
    switch (rn(g, 4)) {
    case 0: return sys_paging(g, v, q);
    case 1: return sys_pte(g, v, q);
    case 2: return sys_realmode(g, v, q);
    default: return sys_task(g, v, q);
    }
}

int gen32_next(struct gen *g, struct view *v, struct seq *q)
{
    typedef int (*fam_fn)(struct gen *, struct view *, struct seq *);
    static const fam_fn fams[] = { fam_bcd, fam_incdec, fam_stack, fam_stack, fam_seg,
                                   fam_bound_arpl, fam_transfer, fam_transfer, fam_frame,
                                   fam_system };
    for (int tries = 0; tries < 4; tries++) {
        int n = fams[rn(g, sizeof fams / sizeof fams[0])](g, v, q);
        if (n)
            return n;
    }
    return 0;
}
