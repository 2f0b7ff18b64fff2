#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interfaces that come and go (keepalived follows them by name): an
# instance whose interface is down or missing at start waits in FAULT and
# joins in when it appears; a master whose link is cut goes to FAULT
# (VIPs removed, priority 0 said) and the backup takes over; a veth that is
# deleted and re-created with a new ifindex is bound afresh (new socket, new
# ifindex, MAC re-read), cycle after cycle, without leaking descriptors; a
# rename away is a loss, a rename back a new interface; a VIP whose own dev
# is missing or deleted means FAULT too.
# timeout: 300
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"

# del_r1 / add_r1: remove r1's veth pair, create it again (new ifindex),
# with the address added before the link comes up, as a hotplug would.
del_r1() { ip -n "$(tv_ns sw)" link del p-r1; }
add_r1() {
	local ns sw
	ns=$(tv_ns r1); sw=$(tv_ns sw)
	ip -n "$sw" link add p-r1 type veth peer name eth0 netns "$ns" &&
	ip -n "$ns" link set eth0 address "$(tv_mac r1)" &&
	ip -n "$sw" link set p-r1 master br0 &&
	ip -n "$sw" link set p-r1 up &&
	ip -n "$ns" addr add "$(tv_ip4 r1)/24" dev eth0 &&
	ip -n "$ns" -6 addr add "$(tv_ip6 r1)/64" dev eth0 nodad &&
	ip -n "$ns" link set eth0 up
}
ifindex_r1() { ip -n "$(tv_ns r1)" -o link show dev eth0 | cut -d: -f1; }
nfds() { ls "/proc/$(tv_vrrp_pid r1)/fd" | wc -l; }
# mark, then r1_back: since the mark, r1 (150) left FAULT, waited as
# backup and preempted r2.
mark() { MARK=$(tv_log_count r1 '\(VI_1\) Entering BACKUP STATE'); }
r1_back() {
	local what=$1
	tv_check "$what: r1 leaves FAULT" tv_wait_until 3000 \
		tv_log_count_ge r1 '\(VI_1\) Entering BACKUP STATE' $((MARK + 1)) &&
	tv_check "$what: r1 alone holds the VIP again" \
		tv_wait_until $(($(tv_mdi_ms 150) + TV_INT_MS + 3000)) tv_only r1
}

start_down() {
	tv_log "-- r1 starts with eth0 down"
	tv_link_down r1 router
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return
	tv_check "r1 starts in FAULT (init)" \
		tv_wait_log r1 '\(VI_1\) Entering FAULT STATE \(init\)' 2000
	tv_check "r1 never went BACKUP or MASTER" \
		tv_not tv_logged r1 'Entering (BACKUP|MASTER) STATE'
	tv_check "r2 alone holds the VIP" \
		tv_wait_until $(($(tv_mdi_ms 100) + 2000)) tv_only r2
	mark
	tv_link_up r1 router
	r1_back "link up"
}

link_cut() {
	local n
	tv_log "-- the master's link is cut"
	n=$(tv_log_count r1 'Entering FAULT STATE$')
	tv_link_down r1
	tv_check "r1 goes to FAULT" tv_wait_until 2000 \
		tv_log_count_ge r1 'Entering FAULT STATE$' $((n + 1))
	tv_check "r1 removed the VIP" tv_wait_until 1000 tv_not tv_has_vip r1
	tv_check "r1 said priority 0 on leaving MASTER" tv_logged r1 '\(VI_1\) sent 0 priority'
	tv_check "r2 takes over" tv_wait_until $(($(tv_mdi_ms 100) + 2000)) tv_only r2
	tv_cap_start cut r1 || return
	tv_check "r1 does not advertise in FAULT" \
		tv_hold_for $((2 * TV_INT_MS + 200)) tv_not tv_cap_grew cut "vrrp and src $(tv_src r1)" 0
	tv_cap_stop cut
	mark
	tv_link_up r1
	r1_back "link back"
}

# keepalived follows interfaces by name: renamed away is lost, a link
# renamed to the configured name is that interface.
rename() {
	local ns
	ns=$(tv_ns r1)
	tv_log "-- r1's eth0 is renamed away and back"
	ip -n "$ns" link set eth0 down && ip -n "$ns" link set eth0 name eth9 ||
		{ tv_fail "cannot rename eth0"; return; }
	tv_check "r1 sees the rename" \
		tv_wait_log r1 'Interface name has changed from eth0 to eth9' 2000
	tv_check "r2 takes over" tv_wait_until $(($(tv_mdi_ms 100) + 2000)) tv_only r2
	mark
	ip -n "$ns" link set eth9 name eth0 && ip -n "$ns" link set eth0 up ||
		{ tv_fail "cannot rename eth9 back"; return; }
	tv_wait_until 3000 tv_ll_ready r1
	r1_back "renamed back"
}

recreate() {
	local i old new n0 n
	tv_log "-- r1's interface is deleted and re-created, three times"
	for i in 1 2 3; do
		old=$(ifindex_r1)
		n=$(tv_log_count r1 'Interface eth0 deleted')
		del_r1
		tv_check "cycle $i: r1 sees eth0 deleted, FAULT" tv_wait_until 2000 \
			tv_log_count_ge r1 'Interface eth0 deleted' $((n + 1))
		tv_check "cycle $i: r2 takes over" \
			tv_wait_until $(($(tv_mdi_ms 100) + 2000)) tv_only r2
		mark
		add_r1 || { tv_fail "cannot re-create r1's eth0"; return; }
		new=$(ifindex_r1)
		tv_check "cycle $i: new ifindex ($old -> $new)" [ "$old" != "$new" ]
		tv_wait_until 3000 tv_ll_ready r1
		tv_check "cycle $i: r1 rebinds and leaves FAULT" tv_wait_until 3000 \
			tv_log_count_ge r1 'Entering BACKUP STATE' $((MARK + 1))
		tv_check "cycle $i: r1 alone holds the VIP again" \
			tv_wait_until $(($(tv_mdi_ms 150) + TV_INT_MS + 3000)) tv_only r1
		[ "$i" = 1 ] && n0=$(nfds)
	done
	tv_check "no descriptor leak over the cycles ($n0 -> $(nfds))" [ "$(nfds)" -le "$n0" ]
}

start_missing() {
	tv_log "-- r1 starts with eth0 missing"
	tv_stop r1 || return
	del_r1
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return
	tv_check "r1 starts in FAULT (init)" \
		tv_wait_log r1 '\(VI_1\) Entering FAULT STATE \(init\)' 2000
	tv_check "r1 says eth0 is missing" tv_logged r1 '\(VI_1\) eth0 does not exist'
	tv_check "r2 alone holds the VIP" \
		tv_wait_until $(($(tv_mdi_ms 100) + 2000)) tv_only r2
	mark
	add_r1 || { tv_fail "cannot create r1's eth0"; return; }
	tv_wait_until 3000 tv_ll_ready r1
	r1_back "created"
}

# A VIP's own dev missing: FAULT as for the instance's interface.
vip_dev() {
	local ns vip2
	ns=$(tv_ns r1)
	if [ "$TV_FAM" = 4 ]; then vip2=198.18.3.100/24; else vip2=2001:db8:3::100/64; fi
	tv_log "-- a VIP's dev (dummy0) is missing at start"
	tv_stop r1 || return
	sed "s|^        .* dev eth0\$|&\n        $vip2 dev dummy0|" "$TV_RUN/r1.conf" >"$TV_RUN/r1-dev.conf"
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1-dev.conf" || return
	tv_check "r1 starts in FAULT (init)" \
		tv_wait_log r1 '\(VI_1\) Entering FAULT STATE \(init\)' 2000
	tv_check "r1 says dummy0 is missing" tv_logged r1 '\(VI_1\) dummy0 does not exist'
	mark
	# A veth pair: no dummy driver needed.
	ip -n "$ns" link add dummy0 type veth peer name dummy0p &&
	ip -n "$ns" link set dummy0p up && ip -n "$ns" link set dummy0 up ||
		{ tv_fail "cannot create dummy0"; return; }
	r1_back "dummy0 created"
	tv_check "the VIP on dummy0 is set" tv_wait_until 1000 \
		eval "ip -n $ns -o addr show dev dummy0 | grep -qF ' ${vip2}'"
	ip -n "$ns" link del dummy0
	tv_check "dummy0 deleted: r1 goes to FAULT" tv_wait_log r1 'Interface dummy0 deleted' 2000
	tv_check "r2 takes over" tv_wait_until $(($(tv_mdi_ms 100) + 2000)) tv_only r2
}

run() {
	tv_topo || { tv_fail "topology"; return; }
	tv_conf "$TV_RUN/r1.conf" prio=150
	tv_conf "$TV_RUN/r2.conf" prio=100
	tv_start r2 "$TV_IMPL" "$TV_RUN/r2.conf" || return
	start_down
	link_cut
	rename
	recreate
	start_missing
	vip_dev
}

tv_each_variant run
tv_finish
