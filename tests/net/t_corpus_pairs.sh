#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The config corpus live: every config of tests/conf/corpus/ that describes
# one router of a VRRP pair runs, as written, on router A (r1), against a peer
# B (r2) running a config derived from it with sed, tinyvrrp and keepalived
# 2.2.7 in both role assignments (A tinyvrrp / B keepalived, then A
# keepalived / B tinyvrrp). The routers' links are named and addressed as the
# config expects (eth0, ens33, br-lan, wan, eth1: one bridge per link name).
#
# Per config and role assignment: the expected master starts first and is
# waited for (bounded) until it alone holds every VIP of the config (the
# excluded ones too), then the other starts (tv_start_pair says why); the
# backup logs "Entering BACKUP STATE" for every instance and never MASTER;
# exactly one router holds the VIPs (all of them, the other none) at every
# sample of the hold period; the master stops (SIGTERM) and the backup holds
# every VIP within advert_int + 1 s (Skew_Time < advert_int); neither log has
# a receive complaint; on the bridges every advert of either router comes
# from the address expected of it (its address on that link, the
# unicast_src_ip, or its link-local for IPv6; told apart by MAC) with a good
# checksum, and both routers sent on every link and family that has an
# instance. Where the config has notify scripts, the stand-ins (below) note
# MASTER on the master and BACKUP on the backup.
#
# Who is master:
#  - a MASTER config (master-backup, notify, track-script, sync-group,
#    lvs-tcp-check): A, as written; B is its BACKUP, priority 30 lower.
#  - a BACKUP config with preemption (preempt-delay, unicast, one-line-blocks,
#    track-file, v3-ipv6): such a file is the backup half of a pair ("the
#    other node is MASTER"), so B is that MASTER, priority 30 higher, up
#    first; A must stay BACKUP. (preempt_delay never comes into play.)
#  - a nopreempt config (nopreempt, openwrt-generated, openwrt-uci-sync):
#    what nopreempt is for: B, state MASTER without nopreempt and priority
#    30 lower, is master first; A, higher priority and nopreempt, joins and
#    must not preempt it. B also drops vrrp_startup_delay (the network's
#    master is already up); A keeps its 5 s, and the hold period runs on
#    until A's delay is over and then its full length (keepalived logs
#    BACKUP at once but runs no timer during the delay).
#
# Paths: the configs name scripts and files this machine lacks or must not
# have touched (/etc/keepalived/*.sh, /usr/local/bin/router-state,
# /sbin/hotplug-call, /run/keepalived/*). Nothing is created at those paths:
# each router runs a copy of the config in which only those paths are
# rewritten to stand-ins in its own directory of the test's temp dir (a
# notify stand-in notes its name, arguments and ACTION/TYPE/NAME), and track
# scripts that must succeed become /bin/true (check_nginx.sh; "pgrep dnsmasq",
# whose failure would put OpenWrt's sync group in FAULT). "/bin/busybox env"
# stays as written where busybox exists, else becomes /usr/bin/env. Every
# rewrite is logged. lvs-tcp-check runs without real servers: keepalived runs
# VRRP only (-P), tinyvrrp's TCP checks fail against absent servers, which
# changes no VRRP state.
#
# A config the test has no entry for is a failure; a config skipped (e.g. a
# feature left out of the tinyvrrp build) is said, with its reason, and
# counted apart from those that ran. With TV_IMPL=keepalived both sides are
# keepalived: a check of the test itself. About 165 s (26 pairs; keepalived
# as the first master waits its full Master_Down_Interval, and takes 1 s to
# exit).
# timeout: 300
# shellcheck source=tests/net/lib.sh
. "$(dirname "$0")/lib.sh"
tv_preflight "$TV_IMPL" keepalived

CORPUS=$TV_ROOT/tests/conf/corpus
# Receive complaints in keepalived's words (KEEPALIVED.md 13), as in
# t_unicast; lines about the config file ("(Line 14) vrrp_garp_interval '0'
# is invalid", tinyvrrp's FILE:LINE: warnings) are not about what was
# received and are left out.
COMPLAINT='[Ii]nvalid|mismatch|wrong|received an invalid passwd|expected [0-9]+ VIPs'
CONFLINE='\(([^()]*: )?Line [0-9]+\)|\.conf:[0-9]+: '

# ---------------------------------------------------------------- configs
#
# spec_ID sets, for corpus config ID:
#   C_FILE   the config, relative to the corpus
#   C_EDIT   the file B's edits change, relative to C_FILE's directory
#            (default: C_FILE itself)
#   C_FIRST  r1 (A) or r2 (B): the expected master, started first
#   C_ADV    the largest advert_int, ms
#   C_LINKS1 / C_LINKS2  A's / B's links: "IFACE=ADDR/PLEN[,ADDR/PLEN]...",
#            added in that order: the first IPv4 address of a link is the
#            primary, the router's advert source there unless
#   C_SRC1 / C_SRC2  "IFACE=ADDR ...": the configured source (unicast_src_ip)
#   C_VIPS   every VIP: "IFACE=ADDR ..."
#   C_INST   the instances
#   C_WIRE   "IFACE:FAMILY ..." on which both routers must have sent adverts
#   C_DELAY1 A's vrrp_startup_delay, ms
#   C_NOTES  1: notify stand-ins must note MASTER / BACKUP
#   C_WHY    what is asserted, one line
# derive_ID DIR: B's edits, in B's copy (DIR); paths_ID DIR: the path
# rewrites, in each router's copy (optional). Both go through subst / drop,
# which fail when the text to change is not there (the corpus changed).

spec_defaults() {
	C_FIRST=r1 C_ADV=1000 C_DELAY1=0 C_NOTES=0 C_EDIT=""
	C_LINKS1="eth0=198.51.100.21/24" C_LINKS2="eth0=198.51.100.22/24"
	C_SRC1="" C_SRC2=""
	C_WIRE="eth0:4" C_INST=VI_1 C_VIPS="eth0=198.51.100.100"
}

spec_master_backup() {
	C_FILE=master-backup/keepalived.conf C_EDIT=conf.d/master.conf
	C_LINKS1="ens33=198.51.100.21/24" C_LINKS2="ens33=198.51.100.22/24"
	C_VIPS="ens33=198.51.100.15 ens33=198.51.100.16 ens33=198.51.100.17"
	C_INST=test1 C_WIRE="ens33:4"
	C_WHY="A (MASTER 100, include conf.d/*.conf) master; B BACKUP 70"
}
derive_master_backup() {
	subst "$1/conf.d/master.conf" 'state MASTER' 'state BACKUP' &&
	subst "$1/conf.d/master.conf" 'priority 100' 'priority 70'
}

spec_nopreempt() {
	C_FILE=nopreempt.conf C_FIRST=r2
	C_WHY="B (MASTER 70, preempting) master first; A (BACKUP 100 nopreempt) must not preempt"
}
derive_nopreempt() {
	subst "$1/nopreempt.conf" 'state BACKUP.*' 'state MASTER' &&
	subst "$1/nopreempt.conf" 'priority 100' 'priority 70' &&
	drop "$1/nopreempt.conf" '^ *nopreempt$'
}

spec_preempt_delay() {
	C_FILE=preempt-delay.conf C_FIRST=r2
	C_LINKS1="ens33=198.51.100.21/24" C_LINKS2="ens33=198.51.100.22/24"
	C_VIPS="ens33=198.51.100.15" C_INST=test1 C_WIRE="ens33:4"
	C_WHY="B (MASTER 130) master first; A (BACKUP 100, preempt_delay 5) stays BACKUP"
}
derive_preempt_delay() {
	subst "$1/preempt-delay.conf" 'state BACKUP' 'state MASTER' &&
	subst "$1/preempt-delay.conf" 'priority 100' 'priority 130' &&
	drop "$1/preempt-delay.conf" 'preempt_delay'
}

spec_unicast() {
	C_FILE=unicast.conf C_FIRST=r2
	# A is unicast_src_ip 198.51.100.21, B its first peer .11; the second
	# peer, .12, is absent (A's adverts to it never leave A: no ARP reply).
	# Both are secondary addresses (.31 / .32 come first): an advert from
	# the interface's primary address instead of unicast_src_ip shows.
	C_LINKS1="eth0=198.51.100.31/24,198.51.100.21/24" C_SRC1="eth0=198.51.100.21"
	C_LINKS2="eth0=198.51.100.32/24,198.51.100.11/24" C_SRC2="eth0=198.51.100.11"
	C_VIPS="eth0=198.51.100.161"
	C_WHY="B (MASTER 110, src .11, peers .21 .12) master first; A (BACKUP 80, src .21, peers .11 .12) stays BACKUP"
}
derive_unicast() {
	subst "$1/unicast.conf" 'state BACKUP' 'state MASTER' &&
	subst "$1/unicast.conf" 'priority 80' 'priority 110' &&
	subst "$1/unicast.conf" 'unicast_src_ip 198\.51\.100\.21$' 'unicast_src_ip 198.51.100.11' &&
	subst "$1/unicast.conf" '^\( *\)198\.51\.100\.11$' '\1198.51.100.21'
}

spec_track_script() {
	C_FILE=track-script.conf
	C_WHY="A (MASTER 100, check_nginx -20 init_fail, chk_pid +10 failing: 80..100) master; B BACKUP 70 (50..70)"
}
derive_track_script() {
	subst "$1/track-script.conf" 'state MASTER' 'state BACKUP' &&
	subst "$1/track-script.conf" 'priority 100' 'priority 70'
}
paths_track_script() {
	# check_nginx.sh must succeed (there is no nginx to check); chk_pid's
	# "pidof nginx" stays as written and fails, which costs its +10 only.
	subst "$1/track-script.conf" '"/etc/keepalived/check_nginx.sh"' '"/bin/true"'
}

spec_notify() {
	C_FILE=notify.conf C_ADV=3000 C_NOTES=1
	C_VIPS="eth0=198.51.100.161"
	C_WHY="A (MASTER 100, advert_int 3) master; B BACKUP 70; notify stand-ins note MASTER / BACKUP"
}
derive_notify() {
	subst "$1/notify.conf" 'state MASTER' 'state BACKUP' &&
	subst "$1/notify.conf" 'priority 100' 'priority 70'
}
paths_notify() {
	standin "$1" notify_action.sh && standin "$1" notify_all.sh &&
	subst "$1/notify.conf" '/etc/keepalived/' "$1/bin/"
}

spec_one_line_blocks() {
	C_FILE=one-line-blocks.conf C_FIRST=r2
	C_WHY="B (MASTER 80) master first; A (BACKUP 50, one-line blocks) stays BACKUP"
}
derive_one_line_blocks() {
	subst "$1/one-line-blocks.conf" 'state BACKUP' 'state MASTER' &&
	subst "$1/one-line-blocks.conf" 'priority 50' 'priority 80'
}

spec_v3_ipv6() {
	C_FILE=v3-ipv6.conf C_FIRST=r2 C_ADV=100
	C_LINKS1="eth0=198.51.100.21/24,2001:db8:1::21/64"
	C_LINKS2="eth0=198.51.100.22/24,2001:db8:1::22/64"
	C_VIPS="eth0=fe80::60 eth0=2001:db8:1::100 eth0=198.51.100.60"
	C_INST="V6 V4" C_WIRE="eth0:4 eth0:6"
	C_WHY="B (MASTER 180, both instances) master first; A (VRRPv3 IPv6 + IPv4, BACKUP 150, 0.1 s) stays BACKUP"
}
derive_v3_ipv6() {
	subst "$1/v3-ipv6.conf" 'state BACKUP' 'state MASTER' &&
	subst "$1/v3-ipv6.conf" 'priority 150' 'priority 180'
}

spec_sync_group() {
	C_FILE=sync-group.conf C_NOTES=1
	C_LINKS1="eth1=198.51.100.21/24 eth0=198.18.0.21/24"
	C_LINKS2="eth1=198.51.100.22/24 eth0=198.18.0.22/24"
	C_VIPS="eth1=198.51.100.1 eth0=198.18.0.1" C_INST="LAN WAN" C_WIRE="eth1:4 eth0:4"
	C_WHY="A (group ROUTER: LAN + WAN MASTER 150) master; B BACKUP 120; group notify stand-ins"
}
derive_sync_group() {
	subst "$1/sync-group.conf" 'state MASTER' 'state BACKUP' &&
	subst "$1/sync-group.conf" 'priority 150' 'priority 120'
}
paths_sync_group() {
	standin "$1" router-state &&
	subst "$1/sync-group.conf" '/usr/local/bin/router-state' "$1/bin/router-state"
}

# OpenWrt's notify strings: "/bin/busybox env -i ACTION=... /sbin/hotplug-call
# keepalived"; hotplug-call becomes the stand-in.
paths_openwrt() {
	standin "$1" hotplug-call &&
	subst "$1/$2" '/sbin/hotplug-call' "$1/bin/hotplug-call" || return 1
	[ -x /bin/busybox ] || subst "$1/$2" '/bin/busybox env' /usr/bin/env
}

spec_openwrt_generated() {
	C_FILE=openwrt-generated.conf C_FIRST=r2 C_NOTES=1
	# No unicast_src_ip: A sends from its address on br-lan; B is the peer .2.
	C_LINKS1="br-lan=198.51.100.1/24" C_LINKS2="br-lan=198.51.100.2/24"
	C_VIPS="br-lan=198.51.100.254" C_INST=Lan C_WIRE="br-lan:4"
	C_WHY="B (MASTER 70, peer .1) master first; A (Lan BACKUP 100 nopreempt, peer .2) must not preempt; hotplug stand-in"
}
derive_openwrt_generated() {
	local f=$1/openwrt-generated.conf
	subst "$f" 'state BACKUP' 'state MASTER' && subst "$f" 'priority 100' 'priority 70' &&
	drop "$f" '^[[:space:]]*nopreempt$' &&
	subst "$f" '^\([[:space:]]*\)198\.51\.100\.2$' '\1198.51.100.1'
}
paths_openwrt_generated() { paths_openwrt "$1" openwrt-generated.conf; }

spec_openwrt_uci_sync() {
	C_FILE=openwrt-uci-sync.conf C_FIRST=r2 C_NOTES=1 C_DELAY1=5000
	# The unicast_src_ip .1 / .2 secondary, as in unicast.
	C_LINKS1="br-lan=198.51.100.31/24,198.51.100.1/24 wan=198.18.0.21/24" C_SRC1="br-lan=198.51.100.1"
	C_LINKS2="br-lan=198.51.100.32/24,198.51.100.2/24 wan=198.18.0.22/24" C_SRC2="br-lan=198.51.100.2"
	C_VIPS="br-lan=198.51.100.254 wan=198.18.0.254 wan=2001:db8:0:1::254"
	C_INST="Lan Wan" C_WIRE="br-lan:4 wan:4"
	C_WHY="B (group G1: Lan + Wan MASTER 120, src .2, peer .1, no startup delay) master first; A (BACKUP 150 nopreempt, src .1, vrrp_startup_delay 5) must not preempt"
}
derive_openwrt_uci_sync() {
	local f=$1/openwrt-uci-sync.conf
	subst "$f" 'state BACKUP' 'state MASTER' && subst "$f" 'priority 150' 'priority 120' &&
	drop "$f" '^[[:space:]]*nopreempt$' && drop "$f" 'vrrp_startup_delay' &&
	subst "$f" 'unicast_src_ip 198\.51\.100\.1$' 'unicast_src_ip 198.51.100.2' &&
	subst "$f" '^\([[:space:]]*\)198\.51\.100\.2$' '\1198.51.100.1'
}
paths_openwrt_uci_sync() {
	# dnsmasq runs nowhere here, and a sync group member's weight is
	# dropped (keepalived 2.2.7): "pgrep dnsmasq" failing would FAULT the
	# group. The stand-in succeeds.
	subst "$1/openwrt-uci-sync.conf" '"/usr/bin/pgrep dnsmasq"' '"/bin/true"' &&
	paths_openwrt "$1" openwrt-uci-sync.conf
}

spec_track_file() {
	C_FILE=track-file.conf C_FIRST=r2
	C_VIPS="eth0=198.51.100.10"
	C_WHY="B (MASTER 130) master first; A (BACKUP 100, track_file maint -10 reverse + load x2, both 0) stays BACKUP"
}
derive_track_file() {
	subst "$1/track-file.conf" 'state BACKUP' 'state MASTER' &&
	subst "$1/track-file.conf" 'priority 100' 'priority 130'
}
paths_track_file() {
	# Each router its own files, not the machine's /run/keepalived: maint
	# is made by init_file, load is written here as an idle system's 0.
	echo 0 >"$1/load" &&
	subst "$1/track-file.conf" '/run/keepalived/' "$1/"
}

spec_lvs_tcp_check() {
	C_FILE=lvs-tcp-check.conf
	C_WHY="A (MASTER 100, virtual_server with TCP_CHECKs, no real servers) master; B BACKUP 70"
}
derive_lvs_tcp_check() {
	subst "$1/lvs-tcp-check.conf" 'state MASTER' 'state BACKUP' &&
	subst "$1/lvs-tcp-check.conf" 'priority 100' 'priority 70'
}

# subst FILE REGEX REPLACEMENT: sed s|REGEX|REPLACEMENT|g; fails (and says
# so) when REGEX matches no line.
subst() {
	grep -q -- "$2" "$1" || { tv_fail "$(basename "$1"): '$2' not found: the corpus changed?"; return 1; }
	sed -i "s|$2|$3|g" "$1"
}
drop() {
	grep -Eq -- "$2" "$1" || { tv_fail "$(basename "$1"): '$2' not found: the corpus changed?"; return 1; }
	sed -Ei "/$2/d" "$1"
}

# standin DIR NAME: DIR/bin/NAME notes its name, arguments and OpenWrt's
# hotplug variables in DIR/notes (env -i leaves no PATH: builtins only).
standin() {
	mkdir -p "$1/bin" || return 1
	cat >"$1/bin/$2" <<EOS
#!/bin/sh
echo "\${0##*/} \$* \${ACTION:+ACTION=\$ACTION TYPE=\$TYPE NAME=\$NAME}" >>"$1/notes"
EOS
	chmod 755 "$1/bin/$2"
}

# ---------------------------------------------------------------- topology

# The links of NODE: "IFACE=ADDRS ..." (C_LINKS1 / C_LINKS2).
links_of() { if [ "$1" = r1 ]; then echo "$C_LINKS1"; else echo "$C_LINKS2"; fi; }
other() { if [ "$1" = r1 ]; then echo r2; else echo r1; fi; }
node_no() { echo "${1#r}"; }

# MAC of NODE on link number S: 02:00:00:00:0S:0N.
link_mac() { printf '02:00:00:00:%02x:%02x\n' "$(($2 + 1))" "$(node_no "$1")"; }

declare -A LL	# LL[NODE:IFACE]: link-local, read before any daemon runs
IFACES=""	# the link names, in C_LINKS1's order

ll_ready() {
	local a
	a=$(ip -n "$(tv_ns "$1")" -6 -o addr show dev "$2" scope link 2>/dev/null) || return 1
	[ -n "$a" ] && ! grep -q tentative <<<"$a"
}

# cp_topo: a switch namespace with one bridge per link name (br0, br1, ...),
# r1 and r2 each with a veth of that name on it, addressed as C_LINKS1 /
# C_LINKS2 say. lib.sh's tv_topo for these configs' interfaces.
cp_topo() {
	local sw n ns l ifc addrs a s
	TV_RUNS=$((TV_RUNS + 1))
	TV_RUN=$TV_TMP/run$TV_RUNS-$CID
	mkdir -p "$TV_RUN" || return 1
	IFACES=""
	for l in $C_LINKS1; do IFACES="$IFACES ${l%%=*}"; done
	IFACES=${IFACES# }
	sw=$(tv_ns sw)
	ip netns add "$sw" || return 1
	TV_NODES="sw"
	ip netns exec "$sw" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null
	ip -n "$sw" link set lo up || return 1
	s=0
	for ifc in $IFACES; do
		ip -n "$sw" link add "br$s" type bridge stp_state 0 forward_delay 0 \
			mcast_snooping 0 && ip -n "$sw" link set "br$s" up || return 1
		s=$((s + 1))
	done
	for n in r1 r2; do
		ns=$(tv_ns "$n")
		ip netns add "$ns" || return 1
		TV_NODES="$TV_NODES $n"
		tv_ns_sysctls "$ns" && ip -n "$ns" link set lo up || return 1
		for l in $(links_of "$n"); do
			ifc=${l%%=*} addrs=${l#*=}
			s=$(iface_no "$ifc") || { tv_fail "$n: link $ifc is not one of A's"; return 1; }
			ip -n "$sw" link add "p$s-$n" type veth peer name "$ifc" netns "$ns" &&
			ip -n "$ns" link set "$ifc" address "$(link_mac "$n" "$s")" &&
			ip -n "$sw" link set "p$s-$n" master "br$s" &&
			ip -n "$sw" link set "p$s-$n" up || return 1
			for a in ${addrs//,/ }; do
				case $a in
				*:*) ip -n "$ns" -6 addr add "$a" dev "$ifc" nodad ;;
				*) ip -n "$ns" addr add "$a" dev "$ifc" ;;
				esac || return 1
			done
			ip -n "$ns" link set "$ifc" up || return 1
		done
	done
	for n in r1 r2; do
		for ifc in $IFACES; do
			tv_wait_until 3000 ll_ready "$n" "$ifc" ||
				{ tv_fail "no link-local address on $n $ifc"; return 1; }
			LL[$n:$ifc]=$(ip -n "$(tv_ns "$n")" -6 -o addr show dev "$ifc" scope link |
				awk '{ sub("/.*", "", $4); print $4; exit }')
		done
	done
	TV_ROUTERS="r1 r2"
}
iface_no() {
	local i=0 ifc
	for ifc in $IFACES; do
		[ "$ifc" = "$1" ] && { echo "$i"; return 0; }
		i=$((i + 1))
	done
	return 1
}

# v4_of NODE IFACE: NODE's IPv4 advert source on IFACE: its C_SRC entry, or
# its first (primary) IPv4 address there.
v4_of() {
	local l a
	if [ "$1" = r1 ]; then l=$C_SRC1; else l=$C_SRC2; fi
	for a in $l; do
		[ "${a%%=*}" = "$2" ] && { echo "${a#*=}"; return 0; }
	done
	for l in $(links_of "$1"); do
		[ "${l%%=*}" = "$2" ] || continue
		a=${l#*=}
		for a in ${a//,/ }; do
			case $a in *:*) ;; *) echo "${a%/*}"; return 0 ;; esac
		done
	done
	return 1
}

# ---------------------------------------------------------------- VIPs

has_vip() {	# NODE IFACE ADDR
	local out
	out=$(ip -n "$(tv_ns "$1")" -o addr show dev "$2" 2>/dev/null) || return 1
	out=$(grep -F " $3/" <<<"$out") || return 1
	! grep -Eq 'tentative|dadfailed' <<<"$out"
}
holds_all() { local v; for v in $C_VIPS; do has_vip "$1" "${v%%=*}" "${v#*=}" || return 1; done; }
holds_none() { local v; for v in $C_VIPS; do has_vip "$1" "${v%%=*}" "${v#*=}" && return 1; done; return 0; }
# only NODE: NODE holds every VIP, the other router none.
only() { holds_all "$1" && holds_none "$(other "$1")"; }
holders() {	# for the record: who holds which VIP
	local n v out=""
	for n in r1 r2; do
		out="$out $n:"
		for v in $C_VIPS; do has_vip "$n" "${v%%=*}" "${v#*=}" && out="$out ${v#*=}"; done
		out="$out;"
	done
	echo "${out# }"
}

# every_instance NODE STATE: NODE logged "(I) Entering STATE STATE" for
# every instance I of the config.
every_instance() {
	local i
	for i in $C_INST; do tv_logged "$1" "\\($i\\) Entering $2 STATE" || return 1; done
}
complains() {
	local c
	c=$(grep -Ev -- "$CONFLINE" "$TV_RUN/$1.log" | grep -E -- "$COMPLAINT") || return 1
	tv_log "$1 complained: $(head -n 3 <<<"$c" | tr '\n' ';')"
}
noted() { grep -qi -- "$2" "$TV_RUN/$1/notes" 2>/dev/null; }

# ---------------------------------------------------------------- the wire

# wire_ok: on each link, every advert (VRRP, not inside ICMP) came from
# r1's or r2's MAC with that router's expected source (its IPv4 address
# there, or its link-local) and a good checksum; both routers sent on every
# IFACE:FAMILY of C_WIRE.
wire_ok() {
	local ifc s fam n want got lines bad w
	for ifc in $IFACES; do
		s=$(iface_no "$ifc")
		lines=$(tv_tshark "l$s" "vrrp && !icmp && !icmpv6" eth.src ip.src ipv6.src \
			vrrp.virt_rtr_id vrrp.checksum.status)
		# "NODE FAMILY SOURCE VRID CHECKSUM", NODE by MAC.
		lines=$(awk -F'|' -v m1="$(link_mac r1 "$s")" -v m2="$(link_mac r2 "$s")" '{
			n = $1 == m1 ? "r1" : $1 == m2 ? "r2" : "mac=" $1
			if ($2 != "") print n, 4, $2, $4, $5; else print n, 6, $3, $4, $5 }' <<<"$lines")
		bad=""
		for n in r1 r2; do
			for fam in 4 6; do
				if [ "$fam" = 4 ]; then want=$(v4_of "$n" "$ifc"); else want=${LL[$n:$ifc]}; fi
				got=$(grep "^$n $fam " <<<"$lines")
				bad="$bad$(awk -v w="$want" '$3 != w || $5 != 1' <<<"$got")"
				case " $C_WIRE " in
				*" $ifc:$fam "*)
					tv_check "$ifc: $n ($(impl_of "$n")) sent IPv$fam adverts ($(grep -c . <<<"$got") from $want)" \
						[ -n "$got" ] ;;
				esac
			done
		done
		bad="$bad$(grep -v '^r[12] ' <<<"$lines")"
		w=$(grep -c . <<<"$lines")
		tv_check "$ifc: all $w adverts from the expected source, checksum good" [ -z "$bad" ] ||
			tv_log "  offending (node family source vrid checksum): $(sort <<<"$bad" | uniq -c | head -5 | tr '\n' ';')"
	done
}
impl_of() { if [ "$1" = r1 ]; then echo "$I1"; else echo "$I2"; fi; }

# ---------------------------------------------------------------- one pair

# copy_conf NODE: the node's copy of the config (the whole directory for
# master-backup, whose include is relative), path rewrites applied, and for
# r2 B's edits. CONF[NODE]: the config's path.
declare -A CONF
copy_conf() {
	local n=$1 d=$TV_RUN/$1 top
	mkdir -p "$d" || return 1
	top=${C_FILE%%/*}
	if [ "$top" != "$C_FILE" ]; then cp -r "$CORPUS/$top/." "$d/" || return 1
	else cp "$CORPUS/$C_FILE" "$d/" || return 1; fi
	if declare -F "paths_$CID" >/dev/null; then "paths_$CID" "$d" || return 1; fi
	if [ "$n" = r2 ]; then "derive_$CID" "$d" || return 1; fi
	CONF[$n]=$d/${C_FILE#"$top"/}
}

# pair I1 I2: the config on r1 (A, I1) and its peer on r2 (B, I2).
pair() {
	I1=$1 I2=$2
	local first=$C_FIRST second c1 ifc s wait_first delay
	second=$(other "$first")
	tv_log "-- $C_FILE: A=r1 $I1, B=r2 $I2: $C_WHY"
	cp_topo || { tv_fail "topology"; return; }
	if ! copy_conf r1 || ! copy_conf r2; then tv_fail "configs"; return; fi
	c1=${CONF[r1]}
	if cmp -s "$CORPUS/$C_FILE" "$c1"; then tv_log "A runs $C_FILE unchanged"
	else tv_log "A runs $C_FILE with paths rewritten: $(diff -r "$CORPUS/$C_FILE" "$c1" |
		grep '^>' | tr -s ' \t' ' ' | tr '\n' ';')"; fi
	tv_log "B's edits: $(diff <(sed "s|$TV_RUN/r1/|$TV_RUN/r2/|g" "$TV_RUN/r1/$C_EDIT") "$TV_RUN/r2/$C_EDIT" |
		grep '^[<>]' | tr -s ' \t' ' ' | tr '\n' ';')"
	s=0
	for ifc in $IFACES; do
		tv_cap_start "l$s" sw "br$s" || return
		s=$((s + 1))
	done

	# The master first, alone until it holds every VIP; then the backup.
	wait_first=$((4 * C_ADV + 2000))
	TMPDIR=$TV_RUN/$first tv_start "$first" "$(impl_of "$first")" "${CONF[$first]}" || return
	tv_check "$first ($(impl_of "$first")) alone holds every VIP within 4 x advert_int + 2 s" \
		tv_wait_until "$wait_first" only "$first" || { tv_log "holders: $(holders)"; return; }
	TMPDIR=$TV_RUN/$second tv_start "$second" "$(impl_of "$second")" "${CONF[$second]}" || return
	delay=0
	[ "$second" = r1 ] && delay=$C_DELAY1
	tv_check "$second ($(impl_of "$second")) enters BACKUP (every instance: $C_INST)" \
		tv_wait_until $((delay + 2000)) every_instance "$second" BACKUP ||
		tv_log "states of $second: $(tv_log_of "$second" | grep -o '([^)]*) Entering [A-Z]* STATE' | tr '\n' ';')"
	local hold=$((C_ADV + 500)) end
	[ "$hold" -lt 1500 ] && hold=1500
	# With a vrrp_startup_delay the backup is ready only once it is over
	# (keepalived says BACKUP at once but runs no timer until then;
	# tinyvrrp waits in Initialize): the hold covers the rest of the
	# delay, then its full length.
	end=$((TV_START_MS[$second] + delay + hold))
	[ $((end - $(tv_now_ms))) -gt "$hold" ] && hold=$((end - $(tv_now_ms)))
	tv_check "exactly one holder ($first) of every VIP at every sample for $hold ms" \
		tv_hold_for "$hold" only "$first" || tv_log "broke after $TV_HELD_MS ms: $(holders)"
	tv_check "$second ($(impl_of "$second")) never MASTER" tv_not tv_logged "$second" "Entering MASTER STATE"
	if [ "$C_NOTES" = 1 ]; then
		tv_check "$first's notify stand-in noted MASTER" tv_wait_until 2000 noted "$first" master
		tv_check "$second's notify stand-in noted BACKUP" tv_wait_until 2000 noted "$second" backup
	fi

	# Failover: the master stops; the backup takes every VIP.
	tv_signal_stop "$first"
	tv_check "$second ($(impl_of "$second")) alone holds every VIP within advert_int + 1 s" \
		tv_wait_until $((C_ADV + 1000)) only "$second" || tv_log "holders: $(holders)"
	tv_wait_stopped "$first" && tv_check "$first ($(impl_of "$first")) exited 0" [ "$TV_STOP_RC" = 0 ]
	[ "$C_NOTES" = 1 ] &&
		tv_check "$second's notify stand-in noted MASTER" tv_wait_until 2000 noted "$second" master
	s=0
	for ifc in $IFACES; do tv_cap_stop "l$s"; s=$((s + 1)); done
	# The survivor ends while the captures are read.
	tv_signal_stop "$second"
	wire_ok
	tv_check "no receive complaint from r1 ($I1)" tv_not complains r1
	tv_check "no receive complaint from r2 ($I2)" tv_not complains r2
	tv_wait_stopped "$second"
}

# ---------------------------------------------------------------- main

# Every config of the corpus at its top level, and the master-backup
# directory's keepalived.conf (conf.d/ is what it includes).
# TV_CORPUS="unicast nopreempt ...": only those (IDs as in spec_ID, or file
# names), to chase one config.
configs=$(cd "$CORPUS" && { find . -maxdepth 1 -name '*.conf'
	find . -mindepth 2 -maxdepth 2 -name keepalived.conf -not -path './bad/*'; } | sed 's|^\./||' | sort)
pairs="tinyvrrp:keepalived keepalived:tinyvrrp"
[ "$TV_IMPL" = keepalived ] && pairs="keepalived:keepalived"
ran="" skipped="" failed="" missing=""
for f in $configs; do
	CID=${f%/keepalived.conf}; CID=${CID%.conf}; CID=${CID//-/_}
	if ! declare -F "spec_$CID" >/dev/null; then
		tv_fail "corpus config $f has no entry in this test (spec_$CID)"
		missing="$missing $f"
		continue
	fi
	if [ -n "${TV_CORPUS:-}" ] && ! [[ " ${TV_CORPUS//-/_} " =~ \ ${CID}(\.conf)?\  ]]; then continue; fi
	spec_defaults
	"spec_$CID"
	C_EDIT=${C_EDIT:-$(basename "$C_FILE")}
	# A feature left out of the tinyvrrp build is a skip, said as such.
	why=""
	if [ "$TV_IMPL" = tinyvrrp ]; then
		why=$("$TV_TINYVRRP" -t -f "$CORPUS/$C_FILE" 2>&1 | grep -o "needs CONFIG_[A-Z0-9_]*" | head -n 1)
	fi
	if [ -n "$why" ]; then
		echo "SKIP: $f: this tinyvrrp build refuses it ($why)"
		skipped="$skipped $f"
		continue
	fi
	f0=$TV_FAILS
	for p in $pairs; do
		tv_measured pair "${p%:*}" "${p#*:}"
		tv_teardown
	done
	if [ "$TV_FAILS" -eq "$f0" ]; then ran="$ran $f"; else failed="$failed $f"; fi
done
n() { wc -w <<<"$1"; }
tv_log "corpus: $(n "$configs") configs; passed (pairs: $pairs): $(n "$ran");" \
	"failed: $(n "$failed")${failed:+ ($failed )}; skipped: $(n "$skipped")${skipped:+ ($skipped )};" \
	"no entry: $(n "$missing")${missing:+ ($missing )}"
[ -n "$skipped" ] && tv_log "SKIPPED (not passed):$skipped"
[ "$(n "$skipped")" -lt "$(n "$ran$failed")" ] || tv_fail "most of the corpus was skipped"
tv_finish
