/* loader_multiboot.c -- Multiboot v1 kernels: the header in the first
 * 8 KiB, ELF segments (libelf) or the a.out kludge's flat image, modules
 * from -initrd, and the Multiboot information structure in guest RAM. */
#include "machine/loader.h"

#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/machine.h"

enum {
    MB_MAGIC = 0x1BADB002u,
    MB_BOOT_MAGIC = 0x2BADB002u,
    MB_SEARCH = 8192,
    MB_PAGE_ALIGN = 1u << 0,       /* modules page-aligned (always done) */
    MB_MEMORY_INFO = 1u << 1,      /* mem_* and mmap_* (always given) */
    MB_VIDEO_MODE = 1u << 2,       /* a video mode: the text mode is left */
    MB_AOUT_KLUDGE = 1u << 16,
    MB_KNOWN = MB_PAGE_ALIGN | MB_MEMORY_INFO | MB_VIDEO_MODE,
    /* information flags */
    MBI_MEM = 1u << 0, MBI_CMDLINE = 1u << 2, MBI_MODS = 1u << 3,
    MBI_ELF_SHDR = 1u << 5, MBI_MMAP = 1u << 6, MBI_LOADER_NAME = 1u << 9,
    MBI_SIZE = 120,                /* through the framebuffer fields */
    MB_MAX_MODULES = 32,
    MB_SECTIONS_MAX = 4096,
};

struct mb_header {
    uint32_t offset;               /* in the file */
    uint32_t flags;
    uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};

struct mb_module {
    uint32_t start, end;
    char *text;                    /* "FILE ARGS", its command line */
};

/* What goes into the information structure. */
struct mb_boot {
    struct loader_map map;
    uint32_t entry;
    int nmods;
    struct mb_module mods[MB_MAX_MODULES];
    uint8_t *shdrs;                /* the section header table, or NULL */
    uint32_t shnum, shentsize, shndx;
    char *cmdline;
};

/* 1 with *h filled, 0 when there is no header, -1 on a truncated one. */
static int find_header(const uint8_t *img, size_t size, struct mb_header *h,
                       char *err, size_t errlen)
{
    size_t limit = size < MB_SEARCH ? size : MB_SEARCH;
    for (size_t off = 0; off + 12 <= limit; off += 4) {
        uint32_t magic = ld_le32(img + off), flags = ld_le32(img + off + 4);
        if (magic != MB_MAGIC || (uint32_t)(magic + flags + ld_le32(img + off + 8)) != 0)
            continue;
        memset(h, 0, sizeof *h);
        h->offset = (uint32_t)off;
        h->flags = flags;
        if (flags & MB_AOUT_KLUDGE) {
            if (off + 32 > size) {
                snprintf(err, errlen, "truncated Multiboot header at offset 0x%zx", off);
                return -1;
            }
            h->header_addr = ld_le32(img + off + 12);
            h->load_addr = ld_le32(img + off + 16);
            h->load_end_addr = ld_le32(img + off + 20);
            h->bss_end_addr = ld_le32(img + off + 24);
            h->entry_addr = ld_le32(img + off + 28);
        }
        return 1;
    }
    return 0;
}

/* Copies file bytes [off, off+filesz) to paddr and zeroes up to memsz,
 * after the bounds and overlap checks. */
static int load_piece(struct machine *m, struct mb_boot *b, const uint8_t *img, size_t size,
                      uint64_t off, uint64_t filesz, uint64_t paddr, uint64_t memsz,
                      const char *what, char *err, size_t errlen)
{
    if (filesz > memsz || off > size || filesz > size - off) {
        snprintf(err, errlen, "truncated kernel: %s needs file bytes 0x%llx-0x%llx, "
                 "the file has %zu", what, (unsigned long long)off,
                 (unsigned long long)(off + filesz), size);
        return -1;
    }
    if (loader_reserve(&b->map, paddr, memsz, what, err, errlen) < 0)
        return -1;
    bus_load(&m->bus, (uint32_t)paddr, img + off, (size_t)filesz);
    memset(m->bus.ram + paddr + filesz, 0, (size_t)(memsz - filesz));
    return 0;
}

/* The a.out kludge: a flat image whose addresses the header gives. */
static int load_kludge(struct machine *m, struct mb_boot *b, const struct mb_header *h,
                       const uint8_t *img, size_t size, char *err, size_t errlen)
{
    uint32_t back = h->header_addr - h->load_addr;
    if (h->header_addr < h->load_addr || back > h->offset) {
        snprintf(err, errlen, "bad Multiboot a.out kludge: header_addr 0x%x, load_addr 0x%x "
                 "put the image before the start of the file", h->header_addr, h->load_addr);
        return -1;
    }
    uint64_t off = h->offset - back;
    uint64_t filesz = h->load_end_addr ? (uint64_t)h->load_end_addr - h->load_addr : size - off;
    uint64_t memsz = h->bss_end_addr ? (uint64_t)h->bss_end_addr - h->load_addr : filesz;
    if (h->load_end_addr && h->load_end_addr <= h->load_addr) {
        snprintf(err, errlen, "bad Multiboot a.out kludge: load_end_addr 0x%x is not above "
                 "load_addr 0x%x", h->load_end_addr, h->load_addr);
        return -1;
    }
    if (h->bss_end_addr && memsz < filesz) {
        snprintf(err, errlen, "bad Multiboot a.out kludge: bss_end_addr 0x%x is below "
                 "the end of the image", h->bss_end_addr);
        return -1;
    }
    b->entry = h->entry_addr;
    return load_piece(m, b, img, size, off, filesz, h->load_addr, memsz, "the kernel image",
                      err, errlen);
}

/* The program headers' PT_LOAD segments at their physical addresses. */
static int load_segments(struct machine *m, struct mb_boot *b, Elf *e, const Elf32_Ehdr *eh,
                         const uint8_t *img, size_t size, char *err, size_t errlen)
{
    size_t phnum;
    if ((uint64_t)eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr) > size) {
        snprintf(err, errlen, "truncated ELF: the program headers end past the file's %zu bytes", size);
        return -1;
    }
    Elf32_Phdr *ph = elf32_getphdr(e);
    if (elf_getphdrnum(e, &phnum) < 0 || !ph || phnum == 0) {
        snprintf(err, errlen, "ELF kernel without program headers (%s)", elf_errmsg(-1));
        return -1;
    }
    int loaded = 0;
    b->entry = eh->e_entry;
    for (size_t k = 0; k < phnum; k++) {
        /* libelf hands out the file's own bytes: e_phoff may leave them
         * unaligned, so each header is copied before it is read. */
        Elf32_Phdr copy;
        memcpy(&copy, (const uint8_t *)ph + k * sizeof copy, sizeof copy);
        const Elf32_Phdr *p = &copy;
        char what[40];
        if (p->p_type != PT_LOAD || p->p_memsz == 0)
            continue;
        snprintf(what, sizeof what, "ELF segment %zu", k);
        if (load_piece(m, b, img, size, p->p_offset, p->p_filesz, p->p_paddr, p->p_memsz,
                       what, err, errlen) < 0)
            return -1;
        /* An entry given as a virtual address (a higher-half kernel whose
         * segments load elsewhere) becomes its physical address. */
        if (eh->e_entry - p->p_vaddr < p->p_memsz)
            b->entry = eh->e_entry - p->p_vaddr + p->p_paddr;
        loaded++;
    }
    if (!loaded) {
        snprintf(err, errlen, "ELF kernel with nothing to load (no PT_LOAD segment)");
        return -1;
    }
    return 0;
}

/* The section header table, with the symbol and string tables that are
 * not loaded by a segment copied to RAM above 1 MiB (sh_addr set to
 * them), so that the kernel (and x86lab's debugger) can find its symbols. */
static int load_sections(struct machine *m, struct mb_boot *b, Elf *e, const uint8_t *img,
                         size_t size, char *err, size_t errlen)
{
    size_t shnum, shstrndx;
    if (elf_getshdrnum(e, &shnum) < 0 || shnum == 0)
        return 0;                        /* none: the flag stays clear */
    if (shnum > MB_SECTIONS_MAX || elf_getshdrstrndx(e, &shstrndx) < 0) {
        snprintf(err, errlen, "bad ELF section header table (%s)", elf_errmsg(-1));
        return -1;
    }
    b->shdrs = calloc(shnum, sizeof(Elf32_Shdr));
    if (!b->shdrs) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t k = 0; k < shnum; k++) {
        Elf_Scn *scn = elf_getscn(e, k);
        Elf32_Shdr *sh = scn ? elf32_getshdr(scn) : NULL;
        if (!sh) {
            snprintf(err, errlen, "truncated ELF: section header %zu unreadable (%s)",
                     k, elf_errmsg(-1));
            return -1;
        }
        Elf32_Shdr copy;
        memcpy(&copy, sh, sizeof copy);   /* may be unaligned in the file (e_shoff) */
        if ((copy.sh_type == SHT_SYMTAB || copy.sh_type == SHT_STRTAB) && copy.sh_addr == 0 &&
            copy.sh_size) {
            uint32_t at;
            if (copy.sh_offset > size || copy.sh_size > size - copy.sh_offset) {
                snprintf(err, errlen, "truncated ELF: section %zu ends past the file's %zu bytes",
                         k, size);
                return -1;
            }
            if (loader_alloc(&b->map, copy.sh_size, 16, HIGH_RAM, 0xFFFFFFFFu, 0,
                             "an ELF symbol/string table", &at, err, errlen) < 0)
                return -1;
            bus_load(&m->bus, at, img + copy.sh_offset, copy.sh_size);
            copy.sh_addr = at;
        }
        memcpy(b->shdrs + k * sizeof copy, &copy, sizeof copy);
    }
    b->shnum = (uint32_t)shnum;
    b->shentsize = sizeof(Elf32_Shdr);
    b->shndx = (uint32_t)shstrndx;
    return 0;
}

static int load_elf(struct machine *m, struct mb_boot *b, uint8_t *img, size_t size,
                    char *err, size_t errlen)
{
    if (size < 4 || memcmp(img, ELFMAG, SELFMAG)) {
        snprintf(err, errlen, "a Multiboot header, but neither an ELF file nor the a.out "
                 "kludge (flags bit 16)");
        return -1;
    }
    if (size < sizeof(Elf32_Ehdr)) {
        snprintf(err, errlen, "truncated ELF: %zu bytes, shorter than its header", size);
        return -1;
    }
    elf_version(EV_CURRENT);
    Elf *e = elf_memory((char *)img, size);
    Elf32_Ehdr *eh = e ? elf32_getehdr(e) : NULL;
    int r = -1;
    if (!eh)
        snprintf(err, errlen, "not a 32-bit ELF file (%s)", elf_errmsg(-1));
    else if (eh->e_machine != EM_386 || eh->e_type != ET_EXEC)
        snprintf(err, errlen, "ELF kernel for machine %u, type %u: want an i386 executable",
                 eh->e_machine, eh->e_type);
    else if (load_segments(m, b, e, eh, img, size, err, errlen) == 0 &&
             load_sections(m, b, e, img, size, err, errlen) == 0)
        r = 0;
    if (e)
        elf_end(e);
    return r;
}

/* -initrd "FILE ARGS,FILE ARGS": ",," is a comma; each module's command
 * line is its whole text, its file the text up to the first space. */
static int load_modules(struct machine *m, struct mb_boot *b, const char *list,
                        char *err, size_t errlen)
{
    size_t len = strlen(list);
    for (size_t pos = 0; pos <= len;) {
        if (b->nmods == MB_MAX_MODULES) {
            snprintf(err, errlen, "-initrd: more than %d modules", MB_MAX_MODULES);
            return -1;
        }
        struct mb_module *mod = &b->mods[b->nmods];
        char *t = mod->text = calloc(1, len - pos + 1);
        if (!t)
            return snprintf(err, errlen, "out of memory"), -1;
        b->nmods++;
        size_t n = 0;
        for (; pos < len; pos++) {
            if (list[pos] == ',' && list[pos + 1] == ',')
                pos++;
            else if (list[pos] == ',')
                break;
            t[n++] = list[pos];
        }
        pos++;
        char path[4096];
        size_t plen = strcspn(t, " ");
        snprintf(path, sizeof path, "%.*s", (int)plen, t);
        uint8_t *data;
        size_t size;
        char what[64];
        snprintf(what, sizeof what, "module %d", b->nmods);
        if (!*path)
            return snprintf(err, errlen, "-initrd: an empty module name in '%s'", list), -1;
        char why[300];
        if (loader_read_file(path, m->bus.ram_size, &data, &size, why, sizeof why) < 0)
            return snprintf(err, errlen, "-initrd %s", why), -1;
        int r = loader_alloc(&b->map, (uint32_t)size, 4096, HIGH_RAM, 0xFFFFFFFFu, 0, what,
                             &mod->start, why, sizeof why);
        if (r == 0)
            bus_load(&m->bus, mod->start, data, size);
        mod->end = mod->start + (uint32_t)size;
        free(data);
        if (r < 0)
            return snprintf(err, errlen, "-initrd %.200s: %.300s", path, why), -1;
    }
    return 0;
}

/* Appends a string to the information area; returns its guest address. */
static uint32_t put_str(uint8_t *area, uint32_t base, uint32_t *used, const char *s)
{
    uint32_t at = *used;
    size_t n = strlen(s) + 1;
    memcpy(area + at, s, n);
    *used += (uint32_t)n;
    return base + at;
}

static uint32_t info_size(const struct mb_boot *b)
{
    size_t n = MBI_SIZE + E820_MAX * 24 + (size_t)b->nmods * 16 +
               (size_t)b->shnum * b->shentsize + strlen(b->cmdline) + 1 + sizeof "x86lab";
    for (int k = 0; k < b->nmods; k++)
        n += strlen(b->mods[k].text) + 1;
    return (uint32_t)n;
}

/* The Multiboot information structure and what it points to (memory map,
 * module list, section headers, strings), in one block of low memory (or
 * above 1 MiB when it is too big for it).  Returns its address. */
static int build_info(struct machine *m, struct mb_boot *b, uint32_t *info,
                      char *err, size_t errlen)
{
    uint32_t size = info_size(b), base;
    if (loader_alloc(&b->map, size, 16, 0x10000, LOW_RAM_END, 0, "the Multiboot information",
                     &base, err, errlen) < 0 &&
        loader_alloc(&b->map, size, 16, HIGH_RAM, 0xFFFFFFFFu, 0, "the Multiboot information",
                     &base, err, errlen) < 0)
        return -1;
    uint8_t *area = calloc(1, size);
    if (!area)
        return snprintf(err, errlen, "out of memory"), -1;
    uint32_t used = MBI_SIZE, flags = MBI_MEM | MBI_CMDLINE | MBI_MMAP | MBI_LOADER_NAME;
    uint32_t ram_end = m->bus.ram_size;
    st_le32(area + 4, LOW_RAM_END >> 10);                              /* mem_lower */
    st_le32(area + 8, ram_end > HIGH_RAM ? (ram_end - HIGH_RAM) >> 10 : 0);  /* mem_upper */
    st_le32(area + 16, put_str(area, base, &used, b->cmdline));
    st_le32(area + 64, put_str(area, base, &used, "x86lab"));
    struct e820_entry map[E820_MAX];
    int n = loader_e820(ram_end, map);
    st_le32(area + 44, (uint32_t)n * 24);                              /* mmap_length */
    st_le32(area + 48, base + used);                                   /* mmap_addr */
    for (int k = 0; k < n; k++, used += 24) {
        st_le32(area + used, 20);              /* size of the rest of the entry */
        st_le64(area + used + 4, map[k].base);
        st_le64(area + used + 12, map[k].len);
        st_le32(area + used + 20, map[k].type);
    }
    if (b->nmods) {
        flags |= MBI_MODS;
        uint32_t list = used;
        used += (uint32_t)b->nmods * 16;
        st_le32(area + 20, (uint32_t)b->nmods);
        st_le32(area + 24, base + list);
        for (int k = 0; k < b->nmods; k++) {
            uint8_t *e = area + list + k * 16;
            st_le32(e, b->mods[k].start);
            st_le32(e + 4, b->mods[k].end);
            st_le32(e + 8, put_str(area, base, &used, b->mods[k].text));
        }
    }
    if (b->shdrs) {
        flags |= MBI_ELF_SHDR;
        st_le32(area + 28, b->shnum);
        st_le32(area + 32, b->shentsize);
        st_le32(area + 36, base + used);
        st_le32(area + 40, b->shndx);
        memcpy(area + used, b->shdrs, (size_t)b->shnum * b->shentsize);
        used += b->shnum * b->shentsize;
    }
    st_le32(area, flags);
    bus_load(&m->bus, base, area, used);
    free(area);
    *info = base;
    return 0;
}

static void free_boot(struct mb_boot *b)
{
    for (int k = 0; k < b->nmods; k++)
        free(b->mods[k].text);
    free(b->shdrs);
    free(b->cmdline);
}

/* Loads the kernel proper: the a.out kludge when the header asks for it,
 * else the ELF file. */
static int load_kernel(struct machine *m, struct mb_boot *b, const struct mb_header *h,
                       uint8_t *img, size_t size, char *err, size_t errlen)
{
    if (h->flags & ~MB_AOUT_KLUDGE & 0xFFFF & ~MB_KNOWN) {
        snprintf(err, errlen, "the Multiboot header asks for features x86lab does not "
                 "provide (flags 0x%08x)", h->flags);
        return -1;
    }
    if (h->flags & MB_AOUT_KLUDGE)
        return load_kludge(m, b, h, img, size, err, errlen);
    return load_elf(m, b, img, size, err, errlen);
}

int loader_multiboot(struct machine *m, const struct kernel_spec *k, uint8_t *img, size_t size,
                     char *err, size_t errlen)
{
    struct mb_header h;
    struct mb_boot *b = calloc(1, sizeof *b);
    char why[1024];
    if (!b)
        return snprintf(err, errlen, "out of memory"), -1;
    int r = find_header(img, size, &h, why, sizeof why);
    if (r <= 0)
        goto out;
    r = -1;
    loader_map_init(&b->map, m->bus.ram_size);
    size_t clen = strlen(k->path) + (k->cmdline ? strlen(k->cmdline) + 1 : 0) + 1;
    b->cmdline = malloc(clen);
    if (!b->cmdline) {
        snprintf(why, sizeof why, "out of memory");
        goto out;
    }
    /* As QEMU and GRUB do: the kernel's file name, then the arguments. */
    snprintf(b->cmdline, clen, "%s%s%s", k->path, k->cmdline ? " " : "",
             k->cmdline ? k->cmdline : "");
    uint32_t info, gdt;
    if (load_kernel(m, b, &h, img, size, why, sizeof why) < 0 ||
        (k->initrd && load_modules(m, b, k->initrd, why, sizeof why) < 0) ||
        loader_alloc(&b->map, 24, 8, 0x1000, LOW_RAM_END, 0, "the GDT", &gdt,
                     why, sizeof why) < 0 ||
        build_info(m, b, &info, why, sizeof why) < 0)
        goto out;
    loader_enter32(m, gdt, 0x08, 0x10, b->entry);
    m->cpu.r[R_EAX] = MB_BOOT_MAGIC;
    m->cpu.r[R_EBX] = info;
    r = 1;
out:
    if (r < 0)
        snprintf(err, errlen, "%s%s%s", why[0] == '-' ? "" : k->path,
                 why[0] == '-' ? "" : ": ", why);
    free_boot(b);
    free(b);
    return r;
}
