"""Staggered worker recycling: one worker restarts at a time, on a schedule, never two.

Gunicorn's own `max_requests` counts each worker's requests and adds a random jitter: workers
that started together (all of them, at boot) reach their limit together, so the whole pool
is cold at the same moment every few thousand requests, and the jitter only narrows the
odds. Here the schedule is global instead. Each worker holds a slot (0..N-1, kept by the
worker that replaces it) and counts its requests in a shared array that only it writes; the
sum of the array is the number of requests the pool has served. Slot k retires when that
sum reaches its next turn, k·every + g·N·every for a rising g: one worker retires every
`every` requests of the pool, in turn, so each still lives about `every` requests of its own
(as with max_requests) and the others are warm while it starts. The first generation
retires at (k+1)·every, which spreads the pool from the start.

Nothing is locked: each counter has one writer and only grows, so the sum a worker reads
only grows too and a turn cannot be skipped; a read that misses a concurrent increment
only delays a retirement by a request. A worker killed mid-request (timeout) cannot leave a
lock held.
"""

import multiprocessing

MAX_SLOTS = 64  # more workers than this share slots' turns; on 2 cores, 2–5 are run


class Schedule:
    def __init__(self, every, slots=MAX_SLOTS):
        self.every = every
        # Shared with the workers through fork: create it in the master before any spawn.
        self.counts = multiprocessing.RawArray("Q", slots)

    def served(self):
        return sum(self.counts)

    def claim_slot(self, taken, workers):
        """The lowest slot no live worker holds (the one the retired worker left)."""
        free = sorted(set(range(max(workers, 1))) - set(taken))
        return free[0] if free else min(max(taken) + 1, len(self.counts) - 1)

    def first_turn(self, slot, workers, served):
        """The pool's request count at which a worker of `slot`, starting now, retires."""
        period = workers * self.every
        turn = (slot + 1) * self.every
        if served >= turn:  # a replacement: its slot's next turn after now
            turn += ((served - turn) // period + 1) * period
        return turn

    def count(self, slot):
        self.counts[slot % len(self.counts)] += 1
