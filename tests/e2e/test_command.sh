#!/usr/bin/env bash
# The command line: ":" then a command or a unique prefix of one; Tab
# completes (commands, theme names) and lists when ambiguous; Up/Down walk
# the history, which outlives the session; a wrong command is said.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /app x
create /app/deep ""
create /app/deep/er y
EOF2

e2e_start -s "$ZK_HOST"
wait_screen '[▸·] app' 10 || fail "tree did not load"
e2e_keys :
check ": opens the command line" wait_screen '^ :_$'
check "with what it can do above" wait_screen 'Tab completes, Up/Down the history'
e2e_type 'lo'
e2e_keys Tab
check "Tab completes a command" wait_screen '^ :locks _$'
e2e_keys Enter
check ":locks shows the locks" wait_screen 'Locks: '
e2e_keys :
e2e_type 'ev'
e2e_keys Enter
check "a unique prefix is enough" wait_screen '^ *Events'
e2e_keys :
e2e_type 't'
e2e_keys Tab
check "Tab lists what is ambiguous" wait_screen '^ 2: tree theme$'
e2e_keys Enter
check "and running it says so" wait_screen "':t' could be several commands"
e2e_keys :
e2e_type 'cd /app/deep/er'
e2e_keys Enter
check ":cd PATH selects a node never opened" wait_screen '│ /app/deep/er$'
e2e_keys :
e2e_type 'cd ..'
e2e_keys Enter
check ":cd .. goes to the parent" wait_screen '│ /app/deep$'
e2e_keys :
e2e_type 'cd er'
e2e_keys Enter
check ":cd NAME goes under the selection" wait_screen '│ /app/deep/er$'
e2e_keys :
e2e_type 'cd /ap'
e2e_keys Tab
check "Tab in :cd completes child names (J's prompt takes over)" wait_screen '^ jump to: /app/_$'
e2e_keys Escape
e2e_keys :
e2e_type 'cd /app/nope'
e2e_keys Enter
check ":cd to a node that is not there says where it stops" wait_screen '/app has no child nope'
e2e_keys :
e2e_type 'nosuch'
e2e_keys Enter
check "an unknown command is said" wait_screen "no command ':nosuch' \\(:help lists them\\)"
e2e_keys :
e2e_type 'theme hi'
e2e_keys Tab
check "Tab completes a theme name" wait_screen '^ :theme high-contrast _$'
e2e_keys Enter
check ":theme switches at once" wait_screen 'theme high-contrast \((256|8) colours\)'
e2e_keys :
e2e_type 'theme nope'
e2e_keys Enter
check "an unknown theme is said" wait_screen "no such theme: 'nope'"
e2e_keys :
e2e_type "w $E2E_TMP/ev.log"
e2e_keys Enter
check ":w FILE saves the event log there" wait_screen "saved [0-9]+ events to $E2E_TMP/ev.log"
check "the file has the events" grep -q 'connected to' "$E2E_TMP/ev.log"
e2e_keys :
e2e_type "w $E2E_TMP/ev.log"
e2e_keys Enter
check "an existing file is not overwritten" wait_screen "ev.log exists: :w! "
e2e_keys :
e2e_type "w! $E2E_TMP/ev.log"
e2e_keys Enter
check ":w! overwrites" wait_screen "saved [0-9]+ events to $E2E_TMP/ev.log"
e2e_keys : Up
check "Up: the last command" wait_screen "^ :w! $E2E_TMP/ev.log_$"
e2e_keys Up
check "Up again: older ones (a repeat is kept once)" wait_screen "^ :w $E2E_TMP/ev.log_$"
e2e_keys Up
check "and older" wait_screen "^ :theme nope_$"
e2e_keys Down Down Down Down
check "Down past the newest: a new line" wait_screen '^ :_$'
e2e_keys Escape
e2e_keys :
e2e_type 'q'
e2e_keys Enter
check ":q quits" wait_exit 0

e2e_start -s "$ZK_HOST"
wait_screen '[▸·] app' 10 || fail "tree did not load again"
e2e_keys : Up
check "the history outlives the session" wait_screen '^ :q_$'
e2e_keys Escape q
check "q quits" wait_exit 0
finish
