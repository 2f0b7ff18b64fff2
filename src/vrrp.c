/* SPDX-License-Identifier: MIT */
/* The VRRP state machine: RFC 5798 section 6.4 for v3 and RFC 3768 section
 * 6.4 for v2, which is the same machine without interval learning. Where
 * keepalived's defaults differ from the RFC we follow keepalived, so a mixed
 * cluster elects the same master (PROTOCOL.md 5.4); each such place says so.
 *
 * Pure: no clock, no sockets. The caller passes the monotonic time in
 * microseconds, carries out the actions in out->acts in bit order, and arms
 * one timer at vrrp_next_due(). */
#include <string.h>

#include "vrrp.h"

#define OWNER_PRIO 255
#define DEFAULT_ADV_CS 100
#define DEFAULT_DOWN_ADVERTS 3

static bool is_owner(const struct vrrp_sm *sm)
{
	return sm->p.prio == OWNER_PRIO;
}

static int64_t cs_to_us(uint32_t cs)
{
	return (int64_t)cs * US_PER_CS;
}

/* Our own Advertisement_Interval: what we send and how often. */
static int64_t adv_us(const struct vrrp_sm *sm)
{
	return cs_to_us(sm->p.adv_cs);
}

/* RFC 5798 6.1: a backup times the master with the interval the master
 * advertises (v3 only; RFC 3768 has every router configured alike); a
 * master uses its own, which become_master() puts in master_adv_cs. */
static int64_t master_adv_us(const struct vrrp_sm *sm)
{
	if (sm->p.version == 3)
		return cs_to_us(sm->master_adv_cs);
	return adv_us(sm);
}

/* RFC 5798 6.1: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256.
 * keepalived uses the effective priority, but an owner always counts as 255.
 * At most 255 * 40.95 s in microseconds: far from int64 limits. */
int64_t vrrp_skew_us(const struct vrrp_sm *sm)
{
	int64_t prio = is_owner(sm) ? OWNER_PRIO : sm->prio;

	return ((256 - prio) * master_adv_us(sm)) / 256;
}

/* RFC 5798 6.1: Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time;
 * keepalived makes the 3 configurable (down_timer_adverts). */
int64_t vrrp_master_down_us(const struct vrrp_sm *sm)
{
	return sm->p.down_timer_adverts * master_adv_us(sm) + vrrp_skew_us(sm);
}

uint16_t vrrp_adv_cs(const struct vrrp_sm *sm)
{
	return sm->p.adv_cs;
}

int64_t vrrp_next_due(const struct vrrp_sm *sm)
{
	return sm->adver_at < sm->down_at ? sm->adver_at : sm->down_at;
}

const char *vrrp_state_name(enum vrrp_state s)
{
	switch (s) {
	case VRRP_INIT: return "INIT";
	case VRRP_BACKUP: return "BACKUP";
	case VRRP_MASTER: return "MASTER";
	case VRRP_FAULT: return "FAULT";
	}
	return "UNKNOWN";
}

static void out_begin(const struct vrrp_sm *sm, struct vrrp_out *out)
{
	out->acts = 0;
	out->from = out->to = sm->state;
	out->note = NOTE_NONE;
	out->rx_prio = 0;
}

static void timers_off(struct vrrp_sm *sm)
{
	sm->adver_at = TIME_NEVER;
	sm->down_at = TIME_NEVER;
}

static void preempt_reset(struct vrrp_sm *sm)
{
	sm->preempt_at = TIME_NEVER;
	sm->preempt_hold = false;
}

void vrrp_init(struct vrrp_sm *sm, const struct vrrp_params *p, const struct vaddr *self)
{
	memset(sm, 0, sizeof(*sm));
	sm->p = *p;
	/* Zero would make a master advertise in a busy loop, or a backup
	 * never wait; the parser should not let it through, but be safe. */
	if (!sm->p.adv_cs)
		sm->p.adv_cs = DEFAULT_ADV_CS;
	if (!sm->p.down_timer_adverts)
		sm->p.down_timer_adverts = DEFAULT_DOWN_ADVERTS;
	sm->state = VRRP_INIT;
	sm->prio = sm->p.prio;
	sm->self = *self;
	sm->master_adv_cs = sm->p.adv_cs;
	timers_off(sm);
	preempt_reset(sm);
	sm->master.fam = FAM_NONE;
}

/* RFC 5798 6.4.1 (owner) and 6.4.2 (Master_Down_Timer fired): announce the
 * VIPs. keepalived adds them, then advertises before it sends GARP/NA, so
 * the old master steps down before hosts re-learn the MAC. */
static void become_master(struct vrrp_sm *sm, int64_t now, struct vrrp_out *out)
{
	sm->state = VRRP_MASTER;
	sm->master_adv_cs = sm->p.adv_cs;
	sm->adver_at = now + adv_us(sm);
	sm->down_at = TIME_NEVER;
	preempt_reset(sm);
	sm->master.fam = FAM_NONE;
	out->acts |= ACT_ADD_VIPS | ACT_SEND_ADVERT | ACT_ANNOUNCE;
}

/* Initialize -> Backup/Master (RFC 5798 6.4.1), at start-up and when
 * leaving FAULT, which keepalived treats alike: an owner is master at once,
 * anyone else waits as a backup. */
static void enter_running(struct vrrp_sm *sm, int64_t now, bool at_start, struct vrrp_out *out)
{
	sm->master.fam = FAM_NONE;
	sm->master_adv_cs = sm->p.adv_cs;
	if (is_owner(sm)) {
		become_master(sm, now, out);
		return;
	}
	sm->state = VRRP_BACKUP;
	sm->adver_at = TIME_NEVER;
	/* keepalived's preempt_delay counts from start-up as well as from
	 * first hearing a lower master; after a FAULT only the latter. */
	preempt_reset(sm);
	if (at_start && sm->p.preempt && sm->p.preempt_delay_ms) {
		sm->preempt_at = now + (int64_t)sm->p.preempt_delay_ms * 1000;
		sm->preempt_hold = true;
	}
	/* "state MASTER" on a non-owner waits the full Master_Down_Interval
	 * too, as keepalived 2.2.7 does (measured: MASTER 4 s after start at
	 * advert_int 1, its interval being 3.6 s):
	 * a router that joins a running master must hear it first. */
	sm->down_at = now + vrrp_master_down_us(sm);
}

void vrrp_start(struct vrrp_sm *sm, int64_t now, struct vrrp_out *out)
{
	out_begin(sm, out);
	if (sm->state == VRRP_INIT) {
		enter_running(sm, now, true, out);
		out->note = NOTE_INIT;
	}
	out->to = sm->state;
}

/* RFC 5798 6.4.2: accept sender as the master: (v3) learn its interval,
 * re-arm Master_Down_Timer. Must run after the state is BACKUP, as the
 * interval used depends on it. */
static void follow(struct vrrp_sm *sm, const struct vrrp_adv *adv, const struct vaddr *src,
		   int64_t now, struct vrrp_out *out)
{
	/* An interval of 0 is no interval; keep the last good one. */
	if (sm->p.version == 3 && adv->intv_cs)
		sm->master_adv_cs = adv->intv_cs;
	if (sm->master.fam != FAM_NONE && !addr_eq(&sm->master, src))
		out->note = NOTE_MASTER_CHANGED;
	sm->master = *src;
	sm->master_prio = adv->prio;
	sm->down_at = now + vrrp_master_down_us(sm);
}

static void backup_rx(struct vrrp_sm *sm, const struct vrrp_adv *adv, const struct vaddr *src,
		      int64_t now, struct vrrp_out *out)
{
	if (adv->prio == 0) {
		/* RFC 5798 6.4.2: the master is leaving; waiting only
		 * Skew_Time lets the best backup take over first. */
		sm->down_at = now + vrrp_skew_us(sm);
		out->note = NOTE_PRIO0_BACKUP;
		return;
	}
	if (!sm->p.preempt || adv->prio >= sm->prio) {
		/* A master at least as good as us ends a preempt_delay wait,
		 * so it starts afresh with the next lower master; the
		 * start-up hold-off just runs out. Equal priority is
		 * accepted: only a master applies the address tie-break. */
		if (adv->prio >= sm->prio && !(sm->preempt_hold && now < sm->preempt_at))
			preempt_reset(sm);
		follow(sm, adv, src, now, out);
		return;
	}
	/* Lower priority and preempt on. keepalived's preempt_delay: keep
	 * following the lower master until the delay has run out. */
	if (sm->p.preempt_delay_ms) {
		if (sm->preempt_at == TIME_NEVER)
			sm->preempt_at = now + (int64_t)sm->p.preempt_delay_ms * 1000;
		if (now < sm->preempt_at) {
			follow(sm, adv, src, now, out);
			out->note = NOTE_PREEMPT_DELAYED;
			return;
		}
	}
	/* RFC 5798 6.4.2: discard; Master_Down_Timer keeps running and we
	 * preempt when it fires. */
	out->note = NOTE_DISCARD_LOWER;
}

static void master_rx(struct vrrp_sm *sm, const struct vrrp_adv *adv, const struct vaddr *src,
		      int64_t now, struct vrrp_out *out)
{
	int cmp;

	if (adv->prio == 0) {
		/* RFC 5798 6.4.3: a leaving master: advertise at once so
		 * the backups see there is a master. */
		out->acts |= ACT_SEND_ADVERT;
		sm->adver_at = now + adv_us(sm);
		out->note = NOTE_PRIO0_MASTER;
		return;
	}
	/* RFC 5798 6.4.3: higher priority wins; at equal priority the higher
	 * primary address (unsigned, big-endian) wins. An owner processes
	 * adverts too (keepalived's default), so two owners settle by address. */
	if (adv->prio != sm->prio)
		cmp = adv->prio > sm->prio ? 1 : -1;
	else
		cmp = addr_cmp(src, &sm->self);
	if (cmp > 0) {
		/* keepalived's higher_prio_send_advert: one last advert, lower
		 * than the winner's, so that a winner with
		 * garp_lower_prio_repeat announces its VIPs again (after two
		 * masters, the last GARPs seen may have been ours). */
		out->acts |= ACT_DEL_VIPS | (sm->p.higher_prio_send_advert ? ACT_SEND_ADVERT : 0);
		sm->state = VRRP_BACKUP;
		sm->adver_at = TIME_NEVER;
		follow(sm, adv, src, now, out);
		out->note = adv->prio > sm->prio ? NOTE_HIGHER_PRIO : NOTE_SAME_PRIO_HIGHER_ADDR;
		return;
	}
	/* Lower: RFC 5798 discards it. keepalived's default "forcing new
	 * election" advertises at once and re-announces the VIPs, which
	 * heals a split brain faster (PROTOCOL.md 5.4 item 1). With
	 * lower_prio_no_advert keepalived still sends its
	 * garp_lower_prio_repeat GARPs (strict mode makes that 0). */
	out->note = NOTE_LOWER_PRIO;
	out->acts |= ACT_ANNOUNCE_LOWER;
	if (!sm->p.lower_prio_no_advert) {
		out->acts |= ACT_SEND_ADVERT;
		sm->adver_at = now + adv_us(sm);
	}
}

void vrrp_recv(struct vrrp_sm *sm, const struct vrrp_adv *adv, const struct vaddr *src,
	       int64_t now, struct vrrp_out *out)
{
	out_begin(sm, out);
	out->rx_prio = adv->prio;
	/* Our own advert looped back must not trigger an answer: with the
	 * lower-priority rule it would echo forever. The socket layer
	 * should already have dropped it. */
	if (addr_eq(src, &sm->self))
		return;
	if (sm->state == VRRP_BACKUP)
		backup_rx(sm, adv, src, now, out);
	else if (sm->state == VRRP_MASTER)
		master_rx(sm, adv, src, now, out);
	out->to = sm->state;
}

void vrrp_tick(struct vrrp_sm *sm, int64_t now, struct vrrp_out *out)
{
	out_begin(sm, out);
	if (sm->state == VRRP_BACKUP && sm->down_at <= now) {
		/* RFC 5798 6.4.2: no master heard for Master_Down_Interval. */
		become_master(sm, now, out);
		out->note = NOTE_DOWN_TIMEOUT;
	} else if (sm->state == VRRP_MASTER && sm->adver_at <= now) {
		/* RFC 5798 6.4.3. Re-armed from now, not from the missed
		 * deadline: a late loop must not send a burst. */
		out->acts |= ACT_SEND_ADVERT;
		sm->adver_at = now + adv_us(sm);
	}
	out->to = sm->state;
}

/* Leave whatever we were doing; a master says goodbye with priority 0
 * (RFC 5798 6.4.3 Shutdown) so the backups wait only Skew_Time. */
static void halt(struct vrrp_sm *sm, enum vrrp_state to, struct vrrp_out *out)
{
	if (sm->state == VRRP_MASTER)
		out->acts |= ACT_SEND_PRIO0 | ACT_DEL_VIPS;
	sm->state = to;
	timers_off(sm);
	preempt_reset(sm);
	sm->master.fam = FAM_NONE;
}

void vrrp_stop(struct vrrp_sm *sm, int64_t now, struct vrrp_out *out)
{
	out_begin(sm, out);
	halt(sm, VRRP_INIT, out);
	out->note = NOTE_STOP;
	out->to = sm->state;
}

void vrrp_set_fault(struct vrrp_sm *sm, bool faulty, int64_t now, struct vrrp_out *out)
{
	out_begin(sm, out);
	if (faulty && sm->state != VRRP_FAULT) {
		/* keepalived sends priority 0 when leaving MASTER for FAULT,
		 * though the RFC only asks for it on shutdown (PROTOCOL.md
		 * 5.4 item 8): the backups need not wait out the full
		 * Master_Down_Interval. */
		halt(sm, VRRP_FAULT, out);
		out->note = NOTE_FAULT;
	} else if (!faulty && sm->state == VRRP_FAULT) {
		enter_running(sm, now, false, out);
	}
	out->to = sm->state;
}

void vrrp_force_master(struct vrrp_sm *sm, int64_t now, struct vrrp_out *out)
{
	out_begin(sm, out);
	if (sm->state == VRRP_BACKUP)
		become_master(sm, now, out);
	out->to = sm->state;
}

void vrrp_force_backup(struct vrrp_sm *sm, int64_t now, struct vrrp_out *out)
{
	out_begin(sm, out);
	if (sm->state == VRRP_MASTER) {
		/* Priority 0 first (RFC 5798 6.4.3), so the other router's
		 * member takes over in Skew_Time, not Master_Down_Interval. */
		halt(sm, VRRP_BACKUP, out);
		sm->down_at = now + vrrp_master_down_us(sm);
	}
	out->to = sm->state;
}

void vrrp_set_prio(struct vrrp_sm *sm, uint8_t prio, int64_t now, struct vrrp_out *out)
{
	out_begin(sm, out);
	/* Trackers never move an owner; nor can they make anyone an owner
	 * or a leaver (keepalived clamps to 1..254). */
	if (prio < 1)
		prio = 1;
	if (prio > OWNER_PRIO - 1)
		prio = OWNER_PRIO - 1;
	if (is_owner(sm) || prio == sm->prio)
		return;
	sm->prio = prio;
	/* A master tells its peers at once, so a better backup can preempt
	 * now rather than at the next Adver_Timer. A backup keeps its timer:
	 * the next advert decides. */
	if (sm->state == VRRP_MASTER) {
		out->acts |= ACT_SEND_ADVERT;
		sm->adver_at = now + adv_us(sm);
	}
}
