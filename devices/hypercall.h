/* hypercall.h -- the paravirtual port (docs/hypercall.md): a guest writes
 * the physical address of a parameter block to port 0x520 and the call it
 * names (disk sector reads and writes for a BIOS drive number, boot
 * information) is done at once, its results written back into the block.
 * x86lab's BIOS uses it for INT 13h when the port answers its probe. */
#ifndef X86LAB_HYPERCALL_H
#define X86LAB_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct bus;
struct cpu;
struct disk;

enum {
    HC_PORT = 0x520,                /* 0x520-0x523: one dword port */
    HC_SIGNATURE = 0x4C363858,      /* "X86L": what a read of the port returns */
    HC_VERSION = 1,
    HC_BLOCK_SIZE = 32,             /* the parameter block: 8 dwords */
};

/* Call numbers (dword 0 of the block). */
enum hc_call {
    HC_INFO, HC_DISK_READ, HC_DISK_WRITE, HC_BOOT_INFO,
    /* Paravirtual kernels (docs/hypercall.md, examples/tasks-pv): */
    HC_CONSOLE_WRITE,               /* a0 = string (physical), a1 = length */
    HC_SET_IF,                      /* a0 = 0 or 1: EFLAGS.IF */
    HC_PTE_UPDATE,                  /* a0 = {entry address, value} pairs, a1 = count */
    HC_LOAD_CR3,                    /* a0 = the page directory */
    HC_TICKS,                       /* out: a0:a1 = virtual time in ns */
    HC_HALT,                        /* a0 = 1: IF set first (block until an interrupt) */
    HC_CALLS
};
enum { HC_PTE_BATCH_MAX = 512 };    /* entries in one HC_PTE_UPDATE */

/* Status (dword 1), in INT 13h's terms so the BIOS can pass it on. */
enum {
    HC_OK = 0x00, HC_BAD_CALL = 0x01, HC_WRITE_PROTECTED = 0x03,
    HC_NO_SECTOR = 0x04, HC_IO_ERROR = 0x20, HC_NO_MEDIUM = 0xAA,
};

/* What the board tells the port about the machine.  disk_of: the disk
 * behind BIOS drive number `drive` (00h-01h floppies, 80h + n the n-th IDE
 * hard disk in channel order, E0h + n the n-th CD-ROM drive), NULL when
 * there is none or it holds no medium; *readonly when writes must fail.
 * boot_order: the three CMOS boot device codes (1 floppy, 2 hard disk,
 * 3 CD-ROM, 0 none).  ram_written: guest RAM was changed (engines drop
 * what they cached of it). */
struct hypercall_board {
    struct disk *(*disk_of)(void *opaque, unsigned drive, bool *readonly);
    void (*boot_order)(void *opaque, uint8_t order[3]);
    void (*ram_written)(void *opaque, uint32_t paddr, uint32_t len);
    void *opaque;
    /* For the paravirtual kernel calls: the CPU state the current engine
     * runs on (NULL when it is not struct cpu: KVM), and the virtual time. */
    struct cpu *(*cpu_of)(void *opaque);
    uint64_t (*now_ns)(void *opaque);
};

struct hypercall {
    struct bus *bus;
    struct hypercall_board board;
    uint64_t *total;                /* the machine's stats.hypercalls */
    uint64_t calls[HC_CALLS];       /* per call number */
    uint64_t bad_calls;             /* unknown call numbers, bad blocks */
};

int hypercall_init(struct hypercall *h, struct bus *b, const struct hypercall_board *board,
                   uint64_t *total);
/* One line per call number used, for --stats. */
void hypercall_print_stats(const struct hypercall *h, FILE *f);
const char *hypercall_name(enum hc_call c);

#endif
