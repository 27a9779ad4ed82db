/* console_board.c -- the console's view of the PC board: the VGA's text
 * screen (devices/vga.h) and the keyboard port of the 8042
 * (devices/i8042.h), adapted to the console's display and keyboard hooks. */
#include "console.h"

#include "machine/machine.h"

static bool vga_mode(const void *dev, int *cols, int *rows)
{
    return vga_text_mode(dev, cols, rows);
}

static uint16_t vga_cell(const void *dev, int col, int row)
{
    return vga_text_cell(dev, col, row);
}

static void vga_cur(const void *dev, int *col, int *row, bool *visible)
{
    vga_cursor(dev, col, row, visible);
}

static void kbd_key(void *dev, uint16_t set2_code, bool down)
{
    i8042_key(dev, set2_code, down);
}

static int kbd_backlog(const void *dev)
{
    return i8042_key_backlog(dev);
}

void console_attach_board(struct console *k, struct machine *m)
{
    const struct console_keyboard kb = { kbd_key, kbd_backlog, &m->i8042 };
    const struct console_display d = { vga_mode, vga_cell, vga_cur, &m->vga };
    console_set_keyboard(k, &kb);
    console_set_display(k, &d);
}
