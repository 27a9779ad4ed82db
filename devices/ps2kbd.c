/* ps2kbd.c -- the PS/2 keyboard: commands from the controller, key events
 * from frontends turned into set 1 or set 2 byte sequences, typematic
 * repeat of the last key held, and the bounded buffer with its overrun code.
 * Scan code set 3 is not implemented: selecting it is refused (0xFE). */
#include "ps2kbd.h"

#include <string.h>

/* ---- the byte queue (also used by the mouse) ---- */

void ps2_queue_init(struct ps2_queue *q, int cap)
{
    memset(q, 0, sizeof *q);
    q->cap = (uint8_t)(cap > PS2_QUEUE_MAX ? PS2_QUEUE_MAX : cap);
}

void ps2_queue_clear(struct ps2_queue *q)
{
    q->head = 0;
    q->count = 0;
}

bool ps2_queue_put(struct ps2_queue *q, uint8_t v)
{
    if (q->count >= q->cap)
        return false;
    q->data[(q->head + q->count) % PS2_QUEUE_MAX] = v;
    q->count++;
    return true;
}

int ps2_queue_get(struct ps2_queue *q)
{
    if (!q->count)
        return -1;
    uint8_t v = q->data[q->head];
    q->head = (uint8_t)((q->head + 1) % PS2_QUEUE_MAX);
    q->count--;
    return v;
}

int ps2_queue_room(const struct ps2_queue *q)
{
    return q->cap - q->count;
}

int ps2_queue_last(const struct ps2_queue *q)
{
    if (!q->count)
        return -1;
    return q->data[(q->head + q->count - 1) % PS2_QUEUE_MAX];
}

/* ---- scan code translation ---- */

/* The 8042's set 2 -> set 1 table for bytes 0x00-0x7F; above that it passes
 * bytes unchanged except 0x83 (F7) and 0x84 (Alt+SysRq).  Byte 0x00, the
 * set 2 overrun code, becomes 0xFF, set 1's. */
static const uint8_t set2_to_set1[128] = {
    /* 0x00 */ 0xff, 0x43, 0x41, 0x3f, 0x3d, 0x3b, 0x3c, 0x58, 0x64, 0x44, 0x42, 0x40, 0x3e, 0x0f, 0x29, 0x59,
    /* 0x10 */ 0x65, 0x38, 0x2a, 0x70, 0x1d, 0x10, 0x02, 0x5a, 0x66, 0x71, 0x2c, 0x1f, 0x1e, 0x11, 0x03, 0x5b,
    /* 0x20 */ 0x67, 0x2e, 0x2d, 0x20, 0x12, 0x05, 0x04, 0x5c, 0x68, 0x39, 0x2f, 0x21, 0x14, 0x13, 0x06, 0x5d,
    /* 0x30 */ 0x69, 0x31, 0x30, 0x23, 0x22, 0x15, 0x07, 0x5e, 0x6a, 0x72, 0x32, 0x24, 0x16, 0x08, 0x09, 0x5f,
    /* 0x40 */ 0x6b, 0x33, 0x25, 0x17, 0x18, 0x0b, 0x0a, 0x60, 0x6c, 0x34, 0x35, 0x26, 0x27, 0x19, 0x0c, 0x61,
    /* 0x50 */ 0x6d, 0x73, 0x28, 0x74, 0x1a, 0x0d, 0x62, 0x6e, 0x3a, 0x36, 0x1c, 0x1b, 0x75, 0x2b, 0x63, 0x76,
    /* 0x60 */ 0x55, 0x56, 0x77, 0x78, 0x79, 0x7a, 0x0e, 0x7b, 0x7c, 0x4f, 0x7d, 0x4b, 0x47, 0x7e, 0x7f, 0x6f,
    /* 0x70 */ 0x52, 0x53, 0x50, 0x4c, 0x4d, 0x48, 0x01, 0x45, 0x57, 0x4e, 0x51, 0x4a, 0x37, 0x49, 0x46, 0x54,
};

uint8_t ps2_set2_to_set1(uint8_t v)
{
    if (v < 0x80)
        return set2_to_set1[v];
    if (v == 0x83)
        return 0x41;
    if (v == 0x84)
        return 0x54;
    return v;
}

/* ---- sending ---- */

static void notify(struct ps2kbd *k)
{
    if (k->notify)
        k->notify(k->opaque);
}

static void reply(struct ps2kbd *k, uint8_t v)
{
    ps2_queue_put(&k->reply, v);
    notify(k);
}

/* A whole key sequence or nothing: when it does not fit in the 16-byte
 * buffer, the overrun code takes the spare 17th slot (once). */
static void send_keys(struct ps2kbd *k, const uint8_t *seq, int n)
{
    if (k->keys.count + n <= PS2KBD_BUFFER) {
        for (int j = 0; j < n; j++)
            ps2_queue_put(&k->keys, seq[j]);
    } else {
        uint8_t overrun = k->set == 1 ? 0xFF : 0x00;
        if (ps2_queue_last(&k->keys) != overrun)
            ps2_queue_put(&k->keys, overrun);
    }
    notify(k);
}

/* The set 2 bytes for a key; returns their count (at most 8). */
static int set2_sequence(uint16_t code, bool down, uint8_t *out)
{
    static const uint8_t pause[8] = { 0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77 };
    int n = 0;
    if (code == PS2_KEY_PAUSE) {
        if (!down)
            return 0;            /* Pause sends everything on the press */
        memcpy(out, pause, sizeof pause);
        return 8;
    }
    if (code == 0xE07C) {        /* Print Screen: with its fake left shift */
        static const uint8_t make[4] = { 0xE0, 0x12, 0xE0, 0x7C };
        static const uint8_t brk[6] = { 0xE0, 0xF0, 0x7C, 0xE0, 0xF0, 0x12 };
        memcpy(out, down ? make : brk, down ? 4 : 6);
        return down ? 4 : 6;
    }
    if (code >> 8)
        out[n++] = (uint8_t)(code >> 8);
    if (!down)
        out[n++] = PS2_BREAK;
    out[n++] = (uint8_t)code;
    return n;
}

/* Set 1 from set 2: the same table the 8042 uses, F0 becoming bit 7. */
static int to_set1(const uint8_t *in, int n, uint8_t *out)
{
    int m = 0;
    bool brk = false;
    for (int j = 0; j < n; j++) {
        if (in[j] == PS2_BREAK) {
            brk = true;
            continue;
        }
        out[m++] = (uint8_t)(ps2_set2_to_set1(in[j]) | (brk ? 0x80 : 0));
        brk = false;
    }
    return m;
}

static void send_key(struct ps2kbd *k, uint16_t code, bool down)
{
    uint8_t s2[8], s1[8];
    int n = set2_sequence(code, down, s2);
    if (!n)
        return;
    if (k->set == 1)
        send_keys(k, s1, to_set1(s2, n, s1));
    else
        send_keys(k, s2, n);
}

/* ---- typematic ---- */

/* Period = (8 + A) * 2^B * 4.17 ms, A = bits 0-2, B = bits 3-4. */
uint64_t ps2kbd_repeat_period_ns(uint8_t typematic)
{
    uint64_t a = typematic & 7, b = (typematic >> 3) & 3;
    return (8 + a) * (1u << b) * 4170000u;
}

/* Delay = (1 + D) * 250 ms, D = bits 5-6. */
uint64_t ps2kbd_repeat_delay_ns(uint8_t typematic)
{
    return (1 + ((typematic >> 5) & 3u)) * 250000000u;
}

static void repeat_fire(void *opaque)
{
    struct ps2kbd *k = opaque;
    if (!k->repeat_key || !k->enabled)
        return;
    send_key(k, k->repeat_key, true);
    timer_arm(k->clock, &k->repeat_timer,
              vclock_now(k->clock) + ps2kbd_repeat_period_ns(k->typematic));
}

static void stop_repeat(struct ps2kbd *k)
{
    k->repeat_key = 0;
    timer_cancel(k->clock, &k->repeat_timer);
}

void ps2kbd_key(struct ps2kbd *k, uint16_t set2_code, bool down)
{
    if (!k->enabled)
        return;                  /* not scanning: the key is not seen */
    send_key(k, set2_code, down);
    if (down && set2_code != PS2_KEY_PAUSE) {
        k->repeat_key = set2_code;   /* only the last key pressed repeats */
        timer_arm(k->clock, &k->repeat_timer,
                  vclock_now(k->clock) + ps2kbd_repeat_delay_ns(k->typematic));
    } else if (!down && set2_code == k->repeat_key) {
        stop_repeat(k);
    }
}

/* ---- commands ---- */

static void set_defaults(struct ps2kbd *k)
{
    k->typematic = 0x2B;         /* 10.9 characters/s after 500 ms */
    stop_repeat(k);
    ps2_queue_clear(&k->keys);
}

static void argument(struct ps2kbd *k, uint8_t cmd, uint8_t v)
{
    switch (cmd) {
    case 0xED:
        k->leds = v & 7;
        reply(k, PS2_ACK);
        break;
    case 0xF3:
        k->typematic = v & 0x7F;
        reply(k, PS2_ACK);
        break;
    case 0xF0:
        if (v == 0) {
            reply(k, PS2_ACK);
            reply(k, k->set);
        } else if (v == 1 || v == 2) {
            k->set = v;
            ps2_queue_clear(&k->keys);
            reply(k, PS2_ACK);
        } else {
            reply(k, PS2_RESEND);    /* set 3 (or nonsense): not supported */
        }
        break;
    }
}

static void command(struct ps2kbd *k, uint8_t v)
{
    switch (v) {
    case 0xED: case 0xF0: case 0xF3:
        k->wait_arg = v;
        reply(k, PS2_ACK);
        break;
    case 0xEE:
        reply(k, PS2_ECHO);
        break;
    case 0xF2:
        reply(k, PS2_ACK);
        reply(k, 0xAB);
        reply(k, 0x83);
        break;
    case 0xF4:
        ps2_queue_clear(&k->keys);
        k->enabled = true;
        reply(k, PS2_ACK);
        break;
    case 0xF5:
        set_defaults(k);
        k->enabled = false;
        reply(k, PS2_ACK);
        break;
    case 0xF6:
        set_defaults(k);
        k->enabled = true;
        reply(k, PS2_ACK);
        break;
    case 0xFE:
        reply(k, k->last_sent);
        break;
    case 0xFF:
        ps2kbd_reset(k);
        reply(k, PS2_ACK);
        reply(k, PS2_BAT_OK);    /* the self test passed */
        break;
    default:
        reply(k, PS2_RESEND);    /* unknown, and set 3's F7-FD */
        break;
    }
}

void ps2kbd_write(struct ps2kbd *k, uint8_t v)
{
    uint8_t cmd = k->wait_arg;
    k->wait_arg = 0;
    /* A command byte where an argument was expected starts a new command,
     * as on real keyboards. */
    if (cmd && v < 0x80)
        argument(k, cmd, v);
    else
        command(k, v);
}

bool ps2kbd_has_data(const struct ps2kbd *k)
{
    return k->reply.count || k->keys.count;
}

int ps2kbd_read(struct ps2kbd *k)
{
    int v = ps2_queue_get(&k->reply);
    if (v < 0)
        v = ps2_queue_get(&k->keys);
    if (v >= 0)
        k->last_sent = (uint8_t)v;
    return v;
}

/* ---- life cycle ---- */

void ps2kbd_init(struct ps2kbd *k, struct vclock *clock,
                 void (*notify_fn)(void *opaque), void *opaque)
{
    memset(k, 0, sizeof *k);
    k->clock = clock;
    k->notify = notify_fn;
    k->opaque = opaque;
    timer_init(&k->repeat_timer, repeat_fire, k);
    ps2kbd_reset(k);
}

void ps2kbd_reset(struct ps2kbd *k)
{
    ps2_queue_init(&k->reply, 8);
    ps2_queue_init(&k->keys, PS2KBD_BUFFER + 1);
    set_defaults(k);
    k->wait_arg = 0;
    k->set = 2;
    k->enabled = true;
    k->leds = 0;
    k->last_sent = 0;
}

void ps2kbd_free(struct ps2kbd *k)
{
    stop_repeat(k);
}
