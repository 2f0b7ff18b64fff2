# SPDX-License-Identifier: MIT
# MIPS32r2 little-endian (24Kc/74Kc/1004Kc), musl:
# OpenWrt's ramips (mt7621, mt76x8) ... On Debian: gcc-mipsel-linux-gnu,
# musl-dev:mipsel and linux-libc-dev-mipsel-cross.
MUSL_TRIPLET := mipsel-linux-musl
GNU_TRIPLET := mipsel-linux-gnu
# The float ABI is the toolchain's (OpenWrt's is soft, Debian's hard):
# tinyvrrp has no floating point, only its libraries' ABI matters.
CFLAGS ?= -Os -g -march=mips32r2
include targets/musl.mk
