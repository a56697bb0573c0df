#!/usr/bin/env bash
# The README's first command: `sh scripts/demo.sh` (or `make demo`).
# Installs what is missing (Debian packages, with sudo when not root),
# builds, and starts a throwaway ZooKeeper on a free loopback port with a
# sample tree, service members coming and going and locks in contention,
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
for f in "$ZKTUI" "$ZKCTL"; do
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
create /servers ""
create /locks ""
create /locks/orders ""
create /locks/billing ""
create /queue ""
TREE
for i in 1 2 3 4 5; do
  "$ZKCTL" -s "$ZK_HOST" create -s /queue/task- "job $i" > /dev/null
done

# Each helper runs in its own process group, so that stopping it stops its
# children (a sleeping member, a zkctl) too.
background() {
  setsid "$@" > /dev/null 2>&1 &
  at_exit "kill -- -$! 2>/dev/null"
}

# Registry members: ephemerals that live as long as a zkctl session.
# member NAME DATA SECONDS: online for SECONDS, offline for 2, again.
member() {
  background bash -c 'while :; do
      { echo "create -e /servers/$1 $2"; sleep "$3"; } | "$ZKCTL" -s "$ZK_HOST" batch
      sleep 2
    done' member "$@"
}
export ZKCTL ZK_HOST
member server1 '{"host":"10.0.0.1","port":8080}' 3600
member server2 '{"host":"10.0.0.2","port":8080}' 3600
member server3 '{"host":"10.0.0.3","port":8080}' 7   # a flapping member

# Lock contention: contenders taking turns, each with its own session.
background "$ZKCTL" -s "$ZK_HOST" locks /locks/orders 4 2000
background "$ZKCTL" -s "$ZK_HOST" locks /locks/billing 2 5000

"$ZKTUI" -s "$ZK_HOST" "$@"
status=$?
echo "demo: stopping ZooKeeper"
exit $status
