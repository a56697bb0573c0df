#!/usr/bin/env bash
# The srvr prober (src/zk/probe.c, through tests/tools/zkprobe) against
# real servers: a 3-member ensemble losing a follower, getting it back and
# losing its leader; a standalone server; and fakes for what real servers
# rarely do (never answer, hang up, refuse srvr).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/../lib/ensemble.sh"
. "$here/../e2e/lib.sh"
ZKPROBE=$BUILD/zkprobe
[ -x "$ZKPROBE" ] || { echo "no $ZKPROBE: make tools" >&2; exit 1; }

# wait_line FILE ERE [SECS]: until a line of FILE matches (default 15 s).
wait_line() {
  local deadline=$(($(_zk_now_ms) + ${3:-15} * 1000))
  until grep -qE -- "$2" "$1" 2>/dev/null; do
    if [ "$(_zk_now_ms)" -ge "$deadline" ]; then
      echo "# waited ${3:-15}s for /$2/ in ${1##*/}; it holds:" >&2
      sed 's/^/#   /' "$1" >&2
      return 1
    fi
    sleep 0.1
  done
}
count() { grep -cE -- "$2" "$1"; }
# wait_count FILE ERE N [SECS]: until N lines of FILE match.
wait_count() {
  local deadline=$(($(_zk_now_ms) + ${4:-15} * 1000))
  until [ "$(count "$1" "$2")" -ge "$3" ]; do
    if [ "$(_zk_now_ms)" -ge "$deadline" ]; then
      echo "# waited ${4:-15}s for $3 lines /$2/ in ${1##*/}; it holds:" >&2
      sed 's/^/#   /' "$1" >&2
      return 1
    fi
    sleep 0.1
  done
}

# No member's state said twice in a row: its online/offline/error lines
# alternate.
no_repeats() {
  awk '$1 != "ensemble" {
         name = ($1 == "error") ? $2 : $3
         if (last[name] == $1) { print "# repeated: " $0; bad = 1 }
         last[name] = $1
       }
       END { exit bad }' "$1"
}

# ---- fakes and a port where nothing listens ----------------------------------

# One port that accepts nothing (the kernel's backlog completes the
# connection, nobody answers), one that hangs up without a word, one that
# answers srvr as 3.8 answers a word missing from its whitelist. Both read
# the word first: closing with it unread would reset the connection.
python3 - "$E2E_TMP/fake.ports" <<'PY' &
import socket, sys, threading
def listener():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    return s
def serve(s, answer):
    while True:
        c, _ = s.accept()
        c.recv(4)
        c.sendall(answer)
        c.close()
silent, hangup, refuse = listener(), listener(), listener()
for s, a in ((hangup, b""), (refuse, b"srvr is not executed because it is not in the whitelist.\n")):
    threading.Thread(target=serve, args=(s, a), daemon=True).start()
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d %d %d\n" % tuple(s.getsockname()[1] for s in (silent, hangup, refuse)))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
threading.Event().wait()
PY
fake_pid=$!
# shellcheck disable=SC2016
at_exit 'kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null'
for ((i = 0; i < 100; i++)); do [ -s "$E2E_TMP/fake.ports" ] && break; sleep 0.05; done
read -r silent hangup refuse < "$E2E_TMP/fake.ports" || { echo "the fake servers did not start" >&2; exit 1; }
nobody=$(zk_free_port)

fakes() {
  local out=$E2E_TMP/fakes.out
  "$ZKPROBE" -i 500 -t 450 -n 3 "127.0.0.1:$nobody,127.0.0.1:$silent,127.0.0.1:$hangup,127.0.0.1:$refuse" \
    > "$out" 2>"$E2E_TMP/fakes.err" || return 1
  sort > "$E2E_TMP/want" <<EOF
error 127.0.0.1:$refuse does not allow srvr: add it to 4lw.commands.whitelist in zoo.cfg
offline OFFLINE 127.0.0.1:$hangup (closed without answering)
offline OFFLINE 127.0.0.1:$nobody (connection refused)
offline OFFLINE 127.0.0.1:$silent (timed out)
EOF
  sort "$out" | diff -u "$E2E_TMP/want" -
}
check "refused, timed out, hung up, srvr not allowed: one line each over 6 rounds" fakes

bad_hosts() {
  local rc
  "$ZKPROBE" -n 1 "a:1,b" >/dev/null 2>"$E2E_TMP/err"; rc=$?
  [ "$rc" -eq 2 ] && grep -q "zkprobe: a:1,b: " "$E2E_TMP/err"
}
check "a bad host list: exit 2 with the reason" bad_hosts

# ---- a standalone server ---------------------------------------------------------

# 3.8 always allows srvr, whatever the whitelist says (zkServer.sh needs
# it): with "stat" alone, mntr is refused and srvr still answers.
ZK_4LW_WHITELIST=stat zk_start || exit 1

whitelist_in_force() {
  [ "$(zk_4lw mntr)" = "mntr is not executed because it is not in the whitelist." ]
}
check "the whitelist is in force (mntr refused)" whitelist_in_force

standalone() {
  local out=$E2E_TMP/standalone.out
  "$ZKPROBE" -i 300 -n 2 "$ZK_HOST,localhost:$ZK_PORT,[::1]:$ZK_PORT" > "$out" 2>"$E2E_TMP/err" || return 1
  sort > "$E2E_TMP/want" <<EOF
offline OFFLINE [::1]:$ZK_PORT (connection refused)
online ONLINE 127.0.0.1:$ZK_PORT standalone
online ONLINE localhost:$ZK_PORT standalone
EOF
  sort "$out" | diff -u "$E2E_TMP/want" -
}
check "standalone, srvr answered though only stat is whitelisted; localhost; IPv6 refused" standalone

# Between rounds zkprobe sleeps in poll: over 5 s at 1 round a second it
# wakes a few times a round, never in a spin.
no_spin() {
  local stats wakeups cpu
  "$ZKPROBE" -i 1000 -n 5 -s "$ZK_HOST,127.0.0.1:$nobody,127.0.0.1:$silent" \
    >/dev/null 2>"$E2E_TMP/stats" || return 1
  stats=$(head -1 "$E2E_TMP/stats")
  echo "# zkprobe over 5 s: $stats"
  wakeups=$(awk '{ print $4 }' <<< "$stats") cpu=$(awk '{ print $6 }' <<< "$stats")
  [ "$wakeups" -le 40 ] && [ "$cpu" -le 1000 ]
}
check "zkprobe sleeps between rounds (wakeups and CPU time over 5 s)" no_spin
zk_stop

# ---- a 3-member ensemble ---------------------------------------------------------

t0=$(_zk_now_ms)
ens_start 3 || exit 1
echo "# ensemble up in $(($(_zk_now_ms) - t0)) ms: $ENS_HOSTS"
out=$E2E_TMP/ensemble.out
# A timeout well past the interval: a JVM or two stalling on a busy
# machine must not read as a member going away.
"$ZKPROBE" -i 500 -t 2000 "$ENS_HOSTS" > "$out" 2>"$E2E_TMP/ensemble.err" &
probe_pid=$!
# shellcheck disable=SC2016
at_exit 'kill "$probe_pid" 2>/dev/null'

all_online() {
  local i
  for i in 1 2 3; do wait_line "$out" "^online ONLINE 127\.0\.0\.1:$(ens_port "$i") (leader|follower)$" || return 1; done
  [ "$(count "$out" '^online .* leader$')" -eq 1 ] && [ "$(count "$out" '^online .* follower$')" -eq 2 ]
}
check "every member online with its mode: one leader, two followers" all_online

leader=$(ens_leader) || { echo "no leader" >&2; exit 1; }
lport=$(ens_port "$leader")
check "the leader is named once" wait_line "$out" "^ensemble leader is now 127\.0\.0\.1:$lport \(was none\)$"
follower=$((leader % 3 + 1)) other=$(((leader + 1) % 3 + 1))
fport=$(ens_port "$follower")

# A member shutting down resets the connections it has, then refuses new
# ones: the reason is the first of these the prober meets.
gone='\((connection reset by peer|connection refused)\)$'
ens_stop "$follower"
check "a stopped follower goes offline" wait_line "$out" "^offline OFFLINE 127\.0\.0\.1:$fport $gone"

ens_start_member "$follower" || exit 1
check "the follower, started again, comes back online" \
  wait_count "$out" "^online ONLINE 127\.0\.0\.1:$fport follower$" 2

ens_stop "$leader"
check "the stopped leader goes offline" wait_line "$out" "^offline OFFLINE 127\.0\.0\.1:$lport $gone"
check "a survivor leads" wait_line "$out" "^ensemble leader is now 127\.0\.0\.1:[0-9]+ \(was 127\.0\.0\.1:$lport\)$" 30
new_leader=$(ens_leader)
nport=$(ens_port "$new_leader")
named_right() {
  [ "$new_leader" != "$leader" ] &&
    grep -qE "^ensemble leader is now 127\.0\.0\.1:$nport \(was 127\.0\.0\.1:$lport\)$" "$out"
}
check "the new leader named is the one srvr says leads" named_right

# The last member without a quorum answers that it is not serving.
last=$follower
[ "$new_leader" = "$follower" ] && last=$other
ens_stop "$new_leader"
check "the last member, without a quorum, is offline: not serving" \
  wait_line "$out" "^offline OFFLINE 127\.0\.0\.1:$(ens_port "$last") \(not serving requests\)$" 30

check "no state said twice in a row" no_repeats "$out"

stops_clean() {
  kill -TERM "$probe_pid" && wait "$probe_pid" && [ ! -s "$E2E_TMP/ensemble.err" ]
}
check "zkprobe stops cleanly on TERM" stops_clean
echo "# zkprobe saw:"
sed 's/^/#   /' "$out"
finish
