# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Helpers of tests/init/run: result counting, bounded waits, network
# namespaces and the processes started in them, cleaned up on EXIT.
#
# Every namespace is named ${TI_P}NAME-r (the router, where the daemon runs)
# or ${TI_P}NAME-p (its peer), TI_P = tvinit<PID>-, joined by one veth pair
# "eth0" with 198.51.100.1/24 and .2/24.  Nothing outside them is touched.

TI_P=tvinit$$-
TI_PASS=0
TI_FAIL=0
TI_NS=()	# namespaces to delete
TI_SUP=()	# supervisor pids (runsv, s6-supervise) to stop

ti_ok() { TI_PASS=$((TI_PASS + 1)); echo "ok: $*"; }
ti_ko() { TI_FAIL=$((TI_FAIL + 1)); echo "FAIL: $*"; }

# ti_check DESCRIPTION CMD...: one counted assertion.
ti_check() {
	local what=$1; shift
	if "$@"; then ti_ok "$what"; else ti_ko "$what"; fi
}

ti_not() { ! "$@"; }
ti_quiet() { "$@" >/dev/null 2>&1; }

ti_now_ms() { date +%s%3N; }

# ti_wait TIMEOUT_MS CMD...: poll CMD every 20 ms until it succeeds or the
# deadline passes.
ti_wait() {
	local timeout=$1; shift
	local end=$(($(ti_now_ms) + timeout))
	while :; do
		"$@" && return 0
		[ "$(ti_now_ms)" -ge "$end" ] && return 1
		sleep 0.02
	done
}

# ti_topo NAME: the namespace pair of one scenario; TI_R is the router's.
# (Not in $(...): the namespaces must be recorded here for the cleanup.)
ti_topo() {
	local r=${TI_P}$1-r p=${TI_P}$1-p
	# shellcheck disable=SC2034 # read by the caller
	TI_R=$r
	ip netns add "$r" || return 1
	TI_NS+=("$r")
	ip netns add "$p" || return 1
	TI_NS+=("$p")
	ip -n "$r" link add eth0 type veth peer name eth0 netns "$p" || return 1
	ip -n "$r" addr add 198.51.100.1/24 dev eth0 || return 1
	ip -n "$p" addr add 198.51.100.2/24 dev eth0 || return 1
	local ns
	for ns in "$r" "$p"; do
		ip -n "$ns" link set lo up && ip -n "$ns" link set eth0 up || return 1
	done
}

# ti_conf FILE VIP...: a single MASTER instance on eth0 holding the VIPs.
ti_conf() {
	local f=$1 v; shift
	{
		printf 'global_defs {\n\trouter_id init-test\n}\n'
		printf 'vrrp_instance VI_1 {\n\tstate MASTER\n\tinterface eth0\n'
		printf '\tvirtual_router_id 51\n\tpriority 150\n\tadvert_int 1\n'
		printf '\tvirtual_ipaddress {\n'
		for v in "$@"; do printf '\t\t%s/24\n' "$v"; done
		printf '\t}\n}\n'
	} >"$f.new" && mv "$f.new" "$f"
}

# ti_has_vip NS ADDR: ADDR is configured in NS.
ti_has_vip() { ip -n "$1" -4 addr show dev eth0 2>/dev/null | grep -q "inet $2/"; }
ti_no_vip() { ! ti_has_vip "$@"; }

# ti_daemons NS: pids of VRRP daemons (tinyvrrp, or it under the name
# keepalived) running in NS.
ti_daemons() {
	local pid comm
	for pid in $(ip netns pids "$1" 2>/dev/null); do
		comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
		case $comm in tinyvrrp | keepalived) echo "$pid" ;; esac
	done
}
ti_no_daemon() { [ -z "$(ti_daemons "$1")" ]; }

ti_alive() { [ -d "/proc/$1" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
ti_dead() { ! ti_alive "$1"; }

ti_grep() { grep -q -- "$2" "$1" 2>/dev/null; }
ti_count_ge() { [ "$(grep -c -- "$2" "$1" 2>/dev/null)" -ge "$3" ]; }

# On EXIT: supervisors first (TERM makes runsv and s6-supervise take their
# service down and exit), then whatever still runs in our namespaces, then
# the namespaces.
ti_cleanup() {
	local pid ns left sup=()
	# Only those still running as what was started (a pid may be reused).
	for pid in "${TI_SUP[@]}"; do
		case $(cat "/proc/$pid/comm" 2>/dev/null) in
		runsv | s6-supervise | python3) sup+=("$pid") ;;
		esac
	done
	for pid in "${sup[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	for pid in "${sup[@]}"; do ti_wait 3000 ti_dead "$pid" || kill -KILL "$pid" 2>/dev/null; done
	for ns in "${TI_NS[@]}"; do
		left=$(ip netns pids "$ns" 2>/dev/null)
		[ -n "$left" ] || continue
		# shellcheck disable=SC2086 # a list of pids
		kill -TERM $left 2>/dev/null
		for pid in $left; do ti_wait 2000 ti_dead "$pid" || kill -KILL "$pid" 2>/dev/null; done
	done
	for ns in "${TI_NS[@]}"; do ip netns del "$ns" 2>/dev/null; done
	[ -n "${TI_TMP:-}" ] && rm -rf "$TI_TMP"
}
