#!/usr/bin/env bash
# The sessions view (6, I): the ephemeral nodes zktui has read, grouped by
# owner session, with the client address `cons` gives; d on a session
# deletes all of its nodes and only them, while its process and session
# live on; a node changed since the question stops it; d on a node is the
# ordinary delete; read-only refuses; a server that does not allow cons
# says so.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /locks ""
create /locks/job ""
create /servers ""
create /app ""
EOF2

exists() { "$ZKCTL" -s "$ZK_HOST" exists "$1" > /dev/null 2>&1; }
# wait_node PATH: until it exists (10 s).
wait_node() {
  local i
  for ((i = 0; i < 200; i++)); do
    exists "$1" && return 0
    sleep 0.05
  done
  echo "# $1 never came" >&2
  return 1
}
# wait_gone PID: until the process has exited (10 s), reaped.
wait_gone() {
  local i
  for ((i = 0; i < 200; i++)); do
    if ! kill -0 "$1" 2>/dev/null; then
      wait "$1" 2>/dev/null
      return 0
    fi
    sleep 0.05
  done
  echo "# process $1 did not exit" >&2
  return 1
}
# zktui (and its tmux server) must not hold the fifos open: the clients
# end only when their stdin does.
start() { e2e_start "$@" 7>&- 8>&- 9>&-; }
# The local port of PID's connection to the server, as the kernel says.
port_of() {
  ss -Htnp 2>/dev/null |
    awk -v peer="127.0.0.1:$ZK_PORT" -v pid="pid=$1," '$5 == peer && index($0, pid) { sub(/.*:/, "", $4); print $4; exit }'
}

# Two client processes whose sessions stay open while their stdin does: A
# holds the lock, is a member and owns one more node; B waits for the lock
# and is a member.
mkfifo "$E2E_TMP/a" "$E2E_TMP/b"
"$ZKCTL" -s "$ZK_HOST" batch < "$E2E_TMP/a" > "$E2E_TMP/a.out" 2>&1 &
pa=$!
"$ZKCTL" -s "$ZK_HOST" batch < "$E2E_TMP/b" > "$E2E_TMP/b.out" 2>&1 &
pb=$!
at_exit "kill $pa $pb 2>/dev/null"
exec 7>"$E2E_TMP/a" 8>"$E2E_TMP/b"
printf '%s\n' 'create -e -s /locks/job/seq- worker-a' 'create -e /servers/web-a a' \
  'create -e /app/tmp-a a' >&7
wait_node /app/tmp-a || fail "A's nodes were not made"
printf '%s\n' 'create -e -s /locks/job/seq- worker-b' 'create -e /servers/web-b b' >&8
wait_node /servers/web-b || fail "B's nodes were not made"
porta=$(port_of "$pa") portb=$(port_of "$pb")
echo "# A on local port ${porta:-?}, B on ${portb:-?}"
client_a='127\.0\.0\.1:[0-9]+' client_b=$client_a
[ -n "$porta" ] && client_a="127\\.0\\.0\\.1:$porta"
[ -n "$portb" ] && client_b="127\\.0\\.0\\.1:$portb"

start -s "$ZK_HOST"
wait_screen '▸ app' 10 || fail "tree did not load"
e2e_keys j l
wait_screen '· tmp-a' || fail "app did not expand"
# One of zktui's own: c, its name, e (ephemeral), no data.
e2e_keys c
e2e_type mine
e2e_keys Enter e Enter
wait_screen 'created /app/mine' || fail "zktui's own ephemeral was not created"

e2e_keys 6
check "6 shows the sessions, counting what zktui has read" \
  wait_screen 'Sessions: 3 owning 6 ephemerals of the [0-9]+ nodes zktui has read, most first' 10
check "cons gives the client addresses" \
  wait_screen 'client addresses from cons: [0-9]+ sessions on 1 server' 10
check "A: 3 nodes, its client address" wait_screen "^ 0x[0-9a-f]+ +3 [^ ]+ +$client_a "
check "B: 2 nodes, its client address" wait_screen "^ 0x[0-9a-f]+ +2 [^ ]+ +$client_b "
check "zktui's own session is marked" wait_screen "^ 0x[0-9a-f]+ +1 .* \\(zktui\\)$"
check "most nodes first, each session's nodes by path under it" \
  wait_screen_seq "/app/tmp-a" "/locks/job/seq-0000000000" "/servers/web-a" \
  "/locks/job/seq-0000000001" "/servers/web-b" "/app/mine"
check "the holder's role" wait_screen '/locks/job/seq-0000000000 +[0-9.]+m?s +holder of /locks/job$'
check "the waiter's" wait_screen '/locks/job/seq-0000000001 +[0-9.]+m?s +waiting for /locks/job$'
check "a member's" wait_screen '/servers/web-a +[0-9.]+m?s +member of /servers$'

# d on A's heading (the first line): the question names it all.
e2e_keys g d
check "d on a session asks, naming how many nodes and the session" \
  wait_screen 'Delete all 3 nodes of session 0x[0-9a-f]+\? It stays alive\.   y: delete them   n: keep'
check "above it, its client and what its nodes are" \
  wait_screen "^ Client $client_a; its nodes: holder of /locks/job, member of /servers, 1 other node\\. Only"
e2e_keys n
check "n keeps them" wait_screen 'nothing changed'
check "nothing was deleted" exists /app/tmp-a
e2e_keys d
wait_screen 'Delete all 3 nodes of session' || fail "no question the second time"
e2e_keys y
check "y deletes them all" \
  wait_screen 'deleted the ephemeral nodes of session 0x[0-9a-f]+ \(3 nodes\)' 10
none() {
  local p
  for p in "$@"; do ! exists "$p" || return 1; done
}
all() {
  local p
  for p in "$@"; do exists "$p" || return 1; done
}
check "A's nodes are gone from the server" none /app/tmp-a /servers/web-a /locks/job/seq-0000000000
check "B's and zktui's stay" all /locks/job/seq-0000000001 /servers/web-b /app/mine
check "both processes live on" kill -0 "$pa" "$pb"
check "B holds the lock now" wait_screen '/locks/job/seq-0000000001 +[0-9.]+m?s +holder of /locks/job$' 10
check "A's gone from the view" wait_no_screen "$client_a "
# A's session is alive: it makes a node again, and shows again.
printf '%s\n' 'create -e /app/again x' >&7
wait_node /app/again
check "A's session, alive, can create again" wait_screen "^ 0x[0-9a-f]+ +1 [^ ]+ +$client_a " 10

# Changed between the question and the answer: nothing deleted, and said.
e2e_keys g
wait_screen 'seq-0000000001' || fail "B not in the view"
e2e_keys d
wait_screen 'Delete all 2 nodes of session' || fail "no question for B"
"$ZKCTL" -s "$ZK_HOST" set /servers/web-b changed
e2e_keys y
check "a node changed since the question stops it, and it is said" \
  wait_screen 'stopped at /servers/web-b: it changed since it was read; 0 of 2 deleted' 10
check "in one transaction: neither of B's nodes went" all /locks/job/seq-0000000001 /servers/web-b
# d on a node line: the ordinary guarded delete of that node.
e2e_keys g j
e2e_keys d
check "d on a node asks about that node alone" \
  wait_screen 'Delete /locks/job/seq-0000000001\? +y: delete +n: keep'
e2e_keys n
wait_screen 'nothing changed' || fail "n did not keep the node"
e2e_keys I
check "I shows the view too" wait_screen 'Sessions: 3 owning'
e2e_keys q
wait_exit 0 || fail "zktui did not quit"

# Read-only: the view is there, d refuses.
start -s "$ZK_HOST" --read-only
wait_screen 'READ-ONLY' 10 || fail "no READ-ONLY on the status bar"
e2e_keys 6
wait_screen 'seq-0000000001' 10 || fail "no sessions read-only"
e2e_keys g d
check "read-only: d on a session says why nothing happens" wait_screen 'read-only: nothing was changed'
e2e_keys j d
check "read-only: on a node too" wait_screen 'read-only: nothing was changed'
check "the nodes are still there" exists /locks/job/seq-0000000001
e2e_keys q
wait_exit 0 || fail "zktui did not quit (read-only)"

# A server that does not allow cons: the view says so, the groups stay.
exec 7>&- 8>&-
wait_gone "$pa" && wait_gone "$pb" || fail "the clients did not end with their stdin"
zk_stop
sed -i 's/^4lw.commands.whitelist=.*/4lw.commands.whitelist=srvr/' "$ZK_DIR/zoo.cfg"
zk_start || fail "the server did not start again"
mkfifo "$E2E_TMP/c"
"$ZKCTL" -s "$ZK_HOST" batch < "$E2E_TMP/c" > /dev/null 2>&1 &
pc=$!
at_exit "kill $pc 2>/dev/null"
exec 9>"$E2E_TMP/c"
printf '%s\n' 'create -e /servers/web-c c' >&9
wait_node /servers/web-c || fail "C's node was not made"
start -s "$ZK_HOST"
wait_screen '▸ servers' 10 || fail "tree did not load (no cons)"
e2e_keys 6
check "cons not allowed: said, naming the whitelist" \
  wait_screen "cons is not allowed on 127\\.0\\.0\\.1:$ZK_PORT \\(add it to 4lw\\.commands\\.whitelist\\): client addresses" 10
check "the session shows, its client unknown" wait_screen '^ 0x[0-9a-f]+ +1 [^ ]+ +\?( |$)'
check "with its node" wait_screen '/servers/web-c +[0-9.]+m?s +member of /servers$'
e2e_keys q
wait_exit 0 || fail "zktui did not quit (no cons)"
exec 9>&-
wait_gone "$pc"
finish
