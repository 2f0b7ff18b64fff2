/* SPDX-License-Identifier: MIT */
/* The VRRP state machine against a fake clock: every row of RFC 5798
 * 6.4.1-6.4.3, the timer arithmetic, keepalived's knobs (state MASTER,
 * nopreempt, preempt_delay, lower_prio_no_advert, owners processing adverts),
 * and a small simulated LAN that checks elections and failover times. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "vrrp.h"

#define MS 1000LL
#define S 1000000LL

static struct vaddr A(const char *s)
{
	struct vaddr a;

	if (addr_parse(s, &a) != 0) {
		fprintf(stderr, "bad test address %s\n", s);
		memset(&a, 0, sizeof(a));
	}
	return a;
}

/* RFC defaults: preempt on, multiplier 3, nothing else. */
static struct vrrp_params P(uint8_t version, uint8_t prio, uint16_t adv_cs)
{
	struct vrrp_params p = {
		.version = version, .prio = prio, .adv_cs = adv_cs,
		.preempt = true, .down_timer_adverts = 3,
	};
	return p;
}

static void start(struct vrrp_sm *sm, struct vrrp_params p, const char *self, int64_t now,
		  struct vrrp_out *o)
{
	struct vaddr a = A(self);

	vrrp_init(sm, &p, &a);
	vrrp_start(sm, now, o);
}

/* An advert of the machine's own version from src. */
static void rx(struct vrrp_sm *sm, uint8_t prio, uint16_t intv_cs, const char *src, int64_t now,
	       struct vrrp_out *o)
{
	struct vaddr a = A(src);
	struct vrrp_adv adv = {
		.version = sm->p.version, .type = 1, .vrid = 1, .prio = prio,
		.intv_cs = intv_cs, .fam = a.fam,
	};

	vrrp_recv(sm, &adv, &a, now, o);
}

/* Fire every deadline up to and including until, as the event loop would.
 * Returns when the machine last became MASTER, or -1. */
static int64_t run_until(struct vrrp_sm *sm, int64_t until)
{
	struct vrrp_out o;
	int64_t became = -1;

	for (int i = 0; i < 100000 && vrrp_next_due(sm) <= until; i++) {
		int64_t t = vrrp_next_due(sm);

		vrrp_tick(sm, t, &o);
		if (o.from != VRRP_MASTER && o.to == VRRP_MASTER)
			became = t;
	}
	return became;
}

/* A non-owner alone on its LAN: starts as a backup at 0 and is master once
 * its Master_Down_Timer has fired. */
static void make_master(struct vrrp_sm *sm, struct vrrp_params p, const char *self)
{
	struct vrrp_out o;

	start(sm, p, self, 0, &o);
	run_until(sm, 10 * S);
}

static void test_timers(void)
{
	/* Expected values worked out by hand from RFC 5798 6.1. */
	static const struct { uint8_t ver, prio; uint16_t cs; int64_t skew, down; } rows[] = {
		{ 2, 1, 100, 996093, 3996093 },
		{ 2, 100, 100, 609375, 3609375 },	/* PROTOCOL.md: 3.609 s */
		{ 2, 200, 100, 218750, 3218750 },	/* PROTOCOL.md: 3.219 s */
		{ 2, 254, 100, 7812, 3007812 },
		{ 2, 255, 100, 3906, 3003906 },
		{ 2, 100, 200, 1218750, 7218750 },
		{ 3, 1, 100, 996093, 3996093 },
		{ 3, 100, 100, 609375, 3609375 },
		{ 3, 100, 50, 304687, 1804687 },
		{ 3, 254, 50, 3906, 1503906 },
		{ 3, 255, 50, 1953, 1501953 },
		{ 3, 100, 1, 6093, 36093 },
		{ 3, 1, 4095, 40790039, 163640039 },	/* largest: no overflow */
		{ 3, 254, 4095, 319921, 123169921 },
		{ 3, 255, 4095, 159960, 123009960 },
	};
	struct vrrp_sm sm;
	struct vrrp_out o;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		start(&sm, P(rows[i].ver, rows[i].prio, rows[i].cs), "198.51.100.10", 7 * S, &o);
		CHECK_EQ(vrrp_skew_us(&sm), rows[i].skew);
		CHECK_EQ(vrrp_master_down_us(&sm), rows[i].down);
		if (rows[i].prio < 255)
			CHECK_EQ(sm.down_at, 7 * S + rows[i].down);
	}

	/* keepalived's down_timer_adverts replaces the 3. */
	struct vrrp_params p = P(2, 100, 100);
	p.down_timer_adverts = 5;
	start(&sm, p, "198.51.100.10", 0, &o);
	CHECK_EQ(vrrp_master_down_us(&sm), 5 * S + 609375);
	CHECK_EQ(sm.down_at, 5 * S + 609375);
	p.down_timer_adverts = 1;
	start(&sm, p, "198.51.100.10", 0, &o);
	CHECK_EQ(vrrp_master_down_us(&sm), 1 * S + 609375);

	/* The skew follows the effective priority... */
	start(&sm, P(2, 100, 100), "198.51.100.10", 0, &o);
	vrrp_set_prio(&sm, 200, 0, &o);
	CHECK_EQ(vrrp_skew_us(&sm), 218750);
	/* ...but an owner always counts as 255. */
	start(&sm, P(2, 255, 100), "198.51.100.10", 0, &o);
	vrrp_set_prio(&sm, 100, 0, &o);
	CHECK_EQ(vrrp_skew_us(&sm), 3906);
}

static void test_learned_interval(void)
{
	struct vrrp_sm sm;
	struct vrrp_out o;

	/* RFC 5798 6.4.2: a v3 backup times the master by the master's interval. */
	start(&sm, P(3, 100, 100), "198.51.100.10", 0, &o);
	rx(&sm, 200, 50, "198.51.100.20", 1 * S, &o);
	CHECK_EQ(sm.master_adv_cs, 50);
	CHECK_EQ(vrrp_skew_us(&sm), 304687);
	CHECK_EQ(sm.down_at, 1 * S + 1804687);
	CHECK_EQ(vrrp_adv_cs(&sm), 100);	/* our own adverts keep ours */
	rx(&sm, 200, 4095, "198.51.100.20", 2 * S, &o);
	CHECK_EQ(sm.down_at, 2 * S + 147803906);
	rx(&sm, 200, 0, "198.51.100.20", 3 * S, &o);	/* no interval: keep the last */
	CHECK_EQ(sm.master_adv_cs, 4095);

	/* A master uses its own interval again. */
	rx(&sm, 200, 50, "198.51.100.20", 4 * S, &o);
	CHECK_EQ(run_until(&sm, 4 * S + 1804687), 4 * S + 1804687);
	CHECK_EQ(sm.state, VRRP_MASTER);
	CHECK_EQ(vrrp_skew_us(&sm), 609375);
	CHECK_EQ(sm.adver_at, 4 * S + 1804687 + 1 * S);

	/* A master yielding learns the winner's interval too. */
	rx(&sm, 200, 50, "198.51.100.20", 20 * S, &o);
	CHECK_EQ(o.to, VRRP_BACKUP);
	CHECK_EQ(sm.down_at, 20 * S + 1804687);

	/* v2 (RFC 3768) learns nothing: the configured interval rules. */
	start(&sm, P(2, 100, 100), "198.51.100.10", 0, &o);
	rx(&sm, 200, 200, "198.51.100.20", 1 * S, &o);
	CHECK_EQ(sm.down_at, 1 * S + 3609375);
}

static void test_startup(void)
{
	struct vrrp_sm sm;
	struct vrrp_out o;

	/* Before start nothing runs. */
	struct vrrp_params p = P(3, 100, 100);
	struct vaddr self = A("198.51.100.10");
	vrrp_init(&sm, &p, &self);
	CHECK_EQ(sm.state, VRRP_INIT);
	CHECK_EQ(vrrp_next_due(&sm), TIME_NEVER);
	CHECK_EQ(sm.preempt_at, TIME_NEVER);
	CHECK_EQ(sm.master.fam, FAM_NONE);
	vrrp_tick(&sm, 100 * S, &o);
	CHECK_EQ(o.acts, 0);
	rx(&sm, 200, 100, "198.51.100.20", 100 * S, &o);
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(o.to, VRRP_INIT);

	/* RFC 5798 6.4.1: the owner becomes master at once. */
	start(&sm, P(3, 255, 100), "198.51.100.10", 5 * S, &o);
	CHECK_EQ(o.from, VRRP_INIT);
	CHECK_EQ(o.to, VRRP_MASTER);
	CHECK_EQ(o.acts, ACT_ADD_VIPS | ACT_SEND_ADVERT | ACT_ANNOUNCE);
	CHECK_EQ(o.note, NOTE_INIT);
	CHECK_EQ(sm.adver_at, 6 * S);
	CHECK_EQ(sm.down_at, TIME_NEVER);
	CHECK_EQ(vrrp_next_due(&sm), 6 * S);

	/* Everyone else waits as a backup for Master_Down_Interval. */
	start(&sm, P(3, 100, 100), "198.51.100.10", 5 * S, &o);
	CHECK_EQ(o.to, VRRP_BACKUP);
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(o.note, NOTE_INIT);
	CHECK_EQ(sm.down_at, 5 * S + 3609375);
	CHECK_EQ(sm.adver_at, TIME_NEVER);
	CHECK_EQ(vrrp_next_due(&sm), 5 * S + 3609375);
	/* A second start changes nothing. */
	vrrp_start(&sm, 6 * S, &o);
	CHECK_EQ(o.from, VRRP_BACKUP);
	CHECK_EQ(o.to, VRRP_BACKUP);
	CHECK_EQ(o.note, NOTE_NONE);
	CHECK_EQ(sm.down_at, 5 * S + 3609375);

	/* A master heard re-arms the full interval (v3: the master's). */
	p = P(3, 100, 50);
	start(&sm, p, "198.51.100.10", 0, &o);
	CHECK_EQ(sm.down_at, 1804687);
	rx(&sm, 200, 50, "198.51.100.20", 100 * MS, &o);
	CHECK_EQ(sm.down_at, 100 * MS + 1804687);
}

static void test_backup(void)
{
	struct vrrp_sm sm;
	struct vrrp_out o;

	start(&sm, P(3, 100, 100), "198.51.100.10", 0, &o);

	/* Priority 0: the master leaves; wait Skew_Time only. */
	rx(&sm, 0, 100, "198.51.100.20", 1 * S, &o);
	CHECK_EQ(o.to, VRRP_BACKUP);
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(o.note, NOTE_PRIO0_BACKUP);
	CHECK_EQ(o.rx_prio, 0);
	CHECK_EQ(sm.down_at, 1 * S + 609375);

	/* Higher priority: follow it. */
	rx(&sm, 200, 100, "198.51.100.20", 2 * S, &o);
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(o.note, NOTE_NONE);
	CHECK_EQ(o.rx_prio, 200);
	CHECK_EQ(o.from, VRRP_BACKUP);
	CHECK_EQ(o.to, VRRP_BACKUP);
	CHECK_EQ(sm.down_at, 2 * S + 3609375);
	struct vaddr m = A("198.51.100.20");
	CHECK(addr_eq(&sm.master, &m));
	CHECK_EQ(sm.master_prio, 200);

	/* A different master is noted. */
	rx(&sm, 150, 100, "198.51.100.21", 3 * S, &o);
	CHECK_EQ(o.note, NOTE_MASTER_CHANGED);
	CHECK_EQ(sm.master_prio, 150);

	/* Equal priority is accepted, even from a lower address: the
	 * tie-break is for masters only. */
	rx(&sm, 100, 100, "198.51.100.5", 4 * S, &o);
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(sm.down_at, 4 * S + 3609375);

	/* Lower priority with preempt: discarded, the timer runs out and we
	 * take over. */
	rx(&sm, 50, 100, "198.51.100.20", 5 * S, &o);
	CHECK_EQ(o.note, NOTE_DISCARD_LOWER);
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(sm.down_at, 4 * S + 3609375);
	CHECK_EQ(sm.master_prio, 100);

	/* Master_Down_Timer fires: not a microsecond early. */
	vrrp_tick(&sm, 4 * S + 3609374, &o);
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(o.to, VRRP_BACKUP);
	vrrp_tick(&sm, 4 * S + 3609375, &o);
	CHECK_EQ(o.from, VRRP_BACKUP);
	CHECK_EQ(o.to, VRRP_MASTER);
	CHECK_EQ(o.acts, ACT_ADD_VIPS | ACT_SEND_ADVERT | ACT_ANNOUNCE);
	CHECK_EQ(o.note, NOTE_DOWN_TIMEOUT);
	CHECK_EQ(sm.adver_at, 5 * S + 3609375);
	CHECK_EQ(sm.down_at, TIME_NEVER);
	CHECK_EQ(sm.master.fam, FAM_NONE);	/* we are the master now */

	/* Preempt off: a lower master is followed like any other. */
	struct vrrp_params p = P(3, 100, 100);
	p.preempt = false;
	start(&sm, p, "198.51.100.10", 0, &o);
	rx(&sm, 50, 100, "198.51.100.20", 1 * S, &o);
	CHECK_EQ(o.note, NOTE_NONE);
	CHECK_EQ(sm.down_at, 1 * S + 3609375);
	CHECK_EQ(sm.master_prio, 50);

	/* A late tick still fires, and times the next advert from now. */
	vrrp_tick(&sm, 9 * S, &o);
	CHECK_EQ(o.to, VRRP_MASTER);
	CHECK_EQ(sm.adver_at, 10 * S);
}

static void test_master(void)
{
	struct vrrp_sm sm;
	struct vrrp_out o;

	make_master(&sm, P(3, 100, 100), "198.51.100.10");
	CHECK_EQ(sm.state, VRRP_MASTER);
	int64_t t = sm.adver_at;

	/* Adver_Timer: an advert per interval, nothing in between. */
	vrrp_tick(&sm, t - 1, &o);
	CHECK_EQ(o.acts, 0);
	vrrp_tick(&sm, t, &o);
	CHECK_EQ(o.acts, ACT_SEND_ADVERT);
	CHECK_EQ(o.to, VRRP_MASTER);
	CHECK_EQ(o.note, NOTE_NONE);
	CHECK_EQ(sm.adver_at, t + 1 * S);
	vrrp_tick(&sm, t + 1 * S + 300 * MS, &o);	/* late: one advert, no burst */
	CHECK_EQ(o.acts, ACT_SEND_ADVERT);
	CHECK_EQ(sm.adver_at, t + 2 * S + 300 * MS);
	t = t + 2 * S;

	/* Priority 0: answer at once. */
	rx(&sm, 0, 100, "198.51.100.20", t, &o);
	CHECK_EQ(o.acts, ACT_SEND_ADVERT);
	CHECK_EQ(o.note, NOTE_PRIO0_MASTER);
	CHECK_EQ(o.to, VRRP_MASTER);
	CHECK_EQ(sm.adver_at, t + 1 * S);

	/* Lower priority: keepalived forces a new election. */
	rx(&sm, 50, 100, "198.51.100.20", t + 100 * MS, &o);
	CHECK_EQ(o.acts, ACT_SEND_ADVERT | ACT_ANNOUNCE_LOWER);
	CHECK_EQ(o.note, NOTE_LOWER_PRIO);
	CHECK_EQ(o.rx_prio, 50);
	CHECK_EQ(o.to, VRRP_MASTER);
	CHECK_EQ(sm.adver_at, t + 1100 * MS);

	/* Our own advert looped back is ignored. */
	rx(&sm, 100, 100, "198.51.100.10", t + 200 * MS, &o);
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(o.to, VRRP_MASTER);

	/* Higher priority: yield. */
	rx(&sm, 200, 100, "198.51.100.20", t + 500 * MS, &o);
	CHECK_EQ(o.from, VRRP_MASTER);
	CHECK_EQ(o.to, VRRP_BACKUP);
	CHECK_EQ(o.acts, ACT_DEL_VIPS);
	CHECK_EQ(o.note, NOTE_HIGHER_PRIO);
	CHECK_EQ(sm.adver_at, TIME_NEVER);
	CHECK_EQ(sm.down_at, t + 500 * MS + 3609375);
	struct vaddr m = A("198.51.100.20");
	CHECK(addr_eq(&sm.master, &m));
	CHECK_EQ(sm.master_prio, 200);

	/* higher_prio_send_advert: one advert on the way out */
	struct vrrp_params p = P(3, 100, 100);
	p.higher_prio_send_advert = true;
	make_master(&sm, p, "198.51.100.10");
	t = sm.adver_at;
	rx(&sm, 200, 100, "198.51.100.20", t - 1, &o);
	CHECK_EQ(o.to, VRRP_BACKUP);
	CHECK_EQ(o.acts, ACT_DEL_VIPS | ACT_SEND_ADVERT);
	CHECK_EQ(sm.adver_at, TIME_NEVER);
	make_master(&sm, p, "198.51.100.10");	/* the address tie-break too */
	rx(&sm, 100, 100, "198.51.100.20", sm.adver_at - 1, &o);
	CHECK_EQ(o.acts, ACT_DEL_VIPS | ACT_SEND_ADVERT);

	/* RFC 5798 6.4.3 without keepalived's re-assertion: no advert, but
	 * keepalived's garp_lower_prio_repeat GARPs all the same. */
	p = P(3, 100, 100);
	p.lower_prio_no_advert = true;
	make_master(&sm, p, "198.51.100.10");
	t = sm.adver_at;
	rx(&sm, 50, 100, "198.51.100.20", t - 1, &o);
	CHECK_EQ(o.acts, ACT_ANNOUNCE_LOWER);
	CHECK_EQ(o.to, VRRP_MASTER);
	CHECK_EQ(sm.adver_at, t);
}

/* RFC 5798 6.4.3: equal priority, the higher primary address wins, compared
 * as unsigned big-endian bytes (rows chosen so signed or little-endian
 * compares would get them wrong). */
static void test_tie_break(void)
{
	static const struct { const char *self, *src; bool yield; } rows[] = {
		{ "198.51.100.10", "198.51.100.200", true },
		{ "198.51.100.200", "198.51.100.10", false },
		{ "198.18.0.255", "198.18.1.0", true },
		{ "198.18.1.0", "198.18.0.255", false },
		{ "fe80::1:0", "fe80::ff", false },
		{ "fe80::ff", "fe80::1:0", true },
		{ "fe80::7f", "fe80::80", true },
		{ "2001:db8::8000", "2001:db8::7fff", false },
	};
	struct vrrp_sm sm;
	struct vrrp_out o;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		make_master(&sm, P(3, 100, 100), rows[i].self);
		rx(&sm, 100, 100, rows[i].src, 20 * S, &o);
		if (rows[i].yield) {
			CHECK_EQ(o.to, VRRP_BACKUP);
			CHECK_EQ(o.acts, ACT_DEL_VIPS);
			CHECK_EQ(o.note, NOTE_SAME_PRIO_HIGHER_ADDR);
		} else {
			CHECK_EQ(o.to, VRRP_MASTER);
			CHECK_EQ(o.acts, ACT_SEND_ADVERT | ACT_ANNOUNCE_LOWER);
			CHECK_EQ(o.note, NOTE_LOWER_PRIO);
		}
	}
}

/* keepalived's owner processes adverts: two owners settle by address. */
static void test_two_owners(void)
{
	struct vrrp_sm a, b;
	struct vrrp_out o;

	start(&a, P(3, 255, 100), "198.51.100.1", 0, &o);
	CHECK_EQ(o.to, VRRP_MASTER);
	start(&b, P(3, 255, 100), "198.51.100.2", 0, &o);
	CHECK_EQ(o.to, VRRP_MASTER);
	rx(&b, 255, 100, "198.51.100.1", 1, &o);
	CHECK_EQ(o.to, VRRP_MASTER);
	CHECK_EQ(o.acts, ACT_SEND_ADVERT | ACT_ANNOUNCE_LOWER);
	rx(&a, 255, 100, "198.51.100.2", 1, &o);
	CHECK_EQ(o.to, VRRP_BACKUP);
	CHECK_EQ(o.note, NOTE_SAME_PRIO_HIGHER_ADDR);
	CHECK_EQ(o.acts, ACT_DEL_VIPS);
	CHECK_EQ(a.down_at, 1 + 3003906);
	/* The yielded owner stays backup while the other advertises. */
	rx(&a, 255, 100, "198.51.100.2", 1 * S, &o);
	CHECK_EQ(o.to, VRRP_BACKUP);
	CHECK_EQ(run_until(&a, 1 * S + 3003905), -1);
	CHECK_EQ(a.prio, 255);
}

static void test_stop_fault(void)
{
	struct vrrp_sm sm;
	struct vrrp_out o;

	/* Shutdown from MASTER: priority 0, VIPs gone, timers off. */
	make_master(&sm, P(3, 100, 100), "198.51.100.10");
	vrrp_stop(&sm, 20 * S, &o);
	CHECK_EQ(o.from, VRRP_MASTER);
	CHECK_EQ(o.to, VRRP_INIT);
	CHECK_EQ(o.acts, ACT_SEND_PRIO0 | ACT_DEL_VIPS);
	CHECK_EQ(o.note, NOTE_STOP);
	CHECK_EQ(vrrp_next_due(&sm), TIME_NEVER);
	rx(&sm, 200, 100, "198.51.100.20", 21 * S, &o);
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(o.to, VRRP_INIT);
	CHECK_EQ(sm.master.fam, FAM_NONE);
	/* ...and it can start again, with no memory of the old master. */
	vrrp_start(&sm, 30 * S, &o);
	CHECK_EQ(o.to, VRRP_BACKUP);
	CHECK_EQ(sm.down_at, 30 * S + 3609375);
	rx(&sm, 200, 100, "198.51.100.21", 30 * S, &o);
	CHECK_EQ(o.note, NOTE_NONE);

	/* Shutdown from BACKUP: nothing to send. */
	vrrp_stop(&sm, 31 * S, &o);
	CHECK_EQ(o.from, VRRP_BACKUP);
	CHECK_EQ(o.to, VRRP_INIT);
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(vrrp_next_due(&sm), TIME_NEVER);

	/* MASTER -> FAULT sends priority 0 (keepalived). */
	struct vrrp_params p = P(3, 100, 100);
	make_master(&sm, p, "198.51.100.10");
	vrrp_set_fault(&sm, true, 20 * S, &o);
	CHECK_EQ(o.from, VRRP_MASTER);
	CHECK_EQ(o.to, VRRP_FAULT);
	CHECK_EQ(o.acts, ACT_SEND_PRIO0 | ACT_DEL_VIPS);
	CHECK_EQ(o.note, NOTE_FAULT);
	CHECK_EQ(vrrp_next_due(&sm), TIME_NEVER);
	vrrp_set_fault(&sm, true, 21 * S, &o);	/* repeated: nothing new */
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(o.note, NOTE_NONE);
	rx(&sm, 0, 100, "198.51.100.20", 22 * S, &o);
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(o.to, VRRP_FAULT);
	/* Leaving FAULT: back to BACKUP, full Master_Down_Interval even with
	 * state MASTER (that shortcut is for start-up only). */
	vrrp_set_fault(&sm, false, 30 * S, &o);
	CHECK_EQ(o.from, VRRP_FAULT);
	CHECK_EQ(o.to, VRRP_BACKUP);
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(sm.down_at, 30 * S + 3609375);
	vrrp_set_fault(&sm, false, 31 * S, &o);	/* not in FAULT: nothing */
	CHECK_EQ(o.to, VRRP_BACKUP);
	CHECK_EQ(sm.down_at, 30 * S + 3609375);

	/* BACKUP -> FAULT: nothing to send. */
	rx(&sm, 200, 100, "198.51.100.20", 31 * S, &o);
	vrrp_set_fault(&sm, true, 32 * S, &o);
	CHECK_EQ(o.to, VRRP_FAULT);
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(sm.master.fam, FAM_NONE);

	/* An owner leaving FAULT is master at once, as at start-up. */
	start(&sm, P(3, 255, 100), "198.51.100.10", 0, &o);
	vrrp_set_fault(&sm, true, 1 * S, &o);
	vrrp_set_fault(&sm, false, 2 * S, &o);
	CHECK_EQ(o.to, VRRP_MASTER);
	CHECK_EQ(o.acts, ACT_ADD_VIPS | ACT_SEND_ADVERT | ACT_ANNOUNCE);
	CHECK_EQ(sm.adver_at, 3 * S);
}

static void test_set_prio(void)
{
	struct vrrp_sm sm;
	struct vrrp_out o;

	/* A master tells its peers at once. */
	make_master(&sm, P(3, 100, 100), "198.51.100.10");
	vrrp_set_prio(&sm, 80, 20 * S, &o);
	CHECK_EQ(o.acts, ACT_SEND_ADVERT);
	CHECK_EQ(o.to, VRRP_MASTER);
	CHECK_EQ(sm.prio, 80);
	CHECK_EQ(sm.adver_at, 21 * S);
	vrrp_set_prio(&sm, 80, 20 * S + 1, &o);	/* unchanged: nothing */
	CHECK_EQ(o.acts, 0);
	vrrp_set_prio(&sm, 0, 20 * S, &o);	/* clamped to 1..254 */
	CHECK_EQ(sm.prio, 1);
	vrrp_set_prio(&sm, 255, 20 * S, &o);
	CHECK_EQ(sm.prio, 254);

	/* A backup keeps its timer; the next advert decides. */
	start(&sm, P(3, 100, 100), "198.51.100.10", 0, &o);
	rx(&sm, 150, 100, "198.51.100.20", 1 * S, &o);
	vrrp_set_prio(&sm, 200, 1500 * MS, &o);
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(sm.down_at, 1 * S + 3609375);
	rx(&sm, 150, 100, "198.51.100.20", 2 * S, &o);
	CHECK_EQ(o.note, NOTE_DISCARD_LOWER);
	CHECK_EQ(run_until(&sm, 10 * S), 1 * S + 3609375);

	/* An owner's priority never moves. */
	start(&sm, P(3, 255, 100), "198.51.100.10", 0, &o);
	vrrp_set_prio(&sm, 100, 1 * S, &o);
	CHECK_EQ(sm.prio, 255);
	CHECK_EQ(o.acts, 0);
}

/* keepalived's preempt_delay: a lower master is followed for the delay,
 * counted from start-up and from first hearing a lower master. */
static void test_preempt_delay(void)
{
	struct vrrp_sm sm;
	struct vrrp_out o;
	struct vrrp_params p = P(2, 200, 100);

	p.preempt_delay_ms = 5000;

	/* Start-up hold-off: a lower master from the start is followed until
	 * 5 s; a higher master in between does not restart the count. */
	start(&sm, p, "198.51.100.10", 0, &o);
	CHECK_EQ(sm.preempt_at, 5 * S);
	for (int64_t t = 500 * MS; t < 5 * S; t += 1 * S) {
		CHECK_EQ(run_until(&sm, t), -1);
		rx(&sm, 100, 100, "198.51.100.20", t, &o);
		CHECK_EQ(o.note, NOTE_PREEMPT_DELAYED);
		CHECK_EQ(sm.down_at, t + 3218750);
		if (t == 1500 * MS) {
			rx(&sm, 250, 100, "198.51.100.30", t + 200 * MS, &o);
			CHECK_EQ(sm.preempt_at, 5 * S);
		}
	}
	rx(&sm, 100, 100, "198.51.100.20", 5500 * MS, &o);
	CHECK_EQ(o.note, NOTE_DISCARD_LOWER);
	CHECK_EQ(run_until(&sm, 20 * S), 4500 * MS + 3218750);

	/* Later: a higher master runs past the hold-off, which expires and
	 * is reset; then a lower master appears at 20.5 s. */
	start(&sm, p, "198.51.100.10", 0, &o);
	for (int64_t t = 1 * S; t <= 20 * S; t += 1 * S)
		rx(&sm, 250, 100, "198.51.100.30", t, &o);
	CHECK_EQ(sm.preempt_at, TIME_NEVER);
	CHECK_EQ(sm.state, VRRP_BACKUP);
	rx(&sm, 100, 100, "198.51.100.20", 20500 * MS, &o);
	CHECK_EQ(o.note, NOTE_PREEMPT_DELAYED);
	CHECK_EQ(sm.preempt_at, 25500 * MS);
	/* The higher one comes back for a moment: the delay starts afresh. */
	rx(&sm, 250, 100, "198.51.100.30", 22 * S, &o);
	CHECK_EQ(sm.preempt_at, TIME_NEVER);
	int64_t t;
	for (t = 22500 * MS; t < 27500 * MS; t += 1 * S) {
		CHECK_EQ(run_until(&sm, t), -1);
		rx(&sm, 100, 100, "198.51.100.20", t, &o);
		CHECK_EQ(o.note, NOTE_PREEMPT_DELAYED);
		CHECK_EQ(sm.preempt_at, 27500 * MS);
	}
	rx(&sm, 100, 100, "198.51.100.20", t, &o);
	CHECK_EQ(o.note, NOTE_DISCARD_LOWER);
	CHECK_EQ(run_until(&sm, 60 * S), 26500 * MS + 3218750);

	/* After a FAULT the delay counts from the first lower advert only. */
	vrrp_set_fault(&sm, true, 100 * S, &o);
	vrrp_set_fault(&sm, false, 101 * S, &o);
	CHECK_EQ(sm.preempt_at, TIME_NEVER);
	rx(&sm, 100, 100, "198.51.100.20", 102 * S, &o);
	CHECK_EQ(o.note, NOTE_PREEMPT_DELAYED);
	CHECK_EQ(sm.preempt_at, 107 * S);

	/* Without the delay the same backup preempts the first lower master. */
	start(&sm, P(2, 200, 100), "198.51.100.10", 0, &o);
	rx(&sm, 100, 100, "198.51.100.20", 500 * MS, &o);
	CHECK_EQ(o.note, NOTE_DISCARD_LOWER);
	CHECK_EQ(run_until(&sm, 20 * S), 3218750);
}

static void test_names(void)
{
	struct vrrp_sm sm;
	struct vrrp_out o;

	CHECK_STR(vrrp_state_name(VRRP_INIT), "INIT");
	CHECK_STR(vrrp_state_name(VRRP_BACKUP), "BACKUP");
	CHECK_STR(vrrp_state_name(VRRP_MASTER), "MASTER");
	CHECK_STR(vrrp_state_name(VRRP_FAULT), "FAULT");
	start(&sm, P(3, 100, 25), "198.51.100.10", 0, &o);
	CHECK_EQ(vrrp_adv_cs(&sm), 25);

	/* Zero interval or multiplier would spin or never wait: defaults. */
	struct vrrp_params p = P(3, 100, 0);
	p.down_timer_adverts = 0;
	start(&sm, p, "198.51.100.10", 0, &o);
	CHECK_EQ(vrrp_adv_cs(&sm), 100);
	CHECK_EQ(vrrp_master_down_us(&sm), 3609375);
}

/* A simulated LAN: each advert one machine sends reaches the others at the
 * same fake time; time steps to the next due deadline. */
#define LAN_MAX 3
#define QCAP 64

struct node {
	struct vrrp_sm sm;
	bool up;		/* running: ticks and hears the LAN */
	bool vips;		/* holds the VIPs: ADD_VIPS .. DEL_VIPS */
	int64_t became;		/* last entry into MASTER, or -1 */
	int64_t last_sent;	/* last advert sent, or -1 */
};

struct lan {
	struct node n[LAN_MAX];
	int count;
	int64_t now;
	struct { int from; uint8_t prio; } q[QCAP];
	int qhead, qlen;
	int errors;		/* broken invariants */
};

static void lan_send(struct lan *l, int from, uint8_t prio)
{
	if (l->qlen == QCAP) {
		l->errors++;
		return;
	}
	l->q[(l->qhead + l->qlen) % QCAP].from = from;
	l->q[(l->qhead + l->qlen) % QCAP].prio = prio;
	l->qlen++;
	l->n[from].last_sent = l->now;
}

/* Carry out one machine's actions, checking that it holds the VIPs exactly
 * while it is MASTER. */
static void lan_apply(struct lan *l, int i, const struct vrrp_out *o)
{
	struct node *n = &l->n[i];

	if (o->acts & ACT_DEL_VIPS)
		n->vips = false;
	if (o->acts & ACT_ADD_VIPS)
		n->vips = true;
	if (n->vips != (n->sm.state == VRRP_MASTER) || o->to != n->sm.state)
		l->errors++;
	if (o->from != VRRP_MASTER && o->to == VRRP_MASTER)
		n->became = l->now;
	if (o->acts & ACT_SEND_PRIO0)
		lan_send(l, i, 0);
	if (o->acts & ACT_SEND_ADVERT)
		lan_send(l, i, n->sm.prio);
}

static void lan_flush(struct lan *l)
{
	struct vrrp_out o;

	for (int k = 0; k < 1000 && l->qlen; k++) {
		int from = l->q[l->qhead].from;
		const struct vrrp_sm *s = &l->n[from].sm;
		struct vrrp_adv adv = {
			.version = s->p.version, .type = 1, .vrid = 1,
			.prio = l->q[l->qhead].prio, .intv_cs = vrrp_adv_cs(s),
			.fam = s->self.fam,
		};

		l->qhead = (l->qhead + 1) % QCAP;
		l->qlen--;
		for (int j = 0; j < l->count; j++) {
			if (j == from || !l->n[j].up)
				continue;
			vrrp_recv(&l->n[j].sm, &adv, &s->self, l->now, &o);
			lan_apply(l, j, &o);
		}
	}
	if (l->qlen)		/* adverts answering adverts without end */
		l->errors++;
}

static void lan_add(struct lan *l, struct vrrp_params p, struct vaddr self)
{
	struct node *n = &l->n[l->count++];

	vrrp_init(&n->sm, &p, &self);
	n->up = n->vips = false;
	n->became = n->last_sent = -1;
}

static void lan_start(struct lan *l, int i)
{
	struct vrrp_out o;

	l->n[i].up = true;
	vrrp_start(&l->n[i].sm, l->now, &o);
	lan_apply(l, i, &o);
	lan_flush(l);
}

static void lan_stop(struct lan *l, int i)
{
	struct vrrp_out o;

	vrrp_stop(&l->n[i].sm, l->now, &o);
	lan_apply(l, i, &o);
	lan_flush(l);
	l->n[i].up = false;
}

/* Advance to until, firing every deadline on the way in order. */
static void lan_run(struct lan *l, int64_t until)
{
	struct vrrp_out o;
	int k;

	for (k = 0; k < 1000000; k++) {
		int64_t next = TIME_NEVER;

		for (int i = 0; i < l->count; i++)
			if (l->n[i].up && vrrp_next_due(&l->n[i].sm) < next)
				next = vrrp_next_due(&l->n[i].sm);
		if (next > until)
			break;
		l->now = next;
		for (int i = 0; i < l->count; i++) {
			if (!l->n[i].up || vrrp_next_due(&l->n[i].sm) > l->now)
				continue;
			vrrp_tick(&l->n[i].sm, l->now, &o);
			lan_apply(l, i, &o);
			lan_flush(l);
		}
	}
	if (k == 1000000)
		l->errors++;
	l->now = until;
}

/* The one running master, -1 if none, -2 if several. */
static int lan_master(const struct lan *l)
{
	int m = -1;

	for (int i = 0; i < l->count; i++) {
		if (!l->n[i].up || l->n[i].sm.state != VRRP_MASTER)
			continue;
		m = m == -1 ? i : -2;
	}
	return m;
}

/* Converged: one master, of the highest priority running, and every other
 * running machine a backup following it. */
static bool lan_converged(const struct lan *l)
{
	int m = lan_master(l);

	if (m < 0)
		return false;
	for (int i = 0; i < l->count; i++) {
		if (!l->n[i].up || i == m)
			continue;
		if (l->n[i].sm.state != VRRP_BACKUP || l->n[i].sm.prio > l->n[m].sm.prio ||
		    !addr_eq(&l->n[i].sm.master, &l->n[m].sm.self))
			return false;
	}
	return true;
}

static void test_lan_nopreempt(void)
{
	struct lan l = { 0 };
	struct vrrp_params p = P(2, 200, 100);

	/* nopreempt: the better backup never takes over a running master... */
	p.preempt = false;
	lan_add(&l, P(2, 100, 100), A("198.51.100.1"));
	lan_add(&l, p, A("198.51.100.2"));
	lan_start(&l, 0);
	lan_run(&l, 10 * S);
	CHECK_EQ(lan_master(&l), 0);
	lan_start(&l, 1);
	lan_run(&l, 100 * S);
	CHECK_EQ(lan_master(&l), 0);
	CHECK_EQ(l.n[1].became, -1);
	/* ...but it does, after Skew_Time, when that master stops. */
	lan_stop(&l, 0);
	lan_run(&l, 110 * S);
	CHECK_EQ(lan_master(&l), 1);
	CHECK_EQ(l.n[1].became, 100 * S + 218750);
	CHECK_EQ(l.errors, 0);

	/* With preempt it takes over one Master_Down_Interval after start. */
	memset(&l, 0, sizeof(l));
	lan_add(&l, P(2, 100, 100), A("198.51.100.1"));
	lan_add(&l, P(2, 200, 100), A("198.51.100.2"));
	lan_start(&l, 0);
	lan_run(&l, 10 * S);
	lan_start(&l, 1);
	lan_run(&l, 100 * S);
	CHECK_EQ(lan_master(&l), 1);
	CHECK_EQ(l.n[1].became, 10 * S + 3218750);
	CHECK(lan_converged(&l));
	CHECK_EQ(l.errors, 0);
}

static uint32_t rnd_x = 2463534242u;

static uint32_t rnd(uint32_t n)
{
	rnd_x ^= rnd_x << 13;
	rnd_x ^= rnd_x >> 17;
	rnd_x ^= rnd_x << 5;
	return rnd_x % n;
}

/* Two or three machines with random version, family, intervals,
 * priorities (ties and owners included), addresses and start times. */
static void lan_random(struct lan *l)
{
	int count = 2 + (int)rnd(2);
	uint8_t version = (uint8_t)(2 + rnd(2));
	bool v6 = version == 3 && rnd(2);
	uint16_t cs = version == 2 ? (uint16_t)(100 * (1 + rnd(3))) : (uint16_t)(1 + rnd(300));

	memset(l, 0, sizeof(*l));
	for (int i = 0; i < count; i++) {
		/* v3 machines may differ in interval: backups learn it. */
		uint16_t my_cs = version == 3 && rnd(4) == 0 ? (uint16_t)(1 + rnd(300)) : cs;
		struct vrrp_params p = P(version, 0, my_cs);
		char buf[ADDR_STRLEN];
		struct vaddr self;

		switch (rnd(4)) {
		case 0: p.prio = 255; break;
		case 1: p.prio = (uint8_t)(100 + 50 * rnd(2)); break;
		default: p.prio = (uint8_t)(1 + rnd(254)); break;
		}
		/* Distinct addresses: the index in the low byte. */
		if (v6)
			snprintf(buf, sizeof(buf), "fe80::%x:%x%02x", (unsigned)rnd(0x10000),
				 (unsigned)rnd(0x100), (unsigned)i);
		else
			snprintf(buf, sizeof(buf), "198.18.%u.%u", (unsigned)rnd(256),
				 (unsigned)(i + 3 * rnd(80)));
		self = A(buf);
		lan_add(l, p, self);
	}
}

static void test_lan_random(void)
{
	int bad_elect = 0, bad_stop = 0, bad_death = 0, errors = 0;

	for (int trial = 0; trial < 500; trial++) {
		struct lan l, g, d;

		lan_random(&l);
		for (int i = 0; i < l.count; i++) {
			lan_run(&l, l.now + (int64_t)rnd(1500) * MS);
			lan_start(&l, i);
		}
		lan_run(&l, l.now + 60 * S);
		errors += l.errors;
		if (!lan_converged(&l)) {
			if (!bad_elect++)
				fprintf(stderr, "lan trial %d: no single best master\n", trial);
			continue;
		}
		int m = lan_master(&l);
		int64_t t0 = l.now;

		/* The master stops: its priority-0 advert lets the best
		 * backup take over after its Skew_Time exactly. */
		g = l;
		lan_stop(&g, m);
		lan_run(&g, t0 + 60 * S);
		int m2 = lan_master(&g);
		if (!lan_converged(&g) || m2 == m ||
		    g.n[m2].became - t0 != vrrp_skew_us(&l.n[m2].sm)) {
			if (!bad_stop++)
				fprintf(stderr, "lan trial %d: stop not taken over in Skew_Time\n", trial);
		}
		errors += g.errors;

		/* The master dies silently: the best backup takes over one
		 * Master_Down_Interval after the last advert it heard. */
		d = l;
		d.n[m].up = false;
		lan_run(&d, t0 + 60 * S);
		m2 = lan_master(&d);
		if (!lan_converged(&d) || m2 == m ||
		    d.n[m2].became - l.n[m].last_sent != vrrp_master_down_us(&l.n[m2].sm)) {
			if (!bad_death++)
				fprintf(stderr, "lan trial %d: death not taken over in Master_Down_Interval\n",
					trial);
		}
		errors += d.errors;
	}
	CHECK_EQ(bad_elect, 0);
	CHECK_EQ(bad_stop, 0);
	CHECK_EQ(bad_death, 0);
	CHECK_EQ(errors, 0);
}

static void test_lan(void)
{
	test_lan_nopreempt();
	test_lan_random();
}


/* Sync groups: members pulled along by another member's transition. */
static void test_force(void)
{
	struct vrrp_sm sm;
	struct vrrp_out o;

	start(&sm, P(3, 100, 100), "198.51.100.10", 0, &o);
	vrrp_force_master(&sm, 1 * S, &o);
	CHECK_EQ(o.from, VRRP_BACKUP);
	CHECK_EQ(o.to, VRRP_MASTER);
	CHECK_EQ(o.acts, ACT_ADD_VIPS | ACT_SEND_ADVERT | ACT_ANNOUNCE);
	CHECK_EQ(sm.adver_at, 2 * S);
	CHECK_EQ(sm.down_at, TIME_NEVER);
	vrrp_force_master(&sm, 1 * S, &o);	/* already master: nothing */
	CHECK_EQ(o.acts, 0);
	CHECK_EQ(o.to, VRRP_MASTER);

	vrrp_force_backup(&sm, 3 * S, &o);
	CHECK_EQ(o.from, VRRP_MASTER);
	CHECK_EQ(o.to, VRRP_BACKUP);
	CHECK_EQ(o.acts, ACT_SEND_PRIO0 | ACT_DEL_VIPS);
	CHECK_EQ(sm.adver_at, TIME_NEVER);
	CHECK_EQ(sm.down_at, 3 * S + vrrp_master_down_us(&sm));
	vrrp_force_backup(&sm, 3 * S, &o);	/* already backup: nothing */
	CHECK_EQ(o.acts, 0);

	/* FAULT is left to the member's own trackers. */
	vrrp_set_fault(&sm, true, 4 * S, &o);
	vrrp_force_master(&sm, 5 * S, &o);
	CHECK_EQ(o.to, VRRP_FAULT);
	CHECK_EQ(o.acts, 0);
	vrrp_force_backup(&sm, 5 * S, &o);
	CHECK_EQ(o.to, VRRP_FAULT);
}

int main(void)
{
	test_timers();
	test_learned_interval();
	test_startup();
	test_backup();
	test_master();
	test_tie_break();
	test_two_owners();
	test_stop_fault();
	test_set_prio();
	test_preempt_delay();
	test_names();
	test_lan();
	test_force();
	return t_done("test_vrrp");
}
