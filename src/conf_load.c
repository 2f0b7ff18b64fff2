/* SPDX-License-Identifier: MIT */
/* Loading a keepalived.conf: the entry points, the memory of one load
 * (two arenas: one freed after parsing, one owned by the config), the
 * FILE:LINE diagnostics, and the statement tree built from the tokens. */
#include "conf_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- memory ---- */

struct arena_blk {
	struct arena_blk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

void *ar_alloc(struct arena *a, size_t n)
{
	struct arena_blk *b = a->head;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!b || b->size - b->used < n) {
		size_t sz = n > 4000 ? n : 4000;

		b = malloc(sizeof(*b) + sz);
		if (!b)
			longjmp(*a->oom, 1);
		b->size = sz;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = b->data + b->used;
	b->used += n;
	return memset(p, 0, n);
}

char *ar_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = ar_alloc(a, n + 1);

	memcpy(d, s, n);
	return d;
}

char *ar_strdup(struct arena *a, const char *s)
{
	return ar_strndup(a, s, strlen(s));
}

void *ar_push(struct arena *a, void *pp, int *n, int *cap, size_t size)
{
	char **p = pp;

	if (*n == *cap) {
		int nc = *cap ? *cap * 2 : 4;
		char *np = ar_alloc(a, (size_t)nc * size);

		if (*n)
			memcpy(np, *p, (size_t)*n * size);
		*p = np;
		*cap = nc;
	}
	return *p + (size_t)(*n)++ * size;
}

void ar_release(struct arena *a)
{
	while (a->head) {
		struct arena_blk *b = a->head;

		a->head = b->next;
		free(b);
	}
}

/* ---- diagnostics ---- */

static void diag_stderr(int level, const struct conf_pos *pos, const char *msg)
{
	const char *w = level <= 3 ? "" : "warning: ";

	if (pos && pos->file && pos->line)
		fprintf(stderr, "%s:%d: %s%s\n", pos->file, pos->line, w, msg);
	else if (pos && pos->file)
		fprintf(stderr, "%s: %s%s\n", pos->file, w, msg);
	else
		fprintf(stderr, "%s%s\n", w, msg);
}

void conf_diagf(struct conf_ctx *x, int level, const struct conf_pos *pos, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A check that runs per member of a sync group may find one line's
	 * fault several times: say it once. FNV-1a over place and text. */
	uint32_t h = 2166136261u ^ (uint32_t)(pos ? pos->line : 0);

	for (const char *p = pos && pos->file ? pos->file : ""; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	for (const char *p = msg; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	for (int i = 0; i < 8 && i < x->n_said; i++)
		if (x->said[i] == h)
			return;
	x->said[x->n_said++ % 8] = h;
	if (level <= 3)
		x->c->n_errors++;
	else
		x->c->n_warnings++;
	x->diag(level, pos, msg);
}

/* ---- statements and blocks ---- */

/* "'vrrp_instance VI_1'" for messages about a block. */
static const char *what(const struct conf_node *nd, char *buf, size_t sz)
{
	if (nd->n > 1)
		snprintf(buf, sz, "'%.40s %.40s'", nd->t[0].s, nd->t[1].s);
	else
		snprintf(buf, sz, "'%.40s'", nd->t[0].s);
	return buf;
}

/* track_file is left out: inside an instance it names a tracker list. */
static bool toplevel_block(const char *kw)
{
	static const char *const kws[] = { "vrrp_instance", "vrrp_sync_group", "vrrp_script",
		"global_defs", "virtual_server", "virtual_server_group", "vrrp_tcp_check",
		"vrrp_track_file" };

	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		if (!strcmp(kw, kws[i]))
			return true;
	return false;
}

struct frame {
	struct conf_node *nd;		/* NULL at the top */
	struct conf_node **tail;
	/* A child closed by a '}' that lines up with this block instead:
	 * probably the child is the one missing its '}'. */
	const struct conf_node *suspect;
	const struct conf_tok *suspect_close;
};

/* Report the never-closed block of frame f; BEFORE is what showed it, or
 * NULL at the end of the input. */
static void unclosed(struct conf_ctx *x, const struct frame *f, const struct conf_tok *before)
{
	const struct conf_node *nd = f->suspect ? f->suspect : f->nd;
	char b[96], b2[96], tail[160] = "";

	if (before)
		snprintf(tail, sizeof(tail), " before '%.40s' at %s:%d", before->s, before->pos.file, before->pos.line);
	if (f->suspect)
		conf_err(x, &nd->open, "missing '}': the block of %s opened here is never closed (the '}' at line %d lines up with %s at line %d and closes that one)",
			 what(nd, b, sizeof(b)), f->suspect_close->pos.line, what(f->nd, b2, sizeof(b2)),
			 f->nd->open.line);
	else
		conf_err(x, &nd->open, "missing '}': the block of %s opened here is %s%s",
			 what(nd, b, sizeof(b)), before ? "not closed" : "never closed", tail);
}

struct conf_node *conf_tree(struct conf_ctx *x)
{
	struct frame st[CONF_MAX_NEST + 1];
	struct conf_node *top = NULL, *last = NULL;
	int depth = 0, skip = 0, i = 0;

	st[0].nd = NULL;
	st[0].tail = &top;
	while (i < x->ntok) {
		const struct conf_tok *t = &x->toks[i];
		struct conf_node *nd;
		int j;

		if (skip) {
			skip += t->kind == TK_OPEN ? 1 : t->kind == TK_CLOSE ? -1 : 0;
			i++;
			continue;
		}
		if (t->kind == TK_CLOSE) {
			if (depth == 0) {
				conf_err(x, &t->pos, "unexpected '}': no block is open here");
			} else {
				last = st[depth--].nd;
				if (depth > 0 && t->bol && last->t[0].bol && t->indent != last->t[0].indent &&
				    st[depth].nd->t[0].bol && t->indent == st[depth].nd->t[0].indent && !st[depth].suspect) {
					st[depth].suspect = last;
					st[depth].suspect_close = t;
				}
			}
			i++;
			continue;
		}
		if (t->kind == TK_OPEN) {
			/* "keyword" then "{" on the next line opens keyword's block */
			i++;
			if (last && !last->block && t->bol) {
				nd = last;
				goto open;
			}
			conf_err(x, &t->pos, "'{' without a keyword before it; block skipped");
			skip = 1;
			continue;
		}
		for (j = i + 1; j < x->ntok && x->toks[j].kind == TK_WORD && !x->toks[j].bol; j++)
			;
		nd = ar_alloc(&x->tmp, sizeof(*nd));
		nd->t = t;
		nd->n = j - i;
		i = j;
		if (depth > 0 && t->bol && !t->quoted && toplevel_block(t->s) &&
		    i < x->ntok && x->toks[i].kind == TK_OPEN) {
			/* A top-level block inside another one: a '}' is missing. */
			for (; depth > 0; depth--)
				unclosed(x, &st[depth], t);
		}
		*st[depth].tail = nd;
		st[depth].tail = &nd->next;
		last = nd;
		if (i >= x->ntok || x->toks[i].kind != TK_OPEN)
			continue;
		t = &x->toks[i++];
open:
		if (depth >= CONF_MAX_NEST) {
			conf_err(x, &t->pos, "blocks nested deeper than %d; block skipped", CONF_MAX_NEST);
			skip = 1;
			continue;
		}
		nd->block = true;
		nd->open = t->pos;
		depth++;
		st[depth].nd = nd;
		st[depth].tail = &nd->child;
		st[depth].suspect = NULL;
		last = NULL;
	}
	for (; depth > 0; depth--)
		unclosed(x, &st[depth], NULL);
	return top;
}

/* ---- entry points ---- */

static struct config *load(const char *name, const char *text, size_t len, const struct conf_opts *opts)
{
	struct conf_ctx *x = calloc(1, sizeof(*x));
	struct arena *cfg = calloc(1, sizeof(*cfg));
	struct config *c;
	int err;

	if (!x || !cfg) {
		free(x);
		free(cfg);
		errno = ENOMEM;
		return NULL;
	}
	if (setjmp(x->oom)) {
		err = ENOMEM;
		goto fail;
	}
	x->tmp.oom = cfg->oom = &x->oom;
	x->cfg = cfg;
	x->c = ar_alloc(cfg, sizeof(*x->c));
	x->c->arena = cfg;
	conf_defaults(x->c);
	x->diag = opts && opts->diag ? opts->diag : diag_stderr;
	x->no_include = opts && opts->no_include;
	if (opts && opts->config_id) {
		x->config_id = opts->config_id;
	} else {
		if (gethostname(x->host_id, sizeof(x->host_id) - 1) < 0)
			x->host_id[0] = '\0';
		x->host_id[strcspn(x->host_id, ".")] = '\0';
		x->config_id = x->host_id;
	}
	if (conf_lex(x, name, text, len) < 0) {
		err = errno;
		goto fail;
	}
	conf_walk(x, conf_tree(x));
	conf_check(x);
	c = x->c;
	cfg->oom = NULL;
	ar_release(&x->tmp);
	free(x);
	return c;
fail:
	ar_release(&x->tmp);
	ar_release(cfg);
	free(cfg);
	free(x);
	errno = err;
	return NULL;
}

struct config *conf_load(const char *path, const struct conf_opts *opts)
{
	return load(path, NULL, 0, opts);
}

struct config *conf_load_string(const char *name, const char *text, const struct conf_opts *opts)
{
	return load(name, text, strlen(text), opts);
}

void conf_free(struct config *c)
{
	struct arena *a;

	if (!c)
		return;
	a = c->arena;
	ar_release(a);
	free(a);
}
