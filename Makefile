# x86lab -- top-level Makefile (the only build system).
#   make / make all   the x86lab binary, the core library, tests' programs
#   make run          install missing dependencies (as root), build, boot the demo
#   make test         the whole suite        make test-asan   the same under ASan+UBSan
#   make bench        interpreter MIPS on the benchmark guest
#   make deps         install (root) or name the Debian packages we need
#   make install      PREFIX=/usr/local

CC      ?= gcc
PREFIX  ?= /usr/local
BUILD   ?= build
NASM    ?= nasm
SHARED  ?= ../shared

CAPSTONE_CFLAGS := $(shell pkg-config --cflags capstone 2>/dev/null)
CAPSTONE_LIBS   := $(shell pkg-config --libs capstone 2>/dev/null || echo -lcapstone)

WARN    = -Wall -Wextra -Werror
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -I. -MMD -MP $(SAN)
LDLIBS  = -lm -lelf $(CAPSTONE_LIBS)

CORE_DIRS = cpu translator kvm tae machine devices debugger
CORE_SRCS = $(foreach d,$(CORE_DIRS),$(wildcard $(d)/*.c))
CORE_OBJS = $(CORE_SRCS:%.c=$(BUILD)/%.o)
LIB       = $(BUILD)/libx86lab.a
BIN       = $(BUILD)/x86lab
BIOS_BIN  = $(BUILD)/bios/bios.bin

UNIT_SRCS = $(wildcard tests/unit/*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
# boot_*.asm are boot sectors for the BIOS, built and booted by
# tests/scripts/boot_*.sh, not flat binaries run with --entry.
GUEST_ASM = $(filter-out tests/guest/boot_%,$(wildcard tests/guest/*.asm))
GUEST_BINS = $(GUEST_ASM:tests/guest/%.asm=$(BUILD)/tests/guest/%.bin)
TOOLS     = $(BUILD)/tests/conformance/runner $(BUILD)/tests/decoder/capstone_check

.PHONY: all run test test-asan bench clean install deps check-deps examples analyze
all: $(BIN) $(BIOS_BIN) $(TOOLS) $(UNIT_BINS) $(GUEST_BINS) examples

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(CORE_OBJS)
	@rm -f $@
	ar rcs $@ $^

# --whole-archive: every handler object is linked, so the table is complete.
LINK_LIB = -Wl,--whole-archive $(LIB) -Wl,--no-whole-archive

# The terminal console (-nographic) is part of the binary, not the core.
TERM_OBJS = $(patsubst %.c,$(BUILD)/%.o,$(wildcard frontend-term/*.c))
# ... and so are the parsers of QEMU's option forms (qemu_opts.c).
TERM_OBJS += $(BUILD)/qemu_opts.o
# ... and the SDL2 window (-display sdl, frontend-sdl/): the emulation on
# its own thread, screenshots as PNG through zlib.
SDL_CFLAGS := $(shell pkg-config --cflags sdl2 2>/dev/null)
SDL_LIBS   := $(shell pkg-config --libs sdl2 2>/dev/null || echo -lSDL2)
SDL_OBJS    = $(patsubst %.c,$(BUILD)/%.o,$(wildcard frontend-sdl/*.c))
$(SDL_OBJS): ALL_CFLAGS += $(SDL_CFLAGS)
TERM_OBJS  += $(SDL_OBJS)
# ... and `x86lab compare` (compare/: each engine's run side by side, the
# HTML and JSON reports), which names the version it was built from.
X86LAB_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
COMPARE_OBJS = $(patsubst %.c,$(BUILD)/%.o,$(wildcard compare/*.c))
$(COMPARE_OBJS): ALL_CFLAGS += -DX86LAB_VERSION='"$(X86LAB_VERSION)"'
TERM_OBJS  += $(COMPARE_OBJS)
$(BIN): LDLIBS += $(SDL_LIBS) -lz -lpthread

$(BIN): $(BUILD)/main.o $(TERM_OBJS) $(LIB) | $(BIOS_BIN)
	$(CC) $(SAN) -o $@ $< $(TERM_OBJS) $(LINK_LIB) $(LDLIBS)

# The BIOS ROM (bios/main.asm and what it includes), with the fonts of
# devices/vga_font.c turned into bytes by bios/mkfont.c.  x86lab finds it
# as bios/bios.bin next to its binary.
$(BUILD)/bios/mkfont: bios/mkfont.c $(BUILD)/devices/vga_font.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^
$(BUILD)/bios/font.bin: $(BUILD)/bios/mkfont
	$< > $@
$(BIOS_BIN): $(wildcard bios/*.asm bios/*.inc) $(BUILD)/bios/font.bin
	$(NASM) -f bin -I bios/ -I $(BUILD)/bios/ bios/main.asm -o $@

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LINK_LIB) $(LDLIBS)

$(BUILD)/tests/conformance/runner: $(BUILD)/tests/conformance/runner.o $(BUILD)/tests/conformance/moo.o \
		$(BUILD)/tests/conformance/undefined_flags.o $(LIB)
	$(CC) $(SAN) -o $@ $(filter %.o,$^) $(LINK_LIB) -lz $(LDLIBS)

$(BUILD)/tests/decoder/capstone_check.o: ALL_CFLAGS += $(CAPSTONE_CFLAGS)
$(BUILD)/tests/decoder/capstone_check: $(BUILD)/tests/decoder/capstone_check.o $(LIB)
	$(CC) $(SAN) -o $@ $< $(LINK_LIB) $(CAPSTONE_LIBS) $(LDLIBS)

# The differential tester (tests/diff): random instruction sequences in the
# interpreter vs the host CPU (make test, tests/scripts/diff_host.sh), the
# translator (--target=bt) or KVM (--target=kvm).
DIFF_OBJS = $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/diff/*.c))
DIFFTEST  = $(BUILD)/tests/diff/difftest
all: $(DIFFTEST)
$(DIFF_OBJS): ALL_CFLAGS += $(CAPSTONE_CFLAGS)
$(DIFFTEST): $(DIFF_OBJS) $(LIB)
	$(CC) $(SAN) -o $@ $(DIFF_OBJS) $(LINK_LIB) $(CAPSTONE_LIBS) $(LDLIBS)

$(BUILD)/tests/guest/%.bin: tests/guest/%.asm $(wildcard tests/guest/*.inc)
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I tests/guest/ $< -o $@

# ---- examples/: guest programs for students (examples/README.md) ----
# Boot sectors and boot-sector-loaded programs (nasm, examples/common/ for
# includes), padded into a 1.44 MB floppy (-floppy.img) or a 4 MiB raw
# hard disk (-disk.img); mbkernel is a Multiboot ELF kernel in C, built
# with gcc -m32 (whatever CC is) and linked with ld -m elf_i386.
EX       = $(BUILD)/examples
EXAMPLES = $(EX)/hello/hello-floppy.img $(EX)/hello/hello-disk.img \
           $(EX)/twostage/twostage-disk.img \
           $(foreach e,pmode paging interrupts tasks,$(EX)/$(e)/$(e)-floppy.img) \
           $(EX)/mbkernel/kernel.elf $(EX)/popek-goldberg/popek-goldberg.bin \
           $(EX)/tasks-pv/tasks-pv-floppy.img
examples: $(EXAMPLES)
.PRECIOUS: $(EX)/%.bin

# Beside each .bin: its listing (.lst: the bytes of every line) and its
# symbol map (.map: every label's address, for the debugger's break).
$(EX)/%.bin: examples/%.asm $(wildcard examples/common/*.inc)
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I examples/common/ -I $(dir $<) -DMAPFILE=$(@:.bin=.map) $< -o $@ -l $(@:.bin=.lst)
# tasks-pv is tasks.asm assembled with PV defined.
$(EX)/tasks-pv/tasks-pv.bin: examples/tasks/tasks.asm
$(EX)/%-floppy.img: $(EX)/%.bin
	cp $< $@ && truncate -s 1474560 $@
$(EX)/%-disk.img: $(EX)/%.bin
	cp $< $@ && truncate -s 4194304 $@

EX_CC      = gcc
EX_CFLAGS  = -m32 -march=i486 -ffreestanding -fno-pic -fno-stack-protector -nostdlib \
             -fno-asynchronous-unwind-tables -std=c11 -O2 -Wall -Wextra -Werror -MMD -MP
MBK_OBJS   = $(patsubst examples/mbkernel/%.c,$(EX)/mbkernel/%.o,$(wildcard examples/mbkernel/*.c)) \
             $(EX)/mbkernel/entry.o
$(EX)/mbkernel/%.o: examples/mbkernel/%.c
	@mkdir -p $(dir $@)
	$(EX_CC) $(EX_CFLAGS) -c $< -o $@
$(EX)/mbkernel/entry.o: examples/mbkernel/entry.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 $< -o $@
$(EX)/mbkernel/kernel.elf: $(MBK_OBJS) examples/mbkernel/kernel.ld
	ld -m elf_i386 -T examples/mbkernel/kernel.ld -o $@ $(MBK_OBJS)

# nanobench: the nanobenchmark kernel for `x86lab compare` (examples/nanobench).
NB_OBJS = $(EX)/nanobench/nanobench.o $(EX)/nanobench/entry.o
$(EX)/nanobench/%.o: examples/nanobench/%.c
	@mkdir -p $(dir $@)
	$(EX_CC) $(EX_CFLAGS) -c $< -o $@
$(EX)/nanobench/entry.o: examples/nanobench/entry.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 $< -o $@
$(EX)/nanobench/nanobench.elf: $(NB_OBJS) examples/nanobench/kernel.ld
	ld -m elf_i386 -T examples/nanobench/kernel.ld -o $@ $(NB_OBJS)
examples: $(EX)/nanobench/nanobench.elf

# ---- tests/kernels/: direct-boot test kernels (tests/scripts/kernel_boot.sh):
# a Multiboot ELF (nasm -f elf32, ld at 1 MiB), a flat a.out-kludge
# Multiboot kernel and a synthetic bzImage (nasm -f bin) ----
TEST_KERNELS = $(addprefix $(BUILD)/tests/kernels/,mb_elf.elf mb_aout.bin bzimage.bin)
all: $(TEST_KERNELS)
$(BUILD)/tests/kernels/mb_elf.elf: tests/kernels/mb_elf.asm tests/kernels/mb_elf.ld tests/kernels/klib.inc
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -I tests/kernels/ $< -o $(@:.elf=.o)
	ld -m elf_i386 --no-warn-rwx-segments -T tests/kernels/mb_elf.ld -o $@ $(@:.elf=.o)
$(BUILD)/tests/kernels/mb_aout.bin $(BUILD)/tests/kernels/bzimage.bin: \
		$(BUILD)/tests/kernels/%.bin: tests/kernels/%.asm tests/kernels/klib.inc
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I tests/kernels/ $< -o $@

# ---- tests/fuzz/: libFuzzer harnesses (tests/fuzz/README.md) ----
# The core library again, built by clang with the fuzzer's coverage and
# ASan+UBSan (a sub-make into BUILD/fuzzobj), and one harness per
# tests/fuzz/fuzz_*.c in BUILD/fuzz/.  `make fuzz FUZZ_SECONDS=N` runs
# each for N seconds; make test runs them briefly (tests/scripts/fuzz_regress.sh).
FUZZ_CC      = clang
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_OBJ     = $(BUILD)/fuzzobj
FUZZ_LIB     = $(FUZZ_OBJ)/libx86lab.a
FUZZ_SRCS    = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS    = $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_SECONDS ?= 60
FUZZ_TERM    = $(patsubst $(BUILD)/%,$(FUZZ_OBJ)/%,$(TERM_OBJS))
.PHONY: fuzz fuzz-build fuzz-lib-force
# The sub-make always runs (it knows what is stale); the harnesses relink
# only when it changed the library.
$(FUZZ_LIB): fuzz-lib-force
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_OBJ) CC=$(FUZZ_CC) CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" $(FUZZ_LIB) $(FUZZ_TERM)
$(BUILD)/fuzz/fuzz_args: main.c qemu_opts.c
$(BUILD)/fuzz/fuzz_decode: tests/decoder/capstone_check.c
$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB) $(wildcard tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -I. $(CAPSTONE_CFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) \
		-o $@ $< $(if $(filter %/fuzz_args,$@),$(FUZZ_TERM)) -Wl,--whole-archive $(FUZZ_LIB) \
		-Wl,--no-whole-archive $(LDLIBS) $(if $(filter %/fuzz_args,$@),$(SDL_LIBS) -lz -lpthread)
fuzz-build: $(FUZZ_BINS) $(BIOS_BIN) examples $(TEST_KERNELS) $(GUEST_BINS)
fuzz: fuzz-build
	@tests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS)

# ---- dependencies (Debian packages) ----
DEB_PKGS = build-essential clang nasm pkg-config libcapstone-dev libelf-dev \
           zlib1g-dev libsdl2-dev gcc-multilib python3 \
           grub-pc-bin grub-common xorriso mtools syslinux syslinux-common \
           isolinux dosfstools memtest86+ gdb valgrind \
           xvfb xfonts-base xdotool x11-apps \
           chromium libxml2-utils cpio e2fsprogs kmod
deps:
	@tools/deps.sh install $(DEB_PKGS)
check-deps:
	@tools/deps.sh check $(DEB_PKGS)

# ---- running ----
# `make run` boots examples/interrupts (IDT, PIC, PIT at 100 Hz, keyboard
# IRQ: every key shows its scan code, the seconds tick by) in the SDL
# window when x86lab has one and there is a display, else on this
# terminal (-display curses: the VGA text screen, Ctrl-A x quits).  Without a
# terminal (a pipe, CI) it boots examples/tasks, which ends by itself,
# with its output on the debug console.  Esc ends interrupts (exit status
# 1), Ctrl-A x or closing the window quits (0); tasks halts (0).
RUN_IMG = -fda $(EX)/interrupts/interrupts-floppy.img
run: check-deps all
	@$(BIN) --help | head -1
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ] && $(BIN) --help | grep -q 'display sdl'; then \
		echo "x86lab: examples/interrupts in the SDL window: type keys; Esc or closing the window quits"; \
		$(BIN) $(RUN_IMG) -display sdl; status=$$?; \
		if [ $$status -eq 2 ] && [ -t 0 ] && [ -t 1 ]; then \
			echo "x86lab: no window (see above): examples/interrupts on this terminal instead"; \
			sleep 1; $(BIN) $(RUN_IMG) -display curses; \
		else (exit $$status); fi; \
	elif [ -t 0 ] && [ -t 1 ]; then \
		echo "x86lab: examples/interrupts on this terminal: type keys; Esc or Ctrl-A x quits"; \
		sleep 1; \
		$(BIN) $(RUN_IMG) -display curses; \
	else \
		echo "x86lab: no terminal: examples/tasks, output on the debug console"; \
		$(BIN) -fda $(EX)/tasks/tasks-floppy.img --max-insns 500000000; \
	fi; \
	status=$$?; [ $$status -le 1 ] || { echo "x86lab: exit status $$status"; exit 1; }

test: check-deps all
	@tests/run-all.sh $(BUILD) $(SHARED)

# The SDL window's tests (tests/scripts/sdl_*.sh, under Xvfb): guests that
# draw every kind of VGA/VBE screen or echo keys and mouse packets, the
# picture checker and a WM_DELETE_WINDOW sender (there is no window manager).
SDL_TEST_BINS = $(patsubst tests/sdl/%.asm,$(BUILD)/tests/sdl/%.bin,$(wildcard tests/sdl/*.asm)) \
                $(BUILD)/tests/sdl/shotcmp $(BUILD)/tests/sdl/xclose
all: $(SDL_TEST_BINS)
$(BUILD)/tests/sdl/%.bin: tests/sdl/%.asm $(wildcard tests/sdl/*.inc) tests/guest/lib.inc
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I tests/sdl/ -I tests/guest/ $< -o $@
$(BUILD)/tests/sdl/shotcmp: tests/sdl/shotcmp.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LINK_LIB) -lz $(LDLIBS)
$(BUILD)/tests/sdl/xclose: tests/sdl/xclose.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(shell pkg-config --libs x11 2>/dev/null || echo -lX11)

# The KVM engine's tests (tests/kvm/run-kvm.sh): they need a working
# /dev/kvm, so make test runs this target inside ../shared/tools/kvm-sandbox
# (tests/scripts/kvm_sandbox.sh).  Only the guests are built here: the
# sandbox's compilers run under emulation.
KVM_BINS = $(patsubst tests/kvm/%.asm,$(BUILD)/tests/kvm/%.bin,$(wildcard tests/kvm/*.asm))
all: $(KVM_BINS)
$(BUILD)/tests/kvm/%.bin: tests/kvm/%.asm tests/guest/lib.inc
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I tests/guest/ $< -o $@
.PHONY: test-kvm
test-kvm: $(KVM_BINS)
	@tests/kvm/run-kvm.sh $(BUILD) $(SHARED)

# Sanitized programs run 2-3x slower: the KVM sandbox's one long call needs
# more than the plain suite's 600 s per program.  tests/lsan.supp names the
# one leak that is a library's (SDL's D-Bus connection).
test-asan:
	TEST_TIMEOUT=1500 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" test

# GCC's static analyzer over every C file of the product (the core, the
# frontends, main.c, compare/): each finding is an error.  Compile only,
# objects thrown away; make test runs it (tests/scripts/analyze.sh).
# -Wno-analyzer-malloc-leak: its four findings were memory handed to a
# struct field it does not follow (overlay chunks, the trace's seen-table);
# leaks are LeakSanitizer's, which runs the whole suite in make test-asan.
ANALYZE_SRCS = $(CORE_SRCS) main.c qemu_opts.c $(wildcard frontend-term/*.c frontend-sdl/*.c compare/*.c)
.PHONY: analyze
analyze:
	@fail=0; for f in $(ANALYZE_SRCS); do \
		gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -I. $(SDL_CFLAGS) $(CAPSTONE_CFLAGS) \
			-DX86LAB_VERSION='"analyze"' -fanalyzer -Wno-analyzer-malloc-leak -c $$f -o /dev/null || fail=1; \
	done; exit $$fail

bench: check-deps all
	@tests/bench.sh $(BUILD) $(SHARED)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/x86lab
	install -d $(DESTDIR)$(PREFIX)/share/x86lab
	install -m 644 $(BIOS_BIN) $(DESTDIR)$(PREFIX)/share/x86lab/bios.bin

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
