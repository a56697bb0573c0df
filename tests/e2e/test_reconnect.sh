#!/usr/bin/env bash
# The server going away and coming back: within the session timeout the
# session survives (reconnecting, then connected, watches working again).
# Cut off from a running server for longer than the session timeout (a
# proxy in between drops the line), the session expires; zktui says so and
# opens a new one. (Stopping the server would not do: on restart it reloads
# its sessions and restarts their clocks.)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /app ""
create /app/config v1
EOF2

# 4 s is the shortest session the server grants (2 x tickTime).
e2e_start -s "$ZK_HOST" --session-timeout 4000
wait_screen 'session 0x' 10 || fail "no session"
session1=$(e2e_screen | grep -oE 'session 0x[0-9a-f]+' | head -1)
e2e_keys j l
wait_screen '· config' || fail "app did not expand"
e2e_keys j
wait_screen '│ v1$' || fail "config not shown"

zk_stop
check "server gone: reconnecting, the picture marked stale" wait_screen 'reconnecting \(stale\)' 10
check "the data stays on screen meanwhile" wait_screen '│ v1$'
zk_start || exit 1
check "server back within the timeout: connected again" wait_screen ' connected +127' 15
check "same session" wait_screen "$session1"
"$ZKCTL" -s "$ZK_HOST" set /app/config v2
check "watches work again after the reconnect" wait_screen '│ v2$' 10
"$ZKCTL" -s "$ZK_HOST" create /app/later x > /dev/null
check "a child created after the reconnect appears" wait_screen 'later' 10

e2e_stop
proxy_port=$(zk_free_port)
python3 "$here/../lib/tcpproxy.py" "$proxy_port" "$ZK_PORT" > "$E2E_TMP/proxy.out" &
proxy=$!
at_exit "kill $proxy 2>/dev/null"
until grep -q ready "$E2E_TMP/proxy.out"; do sleep 0.05; done
e2e_start -s "127.0.0.1:$proxy_port" --session-timeout 4000
wait_screen ' connected +127' 10 || fail "no session through the proxy"
session1=$(e2e_screen | tail -n 1 | grep -oE 'session 0x[0-9a-f]+' | head -1)
kill -USR1 "$proxy"
wait_screen 'reconnecting' 10 || fail "no reconnecting"
zk_wait_expired "${session1#session }" || fail "the server did not expire the session"
kill -USR2 "$proxy"
check "the expiry is said in words (at 100 columns, maybe cut short)" wait_screen 'session 0x[0-9a-f]+ expire' 15
# The status bar (the last line) says connected again, the expiry message
# before the server and session.
check "a new session is opened" wait_screen_line "$E2E_H" '^ connected ' 15
new_id() {
  local now
  now=$(e2e_screen | tail -n 1 | grep -oE 'session 0x[0-9a-f]+$|session 0x[0-9a-f]+ ' | tail -n 1)
  [ -n "$now" ] && [ "${now% }" != "$session1" ]
}
check "and the log says so" wait_screen "connected to 127[0-9.:]+, session 0x[0-9a-f]+ \(new session\)"
check "with a new id" new_id
"$ZKCTL" -s "$ZK_HOST" create /fresh x > /dev/null
check "the root is watched again in the new session" wait_screen '· fresh' 10

e2e_keys q
check "q quits" wait_exit 0
finish
