# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Shared helpers of the network tests: sourced by every tests/net/t_*.sh.
#
# Topology (one per variant, created by tv_topo, removed by tv_teardown and the
# EXIT trap):
#
#     r1 eth0 ──┐                    r1 198.18.1.1  2001:db8:1::1  02:00:00:00:01:01
#     r2 eth0 ──┼── br0 (ns "sw")    r2 198.18.1.2  2001:db8:1::2  02:00:00:00:01:02
#    [r3 eth0 ──┤]                   r3 198.18.1.3  2001:db8:1::3  02:00:00:00:01:03
#     c1 eth0 ──┘                    c1 198.18.1.10 2001:db8:1::10 02:00:00:00:01:0a
#
# Every namespace is named ${TV_P}NODE (TV_P = tv<PID>- unless the runner
# passes its own), the bridge ports are p-NODE inside "sw".  Nothing outside
# these namespaces is touched.
#
# shellcheck disable=SC2034 # variables set here are read by the tests
#
# Conventions: functions return 0/1; assertions go through tv_check (records
# the failure, the test goes on) or tv_require (the test cannot go on).  Every
# wait polls a condition with a hard deadline (tv_wait_until); the only sleeps
# are the 20-50 ms polling steps.

TV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TV_NAME=$(basename "$0" .sh)
TV_P=${TV_PREFIX:-tv$$-}
TV_IMPL=${TV_IMPL:-tinyvrrp}
TV_TINYVRRP=${TV_TINYVRRP:-$TV_ROOT/tinyvrrp}
TV_KEEPALIVED=${TV_KEEPALIVED:-$(command -v keepalived || echo /usr/sbin/keepalived)}
TV_VARIANTS=${TV_VARIANTS:-v2-4 v3-4 v3-6}
TV_FAILS=0
TV_RUNS=0
TV_NODES=""
TV_CAPS=""
TV_T0=${EPOCHREALTIME/./}
declare -A TV_PID TV_IMPL_OF TV_CAP_PID TV_START_MS TV_LOGPOS TV_TERM_MS TV_WATCHER

case $BASH_VERSION in
[0-4].*) echo "$TV_NAME: needs bash >= 5 (EPOCHREALTIME)" >&2; exit 1 ;;
esac

TV_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tvnet.XXXXXX") || exit 1
# Files of the current topology (logs, captures, configs, pid files) live in
# $TV_RUN, one directory per tv_topo call, so variants never mix.
TV_RUN=$TV_TMP

# ---------------------------------------------------------------- reporting

# Milliseconds since the epoch, from the realtime clock (the clock pcap
# timestamps use, so wall-clock marks and capture times compare directly).
tv_now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

tv_log() {
	local t=${EPOCHREALTIME/./}
	printf '%6d.%03d %s\n' $(((t - TV_T0) / 1000000)) $(((t - TV_T0) / 1000 % 1000)) "$*"
}

tv_fail() { tv_log "FAIL: $*"; TV_FAILS=$((TV_FAILS + 1)); return 1; }

# tv_check DESCRIPTION CMD...: run CMD, record a failure if it fails.
tv_check() {
	local what=$1; shift
	if "$@"; then tv_log "ok: $what"; return 0; fi
	tv_fail "$what"
}

# tv_require DESCRIPTION CMD...: as tv_check, but the test ends on failure.
tv_require() { tv_check "$@" || tv_finish; }

tv_not() { ! "$@"; }
tv_quiet() { "$@" >/dev/null 2>&1; }

tv_skip() { echo "SKIP: $*"; exit 77; }

# End the test: 0 if every check passed, 1 otherwise.
tv_finish() {
	[ "${TV_VOIDED:-0}" -gt 0 ] &&
		tv_log "$TV_NAME: $TV_VOIDED failed check(s) of runs the hypervisor stopped were void and measured again"
	if [ "$TV_FAILS" -eq 0 ]; then tv_log "$TV_NAME: all checks passed"; exit 0; fi
	tv_log "$TV_NAME: $TV_FAILS check(s) failed"
	exit 1
}

# Assert LO <= VALUE <= HI (integers, milliseconds in practice).
tv_between() {
	local what=$1 v=$2 lo=$3 hi=$4
	if [ "$v" -ge "$lo" ] && [ "$v" -le "$hi" ]; then
		tv_log "ok: $what = $v (expected $lo..$hi)"; return 0
	fi
	tv_fail "$what = $v, expected $lo..$hi"
}

# ---------------------------------------------------------------- waiting

tv_alive() {
	local st
	[ -r "/proc/$1/stat" ] || return 1
	st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# tv_wait_until TIMEOUT_MS CMD...: poll CMD every 20 ms until it succeeds or
# the deadline passes.  TV_WAITED_MS holds the time spent.
tv_wait_until() {
	local timeout=$1; shift
	local start now
	start=$(tv_now_ms)
	while :; do
		if "$@"; then TV_WAITED_MS=$(($(tv_now_ms) - start)); return 0; fi
		now=$(tv_now_ms)
		if [ $((now - start)) -ge "$timeout" ]; then
			TV_WAITED_MS=$((now - start)); return 1
		fi
		sleep 0.02
	done
}

# tv_hold_for DURATION_MS CMD...: CMD must stay true for the whole duration,
# sampled every 50 ms.  On failure TV_HELD_MS says when it broke.
tv_hold_for() {
	local dur=$1; shift
	local start now
	start=$(tv_now_ms)
	while :; do
		now=$(tv_now_ms)
		"$@" || { TV_HELD_MS=$((now - start)); return 1; }
		[ $((now - start)) -ge "$dur" ] && return 0
		sleep 0.05
	done
}

# ---------------------------------------------------------------- topology

tv_ns() { echo "${TV_P}$1"; }
tv_exec() { local n=$1; shift; ip netns exec "$(tv_ns "$n")" "$@"; }

tv_node_index() {
	case $1 in r1) echo 1 ;; r2) echo 2 ;; r3) echo 3 ;; c1) echo 10 ;; *) return 1 ;; esac
}
tv_mac() { printf '02:00:00:00:01:%02x\n' "$(tv_node_index "$1")"; }
tv_ip4() { echo "198.18.1.$(tv_node_index "$1")"; }
tv_ip6() { echo "2001:db8:1::$(tv_node_index "$1")"; }
# EUI-64 link-local of the fixed MAC 02:00:00:00:01:NN.
tv_ll6() { printf 'fe80::ff:fe00:1%02x\n' "$(tv_node_index "$1")"; }

tv_need_root() {
	[ "$(id -u)" -eq 0 ] || { echo "$TV_NAME: must run as root (network namespaces)" >&2; exit 1; }
}

# Sysctls applied in a namespace before its interfaces exist, so new links
# inherit them: no DAD (link-locals usable at once), no RA/RS chatter.
tv_ns_sysctls() {
	ip netns exec "$1" sysctl -q -w \
		net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 \
		net.ipv6.conf.default.router_solicitations=0 >/dev/null
}

tv_ll_ready() {
	ip -n "$(tv_ns "$1")" -6 -o addr show dev eth0 scope link 2>/dev/null |
		grep -q "$(tv_ll6 "$1")/64" &&
		! ip -n "$(tv_ns "$1")" -6 -o addr show dev eth0 2>/dev/null | grep -q tentative
}

tv_add_node() {
	local n=$1 ns sw
	ns=$(tv_ns "$n"); sw=$(tv_ns sw)
	ip netns add "$ns" || return 1
	TV_NODES="$TV_NODES $n"
	tv_ns_sysctls "$ns" || return 1
	ip -n "$ns" link set lo up &&
	ip -n "$sw" link add "p-$n" type veth peer name eth0 netns "$ns" &&
	ip -n "$ns" link set eth0 address "$(tv_mac "$n")" &&
	ip -n "$sw" link set "p-$n" master br0 &&
	ip -n "$sw" link set "p-$n" up &&
	ip -n "$ns" addr add "$(tv_ip4 "$n")/24" dev eth0 &&
	ip -n "$ns" -6 addr add "$(tv_ip6 "$n")/64" dev eth0 nodad &&
	ip -n "$ns" link set eth0 up
}

# tv_topo [r3]: switch, r1, r2, c1 (and r3 on request).
tv_topo() {
	local sw n
	TV_RUNS=$((TV_RUNS + 1))
	TV_RUN=$TV_TMP/run$TV_RUNS-${TV_VARIANT:-x}
	mkdir -p "$TV_RUN" || return 1
	sw=$(tv_ns sw)
	ip netns add "$sw" || return 1
	TV_NODES="sw"
	ip netns exec "$sw" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null
	ip -n "$sw" link set lo up
	# No STP, no forward delay, no multicast snooping: frames flow at once
	# and VRRP multicast is flooded to every port.
	ip -n "$sw" link add br0 type bridge stp_state 0 forward_delay 0 \
		mcast_snooping 0 || return 1
	ip -n "$sw" link set br0 up || return 1
	for n in r1 r2 "$@" c1; do
		tv_add_node "$n" || { echo "$TV_NAME: cannot set up node $n" >&2; return 1; }
	done
	for n in r1 r2 "$@" c1; do
		tv_wait_until 3000 tv_ll_ready "$n" ||
			{ echo "$TV_NAME: no link-local address on $n" >&2; return 1; }
	done
	TV_ROUTERS="r1 r2 $*"
	TV_ROUTERS=${TV_ROUTERS% }
}

# Remove everything the current topology holds: daemons, captures, namespaces.
tv_teardown() {
	local n ns pids i c
	for c in $TV_CAPS; do tv_cap_stop "$c" 2>/dev/null; done
	for n in "${!TV_PID[@]}"; do
		tv_alive "${TV_PID[$n]}" && kill -TERM "${TV_PID[$n]}" 2>/dev/null
	done
	for n in "${!TV_PID[@]}"; do
		tv_wait_until 3000 tv_gone "${TV_PID[$n]}" || kill -KILL "${TV_PID[$n]}" 2>/dev/null
		wait "${TV_PID[$n]}" 2>/dev/null
		unset "TV_PID[$n]"
	done
	for n in $TV_NODES; do
		ns=$(tv_ns "$n")
		# Anything still running inside our namespaces is ours (a keepalived
		# child whose parent died, a stray tcpdump): end it by pid.
		for i in 1 2 3; do
			pids=$(ip netns pids "$ns" 2>/dev/null)
			[ -z "$pids" ] && break
			# shellcheck disable=SC2086 # one argument per pid
			if [ "$i" -lt 3 ]; then kill -TERM $pids 2>/dev/null
			else kill -KILL $pids 2>/dev/null; fi
			tv_wait_until 1000 tv_ns_empty "$ns"
		done
		ip netns del "$ns" 2>/dev/null
	done
	TV_NODES=""
	TV_CAPS=""
}
tv_gone() { ! tv_alive "$1"; }
tv_ns_empty() { [ -z "$(ip netns pids "$1" 2>/dev/null)" ]; }

tv_cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	[ -n "${TV_STALLMON:-}" ] && kill "$TV_STALLMON" 2>/dev/null
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then tv_dump_logs; fi
	tv_teardown
	if [ -n "${TV_KEEP:-}" ]; then echo "$TV_NAME: kept $TV_TMP" >&2
	else rm -rf "$TV_TMP"; fi
	exit "$rc"
}
trap tv_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# On failure, show what the daemons said: the first thing anyone will ask.
tv_dump_logs() {
	local f
	for f in "$TV_TMP"/*.log "$TV_TMP"/*/*.log; do
		[ -s "$f" ] || continue
		echo "---- ${f#"$TV_TMP"/} (last 25 lines)"
		tail -n 25 "$f"
	done
}

# ---------------------------------------------------------------- links

# tv_link_down NODE [bridge|router]: take the link down on the bridge port
# (the router sees carrier loss) or on the router's own eth0.
tv_link_down() {
	if [ "${2:-bridge}" = router ]; then ip -n "$(tv_ns "$1")" link set eth0 down
	else ip -n "$(tv_ns sw)" link set "p-$1" down; fi
}
tv_link_up() {
	if [ "${2:-bridge}" = router ]; then ip -n "$(tv_ns "$1")" link set eth0 up
	else ip -n "$(tv_ns sw)" link set "p-$1" up; fi
}

# tv_block NODE / tv_unblock NODE: the bridge port stops forwarding (STP state
# disabled) while the carrier stays up: a partition the router cannot see.
tv_block() { bridge -n "$(tv_ns sw)" link set dev "p-$1" state 0; }
tv_unblock() { bridge -n "$(tv_ns sw)" link set dev "p-$1" state 3; }

# ---------------------------------------------------------------- variants

# tv_variant NAME: v2-4 (VRRPv2 IPv4, 1 s), v3-4 (VRRPv3 IPv4, 0.1 s),
# v3-6 (VRRPv3 IPv6, 1 s).  Sets TV_VER TV_FAM TV_INT TV_INT_MS TV_VIP TV_VIP2.
tv_variant() {
	TV_VARIANT=$1
	case $1 in
	v2-4) TV_VER=2 TV_FAM=4 TV_INT=1 TV_INT_MS=1000 ;;
	v3-4) TV_VER=3 TV_FAM=4 TV_INT=0.1 TV_INT_MS=100 ;;
	v3-6) TV_VER=3 TV_FAM=6 TV_INT=1 TV_INT_MS=1000 ;;
	*) echo "$TV_NAME: unknown variant $1" >&2; return 1 ;;
	esac
	# TV_IPF / TV_TTLF / TV_ADDRF: tshark fields of this family.
	if [ "$TV_FAM" = 4 ]; then
		TV_VIP=198.18.1.100 TV_VIP2=198.18.1.101 TV_PLEN=24 TV_GROUP=224.0.0.18
		TV_IPF=ip TV_TTLF=ip.ttl TV_ADDRF=vrrp.ip_addr
	else
		TV_VIP=2001:db8:1::100 TV_VIP2=2001:db8:1::101 TV_PLEN=64 TV_GROUP=ff02::12
		TV_IPF=ipv6 TV_TTLF=ipv6.hlim TV_ADDRF=vrrp.ipv6_addr
	fi
	tv_log "==== variant $1: VRRPv$TV_VER IPv$TV_FAM advert_int $TV_INT"
}

# ---------------------------------------------------------------- timing

# Timings measured while the hypervisor had stopped the whole machine say
# nothing about the daemons: stallmon.py records such stops (a late wake-up
# with at least as much steal time) in TV_STALLS (tests/net/run's, or one of
# this test's own). tv_measured FUNC runs FUNC; when its checks failed and
# such a stop of TV_STALL_MS or more happened during it, the run is void and
# FUNC is measured again, at most twice, after a teardown. A failure with no
# stop counts at once, and so does the third. (tests/net/run applies the
# same rule to whole tests.)
TV_STALL_MS=${TV_STALL_MS:-250}
tv_stalls_since() {	# START_MS: the longest stop since then, or nothing
	awk -v t="$1" '$1 >= t && $2 > m { m = $2 } END { if (m) print m }' "$TV_STALLS" 2>/dev/null
}
tv_measured() {
	local try f0 t0 st
	if [ -z "${TV_STALLS:-}" ]; then
		TV_STALLS=$TV_TMP/stalls
		/usr/bin/python3 "$TV_ROOT/tests/net/stallmon.py" "$TV_STALL_MS" >"$TV_STALLS" &
		TV_STALLMON=$!
	fi
	for try in 1 2 3; do
		f0=$TV_FAILS t0=$(tv_now_ms)
		"$@"
		[ "$TV_FAILS" -eq "$f0" ] && return 0
		st=$(tv_stalls_since "$t0")
		[ -n "$st" ] && [ "$try" -lt 3 ] || return 1
		tv_log "VOID: the hypervisor stopped this machine for $st ms during this run; its timings say nothing: measuring again"
		TV_VOIDED=$((${TV_VOIDED:-0} + TV_FAILS - f0))
		TV_FAILS=$f0
		tv_teardown
	done
}

# tv_timed FUNC [ARG...]: FUNC, through tv_measured when TV_TIMED=1.
tv_timed() { if [ "${TV_TIMED:-}" = 1 ]; then tv_measured "$@"; else "$@"; fi; }

# tv_in_topology FUNC: FUNC in a new topology of the current variant, then
# tv_teardown; with TV_TIMED=1 through tv_measured.
tv_topo_then() { if tv_topo; then "$1"; else tv_fail "topology"; fi; }
tv_in_topology() {
	tv_timed tv_topo_then "$1"
	tv_teardown
}

# tv_each_variant FUNC: FUNC in every variant of $TV_VARIANTS, each after
# tv_variant and followed by tv_teardown; with TV_TIMED=1 through tv_measured.
tv_each_variant() {
	local v
	for v in $TV_VARIANTS; do
		tv_variant "$v" || exit 1
		tv_timed "$1"
		tv_teardown
	done
}

# Address a router's adverts come from (and that ties are broken on).
tv_src() { if [ "$TV_FAM" = 4 ]; then tv_ip4 "$1"; else tv_ll6 "$1"; fi; }

# RFC 5798 6.1: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256,
# Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time (v2 alike).
tv_skew_ms() { echo $(((256 - $1) * TV_INT_MS / 256)); }
tv_mdi_ms() { echo $((3 * TV_INT_MS + (256 - $1) * TV_INT_MS / 256)); }

# ---------------------------------------------------------------- configs

# tv_conf FILE [key=value...]: start a keepalived.conf with one instance.
# tv_conf_add FILE [key=value...]: append one more instance.
# Keys: name (VI_1) vrid (51) prio (100) ver int fam (current variant)
#       state (BACKUP) nopreempt (0|1) pdelay (seconds) auth (PASS password)
#       vip (current variant's VIP) plen
tv_conf() {
	local f=$1; shift
	printf '# SPDX-License-Identifier: MIT\nglobal_defs {\n    router_id %s\n}\n' \
		"$(basename "$f" .conf)" >"$f"
	tv_conf_add "$f" "$@"
}
tv_conf_add() {
	local f=$1; shift
	local name=VI_1 vrid=51 prio=100 ver=$TV_VER int=$TV_INT state=BACKUP \
		nopreempt=0 pdelay="" auth="" vip=$TV_VIP plen=$TV_PLEN kv
	for kv in "$@"; do
		case $kv in
		name=* | vrid=* | prio=* | ver=* | int=* | state=* | nopreempt=* | \
			pdelay=* | auth=* | vip=* | plen=*) local "$kv" ;;
		*) echo "tv_conf: unknown key $kv" >&2; return 1 ;;
		esac
	done
	{
		echo "vrrp_instance $name {"
		echo "    state $state"
		echo "    interface eth0"
		echo "    virtual_router_id $vrid"
		echo "    priority $prio"
		echo "    advert_int $int"
		echo "    version $ver"
		[ "$nopreempt" = 1 ] && echo "    nopreempt"
		[ -n "$pdelay" ] && echo "    preempt_delay $pdelay"
		if [ -n "$auth" ]; then
			printf '    authentication {\n        auth_type PASS\n        auth_pass %s\n    }\n' "$auth"
		fi
		printf '    virtual_ipaddress {\n        %s/%s dev eth0\n    }\n}\n' "$vip" "$plen"
	} >>"$f"
}

# ---------------------------------------------------------------- daemons

tv_impl_ok() {
	case $1 in
	tinyvrrp) [ -x "$TV_TINYVRRP" ] ;;
	keepalived) [ -x "$TV_KEEPALIVED" ] ;;
	*) return 1 ;;
	esac
}

# tv_start NODE IMPL CONF: run the daemon in NODE's namespace, in the
# foreground, logging to $TV_RUN/NODE.log; returns once its VRRP pid file
# exists (or fails if it died or never got there).
tv_start() {
	local n=$1 impl=$2 conf=$3 d=$TV_RUN/$1
	mkdir -p "$d"
	rm -f "$d"/*.pid
	case $impl in
	tinyvrrp)
		# A control socket per router: the namespaces share one /run.
		set -- "$TV_TINYVRRP" -n -l -D -f "$conf" -p "$d/main.pid" -r "$d/vrrp.pid" \
			--control-socket="$d/ctl.sock" ;;
	keepalived)
		# -P: VRRP only; -G: no syslog; -R: a dead child is a test failure,
		# not something to respawn; own pid files so routers do not collide.
		set -- "$TV_KEEPALIVED" -P -n -l -D -G -R -f "$conf" -p "$d/main.pid" \
			-r "$d/vrrp.pid" -c "$d/checkers.pid" -b "$d/bfd.pid" ;;
	*) tv_fail "unknown implementation $impl"; return 1 ;;
	esac
	tv_impl_ok "$impl" || { tv_fail "$impl not found"; return 1; }
	echo "#### $(date +%T.%N) start $impl on $n: $*" >>"$TV_RUN/$n.log"
	TV_LOGPOS[$n]=$(($(wc -l <"$TV_RUN/$n.log") + 1))
	# ip netns exec execs the daemon in place: $! is the daemon's pid.
	ip netns exec "$(tv_ns "$n")" "$@" >>"$TV_RUN/$n.log" 2>&1 </dev/null &
	TV_PID[$n]=$!
	TV_IMPL_OF[$n]=$impl
	TV_START_MS[$n]=$(tv_now_ms)
	tv_log "started $impl on $n (pid ${TV_PID[$n]}, $(basename "$conf"))"
	if ! tv_wait_until 5000 tv_started "$n"; then
		tv_fail "$impl on $n did not start (no VRRP pid file, or it exited)"
		return 1
	fi
}
tv_started() { tv_alive "${TV_PID[$1]}" && [ -s "$TV_RUN/$1/vrrp.pid" ]; }

# Pid of the process doing VRRP (keepalived's child; tinyvrrp itself).
tv_vrrp_pid() {
	local p
	p=$(cat "$TV_RUN/$1/vrrp.pid" 2>/dev/null)
	echo "${p:-${TV_PID[$1]}}"
}

# tv_stop NODE [TIMEOUT_MS]: SIGTERM, then tv_wait_stopped.
tv_stop() { tv_signal_stop "$1" && tv_wait_stopped "$@"; }

tv_signal_stop() {
	local n=$1 pid=${TV_PID[$1]:-}
	[ -n "$pid" ] || { tv_fail "no daemon on $n to stop"; return 1; }
	rm -f "$TV_RUN/$n.exit_ms"
	TV_TERM_MS[$n]=$(tv_now_ms)
	kill -TERM "$pid" 2>/dev/null
	# A watcher notes when the process ends, so the exit time is known even
	# while the test is busy watching the VIP move.
	(tv_wait_until 10000 tv_gone "$pid" && tv_now_ms >"$TV_RUN/$n.exit_ms") &
	TV_WATCHER[$n]=$!
	tv_log "SIGTERM to ${TV_IMPL_OF[$n]} on $n"
}

# tv_wait_stopped NODE [TIMEOUT_MS]: wait (bounded) until the daemon that got
# SIGTERM is gone.  TV_STOP_MS: SIGTERM to exit; TV_STOP_RC: exit status.
# Fails (after SIGKILL) if it outlived the timeout.
tv_wait_stopped() {
	local n=$1 timeout=${2:-5000} pid=${TV_PID[$1]:-} end
	[ -n "$pid" ] || return 0
	if ! tv_wait_until "$timeout" tv_gone "$pid"; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		unset "TV_PID[$n]"
		tv_fail "${TV_IMPL_OF[$n]} on $n still running ${timeout} ms after SIGTERM"
		return 1
	fi
	wait "${TV_WATCHER[$n]}" 2>/dev/null
	end=$(cat "$TV_RUN/$n.exit_ms" 2>/dev/null || tv_now_ms)
	TV_STOP_MS=$((end - TV_TERM_MS[$n]))
	wait "$pid"
	TV_STOP_RC=$?
	unset "TV_PID[$n]"
	tv_log "${TV_IMPL_OF[$n]} on $n exited $TV_STOP_MS ms after SIGTERM, status $TV_STOP_RC"
}

tv_freeze() { kill -STOP "$(tv_vrrp_pid "$1")"; tv_log "froze $1"; }
tv_thaw() { kill -CONT "$(tv_vrrp_pid "$1")"; tv_log "thawed $1"; }

# What the daemon on NODE logged since its last start.
tv_log_of() { tail -n "+${TV_LOGPOS[$1]:-1}" "$TV_RUN/$1.log" 2>/dev/null; }
tv_logged() { tv_log_of "$1" | grep -Eq -- "$2"; }
# ... in any run of the daemon on NODE in this topology.
tv_logged_any() { grep -Eq -- "$2" "$TV_RUN/$1.log" 2>/dev/null; }
tv_log_count() { tv_log_of "$1" | grep -Ec -- "$2"; }
tv_wait_log() { tv_wait_until "$3" tv_logged "$1" "$2"; }
# tv_state_is NODE INSTANCE STATE: the last "(INSTANCE) Entering X STATE"
# line of NODE's daemon says STATE.
tv_state_is() {
	[ "$(tv_log_of "$1" | sed -n "s/.*($2) Entering \([A-Z]*\) STATE.*/\1/p" | tail -n 1)" = "$3" ]
}
tv_log_count_ge() { [ "$(tv_log_count "$1" "$2")" -ge "$3" ]; }

# keepalived's words when a master yields to a better advert (KEEPALIVED.md 13).
tv_yield_re() {
	echo "\\(VI_1\\) Master received advert from $1 with higher priority $2, ours $3"
}

# tv_start_pair IMPL1 IMPL2 WHAT CMD...: r1 (priority 150, $TV_RUN/r1.conf)
# starts, the check WHAT waits up to its MDI + 2 s for CMD (r1 holds the VIP),
# then r2 (r2.conf) starts, hearing a master from the start, so it never
# sends. (Started together, their down timers are Skew_Time apart, 20-200 ms,
# and a little lateness of r1, or a stop of the whole machine that spans
# both timers, fires them at once.) Each daemon's TMPDIR is its own
# directory: keepalived writes its stats file there.
tv_start_pair() {
	local i1=$1 i2=$2 what=$3; shift 3
	TMPDIR=$TV_RUN/r1 tv_start r1 "$i1" "$TV_RUN/r1.conf" || return 1
	tv_check "$what" tv_wait_until $(($(tv_mdi_ms 150) + 2000)) "$@" || return 1
	TMPDIR=$TV_RUN/r2 tv_start r2 "$i2" "$TV_RUN/r2.conf"
}

# tv_pair IMPL1 IMPL2 [tv_conf keys...]: r1 (priority 150) and r2 (100) run
# the current variant; returns once r1 alone holds the VIP and r2 runs.
tv_pair() {
	local i1=$1 i2=$2; shift 2
	tv_conf "$TV_RUN/r1.conf" prio=150 "$@" || return 1
	tv_conf "$TV_RUN/r2.conf" prio=100 "$@" || return 1
	tv_start_pair "$i1" "$i2" "r1 alone holds the VIP within MDI + 2 s" tv_only r1
}

# ---------------------------------------------------------------- VIPs

# tv_has_vip NODE [VIP]: the VIP (with its prefix length) is configured in
# NODE's namespace, and usable (not tentative / dadfailed).
tv_has_vip() {
	local out
	out=$(ip -n "$(tv_ns "$1")" -o addr show dev eth0 2>/dev/null) || return 1
	out=$(grep -F " ${2:-$TV_VIP}/" <<<"$out") || return 1
	! grep -Eq 'tentative|dadfailed' <<<"$out"
}

# Routers holding the VIP, space separated ("" if none).
tv_holders() {
	local n h=""
	for n in $TV_ROUTERS; do tv_has_vip "$n" "${1:-$TV_VIP}" && h="$h $n"; done
	echo "${h# }"
}
# tv_only NODE [VIP]: NODE and no other router holds the VIP.
tv_only() { [ "$(tv_holders "${2:-$TV_VIP}")" = "$1" ]; }
tv_nobody() { [ -z "$(tv_holders "${1:-$TV_VIP}")" ]; }

# ---------------------------------------------------------------- captures

# tv_cap_start NAME NODE [IFACE]: capture every frame on NODE's interface
# (sw: br0; others: eth0) to $TV_RUN/NAME.pcap; returns once tcpdump is
# really capturing.
tv_cap_start() {
	local c=$1 n=$2 ifc=${3:-} f=$TV_RUN/$1.pcap
	[ -n "$ifc" ] || { [ "$n" = sw ] && ifc=br0 || ifc=eth0; }
	# Empty both files here, not in the child: a previous capture of the
	# same name must not look like this one being ready.
	: >"$f"; : >"$TV_RUN/$c.cap.out"
	ip netns exec "$(tv_ns "$n")" tcpdump -i "$ifc" -n -U --immediate-mode \
		-Z root -s 512 -w "$f" >"$TV_RUN/$c.cap.out" 2>&1 </dev/null &
	TV_CAP_PID[$c]=$!
	TV_CAPS="$TV_CAPS $c"
	tv_wait_until 5000 tv_cap_ready "$c" ||
		{ tv_fail "tcpdump on $n/$ifc did not start: $(cat "$TV_RUN/$c.cap.out")"; return 1; }
}
tv_cap_ready() { grep -q 'listening on' "$TV_RUN/$1.cap.out" 2>/dev/null; }

tv_cap_stop() {
	local c=$1 pid=${TV_CAP_PID[$1]:-}
	[ -n "$pid" ] || return 0
	kill -INT "$pid" 2>/dev/null
	tv_wait_until 3000 tv_gone "$pid" || kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "TV_CAP_PID[$c]"
	TV_CAPS=${TV_CAPS/ $c/}
}
tv_pcap() { echo "$TV_RUN/$1.pcap"; }

# tv_cap_count NAME BPF: packets so far matching a BPF filter (cheap: tcpdump
# reads the file while it is still being written).
tv_cap_count() {
	tcpdump -r "$(tv_pcap "$1")" -n "$2" 2>/dev/null | wc -l
}

tv_cap_grew() { [ "$(tv_cap_count "$1" "$2")" -gt "$3" ]; }

# tv_tshark NAME DISPLAY_FILTER FIELD...: one line per packet, fields
# separated by '|' (a field with several values joins them with ',').
# v3/IPv4 checksums include the pseudo-header (keepalived's default, and
# Wireshark's): said explicitly, whatever the local preferences.
tv_tshark() {
	local c=$1 filt=$2; shift 2
	local args=() fld
	for fld in "$@"; do args+=(-e "$fld"); done
	tshark -n -r "$(tv_pcap "$c")" -o vrrp.v3_checksum_as_in_v2:FALSE \
		-Y "$filt" -T fields -E 'separator=|' "${args[@]}" 2>/dev/null
}

# tv_jitter CAPTURE NODE: intervals between NODE's adverts in CAPTURE, as
# "min median p99 max count" in ms with 0.1 ms resolution; fails when NODE
# sent none.
tv_jitter() {
	tv_tshark "$1" "vrrp && $TV_IPF.src == $(tv_src "$2")" frame.time_epoch |
		awk 'NR > 1 { printf "%.0f\n", ($1 - last) * 1000000 } { last = $1 }' | sort -n |
		awk '{ v[NR] = $1 } END { if (NR == 0) exit 1;
			p = int(NR * 99 / 100); if (p < 1) p = 1;
			printf "%.1f %.1f %.1f %.1f %d\n", v[1] / 1000, v[int((NR + 1) / 2)] / 1000,
				v[p] / 1000, v[NR] / 1000, NR }'
}

# tv_adverts NAME [FILTER]: the VRRP adverts captured, one per line:
# "EPOCH_MS SOURCE VRID PRIORITY TTL CHECKSUM_STATUS VERSION".
tv_adverts() {
	tv_tshark "$1" "vrrp${2:+ && ($2)}" frame.time_epoch "$TV_IPF.src" \
		vrrp.virt_rtr_id vrrp.prio "$TV_TTLF" vrrp.checksum.status vrrp.version |
		awk -F'|' '{ split($1, t, "."); ms = t[1] * 1000 + int(substr(t[2] "000", 1, 3));
			printf "%.0f %s %s %s %s %s %s\n", ms, $2, $3, $4, $5, $6, $7 }'
}

# tv_all_lines DESCRIPTION EXPECTED TEXT: TEXT has at least one line and
# every line is EXPECTED; the differing lines are shown otherwise.
tv_all_lines() {
	local what=$1 want=$2 text=$3 other
	if [ -z "$text" ]; then tv_fail "$what: nothing captured"; return 1; fi
	other=$(grep -vxF -- "$want" <<<"$text")
	if [ -z "$other" ]; then tv_log "ok: $what ($(grep -c . <<<"$text") x '$want')"; return 0; fi
	tv_fail "$what: expected '$want', got: $(sort <<<"$other" | uniq -c | head -5 | tr '\n' ';')"
}

# tv_takeover_gap NAME OLD NEW: milliseconds from OLD's last advert to NEW's
# first one in the capture (empty if NEW never sent).
tv_takeover_gap() {
	tv_adverts "$1" | awk -v a="$(tv_src "$2")" -v b="$(tv_src "$3")" \
		'$2 == b { if (last != "") printf "%.0f\n", $1 - last; exit } $2 == a { last = $1 }'
}

# ---------------------------------------------------------------- sanity

tv_preflight() {
	local impl
	tv_need_root
	for impl in "$@"; do
		tv_impl_ok "$impl" || {
			if [ "$impl" = tinyvrrp ]; then
				echo "$TV_NAME: $TV_TINYVRRP not found: run 'make' first" >&2
			else
				echo "$TV_NAME: $impl not found: run tests/deps" >&2
			fi
			exit 1
		}
	done
	command -v tcpdump >/dev/null || { echo "$TV_NAME: tcpdump missing: run tests/deps" >&2; exit 1; }
	command -v tshark >/dev/null || { echo "$TV_NAME: tshark missing: run tests/deps" >&2; exit 1; }
}
