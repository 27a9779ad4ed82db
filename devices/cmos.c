/* cmos.c -- the MC146818 RTC and CMOS RAM.  Time is kept lazily: the
 * registers are brought up to date from the virtual clock whenever they are
 * touched, and timers are armed only while an interrupt is enabled, so an
 * idle machine with the RTC quiet has nothing pending (HLT can still stop). */
#include "cmos.h"

#include <string.h>
#include <time.h>

#include "machine/bus.h"

enum {
    RTC_PORT = 0x70,
    UIP_NS = 244000,             /* UIP rises this long before each update */
    RTC_HZ = 32768,              /* the time-base crystal the rates divide */
    HALF_SEC_NS = NS_PER_SEC / 2,
    SECS_PER_DAY = 86400,
};

/* ---- register formats (register B: DM binary/BCD, 24/12 hour) ---- */

static bool divider_running(const struct cmos *c)
{
    /* DV = 000, 001, 010 select a time base; 11x holds the divider in
     * reset and the others are test modes: the clock stands still. */
    return (c->ram[CMOS_REG_A] & RTC_A_DV) <= 0x20;
}

static uint8_t to_reg(const struct cmos *c, unsigned v)
{
    if (c->ram[CMOS_REG_B] & RTC_B_DM)
        return (uint8_t)v;
    return (uint8_t)(((v / 10) << 4) | (v % 10));
}

static unsigned from_reg(const struct cmos *c, uint8_t v)
{
    if (c->ram[CMOS_REG_B] & RTC_B_DM)
        return v;
    return (v >> 4) * 10u + (v & 0xF);
}

/* 12-hour mode: 1-12 with bit 7 set for PM. */
static uint8_t hour_to_reg(const struct cmos *c, unsigned h)
{
    if (c->ram[CMOS_REG_B] & RTC_B_24H)
        return to_reg(c, h);
    unsigned h12 = h % 12 ? h % 12 : 12;
    return (uint8_t)(to_reg(c, h12) | (h >= 12 ? 0x80 : 0));
}

static uint8_t hour_from_reg(const struct cmos *c, uint8_t v)
{
    if (c->ram[CMOS_REG_B] & RTC_B_24H)
        return (uint8_t)from_reg(c, v);
    return (uint8_t)(from_reg(c, v & 0x7F) % 12 + (v & 0x80 ? 12 : 0));
}

/* The time-keeping registers other than the hour (which has its own
 * format), or NULL for plain RAM. */
static uint8_t *time_field(struct cmos *c, uint8_t index)
{
    switch (index) {
    case CMOS_SEC: return &c->now.sec;
    case CMOS_MIN: return &c->now.min;
    case CMOS_WDAY: return &c->now.wday;
    case CMOS_MDAY: return &c->now.mday;
    case CMOS_MON: return &c->now.mon;
    case CMOS_YEAR: return &c->now.year;
    case CMOS_CENTURY: return &c->now.century;
    }
    return NULL;
}

/* ---- the calendar ---- */

static unsigned month_days(const struct rtc_time *t)
{
    static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (t->mon < 1 || t->mon > 12)
        return 31;
    /* The chip's leap rule is year % 4: it knows nothing of centuries. */
    return days[t->mon - 1] + (t->mon == 2 && t->year % 4 == 0);
}

static void next_day(struct rtc_time *t)
{
    t->wday = t->wday >= 7 ? 1 : t->wday + 1;
    if (++t->mday <= month_days(t))
        return;
    t->mday = 1;
    if (++t->mon <= 12)
        return;
    t->mon = 1;
    if (++t->year < 100)
        return;
    t->year = 0;
    t->century = (uint8_t)((t->century + 1) % 100);
}

static void next_second(struct rtc_time *t)
{
    if (++t->sec < 60)
        return;
    t->sec = 0;
    if (++t->min < 60)
        return;
    t->min = 0;
    if (++t->hour < 24)
        return;
    t->hour = 0;
    next_day(t);
}

/* Many seconds at once (the guest left the RTC alone for days). */
static void advance_bulk(struct rtc_time *t, uint64_t secs)
{
    for (uint64_t d = secs / SECS_PER_DAY; d; d--)
        next_day(t);
    uint32_t sod = (t->hour % 24) * 3600u + (t->min % 60) * 60u + t->sec % 60 +
                   (uint32_t)(secs % SECS_PER_DAY);
    if (sod >= SECS_PER_DAY) {
        sod -= SECS_PER_DAY;
        next_day(t);
    }
    t->hour = (uint8_t)(sod / 3600);
    t->min = (uint8_t)(sod / 60 % 60);
    t->sec = (uint8_t)(sod % 60);
}

/* Alarm bytes with both top bits set ("don't care") match any value; the
 * chip compares the registers as stored, so in the current format. */
static bool alarm_byte_matches(uint8_t alarm, uint8_t reg)
{
    return (alarm & 0xC0) == 0xC0 || alarm == reg;
}

static bool alarm_matches(const struct cmos *c)
{
    return alarm_byte_matches(c->ram[CMOS_SEC_ALARM], to_reg(c, c->now.sec)) &&
           alarm_byte_matches(c->ram[CMOS_MIN_ALARM], to_reg(c, c->now.min)) &&
           alarm_byte_matches(c->ram[CMOS_HOUR_ALARM], hour_to_reg(c, c->now.hour));
}

/* ---- interrupts ---- */

/* IRQF (and the IRQ 8 line) follow PF.PIE + AF.AIE + UF.UIE. */
static void update_irq(struct cmos *c)
{
    bool irqf = c->reg_c & c->ram[CMOS_REG_B] & (RTC_C_PF | RTC_C_AF | RTC_C_UF);
    c->reg_c = irqf ? c->reg_c | RTC_C_IRQF : c->reg_c & ~RTC_C_IRQF;
    if (irqf != c->irq_level) {
        c->irq_level = irqf;
        irq_set(&c->irq, irqf);
    }
}

/* Periodic rate in crystal ticks (register A's RS bits), 0 when off.
 * RS 1 and 2 repeat RS 8 and 9 (256 and 128 Hz) as on the chip. */
static uint32_t periodic_ticks(const struct cmos *c)
{
    unsigned rs = c->ram[CMOS_REG_A] & RTC_A_RS;
    if (rs == 0 || !divider_running(c))
        return 0;
    if (rs <= 2)
        rs += 7;
    return 1u << (rs - 1);
}

static uint64_t ns_to_ticks(uint64_t ns)
{
    return ns / NS_PER_SEC * RTC_HZ + ns % NS_PER_SEC * RTC_HZ / NS_PER_SEC;
}

/* Rounded up, so that the tick has arrived by the returned time. */
static uint64_t ticks_to_ns(uint64_t t)
{
    return t / RTC_HZ * NS_PER_SEC + (t % RTC_HZ * NS_PER_SEC + RTC_HZ - 1) / RTC_HZ;
}

static uint64_t periodic_index(const struct cmos *c, uint64_t now)
{
    uint32_t p = periodic_ticks(c);
    return p ? ns_to_ticks(now) / p : 0;
}

/* ---- bringing the registers up to the virtual clock ---- */

static void sync_periodic(struct cmos *c, uint64_t now)
{
    if (!periodic_ticks(c))
        return;
    uint64_t idx = periodic_index(c, now);
    if (idx > c->pf_seen) {
        c->reg_c |= RTC_C_PF;
        c->pf_seen = idx;
    }
}

static void sync_updates(struct cmos *c, uint64_t now)
{
    if (!divider_running(c) || now < c->next_update)
        return;
    uint64_t n = (now - c->next_update) / NS_PER_SEC + 1;
    c->next_update += n * NS_PER_SEC;
    if (c->ram[CMOS_REG_B] & RTC_B_SET)
        return;                  /* updates inhibited: the time stands */
    if (n > 2 * SECS_PER_DAY) {
        /* The last day is stepped so that an alarm in it is still seen. */
        advance_bulk(&c->now, n - SECS_PER_DAY);
        n = SECS_PER_DAY;
    }
    for (; n; n--) {
        next_second(&c->now);
        if (alarm_matches(c))
            c->reg_c |= RTC_C_AF;
    }
    c->reg_c |= RTC_C_UF;
}

static void sync(struct cmos *c)
{
    uint64_t now = vclock_now(c->clock);
    sync_periodic(c, now);
    sync_updates(c, now);
    update_irq(c);
}

static bool update_in_progress(const struct cmos *c)
{
    return divider_running(c) && !(c->ram[CMOS_REG_B] & RTC_B_SET) &&
           vclock_now(c->clock) + UIP_NS >= c->next_update;
}

/* Timers exist only for enabled interrupts; flags alone are computed when
 * register C is read. */
static void rearm(struct cmos *c)
{
    uint8_t b = c->ram[CMOS_REG_B];
    uint32_t p = periodic_ticks(c);
    if ((b & RTC_B_PIE) && p)
        timer_arm(c->clock, &c->periodic_timer, ticks_to_ns((c->pf_seen + 1) * p));
    else
        timer_cancel(c->clock, &c->periodic_timer);
    if ((b & (RTC_B_AIE | RTC_B_UIE)) && !(b & RTC_B_SET) && divider_running(c))
        timer_arm(c->clock, &c->update_timer, c->next_update);
    else
        timer_cancel(c->clock, &c->update_timer);
}

static void timer_fire(void *opaque)
{
    struct cmos *c = opaque;
    sync(c);
    rearm(c);
}

/* ---- registers A-D ---- */

static void write_reg_a(struct cmos *c, uint8_t v)
{
    bool was_running = divider_running(c);
    sync(c);
    c->ram[CMOS_REG_A] = v & ~RTC_A_UIP;
    uint64_t now = vclock_now(c->clock);
    /* Leaving divider reset, the first update comes half a second later. */
    if (!was_running && divider_running(c))
        c->next_update = now + HALF_SEC_NS;
    c->pf_seen = periodic_index(c, now);
    rearm(c);
}

static void write_reg_b(struct cmos *c, uint8_t v)
{
    sync(c);
    if (v & RTC_B_SET)
        v &= ~RTC_B_UIE;         /* the datasheet: SET clears UIE */
    c->ram[CMOS_REG_B] = v;
    update_irq(c);               /* a flag already up raises IRQF when enabled */
    rearm(c);
}

static uint8_t read_reg_c(struct cmos *c)
{
    uint8_t v = c->reg_c;
    c->reg_c = 0;
    update_irq(c);
    return v;
}

uint8_t cmos_read(struct cmos *c, uint8_t index)
{
    index &= 0x7F;
    sync(c);
    switch (index) {
    case CMOS_REG_A:
        return (uint8_t)(c->ram[CMOS_REG_A] | (update_in_progress(c) ? RTC_A_UIP : 0));
    case CMOS_REG_C:
        return read_reg_c(c);
    case CMOS_REG_D:
        return RTC_D_VRT;        /* the battery is always good */
    case CMOS_HOUR:
        return hour_to_reg(c, c->now.hour);
    }
    uint8_t *f = time_field(c, index);
    return f ? to_reg(c, *f) : c->ram[index];
}

void cmos_write(struct cmos *c, uint8_t index, uint8_t value)
{
    index &= 0x7F;
    switch (index) {
    case CMOS_REG_A:
        write_reg_a(c, value);
        return;
    case CMOS_REG_B:
        write_reg_b(c, value);
        return;
    case CMOS_REG_C:
    case CMOS_REG_D:
        return;                  /* read-only */
    }
    sync(c);
    uint8_t *f = time_field(c, index);
    if (index == CMOS_HOUR)
        c->now.hour = hour_from_reg(c, value);
    else if (f)
        *f = (uint8_t)from_reg(c, value);
    else
        c->ram[index] = value;
}

/* ---- ports 0x70 (index) and 0x71 (data); wider accesses split ---- */

static uint8_t port_read_byte(struct cmos *c, uint32_t port)
{
    if (port == RTC_PORT)
        return 0xFF;             /* the index register is write-only */
    if (port == RTC_PORT + 1)
        return cmos_read(c, c->index);
    return 0xFF;
}

static void port_write_byte(struct cmos *c, uint32_t port, uint8_t v)
{
    if (port == RTC_PORT) {
        c->index = v & 0x7F;
        c->nmi_masked = v & 0x80;
    } else if (port == RTC_PORT + 1) {
        cmos_write(c, c->index, v);
    }
}

static uint32_t port_read(void *opaque, uint32_t port, int size)
{
    uint32_t v = 0;
    for (int k = 0; k < size; k++)
        v |= (uint32_t)port_read_byte(opaque, port + (uint32_t)k) << (8 * k);
    return v;
}

static void port_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    for (int k = 0; k < size; k++)
        port_write_byte(opaque, port + (uint32_t)k, (uint8_t)(value >> (8 * k)));
}

/* ---- power-on, reset, NVRAM layout ---- */

/* Host mode: the host's UTC time, with updates on the host's second
 * boundaries; deterministic mode: 2000-01-01 00:00:00, a Saturday. */
static void set_start_time(struct cmos *c, bool deterministic)
{
    uint64_t now = vclock_now(c->clock);
    if (deterministic) {
        c->now = (struct rtc_time){ .sec = 0, .min = 0, .hour = 0, .wday = 7,
                                    .mday = 1, .mon = 1, .year = 0, .century = 20 };
        c->next_update = now + NS_PER_SEC;
        return;
    }
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    c->now = (struct rtc_time){
        .sec = (uint8_t)(tm.tm_sec % 60), .min = (uint8_t)tm.tm_min, .hour = (uint8_t)tm.tm_hour,
        .wday = (uint8_t)(tm.tm_wday + 1), .mday = (uint8_t)tm.tm_mday,
        .mon = (uint8_t)(tm.tm_mon + 1), .year = (uint8_t)((tm.tm_year + 1900) % 100),
        .century = (uint8_t)((tm.tm_year + 1900) / 100 % 100),
    };
    c->next_update = now + (uint64_t)(NS_PER_SEC - ts.tv_nsec);
}

int cmos_init(struct cmos *c, struct bus *b, struct vclock *clock,
              struct irq_line irq, bool deterministic)
{
    memset(c, 0, sizeof *c);
    c->clock = clock;
    c->irq = irq;
    timer_init(&c->update_timer, timer_fire, c);
    timer_init(&c->periodic_timer, timer_fire, c);
    c->ram[CMOS_REG_A] = 0x26;   /* 32.768 kHz time base, 1024 Hz periodic rate */
    c->ram[CMOS_REG_B] = RTC_B_24H;   /* BCD, 24-hour, interrupts off */
    set_start_time(c, deterministic);
    c->pf_seen = periodic_index(c, vclock_now(clock));
    return bus_add_ports(b, RTC_PORT, 2, port_read, port_write, c);
}

void cmos_reset(struct cmos *c)
{
    sync(c);
    c->ram[CMOS_REG_B] &= ~(RTC_B_PIE | RTC_B_AIE | RTC_B_UIE | RTC_B_SQWE);
    c->reg_c = 0;
    update_irq(c);
    rearm(c);
}

void cmos_free(struct cmos *c)
{
    timer_cancel(c->clock, &c->update_timer);
    timer_cancel(c->clock, &c->periodic_timer);
}

bool cmos_nmi_masked(const struct cmos *c)
{
    return c->nmi_masked;
}

static void put16(struct cmos *c, uint8_t index, uint32_t v)
{
    if (v > 0xFFFF)
        v = 0xFFFF;
    c->ram[index] = (uint8_t)v;
    c->ram[index + 1] = (uint8_t)(v >> 8);
}

void cmos_update_checksum(struct cmos *c)
{
    unsigned sum = 0;
    for (int k = 0x10; k <= 0x2D; k++)
        sum += c->ram[k];
    c->ram[CMOS_CSUM_HI] = (uint8_t)(sum >> 8);
    c->ram[CMOS_CSUM_LO] = (uint8_t)sum;
}

void cmos_setup_pc(struct cmos *c, const struct cmos_pc_info *info)
{
    uint32_t kb = info->ram_bytes / 1024;
    put16(c, CMOS_BASE_LO, kb < 640 ? kb : 640);
    put16(c, CMOS_EXT_LO, kb > 1024 ? kb - 1024 : 0);      /* KiB above 1 MiB */
    put16(c, CMOS_EXT2_LO, kb > 1024 ? kb - 1024 : 0);
    put16(c, CMOS_HIGH_LO, kb > 16384 ? (kb - 16384) / 64 : 0);   /* 64 KiB above 16 MiB */
    c->ram[CMOS_FLOPPY] = (uint8_t)(info->floppy[0] << 4 | (info->floppy[1] & 0xF));
    c->ram[CMOS_DISK] = (uint8_t)(info->disk[0] << 4 | (info->disk[1] & 0xF));
    int floppies = (info->floppy[0] != 0) + (info->floppy[1] != 0);
    /* Bit 0 floppies present, 7-6 their count - 1, 1 FPU, 5-4 = 00 VGA,
     * 2 keyboard/PS-2 mouse port (set by Bochs and QEMU alike). */
    c->ram[CMOS_EQUIP] = (uint8_t)((floppies ? 0x01 | (floppies - 1) << 6 : 0) |
                                   (info->fpu ? 0x02 : 0) | 0x04);
    c->ram[CMOS_BOOT_FIRST] = (uint8_t)((info->boot[0] & 0xF) | info->boot[1] << 4);
    c->ram[CMOS_BOOT_THIRD] = (uint8_t)((c->ram[CMOS_BOOT_THIRD] & 0x0F) | info->boot[2] << 4);
    c->ram[CMOS_NCPUS] = 0;      /* processors - 1, read by SeaBIOS */
    cmos_update_checksum(c);
}
