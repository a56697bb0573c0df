#!/usr/bin/env bash
# A whole session under valgrind: startup, browsing, live changes, a lock
# changing hands and a registry member coming and going, every panel, a
# saved event log, a resize, quitting. No invalid access and no leak of ours (ncurses' own terminfo
# cache is suppressed in tests/valgrind.supp).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

case $BUILD in *asan*) echo "ok 1 # skip valgrind does not run sanitized binaries"; exit 0 ;; esac
command -v valgrind >/dev/null || fail "valgrind is not installed (make deps)"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /app ""
create /app/config {"a":[1,2,{"b":null}]}
create /app/blob \x00\x01\xff
create /locks ""
create /locks/jobs ""
create /servers ""
EOF2

real=$ZKTUI
cat > "$E2E_TMP/vg-zktui" <<SH
#!/bin/sh
exec valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
  --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
  --suppressions=$(printf '%q' "$here/../valgrind.supp") --log-file=$(printf '%q' "$E2E_TMP/vg.log") \
  $(printf '%q' "$real") "\$@"
SH
chmod +x "$E2E_TMP/vg-zktui"
ZKTUI=$E2E_TMP/vg-zktui

e2e_start -s "$ZK_HOST"
wait_screen '▸ app' 30 || fail "tree did not load under valgrind"
e2e_keys j l
wait_screen '· config' 10 || fail "app did not expand under valgrind"
e2e_keys j
check "browsing works under valgrind" wait_screen '│ /app/blob' 10
e2e_keys j v v Tab j Tab
"$ZKCTL" -s "$ZK_HOST" create /app/new x > /dev/null
check "a live create shows" wait_screen 'new' 10
"$ZKCTL" -s "$ZK_HOST" delete /app/new
check "a live delete shows" wait_no_screen '· new' 10
mkfifo "$E2E_TMP/hold"
"$ZKCTL" -s "$ZK_HOST" batch < "$E2E_TMP/hold" > /dev/null &
exec 7>"$E2E_TMP/hold"
printf '%s\n' 'create -e -s /locks/jobs/x__lock__ one' 'create -e -s /locks/jobs/y__lock__ two' \
  'create -e /servers/s1 up' >&7
check "a lock under valgrind" wait_screen 'waits 0000000001' 10
echo 'delete /locks/jobs/x__lock__0000000000' >&7
check "changes hands" wait_screen 'holds 0000000001' 10
e2e_keys I
check "the sessions, cons asked" wait_screen '^ 0x[0-9a-f]+ +2 [^ ]+ +127\.0\.0\.1:[0-9]+ ' 10
e2e_keys 1
exec 7>&-
check "the member goes" wait_screen 'OFFLINE /servers/s1' 10
e2e_keys L S E O W
check "every panel, and the log saved" wait_screen 'saved [0-9]+ events' 10
e2e_keys 1
e2e_resize 30 6
check "too small" wait_screen 'terminal too small' 10
e2e_resize 100 30
check "and back" wait_screen '▾ app' 10
e2e_keys g c
e2e_type '/made/a/b'
e2e_keys Enter p Enter
wait_screen 'y: create the missing parents' 10 || fail "no offer of parents under valgrind"
e2e_keys y
check "missing parents made" wait_screen 'created /made/a/b' 10
# The new node is selected once the tree shows it; i edits the selection's
# data, so wait for both (an i before took the root's).
wait_screen '│ /made/a/b$' 10 || fail "/made/a/b not selected under valgrind"
wait_screen '│ data +0 bytes' 10 || fail "/made/a/b's data not read under valgrind"
e2e_keys i
e2e_type 'hi'
e2e_keys Enter
check "an inline edit" wait_screen 'saved /made/a/b' 10
# i prefills the data as read: the watch's re-read after the save.
wait_screen '│ hi$' 10 || fail "the saved data not read again under valgrind"
e2e_keys i
wait_screen '^ data: hi_$' 10 || fail "no inline prompt under valgrind"
"$ZKCTL" -s "$ZK_HOST" set /made/a/b other
e2e_keys BSpace Enter
check "a conflict" wait_screen 'changed while you edited' 10
e2e_keys r
check "reloaded" wait_screen '^ data: other_$' 10
e2e_keys Escape h
wait_screen '│ /made/a$' 10 || fail "/made/a not selected under valgrind"
e2e_keys D
wait_screen 'Delete /made/a and everything under it: 2 nodes' 10 || fail "D did not count"
e2e_type 'a'
e2e_keys Enter
check "a recursive delete" wait_screen 'deleted /made/a and everything under it' 10
e2e_keys q
check "quits with status 0: no errors, no leaks" wait_exit 0 30
if [ -s "$E2E_TMP/vg.log" ]; then
  sed 's/^/# /' "$E2E_TMP/vg.log"
fi
finish
