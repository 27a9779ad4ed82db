/* multiboot.h -- the Multiboot v1 information structure the loader
 * leaves in memory (its address in EBX at entry), and one entry of its
 * memory map.  Only the fields this kernel reads are named. */
#ifndef MBK_MULTIBOOT_H
#define MBK_MULTIBOOT_H

#include <stdint.h>

#define MULTIBOOT_BOOT_MAGIC 0x2BADB002u   /* EAX at entry */

enum {
    MBI_MEM = 1u << 0,          /* mem_lower, mem_upper are valid */
    MBI_CMDLINE = 1u << 2,      /* cmdline */
    MBI_MMAP = 1u << 6,         /* mmap_length, mmap_addr */
    MBI_LOADER_NAME = 1u << 9,  /* boot_loader_name */
};

struct multiboot_info {
    uint32_t flags;             /* which of the fields below are valid */
    uint32_t mem_lower;         /* KiB below 1 MiB (usually 639 or 640) */
    uint32_t mem_upper;         /* KiB from 1 MiB to the first hole */
    uint32_t boot_device;
    uint32_t cmdline;           /* physical address of a C string */
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length;       /* bytes of memory map */
    uint32_t mmap_addr;         /* its physical address */
    uint32_t drives_length, drives_addr, config_table;
    uint32_t boot_loader_name;  /* physical address of a C string */
} __attribute__((packed));

/* "size" does not count itself: the next entry is at entry + size + 4. */
struct multiboot_mmap_entry {
    uint32_t size;
    uint64_t base;
    uint64_t length;
    uint32_t type;              /* 1 usable RAM, 2 reserved, 3 ACPI data, 4 ACPI NVS, 5 bad */
} __attribute__((packed));

#endif
