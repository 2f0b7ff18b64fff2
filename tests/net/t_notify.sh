#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Notifications (KEEPALIVED.md 14): notify_master/backup/fault/stop run as
# configured, `notify` gets INSTANCE name STATE priority, the FIFO gets
# keepalived's lines, notify_stop runs on SIGTERM, and OpenWrt's
# "/bin/busybox env -i ... /sbin/hotplug-call keepalived" form works as
# written. notify_master sleeps 1 s while a weight-0 check drives r1 through
# MASTER -> FAULT -> BACKUP -> MASTER several times faster than that: every
# notification must still arrive, in transition order, none lost.
# timeout: 90
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"

CYCLES=4

# The notes expected for the transitions r1 logged, in order.
expected() {
	tv_log_of r1 | sed -n 's/.*(VI_1) Entering \([A-Z]*\) STATE.*/\1/p' | while read -r st; do
		case $st in
		MASTER) echo master ;;
		BACKUP) echo "hotplug NOTIFY_BACKUP INSTANCE VI_1 keepalived" ;;
		FAULT) echo fault ;;
		esac
		echo "notify INSTANCE VI_1 $st 150"
	done
}
fifo_expected() {
	tv_log_of r1 | sed -n 's/.*(VI_1) Entering \([A-Z]*\) STATE.*/INSTANCE "VI_1" \1 150/p'
}
notes_match() { [ "$(cat "$TV_RUN/notes")" = "$(expected)" ]; }
count_ge() { [ "$(tv_log_count r1 "$1")" -ge "$2" ]; }

scenario() {
	local d=$TV_RUN f env="/bin/busybox env" i nm nf
	[ -x /bin/busybox ] || env=/usr/bin/env
	cat >"$d/note.sh" <<EOS
#!/bin/sh
[ "\$1" = slow ] && sleep 1
shift
echo "\$*" >>$d/notes
EOS
	# OpenWrt's hotplug-call stand-in: env -i left it no PATH, so builtins only.
	cat >"$d/hotplug.sh" <<EOS
#!/bin/sh
echo "hotplug \$ACTION \$TYPE \$NAME \$1" >>$d/notes
EOS
	chmod 755 "$d/note.sh" "$d/hotplug.sh"
	: >"$d/notes"
	touch "$d/ok"
	mkfifo "$d/fifo"
	cat "$d/fifo" >"$d/fifo.out" &
	local reader=$!
	f=$d/r1.conf
	tv_conf "$f.inst" prio=150 || return
	{
		sed -n '1,/^}/p' "$f.inst" | sed '$d'
		echo "    vrrp_notify_fifo $d/fifo"
		echo "}"
		cat <<EOC
vrrp_script chk {
    script "/usr/bin/test -f $d/ok"
    interval 0.1
}
EOC
		sed -n '/^vrrp_instance/,$p' "$f.inst" | sed '$d'
		cat <<EOC
    track_script {
        chk
    }
    notify_master "$d/note.sh slow master"
    notify_backup "$env -i ACTION=NOTIFY_BACKUP TYPE=INSTANCE NAME=VI_1 $d/hotplug.sh keepalived"
    notify_fault "$d/note.sh fast fault"
    notify_stop "$d/note.sh fast stop"
    notify "$d/note.sh fast notify"
}
EOC
	} >"$f"
	tv_start r1 "$TV_IMPL" "$f" || { kill "$reader"; return; }
	tv_check "r1 becomes MASTER" tv_wait_until $(($(tv_mdi_ms 150) + 3000)) tv_only r1 || return
	# Each cycle takes well under the 1 s notify_master sleeps.
	for i in $(seq 1 "$CYCLES"); do
		rm -f "$d/ok"
		tv_wait_until 3000 count_ge 'Entering FAULT STATE' "$i" || { tv_fail "no FAULT in cycle $i"; break; }
		touch "$d/ok"
		tv_wait_until 3000 count_ge 'Entering MASTER STATE' $((i + 1)) || { tv_fail "no MASTER in cycle $i"; break; }
	done
	nm=$(tv_log_count r1 'Entering MASTER STATE')
	tv_log "transitions: $(tv_log_count r1 'Entering [A-Z]+ STATE') ($nm MASTER) in $CYCLES cycles"
	tv_check "a backlog formed (fewer masters noted than entered)" \
		test "$(grep -c '^master$' "$d/notes")" -lt "$nm"
	tv_check "every notification arrives, in order" tv_wait_until $((nm * 1000 + 5000)) notes_match
	if ! notes_match; then
		diff <(expected) "$d/notes" | head -20
	fi
	nf=$(expected | wc -l)
	tv_log "$nf notes in order, e.g.: $(sed -n '1p;2p' "$d/notes" | tr '\n' ';')"
	tv_check "notify_backup via '$env -i' saw its environment" \
		grep -qx 'hotplug NOTIFY_BACKUP INSTANCE VI_1 keepalived' "$d/notes"
	tv_stop r1
	tv_check "notify_stop ran on SIGTERM" tv_wait_until 2000 grep -qx stop "$d/notes"
	tv_check "notify got STOP" grep -Eqx 'notify INSTANCE VI_1 STOP [0-9]+' "$d/notes"
	tv_check "stop notes last" test "$(tail -n 2 "$d/notes" | head -n 1)" = stop
	tv_wait_until 3000 tv_gone "$reader" || kill "$reader"
	tv_check "FIFO lines in keepalived's format and order" \
		test "$(grep -v STOP "$d/fifo.out")" = "$(fifo_expected)"
	tv_check "FIFO STOP line" grep -Eqx 'INSTANCE "VI_1" STOP [0-9]+' "$d/fifo.out"
	tv_log "FIFO: $(wc -l <"$d/fifo.out") lines, e.g. $(head -n 2 "$d/fifo.out" | tr '\n' ';')"
}

tv_variant v3-4 || exit 1
tv_in_topology scenario
tv_finish
