/* test_bt_emit.c -- the translator's x86-64 encoder decoded back by
 * capstone: every instruction form translator/emit.c can produce, with
 * registers that need REX, SIB (RSP/R12) and the RBP/R13 displacement
 * rule, must decode to one instruction of the emitted length with the
 * expected text.  Then a small guest block through a translator (no
 * machine: a bus, a CPU and bt_new) and its translation view. */
#include <capstone/capstone.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cpu/cpu.h"
#include "machine/bus.h"
#include "translator/bt.h"
#include "translator/emit.h"

static csh cs;

/* Decodes buf[0..n) and compares with "mnemonic op_str". */
static void expect(const uint8_t *buf, size_t n, const char *want)
{
    cs_insn *ins;
    size_t count = cs_disasm(cs, buf, n, 0x1000, 0, &ins);
    char got[512] = "(undecodable)";
    bool ok = false;
    if (count >= 1) {
        snprintf(got, sizeof got, "%s%s%s", ins[0].mnemonic, ins[0].op_str[0] ? " " : "",
                 ins[0].op_str);
        ok = count == 1 && ins[0].size == n && !strcmp(got, want);
        cs_free(ins, count);
    }
    check(ok, "%-40s -> %s (%zu bytes)", want, got, n);
}

/* EMIT(call, "text"): emits one instruction into a fresh buffer at
 * 0x1000-relative address and checks it. */
#define EMIT(stmt, want) do { \
        struct emit e; emit_init(&e, buf, buf + sizeof buf); \
        struct emit *E = &e; stmt; \
        expect(buf, (size_t)(e.p - buf), want); } while (0)

static uint8_t buf[512];

static void test_forms(void)
{
    EMIT(emit_mov_r32_m(E, H_RAX, M(H_RBX, 8)), "mov eax, dword ptr [rbx + 8]");
    EMIT(emit_mov_r32_m(E, H_R9, M(H_R12, 0x100)), "mov r9d, dword ptr [r12 + 0x100]");
    EMIT(emit_mov_r32_m(E, H_RCX, M(H_RBP, 0)), "mov ecx, dword ptr [rbp]");
    EMIT(emit_mov_r32_m(E, H_RDX, M(H_R13, -4)), "mov edx, dword ptr [r13 - 4]");
    EMIT(emit_mov_r32_m(E, H_RAX, M(H_RSP, 16)), "mov eax, dword ptr [rsp + 0x10]");
    EMIT(emit_mov_r32_m(E, H_RAX, MX(H_RBX, H_RCX, 3, 0x2000)), "mov eax, dword ptr [rbx + rcx*8 + 0x2000]");
    EMIT(emit_mov_m_r32(E, M(H_RBX, 0x24), H_RAX), "mov dword ptr [rbx + 0x24], eax");
    EMIT(emit_mov_r64_m(E, H_RAX, M(H_RBX, 0x400)), "mov rax, qword ptr [rbx + 0x400]");
    EMIT(emit_mov_m_r64(E, M(H_R12, 8), H_RAX), "mov qword ptr [r12 + 8], rax");
    EMIT(emit_mov_m32_imm(E, M(H_RBX, 0x24), 0x7C00), "mov dword ptr [rbx + 0x24], 0x7c00");
    EMIT(emit_mov_m8_imm(E, M(H_RBX, 0x31), 0), "mov byte ptr [rbx + 0x31], 0");
    EMIT(emit_mov_r32_imm(E, H_RCX, 5), "mov ecx, 5");
    EMIT(emit_mov_r32_imm(E, H_R10, 5), "mov r10d, 5");
    EMIT(emit_mov_r64_imm(E, H_RAX, 0x123456789aULL), "movabs rax, 0x123456789a");
    EMIT(emit_mov_r64_imm(E, H_RSI, 0x1234), "mov esi, 0x1234");
    EMIT(emit_mov_r64_r64(E, H_RBX, H_RDI), "mov rbx, rdi");
    EMIT(emit_mov_r64_r64(E, H_R12, H_RSI), "mov r12, rsi");
    EMIT(emit_mov_r32_r32(E, H_RCX, H_RAX), "mov ecx, eax");
    EMIT(emit_movzx_r32_m8(E, H_RAX, M(H_RBX, 1)), "movzx eax, byte ptr [rbx + 1]");
    EMIT(emit_movzx_r32_m16(E, H_RAX, M(H_RBX, 2)), "movzx eax, word ptr [rbx + 2]");
    EMIT(emit_mov_m16_r16(E, M(H_RBX, 4), H_RAX), "mov word ptr [rbx + 4], ax");
    EMIT(emit_mov_m8_r8(E, M(H_RBX, 4), H_RCX), "mov byte ptr [rbx + 4], cl");
    EMIT(emit_lea_r64(E, H_RAX, M(H_RAX, 3)), "lea rax, [rax + 3]");
    EMIT(emit_alu_r32_imm(E, ALU_AND, H_RAX, 0x8D5), "and eax, 0x8d5");
    EMIT(emit_alu_r32_imm(E, ALU_AND, H_RCX, 0xFFFFF72Au), "and ecx, 0xfffff72a");
    EMIT(emit_alu_r32_imm(E, ALU_CMP, H_RDX, 5), "cmp edx, 5");
    EMIT(emit_alu_r64_imm(E, ALU_SUB, H_RSP, 8), "sub rsp, 8");
    EMIT(emit_alu_r64_imm(E, ALU_ADD, H_RSP, 8), "add rsp, 8");
    EMIT(emit_alu_m32_imm(E, ALU_CMP, M(H_RBX, 0x24), 0x12345), "cmp dword ptr [rbx + 0x24], 0x12345");
    EMIT(emit_alu_m32_imm(E, ALU_ADD, M(H_RDX, 0), 1), "add dword ptr [rdx], 1");
    EMIT(emit_alu_m64_imm(E, ALU_ADD, M(H_RBX, 0x500), 3), "add qword ptr [rbx + 0x500], 3");
    EMIT(emit_alu_m64_imm(E, ALU_ADD, M(H_RBX, 0x500), (uint32_t)-2), "add qword ptr [rbx + 0x500], -2");
    EMIT(emit_alu_m8_imm(E, ALU_CMP, M(H_RBX, 0x30), 0), "cmp byte ptr [rbx + 0x30], 0");
    EMIT(emit_alu_r32_r32(E, ALU_OR, H_RCX, H_RAX), "or ecx, eax");
    EMIT(emit_alu_r32_m(E, ALU_ADD, H_RAX, M(H_RBX, 12)), "add eax, dword ptr [rbx + 0xc]");
    EMIT(emit_alu_r64_m(E, ALU_CMP, H_RAX, M(H_R12, 0)), "cmp rax, qword ptr [r12]");
    EMIT(emit_shift_r32_imm(E, 4, H_RCX, 2), "shl ecx, 2");
    EMIT(emit_test_r8_r8(E, H_RAX, H_RAX), "test al, al");
    EMIT(emit_test_m8_imm(E, M(H_RBX, 9), 0x40), "test byte ptr [rbx + 9], 0x40");
    EMIT(emit_bt_m32_imm(E, M(H_RBX, 0x28), 0), "bt dword ptr [rbx + 0x28], 0");
    EMIT(emit_pushfq(E), "pushfq");
    EMIT(emit_popfq(E), "popfq");
    EMIT(emit_lahf(E), "lahf");
    EMIT(emit_sahf(E), "sahf");
    EMIT(emit_push_r64(E, H_R15), "push r15");
    EMIT(emit_pop_r64(E, H_RBX), "pop rbx");
    EMIT(emit_jmp_rel32(E, buf + 0x100), "jmp 0x1100");
    EMIT(emit_jcc_rel32(E, 0x5, buf + 0x20), "jne 0x1020");
    EMIT(emit_jcc_rel32(E, 0x7, buf + 0x20), "ja 0x1020");
    EMIT({ uint8_t *s = emit_jcc_rel8(E, 0x4); emit_patch_rel8(s, buf + 0x10); }, "je 0x1010");
    EMIT(emit_jmp_r64(E, H_RAX), "jmp rax");
    EMIT(emit_jmp_r64(E, H_RDX), "jmp rdx");
    EMIT(emit_ret(E), "ret");
    EMIT(emit_add_rip_m32_imm8(E, buf + 0x40, 1), "add dword ptr [rip + 0x39], 1");
    /* The copied guest forms: opcode, ModR/M on EAX/ECX and AH/CH. */
    EMIT({ emit_u8(E, 0x00); emit_u8(E, 0xE8); }, "add al, ch");
    EMIT({ emit_u8(E, 0x66); emit_u8(E, 0x01); emit_u8(E, 0xC8); }, "add ax, cx");
    EMIT({ emit_u8(E, 0x66); emit_u8(E, 0xFF); emit_u8(E, 0xC0); }, "inc ax");
    EMIT({ emit_u8(E, 0xFF); emit_u8(E, 0xC8); }, "dec eax");
    EMIT({ emit_u8(E, 0x0F); emit_u8(E, 0xB6); emit_u8(E, 0xC5); }, "movzx eax, ch");
    /* Forms of the register-mapped translation (guest ESP in R12, CPU in
     * R15, run-time context in R14, the operand pointer in R9). */
    EMIT(emit_push_m64(E, M(H_R14, 0x20)), "push qword ptr [r14 + 0x20]");
    EMIT(emit_pop_m64(E, M(H_R14, 0x20)), "pop qword ptr [r14 + 0x20]");
    EMIT(emit_pushfq(E), "pushfq");
    EMIT(emit_popfq(E), "popfq");
    EMIT(emit_push_r64(E, H_R13), "push r13");
    EMIT(emit_pop_r64(E, H_R13), "pop r13");
    EMIT(emit_op_rm(E, 0x8D, false, H_R8, MX(H_NONE, H_RSI, 2, 0x100)), "lea r8d, [rsi*4 + 0x100]");
    EMIT(emit_op_rm(E, 0x8D, false, H_R8, MX(H_RAX, H_R12, 0, -4)), "lea r8d, [rax + r12 - 4]");
    EMIT(emit_op_rm(E, 0x8D, false, H_R12, M(H_R12, -4)), "lea r12d, [r12 - 4]");
    EMIT(emit_lea_r64(E, H_R9, MX(H_R9, H_R9, 1, 0)), "lea r9, [r9 + r9*2]");
    EMIT(emit_alu_r32_m(E, ALU_CMP, H_R10, MX(H_R15, H_R9, 3, 0x800)), "cmp r10d, dword ptr [r15 + r9*8 + 0x800]");
    EMIT(emit_test_m8_imm(E, MX(H_R15, H_R9, 3, 0x810), 2), "test byte ptr [r15 + r9*8 + 0x810], 2");
    EMIT(emit_mov_r64_m(E, H_R9, MX(H_R15, H_R9, 3, 0x808)), "mov r9, qword ptr [r15 + r9*8 + 0x808]");
    EMIT(emit_op_rr(E, 0x01, true, H_R10, H_R9), "add r9, r10");
    EMIT(emit_op_rr(E, 0x0FB7, false, H_R8, H_R8), "movzx r8d, r8w");
    EMIT(emit_shift_r32_imm(E, 5, H_R9, 12), "shr r9d, 0xc");
    EMIT({ emit_u8(E, 0x41); emit_u8(E, 0x89); emit_u8(E, 0xC4); }, "mov r12d, eax");
    EMIT({ emit_u8(E, 0x41); emit_u8(E, 0x01); emit_u8(E, 0x01); }, "add dword ptr [r9], eax");
    EMIT({ emit_u8(E, 0x41); emit_u8(E, 0x88); emit_u8(E, 0x19); }, "mov byte ptr [r9], bl");
    EMIT({ emit_u8(E, 0x41); emit_u8(E, 0xFF); emit_u8(E, 0xCC); }, "dec r12d");
    /* The call sequence: mov r11, imm64 then call r11 (two instructions). */
    struct emit e;
    emit_init(&e, buf, buf + sizeof buf);
    emit_call_abs(&e, (const void *)0x7f0012345678ULL);
    cs_insn *ins;
    size_t n = cs_disasm(cs, buf, (size_t)(e.p - buf), 0x1000, 0, &ins);
    check(n == 2 && !strcmp(ins[0].mnemonic, "movabs") && !strcmp(ins[1].mnemonic, "call") &&
          !strcmp(ins[1].op_str, "r11"), "emit_call_abs: movabs r11, imm64; call r11");
    if (n)
        cs_free(ins, n);
    /* A full buffer is reported, never overrun. */
    uint8_t small[3] = { 0xAA, 0xAA, 0xAA };
    emit_init(&e, small, small + 2);
    emit_mov_m32_imm(&e, M(H_RBX, 0x24), 1);
    check(e.full && small[2] == 0xAA, "a full buffer sets e.full and writes nothing past the end");
}

/* A 32-bit guest loop, translated at its first run; then the view. */
static void test_block_view(void)
{
    static const uint8_t code[] = {
        0xB9, 0x0A, 0x00, 0x00, 0x00,       /* mov ecx, 10 */
        0x31, 0xC0,                         /* xor eax, eax */
        0x01, 0xC8,                         /* l: add eax, ecx */
        0x49,                               /* dec ecx */
        0x75, 0xFB,                         /* jnz l */
        0xF4,                               /* hlt */
    };
    struct bus bus;
    struct cpu c;
    struct stats st;
    memset(&st, 0, sizeof st);
    if (bus_init(&bus, 1 << 20) < 0 || cpu_init(&c, CPU_P6, &bus) < 0) {
        check(false, "a bus and a CPU");
        return;
    }
    bus_load(&bus, 0x1000, code, sizeof code);
    c.cr0 |= CR0_PE;
    uint16_t ar = AR_P | AR_S | AR_CODE | AR_R | AR_ACCESSED | AR_DB | AR_G;
    c.seg[S_CS] = (struct seg){ 8, ar, 0, 0xFFFFFFFFu, 0, 0xFFFFFFFFu, SEG_READ | SEG_EXEC };
    c.seg[S_SS] = (struct seg){ 16, AR_P | AR_S | AR_W | AR_DB | AR_G, 0, 0xFFFFFFFFu, 0,
                                0xFFFFFFFFu, SEG_READ | SEG_WRITE };
    c.eip = 0x1000;
    char why[200] = "";
    struct bt_config cfg = { .threshold = 0, .cache_mb = 1 };
    struct bt *bt = bt_new(&c, &st, &cfg, why, sizeof why);
    check(bt != NULL, "bt_new without a machine (%s)", why);
    if (!bt)
        return;
    enum cpu_exit r = bt_run(bt, 1000);
    check(r == CPU_EXIT_HALT && c.r[R_EAX] == 55, "the loop sums 10..1 = 55 (got %u, exit %d)",
          c.r[R_EAX], (int)r);
    check(c.count.insns == 2 + 3 * 10 + 1, "exact instruction count (%llu)",
          (unsigned long long)c.count.insns);
    check(st.bt_insns_translated > 0 && st.bt_chain_patches >= 1,
          "translated instructions (%llu) and a chained loop exit (%llu)",
          (unsigned long long)st.bt_insns_translated, (unsigned long long)st.bt_chain_patches);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int shown = bt_show_block(bt, 0x1007, f);
    fclose(f);
    check(shown == 1 && strstr(text, "COPIED") && strstr(text, "add      eax, ecx") &&
          strstr(text, "chained"), "the view of the loop block shows copied code and its chain");
    printf("%s", text);
    free(text);
    bt_free(bt);
    cpu_free(&c);
    bus_free(&bus);
}

int main(void)
{
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
        printf("FAIL capstone cannot open x86-64\n0 passed, 1 failed\n");
        return 1;
    }
    test_forms();
    cs_close(&cs);
    test_block_view();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
