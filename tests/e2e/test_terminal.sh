#!/usr/bin/env bash
# Resizing, too-small terminals, quitting, no server, hostile bytes.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

# No server: the UI opens, says so, and q quits at once.
port=$(zk_free_port)
e2e_start -s "127.0.0.1:$port"
check "no server: connecting to … is shown" wait_screen "connecting to 127\.0\.0\.1:$port"
check "no client log on the screen" wait_no_screen 'ZOO_|zookeeper\.c|Connection refused'
t0=$(date +%s%N)
e2e_keys q
check "q quits at once with no server" wait_exit 0 2
t1=$(date +%s%N)
echo "# quit with no server took $(( (t1 - t0) / 1000000 )) ms"
e2e_stop

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /evil ""
create /evil/data \x1b[2J\x1b[31mRED\x07\x1b]0;pwned\x07
create /evil/bidi\xe2\x80\xaeexe.txt x
create /evil/wide-\xe6\x97\xa5\xe6\x9c\xac x
create /evil/long-abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij-END x
EOF2

e2e_start -s "$ZK_HOST"
wait_screen '▸ evil' || fail "tree did not load"
e2e_keys j l
check "a bidi override in a name is shown escaped" wait_screen 'bidi\\u202eexe\.txt'
check "wide characters are drawn" wait_screen 'wide-日本'
e2e_keys j j
check "data full of control bytes is a hex dump that fits the pane" \
  wait_screen '│ 00000000  1b 5b 32 4a 1b 5b 33 31  \|\.\[2J\.\[31\|$'
e2e_keys v
check "as text, escape sequences in data are shown escaped" wait_screen '\\e\[2J\\e\[31mRED\\x07'
check "the screen was not cleared by the data" wait_screen '▾ evil'
e2e_keys j
check "a path too long for the pane shows its end after …" wait_screen '│ …[a-j]+-END$'

e2e_resize 30 6
check "below the minimum size zktui says so" wait_screen 'terminal too small'
e2e_resize 120 40
check "back to a big terminal, the tree is drawn again" wait_screen '▾ evil'
check "and the status bar at the new bottom line" wait_screen_line 40 'connected'
e2e_resize 60 15
check "a narrower terminal still shows the tree" wait_screen '▾ evil'

e2e_keys C-c
check "Ctrl-C quits with status 0" wait_exit 0

# A crash gives the terminal back: mouse reports and keypad mode off too,
# not only the screen and the cursor.
e2e_start -s "$ZK_HOST"
wait_screen '▸ evil' || fail "tree did not load"
kill -SEGV "$(pgrep -P "$(_e2e_pane '#{pane_pid}')" | head -1)"
check "SIGSEGV: zktui dies of it" wait_exit 139
check "the terminal is given back: main screen, no mouse reports, keypad mode off" \
  [ "$(_e2e_pane '#{alternate_on}#{mouse_any_flag}#{keypad_cursor_flag}#{keypad_flag}')" = 0000 ]
finish
