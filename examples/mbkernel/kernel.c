/* kernel.c -- kmain, called by entry.asm: check that a Multiboot loader
 * started us, set up the serial port, the descriptor tables and the
 * timer, say hello and run the shell. */
#include "lib.h"
#include "multiboot.h"
#include "shell.h"
#include "traps.h"
#include "x86.h"

void kmain(uint32_t magic, const struct multiboot_info *mbi);

void kmain(uint32_t magic, const struct multiboot_info *mbi)
{
    serial_init();
    if (magic != MULTIBOOT_BOOT_MAGIC) {
        kprintf("mbkernel: EAX=%08x, not 2badb002: not started by a Multiboot loader\n", magic);
        for (;;) {
            cli();
            hlt();
        }
    }
    traps_init();
    kprintf("\nmbkernel: a Multiboot kernel in C, serial shell on COM1\n");
    if (mbi->flags & MBI_LOADER_NAME)
        kprintf("mbkernel: loaded by %s\n", (const char *)mbi->boot_loader_name);
    if (mbi->flags & MBI_CMDLINE)
        kprintf("mbkernel: command line '%s'\n", (const char *)mbi->cmdline);
    kprintf("mbkernel: type help for the commands\n");
    shell_run(mbi);
}
