#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `tinyvrrp status` over the control socket, and keepalived's JSON dump
# (SIGRTMIN+2, read by OpenWrt's LuCI): r1 (priority 150 plus a tracker
# worth 10) is master, r2 (100) backup. Both report the right state, master
# and priorities as a table and as JSON; the socket is 0600 and root only
# (file mode, then the peer's uid for a process that may bypass the mode);
# a second daemon on the same socket does not start, a stale one is
# replaced, and the socket goes away with the daemon.
# timeout: 180
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
[ "$TV_IMPL" = tinyvrrp ] || tv_skip "the control socket is tinyvrrp's own"
tv_preflight tinyvrrp

# The client as an unprivileged user runs this copy: the checkout may sit
# where nobody cannot reach; the directories on the way are made
# traversable (not readable) for the same reason.
CLIENT=$TV_TMP/tinyvrrp-client
install -m 0755 "$TV_TINYVRRP" "$CLIENT" || exit 1
chmod 0711 "$TV_TMP"

sock() { echo "$TV_RUN/$1/ctl.sock"; }
status() { "$TV_TINYVRRP" status --control-socket="$(sock "$1")" "${@:2}"; }

# jq-like: json_eval NODE EXPR prints EXPR over the parsed `status --json`
# (d = the document, i = its first instance).
json_eval() {
	status "$1" --json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
i = d["instances"][0]
print(eval(sys.argv[1]))' "$2"
}
json_is() { [ "$(json_eval "$1" "$2" 2>/dev/null)" = "$3" ]; }

# The instance's line of the table: NAME IFACE VRID VERSION STATE PRIO EFF MASTER SINCE.
table_line() { status "$1" | awk '$1 == "VI_1"'; }
table_is() {
	local got
	got=$(table_line "$1" | awk '{ print $2, $3, $4, $5, $6, $7, $8 }')
	[ "$got" = "$2" ] || { tv_log "table of $1: '$got', expected '$2'"; return 1; }
}

# r1 tracks a script that succeeds, weight 10: effective priority 160.
add_tracker() {
	sed -i '/^vrrp_instance/i vrrp_script chk_up {\n    script "/bin/true"\n    interval 0.2\n    weight 10\n}' "$1"
	sed -i 's/^    virtual_ipaddress {/    track_script {\n        chk_up\n    }\n&/' "$1"
}

kd_eval() {
	/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
i = d[0]["data"]; s = d[0]["stats"]
print(eval(sys.argv[2]))' "$1" "$2"
}

run() {
	local src1 ver fam out err rc t0 dump
	tv_topo || { tv_fail "topology"; return; }
	chmod 0711 "$TV_RUN"
	src1=$(tv_src r1)
	fam=ipv$TV_FAM
	ver="v$TV_VER/IPv$TV_FAM"
	tv_conf "$TV_RUN/r1.conf" prio=150
	tv_conf "$TV_RUN/r2.conf" prio=100
	add_tracker "$TV_RUN/r1.conf"
	mkdir -p "$TV_RUN/tmp1" "$TV_RUN/tmp2"
	t0=$(date +%s)
	TMPDIR=$TV_RUN/tmp1 tv_start r1 tinyvrrp "$TV_RUN/r1.conf" || return
	chmod 0711 "$TV_RUN/r1"
	TMPDIR=$TV_RUN/tmp2 tv_start r2 tinyvrrp "$TV_RUN/r2.conf" || return
	tv_check "r1 alone holds the VIP" tv_wait_until $(($(tv_mdi_ms 150) + 2000)) tv_only r1 || return
	tv_check "r2 logs BACKUP" tv_wait_log r2 '\(VI_1\) Entering BACKUP STATE' 2000

	# ---- the socket itself
	tv_check "r1's control socket is a socket" [ -S "$(sock r1)" ]
	tv_check "socket mode 0600, owned by root" [ "$(stat -c '%a %u' "$(sock r1)")" = "600 0" ]

	# ---- table
	tv_check "r1's tracker raises its priority to 160 (JSON)" \
		tv_wait_until 3000 json_is r1 'i["effective_priority"]' 160
	tv_check "table r1: eth0 51 $ver MASTER 150 160 $src1" \
		table_is r1 "eth0 51 $ver MASTER 150 160 $src1"
	tv_check "table r2: eth0 51 $ver BACKUP 100 100 $src1" \
		tv_wait_until 2000 table_is r2 "eth0 51 $ver BACKUP 100 100 $src1"
	tv_check "table: ISO 8601 UTC time of the last transition" \
		grep -Eq ' 20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z$' \
		<<<"$(table_line r1)"
	tv_check "table r1: the tracker, up, weight 10" \
		grep -qx '    track script chk_up up weight 10' <<<"$(status r1)"
	tv_check "table: header first" grep -q '^NAME  *IFACE  *VRID  *VERSION  *STATE  *PRIO  *EFF  *MASTER  *SINCE$' \
		<<<"$(status r1 | head -n 1)"

	# ---- JSON
	tv_check "r1 JSON: MASTER, master $src1, 150/160, vrid 51, v$TV_VER, $fam, eth0" \
		json_is r1 '(i["state"], i["master"], i["base_priority"], i["effective_priority"], i["vrid"], i["version"], i["family"], i["interface"], i["name"])' \
		"('MASTER', '$src1', 150, 160, 51, $TV_VER, '$fam', 'eth0', 'VI_1')"
	tv_check "r2 JSON: BACKUP, master $src1, 100/100" \
		json_is r2 '(i["state"], i["master"], i["base_priority"], i["effective_priority"])' \
		"('BACKUP', '$src1', 100, 100)"
	tv_check "r1 JSON: tracker script chk_up up weight 10" \
		json_is r1 'i["trackers"]' "[{'kind': 'script', 'name': 'chk_up', 'state': 'up', 'weight': 10, 'reverse': False}]"
	tv_check "r1 JSON: became master once, adverts sent, none received" \
		json_is r1 '(i["counters"]["became_master"], i["counters"]["tx"] > 0, i["counters"]["rx"])' "(1, True, 0)"
	tv_check "r2 JSON: adverts received, none sent" \
		json_is r2 '(i["counters"]["rx"] > 0, i["counters"]["tx"], i["counters"]["became_master"])' "(True, 0, 0)"
	tv_check "JSON: drop counters by reason, per instance and global" \
		json_is r2 '(sorted(i["drops"]) == sorted(d["drops"]), "ttl" in d["drops"], sum(i["drops"].values()))' \
		"(True, True, 0)"
	tv_check "JSON: last transition is ISO 8601 UTC, since the start" \
		json_is r1 '__import__("calendar").timegm(__import__("time").strptime(i["last_transition"], "%Y-%m-%dT%H:%M:%SZ")) >= '"$t0" True

	# ---- who may ask
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$CLIENT" status --control-socket="$(sock r1)" 2>"$TV_RUN/err"); rc=$?
	err=$(cat "$TV_RUN/err")
	tv_check "non-root client refused (exit 3, nothing on stdout): $err" \
		[ "$rc" = 3 ] && [ -z "$out" ] && grep -q 'Permission denied' <<<"$err"
	tv_check "one line on stderr" [ "$(grep -c . <<<"$err")" = 1 ]
	# Past the mode (CAP_DAC_OVERRIDE), the daemon still refuses by uid.
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+dac_override \
		--ambient-caps=+dac_override "$CLIENT" status --control-socket="$(sock r1)" \
		2>"$TV_RUN/err"); rc=$?
	err=$(cat "$TV_RUN/err")
	tv_check "non-root client with CAP_DAC_OVERRIDE refused by uid (exit 3): $err" \
		[ "$rc" = 3 ] && [ -z "$out" ] && grep -q 'error: permission denied' <<<"$err"
	tv_check "r1 logs the refusal" tv_wait_log r1 'refused a client that is not root' 1000

	# ---- keepalived's JSON dump
	tv_check "no keepalived.json before the signal" [ ! -e "$TV_RUN/tmp1/keepalived.json" ]
	kill -s "$("$TV_TINYVRRP" --signum=JSON)" "$(tv_vrrp_pid r1)"
	kill -s "$("$TV_TINYVRRP" --signum=JSON)" "$(tv_vrrp_pid r2)"
	dump=$TV_RUN/tmp1/keepalived.json
	tv_check "SIGRTMIN+2 writes \$TMPDIR/keepalived.json" tv_wait_until 2000 [ -s "$dump" ] &&
	tv_check "r2's dump too" tv_wait_until 2000 [ -s "$TV_RUN/tmp2/keepalived.json" ] &&
	tv_check "keepalived.json: mode 0600, nothing else left in TMPDIR" \
		[ "$(stat -c %a "$dump")" = 600 ] && [ "$(ls "$TV_RUN/tmp1")" = keepalived.json ] &&
	tv_check "keepalived.json r1: iname, ifp_ifname, vrid, state 2, priorities 150/160, version" \
		[ "$(kd_eval "$dump" '(len(d), i["iname"], i["ifp_ifname"], i["vrid"], i["state"], i["wantstate"], i["base_priority"], i["effective_priority"], i["version"], i["vipset"])')" \
		= "(1, 'VI_1', 'eth0', 51, 2, 2, 150, 160, $TV_VER, True)" ] &&
	tv_check "keepalived.json r1: last_transition a float of seconds since the start" \
		[ "$(kd_eval "$dump" 'type(i["last_transition"]).__name__ + " " + str('"$t0"' <= i["last_transition"] <= __import__("time").time())')" = "float True" ] &&
	tv_check "keepalived.json r1: stats advert_sent > 0, become_master 1, release_master 0" \
		[ "$(kd_eval "$dump" '(s["advert_sent"] > 0, s["advert_rcvd"], s["become_master"], s["release_master"])')" = "(True, 0, 1, 0)" ] &&
	tv_check "keepalived.json r1: every stats key of keepalived" \
		[ "$(kd_eval "$dump" 'sorted(s)')" = "['addr_list_err', 'advert_interval_err', 'advert_rcvd', 'advert_sent', 'auth_failure', 'authtype_mismatch', 'become_master', 'invalid_authtype', 'invalid_type_rcvd', 'ip_ttl_err', 'packet_len_err', 'pri_zero_rcvd', 'pri_zero_sent', 'release_master']" ] &&
	tv_check "keepalived.json r1: the VIP, the tracker, adver_int $TV_INT" \
		[ "$(kd_eval "$dump" '(i["vips"][0].split()[0], i["track_script"], i["adver_int"])')" = "('$TV_VIP/$TV_PLEN', ['chk_up'], $TV_INT)" ] &&
	tv_check "keepalived.json r2: state 1, master_priority 160, adverts received" \
		[ "$(kd_eval "$TV_RUN/tmp2/keepalived.json" '(i["state"], i["master_priority"], i["base_priority"], s["advert_rcvd"] > 0, s["advert_sent"])')" = "(1, 160, 100, True, 0)" ]

	# ---- one daemon per socket; stale sockets are replaced
	out=$(timeout 10 ip netns exec "$(tv_ns c1)" "$TV_TINYVRRP" -n -l -f "$TV_RUN/r2.conf" \
		-p "$TV_RUN/c1.pid" -r "$TV_RUN/c1v.pid" --control-socket="$(sock r1)" 2>&1); rc=$?
	tv_check "a second daemon on r1's socket exits 3 (got $rc)" [ "$rc" = 3 ]
	tv_check "... saying why" grep -q "another daemon answers on $(sock r1)" <<<"$out"
	tv_check "r1 still answers on its socket" json_is r1 'i["state"]' MASTER
	kill -KILL "${TV_PID[r2]}"
	tv_wait_until 3000 tv_gone "${TV_PID[r2]}"
	wait "${TV_PID[r2]}" 2>/dev/null
	unset "TV_PID[r2]"
	tv_check "a killed daemon leaves its socket behind" [ -S "$(sock r2)" ]
	out=$(status r2 2>&1); rc=$?
	tv_check "status of a dead daemon: exit 3, one line: $out" \
		[ "$rc" = 3 ] && [ "$(grep -c . <<<"$out")" = 1 ] && grep -q 'is it running' <<<"$out"
	tv_start r2 tinyvrrp "$TV_RUN/r2.conf" || return
	tv_check "restarted over the stale socket, r2 answers as BACKUP" \
		tv_wait_until 5000 json_is r2 'i["state"]' BACKUP

	# ---- gone with the daemon
	tv_stop r1
	tv_check "r1's socket removed at exit" [ ! -e "$(sock r1)" ]
	tv_check "r2 takes over and says so" \
		tv_wait_until $(($(tv_mdi_ms 100) + 2000)) json_is r2 '(i["state"], i["master"])' \
		"('MASTER', '$(tv_src r2)')"
	out=$(status r1 2>&1); rc=$?
	tv_check "status of a stopped daemon: exit 3" [ "$rc" = 3 ]

	# ---- the same dump from keepalived itself, same config, same role
	tv_impl_ok keepalived || { tv_fail "keepalived not installed: run tests/deps"; return; }
	mkdir -p "$TV_RUN/tmp3"
	TMPDIR=$TV_RUN/tmp3 tv_start r1 keepalived "$TV_RUN/r1.conf" || return
	tv_check "keepalived on r1 takes over" \
		tv_wait_until $(($(tv_mdi_ms 150) + 3000)) tv_logged r1 '\(VI_1\) Entering MASTER STATE' || return
	kill -s "$("$TV_KEEPALIVED" --signum=JSON)" "$(tv_vrrp_pid r1)"
	tv_check "keepalived writes its keepalived.json" \
		tv_wait_until 2000 [ -s "$TV_RUN/tmp3/keepalived.json" ] || return
	out=$(/usr/bin/python3 -c '
import json, sys
a, b = (json.load(open(f))[0] for f in sys.argv[1:3])
for part in "data", "stats":
    ta = {k: type(v).__name__ for k, v in a[part].items()}
    tb = {k: type(v).__name__ for k, v in b[part].items()}
    if ta != tb:
        print(part, "ours:", sorted(set(ta.items()) - set(tb.items())),
              "keepalived:", sorted(set(tb.items()) - set(ta.items())))
for k in "iname", "ifp_ifname", "vrid", "state", "wantstate", "base_priority", \
         "effective_priority", "version", "vipset", "adver_int", "garp_delay", "accept":
    if a["data"][k] != b["data"][k]:
        print(k, "ours:", a["data"][k], "keepalived:", b["data"][k])' \
		"$TV_RUN/tmp1/keepalived.json" "$TV_RUN/tmp3/keepalived.json" 2>&1)
	tv_check "keepalived.json: keepalived's keys and value types, the same values: ${out:-ok}" \
		[ -z "$out" ]
}

tv_each_variant run
tv_finish
