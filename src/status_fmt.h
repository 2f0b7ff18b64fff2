/* SPDX-License-Identifier: MIT */
/* What `tinyvrrp status` prints, as a table or as JSON, from a snapshot of
 * plain data; plus the JSON text helpers keepalived's dump shares. Pure:
 * no syscalls, tested on its own. */
#ifndef TINYVRRP_STATUS_FMT_H
#define TINYVRRP_STATUS_FMT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "track.h"
#include "vrrp.h"
#include "vrrp_pkt.h"

struct status_inst {
	const char *name;
	const char *ifname;
	int vrid;
	int version;			/* 2 or 3 */
	uint8_t family;			/* FAM_V4 / FAM_V6 */
	enum vrrp_state state;
	int base_prio, prio;		/* configured, effective */
	struct vaddr master;		/* FAM_NONE: none known */
	int64_t changed_at;		/* wall clock µs of the last transition, 0 = none */
	const struct track_ref *trk;
	int n_trk;
	uint64_t rx, tx, became_master, released_master, prio0_rx, prio0_tx;
	const uint64_t *drops;		/* DROP__COUNT counters */
};

struct status_snap {
	const struct status_inst *inst;
	int n_inst;
	const uint64_t *drops;		/* DROP__COUNT, not attributable to an instance */
};

/* One line per instance, indented tracker, counter and (non-zero) drop
 * lines under it, then the global drops if any. */
void status_fmt_table(FILE *f, const struct status_snap *s);
/* {"instances":[...],"drops":{...}} and a newline; keys never change. */
void status_fmt_json(FILE *f, const struct status_snap *s);

/* "up", "down", "unknown" */
const char *status_track_word(enum track_state st);

/* JSON helpers. A string in quotes, escaped; bytes that are not UTF-8
 * become U+FFFD so that any reader accepts the text. */
void json_str(FILE *f, const char *s);
/* v / 10^digits as a decimal number without floating point, e.g.
 * (150, 2) -> "1.5", (100, 2) -> "1"; trailing zeros trimmed unless keep. */
void json_fixed(FILE *f, int64_t v, int digits, bool keep);
/* ISO 8601 UTC "2026-01-31T12:00:00Z" of a wall-clock µs value into buf
 * (at least 24 bytes); "-" for 0. Returns buf. */
const char *status_iso8601(int64_t us, char *buf, size_t len);

#endif
