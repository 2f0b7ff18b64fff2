#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# keepalived's LVS blocks (the shape of tests/conf/corpus/lvs-tcp-check.conf):
# virtual_server { real_server { TCP_CHECK { } } } with two real servers
# on c1.  tinyvrrp runs the TCP checks for their notify_up / notify_down:
# a real server whose listener is missing goes down after `retry` further
# failures, one that comes back goes up, each with its script run once;
# IPVS is not programmed, which it says exactly once at start.
# timeout: 120
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight tinyvrrp
[ "$TV_IMPL" = tinyvrrp ] || tv_skip "tests tinyvrrp's handling of keepalived's LVS blocks"
PY=/usr/bin/python3
[ -x "$PY" ] || tv_skip "$PY missing (the test's TCP listeners)"
RS1=198.18.1.20 RS2=198.18.1.21 PORT=8080
declare -A LPID

listening() { ip netns exec "$(tv_ns c1)" ss -Hltn "src $1 and sport = :$PORT" 2>/dev/null | grep -q .; }
listener_start() {
	ip netns exec "$(tv_ns c1)" "$PY" -m http.server --bind "$1" "$PORT" \
		>>"$TV_RUN/listener.log" 2>&1 </dev/null &
	LPID[$1]=$!
	tv_check "listener on $1:$PORT" tv_wait_until 5000 listening "$1"
}
listener_stop() {
	local pid=${LPID[$1]:-}
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	tv_wait_until 3000 tv_gone "$pid" || kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "LPID[$1]"
	tv_check "listener on $1 stopped" tv_wait_until 3000 tv_not listening "$1"
}

# notify.sh EVENT SERVER: one line per run.
notified() { [ "$(grep -cx "$1" "$TV_RUN/notify.out" 2>/dev/null)" -eq "${2:-1}" ]; }
nlines() { grep -c . "$TV_RUN/notify.out" 2>/dev/null || echo 0; }

conf() {
	local f=$TV_RUN/r1.conf rs
	tv_conf "$f" prio=150 || return 1
	printf '#!/bin/sh\necho "$1 $2" >>%s\n' "$TV_RUN/notify.out" >"$TV_RUN/notify.sh"
	chmod 755 "$TV_RUN/notify.sh"
	cat >>"$f" <<-EOF
	virtual_server $TV_VIP 80 {
	    delay_loop 1
	    lb_algo rr
	    lb_kind DR
	    persistence_timeout 50
	    protocol TCP
	EOF
	# the first with the tutorials' nb_get_retry, the second with retry
	for rs in "$RS1 nb_get_retry" "$RS2 retry"; do
		set -- $rs
		cat >>"$f" <<-EOF
		    real_server $1 $PORT {
		        weight 1
		        notify_up "$TV_RUN/notify.sh up $1"
		        notify_down "$TV_RUN/notify.sh down $1"
		        TCP_CHECK {
		            connect_timeout 1
		            $2 2
		            delay_before_retry 0.2
		            connect_port $PORT
		        }
		    }
		EOF
	done
	echo "}" >>"$f"
}

run() {
	local ipvs='virtual_server blocks: TCP checks run and notify_up/notify_down fire; IPVS is not programmed by tinyvrrp'
	tv_topo || { tv_fail "topology"; return; }
	ip -n "$(tv_ns c1)" addr add "$RS1/24" dev eth0 &&
		ip -n "$(tv_ns c1)" addr add "$RS2/24" dev eth0 || { tv_fail "real server addresses"; return; }
	conf || { tv_fail "config"; return; }
	: >"$TV_RUN/notify.out"
	# RS1 serves from the start, RS2 does not
	listener_start "$RS1" || return
	tv_start r1 tinyvrrp "$TV_RUN/r1.conf" || return
	tv_check "RS2 down after 2 retries, in keepalived's words" tv_wait_until 5000 \
		tv_logged r1 "TCP_CHECK on service \\[$RS2\\]:tcp:$PORT failed after 2 retries\\."
	tv_check "notify_down ran for RS2" tv_wait_until 3000 notified "down $RS2"
	# real servers start up (keepalived without alpha): RS1 stays quiet
	tv_check "nothing for RS1 while it answers" tv_hold_for 2500 tv_not grep -q "$RS1" "$TV_RUN/notify.out"

	listener_start "$RS2"
	tv_check "RS2 up again" tv_wait_until 4000 \
		tv_logged r1 "TCP connection to \\[$RS2\\]:tcp:$PORT success\\."
	tv_check "notify_up ran for RS2" tv_wait_until 3000 notified "up $RS2"

	listener_stop "$RS1"
	tv_check "RS1 down (nb_get_retry taken as retry)" tv_wait_until 5000 \
		tv_logged r1 "TCP_CHECK on service \\[$RS1\\]:tcp:$PORT failed after 2 retries\\."
	tv_check "notify_down ran for RS1" tv_wait_until 3000 notified "down $RS1"

	# one script run per transition, however many checks ran
	tv_check "each notify ran once, three in all" tv_hold_for 2500 [ "$(nlines)" -eq 3 ]
	tv_check "notify lines: $(tr '\n' ';' <"$TV_RUN/notify.out")" \
		eval 'notified "down $RS2" && notified "up $RS2" && notified "down $RS1"'
	tv_check "the IPVS message exactly once" [ "$(tv_log_count r1 "$ipvs")" -eq 1 ]
	tv_check "the VRRP instance runs alongside" tv_only r1
	tv_check "nb_get_retry noted with its place" \
		tv_logged r1 "r1.conf:[0-9]+: .*'nb_get_retry' is the old HTTP_GET name of 'retry'"
	listener_stop "$RS2"
}

tv_variant "${TV_VARIANTS%% *}" || exit 1
TV_VIP=198.18.1.100 TV_PLEN=24
[ "$TV_FAM" = 4 ] || tv_variant v2-4 || exit 1
run
tv_teardown
tv_finish
