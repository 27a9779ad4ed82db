/* test_ps2.c -- the 8042 and its PS/2 keyboard and mouse driven from C,
 * where a guest cannot reach: key and mouse input from a frontend, set 1 /
 * set 2 and the controller's translation, typematic repeat on the virtual
 * clock, buffer overrun, mouse packets (signs, overflow, wheel, scaling,
 * remote and wrap modes), IRQ 1/12 edges, and the A20/reset lines. */
#include <stdio.h>
#include <string.h>

#include "devices/i8042.h"
#include "machine/bus.h"
#include "machine/machine.h"

static int passed, failed;

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    if (ok)
        passed++;
    else
        failed++;
}

/* ---- the rig: a controller on its own bus, a hand-driven clock ---- */

struct lines {
    int level[2];                /* IRQ 1, IRQ 12 */
    int edges[2];
    int resets;
    bool a20;
};

static struct bus bus;
static struct vclock clk;
static uint64_t insns;           /* the clock's "retired instructions" */
static struct i8042 kbc;
static struct lines lines;

static void irq_cb(void *opaque, int n, int level)
{
    struct lines *l = opaque;
    int k = n == 1 ? 0 : 1;
    if (level && !l->level[k])
        l->edges[k]++;
    l->level[k] = level;
}

static void reset_cb(void *opaque) { ((struct lines *)opaque)->resets++; }
static void set_a20_cb(void *opaque, bool on) { ((struct lines *)opaque)->a20 = on; }
static bool a20_cb(void *opaque) { return ((struct lines *)opaque)->a20; }

static void setup(void)
{
    memset(&lines, 0, sizeof lines);
    lines.a20 = true;
    insns = 0;
    vclock_init(&clk, true, &insns);
    bus_free(&bus);
    bus_init(&bus, 1 << 20);
    const struct i8042_signals sig = { reset_cb, set_a20_cb, a20_cb, &lines };
    i8042_init(&kbc, &bus, &clk, (struct irq_line){ irq_cb, &lines, 1 },
               (struct irq_line){ irq_cb, &lines, 12 }, &sig);
}

static void advance_ns(uint64_t ns)
{
    insns += ns / clk.ns_per_insn;
    vclock_run_due(&clk);
}

static uint8_t status(void) { return i8042_read(&kbc, 0x64); }
static void cmd(uint8_t c) { i8042_write(&kbc, 0x64, c); }
static void dat(uint8_t v) { i8042_write(&kbc, 0x60, v); }

/* Everything in the output buffer, as a guest polling OBF reads it. */
static int drain(uint8_t *out, int max)
{
    int n = 0;
    while ((status() & KBC_STAT_OBF) && n < max)
        out[n++] = i8042_read(&kbc, 0x60);
    return n;
}

/* Reads all pending bytes and compares them with the expected ones. */
static void expect(const char *what, int n, const uint8_t *want)
{
    uint8_t got[64];
    int m = drain(got, 64);
    int ok = m == n && (n == 0 || !memcmp(got, want, (size_t)n));
    check(ok, what);
    if (!ok) {
        printf("   got:");
        for (int k = 0; k < m; k++)
            printf(" %02x", got[k]);
        printf("\n  want:");
        for (int k = 0; k < n; k++)
            printf(" %02x", want[k]);
        printf("\n");
    }
}

#define EXPECT(what, ...) \
    expect(what, (int)sizeof((const uint8_t[]){ __VA_ARGS__ }), (const uint8_t[]){ __VA_ARGS__ })

static void set_cmd_byte(uint8_t v)
{
    cmd(0x60);
    dat(v);
}

/* ---- controller ---- */

static void test_controller(void)
{
    setup();
    check(status() == KBC_STAT_INH, "power-on status: empty, not inhibited, SYS clear");
    cmd(0x20);
    check(status() & KBC_STAT_A2, "A2 set after a write to port 0x64");
    EXPECT("command byte reads 0x43 at power-on", 0x43);
    cmd(0xAA);
    EXPECT("self test answers 0x55", 0x55);
    check(status() & KBC_STAT_SYS, "SYS flag set after the self test");
    cmd(0xAB);
    EXPECT("keyboard interface test answers 0", 0x00);
    cmd(0xA9);
    EXPECT("aux interface test answers 0", 0x00);
    set_cmd_byte(0x65);
    check(!(status() & KBC_STAT_A2), "A2 clear after a write to port 0x60");
    cmd(0x20);
    EXPECT("command byte round trip", 0x65);
    cmd(0xD2);
    dat(0x5A);
    check((status() & (KBC_STAT_OBF | KBC_STAT_AUXB)) == KBC_STAT_OBF && lines.level[0] == 1,
          "0xD2: byte in the buffer as keyboard data, IRQ 1 up");
    EXPECT("0xD2 byte read back untranslated", 0x5A);
    check(lines.level[0] == 0, "IRQ 1 falls when the buffer is read");
    set_cmd_byte(0x47);
    cmd(0xD3);
    dat(0xA5);
    check((status() & (KBC_STAT_OBF | KBC_STAT_AUXB)) == (KBC_STAT_OBF | KBC_STAT_AUXB) &&
          lines.level[1] == 1 && lines.level[0] == 0, "0xD3: byte as mouse data (AUXB), IRQ 12 up");
    EXPECT("0xD3 byte read back", 0xA5);
    set_cmd_byte(0x44);          /* interrupts off */
    cmd(0xD2);
    dat(0x11);
    check(lines.level[0] == 0 && (status() & KBC_STAT_OBF), "no IRQ 1 with the interrupt disabled");
    EXPECT("(drain)", 0x11);
    cmd(0xC0);
    EXPECT("input port: keyboard not inhibited", 0x80);
}

static void test_output_port(void)
{
    setup();
    cmd(0xD0);
    uint8_t got[4];
    check(drain(got, 4) == 1 && (got[0] & 0x03) == 0x03, "output port: A20 on, reset high");
    cmd(0xD1);
    dat(0xDD);                   /* bit 1 clear: A20 off; bit 0 set: no reset */
    check(!lines.a20 && lines.resets == 0, "0xD1 with bit 1 clear turns A20 off");
    cmd(0xD0);
    check(drain(got, 4) == 1 && (got[0] & 0x02) == 0, "output port reports A20 off");
    cmd(0xDF);
    check(lines.a20, "0xDF turns A20 on");
    cmd(0xDD);
    check(!lines.a20, "0xDD turns A20 off");
    cmd(0xD1);
    dat(0xDE);                   /* bit 0 clear: reset */
    check(lines.a20 && lines.resets == 1, "0xD1 with bit 0 clear resets (and sets A20 from bit 1)");
    cmd(0xFF);
    check(lines.resets == 1, "0xFF pulses nothing");
    cmd(0xFE);
    check(lines.resets == 2, "0xFE pulses reset");
    cmd(0xF0);
    check(lines.resets == 3, "0xF0 pulses reset (bit 0 among the four)");
    cmd(0xFD);
    check(lines.resets == 3, "0xFD pulses bit 1 only: no reset");
}

/* ---- keyboard commands ---- */

static void test_kbd_commands(void)
{
    setup();
    dat(0xFF);
    EXPECT("keyboard reset: ACK, BAT passed", 0xFA, 0xAA);
    dat(0xF2);
    EXPECT("identify through translation: FA AB 41", 0xFA, 0xAB, 0x41);
    set_cmd_byte(0x03);          /* XLAT off */
    dat(0xF2);
    EXPECT("identify untranslated: FA AB 83", 0xFA, 0xAB, 0x83);
    dat(0xEE);
    EXPECT("echo", 0xEE);
    dat(0xFE);
    EXPECT("resend repeats the last byte", 0xEE);
    dat(0xED);
    dat(0x05);
    EXPECT("LEDs: two ACKs", 0xFA, 0xFA);
    check(kbc.kbd.leds == 5, "LED state recorded");
    dat(0xF0);
    dat(0x00);
    EXPECT("get scan code set: 2", 0xFA, 0xFA, 0x02);
    dat(0xF0);
    dat(0x03);
    EXPECT("set 3 refused", 0xFA, 0xFE);
    dat(0xF3);
    dat(0x00);
    EXPECT("typematic: two ACKs", 0xFA, 0xFA);
    check(kbc.kbd.typematic == 0, "typematic byte recorded");
    dat(0xAB);
    EXPECT("unknown command: resend", 0xFE);
    dat(0xED);
    dat(0xEE);                   /* a command where the LED byte was due */
    EXPECT("a command instead of an argument runs as a command", 0xFA, 0xEE);
    set_cmd_byte(0x43);
    dat(0xF0);
    dat(0x00);
    EXPECT("get scan code set through translation: 2 becomes 0x41", 0xFA, 0xFA, 0x41);
}

/* ---- key input ---- */

static void test_keys(void)
{
    setup();
    i8042_key(&kbc, 0x1C, true);
    i8042_key(&kbc, 0x1C, false);
    check(i8042_key_backlog(&kbc) == 3, "backlog: 1 byte in the output buffer, 2 in the keyboard");
    EXPECT("A, translated to set 1: 1E 9E", 0x1E, 0x9E);
    check(i8042_key_backlog(&kbc) == 0, "backlog: none once read");
    check(lines.edges[0] == 2, "one IRQ 1 edge per byte");
    i8042_key(&kbc, 0xE075, true);
    i8042_key(&kbc, 0xE075, false);
    EXPECT("up arrow translated: E0 48 E0 C8", 0xE0, 0x48, 0xE0, 0xC8);
    i8042_key(&kbc, PS2_KEY_PAUSE, true);
    i8042_key(&kbc, PS2_KEY_PAUSE, false);
    EXPECT("Pause translated: E1 1D 45 E1 9D C5, no break", 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5);
    i8042_key(&kbc, 0xE07C, true);
    i8042_key(&kbc, 0xE07C, false);
    EXPECT("Print Screen translated", 0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA);
    i8042_key(&kbc, 0x76, true);
    i8042_key(&kbc, 0x76, false);
    EXPECT("Esc translated: 01 81", 0x01, 0x81);

    set_cmd_byte(0x03);          /* XLAT off: raw set 2 */
    i8042_key(&kbc, 0x1C, true);
    i8042_key(&kbc, 0x1C, false);
    EXPECT("A in set 2: 1C F0 1C", 0x1C, 0xF0, 0x1C);
    i8042_key(&kbc, 0xE075, true);
    i8042_key(&kbc, 0xE075, false);
    EXPECT("up arrow in set 2: E0 75 E0 F0 75", 0xE0, 0x75, 0xE0, 0xF0, 0x75);
    i8042_key(&kbc, 0x83, true);
    EXPECT("F7 in set 2: 83", 0x83);

    dat(0xF0);
    dat(0x01);
    EXPECT("select set 1", 0xFA, 0xFA);
    dat(0xF0);
    dat(0x00);
    EXPECT("get scan code set: 1", 0xFA, 0xFA, 0x01);
    i8042_key(&kbc, 0x1C, true);
    i8042_key(&kbc, 0x1C, false);
    EXPECT("A from a set 1 keyboard: 1E 9E", 0x1E, 0x9E);
    i8042_key(&kbc, 0xE075, true);
    i8042_key(&kbc, 0xE075, false);
    EXPECT("up arrow from a set 1 keyboard: E0 48 E0 C8", 0xE0, 0x48, 0xE0, 0xC8);

    dat(0xF5);
    EXPECT("disable scanning", 0xFA);
    i8042_key(&kbc, 0x1C, true);
    expect("a disabled keyboard sends nothing", 0, NULL);
    dat(0xF4);
    EXPECT("enable scanning", 0xFA);
    i8042_key(&kbc, 0x1C, true);
    EXPECT("enabled again", 0x1E);
}

static void test_clock_disable(void)
{
    setup();
    cmd(0xAD);
    i8042_key(&kbc, 0x1C, true);
    check(!(status() & KBC_STAT_OBF), "keyboard clock disabled (0xAD): the key waits in the keyboard");
    cmd(0x20);
    EXPECT("command byte shows the disable bit", 0x53);
    cmd(0xAE);
    EXPECT("0xAE: the key arrives", 0x1E);
    cmd(0xAD);
    dat(0xEE);                   /* writing to the keyboard re-enables it */
    EXPECT("a write to the keyboard re-enables its interface", 0xEE);
}

static void test_overrun(void)
{
    setup();
    cmd(0xAD);                   /* nobody reads: the keyboard buffer fills */
    for (int k = 0; k < 20; k++)
        i8042_key(&kbc, 0x1C, true);         /* 20 one-byte makes */
    cmd(0xAE);
    uint8_t got[64];
    int n = drain(got, 64);
    int makes_ok = 1;
    for (int k = 0; k < 16; k++)
        makes_ok &= got[k] == 0x1E;
    check(n == 17 && makes_ok && got[16] == 0xFF,
          "16 bytes kept, then one overrun code (0x00, translated to 0xFF)");
    set_cmd_byte(0x13);          /* XLAT off, keyboard clock off */
    for (int k = 0; k < 18; k++)
        i8042_key(&kbc, 0x1C, true);
    cmd(0xAE);
    n = drain(got, 64);
    check(n == 17 && got[15] == 0x1C && got[16] == 0x00, "set 2 overrun code is 0x00");
    cmd(0xAD);
    i8042_key(&kbc, 0x1C, true);
    for (int k = 0; k < 8; k++)
        i8042_key(&kbc, 0x1C, false);    /* 1C + 7 x F0 1C = 15 bytes, then no room for 2 */
    i8042_key(&kbc, 0x1C, true);         /* after an overrun: dropped, no second code */
    cmd(0xAE);
    n = drain(got, 64);
    check(n == 16 && got[13] == 0xF0 && got[14] == 0x1C && got[15] == 0x00,
          "a sequence that does not fit is dropped whole, one overrun code for the lot");
    i8042_key(&kbc, 0x1C, false);
    EXPECT("room again after the buffer drains", 0xF0, 0x1C);
}

static void test_typematic(void)
{
    setup();
    i8042_key(&kbc, 0x1C, true);
    EXPECT("make", 0x1E);
    advance_ns(499 * 1000000ull);
    expect("default delay: nothing after 499 ms", 0, NULL);
    advance_ns(1000000ull);
    EXPECT("first repeat at 500 ms", 0x1E);
    uint64_t period = ps2kbd_repeat_period_ns(0x2B);
    check(period == 91740000ull, "default rate 10.9/s: 91.74 ms");
    advance_ns(period - 10);
    expect("nothing before the period", 0, NULL);
    advance_ns(10);
    EXPECT("second repeat one period later", 0x1E);
    i8042_key(&kbc, 0x1B, true);     /* S: now S repeats, not A */
    EXPECT("S make", 0x1F);
    advance_ns(500000000ull);
    EXPECT("the last key pressed repeats", 0x1F);
    i8042_key(&kbc, 0x1B, false);
    EXPECT("S break", 0x9F);
    advance_ns(2000000000ull);
    expect("no repeat after the release", 0, NULL);
    dat(0xF3);
    dat(0x7F);                   /* 2/s, 1 s delay */
    EXPECT("typematic set", 0xFA, 0xFA);
    i8042_key(&kbc, 0x1C, true);
    advance_ns(999000000ull);
    EXPECT("make only before 1 s", 0x1E);
    advance_ns(1000000ull);
    advance_ns(ps2kbd_repeat_period_ns(0x7F));
    EXPECT("repeats at 1 s and 1.5 s", 0x1E, 0x1E);
    check(ps2kbd_repeat_period_ns(0x00) == 33360000ull, "fastest rate 30/s: 33.36 ms");
    dat(0xF5);
    EXPECT("disable", 0xFA);
    advance_ns(5000000000ull);
    expect("a disabled keyboard stops repeating", 0, NULL);
}

/* ---- mouse ---- */

static void mouse(uint8_t v)
{
    cmd(0xD4);
    dat(v);
}

static void test_mouse(void)
{
    setup();
    mouse(0xFF);
    EXPECT("mouse reset: FA AA 00", 0xFA, 0xAA, 0x00);
    check(lines.edges[1] == 3 && lines.edges[0] == 0, "mouse bytes raise IRQ 12, not IRQ 1");
    mouse(0xF2);
    check(status() & KBC_STAT_AUXB, "mouse bytes carry AUXB");
    EXPECT("ID 0", 0xFA, 0x00);
    i8042_mouse_move(&kbc, 5, 5, 0, 0);
    expect("no packets while disabled", 0, NULL);
    mouse(0xF4);
    EXPECT("enable", 0xFA);
    i8042_mouse_move(&kbc, 5, -3, 0, PS2M_LEFT);
    EXPECT("right 5, up 3, left button", 0x09, 0x05, 0x03);
    i8042_mouse_move(&kbc, -5, 3, 0, PS2M_LEFT | PS2M_RIGHT | PS2M_MIDDLE);
    EXPECT("left 5, down 3, sign bits", 0x3F, 0xFB, 0xFD);
    i8042_mouse_move(&kbc, 0, 0, 0, 0);
    EXPECT("button release alone makes a packet", 0x08, 0x00, 0x00);
    i8042_mouse_move(&kbc, 0, 0, 0, 0);
    expect("no change, no packet", 0, NULL);
    i8042_mouse_move(&kbc, 300, 0, 0, 0);
    EXPECT("x overflow", 0x48, 0xFF, 0x00);
    i8042_mouse_move(&kbc, -300, -400, 0, 0);
    EXPECT("x and y overflow, negative x", 0xD8, 0x00, 0xFF);
    i8042_mouse_move(&kbc, 0, 0, 3, 0);
    expect("no wheel on a plain mouse", 0, NULL);

    mouse(0xE9);
    EXPECT("status: enabled, stream, 1:1, res 2, 100/s", 0xFA, 0x20, 0x02, 0x64);
    mouse(0xE8);
    mouse(0x03);
    mouse(0xE7);
    mouse(0xE9);
    EXPECT("status after resolution 3 and 2:1", 0xFA, 0xFA, 0xFA, 0xFA, 0x30, 0x03, 0x64);
    mouse(0xE8);
    mouse(0x09);
    EXPECT("a bad resolution is refused", 0xFA, 0xFE);
    i8042_mouse_move(&kbc, 4, 0, 0, 0);
    i8042_mouse_move(&kbc, 10, 0, 0, 0);
    i8042_mouse_move(&kbc, -2, 0, 0, 0);
    EXPECT("2:1 scaling: 4 -> 6, 10 -> 20, -2 -> -1",
           0x08, 0x06, 0x00, 0x08, 0x14, 0x00, 0x18, 0xFF, 0x00);
    mouse(0xE6);
    EXPECT("1:1", 0xFA);

    /* The IntelliMouse knock. */
    mouse(0xF3); mouse(200);
    mouse(0xF3); mouse(100);
    mouse(0xF3); mouse(80);
    EXPECT("three sample rates", 0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA);
    mouse(0xF2);
    EXPECT("ID 3 after 200-100-80", 0xFA, 0x03);
    i8042_mouse_move(&kbc, 1, 0, -2, 0);
    EXPECT("4-byte packet with the wheel", 0x08, 0x01, 0x00, 0xFE);
    i8042_mouse_move(&kbc, 0, 0, 10, 0);
    EXPECT("wheel beyond 7 spills into the next packet", 0x08, 0x00, 0x00, 0x07, 0x08, 0x00, 0x00, 0x03);
    mouse(0xFF);
    EXPECT("reset", 0xFA, 0xAA, 0x00);
    mouse(0xF2);
    EXPECT("reset forgets the wheel", 0xFA, 0x00);
}

static void test_mouse_modes(void)
{
    setup();
    mouse(0xF0);
    EXPECT("remote mode", 0xFA);
    i8042_mouse_move(&kbc, 10, -1, 0, PS2M_RIGHT);
    expect("remote mode: no packet by itself", 0, NULL);
    mouse(0xEB);
    EXPECT("read data: ACK and the packet", 0xFA, 0x0A, 0x0A, 0x01);
    mouse(0xEB);
    EXPECT("read data again: no movement", 0xFA, 0x0A, 0x00, 0x00);
    mouse(0xE9);
    EXPECT("status: remote, right button", 0xFA, 0x41, 0x02, 0x64);
    mouse(0xEA);
    mouse(0xEE);
    EXPECT("stream, then wrap mode", 0xFA, 0xFA);
    mouse(0x12);
    mouse(0xF4);
    EXPECT("wrap mode echoes", 0x12, 0xF4);
    mouse(0xEC);
    EXPECT("0xEC leaves wrap mode", 0xFA);
    mouse(0x12);
    EXPECT("unknown command: resend", 0xFE);
    mouse(0xFE);
    EXPECT("resend: the last byte", 0xFE);

    /* Bounded queue: packets wait in the mouse while the aux clock is off. */
    mouse(0xF4);
    EXPECT("enable", 0xFA);
    cmd(0xA7);
    for (int k = 0; k < 20; k++)
        i8042_mouse_move(&kbc, 1, 0, 0, 0);
    check(!(status() & KBC_STAT_OBF), "aux clock off (0xA7): nothing reaches the buffer");
    cmd(0xA8);
    uint8_t got[128];
    int n = drain(got, 128);
    int sum = 0;
    for (int k = 0; k + 2 < n; k += 3)
        sum += got[k + 1];
    check(n == PS2M_QUEUE + 3 && sum == 20,
          "queue holds 8 packets; the rest of the movement comes in one more");
    set_cmd_byte(0x41);          /* IRQ 12 off */
    int edges = lines.edges[1];
    i8042_mouse_move(&kbc, 1, 0, 0, 0);
    check(lines.edges[1] == edges && (status() & KBC_STAT_AUXB), "no IRQ 12 with the aux interrupt off");
    EXPECT("(drain)", 0x08, 0x01, 0x00);
}

/* ---- a whole machine: the reset line and A20 wired by board.c ---- */

static void test_machine_reset(void)
{
    static struct machine m;
    struct machine_config cfg = { .ram_mb = 2, .model = CPU_P6, .deterministic = true };
    if (machine_init(&m, &cfg) < 0) {
        check(0, "machine_init");
        return;
    }
    /* in al,92h; and al,0FCh; out 92h,al (A20 off); mov al,60h; out 64h,al;
     * mov al,01h; out 60h,al (command byte 01); mov al,0FEh; out 64h,al; jmp $ */
    static const uint8_t code[] = {
        0xE4, 0x92, 0x24, 0xFC, 0xE6, 0x92, 0xB0, 0x60, 0xE6, 0x64, 0xB0, 0x01,
        0xE6, 0x60, 0xB0, 0xFE, 0xE6, 0x64, 0xEB, 0xFE,
    };
    bus_load(&m.bus, 0x7C00, code, sizeof code);
    machine_entry_real(&m, 0, 0x7C00);
    machine_run(&m, 7);
    check(!machine_a20(&m) && m.i8042.ram[0] == 0x01 && m.resets == 0,
          "machine: port 0x92 turned A20 off, the command byte is 0x01");
    machine_run(&m, 2);
    check(m.resets == 1 && m.cpu.seg[S_CS].sel == 0xF000 && m.cpu.eip == 0xFFF0,
          "machine: 8042 0xFE reset the machine (without -no-reboot): CPU at F000:FFF0");
    check(machine_a20(&m) && m.i8042.ram[0] == 0x43 && bus_io_read(&m.bus, 0x92, 1) == 0x02,
          "machine: after the reset A20 is on, the 8042 and port 0x92 at power-on state");
    machine_free(&m);
}

int main(void)
{
    test_controller();
    test_output_port();
    test_kbd_commands();
    test_keys();
    test_clock_disable();
    test_overrun();
    test_typematic();
    test_mouse();
    test_mouse_modes();
    test_machine_reset();
    i8042_free(&kbc);
    bus_free(&bus);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
