#!/usr/bin/env bash
# d deletes the selected node after asking, with the version it asked
# about: a node changed since is not deleted; n keeps it; read-only mode
# sends no change at all (the proxy in front of the server logs every
# request's opcode).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /app ""
create /app/a one
create /app/b two
create /app/c three
create /app/d ""
create /app/d/e x
EOF2
oplog=$E2E_TMP/ops
proxy_port=$(zk_free_port)
python3 "$here/../lib/tcpproxy.py" "$proxy_port" "$ZK_PORT" "$oplog" > "$E2E_TMP/proxy.out" &
proxy=$!
at_exit "kill $proxy 2>/dev/null"
until grep -q ready "$E2E_TMP/proxy.out"; do sleep 0.05; done
writes() { grep -cxE '1|2|5|7|13|14|15|16|19|20|21' "$oplog" 2>/dev/null || true; }

e2e_start -s "127.0.0.1:$proxy_port"
wait_screen '▸ app' 10 || fail "tree did not load"
e2e_keys j l
wait_screen '· c' || fail "app did not expand"
e2e_keys j
wait_screen '│ /app/a$' || fail "a not selected"
# d asks only once the node's Stat is read ("still being read" before).
wait_screen '│ numChildren +0$' || fail "a's Stat not read"
e2e_keys d
check "d asks first, naming the path" wait_screen 'Delete /app/a\? +y: delete +n: keep'
check "and its version and child count, on the line above" wait_screen '^ version 0, no children$'
e2e_keys n
check "n keeps it" wait_screen 'nothing changed'
check "and nothing was sent" [ "$(writes)" = 0 ]
e2e_keys d y
check "y deletes it" wait_screen 'deleted /app/a \(version 0\)'
check "it goes from the tree" wait_no_screen '· a$'
"$ZKCTL" -s "$ZK_HOST" exists /app/a > /dev/null 2>&1
check "and from the server" [ $? -ne 0 ]
check "the delete went out once" [ "$(grep -cx 2 "$oplog")" = 1 ]
check "an audit line in the log" grep -qE 'AUDIT cluster=127.0.0.1:[0-9]+ action=delete path=/app/a version=0 result=ok' \
  "$XDG_STATE_HOME/zktui/zktui.log"

# Changed between the question and the answer: not deleted, and said so.
# The selected node deleted, its parent is selected.
wait_screen '│ /app$' || fail "app not selected after the delete"
select_down /app/b || fail "b not selected"
wait_screen '│ numChildren +0$' || fail "b's Stat not read"
e2e_keys d
wait_screen 'Delete /app/b\?' || fail "no question for b"
"$ZKCTL" -s "$ZK_HOST" set /app/b changed
e2e_keys y
check "a node changed since the question is not deleted" \
  wait_screen '/app/b not deleted: it changed since you looked'
"$ZKCTL" -s "$ZK_HOST" exists /app/b > /dev/null 2>&1
check "it is still there" [ $? -eq 0 ]

e2e_keys j j
wait_screen '│ /app/d$' || fail "d not selected"
wait_screen '│ numChildren +1$' || fail "d's Stat not read"
e2e_keys d
check "a node with children is refused before anything is sent" \
  wait_screen '/app/d has 1 child: D deletes it with everything under it'
e2e_keys g
e2e_keys d
check "the root cannot be deleted" wait_screen 'the root cannot be deleted'

# A stuck lock holder: its process is alive (its session too) but hangs.
# Deleting its node frees the lock; the process and its session live on.
mkfifo "$E2E_TMP/hold"
"$ZKCTL" -s "$ZK_HOST" batch < "$E2E_TMP/hold" > /dev/null &
holder=$!
exec 7>"$E2E_TMP/hold"
printf '%s\n' 'create /app/lk ""' 'create -e -s /app/lk/seq- stuck-worker' >&7
wait_screen '[▸·] lk' 10 || fail "no lk in the tree"
wait_screen '│ /$' || fail "the root not selected"
select_down /app/lk || fail "lk not selected"
e2e_keys l
wait_screen '· seq-0000000000' 10 || fail "lk did not expand"
e2e_keys j
wait_screen '│ /app/lk/seq-0000000000$' || fail "the holder not selected"
wait_screen '│ ephemeralOwner +0x' || fail "the holder's Stat not read"
e2e_keys d
check "deleting an ephemeral names its owner session, its age and the lock it holds" \
  wait_screen '^ version 0, ephemeral of session 0x[0-9a-f]+ for [0-9.]+m?s, holder of /app/lk$'
e2e_keys y
check "the stuck holder's node goes" wait_screen 'deleted /app/lk/seq-0000000000'
check "its process lives on" kill -0 "$holder"
exec 7>&-
wait "$holder"
e2e_keys q
wait_exit 0 || fail "zktui did not quit"

# Read-only: the same keys send nothing.
: > "$oplog"
e2e_start -s "127.0.0.1:$proxy_port" --read-only
wait_screen 'READ-ONLY' 10 || fail "no READ-ONLY on the status bar"
wait_screen '▸ app' 10 || fail "tree did not load"
e2e_keys j l
wait_screen '· c' || fail "app did not expand"
e2e_keys j j
wait_screen '│ /app/c$' || fail "c not selected"
e2e_keys d y
check "read-only: d says why nothing happens" wait_screen 'read-only: nothing was changed'
e2e_keys j
wait_screen '│ /app/d$' || fail "d not selected (read-only)"
e2e_keys D
check "read-only: D too" wait_screen 'read-only: nothing was changed'
"$ZKCTL" -s "$ZK_HOST" exists /app/c > /dev/null 2>&1
check "the node is still there" [ $? -eq 0 ]
check "requests went out (the log works)" grep -qx 12 "$oplog"
check "and not one of them a change" [ "$(writes)" = 0 ]
e2e_keys q
check "q quits" wait_exit 0
finish
