# What every fault script shares. Source from bash; it sources
# tests/lib/zk.sh and tests/e2e/lib.sh (tmux, checks, clean-up).
#
#   fault_row FAULT SHOWN RECOVER MATCHED
#                       one row of the table: what zktui showed, the time to
#                       recover in seconds ("-" when nothing had to
#                       recover), state matched afterwards (yes/no); appended
#                       to $FAULTS_ROWS (tab-separated) and printed
#   ms_now              CLOCK_REALTIME in ms
#   secs_since MS       seconds since MS, one decimal
#   screen_kids NAME    names of the rows right under the expanded row NAME
#                       in the tree on screen, one a line, sorted (\uXXXX
#                       escapes made characters again)
#   server_kids PATH    the same from the server (zkctl ls), sorted
#   ck NAME CMD...      check NAME CMD... (tests/e2e/lib.sh), and true only
#                       when it passed
#   seen WHAT NAME CMD...
#                       ck NAME CMD..., and add WHAT (or "not WHAT") to
#                       $SHOWN, the row's "what zktui showed"
#   status_line         the status bar (the last line)
#   same WHAT A B       true when the texts A and B are equal; otherwise says
#                       what differs (a unified diff as # comments)
#   wait_same S WHAT CMD_A CMD_B
#                       until the outputs of CMD_A and CMD_B are equal (S s)
#   fault_tree [LINE...]
#                       start the server and make /app, /app/a (data v1),
#                       /servers and /locks/job, then the zkctl batch LINEs
#   fault_open LAST MEMBER ARGS...
#                       zktui, 50 rows, started with ARGS (fds 7-9 closed),
#                       connected; /app expanded down to its child LAST,
#                       /app/a's data (v1) shown, the lock /locks/job with
#                       waiter 0000000001, the registry with MEMBER; back on
#                       the tree, with SESSION1 the status bar's
#                       "session 0x..."
#
# FAULTS_ROWS: where rows go (run.sh sets it; default a file in E2E_TMP).

_faults_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../lib/zk.sh
. "$_faults_here/../lib/zk.sh"
# shellcheck source=SCRIPTDIR/../e2e/lib.sh
. "$_faults_here/../e2e/lib.sh"

FAULTS_ROWS=${FAULTS_ROWS:-$E2E_TMP/rows.tsv}
FAULTS_BUILD=$BUILD

ms_now() { local t; t=$(date +%s%N); echo $((t / 1000000)); }
secs_since() {
  local d=$(($(ms_now) - $1))
  printf '%d.%d\n' $((d / 1000)) $((d % 1000 / 100))
}

fault_row() {
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$FAULTS_ROWS"
  echo "# ROW | $1 | $2 | $3 | $4"
}

ck() {
  local before=$_e2e_failed
  check "$@"
  [ "$_e2e_failed" = "$before" ]
}

SHOWN=
seen() {
  local what=$1
  shift
  if ck "$@"; then
    SHOWN+="${SHOWN:+; }$what"
    return 0
  fi
  SHOWN+="${SHOWN:+; }NOT $what"
  return 1
}

status_line() { e2e_screen | sed -n "${E2E_H}p"; }

# The tree pane is left of the first "│"; a row is indent, a marker
# (▸ ▾ ·), the name, then the flags and count at the right.
screen_kids() {
  e2e_screen | python3 -c '
import sys, re
name = sys.argv[1]
rows = []
for line in sys.stdin.read().split("\n"):
    left = line.split("\u2502", 1)[0]
    m = re.match(r"^( *)([\u25b8\u25be\u00b7]) (.+?) +(?:[ES]+ +)?(\d+|\?|no access)$", left.rstrip())
    if m:
        # What zktui escaped (\u202e, \u200b...), as the character again.
        nm = re.sub(r"\\u([0-9a-f]{4})", lambda u: chr(int(u.group(1), 16)), m.group(3))
        rows.append((len(m.group(1)), m.group(2), nm))
out, depth = [], None
for ind, mark, nm in rows:
    if depth is None:
        if mark == "\u25be" and nm == name:
            depth = ind
        continue
    if ind <= depth:
        break
    if ind == depth + 2:
        out.append(nm)
print("\n".join(sorted(out)))
' "$1"
}

server_kids() { "$ZKCTL" -s "$ZK_HOST" ls "$1" | sed 's#.*/##' | sort; }

same() {
  if [ "$2" = "$3" ]; then return 0; fi
  echo "# $1 differs (screen -, server +):"
  diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$3") | tail -n +3 | head -n 20 | sed 's/^/#   /'
  return 1
}

wait_same() {
  local secs=$1 what=$2 a b deadline
  deadline=$(( $(date +%s%N) + $(_e2e_ns "$secs") ))
  while :; do
    a=$(eval "$3") b=$(eval "$4")
    [ "$a" = "$b" ] && return 0
    [ "$(date +%s%N)" -ge "$deadline" ] && break
    sleep 0.1
  done
  same "$what" "$a" "$b"
}

fault_tree() {
  zk_start || exit 1
  printf '%s\n' 'create /app ""' 'create /app/a v1' 'create /servers ""' 'create /locks ""' \
    'create /locks/job ""' "$@" | "$ZKCTL" -s "$ZK_HOST" batch > /dev/null
}

fault_open() {
  local last=$1 member=$2
  shift 2
  E2E_H=50
  # The fifos a script feeds its other clients through stay out of tmux.
  e2e_start "$@" 7>&- 8>&- 9>&-
  wait_screen ' connected +127' 15 || fail "no session"
  # Connected comes before the root's list: a j before it moves nothing.
  wait_screen '▸ app ' 10 || fail "no /app in the tree"
  e2e_keys j l
  wait_screen "· $last " 10 || fail "app did not expand"
  e2e_keys j
  wait_screen '│ v1$' 10 || fail "/app/a not shown"
  wait_screen 'waits 0000000001' 10 || fail "the lock is not shown"
  e2e_keys S
  wait_screen "^  $member  0x" 10 || fail "the registry is not shown"
  e2e_keys 1
  SESSION1=$(status_line | grep -oE 'session 0x[0-9a-f]+' | head -1)
}
