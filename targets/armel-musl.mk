# SPDX-License-Identifier: MIT
# 32-bit ARM, soft float (EABI, ARMv5TE and later): OpenWrt's kirkwood,
# orion ... On Debian: gcc-arm-linux-gnueabi, musl-dev:armel and
# linux-libc-dev-armel-cross.
MUSL_TRIPLET := arm-linux-musleabi
GNU_TRIPLET := arm-linux-gnueabi
CFLAGS ?= -Os -g -march=armv5te -mfloat-abi=soft
include targets/musl.mk
