/* SPDX-License-Identifier: MIT */
/* Child processes for scripts. keepalived's rules: exec without a shell,
 * own process group, stdin/out/err on /dev/null, parent-death signal
 * SIGTERM, run as the script's user; on timeout the whole group gets
 * SIGTERM, then SIGKILL if it is still there 2 s later. Running children are
 * kept on an intrusive list (no allocation per run) and reaped from SIGCHLD. */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* keepalived: SIGTERM at the timeout, SIGKILL 2 s later. */
#define KILL_GRACE_US (2 * 1000000LL)

static struct proc *running;
static bool shutting_down;

static void unlink_proc(struct proc *p)
{
	for (struct proc **pp = &running; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	p->next = NULL;
}

static void on_kill_timer(struct loop_timer *t, int64_t now)
{
	struct proc *p = container_of(t, struct proc, kill_timer);

	if (!p->pid)
		return;
	if (!p->timed_out) {
		p->timed_out = true;
		kill(-p->pid, SIGTERM);
		loop_timer_set(&p->kill_timer, now + KILL_GRACE_US);
		return;
	}
	kill(-p->pid, SIGKILL);
	kill(p->pid, SIGKILL);
}

/* In the child, before exec: nothing of the daemon may leak into it. */
static void __attribute__((noreturn)) child(char *const argv[], const struct proc_cred *cred,
					    pid_t parent)
{
	sigset_t none;
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(127);	/* the daemon died before the death signal was set */
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &dfl, NULL);	/* fails harmlessly for KILL, STOP, RT internals */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	int fd = open("/dev/null", O_RDWR);

	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		_exit(127);
	/* Every descriptor is close-on-exec already; this is the second line of
	 * defence against one that is not (e.g. from a library). */
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
#endif
		for (int i = 3; i < 1024; i++)
			close(i);
	if (cred && cred->set) {
		if (setgroups(0, NULL) < 0 && errno != EPERM)
			_exit(127);
		if (setgid(cred->gid) < 0 || setuid(cred->uid) < 0)
			_exit(127);
	}
	/* A path (what proc_find_path gives) is exec'd directly, which needs
	 * no allocation, as a vfork child must; a bare name was forked. */
	if (strchr(argv[0], '/'))
		execv(argv[0], argv);
	else
		execvp(argv[0], argv);
	if (errno == ENOEXEC && strchr(argv[0], '/')) {
		/* A script without "#!": the shell runs it, as execvp(3) and
		 * keepalived do. On the stack: a vfork child may not allocate. */
		char *sh[64] = { "/bin/sh" };
		int n = 0;

		while (argv[n] && n < 62) {
			sh[n + 1] = argv[n];
			n++;
		}
		execv(sh[0], sh);
	}
	_exit(127);
}

int proc_spawn(struct proc *p, char *const argv[], const struct proc_cred *cred, int64_t timeout_us)
{
	pid_t parent = getpid();

	if (p->pid) {
		errno = EBUSY;
		return -1;
	}
	if (shutting_down) {
		errno = ECANCELED;
		return -1;
	}
	/* vfork: the child only makes system calls until exec, so sharing
	 * our memory meanwhile is safe, and it saves copying the page
	 * tables hundreds of times a second with many scripts (as
	 * posix_spawn does). Signals are blocked and taken by signalfd, so
	 * no handler can run in the child. Not for a PATH search, nor to
	 * change user: musl's setuid synchronises threads, not for a child
	 * that shares our memory. */
	bool light = strchr(argv[0], '/') && !(cred && cred->set);
	pid_t pid = light ? vfork() : fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		child(argv, cred, parent);
	/* Also here, so that a kill of the group right after fork works. */
	setpgid(pid, pid);
	p->pid = pid;
	p->timed_out = false;
	p->next = running;
	running = p;
	p->kill_timer.cb = on_kill_timer;
	if (timeout_us > 0)
		loop_timer_set(&p->kill_timer, now_us() + timeout_us);
	return 0;
}

void proc_kill(struct proc *p)
{
	if (!p->pid)
		return;
	kill(-p->pid, SIGKILL);
	kill(p->pid, SIGKILL);
}

static struct proc *find(pid_t pid)
{
	for (struct proc *p = running; p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

void proc_on_sigchld(void)
{
	int status;
	pid_t pid;

	/* signalfd merges SIGCHLDs: reap until nothing is left. */
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct proc *p = find(pid);

		if (!p)
			continue;
		/* A timed-out script's group may still hold children that
		 * ignored SIGTERM: they go with their leader. */
		if (p->timed_out)
			kill(-pid, SIGKILL);
		unlink_proc(p);
		loop_timer_cancel(&p->kill_timer);
		p->pid = 0;
		if (p->done)
			p->done(p, status);
	}
}

/* The running child at *pp becomes to's: pid, timeout state, kill timer.
 * to is idle (kill_timer not armed). */
static void move(struct proc **pp, struct proc *to)
{
	struct proc *from = *pp;
	bool armed = from->kill_timer.slot >= 0;

	loop_timer_cancel(&from->kill_timer);
	to->pid = from->pid;
	to->timed_out = from->timed_out;
	to->kill_timer.cb = on_kill_timer;
	to->next = from->next;
	*pp = to;
	from->next = NULL;
	from->pid = 0;
	if (armed)
		loop_timer_set(&to->kill_timer, from->kill_timer.at);
}

static void orphan_done(struct proc *p, int status)
{
	(void)status;
	free(p);
}

/* A child record of its own, freed when the child is reaped; NULL when
 * out of memory. */
static struct proc *new_orphan(void)
{
	struct proc *o = malloc(sizeof(*o));

	if (o)
		*o = (struct proc){ .done = orphan_done, .kill_timer.slot = -1 };
	return o;
}

void proc_forget_all(void)
{
	for (struct proc **pp = &running; *pp;) {
		struct proc *p = *pp, *o;

		if (p->done == orphan_done) {
			pp = &p->next;
			continue;
		}
		o = new_orphan();
		if (o) {
			move(pp, o);
			pp = &o->next;
			continue;
		}
		/* Unwatched, it could outlive us: it goes now. */
		log_warnx("reload: out of memory: child process %d killed", (int)p->pid);
		proc_kill(p);
		*pp = p->next;
		loop_timer_cancel(&p->kill_timer);
		p->next = NULL;
		p->pid = 0;
	}
}

int proc_spawn_orphan(char *const argv[], const struct proc_cred *cred, int64_t timeout_us)
{
	struct proc *o = new_orphan();

	if (!o)
		return -1;
	if (proc_spawn(o, argv, cred, timeout_us) < 0) {
		free(o);
		return -1;
	}
	return 0;
}

bool proc_claim(struct proc *p, pid_t pid)
{
	for (struct proc **pp = &running; *pp; pp = &(*pp)->next) {
		struct proc *o = *pp;

		if (o->pid == pid && o->done == orphan_done) {
			move(pp, p);
			free(o);
			return true;
		}
	}
	return false;
}

/* Wait for SIGCHLD (blocked, so it stays pending) until deadline. */
static void wait_chld(int64_t deadline)
{
	sigset_t set;
	int64_t left = deadline - now_us();

	if (left <= 0)
		return;
	struct timespec ts = { .tv_sec = left / 1000000, .tv_nsec = left % 1000000 * 1000 };

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigtimedwait(&set, NULL, &ts);
}

void proc_shutdown(int64_t wait_us)
{
	int64_t deadline = now_us() + wait_us;

	/* First let them finish (notify_stop is waited for, as keepalived
	 * does); done() may still start the next queued notification. */
	proc_on_sigchld();
	while (running && now_us() < deadline) {
		wait_chld(deadline);
		proc_on_sigchld();
	}
	shutting_down = true;
	for (struct proc *p = running; p; p = p->next)
		proc_kill(p);
	/* SIGKILL cannot be refused: a short bounded wait reaps them. */
	deadline = now_us() + 200000;
	proc_on_sigchld();
	while (running && now_us() < deadline) {
		wait_chld(deadline);
		proc_on_sigchld();
	}
	if (running)
		log_warnx("child process %d did not exit after SIGKILL", (int)running->pid);
}

/* ---- users, PATH, script security ---- */

int proc_cred_lookup(const char *user, const char *group, struct proc_cred *out)
{
	struct passwd *pw = getpwnam(user);

	if (!pw)
		return -1;
	out->uid = pw->pw_uid;
	out->gid = pw->pw_gid;
	out->set = true;
	if (group && group[0]) {
		struct group *gr = getgrnam(group);

		if (!gr)
			return -1;
		out->gid = gr->gr_gid;
	}
	return 0;
}

int proc_default_cred(const struct config *cf, struct proc_cred *out)
{
	static bool warned;

	if (cf->script_user[0]) {
		if (proc_cred_lookup(cf->script_user, cf->script_group, out) < 0) {
			log_warnx("script_user %s%s%s does not exist", cf->script_user,
				  cf->script_group[0] ? " " : "", cf->script_group);
			return -1;
		}
		return 0;
	}
	if (proc_cred_lookup("keepalived_script", NULL, out) == 0)
		return 0;
	if (cf->script_security && !warned) {
		log_warnx("WARNING - default user 'keepalived_script' for script execution does not exist - please create.");
		warned = true;
	}
	/* keepalived then runs scripts as root (its own user). */
	*out = (struct proc_cred){ .uid = getuid(), .gid = getgid(), .set = false };
	return 0;
}

int proc_cmd_cred(const struct config *cf, const struct conf_cmd *cmd, struct proc_cred *out)
{
	if (!cmd->user[0])
		return proc_default_cred(cf, out);
	if (proc_cred_lookup(cmd->user, cmd->group, out) == 0)
		return 0;
	log_warnx("%s:%d: user %s%s%s does not exist", cmd->pos.file, cmd->pos.line, cmd->user,
		  cmd->group[0] ? " " : "", cmd->group);
	return -1;
}

int proc_find_path(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/')) {
		snprintf(out, len, "%s", name);
		return access(out, F_OK);
	}
	if (!path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (const char *s = path; *s;) {
		const char *e = strchr(s, ':');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		struct stat st;

		if (n && (size_t)snprintf(out, len, "%.*s/%s", (int)n, s, name) < len &&
		    stat(out, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
		s += n + (e != NULL);
	}
	return -1;
}

/* keepalived's check_script_secure(): every component of the path, the
 * file itself included, must be owned by root and not writable by group or
 * others (a directory with the sticky bit may be). */
static bool path_insecure(const char *file)
{
	char buf[4096];
	size_t n = strlen(file);
	struct stat st;

	if (n >= sizeof(buf) || file[0] != '/')
		return true;
	memcpy(buf, file, n + 1);
	for (size_t i = n;; ) {
		if (stat(buf, &st) < 0)
			return true;
		bool dir = S_ISDIR(st.st_mode);

		if (st.st_uid != 0 ||
		    ((!dir || !(st.st_mode & S_ISVTX)) && (st.st_mode & (S_IWGRP | S_IWOTH))))
			return true;
		while (i > 0 && buf[i] != '/')
			i--;
		if (i == 0) {
			if (strcmp(buf, "/") == 0)
				return false;
			strcpy(buf, "/");
			continue;
		}
		buf[i] = '\0';
	}
}

int proc_check_script(const struct config *cf, const struct conf_cmd *cmd,
		      const struct proc_cred *cred, char *path, size_t len, bool *unsafe)
{
	struct stat st;

	*unsafe = false;
	if (proc_find_path(cmd->argv[0], path, len) < 0) {
		log_warnx("%s:%d: Cannot find script %s in path - disabling", cmd->pos.file,
			  cmd->pos.line, cmd->argv[0]);
		return -1;
	}
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
		log_warnx("%s:%d: script %s is not executable - disabling", cmd->pos.file,
			  cmd->pos.line, path);
		return -1;
	}
	/* Runs as root (or is setuid root): nobody else may be able to
	 * change what root executes. */
	bool as_root = (cred->set ? cred->uid : getuid()) == 0 ||
		       (st.st_uid == 0 && (st.st_mode & S_ISUID));

	if (as_root && path_insecure(path)) {
		*unsafe = true;
		if (cf->script_security) {
			log_warnx("Unsafe permissions found for script '%s' - disabling.", path);
			return -1;
		}
	}
	return 0;
}
