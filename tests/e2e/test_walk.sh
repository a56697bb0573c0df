#!/usr/bin/env bash
# Bulk walks in the UI. * opens a subtree of 3,021 nodes whole: the
# progress, the closing line with the count, every level open, and no
# watch left by the walk (the server's own count, from mntr, is the status
# bar's, and only what is on screen is watched). On 30,031 nodes read one
# at a time (walk_window: 1) the keys still move the cursor while it runs,
# and Esc stops it, keeping what is loaded. A node with more children than
# max_children (500 here) shows its count, and opening it asks: n leaves
# it closed, y lists it; :cd into one asks too. :find by substring, glob
# and in data (-d), results as a list, Enter and n go there. --open.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" seed 20 /w 150 > /dev/null || fail "seeding /w failed"
"$ZKCTL" -s "$ZK_HOST" seed 30 /slow 1000 > /dev/null || fail "seeding /slow failed"
"$ZKCTL" -s "$ZK_HOST" seed 1200 /big > /dev/null || fail "seeding /big failed"
"$ZKCTL" -s "$ZK_HOST" seed 600 /big2 > /dev/null || fail "seeding /big2 failed"
"$ZKCTL" -s "$ZK_HOST" set /w/c00003/d00042 \
  'first line\n   a needle in the haystack  \nlast line' > /dev/null || fail "setting data failed"
"$ZKCTL" -s "$ZK_HOST" set /w/c00007 '{"needle": true}' > /dev/null || fail "setting data failed"

printf 'max_children: 500\n' > "$E2E_TMP/config.yaml"
printf 'walk_window: 1\n' > "$E2E_TMP/slow.yaml"

# The server's count of watches (all of them zktui's: no other client
# leaves any), and the status bar's (after 1 clears the message before it).
server_watches() { zk_4lw mntr | awk '$1 == "zk_watch_count" {print $2}'; }
shown_watches() { e2e_screen | grep -oE 'watches [0-9,]+' | tail -1 | cut -d' ' -f2 | tr -d ,; }
watches_agree() {
  local i s w
  e2e_keys 1
  for ((i = 0; i < 100; i++)); do
    s=$(server_watches) w=$(shown_watches)
    [ -n "$w" ] && [ "$s" = "$w" ] && [ "$w" -le "$1" ] && return 0
    sleep 0.05
  done
  echo "# server: $s watches, status bar: $w, at most $1 wanted"
  return 1
}
_both() { _e2e_has "$1" "$3" && _e2e_has "$2" "$3"; }
# Until two lines show on the same screen at once.
wait_both() { _e2e_poll "${3:-5}" "/$1/ and /$2/ at once" _both "$1" "$2"; }

e2e_start --config "$E2E_TMP/config.yaml" -s "$ZK_HOST"
wait_screen '▸ w +20' 10 || fail "tree did not load"

# ---- * -------------------------------------------------------------------------
e2e_type ':cd /w'
e2e_keys Enter
wait_screen '│ /w$' || fail ":cd /w did not select it"
e2e_keys '*'
check "* opens the subtree: the closing line counts every node" \
  wait_screen 'expanded /w: 3,021 nodes in [0-9.]+ s \([0-9,]+/s\)' 30
check "every level is open" wait_screen_seq '▾ w' '▾ c00000' '· d00000' '· d00001'
e2e_keys G
check "down to the last leaf" wait_screen '· d00149 +0'
check "the walk left no watch: only what is on screen is watched" watches_agree 40
e2e_keys g

# ---- the question before a long list ------------------------------------------
e2e_type ':cd /big'
e2e_keys Enter
check "a long list's count shows before it is read" wait_screen '▸ big +1200'
e2e_keys l
check "opening it asks, with the count and the size" \
  wait_screen '/big has 1,200 children \(about 29 KB to read\): list them\? y/n'
e2e_keys n
check "n leaves it closed" wait_screen '/big left closed'
check "and unread" wait_screen '▸ big +1200'
e2e_keys Enter
wait_screen 'list them\? y/n' || fail "Enter did not ask"
e2e_keys y
check "y lists it" wait_screen '· c00000'
e2e_keys h
e2e_type ':cd /big2/c00007'
e2e_keys Enter
check ":cd into a long list asks too" wait_screen '/big2 has 600 children'
e2e_keys y
check "and goes there once answered" wait_screen '│ /big2/c00007$'
e2e_keys 1

# ---- :find ----------------------------------------------------------------------
e2e_type ':find d0004 /w'
e2e_keys Enter
check ":find by substring: every match, counted" \
  wait_screen "Find \(names\) 'd0004' under /w: 200 results in 3,021 nodes" 20
check "the results are listed" wait_screen '^ /w/c000[0-9][0-9]/d0004[0-9]'
e2e_type ':find c0000? /w'
e2e_keys Enter
check ":find by glob" wait_screen "Find \(names\) 'c0000\?' under /w: 10 results in" 20
e2e_type ':find -d NEEDLE /w'
e2e_keys Enter
check ":find -d searches the data too, letters without case" \
  wait_screen "Find \(names, data\) 'NEEDLE' under /w: 2 results in" 20
check "with the line that matched, trimmed" wait_screen '/w/c00003/d00042   a needle in the haystack$'
check "a JSON one" wait_screen '/w/c00007   \{"needle": true\}$'
e2e_keys g Enter
check "Enter goes to the result in the tree" wait_screen '│ /w/c0000[37]'
first=$(e2e_screen | sed -n 2p | grep -oE '/w/c0000[37][/d0-9]*$')
e2e_keys n
check "n goes to the next one" wait_no_screen "│ $first\$"
check "and says which" wait_screen 'result 2 of 2'
e2e_keys N
check "N back" wait_screen "│ $first\$"

e2e_keys q
check "q quits" wait_exit 0

# ---- one read at a time: keys while it runs, Esc ------------------------------
e2e_start --config "$E2E_TMP/slow.yaml" -s "$ZK_HOST"
wait_screen '▸ slow +30' 10 || fail "tree did not load"
e2e_type ':cd /slow'
e2e_keys Enter
wait_screen '│ /slow$' || fail ":cd /slow did not select it"
e2e_keys '*'
# At least 100 nodes: the reads zktui makes at start (looking for locks)
# may hold a one-at-a-time walk back for a while.
check "progress while it runs" \
  wait_screen 'expanding /slow: [0-9],?[0-9]{2,} nodes, [0-9,]+/s, [0-9.]+ s - Esc stops' 20
e2e_keys j
check "keys move the cursor while it runs" wait_both '│ /slow/c0000[0-9]' 'expanding /slow: ' 10
e2e_keys Escape
check "Esc stops it" wait_screen 'stopped expanding /slow \(Esc\): [0-9,]+ nodes? in' 10
n=$(e2e_screen | grep -oE 'stopped expanding /slow \(Esc\): [0-9,]+' | grep -oE '[0-9,]+$' | tr -d ,)
check "before the end ($n of 30,031 nodes)" [ "${n:-30031}" -lt 30031 ]
check "what is loaded stays" wait_screen '▾ c000[0-2][0-9] +1000'
check "no watch left by it" watches_agree 40
e2e_keys q
check "q quits" wait_exit 0

# ---- --open -----------------------------------------------------------------------
e2e_start --config "$E2E_TMP/config.yaml" -s "$ZK_HOST" --open /w/c00005
check "--open selects the node and opens it whole" \
  wait_both 'expanded /w/c00005: 151 nodes in' '│ /w/c00005$' 20
check "its children show" wait_screen '· d00000'
e2e_keys '?' G
check "? lists the new actions" wait_both '^ \* +expand-all ' '^ n +find-next '
e2e_keys q
check "q quits" wait_exit 0
finish
