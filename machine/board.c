/* board.c -- the PC/AT board: which chips exist, the ports and IRQ lines
 * they are wired to, and their reset.  Device files know nothing of each
 * other; only this file connects them. */
#include "machine.h"

int board_init(struct machine *m)
{
    (void)m;
    /* chips */
    return 0;
}

void board_reset(struct machine *m)
{
    (void)m;
    /* chip resets */
}

void board_free(struct machine *m)
{
    (void)m;
    /* chip teardown */
}
