#!/usr/bin/env bash
# Fault 7: many watches, then a server restart. On reconnecting, the 3.8 C
# client re-sends every watch it holds in one SetWatches packet, and the
# server refuses one past 1 MB: 30,000 watches on 43-byte paths would make
# it reconnect every half second, forever. Here 30,000 parents (each with
# one child, paths of 43 bytes) are opened whole with *, and every page
# of them is shown (PgDn to the end), which arms a child watch on each
# parent shown; zktui must keep the watches' bytes under watch_budget
# (512 KiB) by removing those off screen, the server's count agreeing.
# Then the server restarts (same port, a 30 s session): zktui is connected
# again in the same session, stays so (no reconnect loop), and is live (a
# child created under a node on screen shows).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
FAULT="30,000 parents opened and scrolled, server restarted (budget 512 KiB, timeout 30 s)"
N=30000
# /P/c00000 is 43 bytes.
P=/watch-budget-fault-parents-abcdefgh
[ ${#P} = 36 ] || fail "the parent's name is not 36 bytes"

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" seed "$N" "$P" 1 > /dev/null || fail "seeding $P failed"
printf 'max_children: 100000\n' > "$E2E_TMP/config.yaml"

E2E_H=120 E2E_W=120
e2e_start --config "$E2E_TMP/config.yaml" -s "$ZK_HOST" --session-timeout 30000
wait_screen ' connected +127' 15 || fail "no session"
e2e_keys j
wait_screen "▸ watch-budget-fault" 10 || fail "$P not listed"
e2e_keys '*'
wait_screen '· d00000' 30 || fail "* did not open $P"
# Every node read: the last parent is a row.
e2e_keys G
wait_screen 'c29999' 120 || fail "* did not read all $N parents"
e2e_keys g
server_watches() { zk_4lw mntr | awk '$1 == "zk_watch_count" {print $2}'; }
shown() { status_line | grep -oE 'watches [0-9,]+ \([0-9]+ KB' | tail -1; }
shown_kb() { shown | sed -E 's/.*\(([0-9]+) KB/\1/'; }
shown_n() { shown | sed -E 's/watches ([0-9,]+) .*/\1/' | tr -d ,; }
# Every page in turn, each drawn; the figure sampled all along.
max_kb=0 over=0 pages=$((2 * N / (E2E_H - 2) + 2))
t_scroll=$(ms_now)
for ((i = 0; i < pages; i++)); do
  e2e_keys NPage
  sleep 0.02
  if ((i % 10 == 0)); then
    kb=$(shown_kb)
    [ -n "$kb" ] && ((kb > max_kb)) && max_kb=$kb
    status_line | grep -q 'over [0-9]* KB' && over=$((over + 1))
  fi
done
echo "# $pages pages in $(secs_since "$t_scroll") s; the most shown: $max_kb KB; over the budget $over times"
ck "the watches pile up to the budget" [ "$max_kb" -ge 300 ]
seen "watches kept under 512 KB ($max_kb KB at most)" "the bytes stay under the budget" \
  [ "$max_kb" -le 512 ] && [ "$over" = 0 ]
agree() {
  local s w
  s=$(server_watches) w=$(shown_n)
  echo "# server $s, shown $w"
  [ -n "$w" ] && [ "$s" = "$w" ]
}
# The 3.8.0 server answers a RemoveWatches and the client drops the watch
# from its table, but the server's zk_watch_count does not go down (seen
# with a bare C client too); after the restart it holds what SetWatches
# carried, which must then be zktui's count.
echo "# before the restart: server $(server_watches), shown $(shown_n)"
e2e_keys G
wait_screen 'c29999' 10
session1=$(status_line | grep -oE 'session 0x[0-9a-f]+' | head -1)

zk_stop
wait_screen 'reconnecting' 10 || fail "the stop was not seen"
zk_start || fail "the server did not start again"
t_back=$(ms_now)
seen "same session" "back in the same session" wait_screen_line "$E2E_H" "^ connected .*$session1" 30
t_rec=$(secs_since "$t_back")
stays() {
  local i
  for ((i = 0; i < 20; i++)); do
    status_line | grep -qE "^ connected .*$session1" || { status_line; return 1; }
    sleep 0.25
  done
}
seen "no reconnect loop (5 s)" "connected and staying so" stays
matched=yes
"$ZKCTL" -s "$ZK_HOST" create "$P/c29999/dnew" x > /dev/null
seen "live" "a child made under a node on screen shows" wait_screen '· dnew' 10 || matched=no
seen "SetWatches carried zktui's count" "the server's count is zktui's after the restart" \
  _e2e_poll 10 "the counts to agree" agree || matched=no
e2e_keys O
wait_screen 'Events \(' 5
ck "one reconnection logged" [ "$(e2e_screen | grep -c 'reconnected to')" = 1 ] || matched=no

fault_row "$FAULT" "$SHOWN" "$t_rec" "$matched"
e2e_keys q
ck "q quits" wait_exit 0
finish
