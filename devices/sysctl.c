/* sysctl.c -- port 0x92 (bit 1 A20, bit 0 fast reset on a 0 -> 1 write),
 * port 0xCF9 (bit 2 resets, bit 1 chooses hard or soft: both reset the
 * whole machine here, which has no separate INIT) and the POST code port
 * 0x80, a latch that reads back the last code. */
#include "sysctl.h"

#include "machine/bus.h"

static bool a20(const struct sysctl *s)
{
    return s->sig.a20 ? s->sig.a20(s->sig.opaque) : true;
}

static void system_reset(struct sysctl *s)
{
    if (s->sig.reset)
        s->sig.reset(s->sig.opaque);
}

static uint32_t port_a_read(void *opaque, uint32_t port, int size)
{
    struct sysctl *s = opaque;
    (void)port; (void)size;
    return (s->port_a & ~PORTA_A20) | (a20(s) ? PORTA_A20 : 0);
}

static void port_a_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    struct sysctl *s = opaque;
    (void)port; (void)size;
    uint8_t old = s->port_a;
    s->port_a = (uint8_t)value;
    if (s->sig.set_a20)
        s->sig.set_a20(s->sig.opaque, value & PORTA_A20);
    if ((value & PORTA_RESET) && !(old & PORTA_RESET))
        system_reset(s);
}

static uint32_t reset_ctl_read(void *opaque, uint32_t port, int size)
{
    struct sysctl *s = opaque;
    (void)port; (void)size;
    return s->reset_ctl;
}

static void reset_ctl_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    struct sysctl *s = opaque;
    (void)port; (void)size;
    s->reset_ctl = (uint8_t)(value & (RCR_SYS_RESET | RCR_FULL_RESET));
    if (value & RCR_RESET_CPU)
        system_reset(s);        /* bit 2 reads 0, so every write of it is an edge */
}

static uint32_t post_read(void *opaque, uint32_t port, int size)
{
    struct sysctl *s = opaque;
    (void)port; (void)size;
    return s->post;
}

static void post_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    struct sysctl *s = opaque;
    (void)port; (void)size;
    s->post = (uint8_t)value;
    s->post_writes++;
    if (s->post_trace) {
        fprintf(s->post_trace, "POST %02x\n", s->post);
        fflush(s->post_trace);
    }
}

int sysctl_init(struct sysctl *s, struct bus *b, const struct sysctl_signals *sig,
                FILE *post_trace)
{
    *s = (struct sysctl){ .post_trace = post_trace };
    if (sig)
        s->sig = *sig;
    if (bus_add_ports(b, SYSCTL_PORT_A, 1, port_a_read, port_a_write, s) < 0 ||
        bus_add_ports(b, SYSCTL_RESET_CTL, 1, reset_ctl_read, reset_ctl_write, s) < 0)
        return -1;
    return bus_add_ports(b, SYSCTL_POST, 1, post_read, post_write, s);
}

/* A reset clears port A (so its reset bit can fire again) and the reset
 * control register; the POST latch keeps its last code, as a POST card does. */
void sysctl_reset(struct sysctl *s)
{
    s->port_a = 0;
    s->reset_ctl = 0;
}
