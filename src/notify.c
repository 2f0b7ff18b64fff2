/* SPDX-License-Identifier: MIT */
/* Notifications, keepalived's contract: per transition the state script
 * (notify_master/backup/fault/stop, argv as configured), then `notify` with
 * four more arguments (INSTANCE|GROUP, name, state, priority), then the FIFO
 * line. Unlike keepalived, which forks and forgets, the scripts of one
 * instance (or group) run one at a time in transition order, so a slow
 * notify_master cannot finish after the notify_backup that followed it.
 *
 * Nothing is lost: each instance has a queue of pending transitions (two
 * bytes each) that starts with room for 64 and doubles when full; the only
 * limit is memory, and growing is logged, since it means the scripts are
 * slower than the transitions. A script that hangs would stall its
 * instance's queue for ever, so each is killed after NOTIFY_TIMEOUT_US
 * (keepalived never kills them; long enough for a cloud API call). */
#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"

#define NOTIFY_TIMEOUT_US (60 * 1000000LL)
#define QUEUE_START 64

enum { ST_MASTER, ST_BACKUP, ST_FAULT, ST_STOP, ST_DELETED, N_ST };
static const char *const st_word[N_ST] = { "MASTER", "BACKUP", "FAULT", "STOP", "DELETED" };

struct job {
	uint8_t st;
	uint8_t prio;
};

struct nq {
	const char *kind;		/* "INSTANCE" / "GROUP" */
	const char *name;
	char **argv[N_ST + 1];		/* per state, then `notify` with 4 free slots; NULL: none */
	struct proc_cred cred[N_ST + 1];
	char prio_s[4];
	struct job *q;
	int head, n, cap;
	int step;			/* of the head job: 0 state script, 1 notify, 2 done */
	struct proc proc;
};

static const struct config *conf;
static struct nq *qs;			/* instances, then groups */
static int n_qs;

struct fifo {
	const struct conf_cmd *c;
	int fd;
	int64_t err_logged;
};
static struct fifo fifos[2];

static void run_next(struct nq *q);
static void restore_held(void);

static void on_done(struct proc *p, int status)
{
	struct nq *q = container_of(p, struct nq, proc);

	if (p->timed_out)
		log_warnx("%s %s: notify script killed after %lld s", q->kind, q->name,
			  (long long)(NOTIFY_TIMEOUT_US / 1000000));
	run_next(q);
}

/* The argv of job j's script which (its state's, or N_ST: `notify` with
 * its four words filled in); NULL when that script is not configured. */
static char **job_argv(struct nq *q, const struct job *j, int which)
{
	char **a = q->argv[which];
	int i = 0;

	if (!a || which != N_ST)
		return a;
	while (a[i])
		i++;
	snprintf(q->prio_s, sizeof(q->prio_s), "%u", j->prio);
	a[i - 4] = (char *)q->kind;
	a[i - 3] = (char *)q->name;
	a[i - 2] = (char *)st_word[j->st];
	a[i - 1] = q->prio_s;
	return a;
}

/* Job j's script which, watched by q->proc, or (orphan) on its own. */
static void spawn(struct nq *q, const struct job *j, int which, bool orphan)
{
	char **a = job_argv(q, j, which);
	int rc;

	if (!a)
		return;
	rc = orphan ? proc_spawn_orphan(a, &q->cred[which], NOTIFY_TIMEOUT_US) :
		      proc_spawn(&q->proc, a, &q->cred[which], NOTIFY_TIMEOUT_US);
	if (rc < 0)
		log_warn("%s %s: cannot start %s", q->kind, q->name, a[0]);
}

/* Start the next script of the head job, or move to the next job. */
static void run_next(struct nq *q)
{
	while (q->n > 0 && !q->proc.pid) {
		const struct job *j = &q->q[q->head];

		if (q->step == 0) {
			q->step = 1;
			spawn(q, j, j->st, false);
		} else if (q->step == 1) {
			q->step = 2;
			spawn(q, j, N_ST, false);
		} else {
			q->head = (q->head + 1) % q->cap;
			q->n--;
			q->step = 0;
		}
	}
}

static int push(struct nq *q, uint8_t st, uint8_t prio)
{
	if (q->n == q->cap) {
		int cap = q->cap * 2;
		struct job *nj = malloc((size_t)cap * sizeof(*nj));

		if (!nj)
			return -1;
		for (int i = 0; i < q->n; i++)
			nj[i] = q->q[(q->head + i) % q->cap];
		free(q->q);
		q->q = nj;
		q->head = 0;
		q->cap = cap;
		log_warnx("%s %s: notify scripts are slower than the transitions; %d waiting",
			  q->kind, q->name, q->n);
	}
	q->q[(q->head + q->n) % q->cap] = (struct job){ .st = st, .prio = prio };
	q->n++;
	return 0;
}

static void fifo_write(const char *kind, const char *name, const char *state, int prio)
{
	char line[CONF_NAME_MAX + 48];
	int len = snprintf(line, sizeof(line), "%s \"%s\" %s %d\n", kind, name, state, prio);

	for (int i = 0; i < 2; i++) {
		struct fifo *f = &fifos[i];

		if (f->fd < 0)
			continue;
		/* One write below PIPE_BUF is atomic; a full pipe drops the
		 * line rather than block the loop. */
		if (write(f->fd, line, (size_t)len) != len) {
			int64_t now = now_us();

			if (!f->err_logged || now - f->err_logged > 10 * 1000000LL) {
				log_warn("notify FIFO %s: line dropped", f->c->argv[0]);
				f->err_logged = now;
			}
		}
	}
}

static void notify(struct nq *q, const char *state, int prio)
{
	int st;

	for (st = 0; st < N_ST; st++)
		if (strcmp(state, st_word[st]) == 0)
			break;
	if (st == N_ST)
		return;
	if (q->argv[st] || q->argv[N_ST]) {
		if (push(q, (uint8_t)st, (uint8_t)prio) < 0)
			log_warn("%s %s: notification %s lost", q->kind, q->name, state);
		run_next(q);
	}
	fifo_write(q->kind, q->name, state, prio);
}

/* Instance c's queue; NULL when c is not of the configuration set up. */
static struct nq *inst_queue(const struct conf_instance *c)
{
	if (!qs || c < conf->inst || c >= conf->inst + conf->n_inst)
		return NULL;
	return &qs[c - conf->inst];
}

void notify_instance(const struct conf_instance *c, const char *state, int prio)
{
	struct nq *q = inst_queue(c);

	if (q)
		notify(q, state, prio);
}

void notify_flush_instance(const struct conf_instance *c)
{
	struct nq *q = inst_queue(c);

	if (!q)
		return;
	for (int k = 0; k < q->n; k++) {
		const struct job *j = &q->q[(q->head + k) % q->cap];

		/* step 0: the state's script, 1: `notify`; the head job has
		 * started q->step of them. */
		for (int s = k ? 0 : q->step; s < 2; s++)
			spawn(q, j, s == 0 ? j->st : N_ST, true);
	}
	q->n = 0;
	q->step = 0;
}

void notify_group(const struct conf_group *g, const char *state)
{
	if (!qs || g < conf->groups || g >= conf->groups + conf->n_groups)
		return;
	notify(&qs[conf->n_inst + (g - conf->groups)], state, 0);
}

/* argv of a configured command with argv[0] resolved, extra free slots
 * after it; NULL when not configured or disabled (logged). */
static char **cmd_argv(const struct config *cf, const struct conf_cmd *cmd, int extra,
		       struct proc_cred *cred)
{
	char path[PATH_MAX];
	bool unsafe;
	char **a;

	if (!cmd->argv)
		return NULL;
	if (proc_cmd_cred(cf, cmd, cred) < 0 ||
	    proc_check_script(cf, cmd, cred, path, sizeof(path), &unsafe) < 0)
		return NULL;
	a = calloc((size_t)(cmd->argc + extra + 1), sizeof(char *));
	if (!a || !(a[0] = strdup(path))) {
		free(a);
		return NULL;
	}
	for (int i = 1; i < cmd->argc; i++)
		a[i] = cmd->argv[i];
	for (int i = 0; i < extra; i++)
		a[cmd->argc + i] = (char *)"";
	return a;
}

static void setup_q(const struct config *cf, struct nq *q, const char *kind, const char *name,
		    const struct conf_cmd *const cmds[N_ST + 1])
{
	q->kind = kind;
	q->name = name;
	q->proc.done = on_done;
	q->proc.kill_timer.slot = -1;
	for (int i = 0; i <= N_ST; i++)
		q->argv[i] = cmd_argv(cf, cmds[i], i == N_ST ? 4 : 0, &q->cred[i]);
}

static void fifo_open(struct fifo *f, const struct config *cf)
{
	const char *path = f->c->argv[0];
	struct stat st;

	f->fd = -1;
	/* keepalived creates the FIFO if need be. */
	if (stat(path, &st) < 0) {
		if (mkfifo(path, 0600) < 0) {
			log_warn("notify FIFO %s", path);
			return;
		}
		if (f->c->user[0]) {
			struct proc_cred cr;

			if (proc_cred_lookup(f->c->user, f->c->group, &cr) == 0 &&
			    chown(path, cr.uid, cr.gid) < 0)
				log_warn("notify FIFO %s: chown", path);
		}
	} else if (!S_ISFIFO(st.st_mode)) {
		log_warnx("notify FIFO %s is not a FIFO", path);
		return;
	}
	/* Read-write, as keepalived: opening never waits for a reader and
	 * writing never fails for want of one. */
	f->fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (f->fd < 0)
		log_warn("notify FIFO %s", path);
}

int notify_setup(const struct config *cf)
{
	conf = cf;
	n_qs = cf->n_inst + cf->n_groups;
	qs = calloc((size_t)n_qs + 1, sizeof(*qs));
	if (!qs)
		return -1;
	for (int i = 0; i < cf->n_inst; i++) {
		const struct conf_instance *c = &cf->inst[i];
		const struct conf_cmd *const cmds[] = { &c->notify_master, &c->notify_backup,
			&c->notify_fault, &c->notify_stop, &c->notify_deleted, &c->notify };

		setup_q(cf, &qs[i], "INSTANCE", c->name, cmds);
	}
	for (int g = 0; g < cf->n_groups; g++) {
		const struct conf_group *c = &cf->groups[g];
		static const struct conf_cmd none;
		const struct conf_cmd *const cmds[] = { &c->notify_master, &c->notify_backup,
			&c->notify_fault, &c->notify_stop, &none, &c->notify };

		setup_q(cf, &qs[cf->n_inst + g], "GROUP", c->name, cmds);
	}
	for (int i = 0; i < n_qs; i++) {
		qs[i].cap = QUEUE_START;
		qs[i].q = calloc(QUEUE_START, sizeof(struct job));
		if (!qs[i].q)
			return -1;
	}
	fifos[0] = (struct fifo){ .c = &cf->notify_fifo, .fd = -1 };
	fifos[1] = (struct fifo){ .c = &cf->vrrp_notify_fifo, .fd = -1 };
	if (fifos[0].c->argv)
		fifo_open(&fifos[0], cf);
	/* The same FIFO under both names gets each line once. */
	if (fifos[1].c->argv && !(fifos[0].c->argv && !strcmp(fifos[0].c->argv[0], fifos[1].c->argv[0])))
		fifo_open(&fifos[1], cf);
	restore_held();
	return 0;
}

/* Reload: the jobs still waiting in each queue, by kind and name, for the
 * queue of the same name in the new configuration. A script that is
 * running goes on as an orphan (proc_forget_all); the new queue claims it
 * back and waits for it, as the old one would have, before the job's later
 * steps and the next jobs. */
struct held {
	const char *kind;
	char name[CONF_NAME_MAX];
	struct job *jobs;
	int n, step;
	pid_t pid;
};
static struct held *held;
static int n_held;

void notify_hold(void)
{
	if (held)
		return;		/* a setup that failed never took them */
	held = calloc((size_t)n_qs + 1, sizeof(*held));
	n_held = 0;
	for (int i = 0; held && i < n_qs; i++) {
		struct nq *q = &qs[i];
		struct held *h = &held[n_held];

		if (!q->n)
			continue;
		h->jobs = malloc((size_t)q->n * sizeof(*h->jobs));
		if (!h->jobs)
			continue;
		h->kind = q->kind;
		snprintf(h->name, sizeof(h->name), "%s", q->name);
		for (int k = 0; k < q->n; k++)
			h->jobs[k] = q->q[(q->head + k) % q->cap];
		h->n = q->n;
		h->step = q->step;
		h->pid = q->proc.pid;
		n_held++;
	}
	if (!held)
		log_warn("reload: pending notifications");
}

/* After notify_setup of the new configuration. */
static void restore_held(void)
{
	for (int i = 0; i < n_held; i++) {
		struct held *h = &held[i];
		struct nq *q = NULL;
		int k = 0;

		for (int j = 0; j < n_qs && !q; j++)
			if (!strcmp(qs[j].kind, h->kind) && !strcmp(qs[j].name, h->name))
				q = &qs[j];
		while (q && k < h->n && push(q, h->jobs[k].st, h->jobs[k].prio) == 0)
			k++;
		if (k < h->n)
			log_warnx("%s %s: %d notification(s) dropped by the reload", h->kind, h->name,
				  h->n - k);
		if (q && k) {
			q->step = h->step;
			if (h->pid)
				proc_claim(&q->proc, h->pid);
			run_next(q);
		}
		free(h->jobs);
	}
	free(held);
	held = NULL;
	n_held = 0;
}

void notify_teardown(void)
{
	for (int i = 0; i < n_qs; i++) {
		for (int k = 0; k <= N_ST; k++) {
			if (qs[i].argv[k])
				free(qs[i].argv[k][0]);
			free(qs[i].argv[k]);
		}
		free(qs[i].q);
	}
	free(qs);
	qs = NULL;
	n_qs = 0;
	for (int i = 0; i < 2; i++) {
		if (fifos[i].fd >= 0)
			close(fifos[i].fd);
		fifos[i].fd = -1;
	}
}
