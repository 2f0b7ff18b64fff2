#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Record when the hypervisor stops this whole machine (tests/net/lib.sh).

Sleeps 20 ms at a time; a wake-up late by more than MIN_MS during which
the steal time of /proc/stat grew by at least the gap (summed over the
CPUs: on average half of every CPU taken away) is such a stop. One line per
stop on stdout: "END_EPOCH_MS GAP_MS STEAL_MS". Runs until killed.
"""
import os
import sys
import time

MIN_MS = int(sys.argv[1]) if len(sys.argv) > 1 else 250
HZ = os.sysconf("SC_CLK_TCK")


def steal_ms():
    with open("/proc/stat") as f:
        return int(f.readline().split()[8]) * 1000 // HZ


last, s_last = time.monotonic(), steal_ms()
while True:
    time.sleep(0.02)
    now, s = time.monotonic(), steal_ms()
    gap = int((now - last) * 1000)
    if gap >= MIN_MS and s - s_last >= gap:
        print(int(time.time() * 1000), gap, s - s_last, flush=True)
    last, s_last = now, s
