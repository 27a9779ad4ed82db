/* dma.h -- the PC/AT pair of Intel 8237A DMA controllers: channels 0-3
 * (8-bit, ports 0x00-0x0F), channels 4-7 (16-bit, ports 0xC0-0xDF, word
 * addresses; channel 4 cascades the first controller) and the page
 * registers (0x81-0x8F).  Devices (the floppy controller) move their data
 * through dma_transfer. */
#ifndef X86LAB_DMA_H
#define X86LAB_DMA_H

#include <stdbool.h>
#include <stdint.h>

struct bus;

/* Mode register (ports 0x0B / 0xD6) fields. */
enum {
    DMA_MODE_TYPE = 0x0C,        /* transfer type: */
    DMA_TYPE_VERIFY = 0x00,      /*   cycles without memory access */
    DMA_TYPE_WRITE = 0x04,       /*   device -> memory */
    DMA_TYPE_READ = 0x08,        /*   memory -> device */
    DMA_MODE_AUTOINIT = 0x10,    /* reload base address/count at TC */
    DMA_MODE_DOWN = 0x20,        /* address decrements */
    DMA_MODE_SEL = 0xC0,         /* demand 0x00, single 0x40, block 0x80, cascade 0xC0 */
    DMA_SEL_BLOCK = 0x80,
    DMA_SEL_CASCADE = 0xC0,
};

struct dma_chan {
    uint16_t base_addr, base_count;     /* as written: reloaded by auto-init */
    uint16_t cur_addr, cur_count;       /* count = transfers left - 1 */
    uint8_t mode;
    bool eop;                           /* the last dma_transfer ended at TC */
};

/* One 8237A. */
struct dma_ctrl {
    struct dma_chan ch[4];
    bool flipflop;                      /* false: next byte is the low one */
    uint8_t command;
    uint8_t mask;                       /* bit n: channel n masked */
    uint8_t request;                    /* software request bits */
    uint8_t tc;                         /* status bits 0-3, cleared on read */
};

struct dma {
    struct bus *bus;
    struct dma_ctrl ctrl[2];            /* [0] channels 0-3, [1] channels 4-7 */
    uint8_t page[16];                   /* ports 0x80-0x8F (0x80 is not ours) */
};

int dma_init(struct dma *d, struct bus *b);
void dma_reset(struct dma *d);

/* Moves up to len bytes between buf and guest memory at the channel's
 * current address, as the channel's mode says (direction, increment or
 * decrement, auto-init); 16-bit channels move whole words.  Returns the
 * bytes moved: fewer than len when the channel reached terminal count
 * (then dma_tc_reached is true) and 0 when the channel cannot be served
 * (masked, cascade mode, controller disabled).  A mode whose direction is
 * not to_memory, or verify mode, runs the cycles without touching memory
 * (buf then reads as ones). */
int dma_transfer(struct dma *d, int channel, void *buf, int len, bool to_memory);
/* Whether the last dma_transfer on the channel ended at terminal count
 * (the EOP/TC signal a device sees). */
bool dma_tc_reached(const struct dma *d, int channel);

#endif
