#!/usr/bin/python3
"""screen_latency: when does a change made by another client reach the
screen of a program running in tmux?

    screen_latency.py TMUX_SOCKET TARGET [--trace FILE NODE] -- CHURN_COMMAND...

Runs CHURN_COMMAND (bench/churn: it sets a node's data to "seq=N" on a
schedule and prints "SEQ SENT_NS ACKED_NS RC SEEN_NS" lines when done,
SEEN_NS when its own watching session first read N) while
watching the pane TARGET through a tmux control-mode client: tmux tells it
(%output) each time the program writes to its terminal, and it then asks
for the pane's text (capture-pane) on the same channel, with no process
started per look. The first look showing seq=K or later, minus the time
change K was sent, is K's latency: an upper bound, late by at most the
look's own round trip, which is measured and printed too.

Prints one line of JSON: count, p50/p90/p99/max latency in ms, how many
changes never showed, the look's cost (median and max ms), and for
comparison the server's answer to each change (ack_*) and the latency of
churn's own watching session, which has no screen (raw_*).

With --trace FILE NODE (the file zktui --trace writes, NODE the node on
screen): the same latency from zktui's own account, with no tmux in the
way: the first frame whose selected NODE has the version of change K (the
version before the first change is the last one a frame showed before it
began, data set to seq=0), minus the time K was sent (trace_*); and the
most frames zktui drew in any one second (frames_max_1s).
"""
import json
import os
import re
import selectors
import subprocess
import sys
import time

SEQ = re.compile(rb"seq=(\d{8})")


class Control:
    """A tmux control-mode client on the pane's session."""

    def __init__(self, sock, target):
        self.target = target
        self.p = subprocess.Popen(
            ["tmux", "-L", sock, "-C", "attach", "-t", target.split(":")[0]],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        os.set_blocking(self.p.stdout.fileno(), False)
        self.buf = b""
        self.block = None      # lines of the command answer being read
        self.in_flight = None  # (time asked, time of the output that caused it)
        self.dirty = None      # an output came while a look was in flight
        self.looks = []        # (asked, answered, trigger, seq shown or -1)

    def fileno(self):
        return self.p.stdout.fileno()

    def ask(self, trigger):
        self.in_flight = (time.monotonic_ns(), trigger)
        self.p.stdin.write(b"capture-pane -p -t " + self.target.encode() + b"\n")

    def read(self):
        """Reads what tmux sent; looks again after any output."""
        try:
            data = os.read(self.fileno(), 65536)
        except BlockingIOError:
            return True
        now = time.monotonic_ns()
        if not data:
            return False
        self.buf += data
        *lines, self.buf = self.buf.split(b"\n")
        for line in lines:
            if self.block is not None:
                if line.startswith((b"%end ", b"%error ")):
                    self.answered(now, b"\n".join(self.block))
                    self.block = None
                else:
                    self.block.append(line)
            elif line.startswith(b"%begin "):
                self.block = []
            elif line.startswith(b"%output "):
                if self.in_flight is None:
                    self.ask(now)
                elif self.dirty is None:
                    self.dirty = now
        return True

    def answered(self, now, text):
        if self.in_flight is None:
            return  # the answer to attach itself
        m = SEQ.search(text)
        asked, trigger = self.in_flight
        self.looks.append((asked, now, trigger, int(m.group(1)) if m else -1))
        self.in_flight = None
        if self.dirty is not None:
            trigger, self.dirty = self.dirty, None
            self.ask(trigger)

    def close(self):
        try:
            self.p.stdin.write(b"detach-client\n")
            self.p.stdin.close()
        except OSError:
            pass
        try:
            self.p.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def pct(sorted_ms, p):
    if not sorted_ms:
        return None
    i = min(len(sorted_ms) - 1, max(0, int(round(p / 100 * len(sorted_ms) + 0.5)) - 1))
    return round(sorted_ms[i], 1)


FRAME = re.compile(r"^(\d+) frame \d+ took=\d+ screen=\S+ sel=(\S+) ver=(-|\d+) ")


def trace_frames(path, node):
    """(µs, version) of each frame showing node."""
    frames = []
    with open(path, "rb") as f:
        for line in f.read().decode(errors="replace").splitlines():
            m = FRAME.match(line)
            if m and m.group(2) == node and m.group(3) != "-":
                frames.append((int(m.group(1)), int(m.group(3))))
    return frames


def trace_figures(path, node, changes):
    """trace_* figures: frames are CLOCK_MONOTONIC µs, changes ns."""
    frames = trace_frames(path, node)
    first = [f for f in frames if f[0] * 1000 < changes[0][1]] if changes else []
    if not first:
        return {"trace_error": "no frame of %s before the first change" % node}
    base = first[-1][1]
    frames = frames[len(first):]
    lat, missed, j = [], 0, 0
    for seq, sent, *_ in changes:
        while j < len(frames) and frames[j][1] < base + seq:
            j += 1
        if j == len(frames):
            missed += 1
            continue
        lat.append((frames[j][0] * 1000 - sent) / 1e6)
    lat.sort()
    times = [t for t, _ in frames]
    most, k = 0, 0
    for i, t in enumerate(times):
        while times[k] <= t - 1000000:
            k += 1
        most = max(most, i - k + 1)
    return {"trace_shown": len(lat), "trace_missed": missed, "trace_p50": pct(lat, 50),
            "trace_p90": pct(lat, 90), "trace_p99": pct(lat, 99),
            "trace_max": round(lat[-1], 1) if lat else None, "frames": len(frames),
            "frames_max_1s": most}


def main():
    trace = None
    if len(sys.argv) > 6 and sys.argv[3] == "--trace":
        trace = (sys.argv[4], sys.argv[5])
        del sys.argv[3:6]
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        print("usage: screen_latency.py TMUX_SOCKET TARGET [--trace FILE NODE] -- "
              "CHURN_COMMAND...", file=sys.stderr)
        return 2
    ctl = Control(sys.argv[1], sys.argv[2])
    sel = selectors.DefaultSelector()
    sel.register(ctl, selectors.EVENT_READ)
    # A first look, so that the screen before any change is known.
    time.sleep(0.2)
    while ctl.read() and ctl.block is not None:
        pass
    ctl.ask(time.monotonic_ns())
    churn = subprocess.Popen(sys.argv[4:], stdout=subprocess.PIPE)
    out = []
    sel.register(churn.stdout, selectors.EVENT_READ)
    done = None
    while True:
        for key, _ in sel.select(timeout=0.05):
            if key.fileobj is ctl:
                if not ctl.read():
                    print("screen_latency: tmux went away", file=sys.stderr)
                    return 1
            else:
                chunk = os.read(churn.stdout.fileno(), 65536)
                if chunk:
                    out.append(chunk)
                else:
                    sel.unregister(churn.stdout)
                    churn.wait()
                    done = time.monotonic()
        if done is not None:
            last = max((s for *_, s in ctl.looks), default=-1)
            want = len(b"".join(out).splitlines())
            if last >= want or time.monotonic() - done > 2:
                break
    ctl.close()
    if churn.returncode != 0:
        print("screen_latency: the churn failed (%d)" % churn.returncode, file=sys.stderr)
        return 1
    changes = [tuple(int(x) for x in l.split()) for l in b"".join(out).splitlines()]
    lat, missed, j = [], 0, 0
    looks = ctl.looks
    acks = sorted((c[2] - c[1]) / 1e6 for c in changes)
    raw = sorted((c[4] - c[1]) / 1e6 for c in changes if len(c) > 4 and c[4] > 0)
    for seq, sent, *_ in changes:
        while j < len(looks) and looks[j][3] < seq:
            j += 1
        if j == len(looks):
            missed += 1
            continue
        lat.append((looks[j][1] - sent) / 1e6)
    lat.sort()
    cost = sorted((b - a) / 1e6 for a, b, _t, _s in looks)
    extra = trace_figures(trace[0], trace[1], changes) if trace else {}
    print(json.dumps({
        "changes": len(changes), "shown": len(lat), "missed": missed,
        "p50": pct(lat, 50), "p90": pct(lat, 90), "p99": pct(lat, 99),
        "max": round(lat[-1], 1) if lat else None,
        "looks": len(looks), "look_p50": pct(cost, 50), "look_max": pct(cost, 100),
        "ack_p50": pct(acks, 50), "ack_p99": pct(acks, 99),
        "raw_seen": len(raw), "raw_p50": pct(raw, 50), "raw_p99": pct(raw, 99),
        **extra,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
