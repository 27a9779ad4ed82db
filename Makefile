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
LDLIBS  = -lm

CORE_DIRS = cpu translator kvm machine devices debugger
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

.PHONY: all run test test-asan bench clean install deps check-deps examples
all: $(BIN) $(BIOS_BIN) $(TOOLS) $(UNIT_BINS) $(GUEST_BINS)

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

$(BUILD)/tests/guest/%.bin: tests/guest/%.asm $(wildcard tests/guest/*.inc)
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I tests/guest/ $< -o $@

# ---- dependencies (Debian packages) ----
DEB_PKGS = build-essential clang nasm pkg-config libcapstone-dev libelf-dev \
           zlib1g-dev libsdl2-dev gcc-multilib python3
deps:
	@tools/deps.sh install $(DEB_PKGS)
check-deps:
	@tools/deps.sh check $(DEB_PKGS)

# ---- running ----
# The demo ends with EXIT_PASS, which is x86lab's exit status 1.
run: check-deps all
	$(BIN) --help | head -1
	$(BIN) -m 16 --load $(BUILD)/tests/guest/hello.bin@0x7c00 --entry 0x0:0x7c00; \
		status=$$?; [ $$status -eq 1 ] || { echo "x86lab: exit status $$status"; exit 1; }

test: check-deps all
	@tests/run-all.sh $(BUILD) $(SHARED)

test-asan:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" test

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
