/* traps.c -- descriptor tables and interrupt hardware: a flat GDT (the
 * loader's may be anywhere, even overwritten), an IDT whose gates point at
 * the stubs of entry.asm, the 8259A PICs moved to vectors 20h-2Fh with
 * IRQ 0 and 4 (COM1) let through, and the 8254 PIT's channel 0 at TICK_HZ.  (The same steps as the nasm
 * examples ../interrupts and ../common/pic_pit.inc, now in C.) */
#include "traps.h"

#include "lib.h"
#include "x86.h"

struct gdt_ptr {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t zero;
    uint8_t type;               /* 8Eh: present, DPL 0, 32-bit interrupt gate */
    uint16_t offset_hi;
} __attribute__((packed));

/* In entry.asm. */
void gdt_load(const struct gdt_ptr *p);
void irq0_entry(void);
void irq4_entry(void);
void irq_other_entry(void);
void unexpected_entry(void);

/* Null, flat code (selector 08h), flat data (10h): see ../pmode. */
static const uint64_t gdt[3] = {
    0,
    0x00CF9A000000FFFFull,
    0x00CF92000000FFFFull,
};
static struct idt_gate idt[256];
/* Changed by the interrupt handler, read by the shell: volatile, so the
 * compiler reads memory every time instead of keeping it in a register. */
static volatile uint32_t tick_count;

enum { PIC1 = 0x20, PIC2 = 0xA0, IRQ_BASE = 0x20, PIT_HZ = 1193182 };

static void set_gate(int vector, void (*handler)(void))
{
    uint32_t a = (uint32_t)handler;
    idt[vector] = (struct idt_gate){ (uint16_t)a, 0x08, 0, 0x8E, (uint16_t)(a >> 16) };
}

/* ICW1-ICW4 to both chips (see ../common/pic_pit.inc), then all IRQs
 * masked but IRQ 0 (timer), IRQ 4 (COM1) and IRQ 2 (the second chip). */
static void pic_init(void)
{
    outb(PIC1, 0x11);
    outb(PIC2, 0x11);
    outb(PIC1 + 1, IRQ_BASE);
    outb(PIC2 + 1, IRQ_BASE + 8);
    outb(PIC1 + 1, 0x04);
    outb(PIC2 + 1, 0x02);
    outb(PIC1 + 1, 0x01);
    outb(PIC2 + 1, 0x01);
    outb(PIC1 + 1, 0xEA);
    outb(PIC2 + 1, 0xFF);
}

/* Channel 0, lobyte/hibyte, mode 2 (rate generator). */
static void pit_init(void)
{
    uint32_t divisor = PIT_HZ / TICK_HZ;
    outb(0x43, 0x34);
    outb(0x40, (uint8_t)divisor);
    outb(0x40, (uint8_t)(divisor >> 8));
}

void traps_init(void)
{
    static const struct gdt_ptr gp = { sizeof gdt - 1, (uint32_t)gdt };
    gdt_load(&gp);
    for (int v = 0; v < 256; v++)
        set_gate(v, unexpected_entry);
    for (int v = IRQ_BASE; v < IRQ_BASE + 16; v++)
        set_gate(v, irq_other_entry);
    set_gate(IRQ_BASE, irq0_entry);
    set_gate(IRQ_BASE + 4, irq4_entry);   /* COM1 (lib.c) */
    struct gdt_ptr ip = { sizeof idt - 1, (uint32_t)idt };
    __asm__ volatile("lidt %0" : : "m"(ip));
    pic_init();
    pit_init();
    sti();
}

uint32_t ticks(void)
{
    return tick_count;
}

/* Called by irq0_entry. */
void timer_irq(void)
{
    tick_count++;
    outb(PIC1, 0x20);                   /* end of interrupt */
}

/* Masked IRQs can still arrive as "spurious" IRQ 7 or 15: acknowledge
 * and ignore. */
void irq_other(void)
{
    outb(PIC2, 0x20);
    outb(PIC1, 0x20);
}

/* A CPU exception: a bug in this kernel. */
void unexpected_interrupt(void)
{
    kprintf("\nmbkernel: unexpected exception, halting\n");
    for (;;) {
        cli();
        hlt();
    }
}
