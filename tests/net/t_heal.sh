#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A partition heals: the LAN finds the master again whichever router is
# heard first. r1 (150) and r2 (100) at advert_int 1, a client c1 that
# talks to the VIP. r1's bridge port stops forwarding while its link stays
# up: r2 takes over and its GARP / NA moves c1's neighbour entry to r2's
# MAC. Then the port forwards again, and one router's advert is made to
# cross first by freezing the other until it has (a frozen router reads
# what waited before its late timers):
#   r2 first: r1, still master, hears a lower priority and re-announces;
#   r1 first: r2 hears a higher priority and steps down, sending one advert
#      of its own priority as it goes (higher_prio_send_advert, on by
#      default), so r1 hears a lower priority and re-announces all the same.
# Either way, from the heal: one holder (r1) within advert_int + 0.5 s;
# c1's entry points at r1's MAC and a ping of the VIP is answered within
# advert_int + 1 s; r1 never leaves MASTER; r2 steps down once, sends at
# most one advert doing so and no GARP / NA afterwards (its pending second
# burst is cancelled). Pairs: tinyvrrp on both routers, and keepalived as
# the winner (r1) with tinyvrrp as the loser. VRRPv3, IPv4 and IPv6.
# timeout: 240
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL" keepalived

vrrp_of() { echo "src host $(tv_src "$1") and (ip proto 112 or ip6 proto 112)"; }
# announce_of NODE: GARPs (ARP with sender MAC NODE's) or unsolicited NAs
# (ICMPv6 type 136) from NODE's MAC.
announce_of() {
	if [ "$TV_FAM" = 4 ]; then echo "arp and ether src $(tv_mac "$1")"
	else echo "ether src $(tv_mac "$1") and icmp6 and ip6[40] == 136"; fi
}
# after_advert_of NODE: returns once the capture on sw holds a new advert
# from NODE.
after_advert_of() {
	local f
	f=$(vrrp_of "$1")
	tv_wait_until $((TV_INT_MS * 2 + 1000)) tv_cap_grew sw "$f" "$(tv_cap_count sw "$f")"
}
# c1_neigh_is NODE: c1's neighbour entry for the VIP holds NODE's MAC.
c1_neigh_is() {
	ip -n "$(tv_ns c1)" neigh show "$TV_VIP" dev eth0 2>/dev/null | grep -q "lladdr $(tv_mac "$1")"
}
c1_ping() { tv_exec c1 ping -c 1 -W 1 "$TV_VIP" >/dev/null 2>&1; }
# count_since CAPTURE T_MS BPF: packets matching BPF captured at T_MS or later.
count_since() {
	tcpdump -r "$(tv_pcap "$1")" -n -tt "$3" 2>/dev/null |
		awk -v t="$2" '{ split($1, s, "."); if (s[1] * 1000 + substr(s[2] "000", 1, 3) >= t) n++ } END { print n + 0 }'
}

# heal ORDER I1 I2: ORDER r1 or r2 is heard first after the heal.
heal() {
	local order=$1 i1=$2 i2=$3 quiet t0 n max one
	tv_log "-- $order heard first: r1 $i1 (150) + r2 $i2 (100)"
	tv_topo || { tv_fail "topology"; return; }
	tv_cap_start sw sw || return
	tv_pair "$i1" "$i2" || return
	tv_check "c1 reaches the VIP on r1" tv_wait_until 3000 c1_ping
	tv_check "c1's entry holds r1's MAC" c1_neigh_is r1
	# Its second burst (garp_master_delay, 5 s) must not be what repairs
	# the client after the heal: a real partition lasts longer.
	tv_check "r1 has sent both GARP / NA bursts of a new master" \
		tv_wait_until 8000 tv_cap_grew sw "$(announce_of r1)" 9

	tv_block r1
	tv_check "partitioned, r2 takes the VIP too within MDI + 1 s" \
		tv_wait_until $(($(tv_mdi_ms 100) + 1000)) tv_has_vip r2
	tv_check "r2's GARP / NA moved c1's entry to r2's MAC" tv_wait_until 2000 c1_neigh_is r2
	tv_check "r1 is still master on its side" tv_has_vip r1

	quiet=r2; [ "$order" = r2 ] && quiet=r1
	tv_freeze "$quiet"
	t0=$(tv_now_ms)
	tv_unblock r1
	tv_log "healed; $order's advert goes first"
	tv_check "$order's advert crossed the healed bridge" after_advert_of "$order"
	tv_thaw "$quiet"
	tv_check "one holder (r1) within advert_int + 0.5 s of the heal" \
		tv_wait_until $((t0 + TV_INT_MS + 500 - $(tv_now_ms))) tv_only r1
	one=$(($(tv_now_ms) - t0))
	tv_check "c1's entry holds r1's MAC within advert_int + 1 s of the heal" \
		tv_wait_until $((t0 + TV_INT_MS + 1000 - $(tv_now_ms))) c1_neigh_is r1
	tv_log "figures: one master $one ms, c1 back on r1 $(($(tv_now_ms) - t0)) ms after the heal (sampled every 20 ms)"
	tv_check "c1 reaches the VIP" c1_ping
	tv_check "one holder (r1) for 2 s" tv_hold_for 2000 tv_only r1 ||
		tv_log "broke after $TV_HELD_MS ms: '$(tv_holders)'"
	tv_cap_stop sw

	tv_check "r1 ($i1) never left MASTER" tv_not tv_logged r1 "Entering (BACKUP|FAULT) STATE\$"
	n=$(tv_log_count r2 "Entering BACKUP STATE\$")
	tv_check "r2 ($i2) stepped down once ($n)" [ "$n" = 1 ]
	# r2's adverts since the heal: the one that crossed first (order r2),
	# and at most one as it stepped down.
	n=$(count_since sw "$t0" "$(vrrp_of r2)")
	max=1; [ "$order" = r2 ] && max=2
	tv_check "r2 sent at most $max advert(s) after the heal ($n)" [ "$n" -le "$max" ]
	n=$(count_since sw "$t0" "$(announce_of r2)")
	tv_check "r2 announced nothing after the heal ($n)" [ "$n" = 0 ]
	n=$(count_since sw "$t0" "$(announce_of r1)")
	tv_check "r1 announced its VIP after the heal ($n)" [ "$n" -gt 0 ]
}

pairs="tinyvrrp:tinyvrrp keepalived:tinyvrrp"
[ "$TV_IMPL" = keepalived ] && pairs="keepalived:keepalived"
for v in $TV_VARIANTS; do
	case $v in v2-*) continue ;; esac
	tv_variant "$v" || exit 1
	TV_INT=1 TV_INT_MS=1000
	for p in $pairs; do
		for order in r2 r1; do
			tv_timed heal "$order" "${p%:*}" "${p#*:}"
			tv_teardown
		done
	done
done
tv_finish
