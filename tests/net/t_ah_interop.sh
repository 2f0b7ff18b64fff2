#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# keepalived's IPsec AH authentication (auth_type AH: VRRPv2, IPv4) with
# keepalived 2.2.7 as the peer, each implementation in both roles, multicast
# and unicast.  After convergence exactly one router holds the VIP; the
# master stops and the other takes over; it comes back with 'state MASTER',
# which AH turns into BACKUP until a sequence number is learnt, and preempts
# without an advert being refused.  A frozen master that comes back below
# the other's sequence numbers catches up.  On the wire every advert is IP protocol
# 51 with SPI = source, a valid HMAC-MD5-96 ICV and sequence numbers that
# only grow.  Then a wrong auth_pass on one side: each drops and counts the
# other's adverts, so each becomes master (what a key mismatch must give).
# With TV_IMPL=keepalived both sides are keepalived: a check of the test.
# timeout: 300
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL" keepalived

PASS=s3cret
# Receiver-side complaints, keepalived's words and ours ("Syncing seq_num",
# a master hearing a lower priority, is not one).
COMPLAINT='[Ii]nvalid|already processed|mismatch|wrong|AH header|dropped advert'

# ah_conf FILE PRIO [PASSWORD [PEER [state=...]]]: one AH instance (tv_conf
# writes PASS; AH is the same block with another type), unicast when PEER.
ah_conf() {
	local f=$1 prio=$2 pass=${3:-$PASS} peer=${4:-} state=${5:-state=BACKUP}
	tv_conf "$f" prio="$prio" auth="$pass" "$state" || return 1
	sed -i 's/auth_type PASS/auth_type AH/' "$f"
	if [ -n "$peer" ]; then
		sed -i "s/^    advert_int .*/&\\n    unicast_peer {\\n        $peer\\n    }/" "$f"
	fi
	grep -q 'auth_type AH' "$f"
}

# A tinyvrrp built without CONFIG_AUTH_AH refuses the config: nothing to test.
if [ "$TV_IMPL" = tinyvrrp ]; then
	tv_variant v2-4 >/dev/null
	ah_conf "$TV_TMP/probe.conf" 100 || exit 1
	if "$TV_TINYVRRP" -t -f "$TV_TMP/probe.conf" 2>&1 | grep -q 'needs CONFIG_AUTH_AH'; then
		tv_skip "this tinyvrrp is built without CONFIG_AUTH_AH"
	fi
fi

# Every AH advert captured, one per line: "SOURCE SPI NEXT_HEADER SEQUENCE
# TTL VRRP_AUTH_TYPE", in capture order.
ah_adverts() {
	tv_tshark "$1" "ah && !icmp" ip.src ah.spi ah.next_header ah.sequence ip.ttl vrrp.auth_type |
		awk -F'|' '{ printf "%s %s %s %s %s %s\n", $1, $2, $3, $4, $5, $6 }'
}

# spi_is_src: the SPI (0xc6120101) spells the source address (198.18.1.1).
spi_is_src() {
	awk '{ split($1, a, "."); want = sprintf("0x%02x%02x%02x%02x", a[1], a[2], a[3], a[4]);
		if (tolower($2) != want) { print "SPI " $2 " from " $1; bad = 1 } }
		END { exit bad }' <<<"$1"
}

# seq_grows: sequence numbers strictly increase over the whole capture (one
# counter per instance for what is sent and what is accepted, so a router
# that takes over continues above everything it heard).
seq_grows() {
	awk '{ if (NR > 1 && $4 <= last) { print "sequence " $4 " from " $1 " after " last; bad = 1 }
		last = $4 } END { exit bad }' <<<"$1"
}

# icv_ok PCAP PASSWORD UNICAST: recompute every AH advert's ICV the way
# keepalived does (HMAC-MD5-96; TOS, fragment field, checksum zeroed, TTL
# too when unicast), independently of both daemons.
icv_ok() {
	/usr/bin/python3 - "$@" <<-'EOF'
	import hashlib, hmac, struct, sys
	path, key, uni = sys.argv[1], sys.argv[2].encode().ljust(8, b"\0")[:8], sys.argv[3] == "1"
	data = open(path, "rb").read()
	end = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
	off, n, bad = 24, 0, 0
	while off + 16 <= len(data):
	    incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
	    f = data[off + 16:off + 16 + incl]
	    off += 16 + incl
	    if len(f) < 14 + 44 or f[12:14] != b"\x08\x00" or f[14 + 9] != 51:
	        continue
	    ip = bytearray(f[14:14 + struct.unpack(">H", f[16:18])[0]])
	    hl = (ip[0] & 15) * 4
	    icv = bytes(ip[hl + 12:hl + 24])
	    ip[1] = 0; ip[6:8] = b"\0\0"; ip[10:12] = b"\0\0"
	    if uni:
	        ip[8] = 0
	    ip[hl + 12:hl + 24] = bytes(12)
	    n += 1
	    if hmac.new(key, bytes(ip), hashlib.md5).digest()[:12] != icv:
	        bad += 1
	print(f"{n} AH adverts, {bad} with a wrong ICV")
	sys.exit(1 if bad or not n else 0)
	EOF
}

# The first state NODE's daemon entered since its last start.
first_state_is() {
	[ "$(tv_log_of "$1" | sed -n 's/.*(VI_1) Entering \([A-Z]*\) STATE.*/\1/p' | head -n 1)" = "$2" ]
}

# after_advert_of NODE: returns once the capture on sw holds a new AH
# advert from NODE (within 3 s).
after_advert_of() {
	local f
	f="src host $(tv_ip4 "$1") and ip proto 51"
	tv_wait_until 3000 tv_cap_grew sw "$f" "$(tv_cap_count sw "$f")"
}

pair() {
	local i1=$1 i2=$2 mode=$3 p1="" p2="" uni=0 skew mdi1 ads
	skew=$(tv_skew_ms 100)
	mdi1=$(tv_mdi_ms 150)
	if [ "$mode" = unicast ]; then p1=$(tv_ip4 r2) p2=$(tv_ip4 r1) uni=1; fi
	tv_log "-- $mode: r1 $i1 (150) + r2 $i2 (100), auth_type AH"
	tv_topo || { tv_fail "topology"; return; }
	# On the bridge: unicast between r1 and r2 passes it, not c1.
	tv_cap_start sw sw || return
	ah_conf "$TV_RUN/r1.conf" 150 "$PASS" "$p1" state=MASTER || return
	ah_conf "$TV_RUN/r2.conf" 100 "$PASS" "$p2" || return
	# r2 joins a master: both starting as BACKUP, their down timers are
	# 195 ms apart, and a stop of the machine that spans both fires them
	# together; two first adverts with the same number would cross.
	tv_start r1 "$i1" "$TV_RUN/r1.conf" || return
	tv_check "r1 ($i1) alone holds the VIP within MDI + 2 s" \
		tv_wait_until $((mdi1 + 2000)) tv_only r1
	tv_check "r1 ($i1) started as BACKUP despite 'state MASTER' (AH)" first_state_is r1 BACKUP
	tv_start r2 "$i2" "$TV_RUN/r2.conf" || return
	tv_check "exactly one holder (r1) at every sample for 3 s" \
		tv_hold_for 3000 tv_only r1 || tv_log "broke after $TV_HELD_MS ms: '$(tv_holders)'"
	tv_check "r2 ($i2) logs BACKUP, never MASTER" eval \
		'tv_logged r2 "Entering BACKUP STATE" && ! tv_logged r2 "Entering MASTER STATE"'

	# Failover: r1's priority-0 advert is accepted, r2 takes over.
	tv_signal_stop r1
	tv_check "r2 ($i2) alone holds the VIP within Skew_Time + 1 s" \
		tv_wait_until $((skew + 1000)) tv_only r2
	tv_wait_stopped r1 && tv_check "r1 ($i1) exited 0" [ "$TV_STOP_RC" = 0 ]
	tv_check "exactly one holder (r2) for 1.5 s" tv_hold_for 1500 tv_only r2 ||
		tv_log "broke after $TV_HELD_MS ms: '$(tv_holders)'"

	# r1 comes back with a fresh counter: as BACKUP it learns r2's
	# sequence number first, so its adverts are above it and r2 yields
	# without refusing one (checked below: no complaint, numbers grow).
	# Started just after an advert of r2's, r1 takes over (MDI = 3.414 s
	# later) about half an interval away from r2's next: were the two to
	# send at once, each advert would carry the same number and each
	# router would refuse the other's, as the protocol has it.
	tv_check "r2 ($i2) sends an advert" after_advert_of r2
	tv_start r1 "$i1" "$TV_RUN/r1.conf" || return
	tv_check "r1 ($i1) alone holds the VIP again within MDI + 1.5 s" \
		tv_wait_until $((mdi1 + 1500)) tv_only r1
	tv_check "r1 ($i1) came back as BACKUP first" first_state_is r1 BACKUP
	tv_check "r2 ($i2) yielded with keepalived's words" \
		tv_wait_log r2 "$(tv_yield_re "$(tv_src r1)" 150 100)" 1000
	tv_check "exactly one holder (r1) for 2 s" tv_hold_for 2000 tv_only r1 ||
		tv_log "broke after $TV_HELD_MS ms: '$(tv_holders)'"
	tv_cap_stop sw

	ads=$(ah_adverts sw)
	tv_all_lines "every advert is AH: next header 112, TTL 255, VRRP auth type 2" \
		"112 255 2" "$(awk '{ print $3, $5, $6 }' <<<"$ads")"
	tv_check "both routers sent AH adverts" eval \
		'grep -q "^$(tv_ip4 r1) " <<<"$ads" && grep -q "^$(tv_ip4 r2) " <<<"$ads"'
	tv_check "no VRRP without AH on the wire" \
		[ -z "$(tv_tshark sw "vrrp && !ah" frame.number)" ]
	tv_check "SPI = source address in every advert" spi_is_src "$ads"
	tv_check "sequence numbers only grow ($(awk 'NR == 1 { f = $4 } END { print f "->" $4 }' <<<"$ads"))" \
		seq_grows "$ads"
	tv_check "every ICV is right for '$PASS' ($mode: TTL $([ $uni = 1 ] && echo masked || echo covered))" \
		icv_ok "$(tv_pcap sw)" "$PASS" "$uni"
	tv_check "no receive complaint from r1 ($i1)" tv_not tv_logged_any r1 "$COMPLAINT"
	tv_check "no receive complaint from r2 ($i2)" tv_not tv_logged_any r2 "$COMPLAINT"
}

# r1, master, freezes (SIGSTOP: a partition of sorts); r2 takes over and
# counts on from the last number it heard.  r1 thawed is below r2's count:
# r2 refuses its adverts ("already processed"), but r1, hearing r2's lower
# priority, continues from r2's number + 1 (keepalived's rule) and r2 then
# yields.  Without that rule both would stay master for good.
frozen_master() {
	local i1=$1 i2=$2 r2ip
	r2ip=$(tv_ip4 r2)
	tv_log "-- frozen master: r1 $i1 (150) + r2 $i2 (100), auth_type AH"
	tv_topo || { tv_fail "topology"; return; }
	tv_cap_start sw sw || return
	ah_conf "$TV_RUN/r1.conf" 150 || return
	ah_conf "$TV_RUN/r2.conf" 100 || return
	tv_start r1 "$i1" "$TV_RUN/r1.conf" || return
	tv_start r2 "$i2" "$TV_RUN/r2.conf" || return
	tv_require "r1 ($i1) alone holds the VIP within MDI + 2 s" \
		tv_wait_until $(($(tv_mdi_ms 150) + 2000)) tv_only r1
	tv_freeze r1
	tv_check "r2 ($i2) takes over within MDI + 1 s" \
		tv_wait_until $(($(tv_mdi_ms 100) + 1000)) tv_logged r2 "Entering MASTER STATE"
	tv_check "r2 ($i2) sends 3 adverts as master" \
		tv_wait_until 5000 tv_cap_grew sw "src host $r2ip and ip proto 51" 2
	tv_thaw r1
	# Usually at once.  keepalived re-arms a master's advert timer on any
	# advert it receives, so the two can tick together and send the same
	# number, each refusing the other's, for an interval or two.
	tv_check "r1 ($i1) alone holds the VIP within 5 s of thawing" \
		tv_wait_until 5000 tv_only r1 && tv_log "r2 yielded $TV_WAITED_MS ms after the thaw"
	tv_check "r2 ($i2) yielded with keepalived's words" \
		tv_wait_log r2 "$(tv_yield_re "$(tv_src r1)" 150 100)" 1000
	tv_check "r1 ($i1) took up r2's sequence number" \
		tv_logged r1 "IPSEC-AH: syncing sequence number|IPSEC-AH : Syncing seq_num"
	tv_check "exactly one holder (r1) for 2 s" tv_hold_for 2000 tv_only r1 ||
		tv_log "broke after $TV_HELD_MS ms: '$(tv_holders)'"
	tv_cap_stop sw
}

# tinyvrrp's stats file (SIGUSR2, keepalived's layout): the "Failure" count
# under "Authentication Errors".
auth_failures() {
	awk '/Authentication Errors:/ { a = 1 } a && /Failure:/ { print $2; exit }' \
		"$TV_RUN/$1/keepalived.stats" 2>/dev/null
}
stats_written() { [ -n "$(auth_failures "$1")" ]; }

# A different auth_pass on r2: every advert fails the ICV, each router
# counts the other's as authentication failures and becomes master.
wrong_password() {
	local i1=$1 i2=$2 n mdi2
	mdi2=$(tv_mdi_ms 100)
	tv_log "-- wrong auth_pass: r1 $i1 ('$PASS') + r2 $i2 ('n0tit')"
	tv_topo || { tv_fail "topology"; return; }
	ah_conf "$TV_RUN/r1.conf" 150 "$PASS" || return
	ah_conf "$TV_RUN/r2.conf" 100 n0tit || return
	TMPDIR=$TV_RUN/r1 tv_start r1 "$i1" "$TV_RUN/r1.conf" || return
	TMPDIR=$TV_RUN/r2 tv_start r2 "$i2" "$TV_RUN/r2.conf" || return
	tv_check "both hold the VIP within MDI + 2 s (the keys differ)" \
		tv_wait_until $((mdi2 + 2000)) eval '[ "$(tv_holders)" = "r1 r2" ]'
	for n in r1 r2; do
		case ${TV_IMPL_OF[$n]} in
		tinyvrrp)
			tv_check "$n (tinyvrrp) logs the drop" tv_wait_log "$n" \
				"\\(VI_1\\) dropped advert from $(tv_ip4 "$([ $n = r1 ] && echo r2 || echo r1)"): auth, IPSEC-AH: invalid HMAC-MD5 value" 3000
			rm -f "$TV_RUN/$n/keepalived.stats"
			kill -USR2 "$(tv_vrrp_pid "$n")"
			tv_check "$n (tinyvrrp) stats file written on SIGUSR2" \
				tv_wait_until 2000 stats_written "$n"
			tv_check "$n (tinyvrrp) counts them: Authentication Errors / Failure = $(auth_failures "$n") > 0" \
				[ "$(auth_failures "$n")" -gt 0 ]
			;;
		keepalived)
			tv_check "$n (keepalived) drops them" tv_wait_log "$n" \
				"\\(VI_1\\) IPSEC-AH : invalid IPSEC HMAC-MD5 value" 3000
			;;
		esac
	done
}

# Whether two adverts cross depends on when timers fire, so the pairs and
# the frozen master are measured runs (tv_measured): one that failed while
# the hypervisor stopped the whole machine is void and run again.
tv_variant v2-4 || exit 1
pairs="tinyvrrp:keepalived keepalived:tinyvrrp"
[ "$TV_IMPL" = keepalived ] && pairs="keepalived:keepalived"
for mode in multicast unicast; do
	for p in $pairs; do
		tv_measured pair "${p%:*}" "${p#*:}" "$mode"
		tv_teardown
	done
done
for p in $pairs; do
	tv_measured frozen_master "${p%:*}" "${p#*:}"
	tv_teardown
done
p=${pairs%% *}
wrong_password "${p%:*}" "${p#*:}"
tv_teardown
tv_finish
