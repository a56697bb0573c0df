#!/usr/bin/env bash
# Clusters: the config's clusters: mapping, --context NAME at start, and
# :ctx NAME at run time between two real servers — the old session closed
# cleanly (its ephemerals go at once), the new one opened with that
# cluster's keys (here read_only), the event log kept.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
# A second, separate server: zk.sh in a subshell of its own, which stops it
# when told to.
(
  # A subshell does not keep the parent's traps: without these, the kill
  # below ended it at once and its server lived on (found orphaned).
  _cleanup_fns=()
  trap _run_cleanups EXIT
  trap 'exit 143' TERM
  ZK_DIR= ZK_PID= ZK_PORT=
  zk_start || exit 1
  echo "$ZK_PORT" > "$E2E_TMP/port2"
  sleep 600 &
  at_exit "kill $! 2>/dev/null"
  wait
) &
second=$!
at_exit "kill $second 2>/dev/null; wait $second 2>/dev/null"
for ((i = 0; i < 600; i++)); do [ -s "$E2E_TMP/port2" ] && break; sleep 0.1; done
[ -s "$E2E_TMP/port2" ] || fail "the second server did not start"
host2=127.0.0.1:$(cat "$E2E_TMP/port2")
"$ZKCTL" -s "$ZK_HOST" create /only-on-one x > /dev/null
"$ZKCTL" -s "$host2" create /only-on-two y > /dev/null

cat > "$E2E_TMP/config.yaml" <<EOF2
hold_warn: 30s
clusters:
  one:
    server: $ZK_HOST
  two:
    server: $host2
    read_only: true
  red:
    server: $ZK_HOST
    theme: nosuch
EOF2

e2e_start --config "$E2E_TMP/config.yaml"
check "the first cluster by default, named in the header" wait_screen "^ zktui [0-9.]+  \\[one\\] $ZK_HOST" 10
check "its tree" wait_screen '· only-on-one' 10
# An ephemeral of this session, to see it go when the session closes.
e2e_keys c
e2e_type '/mine'
e2e_keys Enter e Enter
wait_screen 'created /mine' || fail "no ephemeral made"
e2e_keys :
e2e_type 'ctx'
e2e_keys Enter
check ":ctx lists the clusters" wait_screen 'clusters: one \(now\) two'
e2e_keys :
e2e_type 'ctx tw'
e2e_keys Tab
check "Tab completes a cluster" wait_screen '^ :ctx two _$'
e2e_keys Enter
check ":ctx switches: the header" wait_screen "^ zktui [0-9.]+  \\[two\\] $host2" 10
check "its tree" wait_screen '· only-on-two' 10
check "its keys: read-only" wait_screen 'READ-ONLY'
e2e_keys d
check "a change says the cluster made it read-only, not --read-only" \
  wait_screen 'read-only: nothing was changed \(cluster two has read_only: true\)'
"$ZKCTL" -s "$ZK_HOST" exists /mine > /dev/null 2>&1
check "the old session closed at once: its ephemeral is gone" [ $? -ne 0 ]
e2e_keys 5
check "the event log goes on, and says it" wait_screen_seq 'created /mine' 'switched to cluster two'
e2e_keys 1 :
e2e_type 'ctx nope'
e2e_keys Enter
check "a cluster it does not have is said" wait_screen "no cluster 'nope' \\(:ctx lists them\\)"
e2e_keys :
e2e_type 'ctx red'
e2e_keys Enter
check "a cluster whose theme is not found: said with its line, not opened" \
  wait_screen "cluster red not opened: config.yaml:10:12: theme: no such theme 'nosuch' \\(default"
check "the session stays" wait_screen "^ zktui [0-9.]+  \\[two\\] $host2"
e2e_keys :
e2e_type 'ctx one'
e2e_keys Enter
check "and back" wait_screen '· only-on-one' 10
check "not read-only there" wait_no_screen 'READ-ONLY'
e2e_keys q
check "q quits" wait_exit 0

e2e_start --config "$E2E_TMP/config.yaml" --context two
check "--context picks one at start" wait_screen '· only-on-two' 10
e2e_keys q
wait_exit 0 || fail "did not quit"
"$ZKTUI" --config "$E2E_TMP/config.yaml" --context three --dump > "$E2E_TMP/out" 2>&1
check "--context with a name it does not have: exit 2" [ $? -eq 2 ]
check "naming the ones it has" grep -q "no cluster 'three' (it has one, two, red)" "$E2E_TMP/out"
finish
