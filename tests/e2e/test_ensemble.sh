#!/usr/bin/env bash
# A 3-member ensemble on 127.0.0.1: the ensemble panel shows each member's
# mode; a member stopped is OFFLINE (panel and log), started again ONLINE;
# the leader stopped, a new one is elected and that is an event too.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/../lib/ensemble.sh"
. "$here/lib.sh"

ens_start 3 || exit 1
leader=$(ens_leader) || { echo "no leader elected" >&2; exit 1; }
follower=1
[ "$follower" = "$leader" ] && follower=2
fport=$(ens_port "$follower")
lport=$(ens_port "$leader")

e2e_start -s "$ENS_HOSTS"
wait_screen 'connected' 10 || fail "no connection to the ensemble"
e2e_keys E
check "E: every member answers, with its mode" \
  wait_screen "Ensemble +3 of 3 answering" 10
check "the leader is named" wait_screen "127.0.0.1:$lport +online +leader +0x[0-9a-f]+"
check "a follower too" wait_screen "127.0.0.1:$fport +online +follower +0x[0-9a-f]+"

ens_stop "$follower"
check "a stopped member is offline on the panel, with why" \
  wait_screen "127.0.0.1:$fport +offline +connection refused" 10
check "2 of 3 answer" wait_screen "Ensemble +2 of 3 answering"
e2e_keys O
# Probed while it was going down, a member may reset the connection rather
# than refuse it: the log has the first reason seen.
check "and OFFLINE in the log" \
  wait_screen "OFFLINE 127.0.0.1:$fport \((connection refused|connection reset by peer)\)"

ens_start_member "$follower" || fail "member $follower did not come back"
check "started again: ONLINE in the log" wait_screen "ONLINE 127.0.0.1:$fport follower" 20
e2e_keys E
check "and online on the panel" wait_screen "127.0.0.1:$fport +online +follower" 10

ens_stop "$leader"
e2e_keys O
check "the leader stopped: a new leader is an event" \
  wait_screen "leader is now 127.0.0.1:[0-9]+ \(was 127.0.0.1:$lport\)" 30
check "and zktui is connected to a member still up" wait_screen ' connected ' 20
e2e_keys q
check "q quits" wait_exit 0
finish
