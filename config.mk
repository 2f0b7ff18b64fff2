# tinyvrrp feature toggles: y or n. A toggle that is n removes its code from
# the binary; a config that needs it is refused with FILE:LINE.
# Sizes are the measured growth of the stripped x86_64 binary (make size).

# VRRPv3 (RFC 5798): centisecond intervals, IPv6.
CONFIG_VRRP_V3 ?= y
# IPv6 instances (needs CONFIG_VRRP_V3).
CONFIG_IPV6 ?= y
