# tinyvrrp feature toggles: y or n. A toggle that is n removes its code from
# the binary; a config that needs it is refused with FILE:LINE.
# Sizes are the measured growth of the stripped x86_64 binary (make size).

# VRRPv3 (RFC 5798): centisecond intervals, IPv6.
CONFIG_VRRP_V3 ?= y
# IPv6 instances (needs CONFIG_VRRP_V3).
CONFIG_IPV6 ?= y
# keepalived's IPsec AH authentication (auth_type AH, VRRPv2/IPv4),
# HMAC-MD5-96 through mbedtls: +2.1 KB (text 1973, data 72, bss 128) and a
# libmbedcrypto.so dependency; statically linked, Debian's libmbedcrypto.a
# adds about 43 KB more (md.c brings every hash in). n: no mbedtls at all.
CONFIG_AUTH_AH ?= y
# TCP connect checks without forking: vrrp_tcp_check blocks (tracked like a
# vrrp_script) and the TCP_CHECKs of keepalived's virtual_server blocks
# (notify_up / notify_down; IPVS is not programmed): +4.0 KB (text 5204,
# data 408, bss 16). The virtual_server reader stays either way (dumps match).
# n: vrrp_tcp_check is refused, virtual_server TCP_CHECKs are not run.
CONFIG_TCP_CHECK ?= y
