# SPDX-License-Identifier: MIT
# Native build with the host compiler and the system libmnl / mbedtls.
CC ?= cc
