#!/usr/bin/env python3
"""A TCP proxy that can cut the line, for network-partition tests.

    tcpproxy.py LISTEN_PORT TARGET_PORT      (both on 127.0.0.1)

SIGUSR1 cuts: every open connection is closed and new ones are closed as
soon as they arrive, while the server behind stays up (so it can expire
the sessions it no longer hears from). SIGUSR2 restores the line.
"""
import selectors
import signal
import socket
import sys

listen_port, target_port = int(sys.argv[1]), int(sys.argv[2])
cut = False
sel = selectors.DefaultSelector()
peer = {}  # socket -> the socket at the other end


def drop(s):
    for x in (s, peer.pop(s, None)):
        if x is None:
            continue
        peer.pop(x, None)
        try:
            sel.unregister(x)
        except (KeyError, ValueError):
            pass
        x.close()


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
                try:
                    peer[s].sendall(data)
                except OSError:
                    drop(s)
