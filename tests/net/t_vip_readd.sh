#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A VIP deleted behind the master's back (a network manager, an operator's
# `ip addr del`) comes back within 2 s, every time, and the backup does not
# take over in the meantime.
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"

run() {
	local i
	tv_topo || { tv_fail "topology"; return; }
	tv_pair "$TV_IMPL" "$TV_IMPL" || return
	for i in 1 2; do
		tv_check "ip addr del $TV_VIP/$TV_PLEN on r1 (#$i)" \
			ip -n "$(tv_ns r1)" addr del "$TV_VIP/$TV_PLEN" dev eth0 || return
		tv_check "the VIP is back on r1 within 2 s (#$i)" \
			tv_wait_until 2000 tv_has_vip r1 || return
		tv_log "re-added after ${TV_WAITED_MS} ms"
		tv_check "r1 stays the only holder" tv_hold_for $((2 * TV_INT_MS)) tv_only r1
	done
	# keepalived 2.2.7 bounces through BACKUP (priority 0, then master again);
	# re-adding in place is as good.  Either way r2 must not take over.
	tv_logged r1 'Entering BACKUP STATE$' && tv_log "note: r1 went through BACKUP to re-add"
	tv_check "r2 never became master" tv_not tv_logged r2 'Entering MASTER STATE'
}

tv_each_variant run
tv_finish
