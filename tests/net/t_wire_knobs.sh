#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The configuration keywords that change the wire, each set in a config and
# its effect seen on the bridge (or in the kernel), tinyvrrp being the router
# under test and keepalived 2.2.7 the peer where one takes part. c1 plays a
# router by sending single adverts it builds (inject.py, below). One topology
# per scenario:
#  garp     vrrp_garp_master_delay / _repeat / _refresh / _refresh_repeat
#           (global) and garp_master_* (instance, overriding them): the GARP
#           bursts of a new master, counted and timed from the capture.
#  lower    a master hears one lower-priority advert: vrrp_garp_lower_prio_repeat
#           and garp_lower_prio_repeat GARPs answer it with one advert;
#           lower_prio_no_advert, vrrp_lower_prio_no_advert (and the instance
#           turning it off again): no advert; strict_mode, vrrp_strict: no
#           advert and no GARP whatever the instance asks, and vrrp_strict
#           drops the PASS authentication from the adverts.
#  higher   a master hears one higher-priority advert and yields: one advert of
#           its own priority by default, none with vrrp_higher_prio_send_advert
#           false.
#  unicast  unicast_peer ... min_ttl / max_ttl: adverts from the peer with a
#           TTL outside the bounds are dropped and counted (stats file), one
#           inside is taken (and answered); vrrp_check_unicast_src: an advert
#           from an address that is no peer is dropped and counted.
#  down     down_timer_adverts (instance, over the global) and
#           vrrp_down_timer_adverts: a frozen master (keepalived) is replaced
#           after N x advert_int + Skew_Time, measured in the capture.
#  csum     v3_checksum_as_v2 (global, instance, and the instance turning it
#           off): VRRPv3/IPv4 checksums good for Wireshark only when told
#           v3_checksum_as_in_v2; keepalived 2.2.7, which has no such
#           keyword, finds them invalid (and takes the others).
#  mcast4 / mcast6  vrrp_mcast_group4 / vrrp_mcast_group6 (and vrrp_version 3
#           with no per-instance version): the adverts go to the group, as
#           VRRPv3; a keepalived backup with the same settings follows.
#  excluded virtual_ipaddress_excluded: added on the master, announced (GARP,
#           NA), not in the adverts.
#  nodad    -nodad, DAD on: the VIP is tentative first and probed (NS from ::);
#           the default VIP never is.
#  tcp      vrrp_tcp_check bind_port / bind_if: the SYNs leave from that port,
#           on that interface although the route points elsewhere.
# Every scenario runs through tv_measured: most count packets in time
# windows, which a stop of the whole machine by the hypervisor voids.
# native_ipv6 has no test: no configuration that loads behaves differently
# with it (its instance must have IPv6 VIPs, which make it IPv6 anyway).
# WK_ONLY="garp lower ..." runs some scenarios only.
# timeout: 240
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight tinyvrrp keepalived
[ "$TV_IMPL" = tinyvrrp ] ||
	tv_skip "tinyvrrp's knobs and defaults (vrrp_tcp_check, higher_prio_send_advert on)"
PY=/usr/bin/python3
[ -x "$PY" ] || tv_skip "$PY missing (the test's advert injector)"

COMPLAINT='[Ii]nvalid|mismatch|wrong|received an invalid passwd|expected [0-9]+ VIPs'
R1MAC=$(tv_mac r1)

# ---------------------------------------------------------------- injector

# inject.py SRC DST TTL VERSION VRID PRIO INTERVAL VIP...: one VRRP advert
# over IPv4 from SRC (an address of the node it runs in) to DST, with that
# TTL; v2: INTERVAL in seconds, no authentication; v3: in centiseconds,
# checksum with the pseudo-header.
cat >"$TV_TMP/inject.py" <<'EOF'
# SPDX-License-Identifier: MIT
import socket, struct, sys

src, dst = sys.argv[1:3]
ttl, ver, vrid, prio, intv = (int(a) for a in sys.argv[3:8])
vips = b"".join(socket.inet_aton(a) for a in sys.argv[8:])
n = len(sys.argv) - 8


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


if ver == 2:
    m = struct.pack("!BBBBBBH", 0x21, vrid, prio, n, 0, intv, 0) + vips + bytes(8)
    c = csum(m)
else:
    m = struct.pack("!BBBBHH", 0x31, vrid, prio, n, intv & 0xFFF, 0) + vips
    ph = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 112, len(m))
    c = csum(ph + m)
m = m[:6] + struct.pack("!H", c) + m[8:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"eth0")
s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))
s.bind((src, 0))
s.sendto(m, (dst, 0))
EOF

# inject NODE ARGS...: inject.py ARGS in NODE's namespace.
inject() { local n=$1; shift; tv_exec "$n" "$PY" "$TV_TMP/inject.py" "$@"; }

# ---------------------------------------------------------------- configs

# globals ROUTER_ID LINE...: a global_defs block.
globals() {
	local l
	echo "# SPDX-License-Identifier: MIT"
	echo "global_defs {"
	echo "    router_id $1"
	shift
	for l in "$@"; do echo "    $l"; done
	echo "}"
}

# inst NAME VRID PRIO VIPS LINE...: a vrrp_instance on eth0; VIPS: the
# entries of virtual_ipaddress, ';' between them; LINE: more statements
# (a block may take several LINEs).
inst() {
	local name=$1 vrid=$2 prio=$3 vips=$4 l v
	shift 4
	echo "vrrp_instance $name {"
	echo "    interface eth0"
	echo "    virtual_router_id $vrid"
	echo "    priority $prio"
	for l in "$@"; do echo "    $l"; done
	echo "    virtual_ipaddress {"
	IFS=';' read -ra v <<<"$vips"
	for l in "${v[@]}"; do echo "        $l"; done
	echo "    }"
	echo "}"
}

# ---------------------------------------------------------------- captures

# dump CAPTURE: every advert (ICMP errors quoting one left out) and ARP of a
# stopped capture, one per line:
# "MS|ETH_SRC|IP_SRC|IP_DST|TTL|VRID|PRIO|VERSION|ARP_SENDER_IP|AUTH_TYPE"
dump() {
	tv_tshark "$1" "(vrrp && !icmp) || arp" frame.time_epoch eth.src ip.src ip.dst ip.ttl \
		vrrp.virt_rtr_id vrrp.prio vrrp.version arp.src.proto_ipv4 vrrp.auth_type |
		awk -F'|' 'BEGIN { OFS = "|" } { split($1, t, ".");
			$1 = sprintf("%.0f", t[1] * 1000 + int(substr(t[2] "000", 1, 3))); print }'
}

# adverts_in DUMP SRC VRID FROM_MS TO_MS [PRIO]: adverts of VRID from SRC
# captured in [FROM, TO].
adverts_in() {
	awk -F'|' -v s="$2" -v v="$3" -v a="$4" -v b="$5" -v p="${6:-}" \
		'$3 == s && $6 == v && $1 >= a && $1 <= b && (p == "" || $7 == p) { n++ } END { print n + 0 }' <<<"$1"
}

# garps_in DUMP IP FROM_MS TO_MS: GARPs for IP from r1's, r2's or r3's MAC
# (the routers under test) captured in [FROM, TO].
garps_in() {
	awk -F'|' -v ip="$2" -v a="$3" -v b="$4" \
		'$9 == ip && $2 ~ /^02:00:00:00:01:0[123]$/ && $1 >= a && $1 <= b { n++ } END { print n + 0 }' <<<"$1"
}

# first_advert DUMP SRC VRID PRIO: capture time of the first such advert.
first_advert() {
	awk -F'|' -v s="$2" -v v="$3" -v p="$4" '$3 == s && $6 == v && $7 == p { print $1; exit }' <<<"$1"
}

# cap_past CAPTURE MS: the capture holds a frame taken at MS or later.
cap_past() {
	local last
	last=$(tcpdump -r "$(tv_pcap "$1")" -n -tt 2>/dev/null | tail -n 1 | cut -d' ' -f1)
	[ -n "$last" ] && [ "${last%.*}${last#*.}" -ge "$2"000 ] 2>/dev/null
}
# wait_capture_past CAPTURE MS: bounded wait for that (frames keep coming:
# the masters advertise).
wait_capture_past() { tv_wait_until $(($2 - $(tv_now_ms) + 3000)) cap_past "$1" "$2"; }

# after_advert SRC VRID CMD...: once the capture on sw holds a new advert of
# VRID from SRC (a master's periodic one), run CMD at once: so nothing but
# an answer comes from SRC for VRID in the next 400 ms (advert_int 1 s).
after_advert() {
	local src=$1 vrid=$2 f n
	shift 2
	f="src host $src and ip proto 112 and ip[21] == $vrid"
	n=$(tv_cap_count sw "$f")
	tv_wait_until 3000 tv_cap_grew sw "$f" "$n" ||
		{ tv_fail "no advert of VRID $vrid from $src"; return 1; }
	"$@"
}

# ---------------------------------------------------------------- stats

# counter NODE NAME: counter NAME ("Received", "TTL", "Source") of VI_1 in
# NODE's stats file (SIGUSR2 -> $TMPDIR/keepalived.stats).
counter() {
	local f=$TV_RUN/$1/keepalived.stats
	rm -f "$f"
	kill -USR2 "$(tv_vrrp_pid "$1")" 2>/dev/null || return 1
	tv_wait_until 3000 stats_ready "$f" || return 1
	awk -v k="$2" '/^VRRP Instance: VI_1$/ { i = 1; next } /^VRRP Instance: / { i = 0 }
		i && /^  Advertisements:/ { s = "a"; next } i && /^  Packet Errors:/ { s = "p"; next }
		/^  [A-Z]/ { s = "" }
		i && ((k == "Received" && s == "a") || (k != "Received" && s == "p")) &&
			$0 ~ "^    " k ": " { print $2; exit }' "$f"
}
stats_ready() {
	local a b
	grep -q '^Global:' "$1" 2>/dev/null || return 1
	a=$(wc -c <"$1"); sleep 0.02; b=$(wc -c <"$1")
	[ "$a" = "$b" ]
}
counter_is() { [ "$(counter "$1" "$2")" = "$3" ]; }

# ---------------------------------------------------------------- garp

# bursts DUMP IP: the GARPs for IP from r1's MAC as bursts (frames less than
# 300 ms apart), "COUNT@START" with START in ms from the first burst.
bursts() {
	awk -F'|' -v ip="$2" -v mac="$R1MAC" '$9 == ip && $2 == mac { print $1 }' <<<"$1" |
		awk 'NR == 1 { t0 = $1 } NR > 1 && $1 - last > 300 { printf "%d@%d ", n, s - t0; n = 0 }
			n == 0 { s = $1 } { n++; last = $1 } END { if (n) printf "%d@%d", n, s - t0 }'
}

# bursts_like WHAT GOT WANT: the same counts, each start within 300 ms of
# the one wanted.
bursts_like() {
	local what=$1 got=$2 want=$3 g w i ok=1
	read -ra g <<<"$got"; read -ra w <<<"$want"
	[ "${#g[@]}" = "${#w[@]}" ] || ok=0
	for ((i = 0; ok && i < ${#w[@]}; i++)); do
		[ "${g[i]%@*}" = "${w[i]%@*}" ] || ok=0
		[ $((${g[i]#*@} - ${w[i]#*@})) -le 300 ] && [ $((${w[i]#*@} - ${g[i]#*@})) -le 300 ] || ok=0
	done
	if [ "$ok" = 1 ]; then tv_log "ok: $what: $got (count@ms)"; return 0; fi
	tv_fail "$what: got '$got', expected '$want' (count@ms, +-300 ms)"
}

garp() {
	local d
	tv_variant v3-4
	tv_log "-- garp: vrrp_garp_master_* (VI_1) and garp_master_* (VI_2, overriding them)"
	tv_topo || { tv_fail "topology"; return; }
	{
		globals r1 "vrrp_garp_master_delay 1" "vrrp_garp_master_repeat 2" \
			"vrrp_garp_master_refresh 2" "vrrp_garp_master_refresh_repeat 3"
		inst VI_1 51 150 "198.18.1.100/24 dev eth0" "version 3" "advert_int 0.1"
		inst VI_2 52 150 "198.18.1.101/24 dev eth0" "version 3" "advert_int 0.1" \
			"garp_master_delay 2" "garp_master_repeat 3" \
			"garp_master_refresh 3" "garp_master_refresh_repeat 2"
	} >"$TV_RUN/r1.conf"
	tv_cap_start sw sw || return
	tv_start r1 tinyvrrp "$TV_RUN/r1.conf" || return
	tv_check "r1 holds both VIPs" tv_wait_until 3000 \
		eval 'tv_has_vip r1 198.18.1.100 && tv_has_vip r1 198.18.1.101' || return
	# 7 s: the refreshes at 2, 4, 6 s (VI_1) and 3, 6 s (VI_2).
	wait_capture_past sw $(($(tv_now_ms) + 7000))
	tv_cap_stop sw
	d=$(dump sw)
	# VI_1: burst of 2 at once, 2 more after 1 s, refreshes of 3 every 2 s.
	bursts_like "VI_1 GARPs (global: delay 1 repeat 2 refresh 2 refresh_repeat 3)" \
		"$(bursts "$d" 198.18.1.100)" "2@0 2@1000 3@2000 3@4000 3@6000"
	# VI_2: 3 at once, 3 more after 2 s, refreshes of 2 every 3 s.
	bursts_like "VI_2 GARPs (instance: delay 2 repeat 3 refresh 3 refresh_repeat 2)" \
		"$(bursts "$d" 198.18.1.101)" "3@0 3@2000 2@3000 2@6000"
}

# ---------------------------------------------------------------- lower

# answer WHAT DUMP ROUTER VRID VIP ADVERTS [GARPS]: ROUTER's instance VI_N
# (N = VRID - 50, an owner) took c1's advert of priority 50 for VRID and
# sent ADVERTS adverts and GARPS GARPs for VIP within 400 ms of it (GARPS
# empty: only logged).
answer() {
	local what=$1 d=$2 src vrid=$4 vip=$5 na=$6 ng=${7:-} t a g
	src=$(tv_ip4 "$3")
	tv_check "$what: $3 took the advert" tv_logged "$3" \
		"\\(VI_$((vrid - 50))\\) Received advert from $(tv_ip4 c1) with lower priority 50, ours 255"
	t=$(first_advert "$d" "$(tv_ip4 c1)" "$vrid" 50)
	[ -n "$t" ] || { tv_fail "$what: c1's advert for VRID $vrid was not captured"; return 1; }
	a=$(adverts_in "$d" "$src" "$vrid" "$t" $((t + 400)) 255)
	g=$(garps_in "$d" "$vip" "$t" $((t + 400)))
	tv_check "$what: $na advert(s) in answer ($a)" [ "$a" = "$na" ]
	if [ -n "$ng" ]; then
		tv_check "$what: $ng GARP(s) for $vip in answer ($g)" [ "$g" = "$ng" ]
	else
		tv_log "figure: $what: $g GARP(s) for $vip in answer"
	fi
}

lower_up() {
	local i
	for i in 1 2 3 4; do tv_has_vip r1 "198.18.1.10$i" || return 1; done
	tv_has_vip r2 198.18.1.105 && tv_has_vip r2 198.18.1.106 && tv_has_vip r3 198.18.1.107
}

lower() {
	local d i ver vrid node int
	local -a v=(3:51:r1 3:52:r1 3:53:r1 3:54:r1 3:55:r2 3:56:r2 2:57:r3)	# VERSION:VRID:ROUTER
	tv_variant v3-4
	tv_log "-- lower: masters hear one advert of lower priority"
	tv_topo r3 || { tv_fail "topology"; return; }
	# Owners (priority 255): masters at once. No second GARP burst
	# (vrrp_garp_master_delay 0): only answers go out after the start.
	{
		globals r1 "vrrp_garp_master_delay 0" "vrrp_garp_lower_prio_repeat 2"
		inst VI_1 51 255 "198.18.1.101/24 dev eth0" "version 3" "advert_int 1"
		inst VI_2 52 255 "198.18.1.102/24 dev eth0" "version 3" "advert_int 1" \
			"garp_lower_prio_repeat 4"
		inst VI_3 53 255 "198.18.1.103/24 dev eth0" "version 3" "advert_int 1" \
			"lower_prio_no_advert"
		inst VI_4 54 255 "198.18.1.104/24 dev eth0" "version 3" "advert_int 1" \
			"strict_mode" "lower_prio_no_advert false" "garp_lower_prio_repeat 3"
	} >"$TV_RUN/r1.conf"
	{
		globals r2 "vrrp_garp_master_delay 0" "vrrp_lower_prio_no_advert"
		inst VI_5 55 255 "198.18.1.105/24 dev eth0" "version 3" "advert_int 1"
		inst VI_6 56 255 "198.18.1.106/24 dev eth0" "version 3" "advert_int 1" \
			"lower_prio_no_advert false"
	} >"$TV_RUN/r2.conf"
	{
		globals r3 "vrrp_garp_master_delay 0" "vrrp_strict"
		inst VI_7 57 255 "198.18.1.107/24 dev eth0" "version 2" "advert_int 1" \
			"garp_lower_prio_repeat 3" "authentication {" "    auth_type PASS" \
			"    auth_pass s3cret" "}"
	} >"$TV_RUN/r3.conf"
	tv_cap_start sw sw || return
	for i in r1 r2 r3; do tv_start "$i" tinyvrrp "$TV_RUN/$i.conf" || return; done
	tv_check "the seven VIPs are up" tv_wait_until 3000 lower_up || return
	# One advert of priority 50 per VRID, each right after that master's
	# own periodic advert.
	for i in "${v[@]}"; do
		IFS=: read -r ver vrid node <<<"$i"
		int=1; [ "$ver" = 3 ] && int=100
		after_advert "$(tv_ip4 "$node")" "$vrid" \
			inject c1 "$(tv_ip4 c1)" 224.0.0.18 255 "$ver" "$vrid" 50 "$int" "198.18.1.$((vrid + 50))" ||
			return
	done
	wait_capture_past sw $(($(tv_now_ms) + 600))
	tv_cap_stop sw
	d=$(dump sw)
	answer "VI_1 (vrrp_garp_lower_prio_repeat 2)" "$d" r1 51 198.18.1.101 1 2
	answer "VI_2 (garp_lower_prio_repeat 4 over the global 2)" "$d" r1 52 198.18.1.102 1 4
	# With lower_prio_no_advert there is no advert in answer, but the
	# garp_lower_prio_repeat GARPs go out all the same, as keepalived
	# 2.2.7 sends them (only strict mode makes that 0).
	answer "VI_3 (lower_prio_no_advert)" "$d" r1 53 198.18.1.103 0 2
	answer "VI_4 (strict_mode, though lower_prio_no_advert false, garp_lower_prio_repeat 3)" \
		"$d" r1 54 198.18.1.104 0 0
	answer "VI_5 (vrrp_lower_prio_no_advert; GARPs: garp_master_repeat's 5)" "$d" r2 55 198.18.1.105 0 5
	answer "VI_6 (lower_prio_no_advert false over vrrp_lower_prio_no_advert)" \
		"$d" r2 56 198.18.1.106 1
	answer "VI_7 (vrrp_strict, garp_lower_prio_repeat 3)" "$d" r3 57 198.18.1.107 0 0
	tv_all_lines "VI_7's adverts (vrrp_strict, auth_type PASS configured): VRRPv2, no authentication" \
		"2|0" "$(awk -F'|' -v s="$(tv_ip4 r3)" '$3 == s && $6 == 57 { print $8 "|" $10 }' <<<"$d")"
	tv_check "r3 says strict mode drops the authentication" \
		tv_logged r3 "strict mode forbids authentication"
	for i in r1 r2 r3; do
		tv_check "$i never left MASTER" tv_not tv_logged "$i" "Entering (BACKUP|FAULT) STATE"
	done
}

# ---------------------------------------------------------------- higher

higher() {
	local d t a
	tv_variant v3-4
	tv_log "-- higher: masters hear one advert of higher priority and yield"
	tv_topo || { tv_fail "topology"; return; }
	{
		globals r1 "vrrp_higher_prio_send_advert false"
		inst VI_1 51 100 "198.18.1.101/24 dev eth0" "state MASTER" "version 3" "advert_int 1"
	} >"$TV_RUN/r1.conf"
	{
		globals r2
		inst VI_2 52 100 "198.18.1.102/24 dev eth0" "state MASTER" "version 3" "advert_int 1"
	} >"$TV_RUN/r2.conf"
	tv_cap_start sw sw || return
	tv_start r1 tinyvrrp "$TV_RUN/r1.conf" || return
	tv_start r2 tinyvrrp "$TV_RUN/r2.conf" || return
	tv_check "r1 and r2 are masters" tv_wait_until 4000 \
		eval 'tv_has_vip r1 198.18.1.101 && tv_has_vip r2 198.18.1.102' || return
	after_advert "$(tv_ip4 r1)" 51 inject c1 "$(tv_ip4 c1)" 224.0.0.18 255 3 51 200 100 198.18.1.101 || return
	after_advert "$(tv_ip4 r2)" 52 inject c1 "$(tv_ip4 c1)" 224.0.0.18 255 3 52 200 100 198.18.1.102 || return
	wait_capture_past sw $(($(tv_now_ms) + 600))
	tv_cap_stop sw
	tv_check "r1 yielded" tv_logged r1 "\\(VI_1\\) Master received advert from $(tv_ip4 c1) with higher priority 200, ours 100"
	tv_check "r2 yielded" tv_logged r2 "\\(VI_2\\) Master received advert from $(tv_ip4 c1) with higher priority 200, ours 100"
	d=$(dump sw)
	t=$(first_advert "$d" "$(tv_ip4 c1)" 51 200)
	a=$(adverts_in "$d" "$(tv_ip4 r1)" 51 "${t:-0}" $((${t:-0} + 400)))
	tv_check "r1 (vrrp_higher_prio_send_advert false) sent no advert as it yielded ($a)" \
		eval '[ -n "$t" ] && [ "$a" = 0 ]'
	t=$(first_advert "$d" "$(tv_ip4 c1)" 52 200)
	a=$(adverts_in "$d" "$(tv_ip4 r2)" 52 "${t:-0}" $((${t:-0} + 400)) 100)
	tv_check "r2 (default) sent one advert of its priority 100 as it yielded ($a)" \
		eval '[ -n "$t" ] && [ "$a" = 1 ]'
}

# ---------------------------------------------------------------- unicast

# uc_probe WHAT SRC TTL EXPECT_COUNTER: c1 sends r1 a unicast advert of
# priority 50 from SRC with TTL; EXPECT_COUNTER, one of Received, TTL and
# Source, goes up by one and the others stay.
uc_probe() {
	local what=$1 src=$2 ttl=$3 want=$4 k
	local -A before
	for k in Received TTL Source; do before[$k]=$(counter r1 "$k"); done
	after_advert "$(tv_ip4 r1)" 51 \
		inject c1 "$src" "$(tv_ip4 r1)" "$ttl" 3 51 50 100 198.18.1.100 || return 1
	tv_check "$what: r1 counts it under $want" tv_wait_until 2000 \
		counter_is r1 "$want" $((${before[$want]:-0} + 1))
	for k in Received TTL Source; do
		[ "$k" = "$want" ] && continue
		tv_check "$what: not under $k" counter_is r1 "$k" "${before[$k]}"
	done
}

unicast() {
	local d t a s n
	tv_variant v3-4
	tv_log "-- unicast: min_ttl / max_ttl, vrrp_check_unicast_src"
	tv_topo || { tv_fail "topology"; return; }
	ip -n "$(tv_ns c1)" addr add 198.18.1.11/24 dev eth0 || return
	{
		globals r1 "vrrp_check_unicast_src"
		inst VI_1 51 255 "198.18.1.100/24 dev eth0" "version 3" "advert_int 1" \
			"unicast_peer {" "    $(tv_ip4 c1) min_ttl 50 max_ttl 200" "    $(tv_ip4 r2)" "}"
	} >"$TV_RUN/r1.conf"
	tv_cap_start sw sw || return
	TMPDIR=$TV_RUN/r1 tv_start r1 tinyvrrp "$TV_RUN/r1.conf" || return
	tv_check "r1 holds the VIP" tv_wait_until 3000 tv_has_vip r1 198.18.1.100 || return
	uc_probe "TTL 10 (below min_ttl 50)" "$(tv_ip4 c1)" 10 TTL
	uc_probe "TTL 255 (above max_ttl 200)" "$(tv_ip4 c1)" 255 TTL
	uc_probe "from 198.18.1.11, no peer" 198.18.1.11 255 Source
	uc_probe "TTL 100 (inside)" "$(tv_ip4 c1)" 100 Received
	wait_capture_past sw $(($(tv_now_ms) + 600))
	tv_cap_stop sw
	d=$(dump sw)
	s=$(awk -F'|' -v a="$(tv_ip4 c1)" -v b=198.18.1.11 '($3 == a || $3 == b) && $6 == 51 { printf "%s/%s ", $3, $5 }' <<<"$d")
	tv_check "the injected adverts went out as meant ($s)" \
		[ "$s" = "$(tv_ip4 c1)/10 $(tv_ip4 c1)/255 198.18.1.11/255 $(tv_ip4 c1)/100 " ]
	# r1 answers (forcing new election: lower priority) the taken one
	# only, to each peer.
	n=0
	while read -r t; do
		n=$((n + 1))
		a=$(awk -F'|' -v s="$(tv_ip4 r1)" -v a="$t" -v b=$((t + 400)) \
			'$3 == s && $6 == 51 && $1 >= a && $1 <= b { printf "%s ", $4 }' <<<"$d")
		if [ "$n" -lt 4 ]; then
			tv_check "no answer to dropped advert $n ('$a')" [ -z "$a" ]
		else
			tv_check "the taken advert is answered, to each peer ('$a')" \
				[ "$a" = "$(tv_ip4 c1) $(tv_ip4 r2) " ]
		fi
	done < <(awk -F'|' -v a="$(tv_ip4 c1)" -v b=198.18.1.11 '($3 == a || $3 == b) && $6 == 51 { print $1 }' <<<"$d")
	tv_check "four adverts injected ($n)" [ "$n" = 4 ]
}

# ---------------------------------------------------------------- down

# gap DUMP OLD NEW VRID: ms from OLD's last advert of VRID to NEW's first.
gap() {
	awk -F'|' -v a="$(tv_ip4 "$2")" -v b="$(tv_ip4 "$3")" -v v="$4" \
		'$6 != v { next } $3 == b { if (last != "") print $1 - last; exit } $3 == a { last = $1 }' <<<"$1"
}

down() {
	local d g skew
	tv_variant v3-4
	tv_log "-- down: down_timer_adverts, vrrp_down_timer_adverts (advert_int 0.1)"
	tv_topo r3 || { tv_fail "topology"; return; }
	{
		globals r1
		inst VI_1 51 150 "198.18.1.101/24 dev eth0" "version 3" "advert_int 0.1"
		inst VI_2 52 150 "198.18.1.102/24 dev eth0" "version 3" "advert_int 0.1"
	} >"$TV_RUN/r1.conf"
	{
		globals r2 "vrrp_down_timer_adverts 15"
		inst VI_1 51 100 "198.18.1.101/24 dev eth0" "version 3" "advert_int 0.1" \
			"down_timer_adverts 8"
	} >"$TV_RUN/r2.conf"
	{
		globals r3 "vrrp_down_timer_adverts 15"
		inst VI_2 52 100 "198.18.1.102/24 dev eth0" "version 3" "advert_int 0.1"
	} >"$TV_RUN/r3.conf"
	tv_cap_start sw sw || return
	tv_start r1 keepalived "$TV_RUN/r1.conf" || return
	tv_check "r1 (keepalived) holds both VIPs" tv_wait_until 3000 \
		eval 'tv_has_vip r1 198.18.1.101 && tv_has_vip r1 198.18.1.102' || return
	tv_start r2 tinyvrrp "$TV_RUN/r2.conf" || return
	tv_start r3 tinyvrrp "$TV_RUN/r3.conf" || return
	tv_check "r2 and r3 stay backups for 1 s" tv_hold_for 1000 \
		eval '! tv_has_vip r2 198.18.1.101 && ! tv_has_vip r3 198.18.1.102'
	tv_freeze r1
	tv_check "r2 and r3 take over" tv_wait_until 4000 \
		eval 'tv_has_vip r2 198.18.1.101 && tv_has_vip r3 198.18.1.102'
	wait_capture_past sw $(($(tv_now_ms) + 300))
	tv_cap_stop sw
	tv_thaw r1
	d=$(dump sw)
	skew=$(((256 - 100) * 100 / 256))
	g=$(gap "$d" r1 r2 51)
	tv_between "r2 (down_timer_adverts 8 over the global 15): r1's last advert -> r2's first (ms)" \
		"${g:-0}" 800 $((800 + skew + 450))
	g=$(gap "$d" r1 r3 52)
	tv_between "r3 (vrrp_down_timer_adverts 15): r1's last advert -> r3's first (ms)" \
		"${g:-0}" 1500 $((1500 + skew + 450))
}

# ---------------------------------------------------------------- csum

# csum_status CAPTURE AS_V2 SRC VRID: the checksum verdicts of SRC's adverts
# of VRID (1 good, 0 bad) when Wireshark computes them with
# (AS_V2 FALSE) or without (TRUE) the pseudo-header, one line each.
csum_status() {
	tshark -n -r "$(tv_pcap "$1")" -o "vrrp.v3_checksum_as_in_v2:$2" \
		-Y "vrrp && !icmp && ip.src == $3 && vrrp.virt_rtr_id == $4" \
		-T fields -e vrrp.version -e vrrp.checksum.status 2>/dev/null
}

csum() {
	local vrid src want
	tv_variant v3-4
	tv_log "-- csum: v3_checksum_as_v2 (VRRPv3 IPv4)"
	tv_topo r3 || { tv_fail "topology"; return; }
	{
		globals r1 "v3_checksum_as_v2"
		inst VI_1 51 150 "198.18.1.101/24 dev eth0" "version 3" "advert_int 0.1"
		inst VI_2 52 150 "198.18.1.102/24 dev eth0" "version 3" "advert_int 0.1" \
			"v3_checksum_as_v2 false"
	} >"$TV_RUN/r1.conf"
	{
		globals r2
		inst VI_3 53 150 "198.18.1.103/24 dev eth0" "version 3" "advert_int 0.1" \
			"v3_checksum_as_v2"
	} >"$TV_RUN/r2.conf"
	# keepalived 2.2.7 knows no v3_checksum_as_v2 (a later version's
	# keyword): a witness that takes the pseudo-header checksum only.
	{
		globals r3
		inst VI_1 51 100 "198.18.1.101/24 dev eth0" "version 3" "advert_int 0.1"
		inst VI_2 52 100 "198.18.1.102/24 dev eth0" "version 3" "advert_int 0.1"
	} >"$TV_RUN/r3.conf"
	tv_cap_start sw sw || return
	tv_start r1 tinyvrrp "$TV_RUN/r1.conf" || return
	tv_start r2 tinyvrrp "$TV_RUN/r2.conf" || return
	tv_check "r1 and r2 hold their VIPs" tv_wait_until 3000 eval \
		'tv_has_vip r1 198.18.1.101 && tv_has_vip r1 198.18.1.102 && tv_has_vip r2 198.18.1.103' ||
		return
	tv_start r3 keepalived "$TV_RUN/r3.conf" || return
	tv_check "r3 (keepalived) follows r1's VI_2 for 1.5 s" \
		tv_hold_for 1500 tv_not tv_has_vip r3 198.18.1.102
	tv_cap_stop sw
	tv_check "r3 (keepalived) finds the checksums of r1's VI_1 invalid" \
		tv_logged r3 "\\(VI_1\\) Invalid VRRPv3 checksum"
	tv_check "r3 (keepalived) takes those of r1's VI_2" \
		tv_not tv_logged r3 "\\(VI_2\\) Invalid VRRPv3 checksum"
	for vrid in 51 52 53; do
		src=$(tv_ip4 r1); [ "$vrid" = 53 ] && src=$(tv_ip4 r2)
		case $vrid in 52) want="1 0" ;; *) want="0 1" ;; esac
		tv_all_lines "VRID $vrid from $src, checksum with the pseudo-header: $([ "${want% *}" = 1 ] && echo good || echo bad)" \
			"3|${want% *}" "$(csum_status sw FALSE "$src" "$vrid" | tr '\t' '|')"
		tv_all_lines "VRID $vrid from $src, checksum as in VRRPv2: $([ "${want#* }" = 1 ] && echo good || echo bad)" \
			"3|${want#* }" "$(csum_status sw TRUE "$src" "$vrid" | tr '\t' '|')"
	done
}

# ---------------------------------------------------------------- mcast

# prio_of ROUTER: r1 150, the others 100.
prio_of() { if [ "$1" = r1 ]; then echo 150; else echo 100; fi; }

# mcast FAM: vrrp_mcast_group4 224.0.0.100 (with vrrp_version 3 and no
# per-instance version) or vrrp_mcast_group6 ff02::100; r1 tinyvrrp (150),
# r2 keepalived (100) set alike.
mcast() {
	local fam=$1 grp r vip ads
	tv_variant "v3-$fam"
	tv_topo || { tv_fail "topology"; return; }
	if [ "$fam" = 4 ]; then
		grp=224.0.0.100 vip="$TV_VIP/24 dev eth0"
		for r in r1 r2; do
			{
				globals "$r" "vrrp_version 3" "vrrp_mcast_group4 $grp"
				inst VI_1 51 "$(prio_of "$r")" "$vip" "advert_int 0.1"
			} >"$TV_RUN/$r.conf"
		done
		tv_check "no per-instance version in the configs" tv_not grep -q '^ *version ' "$TV_RUN/r1.conf"
	else
		grp=ff02::100 vip="$TV_VIP/64 dev eth0"
		for r in r1 r2; do
			{
				globals "$r" "vrrp_mcast_group6 $grp"
				inst VI_1 51 "$(prio_of "$r")" "$vip" "version 3" "advert_int 0.1"
			} >"$TV_RUN/$r.conf"
		done
	fi
	TV_INT=0.1 TV_INT_MS=100
	tv_log "-- mcast$fam: adverts to $grp"
	tv_cap_start sw sw || return
	tv_start_pair tinyvrrp keepalived "r1 alone holds the VIP within MDI + 2 s" tv_only r1 || return
	tv_check "r2 (keepalived) follows r1 on $grp: one holder (r1) for 1.5 s" tv_hold_for 1500 tv_only r1
	tv_signal_stop r1
	tv_check "r2 takes over within Skew_Time + 1 s of r1's stop (priority 0 heard on $grp)" \
		tv_wait_until $(($(tv_skew_ms 100) + 1000)) tv_only r2
	tv_wait_stopped r1
	wait_capture_past sw $(($(tv_now_ms) + 300))
	tv_cap_stop sw
	tv_check "r2 (keepalived) never complained" tv_not tv_logged_any r2 "$COMPLAINT"
	ads=$(tv_tshark sw "vrrp && !icmp && !icmpv6 && $TV_IPF.src == $(tv_src r1)" "$TV_IPF.dst" vrrp.version)
	tv_all_lines "r1's adverts: to $grp, VRRPv3" "$grp|3" "$ads"
	if [ "$fam" = 4 ]; then
		ads=$(tv_tshark sw "vrrp && !icmp && ip.src == $(tv_src r1)" vrrp.short_adver_int | sort -u)
		tv_check "r1 advertises every 0.1 s, which VRRPv2 cannot say ($ads)" [ "$ads" = 10 ]
	fi
	ads=$(tv_tshark sw "vrrp && !icmp && !icmpv6 && $TV_IPF.src == $(tv_src r2)" "$TV_IPF.dst")
	tv_all_lines "r2's adverts (keepalived, master after r1): to $grp" "$grp" "$ads"
}

# ---------------------------------------------------------------- excluded

excluded() {
	local ads na n r
	tv_variant v3-4
	tv_log "-- excluded: virtual_ipaddress_excluded, IPv4 and IPv6 addresses"
	tv_topo || { tv_fail "topology"; return; }
	for r in r1 r2; do
		{
			globals "$r"
			inst VI_1 51 "$(prio_of "$r")" "$TV_VIP/24 dev eth0" \
				"version 3" "advert_int 0.1" "virtual_ipaddress_excluded {" \
				"    198.18.1.101/24 dev eth0" "    2001:db8:1::101/64 dev eth0" "}"
		} >"$TV_RUN/$r.conf"
	done
	tv_cap_start sw sw || return
	tv_start_pair tinyvrrp keepalived "r1 alone holds the VIP within MDI + 2 s" tv_only r1 || return
	tv_check "r1 holds the excluded addresses too" tv_wait_until 1000 \
		eval 'tv_has_vip r1 198.18.1.101 && tv_has_vip r1 2001:db8:1::101'
	tv_check "r2 (keepalived, backup) holds none" tv_hold_for 1000 \
		eval '! tv_has_vip r2 198.18.1.101 && ! tv_has_vip r2 2001:db8:1::101'
	tv_stop r1
	tv_check "r1 removed the excluded addresses as it stopped" \
		eval '! tv_has_vip r1 198.18.1.101 && ! tv_has_vip r1 2001:db8:1::101'
	tv_check "r2 (keepalived) took over" tv_wait_until 2000 tv_only r2
	wait_capture_past sw $(($(tv_now_ms) + 200))
	tv_cap_stop sw
	ads=$(tv_tshark sw "vrrp && !icmp && ip.src == $(tv_ip4 r1) && vrrp.prio == 150" \
		vrrp.addr_count vrrp.ip_addr)
	tv_all_lines "r1's adverts list the VIP only" "1|$TV_VIP" "$ads"
	n=$(tv_tshark sw "arp && eth.src == $R1MAC && arp.src.proto_ipv4 == 198.18.1.101" frame.number | grep -c .)
	tv_check "r1 sent GARPs for 198.18.1.101 ($n)" [ "$n" -gt 0 ]
	na=$(tv_tshark sw "icmpv6.type == 136 && eth.src == $R1MAC && icmpv6.nd.na.target_address == 2001:db8:1::101" \
		frame.number | grep -c .)
	tv_check "r1 sent unsolicited NAs for 2001:db8:1::101 ($na)" [ "$na" -gt 0 ]
	tv_check "r2 (keepalived) never complained of the address list" tv_not tv_logged_any r2 "$COMPLAINT"
}

# ---------------------------------------------------------------- nodad

T100="" T101=""
dad_sample() {
	local out
	out=$(ip -n "$(tv_ns r1)" -6 -o addr show dev eth0 2>/dev/null)
	grep -F " 2001:db8:1::100/" <<<"$out" | grep -q tentative && T100=tentative
	grep -F " 2001:db8:1::101/" <<<"$out" | grep -q tentative && T101=tentative
	tv_has_vip r1 2001:db8:1::100 && tv_has_vip r1 2001:db8:1::101
}
dad_ns() {
	tv_tshark sw "icmpv6.type == 135 && ipv6.src == :: && eth.src == $R1MAC && icmpv6.nd.ns.target_address == $1" \
		frame.number | grep -c .
}

nodad() {
	local n
	tv_variant v3-6
	tv_log "-- nodad: -nodad on an IPv6 VIP, DAD on"
	tv_topo || { tv_fail "topology"; return; }
	tv_exec r1 sysctl -q -w net.ipv6.conf.eth0.accept_dad=1 || return
	{
		globals r1
		inst VI_1 51 150 "2001:db8:1::100/64 dev eth0;2001:db8:1::101/64 dev eth0 -nodad" \
			"version 3" "advert_int 0.1"
	} >"$TV_RUN/r1.conf"
	tv_cap_start sw sw || return
	T100="" T101=""
	tv_start r1 tinyvrrp "$TV_RUN/r1.conf" || return
	tv_check "both VIPs usable within 5 s" tv_wait_until 5000 dad_sample
	tv_check "2001:db8:1::101 (-nodad) was tentative first" [ "$T101" = tentative ]
	tv_check "2001:db8:1::100 (default) was never tentative" [ -z "$T100" ]
	tv_cap_stop sw
	n=$(dad_ns 2001:db8:1::101)
	tv_check "r1's kernel probed 2001:db8:1::101 (NS from ::) ($n)" [ "$n" -gt 0 ]
	n=$(dad_ns 2001:db8:1::100)
	tv_check "nor probed 2001:db8:1::100 ($n)" [ "$n" = 0 ]
}

# ---------------------------------------------------------------- tcp

# syns CAPTURE: the TCP SYNs of a capture, "SRC:PORT>DST:PORT" one each.
syns() {
	tv_tshark "$1" "tcp.flags.syn == 1 && tcp.flags.ack == 0" ip.src tcp.srcport ip.dst tcp.dstport |
		awk -F'|' '{ print $1 ":" $2 ">" $3 ":" $4 }'
}
syn_count() { tcpdump -r "$(tv_pcap "$1")" -n "tcp[tcpflags] == tcp-syn and src port $2" 2>/dev/null | wc -l; }

tcp() {
	tv_variant v3-4
	tv_log "-- tcp: vrrp_tcp_check bind_port, bind_if"
	tv_topo || { tv_fail "topology"; return; }
	# 198.51.100.0/24 is on r1's side0 (the route the kernel picks; a veth
	# whose other end, side1, stays in r1 and takes nothing: without ARP
	# the SYNs go out and vanish) and, with a worse metric, on eth0, where
	# c1 holds 198.51.100.10: nothing listens on 8080 and 8081 (refused);
	# on 8082 a listener accepts, and chk_ok's bound port must be free
	# again for its next check (no TIME-WAIT left by a graceful close).
	if ! { ip -n "$(tv_ns r1)" link add side0 type veth peer name side1 &&
		ip -n "$(tv_ns r1)" link set side0 arp off &&
		ip -n "$(tv_ns r1)" addr add 198.51.100.1/24 dev side0 &&
		ip -n "$(tv_ns r1)" link set side1 up &&
		ip -n "$(tv_ns r1)" link set side0 up &&
		ip -n "$(tv_ns r1)" route add 198.51.100.0/24 dev eth0 metric 100 &&
		ip -n "$(tv_ns c1)" addr add 198.51.100.10/24 dev eth0; }; then
		tv_fail "addresses and routes"; return
	fi
	{
		globals r1
		cat <<-EOF
		vrrp_tcp_check chk_eth {
		    connect_ip 198.51.100.10
		    connect_port 8080
		    bind_port 40123
		    bind_if eth0
		    connect_timeout 1
		    interval 0.3
		    weight -10
		}
		vrrp_tcp_check chk_ok {
		    connect_ip 198.51.100.10
		    connect_port 8082
		    bind_port 40125
		    bind_if eth0
		    connect_timeout 1
		    interval 0.3
		    weight -10
		}
		vrrp_tcp_check chk_route {
		    connect_ip 198.51.100.10
		    connect_port 8081
		    bind_port 40124
		    connect_timeout 1
		    interval 0.3
		    weight -10
		}
		EOF
		inst VI_1 51 150 "$TV_VIP/24 dev eth0" "version 3" "advert_int 0.1" \
			"track_script {" "    chk_eth" "    chk_ok" "    chk_route" "}"
	} >"$TV_RUN/r1.conf"
	tv_exec c1 "$PY" -c 'import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("198.51.100.10", 8082))
s.listen(16)
while True:
    s.accept()[0].close()' </dev/null >/dev/null 2>&1 &
	tv_check "c1 listens on 8082" tv_wait_until 3000 eval \
		'tv_exec c1 ss -ltn | grep -q "198.51.100.10:8082 "' || return
	tv_cap_start sw sw || return
	tv_cap_start side r1 side0 || return
	tv_start r1 tinyvrrp "$TV_RUN/r1.conf" || return
	tv_check "chk_eth: SYNs on the bridge" tv_wait_until 4000 eval '[ "$(syn_count sw 40123)" -ge 2 ]'
	tv_check "chk_route: SYNs on side0" tv_wait_until 4000 eval '[ "$(syn_count side 40124)" -ge 2 ]'
	tv_check "chk_ok: one connection after another from port 40125 (4 SYNs)" \
		tv_wait_until 4000 eval '[ "$(syn_count sw 40125)" -ge 4 ]'
	tv_check "chk_ok never failed" tv_not tv_logged r1 "tcp:8082 failed"
	tv_cap_stop sw
	tv_cap_stop side
	tv_all_lines "SYNs on the bridge from port 40123: chk_eth's, from eth0's address" \
		"$(tv_ip4 r1):40123>198.51.100.10:8080" "$(syns sw | grep -v ':40125>')"
	tv_all_lines "SYNs on side0: chk_route's, from port 40124 of side0's address" \
		"198.51.100.1:40124>198.51.100.10:8081" "$(syns side)"
}

# ---------------------------------------------------------------- main

want() { [ -z "${WK_ONLY:-}" ] || [[ " $WK_ONLY " == *" $1 "* ]]; }

want garp && { tv_measured garp; tv_teardown; }
want lower && { tv_measured lower; tv_teardown; }
want higher && { tv_measured higher; tv_teardown; }
want unicast && { tv_measured unicast; tv_teardown; }
want down && { tv_measured down; tv_teardown; }
want csum && { tv_measured csum; tv_teardown; }
want mcast4 && { tv_measured mcast 4; tv_teardown; }
want mcast6 && { tv_measured mcast 6; tv_teardown; }
want excluded && { tv_measured excluded; tv_teardown; }
want nodad && { tv_measured nodad; tv_teardown; }
want tcp && { tv_measured tcp; tv_teardown; }
tv_finish
