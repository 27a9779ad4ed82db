/* port61.c -- system control port B: the writable enables and the status
 * bits; the refresh toggle follows the virtual clock (one change per DRAM
 * refresh request, every 18 timer clocks = 15.09 us, as counter 1 makes
 * them on an AT with its usual programming). */
#include "port61.h"

#include "devices/pit.h"
#include "machine/bus.h"

enum {
    P61_GATE2 = 0x01, P61_SPEAKER = 0x02, P61_WRITABLE = 0x0F,
    P61_REFRESH = 0x10, P61_OUT2 = 0x20,
    REFRESH_CLOCKS = 18,
};

static bool refresh_bit(const struct port61 *s)
{
    return (pit_ticks(vclock_now(s->clock)) / REFRESH_CLOCKS) & 1;
}

static uint8_t p61_read_byte(struct port61 *s)
{
    uint8_t v = s->bits;
    if (refresh_bit(s))
        v |= P61_REFRESH;
    if (s->t2.out(s->t2.opaque))
        v |= P61_OUT2;
    return v;                   /* bits 6-7: no channel check, no parity error */
}

static void p61_write_byte(struct port61 *s, uint8_t v)
{
    uint8_t old = s->bits;
    s->bits = v & P61_WRITABLE;
    if ((old ^ s->bits) & P61_GATE2)
        s->t2.set_gate(s->t2.opaque, s->bits & P61_GATE2);
}

/* One port: a wider access reaches 0x61 with its low byte only. */
static uint32_t p61_read(void *opaque, uint32_t port, int size)
{
    (void)port;
    uint32_t v = p61_read_byte(opaque);
    for (int k = 1; k < size; k++)
        v |= 0xFFu << (8 * k);      /* the bytes above float */
    return v;
}

static void p61_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    (void)port;
    (void)size;
    p61_write_byte(opaque, (uint8_t)value);
}

bool port61_speaker(const struct port61 *s)
{
    return (s->bits & P61_SPEAKER) && s->t2.out(s->t2.opaque);
}

void port61_reset(struct port61 *s)
{
    s->bits = 0;
    s->t2.set_gate(s->t2.opaque, false);
}

int port61_init(struct port61 *s, struct bus *b, struct vclock *clock, struct port61_timer2 t2)
{
    s->clock = clock;
    s->t2 = t2;
    port61_reset(s);
    return bus_add_ports(b, 0x61, 1, p61_read, p61_write, s);
}
