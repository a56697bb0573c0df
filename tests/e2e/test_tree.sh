#!/usr/bin/env bash
# The tree as a person uses it: open, expand, select, read the detail pane.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /app ""
create /app/config {"name":"orders","replicas":[1,2,3],"enabled":true}
create /app/flags hello-flags
create /app/blob \x00\x01\x02\xff\xfeBIN
create /app/seq-0000000007 ""
EOF2

e2e_start -s "$ZK_HOST"
check "status bar says connected, with the server and session" \
  wait_screen "connected +127\.0\.0\.1:$ZK_PORT +session 0x[0-9a-f]+"
check "the root's children are listed" wait_screen '▸ app +[0-9]'
check "the root row is selected and its path is in the detail pane" wait_screen '▾ / .*│ /$'

e2e_keys j l
check "expanding app lists its children sorted by name" \
  wait_screen_seq 'app' 'blob' 'config' 'flags' 'seq-0000000007'
check "a sequential-looking name is marked S" wait_screen 'seq-0000000007 +S +0'

e2e_keys j j
check "selecting config shows its path" wait_screen '│ /app/config'
for f in czxid mzxid pzxid ctime mtime version cversion aversion ephemeralOwner dataLength numChildren; do
  check "detail shows $f" wait_screen "│ $f +[-0-9a-fx]"
done
check "zxids are hex" wait_screen '│ czxid +0x[0-9a-f]+'
check "times are local date-times" wait_screen '│ mtime +20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}'
check "a persistent node has no owner" wait_screen '│ ephemeralOwner +-$'
check "the ACL is listed" wait_screen '│ ACL +world:anyone cdrwa'
check "JSON data is pretty-printed" wait_screen '│   "name": "orders",'
check "JSON arrays are indented" wait_screen '│     1,'

e2e_keys k
check "binary data is a hex dump" wait_screen '│ 00000000  00 01 02 ff fe 42 49 4e'
check "binary data is labelled" wait_screen 'binary'

e2e_keys j j
check "text data is shown as text" wait_screen '│ hello-flags'

e2e_keys v v v
check "v cycles to the hex view" wait_screen '│ 00000000  68 65 6c 6c 6f'

e2e_keys h
check "← on a leaf goes to its parent" wait_screen '│ /app$'
e2e_keys h
check "← on an expanded node collapses it" wait_no_screen 'config'
e2e_keys Enter
check "Enter expands again" wait_screen 'config'
e2e_keys G
check "G goes to the last row" wait_screen '│ /zookeeper$'
e2e_keys g
check "g goes to the first row" wait_screen '│ /$'

e2e_keys q
check "q quits with status 0" wait_exit 0
finish
