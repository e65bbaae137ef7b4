#!/usr/bin/env bash
# Install what the end-to-end tests talk to (Debian packages, and REDbot from PyPI
# into its own virtualenv), only when missing. Idempotent; needs root (or sudo) on a
# fresh machine, does nothing when all is there.
set -euo pipefail
need=()
have() { command -v "$1" >/dev/null 2>&1; }
have socat || need+=(socat)
have ncat || need+=(ncat)
have nc.openbsd || need+=(netcat-openbsd)
have curl || need+=(curl)
have openssl || need+=(openssl)
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
have h2load || need+=(nghttp2-client)
python3 -m venv --help >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing test dependencies: ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# REDbot (an HTTP linter) for tests/e2e/http/validators.rs, pinned so that a new
# release's new notes do not change what the suite accepts. NETTOOL_REDBOT_VENV moves it.
venv="${NETTOOL_REDBOT_VENV:-/opt/nettool-redbot}"
if ! "$venv/bin/python" -c 'import redbot' >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing REDbot into $venv" >&2
  $sudo python3 -m venv "$venv"
  $sudo "$venv/bin/pip" install -q redbot==2.7.1 httplint==2026.10.4
fi
