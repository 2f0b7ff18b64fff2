/* SPDX-License-Identifier: MIT */
/* vrrp_script: periodic checks in child processes (proc.c), their result
 * through keepalived's rise/fall counter into a struct tracker, which the
 * instances tracking the script follow (inst_track.c). */
#include "track_script.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "inst_int.h"
#include "log.h"
#include "loop.h"
#include "proc.h"

struct script_rt {
	const struct conf_script *c;
	struct tracker tracker;
	struct proc proc;
	struct loop_timer timer;
	struct proc_cred cred;
	char **argv;			/* the config's, argv[0] resolved */
	char path[PATH_MAX];
	int rf;				/* rise/fall counter */
	bool used, disabled;
	bool user_missing;		/* script_ok: no user to run it as */
	int64_t skip_logged;		/* last "skipping run" line */
	uint64_t skipped;
};

static struct script_rt *scripts;
static int n_scripts;
static bool running;

static void on_done(struct proc *p, int status)
{
	struct script_rt *s = container_of(p, struct script_rt, proc);
	const char *name = s->c->name;
	bool ok = !p->timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	enum track_state old = s->tracker.state;
	enum track_state now;

	if (!running)
		return;
	now = script_rise_fall(&s->rf, s->c->rise, s->c->fall, old, ok);
	if (now == old)
		return;
	if (now == TRACK_UP)
		log_info("VRRP_Script(%s) succeeded", name);
	else if (p->timed_out)
		log_info("VRRP_Script(%s) timed_out", name);
	else if (WIFEXITED(status))
		log_info("VRRP_Script(%s) failed (exited with status %d)", name, WEXITSTATUS(status));
	else
		log_info("VRRP_Script(%s) failed (due to signal %d)", name,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	s->tracker.state = now;
	inst_track_changed();
}

static void on_timer(struct loop_timer *t, int64_t now)
{
	struct script_rt *s = container_of(t, struct script_rt, timer);

	loop_timer_set(&s->timer, now + (int64_t)s->c->interval_ms * 1000);
	if (s->proc.pid) {
		/* keepalived's line; once per 10 s at most, with a count. */
		s->skipped++;
		if (!s->skip_logged || now - s->skip_logged >= 10 * 1000000LL) {
			log_warnx("Track script %s is being timed out, expect idle - skipping run (%llu so far)",
				  s->c->name, (unsigned long long)s->skipped);
			s->skip_logged = now;
		}
		return;
	}
	if (proc_spawn(&s->proc, s->argv, &s->cred, (int64_t)s->c->timeout_ms * 1000) < 0)
		log_warn("VRRP_Script(%s): cannot start %s", s->c->name, s->argv[0]);
}

static struct script_rt *find(const char *name)
{
	for (int i = 0; i < n_scripts; i++)
		if (strcmp(scripts[i].c->name, name) == 0)
			return &scripts[i];
	return NULL;
}

/* keepalived's load-time checks; false: the script is disabled and no
 * instance tracks it (keepalived removes it from the instances, so it
 * neither lowers a priority nor causes FAULT). */
static bool script_ok(const struct config *cf, struct script_rt *s, bool *unsafe)
{
	const struct conf_cmd *cmd = &s->c->cmd;

	if (!cmd->user[0] && !cf->script_user[0] && cf->script_security &&
	    proc_cred_lookup("keepalived_script", NULL, &s->cred) < 0) {
		log_warnx("%s:%d: Unable to set default user keepalived_script for script", cmd->pos.file,
			  cmd->pos.line);
		log_warnx("%s:%d: Unable to set default user for vrrp script %s - removing",
			  cmd->pos.file, cmd->pos.line, s->c->name);
		s->user_missing = true;
		return false;
	}
	if (proc_cmd_cred(cf, cmd, &s->cred) < 0) {
		s->user_missing = true;
		return false;
	}
	if (proc_check_script(cf, cmd, &s->cred, s->path, sizeof(s->path), unsafe) < 0) {
		if (*unsafe)
			log_warnx("Disabling track script %s due to insecure", s->c->name);
		return false;
	}
	return true;
}

/* A command that will really run: configured and found. keepalived
 * disables a script it cannot find before judging security, so a config
 * whose scripts live on another machine passes -t. */
static bool runs(const struct conf_cmd *cmd)
{
	char path[256];

	return cmd->argv && proc_find_path(cmd->argv[0], path, sizeof(path)) == 0;
}

static bool cmds_set(const struct conf_cmd *a, const struct conf_cmd *b, const struct conf_cmd *c,
		     const struct conf_cmd *d, const struct conf_cmd *e)
{
	return runs(a) || runs(b) || runs(c) || runs(d) || runs(e);
}

static bool any_scripts(const struct config *cf)
{
	for (int i = 0; i < cf->n_scripts; i++)
		if (runs(&cf->scripts[i].cmd))
			return true;
	for (int i = 0; i < cf->n_inst; i++) {
		const struct conf_instance *c = &cf->inst[i];

		if (cmds_set(&c->notify, &c->notify_master, &c->notify_backup, &c->notify_fault, &c->notify_stop) ||
		    runs(&c->notify_deleted))
			return true;
	}
	for (int i = 0; i < cf->n_groups; i++) {
		const struct conf_group *g = &cf->groups[i];

		if (cmds_set(&g->notify, &g->notify_master, &g->notify_backup, &g->notify_fault, &g->notify_stop))
			return true;
	}
	return false;
}

bool track_script_security_error(const struct config *cf)
{
	bool err = false, unsafe_any = false;

	for (int i = 0; i < cf->n_scripts; i++) {
		struct script_rt s = { .c = &cf->scripts[i] };
		bool unsafe = false;

		/* keepalived: an unsafe script or a missing default user is a
		 * security error; a script not found is only disabled. */
		if (s.c->cmd.argv && !script_ok(cf, &s, &unsafe) && (unsafe || s.user_missing))
			err = true;
		unsafe_any |= unsafe;
	}
	/* keepalived reports this as a security error, so -t fails with
	 * its security exit code whenever scripts run without it. */
	if (any_scripts(cf) && !cf->script_security) {
		log_warnx("SECURITY VIOLATION - scripts are being executed but script_security not enabled.%s",
			  unsafe_any ? " There are insecure scripts." : "");
		err = true;
	}
	return err;
}

int track_script_setup(const struct config *cf)
{
	scripts = calloc((size_t)cf->n_scripts + 1, sizeof(*scripts));
	if (!scripts)
		return -1;
	n_scripts = cf->n_scripts;
	for (int i = 0; i < n_scripts; i++) {
		scripts[i].c = &cf->scripts[i];
		scripts[i].timer.slot = scripts[i].proc.kill_timer.slot = -1;
	}
	for (int i = 0; i < rt.n_inst; i++) {
		struct inst *in = &rt.inst[i];

		for (int k = 0; k < in->c->n_track_script; k++) {
			struct script_rt *s = find(in->c->track_script[k].name);

			if (!s || !s->c->cmd.argv)
				continue;	/* conf_check refuses both */
			if (!s->used) {
				s->used = true;
				bool unsafe = false;

				s->disabled = !script_ok(cf, s, &unsafe);
			}
			if (s->disabled) {
				log_warnx("(%s) track script %s not found, ignoring...", in->c->name, s->c->name);
				continue;
			}
			const struct conf_track *t = &in->c->track_script[k];
			int w = t->has_weight ? t->weight : s->c->weight;
			const char *why = inst_no_weights(in);

			if (w && why && !t->from_group) {
				log_info("(%s) ignoring tracked script %s with weights due to %s", in->c->name,
					 s->c->name, why);
				continue;
			}
			if (inst_track_add(in, &s->tracker, w, t->has_weight ? t->reverse : s->c->reverse) < 0)
				return -1;
		}
	}
	if (any_scripts(cf) && !cf->script_security)
		log_warnx("SECURITY VIOLATION - scripts are being executed but script_security not enabled.");
	for (int i = 0; i < n_scripts; i++) {
		struct script_rt *s = &scripts[i];
		const struct conf_cmd *cmd = &s->c->cmd;

		if (!s->used || s->disabled)
			continue;
		s->argv = calloc((size_t)cmd->argc + 1, sizeof(char *));
		if (!s->argv)
			return -1;
		memcpy(s->argv, cmd->argv, (size_t)cmd->argc * sizeof(char *));
		s->argv[0] = s->path;
		s->tracker.name = s->c->name;
		s->tracker.kind = "script";
		s->tracker.init_down = s->c->init_fail;
		/* init_fail: down until rise successes; otherwise unknown
		 * until the first result, which applies at once. */
		s->tracker.state = s->c->init_fail ? TRACK_DOWN : TRACK_UNKNOWN;
		s->timer.cb = on_timer;
		s->proc.done = on_done;
	}
	return 0;
}

void track_script_start(void)
{
	int64_t now = now_us();
	int n = 0, k = 0;

	running = true;
	for (int i = 0; i < n_scripts; i++) {
		struct script_rt *s = &scripts[i];

		n += s->used && !s->disabled;
		/* A state carried over a reload is a settled one. */
		s->rf = s->tracker.state == TRACK_UP ? s->c->rise + s->c->fall - 1 : 0;
	}
	/* Spread the first runs over a tenth of a second, so that many
	 * scripts with one interval do not fork in one burst that delays
	 * the adverts behind it. */
	for (int i = 0; i < n_scripts; i++)
		if (scripts[i].used && !scripts[i].disabled)
			loop_timer_set(&scripts[i].timer, now + (int64_t)k++ * 100000 / n);
}

void track_script_stop(void)
{
	running = false;
	for (int i = 0; i < n_scripts; i++) {
		loop_timer_cancel(&scripts[i].timer);
		proc_kill(&scripts[i].proc);
	}
}

void track_script_teardown(void)
{
	for (int i = 0; i < n_scripts; i++)
		free(scripts[i].argv);
	free(scripts);
	scripts = NULL;
	n_scripts = 0;
}
