#!/usr/bin/env bash
# data_cache: the data of nodes no longer selected is dropped once the
# cache is full (here at once: 1 byte), and read again when its node is
# selected again, never shown as empty or stuck at "reading...". Its data
# watch, still armed, still works.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /app ""
create /app/alpha first-value
create /app/bravo second-value
EOF2
cat > "$E2E_TMP/config.yaml" <<EOF2
server: $ZK_HOST
data_cache: 1
EOF2

e2e_start --config "$E2E_TMP/config.yaml"
wait_screen '▸ app' || fail "tree did not load"
e2e_keys j l
wait_screen '· bravo' || fail "app did not expand"
e2e_keys j
check "alpha's data shows" wait_screen '│ first-value$'
check "and its ACL" wait_screen '│ ACL +world:anyone'
e2e_keys j
check "bravo's data shows" wait_screen '│ second-value$'
e2e_keys k
check "alpha's data, dropped meanwhile, is read again" wait_screen '│ first-value$'
check "its ACL too" wait_screen '│ ACL +world:anyone'
check "nothing left reading" wait_no_screen 'reading'
"$ZKCTL" -s "$ZK_HOST" set /app/alpha changed
check "a change by another client shows by itself" wait_screen '│ changed$'
e2e_keys j
check "bravo's, dropped when alpha was selected, is read again" wait_screen '│ second-value$'

e2e_keys q
check "q quits" wait_exit 0
finish
