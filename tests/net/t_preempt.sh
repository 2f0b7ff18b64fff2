#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Preemption (RFC 5798 6.4.2: a backup with Preempt_Mode discards adverts of
# lower priority, so its Master_Down_Timer fires and it takes over):
#   preempt       r1 (150) started after r2 (100) becomes master.
#   nopreempt     r1 (150, nopreempt, both state BACKUP) stays backup; it
#                 still takes over when r2 stops.
#   preempt_delay r1 (150, preempt_delay N) takes over, but not before N s
#                 (N chosen larger than the takeover time without delay).
#   higher_prio_send_advert  r2 (100, master) sends one advert as it
#                 yields to r1 (150).
# timeout: 240
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"

# r2_alone [LINE]: start r2 alone (LINE: one more line in its instance)
# and wait until it is master.
r2_alone() {
	tv_conf "$TV_RUN/r2.conf" prio=100
	[ -z "${1:-}" ] || sed -i "s/^    priority 100\$/&\n    $1/" "$TV_RUN/r2.conf"
	tv_start r2 "$TV_IMPL" "$TV_RUN/r2.conf" || return 1
	tv_check "r2 alone holds the VIP" \
		tv_wait_until $(($(tv_mdi_ms 100) + 2000)) tv_only r2
}

stop_all() {
	local n
	for n in r1 r2; do [ -n "${TV_PID[$n]:-}" ] && tv_signal_stop "$n"; done
	for n in r1 r2; do tv_wait_stopped "$n"; done
	tv_check "nobody holds the VIP after stopping both" tv_nobody
}

preempt() {
	local mdi1 t
	mdi1=$(tv_mdi_ms 150)
	tv_log "-- preempt"
	r2_alone || return
	tv_conf "$TV_RUN/r1.conf" prio=150
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return
	if ! tv_wait_until $((mdi1 + 3000)) tv_only r1; then
		tv_fail "r1 did not preempt within $((mdi1 + 3000)) ms"; return
	fi
	# r1 starts as backup and discards r2's adverts: master after its
	# own Master_Down_Interval.
	t=$(($(tv_now_ms) - TV_START_MS[r1]))
	tv_between "r1 start -> r1 alone holds the VIP (ms)" "$t" $((mdi1 - 100)) $((mdi1 + 1500))
	tv_check "r2 yielded with keepalived's words" \
		tv_wait_log r2 "$(tv_yield_re "$(tv_src r1)" 150 100)" 1000
	tv_check "r2 logs BACKUP" tv_logged r2 '\(VI_1\) Entering BACKUP STATE$'
	tv_check "r1 stays the only holder" tv_hold_for $((2 * TV_INT_MS + 500)) tv_only r1
}

nopreempt() {
	local mdi1
	mdi1=$(tv_mdi_ms 150)
	tv_log "-- nopreempt"
	r2_alone || return
	tv_conf "$TV_RUN/r1.conf" prio=150 nopreempt=1
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return
	tv_check "r1 logs BACKUP (init)" \
		tv_wait_log r1 '\(VI_1\) Entering BACKUP STATE \(init\)' 2000
	# Without nopreempt r1 would take over after its Master_Down_Interval
	# (see "preempt"); so it would if it did not hear r2 at all.
	tv_check "r2 keeps the VIP for r1's MDI + 1 interval" \
		tv_hold_for $((mdi1 + TV_INT_MS + 500)) tv_only r2
	tv_check "r1 never became master" tv_not tv_logged r1 'Entering MASTER STATE'
	# nopreempt does not stop a failover.
	tv_signal_stop r2
	tv_check "r1 takes over when r2 stops" \
		tv_wait_until $(($(tv_skew_ms 150) + 2000)) tv_only r1
	tv_wait_stopped r2
}

preempt_delay() {
	local mdi1 d t
	mdi1=$(tv_mdi_ms 150)
	# Longer than r1's takeover without delay, so the delay is what shows.
	d=$((mdi1 / 1000 + 2))
	tv_log "-- preempt_delay $d"
	r2_alone || return
	tv_conf "$TV_RUN/r1.conf" prio=150 pdelay="$d"
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return
	if ! tv_wait_until $((d * 1000 + mdi1 + TV_INT_MS + 3000)) tv_only r1; then
		tv_fail "r1 did not preempt within $((d * 1000 + mdi1 + TV_INT_MS + 3000)) ms"
		return
	fi
	# keepalived: preemption allowed N s after the first lower-priority
	# advert; the takeover follows one Master_Down_Interval later.
	t=$(($(tv_now_ms) - TV_START_MS[r1]))
	tv_between "r1 start -> r1 alone holds the VIP (ms), delay $d s" "$t" \
		$((d * 1000)) $((d * 1000 + mdi1 + TV_INT_MS + 1500))
	tv_check "r1 stays the only holder" tv_hold_for $((2 * TV_INT_MS + 500)) tv_only r1
}

# higher_prio_send_advert (keepalived): r2, master, hears r1's higher
# advert and sends one last advert of its own priority as it yields. It
# can only come from that rule: any later advert r2 sends as master would
# come at its interval, and once it has heard r1 it is backup.
hpsa() {
	local t1 first
	tv_log "-- higher_prio_send_advert"
	r2_alone higher_prio_send_advert || return
	tv_cap_start hp sw || return
	tv_conf "$TV_RUN/r1.conf" prio=150
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return
	tv_check "r1 takes over" tv_wait_until $(($(tv_mdi_ms 150) + 3000)) tv_only r1 || return
	tv_cap_stop hp
	t1=$(tv_adverts hp "$TV_IPF.src == $(tv_src r1)" | awk 'NR == 1 { print $1 }')
	first=$(tv_adverts hp "$TV_IPF.src == $(tv_src r2)" | awk -v t="$t1" '$1 >= t { print $1 - t, $4; exit }')
	tv_log "r2's first advert after r1's first: ${first:-none} (ms after, priority)"
	tv_check "r2 answered r1's first advert with its own priority, within 20 ms" \
		eval '[ -n "$t1" ] && set -- $first && [ "$#" = 2 ] && [ "$1" -le 20 ] && [ "$2" = 100 ]'
}

for v in $TV_VARIANTS; do
	tv_variant "$v" || exit 1
	if tv_topo; then
		for scenario in preempt nopreempt preempt_delay hpsa; do
			$scenario
			stop_all
		done
	else
		tv_fail "topology"
	fi
	tv_teardown
done
tv_finish
