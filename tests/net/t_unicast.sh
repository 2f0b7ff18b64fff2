#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Unicast peers (unicast_peer, check_unicast_src) with keepalived 2.2.7 as
# the peer, in every variant; IPv6 peers are named by link-local address, as
# real configs do.
#  A: r1 tinyvrrp (150, peers r2 and r3) + r2 keepalived (100, peer r1):
#     exactly one holder at every sample, failover both ways; on the bridge
#     r1's adverts go to r2 and to r3, never to the multicast group, with TTL /
#     hop limit 255 and good checksums (v3: one checksum per peer, the
#     pseudo-header holds the peer's address).  Then c1, not a peer, sends
#     r1 unicast adverts of priority 200: without check_unicast_src r1 takes
#     them (keepalived's default) and yields.
#  B: r1 keepalived (150, peer r2) + r2 tinyvrrp (100, peer r1,
#     check_unicast_src): r3, not r2's peer, sends r2 unicast adverts of
#     priority 200: r2 drops and counts them (Source); then r3 sends multicast
#     adverts of priority 200 for the same VRID: dropped and counted too; r1
#     stays the only holder throughout; failover both ways.
# With TV_IMPL=keepalived both sides are keepalived (the counters and the
# wire checks of tinyvrrp's adverts are left out): a check of the test.
# timeout: 180
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL" keepalived

COMPLAINT='[Ii]nvalid|mismatch|wrong|received an invalid passwd|expected [0-9]+ VIPs'

# Address NODE is named by in a peer list.
peer_addr() { tv_src "$1"; }

# uc_conf FILE PRIO PEERS EXTRA [tv_conf keys...]: one instance, unicast to
# every node of PEERS (space separated; "" = multicast), EXTRA (a line, or
# "") added to the instance.
uc_conf() {
	local f=$1 prio=$2 peers=$3 extra=$4 n blk=""
	shift 4
	tv_conf "$f" prio="$prio" "$@" || return 1
	if [ -n "$peers" ]; then
		blk="\\n    unicast_peer {"
		for n in $peers; do blk="$blk\\n        $(peer_addr "$n")"; done
		blk="$blk\\n    }"
	fi
	[ -n "$extra" ] && blk="$blk\\n    $extra"
	[ -n "$blk" ] && sed -i "s/^    advert_int .*/&$blk/" "$f"
	[ -z "$peers" ] || grep -q unicast_peer "$f"
}

# Holders among r1 and r2 only: r3 and c1 play intruders, which may well
# take the VIP on their side; what matters is the pair.
pair_only() { TV_ROUTERS="r1 r2" tv_only "$1"; }
pair_holders() { TV_ROUTERS="r1 r2" tv_holders; }

# src_drops NODE: NODE's (tinyvrrp) "Packet Errors / Source" counter of
# VI_1, via SIGUSR2 -> $TMPDIR/keepalived.stats (TMPDIR set per daemon).
src_drops() {
	local f=$TV_RUN/$1/keepalived.stats
	rm -f "$f"
	kill -USR2 "$(tv_vrrp_pid "$1")" 2>/dev/null || return 1
	tv_wait_until 3000 stats_ready "$f" || return 1
	awk '/^VRRP Instance: VI_1$/ { i = 1; next } /^VRRP Instance: / { i = 0 }
		i && /^  Packet Errors:/ { p = 1; next } /^  [A-Z]/ { p = 0 }
		i && p && /^    Source: / { print $2; exit }' "$f"
}
stats_ready() {
	local a b
	grep -q '^Global:' "$1" 2>/dev/null || return 1
	a=$(wc -c <"$1"); sleep 0.02; b=$(wc -c <"$1")
	[ "$a" = "$b" ]
}
src_drops_above() { local v; v=$(src_drops "$1"); [ -n "$v" ] && [ "$v" -gt "$2" ]; }

# failover I1 I2: r1 (master) stops, r2 takes over; r1 comes back, preempts.
failover() {
	local i1=$1 i2=$2
	tv_signal_stop r1
	tv_check "r2 ($i2) alone holds the VIP within Skew_Time + 1 s" \
		tv_wait_until $(($(tv_skew_ms 100) + 1000)) pair_only r2
	tv_wait_stopped r1 && tv_check "r1 ($i1) exited 0" [ "$TV_STOP_RC" = 0 ]
	tv_check "exactly one holder (r2) for 1 s" tv_hold_for 1000 pair_only r2 ||
		tv_log "broke after $TV_HELD_MS ms: '$(pair_holders)'"
	TMPDIR=$TV_RUN/r1 tv_start r1 "$i1" "$TV_RUN/r1.conf" || return 1
	tv_check "r1 ($i1) alone holds the VIP again within MDI + 1.5 s" \
		tv_wait_until $(($(tv_mdi_ms 150) + 1500)) pair_only r1
	tv_check "r2 ($i2) yielded with keepalived's words" \
		tv_wait_log r2 "$(tv_yield_re "$(tv_src r1)" 150 100)" 1000
	tv_check "exactly one holder (r1) for 1 s" tv_hold_for 1000 pair_only r1 ||
		tv_log "broke after $TV_HELD_MS ms: '$(pair_holders)'"
}

# start_pair I1 I2 PEERS1 EXTRA2: r1 (150) unicast to PEERS1, r2 (100)
# unicast to r1 with EXTRA2; returns once r1 alone holds the VIP and r2
# runs (started after that: tv_start_pair).
start_pair() {
	local i1=$1 i2=$2 peers1=$3 extra2=$4 auth=()
	[ "$TV_VER" = 2 ] && auth=(auth=s3cret)
	uc_conf "$TV_RUN/r1.conf" 150 "$peers1" "" "${auth[@]}" || return 1
	uc_conf "$TV_RUN/r2.conf" 100 r1 "$extra2" "${auth[@]}" || return 1
	tv_start_pair "$i1" "$i2" "r1 ($i1) alone holds the VIP within MDI + 2 s" pair_only r1 || return 1
	tv_check "exactly one holder (r1) at every sample for 1.5 s" \
		tv_hold_for 1500 tv_only r1 || tv_log "broke after $TV_HELD_MS ms: '$(tv_holders)'"
	tv_check "r2 ($i2) logs BACKUP, never MASTER" eval \
		'tv_logged r2 "Entering BACKUP STATE" && ! tv_logged r2 "Entering MASTER STATE"'
}

# wire_r1: r1's adverts (r1 runs tinyvrrp, peers r2 and r3) as captured on
# the bridge.
wire_r1() {
	local s1 a2 a3 ads n2 n3 c2 c3
	s1=$(tv_src r1); a2=$(peer_addr r2); a3=$(peer_addr r3)
	ads=$(tv_tshark sw "vrrp && !icmp && !icmpv6 && $TV_IPF.src == $s1" "$TV_IPF.dst" vrrp.virt_rtr_id \
		vrrp.prio "$TV_TTLF" vrrp.checksum.status vrrp.version vrrp.checksum)
	tv_check "r1 sent no advert to the group $TV_GROUP" \
		tv_not grep -q "^$TV_GROUP|" <<<"$ads"
	tv_all_lines "r1's adverts to r2: VRID 51 prio 150 TTL 255 checksum good v$TV_VER" \
		"51|150|255|1|$TV_VER" "$(grep "^$a2|" <<<"$ads" | grep -v '|0|255|' | cut -d'|' -f2-6)"
	tv_all_lines "r1's adverts to r3: VRID 51 prio 150 TTL 255 checksum good v$TV_VER" \
		"51|150|255|1|$TV_VER" "$(grep "^$a3|" <<<"$ads" | grep -v '|0|255|' | cut -d'|' -f2-6)"
	tv_all_lines "r1's goodbyes (priority 0): TTL 255 checksum good" \
		"51|0|255|1|$TV_VER" "$(grep -E "^($a2|$a3)\|51\|0\|" <<<"$ads" | cut -d'|' -f2-6)"
	tv_check "r1 sent only to r2 and r3" \
		tv_not grep -Evq "^($a2|$a3)\|" <<<"$ads"
	n2=$(grep -c "^$a2|51|150|" <<<"$ads"); n3=$(grep -c "^$a3|51|150|" <<<"$ads")
	tv_check "each advert went to both peers ($n2 to r2, $n3 to r3)" \
		eval '[ "$n2" -gt 0 ] && [ $((n2 - n3)) -le 1 ] && [ $((n3 - n2)) -le 1 ]'
	c2=$(grep "^$a2|51|150|" <<<"$ads" | cut -d'|' -f7 | sort -u | tr '\n' ' ')
	c3=$(grep "^$a3|51|150|" <<<"$ads" | cut -d'|' -f7 | sort -u | tr '\n' ' ')
	if [ "$TV_VER" = 3 ]; then
		tv_check "v3: one checksum per peer (pseudo-header): r2 '$c2', r3 '$c3'" \
			eval '[ "$c2" != "$c3" ] && [ "$(wc -w <<<"$c2")" = 1 ]'
	else
		tv_check "v2: the same checksum to both peers: '$c2' '$c3'" \
			eval '[ "$c2" = "$c3" ] && [ "$(wc -w <<<"$c2")" = 1 ]'
	fi
}

# A: r1 tinyvrrp (peers r2, r3), r2 keepalived.
pair_a() {
	local i1=$1 i2=$2 auth=()
	tv_log "-- A: r1 $i1 (150, peers r2 r3) + r2 $i2 (100, peer r1)"
	tv_topo r3 || { tv_fail "topology"; return; }
	tv_cap_start sw sw || return
	start_pair "$i1" "$i2" "r2 r3" "" || return
	failover "$i1" "$i2" || return
	tv_cap_stop sw
	if [ "$i1" = tinyvrrp ]; then wire_r1; fi
	tv_check "r2 ($i2) adverts reached the pair: no complaint from r1" \
		tv_not tv_logged_any r1 "$COMPLAINT"
	tv_check "no receive complaint from r2 ($i2)" tv_not tv_logged_any r2 "$COMPLAINT"

	# c1, no peer of r1, sends it adverts of priority 200: accepted without
	# check_unicast_src, so r1 yields.
	[ "$TV_VER" = 2 ] && auth=(auth=s3cret)
	uc_conf "$TV_RUN/c1.conf" 200 r1 "" state=MASTER "${auth[@]}" || return
	tv_start c1 "$TV_IMPL" "$TV_RUN/c1.conf" || return
	tv_check "r1 ($i1, no check_unicast_src) takes c1's advert and yields" \
		tv_wait_log r1 "$(tv_yield_re "$(tv_src c1)" 200 150)" $((3 * TV_INT_MS + 2000))
}

# B: r1 keepalived, r2 tinyvrrp with check_unicast_src; r3 intrudes.
pair_b() {
	local i1=$1 i2=$2 auth=() before now mc=0
	tv_log "-- B: r1 $i1 (150, peer r2) + r2 $i2 (100, peer r1, check_unicast_src)"
	tv_topo r3 || { tv_fail "topology"; return; }
	tv_cap_start sw sw || return
	start_pair "$i1" "$i2" r2 check_unicast_src || return
	[ "$TV_VER" = 2 ] && auth=(auth=s3cret)

	# r3 unicast to r2, priority 200, r3 not in r2's peers.
	[ "$i2" = tinyvrrp ] && before=$(src_drops r2)
	uc_conf "$TV_RUN/r3.conf" 200 r2 "" state=MASTER "${auth[@]}" || return
	tv_start r3 "$TV_IMPL" "$TV_RUN/r3.conf" || return
	tv_check "r3 sends unicast adverts to r2" tv_wait_until $(($(tv_mdi_ms 200) + 2500)) \
		tv_cap_grew sw "src host $(tv_src r3) and dst host $(peer_addr r2) and (ip proto 112 or ip6)" 2
	if [ "$i2" = tinyvrrp ]; then
		tv_check "r2 counts r3's adverts as Source errors (was ${before:-?})" \
			tv_wait_until $((TV_INT_MS * 3 + 1000)) src_drops_above r2 "${before:-0}"
		tv_check "r2 logs the drop" tv_logged r2 "$(tv_src r3)"
	fi
	tv_check "r1 alone holds the VIP for 1.5 s while r3 sends" tv_hold_for 1500 pair_only r1 ||
		tv_log "broke after $TV_HELD_MS ms: '$(pair_holders)'"
	tv_check "r2 ($i2) never MASTER" tv_not tv_logged r2 "Entering MASTER STATE"
	tv_stop r3

	# r3 multicast, same VRID, priority 200.
	[ "$i2" = tinyvrrp ] && before=$(src_drops r2)
	uc_conf "$TV_RUN/r3.conf" 200 "" "" state=MASTER "${auth[@]}" || return
	mc=$(tv_cap_count sw "src host $(tv_src r3) and dst host $TV_GROUP")
	tv_start r3 "$TV_IMPL" "$TV_RUN/r3.conf" || return
	tv_check "r3 sends multicast adverts" tv_wait_until $(($(tv_mdi_ms 200) + 2500)) \
		tv_cap_grew sw "src host $(tv_src r3) and dst host $TV_GROUP" $((mc + 2))
	if [ "$i2" = tinyvrrp ]; then
		tv_check "r2 counts r3's multicast adverts as Source errors (was ${before:-?})" \
			tv_wait_until $((TV_INT_MS * 3 + 1000)) src_drops_above r2 "${before:-0}"
	fi
	tv_check "r1 alone holds the VIP for 1.5 s while r3 multicasts" \
		tv_hold_for 1500 pair_only r1 || tv_log "broke after $TV_HELD_MS ms: '$(pair_holders)'"
	tv_check "r2 ($i2) never MASTER" tv_not tv_logged r2 "Entering MASTER STATE"
	tv_stop r3

	failover "$i1" "$i2" || return
	tv_cap_stop sw
	if [ "$i2" = tinyvrrp ]; then
		local ads
		ads=$(tv_tshark sw "vrrp && !icmp && !icmpv6 && $TV_IPF.src == $(tv_src r2)" "$TV_IPF.dst" \
			vrrp.virt_rtr_id "$TV_TTLF" vrrp.checksum.status vrrp.version)
		tv_all_lines "r2's adverts: to r1 only, VRID 51 TTL 255 checksum good v$TV_VER" \
			"$(peer_addr r1)|51|255|1|$TV_VER" "$ads"
	fi
	tv_check "no receive complaint from r1 ($i1) about r2" \
		tv_not tv_logged_any r1 "$COMPLAINT"
}

pairs="tinyvrrp:keepalived keepalived:tinyvrrp"
[ "$TV_IMPL" = keepalived ] && pairs="keepalived:keepalived keepalived:keepalived"
for v in $TV_VARIANTS; do
	tv_variant "$v" || exit 1
	p=${pairs%% *}
	pair_a "${p%:*}" "${p#*:}"
	tv_teardown
	p=${pairs#* }
	pair_b "${p%:*}" "${p#*:}"
	tv_teardown
done
tv_finish
