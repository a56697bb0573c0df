#!/usr/bin/env python3
"""Clicks and scrolls in a tmux session the way a terminal does: attaches a
tmux client on a pseudo-terminal and writes SGR mouse reports (xterm 1006)
to it, which tmux turns into mouse events for the pane under them.

    mouse.py SOCKET SESSION CONF EVENT...

EVENT: click:X,Y | double:X,Y | wheelup:X,Y | wheeldown:X,Y (1-based
columns and lines of the pane, as a person would count them)."""
import fcntl
import os
import pty
import struct
import termios
import select
import sys
import time


def report(button, x, y):
    return "\x1b[<%d;%d;%dM\x1b[<%d;%d;%dm" % (button, x, y, button, x, y)


def main():
    sock, session, conf = sys.argv[1:4]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execvp("tmux", ["tmux", "-L", sock, "-f", conf, "attach", "-t", session])
    # The client's terminal as big as the window, so nothing is resized.
    cols, rows = (int(v) for v in os.environ.get("MOUSE_SIZE", "100x30").split("x"))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    # Let the client attach and read its first screen.
    deadline = time.time() + 3
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                os.read(fd, 65536)
            except OSError:
                break
        elif time.time() > deadline - 2.5:
            break
    for ev in sys.argv[4:]:
        kind, pos = ev.split(":")
        x, y = (int(v) for v in pos.split(","))
        if kind == "click":
            os.write(fd, report(0, x, y).encode())
        elif kind == "double":
            os.write(fd, report(0, x, y).encode())
            time.sleep(0.05)
            os.write(fd, report(0, x, y).encode())
        elif kind == "wheelup":
            os.write(fd, ("\x1b[<64;%d;%dM" % (x, y)).encode())
        elif kind == "wheeldown":
            os.write(fd, ("\x1b[<65;%d;%dM" % (x, y)).encode())
        time.sleep(0.1)
    time.sleep(0.2)
    # This client goes; the session goes on. (Not by typing the detach
    # keys: under load they can reach the pane as keys.)
    try:
        os.kill(pid, 15)
    except OSError:
        pass
    os.waitpid(pid, 0)


main()
