/* x87_mem.c -- the FPU's memory operands (2 to 512 bytes): segment and
 * page checks of the whole operand before any byte moves, so a faulting
 * x87 instruction changes neither memory nor the FPU. */
#include "mem.h"
#include "x87.h"

void x87_read(struct cpu *c, int seg, uint32_t off, void *buf, unsigned n)
{
    uint32_t lin = seg_lin(c, seg, off, n, SEG_READ);
    uint8_t *out = buf;
    /* In order: reads have no side effects, so a fault on a later page
     * after earlier bytes were read changes nothing. */
    unsigned k = 0;
    for (; k + 4 <= n; k += 4) {
        uint32_t v = lin_rd(c, lin + k, 4);
        memcpy(out + k, &v, 4);
    }
    for (; k < n; k++)
        out[k] = (uint8_t)lin_rd(c, lin + k, 1);
}

uint32_t x87_check_write(struct cpu *c, int seg, uint32_t off, unsigned n)
{
    uint32_t lin = seg_lin(c, seg, off, n, SEG_WRITE);
    mmu_probe_write(c, lin, n, ACC_WRITE);
    return lin;
}

void x87_write_lin(struct cpu *c, uint32_t lin, const void *buf, unsigned n)
{
    const uint8_t *in = buf;
    unsigned k = 0;
    for (; k + 4 <= n; k += 4) {
        uint32_t v;
        memcpy(&v, in + k, 4);
        lin_wr(c, lin + k, 4, v);
    }
    for (; k < n; k++)
        lin_wr(c, lin + k, 1, in[k]);
}
