#!/usr/bin/env bash
# J jumps to a typed path: Tab completes a child's name (the common prefix,
# then the list when it is ambiguous), from the store or from a read that
# leaves no watch; Enter opens the tree down to a node never expanded and
# selects it; a missing path says where it stops; a bad one is refused.
# y and Y copy the path and the text data with OSC 52, which tmux (with
# set-clipboard on) keeps as a paste buffer.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
# /far/a/b/c is deeper than the lists zktui reads at start-up (depth 3):
# its children are in no store until someone asks.
"$ZKCTL" -s "$ZK_HOST" batch >/dev/null <<'EOF2'
create /app ""
create /app/beta ""
create /app/caf\xc3\xa9 ""
create /app/caf\xc3\xa8s ""
create /far ""
create /far/a ""
create /far/a/b ""
create /far/a/b/c ""
create /far/a/b/c/alpha ""
create /far/a/b/c/alpine ""
create /far/a/b/c/beta ""
create /far/a/b/c/alpha/deep ""
create /far/a/b/c/alpha/deep/er "deep data"
create /far/a/b/c/alpha/deep/bin \x00\x01\xffBIN
create /servers ""
create /servers/web1 port=8080
EOF2
"$ZKCTL" -s "$ZK_HOST" create /app/big "$(head -c 70000 /dev/zero | tr '\0' x)" >/dev/null
"$ZKCTL" -s "$ZK_HOST" create /app/beta/text "$(head -c 60000 /dev/zero | tr '\0' y)" >/dev/null

# The test's own tmux server keeps what OSC 52 sets as a paste buffer.
echo 'set-option -g set-clipboard on' >> "$E2E_TMP/tmux.conf"
# The newest paste buffer, or nothing.
clipboard() { _e2e_tmux show-buffer 2>/dev/null; }
clipboard_is() {
  local i
  for ((i = 0; i < 250; i++)); do
    [ "$(clipboard)" = "$1" ] && return 0
    sleep 0.02
  done
  echo "# clipboard: '$(clipboard | head -c 200)', wanted '${1:0:200}'"
  return 1
}
watches() { e2e_screen | grep -oE 'watches [0-9]+' | tail -1; }
# The status bar's count once start-up has settled: the lists read first
# arm their watches in later frames (/servers's can come after "far 1"),
# so wait until it equals the server's (mntr) and stays for a moment.
settled_watches() {
  local i now last='' server
  for ((i = 0; i < 50; i++)); do
    now=$(watches)
    server=$(zk_4lw mntr | awk '$1 == "zk_watch_count" {print $2}')
    if [ -n "$now" ] && [ "$now" = "watches $server" ] && [ "$now" = "$last" ]; then
      echo "$now"
      return 0
    fi
    last=$now
    sleep 0.2
  done
  echo "# the watch count did not settle: '$now', the server's $server" >&2
  return 1
}

e2e_start -s "$ZK_HOST"
wait_screen '▸ far +1' 10 || fail "tree did not load"
wait_screen 'watches [0-9]' || fail "no watch count"
before=$(settled_watches) || fail "the watch count did not settle"

e2e_keys J
check "J asks for a path, prefilled with the selection" wait_screen '^ jump to: /_$'
check "the keys are said" wait_screen 'Tab: complete a child'
e2e_type 'fa'
e2e_keys Tab
check "Tab completes a unique name from the store, and a / after it" \
  wait_screen '^ jump to: /far/_$'
e2e_type 'a/b/c/a'
e2e_keys Tab
check "children in no store are read: the common prefix of two" \
  wait_screen '^ jump to: /far/a/b/c/alp_$'
check "how many match" wait_screen '2 matches   Tab: list them'
e2e_keys Tab
check "a second Tab lists them" wait_screen '2 matches: alpha  alpine'
e2e_type 'h'
e2e_keys Tab
check "one match: its whole name and a /" wait_screen '^ jump to: /far/a/b/c/alpha/_$'
e2e_keys Tab
check "Tab goes on into it" wait_screen '^ jump to: /far/a/b/c/alpha/deep/_$'
e2e_keys Tab
check "nothing in common: the list at once" wait_screen '2 matches: bin  er'
e2e_type 'x'
e2e_keys Tab
check "no match is said" wait_screen 'no child of /far/a/b/c/alpha/deep starts with x'
e2e_keys BSpace
e2e_type 'e'
e2e_keys Tab
check "completed" wait_screen '^ jump to: /far/a/b/c/alpha/deep/er/_$'
e2e_keys Tab
check "a leaf has no children" wait_screen '/far/a/b/c/alpha/deep/er has no children'
e2e_keys Escape
wait_no_screen 'jump to:' || fail "Esc did not cancel"
check "completing left no watch and opened nothing" \
  eval '[ "$(watches)" = "$before" ] && e2e_screen | grep -q "▸ far"'
e2e_keys J C-u
e2e_type '/far/a/b/c/alpha/deep/er/'
e2e_keys Enter
check "Enter selects a node never expanded" wait_screen '│ /far/a/b/c/alpha/deep/er$'
check "its data shows" wait_screen '│ deep data$'
check "every ancestor is open" wait_screen_seq '▾ far' '▾ a' '▾ b' '▾ c' '▾ alpha' '▾ deep' 'bin' 'er'
check "the prompt is gone" wait_no_screen 'jump to:'

e2e_keys J
check "the prefill is the selection and /" wait_screen '^ jump to: /far/a/b/c/alpha/deep/er/_$'
e2e_keys C-w C-w
check "^W erases a segment at a time" wait_screen '^ jump to: /far/a/b/c/alpha/_$'
e2e_keys C-u
check "^U erases all" wait_screen '^ jump to: _$'
e2e_type '/app/c'
e2e_keys Tab
check "UTF-8 names: the common prefix stops before é and è" wait_screen '^ jump to: /app/caf_$'
e2e_keys Tab
check "and both are listed, in byte order" wait_screen '2 matches: cafès  café'
e2e_type 'é'
e2e_keys Tab
check "one of them" wait_screen '^ jump to: /app/café/_$'
e2e_keys Enter
check "a / at the end is the node itself" wait_screen '│ /app/café$'

e2e_keys J C-u
e2e_type '/far/a/b/c/alpha/nope/deeper'
e2e_keys Enter
check "a missing path says where it stops" wait_screen '/far/a/b/c/alpha has no child nope'
check "the cursor is on the nearest node that exists" wait_screen '│ /far/a/b/c/alpha$'
e2e_keys J C-u
e2e_type '/nowhere'
e2e_keys Enter
check "under the root too" wait_screen '/ has no child nowhere'
check "the root selected" wait_screen '│ /$'

e2e_keys J C-u
e2e_type '/app//x'
e2e_keys Enter
check "a bad path is refused" wait_screen 'not a valid path: a path must not have empty segments'
check "and the prompt stays" wait_screen '^ jump to: /app//x_$'
e2e_keys Tab
check "Tab refuses it too" wait_screen 'not a valid path: a path must not have empty segments'
e2e_keys BSpace BSpace
check "erased back" wait_screen '^ jump to: /app/_$'
e2e_keys Escape
check "Esc cancels" wait_screen 'nothing changed'
check "the prompt is gone" wait_no_screen 'jump to:'

e2e_keys 5
wait_screen 'Events \(' || fail "no event log screen"
e2e_keys J C-u
e2e_type '/app/beta'
e2e_keys Enter
check "J from another screen shows the tree" wait_screen '│ /app/beta$'

e2e_keys y
check "y says what it copied and what the terminal must allow" \
  wait_screen 'copied the path /app/beta to the clipboard \(OSC 52: tmux needs set -g'
check "y: the path is on the clipboard" clipboard_is /app/beta
check "the screen is whole after it" wait_screen_seq '▾ app' 'beta' 'big' 'café'

# Y takes the data as read: wait for it each time.
wait_screen '│ data +0 bytes' || fail "beta's data not read"
e2e_keys Y
check "Y on a node with no data" wait_screen '/app/beta has no data: nothing copied'
e2e_keys l j
wait_screen '│ data +60000 bytes' || fail "text not read"
e2e_keys Y
check "Y copies text data" wait_screen 'copied the data of /app/beta/text \(60000 bytes\)'
check "all 60000 bytes of it" clipboard_is "$(head -c 60000 /dev/zero | tr '\0' y)"

e2e_keys J C-u
e2e_type '/app/big'
e2e_keys Enter
wait_screen '│ data +70000 bytes' || fail "big not read"
e2e_keys Y
check "Y refuses over 64 KB" wait_screen '/app/big holds 70000 bytes: Y copies at most 64 KB'

e2e_keys J C-u
e2e_type '/far/a/b/c/alpha/deep/bin'
e2e_keys Enter
wait_screen '│ data +6 bytes' || fail "bin not read"
e2e_keys Y
check "Y refuses binary data" wait_screen 'holds binary data \(6 bytes\): Y copies text only'
check "the clipboard is unchanged" clipboard_is "$(head -c 60000 /dev/zero | tr '\0' y)"
e2e_keys J C-u
e2e_type '/far/a/b/c/alpha/deep/er'
e2e_keys Enter
wait_screen '│ deep data$' || fail "er not read"
e2e_keys Y
check "Y copies short text" clipboard_is 'deep data'

e2e_keys 3
wait_screen 'web1 .*port=8080' || fail "no registry member with its data"
# The cursor's line shows only as a colour: J's prefill says it is on web1.
e2e_keys j J
check "J there starts from the member under the cursor" \
  wait_screen '^ jump to: /servers/web1/_$'
e2e_keys Escape
wait_no_screen 'jump to:' || fail "Esc did not cancel"
e2e_keys y
check "y in the registries copies the member under the cursor" clipboard_is /servers/web1
e2e_keys Y
check "Y too: its data" clipboard_is port=8080
e2e_keys J
wait_screen '^ jump to: /servers/web1/_$' || fail "no prefill"
e2e_keys Enter
check "and Enter shows it in the tree" wait_screen '│ /servers/web1$'

# A filter hiding the rest (/ web, Tab: hide): a jump out of it clears it.
e2e_keys /
e2e_type 'web'
e2e_keys Tab Enter
wait_screen 'filter kept' || fail "no filter"
wait_no_screen '· beta' || fail "the filter hides nothing"
e2e_keys J C-u
e2e_type '/app/beta/text'
e2e_keys Enter
check "a jump to a node the filter hides clears it" \
  wait_screen 'the filter was cleared to show /app/beta/text'
check "and selects it" wait_screen '│ /app/beta/text$'
e2e_keys 4 y
check "y elsewhere says where it works" wait_screen 'y copies from the tree, the locks, the registries or the sessions'

e2e_keys q
check "q quits" wait_exit 0
finish
