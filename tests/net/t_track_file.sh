#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# track_file (keepalived): r1 (priority 150) tracks a file holding a number.
# With weight -10 a value of 3 lowers r1 to 120 (still master), 6 to 90 and
# r2 (100) takes over, 0 gives r1 back its 150 and it preempts.  With weight
# 0 any non-zero value is FAULT.  Written with rename (atomic, as scripts
# do) and in place (echo >), both seen through inotify on the directory.
# timeout: 240
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"

put() { echo "$1" >"$TV_RUN/tf.tmp" && mv "$TV_RUN/tf.tmp" "$TV_RUN/tf"; }
put_in_place() { echo "$1" >"$TV_RUN/tf"; }

start() {
	local w=$1
	tv_conf "$TV_RUN/r1.conf" prio=150
	sed -i "s/^    interface eth0\$/&\n    track_file {\n        TF weight $w\n    }/" "$TV_RUN/r1.conf"
	# The block comes first: keepalived 2.2.7 resolves the instance's
	# reference as it reads it ("track file TF not found, ignoring...").
	{ printf 'track_file TF {\n    file %s\n    init_file 0 overwrite\n}\n' "$TV_RUN/tf"
	  cat "$TV_RUN/r1.conf"; } >"$TV_RUN/r1.conf.new" && mv "$TV_RUN/r1.conf.new" "$TV_RUN/r1.conf"
	tv_conf "$TV_RUN/r2.conf" prio=100
	put 7	# init_file ... overwrite must replace it with 0
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return 1
	tv_start r2 "$TV_IMPL" "$TV_RUN/r2.conf" || return 1
	tv_check "init_file wrote 0" [ "$(cat "$TV_RUN/tf")" = 0 ]
	tv_check "r1 alone holds the VIP" tv_wait_until $(($(tv_mdi_ms 150) + 2000)) tv_only r1
}

weighted() {
	local mdi
	mdi=$(tv_mdi_ms 100)
	tv_log "-- weight -10"
	start -10 || return
	put 3
	tv_check "3 x -10: priority 120" \
		tv_wait_log r1 '\(VI_1\) Changing effective priority from 150 to 120' 2000
	tv_check "r1 still alone holds the VIP" tv_hold_for $((3 * TV_INT_MS)) tv_only r1
	put_in_place 6
	tv_check "6 x -10: priority 90" \
		tv_wait_log r1 '\(VI_1\) Changing effective priority from 120 to 90' 2000
	tv_check "r2 takes over" tv_wait_until $((mdi + 2000)) tv_only r2
	put 0
	tv_check "0: priority 150 again" \
		tv_wait_log r1 '\(VI_1\) Changing effective priority from 90 to 150' 2000
	tv_check "r1 preempts" tv_wait_until $(($(tv_mdi_ms 150) + TV_INT_MS + 2000)) tv_only r1
	tv_stop r1
	tv_stop r2
}

faulting() {
	local n
	tv_log "-- weight 0"
	start 0 || return
	put 1
	tv_check "non-zero with weight 0: FAULT" tv_wait_log r1 '\(VI_1\) Entering FAULT STATE' 2000
	tv_check "r2 takes over" tv_wait_until $(($(tv_mdi_ms 100) + 2000)) tv_only r2
	n=$(tv_log_count r1 'Entering MASTER STATE')
	put 0
	tv_check "0: r1 leaves FAULT" tv_wait_log r1 '\(VI_1\) Entering BACKUP STATE' 2000
	tv_check "r1 preempts" tv_wait_until $(($(tv_mdi_ms 150) + TV_INT_MS + 2000)) tv_only r1
	tv_check "r1 became MASTER once more" tv_log_count_ge r1 'Entering MASTER STATE' $((n + 1))
	tv_stop r1
	tv_stop r2
}

for v in $TV_VARIANTS; do
	tv_variant "$v" || exit 1
	tv_topo || { tv_fail "topology"; exit 1; }
	weighted
	faulting
	tv_teardown
done
tv_finish
