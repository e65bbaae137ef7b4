#!/usr/bin/env bash
# Minimise a target's seeds with `cargo afl cmin`: fold in the inputs of DIR... (say,
# a long run's queue, fuzz/target/afl/TARGET/default/queue) and keep the smallest set
# that reaches the same coverage — plus every hand-written hostile-* seed, which stays
# whether or not cmin would keep it (the hardening suites' cases, see README.md).
# Usage: fuzz/cmin.sh TARGET [DIR...]    (run fuzz/run.sh first: it builds the targets)
set -euo pipefail
t="${1:?usage: fuzz/cmin.sh TARGET [DIR...]}"
shift
dirs=()
for d in "$@"; do dirs+=("$(realpath "$d")"); done
cd "$(dirname "$0")"
bin="${CARGO_TARGET_DIR:-target}/release/$t"
[ -x "$bin" ] || { echo "fuzz/cmin.sh: no $bin; build with fuzz/run.sh 0 $t" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/in" "$work/tmp"
cp "seeds/$t"/* "$work/in/"
n=0
for d in "${dirs[@]}"; do
  for f in "$d"/id:*; do
    [ -f "$f" ] && cp "$f" "$work/in/q$((n += 1))"
  done
done
export AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
# The shell afl-cmin that cargo-afl built: the Python one it runs by default (AFL++
# 4.40c) records no coverage from these persistent-mode targets and keeps nothing.
cmin=$(find "${XDG_DATA_HOME:-$HOME/.local/share}/afl.rs" -path '*/afl/bin/afl-cmin.bash' | sort | tail -n 1)
[ -n "$cmin" ] || { echo "fuzz/cmin.sh: no afl-cmin.bash; run fuzz/run.sh first" >&2; exit 2; }
PATH="$(dirname "$cmin"):$PATH" TMPDIR="$work/tmp" \
  "$cmin" -i "$work/in" -o "$work/min" -t 2000 -- "$bin" >"$work/cmin.log" 2>&1 ||
  { tail -c 2000 "$work/cmin.log" >&2; exit 1; }
if ! ls "$work/min"/* >/dev/null 2>&1; then
  echo "fuzz/cmin.sh: cmin kept nothing; seeds/$t left as it was" >&2
  exit 1
fi
cp seeds/"$t"/hostile-* "$work/min/" 2>/dev/null || true
before=$(ls "seeds/$t" | wc -l)
rm -rf "seeds/$t"
mkdir "seeds/$t"
# Hand-written seeds keep their names; inputs from DIR... are named by their hash.
for f in "$work/min"/*; do
  case "$(basename "$f")" in
    q[0-9]*) cp "$f" "seeds/$t/$(sha1sum "$f" | cut -c1-12)" ;;
    *) cp "$f" "seeds/$t/" ;;
  esac
done
echo "fuzz/cmin.sh: $t: $before seeds + $n inputs -> $(ls "seeds/$t" | wc -l) seeds" >&2
