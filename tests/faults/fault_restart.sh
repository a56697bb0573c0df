#!/usr/bin/env bash
# Fault 2: connection loss within the session timeout: the server is
# stopped and started again at once (same port and data; on start it
# reloads its sessions, so none expires). zktui says "reconnecting", keeps
# its data on screen marked stale, comes back in the same session, its
# watches resume, and the event log gets no duplicated or invented events:
# one "disconnected", one "reconnected", the server's own probe going
# OFFLINE and ONLINE, and nothing about the registry member or the lock,
# which did not change.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
FAULT="connection loss: server restarted (timeout 20 s)"

fault_tree
mkfifo "$E2E_TMP/hold"
# A 20 s session: the restart must not expire it either.
"$ZKCTL" -s "$ZK_HOST" -t 20000 batch < "$E2E_TMP/hold" > /dev/null 2>&1 &
at_exit "kill $! 2>/dev/null"
exec 7>"$E2E_TMP/hold"
printf '%s\n' 'create -e /servers/web1 up' 'create -e -s /locks/job/lock- first' \
  'create -e -s /locks/job/lock- second' >&7
until [ "$("$ZKCTL" -s "$ZK_HOST" ls /locks/job | wc -l)" = 2 ]; do sleep 0.05; done

fault_open a web1 -s "$ZK_HOST" --session-timeout 20000

zk_stop
seen "reconnecting (stale)" "server gone: reconnecting, stale" wait_screen 'reconnecting \(stale\)' 10
seen "data kept" "the data stays on screen" wait_screen '│ v1$'
zk_start || fail "the server did not start again"
t_back=$(ms_now)
seen "same session" "back in the same session" wait_screen_line "$E2E_H" "^ connected .*$SESSION1" 20
t_rec=$(secs_since "$t_back")
matched=yes
ck "no longer stale" wait_no_screen '\(stale\)' 10 || matched=no
"$ZKCTL" -s "$ZK_HOST" set /app/a v2
seen "watches resume" "the data watch resumes" wait_screen '│ v2$' 10 || matched=no
"$ZKCTL" -s "$ZK_HOST" create /app/b x > /dev/null
ck "the children watch too" wait_screen '· b ' 10 || matched=no
ck "the tree matches the server" \
  wait_same 10 "children of /app" 'screen_kids app' 'server_kids /app' || matched=no

e2e_keys O
wait_screen 'Events \(' 5
count() { e2e_screen | grep -cE -- "$1"; }
log_ok() {
  local d r o
  d=$(count 'disconnected from') r=$(count 'reconnected to') o=$(count '(ONLINE|OFFLINE) /servers|LOCK |expired')
  echo "# disconnected $d, reconnected $r, registry/lock/expiry lines $o"
  [ "$d" = 1 ] && [ "$r" = 1 ] && [ "$o" = 0 ]
}
seen "no duplicated or invented events" "one disconnect, one reconnect, nothing invented" log_ok
# The lock: one handover now is one line.
echo 'delete /locks/job/lock-0000000000' >&7
ck "a handover after the restart is logged once" wait_screen 'LOCK /locks/job held by lock-0000000001' 10 || matched=no
sleep 1
ck "once" [ "$(count 'LOCK /locks/job')" = 1 ]
e2e_keys L
locks_screen() { e2e_screen | sed -nE 's/^ (holds|waits) ([0-9]{10}) .*/\1 \2/p'; }
ck "the lock queue matches the server" \
  wait_same 10 "the queue of /locks/job" locks_screen "echo 'holds 0000000001'" || matched=no

fault_row "$FAULT" "$SHOWN" "$t_rec" "$matched"
e2e_keys q
ck "q quits" wait_exit 0
exec 7>&-
finish
