/* console.c -- the kernel's console: COM1 (8250/16550 UART at 3F8h) polled,
 * cprintf() formatting a whole line before taking the lock so that lines
 * from different CPUs never mix, and panic(). */
#include <stdarg.h>

#include "../common/fmt.h"
#include "defs.h"
#include "x86.h"

#define COM1 0x3F8

static struct spinlock conslock;
static int uart_present;
static volatile int panicked;

void consoleinit(void)
{
    initlock(&conslock, "console");
    outb(COM1 + 2, 0);          /* FIFOs off */
    outb(COM1 + 3, 0x80);       /* DLAB: the divisor follows */
    outb(COM1 + 0, 1);          /* 115200 baud */
    outb(COM1 + 1, 0);
    outb(COM1 + 3, 0x03);       /* 8 data bits, no parity, 1 stop bit */
    outb(COM1 + 4, 0);
    outb(COM1 + 1, 0);          /* no UART interrupts: we poll */
    uart_present = inb(COM1 + 5) != 0xFF;
}

static void uart_putc(char c)
{
    if (!uart_present)
        return;
    for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
        pause();                /* until the transmitter holding register is empty */
    outb(COM1, (uint8_t)c);
}

/* n bytes to the console, \n as \r\n; the caller holds conslock. */
static void write_locked(const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            uart_putc('\r');
        uart_putc(s[i]);
    }
}

void console_write(const char *s, uint32_t n)
{
    acquire(&conslock);
    write_locked(s, n);
    release(&conslock);
}

void cprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vformat(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (panicked) {             /* another CPU panicked: stay quiet */
        for (;;)
            hlt();
    }
    console_write(buf, (uint32_t)n);
}

/* Prints without the lock (its holder may be what went wrong) and ends
 * the machine with EXIT_PANIC. */
void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    cli();
    va_start(ap, fmt);
    int n = vformat(buf, sizeof buf, fmt, ap);
    va_end(ap);
    panicked = 1;
    write_locked("kernel: panic: ", 15);
    write_locked(buf, (uint32_t)n);
    write_locked("\n", 1);
    outb(0xF4, EXIT_PANIC);
    for (;;)
        hlt();
}
