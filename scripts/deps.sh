#!/bin/sh
# Installs the Debian packages zktui needs to build, run, test and
# benchmark (python3-kazoo and time are for make bench only). Does
# nothing when they are all there; uses sudo only when not root.
set -eu

PKGS="build-essential pkg-config libncurses-dev libyaml-dev libzookeeper-mt-dev
libcmocka-dev zookeeper default-jre-headless tmux valgrind python3 procps clang
netcat-openbsd ncurses-term groff-base python3-kazoo time"

missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "deps: all packages present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1; then
  as_root="sudo"
else
  echo "deps: need root or sudo to install:$missing" >&2
  exit 1
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# The package lists may be empty on a fresh image; update once, then install.
# shellcheck disable=SC2086
$as_root apt-get update -qq
# shellcheck disable=SC2086
$as_root apt-get install -y -qq --no-install-recommends $missing
