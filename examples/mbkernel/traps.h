/* traps.h -- the kernel's own GDT, an IDT, the PICs and the PIT: after
 * traps_init, IRQ 0 counts ticks at TICK_HZ and every other vector is
 * caught. */
#ifndef MBK_TRAPS_H
#define MBK_TRAPS_H

#include <stdint.h>

#define TICK_HZ 100

void traps_init(void);
uint32_t ticks(void);          /* timer interrupts since traps_init */

#endif
