/* SPDX-License-Identifier: MIT */
/* vrrp_sync_group: members move together, as keepalived's vrrp_sync.c:
 * one member in FAULT puts every member in FAULT until none has a fault
 * of its own; a member becoming MASTER takes the others along; a member
 * leaving MASTER for BACKUP pulls the others back. */
#ifndef TINYVRRP_GROUP_H
#define TINYVRRP_GROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "vrrp.h"

struct inst;

/* Map members to instances (after inst_setup's instances). 0 or -1. */
int group_setup(const struct config *cf);
void group_teardown(void);
/* Does in's sync group fix its members' priorities (keepalived: their own
 * tracker weights are dropped, unless sync_group_tracking_weight)? (after
 * group_setup) */
bool group_fixes_prio(const struct inst *in);
/* in's own fault (link, trackers) is own: returns the fault in has as a
 * member of its group (own, or any other member's), and re-evaluates the
 * other members when own changed. */
bool group_fault(struct inst *in, bool own, int64_t now);
/* After in's transition out: move the other members, notify the group. */
void group_after(struct inst *in, const struct vrrp_out *out, int64_t now);

#endif
