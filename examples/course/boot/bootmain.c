/* bootmain.c -- the second half of the boot block: reads the kernel, an
 * ELF file that starts at sector 1 of disk 0, with ATA PIO (no BIOS),
 * loads its segments where they ask to be and jumps to its entry.  All of
 * it must fit in 510 bytes with bootasm.asm: no error messages. */
#include <stdint.h>

#include "../common/elf.h"

#define SECTSIZE 512

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "d"(port));
    return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "d"(port));
}

static inline void insl(uint16_t port, void *dst, uint32_t n)
{
    __asm__ volatile("cld; rep insl" : "+D"(dst), "+c"(n) : "d"(port) : "memory");
}

/* Until the primary channel is not busy and ready. */
static void waitdisk(void)
{
    while ((inb(0x1F7) & 0xC0) != 0x40)
        ;
}

/* One sector of disk 0 (the primary master), by its LBA. */
static void readsect(void *dst, uint32_t lba)
{
    waitdisk();
    outb(0x1F2, 1);                     /* one sector */
    outb(0x1F3, lba);
    outb(0x1F4, lba >> 8);
    outb(0x1F5, lba >> 16);
    outb(0x1F6, (lba >> 24) | 0xE0);    /* LBA, master */
    outb(0x1F7, 0x20);                  /* READ SECTORS */
    waitdisk();
    insl(0x1F0, dst, SECTSIZE / 4);
}

/* `count` bytes from offset `off` of the kernel to `pa`: whole sectors,
 * so it may write a little before pa and after pa + count. */
static void readseg(uint8_t *pa, uint32_t count, uint32_t off)
{
    uint8_t *end = pa + count;
    pa -= off % SECTSIZE;
    for (uint32_t lba = off / SECTSIZE + 1; pa < end; pa += SECTSIZE, lba++)
        readsect(pa, lba);
}

void bootmain(void)
{
    struct elfhdr *elf = (struct elfhdr *)0x10000;     /* scratch */
    readseg((uint8_t *)elf, 4096, 0);                  /* the headers */
    if (elf->magic != ELF_MAGIC)
        return;
    struct proghdr *ph = (struct proghdr *)((uint8_t *)elf + elf->phoff);
    for (struct proghdr *e = ph + elf->phnum; ph < e; ph++) {
        if (ph->type != ELF_PT_LOAD)
            continue;
        uint8_t *pa = (uint8_t *)ph->paddr;
        readseg(pa, ph->filesz, ph->off);
        for (uint32_t i = ph->filesz; i < ph->memsz; i++)
            pa[i] = 0;                                  /* the .bss */
    }
    ((void (*)(void))elf->entry)();
}
