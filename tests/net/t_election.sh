#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Election: the higher priority becomes master and alone holds the VIP; the
# wire shows its adverts only, well formed (RFC 5798 5.1.1.3 TTL/hop limit
# 255, 5.1.2.3 IPv6 source link-local, checksum per 5.2.8), and the client
# sees the takeover announced (GARP / unsolicited NA, RFC 5798 6.4.2) and can
# reach the VIP through the master.
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"

run() {
	local adv mac1 ping=(ping)
	tv_topo || { tv_fail "topology"; return; }
	tv_cap_start c1 c1 || return
	local auth=()
	[ "$TV_VER" = 2 ] && auth=(auth=s3cret)
	tv_conf "$TV_RUN/r1.conf" prio=150 state=MASTER "${auth[@]}"
	tv_conf "$TV_RUN/r2.conf" prio=100 "${auth[@]}"
	# r1 first, r2 two advert intervals later (0.62 of r1's
	# Master_Down_Interval): r1 times out first and r2 hears it before its
	# own timer runs out, so r2 never sends.  (Started together, the two
	# timers are only Skew_Time apart, 20 ms at advert_int 0.1, and a stop
	# of the whole machine spanning both would fire them at once.)
	# 'state MASTER' waits the full interval too, as keepalived 2.2.7
	# does: a router joining a running master must hear it first.
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return
	tv_check "r1 (state MASTER) holds no VIP for 2 advert intervals" \
		tv_hold_for $((2 * TV_INT_MS)) tv_nobody
	tv_start r2 "$TV_IMPL" "$TV_RUN/r2.conf" || return

	tv_check "r1 alone holds the VIP within MDI + 2 s" \
		tv_wait_until $(($(tv_mdi_ms 150) + 2000)) tv_only r1 || return
	tv_check "r1 logs MASTER" tv_wait_log r1 '\(VI_1\) Entering MASTER STATE' 1000
	tv_check "r2 logs BACKUP" tv_wait_log r2 '\(VI_1\) Entering BACKUP STATE' 1000
	tv_check "client sees 4 adverts" tv_wait_until $((5 * TV_INT_MS + 1500)) \
		cap_has c1 'ip proto 112 or ip6 proto 112' 4
	if [ "$TV_FAM" = 4 ]; then
		tv_check "client sees a gratuitous ARP" tv_wait_until 2000 cap_has c1 arp 1
	else
		tv_check "client sees a neighbour advertisement" tv_wait_until 2000 \
			cap_has c1 'icmp6 and ip6[40] == 136' 1
	fi
	tv_check "r1 still the only holder" tv_only r1
	tv_check "r2 never became master" tv_not tv_logged r2 'Entering MASTER STATE'
	tv_check "VIP has its prefix length /$TV_PLEN" \
		grep -qF " $TV_VIP/$TV_PLEN " <(ip -n "$(tv_ns r1)" -o addr show dev eth0)
	# A VIP that went through DAD would be unusable for a second, and stay
	# dadfailed after a split brain: it must be added with IFA_F_NODAD.
	[ "$TV_FAM" = 6 ] && tv_check "IPv6 VIP added with nodad" \
		grep -qE " $TV_VIP/$TV_PLEN .*nodad" <(ip -n "$(tv_ns r1)" -o addr show dev eth0)
	tv_cap_stop c1

	# Every advert, field by field: from r1's primary address (IPv4) or
	# link-local (IPv6), to the group, TTL 255, version, VRID 51, priority
	# 150, good checksum, one address = the VIP, interval, auth (v2).
	local want fields
	fields=("$TV_IPF.src" "$TV_IPF.dst" "$TV_TTLF" vrrp.version vrrp.virt_rtr_id
		vrrp.prio vrrp.checksum.status vrrp.addr_count "$TV_ADDRF")
	want="$(tv_src r1)|$TV_GROUP|255|$TV_VER|51|150|1|1|$TV_VIP"
	if [ "$TV_VER" = 2 ]; then
		fields+=(vrrp.adver_int vrrp.auth_type vrrp.auth_string)
		want="$want|1|1|s3cret"
	else
		fields+=(vrrp.short_adver_int)
		want="$want|$((TV_INT_MS / 10))"
	fi
	adv=$(tv_tshark c1 vrrp "${fields[@]}")
	tv_between "adverts captured" "$(grep -c . <<<"$adv")" 3 1000
	tv_all_lines "adverts (${fields[*]})" "$want" "$adv"

	mac1=$(tv_mac r1)
	if [ "$TV_FAM" = 4 ]; then
		# RFC 5798 6.4.2 / keepalived: ARP request, sender = target = VIP,
		# broadcast, from the new master's MAC.
		tv_all_lines "GARP: broadcast request, sender = target = VIP, r1's MAC" \
			"$mac1|ff:ff:ff:ff:ff:ff|1|$TV_VIP|$mac1" \
			"$(tv_tshark c1 "arp.src.proto_ipv4 == $TV_VIP" eth.src eth.dst arp.opcode \
				arp.dst.proto_ipv4 arp.src.hw_mac)"
	else
		# RFC 5798 6.4.2: unsolicited NA from the VIP to all nodes, Override
		# set, Solicited clear, target link-layer option = r1's MAC.
		tv_all_lines "NA: VIP to ff02::1, hop limit 255, O=1 S=0, lladdr r1's MAC" \
			"$mac1|$TV_VIP|ff02::1|255|1|0|$mac1" \
			"$(tv_tshark c1 "icmpv6.type == 136 && icmpv6.nd.na.target_address == $TV_VIP" \
				eth.src ipv6.src ipv6.dst ipv6.hlim icmpv6.nd.na.flag.o \
				icmpv6.nd.na.flag.s icmpv6.opt.linkaddr)"
	fi
	tv_check "no VRRP, ARP or NA from r2" [ -z "$(tv_tshark c1 \
		"eth.src == $(tv_mac r2) && (vrrp || arp || icmpv6.type == 136)" frame.number)" ]

	# The client reaches the VIP, through r1.
	[ "$TV_FAM" = 6 ] && ping=(ping -6)
	tv_check "client reaches the VIP" tv_quiet tv_exec c1 "${ping[@]}" -c 1 -W 2 "$TV_VIP"
	tv_check "client's neighbour entry for the VIP is r1's MAC" \
		grep -qi "lladdr $mac1" <(ip -n "$(tv_ns c1)" neigh show "$TV_VIP")
}

# cap_has NAME BPF N: at least N packets matching.
cap_has() { [ "$(tv_cap_count "$1" "$2")" -ge "$3" ]; }

tv_each_variant run
tv_finish
