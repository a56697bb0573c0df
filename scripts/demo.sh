#!/usr/bin/env bash
# The README's first command: `sh scripts/demo.sh` (or `make demo`).
# Installs what is missing (Debian packages, with sudo when not root),
# builds, and starts a throwaway ZooKeeper on a free loopback port with a
# sample tree and a workload (build/zkdemo): service members coming and
# going, locks and semaphores in contention,
# then opens zktui on it. The server, the helpers and the temp dir go when
# zktui exits. Arguments are passed to zktui.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
sh scripts/deps.sh || exit 1
make -s all || exit 1
. tests/lib/zk.sh

ZKTUI=${ZKTUI:-$top/zktui}
ZKCTL=${ZKCTL:-$top/build/zkctl}
ZKDEMO=${ZKDEMO:-$top/build/zkdemo}
for f in "$ZKTUI" "$ZKCTL" "$ZKDEMO"; do
  [ -x "$f" ] || { echo "demo: $f is missing; run make first" >&2; exit 2; }
done

echo "demo: starting ZooKeeper..."
zk_start || exit 1
echo "demo: ZooKeeper on $ZK_HOST (data in $ZK_DIR)"

"$ZKCTL" -s "$ZK_HOST" batch > /dev/null <<'TREE' || exit 1
create /app ""
create /app/orders ""
create /app/orders/config {"db":"orders-primary:5432","pool":{"min":2,"max":20},"features":["audit","retry"]}
create /app/orders/feature-flags "checkout_v2=on\nfraud_check=shadow\n"
create /app/billing ""
create /app/billing/config {"currency":"EUR","invoice_day":1}
create /app/billing/secret \x00\x17\x42\xde\xad\xbe\xef\x01\x02\x03
create /queue ""
TREE
for i in 1 2 3 4 5; do
  "$ZKCTL" -s "$ZK_HOST" create -s /queue/task- "job $i" > /dev/null
done

# The workload runs in its own process group (stopping it stops whatever
# it may start), and the exit waits for it, so that it closes its sessions
# before the server stops.
background() {
  setsid "$@" > /dev/null 2>&1 &
  at_exit "kill -- -$! 2>/dev/null; wait $! 2>/dev/null"
}

# Service members under /servers coming and going, lock queues in every
# recipe zktui knows under /locks, and semaphores under /semaphores: each
# actor with its own session (see tools/zkdemo.c). 0: until we stop it.
background "$ZKDEMO" -s "$ZK_HOST" -t 0 -q

"$ZKTUI" -s "$ZK_HOST" "$@"
status=$?
echo "demo: stopping ZooKeeper"
exit $status
