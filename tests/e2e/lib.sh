# Runs zktui in a private tmux server and reads its screen, as a person
# would. Source from bash after tests/lib/zk.sh. Every wait polls
# `capture-pane`; nothing sleeps for a fixed time.
#
#   e2e_start ARGS...         zktui ARGS in a new E2E_W x E2E_H (100x30) window
#   e2e_keys KEY...           one tmux key name each: j, Enter, C-c, Up, NPage ...
#   e2e_type TEXT             TEXT typed as it is (no key names)
#   e2e_screen                print the screen (trailing blanks trimmed)
#   wait_screen RE [S]        until a line matches the extended regex RE (S s, default 5)
#   wait_no_screen RE [S]     until no line does
#   wait_screen_seq STR...    until the fixed strings show in reading order
#                             (top to bottom, left to right); 5 s
#   wait_screen_line N RE [S] until line N (1-based) matches RE
#   e2e_selected              print the path the detail pane shows (the selection)
#   select_down PATH [N]      press j until PATH is selected (at most N times, 12),
#                             each j only once the one before has moved the cursor
#   wait_exit STATUS [S]      until zktui has exited with STATUS (128+N: by signal N)
#   e2e_resize W H            resize the window
#   e2e_stop                  end the session (and the tmux server)
#   check NAME CMD...         run CMD, print "ok N - NAME" or "not ok N - NAME"
#   fail MSG                  print "not ok N - MSG" and the screen, then finish
#   finish                    print the tally; exit 0 only if nothing failed
#                             (a sanitizer report from zktui counts as a failure)
#
# From the runner: ZKTUI (default ./zktui), ZKCTL (default $BUILD/zkctl),
# BUILD (default build), the defaults relative to the top of the repo and
# relative paths to the current dir, all made absolute. E2E_TMP is a
# temp dir removed at exit; HOME and XDG_* point into it.

if ! declare -F at_exit >/dev/null; then
  # shellcheck source=SCRIPTDIR/../lib/zk.sh
  . "$(dirname "${BASH_SOURCE[0]}")/../lib/zk.sh"
fi

_e2e_abs() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/${1#./}" ;; esac; }
_e2e_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(_e2e_abs "${BUILD:-$_e2e_top/build}")
ZKTUI=$(_e2e_abs "${ZKTUI:-$_e2e_top/zktui}")
ZKCTL=$(_e2e_abs "${ZKCTL:-$BUILD/zkctl}")
export BUILD ZKTUI ZKCTL

E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/zktui-e2e.XXXXXX") || exit 1
# shellcheck disable=SC2016  # expanded when it runs
at_exit 'rm -rf "$E2E_TMP"'
export E2E_TMP

# Hermetic: nothing from the user's own configuration, locale or terminal.
export HOME=$E2E_TMP/home XDG_CONFIG_HOME=$E2E_TMP/config
export XDG_STATE_HOME=$E2E_TMP/state XDG_CACHE_HOME=$E2E_TMP/cache
export ZKTUI_CONFIG='' LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
unset NO_COLOR COLORTERM TMUX TMUX_PANE ZKTUI_THEMES_DIR BASH_ENV ENV
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"

# Under ASan/UBSan (make test-asan) a report from zktui in tmux would go to
# the screen; into files instead, which finish shows and counts as a failure.
export ASAN_OPTIONS="log_path=$E2E_TMP/sanitizer${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="log_path=$E2E_TMP/sanitizer:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

E2E_SOCK=zkt-e2e-$$
E2E_W=100 E2E_H=30
_e2e_n=0 _e2e_failed=0

# remain-on-exit: the pane stays after zktui exits, so its status can be
# read. No status line: the pane is the whole window. TERM inside is what
# tmux sets from default-terminal.
if infocmp tmux-256color >/dev/null 2>&1; then _e2e_term=tmux-256color; else _e2e_term=screen; fi
cat > "$E2E_TMP/tmux.conf" <<CONF
set-option -g default-terminal $_e2e_term
set-option -g status off
set-option -g escape-time 0
set-option -gw remain-on-exit on
CONF
_e2e_tmux() { tmux -L "$E2E_SOCK" -f "$E2E_TMP/tmux.conf" "$@"; }
# tmux leaves its socket behind.
# shellcheck disable=SC2016  # expanded when it runs
at_exit 'e2e_stop; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$E2E_SOCK"'

# A fresh tmux server for each start, so it takes the environment as it
# is now. The pane runs bash, which runs zktui (not through a shell
# command line, so any argument passes as is) and writes its exit status
# to a file: tmux 3.3a sometimes loses #{pane_dead_status}. bash catches
# the signals (they are reset for zktui) so it outlives a zktui killed by
# one and records 128+N. window-size manual keeps the size given here
# with no client attached; it is set after the session exists, since
# tmux 3.3a's server dies when the config file sets it.
# Under load the previous server can still be dying when the new session
# is asked for ("server exited unexpectedly"): then it is asked again.
e2e_start() {
  local try
  for ((try = 0; try < 3; try++)); do
    e2e_stop
    rm -f "$E2E_TMP/exit_status"
    # shellcheck disable=SC2016  # for the pane's bash
    _e2e_tmux new-session -d -s zkt -x "$E2E_W" -y "$E2E_H" -c "$E2E_TMP" -- \
      "$BASH" -c 'f=$1; shift; trap : INT QUIT TERM HUP; "$@"; echo $? > "$f"' \
      zktui-pane "$E2E_TMP/exit_status" "$ZKTUI" "$@" \; set-option -g window-size manual &&
      _e2e_tmux has-session -t zkt 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

e2e_keys() {
  local k
  for k in "$@"; do _e2e_tmux send-keys -t zkt "$k" || return 1; done
}

e2e_type() { _e2e_tmux send-keys -t zkt -l "$1"; }

e2e_screen() { _e2e_tmux capture-pane -p -t zkt 2>/dev/null; }

e2e_resize() {
  _e2e_tmux resize-window -t zkt -x "$1" -y "$2"
}

# kill-server returns before the server has gone, and a client started
# meanwhile would talk to the dying server: wait until none answers. The
# pane's processes get a SIGHUP from tmux; whatever outlives it by 2 s is
# killed, so that no zktui survives the test.
e2e_stop() {
  local i pid
  pid=$(_e2e_pane '#{?pane_dead,,#{pane_pid}}')
  _e2e_tmux kill-server 2>/dev/null || return 0
  for ((i = 0; i < 250; i++)); do
    _e2e_tmux has-session 2>/dev/null || break
    sleep 0.02
  done
  [ -n "$pid" ] || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.02
  done
  # Still the pane's bash (named zktui-pane by e2e_start), not a new
  # process that was given its number?
  if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q zktui-pane; then
    pkill -KILL -P "$pid" 2>/dev/null
    kill -KILL "$pid" 2>/dev/null
  fi
  return 0
}

# Seconds, maybe with a fraction ("0.5"), as nanoseconds.
_e2e_ns() {
  local s=$1 int frac
  int=${s%%.*} frac=
  [ "$int" = "$s" ] || frac=${s#*.}
  frac=${frac}000000000
  echo $(( ${int:-0} * 1000000000 + 10#${frac:0:9} ))
}

_e2e_show_screen() { e2e_screen | sed 's/^/# | /'; }

# Polls PRED SCREEN (a function given the screen text) every 20 ms for
# SECS seconds; on timeout, says what it waited for and shows the screen.
_e2e_poll() {
  local secs=$1 what=$2 deadline s
  shift 2
  deadline=$(( $(date +%s%N) + $(_e2e_ns "$secs") ))
  while :; do
    s=$(e2e_screen; echo .)  # keep the blank lines at the bottom
    s=${s%.}
    "$@" "$s" && return 0
    [ "$(date +%s%N)" -ge "$deadline" ] && break
    sleep 0.02
  done
  { echo "# waited ${secs}s for $what; the screen:"; _e2e_show_screen; } >&2
  return 1
}

_e2e_has() { grep -qE -- "$1" <<< "${2%$'\n'}"; }
_e2e_has_not() { ! _e2e_has "$@"; }
wait_screen() { _e2e_poll "${2:-5}" "/$1/" _e2e_has "$1"; }
wait_no_screen() { _e2e_poll "${2:-5}" "no /$1/" _e2e_has_not "$1"; }

# True when the strings (all arguments but the last) occur in the screen
# (the last) in reading order, each after the end of the one before.
_e2e_seq() {
  local rest=${*: -1} str
  for str in "${@:1:$#-1}"; do
    [[ $rest == *"$str"* ]] || return 1
    rest=${rest#*"$str"}
  done
}
wait_screen_seq() {
  local what
  what=$(printf "'%s' " "$@")
  _e2e_poll 5 "${what% } in that order" _e2e_seq "$@"
}

_e2e_line() { sed -n "${1}p" <<< "${3%$'\n'}" | grep -qE -- "$2"; }
wait_screen_line() { _e2e_poll "${3:-5}" "line $1 /$2/" _e2e_line "$1" "$2"; }

# The detail pane's first line (the screen's second) is the selected path.
_e2e_sel_of() { sed -n '2{s/^.*│ //;s/ *$//;p;}' <<< "$1"; }
e2e_selected() { _e2e_sel_of "$(e2e_screen)"; }
_e2e_sel_not() { [ "$(_e2e_sel_of "$2")" != "$1" ]; }
# A j pressed before the screen shows the one before has moved the cursor
# can overshoot on a slow machine (a fixed wait per key did): one at a time.
select_down() {
  local want=$1 i now
  for ((i = 0; i < ${2:-12}; i++)); do
    now=$(e2e_selected)
    [ "$now" = "$want" ] && return 0
    e2e_keys j
    _e2e_poll 5 "the cursor to move from '$now' (to reach '$want')" _e2e_sel_not "$now" || return 1
  done
  [ "$(e2e_selected)" = "$want" ] || { echo "# '$want' not reached in ${2:-12} rows" >&2; return 1; }
}

_e2e_pane() { _e2e_tmux display-message -p -t zkt "$1" 2>/dev/null; }
# Prints zktui's exit status once it has exited (nothing before).
_e2e_exit_status() {
  [ "$(_e2e_pane '#{pane_dead}')" = 1 ] || return 0
  if [ -s "$E2E_TMP/exit_status" ]; then
    cat "$E2E_TMP/exit_status"
  else
    _e2e_pane '#{?pane_dead_status,#{pane_dead_status},unknown}'
  fi
}
wait_exit() {
  local deadline st
  deadline=$(( $(date +%s%N) + $(_e2e_ns "${2:-5}") ))
  while :; do
    st=$(_e2e_exit_status)
    [ "$st" = "$1" ] && return 0
    [ "$(date +%s%N)" -ge "$deadline" ] && break
    sleep 0.02
  done
  {
    if [ -n "$st" ]; then
      echo "# waited ${2:-5}s for zktui to exit with $1; it exited with $st"
    else
      echo "# waited ${2:-5}s for zktui to exit with $1; it has not exited"
    fi
    _e2e_show_screen
  } >&2
  return 1
}

check() {
  local name=$1
  shift
  _e2e_n=$((_e2e_n + 1))
  if "$@"; then
    echo "ok $_e2e_n - $name"
  else
    echo "not ok $_e2e_n - $name"
    _e2e_failed=$((_e2e_failed + 1))
  fi
}

fail() {
  _e2e_n=$((_e2e_n + 1)) _e2e_failed=$((_e2e_failed + 1))
  echo "not ok $_e2e_n - $*"
  _e2e_show_screen
  finish
}

# Prints the sanitizer reports, if any; false when there are none.
_e2e_sanitizer_reports() {
  local f found=1
  for f in "$E2E_TMP"/sanitizer.*; do
    [ -e "$f" ] || continue
    echo "# ${f##*/}:"
    sed 's/^/#   /' "$f"
    found=0
  done
  return $found
}

finish() {
  if _e2e_sanitizer_reports; then
    _e2e_n=$((_e2e_n + 1)) _e2e_failed=$((_e2e_failed + 1))
    echo "not ok $_e2e_n - no sanitizer reports"
    rm -f "$E2E_TMP"/sanitizer.*
  fi
  echo "1..$_e2e_n"
  echo "# $(basename "$0"): $((_e2e_n - _e2e_failed)) passed, $_e2e_failed failed"
  [ "$_e2e_failed" -eq 0 ] && exit 0
  exit 1
}
