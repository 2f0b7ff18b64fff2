# tinyvrrp: one Makefile. `make`, `make check`, `make bench`, `make install`.
# Every standard variable (CC CFLAGS LDFLAGS PKG_CONFIG DESTDIR PREFIX) may be
# overridden on the command line, as an OpenWrt SDK package does.

TARGET ?= host
include config.mk
include targets/$(TARGET).mk

ifeq ($(origin CC),default)
CC := cc
endif
PKG_CONFIG ?= pkg-config
STRIP ?= $(CROSS_COMPILE)strip
SIZE ?= $(CROSS_COMPILE)size
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
VERSION := 0.1.0

CFLAGS ?= -Os -g
WARN := -std=c11 -Wall -Wextra -Wundef -Wshadow -Wformat=2 -Wmissing-prototypes \
	-Wstrict-prototypes -Wno-unused-parameter
WERROR ?= 1
ifeq ($(WERROR),1)
WARN += -Werror
endif
# C unwinds nothing: the unwind tables (.eh_frame) were 21 KB of the
# x86_64 binary. gdb reads .debug_frame from -g instead.
SIZEFLAGS := -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables
toggle = -DCONFIG_$(1)=$(if $(filter y,$(CONFIG_$(1))),1,0)
TOGGLES := VRRP_V3 IPV6 AUTH_AH
TOGGLES += TCP_CHECK
DEFS := -D_GNU_SOURCE -DTINYVRRP_VERSION='"$(VERSION)"' $(foreach t,$(TOGGLES),$(call toggle,$(t)))

ifneq ($(SYSROOT),)
SYSROOT_PC := PKG_CONFIG_SYSROOT_DIR=$(SYSROOT) PKG_CONFIG_LIBDIR=$(SYSROOT)/usr/lib/pkgconfig
CPPFLAGS += --sysroot=$(SYSROOT)
LDFLAGS += --sysroot=$(SYSROOT)
endif
# make 4.3 does not hand exported variables to $(shell): set them inline.
MNL_CFLAGS := $(shell $(SYSROOT_PC) $(PKG_CONFIG) --cflags libmnl 2>/dev/null)
MNL_LIBS := $(or $(shell $(SYSROOT_PC) $(PKG_CONFIG) --libs libmnl 2>/dev/null),-lmnl)
# mbedtls (the HMAC-MD5 of IPsec AH) only with CONFIG_AUTH_AH=y; Debian 12
# ships no mbedcrypto.pc, hence the fallback.
ifeq ($(CONFIG_AUTH_AH),y)
MBED_CFLAGS := $(shell $(SYSROOT_PC) $(PKG_CONFIG) --cflags mbedcrypto 2>/dev/null)
MBED_LIBS := $(or $(shell $(SYSROOT_PC) $(PKG_CONFIG) --libs mbedcrypto 2>/dev/null),-lmbedcrypto)
endif
ifeq ($(STATIC),1)
LDFLAGS += -static
endif

ALL_CFLAGS = $(WARN) $(DEFS) $(SIZEFLAGS) $(MNL_CFLAGS) $(MBED_CFLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = -Wl,--gc-sections $(LDFLAGS)

B := build/$(TARGET)
BIN := tinyvrrp
# make SANITIZE=1: everything (objects, unit tests, the daemon as
# ./tinyvrrp-san) built with ASan and UBSan into build/$(TARGET)-san, so the
# normal build is untouched. Any finding aborts the program.
ifeq ($(SANITIZE),1)
B := build/$(TARGET)-san
BIN := tinyvrrp-san
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
	-fasynchronous-unwind-tables
ALL_CFLAGS += $(SAN_FLAGS)
ALL_LDFLAGS += $(SAN_FLAGS)
endif
# Pure modules: no syscalls; unit-tested on their own.
PURE := addr.c vrrp_pkt.c vrrp.c track.c conf_lex.c conf_load.c conf_parse.c conf_inst.c conf_value.c \
	conf_check.c conf_dump.c
PURE += $(if $(filter y,$(CONFIG_AUTH_AH)),vrrp_ah.c)
PURE += conf_tcp.c $(if $(filter y,$(CONFIG_TCP_CHECK)),check_count.c)
# Modules that touch the kernel.
SYS := main.c ready.c reload.c log.c loop.c nl.c vrrp_sock.c announce.c instance.c inst_act.c inst_track.c ctl.c
# Scripts: child processes, vrrp_script trackers, notifications.
SYS += proc.c track_script.c notify.c
SYS += $(if $(filter y,$(CONFIG_TCP_CHECK)),check_tcp.c)
# Interfaces and files: track_interface, track_file, sync groups.
SYS += track_if.c track_file.c group.c
# The control socket (`tinyvrrp status`) and keepalived's JSON dump.
SYS += status.c ctl_json.c
PURE += status_fmt.c
SRCS := $(PURE) $(SYS)
OBJS := $(SRCS:%.c=$(B)/%.o)
PURE_OBJS := $(PURE:%.c=$(B)/%.o)

.PHONY: all clean check unit conftest nettest deps demo bench bench-smoke install size
all: $(BIN)

$(BIN): $(OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(OBJS) $(MNL_LIBS) $(MBED_LIBS) $(LDLIBS)

$(B)/%.o: src/%.c $(wildcard src/*.h) config.mk Makefile | $(B)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B):
	mkdir -p $@

# Unit tests: each tests/unit/test_X.c links against the pure objects it names.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/%)
test_pkt_OBJS := addr vrrp_pkt
test_pkt_bad_OBJS := addr vrrp_pkt
test_vrrp_OBJS := addr vrrp_pkt vrrp
test_track_OBJS := track
test_track_script_OBJS :=
test_conf_OBJS := addr conf_lex conf_load conf_parse conf_inst conf_value conf_check conf_dump conf_tcp
test_check_count_OBJS := check_count
test_conf_tcp_OBJS := $(test_conf_OBJS)
test_addr_OBJS := addr
test_status_OBJS := addr vrrp_pkt vrrp status_fmt
# loop.c touches no state beyond pipes and the clock: tested like the pure ones.
test_loop_OBJS := loop
# log.c writes to stderr only (syslog unless asked): tested like the pure ones.
test_log_OBJS := log
test_ah_OBJS := addr vrrp_pkt $(if $(filter y,$(CONFIG_AUTH_AH)),vrrp_ah) conf_lex conf_load \
	conf_parse conf_inst conf_value conf_check conf_dump conf_tcp
test_ah_LIBS := $(MBED_LIBS)
.SECONDEXPANSION:
$(B)/test_%: tests/unit/test_%.c tests/unit/t.h $(wildcard tests/unit/*.h) $$(addprefix $(B)/,$$(addsuffix .o,$$(test_$$*_OBJS)))
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -Isrc -o $@ $< $(filter %.o,$^) $(test_$*_LIBS)

# Kernel-level test of nl.c; tests/sys/run builds it and runs it as root in a
# network namespace of its own.
$(B)/test_nl: tests/sys/test_nl.c tests/unit/t.h $(B)/addr.o $(B)/nl.o
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(B)/addr.o $(B)/nl.o $(MNL_LIBS) $(LDLIBS)

unit: $(UNIT_BINS)
	tests/run-unit $(UNIT_BINS)

conftest: tinyvrrp
	tests/conf/run

nettest: tinyvrrp
	tests/net/run

# Installs what is missing (apt-get), builds, runs every suite.
check:
	tests/check

deps:
	tests/deps

# Two routers in namespaces; the VIP moves as the master stops and freezes.
demo: deps
	$(MAKE) all
	tests/net/demo

# tinyvrrp and keepalived side by side (root, ~8 min): table on stdout and in bench/results.md.
bench:
	MAKE='$(MAKE)' bench/run

# ~10 s pass of the same code (make check runs it); ends with "bench: N passed, N failed".
bench-smoke:
	MAKE='$(MAKE)' bench/run --smoke

install: $(BIN)
	install -D -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/tinyvrrp
	install -D -m 0644 man/tinyvrrp.8 $(DESTDIR)$(MANDIR)/man8/tinyvrrp.8
	install -D -m 0644 man/tinyvrrp.conf.5 $(DESTDIR)$(MANDIR)/man5/tinyvrrp.conf.5

# Stripped size of the binary as configured (config.mk's defaults unless
# overridden) and of the core alone, every toggle n, built in $(B)-core.
size: $(BIN)
	$(MAKE) --no-print-directory B=$(B)-core BIN=$(B)-core/tinyvrrp \
		$(foreach t,$(TOGGLES),CONFIG_$(t)=n) $(B)-core/tinyvrrp
	$(STRIP) -o $(B)/tinyvrrp.stripped $(BIN)
	$(STRIP) -o $(B)-core/tinyvrrp.stripped $(B)-core/tinyvrrp
	$(SIZE) $(B)/tinyvrrp.stripped $(B)-core/tinyvrrp.stripped
	@echo "stripped: $$(wc -c <$(B)/tinyvrrp.stripped) bytes as configured," \
		"$$(wc -c <$(B)-core/tinyvrrp.stripped) bytes core-only ($(TARGET))"

clean:
	rm -rf build tinyvrrp tinyvrrp-san

include tests/fuzz/fuzz.mk
