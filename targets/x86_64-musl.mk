# SPDX-License-Identifier: MIT
# x86_64 musl. On Debian, musl-tools gives x86_64-linux-musl-gcc. For a fully
# static binary point SYSROOT at a tree with libmnl.a (and mbedtls .a files
# when a toggle needs them), e.g. an OpenWrt SDK staging dir or Alpine's
# -static packages (Debian ships no libmnl.a):
#   make TARGET=x86_64-musl STATIC=1 SYSROOT=/path/to/sysroot
MUSL_TRIPLET := x86_64-linux-musl
GNU_TRIPLET := x86_64-linux-gnu
include targets/musl.mk
