#!/usr/bin/env bash
# Fault 7: signals. SIGINT, SIGTERM and SIGHUP (sent to zktui's pid, as a
# kill or a closed terminal would) restore the terminal and close the
# session cleanly; SIGWINCH redraws at the new size; a crash (SIGSEGV and
# SIGABRT sent by kill, the same handler a real fault runs) still gives the
# terminal back.
#
# Terminal restored: the tty's modes (stty -g) after zktui are those before
# it, and tmux says the alternate screen, mouse reporting and keypad
# (application cursor keys) mode are off and the cursor visible.
# Session closed cleanly: zktui creates an ephemeral node (c) in a 30 s
# session; a clean close deletes it at once, a mere disconnect would leave
# it 30 s.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
FAULT="signals"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" create /app "" > /dev/null

# zktui under a shell that notes the tty's modes around it and its pid.
real=$ZKTUI
cat > "$E2E_TMP/wrap" <<SH
#!/usr/bin/env bash
stty -g > "$E2E_TMP/stty.before"
echo \$\$ > "$E2E_TMP/wrap.pid"
$(printf '%q' "$real") "\$@"
rc=\$?
stty -g > "$E2E_TMP/stty.after"
# Seen on screen, this line says tmux has taken in all zktui wrote; the
# test reads the pane's modes, then lets this shell go.
echo "zktui-exited \$rc"
for i in \$(seq 100); do [ -e "$E2E_TMP/go" ] && break; sleep 0.05; done
exit \$rc
SH
chmod +x "$E2E_TMP/wrap"
ZKTUI=$E2E_TMP/wrap

zktui_pid() { pgrep -P "$(cat "$E2E_TMP/wrap.pid")" | head -1; }

tty_restored() {
  local f v bad=0
  wait_screen '^zktui-exited' 5 || return 1
  cmp -s "$E2E_TMP/stty.before" "$E2E_TMP/stty.after" || { echo "# stty -g differs"; bad=1; }
  for f in alternate_on:0 cursor_flag:1 mouse_any_flag:0 keypad_cursor_flag:0 keypad_flag:0; do
    v=$(_e2e_pane "#{${f%:*}}")
    [ "$v" = "${f#*:}" ] || { echo "# ${f%:*} is '$v' after zktui"; bad=1; }
  done
  touch "$E2E_TMP/go"
  return $bad
}

node_gone() {  # PATH SECS
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    "$ZKCTL" -s "$ZK_HOST" exists "$1" > /dev/null 2>&1 || return 0
    sleep 0.1
  done
  return 1
}

# start NAME: zktui, connected, with an ephemeral /NAME it created.
start() {
  rm -f "$E2E_TMP/stty.after" "$E2E_TMP/go"
  e2e_start -s "$ZK_HOST" --session-timeout 30000
  wait_screen ' connected +127' 15 || fail "no session"
  e2e_keys c
  e2e_type "/$1"
  e2e_keys Enter e Enter
  wait_screen "created /$1" 10 || fail "/$1 not created"
}

matched=yes
for sig in INT TERM HUP; do
  start "mine-$sig"
  kill "-$sig" "$(zktui_pid)"
  t0=$(ms_now)
  ck "SIG$sig: the session closed at once (its ephemeral gone within 2 s)" node_gone "/mine-$sig" 2 || matched=no
  echo "# SIG$sig: ephemeral gone $(secs_since "$t0") s after the signal"
  seen "SIG$sig: terminal restored, session closed" "SIG$sig: the terminal is restored" tty_restored || matched=no
  ck "SIG$sig: zktui exited with 0" wait_exit 0 5 || matched=no
done

start winch
e2e_resize 80 24
seen "SIGWINCH: redrawn" "SIGWINCH: redrawn at 80x24, the status bar on line 24" \
  wait_screen_line 24 ' connected ' 5 || matched=no
e2e_keys q
tty_restored > /dev/null
wait_exit 0 || fail "q did not quit"
E2E_W=100

for sig in SEGV ABRT; do
  start "crash-$sig"
  kill "-$sig" "$(zktui_pid)"
  n=$(kill -l "$sig")
  seen "SIG$sig (crash): terminal restored" "SIG$sig: the terminal is restored all the same" tty_restored || matched=no
  ck "SIG$sig: zktui died of it" wait_exit $((128 + n)) 10
done

fault_row "$FAULT" "$SHOWN" "-" "$matched"
finish
