/* SPDX-License-Identifier: MIT */
/* keepalived.conf tokens and blocks. Lines are processed as keepalived's
 * read_line() does: comments cut, "@ID" lines kept or dropped, "$NAME=value"
 * definitions stored, "$NAME"/"${NAME}" substituted, "include" expanded in
 * place; then words, quoted strings and braces become tokens that know their
 * file and line. conf_tree() turns the tokens into statements and blocks. */
#include "conf_int.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef GLOB_BRACE
#define GLOB_BRACE 0	/* musl: no csh brace expansion, as keepalived built on musl */
#endif

struct lex_def {
	struct lex_def *next;
	const char *name;
	size_t nlen;
	char *val;
	size_t vlen;
	bool multiline;
};

/* One file being read; the chain is the include stack. */
struct lex_file {
	const char *name;
	dev_t dev;
	ino_t ino;
	int depth;
	const struct lex_file *up;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_name(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

/* Cut a '#' or '!' comment outside quotes ("..." anywhere, '...' from the
 * start of a word); a backslash protects the next character (keepalived's
 * "\#"). Trims blanks at both ends, in place.
 * Returns true if a comment was cut. */
static bool decomment(struct conf_ctx *x, char *s, const struct conf_pos *pos)
{
	char quote = 0, *p, *cut = NULL;
	size_t n;

	for (p = s; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '"' || (*p == '\'' && (p == s || strchr(" \t{}", p[-1])))) {
			quote = *p;
		} else if (*p == '#' || *p == '!') {
			cut = p;
			break;
		}
	}
	if (cut) {
		/* "auth_pass abc!def" means "abc" to keepalived too; say so. */
		if (cut > s && !is_blank(cut[-1])) {
			char *w = cut;

			while (w > s && !is_blank(w[-1]))
				w--;
			conf_warn(x, pos, "'%c' starts a comment in the middle of '%.*s': the word is cut to '%.*s' (quote it to keep the '%c')",
				  *cut, (int)strcspn(w, " \t"), w, (int)(cut - w), w, *cut);
		}
		*cut = '\0';
	}
	n = strlen(s);
	while (n && is_blank(s[n - 1]))
		s[--n] = '\0';
	p = s;
	while (is_blank(*p))
		p++;
	memmove(s, p, strlen(p) + 1);
	return cut != NULL;
}

/* Append a token; NULL past CONF_MAX_TOKENS (reported once). */
static struct conf_tok *add_tok(struct conf_ctx *x, uint8_t kind, const char *s, size_t n, bool quoted,
				const struct conf_pos *pos, bool bol)
{
	struct conf_tok *t;

	if (x->ntok >= CONF_MAX_TOKENS) {
		if (!x->too_many)
			conf_err(x, pos, "more than %d words in the configuration; the rest is ignored", CONF_MAX_TOKENS);
		x->too_many = true;
		return NULL;
	}
	t = ar_push(&x->tmp, &x->toks, &x->ntok, &x->captok, sizeof(*t));
	t->kind = kind;
	t->s = ar_strndup(&x->tmp, s, n);
	t->quoted = quoted;
	t->pos = *pos;
	t->bol = bol;
	return t;
}

static size_t strspn_name(const char *s)
{
	size_t n = 0;

	while (is_name(s[n], false))
		n++;
	return n;
}

const char *conf_unescape(const char *s, char *out)
{
	static const char map[] = "a\ab\bE\033f\fn\nr\rt\tv\v";
	const char *m;
	int v = 0, i;

	if (*s == 'x' && strchr("0123456789abcdefABCDEF", s[1]) && s[1]) {
		for (s++, i = 0; i < 2 && *s && strchr("0123456789abcdefABCDEF", *s); s++, i++)
			v = v * 16 + (*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
		*out = (char)v;
		return s;
	}
	if (*s >= '0' && *s <= '7') {
		for (i = 0; i < 3 && *s >= '0' && *s <= '7'; s++, i++)
			v = v * 8 + (*s - '0');
		*out = (char)v;
		return s;
	}
	if (*s == 'c' && s[1]) {
		*out = (char)(s[1] & 0x1f);
		return s + 2;
	}
	for (m = map; *m; m += 2) {
		if (*m == *s) {
			*out = m[1];
			return s + 1;
		}
	}
	*out = *s;
	return s + 1;
}

/* Words, quoted strings and braces of one logical line. */
static void tokenize(struct conf_ctx *x, const char *s, const struct conf_pos *pos, bool comment,
		     uint16_t indent, char *w)
{
	bool bol = true;

	while (*s) {
		struct conf_tok *t;
		size_t n = 0;
		bool quoted = false;

		while (is_blank(*s))
			s++;
		if (!*s)
			break;
		if (*s == '{' || *s == '}') {
			t = add_tok(x, *s == '{' ? TK_OPEN : TK_CLOSE, s, 1, false, pos, bol);
			if (t && bol)
				t->indent = indent;
			s++;
			bol = false;
			continue;
		}
		while (*s && !is_blank(*s) && *s != '{' && *s != '}') {
			char c;

			/* "it's" is a word: a single quote opens a string only at
			 * the start of a word (keepalived knows '...' in commands only) */
			if (*s == '"' || (*s == '\'' && n == 0 && !quoted)) {
				char q = *s++;

				quoted = true;
				while (*s && *s != q) {
					if (*s == '\\' && s[1])
						s = conf_unescape(s + 1, &c);
					else
						c = *s++;
					if (c)
						w[n++] = c;
				}
				if (!*s) {
					conf_err(x, pos, "unterminated quote: missing closing %c (keepalived 2.2.7 crashes here)", q);
					break;
				}
				s++;
			} else if (*s == '\\' && s[1] && strchr("#!{}\"'\\ \t", s[1])) {
				w[n++] = s[1];
				s += 2;
			} else if (*s == '$' && s[1] == '{' && s[2 + strspn_name(s + 2)] == '}') {
				/* an undefined ${NAME} stays one word */
				while (*s != '}')
					w[n++] = *s++;
				w[n++] = *s++;
			} else {
				w[n++] = *s++;
			}
		}
		t = add_tok(x, TK_WORD, w, n, quoted, pos, bol);
		if (t && bol) {
			t->comment = comment;
			t->indent = indent;
		}
		bol = false;
	}
}

static struct lex_def *find_def(struct conf_ctx *x, const char *name, size_t n)
{
	struct lex_def *d;

	for (d = x->defs; d; d = d->next)
		if (d->nlen == n && !memcmp(d->name, name, n))
			return d;
	return NULL;
}

/* "$NAME=value": store it. Returns the definition, or NULL if s is not one. */
static struct lex_def *definition(struct conf_ctx *x, const char *s)
{
	const char *p = s + 1, *v;
	struct lex_def *d;
	size_t n;

	if (s[0] != '$' || !is_name(*p, true))
		return NULL;
	while (is_name(*p, false))
		p++;
	n = (size_t)(p - s - 1);
	while (is_blank(*p))
		p++;
	if (*p != '=')
		return NULL;
	for (v = p + 1; is_blank(*v); v++)
		;
	d = find_def(x, s + 1, n);
	if (!d) {
		d = ar_alloc(&x->tmp, sizeof(*d));
		d->name = ar_strndup(&x->tmp, s + 1, n);
		d->nlen = n;
		d->next = x->defs;
		x->defs = d;
	}
	d->vlen = strlen(v);
	d->multiline = d->vlen && v[d->vlen - 1] == '\\';
	if (d->multiline) {
		d->vlen--;
		while (d->vlen && is_blank(v[d->vlen - 1]))
			d->vlen--;
	}
	d->val = ar_strndup(&x->tmp, v, d->vlen);
	return d;
}

static void def_append(struct conf_ctx *x, struct lex_def *d, const char *s)
{
	size_t n = strlen(s);
	char *v = ar_alloc(&x->tmp, d->vlen + n + 2);

	memcpy(v, d->val, d->vlen);
	if (d->vlen)
		v[d->vlen++] = '\n';
	memcpy(v + d->vlen, s, n + 1);
	d->vlen += n;
	d->val = v;
}

/* Predefined names (keepalived's _PWD, _INSTANCE, _HASH, _BANG). */
static const char *builtin(struct conf_ctx *x, const struct lex_file *f, const char *name, size_t n,
			   char *tmp, size_t tmpsz)
{
	if (n == 4 && !memcmp(name, "_PWD", 4)) {
		const char *sl = strrchr(f->name, '/');

		if (!sl)
			return ".";
		snprintf(tmp, tmpsz, "%.*s", sl == f->name ? 1 : (int)(sl - f->name), f->name);
		return tmp;
	}
	if (n == 9 && !memcmp(name, "_INSTANCE", 9))
		return x->config_id;
	if (n == 5 && !memcmp(name, "_HASH", 5))
		return "#";
	if (n == 5 && !memcmp(name, "_BANG", 5))
		return "!";
	return NULL;
}

/* One pass of substitution of buf into out (both CONF_MAX_LINE).
 * Returns the number of replacements, or -1 if the result is too long. */
static int subst_pass(struct conf_ctx *x, const struct lex_file *f, const char *buf, char *out)
{
	size_t o = 0;
	int done = 0;
	const char *s = buf;

	while (*s) {
		const char *name, *val = NULL, *after;
		struct lex_def *d;
		char tmp[256];
		size_t n;
		bool brace = s[0] == '$' && s[1] == '{';

		if (*s != '$' || !is_name(s[brace ? 2 : 1], true)) {
			if (o + 1 >= CONF_MAX_LINE)
				return -1;
			out[o++] = *s++;
			continue;
		}
		name = s + (brace ? 2 : 1);
		for (after = name; is_name(*after, false); after++)
			;
		n = (size_t)(after - name);
		/* keepalived: "$NAME" must end at a blank, ',' or ')' */
		if (brace ? *after != '}' : (*after && !strchr(" \t,)", *after)))
			d = NULL, after = NULL;
		else
			d = find_def(x, name, n);
		if (d && (!d->multiline || (s == buf && !after[brace])))
			val = d->val;
		else if (after)
			val = builtin(x, f, name, n, tmp, sizeof(tmp));
		if (!val) {
			if (o + 1 >= CONF_MAX_LINE)
				return -1;
			out[o++] = *s++;
			continue;
		}
		n = strlen(val);
		if (o + n >= CONF_MAX_LINE)
			return -1;
		memcpy(out + o, val, n);
		o += n;
		s = after + brace;
		done++;
	}
	out[o] = '\0';
	return done;
}

static void process_line(struct conf_ctx *x, const struct lex_file *f, char *buf, int line, bool comment,
			 uint16_t indent);

static void include(struct conf_ctx *x, const struct lex_file *f, const struct conf_tok *t, int n);

/* "@ID rest" / "@^ID rest": keep "rest" only if the config id matches
 * (does not match). Returns false to drop the line. */
static bool conditional(struct conf_ctx *x, char *buf)
{
	bool neg = buf[1] == '^';
	char *id = buf + (neg ? 2 : 1), *end = id;
	bool match;

	while (*end && !is_blank(*end))
		end++;
	if (!*end)
		return false;
	match = strlen(x->config_id) == (size_t)(end - id) && !memcmp(id, x->config_id, (size_t)(end - id));
	if (match == neg)
		return false;
	while (is_blank(*end))
		end++;
	memmove(buf, end, strlen(end) + 1);
	return true;
}

/* A logical line after comments and continuation: conditionals,
 * definitions, substitution, includes, tokens. */
static void process_line(struct conf_ctx *x, const struct lex_file *f, char *buf, int line, bool comment,
			 uint16_t indent)
{
	struct conf_pos pos = { f->name, line };
	char *out = buf + CONF_MAX_LINE;	/* scratch half of this level's buffer */
	int round;

	for (round = 0; round < 8; round++) {
		int r;

		if (buf[0] == '@' && !conditional(x, buf))
			return;
		if (buf[0] == '$' && definition(x, buf))
			return;
		if (!strchr(buf, '$'))
			break;
		r = subst_pass(x, f, buf, out);
		if (r < 0) {
			conf_err(x, &pos, "line longer than %d bytes after $ substitution", CONF_MAX_LINE);
			return;
		}
		if (r == 0)
			break;
		strcpy(buf, out);
		if (round == 7) {
			conf_err(x, &pos, "$ definitions nested too deeply (a definition that uses itself?)");
			return;
		}
	}
	/* A multi-line definition expands to several lines. */
	for (char *s = buf, *nl; s; s = nl) {
		int first = x->ntok;

		nl = strchr(s, '\n');
		if (nl)
			*nl++ = '\0';
		tokenize(x, s, &pos, comment, indent, out);
		if (x->ntok > first && x->toks[first].kind == TK_WORD && !x->toks[first].quoted &&
		    !strncmp(x->toks[first].s, "include", 7) &&
		    strspn(x->toks[first].s + 7, "rmwba") == strlen(x->toks[first].s + 7) &&
		    strlen(x->toks[first].s) <= 8) {
			int n = x->ntok - first;
			struct conf_tok *args = ar_alloc(&x->tmp, (size_t)n * sizeof(*args));

			memcpy(args, x->toks + first, (size_t)n * sizeof(*args));
			x->ntok = first;
			include(x, f, args, n);
		}
	}
}

/* Physical lines of one file into logical lines: comments, "\" at the end
 * continues a line (and makes a definition multi-line). */
static void lex_text(struct conf_ctx *x, const struct lex_file *f, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	struct lex_def *ml = NULL;
	char *buf;
	int line = 0;

	if (!x->lines[f->depth])
		x->lines[f->depth] = ar_alloc(&x->tmp, 2 * CONF_MAX_LINE);
	buf = x->lines[f->depth];

	while (p < end) {
		const char *q = memchr(p, '\n', (size_t)(end - p));
		size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
		struct conf_pos pos = { f->name, ++line };
		int start = line;
		uint16_t indent = 0;
		bool comment;

		if (n >= CONF_MAX_LINE) {
			conf_err(x, &pos, "line longer than %d bytes ignored", CONF_MAX_LINE - 1);
			p = q ? q + 1 : end;
			continue;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		p = q ? q + 1 : end;
		for (const char *b = buf; (*b == ' ' || *b == '\t') && indent < 4000; b++)
			indent = *b == ' ' ? indent + 1 : (uint16_t)((indent / 8 + 1) * 8);
		comment = decomment(x, buf, &pos);
		if (ml) {
			/* keepalived: a multi-line definition goes on while lines
			 * end in a backslash; an empty line ends it too */
			bool more;

			n = strlen(buf);
			if (!n) {
				ml = NULL;
				continue;
			}
			more = buf[n - 1] == '\\';
			if (more) {
				buf[--n] = '\0';
				while (n && is_blank(buf[n - 1]))
					buf[--n] = '\0';
			}
			if (*buf)
				def_append(x, ml, buf);
			if (!more)
				ml = NULL;
			continue;
		}
		if (!*buf)
			continue;
		if (buf[0] == '$') {
			struct lex_def *d = definition(x, buf);

			if (d) {
				ml = d->multiline ? d : NULL;
				continue;
			}
		}
		/* Any other line ending in '\' continues on the next one. */
		while ((n = strlen(buf)) && buf[n - 1] == '\\' && p < end) {
			const char *q2 = memchr(p, '\n', (size_t)(end - p));
			size_t n2 = q2 ? (size_t)(q2 - p) : (size_t)(end - p);

			buf[n - 1] = ' ';
			line++;
			if (n + n2 + 1 >= CONF_MAX_LINE) {
				conf_err(x, &pos, "continued line longer than %d bytes", CONF_MAX_LINE - 1);
				p = q2 ? q2 + 1 : end;
				break;
			}
			memcpy(buf + n, p, n2);
			buf[n + n2] = '\0';
			p = q2 ? q2 + 1 : end;
			comment |= decomment(x, buf + n, &pos);
		}
		process_line(x, f, buf, start, comment, indent);
	}
}

/* Read a whole regular file into the tmp arena. */
static char *slurp(struct conf_ctx *x, const char *path, size_t *len, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	char *buf;
	size_t got = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode) || st->st_size > CONF_MAX_FILE_SIZE) {
		errno = S_ISDIR(st->st_mode) ? EISDIR : S_ISREG(st->st_mode) ? EFBIG : EINVAL;
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st->st_size + 1);
	if (!buf) {
		close(fd);
		longjmp(*x->tmp.oom, 1);
	}
	while (got < (size_t)st->st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st->st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	*len = got;
	return buf;
}

static void lex_file_text(struct conf_ctx *x, const struct lex_file *f, char *text, size_t len)
{
	/* NUL bytes would end C strings early: treat them as blanks. */
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\0')
			text[i] = ' ';
	lex_text(x, f, text, len);
}

/* "include PATTERN...": each match read in place, relative to the
 * including file's directory; no match is only a warning, as keepalived
 * says nothing. */
static void include(struct conf_ctx *x, const struct lex_file *f, const struct conf_tok *t, int n)
{
	const char *sl = strrchr(f->name, '/');
	int i;

	if (n < 2) {
		conf_warn(x, &t[0].pos, "'%s' needs a file name", t[0].s);
		return;
	}
	if (x->no_include)
		return;
	if (f->depth + 1 >= CONF_MAX_INCLUDE_DEPTH) {
		conf_err(x, &t[0].pos, "includes nested deeper than %d; '%s' not read", CONF_MAX_INCLUDE_DEPTH, t[1].s);
		return;
	}
	for (i = 1; i < n; i++) {
		char pat[4096];
		size_t o = 0;
		glob_t g;
		int r;

		if (t[i].s[0] != '/' && sl) {
			/* the directory is literal text: escape glob characters in it */
			for (const char *d = f->name; d <= sl && o + 2 < sizeof(pat) / 2; d++) {
				if (strchr("*?[\\", *d))
					pat[o++] = '\\';
				pat[o++] = *d;
			}
		}
		snprintf(pat + o, sizeof(pat) - o, "%s", t[i].s);
		r = glob(pat, GLOB_MARK | GLOB_BRACE, NULL, &g);
		if (r) {
			if (r == GLOB_NOMATCH)
				conf_warn(x, &t[i].pos, "include '%s': no file matches; nothing read", pat);
			else
				conf_warn(x, &t[i].pos, "include '%s': cannot list files (glob error %d)", pat, r);
			globfree(&g);
			continue;
		}
		for (size_t k = 0; k < g.gl_pathc; k++) {
			const char *path = g.gl_pathv[k];
			struct lex_file child = { 0 };
			const struct lex_file *up;
			struct stat st;
			size_t len;
			char *text;

			if (path[strlen(path) - 1] == '/')
				continue;
			if (++x->n_files > CONF_MAX_FILES) {
				conf_err(x, &t[i].pos, "more than %d config files; '%s' not read", CONF_MAX_FILES, path);
				break;
			}
			text = slurp(x, path, &len, &st);
			if (!text) {
				conf_warn(x, &t[i].pos, "include '%s': %s; skipped", path, strerror(errno));
				continue;
			}
			for (up = f; up; up = up->up)
				if (up->dev == st.st_dev && up->ino == st.st_ino)
					break;
			if (up) {
				conf_err(x, &t[i].pos, "include loop: '%s' is already being read", path);
			} else if (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) {
				conf_warn(x, &t[i].pos, "include '%s' is executable; skipped as keepalived does", path);
			} else {
				child.name = ar_strdup(x->cfg, path);
				child.dev = st.st_dev;
				child.ino = st.st_ino;
				child.depth = f->depth + 1;
				child.up = f;
				lex_file_text(x, &child, text, len);
			}
			free(text);
		}
		globfree(&g);
	}
}

int conf_lex(struct conf_ctx *x, const char *name, const char *text, size_t len)
{
	struct lex_file top = { 0 };
	char *own = NULL;

	top.name = ar_strdup(x->cfg, name);
	x->n_files = 1;
	if (!text) {
		struct stat st;

		own = slurp(x, name, &len, &st);
		if (!own)
			return -1;
		top.dev = st.st_dev;
		top.ino = st.st_ino;
		lex_file_text(x, &top, own, len);
		free(own);
		return 0;
	}
	own = ar_strndup(&x->tmp, text, len);
	lex_file_text(x, &top, own, len);
	return 0;
}
