/* lib.c -- COM1 (a 16550 UART: output polled, input through its receive
 * interrupt into a ring buffer), kprintf, and the memory and string
 * functions. */
#include "lib.h"

#include <stdarg.h>

#include "x86.h"

enum {
    COM1 = 0x3F8,
    UART_DATA = 0, UART_IER = 1, UART_FCR = 2, UART_LCR = 3, UART_MCR = 4, UART_LSR = 5,
    LSR_DATA_READY = 0x01, LSR_THR_EMPTY = 0x20,
    MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT2 = 0x08,
};

/* Bytes received, written by serial_irq and read by serial_getc: a ring
 * of 256 with 8-bit indexes that wrap by themselves.  volatile: they
 * change behind the compiler's back (in the interrupt handler). */
static volatile uint8_t rx_buf[256];
static volatile uint8_t rx_head, rx_tail;

/* 115200 baud (divisor 1), 8 data bits, no parity, 1 stop bit, FIFOs on
 * (interrupt after every byte), an interrupt when data comes in. */
void serial_init(void)
{
    outb(COM1 + UART_IER, 0x00);        /* no interrupts while we set it up */
    outb(COM1 + UART_LCR, 0x80);        /* DLAB = 1: the divisor latch */
    outb(COM1 + 0, 1);                  /* divisor low byte */
    outb(COM1 + 1, 0);                  /* divisor high byte */
    outb(COM1 + UART_LCR, 0x03);        /* DLAB = 0, 8N1 */
    outb(COM1 + UART_FCR, 0x07);        /* FIFOs on and cleared, trigger level 1 */
    serial_accept_input(0);
    outb(COM1 + UART_IER, 0x01);        /* IRQ 4 when a byte is received */
}

/* Flow control.  The receiver keeps 16 bytes in its FIFO; a byte that
 * comes when it is full is lost ("overrun").  Raising DTR and RTS (modem
 * control register bits 0 and 1) tells the other side "send"; lowering
 * them, "wait" -- a terminal with RTS/CTS flow control, and x86lab's
 * serial backends, hold their bytes meanwhile.  The shell opens the line
 * while it reads a command and closes it while it runs one. */
void serial_accept_input(int on)
{
    /* OUT2 stays up: on the PC it connects the UART's interrupt to IRQ 4. */
    outb(COM1 + UART_MCR, MCR_OUT2 | (on ? MCR_DTR | MCR_RTS : 0));
}

/* IRQ 4 (from entry.asm): take every byte the FIFO holds.  A full ring
 * drops the byte, as a full FIFO would. */
void serial_irq(void)
{
    while (inb(COM1 + UART_LSR) & LSR_DATA_READY) {
        uint8_t b = inb(COM1 + UART_DATA);
        if ((uint8_t)(rx_head + 1) != rx_tail)
            rx_buf[rx_head++] = b;
    }
    outb(0x20, 0x20);                   /* end of interrupt to the PIC */
}

static void put_raw(char c)
{
    while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
        ;
    outb(COM1 + UART_DATA, (uint8_t)c);
}

/* Waits until the last byte has left the UART (line status bit 6,
 * "transmitter empty"): before a reset, or it would be lost. */
void serial_flush(void)
{
    while (!(inb(COM1 + UART_LSR) & 0x40))
        ;
}

void serial_putc(char c)
{
    if (c == '\n')
        put_raw('\r');                  /* terminals want CR LF */
    put_raw(c);
}

/* Nothing to read: sleep until an interrupt instead of spinning.  The
 * check and the sleep must not be split by the interrupt we wait for (it
 * would come in between and HLT would sleep past it): so CLI, look, and
 * "STI; HLT" -- STI enables interrupts only after the next instruction,
 * so the interrupt can only wake the HLT, never come before it. */
int serial_getc(void)
{
    for (;;) {
        cli();
        if (rx_head != rx_tail) {
            int c = rx_buf[rx_tail++];
            sti();
            return c;
        }
        __asm__ volatile("sti; hlt" ::: "memory");
    }
}

static void put_str(const char *s, int width, char pad)
{
    int len = (int)strlen(s);
    for (; width > len; width--)
        serial_putc(pad);
    while (*s)
        serial_putc(*s++);
}

/* v in base 10 or 16 into buf (backwards from its end); returns the start. */
static char *format_u64(char *end, uint64_t v, unsigned base)
{
    *--end = 0;
    do {
        /* 64-bit division would need libgcc (__udivdi3): shift for hex,
         * and only 32-bit values are printed in decimal. */
        unsigned digit = base == 16 ? (unsigned)(v & 15) : (unsigned)((uint32_t)v % 10);
        *--end = "0123456789abcdef"[digit];
        v = base == 16 ? v >> 4 : (uint32_t)v / 10;
    } while (v);
    return end;
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            serial_putc(*fmt);
            continue;
        }
        char pad = ' ', buf[24];
        int width = 0, longs = 0;
        if (*++fmt == '0')
            pad = '0';
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case 's': put_str(va_arg(ap, const char *), width, ' '); break;
        case 'c': serial_putc((char)va_arg(ap, int)); break;
        case 'u': put_str(format_u64(buf + sizeof buf, va_arg(ap, uint32_t), 10), width, pad); break;
        case 'd': {
            int32_t v = va_arg(ap, int32_t);
            if (v < 0)
                serial_putc('-');
            put_str(format_u64(buf + sizeof buf, v < 0 ? -(uint32_t)v : (uint32_t)v, 10), width, pad);
            break;
        }
        case 'x': {
            uint64_t v = longs >= 2 ? va_arg(ap, uint64_t) : va_arg(ap, uint32_t);
            put_str(format_u64(buf + sizeof buf, v, 16), width, pad);
            break;
        }
        case '%': serial_putc('%'); break;
        default: va_end(ap); return;   /* a format this printf does not know */
        }
    }
    va_end(ap);
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}
