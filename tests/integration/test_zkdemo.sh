#!/usr/bin/env bash
# zkdemo (tools/zkdemo.c) against a real server: the names each recipe
# gives its nodes, one session per actor, the stuck lock, the semaphore's
# bound, members coming and going, and a clean stop by -t, TERM and INT
# that leaves no ephemeral behind. Every wait polls with a deadline.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/../e2e/lib.sh"
ZKDEMO=${ZKDEMO:-$BUILD/zkdemo}

now_ms() { local t; t=$(date +%s%N); echo $((t / 1000000)); }
ls_zk() { "$ZKCTL" -s "$ZK_HOST" ls "$1" 2>/dev/null; }

# within S CMD...: runs CMD every 0.1 s until it succeeds or S seconds pass.
within() {
  local deadline=$(($(now_ms) + $1 * 1000))
  shift
  until "$@"; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# Alive and not a zombie (kill -0 is true for a zombie).
running() {
  local st
  st=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $st != Z* ]]
}

# Bad arguments: one line on stderr, nothing on stdout, exit 2, no server.
bad_arg() {
  local rc
  "$ZKDEMO" "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"; rc=$?
  [ "$rc" -eq 2 ] && [ "$(wc -l < "$E2E_TMP/err")" -eq 1 ] && [ ! -s "$E2E_TMP/out" ]
}
check "unknown argument exits 2 with one line" bad_arg -s 127.0.0.1:1 --bogus
check "no -s exits 2" bad_arg -t 5
check "-t without a value exits 2" bad_arg -s 127.0.0.1:1 -t
check "non-numeric -t exits 2" bad_arg -s 127.0.0.1:1 -t 5s
check "negative -t exits 2" bad_arg -s 127.0.0.1:1 -t -1
help_ok() { "$ZKDEMO" --help | grep -q '^usage: zkdemo -s'; }
check "--help prints the usage, exit 0" help_ok

zk_start || exit 1

"$ZKDEMO" -s "$ZK_HOST" -t 0 >"$E2E_TMP/demo.out" 2>"$E2E_TMP/demo.err" &
demo=$!
at_exit "kill $demo 2>/dev/null"

# True when PATH has children, each matching one of the extended regexes
# RE..., and each RE matching one of them.
kids_named() {
  local path=$1 re kids any
  shift
  kids=$(ls_zk "$path") && [ -n "$kids" ] || return 1
  any=$(IFS='|'; echo "$*")
  ! grep -qvE "$any" <<< "$kids" || return 1
  for re in "$@"; do grep -qE "$re" <<< "$kids" || return 1; done
}
N='[0-9]{10}'
HEX='[0-9a-f]{32}'
UUID='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
named() { check "$1: ${*:2}" within 10 kids_named "$@"; }
named /locks/orders "^seq-$N\$"
named /locks/billing "^lock_id_$N\$"
named /locks/jobs "^${HEX}__lock__$N\$"
named /locks/catalog "^${HEX}__rlock__$N\$" "^${HEX}__lock__$N\$"
named /locks/payments "^_c_$UUID-lock-$N\$"
named /locks/inventory "^_c_$UUID-__READ__$N\$" "^_c_$UUID-__WRIT__$N\$"
named /locks/reports "^seq-$N\$"
named /semaphores/pool-__lock__ "^${HEX}__lock__$N\$"
named /semaphores/pool "^$HEX\$"
named /semaphores/leases/locks "^_c_$UUID-lock-$N\$"
named /semaphores/leases/leases "^_c_$UUID-lease-$N\$"
named /servers '^server[1-4]$'

pool_max() { [ "$("$ZKCTL" -s "$ZK_HOST" get /semaphores/pool)" = 2 ]; }
check "/semaphores/pool holds the max lease count, 2" pool_max

members_data() {
  local m d
  for m in $(ls_zk /servers); do
    # server3 comes and goes: one gone since the listing has no data to check.
    d=$("$ZKCTL" -s "$ZK_HOST" get "/servers/$m" 2>/dev/null) || continue
    [ "$d" = "{\"host\":\"10.0.0.${m#server}\",\"port\":8080}" ] || return 1
  done
}
check "each member's data is its address" members_data

# Every contender under /locks is an ephemeral of its own session. The
# dump walks a tree that moves, so take the first walk that completes.
owners_distinct() {
  "$ZKTUI" -s "$ZK_HOST" --dump /locks --json >"$E2E_TMP/locks.json" 2>/dev/null || return 1
  python3 - "$E2E_TMP/locks.json" <<'PY'
import json, sys
owners = [r["ephemeralOwner"] for r in map(json.loads, open(sys.argv[1]))
          if r["path"].count("/") == 3]
assert len(owners) >= 7 and "0x0" not in owners, owners
assert len(set(owners)) == len(owners), owners
PY
}
check "each contender has its own session" within 5 owners_distinct

# Its 3 contenders start with every other actor: on a busy machine the
# checks above can pass before the last of them has made its node.
reports_three() { [ "$(ls_zk /locks/reports | grep -c .)" -ge 3 ]; }
within 10 reports_three
reports_before=$(ls_zk /locks/reports)
holder_data() {
  "$ZKCTL" -s "$ZK_HOST" get "/locks/reports/$(head -1 <<< "$reports_before")" |
    grep -qxE 'reports-[1-3]@demo'
}
check "/locks/reports: 3 contenders, the holder's data names it" \
  eval '[ "$(wc -l <<< "$reports_before")" -eq 3 ] && holder_data'

# Samples /servers and the kazoo semaphore's leases until a member has
# left and come back (server3 flaps: online 4-7 s, away 2-5 s).
declare -A seen=()
flapped='' samples=0 over=0 most=0
deadline=$(($(now_ms) + 20000))
while [ "$(now_ms)" -lt "$deadline" ] && { [ -z "$flapped" ] || [ "$samples" -lt 30 ]; }; do
  leases=$(ls_zk /semaphores/pool | grep -c .)
  samples=$((samples + 1))
  [ "$leases" -le 2 ] || over=$((over + 1))
  [ "$leases" -le "$most" ] || most=$leases
  members=" $(ls_zk /servers | tr '\n' ' ')"
  for m in server1 server2 server3 server4; do
    if [[ $members == *" $m "* ]]; then
      [ "${seen[$m]:-}" != left ] || flapped=$m
      seen[$m]=present
    elif [ "${seen[$m]:-}" = present ]; then
      seen[$m]=left
    fi
  done
  sleep 0.1
done
check "a member left /servers and came back (${flapped:-none})" [ -n "$flapped" ]
echo "# $samples samples of /semaphores/pool: at most $most leases"
check "the kazoo semaphore never had more than 2 leases" [ "$over" -eq 0 -a "$most" -ge 1 ]

check "/locks/reports: the same holder and 2 waiters all along" \
  eval '[ "$(ls_zk /locks/reports)" = "$reports_before" ]'

# After a stop: the persistent parents remain, no ephemeral does.
no_ephemerals() {
  local d out
  for d in /servers /locks/orders /locks/billing /locks/jobs /locks/catalog /locks/payments \
    /locks/inventory /locks/reports /semaphores/pool /semaphores/pool-__lock__ \
    /semaphores/leases/locks /semaphores/leases/leases; do
    out=$(ls_zk "$d") || return 1
    [ -z "$out" ] || { echo "# left in $d: $(tr '\n' ' ' <<< "$out")"; return 1; }
  done
  [ "$(ls_zk /semaphores | tr '\n' ' ')" = "leases pool pool-__lock__ " ]
}

# Sends SIG to PID; true when it exits with 0 within 3 s.
stops_on() {
  kill -s "$1" "$2"
  within 3 eval '! running '"$2" && wait "$2"
}
check "TERM stops zkdemo within 3 s, status 0" stops_on TERM "$demo"
check "TERM: no ephemerals remain" no_ephemerals
check "stdout: one line per event" \
  grep -qE '^[0-9]{2}:[0-9]{2}:[0-9]{2} orders-[1-4] +holds /locks/orders/seq-[0-9]{10}$' \
  "$E2E_TMP/demo.out"
progress_lines() {
  ! grep -vE '^[0-9]{2}:[0-9]{2}:[0-9]{2} [a-z0-9-]+ +(joined|left|holds|released) /' \
    "$E2E_TMP/demo.out"
}
check "stdout: only event lines" progress_lines
check "stderr: nothing (the client's log goes elsewhere)" [ ! -s "$E2E_TMP/demo.err" ]

# A background job of a script starts with INT ignored; zkdemo takes it.
"$ZKDEMO" -s "$ZK_HOST" -t 0 -q >"$E2E_TMP/int.out" 2>&1 &
demo=$!
at_exit "kill $demo 2>/dev/null"
check "INT: zkdemo is at work" within 10 kids_named /locks/orders "^seq-$N\$"
check "INT stops zkdemo within 3 s, status 0" stops_on INT "$demo"
check "INT: no ephemerals remain, nothing printed with -q" \
  eval 'no_ephemerals && [ ! -s "$E2E_TMP/int.out" ]'

timed_run() {
  local t0 ms
  t0=$(now_ms)
  timeout 20 "$ZKDEMO" -s "$ZK_HOST" -t 6 -q >"$E2E_TMP/t.out" 2>&1 || return 1
  ms=$(($(now_ms) - t0))
  echo "# zkdemo -t 6 ran ${ms} ms"
  [ "$ms" -ge 6000 ] && [ "$ms" -lt 9000 ] && [ ! -s "$E2E_TMP/t.out" ]
}
check "zkdemo -t 6 -q stops by itself after 6 s, status 0, silent" timed_run
check "-t: no ephemerals remain" no_ephemerals

finish
