#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Several instances per daemon, different masters: adverts must reach the
# instance of their VRID only (RFC 5798 7.1: drop what matches no configured
# VRID) and, VRIDs being per address family (RFC 5798 5.2.3), the IPv4 and
# IPv6 routers with the same VRID are independent.
#   vrid    VI_1 (VRID 51, VIP .100): r1 150, r2 100
#           VI_2 (VRID 52, VIP .101): r1 100, r2 200
#           A mix-up would make r1's VI_1 yield to r2's priority-200 adverts.
#   family  (v3) VI_4 (IPv4 VRID 51): r1 150, r2 100
#                VI_6 (IPv6 VRID 51): r1 100, r2 200
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"

# both A B VIPA VIPB: A alone holds VIPA and B alone holds VIPB.
both() { tv_only "$1" "$3" && tv_only "$2" "$4"; }

vrid() {
	local mdi
	mdi=$(tv_mdi_ms 150)
	tv_log "-- two VRIDs, two masters"
	tv_conf "$TV_RUN/r1.conf" name=VI_1 vrid=51 prio=150
	tv_conf_add "$TV_RUN/r1.conf" name=VI_2 vrid=52 prio=100 vip="$TV_VIP2"
	tv_conf "$TV_RUN/r2.conf" name=VI_1 vrid=51 prio=100
	tv_conf_add "$TV_RUN/r2.conf" name=VI_2 vrid=52 prio=200 vip="$TV_VIP2"
	# r2 starts once r1 holds the VIP it keeps (tv_start_pair).
	tv_start_pair "$TV_IMPL" "$TV_IMPL" "r1 holds $TV_VIP first" tv_has_vip r1 "$TV_VIP" || return
	tv_check "r1 alone holds $TV_VIP, r2 alone $TV_VIP2" \
		tv_wait_until $((mdi + 2000)) both r1 r2 "$TV_VIP" "$TV_VIP2" || return
	# Who advertises in the steady state (r1 held VI_2 until r2 came).
	tv_cap_start vrid c1 || return
	tv_check "... and so for 3 intervals" \
		tv_hold_for $((3 * TV_INT_MS + 500)) both r1 r2 "$TV_VIP" "$TV_VIP2"
	tv_check "r1 logs VI_1 MASTER, VI_2 BACKUP" eval \
		'tv_state_is r1 VI_1 MASTER && tv_state_is r1 VI_2 BACKUP'
	tv_check "r2 logs VI_1 BACKUP, VI_2 MASTER" eval \
		'tv_state_is r2 VI_1 BACKUP && tv_state_is r2 VI_2 MASTER'
	tv_check "r1's VI_1 never yielded" tv_not tv_logged r1 '\(VI_1\) Entering BACKUP STATE$'
	tv_cap_stop vrid
	tv_all_lines "VRID 51 adverts: r1, priority 150, checksum good" "$(tv_src r1) 150 1" \
		"$(tv_adverts vrid 'vrrp.virt_rtr_id == 51' | cut -d' ' -f2,4,6)"
	tv_all_lines "VRID 52 adverts: r2, priority 200, checksum good" "$(tv_src r2) 200 1" \
		"$(tv_adverts vrid 'vrrp.virt_rtr_id == 52' | cut -d' ' -f2,4,6)"

	# r2 stops: r1 takes VI_2 over too, VI_1 untouched.
	tv_signal_stop r2
	tv_check "r1 alone holds both VIPs after r2 stops" tv_wait_until \
		$(($(tv_skew_ms 100) + 1000)) both r1 r1 "$TV_VIP" "$TV_VIP2"
	tv_wait_stopped r2
	tv_check "r1's VI_1 still never yielded" tv_not tv_logged r1 '\(VI_1\) Entering BACKUP STATE$'
}

family() {
	local mdi v4=198.18.1.100 v6=2001:db8:1::100
	mdi=$(tv_mdi_ms 150)
	tv_log "-- VRID 51 for IPv4 and for IPv6, two masters"
	tv_conf "$TV_RUN/r1.conf" name=VI_4 prio=150 vip="$v4" plen=24
	tv_conf_add "$TV_RUN/r1.conf" name=VI_6 prio=100 vip="$v6" plen=64
	tv_conf "$TV_RUN/r2.conf" name=VI_4 prio=100 vip="$v4" plen=24
	tv_conf_add "$TV_RUN/r2.conf" name=VI_6 prio=200 vip="$v6" plen=64
	tv_start_pair "$TV_IMPL" "$TV_IMPL" "r1 holds $v4 first" tv_has_vip r1 "$v4" || return
	tv_check "r1 alone holds $v4, r2 alone $v6" \
		tv_wait_until $((mdi + 2000)) both r1 r2 "$v4" "$v6" || return
	tv_cap_start family c1 || return
	tv_check "... and so for 3 intervals" \
		tv_hold_for $((3 * TV_INT_MS + 500)) both r1 r2 "$v4" "$v6"
	tv_check "r1's VI_4 never yielded" tv_not tv_logged r1 '\(VI_4\) Entering BACKUP STATE$'
	tv_cap_stop family
	tv_all_lines "IPv4 VRID 51 adverts: r1, priority 150" "$(tv_ip4 r1)|51|150|1" \
		"$(tv_tshark family 'vrrp && ip' ip.src vrrp.virt_rtr_id vrrp.prio vrrp.checksum.status)"
	tv_all_lines "IPv6 VRID 51 adverts: r2, priority 200" "$(tv_ll6 r2)|51|200|1" \
		"$(tv_tshark family 'vrrp && ipv6' ipv6.src vrrp.virt_rtr_id vrrp.prio vrrp.checksum.status)"
}

# Measured runs (tv_measured): at advert_int 0.1, a stop of the whole machine
# for 0.26 s or more lets r2 take VRID 51 over for an advert when it resumes.
for v in $TV_VARIANTS; do
	tv_variant "$v" || exit 1
	TV_TIMED=1 tv_in_topology vrid
	[ "$TV_VER" = 3 ] || continue
	TV_TIMED=1 tv_in_topology family
done
tv_finish
