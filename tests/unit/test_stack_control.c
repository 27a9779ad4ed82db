/* test_stack_control.c -- 32-bit and protected-mode behaviour of the stack,
 * near-transfer and segment-move handlers (cpu/stack.c, control.c,
 * segmove.c) that the 80286 real-mode captures cannot reach: PUSH ESP,
 * POP [ESP], PUSHA faults, ENTER nesting, PUSHF/POPF/CLI/STI under IOPL,
 * virtual-8086 mode and CR4.VME/PVI, near-target limit checks, LOOP by
 * address size, MOV Sw zero-extension, LSS, BOUND, HLT. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/seg.h"
#include "machine/machine.h"
#include "tests/unit/check.h"

static struct machine m;
static struct cpu *c = &m.cpu;

enum { CODE = 0x7C00, STACK = 0x8000, NO_FAULT = -1 };

static void new_machine(bool flat32)
{
    struct machine_config cfg = { .ram_mb = 1, .model = CPU_P6 };
    machine_free(&m);
    if (machine_init(&m, &cfg) < 0) {
        perror("machine_init");
        exit(2);
    }
    if (flat32)
        machine_entry_flat32(&m, CODE);
    else
        machine_entry_real(&m, 0, CODE);
    c->r[R_ESP] = STACK;
}

/* Decodes and executes one instruction at the current EIP without the run
 * loop's exception delivery.  Returns the fault vector or NO_FAULT; a
 * fault rolls EIP and ESP back, as the run loop does before delivering. */
static int exec(const char *bytes, int len)
{
    struct insn i;
    int code32 = (c->seg[S_CS].ar & AR_DB) != 0;
    if (decode(&i, (const uint8_t *)bytes, len, code32, c->model) != len)
        return -100;
    jmp_buf jb;
    jmp_buf *outer = c->fault_jmp;
    volatile int vector = NO_FAULT;
    c->fault_jmp = &jb;
    c->insn_eip = c->eip;
    c->insn_esp = c->r[R_ESP];
    if (setjmp(jb) == 0) {
        uint32_t next = c->eip + i.len;
        c->eip = code32 ? next : (next & 0xFFFF);
        i.fn(c, &i);
    } else {
        vector = c->pending_vector;
        c->eip = c->insn_eip;
        c->r[R_ESP] = c->insn_esp;
    }
    c->fault_jmp = outer;
    return vector;
}

static uint32_t rd32(uint32_t a)
{
    uint32_t v;
    memcpy(&v, m.bus.ram + a, 4);
    return v;
}

static uint16_t rd16(uint32_t a)
{
    uint16_t v;
    memcpy(&v, m.bus.ram + a, 2);
    return v;
}

static void wr32(uint32_t a, uint32_t v)
{
    memcpy(m.bus.ram + a, &v, 4);
}

/* ---- pushes and pops ---- */

static void test_push_pop(void)
{
    new_machine(true);
    int r = exec("\x54", 1);                        /* push esp */
    check(r == NO_FAULT && c->r[R_ESP] == STACK - 4 && rd32(STACK - 4) == STACK,
          "PUSH ESP pushes the value before the push");
    wr32(STACK - 4, 0x12345678);
    r = exec("\x5C", 1);                            /* pop esp */
    check(r == NO_FAULT && c->r[R_ESP] == 0x12345678, "POP ESP loads the popped value");

    c->r[R_ESP] = STACK;
    wr32(STACK, 0xAAAA0001);
    wr32(STACK + 4, 0);
    wr32(STACK + 8, 0);
    r = exec("\x8F\x44\x24\x04", 4);                /* pop dword [esp+4] */
    check(r == NO_FAULT && c->r[R_ESP] == STACK + 4 && rd32(STACK + 8) == 0xAAAA0001 &&
          rd32(STACK + 4) == 0, "POP [ESP+4] addresses with the incremented ESP");

    c->r[R_ESP] = STACK;
    wr32(STACK, 0xBBBB0002);
    r = exec("\xFF\x34\x24", 3);                    /* push dword [esp] */
    check(r == NO_FAULT && c->r[R_ESP] == STACK - 4 && rd32(STACK - 4) == 0xBBBB0002,
          "PUSH [ESP] reads with the ESP before the push");

    c->r[R_ESP] = STACK;
    r = exec("\x6A\xF0", 2);                        /* push -16 */
    check(r == NO_FAULT && rd32(STACK - 4) == 0xFFFFFFF0, "PUSH Ibs sign-extends to 32 bits");
    r = exec("\x66\x6A\x80", 3);                    /* push word -128 */
    check(r == NO_FAULT && c->r[R_ESP] == STACK - 6 && rd16(STACK - 6) == 0xFF80,
          "66 PUSH Ibs pushes a word");

    /* PUSH sreg with 32-bit operand size: 4-byte slot, 16-bit store. */
    c->r[R_ESP] = STACK;
    wr32(STACK - 4, 0xDEADBEEF);
    r = exec("\x1E", 1);                            /* push ds */
    check(r == NO_FAULT && c->r[R_ESP] == STACK - 4 && rd32(STACK - 4) == 0xDEAD0010,
          "PUSH DS (o32) takes 4 bytes and stores the selector's 16 bits");

    /* PUSHAD / POPAD round trip; POPAD skips the saved ESP. */
    c->r[R_ESP] = STACK;
    for (int k = 0; k < 8; k++)
        if (k != R_ESP)
            c->r[k] = 0x1000u * (unsigned)k + 7;
    r = exec("\x60", 1);
    bool ok = r == NO_FAULT && c->r[R_ESP] == STACK - 32 && rd32(STACK - 4) == 7 &&
              rd32(STACK - 20) == STACK && rd32(STACK - 32) == 0x7007;
    wr32(STACK - 20, 0x55555555);
    for (int k = 0; k < 8; k++)
        if (k != R_ESP)
            c->r[k] = 0;
    r = exec("\x61", 1);
    ok = ok && r == NO_FAULT && c->r[R_ESP] == STACK && c->r[R_EAX] == 7 && c->r[R_EDI] == 0x7007 &&
         c->r[R_EBP] == 0x5007;
    check(ok, "PUSHAD stores the original ESP; POPAD restores all but ESP");
}

static void test_pusha_fault(void)
{
    new_machine(false);
    /* Real mode, SP=7: the 4th push would be the word at SS:FFFF. */
    c->r[R_ESP] = 7;
    memset(m.bus.ram, 0xEE, 8);
    memset(m.bus.ram + 0xFFF0, 0xEE, 16);
    c->r[R_EAX] = 0x1111;
    int r = exec("\x60", 1);
    check(r == EXC_SS && c->r[R_ESP] == 7 && rd16(5) == 0xEEEE && rd16(3) == 0xEEEE,
          "PUSHA with a bad stack slot faults (#SS) before storing anything");
    c->r[R_ESP] = 8;                                /* wraps, all slots valid */
    r = exec("\x60", 1);
    check(r == NO_FAULT && c->r[R_ESP] == 0xFFF8 && rd16(6) == 0x1111 && rd16(0xFFF8) == 0,
          "PUSHA with SP=8 wraps around 64K in real mode");
}

/* ---- ENTER / LEAVE ---- */

static void test_enter_leave(void)
{
    new_machine(true);
    c->r[R_EBP] = 0x9000;
    wr32(0x9000 - 4, 0xA1A1A1A1);
    wr32(0x9000 - 8, 0xB2B2B2B2);
    int r = exec("\xC8\x10\x00\x03", 4);            /* enter 16, 3 */
    check(r == NO_FAULT && rd32(STACK - 4) == 0x9000 && rd32(STACK - 8) == 0xA1A1A1A1 &&
          rd32(STACK - 12) == 0xB2B2B2B2 && rd32(STACK - 16) == STACK - 4 &&
          c->r[R_EBP] == STACK - 4 && c->r[R_ESP] == STACK - 16 - 16,
          "ENTER 16,3: old EBP, two outer frame pointers, the new frame, 16 bytes");
    r = exec("\xC9", 1);                            /* leave */
    check(r == NO_FAULT && c->r[R_ESP] == STACK && c->r[R_EBP] == 0x9000, "LEAVE undoes it");

    c->r[R_EBP] = 0x9000;
    r = exec("\xC8\x00\x00\x21", 4);                /* enter 0, 33 = level 1 */
    check(r == NO_FAULT && c->r[R_ESP] == STACK - 8 && rd32(STACK - 8) == STACK - 4 &&
          c->r[R_EBP] == STACK - 4, "ENTER takes the nesting level mod 32");

    c->r[R_ESP] = STACK;
    c->r[R_EBP] = 0x12349000;
    r = exec("\x66\xC8\x04\x00\x00", 5);            /* enter word 4, 0 */
    check(r == NO_FAULT && c->r[R_ESP] == STACK - 6 && rd16(STACK - 2) == 0x9000 &&
          c->r[R_EBP] == ((0x12340000u) | ((STACK - 2) & 0xFFFF)),
          "66 ENTER pushes BP and sets only BP");
}

/* ---- flags ---- */

static void test_pushf_popf(void)
{
    new_machine(true);
    /* CPL 3, IOPL 0: IF and IOPL are silently kept, the rest changes. */
    cpu_set_cpl(c, 3);
    cpu_set_eflags(c, 0x2 | F_IF);
    c->r[R_ESP] = STACK;
    wr32(STACK, F_CF | F_ZF | F_DF | F_IOPL | F_AC | F_ID | F_VM | F_RF);
    int r = exec("\x9D", 1);
    uint32_t f = cpu_get_eflags(c);
    check(r == NO_FAULT && (f & F_IF) && !(f & F_IOPL) && (f & F_CF) && (f & F_ZF) &&
          (f & F_DF) && (f & F_AC) && (f & F_ID) && !(f & F_VM) && !(f & F_RF),
          "POPFD at CPL3/IOPL0: IF, IOPL, VM, RF kept; arith, DF, AC, ID set");

    /* CPL 0: IOPL and IF change. */
    cpu_set_cpl(c, 0);
    c->r[R_ESP] = STACK;
    wr32(STACK, F_IOPL);
    r = exec("\x9D", 1);
    f = cpu_get_eflags(c);
    check(r == NO_FAULT && (f & F_IOPL) == F_IOPL && !(f & F_IF), "POPFD at CPL0 sets IOPL, clears IF");

    /* PUSHFD hides VM and RF. */
    c->eflags |= F_RF;
    c->r[R_ESP] = STACK;
    r = exec("\x9C", 1);
    check(r == NO_FAULT && !(rd32(STACK - 4) & (F_RF | F_VM)) && (rd32(STACK - 4) & F_IOPL),
          "PUSHFD stores EFLAGS without RF and VM");
    c->eflags &= ~F_RF;

    /* 16-bit POPF leaves the upper half. */
    c->r[R_ESP] = STACK;
    c->eflags |= F_AC;
    wr32(STACK, 0xFFFF0000u | F_CF);
    r = exec("\x66\x9D", 2);
    f = cpu_get_eflags(c);
    check(r == NO_FAULT && (f & F_AC) && (f & F_CF) && c->r[R_ESP] == STACK + 2,
          "66 POPF changes only the low 16 bits");

    /* Virtual-8086 mode. */
    new_machine(false);
    c->cr0 |= CR0_PE;
    cpu_set_cpl(c, 3);
    cpu_set_eflags(c, 0x2 | F_VM | F_IF);            /* IOPL 0 */
    r = exec("\x9C", 1);
    check(r == EXC_GP, "PUSHF in virtual-8086 mode with IOPL<3: #GP");
    r = exec("\x9D", 1);
    check(r == EXC_GP, "POPF in virtual-8086 mode with IOPL<3: #GP");
    c->cr4 |= CR4_VME;
    c->eflags |= F_VIF;
    c->eflags &= ~F_IF;
    c->r[R_ESP] = STACK;
    r = exec("\x9C", 1);
    check(r == NO_FAULT && (rd16(STACK - 2) & F_IF) && (rd16(STACK - 2) & F_IOPL) == F_IOPL,
          "VME: PUSHF shows VIF as IF and IOPL as 3");
    r = exec("\x66\x9C", 2);
    check(r == EXC_GP, "VME: 32-bit PUSHFD still #GP");
    c->r[R_ESP] = STACK;
    memcpy(m.bus.ram + STACK, "\x01\x00", 2);       /* CF, IF=0 */
    r = exec("\x9D", 1);
    f = c->eflags;
    check(r == NO_FAULT && !(f & F_VIF) && !(f & F_IF) && flag_cf(c),
          "VME: POPF moves the popped IF into VIF, IF untouched");
    c->eflags |= F_VIP;
    c->r[R_ESP] = STACK;
    memcpy(m.bus.ram + STACK, "\x00\x02", 2);       /* IF=1 with VIP pending */
    r = exec("\x9D", 1);
    check(r == EXC_GP, "VME: POPF setting IF while VIP is set: #GP");
    c->eflags &= ~F_VIP;
    c->eflags |= F_IOPL;
    c->r[R_ESP] = STACK;
    wr32(STACK, F_IF | F_VM | 0x1000);     /* tries IOPL 1 */
    r = exec("\x66\x9D", 2);
    f = c->eflags;
    check(r == NO_FAULT && (f & F_IF) && (f & F_VM) && (f & F_IOPL) == F_IOPL,
          "v86 IOPL 3: POPFD sets IF, keeps VM and IOPL");
}

static void test_cli_sti(void)
{
    new_machine(true);
    cpu_set_eflags(c, 0x2);
    int r = exec("\xFB", 1);
    check(r == NO_FAULT && (c->eflags & F_IF) && c->inhibit_irq == 1,
          "STI with IF=0 sets IF and the one-instruction shadow");
    c->inhibit_irq = 0;
    r = exec("\xFB", 1);
    check(r == NO_FAULT && c->inhibit_irq == 0, "STI with IF=1 already: no shadow");
    cpu_set_cpl(c, 3);
    r = exec("\xFA", 1);
    check(r == EXC_GP && (c->eflags & F_IF), "CLI at CPL3 > IOPL0: #GP");
    c->cr4 |= CR4_PVI;
    c->eflags |= F_VIF;
    r = exec("\xFA", 1);
    check(r == NO_FAULT && (c->eflags & F_IF) && !(c->eflags & F_VIF), "PVI: CLI at CPL3 clears VIF");
    c->eflags |= F_VIP;
    r = exec("\xFB", 1);
    check(r == EXC_GP, "PVI: STI with VIP pending: #GP");
    c->cr4 = 0;
    c->eflags |= F_IOPL;
    r = exec("\xFA", 1);
    check(r == NO_FAULT && !(c->eflags & F_IF), "CLI at CPL3 with IOPL3 clears IF");
    c->eflags = (c->eflags & ~F_IOPL) | F_VM;
    r = exec("\xFA", 1);
    check(r == EXC_GP, "virtual-8086 mode IOPL<3 without VME: CLI #GP");
    r = exec("\xF4", 1);
    check(r == EXC_GP && !c->halted, "HLT outside ring 0: #GP");
    c->eflags &= ~F_VM;
    cpu_set_cpl(c, 0);
    r = exec("\xF4", 1);
    check(r == NO_FAULT && c->halted, "HLT in ring 0 halts");
}

/* ---- near transfers ---- */

static void test_near(void)
{
    new_machine(false);
    /* o32 CALL in real mode to a target past CS.limit (FFFF). */
    c->eip = 0xFFF0;
    int r = exec("\x66\xE8\x00\x01\x00\x00", 6);
    check(r == EXC_GP && c->r[R_ESP] == STACK && rd16(STACK - 2) == 0,
          "CALL to a target beyond the CS limit: #GP, nothing pushed");
    c->eip = 0x100;
    r = exec("\xE8\x00\xFE", 3);                    /* call 0x103 - 0x200 */
    check(r == NO_FAULT && c->eip == 0xFF03 && rd16(STACK - 2) == 0x103,
          "16-bit CALL wraps IP at 64K and pushes the return IP");
    r = exec("\xC2\x04\x00", 3);                    /* ret 4 */
    check(r == NO_FAULT && c->eip == 0x103 && c->r[R_ESP] == STACK + 4, "RET 4 pops and releases");

    new_machine(true);
    c->eip = 0x10000;
    r = exec("\x66\xE9\x00\x10", 4);                /* jmp word +0x1000 */
    check(r == NO_FAULT && c->eip == 0x1004, "66 JMP rel16 in 32-bit code truncates EIP to 16 bits");
    c->eip = 0x10000;
    c->r[R_ECX] = 0x12340001;
    r = exec("\x67\xE2\x10", 3);                    /* loop (CX) */
    check(r == NO_FAULT && c->r[R_ECX] == 0x12340000 && c->eip == 0x10003,
          "LOOP with a16 counts CX only and falls through at zero");
    c->r[R_ECX] = 0x00010000;
    c->eip = 0x10000;
    r = exec("\xE2\x10", 2);                        /* loop (ECX) */
    check(r == NO_FAULT && c->r[R_ECX] == 0xFFFF && c->eip == 0x10012, "LOOP with a32 counts ECX");
    c->r[R_ECX] = 0x00010000;
    c->eip = 0x10000;
    r = exec("\x67\xE3\x10", 3);                    /* jcxz */
    check(r == NO_FAULT && c->eip == 0x10013, "JCXZ tests CX only");
    r = exec("\xE3\x10", 2);                        /* jecxz */
    check(r == NO_FAULT && c->eip == 0x10015, "JECXZ tests ECX");
    flags_set_eager(c, F_ZF);
    c->r[R_ECX] = 5;
    c->eip = 0x10000;
    r = exec("\xE0\x10", 2);                        /* loopne */
    check(r == NO_FAULT && c->r[R_ECX] == 4 && c->eip == 0x10002, "LOOPNE with ZF=1 decrements, no jump");
    r = exec("\xE1\x10", 2);                        /* loope */
    check(r == NO_FAULT && c->r[R_ECX] == 3 && c->eip == 0x10014, "LOOPE with ZF=1 jumps");

    c->r[R_ESP] = STACK;
    wr32(STACK, 0x4444);
    c->eip = 0x10000;
    r = exec("\xFF\x14\x24", 3);                    /* call [esp] */
    check(r == NO_FAULT && c->eip == 0x4444 && rd32(STACK - 4) == 0x10003,
          "CALL [ESP] reads the target before pushing");
    c->r[R_EAX] = 0x5555;
    r = exec("\xFF\xE0", 2);                        /* jmp eax */
    check(r == NO_FAULT && c->eip == 0x5555, "JMP EAX");

    /* BOUND */
    wr32(0x6000, (uint32_t)-10);
    wr32(0x6004, 20);
    c->r[R_EAX] = 0x6000;
    c->r[R_EBX] = (uint32_t)-10;
    r = exec("\x62\x18", 2);
    check(r == NO_FAULT, "BOUND: -10 within [-10, 20]");
    c->r[R_EBX] = 21;
    r = exec("\x62\x18", 2);
    check(r == EXC_BR, "BOUND: 21 outside: #BR");
}

/* ---- segment moves ---- */

static void test_segmove(void)
{
    new_machine(true);
    c->r[R_EAX] = 0xFFFFFFFF;
    int r = exec("\x8C\xD8", 2);                    /* mov eax, ds */
    check(r == NO_FAULT && c->r[R_EAX] == 0x10, "MOV r32, DS zero-extends");
    c->r[R_EAX] = 0xFFFFFFFF;
    r = exec("\x66\x8C\xD8", 3);                    /* mov ax, ds */
    check(r == NO_FAULT && c->r[R_EAX] == 0xFFFF0010, "MOV r16, DS keeps the upper half");
    c->r[R_EBX] = 0x6000;
    wr32(0x6000, 0xFFFFFFFF);
    r = exec("\x8C\x1B", 2);                        /* mov [ebx], ds */
    check(r == NO_FAULT && rd32(0x6000) == 0xFFFF0010, "MOV m, DS stores 16 bits");
    r = exec("\x8E\xC8", 2);                        /* mov cs, ax */
    check(r == EXC_UD, "MOV CS, r: #UD");
    r = exec("\x8E\xF0", 2);                        /* sreg 6 */
    check(r == EXC_UD, "MOV sreg 6: #UD");
    r = exec("\x8C\xF8", 2);                        /* sreg 7 */
    check(r == EXC_UD, "MOV r, sreg 7: #UD");

    new_machine(false);
    memcpy(m.bus.ram + 0x500, "\x78\x56\x34\x12\x00\x30", 6);
    r = exec("\x66\x0F\xB2\x26\x00\x05", 6);        /* lss esp, [0x500] */
    check(r == NO_FAULT && c->r[R_ESP] == 0x12345678 && c->seg[S_SS].sel == 0x3000 &&
          c->seg[S_SS].base == 0x30000 && c->inhibit_irq == 0, "LSS ESP loads SS:ESP (no shadow)");
    c->r[R_EAX] = 0x2000;
    r = exec("\x8E\xD0", 2);                        /* mov ss, ax */
    check(r == NO_FAULT && c->seg[S_SS].base == 0x20000 && c->inhibit_irq == 1,
          "MOV SS sets the interrupt shadow");
    c->inhibit_irq = 0;
    c->r[R_ESP] = 0x100;
    memcpy(m.bus.ram + 0x20100, "\x34\x12", 2);
    r = exec("\x1F", 1);                            /* pop ds */
    check(r == NO_FAULT && c->seg[S_DS].sel == 0x1234 && c->seg[S_DS].base == 0x12340 &&
          c->r[R_ESP] == 0x102 && c->inhibit_irq == 0, "POP DS");
    r = exec("\x17", 1);                            /* pop ss */
    check(r == NO_FAULT && c->inhibit_irq == 1 && c->r[R_ESP] == 0x104, "POP SS sets the shadow");
}

int main(void)
{
    test_push_pop();
    test_pusha_fault();
    test_enter_leave();
    test_pushf_popf();
    test_cli_sti();
    test_near();
    test_segmove();
    machine_free(&m);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
