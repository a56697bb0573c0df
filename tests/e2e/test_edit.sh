#!/usr/bin/env bash
# e hands the terminal to $EDITOR on the node's data and sends what changed
# with the version read before: a node changed meanwhile is not
# overwritten; what changed is shown and the operator overwrites, reloads
# (edits theirs) or cancels (the edited text is kept in a file); binary
# data is edited as hex; an unchanged text sends nothing. i edits one line
# in place, with the same guard.
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
create /app/multi a\nb
EOF2

# The "editor": what it does is in a file the test writes before each e.
cat > "$E2E_TMP/ed.sh" <<SH
#!/bin/sh
case \$(cat "$E2E_TMP/ed-mode") in
  sub) sed -i 's/v1/v2/' "\$1" ;;
  race) "$ZKCTL" -s "$ZK_HOST" set /app/race 'other\nsecond' > /dev/null; sed -i 's/r1/r2/' "\$1" ;;
  over) "$ZKCTL" -s "$ZK_HOST" set /app/race third > /dev/null; sed -i 's/other/mine/' "\$1" ;;
  reload) if grep -q mine "\$1"; then
            "$ZKCTL" -s "$ZK_HOST" set /app/race fourth > /dev/null; sed -i 's/mine/x/' "\$1"
          else sed -i 's/fourth/fifth/' "\$1"; fi ;;
  same) : ;;
  hex) sed -i 's/: 00 01 02 /: 00 ff 02 03/' "\$1" ;;
  badhex) sed -i 's/: 00 ff/: zz ff/' "\$1" ;;
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
# e and i take the data as read: before it comes they say "still being read".
wait_screen '│ 00000000  00 01 02 ' || fail "blob's data not shown"
echo hex > "$E2E_TMP/ed-mode"
e2e_keys e
check "binary data is edited as hex" wait_screen 'saved /app/blob \(version 0 -> 1\)'
check "the bytes as typed in hex" [ "$("$ZKCTL" -s "$ZK_HOST" get /app/blob | od -An -tx1 | tr -d ' ')" = 00ff0203 ]
# Saved: the data is read again when its watch fires; an e before that
# would edit the old bytes (which have no "00 ff" to spoil).
wait_screen '│ 00000000  00 ff 02 03 ' || fail "blob's new data not shown"
echo badhex > "$E2E_TMP/ed-mode"
e2e_keys e
check "hex that is not hex is refused, the text kept" \
  wait_screen "/app/blob not saved: line 2: 'z' is not a hex digit; your text is in "
check "the data is as it was" [ "$("$ZKCTL" -s "$ZK_HOST" get /app/blob | od -An -tx1 | tr -d ' ')" = 00ff0203 ]
rm -f "$TMPDIR"/zktui-edit-*
e2e_keys i
check "i refuses binary data" wait_screen '/app/blob holds binary data: e edits it as hex'

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
e2e_keys j j
wait_screen '│ /app/race$' || fail "race not selected"
wait_screen '│ r1$' || fail "race's data not shown"
e2e_keys e
check "changed by another client while editing: not overwritten, what changed is shown" \
  wait_screen '/app/race changed while you edited: version 0 -> 1, .* ago, 2 -> 12 bytes; line 1 is now "other"'
check "overwrite, reload or cancel is asked" \
  wait_screen 'o: overwrite with yours +r: reload \(edit theirs\) +Esc: cancel \(yours stays in '
check "the other client's data stays" [ "$("$ZKCTL" -s "$ZK_HOST" get /app/race)" = "$(printf 'other\nsecond')" ]
e2e_keys Escape
check "Esc: nothing saved, and it says where the text is" wait_screen 'nothing saved; your text is in '
kept=$(ls "$TMPDIR"/zktui-edit-* 2>/dev/null | head -1)
check "the edited text is kept in that file" grep -qx r2 "${kept:-/nonexistent}"
check "the other client's data still stays" [ "$("$ZKCTL" -s "$ZK_HOST" get /app/race)" = "$(printf 'other\nsecond')" ]
rm -f "$TMPDIR"/zktui-edit-*

echo over > "$E2E_TMP/ed-mode"
wait_screen '│ second$' || fail "race's new data not shown"
e2e_keys e
wait_screen 'o: overwrite with yours' || fail "no conflict question (over)"
check "theirs: the first changed line" wait_screen 'line 1 is now "third"'
e2e_keys o
check "o overwrites, against the version it was shown" wait_screen 'saved /app/race \(version 2 -> 3\)'
check "the server has ours" [ "$("$ZKCTL" -s "$ZK_HOST" get /app/race)" = "$(printf 'mine\nsecond')" ]
check "no temp file is left behind (over)" [ -z "$(ls "$TMPDIR"/zktui-edit-* 2>/dev/null | head -1)" ]

echo reload > "$E2E_TMP/ed-mode"
wait_screen '│ mine$' || fail "race's data (mine) not shown"
e2e_keys e
wait_screen 'o: overwrite with yours' || fail "no conflict question (reload)"
e2e_keys r
check "r edits theirs, saved against their version" wait_screen 'saved /app/race \(version 4 -> 5\)'
check "the server has theirs as edited" [ "$("$ZKCTL" -s "$ZK_HOST" get /app/race)" = fifth ]

# i: one line, in place.
e2e_keys k k
wait_screen '│ /app/config$' || fail "config not selected (i)"
e2e_keys i
check "i asks on the bottom line, the data typed in" wait_screen '^ data: v2_$'
e2e_keys BSpace
e2e_type '3'
e2e_keys Enter
check "Enter saves it with the version read" wait_screen 'saved /app/config \(version 1 -> 2\)'
check "the server has it (i)" [ "$("$ZKCTL" -s "$ZK_HOST" get /app/config)" = v3 ]
wait_screen '│ v3$' || fail "config's new data not shown"
e2e_keys i
wait_screen '^ data: v3_$' || fail "no inline prompt (race)"
"$ZKCTL" -s "$ZK_HOST" set /app/config zz
e2e_type '4'
e2e_keys Enter
check "i, changed meanwhile: asked too" wait_screen '/app/config changed while you edited: version 2 -> 3'
e2e_keys r
check "r types theirs in" wait_screen '^ data: zz_$'
e2e_keys Escape
check "Esc: nothing changed" wait_screen 'nothing changed'
check "theirs stays" [ "$("$ZKCTL" -s "$ZK_HOST" get /app/config)" = zz ]
e2e_keys j
wait_screen '│ /app/multi$' || fail "multi not selected"
wait_screen '│ data +3 bytes' || fail "multi's data not shown"
e2e_keys i
check "i refuses more than one line" wait_screen '/app/multi holds more than one line: e edits it in your editor'
e2e_keys q
check "q quits" wait_exit 0
finish
