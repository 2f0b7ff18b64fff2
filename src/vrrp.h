/* SPDX-License-Identifier: MIT */
/* The VRRP state machine of RFC 5798 section 6.4 (v2 and v3 in one), with
 * keepalived's defaults where it differs. Pure: (state, event, now) in,
 * state and a list of actions out. Time is integer microseconds on a
 * monotonic clock supplied by the caller. */
#ifndef TINYVRRP_VRRP_H
#define TINYVRRP_VRRP_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "vrrp_pkt.h"

#define TIME_NEVER INT64_MAX
#define US_PER_CS 10000

enum vrrp_state { VRRP_INIT = 0, VRRP_BACKUP, VRRP_MASTER, VRRP_FAULT };

struct vrrp_params {
	uint8_t version;		/* 2 or 3 */
	uint8_t prio;			/* configured priority 1..255; 255 = owner */
	uint16_t adv_cs;		/* Advertisement_Interval, centiseconds */
	bool preempt;			/* false with nopreempt */
	uint32_t preempt_delay_ms;
	uint8_t down_timer_adverts;	/* Master_Down multiplier, default 3 */
	bool lower_prio_no_advert;	/* RFC: a master discards lower adverts silently */
	bool higher_prio_send_advert;	/* keepalived: a master yielding advertises once */
};

/* Why something happened, for the caller's log line (keepalived wording). */
enum vrrp_note {
	NOTE_NONE = 0,
	NOTE_INIT,			/* entered BACKUP/MASTER at start ("(init)") */
	NOTE_DOWN_TIMEOUT,		/* backup: Master_Down_Timer fired */
	NOTE_HIGHER_PRIO,		/* master: yielded to a higher priority */
	NOTE_SAME_PRIO_HIGHER_ADDR,	/* master: yielded on the address tie-break */
	NOTE_LOWER_PRIO,		/* master: heard a lower priority, re-asserted */
	NOTE_PRIO0_MASTER,		/* master: heard priority 0, sent an advert at once */
	NOTE_PRIO0_BACKUP,		/* backup: heard priority 0, timer = Skew_Time */
	NOTE_DISCARD_LOWER,		/* backup: lower priority discarded (will preempt) */
	NOTE_PREEMPT_DELAYED,		/* backup: lower priority honoured during preempt_delay */
	NOTE_MASTER_CHANGED,		/* backup: the master's address changed */
	NOTE_FAULT,
	NOTE_STOP,
};

/* Actions, carried out by the caller in this bit order. */
enum {
	ACT_SEND_PRIO0 = 1u << 0,	/* advert with priority 0 (leaving MASTER) */
	ACT_DEL_VIPS = 1u << 1,
	ACT_ADD_VIPS = 1u << 2,
	ACT_SEND_ADVERT = 1u << 3,	/* advert with the current priority */
	ACT_ANNOUNCE = 1u << 4,		/* GARP/NA bursts of a new master */
	ACT_ANNOUNCE_LOWER = 1u << 5,	/* GARP/NA after hearing a lower priority */
};

struct vrrp_out {
	unsigned acts;
	enum vrrp_state from, to;	/* from != to: a transition */
	enum vrrp_note note;
	uint8_t rx_prio;		/* the advert's priority, for notes about one */
};

struct vrrp_sm {
	struct vrrp_params p;
	enum vrrp_state state;
	uint8_t prio;			/* effective priority */
	struct vaddr self;		/* our primary address: the tie-break */
	uint16_t master_adv_cs;		/* v3: learned Master_Adver_Interval */
	int64_t adver_at;		/* Adver_Timer deadline, or TIME_NEVER */
	int64_t down_at;		/* Master_Down_Timer deadline, or TIME_NEVER */
	int64_t preempt_at;		/* preempt_delay: may preempt from then on; TIME_NEVER = not started */
	bool preempt_hold;		/* preempt_at is the start-up hold-off: a higher master does not reset it */
	struct vaddr master;		/* the master we last heard (FAM_NONE: none) */
	uint8_t master_prio;
};

void vrrp_init(struct vrrp_sm *sm, const struct vrrp_params *p, const struct vaddr *self);
/* Initialize -> Backup, or -> Master for an owner (RFC 5798 6.4.1). */
void vrrp_start(struct vrrp_sm *sm, int64_t now, struct vrrp_out *out);
/* A validated advert for our VRID from src. */
void vrrp_recv(struct vrrp_sm *sm, const struct vrrp_adv *adv, const struct vaddr *src,
	       int64_t now, struct vrrp_out *out);
/* Fire whatever timer is due at now. */
void vrrp_tick(struct vrrp_sm *sm, int64_t now, struct vrrp_out *out);
/* Shutdown: a master sends priority 0 and drops its VIPs; -> Initialize. */
void vrrp_stop(struct vrrp_sm *sm, int64_t now, struct vrrp_out *out);
/* Enter (faulty) or leave FAULT: as keepalived, leaving MASTER for FAULT
 * sends priority 0; leaving FAULT goes to Backup. */
void vrrp_set_fault(struct vrrp_sm *sm, bool faulty, int64_t now, struct vrrp_out *out);
/* New effective priority (trackers); an owner's priority never changes. */
void vrrp_set_prio(struct vrrp_sm *sm, uint8_t prio, int64_t now, struct vrrp_out *out);

/* Sync groups (keepalived's vrrp_sync_group): a member moves because
 * another did. A backup becomes master at once; a master sends priority 0,
 * drops its VIPs and waits as a backup. Other states are left alone. */
void vrrp_force_master(struct vrrp_sm *sm, int64_t now, struct vrrp_out *out);
void vrrp_force_backup(struct vrrp_sm *sm, int64_t now, struct vrrp_out *out);

/* Earliest armed deadline, or TIME_NEVER. */
int64_t vrrp_next_due(const struct vrrp_sm *sm);
/* The interval that goes into our adverts, centiseconds. */
uint16_t vrrp_adv_cs(const struct vrrp_sm *sm);
int64_t vrrp_skew_us(const struct vrrp_sm *sm);
int64_t vrrp_master_down_us(const struct vrrp_sm *sm);

const char *vrrp_state_name(enum vrrp_state s);	/* "MASTER", "BACKUP", ... */

#endif
