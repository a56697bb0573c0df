#!/usr/bin/env bash
# Fault 6: hostile data. Names with spaces, wide, zero-width and combining
# characters and a bidi override (the server refuses control characters
# in names, not these; it refuses an emoji too: past U+FFFF, Java sees a
# surrogate pair, in its refused range); data with escape sequences (clear
# screen, colours, a window title), C1 and invalid UTF-8 bytes, NULs;
# 1,000,000 bytes of data; a node with 100,000 children whose child list
# is a 2.3 MB reply. Checked: the tree's rows stay aligned (the divider at
# the same column on every row, widths as wcwidth counts them), no escape
# reaches the terminal (the screen not cleared, the window title
# unchanged), the big data and the big list are shown, and the session
# never drops (no reconnect loop).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
FAULT="hostile names and data, 1 MB data, 100,000 children"

zk_start || exit 1
# kazoo is Debian's python3-kazoo: the system's python3, not another one
# first in PATH.
for py in python3 /usr/bin/python3; do "$py" -c 'import kazoo' 2> /dev/null && break; done
"$py" - "$ZK_HOST" <<'PY' || fail "cannot create the hostile nodes"
import sys
from kazoo.client import KazooClient
zk = KazooClient(hosts=sys.argv[1])
zk.start(timeout=15)
zk.create("/h", b"")
for name in ["with space", "two  spaces", "wide-\u65e5\u672c\u8a9e", "zw-a\u200bb\u200d",
             "comb-e\u0301e\u0301", "bidi-\u202eexe.txt", "plain"]:
    zk.create("/h/" + name, b"x")
zk.create("/h/data", b"\x1b]0;pwned\x07\x1b[2J\x1b[H\x1b[31mRED\x9b31m\xff\xfe\x00\x01 end")
zk.create("/h/text", "caf\u00e9 \u202edanger\u202c \x1b[5mblink".encode())
zk.create("/h/zbig", b"A" * 1000000)
zk.stop()
PY
"$BUILD/bench/seed" "$ZK_HOST" wide /h/many 100000 > /dev/null || fail "cannot seed /h/many"

E2E_H=40
trace=$E2E_TMP/trace.log
e2e_start -s "$ZK_HOST" --trace "$trace"
wait_screen '▸ h ' 15 || fail "no tree"
title0=$(_e2e_pane '#{pane_title}')
e2e_keys j l
wait_screen '· plain' 10 || fail "/h did not expand"

# Aligned: the divider at the same display column on every row.
aligned() {
  e2e_screen | python3 -c '
import sys, unicodedata
def w(ch):
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
cols = set()
for line in sys.stdin.read().split("\n")[1:30]:
    if "\u2502" in line:
        cols.add(sum(w(c) for c in line.split("\u2502", 1)[0]))
print("# divider columns:", sorted(cols))
sys.exit(0 if len(cols) == 1 else 1)'
}
matched=yes
seen "names aligned" "rows with wide, zero-width, combining and bidi names stay aligned" aligned || matched=no
ck "a name with spaces is shown as it is" wait_screen '· with space ' || matched=no
ck "wide characters drawn" wait_screen '· wide-日本語 ' || matched=no
ck "a bidi override is escaped" wait_screen 'bidi-\\u202eexe\.txt' || matched=no
ck "zero-width characters are visible as escapes" wait_screen 'zw-a\\u200bb\\u200d' || matched=no
ck "the tree matches the server (every name, escapes read back)" \
  wait_same 5 "children of /h" 'screen_kids h' 'server_kids /h' || matched=no

# The data with escapes: selected, as hex and as text.
e2e_keys g j l
sel() {  # NAME: select the row NAME under /h (j until the detail shows it)
  local i
  for ((i = 0; i < 20; i++)); do
    e2e_screen | grep -q "│ /h/$1\$" && return 0
    e2e_keys j
    sleep 0.05
  done
  return 1
}
sel data || fail "cannot select /h/data"
ck "escape bytes in data: a hex dump" wait_screen '│ 00000000  1b 5d 30 3b' || matched=no
e2e_keys v
ck "as text, escaped" wait_screen '\\e\]0;pwned\\x07\\e\[2J' || matched=no
ck "the screen was not cleared" wait_screen '▾ h ' || matched=no
sel text || fail "cannot select /h/text"
ck "a bidi override in data is escaped" wait_screen 'caf(é|\\u00e9) \\u202edanger' || matched=no
title_kept() { [ "$(_e2e_pane '#{pane_title}')" = "$title0" ]; }
seen "no escape injection" "the window title was not changed by the data" title_kept || matched=no

# 1,000,000 bytes.
t0=$(ms_now)
sel zbig || fail "cannot select /h/zbig"
seen "1 MB data shown" "1,000,000 bytes of data shown" wait_screen 'dataLength +1000000' 10 || matched=no
ck "its first line drawn" wait_screen '│ AAAAAAAAAA' 10 || matched=no
t_big=$(secs_since "$t0")
e2e_keys k
ck "and the keys still answer" wait_no_screen '│ /h/zbig$' 5 || matched=no

# 100,000 children.
e2e_keys g j l
t0=$(ms_now)
sel many || fail "cannot select /h/many"
e2e_keys l
# More than max_children (10,000): zktui asks before reading the list.
ck "the list is asked about first" \
  wait_screen '/h/many has 100,000 children \(about [0-9.]+ MB to read\): list them\? y/n' 10 ||
  matched=no
e2e_keys y
seen "100,000 children listed" "100,000 children listed" wait_screen '· worker-000000\.state' 60 || matched=no
t_many=$(secs_since "$t0")
ck "their count" wait_screen 'many +100000' 10 || matched=no
e2e_keys G
ck "G: the last child" wait_screen '· worker-099999\.state' 10 || matched=no
sleep 3
no_loop() {
  local n
  n=$(grep -c 'msg session .*state=\(connecting\|reconnecting\)' "$trace")
  echo "# session drops seen in the trace: $n"
  [ "$n" = 0 ] && status_line | grep -q '^ connected '
}
seen "no reconnect loop" "the session never dropped" no_loop || matched=no

fault_row "$FAULT" "$SHOWN" "- (1 MB shown in $t_big s, 100,000 children in $t_many s)" "$matched"
e2e_keys q
ck "q quits" wait_exit 0
finish
