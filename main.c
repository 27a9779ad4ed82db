/* main.c -- the x86lab command line: parse options, build the machine,
 * load the guest, run it and report how it stopped. */
#include <errno.h>
#include <signal.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frontend-term/console.h"
#include "frontend-sdl/sdl.h"
#include "machine/chardev.h"
#include "machine/firmware.h"
#include "machine/loader.h"
#include "qemu_opts.h"
#include "debugger/debug.h"
#include "debugger/gdbstub.h"
#include "debugger/symbols.h"
#include "debugger/trace.h"
#include "machine/machine.h"
#include "machine/smp.h"
#include "machine/stats_json.h"
#include "compare/compare.h"

enum { MAX_LOADS = 8 };

struct load {
    const char *path;
    uint32_t addr;
    uint64_t skip;
};

struct options {
    struct machine_config cfg;
    struct load loads[MAX_LOADS];
    int nloads;
    int entry_mode;            /* 0 reset vector, 1 real CS:IP, 2 flat 32-bit */
    uint16_t entry_cs;
    uint32_t entry_ip;
    uint64_t max_insns;
    int stats;
    const char *stats_json;        /* --stats-json FILE (machine/stats_json.c) */
    const char *debugcon;
    const char *serial[2];         /* -serial backends for COM1, then COM2 */
    int nserial;
    bool headless;                 /* -nographic or -display none|curses */
    bool curses;                   /* -display curses: the VGA screen first */
    bool no_acpi;                  /* -machine acpi=off, -no-acpi: no RSDP */
    bool display_sdl;              /* -display sdl (without -display or -nographic:
                                    * the window when there is a display) */
    bool display_given;            /* -display or -nographic given */
    struct sdl_options sdl;        /* the window's options */
    struct chardev chr[2];         /* the backends, opened by open_serial */
    struct disk_spec floppy_spec[2];   /* -fda, -fdb (path NULL: not given) */
    bool floppy_readonly[2];
    struct fd_image floppy[2];     /* opened by open_floppies */
    struct disk_spec drives[ATA_UNITS];  /* -hda..-hdd, -cdrom, -drive, by IDE index */
    bool drive_used[ATA_UNITS];
    const char *drive_opt[ATA_UNITS];    /* the option that gave it, for messages */
    struct disk ide_disk[ATA_UNITS];     /* opened by open_drives, closed at exit */
    bool write_disk;               /* --write-disk */
    bool snapshot;                 /* -snapshot */
    uint64_t disk_latency_ns;      /* --disk-latency */
    const char *bios;              /* -bios FILE (NULL: the one beside x86lab) */
    unsigned char boot[3];         /* -boot: CMOS device codes, boot[0] 0 = not given */
    bool no_reboot;                /* -no-reboot */
    struct kernel_spec kernel;     /* -kernel, -initrd, -append (path NULL: none) */
    bool no_shutdown;              /* -no-shutdown (accepted; see --help) */
    const char *dump_vga_text;     /* --dump-vga-text FILE */
    struct debug_options dbg;      /* --debug, --debug-script, --symbols */
    const char *gdb_spec;          /* -s, -gdb: where the gdb stub listens (NULL: none) */
    bool gdb_wait;                 /* -S: wait for gdb before the first instruction */
    unsigned log_items;            /* -d ITEMS (debugger/trace.h) */
    const char *log_file;          /* -D FILE (NULL: stderr) */
    uint64_t trace_limit;          /* --trace-limit N */
    bool trace_limit_set;
    uint64_t watchdog;             /* --watchdog SECONDS (0: none) */
};

static void usage(FILE *f)
{
    fputs(
"usage: x86lab [options]\n"
"x86lab emulates a PC/AT with a 32-bit x86 CPU (interpreter engine).\n"
"Options marked [Q] have QEMU's name and form (qemu-system-i386), so a\n"
"Makefile written for QEMU can run x86lab instead.\n"
"\n"
"Machine:\n"
"  -m SIZE           [Q] guest RAM: MiB, or with a suffix M, G, K, also\n"
"                         size=SIZE (1 MiB to 3 GiB, default 128M)\n"
"  --cpu=MODEL            286, 386, 486, pentium, p6 (default p6)\n"
"  -cpu MODEL        [Q] the same, or QEMU's names: 486, 486-v1, pentium,\n"
"                         pentium2, pentium3, qemu32, kvm32, host, max (the\n"
"                         last six: p6); no feature flags (,+x ,-x)\n"
"  -machine pc, -M pc [Q] the i440FX PC, the only board (pc-i440fx-*, isapc\n"
"                         accepted too); ,accel=tcg|kvm picks the engine,\n"
"                         ,acpi=off hides the ACPI tables\n"
"  -smp N            [Q] N CPUs, 1 to 8 ([cpus=]N[,sockets=S,cores=C,...]),\n"
"                         run in turn on one thread (interp and bt engines;\n"
"                         pentium or p6 CPU); the APs wait for INIT/STARTUP\n"
"  -device isa-debug-exit,iobase=0xf4,iosize=0x04  [Q] accepted: it is\n"
"                         x86lab's exit port, always there (writing v ends\n"
"                         the run with exit status v*2+1, as in QEMU); no\n"
"                         other -device exists\n"
"  -no-shutdown      [Q] accepted, but a guest's ACPI power-off still ends\n"
"                         the run (QEMU would pause there); the exit port\n"
"                         ends it as in QEMU\n"
"  -no-acpi          [Q] as -machine acpi=off: no ACPI tables (the RSDP is\n"
"                         wiped), an OS reads the MP table\n"
"\n"
"Disks:\n"
"  -fda FILE[,OPTION...]  [Q] floppy drive A: a raw 360 KB, 720 KB, 1.2 MB,\n"
"                         1.44 MB or 2.88 MB image (the size tells which);\n"
"                         the guest's writes stay in memory, the file is\n"
"                         not changed.  Options: readonly=on (the disk is\n"
"                         write-protected), cache=writeback|writethrough\n"
"                         (writes go into FILE), overlay=F, snapshot=on;\n"
"                         --write-disk and -snapshot apply to it too\n"
"  -fdb FILE[,OPTION...]  [Q] floppy drive B (default: A empty, no B)\n"
"  -hda/-hdb/-hdc/-hdd FILE  [Q] IDE hard disk (primary master/slave,\n"
"                         secondary master/slave): a raw image, a multiple\n"
"                         of 512 bytes\n"
"  -cdrom FILE       [Q] IDE CD-ROM (secondary master): an image of 2048-byte\n"
"                         sectors (ISO)\n"
"  -drive KEY=VALUE,...   [Q] file=F, index=0-3, media=disk|cdrom, format=raw,\n"
"                         if=ide|floppy (floppy: index=0|1 is A|B, with the\n"
"                         -fda options), cache=writeback|writethrough (writes\n"
"                         go into F; writethrough also syncs each one),\n"
"                         snapshot=on, overlay=OV (writes kept in file OV,\n"
"                         created if missing, re-read next time; F is not\n"
"                         changed), size=N[K|M|G|T] (no file: a blank disk in\n"
"                         memory); \",,\" in a value is a comma\n"
"                         By default a disk's writes stay in memory and are\n"
"                         lost at exit: the image is never changed.\n"
"  --write-disk           disks (hard, floppy) without overlay= write into\n"
"                         their images: every completed write is in the file\n"
"                         at exit, also after SIGINT/SIGTERM\n"
"  -snapshot         [Q] all writes stay in memory, whatever else says so\n"
"  --disk-latency=US      IDE commands complete US microseconds later on the\n"
"                         virtual clock (default 0: at once)\n"
"\n"
"Boot:\n"
"  -bios FILE        [Q] the BIOS image (default: bios/bios.bin beside the\n"
"                         x86lab binary); mapped at 0xF0000 (a 128 KiB one at\n"
"                         0xE0000) and below 4 GiB\n"
"  -boot ORDER       [Q] boot devices in order, up to three of a (floppy A),\n"
"                         c (first hard disk), d (CD-ROM); default acd; also\n"
"                         order=ORDER, once=ORDER, menu=on|off (ignored)\n"
"  -kernel FILE      [Q] boot a kernel directly, without a boot loader: a\n"
"                         Multiboot v1 kernel (ELF, or flat with the a.out\n"
"                         kludge) or a Linux bzImage (boot protocol 2.02+);\n"
"                         the BIOS is mapped but POST does not run, and a\n"
"                         reset ends the run\n"
"  -initrd FILE[,FILE...] [Q] Linux: the initial ramdisk; Multiboot: the\n"
"                         modules, each \"FILE ARGS\" (ARGS its command line)\n"
"  -append TEXT      [Q] the kernel command line (Multiboot: after the\n"
"                         kernel's file name, as QEMU passes it)\n"
"  --load FILE@ADDR[,skip=N]  copy FILE (from byte N) to physical ADDR\n"
"  --entry SEG:OFF        start in real mode at SEG:OFF\n"
"  --entry32 ADDR         start in flat 32-bit protected mode at ADDR\n"
"                         (without -kernel, --entry or --entry32, the machine\n"
"                         boots its BIOS from the reset vector F000:FFF0)\n"
"  -no-reboot        [Q] a triple fault or reset request ends the run\n"
"                         (otherwise the BIOS starts again; always so with\n"
"                         -kernel, --entry and --entry32)\n"
"  --serial-real-timing   the UARTs transmit at the baud rate the guest set\n"
"                         (default: a character goes out in 1 us whatever the\n"
"                         rate, as in QEMU, so a 9600-baud console costs\n"
"                         nothing; receiving is always paced at the rate)\n"
"  --no-hypercalls        no paravirtual port 0x520: the BIOS's INT 13h then\n"
"                         drives the disk controllers itself (the guest sees\n"
"                         the same bytes; docs/hypercall.md)\n"
"\n"
"Display and serial ports:\n"
"  -nographic        [Q] no window: on a terminal, COM1 (as QEMU shows it)\n"
"                         and the VGA text screen behind Ctrl-A v (Ctrl-A h:\n"
"                         help, Ctrl-A x: quit); otherwise COM1 streamed on\n"
"                         stdin/stdout\n"
"  -display none|curses|sdl  [Q] none: as -nographic; curses: the same\n"
"                         terminal console showing the VGA text screen first;\n"
"                         sdl: the SDL window, the default when there is a\n"
"                         display (DISPLAY or WAYLAND_DISPLAY); Ctrl-Alt-H in\n"
"                         it shows the menu\n"
"  -full-screen      [Q] the window starts full screen (Ctrl-Alt-F toggles)\n"
"  --display-scale=N      window scale 1-8 (default: the largest that fits)\n"
"  --smooth               filtered scaling to any size (default: whole steps)\n"
"  --overlay              show the statistics overlay from the start (Ctrl-Alt-O)\n"
"  --overlay-dump FILE    keep FILE rewritten with the overlay's text (tests)\n"
"  --screenshot-dir DIR   where Ctrl-Alt-S writes x86lab-NNNN.png (default: .)\n"
"  -serial BACKEND   [Q] what COM1 (given again: COM2) is plugged into:\n"
"                         stdio, mon:stdio, file:F (output only), pty (its\n"
"                         name is printed), none.  Default: COM1 on stdio\n"
"                         with -nographic or -display none, else nothing\n"
"                         (the 16550A UARTs are there either way)\n"
"  -debugcon stdio|file:F|none  [Q] port 0xE9 output (default stdio)\n"
"  -monitor stdio|vc|none [Q] accepted: x86lab's monitor is always on the\n"
"                         terminal console (Ctrl-A c) and in the window's menu\n"
"\n"
"Debugging:\n"
"  --debug                stop before the first instruction in the monitor\n"
"                         (help lists its commands; SIGINT and the console's\n"
"                         Ctrl-A c enter it later too)\n"
"  --debug-script FILE    run monitor commands from FILE, echoing each with\n"
"                         its output (implies --debug; its end quits)\n"
"  --symbols FILE         ELF symbols for the monitor (a -kernel's are loaded\n"
"                         by themselves); may be given up to 8 times\n"
"  --trace=LIST           comma-separated events to print on stderr:\n"
"                         post (POST codes written to port 0x80)\n"
"  --dump-vga-text FILE   write the VGA text screen to FILE at exit, one line\n"
"                         per row (for tests of what a guest drew)\n"
"  -d ITEM,...       [Q] log items: in_asm, exec, int, cpu, pcall, cpu_reset,\n"
"                         guest_errors (-d help says what each logs)\n"
"  -D FILE           [Q] write the -d log to FILE (default: stderr)\n"
"  --trace-limit N        end the -d log after N lines (default 1000000,\n"
"                         0: no limit), so a runaway guest cannot fill a disk\n"
"  -s                [Q] gdb stub on TCP port 1234 (as -gdb tcp::1234)\n"
"  -gdb tcp:[HOST]:PORT  [Q] gdb stub on PORT (in gdb: target remote :PORT;\n"
"                         PORT 0: a free port, printed on stderr)\n"
"  -S                [Q] with -s/-gdb: wait for gdb, stopped before the first\n"
"                         instruction\n"
"  --max-insns N          stop after N guest instructions (exit status 4)\n"
"  --watchdog=SECONDS     stop a guest still running after SECONDS of host\n"
"                         time, wherever it is (exit status 6)\n"
"  --deterministic        virtual time follows retired instructions, so\n"
"                         every run is identical\n"
"\n"
"Engines:\n"
"  --engine=NAME          the execution engine: interp (interpreter), bt\n"
"                         (binary translator), kvm (hardware-assisted),\n"
"                         trap-and-emulate (a naive ring-3 monitor, for the\n"
"                         Popek-Goldberg lab: tae/README.md)\n"
"  --engines              list the engines and whether this host can run them\n"
"  --switch-engine-after=N[ms]  switch engines every N instructions (or N ms\n"
"                         of virtual time) while the guest runs, cycling\n"
"                         through --switch-engines (default: the starting\n"
"                         engine and the interpreter, or bt when starting in\n"
"                         the interpreter)\n"
"  --switch-engines=A,B,...  the engines to cycle through\n"
"  --kvm-irqchip          with --engine=kvm: KVM's in-kernel PIC, I/O APIC and\n"
"                         PIT instead of x86lab's (fewer exits; to compare)\n"
"  --bt-threshold=N       with bt: executions of a block before it is\n"
"                         translated (default 8; 0 translates at once)\n"
"  --bt-cache-size=MB     with bt: the translation cache (default 64 MiB;\n"
"                         flushed whole when full)\n"
"\n"
"Statistics:\n"
"  --stats                print instruction and exception counts at exit\n"
"  --stats-json FILE      write the run's figures (engines, traps, exits, the\n"
"                         guest's regions: docs/regions.md) to FILE as JSON\n"
"  x86lab compare [OPTIONS] -- GUEST-OPTIONS  run a guest under every engine\n"
"                         and compare them (x86lab compare --help)\n"
"\n"
"  -h, --help             this text\n"
"\n"
"Exit status: the exit port's value*2+1; 0 when the guest halts with\n"
"interrupts off or asks for a reset; 3 on a triple fault; 4 at the\n"
"instruction limit; 5 when it waits for an interrupt that cannot come;\n"
"6 when --watchdog stopped it;\n"
"2 for a bad option or file; 128+N when signal N (SIGINT, SIGTERM,\n"
"SIGHUP) stopped it (the disks are flushed and closed first).\n", f);
}

static int fail(const char *fmt, const char *arg)
{
    fprintf(stderr, "x86lab: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return 2;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || *s == '-')
        return -1;
    *out = v;
    return 0;
}

static int parse_model(const char *s, enum cpu_model *m)
{
    static const struct { const char *name; enum cpu_model model; } models[] = {
        { "286", CPU_286 }, { "386", CPU_386 }, { "486", CPU_486 },
        { "pentium", CPU_PENTIUM }, { "586", CPU_PENTIUM },
        { "p6", CPU_P6 }, { "686", CPU_P6 },
    };
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++)
        if (!strcmp(s, models[k].name)) {
            *m = models[k].model;
            return 0;
        }
    return -1;
}

static int parse_load(char *arg, struct load *l)
{
    char *at = strrchr(arg, '@');
    if (!at)
        return -1;
    *at = 0;
    char *opt = strchr(at + 1, ',');
    if (opt)
        *opt++ = 0;
    uint64_t addr;
    if (parse_u64(at + 1, &addr) || addr > 0xFFFFFFFFu)
        return -1;
    l->path = arg;
    l->addr = (uint32_t)addr;
    l->skip = 0;
    if (opt) {
        if (strncmp(opt, "skip=", 5) || parse_u64(opt + 5, &l->skip))
            return -1;
    }
    return 0;
}

static int parse_entry(const char *s, struct options *o)
{
    uint64_t cs, ip;
    char buf[64];
    const char *colon = strchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof buf)
        return -1;
    memcpy(buf, s, (size_t)(colon - s));
    buf[colon - s] = 0;
    if (parse_u64(buf, &cs) || parse_u64(colon + 1, &ip) || cs > 0xFFFF || ip > 0xFFFF)
        return -1;
    o->entry_mode = 1;
    o->entry_cs = (uint16_t)cs;
    o->entry_ip = (uint32_t)ip;
    return 0;
}

/* --trace=LIST: names separated by commas; an unknown one is an error. */
static int parse_trace(const char *list, unsigned *bits)
{
    static const struct { const char *name; unsigned bit; } traces[] = {
        { "post", TRACE_POST },
    };
    const char *p = list;
    for (;;) {
        size_t len = strcspn(p, ",");
        size_t k = 0;
        while (k < sizeof traces / sizeof traces[0] &&
               (strlen(traces[k].name) != len || strncmp(p, traces[k].name, len)))
            k++;
        if (k == sizeof traces / sizeof traces[0]) {
            fprintf(stderr, "x86lab: --trace: unknown trace '%.*s' (known: post)\n", (int)len, p);
            return -1;
        }
        *bits |= traces[k].bit;
        if (!p[len])
            return 0;
        p += len + 1;
    }
}

/* One option of -fda/-fdb: readonly=on|off (write-protect), and as for
 * hard disks cache=writeback|writethrough (writes go into the file),
 * snapshot=on, overlay=F. */
static int floppy_option(const char *o, struct disk_spec *spec, bool *readonly)
{
    if (!strcmp(o, "readonly=on") || !strcmp(o, "readonly=off"))
        *readonly = !strcmp(o, "readonly=on");
    else if (!strcmp(o, "cache=writeback"))
        spec->write_image = true;
    else if (!strcmp(o, "cache=writethrough"))
        spec->write_image = spec->sync_writes = true;
    else if (!strcmp(o, "snapshot=on"))
        spec->snapshot = true;
    else if (!strncmp(o, "overlay=", 8) && o[8])
        spec->overlay = o + 8;
    else
        return -1;
    return 0;
}

/* -fda/-fdb FILE[,OPTION...]; val is modified (split at the commas). */
static int parse_floppy(struct options *o, int drive, const char *opt, char *val)
{
    struct disk_spec spec = { .media = DISK_MEDIA_HD };
    bool readonly = false;
    char *next = strchr(val, ',');
    if (next)
        *next++ = 0;
    spec.path = val;
    while (next) {
        char *item = next;
        next = strchr(item, ',');
        if (next)
            *next++ = 0;
        if (floppy_option(item, &spec, &readonly) < 0) {
            fprintf(stderr, "x86lab: %s: unknown option '%s' (readonly=on|off, "
                    "cache=writeback|writethrough, snapshot=on, overlay=F)\n", opt, item);
            return 2;
        }
    }
    if (!*val)
        return fail("%s: expected FILE[,OPTION...]", opt);
    o->floppy_spec[drive] = spec;
    o->floppy_readonly[drive] = readonly;
    return -1;
}

/* Opens the floppy images (after -snapshot and --write-disk, which apply
 * to them as to hard disks), before the machine is built: the board gives
 * their drive types to the CMOS.  Returns -1, or 2 after a one-line
 * message. */
static int open_floppies(struct options *o)
{
    static const char *const opt[2] = { "-fda", "-fdb" };
    for (int k = 0; k < 2; k++) {
        struct disk_spec *spec = &o->floppy_spec[k];
        char err[600];
        if (!spec->path)
            continue;
        if (o->write_disk && !spec->overlay)
            spec->write_image = true;
        spec->snapshot |= o->snapshot;
        if (fd_image_open(&o->floppy[k], spec, o->floppy_readonly[k], err, sizeof err) < 0) {
            fprintf(stderr, "x86lab: %s %s\n", opt[k], err);
            return 2;
        }
        o->cfg.floppy[k] = &o->floppy[k];
    }
    return -1;
}

/* Puts a drive at IDE index (-1: the first free one). */
static int add_drive(struct options *o, int index, const struct disk_spec *spec, const char *opt)
{
    bool any = index < 0;
    if (any)
        for (index = 0; index < ATA_UNITS && o->drive_used[index]; index++)
            continue;
    if (index >= ATA_UNITS) {
        fprintf(stderr, any ? "x86lab: %s: all 4 IDE drives are already in use\n"
                            : "x86lab: %s: index=%d: there are 4 IDE drives (0-3)\n", opt, index);
        return -1;
    }
    if (o->drive_used[index]) {
        fprintf(stderr, "x86lab: %s: IDE drive index %d is already given\n", opt, index);
        return -1;
    }
    o->drives[index] = *spec;
    o->drive_used[index] = true;
    o->drive_opt[index] = opt;
    return 0;
}

/* Opens the IDE drives' images (after -snapshot and --write-disk, which
 * apply to every drive, are known), before the machine is built: the
 * board attaches them.  Returns -1, or 2 after a one-line message. */
static int open_drives(struct options *o)
{
    for (int k = 0; k < ATA_UNITS; k++) {
        struct disk_spec *spec = &o->drives[k];
        char err[600];
        if (!o->drive_used[k])
            continue;
        if (o->write_disk && spec->media == DISK_MEDIA_HD && !spec->overlay)
            spec->write_image = true;
        spec->snapshot |= o->snapshot;
        if (disk_open(&o->ide_disk[k], spec, err, sizeof err) < 0) {
            fprintf(stderr, "x86lab: %s %s\n", o->drive_opt[k], err);
            return 2;
        }
        o->cfg.ide[k] = &o->ide_disk[k];
    }
    o->cfg.ide_latency_ns = o->disk_latency_ns;
    return -1;
}

/* SIGINT, SIGTERM, SIGHUP stop the machine at the next instruction
 * boundary, so that it is torn down normally (disk images flushed and
 * closed).  A handler takes no argument: the machine it stops is the one
 * piece of process-wide state here.  A second signal kills (SA_RESETHAND). */
static struct machine *signal_machine;

static void on_stop_signal(int sig)
{
    signal_machine->quit_signal = sig;
    signal_machine->cpu.stop_request = 1;
}

static void install_stop_signals(struct machine *m)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = SA_RESETHAND;
    signal_machine = m;
    for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
        sigaction(sigs[k], &sa, NULL);
}

/* --watchdog: SIGALRM after the given host seconds stops the machine at
 * the next boundary, as a stop signal does (on_stop_signal); main reports
 * it apart.  No SA_RESETHAND: the guest may keep the CPU busy. */
static void install_watchdog(struct machine *m, uint64_t seconds)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = SA_RESTART;
    signal_machine = m;
    sigaction(SIGALRM, &sa, NULL);
    alarm((unsigned)seconds);
}

/* --engines: one line per engine, saying whether this host can run it. */
static const char *engine_name(enum engine_kind k)
{
    const struct engine_ops *ops = engine_ops(k);
    return ops ? ops->name : "?";
}

static int list_engines(void)
{
    for (int k = 0; k < ENGINE_COUNT; k++) {
        const struct engine_ops *ops = engine_ops((enum engine_kind)k);
        char why[200] = "";
        if (!ops)
            printf("%-7s not built into this x86lab\n", k == ENGINE_BT ? "bt" : "kvm");
        else if (ops->available && !ops->available(why, sizeof why))
            printf("%-7s %s: unavailable: %s\n", ops->name, ops->title, why);
        else if (why[0])
            printf("%-7s %s: available (%s)\n", ops->name, ops->title, why);
        else
            printf("%-7s %s: available\n", ops->name, ops->title);
    }
    return 0;
}

static int parse_switch_after(const char *val, struct machine_config *cfg)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(val, &end, 0);
    if (errno || end == val || n == 0 || val[0] == '-')
        return -1;
    cfg->switch_in_ns = !strcmp(end, "ms");
    if (*end && !cfg->switch_in_ns)
        return -1;
    if (cfg->switch_in_ns && n > UINT64_MAX / 1000000u)
        return -1;
    cfg->switch_every = cfg->switch_in_ns ? n * 1000000u : n;
    return 0;
}

static int parse_engine_list(char *val, struct machine_config *cfg)
{
    cfg->nswitch_seq = 0;
    for (char *t = strtok(val, ","); t; t = strtok(NULL, ",")) {
        int k = engine_by_name(t);
        if (k < 0 || cfg->nswitch_seq >= 8)
            return -1;
        cfg->switch_seq[cfg->nswitch_seq++] = (enum engine_kind)k;
    }
    return cfg->nswitch_seq ? 0 : -1;
}

/* Without --switch-engines: back and forth between the starting engine and
 * the interpreter (or the translator when starting in the interpreter). */
static void default_switch_seq(struct machine_config *cfg)
{
    if (!cfg->switch_every || cfg->nswitch_seq)
        return;
    cfg->switch_seq[0] = cfg->engine;
    cfg->switch_seq[1] = cfg->engine == ENGINE_INTERP ? ENGINE_BT : ENGINE_INTERP;
    cfg->nswitch_seq = 2;
}

/* ---- QEMU-compatible option forms (the parsers are in qemu_opts.c) ---- */

/* -drive ...,if=floppy,...: a floppy drive (index 0 = A, 1 = B), with
 * the -fda options.  0, or -1 after a one-line message. */
static int parse_floppy_drive(struct options *o, char *val)
{
    struct disk_spec spec = { .media = DISK_MEDIA_HD };
    bool readonly = false;
    int index = -1;
    for (char *p = val, *item; (item = qopt_next_item(&p));) {
        if (!strcmp(item, "if=floppy") || !strcmp(item, "format=raw") ||
            !strcmp(item, "media=disk"))
            continue;
        if (!strncmp(item, "file=", 5) && item[5])
            spec.path = item + 5;
        else if (!strcmp(item, "index=0") || !strcmp(item, "index=1"))
            index = item[6] - '0';
        else if (floppy_option(item, &spec, &readonly) < 0)
            return fail("-drive if=floppy: unsupported key '%s' (file, index=0|1, format=raw, "
                        "readonly, cache, snapshot, overlay)", item), -1;
    }
    if (!spec.path)
        return fail("-drive if=floppy: needs file=F%s", ""), -1;
    if (index < 0)
        index = o->floppy_spec[0].path ? 1 : 0;
    if (o->floppy_spec[index].path)
        return fail("-drive if=floppy: floppy drive %s is already given", index ? "B" : "A"), -1;
    o->floppy_spec[index] = spec;
    o->floppy_readonly[index] = readonly;
    return 0;
}

/* -kernel: the direct boot replaces the flat-binary loading, and -initrd
 * and -append need it (as in QEMU). */
static int check_kernel_options(const struct options *o)
{
    if (!o->kernel.path && o->kernel.initrd)
        return fail("-initrd %s: only with -kernel", o->kernel.initrd);
    if (!o->kernel.path && o->kernel.cmdline)
        return fail("-append '%s': only with -kernel", o->kernel.cmdline);
    if (o->kernel.path && (o->entry_mode || o->nloads))
        return fail("-kernel %s: not with --load, --entry or --entry32", o->kernel.path);
    return -1;
}

static int takes_value(const char *a)
{
    static const char *const with_value[] = {
        "-m", "--cpu", "-cpu", "--engine", "--switch-engine-after",
        "--switch-engines", "--load", "--entry", "--entry32",
        "--bt-threshold", "--bt-cache-size",
        "--max-insns", "--stats-json", "-debugcon", "--debugcon", "--trace", "-fda", "-fdb",
        "-serial", "-display", "--display-scale", "--overlay-dump", "--screenshot-dir",
        "-hda", "-hdb", "-hdc", "-hdd", "-cdrom", "-drive", "--disk-latency",
        "-bios", "-boot", "--dump-vga-text", "-d", "-D", "--trace-limit", "-gdb", "--watchdog",
        "-kernel", "-initrd", "-append", "-monitor", "--debug-script", "--symbols", "-smp", "-machine", "-M", "-device",
    };
    for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
        if (!strcmp(a, with_value[k]))
            return 1;
    return 0;
}

/* The window's own options (frontend-sdl/sdl.h). */
static bool is_sdl_option(const char *a)
{
    static const char *const opts[] = {
        "-full-screen", "--display-scale", "--smooth", "--overlay", "--overlay-dump",
        "--screenshot-dir",
    };
    for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
        if (!strcmp(a, opts[k]))
            return true;
    return false;
}

/* Returns -1 to continue, or an exit status. */
static int parse_sdl_option(struct options *o, const char *a, const char *val)
{
    uint64_t n;
    if (!strcmp(a, "-full-screen"))
        o->sdl.fullscreen = true;
    else if (!strcmp(a, "--smooth"))
        o->sdl.smooth = true;
    else if (!strcmp(a, "--overlay"))
        o->sdl.overlay = true;
    else if (!strcmp(a, "--overlay-dump"))
        o->sdl.overlay_dump = val;
    else if (!strcmp(a, "--screenshot-dir"))
        o->sdl.screenshot_dir = val;
    else if (parse_u64(val, &n) || n < 1 || n > 8)
        return fail("--display-scale: expected 1 to 8, not '%s'", val);
    else
        o->sdl.scale = (int)n;
    return -1;
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
    for (int k = 1; k < argc; k++) {
        char *a = argv[k];
        const char *val = NULL;
        char *eq = (a[0] == '-' && a[1] == '-') ? strchr(a, '=') : NULL;
        if (eq) {
            *eq = 0;
            val = eq + 1;
        }
        if (takes_value(a) && !val) {
            if (k + 1 >= argc)
                return fail("option %s needs a value", a);
            val = argv[++k];
        }
        if (!val)               /* a flag: never NULL to a parser by mistake */
            val = "";
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "-m")) {
            uint64_t mb;
            if (qopt_ram_mb(val, &mb) || mb < 1 || mb > 3072)
                return fail("-m: RAM must be 1 to 3072 MiB, not '%s'", val);
            o->cfg.ram_mb = (uint32_t)mb;
        } else if (!strcmp(a, "--cpu") || !strcmp(a, "-cpu")) {
            if (strchr(val, ','))
                return fail("-cpu %s: CPU feature flags are not supported", val);
            if (parse_model(val, &o->cfg.model) && qopt_cpu_model(val, &o->cfg.model))
                return fail("--cpu: unknown CPU model '%s' (286, 386, 486, pentium, p6; "
                            "QEMU's 486, pentium, pentium2, pentium3, qemu32, host, max)", val);
        } else if (!strcmp(a, "--load")) {
            if (o->nloads >= MAX_LOADS)
                return fail("%s: too many files", a);
            if (parse_load((char *)val, &o->loads[o->nloads++]))
                return fail("--load: expected FILE@ADDR[,skip=N], not '%s'", val);
        } else if (!strcmp(a, "--entry")) {
            if (parse_entry(val, o))
                return fail("--entry: expected SEG:OFF (16-bit values), not '%s'", val);
        } else if (!strcmp(a, "--entry32")) {
            uint64_t ip;
            if (parse_u64(val, &ip) || ip > 0xFFFFFFFFu)
                return fail("--entry32: expected an address, not '%s'", val);
            o->entry_mode = 2;
            o->entry_ip = (uint32_t)ip;
        } else if (!strcmp(a, "--max-insns")) {
            if (parse_u64(val, &o->max_insns))
                return fail("--max-insns: expected a count, not '%s'", val);
        } else if (!strcmp(a, "--engine")) {
            int k = engine_by_name(val);
            if (k < 0)
                return fail("--engine: unknown engine '%s' (interp, bt, kvm, trap-and-emulate)", val);
            o->cfg.engine = (enum engine_kind)k;
        } else if (!strcmp(a, "--engines")) {
            return list_engines();
        } else if (!strcmp(a, "--switch-engine-after")) {
            if (parse_switch_after(val, &o->cfg))
                return fail("--switch-engine-after: expected N or Nms (N > 0), not '%s'", val);
        } else if (!strcmp(a, "--switch-engines")) {
            if (parse_engine_list((char *)val, &o->cfg))
                return fail("--switch-engines: expected engine names separated by "
                            "commas (interp, bt, kvm), not '%s'", val);
        } else if (!strcmp(a, "--stats-json")) {
            o->stats_json = val;
        } else if (!strcmp(a, "--stats")) {
            o->stats = 1;
        } else if (!strcmp(a, "--kvm-irqchip")) {
            o->cfg.kvm_irqchip = true;
        } else if (!strcmp(a, "--bt-threshold")) {
            uint64_t n;
            if (parse_u64(val, &n) || n > 1000000000)
                return fail("--bt-threshold: expected a count (0-1000000000), not '%s'", val);
            o->cfg.bt_threshold = (uint32_t)n;
            o->cfg.bt_threshold_set = true;
        } else if (!strcmp(a, "--bt-cache-size")) {
            uint64_t mb;
            if (parse_u64(val, &mb) || mb < 1 || mb > 2048)
                return fail("--bt-cache-size: expected MiB (1-2048), not '%s'", val);
            o->cfg.bt_cache_mb = (uint32_t)mb;
        } else if (!strcmp(a, "-bios")) {
            o->bios = val;
        } else if (!strcmp(a, "-boot")) {
            if (qopt_boot((char *)val, o->boot) < 0)
                return fail("-boot: expected up to three of a, c, d (e.g. c or dca), not '%s'", val);
        } else if (!strcmp(a, "-hda") || !strcmp(a, "-hdb") || !strcmp(a, "-hdc") ||
                   !strcmp(a, "-hdd") || !strcmp(a, "-cdrom")) {
            bool cd = !strcmp(a, "-cdrom");
            struct disk_spec spec = { .path = val, .media = cd ? DISK_MEDIA_CDROM : DISK_MEDIA_HD };
            if (add_drive(o, cd ? 2 : a[3] - 'a', &spec, a) < 0)
                return 2;
        } else if (!strcmp(a, "-drive") && qopt_is_floppy_drive(val)) {
            if (parse_floppy_drive(o, (char *)val) < 0)
                return 2;
        } else if (!strcmp(a, "-drive")) {
            struct disk_spec spec;
            int index;
            char err[300];
            if (disk_parse_drive((char *)val, &spec, &index, err, sizeof err) < 0)
                return fprintf(stderr, "x86lab: %s\n", err), 2;
            if (add_drive(o, index, &spec, a) < 0)
                return 2;
        } else if (!strcmp(a, "--write-disk")) {
            o->write_disk = true;
        } else if (!strcmp(a, "-snapshot") || !strcmp(a, "--snapshot")) {
            o->snapshot = true;
        } else if (!strcmp(a, "--disk-latency")) {
            uint64_t us;
            if (parse_u64(val, &us) || us > 1000000)
                return fail("--disk-latency: expected microseconds (0-1000000), not '%s'", val);
            o->disk_latency_ns = us * 1000;
        } else if (!strcmp(a, "-serial")) {
            if (o->nserial == 2)
                return fail("-serial: x86lab has two serial ports (COM1, COM2), not '%s'", val);
            o->serial[o->nserial++] = val;
        } else if (!strcmp(a, "-nographic")) {
            o->headless = true;
            o->display_sdl = false;
            o->display_given = true;
        } else if (!strcmp(a, "-display")) {
            if (strcmp(val, "none") && strcmp(val, "sdl") && strcmp(val, "curses"))
                return fail("-display: expected none, curses or sdl, not '%s'", val);
            o->display_sdl = !strcmp(val, "sdl");
            o->headless = !o->display_sdl;
            o->curses = !strcmp(val, "curses");
            o->display_given = true;
        } else if (is_sdl_option(a)) {
            int r = parse_sdl_option(o, a, val);
            if (r >= 0)
                return r;
        } else if (!strcmp(a, "-fda") || !strcmp(a, "-fdb")) {
            int r = parse_floppy(o, a[3] - 'a', a, (char *)val);
            if (r >= 0)
                return r;
        } else if (!strcmp(a, "--trace")) {
            if (parse_trace(val, &o->cfg.trace))
                return 2;
        } else if (!strcmp(a, "-no-reboot") || !strcmp(a, "--no-reboot")) {
            o->no_reboot = true;
        } else if (!strcmp(a, "--serial-real-timing")) {
            o->cfg.serial_real_timing = true;
        } else if (!strcmp(a, "--no-hypercalls")) {
            o->cfg.no_hypercalls = true;
        } else if (!strcmp(a, "--debug")) {
            o->dbg.start_stopped = true;
        } else if (!strcmp(a, "--debug-script")) {
            o->dbg.script = val;
            o->dbg.start_stopped = true;
        } else if (!strcmp(a, "--symbols")) {
            if (o->dbg.nsymbols == DBG_MAX_SYMFILES)
                return fail("--symbols %s: at most 8 symbol files", val);
            o->dbg.symbols[o->dbg.nsymbols++] = val;
        } else if (!strcmp(a, "--deterministic")) {
            o->cfg.deterministic = true;
        } else if (!strcmp(a, "--dump-vga-text")) {
            o->dump_vga_text = val;
        } else if (!strcmp(a, "-d")) {
            char err[200];
            if (!strcmp(val, "help")) {
                trace_help(stdout);
                return 0;
            }
            if (trace_parse(val, &o->log_items, err, sizeof err) < 0)
                return fail("%s", err);
        } else if (!strcmp(a, "-D")) {
            o->log_file = val;
        } else if (!strcmp(a, "--trace-limit")) {
            if (parse_u64(val, &o->trace_limit))
                return fail("--trace-limit: expected a number of lines, not '%s'", val);
            o->trace_limit_set = true;
        } else if (!strcmp(a, "--watchdog")) {
            if (parse_u64(val, &o->watchdog) || o->watchdog == 0 || o->watchdog > 86400 * 365)
                return fail("--watchdog: expected seconds (1 or more), not '%s'", val);
        } else if (!strcmp(a, "-s")) {
            o->gdb_spec = "tcp::1234";
        } else if (!strcmp(a, "-gdb")) {
            o->gdb_spec = val;
        } else if (!strcmp(a, "-S")) {
            o->gdb_wait = true;
        } else if (!strcmp(a, "-debugcon") || !strcmp(a, "--debugcon")) {
            o->debugcon = val;
        } else if (!strcmp(a, "-kernel")) {
            o->kernel.path = val;
        } else if (!strcmp(a, "-initrd")) {
            o->kernel.initrd = val;
        } else if (!strcmp(a, "-append")) {
            o->kernel.cmdline = val;
        } else if (!strcmp(a, "-monitor")) {
            /* x86lab's monitor is always on the terminal console (Ctrl-A c)
             * and in the window's menu; a course Makefile's "-monitor stdio"
             * asks for just that. */
            if (strcmp(val, "stdio") && strcmp(val, "none") && strcmp(val, "vc"))
                return fail("-monitor %s: x86lab's monitor is on the console (Ctrl-A c): "
                            "only stdio, vc or none", val);
        } else if (!strcmp(a, "-no-acpi")) {
            o->no_acpi = true;           /* QEMU's older spelling of -machine acpi=off */
        } else if (!strcmp(a, "-no-shutdown")) {
            o->no_shutdown = true;
        } else if (!strcmp(a, "-smp")) {
            char err[300];
            if (qopt_smp((char *)val, &o->cfg.smp_cpus, err, sizeof err) < 0)
                return fprintf(stderr, "x86lab: %s\n", err), 2;
        } else if (!strcmp(a, "-machine") || !strcmp(a, "-M")) {
            char err[300];
            bool acpi = !o->no_acpi;
            int r = qopt_machine((char *)val, &o->cfg.engine, &acpi, err, sizeof err);
            o->no_acpi = !acpi;
            if (r < 0)
                return fprintf(stderr, "x86lab: %s\n", err), 2;
            if (r > 0)
                return 0;                /* -machine help */
        } else if (!strcmp(a, "-device")) {
            char err[300];
            if (qopt_device((char *)val, err, sizeof err) < 0)
                return fprintf(stderr, "x86lab: %s\n", err), 2;
        } else {
            return fail("unknown option '%s' (see --help)", a);
        }
    }
    return -1;
}

/* -d/-D (the traces) and -s/-gdb/-S (the gdb stub), once the machine is
 * loaded; a -kernel's symbols name the addresses they show.  -1 after a
 * one-line message. */
static int start_debug_options(struct machine *m, const struct options *o)
{
    char err[300] = "";
    if (o->gdb_wait && !o->gdb_spec) {
        fprintf(stderr, "x86lab: -S waits for gdb: give -s or -gdb tcp::PORT too\n");
        return -1;
    }
    if (!o->log_items && o->log_file) {
        fprintf(stderr, "x86lab: -D %s: nothing to log (give -d ITEMS)\n", o->log_file);
        return -1;
    }
    if (o->log_items &&
        trace_open(m, o->log_items, o->log_file,
                   o->trace_limit_set ? o->trace_limit : TRACE_DEFAULT_LIMIT, err, sizeof err) < 0) {
        fprintf(stderr, "x86lab: %s\n", err);
        return -1;
    }
    if (o->gdb_spec && gdbstub_start(m, o->gdb_spec, o->gdb_wait, err, sizeof err) < 0) {
        fprintf(stderr, "x86lab: %s\n", err);
        return -1;
    }
    if (m->dbg && !m->dbg->syms && m->kernel_path)
        symbols_load(m->dbg, m->kernel_path, err, sizeof err);   /* none: plain addresses */
    return 0;
}

/* The BIOS image into ROM and the -boot order into the CMOS; -1 after a
 * one-line message. */
static int load_firmware(struct machine *m, const struct options *o)
{
    char path[4200], err[4400];
    if (o->bios)
        snprintf(path, sizeof path, "%s", o->bios);
    else if (firmware_find(path, sizeof path) < 0) {
        fprintf(stderr, "x86lab: no BIOS image at %s: build it (make), give -bios FILE, "
                "or start a flat binary with --entry\n", path);
        return -1;
    }
    if (firmware_load(m, path, err, sizeof err) < 0) {
        fprintf(stderr, "x86lab: %s%s\n", o->bios ? "-bios " : "BIOS image ", err);
        return -1;
    }
    /* -smp N: the MP table and ACPI tables list the N CPUs (smp.h). */
    if (m->cfg.smp_cpus > 1 && smp_publish_tables(m, err, sizeof err) < 0) {
        fprintf(stderr, "x86lab: -smp %u: %s\n", m->cfg.smp_cpus, err);
        return -1;
    }
    /* acpi=off: the BIOS's ACPI tables hidden, after -smp grew
     * them (the MP table stays). */
    if (o->no_acpi && smp_hide_acpi(m, err, sizeof err) < 0) {
        fprintf(stderr, "x86lab: acpi=off: %s\n", err);
        return -1;
    }
    if (o->boot[0])
        firmware_set_boot_order(m, o->boot);
    return 0;
}

/* --dump-vga-text FILE: the VGA text screen as it is at exit, one line
 * per row with trailing blanks dropped (NUL cells are blanks, other
 * control and non-ASCII characters '.'), so a test can check what a guest
 * wrote to 0xB8000.  Returns 0, or -1 after a one-line message. */
static int dump_vga_text(const struct machine *m, const char *path)
{
    int cols, rows;
    FILE *f = fopen(path, "w");
    if (!f)
        return fprintf(stderr, "x86lab: --dump-vga-text %s: %s\n", path, strerror(errno)), -1;
    if (!vga_text_mode(&m->vga, &cols, &rows)) {
        fprintf(stderr, "x86lab: --dump-vga-text: the VGA is not in a text mode at exit\n");
        rows = 0;
    }
    for (int r = 0; r < rows; r++) {
        char line[256];
        int len = 0;
        for (int c = 0; c < cols && c < (int)sizeof line; c++) {
            uint8_t ch = (uint8_t)vga_text_cell(&m->vga, c, r);
            line[c] = ch == 0 ? ' ' : (ch < 0x20 || ch > 0x7E) ? '.' : (char)ch;
            if (line[c] != ' ')
                len = c + 1;
        }
        fprintf(f, "%.*s\n", len, line);
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int load_file(struct machine *m, const struct load *l)
{
    FILE *f = fopen(l->path, "rb");
    if (!f)
        return fprintf(stderr, "x86lab: %s: %s\n", l->path, strerror(errno)), -1;
    if (fseek(f, 0, SEEK_END) || ftell(f) < 0) {
        fclose(f);
        return fprintf(stderr, "x86lab: %s: cannot determine its size\n", l->path), -1;
    }
    uint64_t size = (uint64_t)ftell(f);
    if (l->skip > size) {
        fclose(f);
        return fprintf(stderr, "x86lab: %s: skip=%" PRIu64 " is past its end (%" PRIu64 " bytes)\n",
                       l->path, l->skip, size), -1;
    }
    size -= l->skip;
    if (l->addr > m->bus.ram_size || size > m->bus.ram_size - l->addr) {
        fclose(f);
        return fprintf(stderr, "x86lab: %s: %" PRIu64 " bytes at 0x%x do not fit in %u MiB of RAM\n",
                       l->path, size, l->addr, m->cfg.ram_mb), -1;
    }
    fseek(f, (long)l->skip, SEEK_SET);
    size_t got = fread(m->bus.ram + l->addr, 1, (size_t)size, f);
    fclose(f);
    if (got != size)
        return fprintf(stderr, "x86lab: %s: short read\n", l->path), -1;
    return 0;
}

/* Opens the -serial backends (COM1 on stdio by default when headless);
 * returns -1 to go on, or an exit status. */
static int open_serial(struct options *o)
{
    if (!o->nserial && o->headless)
        o->serial[o->nserial++] = "mon:stdio";
    int on_stdio = 0;
    for (int k = 0; k < o->nserial; k++) {
        char err[200];
        if (chardev_open(&o->chr[k], o->serial[k], err, sizeof err) < 0) {
            fprintf(stderr, "x86lab: -serial: %s\n", err);
            return 2;
        }
        if (o->chr[k].kind == CHARDEV_STDIO && ++on_stdio > 1)
            return fail("-serial: stdio can serve one serial port only, not '%s' too", o->serial[k]);
        if (o->chr[k].kind == CHARDEV_PTY)
            fprintf(stderr, "x86lab: COM%d on %s\n", k + 1, o->chr[k].pty_name);
        o->cfg.serial[k] = &o->chr[k];
    }
    return -1;
}

/* The backend on stdio, which the terminal console takes over. */
static struct chardev *stdio_serial(struct options *o)
{
    for (int k = 0; k < o->nserial; k++)
        if (o->chr[k].kind == CHARDEV_STDIO)
            return &o->chr[k];
    return NULL;
}

/* --stats-json FILE (opened before the run, so a bad path fails at once);
 * 0, or -1 after a one-line message. */
static int write_stats_json(const struct machine *m, FILE *f, const char *path, double secs,
                            int status, enum machine_stop stop)
{
    struct stats_run run = { .wall_s = secs, .exit_status = status, .stop = machine_stop_name(stop) };
    int r = stats_write_json(m, &run, f);
    if (fclose(f) != 0 || r < 0)
        return fprintf(stderr, "x86lab: --stats-json %s: write error\n", path), -1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "compare"))
        return compare_main(argc - 1, argv + 1);     /* compare/compare.c */
    struct options o = { .cfg = { .ram_mb = 128, .model = CPU_P6 } };
    int r = parse_args(argc, argv, &o);
    /* A reset restarts the BIOS, as on a PC.  A flat binary (--entry,
     * --entry32) has no firmware to restart: a reset ends its run. */
    o.cfg.no_reboot = o.no_reboot || o.entry_mode != 0;
    /* -kernel: a reset would restart the BIOS without the kernel (POST is
     * not run on the way in): it ends the run too. */
    if (o.kernel.path)
        o.cfg.no_reboot = true;
    if (r < 0)
        r = check_kernel_options(&o);
    if (r < 0)
        r = open_serial(&o);
    if (r < 0)
        r = open_floppies(&o);
    if (r < 0)
        r = open_drives(&o);
    if (r >= 0)
        return r;

    default_switch_seq(&o.cfg);
    if (o.cfg.nswitch_seq) {
        /* The sequence starts where the run starts. */
        o.cfg.engine = o.cfg.switch_seq[0];
    }
    if (o.cfg.smp_cpus > 1 && o.cfg.model < CPU_PENTIUM)
        return fprintf(stderr, "x86lab: -smp %u: more than one CPU needs local APICs "
                       "(-cpu pentium or p6)\n", o.cfg.smp_cpus), 2;
    static struct machine m;
    if (machine_init(&m, &o.cfg) < 0) {
        if (m.error[0])
            fprintf(stderr, "x86lab: --engine=%s: %s\n",
                    o.cfg.nswitch_seq ? "(switch sequence)" : engine_name(o.cfg.engine), m.error);
        else
            fprintf(stderr, "x86lab: cannot create a machine with %u MiB: %s\n",
                    o.cfg.ram_mb, strerror(errno));
        return 2;
    }
    if (o.entry_mode == 0 && load_firmware(&m, &o) < 0)
        return 2;
    if (o.kernel.path) {
        char kerr[1600];
        if (loader_boot_kernel(&m, &o.kernel, kerr, sizeof kerr) < 0)
            return fprintf(stderr, "x86lab: %s%s\n", kerr[0] == '-' ? "" : "-kernel ", kerr), 2;
    }
    FILE *con = stdout;
    if (o.debugcon) {
        if (!strcmp(o.debugcon, "none"))
            con = NULL;
        else if (!strncmp(o.debugcon, "file:", 5)) {
            con = fopen(o.debugcon + 5, "w");
            if (!con)
                return fprintf(stderr, "x86lab: -debugcon %s: %s\n", o.debugcon + 5, strerror(errno)), 2;
        } else if (strcmp(o.debugcon, "stdio"))
            return fail("-debugcon: expected stdio, file:F or none, not '%s'", o.debugcon);
    }
    static struct console console;
    if (o.headless) {
        if (console_init(&console, &m, stdio_serial(&o)) < 0)
            return fprintf(stderr, "x86lab: cannot set the terminal up: %s\n", strerror(errno)), 2;
        /* QEMU's -nographic shows the serial port; -display curses the
         * VGA text (and so does -nographic when COM1 is not on stdio). */
        console.serial_first = !o.curses && stdio_serial(&o);
        m.wait_poll = console_wait_poll;
        m.wait_poll_opaque = &console;
        console_attach_board(&console, &m);
        if (con == stdout && console_stream(&console))
            con = console_stream(&console);
    }
    m.debugport.out = con;
    /* The window: asked for, or by default when there is a display. */
    struct sdl_frontend *sdl = NULL;
    if (o.display_sdl || (!o.display_given && (getenv("DISPLAY") || getenv("WAYLAND_DISPLAY")))) {
        char why[400];
        sdl = sdl_open(&m, &o.sdl, why, sizeof why);
        if (!sdl && o.display_sdl)
            return fprintf(stderr, "x86lab: -display sdl: %s.\n", why), 2;
        if (!sdl)
            fprintf(stderr, "x86lab: no window (%s): running without a display\n", why);
    }
    for (int k = 0; k < o.nloads; k++)
        if (load_file(&m, &o.loads[k]) < 0)
            return 2;
    if (o.entry_mode == 1)
        machine_entry_real(&m, o.entry_cs, (uint16_t)o.entry_ip);
    else if (o.entry_mode == 2)
        machine_entry_flat32(&m, o.entry_ip);

    FILE *stats_file = o.stats_json ? fopen(o.stats_json, "w") : NULL;
    if (o.stats_json && !stats_file)
        return fprintf(stderr, "x86lab: --stats-json %s: %s\n", o.stats_json, strerror(errno)), 2;
    install_stop_signals(&m);
    if (o.watchdog)
        install_watchdog(&m, o.watchdog);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (debug_setup(&m, &o.dbg) < 0 || start_debug_options(&m, &o) < 0)
        return 2;
    bool stopped = o.dbg.start_stopped || (o.gdb_wait && !m.quit_pending);
    enum machine_stop stop = sdl ? (enum machine_stop)sdl_run(sdl, o.max_insns, stopped)
                                 : (enum machine_stop)debug_run(&m, o.max_insns, stopped);
    machine_sync_cpu(&m);            /* KVM keeps the state in its vCPU */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sdl_close(sdl);                  /* the window goes before the reports */
    if (con)
        fflush(con);
    m.debugport.out = NULL;
    if (o.headless) {
        if (con && con == console_stream(&console))
            con = NULL;                  /* closed with the console */
        console_free(&console);          /* the terminal back before any report */
    }
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (o.stats) {
        stats_print(&m, stderr, secs);
        regions_print(&m.debugport.regions, stderr);    /* guest-marked regions */
    }

    int status = 0;
    switch (stop) {
    case STOP_EXIT_PORT:
        status = m.debugport.exit_status;
        break;
    case STOP_HALT:
        fprintf(stderr, "x86lab: guest halted with interrupts off at %04x:%08x\n",
                m.cpu.seg[S_CS].sel, m.cpu.eip);
        break;
    case STOP_SHUTDOWN:
        fprintf(stderr, "x86lab: guest triple-faulted at %04x:%08x (shutdown)\n",
                m.cpu.seg[S_CS].sel, m.cpu.insn_eip);
        status = 3;
        break;
    case STOP_BUDGET:
        fprintf(stderr, "x86lab: stopped after %" PRIu64 " instructions\n", o.max_insns);
        status = 4;
        break;
    case STOP_RESET:
        fprintf(stderr, "x86lab: guest requested a reset at %04x:%08x (-no-reboot)\n",
                m.cpu.seg[S_CS].sel, m.cpu.eip);
        break;
    case STOP_IDLE:
        fprintf(stderr, "x86lab: guest halted at %04x:%08x waiting for an interrupt that "
                "no device can raise\n", m.cpu.seg[S_CS].sel, m.cpu.eip);
        status = 5;
        break;
    case STOP_QUIT:
        if (m.quit_signal == SIGALRM && o.watchdog) {
            fprintf(stderr, "x86lab: watchdog: the guest was still running after %" PRIu64
                    " s, at %04x:%08x (%" PRIu64 " instructions)\n", o.watchdog,
                    m.cpu.seg[S_CS].sel, m.cpu.eip, m.cpu.count.insns);
            status = 6;
            break;
        }
        if (m.quit_signal) {
            fprintf(stderr, "x86lab: stopped by signal %d (%s)\n",
                    (int)m.quit_signal, strsignal(m.quit_signal));
            status = 128 + m.quit_signal;
            break;
        }
        fprintf(stderr, "x86lab: quit at the user's request\n");
        break;
    case STOP_DEBUG:
        break;                           /* debug_run never returns it */
    case STOP_POWEROFF:
        break;                           /* ACPI soft-off: status 0 */
    }
    if (con && con != stdout)
        fclose(con);
    if (o.dump_vga_text && dump_vga_text(&m, o.dump_vga_text) < 0 && status == 0)
        status = 2;
    if (stats_file && write_stats_json(&m, stats_file, o.stats_json, secs, status, stop) < 0)
        status = 2;
    gdbstub_finish(&m, status);          /* gdb hears how the run ended */
    trace_close(&m);
    machine_free(&m);
    for (int k = 0; k < o.nserial; k++)
        chardev_close(&o.chr[k]);
    for (int k = 0; k < 2; k++)
        fd_image_close(&o.floppy[k]);
    for (int k = 0; k < ATA_UNITS; k++)
        disk_close(&o.ide_disk[k]);      /* flushed: every completed write is in the file */
    return status;
}
