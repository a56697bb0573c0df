#!/usr/bin/env bash
# make install puts the binary, the themes, the example config and the man
# page under PREFIX (and DESTDIR); the installed binary, far from the source
# tree, finds its themes; make uninstall takes it all away again. The man
# page renders cleanly and names every option and config key.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/zk.sh"
. "$here/lib.sh"
top=$(cd "$here/../.." && pwd)

prefix=$E2E_TMP/inst/usr
dest=$E2E_TMP/dest
make -s -C "$top" -o "$ZKTUI" install PREFIX="$prefix" ZKTUI_BIN="$ZKTUI" > "$E2E_TMP/install.out" 2>&1
check "make install PREFIX=... works" [ $? -eq 0 ]
for f in bin/zktui share/zktui/themes/default.yaml share/zktui/themes/light.yaml \
  share/zktui/themes/high-contrast.yaml share/zktui/themes/mono.yaml \
  share/zktui/config.yaml.example share/man/man1/zktui.1; do
  check "installed: $f" [ -f "$prefix/$f" ]
done
make -s -C "$top" -o "$ZKTUI" install PREFIX=/usr/local DESTDIR="$dest" ZKTUI_BIN="$ZKTUI" > /dev/null 2>&1
check "DESTDIR is honoured" [ -x "$dest/usr/local/bin/zktui" ] && [ -f "$dest/usr/local/share/man/man1/zktui.1" ]

man_out=$(LC_ALL=C.UTF-8 MANWIDTH=80 groff -man -Tutf8 -ww -z "$prefix/share/man/man1/zktui.1" 2>&1)
check "the man page renders without a warning" [ -z "$man_out" ]
page=$(LC_ALL=C.UTF-8 groff -man -Tascii -P-cbou "$prefix/share/man/man1/zktui.1" 2>/dev/null)
for opt in $("$ZKTUI" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
  check "the man page has $opt" grep -qF -- "$opt" <<< "$page"
done
for key in $(grep -oE '^[a-z_]+:' "$top/config.yaml.example" | tr -d :); do
  check "the man page has config key $key" grep -qE "^ +([a-z_]+, )*$key(,| |\$)" <<< "$page"
done

zk_start || exit 1
"$ZKCTL" -s "$ZK_HOST" create /installed x > /dev/null
ZKTUI=$prefix/bin/zktui
e2e_start -s "$ZK_HOST" --theme high-contrast
check "the installed binary runs with an installed theme" wait_screen '· installed' 10
e2e_keys q
check "q quits" wait_exit 0
e2e_start -s "$ZK_HOST" --theme no-such-theme
check "an unknown theme is refused" wait_exit 2

make -s -C "$top" uninstall PREFIX="$prefix" > /dev/null 2>&1
check "make uninstall removes every file" [ -z "$(find "$prefix" -type f)" ]
finish
