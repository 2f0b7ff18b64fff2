#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interop with keepalived (Debian 12: 2.2.7): mixed pairs, each
# implementation in both roles, VRRPv2 (with PASS authentication) and v3,
# IPv4 and IPv6.  After convergence exactly one router holds the VIP at every
# sample (50 ms apart); the master stops, the other takes over; it comes back
# and preempts.  With TV_IMPL=keepalived the pairs are keepalived on both
# sides: a check of the test itself.
# timeout: 300
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL" keepalived

# receiver-side complaints in keepalived's words (KEEPALIVED.md 13)
COMPLAINT='[Ii]nvalid|mismatch|wrong|received an invalid passwd|expected [0-9]+ VIPs'

pair() {
	local i1=$1 i2=$2 skew mdi1 auth=()
	skew=$(tv_skew_ms 100)
	mdi1=$(tv_mdi_ms 150)
	tv_log "-- r1 $i1 (150) + r2 $i2 (100)"
	[ "$TV_VER" = 2 ] && auth=(auth=s3cret)
	tv_topo || { tv_fail "topology"; return; }
	tv_cap_start c1 c1 || return
	tv_pair "$i1" "$i2" "${auth[@]}" || return
	tv_check "exactly one holder (r1) at every sample for 3 s" \
		tv_hold_for 3000 tv_only r1 || tv_log "broke after $TV_HELD_MS ms: '$(tv_holders)'"
	tv_check "r2 ($i2) logs BACKUP, never MASTER" eval \
		'tv_logged r2 "Entering BACKUP STATE" && ! tv_logged r2 "Entering MASTER STATE"'

	# Failover: the master stops, the other takes over after Skew_Time.
	tv_signal_stop r1
	tv_check "r2 ($i2) alone holds the VIP within Skew_Time + 1 s" \
		tv_wait_until $((skew + 1000)) tv_only r2
	tv_wait_stopped r1 && tv_check "r1 ($i1) exited 0" [ "$TV_STOP_RC" = 0 ]
	tv_check "exactly one holder (r2) for 1.5 s" tv_hold_for 1500 tv_only r2 ||
		tv_log "broke after $TV_HELD_MS ms: '$(tv_holders)'"

	# r1 comes back and preempts.
	tv_start r1 "$i1" "$TV_RUN/r1.conf" || return
	tv_check "r1 ($i1) alone holds the VIP again within MDI + 1.5 s" \
		tv_wait_until $((mdi1 + 1500)) tv_only r1
	tv_check "r2 ($i2) yielded with keepalived's words" \
		tv_wait_log r2 "$(tv_yield_re "$(tv_src r1)" 150 100)" 1000
	tv_check "exactly one holder (r1) for 2 s" tv_hold_for 2000 tv_only r1 ||
		tv_log "broke after $TV_HELD_MS ms: '$(tv_holders)'"
	tv_cap_stop c1

	# Both sides' adverts well formed and accepted.
	tv_all_lines "r1's adverts: VRID 51 prio 150 TTL 255 v$TV_VER checksum good" \
		"51 150 255 1 $TV_VER" \
		"$(tv_adverts c1 "$TV_IPF.src == $(tv_src r1) && vrrp.prio != 0" | cut -d' ' -f3-)"
	tv_all_lines "r1's goodbye: VRID 51 prio 0 TTL 255 v$TV_VER checksum good" \
		"51 0 255 1 $TV_VER" \
		"$(tv_adverts c1 "$TV_IPF.src == $(tv_src r1) && vrrp.prio == 0" | cut -d' ' -f3-)"
	tv_all_lines "r2's adverts: VRID 51 prio 100 TTL 255 v$TV_VER checksum good" \
		"51 100 255 1 $TV_VER" "$(tv_adverts c1 "$TV_IPF.src == $(tv_src r2)" | cut -d' ' -f3-)"
	tv_check "no receive complaint from r1 ($i1)" tv_not tv_logged_any r1 "$COMPLAINT"
	tv_check "no receive complaint from r2 ($i2)" tv_not tv_logged_any r2 "$COMPLAINT"
}

pairs="tinyvrrp:keepalived keepalived:tinyvrrp"
[ "$TV_IMPL" = keepalived ] && pairs="keepalived:keepalived"
for v in $TV_VARIANTS; do
	tv_variant "$v" || exit 1
	for p in $pairs; do
		pair "${p%:*}" "${p#*:}"
		tv_teardown
	done
done
tv_finish
