/* qemu_opts.c -- parsers for the option forms x86lab shares with QEMU
 * (qemu_opts.h): they check and translate, main.c stores the result. */
#include "qemu_opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/firmware.h"

char *qopt_next_item(char **p)
{
    char *item = *p, *r = *p, *w = *p;
    if (!item)
        return NULL;
    for (;;) {
        if (*r == ',' && r[1] == ',') {
            *w++ = ',';
            r += 2;
        } else if (*r == ',' || !*r) {
            *p = *r ? r + 1 : NULL;
            *w = 0;
            return item;
        } else {
            *w++ = *r++;
        }
    }
}

static int parse_count(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-')
        return -1;
    *out = v;
    return 0;
}

int qopt_ram_mb(const char *s, uint64_t *mb)
{
    char *end;
    if (!strncmp(s, "size=", 5))
        s += 5;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-' || v > (1ull << 40))
        return -1;
    uint64_t bytes;
    switch (*end) {
    case 0: case 'M': case 'm': bytes = v << 20; break;
    case 'G': case 'g': bytes = v << 30; break;
    case 'K': case 'k': bytes = v << 10; break;
    default: return -1;
    }
    if ((*end && end[1]) || bytes % (1u << 20))
        return -1;
    *mb = bytes >> 20;
    return 0;
}

int qopt_cpu_model(const char *s, enum cpu_model *m)
{
    static const struct { const char *name; enum cpu_model model; } qemu[] = {
        { "486", CPU_486 }, { "486-v1", CPU_486 },
        { "pentium", CPU_PENTIUM }, { "pentium-v1", CPU_PENTIUM },
        { "pentium2", CPU_P6 }, { "pentium2-v1", CPU_P6 }, { "pentium3", CPU_P6 },
        { "pentium3-v1", CPU_P6 }, { "qemu32", CPU_P6 }, { "qemu32-v1", CPU_P6 },
        { "kvm32", CPU_P6 }, { "host", CPU_P6 }, { "max", CPU_P6 }, { "base", CPU_P6 },
    };
    for (size_t k = 0; k < sizeof qemu / sizeof qemu[0]; k++)
        if (!strcmp(s, qemu[k].name)) {
            *m = qemu[k].model;
            return 0;
        }
    return -1;
}

int qopt_boot(char *val, unsigned char boot[3])
{
    static const char *const ignored[] = { "menu=", "strict=", "splash=", "splash-time=",
                                            "reboot-timeout=" };
    for (char *p = val, *item; (item = qopt_next_item(&p));) {
        bool ignore = false;
        for (size_t k = 0; k < sizeof ignored / sizeof ignored[0]; k++)
            ignore |= !strncmp(item, ignored[k], strlen(ignored[k]));
        if (ignore)
            continue;
        if (!strncmp(item, "once=", 5))
            item += 5;
        if (firmware_parse_boot_order(item, boot) < 0)
            return -1;
    }
    return 0;
}

int qopt_smp(char *val, char *err, size_t errlen)
{
    static const char *const keys[] = { "cpus=", "sockets=", "cores=", "threads=",
                                         "maxcpus=", "dies=" };
    for (char *p = val, *item; (item = qopt_next_item(&p));) {
        const char *eq = strchr(item, '=');
        bool known = !eq;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            known |= !strncmp(item, keys[k], strlen(keys[k]));
        uint64_t v;
        if (!known)
            return snprintf(err, errlen, "-smp: unknown key in '%s' (cpus, sockets, cores, "
                            "threads, maxcpus)", item), -1;
        if (parse_count(eq ? eq + 1 : item, &v) || v == 0)
            return snprintf(err, errlen, "-smp: expected a CPU count, not '%s'", item), -1;
        if (v > 1)
            return snprintf(err, errlen, "-smp %s: x86lab emulates one CPU; SMP comes with "
                            "the APIC work", item), -1;
    }
    return 0;
}

int qopt_machine(char *val, enum engine_kind *engine, char *err, size_t errlen)
{
    char *p = val;
    char *type = qopt_next_item(&p);
    if (!strcmp(type, "help")) {
        printf("pc                   Standard PC (i440FX + PIIX3, 1996) (default)\n");
        return 1;
    }
    if (!strncmp(type, "type=", 5))
        type += 5;
    if (strcmp(type, "pc") && strncmp(type, "pc-i440fx", 9) && strcmp(type, "isapc"))
        return snprintf(err, errlen, "-machine %s: x86lab is an i440FX PC: the only "
                        "machine is pc", type), -1;
    for (char *item; (item = qopt_next_item(&p));) {
        if (!strcmp(item, "accel=tcg"))
            *engine = ENGINE_INTERP;
        else if (!strcmp(item, "accel=kvm"))
            *engine = ENGINE_KVM;
        else
            return snprintf(err, errlen, "-machine: unsupported property '%s' "
                            "(accel=tcg|kvm)", item), -1;
    }
    return 0;
}

int qopt_device(char *val, char *err, size_t errlen)
{
    char *p = val;
    char *name = qopt_next_item(&p);
    bool base_ok = false, size_ok = true;
    if (strcmp(name, "isa-debug-exit"))
        return snprintf(err, errlen, "-device %s: x86lab has no such device (only "
                        "isa-debug-exit,iobase=0xf4,iosize=0x04, its exit port)", name), -1;
    for (char *item; (item = qopt_next_item(&p));) {
        unsigned long v = 0;
        bool num = false;
        if (strlen(item) > 7 && item[7] != '-') {     /* a number after "iobase=" */
            char *end;
            errno = 0;
            v = strtoul(item + 7, &end, 0);
            num = !errno && !*end;
        }
        if (!strncmp(item, "iobase=", 7) && num)
            base_ok = v == 0xF4;
        else if (!strncmp(item, "iosize=", 7) && num)
            size_ok = v == 4;
        else
            return snprintf(err, errlen, "-device isa-debug-exit: unsupported property "
                            "'%s'", item), -1;
    }
    if (!base_ok || !size_ok)
        return snprintf(err, errlen, "-device isa-debug-exit: x86lab's exit port is fixed "
                        "at iobase=0xf4, iosize=0x04"), -1;
    return 0;
}

bool qopt_is_floppy_drive(const char *val)
{
    char copy[4096];
    bool floppy = false;
    snprintf(copy, sizeof copy, "%s", val);
    for (char *p = copy, *item; (item = qopt_next_item(&p));)
        floppy |= !strcmp(item, "if=floppy");
    return floppy;
}
