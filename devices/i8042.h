/* i8042.h -- the 8042 keyboard controller at ports 0x60 (data) and 0x64
 * (status/command): its command byte, output buffer, set 2 -> set 1
 * translation, the output port's A20 and reset lines, and the PS/2
 * keyboard and mouse behind it (IRQ 1 and IRQ 12 follow its output buffer). */
#ifndef X86LAB_I8042_H
#define X86LAB_I8042_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/ps2kbd.h"
#include "devices/ps2mouse.h"
#include "machine/clock.h"
#include "machine/irq.h"

struct bus;

/* Status register bits (port 0x64). */
enum {
    KBC_STAT_OBF = 0x01, KBC_STAT_IBF = 0x02, KBC_STAT_SYS = 0x04,
    KBC_STAT_A2 = 0x08, KBC_STAT_INH = 0x10, KBC_STAT_AUXB = 0x20,
    KBC_STAT_TIMEOUT = 0x40, KBC_STAT_PARITY = 0x80,
};

/* Command byte bits (controller RAM byte 0: commands 0x20 / 0x60). */
enum {
    KBC_CMD_KBD_INT = 0x01, KBC_CMD_AUX_INT = 0x02, KBC_CMD_SYS = 0x04,
    KBC_CMD_KBD_OFF = 0x10, KBC_CMD_AUX_OFF = 0x20, KBC_CMD_XLAT = 0x40,
};

/* The board lines the controller drives, without knowing the machine. */
struct i8042_signals {
    void (*reset)(void *opaque);           /* pulse the system reset line */
    void (*set_a20)(void *opaque, bool on);
    bool (*a20)(void *opaque);             /* the gate's current state */
    void *opaque;
};

enum { KBC_OUT_QUEUE = 4 };

struct i8042 {
    struct irq_line kbd_irq, aux_irq;
    struct i8042_signals sig;
    struct ps2kbd kbd;
    struct ps2mouse mouse;
    uint8_t ram[32];               /* ram[0] is the command byte */
    uint8_t out;                   /* the output buffer (port 0x60) */
    bool obf, obf_aux;             /* full, and holding mouse data */
    uint8_t ctl_out[KBC_OUT_QUEUE];/* controller replies waiting for the buffer */
    bool ctl_aux[KBC_OUT_QUEUE];   /* ... each as keyboard or mouse data */
    int nctl;
    uint8_t wait_data;             /* command waiting for a byte on 0x60, or 0 */
    bool a2;                       /* last write went to 0x64 */
    bool xlat_break;               /* translation saw F0: bit 7 on the next byte */
    bool kbd_level, aux_level;     /* IRQ 1 and IRQ 12 as driven */
};

int i8042_init(struct i8042 *k, struct bus *b, struct vclock *clock,
               struct irq_line kbd_irq, struct irq_line aux_irq,
               const struct i8042_signals *sig);
/* Power-on state: command byte 0x43 (translation, both interrupts on),
 * buffers empty; keyboard and mouse reset too. */
void i8042_reset(struct i8042 *k);
void i8042_free(struct i8042 *k);

/* Frontend input.  set2_code: a set 2 make code, 0xE0xx for extended keys
 * (0xE075 up arrow), PS2_KEY_PAUSE for Pause.  Mouse: dx right, dy down,
 * dz wheel towards the user, buttons bit 0 left, 1 right, 2 middle. */
void i8042_key(struct i8042 *k, uint16_t set2_code, bool down);
void i8042_mouse_move(struct i8042 *k, int dx, int dy, int dz, int buttons);
/* Keyboard bytes not yet read by the guest (its 16-byte buffer, replies
 * and the output buffer): a frontend feeding pasted text can wait for this
 * to fall instead of overrunning the keyboard as a fast typist would. */
int i8042_key_backlog(const struct i8042 *k);

/* Port access for tests and the debugger (as the guest's IN/OUT). */
uint8_t i8042_read(struct i8042 *k, uint32_t port);
void i8042_write(struct i8042 *k, uint32_t port, uint8_t v);

#endif
