/* SPDX-License-Identifier: MIT */
/* Internals shared by the config reader's four files: lexer + tree
 * (conf_lex.c), keyword tables (conf_parse.c), defaults and checks
 * (conf_check.c), dump (conf_dump.c). Not for use outside them. */
#ifndef TINYVRRP_CONF_INT_H
#define TINYVRRP_CONF_INT_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"

#define PRINTF_LIKE(a, b) __attribute__((format(printf, a, b)))

/* Bounds that keep hostile input (fuzzing) from exhausting anything. */
#define CONF_MAX_INCLUDE_DEPTH 8
#define CONF_MAX_FILES 64
#define CONF_MAX_FILE_SIZE (1 << 20)
#define CONF_MAX_LINE (1 << 14)
#define CONF_MAX_NEST 16
#define CONF_MAX_TOKENS (1 << 18)	/* a 255-instance config has ~10k */
/* Checks compare names pairwise: bound the counts (far above real configs). */
#define CONF_MAX_NAMED 4096		/* instances, scripts, groups, each */
#define CONF_MAX_MEMBERS 4096		/* sync group members, all groups */

/* Bump allocator: everything of one load lives in two of these, one freed
 * after parsing (tokens, tree), one owned by the config. Out of memory
 * long-jumps back to conf_load, which then returns NULL with ENOMEM. */
struct arena {
	struct arena_blk *head;
	jmp_buf *oom;
};
void *ar_alloc(struct arena *a, size_t n);	/* zeroed */
char *ar_strdup(struct arena *a, const char *s);
char *ar_strndup(struct arena *a, const char *s, size_t n);
/* Grow the array *pp of *n elements (capacity *cap) by one; returns the new slot. */
void *ar_push(struct arena *a, void *pp, int *n, int *cap, size_t size);
void ar_release(struct arena *a);

enum { TK_WORD, TK_OPEN, TK_CLOSE };

struct conf_tok {
	const char *s;
	struct conf_pos pos;
	uint8_t kind;
	bool quoted;		/* a quoted word is never a keyword or a brace */
	bool bol;		/* first token of a logical line */
	bool comment;		/* bol only: a comment was cut from this line */
	uint16_t indent;	/* bol only: columns of leading blanks (tab = 8) */
};

/* One statement: keyword and arguments (t[0..n-1], all on one line),
 * optionally followed by a { } block. */
struct conf_node {
	const struct conf_tok *t;
	int n;
	bool block;
	struct conf_pos open;		/* where its '{' was */
	struct conf_node *child, *next;
};

/* Per-instance facts the checks need that the public struct does not keep. */
struct inst_x {
	struct conf_pos prio_pos, state_pos, adv_pos, version_pos, nopreempt_pos;
	struct conf_pos preempt_delay_pos, accept_pos, auth_pos, pass_pos, peers_pos;
	struct conf_pos native_pos, dta_pos, lpna_pos, hpsa_pos, strict_pos;
	struct conf_pos src_pos;
	uint64_t adv_us;		/* 0 = not given */
	int version;			/* 0 = not given */
	int8_t accept, skip_check, strict, lpna, hpsa, v3cs, cus;	/* -1 = not given */
	bool native_ipv6;
	bool has_state;
	bool vips_written;		/* entries existed, even invalid ones */
	uint8_t first_fam;		/* of the first VIP written, even if refused */
	bool dead_vrid, dead_prio;	/* already reported as invalid */
};

struct conf_ctx {
	struct config *c;
	struct arena *cfg;		/* owned by c */
	struct arena tmp;
	jmp_buf oom;
	conf_diag_fn diag;
	bool no_include;
	const char *config_id;
	char host_id[64];

	/* lexer */
	struct conf_tok *toks;
	int ntok, captok;
	bool too_many;			/* CONF_MAX_TOKENS reached */
	struct lex_def *defs;
	int n_files;
	char *lines[CONF_MAX_INCLUDE_DEPTH];	/* per include level: line + scratch */

	/* parser */
	struct inst_x *ix;		/* parallel to c->inst */
	int cap_inst, cap_scripts, cap_groups, cap_ix, cap_sws;
	bool *script_weight_set;	/* parallel to c->scripts */
	int cap_track_files;
	struct conf_pos strict_pos, version_pos, dta_pos;
	int down_timer_adverts;		/* vrrp_down_timer_adverts */
	bool smtp_noted;
	int n_suggest, n_members;
	uint32_t said[8];		/* hashes of the last diagnostics: each once */
	int n_said;
	/* conf_tcp.c: vrrp_tcp_check, virtual_server */
	int cap_tcp, cap_rs, cap_rsl;
	struct conf_lvl *rs_lvl;	/* parallel to c->real_servers */
};

void conf_diagf(struct conf_ctx *x, int level, const struct conf_pos *pos, const char *fmt, ...)
	PRINTF_LIKE(4, 5);
#define conf_err(x, pos, ...) conf_diagf((x), 3, (pos), __VA_ARGS__)
#define conf_warn(x, pos, ...) conf_diagf((x), 4, (pos), __VA_ARGS__)

/* conf_lex.c: read NAME (text given, or read from disk when text is NULL)
 * with its includes into x->toks. Returns -1 if NAME cannot be opened. */
int conf_lex(struct conf_ctx *x, const char *name, const char *text, size_t len);
/* conf_lex.c: one backslash escape (keepalived's set: \\a \\b \\E \\f \\n \\r \\t \\v,
 * \\xHH, \\ooo, \\cX, else the character itself); s points after the '\\'. */
const char *conf_unescape(const char *s, char *out);
/* conf_load.c: statements and blocks from x->toks; returns the first
 * top-level statement. Reports stray and missing braces. */
struct conf_node *conf_tree(struct conf_ctx *x);

#define CONF_BIG 1000000

/* conf_value.c: values. Each reports its own error (naming keyword t)
 * and returns false. */
bool conf_num(const char *s, long long lo, long long hi, long long *v);	/* silent */
bool conf_get_int(struct conf_ctx *x, const struct conf_tok *t, const struct conf_tok *v,
		  long long lo, long long hi, int *out);
bool conf_get_timer(struct conf_ctx *x, const struct conf_tok *t, const struct conf_tok *v,
		    uint64_t max_us, uint64_t *us);
/* <BOOL> in t[1] if n > 1: on|off|true|false|yes|no; the bare keyword is true. */
bool conf_get_bool(struct conf_ctx *x, const struct conf_tok *t, int n, bool *b);
bool conf_get_name(struct conf_ctx *x, const struct conf_tok *t, const struct conf_tok *v,
		   char *dst, size_t sz);
bool conf_get_ifname(struct conf_ctx *x, const struct conf_tok *t, const struct conf_tok *v, char *dst);
/* An address of a family this build supports (no prefix length). */
bool conf_get_addr(struct conf_ctx *x, const struct conf_tok *t, const struct conf_tok *v, struct vaddr *a);
/* Split a command line on blanks, honouring quotes and backslash escapes,
 * as keepalived does for notify and script commands. */
void conf_split_cmd(struct conf_ctx *x, const char *s, struct conf_cmd *cmd);

/* conf_value.c: the list blocks, several entries per line allowed. */
void conf_vips(struct conf_ctx *x, struct conf_instance *in, const struct conf_node *blk, bool excluded);
void conf_peers(struct conf_ctx *x, struct conf_instance *in, const struct conf_node *blk);
void conf_tracks(struct conf_ctx *x, struct conf_track **arr, int *n, const struct conf_node *blk,
		 bool scripts);
/* Append a sync group's n_src trackers to a member's, marked from_group. */
void conf_tracks_append(struct conf_ctx *x, struct conf_track **arr, int *n, const struct conf_track *src,
			int n_src);
void conf_members(struct conf_ctx *x, struct conf_group *g, const struct conf_node *blk);

/* Keyword tables (conf_parse.c, conf_inst.c). */
struct kw;
typedef void kw_fn(struct conf_ctx *x, const struct kw *k, const struct conf_tok *t, int n,
		   const struct conf_node *blk, void *obj);
#define KW_FN(name) void name(struct conf_ctx *x, const struct kw *k, const struct conf_tok *t, int n, \
			      const struct conf_node *blk, void *obj)

enum { KB = 1 };		/* needs a { } block */

struct kw {
	const char *name;
	kw_fn *fn;		/* called with t[0] = keyword, n - 1 values, blk = node with the block */
	uint8_t min, max, flags;
	uint16_t off;		/* field in obj (or in struct inst_x) for generic handlers */
	int32_t lo, hi;
};

#define FIELD(obj, k, type) ((type *)((char *)(obj) + (k)->off))

/* conf_parse.c */
void conf_defaults(struct config *c);
void conf_walk(struct conf_ctx *x, const struct conf_node *top);
void conf_walk_block(struct conf_ctx *x, const struct conf_node *nd, const struct kw *tab, void *obj);
/* The name of "vrrp_instance NAME {": false (reported) if invalid or
 * already used by one of COUNT structs at NAMES, STRIDE bytes apart. */
bool conf_new_name(struct conf_ctx *x, const struct conf_tok *t, const char *names, size_t stride,
		   int count, char *dst);
void conf_parse_cmd(struct conf_ctx *x, const struct conf_tok *t, int n, struct conf_cmd *cmd);
kw_fn conf_h_ignore, conf_h_int, conf_h_flag, conf_h_bool, conf_h_ms, conf_h_us, conf_h_name;
kw_fn conf_h_smtp_alert, conf_h_cmd;
kw_fn conf_h_us_unapplied, conf_h_ms_unapplied;
void conf_unapplied(struct conf_ctx *x, const struct conf_tok *t, bool set);

/* conf_inst.c */
kw_fn conf_h_instance;

/* conf_tcp.c: vrrp_tcp_check and virtual_server blocks. Timers a
 * real_server or virtual_server sets for its TCP_CHECKs (UINT32_MAX, -1:
 * not given), resolved after the block. */
struct conf_lvl {
	uint32_t delay_loop_ms, timeout_ms, retry_delay_ms;
	int retry;
};
kw_fn conf_h_tcp_check, conf_h_virtual_server;
/* A track_script entry that names a vrrp_tcp_check: moved to in->track_tcp.
 * Returns false if NAME is no vrrp_tcp_check either. */
bool conf_track_tcp(struct conf_ctx *x, struct conf_instance *in, const struct conf_track *t);
void conf_check_tcp(struct conf_ctx *x);

/* conf_check.c: fill in defaults that depend on the whole file, then check. */
void conf_check(struct conf_ctx *x);

/* Closest candidate within a small edit distance, or NULL (for "did you
 * mean"); only for the first 200 questions of a load, to bound its time. */
const char *conf_suggest(struct conf_ctx *x, const char *word, const char *const *cands, int n);

#endif
