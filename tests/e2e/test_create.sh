#!/usr/bin/env bash
# c creates a node: its name under the selection (or a full path), its
# mode, its data; the new node is selected. A missing parent, an existing
# node and a bad path are said, and nothing is made silently.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /app ""
create /app/old x
EOF2

e2e_start -s "$ZK_HOST"
wait_screen '▸ app' 10 || fail "tree did not load"
e2e_keys j
wait_screen '│ /app$' || fail "app not selected"

e2e_keys c
check "c asks for a name under the selection" wait_screen 'Create a node under /app: its name, or a full path'
e2e_type 'new q1'
check "the name is typed (q is a letter here)" wait_screen '^ name: new q1_$'
e2e_keys BSpace BSpace BSpace
check "backspace erases" wait_screen '^ name: new_$'
e2e_keys Enter
check "then the mode" wait_screen 'p persistent +e ephemeral'
e2e_keys p
check "then the data" wait_screen 'Create /app/new \(persistent\) with data'
e2e_type 'hello world'
e2e_keys Enter
check "created" wait_screen 'created /app/new'
check "and selected, its data shown" wait_screen '│ /app/new$'
check "with the data typed" wait_screen '│ hello world$'
check "the server has it" [ "$("$ZKCTL" -s "$ZK_HOST" get /app/new)" = "hello world" ]

e2e_keys c
e2e_type 'job-'
e2e_keys Enter S Enter
check "an ephemeral sequential node gets its number, and is selected" \
  wait_screen '│ /app/new/job-0000000000$'
check "marked ephemeral and sequential in the tree" wait_screen 'job-0000000000 +ES'

e2e_keys g c
e2e_type '/app/old'
e2e_keys Enter p Enter
check "an existing node is said" wait_screen '/app/old not created: it exists already'
e2e_keys c
e2e_type '/nowhere/child'
e2e_keys Enter p Enter
check "a missing parent is said, not made" wait_screen '/nowhere/child not created: its parent does not exist'
"$ZKCTL" -s "$ZK_HOST" exists /nowhere > /dev/null 2>&1
check "and nothing was made" [ $? -ne 0 ]
e2e_keys c
e2e_type 'bad//name'
e2e_keys Enter
check "a bad path is refused before anything is sent" wait_screen 'not a valid path'
e2e_keys Escape
check "Esc cancels" wait_screen 'nothing changed'
e2e_keys q
check "q quits" wait_exit 0

e2e_start -s "$ZK_HOST" --read-only
wait_screen 'READ-ONLY' 10 || fail "no READ-ONLY"
e2e_keys c
check "read-only: c says why nothing happens" wait_screen 'read-only: nothing was changed'
e2e_keys q
check "q quits" wait_exit 0
finish
