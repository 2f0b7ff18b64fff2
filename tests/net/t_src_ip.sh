#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The configured advert source, unicast_src_ip and mcast_src_ip, with
# keepalived 2.2.7 as the peer in both roles, in every variant. The source
# is an address the interface's default would never pick: a secondary IPv4
# address, a global IPv6 one (the default is the link-local), so an advert
# from the wrong source (or 0.0.0.0) shows, and so does a VRRPv3 checksum
# computed over it.
#  pairs: r1 (150) and r2 (100) send from their configured addresses, to
#     each other (unicast_peer names the other's source) or to the group;
#     exactly one holder; failover both ways; on the bridge every advert
#     comes from a configured source with a good checksum; neither side
#     complains of what it received.
#  churn (tinyvrrp as r2, keepalived as r1, unicast): r2's unicast_src_ip is
#     not on the host at start: FAULT, said once, nothing sent; it appears:
#     BACKUP; a reload moves the source to another address, which the
#     adverts then carry; that address is deleted while r2 is master: FAULT,
#     VIP released.
# timeout: 300
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL" keepalived

COMPLAINT='[Ii]nvalid|mismatch|wrong|received an invalid passwd|expected [0-9]+ VIPs'

# src_of NODE [N]: NODE's configured source: 198.18.1.(N + index) as a
# secondary IPv4 address, or 2001:db8:1::(N + index); N is 20 by default.
src_of() {
	local i
	i=$(($(tv_node_index "$1") + ${2:-20}))
	if [ "$TV_FAM" = 4 ]; then echo "198.18.1.$i"; else echo "2001:db8:1::$i"; fi
}
src_add() {
	if [ "$TV_FAM" = 4 ]; then ip -n "$(tv_ns "$1")" addr add "$2/24" dev eth0
	else ip -n "$(tv_ns "$1")" addr add "$2/64" dev eth0 nodad; fi
}
src_del() { ip -n "$(tv_ns "$1")" addr del "$2/$([ "$TV_FAM" = 4 ] && echo 24 || echo 64)" dev eth0; }

# src_conf FILE PRIO MODE SRC PEER [tv_conf keys...]: one instance sending
# from SRC; MODE unicast (to PEER) or mcast.
src_conf() {
	local f=$1 prio=$2 mode=$3 src=$4 peer=$5 blk auth=()
	shift 5
	[ "$TV_VER" = 2 ] && auth=(auth=s3cret)
	tv_conf "$f" prio="$prio" "${auth[@]}" "$@" || return 1
	if [ "$mode" = unicast ]; then
		blk="\\n    unicast_src_ip $src\\n    unicast_peer {\\n        $peer\\n    }"
	else
		blk="\\n    mcast_src_ip $src"
	fi
	sed -i "s/^    advert_int .*/&$blk/" "$f"
	grep -q "_src_ip $src\$" "$f"
}

# sources_ok WHAT ALLOWED...: every VRRP packet on the bridge came from one
# of the ALLOWED addresses with a good checksum, and each of them sent.
sources_ok() {
	local what=$1 seen a want=""; shift
	seen=$(tv_tshark sw "vrrp && !icmp && !icmpv6" "$TV_IPF.src" vrrp.checksum.status | sort -u)
	for a in "$@"; do want="$want$a|1"$'\n'; done
	want=$(sort -u <<<"${want%$'\n'}")
	if [ "$seen" = "$want" ]; then tv_log "ok: $what ($(tr '\n' ' ' <<<"$seen"))"; return 0; fi
	tv_fail "$what: expected '$(tr '\n' ' ' <<<"$want")', saw '$(tr '\n' ' ' <<<"$seen")'"
}

# pair MODE I1 I2: r1 (I1, 150) and r2 (I2, 100), each from its src_of.
pair() {
	local mode=$1 i1=$2 i2=$3 s1 s2
	tv_log "-- $mode: r1 $i1 (150) + r2 $i2 (100)"
	tv_topo || { tv_fail "topology"; return; }
	s1=$(src_of r1); s2=$(src_of r2)
	src_add r1 "$s1" && src_add r2 "$s2" || return
	src_conf "$TV_RUN/r1.conf" 150 "$mode" "$s1" "$s2" || return
	src_conf "$TV_RUN/r2.conf" 100 "$mode" "$s2" "$s1" || return
	tv_cap_start sw sw || return
	tv_start_pair "$i1" "$i2" "r1 ($i1) alone holds the VIP within MDI + 2 s" tv_only r1 || return
	tv_check "exactly one holder (r1) at every sample for 2 s" \
		tv_hold_for 2000 tv_only r1 || tv_log "broke after $TV_HELD_MS ms: '$(tv_holders)'"
	tv_check "r2 ($i2) logs BACKUP, never MASTER" eval \
		'tv_logged r2 "Entering BACKUP STATE" && ! tv_logged r2 "Entering MASTER STATE"'

	tv_signal_stop r1
	tv_check "r2 ($i2) alone holds the VIP within Skew_Time + 1 s" \
		tv_wait_until $(($(tv_skew_ms 100) + 1000)) tv_only r2
	tv_wait_stopped r1
	tv_check "exactly one holder (r2) for 1 s" tv_hold_for 1000 tv_only r2 ||
		tv_log "broke after $TV_HELD_MS ms: '$(tv_holders)'"
	TMPDIR=$TV_RUN/r1 tv_start r1 "$i1" "$TV_RUN/r1.conf" || return
	tv_check "r1 ($i1) alone holds the VIP again within MDI + 1.5 s" \
		tv_wait_until $(($(tv_mdi_ms 150) + 1500)) tv_only r1
	tv_check "r2 ($i2) yielded to r1's advert from $s1" \
		tv_wait_log r2 "$(tv_yield_re "$s1" 150 100)" 1000
	tv_check "exactly one holder (r1) for 1 s" tv_hold_for 1000 tv_only r1 ||
		tv_log "broke after $TV_HELD_MS ms: '$(tv_holders)'"
	tv_cap_stop sw

	sources_ok "every advert from $s1 or $s2, checksum good" "$s1" "$s2"
	tv_check "no receive complaint from r1 ($i1)" tv_not tv_logged_any r1 "$COMPLAINT"
	tv_check "no receive complaint from r2 ($i2)" tv_not tv_logged_any r2 "$COMPLAINT"
}

r2_sent() { tv_cap_grew sw "src host $1 and (ip proto 112 or ip6 proto 112)" 0; }
r2_sent_any() {
	tv_cap_grew sw "(src host $(tv_ip4 r2) or src host $(tv_ip6 r2) or src host $(tv_ll6 r2) or src host $1 or src host 0.0.0.0) and (ip proto 112 or ip6 proto 112)" 0
}

# churn: r2 (tinyvrrp) waits for its source, follows a reload, and loses it.
churn() {
	local s1 s2 s2b
	tv_log "-- churn: r1 keepalived (150) + r2 tinyvrrp (100), unicast"
	tv_topo || { tv_fail "topology"; return; }
	s1=$(src_of r1); s2=$(src_of r2); s2b=$(src_of r2 30)
	src_add r1 "$s1" || return
	src_conf "$TV_RUN/r1.conf" 150 unicast "$s1" "$s2" || return
	src_conf "$TV_RUN/r2.conf" 100 unicast "$s2" "$s1" || return
	tv_cap_start sw sw || return
	tv_start_pair keepalived tinyvrrp "r1 alone holds the VIP within MDI + 2 s" tv_only r1 || return
	tv_check "r2 says its source $s2 is missing" tv_wait_log r2 \
		"\\(VI_1\\) unicast_src_ip $s2 is not an address of this host; staying in FAULT until it is" 2000
	tv_check "r2 is in FAULT" tv_wait_until 2000 tv_state_is r2 VI_1 FAULT
	tv_check "r1 alone holds the VIP for 1.5 s while r2 waits" tv_hold_for 1500 tv_only r1
	# Another address coming is not the one r2 waits for.
	src_add r2 "$(src_of r2 40)" || return
	tv_check "r2 stays in FAULT when another address appears" tv_hold_for 300 tv_state_is r2 VI_1 FAULT
	tv_check "r2 sent nothing while it waited" tv_not r2_sent_any "$s2"
	tv_check "r2 said it once" [ "$(tv_log_count r2 'is not an address of this host')" = 1 ]

	src_add r2 "$s2" || return
	# r1 has been resolving s2 in vain (ARP / ND) and would probe again
	# only after its 1 s retransmit timer: longer than r2's MDI at 0.1 s.
	# That is the network's delay, not r2's to judge: start afresh.
	ip -n "$(tv_ns r1)" neigh flush dev eth0
	tv_check "r2 enters BACKUP within 1 s of its source appearing" \
		tv_wait_until 1000 tv_state_is r2 VI_1 BACKUP
	tv_check "r1 alone holds the VIP for 1 s" tv_hold_for 1000 tv_only r1

	# Reload: the source moves to s2b (r1 keeps sending to s2, still r2's).
	src_add r2 "$s2b" || return
	sed -i "s/unicast_src_ip $s2\$/unicast_src_ip $s2b/" "$TV_RUN/r2.conf"
	kill -HUP "${TV_PID[r2]}"
	tv_check "r2 reloaded" tv_wait_log r2 "Reload complete" 3000
	tv_signal_stop r1
	tv_check "r2 alone holds the VIP within Skew_Time + 1 s" \
		tv_wait_until $(($(tv_skew_ms 100) + 1000)) tv_only r2
	tv_wait_stopped r1
	tv_check "r2 sends from $s2b after the reload" tv_wait_until 3000 r2_sent "$s2b"
	tv_check "r2 never sent from $s2" tv_not r2_sent "$s2"

	# Its source deleted while master: FAULT, the VIP goes.
	src_del r2 "$s2b" || return
	tv_check "r2 enters FAULT within 1 s of losing its source" \
		tv_wait_until 1000 tv_state_is r2 VI_1 FAULT
	tv_check "r2 released the VIP" tv_wait_until 1000 tv_nobody
	tv_check "r2 says why" tv_logged r2 "unicast_src_ip $s2b is not an address of this host"
	tv_cap_stop sw
	sources_ok "every advert from $s1 or $s2b, checksum good" "$s1" "$s2b"
	tv_check "no receive complaint from r1 (keepalived)" tv_not tv_logged_any r1 "$COMPLAINT"
}

pairs="tinyvrrp:keepalived keepalived:tinyvrrp"
[ "$TV_IMPL" = keepalived ] && pairs="keepalived:keepalived"
for v in $TV_VARIANTS; do
	tv_variant "$v" || exit 1
	for mode in unicast mcast; do
		for p in $pairs; do
			tv_timed pair "$mode" "${p%:*}" "${p#*:}"
			tv_teardown
		done
	done
	if [ "$TV_IMPL" = tinyvrrp ]; then
		tv_timed churn
		tv_teardown
	fi
done
tv_finish
