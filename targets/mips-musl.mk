# SPDX-License-Identifier: MIT
# MIPS32r2 big-endian (24Kc/74Kc), musl: OpenWrt's ath79,
# lantiq ... Debian 12 has no mips port, so no musl-dev:mips: its
# gcc-mips-linux-gnu (glibc) builds this CPU with
#   make TARGET=mips-musl CROSS_COMPILE=mips-linux-gnu-
MUSL_TRIPLET := mips-linux-musl
GNU_TRIPLET := mips-linux-gnu
# The float ABI is the toolchain's (OpenWrt's is soft, Debian's hard):
# tinyvrrp has no floating point, only its libraries' ABI matters.
CFLAGS ?= -Os -g -march=mips32r2
include targets/musl.mk
