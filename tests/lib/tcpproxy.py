#!/usr/bin/env python3
"""A TCP proxy that can cut the line, for network-partition tests.

    tcpproxy.py LISTEN_PORT TARGET_PORT [OPLOG]   (both on 127.0.0.1)

With OPLOG, the type of every request a client sends (ZooKeeper's opcode:
1 create, 2 delete, 5 setData, 7 setACL, 14 multi, 15 create2, 19
createContainer, 21 createTTL; reads are 3 exists, 4 getData, 6 getACL,
8/12 getChildren, 11 ping, 101 setWatches...) is appended to that file,
one number a line, so a test can prove what left a process.

SIGUSR1 cuts: every open connection is closed and new ones are closed as
soon as they arrive, while the server behind stays up (so it can expire
the sessions it no longer hears from). SIGUSR2 restores the line.
"""
import selectors
import signal
import socket
import sys

import struct

listen_port, target_port = int(sys.argv[1]), int(sys.argv[2])
oplog = open(sys.argv[3], "a", buffering=1) if len(sys.argv) > 3 else None
pending = {}  # client socket -> [bytes not yet parsed, connect frame seen]
cut = False
sel = selectors.DefaultSelector()
peer = {}  # socket -> the socket at the other end


def drop(s):
    for x in (s, peer.pop(s, None)):
        if x is None:
            continue
        peer.pop(x, None)
        pending.pop(x, None)
        try:
            sel.unregister(x)
        except (KeyError, ValueError):
            pass
        x.close()


def log_ops(c, data):
    """Frames are a 4-byte length and a body; the first is the connect
    request, every later one starts with xid and type."""
    buf, seen = pending[c]
    buf += data
    while len(buf) >= 4:
        (n,) = struct.unpack(">i", buf[:4])
        if len(buf) < 4 + n:
            break
        body, buf = buf[4:4 + n], buf[4 + n:]
        if seen and len(body) >= 8:
            oplog.write("%d\n" % struct.unpack(">ii", body[:8])[1])
        seen = True
    pending[c] = [buf, seen]


def on_signal(signum, frame):
    global cut
    cut = signum == signal.SIGUSR1
    if cut:
        for s in list(peer):
            drop(s)


signal.signal(signal.SIGUSR1, on_signal)
signal.signal(signal.SIGUSR2, on_signal)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))

srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen_port))
srv.listen(16)
sel.register(srv, selectors.EVENT_READ)
print("ready", flush=True)

while True:
    try:
        events = sel.select()
    except InterruptedError:
        continue
    for key, _ in events:
        s = key.fileobj
        if s is srv:
            c, _ = srv.accept()
            if cut:
                c.close()
                continue
            try:
                t = socket.create_connection(("127.0.0.1", target_port))
            except OSError:
                c.close()
                continue
            peer[c], peer[t] = t, c
            pending[c] = [b"", False]
            sel.register(c, selectors.EVENT_READ)
            sel.register(t, selectors.EVENT_READ)
        elif s in peer:
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if not data:
                drop(s)
            else:
                if oplog and s in pending:
                    log_ops(s, data)
                try:
                    peer[s].sendall(data)
                except OSError:
                    drop(s)
