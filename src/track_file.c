/* SPDX-License-Identifier: MIT */
/* track_file trackers. inotify watches each file's directory rather than
 * the file, so that a file replaced by rename (how editors and scripts
 * write atomically) or created later is still seen, as keepalived does. */
#include "track_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "group.h"
#include "inst_int.h"
#include "log.h"

struct tfile {
	struct tracker t;
	const struct conf_track_file *c;
	int wd;
	const char *base;		/* file name within its directory */
	char dir[CONF_PATH_MAX];
};

static struct tfile *tf;
static int n_tf;
static struct loop_fd ifd = { .fd = -1, .slot = -1 };

/* keepalived: the file's integer; a missing, empty or non-numeric file
 * counts as 0. */
static int64_t read_value(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	long long v = strtoll(buf, NULL, 10);

	/* Far beyond any priority; keeps value x weight inside int64. */
	if (v > INT32_MAX)
		v = INT32_MAX;
	if (v < INT32_MIN)
		v = INT32_MIN;
	return v;
}

static void init_file(const struct conf_track_file *c)
{
	FILE *f;

	if (!c->init_file || (!c->overwrite && access(c->path, F_OK) == 0))
		return;
	f = fopen(c->path, "we");
	if (!f || fprintf(f, "%d\n", c->init_value) < 0 || fclose(f) != 0) {
		log_warn("track_file %s: cannot initialise %s", c->name, c->path);
		return;
	}
}

static void reread(struct tfile *t)
{
	int64_t v = read_value(t->c->path);

	if (v == t->t.value)
		return;
	log_info("track_file %s is now %lld", t->c->name, (long long)v);
	t->t.value = v;
	inst_track_changed();
}

static void on_inotify(struct loop_fd *f, short revents)
{
	static char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	/* Bounded: a few reads per wake-up; the rest comes next time. A file
	 * changed several times is re-read several times, logged once per
	 * new value. */
	for (int round = 0; round < 8; round++) {
		ssize_t n = read(f->fd, buf, sizeof(buf));

		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				log_warn("reading inotify events");
			return;
		}
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)(void *)p;

			for (int i = 0; i < n_tf; i++)
				if ((ev->mask & IN_Q_OVERFLOW) || (ev->wd == tf[i].wd && ev->len &&
				    strcmp(ev->name, tf[i].base) == 0))
					reread(&tf[i]);
			p += sizeof(*ev) + ev->len;
		}
	}
}

static bool referenced(const struct config *cf, const char *name)
{
	for (int i = 0; i < cf->n_inst; i++)
		for (int k = 0; k < cf->inst[i].n_track_file; k++)
			if (strcmp(cf->inst[i].track_file[k].name, name) == 0)
				return true;
	return false;
}

static int watch(struct tfile *t)
{
	char *slash;

	snprintf(t->dir, sizeof(t->dir), "%s", t->c->path);
	slash = strrchr(t->dir, '/');
	if (slash == t->dir) {
		t->base = t->c->path + 1;
		t->dir[1] = 0;
	} else if (slash) {
		*slash = 0;
		t->base = t->c->path + (slash - t->dir) + 1;
	} else {
		snprintf(t->dir, sizeof(t->dir), ".");
		t->base = t->c->path;
	}
	/* Not IN_MODIFY: "echo N >FILE" truncates first, and the empty file
	 * would read as 0 for a moment (keepalived waits for the close too). */
	t->wd = inotify_add_watch(ifd.fd, t->dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
				  IN_DELETE);
	if (t->wd < 0) {
		log_warn("track_file %s: cannot watch %s", t->c->name, t->dir);
		return -1;
	}
	return 0;
}

int track_file_setup(const struct config *cf)
{
	int want = 0;

	for (int i = 0; i < cf->n_track_files; i++)
		want += referenced(cf, cf->track_files[i].name);
	if (!want)
		return 0;
	tf = calloc((size_t)want, sizeof(*tf));
	ifd.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (!tf || ifd.fd < 0) {
		log_warn("track_file");
		return -1;
	}
	for (int i = 0; i < cf->n_track_files; i++) {
		const struct conf_track_file *c = &cf->track_files[i];

		if (!referenced(cf, c->name))
			continue;
		struct tfile *t = &tf[n_tf++];

		t->c = c;
		t->t.name = c->name;
		t->t.kind = "file";
		t->t.is_value = true;
		t->t.state = TRACK_UP;
		init_file(c);
		if (watch(t) < 0)
			return -1;
		t->t.value = read_value(c->path);
	}
	/* Entries never move from here on: instances point at them. */
	for (int i = 0; i < rt.n_inst; i++) {
		struct inst *in = &rt.inst[i];

		for (int k = 0; k < in->c->n_track_file; k++) {
			const struct conf_track *r = &in->c->track_file[k];

			const char *why = in->c->priority == 255 ? "address_owner" :
					  group_fixes_prio(in) && !r->from_group ? "SYNC group" : NULL;
			int w = r->weight;

			/* keepalived: no floating priorities in a sync group or
			 * for an address owner; the default weight 1 becomes 0
			 * (FAULT while non-zero), any other weight is dropped. */
			if (why && w == 1) {
				log_info("(%s) ignoring weight from tracked file %s due to %s - specify weight 0",
					 in->c->name, r->name, why);
				w = 0;
			} else if (why && w) {
				log_info("(%s) ignoring tracked file %s with weight %d due to %s",
					 in->c->name, r->name, w, why);
				continue;
			}
			for (int j = 0; j < n_tf; j++)
				if (strcmp(tf[j].c->name, r->name) == 0 &&
				    inst_track_add(in, &tf[j].t, w, r->reverse) < 0) {
					log_warn("(%s) track_file %s", in->c->name, r->name);
					return -1;
				}
		}
	}
	ifd.events = POLLIN;
	ifd.cb = on_inotify;
	return loop_fd_add(&ifd);
}

void track_file_teardown(void)
{
	if (ifd.fd >= 0) {
		loop_fd_del(&ifd);
		close(ifd.fd);
		ifd.fd = -1;
	}
	free(tf);
	tf = NULL;
	n_tf = 0;
}
