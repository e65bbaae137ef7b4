#!/usr/bin/env bash
# Build the Debian package (cargo deb, crate cargo-deb), check its file list, unpack it
# into a temporary root (dpkg-deb -x) and read man pages from there (man -l), as an
# installed `man nettool-multicast` and `man 7 nettool-lessons` would. Installs cargo-deb
# when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-deb >/dev/null 2>&1 || cargo install --locked cargo-deb
deb=$(cargo deb | tail -n 1)
[ -f "$deb" ] || { echo "cargo deb did not say where the package is: $deb" >&2; exit 1; }
files=$(dpkg-deb -c "$deb" | awk '{print $NF}')
want=(
  ./usr/bin/nettool
  ./usr/share/man/man1/nettool.1.gz
  ./usr/share/man/man1/nettool-multicast.1.gz
  ./usr/share/man/man1/nettool-tcp-echo-connect.1.gz
  ./usr/share/man/man7/nettool-lessons.7.gz
  ./usr/share/bash-completion/completions/nettool
  ./usr/share/zsh/vendor-completions/_nettool
  ./usr/share/fish/vendor_completions.d/nettool.fish
)
for f in "${want[@]}"; do
  grep -qxF "$f" <<<"$files" || { echo "$deb lacks $f" >&2; exit 1; }
done
# One page per man/*.1, none missing.
pages=$(grep -c '^./usr/share/man/man1/nettool.*\.1\.gz$' <<<"$files")
[ "$pages" -eq "$(ls man/*.1 | wc -l)" ] || { echo "$deb has $pages man pages" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
MANWIDTH=80 man -l "$root/usr/share/man/man1/nettool-multicast.1.gz" | grep -q 'EXIT STATUS'
# By name, as `man nettool-multicast` finds it once installed (MANPATH = the unpacked root).
found=$(MANPATH="$root/usr/share/man" man -w nettool-multicast)
[ "$found" = "$root/usr/share/man/man1/nettool-multicast.1.gz" ] || { echo "man -w found $found" >&2; exit 1; }
# The course page, in section 7: `man 7 nettool-lessons` once installed.
found=$(MANPATH="$root/usr/share/man" man -w 7 nettool-lessons)
[ "$found" = "$root/usr/share/man/man7/nettool-lessons.7.gz" ] || { echo "man -w 7 found $found" >&2; exit 1; }
MANWIDTH=80 man -l "$found" | grep -q 'LESSONS'
"$root/usr/bin/nettool" --version
echo "$deb: $(wc -l <<<"$files") entries, $pages man pages; man finds and reads them"
