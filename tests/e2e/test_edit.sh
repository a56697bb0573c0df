#!/usr/bin/env bash
# e hands the terminal to $EDITOR on the node's data and sends what changed
# with the version read before: a node changed meanwhile is not
# overwritten (the edited text is kept in a file); binary data is refused;
# an unchanged text sends nothing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /app ""
create /app/blob \x00\x01\x02
create /app/config v1
create /app/race r1
EOF2

# The "editor": what it does is in a file the test writes before each e.
cat > "$E2E_TMP/ed.sh" <<SH
#!/bin/sh
case \$(cat "$E2E_TMP/ed-mode") in
  sub) sed -i 's/v1/v2/' "\$1" ;;
  race) "$ZKCTL" -s "$ZK_HOST" set /app/race other > /dev/null; sed -i 's/r1/r2/' "\$1" ;;
  same) : ;;
esac
SH
chmod +x "$E2E_TMP/ed.sh"
export EDITOR="$E2E_TMP/ed.sh" VISUAL= TMPDIR=$E2E_TMP/tmp
mkdir -p "$TMPDIR"

e2e_start -s "$ZK_HOST"
wait_screen '▸ app' 10 || fail "tree did not load"
e2e_keys j l
wait_screen '· race' || fail "app did not expand"

e2e_keys j
wait_screen '│ /app/blob$' || fail "blob not selected"
e2e_keys e
check "binary data is refused, not mangled" wait_screen 'holds binary data \(3 bytes\): zktui edits text only'

echo sub > "$E2E_TMP/ed-mode"
e2e_keys j
wait_screen '│ /app/config$' || fail "config not selected"
wait_screen '│ v1$' || fail "config's data not shown"
e2e_keys e
check "the edited text is saved with the version read before" \
  wait_screen 'saved /app/config \(version 0 -> 1\)'
check "and shown" wait_screen '│ v2$'
check "the server has it" [ "$("$ZKCTL" -s "$ZK_HOST" get /app/config)" = v2 ]
check "no temp file is left behind" [ -z "$(ls "$TMPDIR"/zktui-edit-* 2>/dev/null | head -1)" ]

echo same > "$E2E_TMP/ed-mode"
e2e_keys e
check "an unchanged text sends nothing" wait_screen '/app/config unchanged: nothing sent'

echo race > "$E2E_TMP/ed-mode"
e2e_keys j
wait_screen '│ /app/race$' || fail "race not selected"
wait_screen '│ r1$' || fail "race's data not shown"
e2e_keys e
check "changed by another client while editing: not overwritten" \
  wait_screen '/app/race not saved: it changed since you looked'
check "the other client's data stays" [ "$("$ZKCTL" -s "$ZK_HOST" get /app/race)" = other ]
check "the status bar says where the text is kept" wait_screen 'your text is in '
kept=$(ls "$TMPDIR"/zktui-edit-* 2>/dev/null | head -1)
check "the edited text is kept in that file" grep -qx r2 "${kept:-/nonexistent}"
e2e_keys q
check "q quits" wait_exit 0
finish
