/* SPDX-License-Identifier: MIT */
/* `tinyvrrp status` output: a table for people, JSON for programs. The
 * JSON keys are an interface: add keys, never rename or remove one. */
#include "status_fmt.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

const char *status_track_word(enum track_state st)
{
	return st == TRACK_UP ? "up" : st == TRACK_DOWN ? "down" : "unknown";
}

/* Length of the valid UTF-8 sequence at p (RFC 3629: no overlongs, no
 * surrogates, nothing past U+10FFFF), 0 if there is none. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned c = p[0], lo = 0x80, hi = 0xbf;
	size_t n;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

void json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		size_t n;

		if (*p == '"' || *p == '\\') {
			fputc('\\', f);
			fputc(*p++, f);
		} else if (*p == '\n') {
			fputs("\\n", f);
			p++;
		} else if (*p == '\t') {
			fputs("\\t", f);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			fputc(*p++, f);
		} else if ((n = utf8_len(p)) > 0) {
			fwrite(p, 1, n, f);
			p += n;
		} else {
			fputs("\\ufffd", f);
			p++;
		}
	}
	fputc('"', f);
}

void json_fixed(FILE *f, int64_t v, int digits, bool keep)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char frac[20];
	int n = digits < 0 ? 0 : digits > 18 ? 18 : digits;

	frac[n] = '\0';
	for (int i = n - 1; i >= 0; i--) {
		frac[i] = (char)('0' + u % 10);
		u /= 10;
	}
	fprintf(f, "%s%" PRIu64, v < 0 ? "-" : "", u);
	if (!keep)
		while (n > 0 && frac[n - 1] == '0')
			frac[--n] = '\0';
	if (n > 0)
		fprintf(f, ".%s", frac);
}

const char *status_iso8601(int64_t us, char *buf, size_t len)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (us <= 0 || !gmtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "-");
	return buf;
}

/* Whose adverts the instance follows: itself as master, the master it
 * heard as backup; nobody in other states. */
static const char *master_str(const struct status_inst *in, char *buf)
{
	if ((in->state != VRRP_MASTER && in->state != VRRP_BACKUP) || in->master.fam == FAM_NONE)
		return NULL;
	return addr_str(&in->master, buf);
}

static const char *fam_word(uint8_t fam)
{
	return fam == FAM_V6 ? "IPv6" : "IPv4";
}

/* ---- table ---- */

static int width(int w, const char *s)
{
	int n = (int)strlen(s);

	return n > w ? n : w;
}

static void table_extra(FILE *f, const struct status_inst *in)
{
	for (int t = 0; t < in->n_trk; t++) {
		const struct track_ref *r = &in->trk[t];

		fprintf(f, "    track %s %s %s weight %d%s\n", r->t->kind, r->t->name,
			status_track_word(r->t->state), r->weight, r->reverse ? " reverse" : "");
	}
	fprintf(f, "    adverts rx %" PRIu64 " tx %" PRIu64 ", became master %" PRIu64
		", released master %" PRIu64 ", priority 0 rx %" PRIu64 " tx %" PRIu64 "\n",
		in->rx, in->tx, in->became_master, in->released_master, in->prio0_rx, in->prio0_tx);
	bool any = false;

	for (int r = DROP_LENGTH; r < DROP__COUNT; r++) {
		if (!in->drops[r])
			continue;
		fprintf(f, "%s %s %" PRIu64, any ? "," : "    drops", vrrp_drop_name((enum vrrp_drop)r),
			in->drops[r]);
		any = true;
	}
	if (any)
		fputc('\n', f);
}

void status_fmt_table(FILE *f, const struct status_snap *s)
{
	char a[ADDR_STRLEN], when[32];
	int wn = 4, wi = 5, wm = 6;

	for (int i = 0; i < s->n_inst; i++) {
		const struct status_inst *in = &s->inst[i];
		const char *m = master_str(in, a);

		wn = width(wn, in->name);
		wi = width(wi, in->ifname);
		wm = width(wm, m ? m : "-");
	}
	fprintf(f, "%-*s  %-*s  %4s  %-7s  %-6s  %4s  %4s  %-*s  %s\n", wn, "NAME", wi, "IFACE",
		"VRID", "VERSION", "STATE", "PRIO", "EFF", wm, "MASTER", "SINCE");
	for (int i = 0; i < s->n_inst; i++) {
		const struct status_inst *in = &s->inst[i];
		const char *m = master_str(in, a);
		char ver[16];

		snprintf(ver, sizeof(ver), "v%d/%s", in->version, fam_word(in->family));
		fprintf(f, "%-*s  %-*s  %4d  %-7s  %-6s  %4d  %4d  %-*s  %s\n", wn, in->name, wi,
			in->ifname, in->vrid, ver, vrrp_state_name(in->state), in->base_prio, in->prio,
			wm, m ? m : "-", status_iso8601(in->changed_at, when, sizeof(when)));
		table_extra(f, in);
	}
	bool any = false;

	for (int r = DROP_LENGTH; r < DROP__COUNT; r++) {
		if (!s->drops[r])
			continue;
		fprintf(f, "%s %s %" PRIu64, any ? "," : "global drops", vrrp_drop_name((enum vrrp_drop)r),
			s->drops[r]);
		any = true;
	}
	if (any)
		fputc('\n', f);
}

/* ---- JSON ---- */

static void json_drops(FILE *f, const uint64_t *d)
{
	fputc('{', f);
	for (int r = DROP_LENGTH; r < DROP__COUNT; r++)
		fprintf(f, "%s\"%s\":%" PRIu64, r == DROP_LENGTH ? "" : ",",
			vrrp_drop_name((enum vrrp_drop)r), d[r]);
	fputc('}', f);
}

static void json_inst(FILE *f, const struct status_inst *in)
{
	char a[ADDR_STRLEN], when[32];
	const char *m = master_str(in, a);

	fputs("{\"name\":", f);
	json_str(f, in->name);
	fputs(",\"interface\":", f);
	json_str(f, in->ifname);
	fprintf(f, ",\"vrid\":%d,\"version\":%d,\"family\":\"%s\",\"state\":\"%s\"", in->vrid,
		in->version, in->family == FAM_V6 ? "ipv6" : "ipv4", vrrp_state_name(in->state));
	fprintf(f, ",\"base_priority\":%d,\"effective_priority\":%d,\"master\":", in->base_prio,
		in->prio);
	if (m)
		json_str(f, m);
	else
		fputs("null", f);
	fputs(",\"last_transition\":", f);
	if (in->changed_at > 0)
		json_str(f, status_iso8601(in->changed_at, when, sizeof(when)));
	else
		fputs("null", f);
	fputs(",\"trackers\":[", f);
	for (int t = 0; t < in->n_trk; t++) {
		const struct track_ref *r = &in->trk[t];

		fputs(t ? ",{\"kind\":" : "{\"kind\":", f);
		json_str(f, r->t->kind);
		fputs(",\"name\":", f);
		json_str(f, r->t->name);
		fprintf(f, ",\"state\":\"%s\",\"weight\":%d,\"reverse\":%s}",
			status_track_word(r->t->state), r->weight, r->reverse ? "true" : "false");
	}
	fprintf(f, "],\"counters\":{\"rx\":%" PRIu64 ",\"tx\":%" PRIu64 ",\"became_master\":%" PRIu64
		",\"released_master\":%" PRIu64 ",\"prio0_rx\":%" PRIu64 ",\"prio0_tx\":%" PRIu64 "}",
		in->rx, in->tx, in->became_master, in->released_master, in->prio0_rx, in->prio0_tx);
	fputs(",\"drops\":", f);
	json_drops(f, in->drops);
	fputc('}', f);
}

void status_fmt_json(FILE *f, const struct status_snap *s)
{
	fputs("{\"instances\":[", f);
	for (int i = 0; i < s->n_inst; i++) {
		if (i)
			fputc(',', f);
		json_inst(f, &s->inst[i]);
	}
	fputs("],\"drops\":", f);
	json_drops(f, s->drops);
	fputs("}\n", f);
}
