/* SPDX-License-Identifier: MIT */
/* TCP checks (see check_tcp.h). One attempt at a time per check: a
 * non-blocking connect whose completion the loop reports as POLLOUT, the
 * verdict read from SO_ERROR; success = established (closed at once, no
 * data sent), refused, unreachable or timed out = failure. Results go
 * through check_count (rise/fall, retry); transitions alone are logged,
 * in keepalived's words. */
#include "check_tcp.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_count.h"
#include "inst_int.h"
#include "log.h"
#include "loop.h"
#include "proc.h"

struct tcheck {
	const struct conf_tcp_check *c;
	const struct conf_real_server *rs;	/* NULL: a vrrp_tcp_check */
	struct tracker tracker;
	struct check_count cnt;
	struct loop_fd lfd;
	struct loop_timer timer;		/* timeout while connecting, else next attempt */
	bool connecting;
	unsigned scope;				/* ifindex for link-local addresses */
	char where[ADDR_STRLEN + 16];		/* "[IP]:tcp:PORT" as keepalived writes it */
	/* real_server: notify_up / notify_down, one at a time, none lost */
	struct proc proc;
	struct proc_cred cred[2];		/* [0] notify_down, [1] notify_up */
	bool disabled[2];			/* not found, unknown user, unsafe */
	enum track_state owed;			/* a notify to run when proc is free */
	enum track_state notified;		/* the state of the last one started */
};

static struct tcheck *checks;
static int n_checks;

static void on_timer(struct loop_timer *t, int64_t now);
static void on_fd(struct loop_fd *f, short revents);

static void sockaddr_of(const struct vaddr *a, uint16_t port, unsigned scope, struct sockaddr_storage *ss,
			socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->fam == FAM_V6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a->b, 16);
		if (addr_is_v6_linklocal(a))
			s6->sin6_scope_id = scope;
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, a->b, 4);
		*len = sizeof(*s4);
	}
}

/* ---- notify_up / notify_down ---- */

static void run_notify(struct tcheck *k, enum track_state st)
{
	const struct conf_cmd *cmd = st == TRACK_UP ? &k->rs->notify_up : &k->rs->notify_down;
	const struct proc_cred *cr = &k->cred[st == TRACK_UP];

	if (!cmd->argv || k->disabled[st == TRACK_UP])
		return;
	if (k->proc.pid) {
		/* one at a time; a flap meanwhile folds into its latest state */
		k->owed = st;
		return;
	}
	k->owed = TRACK_UNKNOWN;
	if (st == k->notified)
		return;
	k->notified = st;
	if (proc_spawn(&k->proc, cmd->argv, cr->set ? cr : NULL, 0) < 0)
		log_warn("%s:%d: cannot run %s", cmd->pos.file, cmd->pos.line, cmd->argv[0]);
}

static void notify_done(struct proc *p, int status)
{
	struct tcheck *k = container_of(p, struct tcheck, proc);

	if (k->owed != TRACK_UNKNOWN)
		run_notify(k, k->owed);
}

/* keepalived's rules for notify scripts: who runs them (the command's
 * USER, else script_user ...) and whether they may run at all. */
static void cred_of(const struct config *cf, const struct conf_cmd *cmd, struct proc_cred *cr, bool *disabled)
{
	char path[4096];
	bool unsafe;

	*disabled = false;
	if (!cmd->argv)
		return;
	*disabled = proc_cmd_cred(cf, cmd, cr) < 0 ||
		    proc_check_script(cf, cmd, cr, path, sizeof(path), &unsafe) < 0;
}

/* ---- the check ---- */

static void transition(struct tcheck *k)
{
	const struct check_count *n = &k->cnt;

	if (n->state == TRACK_UP)
		log_info("TCP connection to %s success.", k->where);
	else
		log_info("TCP_CHECK on service %s failed after %d retries.", k->where,
			 n->retry ? n->retry : n->ko - 1);
	if (k->rs) {
		run_notify(k, n->state);
		return;
	}
	k->tracker.state = n->state;
	inst_track_changed();
}

static void finish(struct tcheck *k, bool ok, int64_t now)
{
	enum check_next next;

	if (k->connecting) {
		loop_fd_del(&k->lfd);
		close(k->lfd.fd);
		k->lfd.fd = -1;
		k->connecting = false;
	}
	bool changed = check_count_feed(&k->cnt, ok, &next);

	loop_timer_set(&k->timer, now + (int64_t)(next == CHECK_NEXT_RETRY ? k->c->retry_delay_ms
									    : k->c->interval_ms) * 1000);
	if (changed)
		transition(k);
}

static void attempt(struct tcheck *k, int64_t now)
{
	const struct conf_tcp_check *c = k->c;
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(c->ip.fam == FAM_V6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		log_warn("TCP_CHECK on service %s: socket", k->where);
		finish(k, false, now);
		return;
	}
	/* As keepalived: close with a reset, so that no TIME-WAIT is left
	 * on a bind_port, which the next check could not bind again. */
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	if (c->bind_if[0] && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c->bind_if, (socklen_t)strlen(c->bind_if)) < 0)
		log_debug("TCP_CHECK %s: bind_if %s: %s", k->where, c->bind_if, strerror(errno));
	if (c->bindto.fam || c->bind_port) {
		struct vaddr any = { .fam = c->ip.fam };

		sockaddr_of(c->bindto.fam ? &c->bindto : &any, c->bind_port, k->scope, &ss, &len);
		if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
			log_debug("TCP_CHECK %s: bind: %s", k->where, strerror(errno));
			close(fd);
			finish(k, false, now);
			return;
		}
	}
	sockaddr_of(&c->ip, c->port, k->scope, &ss, &len);
	int r = connect(fd, (struct sockaddr *)&ss, len);

	if (r == 0 || errno != EINPROGRESS) {
		close(fd);
		finish(k, r == 0, now);
		return;
	}
	k->lfd.fd = fd;
	if (loop_fd_add(&k->lfd) < 0) {
		close(fd);
		k->lfd.fd = -1;
		finish(k, false, now);
		return;
	}
	k->connecting = true;
	loop_timer_set(&k->timer, now + (int64_t)c->timeout_ms * 1000);
}

static void on_fd(struct loop_fd *f, short revents)
{
	struct tcheck *k = container_of(f, struct tcheck, lfd);
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(f->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	/* POLLOUT with no error: the handshake completed */
	finish(k, err == 0 && (revents & POLLOUT), now_us());
}

static void on_timer(struct loop_timer *t, int64_t now)
{
	struct tcheck *k = container_of(t, struct tcheck, timer);

	if (k->connecting)
		finish(k, false, now);		/* connect_timeout */
	else
		attempt(k, now);
}

/* The link of a link-local address: bind_if, or the interface holding bindto. */
static int scope_of(struct tcheck *k)
{
	const struct conf_tcp_check *c = k->c;
	struct ifaddrs *ifa, *i;

	if (!addr_is_v6_linklocal(&c->ip) && !addr_is_v6_linklocal(&c->bindto))
		return 0;
	if (c->bind_if[0]) {
		k->scope = if_nametoindex(c->bind_if);
		if (!k->scope)
			log_warn("%s:%d: bind_if %s", c->pos.file, c->pos.line, c->bind_if);
		return k->scope ? 0 : -1;
	}
	if (getifaddrs(&ifa) < 0)
		return -1;
	for (i = ifa; i && !k->scope; i = i->ifa_next) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(void *)i->ifa_addr;

		if (s6 && s6->sin6_family == AF_INET6 && !memcmp(&s6->sin6_addr, c->bindto.b, 16))
			k->scope = if_nametoindex(i->ifa_name);
	}
	freeifaddrs(ifa);
	if (!k->scope)
		log_warnx("%s:%d: the bindto address is on no interface here: cannot tell the link of %s",
			  c->pos.file, c->pos.line, k->where);
	return k->scope ? 0 : -1;
}

static int add(const struct config *cf, const struct conf_tcp_check *c, const struct conf_real_server *rs)
{
	struct tcheck *k = &checks[n_checks];
	char a[ADDR_STRLEN];

	memset(k, 0, sizeof(*k));
	k->c = c;
	k->rs = rs;
	k->lfd = (struct loop_fd){ .fd = -1, .events = POLLOUT, .cb = on_fd, .slot = -1 };
	k->timer = (struct loop_timer){ .cb = on_timer, .slot = -1 };
	snprintf(k->where, sizeof(k->where), "[%s]:tcp:%u", addr_str(&c->ip, a), c->port);
	k->cnt = (struct check_count){ .rise = c->rise, .fall = c->fall, .retry = rs ? c->retry : 0 };
	k->tracker = (struct tracker){ .name = c->name, .kind = "tcp" };
	if (rs) {
		/* keepalived (alpha off): a real server starts up */
		k->cnt.state = k->notified = TRACK_UP;
		k->proc.done = notify_done;
		k->proc.kill_timer.slot = -1;	/* not armed: proc.c cancels it at reaping */
		cred_of(cf, &rs->notify_down, &k->cred[0], &k->disabled[0]);
		cred_of(cf, &rs->notify_up, &k->cred[1], &k->disabled[1]);
	}
	if (scope_of(k) < 0)
		return -1;
	n_checks++;
	return 0;
}

int tcp_check_setup(const struct config *cf)
{
	int n = cf->n_tcp_checks + cf->n_real_servers;
	bool lvs = false;

	checks = calloc((size_t)n + 1, sizeof(*checks));
	if (!checks) {
		log_warn("setting up TCP checks");
		return -1;
	}
	for (int i = 0; i < cf->n_tcp_checks; i++) {
		if (add(cf, &cf->tcp_checks[i], NULL) < 0)
			return -1;
		/* every instance whose track_script names it */
		for (int j = 0; j < rt.n_inst; j++) {
			const struct conf_instance *in = rt.inst[j].c;

			for (int t = 0; t < in->n_track_tcp; t++) {
				const struct conf_track *r = &in->track_tcp[t];

				if (strcmp(r->name, cf->tcp_checks[i].name))
					continue;
				if (r->weight && !r->from_group && inst_no_weights(&rt.inst[j])) {
					log_info("(%s) ignoring tracked script %s with weights due to %s", in->name,
						 r->name, inst_no_weights(&rt.inst[j]));
					continue;
				}
				if (inst_track_add(&rt.inst[j], &checks[n_checks - 1].tracker, r->weight, r->reverse) < 0) {
					log_warn("setting up TCP checks");
					return -1;
				}
			}
		}
	}
	for (int i = 0; i < cf->n_real_servers; i++) {
		if (!cf->real_servers[i].has_check)
			continue;
		lvs = true;
		if (add(cf, &cf->real_servers[i].check, &cf->real_servers[i]) < 0)
			return -1;
	}
	if (lvs)
		log_info("virtual_server blocks: TCP checks run and notify_up/notify_down fire; IPVS is not programmed by tinyvrrp");
	return 0;
}

void tcp_check_start(void)
{
	int64_t now = now_us();

	for (int i = 0; i < n_checks; i++) {
		/* vrrp_tcp_check: a state carried over a reload goes on. */
		if (!checks[i].rs)
			checks[i].cnt.state = checks[i].tracker.state;
		attempt(&checks[i], now);
	}
}

void tcp_check_stop(void)
{
	for (int i = 0; i < n_checks; i++) {
		struct tcheck *k = &checks[i];

		loop_timer_cancel(&k->timer);
		if (k->connecting) {
			loop_fd_del(&k->lfd);
			close(k->lfd.fd);
			k->lfd.fd = -1;
			k->connecting = false;
		}
		k->owed = TRACK_UNKNOWN;
	}
}

void tcp_check_teardown(void)
{
	tcp_check_stop();
	free(checks);
	checks = NULL;
	n_checks = 0;
}
