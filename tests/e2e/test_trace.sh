#!/usr/bin/env bash
# --trace FILE: a line for each key, server message and frame, each with a
# monotonic time in microseconds; a change made by another client shows in
# the trace as the watch, the re-read and the first frame with the new
# version. Keys typed into a prompt are never written. A trace file that
# cannot be opened, or --trace with a batch mode, is refused (exit 2).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" create /live "seq=0" >/dev/null
trace=$E2E_TMP/trace.log

e2e_start -s "$ZK_HOST" --trace "$trace"
wait_screen '· live' || fail "no tree"
e2e_keys j
wait_screen '│ /live$' || fail "live not selected"
wait_screen '│ seq=0$' || fail "no data"
for i in 1 2 3; do
  "$ZKCTL" -s "$ZK_HOST" set /live "seq=$i" >/dev/null
  wait_screen "│ seq=$i\$" || fail "seq=$i not shown"
done
# A prompt: J, then a path typed into it, then Esc.
e2e_keys J
wait_screen 'Jump to' || fail "no jump prompt"
e2e_type 'zqx'
e2e_keys Escape
e2e_keys q
wait_exit 0 || fail "zktui did not quit"

check "the first line says what the columns are" \
  grep -q '^# zktui trace: CLOCK_MONOTONIC microseconds' <(head -1 "$trace")
check "every other line is TIME key|msg|frame" \
  [ "$(grep -v '^#' "$trace" | grep -cvE '^[0-9]+ (key|msg|frame) ')" = 0 ]
check "the times never go back" \
  awk '!/^#/ { if ($1 < last) exit 1; last = $1 }' "$trace"
check "j is there as its key code" grep -q ' key 106$' "$trace"
check "the watch on /live fired, and its re-read came" \
  bash -c 'grep -q " msg watch /live " "$1" && grep -q " msg data /live rc=0 ver=3" "$1"' _ "$trace"
check "a frame showed /live at version 3, after the re-read" \
  awk '/ msg data \/live rc=0 ver=3/ { got = 1 } got && / frame .* sel=\/live ver=3 / { ok = 1 } END { exit !ok }' "$trace"
check "frames say how long they took and what was loaded" \
  grep -qE ' frame [0-9]+ took=[0-9]+ screen=tree sel=/live ver=[0-9]+ mzxid=0x[0-9a-f]+ nodes=[0-9]+ rows=[0-9]+ watches=[0-9]+ inflight=[0-9]+$' "$trace"
# After J (74): z, q, x and Esc went to the prompt, then q (113) quit.
check "keys typed into the prompt are not written" \
  [ "$(sed -n '/ key 74$/,$p' "$trace" | grep ' key ' | cut -d' ' -f2- | tr '\n' ,)" = \
    "key 74,key prompt,key prompt,key prompt,key prompt,key 113," ]

"$ZKTUI" -s "$ZK_HOST" --trace /nonexistent-dir/trace.log > "$E2E_TMP/out" 2>&1
check "an unwritable trace file: exit 2" [ $? = 2 ]
check "and a sentence" grep -q "cannot open the trace file '/nonexistent-dir/trace.log'" "$E2E_TMP/out"
"$ZKTUI" -s "$ZK_HOST" --dump --trace "$E2E_TMP/t2" > "$E2E_TMP/out" 2>&1
check "--trace with --dump: exit 2" [ $? = 2 ]
check "and why" grep -q -- "--trace is for the screen" "$E2E_TMP/out"
finish
