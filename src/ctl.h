/* SPDX-License-Identifier: MIT */
/* keepalived's dump files: SIGUSR1 writes the data dump, SIGUSR2 the stats,
 * SIGRTMIN+2 the JSON dump ($TMPDIR or /tmp, keepalived.data,
 * keepalived.stats, keepalived.json), in keepalived's layout so that
 * exporters, scripts that grep them and OpenWrt's LuCI keep working. */
#ifndef TINYVRRP_CTL_H
#define TINYVRRP_CTL_H

#include <stdio.h>

void ctl_write_data(void);
void ctl_write_stats(void);
void ctl_write_json(void);
/* keepalived's STATS_CLEAR: the stats file as it stands, then every
 * counter back to 0. */
void ctl_clear_stats(void);
/* The stats text itself, for the two above and for tests. */
void ctl_print_stats(FILE *f);
void ctl_print_data(FILE *f);
void ctl_print_json(FILE *f);		/* ctl_json.c */

#endif
