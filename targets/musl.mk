# SPDX-License-Identifier: MIT
# Shared by the musl targets. The target file sets MUSL_TRIPLET (the musl
# toolchain's prefix) and GNU_TRIPLET (Debian's name for the same CPU), and
# may set CFLAGS with ?= for its CPU. Everything here yields to the command
# line: CROSS_COMPILE CC CFLAGS CPPFLAGS LDFLAGS PKG_CONFIG STRIP SIZE SYSROOT.
#
# A musl toolchain (OpenWrt's, musl.cc's) brings its own kernel headers;
# libmnl and mbedtls come from SYSROOT (e.g. an OpenWrt staging dir):
#   make TARGET=aarch64-musl CROSS_COMPILE=/opt/x/bin/aarch64-openwrt-linux-musl- \
#        SYSROOT=/opt/x/staging STATIC=1
CROSS_COMPILE ?= $(MUSL_TRIPLET)-
CC = $(CROSS_COMPILE)gcc
STRIP ?= $(CROSS_COMPILE)strip
SIZE ?= $(CROSS_COMPILE)size

# Debian's musl-dev:ARCH installs $(MUSL_TRIPLET)-gcc as a wrapper around
# $(GNU_TRIPLET)-gcc whose specs search musl's headers only (-nostdinc, so
# not even SYSROOT's). After musl's come SYSROOT's headers, then the
# kernel's (linux-libc-dev-ARCH-cross, or the host's for x86_64) and the
# host's libmnl and mbedtls headers (the same on every CPU): every object
# compiles, and the pure ones link statically against musl's libc.a (the
# unit tests). The daemon links against SYSROOT's libmnl.a (gcc searches
# SYSROOT/usr/lib); Debian has none built for musl. The binutils are
# Debian's $(GNU_TRIPLET)- ones.
ifneq ($(wildcard /usr/lib/$(MUSL_TRIPLET)/musl-gcc.specs),)
ifeq ($(origin CROSS_COMPILE),file)
STRIP = $(GNU_TRIPLET)-strip
SIZE = $(GNU_TRIPLET)-size
CPPFLAGS += $(if $(SYSROOT),-idirafter $(SYSROOT)/usr/include) \
	-idirafter /usr/$(GNU_TRIPLET)/include -idirafter /usr/include/$(GNU_TRIPLET) \
	-idirafter /usr/include
endif
endif
