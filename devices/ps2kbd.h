/* ps2kbd.h -- a PS/2 (MF II) keyboard behind the 8042: its command set,
 * scan code sets 1 and 2, typematic repeat on the virtual clock and its
 * 16-byte buffer.  Also the byte queue the PS/2 mouse uses too, and the
 * 8042's set 2 -> set 1 translation table (the keyboard needs it for set 1). */
#ifndef X86LAB_PS2KBD_H
#define X86LAB_PS2KBD_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/clock.h"

enum { PS2_QUEUE_MAX = 32 };

struct ps2_queue {
    uint8_t data[PS2_QUEUE_MAX];
    uint8_t head, count, cap;
};

void ps2_queue_init(struct ps2_queue *q, int cap);
void ps2_queue_clear(struct ps2_queue *q);
bool ps2_queue_put(struct ps2_queue *q, uint8_t v);   /* false when full */
int ps2_queue_get(struct ps2_queue *q);               /* -1 when empty */
int ps2_queue_room(const struct ps2_queue *q);
int ps2_queue_last(const struct ps2_queue *q);        /* -1 when empty */

/* Bytes a PS/2 device sends. */
enum {
    PS2_ACK = 0xFA, PS2_RESEND = 0xFE, PS2_BAT_OK = 0xAA, PS2_ECHO = 0xEE,
    PS2_BREAK = 0xF0, PS2_EXT = 0xE0,
};

/* Keys given to ps2kbd_key are set 2 make codes: 0x00-0xFF, 0xE0xx for
 * the extended keys (0xE075 up arrow, 0xE07C Print Screen), and this
 * one for Pause, whose make sequence starts with E1 and which has no break. */
enum { PS2_KEY_PAUSE = 0xE114 };

enum { PS2KBD_BUFFER = 16 };    /* the keyboard's own buffer, in bytes */

struct ps2kbd {
    struct vclock *clock;
    void (*notify)(void *opaque);  /* bytes are ready for the controller */
    void *opaque;
    struct ps2_queue reply;        /* command responses, sent before keys */
    struct ps2_queue keys;         /* scan codes, + 1 slot for the overrun code */
    uint8_t last_sent;             /* for the resend command */
    uint8_t wait_arg;              /* command waiting for its argument, or 0 */
    uint8_t set;                   /* scan code set: 1 or 2 */
    bool enabled;                  /* scanning (F4/F5) */
    uint8_t leds;                  /* bit 0 Scroll, 1 Num, 2 Caps Lock */
    uint8_t typematic;             /* F3 argument: rate bits 0-4, delay bits 5-6 */
    uint16_t repeat_key;           /* the held key that repeats, 0 for none */
    struct timer repeat_timer;
};

void ps2kbd_init(struct ps2kbd *k, struct vclock *clock,
                 void (*notify)(void *opaque), void *opaque);
/* Power-on state: set 2, scanning, default typematic, buffers empty. */
void ps2kbd_reset(struct ps2kbd *k);
void ps2kbd_free(struct ps2kbd *k);

/* A byte from the controller (command or argument). */
void ps2kbd_write(struct ps2kbd *k, uint8_t v);
bool ps2kbd_has_data(const struct ps2kbd *k);
/* The next byte for the controller, or -1. */
int ps2kbd_read(struct ps2kbd *k);

/* A key went down or up (frontends). */
void ps2kbd_key(struct ps2kbd *k, uint16_t set2_code, bool down);

/* The 8042's translation of one set 2 byte to set 1 (break prefix F0 is
 * handled by the caller: it sets bit 7 of the next byte). */
uint8_t ps2_set2_to_set1(uint8_t v);

/* Typematic period and delay in virtual ns for an F3 argument. */
uint64_t ps2kbd_repeat_period_ns(uint8_t typematic);
uint64_t ps2kbd_repeat_delay_ns(uint8_t typematic);

#endif
