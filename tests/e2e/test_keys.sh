#!/usr/bin/env bash
# Rebinding keys by action name in the configuration, and ? showing the
# keymap in force; probe_interval: off; the configuration's warnings and
# errors as the binary prints them (a theme it cannot find among them, in
# every mode).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /app ""
create /beta ""
EOF2
cat > "$E2E_TMP/config.yaml" <<'EOF2'
keys:
  quit: x
  down: [n, Down]
EOF2

e2e_start --config "$E2E_TMP/config.yaml" -s "$ZK_HOST"
wait_screen '· beta' 10 || fail "tree did not load"
e2e_keys n
check "a rebound key works" wait_screen '│ /app$'
e2e_keys q j
check "the keys it replaced do nothing now" wait_screen '│ /app$'
e2e_keys '?'
check "? shows the keymap in force" wait_screen '^ x +quit +quit$'
check "with each action's keys" wait_screen '^ n, Down +down +move down'
check "and the defaults of the others" wait_screen '^ d +delete +delete the node'
e2e_keys Escape
check "Esc goes back" wait_screen '│ /app$'
e2e_keys x
check "the new quit key quits" wait_exit 0

# probe_interval: off: no srvr, and the ensemble view says why.
printf 'probe_interval: off\n' > "$E2E_TMP/off.yaml"
e2e_start --config "$E2E_TMP/off.yaml" -s "$ZK_HOST"
wait_screen '· beta' 10 || fail "tree did not load"
e2e_keys 4
check "probe_interval: off: the ensemble view says they are not asked" \
  wait_screen 'Ensemble +1 member, not asked \(probe_interval: off\)'
check "its member is not asked, rather than 'asking...'" \
  wait_screen "127\\.0\\.0\\.1:[0-9]+ +unknown +not asked \\(probe_interval: off\\)"
sleep 2.5 # a probe would have answered by now
check "and stays so" wait_screen 'not asked \(probe_interval: off\)'
e2e_keys 5
check "the log says probes are off" wait_screen 'ensemble probes off \(probe_interval: off\)'
e2e_keys q
wait_exit 0 || true

printf 'keys:\n  quit: Dwn\n' > "$E2E_TMP/bad.yaml"
"$ZKTUI" --config "$E2E_TMP/bad.yaml" --dump > "$E2E_TMP/out" 2>&1
check "a key name it does not know: exit 2" [ $? -eq 2 ]
check "saying where and what" grep -q "bad.yaml:2:9: keys: quit: no key 'Dwn'" "$E2E_TMP/out"

# Unknown keys: a warning each, naming the file and line; zktui goes on.
printf 'colour: red\nkeys:\n  quit: x\nclusters:\n  a:\n    server: %s\n    shade: 3\n' \
  "$ZK_HOST" > "$E2E_TMP/warn.yaml"
"$ZKTUI" --config "$E2E_TMP/warn.yaml" --dump /app > "$E2E_TMP/out" 2> "$E2E_TMP/err"
check "unknown keys: zktui goes on" [ $? -eq 0 ]
check "a warning for each, with its file and line" \
  grep -qx "zktui: $E2E_TMP/warn.yaml:1:1: unknown key 'colour'" "$E2E_TMP/err"
check "one in a cluster too, a line of its own" \
  grep -qx "zktui: $E2E_TMP/warn.yaml:7:5: unknown key 'shade'" "$E2E_TMP/err"
# Malformed YAML: FILE:LINE:COL, exit 2, before any terminal is touched.
printf 'keys:\n  quit: [x\n' > "$E2E_TMP/broken.yaml"
"$ZKTUI" --config "$E2E_TMP/broken.yaml" > "$E2E_TMP/out" 2>&1
check "malformed YAML: exit 2" [ $? -eq 2 ]
check "saying file, line and column" grep -qE "^zktui: $E2E_TMP/broken.yaml:3:1: " "$E2E_TMP/out"

# A theme it cannot find: an error at its line, exit 2, in the batch modes
# too (the file is wrong, whatever the mode), with no terminal touched.
themes='(default, light, high-contrast, mono, or a file)'
printf 'server: %s\ntheme: nosuch\n' "$ZK_HOST" > "$E2E_TMP/theme.yaml"
"$ZKTUI" --config "$E2E_TMP/theme.yaml" --dump /app > "$E2E_TMP/out" 2>&1
check "an unknown theme in the file: --dump exits 2" [ $? -eq 2 ]
check "saying file, line, column, key and value" grep -qxF \
  "zktui: $E2E_TMP/theme.yaml:2:8: theme: no such theme 'nosuch' $themes" "$E2E_TMP/out"
"$ZKTUI" --config "$E2E_TMP/theme.yaml" --theme light --locks > "$E2E_TMP/out" 2>&1
check "--locks too, even with --theme" [ $? -eq 2 ]
printf 'clusters:\n  ok:\n    server: %s\n  red:\n    server: %s\n    theme: red\n' \
  "$ZK_HOST" "$ZK_HOST" > "$E2E_TMP/cluster.yaml"
"$ZKTUI" --config "$E2E_TMP/cluster.yaml" --dump /app > "$E2E_TMP/out" 2>&1
check "a cluster's theme matters only when it is the one used" [ $? -eq 0 ]
timeout 10 "$ZKTUI" --config "$E2E_TMP/cluster.yaml" --context red --events > "$E2E_TMP/out" 2>&1
check "--context red --events: exit 2 at once" [ $? -eq 2 ]
check "at the cluster's theme: line" grep -qxF \
  "zktui: $E2E_TMP/cluster.yaml:6:12: theme: no such theme 'red' $themes" "$E2E_TMP/out"
timeout 10 "$ZKTUI" --config "$E2E_TMP/cluster.yaml" --context red > "$E2E_TMP/out" 2>&1
check "the screen says it the same way, not 'try --help'" grep -qxF \
  "zktui: $E2E_TMP/cluster.yaml:6:12: theme: no such theme 'red' $themes" "$E2E_TMP/out"
finish
