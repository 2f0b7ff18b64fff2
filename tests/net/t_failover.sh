#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Master loss without a goodbye: the link to the master is cut (bridge port
# down), then the master process is frozen (SIGSTOP).  RFC 5798 6.4.2: the
# backup takes over when Master_Down_Timer fires, i.e. Master_Down_Interval
# after the last advert it heard, not before and not much later.  When the
# master comes back it preempts again (6.4.2, Preempt_Mode true) and exactly
# one router holds the VIP.
# timeout: 180
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"

# lost HOW: cut or freeze r1, check the takeover timing, bring r1 back.
lost() {
	local how=$1 t0 mdi gap n k vrrp='ip proto 112 or ip6 proto 112'
	mdi=$(tv_mdi_ms 100)
	tv_log "-- master loss by $how (r2's Master_Down_Interval $mdi ms)"
	tv_cap_start "$how" c1 || return
	n=$(tv_log_count r2 "$(tv_yield_re "$(tv_src r1)" 150 100)")
	# Strike just after an advert, so the time from here to the takeover is
	# Master_Down_Interval give or take the polling.
	tv_check "client sees r1 advertise" tv_wait_until $((2 * TV_INT_MS + 1000)) \
		tv_cap_grew "$how" "$vrrp" 0 || return
	k=$(tv_cap_count "$how" "$vrrp")
	tv_wait_until $((2 * TV_INT_MS + 1000)) tv_cap_grew "$how" "$vrrp" "$k"
	t0=$(tv_now_ms)
	if [ "$how" = cut ]; then tv_link_down r1; else tv_freeze r1; fi
	if ! tv_wait_until $((mdi + 3000)) tv_has_vip r2; then
		tv_fail "r2 did not take the VIP within $((mdi + 3000)) ms of the $how"
		return
	fi
	# Wall clock, polled: a sanity bound; the exact one is in the capture.
	tv_between "$how -> VIP on r2 (ms)" $(($(tv_now_ms) - t0)) \
		$((mdi - 150)) $((mdi + 1500))
	tv_check "r2 logs MASTER" tv_wait_log r2 '\(VI_1\) Entering MASTER STATE' 1000
	tv_check "client sees r2's first advert" tv_wait_until 1000 r2_advertised "$how"

	if [ "$how" = cut ]; then tv_link_up r1; else tv_thaw r1; fi
	# Back from a cut, r1 first waits its own Master_Down_Interval as backup
	# (discarding r2's lower priority); thawed, it is still master and
	# advertises at once.
	tv_check "r1 alone holds the VIP again" \
		tv_wait_until $(($(tv_mdi_ms 150) + TV_INT_MS + 3000)) tv_only r1
	tv_check "r2 yielded with keepalived's words" \
		tv_wait_until 2000 tv_log_count_ge r2 "$(tv_yield_re "$(tv_src r1)" 150 100)" $((n + 1))
	tv_check "exactly one holder (r1) for 3 intervals" \
		tv_hold_for $((3 * TV_INT_MS + 500)) tv_only r1
	tv_cap_stop "$how"

	# On the wire: from r1's last advert to r2's first, Master_Down_Interval.
	gap=$(tv_takeover_gap "$how" r1 r2)
	tv_between "r1's last advert -> r2's first advert (ms)" "${gap:--1}" \
		$((mdi - 60)) $((mdi + 500))
}

r2_advertised() { [ -n "$(tv_takeover_gap "$1" r1 r2)" ]; }

run() {
	tv_topo || { tv_fail "topology"; return; }
	tv_pair "$TV_IMPL" "$TV_IMPL" || return
	lost cut
	tv_check "r1 alone holds the VIP" tv_only r1 || return
	lost freeze
}

TV_TIMED=1 tv_each_variant run
tv_finish
