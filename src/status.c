/* SPDX-License-Identifier: MIT */
/* The control socket: `tinyvrrp status` asks, the daemon answers from its
 * poll loop. Every descriptor is non-blocking and every client has a
 * deadline, so a stuck or malicious client costs a slot, never the loop.
 * Only root may ask: the socket is 0600 and the peer's uid is checked. */
#include "status.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>	/* struct timeval: glibc's sys/socket.h brings it, musl's does not */
#include <sys/un.h>
#include <unistd.h>

#include "inst_int.h"
#include "log.h"
#include "loop.h"
#include "status_fmt.h"

#define MAX_CLIENTS 4
#define REQ_MAX 64			/* "status json\n" and room to spare */
#define REQ_DEADLINE_US 1000000		/* to send the request line */
#define REPLY_DEADLINE_US 5000000	/* to read the whole answer */

struct client {
	struct loop_fd lf;
	struct loop_timer deadline;
	char req[REQ_MAX];
	size_t req_len;
	char *out;			/* the answer, built at once (open_memstream) */
	size_t out_len, out_off;
};

static struct client clients[MAX_CLIENTS];
static struct loop_fd lsn = { .fd = -1, .slot = -1 };
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

static int set_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa->sun_path, path);
	return 0;
}

static void client_close(struct client *c)
{
	loop_fd_del(&c->lf);
	loop_timer_cancel(&c->deadline);
	close(c->lf.fd);
	c->lf.fd = -1;
	free(c->out);
	c->out = NULL;
}

/* One instance's runtime state as the formatter wants it. */
static void snap_inst(const struct inst *in, struct status_inst *si)
{
	const struct conf_instance *c = in->c;

	*si = (struct status_inst){
		.name = c->name,
		.ifname = c->ifname,
		.vrid = c->vrid,
		.version = c->version,
		.family = c->family,
		.state = in->sm.state,
		.base_prio = c->priority,
		.prio = in->sm.prio,
		.master = in->sm.state == VRRP_MASTER ? in->self : in->sm.master,
		.changed_at = in->changed_at,
		.trk = in->trk,
		.n_trk = in->n_trk,
		.rx = in->rx,
		.tx = in->tx,
		.became_master = in->became_master,
		.released_master = in->released_master,
		.prio0_rx = in->prio0_rx,
		.prio0_tx = in->prio0_tx,
		.drops = in->drops,
	};
}

/* The answer to one request line, into a malloc'ed buffer. */
static int answer(struct client *c, const char *req)
{
	FILE *f = open_memstream(&c->out, &c->out_len);
	struct status_inst *si = NULL;

	if (!f)
		return -1;
	if (strcmp(req, "status") == 0 || strcmp(req, "status json") == 0) {
		si = calloc(rt.n_inst ? (size_t)rt.n_inst : 1, sizeof(*si));
		if (si) {
			struct status_snap s = { .inst = si, .n_inst = rt.n_inst, .drops = rt.drops };

			for (int i = 0; i < rt.n_inst; i++)
				snap_inst(&rt.inst[i], &si[i]);
			if (req[6])
				status_fmt_json(f, &s);
			else
				status_fmt_table(f, &s);
		} else {
			fputs("error: out of memory\n", f);
		}
	} else {
		fputs("error: unknown request\n", f);
	}
	free(si);
	return fclose(f) == 0 ? 0 : -1;
}

/* Write what the socket takes; 1 when all is written. */
static int flush_out(struct client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->lf.fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		c->out_off += (size_t)n;
	}
	return 1;
}

static void on_client(struct loop_fd *lf, short revents);

/* Switch from reading the request to writing the answer. */
static void respond(struct client *c, const char *req)
{
	int r;

	if (answer(c, req) < 0) {
		log_warn("control socket: building the answer");
		client_close(c);
		return;
	}
	r = flush_out(c);
	if (r != 0) {
		client_close(c);
		return;
	}
	/* The socket buffer is full (a large JSON answer): wait for POLLOUT. */
	loop_fd_del(&c->lf);
	c->lf.events = POLLOUT;
	if (loop_fd_add(&c->lf) < 0) {
		client_close(c);
		return;
	}
	loop_timer_set(&c->deadline, now_us() + REPLY_DEADLINE_US);
}

static void on_client(struct loop_fd *lf, short revents)
{
	struct client *c = container_of(lf, struct client, lf);
	ssize_t n;
	char *nl;

	if (c->out) {
		if (flush_out(c) != 0)
			client_close(c);
		return;
	}
	n = recv(lf->fd, c->req + c->req_len, sizeof(c->req) - 1 - c->req_len, 0);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			client_close(c);
		return;
	}
	c->req_len += (size_t)n;
	c->req[c->req_len] = '\0';
	nl = strchr(c->req, '\n');
	if (nl) {
		*nl = '\0';
	} else if (n > 0 && c->req_len < sizeof(c->req) - 1) {
		return;		/* more to come */
	} else if (n > 0) {
		respond(c, "");	/* too long: "unknown request" */
		return;
	}
	/* A line, or the client shut its side down after a request without one. */
	nl = strchr(c->req, '\r');
	if (nl)
		*nl = '\0';
	respond(c, c->req);
}

static void on_deadline(struct loop_timer *t, int64_t now)
{
	client_close(container_of(t, struct client, deadline));
}

/* Defence in depth behind the 0600 mode: a process that may open the
 * socket anyway (CAP_DAC_OVERRIDE without being root) is still refused. */
static bool peer_is_root(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 && cr.uid == 0;
}

static void on_accept(struct loop_fd *lf, short revents)
{
	static const char busy[] = "error: busy, try again\n";
	static const char denied[] = "error: permission denied\n";

	for (;;) {
		int fd = accept4(lf->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct client *c = NULL;

		if (fd < 0)
			return;		/* EAGAIN, or a client that went away */
		if (!peer_is_root(fd)) {
			log_warnx("control socket: refused a client that is not root");
			(void)!send(fd, denied, sizeof(denied) - 1, MSG_NOSIGNAL);
			close(fd);
			continue;
		}
		for (int i = 0; i < MAX_CLIENTS && !c; i++)
			if (clients[i].lf.fd < 0)
				c = &clients[i];
		if (!c) {
			(void)!send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL);
			close(fd);
			continue;
		}
		c->lf = (struct loop_fd){ .fd = fd, .events = POLLIN, .cb = on_client, .slot = -1 };
		c->deadline = (struct loop_timer){ .cb = on_deadline, .slot = -1 };
		c->req_len = 0;
		c->out_len = c->out_off = 0;
		if (loop_fd_add(&c->lf) < 0) {
			close(fd);
			c->lf.fd = -1;
			continue;
		}
		loop_timer_set(&c->deadline, now_us() + REQ_DEADLINE_US);
	}
}

/* 1: a daemon answers at path; 0: nobody (absent or stale socket). */
static int someone_listens(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int r;

	if (fd < 0)
		return 0;
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	/* EAGAIN: a listener whose queue is full is alive too. */
	r = r == 0 || errno == EAGAIN;
	close(fd);
	return r;
}

int status_open(const char *path)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;
	int fd;

	for (int i = 0; i < MAX_CLIENTS; i++)
		clients[i].lf.fd = -1;
	/* Absolute: the daemon changes to / before it removes the socket. */
	if (path[0] != '/') {
		char cwd[sizeof(sock_path)];

		if (!getcwd(cwd, sizeof(cwd)) ||
		    snprintf(sock_path, sizeof(sock_path), "%s/%s", cwd, path) >= (int)sizeof(sock_path)) {
			log_warnx("control socket %s: path too long", path);
			return -1;
		}
		path = sock_path;
	}
	if (set_addr(&sa, path) < 0) {
		log_warnx("control socket %s: path too long", path);
		return -1;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			log_warnx("control socket %s: exists and is not a socket; not replacing it", path);
			return -1;
		}
		if (someone_listens(&sa)) {
			log_warnx("control socket %s: another daemon answers there", path);
			errno = EADDRINUSE;
			return -1;
		}
		unlink(path);	/* stale: its daemon is gone */
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_warn("control socket");
		return -1;
	}
	/* The socket is created 0600: there is no moment it is wider. */
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		umask(old);
		log_warn("control socket %s", path);
		close(fd);
		return -1;
	}
	umask(old);
	if (listen(fd, 8) < 0) {
		log_warn("control socket %s", path);
		close(fd);
		unlink(path);
		return -1;
	}
	lsn = (struct loop_fd){ .fd = fd, .events = POLLIN, .cb = on_accept, .slot = -1 };
	if (loop_fd_add(&lsn) < 0) {
		log_warn("control socket %s", path);
		close(fd);
		unlink(path);
		lsn.fd = -1;
		return -1;
	}
	if (path != sock_path)
		strcpy(sock_path, path);
	return 0;
}

void status_close(void)
{
	/* Clients exist only while listening (and fd 0 is not "none"). */
	if (lsn.fd < 0)
		return;
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].lf.fd >= 0)
			client_close(&clients[i]);
	loop_fd_del(&lsn);
	close(lsn.fd);
	lsn.fd = -1;
	unlink(sock_path);
}

/* ---- client ---- */

int status_client(const char *path, bool json)
{
	static const char *const req[] = { "status\n", "status json\n" };
	struct sockaddr_un sa;
	struct timeval tv = { .tv_sec = 10 };
	char buf[4096];
	size_t len = strlen(req[json]);
	ssize_t n;
	bool first = true, error = false;
	int fd;

	if (set_addr(&sa, path) < 0) {
		fprintf(stderr, "status: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		fprintf(stderr, "status: cannot reach the daemon at %s: %s%s\n", path, strerror(e),
			e == ENOENT || e == ECONNREFUSED ? " (is it running?)" :
			e == EACCES || e == EPERM ? " (root only)" : "");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* The daemon answers at once; a bound wait keeps scripts from hanging. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (send(fd, req[json], len, MSG_NOSIGNAL) != (ssize_t)len) {
		fprintf(stderr, "status: sending to %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		/* The daemon's refusals are one "error: ..." line. */
		if (first && n >= 7 && memcmp(buf, "error: ", 7) == 0)
			error = true;
		first = false;
		if (fwrite(buf, 1, (size_t)n, error ? stderr : stdout) != (size_t)n)
			break;
	}
	/* After a refusal the daemon closes without reading the request,
	 * which resets the connection: the refusal says it all. */
	if (n < 0 && !error)
		fprintf(stderr, "status: reading from %s: %s\n", path, strerror(errno));
	close(fd);
	if (fflush(stdout) != 0)
		return -1;
	return n < 0 || first || error ? -1 : 0;
}
