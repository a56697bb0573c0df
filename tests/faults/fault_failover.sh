#!/usr/bin/env bash
# Fault 3: failover. A 3-member ensemble on 127.0.0.1; the member zktui is
# connected to (read from its status bar) is stopped. zktui reconnects to
# another member within the session timeout (the same session), the
# ensemble panel shows the stopped member offline and, if it led, the new
# leader; started again, the member is online. Then the tree and the data
# match the server and the watches work. The client picks a member at
# random: zktui is started again (up to 8 times) until it is on the
# leader, the harder case; if it never is, a follower is stopped.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../lib/ensemble.sh"
FAULT="failover: the member zktui uses stopped (3 members)"

ens_start 3 || exit 1
ZK_HOST=$ENS_HOSTS
"$ZKCTL" -s "$ENS_HOSTS" batch <<'EOF2' > /dev/null
create /app ""
create /app/a v1
EOF2

E2E_H=50
trace=$E2E_TMP/trace.log
leader=$(ens_leader) || fail "no leader"
for ((try = 0; try < 8; try++)); do
  e2e_start -s "$ENS_HOSTS" --trace "$trace"
  wait_screen ' connected +127' 15 || fail "no session"
  port=$(status_line | grep -oE 'connected +127\.0\.0\.1:[0-9]+' | grep -oE '[0-9]+$')
  [ "$port" = "$(ens_port "$leader")" ] && break
done
# Connected comes before the root's list: a j before it moves nothing.
wait_screen '▸ app ' 10 || fail "no /app in the tree"
e2e_keys j l
wait_screen '· a ' 10 || fail "app did not expand"
e2e_keys j
wait_screen '│ v1$' 10 || fail "/app/a not shown"
session1=$(status_line | grep -oE 'session 0x[0-9a-f]+' | head -1)
for ((i = 1; i <= 3; i++)); do [ "$(ens_port $i)" = "$port" ] && used=$i; done
[ -n "${used:-}" ] || fail "connected to no member ($port)"
role=follower
[ "$leader" = "$used" ] && role=leader
FAULT="failover: the member zktui uses ($role) stopped, 3 members"
e2e_keys E
wait_screen "Ensemble +3 of 3 answering" 15 || fail "not every member answers"
e2e_keys 1

ens_stop "$used"
t_stop=$(ms_now)
seen "reconnected to another member, same session" "reconnected to another member in the same session" \
  wait_screen_line "$E2E_H" "^ connected +127\.0\.0\.1:[0-9]+ .*$session1" 20
t_rec=$(secs_since "$t_stop")
ck "not that one" bash -c '! grep -q "127.0.0.1:$1 " <<< "$2"' _ "$port" "$(status_line)"
ck "reconnecting was said (trace)" grep -q 'msg session .* state=reconnecting' "$trace"
matched=yes
"$ZKCTL" -s "$ENS_HOSTS" set /app/a v2
ck "the data watch works on the new member" wait_screen '│ v2$' 10 || matched=no
"$ZKCTL" -s "$ENS_HOSTS" create /app/b x > /dev/null
ck "the children watch too" wait_screen '· b ' 10 || matched=no
ck "the tree matches the server" \
  wait_same 10 "children of /app" 'screen_kids app' 'server_kids /app' || matched=no
e2e_keys E
seen "member OFFLINE on the panel" "the stopped member is offline on the panel" \
  wait_screen "127.0.0.1:$port +offline" 15
if [ "$role" = leader ]; then
  seen "new leader" "a new leader on the panel" wait_screen "127.0.0.1:[0-9]+ +online +leader" 30
  e2e_keys O
  ck "and in the log" wait_screen "leader is now 127.0.0.1:[0-9]+ \(was 127.0.0.1:$port\)" 10
  e2e_keys E
fi
ens_start_member "$used" || fail "member $used did not start again"
t_up=$(ms_now)
seen "ONLINE again" "started again: online on the panel" wait_screen "127.0.0.1:$port +online" 20
t_online=$(secs_since "$t_up")
e2e_keys O
ck "and ONLINE in the log" wait_screen "ONLINE 127.0.0.1:$port " 10
ck "one OFFLINE line for it" [ "$(e2e_screen | grep -c "OFFLINE 127.0.0.1:$port ")" = 1 ]
e2e_keys 1
ck "still the same session" wait_screen_line "$E2E_H" "$session1" 5 || matched=no

fault_row "$FAULT" "$SHOWN" "$t_rec (online again $t_online)" "$matched"
e2e_keys q
ck "q quits" wait_exit 0
finish
