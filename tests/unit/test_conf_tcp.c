/* SPDX-License-Identifier: MIT */
/* The config side of TCP checks: vrrp_tcp_check blocks, their one namespace
 * with vrrp_script in track_script, and keepalived's virtual_server /
 * real_server / TCP_CHECK blocks with their inherited timers. */
#include "conf.h"
#include "t.h"
#include "t_conf.h"


#define INST(body) "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n" \
	" virtual_ipaddress { 198.51.100.1 }\n" body "}\n"

static void test_vrrp_tcp_check(void)
{
	struct config *c = tconf("vrrp_tcp_check web {\n connect_ip 198.51.100.7\n connect_port 80\n"
				" bindto 198.51.100.1\n connect_timeout 0.5\n interval 2\n fall 3\n rise 2\n"
				" weight -20 reverse\n}\n"
				"vrrp_script sh {\n script /bin/true\n weight 5\n}\n"
				INST(" track_script {\n  sh\n  web\n }\n"));
	const struct conf_tcp_check *k = &c->tcp_checks[0];
	const struct conf_instance *in = &c->inst[0];

	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->n_tcp_checks, 1);
	CHECK_STR(k->name, "web");
	CHECK_EQ(k->ip.fam, FAM_V4);
	CHECK_EQ(k->port, 80);
	CHECK_EQ(k->bindto.fam, FAM_V4);
	CHECK_EQ(k->timeout_ms, 500);
	CHECK_EQ(k->interval_ms, 2000);
	CHECK_EQ(k->fall, 3);
	CHECK_EQ(k->rise, 2);
	CHECK_EQ(k->weight, -20);
	CHECK(k->reverse);
	/* one namespace: the script stays in track_script, the check moves */
	CHECK_EQ(in->n_track_script, 1);
	CHECK_STR(in->track_script[0].name, "sh");
	CHECK_EQ(in->track_script[0].weight, 5);
	CHECK_EQ(in->n_track_tcp, 1);
	CHECK_STR(in->track_tcp[0].name, "web");
	CHECK_EQ(in->track_tcp[0].weight, -20);
	CHECK(in->track_tcp[0].reverse);
	conf_free(c);

	/* defaults; the entry's weight wins; weight 0 means FAULT and is said */
	c = tconf("vrrp_tcp_check a { connect_ip 2001:db8::7 connect_port 443 }\n"
		 "vrrp_tcp_check b { connect_ip 198.51.100.7 connect_port 22 }\n"
		 INST(" track_script {\n  a weight 10\n  b\n }\n"));
	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->tcp_checks[0].ip.fam, FAM_V6);
	CHECK_EQ(c->tcp_checks[0].timeout_ms, 5000);
	CHECK_EQ(c->tcp_checks[0].interval_ms, 1000);
	CHECK_EQ(c->tcp_checks[0].rise, 1);
	CHECK_EQ(c->tcp_checks[0].fall, 1);
	CHECK_EQ(c->tcp_checks[0].weight, 0);
	CHECK_EQ(c->inst[0].n_track_tcp, 2);
	CHECK_EQ(c->inst[0].track_tcp[0].weight, 10);
	CHECK_EQ(c->inst[0].n_track_script, 0);
	CHECK(said("t.conf:9: warning: tcp check 'b' has weight 0"));
	conf_free(c);
}

static void test_errors(void)
{
	struct config *c = tconf("vrrp_tcp_check a { connect_port 80 }\n"
				"vrrp_tcp_check b { connect_ip 198.51.100.7 }\n"
				"vrrp_tcp_check c { connect_ip fe80::1 connect_port 80 }\n"
				"vrrp_tcp_check d { connect_ip 198.51.100.7 connect_port 80 bindto 2001:db8::1 }\n"
				"vrrp_tcp_check d { connect_ip 198.51.100.7 connect_port 81 }\n"
				"vrrp_script e { script /bin/true }\n"
				"vrrp_tcp_check e { connect_ip 198.51.100.7 connect_port 80 }\n"
				"vrrp_tcp_check f { connect_ip 198.51.100.7 connect_port 70000 }\n"
				"vrrp_tcp_check g { connect_ip fe80::1 connect_port 80 bind_if eth0 interval 0 }\n"
				INST(" track_script {\n  g\n  webb\n }\n")
				"vrrp_tcp_check webb2 { connect_ip 198.51.100.7 connect_port 80 }\n");

	CHECK(said("t.conf:1: vrrp_tcp_check 'a' has no 'connect_ip'"));
	CHECK(said("t.conf:2: vrrp_tcp_check 'b' has no 'connect_port'"));
	CHECK(said("t.conf:3: vrrp_tcp_check 'c': link-local connect_ip fe80::1 needs 'bind_if IFNAME'"));
	CHECK(said("t.conf:4: vrrp_tcp_check 'd': bindto 2001:db8::1 and connect_ip are of different families"));
	CHECK(said("t.conf:5: vrrp_tcp_check 'd' is defined twice"));
	CHECK(said("t.conf:7: 'e' is both a vrrp_script (line 6) and a vrrp_tcp_check"));
	CHECK(said("t.conf:8: 'connect_port' needs a whole number from 1 to 65535, not '70000'"));
	CHECK(said("t.conf:9: vrrp_tcp_check 'g': interval must be above 0"));
	/* an unknown name: the suggestion may be a tcp check */
	CHECK(said("track script 'webb' is not defined (no 'vrrp_script webb'); did you mean 'webb2'?"));
	CHECK_EQ(c->n_errors, 10);	/* f: the bad port, then no port */
	conf_free(c);
}

static void test_lvs(void)
{
	struct config *c = tconf(
		"virtual_server 198.51.100.100 80 {\n"		/* 1 */
		" lb_algo rr\n lb_kind DR\n protocol TCP\n persistence_timeout 50\n"
		" sorry_server 198.51.100.9 80\n"
		" real_server 198.51.100.7 80 {\n"		/* 7 */
		"  weight 3\n"
		"  notify_up \"/bin/up 7\"\n"
		"  notify_down /bin/down\n"
		"  TCP_CHECK {\n   connect_timeout 3\n   nb_get_retry 4\n   delay_before_retry 2\n   connect_port 8080\n  }\n"
		" }\n"
		" real_server 198.51.100.8 81 {\n"		/* 18 */
		"  delay_before_retry 0.5\n"
		"  HTTP_GET { url { path / } }\n"		/* 20 */
		"  TCP_CHECK { }\n"
		"  TCP_CHECK { connect_port 1 }\n"		/* 22 */
		" }\n"
		" real_server 198.51.100.10 82 {\n  MISC_CHECK { misc_path /bin/true }\n }\n"
		" delay_loop 6\n retry 2\n"			/* 27: after the real servers */
		"}\n"
		"virtual_server fwmark 7 {\n real_server 2001:db8::7 443 {\n  TCP_CHECK { bindto 2001:db8::1 }\n }\n}\n");
	const struct conf_real_server *rs = c->real_servers;

	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->n_real_servers, 4);
	if (c->n_real_servers != 4) {
		conf_free(c);
		return;
	}
	CHECK_EQ(rs[0].weight, 3);
	CHECK_EQ(rs[0].vs_port, 80);
	CHECK_EQ(rs[0].port, 80);
	CHECK(rs[0].has_check);
	CHECK_EQ(rs[0].check.port, 8080);
	CHECK_EQ(rs[0].check.ip.b[3], 7);	/* connect_ip defaults to the server */
	CHECK_EQ(rs[0].check.timeout_ms, 3000);
	CHECK_EQ(rs[0].check.retry, 4);		/* nb_get_retry taken as retry */
	CHECK_EQ(rs[0].check.retry_delay_ms, 2000);
	CHECK_EQ(rs[0].check.interval_ms, 6000);	/* delay_loop written later, in the VS */
	CHECK_EQ(rs[0].notify_up.argc, 2);
	CHECK_STR(rs[0].notify_down.argv[0], "/bin/down");
	CHECK(said("t.conf:13: warning: 'nb_get_retry' is the old HTTP_GET name of 'retry'"));
	/* the real_server's own timer, the VS's retry, defaults for the rest */
	CHECK(rs[1].has_check);
	CHECK_EQ(rs[1].check.port, 81);
	CHECK_EQ(rs[1].check.retry_delay_ms, 500);
	CHECK_EQ(rs[1].check.retry, 2);
	CHECK_EQ(rs[1].check.timeout_ms, 5000);
	CHECK(said("t.conf:20: warning: 'HTTP_GET' checker is not run by this build"));
	CHECK(said("t.conf:22: warning: real_server already has a TCP_CHECK (line 21)"));
	CHECK(!rs[2].has_check);
	CHECK(said("t.conf:25: warning: 'MISC_CHECK' checker is not run"));
	/* fwmark: no VS address; keepalived's defaults */
	CHECK_EQ(rs[3].vs_addr.fam, FAM_NONE);
	CHECK_EQ(rs[3].check.ip.fam, FAM_V6);
	CHECK_EQ(rs[3].check.interval_ms, 60000);
	CHECK_EQ(rs[3].check.retry, 1);
	CHECK_EQ(rs[3].check.retry_delay_ms, 1000);
	CHECK_EQ(c->n_warnings, 4);
	conf_free(c);
}

int main(void)
{
	/* LVS blocks are read by every build (same dumps), run only by some.
	 * The samples hold IPv6 addresses, which a build without CONFIG_IPV6
	 * refuses (checked below and in test_conf). */
	if (CONFIG_IPV6)
		test_lvs();
	if (!CONFIG_TCP_CHECK) {
		struct config *c = tconf("vrrp_tcp_check a { connect_ip 198.51.100.7 connect_port 80 }\n");

		CHECK(said("t.conf:1: 'vrrp_tcp_check' needs CONFIG_TCP_CHECK, which this build lacks"));
		CHECK_EQ(c->n_errors, 1);
		conf_free(c);
		return t_done("conf_tcp");
	}
	if (!CONFIG_IPV6) {
		struct config *c = tconf("vrrp_tcp_check a { connect_ip 2001:db8::7 connect_port 80 }\n");

		CHECK(said("t.conf:1: IPv6 address '2001:db8::7' needs CONFIG_IPV6, which this build lacks"));
		CHECK(c->n_errors > 0);
		conf_free(c);
		return t_done("conf_tcp");
	}
	test_vrrp_tcp_check();
	test_errors();
	return t_done("conf_tcp");
}
