# SPDX-License-Identifier: MIT
# aarch64 (ARMv8-A, 64-bit) musl: OpenWrt's armsr/armv8, mediatek/filogic,
# bcm27xx/bcm2711 ... On Debian: gcc-aarch64-linux-gnu, musl-dev:arm64 and
# linux-libc-dev-arm64-cross (see targets/musl.mk).
MUSL_TRIPLET := aarch64-linux-musl
GNU_TRIPLET := aarch64-linux-gnu
include targets/musl.mk
