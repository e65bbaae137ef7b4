#!/usr/bin/env bash
# Coverage-guided fuzzing with AFL++ (cargo-afl, stable Rust): build every target in
# fuzz/src/bin/, run each for SECONDS (default 60) from its committed seeds, one after
# the other, and fail if any found a crash or a hang, printing the reproducers.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]      (see fuzz/README.md)
# Output: fuzz/target/afl/TARGET/ (AFL's queue, crashes, hangs, fuzzer_stats), or
# under $FUZZ_OUT (relative to fuzz/) when set; a target's earlier output is removed.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
case "$seconds" in
  '' | *[!0-9]*) echo "usage: fuzz/run.sh [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac

# cargo-afl builds AFL++ and its LLVM runtime from source when installed: it needs a
# C compiler and make (Debian's build-essential).
if ! command -v cc >/dev/null || ! command -v make >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing build-essential for AFL++" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends build-essential >/dev/null
fi
if ! cargo afl --version >/dev/null 2>&1; then
  echo "installing cargo-afl (builds AFL++)" >&2
  cargo install --locked cargo-afl
fi
# Builds AFL++ for this toolchain if the install did not (it says so and fails if
# it did; a real build failure shows in `cargo afl build` below).
cargo afl config --build >/dev/null 2>&1 || true

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in src/bin/*.rs; do targets+=("$(basename "$f" .rs)"); done
fi
for t in "${targets[@]}"; do
  [ -f "src/bin/$t.rs" ] || { echo "fuzz/run.sh: no target $t (fuzz/src/bin/$t.rs)" >&2; exit 2; }
  [ -d "seeds/$t" ] || { echo "fuzz/run.sh: target $t has no seeds (fuzz/seeds/$t/)" >&2; exit 2; }
done

echo "building ${#targets[@]} fuzz targets" >&2
cargo afl build --release --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/release"

# AFL++ on a shared machine: no CPU-governor check, no core binding (other jobs own
# cores), crashes reported even where core dumps are piped to a handler
# (core_pattern `|…`), no screen, stop at the first crash.
export AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_UI=1 AFL_BENCH_UNTIL_CRASH=1 AFL_FAST_CAL=1

failed=()
printf '%-20s %10s %9s %8s %6s %6s\n' target execs execs/s paths crash hang >&2
for t in "${targets[@]}"; do
  out="${FUZZ_OUT:-target/afl}/$t"
  rm -rf "$out"
  mkdir -p "$out/tmp"
  dict=()
  for d in "dict/$t.dict" "dict/${t%%_*}.dict"; do
    if [ -f "$d" ]; then dict=(-x "$d"); break; fi
  done
  # The targets make their fixture trees under TMPDIR; it goes when the run ends.
  status=0
  TMPDIR="$PWD/$out/tmp" timeout --signal=INT --kill-after=30 $((seconds + 120)) \
    cargo afl fuzz -i "seeds/$t" -o "$out" -V "$seconds" -t 2000 "${dict[@]}" \
    "$bin/$t" >"$out/afl.log" 2>&1 || status=$?
  stats="$out/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    rm -rf "$out/tmp"
    echo "fuzz/run.sh: $t: afl-fuzz did not start (exit $status); its log:" >&2
    tail -n 25 "$out/afl.log" >&2
    failed+=("$t")
    continue
  fi
  field() { awk -v k="$1" '$1 == k { print $3 }' "$stats"; }
  printf '%-20s %10s %9s %8s %6s %6s\n' "$t" "$(field execs_done)" "$(field execs_per_sec)" \
    "$(field corpus_count)" "$(field saved_crashes)" "$(field saved_hangs)" >&2
  # A hang is re-run with a generous bound: one that finishes was the machine's
  # load (other jobs on a shared box), not the target's; it is noted, not failed.
  found=()
  while IFS= read -r f; do
    [ -n "$f" ] || continue
    if [[ "$f" == */hangs/* ]]; then
      rc=0
      TMPDIR="$PWD/$out/tmp" timeout 20 "$bin/$t" <"$f" >/dev/null 2>&1 || rc=$?
      if [ "$rc" -eq 0 ]; then
        echo "  $t: a hang that does not reproduce (finished when re-run): fuzz/$f" >&2
        continue
      fi
    fi
    found+=("$f")
  done < <(find "$out/default/crashes" "$out/default/hangs" -type f -name 'id:*' 2>/dev/null | sort)
  rm -rf "$out/tmp"
  if [ ${#found[@]} -gt 0 ]; then
    failed+=("$t")
    for f in "${found[@]}"; do
      echo "  reproduce: fuzz/$bin/$t < fuzz/$f" >&2
    done
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz/run.sh: crashes or hangs in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz/run.sh: ${#targets[@]} targets, ${seconds}s each: no crash, no hang" >&2
