#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Equal priority: RFC 5798 6.4.3, a master hearing an advert of the same
# priority from a higher primary address (IPv6: link-local source) yields.
# A backup accepts an equal-priority master (6.4.2), so the tie-break only
# shows when both are master: each router starts partitioned from the other
# (bridge port blocked, carrier up), both become master, the partition heals,
# and r2 (198.18.1.2 / fe80::ff:fe00:102) must end up the only master
# whichever of the two was the one cut off.
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"

both_hold() { [ "$(tv_holders)" = "r1 r2" ]; }

heal() {
	local cut=$1 mdi
	mdi=$(tv_mdi_ms 100)
	tv_log "-- $cut partitioned, both priority 100"
	tv_block "$cut"
	tv_conf "$TV_RUN/r1.conf" prio=100
	tv_conf "$TV_RUN/r2.conf" prio=100
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return
	tv_start r2 "$TV_IMPL" "$TV_RUN/r2.conf" || return
	tv_check "both become master while partitioned" \
		tv_wait_until $((mdi + 2000)) both_hold || return
	tv_unblock "$cut"
	tv_check "r2 (higher address) alone holds the VIP after the heal" \
		tv_wait_until $((2 * TV_INT_MS + 1500)) tv_only r2 || return
	tv_check "r1 yielded with keepalived's words" tv_wait_log r1 \
		"\\(VI_1\\) Master received advert from $(tv_src r2) with same priority 100 but higher IP address than ours" 1000
	tv_check "r1 logs BACKUP" tv_logged r1 '\(VI_1\) Entering BACKUP STATE$'
	tv_check "r2 stays the only holder for MDI" tv_hold_for $((mdi + 500)) tv_only r2
}

stop_all() {
	local n
	for n in r1 r2; do [ -n "${TV_PID[$n]:-}" ] && tv_signal_stop "$n"; done
	for n in r1 r2; do tv_wait_stopped "$n"; done
	tv_unblock r1; tv_unblock r2
}

for v in $TV_VARIANTS; do
	tv_variant "$v" || exit 1
	if tv_topo; then
		heal r1
		stop_all
		tv_check "nobody holds the VIP after stopping both" tv_nobody
		heal r2
	else
		tv_fail "topology"
	fi
	tv_teardown
done
tv_finish
