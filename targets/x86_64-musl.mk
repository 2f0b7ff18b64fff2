# x86_64 musl. Debian's musl-tools gives musl-gcc; for a fully static binary
# point SYSROOT at a tree with libmnl.a (and mbedtls .a files when a toggle
# needs them), e.g. an OpenWrt SDK staging dir or Alpine's -static packages:
#   make TARGET=x86_64-musl STATIC=1 SYSROOT=/path/to/sysroot
CC = musl-gcc
