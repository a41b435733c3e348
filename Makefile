# Resurgo: one entry point. `make run` boots the system, `make test` runs every test,
# `make bench` prints and records benchmark numbers. Each first runs `make deps`.

BUILD    := build
KERNEL   := $(BUILD)/kernel.elf
ISO      := $(BUILD)/resurgo.iso
CC       := gcc
NASM     := nasm
LD       := ld
PYTHON   := /usr/bin/python3

# Kernel: freestanding, no SSE (user FPU state is saved by the kernel), higher half.
KCFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-stack-protector \
            -fno-pic -fno-pie -mno-red-zone -mcmodel=kernel -mgeneral-regs-only \
            -fno-asynchronous-unwind-tables -fno-omit-frame-pointer -nostdinc \
            -isystem $(shell $(CC) -print-file-name=include) -I$(BUILD)/gen -MMD -MP
KLDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T kernel/arch/x86_64/linker.ld

KSRC     := $(wildcard kernel/*.c kernel/arch/x86_64/*.c)
KASM     := $(wildcard kernel/arch/x86_64/*.asm)
KOBJ     := $(KSRC:%.c=$(BUILD)/%.o) $(KASM:%.asm=$(BUILD)/%.asm.o)

# Numbers and stubs generated from the one table of calls (scripts/gen_calls.py).
GEN      := $(BUILD)/gen/resurgo/calls.h $(BUILD)/gen/rs_invoke.h \
            $(BUILD)/gen/proto/console.h $(BUILD)/gen/proto/system.h \
            $(BUILD)/gen/proto/datastore.h $(BUILD)/gen/proto/counter.h \
            $(BUILD)/gen/proto/init.h $(BUILD)/gen/proto/faultinject.h $(BUILD)/gen/proto/kv.h \
            $(BUILD)/gen/proto/tally.h $(BUILD)/gen/proto/pci.h $(BUILD)/gen/proto/block.h \
            $(BUILD)/gen/proto/ether.h

# Host unit tests: the kernel's pure logic, built with AddressSanitizer and UBSan.
UNIT_SRC := $(wildcard tests/unit/*.c) \
            $(addprefix kernel/,format.c err.c bootinfo.c mb2.c mb1.c memmap.c pmm.c civil.c \
                                slab.c elf.c cap.c tqueue.c timerq.c arch/x86_64/pagetable.c) \
            $(addprefix libsys/,heap.c capfault.c console.c copy.c dispatch.c session_header.c) drivers/uart/uart.c drivers/pci/pci.c \
            drivers/pci/claims.c \
            $(addprefix reincarnation/,policy.c depends.c events.c declare.c) \
            $(addprefix datastore/,store.c entries.c subs.c names.c valid.c) \
            $(addprefix faultinject/,site_table.c mutate.c remote.c)
UNIT_BIN := $(BUILD)/tests/unit_tests
UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined \
               -fno-omit-frame-pointer -fno-sanitize-recover=undefined -Ikernel -I$(BUILD)/gen \
               -Ilibsys/include -Ikernel/uapi -Idrivers/uart -Ireincarnation -Idatastore \
               -Ifaultinject

FIXTURES := $(BUILD)/fixtures/spin.elf $(BUILD)/fixtures/crash.elf $(BUILD)/fixtures/sysloop.elf

# User programs: C with Debian's musl (static) and libsys, which brings the start-up
# code and replaces the few C-library functions that would make Linux system calls.
# libsys objects are linked as objects, before libc.a, so their definitions win.
MUSL_INC := /usr/include/x86_64-linux-musl
MUSL_LIB := /usr/lib/x86_64-linux-musl/libc.a
UCFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -fno-pic -fno-pie -fstack-protector-strong \
            -nostdinc -isystem $(MUSL_INC) -isystem $(shell $(CC) -print-file-name=include) \
            -Ilibsys/include -Ikernel/uapi -I$(BUILD)/gen -MMD -MP
ULDFLAGS := -static -nostdlib -z max-page-size=0x1000 -z noexecstack -Ttext-segment=0x400000 -e _start \
            --build-id
ULIBS    := $(MUSL_LIB) $(shell $(CC) -print-libgcc-file-name)
LIBSYS_SRC := $(wildcard libsys/*.c)
LIBSYS_OBJ := $(BUILD)/libsys/start.asm.o $(LIBSYS_SRC:libsys/%.c=$(BUILD)/libsys/%.o)
# System components: one program per folder.
COMPONENTS := rs:reincarnation ds:datastore uart:drivers/uart shell:servers/shell init:servers/init \
              fi:faultinject ficamp:faultinject/campaign kv:servers/kv \
              pci:drivers/pci virtio_blk:drivers/virtio_blk ata:drivers/ata e1000:drivers/e1000 ne2k:drivers/ne2k rtl8139:drivers/rtl8139 \
              net:servers/net
COMPONENT_ELFS := $(foreach c,$(COMPONENTS),$(BUILD)/$(word 1,$(subst :, ,$(c))).elf)

# Lua 5.4 for Resurgo's user space: Debian's lua5.4 source (fetched and checked by
# `make deps`), compiled against musl like every component, with the flags of its
# own Makefile (LUA_COMPAT_5_3) and without the stand-alone programs.
LUA_DIR    := $(BUILD)/third_party/lua-5.4.4/src
LUA_CORE   := lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject lopcodes lparser \
              lstate lstring ltable ltm lundump lvm lzio lauxlib lbaselib lcorolib ldblib \
              liolib lmathlib loadlib loslib lstrlib ltablib lutf8lib linit
LUA_OBJ    := $(LUA_CORE:%=$(BUILD)/lua/%.o)
LUA_CFLAGS := $(filter-out -Werror -MMD -MP,$(UCFLAGS)) -DLUA_COMPAT_5_3 -Wno-error

TEST_PROGS := $(patsubst tests/user/%.c,$(BUILD)/user/%.elf,$(filter-out tests/user/check.c,$(wildcard tests/user/*.c)))

QEMU      := qemu-system-x86_64
QEMU_ARGS := -m 256M -display none -no-reboot -serial mon:stdio -debugcon file:$(BUILD)/events.log \
             -device isa-debug-exit,iobase=0xf4,iosize=0x04
# NET_PORT=P: the host's 127.0.0.1:P (UDP and TCP) forwarded to the guest's echo
# port 7 (servers/net). QEMU_EXTRA: more QEMU arguments (devices: docs/drivers-*.md).
RUN_NET = -nic user,model=e1000$(if $(NET_PORT),$(comma)hostfwd=udp:127.0.0.1:$(NET_PORT)-:7$(comma)hostfwd=tcp:127.0.0.1:$(NET_PORT)-:7)
comma := ,
# KVM=1: use KVM if a probe boot shows it works (scripts/kvm_ok.sh), else TCG.
QEMU_ACCEL = $(if $(filter 1,$(KVM)),$$(bash scripts/kvm_ok.sh $(KERNEL)))

.PHONY: all deps kernel iso run test unit-test system-test bench clean debug user fuzz campaign replay
.DEFAULT_GOAL := all
.SECONDARY:

all: kernel user iso

deps:
	@bash scripts/deps.sh

kernel: $(KERNEL)

$(KERNEL): $(KOBJ) kernel/arch/x86_64/linker.ld
	@echo "  LD      $@"
	@$(LD) $(KLDFLAGS) -o $@ $(KOBJ)

$(GEN) &: kernel/uapi/resurgo/calls.tbl libsys/protocols.tbl scripts/gen_calls.py
	@echo "  GEN     $(BUILD)/gen"
	@$(PYTHON) scripts/gen_calls.py kernel/uapi/resurgo/calls.tbl libsys/protocols.tbl $(BUILD)/gen

$(BUILD)/%.o: %.c | $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/%.asm.o: %.asm kernel/arch/x86_64/regs.inc
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -g -Ikernel/arch/x86_64/ -o $@ $<

iso: $(ISO)

$(ISO): $(KERNEL) $(COMPONENT_ELFS) boot/grub.cfg lua/init.lua
	@rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	@cp $(KERNEL) $(COMPONENT_ELFS) lua/init.lua $(BUILD)/iso/boot/
	@cp boot/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	@echo "  ISO     $@"
	@grub-mkrescue -o $@ $(BUILD)/iso 2>$(BUILD)/grub-mkrescue.log \
	    || { cat $(BUILD)/grub-mkrescue.log; exit 1; }

$(BUILD)/libsys/%.o: libsys/%.c | $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(UCFLAGS) -c $< -o $@

$(BUILD)/libsys/%.asm.o: libsys/%.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -o $@ $<

$(BUILD)/user/%.o: tests/user/%.c | $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(UCFLAGS) -c $< -o $@

$(BUILD)/user/%.elf: $(BUILD)/user/%.o $(BUILD)/user/check.o $(LIBSYS_OBJ)
	@echo "  LD      $@"
	@$(LD) $(ULDFLAGS) -o $@ $^ $(ULIBS)

$(BUILD)/lua/%.o: $(LUA_DIR)/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (Lua)"
	@$(CC) $(LUA_CFLAGS) -c $< -o $@

# lwIP for the network server: Debian's lwip source (fetched and checked by `make
# deps`), its core, IPv4 and Ethernet layers, built against musl with the server's
# own lwipopts.h and arch/cc.h (servers/net/port).
LWIP_DIR   := $(BUILD)/third_party/lwip-2.1.3/src
LWIP_SRC   := core/def core/inet_chksum core/init core/ip core/mem core/memp core/netif \
              core/pbuf core/raw core/tcp core/tcp_in core/tcp_out core/timeouts core/udp \
              core/ipv4/etharp core/ipv4/icmp core/ipv4/ip4 core/ipv4/ip4_addr \
              core/ipv4/ip4_frag netif/ethernet
LWIP_OBJ   := $(LWIP_SRC:%=$(BUILD)/lwip/%.o)
LWIP_INC   := -I$(LWIP_DIR)/include -Iservers/net/port
LWIP_CFLAGS := $(filter-out -Werror -MMD -MP,$(UCFLAGS)) $(LWIP_INC) -Wno-error

$(BUILD)/lwip/%.o: $(LWIP_DIR)/%.c servers/net/port/lwipopts.h servers/net/port/arch/cc.h
	@mkdir -p $(dir $@)
	@echo "  CC      $< (lwIP)"
	@$(CC) $(LWIP_CFLAGS) -c $< -o $@

$(BUILD)/obj/servers/net/%.o: UCFLAGS += $(LWIP_INC)
$(BUILD)/net.elf: $(LWIP_OBJ)

# init runs init.lua in Lua: its objects see Lua's headers, and it links Lua.
$(BUILD)/obj/servers/init/%.o: UCFLAGS += -I$(LUA_DIR)
$(BUILD)/init.elf: $(LUA_OBJ)
$(BUILD)/obj/servers/shell/%.o: UCFLAGS += -I$(LUA_DIR)
$(BUILD)/shell.elf: $(LUA_OBJ)

# Programs with the interpreter and a script built in: the Lua oracle test runs
# tests/lua/oracle.lua, the heap benchmark tests/lua/alloc.lua.
$(BUILD)/gen/%_lua.h: tests/lua/%.lua scripts/embed.py
	@mkdir -p $(dir $@)
	@$(PYTHON) scripts/embed.py $*_lua $< $@

LUA_PROGS := luaoracle luaalloc
$(BUILD)/user/luaoracle.o: $(BUILD)/gen/oracle_lua.h
$(BUILD)/user/luaalloc.o: $(BUILD)/gen/alloc_lua.h
$(LUA_PROGS:%=$(BUILD)/user/%.o): UCFLAGS += -I$(LUA_DIR)

$(LUA_PROGS:%=$(BUILD)/user/%.elf): $(BUILD)/user/%.elf: $(BUILD)/user/%.o $(BUILD)/user/check.o \
                                     $(LUA_OBJ) $(LIBSYS_OBJ)
	@echo "  LD      $@"
	@$(LD) $(ULDFLAGS) -o $@ $^ $(ULIBS)

# Fault-site tables (faultinject/site_table.h): the sites tool (host, Capstone)
# over each program the injector may target, shipped as boot modules.
SITES_TOOL := $(BUILD)/tools/sites
FI_TARGETS := uart ds e1000 rtl8139 ne2k ata virtio_blk
SITES := $(FI_TARGETS:%=$(BUILD)/%.sites)

$(SITES_TOOL): faultinject/host/sites.c faultinject/site_table.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@ (host, Capstone)"
	@$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $< -lcapstone

$(BUILD)/%.sites: $(BUILD)/%.elf $(SITES_TOOL)
	@echo "  SITES   $@"
	@$(SITES_TOOL) $< > $@.tmp && mv $@.tmp $@

user: $(TEST_PROGS) $(COMPONENT_ELFS) $(SITES)

$(BUILD)/obj/%.o: %.c | $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(UCFLAGS) -c $< -o $@

define component_rule
$(BUILD)/$(1).elf: $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard $(2)/*.c)) $(LIBSYS_OBJ)
	@echo "  LD      $$@"
	@$(LD) $(ULDFLAGS) -o $$@ $$^ $(ULIBS)
endef
$(foreach c,$(COMPONENTS),$(eval $(call component_rule,$(word 1,$(subst :, ,$(c))),$(word 2,$(subst :, ,$(c))))))
# The campaign names fault types as the injector does (a mask of its types).
$(BUILD)/ficamp.elf: $(BUILD)/obj/faultinject/mutate.o
# The virtio drivers share the transport, the NIC drivers the Ethernet server.
$(BUILD)/virtio_blk.elf: $(BUILD)/obj/drivers/virtio/virtio.o
$(BUILD)/e1000.elf $(BUILD)/rtl8139.elf $(BUILD)/ne2k.elf: $(BUILD)/obj/drivers/ether/ether_driver.o

$(BUILD)/fixtures/%.elf: tests/fixtures/%.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -o $(@:.elf=.o) $<
	@$(LD) -static -nostdlib -Ttext=0x401000 -o $@ $(@:.elf=.o)

# Quit QEMU with Ctrl-A then X.
run: deps
	@$(MAKE) --no-print-directory all
	@echo "Resurgo: booting in QEMU (quit with Ctrl-A then X)"
	$(QEMU) $(QEMU_ARGS) $(QEMU_ACCEL) $(RUN_NET) $(QEMU_EXTRA) -cdrom $(ISO)

debug: deps
	@$(MAKE) --no-print-directory all
	@echo "QEMU waits for gdb: gdb $(KERNEL) -ex 'target remote :1234'"
	$(QEMU) $(QEMU_ARGS) -cdrom $(ISO) -s -S

$(UNIT_BIN): $(UNIT_SRC) $(GEN) $(wildcard tests/unit/*.h kernel/*.h kernel/arch/x86_64/*.h \
              libsys/include/*.h drivers/uart/*.h reincarnation/*.h \
              datastore/*.h faultinject/*.h) $(SITES)
	@mkdir -p $(dir $@)
	@echo "  CC      $@ (host, ASan+UBSan)"
	@$(CC) $(UNIT_CFLAGS) -o $@ $(UNIT_SRC) $(shell pkg-config --cflags --libs check) -lcapstone

unit-test: deps $(UNIT_BIN)

# `make test` ends with a short fuzzing pass (FUZZ_SMOKE seconds per harness, from the
# seeds and the kept corpus): long enough to catch a parser regression on the seeds.
FUZZ_SMOKE ?= 2

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN) $(FIXTURES) user
	@$(PYTHON) tests/run.py
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SMOKE)

system-test: deps
	@$(MAKE) --no-print-directory all $(FIXTURES) user
	@$(PYTHON) tests/run.py --system-only

bench: deps
	@$(MAKE) --no-print-directory all user
	@$(PYTHON) scripts/bench.py

clean:
	rm -rf $(BUILD)/kernel $(BUILD)/tests $(BUILD)/fixtures $(BUILD)/iso $(BUILD)/user \
	       $(BUILD)/libsys $(BUILD)/obj $(BUILD)/gen $(BUILD)/*.elf $(ISO)

-include $(KOBJ:.o=.d) $(wildcard $(BUILD)/user/*.d $(BUILD)/libsys/*.d) \
         $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# Fuzzing: libFuzzer harnesses for the pure boot-input parsers (tests/fuzz/), built
# with clang, ASan and UBSan into build/fuzz/. Each runs FUZZ_SECONDS from the seeds
# (tests/fuzz/seeds.py) and its corpus in build/fuzz/corpus/; a crash, a violated
# contract or a hang (FUZZ_TIMEOUT s on one input) fails the target and leaves the
# input as build/fuzz/<harness>-crash-* (or -timeout-*), the log in build/fuzz/.
FUZZ_SECONDS ?= 20
FUZZ_TIMEOUT ?= 10
FUZZ_CC      := clang
FUZZ_NAMES   := elf mb2 mb1 cmdline memmap
FUZZ_BINS    := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_KSRC    := $(addprefix kernel/,elf.c format.c err.c bootinfo.c mb2.c mb1.c memmap.c)
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
                -Ikernel -Ikernel/uapi -I$(BUILD)/gen

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/fuzz_bootinfo.h $(FUZZ_KSRC) $(GEN) $(wildcard kernel/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $@ (libFuzzer, ASan+UBSan)"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_KSRC)

fuzz: deps
	@$(MAKE) -s --no-print-directory $(FUZZ_BINS)
	@rm -rf $(BUILD)/fuzz/seeds && $(PYTHON) tests/fuzz/seeds.py $(BUILD)/fuzz/seeds
	@failed=; for n in $(FUZZ_NAMES); do \
	    log=$(BUILD)/fuzz/$$n.log; mkdir -p $(BUILD)/fuzz/corpus/$$n; \
	    echo "  FUZZ    $$n ($(FUZZ_SECONDS) s)"; \
	    if $(BUILD)/fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) \
	        -use_value_profile=1 -print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/$$n- \
	        $(BUILD)/fuzz/corpus/$$n $(BUILD)/fuzz/seeds/$$n >$$log 2>&1; then \
	        echo "          $$(sed -n 's/^stat::number_of_executed_units: *//p' $$log) runs," \
	             "$$(sed -n 's/^stat::average_exec_per_sec: *//p' $$log)/s, no crash"; \
	    else \
	        grep -av "^#[0-9]" $$log | tail -n 40; failed="$$failed $$n"; \
	        echo "  FUZZ    $$n FAILED: log $$log, input $$(ls -t $(BUILD)/fuzz/$$n-* | head -n 1)"; \
	    fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: failed:$$failed"; exit 1; fi

# Fault-injection campaigns (faultinject/host/campaign.py, docs/fault-injection.md):
#   make campaign [FAULTS=400] [SEED=1] [JOBS=cores] [TYPES=all|nop,branch,...]
#   make replay SEED=S [TYPES=...]     one experiment again, by its seed
FAULTS ?= 400
SEED ?= 1
JOBS ?= $(shell nproc)
TYPES ?= all
TARGET ?= uart

campaign: deps
	@$(MAKE) --no-print-directory all user
	@$(PYTHON) faultinject/host/campaign.py --target $(TARGET) --types $(TYPES) \
	    --faults $(FAULTS) --seed $(SEED) --jobs $(JOBS)

replay: deps
	@$(MAKE) --no-print-directory all user
	@$(PYTHON) faultinject/host/campaign.py --target $(TARGET) --types $(TYPES) \
	    --replay $(SEED) --out $(BUILD)/replay
