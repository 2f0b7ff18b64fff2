#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Graceful stop: SIGTERM on the master.  RFC 5798 6.4.3 (Shutdown): it sends
# an advert with priority 0; 6.4.2: the backup then takes over after
# Skew_Time instead of Master_Down_Interval.  The stopped daemon exits 0,
# promptly, and leaves no VIP behind.  With three routers the best backup
# (shortest Skew_Time) is the one that takes over.
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"

run() {
	local skew mdi gap prio0 limit
	skew=$(tv_skew_ms 100)
	mdi=$(tv_mdi_ms 100)
	tv_topo || { tv_fail "topology"; return; }
	tv_pair "$TV_IMPL" "$TV_IMPL" || return
	tv_cap_start stop c1 || return
	tv_check "client sees r1 advertise" tv_wait_until $((2 * TV_INT_MS + 1000)) \
		tv_cap_grew stop 'ip proto 112 or ip6 proto 112' 0 || return

	tv_signal_stop r1 || return
	if ! tv_wait_until $((mdi + 2000)) tv_has_vip r2; then
		tv_fail "r2 did not take the VIP within $((mdi + 2000)) ms of SIGTERM"
		return
	fi
	# Wall clock, polled: a sanity bound.  The exact one (priority-0 advert
	# to the new master's first advert) is taken from the capture below.
	tv_between "SIGTERM -> VIP on r2 (ms; Skew_Time $skew, MDI $mdi)" \
		$(($(tv_now_ms) - TV_TERM_MS[r1])) 0 $((skew + 1500))
	# keepalived needs about a second to exit; tinyvrrp promises 100 ms
	# (the bound leaves room for a loaded test machine).
	limit=3000
	[ "${TV_IMPL_OF[r1]}" = tinyvrrp ] && limit=1000
	if tv_wait_stopped r1 5000; then
		tv_between "SIGTERM -> r1 exited (ms)" "$TV_STOP_MS" 0 "$limit"
		tv_check "r1 exited with status 0" [ "$TV_STOP_RC" = 0 ]
	fi
	tv_check "no VIP left on r1" tv_not tv_has_vip r1
	tv_check "r2 alone holds the VIP" tv_hold_for $((2 * TV_INT_MS)) tv_only r2
	tv_check "r2 logs MASTER" tv_logged r2 '\(VI_1\) Entering MASTER STATE'
	tv_cap_stop stop

	# The priority-0 advert: from r1, well formed, soon after SIGTERM (the
	# capture's clock is the test's).
	prio0=$(tv_tshark stop "vrrp.prio == 0" "$TV_IPF.src" "$TV_TTLF" vrrp.virt_rtr_id \
		vrrp.checksum.status)
	tv_all_lines "priority-0 advert from r1 (src, TTL, VRID, checksum)" \
		"$(tv_src r1)|255|51|1" "$prio0"
	tv_between "SIGTERM -> priority-0 advert on the wire (ms)" \
		$(($(tv_adverts stop 'vrrp.prio == 0' | awk 'NR == 1 { print $1 }') - TV_TERM_MS[r1])) 0 1000
	# From it to r2's first advert: Skew_Time, far below MDI.
	gap=$(tv_adverts stop | awk -v b="$(tv_src r2)" \
		'$4 == 0 && z == "" { z = $1 } $2 == b && z != "" { printf "%.0f\n", $1 - z; exit }')
	tv_between "priority-0 advert -> r2's first advert (ms)" "${gap:--1}" \
		$((skew - 30)) $((skew + 200))
}

three() {
	tv_log "-- three routers: r1 150, r2 100, r3 50"
	tv_topo r3 || { tv_fail "topology"; return; }
	tv_conf "$TV_RUN/r3.conf" prio=50
	tv_pair "$TV_IMPL" "$TV_IMPL" || return
	tv_start r3 "$TV_IMPL" "$TV_RUN/r3.conf" || return
	tv_check "r1 alone holds the VIP for r3's MDI" tv_hold_for "$(tv_mdi_ms 50)" tv_only r1
	tv_signal_stop r1
	tv_check "r2 (next best) alone holds the VIP within Skew_Time + 1 s" \
		tv_wait_until $(($(tv_skew_ms 100) + 1000)) tv_only r2
	tv_wait_stopped r1
	tv_check "r2 keeps it for r3's MDI" tv_hold_for "$(tv_mdi_ms 50)" tv_only r2
	tv_check "r3 ends up backup" tv_state_is r3 VI_1 BACKUP
}

pair_and_three() {
	run
	tv_teardown
	three
}

TV_TIMED=1 tv_each_variant pair_and_three
tv_finish
