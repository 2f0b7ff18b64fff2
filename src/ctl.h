/* SPDX-License-Identifier: MIT */
/* keepalived's dump files: SIGUSR1 writes the data dump, SIGUSR2 the stats
 * ($TMPDIR or /tmp, keepalived.data / keepalived.stats), in keepalived's
 * layout so that exporters and scripts that grep them keep working. */
#ifndef TINYVRRP_CTL_H
#define TINYVRRP_CTL_H

#include <stdio.h>

void ctl_write_data(void);
void ctl_write_stats(void);
/* The stats text itself, for the two above and for tests. */
void ctl_print_stats(FILE *f);
void ctl_print_data(FILE *f);

#endif
