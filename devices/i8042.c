/* i8042.c -- the 8042 keyboard controller: controller commands, the one-
 * byte output buffer fed by its own replies, the keyboard and the mouse
 * (in that order), translation of keyboard bytes to set 1, and IRQ 1/12
 * driven from "output buffer full" as the PC wires them (the PIC sees the
 * rising edge of each new byte). */
#include "i8042.h"

#include <string.h>

#include "machine/bus.h"

enum {
    KBC_DATA = 0x60, KBC_CMD = 0x64,
    POWER_ON_CMD = KBC_CMD_XLAT | KBC_CMD_AUX_INT | KBC_CMD_KBD_INT,
    /* Output port: bit 0 reset (active low), 1 A20, 4 IRQ 1, 5 IRQ 12;
     * the clock and data lines (2, 3, 6, 7) idle high. */
    OUT_RESET = 0x01, OUT_A20 = 0x02, OUT_IRQ1 = 0x10, OUT_IRQ12 = 0x20, OUT_LINES = 0xCC,
    INPUT_PORT = 0x80,           /* bit 7: keyboard not inhibited */
};

/* ---- the output buffer and the interrupt lines ---- */

static void update_irq(struct i8042 *k)
{
    uint8_t cmd = k->ram[0];
    bool kbd = k->obf && !k->obf_aux && (cmd & KBC_CMD_KBD_INT);
    bool aux = k->obf && k->obf_aux && (cmd & KBC_CMD_AUX_INT);
    if (kbd != k->kbd_level) {
        k->kbd_level = kbd;
        irq_set(&k->kbd_irq, kbd);
    }
    if (aux != k->aux_level) {
        k->aux_level = aux;
        irq_set(&k->aux_irq, aux);
    }
}

static void load(struct i8042 *k, uint8_t v, bool aux)
{
    k->out = v;
    k->obf = true;
    k->obf_aux = aux;
}

/* A keyboard byte through the translation when XLAT is on: F0 is eaten
 * and marks the next byte as a break (bit 7).  Returns false when the
 * byte produced nothing for the buffer. */
static bool load_kbd_byte(struct i8042 *k, uint8_t v)
{
    if (!(k->ram[0] & KBC_CMD_XLAT)) {
        load(k, v, false);
        return true;
    }
    if (v == PS2_BREAK) {
        k->xlat_break = true;
        return false;
    }
    load(k, (uint8_t)(ps2_set2_to_set1(v) | (k->xlat_break ? 0x80 : 0)), false);
    k->xlat_break = false;
    return true;
}

static bool load_controller_reply(struct i8042 *k)
{
    if (!k->nctl)
        return false;
    load(k, k->ctl_out[0], k->ctl_aux[0]);
    k->nctl--;
    memmove(k->ctl_out, k->ctl_out + 1, (size_t)k->nctl);
    memmove(k->ctl_aux, k->ctl_aux + 1, (size_t)k->nctl * sizeof k->ctl_aux[0]);
    return true;
}

/* When the buffer is empty, the next byte: controller replies first, then
 * the keyboard and the mouse if their clocks are enabled. */
static void fill(struct i8042 *k)
{
    if (!k->obf && !load_controller_reply(k)) {
        while (!k->obf && !(k->ram[0] & KBC_CMD_KBD_OFF) && ps2kbd_has_data(&k->kbd))
            load_kbd_byte(k, (uint8_t)ps2kbd_read(&k->kbd));
        if (!k->obf && !(k->ram[0] & KBC_CMD_AUX_OFF) && ps2mouse_has_data(&k->mouse))
            load(k, (uint8_t)ps2mouse_read(&k->mouse), true);
    }
    update_irq(k);
}

static void notify(void *opaque)
{
    fill(opaque);
}

static void controller_reply(struct i8042 *k, uint8_t v, bool aux)
{
    if (k->nctl < KBC_OUT_QUEUE) {
        k->ctl_out[k->nctl] = v;
        k->ctl_aux[k->nctl] = aux;
        k->nctl++;
    }
    fill(k);
}

/* ---- the output port: A20 and reset ---- */

static bool a20(const struct i8042 *k)
{
    return k->sig.a20 ? k->sig.a20(k->sig.opaque) : true;
}

static void set_a20(struct i8042 *k, bool on)
{
    if (k->sig.set_a20)
        k->sig.set_a20(k->sig.opaque, on);
}

static void system_reset(struct i8042 *k)
{
    if (k->sig.reset)
        k->sig.reset(k->sig.opaque);
}

static uint8_t output_port(const struct i8042 *k)
{
    return (uint8_t)(OUT_LINES | OUT_RESET | (a20(k) ? OUT_A20 : 0) |
                     (k->obf && !k->obf_aux ? OUT_IRQ1 : 0) |
                     (k->obf && k->obf_aux ? OUT_IRQ12 : 0));
}

static void write_output_port(struct i8042 *k, uint8_t v)
{
    set_a20(k, v & OUT_A20);
    if (!(v & OUT_RESET))
        system_reset(k);
}

/* ---- controller commands (port 0x64) ---- */

static bool command_simple(struct i8042 *k, uint8_t c)
{
    switch (c) {
    case 0xA4: controller_reply(k, 0xF1, false); return true;   /* no password */
    case 0xA7: k->ram[0] |= KBC_CMD_AUX_OFF; return true;
    case 0xA8: k->ram[0] &= ~KBC_CMD_AUX_OFF; return true;
    case 0xA9: controller_reply(k, 0x00, false); return true;   /* aux lines fine */
    case 0xAA:                                                   /* self test */
        k->ram[0] |= KBC_CMD_SYS;
        controller_reply(k, 0x55, false);
        return true;
    case 0xAB: controller_reply(k, 0x00, false); return true;   /* kbd lines fine */
    case 0xAD: k->ram[0] |= KBC_CMD_KBD_OFF; return true;
    case 0xAE: k->ram[0] &= ~KBC_CMD_KBD_OFF; return true;
    case 0xC0: controller_reply(k, INPUT_PORT, false); return true;
    case 0xD0: controller_reply(k, output_port(k), false); return true;
    case 0xDD: set_a20(k, false); return true;
    case 0xDF: set_a20(k, true); return true;
    case 0xE0: controller_reply(k, 0x00, false); return true;   /* test inputs */
    }
    return false;
}

static void command(struct i8042 *k, uint8_t c)
{
    k->wait_data = 0;
    if (c >= 0x20 && c <= 0x3F) {
        controller_reply(k, k->ram[c - 0x20], false);   /* 0x20: command byte */
    } else if ((c >= 0x60 && c <= 0x7F) || (c >= 0xD1 && c <= 0xD4)) {
        k->wait_data = c;
    } else if (c >= 0xF0) {
        /* Pulse the output port bits whose command bit is 0: bit 0 is reset. */
        if (!(c & OUT_RESET))
            system_reset(k);
    } else {
        command_simple(k, c);    /* unknown commands are ignored */
    }
    fill(k);                     /* the enables may have changed */
}

/* ---- data (port 0x60): a command's byte, or for the keyboard ---- */

static void data(struct i8042 *k, uint8_t v)
{
    uint8_t c = k->wait_data;
    k->wait_data = 0;
    if (c >= 0x60 && c <= 0x7F) {
        k->ram[c - 0x60] = v;    /* 0x60: the command byte */
    } else if (c == 0xD1) {
        write_output_port(k, v);
    } else if (c == 0xD2 || c == 0xD3) {
        controller_reply(k, v, c == 0xD3);   /* as if from the device */
    } else if (c == 0xD4) {
        ps2mouse_write(&k->mouse, v);
    } else {
        k->ram[0] &= ~KBC_CMD_KBD_OFF;   /* sending re-enables the keyboard */
        ps2kbd_write(&k->kbd, v);
    }
    fill(k);
}

static uint8_t status(const struct i8042 *k)
{
    return (uint8_t)((k->obf ? KBC_STAT_OBF : 0) | (k->ram[0] & KBC_CMD_SYS) |
                     (k->a2 ? KBC_STAT_A2 : 0) | KBC_STAT_INH |
                     (k->obf && k->obf_aux ? KBC_STAT_AUXB : 0));
}

uint8_t i8042_read(struct i8042 *k, uint32_t port)
{
    if (port == KBC_CMD)
        return status(k);
    uint8_t v = k->out;          /* an empty buffer reads its last byte */
    if (k->obf) {
        k->obf = false;
        k->obf_aux = false;
        update_irq(k);           /* the line falls ... */
        fill(k);                 /* ... and rises with the next byte: an edge each */
    }
    return v;
}

void i8042_write(struct i8042 *k, uint32_t port, uint8_t v)
{
    k->a2 = port == KBC_CMD;
    if (port == KBC_CMD)
        command(k, v);
    else
        data(k, v);
}

static uint32_t port_read(void *opaque, uint32_t port, int size)
{
    (void)size;
    return i8042_read(opaque, port);
}

static void port_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    (void)size;
    i8042_write(opaque, port, (uint8_t)value);
}

/* ---- input and life cycle ---- */

void i8042_key(struct i8042 *k, uint16_t set2_code, bool down)
{
    ps2kbd_key(&k->kbd, set2_code, down);
}

void i8042_mouse_move(struct i8042 *k, int dx, int dy, int dz, int buttons)
{
    ps2mouse_move(&k->mouse, dx, dy, dz, buttons);
}

int i8042_key_backlog(const struct i8042 *k)
{
    return k->kbd.keys.count + k->kbd.reply.count + (k->obf && !k->obf_aux);
}

int i8042_init(struct i8042 *k, struct bus *b, struct vclock *clock,
               struct irq_line kbd_irq, struct irq_line aux_irq,
               const struct i8042_signals *sig)
{
    memset(k, 0, sizeof *k);
    k->kbd_irq = kbd_irq;
    k->aux_irq = aux_irq;
    if (sig)
        k->sig = *sig;
    ps2kbd_init(&k->kbd, clock, notify, k);
    ps2mouse_init(&k->mouse, notify, k);
    i8042_reset(k);
    if (bus_add_ports(b, KBC_DATA, 1, port_read, port_write, k) < 0)
        return -1;
    return bus_add_ports(b, KBC_CMD, 1, port_read, port_write, k);
}

void i8042_reset(struct i8042 *k)
{
    memset(k->ram, 0, sizeof k->ram);
    k->ram[0] = POWER_ON_CMD;
    k->obf = k->obf_aux = false;
    k->out = 0;
    k->nctl = 0;
    k->wait_data = 0;
    k->a2 = false;
    k->xlat_break = false;
    ps2kbd_reset(&k->kbd);
    ps2mouse_reset(&k->mouse);
    update_irq(k);
}

void i8042_free(struct i8042 *k)
{
    ps2kbd_free(&k->kbd);
}
