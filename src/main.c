/* SPDX-License-Identifier: MIT */
/* Entry point: keepalived's command line, start-up and shutdown order.
 * Nothing on the system is touched until the whole config has been read
 * and checked. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "conf.h"
#include "ctl.h"
#include "instance.h"
#include "log.h"
#include "loop.h"
#include "nl.h"
#include "proc.h"
#include "ready.h"
#include "reload.h"
#include "status.h"
#include "track_script.h"

static struct {
	const char *conf_file;
	const char *pid_file;
	const char *vrrp_pid_file;
	const char *config_id;
	bool foreground, console, detail, test, dump, keep_vips;
	int facility;
	int ready_fd;
} opt = {
	.conf_file = "/etc/keepalived/keepalived.conf",
	.pid_file = "/run/keepalived.pid",
	.vrrp_pid_file = "/run/vrrp.pid",
	.facility = LOG_DAEMON,
	.ready_fd = -1,
};

static const char *progname = "tinyvrrp";
static const char *ctl_socket = STATUS_SOCKET_DEFAULT;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTION...]\n"
		"       %s check [-f FILE]\n"
		"       %s status [--json] [--control-socket=PATH]\n"
		"A small keepalived-compatible VRRP daemon (v2 RFC 3768, v3 RFC 5798).\n"
		"\n"
		"  -f, --use-file=FILE       configuration file (default /etc/keepalived/keepalived.conf)\n"
		"  -n, --dont-fork           stay in the foreground\n"
		"  -l, --log-console         log to stderr instead of syslog\n"
		"  -D, --log-detail          log more (keepalived's detail lines)\n"
		"  -S, --log-facility=F      syslog facility: 0-7, local0-7, daemon, user\n"
		"  -p, --pid=FILE            pid file (default /run/keepalived.pid)\n"
		"  -r, --vrrp_pid=FILE       VRRP pid file (default /run/vrrp.pid)\n"
		"  -t, --config-test[=FILE]  check the configuration and exit (0 ok, 5 errors, 6 unsafe scripts)\n"
		"  -d, --dump-conf           print the parsed configuration (with -t: to stdout)\n"
		"  -i, --config-id=ID        id for @ID lines (default: short host name)\n"
		"  -V, --dont-release-vrrp   leave VIPs in place on exit\n"
		"  -P, --vrrp                accepted: only VRRP is run anyway\n"
		"      --ready-fd=FD         s6 readiness: write a newline to FD once started\n"
		"      --control-socket=PATH where `status` asks (default /run/tinyvrrp.sock)\n"
		"      --signum=NAME         print the number of signal STOP RELOAD DATA STATS STATS_CLEAR JSON\n"
		"  -v, --version             print the version\n"
		"  -h, --help                this help\n"
		"Accepted and ignored for keepalived compatibility: -B -C -R -I -X -a -e -G -m -x\n"
		"--all --no-mem-check --perf --debug -c FILE -b FILE -u UMASK -M PATTERN -A PATH -g FILE.\n"
		"status: the daemon's state, as a table or JSON; exits 0, or 3 when the daemon\n"
		"cannot be asked (not running, not root, another --control-socket).\n",
		progname, progname, progname);
}

static int facility_of(const char *s)
{
	static const struct { const char *n; int f; } tab[] = {
		{ "daemon", LOG_DAEMON }, { "user", LOG_USER },
		{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
		{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
		{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
	};
	if (s[0] >= '0' && s[0] <= '7' && s[1] == '\0')
		return tab[2 + (s[0] - '0')].f;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(s, tab[i].n) == 0)
			return tab[i].f;
	return -1;
}

static int signum_of(const char *name)
{
	if (!strcmp(name, "STOP"))
		return SIGTERM;
	if (!strcmp(name, "RELOAD"))
		return SIGHUP;
	if (!strcmp(name, "DATA"))
		return SIGUSR1;
	if (!strcmp(name, "STATS"))
		return SIGUSR2;
	if (!strcmp(name, "STATS_CLEAR"))
		return SIGRTMAX - 1;
	if (!strcmp(name, "JSON") || !strcmp(name, "TDATA"))
		return SIGRTMIN + 2;
	return -1;
}

enum { OPT_SIGNUM = 256, OPT_READY_FD, OPT_IGNORED, OPT_CONTROL_SOCKET };

static void parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "use-file", required_argument, NULL, 'f' },
		{ "dont-fork", no_argument, NULL, 'n' },
		{ "log-console", no_argument, NULL, 'l' },
		{ "log-detail", no_argument, NULL, 'D' },
		{ "log-facility", required_argument, NULL, 'S' },
		{ "pid", required_argument, NULL, 'p' },
		{ "vrrp_pid", required_argument, NULL, 'r' },
		{ "config-test", optional_argument, NULL, 't' },
		{ "dump-conf", no_argument, NULL, 'd' },
		{ "config-id", required_argument, NULL, 'i' },
		{ "dont-release-vrrp", no_argument, NULL, 'V' },
		{ "vrrp", no_argument, NULL, 'P' },
		{ "signum", required_argument, NULL, OPT_SIGNUM },
		{ "control-socket", required_argument, NULL, OPT_CONTROL_SOCKET },
		{ "ready-fd", required_argument, NULL, OPT_READY_FD },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		/* keepalived options with no meaning for a VRRP-only daemon */
		{ "check", no_argument, NULL, 'C' },
		{ "no_bfd", no_argument, NULL, 'B' },
		{ "all", no_argument, NULL, OPT_IGNORED },
		{ "release-vips", no_argument, NULL, 'X' },
		{ "dont-release-ipvs", no_argument, NULL, 'I' },
		{ "dont-respawn", no_argument, NULL, 'R' },
		{ "checkers_pid", required_argument, NULL, 'c' },
		{ "bfd_pid", required_argument, NULL, 'b' },
		{ "address-monitoring", no_argument, NULL, 'a' },
		{ "all-config", no_argument, NULL, 'e' },
		{ "no-syslog", no_argument, NULL, 'G' },
		{ "log-file", required_argument, NULL, 'g' },
		{ "flush-log-file", no_argument, NULL, OPT_IGNORED },
		{ "snmp", no_argument, NULL, 'x' },
		{ "snmp-agent-socket", required_argument, NULL, 'A' },
		{ "umask", required_argument, NULL, 'u' },
		{ "core-dump", no_argument, NULL, 'm' },
		{ "core-dump-pattern", optional_argument, NULL, 'M' },
		{ "no-mem-check", no_argument, NULL, OPT_IGNORED },
		{ "perf", optional_argument, NULL, OPT_IGNORED },
		{ "debug", optional_argument, NULL, OPT_IGNORED },
		{ "namespace", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "f:nlDS:p:r:t::di:VPvhCBXIRc:b:aeGg:xA:u:mM::s:", lo, NULL)) != -1) {
		switch (c) {
		case 'f': opt.conf_file = optarg; break;
		case 'n': opt.foreground = true; break;
		case 'l': opt.console = true; break;
		case 'D': opt.detail = true; break;
		case 'S':
			opt.facility = facility_of(optarg);
			if (opt.facility < 0) {
				fprintf(stderr, "%s: unknown log facility '%s'\n", progname, optarg);
				exit(EXIT_FATAL);
			}
			break;
		case 'p': opt.pid_file = optarg; break;
		case 'r': opt.vrrp_pid_file = optarg; break;
		case 't':
			opt.test = true;
			if (optarg)
				opt.conf_file = optarg;
			break;
		case 'd': opt.dump = true; break;
		case 'i': opt.config_id = optarg; break;
		case 'V': opt.keep_vips = true; break;
		case OPT_CONTROL_SOCKET: ctl_socket = optarg; break;
		case OPT_SIGNUM: {
			int s = signum_of(optarg);

			if (s < 0) {
				fprintf(stderr, "%s: unknown signal name '%s'\n", progname, optarg);
				exit(EXIT_FATAL);
			}
			printf("%d\n", s);
			exit(EXIT_OK);
		}
		case OPT_READY_FD: {
			char *end;
			long fd = strtol(optarg, &end, 10);

			if (end == optarg || *end || fd < 0 || fd > 1023) {
				fprintf(stderr, "%s: --ready-fd: '%s' is not a file descriptor\n", progname, optarg);
				exit(EXIT_FATAL);
			}
			opt.ready_fd = (int)fd;
			break;
		}
		case 'v':
			printf("%s v%s (keepalived-compatible VRRP daemon)\n", progname, TINYVRRP_VERSION);
			exit(EXIT_OK);
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case 's':
			fprintf(stderr, "%s: --namespace is not supported; run it with 'ip netns exec NAME'\n",
				progname);
			exit(EXIT_FATAL);
		case '?':
			usage(stderr);
			exit(EXIT_FATAL);
		default:
			break;	/* accepted for compatibility, no effect */
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", progname, argv[optind]);
		usage(stderr);
		exit(EXIT_FATAL);
	}
}

static void conf_diag_log(int level, const struct conf_pos *pos, const char *msg)
{
	if (level <= LOG_ERR)
		log_warnx("%s:%d: %s", pos->file, pos->line, msg);
	else
		log_warnx("%s:%d: warning: %s", pos->file, pos->line, msg);
}

/* -t: parse and check, report, exit with keepalived's config-test codes. */
static int config_test(void)
{
	struct conf_opts co = { .config_id = opt.config_id };
	struct config *cf = conf_load(opt.conf_file, &co);

	if (!cf) {
		fprintf(stderr, "%s: cannot read %s: %s\n", progname, opt.conf_file, strerror(errno));
		return EXIT_CONFIG;
	}
	/* Interfaces are the one check that needs the system: warn only, the
	 * file may be meant for another machine. */
	if (nl_open() == 0) {
		for (int i = 0; i < cf->n_inst; i++) {
			struct nl_link l;
			const struct conf_instance *c = &cf->inst[i];

			if (c->ifname[0] && nl_link_get(c->ifname, &l) < 0)
				fprintf(stderr, "%s:%d: warning: interface %s does not exist on this system\n",
					c->if_pos.file, c->if_pos.line, c->ifname);
		}
		nl_close();
	}
	if (opt.dump)
		conf_dump(cf, stdout);
	/* keepalived: scripts without enable_script_security, or scripts it
	 * would disable (unsafe, unknown user), are a security error. */
	int rc = cf->n_errors ? EXIT_CONFIG_TEST :
		 track_script_security_error(cf) ? EXIT_CONFIG_TEST_SECURITY : EXIT_OK;

	if (cf->n_errors)
		fprintf(stderr, "%s: %d error(s), %d warning(s) in %s\n", progname, cf->n_errors,
			cf->n_warnings, opt.conf_file);
	conf_free(cf);
	return rc;
}

static void write_pid(const char *path)
{
	char buf[24];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (fd < 0 || write(fd, buf, (size_t)n) != n)
		log_warn("writing pid file %s", path);
	if (fd >= 0)
		close(fd);
}

static void daemonize(void)
{
	pid_t pid = fork();

	if (pid < 0)
		fatal(EXIT_FATAL, "fork");
	if (pid > 0)
		_exit(EXIT_OK);
	setsid();
	if (chdir("/") < 0)
		fatal(EXIT_FATAL, "chdir /");
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
}

/* The configuration the instances run from. */
static struct config *running_cf;

/* keepalived's order: "Reloading", then the file; with any error in it
 * the running configuration stays untouched. */
static void do_reload(void)
{
	struct conf_opts co = { .config_id = opt.config_id, .diag = conf_diag_log };
	struct config *nc;

	log_info("Reloading");
	ready_reloading();
	nc = conf_load(opt.conf_file, &co);
	if (!nc) {
		log_warn("Reload: cannot read %s; the running configuration stays", opt.conf_file);
	} else if (nc->n_errors) {
		log_warnx("Reload: %s: %d error(s); the running configuration stays", opt.conf_file,
			  nc->n_errors);
		conf_free(nc);
	} else {
		if (opt.dump)
			conf_dump(nc, stderr);
		if (reload(&running_cf, nc) == 0)
			log_info("Reload complete");
	}
	ready_up();
}

static void on_signal(int sig)
{
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		log_info("Stopping");
		loop_quit();
		break;
	case SIGHUP:
		do_reload();
		break;
	case SIGUSR1:
		ctl_write_data();
		break;
	case SIGUSR2:
		ctl_write_stats();
		break;
	case SIGCHLD:
		proc_on_sigchld();
		break;
	default:
		if (sig == SIGRTMIN + 2)	/* keepalived's JSON signal; not a constant */
			ctl_write_json();
		else if (sig == SIGRTMAX - 1)	/* and STATS_CLEAR */
			ctl_clear_stats();
		break;
	}
}

static int run_daemon(void)
{
	struct conf_opts co = { .config_id = opt.config_id, .diag = conf_diag_log };
	struct config *cf;

	log_open(strcmp(progname, "keepalived") == 0 ? "Keepalived_vrrp" : progname,
		 opt.console ? LOG_TO_STDERR : LOG_TO_SYSLOG, opt.facility, opt.detail);
	log_info("Starting %s v%s", progname, TINYVRRP_VERSION);
	cf = conf_load(opt.conf_file, &co);
	if (!cf)
		fatal(EXIT_NO_CONFIG, "cannot read configuration %s", opt.conf_file);
	if (cf->n_errors)
		fatalx(EXIT_CONFIG, "%s: %d error(s); not starting", opt.conf_file, cf->n_errors);
	if (opt.dump)
		conf_dump(cf, stderr);
	running_cf = cf;	/* a reload replaces it */
	if (cf->n_inst == 0)
		log_warnx("%s: no vrrp_instance configured; nothing to do but wait", opt.conf_file);

	ready_init(opt.ready_fd);
	/* Before forking, so that a second daemon on the same socket fails
	 * where its caller sees the exit code; the fd survives the fork. */
	if (status_open(ctl_socket) < 0 && errno == EADDRINUSE)
		fatalx(EXIT_FATAL, "another daemon answers on %s; not starting (see --control-socket)",
		       ctl_socket);
	if (!opt.foreground)
		daemonize();
	const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGCHLD, SIGRTMIN + 2,
			     SIGRTMAX - 1 };

	signal(SIGPIPE, SIG_IGN);
	if (loop_signals(sigs, (int)(sizeof(sigs) / sizeof(sigs[0])), on_signal) < 0)
		fatal(EXIT_FATAL, "signal setup");
	if (nl_open() < 0)
		fatal(EXIT_FATAL, "netlink");
	struct inst_opts io = { .keep_vips = opt.keep_vips };

	if (inst_setup(cf, &io) < 0)
		fatalx(EXIT_FATAL, "not starting");
	write_pid(opt.pid_file);
	write_pid(opt.vrrp_pid_file);
	inst_start_all(cf->startup_delay_ms);
	ready_up();

	int rc = loop_run() < 0 ? EXIT_FATAL : EXIT_OK;

	if (rc != EXIT_OK)
		log_warn("event loop");
	status_close();
	ready_stopping();
	inst_start_delayed();
	inst_stop_all();
	/* keepalived waits briefly for notify_stop and the other children. */
	proc_shutdown(1000000);
	inst_teardown();
	nl_close();
	unlink(opt.pid_file);
	unlink(opt.vrrp_pid_file);
	conf_free(running_cf);
	log_info("Stopped");
	return rc;
}

/* "tinyvrrp status [--json] [--control-socket=PATH]" */
static int status_cmd(int argc, char **argv)
{
	bool json = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strncmp(argv[i], "--control-socket=", 17) == 0) {
			ctl_socket = argv[i] + 17;
		} else if (strcmp(argv[i], "--control-socket") == 0 && i + 1 < argc) {
			ctl_socket = argv[++i];
		} else {
			fprintf(stderr, "%s status: unexpected argument '%s'\n", progname, argv[i]);
			usage(stderr);
			return EXIT_FATAL;
		}
	}
	return status_client(ctl_socket, json) == 0 ? EXIT_OK : EXIT_FATAL;
}

int main(int argc, char **argv)
{
	progname = basename(argv[0]);
	if (argc > 1 && strcmp(argv[1], "status") == 0)
		return status_cmd(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "check") == 0) {
		/* "tinyvrrp check [-f FILE]": the lint spelling of -t. */
		argv[1] = "-t";
	}
	parse_args(argc, argv);
	if (opt.test)
		return config_test();
	return run_daemon();
}
