#!/usr/bin/env bash
# Runs the C integration tests (tests/integration/test_*.c, built into
# $BUILD/itests/) against a real server started for them.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"

zk_start || exit 1
status=0
for t in "$BUILD"/itests/test_*; do
  [ -x "$t" ] || continue
  echo "# $(basename "$t")"
  ZK_HOST="$ZK_HOST" "$t" || status=1
done
exit $status
