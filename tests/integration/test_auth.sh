#!/usr/bin/env bash
# Credentials on the command line's side, against a real server, through
# --dump: a node with a digest ACL is listed as "no access" without
# credentials and read with them, from the config file or from ZKTUI_AUTH
# (which replaces the file's list); bad ones stop zktui at start (exit 2)
# without quoting the secret; a config file others can read is warned
# about; there is no --auth; a credential the server refuses is said; the
# password never reaches the log.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"

n=0 failed=0
check() {
  local name=$1
  shift
  n=$((n + 1))
  if "$@"; then echo "ok $n - $name"; else echo "not ok $n - $name"; failed=$((failed + 1)); fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/zktui-auth.XXXXXX") || exit 1
at_exit "rm -rf '$tmp'"
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_STATE_HOME=$tmp/state ZKTUI_CONFIG=
unset ZKTUI_AUTH
mkdir -p "$HOME" "$XDG_CONFIG_HOME/zktui" "$XDG_STATE_HOME"
cfg=$XDG_CONFIG_HOME/zktui/config.yaml
log=$XDG_STATE_HOME/zktui/zktui.log
pw=Pa55w0rdX

zk_start || exit 1
Z=("$ZKCTL" -s "$ZK_HOST")
"${Z[@]}" batch <<'EOF'
create /app ""
create /app/open x
create /app/secret ""
create /app/secret/inner y
EOF
"${Z[@]}" setacl /app/secret "digest:alice:$pw:cdrwa"

dump() { "$ZKTUI" -s "$ZK_HOST" --dump "$@" > "$tmp/out" 2> "$tmp/err"; }

dump /app
check "without credentials: exit 0" [ $? = 0 ]
check "the protected node is listed as no access" grep -qx '  secret  (no access)' "$tmp/out"
check "its children are not" bash -c "! grep -q inner '$tmp/out'"
check "and stderr says a node was not listed" \
  grep -q 'zktui: 1 node not listed: no access (NOAUTH)' "$tmp/err"
dump /app --json
check "--json marks it" grep -qx '{"path":"/app/secret","noAccess":true}' "$tmp/out"
dump /app/secret
check "the protected node itself: exit 1" [ $? = 1 ]
check "saying NOAUTH" grep -qx 'zktui: /app/secret: not allowed (NOAUTH)' "$tmp/err"

printf 'auth:\n  - digest:alice:%s\n' "$pw" > "$cfg"
chmod 600 "$cfg"
dump /app
check "credentials from the config file read it" grep -qx '    inner' "$tmp/out"
check "a file only its owner reads gives no warning" [ ! -s "$tmp/err" ]
chmod 644 "$cfg"
dump /app
check "a file others can read is warned about" \
  grep -qx "zktui: warning: $cfg holds credentials and others can read it (mode 0644): chmod 600 it" \
  "$tmp/err"
check "and still works" grep -qx '    inner' "$tmp/out"
chmod 600 "$cfg"

printf 'auth:\n  - digest:alice:wrong\n' > "$cfg"
dump /app/secret
check "a wrong password: no access" grep -q 'NOAUTH' "$tmp/err"
ZKTUI_AUTH="digest:alice:$pw" dump /app
check "ZKTUI_AUTH replaces the file's list" grep -qx '    inner' "$tmp/out"
ZKTUI_AUTH="digest:bob:nope
digest:alice:$pw" dump /app
check "ZKTUI_AUTH may hold several, one a line" grep -qx '    inner' "$tmp/out"
rm -f "$cfg"

printf 'auth:\n  - digest:alice:%s\n  - %s\n' "$pw" "$pw" > "$cfg"
dump /app
check "a bad entry in the config: exit 2" [ $? = 2 ]
check "naming its line, not its text" grep -q "config.yaml:3:5: auth: wants scheme:credential" "$tmp/err"
check "the password is not quoted" bash -c "! grep -q '$pw' '$tmp/err'"
rm -f "$cfg"
ZKTUI_AUTH="digest:$pw" dump /app
check "a bad ZKTUI_AUTH: exit 2" [ $? = 2 ]
check "said without the secret" \
  grep -qx "zktui: ZKTUI_AUTH: line 1: digest wants user:password after 'digest:'" "$tmp/err"
ZKTUI_AUTH="digest::$pw" dump /app
check "an empty user: exit 2" [ $? = 2 ]
"$ZKTUI" --auth "digest:alice:$pw" -s "$ZK_HOST" --dump / > /dev/null 2> "$tmp/err"
check "there is no --auth: credentials never come from the command line" [ $? = 2 ]
check "it is an unknown option" grep -q "unknown option '--auth'" "$tmp/err"

ZKTUI_AUTH=nosuch:whatever dump /app
check "a credential the server refuses: exit 1" [ $? = 1 ]
check "said as such" grep -q 'zktui: authentication failed: 127.0.0.1:[0-9]* refused the credentials (nosuch)' "$tmp/err"
start=$(date +%s)
ZKTUI_AUTH=nosuch:whatever "$ZKTUI" -s "$ZK_HOST" --locks > /dev/null 2> "$tmp/err"
check "--locks says it too, at once" \
  bash -c "grep -q 'authentication failed: the server refused the credentials (nosuch)' '$tmp/err' && [ \$((\$(date +%s) - $start)) -lt 5 ]"

ZKTUI_AUTH="digest:alice:$pw" "$ZKTUI" -s "$ZK_HOST" --log "$tmp/explicit.log" --dump /app > /dev/null 2>&1
check "the default log exists" [ -s "$log" ]
check "the password is in neither log" bash -c "! grep -q '$pw' '$log' '$tmp/explicit.log'"

echo "1..$n"
echo "# $(basename "$0"): $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
