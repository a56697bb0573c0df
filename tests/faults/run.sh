#!/usr/bin/env bash
# The fault suite (make faults): each fault against real ZooKeeper servers,
# zktui driven in tmux, one script at a time; then a table of what zktui
# showed, how long it took to recover and whether its state matched the
# server's afterwards.
#
#   bash tests/faults/run.sh [NAME...]     NAME: expiry restart failover
#                                           storm hostile signals watches (default all)
#
# Each script's output goes to BUILD/fault-logs/NAME.log and is printed
# whole when it ends. After a full run the table is written to
# docs/FAULTS.md (a partial run only prints it). STORM_SECONDS (default 60)
# is the storm's length; FAULT_TIMEOUT (s, default 300) bounds each script.
# Exits 1 if any check failed.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
abs() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/${1#./}" ;; esac; }
BUILD=$(abs "${BUILD:-build}")
ZKTUI=$(abs "${ZKTUI:-./zktui}")
ZKCTL=$(abs "${ZKCTL:-$BUILD/zkctl}")
export BUILD ZKTUI ZKCTL
all=(expiry restart failover storm hostile signals watches)
picked=("$@")
[ ${#picked[@]} -gt 0 ] || picked=("${all[@]}")

logs=$BUILD/fault-logs
mkdir -p "$logs"
FAULTS_ROWS=$logs/rows.tsv
export FAULTS_ROWS
: > "$FAULTS_ROWS"

load() { cut -d' ' -f1-3 /proc/loadavg; }
load_before=$(load)
t0=$(date +%s)
passed=0 failed=0 failures=()
for name in "${picked[@]}"; do
  script=tests/faults/fault_$name.sh
  if [ ! -f "$script" ]; then
    echo "no such fault: $name (one of: ${all[*]})" >&2
    exit 2
  fi
  log=$logs/$name.log
  s=$(date +%s)
  timeout -k 10 "${FAULT_TIMEOUT:-300}" bash "$script" > "$log" 2>&1 < /dev/null
  rc=$?
  echo "### $script"
  cat "$log"
  if [ "$rc" = 0 ]; then
    passed=$((passed + 1))
    echo "### $script: passed in $(($(date +%s) - s)) s"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "### $script: FAILED (exit $rc) in $(($(date +%s) - s)) s"
    # A script that died before its row still gets one.
    grep -q "^# ROW | " "$log" || printf '%s\t%s\t%s\t%s\n' "$name" "(the script failed before its row: see $name.log)" "-" "no" >> "$FAULTS_ROWS"
  fi
  echo
done
secs=$(($(date +%s) - t0))
load_after=$(load)

table() {
  echo "| fault | what zktui showed | time to recover (s) | state matched |"
  echo "| --- | --- | --- | --- |"
  while IFS=$'\t' read -r f shown rec matched; do
    printf '| %s | %s | %s | %s |\n' "$f" "${shown//|/\\|}" "$rec" "$matched"
  done < "$FAULTS_ROWS"
}

echo "# faults: $passed passed, $failed failed${failures:+ (${failures[*]})} in $secs s; load average $load_before before, $load_after after"
table
if [ ${#picked[@]} -eq ${#all[@]} ]; then
  zkv=$(dpkg-query -W -f '${Version}' zookeeper 2>/dev/null || echo '?')
  {
    echo "# Faults"
    echo
    echo "Written by \`make faults\` (tests/faults/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'):"
    echo "$(nproc) cores, load average $load_before before the run and $load_after after"
    echo "(1, 5 and 15 minutes; the machine is shared), ZooKeeper $zkv, the whole suite in"
    echo "$secs s, $passed of ${#picked[@]} scripts passing every check."
    echo "Each fault is one script in tests/faults/, whose header says how the"
    echo "fault is made and what is checked; its log is in build/fault-logs/."
    echo
    table
    echo
    echo "Time to recover: from the end of the fault (the line back, the server"
    echo "or member up again, the storm over) to the screen matching the server,"
    echo "as a person would see it (tmux capture-pane polled every 20 ms, each"
    echo "look itself 20-100 ms on this machine); \"connected\" is when the status"
    echo "bar said so. State matched: what zktui shows (tree rows, data, registry"
    echo "members, lock queues) compared with the server (zkctl, and a fresh"
    echo "\`zktui --dump\` / \`--locks --json\`) after the fault."
    if [ -s "$logs/storm.figures" ]; then
      echo
      echo "## The storm's figures"
      echo
      cat "$logs/storm.figures"
    fi
  } > docs/FAULTS.md
  echo "# written to docs/FAULTS.md"
fi
[ "$failed" -eq 0 ]
