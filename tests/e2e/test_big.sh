#!/usr/bin/env bash
# A node with 50,000 children: its count first, listed once the question
# is answered, scrolled to the end and back, filtered.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" seed 50000 /big || fail "seeding failed"

e2e_start -s "$ZK_HOST"
wait_screen '▸ big' || fail "tree did not load"
e2e_keys j
check "its count shows before it is listed" wait_screen '▸ big +50000'
e2e_keys l
check "more than max_children (10,000): opening it asks first" \
  wait_screen '/big has 50,000 children \(about 1.2 MB to read\): list them\? y/n'
e2e_keys y
check "the first children show" wait_screen 'c00000'
e2e_keys G
check "G goes past 50,000 children to the last row" wait_screen '│ /zookeeper$' 5
e2e_keys k
check "the row above it is the last child" wait_screen '│ /big/c49999$' 5
e2e_keys PageUp
check "PgUp pages back" wait_no_screen 'c49999 ' 5
e2e_keys g
check "g goes back to the top" wait_screen '│ /$' 5
check "the count is right" wait_screen 'big +50000'
e2e_keys /
e2e_type 'c4999'
check "the filter marks the matches among 50,000 rows" wait_screen '/c4999  the rest dimmed'
e2e_keys Tab
check "and hides the rest" wait_screen '/c4999  49991 hidden'
e2e_keys Enter G
check "the last match is the last child" wait_screen '│ /big/c49999$'
e2e_keys Escape
e2e_keys q
check "q quits" wait_exit 0
finish
