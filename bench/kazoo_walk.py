#!/usr/bin/python3
"""kazoo_walk: the whole-tree walk a Python operator would write with kazoo
(Debian's python3-kazoo), for the benchmark.

    kazoo_walk.py HOSTS PATH sync|async [WINDOW]

sync: one get_children at a time, depth first, as a script usually does.
async: get_children_async with at most WINDOW (default 1000) requests in
flight, waiting on the oldest (a session's replies come in order).
Prints "nodes N ms T": N counts PATH itself, T from the first request to
the last reply (start-up and connecting not included). Exit 1 on an error.
"""
import collections
import logging
import sys
import time

from kazoo.client import KazooClient
from kazoo.exceptions import NoNodeError


def walk_sync(zk, top):
    nodes = 0
    todo = [top]
    while todo:
        path = todo.pop()
        try:
            kids = zk.get_children(path)
        except NoNodeError:
            if path == top:
                raise
            continue
        nodes += 1
        base = "" if path == "/" else path
        todo.extend(base + "/" + k for k in kids)
    return nodes


def walk_async(zk, top, window):
    nodes = 0
    todo = collections.deque([top])
    flight = collections.deque()
    while todo or flight:
        while todo and len(flight) < window:
            path = todo.popleft()
            flight.append((path, zk.get_children_async(path)))
        path, res = flight.popleft()
        try:
            kids = res.get()
        except NoNodeError:
            if path == top:
                raise
            continue
        nodes += 1
        base = "" if path == "/" else path
        todo.extend(base + "/" + k for k in kids)
    return nodes


def main():
    if len(sys.argv) not in (4, 5) or sys.argv[3] not in ("sync", "async"):
        print("usage: kazoo_walk.py HOSTS PATH sync|async [WINDOW]", file=sys.stderr)
        return 2
    hosts, top, mode = sys.argv[1:4]
    window = int(sys.argv[4]) if len(sys.argv) == 5 else 1000
    logging.basicConfig(level=logging.CRITICAL)
    zk = KazooClient(hosts=hosts, timeout=30)
    zk.start(timeout=10)
    try:
        t0 = time.monotonic_ns()
        if mode == "sync":
            nodes = walk_sync(zk, top)
        else:
            nodes = walk_async(zk, top, window)
        t1 = time.monotonic_ns()
    except Exception as e:  # the bench reports it: any failure, said as is
        print("kazoo_walk: %s: %s: %s" % (top, type(e).__name__, e), file=sys.stderr)
        return 1
    finally:
        zk.stop()
        zk.close()
    print("nodes %d ms %.1f" % (nodes, (t1 - t0) / 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main())
