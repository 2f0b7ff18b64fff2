/* SPDX-License-Identifier: MIT */
/* status_fmt: the table and the JSON of `tinyvrrp status`, from plain data. */
#include <stdlib.h>
#include <string.h>

#include "status_fmt.h"
#include "t.h"

/* Run a formatter into a string (freed by the caller). */
static char *fmt(void (*f)(FILE *, const struct status_snap *), const struct status_snap *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	f(m, s);
	fclose(m);
	return buf;
}

static char *fmt_str(const char *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	json_str(m, in);
	fclose(m);
	return buf;
}

static char *fmt_fixed(int64_t v, int digits, bool keep)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	json_fixed(m, v, digits, keep);
	fclose(m);
	return buf;
}

#define CHECK_HAS(hay, needle) do { \
	const char *t_h_ = (hay), *t_n_ = (needle); \
	if (t_h_ && strstr(t_h_, t_n_)) t_pass++; \
	else { t_fail++; fprintf(stderr, "%s:%d: \"%s\" not in:\n%s\n", __FILE__, __LINE__, \
		t_n_, t_h_ ? t_h_ : "(null)"); } \
} while (0)

static void test_json_str(void)
{
	char *s;

	s = fmt_str("VI_1");
	CHECK_STR(s, "\"VI_1\"");
	free(s);
	s = fmt_str("a\"b\\c\nd\te\x01" "f\x7f");
	CHECK_STR(s, "\"a\\\"b\\\\c\\nd\\te\\u0001f\\u007f\"");
	free(s);
	/* valid UTF-8 kept, invalid bytes replaced, overlong and surrogates too */
	s = fmt_str("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	CHECK_STR(s, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	free(s);
	s = fmt_str("x\xff" "y\xc0\xaf" "z\xed\xa0\x80");
	CHECK_STR(s, "\"x\\ufffdy\\ufffd\\ufffdz\\ufffd\\ufffd\\ufffd\"");
	free(s);
	s = fmt_str("\xe2\x82");	/* truncated at the end of the string */
	CHECK_STR(s, "\"\\ufffd\\ufffd\"");
	free(s);
}

static void test_json_fixed(void)
{
	char *s;

	s = fmt_fixed(150, 2, false);
	CHECK_STR(s, "1.5");
	free(s);
	s = fmt_fixed(100, 2, false);
	CHECK_STR(s, "1");
	free(s);
	s = fmt_fixed(5, 2, false);
	CHECK_STR(s, "0.05");
	free(s);
	s = fmt_fixed(5000, 3, false);
	CHECK_STR(s, "5");
	free(s);
	s = fmt_fixed(1795329200061362, 6, true);
	CHECK_STR(s, "1795329200.061362");
	free(s);
	s = fmt_fixed(1795329200000000, 6, true);
	CHECK_STR(s, "1795329200.000000");
	free(s);
	s = fmt_fixed(0, 6, true);
	CHECK_STR(s, "0.000000");
	free(s);
	s = fmt_fixed(-250, 2, false);
	CHECK_STR(s, "-2.5");
	free(s);
}

static void test_iso8601(void)
{
	char b[32];

	CHECK_STR(status_iso8601(0, b, sizeof(b)), "-");
	CHECK_STR(status_iso8601(1795329200061362, b, sizeof(b)), "2026-11-22T06:33:20Z");
	CHECK_STR(status_iso8601(1000000, b, sizeof(b)), "1970-01-01T00:00:01Z");
}

/* A master on IPv4, a FAULT instance with trackers, a backup on IPv6. */
static uint64_t drops_a[DROP__COUNT], drops_b[DROP__COUNT], drops_c[DROP__COUNT], drops_g[DROP__COUNT];
static struct tracker chk = { .name = "chk_\"web\"", .kind = "script", .state = TRACK_DOWN };
static struct tracker eth1 = { .name = "eth1", .kind = "interface", .state = TRACK_UP };
static struct tracker fl = { .name = "fl", .kind = "file", .state = TRACK_UNKNOWN };
static struct track_ref refs[] = {
	{ .t = &chk, .weight = 0 },
	{ .t = &eth1, .weight = -20, .reverse = true },
	{ .t = &fl, .weight = 5 },
};

static void snapshot(struct status_inst in[3], struct status_snap *s)
{
	in[0] = (struct status_inst){
		.name = "VI_1", .ifname = "eth0", .vrid = 51, .version = 3, .family = FAM_V4,
		.state = VRRP_MASTER, .base_prio = 150, .prio = 150,
		.changed_at = 1795329200061362, .rx = 3, .tx = 1234, .became_master = 1,
		.drops = drops_a,
	};
	addr_parse("198.18.1.1", &in[0].master);
	in[1] = (struct status_inst){
		.name = "VI_fault", .ifname = "eth1", .vrid = 52, .version = 2, .family = FAM_V4,
		.state = VRRP_FAULT, .base_prio = 100, .prio = 100, .changed_at = 1795329201000000,
		.trk = refs, .n_trk = 3, .released_master = 2, .prio0_tx = 2, .drops = drops_b,
	};
	/* a master heard earlier: FAULT shows none */
	addr_parse("198.18.1.2", &in[1].master);
	in[2] = (struct status_inst){
		.name = "VI_6", .ifname = "eth0", .vrid = 53, .version = 3, .family = FAM_V6,
		.state = VRRP_BACKUP, .base_prio = 100, .prio = 90, .rx = 77, .prio0_rx = 1,
		.drops = drops_c,
	};
	addr_parse("fe80::ff:fe00:102", &in[2].master);
	drops_a[DROP_TTL] = 4;
	drops_a[DROP_CHECKSUM] = 2;
	drops_g[DROP_VRID] = 9;
	*s = (struct status_snap){ .inst = in, .n_inst = 3, .drops = drops_g };
}

static void test_table(void)
{
	struct status_inst in[3];
	struct status_snap s;
	char *t;

	snapshot(in, &s);
	t = fmt(status_fmt_table, &s);
	/* columns are as wide as the longest value: the IPv6 master */
	CHECK_HAS(t, "NAME      IFACE  VRID  VERSION  STATE   PRIO   EFF  MASTER             SINCE\n");
	CHECK_HAS(t, "VI_1      eth0     51  v3/IPv4  MASTER   150   150  198.18.1.1         "
		  "2026-11-22T06:33:20Z\n");
	CHECK_HAS(t, "VI_fault  eth1     52  v2/IPv4  FAULT    100   100  -                  "
		  "2026-11-22T06:33:21Z\n");
	CHECK_HAS(t, "VI_6      eth0     53  v3/IPv6  BACKUP   100    90  fe80::ff:fe00:102  -\n");
	CHECK_HAS(t, "    track script chk_\"web\" down weight 0\n");
	CHECK_HAS(t, "    track interface eth1 up weight -20 reverse\n");
	CHECK_HAS(t, "    track file fl unknown weight 5\n");
	CHECK_HAS(t, "    adverts rx 3 tx 1234, became master 1, released master 0, priority 0 rx 0 tx 0\n");
	CHECK_HAS(t, "    drops ttl 4, checksum 2\n");
	CHECK_HAS(t, "global drops vrid 9\n");
	/* only non-zero drops: VI_fault and VI_6 have none */
	CHECK(strstr(t, "drops") == strstr(t, "    drops ttl") + 4);
	CHECK(strstr(strstr(t, "    drops ttl") + 1, "    drops") == NULL);
	free(t);

	/* nothing dropped anywhere: no drop lines at all */
	memset(drops_a, 0, sizeof(drops_a));
	memset(drops_g, 0, sizeof(drops_g));
	t = fmt(status_fmt_table, &s);
	CHECK(strstr(t, "drops") == NULL);
	free(t);

	s.n_inst = 0;
	t = fmt(status_fmt_table, &s);
	CHECK_STR(t, "NAME  IFACE  VRID  VERSION  STATE   PRIO   EFF  MASTER  SINCE\n");
	free(t);
}

static void test_json(void)
{
	struct status_inst in[3];
	struct status_snap s;
	char *j;

	snapshot(in, &s);
	j = fmt(status_fmt_json, &s);
	CHECK(strncmp(j, "{\"instances\":[{\"name\":\"VI_1\",", 29) == 0);
	CHECK_HAS(j, "{\"name\":\"VI_1\",\"interface\":\"eth0\",\"vrid\":51,\"version\":3,"
		  "\"family\":\"ipv4\",\"state\":\"MASTER\",\"base_priority\":150,"
		  "\"effective_priority\":150,\"master\":\"198.18.1.1\","
		  "\"last_transition\":\"2026-11-22T06:33:20Z\",\"trackers\":[],"
		  "\"counters\":{\"rx\":3,\"tx\":1234,\"became_master\":1,\"released_master\":0,"
		  "\"prio0_rx\":0,\"prio0_tx\":0},\"drops\":{\"length\":0,\"ttl\":4,\"version\":0,"
		  "\"type\":0,\"checksum\":2,\"vrid\":0,\"auth_type\":0,\"auth\":0,\"interval\":0,"
		  "\"addr_list\":0,\"source\":0,\"proto\":0}}");
	CHECK_HAS(j, "\"state\":\"FAULT\",\"base_priority\":100,\"effective_priority\":100,"
		  "\"master\":null,");
	CHECK_HAS(j, "\"trackers\":[{\"kind\":\"script\",\"name\":\"chk_\\\"web\\\"\",\"state\":\"down\","
		  "\"weight\":0,\"reverse\":false},{\"kind\":\"interface\",\"name\":\"eth1\","
		  "\"state\":\"up\",\"weight\":-20,\"reverse\":true},{\"kind\":\"file\",\"name\":\"fl\","
		  "\"state\":\"unknown\",\"weight\":5,\"reverse\":false}]");
	CHECK_HAS(j, "\"family\":\"ipv6\",\"state\":\"BACKUP\",\"base_priority\":100,"
		  "\"effective_priority\":90,\"master\":\"fe80::ff:fe00:102\",\"last_transition\":null,");
	CHECK_HAS(j, "\"prio0_rx\":1,");
	CHECK_HAS(j, "}}],\"drops\":{\"length\":0,\"ttl\":0,\"version\":0,\"type\":0,\"checksum\":0,"
		  "\"vrid\":9,");
	CHECK(strcmp(j + strlen(j) - 3, "}}\n") == 0);
	free(j);

	s.n_inst = 0;
	memset(drops_g, 0, sizeof(drops_g));
	j = fmt(status_fmt_json, &s);
	CHECK_STR(j, "{\"instances\":[],\"drops\":{\"length\":0,\"ttl\":0,\"version\":0,\"type\":0,"
		  "\"checksum\":0,\"vrid\":0,\"auth_type\":0,\"auth\":0,\"interval\":0,"
		  "\"addr_list\":0,\"source\":0,\"proto\":0}}\n");
	free(j);
}

int main(void)
{
	test_json_str();
	test_json_fixed();
	test_iso8601();
	test_table();
	test_json();
	CHECK_STR(status_track_word(TRACK_UP), "up");
	CHECK_STR(status_track_word(TRACK_DOWN), "down");
	CHECK_STR(status_track_word(TRACK_UNKNOWN), "unknown");
	return t_done("test_status");
}
