#!/usr/bin/env bash
# Fault 1: session expiry, and what changed while zktui was away.
#
# How the expiry is forced: a TCP proxy (tests/lib/tcpproxy.py) between
# zktui and a server that keeps running. The proxy drops the line and
# refuses new connections for longer than the session timeout, so the
# server expires zktui's session, while the other clients (registry
# members, lock contenders, a writer) talk to the server directly and
# change things meanwhile. Not the other ways:
#  - a second handle with zktui's session id and password, closed: zktui
#    never shows its password, and a test-only way to print it would be a
#    product change for the test's sake;
#  - kill -STOP of the server past the timeout: every session freezes with
#    it (the other clients cannot change anything "meanwhile"), and on
#    -CONT the server expires all of them at once, the registry members
#    too, which hides the diff this fault is about.
# Then: EXPIRED said (status bar and log), a new session, every watch
# armed again, and the tree, the registry and the lock queue match the
# server; the registry member that left meanwhile is OFFLINE in the log.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
FAULT="session expiry (proxy cut 8 s, timeout 4 s)"

fault_tree 'create /app/b x'

# Each registry member and the contenders: a zkctl session fed by a fifo.
member() {  # NAME FD
  mkfifo "$E2E_TMP/$1"
  # Without the other members' fifos: each must see its own end.
  "$ZKCTL" -s "$ZK_HOST" batch < "$E2E_TMP/$1" > /dev/null 2>&1 7>&- 8>&- 9>&- &
  at_exit "kill $! 2>/dev/null"
  eval "exec $2>\"\$E2E_TMP/\$1\""
}
member web1 7
member web2 8
member lockers 9
echo 'create -e /servers/web1 up' >&7
echo 'create -e /servers/web2 up' >&8
printf '%s\n' 'create -e -s /locks/job/lock- first' 'create -e -s /locks/job/lock- second' >&9
until [ "$("$ZKCTL" -s "$ZK_HOST" ls /servers | wc -l)" = 2 ] &&
      [ "$("$ZKCTL" -s "$ZK_HOST" ls /locks/job | wc -l)" = 2 ]; do sleep 0.05; done

proxy_port=$(zk_free_port)
python3 "$here/../lib/tcpproxy.py" "$proxy_port" "$ZK_PORT" > "$E2E_TMP/proxy.out" 2>&1 7>&- 8>&- 9>&- &
proxy=$!
at_exit "kill $proxy 2>/dev/null"
until grep -q ready "$E2E_TMP/proxy.out"; do sleep 0.05; done

fault_open b web2 -s "127.0.0.1:$proxy_port" --session-timeout 4000

kill -USR1 "$proxy"
t_cut=$(ms_now)
seen "reconnecting (stale)" "cut off: reconnecting, marked stale" wait_screen 'reconnecting \(stale\)' 10
# Meanwhile, on the server: a member leaves, one joins, data and children
# change, the lock changes hands and gets a new waiter.
exec 8>&-
echo 'create -e /servers/web3 up' >&7
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2' > /dev/null
set /app/a v2
create /app/c y
delete /app/b
EOF2
printf '%s\n' 'delete /locks/job/lock-0000000000' 'create -e -s /locks/job/lock- third' >&9
while [ $(($(ms_now) - t_cut)) -lt 8000 ]; do sleep 0.1; done
kill -USR2 "$proxy"
t_back=$(ms_now)

seen "expired on the status bar" "the expiry is said on the status bar" \
  wait_screen_line "$E2E_H" 'expired' 15
seen "a new session" "a new session is opened" wait_screen_line "$E2E_H" '^ connected ' 15
t_conn=$(secs_since "$t_back")
# Converged: the tree and the data on screen.
app_same() { wait_same 10 "children of /app" 'screen_kids app' 'server_kids /app'; }
matched=yes
ck "the tree matches the server" app_same || matched=no
ck "the data read again" wait_screen '│ v2$' 10 || matched=no
t_rec=$(secs_since "$t_back")
ck "the log says the session expired" wait_screen "session 0x[0-9a-f]+ expire"
ck "the log says a new session" wait_screen "\(new session\)"
new_id() {
  local now
  now=$(status_line | grep -oE 'session 0x[0-9a-f]+' | tail -n 1)
  [ -n "$now" ] && [ "$now" != "$SESSION1" ]
}
ck "with a new id" new_id
ck "not stale any more" wait_no_screen '\(stale\)' 10

# The diff: what happened meanwhile, in the log.
e2e_keys O
seen "OFFLINE web2 (left meanwhile)" "the member that left meanwhile: OFFLINE" \
  wait_screen 'OFFLINE /servers/web2' 10
seen "ONLINE web3" "the one that joined: ONLINE" wait_screen 'ONLINE /servers/web3' 10
seen "lock handover logged" "the lock changed hands" \
  wait_screen 'LOCK /locks/job held by lock-0000000001 .*was lock-0000000000' 10
e2e_keys 1

e2e_keys S
reg_screen() { e2e_screen | sed -nE 's/^  ([a-z0-9]+)  0x.*/\1/p' | sort; }
ck "the registry matches the server" \
  wait_same 10 "members of /servers" reg_screen 'server_kids /servers' || matched=no
e2e_keys L
locks_screen() { e2e_screen | sed -nE 's/^ (holds|waits) ([0-9]{10}) .*/\1 \2/p'; }
locks_server() {
  "$ZKTUI" -s "$ZK_HOST" --locks /locks --json | python3 -c '
import json, sys
for line in sys.stdin:
    for c in json.loads(line)["contenders"]:
        print(("holds" if c["holds"] else "waits"), "%010d" % c["seq"])'
}
ck "the lock queue matches --locks --json" \
  wait_same 10 "the queue of /locks/job" locks_screen locks_server || matched=no

# Every watch armed again in the new session.
e2e_keys 1
"$ZKCTL" -s "$ZK_HOST" set /app/a v3
ck "the data watch works again" wait_screen '│ v3$' 10 || matched=no
"$ZKCTL" -s "$ZK_HOST" create /app/d z > /dev/null
ck "the children watch too" wait_screen '· d ' 10 || matched=no
exec 7>&-
e2e_keys O
ck "and the registry's: web1 leaving is OFFLINE" wait_screen 'OFFLINE /servers/web1' 10 || matched=no
echo 'delete /locks/job/lock-0000000001' >&9
ck "and the lock's" wait_screen 'LOCK /locks/job held by lock-0000000002 ' 10 || matched=no

fault_row "$FAULT" "$SHOWN" "$t_rec (connected $t_conn)" "$matched"
e2e_keys q
ck "q quits" wait_exit 0
finish
