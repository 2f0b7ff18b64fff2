/* SPDX-License-Identifier: MIT */
/* Child processes for scripts: fork + exec without a shell, in a process
 * group of their own, stdin/stdout/stderr on /dev/null, optionally as
 * another user, killed with their whole group when they outlive a timeout,
 * reaped from SIGCHLD in the loop. The loop never waits for one. */
#ifndef TINYVRRP_PROC_H
#define TINYVRRP_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "conf.h"
#include "loop.h"

struct proc {
	pid_t pid;			/* 0 when not running */
	bool timed_out;
	struct loop_timer kill_timer;	/* internal */
	struct proc *next;		/* internal: list of running children */
	/* Called once the child has been reaped: status as from waitpid. */
	void (*done)(struct proc *p, int status);
};

struct proc_cred {
	uid_t uid;
	gid_t gid;
	bool set;			/* false: run as ourselves */
};

/* Start argv[0] (an absolute path, or searched in PATH) with argv.
 * timeout_us 0 = none. Returns 0, or -1 with errno (the child could not be
 * created; an exec failure shows up later as exit status 127). */
int proc_spawn(struct proc *p, char *const argv[], const struct proc_cred *cred,
	       int64_t timeout_us);
/* proc_spawn for a child nobody waits for: watched, timed, reaped and
 * killed at exit all the same. */
int proc_spawn_orphan(char *const argv[], const struct proc_cred *cred, int64_t timeout_us);
/* Kill a running child and its group now (SIGKILL); done() still follows. */
void proc_kill(struct proc *p);
/* SIGCHLD arrived: reap every finished child and call its done(). */
void proc_on_sigchld(void);
/* Reload: the structs that embed a struct proc are about to be freed.
 * Their children run on as orphans (notify scripts finish their work):
 * still killed at their timeout and at exit, reaped, their exit ignored.
 * Kill first whatever must not outlive the reload. */
void proc_forget_all(void);
/* After a reload: the orphan PID becomes p's again (p idle), so that its
 * exit reaches p->done. false if there is no such orphan (it exited). */
bool proc_claim(struct proc *p, pid_t pid);
/* At exit: kill every child still running and reap them, waiting at most
 * wait_us in total. */
void proc_shutdown(int64_t wait_us);

/* USER [GROUP] to ids; -1 if either does not exist. */
int proc_cred_lookup(const char *user, const char *group, struct proc_cred *out);
/* keepalived's default: script_user, else keepalived_script if it exists,
 * else ourselves (root). -1 (logged) if script_user does not exist. */
int proc_default_cred(const struct config *cf, struct proc_cred *out);
/* The command's USER [GROUP], or the default. -1 (logged) if unknown. */
int proc_cmd_cred(const struct config *cf, const struct conf_cmd *cmd, struct proc_cred *out);
/* name with a '/' as it is, else searched in $PATH. 0 or -1. */
int proc_find_path(const char *name, char *out, size_t len);
/* keepalived's load-time checks of a script: found (path gets the file),
 * executable, and, when it runs as root, not changeable by anyone else
 * (*unsafe). Returns -1 after logging when the script is to be disabled:
 * not found, not executable, or unsafe under enable_script_security. */
int proc_check_script(const struct config *cf, const struct conf_cmd *cmd,
		      const struct proc_cred *cred, char *path, size_t len, bool *unsafe);

#endif
