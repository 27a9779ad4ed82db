/* ps2mouse.c -- the PS/2 mouse: commands, movement accumulated until it
 * can be reported, and packets with sign and overflow bits (a report
 * resets the counters, so movement beyond 9 bits is lost, as on a mouse). */
#include "ps2mouse.h"

#include <string.h>

enum { ACC_LIMIT = 1 << 16 };    /* keeps the accumulators far from int limits */

static void notify(struct ps2mouse *m)
{
    if (m->notify)
        m->notify(m->opaque);
}

static void reply(struct ps2mouse *m, uint8_t v)
{
    ps2_queue_put(&m->reply, v);
    notify(m);
}

static int packet_size(const struct ps2mouse *m)
{
    return m->id == 3 ? 4 : 3;
}

/* 2:1 scaling (stream mode only): small moves are damped, others doubled. */
static int scale21(int d)
{
    static const uint8_t small[6] = { 0, 1, 1, 3, 6, 9 };
    int a = d < 0 ? -d : d;
    int s = a < 6 ? small[a] : 2 * a;
    return d < 0 ? -s : s;
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Fills p (packet_size bytes) from the pending movement and resets it. */
static void make_packet(struct ps2mouse *m, uint8_t *p, bool stream)
{
    int dx = m->dx, dy = m->dy;
    if (stream && m->scaling21) {
        dx = scale21(dx);
        dy = scale21(dy);
    }
    uint8_t b0 = (uint8_t)(0x08 | (m->buttons & 7));
    if (dx < -256 || dx > 255)
        b0 |= 0x40;
    if (dy < -256 || dy > 255)
        b0 |= 0x80;
    dx = clamp(dx, -256, 255);
    dy = clamp(dy, -256, 255);
    if (dx < 0)
        b0 |= 0x10;
    if (dy < 0)
        b0 |= 0x20;
    p[0] = b0;
    p[1] = (uint8_t)dx;
    p[2] = (uint8_t)dy;
    if (m->id == 3) {
        int dz = clamp(m->dz, -8, 7);   /* wheel clicks beyond go in the next packet */
        p[3] = (uint8_t)dz;
        m->dz -= dz;
    } else {
        m->dz = 0;
    }
    m->dx = m->dy = 0;
    m->reported_buttons = m->buttons;
}

static bool streaming(const struct ps2mouse *m)
{
    return m->enabled && !m->remote && !m->wrap;
}

static bool moved(const struct ps2mouse *m)
{
    return m->dx || m->dy || m->dz || m->buttons != m->reported_buttons;
}

/* Queues packets while there is movement to report and room for them;
 * returns whether any was queued. */
static bool flush(struct ps2mouse *m)
{
    bool any = false;
    while (streaming(m) && moved(m) && ps2_queue_room(&m->data) >= packet_size(m)) {
        uint8_t p[4];
        make_packet(m, p, true);
        for (int j = 0; j < packet_size(m); j++)
            ps2_queue_put(&m->data, p[j]);
        any = true;
    }
    return any;
}

void ps2mouse_move(struct ps2mouse *m, int dx, int dy, int dz, int buttons)
{
    m->buttons = (uint8_t)(buttons & 7);
    if (m->wrap || (!m->remote && !m->enabled)) {
        m->reported_buttons = m->buttons;   /* nobody is listening */
        return;
    }
    m->dx = clamp(m->dx + clamp(dx, -ACC_LIMIT, ACC_LIMIT), -ACC_LIMIT, ACC_LIMIT);
    m->dy = clamp(m->dy - clamp(dy, -ACC_LIMIT, ACC_LIMIT), -ACC_LIMIT, ACC_LIMIT);
    if (m->id == 3)
        m->dz = clamp(m->dz + clamp(dz, -ACC_LIMIT, ACC_LIMIT), -ACC_LIMIT, ACC_LIMIT);
    if (flush(m))
        notify(m);
}

/* ---- commands ---- */

static void clear_movement(struct ps2mouse *m)
{
    ps2_queue_clear(&m->data);
    m->dx = m->dy = m->dz = 0;
    m->reported_buttons = m->buttons;
}

static void set_defaults(struct ps2mouse *m)
{
    m->rate = 100;
    m->resolution = 2;
    m->scaling21 = false;
    m->enabled = false;
    m->remote = false;
    clear_movement(m);
}

/* Status byte: bit 6 remote, 5 enabled, 4 scaling 2:1, 2 left, 1 middle,
 * 0 right (not the packet's order). */
static void send_status(struct ps2mouse *m)
{
    uint8_t s = (uint8_t)((m->remote ? 0x40 : 0) | (m->enabled ? 0x20 : 0) |
                          (m->scaling21 ? 0x10 : 0) | (m->buttons & PS2M_LEFT ? 0x04 : 0) |
                          (m->buttons & PS2M_MIDDLE ? 0x02 : 0) | (m->buttons & PS2M_RIGHT ? 0x01 : 0));
    reply(m, PS2_ACK);
    reply(m, s);
    reply(m, m->resolution);
    reply(m, m->rate);
}

/* Sample rates 200, 100, 80 in a row turn on the IntelliMouse wheel. */
static void set_rate(struct ps2mouse *m, uint8_t v)
{
    m->rate = v;
    m->knock[0] = m->knock[1];
    m->knock[1] = m->knock[2];
    m->knock[2] = v;
    if (m->knock[0] == 200 && m->knock[1] == 100 && m->knock[2] == 80)
        m->id = 3;
}

static void argument(struct ps2mouse *m, uint8_t cmd, uint8_t v)
{
    if (cmd == 0xE8 && v <= 3)
        m->resolution = v;
    else if (cmd == 0xF3)
        set_rate(m, v);
    else {
        reply(m, PS2_RESEND);    /* a resolution out of range */
        return;
    }
    reply(m, PS2_ACK);
}

static void read_data(struct ps2mouse *m)
{
    uint8_t p[4];
    make_packet(m, p, false);
    reply(m, PS2_ACK);
    for (int j = 0; j < packet_size(m); j++)
        reply(m, p[j]);
}

static void command(struct ps2mouse *m, uint8_t v)
{
    switch (v) {
    case 0xE6: m->scaling21 = false; reply(m, PS2_ACK); break;
    case 0xE7: m->scaling21 = true; reply(m, PS2_ACK); break;
    case 0xE8: case 0xF3: m->wait_arg = v; reply(m, PS2_ACK); break;
    case 0xE9: send_status(m); break;
    case 0xEA: m->remote = false; clear_movement(m); reply(m, PS2_ACK); break;
    case 0xEB: read_data(m); break;
    case 0xEC: m->wrap = false; reply(m, PS2_ACK); break;
    case 0xEE: m->wrap = true; clear_movement(m); reply(m, PS2_ACK); break;
    case 0xF0: m->remote = true; clear_movement(m); reply(m, PS2_ACK); break;
    case 0xF2: reply(m, PS2_ACK); reply(m, m->id); break;
    case 0xF4: m->enabled = true; clear_movement(m); reply(m, PS2_ACK); break;
    case 0xF5: m->enabled = false; clear_movement(m); reply(m, PS2_ACK); break;
    case 0xF6: set_defaults(m); reply(m, PS2_ACK); break;
    case 0xFE: reply(m, m->last_sent); break;
    case 0xFF:
        ps2mouse_reset(m);
        reply(m, PS2_ACK);
        reply(m, PS2_BAT_OK);
        reply(m, 0x00);          /* the device ID follows the self test */
        break;
    default: reply(m, PS2_RESEND); break;
    }
}

void ps2mouse_write(struct ps2mouse *m, uint8_t v)
{
    if (m->wait_arg) {
        uint8_t cmd = m->wait_arg;
        m->wait_arg = 0;
        argument(m, cmd, v);
        return;
    }
    /* Wrap (echo) mode sends every byte back but these two. */
    if (m->wrap && v != 0xEC && v != 0xFF) {
        reply(m, v);
        return;
    }
    command(m, v);
}

bool ps2mouse_has_data(const struct ps2mouse *m)
{
    return m->reply.count || m->data.count;
}

int ps2mouse_read(struct ps2mouse *m)
{
    int v = ps2_queue_get(&m->reply);
    if (v < 0)
        v = ps2_queue_get(&m->data);
    if (v >= 0)
        m->last_sent = (uint8_t)v;
    flush(m);                    /* room for movement held back */
    return v;
}

void ps2mouse_init(struct ps2mouse *m, void (*notify_fn)(void *opaque), void *opaque)
{
    memset(m, 0, sizeof *m);
    m->notify = notify_fn;
    m->opaque = opaque;
    ps2mouse_reset(m);
}

void ps2mouse_reset(struct ps2mouse *m)
{
    ps2_queue_init(&m->reply, 8);
    ps2_queue_init(&m->data, PS2M_QUEUE);
    m->buttons = 0;
    set_defaults(m);
    m->wait_arg = 0;
    m->wrap = false;
    m->id = 0;
    memset(m->knock, 0, sizeof m->knock);
    m->last_sent = 0;
}
