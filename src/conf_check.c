/* SPDX-License-Identifier: MIT */
/* After the whole file is read: keepalived's defaults that depend on other
 * settings (priority from state, version and family from the VIPs, strict
 * mode, global GARP values), then the checks that need more than one line:
 * ranges with context, duplicate VRIDs, strict-mode rules (PROTOCOL.md 10),
 * track_script references, sync groups. Nothing here looks at the system:
 * whether an interface exists is the caller's question. */
#include "conf_int.h"

#include <ctype.h>
#include <string.h>

#define US 1000000ull

/* Edit distance with transpositions, for "did you mean". */
static int distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b), d[33][33];

	if (la > 32 || lb > 32)
		return 99;
	for (int i = 0; i <= la; i++)
		d[i][0] = i;
	for (int j = 0; j <= lb; j++)
		d[0][j] = j;
	for (int i = 1; i <= la; i++) {
		for (int j = 1; j <= lb; j++) {
			int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			int v = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *conf_suggest(struct conf_ctx *x, const char *word, const char *const *cands, int n)
{
	size_t len = strlen(word);
	int best = len >= 5 ? 2 : len >= 3 ? 1 : 0;
	const char *found = NULL;

	if (++x->n_suggest > 200)
		return NULL;

	for (int i = 0; i < n; i++) {
		size_t lc = strlen(cands[i]);
		int d;

		/* the distance is at least the difference in length */
		if ((len > lc ? len - lc : lc - len) > (size_t)best)
			continue;
		d = distance(word, cands[i]);

		if (d <= best && strcmp(word, cands[i])) {
			best = d - 1;
			found = cands[i];
		}
	}
	return found;
}

/* "line 12" when in the same file as HERE, else "FILE:12". */
static const char *where(const struct conf_pos *here, const struct conf_pos *p, char *buf, size_t sz)
{
	if (here->file == p->file || (here->file && p->file && !strcmp(here->file, p->file)))
		snprintf(buf, sz, "line %d", p->line);
	else
		snprintf(buf, sz, "%s:%d", p->file, p->line);
	return buf;
}

/* Seconds as written: "1", "0.5". */
static const char *secs(uint64_t us, char *buf, size_t sz)
{
	int n = snprintf(buf, sz, "%llu.%06llu", (unsigned long long)(us / US), (unsigned long long)(us % US));

	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[n - 1] = '\0';
	return buf;
}

static const struct conf_pos *pos_or(const struct conf_pos *p, const struct conf_pos *dflt)
{
	return p->line ? p : dflt;
}

static const char *fam_name(uint8_t fam)
{
	return fam == FAM_V6 ? "IPv6" : "IPv4";
}

/* RFC 3768 5.3.7: v2 intervals are whole seconds (8 bits); RFC 5798 5.2.7:
 * v3 intervals are centiseconds (12 bits). Rounded as keepalived rounds. */
static void advert_interval(struct conf_ctx *x, struct conf_instance *in, const struct inst_x *ix)
{
	const struct conf_pos *p = pos_or(&ix->adv_pos, &in->pos);
	uint64_t us = ix->adv_us ? ix->adv_us : US, unit = in->version == 2 ? US : 10000;
	uint64_t max = in->version == 2 ? 255 * US : 4095 * 10000ull;
	char b1[32], b2[32];

	in->adv_cs = 100;
	if (us == UINT64_MAX || us < 10000 || us > max) {
		conf_err(x, p, "advert_int %s out of range: VRRPv%d allows %s", us == UINT64_MAX ? "0" : secs(us, b1, sizeof(b1)),
			 in->version, in->version == 2 ? "1 to 255 seconds" : "0.01 to 40.95 seconds");
		return;
	}
	if (us % unit) {
		uint64_t r = (us + unit / 2) / unit * unit;

		if (!r)
			r = unit;
		conf_warn(x, p, "advert_int %s rounded to %s: VRRPv%d counts in %s%s", secs(us, b1, sizeof(b1)),
			  secs(r, b2, sizeof(b2)), in->version, in->version == 2 ? "whole seconds" : "hundredths of a second",
			  in->version == 2 ? " (version 3 allows shorter intervals)" : "");
		us = r;
	}
	in->adv_cs = (uint16_t)(us / 10000);
}

/* Family and version: from the VIPs (RFC 5798: one family per virtual router). */
static void family_version(struct conf_ctx *x, struct conf_instance *in, struct inst_x *ix)
{
	char b[64], a[ADDR_STRLEN];

	/* a refused first VIP still tells the family, so that it is not
	 * mistaken for an IPv4 router with the same VRID */
	in->family = in->n_vips ? in->vips[0].addr.fam : ix->first_fam ? ix->first_fam :
		     ix->native_ipv6 ? FAM_V6 : FAM_V4;
	for (int i = 1; i < in->n_vips; i++) {
		const struct conf_vip *v = &in->vips[i];

		if (v->addr.fam != in->family)
			conf_err(x, &v->pos, "VIP %s is %s but the first VIP (%s) is %s: one instance advertises one family; put the other in virtual_ipaddress_excluded",
				 addr_str(&v->addr, a), fam_name(v->addr.fam), where(&v->pos, &in->vips[0].pos, b, sizeof(b)),
				 fam_name(in->family));
	}
	if (ix->native_ipv6 && in->family != FAM_V6)
		conf_err(x, &ix->native_pos, "native_ipv6 given but the VIPs of '%s' are IPv4", in->name);
	in->version = ix->version ? ix->version : x->c->vrrp_version;
	if (in->family == FAM_V6 && in->version == 2) {
		if (ix->version)
			conf_warn(x, &ix->version_pos, "VRRPv2 is IPv4 only (RFC 3768): IPv6 instance '%s' uses version 3", in->name);
		in->version = 3;
	}
	/* IPv6 VRRP is v3 only (RFC 5798): a build without v3 cannot run it,
	 * whatever CONFIG_IPV6 says. */
	if (in->family == FAM_V6 && !CONFIG_VRRP_V3)
		conf_err(x, &in->pos, "IPv6 instance '%s' needs VRRPv3 (CONFIG_VRRP_V3), which this build lacks",
			 in->name);
	if (in->version == 3 && !CONFIG_VRRP_V3)
		in->version = 2;
}

static void priority_state(struct conf_ctx *x, struct conf_instance *in, struct inst_x *ix, bool strict)
{
	char b[64];

	if (ix->dead_prio) {
		in->priority = 100;
	} else if (!ix->prio_pos.line) {
		in->priority = in->state == WANT_MASTER ? 255 : 100;
		if (in->state == WANT_MASTER)
			conf_warn(x, &ix->state_pos, "'state MASTER' without 'priority' makes '%s' the address owner (priority 255), as in keepalived; give a priority if it is not the owner",
				  in->name);
	} else if (in->priority < 1 || in->priority > 255) {
		conf_err(x, &ix->prio_pos, "priority %d out of range 1-255 (254 for non-owners)", in->priority);
		in->priority = 100;
	}
	if (!ix->has_state)
		in->state = in->priority == 255 ? WANT_MASTER : WANT_BACKUP;
	else if (strict && (in->state == WANT_MASTER) != (in->priority == 255)) {
		conf_warn(x, &ix->state_pos, "strict mode (%s): state MASTER goes with priority 255 only; '%s' starts as %s",
			  where(&ix->state_pos, pos_or(&ix->strict_pos, &x->strict_pos), b, sizeof(b)), in->name,
			  in->priority == 255 ? "MASTER" : "BACKUP");
		in->state = in->priority == 255 ? WANT_MASTER : WANT_BACKUP;
	}
}

static void authentication(struct conf_ctx *x, struct conf_instance *in, struct inst_x *ix, bool strict)
{
	const char *why = NULL;

	if (in->auth_type == AUTH_NONE)
		return;
	if (strict)
		why = "strict mode forbids authentication";
	else if (in->version == 3)
		why = "VRRPv3 has no authentication (RFC 5798)";
	else if (!in->auth_pass[0])
		why = "no auth_pass given";
	if (why) {
		conf_warn(x, &ix->auth_pos, "%s: authentication of '%s' ignored", why, in->name);
		in->auth_type = AUTH_NONE;
		memset(in->auth_pass, 0, sizeof(in->auth_pass));
		return;
	}
	if (in->auth_type == AUTH_AH && in->state == WANT_MASTER && in->priority != 255) {
		conf_warn(x, &ix->state_pos, "AH authentication: '%s' starts as BACKUP to learn the sequence number first, as keepalived does",
			  in->name);
		in->state = WANT_BACKUP;
	}
}

static void preemption(struct conf_ctx *x, struct conf_instance *in, struct inst_x *ix, bool strict)
{
	if (in->nopreempt && in->priority == 255) {
		conf_warn(x, &ix->nopreempt_pos, "nopreempt has no effect with priority 255 (the owner always preempts); ignored");
		in->nopreempt = false;
	} else if (in->nopreempt && in->state == WANT_MASTER) {
		conf_warn(x, &ix->nopreempt_pos, "nopreempt needs 'state BACKUP': keepalived ignores it with state MASTER; ignored");
		in->nopreempt = false;
	}
	if (!in->preempt_delay_ms)
		return;
	if (in->state == WANT_MASTER || strict || in->nopreempt) {
		conf_warn(x, &ix->preempt_delay_pos, "preempt_delay has no effect with %s; ignored",
			  in->nopreempt ? "nopreempt" : strict ? "strict mode" : "state MASTER");
		in->preempt_delay_ms = 0;
	}
}

static bool tri(int8_t v, bool dflt)
{
	return v < 0 ? dflt : v;
}

/* keepalived's defaults from global_defs, and what strict mode forces. */
static void inherit(struct conf_ctx *x, struct conf_instance *in, struct inst_x *ix, bool strict)
{
	const struct config *c = x->c;
	struct conf_garp *g = &in->garp;

	if (g->delay_ms == UINT32_MAX)
		g->delay_ms = c->garp.delay_ms;
	if (g->repeat < 0)
		g->repeat = c->garp.repeat;
	if (g->refresh_ms == UINT32_MAX)
		g->refresh_ms = c->garp.refresh_ms;
	if (g->refresh_repeat < 0)
		g->refresh_repeat = c->garp.refresh_repeat;
	g->interval_us = c->garp.interval_us;
	g->na_interval_us = c->garp.na_interval_us;
	if (strict && (g->lower_prio_repeat > 0 || (g->lower_prio_delay_ms && g->lower_prio_delay_ms != UINT32_MAX)))
		conf_warn(x, &in->pos, "strict mode: '%s' sends no GARPs on lower-priority adverts; garp_lower_prio_* ignored", in->name);
	if (strict) {
		g->lower_prio_repeat = 0;
		g->lower_prio_delay_ms = 0;
	}
	if (g->lower_prio_repeat < 0)
		g->lower_prio_repeat = c->garp.lower_prio_repeat;
	if (g->lower_prio_delay_ms == UINT32_MAX)
		g->lower_prio_delay_ms = c->garp.lower_prio_delay_ms;

	if (strict && ix->lpna == 0)
		conf_warn(x, &ix->lpna_pos, "strict mode needs lower_prio_no_advert; set for '%s'", in->name);
	if (strict && ix->hpsa == 1)
		conf_warn(x, &ix->hpsa_pos, "strict mode forbids higher_prio_send_advert; cleared for '%s'", in->name);
	in->lower_prio_no_advert = strict || tri(ix->lpna, c->lower_prio_no_advert);
	in->higher_prio_send_advert = !strict && tri(ix->hpsa, c->higher_prio_send_advert);
	in->skip_check_adv_addr = tri(ix->skip_check, c->skip_check_adv_addr);
	in->v3_checksum_as_v2 = tri(ix->v3cs, c->v3_checksum_as_v2);
	in->check_unicast_src = tri(ix->cus, c->check_unicast_src);
	if (!in->down_timer_adverts)
		in->down_timer_adverts = x->down_timer_adverts ? x->down_timer_adverts : 3;
	in->mcast_group = in->family == FAM_V6 ? c->mcast6 : c->mcast4;

	/* RFC 5798 6.1 Accept_Mode; keepalived turns it on unless strict,
	 * and an owner always accepts. */
	in->accept = tri(ix->accept, !strict) || in->priority == 255;
	if (ix->accept == 1 && strict && in->version == 2 && in->priority != 255) {
		conf_warn(x, &ix->accept_pos, "accept mode does not exist in VRRPv2 (RFC 3768); strict mode clears it");
		in->accept = false;
	}
}

static void vips(struct conf_ctx *x, struct conf_instance *in, const struct inst_x *ix, bool strict)
{
	char a[ADDR_STRLEN];

	if (in->n_vips == 0) {
		if (ix->vips_written)
			;	/* the bad entries were reported */
		else if (in->version == 3 || strict)
			conf_err(x, &in->pos, "instance '%s' has no virtual_ipaddress; %s needs at least one", in->name,
				 strict ? "strict mode" : "VRRPv3");
		else
			conf_warn(x, &in->pos, "instance '%s' has no virtual_ipaddress", in->name);
		return;
	}
	if (in->n_vips > 255)	/* the Count IPvX Addr field is 8 bits */
		conf_err(x, &in->vips[255].pos, "instance '%s' has %d VIPs; an advert carries at most 255 (move the rest to virtual_ipaddress_excluded)",
			 in->name, in->n_vips);
	/* RFC 5798 5.2.9: the first IPv6 address is the link-local one. */
	if (in->family == FAM_V6 && !in->n_peers && !addr_is_v6_linklocal(&in->vips[0].addr))
		conf_diagf(x, strict ? 3 : 4, &in->vips[0].pos, "the first IPv6 VIP of '%s' should be link-local (RFC 5798 5.2.9), not %s",
			   in->name, addr_str(&in->vips[0].addr, a));
}

static void unicast(struct conf_ctx *x, struct conf_instance *in, const struct inst_x *ix, bool strict)
{
	char b[64], a[ADDR_STRLEN];

	if (in->has_src && in->src.fam != in->family)
		conf_err(x, &ix->src_pos, "source address %s is %s but '%s' is %s", addr_str(&in->src, a),
			 fam_name(in->src.fam), in->name, fam_name(in->family));
	if (!in->n_peers)
		return;
	if (strict)
		conf_err(x, &ix->peers_pos, "%s (%s) forbids unicast peers: RFC 5798 adverts are multicast; remove one or the other",
			 ix->strict_pos.line ? "strict_mode" : "vrrp_strict",
			 where(&ix->peers_pos, pos_or(&ix->strict_pos, &x->strict_pos), b, sizeof(b)));
	for (int i = 0; i < in->n_peers; i++) {
		const struct conf_peer *p = &in->peers[i];

		if (p->addr.fam != in->family)
			conf_err(x, &p->pos, "unicast peer %s is %s but '%s' is %s", addr_str(&p->addr, a),
				 fam_name(p->addr.fam), in->name, fam_name(in->family));
		else if (in->has_src && addr_eq(&p->addr, &in->src))
			conf_warn(x, &p->pos, "unicast peer %s is this router's own source address", addr_str(&p->addr, a));
		if (p->min_ttl && p->max_ttl && p->min_ttl > p->max_ttl)
			conf_err(x, &p->pos, "unicast peer %s: min_ttl %d is above max_ttl %d", addr_str(&p->addr, a),
				 p->min_ttl, p->max_ttl);
	}
}

static void trackers(struct conf_ctx *x, struct conf_instance *in)
{
	const char *names[64];
	int n = 0, k = 0;

	for (int i = 0; i < in->n_track_if; i++) {
		if (!strcmp(in->track_if[i].name, in->ifname)) {
			conf_warn(x, &in->track_if[i].pos, "track_interface %s is the instance's own interface, whose failure means FAULT anyway; entry ignored (as keepalived does)",
				  in->ifname);
			continue;
		}
		in->track_if[k++] = in->track_if[i];
	}
	in->n_track_if = k;
	for (int i = 0; i < x->c->n_scripts && n < 64; i++)
		names[n++] = x->c->scripts[i].name;
	for (int i = 0; i < x->c->n_tcp_checks && n < 64; i++)
		names[n++] = x->c->tcp_checks[i].name;
	k = 0;
	for (int i = 0; i < in->n_track_script; i++) {
		struct conf_track *t = &in->track_script[i];
		const struct conf_script *s = NULL;
		const char *sug;

		for (int j = 0; j < x->c->n_scripts && !s; j++)
			if (!strcmp(x->c->scripts[j].name, t->name))
				s = &x->c->scripts[j];
		/* one namespace: a vrrp_tcp_check moves to track_tcp */
		if (!s && conf_track_tcp(x, in, t))
			continue;
		in->track_script[k++] = *t;
		t = &in->track_script[k - 1];
		if (!s) {
			sug = conf_suggest(x, t->name, names, n);
			conf_err(x, &t->pos, "track script '%s' is not defined (no 'vrrp_script %s')%s%s%s", t->name, t->name,
				 sug ? "; did you mean '" : "", sug ? sug : "", sug ? "'?" : "");
			continue;
		}
		if (!t->has_weight) {
			t->weight = s->weight;
			t->reverse = s->reverse;
			if (!s->weight && !x->script_weight_set[s - x->c->scripts])
				conf_warn(x, &t->pos, "track script '%s' has weight 0: when it fails '%s' goes to FAULT (give 'weight N' to change the priority instead)",
					  t->name, in->name);
		}
	}
	in->n_track_script = k;
}

/* track_file references: defined names only; the file's weight unless
 * the entry gives one (keepalived). */
static void track_files(struct conf_ctx *x, struct conf_instance *in)
{
	const char *names[64];
	int n = 0, k = 0;

	for (int i = 0; i < x->c->n_track_files && n < 64; i++)
		names[n++] = x->c->track_files[i].name;
	for (int i = 0; i < in->n_track_file; i++) {
		struct conf_track *t = &in->track_file[i];
		const struct conf_track_file *f = NULL;
		const char *sug;

		for (int j = 0; j < x->c->n_track_files && !f; j++)
			if (!strcmp(x->c->track_files[j].name, t->name))
				f = &x->c->track_files[j];
		if (!f) {
			sug = conf_suggest(x, t->name, names, n);
			conf_err(x, &t->pos, "track file '%s' is not defined (no 'track_file %s')%s%s%s", t->name,
				 t->name, sug ? "; did you mean '" : "", sug ? sug : "", sug ? "'?" : "");
			continue;
		}
		if (!t->has_weight) {
			t->weight = f->weight;
			t->reverse = f->reverse;
		}
		in->track_file[k++] = *t;
	}
	in->n_track_file = k;
}

static void instance(struct conf_ctx *x, struct conf_instance *in, struct inst_x *ix)
{
	bool strict = tri(ix->strict, x->c->strict);

	if (!in->ifname[0])
		conf_err(x, &in->pos, "instance '%s' has no 'interface' (add 'interface IFNAME')", in->name);
	if (!ix->dead_vrid && !in->vrid_pos.line)
		conf_err(x, &in->pos, "instance '%s' has no 'virtual_router_id' (1-255)", in->name);
	else if (!ix->dead_vrid && (in->vrid < 1 || in->vrid > 255))
		conf_err(x, &in->vrid_pos, "virtual_router_id %d out of range 1-255", in->vrid);
	if (ix->dead_vrid || in->vrid < 1 || in->vrid > 255)
		in->vrid = 0;
	family_version(x, in, ix);
	advert_interval(x, in, ix);
	priority_state(x, in, ix, strict);
	authentication(x, in, ix, strict);
	preemption(x, in, ix, strict);
	inherit(x, in, ix, strict);
	in->strict = strict;
	vips(x, in, ix, strict);
	unicast(x, in, ix, strict);
	trackers(x, in);
	track_files(x, in);
}

/* One router per VRID, family and link (RFC 5798 5.2.3). */
static void duplicate_vrids(struct conf_ctx *x)
{
	const struct config *c = x->c;
	char b1[64], b2[64];

	for (int j = 0; j < c->n_inst; j++) {
		const struct conf_instance *b = &c->inst[j];

		for (int i = 0; i < j; i++) {
			const struct conf_instance *a = &c->inst[i];

			if (!a->vrid || a->vrid != b->vrid || a->family != b->family || !a->ifname[0] ||
			    strcmp(a->ifname, b->ifname))
				continue;
			conf_err(x, &b->vrid_pos, "VRID %d on %s (%s) is used by both '%s' (%s) and '%s' (%s); give each a different virtual_router_id",
				 b->vrid, b->ifname, fam_name(b->family), a->name, where(&b->vrid_pos, &a->vrid_pos, b1, sizeof(b1)),
				 b->name, where(&b->vrid_pos, &b->vrid_pos, b2, sizeof(b2)));
			break;
		}
	}
}

static void groups(struct conf_ctx *x)
{
	struct config *c = x->c;
	const char *names[64];
	int n = 0;

	for (int i = 0; i < c->n_inst && n < 64; i++)
		names[n++] = c->inst[i].name;
	for (int g = 0; g < c->n_groups; g++) {
		struct conf_group *gr = &c->groups[g];
		const struct conf_instance *first = NULL;
		char b1[32], b2[32], b3[64];

		if (gr->n_members < 2)
			conf_warn(x, &gr->pos, "sync group '%s' has %s member: it has no effect", gr->name,
				  gr->n_members ? "only one" : "no");
		for (int m = 0; m < gr->n_members; m++) {
			const struct conf_instance *in = NULL;
			const char *sug;

			for (int i = 0; i < c->n_inst && !in; i++)
				if (!strcmp(c->inst[i].name, gr->members[m]))
					in = &c->inst[i];
			if (!in) {
				sug = conf_suggest(x, gr->members[m], names, n);
				conf_err(x, &gr->member_pos[m], "sync group '%s': '%s' is not a vrrp_instance%s%s%s", gr->name,
					 gr->members[m], sug ? "; did you mean '" : "", sug ? sug : "", sug ? "'?" : "");
				continue;
			}
			for (int h = 0; h < g; h++) {
				for (int k = 0; k < c->groups[h].n_members; k++) {
					if (!strcmp(c->groups[h].members[k], in->name))
						conf_err(x, &gr->member_pos[m], "instance '%s' is already in sync group '%s' (%s)",
							 in->name, c->groups[h].name,
							 where(&gr->member_pos[m], &c->groups[h].member_pos[k], b3, sizeof(b3)));
				}
			}
			if (!first)
				first = in;
			else if (first->adv_cs != in->adv_cs)
				conf_warn(x, &gr->member_pos[m], "sync group '%s': '%s' advertises every %s s but '%s' every %s s; members should share one advert_int",
					  gr->name, in->name, secs(in->adv_cs * 10000ull, b1, sizeof(b1)), first->name,
					  secs(first->adv_cs * 10000ull, b2, sizeof(b2)));
		}
	}
}

/* A sync group's trackers go to every member, before the members are
 * checked (so unknown names are reported at the group's lines). */
static void group_trackers(struct conf_ctx *x)
{
	struct config *c = x->c;

	for (int g = 0; g < c->n_groups; g++) {
		const struct conf_group *gr = &c->groups[g];

		for (int m = 0; m < gr->n_members; m++)
			for (int i = 0; i < c->n_inst; i++) {
				struct conf_instance *in = &c->inst[i];

				if (strcmp(in->name, gr->members[m]))
					continue;
				conf_tracks_append(x, &in->track_if, &in->n_track_if, gr->track_if, gr->n_track_if);
				conf_tracks_append(x, &in->track_script, &in->n_track_script, gr->track_script,
						   gr->n_track_script);
				conf_tracks_append(x, &in->track_file, &in->n_track_file, gr->track_file,
						   gr->n_track_file);
			}
	}
}

static void scripts(struct conf_ctx *x)
{
	for (int i = 0; i < x->c->n_scripts; i++) {
		struct conf_script *s = &x->c->scripts[i];

		if (!s->cmd.argv)
			conf_err(x, &s->pos, "vrrp_script '%s' has no 'script' to run", s->name);
		if (!s->interval_ms) {
			conf_err(x, &s->pos, "vrrp_script '%s': interval must be above 0", s->name);
			s->interval_ms = 1000;
		}
		if (!s->timeout_ms)
			s->timeout_ms = s->interval_ms;
	}
}

void conf_check(struct conf_ctx *x)
{
	struct config *c = x->c;

	if (c->garp.lower_prio_delay_ms == UINT32_MAX)
		c->garp.lower_prio_delay_ms = c->garp.delay_ms;
	if (c->garp.lower_prio_repeat < 0)
		c->garp.lower_prio_repeat = c->garp.repeat;
	if (c->strict) {
		c->garp.lower_prio_delay_ms = 0;
		c->garp.lower_prio_repeat = 0;
		c->lower_prio_no_advert = true;
		c->higher_prio_send_advert = false;
	}
	scripts(x);
	group_trackers(x);
	for (int i = 0; i < c->n_inst; i++)
		instance(x, &c->inst[i], &x->ix[i]);
	duplicate_vrids(x);
	groups(x);
	conf_check_tcp(x);
}
