#!/usr/bin/env bash
# make bench: zktui against its peers, in one run, on one server.
#
# Starts a ZooKeeper 3.8 (tests/lib/zk.sh), builds a tree of BENCH_NODES
# nodes (/bench/t/aNN/bNNNN/cNNNNN) and a node with BENCH_WIDE children
# (/bench/wide, its child list > 1 MB), then measures:
#   - whole-tree walks of /bench/t, BENCH_RUNS rounds, every peer once a
#     round: bench/rawwalk (the limit), zktui --dump, kazoo async, kazoo
#     sync, zkCli.sh ls -R; each also on a one-node subtree (/bench/live),
#     which gives its start-up cost;
#   - the same walkers once on /bench/wide (not kazoo sync);
#   - zktui in tmux: event-to-screen latency while bench/churn changes the
#     node on screen 10, 100 and 1,000 times a second (a tmux control-mode
#     client looks at the pane each time zktui writes to it:
#     bench/screen_latency.py, and from zktui's own --trace); its RSS
#     before and after * opens the whole of /bench/t (the walk's time and
#     keys' time to the screen meanwhile, from the trace); its CPU over
#     BENCH_IDLE seconds idle;
#   - the two older benches (live_latency.sh, lock_latency.sh), 10 rounds each.
# Writes BENCH_OUT (default docs/BENCHMARKS.md) through bench/report.py,
# which also prints it. Raw figures stay in BENCH_KEEP if set.
#
# Usage: bash tests/bench/run.sh   (after make all and the bench tools)
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# A benchmark's server: the JVM's full JIT and room for 160,000 nodes,
# not the tests' quick-start flags.
export ZK_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}
. "$top/tests/lib/zk.sh"
. "$top/tests/e2e/lib.sh"

NODES=${BENCH_NODES:-100000}
WIDE=${BENCH_WIDE:-60000}
RUNS=${BENCH_RUNS:-3}
LAT_SECS=${BENCH_LAT_SECS:-10}
IDLE=${BENCH_IDLE:-30}
OUT=${BENCH_OUT:-$top/docs/BENCHMARKS.md}
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
BB=$BUILD/bench
PY=/usr/bin/python3 # Debian's: python3-kazoo is installed for it
ZKCLI=/usr/share/zookeeper/bin/zkCli.sh
R=$E2E_TMP/results
mkdir -p "$R"
t_start=$(date +%s)

for f in "$ZKTUI" "$ZKCTL" "$BB/rawwalk" "$BB/seed" "$BB/churn"; do
  [ -x "$f" ] || { echo "bench: no $f (make bench builds it)" >&2; exit 1; }
done
$PY -c 'import kazoo' 2>/dev/null || { echo "bench: no python3-kazoo (make deps)" >&2; exit 1; }
[ -x "$ZKCLI" ] || { echo "bench: no $ZKCLI (make deps)" >&2; exit 1; }

say() { printf '[%4ds] %s\n' $(($(date +%s) - t_start)) "$*" >&2; }
info() { printf '%s\t%s\n' "$1" "$2" >> "$R/info.tsv"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

info date "$(date -u '+%Y-%m-%d %H:%M UTC')"
info uname "$(uname -srvmo)"
info cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
info cores "$(nproc)"
info ram_kb "$(awk '/^MemTotal/ {print $2}' /proc/meminfo)"
info debian "$(cat /etc/debian_version 2>/dev/null)"
info java "$(java -version 2>&1 | head -1)"
info kazoo "$(dpkg-query -W -f='${Version}' python3-kazoo 2>/dev/null)"
info tmux "$(tmux -V)"
info zktui "$("$ZKTUI" --version 2>&1 | head -1)"
info load_start "$(load)"
info nodes "$NODES"
info wide "$WIDE"
info runs "$RUNS"
info lat_secs "$LAT_SECS"
info idle_secs "$IDLE"

say "starting ZooKeeper"
zk_start || exit 1
info zookeeper "$(zk_4lw srvr | sed -n 's/^Zookeeper version: //p' | cut -d, -f1 | sed 's/-\${[^}]*}//')"
info server_jvm "$ZK_JAVA_OPTS"

# ---- the trees ----------------------------------------------------------------
say "building /bench/t ($NODES nodes) and /bench/wide ($WIDE children)"
t0=$(date +%s%N)
made=$("$BB/seed" "$ZK_HOST" tree /bench/t "$NODES") || exit 1
made_wide=$("$BB/seed" "$ZK_HOST" wide /bench/wide "$WIDE") || exit 1
"$ZKCTL" -s "$ZK_HOST" create /bench/live seq=00000000 > /dev/null || exit 1
info seed_ms $(( ($(date +%s%N) - t0) / 1000000 ))
info seeded "$made $made_wide"
[ "$made" = "$NODES" ] || { echo "bench: seed made $made nodes, not $NODES" >&2; exit 1; }

# ---- the walkers --------------------------------------------------------------
# walk_cmd PEER PATH sets W to the command line; each prints what it found
# on stdout, and count_PEER PATH turns that into a number of nodes.
walk_cmd() {
  case $1 in
    raw) W=("$BB/rawwalk" "$ZK_HOST" "$2") ;;
    zktui) W=("$ZKTUI" -s "$ZK_HOST" --dump "$2") ;;
    kazoo_async) W=($PY "$top/bench/kazoo_walk.py" "$ZK_HOST" "$2" async) ;;
    kazoo_sync) W=($PY "$top/bench/kazoo_walk.py" "$ZK_HOST" "$2" sync) ;;
    zkcli) W=("$ZKCLI" -server "$ZK_HOST" ls -R "$2") ;;
  esac
}
count_raw() { awk '$1 == "nodes" {print $2}' "$R/walk.out"; }
count_zktui() { wc -l < "$R/walk.out"; }
count_kazoo_async() { count_raw; }
count_kazoo_sync() { count_raw; }
count_zkcli() { grep -c "^$1\(/\|\$\)" "$R/walk.out"; }
PEERS="raw zktui kazoo_async kazoo_sync zkcli"

# walk PEER TARGET PATH EXPECTED RUN: one timed walk, one line of results.tsv
# (peer, target, run, microseconds, nodes counted, status, note, CPU
# seconds user+sys, peak RSS in KiB; the last two from /usr/bin/time, the
# JVM's and the interpreter's included).
walk() {
  local peer=$1 target=$2 path=$3 want=$4 run=$5 t0 us rc n status note='' cpu rss
  walk_cmd "$peer" "$path"
  t0=$(date +%s%N)
  /usr/bin/time -f '%U %S %M' -o "$R/walk.time" "${W[@]}" > "$R/walk.out" 2> "$R/walk.err"
  rc=$?
  us=$(( ($(date +%s%N) - t0) / 1000 ))
  n=$("count_$peer" "$path")
  read -r cpu rss <<< "$(tail -1 "$R/walk.time" | awk '{print $1 + $2, $3}')"
  if [ "$rc" != 0 ]; then
    status=failed
    # The error, not the JVM's or slf4j's chatter around it.
    note=$(grep -hE 'KeeperErrorCode|Exception|rawwalk:|kazoo_walk:|zktui:' "$R/walk.err" "$R/walk.out" |
           grep -v '^SLF4J' | tail -1)
    [ -n "$note" ] || note=$(grep -v '^SLF4J' "$R/walk.err" | tail -1)
    note="exit $rc: ${note:0:160}"
  elif [ "$n" != "$want" ]; then
    status=wrong
    note="counted $n, not $want"
  else
    status=ok
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$peer" "$target" "$run" "$us" "$n" "$status" \
    "$note" "$cpu" "$rss" >> "$R/results.tsv"
  printf '  %-12s %-5s run %s: %8.2f s  %7s nodes  CPU %5.2f s  %s %s\n' "$peer" "$target" \
    "$run" "$(awk -v u="$us" 'BEGIN {print u / 1e6}')" "$n" "$cpu" "$status" "$note" >&2
}

say "warming the server up (one raw walk, not counted)"
"$BB/rawwalk" "$ZK_HOST" /bench/t > /dev/null
info load_walks "$(load)"
for ((run = 1; run <= RUNS; run++)); do
  say "round $run of $RUNS (load $(load))"
  # Each round starts with a different peer, so that none always runs
  # right after the same one.
  set -- $PEERS
  for ((k = 0; k < run - 1; k++)); do set -- "${@:2}" "$1"; done
  for peer in "$@"; do
    walk "$peer" tree /bench/t "$NODES" "$run"
    walk "$peer" leaf /bench/live 1 "$run"
  done
done
# kazoo sync reads the same 1 MB reply with the same client as kazoo
# async, then 60,000 round trips one at a time: 25 s for nothing new.
say "/bench/wide, once each (not kazoo sync)"
for peer in raw zktui kazoo_async zkcli; do walk "$peer" wide /bench/wide $((WIDE + 1)) 1; done
info load_after_walks "$(load)"

# ---- zktui on screen -----------------------------------------------------------
say "zktui in tmux: event-to-screen latency"
"$ZKCTL" -s "$ZK_HOST" set /bench/live seq=00000000 || exit 1
e2e_start -s "$ZK_HOST" --trace "$R/trace.log"
wait_screen '▸ bench' 10 || { echo "bench: zktui shows no tree" >&2; e2e_screen >&2; exit 1; }
e2e_keys j l
wait_screen '· live' || exit 1
e2e_keys j
wait_screen '│ seq=00000000' || exit 1
pane=$(_e2e_pane '#{pane_pid}')
pid=$(cut -d' ' -f1 "/proc/$pane/task/$pane/children")
[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = zktui ] || { echo "bench: no zktui pid" >&2; exit 1; }

# CPU of a process: clock ticks (utime + stime), and ns and time slices
# summed over its threads (schedstat).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sched() { cat "/proc/$1"/task/*/schedstat | awk '{ns += $1; n += $3} END {printf "%.0f %d\n", ns, n}'; }
for rate in 10 100 1000; do
  "$ZKCTL" -s "$ZK_HOST" set /bench/live seq=00000000 || exit 1
  wait_screen '│ seq=00000000' || exit 1
  say "  $rate changes/s for $LAT_SECS s (load $(load))"
  s0=$(sched "$pid")
  res=$($PY "$top/bench/screen_latency.py" "$E2E_SOCK" zkt --trace "$R/trace.log" /bench/live -- \
          "$BB/churn" "$ZK_HOST" /bench/live "$rate" "$LAT_SECS") || res='{"error": "failed"}'
  s1=$(sched "$pid")
  # zktui's CPU while it ran, as a share of one core.
  res="${res%\}}, \"zktui_cpu_ms\": $(( (${s1% *} - ${s0% *}) / 1000000 ))}"
  echo "  $res" >&2
  printf '%s\t%s\n' "$rate" "$res" >> "$R/latency.tsv"
done

say "zktui in tmux: * on /bench/t (the whole subtree, one bulk walk), j every 100 ms meanwhile"
rss() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
# The last frame's figures from the trace: nodes loaded, watches, reads in flight.
last_frame() { grep ' frame ' "$R/trace.log" | tail -1; }
field() { last_frame | sed -n "s/.* $1=\([0-9]*\).*/\1/p"; }
sleep 1
info rss_before_kb "$(rss "$pid" VmRSS)"
info watches_before "$(field watches)"
nodes_before=$(field nodes)
info nodes_before "$nodes_before"
# Rows now: /, bench, live (selected), t, wide, zookeeper: t is one down.
e2e_keys j
wait_screen '│ /bench/t$' || exit 1
t0=$(date +%s%N)
e2e_keys '*'
# Keys while it loads: j every 100 ms until the walk is over (frames say
# expanding= while it runs), at most 120 s; then 1 s for the last answers.
seen=0
for ((i = 0; i < 1200; i++)); do
  sleep 0.1
  _e2e_tmux send-keys -t zkt j
  if last_frame | grep -q ' expanding='; then seen=1
  elif [ "$seen" = 1 ]; then break; fi
done
t_last=$(date +%s%N)
sleep 1
nodes_after=$(field nodes)
info open_all_ms $(( (t_last - t0) / 1000000 ))
info nodes_after "$nodes_after"
info loaded_nodes $((nodes_after - nodes_before))
# From the trace: the walk's time (the * key to the first frame with
# nothing in flight and every node in), and each j's time to the next frame.
$PY - "$R/trace.log" >> "$R/info.tsv" <<'PYEOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
star = next((i for i, l in enumerate(lines) if l.endswith(" key 42")), None)
if star is None:
    print("walk_check\tno * key in the trace"); sys.exit()
t_star = int(lines[star].split()[0])
frames = [(int(l.split()[0]), l) for l in lines[star:] if " frame " in l]
def num(l, k):
    m = re.search(r" %s=(\d+)" % k, l)
    return int(m.group(1)) if m else -1
# Over at the first frame that no longer says expanding= (the key started
# the walk before any frame after it was drawn).
final = num(frames[-1][1], "nodes") if frames else -1
done = next((t for t, l in frames if " expanding=" not in l), None)
lat, j = [], 0
keys = [int(l.split()[0]) for l in lines[star:] if l.endswith(" key 106")]
for k in keys:
    if done is not None and k > done:
        break
    while j < len(frames) and frames[j][0] < k:
        j += 1
    if j < len(frames):
        lat.append((frames[j][0] - k) / 1000)
lat.sort()
def pct(p):
    return lat[min(len(lat) - 1, int(p / 100 * len(lat)))] if lat else -1
print("walk_ms\t%s" % ((done - t_star) // 1000 if done else -1))
print("walk_keys\t%d" % len(lat))
print("walk_key_p50_ms\t%.1f" % pct(50))
print("walk_key_p99_ms\t%.1f" % pct(99))
print("walk_key_max_ms\t%.1f" % (lat[-1] if lat else -1))
print("walk_final_nodes\t%d" % final)
PYEOF
info rss_after_kb "$(rss "$pid" VmRSS)"
info hwm_after_kb "$(rss "$pid" VmHWM)"
info watches_after "$(field watches)"

say "zktui idle for $IDLE s, with /bench/t open (load $(load))"
sleep 2
k0=$(ticks "$pid") s0=$(sched "$pid") w0=$(date +%s%N)
sleep "$IDLE"
k1=$(ticks "$pid") s1=$(sched "$pid") w1=$(date +%s%N)
info idle_wall_ns $((w1 - w0))
info idle_ticks $((k1 - k0))
info clk_tck "$(getconf CLK_TCK)"
info idle_sched_ns $(( ${s1% *} - ${s0% *} ))
info idle_slices $(( ${s1#* } - ${s0#* } ))
info threads "$(ls "/proc/$pid/task" | wc -l)"
info load_idle "$(load)"
e2e_keys q
wait_exit 0 10 || echo "bench: zktui did not exit" >&2

# The same idle with probe_interval: off (no srvr: the one timer the issue
# allows, gone): /bench/t opened whole with --open, then left alone.
say "zktui idle for $IDLE s with probe_interval: off, /bench/t open (load $(load))"
printf 'probe_interval: off\n' > "$R/off.yaml"
e2e_start --config "$R/off.yaml" -s "$ZK_HOST" --open /bench/t --trace "$R/trace-off.log"
seen=0
for ((i = 0; i < 1200; i++)); do
  sleep 0.1
  f=$(grep ' frame ' "$R/trace-off.log" 2>/dev/null | tail -1)
  case $f in *' expanding='*) seen=1 ;; '') ;; *) [ "$seen" = 1 ] && break ;; esac
done
pane=$(_e2e_pane '#{pane_pid}')
pid=$(cut -d' ' -f1 "/proc/$pane/task/$pane/children")
sleep 2
s0=$(sched "$pid") w0=$(date +%s%N)
sleep "$IDLE"
s1=$(sched "$pid") w1=$(date +%s%N)
info idle_off_wall_ns $((w1 - w0))
info idle_off_sched_ns $(( ${s1% *} - ${s0% *} ))
info idle_off_slices $(( ${s1#* } - ${s0#* } ))
info idle_off_nodes "$(grep ' frame ' "$R/trace-off.log" | tail -1 | sed -n 's/.* nodes=\([0-9]*\).*/\1/p')"
e2e_keys q
wait_exit 0 10 || echo "bench: zktui did not exit" >&2
e2e_stop
zk_stop

# ---- the older benches, as they are ----------------------------------------------
if [ "${BENCH_OLD:-1}" = 1 ]; then
  for b in live_latency lock_latency; do
    say "tests/bench/$b.sh"
    out=$(bash "$here/$b.sh" 10 2>&1 | grep -E ' ms|rounds|^not ok') || true
    printf '%s\t%s\n' "$b" "$(tr '\n' ' ' <<< "$out")" >> "$R/older.tsv"
  done
fi
info load_end "$(load)"
info elapsed_s $(($(date +%s) - t_start))
say "writing $OUT"
mkdir -p "$(dirname "$OUT")"
$PY "$top/bench/report.py" "$R" "$top/bench/NOTES.md" > "$OUT.tmp" && mv "$OUT.tmp" "$OUT" &&
  cat "$OUT"
[ -n "${BENCH_KEEP:-}" ] && mkdir -p "$BENCH_KEEP" && cp "$R"/* "$BENCH_KEEP"/
exit 0
