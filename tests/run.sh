#!/usr/bin/env bash
# The whole suite: unit tests, integration tests (real ZooKeeper) and
# end-to-end tests (zktui in tmux).
#
#   sh tests/run.sh [BUILD [ZKTUI [TEST...]]]
#
# BUILD (default build) holds the unit tests (BUILD/tests), the integration
# test binaries (BUILD/itests) and zkctl; ZKTUI (default ./zktui) is the
# binary under test. TEST... (script paths, or "unit") picks some of the
# suite. Exported to every test, made absolute: BUILD, ZKTUI, ZKCTL
# (default BUILD/zkctl).
#
# The tests run JOBS at a time (default 2), each with its own server and
# tmux; each one's output goes to BUILD/test-logs/ and is printed whole
# when it ends. TEST_TIMEOUT (seconds, default 600) bounds each one.
# Exits 1 if any failed.

# The job control below is bash's; `make` runs us with sh.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u

abs() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/${1#./}" ;; esac; }
BUILD=$(abs "${1:-build}")
ZKTUI=$(abs "${2:-./zktui}")
ZKCTL=$(abs "${ZKCTL:-$BUILD/zkctl}")
export BUILD ZKTUI ZKCTL
shift $(($# < 2 ? $# : 2))
picked=()
for t in "$@"; do
  if [ "$t" = unit ]; then picked+=(unit); else picked+=("$(abs "$t")"); fi
done

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# The C client's own leak at close (see the file); nothing of zktui's.
# print_suppressions=0: a leak suppressed there still wrote its "Suppressions
# used" table to the log file, which an e2e test counts as a report
# (test_walk failed so under ASan: 8957 allocations in libzookeeper_mt.so).
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
JOBS=${JOBS:-2}
TEST_TIMEOUT=${TEST_TIMEOUT:-600}
logs=$BUILD/test-logs
mkdir -p "$logs" && rm -f "$logs"/*.log

if [ ${#picked[@]} -gt 0 ]; then
  pending=("${picked[@]}")
else
  pending=(unit tests/integration/test_*.sh tests/e2e/test_*.sh)
fi
[ -x "$ZKTUI" ] || echo "# warning: no zktui at $ZKTUI" >&2
[ -x "$ZKCTL" ] || echo "# warning: no zkctl at $ZKCTL" >&2

now_ms() { local t; t=$(date +%s%N); echo $((t / 1000000)); }
t_suite=$(now_ms)
declare -A name_of=() start_of=() log_of=()
passed=0 failed=0 failures=()

n_started=0
start() {
  local t=$1 log
  n_started=$((n_started + 1))
  log=$(basename "${t%.sh}")
  [ "$t" = unit ] || log=$(basename "$(dirname "$t")")-$log
  log=$logs/$(printf '%02d' "$n_started")-$log.log
  # timeout puts the test in its own process group, so on its expiry the
  # TERM reaches the test's ZooKeeper too; the test's trap cleans up.
  if [ "$t" = unit ]; then
    timeout -k 10 "$TEST_TIMEOUT" sh tests/lib/run_unit.sh "$BUILD/tests" >"$log" 2>&1 </dev/null &
  else
    timeout -k 10 "$TEST_TIMEOUT" bash "$t" >"$log" 2>&1 </dev/null &
  fi
  name_of[$!]=$t start_of[$!]=$(now_ms) log_of[$!]=$log
}

# Prints the log of the job PID, which exited with RC, and counts it.
report() {
  local pid=$1 rc=$2 t=${name_of[$1]} ms verdict
  ms=$(($(now_ms) - ${start_of[$1]}))
  ms=$((ms / 1000)).$((ms % 1000 / 100))
  case $rc in
    0) verdict="passed" ;;
    124 | 137) verdict="FAILED: timed out after $TEST_TIMEOUT s" ;;
    *) verdict="FAILED (exit $rc)" ;;
  esac
  t=${t#"$top"/}
  echo "### $t"
  cat "${log_of[$pid]}"
  echo "### $t: $verdict in $ms s"
  echo
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$t")
  fi
  unset "name_of[$pid]" "start_of[$pid]" "log_of[$pid]"
}

# Ctrl-C or TERM: stop the running tests (each cleans up after itself),
# then say what ran.
interrupted=0
stop_all() {
  local pid
  interrupted=1
  pending=()
  for pid in "${!name_of[@]}"; do kill -TERM "$pid" 2>/dev/null; done
}
trap stop_all INT TERM HUP

while [ ${#pending[@]} -gt 0 ] || [ ${#name_of[@]} -gt 0 ]; do
  while [ ${#pending[@]} -gt 0 ] && [ ${#name_of[@]} -lt "$JOBS" ]; do
    start "${pending[0]}"
    pending=("${pending[@]:1}")
  done
  wait -n
  for pid in "${!name_of[@]}"; do
    # Gone means reaped by `wait -n`; `wait PID` then gives its status.
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"
      report "$pid" $?
    fi
  done
done

secs=$((($(now_ms) - t_suite) / 1000))
summary="$passed passed, $failed failed"
[ "$failed" -eq 0 ] || summary="$summary (${failures[*]})"
[ "$interrupted" -eq 0 ] || summary="$summary, interrupted"
echo "# suite: $summary in $secs s; logs in ${logs#"$top"/}"
[ "$failed" -eq 0 ] && [ "$interrupted" -eq 0 ]
