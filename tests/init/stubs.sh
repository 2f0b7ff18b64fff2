# SPDX-License-Identifier: MIT
# shellcheck shell=dash
# Stand-ins for what OpenWrt's rc.common/procd.sh/functions.sh and OpenRC's
# openrc-run give an init script, each recording its call as one line in
# $REC, so tests/init/run can source an init script under busybox sh (the
# shell of OpenWrt) and compare what it asked for.
#
# UCI values come from the environment: config_get VAR SECTION OPTION
# DEFAULT reads UCI_<SECTION>_<OPTION> when set.

: "${REC:?REC must name the record file}"

rec() { echo "$*" >>"$REC"; }

# procd.sh
procd_open_instance() { rec "open_instance $*"; }
procd_set_param() { rec "set_param $*"; }
procd_append_param() { rec "append_param $*"; }
procd_close_instance() { rec "close_instance"; }
procd_send_signal() { rec "send_signal $*"; }
procd_add_reload_trigger() { rec "reload_trigger $*"; }
procd_add_config_trigger() { rec "config_trigger $*"; }

# functions.sh
config_load() { rec "config_load $*"; }
config_get() {
	eval "_v=\${UCI_$2_$3-}"
	eval "_set=\${UCI_$2_$3+x}"
	# shellcheck disable=SC2154 # _v, _set: set by the evals above
	if [ -n "$_set" ]; then eval "$1=\$_v"; else eval "$1=\$4"; fi
}

# openrc-run (supervise-daemon is a stub command on PATH, see tests/init/run)
ebegin() { rec "ebegin $*"; }
eend() { rec "eend $*"; return "${1:-0}"; }
eerror() { rec "eerror $*"; }
