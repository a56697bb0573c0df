#!/usr/bin/env bash
# The sessions view on a 3-member ensemble: cons is asked of every member
# (a session lives on one), each session says which server it is on; a
# member stopped is said, and a session that moved to another member
# shows there.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/../lib/ensemble.sh"
. "$here/lib.sh"

ens_start 3 || exit 1
p1=$(ens_port 1)
"$ZKCTL" -s "127.0.0.1:$p1" create /servers "" || fail "cannot create /servers"

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
  return 1
}

# A on member 1 with one member node; B, with two, on whichever member
# its client picks (it must be free to move).
mkfifo "$E2E_TMP/a" "$E2E_TMP/b"
"$ZKCTL" -s "127.0.0.1:$p1" batch < "$E2E_TMP/a" > /dev/null 2>&1 &
pa=$!
"$ZKCTL" -s "$ENS_HOSTS" batch < "$E2E_TMP/b" > /dev/null 2>&1 &
pb=$!
at_exit "kill $pa $pb 2>/dev/null"
exec 7>"$E2E_TMP/a" 8>"$E2E_TMP/b"
printf '%s\n' 'create -e /servers/one a' >&7
printf '%s\n' 'create -e /servers/two b' 'create -e /servers/three b' >&8

e2e_start -s "$ENS_HOSTS" 7>&- 8>&-
wait_screen 'connected' 10 || fail "no connection to the ensemble"
e2e_keys 6
check "cons asked of all 3 members" \
  wait_screen 'client addresses from cons: [0-9]+ sessions on 3 servers' 15
check "A is on member 1" wait_screen "^ 0x[0-9a-f]+ +1 .* on 127\\.0\\.0\\.1:$p1$" 10
check "B too" wait_screen "^ 0x[0-9a-f]+ +2 .* on 127\\.0\\.0\\.1:[0-9]+$" 10
check "most nodes first" wait_screen_seq "/servers/three" "/servers/two" "/servers/one"

# B's member stops: said; B's session moves to another member and shows
# there.
bport=$(e2e_screen | sed -nE 's/^ 0x[0-9a-f]+ +2 .* on 127\.0\.0\.1:([0-9]+)$/\1/p')
others=
for i in 1 2 3; do
  if [ "$(ens_port "$i")" = "$bport" ]; then bi=$i; else others=${others:+$others|}$(ens_port "$i"); fi
done
[ -n "${bi:-}" ] || fail "B is on no member ($bport)"
ens_stop "$bi"
check "a member that does not answer is said" \
  wait_screen "cons of 127\\.0\\.0\\.1:$bport: connection refused: client addresses of its sessions unknown" 15
check "B's session, moved, shows on its new member" \
  wait_screen "^ 0x[0-9a-f]+ +2 .* on 127\\.0\\.0\\.1:($others)$" 30
e2e_keys q
wait_exit 0 || fail "zktui did not quit"
exec 7>&- 8>&-
wait_gone "$pa" && wait_gone "$pb" || fail "the clients did not end with their stdin"
finish
