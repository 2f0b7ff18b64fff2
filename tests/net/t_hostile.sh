#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hostile packets: a running pair (r1 master, priority 150; r2 backup, 100;
# v2 with PASS authentication, v3 IPv4, v3 IPv6) while c1, a third host on
# the same bridge, injects VRRP it builds with scapy: random bytes as
# protocol 112, truncated headers, bad checksums, wrong version and type,
# wrong TTL / hop limit, higher priority with a wrong password, wrong auth
# type or interval, an unknown VRID; then a flood of all of these at 10,000
# packets a second for 10 s.
# Asserted: both daemons keep running; the roles never change (r1 holds the
# VIP and r2 never does at every sample, 50 ms apart (1.5 s at worst), and
# no state change is logged); each kind of packet is counted once under its reason in the stats
# file (SIGUSR2 -> $TMPDIR/keepalived.stats, TMPDIR set per daemon); the
# flood is counted too; the log has a few lines per reason, not one per packet.
# With TV_IMPL=keepalived only the roles are checked (its counters and logs
# differ).
# timeout: 240
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import scapy' 2>/dev/null ||
	tv_skip "Debian's python3-scapy is missing (run tests/deps)"

PY=/usr/bin/python3
N=20			# packets per kind
FLOOD_S=10
FLOOD_PPS=10000
INST=VI_1

# ---------------------------------------------------------------- injector

# Reads commands on stdin, answers one line each:
#   send KIND COUNT     -> "sent KIND COUNT"
#   flood SECONDS RATE  -> "flood SENT SECONDS_MS PPS"
# Every frame is built once (scapy for Ethernet/IP, VRRP by hand so every
# field and the checksum are exactly as chosen) and sent on an AF_PACKET
# socket.
cat >"$TV_TMP/inject.py" <<'EOF'
# SPDX-License-Identifier: MIT
import random, socket, struct, sys, time
from scapy.all import Ether, IP, IPv6, Raw

ver, fam, vrid, intv, vip, src, mac, pw = sys.argv[1:9]
ver, fam, vrid, intv = int(ver), int(fam), int(vrid), int(intv)
pw = pw.encode() if pw != "-" else b""
alen = 4 if fam == 4 else 16
group = "224.0.0.18" if fam == 4 else "ff02::12"
gmac = "01:00:5e:00:00:12" if fam == 4 else "33:33:00:00:00:12"
sb = socket.inet_pton(socket.AF_INET if fam == 4 else socket.AF_INET6, src)
gb = socket.inet_pton(socket.AF_INET if fam == 4 else socket.AF_INET6, group)
vb = socket.inet_pton(socket.AF_INET if fam == 4 else socket.AF_INET6, vip)

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF

def fix(m, bad=False):
    """Set the checksum of message m as a sender of its version would."""
    m = bytearray(m)
    m[6:8] = b"\0\0"
    v = m[0] >> 4
    if fam == 6 or v == 3:
        if fam == 6:
            ph = sb + gb + struct.pack("!IxxxB", len(m), 112)
        else:
            ph = sb + gb + struct.pack("!xBH", 112, len(m))
        c = csum(ph + bytes(m))
    else:
        c = csum(bytes(m))
    if bad:
        c ^= 0x5555
    m[6:8] = struct.pack("!H", c)
    return bytes(m)

def advert(v=ver, vid=vrid, prio=254, iv=intv, atype=None, auth=None, typ=1, bad=False):
    if v == 2:
        atype = (1 if pw else 0) if atype is None else atype
        auth = pw if auth is None else auth
        hdr = struct.pack("!BBBBBBH", v << 4 | typ, vid, prio, 1, atype, iv // 100, 0)
        tail = auth.ljust(8, b"\0")[:8] if fam == 4 else b""
    else:
        hdr = struct.pack("!BBBBHH", v << 4 | typ, vid, prio, 1, iv & 0xFFF, 0)
        tail = b""
    return fix(hdr + vb + tail, bad)

def frame(payload, ttl=255):
    if fam == 4:
        l3 = IP(src=src, dst=group, ttl=ttl, proto=112, tos=0xC0)
    else:
        l3 = IPv6(src=src, dst=group, hlim=ttl, nh=112)
    p = Ether(dst=gmac, src=mac) / l3
    if payload:
        p = p / Raw(payload)
    return bytes(p)

rnd = random.Random(5798)
other = 3 if ver == 2 else 2
kinds = {
    "random": [frame(bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 64))))
               for _ in range(64)],
    # a header cut short, and one announcing more addresses than it holds
    "short": [frame(advert()[:4]),
              frame(fix(struct.pack("!BBBBBBH", ver << 4 | 1, vrid, 254, 3, 0, 1, 0) + vb))],
    "checksum": [frame(advert(bad=True))],
    # version 1 (no such thing) and the other real version
    "version": [frame(fix(bytes([0x11]) + advert()[1:])), frame(advert(v=other))],
    "type": [frame(fix(bytes([ver << 4 | 2]) + advert()[1:]))],
    "ttl": [frame(advert(), ttl=64)],
    "vrid": [frame(advert(vid=vrid % 255 + 1))],
}
if ver == 2 and fam == 4:
    kinds["password"] = [frame(advert(auth=b"wrong!"))]
    kinds["authtype"] = [frame(advert(atype=0, auth=b""))]
    kinds["interval"] = [frame(advert(iv=intv + 200))]

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))

def send(p):
    while True:
        try:
            s.send(p)
            return
        except OSError:		# ENOBUFS: let the queue drain
            time.sleep(0.0002)

print("ready " + " ".join(sorted(kinds)), flush=True)
for line in sys.stdin:
    cmd = line.split()
    if cmd[0] == "send":
        pk = kinds[cmd[1]]
        for i in range(int(cmd[2])):
            send(pk[i % len(pk)])
        print("sent %s %s" % (cmd[1], cmd[2]), flush=True)
    elif cmd[0] == "flood":
        secs, rate = float(cmd[1]), int(cmd[2])
        mix = [p for k in sorted(kinds) for p in kinds[k]]
        rnd.shuffle(mix)
        n, m = 0, len(mix)
        t0 = time.monotonic()
        end = t0 + secs
        while True:
            now = time.monotonic()
            if now >= end:
                break
            due = min(int((now - t0) * rate) + 1, n + 500)
            if n >= due:
                time.sleep(0.0005)
                continue
            while n < due:
                send(mix[n % m])
                n += 1
        t = time.monotonic() - t0
        print("flood %d %d %d" % (n, int(t * 1000), int(n / t)), flush=True)
EOF

inj_start() {
	local args
	args=("$TV_VER" "$TV_FAM" 51 "$((TV_INT_MS / 10))" "$TV_VIP")
	if [ "$TV_FAM" = 4 ]; then args+=("$(tv_ip4 c1)"); else args+=("$(tv_ll6 c1)"); fi
	args+=("$(tv_mac c1)" "$([ "$TV_VER" = 2 ] && echo s3cret || echo -)")
	coproc INJ { ip netns exec "$(tv_ns c1)" "$PY" -u "$TV_TMP/inject.py" "${args[@]}" \
		2>"$TV_RUN/inject.err"; }
	if ! read -r -t 30 INJ_KINDS <&"${INJ[0]}" || [ "${INJ_KINDS%% *}" != ready ]; then
		tv_fail "injector did not start: $(tail -n 3 "$TV_RUN/inject.err")"
		return 1
	fi
	INJ_KINDS=${INJ_KINDS#ready }
}

# inj CMD...: one command, its answer in INJ_REPLY.
inj() {
	echo "$*" >&"${INJ[1]}" || return 1
	read -r -t $((FLOOD_S + 30)) INJ_REPLY <&"${INJ[0]}" || {
		tv_fail "injector did not answer '$*': $(tail -n 3 "$TV_RUN/inject.err")"
		return 1
	}
}

inj_stop() {
	local pid=${INJ_PID:-}
	[ -n "${INJ[1]:-}" ] && exec {INJ[1]}>&-
	[ -n "$pid" ] && { tv_wait_until 3000 tv_gone "$pid" || kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
	return 0
}

# ---------------------------------------------------------------- counters

# stats NODE FILE: SIGUSR2 to NODE's daemon, its stats file flattened into
# FILE as "INSTANCE/SECTION/NAME=N" (Global counters: "Global/NAME=N").
stats() {
	local f=$TV_RUN/$1/keepalived.stats
	rm -f "$f"
	kill -USR2 "$(tv_vrrp_pid "$1")" 2>/dev/null || { tv_fail "cannot signal $1"; return 1; }
	tv_wait_until 3000 stats_ready "$f" || { tv_fail "$1 wrote no $f after SIGUSR2"; return 1; }
	awk '
		/^VRRP Instance: / { inst = $3; sect = ""; next }
		/^Global:/ { inst = "Global"; sect = ""; next }
		/^  [A-Za-z][^:]*:$/ { sect = substr($0, 3); sub(/:$/, "", sect); next }
		/^ +[A-Za-z][^:]*: [0-9]+$/ {
			line = $0; sub(/^ +/, "", line)
			name = line; sub(/: [0-9]+$/, "", name)
			val = line; sub(/.*: /, "", val)
			top = substr($0, 1, 4) != "    "
			print inst "/" ((top || sect == "") ? "" : sect "/") name "=" val
		}' "$f" >"$2"
	[ -s "$2" ]
}
stats_ready() {
	local a b
	grep -q '^Global:' "$1" 2>/dev/null || return 1
	a=$(wc -c <"$1"); sleep 0.02; b=$(wc -c <"$1")
	[ "$a" = "$b" ]
}
# get FILE KEY: the counter (0 if absent).
get() { awk -F= -v k="$2" '$1 == k { v = $2 } END { print v + 0 }' "$1"; }
# Every drop: packet and authentication errors of the instances, and the
# global counters (packets no instance of ours could take).
drops() { awk -F= '$1 ~ /\/(Packet|Authentication) Errors\// || $1 ~ /^Global\// { s += $2 } END { print s + 0 }' "$1"; }

# The counter each kind of packet must land in.
counter_of() {
	case $1 in
	short) echo "$INST/Packet Errors/Length" ;;
	checksum) echo "$INST/Packet Errors/Checksum" ;;
	version) echo "$INST/Packet Errors/Version" ;;
	type) echo "$INST/Packet Errors/Invalid Type" ;;
	ttl) echo "$INST/Packet Errors/TTL" ;;
	password) echo "$INST/Authentication Errors/Failure" ;;
	authtype) echo "$INST/Authentication Errors/Invalid Type" ;;
	interval) echo "$INST/Packet Errors/Advertisement Interval" ;;
	vrid) echo "Global/Unknown VRID" ;;
	random) echo "" ;;	# some reason or other; the total says it was counted
	esac
}

# counted NODE BEFORE KEY N: NODE's counters since BEFORE show N more drops
# (all under KEY when KEY is given).  Polls: the daemon may still be reading.
counted() {
	local n=$1 before=$2 key=$3 want=$4 now=$TV_RUN/$1.now
	stats "$n" "$now" || return 1
	[ $(($(drops "$now") - $(drops "$before"))) -ge "$want" ] || return 1
	[ -z "$key" ] || [ $(($(get "$now" "$key") - $(get "$before" "$key"))) -ge "$want" ]
}

# ---------------------------------------------------------------- roles

# In the background: every 50 ms (a sample starts 50 ms after the previous
# one, or at once if that took longer), r1 alone holds the VIP and both
# daemons run; a violation is written to sampler.bad.  Ends when
# sampler.stop exists (or after 200 s).
sampler() {
	local end n=0 h last now gap=0 left
	end=$(($(tv_now_ms) + 200000))
	last=$(tv_now_ms)
	while [ ! -e "$TV_RUN/sampler.stop" ]; do
		now=$(tv_now_ms)
		[ "$now" -lt "$end" ] || break
		[ $((now - last)) -gt "$gap" ] && gap=$((now - last))
		last=$now
		h=$(tv_holders)
		if [ "$h" != r1 ]; then echo "$now holders '$h'" >>"$TV_RUN/sampler.bad"; fi
		tv_alive "${TV_PID[r1]}" || echo "$now r1 daemon gone" >>"$TV_RUN/sampler.bad"
		tv_alive "${TV_PID[r2]}" || echo "$now r2 daemon gone" >>"$TV_RUN/sampler.bad"
		n=$((n + 1))
		echo "$n $gap" >"$TV_RUN/sampler.n"
		left=$((last + 50 - $(tv_now_ms)))
		[ "$left" -gt 0 ] && sleep "0.$(printf %03d "$left")"
	done
}

# Log lines since the daemon started, numbers and addresses blurred, the
# most repeated one with its count: "COUNT TEXT".
most_repeated() {
	tv_log_of "$1" | sed -E 's/^[^:]*:[0-9]{2}:[0-9.]+: //; s/[0-9a-f]*:[0-9a-f:.]*[0-9a-f]//g; s/[0-9]+/N/g' |
		sort | uniq -c | sort -rn | head -n 1 | sed 's/^ *//'
}

# ---------------------------------------------------------------- the test

hostile() {
	local n k key kinds before1 before2 t_start reply sent ms pps d1 d2 rx0 rx1 top cnt bound
	tv_topo || { tv_fail "topology"; return; }
	local auth=()
	[ "$TV_VER" = 2 ] && auth=(auth=s3cret)
	tv_conf "$TV_RUN/r1.conf" prio=150 "${auth[@]}" || return
	tv_conf "$TV_RUN/r2.conf" prio=100 "${auth[@]}" || return
	# keepalived writes its stats file to $TMPDIR: one per daemon.
	TMPDIR=$TV_RUN/r1 tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return
	TMPDIR=$TV_RUN/r2 tv_start r2 "$TV_IMPL" "$TV_RUN/r2.conf" || return
	tv_check "r1 alone holds the VIP within MDI + 2 s" \
		tv_wait_until $(($(tv_mdi_ms 150) + 2000)) tv_only r1 || return
	tv_check "r2 is BACKUP" tv_wait_until 2000 tv_state_is r2 "$INST" BACKUP || return
	inj_start || return
	kinds=$INJ_KINDS
	tv_log "injector ready in c1: $kinds"

	rm -f "$TV_RUN/sampler.stop" "$TV_RUN/sampler.bad" "$TV_RUN/sampler.n"
	sampler &
	local sampler_pid=$!
	t_start=$(tv_now_ms)
	local trans1 trans2
	trans1=$(tv_log_count r1 'Entering [A-Z]+ STATE')
	trans2=$(tv_log_count r2 'Entering [A-Z]+ STATE')

	for k in $kinds; do
		key=$(counter_of "$k")
		if [ "$TV_IMPL" = tinyvrrp ]; then
			stats r1 "$TV_RUN/r1.before" && stats r2 "$TV_RUN/r2.before" || break
		fi
		inj send "$k" "$N" || break
		tv_log "c1 sent $N x $k"
		[ "$TV_IMPL" = tinyvrrp ] || continue
		for n in r1 r2; do
			if tv_wait_until 3000 counted "$n" "$TV_RUN/$n.before" "$key" "$N"; then
				d1=$(($(drops "$TV_RUN/$n.now") - $(drops "$TV_RUN/$n.before")))
				tv_check "$n counted $N x $k exactly once each${key:+ as '$key'} (drops +$d1)" \
					[ "$d1" -eq "$N" ]
			else
				tv_fail "$n did not count $N x $k${key:+ as '$key'}: $(
					diff "$TV_RUN/$n.before" "$TV_RUN/$n.now" | grep '^>' | tr '\n' ' ')"
			fi
		done
	done

	# The flood: every kind above, shuffled, FLOOD_PPS for FLOOD_S.
	if [ "$TV_IMPL" = tinyvrrp ]; then
		stats r1 "$TV_RUN/r1.before"; stats r2 "$TV_RUN/r2.before"
		rx0=$(get "$TV_RUN/r2.before" "$INST/Advertisements/Received")
	fi
	tv_log "flood: $FLOOD_PPS packets/s for $FLOOD_S s"
	if inj flood "$FLOOD_S" "$FLOOD_PPS"; then
		read -r reply sent ms pps <<<"$INJ_REPLY"
		tv_log "flood: sent $sent packets in $ms ms = $pps packets/s"
		tv_check "flood rate reached at least 90% of $FLOOD_PPS/s ($pps/s)" \
			[ "${pps:-0}" -ge $((FLOOD_PPS * 9 / 10)) ]
		if [ "$TV_IMPL" = tinyvrrp ]; then
			# Wait until the counts settle, then compare with what was sent.
			for n in r1 r2; do
				tv_wait_until 3000 counted "$n" "$TV_RUN/$n.before" "" "$sent"
				d1=$(($(drops "$TV_RUN/$n.now") - $(drops "$TV_RUN/$n.before")))
				tv_log "$n counted $d1 of $sent flood packets as drops"
				tv_check "$n counted at least 95% of the flood ($d1 of $sent)" \
					[ $((d1 * 100)) -ge $((sent * 95)) ]
				tv_check "$n counted no more drops than packets sent ($d1 <= $sent)" \
					[ "$d1" -le "$sent" ]
			done
			rx1=$(get "$TV_RUN/r2.now" "$INST/Advertisements/Received")
			# r2 kept hearing r1 through the flood: one advert per interval.
			tv_check "r2 received r1's adverts during the flood ($((rx1 - rx0)), want >= $((FLOOD_S * 1000 / TV_INT_MS * 8 / 10)))" \
				[ $((rx1 - rx0)) -ge $((FLOOD_S * 1000 / TV_INT_MS * 8 / 10)) ]
		fi
	fi
	inj_stop

	# A little longer than Master_Down_Interval after the last packet: a
	# backup that had lost r1's adverts in the flood would take over now.
	tv_hold_for $(($(tv_mdi_ms 100) + 200)) true
	touch "$TV_RUN/sampler.stop"
	wait "$sampler_pid"
	read -r cnt gap <"$TV_RUN/sampler.n" 2>/dev/null
	tv_log "roles sampled $cnt times over $((($(tv_now_ms) - t_start) / 1000)) s, largest gap ${gap:-?} ms"
	tv_check "r1 alone held the VIP and both daemons ran at every sample" \
		[ ! -s "$TV_RUN/sampler.bad" ] ||
		tv_log "violations: $(head -n 5 "$TV_RUN/sampler.bad" | tr '\n' ';')"
	# A sample (two 'ip addr' calls, forked) takes tens of ms, hundreds
	# while the flood and the hypervisor's steal share two CPUs with it; a
	# VIP taken by mistake stays at least until r1's next advert, and any
	# state change is in the log anyway (checked below: that is the
	# decisive check). Gaps of seconds mean the machine itself was starved:
	# then nothing here is reliable.
	tv_check "roles sampled at least every 1500 ms (largest gap ${gap:-?} ms)" [ "${gap:-9999}" -le 1500 ] ||
		tv_log "the machine was too busy to sample: results of this variant are not meaningful"
	tv_check "both daemons still run" eval 'tv_alive "${TV_PID[r1]}" && tv_alive "${TV_PID[r2]}"'
	tv_check "no state change logged on r1" [ "$(tv_log_count r1 'Entering [A-Z]+ STATE')" = "$trans1" ]
	tv_check "no state change logged on r2" [ "$(tv_log_count r2 'Entering [A-Z]+ STATE')" = "$trans2" ]
	tv_check "r1 is still MASTER, r2 BACKUP" eval \
		'tv_state_is r1 "$INST" MASTER && tv_state_is r2 "$INST" BACKUP'

	if [ "$TV_IMPL" = tinyvrrp ]; then
		# Rate-limited logging: a line per reason every 10 s at most,
		# so over this run a handful, whatever the packet count.
		bound=$((($(tv_now_ms) - TV_START_MS[r1]) / 10000 + 2))
		for n in r1 r2; do
			top=$(most_repeated "$n")
			tv_log "$n: $(tv_log_of "$n" | wc -l) log lines; most repeated: $top"
			tv_check "$n logs a line at most $bound times (${top%% *})" [ "${top%% *}" -le "$bound" ]
		done
	fi
}

hostile_run() {
	hostile
	inj_stop
}

TV_TIMED=1 tv_each_variant hostile_run
tv_finish
