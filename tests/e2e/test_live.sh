#!/usr/bin/env bash
# Changes made by another client appear on screen with no key pressed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /app ""
create /app/config v1
EOF2

e2e_start -s "$ZK_HOST"
wait_screen '▸ app' || fail "tree did not load"
e2e_keys j l
wait_screen '· config' || fail "app did not expand"
e2e_keys j
check "config selected" wait_screen '│ /app/config'
check "its data shows" wait_screen '│ v1$'

"$ZKCTL" -s "$ZK_HOST" create /app/newcomer hi >/dev/null
check "a node created by another client appears by itself" wait_screen 'newcomer'

"$ZKCTL" -s "$ZK_HOST" set /app/config v2
check "data changed by another client updates by itself" wait_screen '│ v2$'
check "and its version with it" wait_screen '│ version +1$'

"$ZKCTL" -s "$ZK_HOST" delete /app/newcomer
check "a node deleted by another client goes away by itself" wait_no_screen 'newcomer'

# An ephemeral that lives as long as a background session.
mkfifo "$E2E_TMP/hold"
"$ZKCTL" -s "$ZK_HOST" batch < "$E2E_TMP/hold" &
holder=$!
exec 7>"$E2E_TMP/hold"
echo 'create -e /app/member up' >&7
check "an ephemeral appears, marked E" wait_screen 'member +E +0'
exec 7>&-
wait "$holder"
check "it goes when its session ends" wait_no_screen 'member'

# The selected node deleted under the cursor: the cursor moves to its parent.
"$ZKCTL" -s "$ZK_HOST" delete /app/config
check "the selected node deleted: the parent is selected" wait_screen '│ /app$'

e2e_keys q
check "q quits" wait_exit 0
finish
