# A ZooKeeper 3.8 ensemble of N members on 127.0.0.1 for one test script.
# Source it from bash after tests/lib/zk.sh (whose JVM flags, class path,
# 4lw whitelist and at_exit it reuses). Members are numbered from 1; each
# has its own client, quorum and election ports and its own temp dir, and
# every member is stopped by PID and its dir removed when the script exits.
#
#   ens_start [N]         start N members (default 3) in parallel and wait
#                         until each answers `srvr` with a Mode; exports
#                         ENS_HOSTS (127.0.0.1:p1,127.0.0.1:p2,...) and ENS_N
#   ens_port I            print member I's client port
#   ens_stop I            stop member I (TERM, then KILL after 5 s), keeping its data
#   ens_start_member I    start member I again on the same ports and data and
#                         wait until it answers with a Mode
#   ens_leader            print the index of the member whose Mode is leader,
#                         waiting for one (after a leader stops, the others
#                         elect a new one); false when none within the timeout
#
# ENS_START_TIMEOUT (seconds, default 60) bounds every wait. The JVMs take
# ZK_JAVA_OPTS; three of them fit on two cores.

[ -n "${_ens_sh_loaded:-}" ] && return 0
_ens_sh_loaded=1

if ! declare -F at_exit >/dev/null; then
  # shellcheck source=SCRIPTDIR/zk.sh
  . "$(dirname "${BASH_SOURCE[0]}")/zk.sh"
fi

# Not inherited: a runner's values must not leak in. Arrays are indexed
# from 1, like the members.
ENS_N=0 ENS_DIR='' ENS_HOSTS=''
_ens_pid=() _ens_cport=() _ens_qport=() _ens_eport=()

# Prints N distinct free ports, one a line: all are bound at once, so the
# kernel cannot hand out one twice.
_ens_free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
for s in socks:
    print(s.getsockname()[1])
PY
}

_ens_write_cfg() {
  local i=$1 j dir=$ENS_DIR/$1
  mkdir -p "$dir/data"
  echo "$i" > "$dir/data/myid"
  # tickTime 1000: a lost leader is noticed and replaced sooner than with
  # the usual 2000, and initLimit still gives a slow JVM 10 s to sync.
  cat > "$dir/zoo.cfg" <<CFG
tickTime=1000
initLimit=10
syncLimit=5
dataDir=$dir/data
clientPort=${_ens_cport[i]}
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=${ZK_4LW_WHITELIST:-srvr,cons,stat,mntr,ruok}
CFG
  for ((j = 1; j <= ENS_N; j++)); do
    echo "server.$j=127.0.0.1:${_ens_qport[j]}:${_ens_eport[j]}" >> "$dir/zoo.cfg"
  done
}

_ens_launch() {
  local dir=$ENS_DIR/$1
  # shellcheck disable=SC2086
  java $ZK_JAVA_OPTS -cp "$ZK_CLASSPATH" -Dzookeeper.forceSync=no \
    -Dzookeeper.log.dir="$dir" -Dzookeeper.root.logger=INFO,ROLLINGFILE \
    org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/zoo.cfg" \
    >>"$dir/server.out" 2>&1 &
  _ens_pid[$1]=$!
}

_ens_has_mode() { zk_4lw srvr "${_ens_cport[$1]}" | grep -q '^Mode:'; }

# Waits until every member named answers with a Mode. Returns 0 when they
# do, 1 on timeout, 2 when a JVM has died (its index in _ens_dead).
_ens_wait_ready() {
  local deadline=$(($(_zk_now_ms) + ${ENS_START_TIMEOUT:-60} * 1000)) i waiting
  while [ "$(_zk_now_ms)" -lt "$deadline" ]; do
    waiting=()
    for i in "$@"; do
      _ens_has_mode "$i" && continue
      if ! kill -0 "${_ens_pid[i]}" 2>/dev/null; then
        _ens_dead=$i
        return 2
      fi
      waiting+=("$i")
    done
    [ ${#waiting[@]} -eq 0 ] && return 0
    set -- "${waiting[@]}"
    sleep 0.2
  done
  return 1
}

_ens_show_log() {
  tail -n 20 "$ENS_DIR/$1/server.out" "$ENS_DIR/$1/zookeeper.log" 2>/dev/null | sed 's/^/  /' >&2
}

_ens_stop_all() {
  local i
  for ((i = 1; i <= ENS_N; i++)); do ens_stop "$i"; done
}

ens_start() {
  local n=${1:-3} i tries rc ports
  if [ -z "$ENS_DIR" ]; then
    ENS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/zktui-ens.XXXXXX") || return 1
    # shellcheck disable=SC2016  # expanded when it runs
    at_exit '_ens_stop_all; rm -rf "$ENS_DIR"'
  fi
  for ((tries = 0; tries < 3; tries++)); do
    _ens_stop_all
    rm -rf "${ENS_DIR:?}"/*
    ENS_N=$n
    mapfile -t ports < <(_ens_free_ports $((3 * n)))
    [ ${#ports[@]} -eq $((3 * n)) ] || return 1
    for ((i = 1; i <= n; i++)); do
      _ens_cport[i]=${ports[3 * i - 3]} _ens_qport[i]=${ports[3 * i - 2]} _ens_eport[i]=${ports[3 * i - 1]}
    done
    for ((i = 1; i <= n; i++)); do _ens_write_cfg "$i"; done
    for ((i = 1; i <= n; i++)); do _ens_launch "$i"; done
    _ens_wait_ready $(seq 1 "$n")
    rc=$?
    if [ "$rc" = 0 ]; then
      ENS_HOSTS=
      for ((i = 1; i <= n; i++)); do ENS_HOSTS+=${ENS_HOSTS:+,}127.0.0.1:${_ens_cport[i]}; done
      export ENS_HOSTS ENS_N
      return 0
    fi
    # Another process took one of the ports between our probe and the
    # JVMs' bind: try again with new ports.
    [ "$rc" = 2 ] && grep -qs 'Address already in use' "$ENS_DIR"/*/server.out "$ENS_DIR"/*/zookeeper.log &&
      continue
    break
  done
  if [ "$rc" = 2 ]; then
    echo "ens_start: member $_ens_dead's JVM exited; its output:" >&2
    _ens_show_log "$_ens_dead"
  else
    echo "ens_start: not every member answered srvr with a Mode after ${ENS_START_TIMEOUT:-60} s; their logs:" >&2
    for ((i = 1; i <= n; i++)); do _ens_show_log "$i"; done
  fi
  _ens_stop_all
  return 1
}

ens_port() { echo "${_ens_cport[$1]}"; }

ens_stop() {
  local pid=${_ens_pid[$1]:-} i
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  _ens_pid[$1]=
  return 0
}

ens_start_member() {
  local rc
  if [ -n "${_ens_pid[$1]:-}" ] && kill -0 "${_ens_pid[$1]}" 2>/dev/null; then
    return 0  # already running
  fi
  _ens_launch "$1"
  _ens_wait_ready "$1"
  rc=$?
  [ "$rc" = 0 ] && return 0
  echo "ens_start_member: member $1 did not answer srvr with a Mode; its output:" >&2
  _ens_show_log "$1"
  ens_stop "$1"
  return 1
}

ens_leader() {
  local deadline=$(($(_zk_now_ms) + ${ENS_START_TIMEOUT:-60} * 1000)) i
  while :; do
    for ((i = 1; i <= ENS_N; i++)); do
      [ -n "${_ens_pid[i]:-}" ] || continue
      if zk_4lw srvr "${_ens_cport[i]}" | grep -q '^Mode: leader'; then
        echo "$i"
        return 0
      fi
    done
    [ "$(_zk_now_ms)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
