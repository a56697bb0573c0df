#!/usr/bin/env bash
# How long a change by another client takes to reach zktui's screen.
# Another session (one zkctl kept open on a FIFO) creates, changes and
# deletes nodes under an expanded parent; we time from sending each
# command to the screen showing its effect, polling capture-pane.
# Usage: bash tests/bench/live_latency.sh [ROUNDS]   (after make)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/../e2e/lib.sh"
rounds=${1:-20}

zk_start || exit 1
printf "create /bench \"\"\ncreate /bench/keep x\n" | "$ZKCTL" -s "$ZK_HOST" batch > /dev/null || exit 1
mkfifo "$E2E_TMP/cmds"
"$ZKCTL" -s "$ZK_HOST" batch < "$E2E_TMP/cmds" > /dev/null &
exec 7> "$E2E_TMP/cmds"
at_exit 'exec 7>&-'

e2e_start -s "$ZK_HOST"
wait_screen '▸ bench' 10 || fail "no tree"
e2e_keys j l
wait_screen '▾ bench' || fail "no expand"

now_us() { echo $(( $(date +%s%N) / 1000 )); }
samples=()
for ((i = 0; i < rounds; i++)); do
  # From a quiet screen: zktui draws at most one frame per 33 ms, so a
  # change right after a frame waits for the next one by design.
  sleep 0.1
  t0=$(now_us)
  echo "create /bench/n$i x" >&7
  # Poll as fast as tmux answers (a capture takes about 2 ms here).
  until e2e_screen | grep -q " n$i "; do :; done
  samples+=($(( ($(now_us) - t0) / 1000 )))
  echo "delete /bench/n$i" >&7
  until ! e2e_screen | grep -q " n$i "; do :; done
done
# What one look at the screen costs, included in every figure above.
t0=$(now_us)
for ((i = 0; i < 20; i++)); do e2e_screen | grep -q "never"; done
look=$(( ($(now_us) - t0) / 20000 ))
sorted=$(printf '%s\n' "${samples[@]}" | sort -n)
echo "create -> on screen, $rounds rounds, ms: median $(sed -n "$(( (rounds + 1) / 2 ))p" <<< "$sorted")," \
  "max $(tail -1 <<< "$sorted"), all: $(tr '\n' ' ' <<< "$sorted")"
echo "one capture-pane + grep takes $look ms (the resolution of these figures)"
e2e_keys q
wait_exit 0
