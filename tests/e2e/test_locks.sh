#!/usr/bin/env bash
# The locks panel, the registry and the event log, live: a holder that
# goes hands the lock to the next in line on screen, a member that comes
# and goes is an ONLINE and an OFFLINE line, and each panel has its key.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /locks ""
create /locks/orders ""
create /servers ""
EOF2

# A session that lives until its fifo is closed: session NAME COMMANDS...
# Each zkctl starts with the other sessions' fifos closed, or it would keep
# them open and their readers would never see the end.
open_fds=()
session() {
  local name=$1 fd
  shift
  mkfifo "$E2E_TMP/$name"
  (
    for fd in "${open_fds[@]}"; do eval "exec $fd>&-"; done
    exec "$ZKCTL" -s "$ZK_HOST" batch < "$E2E_TMP/$name" > /dev/null
  ) &
  eval "${name}_pid=$!"
  eval "exec {fd_$name}>\"\$E2E_TMP/\$name\""
  local fd_var="fd_$name"
  open_fds+=("${!fd_var}")
  printf '%s\n' "$@" >&"${!fd_var}"
}
end_session() {
  local fd_var="fd_$1"
  eval "exec ${!fd_var}>&-"
}

e2e_start -s "$ZK_HOST"
wait_screen '▸ locks' || fail "tree did not load"

# kazoo-style contenders: the uuid first, the number last, the id as data.
session first 'create -e -s /locks/orders/9f2c__lock__ worker-1@host-a'
check "the locks panel opens once a lock has a contender" wait_screen 'Locks: 1 held or queued of 1'
session second 'create -e -s /locks/orders/1a7d__lock__ worker-2@host-b'
check "the holder is first, with its data" \
  wait_screen 'holds 0000000000 +0x[0-9a-f]+ +[0-9.]+m?s +worker-1@host-a'
check "the waiter after it" wait_screen 'waits 0000000001 +0x[0-9a-f]+ +[0-9.]+m?s +worker-2@host-b'
check "the header counts the queue" wait_screen '/locks/orders +mutex +held, 1 waiting \(max 1\)'
# The locks under the detail take the lines they need, not half of it: the
# selected node's data stays on screen.
"$ZKCTL" -s "$ZK_HOST" create /cfg "$(seq -f 'line %g' 12)" > /dev/null
wait_screen '· cfg' || fail "no cfg"
e2e_keys g j
check "with a lock on screen, the selected node's data still shows" wait_screen '│ line 1$'

end_session first
check "the holder's session ends: the next one holds" \
  wait_screen 'holds 0000000001 +0x[0-9a-f]+ +[0-9.]+m?s +worker-2@host-b'
check "and the change is in the event log" \
  wait_screen '[0-9:.]+ LOCK /locks/orders held by 1a7d__lock__0000000001 owner 0x[0-9a-f]+'

session member 'create -e /servers/web1 {"port":8080}'
check "a registry member that comes is ONLINE, with its owner and data" \
  wait_screen '[0-9:.]+ ONLINE /servers/web1 owner 0x[0-9a-f]+ data \{"port":8080\}'
end_session member
check "and OFFLINE when its session ends" \
  wait_screen '[0-9:.]+ OFFLINE /servers/web1 owner 0x[0-9a-f]+ data \{"port":8080\}'

e2e_keys L
check "L: the locks alone, with the rate and the longest wait" \
  wait_screen '/locks/orders +mutex +held, 0 waiting \(max 1\)'
check "the holder shown on it" wait_screen '^ holds 0000000001'
# The holder's process hangs with its session alive: kick it from here.
e2e_type jd # at once: d takes the line j moved to, not the one last drawn
check "d on a contender in the locks panel asks to delete its node" \
  wait_screen 'Delete /locks/orders/1a7d__lock__0000000001\? +y: delete'
check "naming its owner and the lock" wait_screen 'ephemeral of session 0x[0-9a-f]+ for [0-9.]+m?s, holder of /locks/orders'
e2e_keys y
check "the stuck holder is kicked: the lock is free" wait_screen '/locks/orders +mutex +free, 0 waiting'
check "and the kick is in the log" wait_screen 'deleted /locks/orders/1a7d__lock__0000000001 \(version 0\)'
check "while its process (and session) lives on" kill -0 "$second_pid"
e2e_keys S
check "S: the registries" wait_screen '^/servers +0 members'
session member2 'create -e /servers/web2 up'
check "with a member's owner and uptime" wait_screen '^  web2 +0x[0-9a-f]+ +up [0-9.]+m?s +up'
e2e_keys E
check "E: the ensemble member, with its mode" wait_screen "127.0.0.1:$ZK_PORT +online +standalone +0x[0-9a-f]+"
e2e_keys O
check "O: the whole event log, the ensemble member's ONLINE in it" \
  wait_screen "ONLINE 127.0.0.1:$ZK_PORT standalone"
check "and the session's start" wait_screen "connected to 127.0.0.1:$ZK_PORT, session 0x"
e2e_keys W
check "W saves the log and says where" wait_screen 'saved [0-9]+ events to .*/zktui/events-[0-9-]+\.log'
saved=$(ls "$XDG_STATE_HOME"/zktui/events-*.log 2>/dev/null | head -n 1)
check "the file holds the events, with dates" \
  grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+ offline +OFFLINE /servers/web1' "${saved:-/nonexistent}"
check "whole: the holder change with the one before it" \
  grep -qE 'lock +LOCK /locks/orders held by 1a7d__lock__0000000001 owner 0x[0-9a-f]+, was 9f2c__lock__0000000000$' "${saved:-/nonexistent}"
e2e_keys 1
check "1: back to the tree" wait_screen '▾ /'
end_session second
end_session member2
e2e_keys q
check "q quits" wait_exit 0
finish
