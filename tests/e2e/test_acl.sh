#!/usr/bin/env bash
# ACLs and credentials in the UI. Without credentials a node with a digest
# ACL shows "no access" (its Stat still shows, the rest of the tree loads),
# and a delete refused with NOAUTH is said plainly. a edits an ACL: a bad
# text is refused before anything is sent (the proxy's opcode log proves
# it), a change is confirmed old -> new, a lockout is warned about, an ACL
# changed by another client meanwhile is not overwritten. With credentials
# from the config file or from ZKTUI_AUTH the node is readable, and the
# password is in no log, no event, not on screen and not in the process's
# command line; a new session after an expiry sends them again. A refused
# credential is "auth failed"; read-only mode
# refuses a as it refuses every change.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"

zk_start || exit 1
Z=("$ZKCTL" -s "$ZK_HOST")
pw=S3cr3tPw
"${Z[@]}" batch <<'EOF2'
create /app ""
create /app/guarded ""
create /app/guarded/kid x
create /app/open hello
create /app/secret topsecret
create /app/zz last
EOF2
"${Z[@]}" setacl /app/secret "digest:alice:$pw:cdrwa"
"${Z[@]}" setacl /app/guarded world:anyone:cra
alice_id=$(python3 -c 'import base64, hashlib, sys
print("alice:" + base64.b64encode(hashlib.sha1(b"alice:" + sys.argv[1].encode()).digest()).decode())' "$pw")

oplog=$E2E_TMP/ops
proxy_port=$(zk_free_port)
python3 "$here/../lib/tcpproxy.py" "$proxy_port" "$ZK_PORT" "$oplog" > "$E2E_TMP/proxy.out" &
proxy=$!
at_exit "kill $proxy 2>/dev/null"
until grep -q ready "$E2E_TMP/proxy.out"; do sleep 0.05; done
setacls() { grep -cx 7 "$oplog" 2>/dev/null || true; }
log=$XDG_STATE_HOME/zktui/zktui.log

# Moves the cursor down until the detail pane shows PATH.
select_path() { select_down "$1" || fail "$1 not selected"; }

# ---- without credentials --------------------------------------------------
e2e_start -s "127.0.0.1:$proxy_port"
wait_screen '▸ app' 10 || fail "tree did not load"
e2e_keys j l
check "a node without access says so on its row" wait_screen 'secret +no access│'
check "and the rest of the tree loads" wait_screen '· zz +0│'
select_path /app/secret
check "its detail says no access for the ACL" wait_screen '│ ACL +no access$'
check "and for the data" wait_screen '│ data +no access$'
check "its Stat is still shown (exists needs no permission)" wait_screen '│ aversion +1$'
check "the status bar says why, in words" \
  wait_screen 'no access: with no credentials, zktui lacks READ permission on /app/secret \(NOAUTH\)'
e2e_keys a
check "a on it says its ACL cannot be read" \
  wait_screen 'the ACL of /app/secret was not read: no access'
e2e_keys e
check "e on it says it cannot be edited" \
  wait_screen '/app/secret cannot be edited: zktui may not read it \(no access\)'

e2e_keys g
wait_screen '│ /$' || fail "the root not selected"
select_path /app/guarded
e2e_keys l
wait_screen '· kid ' || fail "guarded did not expand"
select_path /app/guarded/kid
# d asks only once the node's Stat is read.
wait_screen '│ numChildren +0$' || fail "kid's Stat not read"
e2e_keys d
wait_screen 'Delete /app/guarded/kid\?' || fail "no delete question"
e2e_keys y
check "a delete refused with NOAUTH is said on the status bar" \
  wait_screen '^ connected  /app/guarded/kid not deleted: not allowed: with no credentials'
check "and logged as an event" wait_screen '[0-9] /app/guarded/kid not deleted: not allowed'
e2e_keys W
wait_screen 'saved [0-9]+ events to' || fail "events not saved"
check "the event names the permission and the node it is needed on" \
  grep -qE 'error +/app/guarded/kid not deleted: not allowed: with no credentials, zktui lacks DELETE permission on /app/guarded, the parent \(NOAUTH\)$' \
  "$XDG_STATE_HOME"/zktui/events-*.log
check "the audit line says so too" \
  grep -q 'action=delete path=/app/guarded/kid version=0 result=not allowed (NOAUTH)' "$log"

select_path /app/zz
check "the detail pane shows the ACL in zkCli's letters" wait_screen '│ ACL +world:anyone cdrwa$'
e2e_keys a
check "a opens the ACL, prefilled, with its aversion" wait_screen '^ ACL of /app/zz \(aversion 0\) as scheme:id:perms'
check "the current ACL is typed in" wait_screen '^ ACL: world:anyone:cdrwa_$'
e2e_type ',ip:10.0.0.300:r'
e2e_keys Enter
check "a bad address is refused before sending" \
  wait_screen 'not sent: entry 2 \(ip:10.0.0.300\): not an address'
e2e_keys C-w
check "^W erases the last entry" wait_screen '^ ACL: world:anyone:cdrwa,_$'
e2e_type 'world:anyone:rz'
e2e_keys Enter
check "bad permission letters are refused" wait_screen 'not sent: entry 2 \(world\): the part after the last'
e2e_keys C-u
e2e_keys Enter
check "an empty ACL is refused" wait_screen 'not sent: no entries'
check "nothing was sent for any of them" [ "$(setacls)" = 0 ]
e2e_type 'world:anyone:r'
e2e_keys Enter
check "the confirmation shows old -> new" \
  wait_screen '^ ACL of /app/zz \(aversion 0\): world:anyone:cdrwa -> world:anyone:r$'
check "and warns that ADMIN would be lost" \
  wait_screen 'It leaves you no ADMIN \(a\): you could not change it back!  Set it\? +y: set +n: edit again'
e2e_keys n
check "n goes back to the text" wait_screen '^ ACL: world:anyone:r_$'
e2e_keys C-w
e2e_type 'world:anyone:cdra,ip:127.0.0.1:cdrwa'
e2e_keys Enter
wait_screen 'Set it\?' || fail "no confirmation"
check "no warning when ADMIN stays" wait_no_screen 'no ADMIN'
e2e_keys y
check "y sets it" wait_screen 'set the ACL of /app/zz \(was aversion 0\)'
check "the server has it" \
  [ "$("${Z[@]}" getacl /app/zz | head -1)" = "world:anyone:cdra,ip:127.0.0.1:cdrwa" ]
check "read again: the new entries and aversion show" wait_screen '│ +ip:127.0.0.1 cdrwa$'
check "the new aversion shows" wait_screen '│ aversion +1$'
check "one setACL went out" [ "$(setacls)" = 1 ]
check "an audit line for it" \
  grep -qE 'AUDIT cluster=127.0.0.1:[0-9]+ action=setacl path=/app/zz version=0 result=ok' "$log"
check "an event with the ACL set" wait_screen 'set the ACL of /app/zz \(was aversion 0\) to world:anyone:cdra'

# Another client changes the ACL between the read and the answer.
e2e_keys a
wait_screen '^ ACL: world:anyone:cdra,ip:127.0.0.1:cdrwa_$' || fail "no prefilled ACL"
"${Z[@]}" setacl /app/zz world:anyone:cdrwa
e2e_keys C-w
e2e_type 'ip:10.0.0.0/8:cdrwa'
e2e_keys Enter
wait_screen 'Set it\?' || fail "no confirmation"
e2e_keys y
check "an ACL changed meanwhile is not overwritten, and that is said" \
  wait_screen 'the ACL of /app/zz was not set: the ACL changed since you looked'
check "the other client's ACL stands" [ "$("${Z[@]}" getacl /app/zz | head -1)" = "world:anyone:cdrwa" ]
check "the node is read again" wait_screen '│ aversion +2$'
check "the audit line has the refusal" \
  grep -q 'action=setacl path=/app/zz version=1 result=the node changed meanwhile' "$log"
e2e_keys a
wait_screen '^ ACL: world:anyone:cdrwa_$' || fail "no prefilled ACL"
e2e_keys Enter
check "an unchanged ACL sends nothing" wait_screen 'the ACL of /app/zz is unchanged: nothing sent'
# IPv6 ids are ZooKeeper 3.9's: the 3.8 server refuses them.
e2e_keys a
wait_screen '^ ACL: world:anyone:cdrwa_$' || fail "no prefilled ACL"
e2e_type ',ip:::1:r'
e2e_keys Enter
wait_screen 'Set it\?' || fail "no confirmation"
e2e_keys y
check "INVALIDACL from the server is said" \
  wait_screen 'the ACL of /app/zz was not set: the server refused the ACL as invalid \(INVALIDACL\)'
e2e_keys a
wait_screen '^ ACL: world:anyone:cdrwa_$' || fail "no prefilled ACL"
e2e_keys C-u
e2e_type 'auth::cdrwa'
e2e_keys Enter
check "auth:: without credentials is refused before sending" \
  wait_screen 'not sent: auth: gives to the session.s own credentials, and zktui has none'
e2e_keys Escape
e2e_keys a
wait_screen '^ ACL: ' || fail "no ACL prompt"
e2e_keys Escape
check "Esc cancels" wait_screen 'nothing changed'
check "three setACL in all" [ "$(setacls)" = 3 ]
# Children under an ephemeral node: refused by the server, said plainly.
e2e_keys g j
wait_screen '│ /app$' || fail "app not selected"
e2e_keys c
e2e_type 'eph'
e2e_keys Enter e Enter
wait_screen 'created /app/eph' || fail "no ephemeral made"
# The new node is selected once its parent's watch has brought it in.
wait_screen '│ /app/eph$' || fail "the new ephemeral is not selected"
e2e_keys c
e2e_type 'kid'
e2e_keys Enter p Enter
check "a child of an ephemeral is refused in words" \
  wait_screen '/app/eph/kid not created: its parent is ephemeral, and ephemeral nodes cannot'
e2e_keys q
wait_exit 0 || fail "zktui did not quit"

# ---- credentials from the config file --------------------------------------
cfg=$XDG_CONFIG_HOME/zktui/config.yaml
mkdir -p "${cfg%/*}"
printf 'auth:\n  - digest:alice:%s\n' "$pw" > "$cfg"
chmod 600 "$cfg"
e2e_start -s "$ZK_HOST"
wait_screen '▸ app' 10 || fail "tree did not load"
check "the status bar names the user, not the password" wait_screen 'session 0x[0-9a-f]+  as digest:alice '
e2e_keys j l
check "with alice's credentials the node is readable" wait_screen '· secret +0│'
select_path /app/secret
check "its data shows" wait_screen '│ topsecret$'
check "its ACL entry is marked as ours" wait_screen '│ ACL +digest:alice \(you\) cdrwa$'
pane=$(_e2e_pane '#{pane_pid}')
zpid=$(ps --ppid "$pane" -o pid= | tr -d ' ')
check "the password is not in the command line" \
  bash -c "[ -n '$zpid' ] && ! tr '\\0' ' ' < /proc/$zpid/cmdline | grep -q '$pw'"
e2e_keys a
check "the prompt has alice's hash" wait_screen "^ ACL: digest:$alice_id:cdrwa_\$"
e2e_type ',digest:bob:bobpw:r'
e2e_keys Enter
check "a password typed is hashed, and said" wait_screen '^ ACL of /app/secret \(aversion 1, 1 password hashed\)'
e2e_keys y
check "set" wait_screen 'set the ACL of /app/secret'
bob_id=$(python3 -c 'import base64, hashlib
print("bob:" + base64.b64encode(hashlib.sha1(b"bob:bobpw").digest()).decode())')
check "the server has bob's hash, made here the server's way" \
  [ "$("${Z[@]}" -a "digest:alice:$pw" getacl /app/secret | head -1)" = "digest:$alice_id:cdrwa,digest:$bob_id:r" ]
check "bob can read it with his password" [ "$("${Z[@]}" -a digest:bob:bobpw get /app/secret)" = topsecret ]
e2e_keys O
wait_screen 'set the ACL of /app/secret' || fail "no event log"
check "no password on screen" wait_no_screen "$pw|bobpw"
e2e_keys 1 W
wait_screen 'saved [0-9]+ events to' || fail "events not saved"
check "nor in the saved event log" bash -c "! grep -rqE '$pw|bobpw' '$XDG_STATE_HOME/zktui/'"
e2e_keys q
wait_exit 0 || fail "zktui did not quit"

# ---- credentials from ZKTUI_AUTH, no config --------------------------------
rm -f "$cfg"
export ZKTUI_AUTH="digest:alice:$pw"
e2e_start -s "127.0.0.1:$proxy_port" --session-timeout 4000
wait_screen '▸ app' 10 || fail "tree did not load"
e2e_keys j l
check "ZKTUI_AUTH's credentials read it too" wait_screen '· secret +0│'
select_path /app/secret
wait_screen '│ topsecret$' || fail "secret not read"
# Past an expiry the new session sends the credentials again: the node is
# read again, and readable.
sid=$(e2e_screen | tail -n 1 | grep -oE 'session 0x[0-9a-f]+' | head -1)
kill -USR1 "$proxy"
wait_screen 'reconnecting' 10 || fail "no reconnecting"
zk_wait_expired "${sid#session }" || fail "the server did not expire the session"
"${Z[@]}" -a "digest:alice:$pw" set /app/secret after-expiry
kill -USR2 "$proxy"
wait_screen 'session 0x[0-9a-f]+ expire' 15 || fail "no expiry"
check "after an expiry the new session authenticates again" wait_screen '│ after-expiry$' 15
e2e_keys q
wait_exit 0 || fail "zktui did not quit"

# A scheme the server does not know: it refuses, and closes the session.
export ZKTUI_AUTH=nosuch:whatever
e2e_start -s "$ZK_HOST"
check "a refused credential shows as auth failed" wait_screen '^ auth failed' 10
check "with a sentence" wait_screen 'authentication failed: the server refused the credentials \(nosuch\)'
e2e_keys q
wait_exit 0 || fail "zktui did not quit"
unset ZKTUI_AUTH

# ---- read-only ---------------------------------------------------------------
: > "$oplog"
e2e_start -s "127.0.0.1:$proxy_port" --read-only
wait_screen 'READ-ONLY' 10 || fail "no READ-ONLY"
e2e_keys a
check "read-only: a says why nothing happens" wait_screen 'read-only: nothing was changed'
check "no ACL was set" [ "$(setacls)" = 0 ]
e2e_keys q
wait_exit 0 || fail "zktui did not quit"

check "the password is in no log" bash -c "! grep -rqE '$pw|bobpw' '$XDG_STATE_HOME'"
finish
