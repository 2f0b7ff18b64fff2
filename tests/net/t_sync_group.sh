#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# vrrp_sync_group (keepalived): a LAN instance on eth0 and a WAN instance on
# eth1, one group, on two routers.  Cutting the master's WAN link puts its
# WAN instance in FAULT, and with it the whole group: both VIPs move to the
# other router, whose members go MASTER together.  The link back, the group
# leaves FAULT and r1 takes both back.  Group notify scripts run once per
# group transition.  As keepalived, a member's tracker weight is ignored
# (weight 0: FAULT) unless sync_group_tracking_weight, and the group's own
# trackers apply to every member.
# timeout: 180
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL"

# A second switch (br1) and eth1 on r1 and r2: the WAN, 198.18.2.0/24.
add_wan() {
	local sw n ns
	sw=$(tv_ns sw)
	ip -n "$sw" link add br1 type bridge stp_state 0 forward_delay 0 mcast_snooping 0 &&
	ip -n "$sw" link set br1 up || return 1
	for n in r1 r2; do
		ns=$(tv_ns "$n")
		ip -n "$sw" link add "q-$n" type veth peer name eth1 netns "$ns" &&
		ip -n "$sw" link set "q-$n" master br1 &&
		ip -n "$sw" link set "q-$n" up &&
		ip -n "$ns" addr add "198.18.2.$(tv_node_index "$n")/24" dev eth1 &&
		ip -n "$ns" link set eth1 up || return 1
	done
}
wan_down() { ip -n "$(tv_ns sw)" link set "q-$1" down; }
wan_up() { ip -n "$(tv_ns sw)" link set "q-$1" up; }
has_wan_vip() { ip -n "$(tv_ns "$1")" -o addr show dev eth1 | grep -qF " 198.18.2.100/24"; }
# both NODE: NODE and nobody else holds the LAN and the WAN VIP.
both() {
	local o
	o=$([ "$1" = r1 ] && echo r2 || echo r1)
	tv_only "$1" && has_wan_vip "$1" && ! has_wan_vip "$o"
}
nlines() { grep -c "^$2\$" "$TV_RUN/$1.notify" 2>/dev/null || echo 0; }

conf() {
	local n=$1 prio=$2
	cat >"$TV_RUN/$n.notify.sh" <<EOS
#!/bin/sh
echo "\$*" >>"$TV_RUN/$n.notify"
EOS
	chmod +x "$TV_RUN/$n.notify.sh"
	cat >"$TV_RUN/$n.conf" <<EOC
global_defs {
    router_id $n
    script_user root
}
vrrp_sync_group G1 {
    group {
        LAN
        WAN
    }
    notify "$TV_RUN/$n.notify.sh"
}
vrrp_instance LAN {
    state BACKUP
    interface eth0
    track_interface {
        eth1 weight -20
    }
    virtual_router_id 51
    priority $prio
    advert_int $TV_INT
    version 3
    virtual_ipaddress {
        $TV_VIP/$TV_PLEN dev eth0
    }
}
vrrp_instance WAN {
    state BACKUP
    interface eth1
    virtual_router_id 52
    priority $prio
    advert_int $TV_INT
    version 3
    virtual_ipaddress {
        198.18.2.100/24 dev eth1
    }
}
EOC
}

run() {
	local mdi f0 b0
	mdi=$(tv_mdi_ms 100)
	tv_topo || { tv_fail "topology"; return; }
	add_wan || { tv_fail "WAN topology"; return; }
	conf r1 150
	conf r2 100
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return
	tv_start r2 "$TV_IMPL" "$TV_RUN/r2.conf" || return
	tv_check "r1 holds both VIPs" tv_wait_until $((mdi + 3000)) both r1 || return
	tv_check "keepalived: no tracking weights inside a sync group" \
		tv_logged r1 '\(LAN\) ignoring eth1 tracked interface weight due to SYNC group'
	tv_check "r1's group went MASTER together" \
		tv_wait_log r1 'VRRP_Group\(G1\) Syncing instances to MASTER state' 1000
	tv_check "r1: group notify MASTER once" tv_wait_until 2000 \
		eval '[ "$(nlines r1 "GROUP G1 MASTER 0")" = 1 ]'

	tv_log "-- r1's WAN link is cut"
	wan_down r1
	tv_check "r1's WAN instance goes to FAULT" \
		tv_wait_log r1 '\(WAN\) Entering FAULT STATE' 2000
	tv_check "r1's LAN instance follows it to FAULT" \
		tv_wait_log r1 '\(LAN\) Entering FAULT STATE' 1000
	tv_check "r2 holds both VIPs" tv_wait_until $((mdi + 2000)) both r2
	tv_check "r2's group went MASTER together" \
		tv_wait_log r2 'VRRP_Group\(G1\) Syncing instances to MASTER state' 1000
	tv_check "r1: group notify FAULT once" tv_wait_until 2000 \
		eval '[ "$(nlines r1 "GROUP G1 FAULT 0")" = 1 ]'
	tv_check "r2: group notify MASTER once" tv_wait_until 2000 \
		eval '[ "$(nlines r2 "GROUP G1 MASTER 0")" = 1 ]'
	tv_check "both VIPs stay on r2 for 3 intervals" \
		tv_hold_for $((3 * TV_INT_MS + 300)) both r2

	tv_log "-- r1's WAN link is back"
	wan_up r1
	tv_check "r1 takes both VIPs back" \
		tv_wait_until $(($(tv_mdi_ms 150) + TV_INT_MS + 3000)) both r1
	tv_check "r2's group went back to BACKUP together" \
		tv_wait_log r2 'VRRP_Group\(G1\) Syncing instances to BACKUP state' 1000
	tv_check "r1: group notify BACKUP then MASTER" tv_wait_until 2000 \
		eval '[ "$(nlines r1 "GROUP G1 MASTER 0")" = 2 ]'
	tv_check "r2: group notify BACKUP twice (start, yield)" tv_wait_until 2000 \
		eval '[ "$(nlines r2 "GROUP G1 BACKUP 0")" = 2 ]'
	tv_check "r1: no second FAULT notify" [ "$(nlines r1 "GROUP G1 FAULT 0")" = 1 ]

	tv_log "-- both reload (SIGHUP) an unchanged config"
	local e1 e2 n1 n2
	e1=$(tv_log_count r1 'Entering'); e2=$(tv_log_count r2 'Entering')
	n1=$(wc -l <"$TV_RUN/r1.notify"); n2=$(wc -l <"$TV_RUN/r2.notify")
	kill -HUP "${TV_PID[r1]}" "${TV_PID[r2]}"
	tv_check "both finish reloading" tv_wait_until 3000 eval \
		'tv_logged r1 "Reload complete" && tv_logged r2 "Reload complete"'
	tv_check "both VIPs stay on r1" tv_hold_for $((3 * TV_INT_MS)) both r1
	tv_check "no member moved" [ "$(tv_log_count r1 'Entering')/$(tv_log_count r2 'Entering')" = "$e1/$e2" ]
	tv_check "no group notify" \
		[ "$(wc -l <"$TV_RUN/r1.notify")/$(wc -l <"$TV_RUN/r2.notify")" = "$n1/$n2" ]
}

# Trackers of the group itself (keepalived 2.2.7: applied to every member,
# weights and all): a weight 0 track_file there with r1's file non-zero
# puts r1's whole group in FAULT. A member's own weighted track_script is
# dropped, in keepalived's words.
group_tracker() {
	local n
	tv_log "-- trackers of the group"
	tv_stop r1; tv_stop r2
	for n in r1 r2; do
		echo 0 >"$TV_RUN/$n.gf"
		sed -i "s|^vrrp_sync_group G1 {|vrrp_track_file gf {\n    file $TV_RUN/$n.gf\n}\nvrrp_script up {\n    script /bin/true\n    weight 30\n}\n&\n    track_file {\n        gf weight 0\n    }|" \
			"$TV_RUN/$n.conf"
		sed -i "s|^vrrp_instance WAN {|&\n    track_script {\n        up\n    }|" "$TV_RUN/$n.conf"
	done
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return
	tv_start r2 "$TV_IMPL" "$TV_RUN/r2.conf" || return
	tv_check "r1 holds both VIPs" tv_wait_until $(($(tv_mdi_ms 100) + 3000)) both r1 || return
	tv_check "a member's weighted script is dropped" \
		tv_logged r1 '\(WAN\) ignoring tracked script up with weights due to SYNC group'
	echo 1 >"$TV_RUN/r1.gf"
	tv_check "the group's tracker puts r1's LAN in FAULT" tv_wait_log r1 '\(LAN\) Entering FAULT STATE' 2000
	tv_check "and its WAN" tv_wait_log r1 '\(WAN\) Entering FAULT STATE' 1000
	tv_check "r2 holds both VIPs" tv_wait_until $(($(tv_mdi_ms 100) + 2000)) both r2
	echo 0 >"$TV_RUN/r1.gf"
	tv_check "r1 takes both VIPs back" tv_wait_until $(($(tv_mdi_ms 150) + TV_INT_MS + 3000)) both r1
}

# With sync_group_tracking_weight the members keep their own weights: a
# script that fails on r1 only, tracked by both members with weight -60,
# takes r1's group below r2's, and both VIPs move to r2 and stay there.
tracking_weight() {
	local n
	tv_log "-- sync_group_tracking_weight"
	tv_stop r1; tv_stop r2
	conf r1 150
	conf r2 100
	for n in r1 r2; do
		sed -i "s|^vrrp_sync_group G1 {|vrrp_script chk {\n    script $([ $n = r1 ] && echo /bin/false || echo /bin/true)\n    interval 1\n    weight -60\n}\n&\n    sync_group_tracking_weight|" \
			"$TV_RUN/$n.conf"
		sed -i "s/^vrrp_instance .* {/&\n    track_script {\n        chk\n    }/" "$TV_RUN/$n.conf"
	done
	tv_start r1 "$TV_IMPL" "$TV_RUN/r1.conf" || return
	tv_start r2 "$TV_IMPL" "$TV_RUN/r2.conf" || return
	tv_check "r1's members take their own script's weight" tv_wait_until 5000 eval \
		"tv_logged r1 '\(LAN\) Changing effective priority from 150 to 90' &&
		 tv_logged r1 '\(WAN\) Changing effective priority from 150 to 90'"
	tv_check "no weight ignored" tv_not tv_logged r1 'due to SYNC group'
	tv_check "r2 holds both VIPs" tv_wait_until $(($(tv_mdi_ms 100) + 3000)) both r2
	tv_check "and keeps them" tv_hold_for $((3 * TV_INT_MS + 300)) both r2
}

for v in ${TV_VARIANTS/v3-6/}; do
	[ "$v" = v2-4 ] && continue	# the WAN instance is written as VRRPv3
	tv_variant "$v" || exit 1
	run
	group_tracker
	tracking_weight
	tv_teardown
done
tv_finish
