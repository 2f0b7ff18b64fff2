/* SPDX-License-Identifier: MIT */
/* track_file: a file holding an integer, re-read when inotify says its
 * directory changed; the instances referencing it add value x weight to
 * their priority (weight 0: FAULT while the value is non-zero). */
#ifndef TINYVRRP_TRACK_FILE_H
#define TINYVRRP_TRACK_FILE_H

#include "conf.h"

/* Create (init_file), watch and read every track_file the instances
 * reference, and register the trackers. 0, or -1 after logging. */
int track_file_setup(const struct config *cf);
void track_file_teardown(void);

#endif
