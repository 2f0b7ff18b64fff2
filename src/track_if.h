/* SPDX-License-Identifier: MIT */
/* track_interface: one tracker per tracked interface, up while the
 * interface exists, is up and has carrier (keepalived's IF_ISUP). */
#ifndef TINYVRRP_TRACK_IF_H
#define TINYVRRP_TRACK_IF_H

/* Register the track_interface entries of every instance (after the
 * instances are set up). Returns 0, or -1 after logging. */
int track_if_setup(void);
/* Interfaces may have changed: update the trackers, and re-evaluate the
 * instances if any changed. */
void track_if_update(void);
void track_if_teardown(void);

#endif
