/* pic.c -- the 8259A pair after Intel's datasheet (231468): initialisation
 * words, masks, priority resolution with rotation, EOI commands, special
 * mask and special fully nested modes, poll mode, automatic EOI, edge and
 * level triggering (ICW1 LTIM or the ELCR), cascading and spurious IR7. */
#include "pic.h"

#include "machine/bus.h"

enum {
    ICW1_IC4 = 0x01, ICW1_SNGL = 0x02, ICW1_LTIM = 0x08, ICW1_INIT = 0x10,
    ICW4_AEOI = 0x02, ICW4_SFNM = 0x10,
    OCW3_RIS = 0x01, OCW3_RR = 0x02, OCW3_P = 0x04, OCW3_SMM = 0x20, OCW3_ESMM = 0x40,
    CASCADE_IR = 2,          /* the slave's INT is wired to the master's IR2 */
    NO_IRQ = -1,
};

/* ---- one chip ---- */

/* Lines that are level-triggered: all of them with ICW1 LTIM, else the ELCR. */
static uint8_t level_lines(const struct pic_chip *c)
{
    return (c->icw1 & ICW1_LTIM) ? 0xFF : c->elcr;
}

/* 0 is the highest priority: the IR after the lowest one. */
static int priority(const struct pic_chip *c, int ir)
{
    return (ir - c->lowest - 1) & 7;
}

/* The highest-priority IR among `bits`, or NO_IRQ. */
static int highest(const struct pic_chip *c, uint8_t bits)
{
    for (int k = 1; k <= 8; k++) {
        int ir = (c->lowest + k) & 7;
        if (bits & (1u << ir))
            return ir;
    }
    return NO_IRQ;
}

/* The master routes the INTA of an IR that has a slave (ICW3) to it. */
static bool is_cascade(const struct pic_chip *c, int ir)
{
    return c->is_master && !(c->icw1 & ICW1_SNGL) && (c->icw3 & (1u << ir));
}

/* The request the chip would signal on INT now, or NO_IRQ.  Only a request
 * of higher priority than every in-service level may interrupt; in special
 * mask mode masked ISR bits do not count (the datasheet: a mask bit "enables
 * interrupts from all other levels that are not masked"); in special fully
 * nested mode a cascade input may interrupt its own in-service level, so a
 * higher-priority request on the same slave gets through. */
static int chip_pending(const struct pic_chip *c)
{
    int req = highest(c, c->irr & ~c->imr);
    if (req == NO_IRQ)
        return NO_IRQ;
    uint8_t isr = c->isr;
    if (c->special_mask)
        isr &= ~c->imr;
    int cur = highest(c, isr);
    if (cur == NO_IRQ || priority(c, req) < priority(c, cur))
        return req;
    if (req == cur && (c->icw4 & ICW4_SFNM) && is_cascade(c, req))
        return req;
    return NO_IRQ;
}

/* An IR pin changes.  A rising pin requests service; a falling one
 * withdraws the request (the datasheet: the IR input must stay high until
 * the first INTA, or the default IR7 is given). */
static void chip_set_input(struct pic_chip *c, int ir, bool level)
{
    uint8_t bit = (uint8_t)(1u << ir);
    if (level == ((c->level & bit) != 0))
        return;
    if (level) {
        c->level |= bit;
        c->irr |= bit;
    } else {
        c->level &= (uint8_t)~bit;
        c->irr &= (uint8_t)~bit;
    }
}

/* The INTA (or poll) of `ir`: in service unless automatic EOI; an edge
 * request is consumed, a level one stands as long as its pin is high. */
static void chip_accept(struct pic_chip *c, int ir)
{
    uint8_t bit = (uint8_t)(1u << ir);
    if (!(level_lines(c) & bit))
        c->irr &= (uint8_t)~bit;
    if (c->icw4 & ICW4_AEOI) {
        if (c->rotate_aeoi)
            c->lowest = (uint8_t)ir;
    } else {
        c->isr |= bit;
    }
}

static uint8_t chip_vector(const struct pic_chip *c, int ir)
{
    return (uint8_t)((c->icw2 & 0xF8) | (ir & 7));
}

/* ICW1: everything the datasheet lists, plus the ISR and the requests (an
 * edge input must rise again after initialisation). */
static void chip_icw1(struct pic_chip *c, uint8_t v)
{
    c->icw1 = v;
    c->init_step = 2;
    c->imr = 0;
    c->isr = 0;
    c->lowest = 7;
    c->special_mask = false;
    c->read_isr = false;
    c->poll = false;
    c->rotate_aeoi = false;
    c->icw3 = c->is_master ? 0 : 7;     /* "slave mode address set to 7" */
    if (!(v & ICW1_IC4))
        c->icw4 = 0;
    c->irr = c->level & level_lines(c);
}

/* A1 writes during initialisation: ICW2, then ICW3 (cascaded), ICW4. */
static void chip_icw(struct pic_chip *c, uint8_t v)
{
    switch (c->init_step) {
    case 2:
        c->icw2 = v & 0xF8;
        c->init_step = !(c->icw1 & ICW1_SNGL) ? 3 : (c->icw1 & ICW1_IC4) ? 4 : 0;
        break;
    case 3:
        c->icw3 = c->is_master ? v : (v & 7);
        c->init_step = (c->icw1 & ICW1_IC4) ? 4 : 0;
        break;
    default:
        c->icw4 = v & 0x1F;
        c->init_step = 0;
        break;
    }
}

/* A non-specific EOI ends the highest-priority level in service; in
 * special mask mode a masked ISR bit is left alone (datasheet). */
static int chip_eoi_level(const struct pic_chip *c)
{
    uint8_t isr = c->isr;
    if (c->special_mask)
        isr &= ~c->imr;
    return highest(c, isr);
}

static void chip_ocw2(struct pic_chip *c, uint8_t v)
{
    int ir = v & 7;
    switch (v >> 5) {
    case 0: c->rotate_aeoi = false; break;          /* rotate in AEOI: clear */
    case 4: c->rotate_aeoi = true; break;           /* rotate in AEOI: set */
    case 1:                                         /* non-specific EOI */
    case 5:                                         /* rotate on non-specific EOI */
        ir = chip_eoi_level(c);
        if (ir == NO_IRQ)
            break;
        c->isr &= (uint8_t)~(1u << ir);
        if (v >> 5 == 5)
            c->lowest = (uint8_t)ir;
        break;
    case 3:                                         /* specific EOI */
        c->isr &= (uint8_t)~(1u << ir);
        break;
    case 7:                                         /* rotate on specific EOI */
        c->isr &= (uint8_t)~(1u << ir);
        c->lowest = (uint8_t)ir;
        break;
    case 6:                                         /* set priority */
        c->lowest = (uint8_t)ir;
        break;
    default:                                        /* 2: no operation */
        break;
    }
}

static void chip_ocw3(struct pic_chip *c, uint8_t v)
{
    if (v & OCW3_P)
        c->poll = true;
    if (v & OCW3_RR)
        c->read_isr = (v & OCW3_RIS) != 0;
    if (v & OCW3_ESMM)
        c->special_mask = (v & OCW3_SMM) != 0;
}

/* ---- the pair ---- */

/* Recomputes both INT pins: the slave's feeds the master's IR2, the
 * master's is the CPU's INTR. */
static void pic_update(struct pic *p)
{
    struct pic_chip *m = &p->chip[0], *s = &p->chip[1];
    s->out = chip_pending(s) != NO_IRQ;
    chip_set_input(m, CASCADE_IR, s->out);
    m->out = chip_pending(m) != NO_IRQ;
    irq_set(&p->intr, m->out);
}

/* What the IR pins of the slave see: IRQ 8-15, with the bus's IRQ 2 pin
 * joined to IRQ 9 as the AT wires it. */
static void pic_route_inputs(struct pic *p)
{
    uint16_t l = p->lines;
    uint8_t slave = (uint8_t)(l >> 8);
    if (l & (1u << 2))
        slave |= 1u << 1;
    for (int ir = 0; ir < 8; ir++) {
        if (ir != CASCADE_IR)
            chip_set_input(&p->chip[0], ir, (l >> ir) & 1);
        chip_set_input(&p->chip[1], ir, (slave >> ir) & 1);
    }
}

static void pic_set_line(void *opaque, int n, int level)
{
    struct pic *p = opaque;
    uint16_t bit = (uint16_t)(1u << n);
    uint16_t lines = level ? (p->lines | bit) : (p->lines & (uint16_t)~bit);
    if (lines == p->lines)
        return;
    p->lines = lines;
    pic_route_inputs(p);
    pic_update(p);
}

struct irq_line pic_irq(struct pic *p, int n)
{
    return (struct irq_line){ pic_set_line, p, n & 15 };
}

/* The slave's answer to a cascade address: its vector, or its IR7 vector
 * when its request has gone (the master keeps IR2 in service). */
static int slave_ack(struct pic *p)
{
    struct pic_chip *s = &p->chip[1];
    int ir = chip_pending(s);
    if (ir == NO_IRQ)
        return chip_vector(s, 7);
    chip_accept(s, ir);
    /* INT falls during the INTA sequence; a request still standing raises
     * it again, which the master's edge-triggered IR2 sees as new. */
    chip_set_input(&p->chip[0], CASCADE_IR, false);
    return chip_vector(s, ir);
}

int pic_intr_ack(void *opaque)
{
    struct pic *p = opaque;
    struct pic_chip *m = &p->chip[0];
    int ir = chip_pending(m);
    int vector;
    if (ir == NO_IRQ) {
        vector = chip_vector(m, 7);                 /* spurious IRQ 7 */
    } else {
        chip_accept(m, ir);
        if (!is_cascade(m, ir))
            vector = chip_vector(m, ir);
        else if ((p->chip[1].icw3 & 7) == ir)
            vector = slave_ack(p);
        else
            vector = 0xFF;                          /* no slave answers: the bus floats */
    }
    pic_update(p);
    return vector;
}

/* Poll mode: the read is the INTA; the word is 0x80 | level, or 7 with
 * bit 7 clear when nothing requests service. */
static uint8_t chip_poll(struct pic *p, struct pic_chip *c)
{
    c->poll = false;
    int ir = chip_pending(c);
    if (ir == NO_IRQ)
        return 0x07;
    chip_accept(c, ir);
    pic_update(p);
    return (uint8_t)(0x80 | ir);
}

static uint8_t pic_read_byte(struct pic *p, uint32_t port)
{
    if (port == 0x4D0 || port == 0x4D1)
        return p->chip[port & 1].elcr;
    struct pic_chip *c = &p->chip[port >= 0xA0];
    if (c->poll)
        return chip_poll(p, c);
    if (port & 1)
        return c->imr;
    return c->read_isr ? c->isr : c->irr;
}

static void pic_write_elcr(struct pic *p, struct pic_chip *c, uint8_t v)
{
    uint8_t newly_level = (uint8_t)(v & c->elcr_mask & ~c->elcr);
    c->elcr = v & c->elcr_mask;
    c->irr |= c->level & newly_level;     /* a held line now requests */
    pic_update(p);
}

static void pic_write_byte(struct pic *p, uint32_t port, uint8_t v)
{
    if (port == 0x4D0 || port == 0x4D1) {
        pic_write_elcr(p, &p->chip[port & 1], v);
        return;
    }
    struct pic_chip *c = &p->chip[port >= 0xA0];
    if (port & 1) {
        if (c->init_step)
            chip_icw(c, v);
        else
            c->imr = v;                             /* OCW1 */
    } else if (v & ICW1_INIT) {
        chip_icw1(c, v);
    } else if (v & 0x08) {
        chip_ocw3(c, v);
    } else {
        chip_ocw2(c, v);
    }
    pic_update(p);
}

/* Byte-wide chip: a wider access is split into byte cycles, as the AT's
 * bus controller does; bytes past this device's ports float. */
static bool pic_owns(uint32_t port)
{
    return (port & ~1u) == 0x20 || (port & ~1u) == 0xA0 || (port & ~1u) == 0x4D0;
}

static uint32_t pic_read(void *opaque, uint32_t port, int size)
{
    uint32_t v = 0;
    for (int k = 0; k < size; k++) {
        uint32_t b = pic_owns(port + (uint32_t)k) ? pic_read_byte(opaque, port + (uint32_t)k) : 0xFF;
        v |= b << (8 * k);
    }
    return v;
}

static void pic_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    for (int k = 0; k < size; k++)
        if (pic_owns(port + (uint32_t)k))
            pic_write_byte(opaque, port + (uint32_t)k, (uint8_t)(value >> (8 * k)));
}

static void chip_reset(struct pic_chip *c, bool master)
{
    uint8_t level = c->level;
    *c = (struct pic_chip){ 0 };
    c->is_master = master;
    c->elcr_mask = master ? 0xF8 : 0xDE;    /* IRQ 0, 1, 2, 8, 13 are edge only */
    c->level = level;                       /* the pins are the devices' */
    chip_icw1(c, ICW1_INIT | ICW1_IC4);
    c->init_step = 0;
    c->icw4 = 0x01;                         /* 8086 mode */
    c->icw3 = master ? 1u << CASCADE_IR : CASCADE_IR;
    /* Nothing is delivered before the guest (or firmware) initialises the
     * chips: the power-on state is undefined, and masked is the quiet one. */
    c->imr = 0xFF;
}

void pic_reset(struct pic *p)
{
    chip_reset(&p->chip[0], true);
    chip_reset(&p->chip[1], false);
    pic_update(p);
}

int pic_init(struct pic *p, struct bus *b, struct irq_line intr)
{
    p->intr = intr;
    pic_reset(p);
    if (bus_add_ports(b, 0x20, 2, pic_read, pic_write, p) < 0 ||
        bus_add_ports(b, 0xA0, 2, pic_read, pic_write, p) < 0)
        return -1;
    return bus_add_ports(b, 0x4D0, 2, pic_read, pic_write, p);
}
