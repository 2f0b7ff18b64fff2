/* SPDX-License-Identifier: MIT */
/* Sync groups around the state machine: the members' own transitions come
 * from vrrp.c as usual; this layer adds the ones keepalived makes to keep
 * a group together (vrrp_sync.c), and the group notifications. */
#include "group.h"

#include <stdlib.h>
#include <string.h>

#include "inst_int.h"
#include "log.h"
#include "notify.h"

struct group {
	const struct conf_group *c;
	struct inst **m;		/* members */
	int n;
	enum vrrp_state state;		/* INIT until every member has started */
};

static struct group *groups;
static int n_groups;
static struct group **group_of;		/* per instance, NULL = none */
static bool *own_fault;			/* per instance */
static bool syncing;			/* moving members: their moves are ours */

int group_setup(const struct config *cf)
{
	if (!cf->n_groups)
		return 0;
	groups = calloc((size_t)cf->n_groups, sizeof(*groups));
	group_of = calloc((size_t)rt.n_inst + 1, sizeof(*group_of));
	own_fault = calloc((size_t)rt.n_inst + 1, sizeof(*own_fault));
	if (!groups || !group_of || !own_fault)
		goto nomem;
	for (int g = 0; g < cf->n_groups; g++) {
		struct group *gr = &groups[g];

		gr->c = &cf->groups[g];
		gr->m = calloc((size_t)gr->c->n_members + 1, sizeof(*gr->m));
		if (!gr->m)
			goto nomem;
		n_groups = g + 1;
		/* conf_check made every member an instance of one group only. */
		for (int k = 0; k < gr->c->n_members; k++)
			for (int i = 0; i < rt.n_inst; i++)
				if (strcmp(rt.inst[i].c->name, gr->c->members[k]) == 0) {
					gr->m[gr->n++] = &rt.inst[i];
					group_of[i] = gr;
				}
	}
	return 0;
nomem:
	log_warn("vrrp_sync_group");
	return -1;
}

void group_teardown(void)
{
	for (int g = 0; g < n_groups; g++)
		free(groups[g].m);
	free(groups);
	free(group_of);
	free(own_fault);
	groups = NULL;
	group_of = NULL;
	own_fault = NULL;
	n_groups = 0;
}

static struct group *grp(const struct inst *in)
{
	return group_of ? group_of[in - rt.inst] : NULL;
}

bool group_fixes_prio(const struct inst *in)
{
	const struct group *g = grp(in);

	return g && !g->c->tracking_weight;
}

bool group_fault(struct inst *in, bool own, int64_t now)
{
	struct group *g = grp(in);
	bool any = own;

	if (!g)
		return own;
	if (own_fault[in - rt.inst] != own) {
		own_fault[in - rt.inst] = own;
		/* The others' fault changed too; their own did not, so this
		 * recursion ends one level down. */
		for (int k = 0; k < g->n; k++)
			if (g->m[k] != in)
				inst_reevaluate(g->m[k], now);
	}
	for (int k = 0; k < g->n; k++)
		any |= own_fault[g->m[k] - rt.inst];
	return any;
}

/* keepalived's group state: FAULT if a member is, else MASTER if a member
 * is, else BACKUP; INIT while a member has not started or has stopped. */
static enum vrrp_state group_state(const struct group *g)
{
	enum vrrp_state s = VRRP_BACKUP;

	for (int k = 0; k < g->n; k++) {
		enum vrrp_state m = g->m[k]->sm.state;

		if (m == VRRP_INIT)
			return VRRP_INIT;
		if (m == VRRP_FAULT)
			s = VRRP_FAULT;
		else if (m == VRRP_MASTER && s != VRRP_FAULT)
			s = VRRP_MASTER;
	}
	return s;
}

static void sync_members(struct group *g, struct inst *from, bool master, int64_t now)
{
	log_info("VRRP_Group(%s) Syncing instances to %s state", g->c->name,
		 master ? "MASTER" : "BACKUP");
	syncing = true;
	for (int k = 0; k < g->n; k++) {
		struct inst *in = g->m[k];
		struct vrrp_out out;

		if (in == from)
			continue;
		if (master)
			vrrp_force_master(&in->sm, now, &out);
		else
			vrrp_force_backup(&in->sm, now, &out);
		inst_apply(in, &out, now);
	}
	syncing = false;
}

void group_after(struct inst *in, const struct vrrp_out *out, int64_t now)
{
	struct group *g = grp(in);
	enum vrrp_state s;

	if (!g || syncing || out->from == out->to)
		return;
	if (out->to == VRRP_MASTER)
		sync_members(g, in, true, now);
	else if (out->from == VRRP_MASTER && out->to == VRRP_BACKUP)
		sync_members(g, in, false, now);
	s = group_state(g);
	if (s == g->state)
		return;
	if (s == VRRP_FAULT)
		log_info("VRRP_Group(%s) Syncing instances to FAULT state", g->c->name);
	g->state = s;
	if (s != VRRP_INIT)
		notify_group(g->c, vrrp_state_name(s));
}
