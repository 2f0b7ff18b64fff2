/* SPDX-License-Identifier: MIT */
/* The canonical text of a parsed config (-d): every field with defaults
 * applied, one fact per line, "key value", indented under its section.
 * Stable on purpose: tests compare it byte for byte, so add fields at the
 * end of a section and never reorder. File paths and line numbers are left
 * out so the text does not depend on where the file was read from. */
#include "conf_int.h"

#include <string.h>

/* A word as it can be read back: "-" is reserved for "not set", so the
 * empty string, "-", and anything with blanks or odd bytes are quoted. */
static void word(FILE *f, const char *s)
{
	bool plain = *s && strcmp(s, "-");

	for (const char *p = s; *p && plain; p++)
		plain = (unsigned char)*p > ' ' && (unsigned char)*p < 0x7f && !strchr("\"'\\{}#!", *p);
	if (plain) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < ' ' || *p >= 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void kv_str(FILE *f, const char *key, const char *v)
{
	fprintf(f, "  %s ", key);
	if (*v)
		word(f, v);
	else
		fputc('-', f);
	fputc('\n', f);
}

static void kv_int(FILE *f, const char *key, long long v)
{
	fprintf(f, "  %s %lld\n", key, v);
}

static void kv_bool(FILE *f, const char *key, bool v)
{
	fprintf(f, "  %s %s\n", key, v ? "yes" : "no");
}

static void kv_addr(FILE *f, const char *key, const struct vaddr *a)
{
	char b[ADDR_STRLEN];

	fprintf(f, "  %s %s\n", key, a->fam ? addr_str(a, b) : "-");
}

static void cmd(FILE *f, const char *key, const struct conf_cmd *c)
{
	fprintf(f, "  %s", key);
	if (!c->argv) {
		fputs(" -\n", f);
		return;
	}
	fputs(" user ", f);
	c->user[0] ? word(f, c->user) : (void)fputc('-', f);
	fputs(" group ", f);
	c->group[0] ? word(f, c->group) : (void)fputc('-', f);
	fputs(" argv", f);
	for (int i = 0; i < c->argc; i++) {
		fputc(' ', f);
		word(f, c->argv[i]);
	}
	fputc('\n', f);
}

static void garp(FILE *f, const struct conf_garp *g)
{
	kv_int(f, "garp_master_delay_ms", g->delay_ms);
	kv_int(f, "garp_master_repeat", g->repeat);
	kv_int(f, "garp_master_refresh_ms", g->refresh_ms);
	kv_int(f, "garp_master_refresh_repeat", g->refresh_repeat);
	kv_int(f, "garp_interval_us", g->interval_us);
	kv_int(f, "gna_interval_us", g->na_interval_us);
	kv_int(f, "garp_lower_prio_delay_ms", g->lower_prio_delay_ms);
	kv_int(f, "garp_lower_prio_repeat", g->lower_prio_repeat);
}

static const char *scope_name(uint8_t s)
{
	switch (s) {
	case SCOPE_GLOBAL: return "global";
	case SCOPE_SITE: return "site";
	case SCOPE_LINK: return "link";
	case SCOPE_HOST: return "host";
	case SCOPE_NOWHERE: return "nowhere";
	default: return NULL;
	}
}

static void vip(FILE *f, const char *key, const struct conf_vip *v)
{
	char a[ADDR_STRLEN];
	const char *sc = scope_name(v->scope);

	fprintf(f, "  %s %s/%u dev ", key, addr_str(&v->addr, a), v->plen);
	v->dev[0] ? word(f, v->dev) : (void)fputc('-', f);
	fputs(" label ", f);
	v->label[0] ? word(f, v->label) : (void)fputc('-', f);
	if (sc)
		fprintf(f, " scope %s", sc);
	else
		fprintf(f, " scope %u", v->scope);
	fprintf(f, " brd %s nodad %s no_track %s\n", v->has_brd ? addr_str(&v->brd, a) : "-",
		v->nodad ? "yes" : "no", v->no_track ? "yes" : "no");
}

static void track(FILE *f, const char *key, const struct conf_track *t)
{
	fprintf(f, "  %s ", key);
	word(f, t->name);
	fprintf(f, " weight %d reverse %s from %s\n", t->weight, t->reverse ? "yes" : "no",
		t->has_weight ? "entry" : "script");
}

static void instance(FILE *f, const struct conf_instance *in)
{
	char a[ADDR_STRLEN];

	fputs("instance ", f);
	word(f, in->name);
	fputc('\n', f);
	kv_str(f, "interface", in->ifname);
	kv_int(f, "virtual_router_id", in->vrid);
	kv_str(f, "state", in->state == WANT_MASTER ? "MASTER" : "BACKUP");
	kv_int(f, "priority", in->priority);
	kv_int(f, "version", in->version);
	kv_str(f, "family", in->family == FAM_V6 ? "ipv6" : "ipv4");
	kv_int(f, "advert_int_cs", in->adv_cs);
	kv_bool(f, "nopreempt", in->nopreempt);
	kv_int(f, "preempt_delay_ms", in->preempt_delay_ms);
	fprintf(f, "  authentication %s",
		in->auth_type == AUTH_PASS ? "PASS" : in->auth_type == AUTH_AH ? "AH" : "none");
	if (in->auth_type != AUTH_NONE) {
		char pass[9];

		memcpy(pass, in->auth_pass, 8);
		pass[8] = '\0';
		fputs(" pass ", f);
		word(f, pass);
	}
	fputc('\n', f);
	kv_bool(f, "accept", in->accept);
	kv_bool(f, "dont_track_primary", in->dont_track_primary);
	fprintf(f, "  src_ip %s\n", in->has_src ? addr_str(&in->src, a) : "-");
	kv_addr(f, "mcast_group", &in->mcast_group);
	garp(f, &in->garp);
	kv_int(f, "down_timer_adverts", in->down_timer_adverts);
	kv_bool(f, "skip_check_adv_addr", in->skip_check_adv_addr);
	kv_bool(f, "strict", in->strict);
	kv_bool(f, "lower_prio_no_advert", in->lower_prio_no_advert);
	kv_bool(f, "higher_prio_send_advert", in->higher_prio_send_advert);
	kv_bool(f, "v3_checksum_as_v2", in->v3_checksum_as_v2);
	kv_bool(f, "check_unicast_src", in->check_unicast_src);
	for (int i = 0; i < in->n_vips; i++)
		vip(f, "vip", &in->vips[i]);
	for (int i = 0; i < in->n_vips_ex; i++)
		vip(f, "vip_excluded", &in->vips_ex[i]);
	for (int i = 0; i < in->n_peers; i++)
		fprintf(f, "  unicast_peer %s min_ttl %d max_ttl %d\n", addr_str(&in->peers[i].addr, a),
			in->peers[i].min_ttl, in->peers[i].max_ttl);
	for (int i = 0; i < in->n_track_if; i++)
		track(f, "track_interface", &in->track_if[i]);
	for (int i = 0; i < in->n_track_script; i++)
		track(f, "track_script", &in->track_script[i]);
	for (int i = 0; i < in->n_track_file; i++) {
		fputs("  track_file ", f);
		word(f, in->track_file[i].name);
		fprintf(f, " weight %d reverse %s from %s\n", in->track_file[i].weight,
			in->track_file[i].reverse ? "yes" : "no", in->track_file[i].has_weight ? "entry" : "file");
	}
	cmd(f, "notify_master", &in->notify_master);
	cmd(f, "notify_backup", &in->notify_backup);
	cmd(f, "notify_fault", &in->notify_fault);
	cmd(f, "notify_stop", &in->notify_stop);
	cmd(f, "notify", &in->notify);
	kv_str(f, "deleted_notifies", in->notify_deleted_set ? "DELETED" : "FAULT");
	cmd(f, "notify_deleted", &in->notify_deleted);
	for (int i = 0; i < in->n_track_tcp; i++) {
		fputs("  track_tcp_check ", f);
		word(f, in->track_tcp[i].name);
		fprintf(f, " weight %d reverse %s from %s\n", in->track_tcp[i].weight,
			in->track_tcp[i].reverse ? "yes" : "no", in->track_tcp[i].has_weight ? "entry" : "check");
	}
}

/* What a TCP check connects to, and when. */
static void tcp_check(FILE *f, const struct conf_tcp_check *k)
{
	kv_addr(f, "connect_ip", &k->ip);
	kv_int(f, "connect_port", k->port);
	kv_addr(f, "bindto", &k->bindto);
	kv_int(f, "bind_port", k->bind_port);
	kv_str(f, "bind_if", k->bind_if);
	kv_int(f, "connect_timeout_ms", k->timeout_ms);
}

void conf_dump(const struct config *c, FILE *f)
{
	fputs("global\n", f);
	kv_str(f, "router_id", c->router_id);
	kv_int(f, "vrrp_version", c->vrrp_version);
	kv_addr(f, "mcast_group4", &c->mcast4);
	kv_addr(f, "mcast_group6", &c->mcast6);
	garp(f, &c->garp);
	kv_bool(f, "skip_check_adv_addr", c->skip_check_adv_addr);
	kv_bool(f, "strict", c->strict);
	kv_bool(f, "check_unicast_src", c->check_unicast_src);
	kv_bool(f, "lower_prio_no_advert", c->lower_prio_no_advert);
	kv_bool(f, "higher_prio_send_advert", c->higher_prio_send_advert);
	kv_bool(f, "v3_checksum_as_v2", c->v3_checksum_as_v2);
	kv_str(f, "script_user", c->script_user);
	kv_str(f, "script_group", c->script_group);
	kv_bool(f, "enable_script_security", c->script_security);
	kv_int(f, "startup_delay_ms", c->startup_delay_ms);
	for (int i = 0; i < c->n_scripts; i++) {
		const struct conf_script *s = &c->scripts[i];

		fputs("script ", f);
		word(f, s->name);
		fputc('\n', f);
		cmd(f, "script", &s->cmd);
		kv_int(f, "interval_ms", s->interval_ms);
		kv_int(f, "timeout_ms", s->timeout_ms);
		kv_int(f, "weight", s->weight);
		kv_bool(f, "reverse", s->reverse);
		kv_int(f, "rise", s->rise);
		kv_int(f, "fall", s->fall);
		kv_bool(f, "init_fail", s->init_fail);
	}
	for (int i = 0; i < c->n_inst; i++)
		instance(f, &c->inst[i]);
	for (int i = 0; i < c->n_groups; i++) {
		const struct conf_group *g = &c->groups[i];

		fputs("sync_group ", f);
		word(f, g->name);
		fputc('\n', f);
		for (int m = 0; m < g->n_members; m++)
			kv_str(f, "member", g->members[m]);
		cmd(f, "notify_master", &g->notify_master);
		cmd(f, "notify_backup", &g->notify_backup);
		cmd(f, "notify_fault", &g->notify_fault);
		cmd(f, "notify_stop", &g->notify_stop);
		cmd(f, "notify", &g->notify);
		kv_bool(f, "sync_group_tracking_weight", g->tracking_weight);
	}
	for (int i = 0; i < c->n_track_files; i++) {
		const struct conf_track_file *t = &c->track_files[i];

		fputs("track_file ", f);
		word(f, t->name);
		fputc('\n', f);
		kv_str(f, "file", t->path);
		kv_int(f, "weight", t->weight);
		kv_bool(f, "reverse", t->reverse);
		kv_bool(f, "init_file", t->init_file);
		if (t->init_file) {
			kv_int(f, "init_value", t->init_value);
			kv_bool(f, "overwrite", t->overwrite);
		}
	}
	for (int i = 0; i < c->n_tcp_checks; i++) {
		const struct conf_tcp_check *k = &c->tcp_checks[i];

		fputs("tcp_check ", f);
		word(f, k->name);
		fputc('\n', f);
		tcp_check(f, k);
		kv_int(f, "interval_ms", k->interval_ms);
		kv_int(f, "weight", k->weight);
		kv_bool(f, "reverse", k->reverse);
		kv_int(f, "rise", k->rise);
		kv_int(f, "fall", k->fall);
	}
	for (int i = 0; i < c->n_real_servers; i++) {
		const struct conf_real_server *rs = &c->real_servers[i];
		char a[ADDR_STRLEN], b[ADDR_STRLEN];

		fprintf(f, "real_server %s %u %s %u\n", rs->vs_addr.fam ? addr_str(&rs->vs_addr, a) : "-",
			rs->vs_port, addr_str(&rs->addr, b), rs->port);
		kv_int(f, "weight", rs->weight);
		cmd(f, "notify_up", &rs->notify_up);
		cmd(f, "notify_down", &rs->notify_down);
		kv_bool(f, "tcp_check", rs->has_check);
		if (!rs->has_check)
			continue;
		tcp_check(f, &rs->check);
		kv_int(f, "delay_loop_ms", rs->check.interval_ms);
		kv_int(f, "retry", rs->check.retry);
		kv_int(f, "delay_before_retry_ms", rs->check.retry_delay_ms);
	}
}
