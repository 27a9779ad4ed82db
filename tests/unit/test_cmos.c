/* test_cmos.c -- the MC146818 RTC driven from C on a hand-driven virtual
 * clock: the calendar (month ends, leap years, century), 12/24-hour and
 * BCD/binary formats, UIP timing, SET and divider reset, alarm, update and
 * periodic flags and their IRQ 8 rate, the NVRAM layout and checksum. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "devices/cmos.h"
#include "machine/bus.h"
#include "tests/unit/check.h"

static struct bus bus;
static struct vclock clk;
static uint64_t insns;
static struct cmos rtc;
static int irq_level, irq_edges;

static void irq_cb(void *opaque, int n, int level)
{
    (void)opaque; (void)n;
    if (level && !irq_level)
        irq_edges++;
    irq_level = level;
}

static void setup(bool deterministic)
{
    insns = 0;
    irq_level = irq_edges = 0;
    vclock_init(&clk, true, &insns);
    bus_free(&bus);
    bus_init(&bus, 1 << 20);
    cmos_init(&rtc, &bus, &clk, (struct irq_line){ irq_cb, NULL, 8 }, deterministic);
}

static void advance_ns(uint64_t ns)
{
    insns += ns / clk.ns_per_insn;
    vclock_run_due(&clk);
}

/* Through the ports, as a guest does. */
static uint8_t rd(uint8_t index)
{
    bus_io_write(&bus, 0x70, 1, index);
    return (uint8_t)bus_io_read(&bus, 0x71, 1);
}

static void wr(uint8_t index, uint8_t v)
{
    bus_io_write(&bus, 0x70, 1, index);
    bus_io_write(&bus, 0x71, 1, v);
}

/* Register C without PF, which the default 1024 Hz rate keeps setting. */
static uint8_t flags(void)
{
    return rd(CMOS_REG_C) & ~RTC_C_PF;
}

/* Sets the date and time (BCD values) with SET held, as a BIOS does. */
static void set_time(uint8_t cent, uint8_t year, uint8_t mon, uint8_t mday, uint8_t wday,
                     uint8_t hour, uint8_t min, uint8_t sec)
{
    uint8_t b = rd(CMOS_REG_B);
    wr(CMOS_REG_B, b | RTC_B_SET);
    wr(CMOS_CENTURY, cent);
    wr(CMOS_YEAR, year);
    wr(CMOS_MON, mon);
    wr(CMOS_MDAY, mday);
    wr(CMOS_WDAY, wday);
    wr(CMOS_HOUR, hour);
    wr(CMOS_MIN, min);
    wr(CMOS_SEC, sec);
    wr(CMOS_REG_B, b);
}

static int date_is(uint8_t cent, uint8_t year, uint8_t mon, uint8_t mday, uint8_t wday,
                   uint8_t hour, uint8_t min, uint8_t sec)
{
    return rd(CMOS_CENTURY) == cent && rd(CMOS_YEAR) == year && rd(CMOS_MON) == mon &&
           rd(CMOS_MDAY) == mday && rd(CMOS_WDAY) == wday && rd(CMOS_HOUR) == hour &&
           rd(CMOS_MIN) == min && rd(CMOS_SEC) == sec;
}

static void test_power_on(void)
{
    setup(true);
    check(date_is(0x20, 0x00, 0x01, 0x01, 0x07, 0x00, 0x00, 0x00),
          "deterministic start: Saturday 2000-01-01 00:00:00 (BCD)");
    check(rd(CMOS_REG_A) == 0x26 && rd(CMOS_REG_B) == 0x02 && rd(CMOS_REG_C) == 0 &&
          rd(CMOS_REG_D) == 0x80, "registers A-D at power-on: 26 02 00 80");
    wr(CMOS_REG_C, 0xFF);
    wr(CMOS_REG_D, 0x00);
    check(rd(CMOS_REG_C) == 0 && rd(CMOS_REG_D) == 0x80, "C and D are read-only");
    bus_io_write(&bus, 0x70, 1, 0x80 | 0x40);
    bus_io_write(&bus, 0x71, 1, 0x5A);
    check(cmos_nmi_masked(&rtc) && rd(0x40) == 0x5A, "index bit 7 masks NMI and is not part of the index");
    bus_io_write(&bus, 0x70, 1, 0x40);
    check(!cmos_nmi_masked(&rtc), "index write with bit 7 clear unmasks NMI");
    check(bus_io_read(&bus, 0x70, 1) == 0xFF, "the index port is write-only");

    setup(false);
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    int host = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    uint8_t h = rd(CMOS_HOUR), mi = rd(CMOS_MIN), se = rd(CMOS_SEC);
    int guest = ((h >> 4) * 10 + (h & 15)) * 3600 + ((mi >> 4) * 10 + (mi & 15)) * 60 +
                (se >> 4) * 10 + (se & 15);
    int diff = (guest - host + 86400) % 86400;
    check((diff <= 2 || diff >= 86398) &&
          rd(CMOS_YEAR) == (((tm.tm_year % 100) / 10) << 4 | tm.tm_year % 10),
          "host mode starts at the host's UTC time");
}

static void test_updates(void)
{
    setup(true);
    advance_ns(NS_PER_SEC - 244001);
    check(!(rd(CMOS_REG_A) & RTC_A_UIP), "UIP clear 244 us + 1 ns before the update");
    advance_ns(10);
    check(rd(CMOS_REG_A) & RTC_A_UIP, "UIP set inside the 244 us before the update");
    check(rd(CMOS_SEC) == 0x00, "time unchanged while UIP is up");
    advance_ns(244000);
    check(!(rd(CMOS_REG_A) & RTC_A_UIP) && rd(CMOS_SEC) == 0x01, "at 1 s: updated, UIP clear");
    uint8_t c = flags();
    check(c == RTC_C_UF, "update-ended flag set (no IRQF: UIE off)");
    check(flags() == 0, "reading C cleared it");
    check(irq_edges == 0, "no IRQ 8 with interrupts disabled");

    set_time(0x19, 0x99, 0x12, 0x31, 0x06, 0x23, 0x59, 0x59);
    advance_ns(NS_PER_SEC);
    check(date_is(0x20, 0x00, 0x01, 0x01, 0x07, 0x00, 0x00, 0x00),
          "Friday 1999-12-31 23:59:59 + 1 s = Saturday 2000-01-01 00:00:00");
    set_time(0x20, 0x00, 0x02, 0x28, 0x07, 0x23, 0x59, 0x59);
    advance_ns(NS_PER_SEC);
    check(date_is(0x20, 0x00, 0x02, 0x29, 0x01, 0x00, 0x00, 0x00), "2000 is a leap year (Feb 29)");
    set_time(0x20, 0x01, 0x02, 0x28, 0x03, 0x23, 0x59, 0x59);
    advance_ns(NS_PER_SEC);
    check(date_is(0x20, 0x01, 0x03, 0x01, 0x04, 0x00, 0x00, 0x00), "2001-02-28 is followed by March 1");
    set_time(0x20, 0x24, 0x04, 0x30, 0x03, 0x23, 0x59, 0x59);
    advance_ns(NS_PER_SEC);
    check(date_is(0x20, 0x24, 0x05, 0x01, 0x04, 0x00, 0x00, 0x00), "April has 30 days");

    set_time(0x20, 0x24, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00);
    advance_ns(3ull * 86400 * NS_PER_SEC + 5ull * NS_PER_SEC);
    check(date_is(0x20, 0x24, 0x01, 0x04, 0x05, 0x00, 0x00, 0x05),
          "3 days and 5 s left alone: caught up in one read");
    set_time(0x20, 0x24, 0x12, 0x31, 0x03, 0x23, 0x00, 0x00);
    advance_ns(400ull * 86400 * NS_PER_SEC);
    check(date_is(0x20, 0x26, 0x02, 0x04, 0x04, 0x23, 0x00, 0x00),
          "400 days later (bulk catch-up): 2026-02-04, a Wednesday");
}

static void test_formats(void)
{
    setup(true);
    set_time(0x20, 0x24, 0x06, 0x15, 0x07, 0x13, 0x45, 0x30);
    wr(CMOS_REG_B, RTC_B_24H | RTC_B_DM);
    check(rd(CMOS_HOUR) == 13 && rd(CMOS_MIN) == 45 && rd(CMOS_SEC) == 30 && rd(CMOS_YEAR) == 24 &&
          rd(CMOS_CENTURY) == 20, "binary mode: the same time in binary");
    wr(CMOS_REG_B, RTC_B_DM);
    check(rd(CMOS_HOUR) == (0x80 | 1), "binary 12-hour: 13 h reads 1 PM (0x81)");
    wr(CMOS_REG_B, 0);
    check(rd(CMOS_HOUR) == 0x81, "BCD 12-hour: 0x81");
    wr(CMOS_HOUR, 0x12);
    wr(CMOS_REG_B, RTC_B_24H);
    check(rd(CMOS_HOUR) == 0x00, "12 AM written in 12-hour mode is hour 0");
    wr(CMOS_REG_B, 0);
    check(rd(CMOS_HOUR) == 0x12, "hour 0 reads 12 (AM) in 12-hour mode");
    wr(CMOS_HOUR, 0x92);
    wr(CMOS_REG_B, RTC_B_24H);
    check(rd(CMOS_HOUR) == 0x12, "12 PM is hour 12");
    wr(CMOS_REG_B, RTC_B_24H | RTC_B_DM);
    wr(CMOS_MIN, 59);
    check(rd(CMOS_MIN) == 59, "binary write, binary read");
    wr(CMOS_REG_B, RTC_B_24H);
    check(rd(CMOS_MIN) == 0x59, "... and BCD read");
}

static void test_set_and_divider(void)
{
    setup(true);
    wr(CMOS_REG_B, RTC_B_24H | RTC_B_SET | RTC_B_UIE);
    check(rd(CMOS_REG_B) == (RTC_B_24H | RTC_B_SET), "setting SET clears UIE");
    advance_ns(3ull * NS_PER_SEC);
    check(rd(CMOS_SEC) == 0 && !(rd(CMOS_REG_A) & RTC_A_UIP) && flags() == 0,
          "SET: no updates, no UIP, no UF");
    wr(CMOS_REG_B, RTC_B_24H);
    advance_ns(NS_PER_SEC - 10);
    check(rd(CMOS_SEC) == 0, "after SET the phase of the second is kept");
    advance_ns(10);
    check(rd(CMOS_SEC) == 1, "... the update comes on the old boundary");

    wr(CMOS_REG_A, 0x66);        /* divider in reset */
    advance_ns(5ull * NS_PER_SEC);
    check(rd(CMOS_SEC) == 1 && !(rd(CMOS_REG_A) & RTC_A_UIP), "divider reset: time stands");
    wr(CMOS_REG_A, 0x26);
    advance_ns(NS_PER_SEC / 2 - 10);
    check(rd(CMOS_SEC) == 1, "nothing before half a second after the divider restarts");
    advance_ns(10);
    check(rd(CMOS_SEC) == 2, "first update half a second after the divider restarts");
}

static void test_alarm(void)
{
    setup(true);
    wr(CMOS_SEC_ALARM, 0x05);
    wr(CMOS_MIN_ALARM, 0x00);
    wr(CMOS_HOUR_ALARM, 0x00);
    advance_ns(4ull * NS_PER_SEC);
    check(flags() == RTC_C_UF, "no alarm before 00:00:05");
    advance_ns(NS_PER_SEC);
    check(flags() == (RTC_C_UF | RTC_C_AF), "alarm flag at 00:00:05");
    advance_ns(NS_PER_SEC);
    check(flags() == RTC_C_UF, "and not at 00:00:06");
    wr(CMOS_SEC_ALARM, 0xC0);
    wr(CMOS_MIN_ALARM, 0xFF);
    wr(CMOS_HOUR_ALARM, 0xC3);
    advance_ns(NS_PER_SEC);
    check(flags() == (RTC_C_UF | RTC_C_AF), "don't-care alarm bytes match every second");
    wr(CMOS_SEC_ALARM, 0x30);
    wr(CMOS_REG_B, RTC_B_24H | RTC_B_AIE);
    rd(CMOS_REG_C);
    int edges = irq_edges;
    advance_ns(22ull * NS_PER_SEC);     /* 00:00:07 -> 00:00:29 */
    check(irq_edges == edges && !irq_level, "alarm interrupt not before 00:00:30");
    advance_ns(NS_PER_SEC);
    check(irq_edges == edges + 1 && irq_level, "alarm interrupt at 00:00:30 (timer, no polling)");
    uint8_t c = flags();
    check(c == (RTC_C_IRQF | RTC_C_AF | RTC_C_UF) && !irq_level, "C shows IRQF+AF; reading it lowers IRQ 8");
    advance_ns(60ull * NS_PER_SEC);
    check(irq_edges == edges + 2, "one minute later: the alarm again");
    rd(CMOS_REG_C);

    wr(CMOS_REG_B, RTC_B_24H | RTC_B_UIE);
    edges = irq_edges;
    for (int k = 0; k < 5; k++) {
        advance_ns(NS_PER_SEC);
        rd(CMOS_REG_C);
    }
    check(irq_edges == edges + 5, "update-ended interrupt every second");
    advance_ns(NS_PER_SEC);
    check(irq_level, "IRQ 8 up...");
    cmos_reset(&rtc);
    check(!irq_level && rd(CMOS_REG_B) == RTC_B_24H && rd(CMOS_REG_C) == 0,
          "RESET clears the enables and flags, lowers IRQ 8");
    advance_ns(3ull * NS_PER_SEC);
    check(!irq_level && clk.queue == NULL, "no timers left armed after RESET");
}

/* Counts IRQ 8 over one second, acknowledging each through register C. */
static int count_periodic_irqs(uint8_t reg_a)
{
    wr(CMOS_REG_A, reg_a);
    wr(CMOS_REG_B, RTC_B_24H | RTC_B_PIE);
    rd(CMOS_REG_C);
    int edges = irq_edges;
    for (int k = 0; k < 100000; k++) {     /* 10 us steps */
        advance_ns(10000);
        if (irq_level)
            rd(CMOS_REG_C);
    }
    wr(CMOS_REG_B, RTC_B_24H);
    return irq_edges - edges;
}

static void test_periodic(void)
{
    setup(true);
    int n = count_periodic_irqs(0x26);
    check(n >= 1023 && n <= 1025, "RS=6: 1024 interrupts per second");
    n = count_periodic_irqs(0x2F);
    check(n >= 1 && n <= 3, "RS=15: 2 interrupts per second");
    n = count_periodic_irqs(0x23);
    check(n >= 8191 && n <= 8193, "RS=3: 8192 interrupts per second");
    n = count_periodic_irqs(0x21);
    check(n >= 255 && n <= 257, "RS=1 repeats RS=8: 256 per second");
    n = count_periodic_irqs(0x22);
    check(n >= 127 && n <= 129, "RS=2 repeats RS=9: 128 per second");
    n = count_periodic_irqs(0x20);
    check(n == 0 && clk.queue == NULL, "RS=0: no periodic interrupt, no timer");

    wr(CMOS_REG_A, 0x2A);        /* 64 Hz, PIE off: the flag alone */
    rd(CMOS_REG_C);
    advance_ns(NS_PER_SEC / 64 + 1000);
    check(rd(CMOS_REG_C) & RTC_C_PF, "PF set without PIE (polled)");
    check(!(rd(CMOS_REG_C) & RTC_C_PF), "and cleared by the read");
    advance_ns(NS_PER_SEC / 64 + 1000);
    wr(CMOS_REG_B, RTC_B_24H | RTC_B_PIE);
    check(irq_level && (rd(CMOS_REG_C) & RTC_C_IRQF), "enabling PIE with PF up raises IRQF at once");
    wr(CMOS_REG_B, RTC_B_24H);
}

static void test_nvram(void)
{
    setup(true);
    cmos_setup_pc(&rtc, &(struct cmos_pc_info){ .ram_bytes = 64u << 20, .floppy = { 4, 0 },
                                                .disk = { 0xF, 0 }, .boot = { 2, 3, 1 }, .fpu = true });
    check(rd(0x15) == 0x80 && rd(0x16) == 0x02, "base memory 640 KiB");
    check(rd(0x17) == 0x00 && rd(0x18) == 0xFC && rd(0x30) == 0x00 && rd(0x31) == 0xFC,
          "64 MiB: 63 MiB extended (0xFC00 KiB) at 17/18 and 30/31");
    check(rd(0x34) == 0x00 && rd(0x35) == 0x03, "48 MiB above 16 MiB = 0x300 64 KiB blocks");
    check(rd(0x10) == 0x40 && rd(0x12) == 0xF0, "floppy and disk types");
    check(rd(0x14) == (0x01 | 0x02 | 0x04), "equipment: one floppy, FPU, keyboard/mouse");
    check(rd(0x3D) == 0x32 && (rd(0x38) >> 4) == 1, "boot order: disk, CD, floppy");
    unsigned sum = 0;
    for (int k = 0x10; k <= 0x2D; k++)
        sum += rd((uint8_t)k);
    check(rd(0x2E) == (sum >> 8) && rd(0x2F) == (sum & 0xFF) && sum != 0, "checksum over 0x10-0x2D");
    check(rd(CMOS_CENTURY) == 0x20, "century byte");

    cmos_setup_pc(&rtc, &(struct cmos_pc_info){ .ram_bytes = 3072u << 20 });
    check(rd(0x17) == 0xFF && rd(0x18) == 0xFF && rd(0x34) == 0x00 && rd(0x35) == 0xBF,
          "3 GiB: extended capped at 0xFFFF KiB, 0xBF00 blocks above 16 MiB");
    cmos_setup_pc(&rtc, &(struct cmos_pc_info){ .ram_bytes = 1u << 20 });
    check(rd(0x17) == 0 && rd(0x18) == 0 && rd(0x34) == 0 && rd(0x14) == 0x04,
          "1 MiB: no extended memory, no floppy, no FPU");
}

int main(void)
{
    test_power_on();
    test_updates();
    test_formats();
    test_set_and_divider();
    test_alarm();
    test_periodic();
    test_nvram();
    cmos_free(&rtc);
    bus_free(&bus);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
