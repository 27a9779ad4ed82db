/* trap.c -- the IDT and trap(), where every interrupt, exception and
 * system call arrives (through alltraps in trapasm.asm): timer ticks,
 * INT 0x40 system calls, and faults (a user fault ends init, a kernel
 * fault panics). */
#include "../common/syscall.h"
#include "defs.h"
#include "x86.h"

struct gatedesc {
    uint16_t off_lo, sel;
    uint8_t zero, type;
    uint16_t off_hi;
};

static struct gatedesc idt[256];
volatile uint32_t ticks;            /* CPU 0's timer interrupts: the uptime */

static void setgate(int n, uint32_t handler, int istrap, int dpl)
{
    idt[n].off_lo = handler & 0xFFFF;
    idt[n].sel = SEG_KCODE;
    idt[n].zero = 0;
    idt[n].type = 0x80 | dpl << 5 | (istrap ? 0xF : 0xE);
    idt[n].off_hi = handler >> 16;
}

/* Interrupt gates (IF off on entry) but for system calls: a trap gate
 * that ring 3 may use. */
void tvinit(void)
{
    for (int i = 0; i < 256; i++)
        setgate(i, vectors[i], 0, 0);
    setgate(T_SYSCALL, vectors[T_SYSCALL], 1, 3);
}

void idtinit(void)
{
    lidt(idt, sizeof idt);
}

static void timer(void)
{
    struct cpu *c = mycpu();
    c->ticks++;
    if (c == &cpus[0])
        __atomic_add_fetch(&ticks, 1, __ATOMIC_SEQ_CST);
    lapiceoi();
}

static void fault(struct trapframe *tf)
{
    if ((tf->cs & 3) == 3) {
        cprintf("kernel: init killed: trap %d, error %x, eip %p, cr2 %p\n",
                tf->trapno, tf->err, tf->eip, rcr2());
        finish(-1);
    }
    panic("trap %d, error %x, eip %p, cr2 %p on cpu %d", tf->trapno, tf->err, tf->eip,
          rcr2(), cpuid());
}

void trap(struct trapframe *tf)
{
    switch (tf->trapno) {
    case T_SYSCALL:
        syscall(tf);
        break;
    case T_TIMER:
        timer();
        break;
    case T_SPURIOUS:            /* no EOI for these */
        break;
    default:
        fault(tf);
    }
}
