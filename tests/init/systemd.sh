# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2154 # bin, bad: set by tests/init/run
# Part of tests/init/run (sourced): the systemd unit without systemd as
# PID 1.  Its ExecStartPre, ExecStart and ExecReload lines, with the binary
# and the config path pointed at the test's, run the way systemd would run
# them for Type=notify: the daemon in the foreground inside a namespace,
# with only the unit's CapabilityBoundingSet (setpriv), NOTIFY_SOCKET a
# datagram socket the test reads, MAINPID its pid.

# unit_line KEY: the command of KEY= in the test's copy of the unit, "$$"
# unescaped (systemd's literal dollar).
unit_line() { sed -n "s/^$1=//p" "$TI_TMP/systemd/tinyvrrp.service" | sed 's/\$\$/$/g'; }

# notify_count WORD: lines of the notify log that are WORD.
notify_count() { grep -cx -- "$1" "$TI_TMP/systemd/notify.log" 2>/dev/null; }
notify_has() { [ "$(notify_count "$1")" -ge "$2" ]; }

systemd_test() {
	local d=$TI_TMP/systemd ns pre start reload lpid pid MAINPID argv caps
	ti_topo systemd || { ti_ko "systemd: namespaces"; return; }
	ns=$TI_R
	mkdir -p "$d"
	sed -e "s#/usr/sbin/tinyvrrp#$bin#g" -e "s#/etc/keepalived/keepalived.conf#$d/keepalived.conf#g" \
		init/systemd/tinyvrrp.service >"$d/tinyvrrp.service"
	pre=$(unit_line ExecStartPre) start=$(unit_line ExecStart) reload=$(unit_line ExecReload)
	ti_check "systemd: Type=notify" grep -qx 'Type=notify' "$d/tinyvrrp.service"

	# ExecStartPre: the config test gate.
	cp "$bad" "$d/keepalived.conf"
	ti_check "systemd: ExecStartPre refuses a config with errors" ti_not eval "$pre" 2>/dev/null
	ti_conf "$d/keepalived.conf" 198.51.100.100
	sed -i 's#^\tadvert_int 1#&\n\tnotify_master "/bin/true"#' "$d/keepalived.conf"
	ti_check "systemd: ExecStartPre accepts script-security warnings (-t exit 6)" eval "$pre" 2>/dev/null
	ti_conf "$d/keepalived.conf" 198.51.100.100
	ti_check "systemd: ExecStartPre accepts a good config" eval "$pre"

	python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(1)
end = time.monotonic() + 120
with open(sys.argv[2], "a") as log:
	while time.monotonic() < end:
		try:
			msg = s.recv(4096).decode(errors="replace")
		except socket.timeout:
			continue
		for line in msg.splitlines():
			log.write(line + "\n")
		log.flush()
' "$d/notify.sock" "$d/notify.log" &
	lpid=$!
	TI_SUP+=("$lpid")
	ti_wait 3000 test -S "$d/notify.sock" || { ti_ko "systemd: notify socket listener"; return; }

	# ExecStart, with what EnvironmentFile would give.
	# What EnvironmentFile would set; expanded by the eval.
	local TINYVRRP_OPTS ctl
	ctl=$(ctl_opt "$d/ctl.sock")
	# shellcheck disable=SC2034
	TINYVRRP_OPTS="-p $d/main.pid -r $d/vrrp.pid $ctl"
	eval "argv=($start)"
	# CapabilityBoundingSet, as systemd applies it to a root service: the
	# daemon has no capability but these.
	caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$d/tinyvrrp.service" | tr 'A-Z ' 'a-z\n' |
		sed -n 's/^cap_\(.*\)/+\1/p' | paste -sd,)
	ti_check "systemd: CapabilityBoundingSet keeps NET_ADMIN and NET_RAW" \
		bash -c "[[ '$caps' == *+net_admin* && '$caps' == *+net_raw* ]]"
	# Control: the same without NET_RAW cannot open its VRRP socket, so
	# the bounding set does bind the daemon here.
	ti_check "systemd: (control) without CAP_NET_RAW it refuses to start" ti_not ti_quiet \
		timeout 5 ip netns exec "$ns" setpriv --bounding-set "-all,${caps//+net_raw/}" \
		"${argv[@]}"
	NOTIFY_SOCKET=$d/notify.sock ip netns exec "$ns" setpriv --bounding-set "-all,$caps" \
		"${argv[@]}" >/dev/null 2>"$d/err" &
	pid=$!
	ti_check "systemd: READY=1 on NOTIFY_SOCKET" ti_wait 8000 notify_has READY=1 1
	expect_up systemd "$ns" "$d/err"
	ti_check "systemd: the daemon is the main process (no fork)" ti_alive "$pid"

	ti_conf "$d/keepalived.conf" 198.51.100.100 198.51.100.101
	# shellcheck disable=SC2034 # expanded by the eval
	MAINPID=$pid
	ti_check "systemd: ExecReload" eval "$reload"
	ti_check "systemd: RELOADING=1 on reload" ti_wait 5000 notify_has RELOADING=1 1
	ti_check "systemd: READY=1 again after the reload" ti_wait 5000 notify_has READY=1 2
	ti_check "systemd: reload adds VIP 198.51.100.101" ti_wait 5000 ti_has_vip "$ns" 198.51.100.101
	ti_check "systemd: same main process after reload" ti_alive "$pid"

	kill -TERM "$pid"
	ti_check "systemd: STOPPING=1 at stop" ti_wait 5000 notify_has STOPPING=1 1
	expect_down systemd "$ns"
	kill -TERM "$lpid" 2>/dev/null
}

systemd_test
