/* ps2mouse.h -- a PS/2 mouse on the 8042's auxiliary port: its command
 * set (reset, identify, sample rate, resolution, scaling, status, stream,
 * remote and wrap modes), 3-byte packets, and 4-byte IntelliMouse packets
 * with a wheel after the 200-100-80 sample-rate knock. */
#ifndef X86LAB_PS2MOUSE_H
#define X86LAB_PS2MOUSE_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/ps2kbd.h"

enum {
    PS2M_LEFT = 1, PS2M_RIGHT = 2, PS2M_MIDDLE = 4,      /* button bits */
    PS2M_QUEUE = 24,             /* bytes of packets the mouse holds */
};

struct ps2mouse {
    void (*notify)(void *opaque);  /* bytes are ready for the controller */
    void *opaque;
    struct ps2_queue reply;        /* command responses, sent before packets */
    struct ps2_queue data;         /* whole movement packets */
    uint8_t last_sent;             /* for the resend command */
    uint8_t wait_arg;              /* command waiting for its argument, or 0 */
    uint8_t rate, resolution;      /* samples/s; 0-3 = 1, 2, 4, 8 counts/mm */
    bool scaling21, enabled, remote, wrap;
    uint8_t id;                    /* 0, or 3 (IntelliMouse: wheel) */
    uint8_t knock[3];              /* the last three sample rates set */
    int dx, dy, dz;                /* movement not yet reported (y up) */
    uint8_t buttons, reported_buttons;
};

void ps2mouse_init(struct ps2mouse *m, void (*notify)(void *opaque), void *opaque);
/* Power-on state: stream mode, disabled, 100 samples/s, 4 counts/mm. */
void ps2mouse_reset(struct ps2mouse *m);

void ps2mouse_write(struct ps2mouse *m, uint8_t v);
bool ps2mouse_has_data(const struct ps2mouse *m);
int ps2mouse_read(struct ps2mouse *m);

/* Movement from a frontend: dx right, dy DOWN (screen direction; packets
 * carry it upwards), dz wheel clicks towards the user; buttons PS2M_*. */
void ps2mouse_move(struct ps2mouse *m, int dx, int dy, int dz, int buttons);

#endif
