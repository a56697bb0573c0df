#!/usr/bin/env bash
# The mouse, through a real tmux client (tests/lib/mouse.py writes what a
# terminal sends): a click selects the row under it, a double click opens
# it too, the wheel moves the cursor by 3.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /app ""
create /app/a ""
create /app/b ""
create /other ""
create /p1 ""
create /p2 ""
create /p3 ""
EOF2
mouse() { MOUSE_SIZE=${E2E_W}x$E2E_H python3 "$here/../lib/mouse.py" "$E2E_SOCK" zkt "$E2E_TMP/tmux.conf" "$@"; }

e2e_start -s "$ZK_HOST"
wait_screen '▸ app' 10 || fail "tree did not load"
# Line 1 is the header; the tree's rows start on line 2: /, app, other, ...
mouse click:8,4
check "a click selects the row under it" wait_screen '│ /other$'
mouse double:8,3
check "a double click selects and opens" wait_screen '· a +0'
check "the one clicked" wait_screen '│ /app$'
mouse wheeldown:8,10
check "the wheel moves the cursor by 3" wait_screen '│ /other$'
mouse wheelup:8,10
check "and back" wait_screen '│ /app$'
e2e_keys q
check "q quits" wait_exit 0
finish
