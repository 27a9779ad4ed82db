/* x87_host.c -- every x87 computation runs on the host's own x87, which
 * is the same 80-bit FPU: the guest's whole FPU state is loaded (FRSTOR),
 * the guest's instruction bytes run, and the state comes back (FNSAVE).
 * Results, flags, C0-C3, tags and stack moves are then the hardware's. */
#include <string.h>

#include "x87.h"

/* Why this is exact and safe:
 *  - the guest's control word (precision, rounding, masks) is in force;
 *  - an unmasked exception never traps on the host: x87 exceptions are
 *    reported at the NEXT waiting instruction, and the host executes only
 *    the guest's instruction and then FNSAVE (non-waiting, which also
 *    reinitialises the host FPU).  The guest instruction itself never
 *    starts with an exception pending: x87.c raises #MF (or FERR#) first,
 *    and FRSTOR recomputes ES from the flags and masks (flags left pending
 *    under IGNNE# are taken out of the image and put back afterwards);
 *  - the hardware's unmasked-exception rules (destination unchanged,
 *    exponent re-biased results, no pop) come with it.
 * The instruction runs from a table of stubs "esc modrm; ret" for every
 * escape and ModR/M byte; memory forms use ModR/M mod=00 rm=111, [rdi]
 * in 64-bit mode, pointing at a 16-byte buffer.  FCMOVcc reads the
 * guest's CF/PF/ZF, FCOMI's flags are read back: the arithmetic flags go
 * in and out through RFLAGS. */
__asm__(
    ".pushsection .text\n"
    ".p2align 4\n"
    ".globl x86lab_x87_stubs\n"
    ".hidden x86lab_x87_stubs\n"
    "x86lab_x87_stubs:\n"
    ".set x87_n, 0\n"
    ".rept 2048\n"
    ".byte 0xD8 + (x87_n >> 8), (x87_n & 0xFF), 0xC3, 0xCC\n"
    ".set x87_n, x87_n + 1\n"
    ".endr\n"
    /* x86lab_x87_run(image rdi, stub rsi, mem rdx, rflags rcx) */
    ".p2align 4\n"
    ".globl x86lab_x87_run\n"
    ".hidden x86lab_x87_run\n"
    ".type x86lab_x87_run, @function\n"
    "x86lab_x87_run:\n"
    "    push %rbx\n"
    "    push %rbp\n"
    "    sub $8, %rsp\n"
    "    fnstcw (%rsp)\n"
    "    mov %rcx, %rbx\n"
    "    mov %rdi, %rbp\n"
    "    frstor (%rbp)\n"
    "    pushq (%rbx)\n"
    "    popfq\n"
    "    mov %rdx, %rdi\n"
    "    call *%rsi\n"
    "    pushfq\n"
    "    popq (%rbx)\n"
    "    fnsave (%rbp)\n"
    "    fldcw (%rsp)\n"
    "    add $8, %rsp\n"
    "    pop %rbp\n"
    "    pop %rbx\n"
    "    cld\n"
    "    ret\n"
    ".size x86lab_x87_run, . - x86lab_x87_run\n"
    ".popsection\n");

extern const uint8_t x86lab_x87_stubs[];
void x86lab_x87_run(uint8_t *image, const void *stub, uint8_t *mem, uint64_t *rflags);

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

/* Class of a non-empty register for the full tag word: 00 valid, 01 zero,
 * 10 special (NaN, infinity, denormal, unnormal and the unsupported
 * encodings). */
static unsigned reg_tag(const uint8_t r[10])
{
    uint16_t exp = get16(r + 8) & 0x7FFF;
    uint64_t mant;
    memcpy(&mant, r, 8);
    if (exp == 0x7FFF)
        return 2;
    if (exp == 0)
        return mant == 0 ? 1 : 2;
    return (mant >> 63) ? 0 : 2;
}

uint16_t x87_full_tags(const struct x87 *f)
{
    uint16_t tw = 0;
    for (unsigned p = 0; p < 8; p++) {
        unsigned t = ((f->tw >> (2 * p)) & 3) == 3 ? 3 : reg_tag(f->st[p]);
        tw |= (uint16_t)(t << (2 * p));
    }
    return tw;
}

/* The guest state as a host FRSTOR image; the pointers are not needed. */
static void to_image(const struct x87 *f, uint8_t img[X87_IMAGE])
{
    memset(img, 0, X87_IMAGE);
    put16(img + 0, f->cw);
    put16(img + 4, f->sw);
    put16(img + 8, f->tw);
    for (unsigned i = 0; i < 8; i++)
        memcpy(img + 28 + 10 * i, f->st[x87_phys(f, i)], 10);
}

static void from_image(struct x87 *f, const uint8_t img[X87_IMAGE])
{
    f->cw = get16(img + 0);
    f->sw = get16(img + 4);
    f->tw = get16(img + 8);
    for (unsigned i = 0; i < 8; i++)
        memcpy(f->st[x87_phys(f, i)], img + 28 + 10 * i, 10);
}

void x87_host_exec(struct x87 *f, unsigned esc, unsigned modrm, uint8_t mem[16],
                   uint32_t *eflags)
{
    uint8_t img[X87_IMAGE] __attribute__((aligned(16)));
    unsigned rm = modrm >= 0xC0 ? modrm : (modrm & 0x38) | 7;
    uint64_t rflags = 0x202 | (*eflags & F_ARITH);
    /* Unmasked flags still pending (the board's IGNNE# lets the guest go
     * on) would trap on the host: they run cleared and are put back. */
    uint16_t held = f->sw & ~f->cw & SW_EXC;
    to_image(f, img);
    put16(img + 4, f->sw & (uint16_t)~(held | SW_ES | SW_B));
    x86lab_x87_run(img, x86lab_x87_stubs + 4 * ((esc & 7) * 256 + rm), mem, &rflags);
    from_image(f, img);
    if (held) {
        f->sw |= held;
        x87_fix_es(f);
    }
    *eflags = (uint32_t)rflags;
}
