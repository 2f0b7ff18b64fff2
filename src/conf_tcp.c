/* SPDX-License-Identifier: MIT */
/* TCP checks in keepalived.conf: tinyvrrp's vrrp_tcp_check NAME { } block
 * (a TCP connect tracked like a vrrp_script, named in track_script), and
 * keepalived's LVS blocks, virtual_server { real_server { TCP_CHECK { } } },
 * whose TCP checks are run for their notify_up / notify_down side effects
 * (IPVS itself is not programmed). The other LVS keywords are accepted and
 * ignored; the other checkers are reported as not run. */
#include "conf_int.h"

#include <limits.h>
#include <string.h>

#define NOT_GIVEN UINT32_MAX
#define WEIGHT_NOT_GIVEN INT_MIN

/* ---- keywords shared by both blocks ---- */

static KW_FN(h_port)
{
	int v;

	if (conf_get_int(x, t, &t[1], k->lo, k->hi, &v))
		*FIELD(obj, k, uint16_t) = (uint16_t)v;
}

static KW_FN(h_addr)
{
	conf_get_addr(x, t, &t[1], FIELD(obj, k, struct vaddr));
}

static KW_FN(h_ifname)
{
	conf_get_ifname(x, t, &t[1], FIELD(obj, k, char));
}

static KW_FN(h_tcp_weight)
{
	struct conf_tcp_check *c = obj;

	if (!conf_get_int(x, t, &t[1], -253, 253, &c->weight))
		return;
	if (n > 2) {
		if (!strcmp(t[2].s, "reverse") || !strcmp(t[2].s, "noreverse"))
			c->reverse = t[2].s[0] == 'r';
		else
			conf_err(x, &t[2].pos, "'weight %s' may be followed by 'reverse' only, not '%s'", t[1].s, t[2].s);
	}
}

/* keepalived reads nb_get_retry in HTTP_GET / SSL_GET only; the tutorials
 * that put it in TCP_CHECK mean retry, so it is taken as that. */
static KW_FN(h_nb_get_retry)
{
	conf_warn(x, &t->pos, "'nb_get_retry' is the old HTTP_GET name of 'retry' (keepalived ignores it in TCP_CHECK); taken as 'retry %s'",
		  t[1].s);
	conf_h_int(x, k, t, n, blk, obj);
}

#define T(f) (uint16_t)offsetof(struct conf_tcp_check, f)
#define TARGET_KW \
	{ "connect_ip", h_addr, 1, 1, 0, T(ip), 0, 0 }, \
	{ "connect_port", h_port, 1, 1, 0, T(port), 1, 65535 }, \
	{ "bindto", h_addr, 1, 1, 0, T(bindto), 0, 0 }, \
	{ "bind_port", h_port, 1, 1, 0, T(bind_port), 1, 65535 }, \
	{ "bind_if", h_ifname, 1, 1, 0, T(bind_if), 0, 0 }, \
	{ "connect_timeout", conf_h_ms, 1, 1, 0, T(timeout_ms), 0, 3600 }

static const struct kw vrrp_tcp_kw[] = {
	TARGET_KW,
	{ "interval", conf_h_ms, 1, 1, 0, T(interval_ms), 0, CONF_BIG },
	{ "weight", h_tcp_weight, 1, 2, 0, 0, 0, 0 },
	{ "rise", conf_h_int, 1, 1, 0, T(rise), 1, CONF_BIG },
	{ "fall", conf_h_int, 1, 1, 0, T(fall), 1, CONF_BIG },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0 }
};

static const struct kw lvs_tcp_kw[] = {
	TARGET_KW,
	{ "retry", conf_h_int, 1, 1, 0, T(retry), 0, CONF_BIG },
	{ "nb_get_retry", h_nb_get_retry, 1, 1, 0, T(retry), 0, CONF_BIG },
	{ "delay_before_retry", conf_h_ms, 1, 1, 0, T(retry_delay_ms), 0, CONF_BIG },
	{ "delay_loop", conf_h_ms, 1, 1, 0, T(interval_ms), 0, CONF_BIG },
	{ "warmup", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "alpha", conf_h_ignore, 0, 1, 0, 0, 0, 0 },
	{ "log_all_failures", conf_h_ignore, 0, 1, 0, 0, 0, 0 },
	{ "fwmark", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0 }
};

/* ---- vrrp_tcp_check NAME { } ---- */

KW_FN(conf_h_tcp_check)
{
	struct config *c = x->c;
	struct conf_tcp_check *chk;
	char name[CONF_NAME_MAX];

	if (!CONFIG_TCP_CHECK) {
		conf_err(x, &t->pos, "'%s' needs CONFIG_TCP_CHECK, which this build lacks", t->s);
		return;
	}
	if (!conf_new_name(x, t, c->n_tcp_checks ? c->tcp_checks[0].name : "", sizeof(*c->tcp_checks),
			   c->n_tcp_checks, name))
		return;
	chk = ar_push(x->cfg, &c->tcp_checks, &c->n_tcp_checks, &x->cap_tcp, sizeof(*chk));
	memcpy(chk->name, name, sizeof(name));
	chk->pos = t->pos;
	chk->timeout_ms = 5000;		/* keepalived's TCP_CHECK default */
	chk->interval_ms = 1000;	/* vrrp_script's */
	chk->rise = chk->fall = 1;
	chk->weight = WEIGHT_NOT_GIVEN;
	conf_walk_block(x, blk->child, vrrp_tcp_kw, chk);
}

/* ---- virtual_server IP PORT { real_server IP PORT { TCP_CHECK { } } } ---- */

struct vs {
	struct conf_lvl lvl;
	struct vaddr addr;
	uint16_t port;
};

static struct conf_lvl *rs_lvl(struct conf_ctx *x, const void *rs)
{
	return &x->rs_lvl[(const struct conf_real_server *)rs - x->c->real_servers];
}

static KW_FN(h_tcp)
{
	struct conf_real_server *rs = obj;

	if (rs->has_check) {
		conf_warn(x, &t->pos, "real_server already has a TCP_CHECK (line %d); only the first one is run",
			  rs->check.pos.line);
		return;
	}
	rs->has_check = true;
	rs->check.pos = t->pos;
	rs->check.timeout_ms = rs->check.interval_ms = rs->check.retry_delay_ms = NOT_GIVEN;
	rs->check.retry = -1;
	rs->check.rise = rs->check.fall = 1;
	conf_walk_block(x, blk->child, lvs_tcp_kw, &rs->check);
}

static KW_FN(h_not_run)
{
	conf_warn(x, &t->pos, "'%s' checker is not run by this build (only TCP_CHECK is); ignored", t->s);
}

/* Timers given at real_server or virtual_server level: into the level. */
static KW_FN(h_lvl_ms)
{
	void *lvl = k->lo ? (void *)rs_lvl(x, obj) : obj;

	conf_h_ms(x, &(struct kw){ .off = k->off, .hi = CONF_BIG }, t, n, blk, lvl);
}

static KW_FN(h_lvl_retry)
{
	struct conf_lvl *lvl = k->lo ? rs_lvl(x, obj) : obj;

	conf_get_int(x, t, &t[1], 0, CONF_BIG, &lvl->retry);
}

#define L(f) (uint16_t)offsetof(struct conf_lvl, f)
#define RS(f) (uint16_t)offsetof(struct conf_real_server, f)
/* lo = 1: the object is a real_server; 0: the virtual_server's level. */
#define LVL_KW(rs) \
	{ "delay_loop", h_lvl_ms, 1, 1, 0, L(delay_loop_ms), rs, 0 }, \
	{ "connect_timeout", h_lvl_ms, 1, 1, 0, L(timeout_ms), rs, 0 }, \
	{ "delay_before_retry", h_lvl_ms, 1, 1, 0, L(retry_delay_ms), rs, 0 }, \
	{ "retry", h_lvl_retry, 1, 1, 0, 0, rs, 0 }, \
	{ "warmup", conf_h_ignore, 1, 1, 0, 0, 0, 0 }, \
	{ "alpha", conf_h_ignore, 0, 1, 0, 0, 0, 0 }, \
	{ "inhibit_on_failure", conf_h_ignore, 0, 1, 0, 0, 0, 0 }

static const struct kw rs_kw[] = {
	LVL_KW(1),
	{ "weight", conf_h_int, 1, 1, 0, RS(weight), 0, 65535 },
	{ "notify_up", conf_h_cmd, 1, 3, 0, RS(notify_up), 0, 0 },
	{ "notify_down", conf_h_cmd, 1, 3, 0, RS(notify_down), 0, 0 },
	{ "TCP_CHECK", h_tcp, 0, 0, KB, 0, 0, 0 },
	{ "HTTP_GET", h_not_run, 0, 0, KB, 0, 0, 0 },
	{ "SSL_GET", h_not_run, 0, 0, KB, 0, 0, 0 },
	{ "MISC_CHECK", h_not_run, 0, 0, KB, 0, 0, 0 },
	{ "SMTP_CHECK", h_not_run, 0, 0, KB, 0, 0, 0 },
	{ "DNS_CHECK", h_not_run, 0, 0, KB, 0, 0, 0 },
	{ "UDP_CHECK", h_not_run, 0, 0, KB, 0, 0, 0 },
	{ "PING_CHECK", h_not_run, 0, 0, KB, 0, 0, 0 },
	{ "FILE_CHECK", h_not_run, 0, 0, KB, 0, 0, 0 },
	{ "BFD_CHECK", h_not_run, 0, 0, KB, 0, 0, 0 },
	{ "uthreshold", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "lthreshold", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "smtp_alert", conf_h_ignore, 0, 1, 0, 0, 0, 0 },
	{ "virtualhost", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0 }
};

static bool addr_port(struct conf_ctx *x, const struct conf_tok *t, int n, struct vaddr *a, uint16_t *port)
{
	int p;

	if (n < 3) {
		conf_err(x, &t->pos, "'%s' needs an address and a port", t->s);
		return false;
	}
	if (!conf_get_addr(x, t, &t[1], a) || !conf_get_int(x, t, &t[2], 0, 65535, &p))
		return false;
	*port = (uint16_t)p;
	return true;
}

static KW_FN(h_real_server)
{
	const struct vs *v = obj;
	struct config *c = x->c;
	struct conf_real_server *rs;
	struct conf_lvl *l;
	struct vaddr a;
	uint16_t port;
	int dummy = c->n_real_servers;

	if (!addr_port(x, t, n, &a, &port))
		return;
	if (c->n_real_servers >= CONF_MAX_NAMED) {
		conf_err(x, &t->pos, "more than %d real_servers; this one is ignored", CONF_MAX_NAMED);
		return;
	}
	rs = ar_push(x->cfg, &c->real_servers, &c->n_real_servers, &x->cap_rs, sizeof(*rs));
	l = ar_push(&x->tmp, &x->rs_lvl, &dummy, &x->cap_rsl, sizeof(*l));
	*l = (struct conf_lvl){ NOT_GIVEN, NOT_GIVEN, NOT_GIVEN, -1 };
	rs->pos = t->pos;
	rs->vs_addr = v->addr;
	rs->vs_port = v->port;
	rs->addr = a;
	rs->port = port;
	rs->weight = 1;
	conf_walk_block(x, blk->child, rs_kw, rs);
}

static const struct kw vs_kw[] = {
	LVL_KW(0),
	{ "real_server", h_real_server, 2, 2, KB, 0, 0, 0 },
	{ "lb_algo", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "lvs_sched", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "lb_kind", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "lvs_method", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "protocol", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "persistence_timeout", conf_h_ignore, 0, 1, 0, 0, 0, 0 },
	{ "persistence_granularity", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "persistence_engine", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "nat_mask", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "ip_family", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "quorum", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "hysteresis", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "quorum_up", conf_h_ignore, 1, 3, 0, 0, 0, 0 },
	{ "quorum_down", conf_h_ignore, 1, 3, 0, 0, 0, 0 },
	{ "sorry_server", conf_h_ignore, 2, 2, 0, 0, 0, 0 },
	{ "sorry_server_inhibit", conf_h_ignore, 0, 1, 0, 0, 0, 0 },
	{ "sorry_server_lvs_method", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "ha_suspend", conf_h_ignore, 0, 0, 0, 0, 0, 0 },
	{ "ops", conf_h_ignore, 0, 0, 0, 0, 0, 0 },
	{ "omega", conf_h_ignore, 0, 0, 0, 0, 0, 0 },
	{ "virtualhost", conf_h_ignore, 1, 1, 0, 0, 0, 0 },
	{ "smtp_alert", conf_h_ignore, 0, 1, 0, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0 }
};

static uint32_t pick(uint32_t own, uint32_t rs, uint32_t vs, uint32_t dflt)
{
	return own != NOT_GIVEN ? own : rs != NOT_GIVEN ? rs : vs != NOT_GIVEN ? vs : dflt;
}

/* keepalived: TCP_CHECK takes what it does not say from its real_server,
 * then its virtual_server, wherever in the block they are written. */
static void inherit(struct conf_real_server *rs, const struct conf_lvl *r, const struct conf_lvl *v)
{
	struct conf_tcp_check *k = &rs->check;

	k->interval_ms = pick(k->interval_ms, r->delay_loop_ms, v->delay_loop_ms, 60000);
	k->timeout_ms = pick(k->timeout_ms, r->timeout_ms, v->timeout_ms, 5000);
	k->retry_delay_ms = pick(k->retry_delay_ms, r->retry_delay_ms, v->retry_delay_ms, 1000);
	k->retry = k->retry >= 0 ? k->retry : r->retry >= 0 ? r->retry : v->retry >= 0 ? v->retry : 1;
	if (k->ip.fam == FAM_NONE)
		k->ip = rs->addr;
	if (!k->port)
		k->port = rs->port;
}

KW_FN(conf_h_virtual_server)
{
	struct vs v = { .lvl = { NOT_GIVEN, NOT_GIVEN, NOT_GIVEN, -1 } };
	int first = x->c->n_real_servers;

	/* "virtual_server fwmark N" and "group NAME" have no address. */
	if (strcmp(t[1].s, "fwmark") && strcmp(t[1].s, "group") && !addr_port(x, t, n, &v.addr, &v.port))
		return;
	conf_walk_block(x, blk->child, vs_kw, &v);
	for (int i = first; i < x->c->n_real_servers; i++)
		if (x->c->real_servers[i].has_check)
			inherit(&x->c->real_servers[i], &x->rs_lvl[i], &v.lvl);
}

/* ---- checks after the whole file ---- */

bool conf_track_tcp(struct conf_ctx *x, struct conf_instance *in, const struct conf_track *t)
{
	struct conf_tcp_check *k = NULL;
	struct conf_track *dst;

	for (int i = 0; i < x->c->n_tcp_checks && !k; i++)
		if (!strcmp(x->c->tcp_checks[i].name, t->name))
			k = &x->c->tcp_checks[i];
	if (!k)
		return false;
	/* track_script holds at most this many; sized at the first move */
	if (!in->track_tcp)
		in->track_tcp = ar_alloc(x->cfg, (size_t)in->n_track_script * sizeof(*in->track_tcp));
	dst = &in->track_tcp[in->n_track_tcp++];
	*dst = *t;
	if (!dst->has_weight) {
		dst->weight = k->weight == WEIGHT_NOT_GIVEN ? 0 : k->weight;
		dst->reverse = k->reverse;
		if (k->weight == WEIGHT_NOT_GIVEN)
			conf_warn(x, &t->pos, "tcp check '%s' has weight 0: when it fails '%s' goes to FAULT (give 'weight N' to change the priority instead)",
				  t->name, in->name);
	}
	return true;
}

static void target(struct conf_ctx *x, struct conf_tcp_check *k, const char *what)
{
	char a[ADDR_STRLEN];

	if (k->ip.fam == FAM_NONE || !k->port)
		conf_err(x, &k->pos, "%s has no %s", what, k->ip.fam == FAM_NONE ? "'connect_ip'" : "'connect_port'");
	if (k->bindto.fam && k->ip.fam && k->bindto.fam != k->ip.fam)
		conf_err(x, &k->pos, "%s: bindto %s and connect_ip are of different families", what,
			 addr_str(&k->bindto, a));
	/* A link-local address means nothing without its link. */
	if (addr_is_v6_linklocal(&k->ip) && !k->bind_if[0] && !k->bindto.fam)
		conf_err(x, &k->pos, "%s: link-local connect_ip %s needs 'bind_if IFNAME' or a 'bindto' address on that link",
			 what, addr_str(&k->ip, a));
	if (!k->timeout_ms) {
		conf_err(x, &k->pos, "%s: connect_timeout must be above 0", what);
		k->timeout_ms = 5000;
	}
	if (!k->interval_ms) {
		conf_err(x, &k->pos, "%s: %s must be above 0", what, k->name[0] ? "interval" : "delay_loop");
		k->interval_ms = 1000;
	}
}

void conf_check_tcp(struct conf_ctx *x)
{
	struct config *c = x->c;
	char what[CONF_NAME_MAX + 32];

	for (int i = 0; i < c->n_tcp_checks; i++) {
		struct conf_tcp_check *k = &c->tcp_checks[i];

		/* one namespace: track_script names either */
		for (int j = 0; j < c->n_scripts; j++) {
			const struct conf_pos *p = &c->scripts[j].pos;
			bool here = p->file && k->pos.file && !strcmp(p->file, k->pos.file);

			if (!strcmp(c->scripts[j].name, k->name))
				conf_err(x, &k->pos, "'%s' is both a vrrp_script (%s%s%d) and a vrrp_tcp_check; track_script needs one name for one thing",
					 k->name, here ? "line " : p->file, here ? "" : ":", p->line);
		}
		if (k->weight == WEIGHT_NOT_GIVEN)
			k->weight = 0;
		snprintf(what, sizeof(what), "vrrp_tcp_check '%s'", k->name);
		target(x, k, what);
	}
	for (int i = 0; i < c->n_real_servers; i++) {
		struct conf_real_server *rs = &c->real_servers[i];

		if (!rs->has_check)
			continue;
		target(x, &rs->check, "TCP_CHECK");
	}
}
