# SPDX-License-Identifier: MIT
# libFuzzer harnesses of the untrusted-input parsers (included by the
# Makefile). Built with clang into build/fuzz/, objects and all, so the
# normal build is untouched:
#   make fuzz [FUZZ_SECONDS=300]   each harness for that long; crashes go to build/fuzz/
#   make fuzz-smoke                each for FUZZ_SMOKE_SECONDS (30); ends "fuzz: N passed, N failed"
#   make fuzz-build                only build them
# Reproduce a crash: build/fuzz/fuzz_pkt build/fuzz/pkt-crash-<sha1>

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 30
FB := build/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -g -O1 $(WARN) $(DEFS) $(FUZZ_SAN)
FUZZ_HARNESSES := pkt conf

# The codec, and the AH verifier when the build has it (it needs mbedcrypto).
fuzz_pkt_OBJS := $(test_pkt_OBJS) $(if $(filter y,$(CONFIG_AUTH_AH)),vrrp_ah)
fuzz_pkt_LIBS := $(if $(filter y,$(CONFIG_AUTH_AH)),$(MBED_LIBS))
fuzz_conf_OBJS := $(test_conf_OBJS)
# The config reader finds include files only through glob(3): the harness
# puts its own glob in between, fenced into a sandbox directory.
fuzz_conf_LIBS := -Wl,--wrap=glob

.PHONY: fuzz fuzz-smoke fuzz-build
fuzz-build: $(FUZZ_HARNESSES:%=$(FB)/fuzz_%)

fuzz: fuzz-build
	tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

fuzz-smoke: fuzz-build
	tests/fuzz/run $(FUZZ_SMOKE_SECONDS) $(FUZZ_HARNESSES)

# Objects are reached only through the pattern rule below: keep them.
.PRECIOUS: $(FB)/obj/%.o

$(FB)/obj:
	mkdir -p $@

$(FB)/obj/%.o: src/%.c $(wildcard src/*.h) config.mk | $(FB)/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FB)/fuzz_%: tests/fuzz/fuzz_%.c $$(addprefix $(FB)/obj/,$$(addsuffix .o,$$(fuzz_$$*_OBJS))) | $(FB)/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc -o $@ $< $(filter %.o,$^) $(fuzz_$*_LIBS)
