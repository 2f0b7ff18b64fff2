/* SPDX-License-Identifier: MIT */
/* The keepalived.conf reader: lexer, keywords, defaults, checks, and the
 * corpus under tests/conf (run from the top of the tree, as make does). */
#include "conf.h"
#include "t.h"
#include "t_conf.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>


/* argv[i] of a command, NULL if there is none */
static const char *arg(const struct conf_cmd *c, int i)
{
	return c->argv && i < c->argc ? c->argv[i] : NULL;
}

#define INST(body) "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n" body "}\n"

static void test_defaults(void)
{
	struct config *c = tconf(INST(" virtual_ipaddress {\n  198.51.100.1\n }\n"));
	const struct conf_instance *in = &c->inst[0];

	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->n_warnings, 0);
	CHECK_EQ(c->n_inst, 1);
	CHECK_STR(in->name, "VI_1");
	CHECK_STR(in->ifname, "eth0");
	CHECK_EQ(in->vrid, 51);
	CHECK_EQ(in->priority, 100);
	CHECK_EQ(in->state, WANT_BACKUP);
	CHECK_EQ(in->version, 2);
	CHECK_EQ(in->adv_cs, 100);
	CHECK_EQ(in->family, FAM_V4);
	CHECK(in->accept);
	CHECK_EQ(in->down_timer_adverts, 3);
	CHECK_EQ(in->garp.delay_ms, 5000);
	CHECK_EQ(in->garp.repeat, 5);
	CHECK_EQ(in->garp.refresh_ms, 0);
	CHECK_EQ(in->garp.refresh_repeat, 1);
	CHECK_EQ(in->garp.lower_prio_delay_ms, 5000);
	CHECK_EQ(in->garp.lower_prio_repeat, 5);
	CHECK_EQ(in->n_vips, 1);
	CHECK_EQ(in->vips[0].plen, 32);
	CHECK(!in->vips[0].has_plen);
	CHECK_EQ(in->vips[0].scope, SCOPE_GLOBAL);
	CHECK_EQ(in->vips[0].pos.line, 5);
	CHECK_STR(in->vips[0].pos.file, "t.conf");
	CHECK_EQ(in->mcast_group.b[0], 224);
	CHECK_EQ(in->mcast_group.b[3], 18);
	CHECK_EQ(in->auth_type, AUTH_NONE);
	CHECK(in->notify_master.argv == NULL);
	conf_free(c);

	/* keepalived: state MASTER without a priority is the address owner */
	c = tconf(INST(" state MASTER\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->inst[0].priority, 255);
	CHECK_EQ(c->inst[0].state, WANT_MASTER);
	CHECK(said("t.conf:4: warning: 'state MASTER' without 'priority'"));
	conf_free(c);

	/* no state: MASTER iff priority 255 */
	c = tconf(INST(" priority 255\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK_EQ(c->inst[0].state, WANT_MASTER);
	conf_free(c);

	/* global GARP settings reach instances unless overridden */
	c = tconf("global_defs {\n vrrp_garp_master_delay 2\n vrrp_garp_master_repeat 3\n vrrp_garp_interval 0.001\n}\n"
		 INST(" garp_master_repeat 7\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->inst[0].garp.delay_ms, 2000);
	CHECK_EQ(c->inst[0].garp.repeat, 7);
	CHECK_EQ(c->inst[0].garp.interval_us, 1000);
	CHECK_EQ(c->inst[0].garp.lower_prio_delay_ms, 2000);
	CHECK_EQ(c->inst[0].garp.lower_prio_repeat, 3);
	conf_free(c);
}

static void test_comments(void)
{
	struct config *c = tconf(INST(" priority 150 # comment after a value\n"
				     " notify_master \"/bin/echo a#b!c\" ! comment\n"
				     " virtual_ipaddress { 198.51.100.1 } # the VIP\n"));

	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->inst[0].priority, 150);
	CHECK_EQ(c->inst[0].notify_master.argc, 2);
	CHECK_STR(arg(&c->inst[0].notify_master, 1), "a#b!c");
	CHECK_EQ(c->inst[0].n_vips, 1);
	conf_free(c);

	/* keepalived cuts an unquoted "!": the password disappears */
	c = tconf(INST(" authentication {\n  auth_type PASS\n  auth_pass !abc\n }\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK(c->n_errors > 0);
	CHECK(said("t.conf:6: 'auth_pass' needs a value (a '!' or '#' on this line starts a comment"));
	conf_free(c);

	/* in the middle of a word it is cut too, with a warning */
	c = tconf(INST(" authentication {\n  auth_type PASS\n  auth_pass ab!cd\n }\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK_EQ(c->n_errors, 0);
	CHECK_MEM(c->inst[0].auth_pass, "ab\0\0\0\0\0\0", 8);
	CHECK(said("t.conf:6: warning: '!' starts a comment in the middle of 'ab!cd'"));
	conf_free(c);

	/* quoted, or escaped, it stays */
	c = tconf(INST(" authentication {\n  auth_type PASS\n  auth_pass \"ab!cd\"\n }\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK_MEM(c->inst[0].auth_pass, "ab!cd\0\0\0", 8);
	conf_free(c);
	c = tconf(INST(" authentication {\n  auth_type PASS\n  auth_pass ab\\#cd\n }\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK_MEM(c->inst[0].auth_pass, "ab#cd\0\0\0", 8);
	CHECK_EQ(c->n_warnings, 0);
	conf_free(c);
}

static void test_braces(void)
{
	struct config *c;

	/* inline blocks, several entries on one line, keyword{ and }keyword */
	c = tconf("vrrp_instance A{ interface eth0\n virtual_router_id 1\n"
		 " virtual_ipaddress { 198.51.100.1 198.51.100.2/24 dev eth1 198.51.100.3 }\n"
		 " unicast_peer{198.51.100.9}}vrrp_instance B\n{\n interface eth0\n virtual_router_id 2\n"
		 " virtual_ipaddress\n {\n  198.51.100.4\n }\n}\n");
	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->n_inst, 2);
	CHECK_EQ(c->inst[0].n_vips, 3);
	CHECK_STR(c->inst[0].vips[1].dev, "eth1");
	CHECK_EQ(c->inst[0].vips[1].plen, 24);
	CHECK_EQ(c->inst[0].vips[2].plen, 32);
	CHECK_EQ(c->inst[0].n_peers, 1);
	CHECK_STR(c->inst[1].name, "B");
	CHECK_EQ(c->inst[1].n_vips, 1);
	conf_free(c);

	/* one-line global_defs: keepalived would lose router_id; the keyword
	 * tables split the line where a known keyword follows */
	c = tconf("global_defs { notification_email { root@localhost } notification_email_from root@localhost "
		 "smtp_server localhost smtp_connect_timeout 30 router_id LVS2 }\n"
		 INST(" authentication { auth_type PASS auth_pass 1111 }\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->n_warnings, 0);
	CHECK_STR(c->router_id, "LVS2");
	CHECK_EQ(c->inst[0].auth_type, AUTH_PASS);
	CHECK_MEM(c->inst[0].auth_pass, "1111\0\0\0\0", 8);
	conf_free(c);

	/* stray and missing braces, reported where they are */
	c = tconf(INST(" virtual_ipaddress { 198.51.100.1 }\n") "}\n");
	CHECK(c->n_errors > 0);
	CHECK(said("t.conf:6: unexpected '}'"));
	conf_free(c);
	c = tconf("vrrp_instance VI_1 {\n interface eth0\n virtual_ipaddress {\n  198.51.100.1\n");
	CHECK(said("t.conf:3: missing '}': the block of 'virtual_ipaddress' opened here is never closed"));
	CHECK(said("t.conf:1: missing '}': the block of 'vrrp_instance VI_1' opened here is never closed"));
	conf_free(c);
	c = tconf("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress { 198.51.100.1 }\n"
		 "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n virtual_ipaddress { 198.51.100.2 }\n}\n");
	CHECK(said("t.conf:1: missing '}': the block of 'vrrp_instance A' opened here is not closed before 'vrrp_instance' at t.conf:5"));
	CHECK_EQ(c->n_inst, 2);
	CHECK_EQ(c->n_errors, 1);
	conf_free(c);
	c = tconf("{ a b }\n" INST(" virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK(said("t.conf:1: '{' without a keyword"));
	CHECK_EQ(c->n_inst, 1);
	conf_free(c);
}

static void test_quotes(void)
{
	struct config *c = tconf(INST(" priority \"149\"\n advert_int '2'\n"
				     " notify \"/usr/bin/logger -t 'ka state' a\\\\tb\" root wheel\n"
				     " notify_stop \"/bin/echo a\\tb\"\n"
				     " notify_master '/bin/sh -c \"echo x\"'\n"
				     " virtual_ipaddress { \"198.51.100.1\" }\n"));

	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->inst[0].priority, 149);
	CHECK_EQ(c->inst[0].adv_cs, 200);
	CHECK_EQ(c->inst[0].notify.argc, 4);
	CHECK_STR(arg(&c->inst[0].notify, 0), "/usr/bin/logger");
	CHECK_STR(arg(&c->inst[0].notify, 2), "ka state");
	CHECK_STR(arg(&c->inst[0].notify, 3), "a\tb");
	CHECK(c->inst[0].notify.argv && c->inst[0].notify.argv[4] == NULL);
	/* two passes as in keepalived: "\\t" is a tab, and a tab separates words */
	CHECK_EQ(c->inst[0].notify_stop.argc, 3);
	CHECK_STR(c->inst[0].notify.user, "root");
	CHECK_STR(c->inst[0].notify.group, "wheel");
	CHECK_EQ(c->inst[0].notify_master.argc, 3);
	CHECK_STR(arg(&c->inst[0].notify_master, 2), "echo x");
	CHECK(!c->inst[0].notify_deleted_set && !c->inst[0].notify_deleted.argv);
	conf_free(c);

	/* notify_deleted, bare or with a script */
	c = tconf(INST(" notify_deleted\n virtual_ipaddress { 198.51.100.1 }\n")
		  "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 52\n"
		  " notify_deleted \"/bin/echo gone\" root\n virtual_ipaddress { 198.51.100.2 }\n}\n");
	CHECK_EQ(c->n_errors, 0);
	CHECK(c->inst[0].notify_deleted_set && !c->inst[0].notify_deleted.argv);
	CHECK(c->inst[1].notify_deleted_set && c->inst[1].notify_deleted.argc == 2);
	CHECK_STR(arg(&c->inst[1].notify_deleted, 1), "gone");
	CHECK_STR(c->inst[1].notify_deleted.user, "root");
	conf_free(c);

	/* an apostrophe inside a word is no quote */
	c = tconf("global_defs {\n router_id it's # a comment\n smtp_helo_name 'a b'\n}\n");
	CHECK_EQ(c->n_errors, 0);
	CHECK_STR(c->router_id, "it's");
	conf_free(c);

	/* keepalived 2.2.7 crashes here; we name the line and go on */
	c = tconf("vrrp_script chk {\n script \"/bin/true\n interval 2\n}\n");
	CHECK(c->n_errors > 0);
	CHECK(said("t.conf:2: unterminated quote"));
	CHECK_EQ(c->scripts[0].interval_ms, 2000);
	conf_free(c);
}

static char tmpdir[64];

static void put(const char *rel, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", tmpdir, rel);
	f = fopen(p, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static struct config *load_file(const char *rel)
{
	struct conf_opts o = { .config_id = "node1", .diag = capture };
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", tmpdir, rel);
	said_len = 0;
	said_buf[0] = '\0';
	return conf_load(p, &o);
}

static void test_include(void)
{
	struct config *c;
	char p[256];

	strcpy(tmpdir, "/tmp/test_conf.XXXXXX");
	CHECK(mkdtemp(tmpdir) != NULL);
	snprintf(p, sizeof(p), "%s/sub", tmpdir);
	CHECK_EQ(mkdir(p, 0700), 0);
	put("main.conf", "global_defs {\n router_id main\n}\ninclude sub/*.conf\ninclude missing/*.conf\n");
	put("sub/b.conf", "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n virtual_ipaddress { 198.51.100.2 }\n}\n");
	put("sub/a.conf", "\n" INST(" virtual_ipaddress { 198.51.100.1 }\n"));
	c = load_file("main.conf");
	CHECK(c != NULL);
	if (c) {
		CHECK_EQ(c->n_errors, 0);
		CHECK_EQ(c->n_inst, 2);
		/* glob order: a.conf before b.conf; positions name the included file */
		CHECK_STR(c->inst[0].name, "VI_1");
		CHECK(strstr(c->inst[0].pos.file, "/sub/a.conf") != NULL);
		CHECK_EQ(c->inst[0].pos.line, 2);
		CHECK_STR(c->inst[1].name, "B");
		CHECK(said("main.conf:5: warning: include"));
		CHECK(said("no file matches"));
		conf_free(c);
	}

	/* an include inside a block, and a loop */
	put("vips.inc", "198.51.100.7\n198.51.100.8\n");
	put("loop.conf", "include loop.conf\n" INST(" virtual_ipaddress {\n include vips.inc\n }\n"));
	c = load_file("loop.conf");
	CHECK(c != NULL);
	if (c) {
		CHECK_EQ(c->n_errors, 1);
		CHECK(said("loop.conf:1: include loop:"));
		CHECK_EQ(c->n_inst, 1);
		CHECK_EQ(c->inst[0].n_vips, 2);
		CHECK_EQ(c->inst[0].vips[1].pos.line, 2);
		conf_free(c);
	}

	/* the file itself missing: NULL and errno, as conf.h promises */
	errno = 0;
	CHECK(load_file("nonexistent.conf") == NULL);
	CHECK_EQ(errno, ENOENT);

	snprintf(p, sizeof(p), "rm -rf '%s'", tmpdir);
	CHECK_EQ(system(p), 0);
}

static void test_conditional(void)
{
	const char *text = INST(" @node1 priority 200\n @^node1 priority 50\n @node2 nopreempt\n"
				" virtual_ipaddress { 198.51.100.1 }\n");
	struct config *c = tconf_id(text, "node1");

	CHECK_EQ(c->inst[0].priority, 200);
	CHECK(!c->inst[0].nopreempt);
	conf_free(c);
	c = tconf_id(text, "node2");
	CHECK_EQ(c->inst[0].priority, 50);
	CHECK(c->inst[0].nopreempt);
	conf_free(c);
}

static void test_definitions(void)
{
	struct config *c = tconf("$IF=eth3\n$PRIO=120\n$VIPS=198.51.100.1 \\\n198.51.100.2\n\n"
				"vrrp_instance VI_1 {\n interface ${IF}\n virtual_router_id 9\n priority $PRIO\n"
				" virtual_ipaddress {\n  $VIPS\n }\n notify \"/bin/echo $HOME $IF,x\"\n}\n");

	CHECK_EQ(c->n_errors, 0);
	CHECK_STR(c->inst[0].ifname, "eth3");
	CHECK_EQ(c->inst[0].priority, 120);
	CHECK_EQ(c->inst[0].n_vips, 2);
	CHECK_EQ(c->inst[0].vips[1].addr.b[3], 2);
	/* undefined names stay; keepalived substitutes "$NAME" only before a blank, ',' or ')' */
	CHECK_STR(arg(&c->inst[0].notify, 1), "$HOME");
	CHECK_STR(arg(&c->inst[0].notify, 2), "eth3,x");
	conf_free(c);

	/* a multi-line definition expands to lines, only when alone on its line */
	c = tconf("$VIPS=virtual_ipaddress { \\\n  198.51.100.5 \\\n  198.51.100.6 \\\n}\n"
		 "$SCRIPT=a \\\nb\n" INST(" $VIPS\n notify_master \"/bin/echo $SCRIPT\"\n"));
	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->inst[0].n_vips, 2);
	CHECK_EQ(c->inst[0].vips[1].pos.line, 10);
	CHECK(c->inst[0].notify_master.argc == 2 && !strcmp(c->inst[0].notify_master.argv[1], "$SCRIPT"));
	conf_free(c);

	/* an undefined one is left as is, then is not a number */
	c = tconf(INST(" priority $NOPE\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK(said("t.conf:4: priority needs a number from 1 to 255, not '$NOPE'"));
	conf_free(c);

	/* a definition that uses itself cannot loop */
	c = tconf("$A=$A $A\n" INST(" priority $A\n"));
	CHECK(c->n_errors > 0);
	conf_free(c);
}

static void test_unknown(void)
{
	struct config *c = tconf("frobnicate 1 2\nlvs_stuff {\n a { b { c } }\n}\n"
				INST(" priorty 120\n use_vmac\n virtual_ipaddress { 198.51.100.1 }\n"
				     " mystery {\n  priority 7\n }\n")
				"global_defs {\n enable_snmp_vrrp\n vrrp_priority -5\n}\n");

	CHECK_EQ(c->n_errors, 0);
	CHECK(said("t.conf:1: warning: unknown keyword 'frobnicate'"));
	CHECK(said("t.conf:2: warning: unknown keyword 'lvs_stuff'"));
	CHECK(said("t.conf:8: warning: unknown keyword 'priorty' (did you mean 'priority'?)"));
	CHECK(said("t.conf:9: warning: 'use_vmac' is not supported yet; ignored"));
	CHECK(said("t.conf:11: warning: unknown keyword 'mystery'"));
	/* keepalived's, known, not done here */
	CHECK(said("t.conf:16: warning: 'enable_snmp_vrrp' is not supported yet; ignored"));
	CHECK(said("t.conf:17: warning: 'vrrp_priority' is not supported yet; ignored"));
	CHECK_EQ(c->inst[0].priority, 100);	/* the unknown block was skipped */
	CHECK_EQ(c->n_warnings, 7);
	conf_free(c);

	/* empty blocks OpenWrt writes; IPVS blocks read for their TCP_CHECKs */
	c = tconf("static_ipaddress {\n}\nstatic_routes {}\nvirtual_server 198.51.100.1 80 {\n real_server 198.51.100.2 80 {\n"
		 "  TCP_CHECK { connect_timeout 3 }\n }\n}\n" INST(" virtual_ipaddress {}\n virtual_ipaddress_excluded {\n }\n"));
	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->n_real_servers, 1);
	CHECK(c->n_real_servers == 1 && c->real_servers[0].has_check && c->real_servers[0].check.timeout_ms == 3000 &&
	      c->real_servers[0].check.port == 80 && c->real_servers[0].check.interval_ms == 60000);
	CHECK(said("warning: instance 'VI_1' has no virtual_ipaddress"));
	CHECK_EQ(c->n_warnings, 1);
	conf_free(c);
	c = tconf("static_routes {\n 198.51.100.0/24 via 198.51.100.1\n}\n");
	CHECK(said("t.conf:1: warning: 'static_routes' is not supported yet"));
	conf_free(c);
}

static void test_vips(void)
{
	struct config *c = tconf(INST(" virtual_ipaddress {\n"
				     "  198.51.100.10/24 brd + dev eth1 scope link label eth1:vip no_track\n"
				     "  198.51.100.11/24 brd - scope 200\n"
				     " }\n virtual_ipaddress_excluded {\n  2001:db8::5/64 -nodad\n  198.51.100.12\n }\n"));
	const struct conf_instance *in = &c->inst[0];
	char a[ADDR_STRLEN];

	CHECK_EQ(c->n_errors, CONFIG_IPV6 ? 0 : 1);	/* the excluded IPv6 address */
	CHECK_EQ(in->n_vips, 2);
	CHECK(in->vips[0].has_brd);
	CHECK_STR(addr_str(&in->vips[0].brd, a), "198.51.100.255");
	CHECK_STR(addr_str(&in->vips[1].brd, a), "198.51.100.0");
	CHECK_STR(in->vips[0].dev, "eth1");
	CHECK_STR(in->vips[0].label, "eth1:vip");
	CHECK_EQ(in->vips[0].scope, SCOPE_LINK);
	CHECK_EQ(in->vips[1].scope, SCOPE_SITE);
	CHECK(in->vips[0].no_track);
	CHECK(!in->vips[0].nodad);
	CHECK_EQ(in->n_vips_ex, CONFIG_IPV6 ? 2 : 1);
	if (CONFIG_IPV6) {
		CHECK_EQ(in->vips_ex[0].addr.fam, FAM_V6);
		CHECK(!in->vips_ex[0].nodad);
	}
	conf_free(c);

	c = tconf(INST(" virtual_ipaddress {\n  198.51.100.10 laber x\n  198.51.100.300\n  198.51.100.11 scope galaxy\n }\n"));
	CHECK(said("t.conf:5: unknown VIP option 'laber' (did you mean 'label'?)"));
	CHECK(said("t.conf:6: invalid address '198.51.100.300'"));
	CHECK(said("t.conf:7: scope must be global, site, link, host or nowhere, not 'galaxy'"));
	CHECK_EQ(c->n_errors, 3);
	conf_free(c);

	if (CONFIG_IPV6) {
		c = tconf(INST(" virtual_ipaddress {\n  198.51.100.1\n  2001:db8::1\n }\n"));
		CHECK(said("t.conf:6: VIP 2001:db8::1 is IPv6 but the first VIP (line 5) is IPv4"));
		conf_free(c);
		/* IPv6 VIPs make a v3 instance with the IPv6 group */
		c = tconf(INST(" virtual_ipaddress {\n  fe80::1\n  2001:db8::1/64\n }\n"));
		CHECK_EQ(c->n_errors, 0);
		CHECK_EQ(c->inst[0].family, FAM_V6);
		CHECK_EQ(c->inst[0].version, 3);
		CHECK_EQ(c->inst[0].vips[0].plen, 128);
		CHECK(c->inst[0].vips[0].nodad);
		CHECK_EQ(c->inst[0].mcast_group.b[0], 0xff);
		conf_free(c);
	} else {
		c = tconf(INST(" virtual_ipaddress {\n  2001:db8::1\n }\n"));
		CHECK(said("t.conf:5: IPv6 address '2001:db8::1' needs CONFIG_IPV6, which this build lacks"));
		conf_free(c);
	}
}

static void test_intervals(void)
{
	struct config *c = tconf(INST(" advert_int 0.5\n virtual_ipaddress { 198.51.100.1 }\n"));

	CHECK_EQ(c->inst[0].adv_cs, 100);
	CHECK(said("t.conf:4: warning: advert_int 0.5 rounded to 1: VRRPv2 counts in whole seconds"));
	conf_free(c);
	c = tconf(INST(" advert_int 256\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK(said("t.conf:4: advert_int 256 out of range: VRRPv2 allows 1 to 255 seconds"));
	conf_free(c);
	c = tconf(INST(" advert_int 0\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK(said("t.conf:4: advert_int 0 out of range"));
	conf_free(c);
	if (CONFIG_VRRP_V3) {
		c = tconf(INST(" version 3\n advert_int 0.125\n virtual_ipaddress { 198.51.100.1 }\n"));
		CHECK_EQ(c->n_errors, 0);
		CHECK_EQ(c->inst[0].version, 3);
		CHECK_EQ(c->inst[0].adv_cs, 13);
		CHECK(said("t.conf:5: warning: advert_int 0.125 rounded to 0.13"));
		conf_free(c);
		c = tconf(INST(" version 3\n advert_int 40.95\n virtual_ipaddress { 198.51.100.1 }\n"));
		CHECK_EQ(c->n_warnings + c->n_errors, 0);
		CHECK_EQ(c->inst[0].adv_cs, 4095);
		conf_free(c);
		c = tconf(INST(" version 3\n advert_int 41\n virtual_ipaddress { 198.51.100.1 }\n"));
		CHECK(said("t.conf:5: advert_int 41 out of range: VRRPv3 allows 0.01 to 40.95 seconds"));
		conf_free(c);
	} else {
		c = tconf(INST(" version 3\n virtual_ipaddress { 198.51.100.1 }\n"));
		CHECK(said("t.conf:4: 'version 3' needs CONFIG_VRRP_V3, which this build lacks"));
		conf_free(c);
		c = tconf("global_defs {\n vrrp_version 3\n}\n");
		CHECK(said("t.conf:2: 'vrrp_version 3' needs CONFIG_VRRP_V3, which this build lacks"));
		conf_free(c);
	}
}

static void test_scripts_and_notify(void)
{
	struct config *c = tconf("global_defs {\n script_user nobody nogroup\n}\n"
				"vrrp_script chk {\n script \"/usr/bin/pgrep -x 'my daemon'\" root\n interval 0.5\n"
				" weight -30 reverse\n rise 2\n fall 4\n init_fail\n}\n"
				"vrrp_script quiet {\n script /bin/true\n}\n"
				INST(" track_script {\n  chk\n  quiet weight 5 reverse\n }\n"
				     " track_interface {\n  eth1 weight -10\n  eth2\n }\n"
				     " notify_backup /bin/x\n virtual_ipaddress { 198.51.100.1 }\n"));
	const struct conf_script *s = &c->scripts[0];
	const struct conf_instance *in = &c->inst[0];

	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->n_warnings, 0);
	CHECK_STR(c->script_user, "nobody");
	CHECK_STR(c->script_group, "nogroup");
	CHECK_EQ(s->cmd.argc, 3);
	CHECK_STR(arg(&s->cmd, 2), "my daemon");
	CHECK_STR(s->cmd.user, "root");
	CHECK_EQ(s->interval_ms, 500);
	CHECK_EQ(s->timeout_ms, 500);
	CHECK_EQ(s->weight, -30);
	CHECK(s->reverse);
	CHECK_EQ(s->rise, 2);
	CHECK_EQ(s->fall, 4);
	CHECK(s->init_fail);
	CHECK_EQ(c->scripts[1].weight, 0);
	CHECK_EQ(c->scripts[1].interval_ms, 1000);
	CHECK_EQ(in->n_track_script, 2);
	CHECK(!in->track_script[0].has_weight);
	CHECK_EQ(in->track_script[0].weight, -30);	/* the script's own */
	CHECK(in->track_script[0].reverse);
	CHECK(in->track_script[1].has_weight);
	CHECK_EQ(in->track_script[1].weight, 5);
	CHECK_EQ(in->n_track_if, 2);
	CHECK_EQ(in->track_if[0].weight, -10);
	CHECK(!in->track_if[1].has_weight);
	CHECK_EQ(in->notify_backup.argc, 1);
	conf_free(c);

	c = tconf("vrrp_script chk_web {\n script /bin/true\n}\n"
		 INST(" track_script {\n  chk_wbe\n  chk_web\n }\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK(said("t.conf:8: track script 'chk_wbe' is not defined (no 'vrrp_script chk_wbe'); did you mean 'chk_web'?"));
	CHECK(said("t.conf:9: warning: track script 'chk_web' has weight 0: when it fails 'VI_1' goes to FAULT"));
	conf_free(c);
	c = tconf("vrrp_script a {\n interval 2\n}\nvrrp_script a {\n script /bin/true\n}\n");
	CHECK(said("t.conf:1: vrrp_script 'a' has no 'script' to run"));
	CHECK(said("t.conf:4: vrrp_script 'a' is defined twice"));
	conf_free(c);
}

static void test_checks(void)
{
	struct config *c;

	/* one VRID per interface and family; another family is another router */
	c = tconf(INST(" virtual_ipaddress { 198.51.100.1 }\n")
		 "vrrp_instance V6 {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress { fe80::1 }\n}\n"
		 "vrrp_instance other_link {\n interface eth1\n virtual_router_id 51\n virtual_ipaddress { 198.51.100.2 }\n}\n");
	/* without IPv6: the address; without VRRPv3 too: the IPv6 instance */
	CHECK_EQ(c->n_errors, CONFIG_IPV6 ? 0 : CONFIG_VRRP_V3 ? 1 : 2);
	conf_free(c);

	c = tconf(INST(" state master\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK(said("t.conf:4: state 'master' must be written in capitals: 'state MASTER'"));
	conf_free(c);
	c = tconf(INST(" state BACKUP\n priority 0\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK(said("t.conf:5: priority 0 out of range 1-255 (254 for non-owners)"));
	conf_free(c);
	c = tconf("vrrp_instance X {\n virtual_router_id 0\n}\n");
	CHECK(said("t.conf:1: instance 'X' has no 'interface'"));
	CHECK(said("t.conf:2: virtual_router_id 0 out of range 1-255"));
	conf_free(c);
	c = tconf("vrrp_instance X {\n interface eth0\n}\n");
	CHECK(said("t.conf:1: instance 'X' has no 'virtual_router_id'"));
	conf_free(c);

	/* keepalived ignores nopreempt unless state BACKUP */
	c = tconf(INST(" state MASTER\n priority 150\n nopreempt\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK_EQ(c->n_errors, 0);
	CHECK(!c->inst[0].nopreempt);
	CHECK(said("t.conf:6: warning: nopreempt needs 'state BACKUP'"));
	conf_free(c);

	/* auth_pass: 8 bytes */
	c = tconf(INST(" authentication {\n  auth_type PASS\n  auth_pass 0123456789\n }\n virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK_MEM(c->inst[0].auth_pass, "01234567", 8);
	CHECK(said("t.conf:6: warning: auth_pass is longer than 8 characters: only '01234567' is used"));
	conf_free(c);
	c = tconf(INST(" authentication {\n  auth_type pass\n }\n"));
	CHECK(said("t.conf:5: auth_type 'pass' must be written in capitals: 'auth_type PASS'"));
	conf_free(c);

	/* strict mode (PROTOCOL.md 10) */
	c = tconf("global_defs {\n vrrp_strict\n}\n"
		 INST(" priority 100\n authentication {\n  auth_type PASS\n  auth_pass x\n }\n"
		      " virtual_ipaddress { 198.51.100.1 }\n unicast_peer { 198.51.100.9 }\n"));
	CHECK_EQ(c->n_errors, 1);
	CHECK(said("t.conf:13: vrrp_strict (line 2) forbids unicast peers"));
	CHECK(said("t.conf:9: warning: strict mode forbids authentication"));
	CHECK(!c->inst[0].accept);
	CHECK(c->inst[0].lower_prio_no_advert);
	CHECK_EQ(c->inst[0].garp.lower_prio_repeat, 0);
	CHECK_EQ(c->inst[0].auth_type, AUTH_NONE);
	CHECK(c->inst[0].strict);
	conf_free(c);
	c = tconf(INST(" strict_mode\n priority 255\n"));
	CHECK(said("t.conf:1: instance 'VI_1' has no virtual_ipaddress; strict mode needs at least one"));
	conf_free(c);

	/* unicast peers, several per line, with TTL bounds */
	c = tconf(INST(" virtual_ipaddress { 198.51.100.1 }\n unicast_src_ip 198.51.100.2\n"
		      " unicast_peer {\n  198.51.100.3 min_ttl 250 198.51.100.4 max_ttl 255\n  198.51.100.5 max_ttl\n }\n"));
	CHECK_EQ(c->n_errors, 1);
	CHECK(said("t.conf:8: 'max_ttl' needs a value"));
	CHECK_EQ(c->inst[0].n_peers, 3);
	CHECK_EQ(c->inst[0].peers[0].min_ttl, 250);
	CHECK_EQ(c->inst[0].peers[1].max_ttl, 255);
	CHECK(c->inst[0].has_src);
	conf_free(c);

	/* sync groups */
	c = tconf("vrrp_sync_group G {\n group {\n  A\n  B\n  C\n }\n notify /bin/g\n}\n"
		 "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress { 198.51.100.1 }\n}\n"
		 "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n advert_int 2\n virtual_ipaddress { 198.51.100.2 }\n}\n");
	CHECK_EQ(c->n_errors, 1);
	CHECK(said("t.conf:5: sync group 'G': 'C' is not a vrrp_instance"));
	CHECK(said("t.conf:4: warning: sync group 'G': 'B' advertises every 2 s but 'A' every 1 s"));
	CHECK_EQ(c->groups[0].n_members, 3);
	CHECK_STR(arg(&c->groups[0].notify, 0), "/bin/g");
	CHECK(!c->groups[0].tracking_weight);
	conf_free(c);

	/* members keep their weights: sync_group_tracking_weight, or its old
	 * name global_tracking with keepalived's warning */
	c = tconf("vrrp_sync_group G {\n group {\n  A\n }\n sync_group_tracking_weight\n}\n"
		 "vrrp_sync_group H {\n group {\n  B\n }\n global_tracking\n}\n"
		 "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress { 198.51.100.1 }\n}\n"
		 "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n virtual_ipaddress { 198.51.100.2 }\n}\n");
	CHECK_EQ(c->n_errors, 0);
	CHECK(c->groups[0].tracking_weight && c->groups[1].tracking_weight);
	CHECK(said("t.conf:11: warning: 'global_tracking' is deprecated: read as sync_group_tracking_weight; "
		   "use track_interface/script/file on the sync group"));
	conf_free(c);
}

/* Nothing may crash or run away, whatever the input. */
static void test_limits(void)
{
	char *big = malloc(70000);
	struct config *c;
	int i;

	for (i = 0; i < 400; i += 2)
		memcpy(big + i, "a{", 2);
	strcpy(big + i, "\n");
	c = tconf(big);
	CHECK(said("blocks nested deeper than"));
	conf_free(c);
	memset(big, 'a', 69998);
	big[69998] = '\n';
	big[69999] = '\0';
	c = tconf(big);
	CHECK(said("t.conf:1: line longer than"));
	conf_free(c);
	c = tconf("\"\n'\n\\\n${\n$\n@\n@^\n$=\n$A=\n}}}{\n\x01\x7f\xff\n");
	CHECK(c != NULL);
	conf_free(c);
	free(big);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

static void corpus_file(const char *conf)
{
	struct conf_opts o = { .config_id = "node1", .diag = capture };
	char dumpf[256], *want, *got = NULL;
	size_t len = 0;
	struct config *c;
	FILE *m;

	said_len = 0;
	said_buf[0] = '\0';
	c = conf_load(conf, &o);
	CHECK(c != NULL);
	if (!c)
		return;
	/* A build without a feature refuses the files that use it, by name. */
	if ((!CONFIG_VRRP_V3 || !CONFIG_IPV6) && strstr(said_buf, "which this build lacks")) {
		CHECK(c->n_errors > 0);
		conf_free(c);
		return;
	}
	if (c->n_errors)
		fprintf(stderr, "%s: %s", conf, said_buf);
	CHECK_EQ(c->n_errors, 0);
	snprintf(dumpf, sizeof(dumpf), "%.*s.dump", (int)strlen(conf) - 5, conf);
	want = slurp(dumpf);
	m = open_memstream(&got, &len);
	conf_dump(c, m);
	fclose(m);
	CHECK(want != NULL);
	if (want && strcmp(want, got))
		fprintf(stderr, "%s: dump differs from %s\n", conf, dumpf);
	CHECK(want && !strcmp(want, got));
	free(want);
	free(got);
	conf_free(c);
}

static void test_corpus(void)
{
	const char *dir = "tests/conf/corpus";
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		char p[512];

		if (l > 5 && !strcmp(e->d_name + l - 5, ".conf")) {
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			corpus_file(p);
			n++;
		}
	}
	closedir(d);
	corpus_file("tests/conf/corpus/master-backup/keepalived.conf");
	CHECK(n >= 10);
}

static void test_bad(void)
{
	const char *dir = "tests/conf/bad";
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	while ((e = readdir(d))) {
		struct conf_opts o = { .config_id = "node1", .diag = capture };
		size_t l = strlen(e->d_name);
		char p[512], *want;
		struct config *c;

		if (l <= 5 || strcmp(e->d_name + l - 5, ".conf"))
			continue;
		n++;
		snprintf(p, sizeof(p), "%s/%.*s.expect", dir, (int)l - 5, e->d_name);
		want = slurp(p);
		CHECK(want != NULL);
		if (!want)
			continue;
		want[strcspn(want, "\n")] = '\0';
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		said_len = 0;
		said_buf[0] = '\0';
		c = conf_load(p, &o);
		CHECK(c != NULL);
		if (c) {
			CHECK(c->n_errors > 0);
			if ((!CONFIG_VRRP_V3 || !CONFIG_IPV6) && strstr(said_buf, "which this build lacks"))
				CHECK(1);	/* refused for the missing feature instead */
			else
				CHECK(said(want));
		}
		conf_free(c);
		free(want);
	}
	closedir(d);
	CHECK(n >= 15);
}

/* Settings that are read but change nothing say so, at their line. */
static void test_unapplied(void)
{
	struct config *c = tconf("global_defs {\n vrrp_garp_interval 0.001\n vrrp_gna_interval 0\n"
				 " vrrp_higher_prio_send_advert\n}\n"
				 "vrrp_instance A {\n interface eth0\n virtual_router_id 5\n priority 100\n"
				 " no_accept\n accept\n higher_prio_send_advert false\n garp_lower_prio_delay 2\n"
				 " virtual_ipaddress {\n  198.51.100.5/24\n }\n}\n");

	CHECK(c && c->n_errors == 0);
	CHECK(said("t.conf:2: warning: 'vrrp_garp_interval' is read but has no effect"));
	CHECK(said("t.conf:10: warning: 'no_accept' is read but has no effect"));
	CHECK(said("t.conf:13: warning: 'garp_lower_prio_delay' is read but has no effect"));
	/* values that change nothing are not worth a line: 0, accept, false;
	 * higher_prio_send_advert is done */
	CHECK(!strstr(said_buf, "t.conf:3:") && !strstr(said_buf, "t.conf:11:") &&
	      !strstr(said_buf, "t.conf:12:") && !strstr(said_buf, "t.conf:4:"));
	CHECK_EQ(c->n_warnings, 3);
	CHECK(c->n_inst == 1 && !c->inst[0].higher_prio_send_advert);	/* the instance says false */
	conf_free(c);
	c = tconf("global_defs {\n vrrp_higher_prio_send_advert\n}\n" INST(" virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK(c->n_inst == 1 && c->inst[0].higher_prio_send_advert);	/* the global one */
	conf_free(c);
	c = tconf("global_defs {\n vrrp_strict\n vrrp_higher_prio_send_advert\n}\n"
		  INST(" virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK(c->n_inst == 1 && !c->inst[0].higher_prio_send_advert);	/* strict forbids it */
	conf_free(c);
}

/* A sync group's trackers go to each member, weights and all (keepalived
 * 2.2.7); an unknown name there is one error, not one per member. */
static void test_group_trackers(void)
{
	struct config *c = tconf("vrrp_script chk {\n script /bin/true\n}\n"
				 "vrrp_sync_group G {\n group {\n  A\n  B\n }\n"
				 " track_script {\n  chk weight 5\n  nosuch\n }\n track_interface {\n  eth9\n }\n}\n"
				 "vrrp_instance A {\n interface eth0\n virtual_router_id 5\n priority 100\n"
				 " virtual_ipaddress {\n  198.51.100.5/24\n }\n}\n"
				 "vrrp_instance B {\n interface eth0\n virtual_router_id 6\n priority 100\n"
				 " virtual_ipaddress {\n  198.51.100.6/24\n }\n}\n");

	CHECK(c != NULL);
	CHECK_EQ(c->n_errors, 1);
	CHECK(said("t.conf:11: track script 'nosuch' is not defined"));
	for (int i = 0; i < c->n_inst; i++) {
		const struct conf_instance *in = &c->inst[i];

		CHECK_EQ(in->n_track_if, 1);
		CHECK(in->n_track_if == 1 && !strcmp(in->track_if[0].name, "eth9") && in->track_if[0].from_group);
		CHECK(in->n_track_script >= 1 && !strcmp(in->track_script[0].name, "chk") &&
		      in->track_script[0].weight == 5 && in->track_script[0].from_group);
	}
	conf_free(c);
}

int main(void)
{
	test_defaults();
	test_comments();
	test_braces();
	test_quotes();
	test_include();
	test_conditional();
	test_definitions();
	test_unknown();
	test_vips();
	test_intervals();
	test_scripts_and_notify();
	test_checks();
	test_limits();
	test_corpus();
	test_bad();
	test_unapplied();
	test_group_trackers();
	return t_done("conf");
}
