/* exec.c -- the one user program: init, an ELF file of disk 1's file
 * system, loaded into the user memory at USERBASE and entered at ring 3;
 * finish() is the machine's end once init exits. */
#include "../common/elf.h"
#include "../common/fs.h"
#include "defs.h"
#include "x86.h"

/* The kernel stack that traps from ring 3 use (the TSS's ESP0): not the
 * BSP's boot stack, which still holds main()'s frames. */
static uint8_t initkstack[KSTACKSIZE] __attribute__((aligned(16)));

static int in_user(uint32_t va, uint32_t n)
{
    return va >= USERBASE && n <= USERSIZE && va - USERBASE <= USERSIZE - n;
}

/* Loads the ELF's PT_LOAD segments; 0 and its entry point, or -1. */
static int load(const struct fs_dirent *f, uint32_t *entry)
{
    struct elfhdr eh;
    if (fs_read(f, 0, &eh, sizeof eh) != sizeof eh || eh.magic != ELF_MAGIC ||
        eh.machine != ELF_EM_386)
        return -1;
    memset((void *)USERBASE, 0, USERSIZE);
    for (uint32_t i = 0; i < eh.phnum; i++) {
        struct proghdr ph;
        if (fs_read(f, eh.phoff + i * sizeof ph, &ph, sizeof ph) != sizeof ph)
            return -1;
        if (ph.type != ELF_PT_LOAD)
            continue;
        if (ph.filesz > ph.memsz || !in_user(ph.vaddr, ph.memsz))
            return -1;
        if (fs_read(f, ph.off, (void *)ph.vaddr, ph.filesz) != (int)ph.filesz)
            return -1;
    }
    *entry = eh.entry;
    return in_user(eh.entry, 1) ? 0 : -1;
}

void run_init(const char *name)
{
    const struct fs_dirent *f = fs_lookup(name);
    uint32_t entry;
    if (!f)
        panic("no %s in the file system", name);
    if (load(f, &entry) < 0)
        panic("%s: not an ELF program for %p-%p", name, USERBASE, USERBASE + USERSIZE);
    cli();
    mycpu()->ts.esp0 = (uint32_t)(initkstack + sizeof initkstack);
    cprintf("kernel: running %s at ring 3 (%d bytes, entry %p)\n", name, f->size, entry);
    /* 16 bytes left above the stack: C code may read its caller's
     * argument slots there (usys.asm's stubs read three). */
    enter_user(entry, USERBASE + USERSIZE - 16);
}

/* Reports and ends the machine: the isa-debug-exit port (QEMU with
 * -device isa-debug-exit, x86lab always), else QEMU's ACPI power-off. */
void finish(int status)
{
    cprintf("kernel: init exited with status %d\n", status);
    for (int i = 0; i < ncpu; i++)
        if (cpus[i].started)
            cprintf("kernel: cpu %d took %u timer interrupts\n", i, cpus[i].ticks);
    outb(0xF4, status == 0 ? EXIT_PASS : EXIT_FAIL);
    outw(0x604, 0x2000);        /* PIIX4 PM1a_CNT: SLP_EN, sleep type 0 (S5) */
    cli();
    for (;;)
        hlt();
}
