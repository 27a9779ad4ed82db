/* fuzz_args.c -- libFuzzer harness for the command line: main.c is
 * compiled into this file with its main renamed, so its option parser
 * (parse_args, the QEMU forms of qemu_opts.c, -drive, -d, --trace...) can
 * be called on an argument vector from the input: one argument per line.
 * Only parsing runs: nothing is opened, no machine is built.  Run it with
 * -close_fd_mask=3 (tests/fuzz/run.sh does): the parser's messages are
 * the expected output. */
#define main x86lab_main
#include "main.c"
#undef main

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_ARGS = 48 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    memcpy(copy, data, size);
    copy[size] = 0;
    char *argv[MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = "x86lab";
    for (char *p = copy; argc < MAX_ARGS && p <= copy + size;) {
        char *nl = memchr(p, '\n', (size_t)(copy + size - p));
        if (nl)
            *nl = 0;
        argv[argc++] = p;
        if (!nl)
            break;
        p = nl + 1;
    }
    argv[argc] = NULL;
    struct options o = { .cfg = { .ram_mb = 128, .model = CPU_P6 } };
    int r = parse_args(argc, argv, &o);
    if (r < 0)
        r = check_kernel_options(&o);
    if (r < 0)
        default_switch_seq(&o.cfg);
    free(copy);
    return 0;
}
