/* uart.h -- the 16550A UART (COM1 0x3F8 IRQ 4, COM2 0x2F8 IRQ 3): registers,
 * 16-byte FIFOs, interrupt causes, modem lines and loopback, characters
 * timed on the virtual clock at the baud rate; a struct chardev plugged in. */
#ifndef X86LAB_UART_H
#define X86LAB_UART_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/clock.h"
#include "machine/irq.h"

struct bus;
struct chardev;

enum { UART_FIFO_SIZE = 16, UART_CLOCK_HZ = 1843200 };

/* Register offsets from the base port. */
enum {
    UART_RBR = 0, UART_THR = 0, UART_DLL = 0,
    UART_IER = 1, UART_DLM = 1,
    UART_IIR = 2, UART_FCR = 2,
    UART_LCR = 3, UART_MCR = 4, UART_LSR = 5, UART_MSR = 6, UART_SCR = 7,
};

enum {  /* IER */
    IER_RDA = 0x01, IER_THRE = 0x02, IER_RLS = 0x04, IER_MS = 0x08,
};
enum {  /* IIR: the cause in bits 3:1, FIFOs on in bits 7:6 */
    IIR_NONE = 0x01, IIR_RLS = 0x06, IIR_RDA = 0x04, IIR_CTI = 0x0C,
    IIR_THRE = 0x02, IIR_MS = 0x00, IIR_FIFO = 0xC0,
};
enum {  /* FCR */
    FCR_ENABLE = 0x01, FCR_CLEAR_RX = 0x02, FCR_CLEAR_TX = 0x04, FCR_DMA = 0x08,
};
enum {  /* LCR */
    LCR_WLEN = 0x03, LCR_STOP = 0x04, LCR_PARITY = 0x08, LCR_BREAK = 0x40, LCR_DLAB = 0x80,
};
enum {  /* MCR */
    MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10,
};
enum {  /* LSR */
    LSR_DR = 0x01, LSR_OE = 0x02, LSR_PE = 0x04, LSR_FE = 0x08, LSR_BI = 0x10,
    LSR_THRE = 0x20, LSR_TEMT = 0x40, LSR_FIFOERR = 0x80,
    LSR_ERRORS = LSR_OE | LSR_PE | LSR_FE | LSR_BI,
};
enum {  /* MSR */
    MSR_DCTS = 0x01, MSR_DDSR = 0x02, MSR_TERI = 0x04, MSR_DDCD = 0x08,
    MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80,
    MSR_DELTAS = 0x0F,
};

struct uart_fifo {
    uint8_t data[UART_FIFO_SIZE];
    uint8_t err[UART_FIFO_SIZE];   /* LSR error bits that came with the byte */
    unsigned head, count;
};

struct uart {
    /* wiring */
    struct vclock *clock;
    struct irq_line irq;
    struct chardev *chr;           /* NULL: nothing plugged in */
    uint16_t base;

    /* registers */
    uint16_t divisor;
    uint8_t ier, lcr, mcr, fcr, scr;
    uint8_t lsr_err;               /* OE/PE/FE/BI latched until LSR is read */
    uint8_t msr;                   /* status bits 7:4 and deltas 3:0 */
    uint8_t last_rbr;              /* what RBR reads when the FIFO is empty */

    /* data path: without FIFOs both hold one byte (THR and RBR) */
    struct uart_fifo rx, tx;
    uint8_t tsr;                   /* the transmit shift register */
    bool tsr_busy;
    bool thr_ipending;             /* THR became empty; cleared by IIR read or THR write */
    bool timeout_pending;          /* character timeout (FIFO mode) */
    bool irq_level;

    struct timer tx_timer;         /* the character in the TSR is out */
    struct timer rx_timer;         /* the next byte from the backend */
    struct timer timeout_timer;    /* 4 character times without FIFO activity */
    struct timer break_timer;      /* loopback: a break has lasted a character */

    uint64_t tx_count, rx_count, overruns;
    bool real_timing;              /* transmit at the baud rate (else 1 us a character) */
};

int uart_init(struct uart *u, struct bus *b, struct vclock *clock,
              struct irq_line irq, uint16_t base, struct chardev *chr);
void uart_reset(struct uart *u);
void uart_free(struct uart *u);

/* Virtual ns for one character at the current divisor and line format. */
uint64_t uart_char_ns(const struct uart *u);
/* Register access by offset 0-7 (what the port callbacks use). */
uint8_t uart_read(struct uart *u, unsigned reg);
void uart_write(struct uart *u, unsigned reg, uint8_t value);

#endif
