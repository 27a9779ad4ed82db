/* shell.c -- a line-oriented shell on COM1: echo with backspace, and the
 * commands help, mem, cpuid, ticks and reboot. */
#include "shell.h"

#include "lib.h"
#include "sysinfo.h"
#include "traps.h"
#include "x86.h"

enum { LINE_MAX = 80 };

/* Reads one line (CR or LF ends it) into buf, echoing what is typed. */
static void read_line(char *buf, int size)
{
    int n = 0;
    serial_accept_input(1);
    for (;;) {
        int c = serial_getc();
        if (c == '\r' || c == '\n') {
            serial_accept_input(0);     /* hold the rest while we work */
            serial_putc('\n');
            buf[n] = 0;
            return;
        }
        if ((c == 8 || c == 127) && n > 0) {        /* Backspace or DEL */
            n--;
            kprintf("\b \b");                       /* back, blank, back */
        } else if (c >= ' ' && c < 127 && n < size - 1) {
            buf[n++] = (char)c;
            serial_putc((char)c);
        }
    }
}

static void cmd_help(void)
{
    kprintf("commands:\n"
            "  help          this list\n"
            "  mem           the memory map the Multiboot loader gave us\n"
            "  cpuid         what the processor says it is\n"
            "  ticks         timer interrupts (PIT, %u Hz) since boot\n"
            "  reboot        reset through the keyboard controller (8042)\n"
            "  reboot cf9    reset through port CF9h (PCI reset control)\n", TICK_HZ);
}

static void cmd_ticks(void)
{
    uint32_t t = ticks();
    kprintf("ticks: %u (%u.%02u s at %u Hz)\n", t, t / TICK_HZ, t % TICK_HZ, TICK_HZ);
}

/* The PC has several reset buttons for software.  The 8042 keyboard
 * controller drives the CPU's reset line on command FEh (the classic way,
 * from the AT); chipsets since the PCI era have a reset control register
 * at port CF9h: bit 1 = hard reset, bit 2 = do it now. */
static void reset_8042(void)
{
    kprintf("reboot: pulsing the CPU reset line through the 8042 (command FEh to port 64h)\n");
    serial_flush();
    while (inb(0x64) & 2)               /* wait for its input buffer to be empty */
        ;
    outb(0x64, 0xFE);
}

static void reset_cf9(void)
{
    kprintf("reboot: writing 06h to port CF9h\n");
    serial_flush();
    outb(0xCF9, 0x02);
    outb(0xCF9, 0x06);
}

static void cmd_reboot(int cf9)
{
    if (!cf9) {
        reset_8042();
        for (uint32_t t = ticks(); ticks() - t < TICK_HZ / 10;)
            hlt();                      /* give it 100 ms */
        kprintf("reboot: the 8042 did not reset us, trying port CF9h\n");
    }
    reset_cf9();
    for (uint32_t t = ticks(); ticks() - t < TICK_HZ / 10;)
        hlt();
    kprintf("reboot: still running, halting\n");
    for (;;) {
        cli();
        hlt();
    }
}

void shell_run(const struct multiboot_info *mbi)
{
    char line[LINE_MAX];
    for (;;) {
        kprintf("mbkernel> ");
        read_line(line, sizeof line);
        if (!line[0])
            continue;
        if (!strcmp(line, "help"))
            cmd_help();
        else if (!strcmp(line, "mem"))
            show_memory(mbi);
        else if (!strcmp(line, "cpuid"))
            show_cpuid();
        else if (!strcmp(line, "ticks"))
            cmd_ticks();
        else if (!strcmp(line, "reboot"))
            cmd_reboot(0);
        else if (!strcmp(line, "reboot cf9"))
            cmd_reboot(1);
        else
            kprintf("unknown command '%s' (try help)\n", line);
    }
}
