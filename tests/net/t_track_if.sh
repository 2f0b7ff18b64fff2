#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# track_interface (keepalived): r1 (priority 150) tracks a second interface,
# eth1.  With weight -60 its loss lowers r1 to 90 and r2 (100) takes over;
# with weight 0 its loss puts r1 in FAULT.  Either way r1 is master again
# once eth1 is back.
# timeout: 240
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"

# eth1 on r1, on a second switch (br1) of its own.
add_eth1() {
	local sw ns
	sw=$(tv_ns sw); ns=$(tv_ns r1)
	ip -n "$sw" link add br1 type bridge stp_state 0 forward_delay 0 &&
	ip -n "$sw" link set br1 up &&
	ip -n "$sw" link add q-r1 type veth peer name eth1 netns "$ns" &&
	ip -n "$sw" link set q-r1 master br1 &&
	ip -n "$sw" link set q-r1 up &&
	ip -n "$ns" link set eth1 up
}
eth1() { ip -n "$(tv_ns sw)" link set q-r1 "$1"; }

# track WEIGHT: r1 tracks eth1 with that weight.
track() {
	local w=$1 n mdi
	mdi=$(tv_mdi_ms 100)
	tv_log "-- track_interface eth1 weight $w"
	tv_conf "$TV_RUN/r1.conf" prio=150
	sed -i "s/^    interface eth0\$/&\n    track_interface {\n        eth1 weight $w\n    }/" "$TV_RUN/r1.conf"
	tv_conf "$TV_RUN/r2.conf" prio=100
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return
	tv_start r2 "$TV_IMPL" "$TV_RUN/r2.conf" || return
	tv_check "r1 alone holds the VIP" tv_wait_until $(($(tv_mdi_ms 150) + 2000)) tv_only r1 || return
	tv_check "no track_interface warning" tv_not tv_logged r1 'not acted on'
	eth1 down
	if [ "$w" = 0 ]; then
		tv_check "r1 goes to FAULT" tv_wait_log r1 '\(VI_1\) Entering FAULT STATE' 2000
	else
		tv_check "r1's priority drops to $((150 + w))" \
			tv_wait_log r1 "\\(VI_1\\) Changing effective priority from 150 to $((150 + w))" 2000
		tv_check "r1 yields to r2" tv_wait_log r1 '\(VI_1\) Entering BACKUP STATE$' $((mdi + 2000))
	fi
	tv_check "r2 alone holds the VIP" tv_wait_until $((mdi + 2000)) tv_only r2
	tv_check "... and keeps it for 3 intervals" tv_hold_for $((3 * TV_INT_MS + 300)) tv_only r2
	n=$(tv_log_count r1 'Entering MASTER STATE')
	eth1 up
	[ "$w" != 0 ] && tv_check "r1's priority back to 150" \
		tv_wait_log r1 "\\(VI_1\\) Changing effective priority from $((150 + w)) to 150" 2000
	tv_check "r1 alone holds the VIP again" \
		tv_wait_until $(($(tv_mdi_ms 150) + TV_INT_MS + 3000)) tv_only r1
	tv_check "r1 became MASTER once more" tv_log_count_ge r1 'Entering MASTER STATE' $((n + 1))
	tv_stop r1
	tv_stop r2
}

for v in $TV_VARIANTS; do
	tv_variant "$v" || exit 1
	tv_topo || { tv_fail "topology"; exit 1; }
	add_eth1 || { tv_fail "eth1"; exit 1; }
	track -60
	track 0
	tv_teardown
done
tv_finish
