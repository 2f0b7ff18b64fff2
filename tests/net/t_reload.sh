#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SIGHUP reload (KEEPALIVED.md 17): the master reloads an unchanged config
# with no flap (no transition, no priority 0 on the wire, no notify, the
# VIP never leaves); a VIP added or removed in the file is added or
# removed and nothing else moves; a config with an unclosed block is
# refused with FILE:LINE and the old one keeps running; an instance added
# to the file starts, one removed releases (priority 0, VIP gone). Once,
# with NOTIFY_SOCKET: READY=1 at start, RELOADING=1 then READY=1 around a
# reload, STOPPING=1 at exit; and vrrp_startup_delay, which a reload ends.
# These are tinyvrrp's guarantees, not all keepalived's: keepalived 2.2.7
# stops altogether on a broken file ("exited with permanent error CONFIG.
# Terminating"), so with TV_IMPL=keepalived this test fails by design.
# timeout: 120
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"

# The extra instance of steps 5 and 6 and its VIP.
vip3() { if [ "$TV_FAM" = 4 ]; then echo 198.18.1.102; else echo 2001:db8:1::102; fi; }

# conf FILE PRIO VIP...: r1's config with VI_1 holding these VIPs, a
# notify script that appends to $TV_RUN/notes, and a script tracker that
# succeeds (weight +10): were its result forgotten, the priority would move.
conf() {
	local f=$1 prio=$2 v; shift 2
	tv_conf "$f" prio="$prio" || return
	sed -i '/virtual_ipaddress {/,/}/d' "$f"
	sed -i '$d' "$f"	# the instance's closing brace
	sed -i 's/^vrrp_instance/vrrp_script chk {\n    script \/bin\/true\n    interval 1\n    weight 10\n}\nvrrp_instance/' "$f"
	{
		echo "    track_script {"
		echo "        chk"
		echo "    }"
		echo "    notify $TV_RUN/note.sh"
		echo "    virtual_ipaddress {"
		for v in "$@"; do echo "        $v/$TV_PLEN dev eth0"; done
		echo "    }"
		echo "}"
	} >>"$f"
}

hup() {
	local n=$1 before
	before=$(tv_log_count "$n" 'Reload complete|the running configuration stays')
	# The main process, as a supervisor reloads it (keepalived's VRRP
	# child reloads on its own SIGHUP too, but says nothing at the end).
	kill -HUP "${TV_PID[$n]}"
	tv_wait_until 3000 tv_log_count_ge "$n" 'Reload complete|the running configuration stays' \
		$((before + 1))
}

entered() { tv_log_count r1 'Entering [A-Z]+ STATE'; }
# VRIDs of r1's priority 0 adverts captured so far, one per line.
prio0_r1() { tv_tshark rl "vrrp.prio == 0 && $TV_IPF.src == $(tv_src r1)" vrrp.virt_rtr_id; }
prio0_r1_has() { prio0_r1 | grep -qx "$1"; }
# note_script [NAME [PREFIX]]: $TV_RUN/NAME (note.sh) appends PREFIX and its
# arguments to $TV_RUN/notes, which note.sh empties.
note_script() {
	local name=${1:-note.sh}
	printf '#!/bin/sh\necho "%s$*" >>%s/notes\n' "${2:-}" "$TV_RUN" >"$TV_RUN/$name"
	chmod 755 "$TV_RUN/$name"
	[ "$name" != note.sh ] || : >"$TV_RUN/notes"
}

run() {
	local n0 pid f notes0
	tv_topo || { tv_fail "topology"; return; }
	f=$TV_RUN/r1.conf
	note_script
	tv_conf "$TV_RUN/r2.conf" prio=100 || return
	conf "$f" 150 "$TV_VIP" || return
	# SIGUSR2 and STATS_CLEAR write to $TMPDIR, one per daemon; r2 joins a
	# master, so it never sends (tv_start_pair).
	tv_start_pair "$TV_IMPL" "$TV_IMPL" "r1 alone holds the VIP" tv_only r1 || return
	tv_wait_until 2000 grep -q MASTER "$TV_RUN/notes"
	tv_check "the script's weight applies" \
		tv_wait_log r1 'Changing effective priority from 150 to 160' 3000
	pid=$(tv_vrrp_pid r1)
	tv_cap_start rl sw || return

	# 1. the same file again: nothing moves
	n0=$(entered); notes0=$(cat "$TV_RUN/notes")
	tv_check "1: reload of an unchanged config finishes" hup r1
	tv_check "1: the VIP stays on r1 alone" tv_hold_for $((2 * TV_INT_MS)) tv_only r1
	tv_check "1: no state change" [ "$(entered)" = "$n0" ]
	tv_check "1: no notify" [ "$(cat "$TV_RUN/notes")" = "$notes0" ]
	tv_check "1: r2 never became master" tv_not tv_logged r2 'Entering MASTER STATE'

	# 2. a second VIP: added, nothing else moves
	conf "$f" 150 "$TV_VIP" "$TV_VIP2"
	tv_check "2: reload with a VIP added" hup r1
	tv_check "2: the new VIP is on r1" tv_wait_until 1000 tv_has_vip r1 "$TV_VIP2"
	tv_check "2: the first VIP stayed" tv_only r1
	tv_check "2: r1 logged the difference" tv_logged r1 '\(VI_1\) VIP list changed'

	# 3. the first VIP removed from the file: removed from the system
	conf "$f" 150 "$TV_VIP2"
	tv_check "3: reload with a VIP removed" hup r1
	tv_check "3: the removed VIP is gone" tv_wait_until 1000 tv_nobody "$TV_VIP"
	tv_check "3: the other VIP stayed" tv_only r1 "$TV_VIP2"

	# 4. an unclosed block: refused with FILE:LINE, the running config stays
	cp "$f" "$f.good"
	printf 'vrrp_instance BROKEN {\n    state BACKUP\n' >>"$f"
	tv_check "4: reload of a broken config is refused" hup r1
	tv_check "4: the error names the file and line" tv_logged r1 "$f:[0-9]+: "
	tv_check "4: r1 says the running configuration stays" \
		tv_logged r1 'Reload: .*error\(s\); the running configuration stays'
	tv_check "4: r1 still runs (same pid)" tv_alive "$pid"
	tv_check "4: the VIP stays on r1" tv_hold_for "$TV_INT_MS" tv_only r1 "$TV_VIP2"
	mv "$f.good" "$f"

	tv_check "1-4: still no state change" [ "$(entered)" = "$n0" ]
	tv_check "1-4: still no notify" [ "$(cat "$TV_RUN/notes")" = "$notes0" ]
	tv_check "1-4: no priority 0 from r1" [ -z "$(prio0_r1)" ]
	tv_check "1-4: the script's result carried over" \
		[ "$(tv_log_count r1 'Changing effective priority')" = 1 ]

	# 5. a new instance starts (r1 alone runs it: master after Master_Down)
	tv_conf_add "$f" name=VI_2 vrid=52 prio=150 vip="$(vip3)"
	tv_check "5: reload with an instance added" hup r1
	tv_check "5: VI_2 becomes master" tv_wait_until $(($(tv_mdi_ms 150) + 2000)) \
		tv_logged r1 '\(VI_2\) Entering MASTER STATE'
	tv_check "5: VI_2's VIP is on r1" tv_wait_until 1000 tv_has_vip r1 "$(vip3)"
	tv_check "5: VI_1 did not move" [ "$(tv_log_count r1 '\(VI_1\) Entering')" = "$n0" ]

	# 6. and removed again: it releases
	conf "$f" 150 "$TV_VIP2"
	tv_check "6: reload with the instance removed" hup r1
	tv_check "6: r1 says VI_2 releases" tv_logged r1 '\(VI_2\) no longer configured: releasing'
	tv_check "6: VI_2's VIP is gone" tv_wait_until 1000 tv_nobody "$(vip3)"
	tv_check "6: VI_1's VIP stayed" tv_only r1 "$TV_VIP2"
	tv_check "6: a priority 0 advert for VRID 52 went out" tv_wait_until 1000 prio0_r1_has 52
	tv_cap_stop rl
	tv_check "6: r1 sent priority 0 for VRID 52 only" \
		tv_all_lines "r1's priority 0 adverts" 52 "$(prio0_r1)"
	tv_check "r1 still runs (same pid)" [ "$(tv_vrrp_pid r1)" = "$pid" ]

	# 7. counters carried over every reload; STATS_CLEAR writes, then zeroes
	tv_check "7: r1 became master once, reloads or not" [ "$(became_master r1)" = 1 ]
	rm -f "$TV_RUN/r1/keepalived.stats"
	kill -s "$("$TV_TINYVRRP" --signum=STATS_CLEAR)" "$pid"
	tv_check "7: STATS_CLEAR writes the stats first" \
		tv_wait_until 3000 grep -q '^  Became master: 1$' "$TV_RUN/r1/keepalived.stats"
	tv_check "7: then they are 0" [ "$(became_master r1)" = 0 ]
	tv_check "7: r1 still runs" tv_alive "$pid"

	# 8. a lower priority in the file: r1 goes on at 50 (+10), r2 preempts
	conf "$f" 50 "$TV_VIP2"
	tv_check "8: reload with priority 50" hup r1
	tv_check "8: r1's new priority applies" tv_logged r1 'Changing effective priority from 160 to 60'
	tv_check "8: r2 takes over" tv_wait_until $(($(tv_mdi_ms 100) + 2000)) tv_only r2
	tv_check "8: r1 gave VIP2 up" tv_nobody "$TV_VIP2"
}

# became_master NODE: VI_1's "Became master" counter, by SIGUSR2.
became_master() {
	local f=$TV_RUN/$1/keepalived.stats
	rm -f "$f"
	kill -USR2 "$(tv_vrrp_pid "$1")" || return 1
	tv_wait_until 3000 grep -q '^Global:' "$f" || return 1
	sed -n '/^VRRP Instance: VI_1$/,/^VRRP Instance/s/^  Became master: //p' "$f"
}

# said WORDS: the first words of the messages on the notify socket so far,
# joined with commas.
said() { [ "$(cut -d' ' -f1 "$TV_RUN/notify.out" | tr '\n' ,)" = "$1" ]; }

# NOTIFY_SOCKET: a datagram listener records what the daemon says.
sd_notify() {
	local sock out lp
	tv_topo || { tv_fail "topology"; return; }
	sock=$TV_RUN/notify.sock out=$TV_RUN/notify.out
	: >"$out"
	/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
while True:
    m = s.recv(4096).decode()
    with open(sys.argv[2], "a") as f:
        f.write(m.replace("\n", " ") + "\n")
' "$sock" "$out" &
	lp=$!
	tv_wait_until 2000 test -S "$sock" || { tv_fail "listener"; kill "$lp"; return; }
	tv_conf "$TV_RUN/r1.conf" prio=150 || return
	export NOTIFY_SOCKET=$sock
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf"
	unset NOTIFY_SOCKET
	tv_check "READY=1 at start" tv_wait_until 2000 grep -q '^READY=1' "$out"
	tv_check "reload" hup r1
	tv_check "RELOADING=1 then READY=1" tv_wait_until 2000 said "READY=1,RELOADING=1,READY=1,"
	tv_log "the notify socket got: $(tr '\n' ';' <"$out")"
	tv_stop r1
	tv_check "STOPPING=1 at exit" grep -q '^STOPPING=1' "$out"
	kill "$lp" 2>/dev/null
	wait "$lp" 2>/dev/null
}

# vrrp_startup_delay: nothing happens until it has passed; a reload ends it.
startup_delay() {
	local f
	tv_topo || { tv_fail "topology"; return; }
	f=$TV_RUN/r1.conf
	tv_conf "$f" prio=150 || return
	sed -i 's/^    router_id .*/&\n    vrrp_startup_delay 2/' "$f"
	tv_start r1 "$TV_IMPL" "$f" || return
	tv_check "the delay is announced" tv_wait_log r1 'Delaying startup for 2.000 seconds' 1000
	tv_check "no VIP during the delay" tv_hold_for 1000 tv_nobody
	tv_check "no state during the delay" tv_not tv_logged r1 'Entering'
	tv_stop r1
	tv_start r1 "$TV_IMPL" "$f" || return
	tv_check "a reload ends the delay" hup r1
	tv_check "then r1 starts at once" tv_wait_until $(($(tv_mdi_ms 150) + 1000)) tv_only r1
	tv_check "it was the reload, not the delay" [ "$TV_WAITED_MS" -lt 1500 ]
}

# Notifications waiting when the reload comes still run, in order and one at
# a time: r1 goes BACKUP then MASTER while the BACKUP one (2 s) runs; the
# reload lands then, and the new queue waits for the script that runs. The
# MASTER one then hangs; a second reload and SIGTERM still leave nothing.
notify_queue() {
	local f
	tv_topo || { tv_fail "topology"; return; }
	f=$TV_RUN/r1.conf
	cat >"$TV_RUN/slow.sh" <<EOS
#!/bin/sh
echo "start \$3" >>$TV_RUN/notes
sleep 2
echo "end \$3" >>$TV_RUN/notes
# A child of the script: the parent-death signal does not reach it.
[ "\$3" = MASTER ] && { sleep 1000 & wait; }
exit 0
EOS
	chmod 755 "$TV_RUN/slow.sh"
	: >"$TV_RUN/notes"
	tv_conf "$f" prio=150 || return
	sed -i "s|^    state BACKUP|&\n    notify $TV_RUN/slow.sh|" "$f"
	tv_start r1 "$TV_IMPL" "$f" || return
	tv_check "r1 becomes master" tv_wait_log r1 '\(VI_1\) Entering MASTER STATE' 2000 || return
	tv_check "reload while the notifications wait" hup r1
	tv_check "the reload came while BACKUP's script ran" tv_not grep -q end "$TV_RUN/notes"
	tv_check "both run, in order, one at a time" tv_wait_until 8000 eval \
		'[ "$(tr "\n" , <"$TV_RUN/notes")" = "start BACKUP,end BACKUP,start MASTER,end MASTER," ]'
	tv_log "notes: $(tr '\n' ' ' <"$TV_RUN/notes")"
	tv_check "reload while MASTER's script hangs" hup r1
	tv_stop r1
	tv_check "no process left in r1's namespace after SIGTERM" \
		tv_wait_until 3000 test -z "$(ip netns pids "$(tv_ns r1)")"
}

# An instance a reload removes notifies FAULT, keepalived's default, or
# with notify_deleted DELETED, running notify_deleted's script too: all of
# them, though its queue goes with the reload.
deleted_notify() {
	local f=$TV_RUN/r1.conf vip4
	tv_topo || { tv_fail "topology"; return; }
	if [ "$TV_FAM" = 4 ]; then vip4=198.18.1.103; else vip4=2001:db8:1::103; fi
	note_script
	note_script del.sh "deleted "
	tv_conf "$f" prio=150 || return
	cp "$f" "$TV_RUN/base.conf"
	tv_conf_add "$f" name=VI_2 vrid=52 prio=150 vip="$(vip3)"
	tv_conf_add "$f" name=VI_3 vrid=53 prio=150 vip="$vip4"
	sed -i "s|^vrrp_instance VI_[23] {|&\n    notify $TV_RUN/note.sh|" "$f"
	sed -i "s|^vrrp_instance VI_3 {|&\n    notify_deleted $TV_RUN/del.sh|" "$f"
	tv_start r1 "$TV_IMPL" "$f" || return
	tv_check "VI_2 and VI_3 become master" tv_wait_until $(($(tv_mdi_ms 150) + 2000)) eval \
		'grep -q "VI_2 MASTER" "$TV_RUN/notes" && grep -q "VI_3 MASTER" "$TV_RUN/notes"'
	cp "$TV_RUN/base.conf" "$f"
	tv_check "reload with both removed" hup r1
	tv_check "VI_2 says FAULT, VI_3 DELETED and runs its script" tv_wait_until 3000 eval \
		'[ "$(grep -Ev "MASTER|BACKUP" "$TV_RUN/notes" | sort | tr "\n" ,)" = "INSTANCE VI_2 FAULT 150,INSTANCE VI_3 DELETED 150,deleted ," ]'
	tv_log "notes: $(tr '\n' ';' <"$TV_RUN/notes")"
}

# -V (--dont-release-vrrp) still holds after a reload: the VIP stays at exit.
keep_vips() {
	local w
	tv_topo || { tv_fail "topology"; return; }
	w=$TV_RUN/tinyvrrp-V
	printf '#!/bin/sh\nexec %s -V "$@"\n' "$TV_TINYVRRP" >"$w"
	chmod 755 "$w"
	tv_conf "$TV_RUN/r1.conf" prio=150 || return
	TV_TINYVRRP=$w tv_start r1 tinyvrrp "$TV_RUN/r1.conf" || return
	tv_check "r1 holds the VIP" tv_wait_until $(($(tv_mdi_ms 150) + 2000)) tv_only r1 || return
	tv_check "reload" hup r1
	tv_stop r1
	tv_check "with -V the VIP stays after exit, reload or not" tv_has_vip r1
}

tv_each_variant run
tv_variant v3-4
sd_notify
tv_teardown
startup_delay
tv_teardown
keep_vips
tv_teardown
notify_queue
tv_teardown
deleted_notify
tv_teardown
tv_finish
