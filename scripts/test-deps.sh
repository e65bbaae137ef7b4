#!/usr/bin/env bash
# Install what the end-to-end tests talk to (Debian packages), only when missing.
# Idempotent; needs root (or sudo) on a fresh machine, does nothing when all is there.
set -euo pipefail
need=()
have() { command -v "$1" >/dev/null 2>&1; }
have socat || need+=(socat)
have ncat || need+=(ncat)
have nc.openbsd || need+=(netcat-openbsd)
have curl || need+=(curl)
have ip || need+=(iproute2)
have ss || need+=(iproute2)
have nft || need+=(nftables)
have mandoc || need+=(mandoc)
have man || need+=(man-db)
have dpkg-deb || need+=(dpkg)
have strace || need+=(strace)
have prlimit || need+=(util-linux)
have setpriv || need+=(util-linux)
[ -e /etc/services ] || need+=(netbase)
have zsh || need+=(zsh)
have fish || need+=(fish)
have chromium || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing test dependencies: ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
