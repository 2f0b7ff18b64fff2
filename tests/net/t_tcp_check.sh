#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# vrrp_tcp_check: the master (r1, priority 150) tracks a TCP service on c1
# with weight -60.  The listener stops: after `fall` failed connects r1's
# priority drops to 90, below r2's 100, and r2 takes over; the listener
# comes back: after `rise` successful connects r1 is at 150 again and
# preempts.  keepalived's log lines appear on the transitions only, and the
# daemon never forks: the check is a non-blocking connect in the loop.
# IPv4 in the v2-4 and v3-4 variants; in v3-6 a link-local service, whose
# scope comes from the interface holding the bindto address.
# timeout: 240
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight tinyvrrp
[ "$TV_IMPL" = tinyvrrp ] || tv_skip "vrrp_tcp_check is tinyvrrp's own block"
PY=/usr/bin/python3
[ -x "$PY" ] || tv_skip "$PY missing (the test's TCP listener)"
PORT=8080
LPID=""

# The service: python's http.server in c1, on c1's address of this family:
# for IPv6 its link-local one, whose link the check learns from the
# interface holding its bindto address (r1's own link-local).
svc_addr() { if [ "$TV_FAM" = 4 ]; then tv_ip4 c1; else tv_ll6 c1; fi; }
svc_bind() { if [ "$TV_FAM" = 4 ]; then tv_ip4 c1; else echo "$(tv_ll6 c1)%eth0"; fi; }
listening() { ip netns exec "$(tv_ns c1)" ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q .; }
listener_start() {
	ip netns exec "$(tv_ns c1)" "$PY" -m http.server --bind "$(svc_bind)" "$PORT" \
		>>"$TV_RUN/listener.log" 2>&1 </dev/null &
	LPID=$!
	tv_check "listener on c1 port $PORT" tv_wait_until 5000 listening
}
listener_stop() {
	[ -n "$LPID" ] || return 0
	kill -TERM "$LPID" 2>/dev/null
	tv_wait_until 3000 tv_gone "$LPID" || kill -KILL "$LPID" 2>/dev/null
	wait "$LPID" 2>/dev/null
	LPID=""
	tv_check "listener on c1 stopped" tv_wait_until 3000 tv_not listening
}

# Zero forks: every poll of the test also looks for a child of the daemon.
FORKS=0
no_children() {
	local pid=${TV_PID[r1]}
	pgrep -P "$pid" >/dev/null && FORKS=$((FORKS + 1))
	[ "$(find "/proc/$pid/task" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)" -le 1 ] ||
		FORKS=$((FORKS + 1))
	return 0
}
nofork() { no_children; "$@"; }

conf_r1() {
	local f=$TV_RUN/r1.conf
	tv_conf "$f" prio=150 || return 1
	sed -i 's/^    virtual_ipaddress {/    track_script {\n        chk_web\n    }\n&/' "$f"
	cat >>"$f" <<-EOF
	vrrp_tcp_check chk_web {
	    connect_ip $(svc_addr)
	    connect_port $PORT
	    $([ "$TV_FAM" = 6 ] && echo "bindto $(tv_ll6 r1)")
	    connect_timeout 1
	    interval 0.2
	    fall 2
	    rise 2
	    weight -60
	}
	EOF
}

run() {
	local up="TCP connection to \\[$(svc_addr)\\]:tcp:$PORT success\\." down n
	down="TCP_CHECK on service \\[$(svc_addr)\\]:tcp:$PORT failed after 1 retries\\."
	tv_topo || { tv_fail "topology"; return; }
	listener_start || return
	conf_r1 || { tv_fail "config"; return; }
	tv_conf "$TV_RUN/r2.conf" prio=100 || return
	tv_start r1 tinyvrrp "$TV_RUN/r1.conf" || return
	tv_start r2 tinyvrrp "$TV_RUN/r2.conf" || return
	tv_check "first check succeeds" tv_wait_until 3000 nofork tv_logged r1 "$up"
	tv_check "r1 alone holds the VIP" \
		tv_wait_until $(($(tv_mdi_ms 150) + 3000)) nofork tv_only r1 || return

	listener_stop
	tv_check "r1 logs the failure in keepalived's words" \
		tv_wait_until 5000 nofork tv_logged r1 "$down"
	tv_check "r1's priority drops by 60" \
		tv_wait_until 1000 tv_logged r1 '\(VI_1\) Changing effective priority from 150 to 90'
	tv_check "r2 takes over" tv_wait_until $((3 * TV_INT_MS + 3000)) nofork tv_only r2
	tv_check "r1 is BACKUP" tv_wait_until 2000 tv_state_is r1 VI_1 BACKUP

	listener_start
	tv_check "r1 preempts back once the service answers" \
		tv_wait_until $((3 * TV_INT_MS + 5000)) nofork tv_only r1
	tv_check "r1's priority is back at 150" \
		tv_logged r1 '\(VI_1\) Changing effective priority from 90 to 150'
	tv_check "r1 holds the VIP for 3 intervals" tv_hold_for $((3 * TV_INT_MS)) nofork tv_only r1
	# transitions only: two successes (start, recovery), one failure,
	# although the check ran every 0.2 s throughout
	n=$(tv_log_count r1 "$up")
	tv_check "success logged on transitions only ($n)" [ "$n" -eq 2 ]
	n=$(tv_log_count r1 "$down")
	tv_check "failure logged on transitions only ($n)" [ "$n" -eq 1 ]
	n=$(tv_log_count r1 "TCP_CHECK|TCP connection")
	tv_check "no other check lines ($n)" [ "$n" -eq 3 ]
	tv_check "r1 never forked (children or threads seen: $FORKS)" [ "$FORKS" -eq 0 ]
	listener_stop
}

for v in $TV_VARIANTS; do
	tv_variant "$v" || exit 1
	FORKS=0
	run
	listener_stop
	tv_teardown
done
tv_finish
