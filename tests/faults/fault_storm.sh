#!/usr/bin/env bash
# Fault 4: a storm. For STORM_SECONDS (default 60): STORM_RATE (default
# 1000) changes a second on nodes zktui watches (half setData on the
# selected node, half creates and deletes under an expanded one) and
# STORM_CONTENDERS (default 200) lock contenders churning in one queue (the
# holder lets go every 40 ms and queues again), by tests/faults/storm.c.
# Meanwhile a key every 0.3 s. Measured from zktui's --trace (a
# CLOCK_MONOTONIC line per key, message and frame): the time from each key
# to the next frame drawn (target: under 100 ms) and the most frames in any
# one second (target: at most 30); from /proc/PID/status, VmRSS once a
# second (target: flat, no steady growth after the first 10 s). Once the
# storm stops (its sessions kept, so the queue stays), the screen must
# match the server: the expanded node's children, the selected node's data
# and version, the lock queue's first rows against a fresh
# `zktui --locks --json`; then the contenders' sessions close and the
# queue must empty on screen too.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
SECS=${STORM_SECONDS:-60} RATE=${STORM_RATE:-1000} NC=${STORM_CONTENDERS:-200}
FAULT="storm: $RATE changes/s on watched nodes + $NC lock contenders, ${SECS} s"
STORM=$BUILD/faults/storm
[ -x "$STORM" ] || fail "no $STORM (make faults builds it)"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2' > /dev/null
create /storm ""
create /storm/hot seq=0
create /storm/kids ""
create /storm/kids/base x
create /storm/lock ""
EOF2

E2E_H=50
trace=$E2E_TMP/trace.log
e2e_start -s "$ZK_HOST" --trace "$trace"
wait_screen '▸ storm' 15 || fail "no tree"
e2e_keys j l
wait_screen '· hot ' 10 || fail "storm did not expand"
e2e_keys j j l k
wait_screen '│ /storm/hot$' 10 || fail "hot not selected"
wait_screen '▾ kids' 10 || fail "kids not expanded"
pid=$(pgrep -P "$(_e2e_pane '#{pane_pid}')" | head -1)
[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = zktui ] || fail "no zktui pid ($pid)"

mkfifo "$E2E_TMP/storm.in"
"$STORM" "$ZK_HOST" /storm "$RATE" "$NC" "$SECS" < "$E2E_TMP/storm.in" > "$E2E_TMP/storm.out" 2>&1 &
storm_pid=$!
at_exit "kill $storm_pid 2>/dev/null"
exec 7>"$E2E_TMP/storm.in"
t_start=$(ms_now)
: > "$E2E_TMP/rss"
next_key=0
while ! grep -q '^stopped' "$E2E_TMP/storm.out"; do
  kill -0 "$storm_pid" 2>/dev/null || { cat "$E2E_TMP/storm.out"; fail "the storm tool died"; }
  now=$(ms_now)
  if [ "$now" -ge "$next_key" ]; then
    e2e_keys v
    next_key=$((now + 300))
  fi
  if [ $(( (now - t_start) / 1000 )) -ge "$(wc -l < "$E2E_TMP/rss")" ]; then
    echo "$(( (now - t_start) / 1000 )) $(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")" >> "$E2E_TMP/rss"
  fi
  sleep 0.05
done
t_end=$(ms_now)
echo "# storm: $(cat "$E2E_TMP/storm.out") over $(secs_since "$t_start") s"

# Converged, the contenders still queued.
matched=yes
hot_screen() { e2e_screen | grep -oE '│ seq=[0-9]+$' | head -1; }
hot_server() { echo "│ $("$ZKCTL" -s "$ZK_HOST" get /storm/hot)"; }
# The view cycled by v: back to auto (text) before reading the data.
for ((i = 0; i < 4; i++)); do e2e_screen | grep -q '(v: view auto)' && break; e2e_keys v; sleep 0.2; done
ck "the selected node's data matches the server" wait_same 15 "data of /storm/hot" hot_screen hot_server || matched=no
ck "the expanded node's children match the server" \
  wait_same 15 "children of /storm/kids" 'screen_kids kids' 'server_kids /storm/kids' || matched=no
t_tree=$(secs_since "$t_end")
e2e_keys L
rows=20
locks_screen() { e2e_screen | sed -nE 's/^ (holds|waits) ([0-9]{10}) .*/\1 \2/p' | head -n $rows; }
locks_server() {
  "$ZKTUI" -s "$ZK_HOST" --locks /storm --json | python3 -c '
import json, sys
for line in sys.stdin:
    for c in json.loads(line)["contenders"][:int(sys.argv[1])]:
        print(("holds" if c["holds"] else "waits"), "%010d" % c["seq"])' "$rows"
}
ck "the lock queue's first $rows rows match --locks --json" \
  wait_same 15 "the queue of /storm/lock" locks_screen locks_server || matched=no
count_screen() { e2e_screen | grep -oE '/storm/lock +mutex +held, [0-9]+ waiting'; }
count_server() { echo "/storm/lock mutex held, $((NC - 1)) waiting"; }
ck "and its length" wait_same 10 "the queue's length" "count_screen | tr -s ' '" count_server ||
  matched=no
t_rec=$(secs_since "$t_end")

# The contenders go: the queue empties on screen as on the server.
exec 7>&-
t_gone=$(ms_now)
empty() { e2e_screen | grep -qE '/storm/lock +mutex +free' && ! e2e_screen | grep -qE '^ (holds|waits) '; }
wait_empty() {
  local i
  for ((i = 0; i < 200; i++)); do empty && return 0; sleep 0.1; done
  _e2e_show_screen
  return 1
}
ck "the contenders gone, the queue is empty on screen" wait_empty || matched=no
echo "# the 200 contenders' sessions closing: the queue empty on screen after $(secs_since "$t_gone") s"
e2e_keys 1 q
ck "q quits" wait_exit 0 10

# The figures, from the trace and the RSS samples.
figures=$(python3 - "$trace" "$E2E_TMP/rss" "$((t_start))" <<'PY'
import bisect, sys
keys, frames = [], []
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    f = line.split()
    if f[1] == "key" and f[2] == "118":   # v
        keys.append(int(f[0]))
    elif f[1] == "frame":
        frames.append(int(f[0]))
lat = []
for k in keys:
    i = bisect.bisect_left(frames, k)
    if i < len(frames):
        lat.append((frames[i] - k) / 1000.0)
lat.sort()
def pct(p):
    return lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan")
span = [t for t in frames if keys and keys[0] <= t <= keys[-1]]
most = 0
j = 0
for i, t in enumerate(span):
    while span[j] <= t - 1000000:
        j += 1
    most = max(most, i - j + 1)
secs = (span[-1] - span[0]) / 1e6 if len(span) > 1 else 0
rss = [tuple(map(int, l.split())) for l in open(sys.argv[2]) if len(l.split()) == 2]
after = [kb for s, kb in rss if s >= 10]
first = after[:5] or [0]
last = after[-5:] or [0]
growth = (sum(last) / len(last) - sum(first) / len(first)) / 1024
slow = sum(1 for x in lat if x > 100)
print("keys=%d median=%.1f p99=%.1f max=%.1f over100=%d" % (len(lat), pct(0.5), pct(0.99), lat[-1] if lat else float("nan"), slow))
print("fps_max=%d fps_mean=%.1f" % (most, len(span) / secs if secs else 0))
print("rss_first=%.1f rss_last=%.1f rss_max=%.1f growth=%.1f rss_samples=%d" % (
    first[0] / 1024, last[-1] / 1024, max(kb for s, kb in rss) / 1024 if rss else 0, growth,
    len(rss)))
PY
)
echo "$figures" | sed 's/^/# /'
get() { echo "$figures" | grep -oE "(^| )$1=[^ ]+" | cut -d= -f2; }
ck "keys answered within 100 ms (every one)" [ "$(get over100)" = 0 ]
ck "at most 30 frames in any second" [ "$(get fps_max)" -le 30 ]
ck "memory flat (under 3 MB growth after the first 10 s)" \
  python3 -c "import sys; sys.exit(0 if float('$(get growth)') < 3 else 1)"

{
  echo "Storm: $RATE changes a second on watched nodes and $NC lock contenders for $SECS s ($(grep '^stopped' "$E2E_TMP/storm.out" | awk '{ printf "%s sets, %s creates/deletes, %s lock turns, %s", $2, $3, $4, $5 }')); a key (v) every 0.3 s."
  echo
  echo "| measure | value | target |"
  echo "| --- | --- | --- |"
  echo "| key → next frame (ms), over $(get keys) keys | median $(get median), p99 $(get p99), max $(get max); $(get over100) over 100 | every key < 100 |"
  echo "| frames a second | most in any second $(get fps_max), mean $(get fps_mean) | ≤ 30 |"
  echo "| VmRSS (MB) | $(get rss_first) at 10 s, $(get rss_last) at the end, max $(get rss_max); growth $(get growth), $(get rss_samples) samples a second apart | flat |"
} > "$(dirname "$FAULTS_ROWS")/storm.figures"
cat "$(dirname "$FAULTS_ROWS")/storm.figures" | sed 's/^/# /'

SHOWN="keys: max $(get max) ms ($(get over100) over 100); frames: ≤ $(get fps_max)/s; RSS growth $(get growth) MB; tree, data, queue converged (tree $t_tree s)"
fault_row "$FAULT" "$SHOWN" "$t_rec" "$matched"
finish
