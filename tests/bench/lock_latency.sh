#!/usr/bin/env bash
# How long a lock's holder change takes to reach zktui's screen: a holder
# and a waiter queue in /locks/bench; we time from deleting the holder's
# node (as a client releasing the lock does) to the locks panel showing
# the waiter as the holder, polling capture-pane.
# Usage: bash tests/bench/lock_latency.sh [ROUNDS]   (after make)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/../e2e/lib.sh"
rounds=${1:-20}

zk_start || exit 1
printf 'create /locks ""\ncreate /locks/bench ""\n' | "$ZKCTL" -s "$ZK_HOST" batch > /dev/null || exit 1
mkfifo "$E2E_TMP/cmds"
e2e_start -s "$ZK_HOST"
wait_screen '▸ locks' 10 || fail "no tree"
"$ZKCTL" -s "$ZK_HOST" batch < "$E2E_TMP/cmds" > /dev/null &
exec 7> "$E2E_TMP/cmds"
at_exit 'exec 7>&-'

now_us() { echo $(( $(date +%s%N) / 1000 )); }
samples=()
for ((i = 0; i < rounds; i++)); do
  # Each round creates two nodes: the parent's sequence counter moves by
  # two (deletes move its cversion, not the counter).
  a=$(printf '%010d' $((2 * i))) b=$(printf '%010d' $((2 * i + 1)))
  echo "create -e -s /locks/bench/seq- a" >&7
  echo "create -e -s /locks/bench/seq- b" >&7
  wait_screen "waits $b" 10 || fail "round $i: no waiter on screen"
  sleep 0.1 # from a quiet screen, as a real release comes
  t0=$(now_us)
  echo "delete /locks/bench/seq-$a" >&7
  until e2e_screen | grep -q "holds $b"; do :; done
  samples+=($(( ($(now_us) - t0) / 1000 )))
  echo "delete /locks/bench/seq-$b" >&7
  wait_screen "held, 0 waiting|free, 0 waiting|every lock is free" 10 || fail "round $i: not released"
done
t0=$(now_us)
for ((i = 0; i < 20; i++)); do e2e_screen | grep -q "never"; done
look=$(( ($(now_us) - t0) / 20000 ))
sorted=$(printf '%s\n' "${samples[@]}" | sort -n)
echo "holder released -> next holder on screen, $rounds rounds, ms: median" \
  "$(sed -n "$(( (rounds + 1) / 2 ))p" <<< "$sorted"), max $(tail -1 <<< "$sorted")," \
  "all: $(tr '\n' ' ' <<< "$sorted")"
echo "one capture-pane + grep takes $look ms (the resolution of these figures)"
e2e_keys q
wait_exit 0
