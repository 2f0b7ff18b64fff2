/* SPDX-License-Identifier: MIT */
/* The vrrp_instance keywords (and its authentication block). Values that
 * the checks need in context (priority, VRID) are stored raw here and
 * judged in conf_check.c once the whole file is read. */
#include "conf_int.h"

#include <string.h>
#include <strings.h>

static struct inst_x *cur_ix(struct conf_ctx *x)
{
	return &x->ix[x->c->n_inst - 1];
}

/* Instance booleans that default to the global setting: -1 until given. */
static KW_FN(h_tri)
{
	bool b;

	if (!conf_get_bool(x, t, n, &b))
		return;
	*FIELD(cur_ix(x), k, int8_t) = b;
	if (k->off == offsetof(struct inst_x, strict))
		cur_ix(x)->strict_pos = t->pos;
	else if (k->off == offsetof(struct inst_x, lpna))
		cur_ix(x)->lpna_pos = t->pos;
	else if (k->off == offsetof(struct inst_x, hpsa))
		cur_ix(x)->hpsa_pos = t->pos;
}

/* ---- vrrp_instance ---- */

static KW_FN(h_state)
{
	struct conf_instance *in = obj;
	const char *v = t[1].s;

	if (!strcmp(v, "MASTER") || !strcmp(v, "BACKUP")) {
		in->state = v[0] == 'M' ? WANT_MASTER : WANT_BACKUP;
		cur_ix(x)->state_pos = t->pos;
		cur_ix(x)->has_state = true;
	} else if (!strcasecmp(v, "MASTER") || !strcasecmp(v, "BACKUP")) {
		conf_err(x, &t[1].pos, "state '%s' must be written in capitals: 'state %s' (keepalived ignores it and starts as BACKUP)",
			 v, (v[0] | 0x20) == 'm' ? "MASTER" : "BACKUP");
	} else {
		conf_err(x, &t[1].pos, "state must be MASTER or BACKUP, not '%s'", v);
	}
}

static KW_FN(h_interface)
{
	struct conf_instance *in = obj;

	if (conf_get_ifname(x, t, &t[1], in->ifname))
		in->if_pos = t->pos;
}

/* Kept raw: conf_check reports the range with the instance's context. */
static KW_FN(h_vrid)
{
	struct conf_instance *in = obj;
	long long v;

	in->vrid_pos = t->pos;
	if (conf_num(t[1].s, -CONF_BIG, CONF_BIG, &v)) {
		in->vrid = (int)v;
		cur_ix(x)->dead_vrid = false;
	} else {
		conf_err(x, &t[1].pos, "virtual_router_id needs a number from 1 to 255, not '%s'", t[1].s);
		cur_ix(x)->dead_vrid = true;
	}
}

static KW_FN(h_priority)
{
	struct conf_instance *in = obj;
	long long v;

	cur_ix(x)->prio_pos = t->pos;
	if (conf_num(t[1].s, -CONF_BIG, CONF_BIG, &v)) {
		in->priority = (int)v;
	} else {
		conf_err(x, &t[1].pos, "priority needs a number from 1 to 255, not '%s'", t[1].s);
		cur_ix(x)->dead_prio = true;
	}
}

static KW_FN(h_advert_int)
{
	uint64_t us;

	/* the range depends on the version: conf_check judges it */
	if (conf_get_timer(x, t, &t[1], 100000ull * 1000000, &us)) {
		cur_ix(x)->adv_us = us ? us : UINT64_MAX;	/* 0 is "given, out of range" */
		cur_ix(x)->adv_pos = t->pos;
	}
}

static KW_FN(h_version)
{
	int v;

	if (!conf_get_int(x, t, &t[1], 2, 3, &v))
		return;
	if (v == 3 && !CONFIG_VRRP_V3) {
		conf_err(x, &t->pos, "'version 3' needs CONFIG_VRRP_V3, which this build lacks");
		return;
	}
	cur_ix(x)->version = v;
	cur_ix(x)->version_pos = t->pos;
}

static KW_FN(h_notify_deleted)
{
	struct conf_instance *c = obj;

	c->notify_deleted_set = true;
	if (n > 1)
		conf_parse_cmd(x, t, n, &c->notify_deleted);
}

static KW_FN(h_nopreempt)
{
	((struct conf_instance *)obj)->nopreempt = true;
	cur_ix(x)->nopreempt_pos = t->pos;
}

static KW_FN(h_preempt_delay)
{
	uint64_t us;

	if (conf_get_timer(x, t, &t[1], 1000ull * 1000000, &us)) {
		((struct conf_instance *)obj)->preempt_delay_ms = (uint32_t)(us / 1000);
		cur_ix(x)->preempt_delay_pos = t->pos;
	}
}

static KW_FN(h_accept)
{
	cur_ix(x)->accept = t->s[0] == 'a';
	cur_ix(x)->accept_pos = t->pos;
	/* keepalived's no_accept is a firewall rule; none is installed. */
	conf_unapplied(x, t, t->s[0] == 'n');
}

static KW_FN(h_src)
{
	struct conf_instance *in = obj;

	if (conf_get_addr(x, t, &t[1], &in->src)) {
		in->has_src = true;
		cur_ix(x)->src_pos = t->pos;
	}
}

static KW_FN(h_dta)
{
	if (conf_get_int(x, t, &t[1], 1, 100, &((struct conf_instance *)obj)->down_timer_adverts))
		cur_ix(x)->dta_pos = t->pos;
}

static KW_FN(h_native_ipv6)
{
	if (!CONFIG_IPV6) {
		conf_err(x, &t->pos, "'native_ipv6' needs CONFIG_IPV6, which this build lacks");
		return;
	}
	cur_ix(x)->native_ipv6 = true;
	cur_ix(x)->native_pos = t->pos;
}

static KW_FN(h_auth_type)
{
	struct conf_instance *in = obj;

	if (!strcmp(t[1].s, "AH") && !CONFIG_AUTH_AH) {
		conf_err(x, &t->pos, "'auth_type AH' needs CONFIG_AUTH_AH, which this build lacks");
	} else if (!strcmp(t[1].s, "PASS") || !strcmp(t[1].s, "AH")) {
		in->auth_type = t[1].s[0] == 'P' ? AUTH_PASS : AUTH_AH;
		cur_ix(x)->auth_pos = t->pos;
	} else if (!strcasecmp(t[1].s, "PASS") || !strcasecmp(t[1].s, "AH")) {
		conf_err(x, &t[1].pos, "auth_type '%s' must be written in capitals: 'auth_type %s'",
			 t[1].s, (t[1].s[0] | 0x20) == 'p' ? "PASS" : "AH");
	} else {
		conf_err(x, &t[1].pos, "auth_type must be PASS or AH, not '%s'", t[1].s);
	}
}

static KW_FN(h_auth_pass)
{
	struct conf_instance *in = obj;
	size_t len = strlen(t[1].s);

	memset(in->auth_pass, 0, sizeof(in->auth_pass));
	memcpy(in->auth_pass, t[1].s, len < 8 ? len : 8);
	cur_ix(x)->pass_pos = t->pos;
	if (len > 8)
		conf_warn(x, &t[1].pos, "auth_pass is longer than 8 characters: only '%.8s' is used (as keepalived truncates it)",
			  t[1].s);
}

static const struct kw auth_kw[] = {
	{ "auth_type", h_auth_type, 1, 1, 0, 0, 0, 0 },
	{ "auth_pass", h_auth_pass, 1, 1, 0, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0 }
};

static KW_FN(h_auth)
{
	conf_walk_block(x, blk->child, auth_kw, obj);
}

static KW_FN(h_vips)
{
	conf_vips(x, obj, blk, k->off != 0);
}

static KW_FN(h_peers)
{
	conf_peers(x, obj, blk);
}

static KW_FN(h_track_if)
{
	struct conf_instance *in = obj;

	conf_tracks(x, &in->track_if, &in->n_track_if, blk, false);
}

static KW_FN(h_track_script)
{
	struct conf_instance *in = obj;

	conf_tracks(x, &in->track_script, &in->n_track_script, blk, true);
}

static KW_FN(h_track_file_ref)
{
	struct conf_instance *in = obj;

	conf_tracks(x, &in->track_file, &in->n_track_file, blk, true);
}

#define I(f) (uint16_t)offsetof(struct conf_instance, f)
#define IG(f) (uint16_t)offsetof(struct conf_instance, garp.f)
#define IX(f) (uint16_t)offsetof(struct inst_x, f)

/* A keyword added to this table (or any other in src/conf_*.c) must be
 * classified in src/conf_wire.txt: under [wire] if its value changes which
 * packets we send or accept, and then a tests/net test must set it; under
 * [not-wire] otherwise. tests/conf/wire-coverage (make check) enforces it. */
static const struct kw instance_kw[] = {
	{ "state", h_state, 1, 1, 0, 0, 0, 0 },
	{ "interface", h_interface, 1, 1, 0, 0, 0, 0 },
	{ "virtual_router_id", h_vrid, 1, 1, 0, 0, 0, 0 },
	{ "priority", h_priority, 1, 1, 0, 0, 0, 0 },
	{ "advert_int", h_advert_int, 1, 1, 0, 0, 0, 0 },
	{ "version", h_version, 1, 1, 0, 0, 0, 0 },
	{ "nopreempt", h_nopreempt, 0, 0, 0, 0, 0, 0 },
	{ "preempt", conf_h_ignore, 0, 0, 0, 0, 0, 0 },
	{ "preempt_delay", h_preempt_delay, 1, 1, 0, 0, 0, 0 },
	{ "authentication", h_auth, 0, 0, KB, 0, 0, 0 },
	{ "virtual_ipaddress", h_vips, 0, 0, KB, 0, 0, 0 },
	{ "virtual_ipaddress_excluded", h_vips, 0, 0, KB, 1, 0, 0 },
	{ "accept", h_accept, 0, 0, 0, 0, 0, 0 },
	{ "no_accept", h_accept, 0, 0, 0, 0, 0, 0 },
	{ "garp_master_delay", conf_h_ms, 1, 1, 0, IG(delay_ms), 0, CONF_BIG },
	{ "garp_master_repeat", conf_h_int, 1, 1, 0, IG(repeat), 0, CONF_BIG },
	{ "garp_master_refresh", conf_h_ms, 1, 1, 0, IG(refresh_ms), 0, CONF_BIG },
	{ "garp_master_refresh_repeat", conf_h_int, 1, 1, 0, IG(refresh_repeat), 0, CONF_BIG },
	{ "garp_lower_prio_delay", conf_h_ms_unapplied, 1, 1, 0, IG(lower_prio_delay_ms), 0, CONF_BIG },
	{ "garp_lower_prio_repeat", conf_h_int, 1, 1, 0, IG(lower_prio_repeat), 0, CONF_BIG },
	{ "mcast_src_ip", h_src, 1, 1, 0, 0, 0, 0 },
	{ "unicast_src_ip", h_src, 1, 1, 0, 0, 0, 0 },
	{ "unicast_peer", h_peers, 0, 0, KB, 0, 0, 0 },
	{ "dont_track_primary", conf_h_flag, 0, 0, 0, I(dont_track_primary), 0, 0 },
	{ "track_interface", h_track_if, 0, 0, KB, 0, 0, 0 },
	{ "track_script", h_track_script, 0, 0, KB, 0, 0, 0 },
	{ "track_file", h_track_file_ref, 0, 0, KB, 0, 0, 0 },
	{ "notify_master", conf_h_cmd, 1, 3, 0, I(notify_master), 0, 0 },
	{ "notify_backup", conf_h_cmd, 1, 3, 0, I(notify_backup), 0, 0 },
	{ "notify_fault", conf_h_cmd, 1, 3, 0, I(notify_fault), 0, 0 },
	{ "notify_stop", conf_h_cmd, 1, 3, 0, I(notify_stop), 0, 0 },
	{ "notify", conf_h_cmd, 1, 3, 0, I(notify), 0, 0 },
	{ "notify_deleted", h_notify_deleted, 0, 3, 0, 0, 0, 0 },
	{ "down_timer_adverts", h_dta, 1, 1, 0, 0, 0, 0 },
	{ "skip_check_adv_addr", h_tri, 0, 1, 0, IX(skip_check), 0, 0 },
	{ "strict_mode", h_tri, 0, 1, 0, IX(strict), 0, 0 },
	{ "lower_prio_no_advert", h_tri, 0, 1, 0, IX(lpna), 0, 0 },
	{ "higher_prio_send_advert", h_tri, 0, 1, 0, IX(hpsa), 0, 0 },
	{ "v3_checksum_as_v2", h_tri, 0, 1, 0, IX(v3cs), 0, 0 },
	{ "check_unicast_src", h_tri, 0, 1, 0, IX(cus), 0, 0 },
	{ "native_ipv6", h_native_ipv6, 0, 0, 0, 0, 0, 0 },
	{ "smtp_alert", conf_h_smtp_alert, 0, 1, 0, 0, 0, 0 },
	{ "debug", conf_h_ignore, 0, 1, 0, 0, 0, 0 },
	{ "lvs_sync_daemon_interface", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "linkbeat_use_polling", conf_h_ignore, 0, 0, 0, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0 }
};

KW_FN(conf_h_instance)
{
	struct config *c = x->c;
	struct conf_instance *in;
	struct inst_x *ix;
	char name[CONF_NAME_MAX];
	int dummy = c->n_inst;

	if (!conf_new_name(x, t, c->n_inst ? c->inst[0].name : "", sizeof(*c->inst), c->n_inst, name))
		return;
	in = ar_push(x->cfg, &c->inst, &c->n_inst, &x->cap_inst, sizeof(*in));
	ix = ar_push(&x->tmp, &x->ix, &dummy, &x->cap_ix, sizeof(*ix));
	memcpy(in->name, name, sizeof(name));
	in->pos = t->pos;
	in->garp.delay_ms = in->garp.refresh_ms = in->garp.lower_prio_delay_ms = UINT32_MAX;
	in->garp.interval_us = in->garp.na_interval_us = UINT32_MAX;
	in->garp.repeat = in->garp.refresh_repeat = in->garp.lower_prio_repeat = -1;
	ix->accept = ix->skip_check = ix->strict = ix->lpna = ix->hpsa = ix->v3cs = ix->cus = -1;
	conf_walk_block(x, blk->child, instance_kw, in);
}

