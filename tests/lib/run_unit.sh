#!/bin/sh
# Runs the unit tests (cmocka binaries) one after another.
#
#   sh tests/lib/run_unit.sh [DIR]        every executable DIR/test_* (default build/tests)
#   sh tests/lib/run_unit.sh BIN...       the binaries named (as `make unit` does)
#
# Prints each one's name and output and a tally; exits 1 if any failed.
set -u

if [ $# -eq 0 ]; then
  set -- build/tests
fi
if [ $# -eq 1 ] && [ -d "$1" ]; then
  dir=$1
  shift
  for t in "$dir"/test_*; do
    case $t in *.o | *.d) continue ;; esac
    [ -f "$t" ] && [ -x "$t" ] && set -- "$@" "$t"
  done
  if [ $# -eq 0 ]; then
    echo "run_unit: no test_* binaries in $dir" >&2
    exit 1
  fi
fi

passed=0 failed=0 failures=''
for t in "$@"; do
  name=$(basename "$t")
  echo "# $name"
  case $t in */*) ;; *) t=./$t ;; esac
  "$t"
  rc=$?
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
  else
    echo "not ok - $name exited with $rc"
    failed=$((failed + 1))
    failures="$failures $name"
  fi
done

echo "# unit: $passed passed, $failed failed${failures:+ (${failures# })}"
[ "$failed" -eq 0 ]
