#!/usr/bin/env bash
# --dump and --json against a real server, and the command line's errors.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/../e2e/lib.sh"

# Bad arguments: one line on stderr, exit 2, no server needed.
bad_arg() {
  local out rc
  out=$("$ZKTUI" "$@" 2>&1 >/dev/null); rc=$?
  [ "$rc" -eq 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && [ -n "$out" ]
}
check "unknown option exits 2 with one line" bad_arg --bogus
check "missing value exits 2" bad_arg --session-timeout
check "non-numeric timeout exits 2" bad_arg --session-timeout abc
check "negative timeout exits 2" bad_arg --session-timeout -5
check "relative dump path exits 2" bad_arg --dump relative/path
check "trailing slash exits 2" bad_arg --dump /a/
check "--json without --dump exits 2" bad_arg --json
check "--stats without --dump exits 2" bad_arg --stats
check "--open with --dump exits 2" bad_arg --dump --open /a
check "--open of a relative path exits 2" bad_arg --open a/b
check "--help exits 0" "$ZKTUI" --help
check "--version prints the version" sh -c '"$ZKTUI" --version | grep -q "^zktui [0-9]"'

# No server within the session timeout: stderr and exit 1, in about that time.
no_server() {
  local rc
  timeout 10 "$ZKTUI" -s 127.0.0.1:1 --session-timeout 1500 --dump >/dev/null 2>"$E2E_TMP/err"; rc=$?
  [ "$rc" -eq 1 ] && grep -q "no connection" "$E2E_TMP/err"
}
check "no server: exit 1 with a message" no_server

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" batch <<'EOF2'
create /app ""
create /app/config {"a":1}
create /app/flags hello
create /app/flags/deep x
create /locks ""
create /locks/seq-0000000001 ""
create /bidi\xe2\x80\xaename x
EOF2

dump_tree() {
  "$ZKTUI" -s "$ZK_HOST" --dump /app > "$E2E_TMP/out" 2>"$E2E_TMP/err" || return 1
  diff -u - "$E2E_TMP/out" <<'EOF2'
/app
  config
  flags
    deep
EOF2
}
check "--dump prints the subtree as an indented tree" dump_tree

dump_root() {
  "$ZKTUI" -s "$ZK_HOST" --dump > "$E2E_TMP/out" 2>"$E2E_TMP/err" || return 1
  head -1 "$E2E_TMP/out" | grep -qx '/' &&
    grep -qx '  zookeeper' "$E2E_TMP/out" &&
    grep -qx '    seq-0000000001' "$E2E_TMP/out" &&
    grep -qF 'bidi\u202ename' "$E2E_TMP/out"  # escaped, never raw
}
check "--dump of / includes every level, names escaped" dump_root

dump_json() {
  "$ZKTUI" -s "$ZK_HOST" --dump /app --json > "$E2E_TMP/json" 2>"$E2E_TMP/err" || return 1
  [ "$(wc -l < "$E2E_TMP/json")" -eq 4 ] || return 1
  python3 - "$E2E_TMP/json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
byp = {r["path"]: r for r in rows}
assert set(byp) == {"/app", "/app/config", "/app/flags", "/app/flags/deep"}, byp.keys()
keys = {"path", "dataLength", "numChildren", "czxid", "mzxid", "pzxid", "ctime", "mtime",
        "version", "cversion", "aversion", "ephemeralOwner"}
for r in rows:
    assert set(r) == keys, r
assert byp["/app/config"]["dataLength"] == 7
assert byp["/app/flags"]["numChildren"] == 1
assert byp["/app"]["ephemeralOwner"] == "0x0"
PY
}
check "--json prints one object per node with every Stat field" dump_json

no_node() {
  local rc
  "$ZKTUI" -s "$ZK_HOST" --dump /nope >/dev/null 2>"$E2E_TMP/err"; rc=$?
  [ "$rc" -eq 1 ] && grep -q "/nope: no such node" "$E2E_TMP/err"
}
check "--dump of a missing node: exit 1, no such node" no_node

# A tree of 2,021 nodes walked with a window of 1000 (the config's
# walk_window), then of 3: the same nodes, in the same order, whatever the
# window; --stats says how it went on stderr.
"$ZKCTL" -s "$ZK_HOST" seed 20 /many 100 > /dev/null || fail "seeding /many failed"
dump_many() {
  local window=$1
  printf 'walk_window: %s\n' "$window" > "$E2E_TMP/w.yaml"
  "$ZKTUI" --config "$E2E_TMP/w.yaml" -s "$ZK_HOST" --dump /many --stats \
    > "$E2E_TMP/many.$window" 2>"$E2E_TMP/stats.$window" || return 1
  [ "$(wc -l < "$E2E_TMP/many.$window")" -eq 2021 ] &&
    grep -qx '    d00099' "$E2E_TMP/many.$window" &&
    grep -Eq "^zktui: stats: nodes=2021 elapsed_ms=[0-9]+ nodes_per_s=[0-9]+ peak_in_flight=[0-9]+$" \
      "$E2E_TMP/stats.$window" &&
    [ "$(sed -n 's/.*peak_in_flight=//p' "$E2E_TMP/stats.$window")" -le "$window" ]
}
check "--dump --stats of 2,021 nodes, window 1000" dump_many 1000
check "the same with a window of 3, never more in flight" dump_many 3
check "the same tree either way" cmp -s "$E2E_TMP/many.1000" "$E2E_TMP/many.3"
no_stats() {
  "$ZKTUI" -s "$ZK_HOST" --dump /many > /dev/null 2>"$E2E_TMP/err" && [ ! -s "$E2E_TMP/err" ]
}
check "nothing on stderr without --stats" no_stats

no_log_on_terminal() {
  "$ZKTUI" -s "$ZK_HOST" --dump /app >"$E2E_TMP/out" 2>"$E2E_TMP/err" && [ ! -s "$E2E_TMP/err" ] &&
    [ -s "$XDG_STATE_HOME/zktui/zktui.log" ]
}
check "the client's log goes to the log file, not stderr" no_log_on_terminal

finish
