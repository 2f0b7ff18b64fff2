# SPDX-License-Identifier: MIT
# 32-bit ARMv7-A, hard float (VFPv3-D16, the common floor: Cortex-A7/A9/A15),
# musl: OpenWrt's ipq40xx, mvebu/cortexa9, sunxi/cortexa7 ... tinyvrrp uses
# no floating point; the ABI must still match the target's libraries. On
# Debian: gcc-arm-linux-gnueabihf, musl-dev:armhf and
# linux-libc-dev-armhf-cross.
MUSL_TRIPLET := arm-linux-musleabihf
GNU_TRIPLET := arm-linux-gnueabihf
CFLAGS ?= -Os -g -march=armv7-a+fp -mfpu=vfpv3-d16 -mfloat-abi=hard -mthumb
include targets/musl.mk
