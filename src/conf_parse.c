/* SPDX-License-Identifier: MIT */
/* keepalived.conf keywords -> struct config. One keyword table per context;
 * each keyword knows how many values it takes, so that blocks written on one
 * line ("global_defs { router_id A smtp_server B }") are split into
 * statements where keepalived would swallow the rest of the line. This file
 * has the walk, the generic handlers and the global_defs, vrrp_script,
 * vrrp_sync_group and top-level tables; vrrp_instance is in conf_inst.c. */
#include "conf_int.h"

#include <string.h>

/* ---- generic handlers ---- */

KW_FN(conf_h_ignore)
{
}

KW_FN(conf_h_int)
{
	conf_get_int(x, t, &t[1], k->lo, k->hi, FIELD(obj, k, int));
}

KW_FN(conf_h_flag)
{
	*FIELD(obj, k, bool) = true;
}

KW_FN(conf_h_bool)
{
	conf_get_bool(x, t, n, FIELD(obj, k, bool));
}

/* Seconds into milliseconds; lo/hi are in seconds. */
KW_FN(conf_h_ms)
{
	uint64_t us;

	if (conf_get_timer(x, t, &t[1], (uint64_t)k->hi * 1000000, &us))
		*FIELD(obj, k, uint32_t) = (uint32_t)(us / 1000);
}

KW_FN(conf_h_us)
{
	uint64_t us;

	if (conf_get_timer(x, t, &t[1], (uint64_t)k->hi * 1000000, &us))
		*FIELD(obj, k, uint32_t) = (uint32_t)us;
}

/* Read but not carried out: the value is kept (-d shows it) and one that
 * would change something is said to have no effect, never silently. */
void conf_unapplied(struct conf_ctx *x, const struct conf_tok *t, bool set)
{
	if (set)
		conf_warn(x, &t->pos, "'%s' is read but has no effect in tinyvrrp", t->s);
}

KW_FN(conf_h_us_unapplied)
{
	conf_h_us(x, k, t, n, blk, obj);
	conf_unapplied(x, t, *FIELD(obj, k, uint32_t) != 0);
}

KW_FN(conf_h_ms_unapplied)
{
	conf_h_ms(x, k, t, n, blk, obj);
	conf_unapplied(x, t, *FIELD(obj, k, uint32_t) != 0);
}

KW_FN(conf_h_name)
{
	conf_get_name(x, t, &t[1], FIELD(obj, k, char), CONF_NAME_MAX);
}

KW_FN(conf_h_smtp_alert)
{
	bool b;

	if (conf_get_bool(x, t, n, &b) && b && !x->smtp_noted) {
		x->smtp_noted = true;
		conf_warn(x, &t->pos, "'%s': this build sends no mail; ignored", t->s);
	}
}

/* CMD [USER [GROUP]]: the command is split into argv as keepalived does. */
void conf_parse_cmd(struct conf_ctx *x, const struct conf_tok *t, int n, struct conf_cmd *cmd)
{
	cmd->pos = t->pos;
	conf_split_cmd(x, t[1].s, cmd);
	if (cmd->argc == 0) {
		conf_err(x, &t[1].pos, "'%s': empty command", t->s);
		cmd->argv = NULL;
	}
	cmd->user[0] = cmd->group[0] = '\0';
	if (n > 2)
		conf_get_name(x, t, &t[2], cmd->user, CONF_NAME_MAX);
	if (n > 3)
		conf_get_name(x, t, &t[3], cmd->group, CONF_NAME_MAX);
}

KW_FN(conf_h_cmd)
{
	conf_parse_cmd(x, t, n, FIELD(obj, k, struct conf_cmd));
}

/* ---- global_defs ---- */

static KW_FN(h_vrrp_version)
{
	struct config *c = obj;
	int v;

	if (!conf_get_int(x, t, &t[1], 2, 3, &v))
		return;
	if (v == 3 && !CONFIG_VRRP_V3) {
		conf_err(x, &t->pos, "'%s 3' needs CONFIG_VRRP_V3, which this build lacks", t->s);
		return;
	}
	c->vrrp_version = v;
	x->version_pos = t->pos;
}

static KW_FN(h_mcast)
{
	uint8_t fam = t->s[strlen(t->s) - 1] == '4' ? FAM_V4 : FAM_V6;
	struct vaddr a;

	if (addr_parse(t[1].s, &a) < 0 || a.fam != fam || !addr_is_multicast(&a)) {
		conf_err(x, &t[1].pos, "'%s' needs an IPv%d multicast address, not '%s'", t->s, fam, t[1].s);
		return;
	}
	*FIELD(obj, k, struct vaddr) = a;
}

static KW_FN(h_strict)
{
	x->c->strict = true;
	x->strict_pos = t->pos;
}

static KW_FN(h_script_user)
{
	conf_get_name(x, t, &t[1], x->c->script_user, CONF_NAME_MAX);
	if (n > 2)
		conf_get_name(x, t, &t[2], x->c->script_group, CONF_NAME_MAX);
}

static KW_FN(h_dta_global)
{
	if (conf_get_int(x, t, &t[1], 1, 100, &x->down_timer_adverts))
		x->dta_pos = t->pos;
}

#define G(f) (uint16_t)offsetof(struct config, f)
#define GG(f) (uint16_t)offsetof(struct config, garp.f)

static const struct kw global_kw[] = {
	{ "router_id", conf_h_name, 1, 1, 0, G(router_id), 0, 0 },
	{ "vrrp_version", h_vrrp_version, 1, 1, 0, 0, 0, 0 },
	{ "vrrp_mcast_group4", h_mcast, 1, 1, 0, G(mcast4), 0, 0 },
	{ "vrrp_mcast_group6", h_mcast, 1, 1, 0, G(mcast6), 0, 0 },
	{ "vrrp_garp_master_delay", conf_h_ms, 1, 1, 0, GG(delay_ms), 0, CONF_BIG },
	{ "vrrp_garp_master_repeat", conf_h_int, 1, 1, 0, GG(repeat), 0, CONF_BIG },
	{ "vrrp_garp_master_refresh", conf_h_ms, 1, 1, 0, GG(refresh_ms), 0, CONF_BIG },
	{ "vrrp_garp_master_refresh_repeat", conf_h_int, 1, 1, 0, GG(refresh_repeat), 0, CONF_BIG },
	{ "vrrp_garp_interval", conf_h_us_unapplied, 1, 1, 0, GG(interval_us), 0, 1000 },
	{ "vrrp_gna_interval", conf_h_us_unapplied, 1, 1, 0, GG(na_interval_us), 0, 1000 },
	{ "vrrp_garp_lower_prio_delay", conf_h_ms_unapplied, 1, 1, 0, GG(lower_prio_delay_ms), 0, CONF_BIG },
	{ "vrrp_garp_lower_prio_repeat", conf_h_int, 1, 1, 0, GG(lower_prio_repeat), 0, CONF_BIG },
	{ "vrrp_skip_check_adv_addr", conf_h_bool, 0, 1, 0, G(skip_check_adv_addr), 0, 0 },
	{ "vrrp_strict", h_strict, 0, 0, 0, 0, 0, 0 },
	{ "vrrp_check_unicast_src", conf_h_bool, 0, 1, 0, G(check_unicast_src), 0, 0 },
	{ "vrrp_lower_prio_no_advert", conf_h_bool, 0, 1, 0, G(lower_prio_no_advert), 0, 0 },
	{ "vrrp_higher_prio_send_advert", conf_h_bool, 0, 1, 0, G(higher_prio_send_advert), 0, 0 },
	{ "v3_checksum_as_v2", conf_h_bool, 0, 1, 0, G(v3_checksum_as_v2), 0, 0 },
	{ "script_user", h_script_user, 1, 2, 0, 0, 0, 0 },
	{ "enable_script_security", conf_h_flag, 0, 0, 0, G(script_security), 0, 0 },
	{ "vrrp_startup_delay", conf_h_ms, 1, 1, 0, G(startup_delay_ms), 0, 3600 },
	{ "vrrp_down_timer_adverts", h_dta_global, 1, 1, 0, 0, 0, 0 },
	{ "notify_fifo", conf_h_cmd, 1, 3, 0, G(notify_fifo), 0, 0 },
	{ "vrrp_notify_fifo", conf_h_cmd, 1, 3, 0, G(vrrp_notify_fifo), 0, 0 },
	/* mail: no mail is sent, but the settings are fine to have */
	{ "notification_email", conf_h_ignore, 0, 0, KB, 0, 0, 0 },
	{ "notification_email_from", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "smtp_server", conf_h_ignore, 1, 2, 0, 0, 0, 0 },
	{ "smtp_connect_timeout", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "smtp_helo_name", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "smtp_alert", conf_h_smtp_alert, 0, 1, 0, 0, 0, 0 },
	{ "smtp_alert_vrrp", conf_h_smtp_alert, 0, 1, 0, 0, 0, 0 },
	{ "smtp_alert_checker", conf_h_ignore, 0, 1, 0, 0, 0, 0 },
	{ "no_email_faults", conf_h_ignore, 0, 0, 0, 0, 0, 0 },
	/* cosmetic, or emitted by OpenWrt's generator */
	/* interfaces are always followed by name, missing ones included */
	{ "dynamic_interfaces", conf_h_ignore, 0, 1, 0, 0, 0, 0 },
	{ "process_names", conf_h_ignore, 0, 0, 0, 0, 0, 0 },
	{ "process_name", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "vrrp_process_name", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "startup_script_timeout", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "shutdown_script_timeout", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "linkbeat_use_polling", conf_h_ignore, 0, 0, 0, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0 }
};

/* Known keepalived keywords this build does not implement: one list for
 * every context, so the message is the same wherever they appear. One
 * string, each word ended by a NUL, an empty word last (no table of
 * pointers to relocate). */
static const char unsupported[] =
	"use_vmac\0" "vmac_xmit_base\0" "use_vmac_addr\0" "use_ipvlan\0" "virtual_routes\0"
	"virtual_rules\0" "track_process\0" "vrrp_track_process\0" "track_bfd\0"
	"bfd_instance\0" "static_ipaddress\0" "static_routes\0" "static_rules\0"
	"interface_up_down_delays\0" "track_group\0" "garp_group\0" "linkbeat_interfaces\0"
	"startup_script\0" "shutdown_script\0" "vrrp_notify_fifo_script\0"
	"notify_fifo_script\0" "notify_master_rx_lower_pri\0"
	"notify_priority_changes\0" "auth_hmac\0" "promote_secondaries\0" "unicast_ttl\0"
	"unicast_fault_no_peer\0" "mcast_dst_ip\0" "track_src_ip\0" "owner_ignore_adverts\0"
	"vrrp_owner_ignore_adverts\0" "old_unicast_checksum\0" "timer_expired_backup\0" "vrf\0"
	"garp_extra_if\0" "vmac_garp_intvl\0" "vrrp_garp_extra_if\0" "vrrp_min_garp\0"
	"default_interface\0" "vrrp_iptables\0" "vrrp_ipsets\0" "nftables\0" "net_namespace\0"
	"instance\0" "use_pid_dir\0" "kernel_rx_buf_size\0"
	"fifo_write_vrrp_states_on_reload\0" "vrrp_notify_priority_changes\0"
	"log_unknown_vrids\0" "include_check\0" "umask\0" "random_seed\0" "data_use_instance\0"
	"config_save_dir\0" "tmp_config_directory\0" "disable_local_igmp\0" "vmac_prefix\0"
	"vmac_addr_prefix\0" "reload_check_config\0" "reload_file\0" "reload_repeat\0"
	"reload_time_file\0" "child_wait_time\0" "max_auto_priority\0"
	"min_auto_priority_delay\0"
	/* keepalived's SNMP, D-Bus, LVS, nftables and process tuning */
	"enable_snmp_vrrp\0" "enable_snmp_checker\0" "enable_snmp_rfc\0" "enable_snmp_rfcv2\0"
	"enable_snmp_rfcv3\0" "enable_traps\0" "snmp_socket\0" "enable_dbus\0"
	"dbus_service_name\0" "lvs_flush\0" "lvs_flush_on_stop\0" "lvs_sync_daemon\0"
	"lvs_timeouts\0" "lvs_notify_fifo\0" "lvs_notify_fifo_script\0" "net_namespace_ipvs\0"
	"namespace_with_ipsets\0" "no_checker_emails\0" "checker_log_all_failures\0"
	"rs_init_notifies\0" "nftables_priority\0" "nftables_ifindex\0" "nftables_counters\0"
	"nftables_ipvs\0" "nftables_ipvs_priority\0" "nftables_ipvs_start_fwmark\0"
	"vrrp_priority\0" "vrrp_no_swap\0" "vrrp_rt_priority\0" "vrrp_rlimit_rttime\0"
	"vrrp_cpu_affinity\0" "checker_priority\0" "checker_no_swap\0" "checker_rt_priority\0"
	"checker_rlimit_rttime\0" "checker_cpu_affinity\0" "checker_process_name\0"
	"bfd_priority\0" "bfd_no_swap\0" "bfd_rt_priority\0" "bfd_rlimit_rttime\0"
	"bfd_cpu_affinity\0" "bfd_process_name\0" "vrrp_rx_bufs_policy\0"
	"vrrp_rx_bufs_multiplier\0" "vrrp_netlink_cmd_rcv_bufs\0"
	"vrrp_netlink_cmd_rcv_bufs_force\0" "vrrp_netlink_monitor_rcv_bufs\0"
	"vrrp_netlink_monitor_rcv_bufs_force\0" "lvs_netlink_cmd_rcv_bufs\0"
	"lvs_netlink_cmd_rcv_bufs_force\0" "lvs_netlink_monitor_rcv_bufs\0"
	"lvs_netlink_monitor_rcv_bufs_force\0" "process_monitor_rcv_bufs\0"
	"process_monitor_rcv_bufs_force\0";

/* ---- vrrp_script ---- */

static KW_FN(h_script_cmd)
{
	conf_parse_cmd(x, t, n, &((struct conf_script *)obj)->cmd);
}

static KW_FN(h_script_user_s)
{
	struct conf_script *s = obj;

	conf_get_name(x, t, &t[1], s->cmd.user, CONF_NAME_MAX);
	if (n > 2)
		conf_get_name(x, t, &t[2], s->cmd.group, CONF_NAME_MAX);
}

static KW_FN(h_weight)
{
	struct conf_script *s = obj;

	if (!conf_get_int(x, t, &t[1], -253, 253, &s->weight))
		return;
	x->script_weight_set[x->c->n_scripts - 1] = true;
	if (n > 2) {
		if (!strcmp(t[2].s, "reverse") || !strcmp(t[2].s, "noreverse"))
			s->reverse = t[2].s[0] == 'r';
		else
			conf_err(x, &t[2].pos, "'weight %s' may be followed by 'reverse' only, not '%s'", t[1].s, t[2].s);
	}
}

#define S(f) (uint16_t)offsetof(struct conf_script, f)

static const struct kw script_kw[] = {
	{ "script", h_script_cmd, 1, 3, 0, 0, 0, 0 },
	{ "interval", conf_h_ms, 1, 1, 0, S(interval_ms), 0, CONF_BIG },
	{ "timeout", conf_h_ms, 1, 1, 0, S(timeout_ms), 0, CONF_BIG },
	{ "weight", h_weight, 1, 2, 0, 0, 0, 0 },
	{ "rise", conf_h_int, 1, 1, 0, S(rise), 1, CONF_BIG },
	{ "fall", conf_h_int, 1, 1, 0, S(fall), 1, CONF_BIG },
	{ "user", h_script_user_s, 1, 2, 0, 0, 0, 0 },
	{ "init_fail", conf_h_flag, 0, 0, 0, S(init_fail), 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0 }
};

/* ---- track_file ---- */

static KW_FN(h_tf_file)
{
	struct conf_track_file *f = obj;

	if (t[1].s[0] != '/')
		conf_warn(x, &t[1].pos, "track_file '%s': '%s' is a relative path; it is taken from the daemon's working directory",
			  f->name, t[1].s);
	conf_get_name(x, t, &t[1], f->path, sizeof(f->path));
}

static KW_FN(h_tf_weight)
{
	struct conf_track_file *f = obj;

	/* keepalived: -254..254 for files (value x weight) */
	if (!conf_get_int(x, t, &t[1], -254, 254, &f->weight))
		return;
	if (n > 2) {
		if (!strcmp(t[2].s, "reverse") || !strcmp(t[2].s, "noreverse"))
			f->reverse = t[2].s[0] == 'r';
		else
			conf_err(x, &t[2].pos, "'weight %s' may be followed by 'reverse' only, not '%s'", t[1].s, t[2].s);
	}
}

static KW_FN(h_tf_init)
{
	struct conf_track_file *f = obj;

	f->init_file = true;
	for (int i = 1; i < n; i++) {
		if (!strcmp(t[i].s, "overwrite"))
			f->overwrite = true;
		else
			conf_get_int(x, t, &t[i], INT32_MIN, INT32_MAX, &f->init_value);
	}
}

static const struct kw track_file_kw[] = {
	{ "file", h_tf_file, 1, 1, 0, 0, 0, 0 },
	{ "weight", h_tf_weight, 1, 2, 0, 0, 0, 0 },
	{ "init_file", h_tf_init, 0, 2, 0, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0 }
};

/* ---- vrrp_sync_group ---- */

static KW_FN(h_members)
{
	conf_members(x, obj, blk);
}

static KW_FN(h_group_track)
{
	struct conf_group *g = obj;

	if (!strcmp(t->s, "track_interface"))
		conf_tracks(x, &g->track_if, &g->n_track_if, blk, false);
	else if (!strcmp(t->s, "track_script"))
		conf_tracks(x, &g->track_script, &g->n_track_script, blk, true);
	else
		conf_tracks(x, &g->track_file, &g->n_track_file, blk, true);
}

#define SG(f) (uint16_t)offsetof(struct conf_group, f)

/* keepalived 2.2.7 reads it as sync_group_tracking_weight, with a warning. */
static KW_FN(h_global_tracking)
{
	conf_warn(x, &t->pos, "'global_tracking' is deprecated: read as sync_group_tracking_weight; "
		  "use track_interface/script/file on the sync group");
	conf_h_flag(x, k, t, n, blk, obj);
}

static const struct kw group_kw[] = {
	{ "group", h_members, 0, 0, KB, 0, 0, 0 },
	{ "notify_master", conf_h_cmd, 1, 3, 0, SG(notify_master), 0, 0 },
	{ "notify_backup", conf_h_cmd, 1, 3, 0, SG(notify_backup), 0, 0 },
	{ "notify_fault", conf_h_cmd, 1, 3, 0, SG(notify_fault), 0, 0 },
	{ "notify_stop", conf_h_cmd, 1, 3, 0, SG(notify_stop), 0, 0 },
	{ "notify", conf_h_cmd, 1, 3, 0, SG(notify), 0, 0 },
	{ "smtp_alert", conf_h_smtp_alert, 0, 1, 0, 0, 0, 0 },
	{ "sync_group_tracking_weight", conf_h_flag, 0, 0, 0, SG(tracking_weight), 0, 0 },
	{ "global_tracking", h_global_tracking, 0, 0, 0, SG(tracking_weight), 0, 0 },
	{ "track_interface", h_group_track, 0, 0, KB, 0, 0, 0 },
	{ "track_script", h_group_track, 0, 0, KB, 0, 0, 0 },
	{ "track_file", h_group_track, 0, 0, KB, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0 }
};

/* ---- top level ---- */

static KW_FN(h_global)
{
	conf_walk_block(x, blk->child, global_kw, x->c);
}

bool conf_new_name(struct conf_ctx *x, const struct conf_tok *t, const char *names, size_t stride,
		   int count, char *dst)
{
	if (count >= CONF_MAX_NAMED) {
		conf_err(x, &t->pos, "more than %d '%s' blocks; this one is ignored", CONF_MAX_NAMED, t->s);
		return false;
	}
	for (int i = 0; i < count; i++) {
		if (!strcmp(names + (size_t)i * stride, t[1].s)) {
			conf_err(x, &t[1].pos, "%s '%s' is defined twice; this one is ignored", t->s, t[1].s);
			return false;
		}
	}
	return conf_get_name(x, t, &t[1], dst, CONF_NAME_MAX);
}

static KW_FN(h_script)
{
	struct config *c = x->c;
	struct conf_script *s;
	char name[CONF_NAME_MAX];
	int dummy = c->n_scripts;

	if (!conf_new_name(x, t, c->n_scripts ? c->scripts[0].name : "", sizeof(*c->scripts), c->n_scripts, name))
		return;
	s = ar_push(x->cfg, &c->scripts, &c->n_scripts, &x->cap_scripts, sizeof(*s));
	ar_push(&x->tmp, &x->script_weight_set, &dummy, &x->cap_sws, sizeof(bool));
	memcpy(s->name, name, sizeof(name));
	s->pos = t->pos;
	s->interval_ms = 1000;
	s->rise = s->fall = 1;
	conf_walk_block(x, blk->child, script_kw, s);
}

static KW_FN(h_group)
{
	struct config *c = x->c;
	struct conf_group *g;
	char name[CONF_NAME_MAX];

	if (!conf_new_name(x, t, c->n_groups ? c->groups[0].name : "", sizeof(*c->groups), c->n_groups, name))
		return;
	g = ar_push(x->cfg, &c->groups, &c->n_groups, &x->cap_groups, sizeof(*g));
	memcpy(g->name, name, sizeof(name));
	g->pos = t->pos;
	conf_walk_block(x, blk->child, group_kw, g);
}

static KW_FN(h_track_file)
{
	struct config *c = x->c;
	struct conf_track_file *f;
	char name[CONF_NAME_MAX];

	if (!conf_new_name(x, t, c->n_track_files ? c->track_files[0].name : "", sizeof(*c->track_files),
			   c->n_track_files, name))
		return;
	f = ar_push(x->cfg, &c->track_files, &c->n_track_files, &x->cap_track_files, sizeof(*f));
	memcpy(f->name, name, sizeof(name));
	f->pos = t->pos;
	f->weight = 1;
	conf_walk_block(x, blk->child, track_file_kw, f);
	if (!f->path[0])
		conf_err(x, &t->pos, "track_file '%s' has no 'file PATH'", f->name);
}

/* static_ipaddress {} and friends: OpenWrt always writes them, empty. */
static KW_FN(h_static)
{
	if (blk->child)
		conf_warn(x, &t->pos, "'%s' is not supported yet; ignored", t->s);
}

static KW_FN(h_ipvs)
{
	conf_warn(x, &t->pos, "'%s' block ignored: IPVS and its checkers are not handled by this build", t->s);
}

static const struct kw top_kw[] = {
	{ "global_defs", h_global, 0, 0, KB, 0, 0, 0 },
	{ "vrrp_instance", conf_h_instance, 1, 1, KB, 0, 0, 0 },
	{ "vrrp_script", h_script, 1, 1, KB, 0, 0, 0 },
	{ "vrrp_sync_group", h_group, 1, 1, KB, 0, 0, 0 },
	{ "track_file", h_track_file, 1, 1, KB, 0, 0, 0 },
	{ "vrrp_track_file", h_track_file, 1, 1, KB, 0, 0, 0 },
	{ "static_ipaddress", h_static, 0, 0, KB, 0, 0, 0 },
	{ "static_routes", h_static, 0, 0, KB, 0, 0, 0 },
	{ "static_rules", h_static, 0, 0, KB, 0, 0, 0 },
	{ "interface_up_down_delays", h_static, 0, 0, KB, 0, 0, 0 },
	{ "vrrp_tcp_check", conf_h_tcp_check, 1, 1, KB, 0, 0, 0 },
	{ "virtual_server", conf_h_virtual_server, 1, 3, KB, 0, 0, 0 },
	{ "virtual_server_group", h_ipvs, 1, 1, KB, 0, 0, 0 },
	{ "linkbeat_use_polling", conf_h_ignore, 0, 0, 0, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0 }
};

/* ---- the walk ---- */

static const struct kw *find_kw(const struct kw *tab, const char *s)
{
	for (; tab->name; tab++)
		if (!strcmp(tab->name, s))
			return tab;
	return NULL;
}

static void unknown(struct conf_ctx *x, const struct kw *tab, const struct conf_tok *t)
{
	const char *names[64], *s;
	int n = 0;

	for (const char *k = unsupported; *k; k += strlen(k) + 1) {
		if (!strcmp(t->s, k)) {
			conf_warn(x, &t->pos, "'%s' is not supported yet; ignored", t->s);
			return;
		}
	}
	for (; tab->name && n < 64; tab++)
		names[n++] = tab->name;
	s = conf_suggest(x, t->s, names, n);
	if (s)
		conf_warn(x, &t->pos, "unknown keyword '%s' (did you mean '%s'?)", t->s, s);
	else
		conf_warn(x, &t->pos, "unknown keyword '%s'", t->s);
}

/* One statement, or the part of a one-line block that belongs to k. */
static void call(struct conf_ctx *x, const struct kw *k, const struct conf_tok *t, int n,
		 const struct conf_node *blk, void *obj)
{
	if (n - 1 < k->min) {
		conf_err(x, &t->pos, "'%s' needs %s%s", t->s, k->min == 1 ? "a value" : "more values",
			 t->comment ? " (a '!' or '#' on this line starts a comment: quote the value if it belongs to it)" : "");
		return;
	}
	if (n - 1 > k->max) {
		conf_warn(x, &t[k->max + 1].pos, "'%s' takes %s; '%s' and what follows ignored", t->s,
			  k->max == 0 ? "no value" : k->max == 1 ? "one value" : "fewer values", t[k->max + 1].s);
		n = k->max + 1;
	}
	if ((k->flags & KB) && !(blk && blk->block)) {
		conf_err(x, &t->pos, "'%s' needs a { } block", t->s);
		return;
	}
	if (!(k->flags & KB) && blk && blk->block)
		conf_warn(x, &blk->open, "'%s' takes no { } block; block ignored", t->s);
	k->fn(x, k, t, n, blk, obj);
}

void conf_walk_block(struct conf_ctx *x, const struct conf_node *nd, const struct kw *tab, void *obj)
{
	for (; nd; nd = nd->next) {
		const struct conf_tok *t = nd->t;
		int n = nd->n;

		while (n > 0) {
			const struct kw *k = find_kw(tab, t->s);
			int take = n;

			if (!k) {
				unknown(x, tab, t);
				break;
			}
			/* One-line blocks: after the keyword's required values, a
			 * known keyword of this context starts a new statement. */
			for (int p = k->min + 1; p < n && p <= k->max + 1; p++) {
				if (!t[p].quoted && find_kw(tab, t[p].s)) {
					take = p;
					break;
				}
			}
			call(x, k, t, take, take == n ? nd : NULL, obj);
			t += take;
			n -= take;
		}
	}
}

void conf_walk(struct conf_ctx *x, const struct conf_node *top)
{
	conf_walk_block(x, top, top_kw, NULL);
}

void conf_defaults(struct config *c)
{
	c->vrrp_version = 2;
	addr_parse("224.0.0.18", &c->mcast4);
	addr_parse("ff02::12", &c->mcast6);
	c->garp.delay_ms = 5000;
	c->garp.repeat = 5;
	c->garp.refresh_repeat = 1;
	c->garp.lower_prio_delay_ms = UINT32_MAX;	/* = delay_ms, resolved in conf_check */
	c->garp.lower_prio_repeat = -1;
	/* keepalived's default is off. On, a master that yields to a better
	 * one says so with one advert of its own priority, and the winner,
	 * hearing a lower priority, announces its VIPs again: after a
	 * partition heals the LAN learns where they are whichever router
	 * was heard first (PROTOCOL.md 5.4). One packet per such step-down. */
	c->higher_prio_send_advert = true;
}
