/* debugport.c -- debug console output on 0xE9 and the exit port on 0xF4;
 * the region marks beside them on 0xEA-0xEF are in regions.c. */
#include "debugport.h"

#include "cpu/cpu.h"
#include "machine/bus.h"

static uint32_t e9_read(void *opaque, uint32_t port, int size)
{
    (void)opaque; (void)port; (void)size;
    return 0xE9;    /* Bochs' "port E9 hack" presence check */
}

static void e9_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    struct debugport *d = opaque;
    (void)port; (void)size;
    if (d->out) {
        fputc((int)(value & 0xFF), d->out);
        if ((value & 0xFF) == '\n')
            fflush(d->out);
    }
}

static void exit_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    struct debugport *d = opaque;
    (void)port;
    if (size == 1)
        value &= 0xFF;
    else if (size == 2)
        value &= 0xFFFF;
    d->exited = true;
    d->exit_status = (int)((value << 1) | 1) & 0xFF;
    d->cpu->stop_request = 1;
}

int debugport_init(struct debugport *d, struct bus *b, struct cpu *c, FILE *out)
{
    d->out = out;
    d->cpu = c;
    d->exited = false;
    d->exit_status = 0;
    if (bus_add_ports(b, 0xE9, 1, e9_read, e9_write, d) < 0 ||
        regions_init(&d->regions, b, c) < 0)
        return -1;
    return bus_add_ports(b, 0xF4, 4, NULL, exit_write, d);
}
