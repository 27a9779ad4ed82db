/* elf.h -- the parts of a 32-bit ELF file that the boot block (loading
 * the kernel) and the kernel (loading init) read. */
#ifndef COURSE_ELF_H
#define COURSE_ELF_H

#include <stdint.h>

#define ELF_MAGIC 0x464C457Fu           /* "\x7FELF" read as a little-endian word */
#define ELF_PT_LOAD 1
#define ELF_EM_386  3

struct elfhdr {
    uint32_t magic;
    uint8_t ident[12];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct proghdr {
    uint32_t type, off, vaddr, paddr, filesz, memsz, flags, align;
};

#endif
