#!/usr/bin/env bash
# D deletes a node and everything under it: it counts the subtree first
# (no watches), asks for the node's name to be typed, then deletes children
# first, each with the version it counted. A child made after the count
# stops it, and it says how far it got; what it did not reach stays.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /app ""
create /app/a ""
create /app/a/b ""
create /app/a/b/c x
create /app/a/b/d y
create /app/a/e z
create /app/big ""
create /app/keep k
create /app/r ""
create /app/r/s ""
create /app/r/t ""
EOF2
"$ZKCTL" -s "$ZK_HOST" seed 2500 /app/big > /dev/null || fail "seed failed"

e2e_start -s "$ZK_HOST"
wait_screen '▸ app' 10 || fail "tree did not load"
e2e_keys j l
wait_screen '▸ r' || fail "app did not expand"
e2e_keys j
wait_screen '│ /app/a$' || fail "a not selected"
e2e_keys D
check "D counts, then asks for the name with what will go" \
  wait_screen 'Delete /app/a and everything under it: 5 nodes \(0 ephemeral\), 3 levels deep'
check "the name is typed below" wait_screen '^ name: _$'
e2e_type 'b'
e2e_keys Enter
check "a wrong name deletes nothing" wait_screen 'That is not its name: type a exactly'
"$ZKCTL" -s "$ZK_HOST" exists /app/a/b/c > /dev/null 2>&1
check "and the nodes are there" [ $? -eq 0 ]
e2e_keys BSpace
e2e_type 'a'
e2e_keys Enter
check "the right name deletes it all" \
  wait_screen 'deleted /app/a and everything under it \(5 nodes\)'
"$ZKCTL" -s "$ZK_HOST" exists /app/a > /dev/null 2>&1
check "gone from the server" [ $? -ne 0 ]
check "gone from the tree" wait_no_screen '[▸·] a$'
check "its sibling stays" [ "$("$ZKCTL" -s "$ZK_HOST" get /app/keep)" = k ]
check "one audit line per node, the deepest first" \
  grep -qE 'AUDIT .*action=delete path=/app/a/b/c version=0 result=ok' "$XDG_STATE_HOME/zktui/zktui.log"
check "the top last" bash -c "grep 'AUDIT' '$XDG_STATE_HOME/zktui/zktui.log' | tail -1 | grep -q 'path=/app/a version=0 result=ok'"
e2e_keys 5
check "in the event log" wait_screen 'deleted /app/a and everything under it \(5 nodes\)'
e2e_keys 1

# A child made between the count and the confirmation: the transaction
# that meets it fails whole, and nothing after it is tried.
# The selected node deleted, its parent is selected.
wait_screen '│ /app$' || fail "app not selected after the delete"
select_down /app/big || fail "big not selected"
e2e_keys D
wait_screen 'Delete /app/big and everything under it: 2501 nodes' 10 || fail "big not counted"
"$ZKCTL" -s "$ZK_HOST" create /app/big/late x
e2e_type 'big'
e2e_keys Enter
check "it stops at the node that got a child, saying how far it got" \
  wait_screen 'stopped at /app/big: a child was added since the count; 2000 of 2501 deleted' 10
check "the last transaction left its nodes" \
  [ "$("$ZKCTL" -s "$ZK_HOST" ls /app/big | wc -l)" = 501 ]

# Cancel: Esc at the name.
wait_screen '│ /app/big$' || fail "big no longer selected"
select_down /app/r || fail "r not selected"
e2e_keys D
wait_screen 'Delete /app/r and everything under it: 3 nodes' || fail "r not counted"
e2e_keys Escape
check "Esc cancels" wait_screen 'nothing changed'
"$ZKCTL" -s "$ZK_HOST" exists /app/r/t > /dev/null 2>&1
check "and r is whole" [ $? -eq 0 ]
e2e_keys g D
check "the root is refused" wait_screen 'the root cannot be deleted'
e2e_keys q
check "q quits" wait_exit 0
finish
