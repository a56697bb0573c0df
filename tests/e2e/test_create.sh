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
check "a missing parent is said" wait_screen '/nowhere/child not created: its parent /nowhere does not exist'
check "and offered, not made" wait_screen 'y: create the missing parents \(persistent, empty\), then it +n: nothing'
e2e_keys n
check "n: nothing" wait_screen 'nothing changed'
"$ZKCTL" -s "$ZK_HOST" exists /nowhere > /dev/null 2>&1
check "and nothing was made" [ $? -ne 0 ]
e2e_keys c
e2e_type '/deep/er/node'
e2e_keys Enter e
e2e_type 'at the bottom'
e2e_keys Enter
wait_screen 'its parent /deep/er does not exist' || fail "no offer of parents"
e2e_keys y
check "y makes the parents, then the node, and selects it" wait_screen '│ /deep/er/node$'
check "with its data" [ "$("$ZKCTL" -s "$ZK_HOST" get /deep/er/node)" = "at the bottom" ]
check "the parents are persistent and empty" [ "$("$ZKCTL" -s "$ZK_HOST" get /deep/er)" = "" ]
check "each parent is logged" grep -q 'AUDIT .*action=create path=/deep/er version=-1 result=ok' \
  "$XDG_STATE_HOME/zktui/zktui.log"
check "the node is the ephemeral asked for" wait_screen '│ ephemeralOwner  0x[0-9a-f]+$'

# TTL: a duration, checked before anything is sent.
e2e_keys g c
e2e_type '/app/ttl'
e2e_keys Enter t
check "t asks for the TTL" wait_screen 'the server deletes it once it has had no child for this long'
e2e_type 'soon'
e2e_keys Enter
check "a bad duration is refused" wait_screen 'not a duration'
e2e_keys BSpace BSpace BSpace BSpace
e2e_type '10m'
e2e_keys Enter
check "then the data, the TTL said" wait_screen 'Create /app/ttl \(TTL, 10m00s\) with data'
e2e_keys Enter
check "a TTL node is made" wait_screen '│ /app/ttl$'
# The server shows clients ephemeralOwner 0 for TTL and container nodes
# (DataNode.copyStat): nothing tells them from persistent ones.
check "not taken for an ephemeral" wait_screen '│ ephemeralOwner  -$'
e2e_keys c
e2e_type 'bad//name'
e2e_keys Enter
check "a bad path is refused before anything is sent" wait_screen 'not a valid path'
e2e_keys Escape
check "Esc cancels" wait_screen 'nothing changed'
e2e_keys q
check "q quits" wait_exit 0

# A server without extended types refuses TTL nodes: said plainly.
zk_stop
ZK_EXTENDED_TYPES=false zk_start || fail "server did not restart"
e2e_start -s "$ZK_HOST"
wait_screen '▸ app' 10 || fail "tree did not load (no TTL)"
e2e_keys c
e2e_type '/app/ttl2'
e2e_keys Enter t
e2e_type '1h'
e2e_keys Enter Enter
check "TTL refused by a server without them, and why" \
  wait_screen 'not created: this server does not take TTL nodes'
e2e_keys q
check "q quits" wait_exit 0

e2e_start -s "$ZK_HOST" --read-only
wait_screen 'READ-ONLY' 10 || fail "no READ-ONLY"
e2e_keys c
check "read-only: c says why nothing happens" wait_screen 'read-only: nothing was changed'
e2e_keys q
check "q quits" wait_exit 0
finish
