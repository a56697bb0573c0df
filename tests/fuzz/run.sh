#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD (default build-fuzz): first on its
# regression inputs (tests/fuzz/regress/NAME/, inputs that once crashed it),
# then for FUZZ_SECONDS (default 20) from its seed corpus
# (tests/fuzz/corpus/NAME/, copied: what the fuzzer learns stays out of the
# tree). A crash fails the run and says where its input is: add it to
# regress/NAME/ with the fix.
set -u
shopt -s nullglob
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-build-fuzz}
secs=${FUZZ_SECONDS:-20}
out=$BUILD/fuzz-out
rm -rf "$out" && mkdir -p "$out" || exit 1
status=0
for bin in "$BUILD"/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  name=${name#fuzz_}
  inputs=("$here/regress/$name"/*)
  if [ ${#inputs[@]} -gt 0 ]; then
    if ! "$bin" "${inputs[@]}" > "$out/$name-regress.log" 2>&1; then
      echo "not ok - fuzz_$name: a regression input crashes it again"
      tail -40 "$out/$name-regress.log" | sed 's/^/# /'
      status=1
      continue
    fi
  fi
  mkdir -p "$out/corpus-$name"
  [ -d "$here/corpus/$name" ] && cp "$here/corpus/$name"/* "$out/corpus-$name"/ 2>/dev/null
  if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
      -artifact_prefix="$out/$name-" "$out/corpus-$name" > "$out/$name.log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$name.log" | grep -o '[0-9]*$')
    echo "ok - fuzz_$name: ${runs:-?} inputs in ${secs}s, no crash"
  else
    echo "not ok - fuzz_$name: crashed; the input is in $(ls "$out/$name"-* 2>/dev/null | head -1)"
    grep -A30 'ERROR:\|SUMMARY' "$out/$name.log" | head -40 | sed 's/^/# /'
    status=1
  fi
done
[ "$status" = 0 ] && echo "# fuzz: no crash" || echo "# fuzz: FAILED"
exit $status
