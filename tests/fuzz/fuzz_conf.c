/* SPDX-License-Identifier: MIT */
/* libFuzzer harness for the config reader (src/conf.h): any text in, no
 * crash, no leak, bounded time; then the canonical dump and conf_free.
 *
 * Includes stay on, so the include code is fuzzed too, but they are fenced
 * into a sandbox: a directory this harness creates under the current one
 * (run it from an empty temporary directory) and fills with a few files to
 * include. The reader finds files only through glob(3), which the link
 * redirects here (-Wl,--wrap=glob); this glob walks directories through
 * GLOB_ALTDIRFUNC hooks that refuse every path that does not resolve into
 * the sandbox, and drops any match outside it. So "include /etc/ *" or
 * "include ../../ *" read nothing, and cannot make a run slow by walking the
 * file system. The reader itself only ever opens regular files, read-only,
 * non-blocking, at most 1 MB each. */
#include "conf.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int __real_glob(const char *pat, int flags, int (*errfn)(const char *, int), glob_t *g);
int __wrap_glob(const char *pat, int flags, int (*errfn)(const char *, int), glob_t *g);

static char box[PATH_MAX];
static size_t boxlen;
static FILE *null_out;

/* Files the fuzzed text may include by name. */
static const struct {
	const char *path;
	const char *text;
	mode_t mode;
} files[] = {
	{ "a.conf", "vrrp_instance VI_A {\n interface eth0\n virtual_router_id 9\n"
		    " virtual_ipaddress {\n  198.51.100.9/24\n }\n}\n", 0644 },
	{ "conf.d/b.conf", "include c.conf\nglobal_defs {\n router_id b\n}\n", 0644 },
	{ "conf.d/c.conf", "vrrp_script chk {\n script \"/bin/true\"\n}\n", 0644 },
	{ "self.conf", "include self.conf\n", 0644 },
	{ "exec.conf", "vrrp_instance VI_X {\n}\n", 0755 },
	{ "empty.conf", "", 0644 },
	{ "dir.conf/x.conf", "@node1 global_defs {\n}\n", 0644 },
};

/* path resolves to the sandbox or below it. */
static bool inside(const char *path)
{
	char r[PATH_MAX];

	if (!realpath(path, r))
		return false;
	return !strncmp(r, box, boxlen) && (r[boxlen] == '\0' || r[boxlen] == '/');
}

static void *box_opendir(const char *path)
{
	if (!inside(path)) {
		errno = EACCES;
		return NULL;
	}
	return opendir(path);
}

static struct dirent *box_readdir(void *d)
{
	return readdir(d);
}

static void box_closedir(void *d)
{
	closedir(d);
}

static int box_stat(const char *path, struct stat *st)
{
	if (!inside(path)) {
		errno = ENOENT;
		return -1;
	}
	return stat(path, st);
}

static int box_lstat(const char *path, struct stat *st)
{
	if (!inside(path)) {
		errno = ENOENT;
		return -1;
	}
	return lstat(path, st);
}

int __wrap_glob(const char *pat, int flags, int (*errfn)(const char *, int), glob_t *g)
{
	size_t keep = 0;
	int r;

	memset(g, 0, sizeof(*g));
	g->gl_opendir = box_opendir;
	g->gl_readdir = box_readdir;
	g->gl_closedir = box_closedir;
	g->gl_stat = box_stat;
	g->gl_lstat = box_lstat;
	r = __real_glob(pat, flags | GLOB_ALTDIRFUNC, errfn, g);
	if (r)
		return r;
	/* Belt and braces: nothing outside the sandbox comes back. */
	for (size_t i = 0; i < g->gl_pathc; i++) {
		if (inside(g->gl_pathv[i]))
			g->gl_pathv[keep++] = g->gl_pathv[i];
		else
			free(g->gl_pathv[i]);
	}
	for (size_t i = keep; i < g->gl_pathc; i++)
		g->gl_pathv[i] = NULL;
	g->gl_pathc = keep;
	return keep ? 0 : GLOB_NOMATCH;
}

static void put_file(const char *path, const char *text, mode_t mode)
{
	char dir[PATH_MAX];
	char *sl;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	sl = strrchr(dir, '/');
	if (sl) {
		*sl = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			abort();
	}
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0 || chmod(path, mode) < 0)
		abort();
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

/* A crash leaves the sandbox behind, in the directory the run started in. */
static void rm_box(void)
{
	if (chdir("/") == 0)
		nftw(box, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char tmpl[] = "fuzz-conf-box.XXXXXX";

	(void)argc;
	(void)argv;
	if (!mkdtemp(tmpl) || !realpath(tmpl, box) || chdir(box) < 0)
		abort();
	boxlen = strlen(box);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		put_file(files[i].path, files[i].text, files[i].mode);
	atexit(rm_box);
	null_out = fopen("/dev/null", "w");
	if (!null_out)
		abort();
	return 0;
}

static void quiet(int level, const struct conf_pos *pos, const char *msg)
{
	(void)level;
	(void)pos;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	/* "@node1" lines apply; no dependence on this machine's host name. */
	struct conf_opts o = { .config_id = "node1", .diag = quiet };
	struct config *c;
	char *text;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	c = conf_load_string("fuzz.conf", text, &o);
	if (c) {
		conf_dump(c, null_out);
		conf_free(c);
	}
	free(text);
	return 0;
}
