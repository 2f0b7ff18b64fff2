/* SPDX-License-Identifier: MIT */
/* Values of keywords: numbers, timers without floating point, booleans,
 * names, addresses, command lines; and the list blocks of keepalived.conf
 * (virtual_ipaddress(_excluded), unicast_peer, track_interface, track_script,
 * a sync group's members). keepalived reads one list entry per line; here a
 * line may hold several ("virtual_ipaddress { 198.51.100.1 198.51.100.2 }"):
 * a word that cannot continue the current entry starts the next one. */
#include "conf_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool conf_num(const char *s, long long lo, long long hi, long long *v)
{
	char *end;

	if (!*s || !strchr("-+0123456789", *s))
		return false;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return !*end && !errno && *v >= lo && *v <= hi;
}

bool conf_get_int(struct conf_ctx *x, const struct conf_tok *t, const struct conf_tok *v,
		    long long lo, long long hi, int *out)
{
	long long n;

	if (conf_num(v->s, lo, hi, &n)) {
		*out = (int)n;
		return true;
	}
	conf_err(x, &v->pos, "'%s' needs a whole number from %lld to %lld, not '%s'", t->s, lo, hi, v->s);
	return false;
}

/* Decimal seconds with up to 6 decimals ("0.5", "3") into microseconds,
 * without floating point; further decimals are dropped. */
static bool timer_us(const char *s, uint64_t *us)
{
	uint64_t v = 0, scale = 1000000;
	bool digits = false;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9'; p++, digits = true) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > 100000000)
			return false;
	}
	v *= scale;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits = true) {
			scale /= 10;
			v += (uint64_t)(*p - '0') * scale;
		}
	}
	*us = v;
	return digits && !*p;
}

bool conf_get_timer(struct conf_ctx *x, const struct conf_tok *t, const struct conf_tok *v,
		      uint64_t max_us, uint64_t *us)
{
	if (timer_us(v->s, us) && *us <= max_us)
		return true;
	conf_err(x, &v->pos, "'%s' needs seconds (decimals allowed) up to %llu, not '%s'", t->s,
		 (unsigned long long)(max_us / 1000000), v->s);
	return false;
}

/* <BOOL>: on|off|true|false|yes|no; the bare keyword means true. */
bool conf_get_bool(struct conf_ctx *x, const struct conf_tok *t, int n, bool *b)
{
	static const char *const yes[] = { "on", "true", "yes" }, *const no[] = { "off", "false", "no" };

	if (n < 2) {
		*b = true;
		return true;
	}
	for (int i = 0; i < 3; i++) {
		if (!strcmp(t[1].s, yes[i]) || !strcmp(t[1].s, no[i])) {
			*b = !strcmp(t[1].s, yes[i]);
			return true;
		}
	}
	conf_err(x, &t[1].pos, "'%s' takes on/off, true/false or yes/no, not '%s'", t[0].s, t[1].s);
	return false;
}

bool conf_get_name(struct conf_ctx *x, const struct conf_tok *t, const struct conf_tok *v,
		     char *dst, size_t sz)
{
	size_t n = strlen(v->s);

	if (n == 0 || n >= sz) {
		conf_err(x, &v->pos, "'%s': '%.40s' must be 1 to %zu characters", t->s, v->s, sz - 1);
		return false;
	}
	memcpy(dst, v->s, n + 1);
	return true;
}

bool conf_get_ifname(struct conf_ctx *x, const struct conf_tok *t, const struct conf_tok *v, char *dst)
{
	if (strpbrk(v->s, "/ \t:") || !strcmp(v->s, ".") || !strcmp(v->s, "..")) {
		conf_err(x, &v->pos, "'%s': '%.40s' is not a valid interface name", t->s, v->s);
		return false;
	}
	return conf_get_name(x, t, v, dst, CONF_IFNAME_MAX);
}

/* An address of a family this build supports. */
bool conf_get_addr(struct conf_ctx *x, const struct conf_tok *t, const struct conf_tok *v, struct vaddr *a)
{
	if (addr_parse(v->s, a) < 0) {
		conf_err(x, &v->pos, "'%s': invalid address '%s'", t->s, v->s);
		return false;
	}
	if (a->fam == FAM_V6 && !CONFIG_IPV6) {
		conf_err(x, &v->pos, "IPv6 address '%s' needs CONFIG_IPV6, which this build lacks", v->s);
		return false;
	}
	return true;
}

void conf_split_cmd(struct conf_ctx *x, const char *s, struct conf_cmd *cmd)
{
	char *w = ar_alloc(x->cfg, strlen(s) + 1);
	char **argv = NULL;
	int cap = 0;

	cmd->argc = 0;
	while (*s) {
		char *word = w, q = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		while (*s && (q || (*s != ' ' && *s != '\t'))) {
			char c;

			if (*s == '\\' && s[1]) {
				s = conf_unescape(s + 1, &c);
				if (c)
					*w++ = c;
				continue;
			}
			if (q && *s == q)
				q = 0;
			else if (!q && (*s == '"' || *s == '\''))
				q = *s;
			else
				*w++ = *s;
			s++;
		}
		*w++ = '\0';
		*(char **)ar_push(x->cfg, &argv, &cmd->argc, &cap, sizeof(char *)) = word;
	}
	ar_push(x->cfg, &argv, &cmd->argc, &cap, sizeof(char *));	/* the NULL */
	cmd->argc--;
	cmd->argv = argv;
}

/* ---- list blocks ---- */

/* Room for EXTRA more elements after the N in *arr (arena memory). */
static void *grow(struct conf_ctx *x, void *arr, int n, int extra, size_t size)
{
	char *p = ar_alloc(x->cfg, (size_t)(n + extra) * size);

	if (n)
		memcpy(p, arr, (size_t)n * size);
	return p;
}

/* Upper bound of entries in a list block: its words. */
static int words(struct conf_ctx *x, const struct conf_node *blk)
{
	int n = 0;

	for (const struct conf_node *nd = blk->child; nd; nd = nd->next) {
		n += nd->n;
		if (nd->block)
			conf_warn(x, &nd->open, "unexpected '{' inside '%s'; block ignored", blk->t[0].s);
	}
	return n;
}

static bool needs_arg(struct conf_ctx *x, const struct conf_tok *t, int i, int n)
{
	if (i + 1 < n)
		return true;
	conf_err(x, &t[i].pos, "'%s' needs a value", t[i].s);
	return false;
}

static void unknown_option(struct conf_ctx *x, const char *what, const struct conf_tok *t,
			   const char *const *opts, int nopts)
{
	const char *s = conf_suggest(x, t->s, opts, nopts);

	if (s)
		conf_err(x, &t->pos, "unknown %s option '%s' (did you mean '%s'?)", what, t->s, s);
	else
		conf_err(x, &t->pos, "unknown %s option '%s'", what, t->s);
}

static const char *const vip_opts[] = {
	"dev", "brd", "scope", "label", "-nodad", "no_track",
	/* keepalived's rarer ones, accepted with a warning */
	"peer", "preferred_lft", "home", "mngtmpaddr", "noprefixroute", "autojoin", "use_vmac",
};

static bool get_scope(const char *s, uint8_t *scope)
{
	static const struct { const char *name; uint8_t v; } sc[] = {
		{ "global", SCOPE_GLOBAL }, { "site", SCOPE_SITE }, { "link", SCOPE_LINK },
		{ "host", SCOPE_HOST }, { "nowhere", SCOPE_NOWHERE },
	};
	long v = 0;

	for (size_t i = 0; i < sizeof(sc) / sizeof(sc[0]); i++) {
		if (!strcmp(s, sc[i].name)) {
			*scope = sc[i].v;
			return true;
		}
	}
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 3)
		return false;
	for (; *s; s++)
		v = v * 10 + (*s - '0');
	*scope = (uint8_t)v;
	return v <= 255;
}

/* "brd +" / "brd -": the prefix's broadcast or network address. */
static void brd_from_plen(struct conf_vip *v, bool ones)
{
	v->brd = v->addr;
	for (int bit = v->plen; bit < 32; bit++) {
		uint8_t m = (uint8_t)(0x80 >> (bit % 8));

		if (ones)
			v->brd.b[bit / 8] |= m;
		else
			v->brd.b[bit / 8] &= (uint8_t)~m;
	}
}

/* The options after one VIP's address; returns the index of the next
 * unread word. */
static int vip_options(struct conf_ctx *x, struct conf_vip *v, const struct conf_tok *t, int i, int n)
{
	while (i < n) {
		const char *o = t[i].s;
		struct vaddr a;
		uint8_t plen;
		bool hp;

		if (!strcmp(o, "dev") && needs_arg(x, t, i, n)) {
			conf_get_ifname(x, &t[i], &t[i + 1], v->dev);
			i += 2;
		} else if (!strcmp(o, "label") && needs_arg(x, t, i, n)) {
			conf_get_name(x, &t[i], &t[i + 1], v->label, CONF_IFNAME_MAX);
			if (v->addr.fam == FAM_V6)
				conf_warn(x, &t[i].pos, "a label applies to IPv4 addresses only; ignored");
			i += 2;
		} else if (!strcmp(o, "scope") && needs_arg(x, t, i, n)) {
			if (!get_scope(t[i + 1].s, &v->scope))
				conf_err(x, &t[i + 1].pos, "scope must be global, site, link, host or nowhere, not '%s'", t[i + 1].s);
			i += 2;
		} else if (!strcmp(o, "brd") && needs_arg(x, t, i, n)) {
			const char *b = t[i + 1].s;

			if (v->addr.fam == FAM_V6) {
				conf_warn(x, &t[i].pos, "'brd' applies to IPv4 addresses only; ignored");
			} else if (!strcmp(b, "+") || !strcmp(b, "-")) {
				brd_from_plen(v, b[0] == '+');
				v->has_brd = true;
			} else if (addr_parse(b, &a) == 0 && a.fam == FAM_V4) {
				v->brd = a;
				v->has_brd = true;
			} else {
				conf_err(x, &t[i + 1].pos, "brd needs an IPv4 address, '+' or '-', not '%s'", b);
			}
			i += 2;
		} else if (!strcmp(o, "-nodad")) {
			v->nodad = false;
			i++;
		} else if (!strcmp(o, "no_track")) {
			v->no_track = true;
			i++;
		} else if (!strcmp(o, "peer") || !strcmp(o, "preferred_lft")) {
			conf_warn(x, &t[i].pos, "VIP option '%s' is not supported yet; ignored", o);
			i += i + 1 < n ? 2 : 1;
		} else if (!strcmp(o, "home") || !strcmp(o, "mngtmpaddr") || !strcmp(o, "noprefixroute") ||
			   !strcmp(o, "autojoin") || !strcmp(o, "use_vmac")) {
			conf_warn(x, &t[i].pos, "VIP option '%s' is not supported yet; ignored", o);
			i++;
		} else if (addr_parse_prefix(o, &a, &plen, &hp) == 0) {
			break;		/* the next VIP on the same line */
		} else {
			if (!strcmp(o, "dev") || !strcmp(o, "label") || !strcmp(o, "scope") || !strcmp(o, "brd"))
				return n;	/* needs_arg() reported it */
			unknown_option(x, "VIP", &t[i], vip_opts, (int)(sizeof(vip_opts) / sizeof(vip_opts[0])));
			return n;
		}
	}
	return i;
}

void conf_vips(struct conf_ctx *x, struct conf_instance *in, const struct conf_node *blk, bool excluded)
{
	struct conf_vip **arr = excluded ? &in->vips_ex : &in->vips;
	int *cnt = excluded ? &in->n_vips_ex : &in->n_vips;

	*arr = grow(x, *arr, *cnt, words(x, blk), sizeof(**arr));
	for (const struct conf_node *nd = blk->child; nd; nd = nd->next) {
		int i = 0;

		if (!excluded)
			x->ix[x->c->n_inst - 1].vips_written = true;
		while (i < nd->n) {
			const struct conf_tok *t = &nd->t[i];
			struct conf_vip *v = &(*arr)[*cnt];

			memset(v, 0, sizeof(*v));
			v->pos = t->pos;
			if (addr_parse_prefix(t->s, &v->addr, &v->plen, &v->has_plen) < 0) {
				conf_err(x, &t->pos, "invalid address '%s'%s", t->s,
					 strchr(t->s, '/') ? " (ADDRESS/PREFIX-LENGTH expected)" : "");
				break;
			}
			if (!excluded && !x->ix[x->c->n_inst - 1].first_fam)
				x->ix[x->c->n_inst - 1].first_fam = v->addr.fam;
			if (v->addr.fam == FAM_V6 && !CONFIG_IPV6) {
				conf_err(x, &t->pos, "IPv6 address '%s' needs CONFIG_IPV6, which this build lacks", t->s);
				break;
			}
			v->scope = SCOPE_GLOBAL;
			v->nodad = v->addr.fam == FAM_V6;	/* keepalived adds VIPs with NODAD */
			i = vip_options(x, v, nd->t, i + 1, nd->n);
			(*cnt)++;
		}
	}
}

static const char *const peer_opts[] = { "min_ttl", "max_ttl" };

void conf_peers(struct conf_ctx *x, struct conf_instance *in, const struct conf_node *blk)
{
	in->peers = grow(x, in->peers, in->n_peers, words(x, blk), sizeof(*in->peers));
	if (blk->child)
		x->ix[x->c->n_inst - 1].peers_pos = blk->t[0].pos;
	for (const struct conf_node *nd = blk->child; nd; nd = nd->next) {
		const struct conf_tok *t = nd->t;
		int i = 0;

		while (i < nd->n) {
			struct conf_peer *p = &in->peers[in->n_peers];

			memset(p, 0, sizeof(*p));
			p->pos = t[i].pos;
			if (!conf_get_addr(x, blk->t, &t[i], &p->addr))
				break;
			in->n_peers++;
			for (i++; i < nd->n; i += 2) {
				int *ttl = !strcmp(t[i].s, "min_ttl") ? &p->min_ttl :
					   !strcmp(t[i].s, "max_ttl") ? &p->max_ttl : NULL;

				if (!ttl) {
					struct vaddr a;

					if (addr_parse(t[i].s, &a) == 0)
						break;	/* the next peer */
					unknown_option(x, "unicast_peer", &t[i], peer_opts, 2);
					i = nd->n;
					break;
				}
				if (!needs_arg(x, t, i, nd->n)) {
					i = nd->n;
					break;
				}
				conf_get_int(x, &t[i], &t[i + 1], 0, 255, ttl);
			}
		}
	}
}

/* NAME [weight N [reverse|noreverse]] */
void conf_tracks(struct conf_ctx *x, struct conf_track **arr, int *n, const struct conf_node *blk,
		 bool scripts)
{
	*arr = grow(x, *arr, *n, words(x, blk), sizeof(**arr));
	for (const struct conf_node *nd = blk->child; nd; nd = nd->next) {
		const struct conf_tok *t = nd->t;
		int i = 0;

		while (i < nd->n) {
			struct conf_track *tr = &(*arr)[*n];

			memset(tr, 0, sizeof(*tr));
			tr->pos = t[i].pos;
			if (!strcmp(t[i].s, "weight") || !strcmp(t[i].s, "reverse") || !strcmp(t[i].s, "noreverse")) {
				conf_err(x, &t[i].pos, "'%s' must follow a name in '%s'", t[i].s, blk->t[0].s);
				i++;
				continue;
			}
			if (scripts ? !conf_get_name(x, blk->t, &t[i], tr->name, CONF_NAME_MAX)
				    : !conf_get_ifname(x, blk->t, &t[i], tr->name)) {
				i++;
				continue;
			}
			(*n)++;
			i++;
			if (i < nd->n && !strcmp(t[i].s, "weight")) {
				if (!needs_arg(x, t, i, nd->n))
					break;
				if (conf_get_int(x, &t[i], &t[i + 1], -253, 253, &tr->weight))
					tr->has_weight = true;
				i += 2;
				if (i < nd->n && (!strcmp(t[i].s, "reverse") || !strcmp(t[i].s, "noreverse")))
					tr->reverse = t[i++].s[0] == 'r';
			}
		}
	}
}

void conf_tracks_append(struct conf_ctx *x, struct conf_track **arr, int *n, const struct conf_track *src,
			int n_src)
{
	if (!n_src)
		return;
	*arr = grow(x, *arr, *n, n_src, sizeof(**arr));
	memcpy(*arr + *n, src, (size_t)n_src * sizeof(*src));
	for (int i = 0; i < n_src; i++)
		(*arr)[*n + i].from_group = true;
	*n += n_src;
}

void conf_members(struct conf_ctx *x, struct conf_group *g, const struct conf_node *blk)
{
	int room = words(x, blk);

	g->members = grow(x, g->members, g->n_members, room, sizeof(*g->members));
	g->member_pos = grow(x, g->member_pos, g->n_members, room, sizeof(*g->member_pos));
	for (const struct conf_node *nd = blk->child; nd; nd = nd->next) {
		for (int i = 0; i < nd->n; i++) {
			int k;

			if (x->n_members >= CONF_MAX_MEMBERS) {
				if (x->n_members++ == CONF_MAX_MEMBERS)
					conf_err(x, &nd->t[i].pos, "more than %d sync group members; the rest are ignored",
						 CONF_MAX_MEMBERS);
				continue;
			}
			for (k = 0; k < g->n_members; k++)
				if (!strcmp(g->members[k], nd->t[i].s))
					break;
			if (k < g->n_members) {
				conf_warn(x, &nd->t[i].pos, "'%s' is listed twice in sync group '%s'", nd->t[i].s, g->name);
				continue;
			}
			if (!conf_get_name(x, blk->t, &nd->t[i], g->members[g->n_members], CONF_NAME_MAX))
				continue;
			g->member_pos[g->n_members++] = nd->t[i].pos;
			x->n_members++;
		}
	}
}
