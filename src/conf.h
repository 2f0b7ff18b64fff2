/* SPDX-License-Identifier: MIT */
/* The parsed configuration: what keepalived.conf says, with keepalived's
 * defaults filled in. Built once by conf_load(), read-only afterwards. */
#ifndef TINYVRRP_CONF_H
#define TINYVRRP_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"

#define CONF_NAME_MAX 64
#define CONF_IFNAME_MAX 16	/* IFNAMSIZ */

/* Where a thing was written; file names live as long as the config. */
struct conf_pos {
	const char *file;
	int line;
};

enum conf_auth { AUTH_NONE = 0, AUTH_PASS = 1, AUTH_AH = 2 };

/* RT_SCOPE_* values, spelt out so this header needs no rtnetlink.h. */
enum { SCOPE_GLOBAL = 0, SCOPE_SITE = 200, SCOPE_LINK = 253, SCOPE_HOST = 254, SCOPE_NOWHERE = 255 };

struct conf_vip {
	struct conf_pos pos;
	struct vaddr addr;
	uint8_t plen;			/* /32 or /128 when not written */
	bool has_plen;
	uint8_t scope;			/* SCOPE_*; default global */
	bool has_brd;
	struct vaddr brd;
	char dev[CONF_IFNAME_MAX];	/* "" = the instance's interface */
	char label[CONF_IFNAME_MAX];	/* "" = none */
	bool nodad;			/* IPv6: default true; "-nodad" clears it */
	bool no_track;			/* deleted behind our back: re-add at next transition only */
};

struct conf_peer {
	struct conf_pos pos;
	struct vaddr addr;
	int min_ttl, max_ttl;		/* 0 = not given */
};

/* An entry of track_script / track_interface. */
struct conf_track {
	struct conf_pos pos;
	char name[CONF_NAME_MAX];
	int weight;
	bool has_weight;		/* false: the script's own weight */
	bool reverse;
	bool from_group;		/* a sync group's, given to its members */
};

/* A command line of a notify_* or script keyword: argv split as keepalived does
 * (the quoted string is split on blanks), optional USER [GROUP] after it. */
struct conf_cmd {
	struct conf_pos pos;
	char **argv;			/* NULL-terminated; NULL = not configured */
	int argc;
	char user[CONF_NAME_MAX];	/* "" = script_user */
	char group[CONF_NAME_MAX];
};

struct conf_script {
	struct conf_pos pos;
	char name[CONF_NAME_MAX];
	struct conf_cmd cmd;
	uint32_t interval_ms;		/* default 1000 */
	uint32_t timeout_ms;		/* default = interval */
	int weight;			/* default 0 (FAULT on failure) */
	bool reverse;
	int rise, fall;			/* default 1, 1 */
	bool init_fail;
};

/* vrrp_tcp_check NAME { } (tracked like a vrrp_script), or the TCP_CHECK of
 * a real_server: a TCP connect, success = connection established. */
struct conf_tcp_check {
	struct conf_pos pos;
	char name[CONF_NAME_MAX];	/* "" in a real_server */
	struct vaddr ip;		/* connect_ip; real_server: its address */
	uint16_t port;			/* connect_port; real_server: its port */
	struct vaddr bindto;		/* FAM_NONE = the kernel's choice */
	uint16_t bind_port;		/* 0 = any */
	char bind_if[CONF_IFNAME_MAX];	/* "" = none; gives link-local addresses their scope */
	uint32_t timeout_ms;		/* connect_timeout; default 5000 */
	uint32_t interval_ms;		/* interval (default 1000); real_server: delay_loop (60000) */
	int weight;			/* vrrp_tcp_check: default 0 (FAULT on failure) */
	bool reverse;
	int rise, fall;			/* vrrp_tcp_check: default 1, 1 */
	int retry;			/* real_server: further tries before DOWN; default 1 */
	uint32_t retry_delay_ms;	/* delay_before_retry; default 1000 */
};

/* A real_server of a virtual_server, with its TCP_CHECK if it has one. */
struct conf_real_server {
	struct conf_pos pos;
	struct vaddr vs_addr;		/* FAM_NONE: fwmark or group virtual_server */
	uint16_t vs_port;
	struct vaddr addr;
	uint16_t port;
	int weight;			/* default 1 */
	struct conf_cmd notify_up, notify_down;
	bool has_check;
	struct conf_tcp_check check;
};

/* track_file NAME { file PATH; weight N [reverse]; init_file [VALUE] [overwrite] } */
#define CONF_PATH_MAX 256
struct conf_track_file {
	struct conf_pos pos;
	char name[CONF_NAME_MAX];
	char path[CONF_PATH_MAX];	/* "" = not given (an error) */
	int weight;			/* default 1 */
	bool reverse;
	bool init_file;			/* create the file if missing */
	int init_value;			/* default 0 */
	bool overwrite;			/* write init_value even if it exists */
};

struct conf_garp {
	uint32_t delay_ms;		/* second burst after becoming master; default 5000, 0 = none */
	int repeat;			/* per burst; default 5 */
	uint32_t refresh_ms;		/* periodic while master; default 0 = off */
	int refresh_repeat;		/* default 1 */
	uint32_t interval_us;		/* spacing of GARPs (vrrp_garp_interval); default 0 */
	uint32_t na_interval_us;	/* spacing of NAs (vrrp_gna_interval); default 0 */
	uint32_t lower_prio_delay_ms;	/* default = delay_ms */
	int lower_prio_repeat;		/* default = repeat */
};

enum conf_state { WANT_BACKUP = 0, WANT_MASTER = 1 };

struct conf_instance {
	struct conf_pos pos;		/* the "vrrp_instance NAME {" line */
	char name[CONF_NAME_MAX];
	char ifname[CONF_IFNAME_MAX];	/* "" = not given */
	struct conf_pos if_pos;
	int vrid;			/* 1-255; 0 = not given */
	struct conf_pos vrid_pos;
	int priority;			/* 1-255; default 100, 255 if state MASTER and no priority */
	enum conf_state state;		/* initial wish */
	int version;			/* 2 or 3 (IPv6 forces 3) */
	uint16_t adv_cs;		/* advert interval, centiseconds: v2 multiple of 100 */
	uint8_t family;			/* FAM_V4/FAM_V6, from the first VIP (FAM_V4 if none) */
	bool nopreempt;
	uint32_t preempt_delay_ms;
	enum conf_auth auth_type;
	uint8_t auth_pass[8];		/* zero padded */
	bool accept;			/* keepalived default: true (false under strict, non-owner) */
	bool dont_track_primary;
	bool has_src;			/* mcast_src_ip / unicast_src_ip given */
	struct vaddr src;
	struct conf_vip *vips;		/* virtual_ipaddress */
	int n_vips;
	struct conf_vip *vips_ex;	/* virtual_ipaddress_excluded */
	int n_vips_ex;
	struct conf_peer *peers;	/* unicast_peer */
	int n_peers;
	struct conf_track *track_if;
	int n_track_if;
	struct conf_track *track_script;
	int n_track_script;
	struct conf_track *track_file;	/* names of track_file blocks */
	int n_track_file;
	struct conf_garp garp;
	struct conf_cmd notify_master, notify_backup, notify_fault, notify_stop, notify;
	/* notify_deleted [CMD]: removed by a reload, the instance notifies
	 * DELETED (and runs CMD), not keepalived's default FAULT. */
	struct conf_cmd notify_deleted;
	bool notify_deleted_set;
	int down_timer_adverts;		/* default 3 */
	bool skip_check_adv_addr;
	bool strict;
	bool lower_prio_no_advert;
	bool higher_prio_send_advert;
	bool v3_checksum_as_v2;		/* v3/IPv4: checksum without pseudo-header */
	bool check_unicast_src;
	struct vaddr mcast_group;	/* vrrp_mcast_group4/6 resolved for this family */
	/* track_script entries naming a vrrp_tcp_check: moved here by the
	 * checks, so track_script names vrrp_scripts only */
	struct conf_track *track_tcp;
	int n_track_tcp;
};

/* VIPs then excluded VIPs, as one list (what goes on the system). */
static inline int conf_vip_count(const struct conf_instance *c)
{
	return c->n_vips + c->n_vips_ex;
}

static inline const struct conf_vip *conf_vip_at(const struct conf_instance *c, int i)
{
	return i < c->n_vips ? &c->vips[i] : &c->vips_ex[i - c->n_vips];
}

struct conf_group {
	struct conf_pos pos;
	char name[CONF_NAME_MAX];
	char (*members)[CONF_NAME_MAX];
	struct conf_pos *member_pos;
	int n_members;
	struct conf_cmd notify_master, notify_backup, notify_fault, notify_stop, notify;
	/* Trackers of the whole group: conf_check hands them to every member,
	 * weights and all (keepalived 2.2.7 drops only the members' own
	 * weights). */
	struct conf_track *track_if, *track_script, *track_file;
	int n_track_if, n_track_script, n_track_file;
	/* sync_group_tracking_weight (or the old global_tracking): the
	 * members keep their own tracker weights. */
	bool tracking_weight;
};

struct config {
	char router_id[CONF_NAME_MAX];
	int vrrp_version;		/* default 2 */
	struct vaddr mcast4, mcast6;	/* 224.0.0.18, ff02::12 */
	struct conf_garp garp;		/* vrrp_garp_* defaults for instances */
	bool skip_check_adv_addr, strict, check_unicast_src;
	bool lower_prio_no_advert, higher_prio_send_advert, v3_checksum_as_v2;
	char script_user[CONF_NAME_MAX];	/* "" = not given */
	char script_group[CONF_NAME_MAX];
	bool script_security;
	uint32_t startup_delay_ms;
	/* notify_fifo / vrrp_notify_fifo FIFO [USER [GROUP]]: path in argv[0] */
	struct conf_cmd notify_fifo, vrrp_notify_fifo;

	struct conf_instance *inst;
	int n_inst;
	struct conf_script *scripts;
	int n_scripts;
	struct conf_group *groups;
	int n_groups;
	struct conf_track_file *track_files;
	int n_track_files;
	struct conf_tcp_check *tcp_checks;	/* vrrp_tcp_check */
	int n_tcp_checks;
	struct conf_real_server *real_servers;	/* every virtual_server's */
	int n_real_servers;

	int n_warnings;
	int n_errors;			/* > 0: refuse to run; -t exits 4 */
	void *arena;			/* owned memory, freed by conf_free() */
};

/* Diagnostics go through this hook: "FILE:LINE: text", level is LOG_ERR or
 * LOG_WARNING (syslog numbering). Default prints to stderr. */
typedef void (*conf_diag_fn)(int level, const struct conf_pos *pos, const char *msg);

struct conf_opts {
	const char *config_id;		/* for "@ID" lines; NULL = short hostname */
	conf_diag_fn diag;		/* NULL = stderr */
	bool no_include;		/* fuzzing: "include" reads nothing */
};

/* Read, parse and check PATH (with includes). Returns NULL only if PATH
 * itself cannot be opened or memory runs out (errno set); otherwise a
 * config whose n_errors says whether it may be used. */
struct config *conf_load(const char *path, const struct conf_opts *opts);
/* The same for TEXT held in memory; NAME is used in diagnostics and
 * relative includes. Returns NULL only when out of memory. */
struct config *conf_load_string(const char *name, const char *text, const struct conf_opts *opts);
void conf_free(struct config *c);

/* Canonical text form (-d): stable, one fact per line, used by tests. */
void conf_dump(const struct config *c, FILE *out);

#endif
