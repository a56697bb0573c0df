#!/usr/bin/env bash
# "/" filters the visible tree by name as it is typed (letters without
# case): the others dimmed, or (Tab) hidden but for the ancestors of a
# match; Enter keeps the filter, Esc clears it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /app ""
create /app/alpha ""
create /app/beta ""
create /app/gamma ""
create /app/gamma/Alphabet ""
create /app/gamma/zeta ""
create /other ""
EOF2

e2e_start -s "$ZK_HOST"
wait_screen '▸ app' 10 || fail "tree did not load"
e2e_keys j l
wait_screen '▸ gamma' || fail "app did not expand"
e2e_keys j j j l
wait_screen '· zeta' || fail "gamma did not expand"
e2e_keys /
check "/ asks for the filter, saying what Tab does" wait_screen 'Filter the tree by name as you type +Tab: hide'
e2e_type 'ALP'
check "the filter line, the rest dimmed (not hidden)" wait_screen '^ /ALP  the rest dimmed'
check "as typed: the others stay, dimmed" wait_screen '· beta'
e2e_keys Tab
check "Tab: the others hidden" wait_no_screen '· beta'
check "how many" wait_screen '^ /ALP  4 hidden'
check "a match deep down keeps its ancestors" wait_screen_seq 'app' 'alpha' 'gamma' 'Alphabet'
check "its sibling goes" wait_no_screen '· zeta'
e2e_keys Enter
check "Enter keeps it" wait_screen 'filter kept: / changes it, Esc clears it'
check "still hidden" wait_no_screen '· beta'
e2e_keys /
e2e_keys BSpace BSpace BSpace
e2e_type 'zz'
check "nothing matches: only the top" wait_screen '^ /zz  8 hidden'
e2e_keys BSpace BSpace
e2e_type 'et'
check "retyped: beta and zeta" wait_screen_seq 'beta' 'gamma' 'zeta'
e2e_keys Escape
check "Esc in the prompt clears it" wait_screen 'filter cleared'
check "everything back" wait_screen '· beta'
e2e_keys / 
e2e_type 'beta'
e2e_keys Enter
wait_no_screen '· alpha' || fail "filter beta did not hide"
e2e_keys Escape
check "Esc on the tree clears a kept filter" wait_screen 'filter cleared'
check "and alpha is back" wait_screen '· alpha'
e2e_keys q
check "q quits" wait_exit 0
finish
