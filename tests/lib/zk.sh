# Starts and stops a real ZooKeeper 3.8 (the Debian package) for one test
# script. Source it from bash. The server gets a free loopback port and its
# own temp dir, and is stopped by PID when the script exits, however it
# exits (normally, by `exit`, or on INT/TERM/HUP).
#
#   zk_start        start the server, or start it again after zk_stop on the
#                   same port and data; exports ZK_HOST (127.0.0.1:PORT), ZK_PORT
#   zk_stop         stop it (TERM, then KILL after 5 s), keeping its data
#   zk_restart      zk_stop, then zk_start
#   zk_free_port    print a free TCP port on 127.0.0.1
#   zk_4lw WORD     print the server's answer to a four-letter word (srvr, mntr...)
#   zk_wait_expired 0xID [S]
#                   until the server has expired session 0xID (it has left
#                   `dump`'s list of sessions), S seconds at most (default 20)
#   at_exit CMD     run CMD (a string, eval'd) when the script exits; the
#                   last added runs first. tests/e2e/lib.sh uses it too.
#
# ZK_JAVA_OPTS overrides the JVM flags; ZK_START_TIMEOUT (seconds, default
# 30) bounds the wait for the server to answer `srvr` with its Mode;
# ZK_EXTENDED_TYPES=false starts it without TTL nodes (on by default).

[ -n "${_zk_sh_loaded:-}" ] && return 0
_zk_sh_loaded=1

# One list of clean-ups and one trap running them all, so that every
# library sourced after this one adds to the list instead of replacing
# the trap.
_cleanup_fns=()
at_exit() { _cleanup_fns+=("$*"); }
_run_cleanups() {
  local i
  trap '' INT TERM HUP  # a second Ctrl-C must not cut the clean-up short
  for ((i = ${#_cleanup_fns[@]} - 1; i >= 0; i--)); do
    eval "${_cleanup_fns[i]}" || true
  done
  _cleanup_fns=()
}
trap _run_cleanups EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

ZK_JAVA_OPTS=${ZK_JAVA_OPTS:--XX:+UseSerialGC -Xms32m -Xmx256m -XX:TieredStopAtLevel=1 -Xshare:auto}
# zookeeper.jar names its dependencies in its manifest but no logging
# binding: add log4j's, when installed, so that the server writes
# zookeeper.log in its dir (read it when a test fails).
if [ -z "${ZK_CLASSPATH:-}" ]; then
  ZK_CLASSPATH=/etc/zookeeper/conf:/usr/share/java/zookeeper.jar
  if [ -r /usr/share/java/slf4j-log4j12.jar ] && [ -r /usr/share/java/log4j-1.2.jar ]; then
    ZK_CLASSPATH=$ZK_CLASSPATH:/usr/share/java/slf4j-log4j12.jar:/usr/share/java/log4j-1.2.jar
  fi
fi
# Not inherited: a runner's or an outer test's values must not leak in.
ZK_DIR='' ZK_PID='' ZK_PORT='' ZK_HOST=''

zk_free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local p n
  for ((n = 0; n < 100; n++)); do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

# Prints the answer to a four-letter word, or nothing when no server answers.
zk_4lw() {
  python3 - "${2:-$ZK_PORT}" "$1" <<'PY' 2>/dev/null
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
    s.sendall(sys.argv[2].encode())
    out = b""
    while True:
        b = s.recv(4096)
        if not b:
            break
        out += b
    sys.stdout.write(out.decode(errors="replace"))
except OSError:
    pass
PY
}

# A session cut off from its client expires some time after its timeout
# (the server checks once a tick): a fixed sleep past it was sometimes too
# short on a loaded machine. Fails too when dump is not allowed.
zk_wait_expired() {
  local deadline=$(($(_zk_now_ms) + ${2:-20} * 1000)) out
  [ -n "$1" ] || { echo "zk_wait_expired: no session id" >&2; return 1; }
  while :; do
    out=$(zk_4lw dump)
    case $out in
      *"SessionTracker dump"*) grep -qE "^[[:space:]]*$1\$" <<< "$out" || return 0 ;;
    esac
    if [ "$(_zk_now_ms)" -ge "$deadline" ]; then
      echo "# waited ${2:-20}s for the server to expire session $1; dump said:" >&2
      sed 's/^/#   /' <<< "$out" | head -n 20 >&2
      return 1
    fi
    sleep 0.1
  done
}

_zk_write_cfg() {
  cat > "$ZK_DIR/zoo.cfg" <<CFG
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$ZK_DIR/data
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=${ZK_4LW_WHITELIST:-srvr,cons,stat,mntr,ruok,dump}
CFG
}

_zk_now_ms() { local t; t=$(date +%s%N); echo $((t / 1000000)); }

# Waits for the server to answer `srvr` with its Mode. Returns 0 when ready,
# 1 on timeout, 2 when the JVM has died.
_zk_wait_ready() {
  local deadline=$(($(_zk_now_ms) + ${ZK_START_TIMEOUT:-30} * 1000))
  while [ "$(_zk_now_ms)" -lt "$deadline" ]; do
    if zk_4lw srvr | grep -q '^Mode:'; then
      return 0
    fi
    kill -0 "$ZK_PID" 2>/dev/null || return 2
    sleep 0.1
  done
  return 1
}

_zk_launch() {
  # zookeeper.forceSync=no: no fsync per transaction; the data still
  # survives the server's restart, which is all a test needs.
  # shellcheck disable=SC2086
  # extendedTypesEnabled: TTL nodes (ZK_EXTENDED_TYPES=false: a server
  # without them).
  java $ZK_JAVA_OPTS -cp "$ZK_CLASSPATH" -Dzookeeper.forceSync=no \
    -Dzookeeper.extendedTypesEnabled="${ZK_EXTENDED_TYPES:-true}" \
    -Dzookeeper.log.dir="$ZK_DIR" -Dzookeeper.root.logger=INFO,ROLLINGFILE \
    org.apache.zookeeper.server.quorum.QuorumPeerMain "$ZK_DIR/zoo.cfg" \
    >>"$ZK_DIR/server.out" 2>&1 &
  ZK_PID=$!
}

zk_start() {
  local first=0 tries rc
  if [ -n "$ZK_PID" ] && kill -0 "$ZK_PID" 2>/dev/null; then
    return 0  # already running
  fi
  if [ -z "$ZK_DIR" ]; then
    first=1
    ZK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/zktui-zk.XXXXXX") || return 1
    # shellcheck disable=SC2016  # expanded when it runs
    at_exit 'zk_stop; rm -rf "$ZK_DIR"'
    mkdir -p "$ZK_DIR/data"
  fi
  for ((tries = 0; tries < 3; tries++)); do
    if [ "$first" = 1 ]; then
      ZK_PORT=$(zk_free_port) || return 1
      _zk_write_cfg
    fi
    export ZK_PORT ZK_HOST="127.0.0.1:$ZK_PORT"
    _zk_launch
    _zk_wait_ready
    rc=$?
    [ "$rc" = 0 ] && return 0
    zk_stop
    # Another process took the port between our probe and the JVM's bind:
    # on a first start, try again with a new port. A restart must keep it.
    if [ "$rc" = 2 ] && [ "$first" = 1 ] &&
       cat "$ZK_DIR/server.out" "$ZK_DIR/zookeeper.log" 2>/dev/null |
         tail -n 100 | grep -q 'Address already in use'; then
      continue
    fi
    break
  done
  if [ "$rc" = 2 ]; then
    echo "zk_start: the ZooKeeper JVM exited before serving port $ZK_PORT; its output:" >&2
  else
    echo "zk_start: no ZooKeeper answering on 127.0.0.1:$ZK_PORT after ${ZK_START_TIMEOUT:-30} s; its output:" >&2
  fi
  tail -n 20 "$ZK_DIR/server.out" "$ZK_DIR/zookeeper.log" 2>/dev/null | sed 's/^/  /' >&2
  return 1
}

zk_stop() {
  [ -n "$ZK_PID" ] || return 0
  local i
  kill "$ZK_PID" 2>/dev/null
  for ((i = 0; i < 50; i++)); do
    kill -0 "$ZK_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$ZK_PID" 2>/dev/null
  wait "$ZK_PID" 2>/dev/null
  ZK_PID=
  return 0
}

zk_restart() { zk_stop && zk_start; }
