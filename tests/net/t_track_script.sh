#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# vrrp_script tracking (keepalived's rules, KEEPALIVED.md 6):
#   weight -60, fall 2, rise 2 on r1 (150): the checked file disappears ->
#   r1's effective priority drops to 90, below r2's 100, and r2 takes over;
#   the file comes back -> rise -> r1 is 150 again and preempts.
#   weight 0: the script failing puts r1 in FAULT (r2 takes over), and back.
# One variant (VRRPv3 IPv4, 0.1 s adverts): tracking does not depend on it.
# timeout: 90
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"

# conf FILE PRIO: one instance tracking chk_w (weight -60) and chk_f (weight
# 0). The scripts come first: keepalived ignores a track_script entry whose
# vrrp_script is defined after the instance ("script ... is not used").
conf() {
	local f=$1 prio=$2
	tv_conf "$f.inst" prio="$prio" || return 1
	{
		sed -n '1,/^}/p' "$f.inst"	# global_defs
		cat <<EOC
vrrp_script chk_w {
    script "/usr/bin/test -f $TV_RUN/ok"
    interval 0.2
    weight -60
    fall 2
    rise 2
}
vrrp_script chk_f {
    script "/usr/bin/test -f $TV_RUN/nofault"
    interval 0.2
}
EOC
		sed -n '/^vrrp_instance/,$p' "$f.inst" | sed '$d'
		printf '    track_script {\n        chk_w\n        chk_f\n    }\n}\n'
	} >"$f"
}

scenario() {
	local t0
	touch "$TV_RUN/ok" "$TV_RUN/nofault"
	conf "$TV_RUN/r1.conf" 150 && conf "$TV_RUN/r2.conf" 100 || return
	# r2 checks files of its own, which stay; and runs one check as
	# nobody, who cannot write /etc/passwd (root can): it must fail.
	sed -i "s#$TV_RUN/ok#$TV_RUN/ok2#; s#$TV_RUN/nofault#$TV_RUN/nofault2#" "$TV_RUN/r2.conf"
	sed -i '/^vrrp_instance/i vrrp_script chk_u {\n    script "/usr/bin/test -w /etc/passwd"\n    interval 0.2\n    user nobody\n    weight -1\n}' "$TV_RUN/r2.conf"
	sed -i 's/^        chk_f$/        chk_f\n        chk_u/' "$TV_RUN/r2.conf"
	touch "$TV_RUN/ok2" "$TV_RUN/nofault2"
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return
	tv_start r2 "$TV_IMPL" "$TV_RUN/r2.conf" || return
	tv_check "r1 alone holds the VIP" tv_wait_until $(($(tv_mdi_ms 150) + 3000)) tv_only r1 || return
	tv_check "r1 logs the script succeeded" tv_wait_log r1 'VRRP_Script\(chk_w\) succeeded' 2000

	tv_log "-- weight -60: remove the file"
	t0=$(tv_now_ms)
	rm -f "$TV_RUN/ok"
	tv_check "r2 takes over when r1's check fails" \
		tv_wait_until $((2 * 200 + $(tv_mdi_ms 100) + 2000)) tv_only r2 || return
	tv_log "takeover $(($(tv_now_ms) - t0)) ms after the file went (fall 2 x 0.2 s + MDI)"
	tv_check "keepalived's failure line" tv_logged r1 'VRRP_Script\(chk_w\) failed \(exited with status 1\)'
	tv_check "priority 150 -> 90" tv_logged r1 '\(VI_1\) Changing effective priority from 150 to 90'
	tv_check "r1 went BACKUP" tv_wait_until 1000 tv_state_is r1 VI_1 BACKUP

	tv_log "-- weight -60: file back"
	touch "$TV_RUN/ok"
	tv_check "r1 preempts after rise 2" \
		tv_wait_until $((2 * 200 + $(tv_mdi_ms 150) + 2000)) tv_only r1 || return
	tv_check "priority 90 -> 150" tv_logged r1 '\(VI_1\) Changing effective priority from 90 to 150'
	tv_check "succeeded logged twice" tv_log_count_ge r1 'VRRP_Script\(chk_w\) succeeded' 2

	tv_log "-- weight 0: FAULT"
	rm -f "$TV_RUN/nofault"
	tv_check "r1 enters FAULT" tv_wait_log r1 '\(VI_1\) Entering FAULT STATE' 3000
	tv_check "r2 takes over from the faulted r1" tv_wait_until $(($(tv_mdi_ms 100) + 2000)) tv_only r2
	touch "$TV_RUN/nofault"
	tv_check "r1 leaves FAULT and preempts" \
		tv_wait_until $((200 + 2 * $(tv_mdi_ms 150) + 3000)) tv_only r1
	tv_check "r1 is MASTER again" tv_wait_until 1000 tv_state_is r1 VI_1 MASTER
	tv_check "r2's file checks never failed" tv_not tv_logged r2 'VRRP_Script\(chk_[wf]\) failed'
	tv_check "r2's check as user nobody failed" \
		tv_logged r2 'VRRP_Script\(chk_u\) failed \(exited with status 1\)'
}

# one_script FILE NAME SCRIPT [SCRIPT_EXTRA [GLOBAL_DEFS]]: r1's config (150)
# tracking one vrrp_script NAME that runs SCRIPT every 0.2 s; the extras are
# printf formats (SCRIPT_EXTRA inside the vrrp_script block, GLOBAL_DEFS in
# place of the usual global_defs).
one_script() {
	local f=$1 name=$2 script=$3 extra=${4:-} globals=${5:-}
	tv_conf "$f.inst" prio=150 || return
	# shellcheck disable=SC2059 # the extras are formats by design
	{
		if [ -n "$globals" ]; then printf "$globals"; else sed -n '1,/^}/p' "$f.inst"; fi
		printf 'vrrp_script %s {\n    script "%s"\n    interval 0.2\n' "$name" "$script"
		printf "$extra"
		printf '}\n'
		sed -n '/^vrrp_instance/,$p' "$f.inst" | sed '$d'
		printf '    track_script {\n        %s\n    }\n}\n' "$name"
	} >"$f"
}

# enable_script_security: a root script anyone may rewrite is disabled at
# start (keepalived: the instance then runs as if it did not track it), and
# -t says so with the security exit code.
security() {
	local d=$TV_RUN f=$TV_RUN/sec.conf
	tv_log "-- enable_script_security, world-writable script"
	printf '#!/bin/sh\nexit 1\n' >"$d/false.sh"
	chmod 0777 "$d/false.sh"
	one_script "$f" bad "$d/false.sh" "" \
		'global_defs {\n    enable_script_security\n    script_user root\n}\n' || return
	tv_start r1 "$TV_IMPL" "$f" || return
	tv_check "the unsafe script is disabled" tv_wait_log r1 \
		"Unsafe permissions found for script '$d/false.sh' - disabling|Disabling track script bad due to insecure" 3000
	tv_check "r1 becomes master regardless" tv_wait_until $(($(tv_mdi_ms 150) + 3000)) tv_only r1
	tv_check "and never FAULT" tv_not tv_logged r1 'Entering FAULT STATE'
	tv_stop r1
	if [ "$TV_IMPL" = tinyvrrp ]; then
		"$TV_TINYVRRP" -t -f "$f" >/dev/null 2>&1
		tv_check "-t exits 6 (security)" test $? -eq 6
	fi
}

# A script without "#!" runs under /bin/sh, as keepalived runs it.
no_shebang() {
	local d=$TV_RUN f=$TV_RUN/ns.conf
	tv_log "-- a script without #!"
	printf 'exit 0\n' >"$d/plain.sh"
	chmod 0755 "$d/plain.sh"
	one_script "$f" plain "$d/plain.sh" '    weight 10\n' || return
	tv_start r1 "$TV_IMPL" "$f" || return
	tv_check "it succeeds" tv_wait_log r1 'VRRP_Script\(plain\) succeeded' 3000
	tv_check "its weight applies" tv_wait_log r1 'Changing effective priority from 150 to 160' 3000
	tv_stop r1
}

tv_variant v3-4 || exit 1
if tv_topo; then
	scenario
	tv_stop r1; tv_stop r2
	security
	no_shebang
else
	tv_fail "topology"
fi
tv_teardown
tv_finish
